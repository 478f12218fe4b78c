//! What a widget does every animation frame — advance the run and read what it draws — allocates
//! nothing once the run has reached its working size (issue #9: a frame allocates nothing), but for
//! the copies a replay session keeps for its timeline (`Replay::copies`). The
//! allocator of this test binary counts the current thread's allocations.

use model::des::{MS, SEC};
use model::pool::{PoolFault, PoolFaultKind, PoolParams, PoolReplay, PoolSim};
use model::retry::{Fault, FaultKind, RetryParams, RetryReplay, RetrySim};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Allocations made by 120 calls of `frame` (which returns a checksum of what it read, so the
/// reads are not optimised away).
fn allocations_in_frames(mut frame: impl FnMut() -> u64) -> u64 {
    let before = ALLOCATIONS.with(Cell::get);
    let checksum: u64 = (0..120).map(|_| frame()).sum();
    let n = ALLOCATIONS.with(Cell::get) - before;
    assert!(checksum > 0);
    n
}

/// Allocations made by 120 calls of `frame` in the frames that took no copy of the run for its
/// timeline (`frame` returns a checksum and `Replay::copies`): a copy allocates, and so does a
/// chart history's new chunk while copies share its old ones (`model::stats::ring_chunks_made`,
/// one per 32 windows, two allocations each: its `Arc` and its buffer); anything else in a frame
/// must not. At least a sixth of the frames take none (asserted: the heaviest run, 5,000
/// clients twice, copies in three frames of four at 100×), so the count covers the steady state.
fn allocations_between_copies(mut frame: impl FnMut() -> (u64, u64)) -> u64 {
    let (mut n, mut counted, mut checksum) = (0, 0, 0);
    let mut copies = frame().1;
    for _ in 0..120 {
        let before = ALLOCATIONS.with(Cell::get);
        let chunks = model::stats::ring_chunks_made();
        let (sum, c) = frame();
        let made = ALLOCATIONS.with(Cell::get) - before - 2 * (model::stats::ring_chunks_made() - chunks);
        checksum += sum;
        if c == copies {
            n += made;
            counted += 1;
        }
        copies = c;
    }
    assert!(checksum > 0);
    assert!(counted >= 20, "only {counted} of 120 frames took no copy of the run");
    n
}

/// A frame at 100× speed: 1.67 s of simulated time in chunks, as the widget's frame loop does.
const FRAME: u64 = 1_667 * MS;

#[test]
fn a_retry_storm_frame_allocates_nothing() {
    for p in [RetryParams::NAIVE, RetryParams::WITH_BREAKER] {
        let mut sim = RetrySim::new(RetryParams { clients: 5_000, ..p }, 7);
        sim.inject(Fault { kind: FaultKind::Outage, start: 5 * SEC, duration: 2 * SEC });
        sim.inject(Fault { kind: FaultKind::Outage, start: 80 * SEC, duration: 2 * SEC });
        sim.advance(60 * SEC + 600 * 100 * MS); // past the first storm and a full chart history
        let n = allocations_in_frames(|| {
            let to = sim.now() + FRAME;
            while !sim.advance_to(to, 2_048).reached {}
            // What the picture, the charts and the readouts read.
            let s = sim.snapshot();
            let mut checksum = s.queue_len as u64 + sim.client_states().iter().map(|&c| c as u64).sum::<u64>();
            sim.for_each_worker(|w| checksum += w as u64);
            sim.for_each_queued(|z| checksum += z as u64);
            checksum + sim.series().iter().map(|x| x.attempts as u64).sum::<u64>()
        });
        assert_eq!(n, 0, "{p:?}: {n} allocations in 120 frames (including a second outage)");
    }
}

#[test]
fn a_thread_pool_frame_allocates_nothing() {
    for fault in [PoolFaultKind::Slow(20.0), PoolFaultKind::BlackHole] {
        let mut sim = PoolSim::new(PoolParams::NO_TIMEOUTS, 7);
        sim.inject(PoolFault { kind: fault, start: 5 * SEC, duration: 15 * SEC });
        sim.inject(PoolFault { kind: fault, start: 100 * SEC, duration: 15 * SEC });
        sim.advance(80 * SEC);
        let n = allocations_in_frames(|| {
            let to = sim.now() + FRAME;
            while !sim.advance_to(to, 2_048).reached {}
            let s = sim.snapshot();
            s.busy as u64
                + sim.threads_busy().iter().map(|&b| b as u64).sum::<u64>()
                + sim.series().iter().map(|x| x.busy as u64).sum::<u64>()
        });
        assert_eq!(n, 0, "{fault:?}: {n} allocations in 120 frames (including a second fault)");
    }
}

#[test]
fn a_replay_session_frame_allocates_nothing() {
    // The widgets' sessions: the retry storm in A/B mode (both runs advanced in time order) and
    // the pool, each replaying a link whose last fault comes during the counted frames.
    let st = |spec: &model::spec::WidgetSpec, q: &str| spec.parse_query(q).0;
    let mut retry = RetryReplay::new(&st(
        &model::retry::RETRY_STORM,
        "ab=1&clients=5000&log=5000000.outage,30000000.set.load.90,150000000.outage",
    ));
    retry.advance_to(120 * SEC, u64::MAX);
    let n = allocations_between_copies(|| {
        let to = retry.now() + FRAME;
        while !retry.advance_to(to, 2_048).reached {}
        let s = retry.snapshot();
        let sum =
            s.a.queue_len as u64 + s.b.map_or(0, |b| b.totals.attempts) + retry.run().sims()[1].series().len() as u64;
        (sum, retry.copies())
    });
    assert_eq!(n, 0, "A/B retry storm: {n} allocations in 120 frames");
    let mut pool = PoolReplay::new(&st(&model::pool::TIMEOUT_POOL, "log=5000000.slow,100000000.blackhole"));
    pool.advance_to(80 * SEC, u64::MAX);
    let n = allocations_between_copies(|| {
        let to = pool.now() + FRAME;
        while !pool.advance_to(to, 2_048).reached {}
        (pool.snapshot().busy as u64 + pool.run().series().len() as u64, pool.copies())
    });
    assert_eq!(n, 0, "thread pool: {n} allocations in 120 frames");
}

#[test]
fn a_rollout_frame_allocates_nothing() {
    // The rollout widget's session: a 1 % canary against blue/green on an obvious bug, and a
    // rolling update against a recreate on a subtle regression rolled back by hand, over 200
    // simulated seconds of detection, pages, rollbacks and a run's end.
    use model::rollout::{RolloutReplay, ROLLOUT};
    for q in ["", "release=subtle&preset=rolling&compare=big-bang&log=150000000.rollback"] {
        let mut r = RolloutReplay::new(&ROLLOUT.parse_query(q).0);
        r.advance_to(60 * SEC, u64::MAX);
        let n = allocations_between_copies(|| {
            let to = r.now() + FRAME;
            while !r.advance_to(to, 2_048).reached {}
            let s = r.snapshot();
            let series = r.run().sims().iter().map(|s| s.series().iter().map(|x| x.excess as u64).sum::<u64>());
            (s.a.totals.requests + s.b.map_or(0, |b| b.totals.excess) + series.sum::<u64>(), r.copies())
        });
        assert_eq!(n, 0, "{q:?}: {n} allocations in 120 frames");
    }
}

#[test]
fn a_queue_semantics_frame_allocates_nothing() {
    // The widget's session replaying a link with every button, the last press (a crash, then
    // its rebalances) during the counted frames; each frame also reads what the picture draws.
    use model::queue_semantics::{QueueSemanticsReplay, Side, QUEUE_SEMANTICS};
    let (st, _) = QUEUE_SEMANTICS
        .parse_query("log=5000000.slow,6000000.poison,20000000.partitions,21000000.subscribe,150000000.crash");
    let mut run = QueueSemanticsReplay::new(&st);
    run.advance_to(140 * SEC, u64::MAX);
    let n = allocations_between_copies(|| {
        let to = run.now() + FRAME;
        while !run.advance_to(to, 2_048).reached {}
        let s = run.snapshot();
        let sim = run.run();
        let mut checksum = s.orders + s.log.main.lag_total;
        for side in [Side::Queue, Side::Log { group: 0 }, Side::Log { group: 1 }] {
            sim.for_each_consumer(side, |c| checksum += u64::from(c.partitions) + 1);
            for lane in 0..4 {
                checksum += sim.lane(side, lane).map_or(0, |l| l.iter().map(|c| u64::from(c.seq)).sum::<u64>());
            }
        }
        (checksum + sim.trace().len() as u64, run.copies())
    });
    assert_eq!(n, 0, "queue semantics: {n} allocations in 120 frames");
}

#[test]
fn a_burn_rate_frame_allocates_nothing() {
    // The burn-rate widget's session: a frame moves the playhead and reads the snapshot (the
    // tallies walk the alerts and incidents) and the month's alerts and incidents.
    use model::slo_burn::{BurnReplay, BURN_RATE};
    for q in ["", "preset=noisy&log=1000000.add.3000.60.1000000"] {
        let mut r = BurnReplay::new(&BURN_RATE.parse_query(q).0);
        r.advance_to(2 * SEC, u64::MAX);
        let n = allocations_between_copies(|| {
            let to = r.now() + FRAME;
            while !r.advance_to(to, 2_048).reached {}
            let s = r.snapshot();
            let m = r.run().month();
            (
                s.minute as u64 + s.naive.pages as u64 + m.results().len() as u64 + m.multi_pages().len() as u64,
                r.copies(),
            )
        });
        assert_eq!(n, 0, "{q:?}: {n} allocations in 120 frames");
    }
}

#[test]
fn a_conway_frame_allocates_nothing() {
    // The widget's session at 100× (100 simulated days a second, in minutes), every mode, a
    // second batch shipped and a service moved during the counted frames.
    use model::conway::{ConwayReplay, CONWAY, DAY};
    for q in ["", "preset=monolith", "preset=distributed-monolith", "preset=scattered&lockstep=touched"] {
        let log = format!("log={}.ship,{}.own.2.4", 3 * DAY, 4 * DAY);
        let mut r = ConwayReplay::new(&CONWAY.parse_query(&format!("{q}&{log}")).0);
        r.advance_to(DAY, u64::MAX);
        let n = allocations_between_copies(|| {
            let to = r.now() + 100 * DAY * 16 / 1_000;
            while !r.advance_to(to, 512).reached {}
            let s = r.snapshot();
            let sum = s.lanes.iter().map(|l| l.waiting as u64 + l.working as u64).sum::<u64>()
                + r.run().sim().finished().iter().map(|f| f.lead).sum::<u64>()
                + s.done as u64
                + 1;
            (sum, r.copies())
        });
        assert_eq!(n, 0, "{q:?}: {n} allocations in 120 frames");
    }
}

#[test]
fn a_secrets_frame_allocates_nothing() {
    // The widget's session: a frame moves the playhead and reads the leaks and the rotations.
    use model::secrets::{SecretsReplay, SECRETS};
    for q in ["", "ttl=15m&detect=exp", "ttl=never&log=1000000.leak,2000000.leak"] {
        let mut r = SecretsReplay::new(&SECRETS.parse_query(q).0);
        r.advance_to(MS, u64::MAX);
        let n = allocations_in_frames(|| {
            let to = r.now() + 16 * MS;
            while !r.advance_to(to, 2_048).reached {}
            let s = r.snapshot();
            let rot: u64 = r.run().rotations().take(64).sum();
            s.now_s + s.leaks().iter().map(|l| l.exposed(s.now_s)).sum::<u64>() + rot + 1
        });
        assert_eq!(r.copies(), 0, "{q:?}: a closed-form timeline needs no copies");
        assert_eq!(n, 0, "{q:?}: {n} allocations in 120 frames");
    }
}
