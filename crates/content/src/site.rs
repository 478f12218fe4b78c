//! The static pages: home, one page per article, one talk deck per article, one iframe page per
//! widget, the embed demo and the not-found page. Prose and slides are plain HTML; the wasm bundle
//! a page names mounts the live widgets into its `.widget-slot`s and adds behaviour (talk keys,
//! share links). Every page works under a strict Content-Security-Policy: no inline style, no
//! inline script but the theme one (allowed by its hash), and nothing here is built from URL parameters.

use crate::{Article, Block, Glossary};
use std::fmt::Write as _;

/// The one inline script: applies the reader's theme before the first paint, so `site.js` need
/// not block rendering. The CSP allows exactly this text by its hash.
pub const THEME_SCRIPT: &str = "(function(){var s;try{s=localStorage.getItem('tradeoffs-theme')}catch(e){}\
document.documentElement.setAttribute('data-theme',s==='dark'||s==='light'?s:\
window.matchMedia&&matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light')})()";

/// The policy every page ships: no eval, no inline script but `THEME_SCRIPT` (allowed by its
/// SHA-256), no inline style; wasm compilation allowed.
pub fn csp() -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(THEME_SCRIPT.as_bytes()));
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'"
    )
}

/// Site-wide settings for rendering.
pub struct Site<'a> {
    /// The public URL path the site is served under, with leading and trailing `/`.
    pub base: &'a str,
    pub articles: &'a [Article],
    /// The glossary the articles' term cards come from; rendered as `glossary/`.
    pub glossary: &'a Glossary,
    /// Scheme and host the site is deployed at (`https://example.org`, no trailing slash), for
    /// canonical URLs, share previews, the feed and the sitemap; empty when unknown (URLs are then
    /// relative to the host).
    pub origin: &'a str,
    /// Development build: every page uses the one `all` bundle.
    pub dev: bool,
}

/// The bundle (directory under `b/`) with the widgets of one article.
pub fn article_bundle(slug: &str) -> String {
    format!("a-{slug}")
}

/// The bundle with one widget, for embeds.
pub fn widget_bundle(name: &str) -> String {
    format!("w-{name}")
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Minimum heights reserved for each widget before its bundle loads, so the page does not shift
/// when it mounts (measured at 390 px and 1280 px wide; the larger is used).
fn slot_class(name: &str) -> String {
    format!("widget-slot slot-{name}")
}

/// A share card's size: the Open Graph and Twitter large-image size.
pub const CARD_W: u32 = 1200;
pub const CARD_H: u32 = 630;

/// A share card to draw: where it goes (under `dist/`), its small heading, title and question,
/// and the widget whose chart it shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    pub path: String,
    pub kicker: String,
    pub title: String,
    pub text: String,
    pub widget: String,
}

impl Card {
    /// The card as a line of the list `crates/cards` reads (tab-separated; tabs and newlines in
    /// the text become spaces).
    pub fn line(&self) -> String {
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
        format!(
            "{}\t{}\t{}\t{}\t{}",
            self.path,
            clean(&self.kicker),
            clean(&self.title),
            clean(&self.text),
            self.widget
        )
    }
}

/// An article's share card: its first widget's chart, if it has a widget.
fn article_card(a: &crate::Article) -> Option<String> {
    (!a.widgets().is_empty()).then(|| format!("articles/{}/card.png", a.slug))
}

struct Head<'a> {
    title: &'a str,
    description: &'a str,
    /// The page's path under the base (`articles/cloud/`; empty for the home page), for its
    /// canonical URL.
    path: &'a str,
    page: &'a str,
    bundle: Option<String>,
    /// Extra `data-*` attributes on `<body>`, already escaped.
    data: String,
    body_class: &'a str,
    /// The page's share card (a PNG under the base, written by `crates/cards`), if it has one.
    card: Option<String>,
}

