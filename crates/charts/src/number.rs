//! Numbers as people read them: short on axes and legends ("1.2 M"), exact in tables and in the
//! `<title>` of a mark ("36,834,510"). Not available is never written as a number.

/// A short form: `950`, `7,418`, `12 k`, `1.2 M`, `3.4 bn`, with at most three significant digits
/// from ten thousand up.
pub fn readable(value: f64) -> String {
    if !value.is_finite() {
        return "not available".into();
    }
    let sign = if value < 0.0 { "-" } else { "" };
    let v = value.abs();
    // The tier is chosen by the figure as it will read, rounded: 999,960 is "1 M", not "1000 k".
    const TIERS: [(f64, &str); 4] = [(1.0, ""), (1e3, " k"), (1e6, " M"), (1e9, " bn")];
    let mut tier = if v >= 1e9 {
        3
    } else if v >= 1e6 {
        2
    } else if v >= 1e4 {
        1
    } else {
        0
    };
    let (scaled, suffix, digits) = loop {
        let (divisor, suffix) = TIERS[tier];
        let scaled = v / divisor;
        let digits = shown_digits(scaled, suffix);
        let shown = (scaled * 10f64.powi(digits as i32)).round() / 10f64.powi(digits as i32);
        let next = if tier == 0 { 1e4 } else { 1e3 };
        if tier + 1 < TIERS.len() && shown >= next {
            tier += 1;
            continue;
        }
        break (shown, suffix, digits);
    };
    // Four digits grouped: a bare "7418" beside an axis of years reads as one.
    if suffix.is_empty() && digits == 0 && v >= 1e3 {
        let mut out = String::from(sign);
        push_grouped(&mut out, itoa::Buffer::new().format(v.round() as u64));
        return out;
    }
    let text = format!("{scaled:.digits$}");
    // "1.0 M" reads as more precise than it is.
    let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
    format!("{sign}{text}{suffix}")
}

/// The decimals a figure shows in its tier: none from 100 up (or from 10 without a suffix),
/// one below, none for a whole figure without a suffix.
fn shown_digits(scaled: f64, suffix: &str) -> usize {
    if scaled >= 100.0 || (suffix.is_empty() && scaled >= 10.0) {
        0
    } else if scaled >= 10.0 {
        1
    } else if suffix.is_empty() && scaled == scaled.trunc() {
        0
    } else {
        1
    }
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
    // its digits written from a buffer on the stack: a map of incidents writes some 10,000
    // figures, and four small strings for each were a tenth of its time.
    let scale = 10u64
        .checked_pow(u32::from(decimals))
        .filter(|_| decimals <= 9);
    match scale {
        Some(scale) if value.abs() * (scale as f64) < 9.0e15 => {
            let n = (value.abs() * scale as f64).round() as u64;
            if value < 0.0 && n != 0 {
                out.push('-');
            }
            push_grouped(out, itoa::Buffer::new().format(n / scale));
            if decimals > 0 {
                out.push('.');
                let mut buffer = itoa::Buffer::new();
                let frac = buffer.format(n % scale);
                for _ in frac.len()..usize::from(decimals) {
                    out.push('0');
                }
                out.push_str(frac);
            }
        }
        _ => {
            let text = format!("{:.*}", decimals as usize, value.abs());
            let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
            let nonzero = |t: &str| t.bytes().any(|b| b.is_ascii_digit() && b != b'0');
            if value < 0.0 && (nonzero(int) || nonzero(frac)) {
                out.push('-');
            }
            push_grouped(out, int);
            if !frac.is_empty() {
                out.push('.');
                out.push_str(frac);
            }
        }
    }
}

/// Appends a whole number as `{}` writes it, without the formatting machinery: the pages write
/// tens of thousands of years, coordinates and figures, and `write!` was a fifth of their time.
pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    out.push_str(itoa::Buffer::new().format(n.unsigned_abs()));
}

