//! Share links replay a run exactly: the retry storm's and the thread pool's typed actions, their
//! log entries, and `Replay` sessions that play a link's log at its recorded times.

use model::des::{secs, Micros, MS, SEC};
use model::pool::{
    pool_params, PoolAction, PoolFault, PoolFaultKind, PoolReplay, PoolSim, FAULT_SECONDS, TIMEOUT_POOL,
};
use model::replay::{Replay, Replayable};
use model::retry::{
    retry_params, Fault, FaultKind, RetryAction, RetryReplay, RetryRuns, RetrySim, RETRY_STORM, SPIKE_FACTOR,
};
use model::rollout::{RolloutAction, RolloutReplay, RolloutRuns, ROLLOUT};
use model::spec::{Kind, State, WidgetSpec, MAX_LOG};

/// A state of `spec` from a share link's query.
fn link(spec: &WidgetSpec, query: &str) -> State {
    let (st, notes) = spec.parse_query(query);
    assert!(notes.is_empty(), "{query}: {notes:?}");
    st
}

// ---- actions ------------------------------------------------------------------------------------

#[test]
fn every_action_round_trips_through_its_log_entry() {
    // The entries share links carry today (the buttons, and `set.<key>.<value>` as the app writes
    // it: `model::fmt::number` of a valid value).
    let retry = [
        ("outage", RetryAction::Outage),
        ("spike", RetryAction::Spike),
        ("set.backoff.2", RetryAction::Set { key: "backoff", value: 2.0 }),
        ("set.jitter.1", RetryAction::Set { key: "jitter", value: 1.0 }),
        ("set.budget.10", RetryAction::Set { key: "budget", value: 10.0 }),
        ("set.breaker.1", RetryAction::Set { key: "breaker", value: 1.0 }),
        ("set.throttle.0", RetryAction::Set { key: "throttle", value: 0.0 }),
        ("set.load.90", RetryAction::Set { key: "load", value: 90.0 }),
        ("set.attempts.8", RetryAction::Set { key: "attempts", value: 8.0 }),
        ("set.timeout.20", RetryAction::Set { key: "timeout", value: 20.0 }),
        ("set.clients.5000", RetryAction::Set { key: "clients", value: 5_000.0 }),
        ("set.outage.2.5", RetryAction::Set { key: "outage", value: 2.5 }),
        ("set.outage.0.5", RetryAction::Set { key: "outage", value: 0.5 }),
    ];
    for (code, action) in retry {
        assert_eq!(RetryAction::parse(code), Some(action), "{code}");
        assert_eq!(action.encode(), code);
    }
    for (code, action) in [("slow", PoolAction::Slow), ("blackhole", PoolAction::BlackHole)] {
        assert_eq!(PoolAction::parse(code), Some(action), "{code}");
        assert_eq!(action.encode(), code);
    }
    // Every value the controls can set, for every setting that applies mid-run.
    for p in RETRY_STORM.params.iter().filter(|p| !["ab", "preset_b"].contains(&p.key)) {
        let values: Vec<f64> = match p.kind {
            Kind::Range { min, max, step } => (0..).map(|i| min + i as f64 * step).take_while(|v| *v <= max).collect(),
            Kind::Choice(opts) => (0..opts.len()).map(|i| i as f64).collect(),
            Kind::Toggle => vec![0.0, 1.0],
        };
        for v in values {
            let a = RetryAction::set(p.key, v).unwrap_or_else(|| panic!("{} is set mid-run", p.key));
            assert_eq!(RetryAction::parse(&a.encode()), Some(a), "{}", a.encode());
        }
    }
}

#[test]
fn malformed_or_foreign_actions_are_refused() {
    for code in [
        "",
        "Outage",
        "outage.1",
        "outagex",
        "spike5",
        "set",
        "set.",
        "set.load",
        "set.load.",
        "set.load.x",
        "set.load.1.2.3",
        "set..1",
        "set.nokey.1",
        "set.seed.3",
        "set.ab.1",
        "set.preset_b.2",
        "slow",
        "blackhole",
        "w.0.1",
        "cut.0.1",
        "tour",
    ] {
        assert_eq!(RetryAction::parse(code), None, "{code:?}");
    }
    for code in ["", "outage", "spike", "slow.2", "black-hole", "blackhole.1", "set.threads.10", "set.slowdown.2"] {
        assert_eq!(PoolAction::parse(code), None, "{code:?}");
    }
}

