//! The telemetry model: what logs, metrics and traces each cost for a service, which of them
//! answers a given question, and what head sampling loses.
//!
//! Everything here is a closed form (plus one seeded Monte Carlo the tests use to check the
//! sampling formula): no clock, no global randomness. All prices and sizes are illustrative (see
//! [`ASSUMPTIONS`]); the point is how each pillar's cost scales, not a quote.
//!
//! # The cost model
//!
//! *Logs* are paid per request: `rate × 86,400 × lines × bytes_per_line` bytes a day.
//!
//! *Traces* are paid per kept request: `rate × 86,400 × s × spans × bytes_per_span` with head
//! sampling probability `s` (decided when the request starts, before anyone knows it will fail).
//!
//! *Metrics* are paid per time series, not per request. A label set is one combination of label
//! values, so the number of label sets is the product of the label cardinalities; a plain counter
//! or gauge is one series per label set, and a Prometheus histogram with `b` buckets is `b + 3`
//! (one `_bucket` series per bucket plus `le="+Inf"`, then `_sum` and `_count`: 14 with the
//! client libraries' 11 default buckets):
//!
//! ```text
//! label_sets = endpoints × status_codes × instances (× customers with a per-customer label)
//! series     = label_sets × (counters + histograms × (buckets + 3))
//! ```
//!
//! each scraped every `scrape_interval_s` at `bytes_per_sample`. The request rate does not appear.
//!
//! A month is [`DAYS_PER_MONTH`] days. Logs and traces pay an ingest price per GB; metrics a price
//! per active series a month; all three pay storage per GB-month for `retention_days` of data.
//!
//! # Sampling
//!
//! With head sampling `s` and a failure that hits a share `e` of requests, each request is a kept
//! failing trace with probability `s·e`, independently, so over `n` requests
//!
//! ```text
//! P(at least one failing trace kept) = 1 − (1 − s·e)^n,   E[kept failing traces] = n·s·e
//! ```
//!
//! and the one failing request a customer reports was kept with probability `s`. A tail-based
//! sampler decides after the request ends and can keep every failure.

use crate::fmt::{grouped, money, num};
use crate::note::{Facts, Readout};
use crate::spec::{choice, labelled, range, toggle, State, WidgetSpec};
use crate::value;

/// Seconds in a day.
pub const SECONDS_PER_DAY: f64 = 86_400.0;
/// Days in a billing month.
pub const DAYS_PER_MONTH: f64 = 30.0;
/// Bytes in a GB (decimal, as storage is billed).
pub const BYTES_PER_GB: f64 = 1e9;

/// The dated assumptions behind [`TelemetryParams::ILLUSTRATIVE`].
pub const ASSUMPTIONS: &str = "Illustrative sizes and prices, November 2026: a structured log line \
of about 250 bytes; a span of about 500 bytes; 9 counters and one latency histogram per service \
(11 buckets, so 14 series per label set), each series scraped every 15 s at about 2 bytes a sample \
once compressed; 15 days of retention for all three. Prices: $0.50 per GB \
of logs ingested, $0.30 per GB of spans ingested, $0.01 per active metric series a month, $0.03 \
per GB-month stored. None of these is a quote from any vendor; hosted and self-run prices vary by \
ten times or more. Change them to your own numbers.";

/// Declared ranges `(min, max)` of every parameter. [`TelemetryParams::clamped`] forces values
/// into them (NaN becomes the low end).
pub mod ranges {
    pub const RATE_RPS: (f64, f64) = (0.0, 10_000_000.0);
    pub const LOG_LINES: (f64, f64) = (0.0, 1_000.0);
    pub const BYTES_PER_LOG_LINE: (f64, f64) = (1.0, 100_000.0);
    pub const HEAD_SAMPLING: (f64, f64) = (0.0, 1.0);
    pub const SPANS: (f64, f64) = (1.0, 10_000.0);
    pub const BYTES_PER_SPAN: (f64, f64) = (1.0, 100_000.0);
    pub const FAILURE_RATE: (f64, f64) = (0.0, 1.0);
    pub const METRIC_NAMES: (u32, u32) = (0, 10_000);
    pub const BUCKETS: (u32, u32) = (0, 1_000);
    pub const LABEL_VALUES: (u32, u32) = (1, 1_000_000);
    pub const SCRAPE_INTERVAL_S: (f64, f64) = (1.0, 3_600.0);
    pub const BYTES_PER_SAMPLE: (f64, f64) = (0.1, 1_000.0);
    pub const RETENTION_DAYS: (f64, f64) = (0.0, 3_650.0);
    pub const PRICE_PER_GB: (f64, f64) = (0.0, 100.0);
    pub const PRICE_PER_SERIES_MONTH: (f64, f64) = (0.0, 100.0);
}

