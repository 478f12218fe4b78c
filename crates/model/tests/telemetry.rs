//! The telemetry model against theory: series are the exact product of label cardinalities,
//! volumes are linear in rate and retention, `1 − (1 − s·e)^n` agrees with a seeded Monte Carlo,
//! more sampling never lowers the chance of keeping a failure, and no input (in range, out of
//! range, NaN or infinite) produces NaN or infinity.

mod common;

use common::close;
use model::telemetry::*;
use model::telemetry::{telemetry_params, TELEMETRY_BUDGET};
use proptest::prelude::*;

const P: TelemetryParams = TelemetryParams::ILLUSTRATIVE;

// ---------------------------------------------------------------------------------------------
// Cardinality
// ---------------------------------------------------------------------------------------------

/// (counters, histograms, buckets, endpoints, codes, instances, per-customer, customers, series).
/// The design's golden counts: `http_requests_total{method(4), status(5), route(50)}` is 1,000
/// series as a counter and 14,000 as a default histogram; with `pod(30)` 30,000 and 420,000; with
/// `user_id(10k)` 10,000,000 (here the fourth label is the model's per-customer one).
type SeriesCase = (u32, u32, u32, u32, u32, u32, bool, u32, u64);
const SERIES: &[SeriesCase] = &[
    (1, 0, 11, 50, 5, 4, false, 1, 1_000),
    (0, 1, 11, 50, 5, 4, false, 1, 14_000),
    (1, 0, 11, 50, 5, 4, true, 30, 30_000),
    (0, 1, 11, 50, 5, 4, true, 30, 420_000),
    (1, 0, 11, 50, 5, 4, true, 10_000, 10_000_000),
    // The widget's default: 9 counters and one latency histogram (14 series) per label set.
    (9, 1, 11, 20, 5, 10, false, 5_000, 23_000),
    (9, 1, 11, 20, 5, 10, true, 5_000, 115_000_000),
    // Ten plain counters: the count the article used to quote.
    (10, 0, 11, 20, 5, 10, false, 5_000, 10_000),
    // A histogram without buckets has no series; nothing at all still counts as one series.
    (2, 3, 0, 7, 11, 13, false, 99, 2_002),
    (0, 0, 0, 1, 1, 1, false, 1, 1),
    (1, 1, 1, 1, 1, 1, true, 7, 35),
    (10, 2, 40, 200, 20, 200, true, 100_000, 7_680_000_000_000),
];

#[test]
fn series_are_label_sets_times_series_per_set() {
    for &(counters, histograms, buckets, e, c, i, per, cust, want) in SERIES {
        let p = TelemetryParams {
            counters,
            histograms,
            buckets,
            endpoints: e,
            status_codes: c,
            instances: i,
            per_customer_label: per,
            customers: cust,
            ..P
        };
        let case = format!("{counters}+{histograms}×{buckets} × {e}×{c}×{i} customers {per}:{cust}");
        assert_eq!(active_series(&p), want, "{case}");
        assert_eq!(analyse(&p).active_series, want, "{case}");
        assert_eq!(label_sets(&p) * series_per_label_set(&p), want, "{case}");
    }
    assert_eq!(series_per_histogram(&P), 14, "11 default buckets + +Inf + _sum + _count");
    assert_eq!(series_math(&P), "1,000 label sets × (9 counters + 1 histogram × 14 series) = 23,000");
    let counters_only = TelemetryParams { histograms: 0, counters: 10, ..P };
    assert_eq!(series_math(&counters_only), "1,000 label sets × 10 metrics = 10,000");
    // Absurd inputs saturate instead of overflowing.
    let huge = TelemetryParams {
        counters: u32::MAX,
        histograms: u32::MAX,
        buckets: u32::MAX,
        endpoints: u32::MAX,
        status_codes: u32::MAX,
        instances: u32::MAX,
        per_customer_label: true,
        customers: u32::MAX,
        ..P
    };
    assert_eq!(active_series(&huge), u64::MAX);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn series_product_is_exact(counters in 0u32..50, histograms in 0u32..4, buckets in 0u32..40, e in 1u32..300, c in 1u32..30, i in 1u32..300, cust in 1u32..200_000, per in any::<bool>()) {
        let p = TelemetryParams { counters, histograms, buckets, endpoints: e, status_codes: c, instances: i, per_customer_label: per, customers: cust, ..P };
        let per_hist = if buckets == 0 { 0 } else { u128::from(buckets) + 3 };
        let per_set = (u128::from(counters) + u128::from(histograms) * per_hist).max(1);
        let want = per_set * u128::from(e) * u128::from(c) * u128::from(i) * if per { u128::from(cust) } else { 1 };
        prop_assert_eq!(u128::from(active_series(&p)), want);
        // Metric volume does not depend on the request rate; it is linear in the series.
        let q = TelemetryParams { rate_rps: P.rate_rps * 7.0, ..p };
        prop_assert_eq!(metric_bytes_per_day(&p), metric_bytes_per_day(&q));
        prop_assert!(close(metric_bytes_per_day(&p), want as f64 * 86_400.0 / p.scrape_interval_s * p.bytes_per_sample, 1e-12));
    }
}

