//! One run of the retry-storm widget: the picture, the charts and the numbers, redrawn when the
//! parent publishes a frame.

use crate::charts::picture::{paint_retry, Rgba};
use crate::charts::series::{draw_lines, draw_lines_with, table, Axes, Line, Marker, Reference, MUTED};
use crate::ui::chart_data::ChartData;
use crate::charts::{DrawingBackend, Scale};
use crate::ui::anim::Refresh;
use crate::ui::chart::WidgetError;
use crate::ui::readouts::Readouts;
use crate::ui::theme::{Palette, PaletteCache};
use crate::widgets::canvas;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::note::Facts;
use model::retry::{retry_readouts, ClientState, RetryReplay, RetrySim};

/// Reused buffers, so a frame allocates nothing.
#[derive(Default)]
struct Scratch {
    rgba: Rgba,
    palette: PaletteCache,
    lines: [Vec<(f64, f64)>; 5],
    last_chart_t: f64,
    /// The canvas size epoch last drawn at (a resize clears the canvases).
    sizes: u32,
}

/// The run's history as the charts' lines: offered load, attempts, goodput (requests a second)
/// the p99 latency of successes (ms) and the dependency's queue length at each window's end, each
/// against simulated seconds.
pub(super) fn series_lines(sim: &RetrySim, lines: &mut [Vec<(f64, f64)>; 5]) {
    lines.iter_mut().for_each(Vec::clear);
    for x in sim.series().iter() {
        lines[0].push((x.t, x.offered));
        lines[1].push((x.t, x.attempts));
        lines[2].push((x.t, x.goodput));
        lines[3].push((x.t, x.p99_ms));
        lines[4].push((x.t, x.queue as f64));
    }
}

/// The dependency's queue chart: its length at each window's end (line 4 of [`series_lines`])
/// and, while the run is within M/M/c/K's assumptions, the formula's mean queue length L_q as a
/// dashed, labelled reference line (`theory_lq`; `None` draws no line).
pub(super) fn draw_queue<DB: DrawingBackend>(
    db: &mut DB,
    pal: &Palette,
    scale: Scale,
    lines: &[Vec<(f64, f64)>; 5],
    theory_lq: Option<f64>,
) -> Result<(), String> {
    let queue = queue_line(lines);
    let label = theory_lq.map(|lq| format!("M/M/c/K mean {}", model::fmt::short(lq, 1)));
    let refs: Vec<Reference<'_>> =
        theory_lq.zip(label.as_deref()).map(|(y, label)| Reference { y, label }).into_iter().collect();
    // Room above the reference line for its label.
    let top = theory_lq.map_or(5.0, |lq| (lq * 2.5).max(5.0));
    draw_lines_with(db, pal, scale, &Axes::time("queue length", top), &queue, &[], &refs)
}

/// The rates chart: offered load, attempts and goodput against the dependency's capacity (lines
/// from [`series_lines`]), with `markers` (the share card marks its outage).
pub(super) fn draw_rates<DB: DrawingBackend>(
    db: &mut DB,
    pal: &Palette,
    scale: Scale,
    lines: &[Vec<(f64, f64)>; 5],
    capacity: f64,
    markers: &[Marker<'_>],
) -> Result<(), String> {
    let cap = capacity_line(lines, capacity);
    draw_lines(db, pal, scale, &Axes::time("requests / s", capacity), &rate_lines(lines, &cap), markers)
}

/// The dependency's capacity as a line across the chart.
fn capacity_line(lines: &[Vec<(f64, f64)>; 5], capacity: f64) -> [(f64, f64); 2] {
    [(lines[0].first().map_or(0.0, |p| p.0), capacity), (lines[0].last().map_or(10.0, |p| p.0), capacity)]
}

/// The rates chart's lines.
fn rate_lines<'a>(lines: &'a [Vec<(f64, f64)>; 5], cap: &'a [(f64, f64); 2]) -> [Line<'a>; 4] {
    [
        Line { label: "offered", color: 0, points: &lines[0], dashed: false },
        Line { label: "attempts", color: 1, points: &lines[1], dashed: false },
        Line { label: "goodput", color: 2, points: &lines[2], dashed: false },
        Line { label: "capacity", color: MUTED, points: cap, dashed: true },
    ]
}

/// The p99 chart's line.
fn p99_line(lines: &[Vec<(f64, f64)>; 5]) -> [Line<'_>; 1] {
    [Line { label: "p99 latency of successes", color: 3, points: &lines[3], dashed: false }]
}

/// The queue chart's line.
fn queue_line(lines: &[Vec<(f64, f64)>; 5]) -> [Line<'_>; 1] {
    [Line { label: "queued attempts", color: 4, points: &lines[4], dashed: false }]
}

