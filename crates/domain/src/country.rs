//! One country or area of the reference, and the special codes that are not countries.

use crate::{CountryCode, Iso2};

/// Codes for people without a country, or for areas without an ISO code. Their ISO-column spellings
/// differ between UNHCR files (`UNK`, `XXX` and `UKN` all mean Unknown), so each has one canonical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpecialCode {
    Unknown,
    Stateless,
    Tibetan,
    Abyei,
}

impl SpecialCode {
    pub const ALL: [SpecialCode; 4] = [
        SpecialCode::Unknown,
        SpecialCode::Stateless,
        SpecialCode::Tibetan,
        SpecialCode::Abyei,
    ];

    /// The UNHCR code.
    pub fn unhcr(self) -> &'static str {
        match self {
            SpecialCode::Unknown => "UKN",
            SpecialCode::Stateless => "STA",
            SpecialCode::Tibetan => "TIB",
            SpecialCode::Abyei => "AB9",
        }
    }

    /// The canonical code in ISO columns. `UNK` and `XXA` are the user-assigned codes in common use;
    /// Tibetan and Abyei have none, so their UNHCR codes stand in, as UNHCR's own files do.
    pub fn iso(self) -> &'static str {
        match self {
            SpecialCode::Unknown => "UNK",
            SpecialCode::Stateless => "XXA",
            SpecialCode::Tibetan => "TIB",
            SpecialCode::Abyei => "AB9",
        }
    }

    /// Other spellings found in ISO columns of published files.
    pub fn iso_aliases(self) -> &'static [&'static str] {
        match self {
            SpecialCode::Unknown => &["XXX", "UKN"],
            SpecialCode::Stateless => &["STA"],
            SpecialCode::Tibetan | SpecialCode::Abyei => &[],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SpecialCode::Unknown => "Unknown",
            SpecialCode::Stateless => "Stateless",
            SpecialCode::Tibetan => "Tibetan",
            SpecialCode::Abyei => "Abyei Area",
        }
    }
}

/// A country or area, with its codes in every system Passage joins on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Country {
    pub iso3: CountryCode,
    pub unhcr: CountryCode,
    pub iso2: Option<Iso2>,
    /// The M49 numeric code (equal to ISO 3166-1 numeric).
    pub m49: Option<u16>,
    pub name: String,
    pub unhcr_region: Option<String>,
    pub m49_region: Option<String>,
    pub m49_subregion: Option<String>,
    pub m49_intermediate_region: Option<String>,
    pub special: Option<SpecialCode>,
}
