//! The log side: partitions with retention, consumer groups with their assignors, offsets,
//! commits, rebalances and in-place retries (see the module docs of `queue_semantics`).

use super::assign::{assign_into, Assignor, Scratch};
use super::sim::{
    ConsumerState, ConsumerView, Ev, GroupSnapshot, KeyOrder, LaneCell, Lanes, LogSnapshot, Order, Side, Totals, Trace,
    TraceKind, TraceLog,
};
use super::{
    Commit, MessageKind, OffsetReset, QueueSemanticsParams, AUTO_COMMIT, LOG_CAP, MAX_PARTITIONS, REBALANCE_PAUSE,
    RESTART_AFTER, SESSION_TIMEOUT,
};
use crate::des::{secs, Micros, Scheduler};
use std::collections::VecDeque;

/// Most consumer groups: the service's own and one that subscribes later.
const MAX_GROUPS: usize = 2;

#[derive(Clone)]
struct Partition {
    records: VecDeque<Order>,
    /// The offset of `records[0]` (the log-start offset).
    start: u64,
}

impl Partition {
    /// Room for every record it may keep, taken at once so appending never allocates.
    fn new() -> Partition {
        Partition { records: VecDeque::with_capacity(LOG_CAP), start: 0 }
    }
    fn end(&self) -> u64 {
        self.start + self.records.len() as u64
    }
    fn get(&self, offset: u64) -> Option<&Order> {
        self.records.get(usize::try_from(offset.checked_sub(self.start)?).ok()?)
    }
}

/// A consumer group's view of one partition.
#[derive(Clone, Copy, Debug, Default)]
struct Cursor {
    owner: Option<u8>,
    committed: Option<u64>,
    /// The next offset the owner fetches.
    next: u64,
    /// The owner holds the record at `next - 1` (processing it, or waiting to retry it).
    in_progress: bool,
    /// The position is to be looked up again (from the committed offset, or by
    /// `auto.offset.reset`) before the next fetch.
    reposition: bool,
    /// Not fetched before this time (a rebalance).
    pause_until: Micros,
    /// One past the highest offset ever delivered to the group: below it, a delivery is a
    /// duplicate.
    delivered_upto: u64,
    /// One past the highest offset whose processing completed.
    processed_upto: u64,
    /// Failed attempts of the record in hand.
    attempts: u32,
    /// Commit when the record in hand is done (the partition was revoked meanwhile).
    commit_on_done: bool,
}

impl Cursor {
    /// The offset after the last record the owner finished with.
    fn position(&self) -> u64 {
        self.next - u64::from(self.in_progress)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Idle,
    Busy {
        p: u8,
        offset: u64,
        order: Order,
        redelivery: bool,
    },
    /// Waiting to retry the failed record at `offset` (or, with `give_up`, to dead-letter it).
    Backoff {
        p: u8,
        offset: u64,
        order: Order,
        give_up: bool,
    },
    Down,
}

#[derive(Clone, Copy, Debug)]
struct Member {
    state: State,
    /// The group counts it as a member (a crashed one until its session times out).
    in_group: bool,
    job: u32,
    epoch: u32,
    /// The partition it fetched from last (it takes its partitions in turn).
    last_partition: u8,
    last_active: Micros,
}

#[derive(Clone)]
struct Group {
    joined: Micros,
    /// Orders with a smaller id were written before the group subscribed.
    first_id: u64,
    retained_at_join: u64,
    members: Vec<Member>,
    cursors: Vec<Cursor>,
    totals: Totals,
    order: KeyOrder,
    lanes: Lanes,
    rebalances: u32,
}

#[derive(Clone)]
pub(super) struct LogSide {
    parts: Vec<Partition>,
    groups: Vec<Group>,
    assignor: Assignor,
    commit: Commit,
    reset: OffsetReset,
    retention: Micros,
    /// Between attempts at a failing record (the queue's visibility timeout).
    backoff: Micros,
    max_attempts: u32,
    consumers: u32,
    customers: u32,
    /// Working space of rebalances (so that one allocates nothing).
    members: Vec<u8>,
    previous: Vec<Option<usize>>,
    owners: Vec<Option<usize>>,
    scratch: Scratch,
}

fn note(tr: &mut TraceLog, t: Micros, g: u8, kind: TraceKind, o: Option<&Order>, consumer: u8, n: u32) {
    let (customer, seq) = o.map_or((0, 0), |o| (o.customer, o.seq));
    tr.push(Trace { t, side: Side::Log { group: g }, kind, customer, seq, consumer, n });
}

impl LogSide {
    pub fn new(p: &QueueSemanticsParams) -> LogSide {
        LogSide {
            parts: (0..p.partitions).map(|_| Partition::new()).collect(),
            groups: Vec::with_capacity(MAX_GROUPS),
            assignor: p.assignor,
            commit: p.commit,
            reset: p.offset_reset,
            retention: secs(p.retention_h * 3_600.0).max(1),
            backoff: secs(p.visibility_timeout_s).max(1),
            max_attempts: p.max_receive_count,
            consumers: p.consumers,
            customers: p.customers,
            members: Vec::with_capacity(p.consumers as usize),
            previous: Vec::with_capacity(MAX_PARTITIONS),
            owners: Vec::with_capacity(MAX_PARTITIONS),
            scratch: Scratch::default(),
        }
    }

