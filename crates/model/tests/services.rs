//! The service-split model against theory: serial availability is the product (and matches a
//! seeded Monte Carlo of independent failures), the fan-out tail is 1 − (1 − p)^k (Dean &
//! Barroso's 1 % × 100 calls → 63 %), Brooks's n(n − 1)/2, downtime per 30-day month, the
//! presets against the widget's spec, and property tests: monotone, bounded, finite on any input.

mod common;

use common::assert_close;
use model::services::*;
use model::services::{services_params, SERVICE_SPLIT};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Closed forms
// ---------------------------------------------------------------------------------------------

/// (availability each, services, end-to-end availability), ±1e-6.
const CHAIN: &[(f64, u32, f64)] = &[
    (0.999, 1, 0.999),
    (0.999, 10, 0.990_044_88),
    (0.999, 30, 0.970_431_53),
    (0.99, 10, 0.904_382_08),
    (0.99, 30, 0.739_700_38),
    (0.9999, 10, 0.999_000_36),
    (0.95, 2, 0.9025),
    (0.5, 3, 0.125),
    (1.0, 30, 1.0),
    (0.999, 0, 1.0),
];

#[test]
fn serial_availability_is_the_product() {
    for &(a, n, want) in CHAIN {
        assert_close(chain_availability(a, n), want, 1e-6, &format!("{a}^{n}"));
        assert_close(serial_availability(&vec![a; n as usize]), want, 1e-6, &format!("product of {n} × {a}"));
    }
    assert_close(serial_availability(&[0.99, 0.999, 0.9999]), 0.99 * 0.999 * 0.9999, 1e-12, "mixed");
    assert_eq!(serial_availability(&[]), 1.0);
}

/// (minutes of failed requests a month, availability).
#[test]
fn downtime_per_month() {
    for (a, want) in [(0.999, 43.2), (0.99, 432.0), (0.9999, 4.32), (0.9, 4_320.0), (1.0, 0.0), (0.0, 43_200.0)] {
        assert_close(downtime_minutes(a), want, 1e-6, &format!("downtime at {a}"));
    }
    // Ten services at three nines: about 7.2 hours.
    assert_close(downtime_minutes(chain_availability(0.999, 10)) / 60.0, 7.17, 0.01, "10 × 99.9 %");
}

/// (p, k, share of requests that wait on a slow call), ±1e-4.
const FAN_OUT: &[(f64, u32, f64)] = &[
    (0.01, 100, 0.6340),
    (0.01, 1, 0.01),
    (0.01, 10, 0.0956),
    (0.001, 100, 0.0952),
    (0.1, 10, 0.6513),
    (0.0, 50, 0.0),
];

#[test]
fn fan_out_tail() {
    for &(p, k, want) in FAN_OUT {
        assert_close(fan_out_slow_share(p, k), want, 1e-4, &format!("1-(1-{p})^{k}"));
    }
    // Dean & Barroso (2013): one slow server in a hundred, a hundred servers per request → 63 %.
    assert_eq!(fixed_pct(fan_out_slow_share(0.01, 100)), "63");
}

fn fixed_pct(x: f64) -> String {
    model::fmt::fixed(x * 100.0, 0)
}

#[test]
fn brooks_channels() {
    for (n, want) in [(0, 0), (1, 0), (2, 1), (3, 3), (4, 6), (5, 10), (10, 45), (30, 435)] {
        assert_eq!(channels(n), want, "{n}");
    }
    assert_eq!(channels(u32::MAX), u64::from(u32::MAX) * u64::from(u32::MAX - 1) / 2);
}

#[test]
fn next_nines() {
    assert_close(next_nine(0.99), 0.999, 1e-12, "99 → 99.9");
    assert_close(next_nine(0.999), 0.9999, 1e-12, "99.9 → 99.99");
    assert_close(next_nine(0.9999), 0.99999, 1e-12, "99.99 → 99.999");
}

// ---------------------------------------------------------------------------------------------
// The report, its words, the presets
// ---------------------------------------------------------------------------------------------

