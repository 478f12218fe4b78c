//! The glossary: `content/glossary.md`, one `## Term` section per term, each defined once.
//!
//! Articles refer to a term with a Markdown link whose destination is `glossary:<id>`
//! (`[quorums](glossary:quorum)`), or `glossary:` alone when the link text is the term
//! (`[idempotency](glossary:)`). The first reference in an article becomes a button that opens
//! the term's card, a native HTML popover (keyboard, Escape and screen readers handled by the
//! browser, no script, so the strict CSP holds); later ones link to the glossary page. A
//! reference to a term the glossary does not define fails the build with `file:line`.
//!
//! Format: TOML front matter (`title`, `summary`) between `+++` lines, an introduction, then
//! `## Term` sections. A section's first paragraph is its definition (what the card shows); a
//! paragraph starting `Source:` is shown on the glossary page and in the card.

use crate::{err, slugify, Error};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Deserialize;
use std::path::Path;

/// The glossary's file name in the content directory (not an article).
pub const FILE: &str = "glossary.md";

/// One defined term.
#[derive(Debug, Clone)]
pub struct Term {
    /// The anchor on the glossary page and the id references use: the heading, slugified.
    pub id: String,
    /// The term as written in its heading.
    pub name: String,
    /// The definition's first paragraph as inline HTML (no `<p>`), for the card.
    pub short_html: String,
    /// The whole section as HTML, for the glossary page.
    pub html: String,
    /// The `Source:` paragraph as inline HTML, empty when there is none.
    pub source_html: String,
}

/// Every term, in the file's order.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    pub title: String,
    pub summary: String,
    /// The introduction before the first term, as HTML.
    pub intro_html: String,
    pub terms: Vec<Term>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    title: String,
    summary: String,
}

fn markdown(src: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_SMART_PUNCTUATION);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(src, opts));
    html
}

/// A paragraph's inline HTML: the rendered Markdown without its `<p>` wrapper.
fn inline(src: &str) -> String {
    let html = markdown(src.trim());
    let html = html.trim();
    html.strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>")).unwrap_or(html).to_owned()
}

impl Glossary {
    /// Parses the glossary. `file` is used in error messages only.
    pub fn parse(file: &Path, src: &str) -> Result<Glossary, Error> {
        let src = src.replace("\r\n", "\n");
        let Some(rest) = src.strip_prefix("+++\n") else {
            return err(file, 1, "expected TOML front matter starting with +++");
        };
        let Some(end) = rest.find("\n+++\n") else { return err(file, 1, "front matter is not closed by +++") };
        let front: Front = match toml::from_str(&rest[..end]) {
            Ok(f) => f,
            Err(e) => return err(file, 1, format!("front matter: {e}")),
        };
        let first_line = src[..4 + end + 5].matches('\n').count() + 1;
        let body = &rest[end + 5..];
        let mut g = Glossary { title: front.title, summary: front.summary, ..Glossary::default() };
        let mut intro = String::new();
        // (heading line, name, body)
        let mut sections: Vec<(usize, String, String)> = Vec::new();
        for (i, line) in body.lines().enumerate() {
            if let Some(name) = line.strip_prefix("## ") {
                sections.push((first_line + i, name.trim().to_owned(), String::new()));
            } else if line.starts_with('#') {
                return err(file, first_line + i, "use `## Term` headings only");
            } else if let Some((_, _, text)) = sections.last_mut() {
                text.push_str(line);
                text.push('\n');
            } else {
                intro.push_str(line);
                intro.push('\n');
            }
        }
        g.intro_html = markdown(&intro);
        for (line, name, text) in sections {
            let id = slugify(&name);
            if id.is_empty() {
                return err(file, line, "a term needs a name");
            }
            if g.terms.iter().any(|t| t.id == id) {
                return err(file, line, format!("`{name}` is defined twice"));
            }
            let paras: Vec<&str> = text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
            let Some(first) = paras.first() else { return err(file, line, format!("`{name}` has no definition")) };
            if first.starts_with("Source:") {
                return err(file, line, format!("`{name}`: the definition comes before its source"));
            }
            if first.contains("](glossary:") {
                return err(file, line, format!("`{name}`: a definition links to the glossary page, not to cards"));
            }
            let source = paras.iter().find_map(|p| p.strip_prefix("Source:")).map(inline).unwrap_or_default();
            let mut html = String::new();
            for p in &paras {
                if p.starts_with("Source:") {
                    html.push_str(&format!("<p class=\"term-source\">{}</p>", inline(p)));
                } else {
                    html.push_str(&markdown(p));
                }
            }
            g.terms.push(Term { id, name, short_html: inline(first), html, source_html: source });
        }
        if g.terms.is_empty() {
            return err(file, first_line, "the glossary defines no term");
        }
        Ok(g)
    }

    pub fn term(&self, id: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.id == id)
    }
}

/// Turns glossary links (`[text](glossary:id)`) in an article's events into cards and links.
/// `line_of` maps a byte offset to the article's line, for errors; `used` collects the ids
/// referenced, first use first.
pub(crate) fn link_terms(
    file: &Path,
    glossary: &Glossary,
    events: &mut [(Event<'_>, std::ops::Range<usize>)],
    line_of: &dyn Fn(usize) -> usize,
    used: &mut Vec<String>,
) -> Result<(), Error> {
    let mut i = 0;
    while i < events.len() {
        let (Event::Start(Tag::Link { dest_url, .. }), range) = &events[i] else {
            i += 1;
            continue;
        };
        let Some(id) = dest_url.strip_prefix("glossary:") else {
            i += 1;
            continue;
        };
        let line = line_of(range.start);
        let Some(end) = (i + 1..events.len()).find(|&j| matches!(events[j].0, Event::End(TagEnd::Link))) else {
            return err(file, line, "a glossary link is not closed");
        };
        let text: String = events[i + 1..end]
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let id = if id.is_empty() { slugify(&text) } else { id.to_owned() };
        let Some(term) = glossary.term(&id) else {
            let known: Vec<_> = glossary.terms.iter().map(|t| t.id.as_str()).collect();
            return err(file, line, format!("unknown glossary term `{id}` (known: {})", known.join(", ")));
        };
        let href = format!("../../glossary/#{}", term.id);
        let (open, close) = if used.contains(&term.id) {
            (format!("<a class=\"term-link\" href=\"{href}\">"), "</a>".to_owned())
        } else {
            used.push(term.id.clone());
            let source = if term.source_html.is_empty() {
                String::new()
            } else {
                format!("<span class=\"term-card-source\">{}</span>", term.source_html)
            };
            (
                format!(
                    "<button type=\"button\" class=\"term\" popovertarget=\"gl-{id}\" aria-describedby=\"gl-{id}\">",
                    id = term.id
                ),
                format!(
                    "</button><span class=\"term-card\" id=\"gl-{id}\" popover><strong class=\"term-card-name\">{name}</strong> \
{short}{source} <a class=\"term-card-more\" href=\"{href}\">In the glossary</a></span>",
                    id = term.id,
                    name = crate::site::esc(&term.name),
                    short = term.short_html,
                ),
            )
        };
        events[i].0 = Event::InlineHtml(open.into());
        events[end].0 = Event::InlineHtml(close.into());
        i = end + 1;
    }
    Ok(())
}
