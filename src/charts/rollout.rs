//! The rollout chart: traffic per version (stacked, requests a second) above the failures per
//! second (the old version's share grey, the excess red), on one time axis, with the run's
//! moments (detected, rollback, back on the old version, 100 % new) marked across both.

use super::series::{nice_ceiling, short, Marker};
use super::{dashed, err, fill, ticks, DrawingBackend, Label, Rgb, Scale};
use crate::ui::theme::Palette;
use model::fmt::percent_fine;
use model::rollout::RolloutSample;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::BackendCoord;

/// The colours of the chart's parts (shared with the HTML legend's swatches in `rollout.css`).
pub struct Colours {
    pub old: Rgb,
    pub new: Rgb,
    pub excess: Rgb,
    pub baseline: Rgb,
}

impl Colours {
    pub fn of(pal: &Palette) -> Colours {
        Colours { old: pal.series[0], new: pal.series[2], excess: pal.series[1], baseline: pal.muted }
    }
}

/// `a` moved `t` of the way to `b`.
fn mix(a: Rgb, b: Rgb, t: f64) -> Rgb {
    let m = |x: u8, y: u8| (x as f64 + (y as f64 - x as f64) * t).round() as u8;
    Rgb(m(a.0, b.0), m(a.1, b.1), m(a.2, b.2))
}

/// What one pixel column of the chart shows: means over the seconds it covers.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Column {
    old: f64,
    new: f64,
    unserved: f64,
    baseline: f64,
    excess: f64,
}

/// The samples averaged into `n` columns spanning 0 to `span_s` seconds (columns past the last
/// sample are `None`). Samples are consecutive seconds, sample `i` covering (t − 1, t].
fn columns(samples: &[RolloutSample], span_s: f64, n: usize) -> impl Iterator<Item = Option<Column>> + '_ {
    let first = samples.first().map_or(1, |s| s.t_s) as f64 - 1.0;
    (0..n).map(move |c| {
        let (ta, tb) = (span_s * c as f64 / n as f64, span_s * (c + 1) as f64 / n as f64);
        let i0 = (ta - first).floor().max(0.0) as usize;
        let i1 = ((tb - first).ceil().max(0.0) as usize).max(i0 + 1).min(samples.len());
        if i0 >= samples.len() || tb <= first {
            return None;
        }
        let k = (i1 - i0) as f64;
        let mut col = Column::default();
        for s in &samples[i0..i1] {
            col.old += s.old as f64 / k;
            col.new += s.new as f64 / k;
            col.unserved += s.unserved as f64 / k;
            col.baseline += s.failed_baseline as f64 / k;
            col.excess += s.excess as f64 / k;
        }
        Some(col)
    })
}

/// One plot's rectangle and y range.
#[derive(Clone, Copy)]
struct Band {
    top: i32,
    bottom: i32,
    y_max: f64,
}

impl Band {
    fn y(&self, v: f64) -> i32 {
        let f = if self.y_max > 0.0 { model::num::clamp(v / self.y_max, 0.0, 1.0) } else { 0.0 };
        self.bottom - (f * (self.bottom - self.top) as f64).round() as i32
    }
}

/// What the chart shows of a run.
pub struct RolloutChart<'a> {
    /// One sample a second, from the start.
    pub samples: &'a [RolloutSample],
    /// Requests a second (the traffic plot's top).
    pub rps: f64,
    /// The new version's share of traffic now, for the direct labels (NaN: the last second's).
    pub share_new: f64,
    /// Seconds the time axis covers at least (A and B share one span).
    pub span_s: f64,
    /// The run's moments, in seconds.
    pub markers: &'a [Marker<'a>],
}

