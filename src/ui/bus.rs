//! The states of the widgets on a page, by slot id, so talk mode can mirror a widget between the
//! audience and presenter windows. A widget joins by being rendered in a slot: `pages` provides
//! the [`SlotId`] context and `WidgetFrame` registers the widget's state signal.

use leptos::prelude::*;
use model::spec::{State, WidgetSpec};
use std::cell::RefCell;

/// The id of the slot element a widget is mounted in (`w0`, `w1`, …).
#[derive(Clone, Debug)]
pub struct SlotId(pub String);

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
