//! Event-core speed on the retry-storm workload: `cargo bench -p model --bench events`.
//! Criterion reports elements/s, which is events per second (the goal: ≥ 5 M/s).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use model::des::SEC;
use model::retry::{Fault, FaultKind, RetryParams, RetrySim};
use std::hint::black_box;

/// 20 s of the naive preset with 5,000 clients and a 2 s outage at t = 5 s: a healthy phase, then
/// a retry storm. Returns (events, a checksum of the outcome).
fn workload() -> (u64, u64) {
    let p = RetryParams { clients: 5_000, ..RetryParams::NAIVE };
    let mut sim = RetrySim::new(p, 42);
    sim.inject(Fault { kind: FaultKind::Outage, start: 5 * SEC, duration: 2 * SEC });
    sim.advance(20 * SEC);
    let t = sim.snapshot().totals;
    (sim.events_handled(), t.attempts ^ (t.succeeded << 20) ^ (t.wasted << 40))
}

fn bench(c: &mut Criterion) {
    let (events, checksum) = workload();
    println!("retry-storm workload: {events} events per run, checksum {checksum:#x}");
    let mut g = c.benchmark_group("event-core");
    g.throughput(Throughput::Elements(events));
    g.sample_size(20);
    g.bench_function("retry-storm 20 s", |b| b.iter(|| black_box(workload())));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
