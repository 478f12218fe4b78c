//! The queue-semantics picture of one side: its consumers, what it holds (the queue's waiting and
//! in-flight messages and its dead-letter queue; the log's lag by partition) and the busiest
//! customers' lanes. Everything that has a colour also has a word or a mark, so colour is never
//! the only signal: "late" on an out-of-order order, "×3" on a duplicate, "fail", "DLQ", "idle".
//! On the queue, the messages in flight come first, then those waiting, so where the outlined
//! squares end is the count in flight; while Little's law applies, its mean sits there as a
//! dashed, labelled line. [`queue_table`] and [`lag_table`] are the pictures' numbers as tables.

use super::{dashed, err, fill, DrawingBackend, Label, Rgb, Scale};
use crate::ui::theme::Palette;
use model::fmt::num;
use model::queue_semantics::{ConsumerState, LaneCell, MessageKind, QueueSemanticsSim, Side, LANES};
use model::table::Table;
use plotters_backend::text_anchor::{HPos, VPos};

/// The picture's height in CSS pixels (its canvas is this tall).
pub const HEIGHT: f64 = 312.0;
/// Width of the section labels on the left.
const LABEL_W: f64 = 78.0;
const MARGIN: f64 = 6.0;
const CONSUMERS_Y: f64 = 6.0;
const CONSUMER_H: f64 = 34.0;
const HOLD_Y: f64 = 66.0;
const HOLD_H: f64 = 80.0;
const LANES_Y: f64 = 160.0;
const LANE_H: f64 = 37.0;
const CELL_W: f64 = 40.0;

/// How a lane cell is drawn: fill, text colour, outline, and the word under the number.
fn cell_style(pal: &Palette, c: &LaneCell) -> (Option<Rgb>, Rgb, Option<Rgb>, String) {
    if c.has(LaneCell::DEAD_LETTERED) {
        (Some(pal.fg), pal.bg, None, "DLQ".into())
    } else if c.has(LaneCell::FAILED) {
        (None, pal.fg, Some(pal.series[3]), "fail".into())
    } else if c.has(LaneCell::OUT_OF_ORDER) {
        let word = if c.has(LaneCell::DUPLICATE) { format!("late×{}", c.delivery) } else { "late".into() };
        (Some(pal.series[1]), pal.bg, None, word)
    } else if c.has(LaneCell::DUPLICATE) {
        (None, pal.fg, Some(pal.series[5]), format!("×{}", c.delivery))
    } else if c.has(LaneCell::SLOW) {
        (Some(pal.series[4]), pal.bg, None, "slow".into())
    } else {
        (Some(pal.grid), pal.fg, None, String::new())
    }
}

fn rect<DB: DrawingBackend>(db: &mut DB, a: (i32, i32), b: (i32, i32), c: Rgb, filled: bool) -> Result<(), String> {
    db.draw_rect(a, b, &c.color(), filled).map_err(err)
}

/// A box outlined `width` pixels thick, inside `a`–`b`.
fn outline<DB: DrawingBackend>(db: &mut DB, a: (i32, i32), b: (i32, i32), c: Rgb, width: i32) -> Result<(), String> {
    for k in 0..width.max(1) {
        rect(db, (a.0 + k, a.1 + k), (b.0 - k - 1, b.1 - k - 1), c, false)?;
    }
    Ok(())
}

