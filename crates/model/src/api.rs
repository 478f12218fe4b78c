//! The API-design model: what one client screen costs to load over REST, gRPC and GraphQL, and
//! which changes to a published API break the clients already using it.
//!
//! Closed forms only: no clock, no randomness, no simulation. Every size is illustrative (see
//! [`ASSUMPTIONS`]); the point is the shape of the trade-off, not a benchmark.
//!
//! # The screen
//!
//! An order page needs a tree of data `depth` levels deep (1 to 4): the order with its `items`
//! line items (level 1, one record plus `items` rows, one backend query with a join), then one
//! product per line item (level 2), that product's seller (level 3) and the seller's rating
//! (level 4). Every level below the first holds `items` records.
//!
//! # The protocols
//!
//! Everything runs over HTTP/2, so requests at one level go out in parallel on one connection
//! (`items` ≤ 100, the smallest limit on concurrent streams RFC 9113 recommends servers allow):
//! a level costs one round trip however many records it has, but a level cannot be asked for
//! before the level above has answered, because its ids are in that answer.
//!
//! | | round trips | requests | backend queries | server time | payload |
//! |---|---|---|---|---|---|
//! | REST | `depth` | `1 + items·(depth − 1)` | same as requests | `depth` hops | full JSON records |
//! | REST, compound response | 1 | 1 | `depth` | `depth` hops | full JSON records |
//! | gRPC | `depth` | `1 + items·(depth − 1)` | same as requests | `depth` hops | full records, protobuf |
//! | GraphQL | 1 | 1 | `1 + items·(depth − 1)` (N+1) | one hop per query | the fields asked for, JSON |
//! | GraphQL, batched | 1 | 1 | `depth` (one per level) | `depth` hops | the fields asked for, JSON |
//!
//! and for each protocol
//!
//! ```text
//! bytes      = payload + requests × REQUEST_OVERHEAD_BYTES (+ the GraphQL query document)
//! latency_ms = round_trips × rtt_ms + server_ms + bytes × 8 / (bandwidth_mbps × 1000)
//! server_ms  = backend round trips on the server's critical path × SERVER_HOP_MS
//! ```
//!
//! The server's backend round trips are one per level whichever protocol the client speaks,
//! when each level is fetched at once: REST and gRPC requests for one level arrive together and
//! are served in parallel, a compound response and a batched GraphQL resolver (DataLoader) run
//! one query per level. A GraphQL server without batching resolves each record's field with its
//! own query, one after another (a resolver awaits its lookup before the next record's), so its
//! `1 + items·(depth − 1)` queries are all on the critical path: the N+1 problem costs latency
//! as well as database load. Server processing time is otherwise left out.

use crate::note::{Facts, Readout};
use crate::spec::{choice, labelled, range, toggle, State, WidgetSpec};
use crate::value;

/// The levels of the screen's data, top to bottom.
pub const LEVELS: [&str; 4] =
    ["the order and its line items", "each item's product", "its seller", "the seller's rating"];
/// The order record's full JSON representation, in bytes.
pub const ORDER_JSON_BYTES: f64 = 600.0;
/// One line item row inside the order, in bytes.
pub const LINE_JSON_BYTES: f64 = 250.0;
/// One full record at levels 2, 3 and 4 (product, seller, rating), JSON, in bytes.
pub const RECORD_JSON_BYTES: [f64; 3] = [1_200.0, 700.0, 400.0];
/// Protobuf encodes the same record in this share of its JSON size (field numbers instead of
/// names, binary numbers).
pub const PROTO_RATIO: f64 = 0.4;
/// Headers and framing of one HTTP/2 request and its response after header compression, bytes.
pub const REQUEST_OVERHEAD_BYTES: f64 = 100.0;
/// The GraphQL query document, per level it asks for, bytes.
pub const QUERY_BYTES_PER_LEVEL: f64 = 150.0;
/// One backend round trip inside the datacentre (server to database or service), ms.
pub const SERVER_HOP_MS: f64 = 1.0;
/// The most requests one level sends at once: RFC 9113's recommended minimum for a server's
/// concurrent streams (§5.1.2; RFC 9113 obsoletes RFC 7540). Items never exceed it, so a level is always one round trip.
pub const MAX_ITEMS: u32 = 100;
/// A runner-up within this share of the fastest, or within [`TIE_MS`], is close enough that the
/// verdict sends the reader to other grounds.
pub const TIE_SHARE: f64 = 0.1;
/// See [`TIE_SHARE`]: a gap too small for a person to notice on one screen load, ms.
pub const TIE_MS: f64 = 5.0;

