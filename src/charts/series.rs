//! Time-series line charts.

use super::{dashed, err, fill, ticks, DrawingBackend, Label, Rgb, Scale};
use crate::ui::theme::Palette;
use model::fmt::fixed;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::BackendCoord;

/// A colour index meaning "the palette's muted colour" (for reference lines).
pub const MUTED: usize = usize::MAX;

fn color_of(pal: &Palette, i: usize) -> Rgb {
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

/// A labelled horizontal reference line (a survey's value, a budget), drawn dashed and muted.
pub struct Reference<'a> {
    pub y: f64,
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
    /// The y axis stops here even when the headroom above the data would round past it (a
    /// share's 1).
    pub y_max: f64,
}

impl Axes<'_> {
    /// Simulated time on x.
    pub fn time<'a>(y_label: &'a str, y_min_top: f64) -> Axes<'a> {
        Axes { x_label: "simulated time (s)", y_label, y_min_top, x_min_span: 10.0, y_max: f64::INFINITY }
    }
}

/// The plot rectangle in backend pixels and the data ranges it shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plot {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl Plot {
    /// The backend pixel of data point (`x`, `y`).
    pub fn at(&self, x: f64, y: f64) -> BackendCoord {
        let fx = (x - self.x.0) / (self.x.1 - self.x.0);
        let fy = (y - self.y.0) / (self.y.1 - self.y.0);
        (
            self.left + (fx * (self.right - self.left) as f64).round() as i32,
            self.bottom - (fy * (self.bottom - self.top) as f64).round() as i32,
        )
    }
}

/// Where the plot sits on a `w × h` drawing: room for the legend above, tick labels and axis
/// titles left and below, and the data ranges (y from 0 to a nice maximum; at least the minimum
/// span on x and the minimum top on y).
pub fn layout(w: u32, h: u32, scale: Scale, axes: &Axes<'_>, lines: &[Line<'_>]) -> Plot {
    let (mut x0, mut x1, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, axes.y_min_top);
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
    let margin = scale.i(8.0);
    let left = margin + scale.i(52.0);
    // Room on the right for half of the last tick label.
    let right = (w as i32 - margin - scale.i(12.0)).max(left + 1);
    // The legend's rows (one unless a narrow chart wraps it) above the plot.
    let rows = legend(w, scale, lines).last().map_or(0, |&(_, y)| y - scale.i(12.0));
    let top = scale.i(26.0) + rows;
    let bottom = (h as i32 - margin - scale.i(40.0)).max(top + 1);
    let y_top = nice_ceiling(y1 * 1.08).min(axes.y_max);
    Plot { left, top, right, bottom, x: (x0, x1), y: (0.0, if y_top > 0.0 { y_top } else { 1.0 }) }
}

/// Where each line's legend entry goes (the swatch's left end and middle): in a row above the
/// plot, wrapping to another row where the next entry would run past the right edge, so a narrow
/// chart (a phone) shows every label whole.
fn legend(w: u32, scale: Scale, lines: &[Line<'_>]) -> Vec<BackendCoord> {
    let (start, row) = (scale.i(56.0), scale.i(18.0));
    let (mut x, mut y) = (start, scale.i(12.0));
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        let wide = scale.i(26.0 + 7.0 * l.label.chars().count() as f64);
        if x > start && x + wide - scale.i(8.0) > w as i32 {
            x = start;
            y += row;
        }
        out.push((x, y));
        x += wide;
    }
    out
}

