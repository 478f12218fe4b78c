//! The secrets model against its closed forms and the design's golden values: exposure P/2
//! without detection, D − D²/(2P) with a fixed detection delay, the exponential closed form and
//! the 95th percentiles against a seeded Monte Carlo, the failing share during an issuer outage,
//! the issuance load, STS durations; the spec's presets and extremes; the "leak now" timeline.

mod common;

use common::close;
use model::replay::Replayable;
use model::secrets::*;
use proptest::prelude::*;

const DAY_H: f64 = 24.0;

// ---------------------------------------------------------------------------------------------
// Golden values (hours unless named)
// ---------------------------------------------------------------------------------------------

/// (period h, detection, D h, R h) → expected exposure per leak, h.
const EXPOSURE: &[(Option<f64>, Detection, f64, f64, f64)] = &[
    // 1. Leak uniform in the rotation period, no detection: P/2.
    (Some(90.0 * DAY_H), Detection::None, 0.0, 0.0, 1_080.0),
    (Some(1.0), Detection::None, 0.0, 0.0, 0.5),
    (Some(768.0), Detection::None, 0.0, 0.0, 384.0), // Vault's default lease
    // 2. Fixed detection D = 72 h: D − D²/(2P) (hidden values computed from the rule).
    (Some(90.0 * DAY_H), Detection::Fixed, 72.0, 0.0, 70.8), // 72 − 5,184/4,320
    (Some(365.0 * DAY_H), Detection::Fixed, 72.0, 0.0, 72.0 - 5_184.0 / 17_520.0), // 71.704110 h
    (Some(1.0), Detection::Fixed, 72.0, 0.0, 0.5),           // detection after expiry: P/2
    // Revocation latency adds to the delay: C = D + R.
    (Some(90.0 * DAY_H), Detection::Fixed, 71.0, 1.0, 70.8),
    // 5. STS: default 3,600 s against the 900 s minimum (in seconds here).
    (Some(3_600.0), Detection::None, 0.0, 0.0, 1_800.0),
    (Some(900.0), Detection::None, 0.0, 0.0, 450.0),
    // Never rotated: until detected (and revoked).
    (None, Detection::Fixed, 72.0, 0.5, 72.5),
    (None, Detection::Exponential, 72.0, 0.5, 72.5),
];

#[test]
fn golden_expected_exposure() {
    for &(p, det, d, r, want) in EXPOSURE {
        let got = expected_exposure(p, det, d, r);
        assert!((got - want).abs() < 1e-6, "{p:?} {det:?} D={d} R={r}: {got}, want {want}");
    }
    // The design's ratio: 90-day keys against one-hour credentials.
    let ratio = expected_exposure(Some(2_160.0), Detection::None, 0.0, 0.0)
        / expected_exposure(Some(1.0), Detection::None, 0.0, 0.0);
    assert!((ratio - 2_160.0).abs() < 1e-9, "{ratio}");
    // Never rotated, never detected: unbounded, not NaN.
    assert_eq!(expected_exposure(None, Detection::None, 72.0, 0.0), f64::INFINITY);
}

#[test]
fn golden_hidden_values_to_six_decimals() {
    // 90 d = 2,160 h: 72 − 72²/(2·2,160) = 72 − 1.2 = 70.8 h.
    let a = expected_exposure(Some(2_160.0), Detection::Fixed, 72.0, 0.0);
    assert_eq!(format!("{a:.6}"), "70.800000");
    // 365 d = 8,760 h: 72 − 5,184/17,520 = 71.704110 h.
    let b = expected_exposure(Some(8_760.0), Detection::Fixed, 72.0, 0.0);
    assert_eq!(format!("{b:.6}"), "71.704110");
    // The widget says them the same way.
    assert_eq!(hours_text(a), "70.8 h (3 days)");
    assert_eq!(hours_text(b), "71.7 h (3 days)");
    // Outage shares at 30 and 40 minutes (TTL 60, renewal at 40): 0.25 and 0.5.
    assert_eq!(failing_share(60.0, RENEW_AT, 30.0), 0.25);
    assert!((failing_share(60.0, RENEW_AT, 40.0) - 0.5).abs() < 1e-12);
}

/// 3. Issuer outage, TTL 60 min renewed at 2/3 (every 40 min): clamp((O − 20)/40, 0, 1).
#[test]
fn golden_failing_share() {
    for (o, want) in
        [(0.0, 0.0), (10.0, 0.0), (20.0, 0.0), (30.0, 0.25), (40.0, 0.5), (50.0, 0.75), (60.0, 1.0), (600.0, 1.0)]
    {
        let got = failing_share(60.0, RENEW_AT, o);
        assert!((got - want).abs() < 1e-12, "O = {o}: {got}, want {want}");
    }
    // Degenerate input: no lifetime fails nothing, no NaN.
    assert_eq!(failing_share(0.0, RENEW_AT, 30.0), 0.0);
    assert_eq!(failing_share(f64::NAN, RENEW_AT, 30.0), 0.0);
}

