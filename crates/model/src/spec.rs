//! The widget parameter contract, declared once: names, ranges, steps, defaults and presets of
//! every widget's knobs. The build script validates article widget blocks against it, the UI
//! builds its sliders from it, and the URL / attribute parser clamps to it.
//!
//! A widget's state is one `f64` per parameter (choices are indices, toggles 0 or 1) plus a seed.
//! Parsing never fails: unknown keys are ignored, bad or out-of-range values are clamped or
//! replaced by the default, and each such repair is reported as a [`Note`].

use crate::api::{ApiParams, Change};
use crate::auth::{AuthParams, Mechanism};
use crate::backoff::{Backoff, Jitter};
use crate::cloud::{CloudParams, Expertise, Operate, Requirement};
use crate::consistency::ClusterParams;
use crate::delivery::{Cadence, DeliveryParams};
use crate::jitter::JitterParams;
use crate::messaging::MessagingParams;
use crate::num::parse_decimal;
use crate::pool::PoolParams;
use crate::retry::RetryParams;
use crate::scaling::{Bottleneck, ScalingParams, Situation, Stage};
use crate::services::ServicesParams;
use crate::telemetry::{Question, TelemetryParams};

/// What kind of control a parameter is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A number in `[min, max]`, moved in steps of `step`.
    Range { min: f64, max: f64, step: f64 },
    /// One of the listed options; the value is the index.
    Choice(&'static [&'static str]),
    /// On (1) or off (0).
    Toggle,
}

/// One parameter of a widget.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamSpec {
    /// The key in markdown blocks, URLs and embed attributes.
    pub key: &'static str,
    /// The control's label.
    pub label: &'static str,
    pub kind: Kind,
    pub default: f64,
    /// Unit shown after the value ("ms", "%", ...), may be empty.
    pub unit: &'static str,
    /// For choices: what the reader sees for each option (empty: the keys themselves).
    pub option_labels: &'static [&'static str],
}

impl ParamSpec {
    /// The label of option `i` of a choice.
    pub fn option_label(&self, i: usize) -> &'static str {
        match self.kind {
            Kind::Choice(opts) => self.option_labels.get(i).or(opts.get(i)).copied().unwrap_or(""),
            _ => "",
        }
    }
}

/// A named set of parameter values.
pub type Preset = (&'static str, &'static [(&'static str, f64)]);

/// A widget's declared interface.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WidgetSpec {
    pub name: &'static str,
    pub title: &'static str,
    pub params: &'static [ParamSpec],
    /// Presets a `preset = "<name>"` key expands to (before explicit keys apply).
    pub presets: &'static [Preset],
    /// Runs enough simulation every animation frame to need this crate built for speed (opt-level
    /// 3) rather than size (`cargo xtask dist` picks the Cargo profile): the retry storm's
    /// thousands of clients, the jitter experiment's thousands of runs. The thread pool is not:
    /// built for size it still simulates about 14,000× faster than real time natively, against
    /// the 100× its fastest speed asks for.
    pub hot: bool,
}

impl WidgetSpec {
    pub fn param(&self, key: &str) -> Option<(usize, &ParamSpec)> {
        self.params.iter().enumerate().find(|(_, p)| p.key == key)
    }

    pub fn preset(&self, name: &str) -> Option<&'static [(&'static str, f64)]> {
        self.presets.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    pub fn defaults(&self) -> State {
        State { values: self.params.iter().map(|p| p.default).collect(), seed: DEFAULT_SEED, at_us: 0, log: Vec::new() }
    }

    /// Parses `key=value` pairs separated by `&` (a URL query without the `?`), starting from the
    /// defaults. Never fails; see the module docs.
    pub fn parse_query(&self, query: &str) -> (State, Vec<Note>) {
        let pairs =
            query.trim_start_matches('?').split('&').filter(|s| !s.is_empty()).map(|kv| match kv.split_once('=') {
                Some((k, v)) => (percent_decode(k), percent_decode(v)),
                None => (percent_decode(kv), String::new()),
            });
        self.parse_pairs(pairs)
    }

    /// Parses key/value pairs (from a query, embed attributes or a markdown block).
    pub fn parse_pairs<K: AsRef<str>, V: AsRef<str>>(
        &self,
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> (State, Vec<Note>) {
        let mut state = self.defaults();
        let mut notes = Vec::new();
        let pairs: Vec<(String, String)> =
            pairs.into_iter().take(MAX_PAIRS).map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_owned())).collect();
        // Presets first, so explicit keys win whatever their order.
        for (k, v) in &pairs {
            if k == "preset" {
                let v = v.trim_matches('"');
                match self.preset(v) {
                    Some(values) => {
                        for (pk, pv) in values {
                            if let Some((i, _)) = self.param(pk) {
                                state.values[i] = *pv;
                            }
                        }
                    }
                    None => notes.push(Note::new("preset", "is not a known preset; using the defaults")),
                }
            }
        }
        for (k, v) in &pairs {
            if k == "preset" {
                continue;
            }
            if k == "seed" {
                match v.trim().parse::<u64>() {
                    Ok(s) => state.seed = s,
                    Err(_) => notes.push(Note::new("seed", "is not a whole number; using the default seed")),
                }
                continue;
            }
            if k == "t" {
                match v.trim().parse::<u64>() {
                    Ok(t) if t <= MAX_REPLAY_US => state.at_us = t,
                    Ok(_) => {
                        state.at_us = MAX_REPLAY_US;
                        notes.push(Note::new("t", "was past the longest replay (10 simulated minutes); clamped"));
                    }
                    Err(_) => notes.push(Note::new("t", "is not a whole number of microseconds; starting at 0")),
                }
                continue;
            }
            if k == "log" {
                let (log, dropped) = parse_log(v);
                state.log = log;
                if dropped {
                    notes.push(Note::new("log", "had entries that are not `<µs>.<action>`; they were skipped"));
                }
                continue;
            }
            let Some((i, p)) = self.param(k) else { continue };
            match parse_value(p, v) {
                Ok((x, clamped)) => {
                    state.values[i] = x;
                    if clamped {
                        notes.push(Note::new(p.key, "was out of range and has been clamped"));
                    }
                }
                Err(why) => notes.push(Note::new(p.key, why)),
            }
        }
        (state, notes)
    }

    /// The compact query string for `state`: only values that differ from the defaults.
    pub fn to_query(&self, state: &State) -> String {
        let mut out = String::new();
        for (p, &v) in self.params.iter().zip(&state.values) {
            if v == p.default {
                continue;
            }
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(p.key);
            out.push('=');
            match p.kind {
                Kind::Choice(opts) => out.push_str(opts[(v as usize).min(opts.len() - 1)]),
                Kind::Toggle => out.push_str(if v != 0.0 { "1" } else { "0" }),
                Kind::Range { .. } => out.push_str(&crate::fmt::number(v)),
            }
        }
        if state.seed != DEFAULT_SEED {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str("seed=");
            out.push_str(&state.seed.to_string());
        }
        if !state.log.is_empty() {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str("log=");
            let entries: Vec<String> = state.log.iter().map(|(t, a)| format!("{t}.{a}")).collect();
            out.push_str(&entries.join(","));
        }
        if state.at_us > 0 {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str("t=");
            out.push_str(&state.at_us.to_string());
        }
        out
    }
}

