//! [`Mode::Cp`](super::Mode::Cp): a leader with majority quorums in the manner of Raft
//! (elections, log replication, commit by counting, reads through the log); see the
//! [module docs](super).

use super::cluster::{rname, Append, Cluster, Cmd, Entry, Ev, Msg, Pending};
use super::history::{OpId, OpKind};
use super::sim::Role;
use crate::des::{millis, Micros, Scheduler};

impl Cluster {
    pub(super) fn reset_deadline(&mut self, r: u32, now: Micros) {
        let base = millis(self.p.election_timeout_ms) as f64;
        let d = (base * self.rng.uniform_range(1.0, super::params::ELECTION_SPREAD)) as Micros;
        self.reps[r as usize].deadline = now + d.max(1);
    }

    pub(super) fn majority(&self) -> u32 {
        self.n / 2 + 1
    }

    fn cmd_for(&self, r: u32, p: &Pending) -> Cmd {
        match p.kind {
            OpKind::Write(value) => Cmd::Write { value, op: p.op, coord: r },
            OpKind::Read => Cmd::Read { op: p.op, coord: r },
        }
    }

    /// Hands pending operation `op` of coordinator `r` to the leader `r` knows of (or keeps it
    /// until it learns of one).
    pub(super) fn cp_submit(&mut self, s: &mut Scheduler<Ev>, r: u32, op: OpId) {
        let Some(i) = self.pending_index(r, op) else { return };
        let cmd = self.cmd_for(r, &self.reps[r as usize].pending[i]);
        let rep = &self.reps[r as usize];
        if rep.role == Role::Leader {
            self.reps[r as usize].pending[i].target = Some(r);
            self.cp_leader_accept(s, r, cmd);
        } else if let Some(l) = rep.leader_hint.filter(|&l| l != r) {
            self.reps[r as usize].pending[i].target = Some(l);
            self.send(s, r, l, Msg::Forward { op, cmd });
        } else {
            self.reps[r as usize].pending[i].target = None;
        }
    }

    /// Resubmits pending operations not yet handed to the current leader.
    fn cp_flush(&mut self, s: &mut Scheduler<Ev>, r: u32) {
        let rep = &self.reps[r as usize];
        let leader = if rep.role == Role::Leader { Some(r) } else { rep.leader_hint };
        let Some(leader) = leader else { return };
        let ops: Vec<OpId> = rep.pending.iter().filter(|p| p.target != Some(leader)).map(|p| p.op).collect();
        for op in ops {
            self.cp_submit(s, r, op);
        }
    }

    /// A forwarded operation: the leader takes it, anyone else answers with the leader it knows
    /// of.
    pub(super) fn cp_on_forward(&mut self, s: &mut Scheduler<Ev>, to: u32, from: u32, op: OpId, cmd: Cmd) {
        if self.reps[to as usize].role == Role::Leader {
            self.cp_leader_accept(s, to, cmd);
        } else {
            let hint = self.reps[to as usize].leader_hint;
            self.send(s, to, from, Msg::NotLeader { op, hint });
        }
    }

    /// `from` was not the leader for `op`: forget it (taking its hint) and resubmit if a leader is
    /// known.
    pub(super) fn cp_on_not_leader(&mut self, s: &mut Scheduler<Ev>, to: u32, from: u32, op: OpId, hint: Option<u32>) {
        let Some(i) = self.pending_index(to, op) else { return };
        let rep = &mut self.reps[to as usize];
        if rep.pending[i].target != Some(from) {
            return;
        }
        rep.pending[i].target = None;
        if rep.leader_hint == Some(from) {
            rep.leader_hint = hint.filter(|&h| h != from && h != to);
        }
        if rep.role == Role::Leader || rep.leader_hint.is_some() {
            self.cp_submit(s, to, op);
        }
    }

    /// The leader appends `cmd` unless an uncommitted entry for the same operation is already
    /// waiting in its log.
    fn cp_leader_accept(&mut self, s: &mut Scheduler<Ev>, l: u32, cmd: Cmd) {
        let rep = &self.reps[l as usize];
        if rep.log[rep.commit..].iter().any(|e| e.cmd.op().is_some() && e.cmd.op() == cmd.op()) {
            return;
        }
        self.cp_append_local(s, l, cmd);
    }

    fn cp_append_local(&mut self, s: &mut Scheduler<Ev>, l: u32, cmd: Cmd) {
        let now = s.now();
        let rep = &mut self.reps[l as usize];
        rep.log.push(Entry { term: rep.term, cmd, at: now });
        rep.matched[l as usize] = rep.log.len();
        self.cp_broadcast(s, l);
        self.cp_advance_commit(s, l); // a no-op unless the cluster could commit alone
    }

