//! The widget registry: the one place that maps a widget name to its component. Names and
//! parameters are declared in `model::spec` (shared with the build script and the URL parser);
//! this file adds the view.

pub mod backoff_jitter;
pub mod canvas;
pub mod partition_toggles;
pub mod quorum_sliders;
pub mod retry_panel;
pub mod retry_storm;
pub mod scaling_cost;
pub mod scaling_lever;
pub mod timeout_pool;

use leptos::prelude::*;
use model::spec::{self, Note, State};

/// Names that have a component. A test checks this matches `model::spec::WIDGETS`.
pub const NAMES: &[&str] = &[
    "retry-storm",
    "timeout-pool",
    "backoff-jitter",
    "scaling-cost",
    "scaling-lever",
    "partition-toggles",
    "quorum-sliders",
];

/// Renders widget `name` with settings from `query` (a URL query string without `?`). Unknown
/// names render an error box instead of panicking.
pub fn render(name: &str, query: &str) -> AnyView {
    let Some(spec) = spec::widget(name) else {
        return view! {
            <figure class="widget" data-widget="unknown">
                <p class="widget-error" role="alert">"Unknown widget “" {name.to_string()} "”."</p>
            </figure>
        }
        .into_any();
    };
    let (state, notes) = spec.parse_query(query);
    render_state(spec.name, state, notes)
}

/// Renders a widget from an already-parsed state.
pub fn render_state(name: &'static str, state: State, notes: Vec<Note>) -> AnyView {
    match name {
        "retry-storm" => view! { <retry_storm::RetryStorm initial=state notes=notes /> }.into_any(),
        "timeout-pool" => view! { <timeout_pool::TimeoutPool initial=state notes=notes /> }.into_any(),
        "backoff-jitter" => view! { <backoff_jitter::BackoffJitter initial=state notes=notes /> }.into_any(),
        "scaling-cost" => view! { <scaling_cost::ScalingCost initial=state notes=notes /> }.into_any(),
        "scaling-lever" => view! { <scaling_lever::ScalingLever initial=state notes=notes /> }.into_any(),
        "partition-toggles" => view! { <partition_toggles::PartitionToggles initial=state notes=notes /> }.into_any(),
        "quorum-sliders" => view! { <quorum_sliders::QuorumSliders initial=state notes=notes /> }.into_any(),
        other => view! { <p class="widget-error" role="alert">"No component for “" {other} "”."</p> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_declared_widget_has_a_component() {
        let declared: Vec<_> = model::spec::WIDGETS.iter().map(|w| w.name).collect();
        assert_eq!(declared, super::NAMES);
    }
}
