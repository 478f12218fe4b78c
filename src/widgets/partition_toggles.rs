//! `partition-toggles`: a replicated register drawn as nodes and links. Click a link to cut or heal
//! it, make clients write and read, switch CP / AP / async, and watch the history and the verdict
//! (from the model's linearizability checker). There is deliberately no "CA" mode.

use crate::ui::anim::{frame_loop, prefers_reduced_motion, use_in_view};
use crate::ui::controls::{ParamControls, SeedControl};
use crate::ui::scenarios::{replay_pick, ScenarioMenu};
use crate::ui::timeline::{replay_clock, replay_seek, Timeline};
use crate::ui::widget_frame::WidgetFrame;
use leptos::prelude::*;
use model::consistency::PARTITION_TOGGLES;
use model::consistency::{
    node_label, op_label, partition_toggles_facts, time_text, values_text, verdict_text, Action, ClusterAction,
    ClusterReplay, ClusterSim, ClusterSnapshot, OpKind, Outcome, Role, Verdict,
};
use model::des::{Micros, MS, SEC};
use model::fmt::fixed;
use model::spec::{Note, State};

/// The history's drawing width.
const W: f64 = 640.0;
/// The cluster's drawing: narrower than the history, so that on a phone it shrinks less and, with
/// the larger type its stylesheet gives narrow screens, its labels stay at 11 px or more.
const CW: f64 = 480.0;
const H: f64 = 330.0;

/// An SVG coordinate as an attribute value. (An `f64` attribute would be printed with `core`'s
/// float formatting, which this crate keeps out of its bundles; see ARCHITECTURE.md.)
fn n(v: f64) -> String {
    fixed(v, 1)
}
const CY: f64 = 160.0;

/// cos and sin of 2π/n for n = 1…8: the step between neighbours on the replica circle (the model
/// allows 3–7 replicas). A table rather than `sin`/`cos`, which would link libm's argument
/// reduction (about 1.5 KB gzip) for five drawings.
const STEPS: [(f64, f64); 8] = [
    (1.0, 0.0),
    (-1.0, 0.0),
    (-0.5, 0.866_025_403_784_438_6),
    (0.0, 1.0),
    (0.309_016_994_374_947_45, 0.951_056_516_295_153_5),
    (0.5, 0.866_025_403_784_438_6),
    (0.623_489_801_858_733_6, 0.781_831_482_468_029_8),
    (std::f64::consts::FRAC_1_SQRT_2, std::f64::consts::FRAC_1_SQRT_2),
];

/// The unit vector from the circle's centre to replica `i` of `n`: replica 0 at the top, then
/// clockwise on screen.
fn spoke(i: usize, n: usize) -> (f64, f64) {
    let (c, s) = STEPS[n.clamp(1, STEPS.len()) - 1];
    (0..i).fold((0.0, -1.0), |(x, y), _| (x * c - y * s, x * s + y * c))
}

/// Where node `id` is drawn: replicas on a circle, each client outside its home replica.
fn position(snap: &ClusterSnapshot, node: u32) -> (f64, f64) {
    let n = snap.replicas.len();
    if (node as usize) < n {
        let (x, y) = spoke(node as usize, n);
        (CW / 2.0 + 105.0 * x, CY + 105.0 * y)
    } else {
        // Clients sit beside their home replica (left or right, away from the centre), stacked
        // when several share a home.
        let c = &snap.clients[(node as usize - n).min(snap.clients.len().saturating_sub(1))];
        let k = snap.clients.iter().filter(|o| o.home == c.home && o.id < c.id).count();
        let (x, y) = spoke(c.home as usize, n);
        let (hx, hy) = (CW / 2.0 + 105.0 * x, CY + 105.0 * y);
        let side = if x > 0.01 { 1.0 } else { -1.0 };
        (hx + side * (78.0 + 40.0 * (k / 2) as f64), (hy + if k % 2 == 0 { 0.0 } else { 36.0 }).min(H - 30.0))
    }
}

