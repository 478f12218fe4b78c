//! Event-core speed on the retry-storm workload: `cargo bench -p model --bench events`.
//! Criterion reports elements/s, which is events per second (the goal: ≥ 5 M/s).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use model::retry::storm_workload as workload;
use std::hint::black_box;

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
