//! Which positions a list shows: those of one entity, of the states of one country, on one
//! document, or on one part and the parts below it (`objective/8` takes in
//! `objective/8/action/b`). Each criterion is parsed as it is set, with an error naming it.

use passage_negotiation::{DocumentId, PartId};

use crate::{Position, RegistryError};

/// Criteria a position must all meet to be listed; none set lists every position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PositionFilter {
    entity: Option<String>,
    country: Option<String>,
    document: Option<DocumentId>,
    part: Option<PartId>,
}

/// Whether `part` is `ancestor` or lies below it.
fn within(part: &PartId, ancestor: &PartId) -> bool {
    part.as_str()
        .strip_prefix(ancestor.as_str())
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

impl PositionFilter {
    /// Only the positions of the entity with this id.
    pub fn entity(mut self, id: &str) -> Result<Self, RegistryError> {
        crate::model::slug("entity", id, &[])?;
        self.entity = Some(id.to_string());
        Ok(self)
    }

    /// Only the positions of states with this ISO3 code (any case).
    pub fn country(mut self, iso3: &str) -> Result<Self, RegistryError> {
        self.country = Some(crate::model::iso3("country", iso3)?);
        Ok(self)
    }

    /// Only the positions on this document, such as `gcm`.
    pub fn document(mut self, id: &str) -> Result<Self, RegistryError> {
        let id = DocumentId::parse(id).map_err(|e| RegistryError::invalid("document", e))?;
        self.document = Some(id);
        Ok(self)
    }

    /// Only the positions on this part or a part below it.
    pub fn part(mut self, id: &str) -> Result<Self, RegistryError> {
        let id = PartId::parse(id).map_err(|e| RegistryError::invalid("part", e))?;
        self.part = Some(id);
        Ok(self)
    }

    /// Whether the filter asks for a country, which needs the entities' countries.
    pub(crate) fn needs_countries(&self) -> bool {
        self.country.is_some()
    }

    /// Whether `position`, stated by an entity of country `country`, is listed.
    pub(crate) fn matches(&self, position: &Position, country: Option<&str>) -> bool {
        self.entity.as_ref().is_none_or(|e| *e == position.entity)
            && self.country.as_deref().is_none_or(|c| Some(c) == country)
            && self
                .document
                .as_ref()
                .is_none_or(|d| *d == position.document)
            && self.part.as_ref().is_none_or(|p| within(&position.part, p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_takes_in_the_parts_below_it_and_no_other() {
        let id = |s: &str| PartId::parse(s).unwrap();
        assert!(within(&id("objective/8/action/b"), &id("objective/8")));
        assert!(within(&id("objective/8"), &id("objective/8")));
        assert!(!within(&id("objective/80"), &id("objective/8")));
        assert!(!within(&id("objective/8"), &id("objective/8/action/b")));
        assert!(!within(&id("para/8"), &id("objective/8")));
    }

    #[test]
    fn a_criterion_that_does_not_parse_is_refused_by_name() {
        let f = PositionFilter::default();
        for (err, field) in [
            (f.clone().part("objective/").unwrap_err(), "part"),
            (f.clone().document("GCM!").unwrap_err(), "document"),
            (f.clone().country("GFR").unwrap_err(), "country"),
            (f.clone().entity("Not An Id").unwrap_err(), "entity"),
        ] {
            assert!(
                err.to_string().starts_with(&format!("`{field}`: ")),
                "{err}"
            );
        }
        let f = f.country("can").unwrap();
        assert_eq!(f.country.as_deref(), Some("CAN"));
    }
}
