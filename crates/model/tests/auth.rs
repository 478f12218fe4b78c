//! The auth model against its closed forms: lookups per second for sessions (every request),
//! refreshes per second for JWTs (users / lifetime), the revocation window (mean lifetime / 2,
//! worst lifetime) checked against a seeded Monte Carlo, monotonicity in the lifetime, the spec
//! mapping, and a property test that no input gives NaN or infinity.

mod common;

use common::close;
use model::auth::*;
use model::auth::{auth_params, TOKEN_LIFETIME};
use proptest::prelude::*;

fn params(mechanism: Mechanism, lifetime_min: f64, users: f64, rpm: f64) -> AuthParams {
    AuthParams {
        mechanism,
        access_lifetime_s: lifetime_min * 60.0,
        users,
        requests_per_user_per_min: rpm,
        lookup_ms: 2.0,
        random_lifetime: false,
        refresh: RefreshPolicy::NoRotation,
    }
}

// ---------------------------------------------------------------------------------------------
// Closed forms, case by case
// ---------------------------------------------------------------------------------------------

/// (mechanism, lifetime min, users, req/user/min) → (requests/s, refreshes/s, lookups/s,
/// mean window s, worst window s, added latency ms).
const CASES: &[(Mechanism, f64, f64, f64, [f64; 6])] = &[
    // Sessions: a lookup per request, nothing to refresh, nothing left open after revocation.
    (Mechanism::Sessions, 15.0, 10_000.0, 6.0, [1_000.0, 0.0, 1_000.0, 0.0, 0.0, 2.0]),
    (Mechanism::Sessions, 1_440.0, 600.0, 1.0, [10.0, 0.0, 10.0, 0.0, 0.0, 2.0]),
    // JWT: 10,000 users / 900 s = 11.1 refreshes/s; window 450 s on average, 900 s at worst.
    (Mechanism::Jwt, 15.0, 10_000.0, 6.0, [1_000.0, 10_000.0 / 900.0, 10_000.0 / 900.0, 450.0, 900.0, 0.0]),
    (Mechanism::Jwt, 60.0, 36_000.0, 2.0, [1_200.0, 10.0, 10.0, 1_800.0, 3_600.0, 0.0]),
    (Mechanism::Jwt, 1_440.0, 86_400.0, 6.0, [8_640.0, 1.0, 1.0, 43_200.0, 86_400.0, 0.0]),
    // A one-minute token for a user who calls once a minute: a refresh per request.
    (Mechanism::Jwt, 1.0, 600.0, 1.0, [10.0, 10.0, 10.0, 30.0, 60.0, 0.0]),
    // Denylist: every request again, plus the refreshes; the window closes.
    (
        Mechanism::JwtDenylist,
        15.0,
        10_000.0,
        6.0,
        [1_000.0, 10_000.0 / 900.0, 1_000.0 + 10_000.0 / 900.0, 0.0, 0.0, 2.0],
    ),
];

#[test]
fn closed_forms() {
    for &(m, l, u, rpm, want) in CASES {
        let r = analyse(&params(m, l, u, rpm));
        let got = [
            r.requests_per_s,
            r.refreshes_per_s,
            r.lookups_per_s,
            r.window_mean_s,
            r.window_worst_s,
            r.added_latency_ms,
        ];
        for (k, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(close(*g, w, 1e-9), "{m:?} {l} min {u} users {rpm}/min: field {k} = {g}, want {w}");
        }
        assert_eq!(r.session_lookups_per_s, r.requests_per_s);
        assert!(close(r.lookups_per_request, r.lookups_per_s / r.requests_per_s, 1e-12));
    }
}

#[test]
fn denylist_entries_live_as_long_as_the_token() {
    assert_eq!(analyse(&AuthParams::JWT_DENYLIST).denylist_retention_s, 900.0);
    assert_eq!(analyse(&AuthParams::JWT).denylist_retention_s, 0.0);
    assert_eq!(analyse(&AuthParams::SESSIONS).denylist_retention_s, 0.0);
}

