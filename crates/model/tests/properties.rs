//! Property tests: any parameters (inside the declared ranges, or outside them and clamped), any
//! faults, a bounded run: no panic, no NaN or infinity, invariants hold, time never goes back.

use model::des::{MS, SEC};
use model::pool::{PoolFault, PoolFaultKind, PoolSim};
use model::retry::{Fault, FaultKind, RetrySim};
use model::spec::{self, Kind, WidgetSpec};
use model::WIDGETS;
use proptest::prelude::*;

/// A query string for `spec` with one arbitrary value per parameter, sometimes far outside its
/// range, sometimes not a number at all.
fn query_for(spec: &'static WidgetSpec) -> impl Strategy<Value = String> {
    let parts: Vec<_> = spec
        .params
        .iter()
        .map(|p| {
            let key = p.key;
            let value = match p.kind {
                Kind::Range { min, max, .. } => prop_oneof![
                    6 => (min..=max).prop_map(|v| v.to_string()).boxed(),
                    1 => any::<f64>().prop_map(|v| v.to_string()).boxed(),
                    1 => Just("NaN".to_string()).boxed(),
                    1 => "[a-z%]{0,4}".boxed(),
                ]
                .boxed(),
                Kind::Choice(opts) => prop_oneof![
                    4 => proptest::sample::select(opts).prop_map(str::to_string).boxed(),
                    1 => "[a-z]{0,6}".boxed(),
                ]
                .boxed(),
                Kind::Toggle => prop_oneof![Just("1".to_string()), Just("0".to_string()), "[a-z]{0,3}".boxed()].boxed(),
            };
            (Just(key), value).prop_map(|(k, v)| format!("{k}={v}"))
        })
        .collect();
    (parts, any::<u64>()).prop_map(|(p, seed)| format!("{}&seed={seed}", p.join("&")))
}

fn finite(xs: &[f64]) -> bool {
    xs.iter().all(|x| x.is_finite())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn retry_storm_never_breaks(q in query_for(&model::retry::RETRY_STORM), faults in prop::collection::vec((0u64..3_000, 0u64..3_000, any::<bool>(), 1.0f64..100.0), 0..4)) {
        let (state, _) = model::retry::RETRY_STORM.parse_query(&q);
        let mut sim = RetrySim::new(model::retry::retry_params(&state, None), state.seed);
        for (start, len, outage, f) in faults {
            let kind = if outage { FaultKind::Outage } else { FaultKind::LatencySpike(f) };
            sim.inject(Fault { kind, start: start * MS, duration: len * MS });
        }
        let mut last = 0;
        for _ in 0..40 {
            sim.advance_to(sim.now() + 100 * MS, 20_000);
            prop_assert!(sim.now() >= last);
            last = sim.now();
            let s = sim.snapshot();
            let t = s.totals;
            prop_assert_eq!(t.requests, t.succeeded + t.failed + t.refused + t.in_flight);
            prop_assert!(finite(&[s.amplification, s.goodput_ratio, s.throttle_reject, s.last.p99_ms, s.recent.offered, s.recent.p99_ms]));
            prop_assert!((0.0..=1.0).contains(&s.goodput_ratio));
            prop_assert!(s.queue_len <= sim.params().queue_limit);
        }
        for x in sim.series().iter() {
            prop_assert!(finite(&[x.t, x.offered, x.attempts, x.goodput, x.timeouts, x.errors, x.rejected, x.refused, x.wasted, x.p50_ms, x.p99_ms]));
        }
    }

    #[test]
    fn timeout_pool_never_breaks(q in query_for(&model::pool::TIMEOUT_POOL), slow in 1.0f64..200.0, hole in any::<bool>()) {
        let (state, _) = model::pool::TIMEOUT_POOL.parse_query(&q);
        let mut sim = PoolSim::new(model::pool::pool_params(&state), state.seed);
        let kind = if hole { PoolFaultKind::BlackHole } else { PoolFaultKind::Slow(slow) };
        sim.inject(PoolFault { kind, start: SEC, duration: 2 * SEC });
        for _ in 0..40 {
            sim.advance_to(sim.now() + 100 * MS, 20_000);
            let s = sim.snapshot();
            let t = s.totals;
            prop_assert_eq!(t.requests, t.ok + t.failed + t.rejected + t.in_system);
            prop_assert!(s.busy <= s.threads);
            prop_assert!(finite(&[s.error_rate, s.last.p99_ms, s.last.ok]));
        }
    }

    #[test]
    fn rollout_never_breaks(q in query_for(&model::rollout::ROLLOUT), rollback_at in prop::option::of(0u64..900)) {
        use model::rollout::{rollout_params, RolloutSim, ROLLOUT};
        let (state, _) = ROLLOUT.parse_query(&q);
        let presets = [None].into_iter().chain((0..ROLLOUT.presets.len()).map(Some));
        for preset in presets {
            let p = rollout_params(&state, preset);
            prop_assert_eq!(p, p.clamped());
            let mut sim = RolloutSim::new(p, state.seed);
            let mut last = 0;
            for i in 0..60u64 {
                sim.advance_to(sim.now() + 15 * SEC, 200_000);
                if rollback_at.is_some_and(|t| t / 15 == i) {
                    sim.roll_back_now();
                }
                prop_assert!(sim.now() >= last);
                last = sim.now();
                let s = sim.snapshot();
                let t = s.totals;
                prop_assert_eq!(t.requests, t.old + t.new + t.unserved);
                prop_assert_eq!(t.failed, t.failed_baseline + t.excess);
                prop_assert!((0.0..=1.0).contains(&s.share_new));
                prop_assert!(s.peak_pods <= 2 * s.replicas + 1 && s.old.all() + s.new.all() <= s.peak_pods);
                prop_assert!(s.planned_full_s.is_finite() && s.peak_capacity().is_finite());
                for text in [s.status(), s.detect_text(), s.full_text(), s.capacity_text(), s.excess_text()] {
                    prop_assert!(!text.is_empty() && !text.contains("NaN") && !text.contains("inf"));
                }
                if let Some(t) = s.time_to_detect_s() {
                    prop_assert!(t >= 0.0 && t.is_finite());
                }
            }
            if let Some(plan) = p.analysis_plan() {
                prop_assert!(!plan.describe().contains("NaN"));
            }
        }
    }

    #[test]
    fn jitter_experiment_never_breaks(q in query_for(&model::jitter::BACKOFF_JITTER)) {
        let (state, _) = model::jitter::BACKOFF_JITTER.parse_query(&q);
        let mut p = model::jitter::jitter_params(&state);
        p.runs = p.runs.min(3); // bounded work per case
        let mut sim = model::jitter::JitterSim::new(p, state.seed);
        while sim.step() {}
        let s = sim.snapshot();
        for r in s.results {
            prop_assert!(r.mean_calls >= p.clients as f64);
            prop_assert!(finite(&[r.mean_calls, r.mean_completion_ms, r.calls_per_client]));
        }
    }

}

