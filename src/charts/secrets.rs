//! The "leak now" timeline: a row for the credential (its rotations or renewals as ticks, or
//! "never rotated"), then a row per leak — the leaked credential's remaining life as a thin grey
//! bar, the exposure so far as a thick bar with a ✕ where it leaked, and how it closed
//! ("rotated", "revoked") once it has. Time runs along the bottom; the playhead is dashed. What
//! lies right of the playhead is not drawn (the reader watches the window run).

use super::{dashed, err, fill, ticks, DrawingBackend, Label, Scale};
use crate::ui::theme::Palette;
use model::secrets::{Closed, Leak};
use plotters_backend::text_anchor::{HPos, VPos};

/// What the chart draws, in simulated seconds.
pub struct SecretsChart<'a> {
    pub horizon: u64,
    pub now: u64,
    /// Rotations or renewals within the horizon (empty: never rotated).
    pub rotations: &'a [u64],
    pub never: bool,
    pub leaks: &'a [Leak],
}

/// The unit the axis counts in for a span of `horizon` seconds: (seconds per unit, suffix).
pub fn axis_unit(horizon: u64) -> (f64, &'static str) {
    if horizon >= 3 * 86_400 {
        (86_400.0, "d")
    } else if horizon >= 3 * 3_600 {
        (3_600.0, "h")
    } else {
        (60.0, "min")
    }
}

/// Leak `i`'s label by `now`, and whether its window has closed.
fn leak_label(i: usize, l: &Leak, now: u64) -> (String, bool) {
    match l.closed(now) {
        Closed::Open => (format!("leak {}: open", i + 1), false),
        Closed::Expired => (format!("leak {}: rotated/expired", i + 1), true),
        Closed::Revoked => (format!("leak {}: revoked", i + 1), true),
    }
}

/// The chart's data: a row per leak drawn (its label says how it closed), when it leaked, how
/// long the credential has been useful to whoever holds it, and when that closed (empty: still
/// open), in the axis's unit.
pub fn table(c: &SecretsChart<'_>) -> model::table::Table {
    let (unit, suffix) = axis_unit(c.horizon);
    let leaks: Vec<(usize, &Leak)> = c.leaks.iter().enumerate().filter(|(_, l)| l.at <= c.now).collect();
    let labels: Vec<String> = leaks.iter().map(|&(i, l)| leak_label(i, l, c.now).0).collect();
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    let col = |f: &dyn Fn(&Leak) -> f64| leaks.iter().map(|(_, l)| f(l) / unit).collect::<Vec<f64>>();
    let closed = |l: &Leak| l.end().filter(|&e| e <= c.now).map_or(f64::NAN, |e| e as f64);
    model::table::Table::labelled(
        "leak",
        &labels,
        &[
            (&format!("leaked at ({suffix})"), &col(&|l| l.at as f64)),
            (&format!("exposed so far ({suffix})"), &col(&|l| l.exposed(c.now) as f64)),
            (&format!("closed at ({suffix})"), &col(&closed)),
        ],
    )
}