/// The longest run a link may ask to replay, in µs: 10 simulated minutes (a bound on work for hostile URLs).
pub const MAX_REPLAY_US: u64 = 600_000_000;
/// At most this many interventions are kept from a link.
pub const MAX_LOG: usize = 100;

/// Parses a run log `<µs>.<action>,…` (actions: lower-case letters, digits, `.`, `-`, `_`, at most
/// 40 characters; a widget ignores actions it does not know). Entries come back in time order;
/// the flag says whether any were malformed or beyond the limits.
pub fn parse_log(v: &str) -> (Vec<(u64, String)>, bool) {
    let mut dropped = false;
    let mut log = Vec::new();
    for entry in v.split(',').filter(|e| !e.is_empty()) {
        let ok = entry.split_once('.').and_then(|(t, a)| {
            let t = t.parse::<u64>().ok().filter(|&t| t <= MAX_REPLAY_US)?;
            let valid = !a.is_empty()
                && a.len() <= 40
                && a.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
            valid.then(|| (t, a.to_string()))
        });
        match ok {
            Some(e) if log.len() < MAX_LOG => log.push(e),
            _ => dropped = true,
        }
    }
    crate::num::sort::short_stable_by_key(&mut log, |(t, _)| *t);
    (log, dropped)
}

/// More pairs than this are ignored (a bound on work for hostile URLs).
const MAX_PAIRS: usize = 64;
pub const DEFAULT_SEED: u64 = 1;

/// A widget's settings, plus — for links that replay a run — the reader's interventions and how far
/// the run had got. The same seed, settings and interventions replay the same run.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// One value per [`WidgetSpec::params`] entry, always valid for its kind. With a log, these
    /// are the settings the run started from; `set.<key>.<value>` entries change them later.
    pub values: Vec<f64>,
    pub seed: u64,
    /// Simulated microseconds the run had reached (`t=`, the model's own clock unit, so a replay
    /// stops at exactly the same event); 0 = start fresh.
    pub at_us: u64,
    /// Interventions in time order (`log=<µs>.<action>,…`): widget-specific actions such as
    /// `outage`, `set.budget.10` or `cut.0.1`.
    pub log: Vec<(u64, String)>,
}

impl State {
    pub fn get(&self, spec: &WidgetSpec, key: &str) -> f64 {
        spec.param(key).map_or(f64::NAN, |(i, _)| self.values[i])
    }
    pub fn flag(&self, spec: &WidgetSpec, key: &str) -> bool {
        self.get(spec, key) != 0.0
    }
    pub fn index(&self, spec: &WidgetSpec, key: &str) -> usize {
        self.get(spec, key) as usize
    }
    /// Sets a value, clamped to the parameter's range.
    pub fn set(&mut self, spec: &WidgetSpec, key: &str, v: f64) {
        if let Some((i, p)) = spec.param(key) {
            self.values[i] = clamp_to(p, v).0;
        }
    }
}

/// A repair made while parsing, shown to the reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub key: String,
    pub message: String,
}

impl Note {
    fn new(key: &str, message: &str) -> Note {
        Note { key: key.chars().take(40).collect(), message: message.to_owned() }
    }
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "“{}” {}", self.key, self.message)
    }
}

/// Clamps `v` into the parameter's domain; reports whether it changed.
pub fn clamp_to(p: &ParamSpec, v: f64) -> (f64, bool) {
    if !v.is_finite() {
        return (p.default, true);
    }
    let out = match p.kind {
        Kind::Range { min, max, step } => {
            let c = crate::num::clamp(v, min, max);
            if step > 0.0 {
                // snap to the step grid (rounding away float noise such as 0.045000000000000005),
                // then back inside the range
                let snapped = min + ((c - min) / step).round() * step;
                crate::num::clamp((snapped * 1e9).round() / 1e9, min, max)
            } else {
                c
            }
        }
        Kind::Choice(opts) => crate::num::clamp(v.round(), 0.0, (opts.len() - 1) as f64),
        Kind::Toggle => {
            if v != 0.0 {
                1.0
            } else {
                0.0
            }
        }
    };
    let changed = (out - v).abs() > 1e-9 * v.abs().max(1.0);
    (out, changed)
}

/// Parses one value for `p`. `Ok((value, clamped))` or `Err(reason)`.
pub fn parse_value(p: &ParamSpec, raw: &str) -> Result<(f64, bool), &'static str> {
    let raw = raw.trim().trim_matches('"');
    match p.kind {
        Kind::Choice(opts) => match opts.iter().position(|o| *o == raw) {
            Some(i) => Ok((i as f64, false)),
            None => Err("is not one of the options; using the default"),
        },
        Kind::Toggle => match raw {
            "1" | "true" | "on" | "yes" | "" => Ok((1.0, false)),
            "0" | "false" | "off" | "no" => Ok((0.0, false)),
            _ => Err("is not on or off; using the default"),
        },
        Kind::Range { .. } => {
            if raw.len() > 32 {
                return Err("is too long to be a number; using the default");
            }
            match parse_decimal(raw) {
                Some(x) => {
                    let (v, changed) = clamp_to(p, x);
                    // Snapping to the step is not worth a note; leaving the range is.
                    let out_of_range = match p.kind {
                        Kind::Range { min, max, .. } => x < min || x > max,
                        _ => changed,
                    };
                    Ok((v, out_of_range))
                }
                _ => Err("is not a number; using the default"),
            }
        }
    }
}

