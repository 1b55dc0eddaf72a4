//! UTC times of the registry (`YYYY-MM-DDTHH:MM:SSZ`, such as a token's expiry) as typed values:
//! read once at the edge, with an error naming the field, so no later step slices or compares
//! unchecked text.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::RegistryError;

/// A UTC time to the second. Ordered as time is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Timestamp {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

fn days_in(year: u16, month: u8) -> u8 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Timestamp {
    /// Reads `text` as `YYYY-MM-DDTHH:MM:SSZ`; the error names `field`.
    pub fn parse(field: &str, text: &str) -> Result<Timestamp, RegistryError> {
        Timestamp::read(text).ok_or_else(|| {
            RegistryError::invalid(
                field,
                format!("`{text}` is not a UTC time YYYY-MM-DDTHH:MM:SSZ"),
            )
        })
    }

    fn read(text: &str) -> Option<Timestamp> {
        let b = text.as_bytes();
        let shape = b.len() == 20
            && b.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                10 => *c == b'T',
                13 | 16 => *c == b':',
                19 => *c == b'Z',
                _ => c.is_ascii_digit(),
            });
        if !shape {
            return None;
        }
        let num = |from: usize, to: usize| text.get(from..to)?.parse::<u16>().ok();
        let t = Timestamp {
            year: num(0, 4)?,
            month: u8::try_from(num(5, 7)?).ok()?,
            day: u8::try_from(num(8, 10)?).ok()?,
            hour: u8::try_from(num(11, 13)?).ok()?,
            minute: u8::try_from(num(14, 16)?).ok()?,
            second: u8::try_from(num(17, 19)?).ok()?,
        };
        let valid = (1..=12).contains(&t.month)
            && t.day >= 1
            && t.day <= days_in(t.year, t.month)
            && t.hour < 24
            && t.minute < 60
            && t.second < 60;
        valid.then_some(t)
    }

    /// The current time.
    pub fn now() -> Timestamp {
        let text = passage_domain::rfc3339(std::time::SystemTime::now());
        // The formatter writes exactly the shape `read` takes; the epoch stands in should it not.
        Timestamp::read(&text).unwrap_or(Timestamp {
            year: 1970,
            month: 1,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

impl std::str::FromStr for Timestamp {
    type Err = RegistryError;

    fn from_str(text: &str) -> Result<Timestamp, RegistryError> {
        Timestamp::parse("time", text)
    }
}

impl TryFrom<String> for Timestamp {
    type Error = String;

    fn try_from(text: String) -> Result<Timestamp, String> {
        Timestamp::read(&text)
            .ok_or_else(|| format!("`{text}` is not a UTC time YYYY-MM-DDTHH:MM:SSZ"))
    }
}

impl From<Timestamp> for String {
    fn from(t: Timestamp) -> String {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_with_a_multibyte_character_is_an_error_naming_the_field() {
        let err = Timestamp::parse("expires_at", "2027-01-0éT0000000Z").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`expires_at`: `2027-01-0éT0000000Z` is not a UTC time YYYY-MM-DDTHH:MM:SSZ"
        );
        for bad in [
            "2027-01-01X00:00:00Z",
            "2027-02-29T00:00:00Z",
            "2027-01-01T24:00:00Z",
            "2027-01-01T00:00:00",
            "",
            "éééééééééé",
        ] {
            assert!(Timestamp::parse("expires_at", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times_round_trip_and_order() {
        let a = Timestamp::parse("t", "2024-02-29T23:59:59Z").unwrap();
        let b = Timestamp::parse("t", "2024-03-01T00:00:00Z").unwrap();
        assert!(a < b);
        assert_eq!(a.to_string(), "2024-02-29T23:59:59Z");
        assert!(Timestamp::now() > b);
    }
}
