//! `service-split`: services on a request's path, their availability, fan-out, hops and teams;
//! end-to-end availability (the product), downtime a month, the fan-out tail, the network time
//! and the coordination paths, with a chart of downtime against the length of the path.

use crate::charts::series::{draw_chart, table_of, Axes, Line, LineChart, Marker, Sink};
use crate::ui::chart::{use_chart, WidgetError};
use crate::ui::chart_data::ChartData;
use crate::ui::controls::ParamControls;
use crate::ui::readouts::Readouts;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::services::{
    availability_text, coordination_text, downtime_curve, next_nine, report, services_facts, verdict, ServicesReport,
};
use model::services::{services_params, SERVICE_SPLIT};
use model::spec::{Note, State};

/// The chart's x axis runs to the longest path the slider allows.
const MAX_PATH: u32 = 30;

#[derive(Clone, PartialEq)]
struct Figures {
    r: ServicesReport,
    verdict: String,
    coordination: String,
    curve: Vec<(f64, f64)>,
    curve_next: Vec<(f64, f64)>,
}

fn figures(st: &State) -> Figures {
    let r = report(&services_params(st));
    let a = r.params.availability;
    Figures {
        verdict: verdict(&r),
        coordination: coordination_text(&r),
        curve: downtime_curve(a, MAX_PATH),
        curve_next: downtime_curve(next_nine(a), MAX_PATH),
        r,
    }
}

/// Failed hours a month against the services on the path, at this availability and the next
/// nine, this path marked.
fn downtime_chart(f: &Figures, out: Sink<'_>) {
    let a = f.r.params.availability;
    let l1 = format!("each at {}", availability_text(a));
    let l2 = format!("each at {}", availability_text(next_nine(a)));
    let here = format!("this path: {}", f.r.hard);
    out(&LineChart {
        axes: Axes {
            x_label: "services every request needs",
            y_label: "failed hours a month",
            y_min_top: 1.0,
            x_min_span: 10.0,
            y_max: f64::INFINITY,
        },
        lines: &[
            Line { label: &l1, color: 0, points: &f.curve, dashed: false },
            Line { label: &l2, color: 1, points: &f.curve_next, dashed: true },
        ],
        markers: &[Marker { x: f64::from(f.r.hard), label: &here }],
        references: &[],
    })
}

/// The share-card preview: the downtime chart in the default state.
#[cfg(not(target_family = "wasm"))]
pub fn preview(
    db: &mut crate::preview::Svg<'_>,
    pal: &crate::ui::theme::Palette,
    scale: crate::charts::Scale,
) -> Result<(), String> {
    draw_chart(db, pal, scale, |o| downtime_chart(&figures(&SERVICE_SPLIT.defaults()), o))
}

/// The service-split calculator.
#[component]
pub fn ServiceSplit(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &SERVICE_SPLIT;
    let state = RwSignal::new(initial);
    // Soft services stay below the path's length, a change's span within it: pull them down when
    // the path shrinks.
    Effect::new(move |_| {
        let p = state.with(services_params);
        let (soft0, change0) = state.with(|s| (model::value!(SERVICE_SPLIT, s, "soft") as u32, model::value!(SERVICE_SPLIT, s, "change") as u32));
        if p.soft != soft0 || p.change_span != change0 {
            state.update(|s| {
                s.set(spec, "soft", f64::from(p.soft));
                s.set(spec, "change", f64::from(p.change_span));
            });
        }
    });
    let fig = Memo::new(move |_| figures(&state.get()));
    let root = NodeRef::<Div>::new();
    let chart = NodeRef::<Canvas>::new();
    let error = use_chart(root, [chart], fig, |f, _, area, pal, scale| draw_chart(area, pal, scale, |o| downtime_chart(f, o)));
    let table = Callback::new(move |_| fig.with(|f| table_of(|o| downtime_chart(f, o))));
    let t = move |g: fn(&Figures) -> String| move || fig.with(g);
    let facts: Signal<_> = Memo::new(move |_| fig.with(|f| services_facts(&f.r))).into();
    view! {
        <WidgetFrame
            spec=spec
            caption="What a split costs: services fail independently (so replicas and retries are upper bounds), a request fails if any service on its synchronous path fails, dependencies behind a queue are off that path, and each fanned-out call is slow with the chance you set. Figures are for a 30-day month; the settings are illustrative.".into()
            notes=notes
            state=state
            facts=Callback::new(move |_| facts.get_untracked())
        >
            <div class="panel" node_ref=root>
                <WidgetError error=error />
                <p class="verdict" data-k="verdict" aria-live="polite">{t(|f| f.verdict.clone())}</p>
                <Readouts facts=facts />
                <p class="split-coordination" data-k="coordination">{t(|f| f.coordination.clone())}</p>
                <canvas class="chart chart-tall" node_ref=chart role="img" aria-label="Hours of failed requests a month against the number of services every request needs, at this availability and at the next nine; the figures for this setting are listed above"></canvas>
                <ChartData caption="Failed hours a month by the number of services every request needs, at this availability and at the next nine" file="service-split-downtime" canvas=chart table=table />
            </div>
            <div class="controls-grid">
                <ParamControls spec=spec state=state />
            </div>
        </WidgetFrame>
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;
    use crate::charts::series::assert_lists_its_lines;

    /// The table lists downtime at this availability and the next nine, a row per path length.
    #[test]
    fn its_table_lists_both_availabilities() {
        let f = figures(&SERVICE_SPLIT.defaults());
        let t = assert_lists_its_lines(|o| downtime_chart(&f, o));
        assert_eq!(t.rows.len(), f.curve.len());
        assert!(t.rows.iter().all(|row| row[2] <= row[1]), "another nine fails less");
    }
}
