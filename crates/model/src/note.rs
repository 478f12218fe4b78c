//! Decision notes: what a widget shows, written out for a design doc or an architecture decision
//! record — the question, the settings with their units, the verdict and key numbers, the run so
//! far (simulations), the assumptions with their dates, the sources, and the link that reopens
//! exactly this state. Markdown for documents that render it, plain text for those that do not.
//!
//! The widget's declaration carries what does not change ([`About`]); its model module turns a
//! state or a run into [`Facts`] (the same [`Readout`]s the widget shows); [`DecisionNote`] puts
//! them together. Nothing here formats a number: values arrive formatted by `fmt`.

use crate::spec::{Kind, Note, ParamSpec, State, WidgetSpec};

/// What a widget's note says whatever the settings: declared with the widget.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct About {
    /// The decision the widget informs, as a question.
    pub question: &'static str,
    /// What the model takes for granted, each with the date it was true on ("" if timeless):
    /// prices, limits and defaults change; a note pasted into a design doc outlives them.
    pub assumptions: &'static [(&'static str, &'static str)],
    /// Where the mechanism and the figures come from: "Author, Title (Year)".
    pub sources: &'static [&'static str],
}

/// One key number, as the widget shows it: `key` is its `data-k` hook, `wide` spans the row.
#[derive(Clone, Debug, PartialEq)]
pub struct Readout {
    pub key: &'static str,
    pub label: String,
    pub value: String,
    pub wide: bool,
}

impl Readout {
    pub fn new(key: &'static str, label: impl Into<String>, value: impl Into<String>) -> Readout {
        Readout { key, label: label.into(), value: value.into(), wide: false }
    }
    /// The same readout spanning its row (long values).
    pub fn wide(mut self) -> Readout {
        self.wide = true;
        self
    }
}

/// What a widget shows for one state or one moment of a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    /// The widget's plain-language verdict.
    pub verdict: String,
    pub readouts: Vec<Readout>,
    /// For a simulation: what happened so far, a line per event, oldest first, each starting
    /// with its simulated time.
    pub run: Vec<String>,
}

/// A parameter's value as the reader sees it, with its unit: "8,000 req/s", "$0.045", "50%",
/// "Canary", "on".
pub fn display(p: &ParamSpec, v: f64) -> String {
    match p.kind {
        Kind::Range { step, .. } => {
            let decimals =
                if step > 0.0 && step < 1.0 { crate::num::clamp((-step.log10()).ceil(), 0.0, 6.0) as usize } else { 0 };
            let n = crate::fmt::num(v, decimals);
            if p.unit.is_empty() {
                n
            } else if p.unit.starts_with('%') || p.unit == "×" {
                format!("{n}{}", p.unit)
            } else if p.unit == "$" {
                format!("${n}")
            } else {
                format!("{n} {}", p.unit)
            }
        }
        Kind::Choice(_) => p.option_label(v as usize).to_owned(),
        Kind::Toggle => if v != 0.0 { "on" } else { "off" }.to_owned(),
    }
}

/// Lines for a run's interventions: "at 12 s: <what>". `describe` words a widget's own actions;
/// `set.<key>.<value>` entries are worded from the spec ("Retry budget set to 10%").
pub fn run_lines(spec: &WidgetSpec, state: &State, describe: &dyn Fn(&str) -> String) -> Vec<String> {
    state.log.iter().map(|(us, action)| format!("at {}: {}", at(*us), intervention(spec, action, describe))).collect()
}

/// One logged intervention in words: a `set.<key>.<value>` from the spec, anything else by
/// `describe`.
fn intervention(spec: &WidgetSpec, action: &str, describe: &dyn Fn(&str) -> String) -> String {
    action
        .strip_prefix("set.")
        .and_then(|rest| rest.split_once('.'))
        .and_then(|(key, v)| {
            let (_, p) = spec.param(key)?;
            let v = crate::num::parse_decimal(v)?;
            Some(format!("{} set to {}", p.label, display(p, crate::spec::clamp_to(p, v).0)))
        })
        .unwrap_or_else(|| describe(action))
}

/// What a simulation's run so far says, for [`Facts::run`]: how it `started` (at 0), each
/// intervention of `log` (worded as [`run_lines`] words them), what the run did by itself
/// (`events`, each with its time, in any order) and where it is `now` — oldest first, every line
/// "at <when(t)>: …". At equal times an intervention comes before what it set off. `when` writes
/// a simulated time: [`at`] for runs in seconds, a widget's own clock otherwise ("day 3, 14:05").
pub fn run_so_far(
    spec: &WidgetSpec,
    log: &[(u64, String)],
    when: &dyn Fn(u64) -> String,
    describe: &dyn Fn(&str) -> String,
    started: &str,
    mut events: Vec<(u64, String)>,
    now: (u64, &str),
) -> Vec<String> {
    crate::num::sort::short_stable_by_key(&mut events, |e| e.0);
    let mut lines = Vec::with_capacity(log.len() + events.len() + 2);
    lines.push(format!("at {}: {started}", when(0)));
    let mut events = events.into_iter().peekable();
    for (t, action) in log {
        while let Some((e, what)) = events.next_if(|(e, _)| e < t) {
            lines.push(format!("at {}: {what}", when(e)));
        }
        lines.push(format!("at {}: {}", when(*t), intervention(spec, action, describe)));
    }
    lines.extend(events.map(|(e, what)| format!("at {}: {what}", when(e))));
    lines.push(format!("at {}: now — {}", when(now.0), now.1));
    lines
}