/// 4. 500 workloads renewing every 2,400 s: 0.2083 req/s, 12.5 a minute.
#[test]
fn golden_issuance_load() {
    let x = issuance_per_s(500.0, 3_600.0, RENEW_AT);
    assert!((x - 500.0 / 2_400.0).abs() < 1e-12, "{x}");
    assert_eq!(format!("{x:.4}"), "0.2083");
    assert!((x * 60.0 - 12.5).abs() < 1e-9);
    assert_eq!(per_s_text(x), "0.2083/s (12.5/min)");
    // The widget's one-hour preset shows it.
    let r = analyse(&SecretsParams::STS_1H);
    assert!((r.issuance_per_s - x).abs() < 1e-12);
}

#[test]
fn golden_p95() {
    // No detection: 0.95 P. 90 days: 2,052 h.
    assert!(close(exposure_quantile(Some(2_160.0), Detection::None, 0.0, 0.0, TAIL), 2_052.0, 1e-12));
    // Fixed: min(C, 0.95 P).
    assert_eq!(exposure_quantile(Some(2_160.0), Detection::Fixed, 72.0, 0.0, TAIL), 72.0);
    assert!(close(exposure_quantile(Some(1.0), Detection::Fixed, 72.0, 0.0, TAIL), 0.95, 1e-12));
    // Never rotated, exponential detection with mean 72 h: 72 ln 20 = 215.69 h.
    let q = exposure_quantile(None, Detection::Exponential, 72.0, 0.0, TAIL);
    assert!(close(q, 72.0 * 20f64.ln(), 1e-12), "{q}");
}

// ---------------------------------------------------------------------------------------------
// Closed forms against a seeded Monte Carlo (±4σ)
// ---------------------------------------------------------------------------------------------

#[test]
fn closed_forms_match_monte_carlo() {
    const N: u32 = 200_000;
    let cases = [
        (Some(2_160.0), Detection::None, 72.0, 0.0),
        (Some(2_160.0), Detection::Fixed, 72.0, 0.0),
        (Some(2_160.0), Detection::Exponential, 72.0, 0.0),
        (Some(2_160.0), Detection::Exponential, 500.0, 2.0),
        (Some(1.0), Detection::Exponential, 72.0, 0.25),
        (Some(8_760.0), Detection::Exponential, 2_000.0, 0.0),
        (Some(24.0), Detection::Exponential, 3.0, 0.5),
        (None, Detection::Exponential, 72.0, 1.0),
    ];
    for (i, (p, det, d, r)) in cases.into_iter().enumerate() {
        let mean = expected_exposure(p, det, d, r);
        let p95 = exposure_quantile(p, det, d, r, TAIL);
        let sim = simulate_leaks(p, det, d, r, N, 11 + i as u64, f64::INFINITY);
        // σ of one exposure is at most its range (P, or a few means); of the mean, / √N.
        let spread = p.unwrap_or(20.0 * d);
        let sigma = spread / (N as f64).sqrt();
        assert!((sim.mean - mean).abs() < 4.0 * sigma, "{p:?} {det:?} {d} {r}: simulated {} vs {mean}", sim.mean);
        // The empirical 95th percentile: within a small share of the range.
        assert!((sim.p95 - p95).abs() < 0.01 * spread, "{p:?} {det:?} {d} {r}: p95 {} vs {p95}", sim.p95);
        assert_eq!(sim.open, 0);
    }
    // Seeded.
    let a = simulate_leaks(Some(10.0), Detection::Exponential, 3.0, 0.0, 1_000, 5, f64::INFINITY);
    assert_eq!(a, simulate_leaks(Some(10.0), Detection::Exponential, 3.0, 0.0, 1_000, 5, f64::INFINITY));
    // Never rotated, never detected: every leak still open at the horizon.
    let s = simulate_leaks(None, Detection::None, 0.0, 0.0, 100, 1, 1_000.0);
    assert_eq!((s.open, s.mean), (100, 1_000.0));
}

