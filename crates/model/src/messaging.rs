//! A message queue (RabbitMQ, SQS) against an event log (Kafka, Kinesis) under the same load: how
//! many consumers actually work, how a burst backs up and drains, what order survives, what the
//! retention costs in storage, what many independent readers cost, and whether a bug found hours
//! later can be fixed by reprocessing.
//!
//! No randomness and no clock: closed forms, plus a deterministic fluid simulation in integer
//! time (steps of [`STEP_MS`]) that draws the backlog curves and that the tests hold to the
//! closed forms.
//!
//! # The model
//!
//! *Parallelism.* A queue hands each message to one of its competing consumers, so all `c` of them
//! work. A log is split into `P` partitions and a consumer group gives each partition to exactly
//! one of its consumers: `min(c, P)` work and the rest sit idle. Capacity is that many consumers
//! times each one's throughput `r`: `μ = busy × r`.
//!
//! *The burst.* Producers send `λ` msg/s, then `kλ` for `b` seconds, then `λ` again. As a fluid
//! queue, the backlog grows at `kλ − μ` during the burst and shrinks at `μ − λ` after it:
//!
//! ```text
//! kλ ≤ μ          nothing waits
//! λ < μ < kλ      peak = (kλ − μ)·b,  drain = peak / (μ − λ),  worst wait = peak / μ
//! μ ≤ λ           the backlog never shrinks after the burst (it grows at λ − μ)
//! ```
//!
//! The same holds for a queue's backlog and for one consumer group's lag on a log; every group of
//! the same size lags the same way.
//!
//! *Storage.* A queue holds only what waits: at the peak, `peak × readers` messages (one queue
//! per reader). A log holds everything for its retention, once, however many groups read it:
//! `λ × retention × size × replication`. Both are multiplied by the replication factor.
//!
//! *Replay.* A queue deletes a message once it is acknowledged. A log keeps it for its retention,
//! so a bug found `H` hours later can be fixed by rereading the last `H` hours (`λ·H` messages)
//! with a second group of the same size, in `λ·H / μ_log`, if `H ≤ retention`.
//!
//! All numbers are illustrative; see [`MessagingParams::ILLUSTRATIVE`].

use crate::fmt::grouped;
use crate::fmt::{fixed, number};
use crate::spec::{range, State, WidgetSpec};
use crate::value;

/// The simulation's time step.
pub const STEP_MS: u64 = 100;
/// The longest stretch of time the chart simulates.
pub const MAX_HORIZON_S: u64 = 7_200;
/// About this many points per chart line.
pub const CHART_POINTS: u64 = 400;
/// Decimal kilobytes: sizes and storage are in powers of 1,000.
pub const BYTES_PER_KB: f64 = 1_000.0;

/// Declared ranges `(min, max)` of every parameter; [`MessagingParams::clamped`] forces values
/// into them (NaN becomes the low end).
pub mod ranges {
    pub const RATE_PER_S: (f64, f64) = (1.0, 1_000_000.0);
    pub const BURST_FACTOR: (f64, f64) = (1.0, 100.0);
    pub const BURST_S: (f64, f64) = (1.0, 3_600.0);
    pub const CONSUMERS: (u32, u32) = (1, 1_000);
    pub const PER_CONSUMER_PER_S: (f64, f64) = (1.0, 1_000_000.0);
    pub const PARTITIONS: (u32, u32) = (1, 10_000);
    pub const READERS: (u32, u32) = (1, 100);
    pub const RETENTION_H: (f64, f64) = (1.0, 87_600.0);
    pub const MESSAGE_KB: (f64, f64) = (0.01, 10_000.0);
    pub const REPLICATION: (u32, u32) = (1, 9);
    pub const BUG_FOUND_H: (f64, f64) = (0.0, 87_600.0);
}

fn clamp_f(x: f64, (lo, hi): (f64, f64)) -> f64 {
    crate::num::clamp_or_low(x, lo, hi)
}

