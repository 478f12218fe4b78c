//! Short-lived secrets: how long a leaked credential stays useful, against what short lifetimes
//! cost at run time (an issuer every workload depends on).
//!
//! A fleet of `W` workloads each holds one credential. It is either **static** (an API key or a
//! password rotated by a person or a script every `P`, or never) or **dynamic** (issued by Vault,
//! AWS STS or a KMS-backed token service with a lifetime `T`, and renewed at a fraction
//! `f = 2/3` of it). The widget's lifetime ladder ([`LADDER`]) runs from "never" down to 15
//! minutes; from a day down the credentials are dynamic.
//!
//! **Exposure.** A credential leaks at a uniformly random moment of its life (a log line, a
//! laptop, a CI artefact), so the time it has left is `U ~ Uniform(0, P)`. It stays useful until it
//! expires or until the leak is detected (`X`: never, after a fixed `D`, or exponential with mean
//! `D`) and revoked (`R` later), whichever comes first:
//!
//! ```text
//! exposure        E = min(U, X + R)
//! no detection    E[E] = P / 2                         p95 = 0.95 P
//! fixed D         E[E] = C − C² / (2P),  C = D + R ≤ P  (P / 2 beyond)
//!                 p95  = min(C, 0.95 P)
//! exponential     E[E] = R − R²/(2P) + (a·D − D²·(1 − e^(−a/D))) / P,  a = P − R
//!                 (from E[E] = ∫₀ᴾ (1 − u/P) · P(X + R > u) du); p95 solved numerically
//! never rotated   E[E] = E[X] + R (unbounded without detection)
//! ```
//!
//! **Runtime dependency.** A dynamic workload renews at age `fT`; its credential expires `(1−f)T`
//! later. If the issuer is down for `O` and the workloads' renewal moments are spread evenly, the
//! workloads whose renewal falls in the first `O − (1−f)T` of the outage run out before it ends:
//!
//! ```text
//! failing share   = clamp((O − (1−f)T) / (fT), 0, 1)
//! issuance rate   = W / (fT)
//! ```
//!
//! Static credentials never call the issuer at run time: an outage fails nothing, and the price is
//! the exposure above.
//!
//! The "leak now" timeline ([`SecretsRun`]) is a seeded, replayable run: one workload's credential
//! lives from rotation to rotation (its phase drawn from the seed), each leak lands at the moment
//! the reader pressed, its detection delay is drawn from the leak's own stream, and the window runs
//! until rotation, expiry or revocation. Integer simulated seconds; seekable.

use crate::des::{Advanced, Micros, SEC};
use crate::fmt::{duration, fixed, grouped, percent_fine, Unit};
use crate::note::{Facts, Readout};
use crate::replay::{Replay, Replayable};
use crate::rng::Rng;
use crate::spec::{choice, labelled, range, State, WidgetSpec};
use crate::value;

/// Seconds in an hour.
pub const HOUR_S: f64 = 3_600.0;
/// Seconds in a (365-day) year.
pub const YEAR_S: f64 = 365.0 * 86_400.0;
/// A dynamic credential is renewed at this fraction of its lifetime.
pub const RENEW_AT: f64 = 2.0 / 3.0;
/// The exposure quantile the widget reports.
pub const TAIL: f64 = 0.95;
/// A credential that lives longer than this (s) counts as long-lived.
pub const LONG_LIVED_S: f64 = 86_400.0;

/// One rung of the lifetime ladder: its key (URLs, markdown), its label, its lifetime in seconds
/// (`None`: never rotated) and whether an issuer hands it out at run time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rung {
    pub key: &'static str,
    pub label: &'static str,
    pub seconds: Option<f64>,
    pub dynamic: bool,
}

/// The widget's lifetime ladder, longest first (a log scale: each rung a few times shorter).
/// Static keys from "never" to 30 days; dynamic credentials from a day down.
pub const LADDER: [Rung; 7] = [
    Rung { key: "never", label: "never rotated", seconds: None, dynamic: false },
    Rung { key: "1y", label: "1 year", seconds: Some(YEAR_S), dynamic: false },
    Rung { key: "90d", label: "90 days", seconds: Some(90.0 * 86_400.0), dynamic: false },
    Rung { key: "30d", label: "30 days", seconds: Some(30.0 * 86_400.0), dynamic: false },
    Rung { key: "1d", label: "1 day", seconds: Some(86_400.0), dynamic: true },
    Rung { key: "1h", label: "1 hour", seconds: Some(3_600.0), dynamic: true },
    Rung { key: "15m", label: "15 minutes", seconds: Some(900.0), dynamic: true },
];
const LADDER_KEYS: &[&str] = &["never", "1y", "90d", "30d", "1d", "1h", "15m"];
const LADDER_LABELS: &[&str] = &[
    "never rotated (static)",
    "1 year (static)",
    "90 days (static)",
    "30 days (static)",
    "1 day (dynamic)",
    "1 hour (dynamic)",
    "15 minutes (dynamic)",
];

/// How a leak is found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detection {
    /// Nobody notices: the credential is useful until it expires.
    None,
    /// Found exactly `detect_h` after the leak (a scanner with a fixed cadence).
    Fixed,
    /// Found after an exponential time with mean `detect_h` (someone notices, eventually).
    Exponential,
}

impl Detection {
    pub const ALL: [Detection; 3] = [Detection::None, Detection::Fixed, Detection::Exponential];
}

