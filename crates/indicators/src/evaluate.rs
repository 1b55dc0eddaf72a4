//! Computing an indicator: each term becomes one grouped query of the store (by country when every
//! country is asked, by year, by the requested breakdowns), the answers are joined on their keys,
//! and the formula combines the parts. Every figure keeps its parts, the number of source rows
//! behind each, and the queries that reproduce them, so it can be traced to its rows.

use passage_domain::{ReleaseId, Year};
use passage_store::{Filter, Query, Release, YearFilter};
use rustc_hash::FxHashMap;

use crate::answer_memo::AnswerMemo;
use crate::catalogue::{Formula, Indicator, Role};
use crate::country_group::CountryGroups;
use crate::place::Place;
use crate::term::{FilterValues, Term};
use crate::{Catalogue, CatalogueError, IndicatorError};

/// The catalogue and the country groups its formulas use: what computing needs besides a release.
#[derive(Debug, Clone)]
pub struct Engine {
    /// The indicator catalogue.
    pub catalogue: Catalogue,
    /// The income groups and neighbours formulas refer to.
    pub groups: CountryGroups,
}

/// What to compute.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The id of the indicator.
    pub indicator: String,
    /// Where: the world, a region, one country or each country.
    pub place: Place,
    /// The side of the place's countries; ignored for the world.
    pub role: Option<Role>,
    /// The reference years wanted.
    pub years: YearFilter,
    /// Breakdowns, from the indicator's `by`.
    pub by: Vec<String>,
    /// Keep only these values of breakdown dimensions.
    pub filters: Vec<(String, Vec<String>)>,
}

impl Request {
    /// A request for every year, without breakdowns or filters.
    pub fn new(indicator: &str, place: Place, role: Option<Role>) -> Request {
        Request {
            indicator: indicator.into(),
            place,
            role,
            years: YearFilter::All,
            by: Vec::new(),
            filters: Vec::new(),
        }
    }
}

/// One figure: a value for a country (when every country was asked), a year and breakdown values.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The ISO3 code of the country, when every country was asked; `None` otherwise.
    pub country: Option<String>,
    /// The reference year.
    pub year: i16,
    /// Values of the series' `keys`, in order.
    pub keys: Vec<String>,
    /// The figure; `None` when no part is present, a required one is missing, or a denominator is not positive.
    pub value: Option<f64>,
    /// One per term of the formula, numerator first.
    pub parts: Vec<Option<f64>>,
    /// Source rows summed into each part.
    pub source_rows: Vec<u64>,
    /// `mid-year` when a part counts people at mid-year (a release made during that year), so
    /// the figure is not compared with end-of-year ones unawares.
    pub period: Option<&'static str>,
}

/// The answer: figures sorted by country, breakdown and year, with everything needed to cite them.
#[derive(Debug, Clone)]
pub struct Series<'c> {
    /// The indicator computed.
    pub indicator: &'c Indicator,
    /// The release the figures come from.
    pub release: ReleaseId,
    /// The place asked for.
    pub place: Place,
    /// The side of the place's countries, if one was asked.
    pub role: Option<Role>,
    /// Split and breakdown dimensions, in the order of each point's `keys`.
    pub keys: Vec<String>,
    /// The query behind each term, before narrowing to one point.
    pub queries: Vec<Query>,
    /// The figures.
    pub points: Vec<Point>,
}

