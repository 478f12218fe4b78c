//! Theory overlays: each simulation against the closed form that describes it while the run is
//! within the formula's assumptions, and the plain explanation when it is not.

use model::des::{Micros, SEC};
use model::queueing::Agreement;
use model::retry::{Fault, FaultKind, RetryParams, RetrySim, THEORY_MIN_WAITS};

/// Independent replications (one seed each) of `secs` seconds: the pooled statistic and the
/// standard error of the mean of the replications' values, from their spread.
fn replicate(n: u64, f: impl Fn(u64) -> f64) -> (f64, f64) {
    let xs: Vec<f64> = (1..=n).map(f).collect();
    let m = xs.iter().sum::<f64>() / n as f64;
    let var = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64;
    (m, (var / n as f64).sqrt())
}

fn storm(load: f64) -> RetryParams {
    RetryParams { offered_rps: RetryParams::NAIVE.capacity_rps() * load, ..RetryParams::NAIVE }
}

/// Without faults or retries the retry storm's dependency is exactly M/M/c/K (8 workers, 10 ms
/// exponential service, K = 408; Poisson arrivals delayed by independent network hops are still
/// Poisson). The simulated mean wait of 12 independent runs (60 s; 150 s at 90 % load, where
/// waits are longer correlated) lies within three standard errors of the formula's (a 99.7 %
/// interval for their mean), and that interval is narrow (a standard error under 6 % of the
/// value), so the check has teeth.
#[test]
fn the_retry_storms_dependency_waits_as_mmck_says() {
    for load in [0.5, 0.7, 0.9] {
        let p = storm(load);
        let theory = RetrySim::new(p, 1).dependency_mmck().unwrap().wq * 1e3;
        let (mean, se) = replicate(12, |seed| {
            let mut sim = RetrySim::new(p, seed);
            sim.advance(if load > 0.8 { 150 } else { 60 } * SEC);
            let st = sim.dependency_stats();
            assert_eq!(st.departed, None, "load {load}: left the assumptions");
            st.wait_sum / st.waits as f64 / 1e3
        });
        assert!(se < 0.06 * theory, "load {load}: standard error {se} ms of {theory} ms");
        assert!((mean - theory).abs() < 3.0 * se, "load {load}: simulated {mean} ± {se} ms, M/M/c/K {theory} ms");
    }
}

/// Little's law on the sample path: the time-average queue length equals the rate of attempts
/// through the queue times their mean wait (up to the attempts still queued at the end).
#[test]
fn littles_law_holds_for_the_dependency_queue() {
    for (load, seed) in [(0.7, 3), (0.9, 4)] {
        let mut sim = RetrySim::new(storm(load), seed);
        sim.advance(60 * SEC);
        let st = sim.dependency_stats();
        let span = (sim.now() - st.since.unwrap()) as f64;
        let l = st.queue_area / span;
        let lambda_w = st.waits as f64 / span * (st.wait_sum / st.waits as f64);
        assert!((l - lambda_w).abs() < 0.01 * l, "load {load}: L {l} vs λW {lambda_w}");
        let theory = sim.dependency_mmck().unwrap();
        assert!((theory.lq - theory.lambda_eff * theory.wq).abs() < 1e-9);
    }
}

fn badge(sim: &RetrySim) -> String {
    sim.dependency_theory().text()
}

/// The default run (70 % load, seed 1) agrees within a few percent after 60 s; its badge says so.
#[test]
fn the_default_run_agrees() {
    let mut sim = RetrySim::new(storm(0.7), 1);
    sim.advance(60 * SEC);
    let a = sim.dependency_theory();
    assert!(a.agrees(), "{}", a.text());
    let text = a.text();
    assert!(text.starts_with("simulated wait 1.") && text.contains("· M/M/c/K 1.1 ms (within "), "{text}");
    assert!((a.reference().unwrap() - 1.1275).abs() < 1e-3);
}