#[test]
fn split_report_and_verdict() {
    let r = report(&ServicesParams::SPLIT);
    assert_eq!(r.hard, 10);
    assert_close(r.availability, 0.990_044_88, 1e-6, "availability");
    assert_close(r.downtime_minutes, 430.06, 0.01, "downtime");
    assert_close(r.single_downtime_minutes, 43.2, 1e-9, "one service");
    assert_close(r.slow_share, 0.0956, 1e-4, "fan-out 10 × 1 %");
    assert_close(r.hop_latency_ms, 9.0, 1e-12, "nine round trips");
    assert_eq!((r.team_channels, r.change_channels, r.degraded), (10, 0, 0.0));
    assert_eq!(
        verdict(&r),
        "10 services at 99.9% each give 99.0% end to end: 7 h 10 min of failed requests a month, against 43 min for one service."
    );
    assert!(coordination_text(&r).contains("alone"));
}

#[test]
fn monolith_report_and_verdict() {
    let r = report(&ServicesParams::MONOLITH);
    assert_eq!((r.hard, r.hop_latency_ms), (1, 0.0));
    assert_close(r.slow_share, 0.01, 1e-12, "one call");
    assert_eq!(r.availability, r.single_availability);
    assert_eq!(verdict(&r), "One service at 99.9% gives 99.9% end to end: 43 min of failed requests a month.");
    assert!(coordination_text(&r).starts_with("One deployable"));
}

#[test]
fn degradable_and_coupled_presets() {
    let r = report(&ServicesParams::DEGRADABLE);
    assert_eq!(r.hard, 5);
    assert_close(r.availability, 0.999f64.powi(5), 1e-12, "five on the path");
    assert_close(r.degraded, 1.0 - 0.999f64.powi(5), 1e-12, "five degrade");
    assert_eq!(
        verdict(&r),
        "5 services that must all answer, at 99.9% each, give 99.5% end to end: 3 h 36 min of failed requests a month, against 43 min for one service. The 5 dependencies behind queues are late for 0.5% of requests instead of failing them, and add no network time to the response."
    );
    // Asynchronous dependencies add no hop to the response: 5 on the path, 4 round trips.
    assert_close(r.hop_latency_ms, 4.0, 1e-12, "four round trips");
    let r = report(&ServicesParams::DISTRIBUTED_MONOLITH);
    assert_eq!(r.change_channels, 6);
    assert!(coordination_text(&r).contains("4 services: 4 owners to agree (6 pairs) and 4 deploys"));
    // Everything but the entry service made soft: only the entry service must answer.
    let r = report(&ServicesParams { soft: 29, ..ServicesParams::SPLIT });
    assert_eq!((r.hard, r.params.soft), (1, 9));
    assert_eq!(
        verdict(&r),
        "Only the entry service must answer, which gives 99.9% end to end: 43 min of failed requests a month, as for a single service. The 9 dependencies behind queues are late for 0.9% of requests instead of failing them, and add no network time to the response."
    );
    assert_eq!(r.hop_latency_ms, 0.0);
    let r = report(&ServicesParams { services: 2, soft: 1, ..ServicesParams::SPLIT });
    assert!(verdict(&r).ends_with("The dependency behind a queue is late for 0.1% of requests instead of failing them, and adds no network time to the response."));
}

