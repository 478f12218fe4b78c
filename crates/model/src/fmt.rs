//! Numbers as text: the one home for formatting what readers see, in URLs and in prose.
//!
//! Integer arithmetic only. `{:.N}` or `{}` on a float links core's float-formatting machinery
//! (about 12 KB of wasm) into every bundle, so nothing in the app or the models formats a float any
//! other way than through this module (`cargo xtask` scans each bundle for it). Non-finite input
//! never panics: each function says what it shows instead.

/// `x` with `decimals` decimals (at most 9), rounded half away from zero: `fixed(2.345, 1)` is
/// "2.3", `fixed(-0.05, 1)` is "-0.1"; non-finite input gives "0".
pub fn fixed(x: f64, decimals: usize) -> String {
    let mut d = decimals.min(9);
    let x = if x.is_finite() { x } else { 0.0 };
    // A u64 holds 19 digits, far more than any value the widgets show (u128's division and
    // printing would add about 1 KB gzip to every bundle); a larger value gives up decimals,
    // then saturates.
    while d > 0 && x.abs() * 10f64.powi(d as i32) >= 1e19 {
        d -= 1;
    }
    let scaled = (x.abs() * 10f64.powi(d as i32)).round();
    let n = scaled as u64;
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + 2);
    if x < 0.0 && n > 0 {
        out.push('-');
    }
    if d == 0 {
        out.push_str(&digits);
    } else {
        // `digits` is ASCII, so every byte index is a char boundary and `get` never fails (a
        // `&s[i..]` would link core's char-boundary panic report, about 4 KB of wasm).
        let int_len = digits.len().saturating_sub(d);
        out.push_str(if int_len == 0 { "0" } else { digits.get(..int_len).unwrap_or_default() });
        out.push('.');
        for _ in digits.len()..d {
            out.push('0');
        }
        out.push_str(digits.get(int_len..).unwrap_or_default());
    }
    out
}

/// A number as a URL value or a control's bound: up to 6 decimals, trailing zeros dropped
/// (0.00002, 0.05, 3).
pub fn number(v: f64) -> String {
    trim_zeros(fixed(v, 6))
}

