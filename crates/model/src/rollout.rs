//! The rollout model: who gets hurt by a bad release, and how fast do you know?
//!
//! A service of `replicas` pods serves a steady `rps` requests a second. The old version fails a
//! request with probability `baseline_err`; the release being rolled out fails with `new_err`
//! (the same for a good release, 5 % for an obvious bug, 0.2 % for a subtle regression). A
//! deployment strategy moves traffic from the old version to the new one:
//!
//! * **Recreate** ("big bang"): every old pod stops at once; the new pods take `pod_ready_s` to
//!   become ready, and until then every request fails (the downtime).
//! * **Rolling update**, as Kubernetes' Deployment controller does it: at most `maxSurge` pods
//!   above `replicas` (a percentage is rounded *up*) and at most `maxUnavailable` below it
//!   (rounded *down*); the two cannot both be 0, and when rounding makes them so, `maxUnavailable`
//!   becomes 1 (Kubernetes' `ResolveFenceposts`). At 25 %/25 % of 10 replicas: 13 pods at most, 8
//!   ready at least. Traffic is spread evenly over the ready pods of both versions.
//! * **Blue/green**: a full second set of pods (green) starts beside the old (blue); once it is
//!   ready, the router moves all traffic over `switch_s` seconds, and blue is kept for `bake_s`
//!   so that rolling back is just switching back. It costs twice the pods.
//! * **Canary** with steps (1, 5, 25, 50, 100 % of traffic) by the router's weights: each step
//!   starts ⌈share × replicas⌉ canary pods, moves the traffic when they are ready, and bakes for
//!   `bake_s`; the old version is scaled down as the canary takes its traffic (Argo Rollouts'
//!   `dynamicStableScale`). The first step is judged by an analysis, which aborts the rollout
//!   itself (no human in the loop): either a count threshold (fail at `n` canary errors) or a
//!   fixed-sample one-sided binomial test of H₀: p = `baseline_err` against p₁ (sample size from
//!   the normal approximation, see [`binomial_sample_size`]). The SRE Workbook calls canarying "a
//!   partial and time-limited deployment of a change in a service and its evaluation"
//!   (Davidovič and Beyer, "Canarying Releases", ch. 16 of *The Site Reliability Workbook*, 2018).
//!
//! Every strategy also has the global alert: it pages when more than `alert_ratio` of the
//! requests served in the last minute failed, and on-call starts the rollback `respond_s` later.
//! A rollback undoes what the strategy did: blue/green switches back (instantly while blue is
//! kept), a canary moves its traffic back at once, a rolling update rolls the other way, a
//! recreate recreates the old version (with its downtime again).
//!
//! # Requests and failures
//!
//! Request `k` arrives at `k / rps` seconds exactly; it is routed to the new version when its
//! routing draw `v_k` is below the new version's share, and fails when its error draw `u_k` is
//! below its version's error rate (so failures per 100 ms batch are binomial, about Poisson, on
//! each version's traffic). It is an *excess* failure when it failed and the old version would
//! have served it (`u_k ≥ baseline_err`): the failures the release added. Both draws come from
//! one seeded stream, one 64-bit value per request, so two runs with the same seed see exactly
//! the same requests: a comparison of two strategies (the widget's A and B) differs only by
//! where the strategies sent each request.
//!
//! Time is integer microseconds ([`crate::des`]); the requests of each 100 ms are served at the
//! next event, and every event first serves the requests before it, so a change of routing
//! applies from its exact moment. Pods never overload: any number of ready pods serves the load
//! (the capacity cost is the pods a strategy runs, not a slowdown).
//!
//! Memory is bounded: one sample per simulated second, at most [`HISTORY`] of them; a run stops
//! a minute after it settles, and at [`HISTORY`] seconds in any case.

use crate::des::{secs, Advanced, Engine, Micros, Model, Scheduler, MS, SEC};
use crate::fmt::{duration, fixed, grouped, number_grouped, percent_fine, Unit};
use crate::note::{Facts, Readout};
use crate::num::clamp_or_low;
use crate::queueing::Agreement;
use crate::replay::{Replay, Replayable};
use crate::rng::Rng;
use crate::scenario::Scenario;
use crate::spec::{choice, labelled, range, State, WidgetSpec};
use crate::stats::Ring;
use crate::value;

/// Requests are served in batches of this much simulated time (and before every event).
pub const TICK: Micros = 100 * MS;
/// Seconds of history kept (one sample a second), and the longest run.
pub const HISTORY: usize = 3_600;
/// The longest run.
pub const RUN_CAP: Micros = HISTORY as Micros * SEC;
/// A run stops this long after it has settled (all traffic on one version, no pod starting): five
/// minutes, so the settled state stays on the chart for a while and a press of "Roll back now"
/// early on still leaves minutes to watch.
pub const TAIL: Micros = 300 * SEC;
/// The global alert's window, in seconds.
pub const ALERT_WINDOW_S: usize = 60;
/// The alert needs at least this many served requests in its window.
const ALERT_MIN_REQUESTS: u64 = 100;
/// Canary steps at most (the widget's five, and a 100 % step added if missing).
const MAX_STEPS: usize = 6;
/// A count threshold counts the canary's errors within this window.
pub const COUNT_WINDOW: Micros = 60 * SEC;

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/// A number of pods, as Kubernetes' `IntOrString`: a count, or a percentage of the replicas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Amount {
    Pods(u32),
    Percent(f64),
}

impl Amount {
    /// The count for `replicas`: a percentage rounded up (`up`, maxSurge) or down
    /// (maxUnavailable), as Kubernetes' `GetScaledValueFromIntOrPercent` does.
    pub fn resolve(self, replicas: u32, up: bool) -> u32 {
        match self {
            Amount::Pods(n) => n,
            Amount::Percent(p) => {
                let x = clamp_or_low(p, 0.0, 100.0) * replicas as f64 / 100.0;
                (if up { x.ceil() } else { x.floor() }) as u32
            }
        }
    }

    /// As a percentage of `replicas` (for the widget's settings).
    pub const fn percent_of(self, replicas: u32) -> f64 {
        match self {
            Amount::Pods(n) => n as f64 * 100.0 / if replicas == 0 { 1.0 } else { replicas as f64 },
            Amount::Percent(p) => p,
        }
    }
}

/// A rolling update's bounds, resolved for a number of replicas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RollingBounds {
    pub max_surge: u32,
    pub max_unavailable: u32,
    /// Pods of both versions at most: replicas + maxSurge.
    pub max_pods: u32,
    /// Ready pods at least: replicas − maxUnavailable.
    pub min_available: u32,
}

/// Kubernetes' rolling-update fenceposts: maxSurge rounded up, maxUnavailable rounded down (each
/// at most `replicas`), and when both come to 0, maxUnavailable 1 (`ResolveFenceposts`: the API
/// refuses both 0, but rounding down can make a percentage 0).
pub fn rolling_bounds(replicas: u32, max_surge: Amount, max_unavailable: Amount) -> RollingBounds {
    let surge = max_surge.resolve(replicas, true).min(replicas);
    let mut unavailable = max_unavailable.resolve(replicas, false).min(replicas);
    if surge == 0 && unavailable == 0 {
        unavailable = 1.min(replicas);
    }
    RollingBounds {
        max_surge: surge,
        max_unavailable: unavailable,
        max_pods: replicas + surge,
        min_available: replicas - unavailable,
    }
}

/// How a canary's first step is judged.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Analysis {
    /// The canary fails when it has served `errors` failed requests within a minute
    /// ([`COUNT_WINDOW`]) of its first step, and passes when the step's bake time is over first.
    /// (A rule like `increase(canary_errors[1m]) >= n`: sized for a small canary, it fires on a
    /// healthy big one, whose old-version error rate alone reaches it.)
    CountThreshold { errors: u32 },
    /// A fixed-sample one-sided test: after [`binomial_sample_size`] canary requests, the canary
    /// fails if its errors reach [`binomial_critical_errors`] (H₀: the old version's error rate;
    /// the test has power `power` against error rate `p1` at false-alarm rate `alpha`). The step
    /// lasts until the test has decided, however long its bake time.
    Binomial { alpha: f64, power: f64, p1: f64 },
}

/// How the release reaches production.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Strategy {
    /// Stop every old pod, then start the new ones: down until they are ready.
    Recreate,
    /// Kubernetes' rolling update.
    Rolling { max_surge: Amount, max_unavailable: Amount },
    /// A full green environment, a switch of `switch_s`, blue kept `bake_s` after it.
    BlueGreen { switch_s: f64, bake_s: f64 },
    /// Traffic steps in % (each above the last; a 100 % step ends it), `bake_s` per step, the
    /// first step judged by `analysis`.
    Canary { steps_pct: [f64; 5], bake_s: f64, analysis: Analysis },
}

impl Strategy {
    /// Its index in the widget's `strategy` choice.
    pub const fn index(&self) -> usize {
        match self {
            Strategy::Recreate => 0,
            Strategy::Rolling { .. } => 1,
            Strategy::BlueGreen { .. } => 2,
            Strategy::Canary { .. } => 3,
        }
    }

    /// Whether traffic goes by the router's weights (blue/green, canary) rather than evenly over
    /// ready pods (recreate, rolling).
    pub const fn weighted(&self) -> bool {
        matches!(self, Strategy::BlueGreen { .. } | Strategy::Canary { .. })
    }
}

/// The standard canary steps starting at `first` %: first, then 5, 25, 50 and 100 % (steps not
/// above the one before are skipped).
pub const fn canary_steps(first: f64) -> [f64; 5] {
    const fn at_least(first: f64, x: f64) -> f64 {
        if first > x {
            first
        } else {
            x
        }
    }
    [first, at_least(first, 5.0), at_least(first, 25.0), at_least(first, 50.0), 100.0]
}

/// What the release does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Release {
    /// Fails no more than the old version.
    Good,
    /// Fails 5 % of requests.
    ObviousBug,
    /// Fails 0.2 % of requests (twice the old version's 0.1 %).
    SubtleRegression,
}

impl Release {
    pub const ALL: [Release; 3] = [Release::Good, Release::ObviousBug, Release::SubtleRegression];

    /// The new version's error rate, given the old one's.
    pub const fn error_rate(self, baseline: f64) -> f64 {
        match self {
            Release::Good => baseline,
            Release::ObviousBug => 0.05,
            Release::SubtleRegression => 0.002,
        }
    }
}

/// Parameters of a rollout. Times in seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RolloutParams {
    /// Pods of one version in steady state.
    pub replicas: u32,
    /// Requests per second (steady).
    pub rps: f64,
    /// The old version's error rate.
    pub baseline_err: f64,
    /// The new version's error rate.
    pub new_err: f64,
    /// From a pod's start to its readiness (also the recreate's downtime).
    pub pod_ready_s: f64,
    pub strategy: Strategy,
    /// The global alert pages when at least this share of the last minute's served requests
    /// failed.
    pub alert_ratio: f64,
    /// From the page to the rollback starting (0: rolled back automatically on the alert).
    pub respond_s: f64,
}

/// The default bake time per canary step.
pub const DEFAULT_BAKE_S: f64 = 300.0;
/// How long blue/green keeps blue by default: longer than the alert and on-call's response, so a
/// rollback is still one switch.
pub const DEFAULT_KEEP_S: f64 = 600.0;
/// The standard canary count threshold.
pub const DEFAULT_THRESHOLD: u32 = 10;