/// Decodes `%XX` escapes and `+` (as a space). Invalid escapes are kept literally; invalid UTF-8
/// is replaced, never panics.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = |c: u8| (c as char).to_digit(16);
                match (hex(b[i + 1]), hex(b[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------------------------
// The widgets.

const POLICIES: &[&str] = &["naive", "exponential", "jitter", "budget", "breaker"];
const BACKOFFS: &[&str] = &["none", "constant", "exponential"];
const JITTERS: &[&str] = &["none", "full", "equal", "decorrelated"];

const fn range(
    key: &'static str,
    label: &'static str,
    min: f64,
    max: f64,
    step: f64,
    default: f64,
    unit: &'static str,
) -> ParamSpec {
    ParamSpec { key, label, kind: Kind::Range { min, max, step }, default, unit, option_labels: &[] }
}
const fn toggle(key: &'static str, label: &'static str, default: bool) -> ParamSpec {
    ParamSpec { key, label, kind: Kind::Toggle, default: default as u8 as f64, unit: "", option_labels: &[] }
}
const fn choice(key: &'static str, label: &'static str, opts: &'static [&'static str], default: usize) -> ParamSpec {
    ParamSpec { key, label, kind: Kind::Choice(opts), default: default as f64, unit: "", option_labels: &[] }
}
const fn labelled(p: ParamSpec, option_labels: &'static [&'static str]) -> ParamSpec {
    ParamSpec { option_labels, ..p }
}

/// The retry-storm widget.
pub const RETRY_STORM: WidgetSpec = WidgetSpec {
    name: "retry-storm",
    hot: true,
    title: "Retry storm",
    params: &[
        range("clients", "Clients", 10.0, 5_000.0, 10.0, 400.0, ""),
        range("load", "Offered load", 10.0, 120.0, 5.0, 70.0, "% of capacity"),
        range("attempts", "Max attempts", 1.0, 8.0, 1.0, 4.0, ""),
        range("timeout", "Attempt timeout", 20.0, 2_000.0, 10.0, 250.0, "ms"),
        choice("backoff", "Backoff", BACKOFFS, 0),
        choice("jitter", "Jitter", JITTERS, 0),
        range("budget", "Retry budget", 0.0, 100.0, 5.0, 0.0, "% of requests"),
        toggle("breaker", "Circuit breaker", false),
        toggle("throttle", "Adaptive throttling", false),
        range("outage", "Outage length", 0.5, 10.0, 0.5, 2.0, "s"),
        toggle("ab", "Compare two policies", false),
        choice("preset_b", "Policy B", POLICIES, 3),
    ],
    presets: &[
        ("naive", &[("backoff", 0.0), ("jitter", 0.0), ("budget", 0.0), ("breaker", 0.0)]),
        ("exponential", &[("backoff", 2.0), ("jitter", 0.0), ("budget", 0.0), ("breaker", 0.0)]),
        ("jitter", &[("backoff", 2.0), ("jitter", 1.0), ("budget", 0.0), ("breaker", 0.0)]),
        ("budget", &[("backoff", 2.0), ("jitter", 1.0), ("budget", 10.0), ("breaker", 0.0)]),
        ("breaker", &[("backoff", 2.0), ("jitter", 1.0), ("budget", 10.0), ("breaker", 1.0)]),
    ],
};

/// The timeout / thread-pool widget.
pub const TIMEOUT_POOL: WidgetSpec = WidgetSpec {
    name: "timeout-pool",
    hot: false,
    title: "Timeouts and the thread pool",
    params: &[
        range("latency", "Dependency median latency", 5.0, 2_000.0, 5.0, 50.0, "ms"),
        range("connect", "Connect timeout (0 = none)", 0.0, 2_000.0, 5.0, 0.0, "ms"),
        range("read", "Read timeout (0 = none)", 0.0, 5_000.0, 10.0, 0.0, "ms"),
        range("overall", "Overall timeout (0 = none)", 0.0, 5_000.0, 10.0, 0.0, "ms"),
        range("threads", "Threads", 10.0, 400.0, 10.0, 100.0, ""),
        range("slowdown", "Slowdown when degraded", 2.0, 100.0, 1.0, 20.0, "×"),
    ],
    presets: &[
        ("none", &[("connect", 0.0), ("read", 0.0), ("overall", 0.0)]),
        ("tight", &[("connect", 5.0), ("read", 60.0), ("overall", 80.0)]),
        ("balanced", &[("connect", 50.0), ("read", 300.0), ("overall", 350.0)]),
        ("loose", &[("connect", 1_000.0), ("read", 2_000.0), ("overall", 3_000.0)]),
    ],
};

/// Brooker's backoff-and-jitter experiment.
pub const BACKOFF_JITTER: WidgetSpec = WidgetSpec {
    name: "backoff-jitter",
    hot: true,
    title: "Backoff and jitter under contention",
    params: &[
        range("clients", "Contending clients", 10.0, 200.0, 10.0, 50.0, ""),
        range("runs", "Runs per strategy", 10.0, 1_000.0, 10.0, 100.0, ""),
    ],
    presets: &[],
};

/// Vertical vs horizontal cost and the Universal Scalability Law.
pub const SCALING_COST: WidgetSpec = WidgetSpec {
    name: "scaling-cost",
    hot: false,
    title: "Scaling cost",
    params: &[
        range("load", "Target load", 100.0, 200_000.0, 100.0, 8_000.0, "req/s"),
        range("alpha", "Contention α", 0.0, 0.5, 0.005, 0.01, ""),
        range("beta", "Coherency β", 0.0, 0.01, 0.00001, 0.00002, ""),
        range("price", "Price per vCPU-hour", 0.01, 0.2, 0.005, 0.045, "$"),
        range("premium", "Premium on the largest sizes", 0.0, 1.0, 0.05, 0.5, ""),
    ],
    presets: &[],
};

const BOTTLENECKS: &[&str] = &["cpu", "memory", "io", "contention", "database"];
const STAGES: &[&str] = &["early", "growing", "large"];

/// Which scaling lever fits a situation.
pub const SCALING_LEVER: WidgetSpec = WidgetSpec {
    name: "scaling-lever",
    hot: false,
    title: "Which scaling lever?",
    params: &[
        labelled(
            choice("bottleneck", "The bottleneck", BOTTLENECKS, 0),
            &["CPU-bound", "Memory-bound", "I/O-bound", "Contention on shared state", "A single-node database"],
        ),
        labelled(choice("stage", "Company stage", STAGES, 0), &["Early startup", "Growing", "Large"]),
        range("team", "Engineers on the team", 1.0, 500.0, 1.0, 8.0, ""),
        range("load", "Peak load", 100.0, 200_000.0, 100.0, 5_000.0, "req/s"),
        range("peak", "Peak-to-average ratio", 1.0, 20.0, 0.5, 2.0, "×"),
        toggle("ha", "Must survive losing a machine", false),
    ],
    presets: &[],
};

const MODES: &[&str] = &["cp", "ap", "async"];
const CONFLICTS: &[&str] = &["lww", "siblings"];

/// A replicated register with links the reader cuts.
pub const PARTITION_TOGGLES: WidgetSpec = WidgetSpec {
    name: "partition-toggles",
    hot: false,
    title: "Partition toggles",
    params: &[
        labelled(
            choice("mode", "Replication", MODES, 0),
            &["CP: leader + majority quorum", "AP: leaderless, sloppy quorum", "Async primary–backup"],
        ),
        labelled(choice("conflict", "Conflict handling (AP)", CONFLICTS, 0), &["Last writer wins", "Keep siblings"]),
        range("replicas", "Replicas", 3.0, 7.0, 1.0, 3.0, ""),
        range("clients", "Clients", 2.0, 4.0, 1.0, 2.0, ""),
    ],
    presets: &[],
};

/// N, R, W and what they buy.
pub const QUORUM_SLIDERS: WidgetSpec = WidgetSpec {
    name: "quorum-sliders",
    hot: false,
    title: "Quorum sliders",
    params: &[
        range("n", "Replicas N", 1.0, 9.0, 1.0, 3.0, ""),
        range("r", "Read quorum R", 1.0, 9.0, 1.0, 1.0, ""),
        range("w", "Write quorum W", 1.0, 9.0, 1.0, 1.0, ""),
    ],
    presets: &[],
};

const CADENCES: &[&str] = &["continuous", "daily", "weekly", "fortnightly", "monthly"];

/// Branch lifetime, release cadence and flags: merge conflicts and lead time.
pub const BRANCH_LIFETIME: WidgetSpec = WidgetSpec {
    name: "branch-lifetime",
    hot: false,
    title: "Branch lifetime and lead time",
    params: &[
        range("team", "Engineers merging into the codebase", 2.0, 100.0, 1.0, 12.0, ""),
        range("branch", "Branch lifetime", 0.1, 30.0, 0.1, 5.0, "working days"),
        labelled(
            choice("cadence", "Release cadence", CADENCES, 2),
            &["Continuous deployment", "Daily", "Weekly", "Every two weeks", "Monthly"],
        ),
        toggle("flags", "Feature flags (merge unfinished work daily)", false),
    ],
    presets: &[
        ("trunk", &[("branch", 0.5), ("cadence", 0.0), ("flags", 1.0)]),
        ("gitflow", &[("branch", 10.0), ("cadence", 3.0), ("flags", 0.0)]),
    ],
};

const QUESTIONS: &[&str] = &["error-rate", "one-request", "latency", "slo"];

/// Logs, metrics and traces: which answers a question, and what each costs.
pub const TELEMETRY_BUDGET: WidgetSpec = WidgetSpec {
    name: "telemetry-budget",
    hot: false,
    title: "Telemetry budget",
    params: &[
        labelled(
            choice("question", "The question you need answered", QUESTIONS, 0),
            &[
                "Is the error rate up since the deploy?",
                "Why did this customer's request fail?",
                "Which service added the latency?",
                "How many requests breached the SLO this month?",
            ],
        ),
        range("rate", "Request rate", 10.0, 100_000.0, 10.0, 500.0, "req/s"),
        range("lines", "Log lines per request", 0.0, 100.0, 1.0, 10.0, ""),
        range("sampling", "Trace head sampling", 0.0, 100.0, 0.1, 1.0, "%"),
        range("spans", "Spans per trace", 1.0, 100.0, 1.0, 8.0, ""),
        range("errors", "Requests hit by the rare failure", 0.01, 5.0, 0.01, 0.01, "%"),
        range("endpoints", "Metric label: endpoints", 1.0, 200.0, 1.0, 20.0, ""),
        range("codes", "Metric label: status codes", 1.0, 20.0, 1.0, 5.0, ""),
        range("instances", "Metric label: instances", 1.0, 200.0, 1.0, 10.0, ""),
        toggle("bycustomer", "Add a per-customer metric label", false),
        range("customers", "Customers", 10.0, 100_000.0, 10.0, 5_000.0, ""),
    ],
    presets: &[],
};

const EXPERTISE: &[&str] = &["none", "some", "deep"];
const EXPERTISE_LABELS: &[&str] = &["None", "Some", "Deep"];
const NEEDS: &[&str] = &["none", "m365", "acct-aws", "acct-azure", "acct-gcp", "analytics", "gov"];
const OPERATE: &[&str] = &["managed", "portable"];

/// Which cloud provider fits a team, and what switching later would cost.
pub const CLOUD_FIT: WidgetSpec = WidgetSpec {
    name: "cloud-fit",
    hot: false,
    title: "Which cloud fits?",
    params: &[
        labelled(choice("aws", "Experience with AWS", EXPERTISE, 2), EXPERTISE_LABELS),
        labelled(choice("azure", "Experience with Azure", EXPERTISE, 0), EXPERTISE_LABELS),
        labelled(choice("gcp", "Experience with Google Cloud", EXPERTISE, 1), EXPERTISE_LABELS),
        labelled(
            choice("needs", "What customers require", NEEDS, 0),
            &[
                "Nothing in particular",
                "They run on Microsoft 365 and Entra ID",
                "Deploy into their own AWS accounts",
                "Deploy into their own Azure subscriptions",
                "Deploy into their own Google Cloud projects",
                "Analytics at scale is the product",
                "A regulated government workload",
            ],
        ),
        labelled(
            choice("operate", "What you will operate", OPERATE, 0),
            &["Mostly managed services", "Kubernetes and open source, run ourselves"],
        ),
        range("engineers", "Engineers", 1.0, 500.0, 1.0, 12.0, ""),
        range("spend", "Cloud bill a month", 1_000.0, 2_000_000.0, 1_000.0, 60_000.0, "$"),
        range("data", "Data stored", 0.0, 5_000.0, 5.0, 100.0, "TB"),
    ],
    presets: &[],
};

const CHANGES: &[&str] = &["add-optional", "rename", "remove", "make-required", "change-type"];

/// REST, gRPC and GraphQL loading one screen; and which API changes break existing clients.
pub const API_ROUNDTRIPS: WidgetSpec = WidgetSpec {
    name: "api-roundtrips",
    hot: false,
    title: "One screen over REST, gRPC and GraphQL",
    params: &[
        range("items", "Line items in the order", 1.0, 100.0, 1.0, 20.0, ""),
        range("depth", "Levels of data on the screen", 1.0, 4.0, 1.0, 3.0, ""),
        range("rtt", "Network round trip", 1.0, 500.0, 1.0, 100.0, "ms"),
        range("bandwidth", "Bandwidth", 1.0, 1_000.0, 1.0, 10.0, "Mbit/s"),
        range("used", "Share of each record the screen shows", 10.0, 100.0, 5.0, 30.0, "%"),
        toggle("compound", "REST offers compound responses (?expand=)", false),
        toggle("batching", "GraphQL server batches lookups (DataLoader)", false),
        labelled(
            choice("change", "A change you want to ship", CHANGES, 0),
            &[
                "Add an optional field",
                "Rename a field",
                "Remove a field",
                "Make an optional field required",
                "Change a field's type",
            ],
        ),
    ],
    presets: &[
        ("mobile", &[("rtt", 100.0), ("bandwidth", 10.0), ("compound", 0.0), ("batching", 0.0)]),
        ("datacentre", &[("rtt", 1.0), ("bandwidth", 1_000.0), ("compound", 0.0), ("batching", 0.0)]),
        ("tailored", &[("rtt", 100.0), ("bandwidth", 10.0), ("compound", 1.0), ("batching", 1.0)]),
    ],
};

const MECHANISMS: &[&str] = &["sessions", "jwt", "denylist"];

/// Sessions against JWTs: store lookups against how long a revoked token keeps working.
pub const TOKEN_LIFETIME: WidgetSpec = WidgetSpec {
    name: "token-lifetime",
    hot: false,
    title: "Token lifetime and revocation",
    params: &[
        labelled(
            choice("mech", "Mechanism", MECHANISMS, 1),
            &[
                "Server sessions (cookie, store lookup)",
                "JWT access token + refresh token",
                "JWT + revocation denylist",
            ],
        ),
        range("lifetime", "Access-token lifetime", 1.0, 1_440.0, 1.0, 15.0, "min"),
        range("users", "Active users", 100.0, 1_000_000.0, 100.0, 10_000.0, ""),
        range("rpm", "Requests per user per minute", 1.0, 120.0, 1.0, 6.0, ""),
        range("lookup", "Store lookup latency", 0.1, 20.0, 0.1, 1.0, "ms"),
    ],
    presets: &[
        ("sessions", &[("mech", 0.0)]),
        ("jwt", &[("mech", 1.0), ("lifetime", 15.0)]),
        ("denylist", &[("mech", 2.0), ("lifetime", 15.0)]),
        ("long-jwt", &[("mech", 1.0), ("lifetime", 1_440.0)]),
    ],
};

/// The cost of splitting a request's path into services.
pub const SERVICE_SPLIT: WidgetSpec = WidgetSpec {
    name: "service-split",
    hot: false,
    title: "What a split costs",
    params: &[
        range("services", "Services on a request's synchronous path", 1.0, 30.0, 1.0, 10.0, ""),
        range("soft", "Of those, can fail without failing the request", 0.0, 29.0, 1.0, 0.0, ""),
        range("avail", "Availability of each service", 99.0, 99.99, 0.01, 99.9, "%"),
        range("fanout", "Parallel calls one step waits for (fan-out)", 1.0, 100.0, 1.0, 10.0, ""),
        range("slow", "Each call's chance of being slow", 0.1, 10.0, 0.1, 1.0, "% of calls"),
        range("hop", "Network round trip per call", 0.0, 50.0, 0.5, 1.0, "ms"),
        range("teams", "Teams", 1.0, 30.0, 1.0, 5.0, ""),
        range("change", "Services a typical change touches", 1.0, 10.0, 1.0, 1.0, ""),
    ],
    presets: &[
        ("monolith", &[("services", 1.0), ("soft", 0.0), ("fanout", 1.0), ("change", 1.0)]),
        ("split", &[("services", 10.0), ("soft", 0.0), ("fanout", 10.0), ("change", 1.0)]),
        ("distributed-monolith", &[("services", 10.0), ("soft", 0.0), ("fanout", 10.0), ("change", 4.0)]),
        ("degradable", &[("services", 10.0), ("soft", 5.0), ("fanout", 10.0), ("change", 1.0)]),
    ],
};

/// A message queue against an event log under the same burst.
pub const QUEUE_VS_LOG: WidgetSpec = WidgetSpec {
    name: "queue-vs-log",
    hot: false,
    title: "Queue or log?",
    params: &[
        range("rate", "Producer rate", 10.0, 20_000.0, 10.0, 1_000.0, "msg/s"),
        range("burst", "Burst", 1.0, 10.0, 0.5, 3.0, "× the rate"),
        range("burst_s", "Burst length", 10.0, 900.0, 10.0, 120.0, "s"),
        range("consumers", "Consumers per reader", 1.0, 64.0, 1.0, 8.0, ""),
        range("throughput", "Throughput per consumer", 10.0, 5_000.0, 10.0, 200.0, "msg/s"),
        range("partitions", "Partitions (log)", 1.0, 64.0, 1.0, 6.0, ""),
        range("readers", "Independent readers", 1.0, 10.0, 1.0, 3.0, ""),
        range("retention", "Retention (log)", 1.0, 720.0, 1.0, 168.0, "h"),
        range("size", "Message size", 0.1, 100.0, 0.1, 1.0, "KB"),
        range("bug", "Bug found after", 1.0, 720.0, 1.0, 24.0, "h"),
    ],
    presets: &[
        (
            "illustrative",
            &[
                ("rate", 1_000.0),
                ("burst", 3.0),
                ("burst_s", 120.0),
                ("consumers", 8.0),
                ("throughput", 200.0),
                ("partitions", 6.0),
                ("readers", 3.0),
                ("retention", 168.0),
                ("size", 1.0),
                ("bug", 24.0),
            ],
        ),
        (
            "jobs",
            &[
                ("rate", 200.0),
                ("burst", 5.0),
                ("burst_s", 300.0),
                ("consumers", 20.0),
                ("throughput", 20.0),
                ("partitions", 6.0),
                ("readers", 1.0),
                ("retention", 24.0),
                ("size", 2.0),
                ("bug", 48.0),
            ],
        ),
        (
            "fan-out",
            &[
                ("rate", 2_000.0),
                ("burst", 2.0),
                ("burst_s", 60.0),
                ("consumers", 4.0),
                ("throughput", 1_000.0),
                ("partitions", 12.0),
                ("readers", 8.0),
                ("retention", 168.0),
                ("size", 1.0),
                ("bug", 72.0),
            ],
        ),
    ],
};

/// Every widget, in registry order.
pub const WIDGETS: &[WidgetSpec] = &[
    RETRY_STORM,
    TIMEOUT_POOL,
    BACKOFF_JITTER,
    SCALING_COST,
    SCALING_LEVER,
    PARTITION_TOGGLES,
    QUORUM_SLIDERS,
    BRANCH_LIFETIME,
    TELEMETRY_BUDGET,
    CLOUD_FIT,
    API_ROUNDTRIPS,
    TOKEN_LIFETIME,
    SERVICE_SPLIT,
    QUEUE_VS_LOG,
];

pub fn widget(name: &str) -> Option<&'static WidgetSpec> {
    WIDGETS.iter().find(|w| w.name == name)
}

