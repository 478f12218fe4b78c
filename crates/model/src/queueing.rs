//! Closed-form queueing results the simulations are checked against.

/// Mean time in system of an M/M/1 queue, W = 1 / (μ − λ). Infinite when λ ≥ μ.
pub fn mm1_time_in_system(lambda: f64, mu: f64) -> f64 {
    if lambda >= mu {
        f64::INFINITY
    } else {
        1.0 / (mu - lambda)
    }
}

/// Erlang C: the probability that an arrival to an M/M/c queue has to wait, for `c` servers and
/// offered load `a = λ/μ` Erlangs. 1 when the system is overloaded (a ≥ c).
pub fn erlang_c(c: u32, a: f64) -> f64 {
    if c == 0 || a >= c as f64 {
        return 1.0;
    }
    if a <= 0.0 {
        return 0.0;
    }
    // Erlang B by its stable recurrence, then C = B / (1 − ρ(1 − B)).
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    let rho = a / c as f64;
    b / (1.0 - rho * (1.0 - b))
}

/// Mean waiting time in queue of M/M/c: Wq = C(c, a) / (cμ − λ).
pub fn mmc_wait(c: u32, lambda: f64, mu: f64) -> f64 {
    let cap = c as f64 * mu;
    if lambda >= cap {
        return f64::INFINITY;
    }
    erlang_c(c, lambda / mu) / (cap - lambda)
}

/// Mean time in system of M/M/c: W = Wq + 1/μ.
pub fn mmc_time_in_system(c: u32, lambda: f64, mu: f64) -> f64 {
    mmc_wait(c, lambda, mu) + 1.0 / mu
}

/// Steady state of an M/M/c/K queue: Poisson arrivals at rate λ, `c` servers with exponential
/// service at rate μ each, room for `k` requests in all (in service plus waiting, `k ≥ c`); an
/// arrival that finds `k` present is blocked. Gross, Shortle, Thompson and Harris, *Fundamentals
/// of Queueing Theory* (4th ed., 2008), §2.5: p_n = rⁿ/n!·p₀ for n < c and rⁿ/(cⁿ⁻ᶜ·c!)·p₀ for
/// c ≤ n ≤ K, with r = λ/μ; means by Little's law with the admitted rate λ(1 − p_K).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MmcK {
    /// p_K: the probability that an arrival is blocked (the system is full).
    pub blocking: f64,
    /// The probability that an admitted arrival waits (finds all `c` servers busy).
    pub p_wait: f64,
    /// L_q: mean number waiting.
    pub lq: f64,
    /// L: mean number in the system (waiting plus in service).
    pub l: f64,
    /// λ(1 − p_K): the rate of admitted arrivals.
    pub lambda_eff: f64,
    /// W_q = L_q / λ_eff: mean wait of an admitted arrival (seconds when rates are per second).
    pub wq: f64,
    /// W = L / λ_eff = W_q + 1/μ: mean time in the system.
    pub w: f64,
}

