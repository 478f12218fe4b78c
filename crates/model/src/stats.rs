//! Streaming statistics: running summaries, a fixed-size latency histogram for percentiles, and
//! a bounded ring buffer for time series. Nothing here allocates after construction.

/// Count, mean, min and max of a stream (Welford's algorithm for the variance).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Summary {
    pub count: u64,
    mean: f64,
    m2: f64,
    pub min: f64,
    pub max: f64,
}

impl Summary {
    pub fn add(&mut self, x: f64) {
        if self.count == 0 {
            self.min = x;
            self.max = x;
        } else {
            self.min = self.min.min(x);
            self.max = self.max.max(x);
        }
        self.count += 1;
        let d = x - self.mean;
        self.mean += d / self.count as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Mean, or 0 for an empty stream.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Sample variance, or 0 with fewer than two values.
    pub fn variance(&self) -> f64 {
        if self.count < 2 {
            0.0
        } else {
            self.m2 / (self.count - 1) as f64
        }
    }
}

const SUB_BITS: u32 = 5;
const SUB: u64 = 1 << SUB_BITS;
const MAX_EXP: u32 = 42; // values up to 2^42 µs ≈ 51 days
const BUCKETS: usize = (SUB as usize) * (MAX_EXP as usize - SUB_BITS as usize + 2);

/// A log-linear histogram of non-negative integers (microseconds), like HdrHistogram with
/// 32 sub-buckets per power of two: every recorded value is reproduced within 1/32 (about 3%).
#[derive(Clone)]
pub struct Histogram {
    counts: Box<[u32; BUCKETS]>,
    total: u64,
}

impl std::fmt::Debug for Histogram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Histogram").field("total", &self.total).finish()
    }
}

impl Default for Histogram {
    fn default() -> Self {
        Self::new()
    }
}

impl Histogram {
    pub fn new() -> Self {
        Histogram { counts: Box::new([0; BUCKETS]), total: 0 }
    }

    fn index(v: u64) -> usize {
        if v < SUB {
            return v as usize;
        }
        let v = v.min((1u64 << MAX_EXP) - 1);
        let exp = 63 - v.leading_zeros(); // floor(log2 v) ≥ SUB_BITS
        let shift = exp - SUB_BITS;
        let sub = (v >> shift) - SUB; // in [0, SUB)
        ((shift as u64 + 1) * SUB + sub) as usize
    }

    /// The midpoint of the bucket with this index.
    fn value_of(i: usize) -> u64 {
        let i = i as u64;
        if i < SUB {
            return i;
        }
        let shift = i / SUB - 1;
        let sub = i % SUB + SUB;
        let lo = sub << shift;
        lo + ((1u64 << shift) >> 1)
    }

    pub fn record(&mut self, v: u64) {
        self.counts[Self::index(v)] += 1;
        self.total += 1;
    }

    pub fn count(&self) -> u64 {
        self.total
    }

    pub fn clear(&mut self) {
        if self.total > 0 {
            self.counts.fill(0);
            self.total = 0;
        }
    }

    /// Adds another histogram's counts to this one.
    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(other.counts.iter()) {
            *a += *b;
        }
        self.total += other.total;
    }

    /// The value at quantile `q` in [0, 1]; `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<u64> {
        if self.total == 0 {
            return None;
        }
        let q = if q.is_nan() { 0.5 } else { crate::num::clamp(q, 0.0, 1.0) };
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0u64;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c as u64;
            if seen >= rank {
                return Some(Self::value_of(i));
            }
        }
        None
    }
}

/// A fixed-capacity ring buffer: pushing onto a full ring drops the oldest item. This is what
/// bounds every history a widget keeps, however long it runs.
#[derive(Clone, Debug)]
pub struct Ring<T> {
    buf: Vec<T>,
    cap: usize,
    head: usize, // index of the oldest item when full
}

impl<T: Clone> Ring<T> {
    pub fn new(cap: usize) -> Self {
        let cap = cap.max(1);
        Ring { buf: Vec::with_capacity(cap), cap, head: 0 }
    }

    pub fn push(&mut self, x: T) {
        if self.buf.len() < self.cap {
            self.buf.push(x);
        } else {
            self.buf[self.head] = x;
            self.head = (self.head + 1) % self.cap;
        }
    }

    pub fn len(&self) -> usize {
        self.buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    pub fn capacity(&self) -> usize {
        self.cap
    }

    pub fn clear(&mut self) {
        self.buf.clear();
        self.head = 0;
    }

    /// Oldest to newest.
    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        let (a, b) = self.buf.split_at(self.head);
        b.iter().chain(a.iter())
    }

    pub fn last(&self) -> Option<&T> {
        if self.buf.is_empty() {
            None
        } else if self.buf.len() < self.cap || self.head == 0 {
            self.buf.last()
        } else {
            self.buf.get(self.head - 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_matches_direct_computation() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let mut s = Summary::default();
        xs.iter().for_each(|&x| s.add(x));
        assert_eq!(s.mean(), 5.0);
        assert!((s.variance() - 32.0 / 7.0).abs() < 1e-12);
        assert_eq!((s.min, s.max, s.count), (2.0, 9.0, 8));
    }

    #[test]
    fn histogram_error_is_bounded() {
        for v in [0u64, 1, 31, 32, 33, 100, 999, 12_345, 1_000_000, 987_654_321] {
            let mut h = Histogram::new();
            h.record(v);
            let got = h.quantile(0.5).unwrap() as f64;
            assert!((got - v as f64).abs() <= (v as f64 / 32.0).max(0.5), "{v} -> {got}");
        }
    }

    #[test]
    fn histogram_quantiles() {
        let mut h = Histogram::new();
        for v in 1..=10_000u64 {
            h.record(v);
        }
        let p50 = h.quantile(0.5).unwrap() as f64;
        let p99 = h.quantile(0.99).unwrap() as f64;
        assert!((p50 / 5_000.0 - 1.0).abs() < 0.035, "{p50}");
        assert!((p99 / 9_900.0 - 1.0).abs() < 0.035, "{p99}");
        assert_eq!(Histogram::new().quantile(0.5), None);
        h.clear();
        assert_eq!(h.count(), 0);
    }

    #[test]
    fn ring_keeps_newest() {
        let mut r = Ring::new(3);
        for i in 0..5 {
            r.push(i);
        }
        assert_eq!(r.iter().copied().collect::<Vec<_>>(), vec![2, 3, 4]);
        assert_eq!(r.last(), Some(&4));
        assert_eq!(r.len(), 3);
        r.push(5);
        assert_eq!(r.last(), Some(&5));
    }
}
