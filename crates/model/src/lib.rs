//! Pure, deterministic models behind the Tradeoffs widgets.
//!
//! Architecture invariant: this crate knows nothing about the browser. No web crates, no wall
//! clock, no global randomness: simulated time is an integer owned by each simulation, and every
//! random draw comes from a [`rng::Rng`] seeded by the caller. The same seed gives the same run
//! natively and in wasm.
//!
//! Simulations share one shape: `XSim::new(XParams, seed)`, `step()`, `advance(dt)`,
//! `snapshot() -> XSnapshot`, with `XParams` a plain struct of public fields and named presets.

pub mod api;
pub mod auth;
pub mod backoff;
pub mod cloud;
pub mod consistency;
pub mod conway;
pub mod decision_matrix;
pub mod delivery;
pub mod des;
pub mod fmt;
pub mod golden;
pub mod jitter;
pub mod messaging;
pub mod mmc;
pub mod note;
pub mod num;
pub mod pool;
pub mod protobuf;
pub mod queue_semantics;
pub mod queueing;
pub mod quorum;
pub mod replay;
pub mod retry;
pub mod rng;
pub mod rollout;
pub mod scaling;
pub mod scenario;
pub mod schema_evolution;
pub mod secrets;
pub mod services;
pub mod slo_burn;
pub mod spec;
pub mod stats;
pub mod table;
pub mod telemetry;

use spec::WidgetSpec;

/// Every widget, in the site's reading order: the registry. Each is declared once, in its model's
/// module, with the adapter from its settings to the model's parameters; the content compiler,
/// the build script (which generates the app's component registry from this list) and xtask read
/// it. The `const` below checks every declaration at compile time.
pub const WIDGETS: &[&WidgetSpec] = &[
    &retry::RETRY_STORM,
    &pool::TIMEOUT_POOL,
    &jitter::BACKOFF_JITTER,
    &scaling::SCALING_COST,
    &scaling::SCALING_LEVER,
    &consistency::PARTITION_TOGGLES,
    &quorum::QUORUM_SLIDERS,
    &delivery::BRANCH_LIFETIME,
    &rollout::ROLLOUT,
    &telemetry::TELEMETRY_BUDGET,
    &cloud::CLOUD_FIT,
    &decision_matrix::DECISION_MATRIX,
    &api::API_ROUNDTRIPS,
    &schema_evolution::SCHEMA_EVOLUTION,
    &auth::TOKEN_LIFETIME,
    &secrets::SECRETS,
    &services::SERVICE_SPLIT,
    &messaging::QUEUE_VS_LOG,
    &queue_semantics::QUEUE_SEMANTICS,
    &slo_burn::BURN_RATE,
    &conway::CONWAY,
];

const _: () = {
    let mut i = 0;
    while i < WIDGETS.len() {
        WIDGETS[i].validate();
        let mut j = i + 1;
        while j < WIDGETS.len() {
            assert!(!spec::str_eq(WIDGETS[i].name, WIDGETS[j].name), "two widgets share a name");
            j += 1;
        }
        i += 1;
    }
};

/// The widget called `name`.
pub fn widget(name: &str) -> Option<&'static WidgetSpec> {
    WIDGETS.iter().copied().find(|w| w.name == name)
}
