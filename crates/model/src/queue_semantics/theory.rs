//! The queue side against Little's law: the busy consumers' time average beside λ·E[S].
//!
//! The queue is fed by a Poisson stream, but each order's processing time is log-normal (p99 four
//! times the median), not exponential, so M/M/c's Erlang C does not describe its waits, and M/G/c
//! has no exact closed form. Little's law does hold for any service distribution: in a stable
//! queue where each order is received once and deleted after its processing, the mean number of
//! messages in flight (received, not yet deleted; one per busy consumer) is L = λ·E[S], the order
//! rate times the mean processing time. That is what the picture's outlined squares show, and what
//! the badge and the dashed line compare. A slow or poison order, a crash, a redelivery or an
//! overload takes the run outside these premises; the badge then says why instead.

use super::queue::{QueueDeparture, QueueSample, QueueTheoryStats};
use super::{QueueKind, QueueSemanticsParams, QueueSemanticsSim};
use crate::des::{Micros, SEC};
use crate::fmt::{grouped, num};
use crate::queueing::{Agreement, Comparison, Unit};
use crate::stats::Ring;

/// Orders processed within the premises before the comparison is shown (see the `theory` tests
/// for the noise at this size: a standard error of about 5 % of the value at the defaults).
pub const THEORY_MIN_ORDERS: u64 = 500;

/// The standard normal distribution function Φ, from the complementary error function's
/// Chebyshev fit (Press et al., *Numerical Recipes*, 2nd ed., §6.2, `erfcc`: fractional error
/// below 1.2·10⁻⁷ everywhere).
fn std_normal_cdf(x: f64) -> f64 {
    let z = (-x / std::f64::consts::SQRT_2).abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * libm::exp(poly);
    0.5 * if x < 0.0 { erfc } else { 2.0 - erfc }
}

/// The mean processing time of an order, in ms: the log-normal (median `processing_ms`, p99
/// `processing_tail` times that, σ = ln(tail) / z₀.₉₉) clamped to 1 ms–600 s as the producer
/// clamps it: E[clamp(X, a, b)] = a·Φ(α) + e^{μ+σ²/2}·(Φ(β − σ) − Φ(α − σ)) + b·(1 − Φ(β)), with
/// α = (ln a − μ)/σ and β = (ln b − μ)/σ. With the widget's settings the clamps are more than six
/// standard deviations out and this is median·e^{σ²/2} (597 ms at the default 500 ms).
pub fn mean_processing_ms(p: &QueueSemanticsParams) -> f64 {
    let (a, b) = (1.0, 600_000.0);
    let median = p.processing_ms;
    let sigma = libm::log(p.processing_tail.max(1.0)) / crate::rng::Z99;
    if sigma <= 0.0 {
        return crate::num::clamp(median, a, b);
    }
    let mu = libm::log(median);
    let alpha = (libm::log(a) - mu) / sigma;
    let beta = (libm::log(b) - mu) / sigma;
    let mean = libm::exp(mu + sigma * sigma / 2.0);
    a * std_normal_cdf(alpha)
        + mean * (std_normal_cdf(beta - sigma) - std_normal_cdf(alpha - sigma))
        + b * (1.0 - std_normal_cdf(beta))
}

/// The busiest customer's share of the orders: 1 / Σ_{k ≤ customers} k^(−skew) (Zipf).
fn busiest_share(p: &QueueSemanticsParams) -> f64 {
    let s = if p.skew > 0.0 { p.skew } else { 0.0 };
    let total: f64 = (1..=p.customers.max(1)).map(|k| libm::exp(-s * libm::log(k as f64))).sum();
    1.0 / total
}

impl QueueSemanticsSim {
    /// The queue's statistics since the run last met Little's law's premises.
    pub fn queue_theory_stats(&self) -> QueueTheoryStats {
        self.engine.model.queue.theory
    }

    /// The queue once a simulated second (the last [`super::QUEUE_SERIES_LEN`]).
    pub fn queue_series(&self) -> &Ring<QueueSample> {
        &self.engine.model.queue.series
    }

    /// Little's law for the queue's messages in flight: L = λ·E[S], exact for any processing-time
    /// distribution, with E[S] from [`mean_processing_ms`].
    pub fn littles_in_flight(&self) -> f64 {
        let p = self.params();
        p.rate_per_s * mean_processing_ms(p) / 1_000.0
    }

