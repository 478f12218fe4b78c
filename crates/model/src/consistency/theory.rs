//! Stale reads against the closed form that applies to this cluster.
//!
//! PBS (Bailis et al., "Probabilistically Bounded Staleness for Practical Partial Quorums", VLDB
//! 2012) gives C(N−W, R)/C(N, R), the chance that a read of R random replicas misses a write held
//! by W random replicas, right after the write is acknowledged. This simulation does not leave a
//! write on W replicas: the coordinator sends it to every replica it can reach and acknowledges
//! after W. With every link up and every hop taking the same latency L ± 10 %, the write is on
//! every replica within 1.1·L of being stored, while a read that starts after the client heard the
//! acknowledgement (at least 0.9·L after the store) reaches any replica at least 0.9·L later
//! still: PBS's t-visibility for that read is 0, whatever R and W. The same timing argument covers
//! asynchronous primary–backup (a backup lags the primary by one hop), and with R + W > N the
//! quorums meet anyway; in CP mode every read goes through the leader's log, so none is stale,
//! cut or no cut. So the comparison is with 0 stale reads, which one stale read refutes.
//!
//! Outside the premises the badge explains instead: a cut link (who holds the write then depends
//! on the cut, not on chance), a failover (the old primary's writes may be rolled back), two
//! last-writer-wins writes closer together than the replicas' clocks disagree (the later one may
//! carry the older timestamp and lose), a link with its own latency. After such a departure the
//! comparison restarts with the next write acknowledged once the cluster has settled (every link
//! up for four hops): reads are counted from its acknowledgement on.

use super::cluster::Cluster;
use super::history::{stale_reads, OpId, OpKind, Outcome};
use super::params::{Conflict, Mode, LINK_JITTER};
use super::ClusterSim;
use crate::des::{millis, Micros, SEC};
use crate::fmt::{num, percent};
use crate::queueing::{Agreement, Comparison, Unit};
use crate::quorum::pbs_stale_probability;

/// What took the cluster outside the closed form's premises last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaleDeparture {
    /// A link was cut.
    Cut,
    /// Async: a failover.
    Failover,
    /// Last writer wins: a write followed the one before closer than the clocks disagree.
    Skew { gap: Micros },
}

/// Where the comparison's window stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct StaleTracker {
    /// Reads invoked after this are compared (`None`: not yet, see `opener`).
    pub window_from: Option<Micros>,
    /// The write whose acknowledgement opens the window.
    pub opener: Option<OpId>,
    /// From when the cluster counts as settled (`None` while a link is cut).
    pub calm_from: Option<Micros>,
    pub departed: Option<(Micros, StaleDeparture)>,
    /// When the latest write was invoked.
    pub last_write: Option<Micros>,
}

impl Default for StaleTracker {
    fn default() -> Self {
        StaleTracker { window_from: Some(0), opener: None, calm_from: Some(0), departed: None, last_write: None }
    }
}

impl Cluster {
    /// Four hops at the slowest: time for a heal's or failover's exchanges to settle.
    fn settle(&self) -> Micros {
        4 * (millis(self.p.latency_ms) as f64 * (1.0 + LINK_JITTER)).ceil() as Micros
    }

    fn stale_depart(&mut self, now: Micros, why: StaleDeparture) {
        let t = &mut self.stale;
        t.window_from = None;
        t.opener = None;
        t.departed = Some((now, why));
    }

    /// A link was cut at `now`.
    pub(super) fn stale_on_cut(&mut self, now: Micros) {
        self.stale_depart(now, StaleDeparture::Cut);
        self.stale.calm_from = None;
    }

    /// Links were healed at `now`: settled a few hops later if none is cut.
    pub(super) fn stale_on_heal(&mut self, now: Micros) {
        if self.cut.iter().all(|c| !c) && self.stale.calm_from.is_none() {
            self.stale.calm_from = Some(now + self.settle());
        }
    }

    pub(super) fn stale_on_failover(&mut self, now: Micros) {
        self.stale_depart(now, StaleDeparture::Failover);
        let settle = self.settle();
        if let Some(c) = &mut self.stale.calm_from {
            *c = (*c).max(now + settle);
        }
    }

    /// A write `op` was invoked at `now`.
    pub(super) fn stale_on_write(&mut self, now: Micros, op: OpId) {
        let p = self.p;
        let last = self.stale.last_write.replace(now);
        if p.mode == Mode::Ap && p.conflict == Conflict::LastWriterWins && p.clock_skew_ms > 0.0 {
            let spread = millis((self.n - 1) as f64 * p.clock_skew_ms + 2.0 * LINK_JITTER * p.latency_ms);
            if let Some(gap) = last.map(|l| now - l).filter(|&g| g <= spread) {
                self.stale_depart(now, StaleDeparture::Skew { gap });
                return;
            }
        }
        let t = &self.stale;
        let opener_failed =
            t.opener.is_some_and(|o| matches!(self.history.get(o as usize).map(|x| &x.outcome), Some(Outcome::Err(_))));
        if t.window_from.is_none() && (t.opener.is_none() || opener_failed) && t.calm_from.is_some_and(|c| c <= now) {
            self.stale.opener = Some(op);
        }
    }
}

