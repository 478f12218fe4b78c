//! The widget registry: the one place that maps a widget name to its component. Names and
//! parameters are declared in `model::spec` (shared with the content compiler and the URL parser);
//! this file adds the view. A bundle compiles only the widgets `build.rs` enabled for it
//! (`cfg(widget = "<name>")`); the registry below is the only place that needs to know.

#[cfg(widget = "api-roundtrips")]
pub mod api_roundtrips;
#[cfg(widget = "backoff-jitter")]
pub mod backoff_jitter;
#[cfg(widget = "branch-lifetime")]
pub mod branch_lifetime;
pub mod canvas;
#[cfg(widget = "cloud-fit")]
pub mod cloud_fit;
#[cfg(widget = "partition-toggles")]
pub mod partition_toggles;
#[cfg(widget = "queue-vs-log")]
pub mod queue_vs_log;
#[cfg(widget = "quorum-sliders")]
pub mod quorum_sliders;
#[cfg(widget = "retry-storm")]
pub mod retry_panel;
#[cfg(widget = "retry-storm")]
pub mod retry_storm;
#[cfg(widget = "scaling-cost")]
pub mod scaling_cost;
#[cfg(widget = "scaling-lever")]
pub mod scaling_lever;
#[cfg(widget = "service-split")]
pub mod service_split;
#[cfg(widget = "telemetry-budget")]
pub mod telemetry_budget;
#[cfg(widget = "timeout-pool")]
pub mod timeout_pool;
#[cfg(widget = "token-lifetime")]
pub mod token_lifetime;

use leptos::prelude::*;
use model::spec::{Note, State, WidgetSpec};

/// Every widget with a component. A test checks this matches `model::spec::WIDGETS`.
pub const NAMES: &[&str] = &[
    "retry-storm",
    "timeout-pool",
    "backoff-jitter",
    "scaling-cost",
    "scaling-lever",
    "partition-toggles",
    "quorum-sliders",
    "branch-lifetime",
    "telemetry-budget",
    "cloud-fit",
    "api-roundtrips",
    "token-lifetime",
    "service-split",
    "queue-vs-log",
];

macro_rules! registry {
    ($($name:literal => $spec:ident, $component:path;)*) => {
        /// The parameter contract of widget `name`, if this bundle contains it. (Looking specs up
        /// here rather than in `model::spec::WIDGETS` keeps other widgets' tables out of a bundle.)
        pub fn spec_of(name: &str) -> Option<&'static WidgetSpec> {
            match name {
                $(#[cfg(widget = $name)] $name => Some(&model::spec::$spec),)*
                _ => None,
            }
        }

        /// Renders widget `name` from a parsed state.
        pub fn render_state(name: &str, state: State, notes: Vec<Note>) -> AnyView {
            match name {
                $(#[cfg(widget = $name)] $name => {
                    use $component as C;
                    view! { <C initial=state notes=notes /> }.into_any()
                })*
                other => unavailable(other),
            }
        }
    };
}

registry! {
    "retry-storm" => RETRY_STORM, retry_storm::RetryStorm;
    "timeout-pool" => TIMEOUT_POOL, timeout_pool::TimeoutPool;
    "backoff-jitter" => BACKOFF_JITTER, backoff_jitter::BackoffJitter;
    "scaling-cost" => SCALING_COST, scaling_cost::ScalingCost;
    "scaling-lever" => SCALING_LEVER, scaling_lever::ScalingLever;
    "partition-toggles" => PARTITION_TOGGLES, partition_toggles::PartitionToggles;
    "quorum-sliders" => QUORUM_SLIDERS, quorum_sliders::QuorumSliders;
    "branch-lifetime" => BRANCH_LIFETIME, branch_lifetime::BranchLifetime;
    "telemetry-budget" => TELEMETRY_BUDGET, telemetry_budget::TelemetryBudget;
    "cloud-fit" => CLOUD_FIT, cloud_fit::CloudFit;
    "api-roundtrips" => API_ROUNDTRIPS, api_roundtrips::ApiRoundtrips;
    "token-lifetime" => TOKEN_LIFETIME, token_lifetime::TokenLifetime;
    "service-split" => SERVICE_SPLIT, service_split::ServiceSplit;
    "queue-vs-log" => QUEUE_VS_LOG, queue_vs_log::QueueVsLog;
}

/// Pages only ask for widgets their bundle has (the content compiler checks articles, and
/// `embed.js` checks names before it loads a bundle), so one message covers a name that is
/// unknown and one that is known but built into another bundle. Telling them apart would put
/// every widget's name into every bundle.
fn unavailable(name: &str) -> AnyView {
    let text = format!("There is no widget called “{name}” in this bundle.");
    view! {
        <figure class="widget" data-widget="unknown">
            <p class="widget-error" role="alert">{text}</p>
        </figure>
    }
    .into_any()
}

/// Renders widget `name` with settings from `query` (a URL query string without `?`), clamping
/// bad values with a note. Unknown names render an error box instead of panicking.
pub fn render(name: &str, query: &str) -> AnyView {
    match spec_of(name) {
        Some(spec) => {
            let (state, notes) = spec.parse_query(query);
            render_state(spec.name, state, notes)
        }
        None => unavailable(name),
    }
}

/// `query` parsed, clamped and written back in canonical form ("" for unknown widgets).
pub fn normalise(name: &str, query: &str) -> String {
    spec_of(name).map(|s| s.to_query(&s.parse_query(query).0)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_declared_widget_has_a_component() {
        let declared: Vec<_> = model::spec::WIDGETS.iter().map(|w| w.name).collect();
        assert_eq!(declared, super::NAMES);
        for n in super::NAMES {
            assert!(super::spec_of(n).is_some(), "{n} is in the default (all) bundle");
        }
    }
}