/// The dated facts behind the ladder and the presets.
pub const FACTS: &str = "AWS STS AssumeRole sessions last 3,600 s by default, 900 s at least; \
Vault leases default to 768 h (32 days) when no TTL is set; Microsoft Entra ID access tokens last \
60–90 minutes.";
/// When [`FACTS`] were checked.
pub const FACTS_AS_OF: &str = "as of December 2026";

/// The illustrative assumptions.
pub const ASSUMPTIONS: &str = "Illustrative: a credential leaks at a uniformly random moment of \
its life and stays useful until it expires or is revoked; a rotated static key is revoked at \
rotation; detection is never, after a fixed delay, or exponential with the given mean; \
revocation takes effect everywhere at once after its latency. Dynamic credentials (a day or \
shorter) come from an issuer and are renewed at two thirds of their lifetime; the workloads' \
renewal moments are spread evenly; a workload whose credential expires while the issuer is down \
fails until the issuer is back. Static keys never call the issuer. The leak rate is per workload \
and year, whatever the lifetime.";

/// Declared ranges of the numeric parameters; [`SecretsParams::clamped`] forces values into them.
pub mod ranges {
    pub const WORKLOADS: (f64, f64) = (1.0, 100_000.0);
    pub const LEAK_RATE: (f64, f64) = (0.0, 10.0);
    /// Detection delay or mean, hours: up to two years.
    pub const DETECT_H: (f64, f64) = (0.01, 17_520.0);
    /// Revocation latency, minutes: up to a week.
    pub const REVOKE_MIN: (f64, f64) = (0.0, 10_080.0);
    /// Issuer outage, minutes: up to a day.
    pub const OUTAGE_MIN: (f64, f64) = (0.0, 1_440.0);
    pub const CAPACITY_RPS: (f64, f64) = (0.01, 1_000_000.0);
}

/// The parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SecretsParams {
    /// Index into [`LADDER`].
    pub rung: usize,
    pub workloads: f64,
    /// Leaks per workload per year.
    pub leak_rate: f64,
    pub detection: Detection,
    /// Fixed detection delay, or mean of the exponential one, hours.
    pub detect_h: f64,
    /// From detection to the credential being refused everywhere, minutes.
    pub revoke_min: f64,
    /// How long the issuer is down, minutes.
    pub outage_min: f64,
    /// Issuance requests a second the issuer can serve.
    pub capacity_rps: f64,
}

impl SecretsParams {
    /// The common starting point: static keys rotated every 90 days, leaks nobody detects.
    pub const STATIC_90D: SecretsParams = SecretsParams {
        rung: 2,
        workloads: 500.0,
        leak_rate: 0.05,
        detection: Detection::None,
        detect_h: 72.0,
        revoke_min: 0.0,
        outage_min: 60.0,
        capacity_rps: 50.0,
    };
    /// The key in the repository since the company started.
    pub const NEVER: SecretsParams = SecretsParams { rung: 0, ..SecretsParams::STATIC_90D };
    /// 90-day keys with a secret scanner that finds a leak within three days.
    pub const SCANNED: SecretsParams =
        SecretsParams { detection: Detection::Fixed, revoke_min: 30.0, ..SecretsParams::STATIC_90D };
    /// STS-style one-hour dynamic credentials (the AssumeRole default).
    pub const STS_1H: SecretsParams = SecretsParams { rung: 5, ..SecretsParams::STATIC_90D };
    /// The shortest STS session: 15 minutes.
    pub const STS_15M: SecretsParams = SecretsParams { rung: 6, ..SecretsParams::STATIC_90D };

