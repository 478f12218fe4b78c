//! The decision matrix's tornado: one bar per criterion spanning the winner's lead as that
//! criterion's weight sweeps from 0 to 100% (the others keeping their proportions). A bar that
//! crosses zero could flip the decision on its own; its label says at what weight. Colour is not
//! the only signal: the part of a bar past zero is hatched, and every bar carries its words.

use super::{dashed, err, fill, DrawingBackend, Label, Scale};
use crate::ui::theme::Palette;
use model::decision_matrix::{points, TornadoBar};
use plotters_backend::text_anchor::{HPos, VPos};

/// Draws the bars (widest first, as given), a zero line and the current lead as a dashed line.
/// `lead` is the winner's margin now; `winner` names it for the axis.
pub fn draw_tornado<DB: DrawingBackend>(
    db: &mut DB,
    pal: &Palette,
    scale: Scale,
    bars: &[TornadoBar],
    lead: f64,
    winner: &str,
) -> Result<(), String> {
    fill(db, pal.bg)?;
    let (w, h) = db.get_size();
    let (w, h) = (w as i32, h as i32);
    let margin = scale.i(8.0);
    let text = Label::new(pal.fg, scale.font(12.0));
    let small = Label::new(pal.fg, scale.font(11.0));
    let title = format!("{winner}'s lead as one weight goes 0 → 100%");
    db.draw_text(&title, &Label::new(pal.fg, scale.font(13.0)).at(HPos::Center, VPos::Top), (w / 2, margin))
        .map_err(err)?;
    if bars.is_empty() {
        let msg = "The hard constraints decide: no weight changes the answer";
        db.draw_text(msg, &text.at(HPos::Center, VPos::Center), (w / 2, h / 2)).map_err(err)?;
        return db.present().map_err(err);
    }
    let left = margin + scale.i(86.0);
    // A column for the words on the right when there is room, else the words go under each bar.
    let words_col = scale.i(150.0);
    let column = w - left - margin >= words_col + scale.i(200.0);
    let right = if column { w - margin - words_col } else { w - margin - scale.i(8.0) }.max(left + scale.i(40.0));
    let top = margin + scale.i(26.0);
    let bottom = (h - margin - scale.i(34.0)).max(top + scale.i(30.0));
    // Symmetric range around zero, to a round number.
    let reach = bars
        .iter()
        .map(|b| b.low.abs().max(b.high.abs()))
        .chain([lead.abs()])
        .filter(|x| x.is_finite())
        .fold(0.5, f64::max);
    let reach = super::series::nice_ceiling(reach);
    let x_of = |v: f64| {
        let v = model::num::clamp(v, -reach, reach);
        left + (((v + reach) / (2.0 * reach)) * f64::from(right - left)).round() as i32
    };
    let zero = x_of(0.0);
    // Axis ticks and label.
    for t in super::ticks(-reach, reach, 4) {
        let x = x_of(t);
        db.draw_line((x, top), (x, bottom), &pal.grid.color()).map_err(err)?;
        let label = if t == 0.0 { "0".to_string() } else { model::fmt::short(t, 2).replace('-', "−") };
        db.draw_text(&label, &small.at(HPos::Center, VPos::Top), (x, bottom + scale.i(3.0))).map_err(err)?;
    }
    db.draw_text(
        "lead in points (below 0: another provider wins)",
        &small.at(HPos::Center, VPos::Bottom),
        ((left + right) / 2, h - margin / 2),
    )
    .map_err(err)?;
    db.draw_line((zero, top), (zero, bottom), &pal.fg.stroke(scale.px(1.5))).map_err(err)?;

    let n = bars.len() as f64;
    let band = f64::from(bottom - top) / n;
    let ahead = pal.series[0];
    let behind = pal.series[1];
    for (k, b) in bars.iter().enumerate() {
        let mid = f64::from(top) + band * (k as f64 + 0.5);
        let half = (band * if column { 0.3 } else { 0.16 }).max(2.0);
        // On a narrow chart the bar sits in the upper part of its band, its words under it.
        let mid = if column { mid } else { mid - band * 0.18 };
        let (y0, y1, cy) = ((mid - half).round() as i32, (mid + half).round() as i32, mid.round() as i32);
        db.draw_text(b.criterion.short_label(), &text.at(HPos::Right, VPos::Center), (left - scale.i(6.0), cy))
            .map_err(err)?;
        let (lo, hi) = (x_of(b.low), x_of(b.high));
        // The part where the winner stays ahead, solid; the part past zero, hatched.
        if hi > zero {
            db.draw_rect((lo.max(zero), y0), (hi, y1), &ahead.color(), true).map_err(err)?;
        }
        if lo < zero {
            let end = hi.min(zero);
            db.draw_rect((lo, y0), (end, y1), &behind.color(), false).map_err(err)?;
            let step = scale.i(5.0).max(3);
            let mut x = lo;
            while x < end {
                let x2 = (x + (y1 - y0)).min(end);
                db.draw_line((x, y1), (x2, y1 - (x2 - x)), &behind.stroke(scale.px(1.0))).map_err(err)?;
                x += step;
            }
        }
        // Today's weight on this bar: a tick.
        let words = match b.flips_at {
            Some(f) => format!("flips at {}% (now {}%)", points(f), points(b.weight)),
            None => format!("never flips (now {}%)", points(b.weight)),
        };
        // In the right-hand column, or under the bar on a narrow chart.
        let (at, style) = if column {
            ((right + scale.i(8.0), cy), small.at(HPos::Left, VPos::Center))
        } else {
            ((left + scale.i(2.0), y1 + scale.i(1.0)), small.at(HPos::Left, VPos::Top))
        };
        db.draw_text(&words, &style, at).map_err(err)?;
    }
    // The lead now, dashed across all bars.
    let x = x_of(lead);
    dashed(db, &[(x, top - scale.i(4.0)), (x, bottom)], scale.px(4.0), scale.px(3.0), &pal.fg.stroke(scale.px(1.0)))?;
    db.draw_text(
        &format!("now {}", model::fmt::fixed(lead, 2)),
        &small.at(HPos::Left, VPos::Bottom),
        (x + scale.i(3.0), top - scale.i(2.0)),
    )
    .map_err(err)?;
    db.present().map_err(err)
}

