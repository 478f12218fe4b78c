//! [`Mode::Ap`](super::Mode::Ap): leaderless, Dynamo-style replication with N/R/W and sloppy
//! quorums, hinted handoff, and last-writer-wins or siblings; see the [module docs](super).

use super::cluster::{rname, Cluster, Ev, Msg, Version};
use super::history::{OpId, OpKind};
use super::params::Conflict;
use crate::des::{millis, Micros, Scheduler};

impl Cluster {
    fn clock(&self, r: u32, now: Micros) -> i64 {
        now as i64 - r as i64 * millis(self.p.clock_skew_ms) as i64
    }

    /// Merges `incoming` into a set of versions under the configured conflict rule.
    fn merge(conflict: Conflict, store: &mut Vec<Version>, incoming: &[Version]) {
        for v in incoming {
            match conflict {
                Conflict::LastWriterWins => {
                    let better = match store.first() {
                        None => true,
                        Some(cur) => (v.ts, v.writer, v.value) > (cur.ts, cur.writer, cur.value),
                    };
                    if better {
                        store.clear();
                        store.push(v.clone());
                    }
                }
                Conflict::Siblings => {
                    if store.iter().any(|x| x.covers(v)) {
                        continue;
                    }
                    store.retain(|x| !v.covers(x));
                    store.push(v.clone());
                }
            }
        }
        crate::num::sort::short_stable_by_key(store, |v| (v.ts, v.writer));
    }

    pub(super) fn ap_values(&self, got: &[Version]) -> Vec<u32> {
        let mut merged = Vec::new();
        Self::merge(self.p.conflict, &mut merged, got);
        let mut out: Vec<u32> = Vec::new();
        for v in &merged {
            if !out.contains(&v.value) {
                out.push(v.value);
            }
        }
        if out.is_empty() {
            out.push(0);
        }
        out
    }

    fn ap_reachable(&self, r: u32) -> Vec<u32> {
        (0..self.n).filter(|&o| o != r && self.up(r, o)).collect()
    }

    pub(super) fn ap_start(&mut self, s: &mut Scheduler<Ev>, r: u32, op: OpId, kind: OpKind) {
        let now = s.now();
        let reach = self.ap_reachable(r);
        let label = self.op_label(op);
        let pi = self.pending_index(r, op).expect("just pushed");
        match kind {
            OpKind::Write(value) => {
                let n = self.n as usize;
                let rep = &self.reps[r as usize];
                let mut vv = vec![0u32; n];
                for v in &rep.versions {
                    for (a, b) in vv.iter_mut().zip(&v.vv) {
                        *a = (*a).max(*b);
                    }
                }
                let counter = rep.counter.max(vv[r as usize]) + 1;
                vv[r as usize] = counter;
                let version = Version { value, vv, ts: self.clock(r, now), writer: r };
                let conflict = self.p.conflict;
                let rep = &mut self.reps[r as usize];
                rep.counter = counter;
                Self::merge(conflict, &mut rep.versions, std::slice::from_ref(&version));
                for o in 0..self.n {
                    if o == r {
                        continue;
                    }
                    if self.up(r, o) {
                        self.send(s, r, o, Msg::Put { op, version: version.clone() });
                    } else {
                        self.reps[r as usize].hints.push((o, version.clone()));
                    }
                }
                let w = self.p.w;
                let needed = if self.p.sloppy { w.min(1 + reach.len() as u32) } else { w };
                self.reps[r as usize].pending[pi].needed = needed;
                if needed < w {
                    let missing: Vec<String> =
                        (0..self.n).filter(|o| *o != r && !reach.contains(o)).map(rname).collect();
                    self.note(
                        now,
                        format!(
                            "{label}: only {} of W={w} replicas reachable; sloppy quorum, hints kept for {}",
                            1 + reach.len(),
                            missing.join(", ")
                        ),
                    );
                }
                if 1 >= needed {
                    self.finish(s, r, op, Ok(vec![]));
                } else if 1 + reach.len() < needed as usize {
                    let msg = format!(
                        "write quorum not reachable: {} of W={w} replicas on this side (the write stays on {})",
                        1 + reach.len(),
                        rname(r)
                    );
                    self.finish(s, r, op, Err(msg));
                }
            }
            OpKind::Read => {
                let rr = self.p.r;
                let needed = if self.p.sloppy { rr.min(1 + reach.len() as u32) } else { rr };
                let own = self.reps[r as usize].versions.clone();
                let pend = &mut self.reps[r as usize].pending[pi];
                pend.needed = needed;
                pend.got = own;
                if 1 >= needed {
                    let vals = self.ap_values(&self.reps[r as usize].pending[pi].got.clone());
                    self.finish(s, r, op, Ok(vals));
                } else if 1 + reach.len() < needed as usize {
                    let msg = format!("read quorum not reachable: {} of R={rr} replicas on this side", 1 + reach.len());
                    self.finish(s, r, op, Err(msg));
                } else {
                    for o in reach {
                        self.send(s, r, o, Msg::Get { op });
                    }
                }
            }
        }
    }

