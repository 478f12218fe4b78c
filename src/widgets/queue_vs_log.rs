//! `queue-vs-log`: the same producers and consumers on a message queue and on an event log. Side
//! by side: consumers that actually work (a log caps them at its partitions), the burst's backlog
//! and how long it takes to drain, ordering, storage for the retention, the cost of many readers
//! and whether a bug found hours later can be replayed; a chart of both backlogs over time.

use crate::charts::series::{draw_lines, Axes, Line, Marker};
use crate::ui::chart::{use_chart, WidgetError};
use crate::ui::controls::ParamControls;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::messaging::{analyse, MessagingReport, Side};
use model::messaging::{messaging_params, QUEUE_VS_LOG};
use model::spec::{Note, State};

/// One readout row: its label, its key (`data-k` is `<side>-<key>`) and its text on a side.
type Row = (&'static str, &'static str, fn(&Side) -> String);

/// The readout rows, in order.
const ROWS: [Row; 13] = [
    ("Consumers working", "parallel", |s| s.text.parallelism.clone()),
    ("Capacity", "capacity", |s| s.text.capacity.clone()),
    ("Peak backlog", "peak", |s| s.text.peak.clone()),
    ("Drained", "drain", |s| s.text.drain.clone()),
    ("Longest wait", "wait", |s| s.text.worst_wait.clone()),
    ("Ordering", "order", |s| s.text.order.clone()),
    ("Storage", "storage", |s| s.text.storage.clone()),
    ("For every reader", "fanout", |s| s.text.fan_out.clone()),
    ("Replay after the bug", "replay", |s| s.text.replay.clone()),
    ("Replay speed capped by", "cap", |s| s.text.replay_cap.clone()),
    ("Waits at the steady rate", "steady", |s| s.text.steady_wait.clone()),
    ("Hottest key", "hot", |s| s.text.hot_key.clone()),
    ("A consumer crashes", "crash", |s| s.text.crash.clone()),
];

/// One side's readout.
fn readout(report: Memo<MessagingReport>, log: bool) -> impl IntoView {
    let (prefix, label) = if log { ("log", "Log") } else { ("queue", "Queue") };
    view! {
        <dl class="readout qvl-readout" aria-label=label>
            {ROWS
                .iter()
                .map(|&(dt, key, f)| {
                    let text = move || report.with(|r| f(if log { &r.log } else { &r.queue }));
                    view! { <div><dt>{dt}</dt><dd data-k=format!("{prefix}-{key}")>{text}</dd></div> }
                })
                .collect_view()}
        </dl>
    }
}

/// The queue-vs-log comparison.
#[component]
pub fn QueueVsLog(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &QUEUE_VS_LOG;
    let state = RwSignal::new(initial);
    let report = Memo::new(move |_| analyse(&messaging_params(&state.get())));
    let root = NodeRef::<Div>::new();
    let chart = NodeRef::<Canvas>::new();
    let error = use_chart(root, [chart], report, |r, _, area, pal, scale| {
        let ch = &r.chart;
        draw_lines(
            area,
            pal,
            scale,
            &Axes {
                x_label: if ch.minutes { "time (min)" } else { "time (s)" },
                y_label: "messages waiting",
                y_min_top: 10.0,
                x_min_span: 1.0,
                y_max: f64::INFINITY,
            },
            // The queue's line is dashed and drawn last, so where the two coincide both show.
            &[
                Line { label: "log lag (each group)", color: 1, points: &ch.log, dashed: false },
                Line { label: "queue backlog (dashed)", color: 0, points: &ch.queue, dashed: true },
            ],
            &[Marker { x: ch.burst_start, label: "burst" }, Marker { x: ch.burst_end, label: "burst ends" }],
        )
    });
    view! {
        <WidgetFrame
            spec=spec
            caption="Queue or log: the same producers and consumers on both. Backlogs are a fluid model (steps of 100 ms); steady-rate waits assume random arrivals and service (M/M/c for the queue, M/M/1 per log consumer). Rates, sizes and times are illustrative; storage counts 3 replicas.".into()
            notes=notes
            state=state
        >
            <div class="panel" node_ref=root>
                <WidgetError error=error />
                <p class="verdict" data-k="verdict" aria-live="polite">{move || report.with(|r| r.summary.clone())}</p>
                <div class="qvl-sides">
                    <div class="qvl-side">
                        <p class="qvl-head">"Queue" <span>" · RabbitMQ, SQS: competing consumers"</span></p>
                        {readout(report, false)}
                    </div>
                    <div class="qvl-side">
                        <p class="qvl-head">"Log" <span>" · Kafka, Kinesis: partitions and offsets"</span></p>
                        {readout(report, true)}
                    </div>
                </div>
                <canvas class="chart" node_ref=chart role="img" aria-label="Queue backlog and log lag over time through the burst; the peaks and drain times are listed above"></canvas>
            </div>
            <div class="controls-grid">
                <ParamControls spec=spec state=state />
            </div>
        </WidgetFrame>
    }
}
