//! The producer, the events and the simulation both sides run in; the snapshot and the views.

use super::log::LogSide;
use super::queue::QueueSide;
use super::{murmur, MessageKind, QueueSemanticsParams, LANES, LANE_LEN, MAX_PARTITIONS, TRACE_LEN};
use crate::des::{secs, Advanced, Engine, Micros, Model, Scheduler, SEC};
use crate::fmt;
use crate::rng::{Rng, Zipf};
use crate::stats::Ring;

/// One order, as both sides receive it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Order {
    /// Its place in the stream (0, 1, …).
    pub id: u64,
    /// When it was sent.
    pub t: Micros,
    pub customer: u32,
    /// The customer's sequence number.
    pub seq: u32,
    /// Processing time, µs.
    pub proc: u32,
    pub kind: MessageKind,
}

/// The simulation's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ev {
    Produce,
    /// Queue consumer `c` finished job `job`.
    QDone {
        c: u8,
        job: u32,
    },
    /// The visibility timeout of the receive `receipt` of the message in `slot` ends.
    QVisible {
        slot: u32,
        id: u64,
        receipt: u32,
    },
    QRestart {
        c: u8,
        epoch: u32,
    },
    /// Group `g`'s paused partitions may be fetched again.
    LDispatch {
        g: u8,
    },
    LDone {
        g: u8,
        m: u8,
        job: u32,
    },
    /// A failed record's next attempt (or its move to the dead-letter topic) is due.
    LRetry {
        g: u8,
        m: u8,
        job: u32,
    },
    LCommit {
        g: u8,
    },
    LSession {
        g: u8,
        m: u8,
        epoch: u32,
    },
    LRestart {
        g: u8,
        m: u8,
        epoch: u32,
    },
}

/// Running totals of one side (the queue) or one consumer group (the log); see the module docs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub deliveries: u64,
    pub duplicates: u64,
    /// Processings that completed (a message processed twice counts twice).
    pub processed: u64,
    pub out_of_order: u64,
    pub dead_lettered: u64,
    pub replayed: u64,
    pub skipped: u64,
    /// Deletes with a stale receipt handle, acknowledged and ignored (queue only).
    pub stale_deletes: u64,
    /// Orders the queue refused at its bound ([`super::BACKLOG_BOUND`]).
    pub refused: u64,
}

/// One processing of a lane customer's order (or its move to the dead-letter queue), for the
/// picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LaneCell {
    /// The customer's sequence number of the order.
    pub seq: u32,
    /// Which delivery of the order this was to its side (1 = the first).
    pub delivery: u32,
    pub t: Micros,
    /// [`LaneCell::OUT_OF_ORDER`] and friends.
    pub flags: u8,
}

impl LaneCell {
    /// Processed for the first time after a later order of the same customer.
    pub const OUT_OF_ORDER: u8 = 1;
    /// Processed again (it had been delivered before).
    pub const DUPLICATE: u8 = 2;
    /// The processing failed (a poison order).
    pub const FAILED: u8 = 4;
    /// Moved to the dead-letter queue or topic.
    pub const DEAD_LETTERED: u8 = 8;
    /// The reader's slow order.
    pub const SLOW: u8 = 16;

    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// The lanes of the [`LANES`] busiest customers.
#[derive(Clone, Debug)]
pub(super) struct Lanes(pub Vec<Ring<LaneCell>>);

impl Lanes {
    pub fn new() -> Lanes {
        Lanes((0..LANES).map(|_| Ring::new(LANE_LEN)).collect())
    }
    pub fn push(&mut self, customer: u32, cell: LaneCell) {
        if let Some(r) = self.0.get_mut(customer as usize) {
            r.push(cell);
        }
    }
}

/// Tracks per-key order: the highest sequence number processed so far for each customer.
#[derive(Clone, Debug)]
pub(super) struct KeyOrder(Vec<u32>);

impl KeyOrder {
    pub fn new(customers: u32) -> KeyOrder {
        KeyOrder(vec![0; customers as usize])
    }
    /// Records the first processing of `seq` for `customer`; true when a later order of that
    /// customer was processed before it.
    pub fn out_of_order(&mut self, customer: u32, seq: u32) -> bool {
        let Some(m) = self.0.get_mut(customer as usize) else { return false };
        if seq + 1 < *m {
            true
        } else {
            *m = seq + 1;
            false
        }
    }
}

/// Which side an event or a view belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Queue,
    /// A consumer group on the log: 0 is the service's own, 1 the one that subscribes later.
    Log {
        group: u8,
    },
}

