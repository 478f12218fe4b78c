//! Decision notes of the computed widgets (no simulation clock): built from the defaults, every
//! preset and a clamped link, each note says the question, the settings, the verdict and the
//! readouts the widget shows (the same keys in every state), the dated assumptions and the sources.

mod common;
use common::{assert_same_keys, check_note, note_states};
use model::note::Facts;
use model::spec::WidgetSpec;

/// Checks every note state of `spec` with `facts`, the same readout keys in each; returns the
/// defaults' Markdown and facts.
fn check_all(spec: &WidgetSpec, facts: impl Fn(&model::spec::State) -> Facts) -> (String, Facts) {
    let mut all = Vec::new();
    for (what, st, repairs) in note_states(spec) {
        let f = facts(&st);
        let md = check_note(spec, &st, &repairs, &f);
        assert!(md.contains("| Setting | Value |"), "{what}");
        all.push(f);
    }
    assert_same_keys(spec.name, &all);
    let f = facts(&spec.defaults());
    (check_note(spec, &spec.defaults(), &[], &f), f)
}

/// The value of readout `key`.
fn value<'a>(f: &'a Facts, key: &str) -> &'a str {
    &f.readouts.iter().find(|r| r.key == key).unwrap_or_else(|| panic!("no readout {key}")).value
}

#[test]
fn scaling_lever() {
    use model::scaling::{lever_facts, recommend, situation, ScalingParams};
    let spec = &model::scaling::SCALING_LEVER;
    let (md, f) = check_all(spec, |st| lever_facts(&recommend(&situation(st), &ScalingParams::ILLUSTRATIVE)));
    assert!(md.contains("| Peak load | 5,000 req/s |\n"), "{md}");
    assert!(md.contains("(as of November 2026)"), "{md}");
    assert!(value(&f, "vertical").starts_with("one 64-vCPU box"), "{f:?}");
}

#[test]
fn quorum_sliders() {
    use model::quorum::{quorum_facts, quorum_report};
    let spec = &model::quorum::QUORUM_SLIDERS;
    let (md, f) = check_all(spec, |st| quorum_facts(&quorum_report(st)));
    assert!(md.contains("| Replicas N | 3 |\n"), "{md}");
    assert!(md.contains("Bailis"), "{md}");
    assert_eq!(value(&f, "stale"), "67%", "{f:?}");
    assert_eq!(value(&f, "write-tolerates"), "2 replicas down", "{f:?}");
}

#[test]
fn branch_lifetime() {
    use model::delivery::{analyse, delivery_facts, delivery_params};
    let spec = &model::delivery::BRANCH_LIFETIME;
    let (md, f) = check_all(spec, |st| delivery_facts(&analyse(&delivery_params(st))));
    assert!(md.contains("| Engineers merging into the codebase | 12 |\n"), "{md}");
    assert!(md.contains("Trunk Based Development"), "{md}");
    assert_eq!(value(&f, "batch"), "180", "{f:?}");
    assert_eq!(value(&f, "cfr"), "59%", "{f:?}");
    // With flags on work that outlives a day, the note says when the feature reaches users.
    let (st, _) = spec.parse_query("flags=1&branch=10");
    let f = delivery_facts(&analyse(&delivery_params(&st)));
    assert!(f.verdict.contains("reaches users"), "{}", f.verdict);
}

#[test]
fn telemetry_budget() {
    use model::telemetry::{analyse, telemetry_facts, telemetry_params};
    let spec = &model::telemetry::TELEMETRY_BUDGET;
    let (md, f) = check_all(spec, |st| telemetry_facts(&analyse(&telemetry_params(st))));
    assert!(md.contains("(as of November 2026)"), "{md}");
    assert!(md.contains("| Request rate | 500 req/s |\n"), "{md}");
    assert_eq!(value(&f, "logs"), "108 GB a day · $1,669 a month", "{f:?}");
    assert_eq!(value(&f, "series"), "23,000", "{f:?}");
}

#[test]
fn cloud_fit() {
    use model::cloud::{analyse, cloud_facts, cloud_params, CloudAssumptions};
    let spec = &model::cloud::CLOUD_FIT;
    let (md, f) = check_all(spec, |st| cloud_facts(&analyse(&cloud_params(st), &CloudAssumptions::ILLUSTRATIVE)));
    assert!(md.contains("| Experience with AWS | Deep |\n"), "{md}");
    assert!(md.contains("(as of November 2026)"), "{md}");
    assert!(f.verdict.contains("Ranking: AWS 40 points"), "{}", f.verdict);
    assert!(value(&f, "switching").contains('$'), "{f:?}");
}

