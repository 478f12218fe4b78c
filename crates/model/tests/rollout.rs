//! The rollout model against Kubernetes' rounding rules, hand-derived closed forms and its own
//! simulation: rolling-update fenceposts, capacity, count-threshold and binomial canary
//! detection, blast radius, rollbacks, the widget's presets, determinism.

mod common;

use common::{assert_close, close};
use model::des::{Micros, MS, SEC};
use model::rollout::*;
use proptest::prelude::{prop_assert, prop_assert_eq, proptest, ProptestConfig};

/// A run of `p` on `seed` until `done` says so (checked every 100 ms) or `limit` seconds.
fn run_until(p: RolloutParams, seed: u64, limit: u64, done: impl Fn(&RolloutSnapshot) -> bool) -> RolloutSnapshot {
    let mut sim = RolloutSim::new(p, seed);
    while sim.now() < limit * SEC && !sim.ended() {
        sim.advance(100 * MS);
        let s = sim.snapshot();
        if done(&s) {
            return s;
        }
    }
    sim.snapshot()
}

/// A canary of `first` % with `analysis`, pods ready at once, a bake longer than any test, and no
/// global alert (its ratio is never reached): only the analysis can stop it.
fn canary(first: f64, analysis: Analysis) -> RolloutParams {
    RolloutParams {
        pod_ready_s: 0.0,
        alert_ratio: 1.0,
        strategy: Strategy::Canary { steps_pct: canary_steps(first), bake_s: 3_600.0, analysis },
        ..RolloutParams::CANARY_1
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Rolling-update rounding (Kubernetes' RollingUpdateDeployment)
// ---------------------------------------------------------------------------------------------

#[test]
fn rolling_update_fenceposts() {
    use Amount::{Percent as Pct, Pods};
    // (replicas, maxSurge, maxUnavailable) → (surge, unavailable, max pods, min available).
    // Surge rounds up, unavailable down; both 0 makes unavailable 1 (`ResolveFenceposts`).
    type Case = (u32, Amount, Amount, (u32, u32, u32, u32));
    let cases: &[Case] = &[
        (10, Pct(25.0), Pct(25.0), (3, 2, 13, 8)), // ⌈2.5⌉ = 3, ⌊2.5⌋ = 2
        (4, Pct(25.0), Pct(25.0), (1, 1, 5, 3)),
        (1, Pct(25.0), Pct(25.0), (1, 0, 2, 1)), // ⌈0.25⌉ = 1, ⌊0.25⌋ = 0
        (10, Pct(30.0), Pct(30.0), (3, 3, 13, 7)),
        (3, Pct(50.0), Pct(50.0), (2, 1, 5, 2)),
        (10, Pct(0.0), Pct(0.0), (0, 1, 10, 9)), // rounding to both 0: unavailable 1
        (1, Pct(0.0), Pct(25.0), (0, 1, 1, 0)),
        (10, Pods(2), Pods(0), (2, 0, 12, 10)),
        (10, Pods(0), Pods(0), (0, 1, 10, 9)),
        (10, Pods(50), Pods(50), (10, 10, 20, 0)), // at most the replicas
        (10, Pct(f64::NAN), Pct(-5.0), (0, 1, 10, 9)),
    ];
    for &(r, surge, unavailable, (s, u, max, min)) in cases {
        let b = rolling_bounds(r, surge, unavailable);
        assert_eq!(
            (b.max_surge, b.max_unavailable, b.max_pods, b.min_available),
            (s, u, max, min),
            "{r} replicas, {surge:?}/{unavailable:?}"
        );
    }
    // The docs' example: at maxSurge 30 %, old and new pods together stay within 130 % of the
    // desired pods.
    let b = rolling_bounds(10, Pct(30.0), Pct(0.0));
    assert!(b.max_pods as f64 <= 1.3 * 10.0);
    let p = RolloutParams {
        strategy: Strategy::Rolling { max_surge: Pct(30.0), max_unavailable: Pct(0.0) },
        ..RolloutParams::ROLLING
    }
    .with_release(Release::Good);
    let s = run_until(p, 1, 600, |s| s.phase == Phase::Done);
    assert_eq!(s.phase, Phase::Done);
    assert_eq!((s.peak_pods, s.min_ready), (13, 10), "≤ 130 %, never below 100 % ready");
}

#[test]
fn a_rolling_update_keeps_within_its_fenceposts_all_the_way() {
    // The run's own pod counts, second by second, for every fencepost pair the widget offers.
    for surge in (0..=100).step_by(25) {
        for unavailable in (0..=100).step_by(25) {
            let p = RolloutParams {
                strategy: Strategy::Rolling {
                    max_surge: Amount::Percent(surge as f64),
                    max_unavailable: Amount::Percent(unavailable as f64),
                },
                ..RolloutParams::ROLLING
            }
            .with_release(Release::Good);
            let b = p.rolling_bounds();
            let mut sim = RolloutSim::new(p, 3);
            sim.advance(1_000 * SEC);
            let s = sim.snapshot();
            let what = format!("{surge}%/{unavailable}%");
            assert_eq!(s.phase, Phase::Done, "{what}");
            assert_eq!(s.peak_pods, b.max_pods, "{what}");
            assert_eq!(s.min_ready, b.min_available, "{what}");
            assert!(sim.series().iter().all(|x| x.pods_old + x.pods_new <= b.max_pods), "{what}");
            assert_eq!(s.time_to_full_s(), Some(p.planned_full_s()), "{what}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Capacity
// ---------------------------------------------------------------------------------------------

#[test]
fn peak_capacity_per_strategy() {
    // (preset, peak pods, readout). Blue/green runs a second full set (2.0×); a 25 %/25 % rolling
    // update at most maxSurge more (1.3×); recreate never more than the replicas; the 1 % canary
    // peaks when its last step's 10 pods start beside the 5 old pods of the 50 % step.
    let cases = [
        (RolloutParams::BLUE_GREEN, 20, "2.0× (20 of 10 pods)"),
        (RolloutParams::ROLLING, 13, "1.3× (13 of 10 pods)"),
        (RolloutParams::BIG_BANG, 10, "1.0× (10 of 10 pods)"),
        (RolloutParams::CANARY_1, 15, "1.5× (15 of 10 pods)"),
        (RolloutParams::CANARY_5, 15, "1.5× (15 of 10 pods)"),
    ];
    for (p, peak, text) in cases {
        let p = p.with_release(Release::Good);
        assert_eq!(p.peak_pods(), peak, "{:?}", p.strategy);
        let s = run_until(p, 1, 2_000, |s| s.phase == Phase::Done);
        assert_eq!(s.phase, Phase::Done);
        assert_eq!(s.peak_pods, peak, "{:?}: the run", p.strategy);
        assert_eq!(s.capacity_text(), text);
    }
    assert_eq!(RolloutSim::new(RolloutParams::BLUE_GREEN, 1).snapshot().peak_capacity(), 2.0);
}

// ---------------------------------------------------------------------------------------------
// 3. Count-threshold detection
// ---------------------------------------------------------------------------------------------

#[test]
fn count_threshold_closed_forms() {
    // Threshold 10 errors, new_err 0.05, baseline 0.001, 1,000 rps. The canary's errors arrive
    // at rps · share · new_err a second, so the 10th after 10 / (1000 · share · 0.05) s on
    // average: 20 s at 1 %, 4 s at 5 %. Each is an error the old version would not have made
    // with probability (0.05 − 0.001) / 0.05, so 10 · 0.049 / 0.05 = 9.8 excess failures
    // before detection, for both.
    let cases = [(0.01, 20.0, 9.8), (0.05, 4.0, 9.8), (0.25, 0.8, 9.8)];
    for (share, time, excess) in cases {
        assert!(close(count_detect_time_s(10, 1_000.0, share, 0.05), time, 1e-12), "{share}");
        assert!(close(count_excess_before_detect(10, 0.001, 0.05), excess, 1e-12), "{share}");
    }
    // A release no worse than the old version adds nothing.
    assert_eq!(count_excess_before_detect(10, 0.001, 0.001), 0.0);
    // The widget's readout says the same.
    let plan = RolloutParams::CANARY_1.analysis_plan().unwrap();
    assert!(close(plan.detect_s, 20.0, 1e-12) && close(plan.excess_before, 9.8, 1e-12));
    assert!(plan.describe().contains("20 s at 1.0% of traffic"), "{}", plan.describe());
    assert!(plan.describe().contains("about 9.8 requests"));
    let plan = RolloutParams::CANARY_5.analysis_plan().unwrap();
    assert!(plan.describe().contains("4 s at 5.0% of traffic"), "{}", plan.describe());
}

#[test]
fn count_threshold_detection_in_the_simulation() {
    // The mean over 1,000 seeds of the time from the canary's first request to the 10th error,
    // and of the excess failures until then. Standard deviations per run: √10 / (rps · share ·
    // p) (6.3 s at 1 %, 1.3 s at 5 %) and √(10 · 0.98 · 0.02) = 0.44; the tolerances are about
    // four standard errors of the mean.
    const SEEDS: u64 = 1_000;
    for (share_pct, want_s, tol_s) in [(1.0, 20.0, 0.8), (5.0, 4.0, 0.16)] {
        let p = canary(share_pct, Analysis::CountThreshold { errors: 10 }).with_release(Release::ObviousBug);
        let (mut t, mut excess) = (0.0, 0.0);
        for seed in 0..SEEDS {
            let s = run_until(p, seed, 600, |s| s.detected_at.is_some());
            assert_eq!(s.detected_by, Some(Detector::Analysis), "{share_pct}% seed {seed}");
            t += s.time_to_detect_s().unwrap();
            excess += s.excess_at_detect.unwrap() as f64;
        }
        assert_close(t / SEEDS as f64, want_s, tol_s, &format!("time to detect at {share_pct}%"));
        assert_close(excess / SEEDS as f64, 9.8, 0.06, &format!("excess before detection at {share_pct}%"));
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Fixed-sample binomial detection
// ---------------------------------------------------------------------------------------------

#[test]
fn binomial_sample_size_derivation() {
    // p0 = 0.001 → p1 = 0.002, one-sided α = 0.05, power 0.8:
    //   z_0.95 = 1.644854, z_0.8 = 0.841621
    //   √(p0·q0) = √(0.001 · 0.999) = 0.0316070,  z_0.95 · 0.0316070 = 0.0519888
    //   √(p1·q1) = √(0.002 · 0.998) = 0.0446766,  z_0.8  · 0.0446766 = 0.0376008
    //   n = (0.0519888 + 0.0376008)² / 0.001² = 0.0895896² / 1e-6 = 8,026.3 → 8,027 requests.
    const N: u64 = 8_027;
    let (p0, p1, za, zb) = (0.001_f64, 0.002_f64, 1.644_854, 0.841_621);
    let by_hand = (za * (p0 * (1.0 - p0)).sqrt() + zb * (p1 * (1.0 - p1)).sqrt()).powi(2) / (p1 - p0).powi(2);
    assert_close(by_hand, 8_026.3, 0.05, "n before rounding");
    assert_eq!(by_hand.ceil() as u64, N);
    assert_close(normal_quantile(0.95), 1.644_854, 5e-7, "z_0.95");
    assert_close(normal_quantile(0.8), 0.841_621, 5e-7, "z_0.8");
    assert_eq!(binomial_sample_size(p0, p1, 0.05, 0.8), N, "the model's own quantiles");
    // It fails the canary at ⌊8,027 · 0.001 + 1.644854 · √(8,027 · 0.001 · 0.999)⌋ + 1
    // = ⌊8.027 + 4.658⌋ + 1 = 13 errors.
    assert_eq!(binomial_critical_errors(N, p0, 0.05), 13);

    // Time to decide at 1,000 rps is n / (1000 · share): 8,027 / 10 = 802.7 s at 1 %,
    // 8,027 / 50 = 160.54 s at 5 %, 8,027 / 250 = 32.108 s at 25 %.
    for (first, share, secs) in [(1.0, 0.01, 802.7), (5.0, 0.05, 160.54), (25.0, 0.25, 32.108)] {
        assert!(close(decide_time_s(N, 1_000.0, share), secs, 1e-12), "{share}");
        // The model's readout for the widget.
        let plan = canary(first, Analysis::Binomial { alpha: 0.05, power: 0.8, p1: 0.002 }).analysis_plan().unwrap();
        assert_eq!((plan.sample, plan.critical), (N, 13));
        assert!(close(plan.decide_s, secs, 1e-12), "{first}%: {}", plan.decide_s);
    }
    let plan = canary(1.0, Analysis::Binomial { alpha: 0.05, power: 0.8, p1: 0.002 }).analysis_plan().unwrap();
    assert!(plan.describe().contains("needs 8,027 canary requests"), "{}", plan.describe());
    assert!(plan.describe().contains("at 13 or more errors"));
}

#[test]
fn sample_sizes_for_the_widgets_choices() {
    // (α, power, p1) → n: a smaller false-alarm rate, more power or a subtler regression all need
    // more requests.
    let cases = [
        (0.05, 0.8, 0.002, 8_027),
        (0.01, 0.8, 0.002, 12_350),
        (0.10, 0.8, 0.002, 6_101),
        (0.05, 0.9, 0.002, 11_935),
        (0.05, 0.95, 0.002, 15_745),
        (0.05, 0.8, 0.005, 775),
        (0.05, 0.8, 0.01, 228),
        (0.05, 0.8, 0.05, 24),
    ];
    for (alpha, power, p1, n) in cases {
        assert_eq!(binomial_sample_size(0.001, p1, alpha, power), n, "α {alpha}, power {power}, p1 {p1}");
    }
    assert_eq!(binomial_sample_size(0.002, 0.002, 0.05, 0.8), u64::MAX, "nothing to tell apart");
}

#[test]
fn normal_quantiles() {
    for (p, z) in [
        (0.5, 0.0),
        (0.8, 0.841_621_233_572_914_3),
        (0.9, 1.281_551_565_544_600_8),
        (0.95, 1.644_853_626_951_472_2),
        (0.99, 2.326_347_874_040_840_8),
        (0.999_999, 4.753_424_308_817_089),
        (1e-10, -6.361_340_902_404_056),
    ] {
        assert_close(normal_quantile(p), z, 1e-12, &format!("Φ⁻¹({p})"));
    }
    assert_eq!(normal_quantile(1.0), f64::INFINITY);
    assert!(normal_quantile(-0.1).is_nan() && normal_quantile(f64::NAN).is_nan());
}

/// P(X ≥ c) for X ~ Binomial(n, p).
fn binomial_tail(n: u64, p: f64, c: u64) -> f64 {
    let mut pmf = (n as f64 * (1.0 - p).ln()).exp();
    let mut below = 0.0;
    for k in 0..c {
        below += pmf;
        pmf *= (n - k) as f64 / (k + 1) as f64 * p / (1.0 - p);
    }
    1.0 - below
}

#[test]
fn the_binomial_test_in_the_simulation_has_its_size_and_power() {
    // A 25 % canary, decided after 8,027 canary requests (about 32 s): it fails a 0.2 % release
    // with the test's exact power P(X ≥ 13 | n, 0.002) ≈ 0.81, and a good one with its exact
    // size P(X ≥ 13 | n, 0.001) ≈ 0.065 (the normal approximation's 5 % is a little low).
    // Tolerances: four standard errors over 300 seeds.
    const SEEDS: u64 = 300;
    let analysis = Analysis::Binomial { alpha: 0.05, power: 0.8, p1: 0.002 };
    for (release, p) in [(Release::SubtleRegression, 0.002), (Release::Good, 0.001)] {
        let want = binomial_tail(8_027, p, 13);
        let run = canary(25.0, analysis).with_release(release);
        let mut failed = 0;
        for seed in 0..SEEDS {
            let s = run_until(run, seed, 120, |s| s.analysis.is_some_and(|a| a.verdict.is_some()));
            let a = s.analysis.unwrap();
            assert_eq!(a.requests, 8_027);
            assert!(close(s.now as f64 / SEC as f64, 32.108, 0.1), "decided near 32 s: {}", s.now);
            failed += u64::from(a.verdict == Some(false));
        }
        let rate = failed as f64 / SEEDS as f64;
        let tol = 4.0 * (want * (1.0 - want) / SEEDS as f64).sqrt();
        assert_close(rate, want, tol, &format!("{release:?} fails"));
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Blast radius
// ---------------------------------------------------------------------------------------------

#[test]
fn blast_radius_closed_form() {
    // Detection and rollback take 300 s at 1,000 rps; the release fails 0.049 more requests than
    // the old version: 0.049 · 1000 · share · 300.
    for (share, want) in [(1.0, 14_700.0), (0.01, 147.0), (0.05, 735.0)] {
        assert!(close(blast_radius(1_000.0, share, 0.049, 300.0), want, 1e-12), "{share}: {want}");
    }
}

#[test]
fn blast_radius_in_the_simulation() {
    // The same 300 s of exposure, ended by "Roll back now": big bang as an instant blue/green
    // (all traffic from t = 0, switched back at once), and canaries whose analysis never fires.
    // Means over 20 seeds; Poisson noise per run is √excess, so the tolerances are about four
    // standard errors.
    let no_analysis = Analysis::CountThreshold { errors: 10_000 };
    let big_bang = RolloutParams {
        pod_ready_s: 0.0,
        alert_ratio: 1.0,
        strategy: Strategy::BlueGreen { switch_s: 0.0, bake_s: 3_600.0 },
        ..RolloutParams::BLUE_GREEN
    };
    let cases =
        [(big_bang, 14_700.0, 110.0), (canary(1.0, no_analysis), 147.0, 11.0), (canary(5.0, no_analysis), 735.0, 25.0)];
    for (p, want, tol) in cases {
        let mut total = 0.0;
        for seed in 0..20 {
            let mut sim = RolloutSim::new(p.with_release(Release::ObviousBug), seed);
            sim.advance(300 * SEC);
            sim.roll_back_now();
            sim.advance(10 * SEC);
            let s = sim.snapshot();
            assert_eq!(s.exposure_at, Some(0));
            assert_eq!(s.rolled_back_at, Some(300 * SEC), "{:?}", p.strategy);
            assert_eq!(s.detected_by, Some(Detector::Manual));
            total += s.totals.excess as f64;
        }
        assert_close(total / 20.0, want, tol, &format!("{:?}", p.strategy));
    }
}

// ---------------------------------------------------------------------------------------------
// Rollbacks, plans and the run's bookkeeping
// ---------------------------------------------------------------------------------------------

#[test]
fn each_strategy_rolls_back_its_own_way() {
    // An obvious bug, rolled back by hand 100 s in: (preset, seconds until all traffic is on the
    // old version again, seconds until the old version is complete). Blue/green switches back
    // in its 1 s; a canary moves its traffic back at once (its old pods were never all gone);
    // a rolling update rolls back in waves of pod start-ups; a recreate recreates, down for a
    // start-up time again.
    let cases = [
        (RolloutParams::BLUE_GREEN, 1, 1),
        (RolloutParams::CANARY_1, 0, 0),
        (RolloutParams::ROLLING, 60, 60),
        (RolloutParams::BIG_BANG, 30, 30),
    ];
    for (p, back_s, complete_s) in cases {
        let p = RolloutParams { alert_ratio: 1.0, ..p }.with_release(Release::ObviousBug);
        let p = match p.strategy {
            Strategy::Canary { steps_pct, bake_s, .. } => RolloutParams {
                strategy: Strategy::Canary { steps_pct, bake_s, analysis: Analysis::CountThreshold { errors: 10_000 } },
                ..p
            },
            _ => p,
        };
        let mut sim = RolloutSim::new(p, 5);
        sim.advance(100 * SEC);
        assert!(sim.can_roll_back());
        sim.roll_back_now();
        let s = sim.snapshot();
        assert_eq!(s.rollback_at, Some(100 * SEC));
        assert!(!sim.can_roll_back(), "once is enough");
        let s2 = run_until_phase(&mut sim, Phase::RolledBack);
        let what = format!("{:?}", p.strategy);
        assert_eq!(s2.rolled_back_at, Some((100 + back_s) * SEC), "{what}");
        assert_eq!(s2.now, (100 + complete_s) * SEC, "{what}");
        assert_eq!((s2.new.all(), s2.old.ready), (0, 10), "{what}");
        assert_eq!(s.detect_text(), "1 min 10 s (you)", "{what}: 70 s after the first request");
    }
}

/// Runs `sim` second by second until `phase` (at most 10 minutes).
fn run_until_phase(sim: &mut RolloutSim, phase: Phase) -> RolloutSnapshot {
    for _ in 0..600 {
        if sim.snapshot().phase == phase {
            break;
        }
        sim.advance(SEC);
    }
    sim.snapshot()
}

#[test]
fn a_good_release_reaches_100_percent_on_its_plan() {
    // (preset, seconds to 100 %): recreate one start-up (30 s); blue/green a start-up and the
    // 1 s switch; rolling two waves of 30 s; a 1 % canary 30 s of start-up for each step that
    // needs new pods (1, 25, 50 and 100 %: ⌈share × 10⌉ grows) and 300 s of bake for each step
    // below 100 %; the 5 % canary the same without its 1 % step.
    let cases = [
        (RolloutParams::BIG_BANG, 30.0),
        (RolloutParams::BLUE_GREEN, 31.0),
        (RolloutParams::ROLLING, 60.0),
        (RolloutParams::CANARY_1, 4.0 * 30.0 + 4.0 * 300.0),
        (RolloutParams::CANARY_5, 4.0 * 30.0 + 3.0 * 300.0),
    ];
    for (p, want) in cases {
        let p = p.with_release(Release::Good);
        assert_eq!(p.planned_full_s(), want, "{:?}", p.strategy);
        let s = run_until(p, 2, 3_000, |s| s.full_at.is_some());
        assert_eq!(s.time_to_full_s(), Some(want), "{:?}", p.strategy);
        if !matches!(p.strategy, Strategy::Recreate) {
            assert_eq!(s.excess_text(), "0", "{:?}", p.strategy);
        }
    }
    // A binomial first step lasts until its sample is in: at 1 %, 802.7 s instead of the bake.
    let p = RolloutParams {
        strategy: Strategy::Canary {
            steps_pct: canary_steps(1.0),
            bake_s: 300.0,
            analysis: Analysis::Binomial { alpha: 0.05, power: 0.8, p1: 0.002 },
        },
        ..RolloutParams::CANARY_1
    };
    assert!(close(p.planned_full_s(), 4.0 * 30.0 + 802.7 + 3.0 * 300.0, 1e-12));
}

#[test]
fn a_recreate_is_down_for_a_start_up_time() {
    // Every request of the 30 s downtime fails: 30,000, of which the old version would have
    // failed about 30 (0.1 %).
    let s = run_until(RolloutParams::BIG_BANG.with_release(Release::Good), 9, 200, |s| s.phase == Phase::Done);
    assert_eq!(s.totals.unserved, 30_000);
    assert_eq!(s.totals.failed, 30_000);
    assert_close(s.totals.excess as f64, 29_970.0, 25.0, "downtime failures the old version would have served");
    assert_eq!(s.min_ready, 0);
    assert_eq!(s.alert_at, None, "a planned downtime does not page");
}

#[test]
fn the_alert_pages_and_on_call_responds() {
    // Blue/green, obvious bug: after the switch at 30 s, the minute's error ratio reaches 1 %
    // after about (0.01 − 0.001) · 60 / 0.049 = 11 s of full exposure (sooner, as the window
    // still holds less than a minute); the rollback starts 300 s later and blue (kept 600 s)
    // takes the traffic back in 1 s.
    let s = run_until(RolloutParams::BLUE_GREEN, 4, 600, |s| s.phase == Phase::RolledBack);
    assert_eq!(s.detected_by, Some(Detector::Alert));
    let t = s.time_to_detect_s().unwrap();
    assert!((5.0..=12.0).contains(&t), "{t}");
    assert_eq!(s.rollback_at, Some(s.detected_at.unwrap() + 300 * SEC));
    assert_eq!(s.rolled_back_at, Some(s.rollback_at.unwrap() + SEC));
    // A subtle regression never reaches the alert's 1 %: it ships, and keeps failing.
    let s = run_until(RolloutParams::BLUE_GREEN.with_release(Release::SubtleRegression), 4, 1_000, |_| false);
    assert_eq!((s.phase, s.detected_at), (Phase::Done, None));
    assert!(!s.ended, "a bad release left serving keeps the run going");
    assert!(s.status().contains("nobody has noticed"));
}

#[test]
fn totals_add_up_and_the_history_is_the_totals() {
    for (_, p) in RolloutParams::PRESETS {
        for release in Release::ALL {
            let mut sim = RolloutSim::new(p.with_release(release), 11);
            sim.advance(700 * SEC);
            let s = sim.snapshot();
            let t = s.totals;
            assert_eq!(t.requests, t.old + t.new + t.unserved);
            assert_eq!(t.failed, t.failed_baseline + t.excess);
            let sum = |f: fn(&RolloutSample) -> u32| sim.series().iter().map(|x| f(x) as u64).sum::<u64>();
            let last = sim.series().last().map_or(0, |x| x.t_s as u64);
            // The samples hold every request of the seconds they cover.
            assert_eq!(sum(|x| x.old + x.new + x.unserved), last * 1_000, "{:?}", p.strategy);
            assert!(sum(|x| x.excess) <= t.excess);
        }
    }
}

#[test]
fn runs_end_once_settled_and_memory_stays_bounded() {
    // A good blue/green run ends five minutes after blue is gone (31 + 600 s).
    let mut sim = RolloutSim::new(RolloutParams::BLUE_GREEN.with_release(Release::Good), 1);
    sim.advance(2_000 * SEC);
    assert!(sim.ended());
    assert_eq!(sim.series().last().unwrap().t_s, 631 + 300);
    assert_eq!(sim.next_event(), None);
    let before = sim.snapshot();
    sim.roll_back_now();
    assert_eq!(sim.snapshot(), RolloutSnapshot { now: before.now, ..before }, "nothing happens after the end");
    // A bad release nobody catches runs to the cap, with at most an hour of samples.
    let mut sim = RolloutSim::new(RolloutParams::ROLLING.with_release(Release::SubtleRegression), 1);
    sim.advance(RUN_CAP + 100 * SEC);
    assert!(sim.ended());
    assert_eq!(sim.series().len(), HISTORY);
}

// ---------------------------------------------------------------------------------------------
// Determinism and the A/B comparison
// ---------------------------------------------------------------------------------------------

#[test]
fn same_seed_same_run_other_seed_other_run() {
    for (_, p) in RolloutParams::PRESETS {
        let snapshots = |seed: u64| -> Vec<RolloutSnapshot> {
            let mut sim = RolloutSim::new(p, seed);
            (0..300)
                .map(|i| {
                    sim.advance(if i % 7 == 0 { 1_234 * MS } else { 333 * MS });
                    if i == 150 {
                        sim.roll_back_now();
                    }
                    sim.snapshot()
                })
                .collect()
        };
        assert_eq!(snapshots(42), snapshots(42), "{:?}", p.strategy);
        assert_ne!(snapshots(42), snapshots(43), "{:?}", p.strategy);
    }
}

#[test]
fn a_and_b_see_the_same_requests() {
    // The same seed: the same requests, each failing or not by the same draw. A 1 % canary's
    // failed requests are then a subset of a 5 % canary's, second by second.
    let a = |first: f64| canary(first, Analysis::CountThreshold { errors: 10_000 }).with_release(Release::ObviousBug);
    let (mut small, mut big) = (RolloutSim::new(a(1.0), 8), RolloutSim::new(a(5.0), 8));
    small.advance(120 * SEC);
    big.advance(120 * SEC);
    let (s, b) = (small.snapshot(), big.snapshot());
    assert_eq!(s.totals.requests, b.totals.requests);
    assert!(s.totals.new < b.totals.new && s.totals.excess < b.totals.excess);
    for (x, y) in small.series().iter().zip(big.series().iter()) {
        assert_eq!(x.old + x.new, y.old + y.new);
        assert!(x.excess <= y.excess, "second {}: {} > {}", x.t_s, x.excess, y.excess);
    }
    // The failures the old version would have had are the same draws in both.
    let good = |first: f64| canary(first, Analysis::CountThreshold { errors: 10_000 }).with_release(Release::Good);
    let (mut x, mut y) = (RolloutSim::new(good(1.0), 8), RolloutSim::new(good(50.0), 8));
    x.advance(60 * SEC);
    y.advance(60 * SEC);
    assert_eq!(x.snapshot().totals.failed, y.snapshot().totals.failed);
}

// ---------------------------------------------------------------------------------------------
// The widget's declaration and adapter
// ---------------------------------------------------------------------------------------------

#[test]
fn presets_give_the_named_params() {
    for (i, (name, want)) in RolloutParams::PRESETS.iter().enumerate() {
        assert_eq!(ROLLOUT.presets[i].0, *name);
        let (st, notes) = ROLLOUT.parse_query(&format!("preset={name}"));
        assert!(notes.is_empty());
        assert_eq!(rollout_params(&st, None), want.clamped(), "{name}");
        // Run B of the comparison: the preset over the same settings.
        assert_eq!(rollout_params(&ROLLOUT.defaults(), Some(i)), want.clamped(), "B = {name}");
    }
    assert_eq!(rollout_params(&ROLLOUT.defaults(), None), RolloutParams::CANARY_1);
    let (st, _) = ROLLOUT.parse_query("release=subtle&detect=binomial&alpha=1&power=95&p1=0.5&compare=none");
    let p = rollout_params(&st, None);
    assert_eq!(p.new_err, 0.002);
    assert!(matches!(p.strategy, Strategy::Canary { analysis: Analysis::Binomial { alpha, power, p1 }, .. }
        if alpha == 0.01 && power == 0.95 && p1 == 0.005));
    assert_eq!(compare_preset(&st), None);
    assert_eq!(compare_preset(&ROLLOUT.defaults()), Some(1), "B defaults to blue/green");
    assert!(uses_canary(&ROLLOUT.defaults()));
    let (st, _) = ROLLOUT.parse_query("preset=rolling&compare=canary-5");
    assert!(uses_canary(&st) && !uses_canary(&ROLLOUT.parse_query("preset=rolling").0));
}

#[test]
fn hostile_settings_clamp() {
    let (st, notes) =
        ROLLOUT.parse_query("canary=1e9&bake=-5&surge=NaN&unavailable=0&ready=99999&strategy=warp&threshold=0");
    assert_eq!(notes.len(), 6, "{notes:?}");
    let p = rollout_params(&st, None);
    assert_eq!(p, p.clamped());
    let wild = RolloutParams {
        replicas: 0,
        rps: f64::INFINITY,
        baseline_err: f64::NAN,
        new_err: 7.0,
        pod_ready_s: -1.0,
        strategy: Strategy::Canary {
            steps_pct: [f64::NAN, 200.0, -1.0, 0.0, 3.0],
            bake_s: f64::NEG_INFINITY,
            analysis: Analysis::Binomial { alpha: 2.0, power: f64::NAN, p1: 0.0 },
        },
        alert_ratio: -3.0,
        respond_s: 1e300,
    };
    let mut sim = RolloutSim::new(wild, 1);
    sim.advance(60 * SEC);
    let s = sim.snapshot();
    assert!(s.share_new.is_finite() && s.planned_full_s.is_finite());
    assert!(!s.status().is_empty() && !s.full_text().contains("NaN"));
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Under a count threshold, the expected excess before detection does not depend on the
    /// canary's size; the time to detect falls as 1 / share.
    #[test]
    fn count_detection_trades_time_for_nothing(threshold in 1u32..200, share in 0.001f64..1.0, p0 in 0.0f64..0.01, extra in 0.0001f64..0.5) {
        let p = p0 + extra;
        let excess = count_excess_before_detect(threshold, p0, p);
        prop_assert!(excess <= threshold as f64 && excess > 0.0);
        let t = count_detect_time_s(threshold, 1_000.0, share, p);
        let t2 = count_detect_time_s(threshold, 1_000.0, share / 2.0, p);
        prop_assert!(close(t2, 2.0 * t, 1e-12));
    }

    /// A fixed-sample test needs more requests for a subtler regression, a stricter α or more
    /// power, and at least one.
    #[test]
    fn sample_size_is_monotone(p0 in 0.0001f64..0.05, d in 0.0001f64..0.2, alpha in 0.001f64..0.2, power in 0.55f64..0.99) {
        let n = binomial_sample_size(p0, p0 + d, alpha, power);
        prop_assert!((1..u64::MAX).contains(&n));
        prop_assert!(binomial_sample_size(p0, p0 + d / 2.0, alpha, power) >= n);
        prop_assert!(binomial_sample_size(p0, p0 + d, alpha / 2.0, power) >= n);
        prop_assert!(binomial_sample_size(p0, p0 + d, alpha, (power + 1.0) / 2.0) >= n);
        let c = binomial_critical_errors(n, p0, alpha);
        prop_assert!(c as f64 > n as f64 * p0, "the critical count is above the expected errors");
    }

    /// Whatever the rolling fenceposts and replicas, a run stays within them and finishes.
    #[test]
    fn rolling_runs_respect_their_fenceposts(replicas in 1u32..20, surge in 0u32..=100, unavailable in 0u32..=100, ready in 0u32..30) {
        let p = RolloutParams {
            replicas,
            pod_ready_s: ready as f64,
            strategy: Strategy::Rolling { max_surge: Amount::Percent(surge as f64), max_unavailable: Amount::Percent(unavailable as f64) },
            ..RolloutParams::ROLLING
        }.with_release(Release::Good);
        let b = p.rolling_bounds();
        let mut sim = RolloutSim::new(p, 1);
        let mut at: Micros = 0;
        while !sim.ended() && at < 3_000 * SEC {
            at += 5 * SEC;
            sim.advance_to(at, u64::MAX);
        }
        let s = sim.snapshot();
        prop_assert_eq!(s.phase, Phase::Done);
        prop_assert_eq!((s.peak_pods, s.min_ready), (b.max_pods, b.min_available));
        prop_assert_eq!(s.time_to_full_s(), Some(p.planned_full_s()));
    }
}