/// Draws the rollout chart.
pub fn draw_rollout<DB: DrawingBackend>(
    db: &mut DB,
    pal: &Palette,
    scale: Scale,
    chart: &RolloutChart<'_>,
) -> Result<(), String> {
    let RolloutChart { samples, rps, share_new, span_s, markers } = *chart;
    fill(db, pal.bg)?;
    let (w, h) = db.get_size();
    // Two plots share the height: the legend, the gap and the time axis (about 100 px at 1×)
    // may take at most 42 % of it, so a talk slide's bigger type does not squash the plots.
    let scale = Scale(scale.0.min((h as f64 * 0.42 / 100.0).max(0.5)));
    let colours = Colours::of(pal);
    let text = Label::new(pal.fg, scale.font(12.0));
    let small = Label::new(pal.fg, scale.font(11.0));
    let last_t = samples.last().map_or(0.0, |s| s.t_s as f64);
    let span_s = span_s.max(last_t).max(10.0);
    let minutes = span_s > 300.0;

    // Layout: legend, traffic plot (60 %), failures plot, time axis.
    let margin = scale.i(8.0);
    let left = margin + scale.i(52.0);
    let right = (w as i32 - margin - scale.i(12.0)).max(left + 1);
    // The legend, in as many rows as the width needs.
    let light = |c: Rgb| mix(c, pal.bg, 0.45);
    let row_h = scale.i(16.0);
    let (mut lx, mut ly) = (left, scale.i(12.0));
    let legend = [
        ("new version", light(colours.new), true),
        ("old version", light(colours.old), false),
        ("excess failures", colours.excess, false),
        ("baseline failures", colours.baseline, false),
    ]
    .map(|(label, c, striped)| {
        let wide = scale.i(18.0) + (label.len() as f64 * scale.font(6.2)) as i32;
        if lx > left && lx + wide > right {
            (lx, ly) = (left, ly + row_h);
        }
        let at = (lx, ly);
        lx += wide + scale.i(10.0);
        (label, c, striped, at)
    });
    let top = ly + scale.i(16.0);
    let axis_h = scale.i(40.0);
    let bottom = (h as i32 - margin - axis_h).max(top + 4);
    // Room between the plots for the traffic plot's 0 and the failures plot's top tick.
    let gap = scale.i(18.0);
    let split = top + ((bottom - top - gap) as f64 * 0.6).round() as i32;
    let traffic = Band { top, bottom: split, y_max: nice_ceiling(rps.max(1.0)) };
    let n = (right - left).max(1) as usize;
    let cols: Vec<Option<Column>> = columns(samples, span_s, n).collect();
    let worst = cols.iter().flatten().map(|c| c.baseline + c.excess).fold(0.0, f64::max);
    let failures = Band { top: split + gap, bottom, y_max: nice_ceiling((worst * 1.1).max(5.0)) };
    let x_of = |t: f64| left + ((t / span_s) * (right - left) as f64).round() as i32;

    // Grid and y ticks of each plot.
    let (grid, axis) = (pal.grid.color(), pal.muted.color());
    let tick = scale.i(5.0);
    for (band, long, short_title) in [(traffic, "requests / s", "req/s"), (failures, "failures / s", "fail/s")] {
        let room = f64::from(band.bottom - band.top) / (scale.font(12.0) * 2.0);
        for y in ticks(0.0, band.y_max, model::num::clamp(room.floor(), 1.0, 4.0) as usize) {
            let py = band.y(y);
            db.draw_line((left, py), (right, py), &grid).map_err(err)?;
            db.draw_line((left - tick, py), (left, py), &axis).map_err(err)?;
            db.draw_text(&short(y), &text.at(HPos::Right, VPos::Center), (left - tick - scale.i(3.0), py))
                .map_err(err)?;
        }
        db.draw_line((left, band.top), (left, band.bottom), &axis).map_err(err)?;
        db.draw_line((left, band.bottom), (right, band.bottom), &axis).map_err(err)?;
        // The axis title along its plot, shortened when the plot is shorter than it.
        let mid = (band.top + band.bottom) / 2;
        let fits = |t: &str| (t.len() as f64 * scale.font(6.5)) as i32 <= band.bottom - band.top;
        let title = if fits(long) { long } else { short_title };
        db.draw_text(title, &small.upwards().at(HPos::Center, VPos::Top), (margin, mid)).map_err(err)?;
    }

    // Stacked areas: each an upper edge forward and a lower edge back.
    let area = |db: &mut DB, band: Band, lo: &dyn Fn(&Column) -> f64, hi: &dyn Fn(&Column) -> f64, c: Rgb| {
        let mut pts: Vec<BackendCoord> = Vec::with_capacity(2 * n + 2);
        let drawn = cols.iter().enumerate().filter_map(|(i, c)| Some((left + i as i32, (*c)?)));
        for (x, c) in drawn.clone() {
            pts.push((x, band.y(hi(&c))));
        }
        let Some(&(last_x, _)) = pts.last() else { return Ok(()) };
        pts.push((last_x + 1, pts[pts.len() - 1].1));
        let back: Vec<(i32, Column)> = drawn.collect();
        pts.push((last_x + 1, band.y(lo(&back[back.len() - 1].1))));
        for &(x, c) in back.iter().rev() {
            pts.push((x, band.y(lo(&c))));
        }
        db.fill_polygon(pts, &c.color()).map_err(err)
    };
    // The new version at the bottom, so that a 1 % canary sits on the axis where it can be seen.
    area(db, traffic, &|_| 0.0, &|c| c.new, light(colours.new))?;
    area(db, traffic, &|c| c.new, &|c| c.new + c.old, light(colours.old))?;
    area(db, traffic, &|c| c.new + c.old, &|c| c.new + c.old + c.unserved, light(colours.excess))?;
    area(db, failures, &|_| 0.0, &|c| c.baseline, colours.baseline)?;
    area(db, failures, &|c| c.baseline, &|c| c.baseline + c.excess, colours.excess)?;
    // The new version's band is striped, so it reads without its colour.
    let stripe = colours.new.stroke(scale.px(1.0));
    let every = scale.i(6.0).max(3) as usize;
    for (i, c) in cols.iter().enumerate().step_by(every) {
        let Some(c) = c else { break };
        let (y0, y1) = (traffic.y(0.0), traffic.y(c.new));
        if y0 - y1 >= 3 {
            let x = left + i as i32;
            db.draw_line((x, y0), (x, y1), &stripe).map_err(err)?;
        }
    }
    // The edge between the versions, drawn on top so a thin canary band still shows.
    let edge: Vec<BackendCoord> =
        cols.iter().enumerate().filter_map(|(i, c)| Some((left + i as i32, traffic.y((*c)?.new)))).collect();
    db.draw_path(edge.iter().copied(), &colours.new.stroke(scale.px(2.0 * pal.stroke as f64))).map_err(err)?;

    // Time axis.
    let (unit, per) =
        if minutes { ("minutes since the rollout started", 60.0) } else { ("seconds since the rollout started", 1.0) };
    for t in ticks(0.0, span_s / per, 6) {
        let px = x_of(t * per);
        db.draw_line((px, traffic.top), (px, traffic.bottom), &grid).map_err(err)?;
        db.draw_line((px, failures.top), (px, failures.bottom), &grid).map_err(err)?;
        db.draw_line((px, bottom), (px, bottom + tick), &axis).map_err(err)?;
        db.draw_text(&short(t), &text.at(HPos::Center, VPos::Top), (px, bottom + tick + scale.i(3.0))).map_err(err)?;
    }
    db.draw_text(unit, &text.at(HPos::Center, VPos::Bottom), ((left + right) / 2, h as i32 - margin)).map_err(err)?;

    // Direct labels at the end of the traffic: each version's share of traffic now, right of
    // the data where the run has ended early (the other run's axis is longer), else inside it.
    if let Some(s) = samples.last() {
        let end = x_of(last_t).min(right);
        let (x, h) = if right - end > scale.i(90.0) {
            (end + scale.i(4.0), HPos::Left)
        } else {
            (end - scale.i(4.0), HPos::Right)
        };
        if s.unserved > s.old + s.new {
            let at = text.at(h, VPos::Center);
            db.draw_text("no pod ready: requests fail", &at, (x, traffic.y(rps / 2.0))).map_err(err)?;
        } else {
            let served = (s.old + s.new).max(1) as f64;
            let share =
                if share_new.is_finite() { model::num::clamp(share_new, 0.0, 1.0) } else { s.new as f64 / served };
            let new_top = traffic.y(s.new as f64);
            let ny = (new_top - scale.i(3.0)).max(traffic.top + scale.i(14.0));
            // Low in the old band, below the moments' labels along the top.
            let old_y = traffic.y(s.new as f64 + s.old as f64 * 0.3);
            if share < 1.0 && ((old_y - ny).abs() > scale.i(14.0) || share == 0.0) {
                let label = format!("old {}", percent_fine(1.0 - share));
                db.draw_text(&label, &text.at(h, VPos::Center), (x, old_y)).map_err(err)?;
            }
            if share > 0.0 {
                let label = format!("new {}", percent_fine(share));
                db.draw_text(&label, &text.at(h, VPos::Bottom), (x, ny)).map_err(err)?;
            }
        }
    }

    // The run's moments, across both plots.
    let fg = pal.fg.stroke(scale.px(1.0));
    for (k, m) in markers.iter().enumerate() {
        if !(m.x.is_finite() && m.x >= 0.0 && m.x <= span_s) {
            continue;
        }
        let px = x_of(m.x);
        dashed(db, &[(px, traffic.top), (px, bottom)], scale.px(3.0), scale.px(3.0), &fg)?;
        let py = traffic.top + scale.i(2.0) + k as i32 * scale.i(14.0);
        let lw = (m.label.len() as f64 * scale.font(6.3)) as i32;
        // Right of the line, or left of it near the right edge, on a patch of background.
        let leftwards = px + scale.i(4.0) + lw > right;
        let (lx, anchor) = if leftwards { (px - scale.i(4.0), HPos::Right) } else { (px + scale.i(4.0), HPos::Left) };
        let bx = if leftwards { lx - lw - scale.i(2.0) } else { lx - scale.i(2.0) };
        db.draw_rect((bx, py), (bx + lw + scale.i(4.0), py + scale.i(13.0)), &pal.bg.color(), true).map_err(err)?;
        db.draw_text(m.label, &small.at(anchor, VPos::Top), (lx, py)).map_err(err)?;
    }

    // Legend above the plots.
    for (label, c, striped, (x, y)) in legend {
        let sw = scale.i(14.0);
        db.draw_rect((x, y - scale.i(5.0)), (x + sw, y + scale.i(5.0)), &c.color(), true).map_err(err)?;
        if striped {
            for dx in (scale.i(2.0)..sw).step_by(scale.i(5.0).max(3) as usize) {
                db.draw_line((x + dx, y - scale.i(5.0)), (x + dx, y + scale.i(5.0)), &stripe).map_err(err)?;
            }
        }
        db.draw_text(label, &small.at(HPos::Left, VPos::Center), (x + sw + scale.i(4.0), y)).map_err(err)?;
    }
    db.present().map_err(err)
}

