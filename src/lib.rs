//! Tradeoffs: interactive explainers of system-design trade-offs. `main.rs` only calls [`start`];
//! everything else lives here. See ARCHITECTURE.md for the map.

pub mod app;
pub mod articles;
pub mod charts;
pub mod ui;
pub mod widgets;

/// Installs the panic hook and mounts the app on `<body>`.
pub fn start() {
    ui::panic::install();
    leptos::mount::mount_to_body(app::App);
}
