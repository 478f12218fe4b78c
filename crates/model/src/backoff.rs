//! Backoff and jitter, exactly as in Marc Brooker, "Exponential Backoff And Jitter",
//! AWS Architecture Blog, 2015. Shared by the retry-storm model and the contention experiment.

use crate::rng::Rng;

/// How the wait before a retry grows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backoff {
    /// Retry immediately.
    None,
    /// Always wait `base`.
    Constant,
    /// Wait `min(cap, base · 2^attempt)`.
    Exponential,
}

/// How randomness is mixed into the wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jitter {
    None,
    /// `uniform(0, wait)`.
    Full,
    /// `wait/2 + uniform(0, wait/2)`.
    Equal,
    /// `min(cap, uniform(base, previous · 3))`; ignores the attempt number.
    Decorrelated,
}

/// A retry schedule. Times are in any unit (the callers use microseconds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BackoffPolicy {
    pub backoff: Backoff,
    pub jitter: Jitter,
    pub base: f64,
    pub cap: f64,
}

impl BackoffPolicy {
    /// The wait before retry number `attempt` (1 for the first retry). `prev` is the previous wait
    /// (start it at `base`), used only by decorrelated jitter.
    pub fn delay(&self, attempt: u32, prev: f64, rng: &mut Rng) -> f64 {
        let base = self.base.max(0.0);
        let cap = self.cap.max(base);
        let wait = match self.backoff {
            Backoff::None => return 0.0,
            Backoff::Constant => base,
            Backoff::Exponential => (base * 2f64.powi(attempt.min(60) as i32)).min(cap),
        };
        match self.jitter {
            Jitter::None => wait,
            Jitter::Full => rng.uniform_range(0.0, wait),
            Jitter::Equal => wait / 2.0 + rng.uniform_range(0.0, wait / 2.0),
            Jitter::Decorrelated => {
                let hi = (prev.max(base) * 3.0).max(base);
                rng.uniform_range(base, hi).min(cap)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(backoff: Backoff, jitter: Jitter) -> BackoffPolicy {
        BackoffPolicy { backoff, jitter, base: 10.0, cap: 1000.0 }
    }

    #[test]
    fn shapes() {
        let mut r = Rng::new(3);
        let e = p(Backoff::Exponential, Jitter::None);
        let waits: Vec<f64> = (1..=8).map(|a| e.delay(a, 0.0, &mut r)).collect();
        assert_eq!(waits, vec![20.0, 40.0, 80.0, 160.0, 320.0, 640.0, 1000.0, 1000.0]);
        assert_eq!(p(Backoff::None, Jitter::Full).delay(3, 0.0, &mut r), 0.0);
        assert_eq!(p(Backoff::Constant, Jitter::None).delay(5, 0.0, &mut r), 10.0);
        for a in 1..10 {
            let f = p(Backoff::Exponential, Jitter::Full).delay(a, 0.0, &mut r);
            let w = e.delay(a, 0.0, &mut r);
            assert!((0.0..=w).contains(&f));
            let q = p(Backoff::Exponential, Jitter::Equal).delay(a, 0.0, &mut r);
            assert!((w / 2.0..=w).contains(&q));
            let d = p(Backoff::Exponential, Jitter::Decorrelated).delay(a, 50.0, &mut r);
            assert!((10.0..=150.0).contains(&d));
        }
    }

    #[test]
    fn extreme_inputs_stay_finite() {
        let mut r = Rng::new(1);
        let e = BackoffPolicy { backoff: Backoff::Exponential, jitter: Jitter::Decorrelated, base: -5.0, cap: -1.0 };
        assert!(e.delay(u32::MAX, f64::MAX, &mut r).is_finite());
        let e = BackoffPolicy { backoff: Backoff::Exponential, jitter: Jitter::None, base: 1.0, cap: 1e9 };
        assert_eq!(e.delay(u32::MAX, 0.0, &mut r), 1e9);
    }
}
