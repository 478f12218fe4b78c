//! Named failure scenarios: every one is a link that parses cleanly and replays within its
//! widget's cap, and, opened with its widget's `Replay`, reaches the state its caption promises.
//! Each check is specific to its scenario and fails on the same widget left alone (its defaults
//! at the same playhead), so a scenario whose link stops producing its moment fails here.

use model::consistency::{ClusterRun, OpKind, Outcome, Role, PARTITION_TOGGLES};
use model::conway::{ConwayRun, CONWAY};
use model::des::{Micros, MS, SEC};
use model::pool::{PoolSim, TIMEOUT_POOL};
use model::queue_semantics::{QueueSemanticsSim, QUEUE_SEMANTICS};
use model::replay::{Replay, Replayable};
use model::retry::{Recovery, RetryRuns, RETRY_STORM};
use model::rollout::{Detector, Phase, RolloutRuns, ROLLOUT};
use model::scenario::{scenario, scenarios, Scenario};
use model::slo_burn::{us_at, BurnRun, BURN_RATE};
use model::spec::{State, WidgetSpec};

/// Fails the check with a message unless `cond`.
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        let holds: bool = $cond;
        if !holds {
            return Err(format!($($msg)+));
        }
    };
}

type Check<S> = fn(&str, &Replay<S>) -> Result<(), String>;

fn parse(spec: &WidgetSpec, link: &str) -> State {
    let (st, notes) = spec.parse_query(link);
    assert!(notes.is_empty(), "{}: {link}: {notes:?}", spec.name);
    st
}

fn near(x: f64, want: f64, tol: f64) -> bool {
    (x - want).abs() <= tol
}

/// Every scenario of `S`'s widget: a clean link that replays every entry it logs, within the
/// widget's cap; its check holds on its run and fails on the widget left alone.
fn each_reaches_its_moment<S: Replayable>(check: Check<S>) {
    let spec = S::SPEC;
    let list = scenarios(spec.name);
    assert!(list.len() >= 4, "{}: at least four scenarios", spec.name);
    for sc in list {
        let st = parse(spec, sc.link);
        assert!(st.at_us > 0, "{}/{}: pauses somewhere (t=)", spec.name, sc.name);
        assert!(
            st.at_us <= S::MAX_REPLAY_US.min(model::spec::MAX_REPLAY_US),
            "{}/{}: t={} is past the widget's replay cap",
            spec.name,
            sc.name,
            st.at_us
        );
        for (t, code) in &st.log {
            assert!(S::parse(code).is_some(), "{}/{}: {t}.{code} is not an action of this widget", spec.name, sc.name);
        }
        let r = Replay::<S>::open(&st);
        assert_eq!(r.now(), st.at_us, "{}/{}: reaches its playhead", spec.name, sc.name);
        assert_eq!(r.log().len(), st.log.len(), "{}/{}: plays its whole log", spec.name, sc.name);
        if let Err(e) = check(sc.name, &r) {
            panic!("{}/{}: {e}\n  link: {}\n  caption: {}", spec.name, sc.name, sc.link, sc.watch_for);
        }
        // The same widget left alone to the same moment (or, where that is the scenario, at
        // its very start) does not pass.
        let alone = if sc.link == format!("t={}", st.at_us) {
            spec.defaults()
        } else {
            State { at_us: st.at_us, ..spec.defaults() }
        };
        let r = Replay::<S>::open(&State { at_us: alone.at_us.max(1), ..alone });
        assert!(check(sc.name, &r).is_err(), "{}/{}: its check also passes on a harmless run", spec.name, sc.name);
    }
}

// ---- the list ------------------------------------------------------------------------------------

const WITH_SCENARIOS: [&str; 8] = [
    "retry-storm",
    "timeout-pool",
    "rollout",
    "queue-semantics",
    "burn-rate",
    "conway",
    "partition-toggles",
    "secrets",
];