/// The chart's data: a row per second of the run (the chart averages them into its pixel
/// columns), the requests each version served, those no ready pod could, and the failures the
/// old version would have had too and the excess.
pub fn table(chart: &RolloutChart<'_>) -> model::table::Table {
    let columns = [
        "seconds since the rollout started",
        "old version (req/s)",
        "new version (req/s)",
        "no pod ready (req/s)",
        "baseline failures (/s)",
        "excess failures (/s)",
    ];
    let rows = chart
        .samples
        .iter()
        .map(|s| [s.t_s, s.old, s.new, s.unserved, s.failed_baseline, s.excess].map(f64::from).to_vec())
        .collect();
    model::table::Table { columns: columns.map(String::from).to_vec(), rows, labels: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::des::SEC;

    /// A row per second drawn, the stacked parts as columns.
    #[test]
    fn its_table_lists_every_second() {
        let mut sim = RolloutSim::new(RolloutParams::CANARY_1.with_release(Release::ObviousBug), 1);
        sim.advance(90 * SEC);
        let samples: Vec<RolloutSample> = sim.series().iter().copied().collect();
        let chart = RolloutChart { samples: &samples, rps: 1_000.0, share_new: f64::NAN, span_s: 60.0, markers: &[] };
        let t = table(&chart);
        assert_eq!(t.rows.len(), samples.len());
        assert_eq!(t.columns.len(), 6);
        for (row, s) in t.rows.iter().zip(&samples) {
            assert_eq!(row[0], f64::from(s.t_s));
            assert_eq!(row[1] + row[2] + row[3], f64::from(s.old + s.new + s.unserved));
            assert_eq!(row[5], f64::from(s.excess));
        }
        assert!(t.rows.iter().any(|r| r[2] > 0.0 && r[5] > 0.0), "the canary serves and fails");
    }
    use model::rollout::{Release, RolloutParams, RolloutSim};

    fn svg(w: u32, h: u32, f: impl FnOnce(&mut plotters_svg::SVGBackend<'_>)) -> String {
        let mut out = String::new();
        f(&mut plotters_svg::SVGBackend::with_string(&mut out, (w, h)));
        out
    }

    fn says(svg: &str, t: &str) -> bool {
        svg.contains(&format!("\n{t}\n</text>"))
    }

    #[test]
    fn columns_average_the_seconds_they_cover() {
        let s = |t: u32, old: u32, new: u32| RolloutSample { t_s: t, old, new, ..Default::default() };
        let samples = [s(1, 100, 0), s(2, 50, 50), s(3, 0, 100), s(4, 0, 100)];
        // Two columns over 4 s: seconds 1–2 and 3–4.
        let c: Vec<_> = columns(&samples, 4.0, 2).collect();
        assert_eq!(c[0].map(|c| (c.old, c.new)), Some((75.0, 25.0)));
        assert_eq!(c[1].map(|c| (c.old, c.new)), Some((0.0, 100.0)));
        // Eight columns over 8 s: data for the first four, none after.
        let c: Vec<_> = columns(&samples, 8.0, 8).collect();
        assert_eq!(c.iter().filter(|c| c.is_some()).count(), 4);
        assert_eq!(c[2].map(|c| c.new), Some(100.0));
        assert_eq!(columns(&[], 10.0, 5).flatten().count(), 0);
    }

    #[test]
    fn a_rollout_chart_has_its_plots_labels_and_markers() {
        let mut sim = RolloutSim::new(RolloutParams::BLUE_GREEN.with_release(Release::ObviousBug), 1);
        sim.advance(400 * SEC);
        let samples: Vec<RolloutSample> = sim.series().iter().copied().collect();
        let s = sim.snapshot();
        let at = |t: Option<u64>| t.map_or(f64::NAN, |t| t as f64 / SEC as f64);
        let markers = [
            Marker { x: at(s.detected_at), label: "detected" },
            Marker { x: at(s.rollback_at), label: "rollback" },
            Marker { x: at(s.rolled_back_at), label: "back on old" },
            Marker { x: f64::NAN, label: "never" },
        ];
        let chart =
            RolloutChart { samples: &samples, rps: 1_000.0, share_new: s.share_new, span_s: 60.0, markers: &markers };
        let out = svg(700, 300, |db| draw_rollout(db, &Palette::LIGHT, Scale(1.0), &chart).unwrap());
        for text in [
            "requests / s",
            "failures / s",
            "minutes since the rollout started",
            "new version",
            "old version",
            "excess failures",
            "baseline failures",
            "detected",
            "rollback",
            "back on old",
            "old 100%",
            "1k",
        ] {
            assert!(says(&out, text), "{text} missing from the SVG");
        }
        assert!(!says(&out, "never"), "a moment that did not happen is not drawn");
        assert!(out.matches("<polygon").count() >= 5, "stacked areas");
        assert!(!out.contains("NaN") && !out.contains("inf"));
        assert!(crate::charts::smallest_font(&out) >= crate::charts::MIN_FONT_PX, "legible on a phone");
    }

    #[test]
    fn a_short_run_uses_seconds_and_degenerate_sizes_do_not_panic() {
        let mut sim = RolloutSim::new(RolloutParams::CANARY_1.with_release(Release::Good), 1);
        sim.advance(45 * SEC);
        let samples: Vec<RolloutSample> = sim.series().iter().copied().collect();
        let share_new = sim.snapshot().share_new;
        let chart = RolloutChart { samples: &samples, rps: 1_000.0, share_new, span_s: 60.0, markers: &[] };
        let out = svg(500, 240, |db| draw_rollout(db, &Palette::LIGHT, Scale(1.0), &chart).unwrap());
        assert!(says(&out, "seconds since the rollout started"));
        assert!(says(&out, "new 1.0%") && says(&out, "old 99%"));
        let chart = RolloutChart { span_s: 0.0, share_new: f64::NAN, ..chart };
        for (w, h) in [(1, 1), (30, 20), (2_000, 90)] {
            let out = svg(w, h, |db| draw_rollout(db, &Palette::LIGHT, Scale(2.0), &chart).unwrap());
            assert!(!out.contains("NaN"));
        }
        let empty = RolloutChart { samples: &[], rps: f64::NAN, share_new: f64::NAN, span_s: f64::NAN, markers: &[] };
        let out = svg(400, 200, |db| draw_rollout(db, &Palette::LIGHT, Scale(1.0), &empty).unwrap());
        assert!(!out.contains("NaN"));
        // A recreate's downtime says so.
        let mut sim = RolloutSim::new(RolloutParams::BIG_BANG, 1);
        sim.advance(10 * SEC);
        let samples: Vec<RolloutSample> = sim.series().iter().copied().collect();
        let chart = RolloutChart { samples: &samples, rps: 1_000.0, share_new: 0.0, span_s: 60.0, markers: &[] };
        let out = svg(500, 240, |db| draw_rollout(db, &Palette::LIGHT, Scale(1.0), &chart).unwrap());
        assert!(says(&out, "no pod ready: requests fail"));
    }
}
