//! The compatible API's data endpoints: which dataset each serves, which dimensions always come
//! with its rows, which only on request, and what its envelope's `total` holds.

use passage_datasets::Dataset;

use super::params::CompatParams;

/// A data endpoint of `/population/v1/`.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    pub path: &'static str,
    pub dataset: Dataset,
    /// `total` is the column sums of the whole query (asylum, solutions), else `[]`.
    pub total_sums: bool,
    /// Category columns that every row carries, after the identity block.
    pub categories: &'static [&'static str],
}

pub const ENDPOINTS: [Endpoint; 7] = [
    Endpoint {
        path: "population",
        dataset: Dataset::Population,
        total_sums: false,
        categories: &[],
    },
    Endpoint {
        path: "demographics",
        dataset: Dataset::Demographics,
        total_sums: false,
        categories: &[],
    },
    Endpoint {
        path: "asylum-applications",
        dataset: Dataset::AsylumApplications,
        total_sums: true,
        categories: &["procedure_type", "app_type", "dec_level", "app_pc"],
    },
    Endpoint {
        path: "asylum-decisions",
        dataset: Dataset::AsylumDecisions,
        total_sums: true,
        categories: &["procedure_type", "dec_level", "dec_pc"],
    },
    Endpoint {
        path: "solutions",
        dataset: Dataset::Solutions,
        total_sums: true,
        categories: &[],
    },
    Endpoint {
        path: "unrwa",
        dataset: Dataset::Unrwa,
        total_sums: false,
        categories: &[],
    },
    Endpoint {
        path: "idmc",
        dataset: Dataset::Idmc,
        total_sums: false,
        categories: &[],
    },
];

impl Endpoint {
    pub fn find(path: &str) -> Option<Endpoint> {
        ENDPOINTS.iter().copied().find(|e| e.path == path)
    }

    /// The category columns of this request: the fixed ones, and demographics' optional ones.
    pub fn shown_categories(&self, p: &CompatParams) -> Vec<&'static str> {
        let mut out = self.categories.to_vec();
        if self.dataset == Dataset::Demographics {
            for (on, dim) in [
                (p.ptype_show, "pop_type"),
                (p.location_description_show, "location"),
                (p.location_ur_show, "loc_type"),
                (p.location_acc_type_show, "acc_type"),
            ] {
                if on {
                    out.push(dim);
                }
            }
        }
        out
    }
}
