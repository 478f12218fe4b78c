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
use crate::note::{Facts, Readout};
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
    pub const HOT_KEY_SHARE: (f64, f64) = (0.0, 0.5);
    pub const SESSION_TIMEOUT_S: (f64, f64) = (1.0, 1_800.0);
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
    /// The share of all messages that carry the single hottest key (0 to 0.5). On the log they
    /// all land on one partition, which one consumer reads.
    pub hot_key_share: f64,
    /// How long a log's consumer group takes to notice a crashed member (Kafka's
    /// `session.timeout.ms`, 45 s by default since Kafka 3.0); its partitions wait until then.
    pub session_timeout_s: f64,
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
        hot_key_share: 0.0,
        session_timeout_s: 45.0,
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

    /// The partition cap and a hot key: 300 msg/s, consumers of 20 msg/s (50 ms each), 16
    /// consumers on 12 partitions, one key carrying a tenth of the traffic (the design's
    /// reference case; illustrative).
    pub const HOT_KEY: MessagingParams = MessagingParams {
        rate_per_s: 300.0,
        burst_factor: 2.0,
        burst_s: 60.0,
        consumers: 16,
        per_consumer_per_s: 20.0,
        partitions: 12,
        readers: 1,
        hot_key_share: 0.1,
        ..MessagingParams::ILLUSTRATIVE
    };

    /// The presets in the order the widget spec offers them.
    pub const PRESETS: [(&'static str, MessagingParams); 4] = [
        ("illustrative", MessagingParams::ILLUSTRATIVE),
        ("jobs", MessagingParams::JOBS),
        ("fan-out", MessagingParams::FAN_OUT),
        ("hot-key", MessagingParams::HOT_KEY),
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
        self.hot_key_share = clamp_f(self.hot_key_share, ranges::HOT_KEY_SHARE);
        self.session_timeout_s = clamp_f(self.session_timeout_s, ranges::SESSION_TIMEOUT_S);
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

/// Traffic that a set of identical consumers share: `share` of the producers' messages, served at
/// `capacity` msg/s by `consumers` of them. A set of identical independent consumers, each with
/// its own even slice, backs up exactly like one consumer with the whole set's rate, so a lane is
/// one fluid queue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lane {
    pub share: f64,
    pub consumers: u32,
    pub capacity: f64,
}

impl Lane {
    const NONE: Lane = Lane { share: 0.0, consumers: 0, capacity: 0.0 };
    /// Messages per second one of its consumers receives (0 for an empty lane).
    pub fn per_consumer(&self, rate: f64) -> f64 {
        if self.consumers == 0 {
            0.0
        } else {
            rate * self.share / self.consumers as f64
        }
    }
}

/// How a side's traffic splits among its consumers. A queue is one lane: any consumer takes any
/// message. On a log each partition belongs to one consumer of the group. Kafka's range assignor
/// gives the first `P mod c` consumers one partition more than the others, so those are one lane
/// and the rest another; a hot key puts its whole share on one partition, which at best gets a
/// consumer to itself (the third lane). Unused lanes are empty.
pub fn lanes(p: &MessagingParams, system: System) -> [Lane; 3] {
    let p = p.clamped();
    let r = p.per_consumer_per_s;
    match system {
        System::Queue => {
            [Lane { share: 1.0, consumers: p.consumers, capacity: p.consumers as f64 * r }, Lane::NONE, Lane::NONE]
        }
        System::Log => {
            let busy = busy_consumers(&p, System::Log);
            let h = p.hot_key_share;
            let partitions = p.partitions as f64;
            // The hot partition's share: the hot key plus its even part of everything else.
            let (hot, rest_partitions, rest_consumers, per_partition) = if h > 0.0 && busy > 1 {
                let each = (1.0 - h) / partitions;
                (Lane { share: h + each, consumers: 1, capacity: r }, p.partitions - 1, busy - 1, each)
            } else {
                (Lane::NONE, p.partitions, busy, 1.0 / partitions)
            };
            let (big, small) = (rest_partitions.div_ceil(rest_consumers), rest_partitions / rest_consumers);
            let n_big = rest_partitions % rest_consumers;
            let lane = |n: u32, k: u32| {
                if n == 0 || k == 0 {
                    Lane::NONE
                } else {
                    Lane { share: n as f64 * k as f64 * per_partition, consumers: n, capacity: n as f64 * r }
                }
            };
            if n_big == 0 {
                [lane(rest_consumers, small), Lane::NONE, hot]
            } else {
                [lane(n_big, big), lane(rest_consumers - n_big, small), hot]
            }
        }
    }
}

/// The backlogs of several lanes, added up: in the fluid model every lane peaks when the burst
/// ends, so the peaks add; the side has drained when its slowest lane has.
fn combine(a: Backlog, b: Backlog) -> Backlog {
    use Backlog::*;
    let after = |x: &Backlog| match *x {
        KeepsUp => 0.0,
        Drains { peak, .. } => peak,
        NeverDrains { after_burst, .. } => after_burst,
    };
    let growth = |x: &Backlog| match *x {
        NeverDrains { growth_per_s, .. } => growth_per_s,
        _ => 0.0,
    };
    match (a, b) {
        (KeepsUp, x) | (x, KeepsUp) => x,
        (Drains { peak: p1, drain_s: d1, worst_wait_s: w1 }, Drains { peak: p2, drain_s: d2, worst_wait_s: w2 }) => {
            Drains { peak: p1 + p2, drain_s: d1.max(d2), worst_wait_s: w1.max(w2) }
        }
        (x, y) => NeverDrains { after_burst: after(&x) + after(&y), growth_per_s: growth(&x) + growth(&y) },
    }
}

/// A side's backlog under the burst: its lanes' fluid closed forms, added up.
pub fn side_backlog(p: &MessagingParams, system: System) -> Backlog {
    let p = p.clamped();
    lanes(&p, system)
        .iter()
        .filter(|l| l.share > 0.0)
        .map(|l| burst_backlog(p.rate_per_s * l.share, p.burst_factor, p.burst_s, l.capacity))
        .fold(Backlog::KeepsUp, combine)
}

/// Waiting at the steady rate, with exponential arrivals and service (the burst aside).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SteadyWait {
    /// The busiest consumer gets `load` msg/s, at or above what it processes.
    Unstable { load: f64 },
    /// The share of messages that wait at all, and the mean wait in seconds.
    Waits { p_wait: f64, mean_wait_s: f64 },
}

