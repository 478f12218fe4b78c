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

pub fn mount() {
    let shared = shared_slot(&location_query());
    for slot in all(".widget-slot[data-name]") {
        let name = slot.get_attribute("data-name").unwrap_or_default();
        let index = slot.id().strip_prefix('w').and_then(|i| i.parse::<usize>().ok());
        let query = match &shared {
            Some((i, q)) if Some(*i) == index => q.clone(),
            _ => slot.get_attribute("data-query").unwrap_or_default(),
        };
        mount_slot(&slot, name, query);
    }
    if let Some((i, _)) = shared {
        leptos::prelude::request_animation_frame(move || {
            if let Some(el) = super::document().and_then(|d| d.get_element_by_id(&format!("w{i}"))) {
                el.scroll_into_view();
            }
        });
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
