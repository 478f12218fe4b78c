//! The delivery model against theory: the Poisson conflict probability (closed form and a seeded
//! Monte Carlo of foreign merges), the release-train wait averaging P / 2, the exact quantiles of
//! the lead time against sampling, and properties: monotone in branch life, team size and cadence,
//! bounded, and finite for any input.

mod common;

use common::assert_close;
use model::delivery::*;
use model::rng::Rng;
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Conflicts
// ---------------------------------------------------------------------------------------------

/// (engineers, branch days, changes per engineer-day, overlap, expected P(conflict)), ±1e-4.
const CONFLICT_CASES: &[(u32, f64, f64, f64, f64)] = &[
    (1, 30.0, 3.0, 0.004, 0.0),
    (2, 1.0, 1.0, 0.0, 0.0),
    (12, 0.5, 3.0, 0.004, 0.0638),  // 1 − e^−0.066
    (12, 10.0, 3.0, 0.004, 0.7329), // 1 − e^−1.32
    (8, 1.0, 1.0, 0.01, 0.0676),    // 1 − e^−0.07
    (100, 30.0, 3.0, 0.004, 1.0),
    (2, 1.0, 1.0, 1.0, 0.6321), // 1 − 1/e
];

#[test]
fn conflict_probability_is_the_poisson_closed_form() {
    for &(n, l, c, q, want) in CONFLICT_CASES {
        assert_close(conflict_probability(n, l, c, q), want, 1e-4, &format!("n={n} L={l} c={c} q={q}"));
        let m = expected_conflicts(n, l, c, q);
        assert_close(m, q * c * l * (n.saturating_sub(1)) as f64, 1e-12, "expected conflicts");
        assert_close(conflict_probability(n, l, c, q), 1.0 - (-m).exp(), 1e-12, "1 − e^−m");
    }
}

/// Simulates foreign merges as a Poisson process of rate c·(n − 1) over the branch's life, each
/// overlapping with probability q; the share of branches that saw an overlap.
fn simulated_conflict_share(n: u32, l: f64, c: f64, q: f64, branches: u32, seed: u64) -> f64 {
    let mut rng = Rng::new(seed);
    let rate = c * (n - 1) as f64;
    let mut hit = 0u32;
    for _ in 0..branches {
        let mut t = rng.exp(1.0 / rate);
        let mut conflicted = false;
        while t < l {
            if rng.chance(q) {
                conflicted = true;
                break;
            }
            t += rng.exp(1.0 / rate);
        }
        hit += conflicted as u32;
    }
    hit as f64 / branches as f64
}

#[test]
fn monte_carlo_agrees_with_the_closed_form() {
    for (i, &(n, l, c, q)) in
        [(12, 0.5, 3.0, 0.004), (12, 10.0, 3.0, 0.004), (8, 3.0, 1.0, 0.05), (40, 2.0, 3.0, 0.01)].iter().enumerate()
    {
        let branches = 20_000;
        let want = conflict_probability(n, l, c, q);
        let got = simulated_conflict_share(n, l, c, q, branches, 7 + i as u64);
        // Four binomial standard errors.
        let tol = 4.0 * (want * (1.0 - want) / branches as f64).sqrt() + 1e-3;
        assert_close(got, want, tol, &format!("simulated n={n} L={l}"));
    }
}

// ---------------------------------------------------------------------------------------------
// Release trains and lead time
// ---------------------------------------------------------------------------------------------

#[test]
fn release_wait_cases() {
    for (finish, period, want) in [
        (0.0, 5.0, 0.0),
        (1.0, 5.0, 4.0),
        (4.5, 5.0, 0.5),
        (5.0, 5.0, 0.0),
        (7.0, 5.0, 3.0),
        (3.0, 0.0, 0.0),
        (3.0, -1.0, 0.0),
        (f64::NAN, 5.0, 0.0),
        (3.0, f64::INFINITY, 0.0),
    ] {
        assert_close(release_wait(finish, period), want, 1e-12, &format!("finish {finish}, period {period}"));
    }
}

