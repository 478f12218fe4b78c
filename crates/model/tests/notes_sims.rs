//! Decision notes of the animated simulations: every note state (the defaults, each preset, a
//! clamped link) run for a while, and a share link with interventions in its log. Each note says
//! the question, the settings, what the run shows so far, the readouts its panels show (the same
//! keys in every state), the run so far (started, each intervention at its time, now), the dated
//! assumptions, the sources and the exact-state link.

mod common;
use common::{assert_same_keys, check_note, note_states};
use model::des::{Micros, SEC};
use model::note::Facts;
use model::replay::{Replay, Replayable};
use model::spec::{State, WidgetSpec};

/// Runs every note state of `S`'s widget to `t` and checks its note; returns the facts.
fn check_states<S: Replayable>(t: Micros, facts: impl Fn(&Replay<S>) -> Facts) -> Vec<Facts> {
    let spec = S::SPEC;
    let mut all = Vec::new();
    for (what, st, repairs) in note_states(spec) {
        let r = Replay::<S>::open(&State { at_us: t, ..st });
        let f = facts(&r);
        check_note(spec, &r.to_state(), &repairs, &f);
        check_run(spec, &f, &what);
        all.push(f);
    }
    assert_same_keys(spec.name, &all);
    all
}

/// The run so far starts with the start and ends with now, each line with its time.
fn check_run(spec: &WidgetSpec, f: &Facts, what: &str) {
    let name = spec.name;
    assert!(f.run.len() >= 2, "{name} {what}: {:?}", f.run);
    assert!(f.run[0].contains("started") && f.run[0].contains("seed"), "{name} {what}: {:?}", f.run[0]);
    assert!(f.run.last().is_some_and(|l| l.contains(": now — ")), "{name} {what}: {:?}", f.run);
    for l in &f.run {
        assert!(l.starts_with("at ") && !l.contains("NaN"), "{name} {what}: {l}");
    }
}

/// A share link's state for `spec` (no repairs).
fn link(spec: &WidgetSpec, query: &str) -> State {
    let (st, notes) = spec.parse_query(query);
    assert!(notes.is_empty(), "{query}: {notes:?}");
    st
}

/// Opens a share link, checks its note and returns its facts.
fn open<S: Replayable>(query: &str, facts: impl Fn(&Replay<S>) -> Facts) -> Facts {
    let st = link(S::SPEC, query);
    let r = Replay::<S>::open(&st);
    let f = facts(&r);
    let md = check_note(S::SPEC, &r.to_state(), &[], &f);
    assert!(md.contains("**The run so far**"), "{md}");
    check_run(S::SPEC, &f, query);
    f
}

/// The index of the first run line containing every one of `words`.
fn line(f: &Facts, words: &[&str]) -> usize {
    f.run
        .iter()
        .position(|l| words.iter().all(|w| l.contains(w)))
        .unwrap_or_else(|| panic!("no run line with {words:?}: {:#?}", f.run))
}

/// The value of readout `key`.
fn value<'a>(f: &'a Facts, key: &str) -> &'a str {
    &f.readouts.iter().find(|r| r.key == key).unwrap_or_else(|| panic!("no readout {key}")).value
}

#[test]
fn run_times_count_seconds() {
    use model::note::at;
    assert_eq!(
        [at(0), at(500_000), at(970_000), at(2_500_000), at(12_400_000)],
        ["0 s", "0.5 s", "1 s", "2.5 s", "12 s"]
    );
}