/// The dated assumptions behind the sizes.
pub const ASSUMPTIONS: &str = "Illustrative sizes: an order record of 600 bytes of JSON plus 250 \
bytes per line item; full product, seller and rating records of 1,200, 700 and 400 bytes; \
protobuf at 40% of JSON's size; 100 bytes of compressed HTTP/2 headers per request; a GraphQL \
query of 150 bytes per level; 1 ms per backend round trip inside the datacentre. All before \
response compression, all over HTTP/2 with warm connections.";

/// Declared ranges of every parameter; [`ApiParams::clamped`] forces values into them (NaN
/// becomes the low end).
pub mod ranges {
    pub const ITEMS: (u32, u32) = (1, super::MAX_ITEMS);
    pub const DEPTH: (u32, u32) = (1, 4);
    pub const RTT_MS: (f64, f64) = (0.1, 2_000.0);
    pub const BANDWIDTH_MBPS: (f64, f64) = (0.1, 10_000.0);
    pub const USED_SHARE: (f64, f64) = (0.01, 1.0);
}

/// One client protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    Rest,
    Grpc,
    GraphQl,
}

impl Protocol {
    pub const ALL: [Protocol; 3] = [Protocol::Rest, Protocol::Grpc, Protocol::GraphQl];

    pub fn label(self) -> &'static str {
        match self {
            Protocol::Rest => "REST",
            Protocol::Grpc => "gRPC",
            Protocol::GraphQl => "GraphQL",
        }
    }

    /// The widget's hooks (`data-k`) of this protocol's numbers: time to data, round trips,
    /// requests, bytes on the wire, database queries.
    pub fn keys(self) -> [&'static str; 5] {
        match self {
            Protocol::Rest => ["rest-latency", "rest-trips", "rest-requests", "rest-bytes", "rest-queries"],
            Protocol::Grpc => ["grpc-latency", "grpc-trips", "grpc-requests", "grpc-bytes", "grpc-queries"],
            Protocol::GraphQl => {
                ["graphql-latency", "graphql-trips", "graphql-requests", "graphql-bytes", "graphql-queries"]
            }
        }
    }
}

/// The screen, the network and the API's features.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ApiParams {
    /// Line items in the order (N).
    pub items: u32,
    /// Levels of the data tree the screen shows (1 to 4, see [`LEVELS`]).
    pub depth: u32,
    /// The client's network round-trip time, ms.
    pub rtt_ms: f64,
    /// The client's bandwidth, Mbit/s.
    pub bandwidth_mbps: f64,
    /// The share of each full record the screen actually shows (what GraphQL asks for).
    pub used_share: f64,
    /// The REST API can return the whole tree in one response (`?expand=`, `?include=`).
    pub rest_compound: bool,
    /// The GraphQL server batches each level's lookups into one query (DataLoader).
    pub graphql_batching: bool,
}

impl ApiParams {
    /// A phone on a mobile network loading an order of 20 items, three levels deep.
    pub const MOBILE: ApiParams = ApiParams {
        items: 20,
        depth: 3,
        rtt_ms: 100.0,
        bandwidth_mbps: 10.0,
        used_share: 0.3,
        rest_compound: false,
        graphql_batching: false,
    };
    /// The same screen assembled by a service in the same datacentre.
    pub const DATACENTRE: ApiParams = ApiParams { rtt_ms: 1.0, bandwidth_mbps: 1_000.0, ..ApiParams::MOBILE };
    /// APIs shaped for the screen: REST compound responses and GraphQL batching.
    pub const TAILORED: ApiParams = ApiParams { rest_compound: true, graphql_batching: true, ..ApiParams::MOBILE };

