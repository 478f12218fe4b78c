//! Conway's calculator against its closed forms (communication paths, the expected longest sprint
//! wait, lockstep deploy success, handoffs) and its own simulation: the presets' ordering,
//! properties of every run, determinism.

mod common;

use common::assert_close;
use model::conway::*;
use model::rng::Rng;
use proptest::prelude::{prop_assert, prop_assert_eq, proptest, ProptestConfig};

/// A preset's first batch, run until every feature has shipped.
fn batch(p: ConwayParams, seed: u64) -> (ConwaySim, ConwaySnapshot) {
    let mut sim = ConwaySim::new(p, seed);
    sim.ship();
    sim.advance(365 * DAY);
    let s = sim.snapshot();
    (sim, s)
}

// ---------------------------------------------------------------------------------------------
// 1. Communication paths
// ---------------------------------------------------------------------------------------------

#[test]
fn paths_all_to_all_and_in_teams() {
    for (n, want) in [(5, 10), (10, 45), (48, 1_128), (100, 4_950)] {
        assert_eq!(all_to_all_paths(n), want, "n = {n}");
    }
    // Six teams of 8, with one liaison link per team pair: 6 · C(8,2) + C(6,2) = 168 + 15.
    assert_eq!(6 * all_to_all_paths(8), 168);
    assert_eq!(all_to_all_paths(6), 15);
    assert_eq!(team_paths(6, 8), 183);
    assert_eq!(all_to_all_paths(6 * 8), 1_128);
    // The widget says so at its defaults.
    let (_, s) = batch(ConwayParams::ALIGNED, 1);
    assert_eq!(s.paths_text(), "1,128 all-to-all vs 183 in teams");
}

// ---------------------------------------------------------------------------------------------
// 2. Waiting for every team's sprint
// ---------------------------------------------------------------------------------------------