/// Draws one side of the run: `Side::Queue`, or `Side::Log { group: 0 }` (the new group, if
/// any, shows as a second lag bar per partition). On the queue, `in_flight_mean` (Little's law's
/// mean, while it applies; `None` draws nothing) is a dashed line among the squares. The picture
/// is laid out for a canvas [`HEIGHT`] CSS pixels tall and scales with the canvas it gets (text
/// included), so the talk deck's larger chart text (the `Scale` it passes) would not fit: that
/// scale is not used.
pub fn draw_side<DB: DrawingBackend>(
    db: &mut DB,
    pal: &Palette,
    _scale: Scale,
    sim: &QueueSemanticsSim,
    side: Side,
    in_flight_mean: Option<f64>,
) -> Result<(), String> {
    fill(db, pal.bg)?;
    let (w, h) = db.get_size();
    let scale = Scale((f64::from(h) / HEIGHT).max(0.05));
    let px = |x: f64| (x * scale.0).round() as i32;
    let right = w as i32 - px(MARGIN);
    let left = px(MARGIN + LABEL_W);
    let label = Label::new(pal.muted, scale.font(12.0));
    let text = Label::new(pal.fg, scale.font(12.0));
    let small = Label::new(pal.fg, scale.font(11.0));
    let snap = sim.snapshot();
    let log = side != Side::Queue;

    // Consumers: one box each, its name and what it is doing; on the log, its partitions below.
    db.draw_text("consumers", &label.at(HPos::Left, VPos::Center), (px(MARGIN), px(CONSUMERS_Y + CONSUMER_H / 2.0)))
        .map_err(err)?;
    let mut views = Vec::with_capacity(12);
    sim.for_each_consumer(side, |v| views.push(v));
    let n = views.len().max(1) as i32;
    let slot = (right - left) / n;
    let gap = px(3.0).min(slot / 6);
    for (i, v) in views.iter().enumerate() {
        let x0 = left + slot * i as i32;
        let (a, b) = ((x0, px(CONSUMERS_Y)), (x0 + slot - gap, px(CONSUMERS_Y + CONSUMER_H)));
        let (bg, fg, word) = match v.state {
            ConsumerState::Busy { kind: MessageKind::Slow, .. } => (Some(pal.series[4]), pal.bg, "slow"),
            ConsumerState::Busy { kind: MessageKind::Poison, .. } => (Some(pal.series[3]), pal.bg, "busy"),
            ConsumerState::Busy { .. } => (Some(pal.series[0]), pal.bg, "busy"),
            ConsumerState::Retrying { .. } => (Some(pal.series[3]), pal.bg, "retry"),
            ConsumerState::Waiting => (None, pal.fg, "wait"),
            ConsumerState::Idle => (Some(pal.grid), pal.muted, "idle"),
            ConsumerState::Down => (None, pal.series[1], "down"),
        };
        match bg {
            Some(c) => rect(db, a, b, c, true)?,
            None => outline(db, a, b, if v.state == ConsumerState::Down { pal.series[1] } else { pal.muted }, px(1.0))?,
        }
        let cx = (a.0 + b.0) / 2;
        let name = format!("C{i}");
        let at_name = (cx, px(CONSUMERS_Y + 3.0));
        db.draw_text(&name, &Label { color: fg.color(), ..small }.at(HPos::Center, VPos::Top), at_name).map_err(err)?;
        let at_word = (cx, px(CONSUMERS_Y + CONSUMER_H - 3.0));
        db.draw_text(word, &Label { color: fg.color(), ..small }.at(HPos::Center, VPos::Bottom), at_word)
            .map_err(err)?;
        if log {
            let parts: Vec<String> =
                (0..16).filter(|p| v.partitions & (1 << p) != 0).map(|p| format!("p{p}")).collect();
            let t = if parts.is_empty() { "none".to_string() } else { parts.join(" ") };
            let at = (cx, px(CONSUMERS_Y + CONSUMER_H + 3.0));
            db.draw_text(&t, &small.at(HPos::Center, VPos::Top), at).map_err(err)?;
        }
    }

    // What the side holds.
    let (top, bottom) = (px(HOLD_Y), px(HOLD_Y + HOLD_H));
    if log {
        draw_lag(db, pal, scale, &snap, (left, top, right, bottom))?;
    } else {
        db.draw_text("queue", &label.at(HPos::Left, VPos::Top), (px(MARGIN), top + px(4.0))).map_err(err)?;
        let q = &snap.queue;
        // One square per message (as many as fit): in-flight ones outlined, then waiting ones
        // filled.
        let cell = px(12.0);
        let pitch = cell + px(2.0);
        let per_row = ((right - left) / pitch).max(1);
        let rows = 3;
        let cap = (per_row * rows) as u32;
        let total = q.visible + q.in_flight;
        for k in 0..total.min(cap) {
            let (r, c) = (k as i32 / per_row, k as i32 % per_row);
            let a = (left + c * pitch, top + px(4.0) + r * pitch);
            let b = (a.0 + cell, a.1 + cell);
            if k < q.in_flight {
                outline(db, a, b, pal.series[0], px(2.0))?;
            } else {
                rect(db, a, b, pal.series[0], true)?;
            }
        }
        if let Some(mean) = in_flight_mean.filter(|m| m.is_finite() && *m >= 0.0 && *m < cap as f64) {
            // Where the outlined squares end when as many are in flight as the mean.
            let r = (mean / per_row as f64).floor();
            let x = left + ((mean - r * per_row as f64) * pitch as f64).round() as i32 - px(1.0);
            let y0 = top + px(4.0) + r as i32 * pitch;
            let label = format!("Little's law mean {}", num(mean, 1));
            let small = Label::new(pal.fg, scale.font(11.0));
            // The label above the squares, beside the line's top, on whichever side has room.
            let room = (label.chars().count() as f64 * 6.5 * scale.0) as i32;
            let (anchor, at_x) =
                if x + px(4.0) + room <= right { (HPos::Left, x + px(4.0)) } else { (HPos::Right, x - px(4.0)) };
            let label_y = top - px(13.0);
            db.draw_text(&label, &small.at(anchor, VPos::Top), (at_x, label_y)).map_err(err)?;
            let line = [(x, label_y), (x, y0 + cell + px(3.0))];
            dashed(db, &line, px(4.0).max(1) as u32, px(3.0).max(1) as u32, &pal.fg.stroke(px(2.0).max(1) as u32))?;
        }
        let y = top + px(4.0) + rows * (cell + px(2.0)) + px(4.0);
        let more = if total > cap { format!(" (+{} not drawn)", num((total - cap) as f64, 0)) } else { String::new() };
        let line = format!("□ {} in flight  ■ {} waiting{more}", num(q.in_flight as f64, 0), num(q.visible as f64, 0));
        db.draw_text(&line, &text, (left, y)).map_err(err)?;
        let dlq = format!("dead-letter queue: {}", num(q.totals.dead_lettered as f64, 0));
        db.draw_text(&dlq, &text, (left, y + px(18.0))).map_err(err)?;
    }

    // The lanes: each lane customer's latest processings, newest on the right.
    let cells = ((right - left) / px(CELL_W)).max(1) as usize;
    let lane_side = if log { Side::Log { group: 0 } } else { Side::Queue };
    for lane in 0..LANES {
        let y0 = px(LANES_Y + LANE_H * lane as f64);
        let (a_y, b_y) = (y0, y0 + px(LANE_H - 5.0));
        db.draw_text(&format!("customer-{lane}"), &label.at(HPos::Left, VPos::Center), (px(MARGIN), (a_y + b_y) / 2))
            .map_err(err)?;
        rect(db, (left, b_y + px(2.0)), (right, b_y + px(3.0)), pal.grid, true)?;
        let Some(ring) = sim.lane(lane_side, lane) else { continue };
        let skip = ring.len().saturating_sub(cells);
        let shown = ring.len() - skip;
        for (k, c) in ring.iter().skip(skip).enumerate() {
            let x1 = right - px(CELL_W) * (shown - 1 - k) as i32;
            let (a, b) = ((x1 - px(CELL_W) + px(3.0), a_y), (x1, b_y));
            let (bg, fg, edge, word) = cell_style(pal, c);
            if let Some(f) = bg {
                rect(db, a, b, f, true)?;
            }
            if let Some(e) = edge {
                outline(db, a, b, e, px(2.0))?;
            }
            if c.has(LaneCell::OUT_OF_ORDER) {
                // A notch in the corner: the out-of-order mark that is not a colour.
                let s = px(8.0);
                for d in 0..s {
                    rect(db, (b.0 - (s - d), a.1 + d), (b.0, a.1 + d + 1), pal.fg, true)?;
                }
            }
            let cx = (a.0 + b.0) / 2;
            let style = Label { color: fg.color(), ..small };
            db.draw_text(&format!("#{}", c.seq), &style.at(HPos::Center, VPos::Top), (cx, a.1 + px(3.0)))
                .map_err(err)?;
            if !word.is_empty() {
                db.draw_text(&word, &style.at(HPos::Center, VPos::Bottom), (cx, b.1 - px(2.0))).map_err(err)?;
            }
        }
    }
    db.present().map_err(err)
}

