//! `rollout`: a release going out by recreate, rolling update, blue/green or canary; who gets hurt
//! when it is bad, how fast anyone knows, what it costs in pods; and the same requests under
//! another strategy beside it.

use crate::charts::rollout::{draw_rollout, RolloutChart};
use crate::charts::series::Marker;
use crate::ui::anim::{frame_loop, now_ms, prefers_reduced_motion, use_in_view, Budget, Refresh, Work};
use crate::ui::chart::WidgetError;
use crate::ui::chart_data::ChartData;
use crate::ui::controls::{ParamControls, SeedControl};
use crate::ui::readouts::Readouts;
use crate::ui::theme::PaletteCache;
use crate::ui::timeline::{replay_clock, replay_seek, Timeline};
use crate::ui::scenarios::{replay_pick, ScenarioMenu};
use crate::ui::transport::{Transport, SPEEDS};
use crate::ui::widget_frame::WidgetFrame;
use crate::widgets::canvas;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::des::{Micros, SEC};
use model::note::Facts;
use model::rollout::{
    compare_preset, plan_text, rollout_facts, run_label, uses_canary, RolloutAction, RolloutReplay, RolloutSample,
    RolloutSim, RolloutSnapshot, ASSUMPTIONS, ROLLOUT,
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
    let mut notes = notes;
    let (initial, requested) = crate::ui::scenarios::initial(model::rollout::SCENARIOS, initial, &mut notes, &ROLLOUT);
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
    let (now, reach, limit) = replay_clock(session, frame, playing);
    let picked = RwSignal::new(requested);
    let pick = replay_pick(session, state, playing, move || { frame.update(|f| *f += 1); });
    let seek = replay_seek(session, playing, move || { frame.update(|f| *f += 1); });
    let share = Callback::new(move |_: ()| session.with_value(|s| s.to_state()));

    view! {
        <WidgetFrame
            spec=spec
            caption="A release going out: traffic on the old and new versions (top), failed requests each second (bottom). Excess failures are requests the old version would have served.".into()
            notes=notes
            state=state
            share=share
            facts=Callback::new(move |_| session.with_value(rollout_facts))
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
            <ScenarioMenu list=model::rollout::SCENARIOS picked=picked on_pick=pick />
            <div class=move || if ab.get() { "panels panels-ab" } else { "panels" } node_ref=container>
                <RolloutPanel session=session index=0 frame=frame live=live refresh=refresh[0] state=state />
                <Show when=move || ab.get()>
                    <RolloutPanel session=session index=1 frame=frame live=live refresh=refresh[1] state=state />
                </Show>
            </div>
            <Timeline now=now reach=reach limit=limit on_seek=seek step=STEP text=model::replay::seconds_text />
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

/// The time axis's span (s): A and B share one, the longer run's, at least [`MIN_SPAN_S`].
fn span_of(runs: &[RolloutSim]) -> f64 {
    runs.iter().filter_map(|r| r.series().last()).map(|x| x.t_s as f64).fold(MIN_SPAN_S, f64::max)
}

/// A run's moments as the chart marks them (those still to come are NaN, unmarked), and, for a
/// count-threshold canary of a bad release that is within the formula's reach, the closed form's
/// expected detection (`expected_s`, seconds from the start; NaN draws none).
fn moments(s: &RolloutSnapshot, expected_s: f64) -> [Marker<'static>; 5] {
    [
        Marker { x: expected_s, label: "expected detection" },
        Marker { x: secs_of(s.detected_at), label: "detected" },
        Marker {
            x: if s.rollback_at == s.detected_at { f64::NAN } else { secs_of(s.rollback_at) },
            label: "rollback starts",
        },
        Marker { x: secs_of(s.rolled_back_at), label: "back on old" },
        Marker { x: secs_of(s.full_at), label: "100% new" },
    ]
}

/// Seconds from the start to the count threshold's expected detection (the canary's first request
/// plus the formula's mean), while the comparison applies; NaN otherwise.
fn expected_detection_s(sim: &RolloutSim, s: &RolloutSnapshot) -> f64 {
    match (sim.detection_theory(), s.exposure_at) {
        (Some(a), Some(at)) => a.reference().map_or(f64::NAN, |d| secs_of(Some(at)) + d),
        _ => f64::NAN,
    }
}

/// What the chart shows of `sim` (snapshot `s`, its samples copied into `samples`).
fn chart_of<'a>(
    sim: &RolloutSim,
    s: &RolloutSnapshot,
    samples: &'a [RolloutSample],
    span_s: f64,
    markers: &'a [Marker<'a>],
) -> RolloutChart<'a> {
    RolloutChart { samples, rps: sim.params().rps, share_new: s.share_new, span_s, markers }
}

/// The share card's run stops when both runs have ended, or at this simulated second.
#[cfg(not(target_family = "wasm"))]
const PREVIEW_MAX_S: u64 = model::rollout::RUN_CAP / SEC;

