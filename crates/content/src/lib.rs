//! The content compiler: `content/*.md` → [`Article`]s, and the static pages of the site
//! ([`site`]). Used by the app's `build.rs` (which turns the talk-mode data and the list of widgets
//! a bundle needs into Rust) and by `cargo xtask dist` (which writes the HTML pages). Nothing here
//! runs in the browser: prose ships as static HTML, never as Markdown.
//!
//! Article format: TOML front matter between `+++` lines (title, slug, question, summary, order,
//! `related` article slugs, `[[sources]]`), then Markdown; `[text](glossary:term)` links a term
//! to its card (`glossary.rs`). Fenced blocks with special info strings:
//! - ```` ```widget <name> ```` with TOML parameters: a live widget;
//! - ```` ```slides ```` with a bullet list: the section's key points for talk mode, and optionally
//!   a `controls: key, key` line naming the two or three settings the slide's widget shows on the
//!   slide (the rest fold behind "More settings");
//! - ```` ```notes ```` : speaker notes for talk mode.
//!
//! A widget block naming an unknown widget, an unknown parameter or a bad value is an error with
//! the file and line, so a broken article fails the build. Prose quotes a widget's settings
//! through placeholders such as `{{timeout-pool.balanced.read}}`, filled in from the widget's
//! spec (`values.rs`); one that does not resolve is an error too.

pub mod glossary;
pub mod site;
mod values;

pub use glossary::Glossary;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// One compiled article.
#[derive(Debug, Clone)]
pub struct Article {
    pub slug: String,
    pub title: String,
    /// The one-line question the article answers.
    pub question: String,
    pub summary: String,
    pub order: u32,
    /// Estimated reading time at 230 words a minute.
    pub minutes: u32,
    pub toc: Vec<TocEntry>,
    pub blocks: Vec<Block>,
    pub sources: Vec<Source>,
    /// One per `##` section, for talk mode.
    pub slides: Vec<Slide>,
    /// Slugs of related articles, in the order the front matter lists them.
    pub related: Vec<String>,
    /// Glossary terms the article refers to, first use first.
    pub terms: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A run of prose (HTML rendered from trusted content) or a widget slot.
#[derive(Debug, Clone)]
pub enum Block {
    Html(String),
    /// `query` is the widget's settings in the URL-state format, already validated.
    Widget {
        name: String,
        query: String,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub author: String,
    pub title: String,
    #[serde(default)]
    pub venue: String,
    pub year: u32,
    #[serde(default)]
    pub url: String,
}

/// A talk-mode slide: a `##` section's heading, key points, speaker notes and first widget.
#[derive(Debug, Clone, Default)]
pub struct Slide {
    pub title: String,
    /// The section's heading id, so a slide can link back to the article.
    pub id: String,
    pub points: Vec<String>,
    pub notes: String,
    /// Widget name and query.
    pub widget: Option<(String, String)>,
    /// Which of the article's widget slots that widget is (`id="w<i>"` on the article page), so
    /// a Share link made during a talk opens the article at it.
    pub widget_slot: usize,
    /// The widget's settings the slide shows (keys of its spec); empty: all of them.
    pub controls: Vec<String>,
}

impl Article {
    /// The widget names the article uses (prose and slides), first use first, without repeats.
    pub fn widgets(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let prose = self.blocks.iter().filter_map(|b| match b {
            Block::Widget { name, .. } => Some(name.as_str()),
            Block::Html(_) => None,
        });
        let slides = self.slides.iter().filter_map(|s| s.widget.as_ref().map(|(n, _)| n.as_str()));
        for n in prose.chain(slides) {
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }

    /// The widget slots in reading order: `(slot index, name, query)`.
    pub fn slots(&self) -> impl Iterator<Item = (usize, &str, &str)> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Widget { name, query } => Some((name.as_str(), query.as_str())),
                Block::Html(_) => None,
            })
            .enumerate()
            .map(|(i, (n, q))| (i, n, q))
    }
}

