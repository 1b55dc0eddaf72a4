//! What the pages read, behind one interface: the active release, the indicator engine, the claims
//! and their verdicts, the registry and the store's releases. The server implements it over its
//! shared state, so a page and `/api/v1/…` read the same objects and never disagree.

use std::sync::Arc;

use passage_claims::{Claim, Evaluation, Record};
use passage_domain::ReleaseId;
use passage_indicators::Engine;
use passage_registry::Registry;
use passage_store::{Diff, Manifest, NegotiationRecord, Release};

use crate::{PageError, SiteUrl};

/// The sources of every page.
pub trait Site: Sync {
    /// The active release.
    fn release(&self) -> &Release;
    /// Where the site is published, if configured: for the links of reports read away from it
    /// and the whole address in citations.
    fn site_url(&self) -> Option<&SiteUrl>;
    /// The indicator catalogue and engine.
    fn engine(&self) -> &Engine;
    /// Every claim, starter set and users' alike.
    fn claims(&self) -> Result<Vec<Claim>, PageError>;
    /// A claim's evaluation on the active release (computed once per release).
    fn evaluation(&self, claim: &Claim) -> Evaluation;
    /// Verdicts recorded at each sync or activation, oldest first.
    fn verdict_history(&self) -> Result<Vec<Record>, PageError>;
    /// The pledge registry.
    fn registry(&self) -> &Registry;
    /// The store's releases, oldest first.
    fn releases(&self) -> Result<Vec<Manifest>, PageError>;
    /// A release of the store by id: the active one, or loaded.
    fn release_by_id(&self, id: &ReleaseId) -> Result<Arc<Release>, PageError>;
    /// What changed from one release to another.
    fn diff(&self, from: &ReleaseId, to: &ReleaseId) -> Result<Arc<Diff>, PageError>;
    /// The negotiation record: the active release's texts and votes, and the versions users
    /// imported.
    fn negotiation(&self) -> Result<Arc<NegotiationRecord>, PageError>;
}
