//! `token-lifetime`: server sessions, JWTs and JWTs with a denylist — store lookups a second
//! against how long a revoked token keeps working, and the trade-off curve over the access
//! token's lifetime.

use crate::charts::series::{draw_lines, Axes, Line, Marker};
use crate::ui::chart::{use_chart, WidgetError};
use crate::ui::controls::ParamControls;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::auth::{
    analyse, chart_range_s, rate, refresh_curve, refreshes_per_s_at, AuthReport, Mechanism, ASSUMPTIONS,
};
use model::fmt::fixed;
use model::auth::{auth_params, TOKEN_LIFETIME};
use model::spec::{Note, State};

/// Points on the curve.
const CURVE_POINTS: usize = 80;

fn window(r: &AuthReport) -> String {
    if r.window_worst_s > 0.0 {
        format!(
            "up to {} ({} on average)",
            model::fmt::duration(r.window_worst_s, model::fmt::Unit::S),
            model::fmt::duration(r.window_mean_s, model::fmt::Unit::S)
        )
    } else {
        "until its next request".into()
    }
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
    let error = use_chart(root, [chart], report, |r, _, area, pal, scale| {
        let p = r.params;
        let curve = refresh_curve(&p, chart_range_s(&p), CURVE_POINTS);
        let now = refreshes_per_s_at(&p, p.access_lifetime_s);
        let here = format!("{}: {}/s", model::fmt::duration(p.access_lifetime_s, model::fmt::Unit::S), rate(now));
        draw_lines(
            area,
            pal,
            scale,
            &Axes {
                x_label: "access-token lifetime = revocation window (min)",
                y_label: "refreshes / s",
                y_min_top: 0.1,
                x_min_span: 1.0,
                y_max: f64::INFINITY,
            },
            &[Line { label: "JWT refreshes (store lookups)", color: 0, points: &curve, dashed: false }],
            &[Marker { x: p.access_lifetime_s / 60.0, label: &here }],
        )
    });
    let t = move |f: fn(&AuthReport) -> String| move || report.with(f);
    view! {
        <WidgetFrame
            spec=spec
            caption="Sessions or tokens: store lookups a second against how long a revoked token keeps working. The chart shows the JWT refresh load a lifetime costs; sessions and a denylist add a lookup per request. The load is illustrative.".into()
            notes=notes
            state=state
        >
            <div class="panel" node_ref=root>
                <WidgetError error=error />
                <p class="verdict" data-k="verdict" aria-live="polite">{t(|r| r.verdict.clone())}</p>
                <dl class="readout" aria-label="Key numbers">
                    <div><dt>"API requests"</dt><dd data-k="requests">{t(|r| format!("{}/s", rate(r.requests_per_s)))}</dd></div>
                    <div><dt>"Store lookups"</dt><dd data-k="lookups">{t(|r| format!("{}/s", rate(r.lookups_per_s)))}</dd></div>
                    <div><dt>"Lookups per request"</dt><dd data-k="per-request">{t(|r| fixed(r.lookups_per_request, if r.lookups_per_request < 0.1 { 3 } else { 2 }))}</dd></div>
                    <div><dt>"Token refreshes"</dt><dd data-k="refreshes">{t(|r| if r.params.mechanism == Mechanism::Sessions { "none".into() } else { format!("{}/s", rate(r.refreshes_per_s)) })}</dd></div>
                    <div><dt>"Store latency per request"</dt><dd data-k="latency">{t(|r| format!("+{} ms", fixed(r.added_latency_ms, 1)))}</dd></div>
                    <div class="wide"><dt>"A revoked token keeps working"</dt><dd data-k="window">{t(window)}</dd></div>
                </dl>
                <canvas class="chart chart-tall" node_ref=chart role="img" aria-label="JWT refreshes a second against access-token lifetime, which is also how long a revoked token keeps working, with the current lifetime marked; the numbers are above"></canvas>
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
