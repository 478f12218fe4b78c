//! The queue side: SQS-like receives, visibility timeouts, receipt handles, deletes, the
//! dead-letter queue, standard and FIFO queues (see the module docs of `queue_semantics`).

use super::sim::{
    ConsumerState, ConsumerView, Ev, KeyOrder, LaneCell, Lanes, Order, QueueSnapshot, Side, Totals, Trace, TraceKind,
    TraceLog,
};
use super::{MessageKind, QueueKind, QueueSemanticsParams, BACKLOG_BOUND, IDLE_WINDOW, RESTART_AFTER};
use crate::des::{secs, Micros, Scheduler, SEC};
use crate::stats::Ring;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Where {
    Visible,
    InFlight,
    /// Deleted or dead-lettered; the slot lives on while a consumer still holds it.
    Gone,
}

#[derive(Clone, Copy, Debug)]
struct Message {
    order: Order,
    /// ReceiveCount; the receipt handle of receive `k` is `k`.
    receives: u32,
    state: Where,
    /// Consumers processing it now.
    holders: u8,
    /// Whether a processing of it has completed.
    processed: bool,
    free: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Waiting,
    Busy { slot: u32, id: u64, receipt: u32 },
    Down,
}

#[derive(Clone, Copy, Debug)]
struct Consumer {
    state: State,
    /// Bumped at every receive and crash: a `QDone` for another job is stale.
    job: u32,
    epoch: u32,
    last_active: Micros,
}

/// What took the queue outside Little's law's premises last (see [`QueueTheoryStats`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueDeparture {
    /// A consumer crashed.
    Crash,
    /// A visibility timeout ran out: the message will be delivered again.
    Redelivery,
    /// A button published an order (not part of the Poisson stream; the slow and the poison one
    /// also hold a consumer longer than the formula's mean).
    ReaderOrder,
    /// The queue refused an order at the simulation's bound.
    Refused,
}

/// The queue's busy consumers integrated over time since the run last met the premises of
/// Little's law for them: Poisson orders only, each received once and deleted after its
/// processing, every consumer up. It starts again once the queue is calm (every consumer up,
/// nothing waiting, every message in flight on its first receive).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct QueueTheoryStats {
    /// Since when the statistics run (`None`: the run is outside the premises now).
    pub since: Option<Micros>,
    /// When and why the run last left the premises.
    pub departed: Option<(Micros, QueueDeparture)>,
    /// ∫ busy consumers dt since `since`, in consumer·µs.
    pub busy_area: f64,
    /// Orders processed and deleted since `since`.
    pub processed: u64,
    last_mark: Micros,
}

/// The queue once a simulated second, for "Show as table".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueSample {
    /// Simulated seconds.
    pub t: u32,
    /// Messages waiting to be received.
    pub waiting: u32,
    /// Messages received and not yet deleted.
    pub in_flight: u32,
}

/// Seconds of [`QueueSample`]s kept.
pub const QUEUE_SERIES_LEN: usize = 300;

#[derive(Clone)]
pub(super) struct QueueSide {
    fifo: bool,
    vt: Micros,
    max_receives: u32,
    slots: Vec<Message>,
    free: Vec<u32>,
    live: usize,
    /// Standard: visible messages (slot, id), oldest first. Entries that are no longer visible are
    /// skipped when they come up.
    ready: VecDeque<(u32, u64)>,
    /// FIFO: each customer's messages in order, the head first.
    groups: Vec<VecDeque<u32>>,
    /// FIFO: whether the group's head is in flight.
    locked: Vec<bool>,
    /// FIFO: groups whose head is visible, by the head's id (oldest first); stale entries skipped.
    ready_groups: BinaryHeap<Reverse<(u64, u32)>>,
    consumers: Vec<Consumer>,
    /// Waiting consumers, longest-waiting first.
    waiting: VecDeque<u8>,
    pub totals: Totals,
    order: KeyOrder,
    pub lanes: Lanes,
    pub theory: QueueTheoryStats,
    pub series: Ring<QueueSample>,
    /// When the next [`QueueSample`] is due.
    next_sample: Micros,
}

fn note(tr: &mut TraceLog, t: Micros, kind: TraceKind, o: &Order, consumer: u8, n: u32) {
    tr.push(Trace { t, side: Side::Queue, kind, customer: o.customer, seq: o.seq, consumer, n });
}