/// Chart `chart` (0: rates, 1: p99, 2: the queue) of `sim` as a table.
fn chart_table(sim: &RetrySim, chart: usize) -> model::table::Table {
    let mut lines = Default::default();
    series_lines(sim, &mut lines);
    let capacity = sim.params().capacity_rps();
    match chart {
        0 => table(&Axes::time("requests / s", capacity), &rate_lines(&lines, &capacity_line(&lines, capacity))),
        1 => table(&Axes::time("p99 latency (ms)", 100.0), &p99_line(&lines)),
        _ => table(&Axes::time("queue length", 5.0), &queue_line(&lines)),
    }
}

/// The view of run `index` of the widget's session.
#[component]
pub fn RetryPanel(
    /// The widget's run (A, and B in A/B mode) with its interventions.
    session: StoredValue<RetryReplay>,
    /// Which run this panel shows.
    index: usize,
    /// Bumped by the parent after every simulation advance.
    frame: RwSignal<u64>,
    /// Heading for the panel (empty for a single run).
    label: Signal<String>,
    /// Whether the run is playing (readouts and charts then refresh at most 10 times a second).
    live: Signal<bool>,
    /// This panel's refresh paces, shared with the parent's frame loop (which simulates less in
    /// a frame that redraws charts).
    refresh: StoredValue<Refresh>,
) -> impl IntoView {
    let root = NodeRef::<Div>::new();
    let picture = NodeRef::<Canvas>::new();
    let rates = NodeRef::<Canvas>::new();
    let latency = NodeRef::<Canvas>::new();
    let queue = NodeRef::<Canvas>::new();
    // The dependency against M/M/c/K: the badge's words (from the model) and the chart's line.
    let theory = RwSignal::new(session.with_value(|r| {
        r.run().sims().get(index).map(|s| s.dependency_theory().text()).unwrap_or_default()
    }));
    let snap = RwSignal::new(session.with_value(|r| r.run().sims().get(index).map(RetrySim::snapshot)));
    let error = RwSignal::new(None::<String>);
    let scratch = StoredValue::new_local(Scratch { last_chart_t: -1.0, ..Default::default() });
    let capacity = session.with_value(|r| r.run().sims().get(index).map_or(0.0, |s| s.params().capacity_rps()));

    Effect::new(move |_| {
        frame.track();
        let sizes = canvas::size_epoch();
        let live = live.get();
        let (Some(root), Some(pic), Some(rc), Some(lc), Some(qc)) =
            (root.get(), picture.get(), rates.get(), latency.get(), queue.get())
        else {
            return;
        };
        let pal = scratch.try_update_value(|sc| sc.palette.get(&root)).unwrap_or(Palette::LIGHT);
        session.with_value(|r| {
            let Some(sim) = r.run().sims().get(index) else { return };
            let s = sim.snapshot();
            let t = s.last.t;
            let agreement = sim.dependency_theory();
            let charts = scratch
                .try_update_value(|sc| {
                    // A resized canvas is blank: its chart is drawn again at once, not at the next refresh.
                    let resized = std::mem::replace(&mut sc.sizes, sizes) != sizes;
                    if let Err(e) = canvas::paint(&pic, &mut sc.rgba, pal.bg, |buf| paint_retry(buf, &pal, sim)) {
                        error.set(Some(e));
                    }
                    // Charts change once per statistics window.
                    let charts =
                        refresh.try_update_value(|r| r.charts(live, resized, t != sc.last_chart_t, 3)).unwrap_or(0..3);
                    if charts.start == 0 && !charts.is_empty() {
                        sc.last_chart_t = t;
                        series_lines(sim, &mut sc.lines);
                    }
                    let p99 = p99_line(&sc.lines);
                    let lq = agreement.reference().and_then(|_| sim.dependency_mmck()).map(|q| q.lq);
                    let r = canvas::draw_each(&[&rc, &lc, &qc], charts.clone(), |i, area, scale| match i {
                        0 => draw_rates(area, &pal, scale, &sc.lines, capacity, &[]),
                        1 => draw_lines(area, &pal, scale, &Axes::time("p99 latency (ms)", 100.0), &p99, &[]),
                        _ => draw_queue(area, &pal, scale, &sc.lines, lq),
                    });
                    if let Err(e) = r {
                        error.set(Some(e));
                    }
                    charts
                })
                .unwrap_or(0..0);
            // The numbers change once per statistics window; publishing them more often would only
            // re-render the same text (and at high speed, faster than anyone can read).
            let due = refresh.try_update_value(|r| r.text(live, &charts)).unwrap_or(true);
            if due && snap.with_untracked(|o| o.is_none_or(|o| o.last.t != t)) {
                snap.set(Some(s));
                let text = agreement.text();
                if theory.with_untracked(|old| *old != text) {
                    theory.set(text);
                }
            }
        });
    });

    // The key numbers, from the model (the decision note prints the same): rebuilt when a new
    // snapshot is published, at most ten times a second while playing.
    let facts = Memo::new(move |_| {
        snap.with(|s| Facts { readouts: s.as_ref().map(retry_readouts).unwrap_or_default(), ..Facts::default() })
    });
    let table_of = move |chart: usize| {
        Callback::new(move |_| {
            session.with_value(|r| r.run().sims().get(index).map(|sim| chart_table(sim, chart)).unwrap_or_default())
        })
    };
    let changed = Signal::derive(move || snap.with(|s| s.map_or(0, |s| s.last.t.to_bits())));
    let legend = [
        (ClientState::Waiting, "waiting"),
        (ClientState::BackingOff, "backing off"),
        (ClientState::Succeeded, "succeeded"),
        (ClientState::Failed, "failed"),
        (ClientState::Refused, "refused locally"),
    ]
    .map(|(st, text)| view! { <li><span class=format!("swatch swatch-{}", st as u8)></span>{text}</li> });
    let dep_legend = [
        ("swatch-3", "worker doing useful work"),
        ("swatch-4", "work nobody waits for"),
        ("swatch-1", "queued, still wanted"),
    ]
    .map(|(c, text)| view! { <li><span class=format!("swatch {c}")></span>{text}</li> });

    view! {
        <div class="panel" node_ref=root>
            <Show when=move || !label.get().is_empty()>
                <h4 class="panel-label">{move || label.get()}</h4>
            </Show>
            <WidgetError error=error.read_only() />
            <div class="picture-wrap">
                <canvas
                    class="picture"
                    node_ref=picture
                    role="img"
                    aria-label="Clients (top), dependency workers (middle) and its queue (bottom); summary follows"
                ></canvas>
                <div class="picture-labels" aria-hidden="true">
                    <span class="pl-clients">"clients"</span>
                    <span class="pl-workers">"workers"</span>
                    <span class="pl-queue">"queue"</span>
                </div>
            </div>
            <ul class="legend" aria-label="Client colours">{legend}</ul>
            <ul class="legend" aria-label="Dependency colours">{dep_legend}</ul>
            <Show when=move || snap.with(Option::is_some)>
                <Readouts facts=facts.into() />
            </Show>
            <div class="charts">
                <canvas class="chart" node_ref=rates role="img" aria-label="Offered load, attempts and goodput over the last minute; see the numbers above"></canvas>
                <ChartData caption="Offered load, attempts, goodput and capacity (requests a second) by simulated second" file="retry-storm-rates" canvas=rates table=table_of(0) changed=changed />
                <canvas class="chart chart-small" node_ref=latency role="img" aria-label="p99 latency of successful requests over the last minute"></canvas>
                <ChartData caption="p99 latency of successes (ms) by simulated second" file="retry-storm-p99" canvas=latency table=table_of(1) changed=changed />
                <canvas class="chart chart-small" node_ref=queue role="img" aria-label="The dependency's queue length over the last minute, with the M/M/c/K mean as a dashed line when the formula applies; the comparison follows"></canvas>
                <ChartData caption="The dependency's queue length (queued attempts) by simulated second" file="retry-storm-queue" canvas=queue table=table_of(2) changed=changed />
            </div>
            <p class="theory-badge" data-k="theory">{move || theory.get()}</p>
        </div>
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;
    use crate::preview::says;
    use model::des::SEC;
    use model::retry::{RetryParams, RetrySim};

    fn queue_svg(sim: &RetrySim, lq: Option<f64>) -> String {
        let mut lines = Default::default();
        series_lines(sim, &mut lines);
        let mut out = String::new();
        {
            let mut db = plotters_svg::SVGBackend::with_string(&mut out, (600, 150));
            draw_queue(&mut db, &Palette::LIGHT, Scale(1.0), &lines, lq).unwrap();
        }
        out
    }

    /// Within the assumptions the queue chart carries M/M/c/K's mean as a dashed, labelled line;
    /// outside them (here: an overload) it draws none.
    #[test]
    fn the_queue_chart_draws_the_formulas_mean_only_when_it_applies() {
        let mut sim = RetrySim::new(RetryParams { offered_rps: 720.0, ..RetryParams::NAIVE }, 1);
        sim.advance(20 * SEC);
        let lq = sim.dependency_theory().reference().and_then(|_| sim.dependency_mmck()).map(|q| q.lq);
        let lq = lq.expect("a fault-free run at 90 % load is within the assumptions");
        assert!((lq - 6.31).abs() < 0.01, "{lq}");
        let out = queue_svg(&sim, Some(lq));
        for t in ["queued attempts", "queue length", "M/M/c/K mean 6.3"] {
            assert!(says(&out, t), "{t} missing");
        }
        assert!(out.matches("<line").count() > 40, "the reference line is dashed (many short lines)");
        let mut over = RetrySim::new(RetryParams { offered_rps: 880.0, ..RetryParams::NAIVE }, 1);
        over.advance(20 * SEC);
        assert_eq!(over.dependency_theory().reference(), None);
        let out = queue_svg(&over, None);
        assert!(!says(&out, "M/M/c/K") && !out.contains("NaN"));
    }
}
