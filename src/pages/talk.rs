//! Talk mode (`/talk/<slug>/`): the article's slides, rendered as static HTML by the content
//! compiler, driven from the keyboard or a clicker. This module mounts the slides' widgets, shows
//! one slide at a time (`?slide=N` in the URL, so a reload stays put), scales each widget to fit
//! the projector, and keeps an audience window and a presenter window (`?presenter`) in step
//! through a `BroadcastChannel`: slide changes and widget settings made in either are mirrored.

use super::{all, document, mount_slot};
use crate::ui::anim::{now_ms, set_motion_override};
use crate::ui::bus;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What a key does in the deck (when no widget has focus).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAction {
    Next,
    Prev,
    First,
    Last,
    Digit(u8),
    /// Enter: jump to the typed number, or next slide when none was typed.
    Enter,
    Fullscreen,
    Blank,
    Presenter,
    Leave,
}

/// The deck's key map. Clickers send PageDown / PageUp (some send arrows, `.` or `b`).
pub fn key_action(key: &str) -> Option<KeyAction> {
    Some(match key {
        "ArrowRight" | "ArrowDown" | "PageDown" | " " | "Spacebar" | "." | "n" | "N" => KeyAction::Next,
        "ArrowLeft" | "ArrowUp" | "PageUp" | "Backspace" => KeyAction::Prev,
        "Home" => KeyAction::First,
        "End" => KeyAction::Last,
        "Enter" => KeyAction::Enter,
        "f" | "F" => KeyAction::Fullscreen,
        "b" | "B" | "w" | "W" => KeyAction::Blank,
        "p" | "P" => KeyAction::Presenter,
        "Escape" => KeyAction::Leave,
        k if k.len() == 1 && k.as_bytes()[0].is_ascii_digit() => KeyAction::Digit(k.as_bytes()[0] - b'0'),
        _ => return None,
    })
}

/// The slide a URL asks for: `slide=N` clamped to 1..=total (1 when missing or malformed).
pub fn slide_from_query(query: &str, total: usize) -> usize {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("slide="))
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(1, |n| n.clamp(1, total.max(1)))
}