/// Draws lines with a grid, ticks and axis titles, y from 0 to a nice maximum, with optional
/// vertical markers. A legend sits above the plot.
pub fn draw_lines<DB: DrawingBackend>(
    db: &mut DB,
    pal: &Palette,
    scale: Scale,
    axes: &Axes<'_>,
    lines: &[Line<'_>],
    markers: &[Marker<'_>],
) -> Result<(), String> {
    draw_lines_with(db, pal, scale, axes, lines, markers, &[])
}

/// [`draw_lines`] with horizontal reference lines, each labelled at its right end.
pub fn draw_lines_with<DB: DrawingBackend>(
    db: &mut DB,
    pal: &Palette,
    scale: Scale,
    axes: &Axes<'_>,
    lines: &[Line<'_>],
    markers: &[Marker<'_>],
    references: &[Reference<'_>],
) -> Result<(), String> {
    fill(db, pal.bg)?;
    let (w, h) = db.get_size();
    let p = layout(w, h, scale, axes, lines);
    let text = Label::new(pal.fg, scale.font(12.0));
    let (tick, gap) = (scale.i(5.0), scale.i(3.0));
    let (grid, axis) = (pal.grid.color(), pal.muted.color());
    // As many y ticks as the plot's height leaves room for, between 2 and 5.
    let room = f64::from(p.bottom - p.top) / (scale.font(12.0) * 2.2);
    for y in ticks(p.y.0, p.y.1, model::num::clamp(room.floor(), 2.0, 5.0) as usize) {
        let (_, py) = p.at(p.x.0, y);
        db.draw_line((p.left, py), (p.right, py), &grid).map_err(err)?;
        db.draw_line((p.left - tick, py), (p.left, py), &axis).map_err(err)?;
        db.draw_text(&short(y), &text.at(HPos::Right, VPos::Center), (p.left - tick - gap, py)).map_err(err)?;
    }
    for x in ticks(p.x.0, p.x.1, 6) {
        let (px, _) = p.at(x, 0.0);
        db.draw_line((px, p.top), (px, p.bottom), &grid).map_err(err)?;
        db.draw_line((px, p.bottom), (px, p.bottom + tick), &axis).map_err(err)?;
        db.draw_text(&short(x), &text.at(HPos::Center, VPos::Top), (px, p.bottom + tick + gap)).map_err(err)?;
    }
    db.draw_line((p.left, p.top), (p.left, p.bottom), &axis).map_err(err)?;
    db.draw_line((p.left, p.bottom), (p.right, p.bottom), &axis).map_err(err)?;
    let margin = scale.i(8.0);
    db.draw_text(axes.x_label, &text.at(HPos::Center, VPos::Bottom), ((p.left + p.right) / 2, h as i32 - margin))
        .map_err(err)?;
    db.draw_text(axes.y_label, &text.upwards().at(HPos::Center, VPos::Top), (margin, (p.top + p.bottom) / 2))
        .map_err(err)?;

    let small = Label::new(pal.fg, scale.font(11.0));
    // Reference labels sit above their line at the right end; one that would touch the label
    // below it moves to the left end.
    let mut right_label_at: Option<i32> = None;
    for r in references.iter().filter(|r| r.y.is_finite() && r.y >= p.y.0 && r.y <= p.y.1) {
        let style = pal.muted.stroke(scale.px(1.5));
        let (a, b) = (p.at(p.x.0, r.y), p.at(p.x.1, r.y));
        dashed(db, &[a, b], scale.px(4.0), scale.px(4.0), &style)?;
        let crowded = right_label_at.is_some_and(|y| (y - b.1).abs() < scale.i(13.0));
        if crowded {
            db.draw_text(r.label, &small.at(HPos::Left, VPos::Bottom), (a.0 + scale.i(4.0), a.1 - scale.i(1.0)))
                .map_err(err)?;
        } else {
            db.draw_text(r.label, &small.at(HPos::Right, VPos::Bottom), (b.0 - scale.i(4.0), b.1 - scale.i(1.0)))
                .map_err(err)?;
            right_label_at = Some(b.1);
        }
    }
    let width = scale.px(2.0 * pal.stroke as f64);
    for l in lines {
        let style = color_of(pal, l.color).stroke(width);
        let pts = l.points.iter().filter(|(x, y)| x.is_finite() && y.is_finite()).map(|&(x, y)| p.at(x, y));
        if l.dashed {
            // Dashed lines are references (a capacity, a budget): a few points.
            dashed(db, &pts.collect::<Vec<BackendCoord>>(), scale.px(6.0), scale.px(4.0), &style)?;
        } else {
            db.draw_path(pts, &style).map_err(err)?;
        }
    }
    for (k, m) in markers.iter().enumerate() {
        if m.x.is_finite() && m.x >= p.x.0 && m.x <= p.x.1 {
            let style = pal.fg.stroke(scale.px(1.0));
            dashed(db, &[p.at(m.x, 0.0), p.at(m.x, p.y.1)], scale.px(3.0), scale.px(3.0), &style)?;
            // Labels sit right of their line, staggered so neighbours do not collide; near the
            // right edge they move to the left of it.
            let (px, py) = p.at(m.x, p.y.1 * (0.97 - 0.1 * k as f64));
            let w = (m.label.chars().count() as f64 * scale.font(6.5)) as i32;
            // Right of the line if it fits, else left of it, else as far left as the plot goes.
            let lx = if px + 4 + w <= p.right {
                px + 4
            } else if px - 4 - w >= p.left {
                px - 4 - w
            } else {
                (p.right - w).max(p.left)
            };
            db.draw_text(m.label, &small, (lx, py)).map_err(err)?;
        }
    }
    // Legend: coloured swatches and labels in rows above the plot.
    for (l, (x, y)) in lines.iter().zip(legend(w, scale, lines)) {
        let color = color_of(pal, l.color).color();
        db.draw_rect((x, y - 2), (x + scale.i(14.0), y + 2), &color, true).map_err(err)?;
        db.draw_text(l.label, &text, (x + scale.i(18.0), y - scale.i(7.0))).map_err(err)?;
    }
    db.present().map_err(err)
}

/// 1, 2 or 5 times a power of ten, at least `x`.
pub fn nice_ceiling(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || !x.is_finite() {
        return 1.0;
    }
    let p = crate::charts::decade(x);
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

/// The data of a [`draw_lines`] chart as a table: x (the axis title) and each line (its label;
/// a reference line reads as its value there), one row per point of the first line. A line
/// without points (a legend entry for reference lines) has no column.
pub fn table(axes: &Axes<'_>, lines: &[Line<'_>]) -> model::table::Table {
    let series: Vec<(&str, &[(f64, f64)])> =
        lines.iter().filter(|l| !l.points.is_empty()).map(|l| (l.label, l.points)).collect();
    model::table::Table::from_series(axes.x_label, &series)
}

/// A line chart's parts: what [`draw_chart`] draws and what [`table_of`] lists, handed over by
/// one function so the chart and its table cannot disagree.
pub struct LineChart<'a> {
    pub axes: Axes<'a>,
    pub lines: &'a [Line<'a>],
    pub markers: &'a [Marker<'a>],
    pub references: &'a [Reference<'a>],
}

/// Where a chart function hands its [`LineChart`] (built from data it borrows): to be drawn, or
/// listed.
pub type Sink<'s> = &'s mut dyn FnMut(&LineChart<'_>);

/// Draws the line chart `chart` hands over.
pub fn draw_chart<DB: DrawingBackend>(
    db: &mut DB,
    pal: &Palette,
    scale: Scale,
    chart: impl FnOnce(Sink<'_>),
) -> Result<(), String> {
    let mut res = Ok(());
    chart(&mut |c| res = draw_lines_with(db, pal, scale, &c.axes, c.lines, c.markers, c.references));
    res
}

/// The table of the line chart `chart` hands over ([`table`]).
pub fn table_of(chart: impl FnOnce(Sink<'_>)) -> model::table::Table {
    let mut t = model::table::Table::default();
    chart(&mut |c| t = table(&c.axes, c.lines));
    t
}

/// Checks that the table of the chart `chart` hands over lists what it draws: x under the axis
/// title, a column per line with points under its label, the first line's points as the rows and
/// every other line's points at the rows with their x. Returns the table.
#[cfg(test)]
pub(crate) fn assert_lists_its_lines(chart: impl Fn(Sink<'_>)) -> model::table::Table {
    let t = table_of(&chart);
    let same = |a: f64, b: f64| a == b || (a.is_nan() && b.is_nan());
    chart(&mut |c| {
        let drawn: Vec<&Line<'_>> = c.lines.iter().filter(|l| !l.points.is_empty()).collect();
        let mut heads = vec![c.axes.x_label];
        heads.extend(drawn.iter().map(|l| l.label));
        assert_eq!(t.columns, heads);
        assert!(t.labels.is_empty());
        let first = drawn[0].points;
        assert_eq!(t.rows.len(), first.len(), "a row per point of the first line");
        for (row, &(x, y)) in t.rows.iter().zip(first) {
            assert!(row[0] == x && same(row[1], y), "{row:?} against ({x}, {y})");
        }
        for (j, l) in drawn.iter().enumerate().skip(1) {
            for &(x, y) in l.points {
                if let Some(row) = t.rows.iter().find(|r| r[0] == x) {
                    assert!(same(row[j + 1], y), "{}: {row:?} against ({x}, {y})", l.label);
                }
            }
        }
    });
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chart handed to [`draw_chart`] is drawn as [`draw_lines_with`] draws it, and its table
    /// leaves out a legend-only line.
    #[test]
    fn a_handed_over_chart_draws_and_lists_the_same_lines() {
        let pts: Vec<(f64, f64)> = (0..=20).map(|i| (i as f64, 40.0 * i as f64)).collect();
        let cap = [(0.0, 500.0), (20.0, 500.0)];
        let chart = |out: Sink<'_>| {
            out(&LineChart {
                axes: Axes::time("requests / s", 100.0),
                lines: &[
                    Line { label: "attempts", color: 1, points: &pts, dashed: false },
                    Line { label: "capacity", color: MUTED, points: &cap, dashed: true },
                    Line { label: "legend only", color: MUTED, points: &[], dashed: true },
                ],
                markers: &[Marker { x: 12.0, label: "outage ends" }],
                references: &[Reference { y: 300.0, label: "budget" }],
            })
        };
        let t = assert_lists_its_lines(chart);
        assert_eq!(t.columns, ["simulated time (s)", "attempts", "capacity"]);
        assert_eq!(t.rows[20], vec![20.0, 800.0, 500.0]);
        let (mut a, mut b) = (String::new(), String::new());
        draw_chart(&mut plotters_svg::SVGBackend::with_string(&mut a, (600, 300)), &Palette::LIGHT, Scale(1.0), chart)
            .unwrap();
        chart(&mut |c| {
            let mut db = plotters_svg::SVGBackend::with_string(&mut b, (600, 300));
            draw_lines_with(&mut db, &Palette::LIGHT, Scale(1.0), &c.axes, c.lines, c.markers, c.references).unwrap();
        });
        assert_eq!(a, b);
        assert!(says(&a, "budget") && says(&a, "outage ends"));
    }

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

    /// Whether the SVG has a `<text>` element saying exactly `t`.
    fn says(svg: &str, t: &str) -> bool {
        svg.contains(&format!("\n{t}\n</text>"))
    }

    fn svg(w: u32, h: u32, f: impl FnOnce(&mut plotters_svg::SVGBackend<'_>)) -> String {
        let mut out = String::new();
        f(&mut plotters_svg::SVGBackend::with_string(&mut out, (w, h)));
        out
    }

    #[test]
    fn a_line_chart_has_its_axes_ticks_legend_and_lines() {
        let pts: Vec<(f64, f64)> = (0..=20).map(|i| (i as f64, 40.0 * i as f64)).collect();
        let cap = [(0.0, 500.0), (20.0, 500.0)];
        let out = svg(600, 300, |db| {
            draw_lines(
                db,
                &Palette::LIGHT,
                Scale(1.0),
                &Axes::time("requests / s", 100.0),
                &[
                    Line { label: "attempts", color: 1, points: &pts, dashed: false },
                    Line { label: "capacity", color: MUTED, points: &cap, dashed: true },
                ],
                &[Marker { x: 12.0, label: "outage ends" }],
            )
            .unwrap()
        });
        for text in ["simulated time (s)", "requests / s", "attempts", "capacity", "outage ends", "0", "20"] {
            assert!(says(&out, text), "{text} missing from the SVG");
        }
        // y runs to a nice ceiling above 800 × 1.08: 1,000, labelled in 200s.
        assert!(says(&out, "200") && says(&out, "800") && says(&out, "1k"));
        assert_eq!(out.matches("<polyline").count(), 1, "one solid series");
        assert!(out.matches("<line").count() > 20, "grid, ticks and dashes are lines");
        assert!(!out.contains("NaN") && !out.contains("inf"));
        assert!(crate::charts::smallest_font(&out) >= crate::charts::MIN_FONT_PX, "legible on a phone");
    }

    /// On a phone (a 340-px chart) the legend wraps rather than running off the edge, and a
    /// marker label that fits on neither side of its line stays inside the plot.
    #[test]
    fn a_narrow_chart_keeps_its_legend_and_labels_inside() {
        let a: Vec<(f64, f64)> = (0..=16).map(|i| (i as f64 * 1_000.0, 600.0 * i as f64)).collect();
        let b: Vec<(f64, f64)> = (0..=16).map(|i| (i as f64 * 1_000.0, 500.0 * i as f64)).collect();
        let lines = [
            Line { label: "one big box", color: 0, points: &a, dashed: false },
            Line { label: "fleet of nodes", color: 1, points: &b, dashed: false },
            Line { label: "capacity", color: MUTED, points: &b, dashed: true },
        ];
        let axes = Axes {
            x_label: "load (req/s)",
            y_label: "monthly cost ($)",
            y_min_top: 1.0,
            x_min_span: 1.0,
            y_max: f64::INFINITY,
        };
        let wide = layout(700, 260, Scale(1.0), &axes, &lines);
        let narrow = layout(340, 260, Scale(1.0), &axes, &lines);
        assert_eq!(wide.top, 26, "one legend row on a wide chart");
        assert_eq!(narrow.top, 26 + 18, "two rows on a narrow one");
        let out = svg(340, 260, |db| {
            draw_lines(
                db,
                &Palette::LIGHT,
                Scale(1.0),
                &axes,
                &lines,
                &[Marker { x: 5_500.0, label: "fleet cheaper: 5,572 req/s" }],
            )
            .unwrap()
        });
        for label in ["one big box", "fleet of nodes", "capacity", "fleet cheaper: 5,572 req/s"] {
            let at = out.find(&format!("\n{label}\n</text>")).unwrap_or_else(|| panic!("{label} missing"));
            let tag = &out[out[..at].rfind("<text").unwrap()..at];
            let x: f64 = tag.split("x=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().parse().unwrap();
            let width = label.len() as f64 * 6.5;
            assert!(x >= 0.0 && x + width <= 340.0 + 1.0, "{label} at x={x} runs off a 340-px chart");
        }
    }

    #[test]
    fn a_short_chart_has_fewer_y_ticks_rather_than_overlapping_ones() {
        let pts: Vec<(f64, f64)> = (0..=20).map(|i| (i as f64, 40.0 * i as f64)).collect();
        let lines = [Line { label: "attempts", color: 1, points: &pts, dashed: false }];
        let out = svg(600, 120, |db| {
            draw_lines(db, &Palette::LIGHT, Scale(1.0), &Axes::time("requests / s", 100.0), &lines, &[]).unwrap()
        });
        // 46 px of plot: ticks every 500 (0, 500, 1k), not every 200.
        assert!(says(&out, "500") && says(&out, "1k"));
        assert!(!says(&out, "200") && !says(&out, "400"));
    }

    #[test]
    fn the_plot_maps_data_into_its_rectangle() {
        let pts = [(0.0, 0.0), (10.0, 50.0)];
        let lines = [Line { label: "x", color: 0, points: &pts, dashed: false }];
        let p = layout(400, 200, Scale(1.0), &Axes::time("y", 10.0), &lines);
        assert_eq!(p.y, (0.0, 100.0));
        assert_eq!(p.at(0.0, 0.0), (p.left, p.bottom));
        assert_eq!(p.at(10.0, 100.0), (p.right, p.top));
        assert!(p.left > 0 && p.right < 400 && p.top > 0 && p.bottom < 200);
        // A share stops at 1 (the headroom above a CDF's 1 would otherwise round up to 2).
        let cdf = [(0.0, 0.2), (10.0, 1.0)];
        let share = Axes { y_max: 1.0, ..Axes::time("share", 1.0) };
        let lines = [Line { label: "x", color: 0, points: &cdf, dashed: false }];
        assert_eq!(layout(400, 200, Scale(1.0), &share, &lines).y, (0.0, 1.0));
        // Degenerate sizes and data still give a usable rectangle.
        let p = layout(1, 1, Scale(3.0), &Axes::time("y", 0.0), &[]);
        assert!(p.right > p.left && p.bottom > p.top && p.y.1 > 0.0);
    }

    #[test]
    fn bars_label_every_value() {
        let out = svg(400, 200, |db| {
            crate::charts::bars::draw_bars(
                db,
                &Palette::LIGHT,
                Scale(1.0),
                "Mean calls",
                &["none", "full jitter"],
                &[120.0, f64::NAN],
                &|v| fixed(v, 0),
            )
            .unwrap()
        });
        for text in ["Mean calls", "none", "full jitter", "120", "0"] {
            assert!(says(&out, text), "{text} missing from the SVG");
        }
        assert!(!out.contains("NaN"));
        assert!(crate::charts::smallest_font(&out) >= crate::charts::MIN_FONT_PX, "legible on a phone");
    }
}
