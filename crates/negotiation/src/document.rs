//! The model of a negotiated text: a document with versions, a version as an ordered tree of parts with
//! stable ids, and what a reader noticed about it (findings) or recorded against it (corrections).
//! Readers build these values; the diff and the Akoma Ntoso writer only read them.

use serde::Serialize;

use crate::{DocumentId, PartId, VersionDate};

/// A compact's text through its negotiation: its id and the versions known of it, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// The document's id, such as `gcm`.
    pub id: DocumentId,
    /// The versions known of it.
    pub versions: Vec<Version>,
}

/// What identifies a version and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionMeta {
    /// The document it is a version of.
    pub document: DocumentId,
    /// Its label as negotiators use it: "zero draft", "revision 2", "adopted".
    pub label: String,
    /// The day it was circulated or adopted, when known.
    pub date: Option<VersionDate>,
    /// Where the text was taken from (a UN symbol, a file, a repository).
    pub source: Option<String>,
    /// The terms the text is used under.
    pub licence: Option<String>,
}

/// One version of a document: its parts in reading order, and corrections recorded against it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Version {
    /// Its identification.
    pub meta: VersionMeta,
    /// The top-level parts in reading order.
    pub parts: Vec<Part>,
    /// Known errors of this copy with the authoritative text beside them; the parts are left as read.
    pub corrections: Vec<Correction>,
}

/// A part of the text: an objective, an action, a numbered paragraph, a list item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// Its stable id.
    pub id: PartId,
    /// Its number or letter as printed (`8`, `b`, `37`).
    pub num: String,
    /// Its heading or title, when it has one.
    pub heading: Option<String>,
    /// Its own text (not its children's); empty when the part is only a heading.
    pub text: String,
    /// Its sub-parts in reading order.
    pub children: Vec<Part>,
}

impl Part {
    /// Collapses every run of white space in its heading and text, and its children's, to one
    /// space: the parts' words are what a version holds, and Akoma Ntoso keeps no more.
    pub(crate) fn collapse_space(&mut self) {
        let collapse = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(h) = &mut self.heading {
            *h = collapse(h);
        }
        self.text = collapse(&self.text);
        for c in &mut self.children {
            c.collapse_space();
        }
    }

    /// The part's heading and text as one string: what the diff compares.
    pub fn content(&self) -> String {
        match (&self.heading, self.text.is_empty()) {
            (Some(h), true) => h.clone(),
            (Some(h), false) => format!("{h}\n{}", self.text),
            (None, _) => self.text.clone(),
        }
    }
}

impl Version {
    /// Every part, depth first in reading order, with its parent's id.
    pub fn flatten(&self) -> Vec<(&Part, Option<&PartId>)> {
        fn walk<'a>(
            parts: &'a [Part],
            parent: Option<&'a PartId>,
            out: &mut Vec<(&'a Part, Option<&'a PartId>)>,
        ) {
            for p in parts {
                out.push((p, parent));
                walk(&p.children, Some(&p.id), out);
            }
        }
        let mut out = Vec::new();
        walk(&self.parts, None, &mut out);
        out
    }

    /// The part with this id, at any depth.
    pub fn find(&self, id: &PartId) -> Option<&Part> {
        self.flatten()
            .into_iter()
            .map(|(p, _)| p)
            .find(|p| &p.id == id)
    }

    /// How many parts of this kind (`objective`, `action`, `para`) the version holds at any depth.
    pub fn count_kind(&self, kind: &str) -> usize {
        self.flatten()
            .iter()
            .filter(|(p, _)| p.id.kind() == kind)
            .count()
    }
}

/// A defect a reader found in its input and reports rather than repairs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// A block that repeats an earlier one word for word (heading, text and every child).
    RepeatedBlock {
        /// The repeating part.
        part: PartId,
        /// The part it repeats.
        repeats: PartId,
        /// The line where the repeating block starts.
        line: usize,
    },
}

/// A known error of a copy, recorded beside it with the authoritative text and its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    /// The part concerned.
    pub part: PartId,
    /// What is wrong: `heading` or `text`.
    pub field: String,
    /// The text as this copy has it.
    pub found: String,
    /// The text as adopted.
    pub adopted: String,
    /// Where the adopted text comes from, such as `A/RES/73/195`.
    pub source: String,
}

/// A version as a reader returns it: the version and the findings about its input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Imported {
    /// The version read.
    pub version: Version,
    /// Defects of the input, kept visible.
    pub findings: Vec<Finding>,
}
