//! One country or area of the reference, and the special codes that are not countries.

use crate::{CountryCode, Iso2};

/// Codes for people without a country, or for areas without an ISO code. Their ISO-column spellings
/// differ between UNHCR files (`UNK`, `XXX` and `UKN` all mean Unknown), so each has one canonical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpecialCode {
    /// Country of origin or asylum not known or not reported.
    Unknown,
    /// Stateless persons, who have no country of nationality.
    Stateless,
    /// Tibetans, counted by UNHCR apart from China.
    Tibetan,
    /// The Abyei Area, disputed between Sudan and South Sudan.
    Abyei,
}

impl SpecialCode {
    /// Every special code, in a fixed order.
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

    /// The English name shown for the code where a country name would stand.
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
    /// The canonical ISO 3166 alpha-3 code (or special code) every dataset is joined on.
    pub iso3: CountryCode,
    /// UNHCR's own code for the country.
    pub unhcr: CountryCode,
    /// The ISO 3166-1 alpha-2 code; `None` for special codes and areas ISO does not list.
    pub iso2: Option<Iso2>,
    /// The M49 numeric code (equal to ISO 3166-1 numeric).
    pub m49: Option<u16>,
    /// The English name, as UNHCR's country list gives it.
    pub name: String,
    /// UNHCR's regional bureau the country belongs to.
    pub unhcr_region: Option<String>,
    /// The UN M49 region (continent), such as Asia.
    pub m49_region: Option<String>,
    /// The UN M49 sub-region, such as Western Asia.
    pub m49_subregion: Option<String>,
    /// The UN M49 intermediate region, where M49 defines one (such as Middle Africa).
    pub m49_intermediate_region: Option<String>,
    /// Set when the entry is one of the special codes rather than a country.
    pub special: Option<SpecialCode>,
}