/// The log's lag by partition: a bar per partition (and a second, outlined, for the new group),
/// each with its number; the partition's name and owner below.
fn draw_lag<DB: DrawingBackend>(
    db: &mut DB,
    pal: &Palette,
    scale: Scale,
    snap: &model::queue_semantics::QueueSemanticsSnapshot,
    (left, top, right, bottom): (i32, i32, i32, i32),
) -> Result<(), String> {
    let px = |x: f64| (x * scale.0).round() as i32;
    let label = Label::new(pal.muted, scale.font(12.0));
    let small = Label::new(pal.fg, scale.font(11.0));
    db.draw_text("lag by", &label.at(HPos::Left, VPos::Top), (px(MARGIN), top + px(4.0))).map_err(err)?;
    db.draw_text("partition", &label.at(HPos::Left, VPos::Top), (px(MARGIN), top + px(19.0))).map_err(err)?;
    let p = snap.log.partitions as usize;
    let main = &snap.log.main.lag;
    let new = snap.log.new_group.map(|g| g.lag);
    let max = main.iter().chain(new.iter().flatten()).copied().max().unwrap_or(0).max(10) as f64;
    let base = bottom - px(16.0);
    let height = (base - top - px(16.0)) as f64;
    let slot = (right - left) / p.max(1) as i32;
    let bar = (slot * 2 / 5).min(px(26.0)).max(2);
    let h_of = |lag: u64| ((lag as f64 / max) * height).round() as i32;
    rect(db, (left, base), (right, base + 1), pal.muted, true)?;
    for q in 0..p {
        let x = left + slot * q as i32 + (slot - 2 * bar) / 3;
        let h = h_of(main[q]);
        rect(db, (x, base - h), (x + bar, base), pal.series[0], true)?;
        db.draw_text(&num(main[q] as f64, 0), &small.at(HPos::Center, VPos::Bottom), (x + bar / 2, base - h - px(2.0)))
            .map_err(err)?;
        if let Some(lags) = new {
            let x2 = x + bar + px(2.0);
            let h2 = h_of(lags[q]);
            outline(db, (x2, base - h2 - 1), (x2 + bar, base + 1), pal.series[3], px(2.0).min(bar / 2).max(1))?;
            let at = (x2 + bar / 2, base - h2 - px(2.0));
            db.draw_text(&num(lags[q] as f64, 0), &small.at(HPos::Center, VPos::Bottom), at).map_err(err)?;
        }
        let at = (left + slot * q as i32 + slot / 2, base + px(3.0));
        db.draw_text(&format!("p{q}"), &small.at(HPos::Center, VPos::Top), at).map_err(err)?;
    }
    if new.is_some() {
        let key = Label::new(pal.muted, scale.font(11.0));
        db.draw_text("■ this service", &key, (px(MARGIN), top + px(40.0))).map_err(err)?;
        db.draw_text("□ new group", &key, (px(MARGIN), top + px(54.0))).map_err(err)?;
    }
    Ok(())
}