    /// A replica stores a coordinator's write and acknowledges it.
    pub(super) fn ap_on_put(&mut self, s: &mut Scheduler<Ev>, to: u32, from: u32, op: OpId, version: Version) {
        self.ap_merge_at(to, std::slice::from_ref(&version));
        self.send(s, to, from, Msg::PutAck { op });
    }

    pub(super) fn ap_on_put_ack(&mut self, s: &mut Scheduler<Ev>, r: u32, op: OpId) {
        let Some(i) = self.pending_index(r, op) else { return };
        let p = &mut self.reps[r as usize].pending[i];
        p.acks += 1;
        if p.acks >= p.needed {
            self.finish(s, r, op, Ok(vec![]));
        }
    }

    /// A replica answers a coordinator's read with every version it holds.
    pub(super) fn ap_on_get(&mut self, s: &mut Scheduler<Ev>, to: u32, from: u32, op: OpId) {
        let versions = self.reps[to as usize].versions.clone();
        self.send(s, to, from, Msg::GetReply { op, versions });
    }

    pub(super) fn ap_on_get_reply(&mut self, s: &mut Scheduler<Ev>, r: u32, op: OpId, versions: Vec<Version>) {
        let Some(i) = self.pending_index(r, op) else { return };
        let p = &mut self.reps[r as usize].pending[i];
        p.acks += 1;
        p.got.extend(versions);
        if p.acks >= p.needed {
            let got = p.got.clone();
            let conflict = self.p.conflict;
            Self::merge(conflict, &mut self.reps[r as usize].versions, &got); // read repair (local)
            let vals = self.ap_values(&got);
            self.finish(s, r, op, Ok(vals));
        }
    }

    pub(super) fn ap_merge_at(&mut self, r: u32, versions: &[Version]) {
        let conflict = self.p.conflict;
        Self::merge(conflict, &mut self.reps[r as usize].versions, versions);
    }

    /// Anti-entropy when the link between replicas `a` and `b` heals: each sends the other
    /// everything it holds, with the hints it kept for it.
    pub(super) fn ap_on_heal(&mut self, s: &mut Scheduler<Ev>, a: u32, b: u32) {
        for (x, y) in [(a, b), (b, a)] {
            let mut versions = self.reps[x as usize].versions.clone();
            let rep = &mut self.reps[x as usize];
            let hinted: Vec<Version> = rep.hints.iter().filter(|h| h.0 == y).map(|h| h.1.clone()).collect();
            rep.hints.retain(|h| h.0 != y);
            versions.extend(hinted);
            self.send(s, x, y, Msg::Versions { versions });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_siblings_keeps_concurrent_and_drops_dominated() {
        let v = |value, vv: &[u32]| Version { value, vv: vv.to_vec(), ts: 0, writer: 0 };
        let mut store = vec![];
        Cluster::merge(Conflict::Siblings, &mut store, &[v(1, &[1, 0])]);
        Cluster::merge(Conflict::Siblings, &mut store, &[v(2, &[0, 1])]);
        assert_eq!(store.len(), 2);
        Cluster::merge(Conflict::Siblings, &mut store, &[v(3, &[1, 1])]);
        assert_eq!(store, vec![v(3, &[1, 1])]);
        Cluster::merge(Conflict::Siblings, &mut store, &[v(1, &[1, 0])]);
        assert_eq!(store.len(), 1);
    }
}