#[test]
fn names_are_unique_kebab_case_and_captions_one_short_line() {
    for w in WITH_SCENARIOS {
        let list: &[Scenario] = scenarios(w);
        assert!(list.len() >= 4, "{w}");
        for (i, s) in list.iter().enumerate() {
            let kebab = !s.name.is_empty()
                && s.name.len() <= 40
                && s.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !s.name.starts_with('-')
                && !s.name.ends_with('-')
                && !s.name.contains("--");
            assert!(kebab, "{w}/{}: kebab-case", s.name);
            assert!(list[..i].iter().all(|o| o.name != s.name), "{w}/{}: unique", s.name);
            assert!(scenario(w, s.name) == Some(s), "{w}/{}: found by name", s.name);
            assert!(!s.title.is_empty() && s.title.chars().count() <= 48, "{w}/{}: title {:?}", s.name, s.title);
            assert!(list[..i].iter().all(|o| o.title != s.title), "{w}/{}: titles differ", s.name);
            let n = s.watch_for.chars().count();
            assert!((40..=170).contains(&n), "{w}/{}: caption of {n} characters", s.name);
            assert!(!s.watch_for.contains('\n') && s.watch_for.ends_with('.'), "{w}/{}: one sentence line", s.name);
            assert!(!s.link.starts_with('?') && s.link.contains("t="), "{w}/{}: a query with a playhead", s.name);
        }
    }
    assert!(scenarios("cloud-fit").is_empty());
    assert!(scenarios("no-such-widget").is_empty());
    assert_eq!(scenario("retry-storm", "no-such-scenario"), None);
    // Every widget named here exists.
    for w in WITH_SCENARIOS {
        assert!(model::WIDGETS.iter().any(|s| s.name == w), "{w}");
    }
}

// ---- retry storm ---------------------------------------------------------------------------------

fn retry(name: &str, r: &Replay<RetryRuns>) -> Result<(), String> {
    let s = r.snapshot().a;
    let sim = &r.run().sims()[0];
    let fault_end = sim.faults().last().map(|f| f.start + f.duration);
    match name {
        "blip-becomes-outage" => {
            ensure!(fault_end == Some(4 * SEC), "the 2 s outage ended at 4 s: {fault_end:?}");
            ensure!(!s.fault_active, "no fault now");
            ensure!(matches!(s.recovery, Recovery::Recovering { since_s } if since_s >= 15.9), "{:?}", s.recovery);
            ensure!(s.goodput_ratio < 0.02, "goodput {}", s.goodput_ratio);
            ensure!(near(s.amplification, 4.0, 0.15), "attempts per request {}", s.amplification);
        }
        "backoff-without-jitter" => {
            ensure!(fault_end == Some(4 * SEC), "{fault_end:?}");
            ensure!(matches!(s.recovery, Recovery::Recovering { since_s } if since_s >= 5.9), "{:?}", s.recovery);
            ensure!(s.goodput_ratio < 0.02, "goodput {}", s.goodput_ratio);
            ensure!(near(s.amplification, 3.6, 0.05), "attempts per request {}", s.amplification);
        }
        "retry-budget" => {
            ensure!(
                matches!(s.recovery, Recovery::Recovered { after_s } if near(after_s, 1.6, 0.05)),
                "{:?}",
                s.recovery
            );
            let retries = (s.totals.attempts - s.totals.requests) as f64 / s.totals.requests as f64;
            ensure!(near(retries, 0.036, 0.0005), "retries are {retries} of requests");
            ensure!(s.totals.attempts > s.totals.requests, "some retries were made");
        }
        "flapping-breaker" => {
            ensure!(fault_end == Some(12 * SEC) && !s.fault_active, "the 10 s slowdown is over: {fault_end:?}");
            let states: Vec<u8> = sim.series().iter().map(|w| w.breaker).collect();
            // 0 closed, 1 open, 2 half-open (sampled every 100 ms, so a short half-open may not show).
            let tripped = states.windows(2).filter(|p| p[0] == 0 && p[1] == 1).count();
            let closed = states.windows(2).filter(|p| p[0] != 0 && p[1] == 0).count();
            ensure!(tripped == 3 && closed == 3, "tripped {tripped} and closed {closed} times: {states:?}");
        }
        _ => return Err("no check for this scenario".into()),
    }
    Ok(())
}