/// The tornado's data: a row per bar in the order drawn (its criterion), the winner's lead (in
/// points) with that weight at 0 and at 100%, the bar's ends, and the weight now and where it
/// alone would flip the decision (%; empty: never).
pub fn table(bars: &[TornadoBar]) -> model::table::Table {
    let labels: Vec<&str> = bars.iter().map(|b| b.criterion.label()).collect();
    let col = |f: fn(&TornadoBar) -> f64| bars.iter().map(f).collect::<Vec<f64>>();
    model::table::Table::labelled(
        "criterion",
        &labels,
        &[
            ("lead at weight 0", &col(|b| b.at_zero)),
            ("lead at weight 100%", &col(|b| b.at_one)),
            ("lowest lead", &col(|b| b.low)),
            ("highest lead", &col(|b| b.high)),
            ("weight now (%)", &col(|b| b.weight * 100.0)),
            ("flips at weight (%)", &col(|b| b.flips_at.map_or(f64::NAN, |f| f * 100.0))),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::decision_matrix::{analyse, MatrixParams};

    /// The table lists the bars as drawn: the example's expertise bar flips at 23.5% (now 35%),
    /// and one bar never flips (an empty cell).
    #[test]
    fn its_table_has_a_row_per_bar() {
        let r = analyse(&MatrixParams::EXAMPLE);
        let t = table(&r.tornado);
        assert_eq!(t.rows.len(), r.tornado.len());
        assert_eq!(t.columns.len(), 7);
        assert_eq!(t.columns[0], "criterion");
        for (i, b) in r.tornado.iter().enumerate() {
            assert_eq!(t.label(i), Some(b.criterion.label()));
            assert_eq!(&t.rows[i][..4], &[b.at_zero, b.at_one, b.low, b.high]);
        }
        let row = |c: &str| t.labels.iter().position(|l| l.starts_with(c)).map(|i| &t.rows[i]).unwrap();
        assert!((row("Team expertise")[4] - 35.0).abs() < 1e-9);
        assert_eq!(model::fmt::short(row("Team expertise")[5], 1), "23.5");
        assert!(t.rows.iter().any(|r| r[5].is_nan()), "a bar that never flips");
        assert!(t.csv().lines().count() == r.tornado.len() + 1);
    }

    fn svg(w: u32, h: u32, f: impl FnOnce(&mut plotters_svg::SVGBackend<'_>)) -> String {
        let mut out = String::new();
        f(&mut plotters_svg::SVGBackend::with_string(&mut out, (w, h)));
        out
    }

    #[test]
    fn the_default_tornado_names_each_criterion_and_its_flip() {
        let r = analyse(&MatrixParams::EXAMPLE);
        for (w, h) in [(560, 300), (340, 260), (1200, 630)] {
            let out = svg(w, h, |db| {
                draw_tornado(db, &Palette::LIGHT, Scale(1.0), &r.tornado, r.margin.unwrap(), "AWS").unwrap()
            });
            for t in [
                "Expertise",
                "Requirements",
                "Price",
                "Ecosystem",
                "Service fit",
                "flips at 23.5% (now 35%)",
                "now 0.30",
            ] {
                assert!(out.contains(t), "{t} missing at {w}×{h}");
            }
            assert!(out.contains("never flips (now 10%)"));
            assert!(!out.contains("NaN") && !out.contains("inf"));
            assert!(crate::charts::smallest_font(&out) >= crate::charts::MIN_FONT_PX);
        }
    }

    #[test]
    fn no_bars_says_the_constraints_decide() {
        let p = MatrixParams { contract: Some(model::cloud::Provider::Azure), ..MatrixParams::EXAMPLE };
        let r = analyse(&p);
        let out = svg(400, 240, |db| draw_tornado(db, &Palette::LIGHT, Scale(1.0), &r.tornado, 0.0, "Azure").unwrap());
        assert!(out.contains("The hard constraints decide"));
    }
}
