//! One standard run of every simulation, reduced to a fingerprint, for checking that a seed gives
//! the same run on every platform: the model tests compare [`fingerprints`] with [`EXPECTED`]
//! natively, and the component tests (`tests/components.rs`) make the same comparison in wasm in
//! Chromium. A run that diverges by one event anywhere changes its snapshot, and with it the
//! fingerprint.
//!
//! A fingerprint is FNV-1a over the `Debug` text of the run's final snapshot. Rust prints floats as
//! the shortest text that reads back to the same bits, so equal texts mean equal values.
//!
//! When a model change moves a run on purpose, update [`EXPECTED`] from the native test's
//! message, and the wasm test checks the new values too.

use crate::consistency::{tour_steps, ClusterParams, ClusterSim};
use crate::conway::{ConwayParams, ConwaySim, DAY};
use crate::des::{MS, SEC};
use crate::jitter::{JitterParams, JitterSim};
use crate::pool::{PoolFault, PoolFaultKind, PoolParams, PoolSim};
use crate::queue_semantics::{MessageKind, QueueSemanticsParams, QueueSemanticsSim};
use crate::retry::{Fault, FaultKind, RetryParams, RetrySim};
use crate::rollout::{Release, RolloutParams, RolloutSim};

/// The fingerprints the standard runs must produce, on every platform.
pub const EXPECTED: [(&str, u64); 10] = [
    ("retry storm, naive, outage", 0x6b32_306d_4568_6b40),
    ("retry storm, breaker, latency spike", 0x1e84_82c5_3ba8_273c),
    ("timeout pool, balanced, slow then black hole", 0x9c8f_35a5_a1f0_5dd4),
    ("jitter, Brooker's setup", 0x2b9c_e70b_e119_e531),
    ("cluster, every preset's tour", 0x0b14_5c30_bfb4_0edb),
    ("rollout, every preset and release, one rolled back by hand", 0x38da_1eac_86de_35f9),
    ("queue semantics, every button", 0xbdb5_9d60_807d_30d6),
    ("burn rate, every named month and a random one, edited", 0xcdea_964a_e4a2_2a20),
    ("conway, every preset, a service moved, two batches", 0xf215_fdc1_726a_e055),
    ("secrets, every preset, three leaks", 0xfbc3_74f0_ce31_ebb7),
];