#[test]
fn retry_storm_scenarios_reach_their_moment() {
    each_reaches_its_moment::<RetryRuns>(retry);
}

// ---- thread pool ---------------------------------------------------------------------------------

fn pool(name: &str, r: &Replay<PoolSim>) -> Result<(), String> {
    let s = r.snapshot();
    let t = s.totals;
    match name {
        "no-timeouts" => {
            ensure!(s.fault_active, "the slowdown is on");
            ensure!(
                s.threads == 100 && s.busy == s.threads && s.backlog == 200,
                "{}/{} busy, {} waiting",
                s.busy,
                s.threads,
                s.backlog
            );
            ensure!(t.collateral > 0 && t.rejected > 0, "{t:?}");
        }
        "tight-timeouts" => {
            ensure!(!s.fault_active && r.run().faults().is_empty(), "no fault");
            let failed = t.failed as f64 / t.requests as f64;
            ensure!(near(failed, 0.18, 0.005), "failed share {failed}");
            ensure!(t.spurious == t.failed && t.read_timeouts > 0, "{t:?}");
        }
        "balanced-timeouts" => {
            ensure!(s.fault_active && t.read_timeouts > 0, "{t:?}");
            ensure!(s.busy < s.threads * 3 / 4 && s.backlog == 0, "{} busy, {} waiting", s.busy, s.backlog);
            ensure!(t.collateral == 0 && t.rejected == 0 && t.upstream_failed == 0, "{t:?}");
        }
        "loose-timeouts" => {
            ensure!(
                s.fault_active && s.busy == s.threads && s.backlog == 200,
                "{} busy, {} waiting",
                s.busy,
                s.backlog
            );
            ensure!(t.upstream_failed > 0 && t.rejected > 0, "{t:?}");
        }
        "black-hole" => {
            ensure!(s.fault_active && t.connect_timeouts > 0, "{t:?}");
            ensure!(s.busy * 10 < s.threads && t.rejected == 0, "{} busy; {t:?}", s.busy);
        }
        _ => return Err("no check for this scenario".into()),
    }
    Ok(())
}

#[test]
fn timeout_pool_scenarios_reach_their_moment() {
    each_reaches_its_moment::<PoolSim>(pool);
}

// ---- rollout -------------------------------------------------------------------------------------

