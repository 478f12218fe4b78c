//! Small sorts. `slice::sort*` instantiates the standard library's pattern-defeating sorts (a few
//! KB of wasm per element type); these are a few hundred bytes each and fast enough for the
//! sizes the widgets sort (at most tens of thousands of samples).

/// Sorts floats ascending by [`f64::total_cmp`] (NaNs last), in place: heapsort, O(n log n).
pub fn floats(v: &mut [f64]) {
    heap_by(v, |a, b| a.total_cmp(b).is_lt());
}

/// Sorts by `key` ascending, in place: heapsort, O(n log n), not stable (use it where keys are
/// unique).
pub fn by_unique_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    heap_by(v, |a, b| key(a) < key(b));
}

/// Sorts by `key` ascending, keeping equal elements in order: insertion sort, O(n²), for short
/// lists.
pub fn short_stable_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && key(&v[j]) < key(&v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

fn heap_by<T>(v: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let sift = |v: &mut [T], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[root], &v[child]) {
            break;
        }
        v.swap(root, child);
        root = child;
    };
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift(v, i, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    #[allow(clippy::disallowed_methods)] // std's sort is the reference here; tests never reach a wasm bundle
    fn sorts_like_the_standard_library() {
        let mut r = Rng::new(7);
        for n in [0, 1, 2, 3, 10, 257, 5_000] {
            let mut a: Vec<f64> = (0..n).map(|_| r.exp(3.0).floor()).collect();
            if n > 5 {
                a[3] = f64::NAN;
                a[4] = -0.0;
            }
            let mut b = a.clone();
            floats(&mut a);
            b.sort_by(f64::total_cmp);
            assert_eq!(
                a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                b.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
            );
            let mut pairs: Vec<(u64, usize)> = (0..n).map(|i| (r.below(20), i)).collect();
            let mut want = pairs.clone();
            want.sort_by_key(|p| p.0);
            let mut stable = pairs.clone();
            short_stable_by_key(&mut stable, |p| p.0);
            assert_eq!(stable, want, "stable keeps equal keys in order");
            by_unique_key(&mut pairs, |p| *p);
            want.sort();
            assert_eq!(pairs, want);
        }
    }
}