/// The load, the consumers and the two systems' settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MessagingParams {
    /// Producers' steady rate λ, messages per second.
    pub rate_per_s: f64,
    /// During the burst producers send this many times λ.
    pub burst_factor: f64,
    /// How long the burst lasts (whole seconds after clamping).
    pub burst_s: f64,
    /// Consumers per reader: competing consumers on one queue, or the members of one consumer
    /// group on the log.
    pub consumers: u32,
    /// What one consumer processes per second.
    pub per_consumer_per_s: f64,
    /// The log's partitions (a queue has none).
    pub partitions: u32,
    /// Independent readers: services that each need every message (consumer groups on the log,
    /// one queue each behind a fan-out exchange or topic on the queue side).
    pub readers: u32,
    /// How long the log keeps messages, hours.
    pub retention_h: f64,
    /// Size of one message, KB (1,000 bytes).
    pub message_kb: f64,
    /// Copies the broker keeps of every stored message (both sides).
    pub replication: u32,
    /// A bug is found this many hours after it started corrupting results.
    pub bug_found_h: f64,
}

impl MessagingParams {
    /// An event stream with a short spike: 1,000 msg/s, 3× for two minutes, 8 consumers of
    /// 200 msg/s, 6 partitions, 3 readers, a week's retention (illustrative).
    pub const ILLUSTRATIVE: MessagingParams = MessagingParams {
        rate_per_s: 1_000.0,
        burst_factor: 3.0,
        burst_s: 120.0,
        consumers: 8,
        per_consumer_per_s: 200.0,
        partitions: 6,
        readers: 3,
        retention_h: 168.0,
        message_kb: 1.0,
        replication: 3,
        bug_found_h: 24.0,
    };
    /// Slow background jobs for one reader: each consumer does 20 jobs a second, so throughput
    /// comes from many consumers, which a 6-partition log cannot use (illustrative).
    pub const JOBS: MessagingParams = MessagingParams {
        rate_per_s: 200.0,
        burst_factor: 5.0,
        burst_s: 300.0,
        consumers: 20,
        per_consumer_per_s: 20.0,
        partitions: 6,
        readers: 1,
        retention_h: 24.0,
        message_kb: 2.0,
        bug_found_h: 48.0,
        ..MessagingParams::ILLUSTRATIVE
    };
    /// Events that eight teams read, with fast consumers and enough partitions (illustrative).
    pub const FAN_OUT: MessagingParams = MessagingParams {
        rate_per_s: 2_000.0,
        burst_factor: 2.0,
        burst_s: 60.0,
        consumers: 4,
        per_consumer_per_s: 1_000.0,
        partitions: 12,
        readers: 8,
        retention_h: 168.0,
        message_kb: 1.0,
        bug_found_h: 72.0,
        ..MessagingParams::ILLUSTRATIVE
    };

    /// The presets in the order the widget spec offers them.
    pub const PRESETS: [(&'static str, MessagingParams); 3] = [
        ("illustrative", MessagingParams::ILLUSTRATIVE),
        ("jobs", MessagingParams::JOBS),
        ("fan-out", MessagingParams::FAN_OUT),
    ];

    /// Every field forced into its [`ranges`] (NaN becomes the low end); the burst rounded to
    /// whole seconds, so it starts and ends on a step.
    pub fn clamped(mut self) -> MessagingParams {
        self.rate_per_s = clamp_f(self.rate_per_s, ranges::RATE_PER_S);
        self.burst_factor = clamp_f(self.burst_factor, ranges::BURST_FACTOR);
        self.burst_s = clamp_f(self.burst_s, ranges::BURST_S).round();
        self.consumers = self.consumers.clamp(ranges::CONSUMERS.0, ranges::CONSUMERS.1);
        self.per_consumer_per_s = clamp_f(self.per_consumer_per_s, ranges::PER_CONSUMER_PER_S);
        self.partitions = self.partitions.clamp(ranges::PARTITIONS.0, ranges::PARTITIONS.1);
        self.readers = self.readers.clamp(ranges::READERS.0, ranges::READERS.1);
        self.retention_h = clamp_f(self.retention_h, ranges::RETENTION_H);
        self.message_kb = clamp_f(self.message_kb, ranges::MESSAGE_KB);
        self.replication = self.replication.clamp(ranges::REPLICATION.0, ranges::REPLICATION.1);
        self.bug_found_h = clamp_f(self.bug_found_h, ranges::BUG_FOUND_H);
        self
    }

    /// Producers' rate during the burst, kλ.
    pub fn burst_rate_per_s(&self) -> f64 {
        let p = self.clamped();
        p.rate_per_s * p.burst_factor
    }
}

// ---------------------------------------------------------------------------------------------
// Closed forms
// ---------------------------------------------------------------------------------------------

/// Which system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum System {
    Queue,
    Log,
}

