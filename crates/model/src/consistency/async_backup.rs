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

    pub(super) fn async_append(&mut self, s: &mut Scheduler<Ev>, p: u32, value: u32) {
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
    pub(super) fn async_adopt(&mut self, now: Micros, b: u32, p: u32, epoch: u32, log: Vec<AEntry>) {
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
    pub(super) fn async_learn_epoch(&mut self, s: &mut Scheduler<Ev>, x: u32, epoch: u32, primary: u32) {
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
                crate::spec::format_number(self.p.failover_timeout_ms)
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
