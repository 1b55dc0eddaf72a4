//! The release being served, shared by every request, and its replacement when the store's active
//! release changes: the new release is loaded beside the old one and swapped in one step, so no
//! request sees a half-loaded release or fails in between.

use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use passage_claims::{Claim, ClaimError, ClaimStore, Evaluation};
use passage_domain::ReleaseId;
use passage_indicators::{CatalogueError, Engine};
use passage_pages::SiteUrl;
use passage_registry::{Registry, RegistryError};
use passage_store::{Diff, NegotiationRecord, Release, Store, StoreError};

use crate::compat::PageCache;
use crate::heavy_work::HeavyWork;

/// What handlers share.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    current: RwLock<Option<Arc<Release>>>,
    pages: PageCache,
    engine: Engine,
    claims: ClaimStore,
    /// Serialises claim registrations, so two requests cannot both pass the duplicate check.
    claim_writes: Mutex<()>,
    claims_token: Option<String>,
    site_url: Option<SiteUrl>,
    registry: Arc<Registry>,
    /// Claim evaluations by release and claim fingerprint: a release never changes, so a claim
    /// is evaluated once per release, not on every request.
    evaluations: Mutex<std::collections::HashMap<(String, String), Evaluation>>,
    heavy: HeavyWork,
    /// Rendered diffs by (from, to): releases never change, so a diff is computed once.
    diffs: Mutex<std::collections::HashMap<(ReleaseId, ReleaseId), Arc<String>>>,
    /// Held while a diff is computed, so that requests for the same diff arriving together wait
    /// for the first one's result instead of each building it (a diff holds tens of MB).
    diff_computing: Mutex<()>,
    /// Computed diffs by (from, to), for the pages.
    diff_values: Mutex<std::collections::HashMap<(ReleaseId, ReleaseId), Arc<Diff>>>,
    /// Rendered pages, keyed by release and request.
    pub(crate) rendered: crate::web::RenderedPages,
    /// The last negotiation record read, with the release and imports it was read from.
    negotiation: Mutex<Option<(RecordKey, Arc<NegotiationRecord>)>>,
    /// The browser that prints reports' PDFs, started on the first one, and what it printed.
    printer: crate::report_pdf::Printer,
}

/// What a negotiation record was read from: the release, and the modification times of the
/// imported versions' folders (an import adds a file to a document's folder, or a folder).
type RecordKey = (ReleaseId, Vec<(String, Option<std::time::SystemTime>)>);

fn imports_signature(dir: &std::path::Path) -> Vec<(String, Option<std::time::SystemTime>)> {
    let mtime = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let mut out = vec![(String::new(), mtime(dir))];
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            out.push((
                e.file_name().to_string_lossy().into_owned(),
                mtime(&e.path()),
            ));
        }
    }
    out.sort();
    out
}

/// Rendered diffs kept before the cache starts again.
const DIFFS_KEPT: usize = 16;

/// Evaluations kept before the cache starts again (ad-hoc checks would otherwise grow it).
const EVALUATIONS_KEPT: usize = 4096;

/// What a server is opened with, beyond its store.
#[derive(Debug, Clone)]
pub struct Options {
    /// Lets a request bearing it register claims; none disables that.
    pub claims_token: Option<String>,
    /// `sqlite:PATH` or `postgres://…`; default: `registry.db` in the store's folder.
    pub registry_url: Option<String>,
    /// A PostgreSQL streaming replica the registry's reads go to while it answers.
    pub registry_read_url: Option<String>,
    /// Bytes of rendered compatible-API queries kept for clients paging through them; 0 keeps
    /// none. Default: [`Options::DEFAULT_PAGE_CACHE_BYTES`].
    pub page_cache_bytes: usize,
    /// Where the site is published, for the links of reports read away from it (one HTML file,
    /// a PDF); without it those links are taken out.
    pub site_url: Option<SiteUrl>,
}

impl Options {
    /// The page cache's default size: a few pages of a page-through, well under the size of a
    /// release in memory, so that serving stays within twice the release's size on disk.
    pub const DEFAULT_PAGE_CACHE_BYTES: usize = 16 << 20;
}

impl Default for Options {
    fn default() -> Self {
        Options {
            claims_token: None,
            registry_url: None,
            registry_read_url: None,
            page_cache_bytes: Options::DEFAULT_PAGE_CACHE_BYTES,
            site_url: None,
        }
    }
}

