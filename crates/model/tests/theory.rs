//! The event core against queueing theory. Tolerances are the issue's, not widened.

mod common;

use common::close;
use model::des::SEC;
use model::mmc::{MmcParams, MmcSim};
use model::queueing::{erlang_c, mm1_time_in_system, mmc_time_in_system};

fn run(lambda: f64, mu: f64, c: u32, secs: u64, seed: u64) -> model::mmc::MmcSnapshot {
    let mut sim = MmcSim::new(MmcParams { arrival_rate: lambda, service_rate: mu, servers: c }, seed, 1_000 * SEC);
    sim.advance((1_000 + secs) * SEC);
    sim.snapshot()
}

/// (λ, μ, c): W from simulation within 3 % of theory, Little's law within 3 %.
fn check_mmc(lambda: f64, mu: f64, c: u32, secs: u64) {
    let s = run(lambda, mu, c, secs, 11);
    let w = mmc_time_in_system(c, lambda, mu);
    assert!(close(s.mean_time_in_system, w, 0.03), "M/M/{c} λ={lambda}: W {} vs {w}", s.mean_time_in_system);
    let little = s.throughput * s.mean_time_in_system;
    assert!(close(s.mean_in_system, little, 0.03), "Little: L {} vs λW {little}", s.mean_in_system);
    if c > 1 {
        let pw = erlang_c(c, lambda / mu);
        assert!(close(s.wait_probability, pw, 0.03), "P(wait) {} vs {pw}", s.wait_probability);
    }
}

#[test]
fn mm1_at_half_load() {
    check_mmc(50.0, 100.0, 1, 20_000);
    assert!((mm1_time_in_system(50.0, 100.0) - 0.02).abs() < 1e-12);
}

#[test]
fn mm1_at_ninety_percent() {
    // High load: long correlation times, so a long run.
    check_mmc(90.0, 100.0, 1, 200_000);
}

#[test]
fn mmc_three_servers() {
    // a = 2 Erlangs on 3 servers: C(3, 2) = 0.4444
    check_mmc(200.0, 100.0, 3, 20_000);
}

#[test]
fn mmc_ten_servers() {
    // a = 6 Erlangs on 10 servers: C(10, 6) = 0.1013
    check_mmc(600.0, 100.0, 10, 10_000);
}

#[test]
fn same_seed_same_run() {
    let a = run(80.0, 100.0, 2, 100, 5);
    let b = run(80.0, 100.0, 2, 100, 5);
    assert_eq!(a.served, b.served);
    assert_eq!(a.mean_time_in_system, b.mean_time_in_system);
    let c = run(80.0, 100.0, 2, 100, 6);
    assert_ne!(a.served, c.served);
}

/// The standard runs give the fingerprints the wasm build must also give (see `model::golden`;
/// tests/components.rs checks them in Chromium).
#[test]
fn standard_runs_match_their_fingerprints() {
    let got = model::golden::fingerprints();
    let text: Vec<String> = got.iter().map(|(n, f)| format!("    ({n:?}, {f:#018x}),")).collect();
    assert_eq!(got, model::golden::EXPECTED, "new fingerprints:\n{}", text.join("\n"));
}
