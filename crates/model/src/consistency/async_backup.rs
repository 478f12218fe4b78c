//! [`Mode::Async`]: asynchronous primary–backup with failover (manual or automatic), split brain
//! and rollback on heal; see the [module docs](super).

use super::cluster::{rname, AEntry, Cluster, Cmd, Ev, Msg};
use super::history::{OpId, OpKind};
use super::params::Mode;
use super::sim::Role;
use crate::des::{millis, Micros, Scheduler};

impl Cluster {
    pub(super) fn async_value(&self, r: u32) -> u32 {
        self.reps[r as usize].alog.last().map_or(0, |e| e.value)
    }

    pub(super) fn async_start(&mut self, s: &mut Scheduler<Ev>, r: u32, op: OpId, kind: OpKind) {
        match kind {
            OpKind::Read => {
                let v = self.async_value(r);
                self.finish(s, r, op, Ok(vec![v]));
            }
            OpKind::Write(value) => {
                let rep = &self.reps[r as usize];
                if rep.role == Role::Primary {
                    self.async_append(s, r, value);
                    self.finish(s, r, op, Ok(vec![]));
                } else {
                    let p = rep.primary;
                    let i = self.pending_index(r, op).expect("just pushed");
                    self.reps[r as usize].pending[i].target = Some(p);
                    self.send(s, r, p, Msg::Forward { op, cmd: Cmd::Write { value, op, coord: r } });
                }
            }
        }
    }

    /// A forwarded write: the primary appends and acknowledges it; a replica that is no longer
    /// primary refuses.
    pub(super) fn async_on_forward(&mut self, s: &mut Scheduler<Ev>, to: u32, from: u32, op: OpId, cmd: Cmd) {
        let Cmd::Write { value, .. } = cmd else { return };
        if self.reps[to as usize].role == Role::Primary {
            self.async_append(s, to, value);
            self.send(s, to, from, Msg::Committed { op, result: Ok(vec![]) });
        } else {
            let e = format!("{} is not the primary any more", rname(to));
            self.send(s, to, from, Msg::Committed { op, result: Err(e) });
        }
    }

    fn async_append(&mut self, s: &mut Scheduler<Ev>, p: u32, value: u32) {
        let now = s.now();
        let rep = &mut self.reps[p as usize];
        let e = AEntry { value, epoch: rep.epoch, seq: rep.alog.len() as u32 + 1, at: now };
        rep.alog.push(e);
        let (epoch, start) = (rep.epoch, rep.alog.len() - 1);
        for b in 0..self.n {
            if b != p {
                self.send(s, p, b, Msg::Replicate { epoch, start, entries: vec![e] });
            }
        }
    }

    /// Replica `b` adopts `log` from primary `p` in `epoch`, reporting what it discards.
    fn async_adopt(&mut self, now: Micros, b: u32, p: u32, epoch: u32, log: Vec<AEntry>) {
        let rep = &mut self.reps[b as usize];
        let was_primary = rep.role == Role::Primary;
        let discarded: Vec<String> =
            rep.alog.iter().filter(|e| !log.contains(e)).map(|e| e.value.to_string()).collect();
        rep.alog = log;
        rep.epoch = epoch;
        rep.primary = p;
        rep.role = Role::Backup;
        if was_primary {
            self.note(now, format!("{} steps down: {} is primary in epoch {epoch}", rname(b), rname(p)));
        }
        if !discarded.is_empty() {
            self.note(
                now,
                format!("{} rolls back to {}'s log, discarding write(s) {}", rname(b), rname(p), discarded.join(", ")),
            );
        }
    }

    /// Replica `x` learns that `primary` leads `epoch` (newer than its own).
    fn async_learn_epoch(&mut self, s: &mut Scheduler<Ev>, x: u32, epoch: u32, primary: u32) {
        let now = s.now();
        let rep = &mut self.reps[x as usize];
        if epoch <= rep.epoch {
            return;
        }
        if rep.role == Role::Primary {
            self.note(now, format!("{} steps down: {} is primary in epoch {epoch}", rname(x), rname(primary)));
        }
        let rep = &mut self.reps[x as usize];
        rep.epoch = epoch;
        rep.primary = primary;
        rep.role = Role::Backup;
        self.send(s, x, primary, Msg::SyncReq);
    }

    /// Entries shipped by the primary of `epoch`: a backup in that epoch appends them in order
    /// (asking for a gap to be filled); a replica in an older epoch learns the new one; one in a
    /// newer epoch tells the sender.
    pub(super) fn async_on_replicate(
        &mut self,
        s: &mut Scheduler<Ev>,
        to: u32,
        from: u32,
        epoch: u32,
        start: usize,
        entries: Vec<AEntry>,
    ) {
        let rep = &self.reps[to as usize];
        if epoch < rep.epoch {
            let msg = Msg::Hello { epoch: rep.epoch, primary: rep.primary, len: rep.alog.len() };
            self.send(s, to, from, msg);
        } else if epoch > rep.epoch {
            self.async_learn_epoch(s, to, epoch, from);
        } else if rep.role == Role::Backup {
            let rep = &mut self.reps[to as usize];
            if start > rep.alog.len() {
                let len = rep.alog.len();
                self.send(s, to, from, Msg::Gap { epoch, len });
            } else {
                for (k, e) in entries.into_iter().enumerate() {
                    if start + k == rep.alog.len() {
                        rep.alog.push(e);
                    }
                }
            }
        }
    }

