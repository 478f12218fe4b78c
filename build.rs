//! Compiles `content/*.md` into Rust: the articles are data in the binary, so no Markdown parser
//! ships to the browser. A widget block naming an unknown widget, an unknown parameter or a bad
//! value fails the build with the file and line.
//!
//! Article format: TOML front matter between `+++` lines (title, slug, question, summary, order,
//! [[sources]]), then Markdown. Fenced blocks with special info strings:
//! - ```` ```widget <name> ```` with TOML parameters: a live widget;
//! - ```` ```slides ```` with a bullet list: the section's key points for talk mode;
//! - ```` ```notes ```` : speaker notes for talk mode.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Deserialize;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    title: String,
    slug: String,
    question: String,
    summary: String,
    order: u32,
    #[serde(default)]
    sources: Vec<Source>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Source {
    author: String,
    title: String,
    #[serde(default)]
    venue: String,
    year: u32,
    #[serde(default)]
    url: String,
}

enum Block {
    Html(String),
    Widget { name: String, query: String },
}

#[derive(Default)]
struct Slide {
    title: String,
    points: Vec<String>,
    notes: String,
    widget: Option<(String, String)>,
}

struct Article {
    front: Front,
    minutes: u32,
    toc: Vec<(u8, String, String)>,
    blocks: Vec<Block>,
    slides: Vec<Slide>,
}

fn fail(file: &Path, line: usize, msg: impl std::fmt::Display) -> ! {
    panic!("\n\n{}:{}: {}\n\n", file.display(), line, msg);
}

