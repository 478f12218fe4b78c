//! `cargo xtask fuzz [--inputs N] [--seed S]`: the URL-query and embed-attribute parsers of
//! `model::spec` against a million generated inputs (not part of `cargo xtask test`, which keeps
//! the quick property tests of crates/model/tests/properties.rs).
//!
//! Every input is parsed by every widget's spec. The inputs mix what a share link or an embed
//! really carries (the widgets' keys, presets, options, numbers inside and outside the ranges,
//! seeds, playheads, run logs) with what a hostile or broken one might: huge, negative and
//! non-finite numbers, unicode, percent escapes (broken ones and invalid UTF-8 too), very long
//! strings, more pairs than the parser reads. Invariants checked:
//! - no panic;
//! - every value is finite and inside its parameter's domain (a range's `[min, max]`, an option's
//!   index, a toggle's 0 or 1); the playhead and the log within their bounds, the log in time order;
//! - `to_query` of the state parses back to the same state, without notes;
//! - `parse_log`: entries valid and bounded, and they print back to a log that parses to the same;
//! - `parse_decimal`: a number it accepts is finite, and agrees with the standard library's
//!   correctly rounded parse;
//! - `percent_decode`: undoes a full percent-encoding of any bytes (invalid UTF-8 replaced), and
//!   leaves text without `%` and `+` alone.

use model::rng::Rng;
use model::spec::{self, Kind, State, WidgetSpec};
use std::panic::{self, AssertUnwindSafe};
use std::process::Command;
use std::time::Instant;

/// The widgets whose specs are fuzzed (one place to change if the list moves).
fn widgets() -> &'static [&'static WidgetSpec] {
    model::WIDGETS
}

/// `cargo xtask fuzz [--inputs N] [--seed S]`. From a debug build of xtask (`cargo xtask` is one)
/// it reruns itself built with `--release`: the generator and the checks run about ten times faster.
pub fn main(args: &[String]) -> Result<(), String> {
    if cfg!(debug_assertions) {
        return crate::run(
            Command::new("cargo").args(["run", "--quiet", "--release", "-p", "xtask", "--", "fuzz"]).args(args),
        );
    }
    let mut inputs: u64 = 1_000_000;
    let mut seed: u64 = 1;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut number = |what: &str| -> Result<u64, String> {
            let v = it.next().ok_or(format!("{what} needs a number"))?;
            v.replace('_', "").parse().map_err(|_| format!("{what}: `{v}` is not a whole number"))
        };
        match a.as_str() {
            "--inputs" => inputs = number("--inputs")?,
            "--seed" => seed = number("--seed")?,
            other => {
                return Err(format!("unknown fuzz argument {other} (usage: cargo xtask fuzz [--inputs N] [--seed S])"))
            }
        }
    }
    run(inputs, seed)
}

/// Runs `inputs` generated inputs from `seed`; prints the count and the time.
fn run(inputs: u64, seed: u64) -> Result<(), String> {
    let t0 = Instant::now();
    let mut g = Gen::new(seed);
    let n_widgets = widgets().len() as u64;
    for i in 0..inputs {
        let case = g.case();
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| check_case(&case)));
        let failure = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(_) => Some("panicked (message above)".to_string()),
        };
        if let Some(e) = failure {
            return Err(format!("fuzz input {i} (seed {seed}): {e}\n{}", case.describe()));
        }
        if (i + 1).is_multiple_of(200_000) {
            eprintln!("  {} inputs, {:.0} s", group(i + 1), t0.elapsed().as_secs_f64());
        }
    }
    println!(
        "fuzz (seed {seed}): {} inputs in {:.1} s — each a URL query and a set of embed attributes parsed by all {n_widgets} \
         widget specs and round-tripped through to_query ({} parses), a run log, a decimal and a percent-escaped \
         string. No panic; every invariant held.",
        group(inputs),
        t0.elapsed().as_secs_f64(),
        group(inputs * n_widgets * 4),
    );
    Ok(())
}

