//! `burn-rate`: a month of errors against an SLO, the naive "error ratio above x over 5 minutes"
//! page and the SRE Workbook's multi-window, multi-burn-rate rules evaluated on the same month.
//! The reader places, drags and resizes incidents (keyboard: arrows move by an hour, Shift by a
//! day, +/− severity, [ ] duration, Delete removes); each edit is a logged action and the month is
//! evaluated again from minute 0. The playhead plays the month forward (one simulated hour per
//! second of the replay clock, see `model::slo_burn`).

use crate::charts::burn::{draw_burn, BurnChart};
use crate::ui::anim::{frame_loop, prefers_reduced_motion, use_in_view, Refresh};
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
use model::fmt::{number, percent_fine};
use model::note::Facts;
use model::slo_burn::{
    burn_rate_facts, day_time, minutes_text, ratio_text, step_through, BurnAction, BurnReplay, BurnSnapshot, Incident,
    Month, Tally, ASSUMPTIONS, BURN_RATE, COMPARE, DAY, DURATIONS, MAX_INCIDENTS, SEVERITIES,
};
use model::spec::{Note, State};

/// What Step advances: one simulated hour (a second of the replay clock).
const STEP: u64 = model::slo_burn::HOUR_US;
/// The speed the widget starts at (index into `SPEEDS`: 10×, a month in 72 s).
const START_SPEED: usize = 5;

/// An incident's band: its place on the track and its label.
fn band_label(i: usize, inc: &Incident) -> String {
    format!(
        "Incident {}: {}, {} at {} errors. Arrow keys move it by an hour, Shift+arrows by a day, + and − change its error ratio, [ and ] its duration, Delete removes it.",
        i + 1,
        day_time(inc.start),
        minutes_text(inc.duration as f64),
        ratio_text(inc.ppm)
    )
}


/// The share-card preview: the default month played to its end, its budget, incidents and both
/// rules' alerts. (The incident track above it is HTML.)
#[cfg(not(target_family = "wasm"))]
pub fn preview(
    db: &mut crate::preview::Svg<'_>,
    pal: &crate::ui::theme::Palette,
    scale: crate::charts::Scale,
) -> Result<(), String> {
    let mut run = BurnReplay::new(&BURN_RATE.defaults());
    let end = run.run().end_us();
    run.advance_to(end, u64::MAX);
    let m = run.run().month();
    let mut hourly = Vec::new();
    m.hourly_remaining(&mut hourly);
    draw_burn(db, pal, scale, &BurnChart::of(m, &hourly, run.run().minute()))
}

