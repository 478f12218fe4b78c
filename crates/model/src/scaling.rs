//! The scaling model: one bigger box (vertical) against more boxes (horizontal), what each costs
//! for a target load, where the cheaper plan changes (the crossover), how far a fleet can go at
//! all (the Universal Scalability Law), the database levers (cache, read replicas, shards) and a
//! rule-based "which lever first" recommendation.
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

/// Hours in a billing month (365 × 24 / 12).
pub const HOURS_PER_MONTH: f64 = 730.0;
/// The vertical ladder of instance sizes, in vCPUs. The last one is the hard ceiling.
pub const LADDER: [u32; 10] = [2, 4, 8, 16, 32, 48, 64, 96, 128, 192];
/// Memory per vCPU of every size (general-purpose instances).
pub const GIB_PER_VCPU: u32 = 4;
/// Up to this many vCPUs a box scales linearly with its cores.
pub const KNEE_VCPUS: f64 = 32.0;
/// Above the knee, throughput grows as vcpus^(1 − this): each doubling gives 2^0.8 ≈ 1.74×.
pub const FALLOFF_EXPONENT: f64 = 0.2;
/// The size premium starts above this many vCPUs and reaches `large_premium` at the top size.
pub const PREMIUM_FROM_VCPUS: f64 = 64.0;
/// The largest fleet the model considers.
pub const MAX_NODES: u32 = 1_000;
/// Peak-to-average ratio from which [`recommend`] suggests autoscaling a stateless tier.
pub const AUTOSCALE_PEAK_RATIO: f64 = 3.0;
/// Below this many engineers, [`recommend`] treats a team like an early-stage one.
pub const SMALL_TEAM: u32 = 4;
/// Reads at least this share of the traffic make a workload "read-heavy" in [`recommend`].
pub const READ_HEAVY: f64 = 0.5;

/// The dated assumptions behind [`ScalingParams::ILLUSTRATIVE`] and [`DbParams::ILLUSTRATIVE`].
pub const ASSUMPTIONS: &str = "Illustrative prices, November 2026: general-purpose on-demand cloud \
instances at about $0.045 per vCPU-hour with 4 GiB of memory per vCPU, billed 730 hours a month; \
the largest sizes carry a premium that grows from nothing at 64 vCPUs to +50% at 192 vCPUs; a \
managed load balancer at about $25 a month; $120 a month per machine of operational overhead \
(patching, monitoring, on-call and tooling time). Throughput: 100 req/s per vCPU, linear up to 32 \
vCPUs, then each doubling of cores gives about 1.74x (memory bandwidth, lock contention). Fleet \
contention: alpha = 0.01, beta = 0.00002 (a mostly stateless web tier). Database: 5,000 req/s per \
primary or replica, 100 ms replication lag, re-sharding copies 50 GiB an hour. None of these is a \
quote from any provider; change them to your own numbers.";

/// Declared ranges `(min, max)` of every parameter. [`ScalingParams::clamped`],
/// [`Situation::clamped`] and [`DbParams::clamped`] force values into them (NaN becomes the low
/// end); a UI can build its controls from them.
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

    pub const OFFERED_RPS: (f64, f64) = (0.0, 10_000_000.0);
    pub const CACHE_HIT_RATE: (f64, f64) = (0.0, 1.0);
    pub const REPLICA_READ_SHARE: (f64, f64) = (0.0, 1.0);
    pub const READ_REPLICAS: (u32, u32) = (0, 15);
    pub const SHARDS: (u32, u32) = (1, 64);
    pub const DB_CAPACITY_RPS: (f64, f64) = (1.0, 1_000_000.0);
    pub const REPLICATION_LAG_MS: (f64, f64) = (0.0, 600_000.0);
    pub const DATA_GIB: (f64, f64) = (0.0, 1_000_000.0);
    pub const RESHARD_GIB_PER_HOUR: (f64, f64) = (1.0, 100_000.0);
}

fn clamp_f(x: f64, (lo, hi): (f64, f64)) -> f64 {
    crate::stats::clamp_or_low(x, lo, hi)
}

fn clamp_u(x: u32, (lo, hi): (u32, u32)) -> u32 {
    x.clamp(lo, hi)
}

// ---------------------------------------------------------------------------------------------
// The Universal Scalability Law
// ---------------------------------------------------------------------------------------------

/// Gunther's Universal Scalability Law: the capacity of `n` nodes relative to one,
/// `n / (1 + alpha(n − 1) + beta·n(n − 1))`. `alpha` is contention (the serial fraction, as in
/// Amdahl's law), `beta` crosstalk (the cost of keeping nodes coherent, which grows with pairs).
pub fn usl(n: f64, alpha: f64, beta: f64) -> f64 {
    let n = if n.is_nan() { 0.0 } else { n.max(0.0) };
    let d = 1.0 + alpha * (n - 1.0) + beta * n * (n - 1.0);
    if d > 0.0 && d.is_finite() {
        n / d
    } else {
        0.0
    }
}

