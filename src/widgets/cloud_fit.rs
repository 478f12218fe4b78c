//! `cloud-fit`: the team's experience, the customers' requirements and what you will operate;
//! see how the three providers rank under an explicit, illustrative rule, and what moving to the
//! runner-up later would cost.

use crate::charts::series::{draw_chart, table_of, Axes, Line, LineChart, Marker, Sink};
use crate::ui::chart::{use_chart, WidgetError};
use crate::ui::chart_data::ChartData;
use crate::ui::controls::ParamControls;
use crate::ui::readouts::Readouts;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::cloud::{analyse, cloud_facts, CloudAssumptions, CloudReport, ASSUMPTIONS, EGRESS_FACTS};
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

/// Hohpe's break-even: the expected cost of a switch over the horizon with and without a portable
/// stack, against the chance of switching, with the break-even and the reader's chance marked.
fn lockin_chart(r: &CloudReport, out: Sink<'_>) {
    let (without, with) = r.lockin.curves(20);
    let pct = |v: Vec<(f64, f64)>| v.into_iter().map(|(p, y)| (p * 100.0, y)).collect::<Vec<_>>();
    let (without, with) = (pct(without), pct(with));
    let even = r.break_even.filter(|p| *p <= 1.0).map(|p| format!("break-even {}", model::fmt::percent(p)));
    let yours = format!("you: {}", model::fmt::percent(r.p_switch));
    let mut markers = vec![Marker { x: r.p_switch * 100.0, label: &yours }];
    if let (Some(p), Some(l)) = (r.break_even, &even) {
        markers.push(Marker { x: p * 100.0, label: l });
    }
    out(&LineChart {
        axes: Axes {
            x_label: "chance of moving within two years (%)",
            y_label: "expected cost ($)",
            y_min_top: 1_000.0,
            x_min_span: 100.0,
            y_max: f64::INFINITY,
        },
        lines: &[
            Line { label: "managed: chance × switching bill", color: 0, points: &without, dashed: false },
            Line { label: "portable: 2 years of running it + chance × smaller bill", color: 1, points: &with, dashed: false },
        ],
        markers: &markers,
        references: &[],
    })
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
    let root = NodeRef::<Div>::new();
    let chart = NodeRef::<Canvas>::new();
    let error = use_chart(root, [chart], report, |r, _, area, pal, scale| draw_chart(area, pal, scale, |o| lockin_chart(r, o)));
    let table = Callback::new(move |_| report.with(|r| table_of(|o| lockin_chart(r, o))));
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
                <div class="cloud-answer" node_ref=root>
                    <WidgetError error=error />
                    <ol class="ranking" aria-label="Providers, best fit first" data-k="ranking">{ranking}</ol>
                    <p class="verdict" data-k="verdict" aria-live="polite">{move || report.with(|r| r.verdict.clone())}</p>
                    <ul class="reasons" data-k="reasons">
                        {move || report.with(|r| r.reasons.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view())}
                    </ul>
                    <Readouts facts=facts />
                    <canvas
                        class="chart"
                        node_ref=chart
                        role="img"
                        aria-label="Expected cost of a switch with and without a portable stack against the chance of moving, with the break-even marked; the readout 'Buying portability' gives the numbers"
                    ></canvas>
                    <ChartData caption="Expected cost of a switch over two years ($), managed and portable, by the chance of moving (%)" file="cloud-fit-lockin" canvas=chart table=table />
                </div>
            </div>
            <details class="assumptions">
                <summary>"Assumptions"</summary>
                <p>{ASSUMPTIONS}</p>
                <p>{EGRESS_FACTS}</p>
            </details>
        </WidgetFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::theme::Palette;
    use model::cloud::{CloudParams, Expertise};

    fn svg(r: &CloudReport) -> String {
        let mut out = String::new();
        let mut db = plotters_svg::SVGBackend::with_string(&mut out, (560, 260));
        draw_chart(&mut db, &Palette::LIGHT, crate::charts::Scale(1.0), |o| lockin_chart(r, o)).unwrap();
        drop(db);
        out
    }

    /// The table lists both expected-cost curves against the chance of moving (%).
    #[test]
    fn its_table_lists_both_curves() {
        let r = analyse(&CloudParams::EXAMPLE, &CloudAssumptions::ILLUSTRATIVE);
        let t = crate::charts::series::assert_lists_its_lines(|o| lockin_chart(&r, o));
        assert_eq!(t.rows.first().unwrap()[0], 0.0);
        assert_eq!(t.rows.last().unwrap()[0], 100.0);
    }

    /// The example never breaks even within two years (no break-even marker); a team that knows
    /// the runner-up not at all breaks even at 80%.
    #[test]
    fn the_break_even_curve_marks_the_reader_and_the_break_even() {
        let a = CloudAssumptions::ILLUSTRATIVE;
        let out = svg(&analyse(&CloudParams::EXAMPLE, &a));
        assert!(out.contains("you: 20%") && !out.contains("break-even"), "example");
        let p = CloudParams { expertise: [Expertise::Deep, Expertise::None, Expertise::None], ..CloudParams::EXAMPLE };
        let out = svg(&analyse(&p, &a));
        assert!(out.contains("break-even 80%") && out.contains("you: 20%"));
        assert!(out.contains("chance of moving within two years (%)"));
        assert!(!out.contains("NaN") && !out.contains("inf"));
        assert!(crate::charts::smallest_font(&out) >= crate::charts::MIN_FONT_PX);
    }
}
