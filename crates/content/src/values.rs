//! Widget values quoted in prose. An article that states a widget's setting writes a placeholder,
//! and the compiler fills it in from the widget's spec, so the prose cannot drift from the widget:
//!
//! - `{{timeout-pool.threads}}`: the parameter's default ("100");
//! - `{{timeout-pool.balanced.read}}`: its value in a preset (a key the preset does not set keeps
//!   its default);
//! - `{{timeout-pool.threads.min}}`, `{{timeout-pool.threads.max}}`: a range's bounds (`min` and
//!   `max` after a parameter always mean the bounds).
//!
//! A number comes out bare, as `model::fmt::number_grouped` writes it ("2,000",
//! "0.01"); the prose supplies the unit. A choice gives its option's key, as widget blocks write
//! it ("cp"); a toggle "on" or "off". Placeholders are expanded in prose, headings, tables and
//! `slides` / `notes` blocks, never in code spans, code blocks, raw HTML or widget blocks. A
//! placeholder that does not resolve, and a `{{` or `}}` that is not part of one, is an error
//! with the file and line.
//!
//! Only `model::widget`, `WidgetSpec::{params, presets}` and `ParamSpec::{key, default,
//! kind}` are read.

use crate::{err, Error};
use model::fmt::{number, number_grouped};
use model::spec::{Kind, ParamSpec, WidgetSpec};
use std::path::Path;

const OPEN: &str = "{{";
const CLOSE: &str = "}}";

/// `text` with its placeholders resolved, or `None` if it has none. `line` is the line `text`
/// starts on; every newline in it moves on one.
pub(crate) fn expand(file: &Path, line: usize, text: &str) -> Result<Option<String>, Error> {
    if !text.contains(OPEN) && !text.contains(CLOSE) {
        return Ok(None);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut line = line;
    loop {
        let Some((before, after)) = rest.split_once(OPEN) else {
            no_close(file, line, rest)?;
            out.push_str(rest);
            return Ok(Some(out));
        };
        no_close(file, line, before)?;
        line += before.matches('\n').count();
        out.push_str(before);
        let reference = match after.split_once(CLOSE) {
            Some((r, _)) if !r.contains(OPEN) && !r.contains('\n') => r,
            _ => return err(file, line, "`{{` without a closing `}}` on the same line"),
        };
        match resolve(reference.trim()) {
            Ok(v) => out.push_str(&v),
            Err(msg) => return err(file, line, format!("`{OPEN}{reference}{CLOSE}`: {msg}")),
        }
        rest = &after[reference.len() + CLOSE.len()..];
    }
}

/// A `}}` outside a placeholder is an error (most likely a placeholder missing a brace).
fn no_close(file: &Path, line: usize, text: &str) -> Result<(), Error> {
    match text.find(CLOSE) {
        Some(i) => err(
            file,
            line + text[..i].matches('\n').count(),
            "`}}` without an opening `{{` (a placeholder is `{{widget.key}}`)",
        ),
        None => Ok(()),
    }
}

/// The text for one reference (`widget.key`, `widget.preset.key`, `widget.key.min|max`), or why
/// there is none.
pub(crate) fn resolve(reference: &str) -> Result<String, String> {
    let mut parts = reference.split('.');
    let name = parts.next().unwrap_or_default();
    let path: Vec<&str> = parts.collect();
    let Some(spec) = model::widget(name) else {
        return Err(format!("unknown widget `{name}`"));
    };
    match path.as_slice() {
        [key] => {
            let p = param(spec, key)?;
            Ok(show(p, p.default))
        }
        [key, bound @ ("min" | "max")] if spec.params.iter().any(|p| p.key == *key) => {
            let p = param(spec, key)?;
            match p.kind {
                Kind::Range { min, max, .. } => Ok(number_grouped(if *bound == "min" { min } else { max })),
                _ => Err(format!("`{key}` is not a range, so it has no `{bound}`")),
            }
        }
        [preset, key] => {
            let Some((_, values)) = spec.presets.iter().find(|(n, _)| n == preset) else {
                if spec.params.iter().any(|p| p.key == *preset) {
                    return Err(format!("`{preset}` is a parameter: only `.min` or `.max` may follow it"));
                }
                let known: Vec<_> = spec.presets.iter().map(|(n, _)| *n).collect();
                return Err(if known.is_empty() {
                    format!("widget `{name}` has no preset `{preset}` (it has no presets)")
                } else {
                    format!("widget `{name}` has no preset `{preset}` (presets: {})", known.join(", "))
                });
            };
            let p = param(spec, key)?;
            let v = values.iter().find(|(k, _)| k == key).map_or(p.default, |(_, v)| *v);
            Ok(show(p, v))
        }
        [] => Err(format!("name a parameter: `{OPEN}{name}.<key>{CLOSE}`")),
        _ => Err(format!(
            "too many parts: write `{OPEN}widget.key{CLOSE}`, `{OPEN}widget.preset.key{CLOSE}` or `{OPEN}widget.key.min{CLOSE}`"
        )),
    }
}

fn param<'s>(spec: &'s WidgetSpec, key: &str) -> Result<&'s ParamSpec, String> {
    spec.params.iter().find(|p| p.key == key).ok_or_else(|| {
        let known: Vec<_> = spec.params.iter().map(|p| p.key).collect();
        format!("widget `{}` has no parameter `{key}` (parameters: {})", spec.name, known.join(", "))
    })
}