    pub fn partitions(&self) -> u32 {
        self.parts.len() as u32
    }

    /// The service's own group, formed before the first order: every partition from offset 0.
    pub fn start(&mut self, s: &mut Scheduler<Ev>) {
        let mut g = self.group(0, 0);
        assign_into(self.assignor, self.partitions(), g.members.len(), &[], &mut self.owners, &mut self.scratch);
        for (c, o) in g.cursors.iter_mut().zip(&self.owners) {
            c.owner = o.map(|m| m as u8);
        }
        self.groups.push(g);
        if self.commit == Commit::Auto {
            s.at(AUTO_COMMIT, Ev::LCommit { g: 0 });
        }
    }

    fn group(&self, now: Micros, first_id: u64) -> Group {
        let member =
            Member { state: State::Idle, in_group: true, job: 0, epoch: 0, last_partition: 0, last_active: now };
        Group {
            joined: now,
            first_id,
            retained_at_join: self.parts.iter().map(|p| p.records.len() as u64).sum(),
            members: vec![member; self.consumers as usize],
            cursors: vec![Cursor::default(); self.parts.len()],
            totals: Totals::default(),
            order: KeyOrder::new(self.customers),
            lanes: Lanes::new(),
            rebalances: 0,
        }
    }

    pub fn lanes(&self, g: u8) -> Option<&Lanes> {
        self.groups.get(g as usize).map(|g| &g.lanes)
    }

    /// Appends an order to partition `p`, first dropping what retention no longer keeps.
    pub fn append(&mut self, o: Order, p: u32, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let now = s.now();
        let part = &mut self.parts[p as usize];
        while let Some(front) = part.records.front() {
            if part.records.len() >= LOG_CAP || front.t.saturating_add(self.retention) <= now {
                part.records.pop_front();
                part.start += 1;
            } else {
                break;
            }
        }
        part.records.push_back(o);
        for g in 0..self.groups.len() {
            if let Some(m) = self.groups[g].cursors[p as usize].owner {
                self.dispatch_member(g as u8, m, s, tr);
            }
        }
    }

    /// Looks the position of partition `p` up again if a rebalance asked for it and the partition
    /// may be fetched: the committed offset, or `auto.offset.reset`.
    fn resolve(&mut self, g: u8, p: usize, now: Micros, tr: &mut TraceLog) {
        let reset = self.reset;
        let part = &self.parts[p];
        let (start, end) = (part.start, part.end());
        let group = &mut self.groups[g as usize];
        let c = &mut group.cursors[p];
        if !c.reposition || c.in_progress || now < c.pause_until {
            return;
        }
        c.reposition = false;
        match c.committed {
            Some(offset) => c.next = offset,
            None => {
                c.next = start;
                if reset == OffsetReset::Latest {
                    self.jump(g, p, end, now, tr);
                }
            }
        }
    }

