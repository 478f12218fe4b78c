//! The consistency model: quorum arithmetic against Bailis et al., the linearizability checker on
//! hand-written histories, Cp never violating linearizability (property test), Ap and Async
//! violating it, the scripted tours, determinism.

use model::consistency::*;
use model::des::{Micros, MS, SEC};
use model::rng::Rng;
use proptest::prelude::*;

// --- quorum arithmetic -----------------------------------------------------------------------

#[test]
fn pbs_golden_values() {
    for (n, r, w, want) in [(3, 1, 1, 2.0 / 3.0), (3, 1, 2, 1.0 / 3.0), (5, 2, 2, 0.30), (3, 2, 2, 0.0), (5, 1, 1, 0.8)]
    {
        let got = pbs_stale_probability(n, r, w);
        assert!((got - want).abs() < 1e-9, "PBS({n},{r},{w}) = {got}, want {want}");
    }
}

/// Every write set of size W meets every read set of size R, by enumeration.
fn overlap_by_enumeration(n: u32, r: u32, w: u32) -> bool {
    let sets = |k: u32| (0u32..1 << n).filter(move |m| m.count_ones() == k);
    sets(w).all(|wm| sets(r).all(|rm| wm & rm != 0))
}

#[test]
fn overlap_iff_r_plus_w_exceeds_n() {
    for n in 1..=7 {
        for r in 1..=n {
            for w in 1..=n {
                let o = quorum_overlap(n, r, w);
                assert_eq!(o, r + w > n, "({n},{r},{w})");
                assert_eq!(o, overlap_by_enumeration(n, r, w), "enumeration ({n},{r},{w})");
                assert_eq!(o, pbs_stale_probability(n, r, w) == 0.0, "PBS zero ({n},{r},{w})");
                assert_eq!(write_tolerates(n, w), n - w);
                assert_eq!(read_tolerates(n, r), n - r);
            }
        }
    }
}

#[test]
fn simulated_stale_rate_converges_to_pbs() {
    for (i, (n, r, w)) in [(3, 1, 1), (3, 1, 2), (5, 2, 2), (5, 1, 3), (7, 2, 3), (3, 2, 2)].into_iter().enumerate() {
        let sim = simulate_stale_rate(n, r, w, 40_000, 100 + i as u64);
        let pbs = pbs_stale_probability(n, r, w);
        assert!((sim - pbs).abs() < 0.02, "({n},{r},{w}): simulated {sim}, PBS {pbs}");
    }
}

#[test]
fn quorum_latency_grows_with_k() {
    let p50 = |k| summarize(&quorum_latency_samples(5, k, 10.0, 5.0, 20_000, 3)).p50;
    let ps: Vec<f64> = (1..=5).map(p50).collect();
    assert!(ps.windows(2).all(|w| w[0] < w[1]), "{ps:?}");
    // One replica: the median is the parameter.
    let one = summarize(&quorum_latency_samples(1, 1, 10.0, 5.0, 40_000, 4));
    assert!((one.p50 - 10.0).abs() < 0.3, "{one:?}");
    assert!((one.p99 / 50.0 - 1.0).abs() < 0.08, "{one:?}");
    // The 3rd of 5 has a far shorter tail than a single replica (majority quorums hide stragglers).
    let mid = summarize(&quorum_latency_samples(5, 3, 10.0, 5.0, 40_000, 5));
    assert!(mid.p99 < one.p99 / 2.0, "{mid:?} vs {one:?}");
    assert_eq!(quantile(&[], 0.5), 0.0);
    assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.0);
    assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], f64::NAN), 2.0);
    assert!(quorum_latency_samples(3, 9, f64::NAN, f64::NAN, 10, 1).iter().all(|x| x.is_finite()));
}

// --- the checker -----------------------------------------------------------------------------

const T: Micros = MS;

fn violation_ops(v: &Verdict) -> Vec<OpId> {
    match v {
        Verdict::Violation { ops, .. } => ops.clone(),
        other => panic!("expected a violation, got {other:?}"),
    }
}