impl QueueSide {
    pub fn new(p: &QueueSemanticsParams) -> QueueSide {
        let fifo = p.queue == QueueKind::Fifo;
        let n = p.consumers as usize;
        QueueSide {
            fifo,
            vt: secs(p.visibility_timeout_s).max(1),
            max_receives: p.max_receive_count,
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
            ready: VecDeque::new(),
            groups: if fifo { (0..p.customers).map(|_| VecDeque::new()).collect() } else { Vec::new() },
            locked: if fifo { vec![false; p.customers as usize] } else { Vec::new() },
            ready_groups: BinaryHeap::new(),
            consumers: vec![Consumer { state: State::Waiting, job: 0, epoch: 0, last_active: 0 }; n],
            waiting: (0..n as u8).collect(),
            totals: Totals::default(),
            order: KeyOrder::new(p.customers),
            lanes: Lanes::new(),
            theory: QueueTheoryStats { since: Some(0), ..Default::default() },
            series: Ring::new(QUEUE_SERIES_LEN),
            next_sample: 0,
        }
    }

    /// Before an event at `now`: the samples due up to `now` (the queue has not changed since the
    /// last event, so each is exact), and the busy consumers since the last event added to the
    /// Little's-law integral.
    pub fn before(&mut self, now: Micros) {
        if self.next_sample <= now {
            let (waiting, in_flight) = self.counts();
            while self.next_sample <= now {
                let t = (self.next_sample / SEC) as u32;
                self.series.push(QueueSample { t, waiting, in_flight });
                self.next_sample += SEC;
            }
        }
        let busy = self.busy() as f64;
        let t = &mut self.theory;
        if t.since.is_some() {
            t.busy_area += busy * now.saturating_sub(t.last_mark) as f64;
        }
        t.last_mark = now;
    }

    /// After an event at `now`: the statistics start again if the queue is calm.
    pub fn after(&mut self, now: Micros) {
        if self.theory.since.is_none() && self.calm() {
            self.theory.since = Some(now);
            self.theory.last_mark = now;
        }
    }

    /// The run left Little's law's premises at `now`.
    fn depart(&mut self, now: Micros, why: QueueDeparture) {
        self.theory = QueueTheoryStats { departed: Some((now, why)), last_mark: now, ..Default::default() };
    }

    fn busy(&self) -> usize {
        self.consumers.iter().filter(|c| matches!(c.state, State::Busy { .. })).count()
    }

    /// Every consumer up, and every live message in flight on its first receive, held by a
    /// consumer processing an ordinary order: nothing waits and nothing will be delivered again.
    fn calm(&self) -> bool {
        let mut held = 0;
        for c in &self.consumers {
            match c.state {
                State::Down => return false,
                State::Busy { slot, id, receipt } => {
                    let m = &self.slots[slot as usize];
                    let first = m.order.id == id && m.receives == 1 && receipt == 1 && m.state == Where::InFlight;
                    if !first || m.order.kind != MessageKind::Normal {
                        return false;
                    }
                    held += 1;
                }
                State::Waiting => {}
            }
        }
        held == self.live
    }

    /// Whether a consumer is down now.
    pub fn any_down(&self) -> bool {
        self.consumers.iter().any(|c| c.state == State::Down)
    }

    /// Messages waiting and in flight now.
    fn counts(&self) -> (u32, u32) {
        let (mut visible, mut in_flight) = (0, 0);
        for m in self.slots.iter().filter(|m| !m.free) {
            match m.state {
                Where::Visible => visible += 1,
                Where::InFlight => in_flight += 1,
                Where::Gone => {}
            }
        }
        (visible, in_flight)
    }

