//! `scaling-lever`: describe the bottleneck and the team; see which lever fits and why, with the
//! cost model's numbers for that case.

use crate::ui::controls::ParamControls;
use crate::ui::readouts::Readouts;
use crate::ui::widget_frame::WidgetFrame;
use leptos::prelude::*;
use model::scaling::{lever_facts, recommend, Lever, Recommendation, ScalingParams};
use model::scaling::{situation, SCALING_LEVER};
use model::spec::{Note, State};

/// The share-card preview, in the default situation: the lever to pull first, and what the
/// cheapest single machine and the cheapest fleet for the load cost a month. The widget draws no
/// chart (its answer is a ranking and sentences), so the card shows the two plans as bars.
#[cfg(not(target_family = "wasm"))]
pub fn preview(
    db: &mut crate::preview::Svg<'_>,
    pal: &crate::ui::theme::Palette,
    scale: crate::charts::Scale,
) -> Result<(), String> {
    use model::scaling::Plan;
    let s = situation(&SCALING_LEVER.defaults());
    let r = recommend(&s, &ScalingParams::ILLUSTRATIVE);
    let title = format!("First lever: {} · monthly cost at {} req/s", r.lever.label(), model::fmt::grouped(s.load_rps));
    let plans = [&r.vertical, &r.horizontal];
    // An impossible plan is a zero-length bar saying so.
    let values = plans.map(|plan| plan.monthly().unwrap_or(0.0));
    // Each bar's text: its cost and what that buys.
    let texts = plans.map(|plan| match plan {
        Plan::Vertical { vcpus, monthly, .. } => format!("{}: one {vcpus}-vCPU box", model::fmt::money(*monthly)),
        Plan::Horizontal { nodes, node_vcpus, monthly, .. } => {
            let fleet = model::fmt::plural(f64::from(*nodes), "node", "nodes");
            format!("{}: {fleet} of {node_vcpus} vCPUs", model::fmt::money(*monthly))
        }
        Plan::Impossible { .. } => "none reaches the load".to_string(),
    });
    let fmt = |v: f64| values.iter().position(|&x| x == v).map_or_else(|| model::fmt::money(v), |i| texts[i].clone());
    crate::charts::bars::draw_bars(db, pal, scale, &title, &["one big box", "a fleet"], &values, &fmt)
}

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
    let facts: Signal<_> = Memo::new(move |_| rec.with(lever_facts)).into();
    view! {
        <WidgetFrame
            spec=spec
            caption="Which lever fits: rules of thumb made explicit, with numbers from the same illustrative cost model.".into()
            notes=notes
            state=state
            facts=Callback::new(move |_| facts.get_untracked())
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
                    <Readouts facts=facts />
                </div>
            </div>
        </WidgetFrame>
    }
}
