//! `telemetry-budget`: pick the question you need answered and see which pillar (metrics, logs,
//! traces) answers it and why; move traffic, log lines, sampling and metric labels and see what
//! each pillar costs a day and a month, and whether head sampling kept the failure you care about.

use super::canvas;
use crate::charts::bars::draw_bars;
use crate::ui::controls::ParamControl;
use crate::ui::format::num;
use crate::ui::theme::Palette;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::scaling::money;
use model::spec::{telemetry_params, Note, State, TELEMETRY_BUDGET};
use model::telemetry::{analyse, chance, volume, Pillar, TelemetryReport, ASSUMPTIONS};

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
    let root = NodeRef::<Div>::new();
    // Drawn when shown: a chart drawn while hidden (a talk slide not yet reached) has no size.
    let shown = crate::ui::anim::use_in_view(root);
    let chart = NodeRef::<Canvas>::new();
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let r = report.get();
        let (Some(root), Some(c)) = (root.get(), chart.get()) else { return };
        crate::ui::theme::theme_epoch().track();
        canvas::size_epoch();
        if !shown.get() {
            return;
        }
        let pal = Palette::from_element(&root);
        let labels = ["metrics", "logs", "traces"];
        let values = r.costs.map(|c| c.monthly);
        let res = canvas::draw(&c, |area, scale| {
            draw_bars(area, &pal, scale, "Monthly cost (illustrative)", &labels, &values, &|v| money(v))
        });
        error.set(res.err());
    });
    let best = move || report.with(|r| r.best);
    let text = move |f: fn(&TelemetryReport) -> String| move || report.with(f);
    view! {
        <WidgetFrame
            name="telemetry-budget"
            caption="Telemetry budget: which pillar answers the question, and what each costs. Sizes and prices are illustrative.".into()
            notes=notes
            state=state
        >
            <div class="panel" node_ref=root>
                {move || error.get().map(|e| view! { <p class="widget-error" role="alert">{e}</p> })}
                <div class="controls-grid tb-question">
                    <ParamControl spec=spec key="question" state=state />
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
                    <ul class="tb-reasons" data-k="reasons">
                        {move || report.with(|r| r.reasons.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view())}
                    </ul>
                    {move || report.with(|r| r.cardinality_warning.clone()).map(|w| view! { <p class="tb-warning" data-k="warning">{w}</p> })}
                </div>
                <dl class="readout" aria-label="Key numbers">
                    <div class="wide"><dt>"Metrics"</dt><dd data-k="metrics">{text(|r| day_and_month(r, Pillar::Metrics))}</dd></div>
                    <div class="wide"><dt>"Logs"</dt><dd data-k="logs">{text(|r| day_and_month(r, Pillar::Logs))}</dd></div>
                    <div class="wide"><dt>"Traces (head-sampled)"</dt><dd data-k="traces">{text(|r| day_and_month(r, Pillar::Traces))}</dd></div>
                    <div><dt>"Active metric series"</dt><dd data-k="series">{text(|r| num(r.active_series as f64, 0))}</dd></div>
                    <div><dt>"Failing requests an hour"</dt><dd data-k="failures">{text(|r| num(r.failures_per_hour, if r.failures_per_hour < 10.0 { 2 } else { 0 }))}</dd></div>
                    <div><dt>"Failing traces kept an hour"</dt><dd data-k="kept">{text(|r| num(r.kept_failure_traces_per_hour, if r.kept_failure_traces_per_hour < 10.0 { 2 } else { 0 }))}</dd></div>
                    <div><dt>"Chance one is kept this hour"</dt><dd data-k="p-kept">{text(|r| chance(r.p_failure_kept_hour))}</dd></div>
                    <div><dt>"Chance a given failing request was traced"</dt><dd data-k="p-this">{text(|r| chance(r.p_this_request_traced))}</dd></div>
                    <div><dt>"Traces if every failure is kept (tail)"</dt><dd data-k="tail">{text(|r| format!("{} a month", money(r.tail_monthly)))}</dd></div>
                </dl>
                <canvas class="tb-chart" node_ref=chart role="img" aria-label="Monthly cost of metrics, logs and traces as bars; the numbers are in the readout above"></canvas>
            </div>
            <div class="controls-grid">
                <ParamControl spec=spec key="rate" state=state />
                <ParamControl spec=spec key="lines" state=state />
                <ParamControl spec=spec key="sampling" state=state />
                <ParamControl spec=spec key="spans" state=state />
                <ParamControl spec=spec key="errors" state=state />
                <ParamControl spec=spec key="endpoints" state=state />
                <ParamControl spec=spec key="codes" state=state />
                <ParamControl spec=spec key="instances" state=state />
                <ParamControl spec=spec key="bycustomer" state=state />
                <ParamControl spec=spec key="customers" state=state />
            </div>
            <details class="tb-assumptions">
                <summary>"Assumptions"</summary>
                <p>{ASSUMPTIONS}</p>
            </details>
        </WidgetFrame>
    }
}