impl RolloutParams {
    const BASE: RolloutParams = RolloutParams {
        replicas: 10,
        rps: 1_000.0,
        baseline_err: 0.001,
        new_err: 0.05,
        pod_ready_s: 30.0,
        strategy: Strategy::Recreate,
        alert_ratio: 0.01,
        respond_s: 300.0,
    };

    /// Big bang: recreate every pod at once.
    pub const BIG_BANG: RolloutParams = RolloutParams::BASE;
    /// Blue/green with a 1 s switch, blue kept for 10 minutes.
    pub const BLUE_GREEN: RolloutParams = RolloutParams {
        strategy: Strategy::BlueGreen { switch_s: 1.0, bake_s: DEFAULT_KEEP_S },
        ..RolloutParams::BASE
    };
    /// Kubernetes' default rolling update: maxSurge 25 %, maxUnavailable 25 %.
    pub const ROLLING: RolloutParams = RolloutParams {
        strategy: Strategy::Rolling { max_surge: Amount::Percent(25.0), max_unavailable: Amount::Percent(25.0) },
        ..RolloutParams::BASE
    };
    /// A canary at 1, 5, 25, 50, 100 %, 5 minutes a step, failing at 10 errors.
    pub const CANARY_1: RolloutParams = RolloutParams {
        strategy: Strategy::Canary {
            steps_pct: canary_steps(1.0),
            bake_s: DEFAULT_BAKE_S,
            analysis: Analysis::CountThreshold { errors: DEFAULT_THRESHOLD },
        },
        ..RolloutParams::BASE
    };
    /// The same canary starting at 5 %.
    pub const CANARY_5: RolloutParams = RolloutParams {
        strategy: Strategy::Canary {
            steps_pct: canary_steps(5.0),
            bake_s: DEFAULT_BAKE_S,
            analysis: Analysis::CountThreshold { errors: DEFAULT_THRESHOLD },
        },
        ..RolloutParams::BASE
    };

    /// The presets in the order the widget offers them (their names are the preset keys).
    pub const PRESETS: [(&'static str, RolloutParams); 5] = [
        ("big-bang", RolloutParams::BIG_BANG),
        ("blue-green", RolloutParams::BLUE_GREEN),
        ("rolling", RolloutParams::ROLLING),
        ("canary-1", RolloutParams::CANARY_1),
        ("canary-5", RolloutParams::CANARY_5),
    ];

    /// The same rollout of a release of kind `release`.
    pub const fn with_release(self, release: Release) -> RolloutParams {
        RolloutParams { new_err: release.error_rate(self.baseline_err), ..self }
    }

    /// Returns the parameters with every field forced into a range the model handles (NaN
    /// becomes the range's low end).
    pub fn clamped(mut self) -> RolloutParams {
        let c = clamp_or_low;
        self.replicas = self.replicas.clamp(1, 100);
        self.rps = c(self.rps, 1.0, 10_000.0);
        self.baseline_err = c(self.baseline_err, 0.0, 0.5);
        self.new_err = c(self.new_err, 0.0, 1.0);
        self.pod_ready_s = c(self.pod_ready_s, 0.0, 600.0);
        self.alert_ratio = c(self.alert_ratio, 0.0001, 1.0);
        self.respond_s = c(self.respond_s, 0.0, 3_600.0);
        let pods = |a: Amount| match a {
            Amount::Pods(n) => Amount::Pods(n.min(1_000)),
            Amount::Percent(p) => Amount::Percent(c(p, 0.0, 100.0)),
        };
        self.strategy = match self.strategy {
            Strategy::Recreate => Strategy::Recreate,
            Strategy::Rolling { max_surge, max_unavailable } => {
                Strategy::Rolling { max_surge: pods(max_surge), max_unavailable: pods(max_unavailable) }
            }
            Strategy::BlueGreen { switch_s, bake_s } => {
                Strategy::BlueGreen { switch_s: c(switch_s, 0.0, 600.0), bake_s: c(bake_s, 0.0, 3_600.0) }
            }
            Strategy::Canary { steps_pct, bake_s, analysis } => Strategy::Canary {
                steps_pct: steps_pct.map(|s| c(s, 0.0, 100.0)),
                bake_s: c(bake_s, 0.0, 3_600.0),
                analysis: match analysis {
                    Analysis::CountThreshold { errors } => Analysis::CountThreshold { errors: errors.clamp(1, 10_000) },
                    Analysis::Binomial { alpha, power, p1 } => Analysis::Binomial {
                        alpha: c(alpha, 1e-6, 0.5),
                        power: c(power, 0.5, 0.999_999),
                        // A rate the test can tell from the old one (a p₁ at or below p₀ would
                        // need an infinite sample).
                        p1: c(p1, self.baseline_err + 1e-4, 1.0),
                    },
                },
            },
        };
        self
    }

    /// The rolling update's bounds (Kubernetes' default 25 %/25 % for other strategies).
    pub fn rolling_bounds(&self) -> RollingBounds {
        match self.strategy {
            Strategy::Rolling { max_surge, max_unavailable } => {
                rolling_bounds(self.replicas, max_surge, max_unavailable)
            }
            _ => rolling_bounds(self.replicas, Amount::Percent(25.0), Amount::Percent(25.0)),
        }
    }

    /// The canary's traffic steps as shares in (0, 1], increasing, the last 1.
    pub fn canary_shares(&self) -> ([f64; MAX_STEPS], usize) {
        let mut out = [1.0; MAX_STEPS];
        let mut n = 0;
        if let Strategy::Canary { steps_pct, .. } = self.strategy {
            for s in steps_pct {
                let s = clamp_or_low(s, 0.0, 100.0) / 100.0;
                if s > 0.0 && (n == 0 || s > out[n - 1]) && n < MAX_STEPS {
                    out[n] = s;
                    n += 1;
                }
            }
        }
        if n == 0 || out[n - 1] < 1.0 {
            out[n.min(MAX_STEPS - 1)] = 1.0;
            n = (n + 1).min(MAX_STEPS);
        }
        (out, n)
    }

    /// The most pods the strategy runs at once (both versions, starting ones too), when the
    /// rollout goes through: recreate `replicas`; rolling `replicas + maxSurge`; blue/green twice
    /// `replicas`; a canary, the largest of its steps' canary pods plus the old pods still there
    /// when they start.
    pub fn peak_pods(&self) -> u32 {
        let r = self.replicas;
        match self.strategy {
            Strategy::Recreate => r,
            Strategy::Rolling { .. } => self.rolling_bounds().max_pods,
            Strategy::BlueGreen { .. } => 2 * r,
            Strategy::Canary { .. } => {
                let (shares, n) = self.canary_shares();
                let (mut peak, mut stable, mut canary) = (r, r, 0);
                for &w in &shares[..n] {
                    canary = canary.max(canary_pods(w, r));
                    peak = peak.max(canary + stable);
                    stable = stable_pods(w, r);
                }
                peak
            }
        }
    }

    /// Seconds from the start until all traffic is on the new version, when every check passes
    /// (a good release): the plan the run follows. A binomial canary analysis counts its
    /// expected time to decide.
    pub fn planned_full_s(&self) -> f64 {
        let ready = self.pod_ready_s;
        match self.strategy {
            Strategy::Recreate => ready,
            Strategy::BlueGreen { switch_s, .. } => ready + switch_s,
            Strategy::Rolling { .. } => {
                // Waves of pods, each ready a start-up time after the last (as the run does them).
                let (b, r) = (self.rolling_bounds(), self.replicas);
                let (mut new, mut old) = (Pods::default(), Pods { ready: r, starting: 0 });
                for wave in 0..=2 * r {
                    loop {
                        let m = rolling_move(new, old, r, b);
                        if m.is_empty() {
                            break;
                        }
                        new.starting += m.start;
                        old.starting -= m.stop_starting;
                        old.ready -= m.stop_ready;
                    }
                    if old.ready == 0 && new.ready > 0 {
                        return wave as f64 * ready;
                    }
                    new.ready += std::mem::take(&mut new.starting);
                }
                f64::INFINITY
            }
            Strategy::Canary { bake_s, analysis, .. } => {
                let (shares, n) = self.canary_shares();
                let (r, mut canary, mut t) = (self.replicas, 0, 0.0);
                for (i, &w) in shares[..n].iter().enumerate() {
                    let want = canary_pods(w, r);
                    if want > canary {
                        t += ready;
                        canary = want;
                    }
                    if w >= 1.0 {
                        break;
                    }
                    let decide = match analysis {
                        Analysis::Binomial { alpha, power, p1 } if i == 0 => {
                            decide_time_s(binomial_sample_size(self.baseline_err, p1, alpha, power), self.rps, w)
                        }
                        _ => 0.0,
                    };
                    t += bake_s.max(decide);
                }
                t
            }
        }
    }

    /// What the canary analysis needs and what it expects of this release; `None` for other
    /// strategies (and for a canary whose first step is 100 %).
    pub fn analysis_plan(&self) -> Option<AnalysisPlan> {
        let Strategy::Canary { analysis, bake_s, .. } = self.strategy else { return None };
        let (shares, _) = self.canary_shares();
        let share = shares[0];
        if share >= 1.0 {
            return None;
        }
        let (p0, p) = (self.baseline_err, self.new_err);
        Some(match analysis {
            Analysis::CountThreshold { errors } => AnalysisPlan {
                kind: analysis,
                share,
                bake_s,
                sample: 0,
                critical: errors as u64,
                decide_s: f64::INFINITY,
                detect_s: count_detect_time_s(errors, self.rps, share, p),
                excess_before: count_excess_before_detect(errors, p0, p),
                baseline_err: p0,
                new_err: p,
            },
            Analysis::Binomial { alpha, power, p1 } => {
                let n = binomial_sample_size(p0, p1, alpha, power);
                let t = decide_time_s(n, self.rps, share);
                AnalysisPlan {
                    kind: analysis,
                    share,
                    bake_s,
                    sample: n,
                    critical: binomial_critical_errors(n, p0, alpha),
                    decide_s: t,
                    detect_s: t,
                    excess_before: (p - p0).max(0.0) * n as f64,
                    baseline_err: p0,
                    new_err: p,
                }
            }
        })
    }
}

/// Canary pods for a traffic share: ⌈share × replicas⌉, at least one.
fn canary_pods(share: f64, replicas: u32) -> u32 {
    ((share * replicas as f64).ceil() as u32).clamp(1, replicas)
}

/// Old pods kept beside a canary at a share: replicas − ⌊share × replicas⌋.
fn stable_pods(share: f64, replicas: u32) -> u32 {
    replicas - ((share * replicas as f64).floor() as u32).min(replicas)
}

// ---------------------------------------------------------------------------------------------
// Closed forms
// ---------------------------------------------------------------------------------------------

/// The standard normal quantile Φ⁻¹(p) (Wichura's algorithm AS 241, `PPND16`, accurate to about
/// 1e-16), with `libm`'s logarithm; ±∞ at 0 and 1, NaN outside [0, 1].
#[allow(clippy::excessive_precision)] // AS 241's published coefficients, digit for digit
pub fn normal_quantile(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let poly = |c: &[f64; 8], x: f64| c.iter().rev().fold(0.0, |acc, &k| acc * x + k);
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        const A: [f64; 8] = [
            3.387_132_872_796_366_608,
            133.141_667_891_784_377_45,
            1_971.590_950_306_551_442_7,
            13_731.693_765_509_461_125,
            45_921.953_931_549_871_457,
            67_265.770_927_008_700_853,
            33_430.575_583_588_128_105,
            2_509.080_928_730_122_672_7,
        ];
        const B: [f64; 8] = [
            1.0,
            42.313_330_701_600_911_252,
            687.187_007_492_057_908_30,
            5_394.196_021_424_751_107_7,
            21_213.794_301_586_595_867,
            39_307.895_800_092_710_610,
            28_729.085_735_721_942_674,
            5_226.495_278_852_854_561_0,
        ];
        return q * poly(&A, r) / poly(&B, r);
    }
    let r = if q < 0.0 { p } else { 1.0 - p };
    let r = (-libm::log(r)).sqrt();
    let x = if r <= 5.0 {
        const C: [f64; 8] = [
            1.423_437_110_749_683_577_34,
            4.630_337_846_156_545_295_90,
            5.769_497_221_460_691_405_50,
            3.647_848_324_763_204_605_04,
            1.270_458_252_452_368_382_58,
            0.241_780_725_177_450_611_770,
            0.022_723_844_989_269_184_583_3,
            7.745_450_142_783_414_076_40e-4,
        ];
        const D: [f64; 8] = [
            1.0,
            2.053_191_626_637_758_821_87,
            1.676_384_830_183_803_849_40,
            0.689_767_334_985_100_004_550,
            0.148_103_976_427_480_074_590,
            0.015_198_666_563_616_457_196_6,
            5.475_938_084_995_344_946_00e-4,
            1.050_750_071_644_416_843_24e-9,
        ];
        poly(&C, r - 1.6) / poly(&D, r - 1.6)
    } else {
        const E: [f64; 8] = [
            6.657_904_643_501_103_777_20,
            5.463_784_911_164_114_369_90,
            1.784_826_539_917_291_335_80,
            0.296_560_571_828_504_891_230,
            0.026_532_189_526_576_123_093_0,
            0.001_242_660_947_388_078_438_60,
            2.711_555_568_743_487_578_15e-5,
            2.010_334_399_292_288_132_65e-7,
        ];
        const F: [f64; 8] = [
            1.0,
            0.599_832_206_555_887_937_690,
            0.136_929_880_922_735_805_310,
            0.014_875_361_290_850_614_852_5,
            7.868_691_311_456_132_591_00e-4,
            1.846_318_317_510_054_681_80e-5,
            1.421_511_758_316_445_888_70e-7,
            2.044_263_103_389_939_785_64e-15,
        ];
        poly(&E, r - 5.0) / poly(&F, r - 5.0)
    };
    if q < 0.0 {
        -x
    } else {
        x
    }
}

