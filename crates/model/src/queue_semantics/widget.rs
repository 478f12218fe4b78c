//! The widget: what readers set, the model's parameters it gives, the reader's buttons as
//! actions a share link logs, and the run that replays them.

use super::sim::QueueSemanticsSnapshot;
use super::{Assignor, Commit, MessageKind, OffsetReset, QueueKind, QueueSemanticsParams, QueueSemanticsSim};
use crate::des::{millis, secs, Advanced, Micros};
use crate::replay::{Replay, Replayable};
use crate::scenario::Scenario;
use crate::spec::{choice, labelled, range, State, WidgetSpec};
use crate::value;

/// The customer whose order the "slow order" button sends (the busiest).
pub const SLOW_CUSTOMER: u32 = 0;
/// The customer whose order the "poison order" button sends (the second busiest).
pub const POISON_CUSTOMER: u32 = 1;

const QUEUE_KINDS: &[&str] = &["standard", "fifo"];
const ASSIGNORS: &[&str] = &["range", "roundrobin", "cooperative-sticky"];
const COMMITS: &[&str] = &["auto", "after-process"];
const RESETS: &[&str] = &["earliest", "latest"];

/// What a preset sets: the two systems' semantics (the workload stays as the reader set it).
const fn semantics(p: &QueueSemanticsParams) -> [(&'static str, f64); 6] {
    [
        ("queue", p.queue as u8 as f64),
        ("vt", p.visibility_timeout_s),
        ("receives", p.max_receive_count as f64),
        ("assignor", p.assignor as u8 as f64),
        ("commit", p.commit as u8 as f64),
        ("reset", p.offset_reset as u8 as f64),
    ]
}

/// What the two sides' behaviour rests on, for the decision note.
const ASSUMPTIONS_NOTE: &[(&str, &str)] = &[
    (
        "Orders arrive as a Poisson process from customers drawn from a Zipf distribution, each taking a log-normal \
         processing time with a p99 of 4× the median (rate, customers, skew and median set by the sliders); both \
         sides get exactly the same orders.",
        "",
    ),
    (
        "Kafka's defaults: offsets auto-committed every 5 s, session.timeout.ms 45 s (since Kafka 3.0), a week's \
         retention, and the default murmur2 partitioner on the customer key.",
        "",
    ),
    (
        "Illustrative: a rebalance stops the partitions it revokes for 3 s (with the eager assignors, all of the \
         group's); a crashed consumer restarts after 60 s. On the log, a failing record is retried in place on the \
         queue's schedule (every visibility timeout, up to maxReceiveCount attempts), then goes to a dead-letter \
         topic.",
        "",
    ),
    (
        "A delete with a stale receipt handle deletes nothing (SQS says it \"might not\"; the model says it does \
         not). Not modelled: batches, long-poll waits, delays, ChangeMessageVisibility heartbeats, a standard \
         queue's own duplicate deliveries.",
        "",
    ),
];

/// The queue-semantics widget: the same orders through an SQS-like queue and a Kafka-like log.
pub const QUEUE_SEMANTICS: WidgetSpec = WidgetSpec {
    name: "queue-semantics",
    about: crate::note::About {
        question: "Should these orders go through a queue or a log, and with which settings, given what each does to them when a consumer is slow, crashes or rebalances?",
        assumptions: ASSUMPTIONS_NOTE,
        sources: &[
            "Amazon Web Services, Amazon Simple Queue Service Developer Guide (2026): visibility timeout, FIFO groups, dead-letter queues",
            "Apache Kafka, Consumer configuration (session.timeout.ms, auto.offset.reset) and the RangeAssignor and RoundRobinAssignor javadoc (2026)",
            "Jay Kreps, Neha Narkhede and Jun Rao, Kafka: a Distributed Messaging System for Log Processing (2011)",
            "Martin Kleppmann, Designing Data-Intensive Applications (chapter 11, Stream Processing) (2017)",
        ],
    },
    title: "The same orders, two semantics",
    // Measured: 1,604 px (100.2 rem) in the messaging article at 1,280 × 900 (a 928 px column),
    // both sides side by side and the settings open; the theory line under the queue and the two
    // "Show as table" summaries add about 6 rem (109 rem measured in a dev build).
    reserve_rem: 109.0,
    // Built for size: at its fastest speed (100×) it handles about 20,000 events a second, far
    // below what the event core does unoptimised; opt-level 3 would cost about 6 KB gzip.
    hot: false,
    params: &[
        range("rate", "Orders per second", 1.0, 30.0, 1.0, 4.0, "/s"),
        range("customers", "Customers", 10.0, 1_000.0, 10.0, 100.0, ""),
        range("skew", "Customer skew (Zipf exponent)", 0.0, 2.0, 0.1, 1.0, ""),
        range("processing", "Processing time (median)", 50.0, 5_000.0, 50.0, 500.0, "ms"),
        range("slow", "The slow order takes", 5.0, 240.0, 5.0, 45.0, "s"),
        range("consumers", "Consumers on each side", 1.0, 12.0, 1.0, 8.0, ""),
        labelled(choice("queue", "Queue type", QUEUE_KINDS, 0), &["Standard", "FIFO, grouped by customer"])
            .in_group("queue"),
        range("vt", "Visibility timeout", 5.0, 300.0, 5.0, 30.0, "s").in_group("queue"),
        range("receives", "maxReceiveCount", 1.0, 10.0, 1.0, 5.0, "").in_group("queue"),
        range("partitions", "Partitions", 1.0, 12.0, 1.0, 6.0, "").in_group("log"),
        labelled(choice("assignor", "Assignor", ASSIGNORS, 0), &["Range", "Round robin", "Cooperative sticky"])
            .in_group("log"),
        labelled(choice("commit", "Offset commits", COMMITS, 0), &["Automatic, every 5 s", "After each order"])
            .in_group("log"),
        labelled(choice("reset", "auto.offset.reset", RESETS, 0), &["earliest", "latest (Kafka's default)"])
            .in_group("log"),
    ],
    presets: &[
        ("defaults", &semantics(&QueueSemanticsParams::STANDARD)),
        ("fifo", &semantics(&QueueSemanticsParams::FIFO)),
        ("long-visibility", &semantics(&QueueSemanticsParams::LONG_VISIBILITY)),
        ("sticky", &semantics(&QueueSemanticsParams::STICKY)),
    ],
};

/// The model's parameters for a state (the rest from [`QueueSemanticsParams::STANDARD`]).
pub fn queue_semantics_params(state: &State) -> QueueSemanticsParams {
    let pick = |i: f64, n: usize| (i as usize).min(n - 1);
    QueueSemanticsParams {
        rate_per_s: value!(QUEUE_SEMANTICS, state, "rate"),
        customers: value!(QUEUE_SEMANTICS, state, "customers") as u32,
        skew: value!(QUEUE_SEMANTICS, state, "skew"),
        processing_ms: value!(QUEUE_SEMANTICS, state, "processing"),
        slow_s: value!(QUEUE_SEMANTICS, state, "slow"),
        consumers: value!(QUEUE_SEMANTICS, state, "consumers") as u32,
        queue: [QueueKind::Standard, QueueKind::Fifo][pick(value!(QUEUE_SEMANTICS, state, "queue"), 2)],
        visibility_timeout_s: value!(QUEUE_SEMANTICS, state, "vt"),
        max_receive_count: value!(QUEUE_SEMANTICS, state, "receives") as u32,
        partitions: value!(QUEUE_SEMANTICS, state, "partitions") as u32,
        assignor: [Assignor::Range, Assignor::RoundRobin, Assignor::CooperativeSticky]
            [pick(value!(QUEUE_SEMANTICS, state, "assignor"), 3)],
        commit: [Commit::Auto, Commit::AfterProcess][pick(value!(QUEUE_SEMANTICS, state, "commit"), 2)],
        offset_reset: [OffsetReset::Earliest, OffsetReset::Latest][pick(value!(QUEUE_SEMANTICS, state, "reset"), 2)],
        ..QueueSemanticsParams::STANDARD
    }
    .clamped()
}

/// A reader's button press, as a share link logs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueSemanticsAction {
    /// `slow`: customer-0 sends an order that takes the `slow` setting to process.
    Slow,
    /// `poison`: customer-1 sends an order whose processing always fails.
    Poison,
    /// `crash`: one consumer on each side crashes (and restarts a minute later).
    Crash,
    /// `partitions`: the topic gets [`super::ADDED_PARTITIONS`] more partitions.
    AddPartitions,
    /// `subscribe`: a second consumer group subscribes to the topic (and, on the queue side, a
    /// new subscriber would get only what is still queued).
    Subscribe,
}

