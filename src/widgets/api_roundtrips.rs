//! `api-roundtrips`: one screen's tree of data (an order, its line items, their products…) loaded
//! over REST, gRPC and GraphQL: round trips, requests, bytes, backend queries and the time until
//! the screen has its data; and what a change to the published API does to existing clients.

use crate::charts::bars::draw_bars;
use crate::charts::{DrawingBackend, Scale};
use crate::ui::chart::{use_chart, WidgetError};
use crate::ui::chart_data::ChartData;
use crate::ui::controls::ParamControls;
use crate::ui::readouts::Readouts;
use crate::ui::theme::Palette;
use crate::ui::widget_frame::WidgetFrame;
use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use model::api::{analyse, api_facts, compatibility, ApiReport, Protocol, ProtocolCost};
use model::note::Facts;
use model::api::{api_change, api_params, API_ROUNDTRIPS};
use model::spec::{Note, State};

/// The readouts of `facts` with these keys: the page shows the note's list in two places, and
/// its table hand-written.
fn only(facts: Signal<Facts>, keys: &'static [&'static str]) -> Signal<Facts> {
    Memo::new(move |_| {
        facts.with(|f| Facts {
            readouts: f.readouts.iter().filter(|r| keys.contains(&r.key)).cloned().collect(),
            ..Facts::default()
        })
    })
    .into()
}

/// What the latency chart and its readouts show.
const LATENCY: &str = "Time until the screen has its data";

/// What the server-time readouts show: the N+1 resolvers one after another against batched.
const SERVER: &str = "GraphQL server time on database round trips: N+1 resolvers one after another, or batched";

/// The latency chart's bars: a label and a time (ms) per protocol.
fn latency_bars(r: &ApiReport) -> ([&'static str; 3], [f64; 3]) {
    (Protocol::ALL.map(Protocol::label), r.costs.map(|c| c.latency_ms))
}

/// Time until the screen has its data, a bar per protocol.
fn latency_chart<DB: DrawingBackend>(r: &ApiReport, area: &mut DB, pal: &Palette, scale: Scale) -> Result<(), String> {
    let (labels, values) = latency_bars(r);
    draw_bars(area, pal, scale, LATENCY, &labels, &values, &model::fmt::ms)
}

/// The latency chart's data: a row per protocol.
fn latency_table(r: &ApiReport) -> model::table::Table {
    let (labels, values) = latency_bars(r);
    model::table::Table::labelled("protocol", &labels, &[("time until the screen has its data (ms)", &values)])
}

/// The share-card preview: the latency bars in the default state.
#[cfg(not(target_family = "wasm"))]
pub fn preview(db: &mut crate::preview::Svg<'_>, pal: &Palette, scale: Scale) -> Result<(), String> {
    latency_chart(&analyse(&api_params(&API_ROUNDTRIPS.defaults())), db, pal, scale)
}

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
    let facts: Signal<_> = Memo::new(move |_| report.with(|r| compat.with(|c| api_facts(r, c)))).into();
    let root = NodeRef::<Div>::new();
    let chart = NodeRef::<Canvas>::new();
    let error = use_chart(root, [chart], report, |r, _, area, pal, scale| latency_chart(r, area, pal, scale));
    let table = Callback::new(move |_| report.with(latency_table));
    let cell = move |p: Protocol, f: fn(&ProtocolCost) -> String| move || report.with(|r: &ApiReport| f(r.cost(p)));
    let rows = Protocol::ALL
        .iter()
        .map(|&p| {
            let key = match p {
                Protocol::Rest => "rest",
                Protocol::Grpc => "grpc",
                Protocol::GraphQl => "graphql",
            };
            let k = p.keys();
            let fastest = move || report.with(|r| r.fastest == p);
            view! {
                <tr class:best=fastest data-protocol=key>
                    <th scope="row" data-best="fastest">{p.label()}</th>
                    <td data-k=k[1]>{cell(p, |c| c.round_trips.to_string())}</td>
                    <td data-k=k[2]>{cell(p, |c| c.requests.to_string())}</td>
                    <td data-k=k[3]>{cell(p, |c| model::fmt::bytes(c.bytes))}</td>
                    <td data-k=k[4]>{cell(p, |c| c.backend_queries.to_string())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <WidgetFrame
            spec=spec
            caption="An order screen's data, level by level, over HTTP/2 (illustrative sizes: protobuf at 40% of JSON, 1 ms per backend round trip, GraphQL resolvers without batching one after another; server work otherwise left out).".into()
            notes=notes
            state=state
            facts=Callback::new(move |_| facts.get_untracked())
        >
            <div class="panel" node_ref=root>
                <WidgetError error=error />
                <p class="verdict" data-k="verdict" aria-live="polite">{move || facts.with(|f| f.verdict.clone())}</p>
                <Readouts facts=only(facts, &["rest-latency", "grpc-latency", "graphql-latency"]) label=LATENCY />
                <canvas class="chart chart-small" node_ref=chart role="img" aria-label="Time until the screen has its data, per protocol; the numbers are in the readout above"></canvas>
                <ChartData caption="Time until the screen has its data (ms), per protocol" file="api-roundtrips-latency" canvas=chart table=table />
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
                <Readouts facts=only(facts, &["graphql-serial", "graphql-batched"]) label=SERVER />
            </div>
            <div class="controls-grid">
                <ParamControls spec=spec state=state />
            </div>
            <div class="api-compat">
                <ParamControls spec=spec state=state group="compat" />
                <p class="api-compat-verdict" class:breaks=move || compat.with(|c| c.breaks_existing_clients) data-k="compat">
                    {move || compat.with(|c| c.verdict())}
                </p>
                <Readouts facts=only(facts, &["effect", "safe-path"]) />
            </div>
        </WidgetFrame>
    }
}

#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;

    /// A labelled row per bar: the protocol and its time.
    #[test]
    fn its_table_has_a_row_per_protocol() {
        let r = analyse(&api_params(&API_ROUNDTRIPS.defaults()));
        let t = latency_table(&r);
        assert_eq!(t.labels, Protocol::ALL.map(|p| p.label().to_string()));
        for (row, c) in t.rows.iter().zip(&r.costs) {
            assert_eq!(row[..], [c.latency_ms]);
        }
    }
}