/// A key=value soup aimed at the parser: every widget's keys, the reserved keys, hostile values
/// (extremes, escapes, junk, run logs with bad times and actions) in any order and number.
fn hostile_query() -> impl Strategy<Value = String> {
    let mut keys: Vec<&'static str> = WIDGETS.iter().flat_map(|w| w.params.iter().map(|p| p.key)).collect();
    keys.extend(["preset", "seed", "t", "log", "slot", "name", "theme", "", "%00", "a&b"]);
    let value = prop_oneof![
        any::<f64>().prop_map(|v| v.to_string()),
        any::<i64>().prop_map(|v| v.to_string()),
        Just("1e308".to_string()),
        Just("-0".to_string()),
        Just("%zz%".to_string()),
        "[0-9]{1,25}",
        "[0-9.eE+-]{0,12}",
        "[ -~]{0,20}",
        prop::collection::vec(("[0-9]{1,12}", "[a-z0-9._-]{0,45}"), 0..120).prop_map(|es| es
            .into_iter()
            .map(|(t, a)| format!("{t}.{a}"))
            .collect::<Vec<_>>()
            .join(",")),
    ];
    prop::collection::vec((proptest::sample::select(keys), value), 0..40)
        .prop_map(|kvs| kvs.into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"))
}

/// Checks a parsed state: one valid value per parameter, bounded log and playhead, and a
/// lossless round trip through `to_query`.
fn check_state(w: &WidgetSpec, q: &str) -> Result<(), TestCaseError> {
    let (state, _) = w.parse_query(q);
    prop_assert_eq!(state.values.len(), w.params.len());
    for (p, v) in w.params.iter().zip(&state.values) {
        prop_assert_eq!(spec::clamp_to(p, *v), (*v, false), "{}={}", p.key, v);
    }
    prop_assert!(state.at_us <= spec::MAX_REPLAY_US);
    prop_assert!(state.log.len() <= spec::MAX_LOG);
    prop_assert!(state.log.windows(2).all(|p| p[0].0 <= p[1].0), "the log is in time order");
    let (again, notes) = w.parse_query(&w.to_query(&state));
    prop_assert_eq!(again, state);
    prop_assert!(notes.is_empty());
    Ok(())
}

// The URL / embed-attribute parser, fuzzed: 4,000 arbitrary byte strings and 1,000 hostile
// key=value soups, each parsed by every widget's spec (35,000 parses per run).
proptest! {
    #![proptest_config(ProptestConfig { cases: 4_000, ..ProptestConfig::default() })]

    #[test]
    fn state_parser_is_total_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let q = String::from_utf8_lossy(&bytes);
        for w in WIDGETS {
            check_state(w, &q)?;
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    #[test]
    fn state_parser_is_total_on_hostile_queries(q in hostile_query()) {
        for w in WIDGETS {
            check_state(w, &q)?;
        }
        // Every logged action a widget might replay parses or is refused, no panic; what parses
        // encodes back to an entry that parses to the same action.
        let (state, _) = model::consistency::PARTITION_TOGGLES.parse_query(&q);
        for (_, a) in &state.log {
            let _ = model::consistency::Action::parse(a);
            if let Some(r) = model::retry::RetryAction::parse(a) {
                prop_assert_eq!(model::retry::RetryAction::parse(&r.encode()), Some(r));
            }
            if let Some(p) = model::pool::PoolAction::parse(a) {
                prop_assert_eq!(p.encode(), a.as_str());
            }
            if let Some(r) = model::rollout::RolloutAction::parse(a) {
                prop_assert_eq!(r.encode(), a.as_str());
            }
            if let Some(q) = model::queue_semantics::QueueSemanticsAction::parse(a) {
                prop_assert_eq!(q.code(), a.as_str());
            }
        }
    }
}
