//! The burn-rate month: the error budget left (100 % falling, possibly below 0) over days 0–30,
//! the incidents as shaded bands, and below it two rows of alerts: the naive rule's pages
//! (downward triangles) and the multi-window rules' pages (triangles) and tickets (hollow
//! squares), each alert a bar while it fires. Everything right of the playhead is still to come
//! and not drawn (the incidents are, since the reader placed them).
//!
//! The plot spans the same horizontal share of the canvas as the incident track above it
//! ([`MARGIN`] of the width on each side), so the HTML bands line up with the chart.

use super::{dashed, err, fill, DrawingBackend, Label, Rgb, Scale};
use crate::ui::theme::Palette;
use model::fmt::percent;
use model::slo_burn::{Episode, Incident, Month, DAY};
use plotters_backend::text_anchor::{HPos, VPos};

/// The horizontal margin on each side, as a share of the width (the track's CSS matches).
pub const MARGIN: f64 = 0.02;

/// What the chart draws.
pub struct BurnChart<'a> {
    /// The budget left at each hour boundary.
    pub hourly: &'a [f64],
    /// Minutes in the window, and the playhead.
    pub minutes: u32,
    pub now: u32,
    pub incidents: &'a [Incident],
    pub naive: &'a [Episode],
    pub pages: &'a [Episode],
    pub tickets: &'a [Episode],
}

impl<'a> BurnChart<'a> {
    /// What the chart shows of month `m` at minute `now`: `hourly` is its budget left at each
    /// hour ([`Month::hourly_remaining`]).
    pub fn of(m: &'a Month, hourly: &'a [f64], now: u32) -> BurnChart<'a> {
        BurnChart {
            hourly,
            minutes: m.minutes(),
            now,
            incidents: m.incidents(),
            naive: m.naive_pages(),
            pages: m.multi_pages(),
            tickets: m.tickets(),
        }
    }
}