    /// The presets in the order the widget offers them.
    pub const PRESETS: [(&'static str, SecretsParams); 5] = [
        ("static-90d", SecretsParams::STATIC_90D),
        ("never", SecretsParams::NEVER),
        ("scanned", SecretsParams::SCANNED),
        ("sts-1h", SecretsParams::STS_1H),
        ("sts-15m", SecretsParams::STS_15M),
    ];

    /// Every field forced into its range (NaN becomes the low end).
    pub fn clamped(mut self) -> SecretsParams {
        let c = crate::num::clamp_or_low;
        self.rung = self.rung.min(LADDER.len() - 1);
        self.workloads = c(self.workloads, ranges::WORKLOADS.0, ranges::WORKLOADS.1);
        self.leak_rate = c(self.leak_rate, ranges::LEAK_RATE.0, ranges::LEAK_RATE.1);
        self.detect_h = c(self.detect_h, ranges::DETECT_H.0, ranges::DETECT_H.1);
        self.revoke_min = c(self.revoke_min, ranges::REVOKE_MIN.0, ranges::REVOKE_MIN.1);
        self.outage_min = c(self.outage_min, ranges::OUTAGE_MIN.0, ranges::OUTAGE_MIN.1);
        self.capacity_rps = c(self.capacity_rps, ranges::CAPACITY_RPS.0, ranges::CAPACITY_RPS.1);
        self
    }

    /// The rung in force.
    pub fn rung(&self) -> Rung {
        LADDER[self.rung.min(LADDER.len() - 1)]
    }
}

// ---------------------------------------------------------------------------------------------
// Closed forms (any consistent time unit; the widget uses hours)
// ---------------------------------------------------------------------------------------------

/// `E[min(U, c)]` for `U ~ Uniform(0, p)`: `c − c²/(2p)` up to `p`, `p/2` beyond.
pub fn mean_capped_uniform(p: f64, c: f64) -> f64 {
    let c = c.max(0.0);
    if c >= p {
        p / 2.0
    } else {
        c - c * c / (2.0 * p)
    }
}

/// Expected exposure per leak: the credential's remaining life `U ~ Uniform(0, period)` (no
/// period: never expires) cut off `r` after detection (`d`: the fixed delay or the exponential
/// mean). Infinite only for a credential that never expires and a leak nobody detects.
pub fn expected_exposure(period: Option<f64>, detection: Detection, d: f64, r: f64) -> f64 {
    let (d, r) = (d.max(0.0), r.max(0.0));
    match (period, detection) {
        (None, Detection::None) => f64::INFINITY,
        (None, Detection::Fixed) => d + r,
        (None, Detection::Exponential) => d + r,
        (Some(p), Detection::None) => p / 2.0,
        (Some(p), Detection::Fixed) => mean_capped_uniform(p, d + r),
        (Some(p), Detection::Exponential) => {
            if r >= p {
                return p / 2.0;
            }
            let a = p - r;
            let before = r - r * r / (2.0 * p);
            // a·m − m²·(1 − e^(−a/m)), by its series when a/m is small (the two terms cancel).
            let x = a / d.max(1e-300);
            let tail = if x < 1e-4 {
                a * a / 2.0 - a * a * x / 6.0 + a * a * x * x / 24.0
            } else {
                a * d + d * d * libm::expm1(-x)
            };
            before + tail / p
        }
    }
}

/// The probability that exposure exceeds `x`.
pub fn exposure_survival(period: Option<f64>, detection: Detection, d: f64, r: f64, x: f64) -> f64 {
    let left = match period {
        Some(p) if x >= p => return 0.0,
        Some(p) => 1.0 - x / p,
        None => 1.0,
    };
    let cut = match detection {
        Detection::None => 1.0,
        Detection::Fixed => {
            if x < d + r {
                1.0
            } else {
                0.0
            }
        }
        Detection::Exponential => {
            if x < r {
                1.0
            } else {
                libm::exp(-(x - r) / d.max(1e-300))
            }
        }
    };
    left * cut
}

/// The `q` quantile of exposure (`q` = 0.95 for the widget's p95): the least `x` with
/// `P(exposure > x) ≤ 1 − q`. Infinite for a never-rotated credential nobody detects.
pub fn exposure_quantile(period: Option<f64>, detection: Detection, d: f64, r: f64, q: f64) -> f64 {
    let q = crate::num::clamp(q, 0.0, 1.0);
    let (d, r) = (d.max(0.0), r.max(0.0));
    match (period, detection) {
        (None, Detection::None) => f64::INFINITY,
        (Some(p), Detection::None) => q * p,
        (None, Detection::Fixed) => d + r,
        (Some(p), Detection::Fixed) => (d + r).min(q * p),
        (None, Detection::Exponential) => {
            if q <= 0.0 {
                0.0
            } else {
                r + d * -libm::log(1.0 - q.min(1.0 - 1e-16))
            }
        }
        (Some(p), Detection::Exponential) => {
            // Survival falls continuously from 1 at 0 to 0 at p: bisect.
            let (mut lo, mut hi) = (0.0, p);
            for _ in 0..200 {
                let mid = 0.5 * (lo + hi);
                if exposure_survival(Some(p), detection, d, r, mid) > 1.0 - q {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            hi
        }
    }
}

/// The share of dynamic workloads that fail during an issuer outage of `outage`: those whose
/// credential (lifetime `ttl`, renewed at `renew_at` of it) expires before the issuer is back.
pub fn failing_share(ttl: f64, renew_at: f64, outage: f64) -> f64 {
    if ttl.is_nan() || ttl <= 0.0 {
        return 0.0;
    }
    let renew = crate::num::clamp(renew_at, 1e-9, 1.0) * ttl;
    let slack = ttl - renew;
    crate::num::clamp((outage - slack) / renew, 0.0, 1.0)
}

/// Issuance requests a second for `workloads` renewing at `renew_at` of a lifetime of `ttl_s`.
pub fn issuance_per_s(workloads: f64, ttl_s: f64, renew_at: f64) -> f64 {
    if ttl_s.is_nan() || ttl_s <= 0.0 {
        return 0.0;
    }
    workloads.max(0.0) / (crate::num::clamp(renew_at, 1e-9, 1.0) * ttl_s)
}

/// Expected remaining life at a uniformly random moment (a revocation, a leak) when lifetimes
/// vary: the length-biased `E[L²] / (2 E[L])`. For `L ~ Uniform(lo, hi)`.
pub fn mean_remaining_uniform_lifetime(lo: f64, hi: f64) -> f64 {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    let mean = (lo + hi) / 2.0;
    if mean.is_nan() || mean <= 0.0 {
        return 0.0;
    }
    let second = (lo * lo + lo * hi + hi * hi) / 3.0;
    second / (2.0 * mean)
}

/// What a seeded Monte Carlo run of leaks found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LeakSample {
    pub leaks: u32,
    pub mean: f64,
    pub p95: f64,
    /// Leaks still useful after `horizon` (only for credentials that never expire).
    pub open: u32,
}

/// Draws one leak's exposure: remaining life uniform over `period` (or forever), cut at detection
/// plus `r`.
fn draw_exposure(rng: &mut Rng, period: Option<f64>, detection: Detection, d: f64, r: f64) -> f64 {
    let left = period.map_or(f64::INFINITY, |p| rng.uniform_range(0.0, p));
    let found = match detection {
        Detection::None => f64::INFINITY,
        Detection::Fixed => d + r,
        Detection::Exponential => rng.exp(d) + r,
    };
    left.min(found)
}

/// `n` leaks drawn with a seeded [`Rng`] (at most a million): their mean and 95th percentile, for
/// checking the closed forms. Exposures past `horizon` count as `horizon` and as open.
pub fn simulate_leaks(
    period: Option<f64>,
    detection: Detection,
    d: f64,
    r: f64,
    n: u32,
    seed: u64,
    horizon: f64,
) -> LeakSample {
    let n = n.clamp(1, 1_000_000);
    let mut rng = Rng::new(seed);
    let mut all: Vec<f64> = Vec::with_capacity(n as usize);
    let mut open = 0;
    for _ in 0..n {
        let e = draw_exposure(&mut rng, period, detection, d, r);
        if e > horizon {
            open += 1;
        }
        all.push(e.min(horizon));
    }
    crate::num::sort::floats(&mut all);
    let mean = all.iter().sum::<f64>() / f64::from(n);
    let k = ((f64::from(n) * TAIL).ceil() as usize).clamp(1, n as usize) - 1;
    LeakSample { leaks: n, mean, p95: all[k], open }
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

/// Everything the widget's numbers come from.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretsReport {
    pub params: SecretsParams,
    pub rung: Rung,
    /// Expected exposure per leak, hours (infinite: never ends).
    pub mean_h: f64,
    pub p95_h: f64,
    /// Leaks a year across the fleet.
    pub leaks_per_year: f64,
    /// Credential-hours of exposure a year (leaks × mean).
    pub exposed_h_per_year: f64,
    /// Issuance requests a second (0 for static keys).
    pub issuance_per_s: f64,
    /// Issuance load over the issuer's capacity.
    pub issuer_load: f64,
    /// Share of workloads failing by the end of the outage.
    pub failing: f64,
    /// Workloads failing by then.
    pub failing_workloads: f64,
    /// Workloads whose credential expires in the outage's first minute of slack, and so the
    /// renewals queued when the issuer returns.
    pub backlog: f64,
    /// Seconds the issuer needs to clear that backlog at capacity.
    pub catch_up_s: f64,
    /// Credentials that live longer than a day.
    pub long_lived: f64,
    pub verdict: String,
}

/// Computes the report.
pub fn analyse(p: &SecretsParams) -> SecretsReport {
    let p = p.clamped();
    let rung = p.rung();
    let period_h = rung.seconds.map(|s| s / HOUR_S);
    let r_h = p.revoke_min / 60.0;
    let mean_h = expected_exposure(period_h, p.detection, p.detect_h, r_h);
    let p95_h = exposure_quantile(period_h, p.detection, p.detect_h, r_h, TAIL);
    let leaks = p.workloads * p.leak_rate;
    let exposed = if leaks > 0.0 { leaks * mean_h } else { 0.0 };
    let (issuance, failing) = match (rung.dynamic, rung.seconds) {
        (true, Some(t)) => (issuance_per_s(p.workloads, t, RENEW_AT), failing_share(t / 60.0, RENEW_AT, p.outage_min)),
        _ => (0.0, 0.0),
    };
    // Every workload whose renewal fell in the outage queues one: all of them once the outage
    // is as long as the renewal interval.
    let backlog = match (rung.dynamic, rung.seconds) {
        (true, Some(t)) => p.workloads * crate::num::clamp(p.outage_min * 60.0 / (RENEW_AT * t), 0.0, 1.0),
        _ => 0.0,
    };
    let catch_up = backlog / p.capacity_rps;
    let long_lived = match rung.seconds {
        Some(s) if s <= LONG_LIVED_S => 0.0,
        _ => p.workloads,
    };
    let load = issuance / p.capacity_rps;
    let mut r = SecretsReport {
        params: p,
        rung,
        mean_h,
        p95_h,
        leaks_per_year: leaks,
        exposed_h_per_year: exposed,
        issuance_per_s: issuance,
        issuer_load: load,
        failing,
        failing_workloads: (failing * p.workloads).round(),
        backlog,
        catch_up_s: catch_up,
        long_lived,
        verdict: String::new(),
    };
    r.verdict = verdict(&r);
    r
}

/// Hours as the widget shows them: "1,080 h (45 days)", "70.8 h (2.9 days)", "30 min",
/// "unbounded".
pub fn hours_text(h: f64) -> String {
    if !h.is_finite() {
        return "unbounded (until someone notices)".into();
    }
    let s = h * HOUR_S;
    if h >= 1_000.0 {
        format!("{} h ({})", grouped(h), duration(s, Unit::S))
    } else if h >= 48.0 {
        format!("{} h ({})", crate::fmt::short(h, 1), duration(s, Unit::S))
    } else {
        duration(s, Unit::S)
    }
}

/// A rate a second: "0.208/s (12.5/min)".
pub fn per_s_text(x: f64) -> String {
    if x <= 0.0 || !x.is_finite() {
        return "none at run time".into();
    }
    let per_s = if x >= 100.0 {
        grouped(x)
    } else if x >= 1.0 {
        fixed(x, 1)
    } else {
        crate::fmt::short(x, 4)
    };
    format!("{per_s}/s ({}/min)", crate::fmt::short(x * 60.0, 1))
}

fn verdict(r: &SecretsReport) -> String {
    let p = &r.params;
    let exposure = if r.mean_h.is_finite() {
        format!(
            "A leaked credential stays useful for {} on average, {} at the 95th percentile.",
            hours_text(r.mean_h),
            hours_text(r.p95_h)
        )
    } else {
        "A leaked key that is never rotated and never detected stays useful for ever.".to_string()
    };
    if r.rung.dynamic {
        let outage = if r.failing >= 1.0 {
            format!(
                "A {} issuer outage takes every workload down: credentials renewed at two thirds of their life last only {} past a failed renewal.",
                duration(p.outage_min * 60.0, Unit::S),
                duration(r.rung.seconds.unwrap_or(0.0) * (1.0 - RENEW_AT), Unit::S)
            )
        } else if r.failing > 0.0 {
            format!(
                "The price is a runtime dependency: a {} issuer outage fails {} of the workloads ({}).",
                duration(p.outage_min * 60.0, Unit::S),
                percent_fine(r.failing),
                grouped(r.failing_workloads)
            )
        } else {
            format!(
                "A {} issuer outage fails nothing: it ends within the renewal slack.",
                duration(p.outage_min * 60.0, Unit::S)
            )
        };
        format!("{exposure} {outage}")
    } else {
        format!(
            "{exposure} No issuer on the request path: an outage fails nothing, and {} long-lived secrets wait to be found.",
            grouped(r.long_lived)
        )
    }
}

// ---------------------------------------------------------------------------------------------
// The widget's declaration
// ---------------------------------------------------------------------------------------------

const DETECTIONS: &[&str] = &["none", "fixed", "exp"];

const fn keys(p: &SecretsParams) -> [(&'static str, f64); 4] {
    [("ttl", p.rung as f64), ("detect", p.detection as u8 as f64), ("detect_h", p.detect_h), ("revoke", p.revoke_min)]
}

/// Short-lived secrets: exposure per leak against the issuer as a runtime dependency.
pub const SECRETS: WidgetSpec = WidgetSpec {
    name: "secrets",
    title: "Short-lived secrets: exposure against dependency",
    about: crate::note::About {
        question: "How long should our credentials live: how much exposure does a shorter lifetime remove, and how \
                   much does it make every workload depend on the issuer?",
        assumptions: &[(ASSUMPTIONS, ""), (FACTS, FACTS_AS_OF)],
        sources: &[
            "AWS, AssumeRole, AWS Security Token Service API Reference (2026)",
            "HashiCorp, Vault documentation: lease, renew and revoke (2026)",
            "Microsoft, Configurable token lifetimes in the Microsoft identity platform (2026)",
            "OWASP, Secrets Management Cheat Sheet (2024)",
        ],
    },
    reserve_rem: 86.0,
    hot: false,
    params: &[
        labelled(choice("ttl", "Credential lifetime", LADDER_KEYS, 2), LADDER_LABELS).in_group("ttl"),
        labelled(
            choice("detect", "Leak detection", DETECTIONS, 0),
            &["none", "after a fixed delay", "exponential (mean delay)"],
        ),
        range("detect_h", "Detection delay (fixed, or mean)", 1.0, 2_160.0, 1.0, 72.0, "h"),
        range("revoke", "Revocation after detection", 0.0, 1_440.0, 5.0, 0.0, "min"),
        range("outage", "Issuer outage (Vault, STS, KMS)", 0.0, 240.0, 5.0, 60.0, "min"),
        range("capacity", "Issuer capacity", 1.0, 1_000.0, 1.0, 50.0, "req/s"),
        range("workloads", "Workloads", 10.0, 10_000.0, 10.0, 500.0, ""),
        range("leaks", "Leaks per workload per year (illustrative)", 0.0, 1.0, 0.01, 0.05, ""),
    ],
    presets: &[
        ("static-90d", &keys(&SecretsParams::STATIC_90D)),
        ("never", &keys(&SecretsParams::NEVER)),
        ("scanned", &keys(&SecretsParams::SCANNED)),
        ("sts-1h", &keys(&SecretsParams::STS_1H)),
        ("sts-15m", &keys(&SecretsParams::STS_15M)),
    ],
};

/// The model's parameters for a widget state.
pub fn secrets_params(state: &State) -> SecretsParams {
    let detect = value!(SECRETS, state, "detect") as usize;
    SecretsParams {
        rung: value!(SECRETS, state, "ttl") as usize,
        workloads: value!(SECRETS, state, "workloads"),
        leak_rate: value!(SECRETS, state, "leaks"),
        detection: Detection::ALL[detect.min(Detection::ALL.len() - 1)],
        detect_h: value!(SECRETS, state, "detect_h"),
        revoke_min: value!(SECRETS, state, "revoke"),
        outage_min: value!(SECRETS, state, "outage"),
        capacity_rps: value!(SECRETS, state, "capacity"),
    }
    .clamped()
}

/// The report's key numbers as the widget shows them.
pub fn report_readouts(r: &SecretsReport) -> Vec<Readout> {
    let outage = if r.rung.dynamic {
        format!("{} ({} of {})", percent_fine(r.failing), grouped(r.failing_workloads), grouped(r.params.workloads))
    } else {
        "none (static keys)".into()
    };
    let load = if r.rung.dynamic { format!("{} of capacity", percent_fine(r.issuer_load)) } else { "none".into() };
    vec![
        Readout::new("mean", "Exposure per leak (mean)", hours_text(r.mean_h)),
        Readout::new("p95", "Exposure per leak (p95)", hours_text(r.p95_h)),
        Readout::new("issuance", "Issuance rate", per_s_text(r.issuance_per_s)),
        Readout::new("load", "Issuer load", load),
        Readout::new("failing", "Failing during the outage", outage),
        Readout::new("long-lived", "Long-lived secrets (over a day)", grouped(r.long_lived)),
        Readout::new(
            "per-year",
            "Exposure a year (illustrative)",
            if r.exposed_h_per_year.is_finite() {
                format!(
                    "{} leaks, {} credential-hours",
                    crate::fmt::short(r.leaks_per_year, 1),
                    grouped(r.exposed_h_per_year)
                )
            } else {
                format!("{} leaks, unbounded", crate::fmt::short(r.leaks_per_year, 1))
            },
        )
        .wide(),
    ]
}

/// The workload strip under the outage slider: `cells` cells, the first `failing` of them failed.
pub fn failing_cells(r: &SecretsReport, cells: usize) -> usize {
    ((r.failing * cells as f64).round() as usize).min(cells)
}

/// The outage in words (the strip's text equivalent).
pub fn outage_text(r: &SecretsReport) -> String {
    let p = &r.params;
    let o = duration(p.outage_min * 60.0, Unit::S);
    if !r.rung.dynamic {
        return format!(
            "Issuer down for {o}: no workload notices, static keys do not call it. Rotation is a runbook, not a dependency."
        );
    }
    let t = r.rung.seconds.unwrap_or(0.0);
    let mut s = format!(
        "Issuer down for {o}: {} of {} workloads fail before it returns (credentials of {} renewed every {}, {} of slack).",
        grouped(r.failing_workloads),
        grouped(p.workloads),
        duration(t, Unit::S),
        duration(t * RENEW_AT, Unit::S),
        duration(t * (1.0 - RENEW_AT), Unit::S)
    );
    if r.backlog > 0.0 {
        s.push_str(&format!(
            " On its return {} renewals queue up: {} at {} req/s.",
            grouped(r.backlog),
            duration(r.catch_up_s, Unit::S),
            grouped(p.capacity_rps)
        ));
    }
    s
}

// ---------------------------------------------------------------------------------------------
// The "leak now" timeline: a replayable run
// ---------------------------------------------------------------------------------------------

/// The whole timeline plays in this much replay clock (µs) at 1×.
pub const RUN_US: Micros = 60 * SEC;
/// At most this many leaks on one timeline.
pub const MAX_LEAKS: usize = 6;

/// How a leak's window closed (or has not).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closed {
    /// Still useful at the playhead.
    Open,
    /// The key was rotated (static) or the credential expired (dynamic).
    Expired,
    /// Detected and revoked.
    Revoked,
}

/// One leak on the timeline, simulated seconds from the timeline's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Leak {
    pub at: u64,
    /// When the leaked credential expires or is rotated (`None`: never).
    pub expires: Option<u64>,
    /// When it is revoked after detection (`None`: never detected).
    pub revoked: Option<u64>,
}

impl Leak {
    /// When the window closes, if it does.
    pub fn end(&self) -> Option<u64> {
        match (self.expires, self.revoked) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
    /// What closed it by `now`.
    pub fn closed(&self, now: u64) -> Closed {
        match self.end() {
            Some(e) if e <= now => {
                if self.expires == Some(e) {
                    Closed::Expired
                } else {
                    Closed::Revoked
                }
            }
            _ => Closed::Open,
        }
    }
    /// Seconds it has been (or was) useful by `now`.
    pub fn exposed(&self, now: u64) -> u64 {
        let until = self.end().map_or(now, |e| e.min(now));
        until.saturating_sub(self.at)
    }
}

/// An intervention: `leak`, or a setting that does not touch the timeline.
#[derive(Clone, Debug, PartialEq)]
pub enum SecretsAction {
    Leak,
    Set { key: &'static str, value: f64 },
}

/// Settings that change the numbers but not the timeline (the others restart it).
const LIVE: [&str; 4] = ["outage", "capacity", "workloads", "leaks"];

impl SecretsAction {
    pub fn set(key: &str, value: f64) -> Option<SecretsAction> {
        let key = LIVE.iter().find(|k| **k == key)?;
        value.is_finite().then_some(SecretsAction::Set { key, value })
    }
    pub fn parse(code: &str) -> Option<SecretsAction> {
        if code == "leak" {
            return Some(SecretsAction::Leak);
        }
        let (key, value) = code.strip_prefix("set.")?.split_once('.')?;
        SecretsAction::set(key, crate::num::parse_decimal(value)?)
    }
    pub fn encode(&self) -> String {
        match self {
            SecretsAction::Leak => "leak".into(),
            SecretsAction::Set { key, value } => format!("set.{key}.{}", crate::fmt::number(*value)),
        }
    }
}

/// The timeline's span in simulated seconds for `p`: three of the longest windows a leak can
/// have (the lifetime; without one, the detection's 95th percentile; with neither, two years),
/// at least an hour.
pub fn horizon_s(p: &SecretsParams) -> u64 {
    let p = p.clamped();
    let r_s = p.revoke_min * 60.0;
    let window = match p.rung().seconds {
        Some(s) => s,
        None => match p.detection {
            Detection::None => 2.0 * YEAR_S / 3.0,
            _ => exposure_quantile(None, p.detection, p.detect_h * HOUR_S, r_s, TAIL),
        },
    };
    crate::num::clamp(3.0 * window, HOUR_S, 10.0 * YEAR_S).round() as u64
}

/// The widget's run: one workload's credential lifetimes and the leaks the reader dropped.
#[derive(Clone)]
pub struct SecretsRun {
    params: SecretsParams,
    seed: u64,
    horizon: u64,
    /// The first rotation (s), drawn from the seed.
    phase: u64,
    now: Micros,
    leaks: [Leak; MAX_LEAKS],
    count: usize,
}

/// What the timeline shows at the playhead.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SecretsSnapshot {
    /// The playhead, simulated seconds.
    pub now_s: u64,
    pub horizon_s: u64,
    pub leaks: [Leak; MAX_LEAKS],
    pub count: usize,
    pub ended: bool,
}

impl SecretsRun {
    pub fn new(p: SecretsParams, seed: u64) -> SecretsRun {
        let p = p.clamped();
        let horizon = horizon_s(&p);
        let phase = match p.rung().seconds {
            Some(s) => Rng::new(seed).below((s.round() as u64).max(1)),
            None => 0,
        };
        let empty = Leak { at: 0, expires: None, revoked: None };
        SecretsRun { params: p, seed, horizon, phase, now: 0, leaks: [empty; MAX_LEAKS], count: 0 }
    }
    pub fn params(&self) -> &SecretsParams {
        &self.params
    }
    /// Simulated seconds at replay time `t`.
    pub fn sim_at(&self, t: Micros) -> u64 {
        (u128::from(t.min(RUN_US)) * u128::from(self.horizon) / u128::from(RUN_US)) as u64
    }
    pub fn now_s(&self) -> u64 {
        self.sim_at(self.now)
    }
    pub fn horizon(&self) -> u64 {
        self.horizon
    }
    pub fn ended(&self) -> bool {
        self.now >= RUN_US
    }
    /// The moments the credential is rotated or replaced within the horizon (none: never).
    pub fn rotations(&self) -> impl Iterator<Item = u64> + '_ {
        let step = self.params.rung().seconds.map(|s| (s.round() as u64).max(1));
        let first = self.phase;
        (0..).map_while(move |k: u64| {
            let s = step?;
            let t = first.checked_add(k.checked_mul(s)?)?;
            (t <= self.horizon).then_some(t)
        })
    }
    /// The leaks dropped so far.
    pub fn leaks(&self) -> &[Leak] {
        &self.leaks[..self.count]
    }
    /// A leak of the credential in use at the playhead.
    pub fn leak(&mut self) {
        if self.count >= MAX_LEAKS {
            return;
        }
        let at = self.now_s();
        let p = &self.params;
        let expires = p.rung().seconds.map(|s| {
            let s = (s.round() as u64).max(1);
            // The next rotation after `at`: phase + k·s > at.
            if at < self.phase {
                self.phase
            } else {
                self.phase + ((at - self.phase) / s + 1) * s
            }
        });
        let mut rng = Rng::new(self.seed ^ 0x05EC_2E75u64.wrapping_mul(self.count as u64 + 1));
        let r_s = p.revoke_min * 60.0;
        let detect = match p.detection {
            Detection::None => None,
            Detection::Fixed => Some(p.detect_h * HOUR_S + r_s),
            Detection::Exponential => Some(rng.exp(p.detect_h * HOUR_S) + r_s),
        };
        let revoked = detect.map(|d| at.saturating_add(d.round().min(1e15) as u64));
        self.leaks[self.count] = Leak { at, expires, revoked };
        self.count += 1;
    }
    pub fn snapshot(&self) -> SecretsSnapshot {
        SecretsSnapshot {
            now_s: self.now_s(),
            horizon_s: self.horizon,
            leaks: self.leaks,
            count: self.count,
            ended: self.ended(),
        }
    }
}

impl Replayable for SecretsRun {
    type Action = SecretsAction;
    type Snapshot = SecretsSnapshot;
    const SPEC: &'static WidgetSpec = &SECRETS;
    const MAX_REPLAY_US: Micros = RUN_US;