/// The queue as M/M/c: `c` consumers sharing one queue, Erlang C for the chance of waiting and
/// Wq = C(c, a) / (cμ − λ). The log as M/M/1 per consumer: each waits on its own partitions, so
/// the busiest consumer (most partitions, or the hot key's) decides; P(wait) = ρ, Wq = ρ / (μ − λ).
pub fn steady_wait(p: &MessagingParams, system: System) -> SteadyWait {
    let p = p.clamped();
    let (lambda, mu) = (p.rate_per_s, p.per_consumer_per_s);
    match system {
        System::Queue => {
            let c = p.consumers;
            if lambda >= c as f64 * mu {
                return SteadyWait::Unstable { load: lambda / c as f64 };
            }
            SteadyWait::Waits {
                p_wait: crate::queueing::erlang_c(c, lambda / mu),
                mean_wait_s: crate::queueing::mmc_wait(c, lambda, mu),
            }
        }
        System::Log => {
            let busiest = busiest_consumer_rate(&p);
            if busiest >= mu {
                return SteadyWait::Unstable { load: busiest };
            }
            let rho = busiest / mu;
            SteadyWait::Waits { p_wait: rho, mean_wait_s: rho / (mu - busiest) }
        }
    }
}

/// Messages per second reaching the log's busiest consumer at the steady rate.
pub fn busiest_consumer_rate(p: &MessagingParams) -> f64 {
    let p = p.clamped();
    lanes(&p, System::Log).iter().map(|l| l.per_consumer(p.rate_per_s)).fold(0.0, f64::max)
}

/// The hot key on the log: what reaches its partition, and how fast that partition's lag grows
/// (0 when its consumer keeps up). `floor_growth` is the growth from the hot key alone, which no
/// partition count removes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HotKey {
    pub key_rate: f64,
    pub partition_rate: f64,
    pub growth_per_s: f64,
    pub floor_growth_per_s: f64,
}

