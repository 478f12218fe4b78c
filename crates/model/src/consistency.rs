//! Consistency under partitions: one replicated register, three ways to replicate it, a recorded
//! history and a linearizability checker.
//!
//! A cluster has 3–7 replicas (`R0`…`R6`) and 2–4 clients (`A`…`D`). Client `i` talks only to its
//! *home* replica `i % replicas`, which coordinates its operations. Every replica–replica link and
//! every client–home link can be cut and healed on its own; a message on a cut link is dropped (a
//! link that is cut and healed while a message is on it drops it too). Each hop takes the link
//! latency ± [`LINK_JITTER`] (seeded), and a link delivers in order.
//!
//! Node ids, used by [`ClusterSim::cut`], [`ClusterSim::heal`] and [`ClusterSim::partition`]:
//! replicas are `0..replicas`, client `i` is node `replicas + i` ([`ClusterSim::client_node`]).
//!
//! # Modes
//!
//! - [`Mode::Cp`] — a leader with majority quorums, in the manner of Raft (Ongaro & Ousterhout,
//!   "In Search of an Understandable Consensus Algorithm", 2014). `R0` leads term 1. The leader
//!   appends each operation to its log, replicates it and commits it once a majority holds it;
//!   only then does the coordinator answer. **Reads go through the log too** (the simplest
//!   linearizable read: a read is answered with the value at its log position once that position
//!   is committed, so it is confirmed by a majority; Raft's ReadIndex and leases are optimisations
//!   of this and are not modelled). A coordinator that is not the leader forwards to the leader it
//!   knows of; if nothing commits within the timeout it answers "no quorum on this side".
//!   Followers that hear nothing from a leader for a randomized election timeout (1–2× the
//!   parameter) start an election: a higher term, votes granted at most once per term and only to
//!   a candidate whose log is at least as up to date (last term, then length). A leader commits
//!   only entries of its own term by counting (earlier ones commit with them), and a new leader
//!   appends a no-op so that happens promptly. So there is at most one leader per term and every
//!   leader holds every committed entry: the history is linearizable whatever the cuts.
//!   Operations carry ids and the state machine applies a write once, so a coordinator may safely
//!   re-forward an operation when it learns of a new leader. No pre-vote: a replica cut off from
//!   the leader keeps raising its term and, on heal, forces one election.
//! - [`Mode::Ap`] — leaderless, Dynamo-style (DeCandia et al., SOSP 2007) with N = `replicas` and
//!   the `r` and `w` parameters. A write gets a version vector (the coordinator merges the vectors
//!   it holds and bumps its own counter) and a timestamp from the coordinator's clock (replica `k`'s
//!   clock runs `k × clock_skew_ms` behind true time). The coordinator stores it and sends it to
//!   every replica it can reach, and acknowledges after `w` acks counting itself. With `sloppy`,
//!   when fewer than `w` replicas are reachable it acknowledges with the reachable ones; the
//!   missing replicas get a *hint* handed off when the link heals. A read asks every reachable
//!   replica and answers from the first `r` (counting itself; with `sloppy`, as many as are
//!   reachable), merging what they hold, and repairs the coordinator's own copy. Conflicts:
//!   [`Conflict::LastWriterWins`] keeps the version with the greatest (timestamp, replica id), so
//!   one of two concurrent writes is silently dropped; [`Conflict::Siblings`] keeps concurrent
//!   versions and a read returns all of them. When a replica–replica link heals, the two replicas
//!   exchange everything they hold (anti-entropy). No periodic anti-entropy, no Merkle trees.
//! - [`Mode::Async`] — asynchronous primary–backup. The primary (initially `R0`) applies a write
//!   and acknowledges at once, then ships it to the backups (one hop later). A backup coordinator
//!   forwards writes to the primary it believes in, and answers reads from its own copy: fast,
//!   possibly stale. A failover (manual, [`ClusterSim::failover`], or automatic once the primary has
//!   been cut from every other replica for `failover_timeout_ms`) is decided by a failover manager
//!   that sees every replica (like a cloud control plane outside the partition): it promotes the
//!   most up-to-date other replica (highest epoch, then longest log, then lowest id) in a new
//!   epoch. The old primary is not fenced: until it hears of the new epoch it keeps acknowledging
//!   writes (split brain). On heal, replicas exchange their epochs; a replica behind rolls its log
//!   back to the new primary's, and acknowledged writes the new primary never received are lost.
//!
//! # History and checking
//!
//! Every client operation is recorded as an [`Op`] (at most [`HISTORY_CAP`]; later invocations
//! are refused with "history full"). [`check_linearizable`] decides whether a history is
//! linearizable for one register (initial value 0, "never written"), [`stale_reads`] and
//! [`lost_writes`] name the two anomalies a reader can see, and the quorum functions of
//! [`crate::quorum`], re-exported here ([`pbs_stale_probability`] and friends), give the arithmetic
//! behind R + W > N and PACELC.

pub use crate::quorum::{
    binomial, pbs_stale_probability, quantile, quorum_latency_samples, quorum_overlap, read_tolerates,
    simulate_stale_rate, summarize, write_tolerates, LatencySummary,
};

use crate::des::{millis, Advanced, Engine, Micros, Model, Scheduler, SEC};
use crate::rng::Rng;
use crate::stats::Ring;
use std::cell::RefCell;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// Most operations a history holds; later invocations are refused with "history full".
pub const HISTORY_CAP: usize = 200;
/// Lines kept in the event log (oldest dropped first).
pub const LOG_CAP: usize = 200;
/// Each hop takes the link latency times a uniform factor in `1 ± LINK_JITTER`.
pub const LINK_JITTER: f64 = 0.1;
pub const MIN_REPLICAS: u32 = 3;
pub const MAX_REPLICAS: u32 = 7;
pub const MIN_CLIENTS: u32 = 2;
pub const MAX_CLIENTS: u32 = 4;
/// Client names in log lines and views.
pub const CLIENT_NAMES: [char; 4] = ['A', 'B', 'C', 'D'];

/// How the register is replicated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Leader with majority quorums (Raft-like): linearizable, unavailable on a minority side.
    Cp,
    /// Leaderless with N/R/W quorums and sloppy acceptance (Dynamo-like): available, not
    /// linearizable.
    Ap,
    /// Asynchronous primary–backup with failover: fast, stale backups, lost writes on failover.
    Async,
}

/// How [`Mode::Ap`] resolves concurrent versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conflict {
    /// Keep the version with the greatest (timestamp, replica id).
    LastWriterWins,
    /// Keep concurrent versions (by version vector) side by side; reads return all of them.
    Siblings,
}

/// Parameters of a cluster. Times in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClusterParams {
    pub mode: Mode,
    /// Used by [`Mode::Ap`] only.
    pub conflict: Conflict,
    /// Number of replicas, 3–7 (N in Ap mode).
    pub replicas: u32,
    /// Number of clients, 2–4.
    pub clients: u32,
    /// One-way latency of every link.
    pub latency_ms: f64,
    /// How long a coordinator waits for a quorum (Cp), the replicas (Ap) or the primary (Async).
    pub timeout_ms: f64,
    /// Ap: replicas a read waits for, counting the coordinator.
    pub r: u32,
    /// Ap: replicas a write waits for, counting the coordinator.
    pub w: u32,
    /// Ap: accept with the reachable replicas when fewer than R or W are reachable.
    pub sloppy: bool,
    /// Ap: replica `k`'s clock reads `k × clock_skew_ms` behind true time (write timestamps).
    pub clock_skew_ms: f64,
    /// Cp: leader heartbeat (and replication retry) interval.
    pub heartbeat_ms: f64,
    /// Cp: base election timeout; each wait is uniform in 1–2× this.
    pub election_timeout_ms: f64,
    /// Async: the primary must be cut from every other replica this long before an automatic
    /// failover.
    pub failover_timeout_ms: f64,
}

impl ClusterParams {
    const BASE: ClusterParams = ClusterParams {
        mode: Mode::Cp,
        conflict: Conflict::LastWriterWins,
        replicas: 3,
        clients: 2,
        latency_ms: 20.0,
        timeout_ms: 1_000.0,
        r: 2,
        w: 2,
        sloppy: true,
        clock_skew_ms: 0.0,
        heartbeat_ms: 50.0,
        election_timeout_ms: 300.0,
        failover_timeout_ms: 1_000.0,
    };
    /// Leader and majority quorums.
    pub const CP: ClusterParams = ClusterParams::BASE;
    /// Dynamo-style, N = 3, R = W = 2, sloppy, last writer wins, clocks 100 ms apart.
    pub const AP_LWW: ClusterParams = ClusterParams { mode: Mode::Ap, clock_skew_ms: 100.0, ..ClusterParams::BASE };
    /// As [`Self::AP_LWW`] but keeping siblings.
    pub const AP_SIBLINGS: ClusterParams = ClusterParams { conflict: Conflict::Siblings, ..ClusterParams::AP_LWW };
    /// Asynchronous primary–backup.
    pub const ASYNC: ClusterParams = ClusterParams { mode: Mode::Async, ..ClusterParams::BASE };