/// A content error, reported as `file:line: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub file: PathBuf,
    pub line: usize,
    pub msg: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.msg)
    }
}

impl std::error::Error for Error {}

fn err<T>(file: &Path, line: usize, msg: impl fmt::Display) -> Result<T, Error> {
    Err(Error { file: file.to_owned(), line, msg: msg.to_string() })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    title: String,
    slug: String,
    question: String,
    summary: String,
    order: u32,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    sources: Vec<Source>,
}

/// The heading id for `s`: lower case, runs of other characters become one `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Validates a widget block's TOML body against the model's parameter contract and returns the
/// settings as a query string.
fn widget_query(file: &Path, line: usize, name: &str, body: &str) -> Result<String, Error> {
    let Some(spec) = model::widget(name) else {
        let known: Vec<_> = model::WIDGETS.iter().map(|w| w.name).collect();
        return err(file, line, format!("unknown widget `{name}` (known: {})", known.join(", ")));
    };
    let table: toml::Table = match toml::from_str(body) {
        Ok(t) => t,
        Err(e) => return err(file, line, format!("widget `{name}`: bad TOML: {e}")),
    };
    // `scenario = "<name>"`: the slot opens that named run (settings, interventions, playhead).
    if let Some(v) = table.get("scenario") {
        let Some(v) = v.as_str() else { return err(file, line, format!("widget `{name}`: `scenario` is a name")) };
        if table.len() > 1 {
            return err(file, line, format!("widget `{name}`: a scenario sets everything; give it alone"));
        }
        if model::scenario::scenario(name, v).is_none() {
            let known: Vec<_> = model::scenario::scenarios(name).iter().map(|s| s.name).collect();
            return err(file, line, format!("widget `{name}`: unknown scenario `{v}` (known: {})", known.join(", ")));
        }
        return Ok(format!("scenario={v}"));
    }
    let mut pairs = Vec::new();
    for (k, v) in table {
        let v = match v {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Boolean(b) => (b as u8).to_string(),
            other => return err(file, line, format!("widget `{name}`: `{k}` has an unsupported value {other:?}")),
        };
        if k != "preset" && k != "seed" && spec.param(&k).is_none() {
            let known: Vec<_> = spec.params.iter().map(|p| p.key).collect();
            return err(
                file,
                line,
                format!("widget `{name}`: unknown parameter `{k}` (known: preset, seed, {})", known.join(", ")),
            );
        }
        pairs.push((k, v));
    }
    let (state, notes) = spec.parse_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if let Some(n) = notes.first() {
        return err(file, line, format!("widget `{name}`: {n}"));
    }
    Ok(spec.to_query(&state))
}

/// Renders Markdown events to HTML, with table alignment as classes (the pages' CSP forbids
/// inline styles, so a style attribute is an error).
fn to_html(file: &Path, events: &mut Vec<Event>) -> Result<String, Error> {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.drain(..));
    for a in ["left", "center", "right"] {
        html = html.replace(&format!(" style=\"text-align: {a}\""), &format!(" class=\"align-{a}\""));
    }
    if html.contains(" style=") {
        return err(file, 1, "the article produced an inline style attribute, which the CSP blocks");
    }
    Ok(html)
}

/// Compiles one article with no glossary (a glossary link is an error). `file` is used in error
/// messages only.
pub fn compile(file: &Path, src: &str) -> Result<Article, Error> {
    compile_with(file, src, &Glossary::default())
}