    /// The presets in the order a widget offers them.
    pub const PRESETS: [(&'static str, ApiParams); 3] =
        [("mobile", ApiParams::MOBILE), ("datacentre", ApiParams::DATACENTRE), ("tailored", ApiParams::TAILORED)];

    /// The parameters with every field forced into its [`ranges`] (NaN becomes the low end).
    pub fn clamped(mut self) -> ApiParams {
        let f = |x: f64, (lo, hi): (f64, f64)| crate::num::clamp_or_low(x, lo, hi);
        self.items = self.items.clamp(ranges::ITEMS.0, ranges::ITEMS.1);
        self.depth = self.depth.clamp(ranges::DEPTH.0, ranges::DEPTH.1);
        self.rtt_ms = f(self.rtt_ms, ranges::RTT_MS);
        self.bandwidth_mbps = f(self.bandwidth_mbps, ranges::BANDWIDTH_MBPS);
        self.used_share = f(self.used_share, ranges::USED_SHARE);
        self
    }
}

impl Default for ApiParams {
    fn default() -> Self {
        ApiParams::MOBILE
    }
}

/// What loading the screen costs over one protocol.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProtocolCost {
    pub protocol: Protocol,
    /// Client round trips on the critical path.
    pub round_trips: u32,
    /// Requests the client sends.
    pub requests: u32,
    /// Bytes over the wire, both directions.
    pub bytes: f64,
    /// Time spent moving those bytes at the client's bandwidth, ms.
    pub transfer_ms: f64,
    /// Time the server spends on backend round trips before it can answer, ms.
    pub server_ms: f64,
    /// Time until the screen has all its data, ms.
    pub latency_ms: f64,
    /// Database queries the backend runs for one screen load.
    pub backend_queries: u32,
}

/// The three protocols side by side, and which is fastest.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiReport {
    /// In [`Protocol::ALL`] order.
    pub costs: [ProtocolCost; 3],
    pub fastest: Protocol,
    /// The (clamped) parameters the report is for.
    pub params: ApiParams,
    /// One or two sentences: who wins for this screen, and why.
    pub verdict: String,
}

impl ApiReport {
    pub fn cost(&self, p: Protocol) -> &ProtocolCost {
        &self.costs[Protocol::ALL.iter().position(|&q| q == p).unwrap_or(0)]
    }
}

/// The full JSON size of level `level` (1-based) for `items` line items.
pub fn level_json_bytes(level: u32, items: u32) -> f64 {
    let n = items as f64;
    match level {
        0 => 0.0,
        1 => ORDER_JSON_BYTES + n * LINE_JSON_BYTES,
        k => n * RECORD_JSON_BYTES[((k - 2) as usize).min(RECORD_JSON_BYTES.len() - 1)],
    }
}

/// The full JSON size of the whole tree.
pub fn tree_json_bytes(items: u32, depth: u32) -> f64 {
    (1..=depth).map(|k| level_json_bytes(k, items)).sum()
}

/// One request per record below the first level, plus the first: `1 + items·(depth − 1)`.
pub fn per_record_requests(items: u32, depth: u32) -> u32 {
    1 + items * depth.saturating_sub(1)
}

/// Milliseconds to move `bytes` at `mbps` megabits per second.
pub fn transfer_ms(bytes: f64, mbps: f64) -> f64 {
    let t = bytes * 8.0 / (mbps * 1_000.0);
    if t.is_finite() && t >= 0.0 {
        t
    } else {
        0.0
    }
}

/// The cost of loading the screen over `protocol`.
pub fn protocol_cost(p: &ApiParams, protocol: Protocol) -> ProtocolCost {
    let p = p.clamped();
    let (n, d) = (p.items, p.depth);
    let json = tree_json_bytes(n, d);
    let chatty = per_record_requests(n, d);
    // (round trips, requests, payload, backend queries, backend round trips in sequence)
    let (round_trips, requests, payload, backend_queries, serial) = match protocol {
        Protocol::Rest if p.rest_compound => (1, 1, json, d, d),
        Protocol::Rest => (d, chatty, json, chatty, d),
        Protocol::Grpc => (d, chatty, json * PROTO_RATIO, chatty, d),
        Protocol::GraphQl => {
            let queries = if p.graphql_batching { d } else { chatty };
            (1, 1, json * p.used_share + QUERY_BYTES_PER_LEVEL * d as f64, queries, queries)
        }
    };
    let bytes = payload + requests as f64 * REQUEST_OVERHEAD_BYTES;
    let transfer = transfer_ms(bytes, p.bandwidth_mbps);
    let server_ms = serial as f64 * SERVER_HOP_MS;
    let latency_ms = round_trips as f64 * p.rtt_ms + server_ms + transfer;
    ProtocolCost {
        protocol,
        round_trips,
        requests,
        bytes,
        transfer_ms: transfer,
        server_ms,
        latency_ms,
        backend_queries,
    }
}

