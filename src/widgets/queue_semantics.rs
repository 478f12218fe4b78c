//! `queue-semantics`: the same orders through an SQS-like queue and a Kafka-like log, side by
//! side, with buttons for a slow order, a poison order, a crash, more partitions and a new
//! consumer group. Each side shows its consumers, what it holds (the queue's messages and
//! dead-letter queue, the log's lag by partition) and the busiest customers' lanes, with the
//! numbers from the model beside it.

use crate::charts::semantics::{draw_side, lag_table, queue_table};
use crate::ui::chart_data::ChartData;
use crate::ui::anim::{frame_loop, now_ms, prefers_reduced_motion, use_in_view, Budget, Refresh, Work};
use crate::ui::chart::WidgetError;
use crate::ui::controls::{unique_id, ParamControls, PresetPicker, SeedControl};
use crate::ui::theme::{Palette, PaletteCache};
use crate::ui::timeline::{replay_clock, replay_seek, Timeline};
use crate::ui::scenarios::{replay_pick, ScenarioMenu};
use crate::ui::transport::{Transport, SPEEDS};
use crate::ui::widget_frame::WidgetFrame;
use crate::widgets::canvas;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::des::{Micros, SEC};
use model::queue_semantics::{
    queue_semantics_facts, titles, QueueSemanticsAction, QueueSemanticsReplay, QueueSemanticsSnapshot, Row, Side,
    QUEUE_SEMANTICS,
};
use model::spec::{Note, State};

/// Events between clock checks.
const CHUNK: u64 = 2_048;
/// Simulated time per Step.
const STEP: Micros = SEC;
/// The speed it starts at (an index into `SPEEDS`: 5×).
const START_SPEED: usize = 4;
/// Notable events listed under the pictures.
const EVENTS: usize = 4;
/// Lane cells per customer in each picture's text alternative.
const LANE_WORDS: usize = 6;

/// What the text under and beside the pictures says, refreshed with the readouts.
#[derive(Clone, Debug, Default, PartialEq)]
struct Words {
    snap: Option<QueueSemanticsSnapshot>,
    queue_lanes: String,
    log_lanes: String,
    events: Vec<String>,
    /// The queue beside Little's law, or why not now.
    theory: String,
}

impl Words {
    fn of(run: &QueueSemanticsReplay) -> Words {
        let sim = run.run();
        Words {
            snap: Some(sim.snapshot()),
            queue_lanes: sim.lanes_text(Side::Queue, LANE_WORDS),
            log_lanes: sim.lanes_text(Side::Log { group: 0 }, LANE_WORDS),
            events: sim.recent_events(EVENTS),
            theory: sim.queue_theory().text(),
        }
    }
}

#[derive(Default)]
struct Scratch {
    palette: PaletteCache,
    refresh: Refresh,
    /// The canvas size epoch last drawn at (a resize clears the canvases).
    sizes: u32,
    /// The simulated time the pictures last showed.
    drawn_at: Option<Micros>,
}

/// One side's readout: its rows laid out once from `first`, each value following `value(i)`.
fn readout(
    label: &'static str,
    first: &[Row],
    value: impl Fn(usize) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let items = first
        .iter()
        .enumerate()
        .map(|(i, r)| view! { <div class:wide=r.wide><dt>{r.label}</dt><dd data-k=r.key>{move || value(i)}</dd></div> })
        .collect_view();
    view! { <dl class="readout qs-readout" aria-label=label>{items}</dl> }
}

/// The share card's run: this many simulated seconds of the default settings, no button pressed.
#[cfg(not(target_family = "wasm"))]
const PREVIEW_S: u64 = 180;

