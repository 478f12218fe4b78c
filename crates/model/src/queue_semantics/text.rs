//! What the reader reads: each side's title and readout, the buttons' labels, the lanes as text
//! (the pictures' text alternative) and the event list. Every number goes through `crate::fmt`.

use super::sim::{LaneCell, QueueSemanticsSnapshot, Side};
use super::widget::{QueueSemanticsAction, POISON_CUSTOMER, SLOW_CUSTOMER};
use super::{QueueSemanticsSim, ADDED_PARTITIONS, LANES, MAX_PARTITIONS, QUEUE_SEMANTICS};
use crate::fmt::{duration, grouped, num, plural, Unit};
use crate::note::{Facts, Readout};
use crate::spec::State;
use crate::value;

/// One line of a side's readout: what it is, its `data-k` key ("queue-deliveries"), its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub label: &'static str,
    pub key: &'static str,
    pub value: String,
    /// Spans the readout's width.
    pub wide: bool,
}

fn row(label: &'static str, key: &'static str, value: String) -> Row {
    Row { label, key, value, wide: false }
}

fn count(n: u64) -> String {
    num(n as f64, 0)
}

impl QueueSemanticsSnapshot {
    /// "123.4 s simulated · 488 orders sent": plain seconds, as every animated widget's clock
    /// shows them.
    pub fn status(&self) -> String {
        format!(
            "{} s simulated · {} sent",
            num(self.now as f64 / crate::des::SEC as f64, 1),
            plural(self.orders as f64, "order", "orders")
        )
    }

    /// The queue side's readout.
    pub fn queue_rows(&self) -> [Row; 7] {
        let q = &self.queue;
        let t = &q.totals;
        let mut idle = format!("{} of {}", q.idle, q.consumers);
        if q.down > 0 {
            idle.push_str(&format!(", {} down", q.down));
        }
        [
            row("Deliveries", "queue-deliveries", count(t.deliveries)),
            row("Duplicates", "queue-duplicates", count(t.duplicates)),
            row("Out of order", "queue-out-of-order", count(t.out_of_order)),
            row("Dead-lettered", "queue-dead-lettered", count(t.dead_lettered)),
            row(
                "Waiting / in flight",
                "queue-held",
                format!("{} / {}", count(q.visible.into()), count(q.in_flight.into())),
            ),
            row("Idle consumers", "queue-idle", idle),
            row("A new subscriber replays", "queue-replayed", "0: deleted on ack".into()),
        ]
    }

    /// The log side's readout (the service's own consumer group, and the new one if any).
    pub fn log_rows(&self) -> [Row; 8] {
        let g = &self.log.main;
        let t = &g.totals;
        let mut idle = format!("{} of {}", g.idle, g.members);
        if g.idle > 0 {
            idle.push_str(": no partition");
        }
        if g.down > 0 {
            idle.push_str(&format!(", {} down", g.down));
        }
        let by_partition: Vec<String> = g
            .lag
            .iter()
            .take(self.log.partitions as usize)
            .enumerate()
            .map(|(p, l)| format!("p{p} {}", count(*l)))
            .collect();
        let new_group = match &self.log.new_group {
            None => "not subscribed yet".to_string(),
            Some(n) => format!(
                "replayed {} of {} retained; lag {}; {} out of order",
                count(n.totals.replayed),
                count(n.retained_at_join),
                count(n.lag_total),
                count(n.totals.out_of_order)
            ),
        };
        [
            row("Deliveries", "log-deliveries", count(t.deliveries)),
            row("Duplicates", "log-duplicates", count(t.duplicates)),
            row("Out of order", "log-out-of-order", count(t.out_of_order)),
            row("Dead-lettered", "log-dead-lettered", count(t.dead_lettered)),
            row("Lag", "log-lag", count(g.lag_total)),
            row("Idle consumers", "log-idle", idle),
            Row {
                label: "Lag by partition", key: "log-lag-by-partition", value: by_partition.join(" · "), wide: true
            },
            Row { label: "New consumer group", key: "log-replayed", value: new_group, wide: true },
        ]
    }

