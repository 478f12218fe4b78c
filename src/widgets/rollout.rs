//! `rollout`: a release going out by recreate, rolling update, blue/green or canary; who gets hurt
//! when it is bad, how fast anyone knows, what it costs in pods; and the same requests under
//! another strategy beside it.

use crate::charts::rollout::{draw_rollout, RolloutChart};
use crate::charts::series::Marker;
use crate::ui::anim::{frame_loop, now_ms, prefers_reduced_motion, use_in_view, Budget, Refresh, Work};
use crate::ui::chart::WidgetError;
use crate::ui::controls::{ParamControls, SeedControl};
use crate::ui::theme::PaletteCache;
use crate::ui::transport::{Transport, SPEEDS};
use crate::ui::widget_frame::WidgetFrame;
use crate::widgets::canvas;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::des::{Micros, SEC};
use model::fmt::{num, number, percent_fine};
use model::rollout::{
    compare_preset, rollout_params, uses_canary, RolloutAction, RolloutReplay, RolloutSample, RolloutSnapshot,
    ASSUMPTIONS, ROLLOUT,
};
use model::spec::{Note, State};

/// Events between clock checks.
const CHUNK: u64 = 512;
/// What Step advances: one sample of the chart.
const STEP: Micros = SEC;
/// The time axis spans at least this many seconds.
const MIN_SPAN_S: f64 = 60.0;
/// The speed the widget starts at (index into `SPEEDS`: 10×): rollouts take minutes.
const START_SPEED: usize = 5;

/// The rollout widget.
#[component]
pub fn Rollout(
    /// Initial settings (from the article block, a share link or embed attributes).
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &ROLLOUT;
    // A shared run (a rollback or a playhead) opens paused exactly where it was shared.
    let shared_run = initial.at_us > 0 || !initial.log.is_empty();
    let replayed = RolloutReplay::open(&initial);
    let state = RwSignal::new(replayed.settings().clone());
    let session = StoredValue::new(replayed);
    let frame = RwSignal::new(0u64);
    let playing = RwSignal::new(!prefers_reduced_motion() && !shared_run);
    let speed = RwSignal::new(START_SPEED);
    let can_roll_back = RwSignal::new(true);
    let ab = Memo::new(move |_| state.with(|s| compare_preset(s).is_some()));
    let canary = Memo::new(move |_| state.with(uses_canary));
    let container = NodeRef::<Div>::new();
    let visible = use_in_view(container);
    let live = Signal::derive(move || playing.get() && visible.get());

    // Every setting restarts the run (a rollout is planned from its settings).
    Effect::new(move |prev: Option<()>| {
        let st = state.get();
        if prev.is_some() {
            session.update_value(|s| {
                s.change(&st);
            });
            frame.update(|f| *f += 1);
        }
    });
    // The button follows the runs; a run that has ended stops the clock.
    Effect::new(move |_| {
        frame.track();
        let (ended, can) = session.with_value(|s| (s.run().ended(), s.run().can_roll_back()));
        if can != can_roll_back.get_untracked() {
            can_roll_back.set(can);
        }
        if ended && playing.get_untracked() {
            playing.set(false);
        }
    });

    let budget = StoredValue::new(Budget::default());
    let refresh = [StoredValue::new(Refresh::default()), StoredValue::new(Refresh::default())];
    frame_loop(live, move |dt| {
        let rate = SPEEDS[speed.get_untracked()];
        let start = now_ms();
        let work = refresh.iter().filter_map(|r| r.try_with_value(|r| r.work(true))).max().unwrap_or(Work::Picture);
        let slice = budget.try_update_value(|b| b.next(dt, work)).unwrap_or(Budget::MAX_MS);
        session.update_value(|s| {
            let target = s.now() + (dt * rate * 1_000.0) as u64;
            while !s.advance_to(target, CHUNK).reached {
                if now_ms() - start > slice {
                    break; // the run falls behind rather than the page
                }
            }
        });
        frame.update(|f| *f += 1);
    });

    let step = Callback::new(move |_| {
        session.update_value(|s| s.step(STEP));
        frame.update(|f| *f += 1);
    });
    let reset = Callback::new(move |_| {
        session.set_value(RolloutReplay::new(&state.get_untracked()));
        frame.update(|f| *f += 1);
    });
    let roll_back = move |_| {
        session.update_value(|s| s.record(s.now(), RolloutAction::RollBack));
        frame.update(|f| *f += 1);
    };
    // Share links replay this run: its settings, the rollback and the playhead.
    let share = Callback::new(move |_: ()| session.with_value(|s| s.to_state()));

    view! {
        <WidgetFrame
            spec=spec
            caption="A release going out: traffic on the old and new versions (top), failed requests each second (bottom). Excess failures are requests the old version would have served.".into()
            notes=notes
            state=state
            share=share
        >
            <div class="widget-toolbar">
                <Transport playing=playing speed=speed on_step=step on_reset=reset />
                <div class="fault-buttons">
                    <button
                        type="button"
                        class="btn btn-danger"
                        data-action="rollback"
                        disabled=move || !can_roll_back.get()
                        on:click=roll_back
                    >
                        "Roll back now"
                    </button>
                </div>
            </div>
            <div class=move || if ab.get() { "panels panels-ab" } else { "panels" } node_ref=container>
                <RolloutPanel session=session index=0 frame=frame live=live refresh=refresh[0] state=state />
                <Show when=move || ab.get()>
                    <RolloutPanel session=session index=1 frame=frame live=live refresh=refresh[1] state=state />
                </Show>
            </div>
            <details class="knobs" open=true>
                <summary>"Settings"</summary>
                <div class="controls-grid">
                    <ParamControls spec=spec state=state />
                    <Show when=move || canary.get()>
                        <ParamControls spec=spec state=state group="analysis" />
                    </Show>
                    <SeedControl state=state />
                    <ParamControls spec=spec state=state group="ab" />
                </div>
            </details>
            <details class="assumptions">
                <summary>"Assumptions"</summary>
                <p>{ASSUMPTIONS}</p>
            </details>
        </WidgetFrame>
    }
}

