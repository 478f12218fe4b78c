//! Behaviour for the static pages: each module finds its slots in the document and mounts views.

#[cfg(page = "article")]
pub mod article;
#[cfg(page = "embed")]
pub mod embed_page;
#[cfg(page = "talk")]
pub mod talk;

use wasm_bindgen::JsCast;

pub(crate) fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The query string of the page URL, without `?`.
pub(crate) fn location_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .map(|s| s.trim_start_matches('?').to_string())
        .unwrap_or_default()
}

/// Every element matching `selector`, in document order.
pub(crate) fn all(selector: &str) -> Vec<web_sys::HtmlElement> {
    let Some(list) = document().and_then(|d| d.query_selector_all(selector).ok()) else { return vec![] };
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into().ok()).collect()
}

/// Mounts widget `name` with settings `query` into the page slot `slot`, replacing its placeholder.
/// The view lives as long as the page.
pub(crate) fn mount_slot(slot: &web_sys::HtmlElement, name: String, query: String) {
    slot.set_text_content(None);
    let place = crate::ui::bus::Place::of_slot(slot);
    leptos::mount::mount_to(slot.clone(), move || {
        leptos::prelude::provide_context(place);
        crate::widgets::render(&name, &query)
    })
    .forget();
}
