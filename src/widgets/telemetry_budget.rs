//! `telemetry-budget`: pick the question you need answered and see which pillar (metrics, logs,
//! traces) answers it and why; move traffic, log lines, sampling and metric labels and see what
//! each pillar costs a day and a month, and whether head sampling kept the failure you care about.

use crate::ui::controls::ParamControls;
use crate::ui::readouts::Readouts;
use crate::ui::widget_frame::WidgetFrame;
use leptos::prelude::*;
use model::fmt::money;
use model::telemetry::{telemetry_params, TELEMETRY_BUDGET};
use model::spec::{Note, State};
use model::telemetry::{analyse, telemetry_facts, Pillar, TelemetryReport, ASSUMPTIONS};

/// The share-card preview, in the default state: each pillar's monthly cost, with the pillar
/// that answers the question named. The page draws these bars in SVG markup, not a chart, so the
/// card draws them with the chart helper.
#[cfg(not(target_family = "wasm"))]
pub fn preview(
    db: &mut crate::preview::Svg<'_>,
    pal: &crate::ui::theme::Palette,
    scale: crate::charts::Scale,
) -> Result<(), String> {
    let r = analyse(&telemetry_params(&TELEMETRY_BUDGET.defaults()));
    let title = format!("Monthly cost per pillar · {} answer the question", r.best.label().to_lowercase());
    let labels = Pillar::ALL.map(Pillar::label);
    let values = Pillar::ALL.map(|p| r.cost(p).monthly);
    crate::charts::bars::draw_bars(db, pal, scale, &title, &labels, &values, &money)
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
    let facts: Signal<_> = Memo::new(move |_| report.with(telemetry_facts)).into();
    view! {
        <WidgetFrame
            spec=spec
            caption="Telemetry budget: which pillar answers the question, and what each costs. Sizes and prices are illustrative.".into()
            notes=notes
            state=state
            facts=Callback::new(move |_| facts.get_untracked())
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
                <Readouts facts=facts />
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