/// Writes the digits `int` with a comma between each group of three.
fn push_grouped(out: &mut String, int: &str) {
    // Whole groups copied at once; a figure's digits are ASCII, so every split is a boundary.
    let head = match int.len() % 3 {
        0 => int.len().min(3),
        n => n,
    };
    let (first, mut rest) = int.split_at_checked(head).unwrap_or((int, ""));
    out.push_str(first);
    while let Some((group, tail)) = rest.split_at_checked(3) {
        out.push(',');
        out.push_str(group);
        rest = tail;
    }
    if !rest.is_empty() {
        out.push(',');
        out.push_str(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_pushed_as_display_writes_them() {
        for n in [0, 7, -7, 10, 1999, -2024, i64::MAX, i64::MIN] {
            let mut out = String::from("x");
            push_int(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }

    #[test]
    fn readable_numbers_are_short_and_rounded() {
        assert_eq!(readable(950.0), "950");
        assert_eq!(readable(9_999.0), "9,999");
        assert_eq!(readable(-7_418.4), "-7,418");
        assert_eq!(readable(1_000.0), "1,000");
        assert_eq!(readable(12_300.0), "12.3 k");
        assert_eq!(readable(1_000_000.0), "1 M");
        assert_eq!(readable(36_834_510.0), "36.8 M");
        assert_eq!(readable(123_400_000.0), "123 M");
        assert_eq!(readable(2.5e9), "2.5 bn");
        assert_eq!(readable(0.26), "0.3");
        assert_eq!(readable(-1_500_000.0), "-1.5 M");
        assert_eq!(readable(f64::NAN), "not available");
        // Rounded up into the next tier, a figure reads in that tier's terms.
        assert_eq!(readable(9_999.5), "10 k");
        assert_eq!(readable(999_960.0), "1 M");
        assert_eq!(readable(-999_960.0), "-1 M");
        assert_eq!(readable(999_960_000.0), "1 bn");
        assert_eq!(readable(99_960.0), "100 k");
        assert_eq!(readable(9.96), "10");
    }

    /// The figures as they were written before the stack buffer: through strings.
    fn exact_through_strings(value: f64, decimals: u8) -> String {
        let scale = 10u64.pow(u32::from(decimals));
        let n = (value.abs() * scale as f64).round() as u64;
        let int = (n / scale).to_string();
        let frac = (decimals > 0).then(|| {
            let digits = (n % scale).to_string();
            "0".repeat(usize::from(decimals).saturating_sub(digits.len())) + &digits
        });
        let mut out = String::new();
        if value < 0.0 && n != 0 {
            out.push('-');
        }
        push_grouped(&mut out, &int);
        if let Some(f) = frac {
            out.push('.');
            out.push_str(&f);
        }
        out
    }

    #[test]
    fn exact_figures_are_those_written_through_strings() {
        let mut v = 0.000_123_f64;
        for i in 0..20_000 {
            v = -((v * 1.618_033_9 + f64::from(i) * 0.37) % 1.0e7);
            for d in 0..=6u8 {
                for x in [v, v / 1e4, v.trunc(), -0.0, 0.0, 0.05, 2.675, 1e12 + 0.5] {
                    // Beyond 9e15 both ways format the float itself (tested below).
                    if x.abs() * 10f64.powi(i32::from(d)) < 9.0e15 {
                        assert_eq!(
                            exact(x, d),
                            exact_through_strings(x, d),
                            "{x} to {d} places"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn groups_are_those_of_a_comma_every_three_digits_from_the_right() {
        let digits = "12345678901234567890";
        for len in 0..=digits.len() {
            let int = &digits[..len];
            let mut reference = String::new();
            for (i, c) in int.chars().enumerate() {
                if i > 0 && (len - i) % 3 == 0 {
                    reference.push(',');
                }
                reference.push(c);
            }
            let mut out = String::new();
            push_grouped(&mut out, int);
            assert_eq!(out, reference, "{len} digits");
        }
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
