//! The event core's speed in the browser against native, on the workload `model::retry` defines.
//!
//! `workload()` is `model::retry::storm_workload`, the run `crates/model/benches/events.rs` times
//! natively. The wasm build exports it to the bench page (`web/`), the native binary
//! `bench-native` times it in-process; `tests/perf/events.mjs` runs the two in interleaved pairs
//! and checks that both report the same events and checksum.

use wasm_bindgen::prelude::wasm_bindgen;

/// The retry-storm run the native bench also times (see [`model::retry::storm_workload`]).
pub use model::retry::storm_workload as workload;

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
