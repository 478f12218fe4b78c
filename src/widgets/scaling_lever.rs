//! `scaling-lever`: describe the bottleneck and the team; see which lever fits and why, with the
//! cost model's numbers for that case.

use crate::ui::controls::ParamControls;
use crate::ui::widget_frame::WidgetFrame;
use leptos::prelude::*;
use model::scaling::{recommend, Lever, Recommendation, ScalingParams};
use model::scaling::{situation, SCALING_LEVER};
use model::spec::{Note, State};

/// The scaling-lever decision helper.
#[component]
pub fn ScalingLever(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &SCALING_LEVER;
    let state = RwSignal::new(initial);
    let rec = Memo::new(move |_| recommend(&situation(&state.get()), &ScalingParams::ILLUSTRATIVE));
    let lever = move || rec.with(|r: &Recommendation| r.lever);
    view! {
        <WidgetFrame
            spec=spec
            caption="Which lever fits: rules of thumb made explicit, with numbers from the same illustrative cost model.".into()
            notes=notes
            state=state
        >
            <div class="side-layout">
                <div class="controls-grid controls-stack">
                    <ParamControls spec=spec state=state />
                </div>
                <div class="lever-answer" aria-live="polite">
                    <ol class="ranking" aria-label="Levers">
                        {Lever::ALL
                            .iter()
                            .map(|&l| view! { <li class:chosen=move || lever() == l data-lever=l.label()>{l.label()}</li> })
                            .collect_view()}
                    </ol>
                    <p class="verdict" data-k="headline">{move || rec.with(|r| r.headline.clone())}</p>
                    <ul class="reasons" data-k="reasons">
                        {move || rec.with(|r| r.reasons.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view())}
                    </ul>
                    <dl class="readout">
                        <div class="wide"><dt>"Cheapest single machine"</dt><dd data-k="vertical">{move || rec.with(|r| r.vertical.describe())}</dd></div>
                        <div class="wide"><dt>"Cheapest fleet"</dt><dd data-k="horizontal">{move || rec.with(|r| r.horizontal.describe())}</dd></div>
                    </dl>
                </div>
            </div>
        </WidgetFrame>
    }
}