impl Site<'_> {
    fn bundle(&self, name: String) -> String {
        if self.dev {
            "all".into()
        } else {
            name
        }
    }

    fn page(&self, h: Head, main: &str) -> String {
        let b = self.base;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"description\" content=\"{desc}\">\n<title>{title}</title>\n{share}\
<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"{b}{css}\">{theme}",
            csp = csp(),
            // The iframe embed page takes its widget bundle's stylesheet: the rules that widget
            // uses and none of the site's.
            css = match (&h.bundle, h.page) {
                (Some(bundle), "embed") => format!("b/{bundle}/embed.css"),
                _ => "style.css".to_string(),
            },
            // The iframe page has no theme button and, inside someone else's page, no access to
            // the reader's choice on our site (browsers partition its storage): it follows the
            // system preference through CSS alone (tokens.css), live, with no script.
            theme = if h.page == "embed" {
                String::new()
            } else {
                // Release builds have a service worker (`sw.js`, written by xtask) that site.js
                // registers: every page works offline after one visit.
                let manifest = if self.dev {
                    String::new()
                } else {
                    format!("\n<link rel=\"manifest\" href=\"{b}manifest.webmanifest\">")
                };
                format!("{manifest}\n<script>{THEME_SCRIPT}</script>\n<script defer src=\"{b}site.js\"></script>")
            },
            desc = esc(h.description),
            title = esc(h.title),
            share = self.share_meta(&h),
        );
        if let Some(bundle) = &h.bundle {
            let _ = writeln!(
                s,
                "<link rel=\"modulepreload\" href=\"{b}b/{bundle}/tradeoffs.js\">\n\
<link rel=\"preload\" href=\"{b}b/{bundle}/tradeoffs_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n\
<script type=\"module\" async src=\"{b}b/{bundle}/boot.js\"></script>"
            );
        }
        let _ = writeln!(
            s,
            "</head>\n<body data-page=\"{page}\" data-base=\"{b}\"{sw}{data}{class}>",
            page = h.page,
            sw = if self.dev || h.page == "embed" { "" } else { " data-sw=\"sw.js\"" },
            data = h.data,
            class = if h.body_class.is_empty() { String::new() } else { format!(" class=\"{}\"", h.body_class) },
        );
        s.push_str(main);
        s.push_str("\n</body>\n</html>\n");
        s
    }

    /// An absolute URL for `path` under the base when the origin is known, else one relative to
    /// the host.
    fn url(&self, path: &str) -> String {
        format!("{}{}{path}", self.origin, self.base)
    }

    /// The canonical URL, share-preview tags (Open Graph, Twitter) and the feed link of a page.
    fn share_meta(&self, h: &Head) -> String {
        let url = esc(&self.url(h.path));
        let kind = if h.page == "article" { "article" } else { "website" };
        let (t, d) = (esc(h.title), esc(h.description));
        format!(
            "<link rel=\"canonical\" href=\"{url}\">\n\
<meta property=\"og:type\" content=\"{kind}\">\n<meta property=\"og:site_name\" content=\"Tradeoffs\">\n\
<meta property=\"og:title\" content=\"{t}\">\n<meta property=\"og:description\" content=\"{d}\">\n\
<meta property=\"og:url\" content=\"{url}\">\n{image}<meta name=\"twitter:card\" content=\"{card}\">\n\
<meta name=\"twitter:title\" content=\"{t}\">\n<meta name=\"twitter:description\" content=\"{d}\">\n\
<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Tradeoffs\" href=\"{b}feed.xml\">\n",
            b = self.base,
            card = if h.card.is_some() { "summary_large_image" } else { "summary" },
            image = h.card.as_deref().map_or(String::new(), |c| format!(
                "<meta property=\"og:image\" content=\"{src}\">\n<meta property=\"og:image:width\" content=\"{CARD_W}\">\n\
<meta property=\"og:image:height\" content=\"{CARD_H}\">\n<meta property=\"og:image:alt\" content=\"{t}: the live widget's chart\">\n\
<meta name=\"twitter:image\" content=\"{src}\">\n",
                src = esc(&self.url(c)),
            )),
        )
    }

    /// The Atom feed of the articles, in reading order. `updated` is an RFC 3339 time for the feed
    /// and every entry (the build's content date).
    pub fn feed(&self, updated: &str) -> String {
        let id = |path: &str| {
            if self.origin.is_empty() {
                format!("tag:tradeoffs,2026:{}{path}", self.base)
            } else {
                self.url(path)
            }
        };
        let mut entries = String::new();
        for a in self.articles {
            let path = format!("articles/{}/", a.slug);
            let _ = writeln!(
                entries,
                "<entry><title>{title}</title><id>{id}</id><link href=\"{url}\"/><updated>{updated}</updated>\
<summary>{q} {s}</summary><author><name>Tradeoffs</name></author></entry>",
                title = esc(&a.title),
                id = esc(&id(&path)),
                url = esc(&self.url(&path)),
                q = esc(&a.question),
                s = esc(&a.summary),
            );
        }
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
<title>Tradeoffs</title><subtitle>System design decisions you can push on</subtitle>\n\
<id>{id}</id><link href=\"{home}\"/><link rel=\"self\" href=\"{me}\"/><updated>{updated}</updated>\n{entries}</feed>\n",
            id = esc(&id("")),
            home = esc(&self.url("")),
            me = esc(&self.url("feed.xml")),
        )
    }

    /// `robots.txt`: everything allowed, and where the sitemap is.
    pub fn robots(&self) -> String {
        format!("User-agent: *\nAllow: /\nSitemap: {}\n", self.url("sitemap.xml"))
    }

    /// The sitemap: the home page, the articles, their talks and the glossary (absolute URLs when
    /// the origin is known, as the protocol asks).
    pub fn sitemap(&self) -> String {
        let mut paths = vec![String::new(), "glossary/".to_string(), "embed-demo.html".to_string()];
        for a in self.articles {
            paths.push(format!("articles/{}/", a.slug));
            paths.push(format!("talk/{}/", a.slug));
        }
        let urls: String = paths.iter().map(|p| format!("<url><loc>{}</loc></url>\n", esc(&self.url(p)))).collect();
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n{urls}</urlset>\n"
        )
    }

    fn header(&self) -> String {
        format!(
            "<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n<header class=\"site-header\">\n\
<a class=\"brand\" href=\"{b}\">Tradeoffs</a>\n<span class=\"tagline\">System design decisions you can push on</span>\n\
<a class=\"nav-link\" href=\"{b}glossary/\">Glossary</a>\n\
<button id=\"theme-toggle\" class=\"icon-button\" type=\"button\" aria-label=\"Switch to dark theme\" title=\"Switch to dark theme\">☾</button>\n\
</header>\n",
            b = self.base
        )
    }

    fn footer(&self) -> &'static str {
        "<footer class=\"site-footer\"><p>Tradeoffs — interactive explainers for engineering managers. Numbers in widgets come from the models behind them (seeded simulations and closed forms); prices, loads and weights are illustrative.</p></footer>"
    }

    /// The home page: the articles in reading order.
    pub fn home(&self) -> String {
        let mut cards = String::new();
        for a in self.articles {
            let _ = writeln!(
                cards,
                "<li class=\"card\"><h2><a href=\"{b}articles/{slug}/\">{title}</a></h2>\
<p class=\"question\">{q}</p><p class=\"summary\">{s}</p><p class=\"meta\">{m} min read</p></li>",
                b = self.base,
                slug = a.slug,
                title = esc(&a.title),
                q = esc(&a.question),
                s = esc(&a.summary),
                m = a.minutes
            );
        }
        let main = format!(
            "{header}<main id=\"main\">\n<section class=\"home\">\n<h1>Tradeoffs</h1>\n<p class=\"lede\">Short, interactive \
explainers of the system-design decisions engineering managers face. Every article has live widgets: cause the failure, \
move the slider, watch the trade-off happen.</p>\n<ol class=\"cards\">\n{cards}</ol>\n</section>\n</main>\n{footer}",
            header = self.header(),
            footer = self.footer()
        );
        self.page(
            Head {
                title: "Tradeoffs — system design decisions you can push on",
                description: "Interactive explainers of system-design trade-offs for engineering managers.",
                path: "",
                page: "home",
                bundle: None,
                data: String::new(),
                body_class: "",
                card: None,
            },
            &main,
        )
    }

    /// The page of article `i`.
    pub fn article(&self, i: usize) -> String {
        let a = &self.articles[i];
        let b = self.base;
        let mut toc = String::new();
        for t in &a.toc {
            let _ = write!(toc, "<li class=\"toc-l{}\"><a href=\"#{}\">{}</a></li>", t.level, t.id, esc(&t.text));
        }
        let mut body = String::new();
        let mut slot = 0;
        for block in &a.blocks {
            match block {
                Block::Html(h) => {
                    let _ = writeln!(body, "<div class=\"prose\">{h}</div>");
                }
                Block::Widget { name, query } => {
                    let _ = writeln!(
                        body,
                        "<div class=\"{cls}\" id=\"w{slot}\" data-name=\"{name}\" data-query=\"{q}\">\
<p class=\"widget-loading\">Loading the live widget…<noscript> It needs JavaScript and WebAssembly.</noscript></p></div>",
                        cls = slot_class(name),
                        q = esc(query),
                    );
                    slot += 1;
                }
            }
        }
        let mut sources = String::new();
        for s in &a.sources {
            let venue = if s.venue.is_empty() { String::new() } else { format!(", {}", esc(&s.venue)) };
            let title = if s.url.is_empty() {
                format!("<cite>{}</cite>", esc(&s.title))
            } else {
                format!("<a href=\"{}\" rel=\"noopener\"><cite>{}</cite></a>", esc(&s.url), esc(&s.title))
            };
            let _ = write!(sources, "<li>{}, {title}{venue}, {}.</li>", esc(&s.author), s.year);
        }
        let related = self.related(a);
        let related = if related.is_empty() {
            String::new()
        } else {
            let mut items = String::new();
            for r in related {
                let _ = write!(
                    items,
                    "<li><a href=\"{b}articles/{}/\">{}</a><span class=\"related-q\">{}</span></li>",
                    r.slug,
                    esc(&r.title),
                    esc(&r.question)
                );
            }
            format!("<section class=\"related\" aria-labelledby=\"related\"><h2 id=\"related\">Related</h2><ul>{items}</ul></section>\n")
        };
        let mut nav = String::new();
        if let Some(p) = i.checked_sub(1).and_then(|p| self.articles.get(p)) {
            let _ =
                write!(nav, "<a class=\"prev\" rel=\"prev\" href=\"{b}articles/{}/\">← {}</a>", p.slug, esc(&p.title));
        }
        if let Some(n) = self.articles.get(i + 1) {
            let _ =
                write!(nav, "<a class=\"next\" rel=\"next\" href=\"{b}articles/{}/\">{} →</a>", n.slug, esc(&n.title));
        }
        let main = format!(
            "{header}<main id=\"main\">\n<article class=\"article\" data-slug=\"{slug}\">\n<header class=\"article-header\">\
<p class=\"kicker\">{q}</p><h1>{title}</h1><p class=\"meta\">{m} min read · <a class=\"present-link\" href=\"{b}talk/{slug}/\">Present as slides</a></p></header>\n\
<div class=\"article-layout\">\n<nav class=\"toc\" aria-label=\"Contents\"><details><summary>Contents</summary><ol>{toc}</ol></details></nav>\n\
<div class=\"article-body\">\n{body}{related}<section class=\"sources\" aria-labelledby=\"sources\"><h2 id=\"sources\">Sources</h2><ol>{sources}</ol></section>\n\
<nav class=\"prev-next\" aria-label=\"More articles\">{nav}</nav>\n</div>\n</div>\n</article>\n</main>\n{footer}",
            header = self.header(),
            footer = self.footer(),
            slug = a.slug,
            q = esc(&a.question),
            title = esc(&a.title),
            m = a.minutes,
        );
        let title = format!("{} — Tradeoffs", a.title);
        self.page(
            Head {
                title: &title,
                description: &a.summary,
                path: &format!("articles/{}/", a.slug),
                page: "article",
                bundle: Some(self.bundle(article_bundle(&a.slug))),
                data: format!(" data-slug=\"{}\"", a.slug),
                body_class: "",
                card: article_card(a),
            },
            &main,
        )
    }

    /// The talk deck of article `i`: a title slide, then one slide per `##` section with its key
    /// points, its widget and (hidden, for the presenter view) its speaker notes.
    pub fn talk(&self, i: usize) -> String {
        let a = &self.articles[i];
        let b = self.base;
        let mut slides = String::new();
        let total = a.slides.len() + 1 + usize::from(!self.related(a).is_empty());
        let _ = writeln!(
            slides,
            "<section class=\"slide slide-title\" id=\"s1\" data-n=\"1\" aria-label=\"Slide 1 of {total}\">\
<p class=\"kicker\">{q}</p><h1>{title}</h1><p class=\"slide-sub\">Tradeoffs · {m}-minute read, presented</p>\
<aside class=\"notes\"><p>{summary}</p></aside></section>",
            q = esc(&a.question),
            title = esc(&a.title),
            m = a.minutes,
            summary = esc(&a.summary),
        );
        // Slot ids are per slide (`w<k>` for section k), unique within the deck.
        for (k, s) in a.slides.iter().enumerate() {
            let n = k + 2;
            let mut points = String::new();
            for p in &s.points {
                let _ = write!(points, "<li>{}</li>", esc(p));
            }
            let widget = match &s.widget {
                Some((name, query)) => {
                    // A slide that names its widget's controls shows those; the rest fold behind
                    // "More settings" (site.js; the rules are `focus_css`).
                    let (focus, more) = if s.controls.is_empty() {
                        (String::new(), String::new())
                    } else {
                        (
                            " data-focus".to_string(),
                            format!(
                                "<button type=\"button\" class=\"btn btn-small slide-more\" aria-expanded=\"false\" aria-controls=\"w{k}\">More settings</button>"
                            ),
                        )
                    };
                    let slot = format!(
                        "<div class=\"{cls} slide-widget\" id=\"w{k}\" data-name=\"{name}\" data-query=\"{q}\" \
data-share-page=\"articles/{slug}/\" data-share-slot=\"{i}\"{focus}>\
<p class=\"widget-loading\">Loading the live widget…</p></div>",
                        cls = slot_class(name),
                        q = esc(query),
                        slug = a.slug,
                        i = s.widget_slot,
                    );
                    (slot, more)
                }
                None => (String::new(), String::new()),
            };
            let (widget, more) = widget;
            let layout = if s.widget.is_some() { "slide-with-widget" } else { "slide-text" };
            let notes =
                if s.notes.is_empty() { "<p>No notes for this slide.</p>".to_string() } else { notes_html(&s.notes) };
            let _ = writeln!(
                slides,
                "<section class=\"slide {layout}\" id=\"s{n}\" data-n=\"{n}\" aria-label=\"Slide {n} of {total}\">\
<h2>{title}</h2><div class=\"slide-body\"><ul class=\"points\">{points}</ul>{widget}</div>{more}\
<aside class=\"notes\">{notes}</aside></section>",
                title = esc(&s.title),
            );
        }
        let related = self.related(a);
        if !related.is_empty() {
            let n = total;
            let mut items = String::new();
            for r in &related {
                let _ = write!(items, "<li><a href=\"{b}articles/{}/\">{}</a></li>", r.slug, esc(&r.title));
            }
            let _ = writeln!(
                slides,
                "<section class=\"slide slide-text slide-related\" id=\"s{n}\" data-n=\"{n}\" aria-label=\"Slide {n} of {total}\">\
<h2>Related</h2><div class=\"slide-body\"><ul class=\"points\">{items}</ul></div>\
<aside class=\"notes\"><p>Where to go next: the articles these decisions lead to.</p></aside></section>"
            );
        }
        let main = format!(
            "<main id=\"main\" tabindex=\"-1\" class=\"deck\" data-total=\"{total}\" aria-roledescription=\"slide deck\">\n{slides}</main>\n\
<nav class=\"deck-bar\" aria-label=\"Slide controls\"><a class=\"deck-exit\" href=\"{b}articles/{slug}/\">Leave (Esc)</a>\
<span class=\"deck-count\" aria-live=\"polite\"></span>\
<span class=\"deck-timer\" hidden>Elapsed <span class=\"elapsed\">0:00</span> · <span class=\"clock\"></span> \
<button class=\"btn btn-small timer-reset\" type=\"button\">Restart timer</button></span>\
<button class=\"btn btn-small deck-motion\" type=\"button\" aria-pressed=\"false\">Animate even with reduced motion</button>\
<span class=\"deck-offline\" role=\"status\" hidden>✓ Ready offline</span>\
<span class=\"deck-help\">→ next · ← back · P presenter · F fullscreen · B blank</span></nav>",
            slug = a.slug,
        );
        let title = format!("{} — talk — Tradeoffs", a.title);
        self.page(
            Head {
                title: &title,
                description: &a.summary,
                path: &format!("talk/{}/", a.slug),
                page: "talk",
                bundle: Some(self.bundle(article_bundle(&a.slug))),
                data: format!(" data-slug=\"{}\"", a.slug),
                body_class: "talk",
                card: article_card(a),
            },
            &main,
        )
    }

    /// The stylesheet rules that fold each talk slide's widget down to the controls its slides
    /// block names (`controls:`): every other control is hidden until "More settings" is pressed
    /// (`.show-all`). Built with the pages, so the deck needs no script for it but the toggle.
    pub fn focus_css(&self) -> String {
        let mut css = String::new();
        for a in self.articles {
            for (k, s) in a.slides.iter().enumerate().filter(|(_, s)| !s.controls.is_empty()) {
                let keep: String = s.controls.iter().map(|c| format!(":not([data-key=\"{c}\"])")).collect();
                let _ = writeln!(
                    css,
                    "body.talk[data-slug=\"{}\"] #w{k}[data-focus]:not(.show-all) .control{keep} {{ display: none; }}",
                    a.slug
                );
            }
        }
        css
    }

    /// The articles `a` names as related, in its order.
    fn related(&self, a: &Article) -> Vec<&Article> {
        a.related.iter().filter_map(|r| self.articles.iter().find(|x| &x.slug == r)).collect()
    }

    /// The glossary page: every term, its definition and source, and the articles that use it.
    pub fn glossary_page(&self) -> String {
        let b = self.base;
        let g = self.glossary;
        let mut terms = String::new();
        for t in &g.terms {
            let users: Vec<String> = self
                .articles
                .iter()
                .filter(|a| a.terms.contains(&t.id))
                .map(|a| format!("<a href=\"{b}articles/{}/\">{}</a>", a.slug, esc(&a.title)))
                .collect();
            let used = if users.is_empty() {
                String::new()
            } else {
                format!("<p class=\"term-used\">Used in: {}</p>", users.join(", "))
            };
            let _ = writeln!(
                terms,
                "<section class=\"term-entry\" id=\"{id}\" aria-labelledby=\"t-{id}\"><h2 id=\"t-{id}\">{name}</h2>{html}{used}</section>",
                id = t.id,
                name = esc(&t.name),
                html = t.html,
            );
        }
        let mut index = String::new();
        for t in &g.terms {
            let _ = write!(index, "<li><a href=\"#{}\">{}</a></li>", t.id, esc(&t.name));
        }
        let main = format!(
            "{header}<main id=\"main\">\n<article class=\"glossary\">\n<h1>{title}</h1>\n<div class=\"prose\">{intro}</div>\n\
<nav class=\"glossary-index\" aria-label=\"Terms\"><ul>{index}</ul></nav>\n{terms}</article>\n</main>\n{footer}",
            header = self.header(),
            footer = self.footer(),
            title = esc(&g.title),
            intro = g.intro_html,
        );
        let title = format!("{} — Tradeoffs", g.title);
        self.page(
            Head {
                title: &title,
                description: &g.summary,
                path: "glossary/",
                page: "glossary",
                bundle: None,
                data: String::new(),
                body_class: "",
                card: None,
            },
            &main,
        )
    }

    /// Where a widget lives in the articles: the first article and slot that show it.
    pub fn home_of(&self, widget: &str) -> Option<(&Article, usize)> {
        self.articles.iter().find_map(|a| a.slots().find(|(_, n, _)| *n == widget).map(|(i, _, _)| (a, i)))
    }

    /// The iframe page for one widget: only the widget and a link back to its article.
    pub fn embed(&self, widget: &str) -> String {
        let b = self.base;
        let home = match self.home_of(widget) {
            Some((a, i)) => format!(" data-home=\"{b}articles/{}/\" data-slot=\"{i}\"", a.slug),
            None => String::new(),
        };
        let heading = match model::widget(widget) {
            Some(spec) => format!("{} — a live Tradeoffs widget", esc(spec.title)),
            None => "A live Tradeoffs widget".to_string(),
        };
        let main = format!(
            "<main id=\"main\" class=\"embed-main\"><h1 class=\"visually-hidden\">{heading}</h1>\
<div id=\"embed\" class=\"embed-root\"></div></main>\n<p class=\"embed-credit\"><a id=\"open-in\" href=\"{b}\" target=\"_blank\" rel=\"noopener\">Open in Tradeoffs ↗</a></p>"
        );
        let title = format!("{widget} — Tradeoffs widget");
        self.page(
            Head {
                title: &title,
                description: model::widget(widget).map_or("A live Tradeoffs widget.", |w| w.about.question),
                path: &format!("embed/{widget}/"),
                page: "embed",
                bundle: Some(self.bundle(widget_bundle(widget))),
                data: format!(" data-widget=\"{}\"{home}", esc(widget)),
                body_class: "embed-page",
                card: Some(format!("embed/{widget}/card.png")),
            },
            &main,
        )
    }

    /// Shown for unknown paths (static hosts serve `404.html`).
    pub fn not_found(&self) -> String {
        let main = format!(
            "{header}<main id=\"main\">\n<section class=\"not-found\"><h1>Page not found</h1>\
<p>There is no article at this address. It may have moved.</p><p><a href=\"{b}\">See all articles</a></p></section>\n</main>\n{footer}",
            header = self.header(),
            footer = self.footer(),
            b = self.base
        );
        self.page(
            Head {
                title: "Not found — Tradeoffs",
                description: "Page not found.",
                path: "404.html",
                page: "not-found",
                bundle: None,
                data: String::new(),
                body_class: "",
                card: None,
            },
            &main,
        )
    }

    /// A demo of both ways to embed a widget, with the snippets shown as code.
    pub fn embed_demo(&self) -> String {
        let b = self.base;
        let script = format!(
            "<script src=\"https://YOUR-HOST{b}embed.js\" defer></script>\n\
<tradeoffs-widget name=\"retry-storm\" clients=\"500\" backoff=\"exponential\" jitter=\"full\"></tradeoffs-widget>"
        );
        let iframe = format!(
            "<iframe src=\"https://YOUR-HOST{b}embed/quorum-sliders/?n=5&r=2&w=2\" title=\"Quorum sliders\"\n        \
width=\"100%\" height=\"640\" loading=\"lazy\" data-tradeoffs></iframe>\n<script>\n  \
addEventListener('message', (e) => {{\n    if (e.data?.type !== 'tradeoffs:height') return;\n    \
for (const f of document.querySelectorAll('iframe[data-tradeoffs]'))\n      \
if (f.contentWindow === e.source) f.style.height = e.data.height + 'px';\n  }});\n</script>"
        );
        let main = format!(
            "{header}<main id=\"main\" class=\"embed-demo\">\n<h1>Embedding Tradeoffs widgets</h1>\n\
<p class=\"lede\">Any widget can live in your own blog post, in one of two ways. Both take the same settings as a share link, \
and every widget's <em>Embed</em> button writes the snippet for its current state.</p>\n\
<h2 id=\"script\">With a script tag and a custom element</h2>\n<p>One script per page, then one element per widget. \
The widget renders in a shadow root with its own styles, follows the reader's light or dark preference (or a <code>theme</code> \
attribute) and pauses while it is off screen. Allow the widget host in your Content-Security-Policy's <code>script-src</code>, \
<code>style-src</code> and <code>connect-src</code>, with <code>'wasm-unsafe-eval'</code>.</p>\n\
<pre><code>{s}</code></pre>\n\
<tradeoffs-widget name=\"retry-storm\" clients=\"500\" backoff=\"exponential\" jitter=\"full\"></tradeoffs-widget>\n\
<tradeoffs-widget name=\"scaling-cost\" theme=\"dark\"></tradeoffs-widget>\n\
<h2 id=\"iframe\">With an iframe</h2>\n<p>No script of ours runs in your page. The frame reports its height; the few lines \
below resize it (without them, give the frame a fixed height).</p>\n<pre><code>{i}</code></pre>\n\
<iframe src=\"{b}embed/quorum-sliders/?n=5&amp;r=2&amp;w=2\" title=\"Quorum sliders\" class=\"demo-frame\" loading=\"lazy\" data-tradeoffs></iframe>\n\
</main>\n{footer}",
            header = self.header(),
            footer = self.footer(),
            s = esc(&script),
            i = esc(&iframe),
        );
        let mut page = self.page(
            Head {
                title: "Embedding — Tradeoffs",
                description: "How to put a live Tradeoffs widget in your own page.",
                path: "embed-demo.html",
                page: "embed-demo",
                bundle: None,
                data: String::new(),
                body_class: "",
                card: None,
            },
            &main,
        );
        let at = page.find("</head>").unwrap_or(0);
        page.insert_str(at, &format!("<script src=\"{b}embed.js\" defer></script>\n"));
        page
    }

    /// Every page: (path under the site root, HTML).
    pub fn pages(&self) -> Vec<(String, String)> {
        let mut out = vec![
            ("index.html".to_string(), self.home()),
            ("404.html".to_string(), self.not_found()),
            ("embed-demo.html".to_string(), self.embed_demo()),
            ("glossary/index.html".to_string(), self.glossary_page()),
        ];
        for (i, a) in self.articles.iter().enumerate() {
            out.push((format!("articles/{}/index.html", a.slug), self.article(i)));
            out.push((format!("talk/{}/index.html", a.slug), self.talk(i)));
        }
        for w in model::WIDGETS {
            out.push((format!("embed/{}/index.html", w.name), self.embed(w.name)));
        }
        out
    }

    /// The share cards the pages name (`og:image`), for `crates/cards` to draw: one per article
    /// (its first widget; its talk deck shares it) and one per embed page.
    pub fn cards(&self) -> Vec<Card> {
        let mut out: Vec<Card> = self
            .articles
            .iter()
            .filter_map(|a| {
                Some(Card {
                    path: article_card(a)?,
                    kicker: format!("Tradeoffs · {}", a.slug.replace('-', " ")),
                    title: a.title.clone(),
                    text: a.question.clone(),
                    widget: a.widgets().first()?.to_string(),
                })
            })
            .collect();
        out.extend(model::WIDGETS.iter().map(|w| Card {
            path: format!("embed/{}/card.png", w.name),
            kicker: "Tradeoffs · live widget".into(),
            title: w.title.into(),
            text: w.about.question.into(),
            widget: w.name.into(),
        }));
        out
    }

    /// The bundles the pages name: (bundle directory, widgets it must contain).
    pub fn bundles(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = self
            .articles
            .iter()
            .map(|a| (article_bundle(&a.slug), a.widgets().into_iter().map(String::from).collect()))
            .collect();
        out.extend(model::WIDGETS.iter().map(|w| (widget_bundle(w.name), vec![w.name.to_string()])));
        out
    }
}

