//! `retry-storm`: clients, the dependency's workers and queue, and live charts, with outage and
//! slowdown buttons, every policy knob, and an A/B mode running two policies on the same arrivals.

#[path = "retry_panel.rs"]
mod retry_panel;

use crate::ui::anim::{frame_loop, now_ms, prefers_reduced_motion, use_in_view, Budget, Refresh, Work};
use crate::ui::controls::{ParamControls, PresetPicker, SeedControl};
use crate::ui::timeline::{replay_clock, replay_seek, Timeline};
use crate::ui::scenarios::{replay_pick, ScenarioMenu};
use crate::ui::transport::{Transport, SPEEDS};
use crate::ui::widget_frame::WidgetFrame;
use leptos::prelude::*;
use model::fmt::number;
use model::retry::{RetryAction, RetryReplay, RETRY_STORM, SPIKE_FACTOR, WINDOW};
use model::spec::{Note, State};
use retry_panel::RetryPanel;

/// Events between clock checks.
const CHUNK: u64 = 1_024;

/// The share card's run: the default settings, the reader's outage pressed at this second…
#[cfg(not(target_family = "wasm"))]
const PREVIEW_OUTAGE_S: u64 = 10;
/// …and the run on to this one, so the chart shows the storm outliving the outage.
#[cfg(not(target_family = "wasm"))]
const PREVIEW_END_S: u64 = 30;

/// The share-card preview: the rates chart of the default run with an outage at 10 s, to 30 s.
/// (The picture of clients paints pixels, which SVG cannot take.)
#[cfg(not(target_family = "wasm"))]
pub fn preview(
    db: &mut crate::preview::Svg<'_>,
    pal: &crate::ui::theme::Palette,
    scale: crate::charts::Scale,
) -> Result<(), String> {
    use crate::charts::series::Marker;
    use model::des::SEC;
    let mut run = RetryReplay::new(&RETRY_STORM.defaults());
    run.record(PREVIEW_OUTAGE_S * SEC, RetryAction::Outage);
    run.advance_to(PREVIEW_END_S * SEC, u64::MAX);
    let sim = &run.run().sims()[0];
    let mut lines = Default::default();
    retry_panel::series_lines(sim, &mut lines);
    let outage = model::value!(RETRY_STORM, run.settings(), "outage");
    let start = PREVIEW_OUTAGE_S as f64;
    let label = format!("{} s outage", number(outage));
    let markers = [Marker { x: start, label: &label }, Marker { x: start + outage, label: "dependency healthy again" }];
    retry_panel::draw_rates(db, pal, scale, &lines, sim.params().capacity_rps(), &markers)
}

