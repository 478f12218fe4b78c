//! The API-design model against its closed forms: latency = round trips × RTT + server hops (one
//! per level, or one per query for GraphQL resolvers run one after another without batching) +
//! bytes / bandwidth, exactly; GraphQL's N+1 (1 + N per level below the first) and batching (one
//! query per level); round trips (GraphQL 1, REST and gRPC one per level); monotone in RTT, items,
//! depth and bandwidth; and no input, however extreme, gives NaN, infinity or a negative number.

mod common;

use common::close;
use model::api::*;
use model::api::{api_change, api_params, API_ROUNDTRIPS};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Worked examples
// ---------------------------------------------------------------------------------------------

/// The default screen (20 items, 3 levels, 100 ms, 10 Mbit/s, 30% of each record used), by hand:
/// JSON = 600 + 20·250 + 20·1,200 + 20·700 = 43,600 bytes; 41 requests of 100 bytes.
#[test]
fn the_mobile_screen_by_hand() {
    let r = analyse(&ApiParams::MOBILE);
    let rest = r.cost(Protocol::Rest);
    assert_eq!((rest.round_trips, rest.requests, rest.backend_queries), (3, 41, 41));
    assert!(close(rest.bytes, 43_600.0 + 4_100.0, 1e-9), "{}", rest.bytes);
    // 47,700 bytes at 10 Mbit/s = 38.16 ms; + 3 × 100 ms + 3 × 1 ms.
    assert!(close(rest.latency_ms, 341.16, 1e-9), "{}", rest.latency_ms);

    let grpc = r.cost(Protocol::Grpc);
    assert_eq!((grpc.round_trips, grpc.requests, grpc.backend_queries), (3, 41, 41));
    assert!(close(grpc.bytes, 17_440.0 + 4_100.0, 1e-9), "{}", grpc.bytes);
    assert!(close(grpc.latency_ms, 300.0 + 3.0 + 17.232, 1e-9), "{}", grpc.latency_ms);

    let gql = r.cost(Protocol::GraphQl);
    assert_eq!((gql.round_trips, gql.requests, gql.backend_queries), (1, 1, 41));
    // 30% of 43,600 + 3 levels × 150 bytes of query + one request's 100 bytes.
    assert!(close(gql.bytes, 13_080.0 + 450.0 + 100.0, 1e-9), "{}", gql.bytes);
    // Without batching its 41 resolver queries run one after another: 41 ms on the server.
    assert!(close(gql.server_ms, 41.0, 1e-9), "{}", gql.server_ms);
    assert!(close(gql.latency_ms, 100.0 + 41.0 + 10.904, 1e-9), "{}", gql.latency_ms);

    assert_eq!(r.fastest, Protocol::GraphQl);
    assert_eq!(
        r.verdict,
        "GraphQL is fastest for this screen (152 ms): one round trip instead of gRPC's 3 at 100 ms each. \
         Without batching, the GraphQL server runs 41 database queries per screen one after another \
         (the N+1 problem: 41 ms of server time); batching makes it 3 (3 ms)."
    );
}

/// (items, depth, rtt, Mbit/s, share used, compound, batching) → fastest protocol.
type Case = (u32, u32, f64, f64, f64, bool, bool, Protocol);
const WINNERS: &[Case] = &[
    (20, 3, 100.0, 10.0, 0.3, false, false, Protocol::GraphQl),
    // In the datacentre with every field needed, round trips are cheap and protobuf is small.
    (100, 4, 1.0, 1.0, 1.0, false, false, Protocol::Grpc),
    (100, 4, 1.0, 10.0, 1.0, false, false, Protocol::Grpc),
    // One level: one round trip everywhere; GraphQL's smaller payload wins at 30%...
    (20, 1, 100.0, 10.0, 0.3, false, false, Protocol::GraphQl),
    // ...and protobuf's when every field is used.
    (20, 1, 100.0, 10.0, 1.0, false, false, Protocol::Grpc),
    // A compound REST response matches GraphQL's round trip; with every field used it carries
    // no query document, so it is a hair smaller.
    (20, 3, 100.0, 10.0, 1.0, true, false, Protocol::Rest),
    // With 30% of each record used GraphQL's payload is smaller, but without batching its 41
    // resolvers one after another cost 38 ms more than the compound response's 3 queries...
    (20, 3, 100.0, 10.0, 0.3, true, false, Protocol::Rest),
    // ...and batched, GraphQL wins.
    (20, 3, 100.0, 10.0, 0.3, true, true, Protocol::GraphQl),
];