/// Compiles one article, linking its glossary references to `glossary`.
pub fn compile_with(file: &Path, src: &str, glossary: &Glossary) -> Result<Article, Error> {
    let src = src.replace("\r\n", "\n");
    let Some(rest) = src.strip_prefix("+++\n") else {
        return err(file, 1, "expected TOML front matter starting with +++");
    };
    let Some(end) = rest.find("\n+++\n") else { return err(file, 1, "front matter is not closed by +++") };
    let front: Front = match toml::from_str(&rest[..end]) {
        Ok(f) => f,
        Err(e) => return err(file, 1, format!("front matter: {e}")),
    };
    let body_offset = 4 + end + 5;
    let body = &src[body_offset..];
    let line_of = |byte: usize| src[..body_offset + byte].matches('\n').count() + 1;
    for (field, text) in [("title", &front.title), ("question", &front.question), ("summary", &front.summary)] {
        if text.contains("{{") {
            return err(file, 1, format!("front matter: `{field}` has a `{{{{`; placeholders work in the body only"));
        }
    }

    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_SMART_PUNCTUATION);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let mut events = merge_text(Parser::new_ext(body, opts).into_offset_iter());
    // Placeholders in prose, headings and tables; code keeps its text, and fenced blocks are
    // handled below (slides and notes are expanded there).
    let mut in_code = false;
    for (ev, range) in &mut events {
        match ev {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if !in_code => {
                if let Some(s) = values::expand(file, line_of(range.start), t)? {
                    *t = s.into();
                }
            }
            _ => {}
        }
    }
    let mut terms = Vec::new();
    glossary::link_terms(file, glossary, &mut events, &|b| line_of(b), &mut terms)?;

    let mut blocks = Vec::new();
    let mut toc: Vec<TocEntry> = Vec::new();
    let mut slides: Vec<Slide> = Vec::new();
    let mut pending: Vec<Event> = Vec::new();
    let mut words = 0usize;
    // (slide, line of its slides block) for the slides that name their widget's controls.
    let mut controls_lines: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let (ev, range) = &events[i];
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                let mut text = String::new();
                let mut j = i + 1;
                while !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                        text.push_str(t);
                    }
                    j += 1;
                }
                let lvl = match level {
                    HeadingLevel::H1 => {
                        return err(
                            file,
                            line_of(range.start),
                            "use ## for sections; the title comes from front matter",
                        )
                    }
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    _ => 4,
                };
                let id = slugify(&text);
                if toc.iter().any(|t| t.id == id) {
                    return err(file, line_of(range.start), format!("duplicate heading id `{id}`"));
                }
                if lvl == 2 {
                    slides.push(Slide { title: text.clone(), id: id.clone(), ..Slide::default() });
                }
                if lvl <= 3 {
                    toc.push(TocEntry { level: lvl, id: id.clone(), text });
                }
                pending.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(id)),
                    classes: vec![],
                    attrs: vec![],
                }));
                i += 1;
                continue;
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let info = info.to_string();
                let mut code = String::new();
                let mut j = i + 1;
                while !matches!(events[j].0, Event::End(TagEnd::CodeBlock)) {
                    if let Event::Text(t) = &events[j].0 {
                        code.push_str(t);
                    }
                    j += 1;
                }
                let line = line_of(range.start);
                let mut parts = info.split_whitespace();
                match parts.next() {
                    Some("widget") => {
                        let Some(name) = parts.next() else {
                            return err(file, line, "widget block without a widget name");
                        };
                        let query = widget_query(file, line, name, &code)?;
                        if !pending.is_empty() {
                            blocks.push(Block::Html(to_html(file, &mut pending)?));
                        }
                        if let Some(s) = slides.last_mut() {
                            if s.widget.is_none() {
                                s.widget = Some((name.to_owned(), query.clone()));
                                s.widget_slot = blocks.iter().filter(|b| matches!(b, Block::Widget { .. })).count();
                            }
                        }
                        blocks.push(Block::Widget { name: name.to_owned(), query });
                    }
                    Some("slides") => {
                        let code = values::expand(file, line + 1, &code)?.unwrap_or(code);
                        let Some(s) = slides.last_mut() else {
                            return err(file, line, "slides block before the first ## section");
                        };
                        s.points = code
                            .lines()
                            .filter_map(|l| l.trim().strip_prefix("- ").map(|p| p.trim().to_owned()))
                            .collect();
                        if s.points.is_empty() {
                            return err(file, line, "slides block needs `- ` bullet lines");
                        }
                        if let Some(keys) = code.lines().find_map(|l| l.trim().strip_prefix("controls:")) {
                            s.controls =
                                keys.split(',').map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()).collect();
                            controls_lines.push((slides.len() - 1, line));
                        }
                    }
                    Some("notes") => {
                        let code = values::expand(file, line + 1, &code)?.unwrap_or(code);
                        let Some(s) = slides.last_mut() else {
                            return err(file, line, "notes block before the first ## section");
                        };
                        s.notes = code.trim().to_owned();
                    }
                    _ => pending.extend(events[i..=j].iter().map(|(e, _)| e.clone())),
                }
                i = j + 1;
                continue;
            }
            Event::Text(t) => {
                words += t.split_whitespace().count();
                pending.push(ev.clone());
            }
            _ => pending.push(ev.clone()),
        }
        i += 1;
    }
    if !pending.is_empty() {
        blocks.push(Block::Html(to_html(file, &mut pending)?));
    }
    if !blocks.iter().any(|b| matches!(b, Block::Widget { .. })) {
        return err(file, 1, "an article needs at least one widget block");
    }
    for (i, line) in controls_lines {
        let s = &slides[i];
        let Some(spec) = s.widget.as_ref().and_then(|(name, _)| model::widget(name)) else {
            return err(file, line, "`controls:` names settings, but the section has no widget");
        };
        if let Some(k) = s.controls.iter().find(|k| spec.param(k).is_none() && *k != "preset" && *k != "seed") {
            let known: Vec<_> = spec.params.iter().map(|p| p.key).collect();
            return err(
                file,
                line,
                format!("`controls:` widget `{}` has no setting `{k}` (known: {})", spec.name, known.join(", ")),
            );
        }
    }
    Ok(Article {
        slug: front.slug,
        title: front.title,
        question: front.question,
        summary: front.summary,
        order: front.order,
        minutes: (words as f64 / 230.0).ceil().max(1.0) as u32,
        toc,
        blocks,
        sources: front.sources,
        slides,
        related: front.related,
        terms,
    })
}