/// Retry-storm parameters for a state: `policy` overrides the policy knobs with a preset (used by
/// the B side of the A/B mode).
pub fn retry_params(state: &State, policy: Option<usize>) -> RetryParams {
    let s = &RETRY_STORM;
    let mut st = state.clone();
    if let Some(i) = policy {
        for (k, v) in s.presets[i.min(s.presets.len() - 1)].1 {
            st.set(s, k, *v);
        }
    }
    let base = RetryParams::NAIVE;
    let capacity = base.capacity_rps();
    RetryParams {
        clients: st.get(s, "clients") as u32,
        offered_rps: capacity * st.get(s, "load") / 100.0,
        max_attempts: st.get(s, "attempts") as u32,
        attempt_timeout_ms: st.get(s, "timeout"),
        backoff: [Backoff::None, Backoff::Constant, Backoff::Exponential][st.index(s, "backoff")],
        jitter: [Jitter::None, Jitter::Full, Jitter::Equal, Jitter::Decorrelated][st.index(s, "jitter")],
        retry_budget: st.get(s, "budget") / 100.0,
        breaker: st.flag(s, "breaker"),
        adaptive_throttle: st.flag(s, "throttle"),
        ..base
    }
    .clamped()
}

/// Timeout-pool parameters for a state.
pub fn pool_params(state: &State) -> PoolParams {
    let s = &TIMEOUT_POOL;
    PoolParams {
        dep_median_ms: state.get(s, "latency"),
        connect_timeout_ms: state.get(s, "connect"),
        read_timeout_ms: state.get(s, "read"),
        overall_timeout_ms: state.get(s, "overall"),
        threads: state.get(s, "threads") as u32,
        ..PoolParams::NO_TIMEOUTS
    }
    .clamped()
}

