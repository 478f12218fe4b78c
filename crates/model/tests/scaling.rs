//! The scaling model: USL golden values, the exact crossover against a brute-force scan, monotone
//! costs, the recommendation rules, and a property test that no input (in range, out of range, NaN
//! or infinite) produces NaN or infinity.

use model::scaling::Strategy;
use model::scaling::*;
use proptest::prelude::*;
use proptest::strategy::Strategy as Gen;

// ---------------------------------------------------------------------------------------------
// Universal Scalability Law
// ---------------------------------------------------------------------------------------------

/// (n, alpha, beta, expected relative capacity), ±0.01.
const USL_GOLDEN: &[(f64, f64, f64, f64)] = &[
    (8.0, 0.05, 0.001, 5.69),
    (16.0, 0.05, 0.001, 8.04),
    (32.0, 0.05, 0.001, 9.03),
    (64.0, 0.05, 0.001, 7.82),
    (128.0, 0.05, 0.001, 5.42),
    (1.0, 0.05, 0.001, 1.0),
    (1.0, 0.3, 0.02, 1.0),
    (10.0, 0.0, 0.0, 10.0),
    // beta = 0 is Amdahl's law: capacity tends to 1 / alpha.
    (1_000_000.0, 0.05, 0.0, 20.0),
    (1_000_000.0, 0.1, 0.0, 10.0),
];

#[test]
fn usl_golden_values() {
    for &(n, a, b, want) in USL_GOLDEN {
        let got = usl(n, a, b);
        assert!((got - want).abs() <= 0.01, "usl({n}, {a}, {b}) = {got}, want {want}");
    }
}

#[test]
fn usl_peak_golden() {
    let peak = usl_peak(0.05, 0.001).unwrap();
    assert!((peak - 30.8).abs() < 0.05, "{peak}");
    assert_eq!(usl_peak(0.05, 0.0), None);
    assert_eq!(usl_peak(0.0, 0.0), None);
    // The peak is a maximum: both neighbours are lower.
    let (a, b) = (0.05, 0.001);
    assert!(usl(peak, a, b) > usl(peak - 1.0, a, b) && usl(peak, a, b) > usl(peak + 1.0, a, b));
    // The contended preset's fleet peaks at the integer next to it and falls after.
    let p = ScalingParams::CONTENDED;
    assert_eq!(best_fleet_nodes(&p), 31);
    let curve = throughput_curve(&p, 60);
    let top = curve.iter().map(|&(_, r)| r).fold(0.0, f64::max);
    assert_eq!(curve[30].1, top);
    assert!(curve[59].1 < top);
    assert_eq!(analyse(&p).max_horizontal_rps, top);
}

// ---------------------------------------------------------------------------------------------
// The ladder and the fleet
// ---------------------------------------------------------------------------------------------

#[test]
fn ladder_shape() {
    let p = ScalingParams::ILLUSTRATIVE;
    // Linear up to the knee, sub-linear above.
    assert_eq!(box_rps(&p, 16), 2.0 * box_rps(&p, 8));
    assert_eq!(box_rps(&p, 32), 3_200.0);
    assert!(box_rps(&p, 64) < 2.0 * box_rps(&p, 32));
    assert!(box_rps(&p, 192) < 192.0 * p.rps_per_vcpu * 0.75);
    // No premium up to 64 vCPUs, the full premium at 192.
    let per_vcpu = p.price_per_vcpu_hour * HOURS_PER_MONTH;
    assert!((instance_monthly(&p, 64) - 64.0 * per_vcpu).abs() < 0.01);
    assert!((instance_monthly(&p, 192) - 192.0 * per_vcpu * (1.0 + p.large_premium)).abs() < 0.01);
    // The ceiling.
    assert_eq!(max_vertical_rps(&p), box_rps(&p, 192));
    assert!(!cheapest_vertical(&p, max_vertical_rps(&p) + 1.0).is_possible());
    match cheapest_vertical(&p, 3_000.0) {
        Plan::Vertical { vcpus, memory_gib, .. } => assert_eq!((vcpus, memory_gib), (32, 128)),
        other => panic!("{other:?}"),
    }
    // Past the fleet's peak, no fleet.
    let c = ScalingParams::CONTENDED;
    assert!(!cheapest_horizontal(&c, max_horizontal_rps(&c) + 1.0).is_possible());
    assert!(cheapest_horizontal(&c, max_horizontal_rps(&c)).is_possible());
}