/// The M/M/c/K steady state (see [`MmcK`]); `None` for meaningless input (no servers, a rate
/// that is not positive and finite). `k` is raised to `c` when smaller. Stable for any load and
/// any `k`: the unnormalised probabilities are built by their ratio p_n/p_{n−1} = r/min(n, c) and
/// rescaled when they grow large.
pub fn mmck(c: u32, k: u32, lambda: f64, mu: f64) -> Option<MmcK> {
    let ok = |x: f64| x.is_finite() && x > 0.0;
    if c == 0 || !ok(lambda) || !ok(mu) {
        return None;
    }
    let k = k.max(c);
    let r = lambda / mu;
    // Running sums of q_n, n·q_n and (n − c)·q_n over n ≤ K, and q_n itself.
    let (mut q, mut sum, mut sum_n, mut sum_wait, mut busy_all) = (1.0f64, 1.0f64, 0.0f64, 0.0f64, 0.0f64);
    for n in 1..=k {
        q *= r / n.min(c) as f64;
        if q > 1e150 {
            for x in [&mut q, &mut sum, &mut sum_n, &mut sum_wait, &mut busy_all] {
                *x *= 1e-150;
            }
        }
        sum += q;
        sum_n += n as f64 * q;
        if n >= c {
            sum_wait += (n - c) as f64 * q;
            busy_all += q;
        }
    }
    let p_k = q / sum;
    let lambda_eff = lambda * (1.0 - p_k);
    let (lq, l) = (sum_wait / sum, sum_n / sum);
    // An admitted arrival waits when it finds c ≤ n < K present (PASTA, conditioned on admission).
    let p_wait = if p_k < 1.0 { crate::num::clamp((busy_all - q) / sum / (1.0 - p_k), 0.0, 1.0) } else { 1.0 };
    let per = |x: f64| if lambda_eff > 0.0 { x / lambda_eff } else { f64::INFINITY };
    Some(MmcK { blocking: p_k, p_wait, lq, l, lambda_eff, wq: per(lq), w: per(l) })
}

/// P(T ≤ t) for T the `k`-th arrival of a Poisson process of rate `rate` (an Erlang-k time):
/// 1 − Σ_{i<k} e^{−rt}(rt)^i / i!, summed by the terms' ratio.
pub fn erlang_cdf(k: u32, rate: f64, t: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if !(t > 0.0 && rate > 0.0) {
        return 0.0;
    }
    let x = rate * t;
    let (mut term, mut sum) = (libm::exp(-x), 0.0);
    for i in 0..k {
        if i > 0 {
            term *= x / i as f64;
        }
        sum += term;
    }
    crate::num::clamp(1.0 - sum, 0.0, 1.0)
}

