//! The frame around every widget: `<figure data-widget="…">`, caption, error boundary and the
//! notes from parsing its settings.

use crate::ui::controls::unique_id;
use leptos::prelude::*;
use model::spec::{Note, State};
use wasm_bindgen::JsCast;

/// The link that reopens the current page scrolled to this widget (slot `#w<i>`) with `state`.
/// Widget slots are numbered by the article page; outside an article (tests, embeds) the link
/// carries the state without a slot.
fn share_link(anchor: &web_sys::Element, name: &str, state: &State) -> Option<String> {
    let spec = crate::widgets::spec_of(name)?;
    let location = web_sys::window()?.location();
    let slot = anchor.closest(".widget-slot").ok().flatten().map(|e| e.id());
    let query = spec.to_query(state);
    let mut url = format!("{}{}", location.origin().ok()?, location.pathname().ok()?);
    match slot.as_deref().and_then(|id| id.strip_prefix('w')) {
        Some(i) => {
            url.push_str(&format!("?slot={i}"));
            if !query.is_empty() {
                url.push('&');
                url.push_str(&query);
            }
            url.push_str(&format!("#w{i}"));
        }
        None if !query.is_empty() => url.push_str(&format!("?{query}")),
        None => {}
    }
    Some(url)
}

/// Wraps a widget: `<figure data-widget>`, the notes about repaired settings, the caption and the
/// Share control. (No error boundary: widgets have no fallible views, and a panic is reported by
/// the panic hook.)
#[component]
pub fn WidgetFrame(
    /// The registry name; becomes `data-widget`.
    name: &'static str,
    /// Caption text under the widget.
    caption: String,
    /// Repairs made to the requested settings (clamped values, unknown options).
    #[prop(default = vec![])]
    notes: Vec<Note>,
    /// The widget's settings, for the Share link.
    state: RwSignal<State>,
    children: Children,
) -> impl IntoView {
    let figure = NodeRef::<leptos::html::Figure>::new();
    if let (Some(crate::ui::bus::SlotId(id)), Some(spec)) =
        (use_context::<crate::ui::bus::SlotId>(), crate::widgets::spec_of(name))
    {
        crate::ui::bus::register(id, crate::ui::bus::Entry { spec, state });
    }
    let link = RwSignal::new(None::<String>);
    let copied = RwSignal::new(None::<bool>);
    let link_id = unique_id("share");
    let share = move |_| {
        let Some(el) = figure.get_untracked() else { return };
        let url = state.with_untracked(|st| share_link(el.unchecked_ref(), name, st));
        copied.set(None);
        if let (Some(url), Some(w)) = (&url, web_sys::window()) {
            // Copying may be refused (permissions, insecure context); the link is shown either way.
            let promise = w.navigator().clipboard().write_text(url);
            leptos::task::spawn_local(async move {
                copied.set(Some(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()));
            });
        }
        link.set(url);
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
                    <button type="button" class="btn btn-small" data-action="share" on:click=share>"Share this state"</button>
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
        </figure>
    }
}