impl Series<'_> {
    /// The figure for one year (and, with breakdowns, the first such), if any.
    pub fn at(&self, year: i16) -> Option<&Point> {
        self.points.iter().find(|p| p.year == year)
    }

    /// The latest year with a value.
    pub fn latest(&self) -> Option<&Point> {
        self.points
            .iter()
            .filter(|p| p.value.is_some())
            .max_by_key(|p| p.year)
    }

    /// The query reproducing one part of one point: the term's query narrowed to its country,
    /// year and breakdown values.
    pub fn part_query(&self, point: &Point, term: usize) -> Query {
        let mut q = self.queries[term].clone();
        q.by.clear();
        if let Ok(y) = Year::new(point.year.into()) {
            q.years = YearFilter::List(vec![y]);
        }
        if let (Some(c), Some(role)) = (&point.country, self.role) {
            let dataset = self.indicator.formula.terms().nth(term).map(|t| t.dataset);
            if let Some(dim) = dataset.and_then(|d| role.dim(d)) {
                q.filters.retain(|f| f.dim != dim);
                q.filters.push(filter(dim, vec![c.clone()]));
            }
        }
        for (dim, value) in self.keys.iter().zip(&point.keys) {
            q.filters.retain(|f| &f.dim != dim);
            q.filters.push(filter(dim, vec![value.clone()]));
        }
        q
    }
}

fn filter(dim: &str, values: Vec<String>) -> Filter {
    Filter {
        parameter: dim.into(),
        dim: dim.into(),
        values,
    }
}

/// A checked request and the query of each term of its formula, not yet run.
pub(crate) struct Plan<'c> {
    indicator: &'c Indicator,
    role: Option<Role>,
    keys: Vec<String>,
    each: bool,
    pub(crate) terms: Vec<TermQuery>,
}

/// The query of one term, and where the country pair begins in its grouping when the term keeps
/// only neighbouring countries.
pub(crate) struct TermQuery {
    pub(crate) query: Query,
    pair_at: Option<usize>,
}

/// Country, breakdown values and year, borrowed from the release until the points are built.
type Key<'r> = (Option<&'r str>, Vec<&'r str>, i16);

impl Engine {
    /// The catalogue and groups shipped with Passage.
    pub fn builtin() -> Result<Engine, CatalogueError> {
        Ok(Engine {
            catalogue: Catalogue::builtin()?,
            groups: CountryGroups::builtin()?,
        })
    }

    /// The indicator with this id, or an error naming it.
    pub fn indicator(&self, id: &str) -> Result<&Indicator, IndicatorError> {
        self.catalogue
            .get(id)
            .ok_or_else(|| IndicatorError::UnknownIndicator(id.into()))
    }

