//! `decision-matrix`: a weighted decision matrix for AWS, Azure and Google Cloud that shows how
//! fragile its answer is — the winner's margin, the least weight moved between two criteria that
//! changes it, a tornado of what each criterion alone could do, the share of random weightings
//! each provider wins, and a price jiggle that leaves the ranking alone.

use crate::charts::tornado::draw_tornado;
use crate::charts::{DrawingBackend, Scale};
use crate::ui::chart::{use_chart, WidgetError};
use crate::ui::chart_data::ChartData;
use crate::ui::controls::{unique_id, ParamControls};
use crate::ui::readouts::Readouts;
use crate::ui::theme::Palette;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::cloud::Provider;
use model::decision_matrix::{
    analyse, jiggle_line, matrix_facts, matrix_params, points, provider_index, raw_weights, score_key, set_weight,
    store_weights, weight_key, weights_note, Criterion, MatrixReport, ASSUMPTIONS, DECISION_MATRIX,
};
use model::fmt::{fixed, percent};
use model::spec::{Note, State};

/// The tornado of what each criterion's weight alone could do to the winner's lead.
fn tornado_chart<DB: DrawingBackend>(r: &MatrixReport, area: &mut DB, pal: &Palette, scale: Scale) -> Result<(), String> {
    let winner = r.ranking.first().map_or("The winner", |w| w.0.label());
    draw_tornado(area, pal, scale, &r.tornado, r.margin.unwrap_or(0.0), winner)
}

/// The share-card preview: the tornado in the default state.
#[cfg(not(target_family = "wasm"))]
pub fn preview(db: &mut crate::preview::Svg<'_>, pal: &Palette, scale: Scale) -> Result<(), String> {
    tornado_chart(&analyse(&matrix_params(&DECISION_MATRIX.defaults())), db, pal, scale)
}

