//! The compatible API's query parameters, read the way UNHCR's API reads them: comma lists and
//! `name[]` arrays, `year=A,B` keeping only A, `yearFrom`/`yearTo` only as a pair, `limit` ignored
//! unless positive, and any other or malformed parameter silently ignored.

/// Rows per page when `limit` is absent or not positive. Not observed on UNHCR's API; 10 is what
/// its wrappers document most often.
pub const DEFAULT_LIMIT: usize = 10;

/// Parsed parameters of one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompatParams {
    /// Countries of origin asked for (`coo`), upper-cased.
    pub coo: Vec<String>,
    /// Countries of asylum asked for (`coa`), upper-cased.
    pub coa: Vec<String>,
    /// `coo_all=true`: one row per country of origin.
    pub coo_all: bool,
    /// `coa_all=true`: one row per country of asylum.
    pub coa_all: bool,
    /// `cf_type=ISO`: `coo`/`coa` are ISO codes rather than UNHCR codes.
    pub iso: bool,
    /// Years from `year` / `year[]`.
    pub years: Option<Vec<i32>>,
    /// `yearFrom` and `yearTo`, only when both are given.
    pub year_range: Option<(i32, i32)>,
    /// Rows per page.
    pub limit: usize,
    /// The page asked for, from 1.
    pub page: usize,
    /// `columns[]`: the value columns to return; `None` for all.
    pub columns: Option<Vec<String>>,
    /// `ptype_show`: demographics split by population type.
    pub ptype_show: bool,
    /// `location_description_show`: demographics split by location.
    pub location_description_show: bool,
    /// `location_ur_show`: demographics split by urban or rural location.
    pub location_ur_show: bool,
    /// `location_acc_type_show`: demographics split by accommodation type.
    pub location_acc_type_show: bool,
    /// `download=true`: the answer as a ZIP of labelled CSV.
    pub download: bool,
}

fn truthy(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes")
}

fn codes(v: &str) -> impl Iterator<Item = String> + '_ {
    v.split(',')
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
}

impl CompatParams {
    /// Reads a query string as UNHCR's API does; nothing in it is an error.
    pub fn parse(query: &str) -> CompatParams {
        let mut p = CompatParams {
            limit: DEFAULT_LIMIT,
            page: 1,
            ..Default::default()
        };
        let (mut year_from, mut year_to) = (None, None);
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match key.as_ref() {
                "coo" | "coo[]" => p.coo.extend(codes(&value)),
                "coa" | "coa[]" => p.coa.extend(codes(&value)),
                "coo_all" => p.coo_all = truthy(&value),
                "coa_all" => p.coa_all = truthy(&value),
                "cf_type" => p.iso = value.eq_ignore_ascii_case("iso"),
                // `year=A,B` keeps only A, as the original does.
                "year" => {
                    if let Some(y) = value.split(',').next().and_then(|y| y.trim().parse().ok()) {
                        p.years.get_or_insert_with(Vec::new).push(y);
                    }
                }
                "year[]" => {
                    if let Ok(y) = value.trim().parse() {
                        p.years.get_or_insert_with(Vec::new).push(y);
                    }
                }
                "yearFrom" => year_from = value.trim().parse().ok(),
                "yearTo" => year_to = value.trim().parse().ok(),
                "limit" => {
                    if let Some(l) = value.trim().parse::<i64>().ok().filter(|&l| l > 0) {
                        p.limit = l as usize;
                    }
                }
                "page" => {
                    if let Some(n) = value.trim().parse::<i64>().ok().filter(|&n| n > 0) {
                        p.page = n as usize;
                    }
                }
                "columns[]" => p
                    .columns
                    .get_or_insert_with(Vec::new)
                    .push(value.trim().to_string()),
                "ptype_show" => p.ptype_show = truthy(&value),
                "locationDescription_show" => p.location_description_show = truthy(&value),
                "locationUR_show" => p.location_ur_show = truthy(&value),
                "locationAccType_show" => p.location_acc_type_show = truthy(&value),
                "download" => p.download = truthy(&value),
                _ => {}
            }
        }
        if let (Some(a), Some(b)) = (year_from, year_to) {
            p.year_range = Some((a, b));
        }
        p
    }

    /// The years asked for: a list, a range, their intersection, or `None` for every year.
    pub fn year_set(&self, data_years: impl Iterator<Item = i32>) -> Option<Vec<i32>> {
        match (&self.years, self.year_range) {
            (None, None) => None,
            (Some(list), None) => Some(list.clone()),
            (None, Some((a, b))) => Some(data_years.filter(|y| (a..=b).contains(y)).collect()),
            (Some(list), Some((a, b))) => Some(
                list.iter()
                    .copied()
                    .filter(|y| (a..=b).contains(y))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_parameters_as_the_original_does() {
        let p = CompatParams::parse(
            "coo=SYR,afg&coa[]=GFR&coa[]=AUS&year=2024,2023&limit=0&page=-2&cf_type=iso&foo=bar",
        );
        assert_eq!(p.coo, ["SYR", "AFG"]);
        assert_eq!(p.coa, ["GFR", "AUS"]);
        assert_eq!(p.years, Some(vec![2024]), "year=A,B keeps only A");
        assert_eq!((p.limit, p.page, p.iso), (DEFAULT_LIMIT, 1, true));
        let p = CompatParams::parse("year[]=2020&year[]=2022&yearFrom=2021&yearTo=2030");
        assert_eq!(
            p.year_set([2019, 2020, 2021, 2022].into_iter()),
            Some(vec![2022])
        );
        let lone = CompatParams::parse("yearFrom=2020");
        assert_eq!(
            lone.year_set([2019, 2020].into_iter()),
            None,
            "a lone bound is ignored"
        );
        let pair = CompatParams::parse("yearFrom=2020&yearTo=2021");
        assert_eq!(
            pair.year_set([2019, 2020, 2021, 2022].into_iter()),
            Some(vec![2020, 2021])
        );
    }
}