/// Requests a fixed-sample one-sided binomial test needs to tell error rate `p1` from `p0` with
/// false-alarm rate `alpha` and power `power`, by the normal approximation:
/// n = (z₁₋α·√(p₀q₀) + z_power·√(p₁q₁))² / (p₁ − p₀)², rounded up. `u64::MAX` when `p1` is not
/// above `p0`.
pub fn binomial_sample_size(p0: f64, p1: f64, alpha: f64, power: f64) -> u64 {
    let valid = p1 > p0 && (0.0..1.0).contains(&alpha) && (0.0..1.0).contains(&power);
    if !valid {
        return u64::MAX;
    }
    let (za, zb) = (normal_quantile(1.0 - alpha), normal_quantile(power));
    let root = za * (p0 * (1.0 - p0)).sqrt() + zb * (p1 * (1.0 - p1)).sqrt();
    let n = (root * root / ((p1 - p0) * (p1 - p0))).ceil();
    if n.is_finite() && n < 1e15 {
        (n as u64).max(1)
    } else {
        u64::MAX
    }
}

/// The fewest errors in `n` requests at which the one-sided test at level `alpha` rejects "the
/// error rate is `p0`" (normal approximation): ⌊n·p₀ + z₁₋α·√(n·p₀·q₀)⌋ + 1.
pub fn binomial_critical_errors(n: u64, p0: f64, alpha: f64) -> u64 {
    let n = n as f64;
    let c = n * p0 + normal_quantile(1.0 - alpha) * (n * p0 * (1.0 - p0)).sqrt();
    if c.is_finite() {
        c.floor().max(0.0) as u64 + 1
    } else {
        u64::MAX
    }
}

/// Seconds for a canary with `share` of `rps` to serve `n` requests: n / (rps · share).
pub fn decide_time_s(n: u64, rps: f64, share: f64) -> f64 {
    n as f64 / (rps * share)
}

/// Expected seconds until a canary with `share` of `rps`, failing requests at `p_new`, has served
/// `threshold` errors: threshold / (rps · share · p_new) (the `threshold`-th arrival of a process
/// of rate rps · share · p_new).
pub fn count_detect_time_s(threshold: u32, rps: f64, share: f64, p_new: f64) -> f64 {
    threshold as f64 / (rps * share * p_new)
}

/// Expected excess failures among a canary's first `threshold` errors: each is one the old
/// version would not have had with probability (p_new − p0) / p_new, so
/// threshold · (p_new − p0) / p_new, whatever the canary's size.
pub fn count_excess_before_detect(threshold: u32, p0: f64, p_new: f64) -> f64 {
    if p_new > p0 {
        threshold as f64 * (p_new - p0) / p_new
    } else {
        0.0
    }
}

/// Expected excess failures when `share` of `rps` meets a release failing `excess_err` more
/// requests than the old version for `seconds`: excess_err · rps · share · seconds.
pub fn blast_radius(rps: f64, share: f64, excess_err: f64, seconds: f64) -> f64 {
    excess_err * rps * share * seconds
}

/// What a canary analysis needs and expects (see [`RolloutParams::analysis_plan`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AnalysisPlan {
    pub kind: Analysis,
    /// The first step's share of traffic.
    pub share: f64,
    pub bake_s: f64,
    /// Binomial: requests the test needs (0 for a count threshold).
    pub sample: u64,
    /// Errors that fail the canary (the threshold, or the test's critical count).
    pub critical: u64,
    /// Binomial: seconds to serve the sample (∞ for a count threshold).
    pub decide_s: f64,
    /// Expected seconds to fail this release (count threshold), or to decide (binomial).
    pub detect_s: f64,
    /// Expected excess failures before the verdict.
    pub excess_before: f64,
    pub baseline_err: f64,
    pub new_err: f64,
}

impl AnalysisPlan {
    /// The plan in a sentence or two, for the reader.
    pub fn describe(&self) -> String {
        let at = format!("at {} of traffic", percent_fine(self.share));
        match self.kind {
            Analysis::CountThreshold { errors } => {
                let when = if self.new_err > 0.0 && self.detect_s.is_finite() {
                    duration(self.detect_s, Unit::S)
                } else {
                    "forever".into()
                };
                let mut s = format!(
                    "Canary analysis: the first step fails at {} errors within a minute. For this release the {} \
                     comes after about {when} {at}",
                    grouped(errors as f64),
                    ordinal(errors as u64)
                );
                if self.new_err > self.baseline_err {
                    s.push_str(&format!(
                        ", with about {} requests failed that the old version would have served, the same for any canary size.",
                        fixed(self.excess_before, 1)
                    ));
                } else if self.detect_s <= 60.0 {
                    s.push_str(": the old version's error rate alone reaches the threshold within a minute, so a good release fails too (a false alarm).");
                } else {
                    s.push_str(", more than a minute: a good release passes.");
                }
                s
            }
            Analysis::Binomial { alpha, power, p1 } => format!(
                "Canary analysis: a binomial test needs {} canary requests to tell {} errors from {} \
                 (false alarms {}, power {}): {} {at}. It fails the canary at {} or more errors.",
                number_grouped(self.sample as f64),
                percent_fine(self.baseline_err),
                percent_fine(p1),
                percent_fine(alpha),
                percent_fine(power),
                duration(self.decide_s, Unit::S),
                grouped(self.critical as f64),
            ),
        }
    }
}

/// "1st", "2nd", "10th", "21st".
fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

// ---------------------------------------------------------------------------------------------
// The simulation
// ---------------------------------------------------------------------------------------------

/// A version of the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    Old,
    New,
}

/// One version's pods.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pods {
    pub ready: u32,
    pub starting: u32,
}

impl Pods {
    pub fn all(&self) -> u32 {
        self.ready + self.starting
    }
}

/// One pass of the Deployment controller's rolling update toward `target` (the other version
/// `other`), in its order: scale the target up within maxSurge, then stop the other's starting
/// pods and as many of its ready pods as maxUnavailable allows. The controller repeats passes
/// until one changes nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct RollingMove {
    start: u32,
    stop_starting: u32,
    stop_ready: u32,
}

impl RollingMove {
    fn is_empty(&self) -> bool {
        self.start == 0 && self.stop_starting == 0 && self.stop_ready == 0
    }
}

fn rolling_move(target: Pods, other: Pods, r: u32, b: RollingBounds) -> RollingMove {
    let start = r.saturating_sub(target.all()).min(b.max_pods.saturating_sub(target.all() + other.all()));
    let stop_ready = other.ready.min((target.ready + other.ready).saturating_sub(b.min_available));
    RollingMove { start, stop_starting: other.starting, stop_ready }
}

/// Where a rollout is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The new version's pods are starting (for a recreate, the downtime).
    Starting,
    /// A rolling update is replacing pods.
    Rolling,
    /// Blue/green: traffic is moving to green.
    Switching,
    /// Canary step `step` (from 0): its pods starting, then baking (the first judged too).
    CanaryStep { step: u8 },
    /// Blue/green: all traffic on green, blue kept for rolling back.
    Baking,
    /// All traffic on the new version, the old one gone.
    Done,
    /// Going back to the old version.
    RollingBack,
    /// All traffic back on the old version, the new one gone.
    RolledBack,
}

/// What noticed the bad release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detector {
    /// The canary analysis failed the canary.
    Analysis,
    /// The global alert paged.
    Alert,
    /// The reader pressed "Roll back now".
    Manual,
}

/// One simulated second (requests and failures in it; pods at its end).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RolloutSample {
    /// End of the second.
    pub t_s: u32,
    /// Requests served by the old version.
    pub old: u32,
    /// Requests served by the new version.
    pub new: u32,
    /// Requests no ready pod could serve.
    pub unserved: u32,
    /// Failed requests the old version would have failed too.
    pub failed_baseline: u32,
    /// Failed requests the old version would have served.
    pub excess: u32,
    pub pods_old: u32,
    pub pods_new: u32,
}

/// Counts since the start. `requests == old + new + unserved`; `failed == failed_baseline +
/// excess`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RolloutTotals {
    pub requests: u64,
    pub old: u64,
    pub new: u64,
    pub unserved: u64,
    pub failed: u64,
    pub failed_baseline: u64,
    pub excess: u64,
}

