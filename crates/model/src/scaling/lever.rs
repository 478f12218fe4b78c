//! When vertical wins: the rule-based recommendation of the lever to pull first, with numbers
//! from the cost model.

use super::cost::{
    cheapest_horizontal, cheapest_vertical, cost_regions, crossover_sentence, fleet_limit_sentence, fleet_monthly,
    max_vertical_rps, Plan, ScalingParams, GIB_PER_VCPU, LADDER,
};
use super::{clamp_f, clamp_u, ranges};
use crate::fmt::{grouped, money, number, percent};
use crate::note::{Facts, Readout};
use crate::spec::{choice, labelled, range, toggle, State, WidgetSpec};
use crate::value;

/// Peak-to-average ratio from which [`recommend`] suggests autoscaling a stateless tier.
pub const AUTOSCALE_PEAK_RATIO: f64 = 3.0;
/// Below this many engineers, [`recommend`] treats a team like an early-stage one.
pub const SMALL_TEAM: u32 = 4;
/// Reads at least this share of the traffic make a workload "read-heavy" in [`recommend`].
pub const READ_HEAVY: f64 = 0.5;

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
    let l = grouped(load);
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
                    grouped(max_v)
                ));
                (Lever::ScaleUp, "Buy a bigger database server first".to_string())
            } else if writes > max_v {
                let k = (writes / max_v).ceil().max(2.0);
                reasons.push(format!(
                    "Writes alone are {} req/s and the largest box ({top} vCPUs) serves {} req/s: at least \
                     {} shards are needed.",
                    grouped(writes),
                    grouped(max_v),
                    grouped(k)
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
                    grouped(max_v),
                    grouped(offload),
                    crate::fmt::plural(k, "read replica", "read replicas")
                ));
                reasons.push(format!(
                    "The price is staleness: replica reads trail the primary by the replication lag, so \
                     read-your-own-writes paths must stay on the primary ({} req/s of reads in all).",
                    grouped(reads)
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
                    grouped(max_v),
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
                number(p.beta),
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
    let l = grouped(s.load_rps);
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
                number(s.peak_to_average)
            ));
        }
        return (Lever::ScaleUp, "Scale up: one bigger box is the simplest thing that works".to_string());
    }

    if s.peak_to_average >= AUTOSCALE_PEAK_RATIO && horizontal.is_possible() {
        let avg = s.load_rps / s.peak_to_average;
        let at_avg = cheapest_horizontal(p, avg);
        reasons.push(format!(
            "The peak is {}× the average: a fleet sized for the peak ({}) idles most of the day.",
            number(s.peak_to_average),
            horizontal.describe()
        ));
        if let (Plan::Horizontal { nodes, monthly, .. }, Some(hm)) = (&at_avg, h) {
            reasons.push(format!(
                "At the average load ({} req/s) {} would do for {} a month; following the load, the bill lands \
                 between that and {}, depending on how fast the fleet can grow.",
                grouped(avg),
                crate::fmt::plural(*nodes as f64, "node", "nodes"),
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
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

const BOTTLENECKS: &[&str] = &["cpu", "memory", "io", "contention", "database"];
const STAGES: &[&str] = &["early", "growing", "large"];
/// Which scaling lever fits a situation.
pub const SCALING_LEVER: WidgetSpec = WidgetSpec {
    name: "scaling-lever",
    about: crate::note::About {
        question: "When load outgrows this service, which lever do we pull first: a bigger box, more boxes, a cache, \
                   read replicas, shards or autoscaling?",
        assumptions: &[(super::cost::ASSUMPTIONS, "November 2026")],
        sources: &[
            "Neil J. Gunther, Guerrilla Capacity Planning (2007): the Universal Scalability Law",
            "Gene M. Amdahl, Validity of the single processor approach to achieving large scale computing capabilities (1967)",
            "Martin Kleppmann, Designing Data-Intensive Applications (2017): replication and partitioning",
        ],
    },
    reserve_rem: 30.5,
    hot: false,
    title: "Which scaling lever?",
    params: &[
        labelled(
            choice("bottleneck", "The bottleneck", BOTTLENECKS, 0),
            &["CPU-bound", "Memory-bound", "I/O-bound", "Contention on shared state", "A single-node database"],
        ),
        labelled(choice("stage", "Company stage", STAGES, 0), &["Early startup", "Growing", "Large"]),
        range("team", "Engineers on the team", 1.0, 500.0, 1.0, 8.0, ""),
        range("load", "Peak load", 100.0, 200_000.0, 100.0, 5_000.0, "req/s"),
        range("peak", "Peak-to-average ratio", 1.0, 20.0, 0.5, 2.0, "×"),
        toggle("ha", "Must survive losing a machine", false),
    ],
    presets: &[],
};

/// What the scaling-lever widget shows: the headline with its reasons, and the two capacity plans.
/// The page shows the reasons as a list under the headline; the note runs them on after it.
pub fn lever_facts(r: &Recommendation) -> Facts {
    let mut verdict = format!("{}.", r.headline);
    for reason in &r.reasons {
        verdict.push(' ');
        verdict.push_str(reason);
    }
    Facts {
        verdict,
        readouts: vec![
            Readout::new("vertical", "Cheapest single machine", r.vertical.describe()).wide(),
            Readout::new("horizontal", "Cheapest fleet", r.horizontal.describe()).wide(),
        ],
        run: Vec::new(),
    }
}

/// The situation the scaling-lever widget describes.
pub fn situation(state: &State) -> Situation {
    Situation {
        bottleneck: Bottleneck::ALL
            [(value!(SCALING_LEVER, state, "bottleneck") as usize).min(Bottleneck::ALL.len() - 1)],
        stage: Stage::ALL[(value!(SCALING_LEVER, state, "stage") as usize).min(Stage::ALL.len() - 1)],
        team_size: value!(SCALING_LEVER, state, "team") as u32,
        load_rps: value!(SCALING_LEVER, state, "load"),
        peak_to_average: value!(SCALING_LEVER, state, "peak"),
        needs_high_availability: (value!(SCALING_LEVER, state, "ha") != 0.0),
        ..Situation::EXAMPLE
    }
    .clamped()
}