/// `1234567` → "1,234,567".
fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One generated input of each kind.
struct Case {
    query: String,
    pairs: Vec<(String, String)>,
    log: String,
    decimal: String,
    /// Raw bytes, and their full percent-encoding.
    bytes: Vec<u8>,
    encoded: String,
    /// Text for `percent_decode` as it comes.
    escaped: String,
}

impl Case {
    fn describe(&self) -> String {
        let cut = |s: &str| -> String {
            let mut t: String = s.chars().take(400).collect();
            if t.len() < s.len() {
                t.push_str(&format!("… ({} bytes)", s.len()));
            }
            t
        };
        let pairs: Vec<String> = self.pairs.iter().map(|(k, v)| format!("{:?}={:?}", cut(k), cut(v))).collect();
        format!(
            "  query:   {:?}\n  pairs:   {}\n  log:     {:?}\n  decimal: {:?}\n  escaped: {:?}\n  bytes:   {:?}",
            cut(&self.query),
            cut(&pairs.join(" ")),
            cut(&self.log),
            cut(&self.decimal),
            cut(&self.escaped),
            self.bytes
        )
    }
}

fn check_case(c: &Case) -> Result<(), String> {
    for w in widgets() {
        let (state, _) = w.parse_query(&c.query);
        check_state(w, &state).map_err(|e| format!("{}: query: {e}", w.name))?;
        let (state, _) = w.parse_pairs(c.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        check_state(w, &state).map_err(|e| format!("{}: attributes: {e}", w.name))?;
    }
    check_log(&c.log)?;
    check_decimal(&c.decimal)?;
    let decoded = spec::percent_decode(&c.encoded);
    let want = String::from_utf8_lossy(&c.bytes);
    if decoded != want {
        return Err(format!("percent_decode({:?}) is {decoded:?}, not {want:?}", c.encoded));
    }
    let decoded = spec::percent_decode(&c.escaped);
    if !c.escaped.contains(['%', '+']) && decoded != c.escaped {
        return Err(format!("percent_decode changed {:?} (no escapes) into {decoded:?}", c.escaped));
    }
    Ok(())
}

/// A parsed state: valid values, bounded replay, and a lossless round trip through `to_query`.
fn check_state(w: &WidgetSpec, state: &State) -> Result<(), String> {
    if state.values.len() != w.params.len() {
        return Err(format!("{} values for {} parameters", state.values.len(), w.params.len()));
    }
    for (p, &v) in w.params.iter().zip(&state.values) {
        let ok = v.is_finite()
            && match p.kind {
                Kind::Range { min, max, .. } => (min..=max).contains(&v),
                Kind::Choice(opts) => v.fract() == 0.0 && v >= 0.0 && (v as usize) < opts.len(),
                Kind::Toggle => v == 0.0 || v == 1.0,
            };
        if !ok {
            return Err(format!("{} = {v} is outside its domain {:?}", p.key, p.kind));
        }
    }
    if state.at_us > spec::MAX_REPLAY_US {
        return Err(format!("t = {} µs is past the longest replay", state.at_us));
    }
    check_log_entries(&state.log)?;
    let query = w.to_query(state);
    let (again, notes) = w.parse_query(&query);
    if again != *state || !notes.is_empty() {
        return Err(format!(
            "to_query gives {query:?}, which parses to a different state or with notes\n  before: {state:?}\n  after:  {again:?}\n  notes:  {notes:?}"
        ));
    }
    Ok(())
}

fn check_log_entries(log: &[(u64, String)]) -> Result<(), String> {
    if log.len() > spec::MAX_LOG {
        return Err(format!("a log of {} entries (at most {})", log.len(), spec::MAX_LOG));
    }
    if !log.windows(2).all(|p| p[0].0 <= p[1].0) {
        return Err(format!("the log is not in time order: {log:?}"));
    }
    for (t, a) in log {
        let valid = !a.is_empty()
            && a.len() <= 40
            && a.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if *t > spec::MAX_REPLAY_US || !valid {
            return Err(format!("log entry {t}.{a:?} is out of bounds or has an invalid action"));
        }
    }
    Ok(())
}

fn check_log(v: &str) -> Result<(), String> {
    let (log, _) = spec::parse_log(v);
    check_log_entries(&log)?;
    let printed: Vec<String> = log.iter().map(|(t, a)| format!("{t}.{a}")).collect();
    let (again, dropped) = spec::parse_log(&printed.join(","));
    if again != log || dropped {
        return Err(format!("parse_log({v:?}) printed back does not parse to the same log"));
    }
    Ok(())
}

fn check_decimal(s: &str) -> Result<(), String> {
    let Some(x) = model::num::parse_decimal(s) else { return Ok(()) };
    if !x.is_finite() {
        return Err(format!("parse_decimal({s:?}) = {x}"));
    }
    let Ok(want) = s.trim().parse::<f64>() else {
        return Err(format!("parse_decimal({s:?}) = {x}, but it is not a number to the standard library"));
    };
    // Exact to within a rounding or a few (powers of ten beyond 1e22 are not exact). Not near
    // the ends of f64's range: dividing by 10^k with k past 308 gives 0 (2.2e-308 parses to 0), which
    // no parameter's range comes near.
    let close = x == want || (x - want).abs() <= 1e-14 * want.abs();
    if (1e-280..=1e280).contains(&want.abs()) && !close {
        return Err(format!("parse_decimal({s:?}) = {x:e}, the standard library says {want:e}"));
    }
    Ok(())
}

/// The seeded generator of inputs.
struct Gen {
    rng: Rng,
    keys: Vec<&'static str>,
    words: Vec<&'static str>,
    ranges: Vec<(f64, f64, f64)>,
}

const RESERVED: &[&str] = &["preset", "seed", "t", "log", "slot", "name", "theme"];
const ACTIONS: &[&str] =
    &["outage", "slow", "heal", "set.budget.10", "set.jitter.full", "cut.0.1", "mend.2.3", "policy.budget"];
const SPECIAL_NUMBERS: &[&str] = &[
    "NaN",
    "nan",
    "-NaN",
    "inf",
    "-inf",
    "+inf",
    "Infinity",
    "-Infinity",
    "1e308",
    "1.8e308",
    "1e309",
    "-1e400",
    "1e-400",
    "4.9e-324",
    "2.2250738585072014e-308",
    "0",
    "-0",
    "+5",
    ".5",
    "5.",
    ".",
    "-",
    "+",
    "1e",
    "e5",
    "1e+",
    "1e-",
    "--1",
    "+-1",
    "0x10",
    "1_000",
    "1,000",
    " 7 ",
    "\t8\n",
    "\"3\"",
    "\"\"",
    "1e9999",
    "1e-9999",
    "00000000000000000000001",
    "99999999999999999999999999999999",
    "1.0000000000000000000001",
    "٣",
    "１２",
    "3.5.1",
    "1e5e5",
];
const TOGGLE_WORDS: &[&str] = &["1", "0", "true", "false", "on", "off", "yes", "no", "", "TRUE", "2", "-1"];
const UNICODE: &[&str] = &[
    "é",
    "e\u{301}",
    "日本",
    "😀",
    "👩‍👩‍👧",
    "\u{202e}",
    "\u{200b}",
    "\u{feff}",
    "ß",
    "İ",
    "\u{0}",
    "\u{7f}",
    "\u{fffd}",
    "Ω",
    "ﬁ",
    "\u{10ffff}",
    "\u{2028}",
    "א",
];

impl Gen {
    fn new(seed: u64) -> Gen {
        let mut keys: Vec<&'static str> = RESERVED.to_vec();
        let mut words: Vec<&'static str> = Vec::new();
        let mut ranges = Vec::new();
        for w in widgets() {
            for p in w.params {
                if !keys.contains(&p.key) {
                    keys.push(p.key);
                }
                match p.kind {
                    Kind::Range { min, max, step } => ranges.push((min, max, step)),
                    Kind::Choice(opts) => words.extend_from_slice(opts),
                    Kind::Toggle => {}
                }
            }
            words.extend(w.presets.iter().map(|(name, _)| *name));
            words.push(w.name);
        }
        Gen { rng: Rng::new(seed), keys, words, ranges }
    }

    fn below(&mut self, n: usize) -> usize {
        self.rng.below(n as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.chance(p)
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    fn param_key(&mut self) -> &'static str {
        let i = self.below(self.keys.len());
        self.keys[i]
    }

    fn word(&mut self) -> &'static str {
        let i = self.below(self.words.len());
        self.words[i]
    }

    fn case(&mut self) -> Case {
        let bytes: Vec<u8> = (0..self.below(24)).map(|_| self.rng.below(256) as u8).collect();
        let encoded =
            bytes.iter().map(|b| if self.chance(0.5) { format!("%{b:02X}") } else { format!("%{b:02x}") }).collect();
        Case {
            query: self.query(),
            pairs: (0..self.pair_count()).map(|_| (self.key(), self.value())).collect(),
            log: self.log(),
            decimal: self.number(),
            bytes,
            encoded,
            escaped: self.escaped(),
        }
    }

    fn pair_count(&mut self) -> usize {
        match self.below(20) {
            0 => 60 + self.below(40), // past the parser's 64 pairs
            1 => 0,
            _ => 1 + self.below(10),
        }
    }

    /// A URL query: pairs with keys and values percent-encoded now and then, odd separators.
    fn query(&mut self) -> String {
        if self.chance(0.03) {
            let bytes: Vec<u8> = (0..self.below(300)).map(|_| self.rng.below(256) as u8).collect();
            return String::from_utf8_lossy(&bytes).into_owned();
        }
        let mut q = String::new();
        if self.chance(0.1) {
            q.push('?');
        }
        for i in 0..self.pair_count() {
            if i > 0 {
                q.push_str(if self.chance(0.03) { "&&" } else { "&" });
            }
            let (k, v) = (self.key(), self.value());
            let k = if self.chance(0.1) { self.encode(&k) } else { k };
            let v = if self.chance(0.15) || v.contains(['&', '#']) { self.encode(&v) } else { v };
            match self.below(40) {
                0 => q.push_str(&k),
                1 => q.push_str(&format!("={v}")),
                2 => q.push_str(&format!("{k}=={v}")),
                3 => q.push_str(&format!("{k}={v}={v}")),
                _ => q.push_str(&format!("{k}={v}")),
            }
        }
        q
    }

    /// Percent-encodes some of the bytes of `s` (always `&`, `=`, `%`, `+` and `#`).
    fn encode(&mut self, s: &str) -> String {
        let mut out = String::new();
        for b in s.bytes() {
            if b"&=%+#".contains(&b) || !b.is_ascii() || self.chance(0.3) {
                out.push_str(&format!("%{b:02X}"));
            } else {
                out.push(b as char);
            }
        }
        out
    }

    fn key(&mut self) -> String {
        match self.below(20) {
            0 => self.junk(),
            1 => format!("{}{}", self.param_key(), self.pick(UNICODE)),
            2 => format!(" {} ", self.param_key()),
            3 => String::new(),
            _ => self.param_key().to_string(),
        }
    }

    fn value(&mut self) -> String {
        if self.chance(0.005) {
            return self.long();
        }
        match self.below(24) {
            0..=5 => self.in_range(),
            6..=8 => self.number(),
            9..=11 => self.word().to_string(),
            12 => format!("\"{}\"", self.word()),
            13 => self.pick(TOGGLE_WORDS).to_string(),
            14 => self.integer(),
            15 | 16 => self.log(),
            17 => (0..1 + self.below(12)).map(|_| self.pick(UNICODE)).collect(),
            18 => self.escaped(),
            19 => self.junk(),
            20 => self.junk(),
            21 => format!("{}{}", self.in_range(), self.pick(UNICODE)),
            22 => format!("  {}  ", self.in_range()),
            _ => String::new(),
        }
    }

    /// A number inside one of the widgets' ranges, on its step grid or not.
    fn in_range(&mut self) -> String {
        let i = self.below(self.ranges.len());
        let (min, max, step) = self.ranges[i];
        let mut v = min + self.rng.uniform() * (max - min);
        if step > 0.0 && self.chance(0.5) {
            v = min + ((v - min) / step).round() * step;
        }
        match self.below(4) {
            0 => format!("{v:e}"),
            1 => format!("{v:.2}"),
            2 => format!("{}", v.round()),
            _ => format!("{v}"),
        }
    }

    fn number(&mut self) -> String {
        match self.below(8) {
            0 => self.pick(SPECIAL_NUMBERS).to_string(),
            1 => format!("{}", f64::from_bits(self.rng.next_u64())),
            2 => format!("{:e}", f64::from_bits(self.rng.next_u64())),
            3 => {
                let digits: String = (0..1 + self.below(30)).map(|_| char::from(b'0' + self.below(10) as u8)).collect();
                let dot = self.below(digits.len() + 1);
                let (a, b) = digits.split_at(dot);
                format!("{}{a}.{b}e{}", if self.chance(0.3) { "-" } else { "" }, self.rng.below(700) as i64 - 350)
            }
            4 => self.integer(),
            5 => format!("{}", (self.rng.uniform() - 0.5) * 10f64.powi(self.below(40) as i32 - 20)),
            _ => self.in_range(),
        }
    }

    fn integer(&mut self) -> String {
        match self.below(6) {
            0 => self.rng.next_u64().to_string(),
            1 => u64::MAX.to_string(),
            2 => "18446744073709551616".to_string(),
            3 => format!("-{}", self.rng.below(1_000_000)),
            4 => self.rng.below(spec::MAX_REPLAY_US * 2).to_string(),
            _ => self.rng.below(100).to_string(),
        }
    }

    /// A run log: mostly valid entries, some malformed, sometimes more than the parser keeps.
    fn log(&mut self) -> String {
        let n = if self.chance(0.05) { 90 + self.below(60) } else { self.below(8) };
        let entries: Vec<String> = (0..n)
            .map(|_| {
                let t = self.rng.below(spec::MAX_REPLAY_US + spec::MAX_REPLAY_US / 5);
                match self.below(12) {
                    0 => format!("{t}.{}", "a".repeat(35 + self.below(10))),
                    1 => format!("{t}.Outage"),
                    2 => format!("{t}"),
                    3 => format!(".{}", self.pick(ACTIONS)),
                    4 => format!("-{t}.{}", self.pick(ACTIONS)),
                    5 => format!("{t}.{}{}", self.pick(ACTIONS), self.pick(UNICODE)),
                    6 => format!("{}.{}", self.rng.next_u64(), self.pick(ACTIONS)),
                    _ => format!("{t}.{}", self.pick(ACTIONS)),
                }
            })
            .collect();
        entries.join(if self.chance(0.05) { ",," } else { "," })
    }

    /// Text with percent escapes: valid, broken (`%`, `%4`, `%zz`), invalid UTF-8, `+`.
    fn escaped(&mut self) -> String {
        const PARTS: &[&str] = &[
            "%41", "%c3%a9", "%C3", "%FF%FE", "%", "%4", "%zz", "%%", "%%41", "+", "a", "%2B", "%26", "%3D", "%E2%82",
            "%00",
        ];
        (0..self.below(16)).map(|_| self.pick(PARTS)).collect()
    }

    fn long(&mut self) -> String {
        let unit = match self.below(3) {
            0 => "9".to_string(),
            1 => self.pick(UNICODE).to_string(),
            _ => self.junk(),
        };
        unit.repeat(500 + self.below(10_000))
    }

    fn junk(&mut self) -> String {
        const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-_.~!$'()*,;:@/? \"<>";
        (0..1 + self.below(12)).map(|_| char::from(self.pick(CHARS))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_thousand_inputs_hold_every_invariant() {
        run(2_000, 7).unwrap();
    }

    #[test]
    fn the_checks_catch_a_broken_state() {
        let w = &widgets()[0];
        let mut state = w.defaults();
        assert!(check_state(w, &state).is_ok());
        state.values[0] = f64::NAN;
        assert!(check_state(w, &state).unwrap_err().contains("outside its domain"));
        let mut state = w.defaults();
        state.log = vec![(5, "b".into()), (1, "a".into())];
        assert!(check_state(w, &state).unwrap_err().contains("time order"));
        assert!(check_decimal("1.5").is_ok() && check_decimal("abc").is_ok());
        assert_eq!(group(1_234_567), "1,234,567");
        assert_eq!(group(12), "12");
    }
}
