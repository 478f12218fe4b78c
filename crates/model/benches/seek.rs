//! How long a timeline scrub takes: `cargo bench -p model --bench seek`.
//!
//! Each simulation runs 10 simulated minutes (or its link cap, if shorter) at its heaviest
//! settings, then seeks back to moments spread over the run; a seek back replays from the start
//! (`model::replay::Replay::seek`). Prints the slowest and the median seek, natively. The goal is
//! a scrub shown within 100 ms at 4× CPU throttle in the browser; wasm runs this code about 1.5–2×
//! slower than native, so about 12 ms native per seek is the line (docs/performance.md). It also
//! prints the memory the session holds at the end of its run (the run and its timeline's copies).

use model::des::{Micros, SEC};
use model::replay::{Replay, Replayable};
use model::spec::WidgetSpec;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;

/// Bytes allocated and not yet freed, so the benchmark can say what a session holds.
struct Live;
static LIVE: AtomicIsize = AtomicIsize::new(0);
unsafe impl GlobalAlloc for Live {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        LIVE.fetch_add(n as isize - l.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}
#[global_allocator]
static LIVE_ALLOC: Live = Live;

fn measure<S: Replayable>(spec: &WidgetSpec, query: &str) {
    let (st, notes) = spec.parse_query(query);
    assert!(notes.is_empty(), "{query}: {notes:?}");
    let before = LIVE.load(Ordering::Relaxed);
    let mut r = Replay::<S>::new(&st);
    let end: Micros = (600 * SEC).min(r.limit());
    let t0 = Instant::now();
    r.seek(end);
    let straight = t0.elapsed().as_secs_f64() * 1e3;
    let held = (LIVE.load(Ordering::Relaxed) - before) as f64 / 1e6;
    let mut times: Vec<f64> = (1..=10u64)
        .map(|i| {
            let to = end * (11 - i) / 11;
            r.seek(end);
            let t = Instant::now();
            r.seek(to);
            std::hint::black_box(r.now());
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    model::num::sort::floats(&mut times);
    println!(
        "{:<18} {:>8.1} s run: played straight {:>8.1} ms; seek back median {:>7.1} ms, slowest {:>7.1} ms; the session holds {:>5.1} MB  ({query})",
        spec.name,
        end as f64 / SEC as f64,
        straight,
        times[times.len() / 2],
        times[times.len() - 1],
        held
    );
}

fn main() {
    use model::conway::{ConwayRun, CONWAY, DAY};
    use model::pool::{PoolSim, TIMEOUT_POOL};
    use model::queue_semantics::{QueueSemanticsSim, QUEUE_SEMANTICS};
    use model::retry::{RetryRuns, RETRY_STORM};
    use model::rollout::{RolloutRuns, ROLLOUT};
    use model::slo_burn::{BurnRun, BURN_RATE};
    measure::<RetryRuns>(&RETRY_STORM, "clients=400&load=70&log=10000000.outage");
    measure::<RetryRuns>(&RETRY_STORM, "clients=5000&load=120&attempts=8&ab=1&log=10000000.outage");
    measure::<PoolSim>(&TIMEOUT_POOL, "threads=400&latency=2000&log=10000000.slow");
    measure::<RolloutRuns>(&ROLLOUT, "preset=canary-1&ab=1");
    measure::<QueueSemanticsSim>(&QUEUE_SEMANTICS, "");
    measure::<BurnRun>(&BURN_RATE, "");
    measure::<ConwayRun>(&CONWAY, &format!("log={}.ship,{}.ship", DAY, 20 * DAY));
}