#[test]
fn who_wins_where() {
    for &(items, depth, rtt_ms, bandwidth_mbps, used_share, rest_compound, graphql_batching, want) in WINNERS {
        let p = ApiParams { items, depth, rtt_ms, bandwidth_mbps, used_share, rest_compound, graphql_batching };
        let r = analyse(&p);
        assert_eq!(r.fastest, want, "{p:?}: {}", r.verdict);
        assert!(r.verdict.starts_with(want.label()), "{}", r.verdict);
        let best = r.costs.iter().map(|c| c.latency_ms).fold(f64::INFINITY, f64::min);
        assert_eq!(r.cost(want).latency_ms, best);
    }
}

#[test]
fn verdict_explains_the_reason() {
    // gRPC wins with more round trips: the verdict says what it saves.
    let r = analyse(&ApiParams {
        items: 100,
        depth: 4,
        rtt_ms: 1.0,
        bandwidth_mbps: 1.0,
        used_share: 1.0,
        graphql_batching: true,
        ..ApiParams::MOBILE
    });
    assert!(r.verdict.contains("it makes 4 round trips to GraphQL's 1"), "{}", r.verdict);
    assert!(r.verdict.contains("saves on the wire"), "{}", r.verdict);
    // Same round trips: the verdict compares bytes; a near tie says so.
    let r = analyse(&ApiParams { used_share: 1.0, ..ApiParams::TAILORED });
    assert!(
        r.verdict.contains("one round trip, like GraphQL, with 43.7 KB on the wire instead of 44.2 KB"),
        "{}",
        r.verdict
    );
    assert!(r.verdict.contains("GraphQL is only 0.4 ms behind"), "{}", r.verdict);
    // In the datacentre a round trip costs 1 ms: GraphQL's 41 resolvers one after another cost
    // more than REST's and gRPC's three round trips; gRPC leads REST by too little to matter.
    let dc = analyse(&ApiParams::DATACENTRE);
    assert_eq!(dc.fastest, Protocol::Grpc, "{}", dc.verdict);
    assert!(dc.verdict.contains("REST is only 0.2 ms behind"), "{}", dc.verdict);
    assert!(dc.verdict.contains("41 ms of server time"), "{}", dc.verdict);
    // Batched, GraphQL's one round trip leads again, still by too little to matter.
    let dc = analyse(&ApiParams { graphql_batching: true, ..ApiParams::DATACENTRE });
    assert_eq!(dc.fastest, Protocol::GraphQl);
    assert!(dc.verdict.contains("gRPC is only 2.1 ms behind"), "{}", dc.verdict);
    assert!(!analyse(&ApiParams::MOBILE).verdict.contains("behind"));
    // A chatty protocol can beat GraphQL's one round trip on server time alone: at 10 ms round
    // trips gRPC's 3 cost 30 ms, GraphQL's 41 resolvers one after another 41 ms.
    let r10 = analyse(&ApiParams { rtt_ms: 10.0, ..ApiParams::MOBILE });
    assert_eq!(r10.fastest, Protocol::Grpc);
    assert!(
        r10.verdict.contains(
            "it makes 3 round trips to GraphQL's 1, but at 10 ms each they cost less than GraphQL's resolvers run one after another (41 ms of server time against 3 ms)."
        ),
        "{}",
        r10.verdict
    );
    // A compound REST response beats unbatched GraphQL despite its bytes.
    let rc = analyse(&ApiParams { rest_compound: true, ..ApiParams::MOBILE });
    assert!(
        rc.verdict.starts_with(
            "REST is fastest for this screen (138 ms): one round trip, like GraphQL, and more on the wire (43.7 KB against 13.6 KB), but GraphQL's resolvers run one after another (41 ms of server time against 3 ms)."
        ),
        "{}",
        rc.verdict
    );
    // With batching there is no N+1 sentence.
    assert!(!r.verdict.contains("N+1"), "{}", r.verdict);
    // Datacentre numbers print with a decimal below 10 ms.
    use model::fmt::{bytes, ms};
    assert_eq!(ms(4.26), "4.3 ms");
    assert_eq!(ms(341.16), "341 ms");
    assert_eq!(ms(12_345.0), "12 s");
    assert_eq!(bytes(47_700.0), "47.7 KB");
    assert_eq!(ms(f64::NAN), "0 ms");
}

// ---------------------------------------------------------------------------------------------
// Closed forms
// ---------------------------------------------------------------------------------------------