/// Speaker notes: paragraphs separated by blank lines, as escaped text.
fn notes_html(notes: &str) -> String {
    notes.split("\n\n").map(|p| format!("<p>{}</p>", esc(p.trim()))).collect::<Vec<_>>().concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn site_articles() -> Vec<Article> {
        crate::load(&content_dir()).unwrap()
    }

    fn content_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content")
    }

    fn glossary() -> Glossary {
        crate::load_glossary(&content_dir()).unwrap()
    }

    #[test]
    fn the_csp_allows_the_theme_script_by_its_hash() {
        // SHA-256 of "abc", base64: the standard test vector, so the hashing itself is checked.
        use base64::Engine as _;
        use sha2::Digest as _;
        let abc = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(b"abc"));
        assert_eq!(abc, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
        let csp = csp();
        assert_eq!(csp.matches("'sha256-").count(), 1);
        assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"));
    }

    #[test]
    fn pages_are_strict_and_escaped() {
        let articles = site_articles();
        let g = glossary();
        let site = Site { base: "/sub/", articles: &articles, glossary: &g, origin: "https://example.org", dev: false };
        for (path, html) in site.pages() {
            assert!(html.contains(&csp()), "{path} has the CSP");
            assert!(!html.contains(" style=\""), "{path}: no inline styles");
            // One inline script, the theme one, which the CSP names by its hash; the iframe embed
            // page has none (its theme is CSS only).
            let embed = html.contains("data-page=\"embed\"");
            assert_eq!(html.matches("<script>").count(), usize::from(!embed), "{path}: inline scripts");
            assert_eq!(html.contains(&format!("<script>{THEME_SCRIPT}</script>")), !embed, "{path}: the theme script");
            assert_eq!(html.contains("site.js"), !embed, "{path}: site.js");
            assert!(!html.contains("<script type=\"module\">"), "{path}: no inline modules");
            assert!(!html.contains("href=\"/articles"), "{path}: links go through the base path");
        }
        let page = site.article(0);
        assert!(page.contains("class=\"widget-slot"));
        assert!(page.contains("data-query=\"") && !page.contains("data-query=\"&"), "query attributes are escaped");
        assert!(page.contains(&format!("/sub/b/a-{}/boot.js", articles[0].slug)));
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
        // Share previews: canonical URL and Open Graph tags from the origin and base.
        let slug = &articles[0].slug;
        assert!(page.contains(&format!("<link rel=\"canonical\" href=\"https://example.org/sub/articles/{slug}/\">")));
        assert!(page.contains("<meta property=\"og:type\" content=\"article\">"));
        assert!(
            page.contains(&format!("<meta property=\"og:title\" content=\"{} — Tradeoffs\">", esc(&articles[0].title)))
        );
        assert!(page.contains("href=\"/sub/feed.xml\""));
        // A large share card: the article's first widget's chart, drawn by crates/cards.
        assert!(page.contains(&format!(
            "<meta property=\"og:image\" content=\"https://example.org/sub/articles/{slug}/card.png\">"
        )));
        assert!(page.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
        assert!(
            site.glossary_page().contains("<meta name=\"twitter:card\" content=\"summary\">"),
            "no card, no large image"
        );
        let cards = site.cards();
        assert_eq!(cards.len(), articles.len() + model::WIDGETS.len(), "a card per article and per embed page");
        for c in &cards {
            assert!(model::widget(&c.widget).is_some() && c.path.ends_with("/card.png"), "{c:?}");
            assert_eq!(c.line().split('\t').count(), 5, "{c:?}");
            let page = site.pages().into_iter().find(|(p, _)| p.replace("index.html", "card.png") == c.path);
            assert!(page.is_some_and(|(_, html)| html.contains(&c.path)), "{}: its page names it", c.path);
        }
        let feed = site.feed("2026-12-03T00:00:00Z");
        assert_eq!(feed.matches("<entry>").count(), articles.len());
        assert!(feed.contains(&format!("<id>https://example.org/sub/articles/{slug}/</id>")));
        let map = site.sitemap();
        assert_eq!(map.matches("<loc>https://example.org/sub/").count(), 3 + 2 * articles.len());
        // Without an origin, ids are tag URIs and links are host-relative.
        let local = Site { origin: "", ..site };
        assert!(local.feed("2026-12-03T00:00:00Z").contains("<id>tag:tradeoffs,2026:/sub/articles/"));
        assert!(local.article(0).contains(&format!("<link rel=\"canonical\" href=\"/sub/articles/{slug}/\">")));
    }

    #[test]
    fn talk_has_a_slide_per_section_and_bundles_cover_every_widget() {
        let articles = site_articles();
        let g = glossary();
        let site = Site { base: "/", articles: &articles, glossary: &g, origin: "", dev: false };
        let deck = site.talk(0);
        let related = usize::from(!articles[0].related.is_empty());
        assert_eq!(deck.matches("<section class=\"slide").count(), articles[0].slides.len() + 1 + related);
        assert!(deck.contains(&format!("data-total=\"{}\"", articles[0].slides.len() + 1 + related)));
        assert!(deck.contains("class=\"notes\""));
        for w in model::WIDGETS {
            assert!(site.bundles().iter().any(|(b, ws)| *b == widget_bundle(w.name) && ws == &[w.name]));
        }
        let dev = Site { base: "/", articles: &articles, glossary: &g, origin: "", dev: true };
        assert!(dev.article(0).contains("/b/all/boot.js"));
    }
}
