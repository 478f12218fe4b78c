//! `quorum-sliders`: N, R and W; overlap, failures tolerated, the chance a read misses the latest
//! write (PBS), and the latency price of bigger quorums (the k-th fastest of N replicas).

use crate::charts::series::{draw_lines, Axes, Line};
use crate::ui::chart::{use_chart, WidgetError};
use crate::ui::controls::ParamControls;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::consistency::{
    pbs_stale_probability, quantile, quorum_latency_samples, quorum_overlap, read_tolerates, summarize,
    write_tolerates, LatencySummary,
};
use model::fmt::{ms, num, percent};
use model::quorum::{quorum_nrw, QUORUM_SLIDERS};
use model::spec::{Note, State};

/// Per-replica latency: median and p99/median of the log-normal each replica answers with.
const REPLICA_MEDIAN_MS: f64 = 5.0;
const REPLICA_TAIL: f64 = 8.0;
const SAMPLES: u32 = 4_000;

#[derive(Clone, PartialEq)]
struct Figures {
    n: u32,
    r: u32,
    w: u32,
    overlap: bool,
    stale: f64,
    read: LatencySummary,
    write: LatencySummary,
    read_cdf: Vec<(f64, f64)>,
    write_cdf: Vec<(f64, f64)>,
}

fn cdf(sorted: &[f64]) -> Vec<(f64, f64)> {
    (0..=100).map(|i| (quantile(sorted, i as f64 / 100.0), i as f64 / 100.0)).collect()
}

fn figures(st: &State) -> Figures {
    let (n, r, w) = quorum_nrw(st);
    let mut rs = quorum_latency_samples(n, r, REPLICA_MEDIAN_MS, REPLICA_TAIL, SAMPLES, st.seed);
    let mut ws = quorum_latency_samples(n, w, REPLICA_MEDIAN_MS, REPLICA_TAIL, SAMPLES, st.seed ^ 1);
    model::num::sort::floats(&mut rs);
    model::num::sort::floats(&mut ws);
    Figures {
        n,
        r,
        w,
        overlap: quorum_overlap(n, r, w),
        stale: pbs_stale_probability(n, r, w),
        read: summarize(&rs),
        write: summarize(&ws),
        read_cdf: cdf(&rs),
        write_cdf: cdf(&ws),
    }
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
    let fig = Memo::new(move |_| figures(&state.get()));
    let root = NodeRef::<Div>::new();
    let chart = NodeRef::<Canvas>::new();
    let error = use_chart(root, [chart], fig, |f, _, area, pal, scale| {
        let rl = format!("read (R = {})", f.r);
        let wl = format!("write (W = {})", f.w);
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
    });
    let t = move |g: fn(&Figures) -> String| move || fig.with(g);
    view! {
        <WidgetFrame
            spec=spec
            caption="Quorums: each replica answers in an illustrative log-normal time (median 5 ms, p99 40 ms); a read waits for the R fastest, a write for the W fastest.".into()
            notes=notes
            state=state
        >
            <div class="panel" node_ref=root>
                <WidgetError error=error />
                <p class="verdict" data-k="overlap" aria-live="polite">
                    {t(|f| if f.overlap {
                        format!("R = {} and W = {} add up to more than N = {}: every read quorum overlaps every write quorum, so a read sees the latest acknowledged write.", f.r, f.w, f.n)
                    } else {
                        format!("R = {} and W = {} add up to no more than N = {}: a read can miss the latest write entirely.", f.r, f.w, f.n)
                    })}
                </p>
                <dl class="readout" aria-label="Key numbers">
                    <div><dt>"Stale-read chance (PBS)"</dt><dd data-k="stale">{t(|f| percent(f.stale))}</dd></div>
                    <div><dt>"Writes survive"</dt><dd data-k="write-tolerates">{t(|f| format!("{} replicas down", write_tolerates(f.n, f.w)))}</dd></div>
                    <div><dt>"Reads survive"</dt><dd data-k="read-tolerates">{t(|f| format!("{} replicas down", read_tolerates(f.n, f.r)))}</dd></div>
                    <div><dt>"Read p50 / p99"</dt><dd data-k="read-latency">{t(|f| format!("{} / {}", ms(f.read.p50), ms(f.read.p99)))}</dd></div>
                    <div><dt>"Write p50 / p99"</dt><dd data-k="write-latency">{t(|f| format!("{} / {}", ms(f.write.p50), ms(f.write.p99)))}</dd></div>
                    <div><dt>"Mean read"</dt><dd>{t(|f| format!("{} ms", num(f.read.mean, 1)))}</dd></div>
                </dl>
                <canvas class="chart" node_ref=chart role="img" aria-label="Cumulative latency of reads and writes; the percentiles are listed above"></canvas>
            </div>
            <div class="controls-grid">
                <ParamControls spec=spec state=state />
            </div>
        </WidgetFrame>
    }
}
