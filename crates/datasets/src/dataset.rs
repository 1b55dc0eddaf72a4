//! The datasets a release can hold: their names, columns and providers. Every parser of a dataset,
//! whatever its published format, produces exactly this schema.

use serde::Serialize;

use crate::table::{MeasureKind, TableBuilder};
use crate::Provider;

use MeasureKind::{Float, Int};

/// A dataset of the evidence store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dataset {
    /// UNHCR's list of countries and areas, with their codes in every system.
    Countries,
    /// End-year stocks of forcibly displaced and stateless people, by origin and asylum (UNHCR).
    Population,
    /// Asylum applications lodged, by origin and asylum country (UNHCR).
    AsylumApplications,
    /// Decisions on asylum applications, by origin and asylum country (UNHCR).
    AsylumDecisions,
    /// Displaced and stateless populations by sex and age group (UNHCR).
    Demographics,
    /// Durable solutions: returns, resettlement and naturalisation (UNHCR).
    Solutions,
    /// New arrivals of refugees and asylum-seekers during the year (UNHCR).
    Flows,
    /// People internally displaced by conflict and violence: IDMC's figures as UNHCR publishes them.
    Idmc,
    /// Palestine refugees under UNRWA's mandate, as UNHCR publishes them.
    Unrwa,
    /// Migrants recorded dead or missing, by incident (IOM Missing Migrants Project; SDG 10.7.3).
    MissingMigrants,
    /// International migrant stock by origin, destination and sex (UN DESA).
    MigrantStock,
    /// Total population of countries (World Bank SP.POP.TOTL).
    WbPopulation,
    /// Total population of the World Bank's aggregates: the world, regions, income groups.
    WbPopulationAggregates,
    /// GDP of countries in current US$ (World Bank NY.GDP.MKTP.CD).
    WbGdp,
    /// GDP in current US$ of the World Bank's aggregates: the world, regions, income groups.
    WbGdpAggregates,
    /// UN WPP 2024 population and World Bank development indicators, as compiled by IOM's gdidata.
    WdiWpp,
    /// IDMC's country-year internal displacement stocks and new displacements, conflict and disaster (GIDD).
    IdmcGidd,
    /// IDMC's new internal displacements by cause.
    IdmcNewDisplacements,
    /// The General Assembly's recorded votes on the resolutions that endorsed the compacts, one
    /// row per Member State and resolution (UN Digital Library).
    RecordedVotes,
    /// The compacts' texts, one row per part (objective, action, paragraph) of a version, with
    /// the defects a reader found and the corrections recorded against it.
    CompactText,
}

/// The columns of a dataset.
#[derive(Debug, Clone, Copy)]
pub struct Schema {
    /// Whether each row has a reference year (every dataset but the country list).
    pub year: bool,
    /// The names of the text columns.
    pub dims: &'static [&'static str],
    /// The numeric columns, with whether each holds integers or floats.
    pub measures: &'static [(&'static str, MeasureKind)],
}

/// The identity columns of every UNHCR table except the country list, origin and asylum first.
const UNHCR_IDENTITY: [&str; 6] = ["coo_iso", "coa_iso", "coo", "coa", "coo_name", "coa_name"];

macro_rules! unhcr_dims {
    ($($extra:literal),*) => {
        &["coo_iso", "coa_iso", "coo", "coa", "coo_name", "coa_name", $($extra,)* "quality_flag"]
    };
}

impl Dataset {
    /// Every dataset, in a fixed order.
    pub const ALL: [Dataset; 20] = [
        Dataset::Countries,
        Dataset::Population,
        Dataset::AsylumApplications,
        Dataset::AsylumDecisions,
        Dataset::Demographics,
        Dataset::Solutions,
        Dataset::Flows,
        Dataset::Idmc,
        Dataset::Unrwa,
        Dataset::MissingMigrants,
        Dataset::MigrantStock,
        Dataset::WbPopulation,
        Dataset::WbPopulationAggregates,
        Dataset::WbGdp,
        Dataset::WbGdpAggregates,
        Dataset::WdiWpp,
        Dataset::IdmcGidd,
        Dataset::IdmcNewDisplacements,
        Dataset::RecordedVotes,
        Dataset::CompactText,
    ];