fn clamp_f(x: f64, (lo, hi): (f64, f64)) -> f64 {
    crate::num::clamp_or_low(x, lo, hi)
}

/// The three pillars, in the order a widget lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pillar {
    Metrics,
    Logs,
    Traces,
}

impl Pillar {
    pub const ALL: [Pillar; 3] = [Pillar::Metrics, Pillar::Logs, Pillar::Traces];

    pub fn label(self) -> &'static str {
        match self {
            Pillar::Metrics => "Metrics",
            Pillar::Logs => "Logs",
            Pillar::Traces => "Traces",
        }
    }

    /// What the pillar records, in a few words.
    pub fn blurb(self) -> &'static str {
        match self {
            Pillar::Metrics => "counts and percentiles for every request; no single request",
            Pillar::Logs => "every request in detail; paid per line",
            Pillar::Traces => "where the time went across services; usually sampled",
        }
    }
}

/// The question a reader needs answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Question {
    /// "Is the error rate up since the deploy?"
    ErrorRateUp,
    /// "Why did this customer's request fail?"
    OneRequest,
    /// "Which service added the latency?"
    WhichService,
    /// "How many requests breached the SLO this month?"
    SloBreaches,
}

impl Question {
    pub const ALL: [Question; 4] =
        [Question::ErrorRateUp, Question::OneRequest, Question::WhichService, Question::SloBreaches];

    pub fn text(self) -> &'static str {
        match self {
            Question::ErrorRateUp => "Is the error rate up since the deploy?",
            Question::OneRequest => "Why did this customer's request fail?",
            Question::WhichService => "Which service added the latency?",
            Question::SloBreaches => "How many requests breached the SLO this month?",
        }
    }

    /// The pillar that answers it best.
    pub fn best(self) -> Pillar {
        match self {
            Question::ErrorRateUp | Question::SloBreaches => Pillar::Metrics,
            Question::OneRequest => Pillar::Logs,
            Question::WhichService => Pillar::Traces,
        }
    }
}

/// A service's telemetry: traffic, what is recorded per request and per series, and prices.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TelemetryParams {
    /// The question the reader needs answered.
    pub question: Question,
    /// Requests per second (a steady average).
    pub rate_rps: f64,
    /// Log lines written per request.
    pub log_lines_per_request: f64,
    pub bytes_per_log_line: f64,
    /// Head sampling probability of a trace, 0–1 (decided as the request starts).
    pub head_sampling: f64,
    pub spans_per_trace: f64,
    pub bytes_per_span: f64,
    /// Share of requests hit by the rare failure, 0–1.
    pub failure_rate: f64,
    /// Plain metrics per service (counters and gauges): one series per label set each.
    pub counters: u32,
    /// Latency histograms per service, each [`Self::buckets`] buckets wide.
    pub histograms: u32,
    /// Buckets per histogram, not counting `+Inf` ([`DEFAULT_BUCKETS`] by default). 0 means no
    /// histogram at all.
    pub buckets: u32,
    /// Label cardinalities.
    pub endpoints: u32,
    pub status_codes: u32,
    pub instances: u32,
    /// Whether the metrics carry a per-customer label.
    pub per_customer_label: bool,
    pub customers: u32,
    pub scrape_interval_s: f64,
    /// Stored bytes per metric sample (compressed).
    pub bytes_per_sample: f64,
    /// Days each pillar keeps its data.
    pub retention_days: f64,
    /// Ingest prices per GB.
    pub log_price_per_gb: f64,
    pub trace_price_per_gb: f64,
    /// Price of one active series for a month.
    pub metric_price_per_series_month: f64,
    /// Storage price per GB kept for a month (all pillars).
    pub storage_price_per_gb_month: f64,
}

