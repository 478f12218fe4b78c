//! The widget contract: every widget's declaration (walked through `model::WIDGETS`), the
//! parser's repairs, share-link round trips, and each adapter against its model's named presets.

use model::delivery::{delivery_params, Cadence, DeliveryParams, BRANCH_LIFETIME};
use model::messaging::{messaging_params, MessagingParams, QUEUE_VS_LOG};
use model::pool::{pool_params, PoolParams, TIMEOUT_POOL};
use model::retry::{retry_params, RetryParams, RETRY_STORM};
use model::scaling::{scaling_params, Bottleneck, ScalingParams, Stage, SCALING_COST};
use model::spec::*;
use model::WIDGETS;

fn check(query: &str, want_query: &str, want_notes: usize) {
    let (st, notes) = RETRY_STORM.parse_query(query);
    assert_eq!(RETRY_STORM.to_query(&st), want_query, "{query}");
    assert_eq!(notes.len(), want_notes, "{query}: {notes:?}");
}

#[test]
fn parse_cases() {
    check("", "", 0);
    check("clients=800", "clients=800", 0);
    check("clients=999999", "clients=5000", 1);
    check("clients=-5&load=abc", "clients=10", 2);
    check("clients=NaN", "", 1);
    check("unknown=3&also=x", "", 0);
    check("preset=budget", "backoff=exponential&jitter=full&budget=10", 0);
    check("budget=20&preset=budget", "backoff=exponential&jitter=full&budget=20", 0);
    check("preset=nope", "", 1);
    check("backoff=exponential&breaker=1", "backoff=exponential&breaker=1", 0);
    check("breaker=maybe", "", 1);
    check("seed=42", "seed=42", 0);
    check("seed=-1", "", 1);
    check("%63lients=20", "clients=20", 0);
    check("clients=%", "", 1);
    check("timeout=1e400", "", 1);
    check("load=33", "load=35", 0);
}

#[test]
fn round_trip() {
    for w in WIDGETS.iter().copied() {
        let mut st = w.defaults();
        for (i, p) in w.params.iter().enumerate() {
            st.values[i] = match p.kind {
                Kind::Range { max, .. } => max,
                Kind::Choice(o) => (o.len() - 1) as f64,
                Kind::Toggle => 1.0 - p.default,
            };
        }
        st.seed = 77;
        st.at_us = 12_345;
        st.log = vec![(100, "outage".into()), (2_000, "set.budget.10".into()), (2_000, "cut.0.1".into())];
        let (back, notes) = w.parse_query(&w.to_query(&st));
        assert_eq!(back, st, "{}", w.name);
        assert!(notes.is_empty());
    }
}

#[test]
fn run_logs_are_bounded_and_validated() {
    let (log, dropped) = parse_log("300.spike,100.outage,x.y,5.,700.BAD,9999999999.outage");
    assert_eq!(log, vec![(100, "outage".to_string()), (300, "spike".to_string())]);
    assert!(dropped);
    let long: Vec<String> = (0..500).map(|i| format!("{i}.outage")).collect();
    let (log, dropped) = parse_log(&long.join(","));
    assert_eq!(log.len(), MAX_LOG);
    assert!(dropped);
    let (st, notes) = RETRY_STORM.parse_query("t=99999999999&log=1.outage");
    assert_eq!(st.at_us, MAX_REPLAY_US);
    assert_eq!(notes.len(), 1);
    let (st, notes) = RETRY_STORM.parse_query("t=-3");
    assert_eq!(st.at_us, 0);
    assert_eq!(notes.len(), 1);
}

#[test]
fn presets_match_the_model_presets() {
    for (i, (name, want)) in RetryParams::PRESETS.iter().enumerate() {
        assert_eq!(RETRY_STORM.presets[i].0, *name);
        let (st, _) = RETRY_STORM.parse_query(&format!("preset={name}"));
        let got = retry_params(&st, None);
        assert_eq!(got, *want, "{name}");
    }
    for (name, want) in PoolParams::PRESETS {
        let (st, _) = TIMEOUT_POOL.parse_query(&format!("preset={name}"));
        assert_eq!(pool_params(&st), want.clamped(), "{name}");
    }
}

#[test]
fn scaling_defaults_are_the_illustrative_preset() {
    assert_eq!(scaling_params(&SCALING_COST.defaults()), ScalingParams::ILLUSTRATIVE.clamped());
    let names: Vec<_> = Bottleneck::ALL.iter().map(|b| format!("{b:?}")).collect();
    assert_eq!(names, ["CpuBound", "MemoryBound", "IoBound", "SharedStateContention", "SingleNodeDatabase"]);
    assert_eq!(model::scaling::SCALING_LEVER.params[0].option_labels.len(), Bottleneck::ALL.len());
    assert_eq!(format!("{:?}", Stage::ALL), "[EarlyStartup, Growing, Large]");
}

#[test]
fn delivery_presets_match_the_model_presets() {
    assert_eq!(
        match BRANCH_LIFETIME.params[2].kind {
            Kind::Choice(o) => o.len(),
            _ => 0,
        },
        Cadence::ALL.len()
    );
    for (name, want) in [("trunk", DeliveryParams::TRUNK), ("gitflow", DeliveryParams::GITFLOW)] {
        let (st, notes) = BRANCH_LIFETIME.parse_query(&format!("preset={name}"));
        assert!(notes.is_empty());
        assert_eq!(delivery_params(&st), want.clamped(), "{name}");
    }
}

#[test]
fn queue_vs_log_presets_match_the_model_presets() {
    assert_eq!(messaging_params(&QUEUE_VS_LOG.defaults()), MessagingParams::ILLUSTRATIVE.clamped());
    for (i, (name, want)) in MessagingParams::PRESETS.iter().enumerate() {
        assert_eq!(QUEUE_VS_LOG.presets[i].0, *name);
        let (st, notes) = QUEUE_VS_LOG.parse_query(&format!("preset={name}"));
        assert!(notes.is_empty());
        assert_eq!(messaging_params(&st), want.clamped(), "{name}");
    }
}

#[test]
fn percent_decoding() {
    assert_eq!(percent_decode("a%20b+c"), "a b c");
    assert_eq!(percent_decode("%"), "%");
    assert_eq!(percent_decode("%4"), "%4");
    assert_eq!(percent_decode("%zz"), "%zz");
    assert_eq!(percent_decode("%ff"), "\u{fffd}");
}