/// The links the model knows: every replica pair and each client's link to its home.
fn links(snap: &ClusterSnapshot) -> Vec<(u32, u32)> {
    let r = snap.replicas.len() as u32;
    let mut v: Vec<(u32, u32)> = (0..r).flat_map(|a| (a + 1..r).map(move |b| (a, b))).collect();
    v.extend(snap.clients.iter().map(|c| (c.home, c.node)));
    v
}

fn is_cut(snap: &ClusterSnapshot, a: u32, b: u32) -> bool {
    snap.cut_links.iter().any(|&(x, y)| (x, y) == (a, b) || (x, y) == (b, a))
}

/// The next value a write stores: one more than any value written so far (by the reader, a
/// scenario or the tour), so every write in the history is distinguishable.
fn next_value(sim: &ClusterSim) -> u32 {
    let written = sim.history().iter().filter_map(|op| match op.kind {
        OpKind::Write(v) => Some(v),
        OpKind::Read => None,
    });
    written.max().unwrap_or(0) + 1
}

/// A run from `st` that plays the tour for its mode (logged first, at 0).
fn touring(st: &State) -> ClusterReplay {
    ClusterReplay::new(&State { log: vec![(0, "tour".into())], at_us: 0, ..st.clone() })
}

/// What a Step of the timeline's keyboard moves: a tenth of a simulated second.
const STEP: Micros = 100 * MS;

/// What the share card compares: the tour in each mode (conflicts settled by last writer wins),
/// the default's (CP) first.
#[cfg(not(target_family = "wasm"))]
const PREVIEW_MODES: [(f64, &str); 3] =
    [(0.0, "CP: majority quorum"), (1.0, "AP: last writer wins"), (2.0, "Async primary–backup")];

/// The share-card preview. The widget draws its cluster and history as SVG elements, not as a
/// chart; its card shows the numbers of its run instead: the tour (a write, a partition, writes on
/// both sides, heal, a read) played in each mode on the default cluster and seed, and what the
/// clients saw of their writes (acknowledged, refused, acknowledged and then lost) and reads
/// (stale), one panel a mode.
#[cfg(not(target_family = "wasm"))]
pub fn preview(
    db: &mut crate::preview::Svg<'_>,
    pal: &crate::ui::theme::Palette,
    scale: crate::charts::Scale,
) -> Result<(), String> {
    use crate::charts::bars::draw_bars;
    use crate::charts::{err, fill};
    use crate::preview::Part;
    use plotters_backend::DrawingBackend;
    fill(db, pal.bg)?;
    let (w, h) = db.get_size();
    let n = PREVIEW_MODES.len() as u32;
    let gap = scale.px(16.0);
    let part_w = (w.saturating_sub(gap * (n - 1)) / n).max(1);
    for (i, (mode, title)) in PREVIEW_MODES.into_iter().enumerate() {
        let mut st = PARTITION_TOGGLES.defaults();
        st.set(&PARTITION_TOGGLES, "mode", mode);
        let mut s = touring(&st);
        s.advance_to(0, u64::MAX);
        let end = s.run().tour_ahead().last().map_or(0, |step| step.at) + 2 * SEC;
        s.advance_to(end, u64::MAX);
        let snap = s.snapshot();
        let writes = snap.history.iter().filter(|op| matches!(op.kind, OpKind::Write(_)));
        let acknowledged = writes.clone().filter(|op| op.is_ok()).count();
        let refused = writes.filter(|op| matches!(op.outcome, Outcome::Err(_))).count();
        let counts = [acknowledged, refused, snap.lost_writes.len(), snap.stale_reads.len()];
        let values = counts.map(|n| n as f64);
        let labels = ["acknowledged", "refused", "lost", "stale reads"];
        let mut part = Part::new(db, ((part_w + gap) as i32 * i as i32, 0), (part_w, h));
        draw_bars(&mut part, pal, scale, title, &labels, &values, &|v| model::fmt::num(v, 0))?;
    }
    db.present().map_err(err)
}