/// A denylist always costs at least as many lookups as sessions (it checks every request and
/// still has refreshes); plain JWT never more than sessions.
#[test]
fn denylist_rebuilds_sessions() {
    for l in [1.0, 5.0, 15.0, 60.0, 1_440.0] {
        for rpm in [1.0, 6.0, 60.0] {
            let s = analyse(&params(Mechanism::Sessions, l, 5_000.0, rpm)).lookups_per_s;
            let j = analyse(&params(Mechanism::Jwt, l, 5_000.0, rpm)).lookups_per_s;
            let d = analyse(&params(Mechanism::JwtDenylist, l, 5_000.0, rpm)).lookups_per_s;
            assert!(j <= s && s < d, "{l} min, {rpm}/min: jwt {j}, sessions {s}, denylist {d}");
        }
    }
}

#[test]
fn verdicts_name_the_numbers() {
    let v = analyse(&AuthParams::JWT).verdict;
    assert!(v.contains("11.1 lookups a second instead of 1,000"), "{v}");
    assert!(v.contains("up to 15 min") && v.contains("7 min 30 s on average"), "{v}");
    assert!(v.contains("7 min 30 s would mean 22.2 refreshes"), "{v}");
    let v = analyse(&AuthParams::SESSIONS).verdict;
    assert!(v.contains("1,000 store lookups a second, 1.0 ms"), "{v}");
    let v = analyse(&AuthParams::JWT_DENYLIST).verdict;
    assert!(v.contains("rebuilt sessions") && v.contains("1,011 a second") && v.contains("for 15 min"), "{v}");
    let v = analyse(&AuthParams::LONG_JWT).verdict;
    assert!(v.contains("up to 24 h") && v.contains("12 h on average"), "{v}");
}

#[test]
fn durations_and_rates_read_well() {
    for (s, want) in [
        (0.0, "0 s"),
        (45.0, "45 s"),
        (59.96, "1 min"),
        (90.0, "1 min 30 s"),
        (900.0, "15 min"),
        (3_600.0, "1 h"),
        (43_200.0, "12 h"),
        (86_400.0, "24 h"),
        (604_800.0, "7 days"),
        (f64::NAN, "0 s"),
        (-5.0, "0 s"),
    ] {
        assert_eq!(model::fmt::duration(s, model::fmt::Unit::S), want, "{s}");
    }
    for (x, want) in [(1_234.4, "1,234"), (11.111, "11.1"), (0.4, "0.40"), (0.001, "under 0.01"), (0.0, "0.00")] {
        assert_eq!(rate(x), want, "{x}");
    }
}

// ---------------------------------------------------------------------------------------------
// The revocation window against a simulation
// ---------------------------------------------------------------------------------------------