impl QueueSemanticsAction {
    pub const ALL: [QueueSemanticsAction; 5] =
        [Self::Slow, Self::Poison, Self::Crash, Self::AddPartitions, Self::Subscribe];

    /// Reads a log entry; `None` for anything else.
    pub fn parse(code: &str) -> Option<QueueSemanticsAction> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The log entry [`Self::parse`] reads back.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Slow => "slow",
            Self::Poison => "poison",
            Self::Crash => "crash",
            Self::AddPartitions => "partitions",
            Self::Subscribe => "subscribe",
        }
    }

    /// Applies it to `sim` under `settings`; false when it could not apply (every consumer is
    /// down, the topic is at its most partitions, a new group has already subscribed).
    pub fn apply(&self, sim: &mut QueueSemanticsSim, settings: &State) -> bool {
        match self {
            Self::Slow => {
                sim.publish(SLOW_CUSTOMER, secs(value!(QUEUE_SEMANTICS, settings, "slow")), MessageKind::Slow);
                true
            }
            Self::Poison => {
                let at = millis(value!(QUEUE_SEMANTICS, settings, "processing"));
                sim.publish(POISON_CUSTOMER, at, MessageKind::Poison);
                true
            }
            Self::Crash => sim.crash(),
            Self::AddPartitions => sim.add_partitions(),
            Self::Subscribe => sim.subscribe_new_group(),
        }
    }
}

