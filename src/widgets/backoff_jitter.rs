//! `backoff-jitter`: Brooker's contention experiment, computed in the page a few runs per frame.

use crate::charts::bars::draw_bars;
use crate::charts::{DrawingBackend, Scale};
use crate::ui::anim::{frame_loop, now_ms};
use crate::ui::chart::{use_chart, WidgetError};
use crate::ui::chart_data::ChartData;
use crate::ui::controls::{ParamControls, SeedControl};
use crate::ui::theme::Palette;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::fmt::num;
use model::jitter::{jitter_facts, progress, JitterSim, JitterSnapshot, STRATEGIES, STRATEGY_KEYS};
use model::jitter::{jitter_params, BACKOFF_JITTER};
use model::spec::{Note, State};

const FRAME_BUDGET_MS: f64 = 10.0;

/// Chart `i`'s title and values, a bar per strategy: 0 the mean write calls, 1 the mean time
/// until the last client succeeds (s).
fn results_bars(s: &JitterSnapshot, i: usize) -> (&'static str, Vec<f64>) {
    if i == 0 {
        ("Mean write calls (fewer is less work)", s.results.iter().map(|r| r.mean_calls).collect())
    } else {
        let t = s.results.iter().map(|r| r.mean_completion_ms / 1_000.0).collect();
        ("Mean time until the last client succeeds (s)", t)
    }
}

/// The strategies, as the bars' labels.
fn strategy_labels() -> Vec<&'static str> {
    STRATEGIES.iter().map(|x| x.0).collect()
}

/// Chart `i` of the results so far ([`results_bars`]).
fn results_chart<DB: DrawingBackend>(
    s: &JitterSnapshot,
    i: usize,
    area: &mut DB,
    pal: &Palette,
    scale: Scale,
) -> Result<(), String> {
    let (title, values) = results_bars(s, i);
    let digits = if i == 0 { 0 } else { 1 };
    draw_bars(area, pal, scale, title, &strategy_labels(), &values, &|v| num(v, digits))
}

/// Chart `i`'s data: a row per strategy, its value under the chart's title.
fn results_table(s: &JitterSnapshot, i: usize) -> model::table::Table {
    let (title, values) = results_bars(s, i);
    model::table::Table::labelled("strategy", &strategy_labels(), &[(title, &values)])
}

/// The share-card preview: the mean write calls per strategy once the default experiment (its
/// default seed) has run to the end.
#[cfg(not(target_family = "wasm"))]
pub fn preview(db: &mut crate::preview::Svg<'_>, pal: &Palette, scale: Scale) -> Result<(), String> {
    let st = BACKOFF_JITTER.defaults();
    let mut sim = JitterSim::new(jitter_params(&st), st.seed);
    while sim.step() {}
    results_chart(&sim.snapshot(), 0, db, pal, scale)
}

