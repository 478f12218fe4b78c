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
    let mut lines = Vec::with_capacity(state.log.len());
    for (us, action) in &state.log {
        let what = action
            .strip_prefix("set.")
            .and_then(|rest| rest.split_once('.'))
            .and_then(|(key, v)| {
                let (_, p) = spec.param(key)?;
                let v = crate::num::parse_decimal(v)?;
                Some(format!("{} set to {}", p.label, display(p, crate::spec::clamp_to(p, v).0)))
            })
            .unwrap_or_else(|| describe(action));
        lines.push(format!("at {}: {what}", at(*us)));
    }
    lines
}

/// A simulated time in microseconds, as a run summary writes it.
pub fn at(us: u64) -> String {
    crate::fmt::duration(us as f64 / 1e6, crate::fmt::Unit::S)
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
        spec.params
            .iter()
            .enumerate()
            .filter(|(_, p)| p.shown_if.is_none_or(|(k, v)| self.state.value_of(spec, k) == Some(v)))
            .map(|(i, p)| (p.label, display(p, self.state.at(i))))
            .collect()
    }

    fn repairs_text(&self) -> Option<String> {
        (!self.repairs.is_empty())
            .then(|| self.repairs.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("; "))
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
                s += &format!("- {}{}\n", md(text), if date.is_empty() { String::new() } else { format!(" (as of {date})") });
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
            &mut about.assumptions.iter().map(|(t, d)| if d.is_empty() { (*t).to_owned() } else { format!("{t} (as of {d})") }),
        );
        list(&mut s, "Sources", &mut about.sources.iter().map(|x| (*x).to_owned()));
        s += &format!("\nExact state: {}\n", self.link);
        s
    }
}