/// The reader's label of option `i` of choice `key`.
fn option_label(key: &str, i: usize) -> &'static str {
    ROLLOUT.param(key).map_or("", |(_, p)| p.option_label(i))
}

/// Run `index`'s heading: A's strategy from the settings ("A: " only when B is shown), B's
/// from its preset.
fn panel_label(state: &State, index: usize) -> String {
    let b = compare_preset(state);
    if index == 1 {
        return format!("B: {}", option_label("compare", b.map_or(0, |i| i + 1)));
    }
    let strategy = model::value!(ROLLOUT, state, "strategy") as usize;
    let mut name = option_label("strategy", strategy).to_string();
    if strategy == 3 {
        name = format!("{name} from {}%", number(model::value!(ROLLOUT, state, "canary")));
    }
    if b.is_some() {
        name.insert_str(0, "A: ");
    }
    name
}

/// Run `index`'s canary analysis plan in words ("" for other strategies).
fn plan_text(state: &State, index: usize) -> String {
    let preset = if index == 0 { None } else { compare_preset(state) };
    rollout_params(state, preset).analysis_plan().map_or(String::new(), |p| p.describe())
}

/// Reused buffers, so a frame allocates little.
#[derive(Default)]
struct Scratch {
    palette: PaletteCache,
    samples: Vec<RolloutSample>,
    /// The last sample drawn (its second).
    last_t: Option<u32>,
    /// The time axis drawn (it grows with the longer run, so an ended run's chart is redrawn).
    last_span: f64,
    /// The canvas size and theme epochs drawn at.
    sizes: u32,
    theme: u32,
}

fn secs_of(t: Option<Micros>) -> f64 {
    t.map_or(f64::NAN, |t| t as f64 / SEC as f64)
}

