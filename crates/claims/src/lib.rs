//! Passage's claims: public statements about migration registered with the test that checks them
//! against the indicators, evaluated on every release, with a verdict history that shows when a
//! claim stopped (or started) holding, both across releases and across the years of the data.

#![forbid(unsafe_code)]

mod claim;
mod error;
mod evaluate;
mod store;

pub use claim::{parse_claims, starter, Claim, Op, Operand, Test};
pub use error::ClaimError;
pub use evaluate::{evaluate, turning_points, Evaluation, Observation, Outcome, Verdict};
pub use store::{ClaimStore, Record, Recorded};
