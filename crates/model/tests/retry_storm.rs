//! The retry-storm model: the metastable failure, amplification and determinism.

use model::des::SEC;
use model::queueing::retry_amplification;
use model::retry::{Fault, FaultKind, Recovery, RetryParams, RetrySim};

/// Runs `p` with a 2 s outage at t = 5 s until t = 30 s; returns (mean goodput / offered over the
/// last 10 s, the snapshot).
fn after_outage(p: RetryParams, seed: u64) -> (f64, model::retry::RetrySnapshot) {
    let mut sim = RetrySim::new(p, seed);
    sim.inject(Fault { kind: FaultKind::Outage, start: 5 * SEC, duration: 2 * SEC });
    sim.advance(30 * SEC);
    let tail: Vec<_> = sim.series().iter().filter(|s| s.t > 20.0).copied().collect();
    let good: f64 = tail.iter().map(|s| s.goodput).sum();
    let offered: f64 = tail.iter().map(|s| s.offered).sum();
    (good / offered, sim.snapshot())
}

#[test]
fn naive_retries_stay_down_after_the_outage_ends() {
    let (ratio, snap) = after_outage(RetryParams::NAIVE, 1);
    assert!(ratio < 0.05, "goodput ratio {ratio}");
    assert!(matches!(snap.recovery, Recovery::Recovering { .. }), "{:?}", snap.recovery);
    assert!(snap.amplification > 3.0, "amplification {}", snap.amplification);
    assert!(snap.queue_len as f64 > 0.9 * RetryParams::NAIVE.queue_limit as f64);
}

#[test]
fn jitter_plus_budget_recovers() {
    let (ratio, snap) = after_outage(RetryParams::JITTERED_WITH_BUDGET, 1);
    assert!(ratio > 0.95, "goodput ratio {ratio}");
    match snap.recovery {
        Recovery::Recovered { after_s } => assert!(after_s < 5.0, "{after_s}"),
        r => panic!("not recovered: {r:?}"),
    }
    assert!(snap.amplification < 1.2);
}

#[test]
fn breaker_recovers() {
    let (ratio, _) = after_outage(RetryParams::WITH_BREAKER, 1);
    assert!(ratio > 0.95, "goodput ratio {ratio}");
}

#[test]
fn adaptive_throttling_recovers() {
    let p = RetryParams { adaptive_throttle: true, ..RetryParams::NAIVE };
    let (ratio, _) = after_outage(p, 1);
    assert!(ratio > 0.9, "goodput ratio {ratio}");
}

#[test]
fn healthy_system_has_no_amplification() {
    for (name, p) in RetryParams::PRESETS {
        let mut sim = RetrySim::new(p, 3);
        sim.advance(10 * SEC);
        let s = sim.snapshot();
        assert!(s.amplification < 1.05, "{name}: {}", s.amplification);
        assert!(s.goodput_ratio > 0.95, "{name}: {}", s.goodput_ratio);
        assert_eq!(s.recovery, Recovery::NoFault);
    }
}

#[test]
fn total_failure_multiplies_attempts() {
    // One layer, every attempt fails: each request makes exactly max_attempts attempts.
    let p = RetryParams { error_rate: 1.0, offered_rps: 100.0, ..RetryParams::NAIVE };
    let mut sim = RetrySim::new(p, 2);
    sim.advance(20 * SEC);
    let t = sim.snapshot().totals;
    let done = t.requests - t.in_flight;
    let per_request = t.attempts as f64 / t.requests as f64;
    assert!((per_request - 4.0).abs() < 0.01, "{per_request}");
    assert_eq!(t.succeeded, 0);
    assert!(done > 1_900);
    // Stacked: 4 attempts at each of 3 layers reach the bottom 64 times.
    assert_eq!(retry_amplification(4, 3), 64.0);
}

#[test]
fn totals_balance() {
    let mut sim = RetrySim::new(RetryParams::WITH_BREAKER, 9);
    sim.inject(Fault { kind: FaultKind::Outage, start: SEC, duration: SEC });
    for _ in 0..50 {
        sim.advance(SEC / 10);
        let t = sim.snapshot().totals;
        assert_eq!(t.requests, t.succeeded + t.failed + t.refused + t.in_flight);
    }
}

#[test]
fn same_seed_same_run_and_same_arrivals_across_policies() {
    let run = |p: RetryParams, seed| {
        let mut sim = RetrySim::new(p, seed);
        sim.inject(Fault { kind: FaultKind::LatencySpike(5.0), start: 2 * SEC, duration: SEC });
        sim.advance(6 * SEC);
        (sim.snapshot(), sim.series().iter().map(|s| s.offered).collect::<Vec<_>>())
    };
    let (a, offered_a) = run(RetryParams::NAIVE, 4);
    let (b, _) = run(RetryParams::NAIVE, 4);
    assert_eq!(a, b);
    let (c, offered_c) = run(RetryParams::WITH_BREAKER, 4);
    assert_eq!(offered_a, offered_c, "A/B runs must see the same offered load");
    assert_eq!(a.totals.requests, c.totals.requests);
    let (d, _) = run(RetryParams::NAIVE, 5);
    assert_ne!(a.totals.requests, d.totals.requests);
}