/// The node count at which [`usl`] peaks, `sqrt((1 − alpha) / beta)`. `None` when `beta ≤ 0`:
/// without crosstalk there is no peak and capacity only approaches `1 / alpha` (Amdahl's law).
/// Also `None` when beta is so small that the peak overflows `f64`.
pub fn usl_peak(alpha: f64, beta: f64) -> Option<f64> {
    if beta > 0.0 && beta.is_finite() && alpha.is_finite() {
        Some(((1.0 - alpha).max(0.0) / beta).sqrt()).filter(|n| n.is_finite())
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/// The cost model's parameters. Money in dollars, loads in requests per second.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScalingParams {
    /// The load to plan for (the peak you must serve).
    pub target_rps: f64,
    /// USL contention of the fleet (serial fraction).
    pub alpha: f64,
    /// USL crosstalk of the fleet (pairwise coordination).
    pub beta: f64,
    /// Size of one horizontal node.
    pub node_vcpus: u32,
    /// Throughput of one vCPU on a box at or below the knee.
    pub rps_per_vcpu: f64,
    /// On-demand price of one vCPU (with its 4 GiB) for an hour.
    pub price_per_vcpu_hour: f64,
    /// Extra price, as a fraction, of the 192-vCPU size; grows linearly from 0 at 64 vCPUs.
    pub large_premium: f64,
    /// The load balancer in front of a fleet, per month.
    pub lb_monthly: f64,
    /// Operational overhead of one more machine, per month (patching, on-call, tooling).
    pub ops_per_node_monthly: f64,
}

impl ScalingParams {
    /// Plausible on-demand cloud numbers, November 2026; see [`ASSUMPTIONS`].
    pub const ILLUSTRATIVE: ScalingParams = ScalingParams {
        target_rps: 8_000.0,
        alpha: 0.01,
        beta: 0.00002,
        node_vcpus: 8,
        rps_per_vcpu: 100.0,
        price_per_vcpu_hour: 0.045,
        large_premium: 0.5,
        lb_monthly: 25.0,
        ops_per_node_monthly: 120.0,
    };
    /// A tier with heavy shared state: the golden USL values (alpha 0.05, beta 0.001), peak at 31
    /// nodes.
    pub const CONTENDED: ScalingParams = ScalingParams { alpha: 0.05, beta: 0.001, ..ScalingParams::ILLUSTRATIVE };
    /// Machines that are expensive to run (manual patching, a small on-call rotation).
    pub const COSTLY_OPS: ScalingParams = ScalingParams { ops_per_node_monthly: 300.0, ..ScalingParams::ILLUSTRATIVE };

    /// The presets in the order a widget offers them.
    pub const PRESETS: [(&'static str, ScalingParams); 3] = [
        ("illustrative", ScalingParams::ILLUSTRATIVE),
        ("contended", ScalingParams::CONTENDED),
        ("costly-ops", ScalingParams::COSTLY_OPS),
    ];

    /// Returns the parameters with every field forced into its [`ranges`] (NaN becomes the low
    /// end).
    pub fn clamped(mut self) -> ScalingParams {
        self.target_rps = clamp_f(self.target_rps, ranges::TARGET_RPS);
        self.alpha = clamp_f(self.alpha, ranges::ALPHA);
        self.beta = clamp_f(self.beta, ranges::BETA);
        self.node_vcpus = clamp_u(self.node_vcpus, ranges::NODE_VCPUS);
        self.rps_per_vcpu = clamp_f(self.rps_per_vcpu, ranges::RPS_PER_VCPU);
        self.price_per_vcpu_hour = clamp_f(self.price_per_vcpu_hour, ranges::PRICE_PER_VCPU_HOUR);
        self.large_premium = clamp_f(self.large_premium, ranges::LARGE_PREMIUM);
        self.lb_monthly = clamp_f(self.lb_monthly, ranges::LB_MONTHLY);
        self.ops_per_node_monthly = clamp_f(self.ops_per_node_monthly, ranges::OPS_PER_NODE_MONTHLY);
        self
    }
}

impl Default for ScalingParams {
    fn default() -> Self {
        ScalingParams::ILLUSTRATIVE
    }
}

// ---------------------------------------------------------------------------------------------
// Plans and the per-size formulas
// ---------------------------------------------------------------------------------------------

/// One way to serve a load, or why there is none.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// One box of `vcpus`; `monthly` includes one machine's operational overhead.
    Vertical { vcpus: u32, memory_gib: u32, monthly: f64, capacity_rps: f64 },
    /// `nodes` boxes of `node_vcpus` each; `monthly` includes the load balancer and every node's
    /// operational overhead.
    Horizontal { nodes: u32, node_vcpus: u32, monthly: f64, capacity_rps: f64 },
    /// The load is beyond what this strategy can reach; `reason` is a plain sentence.
    Impossible { reason: String },
}

impl Plan {
    /// Monthly cost, `None` when impossible.
    pub fn monthly(&self) -> Option<f64> {
        match self {
            Plan::Vertical { monthly, .. } | Plan::Horizontal { monthly, .. } => Some(*monthly),
            Plan::Impossible { .. } => None,
        }
    }

    /// Capacity in req/s, `None` when impossible.
    pub fn capacity_rps(&self) -> Option<f64> {
        match self {
            Plan::Vertical { capacity_rps, .. } | Plan::Horizontal { capacity_rps, .. } => Some(*capacity_rps),
            Plan::Impossible { .. } => None,
        }
    }

    pub fn is_possible(&self) -> bool {
        !matches!(self, Plan::Impossible { .. })
    }

    /// A short plain-language description: "one 32-vCPU box (128 GiB) serving up to 3,200 req/s
    /// for $1,126 a month", "12 nodes of 8 vCPUs serving up to ... ", or the impossibility reason.
    pub fn describe(&self) -> String {
        match self {
            Plan::Vertical { vcpus, memory_gib, monthly, capacity_rps } => format!(
                "one {vcpus}-vCPU box ({memory_gib} GiB) serving up to {} req/s for {} a month",
                group_thousands(*capacity_rps),
                money(*monthly)
            ),
            Plan::Horizontal { nodes, node_vcpus, monthly, capacity_rps } => format!(
                "{} of {} serving up to {} req/s for {} a month",
                count(*nodes as f64, "node", "nodes"),
                count(*node_vcpus as f64, "vCPU", "vCPUs"),
                group_thousands(*capacity_rps),
                money(*monthly)
            ),
            Plan::Impossible { reason } => reason.clone(),
        }
    }
}

/// Which strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    Vertical,
    Horizontal,
}

fn whole(x: f64) -> f64 {
    // Floor to whole req/s; the epsilon keeps 3.0000000001 and 2.9999999999 on the same side.
    (x + 1e-9).floor().max(0.0)
}

fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// x^0.2 ([`FALLOFF_EXPONENT`]) for 0 < x ≤ 1, by Newton's method on y⁵ = x from y = 1, which
/// descends monotonically to the root; it stops when a step no longer lowers y, within an ulp or
/// two of `powf`. (`powf` is the only use of libm's `pow` in the scaling bundles: about 1 KB gzip.)
fn fifth_root(x: f64) -> f64 {
    const _: () = assert!(FALLOFF_EXPONENT == 0.2, "box_rps computes the falloff as a fifth root");
    if !(x > 0.0 && x < 1.0) {
        return if x >= 1.0 { 1.0 } else { 0.0 };
    }
    let mut y: f64 = 1.0;
    for _ in 0..200 {
        let next = 0.8 * y + 0.2 * x / (y * y * y * y);
        if next >= y {
            break;
        }
        y = next;
    }
    y
}

/// Throughput of one box of `vcpus` (floored to whole req/s); see the module docs for `eff`.
pub fn box_rps(p: &ScalingParams, vcpus: u32) -> f64 {
    let p = p.clamped();
    let v = vcpus.max(1) as f64;
    let eff = if v <= KNEE_VCPUS { 1.0 } else { fifth_root(KNEE_VCPUS / v) };
    whole(p.rps_per_vcpu * v * eff)
}

/// Monthly on-demand price of one instance of `vcpus`, with the large-size premium (no
/// operations overhead).
pub fn instance_monthly(p: &ScalingParams, vcpus: u32) -> f64 {
    let p = p.clamped();
    let v = vcpus.max(1) as f64;
    let top = LADDER[LADDER.len() - 1] as f64;
    let premium =
        p.large_premium * crate::stats::clamp((v - PREMIUM_FROM_VCPUS) / (top - PREMIUM_FROM_VCPUS), 0.0, 1.0);
    cents(v * p.price_per_vcpu_hour * HOURS_PER_MONTH * (1.0 + premium))
}

/// The vertical plan for one ladder size (any vCPU count is accepted).
pub fn vertical_plan(p: &ScalingParams, vcpus: u32) -> Plan {
    let p = p.clamped();
    let vcpus = vcpus.max(1);
    Plan::Vertical {
        vcpus,
        memory_gib: vcpus * GIB_PER_VCPU,
        monthly: cents(instance_monthly(&p, vcpus) + p.ops_per_node_monthly),
        capacity_rps: box_rps(&p, vcpus),
    }
}

/// Every size of the ladder as a plan, smallest first (capacity and cost both increase).
pub fn vertical_options(p: &ScalingParams) -> Vec<Plan> {
    LADDER.iter().map(|&v| vertical_plan(p, v)).collect()
}

/// Throughput of a fleet of `nodes` (floored to whole req/s).
pub fn fleet_rps(p: &ScalingParams, nodes: u32) -> f64 {
    let p = p.clamped();
    let node = box_rps(&p, p.node_vcpus);
    whole(node * usl(nodes as f64, p.alpha, p.beta))
}

/// Monthly cost of a fleet of `nodes`: instances, per-node operations and the load balancer.
pub fn fleet_monthly(p: &ScalingParams, nodes: u32) -> f64 {
    let p = p.clamped();
    let per_node = instance_monthly(&p, p.node_vcpus) + p.ops_per_node_monthly;
    cents(nodes as f64 * per_node + p.lb_monthly)
}

/// The horizontal plan with exactly `nodes` nodes (clamped to 1..=[`MAX_NODES`]).
pub fn horizontal_plan(p: &ScalingParams, nodes: u32) -> Plan {
    let p = p.clamped();
    let nodes = nodes.clamp(1, MAX_NODES);
    Plan::Horizontal {
        nodes,
        node_vcpus: p.node_vcpus,
        monthly: fleet_monthly(&p, nodes),
        capacity_rps: fleet_rps(&p, nodes),
    }
}

/// The fleet size with the most throughput (the integer USL peak, at most [`MAX_NODES`]; the
/// smaller one on a tie). Adding nodes beyond it never helps.
pub fn best_fleet_nodes(p: &ScalingParams) -> u32 {
    let p = p.clamped();
    match usl_peak(p.alpha, p.beta) {
        Some(peak) => {
            let lo = (peak.floor() as u32).clamp(1, MAX_NODES);
            let hi = (peak.ceil() as u32).clamp(1, MAX_NODES);
            if fleet_rps(&p, hi) > fleet_rps(&p, lo) {
                hi
            } else {
                lo
            }
        }
        None => {
            // Non-decreasing up to MAX_NODES: the smallest fleet reaching the top capacity.
            let top = fleet_rps(&p, MAX_NODES);
            smallest_fleet_reaching(&p, top, MAX_NODES).unwrap_or(MAX_NODES)
        }
    }
}