    /// Computes a request on a release.
    pub fn evaluate<'c>(
        &'c self,
        release: &Release,
        request: &Request,
    ) -> Result<Series<'c>, IndicatorError> {
        self.evaluate_in(release, request, None)
    }

    /// [`Engine::evaluate`], reading the store through `memo` when a batch shares one.
    pub(crate) fn evaluate_in<'c>(
        &'c self,
        release: &Release,
        request: &Request,
        memo: Option<&AnswerMemo<'_>>,
    ) -> Result<Series<'c>, IndicatorError> {
        let plan = self.plan(release, request)?;
        self.run_plan(release, request, plan, memo)
    }

    /// Checks a request and builds the query of each term of its formula, without running them.
    pub(crate) fn plan<'c>(
        &'c self,
        release: &Release,
        request: &Request,
    ) -> Result<Plan<'c>, IndicatorError> {
        let indicator = self.indicator(&request.indicator)?;
        let role = match (&request.place, request.role) {
            (Place::World, _) => None,
            (_, Some(role)) if indicator.roles.contains(&role) => Some(role),
            (_, role) => {
                let allowed: Vec<&str> = indicator.roles.iter().map(|r| r.name()).collect();
                let message = match (role, allowed.is_empty()) {
                    (_, true) => format!("`{}` is computed for the world only", indicator.id),
                    (None, false) => format!("give a role: {}", allowed.join(" or ")),
                    (Some(r), false) => format!(
                        "`{}` is not computed for a country as {}; roles: {}",
                        indicator.id,
                        r.name(),
                        allowed.join(", ")
                    ),
                };
                return Err(IndicatorError::bad("role", message));
            }
        };
        for b in &request.by {
            if !indicator.by.contains(b) {
                return Err(IndicatorError::bad(
                    "by",
                    format!(
                        "`{}` cannot be broken down by `{b}`; breakdowns: {}",
                        indicator.id,
                        list_or_none(&indicator.by)
                    ),
                ));
            }
        }
        for (dim, _) in &request.filters {
            if !indicator.by.contains(dim) && !indicator.split.contains(dim) {
                return Err(IndicatorError::bad(
                    "where",
                    format!(
                        "`{}` cannot be filtered on `{dim}`; dimensions: {}",
                        indicator.id,
                        list_or_none(&[indicator.split.clone(), indicator.by.clone()].concat())
                    ),
                ));
            }
        }
        let keys: Vec<String> = indicator.split.iter().chain(&request.by).cloned().collect();
        let members = request.place.members(release.countries(), "place")?;
        let each = request.place == Place::EachCountry;
        let terms: Vec<&Term> = indicator.formula.terms().collect();

        let mut terms_planned = Vec::with_capacity(terms.len());
        for term in terms {
            if release.table(term.dataset).is_none() {
                return Err(IndicatorError::MissingDataset {
                    indicator: indicator.id.clone(),
                    dataset: term.dataset.name().into(),
                    release: release.manifest.id.to_string(),
                });
            }
            let country_dim = role.and_then(|r| r.dim(term.dataset));
            let mut query = Query {
                dataset: term.dataset.name().into(),
                years: request.years.clone(),
                filters: Vec::new(),
                by: Vec::new(),
                measures: vec![term.measure.clone()],
            };
            let mut pair = false;
            for f in &term.filters {
                match &f.values {
                    FilterValues::List(v) => query.filters.push(filter(&f.dim, v.clone())),
                    FilterValues::Group(g) => {
                        let m = self
                            .groups
                            .members(g, release.countries())
                            .ok_or_else(|| IndicatorError::bad("group", format!("`@{g}`")))?;
                        query.filters.push(filter(&f.dim, m));
                    }
                    FilterValues::Neighbours => pair = true,
                }
            }
            if let (Some(m), Some(dim)) = (&members, country_dim) {
                query.filters.push(filter(dim, m.clone()));
            }
            for (dim, values) in &request.filters {
                query.filters.push(filter(dim, values.clone()));
            }
            if each {
                query.by.push(country_dim.unwrap_or_default().to_string());
            }
            query.by.push("year".into());
            query.by.extend(keys.iter().cloned());
            let pair_at = query.by.len();
            if pair {
                query.by.push("coo_iso".into());
                query.by.push("coa_iso".into());
            }
            terms_planned.push(TermQuery {
                query,
                pair_at: pair.then_some(pair_at),
            });
        }
        Ok(Plan {
            indicator,
            role,
            keys,
            each,
            terms: terms_planned,
        })
    }

    /// Runs a plan's queries (through `memo` when given) and combines their answers.
    pub(crate) fn run_plan<'c>(
        &'c self,
        release: &Release,
        request: &Request,
        plan: Plan<'c>,
        memo: Option<&AnswerMemo<'_>>,
    ) -> Result<Series<'c>, IndicatorError> {
        let Plan {
            indicator,
            role,
            keys,
            each,
            terms,
        } = plan;
        let mut acc: FxHashMap<Key<'_>, (Vec<Option<f64>>, Vec<u64>)> = FxHashMap::default();
        let n = terms.len();
        let mut queries = Vec::with_capacity(n);
        for (k, TermQuery { mut query, pair_at }) in terms.into_iter().enumerate() {
            let (answer, column) = match memo {
                Some(memo) => memo.answer(&query)?,
                None => (std::sync::Arc::new(passage_store::run(release, &query)?), 0),
            };
            let year_at = usize::from(each);
            for row in answer.rows() {
                if let Some(at) = pair_at {
                    if !self.groups.neighbours(row.keys[at], row.keys[at + 1]) {
                        continue;
                    }
                }
                let Ok(year) = row.keys[year_at].parse::<i16>() else {
                    continue;
                };
                let key = (
                    each.then_some(row.keys[0]),
                    row.keys[year_at + 1..year_at + 1 + keys.len()].to_vec(),
                    year,
                );
                let slot = acc
                    .entry(key)
                    .or_insert_with(|| (vec![None; n], vec![0; n]));
                let v = match row.values[column] {
                    passage_datasets::Value::Int(i) => Some(i as f64),
                    passage_datasets::Value::Float(f) => Some(f),
                    passage_datasets::Value::Null => None,
                };
                if let Some(v) = v {
                    slot.0[k] = Some(slot.0[k].unwrap_or(0.0) + v);
                }
                slot.1[k] += row.source_rows;
            }
            if let Some(at) = pair_at {
                query.by.truncate(at);
            }
            queries.push(query);
        }

        let mut entries: Vec<_> = acc.into_iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let points = entries
            .into_iter()
            .map(|((country, keys, year), (parts, source_rows))| Point {
                period: indicator
                    .sources()
                    .into_iter()
                    .find_map(|d| release.reference_period(d, i32::from(year)).label()),
                value: combine(&indicator.formula, &parts),
                country: country.map(String::from),
                year,
                keys: keys.into_iter().map(String::from).collect(),
                parts,
                source_rows,
            })
            .collect();
        Ok(Series {
            indicator,
            release: release.manifest.id.clone(),
            place: request.place.clone(),
            role,
            keys,
            queries,
            points,
        })
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

