//! Data-quality findings: real defects in otherwise valid data, kept in the data, flagged on their rows
//! and counted here for the release manifest. Nothing flagged is dropped or "fixed".

use serde::{Deserialize, Serialize};

/// How many example lines a finding keeps.
const EXAMPLES: usize = 5;

/// One kind of defect in one source, with its count and the first lines where it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// A stable identifier of the kind of defect, such as `unknown_iso_spelling`.
    pub code: String,
    /// What the defect is and how the import treated it.
    pub message: String,
    /// How many times it occurs.
    pub count: u64,
    /// The first lines where it occurs, at most five.
    pub example_lines: Vec<u64>,
}

/// The findings of one source, in order of first occurrence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    /// Notes one occurrence of a defect at `line`: a new finding, or one more of a known code.
    pub fn record(&mut self, code: &str, message: &str, line: u64) {
        match self.0.iter_mut().find(|f| f.code == code) {
            Some(f) => {
                f.count += 1;
                if f.example_lines.len() < EXAMPLES {
                    f.example_lines.push(line);
                }
            }
            None => self.0.push(Finding {
                code: code.to_string(),
                message: message.to_string(),
                count: 1,
                example_lines: vec![line],
            }),
        }
    }

    /// How many times the defect `code` occurred; 0 if never.
    pub fn count(&self, code: &str) -> u64 {
        self.0
            .iter()
            .find(|f| f.code == code)
            .map_or(0, |f| f.count)
    }

    /// The findings, in order of first occurrence.
    pub fn iter(&self) -> impl Iterator<Item = &Finding> {
        self.0.iter()
    }

    /// True when the source had no defect.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