/// The parser's events with each run of adjacent text joined into one event, so a placeholder
/// arrives whole (the parser splits text at characters such as `_` and `*`).
fn merge_text<'a>(
    events: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
) -> Vec<(Event<'a>, std::ops::Range<usize>)> {
    let mut out: Vec<(Event<'a>, std::ops::Range<usize>)> = Vec::new();
    for (ev, range) in events {
        if let (Event::Text(t), Some((Event::Text(prev), prev_range))) = (&ev, out.last_mut()) {
            *prev = format!("{prev}{t}").into();
            prev_range.end = range.end;
            continue;
        }
        out.push((ev, range));
    }
    out
}

/// The Markdown files of `dir` that are articles (all but the glossary), sorted by name.
pub fn files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let read = std::fs::read_dir(dir).map_err(|e| Error { file: dir.to_owned(), line: 0, msg: e.to_string() })?;
    let mut files: Vec<_> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md") && p.file_name().is_some_and(|n| n != glossary::FILE))
        .collect();
    #[allow(clippy::disallowed_methods)] // native only (build.rs, xtask): no wasm size rule applies
    files.sort();
    Ok(files)
}

/// The glossary of `dir` (`glossary.md`).
pub fn load_glossary(dir: &Path) -> Result<Glossary, Error> {
    let f = dir.join(glossary::FILE);
    let src = std::fs::read_to_string(&f).map_err(|e| Error { file: f.clone(), line: 0, msg: e.to_string() })?;
    Glossary::parse(&f, &src)
}

