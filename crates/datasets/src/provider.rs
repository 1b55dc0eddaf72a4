//! Who publishes each dataset, under which licence, and the attribution text a user must carry.

use serde::Serialize;

/// A data provider, as far as licence and attribution go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// UNHCR's Refugee Population Statistics Database.
    Unhcr,
    /// IDMC's conflict IDP figures as UNHCR republishes them (IDMC's terms apply).
    UnhcrIdmc,
    /// UNRWA's figures as UNHCR republishes them.
    UnhcrUnrwa,
    /// IOM's Missing Migrants Project.
    Iom,
    /// UN DESA's International Migrant Stock, via IOM's gdidata.
    UnDesa,
    /// The World Bank's World Development Indicators.
    WorldBank,
    /// UN World Population Prospects and World Bank indicators, compiled by IOM's gdidata.
    WppWdi,
    /// IDMC's Global Internal Displacement Database.
    Idmc,
    /// The UN Digital Library's General Assembly voting records.
    UnDigitalLibrary,
    /// The General Assembly's resolutions: the compacts' texts.
    UnGeneralAssembly,
}

impl Provider {
    /// Providers whose version a user can record at import (`--source-version unhcr=2025.12.1`).
    pub const VERSION_KEYS: [&'static str; 7] =
        ["unhcr", "iom", "undesa", "worldbank", "wpp", "idmc", "un"];

    /// The key under which this provider's version is given.
    pub fn version_key(self) -> &'static str {
        match self {
            Provider::Unhcr | Provider::UnhcrIdmc | Provider::UnhcrUnrwa => "unhcr",
            Provider::Iom => "iom",
            Provider::UnDesa => "undesa",
            Provider::WorldBank => "worldbank",
            Provider::WppWdi => "wpp",
            Provider::Idmc => "idmc",
            Provider::UnDigitalLibrary | Provider::UnGeneralAssembly => "un",
        }
    }

    /// The database or publication the data comes from, for citations.
    pub fn origin(self) -> &'static str {
        match self {
            Provider::Unhcr => "UNHCR Refugee Population Statistics Database (Refugee Data Finder, population API v1)",
            Provider::UnhcrIdmc => "IDMC conflict IDP figures as published in UNHCR's Refugee Population Statistics Database",
            Provider::UnhcrUnrwa => "UNRWA figures as published in UNHCR's Refugee Population Statistics Database",
            Provider::Iom => "IOM Missing Migrants Project",
            Provider::UnDesa => "UN DESA International Migrant Stock 2024, via IOM Global Data Institute (gdidata)",
            Provider::WorldBank => "World Bank World Development Indicators",
            Provider::WppWdi => "UN World Population Prospects 2024 and World Bank WDI, via IOM Global Data Institute (gdidata)",
            Provider::Idmc => "Internal Displacement Monitoring Centre, Global Internal Displacement Database (GIDD)",
            Provider::UnDigitalLibrary => "United Nations Digital Library, General Assembly voting records",
            Provider::UnGeneralAssembly => "United Nations General Assembly resolutions (the compacts' texts as copies users hold; the GCM's objectives and actions from a reformatted copy of the annex of A/RES/73/195)",
        }
    }

    /// The licence the provider publishes the data under.
    pub fn licence(self) -> &'static str {
        match self {
            Provider::Unhcr => "CC BY 4.0",
            Provider::UnhcrIdmc | Provider::Idmc => {
                "CC BY-NC 4.0 (IDMC's terms: non-commercial use)"
            }
            Provider::UnhcrUnrwa => "UNRWA's terms, as carried by UNHCR's database",
            Provider::Iom => "IOM Missing Migrants Project terms: free to reuse with attribution",
            Provider::UnDesa => "UN DESA terms of use; compilation MIT (gdidata)",
            Provider::WorldBank => "ODC-PDDL-1.0 (mirror); World Bank data CC BY 4.0",
            Provider::WppWdi => {
                "UN WPP: CC BY 3.0 IGO; World Bank WDI: CC BY 4.0; compilation MIT (gdidata)"
            }
            Provider::UnDigitalLibrary => {
                "Copyright United Nations; non-commercial use, with attribution"
            }
            Provider::UnGeneralAssembly => {
                "United Nations document; the reformatted copy under Apache-2.0 (iomeval)"
            }
        }
    }

    /// The attribution its licence asks for.
    pub fn attribution(self) -> &'static str {
        match self {
            Provider::Unhcr => "UNHCR Refugee Data Finder",
            Provider::UnhcrIdmc => "Internal Displacement Monitoring Centre (IDMC), via UNHCR Refugee Data Finder",
            Provider::UnhcrUnrwa => "UNRWA, via UNHCR Refugee Data Finder",
            Provider::Iom => "IOM Missing Migrants Project",
            Provider::UnDesa => "United Nations, Department of Economic and Social Affairs, Population Division (2024). International Migrant Stock 2024",
            Provider::WorldBank => "World Bank, World Development Indicators",
            Provider::WppWdi => "United Nations, DESA, Population Division (2024). World Population Prospects 2024; World Bank, World Development Indicators",
            Provider::Idmc => "Internal Displacement Monitoring Centre (IDMC), Global Internal Displacement Database",
            Provider::UnDigitalLibrary => "United Nations Digital Library, General Assembly voting data",
            Provider::UnGeneralAssembly => "Global Compact for Safe, Orderly and Regular Migration, A/RES/73/195, United Nations General Assembly (2018)",
        }
    }

    /// Caveats that hold for every figure of the provider, for the manifest and API footnotes.
    pub fn caveats(self) -> &'static [&'static str] {
        match self {
            Provider::Unhcr => &[
                "Small counts are rounded by UNHCR at source (multiples of 5); totals need not add up exactly.",
                "Figures are revised retroactively between releases.",
            ],
            Provider::Iom => &["Counts are minimum estimates."],
            Provider::UnDesa => &["A missing origin-destination pair means not estimated, not zero."],
            Provider::UnDigitalLibrary => &[
                "Abstaining (A) and not voting (X) are different acts and are kept apart.",
                "The General Assembly's press release of 17 December 2018 names Liberia among the GCR abstainers; the UN Digital Library's record, used here, has the Dominican Republic, Eritrea and Libya (Liberia voted yes).",
            ],
            Provider::UnGeneralAssembly => &[
                "The GCM text holds the 23 objectives' titles and actions only, from a reformatted copy: no preamble, commitments or follow-up sections.",
            ],
            _ => &[],
        }
    }
}