#[test]
fn retry_storm() {
    use model::retry::{retry_storm_facts, RetryRuns};
    let all = check_states::<RetryRuns>(20 * SEC, retry_storm_facts);
    assert!(all[0].verdict.starts_with("No fault yet"), "{}", all[0].verdict);
    // An outage at 5 s, a budget switched on at 10 s.
    let f = open::<RetryRuns>("log=5000000.outage,10000000.set.budget.10&t=30000000", retry_storm_facts);
    let outage = line(&f, &["at 5 s: outage"]);
    let ended = line(&f, &["at 7 s: the outage ended"]);
    let budget = line(&f, &["at 10 s: Retry budget set to 10% of requests"]);
    assert!(outage < ended && ended < budget, "{:#?}", f.run);
    assert!(f.run.last().is_some_and(|l| l.starts_with("at 30 s: now — ")), "{:#?}", f.run);
    assert_eq!(value(&f, "time"), "30.0 s");
    // An outage pressed half a second in, as the embed test does it.
    let f = open::<RetryRuns>("log=500000.outage&t=1300000", retry_storm_facts);
    line(&f, &["at 0.5 s: outage"]);
    // A and B: both runs' numbers side by side, B named by its policy.
    let f = open::<RetryRuns>("ab=1&preset_b=budget&log=5000000.outage&t=30000000", retry_storm_facts);
    assert!(f.verdict.contains("A (your policy): ") && f.verdict.contains("B (policy “budget”): "), "{}", f.verdict);
    assert!(value(&f, "goodput").starts_with("A: ") && value(&f, "goodput").contains(" · B: "), "{f:?}");
    assert!(f.run[0].contains("on the same arrivals"), "{:?}", f.run[0]);
}

#[test]
fn timeout_pool() {
    use model::pool::{timeout_pool_facts, PoolSim};
    let all = check_states::<PoolSim>(10 * SEC, timeout_pool_facts);
    assert!(all[0].verdict.starts_with("Healthy dependency, no fault yet"), "{}", all[0].verdict);
    // No timeouts and a black-holed dependency at 2 s: the pool runs out of threads.
    let f = open::<PoolSim>("preset=none&log=2000000.blackhole&t=30000000", timeout_pool_facts);
    let hole = line(&f, &["at 2 s: the dependency is black-holed"]);
    let full = line(&f, &["threads busy: the pool is exhausted"]);
    let healed = line(&f, &["at 17 s: the dependency is healthy again"]);
    assert!(hole < full && full < healed, "{:#?}", f.run);
    assert!(f.verdict.starts_with("The dependency is healthy again"), "{}", f.verdict);
    let f = open::<PoolSim>("log=1000000.slow&t=5000000", timeout_pool_facts);
    line(&f, &["at 1 s: the dependency answers 20× slower for 15 s"]);
    assert!(f.verdict.starts_with("While the dependency is degraded"), "{}", f.verdict);
    assert_eq!(value(&f, "fault"), "degraded");
}

/// A partition-toggles share link played as the widget plays it: its settings, the tour if its
/// log starts with one, each action at its time, then on to the playhead.
fn partition_facts(st: &State) -> Facts {
    use model::consistency::{cluster_params, partition_toggles_facts, tour_steps, Action, ClusterSim};
    let mut sim = ClusterSim::new(cluster_params(st), st.seed);
    let mut script: Vec<(Micros, Action)> = Vec::new();
    for (t, code) in &st.log {
        if code == "tour" {
            script.extend(tour_steps(sim.params().mode).into_iter().map(|s| (s.at, s.action)));
        } else if let Some(a) = Action::parse(code) {
            script.push((*t, a));
        }
    }
    model::num::sort::short_stable_by_key(&mut script, |s| s.0);
    for (t, a) in script.into_iter().filter(|s| s.0 <= st.at_us) {
        sim.advance_to(t, u64::MAX);
        let _ = sim.apply(&a); // a refused action is part of the run, as in the widget
    }
    sim.advance_to(st.at_us, u64::MAX);
    partition_toggles_facts(&sim.snapshot(), st.seed, &st.log)
}

#[test]
fn partition_toggles() {
    let spec = &model::consistency::PARTITION_TOGGLES;
    let mut all = Vec::new();
    for (what, st, repairs) in note_states(spec) {
        let st = State { at_us: 3 * SEC, log: vec![(500_000, "w.0.1".into()), (1_000_000, "r.1".into())], ..st };
        let f = partition_facts(&st);
        check_note(spec, &st, &repairs, &f);
        check_run(spec, &f, &what);
        line(&f, &["at 0.50 s: client A writes 1"]);
        line(&f, &["client A's write 1 acknowledged"]);
        all.push(f);
    }
    assert_same_keys(spec.name, &all);
    // CP: cut R0 off, then A writes on the minority side: refused, and the note says when.
    let st = link(spec, "log=500000.w.0.1,1000000.part.0,1500000.w.0.2&t=5000000");
    let f = partition_facts(&st);
    check_note(spec, &st, &[], &f);
    check_run(spec, &f, "a partition");
    let cut = line(&f, &["at 1.00 s: partition: {R0} cut off from the rest"]);
    let write = line(&f, &["at 1.50 s: client A writes 2"]);
    let refused = line(&f, &["client A's write 2 refused"]);
    assert!(cut < write && write < refused, "{:#?}", f.run);
    assert!(f.verdict.starts_with("Linearizable so far. Last refusal: write by client A"), "{}", f.verdict);
    assert!(value(&f, "cut").contains("R0–R1") && value(&f, "cut").contains("R0–R2"), "{f:?}");
    // AP with last-writer-wins, the tour: the note walks through it and names the lost write.
    let st = link(spec, "mode=ap&log=0.tour&t=4000000");
    let f = partition_facts(&st);
    check_note(spec, &st, &[], &f);
    check_run(spec, &f, "the AP tour");
    line(&f, &["at 0.00 s: the tour started"]);
    line(&f, &["link", "healed"]);
    assert!(f.verdict.contains("lost") || f.verdict.starts_with("Not linearizable"), "{}", f.verdict);
}

