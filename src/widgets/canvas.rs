//! Canvas plumbing shared by widgets: sizing for the device pixel ratio, the chart backend
//! ([`Canvas2d`]), and painting an RGBA picture.

use crate::charts::picture::Rgba;
use crate::charts::{Rgb, Scale};
use leptos::prelude::{ArcRwSignal, Get, Update};
use std::cell::{Cell, RefCell};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// The page's canvases and the one `ResizeObserver` that sizes them.
struct Sizes {
    observer: web_sys::ResizeObserver,
    /// Every canvas registered (in shadow roots too), to observe afresh when the device pixel
    /// ratio changes, with its backing store's pixels per CSS pixel of its own box: the device
    /// pixel ratio, times the zoom of a widget scaled to fit a talk slide.
    canvases: RefCell<Vec<(HtmlCanvasElement, f64)>>,
    /// Bumped after the observer has sized canvases (see [`size_epoch`]).
    epoch: ArcRwSignal<u32>,
    /// The device pixel ratio the observer last sized for, in thousandths.
    ratio: Cell<u32>,
}

thread_local! {
    static SIZES: Option<Sizes> = {
        let epoch = ArcRwSignal::new(0u32);
        let bump = epoch.clone();
        let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let dpr = device_pixel_ratio();
            SIZES.with(|s| s.as_ref().map(|s| s.ratio.set(milli(dpr))));
            for e in entries.iter() {
                let e: web_sys::ResizeObserverEntry = e.unchecked_into();
                let Ok(canvas) = e.target().dyn_into::<HtmlCanvasElement>() else { continue };
                let r = e.content_rect();
                let ratio = dpr * css_zoom(&canvas);
                let (w, h) = (device_px(r.width(), ratio), device_px(r.height(), ratio));
                if canvas.width() != w || canvas.height() != h {
                    canvas.set_width(w);
                    canvas.set_height(h);
                }
                SIZES.with(|s| {
                    let Some(s) = s else { return };
                    if let Some(c) = s.canvases.borrow_mut().iter_mut().find(|(c, _)| *c == canvas) {
                        c.1 = ratio;
                    }
                });
                let _ = canvas.set_attribute(SIZED, "");
            }
            bump.update(|n| *n = n.wrapping_add(1));
        });
        let observer = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()).ok();
        cb.forget(); // observes canvases for the life of the page
        observer.map(|observer| Sizes { observer, canvases: RefCell::new(Vec::new()), epoch, ratio: Cell::new(0) })
    };
}

/// Marks a canvas whose backing store the observer has sized.
const SIZED: &str = "data-sized";

/// The CSS `zoom` in effect on `el` (`currentCSSZoom`; 1 where the browser does not say). A talk
/// slide zooms its widget out to fit (0.7 on a 1920×1080 slide): a backing store sized from the
/// unzoomed box had twice the pixels the screen shows, each painted, copied to the compositor and
/// scaled down every frame. (The observer's `devicePixelContentBoxSize` would include the zoom
/// too, but Chromium's device-scale emulation leaves the pixel ratio out of it.)
fn css_zoom(el: &HtmlCanvasElement) -> f64 {
    let z = js_sys::Reflect::get(el, &"currentCSSZoom".into()).ok().and_then(|v| v.as_f64()).unwrap_or(1.0);
    if z > 0.0 && z.is_finite() {
        model::num::clamp(z, 0.05, 10.0)
    } else {
        1.0
    }
}

/// Observes `canvas`'s device-pixel box, so that a change of zoom or pixel ratio alone resizes its
/// backing store too; where a browser cannot observe that box (the call throws), its CSS box.
fn observe(observer: &web_sys::ResizeObserver, canvas: &HtmlCanvasElement) {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"box".into(), &"device-pixel-content-box".into());
    let with_options = js_sys::Reflect::get(observer, &"observe".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .is_some_and(|f| f.call2(observer, canvas, &options).is_ok());
    if !with_options {
        observer.observe(canvas);
    }
}