    /// Whether `action` can do anything now.
    pub fn can(&self, action: QueueSemanticsAction) -> bool {
        match action {
            QueueSemanticsAction::Crash => self.queue.down < self.queue.consumers,
            QueueSemanticsAction::AddPartitions => (self.log.partitions as usize) < MAX_PARTITIONS,
            QueueSemanticsAction::Subscribe => self.log.new_group.is_none(),
            _ => true,
        }
    }
}

impl QueueSemanticsAction {
    /// The button's text: "Slow order (customer-0, 45 s)", "Add partitions (6 → 8)".
    pub fn label(&self, settings: &State, snapshot: &QueueSemanticsSnapshot) -> String {
        match self {
            Self::Slow => format!(
                "Slow order (customer-{SLOW_CUSTOMER}, {})",
                duration(value!(QUEUE_SEMANTICS, settings, "slow"), Unit::S)
            ),
            Self::Poison => format!("Poison order (customer-{POISON_CUSTOMER})"),
            Self::Crash => "Crash a consumer".into(),
            Self::AddPartitions => {
                let p = snapshot.log.partitions;
                format!("Add partitions ({p} → {})", (p + ADDED_PARTITIONS).min(MAX_PARTITIONS as u32))
            }
            Self::Subscribe => {
                let latest = value!(QUEUE_SEMANTICS, settings, "reset") != 0.0;
                format!("New consumer group ({})", if latest { "latest" } else { "earliest" })
            }
        }
    }
}

/// The sides' titles: "Queue (SQS-like): standard, visibility timeout 30 s" and "Log (Kafka-like):
/// 6 partitions, range assignor".
pub fn titles(settings: &State, snapshot: &QueueSemanticsSnapshot) -> (String, String) {
    let fifo = value!(QUEUE_SEMANTICS, settings, "queue") != 0.0;
    let vt = duration(value!(QUEUE_SEMANTICS, settings, "vt"), Unit::S);
    let assignor =
        ["range", "round-robin", "cooperative sticky"][(value!(QUEUE_SEMANTICS, settings, "assignor") as usize).min(2)];
    (
        format!("Queue (SQS-like): {}, visibility timeout {vt}", if fifo { "FIFO" } else { "standard" }),
        format!(
            "Log (Kafka-like): {}, {assignor} assignor",
            plural(snapshot.log.partitions as f64, "partition", "partitions")
        ),
    )
}

/// A lane cell as words: "#40 (out of order)", "#12 (delivery 3)".
fn cell_text(c: &LaneCell) -> String {
    let mut notes: Vec<String> = Vec::new();
    if c.has(LaneCell::OUT_OF_ORDER) {
        notes.push("out of order".into());
    }
    if c.has(LaneCell::DUPLICATE) {
        notes.push(format!("again, delivery {}", grouped(c.delivery as f64)));
    }
    if c.has(LaneCell::FAILED) {
        notes.push(format!("failed, attempt {}", grouped(c.delivery as f64)));
    }
    if c.has(LaneCell::DEAD_LETTERED) {
        notes.push("dead-lettered".into());
    }
    if c.has(LaneCell::SLOW) {
        notes.push("slow".into());
    }
    if notes.is_empty() {
        format!("#{}", c.seq)
    } else {
        format!("#{} ({})", c.seq, notes.join(", "))
    }
}

impl QueueSemanticsSim {
    /// The lanes of `side` as text, the last `per_lane` cells of each: "customer-0: #38, #40,
    /// #39 (out of order). customer-1: …".
    pub fn lanes_text(&self, side: Side, per_lane: usize) -> String {
        let mut out = Vec::new();
        for lane in 0..LANES {
            let Some(ring) = self.lane(side, lane) else { continue };
            let skip = ring.len().saturating_sub(per_lane);
            let cells: Vec<String> = ring.iter().skip(skip).map(cell_text).collect();
            let body = if cells.is_empty() { "nothing processed yet".to_string() } else { cells.join(", ") };
            out.push(format!("customer-{lane}: {body}."));
        }
        out.join(" ")
    }

