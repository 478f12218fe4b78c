//! `conway`: Conway's calculator. Team lanes own service boxes (drag them, or focus one and use
//! the arrow keys), features flow through the lanes waiting for other teams' sprints, and each
//! "Ship 100 features" batch ends in a histogram of lead times by the number of teams involved.

use crate::charts::conway::{draw_conway, ConwayChart};
use crate::ui::anim::{frame_loop, now_ms, prefers_reduced_motion, use_in_view, Budget, Refresh, Work};
use crate::ui::chart::WidgetError;
use crate::ui::chart_data::ChartData;
use crate::ui::controls::{ParamControls, PresetPicker, SeedControl};
use crate::ui::readouts::Readouts;
use crate::ui::theme::PaletteCache;
use crate::ui::timeline::{replay_clock, replay_seek, Timeline};
use crate::ui::scenarios::{replay_pick, ScenarioMenu};
use crate::ui::transport::{Transport, SPEEDS};
use crate::ui::widget_frame::WidgetFrame;
use crate::widgets::canvas;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::conway::{
    by_teams, conway_facts, service_name, ConwayAction, ConwayReplay, ConwaySim, ConwaySnapshot, ASSUMPTIONS, CONWAY,
    DAY, GROUP_LABELS, MAX_SERVICES,
};
use model::des::Micros;
use model::note::Facts;
use model::spec::{Note, State};

/// Events between clock checks.
const CHUNK: u64 = 512;
/// What Step advances: one simulated day.
const STEP: Micros = DAY;
/// The speed the widget starts at (index into `SPEEDS`: 5×, five simulated days a second).
const START_SPEED: usize = 4;
/// Glyphs a lane shows at most per kind.
const GLYPHS: u16 = 12;

/// What the chart shows of `sim` (whose snapshot is `s`): the current batch's lead times.
fn chart_of<'a>(sim: &'a ConwaySim, s: &ConwaySnapshot) -> ConwayChart<'a> {
    let (median, p85) = s.median_p85.unwrap_or((f64::NAN, f64::NAN));
    ConwayChart { finished: sim.finished(), median, p85 }
}

/// The share card's run stops once its batch has shipped, or after this many simulated days.
#[cfg(not(target_family = "wasm"))]
const PREVIEW_MAX_DAYS: u32 = 1_000;

/// The share-card preview: the default run's first "Ship 100 features" batch, run a day at a time
/// until all of it has shipped, as the lead-time histogram by teams involved.
#[cfg(not(target_family = "wasm"))]
pub fn preview(
    db: &mut crate::preview::Svg<'_>,
    pal: &crate::ui::theme::Palette,
    scale: crate::charts::Scale,
) -> Result<(), String> {
    let mut run = ConwayReplay::new(&CONWAY.defaults());
    for _ in 0..PREVIEW_MAX_DAYS {
        if run.snapshot().done >= model::conway::BATCH {
            break;
        }
        run.step(DAY);
    }
    let sim = run.run().sim();
    draw_conway(db, pal, scale, &chart_of(sim, &sim.snapshot()))
}

