//! `timeout-pool`: a service's thread pool while its dependency is healthy, slow or black-holed,
//! with connect / read / overall timeouts the reader sets.

use crate::charts::picture::{paint_pool, Rgba};
use crate::charts::series::{draw_lines, draw_lines_with, table, Axes, Line, Marker, Reference};
use crate::ui::chart_data::ChartData;
use crate::charts::{DrawingBackend, Scale};
use crate::ui::anim::{frame_loop, now_ms, prefers_reduced_motion, use_in_view, Budget, Refresh, Work};
use crate::ui::chart::WidgetError;
use crate::ui::controls::{ParamControls, PresetPicker, SeedControl};
use crate::ui::readouts::Readouts;
use crate::ui::theme::{Palette, PaletteCache};
use crate::ui::timeline::{replay_clock, replay_seek, Timeline};
use crate::ui::scenarios::{replay_pick, ScenarioMenu};
use crate::ui::transport::{Transport, SPEEDS};
use crate::ui::widget_frame::WidgetFrame;
use crate::widgets::canvas;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::note::Facts;
use model::pool::{
    pool_readouts, timeout_pool_facts, PoolAction, PoolReplay, PoolSim, FAULT_SECONDS, TIMEOUT_POOL, WINDOW,
};
use model::spec::{Note, State};

#[derive(Default)]
struct Scratch {
    rgba: Rgba,
    palette: PaletteCache,
    lines: [Vec<(f64, f64)>; 5],
    last_chart_t: f64,
    /// The canvas size epoch last drawn at (a resize clears the canvases).
    sizes: u32,
    refresh: Refresh,
}

/// The run's history as the charts' lines against simulated seconds: busy threads, requests
/// waiting for a thread, then timeouts, spurious timeouts, and rejections with callers that gave
/// up (a second).
fn series_lines(sim: &PoolSim, lines: &mut [Vec<(f64, f64)>; 5]) {
    lines.iter_mut().for_each(Vec::clear);
    for x in sim.series().iter() {
        lines[0].push((x.t, x.busy as f64));
        lines[1].push((x.t, x.backlog as f64));
        lines[2].push((x.t, x.timeouts));
        lines[3].push((x.t, x.spurious));
        lines[4].push((x.t, x.rejected + x.upstream_failed));
    }
}

