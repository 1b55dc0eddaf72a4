//! `passage activate RELEASE`: roll the active release back (or forward) atomically. An activation
//! is complete once the claims' verdicts on the release are recorded; one cut short between the two
//! (a sync or activate killed) is completed by the next command that opens the store.

use std::collections::BTreeSet;

use anyhow::Result;
use passage_claims::starter;
use passage_store::Store;

use crate::commands::claims::claim_store;
use crate::commands::indicator::engine;
use crate::commands::open_store;
use crate::config::Config;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Release id or unambiguous prefix
    release: String,
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    let store = open_store(config)?;
    let id = store.resolve(&args.release)?;
    store.activate(&id)?;
    outln!("release {id} active");
    crate::commands::claims::record_after_activation(config, &store, &id);
    Ok(())
}

/// Records the verdicts an interrupted activation left unrecorded on the active release: all of
/// them when it has none, or the rest when a shipped claim, or one recorded on other releases,
/// has none on it (a record cut short). Reads only the verdict history when nothing is missing. Never fails the
/// command it runs before: a problem is a warning.
pub fn complete_verdicts(config: &Config, store: &Store) {
    let result = (|| -> Result<usize> {
        let Some(id) = store.active_id()? else {
            return Ok(0);
        };
        let claims = claim_store(config)?;
        let history = claims.history()?;
        let on_active: BTreeSet<(&str, &str)> = history
            .iter()
            .filter(|r| r.evaluation.release == id.as_str())
            .map(|r| {
                (
                    r.evaluation.claim.as_str(),
                    r.evaluation.fingerprint.as_str(),
                )
            })
            .collect();
        if !on_active.is_empty() {
            // A claim shipped with Passage is recorded on every activated release; a claim
            // recorded on other releases too. A claim added since is left to `claims check`.
            let elsewhere: BTreeSet<(&str, &str)> = history
                .iter()
                .map(|r| {
                    (
                        r.evaluation.claim.as_str(),
                        r.evaluation.fingerprint.as_str(),
                    )
                })
                .collect();
            let engine = engine()?;
            let shipped: BTreeSet<String> = starter(&engine)?.into_iter().map(|c| c.id).collect();
            let missing = claims.claims(&engine)?.iter().any(|c| {
                let fingerprint = c.fingerprint();
                let key = (c.id.as_str(), fingerprint.as_str());
                !on_active.contains(&key) && (shipped.contains(&c.id) || elsewhere.contains(&key))
            });
            if !missing {
                return Ok(0);
            }
        }
        let release = store.load(&id)?;
        let now = passage_datasets::rfc3339(std::time::SystemTime::now());
        let recorded = claims.record_release(&engine()?, &release, &now)?;
        if recorded.added > 0 {
            errln!(
                "note: recorded {} claim verdicts on release {id}, left unrecorded by an interrupted sync or activation",
                recorded.added
            );
        }
        Ok(recorded.added)
    })();
    if let Err(e) = result {
        errln!("warning: the claims' verdicts on the active release could not be checked: {e:#}");
    }
}