/// Consumers that get work: all of them on a queue; on a log, one per partition at most.
pub fn busy_consumers(p: &MessagingParams, system: System) -> u32 {
    let p = p.clamped();
    match system {
        System::Queue => p.consumers,
        System::Log => p.consumers.min(p.partitions),
    }
}

/// Messages per second one reader's consumers process, μ.
pub fn capacity_per_s(p: &MessagingParams, system: System) -> f64 {
    let p = p.clamped();
    busy_consumers(&p, system) as f64 * p.per_consumer_per_s
}

/// How a backlog behaves under the burst (the fluid closed form).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Backlog {
    /// Capacity covers even the burst: nothing waits.
    KeepsUp,
    /// The backlog peaks at the end of the burst, then drains in `drain_s` seconds; the message
    /// that arrives at the peak waits `worst_wait_s`.
    Drains { peak: f64, drain_s: f64, worst_wait_s: f64 },
    /// Capacity is at or below the steady rate: after the burst the backlog grows by
    /// `growth_per_s` (zero: it stays where the burst left it, `after_burst`).
    NeverDrains { after_burst: f64, growth_per_s: f64 },
}

impl Backlog {
    /// The peak, when there is one (0 when nothing waits).
    pub fn peak(&self) -> Option<f64> {
        match *self {
            Backlog::KeepsUp => Some(0.0),
            Backlog::Drains { peak, .. } => Some(peak),
            Backlog::NeverDrains { .. } => None,
        }
    }
    /// Seconds to drain after the burst (0 when nothing waits), `None` when it never drains.
    pub fn drain_s(&self) -> Option<f64> {
        match *self {
            Backlog::KeepsUp => Some(0.0),
            Backlog::Drains { drain_s, .. } => Some(drain_s),
            Backlog::NeverDrains { .. } => None,
        }
    }
}

/// The fluid closed form for steady rate `rate`, a burst of `factor`× for `burst_s` seconds and
/// capacity `capacity` (all per second). Non-finite or negative inputs count as 0 (factor as 1).
pub fn burst_backlog(rate: f64, factor: f64, burst_s: f64, capacity: f64) -> Backlog {
    let nz = |x: f64| if x.is_finite() && x > 0.0 { x } else { 0.0 };
    let (lambda, mu, b) = (nz(rate), nz(capacity), nz(burst_s));
    let k = if factor.is_finite() && factor >= 1.0 { factor } else { 1.0 };
    let arriving = lambda * k;
    if arriving <= mu || (mu > lambda && b == 0.0) {
        Backlog::KeepsUp
    } else if mu > lambda {
        let peak = (arriving - mu) * b;
        Backlog::Drains { peak, drain_s: peak / (mu - lambda), worst_wait_s: peak / mu }
    } else {
        Backlog::NeverDrains { after_burst: (arriving - mu) * b, growth_per_s: lambda - mu }
    }
}

/// Bytes a log keeps for its retention at the steady rate, with every replica.
pub fn log_storage_bytes(p: &MessagingParams) -> f64 {
    let p = p.clamped();
    p.rate_per_s * p.message_kb * BYTES_PER_KB * p.retention_h * 3_600.0 * p.replication as f64
}

/// Bytes the queues hold at the burst's peak: `peak` waiting messages in each reader's queue,
/// with every replica. (A queue keeps what waits, not what was read.)
pub fn queue_storage_bytes(p: &MessagingParams, peak: f64) -> f64 {
    let p = p.clamped();
    let peak = if peak.is_finite() && peak > 0.0 { peak } else { 0.0 };
    peak * p.readers as f64 * p.message_kb * BYTES_PER_KB * p.replication as f64
}

/// Copies of each message the broker writes for all readers (before replication): one per queue
/// on the queue side, one on the log however many groups read it.
pub fn copies_written(p: &MessagingParams, system: System) -> u32 {
    match system {
        System::Queue => p.clamped().readers,
        System::Log => 1,
    }
}

