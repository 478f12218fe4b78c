//! The shell: routes, header, home page, article page and not-found page.

use crate::articles::{find, Article, Block, ARTICLES};
use crate::ui::theme::{use_theme, ThemeToggle};
use crate::widgets;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::use_params_map;
use leptos_router::path;

/// The base path the site is served under ("" at a domain root, "/tradeoffs" under a sub-path),
/// read from the `<base href>` Trunk writes for `--public-url`.
pub fn base_path() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|u| web_sys::Url::new(&u).ok())
        .map(|u| u.pathname())
        .unwrap_or_default();
    base.trim_end_matches('/').to_string()
}

thread_local! {
    static BASE: String = base_path();
}

/// An in-site link: `path` (starting with `/`) under the base path. Leptos' `<A>` resolves
/// absolute paths against the domain root, not the router's base, so every link goes through here.
pub fn link(path: &str) -> String {
    BASE.with(|b| format!("{b}{path}"))
}

/// The application root.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let theme = use_theme();
    view! {
        <Router base=BASE.with(String::clone)>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="site-header">
                <A href=link("/") attr:class="brand">"Tradeoffs"</A>
                <span class="tagline">"System design decisions you can push on"</span>
                <ThemeToggle theme=theme />
            </header>
            <main id="main">
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/articles/:slug") view=ArticlePage />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>"Tradeoffs — interactive explainers for engineering managers. Numbers in widgets come from seeded simulations; prices and loads are illustrative."</p>
            </footer>
        </Router>
    }
}

/// The list of articles, in mission order.
#[component]
pub fn Home() -> impl IntoView {
    view! {
        <Title text="Tradeoffs — system design decisions you can push on" />
        <section class="home">
            <h1>"Tradeoffs"</h1>
            <p class="lede">
                "Short, interactive explainers of the system-design decisions engineering managers face. Every article has live widgets: cause the failure, move the slider, watch the trade-off happen."
            </p>
            <ol class="cards">
                {ARTICLES
                    .iter()
                    .map(|a| {
                        view! {
                            <li class="card">
                                <h2><A href=link(&format!("/articles/{}", a.slug))>{a.title}</A></h2>
                                <p class="question">{a.question}</p>
                                <p class="summary">{a.summary}</p>
                                <p class="meta">{format!("{} min read", a.minutes)}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// An article by slug, or the not-found page.
#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let slug = params.with(|p| p.get("slug").unwrap_or_default());
        match find(&slug) {
            Some((i, a)) => view! { <ArticleView article=a index=i /> }.into_any(),
            None => view! { <NotFound /> }.into_any(),
        }
    }
}

/// The body of one article.
#[component]
pub fn ArticleView(
    /// The article to show.
    article: &'static Article,
    /// Its position in [`ARTICLES`] (for previous / next).
    index: usize,
) -> impl IntoView {
    let prev = index.checked_sub(1).and_then(|i| ARTICLES.get(i));
    let next = ARTICLES.get(index + 1);
    let toc = article
        .toc
        .iter()
        .map(|t| {
            view! {
                <li class=format!("toc-l{}", t.level)>
                    <a href=format!("#{}", t.id)>{t.text}</a>
                </li>
            }
        })
        .collect_view();
    // A shared link names one widget slot (`?slot=<i>&<state>`): that widget starts from the link's
    // state instead of the article's, and the page scrolls to it.
    let shared = shared_slot();
    let mut slot = 0usize;
    let body = article
        .blocks
        .iter()
        .map(|b| match b {
            // Trusted HTML rendered at build time from our own content; nothing from the URL.
            Block::Html(h) => view! { <div class="prose" inner_html=*h></div> }.into_any(),
            Block::Widget { name, query } => {
                let i = slot;
                slot += 1;
                let q = match &shared {
                    Some((k, q)) if *k == i => q.clone(),
                    _ => query.to_string(),
                };
                view! { <div class="widget-slot" id=format!("w{i}")>{widgets::render(name, &q)}</div> }.into_any()
            }
        })
        .collect_view();
    if let Some((i, _)) = shared {
        request_animation_frame(move || {
            if let Some(el) =
                web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&format!("w{i}")))
            {
                el.scroll_into_view();
            }
        });
    }
    view! {
        <Title text=format!("{} — Tradeoffs", article.title) />
        <article class="article" data-slug=article.slug>
            <header class="article-header">
                <p class="kicker">{article.question}</p>
                <h1>{article.title}</h1>
                <p class="meta">{format!("{} min read", article.minutes)}</p>
            </header>
            <div class="article-layout">
                <nav class="toc" aria-label="Contents">
                    <details open=wide_screen()>
                        <summary>"Contents"</summary>
                        <ol>{toc}</ol>
                    </details>
                </nav>
                <div class="article-body">
                    {body}
                    <section class="sources" aria-labelledby="sources">
                        <h2 id="sources">"Sources"</h2>
                        <ol>
                            {article
                                .sources
                                .iter()
                                .map(|s| {
                                    let venue = if s.venue.is_empty() { String::new() } else { format!(", {}", s.venue) };
                                    view! {
                                        <li>
                                            {format!("{}, ", s.author)}
                                            {if s.url.is_empty() {
                                                view! { <cite>{s.title}</cite> }.into_any()
                                            } else {
                                                view! { <a href=s.url rel="noopener"><cite>{s.title}</cite></a> }.into_any()
                                            }}
                                            {format!("{venue}, {}.", s.year)}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    </section>
                    <nav class="prev-next" aria-label="More articles">
                        {prev.map(|p| view! { <A href=link(&format!("/articles/{}", p.slug)) attr:class="prev" attr:rel="prev">"← " {p.title}</A> })}
                        {next.map(|n| view! { <A href=link(&format!("/articles/{}", n.slug)) attr:class="next" attr:rel="next">{n.title} " →"</A> })}
                    </nav>
                </div>
            </div>
        </article>
    }
}

/// The widget slot and state a shared link asks for: `?slot=<i>&<key=value…>` (`slot` is not a
/// parameter name of any widget; the first one counts).
fn shared_slot() -> Option<(usize, String)> {
    let search = web_sys::window()?.location().search().ok()?;
    let query = search.trim_start_matches('?');
    let mut slot = None;
    let rest: Vec<&str> = query
        .split('&')
        .filter(|kv| match kv.strip_prefix("slot=") {
            Some(v) => {
                if slot.is_none() {
                    slot = Some(v.parse::<usize>().ok().filter(|&i| i < 64));
                }
                false
            }
            None => true,
        })
        .collect();
    slot.flatten().map(|i| (i, rest.join("&")))
}

/// Whether the table of contents has room beside the text (it starts collapsed on phones).
fn wide_screen() -> bool {
    web_sys::window().and_then(|w| w.match_media("(min-width: 1100px)").ok().flatten()).is_none_or(|m| m.matches())
}

/// Shown for unknown paths and slugs.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text="Not found — Tradeoffs" />
        <section class="not-found">
            <h1>"Page not found"</h1>
            <p>"There is no article at this address. It may have moved."</p>
            <p><A href=link("/")>"See all articles"</A></p>
        </section>
    }
}
