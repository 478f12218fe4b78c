//! `cloud-fit`: the team's experience, the customers' requirements and what you will operate;
//! see how the three providers rank under an explicit, illustrative rule, and what moving to the
//! runner-up later would cost.

use crate::ui::controls::ParamControls;
use crate::ui::readouts::Readouts;
use crate::ui::widget_frame::WidgetFrame;
use leptos::prelude::*;
use model::cloud::{analyse, cloud_facts, CloudAssumptions, CloudReport, ASSUMPTIONS};
use model::fmt::grouped;
use model::cloud::{cloud_params, CLOUD_FIT};
use model::spec::{Note, State};

/// The share-card preview, in the default state: the providers' fit scores, best first. The
/// widget draws no chart (its answer is a ranking and sentences), so the card shows the ranking as
/// bars.
#[cfg(not(target_family = "wasm"))]
pub fn preview(
    db: &mut crate::preview::Svg<'_>,
    pal: &crate::ui::theme::Palette,
    scale: crate::charts::Scale,
) -> Result<(), String> {
    let r = analyse(&cloud_params(&CLOUD_FIT.defaults()), &CloudAssumptions::ILLUSTRATIVE);
    let labels: Vec<&str> = r.ranking.iter().map(|x| x.provider.label()).collect();
    let values: Vec<f64> = r.ranking.iter().map(|x| x.score).collect();
    let fmt = |v: f64| format!("{} points", grouped(v));
    crate::charts::bars::draw_bars(db, pal, scale, "How well each cloud fits, best first", &labels, &values, &fmt)
}

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
    let facts: Signal<_> = Memo::new(move |_| report.with(cloud_facts)).into();
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
            facts=Callback::new(move |_| facts.get_untracked())
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
                    <Readouts facts=facts />
                </div>
            </div>
            <details class="assumptions">
                <summary>"Assumptions"</summary>
                <p>{ASSUMPTIONS}</p>
            </details>
        </WidgetFrame>
    }
}
