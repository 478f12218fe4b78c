//! `partition-toggles`: a replicated register drawn as nodes and links. Click a link to cut or heal
//! it, make clients write and read, switch CP / AP / async, and watch the history and the verdict
//! (from the model's linearizability checker). There is deliberately no "CA" mode.

use crate::ui::anim::{frame_loop, use_in_view};
use crate::ui::controls::{ParamControl, SeedControl};
use crate::ui::widget_frame::WidgetFrame;
use leptos::prelude::*;
use model::consistency::{
    client_name, tour_steps, Action, ClusterSim, ClusterSnapshot, Op, OpKind, Outcome, Role, TourStep, Verdict,
};
use model::des::{Micros, MS, SEC};
use model::spec::{cluster_params, Note, State, PARTITION_TOGGLES};

const W: f64 = 640.0;
const H: f64 = 330.0;
const CY: f64 = 160.0;

/// Where node `id` is drawn: replicas on a circle, each client outside its home replica.
fn position(snap: &ClusterSnapshot, node: u32) -> (f64, f64) {
    let n = snap.replicas.len().max(1) as f64;
    let angle = |i: f64| std::f64::consts::TAU * i / n - std::f64::consts::FRAC_PI_2;
    if (node as usize) < snap.replicas.len() {
        let a = angle(node as f64);
        (W / 2.0 + 105.0 * a.cos(), CY + 105.0 * a.sin())
    } else {
        // Clients sit beside their home replica (left or right, away from the centre), stacked
        // when several share a home.
        let c = &snap.clients[(node as usize - snap.replicas.len()).min(snap.clients.len().saturating_sub(1))];
        let k = snap.clients.iter().filter(|o| o.home == c.home && o.id < c.id).count() as f64;
        let a = angle(c.home as f64);
        let (hx, hy) = (W / 2.0 + 105.0 * a.cos(), CY + 105.0 * a.sin());
        let side = if a.cos() > 0.01 { 1.0 } else { -1.0 };
        (hx + side * (78.0 + 40.0 * (k / 2.0).floor()), (hy + if k % 2.0 == 0.0 { 0.0 } else { 36.0 }).min(H - 30.0))
    }
}