    /// A new message.
    pub fn send(&mut self, o: Order, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        if o.kind != MessageKind::Normal {
            self.depart(s.now(), QueueDeparture::ReaderOrder);
        }
        if self.live >= BACKLOG_BOUND {
            self.depart(s.now(), QueueDeparture::Refused);
            self.totals.refused += 1;
            note(tr, s.now(), TraceKind::Refused, &o, 0, 0);
            return;
        }
        let m = Message { order: o, receives: 0, state: Where::Visible, holders: 0, processed: false, free: false };
        let slot = match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = m;
                i
            }
            None => {
                self.slots.push(m);
                // Room to free every slot, so freeing never allocates.
                self.free.reserve(self.slots.len() - self.free.len());
                self.slots.len() as u32 - 1
            }
        };
        self.live += 1;
        if self.fifo {
            let g = o.customer as usize;
            self.groups[g].push_back(slot);
            if self.groups[g].len() == 1 && !self.locked[g] {
                self.ready_groups.push(Reverse((o.id, o.customer)));
            }
        } else {
            self.ready.push_back((slot, o.id));
        }
        self.dispatch(s, tr);
    }

    fn is_visible(&self, slot: u32, id: u64) -> bool {
        let m = &self.slots[slot as usize];
        !m.free && m.order.id == id && m.state == Where::Visible
    }

    /// The next message a receive would return, taken off the ready list (FIFO: the group's
    /// entry; the message stays at the head of its group).
    fn next_ready(&mut self) -> Option<u32> {
        if !self.fifo {
            while let Some((slot, id)) = self.ready.pop_front() {
                if self.is_visible(slot, id) {
                    return Some(slot);
                }
            }
            return None;
        }
        while let Some(Reverse((id, g))) = self.ready_groups.pop() {
            let g = g as usize;
            if let Some(&slot) = self.groups[g].front() {
                if !self.locked[g] && self.is_visible(slot, id) {
                    return Some(slot);
                }
            }
        }
        None
    }

    /// Hands visible messages to waiting consumers, longest-waiting first; a message whose
    /// ReceiveCount would exceed the maximum goes to the dead-letter queue instead.
    fn dispatch(&mut self, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        while let Some(&c) = self.waiting.front() {
            let Some(slot) = self.next_ready() else { break };
            if self.slots[slot as usize].receives + 1 > self.max_receives {
                self.dead_letter(slot, s.now(), tr);
                continue;
            }
            self.waiting.pop_front();
            self.receive(c, slot, s, tr);
        }
    }

    fn receive(&mut self, c: u8, slot: u32, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let now = s.now();
        let m = &mut self.slots[slot as usize];
        m.receives += 1;
        m.state = Where::InFlight;
        m.holders += 1;
        let (o, receipt) = (m.order, m.receives);
        if self.fifo {
            self.locked[o.customer as usize] = true;
        }
        self.totals.deliveries += 1;
        if receipt > 1 {
            self.totals.duplicates += 1;
            note(tr, now, TraceKind::Redelivered, &o, c, receipt);
        }
        s.at(now + self.vt, Ev::QVisible { slot, id: o.id, receipt });
        let con = &mut self.consumers[c as usize];
        con.job = con.job.wrapping_add(1);
        con.state = State::Busy { slot, id: o.id, receipt };
        s.at(now + u64::from(o.proc), Ev::QDone { c, job: con.job });
    }

    /// The visibility timeout of receive `receipt` ended.
    pub fn visible(&mut self, slot: u32, id: u64, receipt: u32, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let m = &mut self.slots[slot as usize];
        if m.free || m.order.id != id || m.state != Where::InFlight || m.receives != receipt {
            return;
        }
        m.state = Where::Visible;
        let o = m.order;
        self.depart(s.now(), QueueDeparture::Redelivery);
        if self.fifo {
            self.locked[o.customer as usize] = false;
            self.ready_groups.push(Reverse((o.id, o.customer)));
        } else {
            self.ready.push_back((slot, id));
        }
        self.dispatch(s, tr);
    }

    /// Removes the head of a FIFO group (the message in `slot`) and lets the group's next one be
    /// received.
    fn pop_group(&mut self, o: &Order) {
        let g = o.customer as usize;
        self.groups[g].pop_front();
        self.locked[g] = false;
        if let Some(&next) = self.groups[g].front() {
            let id = self.slots[next as usize].order.id;
            self.ready_groups.push(Reverse((id, o.customer)));
        }
    }

    fn release(&mut self, slot: u32) {
        let m = &mut self.slots[slot as usize];
        m.holders = m.holders.saturating_sub(1);
        if m.state == Where::Gone && m.holders == 0 && !m.free {
            m.free = true;
            self.free.push(slot);
        }
    }

    fn dead_letter(&mut self, slot: u32, now: Micros, tr: &mut TraceLog) {
        let m = &mut self.slots[slot as usize];
        m.state = Where::Gone;
        let (o, receives) = (m.order, m.receives);
        self.live -= 1;
        self.totals.dead_lettered += 1;
        note(tr, now, TraceKind::DeadLettered, &o, 0, receives);
        self.lanes
            .push(o.customer, LaneCell { seq: o.seq, delivery: receives, t: now, flags: LaneCell::DEAD_LETTERED });
        if self.fifo {
            self.pop_group(&o);
        }
        self.release_if_unheld(slot);
    }

    fn release_if_unheld(&mut self, slot: u32) {
        let m = &mut self.slots[slot as usize];
        if m.holders == 0 && !m.free {
            m.free = true;
            self.free.push(slot);
        }
    }

    /// Consumer `c` finished processing: a poison order fails (nothing is deleted); any other is
    /// processed and deleted with the consumer's receipt handle, which must be the latest.
    pub fn done(&mut self, c: u8, job: u32, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let now = s.now();
        let con = self.consumers[c as usize];
        let State::Busy { slot, id, receipt } = con.state else { return };
        if con.job != job || self.slots[slot as usize].order.id != id {
            return;
        }
        let m = self.slots[slot as usize];
        let o = m.order;
        let slow = if o.kind == MessageKind::Slow { LaneCell::SLOW } else { 0 };
        if o.kind == MessageKind::Poison {
            note(tr, now, TraceKind::Failed, &o, c, receipt);
            self.lanes.push(o.customer, LaneCell { seq: o.seq, delivery: receipt, t: now, flags: LaneCell::FAILED });
        } else {
            self.totals.processed += 1;
            let mut flags = slow;
            if receipt > 1 {
                flags |= LaneCell::DUPLICATE;
            }
            if !m.processed {
                self.slots[slot as usize].processed = true;
                if self.order.out_of_order(o.customer, o.seq) {
                    self.totals.out_of_order += 1;
                    flags |= LaneCell::OUT_OF_ORDER;
                    note(tr, now, TraceKind::OutOfOrder, &o, c, 0);
                }
            }
            self.lanes.push(o.customer, LaneCell { seq: o.seq, delivery: receipt, t: now, flags });
            if m.state != Where::Gone && m.receives == receipt {
                self.slots[slot as usize].state = Where::Gone;
                self.live -= 1;
                if self.theory.since.is_some() {
                    self.theory.processed += 1;
                }
                if self.fifo {
                    self.pop_group(&o);
                }
            } else {
                self.totals.stale_deletes += 1;
                note(tr, now, TraceKind::StaleDelete, &o, c, receipt);
            }
        }
        self.release(slot);
        let con = &mut self.consumers[c as usize];
        con.state = State::Waiting;
        con.last_active = now;
        self.waiting.push_back(c);
        self.dispatch(s, tr);
    }

    /// Message slots in use or kept for reuse.
    pub fn held(&self) -> usize {
        self.slots.len()
    }

    pub fn is_up(&self, c: u8) -> bool {
        self.consumers.get(c as usize).is_some_and(|x| x.state != State::Down)
    }

    /// Consumer `c` crashes: whatever it holds stays invisible until its visibility timeout.
    pub fn crash(&mut self, c: u8, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let now = s.now();
        self.depart(now, QueueDeparture::Crash);
        let con = self.consumers[c as usize];
        if let State::Busy { slot, .. } = con.state {
            self.release(slot);
        }
        self.waiting.retain(|&w| w != c);
        let con = &mut self.consumers[c as usize];
        con.state = State::Down;
        con.job = con.job.wrapping_add(1);
        con.epoch = con.epoch.wrapping_add(1);
        tr.push(Trace { t: now, side: Side::Queue, kind: TraceKind::Crashed, customer: 0, seq: 0, consumer: c, n: 0 });
        s.at(now + RESTART_AFTER, Ev::QRestart { c, epoch: con.epoch });
    }

    pub fn restart(&mut self, c: u8, epoch: u32, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let now = s.now();
        let con = &mut self.consumers[c as usize];
        if con.epoch != epoch || con.state != State::Down {
            return;
        }
        con.state = State::Waiting;
        con.last_active = now;
        self.waiting.push_back(c);
        tr.push(Trace {
            t: now,
            side: Side::Queue,
            kind: TraceKind::Restarted,
            customer: 0,
            seq: 0,
            consumer: c,
            n: 0,
        });
        self.dispatch(s, tr);
    }

    fn view(&self, c: &Consumer, now: Micros) -> ConsumerState {
        match c.state {
            State::Down => ConsumerState::Down,
            State::Busy { slot, .. } => {
                let o = self.slots[slot as usize].order;
                ConsumerState::Busy { customer: o.customer, seq: o.seq, kind: o.kind }
            }
            State::Waiting if now.saturating_sub(c.last_active) >= IDLE_WINDOW => ConsumerState::Idle,
            State::Waiting => ConsumerState::Waiting,
        }
    }

    pub fn for_each_consumer(&self, now: Micros, mut f: impl FnMut(ConsumerView)) {
        for c in &self.consumers {
            f(ConsumerView { state: self.view(c, now), partitions: 0 });
        }
    }

    pub fn snapshot(&self, now: Micros) -> QueueSnapshot {
        let (visible, in_flight) = self.counts();
        let (mut idle, mut down) = (0, 0);
        for c in &self.consumers {
            match self.view(c, now) {
                ConsumerState::Idle => idle += 1,
                ConsumerState::Down => down += 1,
                _ => {}
            }
        }
        QueueSnapshot { totals: self.totals, visible, in_flight, idle, down, consumers: self.consumers.len() as u32 }
    }
}
