//! "The same orders, two semantics": one stream of order events, keyed by customer, consumed
//! through a queue with Amazon SQS's semantics and through a log with Apache Kafka's, side by
//! side, with the faults that tell them apart.
//!
//! # The stream
//!
//! One producer sends orders as a Poisson process of `rate_per_s`. Each order belongs to a
//! customer `customer-<n>`, drawn from a Zipf distribution over `customers` ranks with exponent
//! `skew` (`customer-0` is the busiest), carries that customer's next sequence number (#0, #1, …)
//! and its own processing time, log-normal with median `processing_ms` and p99 `processing_tail`
//! times the median (illustrative). Orders come from their own seeded stream, so **both sides
//! see exactly the same orders, at the same times, each needing the same processing time**,
//! whatever happens to either side. The reader's "slow order" and "poison order" buttons publish
//! one extra order (customer-0's, taking `slow_s`; customer-1's, which fails every time) to both.
//!
//! # The queue (SQS-like)
//!
//! `consumers` consumers long-poll one queue. A receive hands the oldest visible message to the
//! consumer that has waited longest, makes the message invisible for the visibility timeout and
//! increments its ReceiveCount; each receive comes with a new receipt handle. The consumer
//! processes the message and deletes it. If the message is not deleted before its visibility
//! timeout ends (the consumer is slow, crashed, or failed on a poison message), it becomes visible
//! again and the next receive delivers it again: a duplicate. A receive that would raise the
//! ReceiveCount above `max_receive_count` moves the message to the dead-letter queue instead
//! (SQS redrive policy: "when the ReceiveCount for a message exceeds the maxReceiveCount").
//!
//! **The stale receipt rule.** A delete with a receipt handle older than the message's latest
//! receive is acknowledged but deletes nothing. The SQS API reference says such a request "will
//! still succeed, but the message might not be deleted"; the model takes "might not" as "is not"
//! (FIFO queues reject an expired handle outright). So a message whose processing takes longer
//! than its visibility timeout is received again every timeout, each earlier consumer's delete
//! is ignored, and it ends in the dead-letter queue although it was processed every time.
//!
//! A **standard** queue hands out messages oldest first to whichever consumer is free, so a
//! customer's orders are processed concurrently and can finish out of order. A **FIFO** queue
//! uses the customer as the message group: a group has at most one message in flight and the
//! next is not received until the one before is deleted or dead-lettered, so order holds within
//! a customer and a stuck message blocks that customer only. Deleted messages are gone: a new
//! subscriber has nothing to replay. Not modelled: batches, long-poll wait times, delays,
//! ChangeMessageVisibility heartbeats, the retention period, duplicate copies from a standard
//! queue's own redundancy.
//!
//! # The log (Kafka-like)
//!
//! One topic of `partitions` partitions. The producer picks each order's partition with Kafka's
//! default partitioner, `toPositive(murmur2(key)) % partitions` on the key `customer-<n>`
//! ([`murmur::partition_for_key`], an exact port). A partition keeps its records for
//! `retention_h` hours (and at most [`LOG_CAP`] records, like a `retention.bytes` limit; the
//! oldest go first). A consumer group of `consumers` members divides the partitions with its
//! assignor ([`assign`]); a member with no partition is idle. Each member processes its
//! partitions' records one at a time, in offset order, taking its partitions in turn, and commits
//! its position either every [`AUTO_COMMIT`] (`enable.auto.commit`, 5 s) or after each record.
//! A member that gives a partition up in a rebalance commits what it has processed first (after
//! finishing the record in hand); a crashed member commits nothing. The group's next owner of a
//! partition starts from the committed offset, so records processed since the last commit are
//! delivered again (duplicates). A partition with no committed offset starts where
//! `auto.offset.reset` says: the log's start (`earliest`) or its end (`latest`, Kafka's
//! default). A failing record is retried in place on the queue's schedule — an attempt every
//! visibility timeout, at most `max_receive_count` attempts — and then written to a dead-letter
//! topic; meanwhile the whole partition waits behind it. Lag is the log-end offset minus the
//! committed offset, per partition.
//!
//! Rebalances: a crashed member is noticed after [`SESSION_TIMEOUT`] (`session.timeout.ms`,
//! 45 s), and restarts [`RESTART_AFTER`] after its crash; a joining member, a new group and new
//! partitions rebalance at once (the model lets producer and group learn of new partitions at the
//! same moment; in Kafka both find out within `metadata.max.age.ms`, 5 minutes by default). With
//! the eager assignors (range, round robin) every partition of the group stops for
//! [`REBALANCE_PAUSE`]; with cooperative sticky only the partitions that move. Adding partitions
//! moves keys, so a customer's newer orders can be processed before older ones still waiting in
//! its old partition.
//!
//! # What is counted (per side, and per consumer group on the log)
//!
//! - *Deliveries*: messages handed to a consumer, including every redelivery and retry.
//! - *Duplicates*: deliveries of a message this side (group) had delivered before.
//! - *Out of order*: a customer's order processed for the first time after a later order of the
//!   same customer had been processed (a redelivered order counts as a duplicate, not again here).
//! - *Dead-lettered*: moved to the dead-letter queue (queue) or topic (log).
//! - *Replayed*: records a consumer group read that were written before it subscribed.
//! - *Skipped*: records a group will never read: written after it subscribed but jumped over by
//!   `latest`, or deleted by retention before it read them.
//! - *Idle consumers*: on the log, live members with no partition, who get nothing however much
//!   is waiting; on the queue, consumers that have received nothing for [`IDLE_WINDOW`] (the
//!   queue was empty).
//!
//! # Sources
//!
//! Amazon SQS Developer Guide: "Amazon SQS visibility timeout", "Using dead-letter queues",
//! "Amazon SQS FIFO queues"; SQS API Reference, `DeleteMessage`. Apache Kafka: consumer
//! configuration (`enable.auto.commit`, `auto.commit.interval.ms`, `auto.offset.reset`,
//! `session.timeout.ms`), `RangeAssignor`, `RoundRobinAssignor` and `CooperativeStickyAssignor`
//! javadoc, KIP-429, `Utils.murmur2`. Kleppmann, *Designing Data-Intensive Applications*, ch. 11
//! (message brokers compared to logs).
//!
//! # Layout
//!
//! `murmur.rs` the partitioner, `assign.rs` the assignors, `queue.rs` the queue side, `log.rs`
//! the log side, `sim.rs` the producer, the events and [`QueueSemanticsSim`], `theory.rs` the
//! queue against Little's law, `widget.rs` the widget's declaration, its actions and its replay,
//! `text.rs` what the reader reads.