    fn cp_send_append(&mut self, s: &mut Scheduler<Ev>, l: u32, f: u32) {
        if !self.up(l, f) {
            self.dropped += 1;
            return;
        }
        let rep = &self.reps[l as usize];
        let next = rep.next[f as usize].min(rep.log.len());
        let prev_term = if next == 0 { 0 } else { rep.log[next - 1].term };
        let msg = Msg::Append(Append {
            term: rep.term,
            prev_len: next,
            prev_term,
            entries: rep.log[next..].to_vec(),
            commit: rep.commit,
        });
        self.send(s, l, f, msg);
    }

    fn cp_broadcast(&mut self, s: &mut Scheduler<Ev>, l: u32) {
        for f in 0..self.n {
            if f != l {
                self.cp_send_append(s, l, f);
            }
        }
    }

    /// Adopts a higher term (and forgets the leader) if `term` is newer. Returns true if it was.
    fn cp_observe_term(&mut self, now: Micros, r: u32, term: u64) -> bool {
        let rep = &mut self.reps[r as usize];
        if term <= rep.term {
            return false;
        }
        let was_leader = rep.role == Role::Leader;
        rep.term = term;
        rep.voted_for = None;
        rep.role = Role::Follower;
        rep.leader_hint = None;
        if was_leader {
            self.note(now, format!("{} steps down: it saw term {term}", rname(r)));
        }
        true
    }

    fn cp_apply(&mut self, s: &mut Scheduler<Ev>, r: u32) {
        loop {
            let rep = &mut self.reps[r as usize];
            if rep.applied >= rep.commit {
                break;
            }
            let idx = rep.applied;
            let e = rep.log[idx];
            rep.applied += 1;
            let reply = match e.cmd {
                Cmd::Noop => None,
                Cmd::Write { value, op, coord } => {
                    if let Some(done) = rep.applied_ops.get_mut(op as usize) {
                        if !*done {
                            *done = true;
                            rep.value = Some((value, e.term, idx + 1, e.at));
                        }
                    }
                    Some((coord, op, Ok(vec![])))
                }
                Cmd::Read { op, coord } => Some((coord, op, Ok(vec![rep.value.map_or(0, |v| v.0)]))),
            };
            if rep.role == Role::Leader {
                if let Some((coord, op, result)) = reply {
                    self.send(s, r, coord, Msg::Committed { op, result });
                }
            }
        }
    }

    fn cp_advance_commit(&mut self, s: &mut Scheduler<Ev>, l: u32) {
        let maj = self.majority() as usize;
        let rep = &mut self.reps[l as usize];
        if rep.role != Role::Leader {
            return;
        }
        let mut new_commit = rep.commit;
        for idx in (rep.commit + 1..=rep.log.len()).rev() {
            if rep.log[idx - 1].term != rep.term {
                break;
            }
            if rep.matched.iter().filter(|&&m| m >= idx).count() >= maj {
                new_commit = idx;
                break;
            }
        }
        if new_commit > rep.commit {
            rep.commit = new_commit;
            self.cp_apply(s, l);
        }
    }

    fn cp_become_leader(&mut self, s: &mut Scheduler<Ev>, r: u32) {
        let now = s.now();
        let n = self.n as usize;
        let rep = &mut self.reps[r as usize];
        rep.role = Role::Leader;
        rep.leader_hint = Some(r);
        rep.next = vec![rep.log.len(); n];
        rep.matched = vec![0; n];
        let term = rep.term;
        let votes: Vec<String> = (0..self.n).filter(|i| rep.votes & (1 << i) != 0).map(rname).collect();
        self.note(now, format!("{} elected leader for term {term} (votes: {})", rname(r), votes.join(", ")));
        self.cp_append_local(s, r, Cmd::Noop);
        s.after(millis(self.p.heartbeat_ms), Ev::Heartbeat { replica: r, term });
        self.cp_flush(s, r);
    }

    pub(super) fn cp_election_timer(&mut self, s: &mut Scheduler<Ev>, r: u32) {
        let now = s.now();
        let rep = &self.reps[r as usize];
        if rep.role == Role::Leader {
            s.after(millis(self.p.election_timeout_ms).max(1), Ev::Election { replica: r });
            return;
        }
        if now < rep.deadline {
            s.at(rep.deadline, Ev::Election { replica: r });
            return;
        }
        let rep = &mut self.reps[r as usize];
        rep.term += 1;
        rep.role = Role::Candidate;
        rep.voted_for = Some(r);
        rep.votes = 1 << r;
        rep.leader_hint = None;
        let (term, last_len, last_term) = (rep.term, rep.log.len(), rep.log.last().map_or(0, |e| e.term));
        self.reset_deadline(r, now);
        for v in 0..self.n {
            if v != r {
                self.send(s, r, v, Msg::RequestVote { term, last_len, last_term });
            }
        }
        let deadline = self.reps[r as usize].deadline;
        s.at(deadline, Ev::Election { replica: r });
    }

