//! Prints a retry-storm run per preset: per-second offered, attempts, goodput, queue.
//! `cargo run -p model --example storm --release`
use model::des::SEC;
use model::retry::{Fault, FaultKind, RetryParams, RetrySim};

fn main() {
    for (name, p) in RetryParams::PRESETS {
        let mut sim = RetrySim::new(p, 1);
        sim.inject(Fault { kind: FaultKind::Outage, start: 5 * SEC, duration: 2 * SEC });
        sim.advance(30 * SEC);
        let s = sim.snapshot();
        println!("{name}: {:?} amp {:.2} good {:.2}", s.recovery, s.amplification, s.goodput_ratio);
        let series: Vec<_> = sim.series().iter().copied().collect();
        for chunk in series.chunks(10).step_by(2) {
            let last = chunk.last().unwrap();
            let avg = |f: fn(&model::retry::RetrySample) -> f64| chunk.iter().map(f).sum::<f64>() / chunk.len() as f64;
            println!("  t={:>4.1} off {:>5.0} att {:>5.0} good {:>5.0} to {:>5.0} rej {:>5.0} refused {:>5.0} wasted {:>5.0} q {:>4} p99 {:>6.1} br {}",
                last.t, avg(|s| s.offered), avg(|s| s.attempts), avg(|s| s.goodput), avg(|s| s.timeouts), avg(|s| s.rejected), avg(|s| s.refused), avg(|s| s.wasted), last.queue, last.p99_ms, last.breaker);
        }
    }
}