/// The pool chart: busy threads and requests waiting for one (lines from [`series_lines`]), the
/// y axis at least as tall as the pool, with `markers` (the share card marks its slowdown) and,
/// while the run is within its premises, Little's law's busy threads λ·E[S] as a dashed,
/// labelled reference line (`littles`; `None` draws none).
fn draw_pool<DB: DrawingBackend>(
    db: &mut DB,
    pal: &Palette,
    scale: Scale,
    lines: &[Vec<(f64, f64)>; 5],
    threads: f64,
    markers: &[Marker<'_>],
    littles: Option<f64>,
) -> Result<(), String> {
    let label = littles.map(|l| format!("Little's law {}", model::fmt::short(l, 1)));
    let refs: Vec<Reference<'_>> =
        littles.zip(label.as_deref()).map(|(y, label)| Reference { y, label }).into_iter().collect();
    draw_lines_with(db, pal, scale, &Axes::time("threads / requests", threads), &pool_lines(lines), markers, &refs)
}

/// The pool chart's lines.
fn pool_lines(lines: &[Vec<(f64, f64)>; 5]) -> [Line<'_>; 2] {
    [
        Line { label: "busy threads", color: 0, points: &lines[0], dashed: false },
        Line { label: "waiting for a thread", color: 1, points: &lines[1], dashed: false },
    ]
}

/// The failures chart's lines.
fn failure_lines(lines: &[Vec<(f64, f64)>; 5]) -> [Line<'_>; 3] {
    [
        Line { label: "timeouts", color: 4, points: &lines[2], dashed: false },
        Line { label: "spurious (healthy)", color: 3, points: &lines[3], dashed: false },
        Line { label: "rejected / caller gave up", color: 1, points: &lines[4], dashed: false },
    ]
}

/// Chart `chart` (0: the pool, 1: failures) of `sim` as a table.
fn chart_table(sim: &PoolSim, chart: usize) -> model::table::Table {
    let mut lines = Default::default();
    series_lines(sim, &mut lines);
    if chart == 0 {
        table(&Axes::time("threads / requests", sim.params().threads as f64), &pool_lines(&lines))
    } else {
        table(&Axes::time("failures / s", 10.0), &failure_lines(&lines))
    }
}

/// The share card's run: the default settings, the dependency slowed down at this second (for
/// [`FAULT_SECONDS`]), and the run on to [`PREVIEW_END_S`].
#[cfg(not(target_family = "wasm"))]
const PREVIEW_SLOW_S: u64 = 5;
#[cfg(not(target_family = "wasm"))]
const PREVIEW_END_S: u64 = 30;

/// The share-card preview: the pool chart of the default run (no timeouts) with the dependency
/// slowed down from 5 s to 20 s: every thread stuck, a backlog, and the recovery after. (The
/// picture of the pool paints pixels, which SVG cannot take.)
#[cfg(not(target_family = "wasm"))]
pub fn preview(db: &mut crate::preview::Svg<'_>, pal: &Palette, scale: Scale) -> Result<(), String> {
    use model::des::SEC;
    let mut run = PoolReplay::new(&TIMEOUT_POOL.defaults());
    run.record(PREVIEW_SLOW_S * SEC, PoolAction::Slow);
    run.advance_to(PREVIEW_END_S * SEC, u64::MAX);
    let mut lines = Default::default();
    series_lines(run.run(), &mut lines);
    let slowdown = model::value!(TIMEOUT_POOL, run.settings(), "slowdown");
    let (start, end) = (PREVIEW_SLOW_S as f64, (PREVIEW_SLOW_S + FAULT_SECONDS) as f64);
    let label = format!("dependency {}× slower", model::fmt::number(slowdown));
    let markers = [Marker { x: start, label: &label }, Marker { x: end, label: "healthy again" }];
    draw_pool(db, pal, scale, &lines, run.run().params().threads as f64, &markers, None)
}

/// The timeout and thread-pool widget.
#[component]
pub fn TimeoutPool(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let mut notes = notes;
    let (initial, requested) = crate::ui::scenarios::initial(model::pool::SCENARIOS, initial, &mut notes, &TIMEOUT_POOL);
    let spec = &TIMEOUT_POOL;
    // A shared run (faults or a playhead) opens paused exactly where it was shared.
    let shared_run = initial.at_us > 0 || !initial.log.is_empty();
    // The run, its faults and the link's replay are the model's (`model::replay`).
    let replayed = PoolReplay::open(&initial);
    let state = RwSignal::new(replayed.settings().clone());
    let session = StoredValue::new(replayed);
    let frame = RwSignal::new(0u64);
    let playing = RwSignal::new(!prefers_reduced_motion() && !shared_run);
    let speed = RwSignal::new(2usize);
    let snap = RwSignal::new(Some(session.with_value(|r| r.snapshot())));
    // Little's law for the busy threads: the badge's words (from the model).
    let theory = RwSignal::new(session.with_value(|r| r.run().theory().text()));
    let error = RwSignal::new(None::<String>);
    let root = NodeRef::<Div>::new();
    let picture = NodeRef::<Canvas>::new();
    let chart_pool = NodeRef::<Canvas>::new();
    let chart_fail = NodeRef::<Canvas>::new();
    let scratch = StoredValue::new_local(Scratch { last_chart_t: -1.0, ..Default::default() });

    // Any change restarts the run (a pool reaches its steady state within a second).
    Effect::new(move |prev: Option<()>| {
        let st = state.get();
        if prev.is_some() {
            session.set_value(PoolReplay::new(&st));
            scratch.update_value(|s| s.last_chart_t = -1.0);
            frame.update(|f| *f += 1);
        }
    });

    let visible = use_in_view(root);
    let live = Signal::derive(move || playing.get() && visible.get());
    let budget = StoredValue::new(Budget::default());
    frame_loop(live, move |dt| {
        let rate = SPEEDS[speed.get_untracked()];
        let start = now_ms();
        let work = scratch.try_with_value(|sc| sc.refresh.work(true)).unwrap_or(Work::Picture);
        let slice = budget.try_update_value(|b| b.next(dt, work)).unwrap_or(Budget::MAX_MS);
        session.update_value(|s| {
            let target = s.now() + (dt * rate * 1_000.0) as u64;
            while !s.advance_to(target, 2_048).reached && now_ms() - start < slice {}
        });
        frame.update(|f| *f += 1);
    });

    Effect::new(move |_| {
        frame.track();
        let sizes = canvas::size_epoch();
        let live = live.get();
        let (Some(root), Some(pic), Some(c1), Some(c2)) =
            (root.get(), picture.get(), chart_pool.get(), chart_fail.get())
        else {
            return;
        };
        let pal = scratch.try_update_value(|sc| sc.palette.get(&root)).unwrap_or(Palette::LIGHT);
        session.with_value(|r| {
            let sim = r.run();
            let s = sim.snapshot();
            let t = s.last.t;
            let agreement = sim.theory();
            let text_due = scratch
                .try_update_value(|sc| {
                    // A resized canvas is blank: its chart is drawn again at once, not at the next refresh.
                    let resized = std::mem::replace(&mut sc.sizes, sizes) != sizes;
                    if let Err(e) = canvas::paint(&pic, &mut sc.rgba, pal.bg, |buf| paint_pool(buf, &pal, sim)) {
                        error.set(Some(e));
                    }
                    // Readouts and charts: at most 10 and 4 times a second while playing (see `Refresh`).
                    let charts = sc.refresh.charts(live, resized, t != sc.last_chart_t, 2);
                    if charts.start == 0 && !charts.is_empty() {
                        sc.last_chart_t = t;
                        series_lines(sim, &mut sc.lines);
                    }
                    let threads = sim.params().threads as f64;
                    let failures = failure_lines(&sc.lines);
                    let r = canvas::draw_each(&[&c1, &c2], charts.clone(), |i, area, scale| {
                        if i == 0 {
                            draw_pool(area, &pal, scale, &sc.lines, threads, &[], agreement.reference())
                        } else {
                            draw_lines(area, &pal, scale, &Axes::time("failures / s", 10.0), &failures, &[])
                        }
                    });
                    if let Err(e) = r {
                        error.set(Some(e));
                    }
                    sc.refresh.text(live, &charts)
                })
                .unwrap_or(true);
            if text_due && snap.with_untracked(|o| o.is_none_or(|o| o.last.t != t)) {
                snap.set(Some(s));
                let text = agreement.text();
                if theory.with_untracked(|old| *old != text) {
                    theory.set(text);
                }
            }
        });
    });

    let step = Callback::new(move |_| {
        session.update_value(|s| s.step(WINDOW));
        frame.update(|f| *f += 1);
    });
    let reset = Callback::new(move |_| {
        session.set_value(PoolReplay::new(&state.get_untracked()));
        scratch.update_value(|s| s.last_chart_t = -1.0);
        frame.update(|f| *f += 1);
    });
    let inject = move |action: PoolAction| {
        session.update_value(|s| s.record(s.now(), action));
        playing.set(true);
    };
    // Share links replay this run: its settings, the faults and the playhead.
    let (now, reach, limit) = replay_clock(session, frame, playing);
    let picked = RwSignal::new(requested);
    let pick = replay_pick(session, state, playing, move || { scratch.update_value(|s| s.last_chart_t = -1.0); frame.update(|f| *f += 1); });
    let seek = replay_seek(session, playing, move || { scratch.update_value(|s| s.last_chart_t = -1.0); frame.update(|f| *f += 1); });
    let table_of = move |chart: usize| Callback::new(move |_| session.with_value(|r| chart_table(r.run(), chart)));
    let changed = Signal::derive(move || snap.with(|s| s.map_or(0, |s| s.last.t.to_bits())));
    let share = Callback::new(move |_: ()| session.with_value(|s| s.to_state()));
    let slowdown = move || state.with(|s| model::value!(TIMEOUT_POOL, s, "slowdown"));
    // The key numbers, from the model (the decision note prints the same): rebuilt when a new
    // snapshot is published, at most ten times a second while playing.
    let facts = Memo::new(move |_| {
        snap.with(|s| Facts { readouts: s.as_ref().map(pool_readouts).unwrap_or_default(), ..Facts::default() })
    });

    view! {
        <WidgetFrame
            spec=spec
            caption="A service's thread pool (each square is a thread; blue is busy) and the requests waiting for a thread (the bar).".into()
            notes=notes
            state=state
            share=share
            facts=Callback::new(move |_| session.with_value(timeout_pool_facts))
        >
            <div class="widget-toolbar">
                <Transport playing=playing speed=speed on_step=step on_reset=reset />
                <div class="fault-buttons">
                    <button type="button" class="btn btn-danger" data-action="slow" on:click=move |_| inject(PoolAction::Slow)>
                        {move || format!("Make the dependency {}× slower ({FAULT_SECONDS} s)", model::fmt::number(slowdown()))}
                    </button>
                    <button type="button" class="btn" data-action="blackhole" on:click=move |_| inject(PoolAction::BlackHole)>
                        {format!("Black-hole it ({FAULT_SECONDS} s)")}
                    </button>
                </div>
            </div>
            <ScenarioMenu list=model::pool::SCENARIOS picked=picked on_pick=pick />
            <div class="panel" node_ref=root>
                <WidgetError error=error.read_only() />
                <canvas class="picture picture-pool" node_ref=picture role="img" aria-label="Thread pool and backlog; the numbers follow"></canvas>
                <Readouts facts=facts.into() />
                <div class="charts">
                    <canvas class="chart" node_ref=chart_pool role="img" aria-label="Busy threads and waiting requests over time"></canvas>
                    <ChartData caption="Busy threads and requests waiting for a thread by simulated second" file="timeout-pool-threads" canvas=chart_pool table=table_of(0) changed=changed />
                    <canvas class="chart" node_ref=chart_fail role="img" aria-label="Timeouts, spurious timeouts and rejections per second"></canvas>
                    <ChartData caption="Timeouts, spurious timeouts and rejected requests a second by simulated second" file="timeout-pool-failures" canvas=chart_fail table=table_of(1) changed=changed />
                </div>
                <p class="theory-badge" data-k="theory">{move || theory.get()}</p>
            </div>
            <Timeline now=now reach=reach limit=limit on_seek=seek step=WINDOW text=model::replay::seconds_text />
            <details class="knobs" open=true>
                <summary>"Settings"</summary>
                <div class="controls-grid">
                    <PresetPicker spec=spec state=state label="Timeouts" />
                    <ParamControls spec=spec state=state />
                    <SeedControl state=state />
                </div>
            </details>
        </WidgetFrame>
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    /// The share card's chart: drawn, legible and the same every time.
    #[test]
    fn its_preview_shows_the_pool_filling_while_the_dependency_is_slow() {
        let svg = crate::preview::checked("timeout-pool");
        for t in ["dependency 20× slower", "healthy again", "busy threads", "waiting for a thread"] {
            assert!(crate::preview::says(&svg, t), "{t} missing");
        }
    }

    /// Within the premises the pool chart carries Little's law's busy threads as a dashed,
    /// labelled line (13.2 for the defaults); outside them it draws none.
    #[test]
    fn the_pool_chart_draws_littles_law_only_when_it_applies() {
        use super::*;
        use model::des::SEC;
        use model::pool::{PoolParams, PoolSim};
        let draw = |sim: &PoolSim| {
            let mut lines = Default::default();
            series_lines(sim, &mut lines);
            let mut out = String::new();
            {
                let mut db = plotters_svg::SVGBackend::with_string(&mut out, (600, 260));
                let l = sim.theory().reference();
                draw_pool(&mut db, &Palette::LIGHT, Scale(1.0), &lines, 100.0, &[], l).unwrap();
            }
            out
        };
        let mut sim = PoolSim::new(PoolParams::NO_TIMEOUTS, 1);
        sim.advance(20 * SEC);
        let out = draw(&sim);
        assert!(out.contains("s law 13.2\n</text>"), "the reference line's label (the apostrophe is escaped)");
        let mut tight = PoolSim::new(PoolParams::TOO_TIGHT, 1);
        tight.advance(20 * SEC);
        assert!(!draw(&tight).contains("s law "));
    }
}