/// `a` moved `t` of the way to `b`.
fn mix(a: Rgb, b: Rgb, t: f64) -> Rgb {
    let m = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * t).round() as u8;
    Rgb(m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

pub fn draw_burn<DB: DrawingBackend>(
    db: &mut DB,
    pal: &Palette,
    scale: Scale,
    c: &BurnChart<'_>,
) -> Result<(), String> {
    fill(db, pal.bg)?;
    let (w, h) = db.get_size();
    let (w, h) = (w as i32, h as i32);
    let minutes = c.minutes.max(1) as f64;
    let left = (w as f64 * MARGIN).round() as i32;
    let right = w - left;
    let x_of = |m: f64| left + ((right - left) as f64 * model::num::clamp(m / minutes, 0.0, 1.0)).round() as i32;
    let font = scale.font(12.0);
    let text = Label::new(pal.fg, font);
    let small = Label::new(pal.muted, scale.font(11.0));
    let row = scale.i(18.0);
    let axis = scale.i(18.0);
    let bottom_rows = h - axis;
    let naive_row = bottom_rows - 2 * row;
    let multi_row = bottom_rows - row;
    // Room above the 100 % line for its label.
    let top = scale.i(6.0) + scale.i(14.0);
    let plot_bottom = naive_row - scale.i(6.0);
    if plot_bottom <= top + 4 || right <= left + 4 {
        return db.present().map_err(err);
    }
    // y: from 100 % down to the lower of 0 and the lowest the budget reaches.
    let low = c.hourly.iter().copied().filter(|v| v.is_finite()).fold(0.0f64, f64::min).max(-10.0);
    let span = 1.0 - low;
    let y_of = |v: f64| {
        let f = model::num::clamp((1.0 - v) / span, 0.0, 1.0);
        top + (f * (plot_bottom - top) as f64).round() as i32
    };

    // Incidents, full height, with the alert rows.
    let band = mix(pal.bg, pal.series[4], 0.35);
    for inc in c.incidents {
        let (a, b) = (x_of(inc.start as f64), x_of(inc.end() as f64));
        let b = b.max(a + scale.i(2.0));
        db.draw_rect((a, top), (b, bottom_rows), &band.color(), true).map_err(err)?;
    }

    // Grid: 100 %, 50 %, 0 % (and the lowest, when overspent), labels inside on the left.
    let grid = pal.grid.stroke(1);
    for v in [1.0, 0.5, 0.0].into_iter().chain((low < -0.05).then_some(low)) {
        let y = y_of(v);
        db.draw_line((left, y), (right, y), &if v == 0.0 { pal.muted.stroke(scale.px(1.0)) } else { grid })
            .map_err(err)?;
        let label = if v == 1.0 { "100% of the budget left".to_string() } else { percent(v) };
        db.draw_text(&label, &small.at(HPos::Left, VPos::Bottom), (left + scale.i(3.0), y - scale.i(1.0)))
            .map_err(err)?;
    }
    // Days along the bottom.
    let days = c.minutes / DAY;
    let step = if right - left < scale.i(420.0) { 10 } else { 5 };
    for d in (0..=days).step_by(step) {
        let x = x_of((d * DAY) as f64);
        db.draw_line((x, bottom_rows), (x, bottom_rows + scale.i(4.0)), &grid).map_err(err)?;
        let label = if d == 0 { "day 0".to_string() } else { d.to_string() };
        let anchor = if d == 0 {
            HPos::Left
        } else if d == days {
            HPos::Right
        } else {
            HPos::Center
        };
        db.draw_text(&label, &small.at(anchor, VPos::Top), (x, bottom_rows + scale.i(5.0))).map_err(err)?;
    }

    // The budget line, to the playhead.
    let shown = (c.now as usize / 60 + 1).min(c.hourly.len());
    let mut pts: Vec<(i32, i32)> =
        c.hourly[..shown].iter().enumerate().map(|(i, v)| (x_of((i * 60) as f64), y_of(*v))).collect();
    if let Some(&last) = c.hourly.get(shown) {
        // Part of the hour after the last boundary.
        let prev = c.hourly[shown - 1];
        let f = (c.now % 60) as f64 / 60.0;
        pts.push((x_of(c.now as f64), y_of(prev + (last - prev) * f)));
    }
    let line = pal.series[0].stroke(scale.px(2.0) * pal.stroke);
    db.draw_path(pts.iter().copied(), &line).map_err(err)?;

    // Alert rows.
    let rows: [(&str, i32, &[Episode], Rgb, bool); 3] = [
        ("naive pages ▼", naive_row, c.naive, pal.series[1], true),
        ("multi-window pages ▼, tickets □", multi_row, c.pages, pal.series[1], true),
        ("", multi_row, c.tickets, pal.series[2], false),
    ];
    for (label, y0, _, _, _) in &rows[..2] {
        db.draw_line((left, y0 + row), (right, y0 + row), &grid).map_err(err)?;
        if !label.is_empty() {
            db.draw_text(label, &small.at(HPos::Right, VPos::Center), (right - scale.i(2.0), y0 + row / 2))
                .map_err(err)?;
        }
    }
    let r = scale.i(5.0);
    for (_, y0, episodes, colour, page) in rows {
        let cy = y0 + row / 2;
        for e in episodes.iter().filter(|e| e.start <= c.now) {
            let (a, b) = (x_of(e.start as f64), x_of(e.end.min(c.now) as f64));
            db.draw_rect((a, cy - scale.i(1.5)), (b.max(a + 1), cy + scale.i(1.5)), &colour.color(), true)
                .map_err(err)?;
            if page {
                db.fill_polygon([(a - r, cy - r), (a + r, cy - r), (a, cy + r)], &colour.color()).map_err(err)?;
            } else {
                let s = colour.stroke(scale.px(2.0));
                db.draw_rect((a - r, cy - r), (a + r, cy + r), &s, false).map_err(err)?;
            }
        }
    }
    // Row labels on the left when there is room (the right carries the key).
    db.draw_text("naive", &text.at(HPos::Left, VPos::Center), (left + scale.i(2.0), naive_row + row / 2))
        .map_err(err)?;
    db.draw_text("multi-window", &text.at(HPos::Left, VPos::Center), (left + scale.i(2.0), multi_row + row / 2))
        .map_err(err)?;

    // The playhead.
    let x = x_of(c.now as f64);
    dashed(db, &[(x, top), (x, bottom_rows)], scale.px(4.0), scale.px(3.0), &pal.fg.stroke(scale.px(1.0)))?;
    db.present().map_err(err)
}

/// The chart's data as far as the playhead, hour by hour: the budget left at the hour's start
/// (%), and the minutes of the hour an incident ran and each kind of alert fired (what the bands
/// and the rows below the line show).
pub fn table(c: &BurnChart<'_>) -> model::table::Table {
    let shown = (c.now as usize / 60 + 1).min(c.hourly.len());
    let minutes = |from: u32, spans: &mut dyn Iterator<Item = (u32, u32)>| {
        let to = (from + 60).min(c.now.max(from));
        spans.map(|(a, b)| b.min(to).saturating_sub(a.max(from))).sum::<u32>() as f64
    };
    let firing = |e: &[Episode], from: u32| minutes(from, &mut e.iter().map(|e| (e.start, e.end)));
    let rows = c.hourly[..shown]
        .iter()
        .enumerate()
        .map(|(h, &left)| {
            let from = h as u32 * 60;
            let incidents = minutes(from, &mut c.incidents.iter().map(|i| (i.start, i.end())));
            vec![
                h as f64,
                left * 100.0,
                incidents,
                firing(c.naive, from),
                firing(c.pages, from),
                firing(c.tickets, from),
            ]
        })
        .collect();
    let columns = [
        "hour of the month",
        "budget left (%)",
        "incident (min)",
        "naive page firing (min)",
        "multi-window page firing (min)",
        "ticket firing (min)",
    ];
    model::table::Table { columns: columns.map(String::from).to_vec(), rows, labels: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::slo_burn::{BurnRateParams, Month};

    /// The table follows the chart to the playhead: a row per hour drawn, the budget the line
    /// plots, and every minute of incident and alert the bands and rows show.
    #[test]
    fn its_table_sums_the_bands_and_alerts_hour_by_hour() {
        let p = BurnRateParams::BIG_OUTAGE;
        let m = Month::new(p, p.incidents);
        let mut hourly = Vec::new();
        m.hourly_remaining(&mut hourly);
        let at = |now: u32| BurnChart::of(&m, &hourly, now);
        let end = table(&at(m.minutes()));
        assert_eq!(end.rows.len(), hourly.len());
        assert_eq!(end.columns.len(), 6);
        for (row, &left) in end.rows.iter().zip(&hourly) {
            assert_eq!(row[1], left * 100.0);
        }
        let total = |t: &model::table::Table, c: usize| t.rows.iter().map(|r| r[c]).sum::<f64>();
        let incident_minutes: u32 = m.incidents().iter().map(|i| i.end().min(m.minutes()) - i.start).sum();
        assert_eq!(total(&end, 2), incident_minutes as f64);
        let naive: u32 = m.naive_pages().iter().map(|e| e.end - e.start).sum();
        assert!(naive > 0, "the outage pages");
        assert_eq!(total(&end, 3), naive as f64);
        // Halfway: rows to the playhead only, alerts cut at it.
        let half = table(&at(m.minutes() / 2));
        assert_eq!(half.rows.len(), (m.minutes() / 2 / 60 + 1) as usize);
        assert!(total(&half, 3) <= naive as f64);
        assert_eq!(half.rows.last().unwrap()[2], 0.0, "the partial hour after the playhead counts nothing");
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
    fn a_month_draws_its_budget_incidents_and_alerts() {
        let p = BurnRateParams::BIG_OUTAGE;
        let m = Month::new(p, p.incidents);
        let mut hourly = Vec::new();
        m.hourly_remaining(&mut hourly);
        let chart = BurnChart {
            hourly: &hourly,
            minutes: m.minutes(),
            now: m.minutes(),
            incidents: m.incidents(),
            naive: m.naive_pages(),
            pages: m.multi_pages(),
            tickets: m.tickets(),
        };
        let out = svg(800, 300, |db| draw_burn(db, &Palette::LIGHT, Scale(1.0), &chart).unwrap());
        for t in ["100% of the budget left", "0%", "naive", "multi-window", "day 0", "30"] {
            assert!(says(&out, t), "{t} missing");
        }
        assert!(out.matches("<polygon").count() >= 2, "page triangles");
        assert!(!out.contains("NaN"));
        assert!(crate::charts::smallest_font(&out) >= crate::charts::MIN_FONT_PX, "legible on a phone");
        // The 100 % label sits inside the drawing, above its line.
        let at = out.find("\n100% of the budget left\n</text>").unwrap();
        let tag = &out[out[..at].rfind("<text").unwrap()..at];
        let y: f64 = tag.split("y=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().parse().unwrap();
        assert!(y >= 0.0, "label at y={y}");
        // Degenerate sizes and an empty month do not panic.
        let empty = BurnChart { hourly: &[], minutes: 0, now: 0, incidents: &[], naive: &[], pages: &[], tickets: &[] };
        for (w, h) in [(1, 1), (40, 30), (2_000, 90)] {
            let out = svg(w, h, |db| draw_burn(db, &Palette::LIGHT, Scale(2.0), &empty).unwrap());
            assert!(!out.contains("NaN"));
        }
    }
}