// ---------------------------------------------------------------------------------------------
// Volumes and costs
// ---------------------------------------------------------------------------------------------

#[test]
fn illustrative_volumes_and_costs() {
    let r = analyse(&P);
    // Logs: 500 req/s × 86,400 s × 10 lines × 250 B = 108 GB a day.
    assert!(close(r.cost(Pillar::Logs).gb_per_day, 108.0, 1e-12));
    // Traces: 500 × 86,400 × 1% × 8 spans × 500 B = 1.728 GB a day.
    assert!(close(r.cost(Pillar::Traces).gb_per_day, 1.728, 1e-12));
    // Metrics: 23,000 series × 5,760 samples × 2 B = 0.26496 GB a day.
    assert!(close(r.cost(Pillar::Metrics).gb_per_day, 0.26496, 1e-12));
    // Costs: ingest over 30 days plus 15 days stored at $0.03 per GB-month.
    assert!(close(r.cost(Pillar::Logs).monthly, 108.0 * 30.0 * 0.5 + 108.0 * 15.0 * 0.03, 1e-12));
    assert!(close(r.cost(Pillar::Traces).monthly, 1.728 * 30.0 * 0.3 + 1.728 * 15.0 * 0.03, 1e-12));
    assert!(close(r.cost(Pillar::Metrics).monthly, 23_000.0 * 0.01 + 0.26496 * 15.0 * 0.03, 1e-12));
    let sum: f64 = r.costs.iter().map(|c| c.monthly).sum();
    assert!(close(r.total_monthly, sum, 1e-12));
    assert_eq!(r.costs.map(|c| c.pillar), Pillar::ALL);
    // Metrics are the smallest by volume; logs the dearest. Sampled traces cost less than the
    // metrics' fixed series price at this traffic, but not at a hundred times it.
    assert!(r.cost(Pillar::Metrics).gb_per_day < r.cost(Pillar::Traces).gb_per_day);
    assert!(r.cost(Pillar::Traces).monthly < r.cost(Pillar::Metrics).monthly);
    assert!(r.cost(Pillar::Metrics).monthly < r.cost(Pillar::Logs).monthly);
    let busy = analyse(&TelemetryParams { rate_rps: 50_000.0, ..P });
    assert!(busy.cost(Pillar::Metrics).monthly < busy.cost(Pillar::Traces).monthly);
    // The per-customer label: 5,000 times the series, and metrics become the dearest.
    let c = analyse(&TelemetryParams::PER_CUSTOMER_LABEL);
    assert_eq!(c.active_series, 5_000 * r.active_series);
    assert!(c.cost(Pillar::Metrics).monthly > c.cost(Pillar::Logs).monthly);
    assert!(c.cardinality_warning.as_deref().unwrap_or("").contains("115,000,000 active series"));
    assert_eq!(r.cardinality_warning, None);
    // Bars: logs are the dearest; metrics ($230) and traces ($16) in proportion to them.
    let logs = r.cost(Pillar::Logs).monthly;
    assert_eq!(r.bar_permille(Pillar::Logs), 1_000);
    assert_eq!(r.bar_permille(Pillar::Metrics), (r.cost(Pillar::Metrics).monthly / logs * 1e3).round() as u32);
    assert_eq!(r.bar_permille(Pillar::Traces), (r.cost(Pillar::Traces).monthly / logs * 1e3).round() as u32);
    assert_eq!(c.bar_permille(Pillar::Metrics), 1_000);
}