/// Smallest n in 1..=limit with fleet_rps(n) ≥ load, given fleet_rps non-decreasing on that range.
fn smallest_fleet_reaching(p: &ScalingParams, load: f64, limit: u32) -> Option<u32> {
    if fleet_rps(p, limit) < load {
        return None;
    }
    let (mut lo, mut hi) = (1u32, limit);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if fleet_rps(p, mid) >= load {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(lo)
}

/// Every useful fleet size as a plan: 1 node up to [`best_fleet_nodes`].
pub fn horizontal_options(p: &ScalingParams) -> Vec<Plan> {
    (1..=best_fleet_nodes(p)).map(|n| horizontal_plan(p, n)).collect()
}

/// The most a single box can serve (the top of the ladder).
pub fn max_vertical_rps(p: &ScalingParams) -> f64 {
    box_rps(p, LADDER[LADDER.len() - 1])
}

/// The most any fleet can serve (at [`best_fleet_nodes`]).
pub fn max_horizontal_rps(p: &ScalingParams) -> f64 {
    fleet_rps(p, best_fleet_nodes(p))
}

fn load_of(load_rps: f64) -> f64 {
    if load_rps.is_nan() {
        0.0
    } else {
        crate::stats::clamp(load_rps, 0.0, 1e12)
    }
}

/// The cheapest single box serving `load_rps`, or why none does.
pub fn cheapest_vertical(p: &ScalingParams, load_rps: f64) -> Plan {
    let p = p.clamped();
    let load = load_of(load_rps);
    let best = vertical_options(&p)
        .into_iter()
        .filter(|plan| plan.capacity_rps().is_some_and(|c| c >= load))
        .min_by(|a, b| a.monthly().unwrap_or(f64::MAX).total_cmp(&b.monthly().unwrap_or(f64::MAX)));
    best.unwrap_or_else(|| Plan::Impossible {
        reason: format!(
            "No single box serves {} req/s: the largest ({} vCPUs) tops out at {} req/s.",
            group_thousands(load),
            LADDER[LADDER.len() - 1],
            group_thousands(max_vertical_rps(&p))
        ),
    })
}

/// The cheapest fleet serving `load_rps` (the smallest one: cost grows with nodes), or why none
/// does.
pub fn cheapest_horizontal(p: &ScalingParams, load_rps: f64) -> Plan {
    let p = p.clamped();
    let load = load_of(load_rps);
    let best = best_fleet_nodes(&p);
    match smallest_fleet_reaching(&p, load, best) {
        Some(n) => horizontal_plan(&p, n),
        None => Plan::Impossible { reason: fleet_limit_sentence(&p, Some(load)) },
    }
}

/// Why a fleet stops growing, as a sentence; with a load, phrased as "no fleet serves X".
fn fleet_limit_sentence(p: &ScalingParams, load: Option<f64>) -> String {
    let best = best_fleet_nodes(p);
    let max = group_thousands(fleet_rps(p, best));
    let lead = match load {
        Some(l) => format!("No fleet serves {} req/s: ", group_thousands(l)),
        None => String::new(),
    };
    let body = if usl_peak(p.alpha, p.beta).is_some() && best < MAX_NODES {
        format!(
            "throughput peaks at {max} req/s with {}; past that, adding nodes lowers it.",
            count(best as f64, "node", "nodes")
        )
    } else if p.beta > 0.0 {
        format!(
            "throughput still rises at the model's limit of {} nodes, {max} req/s.",
            group_thousands(MAX_NODES as f64)
        )
    } else if p.alpha * MAX_NODES as f64 >= 1.0 {
        format!(
            "with no crosstalk, throughput only approaches {}× one node (Amdahl's law): {max} req/s at {}.",
            group_thousands(1.0 / p.alpha),
            count(best as f64, "node", "nodes")
        )
    } else {
        format!(
            "throughput grows (nearly) linearly, up to the model's limit of {} nodes: {max} req/s.",
            group_thousands(MAX_NODES as f64)
        )
    };
    if lead.is_empty() {
        capitalise(&body)
    } else {
        lead + &body
    }
}

/// A range of whole loads `[from_rps, to_rps]` over which the same strategy is cheaper.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Region {
    pub from_rps: f64,
    pub to_rps: f64,
    /// `None` where both cost the same, or neither can serve the load.
    pub cheaper: Option<Strategy>,
}

fn winner(h: Option<f64>, v: Option<f64>) -> Option<Strategy> {
    match (h, v) {
        (Some(h), Some(v)) if h < v => Some(Strategy::Horizontal),
        (Some(h), Some(v)) if v < h => Some(Strategy::Vertical),
        (Some(_), None) => Some(Strategy::Horizontal),
        (None, Some(_)) => Some(Strategy::Vertical),
        _ => None,
    }
}

/// Which strategy is cheaper, for every whole load from 1 req/s to the most either can serve, as
/// maximal runs of the same answer, in order.
///
/// Exact: both cost curves are step functions whose steps sit at the capacities of ladder sizes
/// and of fleets of 1..=[`best_fleet_nodes`] nodes (whole req/s). Between two consecutive
/// breakpoints `(a, b]` both costs are constant, so comparing them at `b` settles every load from
/// `a + 1` to `b`.
pub fn cost_regions(p: &ScalingParams) -> Vec<Region> {
    let p = p.clamped();
    let mut points: Vec<f64> = vertical_options(&p)
        .iter()
        .chain(horizontal_options(&p).iter())
        .filter_map(Plan::capacity_rps)
        .filter(|&c| c >= 1.0)
        .collect();
    crate::sort::floats(&mut points);
    points.dedup();
    let mut regions: Vec<Region> = Vec::new();
    let mut prev = 0.0;
    for b in points {
        let w = winner(cheapest_horizontal(&p, b).monthly(), cheapest_vertical(&p, b).monthly());
        match regions.last_mut() {
            Some(r) if r.cheaper == w => r.to_rps = b,
            _ => regions.push(Region { from_rps: prev + 1.0, to_rps: b, cheaper: w }),
        }
        prev = b;
    }
    regions
}

/// The lowest whole load (req/s) at which the cheapest fleet is strictly cheaper than the cheapest
/// single box (a box that cannot serve the load counts as infinitely expensive); `None` when a
/// fleet never wins. The comparison can flip back and forth above it, as each side adds capacity
/// in steps: see [`cost_regions`] and [`fleet_wins_from`].
pub fn crossover(p: &ScalingParams) -> Option<f64> {
    cost_regions(p).iter().find(|r| r.cheaper == Some(Strategy::Horizontal)).map(|r| r.from_rps)
}

/// The lowest whole load from which a fleet is strictly cheaper at every load up to the most
/// either strategy can serve (the start of the last region, if a fleet wins it); `None` otherwise.
pub fn fleet_wins_from(p: &ScalingParams) -> Option<f64> {
    cost_regions(p).last().filter(|r| r.cheaper == Some(Strategy::Horizontal)).map(|r| r.from_rps)
}

// ---------------------------------------------------------------------------------------------
// The report and chart helpers
// ---------------------------------------------------------------------------------------------

/// Everything the vertical-vs-horizontal widget shows for one set of parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct ScalingReport {
    /// The parameters after clamping.
    pub params: ScalingParams,
    /// The cheapest single box for `target_rps`.
    pub vertical: Plan,
    /// The cheapest fleet for `target_rps`.
    pub horizontal: Plan,
    /// See [`crossover`].
    pub crossover_rps: Option<f64>,
    /// See [`fleet_wins_from`].
    pub fleet_wins_from_rps: Option<f64>,
    /// See [`cost_regions`].
    pub regions: Vec<Region>,
    /// The continuous USL peak, [`usl_peak`] (`None` when beta = 0).
    pub usl_peak_nodes: Option<f64>,
    /// The fleet size with the most throughput ([`best_fleet_nodes`]).
    pub best_fleet_nodes: u32,
    pub max_horizontal_rps: f64,
    pub max_vertical_rps: f64,
    /// Which plan is cheaper at the target; `None` when both are impossible or they cost the same.
    pub cheaper: Option<Strategy>,
    /// The fraction of the dearer plan's cost the cheaper one saves (0 on a tie); `None` unless
    /// both plans are possible.
    pub savings: Option<f64>,
    /// A plain-language readout.
    pub summary: String,
}