#[test]
fn rollout() {
    use model::rollout::{rollout_facts, RolloutRuns};
    let all = check_states::<RolloutRuns>(120 * SEC, rollout_facts);
    // The defaults compare a 1% canary of an obvious bug with blue/green: both runs named.
    assert!(all[0].verdict.starts_with("A: Canary from 1%: "), "{}", all[0].verdict);
    assert!(all[0].verdict.contains(" B: Blue/green: "), "{}", all[0].verdict);
    line(&all[0], &["A: the new version takes its first requests"]);
    line(&all[0], &["A: bad release detected by the canary analysis"]);
    // A rolling update of an obvious bug, alone, rolled back by hand at 40 s.
    let f = open::<RolloutRuns>(
        "strategy=rolling&release=obvious&compare=none&log=40000000.rollback&t=200000000",
        rollout_facts,
    );
    let first = line(&f, &["the new version takes its first requests"]);
    let pressed = line(&f, &["at 40 s: you pressed “Roll back now”"]);
    let back = line(&f, &["all traffic back on the old version"]);
    assert!(first < pressed && pressed < back, "{:#?}", f.run);
    assert!(f.run[0].contains("started the rollout (Rolling update)"), "{:?}", f.run[0]);
    assert!(!value(&f, "excess").contains(" · B: "), "{f:?}");
    assert!(f.run.iter().all(|l| !l.contains("A: ")), "{:#?}", f.run);
}

#[test]
fn queue_semantics() {
    use model::queue_semantics::{queue_semantics_facts, QueueSemanticsSim};
    let all = check_states::<QueueSemanticsSim>(60 * SEC, queue_semantics_facts);
    assert!(all[0].verdict.starts_with("After 1 min and "), "{}", all[0].verdict);
    // Both sides' readouts under the page's data-k keys, labelled by side.
    for key in ["time", "queue-deliveries", "queue-dead-lettered", "log-lag", "log-replayed"] {
        value(&all[0], key);
    }
    assert!(all[0].readouts.iter().any(|r| r.label == "Queue: Deliveries"), "{:?}", all[0].readouts);
    // A poison order at 5 s, a crash at 20 s, a new group at 40 s.
    let f = open::<QueueSemanticsSim>(
        "log=5000000.poison,20000000.crash,40000000.subscribe&t=90000000",
        queue_semantics_facts,
    );
    let poison = line(&f, &["at 5 s: a poison order from customer-1"]);
    let crash = line(&f, &["at 20 s: a consumer crashes on each side"]);
    let group = line(&f, &["at 40 s: a new consumer group subscribes"]);
    assert!(poison < crash && crash < group, "{:#?}", f.run);
    line(&f, &["customer-1 #1 failed on"]);
    line(&f, &["rebalance"]);
    assert!(f.run.last().is_some_and(|l| l.starts_with("at 1 min 30 s: now — 90.0 s simulated")), "{:#?}", f.run);
}