/// The canary analysis so far (its first step).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnalysisProgress {
    /// Canary requests and errors counted.
    pub requests: u64,
    pub errors: u64,
    /// Passed (`Some(true)`) or failed, once decided.
    pub verdict: Option<bool>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RolloutEvent {
    /// Serve the requests of the last [`TICK`].
    RequestBatch,
    /// A second is over: record it, evaluate the alert.
    Second,
    /// Pods of batch `batch` are ready.
    PodReady { batch: u32 },
    /// A step's timer (a switch over, a bake over), if `gen` is still current.
    StepStart { gen: u32 },
    /// The traffic shift of a switch is over, if `gen` is still current.
    TrafficShift { gen: u32 },
    /// On-call starts the rollback the alert asked for.
    Rollback,
}

#[derive(Clone, Copy, Debug)]
struct Batch {
    id: u32,
    version: Version,
    count: u32,
}

/// A weight moving linearly over time.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Ramp {
    from: f64,
    to: f64,
    start: Micros,
    end: Micros,
}

impl Ramp {
    fn at(&self, t: Micros) -> f64 {
        if t >= self.end || self.end <= self.start {
            self.to
        } else if t <= self.start {
            self.from
        } else {
            self.from + (self.to - self.from) * ((t - self.start) as f64 / (self.end - self.start) as f64)
        }
    }
}

/// 2³² × a probability, for comparing with 32 bits of a draw.
fn threshold32(p: f64) -> u64 {
    (clamp_or_low(p, 0.0, 1.0) * 4_294_967_296.0) as u64
}

#[derive(Clone)]
struct Rollout {
    p: RolloutParams,
    bounds: RollingBounds,
    shares: [f64; MAX_STEPS],
    steps: usize,
    rng: Rng,
    planned_full_s: f64,

    old: Pods,
    new: Pods,
    batches: Vec<Batch>,
    next_batch: u32,
    /// Share of traffic to the new version (weighted strategies).
    weight: f64,
    ramp: Option<Ramp>,

    phase: Phase,
    /// Timers of an older generation are stale.
    gen: u32,
    step: usize,
    /// The current canary step's traffic has moved.
    step_live: bool,
    bake_over: bool,
    analysis_open: bool,
    analysis: AnalysisProgress,
    /// Count threshold: the times of the canary's last `errors` errors (a ring), and whether
    /// `errors` of them fell within a minute.
    error_times: Vec<Micros>,
    error_head: usize,
    count_n: usize,
    count_hit: bool,
    binomial_n: u64,
    binomial_critical: u64,

    /// Requests served so far (request k arrives at k / rps s).
    served: u64,
    totals: RolloutTotals,
    sec: RolloutSample,
    window: [(u64, u64); ALERT_WINDOW_S],
    window_i: usize,
    window_sum: (u64, u64),
    alert_at: Option<Micros>,
    pending_response: bool,

    exposure_at: Option<Micros>,
    detected_at: Option<Micros>,
    detected_by: Option<Detector>,
    excess_at_detect: Option<u64>,
    rollback_at: Option<Micros>,
    rolled_back_at: Option<Micros>,
    full_at: Option<Micros>,
    done_at: Option<Micros>,
    settled_since: Option<Micros>,
    ended: bool,
    peak_pods: u32,
    min_ready: u32,

    series: Ring<RolloutSample>,
}

impl Rollout {
    fn new(p: RolloutParams, seed: u64) -> Self {
        let p = p.clamped();
        let (shares, steps) = p.canary_shares();
        let (binomial_n, binomial_critical) = match p.strategy {
            Strategy::Canary { analysis: Analysis::Binomial { alpha, power, p1 }, .. } => {
                let n = binomial_sample_size(p.baseline_err, p1, alpha, power);
                (n, binomial_critical_errors(n, p.baseline_err, alpha))
            }
            _ => (0, 0),
        };
        Rollout {
            p,
            bounds: p.rolling_bounds(),
            shares,
            steps,
            rng: Rng::new(seed),
            planned_full_s: p.planned_full_s(),
            old: Pods { ready: p.replicas, starting: 0 },
            new: Pods::default(),
            batches: Vec::with_capacity(8),
            next_batch: 0,
            weight: 0.0,
            ramp: None,
            phase: Phase::Starting,
            gen: 0,
            step: 0,
            step_live: false,
            bake_over: false,
            analysis_open: false,
            analysis: AnalysisProgress::default(),
            error_times: match p.strategy {
                Strategy::Canary { analysis: Analysis::CountThreshold { errors }, .. } => {
                    Vec::with_capacity(errors as usize)
                }
                _ => Vec::new(),
            },
            error_head: 0,
            count_n: match p.strategy {
                Strategy::Canary { analysis: Analysis::CountThreshold { errors }, .. } => errors as usize,
                _ => 0,
            },
            count_hit: false,
            binomial_n,
            binomial_critical,
            served: 0,
            totals: RolloutTotals::default(),
            sec: RolloutSample::default(),
            window: [(0, 0); ALERT_WINDOW_S],
            window_i: 0,
            window_sum: (0, 0),
            alert_at: None,
            pending_response: false,
            exposure_at: None,
            detected_at: None,
            detected_by: None,
            excess_at_detect: None,
            rollback_at: None,
            rolled_back_at: None,
            full_at: None,
            done_at: None,
            settled_since: None,
            ended: false,
            peak_pods: p.replicas,
            min_ready: p.replicas,
            series: Ring::new(HISTORY),
        }
    }

    fn pods(&mut self, v: Version) -> &mut Pods {
        match v {
            Version::Old => &mut self.old,
            Version::New => &mut self.new,
        }
    }

    fn weighted(&self) -> bool {
        self.p.strategy.weighted()
    }

    fn rolling_back(&self) -> bool {
        matches!(self.phase, Phase::RollingBack | Phase::RolledBack)
    }

    fn note_pods(&mut self) {
        self.peak_pods = self.peak_pods.max(self.old.all() + self.new.all());
        self.min_ready = self.min_ready.min(self.old.ready + self.new.ready);
    }

    /// Starts `count` pods of `v`, ready after the pod start-up time.
    fn start(&mut self, v: Version, count: u32, now: Micros, s: &mut Scheduler<RolloutEvent>) {
        if count == 0 {
            return;
        }
        let id = self.next_batch;
        self.next_batch += 1;
        self.batches.push(Batch { id, version: v, count });
        self.pods(v).starting += count;
        self.note_pods();
        s.at(now + secs(self.p.pod_ready_s), RolloutEvent::PodReady { batch: id });
    }

    /// Stops `count` starting pods of `v`, the newest first.
    fn stop_starting(&mut self, v: Version, mut count: u32) {
        for b in self.batches.iter_mut().rev().filter(|b| b.version == v) {
            let k = b.count.min(count);
            b.count -= k;
            count -= k;
        }
        self.batches.retain(|b| b.count > 0);
        let starting = self.batches.iter().filter(|b| b.version == v).map(|b| b.count).sum();
        self.pods(v).starting = starting;
    }

    /// Scales `v` down to `keep` pods: starting ones first.
    fn scale_down(&mut self, v: Version, keep: u32) {
        let p = *self.pods(v);
        if p.all() <= keep {
            return;
        }
        let stop = p.all() - keep;
        let from_starting = stop.min(p.starting);
        self.stop_starting(v, from_starting);
        let pods = self.pods(v);
        pods.ready -= (stop - from_starting).min(pods.ready);
        self.note_pods();
    }

    /// Scales `v` up to `want` pods.
    fn scale_up(&mut self, v: Version, want: u32, now: Micros, s: &mut Scheduler<RolloutEvent>) {
        let have = self.pods(v).all();
        self.start(v, want.saturating_sub(have), now, s);
    }

    fn timer(&mut self, at: Micros, s: &mut Scheduler<RolloutEvent>) {
        self.gen += 1;
        s.at(at, RolloutEvent::StepStart { gen: self.gen });
    }

    fn weight_at(&self, t: Micros) -> f64 {
        self.ramp.map_or(self.weight, |r| r.at(t))
    }

    /// The share of traffic to the new version at `t`, or `None` when no pod can serve.
    fn share_at(&self, t: Micros) -> Option<f64> {
        let (o, n) = (self.old.ready, self.new.ready);
        if o + n == 0 {
            return None;
        }
        if self.weighted() {
            let w = self.weight_at(t);
            Some(if n == 0 {
                0.0
            } else if o == 0 {
                1.0
            } else {
                w
            })
        } else {
            Some(n as f64 / (o + n) as f64)
        }
    }

    /// Serves the requests that arrived up to `t` under the current routing.
    fn serve_until(&mut self, t: Micros, s: &mut Scheduler<RolloutEvent>) {
        let last = (t as f64 * self.p.rps / SEC as f64).floor() as u64;
        let base = threshold32(self.p.baseline_err);
        let bad = threshold32(self.p.new_err);
        // The routing threshold for 32 bits of a draw (`None`: no pod serves), fixed between
        // events except while a switch moves the weight.
        let route_at = |m: &Self, t: Micros| m.share_at(t).map(threshold32);
        let mut fixed = if self.ramp.is_none() { Some(route_at(self, t)) } else { None };
        while self.served < last {
            self.served += 1;
            let tk = ((self.served as f64) * SEC as f64 / self.p.rps).ceil() as Micros;
            let draw = self.rng.next_u64();
            let (route, err) = (draw >> 32, draw & 0xFFFF_FFFF);
            let route_th = match fixed {
                Some(th) => th,
                None => route_at(self, tk),
            };
            let would_fail = err < base;
            self.totals.requests += 1;
            let failed = match route_th {
                None => {
                    self.totals.unserved += 1;
                    self.sec.unserved += 1;
                    true
                }
                Some(th) => {
                    let to_new = route < th;
                    let failed = err < if to_new { bad } else { base };
                    if to_new {
                        self.totals.new += 1;
                        self.sec.new += 1;
                    } else {
                        self.totals.old += 1;
                        self.sec.old += 1;
                    }
                    let i = self.window_i;
                    self.window[i].0 += 1;
                    self.window[i].1 += failed as u64;
                    if to_new && self.analysis_open {
                        self.analysis.requests += 1;
                        if failed {
                            self.analysis.errors += 1;
                            self.count_error(tk);
                        }
                    }
                    failed
                }
            };
            if failed {
                self.totals.failed += 1;
                if would_fail {
                    self.totals.failed_baseline += 1;
                    self.sec.failed_baseline += 1;
                } else {
                    self.totals.excess += 1;
                    self.sec.excess += 1;
                }
            }
            if self.analysis_open {
                if let Some(pass) = self.verdict() {
                    self.analysis_open = false;
                    self.analysis.verdict = Some(pass);
                    if pass {
                        if self.bake_over {
                            self.next_step(tk, s);
                        }
                    } else {
                        self.detect(tk, Detector::Analysis);
                        self.begin_rollback(tk, s);
                    }
                    fixed = if self.ramp.is_none() { Some(route_at(self, t)) } else { None };
                }
            }
        }
    }

    /// Count threshold: a canary error at `t`; notes whether the last `errors` fell within
    /// [`COUNT_WINDOW`].
    fn count_error(&mut self, t: Micros) {
        let n = self.count_n;
        if n == 0 {
            return;
        }
        if self.error_times.len() < n {
            self.error_times.push(t);
        } else {
            self.error_times[self.error_head] = t;
            self.error_head = (self.error_head + 1) % n;
        }
        // With the ring full, its head is the oldest of the last `n` errors.
        if self.error_times.len() == n && t - self.error_times[self.error_head] <= COUNT_WINDOW {
            self.count_hit = true;
        }
    }