fn rollout(name: &str, r: &Replay<RolloutRuns>) -> Result<(), String> {
    let s = r.snapshot();
    let a = s.a;
    let b = s.b.ok_or("no comparison run")?;
    let now = r.now();
    match name {
        "canary-catches-a-bug" => {
            ensure!(a.strategy == 3 && b.strategy == 2, "canary against blue/green");
            ensure!(a.detected_by == Some(Detector::Analysis), "{:?}", a.detected_by);
            let after = a.detected_at.zip(a.exposure_at).map(|(d, e)| d - e);
            ensure!(after.is_some_and(|d| (14 * SEC..15 * SEC).contains(&d)), "detected {after:?} after exposure");
            ensure!(a.totals.excess == 10, "canary excess {}", a.totals.excess);
            ensure!(b.detected_by == Some(Detector::Alert), "{:?}", b.detected_by);
            ensure!(b.rollback_at.zip(b.alert_at).map(|(r, p)| r - p) == Some(300 * SEC), "on-call took 5 minutes");
            ensure!(b.rolled_back_at.is_some_and(|t| t <= now), "blue/green rolled back by now");
            ensure!(b.totals.excess == 15_130, "blue/green excess {}", b.totals.excess);
        }
        "big-bang" => {
            ensure!(a.strategy == 0 && a.phase == Phase::RolledBack, "{:?}", a.phase);
            ensure!(a.totals.unserved == 60_000, "unserved {}", a.totals.unserved);
            ensure!(a.totals.excess == 74_720, "excess {}", a.totals.excess);
            ensure!(b.strategy == 3 && b.totals.excess == 10, "the canary's excess {}", b.totals.excess);
        }
        "subtle-regression" => {
            ensure!(a.release_bad && a.detected_at.is_none(), "a bad release, undetected");
            let an = a.analysis.ok_or("no canary analysis")?;
            ensure!(an.requests == 8_027 && an.verdict == Some(true), "{an:?}");
            let exposed = a.exposure_at.ok_or("never exposed")?;
            ensure!(now >= exposed + (13 * 60 + 23) * SEC, "the test needed 13 min 23 s at 1%");
        }
        "cost-of-a-good-release" => {
            ensure!(!a.release_bad && a.totals.excess == 0, "a good release");
            ensure!(
                a.strategy == 2 && a.peak_pods == 2 * a.replicas && a.replicas == 10,
                "blue/green peak {}",
                a.peak_pods
            );
            ensure!(a.full_at.is_some() && a.done_at.is_none(), "blue/green still baking");
            ensure!(
                b.strategy == 1 && b.peak_pods == 13 && b.done_at.is_some_and(|t| t <= now),
                "rolling {:?}",
                b.done_at
            );
        }
        _ => return Err("no check for this scenario".into()),
    }
    Ok(())
}

#[test]
fn rollout_scenarios_reach_their_moment() {
    each_reaches_its_moment::<RolloutRuns>(rollout);
}

// ---- queue semantics -----------------------------------------------------------------------------

fn queue(name: &str, r: &Replay<QueueSemanticsSim>) -> Result<(), String> {
    let s = r.snapshot();
    let (q, log) = (s.queue.totals, s.log.main.totals);
    let max_lag = s.log.main.lag.iter().copied().max().unwrap_or(0);
    match name {
        "slow-order" => {
            ensure!(q.duplicates == 4 && q.stale_deletes == 4 && q.dead_lettered == 1, "queue {q:?}");
            ensure!(log.duplicates == 0 && log.dead_lettered == 0, "log {log:?}");
        }
        "long-visibility" => {
            ensure!(model::value!(QUEUE_SEMANTICS, r.settings(), "vt") == 60.0, "a 60 s visibility timeout");
            ensure!(r.log().len() == 1, "the slow order was sent");
            ensure!(q.duplicates == 0 && q.stale_deletes == 0 && q.dead_lettered == 0, "queue {q:?}");
        }
        "poison-order" => {
            ensure!(q.dead_lettered == 1 && s.queue.visible == 0, "queue {q:?}, {} visible", s.queue.visible);
            ensure!(log.dead_lettered == 1 && max_lag == 101, "log {log:?}, lag {max_lag}");
        }
        "more-partitions" => {
            ensure!(s.log.partitions == 8, "{} partitions", s.log.partitions);
            ensure!(
                log.out_of_order >= 1 && q.out_of_order == 0,
                "log {} out of order, FIFO queue {}",
                log.out_of_order,
                q.out_of_order
            );
        }
        "new-subscriber" => {
            let g = s.log.new_group.ok_or("no new group")?;
            ensure!(g.joined == 60 * SEC && g.retained_at_join == 244 && g.totals.replayed > 0, "{g:?}");
            ensure!(s.queue.visible + s.queue.in_flight < 5, "the queue holds {} messages", s.queue.visible);
        }
        _ => return Err("no check for this scenario".into()),
    }
    Ok(())
}

#[test]
fn queue_semantics_scenarios_reach_their_moment() {
    each_reaches_its_moment::<QueueSemanticsSim>(queue);
}

