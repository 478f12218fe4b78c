//! The scaling model: one bigger box (vertical) against more boxes (horizontal), what each costs
//! for a target load, where the cheaper plan changes (the crossover), how far a fleet can go at
//! all (the Universal Scalability Law) and a rule-based "which lever first" recommendation (scale
//! up or out, a cache, read replicas, shards, autoscaling).
//!
//! Everything here is a closed form or an exact enumeration: no clock, no randomness, no
//! simulation. All prices are illustrative (see [`ASSUMPTIONS`]); the point is the shape of the
//! trade-off, not a quote.
//!
//! # The cost model
//!
//! *Vertical.* One box from the [`LADDER`] of sizes (2 → 192 vCPUs, [`GIB_PER_VCPU`] GiB of memory
//! per vCPU). Its throughput is
//!
//! ```text
//! box_rps(v) = rps_per_vcpu × v × eff(v),   eff(v) = 1 for v ≤ 32,  (32 / v)^0.2 above
//! ```
//!
//! so above [`KNEE_VCPUS`] each doubling of cores buys 2^0.8 ≈ 1.74× the throughput, not 2×
//! (memory bandwidth per core falls and locks are held by more threads). Its monthly price is
//!
//! ```text
//! instance(v) = v × price_per_vcpu_hour × 730 h × (1 + premium(v)),
//! premium(v)  = large_premium × clamp((v − 64) / (192 − 64), 0, 1)
//! ```
//!
//! and a vertical plan also pays one machine's operational overhead (`ops_per_node_monthly`), so
//! the two strategies are compared like for like. The ladder ends at a hard ceiling: nothing is
//! bigger than 192 vCPUs.
//!
//! *Horizontal.* `N` identical nodes of `node_vcpus` behind a load balancer:
//!
//! ```text
//! fleet_rps(N) = box_rps(node_vcpus) × usl(N, alpha, beta)
//! fleet(N)     = N × (instance(node_vcpus) + ops_per_node_monthly) + lb_monthly
//! ```
//!
//! with `N` at most [`MAX_NODES`]. Capacities are floored to whole requests per second and costs
//! rounded to cents, so loads are naturally whole req/s and the cost curves are exact step
//! functions: a plan's cost changes only at the capacity of a ladder size or of `N` nodes. That is
//! what makes [`crossover`] an exact enumeration rather than a scan.
//!
//! # Layout
//!
//! `usl.rs`: the Universal Scalability Law. `cost.rs`: the ladder, fleets, their costs and the
//! crossover, [`ScalingParams`], [`analyse`] and the chart curves.
//! `lever.rs`: the recommendation, [`recommend`]. Everything public is re-exported here.

mod cost;
mod lever;
mod usl;

pub use cost::{
    analyse, best_fleet_nodes, box_rps, cheapest_horizontal, cheapest_vertical, cost_curves, cost_facts, cost_regions,
    crossover, fleet_monthly, fleet_rps, fleet_wins_from, horizontal_options, horizontal_plan, instance_monthly,
    max_horizontal_rps, max_vertical_rps, scaling_params, throughput_curve, vertical_options, vertical_plan, Plan,
    Region, ScalingParams, ScalingReport, Strategy, ASSUMPTIONS, FALLOFF_EXPONENT, GIB_PER_VCPU, HOURS_PER_MONTH,
    KNEE_VCPUS, LADDER, MAX_NODES, PREMIUM_FROM_VCPUS, SCALING_COST,
};
pub use lever::{
    lever_facts, recommend, situation, Bottleneck, Lever, Recommendation, Situation, Stage, AUTOSCALE_PEAK_RATIO,
    READ_HEAVY, SCALING_LEVER, SMALL_TEAM,
};
pub use usl::{usl, usl_peak};

/// Declared ranges `(min, max)` of every parameter. [`ScalingParams::clamped`] and
/// [`Situation::clamped`] force values into them (NaN becomes the low end); a UI can build its
/// controls from them.
pub mod ranges {
    pub const TARGET_RPS: (f64, f64) = (1.0, 1_000_000.0);
    pub const ALPHA: (f64, f64) = (0.0, 0.5);
    pub const BETA: (f64, f64) = (0.0, 0.05);
    pub const NODE_VCPUS: (u32, u32) = (1, 64);
    pub const RPS_PER_VCPU: (f64, f64) = (1.0, 10_000.0);
    pub const PRICE_PER_VCPU_HOUR: (f64, f64) = (0.001, 1.0);
    pub const LARGE_PREMIUM: (f64, f64) = (0.0, 1.0);
    pub const LB_MONTHLY: (f64, f64) = (0.0, 10_000.0);
    pub const OPS_PER_NODE_MONTHLY: (f64, f64) = (0.0, 10_000.0);

    pub const TEAM_SIZE: (u32, u32) = (1, 10_000);
    pub const PEAK_TO_AVERAGE: (f64, f64) = (1.0, 100.0);
    pub const READ_FRACTION: (f64, f64) = (0.0, 1.0);
}

fn clamp_f(x: f64, (lo, hi): (f64, f64)) -> f64 {
    crate::num::clamp_or_low(x, lo, hi)
}

fn clamp_u(x: u32, (lo, hi): (u32, u32)) -> u32 {
    x.clamp(lo, hi)
}
