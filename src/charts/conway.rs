//! The Conway chart: the current batch's lead times as a histogram (days), each bar stacked by
//! how many teams its features needed: 1 team solid, 2 striped upright, 3 striped across, 4+
//! cross-hatched, so the groups read without their colours; the legend names them with their
//! counts, and the median and 85th percentile are marked.

use super::series::{nice_ceiling, short};
use super::{dashed, err, fill, ticks, DrawingBackend, Label, Rgb, Scale};
use crate::ui::theme::Palette;
use model::conway::{by_teams, histogram, Finished, GROUP_LABELS, TEAM_GROUPS};
use plotters_backend::text_anchor::{HPos, VPos};

/// Bins the histogram may use.
pub const BINS: usize = 30;

/// What the chart shows.
pub struct ConwayChart<'a> {
    /// The current batch's finished features.
    pub finished: &'a [Finished],
    /// Median and 85th percentile lead time, days (NaN: none yet).
    pub median: f64,
    pub p85: f64,
}

/// The colour of group `g`.
pub fn group_colour(pal: &Palette, g: usize) -> Rgb {
    pal.series[g % pal.series.len()]
}

/// Fills a rectangle in `c` with group `g`'s pattern over it (lines in the background colour).
fn patterned<DB: DrawingBackend>(
    db: &mut DB,
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
    c: Rgb,
    bg: Rgb,
    g: usize,
    scale: Scale,
) -> Result<(), String> {
    if x1 <= x0 || y1 <= y0 {
        return Ok(());
    }
    db.draw_rect((x0, y0), (x1, y1), &c.color(), true).map_err(err)?;
    let line = bg.stroke(scale.px(1.0));
    let every = scale.i(4.0).max(3) as usize;
    if g == 1 || g == 3 {
        for x in (x0 + 2..x1 - 1).step_by(every) {
            db.draw_line((x, y0), (x, y1), &line).map_err(err)?;
        }
    }
    if g == 2 || g == 3 {
        for y in (y0 + 2..y1 - 1).step_by(every) {
            db.draw_line((x0, y), (x1, y), &line).map_err(err)?;
        }
    }
    Ok(())
}

