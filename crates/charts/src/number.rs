//! Numbers as people read them: short on axes and legends ("1.2 M"), exact in tables and in the
//! `<title>` of a mark ("36,834,510"). Not available is never written as a number.

/// A short form: `950`, `12 k`, `1.2 M`, `3.4 bn`, with at most three significant digits.
pub fn readable(value: f64) -> String {
    if !value.is_finite() {
        return "not available".into();
    }
    let sign = if value < 0.0 { "-" } else { "" };
    let v = value.abs();
    let (scaled, suffix) = if v >= 1e9 {
        (v / 1e9, " bn")
    } else if v >= 1e6 {
        (v / 1e6, " M")
    } else if v >= 1e4 {
        (v / 1e3, " k")
    } else {
        (v, "")
    };
    let digits = if scaled >= 100.0 || (suffix.is_empty() && scaled >= 10.0) {
        0
    } else if scaled >= 10.0 {
        1
    } else if suffix.is_empty() && scaled == scaled.trunc() {
        0
    } else {
        1
    };
    let text = format!("{scaled:.digits$}");
    // "1.0 M" reads as more precise than it is.
    let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
    format!("{sign}{text}{suffix}")
}

/// The exact figure with thousands separators and `decimals` places: `36,834,510`, `12.5`.
pub fn exact(value: f64, decimals: u8) -> String {
    let mut out = String::with_capacity(16);
    push_exact(&mut out, value, decimals);
    out
}

/// [`exact`], appending to `out`.
pub fn push_exact(out: &mut String, value: f64, decimals: u8) {
    if !value.is_finite() {
        out.push_str("not available");
        return;
    }
    // Integer arithmetic where the scaled figure fits exactly (always, for counts of people),
    // written digit by digit: formatting was a large part of rendering a page's tables.
    let scale = 10u64
        .checked_pow(u32::from(decimals))
        .filter(|_| decimals <= 9);
    let (int, frac) = match scale {
        Some(scale) if value.abs() * (scale as f64) < 9.0e15 => {
            let n = (value.abs() * scale as f64).round() as u64;
            let frac = (decimals > 0).then(|| {
                let digits = (n % scale).to_string();
                "0".repeat(usize::from(decimals).saturating_sub(digits.len())) + &digits
            });
            ((n / scale).to_string(), frac)
        }
        _ => {
            let text = format!("{:.*}", decimals as usize, value.abs());
            match text.split_once('.') {
                Some((i, f)) => (i.to_string(), Some(f.to_string())),
                None => (text, None),
            }
        }
    };
    let nonzero = |t: &str| t.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    if value < 0.0 && (nonzero(&int) || frac.as_deref().is_some_and(nonzero)) {
        out.push('-');
    }
    for (i, c) in int.char_indices() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_numbers_are_short_and_rounded() {
        assert_eq!(readable(950.0), "950");
        assert_eq!(readable(9_999.0), "9999");
        assert_eq!(readable(12_300.0), "12.3 k");
        assert_eq!(readable(1_000_000.0), "1 M");
        assert_eq!(readable(36_834_510.0), "36.8 M");
        assert_eq!(readable(123_400_000.0), "123 M");
        assert_eq!(readable(2.5e9), "2.5 bn");
        assert_eq!(readable(0.26), "0.3");
        assert_eq!(readable(-1_500_000.0), "-1.5 M");
        assert_eq!(readable(f64::NAN), "not available");
    }

    #[test]
    fn exact_numbers_group_thousands() {
        assert_eq!(exact(36_834_510.0, 0), "36,834,510");
        assert_eq!(exact(999.0, 0), "999");
        assert_eq!(exact(1234.567, 1), "1,234.6");
        assert_eq!(exact(-1234.0, 0), "-1,234");
        assert_eq!(exact(-0.01, 1), "0.0");
        assert_eq!(exact(f64::INFINITY, 0), "not available");
        assert_eq!(exact(-0.25, 2), "-0.25");
        assert_eq!(exact(3.05, 2), "3.05");
        assert_eq!(exact(1e17, 0), "100,000,000,000,000,000");
        assert_eq!(exact(-2.5e16, 1), "-25,000,000,000,000,000.0");
    }
}
