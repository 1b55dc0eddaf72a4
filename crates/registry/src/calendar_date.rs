//! A day of the calendar (`YYYY-MM-DD`) as a typed value: read once, checked against the calendar
//! (no 30 February), so a date in hand is always a real day and sorts as time does.

use std::fmt;

use serde::Serialize;

use crate::RegistryError;

/// A real calendar day, written `YYYY-MM-DD`; ordered as time is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct CalendarDate(String);

impl CalendarDate {
    /// Reads `text` as `YYYY-MM-DD`; the error names `field`.
    pub fn parse(field: &str, text: &str) -> Result<CalendarDate, RegistryError> {
        crate::model::date(field, text)?;
        Ok(CalendarDate(text.to_string()))
    }

    /// The date as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<CalendarDate> for String {
    fn from(date: CalendarDate) -> String {
        date.0
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_days_are_dates() {
        assert_eq!(
            CalendarDate::parse("date", "2018-07-13").unwrap().as_str(),
            "2018-07-13"
        );
        assert!(CalendarDate::parse("date", "2024-02-29").is_ok());
        for bad in [
            "2023-02-29",
            "2018-7-13",
            "13/07/2018",
            "2018-07-13T00:00:00Z",
            "",
        ] {
            let err = CalendarDate::parse("date", bad).unwrap_err().to_string();
            assert!(err.starts_with("`date`: "), "{bad}: {err}");
        }
    }
}
