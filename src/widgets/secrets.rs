//! `secrets`: short-lived credentials trade exposure for a runtime dependency. The lifetime
//! ladder (a log scale from "never" to 15 minutes, a slider over [`model::secrets::LADDER`], arrow
//! keys step it; not a `.control-range`, whose slider value is the setting itself: here the
//! share link says `ttl=1h`) sets both sides: "Leak now" drops a leak on the credential in use and the
//! timeline runs until rotation, expiry or revocation; the outage slider shows which workloads
//! fail when their credentials expire while the issuer is down.

use crate::charts::secrets::{draw_secrets, SecretsChart};
use crate::ui::anim::{frame_loop, prefers_reduced_motion, use_in_view, Refresh};
use crate::ui::chart::WidgetError;
use crate::ui::chart_data::ChartData;
use crate::ui::controls::{unique_id, ParamControls, SeedControl};
use crate::ui::readouts::Readouts;
use crate::ui::theme::PaletteCache;
use crate::ui::scenarios::{replay_pick, ScenarioMenu};
use crate::ui::timeline::{replay_clock, replay_seek, Timeline};
use crate::ui::transport::{Transport, SPEEDS};
use crate::ui::widget_frame::WidgetFrame;
use crate::widgets::canvas;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::note::Facts;
use model::secrets::{
    analyse, failing_cells, outage_text, report_readouts, secrets_facts, secrets_params, SecretsAction,
    SecretsReplay, SecretsRun, SecretsSnapshot, ASSUMPTIONS, LADDER, SECRETS,
};
use model::spec::{Note, State};

/// What Step advances: one second of the replay clock (a sixtieth of the timeline).
const STEP: u64 = model::des::SEC;
/// The speed the widget starts at (index into `SPEEDS`: 1×, the timeline in a minute).
const START_SPEED: usize = 2;
/// Cells in the workload strip.
const CELLS: usize = 40;

/// The chart's data from a run.
fn chart_of<'a>(run: &SecretsRun, s: &'a SecretsSnapshot, rotations: &'a [u64]) -> SecretsChart<'a> {
    SecretsChart {
        horizon: s.horizon_s,
        now: s.now_s,
        rotations,
        never: run.params().rung().seconds.is_none(),
        leaks: s.leaks(),
    }
}

/// The share-card preview: the default timeline with two leaks, played to its end.
#[cfg(not(target_family = "wasm"))]
pub fn preview(
    db: &mut crate::preview::Svg<'_>,
    pal: &crate::ui::theme::Palette,
    scale: crate::charts::Scale,
) -> Result<(), String> {
    let mut r = SecretsReplay::new(&SECRETS.defaults());
    r.record(8 * model::des::SEC, SecretsAction::Leak);
    r.record(30 * model::des::SEC, SecretsAction::Leak);
    r.advance_to(model::secrets::RUN_US, u64::MAX);
    let rotations: Vec<u64> = r.run().rotations().collect();
    let s = r.snapshot();
    draw_secrets(db, pal, scale, &chart_of(r.run(), &s, &rotations))
}

