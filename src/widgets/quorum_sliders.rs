//! `quorum-sliders`: N, R and W; overlap, failures tolerated, the chance a read misses the latest
//! write (PBS), and the latency price of bigger quorums (the k-th fastest of N replicas).

use crate::charts::series::{draw_lines, Axes, Line};
use crate::charts::{DrawingBackend, Scale};
use crate::ui::chart::{use_chart, WidgetError};
use crate::ui::chart_data::ChartData;
use crate::ui::controls::ParamControls;
use crate::ui::readouts::Readouts;
use crate::ui::theme::Palette;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::consistency::quantile;
use model::quorum::{quorum_facts, quorum_nrw, quorum_report, QuorumReport, QUORUM_SLIDERS};
use model::spec::{Note, State};

/// What the chart draws: the cumulative latency of reads and writes.
#[derive(Clone, PartialEq)]
struct Figures {
    r: u32,
    w: u32,
    read_cdf: Vec<(f64, f64)>,
    write_cdf: Vec<(f64, f64)>,
}

fn cdf(sorted: &[f64]) -> Vec<(f64, f64)> {
    (0..=100).map(|i| (quantile(sorted, i as f64 / 100.0), i as f64 / 100.0)).collect()
}

fn figures(q: &QuorumReport) -> Figures {
    Figures { r: q.r, w: q.w, read_cdf: cdf(&q.read_sorted), write_cdf: cdf(&q.write_sorted) }
}

/// The chart's lines' labels.
fn labels(f: &Figures) -> (String, String) {
    (format!("read (R = {})", f.r), format!("write (W = {})", f.w))
}

/// The chart's data turned round: a row per percentile (the chart's y), the read and write
/// latency there (ms).
fn latency_table(f: &Figures) -> model::table::Table {
    let (rl, wl) = labels(f);
    let by_share = |c: &[(f64, f64)]| c.iter().map(|&(ms, share)| (share, ms)).collect::<Vec<_>>();
    model::table::Table::from_series(
        "share of requests",
        &[(&format!("{rl} (ms)"), &by_share(&f.read_cdf)), (&format!("{wl} (ms)"), &by_share(&f.write_cdf))],
    )
}

/// The cumulative latency of reads (R fastest replicas) and writes (W fastest).
fn latency_chart<DB: DrawingBackend>(f: &Figures, area: &mut DB, pal: &Palette, scale: Scale) -> Result<(), String> {
    let (rl, wl) = labels(f);
    draw_lines(
        area,
        pal,
        scale,
        &Axes {
            x_label: "latency (ms)",
            y_label: "share of requests",
            y_min_top: 1.0,
            x_min_span: 10.0,
            y_max: 1.0,
        },
        &[
            Line { label: &rl, color: 0, points: &f.read_cdf, dashed: false },
            Line { label: &wl, color: 1, points: &f.write_cdf, dashed: true },
        ],
        &[],
    )
}

/// The share-card preview: the read and write latency chart in the default state.
#[cfg(not(target_family = "wasm"))]
pub fn preview(db: &mut crate::preview::Svg<'_>, pal: &Palette, scale: Scale) -> Result<(), String> {
    latency_chart(&figures(&quorum_report(&QUORUM_SLIDERS.defaults())), db, pal, scale)
}

/// The quorum sliders.
#[component]
pub fn QuorumSliders(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &QUORUM_SLIDERS;
    let state = RwSignal::new(initial);
    // R and W cannot exceed N: pull them down when N shrinks.
    Effect::new(move |_| {
        let (_, r, w) = state.with(quorum_nrw);
        let (r0, w0) = state.with(|s| (model::value!(QUORUM_SLIDERS, s, "r") as u32, model::value!(QUORUM_SLIDERS, s, "w") as u32));
        if r != r0 || w != w0 {
            state.update(|s| {
                s.set(spec, "r", r as f64);
                s.set(spec, "w", w as f64);
            });
        }
    });
    let report = Memo::new(move |_| quorum_report(&state.get()));
    let fig = Memo::new(move |_| report.with(figures));
    let facts: Signal<_> = Memo::new(move |_| report.with(quorum_facts)).into();
    let root = NodeRef::<Div>::new();
    let chart = NodeRef::<Canvas>::new();
    let error = use_chart(root, [chart], fig, |f, _, area, pal, scale| latency_chart(f, area, pal, scale));
    let table = Callback::new(move |_| fig.with(latency_table));
    view! {
        <WidgetFrame
            spec=spec
            caption="Quorums: each replica answers in an illustrative log-normal time (median 5 ms, p99 40 ms); a read waits for the R fastest, a write for the W fastest.".into()
            notes=notes
            state=state
            facts=Callback::new(move |_| facts.get_untracked())
        >
            <div class="panel" node_ref=root>
                <WidgetError error=error />
                <p class="verdict" data-k="overlap" aria-live="polite">{move || facts.with(|f| f.verdict.clone())}</p>
                <Readouts facts=facts />
                <canvas class="chart" node_ref=chart role="img" aria-label="Cumulative latency of reads and writes; the percentiles are listed above"></canvas>
                <ChartData caption="Read and write latency (ms) by share of requests that finish within it, 0 to 1 (the chart with its axes swapped)" file="quorum-sliders-latency" canvas=chart table=table />
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

    /// The table is the chart turned round: a row per percentile, each CDF's latency there.
    #[test]
    fn its_table_is_the_cdfs_by_share() {
        let f = figures(&quorum_report(&QUORUM_SLIDERS.defaults()));
        let t = latency_table(&f);
        assert_eq!(t.columns[0], "share of requests");
        assert_eq!(t.columns[1], format!("read (R = {}) (ms)", f.r));
        assert_eq!(t.rows.len(), 101);
        for (i, row) in t.rows.iter().enumerate() {
            assert_eq!(row[..], [f.read_cdf[i].1, f.read_cdf[i].0, f.write_cdf[i].0]);
        }
    }
}