    /// The analysis' verdict once it has one (fail: `Some(false)`).
    fn verdict(&self) -> Option<bool> {
        match self.p.strategy {
            Strategy::Canary { analysis: Analysis::CountThreshold { .. }, .. } => self.count_hit.then_some(false),
            Strategy::Canary { analysis: Analysis::Binomial { .. }, .. } => {
                (self.analysis.requests >= self.binomial_n).then_some(self.analysis.errors < self.binomial_critical)
            }
            _ => None,
        }
    }

    fn detect(&mut self, at: Micros, by: Detector) {
        if self.detected_at.is_none() {
            self.detected_at = Some(at);
            self.detected_by = Some(by);
            self.excess_at_detect = Some(self.totals.excess);
        }
    }

    /// The rollout starts.
    fn begin(&mut self, s: &mut Scheduler<RolloutEvent>) {
        let r = self.p.replicas;
        match self.p.strategy {
            Strategy::Recreate | Strategy::Rolling { .. } => {
                self.phase =
                    if matches!(self.p.strategy, Strategy::Recreate) { Phase::Starting } else { Phase::Rolling };
                self.reconcile(0, s);
            }
            Strategy::BlueGreen { .. } => {
                self.phase = Phase::Starting;
                self.start(Version::New, r, 0, s);
                self.drive(0, s);
            }
            Strategy::Canary { .. } => self.enter_step(0, 0, s),
        }
    }

    /// Recreate and rolling: converge the pods toward the controller's target version.
    fn reconcile(&mut self, now: Micros, s: &mut Scheduler<RolloutEvent>) {
        let r = self.p.replicas;
        let (target, other) =
            if self.rolling_back() { (Version::Old, Version::New) } else { (Version::New, Version::Old) };
        if matches!(self.p.strategy, Strategy::Recreate) {
            self.scale_down(other, 0);
            self.scale_up(target, r, now, s);
        } else {
            loop {
                let m = rolling_move(*self.pods(target), *self.pods(other), r, self.bounds);
                if m.is_empty() {
                    break;
                }
                self.start(target, m.start, now, s);
                let o = *self.pods(other);
                self.scale_down(other, o.all() - m.stop_starting - m.stop_ready);
            }
        }
        self.check_pods(now);
    }

    /// Recreate and rolling: records what the pods now mean for traffic.
    fn check_pods(&mut self, now: Micros) {
        let r = self.p.replicas;
        if self.new.ready > 0 && self.exposure_at.is_none() {
            self.exposure_at = Some(now);
        }
        if self.rolling_back() {
            if self.new.ready == 0 && self.old.ready > 0 && self.rolled_back_at.is_none() {
                self.rolled_back_at = Some(now);
            }
            if self.old.ready == r && self.new.all() == 0 {
                self.phase = Phase::RolledBack;
            }
        } else {
            if self.new.ready > 0 && self.old.ready == 0 && self.full_at.is_none() {
                self.full_at = Some(now);
            }
            if self.new.ready == r && self.old.all() == 0 {
                self.phase = Phase::Done;
                self.done_at.get_or_insert(now);
            }
        }
    }

    /// Canary: step `i` starts (its pods first).
    fn enter_step(&mut self, i: usize, now: Micros, s: &mut Scheduler<RolloutEvent>) {
        let i = i.min(self.steps - 1);
        self.step = i;
        self.step_live = false;
        self.bake_over = false;
        self.phase = Phase::CanaryStep { step: i as u8 };
        let want = canary_pods(self.shares[i], self.p.replicas);
        self.scale_up(Version::New, want, now, s);
        self.drive(now, s);
    }

    fn next_step(&mut self, now: Micros, s: &mut Scheduler<RolloutEvent>) {
        self.enter_step(self.step + 1, now, s);
    }

    /// Blue/green and canary: moves the rollout on when what it waits for has happened.
    fn drive(&mut self, now: Micros, s: &mut Scheduler<RolloutEvent>) {
        let r = self.p.replicas;
        match (self.phase, self.p.strategy) {
            (Phase::Starting, Strategy::BlueGreen { switch_s, .. }) if self.new.ready >= r => {
                self.exposure_at = Some(now);
                self.phase = Phase::Switching;
                self.shift_to(1.0, switch_s, now, s);
            }
            (Phase::CanaryStep { .. }, Strategy::Canary { bake_s, .. }) if !self.step_live => {
                let w = self.shares[self.step];
                if self.new.ready < canary_pods(w, r) {
                    return;
                }
                self.step_live = true;
                self.weight = w;
                self.exposure_at.get_or_insert(now);
                self.scale_down(Version::Old, stable_pods(w, r));
                if w >= 1.0 {
                    self.full_at.get_or_insert(now);
                    self.done_at.get_or_insert(now);
                    self.phase = Phase::Done;
                    return;
                }
                if self.step == 0 {
                    self.analysis_open = true;
                    self.analysis = AnalysisProgress::default();
                }
                self.timer(now + secs(bake_s), s);
            }
            (Phase::RollingBack, _) => {
                let need = if matches!(self.p.strategy, Strategy::BlueGreen { .. }) { r } else { 1 };
                if self.ramp.is_some() {
                    return;
                }
                if self.weight > 0.0 && self.new.ready > 0 {
                    if self.old.ready >= need {
                        let switch = match self.p.strategy {
                            Strategy::BlueGreen { switch_s, .. } => switch_s,
                            _ => 0.0,
                        };
                        self.shift_to(0.0, switch, now, s);
                    }
                    return;
                }
                // No traffic on the new version any more.
                self.weight = 0.0;
                self.rolled_back_at.get_or_insert(now);
                self.scale_down(Version::New, 0);
                if self.old.ready >= r {
                    self.phase = Phase::RolledBack;
                }
            }
            _ => {}
        }
    }

    /// Moves the router's weight to `to` over `over_s` seconds (at once for 0).
    fn shift_to(&mut self, to: f64, over_s: f64, now: Micros, s: &mut Scheduler<RolloutEvent>) {
        let d = secs(over_s);
        if d == 0 {
            self.ramp = None;
            self.weight = to;
            self.shift_done(now, s);
        } else {
            self.ramp = Some(Ramp { from: self.weight_at(now), to, start: now, end: now + d });
            self.gen += 1;
            s.at(now + d, RolloutEvent::TrafficShift { gen: self.gen });
        }
    }

    fn shift_done(&mut self, now: Micros, s: &mut Scheduler<RolloutEvent>) {
        if let Some(r) = self.ramp.take() {
            self.weight = r.to;
        }
        match (self.phase, self.p.strategy) {
            (Phase::Switching, Strategy::BlueGreen { bake_s, .. }) => {
                self.full_at.get_or_insert(now);
                self.phase = Phase::Baking;
                self.timer(now + secs(bake_s), s);
            }
            (Phase::RollingBack, _) => self.drive(now, s),
            _ => {}
        }
    }

    /// A step's timer: blue/green's bake is over, or a canary step's.
    fn step_due(&mut self, now: Micros, s: &mut Scheduler<RolloutEvent>) {
        match self.phase {
            Phase::Baking => {
                self.scale_down(Version::Old, 0);
                self.done_at.get_or_insert(now);
                self.phase = Phase::Done;
            }
            Phase::CanaryStep { .. } => {
                self.bake_over = true;
                if self.analysis_open {
                    if matches!(self.p.strategy, Strategy::Canary { analysis: Analysis::CountThreshold { .. }, .. }) {
                        // The bake ended below the threshold: the canary passes.
                        self.analysis_open = false;
                        self.analysis.verdict = Some(true);
                        self.next_step(now, s);
                    }
                    // A binomial test decides when its sample is in.
                } else {
                    self.next_step(now, s);
                }
            }
            _ => {}
        }
    }

    fn pod_ready(&mut self, batch: u32, now: Micros, s: &mut Scheduler<RolloutEvent>) {
        let Some(i) = self.batches.iter().position(|b| b.id == batch) else { return };
        let b = self.batches.remove(i);
        let pods = self.pods(b.version);
        pods.starting -= b.count;
        pods.ready += b.count;
        self.note_pods();
        if self.weighted() {
            self.drive(now, s);
        } else {
            self.reconcile(now, s);
        }
    }

    /// The rollout reverses: everything the strategy did is undone.
    fn begin_rollback(&mut self, now: Micros, s: &mut Scheduler<RolloutEvent>) {
        if self.rolling_back() {
            return;
        }
        self.rollback_at.get_or_insert(now);
        self.phase = Phase::RollingBack;
        self.gen += 1; // any bake or switch timer is void
        self.analysis_open = false;
        if self.weighted() {
            if self.ramp.is_some() {
                self.weight = self.weight_at(now);
                self.ramp = None;
            }
            let r = self.p.replicas;
            self.scale_up(Version::Old, r, now, s);
            self.drive(now, s);
        } else {
            self.reconcile(now, s);
        }
    }

    fn can_roll_back(&self) -> bool {
        !self.ended && !self.rolling_back()
    }

    /// Whether nothing more will happen: all traffic on one version, nothing starting, no
    /// rollback pending, and no bad release left serving.
    fn settled(&self) -> bool {
        let quiet = self.batches.is_empty() && self.ramp.is_none() && !self.pending_response;
        quiet
            && match self.phase {
                Phase::RolledBack => true,
                Phase::Done => self.p.new_err <= self.p.baseline_err,
                _ => false,
            }
    }

    fn second(&mut self, now: Micros, s: &mut Scheduler<RolloutEvent>) {
        self.sec.t_s = (now / SEC) as u32;
        self.sec.pods_old = self.old.all();
        self.sec.pods_new = self.new.all();
        self.series.push(std::mem::take(&mut self.sec));
        // The alert: the last minute's served requests.
        let i = self.window_i;
        self.window_sum.0 += self.window[i].0;
        self.window_sum.1 += self.window[i].1;
        let (served, failed) = self.window_sum;
        if self.alert_at.is_none()
            && served >= ALERT_MIN_REQUESTS
            && failed as f64 >= self.p.alert_ratio * served as f64
            && (self.new.all() > 0 || self.weight > 0.0)
        {
            self.alert_at = Some(now);
            if !self.rolling_back() {
                self.detect(now, Detector::Alert);
                self.pending_response = true;
                s.at(now + secs(self.p.respond_s), RolloutEvent::Rollback);
            }
        }
        self.window_i = (i + 1) % ALERT_WINDOW_S;
        let next = self.window[self.window_i];
        self.window_sum.0 -= next.0;
        self.window_sum.1 -= next.1;
        self.window[self.window_i] = (0, 0);
        // The end of the run.
        if self.settled() {
            let since = *self.settled_since.get_or_insert(now);
            if now >= since + TAIL {
                self.ended = true;
            }
        } else {
            self.settled_since = None;
        }
        if now >= RUN_CAP {
            self.ended = true;
        }
        if !self.ended {
            s.at(now + SEC, RolloutEvent::Second);
        }
    }
}

impl Model for Rollout {
    type Event = RolloutEvent;