/// `None` when no key is hotter than the rest.
pub fn hot_key(p: &MessagingParams) -> Option<HotKey> {
    let p = p.clamped();
    if p.hot_key_share <= 0.0 {
        return None;
    }
    let key_rate = p.rate_per_s * p.hot_key_share;
    let partition_rate = key_rate + p.rate_per_s * (1.0 - p.hot_key_share) / p.partitions as f64;
    let r = p.per_consumer_per_s;
    Some(HotKey {
        key_rate,
        partition_rate,
        growth_per_s: (partition_rate - r).max(0.0),
        floor_growth_per_s: (key_rate - r).max(0.0),
    })
}

/// A consumer of the log's group crashes: its partitions wait `session.timeout.ms` before the
/// group notices and hands them to someone else, and meanwhile `messages` back up on them (the
/// busiest consumer's rate times the timeout; the rebalance itself adds more).
pub fn crash_stall(p: &MessagingParams) -> (f64, f64) {
    let p = p.clamped();
    (p.session_timeout_s, busiest_consumer_rate(&p) * p.session_timeout_s)
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

/// What limits how fast a log's consumer group can reread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayCap {
    /// The group has fewer consumers than partitions: more consumers would reread faster.
    Consumers,
    /// Every partition has its consumer: only more partitions (or faster consumers) help.
    Partitions,
    /// One partition carries the hot key, and one consumer reads it.
    HotKey,
}

/// Whether reprocessing after a bug is possible.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Replay {
    /// Acknowledged messages were deleted.
    Deleted,
    /// The bug goes back further than the log's retention.
    PastRetention { retention_h: f64 },
    /// Reread `messages` (the last `hours` hours) with a second consumer group of the same size:
    /// the history takes `reread_s`; catching up with live traffic, which keeps arriving while it
    /// rereads, takes `catch_up_s` (`None`: the group is too slow to ever catch up). `cap` says
    /// what limits it; `reread_one_per_partition_s` is the reread with one consumer per partition.
    Possible {
        hours: f64,
        messages: f64,
        reread_s: f64,
        catch_up_s: Option<f64>,
        cap: ReplayCap,
        reread_one_per_partition_s: f64,
    },
}

/// Seconds for every lane to reread `hours` of traffic, and to catch up with live traffic as
/// well (`None`: some lane never does).
fn reread(p: &MessagingParams, hours: f64) -> (f64, Option<f64>) {
    let mut reread_s = 0.0f64;
    let mut catch_up = Some(0.0f64);
    for l in lanes(p, System::Log).iter().filter(|l| l.share > 0.0) {
        let lane_rate = p.rate_per_s * l.share;
        let backlog = lane_rate * hours * 3_600.0;
        reread_s = reread_s.max(backlog / l.capacity.max(1e-9));
        catch_up = match catch_up {
            Some(c) if l.capacity > lane_rate => Some(c.max(backlog / (l.capacity - lane_rate))),
            _ => None,
        };
    }
    (reread_s, catch_up)
}