impl TelemetryParams {
    /// A mid-sized web service with plausible sizes and prices; see [`ASSUMPTIONS`].
    pub const ILLUSTRATIVE: TelemetryParams = TelemetryParams {
        question: Question::ErrorRateUp,
        rate_rps: 500.0,
        log_lines_per_request: 10.0,
        bytes_per_log_line: 250.0,
        head_sampling: 0.01,
        spans_per_trace: 8.0,
        bytes_per_span: 500.0,
        failure_rate: 0.0001,
        counters: 9,
        histograms: 1,
        buckets: DEFAULT_BUCKETS,
        endpoints: 20,
        status_codes: 5,
        instances: 10,
        per_customer_label: false,
        customers: 5_000,
        scrape_interval_s: 15.0,
        bytes_per_sample: 2.0,
        retention_days: 15.0,
        log_price_per_gb: 0.5,
        trace_price_per_gb: 0.3,
        metric_price_per_series_month: 0.01,
        storage_price_per_gb_month: 0.03,
    };
    /// Dapper's initial sampling rate, one trace in 1,024, applied uniformly across Google's
    /// services (Sigelman et al., 2010).
    pub const DAPPER_SAMPLING: TelemetryParams =
        TelemetryParams { head_sampling: 1.0 / 1024.0, ..TelemetryParams::ILLUSTRATIVE };
    /// The same service with a customer ID as a metric label.
    pub const PER_CUSTOMER_LABEL: TelemetryParams =
        TelemetryParams { per_customer_label: true, ..TelemetryParams::ILLUSTRATIVE };