#[test]
fn checker_accepts_linearizable_histories() {
    let cases: Vec<(&str, Vec<Op>)> = vec![
        ("empty", vec![]),
        ("read of the initial value", vec![Op::read_ok(0, 0, &[0], 0, 10 * T)]),
        (
            "sequential",
            vec![
                Op::write_ok(0, 0, 1, 0, 10 * T),
                Op::read_ok(1, 1, &[1], 20 * T, 30 * T),
                Op::write_ok(2, 1, 2, 40 * T, 50 * T),
                Op::read_ok(3, 0, &[2], 60 * T, 70 * T),
            ],
        ),
        (
            // Two overlapping writes; reads during the overlap may see either, in a consistent order.
            "concurrent writes",
            vec![
                Op::write_ok(0, 0, 1, 0, 100 * T),
                Op::write_ok(1, 1, 2, 10 * T, 90 * T),
                Op::read_ok(2, 2, &[2], 20 * T, 30 * T),
                Op::read_ok(3, 3, &[1], 40 * T, 50 * T),
                Op::read_ok(4, 2, &[1], 110 * T, 120 * T),
            ],
        ),
        (
            // A write that timed out may have taken effect later.
            "timed-out write applied late",
            vec![
                Op::write_err(0, 0, 7, 0, 10 * T),
                Op::read_ok(1, 1, &[0], 20 * T, 30 * T),
                Op::read_ok(2, 1, &[7], 40 * T, 50 * T),
            ],
        ),
        (
            "pending read imposes nothing",
            vec![
                Op::write_ok(0, 0, 1, 0, 10 * T),
                Op { id: 1, client: 1, kind: OpKind::Read, invoke: 20 * T, complete: None, outcome: Outcome::Pending },
            ],
        ),
    ];
    for (name, h) in cases {
        assert_eq!(check_linearizable(&h), Verdict::Linearizable, "{name}");
        assert!(stale_reads(&h).is_empty(), "{name}");
    }
}

#[test]
fn checker_rejects_and_names_the_offending_ops() {
    // Write 1 completes, then a later read returns 0; unrelated operations around it.
    let h = vec![
        Op::read_ok(0, 2, &[0], 0, 5 * T),
        Op::write_ok(1, 0, 1, 10 * T, 20 * T),
        Op::read_ok(2, 2, &[1], 25 * T, 28 * T),
        Op::read_ok(3, 1, &[0], 30 * T, 40 * T),
        Op::write_ok(4, 0, 5, 50 * T, 60 * T),
        Op::read_ok(5, 2, &[5], 70 * T, 80 * T),
    ];
    let v = check_linearizable(&h);
    assert_eq!(violation_ops(&v), vec![1, 3]);
    if let Verdict::Violation { explanation, .. } = &v {
        assert!(explanation.contains("#3") && explanation.contains("#1"), "{explanation}");
    }
    assert_eq!(stale_reads(&h), vec![3]);

    // The classic: a read sees the new value, a later read the old one (no stale-read by the
    // simple rule for the second read on its own, because write 2 has not completed).
    let h = vec![
        Op::write_ok(0, 0, 1, 0, 10 * T),
        Op::write_ok(1, 0, 2, 20 * T, 100 * T),
        Op::read_ok(2, 1, &[2], 30 * T, 40 * T),
        Op::read_ok(3, 2, &[1], 50 * T, 60 * T),
    ];
    assert_eq!(violation_ops(&check_linearizable(&h)), vec![0, 1, 2, 3]);

    // Siblings: a read returning two values is not a register read.
    let h = vec![
        Op::write_ok(0, 0, 1, 0, 10 * T),
        Op::write_ok(1, 1, 2, 0, 10 * T),
        Op::read_ok(2, 0, &[1, 2], 20 * T, 30 * T),
    ];
    let v = check_linearizable(&h);
    assert_eq!(violation_ops(&v), vec![2]);
    assert!(format!("{v:?}").contains("siblings"));

    // A read of a value whose write was invoked only after the read completed.
    let h = vec![Op::read_ok(0, 0, &[9], 0, 10 * T), Op::write_err(1, 1, 9, 20 * T, 30 * T)];
    assert_eq!(violation_ops(&check_linearizable(&h)), vec![0, 1]);
}

#[test]
fn lost_writes_follow_the_definition() {
    let h = vec![
        Op::write_ok(0, 0, 1, 0, 10 * T),
        Op::write_ok(1, 1, 2, 20 * T, 30 * T),
        Op::write_ok(2, 0, 3, 40 * T, 50 * T),
    ];
    // Final 3: 1 and 2 were overwritten by a later write, nothing lost.
    assert!(lost_writes(&h, &[3]).is_empty());
    // Final 2: write 3 came after the write of 2 and vanished.
    assert_eq!(lost_writes(&h, &[2]), vec![2]);
    // Final 0 (never written): every acknowledged write vanished.
    assert_eq!(lost_writes(&h, &[0]), vec![0, 1, 2]);
    // Concurrent writes: either may legitimately win.
    let h = vec![Op::write_ok(0, 0, 1, 0, 50 * T), Op::write_ok(1, 1, 2, 10 * T, 40 * T)];
    assert!(lost_writes(&h, &[1]).is_empty() && lost_writes(&h, &[2]).is_empty());
}