/// The retry-storm visualizer.
#[component]
pub fn RetryStorm(
    /// Initial settings (from the article block, a share link or embed attributes).
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let mut notes = notes;
    let (initial, requested) = crate::ui::scenarios::initial(model::retry::SCENARIOS, initial, &mut notes, &RETRY_STORM);
    let spec = &RETRY_STORM;
    // A shared run (interventions or a playhead) opens paused exactly where it was shared.
    let shared_run = initial.at_us > 0 || !initial.log.is_empty();
    // The run, its interventions and the link's replay are the model's (`model::replay`).
    let replayed = RetryReplay::open(&initial);
    let state = RwSignal::new(replayed.settings().clone());
    let session = StoredValue::new(replayed);
    let frame = RwSignal::new(0u64);
    let playing = RwSignal::new(!prefers_reduced_motion() && !shared_run);
    let speed = RwSignal::new(2usize);
    let ab = Memo::new(move |_| state.with(|s| model::value!(RETRY_STORM, s, "ab") != 0.0));
    let container = NodeRef::<leptos::html::Div>::new();
    let visible = use_in_view(container);
    let live = Signal::derive(move || playing.get() && visible.get());

    // Structural changes (A/B, B's policy, seed) restart the run; every other knob applies live
    // and is logged, so a reader can switch on a budget in the middle of a storm.
    Effect::new(move |prev: Option<()>| {
        let st = state.get();
        if prev.is_some() {
            session.update_value(|s| {
                s.change(&st);
            });
            frame.update(|f| *f += 1);
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
        session.update_value(|s| s.step(WINDOW));
        frame.update(|f| *f += 1);
    });
    let reset = Callback::new(move |_| {
        session.set_value(RetryReplay::new(&state.get_untracked()));
        frame.update(|f| *f += 1);
    });
    let inject = move |action: RetryAction| {
        session.update_value(|s| s.record(s.now(), action));
        playing.set(true);
    };
    let (now, reach, limit) = replay_clock(session, frame, playing);
    let picked = RwSignal::new(requested);
    let pick = replay_pick(session, state, playing, move || { frame.update(|f| *f += 1); });
    let seek = replay_seek(session, playing, move || frame.update(|f| *f += 1));
    // Share links replay this run: its starting settings, the interventions and the playhead.
    let share = Callback::new(move |_: ()| session.with_value(|s| s.to_state()));
    let outage_label =
        move || format!("Trigger outage ({} s)", state.with(|s| number(model::value!(RETRY_STORM, s, "outage"))));
    let spike_label = move || {
        format!(
            "Slow it down {}× ({} s)",
            number(SPIKE_FACTOR),
            state.with(|s| number(model::value!(RETRY_STORM, s, "outage")))
        )
    };

    view! {
        <WidgetFrame
            spec=spec
            caption="Retry storm: each square is a client; below, the dependency's workers and its queue. Red is work nobody is waiting for any more.".into()
            notes=notes
            state=state
            share=share
            facts=Callback::new(move |_| session.with_value(model::retry::retry_storm_facts))
        >
            <div class="widget-toolbar">
                <Transport playing=playing speed=speed on_step=step on_reset=reset />
                <div class="fault-buttons">
                    <button type="button" class="btn btn-danger" data-action="outage" on:click=move |_| inject(RetryAction::Outage)>
                        {outage_label}
                    </button>
                    <button type="button" class="btn" data-action="spike" on:click=move |_| inject(RetryAction::Spike)>
                        {spike_label}
                    </button>
                </div>
            </div>
            <ScenarioMenu list=model::retry::SCENARIOS picked=picked on_pick=pick />
            <div class=move || if ab.get() { "panels panels-ab" } else { "panels" } node_ref=container>
                <RetryPanel session=session index=0 frame=frame live=live refresh=refresh[0] label=Signal::derive(move || if ab.get() { "A: your policy".to_string() } else { String::new() }) />
                <Show when=move || ab.get()>
                    <RetryPanel
                        session=session
                        index=1
                        frame=frame
                        live=live
                        refresh=refresh[1]
                        label=Signal::derive(move || {
                            let i = state.with(|s| model::value!(RETRY_STORM, s, "preset_b") as usize);
                            format!("B: {}", spec.presets[i].0)
                        })
                    />
                </Show>
            </div>
            <Timeline now=now reach=reach limit=limit on_seek=seek step=WINDOW text=model::replay::seconds_text />
            <details class="knobs" open=true>
                <summary>"Settings"</summary>
                <div class="controls-grid">
                    <PresetPicker spec=spec state=state />
                    <ParamControls spec=spec state=state />
                    <SeedControl state=state />
                    <ParamControls spec=spec state=state group="ab" />
                </div>
            </details>
        </WidgetFrame>
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    /// The share card's chart: drawn, legible and the same every time.
    #[test]
    fn its_preview_shows_the_storm_outliving_the_outage() {
        let svg = crate::preview::checked("retry-storm");
        for t in ["2 s outage", "dependency healthy again", "attempts", "goodput", "capacity"] {
            assert!(crate::preview::says(&svg, t), "{t} missing");
        }
    }
}