/// Sums present parts; `None` when none is present or a required one is missing.
fn sum(terms: &[Term], parts: &[Option<f64>]) -> Option<f64> {
    if terms
        .iter()
        .zip(parts)
        .any(|(t, p)| t.required && p.is_none())
    {
        return None;
    }
    parts.iter().flatten().copied().reduce(|a, b| a + b)
}

fn combine(formula: &Formula, parts: &[Option<f64>]) -> Option<f64> {
    match formula {
        Formula::Sum(terms) => sum(terms, parts),
        Formula::Ratio {
            numerator,
            denominator,
            scale,
        } => {
            let (num_parts, den_parts) = parts.split_at(numerator.len());
            let den = sum(denominator, den_parts).filter(|d| *d > 0.0)?;
            // A numerator that is a filtered subset of a present denominator term (refugees hosted
            // by neighbours, of all refugees) is zero when no row passes its filter, not unknown.
            let subset_present = numerator.iter().any(|n| {
                denominator
                    .iter()
                    .zip(den_parts)
                    .any(|(d, p)| p.is_some() && d.dataset == n.dataset && d.measure == n.measure)
            });
            let num = match sum(numerator, num_parts) {
                Some(n) => n,
                None if subset_present && !numerator.iter().any(|t| t.required) => 0.0,
                None => return None,
            };
            Some(num / den * scale)
        }
    }
}

impl Engine {
    /// The rows of the release one part of one point was summed from, in table order.
    pub fn trace_part<'r>(
        &self,
        release: &'r Release,
        series: &Series<'_>,
        point: &Point,
        term: usize,
    ) -> Result<(&'r passage_store::IndexedTable, Vec<usize>), IndicatorError> {
        let query = series.part_query(point, term);
        let (table, mut rows) = passage_store::trace(release, &query)?;
        let pair = series.indicator.formula.terms().nth(term).is_some_and(|t| {
            t.filters
                .iter()
                .any(|f| f.values == FilterValues::Neighbours)
        });
        if let (true, Some(o), Some(a)) =
            (pair, table.dim_index("coo_iso"), table.dim_index("coa_iso"))
        {
            let dims = &table.table.dims;
            rows.retain(|&r| self.groups.neighbours(dims[o].value(r), dims[a].value(r)));
        }
        Ok((table, rows))
    }
}