/// The cost model at `p.target_rps`.
pub fn analyse(p: &ScalingParams) -> ScalingReport {
    let p = p.clamped();
    let vertical = cheapest_vertical(&p, p.target_rps);
    let horizontal = cheapest_horizontal(&p, p.target_rps);
    let regions = cost_regions(&p);
    let crossover_rps = regions.iter().find(|r| r.cheaper == Some(Strategy::Horizontal)).map(|r| r.from_rps);
    let fleet_wins_from_rps = regions.last().filter(|r| r.cheaper == Some(Strategy::Horizontal)).map(|r| r.from_rps);
    let best = best_fleet_nodes(&p);
    let (max_v, max_h) = (max_vertical_rps(&p), max_horizontal_rps(&p));
    let (cheaper, savings) = match (vertical.monthly(), horizontal.monthly()) {
        (Some(v), Some(h)) if h < v => (Some(Strategy::Horizontal), Some(1.0 - h / v)),
        (Some(v), Some(h)) if v < h => (Some(Strategy::Vertical), Some(1.0 - v / h)),
        (Some(_), Some(_)) => (None, Some(0.0)),
        (Some(_), None) => (Some(Strategy::Vertical), None),
        (None, Some(_)) => (Some(Strategy::Horizontal), None),
        (None, None) => (None, None),
    };

    let t = group_thousands(p.target_rps);
    let mut s = match (&vertical, &horizontal) {
        (Plan::Vertical { vcpus, monthly: v, .. }, Plan::Horizontal { nodes, node_vcpus, monthly: h, .. }) => {
            let verdict = match cheaper {
                Some(Strategy::Horizontal) => format!(
                    "{} {} less",
                    if *nodes == 1 { "the node costs" } else { "the nodes cost" },
                    percent(savings.unwrap_or(0.0))
                ),
                Some(Strategy::Vertical) => format!("the box costs {} less", percent(savings.unwrap_or(0.0))),
                None => "they cost the same".to_string(),
            };
            format!(
                "At {t} req/s one {vcpus}-vCPU box costs {} a month and {} of {} {} {}: {verdict}.",
                money(*v),
                count(*nodes as f64, "node", "nodes"),
                count(*node_vcpus as f64, "vCPU", "vCPUs"),
                if *nodes == 1 { "costs" } else { "cost" },
                money(*h)
            )
        }
        (Plan::Vertical { .. }, _) => format!(
            "At {t} req/s only a single box will do: {}. {}",
            vertical.describe(),
            fleet_limit_sentence(&p, None)
        ),
        (_, Plan::Horizontal { .. }) => format!(
            "At {t} req/s no single box is big enough (the largest, {} vCPUs, tops out at {} req/s): {}.",
            LADDER[LADDER.len() - 1],
            group_thousands(max_v),
            horizontal.describe()
        ),
        _ => format!(
            "Nothing here serves {t} req/s: the largest box tops out at {} req/s and a fleet at {} req/s.",
            group_thousands(max_v),
            group_thousands(max_h)
        ),
    };
    s.push(' ');
    s += &crossover_sentence(&p, &regions);
    if horizontal.is_possible() || !vertical.is_possible() {
        s.push(' ');
        s += &fleet_limit_sentence(&p, None);
    }
    ScalingReport {
        params: p,
        vertical,
        horizontal,
        crossover_rps,
        fleet_wins_from_rps,
        regions,
        usl_peak_nodes: usl_peak(p.alpha, p.beta),
        best_fleet_nodes: best,
        max_horizontal_rps: max_h,
        max_vertical_rps: max_v,
        cheaper,
        savings,
        summary: s,
    }
}

/// Where the cheaper plan changes, as a sentence (or two).
fn crossover_sentence(p: &ScalingParams, regions: &[Region]) -> String {
    let Some(first) = regions.iter().position(|r| r.cheaper == Some(Strategy::Horizontal)) else {
        return "A fleet never beats a single box here: the box is as cheap or cheaper at every load a fleet can \
                serve."
            .to_string();
    };
    let c = regions[first].from_rps;
    let mut s = if c <= 1.0 {
        "A fleet is the cheaper plan from the smallest load".to_string()
    } else {
        let size = match cheapest_vertical(p, c - 1.0) {
            Plan::Vertical { vcpus, .. } => format!(" (up to {vcpus} vCPUs)"),
            _ => String::new(),
        };
        let verdict = if regions[..first].iter().all(|r| r.cheaper == Some(Strategy::Vertical)) {
            "is cheapest"
        } else {
            "is never beaten"
        };
        format!(
            "Up to {} req/s a single box{size} {verdict}; a fleet first wins at {} req/s",
            group_thousands(c - 1.0),
            group_thousands(c)
        )
    };
    let last = regions.len() - 1;
    let flips = last - first;
    if flips == 0 {
        s += " and stays cheaper from there on.";
    } else if regions[last].cheaper == Some(Strategy::Horizontal) {
        s += &format!(
            ", and at every load from {} req/s (in between, the cheaper plan changes hands {} as each side \
             adds capacity in steps).",
            group_thousands(regions[last].from_rps),
            count(flips as f64, "time", "times")
        );
    } else {
        s += &format!(
            ", but not everywhere above it: the cheaper plan changes hands {} as each side adds capacity in \
             steps.",
            count(flips as f64, "time", "times")
        );
    }
    s
}

/// Fleet throughput for 1..=`max_nodes` nodes (at most [`MAX_NODES`]), as `(nodes, req/s)`; the
/// same floored values the plans use. Past [`best_fleet_nodes`] the curve falls when beta > 0.
pub fn throughput_curve(p: &ScalingParams, max_nodes: u32) -> Vec<(f64, f64)> {
    let p = p.clamped();
    (1..=max_nodes.clamp(1, MAX_NODES)).map(|n| (n as f64, fleet_rps(&p, n))).collect()
}

/// The cheapest vertical and horizontal monthly cost at `points` loads evenly spaced over
/// `[0, max_load]` (`points` clamped to 2..=2000, `max_load` to [1, 10⁹], above anything the
/// model can serve); `None` where a strategy
/// cannot serve the load. The curves are exact step functions; for exact steps use
/// [`vertical_options`] and [`horizontal_options`].
#[allow(clippy::type_complexity)]
pub fn cost_curves(
    p: &ScalingParams,
    max_load: f64,
    points: usize,
) -> (Vec<(f64, Option<f64>)>, Vec<(f64, Option<f64>)>) {
    let p = p.clamped();
    let max_load = clamp_f(max_load, (1.0, 1e9));
    let points = points.clamp(2, 2_000);
    let loads = (0..points).map(|i| max_load * i as f64 / (points - 1) as f64);
    loads.map(|l| ((l, cheapest_vertical(&p, l).monthly()), (l, cheapest_horizontal(&p, l).monthly()))).unzip()
}

// ---------------------------------------------------------------------------------------------
// Database levers
// ---------------------------------------------------------------------------------------------

/// A database tier: `shards` partitions, each one primary (all writes, and the reads not sent to
/// replicas) and `read_replicas` replicas, behind a cache. Load is assumed to spread evenly over
/// shards (no hot keys) and over a shard's replicas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DbParams {
    /// Requests per second the application makes (reads + writes), before the cache.
    pub offered_rps: f64,
    /// Share of requests that are reads.
    pub read_fraction: f64,
    /// Share of reads the cache answers.
    pub cache_hit_rate: f64,
    /// Share of the reads reaching the database that may go to a replica (the rest need
    /// read-your-writes and stay on the primary); ignored without replicas.
    pub replica_read_share: f64,
    /// Replicas per shard.
    pub read_replicas: u32,
    pub shards: u32,
    /// What one primary can serve, req/s.
    pub primary_capacity_rps: f64,
    /// What one replica can serve, reads/s.
    pub replica_capacity_rps: f64,
    /// How far replicas trail the primary.
    pub replication_lag_ms: f64,
    /// Total data across all shards.
    pub data_gib: f64,
    /// The shard count a re-sharding would go to (for the cost estimate).
    pub new_shards: u32,
    /// How fast a re-sharding copies data.
    pub reshard_gib_per_hour: f64,
}