/// What a notable event was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceKind {
    /// A message delivered again; `n` is its delivery (receive) count.
    Redelivered,
    /// A delete with a stale receipt handle was ignored.
    StaleDelete,
    /// Moved to the dead-letter queue (topic); `n` is the deliveries it had.
    DeadLettered,
    /// A poison order's processing failed; `n` is the attempt.
    Failed,
    /// Processed after a later order of the same customer.
    OutOfOrder,
    Crashed,
    Restarted,
    /// A consumer group rebalanced; `n` partitions changed owner.
    Rebalanced,
    /// The topic now has `n` partitions.
    PartitionsAdded,
    /// A consumer group subscribed; `n` records were retained then.
    GroupJoined,
    /// `n` records will never be read by the group.
    Skipped,
    /// The queue refused an order at its bound.
    Refused,
}

/// A notable event, for the event list and the tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trace {
    pub t: Micros,
    pub side: Side,
    pub kind: TraceKind,
    pub customer: u32,
    pub seq: u32,
    /// The consumer (index on its side, or in its group).
    pub consumer: u8,
    pub n: u32,
}

impl Trace {
    /// The event as a sentence: "30 s · queue: customer-0 #12 delivered again to C1 (receive 2)".
    pub fn describe(&self) -> String {
        format!("{} · {}", clock(self.t), self.what())
    }

    /// The event without its time: "queue: customer-0 #12 delivered again to C1 (receive 2)".
    pub fn what(&self) -> String {
        let side = match self.side {
            Side::Queue => "queue".to_string(),
            Side::Log { group: 0 } => "log".to_string(),
            Side::Log { .. } => "log, new group".to_string(),
        };
        let order = format!("customer-{} #{}", self.customer, self.seq);
        let c = self.consumer;
        let n = self.n;
        let what = match self.kind {
            TraceKind::Redelivered if n > 1 => format!("{order} delivered again to C{c} (delivery {n})"),
            TraceKind::Redelivered => format!("{order} delivered again to C{c}"),
            TraceKind::StaleDelete => format!("C{c} finished {order}; its delete used a stale receipt and was ignored"),
            TraceKind::DeadLettered => {
                format!("{order} dead-lettered after {}", fmt::plural(n as f64, "delivery", "deliveries"))
            }
            TraceKind::Failed => format!("{order} failed on C{c} (attempt {n})"),
            TraceKind::OutOfOrder => format!("{order} processed after a later order of the same customer"),
            TraceKind::Crashed => format!("C{c} crashed"),
            TraceKind::Restarted => format!("C{c} restarted"),
            TraceKind::Rebalanced => {
                format!("rebalance: {} changed owner", fmt::plural(n as f64, "partition", "partitions"))
            }
            TraceKind::PartitionsAdded => format!("the topic now has {n} partitions"),
            TraceKind::GroupJoined => {
                format!("a new consumer group subscribed; {} retained", fmt::plural(n as f64, "record", "records"))
            }
            TraceKind::Skipped => format!("{} skipped, never to be read", fmt::plural(n as f64, "record", "records")),
            TraceKind::Refused => format!("{order} refused: the queue is at the simulation's bound"),
        };
        format!("{side}: {what}")
    }
}

/// Simulated time as "12.5 s" or "3 min 20 s".
pub(super) fn clock(t: Micros) -> String {
    let s = t as f64 / SEC as f64;
    if s < 60.0 {
        format!("{} s", fmt::short(s, 1))
    } else {
        fmt::duration(s, fmt::Unit::S)
    }
}

/// Where the run's notable events go.
pub(super) type TraceLog = Ring<Trace>;

/// What a consumer is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsumerState {
    /// Processing an order.
    Busy { customer: u32, seq: u32, kind: MessageKind },
    /// Waiting to retry a failed order (log only: its partition waits too).
    Retrying { customer: u32, seq: u32 },
    /// Up, with nothing to do right now.
    Waiting,
    /// Up and given nothing to do: on the queue, nothing received for [`super::IDLE_WINDOW`]; on
    /// the log, no partition (it gets nothing however much is waiting).
    Idle,
    /// Crashed (restarts [`super::RESTART_AFTER`] after the crash).
    Down,
}

/// One consumer, for the picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConsumerView {
    pub state: ConsumerState,
    /// The partitions it owns, one bit each (log only).
    pub partitions: u16,
}

/// The queue side now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueSnapshot {
    pub totals: Totals,
    /// Messages waiting to be received.
    pub visible: u32,
    /// Messages received and not yet deleted, dead-lettered or visible again.
    pub in_flight: u32,
    pub idle: u32,
    pub down: u32,
    pub consumers: u32,
}

/// One consumer group now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupSnapshot {
    pub totals: Totals,
    /// Log-end offset minus committed offset, per partition (0 past [`LogSnapshot::partitions`]).
    pub lag: [u64; MAX_PARTITIONS],
    pub lag_total: u64,
    pub idle: u32,
    pub down: u32,
    pub members: u32,
    pub rebalances: u32,
    /// When it subscribed.
    pub joined: Micros,
    /// Records the log held when it subscribed (what `earliest` replays).
    pub retained_at_join: u64,
}

