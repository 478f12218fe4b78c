//! The frame around every widget: `<figure data-widget="…">`, caption, the notes from parsing its
//! settings, and the Share and Embed controls.

use crate::ui::bus::{page_base, Place};
use crate::ui::controls::unique_id;
use leptos::prelude::*;
use model::note::{DecisionNote, Facts};
use model::spec::{Note, State, WidgetSpec};

/// The link that reopens this widget in `state`: on a Tradeoffs page, the article scrolled to the
/// widget's slot (`?slot=<i>&<state>#w<i>`; from a talk slide, the article the slide belongs
/// to); in an embed, the widget's own embed page.
pub fn share_link(place: &Place, name: &str, query: &str) -> String {
    match &place.home {
        Some((page, i)) => {
            let sep = if query.is_empty() { "" } else { "&" };
            format!("{page}?slot={i}{sep}{query}#w{i}")
        }
        None => embed_url(&place.base, name, query),
    }
}

/// The iframe page of widget `name` in `query`'s state.
pub fn embed_url(base: &str, name: &str, query: &str) -> String {
    if query.is_empty() {
        format!("{base}embed/{name}/")
    } else {
        format!("{base}embed/{name}/?{query}")
    }
}

/// The two embed snippets for a widget in a state: (script + custom element, iframe + resizer).
pub fn embed_snippets(base: &str, name: &str, query: &str, height: i32) -> (String, String) {
    let mut attrs = String::new();
    for kv in query.split('&').filter(|kv| !kv.is_empty()) {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        // Values come from the widget's contract (numbers and option names); quotes are escaped anyway.
        attrs.push_str(&format!(" {k}=\"{}\"", v.replace('"', "&quot;")));
    }
    let script = format!(
        "<script src=\"{base}embed.js\" defer></script>\n<tradeoffs-widget name=\"{name}\"{attrs}></tradeoffs-widget>"
    );
    let iframe = format!(
        "<iframe src=\"{src}\" title=\"{name} (Tradeoffs)\" width=\"100%\" height=\"{height}\" loading=\"lazy\" \
data-tradeoffs></iframe>\n<script>\naddEventListener('message', (e) => {{\n  \
if (e.data?.type !== 'tradeoffs:height') return;\n  for (const f of document.querySelectorAll('iframe[data-tradeoffs]'))\n    \
if (f.contentWindow === e.source) f.style.height = e.data.height + 'px';\n}});\n</script>",
        src = embed_url(base, name, query).replace('&', "&amp;"),
    );
    (script, iframe)
}

/// Whether the frame offers the Embed panel. Article and talk pages do; an embedded widget does
/// not: its reader gets Share (a link to the widget's own embed page, which links back to the
/// article) and the article offers the snippets, while the panel's views and snippet code would
/// add about 2 KB gzip to every embed bundle.
const OFFERS_EMBED: bool = cfg!(any(page = "article", page = "talk"));