impl DbParams {
    /// A read-heavy service with a cache and two replicas; see [`ASSUMPTIONS`].
    pub const ILLUSTRATIVE: DbParams = DbParams {
        offered_rps: 20_000.0,
        read_fraction: 0.9,
        cache_hit_rate: 0.8,
        replica_read_share: 0.8,
        read_replicas: 2,
        shards: 1,
        primary_capacity_rps: 5_000.0,
        replica_capacity_rps: 5_000.0,
        replication_lag_ms: 100.0,
        data_gib: 500.0,
        new_shards: 2,
        reshard_gib_per_hour: 50.0,
    };

    /// Returns the parameters with every field forced into its [`ranges`] (NaN becomes the low
    /// end).
    pub fn clamped(mut self) -> DbParams {
        self.offered_rps = clamp_f(self.offered_rps, ranges::OFFERED_RPS);
        self.read_fraction = clamp_f(self.read_fraction, ranges::READ_FRACTION);
        self.cache_hit_rate = clamp_f(self.cache_hit_rate, ranges::CACHE_HIT_RATE);
        self.replica_read_share = clamp_f(self.replica_read_share, ranges::REPLICA_READ_SHARE);
        self.read_replicas = clamp_u(self.read_replicas, ranges::READ_REPLICAS);
        self.shards = clamp_u(self.shards, ranges::SHARDS);
        self.primary_capacity_rps = clamp_f(self.primary_capacity_rps, ranges::DB_CAPACITY_RPS);
        self.replica_capacity_rps = clamp_f(self.replica_capacity_rps, ranges::DB_CAPACITY_RPS);
        self.replication_lag_ms = clamp_f(self.replication_lag_ms, ranges::REPLICATION_LAG_MS);
        self.data_gib = clamp_f(self.data_gib, ranges::DATA_GIB);
        self.new_shards = clamp_u(self.new_shards, ranges::SHARDS);
        self.reshard_gib_per_hour = clamp_f(self.reshard_gib_per_hour, ranges::RESHARD_GIB_PER_HOUR);
        self
    }
}

impl Default for DbParams {
    fn default() -> Self {
        DbParams::ILLUSTRATIVE
    }
}

/// A tier of the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbTier {
    Primary,
    Replicas,
}

/// The cost of going from `from_shards` to `to_shards`. Illustrative: real migrations also pay
/// for dual writes, verification and the long tail of cross-shard queries.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reshard {
    pub from_shards: u32,
    pub to_shards: u32,
    /// Share of the data that must move with a placement that moves as little as possible
    /// (consistent hashing, or splitting shards): `|new − old| / max(old, new)`; growing 4 → 5
    /// moves 1 − 4/5 = 20 %.
    pub moved_fraction: f64,
    /// Share that moves with naive `hash mod shards` placement: every key whose
    /// `hash mod old ≠ hash mod new` (4 → 5 moves 80 %).
    pub moved_fraction_modulo: f64,
    /// `moved_fraction × data_gib`.
    pub moved_gib: f64,
    /// `moved_gib / reshard_gib_per_hour`.
    pub hours: f64,
    /// The same for modulo placement.
    pub hours_modulo: f64,
}

/// Share of uniformly hashed keys that change shard from `hash mod a` to `hash mod b`.
fn modulo_moved_fraction(a: u32, b: u32) -> f64 {
    let (a, b) = (a.max(1) as u64, b.max(1) as u64);
    let lcm = a / gcd(a, b) * b;
    let stay = (0..lcm).filter(|k| k % a == k % b).count() as f64;
    1.0 - stay / lcm as f64
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The re-sharding estimate for the parameters' `shards → new_shards`.
pub fn reshard(p: &DbParams) -> Reshard {
    let p = p.clamped();
    let (a, b) = (p.shards, p.new_shards);
    let moved_fraction = (a as f64 - b as f64).abs() / a.max(b) as f64;
    let moved_fraction_modulo = modulo_moved_fraction(a, b);
    let moved_gib = moved_fraction * p.data_gib;
    Reshard {
        from_shards: a,
        to_shards: b,
        moved_fraction,
        moved_fraction_modulo,
        moved_gib,
        hours: moved_gib / p.reshard_gib_per_hour,
        hours_modulo: moved_fraction_modulo * p.data_gib / p.reshard_gib_per_hour,
    }
}

/// Where the load goes in a database tier, and whether it fits. Rates in req/s; utilisations are
/// load / capacity (above 1 means overloaded); headrooms are capacity − load (negative when
/// overloaded), across all shards.
#[derive(Clone, Debug, PartialEq)]
pub struct DbReport {
    /// The parameters after clamping.
    pub params: DbParams,
    pub reads_rps: f64,
    pub writes_rps: f64,
    /// Reads the cache answers.
    pub cache_hits_rps: f64,
    /// Load reaching the database: reads × (1 − hit rate) + writes.
    pub db_rps: f64,
    /// `db_rps / offered_rps` (0 with no load).
    pub db_fraction: f64,
    /// Reads served by replicas, all shards.
    pub replica_reads_rps: f64,
    /// Load on primaries, all shards: writes + database reads not sent to replicas.
    pub primary_rps: f64,
    /// Load on one shard's primary.
    pub primary_rps_per_shard: f64,
    /// Load on one replica (0 without replicas).
    pub replica_rps_each: f64,
    /// Capacity of all primaries (`primary_capacity_rps × shards`).
    pub primary_capacity_rps: f64,
    /// Capacity of all replicas (`replica_capacity_rps × read_replicas × shards`).
    pub replica_capacity_rps: f64,
    pub primary_utilisation: f64,
    pub replica_utilisation: f64,
    pub primary_headroom_rps: f64,
    pub replica_headroom_rps: f64,
    /// Every tier at or below 100 %.
    pub fits: bool,
    /// The busiest tier.
    pub bottleneck: DbTier,
    /// The offered load at which the busiest tier reaches 100 % (the mix held fixed); `None` when
    /// nothing reaches the database.
    pub max_offered_rps: Option<f64>,
    /// Reads that may be stale (served by replicas).
    pub stale_reads_rps: f64,
    /// Their share of all reads, cache hits included.
    pub stale_read_fraction: f64,
    /// How stale they may be: the replication lag, or 0 without replicas.
    pub staleness_ms: f64,
    pub reshard: Reshard,
    pub summary: String,
}

/// Follows the load through cache, primaries and replicas.
pub fn db_plan(p: &DbParams) -> DbReport {
    let p = p.clamped();
    let reads = p.offered_rps * p.read_fraction;
    let writes = p.offered_rps - reads;
    let hits = reads * p.cache_hit_rate;
    let db_reads = reads - hits;
    let db_rps = db_reads + writes;
    let db_fraction = if p.offered_rps > 0.0 { db_rps / p.offered_rps } else { 0.0 };
    let shards = p.shards as f64;
    let replicas = (p.read_replicas * p.shards) as f64;
    let replica_reads = if replicas > 0.0 { db_reads * p.replica_read_share } else { 0.0 };
    let primary_rps = db_rps - replica_reads;
    let primary_cap = p.primary_capacity_rps * shards;
    let replica_cap = p.replica_capacity_rps * replicas;
    let primary_util = primary_rps / primary_cap;
    let replica_util = if replicas > 0.0 { replica_reads / replica_cap } else { 0.0 };
    let busiest = primary_util.max(replica_util);
    let bottleneck = if replica_util > primary_util { DbTier::Replicas } else { DbTier::Primary };
    let max_offered_rps = if busiest > 0.0 { Some(p.offered_rps / busiest) } else { None };
    let staleness_ms = if replicas > 0.0 { p.replication_lag_ms } else { 0.0 };
    let stale_read_fraction = if reads > 0.0 { replica_reads / reads } else { 0.0 };
    let rs = reshard(&p);

    let mut s = format!(
        "The cache answers {} of {} req/s; {} req/s ({}) reach the database.",
        group_thousands(hits),
        group_thousands(p.offered_rps),
        group_thousands(db_rps),
        percent(db_fraction)
    );
    s += &format!(
        " {} at {} of capacity ({} of {} req/s)",
        if p.shards == 1 { "The primary runs".to_string() } else { format!("Each of {} primaries runs", p.shards) },
        percent(primary_util),
        group_thousands(primary_rps / shards),
        group_thousands(p.primary_capacity_rps)
    );
    if replicas > 0.0 {
        s += &format!(
            "; each of {} at {}. {} reads/s may be up to {} ms stale.",
            count(replicas, "replica", "replicas"),
            percent(replica_util),
            group_thousands(replica_reads),
            group_thousands(p.replication_lag_ms)
        );
    } else {
        s.push('.');
    }
    s += &match max_offered_rps {
        Some(m) if busiest > 1.0 => format!(
            " It does not fit: the {} would need the offered load down to {} req/s.",
            if bottleneck == DbTier::Primary { "primary" } else { "replicas" },
            group_thousands(m)
        ),
        Some(m) => format!(" It fits, up to about {} req/s offered.", group_thousands(m)),
        None => " Nothing reaches the database.".to_string(),
    };
    if rs.from_shards != rs.to_shards {
        s += &format!(
            " Going from {} to {} shards moves {} of the data ({} GiB, about {} hours) with consistent \
             hashing{}.",
            rs.from_shards,
            rs.to_shards,
            percent(rs.moved_fraction),
            group_thousands(rs.moved_gib),
            group_thousands(rs.hours),
            if (rs.moved_fraction_modulo - rs.moved_fraction).abs() > 1e-9 {
                format!("; naive modulo placement would move {}", percent(rs.moved_fraction_modulo))
            } else {
                String::new()
            }
        );
    }
    DbReport {
        params: p,
        reads_rps: reads,
        writes_rps: writes,
        cache_hits_rps: hits,
        db_rps,
        db_fraction,
        replica_reads_rps: replica_reads,
        primary_rps,
        primary_rps_per_shard: primary_rps / shards,
        replica_rps_each: if replicas > 0.0 { replica_reads / replicas } else { 0.0 },
        primary_capacity_rps: primary_cap,
        replica_capacity_rps: replica_cap,
        primary_utilisation: primary_util,
        replica_utilisation: replica_util,
        primary_headroom_rps: primary_cap - primary_rps,
        replica_headroom_rps: replica_cap - replica_reads,
        fits: busiest <= 1.0,
        bottleneck,
        max_offered_rps,
        stale_reads_rps: replica_reads,
        stale_read_fraction,
        staleness_ms,
        reshard: rs,
        summary: s,
    }
}

// ---------------------------------------------------------------------------------------------
// When vertical wins: the recommendation
// ---------------------------------------------------------------------------------------------

/// What limits the system today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bottleneck {
    /// Stateless work burning CPU.
    CpuBound,
    /// The working set must sit in memory.
    MemoryBound,
    /// Waiting on disk or on remote calls.
    IoBound,
    /// Locks, counters, a shared cache line: every node must agree with every other.
    SharedStateContention,
    /// Everything goes through one database server.
    SingleNodeDatabase,
}

