//! Canvas plumbing shared by widgets: sizing for the device pixel ratio, plotters'
//! `CanvasBackend`, and blitting an RGBA buffer.

use crate::charts::picture::Rgba;
use crate::charts::Scale;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// Sizes the canvas's backing store to its CSS box times the device pixel ratio. Returns the
/// pixel size and the scale to draw at.
pub fn fit(canvas: &HtmlCanvasElement) -> (u32, u32, Scale) {
    let dpr = model::stats::clamp(web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()), 1.0, 3.0);
    let css_w = canvas.client_width().max(1) as f64;
    let css_h = canvas.client_height().max(1) as f64;
    let (w, h) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let talk = canvas.closest(".talk").ok().flatten().is_some();
    (w, h, Scale(dpr * if talk { 1.6 } else { 1.0 }))
}

/// Draws with plotters onto the canvas.
pub fn draw(
    canvas: &HtmlCanvasElement,
    f: impl FnOnce(&DrawingArea<Canvas2d, Shift>, Scale) -> Result<(), String>,
) -> Result<(), String> {
    let (_, _, scale) = fit(canvas);
    let backend = Canvas2d::new(canvas).ok_or("no 2D context")?;
    let area = backend.into_drawing_area();
    f(&area, scale)
}

/// Copies an RGBA buffer onto the canvas.
pub fn blit(canvas: &HtmlCanvasElement, buf: &Rgba) -> Result<(), String> {
    let ctx: CanvasRenderingContext2d =
        canvas.get_context("2d").ok().flatten().ok_or("no 2D context")?.dyn_into().map_err(|_| "not a 2D context")?;
    let img =
        ImageData::new_with_u8_clamped_array_and_sh(Clamped(&buf.px), buf.w, buf.h).map_err(|_| "bad image size")?;
    ctx.put_image_data(&img, 0.0, 0.0).map_err(|_| "putImageData failed".into())
}

thread_local! {
    /// The points of the path being stroked, reused across redraws.
    static PATH: std::cell::RefCell<Vec<BackendCoord>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Offsets of the hairlines that together draw a line `width` pixels wide: a plus-shaped pen,
/// so horizontal and vertical runs both come out `width` pixels thick.
pub fn pen(width: u32) -> impl Iterator<Item = (f64, f64)> {
    let w = width.clamp(1, 8) as i32;
    let lo = -(w - 1) / 2;
    let hi = lo + w;
    (lo..hi).map(|d| (d as f64, 0.0)).chain((lo..hi).filter(|&d| d != 0).map(|d| (0.0, d as f64)))
}

fn css_color(c: BackendColor) -> String {
    let (r, g, b) = c.rgb;
    if c.alpha >= 1.0 {
        format!("rgb({r},{g},{b})")
    } else {
        format!("rgba({r},{g},{b},{})", model::spec::fixed(c.alpha, 3))
    }
}

/// plotters' `CanvasBackend`, except that text is measured with the canvas's own `measureText`.
/// (plotters' default measures text by inserting a styled `<span>` into the page, which a strict
/// Content-Security-Policy blocks and which touches the DOM on every chart redraw), and that
/// polylines wider than a pixel are stroked as a few offset one-pixel hairlines (`pen`). Chromium
/// without a GPU rasterises a 2-px, 600-point polyline's joins in software, about 80 ms per chart
/// at 4× CPU throttle (tests/perf/micro-stroke.mjs); hairlines take its fast path and cost about
/// nothing, and the line looks the same.
pub struct Canvas2d {
    inner: CanvasBackend,
    ctx: CanvasRenderingContext2d,
}

impl Canvas2d {
    pub fn new(canvas: &HtmlCanvasElement) -> Option<Canvas2d> {
        let ctx = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(Canvas2d { inner: CanvasBackend::with_canvas_object(canvas.clone())?, ctx })
    }
}

use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};
type BackendResult<T = ()> = Result<T, DrawingErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>;

impl DrawingBackend for Canvas2d {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;
    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> BackendResult {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> BackendResult {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> BackendResult {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> BackendResult {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        ul: BackendCoord,
        br: BackendCoord,
        style: &S,
        fill: bool,
    ) -> BackendResult {
        self.inner.draw_rect(ul, br, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> BackendResult {
        let width = style.stroke_width();
        let color = style.color();
        if width < 2 || color.alpha <= 0.0 {
            return self.inner.draw_path(path, style);
        }
        PATH.with_borrow_mut(|pts| {
            pts.clear();
            pts.extend(path);
            self.ctx.set_stroke_style_str(&css_color(color));
            self.ctx.set_line_width(1.0);
            self.ctx.begin_path();
            for (dx, dy) in pen(width) {
                for (i, &(x, y)) in pts.iter().enumerate() {
                    let (x, y) = (x as f64 + dx + 0.5, y as f64 + dy + 0.5);
                    if i == 0 {
                        self.ctx.move_to(x, y);
                    } else {
                        self.ctx.line_to(x, y);
                    }
                }
            }
            self.ctx.stroke();
        });
        Ok(())
    }
    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, style: &S, fill: bool) -> BackendResult {
        self.inner.draw_circle(c, r, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> BackendResult {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> BackendResult {
        self.inner.draw_text(text, style, pos)
    }
    fn estimate_text_size<T: BackendTextStyle>(&self, text: &str, style: &T) -> BackendResult<(u32, u32)> {
        let font = format!("{} {}px {}", style.style().as_str(), style.size(), style.family().as_str());
        self.ctx.set_font(&font);
        let width = self.ctx.measure_text(text).map(|m| m.width()).unwrap_or(text.len() as f64 * style.size() * 0.6);
        Ok((width.ceil().max(0.0) as u32, style.size().ceil().max(0.0) as u32))
    }
    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> BackendResult {
        self.inner.blit_bitmap(pos, size, src)
    }
}