impl ClusterSim {
    /// The stale reads of this run beside the closed form that applies (see the module docs), or
    /// why none applies now.
    pub fn staleness_theory(&self) -> Agreement {
        self.staleness_theory_with(&stale_reads(&self.model().history))
    }

    /// [`Self::staleness_theory`] with the history's stale reads already found (a snapshot's).
    pub fn staleness_theory_with(&self, stale: &[OpId]) -> Agreement {
        let m = self.model();
        let p = m.p;
        let now = self.now();
        let t = m.stale;
        let formula = match p.mode {
            Mode::Cp => "linearizable",
            Mode::Ap if p.r + p.w > p.replicas => "R + W > N",
            Mode::Ap => "PBS",
            Mode::Async => "replication lag",
        };
        let ago = |at: Micros| num(now.saturating_sub(at) as f64 / SEC as f64, 1);
        let window = if p.mode == Mode::Cp {
            Some(0)
        } else {
            if m.latency.iter().any(Option::is_some) {
                return Agreement::Outside(
                    "No closed-form comparison: a link has its own latency, so a read may outrun a write's \
                     propagation."
                        .into(),
                );
            }
            if m.cut.iter().any(|&c| c) {
                return Agreement::Outside(
                    "A link is cut: which replicas hold the latest write now depends on the cut, not on chance, so no \
                     closed form applies; heal every link to compare again."
                        .into(),
                );
            }
            t.window_from.or_else(|| {
                let op = m.history.get(t.opener? as usize)?;
                op.is_ok().then_some(op.complete).flatten()
            })
        };
        let Some(from) = window else {
            let why = match t.departed {
                Some((at, StaleDeparture::Skew { gap })) => format!(
                    "Two writes {} ms apart {} s ago, closer than the replicas' clocks disagree ({} ms): last writer \
                     wins may keep the older one, which is not chance; comparing again from the next write spaced \
                     further apart.",
                    num(gap as f64 / 1_000.0, 0),
                    ago(at),
                    num((p.replicas - 1) as f64 * p.clock_skew_ms, 0)
                ),
                Some((at, StaleDeparture::Failover)) => format!(
                    "A failover {} s ago: the old primary's writes may be rolled back; comparing again from the next \
                     acknowledged write.",
                    ago(at)
                ),
                _ => "Links healed: writes made during the partition may have been lost or overwritten; comparing \
                      again from the next acknowledged write."
                    .to_string(),
            };
            return Agreement::Outside(why);
        };
        let (mut n, mut bad) = (0u64, 0u64);
        for op in &m.history {
            if op.kind == OpKind::Read && op.is_ok() && op.invoke > from {
                n += 1;
                bad += stale.contains(&op.id) as u64;
            }
        }
        if n == 0 {
            let hop = num(p.latency_ms * (1.0 + LINK_JITTER), 0);
            return Agreement::Outside(match p.mode {
                Mode::Cp => "No reads yet. In CP mode every read goes through the leader's log, so none can be stale, \
                             partition or not."
                    .to_string(),
                Mode::Ap if p.r + p.w > p.replicas => format!(
                    "No reads yet. With R + W > N ({} + {} > {}) every read quorum meets every write quorum, so a read \
                     that starts after a write is acknowledged is never stale.",
                    p.r, p.w, p.replicas
                ),
                Mode::Ap => format!(
                    "No reads yet. PBS: a read of R = {} right after a write held by only W = {} of N = {} replicas \
                     misses it {} of the time; here the write reaches every replica within one hop ({hop} ms), before \
                     a read that starts after the acknowledgement can ask, so PBS predicts 0%.",
                    p.r,
                    p.w,
                    p.replicas,
                    percent(pbs_stale_probability(p.replicas, p.r, p.w))
                ),
                Mode::Async => format!(
                    "No reads yet. A backup lags the primary by one hop ({hop} ms), and a read that starts after a \
                     write is acknowledged reaches it later than that, so none should be stale."
                ),
            });
        }
        Agreement::Compared(Comparison {
            what: "stale reads",
            simulated: bad as f64 / n as f64,
            theory: 0.0,
            formula,
            unit: Unit::Share,
            n,
            spread: None,
        })
    }
}