impl Bottleneck {
    pub const ALL: [Bottleneck; 5] = [
        Bottleneck::CpuBound,
        Bottleneck::MemoryBound,
        Bottleneck::IoBound,
        Bottleneck::SharedStateContention,
        Bottleneck::SingleNodeDatabase,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Bottleneck::CpuBound => "CPU-bound",
            Bottleneck::MemoryBound => "memory-bound",
            Bottleneck::IoBound => "I/O-bound",
            Bottleneck::SharedStateContention => "shared-state contention",
            Bottleneck::SingleNodeDatabase => "single-node database",
        }
    }
}

/// Where the company is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    EarlyStartup,
    Growing,
    Large,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::EarlyStartup, Stage::Growing, Stage::Large];

    pub fn label(self) -> &'static str {
        match self {
            Stage::EarlyStartup => "early startup",
            Stage::Growing => "growing",
            Stage::Large => "large",
        }
    }
}

/// The lever to pull first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lever {
    ScaleUp,
    ScaleOut,
    AddCache,
    ReadReplicas,
    Shard,
    Autoscale,
}

impl Lever {
    pub const ALL: [Lever; 6] =
        [Lever::ScaleUp, Lever::ScaleOut, Lever::AddCache, Lever::ReadReplicas, Lever::Shard, Lever::Autoscale];

    pub fn label(self) -> &'static str {
        match self {
            Lever::ScaleUp => "scale up",
            Lever::ScaleOut => "scale out",
            Lever::AddCache => "add a cache",
            Lever::ReadReplicas => "add read replicas",
            Lever::Shard => "shard",
            Lever::Autoscale => "autoscale",
        }
    }
}

/// The situation a reader describes. The cost model's ladder and fleet stand in for whatever box
/// the bottleneck runs on (for a database, its server).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Situation {
    pub bottleneck: Bottleneck,
    pub stage: Stage,
    /// Engineers who would build and run the system.
    pub team_size: u32,
    /// The peak load the bottleneck must serve.
    pub load_rps: f64,
    /// Peak load over average load (1 = flat).
    pub peak_to_average: f64,
    /// Must survive losing a machine.
    pub needs_high_availability: bool,
    /// Share of requests that are reads (matters for a database bottleneck).
    pub read_fraction: f64,
}

impl Situation {
    /// A growing company with a CPU-bound stateless tier.
    pub const EXAMPLE: Situation = Situation {
        bottleneck: Bottleneck::CpuBound,
        stage: Stage::Growing,
        team_size: 8,
        load_rps: 8_000.0,
        peak_to_average: 2.0,
        needs_high_availability: true,
        read_fraction: 0.9,
    };

    /// Returns the situation with every field forced into its [`ranges`] (NaN becomes the low
    /// end).
    pub fn clamped(mut self) -> Situation {
        self.team_size = clamp_u(self.team_size, ranges::TEAM_SIZE);
        self.load_rps = clamp_f(self.load_rps, ranges::TARGET_RPS);
        self.peak_to_average = clamp_f(self.peak_to_average, ranges::PEAK_TO_AVERAGE);
        self.read_fraction = clamp_f(self.read_fraction, ranges::READ_FRACTION);
        self
    }
}

impl Default for Situation {
    fn default() -> Self {
        Situation::EXAMPLE
    }
}

/// The lever to pull first, why, and the two capacity plans for the situation's load (without
/// redundancy; high-availability costs are in the reasons).
#[derive(Clone, Debug, PartialEq)]
pub struct Recommendation {
    pub lever: Lever,
    pub headline: String,
    /// Plain sentences, with numbers from the cost model.
    pub reasons: Vec<String>,
    pub vertical: Plan,
    pub horizontal: Plan,
}

