//! Bar charts for comparing strategies.

use super::{err, fill, DrawingBackend, Label, Scale};
use crate::ui::theme::Palette;
use plotters_backend::text_anchor::{HPos, VPos};

/// One horizontal-bar panel: a title, labelled values (top to bottom in the given order), and
/// how to print a value.
pub fn draw_bars<DB: DrawingBackend>(
    db: &mut DB,
    pal: &Palette,
    scale: Scale,
    title: &str,
    labels: &[&str],
    values: &[f64],
    fmt: &dyn Fn(f64) -> String,
) -> Result<(), String> {
    fill(db, pal.bg)?;
    let (w, h) = db.get_size();
    let n = labels.len().min(values.len());
    let max = values.iter().copied().filter(|v| v.is_finite()).fold(0.0, f64::max);
    let top_value = super::series::nice_ceiling(max.max(1e-9) * 1.25);
    let margin = scale.i(8.0);
    let text = Label::new(pal.fg, scale.font(12.0));
    db.draw_text(title, &Label::new(pal.fg, scale.font(14.0)).at(HPos::Center, VPos::Top), (w as i32 / 2, margin))
        .map_err(err)?;
    let (left, right) = (margin + scale.i(96.0), (w as i32 - margin).max(margin + scale.i(97.0)));
    let (top, bottom) = (margin + scale.i(24.0), (h as i32 - margin - scale.i(4.0)).max(margin + scale.i(25.0)));
    db.draw_line((left, top), (left, bottom), &pal.muted.color()).map_err(err)?;
    if n == 0 {
        return db.present().map_err(err);
    }
    let band = (bottom - top) as f64 / n as f64;
    let x_of = |v: f64| left + ((v / top_value) * (right - left) as f64).round() as i32;
    for (k, (&label, &v)) in labels.iter().zip(values).take(n).enumerate() {
        let mid = top as f64 + band * (k as f64 + 0.5);
        let (y0, y1, cy) = ((mid - band * 0.32).round() as i32, (mid + band * 0.32).round() as i32, mid.round() as i32);
        let v = if v.is_finite() { v.max(0.0) } else { 0.0 };
        let color = pal.series[k % pal.series.len()].color();
        db.draw_text(label, &text.at(HPos::Right, VPos::Center), (left - scale.i(6.0), cy)).map_err(err)?;
        db.draw_rect((left, y0), (x_of(v).max(left + 1), y1), &color, true).map_err(err)?;
        db.draw_text(&fmt(v), &text.at(HPos::Left, VPos::Center), (x_of(v) + scale.i(4.0), cy)).map_err(err)?;
    }
    db.present().map_err(err)
}