    /// Moves partition `p`'s cursor forward to `to`; the records jumped over that were written
    /// after the group subscribed are skipped for good.
    fn jump(&mut self, g: u8, p: usize, to: u64, now: Micros, tr: &mut TraceLog) {
        let part = &self.parts[p];
        let group = &mut self.groups[g as usize];
        let c = &mut group.cursors[p];
        let from = c.next.max(part.start);
        let lost = (from..to).filter(|&o| part.get(o).is_some_and(|r| r.id >= group.first_id)).count() as u64;
        let evicted = part.start.saturating_sub(c.next);
        c.next = to;
        if lost + evicted > 0 {
            group.totals.skipped += lost + evicted;
            note(tr, now, g, TraceKind::Skipped, None, 0, (lost + evicted) as u32);
        }
    }

    pub fn dispatch_group(&mut self, g: u8, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let Some(group) = self.groups.get(g as usize) else { return };
        for p in 0..group.cursors.len() {
            self.resolve(g, p, s.now(), tr);
        }
        for m in 0..self.groups[g as usize].members.len() {
            self.dispatch_member(g, m as u8, s, tr);
        }
    }

    /// Member `m`, if free, fetches the next record of the next of its partitions that has one.
    fn dispatch_member(&mut self, g: u8, m: u8, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let now = s.now();
        let n = self.parts.len();
        let member = self.groups[g as usize].members[m as usize];
        if member.state != State::Idle || !member.in_group {
            return;
        }
        for k in 1..=n {
            let p = (member.last_partition as usize + k) % n;
            let c = self.groups[g as usize].cursors[p];
            if c.owner != Some(m) || c.in_progress || now < c.pause_until {
                continue;
            }
            self.resolve(g, p, now, tr);
            let start = self.parts[p].start;
            if self.groups[g as usize].cursors[p].next < start {
                // Out of range: retention deleted the records before the group read them.
                let to = if self.reset == OffsetReset::Earliest { start } else { self.parts[p].end() };
                self.jump(g, p, to, now, tr);
            }
            let c = self.groups[g as usize].cursors[p];
            if c.reposition {
                continue;
            }
            if let Some(&o) = self.parts[p].get(c.next) {
                self.deliver(g, m, p as u8, c.next, o, s, tr);
                return;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn deliver(&mut self, g: u8, m: u8, p: u8, offset: u64, o: Order, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let now = s.now();
        let group = &mut self.groups[g as usize];
        let c = &mut group.cursors[p as usize];
        c.next = offset + 1;
        c.in_progress = true;
        group.totals.deliveries += 1;
        let redelivery = offset < c.delivered_upto;
        if redelivery {
            group.totals.duplicates += 1;
            note(tr, now, g, TraceKind::Redelivered, Some(&o), m, 0);
        } else {
            c.delivered_upto = offset + 1;
            if o.id < group.first_id {
                group.totals.replayed += 1;
            }
        }
        let member = &mut group.members[m as usize];
        member.job = member.job.wrapping_add(1);
        member.state = State::Busy { p, offset, order: o, redelivery };
        member.last_partition = p;
        s.at(now + u64::from(o.proc), Ev::LDone { g, m, job: member.job });
    }

    /// Member `m` finished processing its record.
    pub fn done(&mut self, g: u8, m: u8, job: u32, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let now = s.now();
        let (backoff, max_attempts) = (self.backoff, self.max_attempts);
        let Some(group) = self.groups.get_mut(g as usize) else { return };
        let member = group.members[m as usize];
        let State::Busy { p, offset, order: o, redelivery } = member.state else { return };
        if member.job != job {
            return;
        }
        let c = &mut group.cursors[p as usize];
        if o.kind == MessageKind::Poison {
            c.attempts += 1;
            let attempt = c.attempts;
            note(tr, now, g, TraceKind::Failed, Some(&o), m, attempt);
            group.lanes.push(o.customer, LaneCell { seq: o.seq, delivery: attempt, t: now, flags: LaneCell::FAILED });
            // The next attempt is due a backoff after this one started, as a visibility timeout
            // would bring it back.
            let started = now - u64::from(o.proc);
            let give_up = attempt >= max_attempts;
            group.members[m as usize].state = State::Backoff { p, offset, order: o, give_up };
            s.at((started + backoff).max(now), Ev::LRetry { g, m, job });
            return;
        }
        group.totals.processed += 1;
        let mut flags = if o.kind == MessageKind::Slow { LaneCell::SLOW } else { 0 };
        if redelivery {
            flags |= LaneCell::DUPLICATE;
        }
        if offset >= c.processed_upto {
            c.processed_upto = offset + 1;
            if group.order.out_of_order(o.customer, o.seq) {
                group.totals.out_of_order += 1;
                flags |= LaneCell::OUT_OF_ORDER;
                if g == 0 {
                    // (A replaying group's reorderings would flood the event list; it has a count.)
                    note(tr, now, g, TraceKind::OutOfOrder, Some(&o), m, 0);
                }
            }
        }
        let delivery = if redelivery { 2 } else { 1 };
        group.lanes.push(o.customer, LaneCell { seq: o.seq, delivery, t: now, flags });
        self.finish(g, m, p, offset, s, tr);
    }

    /// Member `m` is done with the record at `offset` of partition `p` (processed or
    /// dead-lettered): it commits if it should, and moves on.
    fn finish(&mut self, g: u8, m: u8, p: u8, offset: u64, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let now = s.now();
        let commit = self.commit;
        let group = &mut self.groups[g as usize];
        let c = &mut group.cursors[p as usize];
        c.in_progress = false;
        c.attempts = 0;
        if commit == Commit::AfterProcess || c.commit_on_done {
            c.committed = Some(offset + 1);
            c.commit_on_done = false;
        }
        let owner = c.owner;
        let member = &mut group.members[m as usize];
        member.state = State::Idle;
        member.last_active = now;
        if owner != Some(m) {
            // Revoked while this member held it: the new owner may start now.
            self.resolve(g, p as usize, now, tr);
            if let Some(o) = owner {
                self.dispatch_member(g, o, s, tr);
            }
        }
        self.dispatch_member(g, m, s, tr);
    }

    /// A failed record's backoff ended: try it again, or write it to the dead-letter topic.
    pub fn retry(&mut self, g: u8, m: u8, job: u32, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let now = s.now();
        let Some(group) = self.groups.get_mut(g as usize) else { return };
        let member = group.members[m as usize];
        let State::Backoff { p, offset, order: o, give_up } = member.state else { return };
        if member.job != job {
            return;
        }
        if give_up {
            group.totals.dead_lettered += 1;
            let attempts = group.cursors[p as usize].attempts;
            note(tr, now, g, TraceKind::DeadLettered, Some(&o), m, attempts);
            let cell = LaneCell { seq: o.seq, delivery: attempts, t: now, flags: LaneCell::DEAD_LETTERED };
            group.lanes.push(o.customer, cell);
            self.finish(g, m, p, offset, s, tr);
            return;
        }
        group.totals.deliveries += 1;
        group.totals.duplicates += 1;
        let attempt = group.cursors[p as usize].attempts + 1;
        note(tr, now, g, TraceKind::Redelivered, Some(&o), m, attempt);
        group.members[m as usize].state = State::Busy { p, offset, order: o, redelivery: true };
        s.at(now + u64::from(o.proc), Ev::LDone { g, m, job });
    }

    /// `enable.auto.commit`: every live member commits the position of each of its partitions.
    pub fn auto_commit(&mut self, g: u8, s: &mut Scheduler<Ev>) {
        let Some(group) = self.groups.get_mut(g as usize) else { return };
        for c in group.cursors.iter_mut() {
            let alive = c.owner.is_some_and(|o| group.members[o as usize].state != State::Down);
            if alive && !c.reposition {
                c.committed = Some(c.position());
            }
        }
        s.after(AUTO_COMMIT, Ev::LCommit { g });
    }

    /// Records held.
    pub fn held(&self) -> usize {
        self.parts.iter().map(|p| p.records.len()).sum()
    }

    pub fn is_up(&self, g: u8, m: u8) -> bool {
        self.groups.get(g as usize).and_then(|g| g.members.get(m as usize)).is_some_and(|x| x.state != State::Down)
    }

    /// Member `m` of group `g` crashes: its record in hand is lost with everything it has not
    /// committed; the group notices after the session timeout; it restarts later.
    pub fn crash(&mut self, g: u8, m: u8, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let now = s.now();
        let Some(group) = self.groups.get_mut(g as usize) else { return };
        let member = &mut group.members[m as usize];
        if let State::Busy { p, .. } | State::Backoff { p, .. } = member.state {
            let c = &mut group.cursors[p as usize];
            c.in_progress = false;
            c.attempts = 0;
            c.commit_on_done = false;
        }
        member.state = State::Down;
        member.job = member.job.wrapping_add(1);
        member.epoch = member.epoch.wrapping_add(1);
        let epoch = member.epoch;
        note(tr, now, g, TraceKind::Crashed, None, m, 0);
        s.at(now + SESSION_TIMEOUT, Ev::LSession { g, m, epoch });
        s.at(now + RESTART_AFTER, Ev::LRestart { g, m, epoch });
        // A partition it held but had lost to a rebalance may go to its new owner now.
        for p in 0..self.groups[g as usize].cursors.len() {
            let c = self.groups[g as usize].cursors[p];
            if c.owner != Some(m) && c.reposition {
                self.resolve(g, p, now, tr);
                if let Some(o) = c.owner {
                    self.dispatch_member(g, o, s, tr);
                }
            }
        }
    }

    pub fn session_timeout(&mut self, g: u8, m: u8, epoch: u32, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let Some(group) = self.groups.get_mut(g as usize) else { return };
        let member = &mut group.members[m as usize];
        if member.epoch != epoch || member.state != State::Down || !member.in_group {
            return;
        }
        member.in_group = false;
        self.rebalance(g, s, tr);
    }

    pub fn restart(&mut self, g: u8, m: u8, epoch: u32, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let now = s.now();
        let Some(group) = self.groups.get_mut(g as usize) else { return };
        let member = &mut group.members[m as usize];
        if member.epoch != epoch || member.state != State::Down {
            return;
        }
        member.state = State::Idle;
        member.in_group = true;
        member.last_active = now;
        note(tr, now, g, TraceKind::Restarted, None, m, 0);
        self.rebalance(g, s, tr);
    }

    /// Reassigns group `g`'s partitions among its members. Eager assignors revoke every
    /// partition; cooperative sticky only those that move. A revoked partition's live owner
    /// commits its position (after the record in hand, if any); the new owner starts from the
    /// committed offset once the pause is over.
    fn rebalance(&mut self, g: u8, s: &mut Scheduler<Ev>, tr: &mut TraceLog) {
        let now = s.now();
        let assignor = self.assignor;
        let group = &mut self.groups[g as usize];
        self.members.clear();
        self.members.extend((0..group.members.len() as u8).filter(|&m| group.members[m as usize].in_group));
        self.previous.clear();
        let members = &self.members;
        self.previous.extend(group.cursors.iter().map(|c| c.owner.and_then(|o| members.iter().position(|&m| m == o))));
        let n = group.cursors.len() as u32;
        assign_into(assignor, n, members.len(), &self.previous, &mut self.owners, &mut self.scratch);
        let mut moved = 0;
        for (p, new) in self.owners.iter().enumerate() {
            let new = new.map(|i| members[i]);
            let c = &mut group.cursors[p];
            let old = c.owner;
            if new == old && !assignor.eager() {
                continue;
            }
            if new != old {
                moved += 1;
            }
            if let Some(o) = old {
                let member = &mut group.members[o as usize];
                match member.state {
                    State::Down => {}
                    State::Busy { p: held, .. } if held as usize == p => c.commit_on_done = true,
                    State::Backoff { p: held, offset, .. } if held as usize == p => {
                        // The retry in hand is abandoned; the new owner starts from this record.
                        member.state = State::Idle;
                        member.job = member.job.wrapping_add(1);
                        c.in_progress = false;
                        c.attempts = 0;
                        c.committed = Some(offset);
                    }
                    _ if !c.reposition => c.committed = Some(c.position()),
                    _ => {}
                }
            }
            c.owner = new;
            c.reposition = true;
            c.pause_until = now + REBALANCE_PAUSE;
        }
        group.rebalances += 1;
        note(tr, now, g, TraceKind::Rebalanced, None, 0, moved);
        s.at(now + REBALANCE_PAUSE, Ev::LDispatch { g });
        self.dispatch_group(g, s, tr);
    }

    /// Adds `n` partitions (up to [`MAX_PARTITIONS`]) and rebalances every group.
    pub fn add_partitions(&mut self, n: u32, s: &mut Scheduler<Ev>, tr: &mut TraceLog) -> bool {
        let to = (self.parts.len() + n as usize).min(MAX_PARTITIONS);
        if to == self.parts.len() {
            return false;
        }
        while self.parts.len() < to {
            self.parts.push(Partition::new());
            for group in &mut self.groups {
                group.cursors.push(Cursor { reposition: true, ..Cursor::default() });
            }
        }
        note(tr, s.now(), 0, TraceKind::PartitionsAdded, None, 0, to as u32);
        for g in 0..self.groups.len() {
            self.rebalance(g as u8, s, tr);
        }
        true
    }

    /// A second consumer group subscribes now; `next_id` is the next order's id.
    pub fn new_group(&mut self, next_id: u64, s: &mut Scheduler<Ev>, tr: &mut TraceLog) -> bool {
        if self.groups.len() >= MAX_GROUPS {
            return false;
        }
        let now = s.now();
        let index = self.groups.len() as u8;
        let mut group = self.group(now, next_id);
        assign_into(self.assignor, self.partitions(), group.members.len(), &[], &mut self.owners, &mut self.scratch);
        for (c, o) in group.cursors.iter_mut().zip(&self.owners) {
            c.owner = o.map(|m| m as u8);
            c.reposition = true;
            c.pause_until = now + REBALANCE_PAUSE;
        }
        let retained = group.retained_at_join;
        self.groups.push(group);
        note(tr, now, index, TraceKind::GroupJoined, None, 0, retained as u32);
        s.at(now + REBALANCE_PAUSE, Ev::LDispatch { g: index });
        if self.commit == Commit::Auto {
            s.at(now + AUTO_COMMIT, Ev::LCommit { g: index });
        }
        true
    }

    /// What member `i` is doing; a live member with no partition is idle, however long it has
    /// waited.
    fn view(group: &Group, i: usize) -> ConsumerState {
        let m = &group.members[i];
        match m.state {
            State::Down => ConsumerState::Down,
            State::Busy { order: o, .. } => ConsumerState::Busy { customer: o.customer, seq: o.seq, kind: o.kind },
            State::Backoff { order: o, .. } => ConsumerState::Retrying { customer: o.customer, seq: o.seq },
            State::Idle if !group.cursors.iter().any(|c| c.owner == Some(i as u8)) => ConsumerState::Idle,
            State::Idle => ConsumerState::Waiting,
        }
    }

    pub fn for_each_member(&self, g: u8, mut f: impl FnMut(ConsumerView)) {
        let Some(group) = self.groups.get(g as usize) else { return };
        for (i, m) in group.members.iter().enumerate() {
            let mut partitions = 0u16;
            for (p, c) in group.cursors.iter().enumerate() {
                if c.owner == Some(i as u8) && m.in_group {
                    partitions |= 1 << p;
                }
            }
            f(ConsumerView { state: Self::view(group, i), partitions });
        }
    }

    fn group_snapshot(&self, group: &Group) -> GroupSnapshot {
        let mut lag = [0u64; MAX_PARTITIONS];
        for (p, (c, part)) in group.cursors.iter().zip(&self.parts).enumerate() {
            let from = match c.committed {
                Some(offset) => offset,
                None if c.reposition && self.reset == OffsetReset::Latest => part.end(),
                None if c.reposition => part.start,
                None => c.position(),
            };
            lag[p] = part.end().saturating_sub(from.max(part.start));
        }
        let (mut idle, mut down) = (0, 0);
        for i in 0..group.members.len() {
            match Self::view(group, i) {
                ConsumerState::Idle => idle += 1,
                ConsumerState::Down => down += 1,
                _ => {}
            }
        }
        GroupSnapshot {
            totals: group.totals,
            lag,
            lag_total: lag.iter().sum(),
            idle,
            down,
            members: group.members.len() as u32,
            rebalances: group.rebalances,
            joined: group.joined,
            retained_at_join: group.retained_at_join,
        }
    }

    pub fn snapshot(&self) -> LogSnapshot {
        LogSnapshot {
            partitions: self.partitions(),
            retained: self.parts.iter().map(|p| p.records.len() as u64).sum(),
            main: self.group_snapshot(&self.groups[0]),
            new_group: self.groups.get(1).map(|g| self.group_snapshot(g)),
        }
    }
}