/// Jitter-experiment parameters for a state.
pub fn jitter_params(state: &State) -> JitterParams {
    let s = &BACKOFF_JITTER;
    JitterParams { clients: state.get(s, "clients") as u32, runs: state.get(s, "runs") as u32, ..JitterParams::BROOKER }
        .clamped()
}

/// Cluster parameters for a partition-toggles state.
pub fn cluster_params(state: &State) -> ClusterParams {
    let s = &PARTITION_TOGGLES;
    let base = match (state.index(s, "mode"), state.index(s, "conflict")) {
        (0, _) => ClusterParams::CP,
        (1, 0) => ClusterParams::AP_LWW,
        (1, _) => ClusterParams::AP_SIBLINGS,
        _ => ClusterParams::ASYNC,
    };
    ClusterParams { replicas: state.get(s, "replicas") as u32, clients: state.get(s, "clients") as u32, ..base }
        .clamped()
}

/// (N, R, W) for a quorum-sliders state, with R and W limited to N.
pub fn quorum_nrw(state: &State) -> (u32, u32, u32) {
    let s = &QUORUM_SLIDERS;
    let n = state.get(s, "n") as u32;
    (n, (state.get(s, "r") as u32).min(n), (state.get(s, "w") as u32).min(n))
}

/// Scaling-cost parameters for a state (the rest from the illustrative preset).
pub fn scaling_params(state: &State) -> ScalingParams {
    let s = &SCALING_COST;
    ScalingParams {
        target_rps: state.get(s, "load"),
        alpha: state.get(s, "alpha"),
        beta: state.get(s, "beta"),
        price_per_vcpu_hour: state.get(s, "price"),
        large_premium: state.get(s, "premium"),
        ..ScalingParams::ILLUSTRATIVE
    }
    .clamped()
}