/// Picks the first lever for a situation. The rules, in order:
///
/// 1. **Single-node database.** Scale the database box up while the ladder reaches the load: a
///    bigger server changes no query, transaction or consistency guarantee. Past the ladder, if
///    the writes alone outgrow the largest box, shard (replicas replay every write, so they
///    cannot help); otherwise a read-heavy mix (reads ≥ [`READ_HEAVY`]) gets read replicas and a
///    write-heavy one is sharded. Sharding comes last because it touches every query that spans
///    keys.
/// 2. **Shared-state contention.** Scale up while the ladder reaches the load: the USL's beta
///    term makes a fleet coordinate every pair of nodes, so past the peak more nodes serve less.
///    Beyond the ladder, partition the shared state (shard) — that is what lowers beta.
/// 3. **Memory-bound.** Scale up while a box holds it (up to 768 GiB); beyond, partition the
///    working set (shard). A fleet of identical nodes does not add memory per request.
/// 4. **I/O-bound.** Add a cache: more vCPUs, on one box or many, do not make a disk or a remote
///    call faster; not doing the I/O does.
/// 5. **CPU-bound (stateless).** In order: an early-stage company or a team under
///    [`SMALL_TEAM`] engineers scales up while the ladder reaches the load (one box is the
///    cheapest thing to run and to reason about); a peak-to-average ratio of at least
///    [`AUTOSCALE_PEAK_RATIO`] autoscales a fleet; if only one plan reaches the load, that one;
///    otherwise the cheaper plan wins — with high availability, two boxes (active and standby)
///    against a fleet with one spare node (N + 1), so both survive losing a machine.
pub fn recommend(s: &Situation, p: &ScalingParams) -> Recommendation {
    let s = s.clamped();
    let p = ScalingParams { target_rps: s.load_rps, ..p.clamped() };
    let load = s.load_rps;
    let vertical = cheapest_vertical(&p, load);
    let horizontal = cheapest_horizontal(&p, load);
    let max_v = max_vertical_rps(&p);
    let top = LADDER[LADDER.len() - 1];
    let l = group_thousands(load);
    let mut reasons = Vec::new();
    let ha_box = |reasons: &mut Vec<String>, what: &str| {
        if let Some(m) = vertical.monthly() {
            if s.needs_high_availability {
                reasons.push(format!(
                    "High availability means a standby {what} of the same size, ready to take over: \
                     about {} a month for the pair.",
                    money(2.0 * m)
                ));
            }
        }
    };

    let (lever, headline) = match s.bottleneck {
        Bottleneck::SingleNodeDatabase => {
            let writes = load * (1.0 - s.read_fraction);
            let reads = load - writes;
            if vertical.is_possible() {
                reasons.push(format!("At {l} req/s, {}.", vertical.describe()));
                reasons.push(
                    "A bigger database server is a restart, not a redesign: no query, transaction or \
                     consistency guarantee changes."
                        .to_string(),
                );
                ha_box(&mut reasons, "server");
                reasons.push(format!(
                    "When reads outgrow it, add read replicas; shard last, past the largest box ({} req/s), \
                     because sharding touches every query that spans keys.",
                    group_thousands(max_v)
                ));
                (Lever::ScaleUp, "Buy a bigger database server first".to_string())
            } else if writes > max_v {
                let k = (writes / max_v).ceil().max(2.0);
                reasons.push(format!(
                    "Writes alone are {} req/s and the largest box ({top} vCPUs) serves {} req/s: at least \
                     {} shards are needed.",
                    group_thousands(writes),
                    group_thousands(max_v),
                    group_thousands(k)
                ));
                reasons.push(
                    "Read replicas cannot help: every replica replays every write the primary takes.".to_string(),
                );
                reasons.push(
                    "Choose a shard key that keeps most queries on one shard, and place keys with consistent \
                     hashing so the next re-sharding moves as little data as possible."
                        .to_string(),
                );
                (Lever::Shard, "Shard: the writes outgrow the largest server".to_string())
            } else if s.read_fraction >= READ_HEAVY {
                let offload = (load - max_v).max(0.0);
                let k = (offload / max_v).ceil().max(1.0);
                reasons.push(format!(
                    "Reads are {} of {l} req/s; the largest box serves {} req/s, so at least {} req/s of \
                     reads must go elsewhere: {} of the largest size.",
                    percent(s.read_fraction),
                    group_thousands(max_v),
                    group_thousands(offload),
                    count(k, "read replica", "read replicas")
                ));
                reasons.push(format!(
                    "The price is staleness: replica reads trail the primary by the replication lag, so \
                     read-your-own-writes paths must stay on the primary ({} req/s of reads in all).",
                    group_thousands(reads)
                ));
                reasons.push(
                    "A cache in front of the database is often cheaper still for hot keys, and it removes load \
                     from every tier."
                        .to_string(),
                );
                (Lever::ReadReplicas, "Add read replicas: the reads outgrow the largest server".to_string())
            } else {
                reasons.push(format!(
                    "No single server serves {l} req/s (the largest tops out at {} req/s), and writes are {} \
                     of the traffic: replicas would not relieve the primary.",
                    group_thousands(max_v),
                    percent(1.0 - s.read_fraction)
                ));
                reasons.push(
                    "Sharding splits writes as well as reads; choose a key that keeps most queries on one shard."
                        .to_string(),
                );
                (Lever::Shard, "Shard: a write-heavy database past the largest server".to_string())
            }
        }
        Bottleneck::SharedStateContention => {
            reasons.push(format!(
                "Shared state makes every node coordinate with every other one (the USL's beta = {}). {}",
                trim_float(p.beta),
                fleet_limit_sentence(&p, None)
            ));
            if vertical.is_possible() {
                reasons.push(format!("At {l} req/s, {}.", vertical.describe()));
                reasons.push(
                    "On one box the shared state lives in one memory: a lock costs nanoseconds, not a network \
                     round trip."
                        .to_string(),
                );
                ha_box(&mut reasons, "box");
                reasons.push(
                    "Meanwhile shrink what is shared (finer locks, batched updates, per-node counters): that \
                     lowers beta and makes scaling out possible later."
                        .to_string(),
                );
                (Lever::ScaleUp, "Scale up, and attack the contention: more nodes make it worse".to_string())
            } else {
                reasons.push(vertical.describe());
                reasons.push(
                    "Partition the shared state so each partition coordinates only within itself: that is what \
                     lowers beta, and then each partition can grow on its own."
                        .to_string(),
                );
                (Lever::Shard, "Partition the shared state: no single box is big enough".to_string())
            }
        }
        Bottleneck::MemoryBound => {
            if let Plan::Vertical { memory_gib, .. } = &vertical {
                reasons.push(format!("At {l} req/s, {}.", vertical.describe()));
                reasons.push(format!(
                    "A memory-bound working set needs memory on one box: the ladder goes up to {} GiB \
                     ({memory_gib} GiB at this size), and a fleet of identical nodes gives each request no more.",
                    top * GIB_PER_VCPU
                ));
                if let Some(h) = horizontal.monthly() {
                    if let Some(v) = vertical.monthly().filter(|&v| h < v) {
                        reasons.push(format!(
                            "A fleet would be {} cheaper only if the data can be partitioned so each node holds \
                             a slice of it.",
                            percent(1.0 - h / v)
                        ));
                    }
                }
                ha_box(&mut reasons, "box");
                (Lever::ScaleUp, "Scale up: buy memory where the data is".to_string())
            } else {
                reasons.push(vertical.describe());
                reasons
                    .push("Partition the working set so each node holds a slice that fits in its memory.".to_string());
                (Lever::Shard, "Partition the data: it outgrows the largest box".to_string())
            }
        }
        Bottleneck::IoBound => {
            reasons.push(
                "More vCPUs, on one box or many, do not make a disk or a remote call faster: the box is \
                 waiting, not working."
                    .to_string(),
            );
            reasons.push(
                "A cache answering 90% of reads removes 90% of that I/O; with a 90%-read mix the database \
                 sees 19% of the traffic."
                    .to_string(),
            );
            let bought: Vec<String> = [&vertical, &horizontal]
                .into_iter()
                .filter(|plan| plan.is_possible())
                .map(|plan| plan.describe())
                .collect();
            if !bought.is_empty() {
                reasons.push(format!("Buying CPU instead would mean {}.", bought.join(", or ")));
            }
            (Lever::AddCache, "Add a cache: the box is waiting, not working".to_string())
        }
        Bottleneck::CpuBound => cpu_bound(&s, &p, &vertical, &horizontal, &mut reasons),
    };
    Recommendation { lever, headline, reasons, vertical, horizontal }
}