    /// The presets in the order a widget offers them.
    pub const PRESETS: [(&'static str, ClusterParams); 4] = [
        ("cp", ClusterParams::CP),
        ("ap-lww", ClusterParams::AP_LWW),
        ("ap-siblings", ClusterParams::AP_SIBLINGS),
        ("async", ClusterParams::ASYNC),
    ];

    /// Returns the parameters forced into the ranges the model handles (NaN becomes the low end).
    pub fn clamped(mut self) -> Self {
        let c = crate::stats::clamp_or_low;
        self.replicas = self.replicas.clamp(MIN_REPLICAS, MAX_REPLICAS);
        self.clients = self.clients.clamp(MIN_CLIENTS, MAX_CLIENTS);
        self.latency_ms = c(self.latency_ms, 0.1, 1_000.0);
        self.timeout_ms = c(self.timeout_ms, 10.0, 60_000.0);
        self.r = self.r.clamp(1, self.replicas);
        self.w = self.w.clamp(1, self.replicas);
        self.clock_skew_ms = c(self.clock_skew_ms, 0.0, 10_000.0);
        self.heartbeat_ms = c(self.heartbeat_ms, 5.0, 5_000.0);
        self.election_timeout_ms = c(self.election_timeout_ms, 10.0, 60_000.0);
        self.failover_timeout_ms = c(self.failover_timeout_ms, 10.0, 600_000.0);
        self
    }
}

// ---------------------------------------------------------------------------------------------
// History
// ---------------------------------------------------------------------------------------------

/// An operation's index in the history.
pub type OpId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    Read,
    Write(u32),
}

/// What an operation returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// No answer yet (or never: the client is still waiting).
    Pending,
    /// Success. A read carries the values it returned (one, or several siblings; `[0]` when the
    /// register was never written); a write carries nothing.
    Ok(Vec<u32>),
    /// Failure or timeout. A failed write may still have taken effect, then or later.
    Err(String),
}

/// One client operation as the client saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Op {
    pub id: OpId,
    /// Client index (0 = A).
    pub client: u32,
    pub kind: OpKind,
    pub invoke: Micros,
    /// When the client got its answer (or gave up); `None` while pending.
    pub complete: Option<Micros>,
    pub outcome: Outcome,
}

impl Op {
    /// A successful write (for hand-written histories).
    pub fn write_ok(id: OpId, client: u32, value: u32, invoke: Micros, complete: Micros) -> Op {
        Op { id, client, kind: OpKind::Write(value), invoke, complete: Some(complete), outcome: Outcome::Ok(vec![]) }
    }

    /// A successful read returning `values` (for hand-written histories).
    pub fn read_ok(id: OpId, client: u32, values: &[u32], invoke: Micros, complete: Micros) -> Op {
        Op { id, client, kind: OpKind::Read, invoke, complete: Some(complete), outcome: Outcome::Ok(values.to_vec()) }
    }

    /// A write that failed or timed out (it may or may not have taken effect).
    pub fn write_err(id: OpId, client: u32, value: u32, invoke: Micros, complete: Micros) -> Op {
        Op {
            id,
            client,
            kind: OpKind::Write(value),
            invoke,
            complete: Some(complete),
            outcome: Outcome::Err("timeout".into()),
        }
    }

    pub fn is_ok(&self) -> bool {
        matches!(self.outcome, Outcome::Ok(_))
    }

    /// The values a successful read returned (deduplicated, in order); `None` otherwise.
    pub fn read_values(&self) -> Option<Vec<u32>> {
        match (&self.kind, &self.outcome) {
            (OpKind::Read, Outcome::Ok(v)) => {
                let mut out: Vec<u32> = Vec::with_capacity(v.len().max(1));
                for &x in v {
                    if !out.contains(&x) {
                        out.push(x);
                    }
                }
                if out.is_empty() {
                    out.push(0);
                }
                Some(out)
            }
            _ => None,
        }
    }

    fn write_value(&self) -> Option<u32> {
        match self.kind {
            OpKind::Write(v) => Some(v),
            OpKind::Read => None,
        }
    }
}

/// The name of client `i` in log lines: A, B, C, D (then a number).
pub fn client_name(i: u32) -> String {
    match CLIENT_NAMES.get(i as usize) {
        Some(c) => c.to_string(),
        None => format!("#{i}"),
    }
}

/// The result of [`check_linearizable`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Linearizable,
    /// Not linearizable. `ops` is a small set of operations (sorted by id) that is already not
    /// linearizable on its own; `explanation` says why in a sentence or two.
    Violation {
        ops: Vec<OpId>,
        explanation: String,
    },
    /// The search gave up (more than [`MAX_CHECK_OPS`] relevant operations or more than
    /// [`MAX_CHECK_STATES`] search states). Never happens for histories the simulation records at
    /// its usual pace, but the checker is total.
    Unknown {
        reason: String,
    },
}

impl Verdict {
    pub fn is_linearizable(&self) -> bool {
        matches!(self, Verdict::Linearizable)
    }
    pub fn is_violation(&self) -> bool {
        matches!(self, Verdict::Violation { .. })
    }
}

/// Most operations (successful reads plus writes) [`check_linearizable`] takes on.
pub const MAX_CHECK_OPS: usize = 256;
/// Most distinct (linearized set, register value) states one search may visit.
pub const MAX_CHECK_STATES: usize = 200_000;

/// An operation as the checker sees it.
#[derive(Clone, Copy, Debug)]
struct COp {
    id: OpId,
    invoke: Micros,
    /// `Micros::MAX` for writes that may take effect at any time after their invocation.
    complete: Micros,
    /// Must be linearized (successful ops); optional writes may be left out.
    required: bool,
    write: bool,
    value: u32,
}

type Bits = [u64; 4];

fn bit_set(b: &Bits, i: usize) -> Bits {
    let mut b = *b;
    b[i / 64] |= 1 << (i % 64);
    b
}
fn bit_get(b: &Bits, i: usize) -> bool {
    b[i / 64] & (1 << (i % 64)) != 0
}

/// A small deterministic hasher (FxHash-like): the memo must not depend on process randomness.
#[derive(Default)]
struct Fx(u64);
impl Fx {
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}
impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(b as u64);
        }
    }
    fn write_u32(&mut self, x: u32) {
        self.add(x as u64);
    }
    fn write_u64(&mut self, x: u64) {
        self.add(x);
    }
    fn write_usize(&mut self, x: usize) {
        self.add(x as u64);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Search {
    Linearizable,
    Violation,
    GaveUp,
}

struct Dfs<'a> {
    ops: &'a [COp],
    required: usize,
    memo: HashSet<(Bits, u32), BuildHasherDefault<Fx>>,
    gave_up: bool,
}

impl Dfs<'_> {
    /// Wing & Gong's search with Lowe's memoization: can the ops not in `done` be linearized from
    /// register `value`?
    fn go(&mut self, done: Bits, ndone: usize, value: u32) -> bool {
        if ndone == self.required {
            return true;
        }
        if self.gave_up || !self.memo.insert((done, value)) {
            return false;
        }
        if self.memo.len() > MAX_CHECK_STATES {
            self.gave_up = true;
            return false;
        }
        // An op may go next only if no op still to place completed before it was invoked.
        let mut m = Micros::MAX;
        for (i, o) in self.ops.iter().enumerate() {
            if o.required && !bit_get(&done, i) {
                m = m.min(o.complete);
            }
        }
        // A read that can go next and matches the register: taking it now never hurts.
        for (i, o) in self.ops.iter().enumerate() {
            if o.invoke > m {
                break;
            }
            if !o.write && !bit_get(&done, i) && o.value == value {
                return self.go(bit_set(&done, i), ndone + 1, value);
            }
        }
        for (i, o) in self.ops.iter().enumerate() {
            if o.invoke > m {
                break;
            }
            if o.write && !bit_get(&done, i) && self.go(bit_set(&done, i), ndone + o.required as usize, o.value) {
                return true;
            }
        }
        false
    }
}

/// Searches `ops` (sorted by invocation).
fn search(ops: &[COp]) -> Search {
    if ops.len() > MAX_CHECK_OPS {
        return Search::GaveUp;
    }
    let required = ops.iter().filter(|o| o.required).count();
    let mut d = Dfs { ops, required, memo: HashSet::default(), gave_up: false };
    if d.go([0; 4], 0, 0) {
        Search::Linearizable
    } else if d.gave_up {
        Search::GaveUp
    } else {
        Search::Violation
    }
}

