//! Article pages: mount a widget into every `.widget-slot`, honouring a shared link's state.

use super::{all, location_query, mount_slot};

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
    let mut slots: Vec<(usize, web_sys::HtmlElement)> = all(".widget-slot[data-name]")
        .into_iter()
        .enumerate()
        .map(|(k, slot)| {
            (slot.id().strip_prefix('w').and_then(|i| i.parse::<usize>().ok()).unwrap_or(usize::MAX - k), slot)
        })
        .collect();
    if let Some((i, _)) = &shared {
        if let Some(pos) = slots.iter().position(|(k, _)| k == i) {
            let first = slots.remove(pos);
            slots.insert(0, first);
        }
    }
    let mount_one = move |index: usize, slot: web_sys::HtmlElement, shared: &Option<(usize, String)>| {
        let name = slot.get_attribute("data-name").unwrap_or_default();
        let query = match shared {
            Some((i, q)) if *i == index => q.clone(),
            _ => slot.get_attribute("data-query").unwrap_or_default(),
        };
        mount_slot(&slot, name, query);
    };
    let mut rest = slots.into_iter();
    if let Some((index, slot)) = rest.next() {
        mount_one(index, slot, &shared);
    }
    if let Some((i, _)) = shared.clone() {
        leptos::prelude::request_animation_frame(move || {
            if let Some(el) = super::document().and_then(|d| d.get_element_by_id(&format!("w{i}"))) {
                el.scroll_into_view();
            }
        });
    }
    fn later(
        mut rest: std::vec::IntoIter<(usize, web_sys::HtmlElement)>,
        mount_one: impl Fn(usize, web_sys::HtmlElement, &Option<(usize, String)>) + 'static,
        shared: Option<(usize, String)>,
    ) {
        if let Some((index, slot)) = rest.next() {
            let slot = send_wrapper::SendWrapper::new(slot);
            let rest = send_wrapper::SendWrapper::new(rest);
            let shared2 = shared.clone();
            let f = send_wrapper::SendWrapper::new(mount_one);
            leptos::prelude::set_timeout(
                move || {
                    let f = f.take();
                    f(index, slot.take(), &shared2);
                    later(rest.take(), f, shared2);
                },
                std::time::Duration::ZERO,
            );
        }
    }
    later(rest.collect::<Vec<_>>().into_iter(), mount_one, shared);
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