/// A 40-operation history from four clients with overlapping operations and timed-out writes.
fn busy_history(seed: u64, corrupt: bool) -> Vec<Op> {
    let mut rng = Rng::new(seed);
    let mut h: Vec<Op> = Vec::new();
    let mut value = 0u32;
    let mut t = 0;
    // Linearization points advance; each op's interval is stretched around its point.
    for id in 0..40u32 {
        t += 5 * T + rng.below(10) * T;
        let invoke = t.saturating_sub(rng.below(4) * 5 * T);
        let complete = t + rng.below(4) * 5 * T;
        let client = id % 4;
        if rng.chance(0.5) {
            value += 1;
            if rng.chance(0.2) {
                h.push(Op::write_err(id, client, value, invoke, complete));
            } else {
                h.push(Op::write_ok(id, client, value, invoke, complete));
            }
        } else {
            h.push(Op::read_ok(id, client, &[value], invoke, complete));
        }
    }
    if corrupt {
        // The last read returns the first value.
        let last_read = h.iter().rposition(|o| o.kind == OpKind::Read).unwrap();
        h[last_read].outcome = Outcome::Ok(vec![1]);
    }
    h
}

/// The checker's work, counted in search states rather than timed, so the bound holds on any
/// machine. Measured over these 20 seeds: at most 48 states to accept a linearizable history (about
/// one per operation) and at most 6,449 to reject a corrupted one and shrink the violation (seed
/// 10). The bounds are about twice that, so a change that makes the search blow up fails here.
#[test]
fn checker_searches_few_states_on_forty_operations() {
    const MAX_STATES_LINEARIZABLE: usize = 100;
    const MAX_STATES_VIOLATION: usize = 13_000;
    for seed in 0..20 {
        let h = busy_history(seed, false);
        let (v, states) = check_linearizable_counted(&h);
        assert_eq!(v, Verdict::Linearizable, "seed {seed}");
        assert!(states <= MAX_STATES_LINEARIZABLE, "seed {seed}: {states} states");

        let h = busy_history(seed, true);
        let (v, states) = check_linearizable_counted(&h);
        assert!(v.is_violation(), "seed {seed}: {v:?}");
        assert!(violation_ops(&v).len() <= 4, "seed {seed}: {v:?}");
        assert!(states <= MAX_STATES_VIOLATION, "seed {seed} (with minimization): {states} states");
        assert_eq!(check_linearizable(&h), v, "seed {seed}: the counted checker agrees");
    }
}

// --- the simulation --------------------------------------------------------------------------

/// Plays `mode`'s tour on `params`, then lets the cluster settle.
fn play_tour(params: ClusterParams, seed: u64) -> ClusterSim {
    let mut sim = ClusterSim::new(params, seed);
    for step in tour_steps(params.mode) {
        sim.advance_to(step.at, u64::MAX);
        sim.apply(&step.action).unwrap_or_else(|e| panic!("{:?} at {}: {e}", step.action, step.at));
    }
    sim.advance(3 * SEC);
    sim
}

fn last_read(sim: &ClusterSim, client: u32) -> &Op {
    sim.history().iter().rev().find(|o| o.client == client && o.kind == OpKind::Read).expect("a read")
}

#[test]
fn tour_cp_rejects_the_minority_write_and_stays_linearizable() {
    for seed in 0..10 {
        let sim = play_tour(ClusterParams::CP, seed);
        let h = sim.history();
        let minority = h.iter().find(|o| o.kind == OpKind::Write(2)).unwrap();
        match &minority.outcome {
            Outcome::Err(e) => assert!(e.contains("no quorum"), "seed {seed}: {e}"),
            o => panic!("seed {seed}: minority write {o:?}"),
        }
        let majority = h.iter().find(|o| o.kind == OpKind::Write(3)).unwrap();
        assert!(majority.is_ok(), "seed {seed}: {majority:?}");
        assert_eq!(last_read(&sim, 0).outcome, Outcome::Ok(vec![3]), "seed {seed}");
        let snap = sim.snapshot();
        assert_eq!(snap.verdict, Verdict::Linearizable, "seed {seed}");
        assert!(snap.lost_writes.is_empty() && snap.stale_reads.is_empty());
        assert_eq!(snap.final_values, vec![3]);
        assert!(snap.log.iter().any(|l| l.contains("rejected: no quorum on this side")), "{:#?}", snap.log);
        assert!(snap.log.iter().any(|l| l.contains("elected leader for term")));
        assert_ne!(snap.leader, None);
    }
}

