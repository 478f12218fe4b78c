//! `api-roundtrips`: one screen's tree of data (an order, its line items, their products…) loaded
//! over REST, gRPC and GraphQL: round trips, requests, bytes, backend queries and the time until
//! the screen has its data; and what a change to the published API does to existing clients.

use crate::charts::bars::draw_bars;
use crate::ui::chart::{use_chart, WidgetError};
use crate::ui::controls::ParamControls;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::api::{analyse, compatibility, ApiReport, Protocol, ProtocolCost};
use model::api::{api_change, api_params, API_ROUNDTRIPS};
use model::spec::{Note, State};

/// The API round-trips comparison.
#[component]
pub fn ApiRoundtrips(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &API_ROUNDTRIPS;
    let state = RwSignal::new(initial);
    let report = Memo::new(move |_| analyse(&state.with(api_params)));
    let compat = Memo::new(move |_| compatibility(state.with(api_change)));
    let root = NodeRef::<Div>::new();
    let chart = NodeRef::<Canvas>::new();
    let error = use_chart(root, [chart], report, |r, _, area, pal, scale| {
        let labels = Protocol::ALL.map(Protocol::label);
        let values = r.costs.map(|c| c.latency_ms);
        draw_bars(area, pal, scale, "Time until the screen has its data", &labels, &values, &model::fmt::ms)
    });
    let cell = move |p: Protocol, f: fn(&ProtocolCost) -> String| move || report.with(|r: &ApiReport| f(r.cost(p)));
    let rows = Protocol::ALL
        .iter()
        .map(|&p| {
            let key = match p {
                Protocol::Rest => "rest",
                Protocol::Grpc => "grpc",
                Protocol::GraphQl => "graphql",
            };
            let fastest = move || report.with(|r| r.fastest == p);
            view! {
                <tr class:best=fastest data-protocol=key>
                    <th scope="row" data-best="fastest">{p.label()}</th>
                    <td data-k=format!("{key}-trips")>{cell(p, |c| c.round_trips.to_string())}</td>
                    <td data-k=format!("{key}-requests")>{cell(p, |c| c.requests.to_string())}</td>
                    <td data-k=format!("{key}-bytes")>{cell(p, |c| model::fmt::bytes(c.bytes))}</td>
                    <td data-k=format!("{key}-queries")>{cell(p, |c| c.backend_queries.to_string())}</td>
                </tr>
            }
        })
        .collect_view();
    let latency =
        move |p: Protocol| move || report.with(|r| model::fmt::duration(r.cost(p).latency_ms, model::fmt::Unit::Ms));
    view! {
        <WidgetFrame
            spec=spec
            caption="An order screen's data, level by level, over HTTP/2 (illustrative sizes: protobuf at 40% of JSON, 1 ms per backend hop; server work otherwise left out).".into()
            notes=notes
            state=state
        >
            <div class="panel" node_ref=root>
                <WidgetError error=error />
                <p class="verdict" data-k="verdict" aria-live="polite">{move || report.with(|r| r.verdict.clone())}</p>
                <dl class="readout" aria-label="Time until the screen has its data">
                    <div><dt>"REST"</dt><dd data-k="rest-latency">{latency(Protocol::Rest)}</dd></div>
                    <div><dt>"gRPC"</dt><dd data-k="grpc-latency">{latency(Protocol::Grpc)}</dd></div>
                    <div><dt>"GraphQL"</dt><dd data-k="graphql-latency">{latency(Protocol::GraphQl)}</dd></div>
                </dl>
                <canvas class="chart chart-small" node_ref=chart role="img" aria-label="Time until the screen has its data, per protocol; the numbers are in the readout above"></canvas>
                <div class="table-scroll">
                    <table class="results">
                        <caption class="visually-hidden">"What loading the screen costs per protocol"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Protocol"</th>
                                <th scope="col">"Round trips"</th>
                                <th scope="col">"Requests"</th>
                                <th scope="col">"On the wire"</th>
                                <th scope="col">"Database queries"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </div>
            <div class="controls-grid">
                <ParamControls spec=spec state=state />
            </div>
            <div class="api-compat">
                <ParamControls spec=spec state=state group="compat" />
                <p class="api-compat-verdict" class:breaks=move || compat.with(|c| c.breaks_existing_clients) data-k="compat">
                    {move || if compat.with(|c| c.breaks_existing_clients) { "Breaks existing clients." } else { "Safe for existing clients." }}
                </p>
                <dl class="readout">
                    <div class="wide"><dt>"What happens"</dt><dd data-k="effect">{move || compat.with(|c| c.effect)}</dd></div>
                    <div class="wide"><dt>"The safe path"</dt><dd data-k="safe-path">{move || compat.with(|c| c.safe_path)}</dd></div>
                </dl>
            </div>
        </WidgetFrame>
    }
}