/// The design's request-path golden values (5B): serial chains and their downtime, retries and
/// replicas under independent failures, a dependency moved behind a queue, the network floor.
#[test]
fn request_path_golden_values() {
    // 1. Serial availability and downtime a 30-day month.
    assert_close(chain_availability(0.999, 10), 0.990_045, 5e-7, "0.999^10");
    assert_close(downtime_minutes(chain_availability(0.999, 10)), 430.06, 0.005, "430.06 min");
    assert_close(downtime_minutes(0.999), 43.2, 1e-9, "one service");
    assert_close(chain_availability(0.9999, 20), 0.998_002, 5e-7, "0.9999^20");
    assert_close(downtime_minutes(chain_availability(0.9999, 20)), 86.32, 0.005, "86.32 min");
    let r = report(&ServicesParams { services: 20, availability: 0.9999, ..ServicesParams::SPLIT });
    assert_close(r.downtime_minutes, 86.32, 0.005, "the widget's 20 services at four nines");
    // 2. Fan-out tails.
    for (k, want) in [(10, 0.095_618), (50, 0.394_994), (100, 0.633_968)] {
        assert_close(fan_out_slow_share(0.01, k), want, 5e-7, &format!("fan-out {k}"));
    }
    // 3. Network floor: 10 sequential same-datacenter hops of 0.5 ms; 10 in-process calls of 2 µs.
    assert_close(network_floor_ms(10, 0.5), 5.0, 1e-12, "10 × 0.5 ms");
    assert_close(network_floor_ms(10, 0.002), 0.02, 1e-12, "10 × 2 µs");
    // 4. One retry per call, independent p_fail = 0.01: per call 0.9999; a chain of 10 0.999000
    //    against 0.904382 without.
    let retry = ServicesParams { availability: 0.99, retries: 1, ..ServicesParams::SPLIT };
    assert_close(retry.effective_availability(), 0.9999, 1e-12, "one retry");
    let r = report(&retry);
    assert_close(r.availability, 0.999_000, 5e-7, "a chain of 10 with retries");
    assert_close(r.bare_availability, 0.904_382, 5e-7, "a chain of 10 without");
    assert_eq!(r.retry_amplification, 512, "2^9 calls at the tenth service");
    assert_eq!((retry_amplification(0, 10), retry_amplification(1, 1), retry_amplification(2, 4)), (1, 1, 27));
    assert_eq!(retry_amplification(5, 1_000), u64::MAX, "saturates");
    // 5. Two redundant replicas of 0.99: 0.9999. A dependency moved behind a queue leaves the
    //    product: 0.999^10 → 0.999^9.
    let replicas = ServicesParams { availability: 0.99, replicas: 2, ..ServicesParams::SPLIT };
    assert_close(replicas.effective_availability(), 0.9999, 1e-12, "two replicas");
    assert_close(hardened_availability(0.99, 2), 0.9999, 1e-12, "two tries");
    let queued = report(&ServicesParams { soft: 1, ..ServicesParams::SPLIT });
    assert_close(queued.availability, 0.991_036, 5e-7, "0.999^9");
    assert_close(queued.hop_latency_ms, 8.0, 1e-12, "one hop fewer");
    // The words name the assumption and the load.
    let v = verdict(&report(&ServicesParams::REDUNDANT));
    assert!(v.starts_with("10 services at 99.9%, 99.9999% with 2 replicas each give 99.999% end to end: 26 s"), "{v}");
    assert!(
        v.contains("independent tries") && v.contains("upper bound") && !v.contains("calls for one request"),
        "{v}"
    );
    let v = verdict(&r);
    assert!(v.starts_with("10 services at 99.0%, 99.99% with 1 retry per call each give 99.90% end to end"), "{v}");
    assert!(v.contains("512 calls for one request"), "{v}");
    let both = report(&ServicesParams { replicas: 2, retries: 1, ..ServicesParams::SPLIT });
    assert!(
        verdict(&both).starts_with("10 services at 99.9%, over 99.999% with 2 replicas and 1 retry per call each"),
        "{}",
        verdict(&both)
    );
}

/// Owners to agree on a change are at most one per team.
#[test]
fn change_owners_are_capped_by_teams() {
    let one_team = report(&ServicesParams { teams: 1, ..ServicesParams::DISTRIBUTED_MONOLITH });
    assert_eq!((one_team.change_owners, one_team.change_channels), (1, 0));
    assert!(coordination_text(&one_team).contains("all owned by the one team"), "{}", coordination_text(&one_team));
    let two = report(&ServicesParams { teams: 2, ..ServicesParams::DISTRIBUTED_MONOLITH });
    assert_eq!((two.change_owners, two.change_channels), (2, 1));
    assert!(
        coordination_text(&two).contains("4 services: 2 owners to agree, one per team (1 pairs)"),
        "{}",
        coordination_text(&two)
    );
    let five = report(&ServicesParams::DISTRIBUTED_MONOLITH);
    assert_eq!((five.change_owners, five.change_channels), (4, 6));
}