// ---------------------------------------------------------------------------------------------
// Crossover == brute force
// ---------------------------------------------------------------------------------------------

fn winner_at(p: &ScalingParams, load: f64) -> Option<Strategy> {
    match (cheapest_horizontal(p, load).monthly(), cheapest_vertical(p, load).monthly()) {
        (Some(h), Some(v)) if h < v => Some(Strategy::Horizontal),
        (Some(h), Some(v)) if v < h => Some(Strategy::Vertical),
        (Some(_), None) => Some(Strategy::Horizontal),
        (None, Some(_)) => Some(Strategy::Vertical),
        _ => None,
    }
}

/// Scans every whole load from 1 req/s to a little past the most either strategy can serve and
/// checks the crossover, the regions and `fleet_wins_from` against it.
fn check_against_brute_force(p: &ScalingParams) {
    let top = max_vertical_rps(p).max(max_horizontal_rps(p)) as u64 + 3;
    let regions = cost_regions(p);
    let mut first_fleet_win = None;
    let mut last_change = 1.0;
    let mut prev = None;
    for l in 1..=top {
        let l = l as f64;
        let w = winner_at(p, l);
        if w == Some(Strategy::Horizontal) && first_fleet_win.is_none() {
            first_fleet_win = Some(l);
        }
        if l > 1.0 && w != prev && w.is_some() {
            last_change = l;
        }
        if w.is_some() {
            // Every load either can serve lies in exactly one region, with the same answer.
            let r: Vec<_> = regions.iter().filter(|r| r.from_rps <= l && l <= r.to_rps).collect();
            assert_eq!(r.len(), 1, "{p:?} load {l}");
            assert_eq!(r[0].cheaper, w, "{p:?} load {l}");
        }
        prev = w;
    }
    assert_eq!(crossover(p), first_fleet_win, "{p:?}");
    assert_eq!(analyse(p).crossover_rps, first_fleet_win, "{p:?}");
    let last = regions.last().unwrap();
    let wins_from = (last.cheaper == Some(Strategy::Horizontal)).then_some(last_change);
    assert_eq!(fleet_wins_from(p), wins_from, "{p:?}");
    // Regions tile 1..=top-of-the-served-range without gaps.
    assert_eq!(regions[0].from_rps, 1.0);
    for w in regions.windows(2) {
        assert_eq!(w[0].to_rps + 1.0, w[1].from_rps);
        assert_ne!(w[0].cheaper, w[1].cheaper);
    }
}

#[test]
fn crossover_equals_brute_force() {
    let base = ScalingParams::ILLUSTRATIVE;
    let sets = [
        base,
        ScalingParams::CONTENDED,
        ScalingParams::COSTLY_OPS,
        // Amdahl: no peak, the fleet tends to 1/alpha nodes' worth.
        ScalingParams { alpha: 0.05, beta: 0.0, ..base },
        // Free operations and load balancer: prices tie node for vCPU.
        ScalingParams { ops_per_node_monthly: 0.0, lb_monthly: 0.0, ..base },
        // An expensive load balancer: a box wins until its ceiling.
        ScalingParams { lb_monthly: 10_000.0, ..base },
        // Tiny nodes, steep premium.
        ScalingParams { node_vcpus: 1, large_premium: 1.0, rps_per_vcpu: 20.0, ..base },
        // Big nodes, above the knee.
        ScalingParams { node_vcpus: 64, rps_per_vcpu: 10.0, ..base },
        // Heavy crosstalk: a fleet peaks after a handful of nodes.
        ScalingParams { alpha: 0.3, beta: 0.05, ..base },
        // Linear scaling up to the node limit, small per-node throughput.
        ScalingParams { alpha: 0.0, beta: 0.0, rps_per_vcpu: 5.0, node_vcpus: 2, ..base },
    ];
    for p in sets {
        check_against_brute_force(&p);
    }
    // The illustrative story: a box up to the 64-vCPU size, a fleet at every load past 9,700.
    assert_eq!(crossover(&base), Some(box_rps(&base, 64) + 1.0));
    assert_eq!(fleet_wins_from(&base), Some(box_rps(&base, 128) + 1.0));
    // With a $10,000 load balancer the box wins until it runs out.
    let lb = ScalingParams { lb_monthly: 10_000.0, ..base };
    assert_eq!(crossover(&lb), Some(max_vertical_rps(&lb) + 1.0));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Random small-capacity parameter sets (so the scan stays short), same check.
    #[test]
    fn crossover_equals_brute_force_random(
        alpha in 0.02f64..0.5,
        beta in prop_oneof![Just(0.0), 0.0f64..0.05],
        node_vcpus in 1u32..=16,
        rps_per_vcpu in 1.0f64..20.0,
        price in 0.001f64..1.0,
        premium in 0.0f64..1.0,
        lb in 0.0f64..2_000.0,
        ops in 0.0f64..2_000.0,
    ) {
        let p = ScalingParams {
            target_rps: 100.0,
            alpha,
            beta,
            node_vcpus,
            rps_per_vcpu,
            price_per_vcpu_hour: price,
            large_premium: premium,
            lb_monthly: lb,
            ops_per_node_monthly: ops,
        };
        check_against_brute_force(&p);
    }
}

