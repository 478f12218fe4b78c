//! `timeout-pool`: a service's thread pool while its dependency is healthy, slow or black-holed,
//! with connect / read / overall timeouts the reader sets.

use crate::widgets::canvas;
use crate::charts::picture::{paint_pool, Rgba};
use crate::charts::series::{draw_lines, Axes, Line};
use crate::ui::anim::{frame_loop, now_ms, prefers_reduced_motion, use_in_view, Budget, Refresh, Work};
use crate::ui::chart::WidgetError;
use crate::ui::controls::{ParamControls, PresetPicker, SeedControl};
use crate::ui::runlog::RunLog;
use crate::ui::theme::{Palette, PaletteCache};
use crate::ui::transport::{Transport, SPEEDS};
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::des::SEC;
use model::fmt::{ms, num, percent};
use model::pool::{PoolFault, PoolFaultKind, PoolSim, PoolSnapshot, WINDOW};
use model::pool::{pool_params, TIMEOUT_POOL};
use model::spec::{Note, State};

const FAULT_SECONDS: u64 = 15;

/// The fault a logged action stands for (`slow` uses the run's slowdown setting).
fn fault(action: &str, st: &State, now: u64) -> Option<PoolFault> {
    let kind = match action {
        "slow" => PoolFaultKind::Slow(model::value!(TIMEOUT_POOL, st, "slowdown")),
        "blackhole" => PoolFaultKind::BlackHole,
        _ => return None,
    };
    Some(PoolFault { kind, start: now, duration: FAULT_SECONDS * SEC })
}

fn advance_to(sim: &mut PoolSim, to: u64) {
    while !sim.advance_to(to, 1 << 20).reached {}
}

/// Replays a shared run: its settings, each logged fault at its simulated time, then on to the
/// playhead. Every setting restarts this widget's run, so the log holds only faults.
fn replay(initial: &State) -> (State, PoolSim, RunLog) {
    let st = State { at_us: 0, log: Vec::new(), ..initial.clone() };
    let mut run = RunLog::default();
    run.restart(&st);
    let mut sim = PoolSim::new(pool_params(&st), st.seed);
    for (t, action) in &initial.log {
        advance_to(&mut sim, *t);
        if let Some(f) = fault(action, &st, sim.now()) {
            sim.inject(f);
            run.record(sim.now(), action.clone());
        }
    }
    advance_to(&mut sim, initial.at_us);
    (st, sim, run)
}

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

