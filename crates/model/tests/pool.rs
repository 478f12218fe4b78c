//! The timeout / thread-pool model: exhaustion without timeouts, spurious failures with tight
//! ones, and protection with timeouts between the healthy p99 and the caller's patience.

use model::des::SEC;
use model::pool::{PoolFault, PoolFaultKind, PoolParams, PoolSim, PoolSnapshot};

fn run(p: PoolParams, fault: Option<PoolFaultKind>) -> PoolSnapshot {
    let mut sim = PoolSim::new(p, 1);
    if let Some(kind) = fault {
        sim.inject(PoolFault { kind, start: 5 * SEC, duration: 60 * SEC });
    }
    sim.advance(20 * SEC);
    let s = sim.snapshot();
    let t = s.totals;
    assert_eq!(t.requests, t.ok + t.failed + t.rejected + t.in_system);
    s
}

#[test]
fn healthy_without_timeouts_is_fine() {
    let s = run(PoolParams::NO_TIMEOUTS, None);
    assert!(s.error_rate < 0.01);
    assert!(s.busy < s.threads / 2);
}

#[test]
fn slow_dependency_without_timeouts_exhausts_the_pool_and_spreads() {
    for fault in [PoolFaultKind::Slow(20.0), PoolFaultKind::BlackHole] {
        let s = run(PoolParams::NO_TIMEOUTS, Some(fault));
        assert_eq!(s.busy, s.threads, "{fault:?}");
        assert!(s.error_rate > 0.5, "{fault:?}: {}", s.error_rate);
        assert!(s.totals.rejected > 1_000, "{fault:?}");
    }
    // Requests that never call the dependency fail too.
    let s = run(PoolParams::NO_TIMEOUTS, Some(PoolFaultKind::Slow(20.0)));
    assert!(s.totals.collateral > 100, "{:?}", s.totals);
}

#[test]
fn too_loose_timeouts_protect_nothing() {
    let s = run(PoolParams::TOO_LOOSE, Some(PoolFaultKind::Slow(20.0)));
    assert_eq!(s.busy, s.threads);
    assert!(s.totals.collateral > 100);
}

#[test]
fn tight_timeouts_fail_healthy_calls() {
    let s = run(PoolParams::TOO_TIGHT, None);
    let t = s.totals;
    let share = t.spurious as f64 / t.requests as f64;
    assert!(share > 0.1, "spurious share {share}");
    assert_eq!(t.spurious, t.connect_timeouts + t.read_timeouts + t.overall_timeouts);
}

#[test]
fn balanced_timeouts_fail_fast_and_keep_the_pool() {
    let healthy = run(PoolParams::BALANCED, None);
    assert!((healthy.totals.spurious as f64) < 0.01 * healthy.totals.requests as f64);
    for fault in [PoolFaultKind::Slow(20.0), PoolFaultKind::BlackHole] {
        let s = run(PoolParams::BALANCED, Some(fault));
        assert!(s.busy < s.threads, "{fault:?}: {}/{}", s.busy, s.threads);
        assert_eq!(s.totals.collateral, 0, "{fault:?}");
        assert_eq!(s.totals.rejected, 0, "{fault:?}");
    }
}