/// A simulated time in microseconds, as a run summary writes it: "0.5 s", "12 s", "4 min 40 s"
/// (under a second in tenths of a second too, so a run's lines all count seconds).
pub fn at(us: u64) -> String {
    let s = us as f64 / 1e6;
    if s < 1.0 {
        return format!("{} s", crate::fmt::short(s, 1));
    }
    crate::fmt::duration(s, crate::fmt::Unit::S)
}

/// A decision note, ready to render.
pub struct DecisionNote<'a> {
    pub spec: &'a WidgetSpec,
    pub state: &'a State,
    /// Repairs made to the settings the widget was opened with (a clamped link).
    pub repairs: &'a [Note],
    /// The link that reopens this state.
    pub link: &'a str,
    pub facts: &'a Facts,
}

/// Escapes what Markdown would read as syntax inside a table cell or a line.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl DecisionNote<'_> {
    /// The settings shown to the reader: every parameter that applies (a `shown_if` parameter
    /// only while its condition holds), with its value and unit.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        let spec = self.spec;
        let now = self.current();
        let value_of = |key: &str| spec.param(key).map(|(i, _)| now.at(i));
        spec.params
            .iter()
            .enumerate()
            .filter(|(_, p)| p.shown_if.is_none_or(|(k, v)| value_of(k) == Some(v)))
            .map(|(i, p)| (p.label, display(p, now.at(i))))
            .collect()
    }

    /// The settings as they are now: the run's start with its `set.<key>.<value>` interventions
    /// applied (a simulation's reader may change a setting mid-run; the run lines say when).
    fn current(&self) -> State {
        let mut now = self.state.clone();
        for (_, action) in &self.state.log {
            if let Some((key, v)) = action.strip_prefix("set.").and_then(|rest| rest.split_once('.')) {
                if let Some(v) = crate::num::parse_decimal(v) {
                    now.set(self.spec, key, v);
                }
            }
        }
        now
    }

    fn repairs_text(&self) -> Option<String> {
        (!self.repairs.is_empty()).then(|| self.repairs.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("; "))
    }

    /// The note as Markdown (GitHub-flavoured: a pipe table).
    pub fn markdown(&self) -> String {
        let (about, f) = (&self.spec.about, self.facts);
        let mut s = format!("### Decision note: {}\n\n", md(self.spec.title));
        s += &format!("**Question.** {}\n\n", md(about.question));
        if !f.verdict.is_empty() {
            s += &format!("**What the model says.** {}\n\n", md(&f.verdict));
        }
        s += "| Setting | Value |\n|---|---|\n";
        for (label, value) in self.settings() {
            s += &format!("| {} | {} |\n", md(label), md(&value));
        }
        if let Some(r) = self.repairs_text() {
            s += &format!("\nSettings repaired when the link was opened: {}.\n", md(&r));
        }
        if !f.readouts.is_empty() {
            s += "\n**Key numbers**\n\n";
            for r in &f.readouts {
                s += &format!("- {}: {}\n", md(&r.label), md(&r.value));
            }
        }
        if !f.run.is_empty() {
            s += "\n**The run so far**\n\n";
            for line in &f.run {
                s += &format!("- {}\n", md(line));
            }
        }
        if !about.assumptions.is_empty() {
            s += "\n**Assumptions**\n\n";
            for (text, date) in about.assumptions {
                s += &format!(
                    "- {}{}\n",
                    md(text),
                    if date.is_empty() { String::new() } else { format!(" (as of {date})") }
                );
            }
        }
        if !about.sources.is_empty() {
            s += "\n**Sources**\n\n";
            for src in about.sources {
                s += &format!("- {}\n", md(src));
            }
        }
        s += &format!("\nExact state: <{}>\n", self.link);
        s
    }

    /// The note as plain text, for documents and tickets that do not render Markdown.
    pub fn plain(&self) -> String {
        let (about, f) = (&self.spec.about, self.facts);
        let mut s = format!("Decision note: {}\n\n", self.spec.title);
        s += &format!("Question: {}\n\n", about.question);
        if !f.verdict.is_empty() {
            s += &format!("What the model says: {}\n\n", f.verdict);
        }
        s += "Settings:\n";
        for (label, value) in self.settings() {
            s += &format!("  {label}: {value}\n");
        }
        if let Some(r) = self.repairs_text() {
            s += &format!("Settings repaired when the link was opened: {r}.\n");
        }
        let list = |s: &mut String, title: &str, items: &mut dyn Iterator<Item = String>| {
            let items: Vec<String> = items.collect();
            if !items.is_empty() {
                *s += &format!("\n{title}:\n");
                for i in items {
                    *s += &format!("  - {i}\n");
                }
            }
        };
        list(&mut s, "Key numbers", &mut f.readouts.iter().map(|r| format!("{}: {}", r.label, r.value)));
        list(&mut s, "The run so far", &mut f.run.iter().cloned());
        list(
            &mut s,
            "Assumptions",
            &mut about
                .assumptions
                .iter()
                .map(|(t, d)| if d.is_empty() { (*t).to_owned() } else { format!("{t} (as of {d})") }),
        );
        list(&mut s, "Sources", &mut about.sources.iter().map(|x| (*x).to_owned()));
        s += &format!("\nExact state: {}\n", self.link);
        s
    }
}

/// For tests that hold the numbers a note's assumptions state to the model's constants: panics
/// unless one of `assumptions` contains `phrase` (built from the constant).
#[cfg(test)]
#[track_caller]
pub(crate) fn assert_assumption(assumptions: &[(&str, &str)], phrase: &str) {
    assert!(
        assumptions.iter().any(|(text, _)| text.contains(phrase)),
        "no assumption of the note states {phrase:?}: the text or the constant behind it has changed"
    );
}
