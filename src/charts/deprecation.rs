//! The deprecation timeline: the share of traffic still on the old version, month by month after
//! deprecation, with the sunset marked.

use super::series::{draw_chart, Axes, Line, LineChart, Marker, Sink};
use super::{DrawingBackend, Scale};
use crate::ui::theme::Palette;
use model::schema_evolution::TimelineReport;

/// What the chart's line shows.
pub const LINE: &str = "old version (illustrative S-curve)";

/// The old version's share of traffic (%) against months after deprecation, the sunset marked
/// at `notice_months`.
pub fn draw_deprecation<DB: DrawingBackend>(
    db: &mut DB,
    pal: &Palette,
    scale: Scale,
    t: &TimelineReport,
    notice_months: f64,
) -> Result<(), String> {
    draw_chart(db, pal, scale, |o| deprecation(t, notice_months, o))
}

/// The deprecation chart's parts (what it draws, and its table: `series::table_of`).
pub fn deprecation(t: &TimelineReport, notice_months: f64, out: Sink<'_>) {
    let points: Vec<(f64, f64)> = t.curve.iter().map(|&(m, s)| (m, s * 100.0)).collect();
    let sunset = format!("sunset {}: {} left", t.sunset_on, model::fmt::percent_fine(t.old_share_at_sunset));
    out(&LineChart {
        axes: Axes {
            x_label: "months after deprecation",
            y_label: "% on old version",
            y_min_top: 100.0,
            x_min_span: 12.0,
            y_max: 100.0,
        },
        lines: &[Line { label: LINE, color: 0, points: &points, dashed: false }],
        markers: &[Marker { x: notice_months, label: &sunset }],
        references: &[],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::schema_evolution::{timeline, TimelineParams};

    fn svg(w: u32, h: u32, f: impl FnOnce(&mut plotters_svg::SVGBackend<'_>)) -> String {
        let mut out = String::new();
        f(&mut plotters_svg::SVGBackend::with_string(&mut out, (w, h)));
        out
    }

    #[test]
    fn the_sunset_is_marked_with_what_is_left() {
        for (p, label) in [
            (TimelineParams::ILLUSTRATIVE, "sunset 2023-11-28: 32% left"),
            (TimelineParams::GITHUB, "sunset 2024-11-28: 2.5% left"),
        ] {
            let t = timeline(&p);
            let out = svg(640, 260, |db| {
                draw_deprecation(db, &Palette::LIGHT, Scale(1.0), &t, p.notice_months as f64).unwrap()
            });
            assert!(out.contains(label), "{label}");
            assert!(out.contains(LINE));
            assert!(out.contains("months after deprecation"));
            // A polyline for the curve.
            assert!(out.contains("<polyline"), "{out}");
        }
    }

    /// The table lists the drawn curve: months and the share in percent, a row per point.
    #[test]
    fn its_table_is_the_curve_in_percent() {
        let t = timeline(&TimelineParams::ILLUSTRATIVE);
        let table = crate::charts::series::table_of(|o| deprecation(&t, 6.0, o));
        assert_eq!(table.columns, ["months after deprecation", LINE]);
        assert_eq!(table.rows.len(), t.curve.len());
        for (row, &(m, s)) in table.rows.iter().zip(&t.curve) {
            assert_eq!(row, &vec![m, s * 100.0]);
        }
    }

    #[test]
    fn tiny_canvases_do_not_fail() {
        let t = timeline(&TimelineParams::HURRIED);
        svg(10, 10, |db| draw_deprecation(db, &Palette::LIGHT, Scale(2.0), &t, 6.0).unwrap());
    }
}
