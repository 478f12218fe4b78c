//! `branch-lifetime`: team size, branch lifetime, release cadence and feature flags; how often a
//! merge hits a conflict, how many changes ship together, and the lead time from commit to
//! production — trunk-based development against GitFlow, in numbers.

use crate::charts::series::{draw_chart, table_of, Axes, Line, LineChart, Marker, Reference, Sink, MUTED};
use crate::ui::chart::{use_chart, WidgetError};
use crate::ui::chart_data::ChartData;
use crate::ui::controls::{ParamControls, PresetPicker};
use crate::ui::readouts::Readouts;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::delivery::{analyse, change_failure_curve, conflict_curve, DeliveryParams, DeliveryReport, ASSUMPTIONS};
use model::delivery::{count, delivery_facts, DORA_2024_CFR};
use model::fmt::percent;
use model::delivery::{delivery_params, BRANCH_LIFETIME};
use model::spec::{Note, State};

/// The chart's longest branch (working days): the slider's top.
const CHART_DAYS: f64 = 30.0;
/// The change-failure chart reaches at least this many changes per deploy (a fortnightly train's
/// batch fits).
const CHART_BATCH: f64 = 400.0;

/// The change-failure chart: the share of deploys that fail against changes per deploy, this
/// deploy marked, the DORA 2024 clusters' rates as reference lines.
fn failures_chart(r: &DeliveryReport, out: Sink<'_>) {
    let to = CHART_BATCH.max(r.changes_per_deploy * 1.1);
    let curve = change_failure_curve(r.params.change_failure, to, 160);
    let labels = DORA_2024_CFR.map(|(name, v)| format!("DORA 2024 {name}: {}", percent(v)));
    let refs: Vec<Reference> = DORA_2024_CFR.iter().zip(&labels).map(|(&(_, y), l)| Reference { y, label: l }).collect();
    let marker = format!("your deploys: {} changes", count(r.changes_per_deploy));
    out(&LineChart {
        axes: Axes { x_label: "changes per deploy", y_label: "deploys that fail", y_min_top: 1.0, x_min_span: 1.0, y_max: 1.0 },
        lines: &[
            Line { label: "1 − (1 − p)^k", color: 2, points: &curve, dashed: false },
            Line { label: "DORA 2024 clusters (dashed)", color: MUTED, points: &[], dashed: true },
        ],
        markers: &[Marker { x: r.changes_per_deploy, label: &marker }],
        references: &refs,
    })
}

/// The conflict chart: the chance a merge hits a conflict against branch lifetime, for this team
/// and one twice its size, this branch marked.
fn conflicts_chart(r: &DeliveryReport, out: Sink<'_>) {
    let n = r.params.engineers;
    let team = conflict_curve(&r.params, 0.0, CHART_DAYS, 120);
    let double = DeliveryParams { engineers: n.saturating_mul(2), ..r.params };
    let bigger = conflict_curve(&double, 0.0, CHART_DAYS, 120);
    let team_label = format!("{n} engineers");
    let bigger_label = format!("{} engineers", double.clamped().engineers);
    let marker_label =
        format!("your branch: {}", model::fmt::duration(r.branch_days, model::fmt::Unit::WorkingDays));
    out(&LineChart {
        axes: Axes {
            x_label: "branch lifetime (working days)",
            y_label: "conflict chance",
            y_min_top: 1.0,
            x_min_span: CHART_DAYS,
            y_max: 1.0,
        },
        lines: &[
            Line { label: &team_label, color: 0, points: &team, dashed: false },
            Line { label: &bigger_label, color: 1, points: &bigger, dashed: true },
        ],
        markers: &[Marker { x: r.branch_days, label: &marker_label }],
        references: &[],
    })
}

/// Chart `i` (0: conflicts, 1: failures) of `r`, to `out`.
fn chart(r: &DeliveryReport, i: usize, out: Sink<'_>) {
    if i == 0 {
        conflicts_chart(r, out)
    } else {
        failures_chart(r, out)
    }
}