/// Turns a history into checker ops, sorted by invocation. Reads that failed or are pending impose
/// nothing and are left out; failed or pending writes become optional and open-ended; optional
/// writes whose value no read returned are left out (they can never help explain a read). Returns
/// the offending read if a read returned several values.
fn prepare(history: &[Op]) -> Result<Vec<COp>, Verdict> {
    let mut ops = Vec::new();
    for op in history {
        match op.kind {
            OpKind::Read => {
                let Some(vals) = op.read_values() else { continue };
                if vals.len() > 1 {
                    let list: Vec<String> = vals.iter().map(|v| v.to_string()).collect();
                    return Err(Verdict::Violation {
                        ops: vec![op.id],
                        explanation: format!(
                            "read #{} by client {} returned {} siblings ({}): a linearizable register returns \
                             exactly one value",
                            op.id,
                            client_name(op.client),
                            vals.len(),
                            list.join(", ")
                        ),
                    });
                }
                ops.push(COp {
                    id: op.id,
                    invoke: op.invoke,
                    complete: op.complete.unwrap_or(Micros::MAX),
                    required: true,
                    write: false,
                    value: vals[0],
                });
            }
            OpKind::Write(v) => {
                let ok = op.is_ok();
                ops.push(COp {
                    id: op.id,
                    invoke: op.invoke,
                    complete: if ok { op.complete.unwrap_or(Micros::MAX) } else { Micros::MAX },
                    required: ok,
                    write: true,
                    value: v,
                });
            }
        }
    }
    let read: Vec<u32> = ops.iter().filter(|o| !o.write).map(|o| o.value).collect();
    ops.retain(|o| o.required || !o.write || read.contains(&o.value));
    crate::sort::by_unique_key(&mut ops, |o| (o.invoke, o.id));
    Ok(ops)
}

/// The first `k` ops (by invocation) plus every write whose value one of their reads returned:
/// a sub-history whose violation is a violation of the whole.
fn closed_prefix(ops: &[COp], k: usize) -> Vec<COp> {
    let k = k.min(ops.len());
    let read: Vec<u32> = ops[..k].iter().filter(|o| !o.write).map(|o| o.value).collect();
    let mut out: Vec<COp> =
        ops[..k].iter().filter(|o| o.required || !o.write || read.contains(&o.value)).copied().collect();
    out.extend(ops[k..].iter().filter(|o| o.write && read.contains(&o.value)).copied());
    crate::sort::by_unique_key(&mut out, |o| (o.invoke, o.id));
    out
}

/// Shrinks a non-linearizable op set: the shortest closed prefix that fails, then greedy removal
/// of every op whose removal keeps it failing. A write is only removed when no remaining read
/// returned its value, so the result never "fails" merely because a read lost its write.
fn minimize(ops: &[COp]) -> Vec<COp> {
    let (mut lo, mut hi) = (1, ops.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if search(&closed_prefix(ops, mid)) == Search::Violation {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let mut cur = closed_prefix(ops, hi);
    // Reads first (newest first), then writes, until nothing more can go: a write is protected
    // only while a read of its value remains.
    loop {
        let before = cur.len();
        let mut order: Vec<OpId> = cur.iter().filter(|o| !o.write).rev().map(|o| o.id).collect();
        order.extend(cur.iter().filter(|o| o.write).rev().map(|o| o.id));
        for id in order {
            let Some(i) = cur.iter().position(|o| o.id == id) else { continue };
            let o = cur[i];
            if o.write && cur.iter().any(|x| !x.write && x.value == o.value) {
                continue;
            }
            let mut cand = cur.clone();
            cand.remove(i);
            if !cand.is_empty() && search(&cand) == Search::Violation {
                cur = cand;
            }
        }
        if cur.len() == before {
            break;
        }
    }
    cur
}

fn fmt_s(t: Micros) -> String {
    crate::spec::fixed(t as f64 / SEC as f64, 3)
}

fn describe_op(op: &Op) -> String {
    let span = match op.complete {
        Some(c) => format!("{}–{} s", fmt_s(op.invoke), fmt_s(c)),
        None => format!("{} s–", fmt_s(op.invoke)),
    };
    let who = client_name(op.client);
    match (&op.kind, &op.outcome) {
        (OpKind::Write(v), Outcome::Ok(_)) => format!("#{} write {v} by {who} [{span}]", op.id),
        (OpKind::Write(v), _) => format!("#{} write {v} by {who}, outcome unknown [{span}]", op.id),
        (OpKind::Read, _) => {
            let vals = op.read_values().unwrap_or_default();
            let vals: Vec<String> = vals.iter().map(|v| v.to_string()).collect();
            format!("#{} read by {who} → {} [{span}]", op.id, vals.join(", "))
        }
    }
}

fn explain(core: &[COp], history: &[Op]) -> String {
    let find = |id: OpId| history.iter().find(|o| o.id == id);
    // The most common shape: a read that returned something older than a completed write.
    let mut hint = String::new();
    'outer: for r in core.iter().filter(|o| !o.write) {
        for w in core.iter().filter(|o| o.write && o.required && o.complete < r.invoke && o.value != r.value) {
            let writers: Vec<&COp> = core.iter().filter(|x| x.write && x.value == r.value).collect();
            let older = if writers.is_empty() {
                r.value == 0
            } else {
                writers.iter().all(|x| x.required && x.complete < w.invoke)
            };
            if older {
                let what = if writers.is_empty() { "0 (never written)".to_string() } else { r.value.to_string() };
                hint = format!(
                    "read #{} returned {what}, but write #{} of {} had completed before the read began. ",
                    r.id, w.id, w.value
                );
                break 'outer;
            }
        }
    }
    if hint.is_empty() {
        hint = "no order of these operations respects both real time and what each read returned. ".into();
    }
    let list: Vec<String> = core.iter().filter_map(|c| find(c.id)).map(describe_op).collect();
    format!("Not linearizable: {hint}Operations: {}.", list.join("; "))
}

/// Decides whether `history` is linearizable for a single register whose initial value is 0.
///
/// Successful operations must take effect once, between invocation and completion. A failed or
/// pending write may take effect at any time after its invocation, or never. Failed and pending
/// reads impose nothing. A successful read with several (distinct) values is a violation by
/// itself. The search is Wing & Gong's backtracking with Lowe's memoization on (linearized set,
/// register value), bounded by [`MAX_CHECK_OPS`] and [`MAX_CHECK_STATES`].
///
/// A violation names a small sub-history that is already not linearizable: the shortest prefix
/// (by invocation, with the writes its reads need) that fails, then shrunk greedily.
pub fn check_linearizable(history: &[Op]) -> Verdict {
    let ops = match prepare(history) {
        Ok(o) => o,
        Err(v) => return v,
    };
    match search(&ops) {
        Search::Linearizable => Verdict::Linearizable,
        Search::GaveUp => Verdict::Unknown {
            reason: format!(
                "the search gave up ({} operations; limits {MAX_CHECK_OPS} operations, {MAX_CHECK_STATES} states)",
                ops.len()
            ),
        },
        Search::Violation => {
            let core = minimize(&ops);
            let mut ids: Vec<OpId> = core.iter().map(|o| o.id).collect();
            crate::sort::by_unique_key(&mut ids, |&id| id);
            Verdict::Violation { ops: ids, explanation: explain(&core, history) }
        }
    }
}

/// Successful reads that returned only values older than a write that had completed before the
/// read began.
///
/// Precisely: read `r` is stale if some successful write `w` completed before `r` was invoked and
/// every value `v` that `r` returned is older than `w`: `v` is 0 and nobody wrote 0 (the initial
/// value), or every write of `v` succeeded and completed before `w` was invoked. Values of failed
/// or pending writes are never called older (they may have taken effect late).
pub fn stale_reads(history: &[Op]) -> Vec<OpId> {
    let older = |v: u32, w: &Op| {
        let mut writers = history.iter().filter(|x| x.write_value() == Some(v)).peekable();
        if writers.peek().is_none() {
            return v == 0;
        }
        writers.all(|x| x.is_ok() && x.complete.is_some_and(|c| c < w.invoke))
    };
    let mut out = Vec::new();
    for r in history {
        let Some(vals) = r.read_values() else { continue };
        let stale = history.iter().any(|w| {
            w.is_ok()
                && w.write_value().is_some()
                && w.complete.is_some_and(|c| c < r.invoke)
                && vals.iter().all(|&v| older(v, w))
        });
        if stale {
            out.push(r.id);
        }
    }
    out
}

/// Acknowledged writes that vanished.
///
/// Precisely: a successful write `w` of value `u` is lost if `u` is not among `final_values` and
/// no write of a final value could have been ordered after `w`, that is every write (of any
/// outcome) whose value is final succeeded and completed before `w` was invoked (or there is no
/// such write: the register ended at its initial value). A write overwritten by a later or
/// concurrent write is not lost; one that a failover or last-writer-wins threw away is.
pub fn lost_writes(history: &[Op], final_values: &[u32]) -> Vec<OpId> {
    let mut out = Vec::new();
    for w in history {
        let Some(u) = w.write_value() else { continue };
        if !w.is_ok() || final_values.contains(&u) {
            continue;
        }
        let superseded = history.iter().any(|x| {
            x.id != w.id
                && x.write_value().is_some_and(|v| final_values.contains(&v))
                && !(x.is_ok() && x.complete.is_some_and(|c| c < w.invoke))
        });
        if !superseded {
            out.push(w.id);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The simulation
// ---------------------------------------------------------------------------------------------

/// A replica's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Leader,
    Follower,
    Candidate,
    Primary,
    Backup,
    /// Ap replicas are all equal.
    Peer,
}

impl Role {
    /// The role as the picture labels it.
    pub fn name(self) -> &'static str {
        match self {
            Role::Leader => "leader",
            Role::Follower => "follower",
            Role::Candidate => "candidate",
            Role::Primary => "primary",
            Role::Backup => "backup",
            Role::Peer => "peer",
        }
    }
}

/// A value a replica stores, with its version.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredValue {
    pub value: u32,
    /// Cp: `[term, log index]` of the write; Async: `[epoch, sequence number]`; Ap: the version
    /// vector, one counter per replica.
    pub version: Vec<u32>,
    /// Ap: the coordinator's (skewed) clock when written; Cp and Async: when the write was
    /// appended at the leader or primary. Milliseconds.
    pub timestamp_ms: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaView {
    pub id: u32,
    pub role: Role,
    /// Cp: the replica's term; Async: the epoch it is in; Ap: 0.
    pub term: u64,
    /// Cp: the leader it believes in; Async: the primary it believes in; Ap: `None`.
    pub leader: Option<u32>,
    /// Replicas it has a working link to.
    pub connected: Vec<u32>,
    /// Its side of the network holds a majority of the replicas.
    pub in_majority: bool,
    /// Cp: the committed value; Async: its current value; Ap: its versions (siblings). Empty when
    /// never written.
    pub values: Vec<StoredValue>,
    /// Cp: log length (including no-ops); Async: log length; Ap: 0.
    pub log_len: u32,
    /// Cp: committed entries; others: same as `log_len`.
    pub committed: u32,
    /// Ap: hinted versions waiting for a link to heal.
    pub hints: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClientView {
    pub id: u32,
    pub name: char,
    /// Its node id (for [`ClusterSim::cut`]).
    pub node: u32,
    pub home: u32,
    /// The operation it is waiting for.
    pub busy: Option<OpId>,
}

/// Everything a widget draws.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterSnapshot {
    pub now: Micros,
    pub mode: Mode,
    pub conflict: Conflict,
    pub replicas: Vec<ReplicaView>,
    pub clients: Vec<ClientView>,
    /// Cut links as node-id pairs `(a, b)` with `a < b`.
    pub cut_links: Vec<(u32, u32)>,
    /// Cp: the leader with the highest term; Async: the current primary; Ap: `None`.
    pub leader: Option<u32>,
    pub history: Vec<Op>,
    /// Human-readable event log, oldest first (at most [`LOG_CAP`] lines).
    pub log: Vec<String>,
    pub verdict: Verdict,
    pub stale_reads: Vec<OpId>,
    /// Judged against `final_values` (so during a partition: "lost if things settled now").
    pub lost_writes: Vec<OpId>,
    /// What the register would hold once the cluster settles: [`ClusterSim::final_values`].
    pub final_values: Vec<u32>,
    /// Messages dropped on cut links so far.
    pub dropped: u64,
}

/// A step of a scripted scenario or a reader's action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Write {
        client: u32,
        value: u32,
    },
    Read {
        client: u32,
    },
    /// Cut every link between the listed nodes and the rest ([`ClusterSim::partition`]).
    Partition(Vec<u32>),
    HealAll,
    /// Async only.
    Failover,
    Cut(u32, u32),
    Heal(u32, u32),
}

