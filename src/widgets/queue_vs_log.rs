//! `queue-vs-log`: the same producers and consumers on a message queue and on an event log. Side
//! by side: consumers that actually work (a log caps them at its partitions), the burst's backlog
//! and how long it takes to drain, ordering, storage for the retention, the cost of many readers
//! and whether a bug found hours later can be replayed; a chart of both backlogs over time.

use crate::charts::series::{draw_chart, table_of, Axes, Line, LineChart, Marker, Sink};
use crate::ui::chart::{use_chart, WidgetError};
use crate::ui::chart_data::ChartData;
use crate::ui::controls::ParamControls;
use crate::ui::readouts::Readouts;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::messaging::{analyse, messaging_facts, side_readouts, MessagingReport};
use model::note::Facts;
use model::messaging::{messaging_params, QUEUE_VS_LOG};
use model::spec::{Note, State};

/// One side's readouts (the note's list has both, each label naming its side).
fn side(report: Memo<MessagingReport>, log: bool) -> Signal<Facts> {
    Memo::new(move |_| {
        report.with(|r| Facts { readouts: side_readouts(if log { &r.log } else { &r.queue }), ..Facts::default() })
    })
    .into()
}

/// Both backlogs over time through the burst: the queue's and each log consumer group's lag.
fn backlog_chart(r: &MessagingReport, out: Sink<'_>) {
    let ch = &r.chart;
    out(&LineChart {
        axes: Axes {
            x_label: if ch.minutes { "time (min)" } else { "time (s)" },
            y_label: "messages waiting",
            y_min_top: 10.0,
            x_min_span: 1.0,
            y_max: f64::INFINITY,
        },
        // The queue's line is dashed and drawn last, so where the two coincide both show.
        lines: &[
            Line { label: "log lag (each group)", color: 1, points: &ch.log, dashed: false },
            Line { label: "queue backlog (dashed)", color: 0, points: &ch.queue, dashed: true },
        ],
        markers: &[Marker { x: ch.burst_start, label: "burst" }, Marker { x: ch.burst_end, label: "burst ends" }],
        references: &[],
    })
}

/// The share-card preview: the backlog chart in the default state.
#[cfg(not(target_family = "wasm"))]
pub fn preview(
    db: &mut crate::preview::Svg<'_>,
    pal: &crate::ui::theme::Palette,
    scale: crate::charts::Scale,
) -> Result<(), String> {
    draw_chart(db, pal, scale, |o| backlog_chart(&analyse(&messaging_params(&QUEUE_VS_LOG.defaults())), o))
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
    let facts: Signal<_> = Memo::new(move |_| report.with(messaging_facts)).into();
    let root = NodeRef::<Div>::new();
    let chart = NodeRef::<Canvas>::new();
    let error = use_chart(root, [chart], report, |r, _, area, pal, scale| draw_chart(area, pal, scale, |o| backlog_chart(r, o)));
    let table = Callback::new(move |_| report.with(|r| table_of(|o| backlog_chart(r, o))));
    view! {
        <WidgetFrame
            spec=spec
            caption="Queue or log: the same producers and consumers on both. Backlogs are a fluid model (steps of 100 ms); steady-rate waits assume random arrivals and service (M/M/c for the queue, M/M/1 per log consumer). Rates, sizes and times are illustrative; storage counts 3 replicas.".into()
            notes=notes
            state=state
            facts=Callback::new(move |_| facts.get_untracked())
        >
            <div class="panel" node_ref=root>
                <WidgetError error=error />
                <p class="verdict" data-k="verdict" aria-live="polite">{move || facts.with(|f| f.verdict.clone())}</p>
                <div class="qvl-sides">
                    <div class="qvl-side">
                        <p class="qvl-head">"Queue" <span>" · RabbitMQ, SQS: competing consumers"</span></p>
                        <Readouts facts=side(report, false) label="Queue" />
                    </div>
                    <div class="qvl-side">
                        <p class="qvl-head">"Log" <span>" · Kafka, Kinesis: partitions and offsets"</span></p>
                        <Readouts facts=side(report, true) label="Log" />
                    </div>
                </div>
                <canvas class="chart" node_ref=chart role="img" aria-label="Queue backlog and log lag over time through the burst; the peaks and drain times are listed above"></canvas>
                <ChartData caption="Messages waiting: each log consumer group's lag and the queue's backlog, by time through the burst (the first column's unit)" file="queue-vs-log-backlog" canvas=chart table=table />
            </div>
            <div class="controls-grid">
                <ParamControls spec=spec state=state />
            </div>
        </WidgetFrame>
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;
    use crate::charts::series::assert_lists_its_lines;

    /// The table lists both backlogs through the burst.
    #[test]
    fn its_table_lists_both_backlogs() {
        let r = analyse(&messaging_params(&QUEUE_VS_LOG.defaults()));
        let t = assert_lists_its_lines(|o| backlog_chart(&r, o));
        assert_eq!(t.columns[1..], ["log lag (each group)", "queue backlog (dashed)"]);
        assert!(t.rows.iter().any(|row| row[2] > 0.0), "the burst builds a backlog");
    }
}