    /// While `replica` still leads `term`: replicate to every follower (a heartbeat when there is
    /// nothing new) and schedule the next beat.
    pub(super) fn cp_on_heartbeat(&mut self, s: &mut Scheduler<Ev>, replica: u32, term: u64) {
        let rep = &self.reps[replica as usize];
        if rep.role == Role::Leader && rep.term == term {
            self.cp_broadcast(s, replica);
            s.after(millis(self.p.heartbeat_ms), Ev::Heartbeat { replica, term });
        }
    }

    pub(super) fn cp_on_append(&mut self, s: &mut Scheduler<Ev>, f: u32, l: u32, a: Append) {
        let Append { term, prev_len, prev_term, entries, commit } = a;
        let now = s.now();
        self.cp_observe_term(now, f, term);
        let my_term = self.reps[f as usize].term;
        if term < my_term {
            self.send(s, f, l, Msg::AppendReply { term: my_term, ok: false, len: 0 });
            return;
        }
        let rep = &mut self.reps[f as usize];
        rep.role = Role::Follower;
        let new_leader = rep.leader_hint != Some(l);
        rep.leader_hint = Some(l);
        self.reset_deadline(f, now);
        let rep = &mut self.reps[f as usize];
        let consistent = prev_len <= rep.log.len() && (prev_len == 0 || rep.log[prev_len - 1].term == prev_term);
        let reply = if !consistent {
            let hint = if prev_len > rep.log.len() { rep.log.len() } else { prev_len - 1 };
            Msg::AppendReply { term: my_term, ok: false, len: hint }
        } else {
            for (k, e) in entries.iter().enumerate() {
                let idx = prev_len + k;
                if idx < rep.log.len() {
                    if rep.log[idx].term != e.term {
                        rep.log.truncate(idx);
                        rep.log.push(*e);
                    }
                } else {
                    rep.log.push(*e);
                }
            }
            let matched = prev_len + entries.len();
            let new_commit = commit.min(matched);
            if new_commit > rep.commit {
                rep.commit = new_commit;
            }
            Msg::AppendReply { term: my_term, ok: true, len: matched }
        };
        self.cp_apply(s, f);
        self.send(s, f, l, reply);
        if new_leader {
            self.cp_flush(s, f);
        }
    }

    pub(super) fn cp_on_append_reply(
        &mut self,
        s: &mut Scheduler<Ev>,
        l: u32,
        f: u32,
        term: u64,
        ok: bool,
        len: usize,
    ) {
        if self.cp_observe_term(s.now(), l, term) {
            return;
        }
        let rep = &mut self.reps[l as usize];
        if rep.role != Role::Leader || term != rep.term {
            return;
        }
        let fi = f as usize;
        if ok {
            rep.matched[fi] = rep.matched[fi].max(len);
            rep.next[fi] = rep.matched[fi];
            self.cp_advance_commit(s, l);
        } else {
            rep.next[fi] = len.max(rep.matched[fi]).min(rep.log.len());
            self.cp_send_append(s, l, f);
        }
    }

    pub(super) fn cp_on_request_vote(
        &mut self,
        s: &mut Scheduler<Ev>,
        v: u32,
        c: u32,
        term: u64,
        last_len: usize,
        last_term: u64,
    ) {
        let now = s.now();
        self.cp_observe_term(now, v, term);
        let rep = &self.reps[v as usize];
        let mine = (rep.log.last().map_or(0, |e| e.term), rep.log.len());
        let grant = term == rep.term && rep.voted_for.is_none_or(|x| x == c) && (last_term, last_len) >= mine;
        if grant {
            self.reps[v as usize].voted_for = Some(c);
            self.reset_deadline(v, now);
        }
        let term = self.reps[v as usize].term;
        self.send(s, v, c, Msg::Vote { term, granted: grant });
    }

    pub(super) fn cp_on_vote(&mut self, s: &mut Scheduler<Ev>, c: u32, v: u32, term: u64, granted: bool) {
        if self.cp_observe_term(s.now(), c, term) {
            return;
        }
        let maj = self.majority();
        let rep = &mut self.reps[c as usize];
        if rep.role != Role::Candidate || term != rep.term || !granted {
            return;
        }
        rep.votes |= 1 << v;
        if rep.votes.count_ones() >= maj {
            self.cp_become_leader(s, c);
        }
    }
}