/// The queue by simulated second, as the picture's queue row showed it: messages in flight and
/// waiting, and Little's law's mean in flight (`in_flight_mean`, while it applies) beside them.
pub fn queue_table(sim: &QueueSemanticsSim, in_flight_mean: Option<f64>) -> Table {
    let mut columns = vec!["simulated time (s)".to_string(), "in flight".into(), "waiting".into()];
    if in_flight_mean.is_some() {
        columns.push("Little's law mean in flight".into());
    }
    let rows = sim
        .queue_series()
        .iter()
        .map(|x| {
            let mut row = vec![f64::from(x.t), f64::from(x.in_flight), f64::from(x.waiting)];
            row.extend(in_flight_mean);
            row
        })
        .collect();
    Table { columns, rows, ..Table::default() }
}

/// The log's lag by partition now: the service's group and, once one has subscribed, the new
/// group's.
pub fn lag_table(sim: &QueueSemanticsSim) -> Table {
    let log = sim.snapshot().log;
    let mut columns = vec!["partition".to_string(), "lag, this service (records)".into()];
    if log.new_group.is_some() {
        columns.push("lag, new group (records)".into());
    }
    let rows = (0..log.partitions as usize)
        .map(|p| {
            let mut row = vec![p as f64, log.main.lag[p] as f64];
            row.extend(log.new_group.map(|g| g.lag[p] as f64));
            row
        })
        .collect();
    Table { columns, rows, ..Table::default() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::des::SEC;
    use model::queue_semantics::QueueSemanticsParams;

    /// The side drawn 1,600 px wide: 37 cells a lane, about 48 s of customer-0's orders.
    fn svg(sim: &QueueSemanticsSim, side: Side) -> String {
        let mut out = String::new();
        {
            let mut db = plotters_svg::SVGBackend::with_string(&mut out, (1_600, HEIGHT as u32));
            draw_side(&mut db, &Palette::LIGHT, Scale(1.0), sim, side, sim.queue_theory().reference()).unwrap();
        }
        out
    }

    fn says(svg: &str, t: &str) -> bool {
        svg.contains(&format!("\n{t}\n</text>"))
    }

    #[test]
    fn both_sides_name_their_consumers_lanes_and_marks() {
        let mut sim = QueueSemanticsSim::new(QueueSemanticsParams::STANDARD, 1);
        sim.advance(60 * SEC);
        // The slow order is first done at 105 s, after later orders of customer-0 ("late"), and
        // again at 135 s (received again at 90 s: "×2").
        sim.publish(0, 45 * SEC, MessageKind::Slow);
        sim.advance(76 * SEC);
        let queue = svg(&sim, Side::Queue);
        let log = svg(&sim, Side::Log { group: 0 });
        for s in [&queue, &log] {
            assert!(says(s, "C7") && says(s, "customer-3"), "consumers and lanes are named");
            assert!(crate::charts::smallest_font(s) >= crate::charts::MIN_FONT_PX, "legible on a phone");
        }
        assert!(says(&queue, "×2"), "the slow order's redelivery is marked");
        assert!(says(&queue, "late"), "the slow order is done after later ones");
        assert!(says(&log, "idle") && says(&log, "none"), "C6 and C7 have no partition");
        assert!(says(&log, "p5") && !says(&log, "p6"), "six lag bars");
        sim.subscribe_new_group();
        sim.advance(5 * SEC);
        assert!(says(&svg(&sim, Side::Log { group: 0 }), "□ new group"));
    }

    /// While Little's law applies the queue carries its mean in flight as a dashed, labelled line,
    /// and the tables hold the picture's numbers; outside its premises there is no line.
    #[test]
    fn the_queue_shows_littles_law_and_both_sides_have_tables() {
        let mut sim = QueueSemanticsSim::new(QueueSemanticsParams::STANDARD, 1);
        sim.advance(150 * SEC);
        let queue = svg(&sim, Side::Queue);
        assert!(says(&queue, "Little&apos;s law mean 2.4"), "the reference is labelled");
        assert!(queue.matches("<line").count() >= 3, "the reference is dashed (short lines)");
        assert!(crate::charts::smallest_font(&queue) >= crate::charts::MIN_FONT_PX);
        let t = queue_table(&sim, sim.queue_theory().reference());
        assert_eq!(t.columns, ["simulated time (s)", "in flight", "waiting", "Little's law mean in flight"]);
        // 0 s to 150 s (the log's auto-commit at 150 s is an event, so that second is sampled).
        assert_eq!(t.rows.len(), 151);
        assert_eq!(t.rows[150][0], 150.0);
        assert!((t.rows[0][3] - 2.389).abs() < 1e-3);
        let lag = lag_table(&sim);
        assert_eq!(lag.columns, ["partition", "lag, this service (records)"]);
        assert_eq!(lag.rows.len(), 6);
        sim.subscribe_new_group();
        assert_eq!(lag_table(&sim).columns.len(), 3);
        sim.publish(0, 45 * SEC, MessageKind::Slow);
        assert_eq!(sim.queue_theory().reference(), None);
        assert!(!svg(&sim, Side::Queue).contains("Little&apos;s law"));
        assert_eq!(queue_table(&sim, None).columns.len(), 3);
    }

    #[test]
    fn tiny_and_empty_pictures_do_not_panic() {
        let sim = QueueSemanticsSim::new(
            QueueSemanticsParams { consumers: 12, partitions: 16, ..QueueSemanticsParams::STANDARD },
            1,
        );
        let mut out = String::new();
        let mut db = plotters_svg::SVGBackend::with_string(&mut out, (3, 3));
        draw_side(&mut db, &Palette::LIGHT, Scale(1.0), &sim, Side::Log { group: 0 }, None).unwrap();
        draw_side(&mut db, &Palette::LIGHT, Scale(1.0), &sim, Side::Queue, Some(2.4)).unwrap();
    }
}