#[test]
fn n_plus_one_and_batching() {
    for depth in 1..=4 {
        for items in [1, 2, 7, 50, 100] {
            let p = ApiParams { items, depth, ..ApiParams::MOBILE };
            let plain = protocol_cost(&p, Protocol::GraphQl).backend_queries;
            let batched = protocol_cost(&ApiParams { graphql_batching: true, ..p }, Protocol::GraphQl).backend_queries;
            // 1 for the order and its items, then N per extra level.
            assert_eq!(plain, 1 + items * (depth - 1), "items {items}, depth {depth}");
            assert_eq!(batched, depth, "one per level");
            // Chatty REST and gRPC push the same loop onto the client.
            assert_eq!(protocol_cost(&p, Protocol::Rest).requests, plain);
            assert_eq!(protocol_cost(&p, Protocol::Grpc).backend_queries, plain);
            let compound = protocol_cost(&ApiParams { rest_compound: true, ..p }, Protocol::Rest);
            assert_eq!((compound.round_trips, compound.requests, compound.backend_queries), (1, 1, depth));
        }
    }
}

#[test]
fn tree_sizes() {
    assert_eq!(tree_json_bytes(20, 1), 5_600.0);
    assert_eq!(tree_json_bytes(20, 4), 5_600.0 + 24_000.0 + 14_000.0 + 8_000.0);
    assert_eq!(level_json_bytes(0, 20), 0.0);
    assert_eq!(per_record_requests(100, 4), 301);
    assert_eq!(per_record_requests(5, 1), 1);
    assert_eq!(transfer_ms(1_250.0, 1.0), 10.0);
    assert_eq!(transfer_ms(f64::NAN, 1.0), 0.0);
}

fn latency_closed_form(c: &ProtocolCost, p: &ApiParams) -> f64 {
    // GraphQL's backend queries are its server's sequence of hops (one per level when batched);
    // REST and gRPC requests of one level are served in parallel, one hop per level.
    let hops = if c.protocol == Protocol::GraphQl { c.backend_queries } else { p.depth };
    c.round_trips as f64 * p.rtt_ms + hops as f64 * SERVER_HOP_MS + c.bytes * 8.0 / (p.bandwidth_mbps * 1_000.0)
}

/// The N+1 problem in time: (items, depth) → GraphQL server ms with resolvers one after another,
/// and batched (one query per level, DataLoader).
const SERVER_TIMES: &[(u32, u32, f64, f64)] =
    &[(20, 3, 41.0, 3.0), (100, 4, 301.0, 4.0), (50, 2, 51.0, 2.0), (1, 1, 1.0, 1.0), (100, 1, 1.0, 1.0)];

#[test]
fn sequential_resolvers_cost_a_hop_per_record() {
    for &(items, depth, serial, batched) in SERVER_TIMES {
        let p = ApiParams { items, depth, ..ApiParams::MOBILE };
        assert_eq!(graphql_server_ms(&p, false), serial, "items {items}, depth {depth}");
        assert_eq!(graphql_server_ms(&p, true), batched, "items {items}, depth {depth}");
        // Batching saves exactly the difference in latency; the client's round trips are the same.
        let a = protocol_cost(&p, Protocol::GraphQl);
        let b = protocol_cost(&ApiParams { graphql_batching: true, ..p }, Protocol::GraphQl);
        assert!(close(a.latency_ms - b.latency_ms, serial - batched, 1e-9), "{a:?} {b:?}");
        // REST and gRPC requests of one level are served in parallel: one hop per level.
        assert_eq!(protocol_cost(&p, Protocol::Rest).server_ms, depth as f64);
    }
}

// ---------------------------------------------------------------------------------------------
// The spec
// ---------------------------------------------------------------------------------------------

#[test]
fn spec_defaults_and_presets_are_the_model_presets() {
    assert_eq!(api_params(&API_ROUNDTRIPS.defaults()), ApiParams::MOBILE);
    for (name, want) in ApiParams::PRESETS {
        let (st, notes) = API_ROUNDTRIPS.parse_query(&format!("preset={name}"));
        assert!(notes.is_empty());
        assert_eq!(api_params(&st), want, "{name}");
    }
    let (st, _) = API_ROUNDTRIPS.parse_query("change=rename&items=1000&rtt=-4");
    assert_eq!(api_change(&st), Change::RenameField);
    assert_eq!(api_params(&st).items, 100);
    assert_eq!(api_params(&st).rtt_ms, 1.0);
}

