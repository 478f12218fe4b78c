//! Pure drawing functions. Charts are generic over plotters' `DrawingBackend`, so a test or a
//! print path can render them anywhere; only widgets create a `CanvasBackend`. The client/queue
//! picture paints raw RGBA pixels, so thousands of agents cost one `putImageData` per frame.

pub mod bars;
pub mod picture;
pub mod series;

use plotters::prelude::*;

/// Font and stroke sizes for a drawing, scaled for the device pixel ratio and talk mode.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale(pub f64);

impl Scale {
    pub fn font(self, px: f64) -> f64 {
        px * self.0
    }
    pub fn px(self, px: f64) -> u32 {
        (px * self.0).round().max(1.0) as u32
    }
}

/// Errors from a backend, flattened to text for the widget's error box.
pub fn err<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> String {
    format!("drawing failed: {e}")
}