#[test]
fn tour_ap_lww_loses_an_acknowledged_write() {
    let sim = play_tour(ClusterParams::AP_LWW, 1);
    let h = sim.history();
    assert!(h.iter().filter(|o| matches!(o.kind, OpKind::Write(_))).all(Op::is_ok), "{h:#?}");
    assert_eq!(last_read(&sim, 0).outcome, Outcome::Ok(vec![2]));
    let snap = sim.snapshot();
    let lost: Vec<&Op> = snap.lost_writes.iter().map(|&id| &h[id as usize]).collect();
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert_eq!(lost[0].kind, OpKind::Write(3));
    assert_eq!(snap.final_values, vec![2]);
    assert!(snap.verdict.is_violation(), "{:?}", snap.verdict);
    assert!(snap.log.iter().any(|l| l.contains("sloppy quorum")), "{:#?}", snap.log);
}

#[test]
fn tour_ap_siblings_returns_both_values() {
    let sim = play_tour(ClusterParams::AP_SIBLINGS, 1);
    // Siblings come in timestamp order: B's 3 carries the older timestamp (R1's clock is behind).
    assert_eq!(last_read(&sim, 0).outcome, Outcome::Ok(vec![3, 2]));
    let snap = sim.snapshot();
    assert!(snap.lost_writes.is_empty());
    assert_eq!(snap.final_values, vec![3, 2]);
    match &snap.verdict {
        Verdict::Violation { explanation, .. } => assert!(explanation.contains("siblings"), "{explanation}"),
        v => panic!("{v:?}"),
    }
    // Every replica holds both siblings after anti-entropy.
    for r in &snap.replicas {
        let vals: Vec<u32> = r.values.iter().map(|v| v.value).collect();
        assert_eq!(vals, vec![3, 2], "R{}", r.id);
        assert_eq!(r.hints, 0);
    }
}

#[test]
fn tour_async_loses_the_old_primarys_write() {
    let sim = play_tour(ClusterParams::ASYNC, 1);
    let h = sim.history();
    assert!(h.iter().filter(|o| matches!(o.kind, OpKind::Write(_))).all(Op::is_ok), "{h:#?}");
    assert_eq!(last_read(&sim, 0).outcome, Outcome::Ok(vec![3]));
    let snap = sim.snapshot();
    assert_eq!(snap.leader, Some(1));
    let lost: Vec<OpKind> = snap.lost_writes.iter().map(|&id| h[id as usize].kind).collect();
    assert_eq!(lost, vec![OpKind::Write(2)]);
    assert!(snap.verdict.is_violation());
    assert!(snap.log.iter().any(|l| l.contains("discarding write(s) 2")), "{:#?}", snap.log);
    for r in &snap.replicas {
        assert_eq!(r.values.last().map(|v| v.value), Some(3), "R{}", r.id);
    }
}

#[test]
fn async_fails_over_automatically_and_backups_read_stale() {
    let mut sim = ClusterSim::new(ClusterParams::ASYNC, 2);
    sim.advance(100 * MS);
    sim.write(0, 1).unwrap();
    sim.advance(5 * MS); // acknowledged? not yet: a hop to R0 and back
                         // B reads from its backup R1 before the write is shipped there: stale.
    sim.read(1).unwrap();
    sim.advance(200 * MS);
    assert_eq!(sim.history()[1].outcome, Outcome::Ok(vec![0]));
    assert_eq!(stale_reads(sim.history()), Vec::<OpId>::new()); // concurrent with the write: not stale
    sim.partition(&[0]).unwrap();
    sim.advance(1_500 * MS);
    let snap = sim.snapshot();
    assert_eq!(snap.leader, Some(1), "{:#?}", snap.log);
    assert!(snap.log.iter().any(|l| l.contains("automatic failover")));
    assert_eq!(snap.replicas[0].role, Role::Primary); // not fenced: split brain
    assert_eq!(snap.replicas[1].role, Role::Primary);
    sim.heal_all();
    sim.advance(SEC);
    let snap = sim.snapshot();
    assert_eq!(snap.replicas[0].role, Role::Backup);
    assert_eq!(snap.replicas[0].term, 2);
}