    /// Returns the parameters with every field forced into its [`ranges`] (NaN becomes the low
    /// end).
    pub fn clamped(mut self) -> TelemetryParams {
        let u = |x: u32, (lo, hi): (u32, u32)| x.clamp(lo, hi);
        self.rate_rps = clamp_f(self.rate_rps, ranges::RATE_RPS);
        self.log_lines_per_request = clamp_f(self.log_lines_per_request, ranges::LOG_LINES);
        self.bytes_per_log_line = clamp_f(self.bytes_per_log_line, ranges::BYTES_PER_LOG_LINE);
        self.head_sampling = clamp_f(self.head_sampling, ranges::HEAD_SAMPLING);
        self.spans_per_trace = clamp_f(self.spans_per_trace, ranges::SPANS);
        self.bytes_per_span = clamp_f(self.bytes_per_span, ranges::BYTES_PER_SPAN);
        self.failure_rate = clamp_f(self.failure_rate, ranges::FAILURE_RATE);
        self.counters = u(self.counters, ranges::METRIC_NAMES);
        self.histograms = u(self.histograms, ranges::METRIC_NAMES);
        self.buckets = u(self.buckets, ranges::BUCKETS);
        self.endpoints = u(self.endpoints, ranges::LABEL_VALUES);
        self.status_codes = u(self.status_codes, ranges::LABEL_VALUES);
        self.instances = u(self.instances, ranges::LABEL_VALUES);
        self.customers = u(self.customers, ranges::LABEL_VALUES);
        self.scrape_interval_s = clamp_f(self.scrape_interval_s, ranges::SCRAPE_INTERVAL_S);
        self.bytes_per_sample = clamp_f(self.bytes_per_sample, ranges::BYTES_PER_SAMPLE);
        self.retention_days = clamp_f(self.retention_days, ranges::RETENTION_DAYS);
        self.log_price_per_gb = clamp_f(self.log_price_per_gb, ranges::PRICE_PER_GB);
        self.trace_price_per_gb = clamp_f(self.trace_price_per_gb, ranges::PRICE_PER_GB);
        self.metric_price_per_series_month =
            clamp_f(self.metric_price_per_series_month, ranges::PRICE_PER_SERIES_MONTH);
        self.storage_price_per_gb_month = clamp_f(self.storage_price_per_gb_month, ranges::PRICE_PER_GB);
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Closed forms
// ---------------------------------------------------------------------------------------------

/// The default buckets of the Prometheus client libraries (client_golang's `DefBuckets`,
/// 5 ms to 10 s): 11, plus `+Inf`.
pub const DEFAULT_BUCKETS: u32 = 11;
/// Series a histogram has beyond its buckets: `le="+Inf"`, `_sum` and `_count`.
pub const HISTOGRAM_EXTRA_SERIES: u32 = 3;

/// Label sets: the product of the label cardinalities, exactly, saturating at `u64::MAX`.
pub fn label_sets(p: &TelemetryParams) -> u64 {
    let customers = if p.per_customer_label { p.customers } else { 1 };
    [p.endpoints, p.status_codes, p.instances, customers]
        .iter()
        .fold(1u64, |n, &k| n.saturating_mul(u64::from(k.max(1))))
}

/// Series one histogram has per label set: its buckets, `+Inf`, `_sum` and `_count` (14 with the
/// default buckets); 0 when it has no bucket.
pub fn series_per_histogram(p: &TelemetryParams) -> u64 {
    if p.buckets == 0 {
        0
    } else {
        u64::from(p.buckets) + u64::from(HISTOGRAM_EXTRA_SERIES)
    }
}

/// Series per label set: one per counter, [`series_per_histogram`] per histogram (at least 1).
pub fn series_per_label_set(p: &TelemetryParams) -> u64 {
    let n = u64::from(p.counters).saturating_add(u64::from(p.histograms).saturating_mul(series_per_histogram(p)));
    n.max(1)
}

/// Active metric series: label sets × series per label set, exactly, saturating at `u64::MAX`
/// (only absurd inputs get there).
pub fn active_series(p: &TelemetryParams) -> u64 {
    label_sets(p).saturating_mul(series_per_label_set(p))
}

/// How the series count is made, for the reader: "1,000 label sets × (9 counters + 1 histogram
/// × 14 series) = 23,000".
pub fn series_math(p: &TelemetryParams) -> String {
    let h = series_per_histogram(p);
    let per = if p.histograms == 0 || h == 0 {
        format!("{} {}", grouped(f64::from(p.counters)), plural(p.counters, "metric", "metrics"))
    } else {
        format!(
            "({} {} + {} {} × {} series)",
            grouped(f64::from(p.counters)),
            plural(p.counters, "counter", "counters"),
            grouped(f64::from(p.histograms)),
            plural(p.histograms, "histogram", "histograms"),
            grouped(h as f64)
        )
    };
    format!("{} label sets × {} = {}", grouped(label_sets(p) as f64), per, grouped(active_series(p) as f64))
}

fn plural(n: u32, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Log bytes written a day.
pub fn log_bytes_per_day(p: &TelemetryParams) -> f64 {
    p.rate_rps * SECONDS_PER_DAY * p.log_lines_per_request * p.bytes_per_log_line
}

/// Span bytes kept a day under head sampling.
pub fn trace_bytes_per_day(p: &TelemetryParams) -> f64 {
    p.rate_rps * SECONDS_PER_DAY * p.head_sampling * p.spans_per_trace * p.bytes_per_span
}

/// Span bytes kept a day by a tail sampler that keeps the head-sampled share of successes plus
/// every failing trace: a share `s + (1 − s)·e` of requests.
pub fn tail_trace_bytes_per_day(p: &TelemetryParams) -> f64 {
    let kept = p.head_sampling + (1.0 - p.head_sampling) * p.failure_rate;
    p.rate_rps * SECONDS_PER_DAY * kept * p.spans_per_trace * p.bytes_per_span
}

/// Metric bytes stored a day: every series sampled every scrape interval. Independent of the
/// request rate.
pub fn metric_bytes_per_day(p: &TelemetryParams) -> f64 {
    active_series(p) as f64 * (SECONDS_PER_DAY / p.scrape_interval_s.max(1e-9)) * p.bytes_per_sample
}

/// `1 − (1 − q)^n` for a per-trial probability `q` and `n` trials, computed without cancellation
/// (`−expm1(n·ln(1 − q))`); in [0, 1] for any input, 0 for n ≤ 0 or q ≤ 0.
pub fn at_least_one(q: f64, n: f64) -> f64 {
    if q.is_nan() || n.is_nan() || q <= 0.0 || n <= 0.0 {
        return 0.0;
    }
    if q >= 1.0 {
        return 1.0;
    }
    let p = -libm::expm1(n * libm::log1p(-q));
    crate::num::clamp_or_low(p, 0.0, 1.0)
}

/// Probability that head sampling keeps at least one trace of the rare failure among the
/// requests of `seconds`.
pub fn p_failure_trace_kept(p: &TelemetryParams, seconds: f64) -> f64 {
    at_least_one(p.head_sampling * p.failure_rate, p.rate_rps * seconds)
}

/// Estimates [`at_least_one`] by simulation: `trials` runs of `n` independent requests, each a
/// kept failing trace with probability `q`; the share of runs that kept at least one. Seeded.
pub fn simulate_at_least_one(q: f64, n: u64, trials: u32, seed: u64) -> f64 {
    if trials == 0 {
        return 0.0;
    }
    let mut rng = crate::rng::Rng::new(seed);
    let mut hits = 0u32;
    for _ in 0..trials {
        if (0..n).any(|_| rng.chance(q)) {
            hits += 1;
        }
    }
    f64::from(hits) / f64::from(trials)
}

// ---------------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------------

/// One pillar's volume and cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PillarCost {
    pub pillar: Pillar,
    /// Ingested a day.
    pub gb_per_day: f64,
    /// Held at any time (a day's volume × retention).
    pub stored_gb: f64,
    /// Illustrative monthly bill: ingest (or series) plus storage.
    pub monthly: f64,
}

/// Everything the widget shows.
#[derive(Clone, Debug, PartialEq)]
pub struct TelemetryReport {
    pub params: TelemetryParams,
    /// Metrics, logs, traces (the order of [`Pillar::ALL`]).
    pub costs: [PillarCost; 3],
    pub total_monthly: f64,
    pub active_series: u64,
    /// Failing requests an hour.
    pub failures_per_hour: f64,
    /// Expected failing traces kept an hour under head sampling.
    pub kept_failure_traces_per_hour: f64,
    /// Probability head sampling keeps at least one failing trace in the next hour.
    pub p_failure_kept_hour: f64,
    /// Probability the one failing request a customer reports was traced (= head sampling).
    pub p_this_request_traced: f64,
    /// Traces a day with tail sampling that keeps every failure, and its monthly cost.
    pub tail_gb_per_day: f64,
    pub tail_monthly: f64,
    /// The pillar that answers the question.
    pub best: Pillar,
    /// One sentence: which pillar, and why.
    pub headline: String,
    /// Supporting sentences quoting the numbers.
    pub reasons: Vec<String>,
    /// Set when the metric labels multiply the series past the point of sense.
    pub cardinality_warning: Option<String>,
}

impl TelemetryReport {
    pub fn cost(&self, pillar: Pillar) -> &PillarCost {
        match pillar {
            Pillar::Metrics => &self.costs[0],
            Pillar::Logs => &self.costs[1],
            Pillar::Traces => &self.costs[2],
        }
    }

    /// A pillar's monthly cost as a share of the dearest pillar's, in thousandths (0–1,000): the
    /// length of its bar.
    pub fn bar_permille(&self, pillar: Pillar) -> u32 {
        let max = self.costs.iter().map(|c| c.monthly).fold(0.0, f64::max);
        let c = self.cost(pillar).monthly;
        if max.is_nan() || max <= 0.0 || !c.is_finite() {
            return 0;
        }
        (crate::num::clamp_or_low(c / max, 0.0, 1.0) * 1_000.0).round() as u32
    }
}

/// Series beyond which the model warns about cardinality (about $1,000 a month at the
/// illustrative price; a single Prometheus server is usually sized for a few million).
pub const SERIES_WARNING: u64 = 100_000;

fn pillar_cost(p: &TelemetryParams, pillar: Pillar, bytes_per_day: f64, ingest_monthly: f64) -> PillarCost {
    let gb_per_day = bytes_per_day / BYTES_PER_GB;
    let stored_gb = gb_per_day * p.retention_days;
    PillarCost { pillar, gb_per_day, stored_gb, monthly: ingest_monthly + stored_gb * p.storage_price_per_gb_month }
}

/// The full report for (clamped) parameters.
pub fn analyse(p: &TelemetryParams) -> TelemetryReport {
    let p = p.clamped();
    let series = active_series(&p);
    let log_b = log_bytes_per_day(&p);
    let trace_b = trace_bytes_per_day(&p);
    let metric_b = metric_bytes_per_day(&p);
    let month = DAYS_PER_MONTH / BYTES_PER_GB;
    let metrics = pillar_cost(&p, Pillar::Metrics, metric_b, series as f64 * p.metric_price_per_series_month);
    let logs = pillar_cost(&p, Pillar::Logs, log_b, log_b * month * p.log_price_per_gb);
    let traces = pillar_cost(&p, Pillar::Traces, trace_b, trace_b * month * p.trace_price_per_gb);
    let tail_b = tail_trace_bytes_per_day(&p);
    let tail = pillar_cost(&p, Pillar::Traces, tail_b, tail_b * month * p.trace_price_per_gb);
    let per_hour = p.rate_rps * 3_600.0;
    let mut r = TelemetryReport {
        params: p,
        costs: [metrics, logs, traces],
        total_monthly: metrics.monthly + logs.monthly + traces.monthly,
        active_series: series,
        failures_per_hour: per_hour * p.failure_rate,
        kept_failure_traces_per_hour: per_hour * p.head_sampling * p.failure_rate,
        p_failure_kept_hour: p_failure_trace_kept(&p, 3_600.0),
        p_this_request_traced: p.head_sampling,
        tail_gb_per_day: tail.gb_per_day,
        tail_monthly: tail.monthly,
        best: p.question.best(),
        headline: String::new(),
        reasons: Vec::new(),
        cardinality_warning: None,
    };
    r.cardinality_warning = cardinality_warning(&r);
    let (headline, reasons) = explain(&r);
    r.headline = headline;
    r.reasons = reasons;
    r
}

/// A pillar's day and month: "108 GB a day · $1,669 a month".
pub fn day_and_month(r: &TelemetryReport, p: Pillar) -> String {
    let c = r.cost(p);
    format!("{} a day · {} a month", volume(c.gb_per_day), money(c.monthly))
}

/// What the telemetry-budget widget shows: the headline, its reasons and any cardinality warning
/// (the page lists them under the headline), and the key numbers.
pub fn telemetry_facts(r: &TelemetryReport) -> Facts {
    let mut verdict = r.headline.clone();
    for s in r.reasons.iter().chain(&r.cardinality_warning) {
        verdict.push(' ');
        verdict.push_str(s);
    }
    let rate = |x: f64| num(x, if x < 10.0 { 2 } else { 0 });
    Facts {
        verdict,
        readouts: vec![
            Readout::new("metrics", "Metrics", day_and_month(r, Pillar::Metrics)).wide(),
            Readout::new("logs", "Logs", day_and_month(r, Pillar::Logs)).wide(),
            Readout::new("traces", "Traces (head-sampled)", day_and_month(r, Pillar::Traces)).wide(),
            Readout::new("series", "Active metric series", num(r.active_series as f64, 0)),
            Readout::new("series-math", "How the series multiply", series_math(&r.params)).wide(),
            Readout::new("failures", "Failing requests an hour", rate(r.failures_per_hour)),
            Readout::new("kept", "Failing traces kept an hour", rate(r.kept_failure_traces_per_hour)),
            Readout::new("p-kept", "Chance one is kept this hour", chance(r.p_failure_kept_hour)),
            Readout::new("p-this", "Chance a given failing request was traced", chance(r.p_this_request_traced)),
            Readout::new(
                "tail",
                "Traces if every failure is kept (tail)",
                format!("{} a month", money(r.tail_monthly)),
            ),
        ],
        run: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Sentences
// ---------------------------------------------------------------------------------------------

/// A probability for prose: "0%", "under 0.1%", "4.2%", "83%", "over 99.9%", "100%".
pub fn chance(p: f64) -> String {
    let p = if p.is_finite() { crate::num::clamp(p, 0.0, 1.0) } else { 0.0 };
    if p <= 0.0 {
        "0%".into()
    } else if p < 0.001 {
        "under 0.1%".into()
    } else if p < 0.1 {
        format!("{}%", crate::fmt::fixed(p * 100.0, 1))
    } else if p < 0.995 {
        format!("{}%", grouped(p * 100.0))
    } else if p < 1.0 {
        if p < 0.999 {
            "over 99%".into()
        } else {
            "over 99.9%".into()
        }
    } else {
        "100%".into()
    }
}

/// A volume for prose: "0.12 GB", "108 GB", "3.2 TB", "45 TB".
pub fn volume(gb: f64) -> String {
    if !gb.is_finite() || gb <= 0.0 {
        "0 GB".into()
    } else if gb >= 10_000.0 {
        format!("{} TB", grouped(gb / 1_000.0))
    } else if gb >= 1_000.0 {
        format!("{} TB", crate::fmt::fixed(gb / 1_000.0, 1))
    } else if gb >= 10.0 {
        format!("{} GB", grouped(gb))
    } else {
        format!("{} GB", crate::fmt::fixed(gb, 2))
    }
}

/// A count that may be fractional and small: "0.07", "1.8", "900".
fn amount(x: f64) -> String {
    if !x.is_finite() || x <= 0.0 {
        "0".into()
    } else if x < 10.0 {
        crate::fmt::number((x * 100.0).round() / 100.0)
    } else {
        grouped(x)
    }
}

fn cardinality_warning(r: &TelemetryReport) -> Option<String> {
    let p = &r.params;
    let metrics = r.cost(Pillar::Metrics).monthly;
    if p.per_customer_label && p.customers > 1 {
        Some(format!(
            "The customer label multiplies every series by {}: {} active series, about {} a month (illustrative). Put customer IDs in logs and traces, not in metric labels.",
            grouped(f64::from(p.customers)),
            grouped(r.active_series as f64),
            money(metrics)
        ))
    } else if r.active_series > SERIES_WARNING {
        Some(format!(
            "{} active series, about {} a month (illustrative): every label multiplies the count. Drop or bucket the label with the most values.",
            grouped(r.active_series as f64),
            money(metrics)
        ))
    } else {
        None
    }
}

fn explain(r: &TelemetryReport) -> (String, Vec<String>) {
    let p = &r.params;
    let c = |x: Pillar| r.cost(x);
    let series = grouped(r.active_series as f64);
    let rate = grouped(p.rate_rps);
    let monthly_logs_gb = c(Pillar::Logs).gb_per_day * DAYS_PER_MONTH;
    match p.question {
        Question::ErrorRateUp => (
            "Metrics: a request counter labelled by status code gives the error rate of every request, before and after the deploy, and can page someone.".into(),
            vec![
                format!(
                    "It costs {} series whatever the traffic: {} a month (illustrative) at {} req/s, and the same at ten times the load.",
                    series,
                    money(c(Pillar::Metrics).monthly),
                    rate
                ),
                format!(
                    "Logs could count errors too, by scanning {} a day; traces only see the {} of requests they keep.",
                    volume(c(Pillar::Logs).gb_per_day),
                    chance(p.head_sampling)
                ),
                "What metrics cannot say is which request failed or why: that is the next question.".into(),
            ],
        ),
        Question::OneRequest => {
            let head = if p.log_lines_per_request > 0.0 {
                "Logs: only logs keep every request in detail; search them by the request's trace ID for what it did and which error it hit.".to_string()
            } else {
                "Logs would answer it, but at 0 lines per request nothing recorded this request: only a kept trace can help.".to_string()
            };
            (
                head,
                vec![
                    format!(
                        "That detail is paid per request: {} log lines a request is {} a day, {} a month (illustrative).",
                        grouped(p.log_lines_per_request),
                        volume(c(Pillar::Logs).gb_per_day),
                        money(c(Pillar::Logs).monthly)
                    ),
                    format!(
                        "With head sampling at {}, the chance this request's trace was kept is {}; a tail sampler that keeps every error would have it.",
                        chance(p.head_sampling),
                        chance(r.p_this_request_traced)
                    ),
                    "Metrics show the failure as one more count in a series, with no customer and no request attached.".into(),
                ],
            )
        }
        Question::WhichService => (
            "Traces: a trace's spans show how long each service took within one request, so the slow hop stands out.".into(),
            vec![
                format!(
                    "At {} head sampling you keep {} of the {} failing requests an hour; the chance of keeping at least one is {}.",
                    chance(p.head_sampling),
                    amount(r.kept_failure_traces_per_hour),
                    amount(r.failures_per_hour),
                    chance(r.p_failure_kept_hour)
                ),
                format!(
                    "Kept traces cost {} a day, {} a month; keeping every failure as well (tail sampling) costs {} a month (illustrative).",
                    volume(c(Pillar::Traces).gb_per_day),
                    money(c(Pillar::Traces).monthly),
                    money(r.tail_monthly)
                ),
                "A per-service latency metric says which service is slow on average; only a trace ties the slowness to the request.".into(),
            ],
        ),
        Question::SloBreaches if p.histograms == 0 || p.buckets == 0 => (
            "Metrics, once you add a latency histogram: without one, no pillar counts every slow request cheaply.".into(),
            vec![
                format!(
                    "A histogram costs {} series per label set with the default {} buckets: one per bucket, one for +Inf, a sum and a count.",
                    grouped(f64::from(DEFAULT_BUCKETS + HISTOGRAM_EXTRA_SERIES)),
                    grouped(f64::from(DEFAULT_BUCKETS))
                ),
                format!(
                    "Sampled traces would have to be scaled up from the {} they keep, and the rare slow ones are the first to be missed.",
                    chance(p.head_sampling)
                ),
                format!("Logs could be counted, but that means scanning a month of them: {} (illustrative).", volume(monthly_logs_gb)),
            ],
        ),
        Question::SloBreaches => (
            "Metrics: a latency histogram counts every request into buckets, so the requests over the SLO threshold are an exact count, provided the threshold is one of the bucket boundaries (le=\"0.25\" for a 250 ms SLO); between boundaries it is an interpolated estimate.".into(),
            vec![
                format!(
                    "Sampled traces would have to be scaled up from the {} they keep, and the rare slow ones are the first to be missed.",
                    chance(p.head_sampling)
                ),
                format!(
                    "Logs could be counted, but that means scanning a month of them: {} (illustrative).",
                    volume(monthly_logs_gb)
                ),
                format!(
                    "Each histogram bucket is another series, for every label set: {} series now ({}).",
                    series,
                    series_math(p)
                ),
            ],
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// The widget: what readers set, and the model's parameters it gives
// ---------------------------------------------------------------------------------------------

const QUESTIONS: &[&str] = &["error-rate", "one-request", "latency", "slo"];
/// Logs, metrics and traces: which answers a question, and what each costs.
pub const TELEMETRY_BUDGET: WidgetSpec = WidgetSpec {
    name: "telemetry-budget",
    about: crate::note::About {
        question: "Which signal (metrics, logs or traces) answers the question on-call will ask, and what does each \
                   cost us a month at this traffic, sampling rate and label cardinality?",
        assumptions: &[(ASSUMPTIONS, "November 2026")],
        sources: &[
            "Benjamin H. Sigelman et al., Dapper, a Large-Scale Distributed Systems Tracing Infrastructure (2010)",
            "Charity Majors, Liz Fong-Jones, George Miranda, Observability Engineering (2022)",
            "Prometheus Authors, Metric and label naming (2021)",
        ],
    },
    reserve_rem: 67.0,
    hot: false,
    title: "Telemetry budget",
    params: &[
        labelled(
            choice("question", "The question you need answered", QUESTIONS, 0),
            &[
                "Is the error rate up since the deploy?",
                "Why did this customer's request fail?",
                "Which service added the latency?",
                "How many requests breached the SLO this month?",
            ],
        )
        .in_group("question"),
        range("rate", "Request rate", 10.0, 100_000.0, 10.0, 500.0, "req/s"),
        range("lines", "Log lines per request", 0.0, 100.0, 1.0, 10.0, ""),
        range("sampling", "Trace head sampling", 0.0, 100.0, 0.1, 1.0, "%"),
        range("spans", "Spans per trace", 1.0, 100.0, 1.0, 8.0, ""),
        range("errors", "Requests hit by the rare failure", 0.01, 5.0, 0.01, 0.01, "%"),
        range("endpoints", "Metric label: endpoints", 1.0, 200.0, 1.0, 20.0, ""),
        range("codes", "Metric label: status codes", 1.0, 20.0, 1.0, 5.0, ""),
        range("instances", "Metric label: instances", 1.0, 200.0, 1.0, 10.0, ""),
        range("buckets", "Latency histogram buckets (0: none)", 0.0, 40.0, 1.0, DEFAULT_BUCKETS as f64, ""),
        toggle("bycustomer", "Add a per-customer metric label", false),
        range("customers", "Customers", 10.0, 100_000.0, 10.0, 5_000.0, ""),
    ],
    presets: &[],
};

/// Telemetry parameters for a telemetry-budget state (sizes and prices from the illustrative
/// preset).
pub fn telemetry_params(state: &State) -> TelemetryParams {
    TelemetryParams {
        question: Question::ALL[(value!(TELEMETRY_BUDGET, state, "question") as usize).min(Question::ALL.len() - 1)],
        rate_rps: value!(TELEMETRY_BUDGET, state, "rate"),
        log_lines_per_request: value!(TELEMETRY_BUDGET, state, "lines"),
        head_sampling: value!(TELEMETRY_BUDGET, state, "sampling") / 100.0,
        spans_per_trace: value!(TELEMETRY_BUDGET, state, "spans"),
        failure_rate: value!(TELEMETRY_BUDGET, state, "errors") / 100.0,
        endpoints: value!(TELEMETRY_BUDGET, state, "endpoints") as u32,
        status_codes: value!(TELEMETRY_BUDGET, state, "codes") as u32,
        instances: value!(TELEMETRY_BUDGET, state, "instances") as u32,
        buckets: value!(TELEMETRY_BUDGET, state, "buckets") as u32,
        per_customer_label: (value!(TELEMETRY_BUDGET, state, "bycustomer") != 0.0),
        customers: value!(TELEMETRY_BUDGET, state, "customers") as u32,
        ..TelemetryParams::ILLUSTRATIVE
    }
    .clamped()
}
