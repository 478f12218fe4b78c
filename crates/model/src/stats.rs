//! Streaming statistics: running summaries, a fixed-size latency histogram for percentiles, and
//! a bounded ring buffer for time series. Nothing here allocates after construction, but a
//! [`Ring`] whose old chunks a copy still shares.

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
///
/// The items live in chunks of [`RING_CHUNK`] behind `Arc`s, and a clone shares the full chunks
/// with its original (only the newest, partly filled chunk is copied). A timeline keeps up to 128
/// copies of a run ([`crate::replay`]), so a copy of a 600-window chart history costs about
/// twenty pointers, not 600 samples. A ring that shares nothing recycles its oldest chunk when it
/// drops out, so pushing allocates nothing once the ring is full; one whose old chunks a copy
/// still holds allocates a fresh chunk every [`RING_CHUNK`] pushes ([`ring_chunks_made`] counts
/// them, for `tests/no_alloc.rs`).
#[derive(Debug)]
pub struct Ring<T> {
    /// Oldest first; every chunk but the last holds exactly `chunk` items.
    chunks: Vec<std::sync::Arc<Vec<T>>>,
    /// Items of the first chunk already dropped.
    skip: usize,
    len: usize,
    cap: usize,
    /// Items per chunk: [`RING_CHUNK`], or the capacity when smaller.
    chunk: usize,
    /// A dropped chunk nobody else holds, emptied, for the next chunk the ring needs.
    spare: Option<std::sync::Arc<Vec<T>>>,
}

thread_local! {
    static CHUNKS_MADE: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Chunks the rings of this thread have allocated in pushes, ever: instrumentation for the
/// allocation tests (nothing a simulation computes reads it).
pub fn ring_chunks_made() -> u64 {
    CHUNKS_MADE.with(std::cell::Cell::get)
}

/// Items per chunk of a [`Ring`] (of a smaller ring: its capacity).
pub const RING_CHUNK: usize = 32;

impl<T: Clone> Ring<T> {
    pub fn new(cap: usize) -> Self {
        let cap = cap.max(1);
        let chunk = cap.min(RING_CHUNK);
        Ring { chunks: Vec::with_capacity(cap.div_ceil(chunk) + 2), skip: 0, len: 0, cap, chunk, spare: None }
    }

    pub fn push(&mut self, x: T) {
        if self.len == self.cap {
            self.len -= 1;
            self.skip += 1;
            if self.skip == self.chunk {
                self.skip = 0;
                // A few dozen pointers shift down (a VecDeque would cost more code than it saves).
                let mut old = self.chunks.remove(0);
                // Kept for reuse only if no copy of the ring still reads it.
                if let Some(v) = std::sync::Arc::get_mut(&mut old) {
                    v.clear();
                    self.spare = Some(old);
                }
            }
        }
        let n = self.chunk;
        if self.chunks.last().is_none_or(|c| c.len() == n) {
            let chunk = self.spare.take().unwrap_or_else(|| {
                CHUNKS_MADE.with(|n| n.set(n.get() + 1));
                std::sync::Arc::new(Vec::with_capacity(n))
            });
            self.chunks.push(chunk);
        }
        // The newest chunk is never shared (a clone copies it) and never full here.
        if let Some(last) = self.chunks.last_mut().and_then(std::sync::Arc::get_mut) {
            last.push(x);
            self.len += 1;
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn capacity(&self) -> usize {
        self.cap
    }

    pub fn clear(&mut self) {
        self.chunks.clear();
        self.skip = 0;
        self.len = 0;
    }

    /// Oldest to newest.
    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        let skip = self.skip;
        self.chunks.iter().enumerate().flat_map(move |(i, c)| c[if i == 0 { skip } else { 0 }..].iter())
    }

    pub fn last(&self) -> Option<&T> {
        self.chunks.last().and_then(|c| c.last())
    }
}

impl<T: Clone> Clone for Ring<T> {
    /// Shares the full chunks; copies the newest one when it is partly filled, so neither ring
    /// ever writes into a chunk the other reads.
    fn clone(&self) -> Self {
        let mut chunks = Vec::with_capacity(self.chunks.capacity());
        for c in &self.chunks {
            if c.len() == self.chunk {
                chunks.push(std::sync::Arc::clone(c));
            } else {
                let mut v = Vec::with_capacity(self.chunk);
                v.extend_from_slice(c);
                chunks.push(std::sync::Arc::new(v));
            }
        }
        Ring { chunks, skip: self.skip, len: self.len, cap: self.cap, chunk: self.chunk, spare: None }
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

    proptest::proptest! {
        /// A ring is the newest `cap` items pushed, whatever its clones do: each copy goes its
        /// own way from the moment it was taken (they share chunks, never writes).
        #[test]
        fn ring_and_its_clones_each_keep_their_newest(cap in 1usize..100, pushes in proptest::collection::vec((0u32..1000, proptest::bool::ANY), 0..400)) {
            let mut rings = vec![(Ring::new(cap), std::collections::VecDeque::new())];
            for (i, (x, copy)) in pushes.into_iter().enumerate() {
                if copy {
                    let (r, m) = &rings[i % rings.len()];
                    rings.push((r.clone(), m.clone()));
                }
                for (k, (r, m)) in rings.iter_mut().enumerate() {
                    let v = x.wrapping_add(k as u32);
                    r.push(v);
                    m.push_back(v);
                    if m.len() > cap {
                        m.pop_front();
                    }
                }
            }
            for (r, m) in &rings {
                proptest::prop_assert_eq!(r.iter().copied().collect::<Vec<_>>(), m.iter().copied().collect::<Vec<_>>());
                proptest::prop_assert_eq!(r.len(), m.len());
                proptest::prop_assert_eq!(r.last(), m.back());
            }
        }
    }

    #[test]
    fn a_ring_that_shares_nothing_stops_allocating_once_full() {
        for cap in [1, 7, 32, 33, 600, 3_600] {
            let mut r = Ring::new(cap);
            (0..cap * 2).for_each(|i| r.push(i));
            let made = ring_chunks_made();
            (0..cap * 10).for_each(|i| r.push(i));
            assert_eq!(ring_chunks_made(), made, "cap {cap}");
        }
    }

    #[test]
    fn a_copy_shares_the_full_chunks() {
        let mut r = Ring::new(600);
        (0..1_000u64).for_each(|i| r.push(i));
        let c = r.clone();
        let shared = r.chunks.iter().zip(&c.chunks).filter(|(a, b)| std::sync::Arc::ptr_eq(a, b)).count();
        assert_eq!(shared, r.chunks.len() - 1, "all but the newest, partly filled chunk");
    }
}
