//! The linearizability checker: Wing & Gong's search with Lowe's memoization, and the shrinking
//! that names a small sub-history which is already not linearizable.

use super::history::{client_name, Op, OpId, OpKind, Outcome};
use crate::des::{Micros, SEC};
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

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

/// Searches `ops` (sorted by invocation), adding the states it visited to `states`.
fn search(ops: &[COp], states: &mut usize) -> Search {
    if ops.len() > MAX_CHECK_OPS {
        return Search::GaveUp;
    }
    let required = ops.iter().filter(|o| o.required).count();
    let mut d = Dfs { ops, required, memo: HashSet::default(), gave_up: false };
    let linearizable = d.go([0; 4], 0, 0);
    *states += d.memo.len();
    if linearizable {
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
    crate::num::sort::by_unique_key(&mut ops, |o| (o.invoke, o.id));
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
    crate::num::sort::by_unique_key(&mut out, |o| (o.invoke, o.id));
    out
}

/// Shrinks a non-linearizable op set: the shortest closed prefix that fails, then greedy removal
/// of every op whose removal keeps it failing. A write is only removed when no remaining read
/// returned its value, so the result never "fails" merely because a read lost its write.
fn minimize(ops: &[COp], states: &mut usize) -> Vec<COp> {
    let (mut lo, mut hi) = (1, ops.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if search(&closed_prefix(ops, mid), states) == Search::Violation {
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
            if !cand.is_empty() && search(&cand, states) == Search::Violation {
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
    crate::fmt::fixed(t as f64 / SEC as f64, 3)
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
    check_linearizable_counted(history).0
}

/// [`check_linearizable`], also returning how much searching it did: the number of distinct
/// (linearized set, register value) states visited, summed over every search it ran (shrinking a
/// violation runs several). The count is deterministic, so tests can bound the checker's work
/// without a clock.
pub fn check_linearizable_counted(history: &[Op]) -> (Verdict, usize) {
    let mut states = 0;
    let ops = match prepare(history) {
        Ok(o) => o,
        Err(v) => return (v, states),
    };
    let verdict = match search(&ops, &mut states) {
        Search::Linearizable => Verdict::Linearizable,
        Search::GaveUp => Verdict::Unknown {
            reason: format!(
                "the search gave up ({} operations; limits {MAX_CHECK_OPS} operations, {MAX_CHECK_STATES} states)",
                ops.len()
            ),
        },
        Search::Violation => {
            let core = minimize(&ops, &mut states);
            let mut ids: Vec<OpId> = core.iter().map(|o| o.id).collect();
            crate::num::sort::by_unique_key(&mut ids, |&id| id);
            Verdict::Violation { ops: ids, explanation: explain(&core, history) }
        }
    };
    (verdict, states)
}