#[test]
fn the_exponential_form_has_the_right_limits() {
    let p = 2_160.0;
    // Instant detection: no exposure beyond the revocation latency.
    assert!(expected_exposure(Some(p), Detection::Exponential, 1e-9, 0.0) < 1e-6);
    // Detection that takes for ever: P/2.
    assert!(close(expected_exposure(Some(p), Detection::Exponential, 1e9, 0.0), p / 2.0, 1e-6));
    // Revocation slower than the credential lives: P/2.
    assert_eq!(expected_exposure(Some(1.0), Detection::Exponential, 5.0, 2.0), 0.5);
    // Faster detection never raises exposure; a longer lifetime never lowers it.
    let mut last = 0.0;
    for d in [1.0, 10.0, 72.0, 500.0, 5_000.0] {
        let e = expected_exposure(Some(p), Detection::Exponential, d, 0.5);
        assert!(e >= last && e <= p / 2.0, "{d}: {e}");
        last = e;
    }
    let mut last = 0.0;
    for rung in LADDER.iter().rev().filter_map(|r| r.seconds) {
        let e = expected_exposure(Some(rung / 3_600.0), Detection::Exponential, 72.0, 0.5);
        assert!(e >= last, "{rung}: {e}");
        last = e;
    }
}

/// The length-biased remaining life at a random moment: fixed lifetimes give L/2, Entra's
/// U(60, 90) minutes gives E[L²]/(2E[L]) = 5,700/150 = 38 minutes.
#[test]
fn random_lifetimes_leave_more_than_half() {
    assert_eq!(mean_remaining_uniform_lifetime(15.0, 15.0), 7.5);
    assert!(close(mean_remaining_uniform_lifetime(60.0, 90.0), 38.0, 1e-12));
    assert!(close(mean_remaining_uniform_lifetime(90.0, 60.0), 38.0, 1e-12));
    assert_eq!(mean_remaining_uniform_lifetime(0.0, 0.0), 0.0);
}

// ---------------------------------------------------------------------------------------------
// The report and the spec
// ---------------------------------------------------------------------------------------------

#[test]
fn the_report_names_the_numbers() {
    let r = analyse(&SecretsParams::STATIC_90D);
    assert_eq!(r.mean_h, 1_080.0);
    assert_eq!(hours_text(r.mean_h), "1,080 h (45 days)");
    assert_eq!((r.failing, r.issuance_per_s, r.long_lived), (0.0, 0.0, 500.0));
    assert!(r.verdict.contains("1,080 h (45 days) on average"), "{}", r.verdict);
    assert!(r.verdict.contains("500 long-lived secrets"), "{}", r.verdict);
    let r = analyse(&SecretsParams::STS_1H);
    assert_eq!(r.mean_h, 0.5);
    assert_eq!(r.failing, 1.0); // a 60-minute outage against 60-minute credentials
    assert!(r.verdict.contains("takes every workload down"), "{}", r.verdict);
    assert!(r.verdict.contains("20 min past a failed renewal"), "{}", r.verdict);
    assert_eq!(r.long_lived, 0.0);
    let r = analyse(&SecretsParams { outage_min: 30.0, ..SecretsParams::STS_1H });
    assert_eq!(r.failing, 0.25);
    assert_eq!(r.failing_workloads, 125.0);
    assert!(r.verdict.contains("fails 25% of the workloads (125)"), "{}", r.verdict);
    assert_eq!(failing_cells(&r, 40), 10);
    assert!(outage_text(&r).contains("125 of 500 workloads fail"), "{}", outage_text(&r));
    // 15 minutes: a one-hour outage is four lifetimes.
    let r = analyse(&SecretsParams::STS_15M);
    assert_eq!(r.mean_h, 0.125);
    assert_eq!(hours_text(r.mean_h), "7 min 30 s");
    assert_eq!(r.failing, 1.0);
    assert!(close(r.issuance_per_s, 500.0 / 600.0, 1e-12));
    // Never: unbounded, said so, no NaN anywhere.
    let r = analyse(&SecretsParams::NEVER);
    assert_eq!(r.mean_h, f64::INFINITY);
    assert!(r.verdict.contains("for ever"), "{}", r.verdict);
    for ro in report_readouts(&r) {
        assert!(!ro.value.contains("NaN") && !ro.value.contains("inf"), "{ro:?}");
    }
    // Scanned: fixed detection 72 h plus 30 min revocation: 72.5 − 72.5²/4,320.
    let r = analyse(&SecretsParams::SCANNED);
    assert!(close(r.mean_h, 72.5 - 72.5 * 72.5 / 4_320.0, 1e-12), "{}", r.mean_h);
}

