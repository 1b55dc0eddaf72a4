//! The registry's operations: reads for everyone, and writes that each run in one transaction:
//! authorise, check the model's rules and references, compare the version the writer read, store,
//! and append the hash-chained event. Deletions (withdrawals, revocations) are events too. The
//! operations on positions are in `registry_positions`, on the helpers shared here.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::access::{authorize, Action, Principal, Role};
use crate::backend::{Backend, Kind, Stored, Tx};
use crate::event::{check_chain, Break, Event};
use crate::model::{Entity, IndicatorLink, Pledge, ProgressUpdate};
use crate::token::{id_of, new_secret, sha256_hex, TokenRecord};
use crate::{Position, RegistryError, Timestamp};

/// An object with the version a writer must quote to change it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Versioned<T> {
    /// The version to quote when changing it; 1 on creation, one more with each change.
    pub version: i64,
    /// Withdrawn (pledges), revoked (tokens): kept, never erased.
    pub withdrawn: bool,
    /// The object itself.
    #[serde(flatten)]
    pub item: T,
}

/// A pledge with its progress updates and indicator links.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PledgeRecord {
    /// The pledge.
    pub pledge: Versioned<Pledge>,
    /// Its progress updates.
    pub updates: Vec<Versioned<ProgressUpdate>>,
    /// Its indicator links.
    pub links: Vec<Versioned<IndicatorLink>>,
}

/// Everything an import or export carries. An export carries the whole history in `events`:
/// imported into an empty registry, it gives the same registry (records, versions, withdrawals,
/// tokens and events), which verifies. Without `events`, the records are created anew, and the
/// pledges named in `withdrawn` and the positions named in `positions_withdrawn` are then
/// withdrawn.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// Entities, created first.
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// Pledges; their entities must exist or come in the bundle.
    #[serde(default)]
    pub pledges: Vec<Pledge>,
    /// Progress updates, each naming its pledge.
    #[serde(default)]
    pub updates: Vec<ProgressUpdate>,
    /// Indicator links, each naming its pledge.
    #[serde(default)]
    pub links: Vec<IndicatorLink>,
    /// Ids of withdrawn pledges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withdrawn: Vec<String>,
    /// Positions of states and groups; their entities must exist or come in the bundle. Each
    /// keeps the id it carries (an export's), or is given one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub positions: Vec<Position>,
    /// Ids of withdrawn positions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub positions_withdrawn: Vec<String>,
    /// The whole history, in sequence; when present, the records are replayed from it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
}

/// The records of a bundle, each list by id, as rows of each kind give them.
fn records(
    rows: &mut dyn FnMut(Kind) -> Result<Vec<Stored>, RegistryError>,
) -> Result<Bundle, RegistryError> {
    fn docs<T: DeserializeOwned>(kind: Kind, rows: &[Stored]) -> Result<Vec<T>, RegistryError> {
        let mut sorted: Vec<&Stored> = rows.iter().collect();
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        sorted.into_iter().map(|r| from_doc(kind, r)).collect()
    }
    fn deleted(rows: &[Stored]) -> Vec<String> {
        let mut ids: Vec<String> = rows
            .iter()
            .filter(|r| r.deleted)
            .map(|r| r.id.clone())
            .collect();
        ids.sort();
        ids
    }
    let pledges = rows(Kind::Pledge)?;
    let positions = rows(Kind::Position)?;
    Ok(Bundle {
        entities: docs(Kind::Entity, &rows(Kind::Entity)?)?,
        pledges: docs(Kind::Pledge, &pledges)?,
        updates: docs(Kind::Update, &rows(Kind::Update)?)?,
        links: docs(Kind::Link, &rows(Kind::Link)?)?,
        withdrawn: deleted(&pledges),
        positions: docs(Kind::Position, &positions)?,
        positions_withdrawn: deleted(&positions),
        events: Vec::new(),
    })
}

/// The outcome of `verify`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    /// The number of events checked.
    pub events: i64,
    /// The hash of the last event, which seals the whole history (`GENESIS` when there is none).
    pub head: String,
    /// The first bad event, if any.
    pub first_bad: Option<Break>,
}

impl Verification {
    /// True when the chain of events is intact.
    pub fn ok(&self) -> bool {
        self.first_bad.is_none()
    }
}

/// The pledge registry: entities, pledges, progress updates, indicator links and positions, with their hash-chained history of events, on SQLite or PostgreSQL.
pub struct Registry {
    backend: Box<dyn Backend>,
    indicators: Vec<String>,
    /// The records as of the last head a reader asked for ([`Registry::snapshot`]).
    pub(crate) snapshot: std::sync::Mutex<Option<std::sync::Arc<crate::Snapshot>>>,
}

fn now() -> String {
    passage_domain::rfc3339(std::time::SystemTime::now())
}

pub(crate) fn to_doc<T: Serialize>(item: &T) -> String {
    serde_json::to_string(item).unwrap_or_default()
}

pub(crate) fn from_doc<T: DeserializeOwned>(kind: Kind, row: &Stored) -> Result<T, RegistryError> {
    serde_json::from_str(&row.doc).map_err(|e| {
        RegistryError::Database(format!(
            "{} `{}`: stored document unreadable: {e}",
            kind.what(),
            row.id
        ))
    })
}