#[test]
fn burn_rate() {
    use model::slo_burn::{burn_rate_facts, BurnRun, HOUR_US};
    // Ten days into each month.
    let all = check_states::<BurnRun>(240 * HOUR_US, burn_rate_facts);
    assert!(all[0].verdict.starts_with("By day 10, 00:00: the naive rule paged "), "{}", all[0].verdict);
    assert!(
        all[0].run[0].starts_with("at day 0, 00:00: started the month: A bit of everything, seed "),
        "{:?}",
        all[0].run
    );
    line(&all[0], &["incident 1 starts: "]);
    for key in ["remaining", "time", "naive-pages", "multi-pages", "naive-misses", "multi-detect"] {
        value(&all[0], key);
    }
    // A quiet month: an incident added on day 2 at 06:00 (an hour at 50%), moved to day 3 at
    // 14:00 on day 2, 12:00, and the SLO loosened to 99% on day 4.
    let f = open::<BurnRun>(
        "preset=quiet&log=48000000.add.3240.60.500000,60000000.mv.2.4680,96000000.set.slo.0&t=144000000",
        burn_rate_facts,
    );
    let added = line(&f, &["at day 2, 00:00: incident added at day 2, 06:00: 50% errors for 1 h"]);
    let moved = line(&f, &["at day 2, 12:00: incident 3 moved to day 3, 06:00"]);
    let starts = line(&f, &["at day 3, 06:00: incident 3 starts: 50% errors for 1 h"]);
    let paged = line(&f, &["the multi-window rules page for incident 3"]);
    let slo = line(&f, &["at day 4, 00:00: SLO target set to 99%"]);
    assert!(added < moved && moved < starts && starts < paged && paged < slo, "{:#?}", f.run);
    assert!(f.run.last().is_some_and(|l| l.starts_with("at day 6, 00:00: now — ")), "{:#?}", f.run);
}

#[test]
fn conway() {
    use model::conway::{conway_facts, ConwayRun, DAY};
    let all = check_states::<ConwayRun>(30 * DAY, conway_facts);
    assert!(all[0].verdict.starts_with("Batch 1: "), "{}", all[0].verdict);
    assert!(
        all[0].run[0].starts_with("at day 0.0: started: the first batch of 100 features, seed "),
        "{:?}",
        all[0].run
    );
    // A service moved to team 2 on day 3, the sprint shortened on day 5, a second batch on day 20.
    let f = open::<ConwayRun>(
        &format!("log={}.own.0.1,{}.set.sprint.5,{}.ship&t={}", 3 * DAY, 5 * DAY, 20 * DAY, 40 * DAY),
        conway_facts,
    );
    let moved = line(&f, &["at day 3.0: ", " moved to team 2"]);
    let sprint = line(&f, &["at day 5.0: Sprint length set to 5 days"]);
    let ship = line(&f, &["at day 20.0: “Ship 100 features”: a new batch starts"]);
    assert!(moved < sprint && sprint < ship, "{:#?}", f.run);
    assert!(f.verdict.starts_with("Batch 2: "), "{}", f.verdict);
    assert!(f.run.last().is_some_and(|l| l.starts_with("at day 40.0: now — ")), "{:#?}", f.run);
    assert_eq!(value(&f, "time"), "40.0 days");
}

#[test]
fn secrets() {
    use model::secrets::{secrets_facts, SecretsRun};
    let all = check_states::<SecretsRun>(30 * SEC, secrets_facts);
    assert!(all[0].run[0].starts_with("at 0 s: started: credentials of 90 days, seed "), "{:?}", all[0].run);
    assert!(all[0].verdict.contains("1,080 h (45 days) on average"), "{}", all[0].verdict);
    for key in ["mean", "p95", "issuance", "failing", "long-lived", "leak", "playhead"] {
        value(&all[0], key);
    }
    // One-hour credentials, detection after an hour: a leak at 10 s of replay (30 min in),
    // the outage set to 30 minutes at 20 s (1 h in).
    let f = open::<SecretsRun>(
        "ttl=1h&detect=fixed&detect_h=1&log=10000000.leak,20000000.set.outage.30&t=40000000",
        secrets_facts,
    );
    let leak = line(&f, &["at 30 min: “Leak now”: a credential leaks"]);
    let outage = line(&f, &["at 1 h: Issuer outage (Vault, STS, KMS) set to 30 min"]);
    let closed = line(&f, &["leak 1 closed (", ") after "]);
    assert!(leak < outage && leak < closed, "{:#?}", f.run);
    assert_eq!(value(&f, "failing"), "25% (125 of 500)");
    assert!(f.run.last().is_some_and(|l| l.starts_with("at 2 h: now — closed after ")), "{:#?}", f.run);
}