/// The Conway's-law widget.
#[component]
pub fn Conway(
    /// Initial settings (from the article block, a share link or embed attributes).
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let mut notes = notes;
    let (initial, requested) = crate::ui::scenarios::initial(model::conway::SCENARIOS, initial, &mut notes, &CONWAY);
    let spec = &CONWAY;
    let shared_run = initial.at_us > 0 || !initial.log.is_empty();
    let replayed = ConwayReplay::open(&initial);
    let state = RwSignal::new(replayed.settings().clone());
    let first = replayed.snapshot();
    let session = StoredValue::new(replayed);
    let frame = RwSignal::new(0u64);
    let playing = RwSignal::new(!prefers_reduced_motion() && !shared_run);
    let speed = RwSignal::new(START_SPEED);
    let container = NodeRef::<Div>::new();
    let lanes_el = NodeRef::<Div>::new();
    let visible = use_in_view(container);
    let live = Signal::derive(move || playing.get() && visible.get());
    let snap = RwSignal::new(first);
    let announce = RwSignal::new(String::new());
    // The service being dragged, or picked by a tap (then a tap on a lane moves it there).
    let dragging = RwSignal::new(None::<usize>);

    // Settings apply mid-run (cohesion, mode, rates); teams, services and the starting ownership
    // restart it.
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
    let refresh = StoredValue::new(Refresh::default());
    frame_loop(live, move |dt| {
        // One simulated day a second at 1×.
        let rate = SPEEDS[speed.get_untracked()];
        let start = now_ms();
        let work = refresh.try_with_value(|r| r.work(true)).unwrap_or(Work::Picture);
        let slice = budget.try_update_value(|b| b.next(dt, work)).unwrap_or(Budget::MAX_MS);
        session.update_value(|s| {
            let target = s.now() + (dt * rate * DAY as f64 / 1_000.0) as u64;
            while !s.advance_to(target, CHUNK).reached {
                if now_ms() - start > slice {
                    break;
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
        session.set_value(ConwayReplay::new(&state.get_untracked()));
        frame.update(|f| *f += 1);
    });
    let ship = move |_| {
        session.update_value(|s| s.record(s.now(), ConwayAction::Ship));
        frame.update(|f| *f += 1);
    };
    // A service to another team's lane, announced.
    let move_to = move |service: usize, team: usize| {
        let s = snap.get_untracked();
        if service >= s.services as usize || team >= s.teams as usize || s.ownership[service] as usize == team {
            return;
        }
        session.update_value(|r| r.record(r.now(), ConwayAction::Own { service: service as u8, team: team as u8 }));
        let name = service_name(service, s.teams as usize, s.services as usize);
        announce.set(format!("{name} moved to team {}", team + 1));
        frame.update(|f| *f += 1);
    };
    let (now, reach, limit) = replay_clock(session, frame, playing);
    let picked = RwSignal::new(requested);
    let pick = replay_pick(session, state, playing, move || { frame.update(|f| *f += 1); });
    let seek = replay_seek(session, playing, move || { frame.update(|f| *f += 1); });
    let share = Callback::new(move |_: ()| session.with_value(|s| s.to_state()));

    // The chart and the numbers follow the run.
    let chart = NodeRef::<Canvas>::new();
    let error = RwSignal::new(None::<String>);
    let scratch = StoredValue::new_local((PaletteCache::default(), 0u32, 0u32, (usize::MAX, 0u32)));
    Effect::new(move |_| {
        frame.track();
        let theme = crate::ui::theme::theme_epoch().get();
        let sizes = canvas::size_epoch();
        let live = live.get();
        let (Some(root), Some(canvas_el)) = (container.get(), chart.get()) else { return };
        session.with_value(|r| {
            let sim = r.run().sim();
            let s = sim.snapshot();
            let charts = scratch
                .try_update_value(|(palette, theme_at, sizes_at, drawn)| {
                    let retheme = std::mem::replace(theme_at, theme) != theme;
                    if retheme {
                        *palette = PaletteCache::default();
                    }
                    let pal = palette.get(&root);
                    let resized = std::mem::replace(sizes_at, sizes) != sizes || retheme;
                    let changed = *drawn != (s.done, s.batch);
                    let charts = refresh.try_update_value(|r| r.charts(live, resized, changed, 1)).unwrap_or(0..1);
                    if !charts.is_empty() {
                        *drawn = (s.done, s.batch);
                        let data = chart_of(sim, &s);
                        if let Err(e) = canvas::draw(&canvas_el, |area, scale| draw_conway(area, &pal, scale, &data)) {
                            error.set(Some(e));
                        }
                    }
                    charts
                })
                .unwrap_or(0..0);
            let due = refresh.try_update_value(|r| r.text(live, &charts)).unwrap_or(true);
            if due && snap.with_untracked(|o| o != &s) {
                snap.set(s);
            }
        });
    });

    // The chart's data, following the published snapshot.
    let table = Callback::new(move |_| {
        session.with_value(|r| {
            let sim = r.run().sim();
            crate::charts::conway::table(&chart_of(sim, &sim.snapshot()))
        })
    });
    let changed = Signal::derive(move || snap.with(|s| (u64::from(s.batch) << 32) | s.done as u64));

    // The lanes re-render only when the ownership or the org changes.
    let owners = Memo::new(move |_| snap.with(|s| (s.teams as usize, s.services as usize, s.ownership)));
    let focus_service = move |service: usize| {
        request_animation_frame(move || {
            if let Some(el) = lanes_el
                .get_untracked()
                .and_then(|l| l.query_selector(&format!("[data-svc=\"{service}\"]")).ok().flatten())
            {
                use wasm_bindgen::JsCast;
                let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        });
    };
    let drop_on = move |t: usize| {
        if let Some(s) = dragging.get_untracked() {
            dragging.set(None);
            move_to(s, t);
        }
    };
    let lanes = move || {
        let (teams, services, own): (usize, usize, [u8; MAX_SERVICES]) = owners.get();
        (0..teams)
            .map(|t| {
                let boxes = (0..services)
                    .filter(|&s| own[s] as usize == t)
                    .map(|s| {
                        let name = service_name(s, teams, services);
                        let label = format!(
                            "{name}, owned by team {}. Arrow up or down moves it to another team; or pick it, then a lane.",
                            t + 1
                        );
                        let keydown = move |ev: web_sys::KeyboardEvent| {
                            let to = match ev.key().as_str() {
                                "ArrowUp" if t > 0 => t - 1,
                                "ArrowDown" if t + 1 < teams => t + 1,
                                _ => return,
                            };
                            ev.prevent_default();
                            move_to(s, to);
                            focus_service(s);
                        };
                        view! {
                            <button
                                type="button"
                                class="btn btn-small conway-svc"
                                data-svc=s
                                draggable="true"
                                aria-label=label
                                aria-keyshortcuts="ArrowUp ArrowDown"
                                aria-pressed=move || (dragging.get() == Some(s)).to_string()
                                on:click=move |ev| {
                                    ev.stop_propagation();
                                    dragging.update(|d| *d = if *d == Some(s) { None } else { Some(s) });
                                }
                                on:dragstart=move |_| dragging.set(Some(s))
                                on:keydown=keydown
                            >
                                {name}
                            </button>
                        }
                    })
                    .collect_view();
                let lane = move || snap.with(|s| s.lanes[t]);
                let glyphs = move || {
                    let l = lane();
                    let mut g = "○".repeat(l.waiting.min(GLYPHS) as usize);
                    g.push_str(&"●".repeat(l.working.min(GLYPHS) as usize));
                    g
                };
                view! {
                    <div
                        class="conway-lane"
                        data-team=t
                        on:dragover=move |ev: web_sys::DragEvent| ev.prevent_default()
                        on:drop=move |ev: web_sys::DragEvent| {
                            ev.prevent_default();
                            drop_on(t);
                        }
                        on:click=move |_| drop_on(t)
                    >
                        <span class="lane-name">{format!("Team {}", t + 1)}</span>
                        <span class="lane-services">{boxes}</span>
                        <span class="lane-flow">
                            <span class="lane-glyphs" aria-hidden="true">{glyphs}</span>
                            <span class="lane-text" data-k=format!("lane-{t}")>{move || snap.with(|s| s.lane_text(t))}</span>
                        </span>
                    </div>
                }
            })
            .collect_view()
    };

    let fmt = move |f: fn(&ConwaySnapshot) -> String| move || snap.with(f);
    // The key numbers, from the model (the decision note prints the same): rebuilt when a new
    // snapshot is published, at most ten times a second while playing.
    let facts = Memo::new(move |_| snap.with(|s| Facts { readouts: s.readouts(), ..Facts::default() }));
    // The histogram's groups in words (the canvas's text equivalent).
    let groups = move || {
        session.with_value(|r| {
            snap.track();
            let n = by_teams(r.run().sim().finished());
            let parts: Vec<String> = GROUP_LABELS.iter().zip(n).map(|(l, n)| format!("{l}: {n}")).collect();
            format!("Shipped features by teams involved: {}.", parts.join(", "))
        })
    };

    view! {
        <WidgetFrame
            spec=spec
            caption="Teams (lanes) own services (boxes). Features arrive, each touching a few services; every other team involved waits for its next sprint. Drag a service to another team (or tap it, then a lane), or focus it and press the up or down arrow.".into()
            notes=notes
            state=state
            share=share
            facts=Callback::new(move |_| session.with_value(conway_facts))
        >
            <div class="widget-toolbar">
                <Transport playing=playing speed=speed on_step=step on_reset=reset />
                <div class="fault-buttons">
                    <button type="button" class="btn btn-primary" data-action="ship" on:click=ship>
                        "Ship 100 features"
                    </button>
                </div>
            </div>
            <ScenarioMenu list=model::conway::SCENARIOS picked=picked on_pick=pick />
            <div class="panel conway-panel" node_ref=container>
                <div class="conway-lanes" node_ref=lanes_el role="group" aria-label="Teams and the services they own">
                    {lanes}
                    <div class="conway-lane conway-ship">
                        <span class="lane-name">"Shipping"</span>
                        <span class="lane-text" data-k="shipping">{fmt(ConwaySnapshot::shipping_text)}</span>
                    </div>
                </div>
                <p class="conway-legend">"○ waiting for a team's sprint · ● being worked on"</p>
                <p class="visually-hidden" aria-live="polite" data-k="announce">{move || announce.get()}</p>
                <WidgetError error=error.read_only() />
                <canvas
                    class="chart conway-chart"
                    node_ref=chart
                    role="img"
                    aria-label="Histogram of this batch's lead times in days, stacked by the number of teams each feature needed; the counts and key numbers follow"
                ></canvas>
                <ChartData caption="This batch's finished features by lead time (days from request to production) and by the number of teams each needed" file="conway-lead-times" canvas=chart table=table changed=changed />
                <p class="conway-groups" data-k="groups">{groups}</p>
                <p class="conway-previous" data-k="previous">{fmt(ConwaySnapshot::previous_text)}</p>
                <Readouts facts=facts.into() />
            </div>
            <Timeline now=now reach=reach limit=limit on_seek=seek step=STEP text=model::conway::moment_text />
            <details class="knobs" open=true>
                <summary>"Settings"</summary>
                <div class="controls-grid">
                    <PresetPicker spec=spec state=state label="Preset" />
                    <ParamControls spec=spec state=state />
                    <ParamControls spec=spec state=state group="org" />
                    <SeedControl state=state />
                </div>
            </details>
            <details class="assumptions">
                <summary>"Assumptions"</summary>
                <p>{ASSUMPTIONS}</p>
            </details>
        </WidgetFrame>
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    /// The share card's chart: drawn, legible and the same every time.
    #[test]
    fn its_preview_shows_the_first_batch_shipped() {
        let svg = crate::preview::checked("conway");
        // The whole batch: the legend's counts add up to 100.
        let counts: u32 = svg
            .split("\n</text>")
            .filter_map(|t| {
                t.rsplit('\n').next().filter(|l| l.contains(" team"))?.split_once(": ")?.1.parse::<u32>().ok()
            })
            .sum();
        assert_eq!(counts, model::conway::BATCH as u32, "{svg}");
        assert!(crate::preview::says(&svg, "median"));
    }
}