/// The share-card preview: three simulated minutes of the default orders, the queue's picture
/// beside the log's under their headings, as the widget shows them: the standard queue already
/// processes some customers' orders out of order, the log does not.
#[cfg(not(target_family = "wasm"))]
pub fn preview(db: &mut crate::preview::Svg<'_>, pal: &Palette, scale: crate::charts::Scale) -> Result<(), String> {
    use crate::charts::{err, fill, Label};
    use crate::preview::Part;
    use plotters_backend::text_anchor::{HPos, VPos};
    use plotters_backend::DrawingBackend;
    let settings = QUEUE_SEMANTICS.defaults();
    let mut run = QueueSemanticsReplay::new(&settings);
    run.advance_to(PREVIEW_S * SEC, u64::MAX);
    let sim = run.run();
    let (queue, log) = titles(&settings, &sim.snapshot());
    fill(db, pal.bg)?;
    let (w, h) = db.get_size();
    let gap = scale.px(16.0);
    let side_w = (w.saturating_sub(gap) / 2).max(1);
    let head = scale.px(20.0);
    let heading = Label::new(pal.fg, scale.font(12.0)).at(HPos::Left, VPos::Top);
    let side_h = h.saturating_sub(head).max(1);
    for (i, (title, side)) in [(queue, Side::Queue), (log, Side::Log { group: 0 })].into_iter().enumerate() {
        let x = (side_w + gap) as i32 * i as i32;
        db.draw_text(&title, &heading, (x, 0)).map_err(err)?;
        // The picture is laid out for its canvas's height; a shorter card squeezes it.
        let height = crate::charts::semantics::HEIGHT as u32;
        let mut part = Part::squeezed(db, (x, head as i32), (side_w, side_h), height);
        draw_side(&mut part, pal, scale, sim, side, sim.queue_theory().reference())?;
    }
    db.present().map_err(err)
}