/// Whether reprocessing after a bug is possible.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Replay {
    /// Acknowledged messages were deleted.
    Deleted,
    /// The bug goes back further than the log's retention.
    PastRetention { retention_h: f64 },
    /// Reread `messages` (the last `hours` hours) with a second consumer group of the same size
    /// in `reread_s`.
    Possible { hours: f64, messages: f64, reread_s: f64 },
}

/// Can the messages since the bug began be read again?
pub fn replay(p: &MessagingParams, system: System) -> Replay {
    let p = p.clamped();
    match system {
        System::Queue => Replay::Deleted,
        System::Log if p.bug_found_h > p.retention_h => Replay::PastRetention { retention_h: p.retention_h },
        System::Log => {
            let messages = p.rate_per_s * p.bug_found_h * 3_600.0;
            Replay::Possible {
                hours: p.bug_found_h,
                messages,
                reread_s: messages / capacity_per_s(&p, System::Log).max(1.0),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The fluid simulation
// ---------------------------------------------------------------------------------------------

/// When the burst starts and ends, and how long the chart runs, in whole seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeline {
    pub burst_start_s: u64,
    pub burst_end_s: u64,
    pub horizon_s: u64,
}

/// A lead-in of a fifth of the burst (5 s to 10 min), the burst, then long enough for the slower
/// side to drain (a quarter more), at most [`MAX_HORIZON_S`].
pub fn timeline(p: &MessagingParams) -> Timeline {
    let p = p.clamped();
    let burst = p.burst_s as u64;
    let lead = (burst / 5).clamp(5, 600);
    let mut tail = (p.burst_s * 0.5).max(10.0);
    for system in [System::Queue, System::Log] {
        let b = burst_backlog(p.rate_per_s, p.burst_factor, p.burst_s, capacity_per_s(&p, system));
        tail = tail.max(match b {
            Backlog::KeepsUp => 0.0,
            Backlog::Drains { drain_s, .. } => drain_s * 1.25,
            Backlog::NeverDrains { .. } => p.burst_s * 1.5,
        });
    }
    let tail = tail.min(MAX_HORIZON_S as f64).ceil() as u64;
    Timeline {
        burst_start_s: lead,
        burst_end_s: lead + burst,
        horizon_s: (lead + burst + tail).min(MAX_HORIZON_S.max(lead + burst)),
    }
}

/// One simulated backlog.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// (time in ms, backlog) every few steps, at the burst's start and end, and at the end.
    pub points: Vec<(u64, f64)>,
    pub peak: f64,
    pub peak_at_ms: u64,
    /// The first step boundary after the burst at which the backlog is empty again (`None`: not
    /// within the horizon, or it never built up).
    pub drained_at_ms: Option<u64>,
    /// The backlog at the end of the horizon.
    pub end_backlog: f64,
}

/// Steps the fluid backlog every [`STEP_MS`] from empty at time 0: each step adds what producers
/// send in it (kλ during the burst, λ otherwise) and removes up to what `capacity` processes.
pub fn simulate(p: &MessagingParams, capacity: f64, t: &Timeline) -> Run {
    let p = p.clamped();
    let mu = if capacity.is_finite() && capacity > 0.0 { capacity } else { 0.0 };
    let dt = STEP_MS as f64 / 1_000.0;
    let steps = t.horizon_s * 1_000 / STEP_MS;
    let (start, end) = (t.burst_start_s * 1_000 / STEP_MS, t.burst_end_s * 1_000 / STEP_MS);
    let stride = steps.div_ceil(CHART_POINTS).max(1);
    let served = mu * dt;
    let (steady, burst) = (p.rate_per_s * dt, p.rate_per_s * p.burst_factor * dt);
    // Float noise below this counts as empty.
    let eps = served.max(steady) * 1e-9;
    let mut b = 0.0f64;
    let mut run = Run { points: vec![(0, 0.0)], peak: 0.0, peak_at_ms: 0, drained_at_ms: None, end_backlog: 0.0 };
    for n in 0..steps {
        let arriving = if n >= start && n < end { burst } else { steady };
        b = (b + arriving - served).max(0.0);
        if b <= eps {
            b = 0.0;
        }
        let at = (n + 1) * STEP_MS;
        if b > run.peak {
            run.peak = b;
            run.peak_at_ms = at;
        }
        if run.drained_at_ms.is_none() && n + 1 > end && b == 0.0 && run.peak > 0.0 {
            run.drained_at_ms = Some(at);
        }
        if (n + 1) % stride == 0 || n + 1 == start || n + 1 == end || n + 1 == steps {
            run.points.push((at, b));
        }
    }
    run.end_backlog = b;
    run
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

/// The readouts of one side, as the reader sees them.
#[derive(Clone, Debug, PartialEq)]
pub struct SideText {
    pub parallelism: String,
    pub capacity: String,
    pub peak: String,
    pub drain: String,
    pub worst_wait: String,
    pub order: String,
    pub storage: String,
    pub fan_out: String,
    pub replay: String,
}

/// One side's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Side {
    pub system: System,
    pub busy: u32,
    pub idle: u32,
    pub capacity_per_s: f64,
    pub backlog: Backlog,
    pub storage_bytes: f64,
    pub copies: u32,
    pub replay: Replay,
    pub text: SideText,
}

/// The chart: backlog over time on both sides.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// Points (time, messages waiting), time in `minutes` or seconds.
    pub queue: Vec<(f64, f64)>,
    pub log: Vec<(f64, f64)>,
    pub minutes: bool,
    pub burst_start: f64,
    pub burst_end: f64,
}

/// Everything the queue-vs-log widget shows.
#[derive(Clone, Debug, PartialEq)]
pub struct MessagingReport {
    /// The parameters after clamping.
    pub params: MessagingParams,
    pub queue: Side,
    pub log: Side,
    pub timeline: Timeline,
    pub chart: Chart,
    /// The verdict.
    pub summary: String,
}

fn side(p: &MessagingParams, system: System) -> Side {
    let busy = busy_consumers(p, system);
    let capacity = capacity_per_s(p, system);
    let backlog = burst_backlog(p.rate_per_s, p.burst_factor, p.burst_s, capacity);
    let storage = match system {
        System::Queue => queue_storage_bytes(p, backlog.peak().unwrap_or(0.0)),
        System::Log => log_storage_bytes(p),
    };
    let copies = copies_written(p, system);
    let replay = replay(p, system);
    let idle = p.consumers - busy;
    let parallelism = match system {
        System::Log if idle > 0 => {
            format!(
                "{busy} of {} busy: {}",
                p.consumers,
                crate::fmt::plural(p.partitions as f64, "partition", "partitions")
            )
        }
        _ => format!("{busy} of {} busy", p.consumers),
    };
    let (peak, drain, worst_wait) = match backlog {
        Backlog::KeepsUp => ("none".to_string(), "nothing to drain".to_string(), "none".to_string()),
        Backlog::Drains { peak, drain_s, worst_wait_s } => (
            messages(peak),
            format!("{} after the burst", crate::fmt::duration(drain_s, crate::fmt::Unit::S)),
            crate::fmt::duration(worst_wait_s, crate::fmt::Unit::S),
        ),
        Backlog::NeverDrains { growth_per_s, .. } if growth_per_s > 0.0 => (
            format!("grows {} msg/s, forever", grouped(growth_per_s)),
            "never".to_string(),
            "grows without limit".to_string(),
        ),
        Backlog::NeverDrains { after_burst, .. } => {
            (format!("{}, never shrinks", messages(after_burst)), "never".to_string(), "stuck".to_string())
        }
    };
    let order = match system {
        System::Queue if p.consumers == 1 => "in order (one consumer); a redelivery breaks it".to_string(),
        System::Queue => format!("none overall: {} consumers finish out of order", p.consumers),
        System::Log if p.partitions == 1 => "total (one partition)".to_string(),
        System::Log => format!("per key, within each of {} partitions", p.partitions),
    };
    let storage_text = match system {
        System::Queue if storage <= 0.0 => "almost none: nothing waits".to_string(),
        System::Queue => format!("{} at the peak (only what waits)", crate::fmt::bytes(storage)),
        System::Log => {
            format!(
                "{} ({} h × {})",
                crate::fmt::bytes(storage),
                number(p.retention_h),
                crate::fmt::plural(p.replication as f64, "replica", "replicas")
            )
        }
    };
    let fan_out = match system {
        System::Queue if p.readers == 1 => "1 queue".to_string(),
        System::Queue => format!("{} queues: every message written {} times", p.readers, p.readers),
        System::Log if p.readers == 1 => "1 copy, 1 group".to_string(),
        System::Log => format!("1 copy, read by {} groups", p.readers),
    };
    let replay_text = match replay {
        Replay::Deleted => "no: acknowledged messages are deleted".to_string(),
        Replay::PastRetention { retention_h } => {
            format!("no: older than the {} h retention", number(retention_h))
        }
        Replay::Possible { messages: n, reread_s, .. } => {
            format!("yes: {}, reread in {}", messages(n), crate::fmt::duration(reread_s, crate::fmt::Unit::S))
        }
    };
    Side {
        system,
        busy,
        idle,
        capacity_per_s: capacity,
        backlog,
        storage_bytes: storage,
        copies,
        replay,
        text: SideText {
            parallelism,
            capacity: format!("{} msg/s", grouped(capacity)),
            peak,
            drain,
            worst_wait,
            order,
            storage: storage_text,
            fan_out,
            replay: replay_text,
        },
    }
}

/// The fate of a backlog, as a clause for one subject or for "queue and log both".
fn fate(b: &Backlog, lag: &str, both: bool) -> String {
    let (v, its) = if both { ("", "their") } else { ("s", "its") };
    match *b {
        Backlog::KeepsUp => format!("keep{v} up"),
        Backlog::Drains { drain_s, .. } => {
            format!("clear{v} {its} {lag} {} after the burst", crate::fmt::duration(drain_s, crate::fmt::Unit::S))
        }
        Backlog::NeverDrains { growth_per_s, .. } if growth_per_s > 0.0 => {
            format!("never catch{} up", if both { "" } else { "es" })
        }
        Backlog::NeverDrains { .. } => format!("never clear{v} {its} {lag}"),
    }
}

fn summary(p: &MessagingParams, q: &Side, l: &Side) -> String {
    let burst =
        format!("a {}× burst for {}", number(p.burst_factor), crate::fmt::duration(p.burst_s, crate::fmt::Unit::S));
    let never = |b: &Backlog| matches!(b, Backlog::NeverDrains { growth_per_s, .. } if *growth_per_s > 0.0);
    let mut s = if never(&q.backlog) && never(&l.backlog) {
        format!("Under {burst}, neither queue nor log catches up.")
    } else if q.backlog == l.backlog {
        format!("Under {burst}, queue and log both {}.", fate(&q.backlog, "backlogs", true))
    } else {
        format!(
            "Under {burst}, the queue {}; the log {}.",
            fate(&q.backlog, "backlog", false),
            fate(&l.backlog, "lag", false)
        )
    };
    if q.backlog.drain_s().is_none() {
        s += &format!(
            " {} msg/s of consumers cannot keep up with {} msg/s arriving: add consumers or make them faster{}.",
            grouped(q.capacity_per_s),
            grouped(p.rate_per_s),
            if l.idle > 0 { ", and give the log a partition for each" } else { "" }
        );
    } else if l.idle > 0 && l.capacity_per_s < q.capacity_per_s {
        s += &format!(
            " Only {} of the log's {} consumers work, one per partition: add partitions, not consumers.",
            l.busy, p.consumers
        );
    }
    let fan = if p.readers > 1 {
        format!(" For {} readers the queue writes every message {} times and the log once; a", p.readers, p.readers)
    } else {
        " A".to_string()
    };
    let h = number(p.bug_found_h);
    s += &fan;
    s += &match l.replay {
        Replay::PastRetention { retention_h } => format!(
            " bug found {h} h later is past the log's {} h retention, so neither can replay it.",
            number(retention_h)
        ),
        _ => format!(" bug found {h} h later can be replayed from the log, not from the queue."),
    };
    s
}

/// Runs the model for one set of parameters.
pub fn analyse(p: &MessagingParams) -> MessagingReport {
    let p = p.clamped();
    let queue = side(&p, System::Queue);
    let log = side(&p, System::Log);
    let t = timeline(&p);
    let minutes = t.horizon_s > 1_200;
    let unit = if minutes { 60_000.0 } else { 1_000.0 };
    let pts = |r: Run| r.points.iter().map(|&(ms, b)| (ms as f64 / unit, b)).collect::<Vec<_>>();
    let chart = Chart {
        queue: pts(simulate(&p, queue.capacity_per_s, &t)),
        log: pts(simulate(&p, log.capacity_per_s, &t)),
        minutes,
        burst_start: t.burst_start_s as f64 * 1_000.0 / unit,
        burst_end: t.burst_end_s as f64 * 1_000.0 / unit,
    };
    let summary = summary(&p, &queue, &log);
    MessagingReport { params: p, queue, log, timeline: t, chart, summary }
}

// ---------------------------------------------------------------------------------------------
// Formatting (integer arithmetic only: see `fmt::fixed`)
// ---------------------------------------------------------------------------------------------

/// A count of messages: "168,000 messages", "86.4 million messages".
pub fn messages(n: f64) -> String {
    let n = if n.is_finite() && n > 0.0 { n } else { 0.0 };
    if n < 999_950.0 {
        crate::fmt::plural(n, "message", "messages")
    } else if n < 999_950_000.0 {
        format!("{} million messages", fixed(n / 1e6, 1))
    } else if n < 999_950_000_000.0 {
        format!("{} billion messages", fixed(n / 1e9, 1))
    } else {
        format!("{} billion messages", grouped((n / 1e9).min(1e14)))
    }
}

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

/// What a queue-vs-log preset sets: every setting of one of [`MessagingParams::PRESETS`].
const fn workload(p: &MessagingParams) -> [(&'static str, f64); 10] {
    [
        ("rate", p.rate_per_s),
        ("burst", p.burst_factor),
        ("burst_s", p.burst_s),
        ("consumers", p.consumers as f64),
        ("throughput", p.per_consumer_per_s),
        ("partitions", p.partitions as f64),
        ("readers", p.readers as f64),
        ("retention", p.retention_h),
        ("size", p.message_kb),
        ("bug", p.bug_found_h),
    ]
}

/// A message queue against an event log under the same burst.
pub const QUEUE_VS_LOG: WidgetSpec = WidgetSpec {
    name: "queue-vs-log",
    reserve_rem: 66.0,
    hot: false,
    title: "Queue or log?",
    params: &[
        range("rate", "Producer rate", 10.0, 20_000.0, 10.0, 1_000.0, "msg/s"),
        range("burst", "Burst", 1.0, 10.0, 0.5, 3.0, "× the rate"),
        range("burst_s", "Burst length", 10.0, 900.0, 10.0, 120.0, "s"),
        range("consumers", "Consumers per reader", 1.0, 64.0, 1.0, 8.0, ""),
        range("throughput", "Throughput per consumer", 10.0, 5_000.0, 10.0, 200.0, "msg/s"),
        range("partitions", "Partitions (log)", 1.0, 64.0, 1.0, 6.0, ""),
        range("readers", "Independent readers", 1.0, 10.0, 1.0, 3.0, ""),
        range("retention", "Retention (log)", 1.0, 720.0, 1.0, 168.0, "h"),
        range("size", "Message size", 0.1, 100.0, 0.1, 1.0, "KB"),
        range("bug", "Bug found after", 1.0, 720.0, 1.0, 24.0, "h"),
    ],
    presets: &[
        ("illustrative", &workload(&MessagingParams::ILLUSTRATIVE)),
        ("jobs", &workload(&MessagingParams::JOBS)),
        ("fan-out", &workload(&MessagingParams::FAN_OUT)),
    ],
};

/// Queue-vs-log parameters for a state (replication from the illustrative preset).
pub fn messaging_params(state: &State) -> MessagingParams {
    MessagingParams {
        rate_per_s: value!(QUEUE_VS_LOG, state, "rate"),
        burst_factor: value!(QUEUE_VS_LOG, state, "burst"),
        burst_s: value!(QUEUE_VS_LOG, state, "burst_s"),
        consumers: value!(QUEUE_VS_LOG, state, "consumers") as u32,
        per_consumer_per_s: value!(QUEUE_VS_LOG, state, "throughput"),
        partitions: value!(QUEUE_VS_LOG, state, "partitions") as u32,
        readers: value!(QUEUE_VS_LOG, state, "readers") as u32,
        retention_h: value!(QUEUE_VS_LOG, state, "retention"),
        message_kb: value!(QUEUE_VS_LOG, state, "size"),
        bug_found_h: value!(QUEUE_VS_LOG, state, "bug"),
        ..MessagingParams::ILLUSTRATIVE
    }
    .clamped()
}