/// All three protocols and the verdict.
pub fn analyse(p: &ApiParams) -> ApiReport {
    let p = p.clamped();
    let costs = Protocol::ALL.map(|q| protocol_cost(&p, q));
    // Fastest first; ties keep the table's order.
    let mut order = [0usize, 1, 2];
    for i in 1..order.len() {
        let mut j = i;
        while j > 0 && costs[order[j]].latency_ms < costs[order[j - 1]].latency_ms {
            order.swap(j, j - 1);
            j -= 1;
        }
    }
    let (w, r) = (&costs[order[0]], &costs[order[1]]);
    let mut verdict = format!(
        "{} is fastest for this screen ({}): ",
        w.protocol.label(),
        crate::fmt::duration(w.latency_ms, crate::fmt::Unit::Ms)
    );
    if w.round_trips < r.round_trips {
        verdict.push_str(&format!(
            "{} instead of {}'s {} at {} each.",
            trips(w.round_trips),
            r.protocol.label(),
            r.round_trips,
            crate::fmt::duration(p.rtt_ms, crate::fmt::Unit::Ms)
        ));
    } else if w.round_trips > r.round_trips && r.server_ms - w.server_ms > r.transfer_ms - w.transfer_ms {
        // The runner-up's one round trip loses to its server's N+1 resolvers, not to bytes.
        verdict.push_str(&format!(
            "it makes {} to {}'s {}, but at {} each they cost less than {}'s resolvers run one after another ({} of server time against {}).",
            trips(w.round_trips),
            r.protocol.label(),
            r.round_trips,
            crate::fmt::duration(p.rtt_ms, crate::fmt::Unit::Ms),
            r.protocol.label(),
            crate::fmt::duration(r.server_ms, crate::fmt::Unit::Ms),
            crate::fmt::duration(w.server_ms, crate::fmt::Unit::Ms)
        ));
    } else if w.round_trips > r.round_trips {
        verdict.push_str(&format!(
            "it makes {} to {}'s {}, but at {} each they cost less than the {} it saves on the wire.",
            trips(w.round_trips),
            r.protocol.label(),
            r.round_trips,
            crate::fmt::duration(p.rtt_ms, crate::fmt::Unit::Ms),
            crate::fmt::bytes(r.bytes - w.bytes)
        ));
    } else {
        let same = if w.round_trips == 1 {
            "one round trip, like".to_string()
        } else {
            format!("the same {} as", trips(w.round_trips))
        };
        if w.bytes > r.bytes && r.server_ms > w.server_ms {
            // More bytes and still faster: the runner-up's server resolves one query at a time.
            verdict.push_str(&format!(
                "{same} {}, and more on the wire ({} against {}), but {}'s resolvers run one after another ({} of server time against {}).",
                r.protocol.label(),
                crate::fmt::bytes(w.bytes),
                crate::fmt::bytes(r.bytes),
                r.protocol.label(),
                crate::fmt::duration(r.server_ms, crate::fmt::Unit::Ms),
                crate::fmt::duration(w.server_ms, crate::fmt::Unit::Ms)
            ));
        } else {
            verdict.push_str(&format!(
                "{same} {}, with {} on the wire instead of {}.",
                r.protocol.label(),
                crate::fmt::bytes(w.bytes),
                crate::fmt::bytes(r.bytes)
            ));
        }
    }
    let gap = r.latency_ms - w.latency_ms;
    if gap <= TIE_SHARE * w.latency_ms || gap <= TIE_MS {
        verdict.push_str(&format!(
            " {} is only {} behind, so decide on caching, tooling and who your clients are.",
            r.protocol.label(),
            crate::fmt::duration(gap, crate::fmt::Unit::Ms)
        ));
    }
    let g = &costs[2];
    if !p.graphql_batching && g.backend_queries > p.depth {
        verdict.push_str(&format!(
            " Without batching, the GraphQL server runs {} database queries per screen one after another (the N+1 problem: {} of server time); batching makes it {} ({}).",
            g.backend_queries,
            crate::fmt::duration(g.server_ms, crate::fmt::Unit::Ms),
            p.depth,
            crate::fmt::duration(graphql_server_ms(&p, true), crate::fmt::Unit::Ms)
        ));
    }
    ApiReport { costs, fastest: w.protocol, params: p, verdict }
}

