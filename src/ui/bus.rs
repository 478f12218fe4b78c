//! The states of the widgets on a page, by slot id, so talk mode can mirror a widget between the
//! audience and presenter windows. A widget joins by being rendered in a slot: `pages` provides
//! the [`Place`] context and `WidgetFrame` registers the widget's state signal.

use leptos::prelude::*;
use model::spec::{State, WidgetSpec};
use std::cell::RefCell;

/// Where a widget is shown, for its Share and Embed links: provided as context by whoever mounts
/// it (an article or talk slot, the iframe page, or `embed.js` through `mount_widget`).
#[derive(Clone, Debug, Default)]
pub struct Place {
    /// The site's absolute base URL, e.g. `https://example.org/tradeoffs/`.
    pub base: String,
    /// The id of the slot element on a Tradeoffs page (`w0`, `w1`, …), the key talk mode mirrors
    /// by; `None` in embeds.
    pub slot: Option<String>,
    /// Where a Share link opens this widget: an article page's URL (no query) and the widget's
    /// slot index on it. `None` in embeds, where a share link opens the widget's own embed page.
    pub home: Option<(String, usize)>,
}

impl Place {
    /// The place of the slot element `slot`: an article's own slot, or a talk slide's, which names
    /// the article slot it shows (`data-share-page`, `data-share-slot`).
    pub fn of_slot(slot: &web_sys::Element) -> Place {
        let base = page_base();
        let id = slot.id();
        let home = match (slot.get_attribute("data-share-page"), slot.get_attribute("data-share-slot")) {
            (Some(page), Some(i)) => i.parse().ok().map(|i| (format!("{base}{page}"), i)),
            _ => {
                let here = web_sys::window()
                    .map(|w| {
                        let l = w.location();
                        format!("{}{}", l.origin().unwrap_or_default(), l.pathname().unwrap_or_default())
                    })
                    .unwrap_or_default();
                id.strip_prefix('w').and_then(|i| i.parse().ok()).map(|i| (here, i))
            }
        };
        Place { base, slot: Some(id), home }
    }

    /// A widget outside any Tradeoffs page slot (an embed).
    pub fn embedded(base: String) -> Place {
        Place { base, slot: None, home: None }
    }
}

/// The site's absolute base URL as seen from this page (`<body data-base>` on Tradeoffs pages).
pub fn page_base() -> String {
    let Some(w) = web_sys::window() else { return "/".into() };
    let origin = w.location().origin().unwrap_or_default();
    let base = w.document().and_then(|d| d.body()).and_then(|b| b.get_attribute("data-base"));
    format!("{origin}{}", base.as_deref().unwrap_or("/"))
}

/// A registered widget.
#[derive(Clone, Copy)]
pub struct Entry {
    pub spec: &'static WidgetSpec,
    pub state: RwSignal<State>,
}

thread_local! {
    static ENTRIES: RefCell<Vec<(String, Entry)>> = const { RefCell::new(Vec::new()) };
}

/// Registers the widget in slot `id` (a later registration for the same slot replaces it).
pub fn register(id: String, entry: Entry) {
    ENTRIES.with(|e| {
        let mut e = e.borrow_mut();
        e.retain(|(k, _)| *k != id);
        e.push((id, entry));
    });
}

/// The widget in slot `id`.
pub fn get(id: &str) -> Option<Entry> {
    ENTRIES.with(|e| e.borrow().iter().find(|(k, _)| k == id).map(|(_, v)| *v))
}

/// All registered widgets.
pub fn all() -> Vec<(String, Entry)> {
    ENTRIES.with(|e| e.borrow().clone())
}