/// Wraps a widget: `<figure data-widget>`, the notes about repaired settings, the caption and the
/// Share control. (No error boundary: widgets have no fallible views, and a panic is reported by
/// the panic hook.)
#[component]
pub fn WidgetFrame(
    /// The widget's declaration; its name becomes `data-widget`.
    spec: &'static WidgetSpec,
    /// Caption text under the widget.
    caption: String,
    /// Repairs made to the requested settings (clamped values, unknown options).
    #[prop(default = vec![])]
    notes: Vec<Note>,
    /// The widget's settings, for the Share link.
    state: RwSignal<State>,
    /// What Share and Embed carry, when more than the settings (a run's interventions and
    /// playhead, see `model::replay`); defaults to `state`.
    #[prop(optional)]
    share: Option<Callback<(), State>>,
    /// What the widget shows now (verdict, key numbers, the run so far), for its decision note:
    /// every widget has one.
    facts: Callback<(), Facts>,
    children: Children,
) -> impl IntoView {
    let figure = NodeRef::<leptos::html::Figure>::new();
    let place = use_context::<Place>().unwrap_or_else(|| Place::embedded(page_base()));
    let name = spec.name;
    if let Some(id) = place.slot.clone() {
        crate::ui::bus::register(id, crate::ui::bus::Entry { spec, state });
    }
    let query = move || {
        state.track();
        match share {
            Some(cb) => spec.to_query(&cb.run(())),
            None => state.with_untracked(|st| spec.to_query(st)),
        }
    };
    let link = RwSignal::new(None::<String>);
    let copied = RwSignal::new(None::<bool>);
    let link_id = unique_id("share");
    let place2 = place.clone();
    let share_now = move |_| {
        let url = share_link(&place2, name, &query());
        copied.set(None);
        if let Some(w) = web_sys::window() {
            // Copying may be refused (permissions, insecure context); the link is shown either way.
            let promise = w.navigator().clipboard().write_text(&url);
            leptos::task::spawn_local(async move {
                copied.set(Some(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()));
            });
        }
        link.set(Some(url));
    };
    let embed_open = RwSignal::new(false);
    let (script_id, iframe_id) = (unique_id("embed-script"), unique_id("embed-iframe"));
    let base = StoredValue::new(place.base.clone());
    let snippets = move || {
        let height = figure.get_untracked().map_or(600, |f| f.offset_height() + 40);
        base.with_value(|b| embed_snippets(b, name, &query(), height))
    };
    let (script_id, iframe_id) = (StoredValue::new(script_id), StoredValue::new(iframe_id));
    // The decision note: built by the model from the state, the repairs, the link and the
    // widget's facts when opened, when its format changes and when copied (a simulation moves on).
    let (note_open, note_plain, note_text, note_copied) =
        (RwSignal::new(false), RwSignal::new(false), RwSignal::new(String::new()), RwSignal::new(None::<bool>));
    let note_id = StoredValue::new(unique_id("note"));
    let (repairs, place3) = (StoredValue::new(notes.clone()), StoredValue::new(place.clone()));
    let build_note = move || {
        let st = match share {
            Some(cb) => cb.run(()),
            None => state.get_untracked(),
        };
        let url = place3.with_value(|p| share_link(p, name, &spec.to_query(&st)));
        let f = facts.run(());
        repairs.with_value(|r| {
            let n = DecisionNote { spec, state: &st, repairs: r, link: &url, facts: &f };
            note_text.set(if note_plain.get_untracked() { n.plain() } else { n.markdown() });
        });
    };
    let copy_note = move |_| {
        build_note();
        note_copied.set(None);
        if let Some(w) = web_sys::window() {
            let promise = w.navigator().clipboard().write_text(&note_text.get_untracked());
            leptos::task::spawn_local(async move {
                note_copied.set(Some(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()));
            });
        }
    };
    let note = (!notes.is_empty()).then(|| {
        let text = notes.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("; ");
        view! { <p class="widget-note" role="status">"Some settings were adjusted: " {text} "."</p> }
    });
    view! {
        <figure class="widget" data-widget=name node_ref=figure>
            {note}
            {children()}
            <figcaption>
                <span>{caption}</span>
                <span class="share">
                    <button type="button" class="btn btn-small" data-action="share" on:click=share_now>"Share this state"</button>
                    <button
                        type="button"
                        class="btn btn-small"
                        data-action="note"
                        aria-expanded=move || note_open.get().to_string()
                        on:click=move |_| {
                            note_open.update(|o| *o = !*o);
                            if note_open.get_untracked() {
                                note_copied.set(None);
                                build_note();
                            }
                        }
                    >
                        "Decision note"
                    </button>
                    {OFFERS_EMBED.then(|| view! {
                        <button
                            type="button"
                            class="btn btn-small"
                            data-action="embed"
                            aria-expanded=move || embed_open.get().to_string()
                            on:click=move |_| embed_open.update(|o| *o = !*o)
                        >
                            "Embed"
                        </button>
                    })}
                    {move || {
                        link.get()
                            .map(|url| {
                                view! {
                                    <label class="visually-hidden" for=link_id.clone()>"Link to this state"</label>
                                    <input id=link_id.clone() class="share-link" type="text" readonly=true prop:value=url />
                                    <span class="share-done" role="status">
                                        {move || match copied.get() {
                                            Some(true) => "Link copied",
                                            Some(false) => "Copy the link",
                                            None => "",
                                        }}
                                    </span>
                                }
                            })
                    }}
                </span>
            </figcaption>
            // Always in the page, shown by `hidden`: lighter in every bundle than a `<Show>`.
            <div class="note-box" data-k="note" hidden=move || !note_open.get()>
                <div class="note-head">
                    <label for=note_id.get_value()>"Decision note, to paste into a design doc or an ADR"</label>
                    <select
                        data-action="note-format"
                        aria-label="Format"
                        inner_html="<option value=\"md\">Markdown</option><option value=\"plain\">Plain text</option>"
                        on:change=move |ev| {
                            note_plain.set(event_target_value(&ev) == "plain");
                            build_note();
                        }
                    ></select>
                    <button type="button" class="btn btn-small" data-action="copy-note" on:click=copy_note>"Copy"</button>
                    <span class="share-done" role="status">
                        {move || match note_copied.get() {
                            Some(true) => "Note copied",
                            Some(false) => "Copying was blocked: select the text and copy it",
                            None => "",
                        }}
                    </span>
                </div>
                <textarea id=note_id.get_value() readonly=true rows="14" prop:value=move || note_text.get()></textarea>
            </div>
            {OFFERS_EMBED.then(|| view! {
                <Show when=move || embed_open.get()>
                    <div class="embed-box" data-k="embed">
                        <label for=script_id.get_value()>"Embed with a script tag (one script per page, any number of widgets)"</label>
                        <textarea id=script_id.get_value() readonly=true rows="3" prop:value=move || snippets().0></textarea>
                        <label for=iframe_id.get_value()>"Or with an iframe (the script below resizes it; without it, keep the fixed height)"</label>
                        <textarea id=iframe_id.get_value() readonly=true rows="8" prop:value=move || snippets().1></textarea>
                    </div>
                </Show>
            })}
        </figure>
    }
}