fn device_pixel_ratio() -> f64 {
    model::num::clamp(web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()), 1.0, 3.0)
}

fn milli(dpr: f64) -> u32 {
    (dpr * 1000.0).round() as u32
}

fn device_px(css: f64, dpr: f64) -> u32 {
    model::num::clamp((css * dpr).round(), 1.0, 16_384.0) as u32
}

impl Sizes {
    /// Observes every (still connected) canvas again: the observer then reports each one's box
    /// as new and sizes its backing store for the current pixel ratio.
    fn observe_afresh(&self) {
        self.canvases.borrow_mut().retain(|(c, _)| c.is_connected());
        for (c, _) in self.canvases.borrow().iter() {
            self.observer.unobserve(c);
            observe(&self.observer, c);
        }
    }
}

/// How many times canvases have been laid out or resized, tracked: an effect that draws reads
/// this so it draws again when a canvas it draws on is first laid out or changes size (which
/// also clears it).
pub fn size_epoch() -> u32 {
    SIZES.with(|s| s.as_ref().map_or(0, |s| s.epoch.get()))
}

/// The canvas's pixel size and the scale to draw at, or None until it has been laid out.
///
/// The backing store is sized to the canvas's box in device pixels (the CSS box times the device
/// pixel ratio and any CSS zoom; see [`css_zoom`]) by a `ResizeObserver`, which learns the box
/// from the browser's own layout pass. Reading the box
/// here instead (`clientWidth`) forced a synchronous layout of the whole article on every draw
/// after a DOM change: about a third of a second of a throttled article load. A canvas is
/// registered with the observer on its first call here; the observer then bumps
/// [`size_epoch`], so the caller's effect runs again and draws.
pub fn fit(canvas: &HtmlCanvasElement) -> Option<(u32, u32, Scale)> {
    if !canvas.has_attribute(SIZED) {
        SIZES.with(|s| {
            let Some(s) = s else { return };
            let mut list = s.canvases.borrow_mut();
            // Widgets an embedding page removed leave with their canvases.
            list.retain(|(c, _)| c.is_connected());
            if !list.iter().any(|(c, _)| c == canvas) {
                list.push((canvas.clone(), device_pixel_ratio()));
                observe(&s.observer, canvas);
            }
        });
        return None;
    }
    let dpr = device_pixel_ratio();
    // The ratio changed (the window moved to a denser screen) while the CSS box did not, which the
    // observer does not report: every canvas is observed afresh, and redrawn once it has been.
    let ratio = SIZES.with(|s| {
        let s = s.as_ref()?;
        if s.ratio.get() != milli(dpr) {
            s.ratio.set(milli(dpr));
            s.observe_afresh();
        }
        let list = s.canvases.borrow();
        list.iter().find(|(c, _)| c == canvas).map(|(_, r)| *r)
    });
    let ratio = model::num::clamp(ratio.unwrap_or(dpr), 0.05, 16.0);
    let (w, h) = (canvas.width(), canvas.height());
    // Talk slides draw charts' text and lines bigger, up to 1.6×, as far as a chart's height
    // leaves its plot at least half of it (its legend and axes take 74 px at 1×).
    let talk = if canvas.closest(".talk").ok().flatten().is_some() {
        model::num::clamp(f64::from(h) / ratio / 148.0, 1.0, 1.6)
    } else {
        1.0
    };
    Some((w, h, Scale(ratio * talk)))
}

/// Draws on the canvas with a chart function, once it has been laid out (see [`fit`]).
pub fn draw(
    canvas: &HtmlCanvasElement,
    f: impl FnOnce(&mut Canvas2d, Scale) -> Result<(), String>,
) -> Result<(), String> {
    let Some((_, _, scale)) = fit(canvas) else { return Ok(()) };
    let mut backend = Canvas2d::new(canvas).ok_or("no 2D context")?;
    f(&mut backend, scale)
}