fn node_label(snap: &ClusterSnapshot, node: u32) -> String {
    if (node as usize) < snap.replicas.len() {
        format!("R{node}")
    } else {
        format!("client {}", client_name(node - snap.replicas.len() as u32))
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

fn values_text(values: &[u32]) -> String {
    if values.is_empty() {
        return "0".into();
    }
    values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" | ")
}

fn op_label(op: &Op) -> String {
    match (&op.kind, &op.outcome) {
        (OpKind::Write(v), Outcome::Err(_)) => format!("w{v} ✕"),
        (OpKind::Write(v), _) => format!("w{v}"),
        (OpKind::Read, Outcome::Ok(vals)) => format!("r→{}", values_text(vals)),
        (OpKind::Read, Outcome::Err(_)) => "r ✕".into(),
        (OpKind::Read, Outcome::Pending) => "r…".into(),
    }
}

fn secs(t: Micros) -> String {
    format!("{:.2} s", t as f64 / SEC as f64)
}

/// The verdict line, from the model's checker and anomaly reports.
fn verdict_text(s: &ClusterSnapshot) -> (String, &'static str) {
    if let Verdict::Violation { explanation, .. } = &s.verdict {
        return (format!("Not linearizable: {explanation}"), "bad");
    }
    if let Some(&id) = s.stale_reads.first() {
        let op = &s.history[id as usize];
        return (format!("Stale read by client {} at t = {}", client_name(op.client), secs(op.invoke)), "bad");
    }
    if let Some(&id) = s.lost_writes.first() {
        let op = &s.history[id as usize];
        return (format!("Acknowledged write lost: client {}'s {}", client_name(op.client), op_label(op)), "bad");
    }
    if let Some(op) = s.history.iter().rev().find(|o| matches!(o.outcome, Outcome::Err(_))) {
        if let Outcome::Err(why) = &op.outcome {
            let what = if matches!(op.kind, OpKind::Write(_)) { "write" } else { "read" };
            return (
                format!("Linearizable so far. Last refusal: {what} by client {}: {why}", client_name(op.client)),
                "warn",
            );
        }
    }
    match s.verdict {
        Verdict::Unknown { ref reason } => (format!("Could not decide: {reason}"), "warn"),
        _ if s.history.is_empty() => ("No operations yet: make a client write or read.".into(), "ok"),
        _ => ("Linearizable so far: every read saw the latest acknowledged write.".into(), "ok"),
    }
}

/// The partition toggles.
#[component]
pub fn PartitionToggles(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &PARTITION_TOGGLES;
    let state = RwSignal::new(initial.clone());
    let sim = StoredValue::new_local(ClusterSim::new(cluster_params(&initial), initial.seed));
    let snap = RwSignal::new(sim.with_value(|s| s.snapshot()));
    let next_value = StoredValue::new(1u32);
    let tour: StoredValue<Option<(Vec<TourStep>, usize)>> = StoredValue::new(None);
    let caption = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let root = NodeRef::<leptos::html::Div>::new();
    let visible = use_in_view(root);

    // Heartbeats change nothing a reader sees but the clock: re-render when something else
    // changed, or a few times a second so the clock and pending operations move on.
    let since_publish = StoredValue::new(0u32);
    let publish = move || {
        let mut s = sim.with_value(|s| s.snapshot());
        let changed = snap.with_untracked(|old| {
            let now = std::mem::replace(&mut s.now, old.now);
            let differs = *old != s;
            s.now = now;
            differs
        });
        since_publish.update_value(|n| *n += 1);
        if changed || since_publish.get_value() >= 15 {
            since_publish.set_value(0);
            snap.set(s);
        }
    };
    let rebuild = move |st: &State| {
        sim.set_value(ClusterSim::new(cluster_params(st), st.seed));
        next_value.set_value(1);
        tour.set_value(None);
        caption.set(None);
        message.set(None);
        publish();
    };
    Effect::new(move |prev: Option<()>| {
        let st = state.get();
        if prev.is_some() {
            rebuild(&st);
        }
    });

    // Real time: one simulated millisecond per wall-clock millisecond; tour steps fire on time.
    frame_loop(visible, move |dt| {
        let before = sim.with_value(|s| s.events_handled());
        sim.update_value(|s| {
            let target = s.now() + (dt * MS as f64) as Micros;
            loop {
                let next = tour.with_value(|t| t.as_ref().and_then(|(steps, i)| steps.get(*i).map(|st| st.at)));
                match next {
                    Some(at) if at <= target => {
                        s.advance_to(at, u64::MAX);
                        let (action, text) = tour
                            .with_value(|t| t.as_ref().map(|(steps, i)| (steps[*i].action.clone(), steps[*i].caption)))
                            .expect("a step is pending");
                        // A refused step (say, a busy client) is part of the story: show why.
                        if let Err(e) = s.apply(&action) {
                            message.set(Some(e));
                        }
                        caption.set(Some(text.to_string()));
                        tour.update_value(|t| {
                            if let Some((_, i)) = t {
                                *i += 1;
                            }
                        });
                    }
                    _ => break,
                }
            }
            s.advance_to(target, 200_000);
        });
        if sim.with_value(|s| s.events_handled()) != before {
            publish();
        }
    });

    let act = move |a: Action| {
        let r = sim.try_update_value(|s| s.apply(&a)).unwrap_or(Ok(None));
        message.set(r.err());
        publish();
    };
    let write = move |client: u32| {
        let v = next_value.get_value();
        next_value.set_value(v + 1);
        act(Action::Write { client, value: v });
    };
    let toggle_link = move |a: u32, b: u32| {
        let cut = snap.with_untracked(|s| is_cut(s, a, b));
        let r = sim.try_update_value(|s| if cut { s.heal(a, b) } else { s.cut(a, b) }).unwrap_or(Ok(()));
        message.set(r.err());
        publish();
    };
    let play_tour = move |_| {
        let st = state.get_untracked();
        rebuild(&st);
        let mode = sim.with_value(|s| s.params().mode);
        tour.set_value(Some((tour_steps(mode), 0)));
        caption.set(Some("The tour starts…".into()));
    };
    let is_async = move || state.with(|s| s.index(spec, "mode") == 2);

    let diagram = move || {
        let s = snap.get();
        let link_views = links(&s)
            .into_iter()
            .map(|(a, b)| {
                let (x1, y1) = position(&s, a);
                let (x2, y2) = position(&s, b);
                let cut = is_cut(&s, a, b);
                let label = format!(
                    "Link {} – {}: {}. Press to {}.",
                    node_label(&s, a),
                    node_label(&s, b),
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
                        <line class="link-hit" x1=x1 y1=y1 x2=x2 y2=y2></line>
                        <line class="link-line" x1=x1 y1=y1 x2=x2 y2=y2></line>
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
                let role_text = format!("{:?}", r.role).to_lowercase();
                view! {
                    <g class=cls data-replica=r.id>
                        <circle cx=x cy=y r="26"></circle>
                        <text x=x y=y - 4.0 class="node-name">{format!("R{}", r.id)}</text>
                        <text x=x y=y + 12.0 class="node-role">{role_text}</text>
                        <text x=x y=y + 44.0 class="node-value">{format!("= {}", values_text(&vals))}</text>
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
                        <rect x=x - 16.0 y=y - 14.0 width="32" height="28" rx="6"></rect>
                        <text x=x y=y + 5.0 class="node-name">{c.name.to_string()}</text>
                    </g>
                }
            })
            .collect_view();
        view! {
            <svg class="cluster" viewBox=format!("0 0 {W} {H}") role="group" aria-label="The cluster: replicas, clients and the links between them. Links are buttons.">
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
                        <rect x=x0 y=y width=x1 - x0 height=row - 8.0 rx="3"></rect>
                        <text x=x0 + 3.0 y=y + 13.0>{op_label(op)}</text>
                    </g>
                }
            })
            .collect_view();
        let names = s
            .clients
            .iter()
            .map(|c| view! { <text class="row-name" x="8" y=8.0 + c.id as f64 * row + 13.0>{format!("client {}", c.name)}</text> })
            .collect_view();
        let h = clients * row + 24.0;
        view! {
            <svg class="timeline" viewBox=format!("0 0 {W} {h}") role="img" aria-label="History: each client's operations over time; the log below lists them">
                {names}
                {ops}
                <text class="axis" x=W - 40.0 y=h - 4.0>{format!("{:.1} s", span)}</text>
            </svg>
        }
    };

    let client_buttons = move || {
        let s = snap.get();
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
            name="partition-toggles"
            caption="A replicated register. Click a link to cut or heal it. There is no CA option: you do not get to choose whether the network partitions.".into()
            notes=notes
            state=state
        >
            <div class="panel" node_ref=root>
                <p class=move || format!("verdict-badge {}", verdict_text(&snap.get()).1) data-k="verdict" role="status">
                    {move || verdict_text(&snap.get()).0}
                </p>
                {move || caption.get().map(|c| view! { <p class="tour-caption" data-k="tour" aria-live="polite">{c}</p> })}
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
                        <button type="button" class="btn" data-action="reset" on:click=move |_| rebuild(&state.get_untracked())>"Reset"</button>
                    </div>
                </div>
                <h4 class="panel-label">"History"</h4>
                {timeline}
                <h4 class="panel-label">"Event log"</h4>
                <ol class="event-log" data-k="log" aria-live="polite" aria-relevant="additions">
                    {move || {
                        snap.with(|s| {
                            let skip = s.log.len().saturating_sub(8);
                            s.log.iter().skip(skip).map(|l| view! { <li>{l.clone()}</li> }).collect_view()
                        })
                    }}
                </ol>
                <p class="sr-time">{move || format!("Simulated time {}", secs(snap.get().now))}</p>
            </div>
            <div class="controls-grid">
                <ParamControl spec=spec key="mode" state=state />
                <Show when=move || state.with(|s| s.index(spec, "mode") == 1)>
                    <ParamControl spec=spec key="conflict" state=state />
                </Show>
                <ParamControl spec=spec key="replicas" state=state />
                <ParamControl spec=spec key="clients" state=state />
                <SeedControl state=state />
            </div>
        </WidgetFrame>
    }
}

#[cfg(test)]
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
}