pub mod assign;
mod log;
pub mod murmur;
mod queue;
mod sim;
mod text;
mod theory;
mod widget;

pub use assign::{assign, counts, range_topics, round_robin_topics, Assignor, TopicPartition};
pub use murmur::{customer_key, murmur2, partition_for_key, to_positive};
pub use queue::{QueueDeparture, QueueSample, QueueTheoryStats, QUEUE_SERIES_LEN};
pub use sim::{
    ConsumerState, ConsumerView, GroupSnapshot, LaneCell, LogSnapshot, QueueSemanticsSim, QueueSemanticsSnapshot,
    QueueSnapshot, Side, Totals, Trace, TraceKind,
};
pub use text::{queue_semantics_facts, titles, Row};
pub use theory::{mean_processing_ms, THEORY_MIN_ORDERS};
pub use widget::{
    queue_semantics_params, QueueSemanticsAction, QueueSemanticsReplay, POISON_CUSTOMER, QUEUE_SEMANTICS, SCENARIOS,
    SLOW_CUSTOMER,
};

use crate::des::{Micros, SEC};

/// Kafka's `auto.commit.interval.ms` default.
pub const AUTO_COMMIT: Micros = 5 * SEC;
/// Kafka's `session.timeout.ms` default (since 3.0).
pub const SESSION_TIMEOUT: Micros = 45 * SEC;
/// How long a rebalance stops the partitions it revokes (illustrative).
pub const REBALANCE_PAUSE: Micros = 3 * SEC;
/// A crashed consumer is restarted (by its supervisor) this long after the crash (illustrative).
pub const RESTART_AFTER: Micros = 60 * SEC;
/// A consumer that has processed nothing for this long counts as idle.
pub const IDLE_WINDOW: Micros = 10 * SEC;
/// Records a partition keeps at most (a `retention.bytes`-like bound that keeps memory constant).
pub const LOG_CAP: usize = 4_096;
/// Messages the queue holds at most; more are refused (a bound of the simulation, not of SQS).
pub const BACKLOG_BOUND: usize = 20_000;
/// Most partitions the topic can grow to.
pub const MAX_PARTITIONS: usize = 16;
/// Most consumers per side (and per consumer group).
pub const MAX_CONSUMERS: usize = 12;
/// Partitions added by one "add partitions" action (6 → 8 by default).
pub const ADDED_PARTITIONS: u32 = 2;
/// Customers with a lane in the picture: the busiest ones, `customer-0` first.
pub const LANES: usize = 4;
/// Recent processings kept per lane.
pub const LANE_LEN: usize = 32;
/// Notable events kept for the event list.
pub const TRACE_LEN: usize = 64;

/// SQS queue type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueKind {
    Standard,
    /// FIFO with the customer as the message group id.
    Fifo,
}