    fn handle(&mut self, ev: RolloutEvent, s: &mut Scheduler<RolloutEvent>) {
        if self.ended {
            return;
        }
        let now = s.now();
        self.serve_until(now, s);
        match ev {
            RolloutEvent::RequestBatch => s.at(now + TICK, RolloutEvent::RequestBatch),
            RolloutEvent::Second => self.second(now, s),
            RolloutEvent::PodReady { batch } => self.pod_ready(batch, now, s),
            RolloutEvent::StepStart { gen } if gen == self.gen => self.step_due(now, s),
            RolloutEvent::TrafficShift { gen } if gen == self.gen => self.shift_done(now, s),
            RolloutEvent::Rollback => {
                self.pending_response = false;
                self.begin_rollback(now, s);
            }
            _ => {}
        }
    }
}

/// A rollout run: `RolloutSim::new(params, seed)`, `step()`, `advance(dt)`, `snapshot()`.
#[derive(Clone)]
pub struct RolloutSim {
    engine: Engine<Rollout>,
}

/// Everything the widget shows of a run, as of `now`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RolloutSnapshot {
    pub now: Micros,
    pub phase: Phase,
    /// The strategy's index in the widget's `strategy` choice (for wording).
    pub strategy: usize,
    /// The share of traffic the new version gets now.
    pub share_new: f64,
    pub old: Pods,
    pub new: Pods,
    pub replicas: u32,
    /// The most pods run at once so far, and the fewest ready.
    pub peak_pods: u32,
    pub min_ready: u32,
    pub totals: RolloutTotals,
    /// When the new version first served traffic.
    pub exposure_at: Option<Micros>,
    pub detected_at: Option<Micros>,
    pub detected_by: Option<Detector>,
    /// Excess failures when the bad release was detected.
    pub excess_at_detect: Option<u64>,
    /// When the global alert paged (detection or not).
    pub alert_at: Option<Micros>,
    pub rollback_at: Option<Micros>,
    /// When all traffic was back on the old version.
    pub rolled_back_at: Option<Micros>,
    /// When all traffic was on the new version.
    pub full_at: Option<Micros>,
    /// When the old version was gone.
    pub done_at: Option<Micros>,
    /// The canary analysis (its first step), for a canary.
    pub analysis: Option<AnalysisProgress>,
    /// Seconds to 100 % for a good release (the plan).
    pub planned_full_s: f64,
    /// The release fails more requests than the old version.
    pub release_bad: bool,
    /// A rollback can still be started.
    pub can_roll_back: bool,
    /// Nothing more will happen.
    pub ended: bool,
}

fn at_s(t: Micros) -> f64 {
    t as f64 / SEC as f64
}

impl RolloutSnapshot {
    /// Seconds from the new version's first request to the detection.
    pub fn time_to_detect_s(&self) -> Option<f64> {
        Some(at_s(self.detected_at?.saturating_sub(self.exposure_at?)))
    }

    /// Seconds from the start to all traffic on the new version.
    pub fn time_to_full_s(&self) -> Option<f64> {
        self.full_at.map(at_s)
    }

    /// The most pods at once, as a multiple of the replicas.
    pub fn peak_capacity(&self) -> f64 {
        self.peak_pods as f64 / self.replicas.max(1) as f64
    }

    /// "2.0× (20 of 10 pods)".
    pub fn capacity_text(&self) -> String {
        format!("{}× ({} of {} pods)", fixed(self.peak_capacity(), 1), self.peak_pods, self.replicas)
    }

    /// The excess failed requests, grouped ("14,712").
    pub fn excess_text(&self) -> String {
        grouped(self.totals.excess as f64)
    }

    /// The time to detect and who noticed ("20 s (canary analysis)"), or why there is none.
    pub fn detect_text(&self) -> String {
        match (self.time_to_detect_s(), self.detected_by) {
            (Some(t), Some(by)) => {
                let who = match by {
                    Detector::Analysis => "canary analysis",
                    Detector::Alert => "alert",
                    Detector::Manual => "you",
                };
                let false_alarm = if self.release_bad { "" } else { ", a false alarm" };
                format!("{} ({who}{false_alarm})", duration(t, Unit::S))
            }
            (None, Some(_)) => "before it took traffic".into(),
            _ if !self.release_bad => "nothing to detect".into(),
            _ if self.exposure_at.is_none() => "not serving yet".into(),
            _ if self.ended || self.phase == Phase::Done => "not detected".into(),
            _ => "not yet".into(),
        }
    }

    /// The time to 100 % of traffic on the new version, or the plan's.
    pub fn full_text(&self) -> String {
        let plan = duration(self.planned_full_s, Unit::S);
        match self.time_to_full_s() {
            Some(t) => duration(t, Unit::S),
            None if self.rolling_back() => format!("never: rolled back (plan {plan})"),
            None => format!("not yet (plan {plan})"),
        }
    }

    fn rolling_back(&self) -> bool {
        matches!(self.phase, Phase::RollingBack | Phase::RolledBack)
    }

    /// Where the rollout is, in a sentence.
    pub fn status(&self) -> String {
        let share = percent_fine(self.share_new);
        let gets = if self.share_new > 0.0 { format!("{share} of traffic") } else { "no traffic".into() };
        match self.phase {
            Phase::Starting if self.strategy == 0 => {
                "Down: the old pods are gone and the new ones are starting, so every request fails.".into()
            }
            Phase::Starting => "Starting the new version's pods; no traffic on it yet.".into(),
            Phase::Rolling => format!(
                "Rolling update: new version {} ready, {} starting; old version {} ready. The new version gets {gets}.",
                self.new.ready, self.new.starting, self.old.ready
            ),
            Phase::Switching => format!("Switching traffic to green: {share} moved."),
            Phase::CanaryStep { step } => {
                let mut s = format!("Canary step {}: {share} of traffic on the new version", step + 1);
                if let Some(a) = self.analysis.filter(|a| a.verdict.is_none() && step == 0) {
                    s.push_str(&format!(
                        "; analysis so far: {} canary requests, {}",
                        grouped(a.requests as f64),
                        plural_errors(a.errors)
                    ));
                } else if self.analysis.and_then(|a| a.verdict) == Some(true) && step == 0 {
                    s.push_str("; the analysis passed, baking");
                }
                s.push('.');
                s
            }
            Phase::Baking => "All traffic on green; blue is kept so a rollback is one switch.".into(),
            Phase::Done if self.release_bad && self.rollback_at.is_none() && self.detected_at.is_none() => {
                "Done, and nobody has noticed: every request now meets the new version's errors.".into()
            }
            Phase::Done if self.rollback_at.is_none() && self.detected_at.is_some() => {
                "Done, but the alert has paged: on-call is on the way.".into()
            }
            Phase::Done => "Done: all traffic on the new version, the old pods gone.".into(),
            Phase::RollingBack if self.strategy == 0 && self.new.all() + self.old.ready == 0 => {
                "Rolling back by recreating the old version: down again until its pods are ready.".into()
            }
            Phase::RollingBack => format!("Rolling back: the new version still gets {gets}."),
            Phase::RolledBack => "Rolled back: all traffic on the old version.".into(),
        }
    }
}

fn plural_errors(n: u64) -> String {
    crate::fmt::plural(n as f64, "error", "errors")
}

impl RolloutSim {
    pub fn new(params: RolloutParams, seed: u64) -> Self {
        let mut engine = Engine::new(Rollout::new(params, seed));
        engine.model.begin(&mut engine.sched);
        engine.sched.at(TICK, RolloutEvent::RequestBatch);
        engine.sched.at(SEC, RolloutEvent::Second);
        RolloutSim { engine }
    }

    /// The parameters in force (clamped).
    pub fn params(&self) -> &RolloutParams {
        &self.engine.model.p
    }

    pub fn now(&self) -> Micros {
        self.engine.now()
    }

    pub fn step(&mut self) -> bool {
        self.engine.step()
    }

    /// Runs `dt` of simulated time.
    pub fn advance(&mut self, dt: Micros) -> u64 {
        self.engine.advance(dt)
    }

    /// Runs towards `to`, handling at most `max_events`; see [`Engine::advance_to`].
    pub fn advance_to(&mut self, to: Micros, max_events: u64) -> Advanced {
        self.engine.advance_to(to, max_events)
    }

    pub fn events_handled(&self) -> u64 {
        self.engine.events_handled()
    }

    /// When the next event is due, if any (none once the run has ended).
    pub fn next_event(&self) -> Option<Micros> {
        if self.engine.model.ended {
            None
        } else {
            self.engine.sched.peek_time()
        }
    }

    /// One sample per simulated second, oldest first.
    pub fn series(&self) -> &Ring<RolloutSample> {
        &self.engine.model.series
    }

    /// Whether the run has ended (settled a minute ago, or at its longest).
    pub fn ended(&self) -> bool {
        self.engine.model.ended
    }

    /// Whether "Roll back now" can still do something.
    pub fn can_roll_back(&self) -> bool {
        self.engine.model.can_roll_back()
    }

    /// The reader's "Roll back now": the rollback starts at the run's clock (the requests up to
    /// then served first). Does nothing when the run is already rolling back or has ended.
    pub fn roll_back_now(&mut self) {
        let now = self.engine.now();
        let (m, s) = (&mut self.engine.model, &mut self.engine.sched);
        if !m.can_roll_back() {
            return;
        }
        m.serve_until(now, s);
        if m.can_roll_back() {
            m.detect(now, Detector::Manual);
            m.begin_rollback(now, s);
        }
    }

    pub fn snapshot(&self) -> RolloutSnapshot {
        let m = &self.engine.model;
        let now = self.engine.now();
        RolloutSnapshot {
            now,
            phase: m.phase,
            strategy: m.p.strategy.index(),
            share_new: m.share_at(now).unwrap_or(0.0),
            old: m.old,
            new: m.new,
            replicas: m.p.replicas,
            peak_pods: m.peak_pods,
            min_ready: m.min_ready,
            totals: m.totals,
            exposure_at: m.exposure_at,
            detected_at: m.detected_at,
            detected_by: m.detected_by,
            excess_at_detect: m.excess_at_detect,
            alert_at: m.alert_at,
            rollback_at: m.rollback_at,
            rolled_back_at: m.rolled_back_at,
            full_at: m.full_at,
            done_at: m.done_at,
            analysis: matches!(m.p.strategy, Strategy::Canary { .. }).then_some(m.analysis),
            planned_full_s: m.planned_full_s,
            release_bad: m.p.new_err > m.p.baseline_err,
            can_roll_back: m.can_roll_back(),
            ended: m.ended,
        }
    }

