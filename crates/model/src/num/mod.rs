//! Numbers without the standard library's heavy paths: decimal parsing, clamping, small sorts
//! and roots. `str::parse::<f64>`, `f64::clamp`, `slice::sort*` and `f64::powf` each link
//! kilobytes of `core` into every wasm bundle; clippy.toml bans them and these stand in.

pub mod sort;

/// Clamps `x` into `[lo, hi]`; NaN stays NaN. Use it instead of `f64::clamp` (clippy.toml bans
/// that): its `min > max` assertion prints the bounds with `Debug`, which links core's float
/// printing (about 8 KB gzip) into every wasm bundle.
pub fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        x
    }
}

/// Clamps `x` into `[lo, hi]`, mapping NaN to `lo`: how every `XParams::clamped` repairs input.
pub fn clamp_or_low(x: f64, lo: f64, hi: f64) -> f64 {
    if x.is_nan() {
        lo
    } else {
        clamp(x, lo, hi)
    }
}

/// Parses a decimal number (`12`, `-0.5`, `.5`, `3e2`, `1.5E-3`) to a finite `f64`; anything else
/// (including `inf` and `NaN`) is `None`. Written out rather than `str::parse::<f64>`, whose
/// correctly-rounded algorithm brings about 10 KB of tables into every wasm bundle; for the
/// settings' at most 17 significant digits it is exact to within one rounding.
pub fn parse_decimal(s: &str) -> Option<f64> {
    // No `&s[i..]` here or in `fixed`: a byte-index slice of a `str` can panic, and its panic
    // message links core's char-boundary report (about 4 KB of wasm) into every bundle.
    let (neg, body) = signed(s.trim());
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let (mut digits, mut scale, mut seen, mut dot) = (0u64, 0i32, false, false);
    for c in mantissa.bytes() {
        match c {
            b'0'..=b'9' => {
                seen = true;
                if digits < 10_000_000_000_000_000 {
                    digits = digits * 10 + u64::from(c - b'0');
                    if dot {
                        scale -= 1;
                    }
                } else if !dot {
                    scale += 1; // digits beyond the 17th only scale the value
                }
            }
            b'.' if !dot => dot = true,
            _ => return None,
        }
    }
    if !seen {
        return None;
    }
    if let Some(e) = exponent {
        let (eneg, ed) = signed(e);
        if ed.is_empty() || ed.len() > 4 || !ed.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: i32 = ed.bytes().fold(0, |a, b| a * 10 + i32::from(b - b'0'));
        scale += if eneg { -v } else { v };
    }
    let x = digits as f64;
    // Dividing by an exact power of ten (up to 1e22) rounds once, so `0.1` is the nearest double.
    let v = if scale >= 0 { x * 10f64.powi(scale) } else { x / 10f64.powi(-scale) };
    let v = if neg { -v } else { v };
    v.is_finite().then_some(v)
}

/// Splits a leading sign off `s`: (negative, the rest).
fn signed(s: &str) -> (bool, &str) {
    match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    }
}

/// x^0.2 for 0 < x ≤ 1 (1 above, 0 at or below 0 and for NaN), by Newton's method on y⁵ = x from
/// y = 1, which descends monotonically to the root; it stops when a step no longer lowers y,
/// within an ulp or two of `powf` (whose libm `pow` costs about 1 KB gzip per bundle).
pub fn fifth_root(x: f64) -> f64 {
    if !(x > 0.0 && x < 1.0) {
        return if x >= 1.0 { 1.0 } else { 0.0 };
    }
    let mut y: f64 = 1.0;
    for _ in 0..200 {
        let next = 0.8 * y + 0.2 * x / (y * y * y * y);
        if next >= y {
            break;
        }
        y = next;
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods)] // std's powf is the reference here; tests never reach a wasm bundle
    fn fifth_root_matches_powf() {
        let mut x = 1e-12;
        while x < 1.0 {
            let (ours, std) = (fifth_root(x), x.powf(0.2));
            assert!((ours / std - 1.0).abs() < 4.0 * f64::EPSILON, "{x}: {ours} vs {std}");
            x *= 1.013;
        }
        assert_eq!((fifth_root(1.0), fifth_root(2.0), fifth_root(0.0), fifth_root(f64::NAN)), (1.0, 1.0, 0.0, 0.0));
    }

    #[test]
    fn decimals_parse_like_the_standard_library() {
        for t in [
            "0",
            "1",
            "-1",
            "0.1",
            "12.345",
            ".5",
            "5.",
            "+3",
            "1e3",
            "1.5E-3",
            "250",
            "0.05",
            "99.99",
            "-0.25",
            "1234567.891",
        ] {
            assert_eq!(parse_decimal(t), t.parse::<f64>().ok(), "{t}");
        }
        for t in [
            "", "-", ".", "e3", "1e", "1e+", "abc", "1.2.3", "inf", "NaN", "1e99999", "0x10", "1,5", "1e400", "+-5",
            "-+5", "--1", "1e-+3", "1e--3", " - 1",
        ] {
            assert_eq!(parse_decimal(t), None, "{t}");
        }
        assert_eq!(parse_decimal("123456789012345678901234"), Some(1.2345678901234568e23));
    }
}