/// The log side now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogSnapshot {
    pub partitions: u32,
    /// Records the log holds.
    pub retained: u64,
    /// The service's own consumer group.
    pub main: GroupSnapshot,
    /// The group that subscribed later, if any.
    pub new_group: Option<GroupSnapshot>,
}

/// Everything the widget shows, as of `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueSemanticsSnapshot {
    pub now: Micros,
    /// Orders sent so far.
    pub orders: u64,
    pub queue: QueueSnapshot,
    pub log: LogSnapshot,
}

#[derive(Clone)]
pub(super) struct Semantics {
    pub p: QueueSemanticsParams,
    arrivals: Rng,
    zipf: Zipf,
    /// `toPositive(murmur2("customer-<n>"))` for each customer.
    hashes: Vec<u32>,
    seqs: Vec<u32>,
    next_id: u64,
    pub queue: QueueSide,
    pub log: LogSide,
    pub trace: TraceLog,
    crashes: u32,
}

impl Semantics {
    fn new(p: QueueSemanticsParams, seed: u64) -> Semantics {
        let hashes = (0..p.customers)
            .map(|n| murmur::to_positive(murmur::murmur2(murmur::customer_key(n).as_bytes())))
            .collect();
        Semantics {
            p,
            arrivals: Rng::new(seed),
            zipf: Zipf::new(p.customers as usize, p.skew),
            hashes,
            seqs: vec![0; p.customers as usize],
            next_id: 0,
            queue: QueueSide::new(&p),
            log: LogSide::new(&p),
            trace: Ring::new(TRACE_LEN),
            crashes: 0,
        }
    }

    /// The gap to the next order.
    fn gap(&mut self) -> Micros {
        secs(self.arrivals.exp(1.0 / self.p.rate_per_s.max(1e-9)))
    }

    fn produce(&mut self, s: &mut Scheduler<Ev>) {
        let customer = self.zipf.sample(&mut self.arrivals) as u32;
        let proc = self.arrivals.lognormal_median_tail(self.p.processing_ms * 1_000.0, self.p.processing_tail);
        self.publish(customer, crate::num::clamp(proc, 1_000.0, 600e6) as u32, MessageKind::Normal, s);
        if self.p.max_orders == 0 || self.next_id < self.p.max_orders {
            let gap = self.gap();
            s.after(gap, Ev::Produce);
        }
    }

    /// Sends one order of `customer` to both sides now.
    pub fn publish(&mut self, customer: u32, proc: u32, kind: MessageKind, s: &mut Scheduler<Ev>) {
        let customer = customer.min(self.p.customers - 1);
        let seq = self.seqs[customer as usize];
        self.seqs[customer as usize] += 1;
        let o = super::sim::Order { id: self.next_id, t: s.now(), customer, seq, proc: proc.max(1), kind };
        self.next_id += 1;
        self.queue.send(o, s, &mut self.trace);
        let partition = self.hashes[customer as usize] % self.log.partitions();
        self.log.append(o, partition, s, &mut self.trace);
    }

    pub fn partition_of(&self, customer: u32) -> Option<u32> {
        Some(self.hashes.get(customer as usize)? % self.log.partitions())
    }
}

impl Model for Semantics {
    type Event = Ev;

    fn handle(&mut self, ev: Ev, s: &mut Scheduler<Ev>) {
        self.queue.before(s.now());
        let tr = &mut self.trace;
        match ev {
            Ev::Produce => self.produce(s),
            Ev::QDone { c, job } => self.queue.done(c, job, s, tr),
            Ev::QVisible { slot, id, receipt } => self.queue.visible(slot, id, receipt, s, tr),
            Ev::QRestart { c, epoch } => self.queue.restart(c, epoch, s, tr),
            Ev::LDispatch { g } => self.log.dispatch_group(g, s, tr),
            Ev::LDone { g, m, job } => self.log.done(g, m, job, s, tr),
            Ev::LRetry { g, m, job } => self.log.retry(g, m, job, s, tr),
            Ev::LCommit { g } => self.log.auto_commit(g, s),
            Ev::LSession { g, m, epoch } => self.log.session_timeout(g, m, epoch, s, tr),
            Ev::LRestart { g, m, epoch } => self.log.restart(g, m, epoch, s, tr),
        }
        self.queue.after(s.now());
    }
}

/// The simulation: one producer, the queue and the log.
#[derive(Clone)]
pub struct QueueSemanticsSim {
    pub(super) engine: Engine<Semantics>,
}

impl QueueSemanticsSim {
    pub fn new(p: QueueSemanticsParams, seed: u64) -> QueueSemanticsSim {
        let p = p.clamped();
        let mut engine = Engine::new(Semantics::new(p, seed));
        engine.model.log.start(&mut engine.sched);
        if p.rate_per_s > 0.0 {
            let gap = engine.model.gap();
            engine.sched.at(gap, Ev::Produce);
        }
        QueueSemanticsSim { engine }
    }