pub(crate) fn versioned<T: DeserializeOwned>(
    kind: Kind,
    row: &Stored,
) -> Result<Versioned<T>, RegistryError> {
    Ok(Versioned {
        version: row.version,
        withdrawn: row.deleted,
        item: from_doc(kind, row)?,
    })
}

/// What an event records of an object: everything of its row but the id.
fn envelope(row: &Stored) -> String {
    let doc: serde_json::Value = serde_json::from_str(&row.doc).unwrap_or(serde_json::Value::Null);
    serde_json::json!({
        "owner": row.owner, "parent": row.parent, "version": row.version,
        "deleted": row.deleted, "doc": doc,
    })
    .to_string()
}

pub(crate) fn must_exist(tx: &mut dyn Tx, kind: Kind, id: &str) -> Result<Stored, RegistryError> {
    tx.get(kind, id)?.ok_or_else(|| RegistryError::NotFound {
        what: kind.what(),
        id: id.into(),
    })
}

/// Stores `row` (new, or replacing `before` at the version the writer read) and appends its event.
fn commit(
    tx: &mut dyn Tx,
    who: &Principal,
    action: Action,
    kind: Kind,
    row: &Stored,
    before: Option<&Stored>,
) -> Result<(), RegistryError> {
    match before {
        None => {
            if tx.get(kind, &row.id)?.is_some() {
                return Err(RegistryError::Exists {
                    what: kind.what(),
                    id: row.id.clone(),
                });
            }
            tx.insert(kind, row)?;
        }
        Some(b) => {
            if !tx.update(kind, row, b.version)? {
                let current = tx.get(kind, &row.id)?.map_or(0, |r| r.version);
                return Err(RegistryError::Conflict {
                    what: kind.what(),
                    id: row.id.clone(),
                    expected: b.version,
                    current,
                });
            }
        }
    }
    let (seq, prev) = tx.head()?;
    let event = Event::seal(
        seq + 1,
        now(),
        &who.actor,
        action.name(),
        kind.table(),
        &row.id,
        before.map(envelope),
        Some(envelope(row)),
        prev,
    );
    tx.append(&event)
}

/// Stores a new record at version 1, with its event.
#[allow(clippy::too_many_arguments)]
pub(crate) fn create<T: Serialize>(
    tx: &mut dyn Tx,
    who: &Principal,
    action: Action,
    kind: Kind,
    id: &str,
    owner: &str,
    parent: &str,
    item: T,
) -> Result<Versioned<T>, RegistryError> {
    let row = Stored {
        id: id.into(),
        owner: owner.into(),
        parent: parent.into(),
        version: 1,
        deleted: false,
        doc: to_doc(&item),
    };
    commit(tx, who, action, kind, &row, None)?;
    Ok(Versioned {
        version: 1,
        withdrawn: false,
        item,
    })
}

/// Stores the next version of `before`, as `change` makes it (a new document, owner or
/// withdrawal mark), with its event.
pub(crate) fn next_version(
    tx: &mut dyn Tx,
    who: &Principal,
    action: Action,
    kind: Kind,
    before: &Stored,
    change: impl FnOnce(&mut Stored),
) -> Result<Stored, RegistryError> {
    let mut row = Stored {
        version: before.version + 1,
        ..before.clone()
    };
    change(&mut row);
    commit(tx, who, action, kind, &row, Some(before))?;
    Ok(row)
}