impl Action {
    /// The action as a run-log entry for share links (`w.<client>.<value>`, `r.<client>`,
    /// `part.<node>…`, `healall`, `failover`, `cut.<a>.<b>`, `heal.<a>.<b>`); [`Action::parse`]
    /// reads it back.
    pub fn code(&self) -> String {
        match self {
            Action::Write { client, value } => format!("w.{client}.{value}"),
            Action::Read { client } => format!("r.{client}"),
            Action::Partition(side) => {
                let mut s = "part".to_string();
                for n in side {
                    s.push('.');
                    s.push_str(&n.to_string());
                }
                s
            }
            Action::HealAll => "healall".into(),
            Action::Failover => "failover".into(),
            Action::Cut(a, b) => format!("cut.{a}.{b}"),
            Action::Heal(a, b) => format!("heal.{a}.{b}"),
        }
    }

    /// Reads [`Action::code`] back; `None` for anything else. Node and client numbers are not
    /// checked here: the sim refuses unknown ones with a message.
    pub fn parse(code: &str) -> Option<Action> {
        let mut parts = code.split('.');
        let verb = parts.next()?;
        let nums: Option<Vec<u32>> = parts.map(|p| p.parse::<u32>().ok()).collect();
        let nums = nums?;
        Some(match (verb, nums.as_slice()) {
            ("w", &[client, value]) => Action::Write { client, value },
            ("r", &[client]) => Action::Read { client },
            ("part", side) if !side.is_empty() && side.len() <= 16 => Action::Partition(side.to_vec()),
            ("healall", []) => Action::HealAll,
            ("failover", []) => Action::Failover,
            ("cut", &[a, b]) => Action::Cut(a, b),
            ("heal", &[a, b]) => Action::Heal(a, b),
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TourStep {
    /// Absolute simulated time to apply the action at.
    pub at: Micros,
    pub action: Action,
    pub caption: &'static str,
}

/// The canonical scenario for `mode`, with the default presets (3 replicas, clients A at R0 and B
/// at R1): a write, a partition {R0, A} | {R1, R2, B}, writes on both sides, heal, read. Play it
/// by advancing to each step's `at` and calling [`ClusterSim::apply`].
///
/// What it shows: Cp rejects A's minority-side write ("no quorum on this side") and stays
/// linearizable; Ap with last-writer-wins loses B's later write (R1's clock is 100 ms behind, so
/// it carries the older timestamp), Ap with siblings returns both; Async loses the write the old
/// primary acknowledged after the failover.
pub fn tour_steps(mode: Mode) -> Vec<TourStep> {
    use Action::*;
    const S: Micros = SEC;
    let step =
        |at_ms: Micros, action: Action, caption: &'static str| TourStep { at: at_ms * S / 1_000, action, caption };
    match mode {
        Mode::Cp => vec![
            step(
                500,
                Write { client: 0, value: 1 },
                "Client A writes 1. The leader R0 replicates it to a majority before acknowledging.",
            ),
            step(1_000, Partition(vec![0]), "Cut R0, the leader, and client A off from R1 and R2."),
            step(
                1_200,
                Write { client: 0, value: 2 },
                "A writes 2 on the minority side. R0 cannot reach a majority: after the timeout it refuses with \"no \
                 quorum on this side\".",
            ),
            step(
                2_000,
                Write { client: 1, value: 3 },
                "Meanwhile R1 and R2 have elected a new leader in a higher term. B writes 3 and it commits.",
            ),
            step(3_000, HealAll, "Heal. R0 sees the higher term, steps down and drops its uncommitted write."),
            step(
                3_500,
                Read { client: 0 },
                "A reads 3: every acknowledged write survived, and nothing refused appeared.",
            ),
        ],
        Mode::Ap => vec![
            step(500, Write { client: 0, value: 1 }, "Client A writes 1; it reaches all three replicas."),
            step(1_000, Partition(vec![0]), "Cut R0 and client A off from R1 and R2."),
            step(
                1_200,
                Write { client: 0, value: 2 },
                "A writes 2. Only R0 is reachable: a sloppy quorum accepts it anyway and keeps hints for R1 and R2.",
            ),
            step(
                1_250,
                Write { client: 1, value: 3 },
                "Just after, B writes 3 on the other side; it is acknowledged too. R1's clock runs 100 ms behind \
                 R0's, so this later write carries the older timestamp.",
            ),
            step(
                2_000,
                HealAll,
                "Heal. Anti-entropy exchanges the versions: last-writer-wins keeps the greater timestamp (A's 2) and \
                 silently drops B's 3; siblings keeps both.",
            ),
            step(
                2_500,
                Read { client: 0 },
                "A reads: 2 alone under last-writer-wins (B's acknowledged write is lost), or the siblings 2 and 3.",
            ),
        ],
        Mode::Async => vec![
            step(
                500,
                Write { client: 0, value: 1 },
                "Client A writes 1. The primary R0 acknowledges at once and ships it to the backups.",
            ),
            step(1_000, Partition(vec![0]), "Cut the primary R0 and client A off from the backups."),
            step(
                1_200,
                Failover,
                "The operator fails over: R1, the most up-to-date backup, becomes primary in epoch 2.",
            ),
            step(1_400, Write { client: 1, value: 3 }, "B writes 3 on the new primary R1."),
            step(
                1_600,
                Write { client: 0, value: 2 },
                "A writes 2. R0 does not know it was replaced: it acknowledges (split brain).",
            ),
            step(
                2_500,
                HealAll,
                "Heal. R0 learns of epoch 2, steps down and rolls back to R1's log: the acknowledged write 2 is lost.",
            ),
            step(3_000, Read { client: 0 }, "A reads 3: its own acknowledged write is gone."),
        ],
    }
}

// --- internals -------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmd {
    Noop,
    Write { value: u32, op: OpId, coord: u32 },
    Read { op: OpId, coord: u32 },
}

impl Cmd {
    fn op(&self) -> Option<OpId> {
        match *self {
            Cmd::Noop => None,
            Cmd::Write { op, .. } | Cmd::Read { op, .. } => Some(op),
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    term: u64,
    cmd: Cmd,
    at: Micros,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Version {
    value: u32,
    vv: Vec<u32>,
    ts: i64,
    writer: u32,
}

impl Version {
    /// `self` has seen everything `other` has (pointwise ≥).
    fn covers(&self, other: &Version) -> bool {
        self.vv.iter().zip(&other.vv).all(|(a, b)| a >= b)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct AEntry {
    value: u32,
    epoch: u32,
    seq: u32,
    at: Micros,
}

/// Raft's AppendEntries: the leader's log from `prev_len` on.
#[derive(Clone, Debug)]
struct Append {
    term: u64,
    prev_len: usize,
    prev_term: u64,
    entries: Vec<Entry>,
    commit: usize,
}

#[derive(Clone, Debug)]
enum Msg {
    Request { op: OpId, kind: OpKind },
    Response { op: OpId, result: Result<Vec<u32>, String> },
    Forward { op: OpId, cmd: Cmd },
    NotLeader { op: OpId, hint: Option<u32> },
    Committed { op: OpId, result: Result<Vec<u32>, String> },
    Append(Append),
    AppendReply { term: u64, ok: bool, len: usize },
    RequestVote { term: u64, last_len: usize, last_term: u64 },
    Vote { term: u64, granted: bool },
    Put { op: OpId, version: Version },
    PutAck { op: OpId },
    Get { op: OpId },
    GetReply { op: OpId, versions: Vec<Version> },
    Versions { versions: Vec<Version> },
    Replicate { epoch: u32, start: usize, entries: Vec<AEntry> },
    Gap { epoch: u32, len: usize },
    Hello { epoch: u32, primary: u32, len: usize },
    SyncReq,
    SyncLog { epoch: u32, log: Vec<AEntry> },
}

#[derive(Clone, Debug)]
enum Ev {
    Deliver { from: u32, to: u32, gen: u32, msg: Msg },
    ClientTimeout { client: u32, op: OpId },
    CoordTimeout { replica: u32, op: OpId },
    Election { replica: u32 },
    Heartbeat { replica: u32, term: u64 },
    FailoverCheck { gen: u32 },
}

/// An operation a replica coordinates.
#[derive(Clone, Debug)]
struct Pending {
    op: OpId,
    client: u32,
    kind: OpKind,
    /// Cp: where it was last submitted (a leader); Async: the primary it was forwarded to.
    target: Option<u32>,
    /// Ap: acks (writes) or replies (reads) so far, counting the coordinator.
    acks: u32,
    needed: u32,
    got: Vec<Version>,
}

#[derive(Clone, Debug)]
struct Replica {
    role: Role,
    // Cp
    term: u64,
    voted_for: Option<u32>,
    leader_hint: Option<u32>,
    log: Vec<Entry>,
    commit: usize,
    applied: usize,
    value: Option<(u32, u64, usize, Micros)>,
    applied_ops: Vec<bool>,
    deadline: Micros,
    votes: u32,
    next: Vec<usize>,
    matched: Vec<usize>,
    // Ap
    versions: Vec<Version>,
    counter: u32,
    hints: Vec<(u32, Version)>,
    // Async
    epoch: u32,
    primary: u32,
    alog: Vec<AEntry>,
    // every mode
    pending: Vec<Pending>,
}

struct Cluster {
    p: ClusterParams,
    n: u32,
    c: u32,
    rng: Rng,
    cut: Vec<bool>,
    gen: Vec<u32>,
    last_delivery: Vec<Micros>,
    /// Per undirected link: one-way latency override (ms).
    latency: Vec<Option<f64>>,
    reps: Vec<Replica>,
    busy: Vec<Option<OpId>>,
    history: Vec<Op>,
    history_gen: u64,
    log: Ring<String>,
    dropped: u64,
    // Async failover manager
    primary: u32,
    epoch: u32,
    isolated_since: Option<Micros>,
    isolation_gen: u32,
}

fn rname(r: u32) -> String {
    format!("R{r}")
}

impl Cluster {
    fn new(p: ClusterParams, seed: u64) -> Self {
        let p = p.clamped();
        let (n, c) = (p.replicas, p.clients);
        let nodes = (n + c) as usize;
        let role0 = |i: u32| match p.mode {
            Mode::Cp if i == 0 => Role::Leader,
            Mode::Cp => Role::Follower,
            Mode::Async if i == 0 => Role::Primary,
            Mode::Async => Role::Backup,
            Mode::Ap => Role::Peer,
        };
        let reps = (0..n)
            .map(|i| Replica {
                role: role0(i),
                term: 1,
                voted_for: Some(0),
                leader_hint: Some(0),
                log: Vec::new(),
                commit: 0,
                applied: 0,
                value: None,
                applied_ops: vec![false; HISTORY_CAP],
                deadline: 0,
                votes: 0,
                next: vec![0; n as usize],
                matched: vec![0; n as usize],
                versions: Vec::new(),
                counter: 0,
                hints: Vec::new(),
                epoch: 1,
                primary: 0,
                alog: Vec::new(),
                pending: Vec::new(),
            })
            .collect();
        Cluster {
            p,
            n,
            c,
            rng: Rng::new(seed),
            cut: vec![false; nodes * nodes],
            gen: vec![0; nodes * nodes],
            last_delivery: vec![0; nodes * nodes],
            latency: vec![None; nodes * nodes],
            reps,
            busy: vec![None; c as usize],
            history: Vec::new(),
            history_gen: 0,
            log: Ring::new(LOG_CAP),
            dropped: 0,
            primary: 0,
            epoch: 1,
            isolated_since: None,
            isolation_gen: 0,
        }
    }

    fn nodes(&self) -> u32 {
        self.n + self.c
    }

    fn home(&self, client: u32) -> u32 {
        client % self.n
    }

    fn node_name(&self, x: u32) -> String {
        if x < self.n {
            rname(x)
        } else {
            client_name(x - self.n)
        }
    }

    /// Index of the undirected link (a, b).
    fn li(&self, a: u32, b: u32) -> usize {
        let (a, b) = (a.min(b), a.max(b));
        (a * self.nodes() + b) as usize
    }

    fn up(&self, a: u32, b: u32) -> bool {
        a == b || !self.cut[self.li(a, b)]
    }

    /// Links the model has: replica–replica and client–home.
    fn meaningful(&self, a: u32, b: u32) -> bool {
        let nodes = self.nodes();
        if a == b || a >= nodes || b >= nodes {
            return false;
        }
        match (a < self.n, b < self.n) {
            (true, true) => true,
            (true, false) => self.home(b - self.n) == a,
            (false, true) => self.home(a - self.n) == b,
            (false, false) => false,
        }
    }

    fn note(&mut self, now: Micros, text: String) {
        self.log.push(format!("t={} s: {text}", crate::spec::fixed(now as f64 / SEC as f64, 2)));
    }

    fn link_latency_ms(&self, a: u32, b: u32) -> f64 {
        self.latency[self.li(a, b)].unwrap_or(self.p.latency_ms)
    }

    fn hop(&mut self, a: u32, b: u32) -> Micros {
        let base = millis(self.link_latency_ms(a, b)) as f64;
        (base * self.rng.uniform_range(1.0 - LINK_JITTER, 1.0 + LINK_JITTER)) as Micros
    }

    fn max_hop(&self, a: u32, b: u32) -> Micros {
        (millis(self.link_latency_ms(a, b)) as f64 * (1.0 + LINK_JITTER)).ceil() as Micros
    }

    fn send(&mut self, s: &mut Scheduler<Ev>, from: u32, to: u32, msg: Msg) {
        if from == to {
            s.after(0, Ev::Deliver { from, to, gen: 0, msg });
            return;
        }
        let l = self.li(from, to);
        if self.cut[l] {
            self.dropped += 1;
            return;
        }
        let hop = self.hop(from, to);
        let d = (from * self.nodes() + to) as usize;
        let t = (s.now() + hop).max(self.last_delivery[d]);
        self.last_delivery[d] = t;
        s.at(t, Ev::Deliver { from, to, gen: self.gen[l], msg });
    }

    fn op_label(&self, op: OpId) -> String {
        let o = &self.history[op as usize];
        let who = client_name(o.client);
        match o.kind {
            OpKind::Write(v) => format!("write {v} by client {who}"),
            OpKind::Read => format!("read by client {who}"),
        }
    }

    // --- clients ------------------------------------------------------------------------------

    fn invoke(&mut self, s: &mut Scheduler<Ev>, client: u32, kind: OpKind) -> Result<OpId, String> {
        if client >= self.c {
            return Err(format!("no client {client} (there are {})", self.c));
        }
        if let Some(op) = self.busy[client as usize] {
            return Err(format!("client {} is busy with operation #{op}", client_name(client)));
        }
        if self.history.len() >= HISTORY_CAP {
            return Err("history full".into());
        }
        let now = s.now();
        let id = self.history.len() as OpId;
        self.history.push(Op { id, client, kind, invoke: now, complete: None, outcome: Outcome::Pending });
        self.history_gen += 1;
        self.busy[client as usize] = Some(id);
        let home = self.home(client);
        let label = self.op_label(id);
        self.note(now, format!("{label} sent to {}", rname(home)));
        let node = self.n + client;
        self.send(s, node, home, Msg::Request { op: id, kind });
        let wait = millis(self.p.timeout_ms) + 2 * self.max_hop(node, home) + 2_000;
        s.after(wait, Ev::ClientTimeout { client, op: id });
        Ok(id)
    }

    fn client_done(&mut self, now: Micros, client: u32, op: OpId, result: Result<Vec<u32>, String>) {
        if self.busy.get(client as usize).copied().flatten() != Some(op) {
            return; // late answer after a client-side timeout
        }
        self.busy[client as usize] = None;
        let label = self.op_label(op);
        let text = match &result {
            Ok(_) if matches!(self.history[op as usize].kind, OpKind::Write(_)) => format!("{label} acknowledged"),
            Ok(v) if v.len() > 1 => {
                let vs: Vec<String> = v.iter().map(|x| x.to_string()).collect();
                format!("{label} returned siblings {}", vs.join(", "))
            }
            Ok(v) => format!("{label} returned {}", v.first().copied().unwrap_or(0)),
            Err(e) => {
                let verb =
                    if matches!(self.history[op as usize].kind, OpKind::Write(_)) { "rejected" } else { "failed" };
                format!("{label} {verb}: {e}")
            }
        };
        self.note(now, text);
        let o = &mut self.history[op as usize];
        o.complete = Some(now);
        o.outcome = match result {
            Ok(v) => Outcome::Ok(v),
            Err(e) => Outcome::Err(e),
        };
        self.history_gen += 1;
    }

    // --- coordinators -------------------------------------------------------------------------

    fn pending_index(&self, r: u32, op: OpId) -> Option<usize> {
        self.reps[r as usize].pending.iter().position(|p| p.op == op)
    }

    fn finish(&mut self, s: &mut Scheduler<Ev>, r: u32, op: OpId, result: Result<Vec<u32>, String>) {
        let Some(i) = self.pending_index(r, op) else { return };
        let p = self.reps[r as usize].pending.remove(i);
        let node = self.n + p.client;
        self.send(s, r, node, Msg::Response { op, result });
    }

    fn coord_start(&mut self, s: &mut Scheduler<Ev>, r: u32, client: u32, op: OpId, kind: OpKind) {
        self.reps[r as usize].pending.push(Pending {
            op,
            client,
            kind,
            target: None,
            acks: 1,
            needed: 1,
            got: Vec::new(),
        });
        s.after(millis(self.p.timeout_ms), Ev::CoordTimeout { replica: r, op });
        match self.p.mode {
            Mode::Cp => self.cp_submit(s, r, op),
            Mode::Ap => self.ap_start(s, r, op, kind),
            Mode::Async => self.async_start(s, r, op, kind),
        }
    }

    fn coord_timeout(&mut self, s: &mut Scheduler<Ev>, r: u32, op: OpId) {
        let Some(i) = self.pending_index(r, op) else { return };
        let p = self.reps[r as usize].pending[i].clone();
        let result = match self.p.mode {
            Mode::Cp => Err(format!(
                "no quorum on this side (nothing committed within {} ms)",
                crate::spec::format_number(self.p.timeout_ms)
            )),
            Mode::Async => {
                Err(format!("timeout: primary {} did not answer", p.target.map_or("(unknown)".to_string(), rname)))
            }
            Mode::Ap => match p.kind {
                OpKind::Write(_) if self.p.sloppy => {
                    let now = s.now();
                    let label = self.op_label(op);
                    self.note(
                        now,
                        format!("{label}: only {} of W={} acks by the timeout, accepted (sloppy)", p.acks, self.p.w),
                    );
                    Ok(vec![])
                }
                OpKind::Write(_) => Err(format!("write quorum not reached: {} of W={} acknowledged", p.acks, self.p.w)),
                OpKind::Read if self.p.sloppy => Ok(self.ap_values(&p.got)),
                OpKind::Read => Err(format!("read quorum not reached: {} of R={} replied", p.acks, self.p.r)),
            },
        };
        self.finish(s, r, op, result);
    }

    // --- Cp -----------------------------------------------------------------------------------

    fn reset_deadline(&mut self, r: u32, now: Micros) {
        let base = millis(self.p.election_timeout_ms) as f64;
        let d = (base * self.rng.uniform_range(1.0, 2.0)) as Micros;
        self.reps[r as usize].deadline = now + d.max(1);
    }

    fn majority(&self) -> u32 {
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
    fn cp_submit(&mut self, s: &mut Scheduler<Ev>, r: u32, op: OpId) {
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

    fn cp_election_timer(&mut self, s: &mut Scheduler<Ev>, r: u32) {
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

    fn cp_on_append(&mut self, s: &mut Scheduler<Ev>, f: u32, l: u32, a: Append) {
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

    fn cp_on_append_reply(&mut self, s: &mut Scheduler<Ev>, l: u32, f: u32, term: u64, ok: bool, len: usize) {
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

    fn cp_on_request_vote(
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

    fn cp_on_vote(&mut self, s: &mut Scheduler<Ev>, c: u32, v: u32, term: u64, granted: bool) {
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

    // --- Ap -----------------------------------------------------------------------------------

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
        crate::sort::short_stable_by_key(store, |v| (v.ts, v.writer));
    }

    fn ap_values(&self, got: &[Version]) -> Vec<u32> {
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

    fn ap_start(&mut self, s: &mut Scheduler<Ev>, r: u32, op: OpId, kind: OpKind) {
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

    fn ap_on_put_ack(&mut self, s: &mut Scheduler<Ev>, r: u32, op: OpId) {
        let Some(i) = self.pending_index(r, op) else { return };
        let p = &mut self.reps[r as usize].pending[i];
        p.acks += 1;
        if p.acks >= p.needed {
            self.finish(s, r, op, Ok(vec![]));
        }
    }

    fn ap_on_get_reply(&mut self, s: &mut Scheduler<Ev>, r: u32, op: OpId, versions: Vec<Version>) {
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

    fn ap_merge_at(&mut self, r: u32, versions: &[Version]) {
        let conflict = self.p.conflict;
        Self::merge(conflict, &mut self.reps[r as usize].versions, versions);
    }

    // --- Async --------------------------------------------------------------------------------

    fn async_value(&self, r: u32) -> u32 {
        self.reps[r as usize].alog.last().map_or(0, |e| e.value)
    }

    fn async_start(&mut self, s: &mut Scheduler<Ev>, r: u32, op: OpId, kind: OpKind) {
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

    fn async_check_isolation(&mut self, s: &mut Scheduler<Ev>) {
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

    fn failover(&mut self, s: &mut Scheduler<Ev>, automatic: bool) -> Result<u32, String> {
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

    // --- links --------------------------------------------------------------------------------

    fn set_cut(&mut self, a: u32, b: u32) -> bool {
        let l = self.li(a, b);
        if self.cut[l] {
            return false;
        }
        self.cut[l] = true;
        self.gen[l] += 1;
        true
    }

    fn set_healed(&mut self, s: &mut Scheduler<Ev>, a: u32, b: u32) -> bool {
        let l = self.li(a, b);
        if !self.cut[l] {
            return false;
        }
        self.cut[l] = false;
        if a < self.n && b < self.n {
            match self.p.mode {
                Mode::Ap => {
                    for (x, y) in [(a, b), (b, a)] {
                        let mut versions = self.reps[x as usize].versions.clone();
                        let rep = &mut self.reps[x as usize];
                        let hinted: Vec<Version> = rep.hints.iter().filter(|h| h.0 == y).map(|h| h.1.clone()).collect();
                        rep.hints.retain(|h| h.0 != y);
                        versions.extend(hinted);
                        self.send(s, x, y, Msg::Versions { versions });
                    }
                }
                Mode::Async => {
                    for (x, y) in [(a, b), (b, a)] {
                        let rep = &self.reps[x as usize];
                        let msg = Msg::Hello { epoch: rep.epoch, primary: rep.primary, len: rep.alog.len() };
                        self.send(s, x, y, msg);
                    }
                }
                Mode::Cp => {}
            }
        }
        true
    }

    fn cut_link(&mut self, s: &mut Scheduler<Ev>, a: u32, b: u32) -> Result<(), String> {
        if !self.meaningful(a, b) {
            return Err(format!("no link between nodes {a} and {b}"));
        }
        if self.set_cut(a, b) {
            let text = format!("link {}–{} cut", self.node_name(a), self.node_name(b));
            self.note(s.now(), text);
            self.async_check_isolation(s);
        }
        Ok(())
    }

    fn heal_link(&mut self, s: &mut Scheduler<Ev>, a: u32, b: u32) -> Result<(), String> {
        if !self.meaningful(a, b) {
            return Err(format!("no link between nodes {a} and {b}"));
        }
        if self.set_healed(s, a, b) {
            let text = format!("link {}–{} healed", self.node_name(a), self.node_name(b));
            self.note(s.now(), text);
            self.async_check_isolation(s);
        }
        Ok(())
    }

    fn all_links(&self) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for a in 0..self.nodes() {
            for b in a + 1..self.nodes() {
                if self.meaningful(a, b) {
                    out.push((a, b));
                }
            }
        }
        out
    }

    fn partition(&mut self, s: &mut Scheduler<Ev>, side_a: &[u32]) -> Result<(), String> {
        if let Some(&x) = side_a.iter().find(|&&x| x >= self.nodes()) {
            return Err(format!("no node {x}"));
        }
        // An unlisted client is on its home replica's side.
        let on_a = |me: &Self, x: u32| side_a.contains(&x) || (x >= me.n && side_a.contains(&me.home(x - me.n)));
        let mut a_names = Vec::new();
        let mut b_names = Vec::new();
        for x in 0..self.nodes() {
            if on_a(self, x) {
                a_names.push(self.node_name(x));
            } else {
                b_names.push(self.node_name(x));
            }
        }
        let mut any = false;
        for (a, b) in self.all_links() {
            if on_a(self, a) != on_a(self, b) {
                any |= self.set_cut(a, b);
            }
        }
        if any {
            self.note(s.now(), format!("partition: {{{}}} | {{{}}}", a_names.join(", "), b_names.join(", ")));
        }
        self.async_check_isolation(s);
        Ok(())
    }

    fn set_latency(&mut self, a: u32, b: u32, ms: Option<f64>) -> Result<(), String> {
        if !self.meaningful(a, b) {
            return Err(format!("no link between nodes {a} and {b}"));
        }
        let l = self.li(a, b);
        self.latency[l] = ms.map(|x| if x.is_nan() { self.p.latency_ms } else { crate::stats::clamp(x, 0.1, 1_000.0) });
        Ok(())
    }

    fn heal_all(&mut self, s: &mut Scheduler<Ev>) {
        let mut any = false;
        for (a, b) in self.all_links() {
            any |= self.set_healed(s, a, b);
        }
        if any {
            self.note(s.now(), "all links healed".into());
        }
        self.async_check_isolation(s);
    }

    // --- views --------------------------------------------------------------------------------

    fn final_values(&self) -> Vec<u32> {
        match self.p.mode {
            Mode::Cp => {
                let best = self.reps.iter().max_by_key(|r| r.commit).expect("replicas");
                vec![best.value.map_or(0, |v| v.0)]
            }
            Mode::Async => vec![self.async_value(self.primary)],
            Mode::Ap => {
                let mut all = Vec::new();
                for r in &self.reps {
                    all.extend(r.versions.iter().cloned());
                    all.extend(r.hints.iter().map(|h| h.1.clone()));
                }
                self.ap_values(&all)
            }
        }
    }

    fn in_majority(&self, r: u32) -> bool {
        // Size of r's connected component over working replica links.
        let mut seen = vec![false; self.n as usize];
        let mut stack = vec![r];
        seen[r as usize] = true;
        let mut size = 0;
        while let Some(x) = stack.pop() {
            size += 1;
            for y in 0..self.n {
                if !seen[y as usize] && self.up(x, y) {
                    seen[y as usize] = true;
                    stack.push(y);
                }
            }
        }
        size >= self.majority()
    }

    fn replica_view(&self, r: u32) -> ReplicaView {
        let rep = &self.reps[r as usize];
        let ms = |t: Micros| t as f64 / 1_000.0;
        let (term, leader, values, log_len, committed) = match self.p.mode {
            Mode::Cp => (
                rep.term,
                if rep.role == Role::Leader { Some(r) } else { rep.leader_hint },
                rep.value
                    .map(|(value, term, idx, at)| StoredValue {
                        value,
                        version: vec![term as u32, idx as u32],
                        timestamp_ms: ms(at),
                    })
                    .into_iter()
                    .collect(),
                rep.log.len() as u32,
                rep.commit as u32,
            ),
            Mode::Async => (
                rep.epoch as u64,
                Some(rep.primary),
                rep.alog
                    .last()
                    .map(|e| StoredValue { value: e.value, version: vec![e.epoch, e.seq], timestamp_ms: ms(e.at) })
                    .into_iter()
                    .collect(),
                rep.alog.len() as u32,
                rep.alog.len() as u32,
            ),
            Mode::Ap => (
                0,
                None,
                rep.versions
                    .iter()
                    .map(|v| StoredValue { value: v.value, version: v.vv.clone(), timestamp_ms: v.ts as f64 / 1_000.0 })
                    .collect(),
                0,
                0,
            ),
        };
        ReplicaView {
            id: r,
            role: rep.role,
            term,
            leader,
            connected: (0..self.n).filter(|&o| o != r && self.up(r, o)).collect(),
            in_majority: self.in_majority(r),
            values,
            log_len,
            committed,
            hints: rep.hints.len() as u32,
        }
    }

    fn leader(&self) -> Option<u32> {
        match self.p.mode {
            Mode::Cp => (0..self.n)
                .filter(|&r| self.reps[r as usize].role == Role::Leader)
                .max_by_key(|&r| (self.reps[r as usize].term, std::cmp::Reverse(r))),
            Mode::Async => Some(self.primary),
            Mode::Ap => None,
        }
    }
}

impl Model for Cluster {
    type Event = Ev;

    fn handle(&mut self, ev: Ev, s: &mut Scheduler<Ev>) {
        let now = s.now();
        match ev {
            Ev::Deliver { from, to, gen, msg } => {
                if from != to {
                    let l = self.li(from, to);
                    if self.cut[l] || self.gen[l] != gen {
                        self.dropped += 1;
                        return;
                    }
                }
                self.deliver(s, from, to, msg);
            }
            Ev::ClientTimeout { client, op } => {
                let home = self.home(client);
                self.client_done(now, client, op, Err(format!("timeout: no reply from {}", rname(home))));
            }
            Ev::CoordTimeout { replica, op } => self.coord_timeout(s, replica, op),
            Ev::Election { replica } => self.cp_election_timer(s, replica),
            Ev::Heartbeat { replica, term } => {
                let rep = &self.reps[replica as usize];
                if rep.role == Role::Leader && rep.term == term {
                    self.cp_broadcast(s, replica);
                    s.after(millis(self.p.heartbeat_ms), Ev::Heartbeat { replica, term });
                }
            }
            Ev::FailoverCheck { gen } => {
                if gen == self.isolation_gen && self.isolated_since.is_some() {
                    let _ = self.failover(s, true);
                }
            }
        }
    }
}

impl Cluster {
    fn deliver(&mut self, s: &mut Scheduler<Ev>, from: u32, to: u32, msg: Msg) {
        let now = s.now();
        match msg {
            Msg::Request { op, kind } => self.coord_start(s, to, from - self.n, op, kind),
            Msg::Response { op, result } => self.client_done(now, to - self.n, op, result),
            Msg::Committed { op, result } => self.finish(s, to, op, result),
            Msg::Forward { op, cmd } => match self.p.mode {
                Mode::Cp => {
                    if self.reps[to as usize].role == Role::Leader {
                        self.cp_leader_accept(s, to, cmd);
                    } else {
                        let hint = self.reps[to as usize].leader_hint;
                        self.send(s, to, from, Msg::NotLeader { op, hint });
                    }
                }
                _ => {
                    let Cmd::Write { value, .. } = cmd else { return };
                    if self.reps[to as usize].role == Role::Primary {
                        self.async_append(s, to, value);
                        self.send(s, to, from, Msg::Committed { op, result: Ok(vec![]) });
                    } else {
                        let e = format!("{} is not the primary any more", rname(to));
                        self.send(s, to, from, Msg::Committed { op, result: Err(e) });
                    }
                }
            },
            Msg::NotLeader { op, hint } => {
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
            Msg::Append(a) => self.cp_on_append(s, to, from, a),
            Msg::AppendReply { term, ok, len } => self.cp_on_append_reply(s, to, from, term, ok, len),
            Msg::RequestVote { term, last_len, last_term } => {
                self.cp_on_request_vote(s, to, from, term, last_len, last_term)
            }
            Msg::Vote { term, granted } => self.cp_on_vote(s, to, from, term, granted),
            Msg::Put { op, version } => {
                self.ap_merge_at(to, std::slice::from_ref(&version));
                self.send(s, to, from, Msg::PutAck { op });
            }
            Msg::PutAck { op } => self.ap_on_put_ack(s, to, op),
            Msg::Get { op } => {
                let versions = self.reps[to as usize].versions.clone();
                self.send(s, to, from, Msg::GetReply { op, versions });
            }
            Msg::GetReply { op, versions } => self.ap_on_get_reply(s, to, op, versions),
            Msg::Versions { versions } => self.ap_merge_at(to, &versions),
            Msg::Replicate { epoch, start, entries } => {
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
            Msg::Gap { epoch, len } => {
                let rep = &self.reps[to as usize];
                if rep.role == Role::Primary && rep.epoch == epoch && len < rep.alog.len() {
                    let entries = rep.alog[len..].to_vec();
                    self.send(s, to, from, Msg::Replicate { epoch, start: len, entries });
                }
            }
            Msg::Hello { epoch, primary, len } => {
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
            Msg::SyncReq => {
                let rep = &self.reps[to as usize];
                if rep.role == Role::Primary {
                    let msg = Msg::SyncLog { epoch: rep.epoch, log: rep.alog.clone() };
                    self.send(s, to, from, msg);
                }
            }
            Msg::SyncLog { epoch, log } => {
                let rep = &self.reps[to as usize];
                if epoch > rep.epoch || (epoch == rep.epoch && rep.primary == from && rep.role == Role::Backup) {
                    self.async_adopt(now, to, from, epoch, log);
                }
            }
        }
    }
}

/// The consistency simulation: a cluster, its clients, the network and the recorded history.
pub struct ClusterSim {
    engine: Engine<Cluster>,
    seed: u64,
    verdict_cache: RefCell<Option<(u64, Verdict)>>,
}

impl ClusterSim {
    /// A cluster in its initial state: nothing written, all links up; in Cp mode R0 leads term 1,
    /// in Async mode R0 is primary in epoch 1.
    pub fn new(params: ClusterParams, seed: u64) -> Self {
        let mut engine = Engine::new(Cluster::new(params, seed));
        if engine.model.p.mode == Mode::Cp {
            let n = engine.model.n;
            engine.sched.at(0, Ev::Heartbeat { replica: 0, term: 1 });
            for r in 0..n {
                engine.model.reset_deadline(r, 0);
                let at = engine.model.reps[r as usize].deadline;
                engine.sched.at(at, Ev::Election { replica: r });
            }
        }
        ClusterSim { engine, seed, verdict_cache: RefCell::new(None) }
    }

    pub fn params(&self) -> &ClusterParams {
        &self.engine.model.p
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn now(&self) -> Micros {
        self.engine.now()
    }

    pub fn step(&mut self) -> bool {
        self.engine.step()
    }

    /// Runs `dt` of simulated time.
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

    /// The node id of client `client` (for [`Self::cut`] and [`Self::heal`]).
    pub fn client_node(&self, client: u32) -> u32 {
        self.engine.model.n + client
    }

    /// The replica that coordinates `client`'s operations.
    pub fn home(&self, client: u32) -> u32 {
        self.engine.model.home(client)
    }

    pub fn is_busy(&self, client: u32) -> bool {
        self.engine.model.busy.get(client as usize).copied().flatten().is_some()
    }

    /// Client `client` writes `value` now. Refused (not recorded) if the client is busy, does not
    /// exist, or the history is full. Values should be non-zero: 0 is the initial value.
    pub fn write(&mut self, client: u32, value: u32) -> Result<OpId, String> {
        let e = &mut self.engine;
        e.model.invoke(&mut e.sched, client, OpKind::Write(value))
    }

    /// Client `client` reads now. Refused like [`Self::write`].
    pub fn read(&mut self, client: u32) -> Result<OpId, String> {
        let e = &mut self.engine;
        e.model.invoke(&mut e.sched, client, OpKind::Read)
    }

    /// Cuts the link between nodes `a` and `b` (replica–replica or client–home).
    pub fn cut(&mut self, a: u32, b: u32) -> Result<(), String> {
        let e = &mut self.engine;
        e.model.cut_link(&mut e.sched, a, b)
    }

    /// Heals the link between nodes `a` and `b`.
    pub fn heal(&mut self, a: u32, b: u32) -> Result<(), String> {
        let e = &mut self.engine;
        e.model.heal_link(&mut e.sched, a, b)
    }

    /// Cuts every link between `side_a` and the other nodes. Clients not listed are on their home
    /// replica's side. Links already cut stay cut.
    pub fn partition(&mut self, side_a: &[u32]) -> Result<(), String> {
        let e = &mut self.engine;
        e.model.partition(&mut e.sched, side_a)
    }

    pub fn heal_all(&mut self) {
        let e = &mut self.engine;
        e.model.heal_all(&mut e.sched)
    }

    /// Sets the one-way latency of the link between nodes `a` and `b` (clamped to 0.1–1000 ms;
    /// `None` restores `latency_ms`). Messages already on the link keep their delivery time.
    pub fn set_link_latency(&mut self, a: u32, b: u32, latency_ms: Option<f64>) -> Result<(), String> {
        self.engine.model.set_latency(a, b, latency_ms)
    }

    /// The one-way latency of the link between nodes `a` and `b` in ms (`None` if there is no such
    /// link).
    pub fn link_latency_ms(&self, a: u32, b: u32) -> Option<f64> {
        let m = &self.engine.model;
        m.meaningful(a, b).then(|| m.link_latency_ms(a, b))
    }

    /// Async mode: promotes the most up-to-date replica other than the primary. Returns it.
    pub fn failover(&mut self) -> Result<u32, String> {
        let e = &mut self.engine;
        e.model.failover(&mut e.sched, false)
    }

    /// Applies a tour step or a reader's action now. Returns the operation id for reads and
    /// writes.
    pub fn apply(&mut self, action: &Action) -> Result<Option<OpId>, String> {
        match action {
            Action::Write { client, value } => self.write(*client, *value).map(Some),
            Action::Read { client } => self.read(*client).map(Some),
            Action::Partition(side) => self.partition(side).map(|_| None),
            Action::HealAll => {
                self.heal_all();
                Ok(None)
            }
            Action::Failover => self.failover().map(|_| None),
            Action::Cut(a, b) => self.cut(*a, *b).map(|_| None),
            Action::Heal(a, b) => self.heal(*a, *b).map(|_| None),
        }
    }

    /// Every operation so far, in invocation order (`history()[i].id == i`).
    pub fn history(&self) -> &[Op] {
        &self.engine.model.history
    }

    /// What the register holds once the cluster settles: Cp, the value at the highest commit
    /// index; Async, the current primary's value; Ap, every version anywhere (including hints)
    /// merged under the conflict rule. `[0]` when never written.
    pub fn final_values(&self) -> Vec<u32> {
        self.engine.model.final_values()
    }

    /// [`check_linearizable`] of the history, cached until the history changes.
    pub fn verdict(&self) -> Verdict {
        let gen = self.engine.model.history_gen;
        let mut cache = self.verdict_cache.borrow_mut();
        match &*cache {
            Some((g, v)) if *g == gen => v.clone(),
            _ => {
                let v = check_linearizable(&self.engine.model.history);
                *cache = Some((gen, v.clone()));
                v
            }
        }
    }

    pub fn snapshot(&self) -> ClusterSnapshot {
        let m = &self.engine.model;
        let final_values = m.final_values();
        ClusterSnapshot {
            now: self.engine.now(),
            mode: m.p.mode,
            conflict: m.p.conflict,
            replicas: (0..m.n).map(|r| m.replica_view(r)).collect(),
            clients: (0..m.c)
                .map(|i| ClientView {
                    id: i,
                    name: CLIENT_NAMES[i as usize],
                    node: m.n + i,
                    home: m.home(i),
                    busy: m.busy[i as usize],
                })
                .collect(),
            cut_links: m.all_links().into_iter().filter(|&(a, b)| !m.up(a, b)).collect(),
            leader: m.leader(),
            history: m.history.clone(),
            log: m.log.iter().cloned().collect(),
            verdict: self.verdict(),
            stale_reads: stale_reads(&m.history),
            lost_writes: lost_writes(&m.history, &final_values),
            final_values,
            dropped: m.dropped,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_codes_round_trip() {
        let all = [
            Action::Write { client: 1, value: 42 },
            Action::Read { client: 0 },
            Action::Partition(vec![0, 3]),
            Action::HealAll,
            Action::Failover,
            Action::Cut(0, 4),
            Action::Heal(2, 1),
        ];
        for a in all {
            assert_eq!(Action::parse(&a.code()), Some(a.clone()), "{}", a.code());
        }
        for bad in
            ["", "w", "w.1", "w.1.x", "r.1.2", "part", "healall.1", "cut.1", "zap.1.2", "w.-1.2", "w.1.99999999999"]
        {
            assert_eq!(Action::parse(bad), None, "{bad}");
        }
    }

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