#[test]
fn words() {
    for (a, want) in [
        (0.99, "99.0%"),
        (0.999, "99.9%"),
        (0.9999, "99.99%"),
        (0.99999, "99.999%"),
        (0.74, "74.0%"),
        (0.9995, "99.95%"),
        (0.99899, "99.9%"),
        (0.970_431_53, "97.0%"),
        (0.990_044_88, "99.0%"),
        (1.0, "100.0%"),
        (0.0, "0.0%"),
        (f64::NAN, "0.0%"),
    ] {
        assert_eq!(availability_text(a), want, "{a}");
    }
    // An imperfect availability never reads 100%.
    assert!(!availability_text(0.999_999_9).starts_with("100"));
    for (m, want) in [
        (0.0, "0 s"),
        (0.5, "30 s"),
        (1.0, "1 min"),
        (43.2, "43 min"),
        (430.06, "7 h 10 min"),
        (60.0 * 47.9, "48 h"),
        (4_320.0, "3 days"),
        (43_200.0, "30 days"),
        (f64::INFINITY, "0 s"),
        (-5.0, "0 s"),
    ] {
        assert_eq!(model::fmt::duration(m, model::fmt::Unit::Min), want, "{m}");
    }
}

#[test]
fn spec_presets_are_the_model_presets() {
    assert_eq!(SERVICE_SPLIT.presets.len(), ServicesParams::PRESETS.len());
    for (i, (name, want)) in ServicesParams::PRESETS.iter().enumerate() {
        assert_eq!(SERVICE_SPLIT.presets[i].0, *name);
        let (st, notes) = SERVICE_SPLIT.parse_query(&format!("preset={name}"));
        assert!(notes.is_empty());
        let got = services_params(&st);
        assert_close(got.availability, want.availability, 1e-12, name);
        assert_close(got.slow_chance, want.slow_chance, 1e-12, name);
        assert_eq!(ServicesParams { availability: want.availability, slow_chance: want.slow_chance, ..got }, *want);
    }
    // The defaults are the split.
    let d = services_params(&SERVICE_SPLIT.defaults());
    assert_eq!((d.services, d.soft, d.fan_out, d.teams, d.change_span), (10, 0, 10, 5, 1));
    // soft and change are held below the services.
    let (st, _) = SERVICE_SPLIT.parse_query("services=3&soft=20&change=9");
    let p = services_params(&st);
    assert_eq!((p.services, p.soft, p.change_span, p.hard()), (3, 2, 3, 1));
}

#[test]
fn curve_points() {
    let c = downtime_curve(0.999, 30);
    assert_eq!(c.len(), 30);
    assert_eq!(c[0].0, 1.0);
    assert_close(c[0].1, 0.72, 1e-9, "one service, hours");
    assert_close(c[9].1, 7.1677, 1e-3, "ten services, hours");
    assert!(c.windows(2).all(|w| w[1].1 > w[0].1));
    assert_eq!(downtime_curve(0.999, 0).len(), 1);
}

// ---------------------------------------------------------------------------------------------
// The closed forms against a seeded simulation
// ---------------------------------------------------------------------------------------------

#[test]
fn monte_carlo_agrees_with_the_closed_forms() {
    const N: u32 = 200_000;
    for (i, p) in [
        ServicesParams::SPLIT,
        ServicesParams::DEGRADABLE,
        ServicesParams { availability: 0.99, services: 30, soft: 10, fan_out: 100, ..ServicesParams::SPLIT },
        ServicesParams { availability: 0.95, services: 5, fan_out: 3, slow_chance: 0.1, ..ServicesParams::SPLIT },
    ]
    .iter()
    .enumerate()
    {
        let r = report(p);
        let (ok, degraded, slow) = simulate(p, N, 42 + i as u64);
        // Four standard errors of a proportion over N requests.
        let tol = |q: f64| 4.0 * (q * (1.0 - q) / f64::from(N)).sqrt() + 1e-9;
        assert_close(ok, r.availability, tol(r.availability), &format!("case {i}: succeeded"));
        assert_close(degraded, r.degraded, tol(r.degraded), &format!("case {i}: degraded"));
        assert_close(slow, r.slow_share, tol(r.slow_share), &format!("case {i}: slowed"));
    }
    // Same seed, same run.
    assert_eq!(simulate(&ServicesParams::SPLIT, 1_000, 7), simulate(&ServicesParams::SPLIT, 1_000, 7));
    assert_eq!(simulate(&ServicesParams::SPLIT, 0, 7), (0.0, 0.0, 0.0));
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// Any f64, including out of range, NaN and infinities.
fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1e6f64..1e6,
        0.0f64..1.0,
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(0.0),
        Just(1.0)
    ]
}