/// The situation the scaling-lever widget describes.
pub fn situation(state: &State) -> Situation {
    let s = &SCALING_LEVER;
    Situation {
        bottleneck: Bottleneck::ALL[state.index(s, "bottleneck").min(Bottleneck::ALL.len() - 1)],
        stage: Stage::ALL[state.index(s, "stage").min(Stage::ALL.len() - 1)],
        team_size: state.get(s, "team") as u32,
        load_rps: state.get(s, "load"),
        peak_to_average: state.get(s, "peak"),
        needs_high_availability: state.flag(s, "ha"),
        ..Situation::EXAMPLE
    }
    .clamped()
}

/// Delivery parameters for a branch-lifetime state (the rates from the illustrative preset).
pub fn delivery_params(state: &State) -> DeliveryParams {
    let s = &BRANCH_LIFETIME;
    DeliveryParams {
        engineers: state.get(s, "team") as u32,
        branch_days: state.get(s, "branch"),
        cadence: Cadence::ALL[state.index(s, "cadence").min(Cadence::ALL.len() - 1)],
        feature_flags: state.flag(s, "flags"),
        ..DeliveryParams::TRUNK
    }
    .clamped()
}

/// Queue-vs-log parameters for a state (replication from the illustrative preset).
pub fn messaging_params(state: &State) -> MessagingParams {
    let s = &QUEUE_VS_LOG;
    MessagingParams {
        rate_per_s: state.get(s, "rate"),
        burst_factor: state.get(s, "burst"),
        burst_s: state.get(s, "burst_s"),
        consumers: state.get(s, "consumers") as u32,
        per_consumer_per_s: state.get(s, "throughput"),
        partitions: state.get(s, "partitions") as u32,
        readers: state.get(s, "readers") as u32,
        retention_h: state.get(s, "retention"),
        message_kb: state.get(s, "size"),
        bug_found_h: state.get(s, "bug"),
        ..MessagingParams::ILLUSTRATIVE
    }
    .clamped()
}

