//! The registry's current records, parsed once for each head of its history and shared by the
//! readers that look at many of them at a time: a country page reads every pledge and position to
//! find its own. A write moves the head, and the next reader parses the records again.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::registry::{entities_in, pledge_records_in};
use crate::registry_positions::positions_in;
use crate::{
    Entity, Event, PledgeRecord, Position, PositionFilter, Registry, RegistryError, Verification,
    Versioned,
};

/// Every entity, pledge (with its updates and links) and position as of one head.
#[derive(Debug)]
pub struct Snapshot {
    /// The sequence number of the last event these records reflect.
    pub head: i64,
    /// Every entity, by id.
    pub entities: Vec<Versioned<Entity>>,
    /// Every pledge with its progress updates and indicator links, by id.
    pub pledges: Vec<PledgeRecord>,
    /// Every position, withdrawn ones included, by id.
    positions: Vec<Versioned<Position>>,
    /// Each entity's place in `entities`, by id.
    by_id: HashMap<String, usize>,
    /// The chain's verification and the public history, made by the first reader that asks.
    verification: OnceLock<Verification>,
    history: OnceLock<Vec<Event>>,
}

impl Snapshot {
    /// Entity `id`, if there is one.
    pub fn entity(&self, id: &str) -> Option<&Versioned<Entity>> {
        self.by_id.get(id).and_then(|&i| self.entities.get(i))
    }

    /// The country of entity `id`, if it is an entity of one.
    pub fn country_of(&self, id: &str) -> Option<&str> {
        self.entity(id)?.item.country.as_deref()
    }

    /// The positions that meet `filter`, as [`Registry::positions`] gives them.
    pub fn positions<'a>(
        &'a self,
        filter: &'a PositionFilter,
    ) -> impl Iterator<Item = &'a Versioned<Position>> + 'a {
        self.positions
            .iter()
            .filter(|p| filter.matches(&p.item, self.country_of(&p.item.entity)))
    }

    /// [`Registry::verify`], once for this snapshot: a record edited outside Passage without an
    /// event shows when the next write moves the head, as it does in pages kept per head.
    /// `/api/v1/registry/verify` and `passage registry verify` check afresh each time.
    pub fn verification(&self, registry: &Registry) -> Result<&Verification, RegistryError> {
        if let Some(v) = self.verification.get() {
            return Ok(v);
        }
        let v = registry.verify()?;
        Ok(self.verification.get_or_init(|| v))
    }

    /// Every event up to this snapshot's head as the public may see it ([`Event::public`]),
    /// oldest first, read once: a write made since shows in the next snapshot, not here.
    pub fn history(&self, registry: &Registry) -> Result<&[Event], RegistryError> {
        if let Some(h) = self.history.get() {
            return Ok(h);
        }
        let mut out: Vec<Event> = Vec::new();
        loop {
            let after = out.last().map_or(0, |e| e.seq);
            if after >= self.head {
                break;
            }
            let page = registry.public_events(after, 10_000)?;
            if page.is_empty() {
                break;
            }
            out.extend(page);
        }
        out.retain(|e| e.seq <= self.head);
        Ok(self.history.get_or_init(|| out))
    }
}

impl Registry {
    /// The records as of the current head, read in one transaction, parsed only when the head
    /// has moved since the last reader's.
    pub fn snapshot(&self) -> Result<Arc<Snapshot>, RegistryError> {
        let kept = || self.snapshot.lock().ok().and_then(|s| s.clone());
        self.read(|tx| {
            let head = tx.head()?.0;
            if let Some(s) = kept().filter(|s| s.head == head) {
                return Ok(s);
            }
            let entities = entities_in(tx)?;
            let by_id = entities
                .iter()
                .enumerate()
                .map(|(i, e)| (e.item.id.clone(), i))
                .collect();
            let fresh = Arc::new(Snapshot {
                head,
                pledges: pledge_records_in(tx)?,
                positions: positions_in(tx, &PositionFilter::default())?,
                entities,
                by_id,
                verification: OnceLock::new(),
                history: OnceLock::new(),
            });
            if let Ok(mut s) = self.snapshot.lock() {
                // A reader on an older head (a replica behind) does not replace a newer one.
                if s.as_ref().is_none_or(|k| k.head <= head) {
                    *s = Some(fresh.clone());
                }
            }
            Ok(fresh)
        })
    }
}