    /// A backup of `epoch` holds only `len` entries: the primary sends the rest.
    pub(super) fn async_on_gap(&mut self, s: &mut Scheduler<Ev>, to: u32, from: u32, epoch: u32, len: usize) {
        let rep = &self.reps[to as usize];
        if rep.role == Role::Primary && rep.epoch == epoch && len < rep.alog.len() {
            let entries = rep.alog[len..].to_vec();
            self.send(s, to, from, Msg::Replicate { epoch, start: len, entries });
        }
    }

    /// Another replica's epoch, primary and log length (sent on heal): the one behind learns the
    /// newer epoch, and a primary sends a backup the entries it lacks.
    pub(super) fn async_on_hello(
        &mut self,
        s: &mut Scheduler<Ev>,
        to: u32,
        from: u32,
        epoch: u32,
        primary: u32,
        len: usize,
    ) {
        let rep = &self.reps[to as usize];
        if epoch > rep.epoch {
            self.async_learn_epoch(s, to, epoch, primary);
        } else if epoch < rep.epoch {
            let msg = Msg::Hello { epoch: rep.epoch, primary: rep.primary, len: rep.alog.len() };
            self.send(s, to, from, msg);
        } else if rep.role == Role::Primary && len < rep.alog.len() {
            let entries = rep.alog[len..].to_vec();
            self.send(s, to, from, Msg::Replicate { epoch, start: len, entries });
        }
    }

    /// A replica asks for the whole log: the primary sends it.
    pub(super) fn async_on_sync_req(&mut self, s: &mut Scheduler<Ev>, to: u32, from: u32) {
        let rep = &self.reps[to as usize];
        if rep.role == Role::Primary {
            let msg = Msg::SyncLog { epoch: rep.epoch, log: rep.alog.clone() };
            self.send(s, to, from, msg);
        }
    }

    /// A primary's whole log: adopted from the primary of a newer epoch, or from this backup's own
    /// primary.
    pub(super) fn async_on_sync_log(&mut self, now: Micros, to: u32, from: u32, epoch: u32, log: Vec<AEntry>) {
        let rep = &self.reps[to as usize];
        if epoch > rep.epoch || (epoch == rep.epoch && rep.primary == from && rep.role == Role::Backup) {
            self.async_adopt(now, to, from, epoch, log);
        }
    }

    /// When the link between replicas `a` and `b` heals, each tells the other its epoch, primary
    /// and log length.
    pub(super) fn async_on_heal(&mut self, s: &mut Scheduler<Ev>, a: u32, b: u32) {
        for (x, y) in [(a, b), (b, a)] {
            let rep = &self.reps[x as usize];
            let msg = Msg::Hello { epoch: rep.epoch, primary: rep.primary, len: rep.alog.len() };
            self.send(s, x, y, msg);
        }
    }

    pub(super) fn async_check_isolation(&mut self, s: &mut Scheduler<Ev>) {
        if self.p.mode != Mode::Async {
            return;
        }
        let p = self.primary;
        let isolated = (0..self.n).filter(|&o| o != p).all(|o| !self.up(p, o));
        match (isolated, self.isolated_since) {
            (true, None) => {
                self.isolated_since = Some(s.now());
                self.isolation_gen += 1;
                s.after(millis(self.p.failover_timeout_ms), Ev::FailoverCheck { gen: self.isolation_gen });
            }
            (false, Some(_)) => {
                self.isolated_since = None;
                self.isolation_gen += 1;
            }
            _ => {}
        }
    }

    /// The automatic failover's timer: fail over if the primary has stayed cut off since the
    /// check was armed.
    pub(super) fn async_on_failover_check(&mut self, s: &mut Scheduler<Ev>, gen: u32) {
        if gen == self.isolation_gen && self.isolated_since.is_some() {
            let _ = self.failover(s, true);
        }
    }

    pub(super) fn failover(&mut self, s: &mut Scheduler<Ev>, automatic: bool) -> Result<u32, String> {
        if self.p.mode != Mode::Async {
            return Err("failover applies to async primary–backup mode only".into());
        }
        let now = s.now();
        let old = self.primary;
        let best = (0..self.n)
            .filter(|&r| r != old)
            .max_by_key(|&r| {
                let rep = &self.reps[r as usize];
                (rep.epoch, rep.alog.len(), std::cmp::Reverse(r))
            })
            .expect("at least three replicas");
        self.epoch += 1;
        self.stale_on_failover(now);
        let epoch = self.epoch;
        let rep = &mut self.reps[best as usize];
        rep.role = Role::Primary;
        rep.epoch = epoch;
        rep.primary = best;
        let log = rep.alog.clone();
        self.primary = best;
        let why = if automatic {
            format!(
                "{} cut off for {} ms: automatic failover",
                rname(old),
                crate::fmt::number(self.p.failover_timeout_ms)
            )
        } else {
            "manual failover".to_string()
        };
        self.note(now, format!("{why}: {} promoted to primary (epoch {epoch}, {} writes)", rname(best), log.len()));
        for o in 0..self.n {
            if o != best {
                self.send(s, best, o, Msg::SyncLog { epoch, log: log.clone() });
            }
        }
        self.isolated_since = None;
        self.isolation_gen += 1;
        self.async_check_isolation(s);
        Ok(best)
    }
}