/// Each way out of the assumptions gets its explanation, and the comparison comes back after.
#[test]
fn outside_the_assumptions_the_badge_explains() {
    // Too few samples at first.
    let mut sim = RetrySim::new(storm(0.7), 1);
    sim.advance(SEC);
    let t = badge(&sim);
    assert!(t.starts_with("Too few attempts yet for an M/M/c/K comparison (n = "), "{t}");
    assert!(t.ends_with(&format!("of {}).", model::fmt::grouped(THEORY_MIN_WAITS as f64))), "{t}");

    // A fault: no comparison while it lasts; after it the queue drains, then samples gather again.
    let mut sim = RetrySim::new(RetryParams { attempt_timeout_ms: 2_000.0, max_attempts: 1, ..storm(0.7) }, 1);
    sim.inject(Fault { kind: FaultKind::Outage, start: 30 * SEC, duration: SEC });
    sim.advance(30 * SEC + SEC / 2);
    assert_eq!(badge(&sim), "No M/M/c/K comparison during a fault: the formula assumes a steady dependency.");
    sim.advance(SEC / 2 + SEC / 10);
    let t = badge(&sim);
    assert!(
        t.starts_with("No M/M/c/K comparison yet: a fault 0.1 s ago; comparing again once the queue has drained."),
        "{t}"
    );
    sim.advance(5 * SEC);
    let t = badge(&sim);
    assert!(t.contains("a fault") && t.contains("too few attempts since (n = "), "{t}");
    sim.advance(40 * SEC);
    assert!(sim.dependency_theory().agrees(), "{}", badge(&sim));

    // An overloaded dependency has no steady state to compare.
    let mut sim = RetrySim::new(storm(1.1), 1);
    sim.advance(20 * SEC);
    assert_eq!(
        badge(&sim),
        "No M/M/c/K comparison: the offered load (880/s) is at or above capacity (800/s), so the queue fills until \
         attempts time out and retry; there is no steady state to compare."
    );

    // Retries: a 20 ms attempt timeout at 90 % load times out attempts, and their retries are not
    // Poisson arrivals.
    let mut sim = RetrySim::new(RetryParams { attempt_timeout_ms: 20.0, ..storm(0.9) }, 1);
    sim.advance(20 * SEC);
    let t = badge(&sim);
    assert!(t.contains("a retry ") && t.contains(" s ago (retries are not Poisson arrivals); "), "{t}");
    assert!(!sim.dependency_theory().agrees());

    // A settings change restarts the statistics.
    let mut sim = RetrySim::new(storm(0.7), 1);
    sim.advance(30 * SEC);
    assert!(sim.dependency_theory().agrees());
    sim.set_params(storm(0.6));
    sim.advance(SEC);
    let t = badge(&sim);
    assert!(t.starts_with("No M/M/c/K comparison yet: a settings change 1.0 s ago; too few attempts since"), "{t}");
    assert!(matches!(sim.dependency_theory(), Agreement::Outside(_)));
    let _: Micros = sim.now();
}

use model::pool::{mean_holding_ms, PoolFault, PoolFaultKind, PoolParams, PoolSim};

/// The thread pool's holding time is not exponential (log-normal dependency calls), so M/M/c
/// does not describe it; Little's law does, for any distribution: busy threads = λ·E[S]. With
/// the defaults (400 requests/s, half of them calling a dependency with a 50 ms median and a
/// p99 4× that, connect 1 ms median, local work 5 ms) E[S] = 0.5·5 + 0.5·(1.118 + 59.70) =
/// 32.91 ms, so 13.16 threads are busy on average. Replications of 30 s agree within 3 standard
/// errors, and a standard error under 1 % of the value.
#[test]
fn busy_threads_follow_littles_law() {
    let p = PoolParams::NO_TIMEOUTS;
    let e_s = mean_holding_ms(&p);
    assert!((e_s - 32.91).abs() < 0.01, "{e_s}");
    let theory = PoolSim::new(p, 1).littles_busy_threads();
    assert!((theory - 13.16).abs() < 0.01, "{theory}");
    let (mean, se) = replicate(10, |seed| {
        let mut sim = PoolSim::new(p, seed);
        sim.advance(30 * SEC);
        let t = sim.theory_stats();
        assert_eq!(t.departed, None);
        t.busy_area / (sim.now() - t.since.unwrap()) as f64
    });
    assert!(se < 0.01 * theory, "standard error {se}");
    assert!((mean - theory).abs() < 3.0 * se, "simulated {mean} ± {se}, Little {theory}");
    // Slower dependency, fewer threads: still Little's law (now with queueing for threads).
    let p = PoolParams { dep_median_ms: 150.0, threads: 50, ..PoolParams::NO_TIMEOUTS };
    let theory = PoolSim::new(p, 1).littles_busy_threads();
    let (mean, se) = replicate(10, |seed| {
        let mut sim = PoolSim::new(p, seed);
        sim.advance(30 * SEC);
        let t = sim.theory_stats();
        t.busy_area / (sim.now() - t.since.unwrap()) as f64
    });
    assert!((mean - theory).abs() < 3.0 * se && se < 0.02 * theory, "simulated {mean} ± {se}, Little {theory}");
}

