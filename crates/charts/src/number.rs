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
    if !value.is_finite() {
        return "not available".into();
    }
    // Integer arithmetic where the scaled figure fits exactly (always, for counts of people):
    // fixed-precision float formatting was a large part of rendering a page's tables.
    let scale = 10i64
        .checked_pow(u32::from(decimals))
        .filter(|_| decimals <= 9);
    let text = match scale {
        Some(scale) if value.abs() * (scale as f64) < 9.0e15 => {
            let n = (value.abs() * scale as f64).round() as i64;
            if decimals == 0 {
                n.to_string()
            } else {
                format!(
                    "{}.{:0width$}",
                    n / scale,
                    n % scale,
                    width = decimals as usize
                )
            }
        }
        _ => format!("{:.*}", decimals as usize, value.abs()),
    };
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if value < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
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
    }
}
