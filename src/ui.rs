//! Shared UI pieces: controls, the widget frame, the animation loop, charts and theming.

pub mod anim;
pub mod bus;
pub mod chart;
pub mod chart_data;
pub mod controls;
pub mod panic;
pub mod readouts;
pub mod scenarios;
pub mod theme;
pub mod timeline;
pub mod transport;
pub mod widget_frame;
