//! The widget parameter contract, declared once: names, ranges, steps, defaults and presets of
//! every widget's knobs. The build script validates article widget blocks against it, the UI
//! builds its sliders from it, and the URL / attribute parser clamps to it.
//!
//! A widget's state is one `f64` per parameter (choices are indices, toggles 0 or 1) plus a seed.
//! Parsing never fails: unknown keys are ignored, bad or out-of-range values are clamped or
//! replaced by the default, and each such repair is reported as a [`Note`].

use crate::num::parse_decimal;

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
    /// The control group it is drawn in ("" unless the widget lays its controls out in groups).
    pub group: &'static str,
    /// Shown only while parameter `.0` has value `.1` (a choice that matters in one mode).
    pub shown_if: Option<(&'static str, f64)>,
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
    /// The decision it informs, its assumptions and sources: what its decision note says
    /// whatever the settings ([`crate::note`]).
    pub about: crate::note::About,
    pub params: &'static [ParamSpec],
    /// Presets a `preset = "<name>"` key expands to (before explicit keys apply).
    pub presets: &'static [Preset],
    /// Runs enough simulation every animation frame to need this crate built for speed (opt-level
    /// 3) rather than size (`cargo xtask dist` picks the Cargo profile): the retry storm's
    /// thousands of clients, the jitter experiment's thousands of runs. The thread pool is not:
    /// built for size it still simulates about 14,000× faster than real time natively, against
    /// the 100× its fastest speed asks for.
    pub hot: bool,
    /// Height (rem) the page reserves for the widget while its bundle loads, so nothing below it
    /// moves when it appears: about its rendered height on a desktop-width article.
    pub reserve_rem: f64,
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

/// The longest run a link may ask to replay, in µs: 90 simulated minutes, the longest any widget
/// allows (a bound on work for hostile URLs). Each widget's run has its own, lower or equal, limit
/// ([`crate::replay::Replayable::MAX_REPLAY_US`]): the retry storm's thousands of clients stop at 10
/// minutes, a rollout's slow canary steps need more.
pub const MAX_REPLAY_US: u64 = 5_400_000_000;
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
    /// The value of parameter `i` (an index from [`WidgetSpec::index`], usually through
    /// [`value!`](crate::value)); 0 past the end.
    pub fn at(&self, i: usize) -> f64 {
        self.values.get(i).copied().unwrap_or(0.0)
    }
    /// The value of parameter `key`, if `spec` has one (for keys read at run time, from a preset
    /// or a run log; code that names a key uses [`value!`](crate::value)).
    pub fn value_of(&self, spec: &WidgetSpec, key: &str) -> Option<f64> {
        spec.param(key).map(|(i, _)| self.at(i))
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
// Declaring a widget: builders for `const` specs, compile-time lookups and checks.

/// A number in `[min, max]` moved in steps of `step`, with its default and unit.
pub const fn range(
    key: &'static str,
    label: &'static str,
    min: f64,
    max: f64,
    step: f64,
    default: f64,
    unit: &'static str,
) -> ParamSpec {
    ParamSpec {
        key,
        label,
        kind: Kind::Range { min, max, step },
        default,
        unit,
        option_labels: &[],
        group: "",
        shown_if: None,
    }
}

/// A checkbox, on (1) or off (0).
pub const fn toggle(key: &'static str, label: &'static str, default: bool) -> ParamSpec {
    ParamSpec {
        key,
        label,
        kind: Kind::Toggle,
        default: default as u8 as f64,
        unit: "",
        option_labels: &[],
        group: "",
        shown_if: None,
    }
}

/// One of `opts` (their keys, as URLs and markdown write them); the value is the index.
pub const fn choice(
    key: &'static str,
    label: &'static str,
    opts: &'static [&'static str],
    default: usize,
) -> ParamSpec {
    ParamSpec {
        key,
        label,
        kind: Kind::Choice(opts),
        default: default as f64,
        unit: "",
        option_labels: &[],
        group: "",
        shown_if: None,
    }
}

/// A choice whose options read `option_labels` to the reader.
pub const fn labelled(p: ParamSpec, option_labels: &'static [&'static str]) -> ParamSpec {
    ParamSpec { option_labels, ..p }
}

