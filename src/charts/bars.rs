//! Bar charts for comparing strategies.

use super::{err, Scale};
use crate::ui::theme::Palette;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One horizontal-bar panel: a title, labelled values, and how to print a value.
pub fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    pal: &Palette,
    scale: Scale,
    title: &str,
    labels: &[&str],
    values: &[f64],
    fmt: &dyn Fn(f64) -> String,
) -> Result<(), String> {
    area.fill(&pal.bg).map_err(err)?;
    let n = labels.len().min(values.len());
    let max = values.iter().copied().filter(|v| v.is_finite()).fold(0.0, f64::max);
    let top = super::series::nice_ceiling(max.max(1e-9) * 1.25);
    let text = ("sans-serif", scale.font(12.0)).into_font().color(&pal.fg);
    let mut chart = ChartBuilder::on(area)
        .margin(scale.px(8.0))
        .caption(title, ("sans-serif", scale.font(14.0)).into_font().color(&pal.fg))
        .y_label_area_size(scale.px(96.0))
        .x_label_area_size(scale.px(4.0))
        .build_cartesian_2d(0.0..top, -0.5..(n as f64 - 0.5))
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .axis_style(pal.muted)
        .label_style(text.clone())
        .y_labels(n.max(1))
        .y_label_formatter(&|y| {
            let i = y.round();
            if (y - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n {
                // top to bottom in the given order
                labels[n - 1 - i as usize].to_string()
            } else {
                String::new()
            }
        })
        .draw()
        .map_err(err)?;
    for (k, &v) in values.iter().take(n).enumerate() {
        let y = (n - 1 - k) as f64;
        let v = if v.is_finite() { v.max(0.0) } else { 0.0 };
        let color = pal.series[k % pal.series.len()];
        chart
            .draw_series(std::iter::once(Rectangle::new([(0.0, y - 0.32), (v, y + 0.32)], color.filled())))
            .map_err(err)?;
        chart.draw_series(std::iter::once(Text::new(fmt(v), (v + top * 0.01, y + 0.18), text.clone()))).map_err(err)?;
    }
    area.present().map_err(err)?;
    Ok(())
}