// ---- burn rate -----------------------------------------------------------------------------------

fn burn(name: &str, r: &Replay<BurnRun>) -> Result<(), String> {
    let s = r.snapshot();
    let m = r.run().month();
    let results = m.results();
    match name {
        "noisy-pages" => {
            ensure!(s.ended && results.len() == 6, "the whole month, six spikes");
            ensure!(results.iter().all(|i| i.cost < 0.01), "each costs under 1%");
            ensure!(s.naive.pages == 6 && s.naive.noise == 6, "naive {:?}", s.naive);
            ensure!(s.multi.pages == 0, "multi {:?}", s.multi);
        }
        "slow-burn" => {
            let i = results.first().ok_or("no incident")?;
            ensure!(i.incident.ppm == 10_000 && i.incident.duration == 2_160, "1% for a day and a half");
            let d = i.multi.ok_or("the burn-rate rules never detected it")?;
            ensure!(d.at - i.incident.start == 215 && near(d.spent, 0.049, 0.0005), "{d:?}");
            ensure!(s.minute >= d.at && s.multi.pages == 1 && s.naive.pages == 0, "{:?} {:?}", s.multi, s.naive);
            ensure!(i.naive.is_none(), "the naive rule never fires");
        }
        "big-outage" => {
            let i = results.first().ok_or("no incident")?;
            let (n, mu) = (i.naive.ok_or("naive missed")?, i.multi.ok_or("multi missed")?);
            ensure!(n.at == i.incident.start + 1 && mu.at == i.incident.start + 1, "{n:?} {mu:?}");
            ensure!(near(mu.spent, 0.023, 0.0005), "spent {}", mu.spent);
            ensure!(near(i.cost, 1.04, 0.005) && s.remaining < 0.0, "cost {}, remaining {}", i.cost, s.remaining);
            ensure!(s.minute >= i.incident.start + i.incident.duration, "the outage is over");
        }
        "a-month-of-everything" => {
            ensure!(s.ended, "the month's end");
            ensure!(s.naive.pages == 3 && s.naive.noise == 2 && s.naive.misses == 1, "naive {:?}", s.naive);
            let leak = results.iter().find(|i| i.naive.is_none()).ok_or("no missed incident")?;
            ensure!(near(leak.cost, 0.33, 0.005), "the leak cost {}", leak.cost);
            ensure!(s.multi.noise == 0 && s.multi.misses == 0 && s.multi.detected == 2, "multi {:?}", s.multi);
        }
        _ => return Err("no check for this scenario".into()),
    }
    Ok(())
}

#[test]
fn burn_rate_scenarios_reach_their_moment() {
    // The playheads are the minutes the captions speak of.
    let at = |name: &str| parse(&BURN_RATE, scenario("burn-rate", name).unwrap().link).at_us;
    assert_eq!(at("slow-burn"), us_at(14_760 + 220));
    assert_eq!(at("big-outage"), us_at(17_460 + 50));
    each_reaches_its_moment::<BurnRun>(burn);
}

// ---- Conway --------------------------------------------------------------------------------------

fn conway(name: &str, r: &Replay<ConwayRun>) -> Result<(), String> {
    let s = r.snapshot();
    let median = s.median_p85.map(|(m, _)| m).ok_or("nothing finished")?;
    ensure!(s.done == 100 && s.batch == 1, "the first 100 features are done: {}", s.done);
    match name {
        "aligned-teams" => {
            ensure!(
                near(median, 3.0, 0.05) && near(s.multi_team, 0.12, 1e-9),
                "median {median}, multi {}",
                s.multi_team
            );
        }
        "scattered-ownership" => {
            ensure!(s.multi_team == 1.0 && near(s.mean_handoffs, 1.45, 1e-9), "{} {}", s.multi_team, s.mean_handoffs);
            ensure!(near(median, 8.6, 0.05), "median {median}");
        }
        "monolith-train" => {
            ensure!(s.mode == 0 && s.deploys.attempted == 7, "{:?}", s.deploys);
            ensure!(near(median, 6.1, 0.05), "median {median}");
        }
        "distributed-monolith" => {
            ensure!(s.mode == 2 && s.lockstep_services == 12, "lockstep of {}", s.lockstep_services);
            ensure!(near(s.deploy_success.powi(12), 0.886, 0.0005), "{}", s.deploy_success);
            ensure!(s.deploys.attempted == 107 && s.deploys.failed == 7, "{:?}", s.deploys);
            ensure!(near(median, 9.4, 0.05), "median {median}");
        }
        _ => return Err("no check for this scenario".into()),
    }
    Ok(())
}

