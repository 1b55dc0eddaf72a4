//! The parts a reader has met so far, by id, with the line each was first met on: a second part
//! under the same id is refused, naming both lines, rather than merged.

use std::collections::HashMap;
use std::path::Path;

use crate::{NegotiationError, PartId};

/// The ids met so far in one file, with their first line.
#[derive(Debug, Default)]
pub(crate) struct SeenIds(HashMap<PartId, usize>);

impl SeenIds {
    /// Records `id` met on `line` of `file`, or the error naming its first line.
    pub(crate) fn record(
        &mut self,
        file: &Path,
        id: &PartId,
        line: usize,
    ) -> Result<(), NegotiationError> {
        if let Some(&first) = self.0.get(id) {
            return Err(NegotiationError::DuplicateId {
                file: file.to_path_buf(),
                line,
                first_line: first,
                id: id.to_string(),
            });
        }
        self.0.insert(id.clone(), line);
        Ok(())
    }
}