    fn parse(code: &str) -> Option<SecretsAction> {
        SecretsAction::parse(code)
    }
    fn encode(action: &SecretsAction) -> String {
        action.encode()
    }
    fn set(index: usize, value: f64) -> Option<SecretsAction> {
        SecretsAction::set(SECRETS.params.get(index)?.key, value)
    }
    fn start(settings: &State) -> Self {
        SecretsRun::new(secrets_params(settings), settings.seed)
    }
    fn now(&self) -> Micros {
        self.now
    }
    fn run_to(&mut self, to: Micros, _max_events: u64) -> Advanced {
        // The timeline is closed-form: moving the playhead handles no events, so a seek costs
        // nothing and the replay keeps no copies of the run.
        self.now = to.min(RUN_US).max(self.now);
        Advanced { events: 0, reached: true }
    }
    fn apply(&mut self, settings: &mut State, action: &SecretsAction) {
        match *action {
            SecretsAction::Leak => self.leak(),
            SecretsAction::Set { key, value } => settings.set(&SECRETS, key, value),
        }
    }
    fn snapshot(&self) -> SecretsSnapshot {
        SecretsRun::snapshot(self)
    }
}

/// The secrets timeline with the reader's leaks, replayable from a share link.
pub type SecretsReplay = Replay<SecretsRun>;

/// The secrets timeline's named scenarios ([`crate::scenario`]): one leak story per way a
/// credential's exposure ends (or does not).
pub const SCENARIOS: &[crate::scenario::Scenario] = &[
    crate::scenario::Scenario {
        name: "never-rotated",
        title: "A key that never rotates",
        watch_for: "Leaked on day 61, the key is still valid two years later: 669 days of exposure and counting, with nothing to end it.",
        link: "ttl=never&log=5000000.leak&t=60000000",
    },
    crate::scenario::Scenario {
        name: "ninety-day-rotation",
        title: "Rotation every 90 days, no detection",
        watch_for: "Both leaked keys stayed usable until the next rotation, 50.5 days each: rotation bounds the exposure, and nothing shortens it.",
        link: "log=5000000.leak,25000000.leak&t=60000000",
    },
    crate::scenario::Scenario {
        name: "detected-and-revoked",
        title: "A leak detected and revoked",
        watch_for: "The same 90-day key, but a scanner finds the leak: revoked 72.5 h after it leaked instead of 50 days, so detection closed it, not rotation.",
        link: "preset=scanned&log=5000000.leak&t=60000000",
    },
    crate::scenario::Scenario {
        name: "fifteen-minute-credentials",
        title: "Fifteen-minute credentials",
        watch_for: "Renewed every 10 minutes, each of three leaked credentials expired on its own; the longest was useful for 12.2 minutes.",
        link: "preset=sts-15m&log=10000000.leak,30000000.leak,50000000.leak&t=60000000",
    },
];

/// Simulated seconds as the timeline words them: "12 days", "3 h 20 min".
pub fn sim_text(s: u64) -> String {
    duration(s as f64, Unit::S)
}

impl SecretsSnapshot {
    /// The leaks so far.
    pub fn leaks(&self) -> &[Leak] {
        &self.leaks[..self.count]
    }
    /// The latest leak in words.
    pub fn last_leak_text(&self) -> String {
        let Some(l) = self.leaks().last() else {
            return "none yet: press “Leak now”".into();
        };
        let so_far = sim_text(l.exposed(self.now_s));
        match l.closed(self.now_s) {
            Closed::Open => match l.end() {
                Some(_) => format!("useful for {so_far} so far"),
                None => format!("useful for {so_far} so far, and no end in sight"),
            },
            Closed::Expired => format!("closed after {so_far}: the credential expired or was rotated"),
            Closed::Revoked => format!("closed after {so_far}: detected and revoked"),
        }
    }
    /// The timeline in words (the canvas's text equivalent).
    pub fn timeline_text(&self) -> String {
        let mut s = format!("Timeline at {} of {}.", sim_text(self.now_s), sim_text(self.horizon_s));
        if self.count == 0 {
            s.push_str(" No leaks yet.");
        }
        for (i, l) in self.leaks().iter().enumerate() {
            let state = match l.closed(self.now_s) {
                Closed::Open => "still useful",
                Closed::Expired => "expired or rotated",
                Closed::Revoked => "revoked",
            };
            s.push_str(&format!(
                " Leak {} at {}: {state}, exposed {}.",
                i + 1,
                sim_text(l.at),
                sim_text(l.exposed(self.now_s))
            ));
        }
        s
    }
    /// The timeline's readouts.
    pub fn readouts(&self) -> Vec<Readout> {
        vec![
            Readout::new("playhead", "Timeline", format!("{} of {}", sim_text(self.now_s), sim_text(self.horizon_s))),
            Readout::new("leak", "Latest leak", self.last_leak_text()).wide(),
        ]
    }
}

/// What the widget shows, for its decision note: the report's verdict and numbers, the timeline
/// and the run so far.
pub fn secrets_facts(r: &SecretsReplay) -> Facts {
    let report = analyse(&secrets_params(r.settings()));
    let s = r.snapshot();
    let horizon = r.run().horizon();
    let when = |t: u64| sim_text((u128::from(t.min(RUN_US)) * u128::from(horizon) / u128::from(RUN_US)) as u64);
    let describe = |code: &str| match SecretsAction::parse(code) {
        Some(SecretsAction::Leak) => "“Leak now”: a credential leaks".to_string(),
        _ => code.to_string(),
    };
    let started = format!("started: credentials of {}, seed {}", report.rung.label, r.started().seed);
    let mut events = Vec::new();
    for (i, l) in s.leaks().iter().enumerate() {
        if let Some(e) = l.end().filter(|&e| e <= s.now_s) {
            // The replay time of the close, for ordering: the first µs that reaches it.
            let t = (u128::from(e) * u128::from(RUN_US)).div_ceil(u128::from(horizon.max(1))) as u64;
            let how = if l.closed(s.now_s) == Closed::Revoked { "revoked" } else { "expired or rotated" };
            events.push((t, format!("leak {} closed ({how}) after {}", i + 1, sim_text(e - l.at))));
        }
    }
    let now = s.last_leak_text();
    let run = crate::note::run_so_far(&SECRETS, &r.applied(), &when, &describe, &started, events, (r.now(), &now));
    let mut readouts = report_readouts(&report);
    readouts.extend(s.readouts());
    Facts { verdict: report.verdict, readouts, run }
}