/// Compiles every article in `dir`, in reading order (`order` in the front matter), with its
/// glossary references linked and its related articles checked.
pub fn load(dir: &Path) -> Result<Vec<Article>, Error> {
    let glossary = load_glossary(dir)?;
    let mut articles = Vec::new();
    let mut sources = Vec::new();
    for f in files(dir)? {
        let src = std::fs::read_to_string(&f).map_err(|e| Error { file: f.clone(), line: 0, msg: e.to_string() })?;
        let a = compile_with(&f, &src, &glossary)?;
        sources.push((f.clone(), src));
        let stem = f.file_stem().unwrap_or_default().to_string_lossy();
        if a.slug != stem {
            return err(&f, 1, format!("slug `{}` must match the file name `{stem}`", a.slug));
        }
        articles.push(a);
    }
    #[allow(clippy::disallowed_methods)] // native only (build.rs, xtask): no wasm size rule applies
    articles.sort_by_key(|a| a.order);
    if let Some(w) = articles.windows(2).find(|w| w[0].order == w[1].order) {
        return err(Path::new(&format!("content/{}.md", w[1].slug)), 1, format!("order {} is used twice", w[1].order));
    }
    for a in &articles {
        for r in &a.related {
            if r == &a.slug || !articles.iter().any(|b| &b.slug == r) {
                let (f, src) = sources.iter().find(|(f, _)| f.file_stem().is_some_and(|s| *s == *a.slug)).unwrap();
                let line = src.lines().position(|l| l.trim_start().starts_with("related")).map_or(1, |i| i + 1);
                let why = if r == &a.slug { "an article cannot be related to itself" } else { "no such article" };
                return err(f, line, format!("related `{r}`: {why}"));
            }
        }
    }
    Ok(articles)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\ntitle = \"T\"\nslug = \"t\"\nquestion = \"Q?\"\nsummary = \"S\"\norder = 1\n+++\n\n## First part\n\nSome *words* here.\n\n```slides\n- one\n- two\n```\n\n```notes\nSay this.\n```\n\n```widget retry-storm\nclients = 300\n```\n\n## Second\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n";

    #[test]
    fn compiles_blocks_toc_and_slides() {
        let a = compile(Path::new("t.md"), GOOD).unwrap();
        assert_eq!(a.toc.len(), 2);
        assert_eq!(a.toc[0].id, "first-part");
        assert_eq!(a.slides.len(), 2);
        assert_eq!(a.slides[0].points, ["one", "two"]);
        assert_eq!(a.slides[0].notes, "Say this.");
        assert_eq!(a.slides[0].widget.as_ref().unwrap().0, "retry-storm");
        assert!(a.slides[0].widget.as_ref().unwrap().1.contains("clients=300"));
        assert_eq!(a.widgets(), ["retry-storm"]);
        assert_eq!(a.slots().count(), 1);
        let html = html(&a);
        assert!(html.contains("class=\"align-left\"") && html.contains("class=\"align-right\""));
        assert!(!html.contains("style="));
        assert!(!html.contains("Say this"), "notes are not prose");
    }

    #[test]
    fn errors_name_file_and_line() {
        let bad = GOOD.replace("```widget retry-storm", "```widget retry-typhoon");
        let e = compile(Path::new("x.md"), &bad).unwrap_err();
        assert_eq!(e.line, 22);
        assert!(e.to_string().starts_with("x.md:22: unknown widget `retry-typhoon`"), "{e}");
        let bad = GOOD.replace("clients = 300", "klients = 300");
        assert!(compile(Path::new("x.md"), &bad).unwrap_err().msg.contains("unknown parameter `klients`"));
        let bad = GOOD.replace("clients = 300", "clients = 3");
        assert!(compile(Path::new("x.md"), &bad).unwrap_err().msg.contains("widget `retry-storm`"));
        let bad = GOOD.replace("clients = 300", "scenario = \"blip-becomes-outagee\"");
        let e = compile(Path::new("x.md"), &bad).unwrap_err().msg;
        assert!(e.contains("unknown scenario `blip-becomes-outagee`") && e.contains("blip-becomes-outage,"), "{e}");
        let bad = GOOD.replace("clients = 300", "clients = 300\nscenario = \"retry-budget\"");
        assert!(compile(Path::new("x.md"), &bad).unwrap_err().msg.contains("give it alone"));
        let named = GOOD.replace("clients = 300", "scenario = \"retry-budget\"");
        let a = compile(Path::new("x.md"), &named).unwrap();
        assert_eq!(a.slots().next().map(|(_, _, q)| q), Some("scenario=retry-budget"));
        let bad = GOOD.replace("## First part", "# First part");
        assert!(compile(Path::new("x.md"), &bad).is_err());
        assert!(compile(Path::new("x.md"), "no front matter").is_err());
    }

    fn html(a: &Article) -> String {
        a.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Html(h) => Some(h.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn placeholders_expand_outside_code() {
        let src = GOOD
            .replace(
                "Some *words* here.",
                "A pool of {{timeout-pool.threads}} threads; `{{timeout-pool.threads}}` stays; *{{queue-vs-log.burst_s}} s*.\n\n    {{indented}}\n\n```text\n{{fenced}}\n```",
            )
            .replace("## Second", "## Read {{timeout-pool.balanced.read}} ms")
            .replace("- two", "- two: {{timeout-pool.balanced.overall}} ms")
            .replace("Say this.", "Say {{timeout-pool.threads.max}}.")
            .replace("| 1 | 2 |", "| {{queue-vs-log.fan-out.rate}} | 2 |");
        let a = compile(Path::new("t.md"), &src).unwrap();
        let html = html(&a);
        for want in [
            "A pool of 100 threads; <code>{{timeout-pool.threads}}</code> stays; <em>120 s</em>.",
            "<pre><code>{{indented}}\n</code></pre>",
            "<pre><code class=\"language-text\">{{fenced}}\n</code></pre>",
            "<h2 id=\"read-300-ms\">Read 300 ms</h2>",
            "<td class=\"align-left\">2,000</td>",
        ] {
            assert!(html.contains(want), "{want} in {html}");
        }
        assert_eq!((a.toc[1].id.as_str(), a.toc[1].text.as_str()), ("read-300-ms", "Read 300 ms"));
        assert_eq!(a.slides[1].title, "Read 300 ms");
        assert_eq!(a.slides[0].points, ["one", "two: 350 ms"]);
        assert_eq!(a.slides[0].notes, "Say 400.");
    }

    #[test]
    fn placeholder_errors_name_file_and_line() {
        for (from, to, want) in [
            (
                "Some *words* here.",
                "Some {{timeout-pool.thread}}.",
                "x.md:11: `{{timeout-pool.thread}}`: widget `timeout-pool` has no parameter `thread`",
            ),
            ("Some *words* here.", "Some *words*\nhere {{x.y}}.", "x.md:12: `{{x.y}}`: unknown widget `x`"),
            ("- two", "- {{timeout-typhoon.threads}}", "x.md:15: `{{timeout-typhoon.threads}}`: unknown widget"),
            (
                "Say this.",
                "Say {{timeout-pool.balance.read}}.",
                "x.md:19: `{{timeout-pool.balance.read}}`: widget `timeout-pool` has no preset `balance`",
            ),
            ("## First part", "## First {{timeout-pool.threads", "x.md:9: `{{` without a closing `}}`"),
            ("| 1 | 2 |", "| 1 | {timeout-pool.threads}} |", "x.md:30: `}}` without an opening `{{`"),
            ("title = \"T\"", "title = \"{{timeout-pool.threads}}\"", "x.md:1: front matter: `title` has a `{{`"),
        ] {
            let e = compile(Path::new("x.md"), &GOOD.replace(from, to)).unwrap_err();
            assert!(e.to_string().starts_with(want), "{e}");
        }
    }

    const GLOSSARY: &str = "+++\ntitle = \"Glossary\"\nsummary = \"S\"\n+++\n\nIntro.\n\n## Idempotency\n\nDoing it twice is doing it *once*.\n\nSource: Someone, 2020.\n\n## Tail latency\n\nThe slow end.\n";

    #[test]
    fn glossary_links_the_first_use_to_a_card_and_later_ones_to_the_page() {
        let g = Glossary::parse(Path::new("glossary.md"), GLOSSARY).unwrap();
        assert_eq!(g.terms.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["idempotency", "tail-latency"]);
        assert_eq!(g.terms[0].short_html, "Doing it twice is doing it <em>once</em>.");
        assert_eq!(g.terms[0].source_html, "Someone, 2020.");
        let src = GOOD.replace(
            "Some *words* here.",
            "Make it [idempotent](glossary:idempotency), and [idempotency](glossary:) again; mind the [tail latency](glossary:).",
        );
        let a = compile_with(Path::new("t.md"), &src, &g).unwrap();
        assert_eq!(a.terms, ["idempotency", "tail-latency"]);
        let h = html(&a);
        assert_eq!(h.matches("popovertarget=\"gl-idempotency\"").count(), 1, "one card per term: {h}");
        assert!(h.contains("<button type=\"button\" class=\"term\" popovertarget=\"gl-idempotency\" aria-describedby=\"gl-idempotency\">idempotent</button><span class=\"term-card\" id=\"gl-idempotency\" popover>"), "{h}");
        assert!(h.contains("<a class=\"term-link\" href=\"../../glossary/#idempotency\">idempotency</a>"), "{h}");
        assert!(h.contains("popovertarget=\"gl-tail-latency\""), "{h}");
        // An unknown term fails with the article's file and line.
        let bad = GOOD.replace("Some *words* here.", "Mind the [gap](glossary:).");
        let e = compile_with(Path::new("x.md"), &bad, &g).unwrap_err();
        assert_eq!((e.line, e.msg.starts_with("unknown glossary term `gap`")), (11, true), "{e}");
        assert!(compile(Path::new("x.md"), &src).is_err(), "no glossary, no terms");
        // Glossary errors.
        let dup = format!("{GLOSSARY}\n## Idempotency\n\nAgain.\n");
        let e = Glossary::parse(Path::new("glossary.md"), &dup).unwrap_err();
        assert!(e.msg.contains("defined twice") && e.line == 18, "{e}");
        assert!(Glossary::parse(Path::new("g.md"), "+++\ntitle = \"G\"\nsummary = \"S\"\n+++\n\n## Empty\n").is_err());
    }

    #[test]
    fn related_articles_must_exist() {
        let dir = std::env::temp_dir().join(format!("tradeoffs-related-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("glossary.md"), GLOSSARY).unwrap();
        let art = |slug: &str, order: u32, related: &str| {
            GOOD.replace("slug = \"t\"", &format!("slug = \"{slug}\"\nrelated = [{related}]"))
                .replace("order = 1", &format!("order = {order}"))
        };
        std::fs::write(dir.join("a.md"), art("a", 1, "\"b\"")).unwrap();
        std::fs::write(dir.join("b.md"), art("b", 2, "\"a\"")).unwrap();
        let all = load(&dir).unwrap();
        assert_eq!(all[0].related, ["b"]);
        std::fs::write(dir.join("b.md"), art("b", 2, "\"nope\"")).unwrap();
        let e = load(&dir).unwrap_err();
        assert_eq!((e.file.file_name().unwrap().to_str().unwrap(), e.line), ("b.md", 4), "{e}");
        assert!(e.msg.contains("related `nope`"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_real_content_compiles() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
        let articles = load(&dir).unwrap();
        assert!(articles.len() >= 3);
        for a in &articles {
            assert!(!a.widgets().is_empty(), "{} has widgets", a.slug);
            assert!(a.slides.iter().all(|s| !s.title.is_empty()));
        }
    }
}