/// When a log consumer commits its offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Commit {
    /// `enable.auto.commit=true`: every [`AUTO_COMMIT`].
    Auto,
    /// `enable.auto.commit=false`, `commitSync` after each record.
    AfterProcess,
}

/// Kafka's `auto.offset.reset`: where a group starts on a partition it has no committed offset
/// for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffsetReset {
    Earliest,
    Latest,
}

/// What kind of order a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Normal,
    /// Takes the `slow_s` setting to process.
    Slow,
    /// Processing fails every time (after the median processing time).
    Poison,
}

/// Parameters of a run. Both sides get the same consumer count and the same orders.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QueueSemanticsParams {
    /// Orders per second (Poisson).
    pub rate_per_s: f64,
    /// Distinct customers (message keys, FIFO message groups).
    pub customers: u32,
    /// Zipf exponent of the customers' shares (0 = uniform).
    pub skew: f64,
    /// Median processing time of an order, ms.
    pub processing_ms: f64,
    /// p99 / median of the processing time (≥ 1).
    pub processing_tail: f64,
    /// How long the reader's slow order takes to process, s.
    pub slow_s: f64,
    /// Consumers on the queue, and members of each consumer group on the log.
    pub consumers: u32,
    pub visibility_timeout_s: f64,
    pub max_receive_count: u32,
    pub queue: QueueKind,
    pub partitions: u32,
    pub assignor: Assignor,
    pub commit: Commit,
    /// `auto.offset.reset` of every consumer group.
    pub offset_reset: OffsetReset,
    /// Kafka's `log.retention.hours`.
    pub retention_h: f64,
    /// The producer stops after this many orders (0: never; for tests).
    pub max_orders: u64,
}

impl QueueSemanticsParams {
    /// SQS and Kafka defaults (visibility timeout 30 s, maxReceiveCount 5, range assignor,
    /// auto-commit every 5 s, a week's retention), six partitions, eight consumers a side, and
    /// an illustrative workload: 4 orders a second from 100 customers with Zipf skew 1, half a
    /// second each at the median. `auto.offset.reset` is `earliest` so a new group replays
    /// (Kafka's default is `latest`).
    pub const STANDARD: QueueSemanticsParams = QueueSemanticsParams {
        rate_per_s: 4.0,
        customers: 100,
        skew: 1.0,
        processing_ms: 500.0,
        processing_tail: 4.0,
        slow_s: 45.0,
        consumers: 8,
        visibility_timeout_s: 30.0,
        max_receive_count: 5,
        queue: QueueKind::Standard,
        partitions: 6,
        assignor: Assignor::Range,
        commit: Commit::Auto,
        offset_reset: OffsetReset::Earliest,
        retention_h: 168.0,
        max_orders: 0,
    };
    /// A FIFO queue grouped by customer.
    pub const FIFO: QueueSemanticsParams = QueueSemanticsParams { queue: QueueKind::Fifo, ..Self::STANDARD };
    /// A visibility timeout longer than the slow order takes.
    pub const LONG_VISIBILITY: QueueSemanticsParams =
        QueueSemanticsParams { visibility_timeout_s: 60.0, ..Self::STANDARD };
    /// Cooperative sticky rebalancing and a commit after every record.
    pub const STICKY: QueueSemanticsParams =
        QueueSemanticsParams { assignor: Assignor::CooperativeSticky, commit: Commit::AfterProcess, ..Self::STANDARD };

    /// The presets in the order the widget offers them.
    pub const PRESETS: [(&'static str, QueueSemanticsParams); 4] = [
        ("defaults", Self::STANDARD),
        ("fifo", Self::FIFO),
        ("long-visibility", Self::LONG_VISIBILITY),
        ("sticky", Self::STICKY),
    ];

    /// The parameters forced into the ranges the model handles (NaN becomes the low end).
    pub fn clamped(mut self) -> QueueSemanticsParams {
        let c = crate::num::clamp_or_low;
        self.rate_per_s = c(self.rate_per_s, 0.0, 200.0);
        self.customers = self.customers.clamp(1, 10_000);
        self.skew = c(self.skew, 0.0, 3.0);
        self.processing_ms = c(self.processing_ms, 1.0, 60_000.0);
        self.processing_tail = c(self.processing_tail, 1.0, 100.0);
        self.slow_s = c(self.slow_s, 0.001, 600.0);
        self.consumers = self.consumers.clamp(1, MAX_CONSUMERS as u32);
        self.visibility_timeout_s = c(self.visibility_timeout_s, 0.001, 43_200.0);
        self.max_receive_count = self.max_receive_count.clamp(1, 1_000);
        self.partitions = self.partitions.clamp(1, MAX_PARTITIONS as u32);
        self.retention_h = c(self.retention_h, 0.001, 100_000.0);
        self
    }
}