#[test]
fn expected_longest_wait_is_sprint_t_over_t_plus_one() {
    for (t, want) in [(1, 5.0), (2, 6.6667), (3, 7.5), (5, 8.3333)] {
        assert_close(expected_max_wait(t, 10.0), want, 5e-5, &format!("t = {t}"));
    }
    // The model's own sampler, seeded: the mean of the longest of t waits of U(0, 10 days).
    let sprint = 10 * DAY;
    let mut rng = Rng::new(7);
    for t in [1u32, 2, 3, 5] {
        let n = 200_000;
        let mut total = 0.0;
        for _ in 0..n {
            let longest = (0..t).map(|_| sample_wait(&mut rng, sprint)).max().unwrap();
            total += longest as f64 / DAY as f64;
        }
        let mean = total / n as f64;
        assert_close(mean, expected_max_wait(t, 10.0), 0.03, &format!("Monte Carlo, t = {t}"));
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Lockstep deploys
// ---------------------------------------------------------------------------------------------

#[test]
fn lockstep_success_is_q_to_the_s() {
    for (s, want) in [(1, 0.99), (5, 0.950990), (10, 0.904382), (20, 0.817907)] {
        assert_close(lockstep_success(s, 0.99), want, 5e-7, &format!("s = {s}"));
    }
    assert_close(lockstep_success(20, 0.99), 0.817_906_937_6, 1e-10, "0.99^20");
    assert_eq!(lockstep_success(0, 0.5), 1.0);
    // A simulated distributed monolith of 12 services: failed lockstep deploys about 1 − 0.99^12.
    let p = ConwayParams { features_per_week: 100.0, ..ConwayParams::DISTRIBUTED_MONOLITH };
    let mut sim = ConwaySim::new(p, 3);
    for _ in 0..9 {
        sim.ship();
        sim.advance(60 * DAY);
    }
    let d = sim.snapshot().deploys;
    let fail = d.failed as f64 / d.attempted as f64;
    assert!(d.attempted >= 900, "{d:?}");
    assert_close(fail, 1.0 - lockstep_success(12, 0.99), 0.035, "lockstep failure rate");
    assert_eq!(sim.snapshot().lockstep_text(), "88.6% for 12 services");
}

// ---------------------------------------------------------------------------------------------
// 4. Handoffs
// ---------------------------------------------------------------------------------------------

#[test]
fn handoffs_are_owning_teams_minus_one() {
    let touched: u16 = 0b111; // services 0, 1, 2
    assert_eq!(handoffs(touched, &[0, 0, 0, 1, 2]), 0, "one owner");
    assert_eq!(handoffs(touched, &[0, 1, 2, 1, 2]), 2, "three owners");
    assert_eq!(handoffs(touched, &[4, 4, 5, 1, 2]), 1);
    assert_eq!(handoffs(0, &[0, 1]), 0);
    // The same through the simulation: k = 3, cohesion 1, a domain of 3 services. One owner: no
    // waits, lead time is the work alone; three owners: two handoffs on every feature.
    let p = ConwayParams { teams: 4, services: 12, touches: 3, cohesion: 1.0, ..ConwayParams::ALIGNED };
    let (sim, s) = batch(p, 5);
    assert_eq!(s.done, BATCH);
    assert_eq!(s.mean_handoffs, 0.0);
    assert!(sim.finished().iter().all(|f| f.teams == 1 && f.lead >= 3 * DAY && f.lead < 3 * DAY + 2 * DAY));
    let mut sim = ConwaySim::new(p, 5);
    // Spread every domain's three services over three teams.
    for s in 0..12 {
        sim.set_owner(s, s % 3 + if s / 3 == 3 { 1 } else { 0 });
    }
    sim.ship();
    sim.advance(365 * DAY);
    let s = sim.snapshot();
    assert_eq!(s.mean_handoffs, 2.0, "{:?}", sim.finished());
    assert_eq!(s.multi_team, 1.0);
}

// ---------------------------------------------------------------------------------------------
// The presets tell the story
// ---------------------------------------------------------------------------------------------

#[test]
fn aligned_microservices_beat_the_monolith_which_beats_scattered_ones() {
    let median = |p: ConwayParams| {
        let meds: Vec<f64> = (1..=5).map(|seed| batch(p, seed).1.median_p85.unwrap().0).collect();
        meds.iter().sum::<f64>() / meds.len() as f64
    };
    let aligned = median(ConwayParams::ALIGNED);
    let monolith = median(ConwayParams::MONOLITH);
    let scattered = median(ConwayParams::SCATTERED);
    let distributed = median(ConwayParams::DISTRIBUTED_MONOLITH);
    println!("median days: aligned {aligned:.2}, monolith {monolith:.2}, scattered {scattered:.2}, distributed {distributed:.2}");
    assert!(aligned < monolith && monolith < scattered && scattered <= distributed + 0.5);
    // Aligned: most features need one team; scattered: most need several.
    let (_, a) = batch(ConwayParams::ALIGNED, 1);
    let (_, s) = batch(ConwayParams::SCATTERED, 1);
    println!("aligned: {a:?}\nscattered: {s:?}");
    assert!(a.multi_team < 0.2 && s.multi_team > 0.8, "{} vs {}", a.multi_team, s.multi_team);
    assert!(s.mean_handoffs > 1.2);
}

#[test]
fn moving_services_and_shipping_again() {
    // Start scattered; move every service to its domain's team; the next batch is faster.
    let mut sim = ConwaySim::new(ConwayParams::SCATTERED, 2);
    sim.ship();
    sim.advance(200 * DAY);
    let before = sim.snapshot().median_p85.unwrap();
    for s in 0..12 {
        sim.set_owner(s, domain_of(s, 6, 12));
    }
    sim.set_owner(99, 0); // ignored
    sim.set_owner(0, 99); // ignored
    assert_eq!(sim.ownership(), ConwayParams::ALIGNED.ownership()[..12].to_vec());
    sim.ship();
    sim.advance(200 * DAY);
    let s = sim.snapshot();
    assert_eq!(s.previous, Some(before));
    assert!(s.median_p85.unwrap().0 < before.0, "{:?} vs {before:?}", s.median_p85);
    assert!(s.previous_text().starts_with("Previous batch: median "));
}

#[test]
fn monolith_waits_for_the_train() {
    let (sim, s) = batch(ConwayParams::MONOLITH, 4);
    assert_eq!(s.done, BATCH);
    // One train deploy carries many features: far fewer deploys than features.
    assert!(s.deploys.attempted < 40, "{:?}", s.deploys);
    assert!(sim.finished().iter().all(|f| f.lead >= 3 * DAY));
}

#[test]
fn ship_is_bounded_and_texts_are_sane() {
    let mut sim = ConwaySim::new(ConwayParams::ALIGNED, 1);
    for _ in 0..20 {
        sim.ship();
    }
    let s = sim.snapshot();
    assert_eq!((s.batch, s.arrived), (20, 0), "each press replaces the batch still to arrive");
    assert_eq!(s.median_text(), model::conway::NONE_SHIPPED);
    // Features in flight stay bounded however fast the presses come: a slow org, many presses.
    let slow = ConwayParams { features_per_week: 1_000.0, work_days: 100.0, ..ConwayParams::SCATTERED };
    let mut busy = ConwaySim::new(slow, 1);
    let mut in_flight = 0;
    for _ in 0..40 {
        busy.ship();
        busy.advance(DAY);
        let s = busy.snapshot();
        in_flight = s.lanes.iter().map(|l| (l.waiting + l.working) as usize).max().unwrap_or(0).max(in_flight);
    }
    assert!(in_flight > 100 && in_flight <= MAX_IN_FLIGHT, "{in_flight}");
    assert_eq!(s.time_text(), "0.0 days");
    sim.advance(DAY + DAY / 2);
    assert_eq!(sim.snapshot().time_text(), "1.5 days");
    assert!(sim.snapshot().lane_text(0).ends_with("working"));
}

// ---------------------------------------------------------------------------------------------
// The widget's settings and run
// ---------------------------------------------------------------------------------------------

#[test]
fn presets_give_the_named_params() {
    for (name, p) in ConwayParams::PRESETS {
        let (st, notes) = CONWAY.parse_query(&format!("preset={name}"));
        assert!(notes.is_empty());
        assert_eq!(conway_params(&st), p.clamped(), "{name}");
    }
    assert_eq!(conway_params(&CONWAY.defaults()), ConwayParams::ALIGNED);
}

#[test]
fn actions_round_trip() {
    for (code, a) in [
        ("ship", ConwayAction::Ship),
        ("own.3.2", ConwayAction::Own { service: 3, team: 2 }),
        ("own.15.7", ConwayAction::Own { service: 15, team: 7 }),
        ("set.cohesion.0.35", ConwayAction::Set { key: "cohesion", value: 0.35 }),
        ("set.mode.2", ConwayAction::Set { key: "mode", value: 2.0 }),
    ] {
        assert_eq!(ConwayAction::parse(code), Some(a), "{code}");
        assert_eq!(a.encode(), code);
    }
    for bad in ["", "ships", "own", "own.1", "own.16.0", "own.1.8", "own.01.1x", "own.-1.0", "set.teams.4", "set.x.1"] {
        assert_eq!(ConwayAction::parse(bad), None, "{bad}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn every_run_keeps_its_invariants(
        seed in 0u64..1_000,
        mode in 0usize..3,
        layout in 0usize..2,
        cohesion in 0.0f64..=1.0,
        touches in 1u32..=6,
        teams in 2u32..=8,
        services in 4u32..=16,
        work in 0.5f64..5.0,
        sprint in 1.0f64..20.0,
        q in 0.9f64..=1.0,
    ) {
        let p = ConwayParams {
            teams,
            services,
            touches,
            cohesion,
            work_days: work,
            sprint_days: sprint,
            deploy_success: q,
            layout: if layout == 0 { Layout::Aligned } else { Layout::Scattered },
            mode: match mode {
                0 => Mode::Monolith { merge_queue_min: 10, train_days: 7 },
                1 => Mode::Microservices,
                _ => Mode::DistributedMonolith { lockstep_all: seed % 2 == 0 },
            },
            ..ConwayParams::BASE
        };
        let run = |seed| {
            let mut sim = ConwaySim::new(p, seed);
            sim.ship();
            sim.advance(40 * DAY);
            sim.set_owner(0, 1);
            sim.advance(400 * DAY);
            sim
        };
        let sim = run(seed);
        let s = sim.snapshot();
        prop_assert_eq!(s.done, BATCH);
        let work = (work * DAY as f64) as u64;
        for f in sim.finished() {
            prop_assert!(f.lead >= work, "lead {} below the work {}", f.lead, work);
            prop_assert!(f.teams >= 1 && f.teams as u32 <= teams.min(touches));
        }
        prop_assert!(s.mean_handoffs <= (teams - 1) as f64);
        prop_assert!(s.deploys.failed < s.deploys.attempted);
        let again = run(seed);
        prop_assert_eq!(again.snapshot(), s);
        prop_assert!(again.finished() == sim.finished());
    }
}

#[test]
fn the_histogram_counts_every_feature_once() {
    let f = |days: u64, teams: u8| Finished { lead: days * DAY + 5, teams };
    let done = [f(0, 1), f(3, 1), f(3, 2), f(9, 5), f(95, 3)];
    assert_eq!(by_teams(&done), [2, 1, 1, 1]);
    let mut bins = [[0u32; TEAM_GROUPS]; 30];
    let (width, used) = histogram(&done, &mut bins);
    assert_eq!((width, used), (4, 24)); // 96 days in bins of 4
    assert_eq!(bins[0], [2, 1, 0, 0]); // days 0 to 3
    assert_eq!(bins[2], [0, 0, 0, 1]);
    assert_eq!(bins[23], [0, 0, 1, 0]);
    assert_eq!(bins.iter().flatten().sum::<u32>(), 5);
    assert_eq!(histogram(&done[..2], &mut bins), (1, 10));
    assert_eq!(histogram(&[], &mut bins), (1, 10));
}

#[test]
fn services_are_named_by_domain() {
    let names: Vec<String> = (0..12).map(|s| service_name(s, 6, 12)).collect();
    assert_eq!(names, ["A1", "A2", "B1", "B2", "C1", "C2", "D1", "D2", "E1", "E2", "F1", "F2"]);
    assert_eq!(service_name(3, 8, 4), "G1"); // more teams than services: some domains are empty
}

#[test]
fn a_press_during_arrivals_replaces_the_rest_of_the_batch() {
    let mut sim = ConwaySim::new(ConwayParams::ALIGNED, 1);
    sim.ship();
    sim.advance(7 * DAY); // about 20 of the first 100 have arrived
    let first = sim.snapshot().arrived;
    assert!(first > 5 && first < 50, "{first}");
    sim.ship();
    sim.advance(365 * DAY);
    let s = sim.snapshot();
    assert_eq!((s.arrived, s.done, s.batch), (BATCH, BATCH, 2));
}

#[test]
fn a_link_with_a_far_playhead_replays_cheaply() {
    // Forty presses, then the clock runs on for the longest playhead a link may carry.
    let log: Vec<String> = (0..40).map(|i| format!("{}.ship", i * DAY)).collect();
    let (st, _) = CONWAY.parse_query(&format!("log={}&t={}", log.join(","), model::spec::MAX_REPLAY_US));
    let r = ConwayReplay::open(&st);
    assert_eq!(r.now(), model::spec::MAX_REPLAY_US);
    assert!(r.run().sim().events_handled() < 40 * BATCH as u64 * 4, "{}", r.run().sim().events_handled());
    assert_eq!(r.snapshot().done, BATCH);
}
