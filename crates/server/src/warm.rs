//! Warming a release once it is served: the pages a visitor opens first are rendered into the
//! page cache, and with them every claim's evaluation, the base map and the registry's records,
//! which a first render of any country, claim or map page would otherwise make while its visitor
//! waits.

use std::sync::Arc;

use passage_store::Release;

use crate::AppState;

/// The dashboard and the index pages of the navigation. `/claims` evaluates every claim, which
/// the country and claim pages then read; `/map` projects the base map once for every map;
/// `/pledges` parses the registry's records, which every country page reads.
const FIRST_PAGES: [&str; 6] = [
    "/",
    "/claims",
    "/map",
    "/countries",
    "/indicators",
    "/pledges",
];

impl AppState {
    /// Warms the release being served, on a thread of its own, and returns at once.
    pub fn warm_in_background(&self) {
        let state = self.clone();
        let started = std::thread::Builder::new()
            .name("passage-warm".into())
            .spawn(move || state.warm());
        if let Err(e) = started {
            tracing::warn!(error = %e, "could not start warming the release");
        }
    }

    /// Warms the release being served (see the module), returning when done. A page that fails
    /// is left for its first visitor, who is told why; a release replaced meanwhile is left.
    pub fn warm(&self) {
        let Some(release) = self.release() else {
            return;
        };
        let started = std::time::Instant::now();
        for path in FIRST_PAGES {
            if !self.serves(&release) {
                return;
            }
            let Some(key) = crate::web::page_key(self, &release, path, "") else {
                continue;
            };
            if self.inner_rendered().get(&key).is_some() {
                continue;
            }
            match crate::web::render(self, release.clone(), path, "") {
                Ok(page) => self.inner_rendered().keep(
                    key,
                    Arc::new(crate::web::Rendered {
                        warmed: true,
                        ..page
                    }),
                ),
                Err(e) => tracing::warn!(error = %e, path, "could not warm a page"),
            }
        }
        tracing::info!(
            release = %release.manifest.id,
            ms = started.elapsed().as_millis() as u64,
            "release warmed"
        );
    }

    fn serves(&self, release: &Arc<Release>) -> bool {
        self.release()
            .is_some_and(|now| now.manifest.id == release.manifest.id)
    }
}
