//! Native counterpart of the wasm bench page: `bench-native [reps]` runs one untimed warm-up and
//! then `reps` timed runs of the retry-storm workload (the same call as the page), and prints
//! `{"events":…,"checksum":"0x…","seconds":…,"reps":…}` (events per run, seconds for all runs).

use std::time::Instant;

fn main() {
    let reps: u32 = match std::env::args().nth(1).map(|a| a.parse()) {
        None => 5,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("usage: bench-native [reps ≥ 1]");
            std::process::exit(2);
        }
    };
    std::hint::black_box(bench_web::retry_storm_workload(1));
    let t0 = Instant::now();
    let out = std::hint::black_box(bench_web::retry_storm_workload(std::hint::black_box(reps)));
    let seconds = t0.elapsed().as_secs_f64();
    if out == [0, 0] {
        eprintln!("bench-native: two runs of the same seed disagree");
        std::process::exit(1);
    }
    println!(r#"{{"events":{},"checksum":"{:#x}","seconds":{seconds:.6},"reps":{reps}}}"#, out[0], out[1]);
}