#[test]
fn spec_presets_match_the_model_presets() {
    assert_eq!(secrets_params(&SECRETS.defaults()), SecretsParams::STATIC_90D);
    for (name, want) in SecretsParams::PRESETS {
        let (st, notes) = SECRETS.parse_query(&format!("preset={name}"));
        assert!(notes.is_empty(), "{name}: {notes:?}");
        assert_eq!(secrets_params(&st), want, "{name}");
    }
    let (st, notes) = SECRETS.parse_query("ttl=15m&detect=exp&detect_h=12&revoke=10&outage=45&capacity=5");
    assert!(notes.is_empty(), "{notes:?}");
    let p = secrets_params(&st);
    assert_eq!(p.rung().key, "15m");
    assert_eq!(
        (p.detection, p.detect_h, p.revoke_min, p.outage_min, p.capacity_rps),
        (Detection::Exponential, 12.0, 10.0, 45.0, 5.0)
    );
    // The ladder's keys and the choice's options agree.
    let ttl = SECRETS.param("ttl").unwrap().1;
    for (i, rung) in LADDER.iter().enumerate() {
        let (st, _) = SECRETS.parse_query(&format!("ttl={}", rung.key));
        assert_eq!(secrets_params(&st).rung, i);
        assert!(ttl.option_label(i).starts_with(rung.label), "{}", ttl.option_label(i));
    }
}

#[test]
fn bad_links_clamp_and_stay_finite() {
    for q in [
        "ttl=5y",
        "ttl=15m&outage=99999&capacity=0&workloads=-5",
        "detect=exp&detect_h=0&revoke=NaN",
        "ttl=never&detect=none&leaks=1",
        "ttl=never&detect=exp&detect_h=2160&revoke=1440",
    ] {
        let (st, _) = SECRETS.parse_query(q);
        let r = analyse(&secrets_params(&st));
        for x in [r.p95_h, r.mean_h] {
            assert!(!x.is_nan() && x >= 0.0, "{q}: {r:?}");
        }
        for x in
            [r.issuance_per_s, r.issuer_load, r.failing, r.failing_workloads, r.backlog, r.catch_up_s, r.long_lived]
        {
            assert!(x.is_finite() && x >= 0.0, "{q}: {r:?}");
        }
        assert!(!r.verdict.contains("NaN"), "{q}: {}", r.verdict);
    }
}

// ---------------------------------------------------------------------------------------------
// The "leak now" timeline
// ---------------------------------------------------------------------------------------------

fn run(query: &str) -> SecretsReplay {
    SecretsReplay::new(&SECRETS.parse_query(query).0)
}

#[test]
fn a_leak_stays_useful_until_rotation_or_revocation() {
    // 90-day keys, no detection: the window ends at the next rotation.
    let mut r = run("");
    r.advance_to(10 * model::des::SEC, u64::MAX);
    r.record(r.now(), SecretsAction::Leak);
    let s = r.snapshot();
    let leak = s.leaks()[0];
    assert_eq!(leak.at, r.run().sim_at(10 * model::des::SEC));
    let p = 90 * 86_400;
    let e = leak.expires.expect("a rotated key expires");
    assert!(e > leak.at && e - leak.at <= p, "{leak:?}");
    assert!(r.run().rotations().any(|t| t == e), "it expires at a rotation");
    assert_eq!(leak.revoked, None);
    // Played to the end: closed by rotation, exposed exactly until then.
    r.advance_to(RUN_US, u64::MAX);
    let s = r.snapshot();
    assert_eq!(s.leaks()[0].closed(s.now_s), Closed::Expired);
    assert_eq!(s.leaks()[0].exposed(s.now_s), e - leak.at);
    assert!(s.last_leak_text().starts_with("closed after "), "{}", s.last_leak_text());
    // Fixed detection 72 h: revoked 72 h (+ latency) after the leak, unless rotation came first.
    let mut r = run("detect=fixed&revoke=30");
    r.record(0, SecretsAction::Leak);
    r.advance_to(RUN_US, u64::MAX);
    let l = r.snapshot().leaks()[0];
    assert_eq!(l.revoked, Some(l.at + 72 * 3_600 + 1_800));
    assert_eq!(l.end(), Some(l.revoked.unwrap().min(l.expires.unwrap())));
    // Never rotated, never detected: open at the end.
    let mut r = run("ttl=never");
    r.record(SEC_10, SecretsAction::Leak);
    r.advance_to(RUN_US, u64::MAX);
    let s = r.snapshot();
    assert_eq!(s.leaks()[0].closed(s.now_s), Closed::Open);
    assert!(s.last_leak_text().contains("no end in sight"), "{}", s.last_leak_text());
}

const SEC_10: u64 = 10 * model::des::SEC;

