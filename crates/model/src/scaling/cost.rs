//! The cost model: the vertical ladder and its prices, fleets and theirs, the cheapest plan for
//! a load, the crossover between them, the widget's report and its chart curves (the formulas are
//! in the [module docs](super)); and the number formatting the closed-form models share.

use super::usl::{usl, usl_peak};
use super::{clamp_f, clamp_u, ranges};
use crate::fmt::{grouped, money, percent, plural};
use crate::note::{Facts, Readout};
use crate::spec::{range, State, WidgetSpec};
use crate::value;

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

/// The dated assumptions behind [`ScalingParams::ILLUSTRATIVE`].
pub const ASSUMPTIONS: &str = "Illustrative prices, November 2026: general-purpose on-demand cloud \
instances at about $0.045 per vCPU-hour with 4 GiB of memory per vCPU, billed 730 hours a month; \
the largest sizes carry a premium that grows from nothing at 64 vCPUs to +50% at 192 vCPUs; a \
managed load balancer at about $25 a month; $120 a month per machine of operational overhead \
(patching, monitoring, on-call and tooling time). Throughput: 100 req/s per vCPU, linear up to 32 \
vCPUs, then each doubling of cores gives about 1.74x (memory bandwidth, lock contention). Fleet \
contention: alpha = 0.01, beta = 0.00002 (a mostly stateless web tier). None of these is a quote \
from any provider; change them to your own numbers.";

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
                grouped(*capacity_rps),
                money(*monthly)
            ),
            Plan::Horizontal { nodes, node_vcpus, monthly, capacity_rps } => format!(
                "{} of {} serving up to {} req/s for {} a month",
                plural(*nodes as f64, "node", "nodes"),
                plural(*node_vcpus as f64, "vCPU", "vCPUs"),
                grouped(*capacity_rps),
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

/// Throughput of one box of `vcpus` (floored to whole req/s); see the module docs for `eff`.
pub fn box_rps(p: &ScalingParams, vcpus: u32) -> f64 {
    let p = p.clamped();
    let v = vcpus.max(1) as f64;
    let eff = if v <= KNEE_VCPUS { 1.0 } else { crate::num::fifth_root(KNEE_VCPUS / v) };
    whole(p.rps_per_vcpu * v * eff)
}

/// Monthly on-demand price of one instance of `vcpus`, with the large-size premium (no
/// operations overhead).
pub fn instance_monthly(p: &ScalingParams, vcpus: u32) -> f64 {
    let p = p.clamped();
    let v = vcpus.max(1) as f64;
    let top = LADDER[LADDER.len() - 1] as f64;
    let premium = p.large_premium * crate::num::clamp((v - PREMIUM_FROM_VCPUS) / (top - PREMIUM_FROM_VCPUS), 0.0, 1.0);
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
        crate::num::clamp(load_rps, 0.0, 1e12)
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
            grouped(load),
            LADDER[LADDER.len() - 1],
            grouped(max_vertical_rps(&p))
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
pub(super) fn fleet_limit_sentence(p: &ScalingParams, load: Option<f64>) -> String {
    let best = best_fleet_nodes(p);
    let max = grouped(fleet_rps(p, best));
    let lead = match load {
        Some(l) => format!("No fleet serves {} req/s: ", grouped(l)),
        None => String::new(),
    };
    let body = if usl_peak(p.alpha, p.beta).is_some() && best < MAX_NODES {
        format!(
            "throughput peaks at {max} req/s with {}; past that, adding nodes lowers it.",
            plural(best as f64, "node", "nodes")
        )
    } else if p.beta > 0.0 {
        format!("throughput still rises at the model's limit of {} nodes, {max} req/s.", grouped(MAX_NODES as f64))
    } else if p.alpha * MAX_NODES as f64 >= 1.0 {
        format!(
            "with no crosstalk, throughput only approaches {}× one node (Amdahl's law): {max} req/s at {}.",
            grouped(1.0 / p.alpha),
            plural(best as f64, "node", "nodes")
        )
    } else {
        format!(
            "throughput grows (nearly) linearly, up to the model's limit of {} nodes: {max} req/s.",
            grouped(MAX_NODES as f64)
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
    crate::num::sort::floats(&mut points);
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

    let t = grouped(p.target_rps);
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
                plural(*nodes as f64, "node", "nodes"),
                plural(*node_vcpus as f64, "vCPU", "vCPUs"),
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
            grouped(max_v),
            horizontal.describe()
        ),
        _ => format!(
            "Nothing here serves {t} req/s: the largest box tops out at {} req/s and a fleet at {} req/s.",
            grouped(max_v),
            grouped(max_h)
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
pub(super) fn crossover_sentence(p: &ScalingParams, regions: &[Region]) -> String {
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
            grouped(c - 1.0),
            grouped(c)
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
            grouped(regions[last].from_rps),
            plural(flips as f64, "time", "times")
        );
    } else {
        s += &format!(
            ", but not everywhere above it: the cheaper plan changes hands {} as each side adds capacity in \
             steps.",
            plural(flips as f64, "time", "times")
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

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

// `box_rps` computes the falloff as a fifth root.
const _: () = assert!(FALLOFF_EXPONENT == 0.2, "box_rps computes the falloff as a fifth root");

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

/// Vertical vs horizontal cost and the Universal Scalability Law.
pub const SCALING_COST: WidgetSpec = WidgetSpec {
    name: "scaling-cost",
    about: crate::note::About {
        question: "Is one bigger machine or a fleet of smaller ones cheaper at this load?",
        assumptions: &[(ASSUMPTIONS, "November 2026")],
        sources: &[
            "Neil J. Gunther, Guerrilla Capacity Planning (2007): the Universal Scalability Law",
            "Gene M. Amdahl, Validity of the single processor approach to achieving large scale computing capabilities (1967)",
        ],
    },
    reserve_rem: 50.5,
    hot: false,
    title: "Scaling cost",
    params: &[
        range("load", "Target load", 100.0, 200_000.0, 100.0, 8_000.0, "req/s"),
        range("alpha", "Contention α", 0.0, 0.5, 0.005, 0.01, ""),
        range("beta", "Coherency β", 0.0, 0.01, 0.00001, 0.00002, ""),
        range("price", "Price per vCPU-hour", 0.01, 0.2, 0.005, 0.045, "$"),
        range("premium", "Premium on the largest sizes", 0.0, 1.0, 0.05, 0.5, ""),
    ],
    presets: &[],
};

/// What the widget shows for a report: the verdict and its key numbers (the page's readouts and
/// the decision note's list).
pub fn cost_facts(r: &ScalingReport) -> Facts {
    Facts {
        verdict: r.summary.clone(),
        readouts: vec![
            Readout::new("vertical", "Cheapest single machine", r.vertical.describe()).wide(),
            Readout::new("horizontal", "Cheapest fleet", r.horizontal.describe()).wide(),
            Readout::new(
                "peak",
                "USL peak",
                r.usl_peak_nodes.map_or("none (β = 0)".into(), |n| format!("{} nodes", grouped(n.round()))),
            ),
            Readout::new("max-h", "Fleet maximum", format!("{} req/s", grouped(r.max_horizontal_rps))),
            Readout::new("max-v", "Largest box maximum", format!("{} req/s", grouped(r.max_vertical_rps))),
            Readout::new(
                "wins-from",
                "Fleet always cheaper from",
                r.fleet_wins_from_rps.map_or("never".into(), |x| format!("{} req/s", grouped(x))),
            ),
        ],
        run: Vec::new(),
    }
}

/// Scaling-cost parameters for a state (the rest from the illustrative preset).
pub fn scaling_params(state: &State) -> ScalingParams {
    ScalingParams {
        target_rps: value!(SCALING_COST, state, "load"),
        alpha: value!(SCALING_COST, state, "alpha"),
        beta: value!(SCALING_COST, state, "beta"),
        price_per_vcpu_hour: value!(SCALING_COST, state, "price"),
        large_premium: value!(SCALING_COST, state, "premium"),
        ..ScalingParams::ILLUSTRATIVE
    }
    .clamped()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods)] // std's powf is the reference here; tests never reach a wasm bundle
    fn falloff_matches_powf() {
        // Every size a plan can use gets the throughput the powf formula gives.
        let p = ScalingParams::default();
        for v in (1..=1_024).chain(LADDER) {
            let eff = if v as f64 <= KNEE_VCPUS { 1.0 } else { (KNEE_VCPUS / v as f64).powf(FALLOFF_EXPONENT) };
            assert_eq!(box_rps(&p, v), whole(p.clamped().rps_per_vcpu * v as f64 * eff), "{v} vCPUs");
        }
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