    /// The canary's count-threshold detection beside its closed form (the `errors`-th failure of a
    /// Poisson process of rate rps · share · p_new: mean [`count_detect_time_s`], an Erlang time
    /// whose 5th–95th percentiles bound 90 % of runs), or why this run has nothing to compare;
    /// `None` unless the run is a canary with a count threshold and a bad release.
    pub fn detection_theory(&self) -> Option<Agreement> {
        use crate::queueing::{erlang_quantile, Comparison, Unit as QUnit};
        let m = &self.engine.model;
        let Strategy::Canary { analysis: Analysis::CountThreshold { errors }, bake_s, .. } = m.p.strategy else {
            return None;
        };
        let plan = m.p.analysis_plan()?;
        if m.p.new_err <= m.p.baseline_err || !plan.detect_s.is_finite() {
            return None;
        }
        let rate = m.p.rps * plan.share * m.p.new_err;
        let (lo, hi) = (erlang_quantile(errors, rate, 0.05), erlang_quantile(errors, rate, 0.95));
        let s = |x: f64| duration(x, Unit::S);
        let expects = format!(
            "the count threshold expects {errors} errors {} after the canary's first request on average, 90% of \
             runs within {}–{}",
            s(plan.detect_s),
            s(lo).trim_end_matches(" s"),
            s(hi)
        );
        let window = COUNT_WINDOW as f64 / SEC as f64;
        Some(match (m.detected_at, m.detected_by) {
            _ if hi > window => Agreement::Outside(format!(
                "No closed-form comparison: {expects}, longer than the {} window the errors must fall in, which \
                 the formula ignores.",
                s(window)
            )),
            _ if hi > bake_s => Agreement::Outside(format!(
                "No closed-form comparison: {expects}, but the {} bake time often ends first, which cuts the \
                 formula's distribution short.",
                s(bake_s)
            )),
            (Some(at), Some(Detector::Analysis)) => Agreement::Compared(Comparison {
                what: "time to detect",
                simulated: at.saturating_sub(m.exposure_at.unwrap_or(at)) as f64 / SEC as f64,
                theory: plan.detect_s,
                formula: "count threshold",
                unit: QUnit::S,
                n: 1,
                spread: Some((lo, hi)),
            }),
            (Some(_), Some(by)) => Agreement::Outside(format!(
                "Detected by {} before the canary analysis, so there is no count-threshold time to compare ({expects}).",
                if by == Detector::Manual { "you" } else { "the alert" }
            )),
            _ if m.exposure_at.is_none() => Agreement::Outside(format!("Not serving the canary yet: {expects}.")),
            _ if m.ended => Agreement::Outside(format!("Not detected by the analysis: {expects}.")),
            _ => Agreement::Outside(format!("Not detected yet: {expects}.")),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

/// The illustrative numbers behind the widget, stated once.
pub const ASSUMPTIONS: &str = "Illustrative assumptions: 10 pods serve a steady 1,000 requests a \
second; the old version fails 0.1% of them, an obvious bug 5% and a subtle regression 0.2%. Traffic \
goes evenly to ready pods (recreate, rolling) or by the router's weights (blue/green, canary), and a \
pod never overloads. The global alert pages when more than 1% of the last minute's served requests \
failed (a recreate's planned downtime is silenced), and on-call starts the rollback after the response \
time you set. Canary steps are 1 (or your first step), 5, 25, 50 and 100%; a step's canary pods are \
started and ready before it takes traffic, and the old version is scaled down as the canary grows. \
The canary analysis judges the first step and aborts the rollout itself; later steps rely on the \
global alert. Blue/green switches traffic in 1 second. \"Excess\" failures are those the old version \
would have served: both runs see the same requests with the same random draws.";

/// What a rollout preset sets: the strategy and its settings, from one of
/// [`RolloutParams::PRESETS`] (the release, the analysis and the timings stay as the reader set
/// them).
const fn strategy_keys(p: &RolloutParams) -> [(&'static str, f64); 6] {
    let mut out = [
        ("strategy", 0.0),
        ("canary", 1.0),
        ("bake", DEFAULT_BAKE_S),
        ("surge", 25.0),
        ("unavailable", 25.0),
        ("keep", DEFAULT_KEEP_S),
    ];
    out[0].1 = p.strategy.index() as f64;
    match p.strategy {
        Strategy::Recreate => {}
        Strategy::Rolling { max_surge, max_unavailable } => {
            out[3].1 = max_surge.percent_of(p.replicas);
            out[4].1 = max_unavailable.percent_of(p.replicas);
        }
        Strategy::BlueGreen { bake_s, .. } => out[5].1 = bake_s,
        Strategy::Canary { steps_pct, bake_s, .. } => {
            out[1].1 = steps_pct[0];
            out[2].1 = bake_s;
        }
    }
    out
}

const STRATEGIES: &[&str] = &["recreate", "rolling", "bluegreen", "canary"];
const RELEASES: &[&str] = &["good", "obvious", "subtle"];
const DETECTIONS: &[&str] = &["count", "binomial"];
const ALPHAS: &[&str] = &["1", "5", "10"];
/// The false-alarm rates the widget offers (its `alpha` options).
pub const ALPHA_VALUES: [f64; 3] = [0.01, 0.05, 0.10];
const POWERS: &[&str] = &["80", "90", "95"];
/// The powers the widget offers (its `power` options).
pub const POWER_VALUES: [f64; 3] = [0.80, 0.90, 0.95];
const P1S: &[&str] = &["0.2", "0.5", "1", "5"];
/// The error rates the binomial test is sized to catch (its `p1` options).
pub const P1_VALUES: [f64; 4] = [0.002, 0.005, 0.01, 0.05];
const COMPARES: &[&str] = &["none", "big-bang", "blue-green", "rolling", "canary-1", "canary-5"];

/// The rollout widget.
pub const ROLLOUT: WidgetSpec = WidgetSpec {
    name: "rollout",
    about: crate::note::About {
        question: "Which release strategy should this service use, and how many requests would a bad release fail before it is rolled back?",
        assumptions: &[(ASSUMPTIONS, "")],
        sources: &[
            "Štěpán Davidovič and Betsy Beyer, Canarying Releases (chapter 16 of The Site Reliability Workbook) (2018)",
            "The Kubernetes Authors, Deployments: rolling update, max surge and max unavailable (2026)",
            "Jez Humble and David Farley, Continuous Delivery: Reliable Software Releases through Build, Test, and Deployment Automation (2010)",
        ],
    },
    reserve_rem: 79.5,
    // Animated, but light: at 100× a frame serves about 1,700 requests per run, a fraction of a
    // millisecond built for size (and opt-level 3 would cost the embed about 5.6 KB gzip).
    hot: false,
    title: "Who gets hurt, and how fast do you know?",
    params: &[
        labelled(
            choice("strategy", "Strategy", STRATEGIES, 3),
            &["Big bang (recreate)", "Rolling update", "Blue/green", "Canary"],
        ),
        labelled(
            choice("release", "Release", RELEASES, 1),
            &["Good release", "Obvious bug (5% errors)", "Subtle regression (0.2% errors)"],
        ),
        range("canary", "First canary step", 1.0, 50.0, 1.0, 1.0, "% of traffic").shown_if("strategy", 3.0),
        range("bake", "Bake time per step", 0.0, 900.0, 10.0, DEFAULT_BAKE_S, "s").shown_if("strategy", 3.0),
        range("surge", "Max surge", 0.0, 100.0, 5.0, 25.0, "% of pods").shown_if("strategy", 1.0),
        range("unavailable", "Max unavailable", 0.0, 100.0, 5.0, 25.0, "% of pods").shown_if("strategy", 1.0),
        range("keep", "Keep blue after the switch", 0.0, 900.0, 10.0, DEFAULT_KEEP_S, "s").shown_if("strategy", 2.0),
        range("ready", "Pod start-up time", 0.0, 120.0, 5.0, 30.0, "s"),
        range("respond", "On-call response to the alert", 0.0, 900.0, 10.0, 300.0, "s"),
        labelled(choice("detect", "Canary analysis", DETECTIONS, 0), &["Count threshold", "Binomial test"])
            .in_group("analysis"),
        range("threshold", "Fail the canary at", 1.0, 100.0, 1.0, DEFAULT_THRESHOLD as f64, "errors")
            .in_group("analysis")
            .shown_if("detect", 0.0),
        labelled(choice("alpha", "False-alarm rate α", ALPHAS, 1), &["1%", "5%", "10%"])
            .in_group("analysis")
            .shown_if("detect", 1.0),
        labelled(choice("power", "Power", POWERS, 0), &["80%", "90%", "95%"])
            .in_group("analysis")
            .shown_if("detect", 1.0),
        labelled(choice("p1", "Error rate to catch", P1S, 0), &["0.2% (2× the old)", "0.5%", "1%", "5%"])
            .in_group("analysis")
            .shown_if("detect", 1.0),
        labelled(
            choice("compare", "Compare with", COMPARES, 2),
            &["nothing", "Big bang (recreate)", "Blue/green", "Rolling 25%/25%", "Canary 1%", "Canary 5%"],
        )
        .in_group("ab"),
    ],
    presets: &[
        ("big-bang", &strategy_keys(&RolloutParams::BIG_BANG)),
        ("blue-green", &strategy_keys(&RolloutParams::BLUE_GREEN)),
        ("rolling", &strategy_keys(&RolloutParams::ROLLING)),
        ("canary-1", &strategy_keys(&RolloutParams::CANARY_1)),
        ("canary-5", &strategy_keys(&RolloutParams::CANARY_5)),
    ],
};

/// The preset run B uses under `state`, if the comparison is on.
pub fn compare_preset(state: &State) -> Option<usize> {
    (value!(ROLLOUT, state, "compare") as usize).checked_sub(1)
}

/// Whether the canary analysis matters under `state` (run A or B is a canary).
pub fn uses_canary(state: &State) -> bool {
    value!(ROLLOUT, state, "strategy") as usize == 3
        || compare_preset(state).is_some_and(|i| ROLLOUT.presets.get(i).is_some_and(|(_, v)| v[0].1 == 3.0))
}

/// Rollout parameters for a state; `preset` overrides the strategy settings with a preset's (run
/// B of the comparison).
pub fn rollout_params(state: &State, preset: Option<usize>) -> RolloutParams {
    let mut st = state.clone();
    if let Some(i) = preset {
        for (k, v) in ROLLOUT.presets[i.min(ROLLOUT.presets.len() - 1)].1 {
            st.set(&ROLLOUT, k, *v);
        }
    }
    let pick = |values: &[f64], i: f64| values[(i as usize).min(values.len() - 1)];
    let analysis = if value!(ROLLOUT, st, "detect") == 0.0 {
        Analysis::CountThreshold { errors: value!(ROLLOUT, st, "threshold") as u32 }
    } else {
        Analysis::Binomial {
            alpha: pick(&ALPHA_VALUES, value!(ROLLOUT, st, "alpha")),
            power: pick(&POWER_VALUES, value!(ROLLOUT, st, "power")),
            p1: pick(&P1_VALUES, value!(ROLLOUT, st, "p1")),
        }
    };
    let strategy = match value!(ROLLOUT, st, "strategy") as usize {
        0 => Strategy::Recreate,
        1 => Strategy::Rolling {
            max_surge: Amount::Percent(value!(ROLLOUT, st, "surge")),
            max_unavailable: Amount::Percent(value!(ROLLOUT, st, "unavailable")),
        },
        2 => Strategy::BlueGreen { switch_s: 1.0, bake_s: value!(ROLLOUT, st, "keep") },
        _ => Strategy::Canary {
            steps_pct: canary_steps(value!(ROLLOUT, st, "canary")),
            bake_s: value!(ROLLOUT, st, "bake"),
            analysis,
        },
    };
    let release = Release::ALL[(value!(ROLLOUT, st, "release") as usize).min(Release::ALL.len() - 1)];
    RolloutParams {
        strategy,
        pod_ready_s: value!(ROLLOUT, st, "ready"),
        respond_s: value!(ROLLOUT, st, "respond"),
        ..RolloutParams::BASE
    }
    .with_release(release)
    .clamped()
}

// ---------------------------------------------------------------------------------------------
// The widget's run: the reader's rollback and the A/B pair
// ---------------------------------------------------------------------------------------------

/// What a reader does to a running rollout, as a share link logs it. (Every setting restarts the
/// run, so there is no `set`.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RolloutAction {
    /// `rollback`: "Roll back now", in both runs.
    RollBack,
}

impl RolloutAction {
    /// Reads a log entry (`rollback`); `None` for anything else.
    pub fn parse(code: &str) -> Option<RolloutAction> {
        (code == "rollback").then_some(RolloutAction::RollBack)
    }

    /// The log entry [`Self::parse`] reads back.
    pub fn encode(&self) -> String {
        "rollback".into()
    }
}

/// The rollout widget's run: A (the settings) and, when `compare` names a preset, B (that
/// preset's strategy over the same settings) on the same seed, so on exactly the same requests.
/// "Roll back now" applies to both.
#[derive(Clone)]
pub struct RolloutRuns {
    sims: Vec<RolloutSim>,
}

/// What the widget shows of its runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RolloutRunsSnapshot {
    pub a: RolloutSnapshot,
    pub b: Option<RolloutSnapshot>,
}

impl RolloutRuns {
    /// A (and B), in that order.
    pub fn sims(&self) -> &[RolloutSim] {
        &self.sims
    }

    /// Whether every run has ended.
    pub fn ended(&self) -> bool {
        self.sims.iter().all(RolloutSim::ended)
    }

    /// Whether "Roll back now" would change a run.
    pub fn can_roll_back(&self) -> bool {
        self.sims.iter().any(RolloutSim::can_roll_back)
    }
}

impl Replayable for RolloutRuns {
    type Action = RolloutAction;
    type Snapshot = RolloutRunsSnapshot;
    const SPEC: &'static WidgetSpec = &ROLLOUT;
    /// A canary with five steps of up to 15 minutes' bake runs for over an hour, and a rollout
    /// simulates cheaply (batches of requests, not requests), so a link replays all of it.
    const MAX_REPLAY_US: Micros = crate::spec::MAX_REPLAY_US;

    fn parse(code: &str) -> Option<RolloutAction> {
        RolloutAction::parse(code)
    }

    fn encode(action: &RolloutAction) -> String {
        action.encode()
    }

    fn set(_: usize, _: f64) -> Option<RolloutAction> {
        None // a rollout is planned from its settings: any change starts it again
    }

    fn start(settings: &State) -> Self {
        let mut sims = vec![RolloutSim::new(rollout_params(settings, None), settings.seed)];
        if let Some(i) = compare_preset(settings) {
            sims.push(RolloutSim::new(rollout_params(settings, Some(i)), settings.seed));
        }
        RolloutRuns { sims }
    }

    fn now(&self) -> Micros {
        self.sims[0].now()
    }

    /// With two runs, events are handled in time order across both, so when the budget runs out
    /// both stop at the same moment.
    fn run_to(&mut self, to: Micros, max_events: u64) -> Advanced {
        let mut events = 0;
        while events < max_events {
            let due = self.sims.iter().enumerate().filter_map(|(i, s)| Some((s.next_event()?, i)));
            let Some((_, i)) = due.filter(|&(t, _)| t <= to).min() else {
                for sim in &mut self.sims {
                    sim.advance_to(to, u64::MAX); // nothing is due by `to`: only the clocks move
                }
                return Advanced { events, reached: true };
            };
            self.sims[i].step();
            events += 1;
        }
        let at = self.sims.iter().map(RolloutSim::now).max().unwrap_or(0);
        for sim in &mut self.sims {
            sim.advance_to(at, u64::MAX);
        }
        Advanced { events, reached: at >= to && self.sims.iter().all(|s| s.next_event().is_none_or(|t| t > to)) }
    }

    fn apply(&mut self, _: &mut State, action: &RolloutAction) {
        match action {
            RolloutAction::RollBack => self.sims.iter_mut().for_each(RolloutSim::roll_back_now),
        }
    }

    fn snapshot(&self) -> RolloutRunsSnapshot {
        RolloutRunsSnapshot { a: self.sims[0].snapshot(), b: self.sims.get(1).map(RolloutSim::snapshot) }
    }
}

/// A rollout run with its interventions, replayable from a share link.
pub type RolloutReplay = Replay<RolloutRuns>;

/// The rollout's named scenarios ([`crate::scenario`]): who a bad release hurts, and how fast
/// anyone knows, under each strategy (10 replicas, 1,000 requests a second, the release at 30 s).
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "canary-catches-a-bug",
        title: "A 1% canary against blue/green",
        watch_for: "The same bug: the canary's analysis rolled it back 14 s in, 10 requests worse off; blue/green paged, waited 5 minutes for on-call, and failed 15,130.",
        link: "t=340000000",
    },
    Scenario {
        name: "big-bang",
        title: "Big bang: everyone at once",
        watch_for: "Recreate left no one on the old version: 60 s without service (starting, then rolling back) and 74,720 extra failures; the 1% canary beside it, 10.",
        link: "strategy=recreate&compare=canary-1&t=400000000",
    },
    Scenario {
        name: "subtle-regression",
        title: "A subtle regression and a patient test",
        watch_for: "To judge 0.2% errors against 0.1%, the binomial test waited for 8,027 canary requests, 13 min 23 s at 1%, and then passed it: 80% power misses one in five.",
        link: "release=subtle&detect=binomial&t=840000000",
    },
    Scenario {
        name: "cost-of-a-good-release",
        title: "What a good release costs",
        watch_for: "Nothing is wrong, and blue/green runs 20 pods, twice the fleet, for its 10-minute bake; the 25% rolling update peaked at 13 and is already done.",
        link: "release=good&strategy=bluegreen&compare=rolling&t=70000000",
    },
];

// ---------------------------------------------------------------------------------------------
// What the widget shows, and its decision note
// ---------------------------------------------------------------------------------------------

impl RolloutSnapshot {
    /// The traffic on the new version ("1%", "none").
    pub fn share_text(&self) -> String {
        if self.share_new > 0.0 {
            percent_fine(self.share_new)
        } else {
            "none".into()
        }
    }

