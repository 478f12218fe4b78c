//! Quorum arithmetic: when read and write quorums of N replicas must meet (R + W > N), how many
//! unreachable replicas each tolerates, how often a partial quorum reads stale data right after a
//! write (probabilistically bounded staleness, with a seeded Monte Carlo check) and what a bigger
//! quorum costs in latency (the "else latency" side of PACELC). Closed forms and seeded sampling,
//! no simulation; [`crate::consistency`] re-exports all of it.

use crate::fmt::{ms, num, percent};
use crate::note::{Facts, Readout};
use crate::rng::Rng;
use crate::spec::{range, State, WidgetSpec};
use crate::value;

/// Every read quorum of `r` replicas meets every write quorum of `w` out of `n`: iff r + w > n.
pub fn quorum_overlap(n: u32, r: u32, w: u32) -> bool {
    r as u64 + w as u64 > n as u64
}

/// Replicas that may be unreachable while writes with quorum `w` still succeed: n − w.
pub fn write_tolerates(n: u32, w: u32) -> u32 {
    n.saturating_sub(w)
}

/// Replicas that may be unreachable while reads with quorum `r` still succeed: n − r.
pub fn read_tolerates(n: u32, r: u32) -> u32 {
    n.saturating_sub(r)
}

/// The binomial coefficient C(n, k) as a float; 0 when k > n.
pub fn binomial(n: u32, k: u32) -> f64 {
    if k > n {
        return 0.0;
    }
    let k = k.min(n - k);
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// The probability that a read quorum of `r` chosen uniformly misses the `w` replicas that took
/// the latest write, right after it is acknowledged: C(n−w, r) / C(n, r) (Bailis et al.,
/// "Probabilistically Bounded Staleness for Practical Partial Quorums", VLDB 2012). `n` is at
/// least 1; `r` and `w` are clamped to 1..=n. Zero iff r + w > n.
pub fn pbs_stale_probability(n: u32, r: u32, w: u32) -> f64 {
    let n = n.max(1);
    let (r, w) = (r.clamp(1, n), w.clamp(1, n));
    binomial(n - w, r) / binomial(n, r)
}

/// Picks `k` distinct replicas out of `n` (≤ 64) uniformly, as a bitmask.
fn random_subset(rng: &mut Rng, n: u32, k: u32) -> u64 {
    let mut ids: Vec<u32> = (0..n).collect();
    let mut mask = 0u64;
    for i in 0..k.min(n) {
        let j = i + rng.below((n - i) as u64) as u32;
        ids.swap(i as usize, j as usize);
        mask |= 1 << ids[i as usize];
    }
    mask
}

/// Monte Carlo of [`pbs_stale_probability`]: in each trial a write lands on `w` random replicas
/// and a read asks `r` random replicas; the read is stale iff the two sets are disjoint. Returns
/// the stale fraction (`n` ≤ 64, `r` and `w` clamped to 1..=n, 0 trials gives 0).
pub fn simulate_stale_rate(n: u32, r: u32, w: u32, trials: u32, seed: u64) -> f64 {
    if trials == 0 {
        return 0.0;
    }
    let n = n.clamp(1, 64);
    let (r, w) = (r.clamp(1, n), w.clamp(1, n));
    let mut rng = Rng::new(seed);
    let mut stale = 0u32;
    for _ in 0..trials {
        let wm = random_subset(&mut rng, n, w);
        let rm = random_subset(&mut rng, n, r);
        if wm & rm == 0 {
            stale += 1;
        }
    }
    stale as f64 / trials as f64
}

/// Latency of a quorum operation: each sample is the `k`-th fastest of `n` independent replica
/// latencies, each log-normal with the given median (ms) and p99/median `tail`. This is the
/// "else latency" side of PACELC: a bigger quorum waits for a slower replica. `n` is clamped to
/// 1..=64, `k` to 1..=n, `samples` to at most 1 000 000.
pub fn quorum_latency_samples(n: u32, k: u32, median_ms: f64, tail: f64, samples: u32, seed: u64) -> Vec<f64> {
    let n = n.clamp(1, 64) as usize;
    let k = (k as usize).clamp(1, n);
    let median = if median_ms.is_nan() { 1.0 } else { crate::num::clamp(median_ms, 0.001, 1e6) };
    let tail = if tail.is_nan() { 1.0 } else { crate::num::clamp(tail, 1.0, 1_000.0) };
    let mut rng = Rng::new(seed);
    let mut buf = vec![0.0; n];
    (0..samples.min(1_000_000))
        .map(|_| {
            for x in buf.iter_mut() {
                *x = rng.lognormal_median_tail(median, tail);
            }
            crate::num::sort::floats(&mut buf);
            buf[k - 1]
        })
        .collect()
}

/// The nearest-rank quantile `q` (clamped to [0, 1]; NaN = 0.5) of an ascending slice; 0 when
/// empty.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let q = if q.is_nan() { 0.5 } else { crate::num::clamp(q, 0.0, 1.0) };
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// A latency distribution in brief.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LatencySummary {
    pub mean: f64,
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
}