/// Service-split parameters for a state (`soft` below `services`, `change` at most `services`).
pub fn services_params(state: &State) -> ServicesParams {
    let s = &SERVICE_SPLIT;
    ServicesParams {
        services: state.get(s, "services") as u32,
        soft: state.get(s, "soft") as u32,
        availability: state.get(s, "avail") / 100.0,
        fan_out: state.get(s, "fanout") as u32,
        slow_chance: state.get(s, "slow") / 100.0,
        hop_ms: state.get(s, "hop"),
        teams: state.get(s, "teams") as u32,
        change_span: state.get(s, "change") as u32,
    }
    .clamped()
}

/// Auth parameters for a token-lifetime state.
pub fn auth_params(state: &State) -> AuthParams {
    let s = &TOKEN_LIFETIME;
    AuthParams {
        mechanism: Mechanism::ALL[state.index(s, "mech").min(Mechanism::ALL.len() - 1)],
        access_lifetime_s: state.get(s, "lifetime") * 60.0,
        users: state.get(s, "users"),
        requests_per_user_per_min: state.get(s, "rpm"),
        lookup_ms: state.get(s, "lookup"),
    }
    .clamped()
}

/// API-roundtrips parameters for a state.
pub fn api_params(state: &State) -> ApiParams {
    let s = &API_ROUNDTRIPS;
    ApiParams {
        items: state.get(s, "items") as u32,
        depth: state.get(s, "depth") as u32,
        rtt_ms: state.get(s, "rtt"),
        bandwidth_mbps: state.get(s, "bandwidth"),
        used_share: state.get(s, "used") / 100.0,
        rest_compound: state.flag(s, "compound"),
        graphql_batching: state.flag(s, "batching"),
    }
    .clamped()
}

/// Telemetry parameters for a telemetry-budget state (sizes and prices from the illustrative
/// preset).
pub fn telemetry_params(state: &State) -> TelemetryParams {
    let s = &TELEMETRY_BUDGET;
    TelemetryParams {
        question: Question::ALL[state.index(s, "question").min(Question::ALL.len() - 1)],
        rate_rps: state.get(s, "rate"),
        log_lines_per_request: state.get(s, "lines"),
        head_sampling: state.get(s, "sampling") / 100.0,
        spans_per_trace: state.get(s, "spans"),
        failure_rate: state.get(s, "errors") / 100.0,
        endpoints: state.get(s, "endpoints") as u32,
        status_codes: state.get(s, "codes") as u32,
        instances: state.get(s, "instances") as u32,
        per_customer_label: state.flag(s, "bycustomer"),
        customers: state.get(s, "customers") as u32,
        ..TelemetryParams::ILLUSTRATIVE
    }
    .clamped()
}

/// The situation the cloud-fit widget describes.
pub fn cloud_params(state: &State) -> CloudParams {
    let s = &CLOUD_FIT;
    let e = |k: &str| Expertise::ALL[state.index(s, k).min(Expertise::ALL.len() - 1)];
    CloudParams {
        expertise: [e("aws"), e("azure"), e("gcp")],
        requirement: Requirement::ALL[state.index(s, "needs").min(Requirement::ALL.len() - 1)],
        operate: Operate::ALL[state.index(s, "operate").min(Operate::ALL.len() - 1)],
        engineers: state.get(s, "engineers") as u32,
        monthly_spend: state.get(s, "spend"),
        data_tb: state.get(s, "data"),
    }
    .clamped()
}

