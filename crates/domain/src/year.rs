//! Calendar years of the statistics, and inclusive year ranges as users write them (`2015..2024`).

use std::fmt;
use std::str::FromStr;

use crate::DomainError;

/// A reference year of a statistic, from 1900 to 2100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Year(i16);

impl Year {
    /// The earliest year accepted.
    pub const MIN: i32 = 1900;
    /// The latest year accepted.
    pub const MAX: i32 = 2100;

    /// A year from `MIN` to `MAX`; any other is refused.
    pub fn new(value: i32) -> Result<Self, DomainError> {
        if (Self::MIN..=Self::MAX).contains(&value) {
            Ok(Year(value as i16))
        } else {
            Err(DomainError::BadYear {
                value: value.to_string(),
                min: Self::MIN,
                max: Self::MAX,
            })
        }
    }

    /// The year as a number.
    pub fn get(self) -> i32 {
        i32::from(self.0)
    }
}

impl FromStr for Year {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || DomainError::BadYear {
            value: s.to_string(),
            min: Self::MIN,
            max: Self::MAX,
        };
        let n: i32 = s.trim().parse().map_err(|_| bad())?;
        Year::new(n).map_err(|_| bad())
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An inclusive range of years, parsed from `A..B` (or `A..=B`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    /// The first year of the range.
    pub first: Year,
    /// The last year of the range, included.
    pub last: Year,
}

impl YearRange {
    /// True when `year` lies within the range, both ends included.
    pub fn contains(&self, year: Year) -> bool {
        self.first <= year && year <= self.last
    }
}

impl FromStr for YearRange {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || DomainError::BadYearRange {
            value: s.to_string(),
        };
        let (a, b) = s.split_once("..").ok_or_else(bad)?;
        let b = b.strip_prefix('=').unwrap_or(b);
        let first: Year = a.parse().map_err(|_| bad())?;
        let last: Year = b.parse().map_err(|_| bad())?;
        if first > last {
            return Err(bad());
        }
        Ok(YearRange { first, last })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_ranges() {
        assert_eq!("2024".parse::<Year>().unwrap().get(), 2024);
        assert!("1899".parse::<Year>().is_err());
        assert!("20x4".parse::<Year>().is_err());
        let r: YearRange = "2015..2024".parse().unwrap();
        assert!(r.contains(Year::new(2015).unwrap()) && r.contains(Year::new(2024).unwrap()));
        assert!(!r.contains(Year::new(2025).unwrap()));
        assert!("2024..2015".parse::<YearRange>().is_err());
        assert!("2015..=2016".parse::<YearRange>().is_ok());
    }
}
