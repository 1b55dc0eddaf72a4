//! Passage's domain vocabulary, shared by every other crate.
//!
//! Values here are built only by parsing: a [`CountryCode`] always knows which code system it was read
//! in, a [`Year`] is always in range, a [`ReleaseId`] always has its canonical form. The [`CountryRef`]
//! joins the systems (UNHCR, ISO 3166 alpha-3 and alpha-2, M49) for one release.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod code_system;
mod country;
mod country_code;
mod country_ref;
mod error;
mod iso3166;
mod release_id;
mod timestamp;
mod year;

pub use code_system::CodeSystem;
pub use country::{Country, SpecialCode};
pub use country_code::{CountryCode, Iso2};
pub use country_ref::{canonical_iso, CountryRef, CountryRow};
pub use error::DomainError;
pub use iso3166::{iso3166_by_alpha3, Iso3166Entry};
pub use release_id::ReleaseId;
pub use timestamp::rfc3339;
pub use year::{Year, YearRange};