/// A number for prose: up to 6 decimals, trailing zeros dropped, thousands grouped ("2,000",
/// "0.01", "-1,234.5").
pub fn number_grouped(v: f64) -> String {
    let s = number(v);
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
    let (whole, fraction) = digits.split_once('.').map_or((digits, None), |(w, f)| (w, Some(f)));
    let mut out = String::from(sign);
    out.push_str(&group_digits(whole));
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// `fixed(x, decimals)` without trailing zeros after the point: `short(12.0, 1)` is "12",
/// `short(12.5, 1)` is "12.5".
pub fn short(x: f64, decimals: usize) -> String {
    trim_zeros(fixed(x, decimals))
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// `x` rounded to a whole number with thousands separators ("12,345", "-3"); "0" for NaN, "∞"
/// beyond ±10¹⁵.
pub fn grouped(x: f64) -> String {
    if x.is_nan() {
        return "0".to_string();
    }
    if x.abs() >= 1e15 {
        return if x > 0.0 { "∞" } else { "-∞" }.to_string();
    }
    let r = x.round();
    let mut out = group_digits(&(r.abs() as u64).to_string());
    if r < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// Commas between groups of three in a run of ASCII digits.
fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A readout number: thousands separators, `decimals` decimals, a typographic minus ("−4,200",
/// "999.5"); "–" for non-finite input.
pub fn num(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let s = fixed(x.abs(), decimals);
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let mut out = group_digits(int);
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '−');
    }
    out
}

/// A fraction as a whole percentage with separators: 0.314 → "31%"; "–" for non-finite input.
pub fn percent(f: f64) -> String {
    format!("{}%", num(f * 100.0, 0))
}

/// A fraction as a percentage, one decimal below 10% and whole above: 0.025 → "2.5%", 0.38 →
/// "38%" (negative and non-finite input as 0%).
pub fn percent_fine(f: f64) -> String {
    let p = if f.is_finite() { f.max(0.0) * 100.0 } else { 0.0 };
    if p < 10.0 {
        format!("{}%", fixed(p, 1))
    } else {
        format!("{}%", grouped(p))
    }
}

/// Dollars, whole, with separators: "$1,234", "-$5".
pub fn money(x: f64) -> String {
    let s = grouped(x);
    match s.strip_prefix('-') {
        Some(rest) => format!("-${rest}"),
        None => format!("${s}"),
    }
}

/// A count with its noun: "1 message", "12,000 messages" (rounded to a whole number first).
pub fn plural(n: f64, one: &str, many: &str) -> String {
    let g = grouped(n);
    if g == "1" {
        format!("1 {one}")
    } else {
        format!("{g} {many}")
    }
}

/// Bytes in decimal units (1 KB = 1,000 B): "0 B", "52.8 KB", "1.5 GB", "181 TB"; negative and
/// non-finite input as 0.
pub fn bytes(b: f64) -> String {
    let mut v = if b.is_finite() && b > 0.0 { b } else { 0.0 };
    const UNITS: [&str; 7] = ["B", "KB", "MB", "GB", "TB", "PB", "EB"];
    let mut i = 0;
    while v >= 999.5 && i + 1 < UNITS.len() {
        v /= 1_000.0;
        i += 1;
    }
    if v >= 99.95 || i == 0 {
        format!("{} {}", grouped(v.min(1e14)), UNITS[i])
    } else {
        format!("{} {}", short(v, 1), UNITS[i])
    }
}

/// The unit a duration is given in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Ms,
    S,
    Min,
    H,
    /// Working days of eight hours (branch lifetimes and lead times).
    WorkingDays,
}

/// Hours in a working day, for [`Unit::WorkingDays`].
pub const HOURS_PER_WORKING_DAY: f64 = 8.0;

/// A duration for readouts and prose, in the largest unit that keeps it readable: "0.5 ms",
/// "340 ms", "2,400 ms", "4.5 s", "36 s", "4 min 40 s", "43 min", "7 h 12 min", "20 h", "3.1 days",
/// "1,200 days".
/// Working days show as hours under a day ("4 h") and as days after ("3.5 days", "12 days").
/// Negative and non-finite input shows as zero ("0 s", "0 ms", "0 h").
pub fn duration(x: f64, unit: Unit) -> String {
    let x = if x.is_finite() && x > 0.0 { x } else { 0.0 };
    let s = match unit {
        Unit::Ms => x / 1_000.0,
        Unit::S => x,
        Unit::Min => x * 60.0,
        Unit::H => x * 3_600.0,
        Unit::WorkingDays => return working_days(x),
    };
    if s == 0.0 {
        return if unit == Unit::Ms { "0 ms" } else { "0 s" }.into();
    }
    if s < 0.01 {
        return format!("{} ms", short(s * 1_000.0, 1));
    }
    if s < 9.9995 && unit == Unit::Ms {
        return format!("{} ms", num(s * 1_000.0, 0));
    }
    if s < 0.9995 {
        return format!("{} ms", grouped(s * 1_000.0));
    }
    if s < 9.995 {
        return format!("{} s", short(s, 1));
    }
    let whole = s.round().min(1e15) as u64;
    if whole < 60 {
        return format!("{whole} s");
    }
    // Two units under ten of the larger ("4 min 40 s", "7 h 10 min"), one from there ("43 min").
    if whole < 600 {
        let (m, sec) = (whole / 60, whole % 60);
        return if sec == 0 { format!("{m} min") } else { format!("{m} min {sec} s") };
    }
    let minutes = (whole + 30) / 60;
    if minutes < 60 {
        return format!("{minutes} min");
    }
    if minutes < 600 {
        let (h, m) = (minutes / 60, minutes % 60);
        return if m == 0 { format!("{h} h") } else { format!("{h} h {m} min") };
    }
    if whole < 48 * 3_600 {
        return format!("{} h", (whole + 1_800) / 3_600);
    }
    let days = s / 86_400.0;
    if days < 99.95 {
        format!("{} days", short(days, 1))
    } else {
        format!("{} days", grouped(days.min(1e14)))
    }
}

/// Milliseconds as a latency readout: "0.5 ms" under 10 ms, "2,400 ms" under 10 s, then whole
/// seconds ("36 s", "125 s"); non-finite and negative input as "0 ms". The same as `duration(x,
/// Unit::Ms)` below a minute, without the longer units (a readout stays in one unit, and a bundle
/// that shows only latencies does not carry them).
pub fn ms(x: f64) -> String {
    let x = if x.is_finite() && x > 0.0 { x } else { 0.0 };
    if x == 0.0 {
        "0 ms".into()
    } else if x < 10.0 {
        format!("{} ms", short(x, 1))
    } else if x < 9_999.5 {
        format!("{} ms", num(x, 0))
    } else {
        format!("{} s", grouped(x / 1_000.0))
    }
}

fn working_days(days: f64) -> String {
    let hours = days * HOURS_PER_WORKING_DAY;
    if hours < 7.95 {
        format!("{} h", fixed(hours, if hours < 1.0 { 1 } else { 0 }))
    } else if days < 9.95 {
        let d = fixed(days, 1);
        if d == "1.0" {
            "1 day".to_string()
        } else {
            format!("{d} days")
        }
    } else {
        format!("{} days", fixed(days, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_point() {
        for (x, d, want) in [
            (0.0, 2, "0.00"),
            (2.345, 1, "2.3"),
            (2.35, 1, "2.4"),
            (-0.05, 1, "-0.1"),
            (-0.04, 1, "0.0"),
            (1234567.891, 2, "1234567.89"),
            (0.00002, 6, "0.000020"),
            (7.0, 0, "7"),
            (9.99, 1, "10.0"),
            (f64::NAN, 1, "0.0"),
            (f64::INFINITY, 0, "0"),
            (0.5, 3, "0.500"),
            (0.001, 3, "0.001"),
            (-0.001, 3, "-0.001"),
            (10.0, 2, "10.00"),
            (1e17, 3, "100000000000000000.0"),
            (-1e300, 2, "-18446744073709551615"),
        ] {
            assert_eq!(fixed(x, d), want, "{x} to {d}");
        }
        assert_eq!(number(0.05), "0.05");
        assert_eq!(number(3.0), "3");
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(number(1e-9), "0");
        assert_eq!(short(12.0, 1), "12");
        for (n, want) in [(0.0, "0"), (999.0, "999"), (1000.0, "1,000"), (123456.75, "123,456.75"), (-1234.0, "-1,234")]
        {
            assert_eq!(number_grouped(n), want);
        }
        assert_eq!(short(12.46, 1), "12.5");
    }

    #[test]
    fn grouping_and_money() {
        assert_eq!(grouped(1234567.4), "1,234,567");
        assert_eq!(grouped(-1234.0), "-1,234");
        assert_eq!(grouped(999.5), "1,000");
        assert_eq!(grouped(f64::NAN), "0");
        assert_eq!(grouped(2e15), "∞");
        assert_eq!(num(1234567.0, 0), "1,234,567");
        assert_eq!(num(999.5, 1), "999.5");
        assert_eq!(num(-4200.0, 0), "−4,200");
        assert_eq!(num(-0.01, 1), "0.0");
        assert_eq!(num(f64::NAN, 2), "–");
        assert_eq!(money(1234.4), "$1,234");
        assert_eq!(money(-5.0), "-$5");
        assert_eq!(percent(0.314), "31%");
        assert_eq!(percent(f64::INFINITY), "–%");
        assert_eq!(percent_fine(0.025), "2.5%");
        assert_eq!(percent_fine(0.384), "38%");
        assert_eq!(percent_fine(-1.0), "0.0%");
        assert_eq!(plural(1.0, "message", "messages"), "1 message");
        assert_eq!(plural(12_000.0, "message", "messages"), "12,000 messages");
        assert_eq!(plural(0.0, "day", "days"), "0 days");
    }

    #[test]
    fn byte_sizes() {
        for (b, want) in [
            (0.0, "0 B"),
            (-3.0, "0 B"),
            (f64::NAN, "0 B"),
            (999.0, "999 B"),
            (52_800.0, "52.8 KB"),
            (1_500_000_000.0, "1.5 GB"),
            (181e12, "181 TB"),
            (2e30, "2,000,000,000,000 EB"),
        ] {
            assert_eq!(bytes(b), want, "{b}");
        }
    }

    #[test]
    fn durations() {
        use Unit::*;
        for (x, u, want) in [
            (0.0, Ms, "0 ms"),
            (0.0, S, "0 s"),
            (f64::NAN, S, "0 s"),
            (-5.0, Min, "0 s"),
            (0.5, Ms, "0.5 ms"),
            (340.0, Ms, "340 ms"),
            (2_400.0, Ms, "2,400 ms"),
            (36_305.0, Ms, "36 s"),
            (4.5, S, "4.5 s"),
            (43.2, Min, "43 min"),
            (20.0, H, "20 h"),
            (12.0, S, "12 s"),
            (0.4, S, "400 ms"),
            (280.0, S, "4 min 40 s"),
            (15.0, Min, "15 min"),
            (1.5, Min, "1 min 30 s"),
            (7.2, H, "7 h 12 min"),
            (2.0, H, "2 h"),
            (3.1 * 24.0, H, "3.1 days"),
            (7.0 * 86_400.0, S, "7 days"),
            (1_200.0 * 86_400.0, S, "1,200 days"),
            (0.05, WorkingDays, "0.4 h"),
            (0.5, WorkingDays, "4 h"),
            (1.0, WorkingDays, "1 day"),
            (3.5, WorkingDays, "3.5 days"),
            (12.0, WorkingDays, "12 days"),
        ] {
            assert_eq!(duration(x, u), want, "{x} {u:?}");
            if u == Ms && x < 60_000.0 {
                assert_eq!(ms(x), want, "ms({x})");
            }
        }
        assert_eq!(ms(125_400.0), "125 s");
    }
}
