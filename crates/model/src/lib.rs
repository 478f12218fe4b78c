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
pub mod delivery;
pub mod des;
pub mod fmt;
pub mod golden;
pub mod jitter;
pub mod messaging;
pub mod mmc;
pub mod num;
pub mod pool;
pub mod queueing;
pub mod quorum;
pub mod retry;
pub mod rng;
pub mod scaling;
pub mod services;
pub mod spec;
pub mod stats;
pub mod telemetry;