#[test]
fn monte_carlo_matches_the_closed_form() {
    for (i, l) in [60.0, 900.0, 3_600.0, 86_400.0].into_iter().enumerate() {
        let p = AuthParams { access_lifetime_s: l, ..AuthParams::JWT };
        let (mean, worst) = revocation_window_s(&p);
        let sim = simulate_exposure(l, 100_000, 7 + i as u64);
        // The mean of 100,000 uniforms: standard error L / sqrt(12 × 100,000) ≈ 0.0009 L.
        assert!(close(sim.mean_s, mean, 0.01), "{l}: simulated mean {} vs {mean}", sim.mean_s);
        assert!(sim.max_s <= worst && sim.max_s > 0.999 * worst, "{l}: max {} vs {worst}", sim.max_s);
        assert_eq!(sim.samples, 100_000);
    }
    // Seeded: the same seed, the same run.
    assert_eq!(simulate_exposure(900.0, 1_000, 3), simulate_exposure(900.0, 1_000, 3));
    assert_ne!(simulate_exposure(900.0, 1_000, 3), simulate_exposure(900.0, 1_000, 4));
    // Degenerate inputs stay finite.
    for e in [simulate_exposure(f64::NAN, 0, 1), simulate_exposure(f64::INFINITY, 10, 1)] {
        assert!(e.mean_s.is_finite() && e.max_s.is_finite() && e.samples >= 1, "{e:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The chart's curves
// ---------------------------------------------------------------------------------------------

#[test]
fn the_curve_is_users_over_lifetime() {
    let p = AuthParams::JWT;
    let range = chart_range_s(&p);
    assert_eq!(range, (90.0, 1_800.0));
    let c = refresh_curve(&p, range, 50);
    assert_eq!(c.len(), 50);
    assert!(close(c[0].0, 1.5, 1e-12) && close(c[0].1, 10_000.0 / 90.0, 1e-12), "{:?}", c[0]);
    assert!(close(c[49].0, 30.0, 1e-9) && close(c[49].1, 10_000.0 / 1_800.0, 1e-9), "{:?}", c[49]);
    for &(m, y) in &c {
        assert!(close(y, 10_000.0 / (m * 60.0), 1e-9), "({m}, {y})");
    }
    for w in c.windows(2) {
        assert!(w[1].0 > w[0].0 && w[1].1 < w[0].1, "{w:?}");
    }
    // The current setting lies on the curve.
    let r = analyse(&p);
    assert!(close(refresh_curve(&p, (900.0, 900.0), 2)[1].1, r.refreshes_per_s, 1e-12));
    // Ranges: a day-long token spans 2.4 h to a day; a one-minute token 1 to 10 minutes.
    assert_eq!(chart_range_s(&AuthParams::LONG_JWT), (8_640.0, 86_400.0));
    assert_eq!(chart_range_s(&AuthParams { access_lifetime_s: 60.0, ..AuthParams::JWT }), (60.0, 600.0));
    assert_eq!(chart_range_s(&AuthParams { access_lifetime_s: 1.0, ..AuthParams::JWT }), (60.0, 600.0));
}

/// Below the gap between a user's requests, refreshes stop growing: every request refreshes,
/// and the verdict says so instead of promising more refreshes from a shorter lifetime.
#[test]
fn a_lifetime_at_the_request_gap_is_sessions_load() {
    let p = AuthParams { access_lifetime_s: 60.0, requests_per_user_per_min: 1.0, ..AuthParams::JWT };
    let r = analyse(&p);
    assert!(close(r.refreshes_per_s, r.requests_per_s, 1e-12));
    assert!(r.verdict.contains("every request needs a refresh"), "{}", r.verdict);
    assert!(!r.verdict.contains("Halving"), "{}", r.verdict);
}

// ---------------------------------------------------------------------------------------------
// The spec
// ---------------------------------------------------------------------------------------------

#[test]
fn spec_presets_match_the_model_presets() {
    assert_eq!(auth_params(&TOKEN_LIFETIME.defaults()), AuthParams::JWT);
    for (name, want) in AuthParams::PRESETS {
        let (st, notes) = TOKEN_LIFETIME.parse_query(&format!("preset={name}"));
        assert!(notes.is_empty(), "{name}: {notes:?}");
        assert_eq!(auth_params(&st), want, "{name}");
    }
    let (st, _) = TOKEN_LIFETIME
        .parse_query("mech=denylist&lifetime=60&users=2000&rpm=30&lookup=0.5&expiry=random&refresh=detect");
    let p = auth_params(&st);
    assert_eq!(p.mechanism, Mechanism::JwtDenylist);
    assert_eq!((p.access_lifetime_s, p.users, p.requests_per_user_per_min, p.lookup_ms), (3_600.0, 2_000.0, 30.0, 0.5));
    assert!(p.random_lifetime);
    assert_eq!(p.refresh, RefreshPolicy::ReuseDetection);
}

/// The widget's extreme settings give finite, sensible figures.
#[test]
fn spec_extremes_are_finite() {
    for q in [
        "lifetime=1&users=1000000&rpm=120&lookup=20",
        "lifetime=1440&users=100&rpm=1&lookup=0.1",
        "mech=sessions&users=1000000&rpm=120",
        "mech=denylist&lifetime=1&users=1000000&rpm=1",
        "lifetime=99999&users=-5&rpm=NaN",
    ] {
        let (st, _) = TOKEN_LIFETIME.parse_query(q);
        let p = auth_params(&st);
        let r = analyse(&p);
        check_finite(&r);
        assert!(r.refreshes_per_s <= r.requests_per_s + 1e-9, "{q}");
        let c = refresh_curve(&p, chart_range_s(&p), 120);
        assert!(c.iter().all(|(x, y)| x.is_finite() && y.is_finite() && *x > 0.0 && *y > 0.0), "{q}");
    }
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

fn check_finite(r: &AuthReport) {
    for x in [
        r.requests_per_s,
        r.refreshes_per_s,
        r.lookups_per_s,
        r.session_lookups_per_s,
        r.lookups_per_request,
        r.added_latency_ms,
        r.window_mean_s,
        r.window_worst_s,
        r.denylist_retention_s,
    ] {
        assert!(x.is_finite() && x >= 0.0, "{r:?}");
    }
    assert!(!r.verdict.contains("NaN") && !r.verdict.contains("inf"), "{}", r.verdict);
}

/// Anything at all: in range most of the time, otherwise out of range, NaN or infinite.
fn wild(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => lo..hi,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => -1e12f64..1e12,
    ]
}

fn mechanism() -> impl Strategy<Value = Mechanism> {
    (0usize..3).prop_map(|i| Mechanism::ALL[i])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Longer lifetimes: never more refreshes or lookups, never a shorter window.
    #[test]
    fn longer_lifetimes_trade_load_for_exposure(
        m in mechanism(),
        l1 in 1.0f64..604_800.0,
        factor in 1.0f64..100.0,
        users in 1.0f64..1e7,
        rpm in 0.02f64..600.0,
    ) {
        let a = AuthParams { mechanism: m, access_lifetime_s: l1, users, requests_per_user_per_min: rpm, lookup_ms: 1.0, ..AuthParams::JWT };
        let b = AuthParams { access_lifetime_s: l1 * factor, ..a };
        let (ra, rb) = (analyse(&a), analyse(&b));
        prop_assert!(rb.refreshes_per_s <= ra.refreshes_per_s * (1.0 + 1e-12));
        prop_assert!(rb.lookups_per_s <= ra.lookups_per_s * (1.0 + 1e-12));
        prop_assert!(rb.window_worst_s >= ra.window_worst_s && rb.window_mean_s >= ra.window_mean_s);
        // Whatever the lifetime, plain JWT's window is the lifetime and its refreshes at most
        // users / lifetime; at or above the gap between requests, exactly that.
        if m == Mechanism::Jwt {
            let p = a.clamped();
            prop_assert!(close(ra.window_worst_s, p.access_lifetime_s, 1e-12));
            prop_assert!(close(ra.window_mean_s, p.access_lifetime_s / 2.0, 1e-12));
            prop_assert!(ra.refreshes_per_s <= p.users / p.access_lifetime_s * (1.0 + 1e-12));
            if p.access_lifetime_s >= 60.0 / p.requests_per_user_per_min {
                prop_assert!(close(ra.refreshes_per_s, p.users / p.access_lifetime_s, 1e-9));
            }
        }
    }

    /// More users or more requests: never fewer lookups; sessions' lookups are the request rate.
    #[test]
    fn more_traffic_more_lookups(
        m in mechanism(),
        l in 1.0f64..604_800.0,
        users in 1.0f64..1e7,
        more in 1.0f64..10.0,
        rpm in 0.02f64..600.0,
    ) {
        let a = AuthParams { mechanism: m, access_lifetime_s: l, users, requests_per_user_per_min: rpm, lookup_ms: 1.0, ..AuthParams::JWT };
        let b = AuthParams { users: users * more, ..a };
        prop_assert!(analyse(&b).lookups_per_s >= analyse(&a).lookups_per_s);
        let c = AuthParams { requests_per_user_per_min: (rpm * more).min(600.0), ..a };
        prop_assert!(analyse(&c).lookups_per_s >= analyse(&a).lookups_per_s * (1.0 - 1e-12));
        if m == Mechanism::Sessions {
            prop_assert!(close(analyse(&a).lookups_per_s, users * rpm / 60.0, 1e-9));
        }
    }

    /// No input, however wild, gives NaN, infinity or a negative figure.
    #[test]
    fn no_input_breaks_the_report(
        m in mechanism(),
        l in wild(1.0, 604_800.0),
        users in wild(1.0, 1e8),
        rpm in wild(0.02, 600.0),
        lookup in wild(0.0, 1_000.0),
    ) {
        let p = AuthParams { mechanism: m, access_lifetime_s: l, users, requests_per_user_per_min: rpm, lookup_ms: lookup, ..AuthParams::JWT };
        let r = analyse(&p);
        check_finite(&r);
        prop_assert!(r.refreshes_per_s <= r.requests_per_s * (1.0 + 1e-12));
        let (lo, hi) = chart_range_s(&p);
        prop_assert!(lo.is_finite() && hi.is_finite() && 0.0 < lo && lo < hi);
        let c = refresh_curve(&p, (lo, hi), 40);
        prop_assert!(c.iter().all(|(x, y)| x.is_finite() && y.is_finite()));
    }
}

// ---------------------------------------------------------------------------------------------
// Refresh-token theft, and lifetimes drawn at random
// ---------------------------------------------------------------------------------------------

/// The design's case: access tokens of 900 s, refresh tokens of 30 days, the attacker redeems
/// the stolen refresh token at 120 s and the client its own (now retired) copy at 900 s.
#[test]
fn golden_refresh_theft() {
    // Rotation with reuse detection: the family is revoked at 900 s; the access token the
    // attacker got at 120 s cannot be revoked and lives to 120 + 900 = 1,020 s.
    let t = refresh_theft(&AuthParams::ROTATED);
    assert_eq!((t.attacker_redeems_s, t.client_redeems_s), (120.0, 900.0));
    assert_eq!(t.family_revoked_s, Some(900.0));
    assert_eq!(t.last_valid_s, 1_020.0);
    assert!(t.client_refused && t.attacker_got_tokens);
    assert_eq!(t.text(), "valid until 17 min (family revoked at 15 min)");
    // No rotation: the attacker refreshes until the refresh token expires at 2,592,000 s
    // (30 days); its last redemption at 120 + 2,879 × 900 = 2,591,220 s, valid to 2,592,120 s.
    let t = refresh_theft(&AuthParams::JWT);
    assert_eq!(t.refreshing_until_s, 2_592_000.0);
    assert_eq!(t.family_revoked_s, None);
    assert_eq!(t.last_valid_s, 2_592_120.0);
    assert!(!t.client_refused);
    // Rotation without detection: the attacker holds the chain, the client is logged out.
    let t = refresh_theft(&AuthParams { refresh: RefreshPolicy::Rotation, ..AuthParams::JWT });
    assert!(t.client_refused && t.family_revoked_s.is_none());
    assert_eq!(t.last_valid_s, 2_592_120.0);
    // A client that refreshes before the attacker (one-minute tokens): the stolen token is
    // already retired; with detection the attacker's attempt revokes the family at 120 s.
    let short = AuthParams { access_lifetime_s: 60.0, ..AuthParams::ROTATED };
    let t = refresh_theft(&short);
    assert!(!t.attacker_got_tokens);
    assert_eq!((t.family_revoked_s, t.last_valid_s), (Some(120.0), 0.0));
    let t = refresh_theft(&AuthParams { refresh: RefreshPolicy::Rotation, ..short });
    assert!(!t.attacker_got_tokens && t.family_revoked_s.is_none());
    // The events are in time order and end at the last valid moment.
    let ev = refresh_theft(&AuthParams::ROTATED).events();
    let times: Vec<f64> = ev.iter().map(|e| e.0).collect();
    assert_eq!(times, [0.0, 120.0, 900.0, 1_020.0]);
    assert!(ev[2].1.contains("reuse detected"), "{ev:?}");
    let t = refresh_theft(&AuthParams::ROTATED);
    assert_eq!(t.event_lines()[3], "at 17 min: attacker's last access token expires: its last valid moment");
    let pos: Vec<f64> = [0.0, 120.0, 900.0, 1_020.0].iter().map(|&x| t.position(x)).collect();
    assert!(pos[0] == 0.0 && pos.windows(2).all(|w| w[0] < w[1]) && pos[3] < 1.0, "{pos:?}");
    // The widget's readout.
    let r = analyse(&AuthParams::ROTATED);
    assert_eq!(theft_text(&r), "valid until 17 min (family revoked at 15 min)");
    assert!(auth_facts(&r).readouts.iter().any(|x| x.key == "theft" && x.value == theft_text(&r)));
    assert!(theft_text(&analyse(&AuthParams::SESSIONS)).starts_with("no refresh tokens"));
}

/// Entra-style lifetimes, uniform over 60–90 minutes: revocation at a random moment meets a
/// token whose life is length-biased, E[L²] / (2 E[L]) = 5,700 / 150 = 38 minutes, against 30
/// for a fixed hour; the worst case is 90 minutes; refreshes follow the mean lifetime, 75 min.
#[test]
fn golden_random_lifetime() {
    let r = analyse(&AuthParams::ENTRA);
    assert!(close(r.window_mean_s, 38.0 * 60.0, 1e-12), "{}", r.window_mean_s);
    assert_eq!(r.window_worst_s, 90.0 * 60.0);
    assert!(close(r.refreshes_per_s, 10_000.0 / (75.0 * 60.0), 1e-12));
    assert_eq!(revocation_window(&r), "up to 1 h 30 min (38 min on average)");
    let fixed = analyse(&AuthParams { random_lifetime: false, ..AuthParams::ENTRA });
    assert_eq!(revocation_window(&fixed), "up to 1 h (30 min on average)");
    // The closed form against revocations drawn at random moments of random lifetimes: pick a
    // moment uniformly over a long run of back-to-back tokens, measure what is left.
    let mut rng = model::rng::Rng::new(9);
    let (mut t, mut sum, mut n) = (0.0f64, 0.0, 0u32);
    let mut lifetimes = Vec::new();
    while t < 3_600.0 * 100_000.0 {
        let l = rng.uniform_range(3_600.0, 5_400.0);
        lifetimes.push((t, l));
        t += l;
    }
    for _ in 0..100_000 {
        let at = rng.uniform_range(0.0, t);
        let i = lifetimes.partition_point(|(s, _)| *s <= at) - 1;
        let (s, l) = lifetimes[i];
        sum += s + l - at;
        n += 1;
    }
    let mean = sum / f64::from(n);
    // σ of one remaining life ≈ 26 min; of the mean of 100,000, 5 s: within 4σ.
    assert!((mean - 38.0 * 60.0).abs() < 20.0, "{mean}");
    // Denylist entries outlive the longest token.
    assert_eq!(
        analyse(&AuthParams { mechanism: Mechanism::JwtDenylist, ..AuthParams::ENTRA }).denylist_retention_s,
        5_400.0
    );
}