/// The share-card preview: the default rollout (a canary, beside blue/green on the same requests)
/// played until both runs have ended, each run's chart under its heading, on one time axis as in
/// the widget.
#[cfg(not(target_family = "wasm"))]
pub fn preview(
    db: &mut crate::preview::Svg<'_>,
    pal: &crate::ui::theme::Palette,
    scale: crate::charts::Scale,
) -> Result<(), String> {
    use crate::charts::{err, fill, Label};
    use crate::preview::Part;
    use plotters_backend::text_anchor::{HPos, VPos};
    use plotters_backend::DrawingBackend;
    let settings = ROLLOUT.defaults();
    let mut run = RolloutReplay::new(&settings);
    let mut t = 0;
    while !run.run().ended() && t < PREVIEW_MAX_S {
        t += 10;
        run.advance_to(t * SEC, u64::MAX);
    }
    let runs = run.run().sims();
    let span = span_of(runs);
    fill(db, pal.bg)?;
    let (w, h) = db.get_size();
    let n = runs.len().max(1) as u32;
    let gap = scale.px(16.0);
    let part_w = (w.saturating_sub(gap * (n - 1)) / n).max(1);
    let head = scale.px(20.0);
    let heading = Label::new(pal.fg, scale.font(13.0)).at(HPos::Left, VPos::Top);
    for (i, sim) in runs.iter().enumerate() {
        let x = (part_w + gap) as i32 * i as i32;
        db.draw_text(&run_label(&settings, i), &heading, (x, 0)).map_err(err)?;
        let s = sim.snapshot();
        let samples: Vec<RolloutSample> = sim.series().iter().copied().collect();
        let marks = moments(&s, expected_detection_s(sim, &s));
        let mut part = Part::new(db, (x, head as i32), (part_w, h.saturating_sub(head).max(1)));
        draw_rollout(&mut part, pal, scale, &chart_of(sim, &s, &samples, span, &marks))?;
    }
    db.present().map_err(err)
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
    let snap = RwSignal::new(session.with_value(|r| r.run().sims().get(index).map(RolloutSim::snapshot)));
    // The detection beside the count threshold's closed form: the badge's words (from the model).
    let theory = RwSignal::new(session.with_value(|r| {
        r.run().sims().get(index).and_then(|s| s.detection_theory()).map(|a| a.text())
    }));
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
            let span = span_of(runs);
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
                        let moments = moments(&s, expected_detection_s(sim, &s));
                        let data = chart_of(sim, &s, &sc.samples, span, &moments);
                        let drawn = canvas::draw(&canvas_el, |area, scale| draw_rollout(area, &pal, scale, &data));
                        if let Err(e) = drawn {
                            error.set(Some(e));
                        }
                    }
                    charts
                })
                .unwrap_or(0..0);
            let due = refresh.try_update_value(|r| r.text(live, &charts)).unwrap_or(true);
            if due
                && snap.with_untracked(|o| {
                    o.is_none_or(|o| (o.now, o.phase, o.rollback_at) != (s.now, s.phase, s.rollback_at))
                })
            {
                snap.set(Some(s));
                let text = sim.detection_theory().map(|a| a.text());
                if theory.with_untracked(|old| *old != text) {
                    theory.set(text);
                }
            }
        });
    });

    // The key numbers, from the model (the decision note prints the same): rebuilt when a new
    // snapshot is published, at most ten times a second while playing.
    let facts = Memo::new(move |_| {
        snap.with(|s| Facts {
            readouts: s.as_ref().map(RolloutSnapshot::readouts).unwrap_or_default(),
            ..Facts::default()
        })
    });
    let status = move || snap.with(|s| s.as_ref().map(RolloutSnapshot::status).unwrap_or_default());
    // The chart's data, following the published snapshot.
    let table = Callback::new(move |_| {
        session.with_value(|r| {
            let runs = r.run().sims();
            let Some(sim) = runs.get(index) else { return Default::default() };
            let s = sim.snapshot();
            let samples: Vec<RolloutSample> = sim.series().iter().copied().collect();
            crate::charts::rollout::table(&chart_of(sim, &s, &samples, span_of(runs), &[]))
        })
    });
    let changed = Signal::derive(move || snap.with(|s| s.as_ref().map_or(0, |s| s.now)));

    view! {
        <div class="panel rollout-panel" node_ref=root>
            <h4 class="panel-label">{move || state.with(|s| run_label(s, index))}</h4>
            <WidgetError error=error.read_only() />
            <p class="rollout-status" data-k="status">{status}</p>
            <canvas
                class="chart rollout-chart"
                node_ref=chart
                role="img"
                aria-label="Requests a second on the old and new versions, and failed requests a second, since the rollout started; the key numbers follow"
            ></canvas>
            <ChartData
                caption="Requests a second served by the old and the new version or by no pod, and failures a second (baseline and excess), by second since the rollout started"
                file=["rollout-a", "rollout-b"][index.min(1)]
                canvas=chart
                table=table
                changed=changed
            />
            <Show when=move || snap.with(Option::is_some)>
                <Readouts facts=facts.into() />
            </Show>
            <p class="rollout-plan" data-k="plan">{move || state.with(|s| plan_text(s, index))}</p>
            <Show when=move || theory.with(Option::is_some)>
                <p class="theory-badge" data-k="theory">{move || theory.get().unwrap_or_default()}</p>
            </Show>
        </div>
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    /// The share card's chart: drawn, legible and the same every time.
    #[test]
    fn its_preview_shows_both_runs_to_their_end() {
        let svg = crate::preview::checked("rollout");
        for t in ["A: Canary from 1%", "B: Blue/green", "detected", "back on old", "excess failures"] {
            assert!(crate::preview::says(&svg, t), "{t} missing");
        }
    }
}
