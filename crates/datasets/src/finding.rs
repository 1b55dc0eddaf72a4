//! Data-quality findings: real defects in otherwise valid data, kept in the data, flagged on their rows
//! and counted here for the release manifest. Nothing flagged is dropped or "fixed".

use serde::{Deserialize, Serialize};

/// How many example lines a finding keeps.
const EXAMPLES: usize = 5;

/// One kind of defect in one source, with its count and the first lines where it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub code: String,
    pub message: String,
    pub count: u64,
    pub example_lines: Vec<u64>,
}

/// The findings of one source, in order of first occurrence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
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

    pub fn count(&self, code: &str) -> u64 {
        self.0
            .iter()
            .find(|f| f.code == code)
            .map_or(0, |f| f.count)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Finding> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