// ---------------------------------------------------------------------------------------------
// Monotone costs
// ---------------------------------------------------------------------------------------------

/// Costs never fall as the load grows, and once a strategy cannot serve a load it cannot serve any
/// larger one.
fn check_monotone(p: &ScalingParams) {
    let max_load = 1.2 * max_vertical_rps(p).max(max_horizontal_rps(p));
    let (v, h) = cost_curves(p, max_load, 2_000);
    assert_eq!(v.len(), 2_000);
    for curve in [&v, &h] {
        for w in curve.windows(2) {
            assert!(w[0].0 < w[1].0);
            match (w[0].1, w[1].1) {
                (Some(a), Some(b)) => assert!(a <= b, "{p:?}: {w:?}"),
                (None, Some(_)) => panic!("{p:?}: possible again after impossible: {w:?}"),
                _ => {}
            }
        }
        assert!(curve.last().unwrap().1.is_none(), "{p:?}: 120% of the maximum is still served");
    }
    // The exact steps are increasing too.
    for opts in [vertical_options(p), horizontal_options(p)] {
        for w in opts.windows(2) {
            assert!(w[0].monthly() < w[1].monthly());
            assert!(w[0].capacity_rps() <= w[1].capacity_rps());
        }
    }
}

#[test]
fn costs_are_monotone_in_load() {
    for (_, p) in ScalingParams::PRESETS {
        check_monotone(&p);
    }
    check_monotone(&ScalingParams { alpha: 0.0, beta: 0.0, ..ScalingParams::ILLUSTRATIVE });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn costs_are_monotone_random(p in in_range_params()) {
        check_monotone(&p);
    }
}

// ---------------------------------------------------------------------------------------------
// No NaN or infinity, anywhere
// ---------------------------------------------------------------------------------------------

/// A value inside the range most of the time, otherwise anything: out of range, NaN, ±infinity.
fn wild((lo, hi): (f64, f64)) -> BoxedStrategy<f64> {
    prop_oneof![
        6 => lo..=hi,
        1 => any::<f64>(),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(hi * 10.0),
        1 => Just(-1.0),
    ]
    .boxed()
}

fn wild_u((lo, hi): (u32, u32)) -> BoxedStrategy<u32> {
    prop_oneof![4 => lo..=hi, 1 => any::<u32>(), 1 => Just(0u32)].boxed()
}

fn wild_params() -> impl Gen<Value = ScalingParams> {
    (
        (wild(ranges::TARGET_RPS), wild(ranges::ALPHA), wild(ranges::BETA), wild_u(ranges::NODE_VCPUS)),
        (wild(ranges::RPS_PER_VCPU), wild(ranges::PRICE_PER_VCPU_HOUR), wild(ranges::LARGE_PREMIUM)),
        (wild(ranges::LB_MONTHLY), wild(ranges::OPS_PER_NODE_MONTHLY)),
    )
        .prop_map(|((target_rps, alpha, beta, node_vcpus), (rps_per_vcpu, price, premium), (lb, ops))| {
            ScalingParams {
                target_rps,
                alpha,
                beta,
                node_vcpus,
                rps_per_vcpu,
                price_per_vcpu_hour: price,
                large_premium: premium,
                lb_monthly: lb,
                ops_per_node_monthly: ops,
            }
        })
}

fn in_range_params() -> impl Gen<Value = ScalingParams> {
    wild_params().prop_map(|p| p.clamped())
}

