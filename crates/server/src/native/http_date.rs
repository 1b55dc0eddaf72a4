//! HTTP dates (`Sun, 22 Nov 2026 22:20:38 GMT`) for `Last-Modified`, from a manifest's RFC 3339 time.

/// Converts `YYYY-MM-DDTHH:MM:SSZ` to an IMF-fixdate, or `None` if it is not of that form.
pub fn from_rfc3339(t: &str) -> Option<String> {
    let num = |r: std::ops::Range<usize>| t.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let time = t.get(11..19)?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (proleptic Gregorian), 1970-01-01 being a Thursday.
    let (yy, mm) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * mm + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    Some(format!(
        "{}, {d:02} {} {y:04} {time} GMT",
        WEEKDAYS[days.rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize]
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_dates() {
        assert_eq!(
            super::from_rfc3339("2026-11-22T22:20:38Z").as_deref(),
            Some("Sun, 22 Nov 2026 22:20:38 GMT")
        );
        assert_eq!(
            super::from_rfc3339("2000-02-29T00:00:00Z").as_deref(),
            Some("Tue, 29 Feb 2000 00:00:00 GMT")
        );
        assert_eq!(
            super::from_rfc3339("1970-01-01T00:00:00Z").as_deref(),
            Some("Thu, 01 Jan 1970 00:00:00 GMT")
        );
        assert_eq!(super::from_rfc3339("yesterday"), None);
    }
}
