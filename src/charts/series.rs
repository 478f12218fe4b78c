//! Time-series line charts.

use super::{err, Scale};
use crate::ui::theme::Palette;
use model::spec::fixed;
use plotters::coord::Shift;
use plotters::prelude::*;

/// A colour index meaning "the palette's muted colour" (for reference lines).
pub const MUTED: usize = usize::MAX;

fn color_of(pal: &Palette, i: usize) -> RGBColor {
    if i == MUTED {
        pal.muted
    } else {
        pal.series[i % pal.series.len()]
    }
}

/// One line: label, colour index into the palette's series, and values (x, y).
pub struct Line<'a> {
    pub label: &'a str,
    pub color: usize,
    pub points: &'a [(f64, f64)],
    pub dashed: bool,
}

/// A labelled vertical marker (a crossover, a peak).
pub struct Marker<'a> {
    pub x: f64,
    pub label: &'a str,
}

/// Axes of a line chart.
pub struct Axes<'a> {
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// The y axis reaches at least this high (so a quiet series does not fill the chart).
    pub y_min_top: f64,
    /// The x axis spans at least this much.
    pub x_min_span: f64,
}

impl Axes<'_> {
    /// Simulated time on x.
    pub fn time<'a>(y_label: &'a str, y_min_top: f64) -> Axes<'a> {
        Axes { x_label: "simulated time (s)", y_label, y_min_top, x_min_span: 10.0 }
    }
}

/// Draws lines on `area`, y from 0 to a nice maximum, with optional vertical markers. A legend
/// sits above the plot.
pub fn draw_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    pal: &Palette,
    scale: Scale,
    axes: &Axes<'_>,
    lines: &[Line<'_>],
    markers: &[Marker<'_>],
) -> Result<(), String> {
    let (y_label, y_min_top) = (axes.y_label, axes.y_min_top);
    area.fill(&pal.bg).map_err(err)?;
    let (mut x0, mut x1, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, y_min_top);
    for l in lines {
        for &(x, y) in l.points {
            if x.is_finite() && y.is_finite() {
                x0 = x0.min(x);
                x1 = x1.max(x);
                y1 = y1.max(y);
            }
        }
    }
    if !x0.is_finite() {
        x0 = 0.0;
        x1 = 10.0;
    }
    if x1 - x0 < axes.x_min_span {
        x1 = x0 + axes.x_min_span;
    }
    let y1 = nice_ceiling(y1 * 1.08);
    let font = |px: f64| ("sans-serif", scale.font(px)).into_font();
    let text = font(12.0).color(&pal.fg);
    let mut chart = ChartBuilder::on(area)
        .margin(scale.px(8.0))
        .margin_top(scale.px(26.0))
        .x_label_area_size(scale.px(40.0))
        .y_label_area_size(scale.px(52.0))
        .build_cartesian_2d(x0..x1, 0.0..y1)
        .map_err(err)?;
    chart
        .configure_mesh()
        .light_line_style(pal.grid.mix(0.0))
        .bold_line_style(pal.grid)
        .axis_style(pal.muted)
        .label_style(text.clone())
        .axis_desc_style(text.clone())
        .x_desc(axes.x_label)
        .y_desc(y_label)
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&|x| short(*x))
        .y_label_formatter(&|y| short(*y))
        .draw()
        .map_err(err)?;
    let w = scale.px(2.0 * pal.stroke as f64);
    for l in lines {
        let color = color_of(pal, l.color);
        let pts = l.points.iter().copied().filter(|(x, y)| x.is_finite() && y.is_finite());
        if l.dashed {
            chart
                .draw_series(DashedLineSeries::new(pts, scale.px(6.0), scale.px(4.0), color.stroke_width(w)))
                .map_err(err)?;
        } else {
            chart.draw_series(LineSeries::new(pts, color.stroke_width(w))).map_err(err)?;
        }
    }
    for (k, m) in markers.iter().enumerate() {
        if m.x.is_finite() && m.x >= x0 && m.x <= x1 {
            let style = pal.fg.stroke_width(scale.px(1.0));
            chart
                .draw_series(DashedLineSeries::new([(m.x, 0.0), (m.x, y1)], scale.px(3.0), scale.px(3.0), style))
                .map_err(err)?;
            let t = font(11.0).color(&pal.fg);
            // Labels sit right of their line, staggered so neighbours do not collide; near the
            // right edge they move to the left of it.
            let (px, py) = chart.backend_coord(&(m.x, y1 * (0.97 - 0.1 * k as f64)));
            let w = (m.label.chars().count() as f64 * scale.font(6.5)) as i32;
            let right_edge = chart.backend_coord(&(x1, 0.0)).0;
            let lx = if px + 4 + w > right_edge { px - 4 - w } else { px + 4 };
            area.draw(&Text::new(m.label.to_string(), (lx, py), t)).map_err(err)?;
        }
    }
    // Legend: coloured swatches and labels in a row above the plot.
    let mut x = scale.px(56.0) as i32;
    let y = scale.px(12.0) as i32;
    for l in lines {
        let color = color_of(pal, l.color);
        area.draw(&Rectangle::new([(x, y - 2), (x + scale.px(14.0) as i32, y + 2)], color.filled())).map_err(err)?;
        area.draw(&Text::new(l.label.to_string(), (x + scale.px(18.0) as i32, y - scale.px(7.0) as i32), text.clone()))
            .map_err(err)?;
        x += scale.px(26.0 + 7.0 * l.label.len() as f64) as i32;
    }
    area.present().map_err(err)?;
    Ok(())
}

/// 1, 2 or 5 times a power of ten, at least `x`.
pub fn nice_ceiling(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * p >= x {
            return m * p;
        }
    }
    10.0 * p
}

/// Axis label: 1200 → "1.2k".
pub fn short(y: f64) -> String {
    if y.abs() >= 1_000.0 {
        let k = y / 1_000.0;
        format!("{}k", fixed(k, if k.fract() == 0.0 { 0 } else { 1 }))
    } else {
        fixed(y, if y.fract() == 0.0 { 0 } else { 1 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn nice() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(f64::NAN), 1.0);
        assert_eq!(nice_ceiling(830.0), 1_000.0);
        assert_eq!(nice_ceiling(1_700.0), 2_000.0);
        assert_eq!(nice_ceiling(2_100.0), 5_000.0);
        assert_eq!(short(2_500.0), "2.5k");
        assert_eq!(short(40.0), "40");
    }
}