/// A value of `p` as prose quotes it.
fn show(p: &ParamSpec, v: f64) -> String {
    match p.kind {
        Kind::Range { .. } => number_grouped(v),
        Kind::Choice(opts) => opts.get(v as usize).map_or_else(|| number(v), |o| (*o).to_owned()),
        Kind::Toggle => (if v != 0.0 { "on" } else { "off" }).to_owned(),
    }
}

/// `number` with its whole part in groups of three: "12500.5" → "12,500.5".
#[cfg(test)]
mod tests {
    use super::*;

    /// Resolves `reference` and compares with `want` (a value, or the start of an error).
    fn check(reference: &str, want: Result<&str, &str>) {
        match (resolve(reference), want) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{reference}"),
            (Err(got), Err(want)) => assert!(got.starts_with(want), "{reference}: {got}"),
            (got, want) => panic!("{reference}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn resolves_defaults_presets_and_bounds() {
        check("timeout-pool.threads", Ok("100"));
        check("timeout-pool.balanced.read", Ok("300"));
        check("timeout-pool.balanced.overall", Ok("350"));
        check("timeout-pool.tight.read", Ok("60"));
        check("timeout-pool.balanced.threads", Ok("100")); // not set by the preset: the default
        check("timeout-pool.threads.min", Ok("10"));
        check("timeout-pool.threads.max", Ok("400"));
        check("retry-storm.budget.max", Ok("100")); // `budget` is a preset too; bounds win
        check("retry-storm.budget.budget", Ok("10"));
        check("queue-vs-log.burst_s", Ok("120"));
        check("queue-vs-log.fan-out.rate", Ok("2,000"));
        check("queue-vs-log.rate.max", Ok("20,000"));
        check("token-lifetime.users.max", Ok("1,000,000"));
        check("telemetry-budget.errors", Ok("0.01"));
        check("scaling-cost.beta", Ok("0.00002"));
        check("scaling-cost.price", Ok("0.045"));
        check("partition-toggles.mode", Ok("cp"));
        check("branch-lifetime.gitflow.cadence", Ok("fortnightly"));
        check("retry-storm.breaker", Ok("off"));
        check("retry-storm.breaker.breaker", Ok("on"));
    }

    #[test]
    fn rejects_what_does_not_resolve() {
        check("timeout-typhoon.threads", Err("unknown widget `timeout-typhoon`"));
        check("timeout-pool.thread", Err("widget `timeout-pool` has no parameter `thread` (parameters: connect,"));
        check("timeout-pool.balance.read", Err("widget `timeout-pool` has no preset `balance` (presets: none, tight,"));
        check("timeout-pool.balanced.reed", Err("widget `timeout-pool` has no parameter `reed`"));
        check("quorum-sliders.majority.n", Err("widget `quorum-sliders` has no preset `majority` (it has no presets)"));
        check("partition-toggles.mode.max", Err("`mode` is not a range"));
        check("timeout-pool", Err("name a parameter"));
        check("timeout-pool.balanced.read.max", Err("too many parts"));
        check("", Err("unknown widget ``"));
    }

    #[test]
    fn expands_text_and_reports_lines() {
        let f = Path::new("a.md");
        let x = |s: &str| expand(f, 7, s);
        assert_eq!(x("no placeholders, {braces} stay").unwrap(), None);
        assert_eq!(x("{{timeout-pool.threads}} threads").unwrap().unwrap(), "100 threads");
        assert_eq!(
            x("read {{ timeout-pool.balanced.read }} / {{timeout-pool.balanced.overall}} ms").unwrap().unwrap(),
            "read 300 / 350 ms"
        );
        let e = x("one\ntwo {{timeout-pool.threads.step}}").unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.md:8: `{{timeout-pool.threads.step}}`: `threads` is a parameter: only `.min` or `.max` may follow it"
        );
        assert_eq!(x("a {{timeout-pool.threads").unwrap_err().line, 7);
        assert!(x("a {{timeout-pool.threads\n}}").unwrap_err().msg.contains("without a closing"));
        assert!(x("a {{b {{timeout-pool.threads}}").unwrap_err().msg.contains("without a closing"));
        let e = x("ok\n\n{timeout-pool.threads}}").unwrap_err();
        assert_eq!((e.line, e.msg.contains("without an opening")), (9, true));
    }
}