impl Replayable for QueueSemanticsSim {
    type Action = QueueSemanticsAction;
    type Snapshot = QueueSemanticsSnapshot;
    const SPEC: &'static WidgetSpec = &QUEUE_SEMANTICS;

    fn parse(code: &str) -> Option<QueueSemanticsAction> {
        QueueSemanticsAction::parse(code)
    }

    fn encode(action: &QueueSemanticsAction) -> String {
        action.code().into()
    }

    fn set(_: usize, _: f64) -> Option<QueueSemanticsAction> {
        None // every setting changes what the orders are or how both sides treat them: a restart
    }

    fn start(settings: &State) -> Self {
        QueueSemanticsSim::new(queue_semantics_params(settings), settings.seed)
    }

    fn now(&self) -> Micros {
        QueueSemanticsSim::now(self)
    }

    fn run_to(&mut self, to: Micros, max_events: u64) -> Advanced {
        let r = self.advance_to(to, max_events);
        if !r.reached {
            let now = QueueSemanticsSim::now(self);
            self.advance_to(now, u64::MAX); // the rest of the events due at the moment it stopped
        }
        r
    }

    fn apply(&mut self, settings: &mut State, action: &QueueSemanticsAction) {
        action.apply(self, settings);
    }

    fn snapshot(&self) -> QueueSemanticsSnapshot {
        QueueSemanticsSim::snapshot(self)
    }
}

/// A queue-semantics run with the reader's button presses, replayable from a share link.
pub type QueueSemanticsReplay = Replay<QueueSemanticsSim>;

/// The queue semantics' named failure scenarios ([`crate::scenario`]): each button's fault on the
/// default workload, paused when the two sides have told it apart.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "slow-order",
        title: "A slow order outlives its visibility timeout",
        watch_for: "The 45 s order was received 5 times, its 4 stale deletes were ignored, and it was dead-lettered though it never failed; the log delivered it once.",
        link: "log=5000000.slow&t=160000000",
    },
    Scenario {
        name: "long-visibility",
        title: "A visibility timeout longer than the work",
        watch_for: "With a 60 s visibility timeout the same slow order is delivered once and deleted: no duplicate, nothing dead-lettered.",
        link: "preset=long-visibility&log=5000000.slow&t=160000000",
    },
    Scenario {
        name: "poison-order",
        title: "A poison order",
        watch_for: "The queue dead-lettered the failing order after 5 receives and moved on; on the log its whole partition waited behind the retries, 101 orders behind.",
        link: "log=5000000.poison&t=160000000",
    },
    Scenario {
        name: "more-partitions",
        title: "Adding partitions reorders a customer",
        watch_for: "Two new partitions moved keys: a customer's newer order was processed before an older one still queued in its old partition; the FIFO queue kept order.",
        link: "preset=fifo&log=5000000.partitions&t=60000000",
    },
    Scenario {
        name: "new-subscriber",
        title: "A new subscriber a minute later",
        watch_for: "A second consumer group joined at 60 s and replays the 244 orders the log still holds; the queue deleted each order once processed: nothing to replay.",
        link: "log=60000000.subscribe&t=70000000",
    },
];

#[cfg(test)]
mod tests {
    use super::super::{AUTO_COMMIT, REBALANCE_PAUSE, RESTART_AFTER, SESSION_TIMEOUT};
    use super::*;
    use crate::des::SEC;
    use crate::fmt::number;

    /// Each number the decision note states that a constant or a default parameter stands
    /// behind, built from that constant. Not numbers with a constant behind them: "Kafka 3.0"
    /// (the release that made 45 s the default) and the "2" of "murmur2" (a hash's name).
    #[test]
    fn the_notes_assumptions_state_the_models_constants() {
        let says = |phrase: &str| crate::note::assert_assumption(ASSUMPTIONS_NOTE, phrase);
        let s = |t: Micros| format!("{} s", number(t as f64 / SEC as f64));
        let p = QueueSemanticsParams::STANDARD; // what `queue_semantics_params` starts from
        says(&format!("a p99 of {}× the median", number(p.processing_tail)));
        says(&format!("auto-committed every {}", s(AUTO_COMMIT)));
        says(&format!("session.timeout.ms {}", s(SESSION_TIMEOUT)));
        assert_eq!(p.retention_h, 7.0 * 24.0);
        says("a week's retention");
        says(&format!("the partitions it revokes for {}", s(REBALANCE_PAUSE)));
        says(&format!("restarts after {}", s(RESTART_AFTER)));
    }
}
