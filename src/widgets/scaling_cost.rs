//! `scaling-cost`: one big box or many small ones — throughput by the Universal Scalability Law,
//! monthly cost of both strategies, the crossover, and the plain-language verdict from the model.

use crate::charts::series::{draw_chart, draw_lines, table_of, Axes, Line, LineChart, Marker, Sink, MUTED};
use crate::charts::{DrawingBackend, Scale};
use crate::ui::chart::{use_chart, WidgetError};
use crate::ui::chart_data::ChartData;
use crate::ui::controls::ParamControls;
use crate::ui::readouts::Readouts;
use crate::ui::theme::Palette;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::Div;
use leptos::prelude::*;
use model::scaling::{analyse, cost_curves, throughput_curve, ScalingReport, ASSUMPTIONS};
use model::scaling::{scaling_params, SCALING_COST};
use model::spec::{Note, State};
use model::table::Table;

/// The cost chart's x axis.
const LOAD: &str = "load (req/s)";

/// Splits an optional curve into drawable runs (a plan is impossible where the value is None).
fn runs(curve: &[(f64, Option<f64>)]) -> Vec<Vec<(f64, f64)>> {
    let mut out = vec![Vec::new()];
    for &(x, y) in curve {
        match y {
            Some(y) => out.last_mut().expect("non-empty").push((x, y)),
            None if !out.last().expect("non-empty").is_empty() => out.push(Vec::new()),
            None => {}
        }
    }
    out.retain(|r| !r.is_empty());
    out
}

/// Fleet throughput against node count, with the target and the USL peak.
fn throughput_chart(r: &ScalingReport, out: Sink<'_>) {
    let p = r.params;
    let peak = r.usl_peak_nodes;
    let max_nodes = peak.map_or(64.0, |n| model::num::clamp(n * 2.2, 16.0, 400.0)) as u32;
    let curve = throughput_curve(&p, max_nodes);
    let target = [(1.0, p.target_rps), (max_nodes as f64, p.target_rps)];
    let peak_label = peak.map(|n| format!("peak ≈ {} nodes", model::fmt::grouped(n.round())));
    let markers: Vec<Marker> = match (&peak, &peak_label) {
        (Some(n), Some(l)) => vec![Marker { x: *n, label: l }],
        _ => vec![],
    };
    out(&LineChart {
        axes: Axes {
            x_label: "nodes",
            y_label: "throughput (req/s)",
            y_min_top: p.target_rps,
            x_min_span: 8.0,
            y_max: f64::INFINITY,
        },
        lines: &[
            Line { label: "fleet throughput (USL)", color: 1, points: &curve, dashed: false },
            Line { label: "target", color: MUTED, points: &target, dashed: true },
        ],
        markers: &markers,
        references: &[],
    })
}

/// Monthly cost against load (None: no plan carries the load).
type Curve = Vec<(f64, Option<f64>)>;

/// The cost chart's curves: the cheapest big box's and the cheapest fleet's monthly cost against
/// load (None where no plan carries it).
fn cost_data(r: &ScalingReport) -> (Curve, Curve) {
    let p = r.params;
    let max_load = (p.target_rps * 2.0).max(r.crossover_rps.unwrap_or(0.0) * 1.5).max(1_000.0);
    cost_curves(&p, max_load, 240)
}

/// The cost chart's data: a row per load, each strategy's monthly cost (empty where no plan
/// carries the load).
fn cost_table(r: &ScalingReport) -> Table {
    let (v, h) = cost_data(r);
    let gaps = |c: &[(f64, Option<f64>)]| c.iter().map(|&(x, y)| (x, y.unwrap_or(f64::NAN))).collect::<Vec<_>>();
    Table::from_series(LOAD, &[("one big box", &gaps(&v)), ("fleet of nodes", &gaps(&h))])
}

/// Monthly cost against load for one big box and for a fleet, with the target and the crossover.
fn cost_chart<DB: DrawingBackend>(r: &ScalingReport, area: &mut DB, pal: &Palette, scale: Scale) -> Result<(), String> {
    let p = r.params;
    let (v, h) = cost_data(r);
    let (vr, hr) = (runs(&v), runs(&h));
    let mut lines: Vec<Line> = Vec::new();
    for (i, run) in vr.iter().enumerate() {
        lines.push(Line { label: if i == 0 { "one big box" } else { "" }, color: 0, points: run, dashed: false });
    }
    for (i, run) in hr.iter().enumerate() {
        lines.push(Line { label: if i == 0 { "fleet of nodes" } else { "" }, color: 1, points: run, dashed: false });
    }
    let cross_label = r.crossover_rps.map(|x| format!("fleet first cheaper: {} req/s", model::fmt::grouped(x)));
    let mut cost_markers = vec![Marker { x: p.target_rps, label: "target" }];
    if let (Some(x), Some(l)) = (r.crossover_rps, &cross_label) {
        cost_markers.push(Marker { x, label: l });
    }
    draw_lines(
        area,
        pal,
        scale,
        &Axes {
            x_label: LOAD,
            y_label: "monthly cost ($)",
            y_min_top: 100.0,
            x_min_span: 1_000.0,
            y_max: f64::INFINITY,
        },
        &lines,
        &cost_markers,
    )
}