/// The timeout and thread-pool widget.
#[component]
pub fn TimeoutPool(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &TIMEOUT_POOL;
    // A shared run (faults or a playhead) opens paused exactly where it was shared.
    let shared_run = initial.at_us > 0 || !initial.log.is_empty();
    let (current, replayed, log) = replay(&initial);
    let state = RwSignal::new(current);
    let sim = StoredValue::new(replayed);
    let run = StoredValue::new(log);
    let frame = RwSignal::new(0u64);
    let playing = RwSignal::new(!prefers_reduced_motion() && !shared_run);
    let speed = RwSignal::new(2usize);
    let snap = RwSignal::new(None::<PoolSnapshot>);
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
            sim.set_value(PoolSim::new(pool_params(&st), st.seed));
            run.update_value(|r| r.restart(&st));
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
        sim.update_value(|s| {
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
        sim.with_value(|sim| {
            let s = sim.snapshot();
            let t = s.last.t;
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
                        sc.lines.iter_mut().for_each(Vec::clear);
                        for x in sim.series().iter() {
                            sc.lines[0].push((x.t, x.busy as f64));
                            sc.lines[1].push((x.t, x.backlog as f64));
                            sc.lines[2].push((x.t, x.timeouts));
                            sc.lines[3].push((x.t, x.spurious));
                            sc.lines[4].push((x.t, x.rejected + x.upstream_failed));
                        }
                    }
                    let threads = sim.params().threads as f64;
                    let pool = [
                        Line { label: "busy threads", color: 0, points: &sc.lines[0], dashed: false },
                        Line { label: "waiting for a thread", color: 1, points: &sc.lines[1], dashed: false },
                    ];
                    let failures = [
                        Line { label: "timeouts", color: 4, points: &sc.lines[2], dashed: false },
                        Line { label: "spurious (healthy)", color: 3, points: &sc.lines[3], dashed: false },
                        Line { label: "rejected / caller gave up", color: 1, points: &sc.lines[4], dashed: false },
                    ];
                    let r = canvas::draw_each(&[&c1, &c2], charts.clone(), |i, area, scale| {
                        let (axes, lines) = if i == 0 {
                            (Axes::time("threads / requests", threads), &pool[..])
                        } else {
                            (Axes::time("failures / s", 10.0), &failures[..])
                        };
                        draw_lines(area, &pal, scale, &axes, lines, &[])
                    });
                    if let Err(e) = r {
                        error.set(Some(e));
                    }
                    sc.refresh.text(live, &charts)
                })
                .unwrap_or(true);
            if text_due && snap.with_untracked(|o| o.is_none_or(|o| o.last.t != t)) {
                snap.set(Some(s));
            }
        });
    });

    let step = Callback::new(move |_| {
        sim.update_value(|s| {
            s.advance(WINDOW);
        });
        frame.update(|f| *f += 1);
    });
    let reset = Callback::new(move |_| {
        let st = state.get_untracked();
        sim.set_value(PoolSim::new(pool_params(&st), st.seed));
        run.update_value(|r| r.restart(&st));
        scratch.update_value(|s| s.last_chart_t = -1.0);
        frame.update(|f| *f += 1);
    });
    let inject = move |action: &'static str| {
        state.with_untracked(|st| {
            sim.update_value(|s| {
                if let Some(f) = fault(action, st, s.now()) {
                    run.update_value(|r| r.record(s.now(), action.to_string()));
                    s.inject(f);
                }
            })
        });
        playing.set(true);
    };
    // Share links replay this run: its settings, the faults and the playhead.
    let share = Callback::new(move |_: ()| {
        let now = sim.with_value(|s| s.now());
        state.with_untracked(|st| run.with_value(|r| r.shareable(st, now)))
    });
    let slowdown = move || state.with(|s| model::value!(TIMEOUT_POOL, s, "slowdown"));
    let fmt = move |f: fn(&PoolSnapshot) -> String| move || snap.with(|s| s.as_ref().map(f).unwrap_or_default());

    view! {
        <WidgetFrame
            spec=spec
            caption="A service's thread pool (each square is a thread; blue is busy) and the requests waiting for a thread (the bar).".into()
            notes=notes
            state=state
            share=share
        >
            <div class="widget-toolbar">
                <Transport playing=playing speed=speed on_step=step on_reset=reset />
                <div class="fault-buttons">
                    <button type="button" class="btn btn-danger" data-action="slow" on:click=move |_| inject("slow")>
                        {move || format!("Make the dependency {}× slower ({FAULT_SECONDS} s)", model::fmt::number(slowdown()))}
                    </button>
                    <button type="button" class="btn" data-action="blackhole" on:click=move |_| inject("blackhole")>
                        {format!("Black-hole it ({FAULT_SECONDS} s)")}
                    </button>
                </div>
            </div>
            <div class="panel" node_ref=root>
                <WidgetError error=error />
                <canvas class="picture picture-pool" node_ref=picture role="img" aria-label="Thread pool and backlog; the numbers follow"></canvas>
                <dl class="readout" aria-label="Key numbers">
                    <div><dt>"Simulated time"</dt><dd data-k="time">{fmt(|s| format!("{} s", num(s.now as f64 / model::des::SEC as f64, 1)))}</dd></div>
                    <div><dt>"Busy threads"</dt><dd data-k="busy">{fmt(|s| format!("{} of {}", s.busy, s.threads))}</dd></div>
                    <div><dt>"Waiting for a thread"</dt><dd data-k="backlog">{fmt(|s| num(s.backlog as f64, 0))}</dd></div>
                    <div><dt>"Errors (last second)"</dt><dd data-k="errors">{fmt(|s| percent(s.error_rate))}</dd></div>
                    <div><dt>"Spurious timeouts"</dt><dd data-k="spurious">{fmt(|s| num(s.totals.spurious as f64, 0))}</dd></div>
                    <div><dt>"Collateral failures"</dt><dd data-k="collateral">{fmt(|s| num(s.totals.collateral as f64, 0))}</dd></div>
                    <div><dt>"p99 seen by the caller"</dt><dd data-k="p99">{fmt(|s| if s.last.ok > 0.0 { ms(s.last.p99_ms) } else { "no successes".into() })}</dd></div>
                    <div><dt>"Dependency"</dt><dd data-k="fault">{fmt(|s| if s.fault_active { "degraded".into() } else { "healthy".into() })}</dd></div>
                </dl>
                <div class="charts">
                    <canvas class="chart" node_ref=chart_pool role="img" aria-label="Busy threads and waiting requests over time"></canvas>
                    <canvas class="chart" node_ref=chart_fail role="img" aria-label="Timeouts, spurious timeouts and rejections per second"></canvas>
                </div>
            </div>
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
