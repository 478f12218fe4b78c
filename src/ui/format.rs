//! Number formatting for readouts. Formatting only: the numbers come from the models.

/// A number with thousands separators and `decimals` decimals; "–" for non-finite input.
pub fn num(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let s = model::spec::fixed(x.abs(), decimals);
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '−');
    }
    out
}

/// A fraction as a percentage.
pub fn pct(x: f64) -> String {
    format!("{}%", num(x * 100.0, 0))
}

/// Milliseconds, switching to seconds above 10 s.
pub fn ms(x: f64) -> String {
    if x >= 10_000.0 {
        format!("{} s", num(x / 1_000.0, 1))
    } else {
        format!("{} ms", num(x, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn formats() {
        assert_eq!(num(1234567.0, 0), "1,234,567");
        assert_eq!(num(999.5, 1), "999.5");
        assert_eq!(num(-4200.0, 0), "−4,200");
        assert_eq!(num(f64::NAN, 2), "–");
        assert_eq!(pct(0.314), "31%");
        assert_eq!(ms(36305.0), "36.3 s");
    }
}
