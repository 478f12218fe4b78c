//! `token-lifetime`: server sessions, JWTs and JWTs with a denylist — store lookups a second
//! against how long a revoked token keeps working, and the trade-off curve over the access
//! token's lifetime.

use crate::charts::series::{draw_chart, table_of, Axes, Line, LineChart, Marker, Sink};
use crate::ui::chart::{use_chart, WidgetError};
use crate::ui::chart_data::ChartData;
use crate::ui::controls::ParamControls;
use crate::ui::readouts::Readouts;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::auth::{
    analyse, auth_facts, chart_range_s, rate, refresh_curve, refreshes_per_s_at, AuthReport, Mechanism, ASSUMPTIONS,
};
use model::auth::{auth_params, TOKEN_LIFETIME};
use model::spec::{Note, State};

/// Points on the curve.
const CURVE_POINTS: usize = 80;

/// Refreshes a second against the access token's lifetime, the current lifetime marked.
fn refresh_chart(r: &AuthReport, out: Sink<'_>) {
    let p = r.params;
    let curve = refresh_curve(&p, chart_range_s(&p), CURVE_POINTS);
    let now = refreshes_per_s_at(&p, p.access_lifetime_s);
    let here = format!("{}: {}/s", model::fmt::duration(p.access_lifetime_s, model::fmt::Unit::S), rate(now));
    out(&LineChart {
        axes: Axes {
            x_label: "access-token lifetime = revocation window (min)",
            y_label: "refreshes / s",
            y_min_top: 0.1,
            x_min_span: 1.0,
            y_max: f64::INFINITY,
        },
        lines: &[Line { label: "JWT refreshes (store lookups)", color: 0, points: &curve, dashed: false }],
        markers: &[Marker { x: p.access_lifetime_s / 60.0, label: &here }],
        references: &[],
    })
}

/// The share-card preview: the refresh-load chart in the default state.
#[cfg(not(target_family = "wasm"))]
pub fn preview(
    db: &mut crate::preview::Svg<'_>,
    pal: &crate::ui::theme::Palette,
    scale: crate::charts::Scale,
) -> Result<(), String> {
    draw_chart(db, pal, scale, |o| refresh_chart(&analyse(&auth_params(&TOKEN_LIFETIME.defaults())), o))
}

/// The token-lifetime trade-off.
#[component]
pub fn TokenLifetime(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &TOKEN_LIFETIME;
    let state = RwSignal::new(initial);
    let report = Memo::new(move |_| analyse(&auth_params(&state.get())));
    let root = NodeRef::<Div>::new();
    let chart = NodeRef::<Canvas>::new();
    let error = use_chart(root, [chart], report, |r, _, area, pal, scale| draw_chart(area, pal, scale, |o| refresh_chart(r, o)));
    let table = Callback::new(move |_| report.with(|r| table_of(|o| refresh_chart(r, o))));
    let facts: Signal<_> = Memo::new(move |_| report.with(auth_facts)).into();
    // The refresh-token theft on a timeline (JWT mechanisms): markers numbered as the list below,
    // the attacker's window as a bar, shape and number as well as colour.
    let theft = Memo::new(move |_| report.with(|r| (r.params.mechanism != Mechanism::Sessions).then_some(r.theft)));
    let pct = |x: f64| format!("{}%", model::fmt::number((x * 1_000.0).round() / 10.0));
    let theft_view = move || {
        theft.get().map(|t| {
            let marks = t
                .events()
                .into_iter()
                .enumerate()
                .map(|(i, (at, _))| view! { <span class="theft-mark" style:left=pct(t.position(at))>{(i + 1).to_string()}</span> })
                .collect_view();
            let window = t.attacker_got_tokens.then(|| {
                let (a, b) = (t.position(t.attacker_redeems_s), t.position(t.last_valid_s));
                view! { <span class="theft-window" style:left=pct(a) style:width=pct(b - a)></span> }
            });
            let lines = t.event_lines().into_iter().map(|l| view! { <li>{l}</li> }).collect_view();
            view! {
                <div class="theft" data-k="theft-timeline">
                    <p class="theft-title">"A stolen refresh token (log time axis; the bar is the attacker's window):"</p>
                    <div class="theft-bar" aria-hidden="true">{window}{marks}</div>
                    <ol class="theft-events">{lines}</ol>
                </div>
            }
        })
    };
    view! {
        <WidgetFrame
            spec=spec
            caption="Sessions or tokens: store lookups a second against how long a revoked token keeps working. The chart shows the JWT refresh load a lifetime costs; sessions and a denylist add a lookup per request. The load is illustrative.".into()
            notes=notes
            state=state
            facts=Callback::new(move |_| facts.get_untracked())
        >
            <div class="panel" node_ref=root>
                <WidgetError error=error />
                <p class="verdict" data-k="verdict" aria-live="polite">{move || facts.with(|f| f.verdict.clone())}</p>
                <Readouts facts=facts />
                <canvas class="chart chart-tall" node_ref=chart role="img" aria-label="JWT refreshes a second against access-token lifetime, which is also how long a revoked token keeps working, with the current lifetime marked; the numbers are above"></canvas>
                <ChartData caption="JWT refreshes a second (store lookups) by access-token lifetime in minutes, which is also how long a revoked token keeps working" file="token-lifetime-refreshes" canvas=chart table=table />
                {theft_view}
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

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;
    use crate::charts::series::assert_lists_its_lines;

    /// The table lists the refresh curve by lifetime in minutes.
    #[test]
    fn its_table_lists_the_refresh_curve() {
        let r = analyse(&auth_params(&TOKEN_LIFETIME.defaults()));
        let t = assert_lists_its_lines(|o| refresh_chart(&r, o));
        assert_eq!(t.columns[1], "JWT refreshes (store lookups)");
        assert!(t.rows.len() >= CURVE_POINTS / 2);
    }
}
