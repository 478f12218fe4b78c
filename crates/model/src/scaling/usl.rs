//! The Universal Scalability Law (Gunther): how far a fleet of identical nodes can grow before
//! contention and crosstalk make more nodes serve less.

/// Gunther's Universal Scalability Law: the capacity of `n` nodes relative to one,
/// `n / (1 + alpha(n − 1) + beta·n(n − 1))`. `alpha` is contention (the serial fraction, as in
/// Amdahl's law), `beta` crosstalk (the cost of keeping nodes coherent, which grows with pairs).
pub fn usl(n: f64, alpha: f64, beta: f64) -> f64 {
    let n = if n.is_nan() { 0.0 } else { n.max(0.0) };
    let d = 1.0 + alpha * (n - 1.0) + beta * n * (n - 1.0);
    if d > 0.0 && d.is_finite() {
        n / d
    } else {
        0.0
    }
}

/// The node count at which [`usl`] peaks, `sqrt((1 − alpha) / beta)`. `None` when `beta ≤ 0`:
/// without crosstalk there is no peak and capacity only approaches `1 / alpha` (Amdahl's law).
/// Also `None` when beta is so small that the peak overflows `f64`.
pub fn usl_peak(alpha: f64, beta: f64) -> Option<f64> {
    if beta > 0.0 && beta.is_finite() && alpha.is_finite() {
        Some(((1.0 - alpha).max(0.0) / beta).sqrt()).filter(|n| n.is_finite())
    } else {
        None
    }
}
