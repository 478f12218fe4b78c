//! `telemetry-budget`: pick the question you need answered and see which pillar (metrics, logs,
//! traces) answers it and why; move traffic, log lines, sampling and metric labels and see what
//! each pillar costs a day and a month, and whether head sampling kept the failure you care about.

use crate::ui::controls::ParamControls;
use crate::ui::widget_frame::WidgetFrame;
use leptos::prelude::*;
use model::fmt::money;
use model::fmt::num;
use model::telemetry::{telemetry_params, TELEMETRY_BUDGET};
use model::spec::{Note, State};
use model::telemetry::{analyse, chance, series_math, volume, Pillar, TelemetryReport, ASSUMPTIONS};

/// A pillar's day and month: "108 GB a day · $1,669 a month".
fn day_and_month(r: &TelemetryReport, p: Pillar) -> String {
    let c = r.cost(p);
    format!("{} a day · {} a month", volume(c.gb_per_day), money(c.monthly))
}

/// The telemetry budget.
#[component]
pub fn TelemetryBudget(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &TELEMETRY_BUDGET;
    let state = RwSignal::new(initial);
    let report = Memo::new(move |_| analyse(&telemetry_params(&state.get())));
    let best = move || report.with(|r| r.best);
    let text = move |f: fn(&TelemetryReport) -> String| move || report.with(f);
    view! {
        <WidgetFrame
            spec=spec
            caption="Telemetry budget: which pillar answers the question, and what each costs. Sizes and prices are illustrative.".into()
            notes=notes
            state=state
        >
            <div class="panel">
                <div class="controls-grid tb-question">
                    <ParamControls spec=spec state=state group="question" />
                </div>
                <ol class="pillars" aria-label="The three pillars; the one that answers the question is marked">
                    {Pillar::ALL
                        .iter()
                        .map(|&p| {
                            view! {
                                <li class:chosen=move || best() == p data-pillar=p.label()>
                                    <span class="pillar-name">{p.label()}</span>
                                    <span class="pillar-blurb">{p.blurb()}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                <div>
                    <p class="verdict" data-k="verdict" aria-live="polite">{text(|r| r.headline.clone())}</p>
                    <ul class="reasons" data-k="reasons">
                        {move || report.with(|r| r.reasons.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view())}
                    </ul>
                    {move || report.with(|r| r.cardinality_warning.clone()).map(|w| view! { <p class="tb-warning" data-k="warning">{w}</p> })}
                </div>
                <dl class="readout" aria-label="Key numbers">
                    <div class="wide"><dt>"Metrics"</dt><dd data-k="metrics">{text(|r| day_and_month(r, Pillar::Metrics))}</dd></div>
                    <div class="wide"><dt>"Logs"</dt><dd data-k="logs">{text(|r| day_and_month(r, Pillar::Logs))}</dd></div>
                    <div class="wide"><dt>"Traces (head-sampled)"</dt><dd data-k="traces">{text(|r| day_and_month(r, Pillar::Traces))}</dd></div>
                    <div><dt>"Active metric series"</dt><dd data-k="series">{text(|r| num(r.active_series as f64, 0))}</dd></div>
                    <div class="wide"><dt>"How the series multiply"</dt><dd data-k="series-math">{text(|r| series_math(&r.params))}</dd></div>
                    <div><dt>"Failing requests an hour"</dt><dd data-k="failures">{text(|r| num(r.failures_per_hour, if r.failures_per_hour < 10.0 { 2 } else { 0 }))}</dd></div>
                    <div><dt>"Failing traces kept an hour"</dt><dd data-k="kept">{text(|r| num(r.kept_failure_traces_per_hour, if r.kept_failure_traces_per_hour < 10.0 { 2 } else { 0 }))}</dd></div>
                    <div><dt>"Chance one is kept this hour"</dt><dd data-k="p-kept">{text(|r| chance(r.p_failure_kept_hour))}</dd></div>
                    <div><dt>"Chance a given failing request was traced"</dt><dd data-k="p-this">{text(|r| chance(r.p_this_request_traced))}</dd></div>
                    <div><dt>"Traces if every failure is kept (tail)"</dt><dd data-k="tail">{text(|r| format!("{} a month", money(r.tail_monthly)))}</dd></div>
                </dl>
                // Bars in SVG rather than a canvas chart: three lengths need no plotting, and
                // leaving the canvas backend out keeps this embed under its budget.
                <ul class="tb-bars" aria-label="Illustrative monthly cost per pillar, as bars">
                    {Pillar::ALL
                        .iter()
                        .map(|&p| {
                            view! {
                                <li data-pillar=p.label()>
                                    <span class="tb-bar-name">{p.label()}</span>
                                    <svg viewBox="0 0 1000 10" preserveAspectRatio="none" aria-hidden="true">
                                        <rect x="0" y="0" height="10" width=move || report.with(|r| r.bar_permille(p).to_string()) />
                                    </svg>
                                    <span class="tb-bar-value">{move || report.with(|r| format!("{} a month", money(r.cost(p).monthly)))}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
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
