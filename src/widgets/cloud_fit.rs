//! `cloud-fit`: the team's experience, the customers' requirements and what you will operate;
//! see how the three providers rank under an explicit, illustrative rule, and what moving to the
//! runner-up later would cost.

use crate::ui::controls::ParamControls;
use crate::ui::widget_frame::WidgetFrame;
use leptos::prelude::*;
use model::cloud::{analyse, CloudAssumptions, CloudReport, ASSUMPTIONS};
use model::fmt::grouped;
use model::cloud::{cloud_params, CLOUD_FIT};
use model::spec::{Note, State};

/// The cloud-provider decision helper.
#[component]
pub fn CloudFit(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &CLOUD_FIT;
    let state = RwSignal::new(initial);
    let report = Memo::new(move |_| analyse(&cloud_params(&state.get()), &CloudAssumptions::ILLUSTRATIVE));
    let ranking = move || {
        report.with(|r: &CloudReport| {
            r.ranking
                .iter()
                .map(|x| {
                    let label = x.provider.label();
                    let points = format!("{} points", grouped(x.score));
                    view! {
                        <li class:chosen=x.top data-provider=label>
                            <span class="cloud-name">{label}</span>
                            " "
                            <span class="cloud-score">{points}</span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <WidgetFrame
            spec=spec
            caption="Which cloud fits: a transparent rule of thumb with illustrative weights and costs, not a benchmark of the providers.".into()
            notes=notes
            state=state
        >
            <div class="side-layout">
                <div class="controls-grid controls-stack">
                    <ParamControls spec=spec state=state />
                </div>
                <div class="cloud-answer">
                    <ol class="ranking" aria-label="Providers, best fit first" data-k="ranking">{ranking}</ol>
                    <p class="verdict" data-k="verdict" aria-live="polite">{move || report.with(|r| r.verdict.clone())}</p>
                    <ul class="reasons" data-k="reasons">
                        {move || report.with(|r| r.reasons.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view())}
                    </ul>
                    <dl class="readout">
                        <div class="wide"><dt>"Team learning the runner-up"</dt><dd data-k="learning">{move || report.with(|r| r.learning_text.clone())}</dd></div>
                        <div class="wide"><dt>"Egress to move the data"</dt><dd data-k="egress">{move || report.with(|r| r.egress_text.clone())}</dd></div>
                        <div class="wide"><dt>"Switching, all in"</dt><dd data-k="switching">{move || report.with(|r| r.switching_text.clone())}</dd></div>
                        <div class="wide"><dt>"Runner-up's discount to pay back in two years"</dt><dd data-k="payback">{move || report.with(|r| r.payback_text.clone())}</dd></div>
                        <div class="wide"><dt>"A portable stack"</dt><dd data-k="portability">{move || report.with(|r| r.portability_text.clone())}</dd></div>
                    </dl>
                </div>
            </div>
            <details class="assumptions">
                <summary>"Assumptions"</summary>
                <p>{ASSUMPTIONS}</p>
            </details>
        </WidgetFrame>
    }
}
