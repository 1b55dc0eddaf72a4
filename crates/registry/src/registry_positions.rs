//! The registry's operations on positions: public reads with filters, and writes that go through
//! the same authorisation, version checks and hash-chained events as pledges. A position belongs
//! to the state or group that stated it; a withdrawn one is kept, marked, with its history.

use std::collections::HashMap;

use crate::access::{authorize, Action, Principal};
use crate::backend::{Kind, Stored, Tx};
use crate::model::{Entity, EntityKind};
use crate::registry::{
    check_version, create, from_doc, must_exist, next_version, to_doc, versioned,
};
use crate::{Position, PositionFilter, Registry, RegistryError, Versioned};

/// Checks that `id` is an entity that states positions: a state or a group of states.
fn stated_by(tx: &mut dyn Tx, id: &str) -> Result<(), RegistryError> {
    let row = tx
        .get(Kind::Entity, id)?
        .ok_or_else(|| RegistryError::invalid("entity", format!("no entity `{id}`")))?;
    let entity: Entity = from_doc(Kind::Entity, &row)?;
    match entity.kind {
        EntityKind::State | EntityKind::GroupOfStates => Ok(()),
        other => Err(RegistryError::invalid(
            "entity",
            format!(
                "`{id}` is {}; a position is stated by a state or a group of states",
                serde_json::to_value(other)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            ),
        )),
    }
}

impl Registry {
    /// Positions that meet `filter`, withdrawn ones included (marked), by id.
    pub fn positions(
        &self,
        filter: &PositionFilter,
    ) -> Result<Vec<Versioned<Position>>, RegistryError> {
        self.read(|tx| positions_in(tx, filter))
    }

    /// One position, or `NotFound`.
    pub fn position(&self, id: &str) -> Result<Versioned<Position>, RegistryError> {
        self.read(|tx| versioned(Kind::Position, &must_exist(tx, Kind::Position, id)?))
    }

    /// Records a position of a state or group; the registry gives its id (`ENTITY-pN`) unless
    /// it carries one of that form that is not taken (an import keeps its ids).
    pub fn create_position(
        &self,
        who: &Principal,
        position: Position,
    ) -> Result<Versioned<Position>, RegistryError> {
        // Refusals that need no database come before the write takes its lock.
        authorize(Some(who), Action::CreatePosition, Some(&position.entity))?;
        position.check()?;
        self.write(|tx| self.create_position_in(tx, who, position.clone()))
    }

    pub(crate) fn create_position_in(
        &self,
        tx: &mut dyn Tx,
        who: &Principal,
        mut position: Position,
    ) -> Result<Versioned<Position>, RegistryError> {
        authorize(Some(who), Action::CreatePosition, Some(&position.entity))?;
        position.check()?;
        stated_by(tx, &position.entity)?;
        let entity = position.entity.clone();
        if position.id.is_empty() {
            // One more than the highest number given, so ids are never reused, also when an
            // import brought ids with gaps.
            let mut highest = 0;
            for row in tx.list(Kind::Position, Some(&entity))? {
                let p: Position = from_doc(Kind::Position, &row)?;
                highest = highest.max(p.number().unwrap_or(0));
            }
            if highest >= 999_999_999 {
                return Err(RegistryError::invalid(
                    "id",
                    format!("`{entity}` has used every position number up to {highest}"),
                ));
            }
            position.id = Position::id_for(&entity, highest + 1);
        }
        let id = position.id.clone();
        create(
            tx,
            who,
            Action::CreatePosition,
            Kind::Position,
            &id,
            &entity,
            &entity,
            position,
        )
    }

    /// Replaces a position, if `expected` is its current version. It stays with the entity that
    /// stated it, and a withdrawn position cannot change.
    pub fn update_position(
        &self,
        who: &Principal,
        position: Position,
        expected: Option<i64>,
    ) -> Result<Versioned<Position>, RegistryError> {
        self.write(|tx| {
            let before = must_exist(tx, Kind::Position, &position.id)?;
            authorize(Some(who), Action::UpdatePosition, Some(&before.owner))?;
            check_version(Kind::Position, &before, expected)?;
            if before.deleted {
                return Err(RegistryError::invalid(
                    "id",
                    format!("position `{}` was withdrawn", position.id),
                ));
            }
            if position.entity != before.owner {
                return Err(RegistryError::invalid(
                    "entity",
                    format!(
                        "position `{}` was stated by `{}` and stays theirs; record a new position for `{}`",
                        position.id, before.owner, position.entity
                    ),
                ));
            }
            position.check()?;
            stated_by(tx, &position.entity)?;
            let row = next_version(
                tx,
                who,
                Action::UpdatePosition,
                Kind::Position,
                &before,
                |r| r.doc = to_doc(&position),
            )?;
            Ok(Versioned {
                version: row.version,
                withdrawn: false,
                item: position.clone(),
            })
        })
    }

    /// Withdraws a position: it stays, marked withdrawn, with its history.
    pub fn withdraw_position(
        &self,
        who: &Principal,
        id: &str,
        expected: Option<i64>,
    ) -> Result<Versioned<Position>, RegistryError> {
        self.write(|tx| {
            let before = must_exist(tx, Kind::Position, id)?;
            authorize(Some(who), Action::WithdrawPosition, Some(&before.owner))?;
            check_version(Kind::Position, &before, expected)?;
            self.withdraw_position_in(tx, who, &before)
        })
    }

    /// Withdraws the position stored as `before`, whose version the caller has checked.
    pub(crate) fn withdraw_position_in(
        &self,
        tx: &mut dyn Tx,
        who: &Principal,
        before: &Stored,
    ) -> Result<Versioned<Position>, RegistryError> {
        authorize(Some(who), Action::WithdrawPosition, Some(&before.owner))?;
        if before.deleted {
            return Err(RegistryError::invalid(
                "id",
                format!("position `{}` is withdrawn already", before.id),
            ));
        }
        let row = next_version(
            tx,
            who,
            Action::WithdrawPosition,
            Kind::Position,
            before,
            |r| r.deleted = true,
        )?;
        versioned(Kind::Position, &row)
    }
}

/// Positions that meet `filter`, read in `tx`.
pub(crate) fn positions_in(
    tx: &mut dyn Tx,
    filter: &PositionFilter,
) -> Result<Vec<Versioned<Position>>, RegistryError> {
    let mut countries: HashMap<String, Option<String>> = HashMap::new();
    if filter.needs_countries() {
        for row in tx.list(Kind::Entity, None)? {
            let e: Entity = from_doc(Kind::Entity, &row)?;
            countries.insert(e.id, e.country);
        }
    }
    let mut out = Vec::new();
    for row in tx.list(Kind::Position, None)? {
        let p: Versioned<Position> = versioned(Kind::Position, &row)?;
        let country = countries.get(&p.item.entity).cloned().flatten();
        if filter.matches(&p.item, country.as_deref()) {
            out.push(p);
        }
    }
    Ok(out)
}