#[test]
fn the_pools_badge_agrees_and_explains() {
    let mut sim = PoolSim::new(PoolParams::NO_TIMEOUTS, 1);
    sim.advance(5 * SEC);
    assert_eq!(sim.theory().text(), "Too short a run yet for a Little's-law comparison (5.0 s of the 10 s it needs).");
    sim.advance(25 * SEC);
    let a = sim.theory();
    assert!(a.agrees(), "{}", a.text());
    assert!(
        a.text().starts_with("simulated busy threads 13") && a.text().contains("· Little's law 13.2 (within"),
        "{}",
        a.text()
    );
    sim.inject(PoolFault { kind: PoolFaultKind::Slow(20.0), start: sim.now(), duration: 15 * SEC });
    sim.advance(SEC);
    assert!(sim.theory().text().starts_with("No Little's-law comparison during a fault"), "{}", sim.theory().text());
    // Tight timeouts cut healthy calls short: the closed-form holding time no longer applies.
    let mut sim = PoolSim::new(PoolParams::TOO_TIGHT, 1);
    sim.advance(20 * SEC);
    let t = sim.theory().text();
    assert!(t.contains("a timeout cut a call short"), "{t}");
    // More work than threads.
    let mut sim = PoolSim::new(PoolParams { dep_median_ms: 2_000.0, ..PoolParams::NO_TIMEOUTS }, 1);
    sim.advance(5 * SEC);
    let t = sim.theory().text();
    assert!(
        t.starts_with("No Little's-law comparison: the offered work needs 479 threads on average, more than the 100"),
        "{t}"
    );
}

use model::rollout::{canary_steps, Analysis, Release, RolloutParams, RolloutSim, Strategy};

fn count_canary(first: f64) -> RolloutParams {
    RolloutParams {
        pod_ready_s: 0.0,
        strategy: Strategy::Canary {
            steps_pct: canary_steps(first),
            bake_s: 300.0,
            analysis: Analysis::CountThreshold { errors: 10 },
        },
        ..RolloutParams::CANARY_1
    }
    .with_release(Release::ObviousBug)
}

fn detect(p: RolloutParams, seed: u64) -> RolloutSim {
    let mut sim = RolloutSim::new(p, seed);
    while sim.snapshot().detected_at.is_none() && sim.now() < 200 * SEC {
        sim.advance(SEC / 10);
    }
    sim
}

/// One run's detection time is one draw of an Erlang-10 time (mean 20 s at 1 % of 1,000
/// requests/s failing 5 %), so the badge judges it by the range where 90 % of runs fall
/// (10.85–31.41 s). Over 200 seeds, the share of runs inside is 90 % give or take three binomial
/// standard errors (√(0.9 · 0.1 / 200) = 2.1 %): the range is calibrated, not decoration.
#[test]
fn the_rollouts_detection_time_falls_in_the_count_thresholds_range() {
    let p = count_canary(1.0);
    let mut inside = 0;
    for seed in 0..200 {
        let sim = detect(p, seed);
        let a = sim.detection_theory().expect("a count-threshold canary with a bad release");
        let Agreement::Compared(c) = &a else { panic!("seed {seed}: {}", a.text()) };
        assert!((c.theory - 20.0).abs() < 1e-9);
        let (lo, hi) = c.spread.unwrap();
        assert!((lo - 10.851).abs() < 1e-3 && (hi - 31.410).abs() < 1e-3, "{lo} {hi}");
        inside += a.agrees() as u32;
    }
    let share = inside as f64 / 200.0;
    assert!((share - 0.9).abs() < 3.0 * 0.0212, "{share} of runs inside the 90% range");
}

#[test]
fn the_rollouts_badge_explains_when_there_is_nothing_to_compare() {
    let sim = detect(count_canary(5.0), 1);
    let t = sim.detection_theory().unwrap().text();
    assert!(t.starts_with("this run's time to detect ") && t.contains("· count threshold 4 s on average"), "{t}");
    // Before the canary serves (pods take 30 s to start by default).
    let mut sim = RolloutSim::new(RolloutParams::CANARY_1, 1);
    sim.advance(SEC);
    let t = sim.detection_theory().unwrap().text();
    assert_eq!(
        t,
        "Not serving the canary yet: the count threshold expects 10 errors 20 s after the canary's first request on \
         average, 90% of runs within 11–31 s."
    );
    // A subtle regression at 1 %: about 500 s, beyond the errors' 60 s window.
    let sim = RolloutSim::new(count_canary(1.0).with_release(Release::SubtleRegression), 1);
    let t = sim.detection_theory().unwrap().text();
    assert!(t.starts_with("No closed-form comparison:") && t.contains("window the errors must fall in"), "{t}");
    // The reader rolled back first.
    let mut sim = RolloutSim::new(count_canary(1.0), 1);
    sim.advance(3 * SEC);
    sim.roll_back_now();
    let t = sim.detection_theory().unwrap().text();
    assert!(t.starts_with("Detected by you before the canary analysis"), "{t}");
    // No count threshold, no badge.
    assert!(RolloutSim::new(RolloutParams::BLUE_GREEN, 1).detection_theory().is_none());
    assert!(RolloutSim::new(count_canary(1.0).with_release(Release::Good), 1).detection_theory().is_none());
}