#[test]
fn only_additions_are_safe() {
    for c in Change::ALL {
        let k = compatibility(c);
        assert_eq!(k.breaks_existing_clients, c != Change::AddOptionalField, "{c:?}");
        assert!(!k.effect.is_empty() && !k.safe_path.is_empty());
    }
    assert!(compatibility(Change::RemoveField).safe_path.contains("reserve"));
    assert!(compatibility(Change::RenameField).safe_path.contains("deprecated"));
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

fn any_params() -> impl Strategy<Value = ApiParams> {
    (1u32..=100, 1u32..=4, 1.0f64..500.0, 1.0f64..1_000.0, 0.1f64..=1.0, any::<bool>(), any::<bool>()).prop_map(
        |(items, depth, rtt_ms, bandwidth_mbps, used_share, rest_compound, graphql_batching)| ApiParams {
            items,
            depth,
            rtt_ms,
            bandwidth_mbps,
            used_share,
            rest_compound,
            graphql_batching,
        },
    )
}

fn wild() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(0.0),
        Just(-1.0),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        -1e12f64..1e12,
    ]
}

proptest! {
    #[test]
    fn latency_is_exactly_the_closed_form(p in any_params()) {
        let r = analyse(&p);
        for c in &r.costs {
            prop_assert!(close(c.latency_ms, latency_closed_form(c, &p), 1e-9), "{:?}", c);
        }
        // GraphQL: one round trip; REST and gRPC: one per level unless REST is compound.
        prop_assert_eq!(r.cost(Protocol::GraphQl).round_trips, 1);
        prop_assert_eq!(r.cost(Protocol::Grpc).round_trips, p.depth);
        prop_assert_eq!(r.cost(Protocol::Rest).round_trips, if p.rest_compound { 1 } else { p.depth });
        // With round trips and server hops equal, protobuf's smaller payload always wins over REST.
        if !p.rest_compound {
            prop_assert!(r.cost(Protocol::Grpc).latency_ms < r.cost(Protocol::Rest).latency_ms);
        }
    }

    #[test]
    fn slower_networks_and_bigger_screens_never_load_faster(p in any_params(), dr in 0.0f64..200.0, di in 0u32..50, dd in 0u32..3, k in 1.0f64..10.0) {
        let base = analyse(&p);
        let worse = [
            ApiParams { rtt_ms: p.rtt_ms + dr, ..p },
            ApiParams { items: (p.items + di).min(100), ..p },
            ApiParams { depth: (p.depth + dd).min(4), ..p },
            ApiParams { bandwidth_mbps: p.bandwidth_mbps / k, ..p },
        ];
        for q in worse {
            let r = analyse(&q);
            for (a, b) in base.costs.iter().zip(&r.costs) {
                prop_assert!(b.latency_ms >= a.latency_ms - 1e-9, "{:?} → {:?}", a, b);
                prop_assert!(b.bytes >= a.bytes - 1e-9);
            }
        }
        // Asking for more of each record never makes GraphQL cheaper; REST and gRPC do not care.
        let more = analyse(&ApiParams { used_share: 1.0, ..p });
        prop_assert!(more.cost(Protocol::GraphQl).bytes >= base.cost(Protocol::GraphQl).bytes);
        prop_assert_eq!(more.cost(Protocol::Grpc), base.cost(Protocol::Grpc));
        // More round-trip time widens GraphQL's lead over chatty protocols, never narrows it.
        let far = analyse(&ApiParams { rtt_ms: p.rtt_ms + dr, ..p });
        let lead = |r: &ApiReport| r.cost(Protocol::Grpc).latency_ms - r.cost(Protocol::GraphQl).latency_ms;
        prop_assert!(lead(&far) >= lead(&base) - 1e-9);
    }

    #[test]
    fn any_input_gives_finite_non_negative_numbers(
        items in any::<u32>(), depth in any::<u32>(), rtt in wild(), bw in wild(), used in wild(),
        compound in any::<bool>(), batching in any::<bool>(),
    ) {
        let p = ApiParams { items, depth, rtt_ms: rtt, bandwidth_mbps: bw, used_share: used, rest_compound: compound, graphql_batching: batching };
        let r = analyse(&p);
        for c in &r.costs {
            for x in [c.bytes, c.transfer_ms, c.latency_ms] {
                prop_assert!(x.is_finite() && x >= 0.0, "{:?} from {:?}", c, p);
            }
            prop_assert!(c.round_trips >= 1 && c.round_trips <= 4);
            prop_assert!(c.backend_queries >= 1 && c.backend_queries <= 301);
        }
        prop_assert!(!r.verdict.contains("NaN") && !r.verdict.contains("inf"));
        prop_assert_eq!(r, analyse(&p.clamped()));
    }
}