#[test]
fn waiting_for_a_train_averages_half_its_period() {
    for period in [1.0, 5.0, 10.0, 21.0] {
        // Work finishing at uniform times over many periods: an exact midpoint grid, then seeded
        // random times.
        let k = 10_000;
        let grid: f64 =
            (0..k).map(|i| release_wait((i as f64 + 0.5) / k as f64 * 7.0 * period, period)).sum::<f64>() / k as f64;
        assert_close(grid, period / 2.0, period * 1e-3, "grid");
        let mut rng = Rng::new(3);
        let sampled: f64 =
            (0..k).map(|_| release_wait(rng.uniform_range(0.0, 50.0 * period), period)).sum::<f64>() / k as f64;
        assert_close(sampled, period / 2.0, period * 0.02, "sampled");
    }
}

#[test]
fn lead_time_quantiles_match_sampling() {
    for (a, b) in [(0.5, 0.0), (0.0, 5.0), (5.0, 5.0), (10.0, 10.0), (0.5, 10.0), (30.0, 1.0), (3.0, 21.0)] {
        let mut rng = Rng::new(11);
        let mut xs: Vec<f64> = (0..40_000)
            .map(|_| rng.uniform_range(0.0, a) + release_wait(rng.uniform_range(0.0, 20.0 * b), b))
            .collect();
        model::num::sort::floats(&mut xs);
        for p in [0.1, 0.5, 0.9] {
            let sampled = xs[(p * xs.len() as f64) as usize];
            assert_close(
                uniform_sum_quantile(a, b, p),
                sampled,
                0.02 * (a + b).max(0.1),
                &format!("U({a})+U({b}) q{p}"),
            );
        }
        assert_close(uniform_sum_quantile(a, b, 0.0), 0.0, 1e-12, "q0");
        assert_close(uniform_sum_quantile(a, b, 1.0), a + b, 1e-9, "q1");
    }
}

#[test]
fn presets_tell_the_story() {
    let trunk = analyse(&DeliveryParams::TRUNK);
    let gitflow = analyse(&DeliveryParams::GITFLOW);
    assert_close(trunk.conflict_probability, 0.0638, 1e-4, "trunk conflicts");
    assert_close(gitflow.conflict_probability, 0.7329, 1e-4, "gitflow conflicts");
    // Lead time: median L/2 + P/2 + F when L = P; trunk is the half-day branch's median + F.
    assert_close(gitflow.lead_median_days, 5.0 + 5.0 + 0.5, 1e-9, "gitflow median");
    assert_close(gitflow.lead_mean_days, 10.5, 1e-9, "gitflow mean");
    assert_close(trunk.lead_median_days, 0.25 + 0.5, 1e-9, "trunk median");
    assert_close(trunk.lead_p90_days, 0.45 + 0.5, 1e-9, "trunk p90");
    assert_close(gitflow.deploys_per_week, 0.5, 1e-4, "one deploy a fortnight");
    assert_close(gitflow.changes_per_deploy, 12.0 * 3.0 * 10.0, 0.01, "a fortnight of changes");
    assert_close(trunk.changes_per_deploy, 1.5, 1e-12, "half a day of one engineer's changes");
    assert_close(trunk.deploys_per_week, 12.0 * 5.0 / 0.5, 1e-9, "every merge deploys");
    assert_eq!(trunk.live_flags, 0.0, "half-day work needs no flags");
    assert!(gitflow.verdict.starts_with("Most merges hit a conflict"), "{}", gitflow.verdict);
    assert!(trunk.verdict.starts_with("Conflicts are rare"), "{}", trunk.verdict);
    // Flags cap the branch at a day and cost live flags: 12 / 10 × (10 + 10) = 24.
    let flagged = analyse(&DeliveryParams { feature_flags: true, ..DeliveryParams::GITFLOW });
    assert_close(flagged.branch_days, 1.0, 0.0, "flagged branch");
    assert_close(flagged.live_flags, 24.0, 1e-9, "live flags");
    assert!(flagged.conflict_probability < gitflow.conflict_probability);
    assert!(flagged.verdict.contains("24 live flags"), "{}", flagged.verdict);
}

