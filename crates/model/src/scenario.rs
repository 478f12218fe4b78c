//! Named failure scenarios: recorded runs a widget offers from a menu, each a share link (its
//! settings, seed, interventions and playhead) that plays to the moment that matters and pauses
//! there with one line saying what to look at.
//!
//! A scenario is data in its simulation's module (`SCENARIOS`), so its link replays with that
//! widget's [`crate::replay::Replay`] exactly as a shared link does, and a native test
//! (`tests/scenarios.rs`) opens each one and checks that the run is in the state its caption
//! promises. A page names one as `?scenario=<name>` (with the widget's `slot` where a page has
//! several), and an article's or a slide's widget block as `scenario = "<name>"`.

/// One named scenario of a widget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// Kebab-case, unique within its widget: used in links (`?scenario=`) and in markdown.
    pub name: &'static str,
    /// The menu label: short.
    pub title: &'static str,
    /// One line, the caption shown when it pauses: what to look at now.
    pub watch_for: &'static str,
    /// The share-link query it is (settings, seed, `log=…`, `t=…`); it pauses at `t`.
    pub link: &'static str,
}

/// The scenarios of widget `name` (empty for a widget without).
pub fn scenarios(name: &str) -> &'static [Scenario] {
    match name {
        "retry-storm" => crate::retry::SCENARIOS,
        "timeout-pool" => crate::pool::SCENARIOS,
        "rollout" => crate::rollout::SCENARIOS,
        "queue-semantics" => crate::queue_semantics::SCENARIOS,
        "burn-rate" => crate::slo_burn::SCENARIOS,
        "conway" => crate::conway::SCENARIOS,
        "partition-toggles" => crate::consistency::SCENARIOS,
        "secrets" => crate::secrets::SCENARIOS,
        _ => &[],
    }
}

/// Widget `widget`'s scenario called `name`, if it has one.
pub fn scenario(widget: &str, name: &str) -> Option<&'static Scenario> {
    scenarios(widget).iter().find(|s| s.name == name)
}