#[test]
fn conway_scenarios_reach_their_moment() {
    each_reaches_its_moment::<ConwayRun>(conway);
}

// ---- partition toggles ---------------------------------------------------------------------------

fn partition(name: &str, r: &Replay<ClusterRun>) -> Result<(), String> {
    let s = r.snapshot();
    let rep = |i: usize| &s.replicas[i];
    let values = |i: usize| s.replicas[i].values.iter().map(|v| v.value).collect::<Vec<u32>>();
    let op = |client: u32, kind: OpKind| s.history.iter().find(|o| o.client == client && o.kind == kind);
    match name {
        "split-brain" => {
            ensure!(rep(0).role == Role::Primary && rep(0).term == 1, "R0 still primary of epoch 1: {:?}", rep(0));
            ensure!(rep(1).role == Role::Primary && rep(1).term == 2, "R1 primary of epoch 2: {:?}", rep(1));
            ensure!(values(0) == [2] && values(1) == [3], "R0 {:?}, R1 {:?}", values(0), values(1));
            ensure!(s.history.iter().filter(|o| o.is_ok()).count() == 3, "all three writes acknowledged");
        }
        "stale-read" => {
            let w = op(0, OpKind::Write(1)).filter(|o| o.is_ok()).ok_or("A's write")?;
            let rd = op(1, OpKind::Read).ok_or("B's read")?;
            ensure!(rd.outcome == Outcome::Ok(vec![0]), "B read {:?}", rd.outcome);
            let done = w.complete.ok_or("pending")?;
            ensure!((530 * MS..550 * MS).contains(&done), "acknowledged at {done}");
            ensure!((150 * MS..170 * MS).contains(&(rd.invoke - done)), "read {} µs later", rd.invoke - done);
            ensure!(s.stale_reads == [rd.id] && values(1).is_empty(), "{:?}", s.stale_reads);
        }
        "minority-refuses" => {
            let refused = op(0, OpKind::Write(2)).ok_or("A's write of 2")?;
            let waited = refused.complete.map(|c| c - refused.invoke);
            ensure!(
                matches!(&refused.outcome, Outcome::Err(e) if e.contains("no quorum")) && waited >= Some(SEC),
                "{refused:?}"
            );
            ensure!(op(1, OpKind::Write(3)).is_some_and(|o| o.is_ok()), "B's 3 committed");
            ensure!(s.leader == Some(1) && values(1) == [3] && values(2) == [3], "majority side {:?}", s.replicas);
            ensure!(s.verdict == model::consistency::Verdict::Linearizable, "{:?}", s.verdict);
        }
        "heal-and-repair" => {
            ensure!(s.clients.len() == 3 && s.cut_links.is_empty(), "healed: {:?}", s.cut_links);
            ensure!((0..3).all(|i| values(i) == [1] && rep(i).hints == 0), "{:?}", s.replicas);
            let rd = op(2, OpKind::Read).ok_or("C's read")?;
            ensure!(rd.outcome == Outcome::Ok(vec![1]), "C read {:?}", rd.outcome);
        }
        _ => return Err("no check for this scenario".into()),
    }
    Ok(())
}

