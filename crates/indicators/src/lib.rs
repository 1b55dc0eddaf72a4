//! Passage's indicators: a catalogue, kept as data, of what each objective of the Global Compacts
//! (and SDG 10.7) can be measured by, and the engine that computes any indicator from a release for
//! the world, a region or a country as host or origin, with rankings, changes over time and country
//! profiles, and the groups of a recorded vote. Every figure keeps its parts and the queries that reproduce them.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod answer_memo;
mod catalogue;
mod change;
mod country_group;
mod error;
mod evaluate;
mod place;
mod profile;
mod ranking;
mod series_json;
mod term;
mod two_threads;
mod vote_groups;

pub use catalogue::{Catalogue, Formula, Framework, Indicator, Objective, Role};
pub use change::{changes, Change, COMPACTS_ADOPTED};
pub use country_group::{CountryGroups, GROUP_NAMES};
pub use error::{CatalogueError, IndicatorError};
pub use evaluate::{Engine, Point, Request, Series};
pub use place::{region_members, region_names, Place};
pub use profile::Profile;
pub use ranking::{ranked, Ranking};
pub use series_json::number;
pub use term::{FilterValues, Term, TermFilter};
pub use two_threads::{beside, on_two_threads};
pub use vote_groups::{vote_groups, GroupFigure, VoteGroup, JOINED};