    /// The dataset's name in queries, files and manifests, such as `asylum_decisions`.
    pub fn name(self) -> &'static str {
        match self {
            Dataset::Countries => "countries",
            Dataset::Population => "population",
            Dataset::AsylumApplications => "asylum_applications",
            Dataset::AsylumDecisions => "asylum_decisions",
            Dataset::Demographics => "demographics",
            Dataset::Solutions => "solutions",
            Dataset::Flows => "flows",
            Dataset::Idmc => "idmc",
            Dataset::Unrwa => "unrwa",
            Dataset::MissingMigrants => "missing_migrants",
            Dataset::MigrantStock => "migrant_stock",
            Dataset::WbPopulation => "wb_population",
            Dataset::WbPopulationAggregates => "wb_population_aggregates",
            Dataset::WbGdp => "wb_gdp",
            Dataset::WbGdpAggregates => "wb_gdp_aggregates",
            Dataset::WdiWpp => "wdi_wpp",
            Dataset::IdmcGidd => "idmc_gidd",
            Dataset::IdmcNewDisplacements => "idmc_new_displacements",
            Dataset::RecordedVotes => "recorded_votes",
            Dataset::CompactText => "compact_text",
        }
    }

    /// Parses a dataset name; UNHCR's hyphenated endpoint names are accepted too.
    pub fn from_name(name: &str) -> Option<Dataset> {
        let norm = name.trim().to_ascii_lowercase().replace('-', "_");
        Dataset::ALL.into_iter().find(|d| d.name() == norm)
    }

    /// A one-line description for listings.
    pub fn title(self) -> &'static str {
        match self {
            Dataset::Countries => "Countries and areas, with their codes in every system",
            Dataset::Population => "Forcibly displaced and stateless populations, end-year stocks",
            Dataset::AsylumApplications => "Asylum applications",
            Dataset::AsylumDecisions => "Asylum decisions",
            Dataset::Demographics => "Populations by sex and age",
            Dataset::Solutions => "Durable solutions: returns, resettlement, naturalisation",
            Dataset::Flows => "New arrivals of refugees and asylum-seekers",
            Dataset::Idmc => "IDPs due to conflict and violence (IDMC, as published by UNHCR)",
            Dataset::Unrwa => "Palestine refugees under UNRWA's mandate",
            Dataset::MissingMigrants => "Migrants recorded dead or missing (SDG 10.7.3)",
            Dataset::MigrantStock => "International migrant stock by origin, destination and sex",
            Dataset::WbPopulation => "Population (World Bank SP.POP.TOTL), countries",
            Dataset::WbPopulationAggregates => "Population (World Bank SP.POP.TOTL), aggregates",
            Dataset::WbGdp => "GDP in current US$ (World Bank NY.GDP.MKTP.CD), countries",
            Dataset::WbGdpAggregates => {
                "GDP in current US$ (World Bank NY.GDP.MKTP.CD), aggregates"
            }
            Dataset::WdiWpp => "UN WPP 2024 population and World Bank development indicators",
            Dataset::IdmcGidd => {
                "Internal displacement stocks and new displacements by country-year (IDMC GIDD)"
            }
            Dataset::IdmcNewDisplacements => "New internal displacements by cause (IDMC)",
            Dataset::RecordedVotes => {
                "Recorded votes of the General Assembly on the compacts, by Member State"
            }
            Dataset::CompactText => "The compacts' texts, part by part, version by version",
        }
    }

    /// Who publishes the data, which decides its licence and attribution.
    pub fn provider(self) -> Provider {
        match self {
            Dataset::Countries
            | Dataset::Population
            | Dataset::AsylumApplications
            | Dataset::AsylumDecisions
            | Dataset::Demographics
            | Dataset::Solutions
            | Dataset::Flows => Provider::Unhcr,
            Dataset::Idmc => Provider::UnhcrIdmc,
            Dataset::Unrwa => Provider::UnhcrUnrwa,
            Dataset::MissingMigrants => Provider::Iom,
            Dataset::MigrantStock => Provider::UnDesa,
            Dataset::WbPopulation
            | Dataset::WbPopulationAggregates
            | Dataset::WbGdp
            | Dataset::WbGdpAggregates => Provider::WorldBank,
            Dataset::WdiWpp => Provider::WppWdi,
            Dataset::IdmcGidd | Dataset::IdmcNewDisplacements => Provider::Idmc,
            Dataset::RecordedVotes => Provider::UnDigitalLibrary,
            Dataset::CompactText => Provider::UnGeneralAssembly,
        }
    }

    /// Whether the dataset is one of UNHCR's origin × asylum tables.
    pub fn is_unhcr_table(self) -> bool {
        self.schema().dims.starts_with(&UNHCR_IDENTITY)
    }

    /// The dataset's columns.
    pub fn schema(self) -> Schema {
        const COUNT: (&str, MeasureKind) = ("total", Int);
        match self {
            Dataset::Countries => Schema {
                year: false,
                dims: &[
                    "iso3",
                    "unhcr_code",
                    "iso2",
                    "m49",
                    "name",
                    "unhcr_region",
                    "m49_region",
                    "m49_subregion",
                    "m49_intermediate_region",
                    "special",
                ],
                measures: &[],
            },
            Dataset::Population => Schema {
                year: true,
                dims: unhcr_dims!(),
                measures: &[
                    ("refugees", Int),
                    ("asylum_seekers", Int),
                    ("returned_refugees", Int),
                    ("idps", Int),
                    ("returned_idps", Int),
                    ("stateless", Int),
                    ("ooc", Int),
                    ("oip", Int),
                    ("hst", Int),
                ],
            },
            Dataset::AsylumApplications => Schema {
                year: true,
                dims: unhcr_dims!("procedure_type", "app_type", "dec_level", "app_pc"),
                measures: &[("applied", Int)],
            },
            Dataset::AsylumDecisions => Schema {
                year: true,
                dims: unhcr_dims!("procedure_type", "dec_level", "dec_pc"),
                measures: &[
                    ("dec_recognized", Int),
                    ("dec_other", Int),
                    ("dec_rejected", Int),
                    ("dec_closed", Int),
                    ("dec_total", Int),
                ],
            },
            Dataset::Demographics => Schema {
                year: true,
                dims: unhcr_dims!("pop_type", "location", "loc_type", "acc_type"),
                measures: &[
                    ("f_0_4", Int),
                    ("f_5_11", Int),
                    ("f_12_17", Int),
                    ("f_18_59", Int),
                    ("f_60", Int),
                    ("f_other", Int),
                    ("f_total", Int),
                    ("m_0_4", Int),
                    ("m_5_11", Int),
                    ("m_12_17", Int),
                    ("m_18_59", Int),
                    ("m_60", Int),
                    ("m_other", Int),
                    ("m_total", Int),
                    ("total", Int),
                ],
            },
            Dataset::Solutions => Schema {
                year: true,
                dims: unhcr_dims!(),
                measures: &[
                    ("returned_refugees", Int),
                    ("resettlement", Int),
                    ("naturalisation", Int),
                    ("returned_idps", Int),
                ],
            },
            Dataset::Flows => Schema {
                year: true,
                dims: unhcr_dims!(),
                measures: &[
                    ("refugees", Int),
                    ("asylum_seekers", Int),
                    ("refugee_like", Int),
                    ("oip", Int),
                ],
            },
            Dataset::Idmc | Dataset::Unrwa => Schema {
                year: true,
                dims: unhcr_dims!(),
                measures: &[COUNT],
            },
            Dataset::MissingMigrants => Schema {
                year: true,
                dims: &[
                    "main_id",
                    "incident_id",
                    "incident_type",
                    "region_of_incident",
                    "incident_date",
                    "month",
                    "country_of_origin",
                    "region_of_origin",
                    "cause_of_death",
                    "country_of_incident",
                    "migration_route",
                    "location",
                    "coordinates",
                    "unsd_geographical_grouping",
                    "information_source",
                    "url",
                    "source_quality",
                    "layout",
                    "quality_flag",
                ],
                measures: &[
                    ("dead", Int),
                    ("missing", Int),
                    ("dead_and_missing", Int),
                    ("survivors", Int),
                    ("females", Int),
                    ("males", Int),
                    ("children", Int),
                    ("latitude", Float),
                    ("longitude", Float),
                ],
            },
            Dataset::MigrantStock => Schema {
                year: true,
                dims: &[
                    "coo_iso", "coa_iso", "sex", "type_b", "type_c", "type_r", "type_i",
                ],
                measures: &[("migrants", Int)],
            },
            Dataset::WbPopulation | Dataset::WbPopulationAggregates => Schema {
                year: true,
                dims: &["iso3", "name"],
                measures: &[("population", Int)],
            },
            Dataset::WbGdp | Dataset::WbGdpAggregates => Schema {
                year: true,
                dims: &["iso3", "name"],
                measures: &[("gdp_usd", Float)],
            },
            Dataset::WdiWpp => Schema {
                year: true,
                dims: &["iso3", "var"],
                measures: &[("value", Float)],
            },
            Dataset::IdmcGidd => Schema {
                year: true,
                dims: &["iso3", "name"],
                measures: &[
                    ("conflict_stock", Int),
                    ("conflict_stock_raw", Int),
                    ("conflict_new", Int),
                    ("conflict_new_raw", Int),
                    ("disaster_new", Int),
                    ("disaster_new_raw", Int),
                    ("disaster_stock", Int),
                    ("disaster_stock_raw", Int),
                ],
            },
            Dataset::IdmcNewDisplacements => Schema {
                year: true,
                dims: &["iso3", "cause"],
                measures: &[("new_displacements", Int)],
            },
            Dataset::RecordedVotes => Schema {
                year: true,
                dims: &[
                    "resolution",
                    "date",
                    "undl_record",
                    "iso3",
                    "member_state",
                    "vote",
                ],
                measures: &[],
            },
            Dataset::CompactText => Schema {
                year: false,
                dims: &[
                    "document",
                    "version",
                    "version_date",
                    "part",
                    "parent",
                    "num",
                    "heading",
                    "text",
                    "repeats",
                    "correction_field",
                    "correction_adopted",
                    "correction_source",
                ],
                measures: &[("seq", Int), ("line", Int)],
            },
        }
    }

    /// The dimension holding the country of origin, if the dataset has one.
    pub fn origin_dim(self) -> Option<&'static str> {
        self.schema().dims.contains(&"coo_iso").then_some("coo_iso")
    }

    /// The dimension holding the country of asylum, arrival or destination, if any.
    pub fn asylum_dim(self) -> Option<&'static str> {
        self.schema().dims.contains(&"coa_iso").then_some("coa_iso")
    }

    /// The dimension holding the one country of a country-level dataset, if any.
    pub fn country_dim(self) -> Option<&'static str> {
        self.schema().dims.contains(&"iso3").then_some("iso3")
    }

    /// Measures counted at a point in time (a year's end, or mid-year): the same people are in
    /// every year's figure, so a sum across years counts them again.
    pub fn stock_measures(self) -> &'static [&'static str] {
        match self {
            Dataset::Population | Dataset::Demographics => self.schema_measure_names(),
            Dataset::Idmc | Dataset::Unrwa => &["total"],
            Dataset::MigrantStock => &["migrants"],
            Dataset::WbPopulation | Dataset::WbPopulationAggregates => &["population"],
            Dataset::WdiWpp => &["value"],
            Dataset::IdmcGidd => &[
                "conflict_stock",
                "conflict_stock_raw",
                "disaster_stock",
                "disaster_stock_raw",
            ],
            _ => &[],
        }
    }

    /// Columns whose values are different units or kinds of figure (cases and persons; population
    /// types; indicator variables), never summed together: a query is split by them.
    pub fn unit_dims(self) -> &'static [&'static str] {
        match self {
            Dataset::AsylumApplications => &["app_pc"],
            Dataset::AsylumDecisions => &["dec_pc"],
            Dataset::Demographics => &["pop_type"],
            Dataset::WdiWpp => &["var"],
            _ => &[],
        }
    }

    /// The column that tells one published file of the dataset from another, for datasets
    /// published one file per resolution or document: two files with the same value are refused.
    pub fn file_key(self) -> Option<&'static str> {
        match self {
            Dataset::RecordedVotes => Some("resolution"),
            Dataset::CompactText => Some("document"),
            _ => None,
        }
    }

    /// Measures that are positions, not counts: summing them means nothing.
    pub fn non_additive_measures(self) -> &'static [&'static str] {
        match self {
            Dataset::MissingMigrants => &["latitude", "longitude"],
            _ => &[],
        }
    }

    fn schema_measure_names(self) -> &'static [&'static str] {
        match self {
            Dataset::Population => &[
                "refugees",
                "asylum_seekers",
                "returned_refugees",
                "idps",
                "returned_idps",
                "stateless",
                "ooc",
                "oip",
                "hst",
            ],
            Dataset::Demographics => &[
                "f_0_4", "f_5_11", "f_12_17", "f_18_59", "f_60", "f_other", "f_total", "m_0_4",
                "m_5_11", "m_12_17", "m_18_59", "m_60", "m_other", "m_total", "total",
            ],
            _ => &[],
        }
    }

    /// An empty table with the dataset's columns, to fill row by row.
    pub fn builder(self) -> TableBuilder {
        let s = self.schema();
        TableBuilder::new(self.name(), s.year, s.dims, s.measures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summing_rules_name_real_columns() {
        for d in Dataset::ALL {
            let s = d.schema();
            for m in d.stock_measures().iter().chain(d.non_additive_measures()) {
                assert!(
                    s.measures.iter().any(|(n, _)| n == m),
                    "{}: no measure {m}",
                    d.name()
                );
            }
            for u in d.unit_dims() {
                assert!(s.dims.contains(u), "{}: no dimension {u}", d.name());
            }
        }
        assert_eq!(
            Dataset::Population.stock_measures().len(),
            Dataset::Population.schema().measures.len()
        );
        assert_eq!(
            Dataset::Demographics.stock_measures().len(),
            Dataset::Demographics.schema().measures.len()
        );
    }
}