/// The decision matrix.
#[component]
pub fn DecisionMatrix(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &DECISION_MATRIX;
    let state = RwSignal::new(initial);
    let params = Memo::new(move |_| state.with(matrix_params));
    let report = Memo::new(move |_| params.with(analyse));
    let facts: Signal<_> = Memo::new(move |_| report.with(matrix_facts)).into();
    let root = NodeRef::<Div>::new();
    let chart = NodeRef::<Canvas>::new();
    let error = use_chart(root, [chart], report, |r, _, area, pal, scale| tornado_chart(r, area, pal, scale));
    let table = Callback::new(move |_| report.with(|r| crate::charts::tornado::table(&r.tornado)));
    // The price jiggle's step (None: not jiggled yet); not part of the link.
    let jiggle = RwSignal::new(None::<usize>);

    // One weight slider per criterion: moving one rescales the others to keep the total at 100%.
    // A slider shows the weight the link gave; its output, the share the model uses.
    let weights = Criterion::ALL
        .iter()
        .map(|&c| {
            let key = weight_key(c);
            let id = unique_id(&format!("dm-{key}"));
            let share = move || report.with(|r| r.weights[c.index()]);
            let raw = move || state.with(|s| points(raw_weights(s)[c.index()] / 100.0));
            let set = move |ev: leptos::ev::Event| {
                if let Some(v) = model::num::parse_decimal(&event_target_value(&ev)) {
                    state.update(|s| {
                        let w = set_weight(matrix_params(s).weights, c.index(), v / 100.0);
                        store_weights(s, w);
                    });
                }
            };
            view! {
                <div class="control control-range" data-key=key>
                    <label for=id.clone()>{c.label()}</label>
                    <input
                        id=id.clone()
                        type="range"
                        min="0"
                        max="100"
                        step="1"
                        prop:value=raw
                        aria-valuetext=move || format!("{}% of the weight", points(share()))
                        on:input=set
                    />
                    <output for=id>{move || format!("{}%", points(share()))}</output>
                </div>
            }
        })
        .collect_view();

    // The matrix: criteria down, providers across; each score a number field (arrow keys step it).
    let header = Provider::ALL
        .iter()
        .map(|&p| {
            let vetoed = move || report.with(|r| !r.allowed[provider_index(p)]);
            view! {
                <th scope="col" class:vetoed=vetoed data-provider=p.label()>
                    {p.label()}
                    <span class="dm-veto">{move || if vetoed() { " (ruled out)" } else { "" }}</span>
                </th>
            }
        })
        .collect_view();
    let rows = Criterion::ALL
        .iter()
        .map(|&c| {
            let cells = Provider::ALL
                .iter()
                .enumerate()
                .map(|(pi, &p)| {
                    let key = score_key(pi, c).unwrap_or("");
                    let value = move || params.with(|m| fixed(m.scores[pi][c.index()], 0));
                    let vetoed = move || report.with(|r| !r.allowed[pi]);
                    let label = format!("{}, {}: your score from 1 to 5", p.label(), c.lower());
                    view! {
                        <td class:vetoed=vetoed>
                            <input
                                class="dm-score"
                                type="number"
                                min="1"
                                max="5"
                                step="1"
                                inputmode="numeric"
                                data-key=key
                                aria-label=label
                                prop:value=value
                                on:change=move |ev| {
                                    if let Some(v) = model::num::parse_decimal(&event_target_value(&ev)) {
                                        state.update(|s| s.set(spec, key, v));
                                    }
                                }
                            />
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">
                        {c.label()}
                        <span class="dm-weight">{move || format!(" · {}%", points(report.with(|r| r.weights[c.index()])))}</span>
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let totals = Provider::ALL
        .iter()
        .enumerate()
        .map(|(pi, &p)| {
            let wins = move || report.with(|r| r.winners.contains(&p));
            let text = move || {
                report.with(|r| {
                    let t = fixed(r.totals[pi], 2);
                    match (r.allowed[pi], r.winners.contains(&p), r.winners.len()) {
                        (false, _, _) => format!("{t} (ruled out)"),
                        (true, true, 1) => format!("{t} ✓ wins"),
                        (true, true, _) => format!("{t} = tie"),
                        _ => t,
                    }
                })
            };
            let key = ["total-aws", "total-azure", "total-gcp"][pi];
            view! { <td class:dm-win=wins data-k=key>{text}</td> }
        })
        .collect_view();

    let robustness = Provider::ALL
        .iter()
        .enumerate()
        .map(|(pi, &p)| {
            let share = move || report.with(|r| r.robustness[pi]);
            let id = unique_id("dm-robust");
            view! {
                <li>
                    <label for=id.clone()>{p.label()}</label>
                    <progress id=id max="1" prop:value=share></progress>
                    <span class="dm-share">{move || percent(share())}</span>
                </li>
            }
        })
        .collect_view();

    let jiggle_now = move || match jiggle.get() {
        Some(k) => params.with(|p| jiggle_line(p, k)),
        None => "Press to try each provider's price score 10% higher or lower, one combination at a time.".to_string(),
    };

    view! {
        <WidgetFrame
            spec=spec
            caption="A weighted decision matrix: the weights and scores are yours (illustrative defaults), and the figures show how little it takes to change its answer.".into()
            notes=notes
            state=state
            facts=Callback::new(move |_| facts.get_untracked())
        >
            <div class="panel" node_ref=root>
                <WidgetError error=error />
                <p class="verdict" data-k="verdict" aria-live="polite">{move || report.with(|r| r.verdict.clone())}</p>
                <div class="dm-layout">
                    <div class="dm-weights controls-grid controls-stack" role="group" aria-label="Weights (they always add up to 100%)">
                        {weights}
                        <p class="dm-note" data-k="weights-note">{move || state.with(weights_note)}</p>
                    </div>
                    <div class="table-scroll">
                        <table class="results dm-matrix">
                            <caption>"Scores, 1 (poor) to 5 (excellent): your judgement"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Criterion · weight"</th>
                                    {header}
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                            <tfoot>
                                <tr>
                                    <th scope="row">"Weighted total"</th>
                                    {totals}
                                </tr>
                            </tfoot>
                        </table>
                    </div>
                </div>
                <Readouts facts=facts />
                <div class="dm-layout dm-fragility">
                    <div>
                        <canvas
                            class="chart"
                            node_ref=chart
                            role="img"
                            aria-label="Tornado chart: the winner's lead as each criterion's weight goes from 0 to 100%; the readout 'What one criterion could do' says the same in words"
                        ></canvas>
                        <ChartData caption="The winner's lead (weighted points; below 0 another provider wins) as each criterion's weight alone goes from 0 to 100%, and the weight (%) at which it flips the decision" file="decision-matrix-tornado" canvas=chart table=table />
                    </div>
                    <div>
                        <p class="dm-sub">"Share of random weightings near yours each provider wins"</p>
                        <ul class="dm-robust" data-k="robust">{robustness}</ul>
                        <button
                            type="button"
                            class="btn"
                            data-action="jiggle"
                            on:click=move |_| jiggle.update(|k| *k = Some(k.map_or(0, |k| (k + 1) % 8)))
                        >
                            "Jiggle prices ±10%"
                        </button>
                        <p class="dm-jiggle" data-k="jiggle-now" aria-live="polite">{jiggle_now}</p>
                    </div>
                </div>
                <div class="controls-grid dm-constraints" role="group" aria-label="Hard constraints and certainty">
                    <ParamControls spec=spec state=state group="constraints" />
                </div>
            </div>
            <details class="assumptions">
                <summary>"Assumptions"</summary>
                <p>{ASSUMPTIONS}</p>
            </details>
        </WidgetFrame>
    }
}
