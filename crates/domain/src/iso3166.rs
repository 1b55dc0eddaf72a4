//! The ISO 3166-1 table (alpha-3, alpha-2, numeric = M49 code), embedded so that alpha-2 and M49 codes
//! are available offline. UNHCR's country list carries neither.

use std::collections::HashMap;
use std::sync::OnceLock;

/// One ISO 3166-1 entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Iso3166Entry {
    /// The alpha-3 code, such as `SYR`.
    pub alpha3: &'static str,
    /// The alpha-2 code, such as `SY`.
    pub alpha2: &'static str,
    /// The numeric code, which is also the country's UN M49 code.
    pub numeric: u16,
}

const TABLE: &str = include_str!("iso3166.csv");

fn table() -> &'static HashMap<&'static str, Iso3166Entry> {
    static MAP: OnceLock<HashMap<&'static str, Iso3166Entry>> = OnceLock::new();
    MAP.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter_map(|l| {
                let mut parts = l.split(',');
                let alpha3 = parts.next()?;
                let alpha2 = parts.next()?;
                let numeric = parts.next()?.parse().ok()?;
                Some((
                    alpha3,
                    Iso3166Entry {
                        alpha3,
                        alpha2,
                        numeric,
                    },
                ))
            })
            .collect()
    })
}

/// Looks up an ISO 3166-1 alpha-3 code (upper case).
pub fn iso3166_by_alpha3(alpha3: &str) -> Option<Iso3166Entry> {
    table().get(alpha3).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_is_whole() {
        assert_eq!(table().len(), 249);
        let syr = iso3166_by_alpha3("SYR").unwrap();
        assert_eq!((syr.alpha2, syr.numeric), ("SY", 760));
        assert_eq!(iso3166_by_alpha3("AUS").unwrap().alpha2, "AU");
    }
}