/// The partition toggles.
#[component]
pub fn PartitionToggles(
    /// Initial settings (and, from a share link, the run to replay).
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &PARTITION_TOGGLES;
    let mut notes = notes;
    let (initial, requested) =
        crate::ui::scenarios::initial(model::consistency::SCENARIOS, initial, &mut notes, &PARTITION_TOGGLES);
    // A shared run (or a scenario) opens paused exactly where it was shared; a fresh one runs in
    // real time while it is on screen.
    let shared_run = initial.at_us > 0 || !initial.log.is_empty();
    let replayed = ClusterReplay::open(&initial);
    let state = RwSignal::new(replayed.settings().clone());
    let session = StoredValue::new_local(replayed);
    let snap = RwSignal::new(session.with_value(|s| s.snapshot()));
    let frame = RwSignal::new(0u64);
    let playing = RwSignal::new(!shared_run && !prefers_reduced_motion());
    // What the run last told the reader: the tour's caption, a refusal.
    let told = move |s: &ClusterReplay| {
        let r = s.run();
        let caption = r.caption().or(r.touring().then_some("The tour starts…"));
        (caption, r.message().map(str::to_string))
    };
    let (first_caption, first_message) = session.with_value(told);
    let caption = RwSignal::new(first_caption);
    let message = RwSignal::new(first_message);
    // Stale reads beside the closed form that applies (or why none does now): the model's words.
    let theory = RwSignal::new(session.with_value(|s| s.run().sim().staleness_theory().text()));
    let root = NodeRef::<leptos::html::Div>::new();
    let visible = use_in_view(root);
    let live = Signal::derive(move || visible.get() && playing.get());

    // Heartbeats change nothing a reader sees but the clock: re-render when something else
    // changed, or a few times a second so the clock and pending operations move on.
    let since_publish = StoredValue::new(0u32);
    let publish = move || {
        let (c, m) = session.with_value(told);
        if caption.get_untracked() != c {
            caption.set(c);
        }
        if message.with_untracked(|old| *old != m) {
            message.set(m);
        }
        frame.update(|f| *f += 1);
        let mut s = session.with_value(|s| s.snapshot());
        let changed = snap.with_untracked(|old| {
            let now = std::mem::replace(&mut s.now, old.now);
            let differs = *old != s;
            s.now = now;
            differs
        });
        since_publish.update_value(|n| *n += 1);
        if changed || since_publish.get_value() >= 15 {
            since_publish.set_value(0);
            let text = session.with_value(|r| r.run().sim().staleness_theory_with(&s.stale_reads).text());
            if theory.with_untracked(|old| *old != text) {
                theory.set(text);
            }
            snap.set(s);
        }
    };
    // Everything but the clock: the views that do not show time (the cluster, the client
    // buttons, the verdict, the log) re-render only when it changes, not at every tick of the
    // clock (each re-render of the cluster was 100–250 ms at 4× CPU throttle).
    let scene = Memo::new(move |_| snap.with(|s| ClusterSnapshot { now: 0, ..s.clone() }));
    let rebuild = move |next: ClusterReplay| {
        session.set_value(next);
        since_publish.set_value(u32::MAX / 2);
        publish();
    };
    // Every setting starts a new cluster (`ClusterRun::set`).
    Effect::new(move |prev: Option<()>| {
        let st = state.get();
        if prev.is_some() {
            session.update_value(|s| {
                s.change(&st);
            });
            since_publish.set_value(u32::MAX / 2);
            publish();
        }
    });

    // Real time: one simulated millisecond per wall-clock millisecond; tour steps fire on time.
    frame_loop(live, move |dt| {
        let before = session.with_value(|s| s.run().sim().events_handled());
        session.update_value(|s| {
            let target = s.now() + (dt * MS as f64) as Micros;
            s.advance_to(target, 200_000);
        });
        // Publish when something happened, and every few frames regardless so the clock moves
        // on while the cluster is idle (AP and async send no heartbeats).
        let idle = since_publish.get_value();
        if session.with_value(|s| s.run().sim().events_handled()) != before || idle >= 15 {
            publish();
        } else {
            since_publish.set_value(idle + 1);
        }
    });

    let act = move |a: Action| {
        session.update_value(|s| s.record(s.now(), ClusterAction::Act(a)));
        since_publish.set_value(u32::MAX / 2);
        publish();
    };
    let write = move |client: u32| {
        let value = session.with_value(|s| next_value(s.run().sim()));
        act(Action::Write { client, value });
    };
    let toggle_link = move |a: u32, b: u32| {
        let cut = snap.with_untracked(|s| is_cut(s, a, b));
        act(if cut { Action::Heal(a, b) } else { Action::Cut(a, b) });
    };
    let play_tour = move |_| {
        rebuild(touring(&state.get_untracked()));
        playing.set(true);
    };
    // Share links replay the run: settings, seed, the tour and each action at its time.
    let share = Callback::new(move |_: ()| session.with_value(|s| s.to_state()));
    let (now, reach, limit) = replay_clock(session, frame, playing);
    let seek = replay_seek(session, playing, move || {
        since_publish.set_value(u32::MAX / 2);
        publish();
    });
    let picked = RwSignal::new(requested);
    let pick = replay_pick(session, state, playing, move || {
        since_publish.set_value(u32::MAX / 2);
        publish();
    });
    let is_async = move || state.with(|s| (model::value!(PARTITION_TOGGLES, s, "mode") as usize) == 2);

    let diagram = move || {
        let s = scene.get();
        let link_views = links(&s)
            .into_iter()
            .map(|(a, b)| {
                let (x1, y1) = position(&s, a);
                let (x2, y2) = position(&s, b);
                let cut = is_cut(&s, a, b);
                let label = format!(
                    "Link {} – {}: {}. Press to {}.",
                    node_label(s.replicas.len(), a),
                    node_label(s.replicas.len(), b),
                    if cut { "cut" } else { "connected" },
                    if cut { "heal it" } else { "cut it" }
                );
                view! {
                    <g
                        class=if cut { "link cut" } else { "link" }
                        role="button"
                        tabindex="0"
                        aria-label=label
                        aria-pressed=cut.to_string()
                        data-link=format!("{a}-{b}")
                        on:click=move |_| toggle_link(a, b)
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" || ev.key() == " " {
                                ev.prevent_default();
                                toggle_link(a, b);
                            }
                        }
                    >
                        <line class="link-hit" x1=n(x1) y1=n(y1) x2=n(x2) y2=n(y2)></line>
                        <line class="link-line" x1=n(x1) y1=n(y1) x2=n(x2) y2=n(y2)></line>
                    </g>
                }
            })
            .collect_view();
        let replica_views = s
            .replicas
            .iter()
            .map(|r| {
                let (x, y) = position(&s, r.id);
                let role = match r.role {
                    Role::Leader | Role::Primary => "leader",
                    Role::Candidate => "candidate",
                    _ => "follower",
                };
                let vals: Vec<u32> = r.values.iter().map(|v| v.value).collect();
                let cls = format!("replica {role}{}", if r.in_majority { "" } else { " minority" });
                let role_text = r.role.name();
                view! {
                    <g class=cls data-replica=r.id>
                        <circle cx=n(x) cy=n(y) r="26"></circle>
                        <text x=n(x) y=n(y - 4.0) class="node-name">{format!("R{}", r.id)}</text>
                        <text x=n(x) y=n(y + 12.0) class="node-role">{role_text}</text>
                        <text x=n(x) y=n(y + 44.0) class="node-value">{format!("= {}", values_text(&vals))}</text>
                    </g>
                }
            })
            .collect_view();
        let client_views = s
            .clients
            .iter()
            .map(|c| {
                let (x, y) = position(&s, c.node);
                let cls = if c.busy.is_some() { "client busy" } else { "client" };
                view! {
                    <g class=cls>
                        <rect x=n(x - 16.0) y=n(y - 14.0) width="32" height="28" rx="6"></rect>
                        <text x=n(x) y=n(y + 5.0) class="node-name">{c.name.to_string()}</text>
                    </g>
                }
            })
            .collect_view();
        view! {
            <svg class="cluster" viewBox=format!("0 0 {} {}", n(CW), n(H)) role="group" aria-label="The cluster: replicas, clients and the links between them. Links are buttons.">
                <g>{link_views}</g>
                <g aria-hidden="true">{replica_views}{client_views}</g>
            </svg>
        }
    };

    let timeline = move || {
        let s = snap.get();
        let span = (s.now as f64 / SEC as f64).max(4.0);
        let clients = s.clients.len().max(1) as f64;
        let row = 26.0;
        let x = move |t: Micros| 70.0 + (t as f64 / SEC as f64) / span * (W - 90.0);
        let marked: Vec<u32> = match &s.verdict {
            Verdict::Violation { ops, .. } => ops.clone(),
            _ => vec![],
        };
        let ops = s
            .history
            .iter()
            .map(|op| {
                let x0 = x(op.invoke);
                let x1 = x(op.complete.unwrap_or(s.now)).max(x0 + 3.0);
                let y = 8.0 + op.client as f64 * row;
                let kind = match (&op.kind, &op.outcome) {
                    (_, Outcome::Err(_)) => "op err",
                    (_, Outcome::Pending) => "op pending",
                    (OpKind::Write(_), _) => "op write",
                    (OpKind::Read, _) => "op read",
                };
                let bad = marked.contains(&op.id) || s.stale_reads.contains(&op.id) || s.lost_writes.contains(&op.id);
                let cls = if bad { format!("{kind} flagged") } else { kind.to_string() };
                view! {
                    <g class=cls>
                        <rect x=n(x0) y=n(y) width=n(x1 - x0) height=n(row - 8.0) rx="3"></rect>
                        <text x=n(x0 + 3.0) y=n(y + 13.0)>{op_label(op)}</text>
                    </g>
                }
            })
            .collect_view();
        let names = s
            .clients
            .iter()
            .map(|c| view! { <text class="row-name" x="8" y=n(8.0 + c.id as f64 * row + 13.0)>{format!("client {}", c.name)}</text> })
            .collect_view();
        let h = clients * row + 24.0;
        view! {
            <svg class="timeline" viewBox=format!("0 0 {} {}", n(W), n(h)) role="img" aria-label="History: each client's operations over time; the log below lists them">
                {names}
                {ops}
                <text class="axis" x=n(W - 40.0) y=n(h - 4.0)>{format!("{} s", fixed(span, 1))}</text>
            </svg>
        }
    };

    let client_buttons = move || {
        let s = scene.get();
        s.clients
            .iter()
            .map(|c| {
                let id = c.id;
                let busy = c.busy.is_some();
                view! {
                    <div class="client-buttons" role="group" aria-label=format!("Client {}", c.name)>
                        <span class="client-tag">{c.name.to_string()}</span>
                        <button type="button" class="btn" data-action=format!("write-{id}") disabled=busy on:click=move |_| write(id)>
                            "Write"
                        </button>
                        <button type="button" class="btn" data-action=format!("read-{id}") disabled=busy on:click=move |_| act(Action::Read { client: id })>
                            "Read"
                        </button>
                    </div>
                }
            })
            .collect_view()
    };

    view! {
        <WidgetFrame
            spec=spec
            caption="A replicated register. Click a link to cut or heal it. There is no CA option: you do not get to choose whether the network partitions.".into()
            notes=notes
            state=state
            share=share
            facts=Callback::new(move |_| {
                session.with_value(|s| partition_toggles_facts(&s.snapshot(), s.started().seed, &s.applied()))
            })
        >
            <div class="panel" node_ref=root>
                <p class=move || format!("verdict-badge {}", scene.with(|s| verdict_text(s).1)) data-k="verdict" role="status">
                    {move || scene.with(|s| verdict_text(s).0)}
                </p>
                {move || caption.get().map(|c| view! { <p class="tour-caption" data-k="tour" aria-live="polite">{c}</p> })}
                <ScenarioMenu list=model::consistency::SCENARIOS picked=picked on_pick=pick />
                {move || message.get().map(|m| view! { <p class="widget-note" role="status">{m}</p> })}
                <div class="cluster-wrap">{diagram}</div>
                <div class="client-row">{client_buttons}</div>
                <div class="widget-toolbar">
                    <div class="transport">
                        <button type="button" class="btn btn-primary" data-action="tour" on:click=play_tour>"▶ Play the tour"</button>
                        <button type="button" class="btn btn-danger" data-action="partition" on:click=move |_| act(Action::Partition(vec![0]))>
                            "Cut R0 off"
                        </button>
                        <button type="button" class="btn" data-action="heal" on:click=move |_| act(Action::HealAll)>"Heal all"</button>
                        <Show when=is_async>
                            <button type="button" class="btn" data-action="failover" on:click=move |_| act(Action::Failover)>"Fail over"</button>
                        </Show>
                        <button type="button" class="btn" data-action="reset" on:click=move |_| {
                            picked.set(None);
                            rebuild(ClusterReplay::new(&state.get_untracked()))
                        }>"Reset"</button>
                        <button
                            type="button"
                            class="btn"
                            data-action="run"
                            aria-pressed=move || playing.get().to_string()
                            on:click=move |_| playing.update(|p| *p = !*p)
                        >
                            {move || if playing.get() { "❚❚ Pause" } else { "▶ Resume" }}
                        </button>
                    </div>
                </div>
                <Timeline now=now reach=reach limit=limit on_seek=seek step=STEP text=model::replay::seconds_text />
                <h4 class="panel-label">"History"</h4>
                // On a phone the history keeps its size and scrolls sideways rather than shrinking
                // its labels.
                <div class="timeline-wrap" tabindex="0" role="region" aria-label="History (scrolls sideways on a narrow screen)">{timeline}</div>
                <p class="theory-badge" data-k="theory">{move || theory.get()}</p>
                <h4 class="panel-label">"Event log"</h4>
                <ol class="event-log" data-k="log" aria-live="polite" aria-relevant="additions">
                    {move || {
                        scene.with(|s| {
                            let skip = s.log.len().saturating_sub(8);
                            s.log.iter().skip(skip).map(|l| view! { <li>{l.clone()}</li> }).collect_view()
                        })
                    }}
                </ol>
                <p class="sr-time">{move || format!("Simulated time {}", time_text(snap.get().now))}</p>
            </div>
            <div class="controls-grid">
                <ParamControls spec=spec state=state />
                <SeedControl state=state />
            </div>
        </WidgetFrame>
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;
    use model::consistency::ClusterParams;

    #[test]
    fn every_node_is_drawn_inside_the_picture() {
        for replicas in 3..=7 {
            for clients in 2..=4 {
                let sim = ClusterSim::new(ClusterParams { replicas, clients, ..ClusterParams::CP }, 1);
                let s = sim.snapshot();
                for node in 0..replicas + clients {
                    let (x, y) = position(&s, node);
                    assert!(
                        (20.0..=W - 20.0).contains(&x) && (20.0..=H - 20.0).contains(&y),
                        "{replicas}/{clients}: {node} at {x},{y}"
                    );
                }
            }
        }
    }

    #[test]
    #[allow(clippy::disallowed_methods)] // std's sin and cos is the reference here; tests never reach a wasm bundle
    fn spokes_are_evenly_spaced_from_the_top() {
        for n in 1..=8 {
            for i in 0..n {
                let a = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
                let (x, y) = spoke(i, n);
                assert!((x - a.cos()).abs() < 1e-12 && (y - a.sin()).abs() < 1e-12, "{i} of {n}: {x},{y}");
            }
        }
    }

    /// The share card's chart: drawn, legible and the same every time.
    #[test]
    fn its_preview_shows_what_each_mode_did_in_the_tour() {
        let svg = crate::preview::checked("partition-toggles");
        for (_, title) in PREVIEW_MODES {
            assert!(crate::preview::says(&svg, title), "{title} missing");
        }
        for t in ["acknowledged", "refused", "lost", "stale reads"] {
            assert_eq!(svg.matches(&format!("\n{t}\n</text>")).count(), 3, "{t} in each panel");
        }
    }
}