/// The `q`-quantile of the Erlang-k time of [`erlang_cdf`], by bisection; NaN for an unusable rate.
pub fn erlang_quantile(k: u32, rate: f64, q: f64) -> f64 {
    if !(rate > 0.0 && rate.is_finite() && (0.0..1.0).contains(&q)) {
        return f64::NAN;
    }
    let mean = k as f64 / rate;
    let (mut lo, mut hi) = (0.0, mean.max(1e-12));
    while erlang_cdf(k, rate, hi) < q {
        hi *= 2.0;
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if erlang_cdf(k, rate, mid) < q {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// What a closed-form comparison measures, for its wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Times in milliseconds.
    Ms,
    /// Times in seconds.
    S,
    /// A plain count (busy threads, queued requests).
    Count,
    /// A share (stale reads of all reads), shown as a percentage.
    Share,
}

impl Unit {
    fn show(self, x: f64) -> String {
        match self {
            Unit::Ms => crate::fmt::ms(x),
            Unit::S => format!("{} s", crate::fmt::short(x, 1)),
            Unit::Count => crate::fmt::short(x, 1),
            Unit::Share => crate::fmt::percent(x),
        }
    }
}

/// A simulated mean set beside its closed form.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// What is compared, as the badge names it ("wait", "busy threads").
    pub what: &'static str,
    pub simulated: f64,
    pub theory: f64,
    /// The formula's name ("M/M/c/K", "Little's law").
    pub formula: &'static str,
    pub unit: Unit,
    /// Samples behind the simulated value.
    pub n: u64,
    /// For a single draw (one run's detection time): where 90 % of runs fall, the 5th and 95th
    /// percentiles. The run agrees when it falls inside.
    pub spread: Option<(f64, f64)>,
}

/// A simulation's agreement with a closed form, or why the formula does not apply right now.
#[derive(Clone, Debug, PartialEq)]
pub enum Agreement {
    Compared(Comparison),
    /// The run is outside the formula's assumptions (a fault, an overload, too few samples):
    /// a plain explanation instead of a misleading comparison.
    Outside(String),
}

/// Below this relative difference the badge says "within"; above, "differs by".
pub const WITHIN: f64 = 0.2;

impl Comparison {
    /// Whether the run agrees: inside the 90 % range for a single draw, else within [`WITHIN`].
    pub fn agrees(&self) -> bool {
        match self.spread {
            Some((lo, hi)) => self.simulated >= lo && self.simulated <= hi,
            None => self.relative_difference() <= WITHIN,
        }
    }

    /// |simulated − theory| / theory (0 when both are 0).
    pub fn relative_difference(&self) -> f64 {
        let d = (self.simulated - self.theory).abs();
        if d == 0.0 {
            0.0
        } else if self.theory.abs() > 0.0 {
            d / self.theory.abs()
        } else {
            f64::INFINITY
        }
    }
}

impl Agreement {
    /// The badge: "simulated wait 1.3 ms · M/M/c/K 1.2 ms (within 9%)", or the explanation.
    pub fn text(&self) -> String {
        match self {
            Agreement::Outside(why) => why.clone(),
            Agreement::Compared(c) if c.spread.is_some() => {
                let (lo, hi) = c.spread.unwrap_or_default();
                let verdict = if c.agrees() { "inside" } else { "outside" };
                format!(
                    "this run's {} {} · {} {} on average ({verdict} the range where 90% of runs fall, {}–{})",
                    c.what,
                    c.unit.show(c.simulated),
                    c.formula,
                    c.unit.show(c.theory),
                    c.unit.show(lo).trim_end_matches(" s").trim_end_matches(" ms"),
                    c.unit.show(hi)
                )
            }
            Agreement::Compared(c) => {
                let d = c.relative_difference();
                let pct = (d * 100.0).ceil().max(1.0);
                let how = if d == 0.0 && c.theory == 0.0 {
                    "agrees".to_string()
                } else if d <= WITHIN {
                    format!("within {}%", crate::fmt::num(pct, 0))
                } else if d.is_finite() {
                    format!("differs by {}%", crate::fmt::grouped(pct))
                } else {
                    "the formula says zero".to_string()
                };
                format!(
                    "simulated {} {} · {} {} ({how}; n = {})",
                    c.what,
                    c.unit.show(c.simulated),
                    c.formula,
                    c.unit.show(c.theory),
                    crate::fmt::grouped(c.n as f64)
                )
            }
        }
    }

    /// The closed form's value, for the chart's dashed line; `None` when outside its assumptions.
    pub fn reference(&self) -> Option<f64> {
        match self {
            Agreement::Compared(c) if c.theory.is_finite() => Some(c.theory),
            _ => None,
        }
    }

    /// Whether the run agrees with the formula within [`WITHIN`].
    pub fn agrees(&self) -> bool {
        matches!(self, Agreement::Compared(c) if c.agrees())
    }
}

/// Requests reaching the bottom of `layers` stacked services that each try `attempts` times when
/// everything below fails: attempts^layers.
pub fn retry_amplification(attempts: u32, layers: u32) -> f64 {
    (attempts as f64).powi(layers as i32)
}

/// Client-side adaptive throttling from the Google SRE book ("Handling Overload"): the probability
/// of rejecting a request locally, max(0, (requests − K·accepts) / (requests + 1)).
pub fn adaptive_throttle_reject(requests: f64, accepts: f64, k: f64) -> f64 {
    crate::num::clamp((requests - k * accepts) / (requests + 1.0), 0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_golden() {
        assert!((erlang_c(3, 2.0) - 0.4444).abs() < 1e-4);
        assert!((erlang_c(10, 6.0) - 0.1013).abs() < 1e-4);
        assert_eq!(erlang_c(1, 0.5), 0.5); // M/M/1: P(wait) = ρ
        assert_eq!(erlang_c(2, 2.0), 1.0);
    }

    #[test]
    fn mm1_is_mmc_with_one_server() {
        let (l, m) = (0.9, 1.0);
        assert!((mm1_time_in_system(l, m) - mmc_time_in_system(1, l, m)).abs() < 1e-9);
        assert!(mm1_time_in_system(1.0, 1.0).is_infinite());
    }

    #[test]
    fn amplification() {
        assert_eq!(retry_amplification(4, 3), 64.0);
        assert_eq!(retry_amplification(1, 5), 1.0);
    }

    #[test]
    fn throttle_golden() {
        // accept ratio 25 % => about 0.50; 10 % => about 0.80 (K = 2)
        let r = adaptive_throttle_reject(1000.0, 250.0, 2.0);
        assert!((r - 0.50).abs() < 0.01, "{r}");
        let r = adaptive_throttle_reject(1000.0, 100.0, 2.0);
        assert!((r - 0.80).abs() < 0.01, "{r}");
        assert_eq!(adaptive_throttle_reject(100.0, 100.0, 2.0), 0.0);
        assert_eq!(adaptive_throttle_reject(0.0, 0.0, 2.0), 0.0);
    }

    /// M/M/1/K against its own closed form (Gross et al. §2.5.1):
    /// p_K = (1 − ρ)ρᴷ / (1 − ρᴷ⁺¹), L = ρ/(1 − ρ) − (K + 1)ρᴷ⁺¹/(1 − ρᴷ⁺¹).
    #[test]
    fn mm1k_matches_its_closed_form() {
        for (rho, k) in [(0.5, 3u32), (0.9, 10), (1.5, 5), (0.99, 40)] {
            let q = mmck(1, k, rho, 1.0).unwrap();
            let kk = k as i32;
            let pk = (1.0 - rho) * rho.powi(kk) / (1.0 - rho.powi(kk + 1));
            let l = rho / (1.0 - rho) - (k as f64 + 1.0) * rho.powi(kk + 1) / (1.0 - rho.powi(kk + 1));
            assert!((q.blocking - pk).abs() < 1e-12, "{rho} {k}: {} vs {pk}", q.blocking);
            assert!((q.l - l).abs() < 1e-9, "{rho} {k}: {} vs {l}", q.l);
            // Little's law ties the means: W = L/λ_eff and W = W_q + 1/μ.
            assert!((q.w - (q.wq + 1.0)).abs() < 1e-9);
        }
        // ρ = 1: all K + 1 states equally likely.
        let q = mmck(1, 4, 2.0, 2.0).unwrap();
        assert!((q.blocking - 0.2).abs() < 1e-12);
        assert!((q.l - 2.0).abs() < 1e-12);
    }

    /// With K → ∞ M/M/c/K is M/M/c: Erlang C and W_q = C/(cμ − λ); with K = c it is the loss
    /// system, whose blocking is Erlang B (3 servers, 2 Erlangs: (2³/3!)/(1 + 2 + 2 + 2³/3!) = 4/19).
    #[test]
    fn mmck_reduces_to_mmc_and_erlang_b() {
        for (c, lambda, mu) in [(3u32, 2.0, 1.0), (10, 6.0, 1.0), (8, 560.0, 100.0), (8, 760.0, 100.0)] {
            let q = mmck(c, 100_000, lambda, mu).unwrap();
            assert!(q.blocking < 1e-12);
            assert!((q.p_wait - erlang_c(c, lambda / mu)).abs() < 1e-9, "{c} {lambda}");
            assert!((q.wq - mmc_wait(c, lambda, mu)).abs() < 1e-9 * (1.0 + q.wq), "{c} {lambda}");
            assert!((q.w - mmc_time_in_system(c, lambda, mu)).abs() < 1e-9 * (1.0 + q.w));
        }
        let b = mmck(3, 3, 2.0, 1.0).unwrap();
        assert!((b.blocking - 4.0 / 19.0).abs() < 1e-12);
        assert_eq!(b.lq, 0.0);
        assert_eq!(b.p_wait, 0.0);
        // The retry storm's dependency at its default 70 % load: 8 workers of 100/s, K = 408.
        let d = mmck(8, 408, 560.0, 100.0).unwrap();
        assert!((d.wq * 1_000.0 - 1.13).abs() < 0.005, "{}", d.wq * 1_000.0);
    }

    /// Overload and huge K stay finite (rescaled sums); bad input is refused.
    #[test]
    fn mmck_is_stable() {
        let q = mmck(8, 100_408, 960.0, 100.0).unwrap();
        assert!(q.blocking.is_finite() && (q.blocking - (1.0 - 800.0 / 960.0)).abs() < 1e-6, "{}", q.blocking);
        assert!(q.lq > 99_000.0 && q.lq.is_finite());
        assert!(mmck(0, 5, 1.0, 1.0).is_none());
        assert!(mmck(2, 5, f64::NAN, 1.0).is_none());
        assert!(mmck(2, 5, 1.0, 0.0).is_none());
        let q = mmck(4, 1, 1.0, 1.0).unwrap(); // K raised to c
        assert_eq!(q.lq, 0.0);
    }

    #[test]
    fn agreement_text() {
        let c = Comparison {
            what: "wait",
            simulated: 41.0,
            theory: 40.0,
            formula: "M/M/c",
            unit: Unit::Ms,
            n: 5_600,
            spread: None,
        };
        let a = Agreement::Compared(c.clone());
        assert_eq!(a.text(), "simulated wait 41 ms · M/M/c 40 ms (within 3%; n = 5,600)");
        assert!(a.agrees());
        assert_eq!(a.reference(), Some(40.0));
        let far = Agreement::Compared(Comparison { simulated: 60.0, ..c });
        assert_eq!(far.text(), "simulated wait 60 ms · M/M/c 40 ms (differs by 50%; n = 5,600)");
        assert!(!far.agrees());
        let out = Agreement::Outside("too few samples yet (n = 12)".into());
        assert_eq!(out.text(), "too few samples yet (n = 12)");
        assert_eq!(out.reference(), None);
        assert!(!out.agrees());
    }

    /// Erlang-k percentiles: k = 1 is exponential (median ln 2 / r); k = 10 errors at 0.5 a
    /// second (the rollout's default canary: 1,000 requests/s, 1 % of them, 5 % failing) have a
    /// mean of 20 s and a 90 % range of 10.85–31.41 s: 2r·T is χ² with 2k degrees of freedom,
    /// and the tabulated χ²₀.₀₅(20) = 10.851, χ²₀.₉₅(20) = 31.410 (2r = 1 here).
    #[test]
    fn erlang_percentiles() {
        assert!((erlang_quantile(1, 2.0, 0.5) - std::f64::consts::LN_2 / 2.0).abs() < 1e-9);
        assert!((erlang_quantile(10, 0.5, 0.05) - 10.851).abs() < 1e-3, "{}", erlang_quantile(10, 0.5, 0.05));
        assert!((erlang_quantile(10, 0.5, 0.95) - 31.410).abs() < 1e-3, "{}", erlang_quantile(10, 0.5, 0.95));
        assert!((erlang_cdf(10, 0.5, 20.0) - 0.542).abs() < 1e-3);
        assert!(erlang_quantile(3, 0.0, 0.5).is_nan());
    }

    #[test]
    fn a_single_run_is_judged_by_the_range() {
        let c = Comparison {
            what: "time to detect",
            simulated: 17.9,
            theory: 20.0,
            formula: "count threshold",
            unit: Unit::S,
            n: 1,
            spread: Some((10.85, 31.41)),
        };
        let a = Agreement::Compared(c.clone());
        assert!(a.agrees());
        assert_eq!(
            a.text(),
            "this run's time to detect 17.9 s · count threshold 20 s on average (inside the range where 90% of runs fall, 10.9–31.4 s)"
        );
        assert!(!Agreement::Compared(Comparison { simulated: 40.0, ..c }).agrees());
    }
}