/// The GraphQL server's time on backend round trips for one screen, with or without batching:
/// `depth` hops batched, `1 + items·(depth − 1)` hops resolved one after another.
pub fn graphql_server_ms(p: &ApiParams, batching: bool) -> f64 {
    protocol_cost(&ApiParams { graphql_batching: batching, ..*p }, Protocol::GraphQl).server_ms
}

fn trips(n: u32) -> String {
    if n == 1 {
        "one round trip".to_string()
    } else {
        format!("{n} round trips")
    }
}

// ---------------------------------------------------------------------------------------------
// Compatibility of a change
// ---------------------------------------------------------------------------------------------

/// A change to a published API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    AddOptionalField,
    RenameField,
    RemoveField,
    MakeFieldRequired,
    ChangeFieldType,
}

impl Change {
    pub const ALL: [Change; 5] = [
        Change::AddOptionalField,
        Change::RenameField,
        Change::RemoveField,
        Change::MakeFieldRequired,
        Change::ChangeFieldType,
    ];
}

/// What a change does to clients already integrated, and how to ship it safely.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Compatibility {
    pub breaks_existing_clients: bool,
    /// Who is affected, and how.
    pub effect: &'static str,
    /// The way to ship it without breaking anyone.
    pub safe_path: &'static str,
}

impl Compatibility {
    /// The one-line answer: "Breaks existing clients." or "Safe for existing clients."
    pub fn verdict(&self) -> &'static str {
        if self.breaks_existing_clients {
            "Breaks existing clients."
        } else {
            "Safe for existing clients."
        }
    }
}

/// The compatibility of `change` for clients that were built against the API before it.
pub fn compatibility(change: Change) -> Compatibility {
    match change {
        Change::AddOptionalField => Compatibility {
            breaks_existing_clients: false,
            effect: "Existing clients keep working: a tolerant JSON reader skips a field it does not know, protobuf carries unknown fields through, and a GraphQL client only receives the fields it asks for.",
            safe_path: "Ship it. Give it a new name and, in protobuf, a new field number: never one a removed field used.",
        },
        Change::RenameField => Compatibility {
            breaks_existing_clients: true,
            effect: "Every client that reads or sends the old name breaks. In protobuf the bytes on the wire survive (the field number is unchanged), but JSON mappings and the code generated from the old name do not.",
            safe_path: "Add the new name beside the old one, fill both, mark the old one deprecated, watch who still uses it, and remove it only in a new version.",
        },
        Change::RemoveField => Compatibility {
            breaks_existing_clients: true,
            effect: "Clients that read the field get nothing, a default or an error. In protobuf, reusing its field number later would make old clients misread new data.",
            safe_path: "Deprecate it first, measure who still reads it, and remove it in a new version; in protobuf, reserve its number and name for good.",
        },
        Change::MakeFieldRequired => Compatibility {
            breaks_existing_clients: true,
            effect: "Clients that never sent the field now have their requests rejected.",
            safe_path: "Keep it optional with a server-side default, or require it only in a new version.",
        },
        Change::ChangeFieldType => Compatibility {
            breaks_existing_clients: true,
            effect: "Clients parse the old type: a number that becomes a string or an object fails to parse, or worse, is silently misread.",
            safe_path: "Add a new field with the new type, fill both, deprecate the old one, and remove it only in a new version.",
        },
    }
}

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