/// Rule 5 of [`recommend`]: a stateless, CPU-bound tier.
fn cpu_bound(
    s: &Situation,
    p: &ScalingParams,
    vertical: &Plan,
    horizontal: &Plan,
    reasons: &mut Vec<String>,
) -> (Lever, String) {
    let l = group_thousands(s.load_rps);
    let small = s.stage == Stage::EarlyStartup || s.team_size < SMALL_TEAM;
    let (v, h) = (vertical.monthly(), horizontal.monthly());
    if small && vertical.is_possible() {
        reasons.push(format!("At {l} req/s, {}.", vertical.describe()));
        match (v, h) {
            (Some(v), Some(h)) if h < v => reasons.push(format!(
                "A fleet ({}) would save {} ({} a month), but it brings a load balancer, rolling deploys and \
                 more machines to patch and watch: with a team of {} at this stage, their time is worth more.",
                horizontal.describe(),
                percent(1.0 - h / v),
                money(v - h),
                s.team_size
            )),
            _ => reasons.push("It is also the cheaper plan at this load.".to_string()),
        }
        if let Some(m) = v.filter(|_| s.needs_high_availability) {
            reasons.push(format!(
                "For availability, keep a standby box of the same size: about {} a month for the pair.",
                money(2.0 * m)
            ));
        }
        if s.peak_to_average >= AUTOSCALE_PEAK_RATIO {
            reasons.push(format!(
                "With a peak {}× the average, autoscaling a fleet becomes worth it once the team can run one.",
                trim_float(s.peak_to_average)
            ));
        }
        return (Lever::ScaleUp, "Scale up: one bigger box is the simplest thing that works".to_string());
    }

    if s.peak_to_average >= AUTOSCALE_PEAK_RATIO && horizontal.is_possible() {
        let avg = s.load_rps / s.peak_to_average;
        let at_avg = cheapest_horizontal(p, avg);
        reasons.push(format!(
            "The peak is {}× the average: a fleet sized for the peak ({}) idles most of the day.",
            trim_float(s.peak_to_average),
            horizontal.describe()
        ));
        if let (Plan::Horizontal { nodes, monthly, .. }, Some(hm)) = (&at_avg, h) {
            reasons.push(format!(
                "At the average load ({} req/s) {} would do for {} a month; following the load, the bill lands \
                 between that and {}, depending on how fast the fleet can grow.",
                group_thousands(avg),
                count(*nodes as f64, "node", "nodes"),
                money(*monthly),
                money(hm)
            ));
        }
        reasons.push(
            "Scale on a leading signal (CPU or queue depth) and keep a floor of nodes for the first minutes of a \
             spike."
                .to_string(),
        );
        return (Lever::Autoscale, "Autoscale a fleet: the load swings too much to buy for the peak".to_string());
    }

    match (v, h) {
        (None, Some(_)) => {
            reasons.push(vertical.describe());
            reasons.push(format!("A fleet does it: {}.", horizontal.describe()));
            (Lever::ScaleOut, "Scale out: no single box is big enough".to_string())
        }
        (Some(_), None) => {
            reasons.push(horizontal.describe());
            reasons.push(format!("One box still does it: {}.", vertical.describe()));
            (Lever::ScaleUp, "Scale up: the fleet has hit its contention ceiling".to_string())
        }
        (None, None) => {
            reasons.push(vertical.describe());
            reasons.push(horizontal.describe());
            reasons.push(
                "Make each request cheaper (profile, cache results) or reduce what nodes share before buying \
                 anything."
                    .to_string(),
            );
            (Lever::ScaleOut, format!("Nothing here serves {l} req/s: make the work cheaper first"))
        }
        (Some(v), Some(h)) => {
            reasons.push(format!("At {l} req/s, {}.", vertical.describe()));
            reasons.push(format!("Or {}.", horizontal.describe()));
            reasons.push(crossover_sentence(p, &cost_regions(p)));
            let (v_cost, h_cost) = if s.needs_high_availability {
                let spare = match horizontal {
                    Plan::Horizontal { nodes, .. } => fleet_monthly(p, nodes + 1),
                    _ => h,
                };
                reasons.push(format!(
                    "To survive losing a machine: two boxes (active and standby) cost {} a month, a fleet with one \
                     spare node {}.",
                    money(2.0 * v),
                    money(spare)
                ));
                (2.0 * v, spare)
            } else {
                (v, h)
            };
            if h_cost < v_cost {
                reasons.push(format!("The fleet saves {} of the cost.", percent(1.0 - h_cost / v_cost)));
                (Lever::ScaleOut, "Scale out: past the crossover, a fleet is cheaper".to_string())
            } else {
                reasons.push(format!(
                    "The box saves {} of the cost, and one machine is simpler to run.",
                    percent(1.0 - v_cost / h_cost)
                ));
                (Lever::ScaleUp, "Scale up: one bigger box is still the cheaper plan".to_string())
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

/// `x` rounded to a whole number with thousands separators ("12,345"); "0" for NaN, "∞" beyond
/// ±10¹⁵.
pub fn group_thousands(x: f64) -> String {
    if x.is_nan() {
        return "0".to_string();
    }
    if x.abs() >= 1e15 {
        return if x > 0.0 { "∞" } else { "-∞" }.to_string();
    }
    let r = x.round();
    let digits = format!("{}", r.abs() as u64);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if r < 0.0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Dollars, whole, with separators: "$1,234".
pub fn money(x: f64) -> String {
    let s = group_thousands(x);
    match s.strip_prefix('-') {
        Some(rest) => format!("-${rest}"),
        None => format!("${s}"),
    }
}

/// A fraction as a whole percentage: 0.314 → "31%".
pub fn percent(f: f64) -> String {
    format!("{}%", group_thousands(f * 100.0))
}

fn count(n: f64, one: &str, many: &str) -> String {
    let g = group_thousands(n);
    if g == "1" {
        format!("1 {one}")
    } else {
        format!("{g} {many}")
    }
}

/// A parameter for prose: up to 6 decimals, trailing zeros dropped (0.00002, 0.05, 3).
fn trim_float(x: f64) -> String {
    crate::spec::format_number(x)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods)] // std's powf is the reference here; tests never reach a wasm bundle
    fn fifth_root_matches_powf() {
        let mut x = 1e-12;
        while x < 1.0 {
            let (ours, std) = (fifth_root(x), x.powf(0.2));
            assert!((ours / std - 1.0).abs() < 4.0 * f64::EPSILON, "{x}: {ours} vs {std}");
            x *= 1.013;
        }
        assert_eq!((fifth_root(1.0), fifth_root(2.0), fifth_root(0.0), fifth_root(f64::NAN)), (1.0, 1.0, 0.0, 0.0));
        // Every size a plan can use gets the throughput the powf formula gives.
        let p = ScalingParams::default();
        for v in (1..=1_024).chain(LADDER) {
            let eff = if v as f64 <= KNEE_VCPUS { 1.0 } else { (KNEE_VCPUS / v as f64).powf(FALLOFF_EXPONENT) };
            assert_eq!(box_rps(&p, v), whole(p.clamped().rps_per_vcpu * v as f64 * eff), "{v} vCPUs");
        }
    }

    #[test]
    fn formatting() {
        assert_eq!(group_thousands(0.0), "0");
        assert_eq!(group_thousands(999.4), "999");
        assert_eq!(group_thousands(1_000.0), "1,000");
        assert_eq!(group_thousands(1_234_567.0), "1,234,567");
        assert_eq!(group_thousands(-4_200.0), "-4,200");
        assert_eq!(group_thousands(f64::NAN), "0");
        assert_eq!(money(1_151.4), "$1,151");
        assert_eq!(percent(0.314), "31%");
        assert_eq!(trim_float(0.00002), "0.00002");
        assert_eq!(trim_float(3.0), "3");
    }

    #[test]
    fn modulo_moves() {
        assert!((modulo_moved_fraction(4, 5) - 0.8).abs() < 1e-12);
        assert_eq!(modulo_moved_fraction(4, 4), 0.0);
        assert!((modulo_moved_fraction(2, 4) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn ladder_is_monotone() {
        let p = ScalingParams::ILLUSTRATIVE;
        let opts = vertical_options(&p);
        for w in opts.windows(2) {
            assert!(w[0].capacity_rps() < w[1].capacity_rps());
            assert!(w[0].monthly() < w[1].monthly());
        }
    }
}