/// The share-card preview: the cost chart in the default state.
#[cfg(not(target_family = "wasm"))]
pub fn preview(db: &mut crate::preview::Svg<'_>, pal: &Palette, scale: Scale) -> Result<(), String> {
    cost_chart(&analyse(&scaling_params(&SCALING_COST.defaults())), db, pal, scale)
}

/// The scaling cost sliders.
#[component]
pub fn ScalingCost(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &SCALING_COST;
    let state = RwSignal::new(initial);
    let report = Memo::new(move |_| analyse(&scaling_params(&state.get())));
    let root = NodeRef::<Div>::new();
    let tput = NodeRef::<leptos::html::Canvas>::new();
    let cost = NodeRef::<leptos::html::Canvas>::new();
    let error = use_chart(root, [tput, cost], report, |r, i, area, pal, scale| match i {
        0 => draw_chart(area, pal, scale, |o| throughput_chart(r, o)),
        _ => cost_chart(r, area, pal, scale),
    });
    let tput_table = Callback::new(move |_| report.with(|r| table_of(|o| throughput_chart(r, o))));
    let costs = Callback::new(move |_| report.with(cost_table));

    let facts: Signal<_> = Memo::new(move |_| report.with(model::scaling::cost_facts)).into();
    view! {
        <WidgetFrame
            spec=spec
            caption="Scaling cost: the cheapest single machine against the cheapest fleet for your target load. Prices are illustrative.".into()
            notes=notes
            state=state
            facts=Callback::new(move |_| facts.get_untracked())
        >
            <div class="panel" node_ref=root>
                <WidgetError error=error />
                <p class="verdict" data-k="summary" aria-live="polite">{move || facts.with(|f| f.verdict.clone())}</p>
                <Readouts facts=facts />
                <div class="charts charts-side">
                    <div>
                        <canvas class="chart" node_ref=tput role="img" aria-label="Fleet throughput against node count, with the USL peak marked; the numbers are above"></canvas>
                        <ChartData caption="Fleet throughput (requests a second, by the USL) and the target by number of nodes" file="scaling-cost-throughput" canvas=tput table=tput_table />
                    </div>
                    <div>
                        <canvas class="chart" node_ref=cost role="img" aria-label="Monthly cost against load for one big box and for a fleet, with the crossover marked; the numbers are above"></canvas>
                        <ChartData caption="Monthly cost ($) of the cheapest big box and the cheapest fleet by load (requests a second); empty where no plan carries the load" file="scaling-cost-cost" canvas=cost table=costs />
                    </div>
                </div>
            </div>
            <div class="controls-grid">
                <ParamControls spec=spec state=state />
            </div>
            <details class="assumptions">
                <summary>"Assumptions"</summary>
                <p>{ASSUMPTIONS}</p>
            </details>
        </WidgetFrame>
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;
    use crate::charts::series::assert_lists_its_lines;

    /// The throughput chart's table lists the USL curve and the target; the cost chart's, both
    /// strategies at every load (an empty cell where the big box cannot carry it, where the chart
    /// breaks its line).
    #[test]
    fn its_tables_list_the_curves_drawn() {
        let r = analyse(&scaling_params(&SCALING_COST.defaults()));
        let t = assert_lists_its_lines(|o| throughput_chart(&r, o));
        assert_eq!(t.columns, ["nodes", "fleet throughput (USL)", "target"]);
        assert!(t.rows.iter().all(|row| row[2] == r.params.target_rps));
        let t = cost_table(&r);
        let (v, h) = cost_data(&r);
        assert_eq!(t.columns, [LOAD, "one big box", "fleet of nodes"]);
        assert_eq!(t.rows.len(), v.len());
        for ((row, a), b) in t.rows.iter().zip(&v).zip(&h) {
            assert_eq!(row[0], a.0);
            assert_eq!(a.1.unwrap_or(f64::NAN).to_bits(), row[1].to_bits());
            assert_eq!(b.1.unwrap_or(f64::NAN).to_bits(), row[2].to_bits());
        }
    }
}