    /// The clock in plain seconds, as every animated widget's clock shows it (the tests read it).
    pub fn time_text(&self) -> String {
        let t = format!("{} s", crate::fmt::num(self.now as f64 / SEC as f64, 1));
        if self.ended {
            format!("{t} (run over)")
        } else {
            t
        }
    }

    /// A run's key numbers, as its panel shows them (the first, the blast radius, is the key one).
    pub fn readouts(&self) -> Vec<Readout> {
        vec![
            Readout::new("excess", "Excess failed requests", self.excess_text()),
            Readout::new("detect", "Time to detect", self.detect_text()),
            Readout::new("full", "Time to 100% new", self.full_text()),
            Readout::new("capacity", "Peak capacity", self.capacity_text()),
            Readout::new("share", "Traffic on the new version", self.share_text()),
            Readout::new("time", "Simulated time", self.time_text()),
        ]
    }

    /// What happened in the run so far, each with its time.
    fn events(&self, who: &str) -> Vec<(Micros, String)> {
        let mut v = Vec::new();
        let mut at = |t: Option<Micros>, what: String| {
            if let Some(t) = t {
                v.push((t, format!("{who}{what}")));
            }
        };
        at(self.exposure_at, "the new version takes its first requests".into());
        let by = match self.detected_by {
            Some(Detector::Analysis) => Some("the canary analysis"),
            Some(Detector::Alert) => Some("the global alert"),
            Some(Detector::Manual) | None => None,
        };
        if let Some(by) = by {
            let what = if self.release_bad { "bad release detected" } else { "false alarm" };
            at(self.detected_at, format!("{what} by {by}"));
        }
        if self.alert_at != self.detected_at || by.is_none() {
            at(self.alert_at, "the global alert pages".into());
        }
        at(self.rollback_at, "rollback starts".into());
        at(self.rolled_back_at, "all traffic back on the old version".into());
        at(self.full_at, "all traffic on the new version".into());
        at(self.done_at, "the old version is gone".into());
        v
    }

    /// What the run shows so far, in two sentences.
    fn verdict(&self) -> String {
        format!(
            "{} So far {} excess failed requests; time to detect: {}.",
            self.status(),
            self.excess_text(),
            self.detect_text()
        )
    }
}

/// Run `index`'s heading: A's strategy from the settings ("A: " only when B is shown), B's from
/// its preset ("B: Blue/green").
pub fn run_label(state: &State, index: usize) -> String {
    let option = |key: &str, i: usize| ROLLOUT.param(key).map_or("", |(_, p)| p.option_label(i));
    let b = compare_preset(state);
    if index == 1 {
        return format!("B: {}", option("compare", b.map_or(0, |i| i + 1)));
    }
    let strategy = value!(ROLLOUT, state, "strategy") as usize;
    let mut name = option("strategy", strategy).to_string();
    if strategy == 3 {
        name = format!("{name} from {}%", crate::fmt::number(value!(ROLLOUT, state, "canary")));
    }
    if b.is_some() {
        name.insert_str(0, "A: ");
    }
    name
}

/// Run `index`'s canary analysis plan in words ("" for other strategies).
pub fn plan_text(state: &State, index: usize) -> String {
    let preset = if index == 0 { None } else { compare_preset(state) };
    rollout_params(state, preset).analysis_plan().map_or(String::new(), |p| p.describe())
}

/// The decision note's facts for a rollout run: where each run is and what it cost so far (A and
/// B side by side when comparing), the key numbers of its panels, and the run: its start, the
/// reader's rollback, and each run's exposure, detection, alert, rollback and completion.
pub fn rollout_facts(r: &RolloutReplay) -> Facts {
    let st = r.started();
    let snaps: Vec<RolloutSnapshot> = r.run().sims().iter().map(RolloutSim::snapshot).collect();
    let labels: Vec<String> = (0..snaps.len()).map(|i| run_label(st, i)).collect();
    let each = |f: &dyn Fn(&RolloutSnapshot) -> String| match &snaps[..] {
        [a, b] => format!("{}: {} {}: {}", labels[0], f(a), labels[1], f(b)),
        _ => f(&snaps[0]),
    };
    let verdict = each(&RolloutSnapshot::verdict);
    let mut readouts = snaps[0].readouts();
    if let Some(b) = snaps.get(1) {
        for (a, b) in readouts.iter_mut().zip(b.readouts()) {
            a.value = format!("A: {} · B: {}", a.value, b.value);
        }
    }
    let started = match &labels[..] {
        [a, b] => format!("started {a} and {b} on the same requests, seed {}", st.seed),
        _ => format!("started the rollout ({}), seed {}", labels[0], st.seed),
    };
    let mut events = Vec::new();
    for (i, s) in snaps.iter().enumerate() {
        events.extend(s.events(if snaps.len() > 1 { ["A: ", "B: "][i] } else { "" }));
    }
    let describe = |code: &str| {
        if code == "rollback" {
            "you pressed “Roll back now”".to_string()
        } else {
            code.to_string()
        }
    };
    let now_text = each(&|s| {
        let traffic = if s.share_new > 0.0 { format!("{} of traffic", s.share_text()) } else { "no traffic".into() };
        format!("{} excess failed requests, {traffic} on the new version.", s.excess_text())
    });
    let run = crate::note::run_so_far(
        &ROLLOUT,
        &r.applied(),
        &crate::note::at,
        &describe,
        &started,
        events,
        (r.now(), now_text.trim_end_matches('.')),
    );
    Facts { verdict, readouts, run }
}
