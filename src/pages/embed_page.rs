//! The iframe page `/embed/<widget>/?<state>`: only the widget, a link back to its article, and
//! the frame's height posted to the host page whenever it changes.

use super::{document, location_query};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub fn mount() {
    let Some(doc) = document() else { return };
    let Some(body) = doc.body() else { return };
    let name = body.get_attribute("data-widget").unwrap_or_default();
    let query = location_query();
    // Normalised through the widget's contract: nothing from the URL reaches the page unparsed.
    let clean = crate::widgets::normalise(&name, &query);
    if let (Some(link), Some(home)) = (doc.get_element_by_id("open-in"), body.get_attribute("data-home")) {
        let slot = body.get_attribute("data-slot").unwrap_or_default();
        let href =
            if clean.is_empty() { format!("{home}#w{slot}") } else { format!("{home}?slot={slot}&{clean}#w{slot}") };
        let _ = link.set_attribute("href", &href);
    }
    if let Some(root) = doc.get_element_by_id("embed").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let place = crate::ui::bus::Place::embedded(crate::ui::bus::page_base());
        crate::embed::mount(root, name.clone(), query, place).forget();
    }
    report_height(name);
}

/// Posts `{type: "tradeoffs:height", widget, height}` to the parent on every size change.
fn report_height(widget: String) {
    let Some(win) = web_sys::window() else { return };
    let Ok(parent) = win.parent() else { return };
    let Some(parent) = parent else { return };
    if parent == win {
        return; // not framed
    }
    let post = move || {
        let Some(doc) = document() else { return };
        let Some(el) = doc.document_element() else { return };
        let height = el.scroll_height();
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"type".into(), &"tradeoffs:height".into());
        let _ = js_sys::Reflect::set(&msg, &"widget".into(), &widget.as_str().into());
        let _ = js_sys::Reflect::set(&msg, &"height".into(), &height.into());
        let _ = parent.post_message(&msg, "*");
    };
    post();
    let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| post());
    if let Ok(obs) = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()) {
        if let Some(el) = document().and_then(|d| d.body()) {
            obs.observe(&el);
        }
    }
    cb.forget(); // observes the body for the life of the page
}