/// Draws the lead-time histogram.
pub fn draw_conway<DB: DrawingBackend>(
    db: &mut DB,
    pal: &Palette,
    scale: Scale,
    chart: &ConwayChart<'_>,
) -> Result<(), String> {
    fill(db, pal.bg)?;
    let (w, h) = db.get_size();
    // The legend and axis (about 90 px at 1×) take at most 45 % of the height on a slide.
    let scale = Scale(scale.0.min((h as f64 * 0.45 / 90.0).max(0.5)));
    let text = Label::new(pal.fg, scale.font(12.0));
    let small = Label::new(pal.fg, scale.font(11.0));
    let margin = scale.i(8.0);
    let left = margin + scale.i(44.0);
    let right = (w as i32 - margin - scale.i(8.0)).max(left + 1);

    // Legend: each group's swatch, name and count, in as many rows as the width needs.
    let counts = by_teams(chart.finished);
    let row_h = scale.i(16.0);
    let (mut lx, mut ly) = (left, margin + scale.i(6.0));
    let legend: [(String, (i32, i32)); TEAM_GROUPS] = std::array::from_fn(|g| {
        let label = format!("{}: {}", GROUP_LABELS[g], counts[g]);
        let wide = scale.i(20.0) + (label.len() as f64 * scale.font(6.2)) as i32;
        if lx > left && lx + wide > right {
            (lx, ly) = (left, ly + row_h);
        }
        let at = (lx, ly);
        lx += wide + scale.i(12.0);
        (label, at)
    });
    for (g, (label, (x, y))) in legend.iter().enumerate() {
        let sw = scale.i(14.0);
        let (a, b) = ((*x, y - scale.i(6.0)), (x + sw, y + scale.i(6.0)));
        patterned(db, a, b, group_colour(pal, g), pal.bg, g, scale)?;
        db.draw_text(label, &small.at(HPos::Left, VPos::Center), (x + sw + scale.i(4.0), *y)).map_err(err)?;
    }

    let top = ly + scale.i(18.0);
    let bottom = (h as i32 - margin - scale.i(36.0)).max(top + 4);
    let mut bins = [[0u32; TEAM_GROUPS]; BINS];
    let (width, used) = histogram(chart.finished, &mut bins);
    let span = (used as u32 * width) as f64;
    let tallest = bins.iter().map(|b| b.iter().sum::<u32>()).max().unwrap_or(0);
    let y_max = nice_ceiling((tallest as f64).max(5.0));
    let y_of = |v: f64| bottom - ((v / y_max) * (bottom - top) as f64).round() as i32;
    let x_of = |d: f64| left + ((d / span) * (right - left) as f64).round() as i32;

    let (grid, axis) = (pal.grid.color(), pal.muted.color());
    let tick = scale.i(5.0);
    let room = f64::from(bottom - top) / (scale.font(12.0) * 2.0);
    for y in ticks(0.0, y_max, model::num::clamp(room.floor(), 1.0, 5.0) as usize) {
        let py = y_of(y);
        db.draw_line((left, py), (right, py), &grid).map_err(err)?;
        db.draw_line((left - tick, py), (left, py), &axis).map_err(err)?;
        db.draw_text(&short(y), &text.at(HPos::Right, VPos::Center), (left - tick - scale.i(3.0), py)).map_err(err)?;
    }
    let title = if (8.0 * scale.font(6.5)) as i32 <= bottom - top { "features" } else { "feat." };
    db.draw_text(title, &small.upwards().at(HPos::Center, VPos::Top), (margin, (top + bottom) / 2)).map_err(err)?;

    // Bars, each stacked 1 team at the bottom up to 4+.
    let gap = scale.i(1.0);
    for (i, bin) in bins.iter().take(used).enumerate() {
        let (x0, x1) = (x_of((i as u32 * width) as f64) + gap, x_of(((i as u32 + 1) * width) as f64) - gap);
        let mut below = 0;
        for (g, &n) in bin.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let (y1, y0) = (y_of(below as f64), y_of((below + n) as f64));
            patterned(db, (x0, y0), (x1.max(x0 + 1), y1), group_colour(pal, g), pal.bg, g, scale)?;
            below += n;
        }
    }
    db.draw_line((left, top), (left, bottom), &axis).map_err(err)?;
    db.draw_line((left, bottom), (right, bottom), &axis).map_err(err)?;

    // Days along the bottom.
    for d in ticks(0.0, span, 8) {
        let px = x_of(d);
        db.draw_line((px, bottom), (px, bottom + tick), &axis).map_err(err)?;
        db.draw_text(&short(d), &text.at(HPos::Center, VPos::Top), (px, bottom + tick + scale.i(2.0))).map_err(err)?;
    }
    let unit = "lead time, days from request to production";
    db.draw_text(unit, &text.at(HPos::Center, VPos::Bottom), ((left + right) / 2, h as i32 - margin)).map_err(err)?;

    if chart.finished.is_empty() {
        let at = text.at(HPos::Center, VPos::Center);
        db.draw_text("no feature shipped yet", &at, ((left + right) / 2, (top + bottom) / 2)).map_err(err)?;
    }

    // Median and p85, dashed, labelled at the top.
    let fg = pal.fg.stroke(scale.px(1.0));
    for (k, (x, label)) in [(chart.median, "median"), (chart.p85, "p85")].into_iter().enumerate() {
        if !(x.is_finite() && x >= 0.0 && x <= span) {
            continue;
        }
        let px = x_of(x);
        dashed(db, &[(px, top), (px, bottom)], scale.px(3.0), scale.px(3.0), &fg)?;
        let py = top + k as i32 * scale.i(14.0);
        let lw = (label.len() as f64 * scale.font(6.3)) as i32;
        let leftwards = px + scale.i(4.0) + lw > right;
        let (lx, anchor) = if leftwards { (px - scale.i(4.0), HPos::Right) } else { (px + scale.i(4.0), HPos::Left) };
        let bx = if leftwards { lx - lw - scale.i(2.0) } else { lx - scale.i(2.0) };
        db.draw_rect((bx, py), (bx + lw + scale.i(4.0), py + scale.i(13.0)), &pal.bg.color(), true).map_err(err)?;
        db.draw_text(label, &small.at(anchor, VPos::Top), (lx, py)).map_err(err)?;
    }
    db.present().map_err(err)
}