/// The share-card preview: the conflict chart in the default state.
#[cfg(not(target_family = "wasm"))]
pub fn preview(
    db: &mut crate::preview::Svg<'_>,
    pal: &crate::ui::theme::Palette,
    scale: crate::charts::Scale,
) -> Result<(), String> {
    draw_chart(db, pal, scale, |o| conflicts_chart(&analyse(&delivery_params(&BRANCH_LIFETIME.defaults())), o))
}

/// The branch-lifetime widget.
#[component]
pub fn BranchLifetime(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &BRANCH_LIFETIME;
    let state = RwSignal::new(initial);
    let report = Memo::new(move |_| analyse(&delivery_params(&state.get())));
    let root = NodeRef::<Div>::new();
    let conflicts = NodeRef::<Canvas>::new();
    let failures = NodeRef::<Canvas>::new();
    let error = use_chart(root, [conflicts, failures], report, |r, i, area, pal, scale| {
        draw_chart(area, pal, scale, |o| chart(r, i, o))
    });
    let table = move |i: usize| Callback::new(move |_| report.with(|r| table_of(|o| chart(r, i, o))));
    let facts: Signal<_> = Memo::new(move |_| report.with(delivery_facts)).into();
    view! {
        <WidgetFrame
            spec=spec
            caption="Branch lifetime and release cadence: merge conflicts, lead time and failed deploys, from the assumptions listed below.".into()
            notes=notes
            state=state
            facts=Callback::new(move |_| facts.get_untracked())
        >
            <div class="panel" node_ref=root>
                <WidgetError error=error />
                <p class="verdict" data-k="verdict" aria-live="polite">{move || report.with(|r| r.verdict.clone())}</p>
                <Readouts facts=facts />
                <p class="bl-note" data-k="lead-note" hidden=move || report.with(|r| r.lead_note.is_none())>
                    {move || report.with(|r| r.lead_note.clone().unwrap_or_default())}
                </p>
                <canvas class="chart" node_ref=conflicts role="img" aria-label="Share of merges that hit a conflict against branch lifetime, for this team and one twice its size, with your branch marked; the numbers are listed above"></canvas>
                <ChartData caption="Chance a merge hits a conflict (0 to 1) by branch lifetime in working days, for this team and one twice its size" file="branch-lifetime-conflicts" canvas=conflicts table=table(0) />
                <canvas class="chart" node_ref=failures role="img" aria-label="Share of deploys that fail against changes per deploy, with your deploys marked and the DORA 2024 clusters' change-failure rates (elite 5%, medium 10%, high 20%, low 40%) as dashed lines; your rate is listed above"></canvas>
                <ChartData caption="Share of deploys that fail (0 to 1) by changes per deploy (the DORA 2024 clusters: elite 5%, medium 10%, high 20%, low 40%)" file="branch-lifetime-failures" canvas=failures table=table(1) />
            </div>
            <div class="controls-grid">
                <PresetPicker spec=spec state=state label="Start from" />
                <ParamControls spec=spec state=state />
            </div>
            <details class="assumptions">
                <summary>"Assumptions"</summary>
                <p>{ASSUMPTIONS}</p>
            </details>
        </WidgetFrame>
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;
    use crate::charts::series::assert_lists_its_lines;

    /// Both charts' tables list their curves: the team's and a team twice its size against
    /// branch lifetime; the change-failure curve (the DORA lines are references, not columns).
    #[test]
    fn its_tables_list_the_curves_drawn() {
        let r = analyse(&delivery_params(&BRANCH_LIFETIME.defaults()));
        let t = assert_lists_its_lines(|o| chart(&r, 0, o));
        assert_eq!(t.columns.len(), 3);
        assert!(t.columns[1].ends_with(" engineers") && t.columns[2].ends_with(" engineers"));
        assert_eq!(t.rows.last().unwrap()[0], CHART_DAYS);
        let t = assert_lists_its_lines(|o| chart(&r, 1, o));
        assert_eq!(t.columns, ["changes per deploy", "1 − (1 − p)^k"]);
        assert!(t.rows.iter().all(|r| (0.0..=1.0).contains(&r[1])));
    }
}