fn wild_situation() -> impl Gen<Value = Situation> {
    (
        proptest::sample::select(Bottleneck::ALL.to_vec()),
        proptest::sample::select(Stage::ALL.to_vec()),
        wild_u(ranges::TEAM_SIZE),
        wild(ranges::TARGET_RPS),
        wild(ranges::PEAK_TO_AVERAGE),
        any::<bool>(),
        wild(ranges::READ_FRACTION),
    )
        .prop_map(|(bottleneck, stage, team_size, load_rps, peak_to_average, ha, rf)| Situation {
            bottleneck,
            stage,
            team_size,
            load_rps,
            peak_to_average,
            needs_high_availability: ha,
            read_fraction: rf,
        })
}

fn plan_finite(plan: &Plan) -> bool {
    match plan {
        Plan::Vertical { monthly, capacity_rps, .. } | Plan::Horizontal { monthly, capacity_rps, .. } => {
            monthly.is_finite() && capacity_rps.is_finite() && *monthly > 0.0 && *capacity_rps >= 0.0
        }
        Plan::Impossible { reason } => clean_text(reason),
    }
}

fn clean_text(s: &str) -> bool {
    !s.is_empty() && !s.contains("NaN") && !s.contains("inf") && !s.contains('∞')
}

fn within<T: PartialOrd>(x: T, (lo, hi): (T, T)) -> bool {
    lo <= x && x <= hi
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn clamping_lands_in_the_declared_ranges(p in wild_params()) {
        let c = p.clamped();
        prop_assert!(within(c.target_rps, ranges::TARGET_RPS));
        prop_assert!(within(c.alpha, ranges::ALPHA));
        prop_assert!(within(c.beta, ranges::BETA));
        prop_assert!(within(c.node_vcpus, ranges::NODE_VCPUS));
        prop_assert!(within(c.rps_per_vcpu, ranges::RPS_PER_VCPU));
        prop_assert!(within(c.price_per_vcpu_hour, ranges::PRICE_PER_VCPU_HOUR));
        prop_assert!(within(c.large_premium, ranges::LARGE_PREMIUM));
        prop_assert!(within(c.lb_monthly, ranges::LB_MONTHLY));
        prop_assert!(within(c.ops_per_node_monthly, ranges::OPS_PER_NODE_MONTHLY));
        prop_assert_eq!(c.clamped(), c);
    }

    #[test]
    fn analyse_never_produces_nan_or_infinity(p in wild_params()) {
        let r = analyse(&p);
        prop_assert!(plan_finite(&r.vertical) && plan_finite(&r.horizontal), "{:?}", r);
        for x in [r.max_horizontal_rps, r.max_vertical_rps] {
            prop_assert!(x.is_finite() && x > 0.0);
        }
        for x in [r.crossover_rps, r.usl_peak_nodes, r.savings, r.fleet_wins_from_rps].into_iter().flatten() {
            prop_assert!(x.is_finite() && x >= 0.0);
        }
        if let Some(s) = r.savings {
            prop_assert!((0.0..1.0).contains(&s));
        }
        prop_assert!(clean_text(&r.summary), "{}", r.summary);
        prop_assert!(r.best_fleet_nodes >= 1 && r.best_fleet_nodes <= MAX_NODES);
        for reg in &r.regions {
            prop_assert!(reg.from_rps.is_finite() && reg.to_rps.is_finite() && reg.from_rps <= reg.to_rps);
        }
        let (v, h) = cost_curves(&p, p.target_rps, 50);
        for (l, c) in v.iter().chain(h.iter()) {
            prop_assert!(l.is_finite());
            prop_assert!(c.is_none_or(|c| c.is_finite()));
        }
        for (n, rps) in throughput_curve(&p, u32::MAX) {
            prop_assert!(n.is_finite() && rps.is_finite() && rps >= 0.0);
        }
        prop_assert!(plan_finite(&cheapest_vertical(&p, p.target_rps)));
        prop_assert!(plan_finite(&cheapest_horizontal(&p, p.target_rps)));
    }

    #[test]
    fn recommend_never_produces_nan_or_infinity(s in wild_situation(), p in wild_params()) {
        let r = recommend(&s, &p);
        prop_assert!(clean_text(&r.headline), "{}", r.headline);
        prop_assert!(!r.reasons.is_empty());
        for reason in &r.reasons {
            prop_assert!(clean_text(reason), "{}", reason);
        }
        prop_assert!(plan_finite(&r.vertical) && plan_finite(&r.horizontal));
    }

}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