/// The backoff-and-jitter experiment.
#[component]
pub fn BackoffJitter(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &BACKOFF_JITTER;
    let state = RwSignal::new(initial.clone());
    let sim = StoredValue::new(JitterSim::new(jitter_params(&initial), initial.seed));
    let running = RwSignal::new(true);
    let snap = RwSignal::new(sim.with_value(|s| s.snapshot()));
    let root = NodeRef::<Div>::new();
    let calls = NodeRef::<Canvas>::new();
    let times = NodeRef::<Canvas>::new();

    Effect::new(move |prev: Option<()>| {
        let st = state.get();
        if prev.is_some() {
            sim.set_value(JitterSim::new(jitter_params(&st), st.seed));
            snap.set(sim.with_value(|s| s.snapshot()));
            running.set(true);
        }
    });

    frame_loop(running.into(), move |_| {
        let start = now_ms();
        let done = sim.try_update_value(|s| {
            while now_ms() - start < FRAME_BUDGET_MS && s.step() {}
            s.is_done()
        });
        snap.set(sim.with_value(|s| s.snapshot()));
        if done.unwrap_or(true) {
            running.set(false);
        }
    });

    let error = use_chart(root, [calls, times], snap, results_chart);
    let table = move |i: usize| Callback::new(move |_| snap.with(|s| results_table(s, i)));

    let rerun = move |_| state.update(|s| s.seed = s.seed.wrapping_add(1));
    // A memo: the table reads it fifteen times a frame while the runs go on.
    let facts = Memo::new(move |_| snap.with(jitter_facts));
    // The table's cells are the facts' readouts, three a strategy.
    let cell = move |i: usize| move || facts.with(|f| f.readouts.get(i).map(|r| r.value.clone()).unwrap_or_default());

    view! {
        <WidgetFrame
            spec=spec
            caption="Clients racing to update one row with optimistic concurrency (after Brooker, 2015). Means over seeded runs, computed in your browser.".into()
            notes=notes
            state=state
            facts=Callback::new(move |_| facts.get_untracked())
        >
            <div class="panel" node_ref=root>
                <WidgetError error=error />
                <p class="progress" data-k="progress" aria-live="polite">{move || snap.with(progress)}</p>
                <div class="charts charts-side">
                    <div>
                        <canvas class="chart" node_ref=calls role="img" aria-label="Mean write calls per strategy; the table below has the numbers"></canvas>
                        <ChartData caption="Mean write calls per strategy over the runs so far" file="backoff-jitter-calls" canvas=calls table=table(0) />
                    </div>
                    <div>
                        <canvas class="chart" node_ref=times role="img" aria-label="Mean completion time per strategy; the table below has the numbers"></canvas>
                        <ChartData caption="Mean time until the last client succeeds (s) per strategy over the runs so far" file="backoff-jitter-times" canvas=times table=table(1) />
                    </div>
                </div>
                <div class="table-scroll">
                <table class="results">
                    <caption class="visually-hidden">"Results per strategy"</caption>
                    <thead>
                        <tr><th scope="col">"Strategy"</th><th scope="col">"Calls"</th><th scope="col">"Calls per client"</th><th scope="col">"Completion"</th></tr>
                    </thead>
                    <tbody>
                        {(0..STRATEGIES.len())
                            .map(|i| {
                                let k = STRATEGY_KEYS[i];
                                let best = move || snap.with(|s| s.runs_done > 0 && s.fewest_calls == i);
                                view! {
                                    <tr class:best=best data-strategy=STRATEGIES[i].0>
                                        <th scope="row" data-best="fewest calls">{STRATEGIES[i].0}</th>
                                        <td data-k=k[0]>{cell(3 * i)}</td>
                                        <td data-k=k[1]>{cell(3 * i + 1)}</td>
                                        <td data-k=k[2]>{cell(3 * i + 2)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                </div>
            </div>
            <div class="controls-grid">
                <ParamControls spec=spec state=state />
                <SeedControl state=state />
                <div class="control">
                    <button type="button" class="btn" data-action="rerun" on:click=rerun>"Run again with a new seed"</button>
                </div>
            </div>
        </WidgetFrame>
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;

    /// Each bar chart's table: a labelled row per strategy, its value under the chart's title.
    #[test]
    fn its_tables_have_a_row_per_strategy() {
        let st = BACKOFF_JITTER.defaults();
        let mut sim = JitterSim::new(jitter_params(&st), st.seed);
        for _ in 0..20 {
            sim.step();
        }
        let s = sim.snapshot();
        for i in 0..2 {
            let t = results_table(&s, i);
            assert_eq!(t.columns, ["strategy", results_bars(&s, i).0]);
            assert_eq!(t.labels.len(), STRATEGIES.len());
            assert_eq!(t.label(0), Some(STRATEGIES[0].0));
        }
        let calls = results_table(&s, 0);
        assert_eq!(calls.rows[1][0], s.results[1].mean_calls);
        assert_eq!(results_table(&s, 1).rows[1][0], s.results[1].mean_completion_ms / 1_000.0);
    }
}