#[test]
fn partition_toggles_scenarios_reach_their_moment() {
    each_reaches_its_moment::<ClusterRun>(partition);
}

/// The heal-and-repair run on its way: R2 missed the write (R0 kept a hint), then held it
/// after C's read, while its link to R0 was still cut: read repair, not the heal.
#[test]
fn read_repair_came_before_the_heal() {
    let st = parse(&PARTITION_TOGGLES, scenario("partition-toggles", "heal-and-repair").unwrap().link);
    let at = |t: Micros| Replay::<ClusterRun>::open(&State { at_us: t, ..st.clone() }).snapshot();
    let before = at(700 * MS);
    assert!(before.replicas[2].values.is_empty() && before.replicas[0].hints == 1, "{:?}", before.replicas);
    let after_read = at(1_000 * MS);
    assert_eq!(after_read.cut_links, [(0, 2)]);
    assert_eq!(after_read.replicas[2].values.iter().map(|v| v.value).collect::<Vec<_>>(), [1]);
    assert_eq!(after_read.replicas[0].hints, 1, "the hint waits for the heal");
}

/// Scenario links are links the app writes: sharing a scenario's run again gives the same run.
#[test]
fn a_scenario_shared_again_is_the_same_run() {
    fn again<S: Replayable>()
    where
        S::Snapshot: PartialEq + core::fmt::Debug,
    {
        let spec = S::SPEC;
        for sc in scenarios(spec.name) {
            let r = Replay::<S>::open(&parse(spec, sc.link));
            let back = parse(spec, &spec.to_query(&r.to_state()));
            assert_eq!(Replay::<S>::open(&back).snapshot(), r.snapshot(), "{}/{}", spec.name, sc.name);
        }
    }
    again::<RetryRuns>();
    again::<PoolSim>();
    again::<RolloutRuns>();
    again::<QueueSemanticsSim>();
    again::<BurnRun>();
    again::<ConwayRun>();
    again::<ClusterRun>();
    let _ = (&RETRY_STORM, &TIMEOUT_POOL, &ROLLOUT, &CONWAY);
}

// ---- secrets -------------------------------------------------------------------------------------

fn secrets(name: &str, r: &Replay<model::secrets::SecretsRun>) -> Result<(), String> {
    use model::secrets::Closed;
    let s = r.snapshot();
    let leaks = s.leaks();
    let now = s.now_s;
    const DAY: u64 = 86_400;
    match name {
        "never-rotated" => {
            ensure!(leaks.len() == 1 && leaks[0].closed(now) == Closed::Open, "{leaks:?}");
            ensure!(leaks[0].at / DAY == 60 && leaks[0].exposed(now) / DAY == 669, "{leaks:?} at {now}");
        }
        "ninety-day-rotation" => {
            ensure!(leaks.len() == 2, "{leaks:?}");
            for l in leaks {
                ensure!(l.closed(now) == Closed::Expired, "{l:?}");
                ensure!(near(l.exposed(now) as f64 / DAY as f64, 50.5, 0.05), "{l:?}");
            }
        }
        "detected-and-revoked" => {
            ensure!(leaks.len() == 1 && leaks[0].closed(now) == Closed::Revoked, "{leaks:?}");
            ensure!(leaks[0].exposed(now) == 72 * 3_600 + 1_800, "{leaks:?}");
        }
        "fifteen-minute-credentials" => {
            ensure!(leaks.len() == 3 && leaks.iter().all(|l| l.closed(now) == Closed::Expired), "{leaks:?}");
            let longest = leaks.iter().map(|l| l.exposed(now)).max().unwrap_or(0);
            ensure!(longest == 730 && longest < 15 * 60, "{leaks:?}");
        }
        _ => return Err("no check for this scenario".into()),
    }
    Ok(())
}

#[test]
fn secrets_scenarios_reach_their_moment() {
    each_reaches_its_moment::<model::secrets::SecretsRun>(secrets);
}