#[test]
fn leaks_are_seeded_and_bounded() {
    let leaks = |q: &str| {
        let mut r = run(q);
        for i in 0..(MAX_LEAKS + 3) as u64 {
            r.record(i * 5 * model::des::SEC, SecretsAction::Leak);
        }
        r.snapshot()
    };
    let a = leaks("detect=exp&seed=3");
    assert_eq!(a.count, MAX_LEAKS, "extra presses are ignored");
    assert_eq!(a, leaks("detect=exp&seed=3"));
    assert_ne!(a, leaks("detect=exp&seed=4"));
    // Each leak's detection delay is its own draw.
    let delays: Vec<u64> = a.leaks().iter().map(|l| l.revoked.unwrap() - l.at).collect();
    assert!(delays.windows(2).any(|w| w[0] != w[1]), "{delays:?}");
}

#[test]
fn the_horizon_fits_the_window() {
    let h = |q: &str| horizon_s(&secrets_params(&SECRETS.parse_query(q).0));
    assert_eq!(h(""), 3 * 90 * 86_400);
    assert_eq!(h("ttl=15m"), 3_600); // at least an hour
    assert_eq!(h("ttl=1h"), 3 * 3_600);
    assert_eq!(h("ttl=never"), 2 * 365 * 86_400);
    assert_eq!(h("ttl=never&detect=fixed&detect_h=72"), 3 * 72 * 3_600);
    // Time is integer and stops at the end.
    let mut r = run("ttl=1h");
    r.advance_to(u64::MAX, u64::MAX);
    assert_eq!(r.now(), RUN_US);
    assert_eq!(r.snapshot().now_s, 3 * 3_600);
    assert!(r.snapshot().ended);
}

#[test]
fn settings_that_do_not_touch_the_timeline_apply_mid_run() {
    let mut ui = SECRETS.defaults();
    let mut r = SecretsReplay::new(&ui);
    r.record(SEC_10, SecretsAction::Leak);
    ui.set(&SECRETS, "outage", 30.0);
    assert!(!r.change(&ui), "the outage slider keeps the leak");
    assert_eq!(r.snapshot().count, 1);
    assert_eq!(r.settings().value_of(&SECRETS, "outage"), Some(30.0));
    ui.set(&SECRETS, "ttl", 5.0);
    assert!(r.change(&ui), "a new lifetime starts the timeline again");
    assert_eq!(r.snapshot().count, 0);
    // Actions round-trip through their log entries.
    for (code, a) in
        [("leak", SecretsAction::Leak), ("set.outage.45", SecretsAction::Set { key: "outage", value: 45.0 })]
    {
        assert_eq!(SecretsAction::parse(code), Some(a.clone()));
        assert_eq!(a.encode(), code);
    }
    for bad in ["", "Leak", "leak.1", "set.ttl.3", "set.outage.x", "set.nokey.1"] {
        assert_eq!(SecretsAction::parse(bad), None, "{bad}");
    }
    assert_eq!(<SecretsRun as Replayable>::set(0, 3.0), None, "ttl restarts");
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

fn wild(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![6 => lo..hi, 1 => -1e9..1e9f64, 1 => Just(f64::NAN), 1 => Just(f64::INFINITY)]
}

proptest! {
    #[test]
    fn no_input_gives_nan(rung in 0usize..9, det in 0usize..3, d in wild(0.0, 5_000.0), r in wild(0.0, 2_000.0),
                          o in wild(0.0, 1_500.0), w in wild(1.0, 10_000.0), c in wild(0.0, 1_000.0), l in wild(0.0, 1.0)) {
        let p = SecretsParams {
            rung, workloads: w, leak_rate: l, detection: Detection::ALL[det], detect_h: d, revoke_min: r,
            outage_min: o, capacity_rps: c,
        };
        let rep = analyse(&p);
        prop_assert!(!rep.mean_h.is_nan() && !rep.p95_h.is_nan());
        prop_assert!(rep.mean_h <= rep.p95_h / 0.9 + 1e-9 || rep.p95_h.is_infinite() || rep.params.detection != Detection::None);
        prop_assert!((0.0..=1.0).contains(&rep.failing));
        prop_assert!(rep.issuance_per_s.is_finite() && rep.catch_up_s.is_finite());
        prop_assert!(!rep.verdict.contains("NaN"));
        // Exposure never exceeds the lifetime.
        if let Some(s) = rep.rung.seconds {
            prop_assert!(rep.mean_h <= s / 3_600.0 / 2.0 + 1e-9 && rep.p95_h <= s / 3_600.0 + 1e-9);
        }
    }
}