/// One run of the widget: its chart, status and numbers.
#[component]
fn RolloutPanel(
    /// The widget's runs (A, and B when comparing) with the reader's rollback.
    session: StoredValue<RolloutReplay>,
    /// Which run this panel shows.
    index: usize,
    /// Bumped by the parent after every simulation advance.
    frame: RwSignal<u64>,
    /// Whether the run is playing (readouts and charts then refresh at most 10 and 4 times a
    /// second).
    live: Signal<bool>,
    /// This panel's refresh paces, shared with the parent's frame loop.
    refresh: StoredValue<Refresh>,
    /// The widget's settings (for the heading and the analysis plan).
    state: RwSignal<State>,
) -> impl IntoView {
    let root = NodeRef::<Div>::new();
    let chart = NodeRef::<Canvas>::new();
    let snap = RwSignal::new(None::<RolloutSnapshot>);
    let error = RwSignal::new(None::<String>);
    let scratch = StoredValue::new_local(Scratch::default());

    Effect::new(move |_| {
        frame.track();
        let theme = crate::ui::theme::theme_epoch().get();
        let sizes = canvas::size_epoch();
        let live = live.get();
        let (Some(root), Some(canvas_el)) = (root.get(), chart.get()) else { return };
        session.with_value(|r| {
            let runs = r.run().sims();
            let Some(sim) = runs.get(index) else { return };
            let s = sim.snapshot();
            let t = sim.series().last().map(|x| x.t_s);
            // A and B share one time axis.
            let span = runs.iter().filter_map(|r| r.series().last()).map(|x| x.t_s as f64).fold(MIN_SPAN_S, f64::max);
            let charts = scratch
                .try_update_value(|sc| {
                    // A new theme: its colours at once, and the chart drawn in them.
                    let retheme = std::mem::replace(&mut sc.theme, theme) != theme;
                    if retheme {
                        sc.palette = PaletteCache::default();
                    }
                    let pal = sc.palette.get(&root);
                    let resized = std::mem::replace(&mut sc.sizes, sizes) != sizes || retheme;
                    let changed = t != sc.last_t || span != sc.last_span;
                    let charts = refresh.try_update_value(|r| r.charts(live, resized, changed, 1)).unwrap_or(0..1);
                    if !charts.is_empty() {
                        sc.last_t = t;
                        sc.last_span = span;
                        sc.samples.clear();
                        sc.samples.extend(sim.series().iter().copied());
                        let moments = [
                            Marker { x: secs_of(s.detected_at), label: "detected" },
                            Marker {
                                x: if s.rollback_at == s.detected_at { f64::NAN } else { secs_of(s.rollback_at) },
                                label: "rollback starts",
                            },
                            Marker { x: secs_of(s.rolled_back_at), label: "back on old" },
                            Marker { x: secs_of(s.full_at), label: "100% new" },
                        ];
                        let data = RolloutChart {
                            samples: &sc.samples,
                            rps: sim.params().rps,
                            share_new: s.share_new,
                            span_s: span,
                            markers: &moments,
                        };
                        let drawn = canvas::draw(&canvas_el, |area, scale| {
                            draw_rollout(area, &pal, scale, &data)
                        });
                        if let Err(e) = drawn {
                            error.set(Some(e));
                        }
                    }
                    charts
                })
                .unwrap_or(0..0);
            let due = refresh.try_update_value(|r| r.text(live, &charts)).unwrap_or(true);
            if due && snap.with_untracked(|o| o.is_none_or(|o| (o.now, o.phase, o.rollback_at) != (s.now, s.phase, s.rollback_at))) {
                snap.set(Some(s));
            }
        });
    });

    let fmt = move |f: fn(&RolloutSnapshot) -> String| move || snap.with(|s| s.as_ref().map(f).unwrap_or_default());
    // One view type for every readout (the first, the blast radius, is the key one).
    let readouts = [
        ("Excess failed requests", "excess", RolloutSnapshot::excess_text as fn(&RolloutSnapshot) -> String),
        ("Time to detect", "detect", RolloutSnapshot::detect_text),
        ("Time to 100% new", "full", RolloutSnapshot::full_text),
        ("Peak capacity", "capacity", RolloutSnapshot::capacity_text),
        ("Traffic on the new version", "share", |s| {
            if s.share_new > 0.0 {
                percent_fine(s.share_new)
            } else {
                "none".into()
            }
        }),
        ("Simulated time", "time", |s| {
            // Plain seconds, as every animated widget's clock shows them (the tests read it).
            let t = format!("{} s", num(s.now as f64 / SEC as f64, 1));
            if s.ended {
                format!("{t} (run over)")
            } else {
                t
            }
        }),
    ]
    .map(|(dt, k, f)| view! { <div><dt>{dt}</dt><dd data-k=k>{fmt(f)}</dd></div> });

    view! {
        <div class="panel rollout-panel" node_ref=root>
            <h4 class="panel-label">{move || state.with(|s| panel_label(s, index))}</h4>
            <WidgetError error=error.read_only() />
            <p class="rollout-status" data-k="status">{fmt(|s| s.status())}</p>
            <canvas
                class="chart rollout-chart"
                node_ref=chart
                role="img"
                aria-label="Requests a second on the old and new versions, and failed requests a second, since the rollout started; the key numbers follow"
            ></canvas>
            <dl class="readout" aria-label="Key numbers">{readouts}</dl>
            <p class="rollout-plan" data-k="plan">{move || state.with(|s| plan_text(s, index))}</p>
        </div>
    }
}