#[test]
fn unknown_log_entries_are_skipped_without_a_panic() {
    let junk = "log=0.zz,1.set.load.x,2.set.ab.1,3.set.preset_b.1,4.set.seed.9,5.set.,6.slow,7.-,8.set.load.1e999";
    let plain = RetryReplay::open(&link(&RETRY_STORM, "ab=1&t=3000000"));
    let replayed = RetryReplay::open(&link(&RETRY_STORM, &format!("ab=1&t=3000000&{junk}")));
    assert_eq!(replayed.snapshot(), plain.snapshot());
    assert!(replayed.log().is_empty());
    assert_eq!(replayed.to_state(), plain.to_state(), "sharing again drops them");
    // A number out of range applies clamped, as the controls would.
    let r = RetryReplay::open(&link(&RETRY_STORM, "log=1000.set.load.999,2000.set.timeout.-5&t=3000"));
    assert_eq!(model::value!(RETRY_STORM, r.settings(), "load"), 120.0);
    assert_eq!(model::value!(RETRY_STORM, r.settings(), "timeout"), 20.0);

    let plain = PoolReplay::open(&link(&TIMEOUT_POOL, "t=3000000"));
    let replayed = PoolReplay::open(&link(&TIMEOUT_POOL, "t=3000000&log=1.outage,2.set.threads.10,3.spike,4.x"));
    assert_eq!(replayed.snapshot(), plain.snapshot());
    assert!(replayed.log().is_empty());
}

// ---- a link replays the live run --------------------------------------------------------------------