#[test]
fn durations_read_well() {
    for (d, want) in [
        (0.0, "0.0 h"),
        (0.05, "0.4 h"),
        (0.5, "4 h"),
        (1.0, "1 day"),
        (3.25, "3.3 days"),
        (10.5, "11 days"),
        (f64::NAN, "0.0 h"),
    ] {
        assert_eq!(model::fmt::duration(d, model::fmt::Unit::WorkingDays), want, "{d}");
    }
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

fn cadence() -> impl Strategy<Value = Cadence> {
    proptest::sample::select(Cadence::ALL.to_vec())
}

fn wild(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => lo..hi,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => -1e9f64..1e9,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn conflicts_grow_with_branch_life_and_team(
        n in 2u32..200, l in 0.01f64..30.0, dl in 0.0f64..30.0, dn in 0u32..50, c in 0.1f64..10.0, q in 0.0001f64..0.1,
    ) {
        let p = conflict_probability(n, l, c, q);
        prop_assert!((0.0..=1.0).contains(&p));
        prop_assert!(conflict_probability(n, l + dl, c, q) >= p);
        prop_assert!(conflict_probability(n + dn, l, c, q) >= p);
    }

    #[test]
    fn lead_time_grows_with_the_release_period(
        n in 1u32..200, l in 0.1f64..30.0, flags in any::<bool>(),
    ) {
        let mut last: Option<DeliveryReport> = None;
        for cad in Cadence::ALL {
            let r = analyse(&DeliveryParams { engineers: n, branch_days: l, cadence: cad, feature_flags: flags, ..DeliveryParams::TRUNK });
            prop_assert!(r.lead_median_days <= r.lead_p90_days + 1e-12);
            if let Some(prev) = &last {
                prop_assert!(r.lead_median_days >= prev.lead_median_days - 1e-12);
                prop_assert!(r.lead_p90_days >= prev.lead_p90_days - 1e-12);
                prop_assert!(r.lead_mean_days >= prev.lead_mean_days);
                prop_assert!(r.deploys_per_week <= prev.deploys_per_week * (1.0 + 1e-12));
                prop_assert!(r.changes_per_deploy >= prev.changes_per_deploy * (1.0 - 1e-12));
            }
            last = Some(r);
        }
    }

    #[test]
    fn lead_time_grows_with_branch_life(l in 0.1f64..30.0, dl in 0.0f64..30.0, cad in cadence()) {
        let a = analyse(&DeliveryParams { branch_days: l, cadence: cad, feature_flags: false, ..DeliveryParams::TRUNK });
        let b = analyse(&DeliveryParams { branch_days: l + dl, cadence: cad, feature_flags: false, ..DeliveryParams::TRUNK });
        prop_assert!(b.lead_median_days >= a.lead_median_days - 1e-12);
        prop_assert!(b.lead_p90_days >= a.lead_p90_days - 1e-12);
    }

    #[test]
    fn quantiles_are_monotone_in_p(a in 0.0f64..50.0, b in 0.0f64..50.0, p in 0.0f64..1.0, dp in 0.0f64..1.0) {
        let lo = uniform_sum_quantile(a, b, p);
        let hi = uniform_sum_quantile(a, b, (p + dp).min(1.0));
        prop_assert!(lo <= hi + 1e-9);
        prop_assert!(lo >= 0.0 && hi <= a + b + 1e-9);
    }

    /// No input, in range or wildly out of it, gives NaN or infinity.
    #[test]
    fn every_output_is_finite(
        n in prop_oneof![Just(0u32), Just(u32::MAX), 0u32..5_000],
        l in wild(0.0, 300.0), c in wild(0.0, 100.0), q in wild(0.0, 1.0), f in wild(0.0, 60.0),
        cleanup in wild(0.0, 300.0), cad in cadence(), flags in any::<bool>(), pf in wild(0.0, 1.0),
    ) {
        let r = analyse(&DeliveryParams {
            engineers: n, branch_days: l, cadence: cad, feature_flags: flags, changes_per_day: c, overlap: q,
            review_deploy_days: f, flag_cleanup_days: cleanup, change_failure: pf,
        });
        for x in [
            r.branch_days, r.foreign_changes, r.conflicting_changes, r.conflict_probability, r.release_period_days,
            r.changes_per_deploy, r.deploys_per_week, r.lead_mean_days, r.lead_median_days, r.lead_p90_days,
            r.branch_wait_days, r.train_wait_days, r.live_flags, r.change_failure_rate, r.broken_per_failed_deploy,
        ] {
            prop_assert!(x.is_finite() && x >= 0.0, "{x} in {r:?}");
        }
        prop_assert!((0.0..=1.0).contains(&r.conflict_probability));
        prop_assert!((0.0..=1.0).contains(&r.change_failure_rate));
        prop_assert!(!r.verdict.is_empty());
        prop_assert_eq!(r.params, r.params.clamped());
        for (x, y) in conflict_curve(&r.params, 0.0, l, 20) {
            prop_assert!(x.is_finite() && y.is_finite());
        }
        prop_assert!(uniform_sum_quantile(l, f, q).is_finite());
    }
}

/// The design's golden 1: `1 − (1 − p)^k` with p = 0.005 to six places, p = 0.02 at k = 10, and
/// the expected broken changes in a failing 140-change deploy, `k·p / CFR`.
#[test]
fn change_failure_rate_grows_with_the_batch() {
    for (k, want) in [(1.0, 0.005000), (10.0, 0.048890), (70.0, 0.295930), (140.0, 0.504286), (300.0, 0.777708)] {
        let got = change_failure_rate(0.005, k);
        assert!((got - want).abs() < 5e-7, "k={k}: {got}");
    }
    assert!((change_failure_rate(0.02, 10.0) - 0.182927).abs() < 5e-7);
    assert!((140.0 * 0.005 / change_failure_rate(0.005, 140.0) - 1.388102).abs() < 5e-7);
    // Edges: nothing fails, everything fails, garbage.
    assert_eq!(change_failure_rate(0.0, 100.0), 0.0);
    assert_eq!(change_failure_rate(1.0, 3.0), 1.0);
    assert_eq!(change_failure_rate(f64::NAN, 3.0), 0.0);
    assert_eq!(change_failure_rate(0.01, f64::INFINITY), 0.0);
    // The curve starts at one change and rises.
    let c = change_failure_curve(0.005, 400.0, 40);
    assert_eq!(c[0], (1.0, 0.005));
    assert!(c.windows(2).all(|w| w[1].1 > w[0].1));
}

/// The presets' deploys: trunk ships about one change at a time; a fortnightly train carries 360
/// (12 engineers × 3 changes × 10 days), so at 0.5% per change 1 − 0.995³⁶⁰ = 83.5% of its
/// deploys fail, each with about 2.2 broken changes among 360.
#[test]
fn the_presets_change_failure() {
    let trunk = analyse(&DeliveryParams::TRUNK);
    assert!(trunk.change_failure_rate < 0.01, "{}", trunk.change_failure_rate);
    let train = analyse(&DeliveryParams::GITFLOW);
    assert!((train.changes_per_deploy - 360.0).abs() < 0.5, "{}", train.changes_per_deploy);
    assert!((train.change_failure_rate - 0.835).abs() < 0.001, "{}", train.change_failure_rate);
    assert!((train.broken_per_failed_deploy - 2.156).abs() < 0.01, "{}", train.broken_per_failed_deploy);
    // The DORA 2024 reference lines: elite 5%, medium 10%, high 20%, low 40%.
    assert_eq!(DORA_2024_CFR.map(|(_, v)| v), [0.05, 0.10, 0.20, 0.40]);
}

/// With flags, lead time is code reaching production dark; the note gives when users see the
/// feature: 10 days of work + 5 days' average train wait + half a day = 15.5 working days, shown
/// rounded to 16.
#[test]
fn flags_make_lead_time_dark() {
    let r = analyse(&DeliveryParams { feature_flags: true, ..DeliveryParams::GITFLOW });
    let note = r.lead_note.expect("a note with flags on long work");
    assert!(
        note.contains("switched off") && note.contains("(10 days): about 16 days after its first commit"),
        "{note}"
    );
    assert_eq!(analyse(&DeliveryParams::GITFLOW).lead_note, None);
}