#[test]
fn report_readout() {
    let p = ScalingParams { target_rps: 12_000.0, ..ScalingParams::ILLUSTRATIVE };
    let r = analyse(&p);
    assert_eq!(r.cheaper, Some(Strategy::Horizontal));
    let (v, h) = (r.vertical.monthly().unwrap(), r.horizontal.monthly().unwrap());
    assert!((r.savings.unwrap() - (1.0 - h / v)).abs() < 1e-12);
    assert!(r.summary.starts_with("At 12,000 req/s one 192-vCPU box costs $"), "{}", r.summary);
    assert!(r.summary.contains("Up to 5,571 req/s a single box (up to 64 vCPUs) is cheapest"), "{}", r.summary);
    assert!(r.summary.contains("past that, adding nodes lowers it"), "{}", r.summary);

    // Above the vertical ceiling.
    let r = analyse(&ScalingParams { target_rps: 20_000.0, ..ScalingParams::ILLUSTRATIVE });
    assert!(matches!(r.vertical, Plan::Impossible { .. }));
    assert_eq!((r.cheaper, r.savings), (Some(Strategy::Horizontal), None));
    assert!(r.summary.contains("no single box is big enough"), "{}", r.summary);

    // Above the fleet's USL peak.
    let r = analyse(&ScalingParams { target_rps: 8_000.0, ..ScalingParams::CONTENDED });
    assert!(matches!(r.horizontal, Plan::Impossible { .. }));
    assert_eq!(r.cheaper, Some(Strategy::Vertical));
    assert!(r.summary.contains("31 nodes"), "{}", r.summary);

    // Beyond both.
    let r = analyse(&ScalingParams { target_rps: 1_000_000.0, ..ScalingParams::ILLUSTRATIVE });
    assert_eq!((r.cheaper, r.savings), (None, None));
    assert!(r.summary.starts_with("Nothing here serves 1,000,000 req/s"), "{}", r.summary);

    // Amdahl's wording when beta = 0.
    let r = analyse(&ScalingParams { beta: 0.0, ..ScalingParams::CONTENDED });
    assert_eq!(r.usl_peak_nodes, None);
    assert!(r.summary.contains("Amdahl"), "{}", r.summary);
}

// ---------------------------------------------------------------------------------------------
// The recommendation
// ---------------------------------------------------------------------------------------------

use Bottleneck::*;
use Lever::*;
use Stage::*;

/// One case: (bottleneck, stage, team, peak load, peak/average, HA, read fraction, preset) → lever.
type Case = (Bottleneck, Stage, u32, f64, f64, bool, f64, ScalingParams, Lever);

/// The cases.
#[rustfmt::skip]
const RECOMMEND_CASES: &[Case] = &[
    // CPU-bound, stateless.
    (CpuBound, EarlyStartup, 3, 8_000.0, 1.5, false, 0.9, ScalingParams::ILLUSTRATIVE, ScaleUp),    // early + fits the ladder
    (CpuBound, Growing, 2, 8_000.0, 1.5, false, 0.9, ScalingParams::ILLUSTRATIVE, ScaleUp),         // small team + fits
    (CpuBound, EarlyStartup, 3, 20_000.0, 1.5, false, 0.9, ScalingParams::ILLUSTRATIVE, ScaleOut),  // early, but past the ceiling
    (CpuBound, Growing, 8, 1_000.0, 1.5, false, 0.9, ScalingParams::ILLUSTRATIVE, ScaleUp),         // box cheaper
    (CpuBound, Growing, 8, 12_000.0, 1.5, false, 0.9, ScalingParams::ILLUSTRATIVE, ScaleOut),       // past the crossover
    (CpuBound, Large, 40, 3_000.0, 1.5, false, 0.9, ScalingParams::ILLUSTRATIVE, ScaleUp),          // box cheaper...
    (CpuBound, Large, 40, 3_000.0, 1.5, true, 0.9, ScalingParams::ILLUSTRATIVE, ScaleOut),          // ...until it needs a standby
    (CpuBound, Large, 40, 8_000.0, 5.0, true, 0.9, ScalingParams::ILLUSTRATIVE, Autoscale),         // spiky load
    (CpuBound, EarlyStartup, 3, 20_000.0, 5.0, false, 0.9, ScalingParams::ILLUSTRATIVE, Autoscale), // spiky, past the ceiling
    (CpuBound, Growing, 8, 8_000.0, 1.5, false, 0.9, ScalingParams::CONTENDED, ScaleUp),            // past the USL peak
    (CpuBound, Growing, 8, 50_000.0, 1.5, false, 0.9, ScalingParams::ILLUSTRATIVE, ScaleOut),       // nothing reaches it
    // Memory, I/O, contention.
    (MemoryBound, Growing, 8, 8_000.0, 1.5, false, 0.9, ScalingParams::ILLUSTRATIVE, ScaleUp),
    (MemoryBound, Large, 40, 20_000.0, 1.5, true, 0.9, ScalingParams::ILLUSTRATIVE, Shard),
    (IoBound, Growing, 8, 8_000.0, 1.5, false, 0.9, ScalingParams::ILLUSTRATIVE, AddCache),
    (IoBound, Large, 40, 50_000.0, 5.0, true, 0.2, ScalingParams::ILLUSTRATIVE, AddCache),
    (SharedStateContention, Growing, 8, 8_000.0, 1.5, false, 0.9, ScalingParams::CONTENDED, ScaleUp),
    (SharedStateContention, Large, 40, 12_000.0, 5.0, true, 0.9, ScalingParams::ILLUSTRATIVE, ScaleUp),
    (SharedStateContention, Large, 40, 20_000.0, 1.5, false, 0.9, ScalingParams::ILLUSTRATIVE, Shard),
    // Single-node database: up, then replicas for read-heavy, shard last.
    (SingleNodeDatabase, Large, 40, 8_000.0, 5.0, true, 0.9, ScalingParams::ILLUSTRATIVE, ScaleUp),
    (SingleNodeDatabase, Growing, 8, 20_000.0, 1.5, false, 0.9, ScalingParams::ILLUSTRATIVE, ReadReplicas),
    (SingleNodeDatabase, Growing, 8, 20_000.0, 1.5, false, 0.6, ScalingParams::ILLUSTRATIVE, ReadReplicas),
    (SingleNodeDatabase, Growing, 8, 20_000.0, 1.5, false, 0.4, ScalingParams::ILLUSTRATIVE, Shard), // write-heavy
    (SingleNodeDatabase, Growing, 8, 20_000.0, 1.5, false, 0.2, ScalingParams::ILLUSTRATIVE, Shard), // writes > largest box
    (SingleNodeDatabase, Large, 40, 100_000.0, 1.5, false, 0.99, ScalingParams::ILLUSTRATIVE, ReadReplicas),
];

