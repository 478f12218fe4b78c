//! `retry-storm`: clients, the dependency's workers and queue, and live charts, with outage and
//! slowdown buttons, every policy knob, and an A/B mode running two policies on the same arrivals.

#[path = "retry_panel.rs"]
mod retry_panel;

use retry_panel::RetryPanel;
use crate::ui::anim::{frame_loop, now_ms, prefers_reduced_motion, use_in_view, Budget, Refresh, Work};
use crate::ui::controls::{ParamControls, PresetPicker, SeedControl};
use crate::ui::runlog::{parse_set, RunLog};
use crate::ui::transport::{Transport, SPEEDS};
use crate::ui::widget_frame::WidgetFrame;
use leptos::prelude::*;
use model::des::secs;
use model::fmt::number;
use model::retry::{Fault, FaultKind, RetrySim, WINDOW};
use model::retry::{retry_params, RETRY_STORM};
use model::spec::{Note, State};

/// Events between clock checks.
const CHUNK: u64 = 1_024;

/// Applies the current settings to running sims (every knob but A/B and the seed applies live).
fn apply_params(v: &mut [RetrySim], st: &State) {
    v[0].set_params(retry_params(st, None));
    if let Some(b) = v.get_mut(1) {
        b.set_params(retry_params(st, Some(model::value!(RETRY_STORM, st, "preset_b") as usize)));
    }
}

fn inject_all(v: &mut [RetrySim], st: &State, kind: FaultKind) {
    let len = secs(model::value!(RETRY_STORM, st, "outage"));
    for s in v.iter_mut() {
        let now = s.now();
        s.inject(Fault { kind, start: now, duration: len });
    }
}

fn advance_all(v: &mut [RetrySim], to_us: u64) {
    for s in v.iter_mut() {
        while !s.advance_to(to_us, 1 << 20).reached {}
    }
}

/// Replays a shared run: the starting settings, each logged intervention at its simulated time,
/// then on to the playhead (`State::at_us`, at most 10 simulated minutes). Returns the settings in
/// force at the end, the sims and the log, so the reader can carry on from there.
fn replay(initial: &State) -> (State, Vec<RetrySim>, RunLog) {
    let mut st = State { at_us: 0, log: Vec::new(), ..initial.clone() };
    let mut run = RunLog::default();
    run.restart(&st);
    let mut sims = build(&st);
    for (t, action) in &initial.log {
        advance_all(&mut sims, *t);
        match action.as_str() {
            "outage" => inject_all(&mut sims, &st, FaultKind::Outage),
            "spike" => inject_all(&mut sims, &st, FaultKind::LatencySpike(5.0)),
            a => match parse_set(a) {
                // A/B, B's preset and the seed restart a run, so they cannot appear mid-run.
                Some((k, v)) if !["ab", "preset_b"].contains(&k) => {
                    st.set(&RETRY_STORM, k, v);
                    apply_params(&mut sims, &st);
                }
                _ => continue, // unknown action: skipped, not replayed
            },
        }
        run.record(*t, action.clone());
    }
    advance_all(&mut sims, initial.at_us);
    (st, sims, run)
}

fn build(st: &State) -> Vec<RetrySim> {
    let mut v = vec![RetrySim::new(retry_params(st, None), st.seed)];
    if model::value!(RETRY_STORM, st, "ab") != 0.0 {
        v.push(RetrySim::new(retry_params(st, Some(model::value!(RETRY_STORM, st, "preset_b") as usize)), st.seed));
    }
    v
}

