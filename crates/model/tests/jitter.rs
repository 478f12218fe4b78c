//! Brooker's backoff-and-jitter experiment: the orderings from the 2015 post, as means over
//! 1,000 seeded runs per strategy.

use model::jitter::{JitterParams, JitterSim, STRATEGIES};

fn means(clients: u32) -> [(f64, f64); 5] {
    let mut sim = JitterSim::new(JitterParams { clients, runs: 1_000, ..JitterParams::BROOKER }, 2015);
    while sim.step() {}
    let s = sim.snapshot();
    assert!(s.done && s.runs_done == 1_000);
    let mut out = [(0.0, 0.0); 5];
    for (i, r) in s.results.iter().enumerate() {
        out[i] = (r.mean_calls, r.mean_completion_ms);
        println!(
            "N={clients} {:<13} calls {:>8.1} time {:>8.1} ms",
            STRATEGIES[i].0, r.mean_calls, r.mean_completion_ms
        );
    }
    out
}

const NONE: usize = 0;
const EXPO: usize = 1;
const EQUAL: usize = 2;
const FULL: usize = 3;

fn check(clients: u32) {
    let m = means(clients);
    // Full jitter makes fewer calls than no-jitter exponential and than no backoff.
    assert!(m[FULL].0 < m[EXPO].0, "{m:?}");
    assert!(m[FULL].0 < m[NONE].0, "{m:?}");
    // Calls: full <= equal < exponential without jitter.
    assert!(m[FULL].0 <= m[EQUAL].0 && m[EQUAL].0 < m[EXPO].0, "{m:?}");
    // Exponential without jitter takes by far the longest (at least 1.5x any other strategy).
    for (i, (_, t)) in m.iter().enumerate() {
        if i != EXPO {
            assert!(m[EXPO].1 > 1.5 * t, "strategy {i}: {m:?}");
        }
    }
    // Every client writes at least once.
    assert!(m.iter().all(|(c, _)| *c >= clients as f64));
}

#[test]
fn orderings_at_50_clients() {
    check(50);
}

#[test]
fn orderings_at_100_clients() {
    check(100);
}
