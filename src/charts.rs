//! Pure drawing functions. Charts are generic over plotters' `DrawingBackend` trait (from
//! `plotters-backend`), so a test can render them to SVG natively and only widgets create a canvas
//! backend (`widgets::canvas::Canvas2d`). They lay out their own axes rather than use plotters'
//! `ChartBuilder`: the chart layer, its coordinate types and its float tick formatting came to
//! about 30 KB gzip in every bundle with a chart, for four kinds of picture this file draws in a
//! few hundred lines. The client/queue picture paints raw RGBA pixels, so thousands of agents cost
//! one `putImageData` per frame.

pub mod bars;
pub mod burn;
pub mod conway;
pub mod deprecation;
pub mod picture;
pub mod rollout;
pub mod secrets;
pub mod semantics;
pub mod series;
pub mod tornado;

use plotters_backend::text_anchor::{HPos, Pos, VPos};
pub use plotters_backend::DrawingBackend;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, FontFamily, FontTransform};

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
    /// `px` scaled, as a backend coordinate offset.
    pub fn i(self, px: f64) -> i32 {
        self.px(px) as i32
    }
}

/// An opaque colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn color(self) -> BackendColor {
        BackendColor { alpha: 1.0, rgb: (self.0, self.1, self.2) }
    }
    /// A stroke `width` pixels wide.
    pub fn stroke(self, width: u32) -> Stroke {
        Stroke { color: self.color(), width }
    }
}

/// A stroke style: colour and width.
#[derive(Clone, Copy)]
pub struct Stroke {
    pub color: BackendColor,
    pub width: u32,
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.color
    }
    fn stroke_width(&self) -> u32 {
        self.width
    }
}

/// A sans-serif text style: colour, size in pixels, anchor and rotation.
#[derive(Clone, Copy)]
pub struct Label {
    pub color: BackendColor,
    pub size: f64,
    pub anchor: Pos,
    /// Rotated a quarter turn anticlockwise.
    pub upwards: bool,
}

impl Label {
    pub fn new(color: Rgb, size: f64) -> Label {
        Label { color: color.color(), size, anchor: Pos::new(HPos::Left, VPos::Top), upwards: false }
    }
    /// The same style with the text anchored at (`h`, `v`) of its box.
    pub fn at(self, h: HPos, v: VPos) -> Label {
        Label { anchor: Pos::new(h, v), ..self }
    }
    /// Rotated a quarter turn anticlockwise (reading upwards, for a y-axis title).
    pub fn upwards(self) -> Label {
        Label { upwards: true, ..self }
    }
}

/// Text drawing errors (none: labels are laid out by the backend).
#[derive(Debug)]
pub struct NoFontError;

impl std::fmt::Display for NoFontError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no font rasteriser")
    }
}

impl std::error::Error for NoFontError {}

impl BackendTextStyle for Label {
    type FontError = NoFontError;
    fn color(&self) -> BackendColor {
        self.color
    }
    fn size(&self) -> f64 {
        self.size
    }
    fn transform(&self) -> FontTransform {
        if self.upwards {
            FontTransform::Rotate270
        } else {
            FontTransform::None
        }
    }
    fn anchor(&self) -> Pos {
        self.anchor
    }
    fn family(&self) -> FontFamily<'_> {
        FontFamily::SansSerif
    }
    /// A rough box (0.6 em per character); the canvas and SVG backends measure real text.
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), NoFontError> {
        let w = (text.chars().count() as f64 * self.size * 0.6) as i32;
        Ok(((0, 0), (w, self.size as i32)))
    }
    /// Pixel rasterising is for bitmap backends, which Tradeoffs does not use.
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        _text: &str,
        _pos: BackendCoord,
        _draw: F,
    ) -> Result<Result<(), E>, NoFontError> {
        Err(NoFontError)
    }
}

/// Errors from a backend, flattened to text for the widget's error box.
pub fn err<E: std::error::Error + Send + Sync>(e: plotters_backend::DrawingErrorKind<E>) -> String {
    format!("drawing failed: {e}")
}

/// Fills the whole drawing with `c`.
pub fn fill<DB: DrawingBackend>(db: &mut DB, c: Rgb) -> Result<(), String> {
    let (w, h) = db.get_size();
    db.draw_rect((0, 0), (w as i32, h as i32), &c.color(), true).map_err(err)
}