impl ParamSpec {
    /// The same parameter in control group `group` (`<ParamControls group=…>` renders one group).
    pub const fn in_group(self, group: &'static str) -> ParamSpec {
        ParamSpec { group, ..self }
    }

    /// The same parameter, its control shown only while parameter `key` is `value`.
    pub const fn shown_if(self, key: &'static str, value: f64) -> ParamSpec {
        ParamSpec { shown_if: Some((key, value)), ..self }
    }
}

/// Byte equality of two strings, usable in `const` checks.
pub const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl WidgetSpec {
    /// The index of parameter `key`. Meant for `const` contexts (see [`value!`](crate::value)),
    /// where an unknown key stops the build; at run time use [`WidgetSpec::param`].
    pub const fn index(&self, key: &str) -> usize {
        let mut i = 0;
        while i < self.params.len() {
            if str_eq(self.params[i].key, key) {
                return i;
            }
            i += 1;
        }
        panic!("unknown parameter key")
    }

    /// Checks the declaration, at compile time when called in a `const` (as `model::WIDGETS`
    /// does for every widget): unique keys none of which is reserved, defaults inside their
    /// ranges, choices with options (and as many labels, if labelled), presets naming known keys
    /// with values inside their ranges, a positive reserved height.
    pub const fn validate(&self) {
        assert!(self.reserve_rem > 0.0, "a widget reserves a positive height");
        let mut i = 0;
        while i < self.params.len() {
            let p = &self.params[i];
            let mut r = 0;
            while r < RESERVED.len() {
                assert!(!str_eq(p.key, RESERVED[r]), "a parameter key is reserved");
                r += 1;
            }
            let mut j = i + 1;
            while j < self.params.len() {
                assert!(!str_eq(p.key, self.params[j].key), "two parameters share a key");
                j += 1;
            }
            assert!(in_domain(p, p.default), "a default is outside its parameter's range");
            if let Some((key, value)) = p.shown_if {
                assert!(in_domain(&self.params[self.index(key)], value), "shown_if names a value its key cannot take");
            }
            if let Kind::Choice(opts) = p.kind {
                assert!(!opts.is_empty(), "a choice has no options");
                assert!(
                    p.option_labels.is_empty() || p.option_labels.len() == opts.len(),
                    "a choice has too few labels"
                );
            }
            i += 1;
        }
        let mut k = 0;
        while k < self.presets.len() {
            let values = self.presets[k].1;
            let mut v = 0;
            while v < values.len() {
                let (key, x) = values[v];
                assert!(in_domain(&self.params[self.index(key)], x), "a preset value is outside its range");
                v += 1;
            }
            k += 1;
        }
    }
}

/// Whether `x` is a value `p` can hold (inside its range; an option index; 0 or 1).
const fn in_domain(p: &ParamSpec, x: f64) -> bool {
    match p.kind {
        Kind::Range { min, max, .. } => x >= min && x <= max,
        Kind::Choice(opts) => x >= 0.0 && x <= (opts.len() - 1) as f64 && x == (x as u64) as f64,
        Kind::Toggle => x == 0.0 || x == 1.0,
    }
}

/// Keys parsed specially (`preset`, `seed`, `t`, `log`), naming the widget in a share link
/// (`slot`) or belonging to the embed element itself (`name`, `theme`): no parameter may use them.
pub const RESERVED: [&str; 7] = ["preset", "seed", "slot", "t", "log", "name", "theme"];

/// The value of parameter `$key` of widget `$spec` in state `$state`, the key's index found at
/// compile time: `value!(QUEUE_VS_LOG, state, "rate")`. An unknown key does not compile.
#[macro_export]
macro_rules! value {
    ($spec:path, $state:expr, $key:literal) => {
        $state.at(const { $spec.index($key) })
    };
}