/// `m:ss` or `h:mm:ss`.
pub fn clock_text(ms: f64) -> String {
    let s = (ms.max(0.0) / 1_000.0) as u64;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

struct Deck {
    total: usize,
    slides: Vec<web_sys::HtmlElement>,
    presenter: bool,
    current: RwSignal<usize>,
    typed: RefCell<String>,
    channel: Option<web_sys::BroadcastChannel>,
    /// The last settings sent or received per widget slot, so a mirrored change is not echoed.
    last_state: RefCell<HashMap<String, String>>,
}

impl Deck {
    fn post(&self, msg: &[(&str, JsValue)]) {
        let Some(ch) = &self.channel else { return };
        let o = js_sys::Object::new();
        for (k, v) in msg {
            let _ = js_sys::Reflect::set(&o, &(*k).into(), v);
        }
        let _ = ch.post_message(&o);
    }

    /// Local navigation: show slide `n` and tell the other window.
    fn go(&self, n: usize) {
        let n = n.clamp(1, self.total);
        if n != self.current.get_untracked() {
            self.current.set(n);
            self.post(&[("type", "slide".into()), ("n", (n as u32).into())]);
        }
    }

    fn show(&self, n: usize) {
        for (i, s) in self.slides.iter().enumerate() {
            let cl = s.class_list();
            let _ = cl.toggle_with_force("is-current", i + 1 == n);
            let _ = cl.toggle_with_force("is-next", self.presenter && i + 1 == n + 1);
            let _ = s.set_attribute("aria-hidden", if i + 1 == n { "false" } else { "true" });
        }
        if let Some(count) = document().and_then(|d| d.query_selector(".deck-count").ok().flatten()) {
            count.set_text_content(Some(&format!("{n} / {}", self.total)));
        }
        if let Some(w) = web_sys::window() {
            let path = w.location().pathname().unwrap_or_default();
            let url = if self.presenter { format!("{path}?slide={n}&presenter") } else { format!("{path}?slide={n}") };
            if let Ok(h) = w.history() {
                let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
            }
        }
        fit_widgets();
    }
}

/// Scales each visible slide widget down (CSS `zoom`) until it fits its slide without scrolling.
/// A zoomed widget lays out wider (and some parts grow taller with width), so the fit is checked
/// and tightened a few times rather than computed once.
///
/// This runs every second (a widget's content can change height: a second panel, a note) and on
/// resize. Refitting starts from zoom 1, which restyles and lays out the whole widget twice or
/// more: 100–130 ms at 4× CPU throttle, a dropped frame every second while a simulation runs. So
/// the box and room it was fitted to are kept (`data-fit`), and a widget whose box and room are
/// unchanged since is left alone: the check is one `getBoundingClientRect`.
/// The most a slide enlarges its widget.
const MAX_ZOOM: f64 = 1.8;

fn fit_widgets() {
    for holder in all(".slide.is-current .slide-widget, .slide.is-next .slide-widget") {
        let Some(parent) = holder.parent_element() else { continue };
        let (room_w, room_h) = (parent.client_width(), parent.client_height());
        let (avail_w, avail_h) = (f64::from(room_w), f64::from(room_h));
        // Integers only: formatting an `f64` would link core's float printing (8 KB gzip).
        let fitted = |h: &web_sys::HtmlElement| {
            let r = h.get_bounding_client_rect();
            format!("{} {} {room_w} {room_h}", r.width().round() as i32, r.height().round() as i32)
        };
        if holder.get_attribute("data-fit").is_some_and(|f| f == fitted(&holder)) {
            continue;
        }
        let style = holder.style();
        let _ = style.set_property("zoom", "1");
        if avail_h <= 0.0 || avail_w <= 0.0 {
            continue;
        }
        // Down until it fits; up (to `MAX_ZOOM`) while a slide leaves room, so a widget folded to
        // its few controls reads from the back of the room. Height is not proportional to zoom
        // (a smaller zoom lays the widget out wider, so it reflows shorter), so a proportional
        // step alone can swing between too small and too large; the search keeps the largest
        // zoom known to fit and the smallest known not to, steps inside that bracket (halving it
        // when the estimate falls outside), and ends on the largest zoom that fit.
        let set = |zoom: f64| {
            let _ = style.set_property("zoom", &model::fmt::fixed((zoom * 1000.0).floor() / 1000.0, 3));
        };
        let (mut zoom, mut fit_at, mut over_at): (f64, Option<f64>, Option<f64>) = (1.0, None, None);
        for _ in 0..8 {
            let r = holder.get_bounding_client_rect();
            let (w, h) = (r.width(), r.height());
            if w <= 0.0 || h <= 0.0 {
                break;
            }
            let fits = h <= avail_h - 2.0 && w <= avail_w + 1.0;
            if fits {
                fit_at = Some(fit_at.map_or(zoom, |f| f.max(zoom)));
            } else {
                over_at = Some(over_at.map_or(zoom, |o| o.min(zoom)));
            }
            let estimate = model::num::clamp(zoom * ((avail_h - 4.0) / h).min(avail_w / w) * 0.99, 0.2, MAX_ZOOM);
            if fits && (estimate < zoom * 1.02 || zoom >= MAX_ZOOM) {
                break;
            }
            let next = match (fit_at, over_at) {
                (Some(lo), Some(hi)) if hi <= lo * 1.02 => break,
                (Some(lo), Some(hi)) if estimate > lo && estimate < hi => estimate,
                (Some(lo), Some(hi)) => (lo + hi) / 2.0,
                (None, Some(hi)) if hi <= 0.2 => break,
                _ => estimate,
            };
            zoom = next;
            set(zoom);
        }
        // The loop may end on a zoom that overflows (the last step, or a bracket that closed):
        // the largest zoom that fit is the answer.
        if let Some(lo) = fit_at.filter(|&lo| lo != zoom) {
            set(lo);
        }
        let _ = holder.set_attribute("data-fit", &fitted(&holder));
    }
}

fn set_text(selector: &str, text: &str) {
    if let Some(el) = document().and_then(|d| d.query_selector(selector).ok().flatten()) {
        el.set_text_content(Some(text));
    }
}

fn toggle_fullscreen() {
    let Some(doc) = document() else { return };
    if doc.fullscreen_element().is_some() {
        doc.exit_fullscreen();
    } else if let Some(root) = doc.document_element() {
        let _ = root.request_fullscreen();
    }
}

fn leave() {
    let href =
        document().and_then(|d| d.query_selector(".deck-exit").ok().flatten()).and_then(|a| a.get_attribute("href"));
    if let (Some(w), Some(href)) = (web_sys::window(), href) {
        let _ = w.location().set_href(&href);
    }
}

fn on_key(deck: &Deck, e: &web_sys::KeyboardEvent) {
    if e.ctrl_key() || e.meta_key() || e.alt_key() || e.default_prevented() {
        return;
    }
    let Some(action) = key_action(&e.key()) else { return };
    let target = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let in_widget = target.as_ref().is_some_and(|t| t.closest("figure[data-widget]").ok().flatten().is_some());
    let on_control = target
        .as_ref()
        .is_some_and(|t| t.closest("a, button, input, select, textarea, summary").ok().flatten().is_some());
    if in_widget {
        // The widget's own keys win; Esc hands focus back to the deck.
        if action == KeyAction::Leave {
            if let Some(el) = document().and_then(|d| d.get_element_by_id("main")) {
                let _ = el.unchecked_ref::<web_sys::HtmlElement>().focus();
            }
            e.prevent_default();
        }
        return;
    }
    if on_control && matches!(action, KeyAction::Enter | KeyAction::Next) && (e.key() == " " || e.key() == "Enter") {
        return; // Space / Enter activate the focused deck control
    }
    let body = document().and_then(|d| d.body());
    match action {
        KeyAction::Next => deck.go(deck.current.get_untracked() + 1),
        KeyAction::Prev => deck.go(deck.current.get_untracked().saturating_sub(1)),
        KeyAction::First => deck.go(1),
        KeyAction::Last => deck.go(deck.total),
        KeyAction::Digit(d) => {
            let mut t = deck.typed.borrow_mut();
            if t.len() < 4 {
                t.push((b'0' + d) as char);
            }
        }
        KeyAction::Enter => {
            let typed = std::mem::take(&mut *deck.typed.borrow_mut());
            match typed.parse::<usize>() {
                Ok(n) => deck.go(n),
                Err(_) => deck.go(deck.current.get_untracked() + 1),
            }
        }
        KeyAction::Fullscreen => toggle_fullscreen(),
        KeyAction::Blank => {
            if let Some(b) = &body {
                let _ = b.class_list().toggle("blanked");
            }
        }
        KeyAction::Presenter => {
            if !deck.presenter {
                if let Some(w) = web_sys::window() {
                    let path = w.location().pathname().unwrap_or_default();
                    let url = format!("{path}?slide={}&presenter", deck.current.get_untracked());
                    let _ = w.open_with_url_and_target_and_features(
                        &url,
                        "tradeoffs-presenter",
                        "popup,width=1280,height=800",
                    );
                }
            }
        }
        KeyAction::Leave => {
            if body.as_ref().is_some_and(|b| b.class_list().contains("blanked")) {
                if let Some(b) = &body {
                    let _ = b.class_list().remove_1("blanked");
                }
            } else {
                leave();
            }
        }
    }
    if !matches!(action, KeyAction::Digit(_)) {
        deck.typed.borrow_mut().clear();
    }
    e.prevent_default();
}

fn on_message(deck: &Deck, data: JsValue) {
    let get = |k: &str| js_sys::Reflect::get(&data, &k.into()).ok();
    match get("type").and_then(|t| t.as_string()).as_deref() {
        Some("slide") => {
            if let Some(n) = get("n").and_then(|n| n.as_f64()) {
                if n.is_finite() {
                    deck.current.set((n as usize).clamp(1, deck.total));
                }
            }
        }
        Some("state") => {
            let (Some(slot), Some(query)) =
                (get("slot").and_then(|s| s.as_string()), get("query").and_then(|q| q.as_string()))
            else {
                return;
            };
            if let Some(entry) = bus::get(&slot) {
                let (state, _) = entry.spec.parse_query(&query);
                let canonical = entry.spec.to_query(&state);
                deck.last_state.borrow_mut().insert(slot, canonical);
                entry.state.set(state);
            }
        }
        Some("hello") => {
            // A window just opened: tell it where we are, and every widget's settings.
            deck.post(&[("type", "slide".into()), ("n", (deck.current.get_untracked() as u32).into())]);
            for (slot, entry) in bus::all() {
                let query = entry.state.with_untracked(|s| entry.spec.to_query(s));
                deck.post(&[("type", "state".into()), ("slot", slot.into()), ("query", query.into())]);
            }
        }
        _ => {}
    }
}

pub fn mount() {
    let Some(doc) = document() else { return };
    let Some(body) = doc.body() else { return };
    let slides = all(".deck > .slide");
    let total = slides.len().max(1);
    let query = super::location_query();
    let presenter = query.split('&').any(|kv| kv == "presenter" || kv.starts_with("presenter="));
    if presenter {
        let _ = body.class_list().add_1("presenter");
        if let Some(t) = doc.query_selector(".deck-timer").ok().flatten() {
            let _ = t.remove_attribute("hidden");
        }
    }
    for slot in all(".slide .widget-slot[data-name]") {
        let name = slot.get_attribute("data-name").unwrap_or_default();
        let q = slot.get_attribute("data-query").unwrap_or_default();
        mount_slot(&slot, name, q);
    }
    let slug = body.get_attribute("data-slug").unwrap_or_default();
    let owner = Owner::new();
    owner.with(|| {
        let deck = Rc::new(Deck {
            total,
            slides,
            presenter,
            current: RwSignal::new(slide_from_query(&query, total)),
            typed: RefCell::new(String::new()),
            channel: web_sys::BroadcastChannel::new(&format!("tradeoffs-talk-{slug}")).ok(),
            last_state: RefCell::new(HashMap::new()),
        });
        let d = deck.clone();
        Effect::new(move |_| {
            let n = d.current.get();
            d.show(n);
        });
        // Mirror widget settings to the other window.
        for (slot, entry) in bus::all() {
            let d = deck.clone();
            Effect::new(move |_| {
                let query = entry.state.with(|s| entry.spec.to_query(s));
                let mut last = d.last_state.borrow_mut();
                if last.get(&slot) != Some(&query) {
                    let first = !last.contains_key(&slot);
                    last.insert(slot.clone(), query.clone());
                    drop(last);
                    if !first {
                        d.post(&[("type", "state".into()), ("slot", slot.clone().into()), ("query", query.into())]);
                    }
                }
            });
        }
        let d = deck.clone();
        let keys = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| on_key(&d, &e));
        if let Some(w) = web_sys::window() {
            let _ = w.add_event_listener_with_callback("keydown", keys.as_ref().unchecked_ref());
            let fit = Closure::<dyn FnMut()>::new(fit_widgets);
            let _ = w.add_event_listener_with_callback("resize", fit.as_ref().unchecked_ref());
            let _ = w.set_interval_with_callback_and_timeout_and_arguments_0(fit.as_ref().unchecked_ref(), 1_000);
            fit.forget();
        }
        keys.forget();
        if let Some(ch) = &deck.channel {
            let d = deck.clone();
            let on_msg = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                on_message(&d, e.data())
            });
            ch.set_onmessage(Some(on_msg.as_ref().unchecked_ref()));
            on_msg.forget();
            deck.post(&[("type", "hello".into())]);
        }
        // The motion override: run simulations even under prefers-reduced-motion.
        if let Some(btn) = doc.query_selector(".deck-motion").ok().flatten() {
            let b2 = btn.clone();
            let click = Closure::<dyn FnMut()>::new(move || {
                let on = b2.get_attribute("aria-pressed").as_deref() != Some("true");
                let _ = b2.set_attribute("aria-pressed", if on { "true" } else { "false" });
                set_motion_override(on);
            });
            let _ = btn.add_event_listener_with_callback("click", click.as_ref().unchecked_ref());
            click.forget();
        }
        if presenter {
            let start = Rc::new(std::cell::Cell::new(now_ms()));
            let s2 = start.clone();
            let tick = Closure::<dyn FnMut()>::new(move || {
                set_text(".elapsed", &clock_text(now_ms() - s2.get()));
                let d = js_sys::Date::new_0();
                set_text(".clock", &format!("{:02}:{:02}", d.get_hours(), d.get_minutes()));
            });
            if let Some(w) = web_sys::window() {
                let _ = w.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 1_000);
            }
            tick.forget();
            if let Some(btn) = doc.query_selector(".timer-reset").ok().flatten() {
                let click = Closure::<dyn FnMut()>::new(move || start.set(now_ms()));
                let _ = btn.add_event_listener_with_callback("click", click.as_ref().unchecked_ref());
                click.forget();
            }
        }
    });
    std::mem::forget(owner); // the deck lives as long as the page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_urls() {
        assert_eq!(key_action("PageDown"), Some(KeyAction::Next));
        assert_eq!(key_action("."), Some(KeyAction::Next));
        assert_eq!(key_action(" "), Some(KeyAction::Next));
        assert_eq!(key_action("PageUp"), Some(KeyAction::Prev));
        assert_eq!(key_action("7"), Some(KeyAction::Digit(7)));
        assert_eq!(key_action("F"), Some(KeyAction::Fullscreen));
        assert_eq!(key_action("q"), None);
        assert_eq!(slide_from_query("slide=3", 5), 3);
        assert_eq!(slide_from_query("presenter&slide=99", 5), 5);
        assert_eq!(slide_from_query("slide=-1", 5), 1);
        assert_eq!(slide_from_query("", 5), 1);
        assert_eq!(clock_text(61_000.0), "1:01");
        assert_eq!(clock_text(3_723_000.0), "1:02:03");
    }
}
