//! Article pages: mount a widget into every `.widget-slot`, honouring a shared link's state.

use super::{all, location_query, mount_slot};
use web_sys::HtmlElement;

/// A shared link names one widget slot (`?slot=<i>&<state>`): that widget starts from the link's
/// state instead of the article's, and the page scrolls to it.
pub fn shared_slot(query: &str) -> Option<(usize, String)> {
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

/// Mounts the article's widgets: the shared one (or else the first) at once, so the page is
/// interactive as early as possible, then each of the others in a task of its own, so no single
/// task blocks the page for long.
pub fn mount() {
    let shared = shared_slot(&location_query());
    let mut slots: Vec<(usize, HtmlElement)> = all(".widget-slot[data-name]")
        .into_iter()
        .filter_map(|slot| Some((slot.id().strip_prefix('w')?.parse::<usize>().ok()?, slot)))
        .collect();
    if let Some(pos) = shared.as_ref().and_then(|(i, _)| slots.iter().position(|(k, _)| k == i)) {
        let first = slots.remove(pos);
        slots.insert(0, first);
    }
    if let Some((i, _)) = &shared {
        let i = *i;
        leptos::prelude::request_animation_frame(move || {
            if let Some(el) = super::document().and_then(|d| d.get_element_by_id(&format!("w{i}"))) {
                el.scroll_into_view();
            }
        });
    }
    mount_in_turn(slots, shared, true);
}

/// Mounts the first of `slots` (now, or in a new task), then the rest, one task each.
fn mount_in_turn(mut slots: Vec<(usize, HtmlElement)>, shared: Option<(usize, String)>, now: bool) {
    if slots.is_empty() {
        return;
    }
    let (index, slot) = slots.remove(0);
    let run = move |slot: HtmlElement, rest: Vec<(usize, HtmlElement)>, shared: Option<(usize, String)>| {
        let name = slot.get_attribute("data-name").unwrap_or_default();
        let query = match &shared {
            Some((i, q)) if *i == index => q.clone(),
            _ => slot.get_attribute("data-query").unwrap_or_default(),
        };
        mount_slot(&slot, name, query);
        mount_in_turn(rest, shared, false);
    };
    if now {
        run(slot, slots, shared);
    } else {
        let next = send_wrapper::SendWrapper::new((slot, slots));
        leptos::prelude::set_timeout(
            move || {
                let (slot, rest) = next.take();
                run(slot, rest, shared);
            },
            std::time::Duration::ZERO,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::shared_slot;

    #[test]
    fn shared_slot_takes_the_first_slot_and_keeps_the_rest() {
        assert_eq!(shared_slot("slot=2&clients=300&seed=7"), Some((2, "clients=300&seed=7".into())));
        assert_eq!(shared_slot("a=1&slot=1&slot=3"), Some((1, "a=1".into())));
        assert_eq!(shared_slot("slot=x&a=1"), None);
        assert_eq!(shared_slot("slot=999"), None);
        assert_eq!(shared_slot("a=1"), None);
    }
}