/// Why the state could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The store or its active release could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The shipped indicator catalogue does not parse.
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    /// The claims beside the releases could not be read.
    #[error(transparent)]
    Claims(#[from] ClaimError),
    /// The registry could not be opened or migrated.
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

impl AppState {
    /// Opens the state on `store`, loading its active release if it has one. Claims cannot be
    /// registered over HTTP.
    pub fn open(store: Store) -> Result<AppState, StateError> {
        AppState::open_with(store, Options::default())
    }

    /// Opens the state with its claims token and registry.
    pub fn open_with(store: Store, options: Options) -> Result<AppState, StateError> {
        let claims = ClaimStore::open(&store.root().join("claims"))?;
        let engine = Engine::builtin()?;
        let url = options
            .registry_url
            .unwrap_or_else(|| format!("sqlite:{}", store.root().join("registry.db").display()));
        let indicators = engine
            .catalogue
            .indicators
            .iter()
            .map(|i| i.id.clone())
            .collect();
        let registry = Arc::new(Registry::open_with_replica(
            &url,
            options.registry_read_url.as_deref(),
            indicators,
        )?);
        let state = AppState {
            inner: Arc::new(Inner {
                store,
                current: RwLock::new(None),
                pages: PageCache::new(options.page_cache_bytes),
                engine,
                claims,
                claim_writes: Mutex::new(()),
                claims_token: options.claims_token.filter(|t| !t.is_empty()),
                site_url: options.site_url,
                registry,
                evaluations: Mutex::new(Default::default()),
                heavy: HeavyWork::default(),
                diffs: Mutex::new(Default::default()),
                diff_computing: Mutex::new(()),
                diff_values: Mutex::new(Default::default()),
                rendered: crate::web::RenderedPages::new(options.page_cache_bytes),
                negotiation: Mutex::new(None),
                printer: crate::report_pdf::Printer::new(),
            }),
        };
        state.reload_if_changed()?;
        Ok(state)
    }

    /// Rendered results of the compatible API's multi-page queries.
    pub(crate) fn pages(&self) -> &PageCache {
        &self.inner.pages
    }

    /// Where the site is published, if configured.
    pub fn site_url(&self) -> Option<&SiteUrl> {
        self.inner.site_url.as_ref()
    }

    /// The indicator catalogue and engine.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The claims users added and the verdict history.
    pub fn claims(&self) -> &ClaimStore {
        &self.inner.claims
    }

    pub(crate) fn claim_writes(&self) -> &Mutex<()> {
        &self.inner.claim_writes
    }

    /// Whether `presented` is the configured claims token; always false without one. The
    /// comparison takes the same time wherever the first difference is.
    pub(crate) fn claims_token_matches(&self, presented: &str) -> bool {
        let Some(token) = &self.inner.claims_token else {
            return false;
        };
        let (a, b) = (token.as_bytes(), presented.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// A claim's evaluation on a release, computed once per release and definition.
    pub(crate) fn evaluation(&self, release: &Release, claim: &Claim) -> Evaluation {
        let key = (release.manifest.id.to_string(), claim.fingerprint());
        if let Some(e) = self
            .inner
            .evaluations
            .lock()
            .ok()
            .and_then(|c| c.get(&key).cloned())
        {
            return e;
        }
        let e = passage_claims::evaluate(&self.inner.engine, release, claim);
        if let Ok(mut cache) = self.inner.evaluations.lock() {
            if cache.len() >= EVALUATIONS_KEPT {
                cache.clear();
            }
            cache.insert(key, e.clone());
        }
        e
    }

    /// The pledge registry.
    pub fn registry(&self) -> &Arc<Registry> {
        &self.inner.registry
    }

    /// The bounded pool heavy requests run in.
    pub(crate) fn heavy(&self) -> &HeavyWork {
        &self.inner.heavy
    }

    /// A diff rendered before, if any.
    pub(crate) fn cached_diff(&self, from: &ReleaseId, to: &ReleaseId) -> Option<Arc<String>> {
        let diffs = self.inner.diffs.lock().ok()?;
        diffs.get(&(from.clone(), to.clone())).cloned()
    }

    /// Serialises diff computations (see `diff_computing`); a poisoned lock is still usable, as
    /// it guards nothing but the turn.
    pub(crate) fn diff_turn(&self) -> std::sync::MutexGuard<'_, ()> {
        self.inner
            .diff_computing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keeps a rendered diff, and gives it back to be served.
    pub(crate) fn keep_diff(&self, from: ReleaseId, to: ReleaseId, text: String) -> Arc<String> {
        let text = Arc::new(text);
        if let Ok(mut diffs) = self.inner.diffs.lock() {
            if diffs.len() >= DIFFS_KEPT {
                diffs.clear();
            }
            diffs.insert((from, to), text.clone());
        }
        text
    }

    /// What changed between two releases, computed once. The release being served is in memory
    /// already and is never loaded a second time.
    pub(crate) fn diff(&self, a: &ReleaseId, b: &ReleaseId) -> Result<Arc<Diff>, StoreError> {
        let cached = |s: &Self| {
            s.inner
                .diff_values
                .lock()
                .ok()
                .and_then(|d| d.get(&(a.clone(), b.clone())).cloned())
        };
        if let Some(hit) = cached(self) {
            return Ok(hit);
        }
        let _turn = self.diff_turn();
        if let Some(hit) = cached(self) {
            return Ok(hit);
        }
        let active = self.release();
        let load = |id: &ReleaseId| -> Result<Arc<Release>, StoreError> {
            match &active {
                Some(r) if &r.manifest.id == id => Ok(r.clone()),
                _ => Ok(Arc::new(self.inner.store.load(id)?)),
            }
        };
        let old = load(a)?;
        let new = if a == b { old.clone() } else { load(b)? };
        let diff = Arc::new(passage_store::diff(&old, &new));
        if let Ok(mut diffs) = self.inner.diff_values.lock() {
            if diffs.len() >= DIFFS_KEPT {
                diffs.clear();
            }
            diffs.insert((a.clone(), b.clone()), diff.clone());
        }
        Ok(diff)
    }

    /// The negotiation record of `release` with the versions imported beside the store, read
    /// again only when the release changes or an import changes the versions' folders (country
    /// pages ask for it on every render).
    pub fn negotiation(&self, release: &Release) -> Result<Arc<NegotiationRecord>, StoreError> {
        let dir = self.inner.store.root().join("negotiation");
        let key = (release.manifest.id.clone(), imports_signature(&dir));
        if let Some((k, record)) = self.inner.negotiation.lock().ok().and_then(|c| c.clone()) {
            if k == key {
                return Ok(record);
            }
        }
        let record = Arc::new(NegotiationRecord::of(Some(release), &dir)?);
        if let Ok(mut cache) = self.inner.negotiation.lock() {
            *cache = Some((key, record.clone()));
        }
        Ok(record)
    }

    pub(crate) fn printer(&self) -> &crate::report_pdf::Printer {
        &self.inner.printer
    }

    pub(crate) fn inner_rendered(&self) -> &crate::web::RenderedPages {
        &self.inner.rendered
    }

    /// The store releases are read from.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The release requests are answered from, if any.
    pub fn release(&self) -> Option<Arc<Release>> {
        self.inner.current.read().ok().and_then(|g| g.clone())
    }

    /// Loads the store's active release if it is not the one being served; true if it swapped.
    pub fn reload_if_changed(&self) -> Result<bool, StoreError> {
        let Some(active) = self.inner.store.active_id()? else {
            return Ok(false);
        };
        if self.release().is_some_and(|r| r.manifest.id == active) {
            return Ok(false);
        }
        let release = Arc::new(self.inner.store.load(&active)?);
        if let Ok(mut current) = self.inner.current.write() {
            *current = Some(release);
        }
        tracing::info!(release = %active, "serving release");
        Ok(true)
    }
}

/// Checks the store's active release every `period` and swaps it in when it changes, then warms
/// it ([`AppState::warm_in_background`]).
pub fn spawn_watcher(state: AppState, period: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        loop {
            tick.tick().await;
            let s = state.clone();
            match tokio::task::spawn_blocking(move || s.reload_if_changed()).await {
                Ok(Err(e)) => tracing::warn!(error = %e, "could not load the newly active release"),
                Err(e) => tracing::warn!(error = %e, "release watcher task failed"),
                Ok(Ok(true)) => state.warm_in_background(),
                Ok(Ok(false)) => {}
            }
        }
    })
}