/// The queue-semantics comparison.
#[component]
pub fn QueueSemantics(
    /// Initial settings (from the article block, a share link or embed attributes).
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let mut notes = notes;
    let (initial, requested) = crate::ui::scenarios::initial(model::queue_semantics::SCENARIOS, initial, &mut notes, &QUEUE_SEMANTICS);
    let spec = &QUEUE_SEMANTICS;
    // A shared run (button presses or a playhead) opens paused exactly where it was shared.
    let shared_run = initial.at_us > 0 || !initial.log.is_empty();
    let replayed = QueueSemanticsReplay::open(&initial);
    let first = replayed.snapshot();
    let state = RwSignal::new(replayed.settings().clone());
    let session = StoredValue::new(replayed);
    let frame = RwSignal::new(0u64);
    let playing = RwSignal::new(!prefers_reduced_motion() && !shared_run);
    let speed = RwSignal::new(START_SPEED);
    let words = RwSignal::new(Words::default());
    let error = RwSignal::new(None::<String>);
    let root = NodeRef::<Div>::new();
    let queue_canvas = NodeRef::<Canvas>::new();
    let log_canvas = NodeRef::<Canvas>::new();
    let scratch = StoredValue::new_local(Scratch::default());
    let (queue_id, log_id) = (unique_id("qs-queue-lanes"), unique_id("qs-log-lanes"));
    // On a talk slide the settings start folded: the pictures and the buttons are what the room
    // needs to see, and the slide scales the whole widget down to fit.
    let on_slide = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .is_some_and(|b| b.class_name().split_whitespace().any(|c| c == "talk"));

    // Every setting changes the orders or how a side treats them: the run restarts.
    Effect::new(move |prev: Option<()>| {
        let st = state.get();
        if prev.is_some() {
            session.update_value(|s| {
                s.change(&st);
            });
            // A new run may start at the same clock as the last one: its words cannot wait for time.
            session.with_value(|s| words.set(Words::of(s)));
            scratch.update_value(|s| s.drawn_at = None);
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
            while !s.advance_to(target, CHUNK).reached && now_ms() - start < slice {}
        });
        frame.update(|f| *f += 1);
    });

    // Draw the pictures (one per frame while playing, at the chart pace) and publish the words.
    Effect::new(move |_| {
        frame.track();
        crate::ui::theme::theme_epoch().track();
        let sizes = canvas::size_epoch();
        let live = live.get();
        let (Some(root), Some(qc), Some(lc)) = (root.get(), queue_canvas.get(), log_canvas.get()) else { return };
        let pal = scratch.try_update_value(|sc| sc.palette.get(&root)).unwrap_or(Palette::LIGHT);
        session.with_value(|r| {
            let sim = r.run();
            let now = sim.now();
            let due = scratch
                .try_update_value(|sc| {
                    let resized = std::mem::replace(&mut sc.sizes, sizes) != sizes;
                    let changed = sc.drawn_at != Some(now);
                    let which = sc.refresh.charts(live, resized, changed, 2);
                    if which.end == 2 || (!live && !which.is_empty()) {
                        sc.drawn_at = Some(now);
                    }
                    let sides = [Side::Queue, Side::Log { group: 0 }];
                    // Little's law's mean in flight, on the queue, while it applies.
                    let mean = if which.contains(&0) { sim.queue_theory().reference() } else { None };
                    if let Err(e) = canvas::draw_each(&[&qc, &lc], which.clone(), |i, area, scale| {
                        let side = sides[usize::from(i)];
                        draw_side(area, &pal, scale, sim, side, if side == Side::Queue { mean } else { None })
                    }) {
                        error.set(Some(e));
                    }
                    sc.refresh.text(live, &which)
                })
                .unwrap_or(true);
            if due && words.with_untracked(|w| w.snap.is_none_or(|s| s.now != now)) {
                words.set(Words::of(r));
            }
        });
    });

    let step = Callback::new(move |_| {
        session.update_value(|s| s.step(STEP));
        frame.update(|f| *f += 1);
    });
    let reset = Callback::new(move |_| {
        session.set_value(QueueSemanticsReplay::new(&state.get_untracked()));
        session.with_value(|s| words.set(Words::of(s)));
        scratch.update_value(|s| s.drawn_at = None);
        frame.update(|f| *f += 1);
    });
    let press = move |action: QueueSemanticsAction| {
        session.update_value(|s| s.record(s.now(), action));
        // What the press did shows at once (a button it disables greys out before the next tick).
        session.with_value(|s| words.set(Words::of(s)));
        scratch.update_value(|s| s.drawn_at = None);
        playing.set(true);
        frame.update(|f| *f += 1);
    };
    // Share links replay this run: its settings, the presses and the playhead.
    let (now, reach, limit) = replay_clock(session, frame, playing);
    let picked = RwSignal::new(requested);
    let pick = replay_pick(session, state, playing, move || { session.with_value(|s| words.set(Words::of(s))); scratch.update_value(|s| s.drawn_at = None); frame.update(|f| *f += 1); });
    let seek = replay_seek(session, playing, move || { session.with_value(|s| words.set(Words::of(s))); scratch.update_value(|s| s.drawn_at = None); frame.update(|f| *f += 1); });
    let share = Callback::new(move |_: ()| session.with_value(|s| s.to_state()));

    let buttons = QueueSemanticsAction::ALL
        .into_iter()
        .map(|a| {
            let label = move || {
                let snap = words.with(|w| w.snap.unwrap_or(first));
                state.with(|settings| a.label(settings, &snap))
            };
            let disabled = move || words.with(|w| !w.snap.unwrap_or(first).can(a));
            let class = if a == QueueSemanticsAction::Crash { "btn btn-danger" } else { "btn" };
            view! {
                <button type="button" class=class data-action=a.code() disabled=disabled on:click=move |_| press(a)>
                    {label}
                </button>
            }
        })
        .collect_view();
    let title = move |log: bool| {
        move || {
            let s = words.with(|w| w.snap.unwrap_or(first));
            let (q, l) = state.with(|st| titles(st, &s));
            if log {
                l
            } else {
                q
            }
        }
    };
    let status = move || words.with(|w| w.snap.unwrap_or(first).status());
    // The pictures' numbers as tables, following the published words.
    let changed = Signal::derive(move || words.with(|w| w.snap.map_or(0, |s| s.now)));
    let queue_data = Callback::new(move |_| {
        session.with_value(|r| {
            let sim = r.run();
            queue_table(sim, sim.queue_theory().reference())
        })
    });
    let lag_data = Callback::new(move |_| session.with_value(|r| lag_table(r.run())));
    // Both sides' rows from the model (the decision note prints the same), built once per
    // published snapshot, at most ten times a second while playing.
    let rows = Memo::new(move |_| {
        words.with(|w| {
            let s = w.snap.unwrap_or(first);
            (s.queue_rows(), s.log_rows())
        })
    });
    // A fixed list of lines, each empty until there is an event for it (CSS hides empty ones).
    let events = (0..EVENTS)
        .map(|i| {
            let line = move || {
                words.with(|w| match (i, w.events.get(i)) {
                    (_, Some(e)) => e.clone(),
                    (0, None) => "Nothing notable yet: press a button above.".to_string(),
                    _ => String::new(),
                })
            };
            view! { <li>{line}</li> }
        })
        .collect_view();

    view! {
        <WidgetFrame
            spec=spec
            caption="One stream of orders, keyed by customer, through a queue (left) and a log (right). Lanes show the busiest customers' orders as they are processed, newest on the right.".into()
            notes=notes
            state=state
            share=share
            facts=Callback::new(move |_| session.with_value(queue_semantics_facts))
        >
            <div class="widget-toolbar">
                <Transport playing=playing speed=speed on_step=step on_reset=reset />
                <div class="fault-buttons qs-buttons">{buttons}</div>
            </div>
            <ScenarioMenu list=model::queue_semantics::SCENARIOS picked=picked on_pick=pick />
            <div class="qs" node_ref=root>
                <WidgetError error=error.read_only() />
                <p class="qs-status" data-k="time" aria-live="off">{status}</p>
                <div class="qs-sides">
                    <section class="qs-side" data-side="queue">
                        <h4 class="panel-label">{title(false)}</h4>
                        <canvas
                            class="qs-picture"
                            node_ref=queue_canvas
                            role="img"
                            aria-label="The queue: its consumers, its messages (in flight, then waiting; Little's law's mean in flight as a dashed line while it applies) and the customer lanes"
                            aria-describedby=queue_id.clone()
                        ></canvas>
                        <ChartData caption="The queue by simulated second: messages in flight and waiting, and Little's law's mean in flight while it applies" file="queue-semantics-queue" canvas=queue_canvas table=queue_data changed=changed />
                        <p id=queue_id class="visually-hidden">{move || words.with(|w| w.queue_lanes.clone())}</p>
                        <p class="theory-badge" data-k="theory">{move || words.with(|w| w.theory.clone())}</p>
                        {readout("Queue numbers", &first.queue_rows(), move |i| rows.with(|r| r.0[i].value.clone()))}
                    </section>
                    <section class="qs-side" data-side="log">
                        <h4 class="panel-label">{title(true)}</h4>
                        <canvas
                            class="qs-picture"
                            node_ref=log_canvas
                            role="img"
                            aria-label="The log: its consumer group, the lag of each partition and the customer lanes"
                            aria-describedby=log_id.clone()
                        ></canvas>
                        <ChartData caption="The log's lag by partition now (records written and not yet committed by the group)" file="queue-semantics-lag" canvas=log_canvas table=lag_data changed=changed />
                        <p id=log_id class="visually-hidden">{move || words.with(|w| w.log_lanes.clone())}</p>
                        {readout("Log numbers", &first.log_rows(), move |i| rows.with(|r| r.1[i].value.clone()))}
                    </section>
                </div>
                <ul class="legend qs-legend" aria-label="What the lane marks mean">
                    <li><span class="qs-mark qs-ok">"#7"</span>"processed"</li>
                    <li><span class="qs-mark qs-late">"late"</span>"after a later order of the same customer"</li>
                    <li><span class="qs-mark qs-dup">"×2"</span>"delivered again"</li>
                    <li><span class="qs-mark qs-fail">"fail"</span>"poison order failed"</li>
                    <li><span class="qs-mark qs-dlq">"DLQ"</span>"dead-lettered"</li>
                    <li><span class="qs-mark qs-slow">"slow"</span>"the slow order"</li>
                </ul>
                <div class="qs-events">
                    <h5>"Latest events"</h5>
                    <ol data-k="events">{events}</ol>
                </div>
            </div>
            <Timeline now=now reach=reach limit=limit on_seek=seek step=STEP text=model::replay::seconds_text />
            <details class="knobs" open=!on_slide>
                <summary>"Settings"</summary>
                <div class="qs-knobs">
                    <fieldset>
                        <legend>"Orders and consumers"</legend>
                        <div class="controls-grid">
                            <PresetPicker spec=spec state=state label="Preset" />
                            <ParamControls spec=spec state=state />
                            <SeedControl state=state />
                        </div>
                    </fieldset>
                    <fieldset>
                        <legend>"Queue"</legend>
                        <div class="controls-grid"><ParamControls spec=spec state=state group="queue" /></div>
                    </fieldset>
                    <fieldset>
                        <legend>"Log"</legend>
                        <div class="controls-grid"><ParamControls spec=spec state=state group="log" /></div>
                    </fieldset>
                </div>
            </details>
        </WidgetFrame>
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    /// The share card's chart: drawn, legible and the same every time.
    #[test]
    fn its_preview_shows_the_queue_beside_the_log() {
        let svg = crate::preview::checked("queue-semantics");
        for t in ["Queue (SQS-like): standard, visibility timeout 30 s", "lag by", "customer-3", "late"] {
            assert!(crate::preview::says(&svg, t), "{t} missing");
        }
    }
}