#[test]
fn api_roundtrips() {
    use model::api::{analyse, api_change, api_facts, api_params, compatibility};
    let spec = &model::api::API_ROUNDTRIPS;
    let (md, f) = check_all(spec, |st| api_facts(&analyse(&api_params(st)), &compatibility(api_change(st))));
    assert!(md.contains("| Network round trip | 100 ms |\n"), "{md}");
    assert!(md.contains("RFC 9113"), "{md}");
    assert_eq!(value(&f, "rest-requests"), "41", "{f:?}");
    assert_eq!(value(&f, "compat"), "Safe for existing clients.", "{f:?}");
}

#[test]
fn schema_evolution() {
    use model::schema_evolution::{analyse, schema_facts, schema_params};
    let spec = &model::schema_evolution::SCHEMA_EVOLUTION;
    let (md, f) = check_all(spec, |st| schema_facts(&analyse(&schema_params(st))));
    assert!(md.contains("| The change | Change int32 to sint32 |\n"), "{md}");
    assert!(md.contains("(as of December 2026)"), "{md}");
    assert!(md.contains("RFC 9745"), "{md}");
    assert_eq!(value(&f, "wire"), "✗ breaking", "{f:?}");
    assert_eq!(value(&f, "left"), "32%", "{f:?}");
}

#[test]
fn token_lifetime() {
    use model::auth::{analyse, auth_facts, auth_params};
    let spec = &model::auth::TOKEN_LIFETIME;
    let (md, f) = check_all(spec, |st| auth_facts(&analyse(&auth_params(st))));
    assert!(md.contains("| Access-token lifetime | 15 min |\n"), "{md}");
    assert!(md.contains("RFC 7519"), "{md}");
    assert_eq!(value(&f, "requests"), "1,000/s", "{f:?}");
    assert!(value(&f, "window").starts_with("up to 15 min"), "{f:?}");
}

#[test]
fn service_split() {
    use model::services::{report, services_facts, services_params};
    let spec = &model::services::SERVICE_SPLIT;
    let (md, f) = check_all(spec, |st| services_facts(&report(&services_params(st))));
    assert!(md.contains("| Availability of each service | 99.90% |\n"), "{md}");
    assert!(md.contains("The Tail at Scale"), "{md}");
    assert_eq!(value(&f, "availability"), "99.0%", "{f:?}");
}

#[test]
fn queue_vs_log() {
    use model::messaging::{analyse, messaging_facts, messaging_params};
    let spec = &model::messaging::QUEUE_VS_LOG;
    let (md, f) = check_all(spec, |st| messaging_facts(&analyse(&messaging_params(st))));
    assert!(md.contains("| Producer rate | 1,000 msg/s |\n"), "{md}");
    assert!(md.contains("- Log: Consumers working: 6 of 8 busy"), "{md}");
    assert_eq!(value(&f, "queue-parallel"), "8 of 8 busy", "{f:?}");
}

#[test]
fn backoff_jitter() {
    use model::jitter::{jitter_facts, jitter_params, JitterSim};
    let spec = &model::jitter::BACKOFF_JITTER;
    // The widget computes its runs a few a frame: a note can be taken before the first run, part
    // way through, or at the end (the defaults; a clamped link's 1,000 runs of 200 clients only in
    // part).
    let snapshot = |st: &model::spec::State, steps: Option<u32>| {
        let mut sim = JitterSim::new(jitter_params(st), st.seed);
        match steps {
            Some(n) => (0..n).for_each(|_| {
                sim.step();
            }),
            None => while sim.step() {},
        }
        sim.snapshot()
    };
    let mut all = Vec::new();
    for (what, st, repairs) in note_states(spec) {
        for steps in [Some(0), Some(7), if what == "defaults" { None } else { Some(10) }] {
            let f = jitter_facts(&snapshot(&st, steps));
            check_note(spec, &st, &repairs, &f);
            all.push(f);
        }
    }
    assert_same_keys(spec.name, &all);
    let st = spec.defaults();
    let f = jitter_facts(&snapshot(&st, None));
    let md = check_note(spec, &st, &[], &f);
    assert!(md.contains("| Contending clients | 50 |\n"), "{md}");
    assert!(f.verdict.ends_with("100 runs per strategy, 50 clients each."), "{}", f.verdict);
    // Brooker's result: full jitter does the least work.
    assert!(f.verdict.starts_with("Full jitter needs the fewest write calls: 332 on average"), "{}", f.verdict);
    assert_eq!(value(&f, "full-calls"), "332", "{f:?}");
    assert!(jitter_facts(&snapshot(&st, Some(0))).verdict.starts_with("Running… 0 of 100"));
}