/// The histogram's data: a row per bin drawn (its first and last day of lead time), the features
/// in it by the number of teams they needed.
pub fn table(chart: &ConwayChart<'_>) -> model::table::Table {
    let mut bins = [[0u32; TEAM_GROUPS]; BINS];
    let (width, used) = histogram(chart.finished, &mut bins);
    let mut columns = vec!["lead time from (days)".to_string(), "to (days)".to_string()];
    columns.extend(GROUP_LABELS.iter().map(|g| format!("{g} (features)")));
    let rows = bins[..used]
        .iter()
        .enumerate()
        .map(|(i, bin)| {
            let from = (i as u32 * width) as f64;
            let mut row = vec![from, from + f64::from(width)];
            row.extend(bin.iter().map(|&n| f64::from(n)));
            row
        })
        .collect();
    model::table::Table { columns, rows, labels: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::conway::{ConwayParams, ConwaySim, DAY};

    /// The table has a row per bar drawn, and counts every finished feature once, in its group.
    #[test]
    fn its_table_counts_each_feature_in_its_bin_and_group() {
        let mut sim = ConwaySim::new(ConwayParams::SCATTERED, 1);
        sim.ship();
        sim.advance(200 * DAY);
        let chart = ConwayChart { finished: sim.finished(), median: f64::NAN, p85: f64::NAN };
        let t = table(&chart);
        let mut bins = [[0u32; TEAM_GROUPS]; BINS];
        let (width, used) = histogram(sim.finished(), &mut bins);
        assert_eq!(t.rows.len(), used);
        assert_eq!(
            t.columns,
            [
                "lead time from (days)",
                "to (days)",
                "1 team (features)",
                "2 teams (features)",
                "3 teams (features)",
                "4+ teams (features)"
            ]
        );
        assert_eq!(t.rows[1][..2], [f64::from(width), f64::from(2 * width)]);
        let n = by_teams(sim.finished());
        for g in 0..TEAM_GROUPS {
            assert_eq!(t.rows.iter().map(|r| r[2 + g]).sum::<f64>(), f64::from(n[g]), "group {g}");
        }
        assert!(n.iter().sum::<u32>() > 0);
        // Nothing shipped yet: the empty bins of the first ten days.
        let empty = table(&ConwayChart { finished: &[], median: f64::NAN, p85: f64::NAN });
        assert_eq!(empty.rows.len(), 10);
        assert!(empty.rows.iter().all(|r| r[2..].iter().all(|&v| v == 0.0)));
    }

    fn svg(w: u32, h: u32, f: impl FnOnce(&mut plotters_svg::SVGBackend<'_>)) -> String {
        let mut out = String::new();
        f(&mut plotters_svg::SVGBackend::with_string(&mut out, (w, h)));
        out
    }

    fn says(svg: &str, t: &str) -> bool {
        svg.contains(&format!("\n{t}\n</text>"))
    }

    #[test]
    fn a_scattered_batch_shows_its_groups_and_quantiles() {
        let mut sim = ConwaySim::new(ConwayParams::SCATTERED, 1);
        sim.ship();
        sim.advance(200 * DAY);
        let (median, p85) = sim.snapshot().median_p85.unwrap();
        let chart = ConwayChart { finished: sim.finished(), median, p85 };
        let out = svg(700, 280, |db| draw_conway(db, &Palette::LIGHT, Scale(1.0), &chart).unwrap());
        let n = by_teams(sim.finished());
        for text in [
            "features".to_string(),
            "lead time, days from request to production".into(),
            "median".into(),
            "p85".into(),
            format!("1 team: {}", n[0]),
            format!("3 teams: {}", n[2]),
        ] {
            assert!(says(&out, &text), "{text} missing from the SVG");
        }
        assert!(out.matches("<rect").count() > 20, "bars");
        assert!(!out.contains("NaN") && !out.contains("inf"));
    }

    #[test]
    fn empty_and_degenerate_sizes_do_not_panic() {
        let chart = ConwayChart { finished: &[], median: f64::NAN, p85: f64::NAN };
        let out = svg(500, 240, |db| draw_conway(db, &Palette::LIGHT, Scale(1.0), &chart).unwrap());
        assert!(says(&out, "no feature shipped yet"));
        assert!(says(&out, "1 team: 0"));
        for (w, h) in [(1, 1), (30, 20), (2_000, 90)] {
            let out = svg(w, h, |db| draw_conway(db, &Palette::LIGHT, Scale(2.0), &chart).unwrap());
            assert!(!out.contains("NaN"));
        }
    }
}
