//! The API `embed.js` uses for `<tradeoffs-widget>`: mount a widget into an element (inside the
//! custom element's shadow root) and unmount it again. Attributes arrive as a query string in
//! the URL-state format, so they are parsed and clamped exactly like a share link.

use leptos::tachys::view::any_view::AnyViewState;
use wasm_bindgen::prelude::*;

/// A mounted widget; dropping or [`Mounted::unmount`] removes it and stops its animation.
#[wasm_bindgen]
pub struct Mounted {
    handle: Option<leptos::mount::UnmountHandle<AnyViewState>>,
}

#[wasm_bindgen]
impl Mounted {
    /// Removes the widget from the page and frees its simulation.
    pub fn unmount(&mut self) {
        self.handle.take();
    }
}

/// Mounts widget `name` into `root` with settings `query` (`key=value&…`); `base` is the URL of
/// the Tradeoffs site the script came from (for the widget's Share and Embed links). A name this
/// bundle does not contain renders an error box, never a panic.
#[wasm_bindgen]
pub fn mount_widget(root: web_sys::HtmlElement, name: String, query: String, base: String) -> Mounted {
    let base = if base.ends_with('/') { base } else { format!("{base}/") };
    Mounted { handle: Some(mount(root, name, query, crate::ui::bus::Place::embedded(base))) }
}

/// Mounts a widget outside a page slot (embeds).
pub(crate) fn mount(
    root: web_sys::HtmlElement,
    name: String,
    query: String,
    place: crate::ui::bus::Place,
) -> leptos::mount::UnmountHandle<AnyViewState> {
    root.set_text_content(None);
    leptos::mount::mount_to(root, move || {
        leptos::prelude::provide_context(place);
        crate::widgets::render(&name, &query)
    })
}

/// The widgets this bundle contains.
#[wasm_bindgen]
pub fn bundled_widgets() -> Vec<String> {
    crate::bundle::BUNDLED.iter().map(|s| s.to_string()).collect()
}
