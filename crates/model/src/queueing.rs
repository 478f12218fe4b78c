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
}
