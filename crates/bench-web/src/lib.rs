//! The event core's speed in the browser against native, on one workload defined once here.
//!
//! `workload()` is the retry-storm run of `crates/model/benches/events.rs` (same parameters, seed,
//! fault and checksum). The wasm build exports it to the bench page (`web/`), the native binary
//! `bench-native` times it in-process; `tests/perf/events.mjs` runs the two in interleaved pairs
//! and checks that both report the same events and checksum.

use model::des::SEC;
use model::retry::{Fault, FaultKind, RetryParams, RetrySim};
use wasm_bindgen::prelude::wasm_bindgen;

/// 20 s of the naive preset with 5,000 clients, seed 42 and a 2 s outage at t = 5 s: a healthy
/// phase, then a retry storm. Returns (events handled, a checksum of the outcome).
pub fn workload() -> (u64, u64) {
    let p = RetryParams { clients: 5_000, ..RetryParams::NAIVE };
    let mut sim = RetrySim::new(p, 42);
    sim.inject(Fault { kind: FaultKind::Outage, start: 5 * SEC, duration: 2 * SEC });
    sim.advance(20 * SEC);
    let t = sim.snapshot().totals;
    (sim.events_handled(), t.attempts ^ (t.succeeded << 20) ^ (t.wasted << 40))
}

/// Runs [`workload`] `reps` times (at least once) and returns `[events per run, checksum]`;
/// `[0, 0]` if two runs disagree, which would mean the simulation is not deterministic.
/// The caller times the call (the wasm has no clock of its own).
#[wasm_bindgen]
pub fn retry_storm_workload(reps: u32) -> Vec<u64> {
    let first = workload();
    for _ in 1..reps {
        if workload() != first {
            return vec![0, 0];
        }
    }
    vec![first.0, first.1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workload_is_deterministic_and_storms() {
        let (events, checksum) = workload();
        assert!(events > 100_000, "a 20 s retry storm at 5,000 clients handles many events: {events}");
        assert_eq!(retry_storm_workload(2), vec![events, checksum]);
    }
}