/// Summarizes samples (any order; NaNs sort last). All zero when empty.
pub fn summarize(samples: &[f64]) -> LatencySummary {
    if samples.is_empty() {
        return LatencySummary::default();
    }
    let mut v = samples.to_vec();
    crate::num::sort::floats(&mut v);
    LatencySummary {
        mean: v.iter().sum::<f64>() / v.len() as f64,
        p50: quantile(&v, 0.5),
        p99: quantile(&v, 0.99),
        max: v[v.len() - 1],
    }
}

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

/// What the quorum arithmetic rests on, for its decision note.
const ASSUMPTIONS_NOTE: &[(&str, &str)] = &[
    (
        "Each replica answers in an independent log-normal time with a median of 5 ms and a p99 of 40 ms; a read \
         takes as long as the R-th fastest of N replicas and a write the W-th fastest (4,000 seeded samples each).",
        "",
    ),
    (
        "The stale-read chance is for a read right after a write is acknowledged, before the write spreads beyond \
         the W replicas that took it (no read repair, hinted handoff or anti-entropy yet), with both quorums chosen \
         uniformly at random (Bailis et al.'s PBS).",
        "",
    ),
    (
        "Strict quorums over a fixed set of N replicas (no sloppy quorums): writes survive N − W unreachable \
         replicas and reads N − R.",
        "",
    ),
];

/// N, R, W and what they buy.
pub const QUORUM_SLIDERS: WidgetSpec = WidgetSpec {
    name: "quorum-sliders",
    about: crate::note::About {
        question: "How many replicas must acknowledge a write and answer a read for this data to be fresh enough, \
                   and what latency and failure tolerance do we pay for it?",
        assumptions: ASSUMPTIONS_NOTE,
        sources: &[
            "Peter Bailis, Shivaram Venkataraman, Michael J. Franklin, Joseph M. Hellerstein, Ion Stoica, \
             Probabilistically Bounded Staleness for Practical Partial Quorums (2012)",
            "Giuseppe DeCandia et al., Dynamo: Amazon's Highly Available Key-value Store (2007)",
            "Daniel Abadi, Consistency Tradeoffs in Modern Distributed Database System Design (2012): PACELC",
        ],
    },
    reserve_rem: 36.5,
    hot: false,
    title: "Quorum sliders",
    params: &[
        range("n", "Replicas N", 1.0, 9.0, 1.0, 3.0, ""),
        range("r", "Read quorum R", 1.0, 9.0, 1.0, 1.0, ""),
        range("w", "Write quorum W", 1.0, 9.0, 1.0, 1.0, ""),
    ],
    presets: &[],
};

/// (N, R, W) for a quorum-sliders state, with R and W limited to N.
pub fn quorum_nrw(state: &State) -> (u32, u32, u32) {
    let n = value!(QUORUM_SLIDERS, state, "n") as u32;
    (n, (value!(QUORUM_SLIDERS, state, "r") as u32).min(n), (value!(QUORUM_SLIDERS, state, "w") as u32).min(n))
}

