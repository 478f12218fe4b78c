//! The recorded history: every client operation as the client saw it, and the two anomalies a
//! reader can name in one ([`stale_reads`], [`lost_writes`]).

use super::params::CLIENT_NAMES;
use crate::des::Micros;

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