/// Strokes the polyline `pts` dashed: `on` pixels drawn, `off` skipped, continuing across
/// vertices.
pub fn dashed<DB: DrawingBackend>(
    db: &mut DB,
    pts: &[BackendCoord],
    on: u32,
    off: u32,
    style: &Stroke,
) -> Result<(), String> {
    let (on, period) = (on.max(1) as f64, (on + off).max(2) as f64);
    let mut phase = 0.0; // distance into the current period
    for seg in pts.windows(2) {
        let (a, b) = ((seg[0].0 as f64, seg[0].1 as f64), (seg[1].0 as f64, seg[1].1 as f64));
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let at = |d: f64| {
            let t = if len > 0.0 { d / len } else { 0.0 };
            ((a.0 + (b.0 - a.0) * t).round() as i32, (a.1 + (b.1 - a.1) * t).round() as i32)
        };
        let mut d = 0.0;
        while d < len {
            let left_in_period = period - phase;
            let step = left_in_period.min(len - d);
            if phase < on {
                let dash_end = d + (on - phase).min(step);
                db.draw_line(at(d), at(dash_end), style).map_err(err)?;
            }
            d += step;
            // step ≤ period − phase, so one subtraction wraps it (f64 `%` would link fmod and
            // 128-bit division, 1.3 KB).
            phase += step;
            if phase >= period {
                phase -= period;
            }
        }
    }
    Ok(())
}

/// The power of ten at or below `x > 0`: 10ⁿ with n = ⌊log₁₀ x⌋ clamped to ±300. An integer
/// power (`powi`) where `powf` would link libm's `pow` (2 KB) into bundles that need no other.
pub fn decade(x: f64) -> f64 {
    10f64.powi(model::num::clamp(x.log10().floor(), -300.0, 300.0) as i32)
}

/// Ticks for the range `lo..=hi`: multiples of a 1, 2 or 5 × 10ⁿ step, at most `max` of them.
pub fn ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || max == 0 {
        return Vec::new();
    }
    let raw = (hi - lo) / max as f64;
    let p = decade(raw);
    let step =
        [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * p).find(|s| (hi - lo) / s <= max as f64).unwrap_or(10.0 * p);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// The smallest text in a chart rendered to SVG by plotters-svg, in pixels at the scale it was
/// drawn (plotters-svg writes `font-size` as the size over 1.24). Chart tests check it is at
/// least [`MIN_FONT_PX`]: canvas text is drawn at `size × device pixel ratio`, so at scale 1 a
/// chart's smallest text is that many CSS pixels on any screen, a phone's too.
#[cfg(test)]
pub(crate) fn smallest_font(svg: &str) -> f64 {
    svg.split("font-size=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse::<f64>().ok())
        .fold(f64::INFINITY, f64::min)
        * 1.24
}

/// The smallest legible chart text, in CSS pixels (checked natively on every chart's SVG).
#[cfg(test)]
pub(crate) const MIN_FONT_PX: f64 = 11.0 - 1e-6;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decade_is_the_power_of_ten_at_or_below() {
        for (x, d) in [(1.0, 1.0), (9.99, 1.0), (10.0, 10.0), (1_234.0, 1_000.0), (0.05, 0.01), (0.001, 0.001)] {
            assert_eq!(decade(x), d, "decade({x})");
        }
        // Clamped at the ends (where powi is a few ulps off).
        assert!((decade(1e-320) / 1e-300 - 1.0).abs() < 1e-12);
        assert!((decade(f64::MAX) / 1e300 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn ticks_are_round_and_inside() {
        assert_eq!(ticks(0.0, 10.0, 6), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(0.0, 1_000.0, 5), vec![0.0, 200.0, 400.0, 600.0, 800.0, 1_000.0]);
        assert_eq!(ticks(3.0, 61.0, 6), vec![10.0, 20.0, 30.0, 40.0, 50.0, 60.0]);
        assert_eq!(ticks(0.0, 0.5, 5).len(), 6);
        assert!(ticks(1.0, 1.0, 5).is_empty());
        assert!(ticks(0.0, f64::NAN, 5).is_empty());
        for (lo, hi, n) in [(0.0, 7.3, 6), (12.5, 912.0, 5), (0.0, 1e9, 6), (-3.0, 4.0, 4)] {
            let t = ticks(lo, hi, n);
            assert!(!t.is_empty() && t.len() <= n + 1, "{lo}..{hi}: {t:?}");
            assert!(t.iter().all(|&x| x >= lo - 1e-9 && x <= hi + 1e-9));
        }
    }
}
