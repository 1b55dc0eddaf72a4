//! A term of an indicator's formula: one measure of one dataset, narrowed by fixed filters, written
//! `label = dataset.measure{dim=value|value, dim=@group}!`. The label names the part in outputs,
//! `@group` stands for a country group, and a trailing `!` makes the term required: without it a
//! missing value counts as nothing, with it the whole figure is missing.

use passage_datasets::Dataset;

/// The values a term's filter keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterValues {
    /// These values exactly.
    List(Vec<String>),
    /// The countries of a named group (`@high_income`, `@low_middle_income`).
    Group(String),
    /// Countries bordering the row's other country (origin for asylum, asylum for origin).
    Neighbours,
}

/// A fixed filter of a term: keep rows whose dimension has one of the values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermFilter {
    /// The dimension filtered, such as `coa_iso` or `cause`.
    pub dim: String,
    /// The values kept.
    pub values: FilterValues,
}

/// One part of a formula: a measure of a dataset, summed over the rows its filters keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The name of the part in outputs; the measure's name when the term gives none.
    pub label: String,
    /// The dataset read.
    pub dataset: Dataset,
    /// The measure summed.
    pub measure: String,
    /// Filters narrowing the rows.
    pub filters: Vec<TermFilter>,
    /// Written `!`: a missing value makes the whole figure missing instead of counting as nothing.
    pub required: bool,
    /// The text it was parsed from, shown in the catalogue.
    pub text: String,
}

impl Term {
    /// Parses a term, checking its dataset, measure and dimensions against the schema.
    pub fn parse(text: &str) -> Result<Term, String> {
        let whole = text.trim();
        let (label, rest) = match whole.split_once('=') {
            Some((l, r)) if !l.contains('{') && !l.contains('.') => (Some(l.trim()), r.trim()),
            _ => (None, whole),
        };
        let (rest, required) = match rest.strip_suffix('!') {
            Some(r) => (r.trim_end(), true),
            None => (rest, false),
        };
        let (head, filters_text) = match rest.split_once('{') {
            Some((h, f)) => {
                let inner = f
                    .strip_suffix('}')
                    .ok_or_else(|| format!("`{whole}`: a `{{` without its closing `}}`"))?;
                (h.trim(), Some(inner))
            }
            None => (rest, None),
        };
        let (dataset_name, measure) = head
            .split_once('.')
            .ok_or_else(|| format!("`{whole}`: expected `dataset.measure`"))?;
        let dataset = Dataset::from_name(dataset_name)
            .ok_or_else(|| format!("`{whole}`: unknown dataset `{dataset_name}`"))?;
        let schema = dataset.schema();
        if !schema.measures.iter().any(|(m, _)| *m == measure) {
            return Err(format!(
                "`{whole}`: dataset `{dataset_name}` has no measure `{measure}`"
            ));
        }
        let mut filters = Vec::new();
        for part in filters_text
            .unwrap_or("")
            .split(',')
            .filter(|p| !p.trim().is_empty())
        {
            let (dim, values) = part
                .split_once('=')
                .ok_or_else(|| format!("`{whole}`: filter `{part}` is not `dim=value`"))?;
            let dim = dim.trim();
            if !schema.dims.contains(&dim) {
                return Err(format!(
                    "`{whole}`: dataset `{dataset_name}` has no dimension `{dim}`"
                ));
            }
            let values = values.trim();
            let values = match values.strip_prefix('@') {
                Some("neighbours") => {
                    if dataset.origin_dim().is_none() || dataset.asylum_dim().is_none() {
                        return Err(format!(
                            "`{whole}`: `@neighbours` needs a dataset with origin and asylum"
                        ));
                    }
                    FilterValues::Neighbours
                }
                Some(group) => FilterValues::Group(group.to_string()),
                None => FilterValues::List(values.split('|').map(|v| v.trim().into()).collect()),
            };
            filters.push(TermFilter {
                dim: dim.into(),
                values,
            });
        }
        Ok(Term {
            label: label.unwrap_or(measure).to_string(),
            dataset,
            measure: measure.to_string(),
            filters,
            required,
            text: whole.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_label_filters_groups_and_required() {
        let t = Term::parse("WPP population = wdi_wpp.value{var=pop}!").unwrap();
        assert_eq!(t.label, "WPP population");
        assert_eq!(t.dataset, Dataset::WdiWpp);
        assert!(t.required);
        assert_eq!(
            t.filters,
            vec![TermFilter {
                dim: "var".into(),
                values: FilterValues::List(vec!["pop".into()])
            }]
        );
        let t = Term::parse("population.refugees{coa_iso=@neighbours}").unwrap();
        assert_eq!(t.label, "refugees");
        assert_eq!(t.filters[0].values, FilterValues::Neighbours);
        let t = Term::parse("asylum_decisions.dec_total{dec_level=FI|AR, coa_iso=@high_income}")
            .unwrap();
        assert_eq!(t.filters.len(), 2);
        assert_eq!(
            t.filters[0].values,
            FilterValues::List(vec!["FI".into(), "AR".into()])
        );
        assert_eq!(
            t.filters[1].values,
            FilterValues::Group("high_income".into())
        );
    }

    #[test]
    fn refuses_what_the_schema_lacks() {
        for bad in [
            "population",
            "nowhere.refugees",
            "population.nothing",
            "population.refugees{var=pop}",
            "population.refugees{coa_iso}",
            "population.refugees{coa_iso=SYR",
            "wdi_wpp.value{iso3=@neighbours}",
        ] {
            assert!(Term::parse(bad).is_err(), "{bad} parsed");
        }
    }
}