/// The secrets widget.
#[component]
pub fn Secrets(
    /// Initial settings (from the article block, a share link or embed attributes).
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &SECRETS;
    let mut notes = notes;
    let (initial, requested) = crate::ui::scenarios::initial(model::secrets::SCENARIOS, initial, &mut notes, &SECRETS);
    let shared_run = initial.at_us > 0 || !initial.log.is_empty();
    let replayed = SecretsReplay::open(&initial);
    let state = RwSignal::new(replayed.settings().clone());
    let session = StoredValue::new(replayed);
    let frame = RwSignal::new(0u64);
    let playing = RwSignal::new(!prefers_reduced_motion() && !shared_run);
    let speed = RwSignal::new(START_SPEED);
    let container = NodeRef::<Div>::new();
    let visible = use_in_view(container);
    let live = Signal::derive(move || playing.get() && visible.get());
    let snap = RwSignal::new(session.with_value(|s| s.snapshot()));
    let report = Memo::new(move |_| analyse(&secrets_params(&state.get())));

    // Settings: the outage, capacity, fleet and leak rate apply mid-run; the lifetime and
    // detection start the timeline again.
    Effect::new(move |prev: Option<()>| {
        let st = state.get();
        if prev.is_some() {
            session.update_value(|s| {
                s.change(&st);
            });
            frame.update(|f| *f += 1);
        }
    });
    // The timeline over: the clock stops.
    Effect::new(move |_| {
        frame.track();
        if session.with_value(|s| s.run().ended()) && playing.get_untracked() {
            playing.set(false);
        }
    });
    frame_loop(live, move |dt| {
        let rate = SPEEDS[speed.get_untracked()];
        session.update_value(|s| {
            let target = s.now() + (dt * rate * 1_000.0) as u64;
            s.advance_to(target, u64::MAX);
        });
        frame.update(|f| *f += 1);
    });
    let step = Callback::new(move |_| {
        session.update_value(|s| s.step(STEP));
        frame.update(|f| *f += 1);
    });
    let reset = Callback::new(move |_| {
        session.set_value(SecretsReplay::new(&state.get_untracked()));
        frame.update(|f| *f += 1);
    });
    let leak = move |_| {
        session.update_value(|s| s.record(s.now(), SecretsAction::Leak));
        if !playing.get_untracked() && !session.with_value(|s| s.run().ended()) {
            playing.set(true);
        }
        frame.update(|f| *f += 1);
    };
    let share = Callback::new(move |_: ()| session.with_value(|s| s.to_state()));
    let (now, reach, limit) = replay_clock(session, frame, playing);
    let seek = replay_seek(session, playing, move || frame.update(|f| *f += 1));
    let picked = RwSignal::new(requested);
    let pick = replay_pick(session, state, playing, move || frame.update(|f| *f += 1));

    // The chart's data (the leaks drawn), following the published snapshot.
    let table = Callback::new(move |_| {
        session.with_value(|r| crate::charts::secrets::table(&chart_of(r.run(), &r.snapshot(), &[])))
    });
    let changed = Signal::derive(move || snap.with(|s| s.now_s + s.count as u64));

    // The chart and the snapshot follow the run.
    let chart = NodeRef::<Canvas>::new();
    let error = RwSignal::new(None::<String>);
    let scratch = StoredValue::new_local((PaletteCache::default(), 0u32, 0u32, Vec::<u64>::new(), u64::MAX));
    let refresh = StoredValue::new(Refresh::default());
    Effect::new(move |_| {
        frame.track();
        let theme = crate::ui::theme::theme_epoch().get();
        let sizes = canvas::size_epoch();
        let live = live.get();
        let (Some(root), Some(canvas_el)) = (container.get(), chart.get()) else { return };
        session.with_value(|r| {
            let run = r.run();
            let s = r.snapshot();
            let charts = scratch
                .try_update_value(|(palette, theme_at, sizes_at, rotations, drawn)| {
                    let retheme = std::mem::replace(theme_at, theme) != theme;
                    if retheme {
                        *palette = PaletteCache::default();
                    }
                    let pal = palette.get(&root);
                    let resized = std::mem::replace(sizes_at, sizes) != sizes || retheme;
                    let changed = *drawn != s.now_s + s.count as u64 || rotations.is_empty();
                    let charts = refresh.try_update_value(|f| f.charts(live, resized, changed, 1)).unwrap_or(0..1);
                    if !charts.is_empty() {
                        *drawn = s.now_s + s.count as u64;
                        rotations.clear();
                        rotations.extend(run.rotations().take(4_096));
                        let data = chart_of(run, &s, rotations);
                        if let Err(e) = canvas::draw(&canvas_el, |area, scale| draw_secrets(area, &pal, scale, &data)) {
                            error.set(Some(e));
                        }
                    }
                    charts
                })
                .unwrap_or(0..0);
            let due = refresh.try_update_value(|f| f.text(live, &charts)).unwrap_or(true);
            if due && snap.with_untracked(|o| o != &s) {
                snap.set(s);
            }
        });
    });

    // The lifetime ladder: a slider over the rungs (a choice in the share link: `ttl=1h`).
    let ttl_id = unique_id("secrets-ttl");
    let rung = move || state.with(|s| s.value_of(spec, "ttl").unwrap_or(0.0)) as usize;
    let rung_label = move || LADDER[rung().min(LADDER.len() - 1)].label;
    let ttl_text = move || {
        let r = LADDER[rung().min(LADDER.len() - 1)];
        format!("{}, {}", r.label, if r.dynamic { "dynamic, from the issuer" } else { "static key" })
    };

    // The workload strip: failing cells marked ✕ as well as coloured.
    let cells = move || {
        let n = report.with(|r| failing_cells(r, CELLS));
        (0..CELLS)
            .map(|i| {
                let fail = i < n;
                view! {
                    <span class="wl" class:wl-fail=fail aria-hidden="true">{if fail { "✕" } else { "✓" }}</span>
                }
            })
            .collect_view()
    };

    let facts = Memo::new(move |_| {
        let mut readouts = report.with(report_readouts);
        readouts.extend(snap.with(|s| s.readouts()));
        Facts { verdict: report.with(|r| r.verdict.clone()), readouts, ..Facts::default() }
    });

    view! {
        <WidgetFrame
            spec=spec
            caption="Slide the credential lifetime from never rotated down to 15 minutes. “Leak now” leaks the credential in use: the orange bar is how long it stays useful, until rotation, expiry or revocation. The outage slider shows which workloads fail when their credentials expire while the issuer is down. Leak rates and the fleet are illustrative.".into()
            notes=notes
            state=state
            share=share
            facts=Callback::new(move |_| session.with_value(secrets_facts))
        >
            <div class="widget-toolbar">
                <Transport playing=playing speed=speed on_step=step on_reset=reset />
                <div class="fault-buttons">
                    <button type="button" class="btn btn-primary" data-action="leak" on:click=leak>
                        "Leak now"
                    </button>
                </div>
            </div>
            <ScenarioMenu list=model::secrets::SCENARIOS picked=picked on_pick=pick />
            <div class="control control-ladder secrets-ttl" data-key="ttl">
                <label for=ttl_id.clone()>"Credential lifetime"</label>
                <input
                    id=ttl_id.clone()
                    type="range"
                    min="0"
                    max=(LADDER.len() - 1).to_string()
                    step="1"
                    prop:value=move || rung().to_string()
                    aria-valuetext=ttl_text
                    on:input=move |ev| {
                        if let Some(v) = model::num::parse_decimal(&event_target_value(&ev)) {
                            state.update(|s| s.set(spec, "ttl", v));
                        }
                    }
                />
                <output for=ttl_id>{rung_label}</output>
                <span class="ttl-scale" aria-hidden="true">
                    <span>"never"</span>
                    <span>"1 y"</span>
                    <span>"90 d"</span>
                    <span>"30 d"</span>
                    <span>"1 d"</span>
                    <span>"1 h"</span>
                    <span>"15 min"</span>
                </span>
            </div>
            <div class="panel secrets-panel" node_ref=container>
                <p class="verdict" data-k="verdict" aria-live="polite">{move || report.with(|r| r.verdict.clone())}</p>
                <WidgetError error=error.read_only() />
                <canvas
                    class="chart secrets-chart"
                    node_ref=chart
                    role="img"
                    aria-label="Timeline of the credential's rotations and of each leak's exposure window; the same in words follows"
                ></canvas>
                <ChartData caption="Each leak so far: when it leaked, how long the credential has been useful to whoever holds it, and when that closed (the unit in each heading)" file="secrets-leaks" canvas=chart table=table changed=changed />
                <p class="secrets-timeline" data-k="timeline">{move || snap.with(|s| s.timeline_text())}</p>
                <div class="secrets-outage">
                    <div class="wl-strip" aria-hidden="true">{cells}</div>
                    <p class="secrets-outage-text" data-k="outage" aria-live="polite">
                        {move || report.with(outage_text)}
                    </p>
                </div>
                <Readouts facts=facts.into() />
            </div>
            <Timeline now=now reach=reach limit=limit on_seek=seek step=STEP text=move |us| session.with_value(|r| model::secrets::sim_text(r.run().sim_at(us))) />
            <details class="knobs" open=true>
                <summary>"Settings"</summary>
                <div class="controls-grid">
                    <ParamControls spec=spec state=state />
                    <SeedControl state=state />
                </div>
            </details>
            <details class="assumptions">
                <summary>"Assumptions"</summary>
                <p>{ASSUMPTIONS}</p>
                <p>{model::secrets::FACTS} " (" {model::secrets::FACTS_AS_OF} ")"</p>
            </details>
        </WidgetFrame>
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    /// The share card's chart: drawn, legible, the two leaks closed by rotation.
    #[test]
    fn its_preview_shows_two_leaks_closed() {
        let svg = crate::preview::checked("secrets");
        assert!(crate::preview::says(&svg, "leak 1: rotated/expired"), "{svg}");
        assert!(crate::preview::says(&svg, "leak 2: rotated/expired"), "{svg}");
    }
}