/// Per-replica latency in the quorum-sliders widget: each replica answers in a log-normal time
/// with this median (ms)...
pub const REPLICA_MEDIAN_MS: f64 = 5.0;
/// ...and this p99/median ratio (p99 40 ms).
pub const REPLICA_TAIL: f64 = 8.0;
/// Latency samples the widget draws per operation.
pub const LATENCY_SAMPLES: u32 = 4_000;

/// What the quorum-sliders widget shows for N, R and W.
#[derive(Clone, Debug, PartialEq)]
pub struct QuorumReport {
    pub n: u32,
    pub r: u32,
    pub w: u32,
    /// R + W > N.
    pub overlap: bool,
    /// [`pbs_stale_probability`].
    pub stale: f64,
    pub read: LatencySummary,
    pub write: LatencySummary,
    /// The read and write latency samples, ascending (ms).
    pub read_sorted: Vec<f64>,
    pub write_sorted: Vec<f64>,
}

/// The quorum-sliders report for a state: the arithmetic, and seeded latency samples of the R-th
/// and W-th fastest of N replicas.
pub fn quorum_report(state: &State) -> QuorumReport {
    let (n, r, w) = quorum_nrw(state);
    let mut read_sorted = quorum_latency_samples(n, r, REPLICA_MEDIAN_MS, REPLICA_TAIL, LATENCY_SAMPLES, state.seed);
    let mut write_sorted =
        quorum_latency_samples(n, w, REPLICA_MEDIAN_MS, REPLICA_TAIL, LATENCY_SAMPLES, state.seed ^ 1);
    crate::num::sort::floats(&mut read_sorted);
    crate::num::sort::floats(&mut write_sorted);
    QuorumReport {
        n,
        r,
        w,
        overlap: quorum_overlap(n, r, w),
        stale: pbs_stale_probability(n, r, w),
        read: summarize(&read_sorted),
        write: summarize(&write_sorted),
        read_sorted,
        write_sorted,
    }
}

/// What the quorum-sliders widget shows: whether quorums overlap, and its key numbers.
pub fn quorum_facts(q: &QuorumReport) -> Facts {
    let (n, r, w) = (q.n, q.r, q.w);
    let verdict = if q.overlap {
        format!(
            "R = {r} and W = {w} add up to more than N = {n}: every read quorum overlaps every write quorum, so a \
             read sees the latest acknowledged write."
        )
    } else {
        format!("R = {r} and W = {w} add up to no more than N = {n}: a read can miss the latest write entirely.")
    };
    Facts {
        verdict,
        readouts: vec![
            Readout::new("stale", "Stale-read chance (PBS)", percent(q.stale)),
            Readout::new("write-tolerates", "Writes survive", format!("{} replicas down", write_tolerates(n, w))),
            Readout::new("read-tolerates", "Reads survive", format!("{} replicas down", read_tolerates(n, r))),
            Readout::new("read-latency", "Read p50 / p99", format!("{} / {}", ms(q.read.p50), ms(q.read.p99))),
            Readout::new("write-latency", "Write p50 / p99", format!("{} / {}", ms(q.write.p50), ms(q.write.p99))),
            Readout::new("read-mean", "Mean read", format!("{} ms", num(q.read.mean, 1))),
        ],
        run: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each number the decision note states that a constant stands behind, built from that
    /// constant.
    #[test]
    fn the_notes_assumptions_state_the_models_constants() {
        let says = |phrase: &str| crate::note::assert_assumption(ASSUMPTIONS_NOTE, phrase);
        says(&format!("a median of {} and a p99 of {}", ms(REPLICA_MEDIAN_MS), ms(REPLICA_MEDIAN_MS * REPLICA_TAIL)));
        says(&format!("({} seeded samples each)", crate::fmt::grouped(LATENCY_SAMPLES as f64)));
    }

    #[test]
    fn binomials() {
        assert_eq!(binomial(5, 2), 10.0);
        assert_eq!(binomial(3, 4), 0.0);
        assert_eq!(binomial(7, 0), 1.0);
    }
}