#[test]
fn recommend_cases() {
    for (i, &(bottleneck, stage, team_size, load_rps, peak_to_average, ha, read_fraction, p, want)) in
        RECOMMEND_CASES.iter().enumerate()
    {
        let s = Situation {
            bottleneck,
            stage,
            team_size,
            load_rps,
            peak_to_average,
            needs_high_availability: ha,
            read_fraction,
        };
        let r = recommend(&s, &p);
        assert_eq!(r.lever, want, "case {i}: {s:?}\n{}\n  {}", r.headline, r.reasons.join("\n  "));
        assert!(!r.reasons.is_empty() && !r.headline.is_empty());
        // The plans are the cost model's for the situation's load.
        let at = ScalingParams { target_rps: load_rps, ..p };
        assert_eq!(r.vertical, cheapest_vertical(&at, load_rps));
        assert_eq!(r.horizontal, cheapest_horizontal(&at, load_rps));
    }
}

#[test]
fn recommend_reasons_quote_the_cost_model() {
    let s = Situation { load_rps: 12_000.0, needs_high_availability: false, ..Situation::EXAMPLE };
    let r = recommend(&s, &ScalingParams::ILLUSTRATIVE);
    assert_eq!(r.lever, ScaleOut);
    let money = |plan: &Plan| format!("${}", model::fmt::grouped(plan.monthly().unwrap()));
    let text = r.reasons.join(" ");
    assert!(text.contains(&money(&r.vertical)) && text.contains(&money(&r.horizontal)), "{text}");
    assert!(text.contains("12,000 req/s"), "{text}");
}

#[test]
fn presets_and_assumptions() {
    assert!(ASSUMPTIONS.starts_with("Illustrative prices, November 2026"));
    for (name, p) in ScalingParams::PRESETS {
        assert_eq!(p.clamped(), p, "preset {name} outside the declared ranges");
    }
    assert_eq!(Situation::EXAMPLE.clamped(), Situation::EXAMPLE);
    assert_eq!(ScalingParams::default(), ScalingParams::ILLUSTRATIVE);
    // NaN goes to the low end.
    let p = ScalingParams { alpha: f64::NAN, target_rps: f64::NAN, ..ScalingParams::ILLUSTRATIVE }.clamped();
    assert_eq!((p.alpha, p.target_rps), (ranges::ALPHA.0, ranges::TARGET_RPS.0));
}