    /// The last `n` notable events, newest first, as sentences. Orders processed out of order
    /// are left out: the lanes mark them and the readouts count them, and under a reordering
    /// queue they would push every rarer event off the list.
    pub fn recent_events(&self, n: usize) -> Vec<String> {
        let kept = self.trace().iter().filter(|t| t.kind != super::TraceKind::OutOfOrder);
        let mut v: Vec<String> = kept.map(|t| t.describe()).collect();
        v.reverse();
        v.truncate(n);
        v
    }
}

/// The most notable events a decision note lists (the latest).
const NOTE_EVENTS: usize = 20;

impl QueueSemanticsSnapshot {
    /// Every readout the widget shows, the clock first, then each side's (labelled by side): what
    /// the decision note prints.
    pub fn readouts(&self) -> Vec<Readout> {
        let side = |name: &str, rows: &[Row]| -> Vec<Readout> {
            rows.iter()
                .map(|r| Readout {
                    key: r.key,
                    label: format!("{name}: {}", r.label),
                    value: r.value.clone(),
                    wide: r.wide,
                })
                .collect()
        };
        let mut v = vec![Readout::new("time", "Clock", self.status())];
        v.extend(side("Queue", &self.queue_rows()));
        v.extend(side("Log", &self.log_rows()));
        v
    }
}

/// One side's deliveries in words: "120 deliveries (4 duplicates, 12 out of order, 1 dead-lettered)".
fn delivered(t: &super::sim::Totals) -> String {
    format!(
        "{} ({}, {} out of order, {} dead-lettered)",
        plural(t.deliveries as f64, "delivery", "deliveries"),
        plural(t.duplicates as f64, "duplicate", "duplicates"),
        count(t.out_of_order),
        count(t.dead_lettered)
    )
}

/// The decision note's facts for a queue-semantics run: what each side did to the orders so far,
/// every readout of both sides, and the run: its start, the reader's presses and the latest
/// notable events (redeliveries, dead letters, crashes, rebalances), at their times.
pub fn queue_semantics_facts(r: &super::QueueSemanticsReplay) -> Facts {
    let sim = r.run();
    let s = sim.snapshot();
    let verdict = if s.orders == 0 {
        "No orders yet.".to_string()
    } else {
        format!(
            "After {} and {}: the queue made {}; the log made {}, lag {}.",
            super::sim::clock(s.now),
            plural(s.orders as f64, "order", "orders"),
            delivered(&s.queue.totals),
            delivered(&s.log.main.totals),
            count(s.log.main.lag_total)
        )
    };
    let kept: Vec<_> = sim.trace().iter().filter(|t| t.kind != super::TraceKind::OutOfOrder).collect();
    let skip = kept.len().saturating_sub(NOTE_EVENTS);
    let events = kept.iter().skip(skip).map(|t| (t.t, t.what())).collect();
    let settings = r.settings();
    let describe = |code: &str| match QueueSemanticsAction::parse(code) {
        Some(QueueSemanticsAction::Slow) => format!(
            "a slow order from customer-{SLOW_CUSTOMER} (it takes {})",
            duration(value!(QUEUE_SEMANTICS, settings, "slow"), Unit::S)
        ),
        Some(QueueSemanticsAction::Poison) => format!("a poison order from customer-{POISON_CUSTOMER}"),
        Some(QueueSemanticsAction::Crash) => "a consumer crashes on each side".into(),
        Some(QueueSemanticsAction::AddPartitions) => format!("{ADDED_PARTITIONS} partitions added to the topic"),
        Some(QueueSemanticsAction::Subscribe) => "a new consumer group subscribes".into(),
        None => code.into(),
    };
    let started = format!("started with the settings above, seed {}", r.started().seed);
    let run = crate::note::run_so_far(
        &QUEUE_SEMANTICS,
        &r.applied(),
        &crate::note::at,
        &describe,
        &started,
        events,
        (s.now, &s.status()),
    );
    Facts { verdict, readouts: s.readouts(), run }
}