fn slugify(s: &str) -> String {
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

/// Validates a widget block's TOML body against the model's parameter contract.
fn widget_query(file: &Path, line: usize, name: &str, body: &str) -> String {
    let Some(spec) = model::spec::widget(name) else {
        let known: Vec<_> = model::spec::WIDGETS.iter().map(|w| w.name).collect();
        fail(file, line, format!("unknown widget `{name}` (known: {})", known.join(", ")));
    };
    let table: toml::Table =
        toml::from_str(body).unwrap_or_else(|e| fail(file, line, format!("widget `{name}`: bad TOML: {e}")));
    let mut pairs = Vec::new();
    for (k, v) in table {
        let v = match v {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Boolean(b) => (b as u8).to_string(),
            other => fail(file, line, format!("widget `{name}`: `{k}` has an unsupported value {other:?}")),
        };
        if k != "preset" && k != "seed" && spec.param(&k).is_none() {
            let known: Vec<_> = spec.params.iter().map(|p| p.key).collect();
            fail(
                file,
                line,
                format!("widget `{name}`: unknown parameter `{k}` (known: preset, seed, {})", known.join(", ")),
            );
        }
        pairs.push((k, v));
    }
    let (state, notes) = spec.parse_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if let Some(n) = notes.first() {
        fail(file, line, format!("widget `{name}`: {n}"));
    }
    spec.to_query(&state)
}

fn compile(file: &Path, src: &str) -> Article {
    let rest =
        src.strip_prefix("+++\n").unwrap_or_else(|| fail(file, 1, "expected TOML front matter starting with +++"));
    let end = rest.find("\n+++\n").unwrap_or_else(|| fail(file, 1, "front matter is not closed by +++"));
    let front: Front = toml::from_str(&rest[..end]).unwrap_or_else(|e| fail(file, 1, format!("front matter: {e}")));
    let body_offset = 4 + end + 5;
    let body = &src[body_offset..];
    let line_of = |byte: usize| src[..body_offset + byte].lines().count() + 1;

    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_SMART_PUNCTUATION);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(body, opts).into_offset_iter().collect();

    let mut blocks = Vec::new();
    let mut toc = Vec::new();
    let mut slides: Vec<Slide> = Vec::new();
    let mut pending: Vec<Event> = Vec::new();
    let mut words = 0usize;
    let mut i = 0;
    let flush = |pending: &mut Vec<Event>, blocks: &mut Vec<Block>| {
        if !pending.is_empty() {
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, pending.drain(..));
            // Table alignment as classes, not style attributes: the page's CSP forbids inline styles.
            for a in ["left", "center", "right"] {
                html = html.replace(&format!(" style=\"text-align: {a}\""), &format!(" class=\"align-{a}\""));
            }
            if html.contains(" style=") {
                panic!("an article produced an inline style attribute, which the CSP blocks");
            }
            blocks.push(Block::Html(html));
        }
    };
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
                        fail(file, line_of(range.start), "use ## for sections; the title comes from front matter")
                    }
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    _ => 4,
                };
                let id = slugify(&text);
                if toc.iter().any(|(_, other, _)| *other == id) {
                    fail(file, line_of(range.start), format!("duplicate heading id `{id}`"));
                }
                if lvl == 2 {
                    slides.push(Slide { title: text.clone(), ..Slide::default() });
                }
                if lvl <= 3 {
                    toc.push((lvl, id.clone(), text));
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
                let mut body = String::new();
                let mut j = i + 1;
                while !matches!(events[j].0, Event::End(TagEnd::CodeBlock)) {
                    if let Event::Text(t) = &events[j].0 {
                        body.push_str(t);
                    }
                    j += 1;
                }
                let line = line_of(range.start);
                let mut parts = info.split_whitespace();
                match parts.next() {
                    Some("widget") => {
                        let name =
                            parts.next().unwrap_or_else(|| fail(file, line, "widget block without a widget name"));
                        let query = widget_query(file, line, name, &body);
                        flush(&mut pending, &mut blocks);
                        if let Some(s) = slides.last_mut() {
                            if s.widget.is_none() {
                                s.widget = Some((name.to_owned(), query.clone()));
                            }
                        }
                        blocks.push(Block::Widget { name: name.to_owned(), query });
                    }
                    Some("slides") => {
                        let s = slides
                            .last_mut()
                            .unwrap_or_else(|| fail(file, line, "slides block before the first ## section"));
                        s.points = body
                            .lines()
                            .filter_map(|l| l.trim().strip_prefix("- ").map(|p| p.trim().to_owned()))
                            .collect();
                        if s.points.is_empty() {
                            fail(file, line, "slides block needs `- ` bullet lines");
                        }
                    }
                    Some("notes") => {
                        let s = slides
                            .last_mut()
                            .unwrap_or_else(|| fail(file, line, "notes block before the first ## section"));
                        s.notes = body.trim().to_owned();
                    }
                    _ => {
                        pending.extend(events[i..=j].iter().map(|(e, _)| e.clone()));
                    }
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
    flush(&mut pending, &mut blocks);
    if !blocks.iter().any(|b| matches!(b, Block::Widget { .. })) {
        fail(file, 1, "an article needs at least one widget block");
    }
    Article { minutes: (words as f64 / 230.0).ceil().max(1.0) as u32, front, toc, blocks, slides }
}

fn main() {
    println!("cargo:rerun-if-changed=content");
    let dir = Path::new("content");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("content/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let mut articles: Vec<Article> = files
        .iter()
        .map(|f| {
            println!("cargo:rerun-if-changed={}", f.display());
            let src = std::fs::read_to_string(f).expect("readable article").replace("\r\n", "\n");
            let a = compile(f, &src);
            let stem = f.file_stem().unwrap().to_string_lossy();
            if a.front.slug != stem {
                fail(f, 1, format!("slug `{}` must match the file name `{stem}`", a.front.slug));
            }
            a
        })
        .collect();
    articles.sort_by_key(|a| a.front.order);

    let mut out = String::from(
        "// Generated by build.rs from content/*.md. Do not edit.\npub static ARTICLES: &[Article] = &[\n",
    );
    for a in &articles {
        let f = &a.front;
        writeln!(
            out,
            "Article {{ slug: {:?}, title: {:?}, question: {:?}, summary: {:?}, order: {}, minutes: {},",
            f.slug, f.title, f.question, f.summary, f.order, a.minutes
        )
        .unwrap();
        out.push_str("  toc: &[");
        for (l, id, t) in &a.toc {
            write!(out, "TocEntry {{ level: {l}, id: {id:?}, text: {t:?} }}, ").unwrap();
        }
        out.push_str("],\n  blocks: &[");
        for b in &a.blocks {
            match b {
                Block::Html(h) => write!(out, "Block::Html({h:?}), ").unwrap(),
                Block::Widget { name, query } => {
                    write!(out, "Block::Widget {{ name: {name:?}, query: {query:?} }}, ").unwrap()
                }
            }
        }
        out.push_str("],\n  sources: &[");
        for s in &f.sources {
            write!(
                out,
                "Source {{ author: {:?}, title: {:?}, venue: {:?}, year: {}, url: {:?} }}, ",
                s.author, s.title, s.venue, s.year, s.url
            )
            .unwrap();
        }
        out.push_str("],\n  slides: &[");
        for s in &a.slides {
            let w = match &s.widget {
                Some((n, q)) => format!("Some(({n:?}, {q:?}))"),
                None => "None".into(),
            };
            write!(
                out,
                "Slide {{ title: {:?}, points: &{:?}, notes: {:?}, widget: {w} }}, ",
                s.title, s.points, s.notes
            )
            .unwrap();
        }
        out.push_str("],\n},\n");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("articles.rs");
    std::fs::write(dest, out).unwrap();
}