#[test]
fn volumes_are_linear_in_rate_and_retention() {
    for k in [0.5, 2.0, 10.0, 123.0] {
        let a = analyse(&P);
        let b = analyse(&TelemetryParams { rate_rps: P.rate_rps * k, ..P });
        for pillar in [Pillar::Logs, Pillar::Traces] {
            assert!(close(b.cost(pillar).gb_per_day, k * a.cost(pillar).gb_per_day, 1e-12), "{pillar:?} ×{k}");
            assert!(close(b.cost(pillar).monthly, k * a.cost(pillar).monthly, 1e-12), "{pillar:?} ×{k}");
        }
        assert_eq!(b.cost(Pillar::Metrics), a.cost(Pillar::Metrics), "metrics do not grow with traffic");
        let c = analyse(&TelemetryParams { retention_days: P.retention_days * k, ..P });
        for pillar in Pillar::ALL {
            assert!(close(c.cost(pillar).stored_gb, k * a.cost(pillar).stored_gb, 1e-12), "{pillar:?} kept ×{k}");
            assert_eq!(c.cost(pillar).gb_per_day, a.cost(pillar).gb_per_day);
        }
    }
    // Head sampling scales trace volume linearly; tail sampling adds only the failures.
    let half = TelemetryParams { head_sampling: 0.005, ..P };
    assert!(close(trace_bytes_per_day(&half) * 2.0, trace_bytes_per_day(&P), 1e-12));
    let extra = tail_trace_bytes_per_day(&P) - trace_bytes_per_day(&P);
    let want = P.rate_rps * 86_400.0 * (1.0 - P.head_sampling) * P.failure_rate * P.spans_per_trace * P.bytes_per_span;
    assert!(close(extra, want, 1e-9));
}

// ---------------------------------------------------------------------------------------------
// Sampling
// ---------------------------------------------------------------------------------------------

#[test]
#[allow(clippy::disallowed_methods)] // std's powf is the reference here; tests never reach a wasm bundle
fn at_least_one_closed_form() {
    for &(q, n, want) in &[
        (0.5, 1.0, 0.5),
        (0.5, 2.0, 0.75),
        (0.1, 3.0, 0.271),
        (1e-6, 1.8e6, 0.834_701),
        (0.0, 1e9, 0.0),
        (0.3, 0.0, 0.0),
        (1.0, 1.0, 1.0),
        (1e-12, 1.0, 1e-12),
    ] {
        let got = at_least_one(q, n);
        assert!((got - want).abs() < 1e-6 || close(got, want, 1e-6), "q {q} n {n}: {got} vs {want}");
    }
    // The illustrative service: 1.8 M requests an hour, 1% × 0.01% = 1e-6 kept failures each.
    let r = analyse(&P);
    assert!(close(r.kept_failure_traces_per_hour, 1.8, 1e-12));
    assert!(close(r.failures_per_hour, 180.0, 1e-12));
    assert!(close(r.p_failure_kept_hour, 1.0 - (1.0 - 1e-6f64).powf(1.8e6), 1e-9));
    assert_eq!(r.p_this_request_traced, 0.01);
    // Dapper's 1 in 1,024.
    let d = analyse(&TelemetryParams::DAPPER_SAMPLING);
    assert!(close(d.kept_failure_traces_per_hour, 1.8e6 / 1024.0 * 1e-4, 1e-12));
    assert!(d.p_failure_kept_hour < r.p_failure_kept_hour);
}