/// The change the api-roundtrips widget asks about.
pub fn api_change(state: &State) -> Change {
    Change::ALL[state.index(&API_ROUNDTRIPS, "change").min(Change::ALL.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, want_query: &str, want_notes: usize) {
        let (st, notes) = RETRY_STORM.parse_query(query);
        assert_eq!(RETRY_STORM.to_query(&st), want_query, "{query}");
        assert_eq!(notes.len(), want_notes, "{query}: {notes:?}");
    }

    #[test]
    fn parse_cases() {
        check("", "", 0);
        check("clients=800", "clients=800", 0);
        check("clients=999999", "clients=5000", 1);
        check("clients=-5&load=abc", "clients=10", 2);
        check("clients=NaN", "", 1);
        check("unknown=3&also=x", "", 0);
        check("preset=budget", "backoff=exponential&jitter=full&budget=10", 0);
        check("budget=20&preset=budget", "backoff=exponential&jitter=full&budget=20", 0);
        check("preset=nope", "", 1);
        check("backoff=exponential&breaker=1", "backoff=exponential&breaker=1", 0);
        check("breaker=maybe", "", 1);
        check("seed=42", "seed=42", 0);
        check("seed=-1", "", 1);
        check("%63lients=20", "clients=20", 0);
        check("clients=%", "", 1);
        check("timeout=1e400", "", 1);
        check("load=33", "load=35", 0);
    }

    #[test]
    fn round_trip() {
        for w in WIDGETS {
            let mut st = w.defaults();
            for (i, p) in w.params.iter().enumerate() {
                st.values[i] = match p.kind {
                    Kind::Range { max, .. } => max,
                    Kind::Choice(o) => (o.len() - 1) as f64,
                    Kind::Toggle => 1.0 - p.default,
                };
            }
            st.seed = 77;
            st.at_us = 12_345;
            st.log = vec![(100, "outage".into()), (2_000, "set.budget.10".into()), (2_000, "cut.0.1".into())];
            let (back, notes) = w.parse_query(&w.to_query(&st));
            assert_eq!(back, st, "{}", w.name);
            assert!(notes.is_empty());
        }
    }

    #[test]
    fn run_logs_are_bounded_and_validated() {
        let (log, dropped) = parse_log("300.spike,100.outage,x.y,5.,700.BAD,9999999999.outage");
        assert_eq!(log, vec![(100, "outage".to_string()), (300, "spike".to_string())]);
        assert!(dropped);
        let long: Vec<String> = (0..500).map(|i| format!("{i}.outage")).collect();
        let (log, dropped) = parse_log(&long.join(","));
        assert_eq!(log.len(), MAX_LOG);
        assert!(dropped);
        let (st, notes) = RETRY_STORM.parse_query("t=99999999999&log=1.outage");
        assert_eq!(st.at_us, MAX_REPLAY_US);
        assert_eq!(notes.len(), 1);
        let (st, notes) = RETRY_STORM.parse_query("t=-3");
        assert_eq!(st.at_us, 0);
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn reserved_keys_are_not_parameter_names() {
        // `preset`, `seed`, `t` and `log` are parsed specially; `slot` picks the widget in a share
        // link; `name` and `theme` are the embed element's own attributes.
        for w in WIDGETS {
            for p in w.params {
                assert!(
                    !["preset", "seed", "slot", "t", "log", "name", "theme"].contains(&p.key),
                    "{}.{}",
                    w.name,
                    p.key
                );
            }
        }
    }

    #[test]
    fn defaults_are_inside_their_ranges() {
        for w in WIDGETS {
            for p in w.params {
                assert_eq!(clamp_to(p, p.default), (p.default, false), "{}.{}", w.name, p.key);
            }
            for (name, values) in w.presets {
                for (k, v) in *values {
                    let (_, p) = w.param(k).unwrap_or_else(|| panic!("{}: preset {name} names {k}", w.name));
                    assert!(!clamp_to(p, *v).1, "{}: preset {name}: {k}={v}", w.name);
                }
            }
        }
    }

    #[test]
    fn presets_match_the_model_presets() {
        for (i, (name, want)) in RetryParams::PRESETS.iter().enumerate() {
            assert_eq!(RETRY_STORM.presets[i].0, *name);
            let (st, _) = RETRY_STORM.parse_query(&format!("preset={name}"));
            let got = retry_params(&st, None);
            assert_eq!(got, *want, "{name}");
        }
        for (name, want) in PoolParams::PRESETS {
            let (st, _) = TIMEOUT_POOL.parse_query(&format!("preset={name}"));
            assert_eq!(pool_params(&st), want.clamped(), "{name}");
        }
    }

    #[test]
    fn scaling_defaults_are_the_illustrative_preset() {
        assert_eq!(scaling_params(&SCALING_COST.defaults()), ScalingParams::ILLUSTRATIVE.clamped());
        let names: Vec<_> = Bottleneck::ALL.iter().map(|b| format!("{b:?}")).collect();
        assert_eq!(names, ["CpuBound", "MemoryBound", "IoBound", "SharedStateContention", "SingleNodeDatabase"]);
        assert_eq!(BOTTLENECKS.len(), Bottleneck::ALL.len());
        assert_eq!(format!("{:?}", Stage::ALL), "[EarlyStartup, Growing, Large]");
    }

    #[test]
    fn delivery_presets_match_the_model_presets() {
        assert_eq!(CADENCES.len(), Cadence::ALL.len());
        for (name, want) in [("trunk", DeliveryParams::TRUNK), ("gitflow", DeliveryParams::GITFLOW)] {
            let (st, notes) = BRANCH_LIFETIME.parse_query(&format!("preset={name}"));
            assert!(notes.is_empty());
            assert_eq!(delivery_params(&st), want.clamped(), "{name}");
        }
    }

    #[test]
    fn queue_vs_log_presets_match_the_model_presets() {
        assert_eq!(messaging_params(&QUEUE_VS_LOG.defaults()), MessagingParams::ILLUSTRATIVE.clamped());
        for (i, (name, want)) in MessagingParams::PRESETS.iter().enumerate() {
            assert_eq!(QUEUE_VS_LOG.presets[i].0, *name);
            let (st, notes) = QUEUE_VS_LOG.parse_query(&format!("preset={name}"));
            assert!(notes.is_empty());
            assert_eq!(messaging_params(&st), want.clamped(), "{name}");
        }
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b+c"), "a b c");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%ff"), "\u{fffd}");
    }
}