#[test]
fn busy_clients_and_a_full_history_are_refused() {
    let mut sim = ClusterSim::new(ClusterParams::CP, 1);
    sim.write(0, 1).unwrap();
    let e = sim.write(0, 2).unwrap_err();
    assert!(e.contains("busy"), "{e}");
    assert!(sim.read(9).is_err());
    assert!(sim.cut(0, 0).is_err());
    assert!(sim.cut(0, sim.client_node(1)).is_err(), "client B's home is R1, not R0");
    assert!(sim.cut(1, sim.client_node(1)).is_ok());
    assert!(sim.partition(&[42]).is_err());
    assert!(sim.failover().is_err());
    sim.heal_all();
    sim.advance(SEC);
    let mut n = 1;
    loop {
        match sim.read(n % 2) {
            Ok(_) => n += 1,
            Err(e) => {
                assert_eq!(e, "history full");
                break;
            }
        }
        sim.advance(200 * MS);
    }
    assert_eq!(sim.history().len(), HISTORY_CAP);
    assert!(sim.snapshot().log.len() <= LOG_CAP);
    sim.advance(2 * SEC);
    assert_eq!(sim.verdict(), Verdict::Linearizable);
}

#[test]
fn a_cut_client_link_times_out() {
    let mut sim = ClusterSim::new(ClusterParams::CP, 1);
    let a = sim.client_node(0);
    sim.cut(a, 0).unwrap();
    sim.write(0, 1).unwrap();
    sim.advance(3 * SEC);
    match &sim.history()[0].outcome {
        Outcome::Err(e) => assert!(e.contains("timeout"), "{e}"),
        o => panic!("{o:?}"),
    }
    sim.heal(a, 0).unwrap();
    sim.read(0).unwrap();
    sim.advance(SEC);
    assert_eq!(sim.history()[1].outcome, Outcome::Ok(vec![0]));
}

#[test]
fn a_slow_link_costs_latency_only_to_quorums_that_wait_for_it() {
    // PACELC's "else latency": W = 3 waits for the slow replica, W = 2 does not.
    let write_latency = |w: u32| {
        let mut sim = ClusterSim::new(ClusterParams { w, ..ClusterParams::AP_LWW }, 1);
        sim.set_link_latency(0, 2, Some(200.0)).unwrap();
        assert_eq!(sim.link_latency_ms(0, 2), Some(200.0));
        sim.write(0, 1).unwrap();
        sim.advance(2 * SEC);
        let op = &sim.history()[0];
        assert!(op.is_ok(), "{op:?}");
        op.complete.unwrap() - op.invoke
    };
    let (fast, slow) = (write_latency(2), write_latency(3));
    assert!(fast < 100 * MS, "{fast}");
    assert!(slow > 400 * MS, "{slow}");
    let mut sim = ClusterSim::new(ClusterParams::CP, 1);
    assert!(sim.set_link_latency(0, 9, Some(1.0)).is_err());
    assert_eq!(sim.link_latency_ms(0, 9), None);
    sim.set_link_latency(0, 1, Some(f64::NAN)).unwrap();
    assert_eq!(sim.link_latency_ms(0, 1), Some(20.0));
}

// --- random scenarios ------------------------------------------------------------------------

/// One random step: an operation by a random idle client, a cut, a heal, a partition or a heal of
/// everything (and failovers in Async mode), then some time passes.
fn random_step(sim: &mut ClusterSim, rng: &mut Rng, next_value: &mut u32) {
    let p = *sim.params();
    let nodes = p.replicas + p.clients;
    match rng.below(10) {
        0..=2 => {
            let c = rng.below(p.clients as u64) as u32;
            *next_value += 1;
            let _ = sim.write(c, *next_value);
        }
        3..=5 => {
            let c = rng.below(p.clients as u64) as u32;
            let _ = sim.read(c);
        }
        6 => {
            let (a, b) = (rng.below(nodes as u64) as u32, rng.below(nodes as u64) as u32);
            let _ = sim.cut(a, b); // may be refused (not a link): fine
        }
        7 => {
            let (a, b) = (rng.below(nodes as u64) as u32, rng.below(nodes as u64) as u32);
            let _ = sim.heal(a, b);
        }
        8 => {
            let side: Vec<u32> = (0..p.replicas).filter(|_| rng.chance(0.4)).collect();
            sim.partition(&side).unwrap();
        }
        _ => {
            if p.mode == Mode::Async && rng.chance(0.3) {
                sim.failover().unwrap();
            } else {
                sim.heal_all();
            }
        }
    }
    sim.advance(rng.below(400) * MS);
}