    pub fn params(&self) -> &QueueSemanticsParams {
        &self.engine.model.p
    }

    pub fn now(&self) -> Micros {
        self.engine.now()
    }

    pub fn step(&mut self) -> bool {
        self.engine.step()
    }

    /// Runs `dt` of simulated time; returns the events handled.
    pub fn advance(&mut self, dt: Micros) -> u64 {
        self.engine.advance(dt)
    }

    /// Runs towards `to`, handling at most `max_events`; see [`Engine::advance_to`].
    pub fn advance_to(&mut self, to: Micros, max_events: u64) -> Advanced {
        self.engine.advance_to(to, max_events)
    }

    pub fn events_handled(&self) -> u64 {
        self.engine.events_handled()
    }

    /// Sends one order of `customer` (clamped to the customers there are) to both sides now,
    /// taking `processing` to process (at least 1 µs, at most 600 s).
    pub fn publish(&mut self, customer: u32, processing: Micros, kind: MessageKind) {
        let proc = processing.clamp(1, 600 * SEC) as u32;
        let e = &mut self.engine;
        let now = e.now();
        e.model.queue.before(now);
        e.model.publish(customer, proc, kind, &mut e.sched);
        e.model.queue.after(now);
        e.advance_to(e.now(), u64::MAX);
    }

    /// Crashes one consumer on each side: the queue's consumer `Ck` and the log group's member
    /// `Ck`, `k` taking each live index in turn. Returns false when every consumer is down.
    pub fn crash(&mut self) -> bool {
        let e = &mut self.engine;
        let m = &mut e.model;
        let n = m.p.consumers;
        let Some(k) = (0..n).map(|i| ((m.crashes + i) % n) as u8).find(|&k| m.queue.is_up(k) && m.log.is_up(0, k))
        else {
            return false;
        };
        m.crashes = u32::from(k) + 1;
        m.queue.before(e.sched.now());
        m.queue.crash(k, &mut e.sched, &mut m.trace);
        m.log.crash(0, k, &mut e.sched, &mut m.trace);
        e.advance_to(e.now(), u64::MAX);
        true
    }

    /// Adds [`super::ADDED_PARTITIONS`] partitions (at most [`MAX_PARTITIONS`]); the producer uses
    /// them from now on and every group rebalances. Returns false at the maximum.
    pub fn add_partitions(&mut self) -> bool {
        let e = &mut self.engine;
        let ok = e.model.log.add_partitions(super::ADDED_PARTITIONS, &mut e.sched, &mut e.model.trace);
        e.advance_to(e.now(), u64::MAX);
        ok
    }

    /// A second consumer group (as many members, the same assignor and `auto.offset.reset`)
    /// subscribes now. Returns false if one already has.
    pub fn subscribe_new_group(&mut self) -> bool {
        let e = &mut self.engine;
        let next = e.model.next_id;
        let ok = e.model.log.new_group(next, &mut e.sched, &mut e.model.trace);
        e.advance_to(e.now(), u64::MAX);
        ok
    }

    /// The partition customer `n`'s orders go to now.
    pub fn partition_of(&self, customer: u32) -> Option<u32> {
        self.engine.model.partition_of(customer)
    }

    /// Notable events, oldest first (the last [`TRACE_LEN`]).
    pub fn trace(&self) -> &Ring<Trace> {
        &self.engine.model.trace
    }

    /// The recent processings of lane `lane` (customer `lane`) on `side`, oldest first.
    pub fn lane(&self, side: Side, lane: usize) -> Option<&Ring<LaneCell>> {
        let m = &self.engine.model;
        match side {
            Side::Queue => m.queue.lanes.0.get(lane),
            Side::Log { group } => m.log.lanes(group)?.0.get(lane),
        }
    }

    /// Calls `f` for each consumer of `side`.
    pub fn for_each_consumer(&self, side: Side, f: impl FnMut(ConsumerView)) {
        let m = &self.engine.model;
        let now = self.now();
        match side {
            Side::Queue => m.queue.for_each_consumer(now, f),
            Side::Log { group } => m.log.for_each_member(group, f),
        }
    }

    /// Items the run holds: queued messages' slots, log records and pending events (bounded; see
    /// the module docs).
    pub fn held(&self) -> usize {
        let m = &self.engine.model;
        m.queue.held() + m.log.held() + self.engine.sched.len()
    }

    pub fn snapshot(&self) -> QueueSemanticsSnapshot {
        let m = &self.engine.model;
        let now = self.now();
        QueueSemanticsSnapshot { now, orders: m.next_id, queue: m.queue.snapshot(now), log: m.log.snapshot() }
    }
}
