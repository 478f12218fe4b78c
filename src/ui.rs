//! Shared UI pieces: controls, the widget frame, the animation loop and theming.

pub mod anim;
pub mod bus;
pub mod controls;
pub mod panic;
pub mod runlog;
pub mod theme;
pub mod transport;
pub mod widget_frame;