pub fn draw_secrets<DB: DrawingBackend>(
    db: &mut DB,
    pal: &Palette,
    scale: Scale,
    c: &SecretsChart<'_>,
) -> Result<(), String> {
    fill(db, pal.bg)?;
    let (w, h) = db.get_size();
    let (w, h) = (w as i32, h as i32);
    let left = scale.i(8.0);
    let right = w - scale.i(8.0);
    let axis = scale.i(20.0);
    let top = scale.i(4.0);
    let bottom = h - axis;
    if right <= left + 20 || bottom <= top + 20 {
        return db.present().map_err(err);
    }
    let horizon = c.horizon.max(1) as f64;
    let x_of = |t: u64| left + ((right - left) as f64 * (t as f64 / horizon).min(1.0)).round() as i32;
    let small = Label::new(pal.muted, scale.font(11.0));
    let text = Label::new(pal.fg, scale.font(12.0));
    let grid = pal.grid.stroke(1);
    let rows = 1 + model::secrets::MAX_LEAKS as i32;
    let row = ((bottom - top) / rows).max(1);

    // The credential row: rotations as ticks.
    let cy = top + row / 2;
    db.draw_line((left, cy), (right, cy), &pal.muted.stroke(scale.px(1.0))).map_err(err)?;
    let tick = pal.fg.stroke(scale.px(2.0));
    if c.rotations.len() <= 400 {
        for &t in c.rotations {
            let x = x_of(t);
            db.draw_line((x, cy - row / 3), (x, cy + row / 3), &tick).map_err(err)?;
        }
    } else {
        // Too dense to tell apart: a solid band says "constantly renewed".
        db.draw_rect((left, cy - row / 4), (right, cy + row / 4), &pal.grid.color(), true).map_err(err)?;
    }
    let key = if c.never {
        "credential: never rotated".to_string()
    } else if c.rotations.len() > 400 {
        format!("credential: renewed {} times", c.rotations.len())
    } else {
        "credential: | = rotation or renewal".to_string()
    };
    let key_w = scale.i(6.2 * key.chars().count() as f64 + 6.0);
    db.draw_rect((left, cy - scale.i(8.0)), (left + key_w, cy + scale.i(8.0)), &pal.bg.color(), true).map_err(err)?;
    db.draw_text(&key, &small.at(HPos::Left, VPos::Center), (left + scale.i(2.0), cy)).map_err(err)?;

    // A row per leak.
    let exposed = pal.series[1];
    for (i, l) in c.leaks.iter().enumerate() {
        let y = top + row * (i as i32 + 1) + row / 2;
        if l.at > c.now {
            continue;
        }
        let x0 = x_of(l.at);
        // The credential's remaining life, to the playhead.
        let life_end = l.expires.unwrap_or(c.horizon).min(c.now);
        db.draw_rect((x0, y - scale.i(1.0)), (x_of(life_end).max(x0 + 1), y + scale.i(1.0)), &pal.grid.color(), true)
            .map_err(err)?;
        // Exposure so far.
        let until = l.end().map_or(c.now, |e| e.min(c.now));
        let bar = scale.i(5.0);
        db.draw_rect((x0, y - bar), (x_of(until).max(x0 + scale.i(2.0)), y + bar), &exposed.color(), true)
            .map_err(err)?;
        // The leak: a ✕.
        let r = scale.i(5.0);
        let s = pal.fg.stroke(scale.px(2.0));
        db.draw_line((x0 - r, y - r), (x0 + r, y + r), &s).map_err(err)?;
        db.draw_line((x0 - r, y + r), (x0 + r, y - r), &s).map_err(err)?;
        let (label, at_end) = leak_label(i, l, c.now);
        let xe = x_of(until);
        if at_end {
            // A closing bar.
            db.draw_line((xe, y - row / 3), (xe, y + row / 3), &pal.fg.stroke(scale.px(2.0))).map_err(err)?;
        }
        // The label beside the bar where there is room, else before the leak, else above it.
        let room = scale.i(150.0);
        let (anchor, at) = if right - xe > room {
            (HPos::Left, (xe + scale.i(6.0), y))
        } else if x0 - left > room {
            (HPos::Right, (x0 - scale.i(8.0), y))
        } else {
            (HPos::Left, (left, y - row / 3))
        };
        db.draw_text(&label, &text.at(anchor, VPos::Center), at).map_err(err)?;
    }
    if c.leaks.is_empty() {
        db.draw_text(
            "press “Leak now” to leak the credential in use",
            &small.at(HPos::Center, VPos::Center),
            ((left + right) / 2, top + row * 2),
        )
        .map_err(err)?;
    }

    // Time along the bottom.
    let (unit, suffix) = axis_unit(c.horizon);
    db.draw_line((left, bottom), (right, bottom), &grid).map_err(err)?;
    let max_ticks = ((right - left) / scale.i(70.0)).clamp(2, 8) as usize;
    for v in ticks(0.0, horizon / unit, max_ticks) {
        let x = x_of((v * unit).round() as u64);
        db.draw_line((x, bottom), (x, bottom + scale.i(4.0)), &grid).map_err(err)?;
        let label = format!("{} {suffix}", model::fmt::number(v));
        let anchor = if x <= left + 2 {
            HPos::Left
        } else if x >= right - 2 {
            HPos::Right
        } else {
            HPos::Center
        };
        db.draw_text(&label, &small.at(anchor, VPos::Top), (x, bottom + scale.i(5.0))).map_err(err)?;
    }
    // The playhead.
    let x = x_of(c.now);
    dashed(db, &[(x, top), (x, bottom)], scale.px(4.0), scale.px(3.0), &pal.fg.stroke(scale.px(1.0)))?;
    db.present().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::secrets::{SecretsAction, SecretsReplay, SECRETS};

    fn svg(w: u32, h: u32, f: impl FnOnce(&mut plotters_svg::SVGBackend<'_>)) -> String {
        let mut out = String::new();
        f(&mut plotters_svg::SVGBackend::with_string(&mut out, (w, h)));
        out
    }

    fn says(svg: &str, t: &str) -> bool {
        svg.contains(&format!("\n{t}\n</text>"))
    }

    fn chart_svg(query: &str, w: u32, h: u32) -> String {
        let mut r = SecretsReplay::new(&SECRETS.parse_query(query).0);
        r.record(5 * model::des::SEC, SecretsAction::Leak);
        r.record(25 * model::des::SEC, SecretsAction::Leak);
        r.advance_to(model::secrets::RUN_US, u64::MAX);
        let run = r.run();
        let rotations: Vec<u64> = run.rotations().collect();
        let s = run.snapshot();
        let c = SecretsChart {
            horizon: s.horizon_s,
            now: s.now_s,
            rotations: &rotations,
            never: run.params().rung().seconds.is_none(),
            leaks: s.leaks(),
        };
        svg(w, h, |db| draw_secrets(db, &Palette::LIGHT, Scale(1.0), &c).unwrap())
    }

    /// A row per leak drawn, labelled as on the chart, in days for a day-long axis.
    #[test]
    fn its_table_has_a_row_per_leak_so_far() {
        let mut r = SecretsReplay::new(&SECRETS.parse_query("detect=fixed&detect_h=1").0);
        r.record(5 * model::des::SEC, SecretsAction::Leak);
        r.record(25 * model::des::SEC, SecretsAction::Leak);
        r.advance_to(model::secrets::RUN_US, u64::MAX);
        let s = r.run().snapshot();
        let rotations: Vec<u64> = r.run().rotations().collect();
        let c =
            SecretsChart { horizon: s.horizon_s, now: s.now_s, rotations: &rotations, never: false, leaks: s.leaks() };
        let t = table(&c);
        let (unit, suffix) = axis_unit(c.horizon);
        assert_eq!(t.columns[1], format!("leaked at ({suffix})"));
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.label(0), Some("leak 1: revoked"));
        for (row, l) in t.rows.iter().zip(c.leaks) {
            assert_eq!(row[0], l.at as f64 / unit);
            assert_eq!(row[1], l.exposed(c.now) as f64 / unit);
            assert_eq!(row[2], l.end().unwrap() as f64 / unit);
        }
        // Before the second leak: one row, still open.
        let early = SecretsChart { now: c.leaks[0].at, ..c };
        let t = table(&early);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.label(0), Some("leak 1: open"));
        assert!(t.rows[0][2].is_nan());
    }

    #[test]
    fn leaks_draw_their_windows_and_how_they_closed() {
        let out = chart_svg("", 800, 260);
        assert!(says(&out, "credential: | = rotation or renewal"), "{out}");
        assert!(says(&out, "leak 1: rotated/expired") && says(&out, "leak 2: rotated/expired"), "{out}");
        assert!(says(&out, "0 d"), "{out}");
        assert!(!out.contains("NaN"));
        assert!(crate::charts::smallest_font(&out) >= crate::charts::MIN_FONT_PX, "legible on a phone");
        let out = chart_svg("detect=fixed&detect_h=1", 800, 260);
        assert!(says(&out, "leak 1: revoked"), "{out}");
        let out = chart_svg("ttl=never", 800, 260);
        assert!(says(&out, "credential: never rotated") && says(&out, "leak 1: open"), "{out}");
        let out = chart_svg("ttl=15m", 800, 260);
        assert!(says(&out, "0 min"), "{out}");
        // Degenerate sizes do not panic.
        for (w, h) in [(1, 1), (40, 30), (2_000, 90)] {
            let out = chart_svg("ttl=1h", w, h);
            assert!(!out.contains("NaN"));
        }
    }
}