/// What a reader does, frame by frame.
enum Do<A> {
    /// Animation frames of 16 ms at `speed`× with an event budget that often runs out first.
    Frames(u32, u64),
    /// The Step button.
    Step,
    Press(A),
    /// A settings change (key, value).
    Change(&'static str, f64),
}

/// Plays `script` live on a session started from `start`, then checks that the share link it
/// gives opens, on a fresh page, exactly where the live run is, and that both carry on alike.
fn live_then_link<S: Replayable>(start: &State, script: &[Do<S::Action>]) -> (Replay<S>, Replay<S>)
where
    S::Snapshot: PartialEq + std::fmt::Debug,
{
    let spec = S::SPEC;
    let mut live = Replay::<S>::new(start);
    let mut ui = start.clone(); // the widget's settings signal
    for d in script {
        match d {
            Do::Frames(n, speed) => {
                for _ in 0..*n {
                    let target = live.now() + 16 * MS * speed;
                    live.advance_to(target, 700); // the frame's wall-clock budget ran out, or not
                }
            }
            Do::Step => live.step(100 * MS),
            Do::Press(a) => live.record(live.now(), a.clone()),
            Do::Change(key, v) => {
                ui.set(spec, key, *v);
                live.change(&ui);
            }
        }
    }
    let shared = live.to_state();
    let (back, notes) = spec.parse_query(&spec.to_query(&shared));
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(back, shared, "the link carries the state");
    let mut opened = Replay::<S>::open(&back);
    assert_eq!(opened.now(), live.now());
    assert_eq!(opened.snapshot(), live.snapshot(), "the link opens where the run was");
    assert_eq!(opened.settings(), live.settings());
    assert_eq!(opened.settings(), &ui, "the controls show the settings in force");
    assert_eq!(opened.log(), live.log());
    assert_eq!(opened.to_state(), shared, "sharing again gives the same link");
    for _ in 0..3 {
        live.step(100 * MS);
        opened.step(100 * MS);
    }
    assert_eq!(opened.snapshot(), live.snapshot(), "and carries on identically");
    (live, opened)
}

#[test]
fn a_retry_storm_link_replays_the_live_run_exactly() {
    use Do::*;
    use RetryAction::*;
    for query in ["", "clients=2000&load=80", "ab=1", "ab=1&preset_b=breaker&clients=3000&seed=7"] {
        let start = link(&RETRY_STORM, query);
        let script = [
            Frames(20, 10),
            Press(Outage),
            Frames(30, 20),
            Change("jitter", 1.0),
            Change("backoff", 2.0),
            Step,
            Frames(40, 50),
            Press(Spike),
            Change("outage", 4.5),
            Press(Outage),
            Frames(25, 100),
            Step,
            Step,
        ];
        let (live, opened) = live_then_link::<RetryRuns>(&start, &script);
        let codes: Vec<String> = live.log().iter().map(|(_, a)| a.encode()).collect();
        assert_eq!(codes, ["outage", "set.jitter.1", "set.backoff.2", "spike", "set.outage.4.5", "outage"], "{query}");
        let runs = (live.run().sims(), opened.run().sims());
        assert_eq!(runs.0.len(), runs.1.len());
        for (a, b) in runs.0.iter().zip(runs.1) {
            assert_eq!(a.events_handled(), b.events_handled(), "{query}: the same events");
            assert!(a.series().iter().eq(b.series().iter()), "{query}: the same charts");
            assert_eq!(a.faults(), b.faults());
        }
        assert_eq!(runs.0[0].faults()[2].duration, 4_500 * MS, "the last outage is 4.5 s long");
    }
}

#[test]
fn a_thread_pool_link_replays_the_live_run_exactly() {
    use Do::*;
    for query in ["", "preset=balanced&slowdown=50", "preset=tight&threads=40&seed=3"] {
        let start = link(&TIMEOUT_POOL, query);
        let script = [
            Frames(30, 20),
            Press(PoolAction::Slow),
            Frames(40, 50),
            Step,
            Press(PoolAction::BlackHole),
            Frames(30, 100),
            Step,
        ];
        let (live, opened) = live_then_link::<PoolSim>(&start, &script);
        assert_eq!(live.log().len(), 2);
        assert!(live.run().series().iter().eq(opened.run().series().iter()));
        assert_eq!(live.run().faults(), opened.run().faults());
    }
}

#[test]
fn a_rollout_link_replays_the_live_run_exactly() {
    use Do::*;
    for query in ["", "release=subtle&compare=rolling", "preset=blue-green&compare=canary-5&seed=9", "compare=none"] {
        let start = link(&ROLLOUT, query);
        let script =
            [Frames(30, 30), Step, Frames(40, 100), Press(RolloutAction::RollBack), Frames(30, 100), Step, Step];
        let (live, opened) = live_then_link::<RolloutRuns>(&start, &script);
        assert_eq!(live.log().len(), 1, "{query}");
        let runs = (live.run().sims(), opened.run().sims());
        assert_eq!(runs.0.len(), runs.1.len());
        for (a, b) in runs.0.iter().zip(runs.1) {
            assert_eq!(a.events_handled(), b.events_handled(), "{query}: the same events");
            assert!(a.series().iter().eq(b.series().iter()), "{query}: the same charts");
        }
    }
    // The rollback is in the link, and a link replays it at its time in both runs.
    let st = link(&ROLLOUT, "release=subtle&log=120000000.rollback&t=150000000");
    let r = RolloutReplay::open(&st);
    let s = r.snapshot();
    for s in [s.a, s.b.unwrap()] {
        assert_eq!(s.rollback_at, Some(120 * SEC));
        assert_eq!(s.detected_by, Some(model::rollout::Detector::Manual));
    }
    assert_eq!(ROLLOUT.to_query(&r.to_state()), "release=subtle&log=120000000.rollback&t=150000000");
    // Any setting restarts the run.
    let mut ui = ROLLOUT.defaults();
    let mut r = RolloutReplay::new(&ui);
    r.step(SEC);
    ui.set(&ROLLOUT, "bake", 60.0);
    assert!(r.change(&ui));
    assert_eq!((r.now(), r.to_state()), (0, ui));
}

#[test]
fn a_link_replays_exactly_as_the_widgets_did_before_sessions() {
    // The components' own replay, as it was: advance every run to each entry's time, apply it
    // there, then run on to the playhead.
    let query = "clients=1500&ab=1&seed=4&log=2000000.outage,2000000.spike,5300000.set.jitter.1,\
                 5300000.set.budget.10,7100000.set.outage.3,7100000.outage,9000000.set.load.110&t=12345678";
    let st = link(&RETRY_STORM, query);
    let mut settings = State { log: vec![], at_us: 0, ..st.clone() };
    let b = |s: &State| retry_params(s, Some(model::value!(RETRY_STORM, s, "preset_b") as usize));
    let mut sims = [RetrySim::new(retry_params(&settings, None), st.seed), RetrySim::new(b(&settings), st.seed)];
    for (t, action) in &st.log {
        for s in sims.iter_mut() {
            s.advance_to(*t, u64::MAX);
        }
        let len = secs(model::value!(RETRY_STORM, settings, "outage"));
        let kind = match action.as_str() {
            "outage" => FaultKind::Outage,
            "spike" => FaultKind::LatencySpike(5.0),
            set => {
                let (k, v) = set.strip_prefix("set.").and_then(|s| s.split_once('.')).unwrap();
                settings.set(&RETRY_STORM, k, v.parse().unwrap());
                sims[0].set_params(retry_params(&settings, None));
                sims[1].set_params(b(&settings));
                continue;
            }
        };
        for s in sims.iter_mut() {
            let start = s.now();
            s.inject(Fault { kind, start, duration: len });
        }
    }
    for s in sims.iter_mut() {
        s.advance_to(st.at_us, u64::MAX);
    }
    let r = RetryReplay::open(&st);
    let snap = r.snapshot();
    assert_eq!((snap.a, snap.b), (sims[0].snapshot(), Some(sims[1].snapshot())));
    assert_eq!(r.settings(), &settings);
    assert_eq!(RETRY_STORM.to_query(&r.to_state()), query.replace(' ', ""), "and shares the same link");

    let query = "slowdown=40&log=3000000.slow,21000000.blackhole,21500000.slow&t=30000000";
    let st = link(&TIMEOUT_POOL, query);
    let mut sim = PoolSim::new(pool_params(&st), st.seed);
    for (t, action) in &st.log {
        sim.advance_to(*t, u64::MAX);
        let kind = if action == "slow" { PoolFaultKind::Slow(40.0) } else { PoolFaultKind::BlackHole };
        sim.inject(PoolFault { kind, start: sim.now(), duration: FAULT_SECONDS * SEC });
    }
    sim.advance_to(st.at_us, u64::MAX);
    let r = PoolReplay::open(&st);
    assert_eq!(r.snapshot(), sim.snapshot());
    assert_eq!(TIMEOUT_POOL.to_query(&r.to_state()), query);
}

// ---- what the log does --------------------------------------------------------------------------

#[test]
fn a_logged_setting_changes_the_policy_at_that_moment() {
    let st = link(&RETRY_STORM, "log=3000000.outage,6000000.set.budget.10,6000000.set.jitter.1");
    let mut r = RetryReplay::new(&st);
    r.advance_to(6 * SEC - 1, u64::MAX);
    assert_eq!(r.run().sims()[0].params().retry_budget, 0.0, "not yet");
    assert_eq!(model::value!(RETRY_STORM, r.settings(), "budget"), 0.0);
    r.advance_to(6 * SEC, u64::MAX);
    let p = *r.run().sims()[0].params();
    assert_eq!((p.retry_budget, p.jitter), (0.1, model::backoff::Jitter::Full), "at 6 s");
    assert_eq!(model::value!(RETRY_STORM, r.settings(), "budget"), 10.0);
    r.advance_to(15 * SEC, u64::MAX);

    // The same run by hand.
    let mut sim = RetrySim::new(retry_params(&st, None), st.seed);
    sim.advance_to(3 * SEC, u64::MAX);
    sim.inject(Fault { kind: FaultKind::Outage, start: 3 * SEC, duration: 2 * SEC });
    sim.advance_to(6 * SEC, u64::MAX);
    let mut then = st.clone();
    then.set(&RETRY_STORM, "budget", 10.0);
    then.set(&RETRY_STORM, "jitter", 1.0);
    sim.set_params(retry_params(&then, None));
    sim.advance_to(15 * SEC, u64::MAX);
    assert_eq!(r.snapshot().a, sim.snapshot());
    // A spike is `SPIKE_FACTOR`× slower service for the outage length.
    let mut r = RetryReplay::open(&link(&RETRY_STORM, "outage=3&log=1000000.spike&t=1000000"));
    r.step(MS);
    assert_eq!(
        r.run().sims()[0].faults(),
        [Fault { kind: FaultKind::LatencySpike(SPIKE_FACTOR), start: SEC, duration: 3 * SEC }]
    );
}

#[test]
fn ab_runs_see_the_same_arrivals_through_interventions() {
    let st = link(
        &RETRY_STORM,
        "ab=1&preset_b=breaker&log=2000000.outage,6000000.set.load.110,6000000.set.clients.900&t=14000000",
    );
    let r = RetryReplay::open(&st);
    let [a, b] = r.run().sims() else { panic!("two runs in A/B mode") };
    assert_eq!(a.now(), b.now());
    let (sa, sb) = (a.snapshot(), b.snapshot());
    assert_eq!(sa.totals.requests, sb.totals.requests, "the same requests");
    assert!(a.series().iter().map(|x| x.offered).eq(b.series().iter().map(|x| x.offered)), "window by window");
    assert_ne!(sa.totals.attempts, sb.totals.attempts, "different policies");
    assert_eq!(a.faults(), b.faults(), "the outage hit both");
    assert_eq!(b.params().offered_rps, a.params().offered_rps, "the load change reached both");
    assert!(b.params().breaker && !a.params().breaker);
}

#[test]
fn a_frame_budget_stops_both_runs_at_the_same_moment() {
    let mut r = RetryReplay::new(&link(&RETRY_STORM, "ab=1&clients=3000&log=1000000.outage"));
    let mut stopped_short = 0;
    for _ in 0..200 {
        let target = r.now() + 50 * MS;
        if !r.advance_to(target, 300).reached {
            stopped_short += 1;
        }
        let [a, b] = r.run().sims() else { unreachable!() };
        assert_eq!(a.now(), b.now());
        for s in [a, b] {
            assert!(s.next_event().is_none_or(|t| t > s.now()), "nothing left due at the clock");
        }
    }
    assert!(stopped_short > 50, "the budget ran out in {stopped_short} frames");
}

#[test]
fn settings_changes_are_logged_or_restart_the_run() {
    let mut ui = RETRY_STORM.defaults();
    let mut r = RetryReplay::new(&ui);
    ui.set(&RETRY_STORM, "load", 90.0);
    assert!(r.change(&ui), "before anything happened the change is where the run starts");
    assert_eq!(r.to_state(), ui);
    r.step(SEC);
    ui.set(&RETRY_STORM, "budget", 20.0);
    assert!(!r.change(&ui));
    assert!(!r.change(&ui), "nothing changed");
    let logged: Vec<_> = r.log().iter().map(|(t, a)| (*t, a.encode())).collect();
    assert_eq!(logged, [(SEC, "set.budget.20".to_string())]);
    for (key, v) in [("ab", 1.0), ("preset_b", 1.0)] {
        r.step(SEC);
        ui.set(&RETRY_STORM, key, v);
        assert!(r.change(&ui), "{key} restarts");
        assert_eq!((r.now(), r.log().len(), r.settings()), (0, 0, &ui));
    }
    assert_eq!(r.run().sims().len(), 2);
    r.step(SEC);
    ui.seed = 99;
    assert!(r.change(&ui), "a new seed restarts");
    assert_eq!(r.to_state(), ui);

    let mut ui = TIMEOUT_POOL.defaults();
    let mut r = PoolReplay::new(&ui);
    r.step(SEC);
    r.record(r.now(), PoolAction::Slow);
    ui.set(&TIMEOUT_POOL, "read", 300.0);
    assert!(r.change(&ui), "every pool setting restarts its run");
    assert_eq!(r.to_state(), ui);
}

#[test]
fn the_log_is_bounded() {
    let mut r = PoolReplay::new(&TIMEOUT_POOL.defaults());
    for i in 0..MAX_LOG + 50 {
        r.step(10 * MS);
        r.record(r.now(), if i % 2 == 0 { PoolAction::Slow } else { PoolAction::BlackHole });
    }
    assert_eq!(r.log().len(), MAX_LOG);
    assert_eq!(r.to_state().log.len(), MAX_LOG);
    let long: Vec<(Micros, String)> = (0..MAX_LOG as u64 + 50).map(|i| (i * MS, "outage".to_string())).collect();
    let r = RetryReplay::open(&State { log: long, at_us: SEC, ..RETRY_STORM.defaults() });
    assert_eq!(r.log().len(), MAX_LOG, "a link built by hand is cut too");
}

#[test]
fn a_script_plays_as_time_reaches_it_and_a_live_action_ends_it() {
    // A link whose log runs past its playhead (not one the widgets make) opens at the playhead,
    // with the rest still to come, and shares the same link again.
    let st = link(&RETRY_STORM, "log=1000000.outage,5000000.spike,8000000.outage&t=3000000");
    let mut r = RetryReplay::open(&st);
    assert_eq!((r.now(), r.log().len()), (3 * SEC, 1));
    assert_eq!(r.to_state(), st);
    r.advance_to(6 * SEC, u64::MAX);
    assert_eq!(r.log().len(), 2, "the spike played at 5 s");
    assert_eq!(r.log()[1].0, 5 * SEC);
    r.record(r.now(), RetryAction::Set { key: "load", value: 50.0 });
    r.advance_to(10 * SEC, u64::MAX);
    let codes: Vec<String> = r.log().iter().map(|(_, a)| a.encode()).collect();
    assert_eq!(codes, ["outage", "spike", "set.load.50"], "the 8 s outage was the link's future, not this run's");
}

/// How far a link replays is the widget's: the retry storm stops at 10 simulated minutes however
/// far the link asks; a rollout, whose canary steps bake for minutes each, replays a rollback
/// pressed 20 minutes in, and the link it gives back says so.
#[test]
fn each_widget_bounds_how_far_a_link_replays() {
    let storm = RETRY_STORM.parse_query("t=3600000000").0;
    assert_eq!(storm.at_us, 3_600 * SEC, "the parser keeps an hour (under the longest limit)");
    assert_eq!(RetryReplay::open(&storm).now(), 600 * SEC, "the retry storm replays 10 minutes");
    let rollout = ROLLOUT.parse_query("preset=canary-1&release=subtle&log=1200000000.rollback&t=1500000000").0;
    let r = RolloutReplay::open(&rollout);
    assert!(r.now() >= 1_200 * SEC, "the rollout replays past its rollback at 20 min: {}", r.now());
    assert_eq!(r.to_state().log.len(), 1, "the rollback is in the link it gives back");
}

#[test]
fn a_burn_rate_link_replays_the_edited_month_exactly() {
    use model::slo_burn::{BurnAction, BurnReplay, BurnRun, Incident, BURN_RATE};
    use Do::*;
    for query in ["", "preset=noisy", "scenario=random&incidents=8&seed=7"] {
        let start = link(&BURN_RATE, query);
        let script = [
            Frames(30, 100),
            Press(BurnAction::Add(Incident { start: 2_000, duration: 60, ppm: 50_000 })),
            Frames(10, 100),
            Press(BurnAction::Move(0, 9_000)),
            Press(BurnAction::Severity(0, 1_000_000)),
            Change("slo", 3.0),
            Frames(20, 100),
            Press(BurnAction::Duration(1, 120)),
            Press(BurnAction::Remove(1)),
            Change("naive", 5.0),
            Step,
        ];
        let (live, opened) = live_then_link::<BurnRun>(&start, &script);
        assert_eq!(live.run().month().incidents(), opened.run().month().incidents(), "{query}");
        assert_eq!(live.run().month().results(), opened.run().month().results(), "{query}");
    }
    // The month's end is inside every link's reach: 720 s of replay clock for 30 days.
    let r = BurnReplay::open(&link(&BURN_RATE, "t=720000000"));
    assert!(r.run().ended());
    // A new month (scenario) restarts the run.
    let mut ui = BURN_RATE.defaults();
    let mut r = BurnReplay::new(&ui);
    r.step(SEC);
    ui.set(&BURN_RATE, "scenario", 2.0);
    assert!(r.change(&ui));
}

#[test]
fn a_conway_link_replays_moves_presses_and_settings_exactly() {
    use model::conway::{ConwayAction, ConwayReplay, ConwayRun, CONWAY, DAY};
    use Do::*;
    for query in ["", "preset=scattered&seed=4", "preset=monolith", "preset=distributed-monolith&lockstep=touched"] {
        let start = link(&CONWAY, query);
        let script = [
            Frames(2, 1), // 16,000 minutes a frame: 11 days
            Press(ConwayAction::Own { service: 3, team: 5 }),
            Step,
            Change("cohesion", 0.4),
            Frames(3, 1),
            Press(ConwayAction::Ship),
            Change("mode", 0.0),
            Frames(3, 1),
            Press(ConwayAction::Own { service: 0, team: 1 }),
            Step,
        ];
        let (live, opened) = live_then_link::<ConwayRun>(&start, &script);
        let settings = if query == "preset=monolith" { 1 } else { 2 }; // its mode is already 0
        assert_eq!(live.log().len(), 3 + settings, "{query}: two moves, a press and the settings");
        assert_eq!(live.run().sim().events_handled(), opened.run().sim().events_handled());
        assert!(live.run().sim().finished() == opened.run().sim().finished(), "{query}");
    }
    // A link's move applies at its time; the ownership shows it.
    let st = link(&CONWAY, &format!("log={}.own.0.5,{}.ship&t={}", DAY, 2 * DAY, 3 * DAY));
    let r = ConwayReplay::open(&st);
    assert_eq!(r.run().sim().ownership()[0], 5);
    assert_eq!(r.snapshot().batch, 2);
    assert_eq!(CONWAY.to_query(&r.to_state()), "log=1440.own.0.5,2880.ship&t=4320");
    // Teams, services and the starting ownership restart the run; the rest apply mid-run.
    let mut ui = CONWAY.defaults();
    let mut r = ConwayReplay::new(&ui);
    r.step(DAY);
    ui.set(&CONWAY, "cohesion", 0.2);
    assert!(!r.change(&ui));
    ui.set(&CONWAY, "teams", 4.0);
    assert!(r.change(&ui));
    assert_eq!(r.now(), 0);
}

#[test]
fn a_secrets_link_replays_its_leaks_exactly() {
    use model::secrets::{SecretsAction, SecretsReplay, SecretsRun, SECRETS};
    use Do::*;
    for query in ["", "ttl=never&detect=exp&seed=5", "ttl=1h&detect=fixed&detect_h=1&revoke=10", "preset=sts-15m"] {
        let start = link(&SECRETS, query);
        let script = [
            Frames(30, 10),
            Press(SecretsAction::Leak),
            Frames(20, 10),
            Change("outage", 30.0),
            Press(SecretsAction::Leak),
            Step,
            Change("capacity", 5.0),
            Frames(10, 10),
        ];
        let (live, opened) = live_then_link::<SecretsRun>(&start, &script);
        assert_eq!(live.snapshot().count, 2, "{query}");
        assert_eq!(live.log().len(), 4, "{query}: two leaks, two settings");
        assert_eq!(opened.snapshot().leaks(), live.snapshot().leaks(), "{query}");
    }
    // A link's leak lands at its time: 10 s of a 60 s timeline of 270 days = day 45.
    let r = SecretsReplay::open(&link(&SECRETS, "log=10000000.leak&t=20000000"));
    assert_eq!(r.snapshot().leaks()[0].at, 45 * 86_400);
    assert_eq!(SECRETS.to_query(&r.to_state()), "log=10000000.leak&t=20000000");
}

/// Seeking: back to `mid` lands on the same moment as a link opened at `mid`, forward again on
/// the same moment as playing straight to the end, and the run's later interventions survive the
/// scrub until a new one replaces them.
fn seeks_like_playing<S: Replayable>(spec: &WidgetSpec, query: &str, mid: Micros, end: Micros)
where
    S::Snapshot: PartialEq + core::fmt::Debug,
{
    let st = link(spec, query);
    let straight = Replay::<S>::open(&State { at_us: end, ..st.clone() });
    let mut r = Replay::<S>::open(&State { at_us: end, ..st.clone() });
    assert_eq!(r.reach(), end, "{}: the timeline ends where the run got to", spec.name);
    r.seek(mid);
    assert_eq!(r.reach(), end, "{}: seeking back keeps the timeline's end", spec.name);
    let at_mid = Replay::<S>::open(&State { at_us: mid, ..st.clone() });
    assert_eq!(r.now(), at_mid.now(), "{}: seek back lands at {mid}", spec.name);
    assert_eq!(r.snapshot(), at_mid.snapshot(), "{}: seek back = opened at {mid}", spec.name);
    assert_eq!(r.to_state().log, straight.to_state().log, "{}: the run's future is kept", spec.name);
    r.seek(end);
    assert_eq!(r.snapshot(), straight.snapshot(), "{}: seek forward = played straight", spec.name);
    assert_eq!(r.to_state(), straight.to_state(), "{}: the same link", spec.name);
    // Seeking before anything happened and back again, twice: still the same run.
    r.seek(0);
    assert_eq!(r.now(), 0);
    r.seek(end);
    assert_eq!(r.snapshot(), straight.snapshot(), "{}: after a scrub to 0", spec.name);
}

#[test]
fn every_simulation_seeks_back_and_forth_to_exactly_the_moment_it_passed() {
    use model::conway::{ConwayRun, CONWAY, DAY};
    use model::queue_semantics::{QueueSemanticsSim, QUEUE_SEMANTICS};
    use model::slo_burn::{BurnRun, BURN_RATE};
    seeks_like_playing::<RetryRuns>(&RETRY_STORM, "log=2000000.outage,9000000.set.budget.10", 4 * SEC, 20 * SEC);
    seeks_like_playing::<RetryRuns>(&RETRY_STORM, "ab=1&preset_b=budget&log=1000000.outage", 7 * SEC + 123, 15 * SEC);
    seeks_like_playing::<PoolSim>(&TIMEOUT_POOL, "log=3000000.slow", 5 * SEC, 30 * SEC);
    seeks_like_playing::<RolloutRuns>(
        &ROLLOUT,
        "preset=canary-1&release=subtle&log=600000000.rollback",
        300 * SEC,
        900 * SEC,
    );
    seeks_like_playing::<QueueSemanticsSim>(&QUEUE_SEMANTICS, "", 20 * SEC, 90 * SEC);
    seeks_like_playing::<BurnRun>(&BURN_RATE, "", 100 * SEC, 400 * SEC);
    seeks_like_playing::<ConwayRun>(&CONWAY, &format!("log={}.ship", DAY), 3 * DAY, 9 * DAY);
    seeks_like_playing::<model::secrets::SecretsRun>(
        &model::secrets::SECRETS,
        "detect=exp&log=5000000.leak,20000000.leak,30000000.set.outage.30",
        25 * SEC,
        60 * SEC,
    );
}

#[test]
fn a_run_ends_at_its_cap_so_every_moment_of_it_scrubs_and_links_exactly() {
    // Played past its cap (as a page left running does), a run stops there: a scrub anywhere in
    // it lands where asked, and the link of the end replays to the same state.
    let st = link(&TIMEOUT_POOL, "log=3000000.slow");
    let mut r = PoolReplay::new(&st);
    let cap = r.limit();
    assert_eq!(cap, 600 * SEC);
    assert!(!r.at_end());
    r.advance_to(3 * cap, u64::MAX);
    assert_eq!((r.now(), r.reach()), (cap, cap), "the run stops at its cap");
    assert!(r.at_end());
    r.step(SEC);
    assert_eq!(r.now(), cap, "a Step at the end goes nowhere");
    r.seek(cap - 7 * SEC);
    assert_eq!(r.now(), cap - 7 * SEC, "a scrub inside the run lands where asked");
    r.seek(cap);
    let shared = PoolReplay::open(&r.to_state());
    assert_eq!(shared.snapshot(), r.snapshot(), "the link of the end is the run");
    // An intervention pressed at the end applies there, and is in the link.
    r.record(cap + 5 * SEC, PoolAction::Slow);
    assert_eq!(r.now(), cap);
    assert_eq!(r.to_state().log.last().map(|(t, _)| *t), Some(cap));
}

#[test]
fn an_intervention_after_a_seek_back_replaces_the_later_part_of_the_log() {
    let st = link(&RETRY_STORM, "log=2000000.outage,9000000.set.budget.10&t=15000000");
    let mut r = RetryReplay::open(&st);
    r.seek(5 * SEC);
    r.record(5 * SEC, RetryAction::Spike);
    let log: Vec<String> = r.to_state().log.into_iter().map(|(_, a)| a).collect();
    assert_eq!(log, ["outage", "spike"], "the budget change at 9 s was the old branch");
    assert_eq!(r.reach(), 5 * SEC, "the timeline ends at the new branch's start");
    r.seek(8 * SEC);
    r.seek(6 * SEC);
    assert_eq!(r.reach(), 8 * SEC);
    // Beyond the link cap and at the start: clamped, no panic.
    r.seek(u64::MAX);
    assert_eq!(r.now(), RetryRuns::MAX_REPLAY_US.min(model::spec::MAX_REPLAY_US));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]
    /// Any sequence of scrubs over a run with interventions lands where a link opened at that
    /// moment lands, whichever copy of the run (or the start) the seek replays from.
    #[test]
    fn any_scrub_lands_on_the_moment_a_link_opens_at(
        seeks in proptest::collection::vec(0u64..=40_000_000, 1..8),
        clients in proptest::sample::select(vec![50u32, 400, 2_000]),
    ) {
        let st = link(&RETRY_STORM, &format!("clients={clients}&log=3000000.outage,12000000.set.budget.10,25000000.spike"));
        let mut r = RetryReplay::open(&State { at_us: 40 * SEC, ..st.clone() });
        for to in seeks {
            r.seek(to);
            let opened = RetryReplay::open(&State { at_us: to, ..st.clone() });
            proptest::prop_assert_eq!(r.now(), opened.now());
            proptest::prop_assert_eq!(r.snapshot(), opened.snapshot(), "at {}", to);
            proptest::prop_assert_eq!(r.to_state().log, st.log.clone());
        }
    }
}