fn any_params() -> impl Strategy<Value = ServicesParams> {
    (
        (any::<u32>(), any::<u32>(), any_f64(), any::<u32>(), any_f64(), any_f64(), any::<u32>(), any::<u32>()),
        (any::<u32>(), any::<u32>()),
    )
        .prop_map(
            |(
                (services, soft, availability, fan_out, slow_chance, hop_ms, teams, change_span),
                (retries, replicas),
            )| ServicesParams {
                services,
                soft,
                availability,
                fan_out,
                slow_chance,
                hop_ms,
                teams,
                change_span,
                retries,
                replicas,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// No input gives NaN or infinity, and every share stays in [0, 1].
    #[test]
    fn any_input_gives_finite_bounded_figures(p in any_params()) {
        let r = report(&p);
        for x in [r.availability, r.single_availability, r.degraded, r.slow_share] {
            prop_assert!(x.is_finite() && (0.0..=1.0).contains(&x), "{x} from {p:?}");
        }
        for x in [r.downtime_minutes, r.single_downtime_minutes, r.hop_latency_ms] {
            prop_assert!(x.is_finite() && x >= 0.0, "{x} from {p:?}");
        }
        prop_assert!(r.downtime_minutes <= MINUTES_PER_MONTH);
        prop_assert!(r.hard >= 1 && r.hard <= r.params.services);
        prop_assert!(r.params.change_span <= r.params.services);
        prop_assert!(r.change_owners <= r.params.teams && r.change_owners <= r.params.change_span);
        prop_assert!(r.availability >= r.bare_availability, "replicas and retries never hurt");
        prop_assert_eq!(r.params, r.params.clamped());
        prop_assert!(!verdict(&r).is_empty() && !coordination_text(&r).is_empty());
        prop_assert!(!verdict(&r).contains("NaN") && !verdict(&r).contains("inf"));
    }

    /// More services on the path never raise availability; more nines never lower it; a
    /// chain is never better than its weakest link.
    #[test]
    fn availability_is_monotone(a in 0.9f64..1.0, b in 0.9f64..1.0, n in 1u32..30) {
        prop_assert!(chain_availability(a, n + 1) <= chain_availability(a, n));
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(chain_availability(lo, n) <= chain_availability(hi, n));
        prop_assert!(serial_availability(&[a, b]) <= lo + 1e-15);
        prop_assert!(downtime_minutes(chain_availability(a, n + 1)) >= downtime_minutes(chain_availability(a, n)));
        // Making a service soft never lowers end-to-end availability.
        let p = ServicesParams { services: n + 1, soft: 0, availability: a, ..ServicesParams::SPLIT };
        let q = ServicesParams { soft: 1, ..p };
        prop_assert!(report(&q).availability >= report(&p).availability);
    }

    /// More parallel calls or a higher chance of a slow call never lower the slow share, which
    /// is at least the single call's chance.
    #[test]
    fn fan_out_is_monotone(p in 0.0f64..=1.0, q in 0.0f64..=1.0, k in 1u32..200) {
        let s = fan_out_slow_share(p, k);
        prop_assert!(fan_out_slow_share(p, k + 1) >= s);
        prop_assert!(s >= p - 1e-12 && s <= 1.0);
        let (lo, hi) = if p <= q { (p, q) } else { (q, p) };
        prop_assert!(fan_out_slow_share(lo, k) <= fan_out_slow_share(hi, k));
    }

    /// Channels grow with people: n(n − 1)/2, each new member adds n paths.
    #[test]
    fn channels_grow(n in 0u32..100_000) {
        prop_assert_eq!(channels(n + 1) - channels(n), u64::from(n));
    }
}