/// The retry-storm visualizer.
#[component]
pub fn RetryStorm(
    /// Initial settings (from the article block, a share link or embed attributes).
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &RETRY_STORM;
    // A shared run (interventions or a playhead) opens paused exactly where it was shared.
    let shared_run = initial.at_us > 0 || !initial.log.is_empty();
    let (current, replayed, log) = replay(&initial);
    let state = RwSignal::new(current);
    let sims = StoredValue::new(replayed);
    let run = StoredValue::new(log);
    let frame = RwSignal::new(0u64);
    let playing = RwSignal::new(!prefers_reduced_motion() && !shared_run);
    let speed = RwSignal::new(2usize);
    let ab = Memo::new(move |_| state.with(|s| model::value!(RETRY_STORM, s, "ab") != 0.0));
    let container = NodeRef::<leptos::html::Div>::new();
    let visible = use_in_view(container);
    let live = Signal::derive(move || playing.get() && visible.get());

    // Structural changes (A/B, seed) rebuild the runs; every other knob applies live, so a reader
    // can switch on a budget in the middle of a storm.
    Effect::new(move |prev: Option<State>| {
        let st = state.get();
        if let Some(prev) = prev {
            let structural = (model::value!(RETRY_STORM, prev, "ab") != 0.0) != (model::value!(RETRY_STORM, st, "ab") != 0.0)
                || prev.seed != st.seed
                || ((model::value!(RETRY_STORM, st, "ab") != 0.0) && model::value!(RETRY_STORM, prev, "preset_b") != model::value!(RETRY_STORM, st, "preset_b"));
            if structural {
                sims.set_value(build(&st));
                run.update_value(|r| r.restart(&st));
            } else {
                let now = sims.with_value(|v| v[0].now());
                sims.update_value(|v| apply_params(v, &st));
                run.update_value(|r| r.record_changes(spec, now, &prev, &st));
            }
            frame.update(|f| *f += 1);
        }
        st
    });

    let budget = StoredValue::new(Budget::default());
    let refresh = [StoredValue::new(Refresh::default()), StoredValue::new(Refresh::default())];
    frame_loop(live, move |dt| {
        let rate = SPEEDS[speed.get_untracked()];
        let start = now_ms();
        let work = refresh.iter().filter_map(|r| r.try_with_value(|r| r.work(true))).max().unwrap_or(Work::Picture);
        let slice = budget.try_update_value(|b| b.next(dt, work)).unwrap_or(Budget::MAX_MS);
        sims.update_value(|v| {
            let target = v[0].now() + (dt * rate * 1_000.0) as u64;
            for sim in v.iter_mut() {
                while !sim.advance_to(target, CHUNK).reached {
                    if now_ms() - start > slice {
                        break; // the run falls behind rather than the page
                    }
                }
            }
        });
        frame.update(|f| *f += 1);
    });

    let step = Callback::new(move |_| {
        sims.update_value(|v| {
            v.iter_mut().for_each(|s| {
                s.advance(WINDOW);
            })
        });
        frame.update(|f| *f += 1);
    });
    let reset = Callback::new(move |_| {
        sims.set_value(build(&state.get_untracked()));
        run.update_value(|r| r.restart(&state.get_untracked()));
        frame.update(|f| *f += 1);
    });
    let inject = move |kind: FaultKind| {
        let now = sims.with_value(|v| v[0].now());
        let action = if kind == FaultKind::Outage { "outage" } else { "spike" };
        run.update_value(|r| r.record(now, action.to_string()));
        state.with_untracked(|st| sims.update_value(|v| inject_all(v, st, kind)));
        playing.set(true);
    };
    // Share links replay this run: its starting settings, the interventions and the playhead.
    let share = Callback::new(move |_: ()| {
        let now = sims.with_value(|v| v[0].now());
        state.with_untracked(|st| run.with_value(|r| r.shareable(st, now)))
    });
    let outage_label = move || format!("Trigger outage ({} s)", state.with(|s| number(model::value!(RETRY_STORM, s, "outage"))));
    let spike_label = move || format!("Slow it down 5× ({} s)", state.with(|s| number(model::value!(RETRY_STORM, s, "outage"))));

    view! {
        <WidgetFrame
            spec=spec
            caption="Retry storm: each square is a client; below, the dependency's workers and its queue. Red is work nobody is waiting for any more.".into()
            notes=notes
            state=state
            share=share
        >
            <div class="widget-toolbar">
                <Transport playing=playing speed=speed on_step=step on_reset=reset />
                <div class="fault-buttons">
                    <button type="button" class="btn btn-danger" data-action="outage" on:click=move |_| inject(FaultKind::Outage)>
                        {outage_label}
                    </button>
                    <button type="button" class="btn" data-action="spike" on:click=move |_| inject(FaultKind::LatencySpike(5.0))>
                        {spike_label}
                    </button>
                </div>
            </div>
            <div class=move || if ab.get() { "panels panels-ab" } else { "panels" } node_ref=container>
                <RetryPanel sims=sims index=0 frame=frame live=live refresh=refresh[0] label=Signal::derive(move || if ab.get() { "A: your policy".to_string() } else { String::new() }) />
                <Show when=move || ab.get()>
                    <RetryPanel
                        sims=sims
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