/// The burn-rate widget.
#[component]
pub fn BurnRate(
    /// Initial settings (from the article block, a share link or embed attributes).
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let mut notes = notes;
    let (initial, requested) = crate::ui::scenarios::initial(model::slo_burn::SCENARIOS, initial, &mut notes, &BURN_RATE);
    let spec = &BURN_RATE;
    let shared_run = initial.at_us > 0 || !initial.log.is_empty();
    let replayed = BurnReplay::open(&initial);
    let state = RwSignal::new(replayed.settings().clone());
    let session = StoredValue::new(replayed);
    let frame = RwSignal::new(0u64);
    // Bumped on every change of the month (edits, settings): the bands, the tables.
    let edits = RwSignal::new(0u64);
    let playing = RwSignal::new(!prefers_reduced_motion() && !shared_run);
    let speed = RwSignal::new(START_SPEED);
    let container = NodeRef::<Div>::new();
    let track = NodeRef::<Div>::new();
    let visible = use_in_view(container);
    let live = Signal::derive(move || playing.get() && visible.get());
    let incidents = RwSignal::new(session.with_value(|s| s.run().month().incidents().to_vec()));
    let sync = move || {
        let list = session.with_value(|s| s.run().month().incidents().to_vec());
        incidents.set(list);
        edits.update(|e| *e += 1);
        frame.update(|f| *f += 1);
    };

    // Settings: the SLO, window, baseline and naive threshold apply to the month as it is; a
    // new month (or seed) starts again.
    Effect::new(move |prev: Option<()>| {
        let st = state.get();
        if prev.is_some() {
            session.update_value(|s| {
                s.change(&st);
            });
            sync();
        }
    });
    // The month over: the clock stops.
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
        session.set_value(BurnReplay::new(&state.get_untracked()));
        sync();
    });
    let act = move |a: BurnAction| {
        session.update_value(|s| s.record(s.now(), a));
        sync();
    };
    let add = move |_| {
        let now = session.with_value(|s| s.run().minute());
        let minutes = session.with_value(|s| s.run().month().minutes());
        let start = (now / 60 * 60).min(minutes.saturating_sub(60));
        act(BurnAction::Add(Incident { start, duration: 60, ppm: 50_000 }));
    };
    let (now, reach, limit) = replay_clock(session, frame, playing);
    let picked = RwSignal::new(requested);
    let pick = replay_pick(session, state, playing, move || { sync(); });
    let seek = replay_seek(session, playing, move || { sync(); });
    let share = Callback::new(move |_: ()| session.with_value(|s| s.to_state()));

    // Dragging a band: where the pointer went down and the incident's start then.
    let drag = StoredValue::new(None::<(usize, f64, u32)>);
    let preview = RwSignal::new(None::<(usize, u32)>);
    let minutes_per_px = move || {
        let w = track.get_untracked().map_or(1.0, |t| f64::from(t.client_width().max(1)));
        session.with_value(|s| s.run().month().minutes()) as f64 / w
    };
    let start_of = move |i: usize| {
        preview
            .with(|p| match p {
                Some((j, s)) if *j == i => Some(*s),
                _ => None,
            })
            .or_else(|| incidents.with(|v| v.get(i).map(|x| x.start)))
    };

    let bands = (0..MAX_INCIDENTS)
        .map(|i| {
            let inc = move || incidents.with(|v| v.get(i).copied());
            let pct = move |m: u32| {
                let n = session.with_value(|s| s.run().month().minutes()).max(1);
                format!("{}%", number(f64::from(m.min(n)) * 100.0 / f64::from(n)))
            };
            let keydown = move |ev: web_sys::KeyboardEvent| {
                let Some(x) = inc() else { return };
                let n = session.with_value(|s| s.run().month().minutes());
                let by = if ev.shift_key() { DAY } else { 60 };
                let a = match ev.key().as_str() {
                    "ArrowLeft" => BurnAction::Move(i as u8, x.start.saturating_sub(by)),
                    "ArrowRight" => BurnAction::Move(i as u8, (x.start + by).min(n.saturating_sub(1))),
                    "+" | "=" => BurnAction::Severity(i as u8, step_through(&SEVERITIES, x.ppm, true)),
                    "-" | "_" => BurnAction::Severity(i as u8, step_through(&SEVERITIES, x.ppm, false)),
                    "]" => BurnAction::Duration(i as u8, step_through(&DURATIONS, x.duration, true)),
                    "[" => BurnAction::Duration(i as u8, step_through(&DURATIONS, x.duration, false)),
                    "Delete" | "Backspace" => BurnAction::Remove(i as u8),
                    _ => return,
                };
                ev.prevent_default();
                act(a);
            };
            let down = move |ev: web_sys::PointerEvent| {
                let Some(x) = inc() else { return };
                if let Some(t) = ev.current_target() {
                    use wasm_bindgen::JsCast;
                    if let Ok(el) = t.dyn_into::<web_sys::Element>() {
                        let _ = el.set_pointer_capture(ev.pointer_id());
                    }
                }
                drag.set_value(Some((i, f64::from(ev.client_x()), x.start)));
            };
            let moved = move |ev: web_sys::PointerEvent| {
                let Some((j, x0, s0)) = drag.get_value() else { return };
                let n = session.with_value(|s| s.run().month().minutes());
                let d = (f64::from(ev.client_x()) - x0) * minutes_per_px();
                let s = model::num::clamp(f64::from(s0) + d, 0.0, f64::from(n.saturating_sub(1)));
                preview.set(Some((j, (s / 10.0).round() as u32 * 10)));
            };
            let up = move |_: web_sys::PointerEvent| {
                let Some((j, _, s0)) = drag.get_value() else { return };
                drag.set_value(None);
                let to = preview.get_untracked().map(|p| p.1);
                preview.set(None);
                if let Some(to) = to.filter(|&to| to != s0) {
                    act(BurnAction::Move(j as u8, to));
                }
            };
            view! {
                <button
                    type="button"
                    class="burn-band"
                    data-i=i
                    hidden=move || inc().is_none()
                    style:left=move || start_of(i).map(pct).unwrap_or_default()
                    style:width=move || inc().map(|x| pct(x.duration)).unwrap_or_default()
                    aria-label=move || inc().map(|x| band_label(i, &x)).unwrap_or_default()
                    on:keydown=keydown
                    on:pointerdown=down
                    on:pointermove=moved
                    on:pointerup=up
                    on:pointercancel=up
                >
                    {move || inc().map(|x| ratio_text(x.ppm)).unwrap_or_default()}
                </button>
            }
        })
        .collect_view();

    let snap = RwSignal::new(Some(session.with_value(|r| r.snapshot())));
    let chart = NodeRef::<Canvas>::new();
    let error = RwSignal::new(None::<String>);
    let scratch = StoredValue::new_local((PaletteCache::default(), Vec::<f64>::new(), 0u32, 0u32, u64::MAX));
    let refresh = StoredValue::new(Refresh::default());
    Effect::new(move |_| {
        frame.track();
        let edit = edits.get();
        let theme = crate::ui::theme::theme_epoch().get();
        let sizes = canvas::size_epoch();
        let live = live.get();
        let (Some(root), Some(canvas_el)) = (container.get(), chart.get()) else { return };
        session.with_value(|r| {
            let run = r.run();
            let m = run.month();
            let s = r.snapshot();
            let charts = scratch
                .try_update_value(|(pal, hourly, th, sz, last_edit)| {
                    let retheme = std::mem::replace(th, theme) != theme;
                    if retheme {
                        *pal = PaletteCache::default();
                    }
                    let resized = std::mem::replace(sz, sizes) != sizes || retheme;
                    let changed = std::mem::replace(last_edit, edit) != edit;
                    let charts =
                        refresh.try_update_value(|f| f.charts(live, resized || changed, true, 1)).unwrap_or(0..1);
                    if !charts.is_empty() {
                        if changed || hourly.is_empty() {
                            m.hourly_remaining(hourly);
                        }
                        let palette = pal.get(&root);
                        let data = BurnChart::of(m, hourly, s.minute);
                        if let Err(e) = canvas::draw(&canvas_el, |area, scale| draw_burn(area, &palette, scale, &data))
                        {
                            error.set(Some(e));
                        }
                    }
                    charts
                })
                .unwrap_or(0..0);
            let due = refresh.try_update_value(|f| f.text(live, &charts)).unwrap_or(true);
            if due && snap.with_untracked(|o| o.as_ref() != Some(&s)) {
                snap.set(Some(s));
            }
        });
    });

    // The key numbers, from the model (the decision note prints the same): rebuilt when a new
    // snapshot is published, at most ten times a second while playing.
    let facts = Memo::new(move |_| {
        snap.with(|s| Facts {
            readouts: s.as_ref().map(BurnSnapshot::readouts).unwrap_or_default(),
            ..Facts::default()
        })
    });

    // The chart's data (its table follows the published playhead and every edit).
    let table = Callback::new(move |_| {
        session.with_value(|r| {
            let m = r.run().month();
            let mut hourly = Vec::new();
            m.hourly_remaining(&mut hourly);
            crate::charts::burn::table(&BurnChart::of(m, &hourly, r.run().minute()))
        })
    });
    let changed = Signal::derive(move || (edits.get() << 32) | snap.with(|s| s.as_ref().map_or(0, |s| u64::from(s.minute))));

    // The comparison: one row per measure, naive and multi-window side by side.
    let tally = move |multi: bool, f: fn(&Tally) -> String| {
        move || snap.with(|s| s.as_ref().map(|s| f(if multi { &s.multi } else { &s.naive })).unwrap_or_default())
    };
    let compare = COMPARE.map(|(label, naive, multi, f)| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td data-k=naive>{tally(false, f)}</td>
                <td data-k=multi>{tally(true, f)}</td>
            </tr>
        }
    });

    // Per incident: what it cost, and when each rule set noticed (as of the playhead).
    let rows = move || {
        edits.track();
        let now = snap.with(|s| s.map_or(0, |s| s.minute));
        session.with_value(|r| incident_rows(r.run().month(), now))
    };

    view! {
        <WidgetFrame
            spec=spec
            caption="A month of errors against an SLO: the error budget left (line), incidents (shaded), and the alerts each rule set raised (rows below).".into()
            notes=notes
            state=state
            share=share
            facts=Callback::new(move |_| session.with_value(burn_rate_facts))
        >
            <div class="widget-toolbar">
                <Transport playing=playing speed=speed on_step=step on_reset=reset />
                <div class="fault-buttons">
                    <button
                        type="button"
                        class="btn"
                        data-action="add-incident"
                        disabled=move || incidents.with(|v| v.len() >= MAX_INCIDENTS)
                        on:click=add
                    >
                        "Add incident"
                    </button>
                </div>
            </div>
            <ScenarioMenu list=model::slo_burn::SCENARIOS picked=picked on_pick=pick />
            <div class="panel burn-panel" node_ref=container>
                <WidgetError error=error.read_only() />
                <p class="burn-hint">
                    "Drag an incident along the month, or focus it: arrows move it an hour (Shift: a day), + and − its error ratio, [ and ] its duration, Delete removes it."
                </p>
                <div class="burn-track" node_ref=track role="group" aria-label="Incidents on the month">
                    {bands}
                </div>
                <canvas
                    class="chart burn-chart"
                    node_ref=chart
                    role="img"
                    aria-label="The error budget left over the month, the incidents and the alerts of each rule set; the key numbers follow"
                ></canvas>
                <ChartData caption="Error budget left (%) and the minutes of incident and of each alert firing, hour by hour of the month so far" file="burn-rate-month" canvas=chart table=table changed=changed />
                <Readouts facts=facts.into() />
                <div class="table-scroll">
                    <table class="results burn-compare">
                        <caption>"The same month under each rule set, so far"</caption>
                        <thead>
                            <tr>
                                <th scope="col">""</th>
                                <th scope="col">"Naive (5 min)"</th>
                                <th scope="col">"Multi-window"</th>
                            </tr>
                        </thead>
                        <tbody>{compare}</tbody>
                    </table>
                </div>
                <div class="table-scroll">
                    <table class="results burn-incidents">
                        <caption>"Each incident"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"#"</th>
                                <th scope="col">"Start"</th>
                                <th scope="col">"Length"</th>
                                <th scope="col">"Errors"</th>
                                <th scope="col">"Budget"</th>
                                <th scope="col">"Naive"</th>
                                <th scope="col">"Multi-window"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </div>
            <Timeline now=now reach=reach limit=limit on_seek=seek step=STEP text=model::slo_burn::moment_text />
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
            </details>
        </WidgetFrame>
    }
}

/// The per-incident table's rows as of minute `now`.
fn incident_rows(m: &Month, now: u32) -> Vec<AnyView> {
    m.results()
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let inc = r.incident;
            view! {
                <tr>
                    <th scope="row">{i + 1}</th>
                    <td>{day_time(inc.start)}</td>
                    <td>{minutes_text(inc.duration as f64)}</td>
                    <td>{ratio_text(inc.ppm)}</td>
                    <td>{percent_fine(r.cost)}</td>
                    <td data-k=format!("naive-{i}")>{r.detection_text(false, now, m.minutes())}</td>
                    <td data-k=format!("multi-{i}")>{r.detection_text(true, now, m.minutes())}</td>
                </tr>
            }
            .into_any()
        })
        .collect()
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    /// The share card's chart: drawn, legible and the same every time.
    #[test]
    fn its_preview_shows_the_whole_month() {
        let svg = crate::preview::checked("burn-rate");
        for t in ["100% of the budget left", "naive", "multi-window", "day 0", "30"] {
            assert!(crate::preview::says(&svg, t), "{t} missing");
        }
        assert!(svg.matches("<polygon").count() >= 2, "pages are drawn");
    }
}