/// Can the messages since the bug began be read again?
pub fn replay(p: &MessagingParams, system: System) -> Replay {
    let p = p.clamped();
    match system {
        System::Queue => Replay::Deleted,
        System::Log if p.bug_found_h > p.retention_h => Replay::PastRetention { retention_h: p.retention_h },
        System::Log => {
            let messages = p.rate_per_s * p.bug_found_h * 3_600.0;
            let (reread_s, catch_up_s) = reread(&p, p.bug_found_h);
            let full = MessagingParams { consumers: p.partitions, ..p };
            // Below one consumer per partition, more consumers help; from there on the hot
            // partition, whose consumer reads the most, is the slowest lane.
            let cap = if p.consumers < p.partitions {
                ReplayCap::Consumers
            } else if p.hot_key_share > 0.0 && p.partitions > 1 {
                ReplayCap::HotKey
            } else {
                ReplayCap::Partitions
            };
            Replay::Possible {
                hours: p.bug_found_h,
                messages,
                reread_s,
                catch_up_s,
                cap,
                reread_one_per_partition_s: reread(&full, p.bug_found_h).0,
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
        tail = tail.max(match side_backlog(&p, system) {
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
    simulate_lanes(&p, &[Lane { share: 1.0, consumers: 1, capacity }], t)
}

/// A side's backlog over time: its [`lanes`] stepped side by side, added up.
pub fn simulate_side(p: &MessagingParams, system: System, t: &Timeline) -> Run {
    let p = p.clamped();
    simulate_lanes(&p, &lanes(&p, system), t)
}

fn simulate_lanes(p: &MessagingParams, lanes: &[Lane], t: &Timeline) -> Run {
    let dt = STEP_MS as f64 / 1_000.0;
    let steps = t.horizon_s * 1_000 / STEP_MS;
    let (start, end) = (t.burst_start_s * 1_000 / STEP_MS, t.burst_end_s * 1_000 / STEP_MS);
    let stride = steps.div_ceil(CHART_POINTS).max(1);
    // Per lane: what it serves, what arrives at the steady rate and in the burst, in one step,
    // and its backlog.
    let mut lane: [(f64, f64, f64, f64); 3] = [(0.0, 0.0, 0.0, 0.0); 3];
    for (slot, l) in lane.iter_mut().zip(lanes.iter().filter(|l| l.share > 0.0)) {
        let mu = if l.capacity.is_finite() && l.capacity > 0.0 { l.capacity } else { 0.0 };
        let rate = p.rate_per_s * l.share;
        *slot = (mu * dt, rate * dt, rate * p.burst_factor * dt, 0.0);
    }
    let mut run = Run { points: vec![(0, 0.0)], peak: 0.0, peak_at_ms: 0, drained_at_ms: None, end_backlog: 0.0 };
    let mut b = 0.0;
    for n in 0..steps {
        b = 0.0;
        for (served, steady, burst, backlog) in lane.iter_mut() {
            let arriving = if n >= start && n < end { *burst } else { *steady };
            *backlog = (*backlog + arriving - *served).max(0.0);
            // Float noise below this counts as empty.
            if *backlog <= served.max(*steady) * 1e-9 {
                *backlog = 0.0;
            }
            b += *backlog;
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
    /// What limits a replay's speed.
    pub replay_cap: String,
    /// Waiting at the steady rate (M/M/c for the queue, M/M/1 per consumer for the log).
    pub steady_wait: String,
    /// What the hottest key does.
    pub hot_key: String,
    /// What a consumer crash does.
    pub crash: String,
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
    pub steady_wait: SteadyWait,
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
    let backlog = side_backlog(p, system);
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
        Replay::Possible { messages: n, reread_s, catch_up_s, .. } => format!(
            "yes: {}, reread in {}; {}",
            messages(n),
            crate::fmt::duration(reread_s, crate::fmt::Unit::S),
            match catch_up_s {
                Some(c) => format!("level with live traffic after {}", crate::fmt::duration(c, crate::fmt::Unit::S)),
                None => "never level with live traffic".to_string(),
            }
        ),
    };
    let replay_cap = match replay {
        Replay::Deleted => "nothing is kept to reread".to_string(),
        Replay::PastRetention { .. } => "nothing left to reread".to_string(),
        Replay::Possible { cap: ReplayCap::Consumers, reread_one_per_partition_s, .. } => format!(
            "the group's {} consumers; {} (one per partition) would reread in {}",
            p.consumers,
            p.partitions,
            crate::fmt::duration(reread_one_per_partition_s, crate::fmt::Unit::S)
        ),
        Replay::Possible { cap: ReplayCap::Partitions, .. } => format!(
            "the {}: one consumer each{}",
            crate::fmt::plural(p.partitions as f64, "partition", "partitions"),
            if p.consumers > p.partitions { ", the others idle" } else { "" }
        ),
        Replay::Possible { cap: ReplayCap::HotKey, .. } => {
            "the hot key's partition: one consumer rereads it".to_string()
        }
    };
    let steady = steady_wait(p, system);
    let steady_text = match (steady, system) {
        (SteadyWait::Unstable { load }, System::Queue) => format!(
            "M/M/c: none settles: {} msg/s per consumer, each does {}",
            grouped(load),
            grouped(p.per_consumer_per_s)
        ),
        (SteadyWait::Unstable { load }, System::Log) => format!(
            "M/M/1: none settles: the busiest consumer gets {} msg/s, does {}",
            crate::fmt::short(load, 1),
            grouped(p.per_consumer_per_s)
        ),
        (SteadyWait::Waits { p_wait, mean_wait_s }, System::Queue) => format!(
            "M/M/c: {} of messages wait, {} on average",
            crate::fmt::percent_fine(p_wait),
            crate::fmt::ms(mean_wait_s * 1_000.0)
        ),
        (SteadyWait::Waits { p_wait, mean_wait_s }, System::Log) => format!(
            "M/M/1: busiest consumer {} busy, {} wait on average",
            crate::fmt::percent_fine(p_wait),
            crate::fmt::ms(mean_wait_s * 1_000.0)
        ),
    };
    let hot_text = match (hot_key(p), system) {
        (None, _) => "none set: keys spread evenly".to_string(),
        (Some(h), System::Queue) => format!(
            "{} msg/s for one key, spread over all consumers (a FIFO group would get one at a time)",
            crate::fmt::short(h.key_rate, 1)
        ),
        (Some(h), System::Log) if h.growth_per_s > 0.0 => format!(
            "{} msg/s on one partition, one consumer does {}: its lag grows {} msg/s{}",
            crate::fmt::short(h.partition_rate, 1),
            grouped(p.per_consumer_per_s),
            crate::fmt::short(h.growth_per_s, 1),
            if h.floor_growth_per_s > 0.0 {
                format!(", at least {} whatever the partitions", crate::fmt::short(h.floor_growth_per_s, 1))
            } else {
                String::new()
            }
        ),
        (Some(h), System::Log) => format!(
            "{} msg/s on one partition, within one consumer's {}",
            crate::fmt::short(h.partition_rate, 1),
            grouped(p.per_consumer_per_s)
        ),
    };
    let crash = match system {
        System::Queue => {
            "the others carry on; its unfinished messages return after their visibility timeout".to_string()
        }
        System::Log => {
            let (timeout, backed_up) = crash_stall(p);
            format!(
                "its partitions wait {} (session.timeout.ms): {} back up",
                crate::fmt::duration(timeout, crate::fmt::Unit::S),
                messages(backed_up)
            )
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
        steady_wait: steady,
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
            replay_cap,
            steady_wait: steady_text,
            hot_key: hot_text,
            crash,
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
    } else if let Some(h) = hot_key(p).filter(|h| h.growth_per_s > 0.0) {
        s += &if h.floor_growth_per_s > 0.0 {
            format!(
                " The hottest key alone sends {} msg/s to one partition, whose one consumer does {}: that partition \
                 falls behind whatever the partition count.",
                crate::fmt::short(h.key_rate, 1),
                grouped(p.per_consumer_per_s)
            )
        } else {
            format!(
                " The hottest key's partition gets {} msg/s, more than its one consumer's {}: more partitions \
                 would spread the other keys thinner.",
                crate::fmt::short(h.partition_rate, 1),
                grouped(p.per_consumer_per_s)
            )
        };
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
        queue: pts(simulate_side(&p, System::Queue, &t)),
        log: pts(simulate_side(&p, System::Log, &t)),
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
const fn workload(p: &MessagingParams) -> [(&'static str, f64); 12] {
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
        ("hot", p.hot_key_share * 100.0),
        ("session", p.session_timeout_s),
    ]
}

/// What the queue-against-log figures rest on, for its decision note.
const ASSUMPTIONS_NOTE: &[(&str, &str)] = &[
    (
        "A fluid model: producers send a steady rate, then a burst of a multiple of it (both set by the sliders), and \
         every consumer processes exactly its throughput, with no variation from message to message. Only the \
         steady-rate waits are random: M/M/c for the queue, M/M/1 for each log consumer.",
        "",
    ),
    (
        "The log's consumer group gives each partition to one consumer, as Kafka's range assignor does, and keys \
         spread evenly over the partitions, except the hottest key, whose messages all land on one.",
        "",
    ),
    (
        "The broker keeps 3 copies of every stored message on both sides; a kilobyte is 1,000 bytes. The queue \
         stores only what waits, one queue per reader; the log stores the steady rate for its whole retention, once \
         for all readers.",
        "",
    ),
    (
        "The queue deletes a message once it is acknowledged; the log rereads the hours since the bug with a second \
         consumer group of the same size, if they are within its retention. A crashed log consumer's partitions \
         wait session.timeout.ms (set by the sliders), not counting the rebalance itself.",
        "",
    ),
];

/// A message queue against an event log under the same burst.
pub const QUEUE_VS_LOG: WidgetSpec = WidgetSpec {
    name: "queue-vs-log",
    about: crate::note::About {
        question: "Should this flow of messages go through a message queue or an event log, given its bursts, its \
                   readers, its ordering and whether we must replay it after a bug?",
        assumptions: ASSUMPTIONS_NOTE,
        sources: &[
            "Jay Kreps, Neha Narkhede, Jun Rao, Kafka: a Distributed Messaging System for Log Processing (2011)",
            "Gregor Hohpe, Bobby Woolf, Enterprise Integration Patterns (2003)",
            "Martin Kleppmann, Designing Data-Intensive Applications (chapter 11, Stream Processing) (2017)",
            "Agner Krarup Erlang, Solution of some problems in the theory of probabilities of significance in \
             automatic telephone exchanges (1918)",
        ],
    },
    reserve_rem: 83.0,
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
        range("hot", "Hottest key's share", 0.0, 50.0, 1.0, 0.0, "% of messages"),
        range("session", "Crash noticed after (session.timeout.ms)", 3.0, 300.0, 1.0, 45.0, "s"),
    ],
    presets: &[
        ("illustrative", &workload(&MessagingParams::ILLUSTRATIVE)),
        ("jobs", &workload(&MessagingParams::JOBS)),
        ("fan-out", &workload(&MessagingParams::FAN_OUT)),
        ("hot-key", &workload(&MessagingParams::HOT_KEY)),
    ],
};

/// One readout row of a side: its label, its hooks (`data-k`) on the queue and on the log, and its
/// text.
type Row = (&'static str, [&'static str; 2], fn(&SideText) -> &String);

/// The readout rows of each side, in order.
const ROWS: [Row; 13] = [
    ("Consumers working", ["queue-parallel", "log-parallel"], |t| &t.parallelism),
    ("Capacity", ["queue-capacity", "log-capacity"], |t| &t.capacity),
    ("Peak backlog", ["queue-peak", "log-peak"], |t| &t.peak),
    ("Drained", ["queue-drain", "log-drain"], |t| &t.drain),
    ("Longest wait", ["queue-wait", "log-wait"], |t| &t.worst_wait),
    ("Ordering", ["queue-order", "log-order"], |t| &t.order),
    ("Storage", ["queue-storage", "log-storage"], |t| &t.storage),
    ("For every reader", ["queue-fanout", "log-fanout"], |t| &t.fan_out),
    ("Replay after the bug", ["queue-replay", "log-replay"], |t| &t.replay),
    ("Replay speed capped by", ["queue-cap", "log-cap"], |t| &t.replay_cap),
    ("Waits at the steady rate", ["queue-steady", "log-steady"], |t| &t.steady_wait),
    ("Hottest key", ["queue-hot", "log-hot"], |t| &t.hot_key),
    ("A consumer crashes", ["queue-crash", "log-crash"], |t| &t.crash),
];

/// One side's readouts, as the widget shows them under that side's heading.
pub fn side_readouts(side: &Side) -> Vec<Readout> {
    let i = match side.system {
        System::Queue => 0,
        System::Log => 1,
    };
    ROWS.iter().map(|(label, keys, text)| Readout::new(keys[i], *label, text(&side.text).clone())).collect()
}

/// What the queue-vs-log widget shows: the verdict, and both sides' readouts (each label names
/// its side: "Queue: Peak backlog").
pub fn messaging_facts(r: &MessagingReport) -> Facts {
    let mut readouts = Vec::with_capacity(2 * ROWS.len());
    for (name, side) in [("Queue", &r.queue), ("Log", &r.log)] {
        readouts.extend(side_readouts(side).into_iter().map(|mut x| {
            x.label = format!("{name}: {}", x.label);
            x
        }));
    }
    Facts { verdict: r.summary.clone(), readouts, run: Vec::new() }
}

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
        hot_key_share: value!(QUEUE_VS_LOG, state, "hot") / 100.0,
        session_timeout_s: value!(QUEUE_VS_LOG, state, "session"),
        ..MessagingParams::ILLUSTRATIVE
    }
    .clamped()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each number the decision note states that a constant or a default parameter stands
    /// behind, built from that constant. Not numbers with a constant behind them: the "c" and "1"
    /// of "M/M/c" and "M/M/1" (Kendall's notation for the two waiting models).
    #[test]
    fn the_notes_assumptions_state_the_models_constants() {
        let says = |phrase: &str| crate::note::assert_assumption(ASSUMPTIONS_NOTE, phrase);
        let p = MessagingParams::ILLUSTRATIVE; // where `messaging_params` takes the replication from
        says(&format!("The broker keeps {} copies", p.replication));
        says(&format!("a kilobyte is {} bytes", grouped(BYTES_PER_KB)));
    }
}