/// What an api-roundtrips preset sets: the network and the protocols' options of one of
/// [`ApiParams::PRESETS`] (the screen's shape stays as the reader set it).
const fn network(p: &ApiParams) -> [(&'static str, f64); 4] {
    [
        ("rtt", p.rtt_ms),
        ("bandwidth", p.bandwidth_mbps),
        ("compound", p.rest_compound as u8 as f64),
        ("batching", p.graphql_batching as u8 as f64),
    ]
}

const CHANGES: &[&str] = &["add-optional", "rename", "remove", "make-required", "change-type"];
/// REST, gRPC and GraphQL loading one screen; and which API changes break existing clients.
pub const API_ROUNDTRIPS: WidgetSpec = WidgetSpec {
    name: "api-roundtrips",
    about: crate::note::About {
        question: "Should this screen's API be REST, gRPC or GraphQL, given the round trips, bytes and backend \
                   queries each costs on our clients' network, and which changes to it can we ship without breaking \
                   existing clients?",
        assumptions: &[(ASSUMPTIONS, "")],
        sources: &[
            "M. Thomson, C. Benfield, HTTP/2, RFC 9113 (2022)",
            "GraphQL Foundation, GraphQL Specification, October 2021 Edition (2021)",
            "The gRPC Authors, Core concepts, architecture and lifecycle (2024)",
            "Google, AIP-180: Backwards compatibility (2019)",
        ],
    },
    reserve_rem: 69.0,
    hot: false,
    title: "One screen over REST, gRPC and GraphQL",
    params: &[
        range("items", "Line items in the order", 1.0, 100.0, 1.0, 20.0, ""),
        range("depth", "Levels of data on the screen", 1.0, 4.0, 1.0, 3.0, ""),
        range("rtt", "Network round trip", 1.0, 500.0, 1.0, 100.0, "ms"),
        range("bandwidth", "Bandwidth", 1.0, 1_000.0, 1.0, 10.0, "Mbit/s"),
        range("used", "Share of each record the screen shows", 10.0, 100.0, 5.0, 30.0, "%"),
        toggle("compound", "REST offers compound responses (?expand=)", false),
        toggle("batching", "GraphQL server batches lookups (DataLoader)", false),
        labelled(
            choice("change", "A change you want to ship", CHANGES, 0),
            &[
                "Add an optional field",
                "Rename a field",
                "Remove a field",
                "Make an optional field required",
                "Change a field's type",
            ],
        )
        .in_group("compat"),
    ],
    presets: &[
        ("mobile", &network(&ApiParams::MOBILE)),
        ("datacentre", &network(&ApiParams::DATACENTRE)),
        ("tailored", &network(&ApiParams::TAILORED)),
    ],
};

/// What the api-roundtrips widget shows: the verdict; each protocol's time until the screen has
/// its data, round trips, requests, bytes and database queries (the page's readout and table);
/// and whether the change breaks existing clients, what happens and the safe path.
pub fn api_facts(r: &ApiReport, c: &Compatibility) -> Facts {
    let mut readouts = Vec::with_capacity(20);
    for p in Protocol::ALL {
        let k = p.keys();
        readouts.push(Readout::new(k[0], p.label(), crate::fmt::duration(r.cost(p).latency_ms, crate::fmt::Unit::Ms)));
    }
    for p in Protocol::ALL {
        let (k, c, l) = (p.keys(), r.cost(p), p.label());
        readouts.push(Readout::new(k[1], format!("{l} round trips"), c.round_trips.to_string()));
        readouts.push(Readout::new(k[2], format!("{l} requests"), c.requests.to_string()));
        readouts.push(Readout::new(k[3], format!("{l} on the wire"), crate::fmt::bytes(c.bytes)));
        readouts.push(Readout::new(k[4], format!("{l} database queries"), c.backend_queries.to_string()));
    }
    let p = &r.params;
    readouts.push(Readout::new(
        "graphql-serial",
        "GraphQL server, resolvers one after another",
        crate::fmt::duration(graphql_server_ms(p, false), crate::fmt::Unit::Ms),
    ));
    readouts.push(Readout::new(
        "graphql-batched",
        "GraphQL server, batched (DataLoader)",
        crate::fmt::duration(graphql_server_ms(p, true), crate::fmt::Unit::Ms),
    ));
    readouts.push(Readout::new("compat", "The change, for existing clients", c.verdict()));
    readouts.push(Readout::new("effect", "What happens", c.effect).wide());
    readouts.push(Readout::new("safe-path", "The safe path", c.safe_path).wide());
    Facts { verdict: r.verdict.clone(), readouts, run: Vec::new() }
}

/// API-roundtrips parameters for a state.
pub fn api_params(state: &State) -> ApiParams {
    ApiParams {
        items: value!(API_ROUNDTRIPS, state, "items") as u32,
        depth: value!(API_ROUNDTRIPS, state, "depth") as u32,
        rtt_ms: value!(API_ROUNDTRIPS, state, "rtt"),
        bandwidth_mbps: value!(API_ROUNDTRIPS, state, "bandwidth"),
        used_share: value!(API_ROUNDTRIPS, state, "used") / 100.0,
        rest_compound: (value!(API_ROUNDTRIPS, state, "compound") != 0.0),
        graphql_batching: (value!(API_ROUNDTRIPS, state, "batching") != 0.0),
    }
    .clamped()
}

/// The change the api-roundtrips widget asks about.
pub fn api_change(state: &State) -> Change {
    Change::ALL[(value!(API_ROUNDTRIPS, state, "change") as usize).min(Change::ALL.len() - 1)]
}