/// Draws `canvases[i]` with `f(i, …)` for each `i` in `which` (see [`draw`]); the first error
/// stops the rest.
pub fn draw_each(
    canvases: &[&HtmlCanvasElement],
    which: std::ops::Range<u8>,
    mut f: impl FnMut(u8, &mut Canvas2d, Scale) -> Result<(), String>,
) -> Result<(), String> {
    for i in which {
        if let Some(c) = canvases.get(usize::from(i)) {
            draw(c, |backend, scale| f(i, backend, scale))?;
        }
    }
    Ok(())
}

/// Paints a picture on the canvas, once it has been laid out (see [`fit`]): sizes `buf` to it,
/// fills it with `bg`, lets `f` paint into it and copies it onto the canvas.
pub fn paint(canvas: &HtmlCanvasElement, buf: &mut Rgba, bg: Rgb, f: impl FnOnce(&mut Rgba)) -> Result<(), String> {
    let Some((w, h, _)) = fit(canvas) else { return Ok(()) };
    buf.reset(w, h, bg);
    f(buf);
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

/// A CSS colour string, written without `core`'s float formatting (see ARCHITECTURE.md).
fn css_color(c: BackendColor) -> String {
    let (r, g, b) = c.rgb;
    if c.alpha >= 1.0 {
        format!("rgb({r},{g},{b})")
    } else {
        format!("rgba({r},{g},{b},{})", model::fmt::fixed(c.alpha, 3))
    }
}

/// A canvas call that threw (a detached canvas, an invalid argument).
#[derive(Debug)]
pub struct CanvasError(&'static str);

impl std::fmt::Display for CanvasError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for CanvasError {}

type BackendResult<T = ()> = Result<T, DrawingErrorKind<CanvasError>>;

fn fail(what: &'static str) -> DrawingErrorKind<CanvasError> {
    DrawingErrorKind::DrawingError(CanvasError(what))
}

/// plotters' `DrawingBackend` on a 2D canvas context. Like plotters-canvas's `CanvasBackend`,
/// except that: fonts and colours are written as CSS strings without `core`'s float formatting
/// (which would otherwise be linked into every bundle with a chart); text is measured with the
/// canvas's own `measureText` (plotters' default inserts a styled `<span>` into the page, which a
/// strict Content-Security-Policy blocks); and polylines wider than a pixel are stroked as a few
/// offset one-pixel hairlines (`pen`). Chromium without a GPU rasterises a 2-px, 600-point
/// polyline's joins in software, about 80 ms per chart at 4× CPU throttle
/// (tests/perf/micro-stroke.mjs); hairlines take its fast path and cost about nothing, and the
/// line looks the same.
pub struct Canvas2d {
    ctx: CanvasRenderingContext2d,
    size: (u32, u32),
}

impl Canvas2d {
    pub fn new(canvas: &HtmlCanvasElement) -> Option<Canvas2d> {
        let ctx = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(Canvas2d { ctx, size: (canvas.width(), canvas.height()) })
    }

    fn stroke_style<S: BackendStyle>(&self, style: &S) {
        self.ctx.set_stroke_style_str(&css_color(style.color()));
        self.ctx.set_line_width(style.stroke_width() as f64);
    }

    fn font<T: BackendTextStyle>(&self, style: &T) {
        let size = style.size().round().max(1.0) as u32;
        self.ctx.set_font(&format!("{} {size}px {}", style.style().as_str(), style.family().as_str()));
    }
}

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontTransform,
};

/// A one-pixel line between pixel centres, so horizontal and vertical lines are crisp.
fn centre(p: BackendCoord) -> (f64, f64) {
    (p.0 as f64 + 0.5, p.1 as f64 + 0.5)
}

impl DrawingBackend for Canvas2d {
    type ErrorType = CanvasError;
    fn get_size(&self) -> (u32, u32) {
        self.size
    }
    fn ensure_prepared(&mut self) -> BackendResult {
        Ok(())
    }
    fn present(&mut self) -> BackendResult {
        Ok(())
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> BackendResult {
        self.draw_rect(point, (point.0 + 1, point.1 + 1), &color, true)
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> BackendResult {
        self.draw_path([from, to], style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        ul: BackendCoord,
        br: BackendCoord,
        style: &S,
        fill: bool,
    ) -> BackendResult {
        if style.color().alpha <= 0.0 {
            return Ok(());
        }
        let (x, y, w, h) = (ul.0 as f64, ul.1 as f64, (br.0 - ul.0) as f64, (br.1 - ul.1) as f64);
        if fill {
            self.ctx.set_fill_style_str(&css_color(style.color()));
            self.ctx.fill_rect(x, y, w, h);
        } else {
            self.stroke_style(style);
            self.ctx.stroke_rect(x + 0.5, y + 0.5, w, h);
        }
        Ok(())
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> BackendResult {
        let color = style.color();
        if color.alpha <= 0.0 {
            return Ok(());
        }
        PATH.with_borrow_mut(|pts| {
            pts.clear();
            pts.extend(path);
            self.ctx.set_stroke_style_str(&css_color(color));
            self.ctx.set_line_width(1.0);
            self.ctx.begin_path();
            for (dx, dy) in pen(style.stroke_width()) {
                for (i, &p) in pts.iter().enumerate() {
                    let (x, y) = centre(p);
                    if i == 0 {
                        self.ctx.move_to(x + dx, y + dy);
                    } else {
                        self.ctx.line_to(x + dx, y + dy);
                    }
                }
            }
            self.ctx.stroke();
        });
        Ok(())
    }
    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, style: &S, fill: bool) -> BackendResult {
        if style.color().alpha <= 0.0 {
            return Ok(());
        }
        self.ctx.begin_path();
        self.ctx.arc(c.0 as f64, c.1 as f64, r as f64, 0.0, std::f64::consts::TAU).map_err(|_| fail("arc failed"))?;
        if fill {
            self.ctx.set_fill_style_str(&css_color(style.color()));
            self.ctx.fill();
        } else {
            self.stroke_style(style);
            self.ctx.stroke();
        }
        Ok(())
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> BackendResult {
        if style.color().alpha <= 0.0 {
            return Ok(());
        }
        self.ctx.begin_path();
        for (i, (x, y)) in vert.into_iter().enumerate() {
            if i == 0 {
                self.ctx.move_to(x as f64, y as f64);
            } else {
                self.ctx.line_to(x as f64, y as f64);
            }
        }
        self.ctx.close_path();
        self.ctx.set_fill_style_str(&css_color(style.color()));
        self.ctx.fill();
        Ok(())
    }
    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> BackendResult {
        let color = style.color();
        if color.alpha <= 0.0 {
            return Ok(());
        }
        let turn = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 0.25,
            FontTransform::Rotate180 => 0.5,
            FontTransform::Rotate270 => 0.75,
        };
        let (mut x, mut y) = (pos.0 as f64, pos.1 as f64);
        if turn != 0.0 {
            self.ctx.save();
            self.ctx.translate(x, y).map_err(|_| fail("translate failed"))?;
            self.ctx.rotate(turn * std::f64::consts::TAU).map_err(|_| fail("rotate failed"))?;
            (x, y) = (0.0, 0.0);
        }
        let anchor = style.anchor();
        self.ctx.set_text_baseline(match anchor.v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        });
        self.ctx.set_text_align(match anchor.h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        });
        self.ctx.set_fill_style_str(&css_color(color));
        self.font(style);
        let r = self.ctx.fill_text(text, x, y).map_err(|_| fail("fillText failed"));
        if turn != 0.0 {
            self.ctx.restore();
        }
        r
    }
    fn estimate_text_size<T: BackendTextStyle>(&self, text: &str, style: &T) -> BackendResult<(u32, u32)> {
        self.font(style);
        let size = style.size();
        let width = self.ctx.measure_text(text).map(|m| m.width()).unwrap_or(text.len() as f64 * size * 0.6);
        Ok((width.ceil().max(0.0) as u32, size.ceil().max(0.0) as u32))
    }
}