/// The co-pledgers of a pledge that have consented: those confirmed before and still listed,
/// and, when an administrator writes, those it adds (it enters what the entities agreed).
fn confirmations(
    who: &Principal,
    listed: &[String],
    listed_before: &[String],
    confirmed_before: &[String],
) -> Vec<String> {
    let mut out: Vec<String> = listed
        .iter()
        .filter(|c| {
            confirmed_before.contains(c)
                || (who.role == Role::Administrator && !listed_before.contains(c))
        })
        .cloned()
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Checks the version a writer quotes against the stored one.
pub(crate) fn check_version(
    kind: Kind,
    row: &Stored,
    expected: Option<i64>,
) -> Result<(), RegistryError> {
    match expected {
        None => Err(RegistryError::VersionRequired {
            what: kind.what(),
            id: row.id.clone(),
        }),
        Some(v) if v != row.version => Err(RegistryError::Conflict {
            what: kind.what(),
            id: row.id.clone(),
            expected: v,
            current: row.version,
        }),
        Some(_) => Ok(()),
    }
}

impl Registry {
    /// Opens `sqlite:PATH` or `postgres://…` and applies pending migrations. `indicators` are the
    /// catalogue's ids, which links must name.
    pub fn open(url: &str, indicators: Vec<String>) -> Result<Registry, RegistryError> {
        Registry::open_with_replica(url, None, indicators)
    }

    /// [`Registry::open`], with reads that need not see the latest write sent to `replica` (a
    /// PostgreSQL streaming replica) while it answers, and to the primary when it does not.
    pub fn open_with_replica(
        url: &str,
        replica: Option<&str>,
        indicators: Vec<String>,
    ) -> Result<Registry, RegistryError> {
        let backend: Box<dyn Backend> = if let Some(path) = url.strip_prefix("sqlite:") {
            if replica.is_some() {
                return Err(RegistryError::Database(format!(
                    "a read replica is for a PostgreSQL registry, not {url}"
                )));
            }
            Box::new(crate::sqlite::Sqlite::open(Path::new(path))?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Box::new(crate::postgres::Postgres::connect_with_replica(
                url, replica,
            )?)
        } else {
            return Err(RegistryError::Url(url.into()));
        };
        backend.migrate()?;
        Ok(Registry {
            backend,
            indicators,
            snapshot: Default::default(),
        })
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        self.backend.name()
    }

    pub(crate) fn read<T>(
        &self,
        mut f: impl FnMut(&mut dyn Tx) -> Result<T, RegistryError>,
    ) -> Result<T, RegistryError> {
        let mut out = None;
        self.backend.read(&mut |tx| {
            out = Some(f(tx)?);
            Ok(())
        })?;
        out.ok_or_else(|| RegistryError::Database("read produced nothing".into()))
    }

    pub(crate) fn write<T>(
        &self,
        mut f: impl FnMut(&mut dyn Tx) -> Result<T, RegistryError>,
    ) -> Result<T, RegistryError> {
        let mut out = None;
        self.backend.write(&mut |tx| {
            out = Some(f(tx)?);
            Ok(())
        })?;
        out.ok_or_else(|| RegistryError::Database("write produced nothing".into()))
    }

    // ---- reads ----------------------------------------------------------------------------

    /// Every entity.
    pub fn entities(&self) -> Result<Vec<Versioned<Entity>>, RegistryError> {
        self.read(entities_in)
    }

    /// One entity, or `NotFound`.
    pub fn entity(&self, id: &str) -> Result<Versioned<Entity>, RegistryError> {
        self.read(|tx| versioned(Kind::Entity, &must_exist(tx, Kind::Entity, id)?))
    }

    /// Pledges, those of one entity (as submitter or confirmed co-pledger) when given.
    pub fn pledges(&self, entity: Option<&str>) -> Result<Vec<Versioned<Pledge>>, RegistryError> {
        let all: Vec<Versioned<Pledge>> = self.read(|tx| {
            tx.list(Kind::Pledge, None)?
                .iter()
                .map(|r| versioned(Kind::Pledge, r))
                .collect()
        })?;
        Ok(all
            .into_iter()
            .filter(|p| {
                entity.is_none_or(|e| {
                    p.item.entity == e || p.item.co_pledgers_confirmed.iter().any(|c| c == e)
                })
            })
            .collect())
    }

    /// One pledge with its progress updates and indicator links, or `NotFound`.
    pub fn pledge(&self, id: &str) -> Result<PledgeRecord, RegistryError> {
        self.read(|tx| {
            let pledge = versioned(Kind::Pledge, &must_exist(tx, Kind::Pledge, id)?)?;
            let updates = tx
                .list(Kind::Update, Some(id))?
                .iter()
                .map(|r| versioned(Kind::Update, r))
                .collect::<Result<_, _>>()?;
            let links = tx
                .list(Kind::Link, Some(id))?
                .iter()
                .map(|r| versioned(Kind::Link, r))
                .collect::<Result<_, _>>()?;
            Ok(PledgeRecord {
                pledge,
                updates,
                links,
            })
        })
    }

    /// Every pledge with its progress updates and indicator links, read in one transaction (a
    /// list of a Global Refugee Forum's 1,600 pledges would otherwise be 1,600 reads).
    pub fn pledge_records(&self) -> Result<Vec<PledgeRecord>, RegistryError> {
        self.read(pledge_records_in)
    }

    /// Events after `after`, whole: for the operator, who holds the database.
    pub fn events(&self, after: i64, limit: i64) -> Result<Vec<Event>, RegistryError> {
        self.read(|tx| tx.events(after, limit))
    }

    /// The sequence number of the latest event (0 before the first): it changes with every
    /// write, from this process or another, so what was read before can be told stale.
    pub fn head_seq(&self) -> Result<i64, RegistryError> {
        self.read(|tx| Ok(tx.head()?.0))
    }

    /// Events after `after` as the public may see them ([`Event::public`]).
    pub fn public_events(&self, after: i64, limit: i64) -> Result<Vec<Event>, RegistryError> {
        Ok(self
            .events(after, limit)?
            .iter()
            .map(Event::public)
            .collect())
    }

    /// The principal a presented token secret stands for.
    pub fn authenticate(&self, secret: &str) -> Result<Principal, RegistryError> {
        let id = id_of(secret).ok_or(RegistryError::Unauthenticated)?;
        let record: Option<TokenRecord> = self.read(|tx| {
            tx.get(Kind::Token, id)?
                .map(|r| from_doc(Kind::Token, &r))
                .transpose()
        })?;
        record
            .and_then(|r| r.admit(secret, Timestamp::now()))
            .ok_or(RegistryError::Unauthenticated)
    }

    /// Checks the whole history: the chain of events, its head, and that every stored object is
    /// what its last event says, so edits made to the database by hand are found too.
    pub fn verify(&self) -> Result<Verification, RegistryError> {
        self.read(|tx| {
            let mut events = Vec::new();
            loop {
                let after = events.last().map_or(0, |e: &Event| e.seq);
                let page = tx.events(after, 10_000)?;
                if page.is_empty() {
                    break;
                }
                events.extend(page);
            }
            let head = tx.head()?;
            let mut result = Verification {
                events: events.len() as i64,
                head: head.1.clone(),
                first_bad: None,
            };
            match check_chain(&events) {
                Err(b) => {
                    result.first_bad = Some(b);
                    return Ok(result);
                }
                Ok(end) if end != head => {
                    result.first_bad = Some(Break {
                        seq: end.0 + 1,
                        reason: format!(
                            "the chain ends at event {} but its head says {}: the last events were deleted",
                            end.0, head.0
                        ),
                    });
                    return Ok(result);
                }
                Ok(_) => {}
            }
            // The state must be the replay of the events.
            let mut last: std::collections::BTreeMap<(String, String), (i64, Option<String>)> =
                Default::default();
            for e in &events {
                last.insert((e.kind.clone(), e.object_id.clone()), (e.seq, e.after.clone()));
            }
            for kind in Kind::ALL {
                for row in tx.list(kind, None)? {
                    let key = (kind.table().to_string(), row.id.clone());
                    match last.remove(&key) {
                        Some((_, Some(after))) if after == envelope(&row) => {}
                        Some((seq, _)) => {
                            result.first_bad = Some(Break {
                                seq,
                                reason: format!(
                                    "{} `{}` differs from what event {seq} recorded: edited outside Passage",
                                    kind.what(),
                                    row.id
                                ),
                            });
                            return Ok(result);
                        }
                        None => {
                            result.first_bad = Some(Break {
                                seq: head.0 + 1,
                                reason: format!("{} `{}` has no event: inserted outside Passage", kind.what(), row.id),
                            });
                            return Ok(result);
                        }
                    }
                }
            }
            if let Some(((kind, id), (seq, _))) = last.into_iter().next() {
                result.first_bad = Some(Break {
                    seq,
                    reason: format!("{kind} `{id}` recorded by event {seq} is gone: deleted outside Passage"),
                });
            }
            Ok(result)
        })
    }

    // ---- writes ---------------------------------------------------------------------------

    /// Registers an entity; its id must be new.
    pub fn create_entity(
        &self,
        who: &Principal,
        entity: Entity,
    ) -> Result<Versioned<Entity>, RegistryError> {
        // Refusals that need no database come before the write takes its lock.
        let mut entity = entity;
        authorize(Some(who), Action::CreateEntity, Some(&entity.id))?;
        entity.check()?;
        self.write(|tx| self.create_entity_in(tx, who, entity.clone()))
    }

    fn create_entity_in(
        &self,
        tx: &mut dyn Tx,
        who: &Principal,
        mut entity: Entity,
    ) -> Result<Versioned<Entity>, RegistryError> {
        authorize(Some(who), Action::CreateEntity, Some(&entity.id))?;
        entity.check()?;
        let id = entity.id.clone();
        create(
            tx,
            who,
            Action::CreateEntity,
            Kind::Entity,
            &id,
            &id,
            "",
            entity,
        )
    }

    /// Replaces an entity's record, if `expected` is its current version.
    pub fn update_entity(
        &self,
        who: &Principal,
        entity: Entity,
        expected: Option<i64>,
    ) -> Result<Versioned<Entity>, RegistryError> {
        let mut entity = entity;
        entity.check()?;
        self.write(|tx| {
            let mut entity = entity.clone();
            let before = must_exist(tx, Kind::Entity, &entity.id)?;
            authorize(Some(who), Action::UpdateEntity, Some(&before.owner))?;
            check_version(Kind::Entity, &before, expected)?;
            entity.check()?;
            let old: Entity = from_doc(Kind::Entity, &before)?;
            if old.example != entity.example {
                authorize(Some(who), Action::ChangeExample, Some(&before.owner))?;
            }
            let row = next_version(tx, who, Action::UpdateEntity, Kind::Entity, &before, |r| {
                r.doc = to_doc(&entity)
            })?;
            Ok(Versioned {
                version: row.version,
                withdrawn: false,
                item: entity,
            })
        })
    }

    /// Checks a pledge's references: its entity, co-pledgers and matched pledges exist.
    fn check_references(tx: &mut dyn Tx, pledge: &Pledge) -> Result<(), RegistryError> {
        for (field, id) in std::iter::once(("entity", &pledge.entity))
            .chain(pledge.co_pledgers.iter().map(|c| ("co_pledgers", c)))
        {
            if tx.get(Kind::Entity, id)?.is_none() {
                return Err(RegistryError::invalid(field, format!("no entity `{id}`")));
            }
        }
        for m in &pledge.matched {
            if tx.get(Kind::Pledge, m)?.is_none() {
                return Err(RegistryError::invalid(
                    "matched",
                    format!("no pledge `{m}`"),
                ));
            }
        }
        Ok(())
    }

    /// Registers a pledge; its entity, co-pledgers and matched pledges must exist.
    pub fn create_pledge(
        &self,
        who: &Principal,
        pledge: Pledge,
    ) -> Result<Versioned<Pledge>, RegistryError> {
        let mut pledge = pledge;
        authorize(Some(who), Action::CreatePledge, Some(&pledge.entity))?;
        pledge.check()?;
        self.write(|tx| self.create_pledge_in(tx, who, pledge.clone()))
    }

    fn create_pledge_in(
        &self,
        tx: &mut dyn Tx,
        who: &Principal,
        mut pledge: Pledge,
    ) -> Result<Versioned<Pledge>, RegistryError> {
        authorize(Some(who), Action::CreatePledge, Some(&pledge.entity))?;
        pledge.check()?;
        Self::check_references(tx, &pledge)?;
        pledge.co_pledgers_confirmed = confirmations(who, &pledge.co_pledgers, &[], &[]);
        let (id, owner) = (pledge.id.clone(), pledge.entity.clone());
        create(
            tx,
            who,
            Action::CreatePledge,
            Kind::Pledge,
            &id,
            &owner,
            "",
            pledge,
        )
    }

    /// Replaces a pledge, if `expected` is its current version; a withdrawn pledge cannot change.
    pub fn update_pledge(
        &self,
        who: &Principal,
        pledge: Pledge,
        expected: Option<i64>,
    ) -> Result<Versioned<Pledge>, RegistryError> {
        let mut pledge = pledge;
        pledge.check()?;
        self.write(|tx| {
            let mut pledge = pledge.clone();
            let before = must_exist(tx, Kind::Pledge, &pledge.id)?;
            authorize(Some(who), Action::UpdatePledge, Some(&before.owner))?;
            // An editor cannot hand a pledge to another entity.
            authorize(Some(who), Action::UpdatePledge, Some(&pledge.entity))?;
            check_version(Kind::Pledge, &before, expected)?;
            if before.deleted {
                return Err(RegistryError::invalid(
                    "id",
                    format!("pledge `{}` was withdrawn", pledge.id),
                ));
            }
            pledge.check()?;
            Self::check_references(tx, &pledge)?;
            let old: Pledge = from_doc(Kind::Pledge, &before)?;
            if old.example != pledge.example {
                authorize(Some(who), Action::ChangeExample, Some(&before.owner))?;
            }
            pledge.co_pledgers_confirmed = confirmations(
                who,
                &pledge.co_pledgers,
                &old.co_pledgers,
                &old.co_pledgers_confirmed,
            );
            let row = next_version(tx, who, Action::UpdatePledge, Kind::Pledge, &before, |r| {
                r.owner = pledge.entity.clone();
                r.doc = to_doc(&pledge);
            })?;
            Ok(Versioned {
                version: row.version,
                withdrawn: false,
                item: pledge,
            })
        })
    }

    /// Withdraws a pledge: it stays, marked withdrawn, with its history.
    pub fn withdraw_pledge(
        &self,
        who: &Principal,
        id: &str,
        expected: Option<i64>,
    ) -> Result<Versioned<Pledge>, RegistryError> {
        self.write(|tx| {
            let before = must_exist(tx, Kind::Pledge, id)?;
            authorize(Some(who), Action::WithdrawPledge, Some(&before.owner))?;
            check_version(Kind::Pledge, &before, expected)?;
            let row = next_version(
                tx,
                who,
                Action::WithdrawPledge,
                Kind::Pledge,
                &before,
                |r| r.deleted = true,
            )?;
            versioned(Kind::Pledge, &row)
        })
    }

    /// Records `entity`'s consent to co-pledge `pledge`: by an editor of `entity`, or an
    /// administrator.
    pub fn confirm_co_pledger(
        &self,
        who: &Principal,
        pledge: &str,
        entity: &str,
        expected: Option<i64>,
    ) -> Result<Versioned<Pledge>, RegistryError> {
        authorize(Some(who), Action::ConfirmCoPledge, Some(entity))?;
        self.write(|tx| {
            let before = must_exist(tx, Kind::Pledge, pledge)?;
            check_version(Kind::Pledge, &before, expected)?;
            let mut item: Pledge = from_doc(Kind::Pledge, &before)?;
            if before.deleted {
                return Err(RegistryError::invalid(
                    "id",
                    format!("pledge `{pledge}` was withdrawn"),
                ));
            }
            if !item.co_pledgers.iter().any(|c| c == entity) {
                return Err(RegistryError::invalid(
                    "co_pledgers",
                    format!("`{entity}` is not a co-pledger of pledge `{pledge}`"),
                ));
            }
            if !item.co_pledgers_confirmed.iter().any(|c| c == entity) {
                item.co_pledgers_confirmed.push(entity.into());
                item.co_pledgers_confirmed.sort();
            }
            let row = next_version(
                tx,
                who,
                Action::ConfirmCoPledge,
                Kind::Pledge,
                &before,
                |r| r.doc = to_doc(&item),
            )?;
            Ok(Versioned {
                version: row.version,
                withdrawn: false,
                item,
            })
        })
    }

    /// Adds a progress update to a pledge that is not withdrawn; the registry gives its id.
    pub fn add_update(
        &self,
        who: &Principal,
        pledge: &str,
        update: ProgressUpdate,
    ) -> Result<Versioned<ProgressUpdate>, RegistryError> {
        update.check()?;
        self.write(|tx| self.add_update_in(tx, who, pledge, update.clone()))
    }

    fn add_update_in(
        &self,
        tx: &mut dyn Tx,
        who: &Principal,
        pledge: &str,
        mut update: ProgressUpdate,
    ) -> Result<Versioned<ProgressUpdate>, RegistryError> {
        let p = must_exist(tx, Kind::Pledge, pledge)?;
        authorize(Some(who), Action::AddUpdate, Some(&p.owner))?;
        if p.deleted {
            return Err(RegistryError::invalid(
                "pledge",
                format!("pledge `{pledge}` was withdrawn"),
            ));
        }
        update.check()?;
        if update.verified_by.is_some() {
            return Err(RegistryError::invalid(
                "verified_by",
                "only a reviewer verifies an update",
            ));
        }
        let n = tx.list(Kind::Update, Some(pledge))?.len() + 1;
        update.id = format!("{pledge}-u{n}");
        update.pledge = pledge.into();
        let id = update.id.clone();
        create(
            tx,
            who,
            Action::AddUpdate,
            Kind::Update,
            &id,
            &p.owner,
            pledge,
            update,
        )
    }

    /// Marks a progress update verified by the reviewer.
    pub fn verify_update(
        &self,
        who: &Principal,
        id: &str,
        expected: Option<i64>,
    ) -> Result<Versioned<ProgressUpdate>, RegistryError> {
        self.write(|tx| {
            let before = must_exist(tx, Kind::Update, id)?;
            authorize(Some(who), Action::VerifyUpdate, Some(&before.owner))?;
            check_version(Kind::Update, &before, expected)?;
            let mut update: ProgressUpdate = from_doc(Kind::Update, &before)?;
            update.verified_by = Some(who.actor.clone());
            let row = next_version(tx, who, Action::VerifyUpdate, Kind::Update, &before, |r| {
                r.doc = to_doc(&update)
            })?;
            Ok(Versioned {
                version: row.version,
                withdrawn: false,
                item: update,
            })
        })
    }

    /// Links a pledge to an indicator of the catalogue; the registry gives the link's id.
    pub fn link_indicator(
        &self,
        who: &Principal,
        pledge: &str,
        link: IndicatorLink,
    ) -> Result<Versioned<IndicatorLink>, RegistryError> {
        let mut link = link;
        link.check(&self.indicators)?;
        self.write(|tx| self.link_in(tx, who, pledge, link.clone()))
    }

    fn link_in(
        &self,
        tx: &mut dyn Tx,
        who: &Principal,
        pledge: &str,
        mut link: IndicatorLink,
    ) -> Result<Versioned<IndicatorLink>, RegistryError> {
        let p = must_exist(tx, Kind::Pledge, pledge)?;
        authorize(Some(who), Action::LinkIndicator, Some(&p.owner))?;
        link.check(&self.indicators)?;
        let n = tx.list(Kind::Link, Some(pledge))?.len() + 1;
        link.id = format!("{pledge}-l{n}");
        link.pledge = pledge.into();
        let id = link.id.clone();
        create(
            tx,
            who,
            Action::LinkIndicator,
            Kind::Link,
            &id,
            &p.owner,
            pledge,
            link,
        )
    }

    /// Issues a token; the secret is returned once and stored only as its hash. Everything that
    /// can be refused without the database is checked before the write begins.
    pub fn issue_token(
        &self,
        who: &Principal,
        role: Role,
        entity: Option<&str>,
        label: &str,
        expires_at: Option<Timestamp>,
    ) -> Result<(TokenRecord, String), RegistryError> {
        authorize(Some(who), Action::IssueToken, None)?;
        match (role, entity) {
            (Role::EntityEditor, None) => {
                return Err(RegistryError::invalid(
                    "entity",
                    "an entity editor token needs its entity",
                ))
            }
            (Role::EntityEditor, Some(_)) | (_, None) => {}
            (_, Some(_)) => {
                return Err(RegistryError::invalid(
                    "entity",
                    "only entity editor tokens name an entity",
                ))
            }
        }
        let (id, secret) = new_secret()?;
        let record = TokenRecord {
            id: id.clone(),
            role,
            entity: entity.map(String::from),
            label: label.into(),
            created_at: now(),
            expires_at: expires_at.map(|t| t.to_string()),
            revoked_at: None,
            secret_sha256: sha256_hex(&secret),
        };
        let owner = entity.unwrap_or_default();
        let record = self.write(|tx| {
            if let Some(e) = entity {
                must_exist(tx, Kind::Entity, e)?;
            }
            create(
                tx,
                who,
                Action::IssueToken,
                Kind::Token,
                &id,
                owner,
                "",
                record.clone(),
            )
        })?;
        Ok((record.item, secret))
    }

    /// Revokes a token: it is kept, marked revoked, and admits no one from then on.
    pub fn revoke_token(&self, who: &Principal, id: &str) -> Result<TokenRecord, RegistryError> {
        self.write(|tx| {
            authorize(Some(who), Action::RevokeToken, None)?;
            let before = must_exist(tx, Kind::Token, id)?;
            let mut record: TokenRecord = from_doc(Kind::Token, &before)?;
            if record.revoked_at.is_none() {
                record.revoked_at = Some(now());
            }
            next_version(tx, who, Action::RevokeToken, Kind::Token, &before, |r| {
                r.deleted = true;
                r.doc = to_doc(&record);
            })?;
            Ok(record)
        })
    }

    /// Every token record (hashes only, never secrets).
    pub fn tokens(&self) -> Result<Vec<TokenRecord>, RegistryError> {
        self.read(|tx| {
            tx.list(Kind::Token, None)?
                .iter()
                .map(|r| from_doc(Kind::Token, r))
                .collect()
        })
    }

    /// Imports a bundle in one transaction: every item is created, or none. Errors name the item
    /// (`pledges[3]`) or, through `places`, the line of the file it came from. A bundle with its
    /// history (`events`) is restored instead, into an empty registry only.
    pub fn import(
        &self,
        who: &Principal,
        bundle: &Bundle,
        places: &dyn Fn(&str, usize) -> String,
    ) -> Result<usize, RegistryError> {
        authorize(Some(who), Action::Import, None)?;
        if !bundle.events.is_empty() {
            return self.restore_history(bundle);
        }
        self.write(|tx| {
            let wrap = |kind: &'static str, i: usize| {
                move |e: RegistryError| RegistryError::Import {
                    place: places(kind, i),
                    message: e.to_string(),
                }
            };
            for (i, e) in bundle.entities.iter().enumerate() {
                self.create_entity_in(tx, who, e.clone())
                    .map_err(wrap("entities", i))?;
            }
            for (i, p) in bundle.pledges.iter().enumerate() {
                self.create_pledge_in(tx, who, p.clone())
                    .map_err(wrap("pledges", i))?;
            }
            for (i, u) in bundle.updates.iter().enumerate() {
                let mut u = u.clone();
                let pledge = std::mem::take(&mut u.pledge);
                self.add_update_in(tx, who, &pledge, u)
                    .map_err(wrap("updates", i))?;
            }
            for (i, l) in bundle.links.iter().enumerate() {
                let mut l = l.clone();
                let pledge = std::mem::take(&mut l.pledge);
                self.link_in(tx, who, &pledge, l)
                    .map_err(wrap("links", i))?;
            }
            for (i, p) in bundle.positions.iter().enumerate() {
                self.create_position_in(tx, who, p.clone())
                    .map_err(wrap("positions", i))?;
            }
            // Last, as a withdrawn pledge takes no more updates or links.
            for (i, id) in bundle.withdrawn.iter().enumerate() {
                let before = must_exist(tx, Kind::Pledge, id).map_err(wrap("withdrawn", i))?;
                if !before.deleted {
                    next_version(
                        tx,
                        who,
                        Action::WithdrawPledge,
                        Kind::Pledge,
                        &before,
                        |r| r.deleted = true,
                    )
                    .map_err(wrap("withdrawn", i))?;
                }
            }
            for (i, id) in bundle.positions_withdrawn.iter().enumerate() {
                let before =
                    must_exist(tx, Kind::Position, id).map_err(wrap("positions_withdrawn", i))?;
                self.withdraw_position_in(tx, who, &before)
                    .map_err(wrap("positions_withdrawn", i))?;
            }
            Ok(bundle.entities.len()
                + bundle.pledges.len()
                + bundle.updates.len()
                + bundle.links.len()
                + bundle.positions.len())
        })
    }

    /// Rebuilds the registry a bundle's history describes, into an empty one: the rows its
    /// events leave and the events themselves, unchanged. The bundle's records must be what the
    /// history says they are, so an edit made to one but not the other is refused.
    fn restore_history(&self, bundle: &Bundle) -> Result<usize, RegistryError> {
        let rows = crate::restore::replay(&bundle.events)?;
        let replayed = records(&mut |kind| {
            Ok(rows
                .iter()
                .filter(|((k, _), _)| *k == kind)
                .map(|(_, r)| r.clone())
                .collect())
        })?;
        let mut given = bundle.clone();
        given.events.clear();
        given.entities.sort_by(|a, b| a.id.cmp(&b.id));
        given.pledges.sort_by(|a, b| a.id.cmp(&b.id));
        given.updates.sort_by(|a, b| a.id.cmp(&b.id));
        given.links.sort_by(|a, b| a.id.cmp(&b.id));
        given.withdrawn.sort();
        given.positions.sort_by(|a, b| a.id.cmp(&b.id));
        given.positions_withdrawn.sort();
        let differs = [
            ("entities", given.entities != replayed.entities),
            ("pledges", given.pledges != replayed.pledges),
            ("updates", given.updates != replayed.updates),
            ("links", given.links != replayed.links),
            ("withdrawn", given.withdrawn != replayed.withdrawn),
            ("positions", given.positions != replayed.positions),
            (
                "positions_withdrawn",
                given.positions_withdrawn != replayed.positions_withdrawn,
            ),
        ];
        if let Some((what, _)) = differs.iter().find(|(_, d)| *d) {
            return Err(RegistryError::Import {
                place: (*what).into(),
                message: format!("the {what} differ from what the bundle's events record"),
            });
        }
        self.write(|tx| {
            let (seq, _) = tx.head()?;
            let mut empty = seq == 0;
            for kind in Kind::ALL {
                empty = empty && tx.list(kind, None)?.is_empty();
            }
            if !empty {
                return Err(RegistryError::invalid(
                    "events",
                    "a bundle with its history is imported only into an empty registry; \
                     without `events`, its records are imported as new ones",
                ));
            }
            for ((kind, _), row) in &rows {
                tx.insert(*kind, row)?;
            }
            for e in &bundle.events {
                tx.append(e)?;
            }
            Ok(rows.iter().filter(|((k, _), _)| *k != Kind::Token).count())
        })
    }

    /// Every entity, pledge, update, link and position as they stand (withdrawn ones included), and
    /// the whole history: for the operator, as it holds the tokens' records.
    pub fn export(&self) -> Result<Bundle, RegistryError> {
        self.read(|tx| {
            let mut bundle = records(&mut |kind| tx.list(kind, None))?;
            loop {
                let after = bundle.events.last().map_or(0, |e| e.seq);
                let page = tx.events(after, 10_000)?;
                if page.is_empty() {
                    break;
                }
                bundle.events.extend(page);
            }
            Ok(bundle)
        })
    }

    /// The records of [`Registry::export`], without the history: what the public may see.
    pub fn public_export(&self) -> Result<Bundle, RegistryError> {
        self.read(|tx| records(&mut |kind| tx.list(kind, None)))
    }

    /// Writes a consistent backup of the whole registry to the new file `path`, while the
    /// registry goes on serving: a SQLite database (`VACUUM INTO`) on SQLite, the full export
    /// (records and history) as JSON on PostgreSQL. The backup is read back and verified.
    pub fn backup(&self, path: &Path) -> Result<Verification, RegistryError> {
        if path.exists() {
            return Err(RegistryError::Invalid(format!(
                "{}: exists already; a backup is written to a new file",
                path.display()
            )));
        }
        if !self.backend.snapshot_to(path)? {
            let bundle = self.export()?;
            let text = serde_json::to_string(&bundle)
                .map_err(|e| RegistryError::Database(e.to_string()))?;
            std::fs::write(path, text)
                .map_err(|e| RegistryError::Invalid(format!("{}: {e}", path.display())))?;
        }
        Backup::open(path)?.verify()
    }

    /// Restores a backup ([`Registry::backup`], of either backend) into this registry, which must
    /// be empty, and verifies the result.
    pub fn restore(&self, path: &Path) -> Result<Verification, RegistryError> {
        let bundle = Backup::open(path)?.bundle()?;
        if bundle.events.is_empty() {
            return Err(RegistryError::Invalid(format!(
                "{}: holds no history; `registry import` takes records without one",
                path.display()
            )));
        }
        self.import(&Principal::local(), &bundle, &|k, i| format!("{k}[{i}]"))?;
        let v = self.verify()?;
        match &v.first_bad {
            None => Ok(v),
            Some(b) => Err(RegistryError::Database(format!(
                "restored from {}, but the history does not verify at event {}: {}",
                path.display(),
                b.seq,
                b.reason
            ))),
        }
    }
}

/// A backup file: a SQLite database, or an export bundle.
enum Backup {
    Database(Registry),
    Bundle(Bundle),
}

impl Backup {
    fn open(path: &Path) -> Result<Backup, RegistryError> {
        let file = |e: std::io::Error| RegistryError::Invalid(format!("{}: {e}", path.display()));
        let mut head = [0u8; 16];
        let n = std::io::Read::read(&mut std::fs::File::open(path).map_err(file)?, &mut head)
            .map_err(file)?;
        if head[..n] == *b"SQLite format 3\0" {
            return Ok(Backup::Database(Registry {
                backend: Box::new(crate::sqlite::Sqlite::open_read_only(path)?),
                indicators: Vec::new(),
                snapshot: Default::default(),
            }));
        }
        let text = std::fs::read_to_string(path).map_err(file)?;
        Ok(Backup::Bundle(crate::transfer::bundle_from_json(
            &text,
            &path.display().to_string(),
        )?))
    }

    fn bundle(self) -> Result<Bundle, RegistryError> {
        match self {
            Backup::Database(r) => r.export(),
            Backup::Bundle(b) => Ok(b),
        }
    }

    /// A database backup verifies as a registry; a bundle, by replaying its history into the
    /// records it carries.
    fn verify(self) -> Result<Verification, RegistryError> {
        match self {
            Backup::Database(r) => r.verify(),
            Backup::Bundle(b) => {
                crate::restore::replay(&b.events)?;
                let (events, head) = b
                    .events
                    .last()
                    .map_or((0, crate::GENESIS.to_string()), |e| (e.seq, e.hash.clone()));
                Ok(Verification {
                    events,
                    head,
                    first_bad: None,
                })
            }
        }
    }
}

/// Every entity, read in `tx`.
pub(crate) fn entities_in(tx: &mut dyn Tx) -> Result<Vec<Versioned<Entity>>, RegistryError> {
    tx.list(Kind::Entity, None)?
        .iter()
        .map(|r| versioned(Kind::Entity, r))
        .collect()
}

/// Every pledge with its updates and links, read in `tx`.
pub(crate) fn pledge_records_in(tx: &mut dyn Tx) -> Result<Vec<PledgeRecord>, RegistryError> {
    let mut updates: std::collections::HashMap<String, Vec<Versioned<ProgressUpdate>>> =
        std::collections::HashMap::new();
    for r in tx.list(Kind::Update, None)? {
        updates
            .entry(r.parent.clone())
            .or_default()
            .push(versioned(Kind::Update, &r)?);
    }
    let mut links: std::collections::HashMap<String, Vec<Versioned<IndicatorLink>>> =
        std::collections::HashMap::new();
    for r in tx.list(Kind::Link, None)? {
        links
            .entry(r.parent.clone())
            .or_default()
            .push(versioned(Kind::Link, &r)?);
    }
    tx.list(Kind::Pledge, None)?
        .iter()
        .map(|r| {
            Ok(PledgeRecord {
                pledge: versioned(Kind::Pledge, r)?,
                updates: updates.remove(&r.id).unwrap_or_default(),
                links: links.remove(&r.id).unwrap_or_default(),
            })
        })
        .collect()
}