    /// The simulated mean of messages in flight beside Little's law, or why they cannot be
    /// compared now (a consumer down, an overload, a departure from the premises, too few orders).
    pub fn queue_theory(&self) -> Agreement {
        let m = &self.engine.model;
        let p = self.params();
        let now = self.now();
        if m.queue.any_down() {
            return Agreement::Outside(
                "No Little's-law comparison while a consumer is down: what it held waits out the visibility timeout \
                 and is delivered again."
                    .into(),
            );
        }
        if p.rate_per_s <= 0.0 {
            return Agreement::Outside("No orders arrive: nothing to compare with Little's law.".into());
        }
        let l = self.littles_in_flight();
        if l >= p.consumers as f64 {
            return Agreement::Outside(format!(
                "No Little's-law comparison: the orders need {} consumers busy on average, more than the {}, so the \
                 queue grows without bound; there is no steady state to compare.",
                num(l, 1),
                p.consumers
            ));
        }
        if p.queue == QueueKind::Fifo {
            let busiest = busiest_share(p) * l;
            if busiest >= 1.0 {
                return Agreement::Outside(format!(
                    "No Little's-law comparison: customer-0's orders alone need {} consumers busy on average, and a \
                     FIFO group is processed one message at a time, so its backlog grows without bound.",
                    num(busiest, 1)
                ));
            }
        }
        let t = &m.queue.theory;
        let why = |d: QueueDeparture| match d {
            QueueDeparture::Crash => "a consumer crashed",
            QueueDeparture::Redelivery => "a visibility timeout ran out (the formula counts each order processed once)",
            QueueDeparture::ReaderOrder => "a button sent an order (not part of the Poisson stream)",
            QueueDeparture::Refused => "the queue refused an order at the simulation's bound",
        };
        let ago = |at: Micros| num(now.saturating_sub(at) as f64 / SEC as f64, 1);
        let n = grouped(t.processed as f64);
        let min = grouped(THEORY_MIN_ORDERS as f64);
        match (t.since, t.departed) {
            (None, Some((at, d))) => Agreement::Outside(format!(
                "No Little's-law comparison yet: {} {} s ago; comparing again once nothing waits.",
                why(d),
                ago(at)
            )),
            (Some(since), _) if t.processed >= THEORY_MIN_ORDERS => Agreement::Compared(Comparison {
                what: "messages in flight",
                simulated: t.busy_area / now.saturating_sub(since).max(1) as f64,
                theory: l,
                formula: "Little's law",
                unit: Unit::Count,
                n: t.processed,
                spread: None,
            }),
            (_, Some((at, d))) => Agreement::Outside(format!(
                "No Little's-law comparison yet: {} {} s ago; too few orders since (n = {n} of {min}).",
                why(d),
                ago(at)
            )),
            (_, None) => {
                Agreement::Outside(format!("Too few orders yet for a Little's-law comparison (n = {n} of {min})."))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_cdf_is_accurate() {
        assert!((std_normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((std_normal_cdf(1.959_964) - 0.975).abs() < 1e-7);
        assert!((std_normal_cdf(-2.326_348) - 0.01).abs() < 1e-7);
        assert!(std_normal_cdf(-40.0) >= 0.0 && std_normal_cdf(40.0) <= 1.0);
    }

    /// The defaults: 500 ms median, p99 2 s: σ = ln 4 / 2.3263 = 0.5959, E[S] = 500·e^{σ²/2} =
    /// 597.1 ms. A constant time is itself; a heavy tail against the 600 s cap is cut.
    #[test]
    fn mean_processing_time() {
        let p = QueueSemanticsParams::STANDARD;
        assert!((mean_processing_ms(&p) - 597.1).abs() < 0.1, "{}", mean_processing_ms(&p));
        let constant = QueueSemanticsParams { processing_tail: 1.0, ..p };
        assert_eq!(mean_processing_ms(&constant), 500.0);
        let heavy = QueueSemanticsParams { processing_ms: 60_000.0, processing_tail: 100.0, ..p };
        let uncut = 60_000.0 * libm::exp(libm::pow(libm::log(100.0) / crate::rng::Z99, 2.0) / 2.0);
        assert!(mean_processing_ms(&heavy) < uncut && mean_processing_ms(&heavy) > 60_000.0);
    }
}