/// Runs every standard run and returns its name and fingerprint, in the order of [`EXPECTED`].
pub fn fingerprints() -> [(&'static str, u64); 10] {
    let retry = |p: RetryParams, kind: FaultKind| {
        let mut sim = RetrySim::new(RetryParams { clients: 800, ..p }, 42);
        sim.inject(Fault { kind, start: 3 * SEC, duration: 2 * SEC });
        sim.advance(12 * SEC);
        fnv(&format!("{:?}", sim.snapshot()))
    };
    let pool = {
        let mut sim = PoolSim::new(PoolParams::BALANCED, 42);
        sim.inject(PoolFault { kind: PoolFaultKind::Slow(8.0), start: 2 * SEC, duration: 3 * SEC });
        sim.inject(PoolFault { kind: PoolFaultKind::BlackHole, start: 7 * SEC, duration: 2 * SEC });
        sim.advance(12 * SEC);
        fnv(&format!("{:?}", sim.snapshot()))
    };
    let jitter = {
        let mut sim = JitterSim::new(JitterParams::BROOKER, 42);
        sim.advance(200_000);
        fnv(&format!("{:?}", sim.snapshot()))
    };
    let cluster = {
        let mut text = String::new();
        for (name, params) in ClusterParams::PRESETS {
            let mut sim = ClusterSim::new(params, 42);
            for step in tour_steps(params.mode) {
                sim.advance_to(step.at, u64::MAX);
                let _ = sim.apply(&step.action);
            }
            sim.advance(500 * MS);
            text.push_str(name);
            text.push_str(&format!("{:?}", sim.snapshot()));
        }
        fnv(&text)
    };
    let rollout = {
        let mut text = String::new();
        for (name, params) in RolloutParams::PRESETS {
            for release in Release::ALL {
                let mut sim = RolloutSim::new(params.with_release(release), 42);
                sim.advance(100 * SEC);
                if release == Release::SubtleRegression {
                    sim.roll_back_now();
                }
                sim.advance(300 * SEC);
                text.push_str(name);
                text.push_str(&format!("{:?}{:?}", sim.snapshot(), sim.series().last()));
            }
        }
        fnv(&text)
    };
    let semantics = {
        // The defaults with a FIFO queue and cooperative sticky rebalancing, every button pressed
        // once, the trace included.
        let p = QueueSemanticsParams {
            assignor: crate::queue_semantics::Assignor::CooperativeSticky,
            ..QueueSemanticsParams::FIFO
        };
        let mut sim = QueueSemanticsSim::new(p, 42);
        sim.advance(20 * SEC);
        sim.publish(0, 45 * SEC, MessageKind::Slow);
        sim.publish(1, 500 * MS, MessageKind::Poison);
        sim.advance(10 * SEC);
        sim.crash();
        sim.advance(30 * SEC);
        sim.add_partitions();
        sim.advance(5 * SEC);
        sim.subscribe_new_group();
        sim.advance(240 * SEC);
        let mut text = format!("{:?}", sim.snapshot());
        for t in sim.trace().iter() {
            text.push_str(&format!("{t:?}"));
        }
        fnv(&text)
    };
    let burn = {
        use crate::replay::Replayable;
        use crate::slo_burn::{BurnAction, BurnRun, Incident, BURN_RATE};
        let mut text = String::new();
        for q in [
            "preset=month",
            "preset=quiet",
            "preset=slow-burn",
            "preset=big-outage",
            "preset=noisy",
            "scenario=random&seed=42",
        ] {
            let mut st = BURN_RATE.parse_query(q).0;
            let mut run = BurnRun::start(&st);
            run.run_to(200 * SEC, u64::MAX);
            run.apply(&mut st, &BurnAction::Add(Incident { start: 5_000, duration: 90, ppm: 20_000 }));
            run.apply(&mut st, &BurnAction::Set { key: "baseline", value: 0.05 });
            run.run_to(u64::MAX, u64::MAX);
            text.push_str(&format!("{:?}{:?}", run.snapshot(), run.month().results()));
        }
        fnv(&text)
    };
    let conway = {
        let mut text = String::new();
        for (name, params) in ConwayParams::PRESETS {
            let mut sim = ConwaySim::new(params, 42);
            sim.ship();
            sim.advance(30 * DAY);
            sim.set_owner(0, 3);
            sim.ship();
            sim.advance(200 * DAY);
            text.push_str(name);
            text.push_str(&format!("{:?}{:?}", sim.snapshot(), sim.finished()));
        }
        fnv(&text)
    };
    let secrets = {
        use crate::secrets::{Detection, SecretsParams, SecretsRun};
        let mut text = String::new();
        for (name, params) in SecretsParams::PRESETS {
            for detection in Detection::ALL {
                let mut run = SecretsRun::new(SecretsParams { detection, ..params }, 42);
                for t in [5 * SEC, 20 * SEC, 21 * SEC] {
                    crate::replay::Replayable::run_to(&mut run, t, u64::MAX);
                    run.leak();
                }
                crate::replay::Replayable::run_to(&mut run, u64::MAX, u64::MAX);
                text.push_str(name);
                text.push_str(&format!("{:?}", run.snapshot()));
            }
        }
        fnv(&text)
    };
    [
        (EXPECTED[0].0, retry(RetryParams::NAIVE, FaultKind::Outage)),
        (EXPECTED[1].0, retry(RetryParams::WITH_BREAKER, FaultKind::LatencySpike(6.0))),
        (EXPECTED[2].0, pool),
        (EXPECTED[3].0, jitter),
        (EXPECTED[4].0, cluster),
        (EXPECTED[5].0, rollout),
        (EXPECTED[6].0, semantics),
        (EXPECTED[7].0, burn),
        (EXPECTED[8].0, conway),
        (EXPECTED[9].0, secrets),
    ]
}

/// 64-bit FNV-1a.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3))
}
