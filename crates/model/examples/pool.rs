//! Prints a timeout-pool run per preset, healthy then with a slow dependency.
//! `cargo run -p model --example pool --release`
use model::des::SEC;
use model::pool::{PoolFault, PoolFaultKind, PoolParams, PoolSim};

fn main() {
    for (name, p) in PoolParams::PRESETS {
        for fault in [None, Some(PoolFaultKind::Slow(20.0)), Some(PoolFaultKind::BlackHole)] {
            let mut sim = PoolSim::new(p, 1);
            if let Some(kind) = fault {
                sim.inject(PoolFault { kind, start: 5 * SEC, duration: 20 * SEC });
            }
            sim.advance(20 * SEC);
            let s = sim.snapshot();
            let t = s.totals;
            println!(
                "{name:>8} {fault:?}: busy {}/{} backlog {} err {:.2} ok {} fail {} rej {} spurious {} collateral {} p99 {:.0}",
                s.busy, s.threads, s.backlog, s.error_rate, t.ok, t.failed, t.rejected, t.spurious, t.collateral, s.last.p99_ms
            );
        }
    }
}