#[test]
fn monte_carlo_agrees_with_the_closed_form() {
    // (q, n): chosen so the probability is well inside (0, 1).
    for (k, &(q, n)) in [(0.001, 500u64), (0.002, 1_000), (0.0005, 3_000), (0.01, 50), (0.05, 10)].iter().enumerate() {
        let trials = 4_000;
        let sim = simulate_at_least_one(q, n, trials, 42 + k as u64);
        let theory = at_least_one(q, n as f64);
        // Four standard errors of a proportion.
        let tol = 4.0 * (theory * (1.0 - theory) / f64::from(trials)).sqrt();
        assert!((sim - theory).abs() <= tol, "q {q} n {n}: simulated {sim}, theory {theory} ± {tol}");
    }
    // Seeded: the same seed gives the same estimate.
    assert_eq!(simulate_at_least_one(0.01, 100, 500, 7), simulate_at_least_one(0.01, 100, 500, 7));
    assert_eq!(simulate_at_least_one(0.01, 100, 0, 7), 0.0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn more_sampling_never_lowers_the_chance(s1 in 0.0f64..1.0, s2 in 0.0f64..1.0, e in 0.0f64..0.05, rate in 1.0f64..100_000.0) {
        let (lo, hi) = if s1 <= s2 { (s1, s2) } else { (s2, s1) };
        let a = TelemetryParams { head_sampling: lo, failure_rate: e, rate_rps: rate, ..P };
        let b = TelemetryParams { head_sampling: hi, ..a };
        let (pa, pb) = (p_failure_trace_kept(&a, 3_600.0), p_failure_trace_kept(&b, 3_600.0));
        prop_assert!((0.0..=1.0).contains(&pa) && (0.0..=1.0).contains(&pb));
        prop_assert!(pa <= pb, "{} > {}", pa, pb);
        // More traffic or a longer window never lowers it either.
        prop_assert!(p_failure_trace_kept(&a, 7_200.0) >= pa);
        let busier = TelemetryParams { rate_rps: rate * 2.0, ..a };
        prop_assert!(p_failure_trace_kept(&busier, 3_600.0) >= pa);
        prop_assert!(trace_bytes_per_day(&a) <= trace_bytes_per_day(&b));
    }

    #[test]
    fn at_least_one_is_a_probability(q in proptest::num::f64::ANY, n in proptest::num::f64::ANY) {
        let p = at_least_one(q, n);
        prop_assert!((0.0..=1.0).contains(&p), "{} {} -> {}", q, n, p);
    }
}

// ---------------------------------------------------------------------------------------------
// Questions and sentences
// ---------------------------------------------------------------------------------------------

#[test]
fn each_question_has_its_pillar() {
    let want = [Pillar::Metrics, Pillar::Logs, Pillar::Traces, Pillar::Metrics];
    for (q, w) in Question::ALL.iter().zip(want) {
        let r = analyse(&TelemetryParams { question: *q, ..P });
        assert_eq!(r.best, w, "{q:?}");
        assert!(r.headline.starts_with(w.label()), "{}", r.headline);
        assert_eq!(r.reasons.len(), 3);
    }
    let r = analyse(&TelemetryParams { question: Question::WhichService, ..P });
    assert!(r.reasons[0].contains("keep 1.8 of the 180 failing requests an hour"), "{}", r.reasons[0]);
    assert!(r.reasons[0].contains("is 83%"), "{}", r.reasons[0]);
    let none = analyse(&TelemetryParams { question: Question::OneRequest, log_lines_per_request: 0.0, ..P });
    assert!(none.headline.contains("nothing recorded"));
}

#[test]
fn prose_numbers() {
    assert_eq!(chance(0.0), "0%");
    assert_eq!(chance(0.0004), "under 0.1%");
    assert_eq!(chance(0.01), "1.0%");
    assert_eq!(chance(0.8347), "83%");
    assert_eq!(chance(0.996), "over 99%");
    assert_eq!(chance(0.9999), "over 99.9%");
    assert_eq!(chance(1.0), "100%");
    assert_eq!(chance(f64::NAN), "0%");
    assert_eq!(volume(0.1152), "0.12 GB");
    assert_eq!(volume(108.0), "108 GB");
    assert_eq!(volume(3_240.0), "3.2 TB");
    assert_eq!(volume(32_400.0), "32 TB");
    assert_eq!(volume(f64::INFINITY), "0 GB");
}

// ---------------------------------------------------------------------------------------------
// The widget's parameters, and wild input
// ---------------------------------------------------------------------------------------------

#[test]
fn spec_defaults_are_the_illustrative_preset() {
    let p = telemetry_params(&TELEMETRY_BUDGET.defaults());
    let want = P.clamped();
    assert!(close(p.failure_rate, want.failure_rate, 1e-12));
    assert_eq!(TelemetryParams { failure_rate: want.failure_rate, ..p }, want);
    for (i, q) in Question::ALL.iter().enumerate() {
        assert_eq!(TELEMETRY_BUDGET.params[0].option_label(i), q.text());
    }
    let (st, notes) = TELEMETRY_BUDGET.parse_query("question=latency&bycustomer=1&sampling=0.1&rate=100000");
    assert!(notes.is_empty());
    let p = telemetry_params(&st);
    assert_eq!(
        (p.question, p.per_customer_label, p.head_sampling, p.rate_rps),
        (Question::WhichService, true, 0.001, 100_000.0)
    );
}

fn wild((lo, hi): (f64, f64)) -> BoxedStrategy<f64> {
    prop_oneof![
        3 => lo..=hi,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(-1e300),
        1 => Just(1e300),
    ]
    .boxed()
}

fn wild_params() -> impl Strategy<Value = TelemetryParams> {
    (
        (
            proptest::sample::select(Question::ALL.to_vec()),
            wild(ranges::RATE_RPS),
            wild(ranges::LOG_LINES),
            wild(ranges::HEAD_SAMPLING),
        ),
        (
            wild(ranges::SPANS),
            wild(ranges::FAILURE_RATE),
            wild(ranges::RETENTION_DAYS),
            wild(ranges::SCRAPE_INTERVAL_S),
        ),
        (any::<u32>(), any::<u32>(), any::<u32>(), any::<u32>(), any::<bool>(), any::<u32>()),
        (wild(ranges::PRICE_PER_GB), wild(ranges::PRICE_PER_SERIES_MONTH), wild(ranges::BYTES_PER_SAMPLE)),
    )
        .prop_map(
            |((question, rate, lines, s), (spans, e, ret, scrape), (n, ep, c, i, per, cust), (gb, series, bps))| {
                TelemetryParams {
                    question,
                    rate_rps: rate,
                    log_lines_per_request: lines,
                    head_sampling: s,
                    spans_per_trace: spans,
                    failure_rate: e,
                    retention_days: ret,
                    scrape_interval_s: scrape,
                    counters: n,
                    histograms: n % 5,
                    buckets: n.rotate_left(7),
                    endpoints: ep,
                    status_codes: c,
                    instances: i,
                    per_customer_label: per,
                    customers: cust,
                    log_price_per_gb: gb,
                    metric_price_per_series_month: series,
                    bytes_per_sample: bps,
                    ..P
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn analyse_never_produces_nan_or_infinity(p in wild_params()) {
        let r = analyse(&p);
        let c = p.clamped();
        prop_assert!(ranges::RATE_RPS.0 <= c.rate_rps && c.rate_rps <= ranges::RATE_RPS.1);
        prop_assert!((0.0..=1.0).contains(&c.head_sampling) && (0.0..=1.0).contains(&c.failure_rate));
        for x in [r.total_monthly, r.failures_per_hour, r.kept_failure_traces_per_hour, r.p_failure_kept_hour,
                  r.p_this_request_traced, r.tail_gb_per_day, r.tail_monthly] {
            prop_assert!(x.is_finite() && x >= 0.0, "{:?}", r);
        }
        for pc in r.costs {
            prop_assert!(pc.gb_per_day.is_finite() && pc.stored_gb.is_finite() && pc.monthly.is_finite());
            prop_assert!(pc.gb_per_day >= 0.0 && pc.monthly >= 0.0);
        }
        prop_assert!(r.p_failure_kept_hour <= 1.0 && r.p_this_request_traced <= 1.0);
        prop_assert!(r.tail_gb_per_day >= r.cost(Pillar::Traces).gb_per_day);
        // The dearest pillar's bar is full length; every bar is within 0–1,000.
        let bars = Pillar::ALL.map(|x| r.bar_permille(x));
        prop_assert!(bars.iter().all(|&b| b <= 1_000));
        prop_assert!(r.total_monthly == 0.0 || bars.contains(&1_000), "{:?}", bars);
        for s in std::iter::once(&r.headline).chain(&r.reasons).chain(&r.cardinality_warning) {
            prop_assert!(!s.contains("NaN") && !s.contains("inf") && !s.is_empty(), "{}", s);
        }
    }
}