fn random_run(params: ClusterParams, seed: u64, steps: usize) -> ClusterSim {
    let mut sim = ClusterSim::new(params, seed);
    let mut rng = Rng::new(seed ^ 0xDEAD_BEEF);
    let mut v = 0;
    for _ in 0..steps {
        random_step(&mut sim, &mut rng, &mut v);
    }
    sim.heal_all();
    sim.advance(5 * SEC);
    sim
}

fn finds_violation(params: ClusterParams, label: &str) {
    for seed in 0..200 {
        let sim = random_run(params, seed, 30);
        if let Verdict::Violation { ops, explanation } = sim.verdict() {
            println!("{label}: seed {seed} violates linearizability: ops {ops:?}: {explanation}");
            assert!(!ops.is_empty());
            return;
        }
    }
    panic!("{label}: no violation in 200 random scenarios");
}

#[test]
fn ap_lww_violations_are_found() {
    finds_violation(ClusterParams::AP_LWW, "Ap LWW");
}

#[test]
fn ap_with_overlapping_strict_quorums_is_still_not_linearizable() {
    finds_violation(ClusterParams { sloppy: false, ..ClusterParams::AP_LWW }, "Ap strict R=W=2");
}

#[test]
fn async_violations_are_found() {
    finds_violation(ClusterParams::ASYNC, "Async");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn cp_is_always_linearizable(seed in any::<u64>(), replicas in 3u32..=7, clients in 2u32..=4, steps in 5usize..40) {
        let params = ClusterParams { replicas, clients, ..ClusterParams::CP };
        let sim = random_run(params, seed, steps);
        let snap = sim.snapshot();
        prop_assert_eq!(&snap.verdict, &Verdict::Linearizable, "history {:#?}\nlog {:#?}", snap.history, snap.log);
        prop_assert!(snap.stale_reads.is_empty());
        prop_assert!(snap.lost_writes.is_empty(), "lost {:?}", snap.lost_writes);
        // After healing, a leader exists and every operation has finished.
        prop_assert!(snap.leader.is_some());
        prop_assert!(snap.history.iter().all(|o| o.complete.is_some()));
    }

    #[test]
    fn any_mode_any_params_never_breaks(
        seed in any::<u64>(), mode in 0u8..4, replicas in 0u32..10, clients in 0u32..6,
        latency in -5.0f64..300.0, r in 0u32..9, w in 0u32..9, sloppy in any::<bool>(),
    ) {
        let base = ClusterParams::PRESETS[mode as usize].1;
        let params = ClusterParams { replicas, clients, latency_ms: latency, r, w, sloppy, ..base };
        let sim = random_run(params, seed, 25);
        let snap = sim.snapshot();
        prop_assert!(!matches!(snap.verdict, Verdict::Unknown { .. }), "{:?}", snap.verdict);
        prop_assert!(snap.log.len() <= LOG_CAP);
        for r in &snap.replicas {
            for v in &r.values {
                prop_assert!(v.timestamp_ms.is_finite());
            }
        }
    }
}

// --- determinism -----------------------------------------------------------------------------

#[test]
fn same_seed_same_run() {
    for (name, params) in ClusterParams::PRESETS {
        let a = random_run(params, 7, 40).snapshot();
        let b = random_run(params, 7, 40).snapshot();
        assert_eq!(a, b, "{name}");
        assert!(!a.history.is_empty());
        let floats: Vec<f64> = a.replicas.iter().flat_map(|r| r.values.iter().map(|v| v.timestamp_ms)).collect();
        assert!(floats.iter().all(|x| !x.is_nan()), "{name}");
        let t1 = play_tour(params, 3).snapshot();
        let t2 = play_tour(params, 3).snapshot();
        assert_eq!(t1, t2, "{name} tour");
    }
    // A different seed changes the timing (jitter, election timeouts).
    let a = random_run(ClusterParams::CP, 7, 40).snapshot();
    let c = random_run(ClusterParams::CP, 8, 40).snapshot();
    assert_ne!(a.history, c.history);
}
