//! The diff between two versions of a document. Parts are aligned first where the id and the words both
//! hold, then by identical words under another id, then by similarity with a kept id counting in favour
//! (renumbered, moved or reworded parts); each part is classed unchanged, changed, moved, added or removed,
//! and counted overall and per section.

use std::collections::HashMap;

use serde::Serialize;

use crate::similarity::{Vocabulary, WordBag};
use crate::word_diff::{word_diff, WordEdit};
use crate::{Part, PartId, Version};

/// Below this similarity two parts are not taken for versions of each other.
pub const MATCH_THRESHOLD: f64 = 0.5;

/// What a kept id adds to a pair's similarity when candidate pairs are ranked.
const SAME_ID_BONUS: f64 = 0.2;

/// What happened to a part between the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeClass {
    /// Same words, same place (its number may have changed with its neighbours').
    Unchanged,
    /// Reworded in place.
    Changed,
    /// Under another parent, or out of order with its neighbours (its words may also have changed).
    Moved,
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
}

impl ChangeClass {
    /// The class's name as printed.
    pub fn name(self) -> &'static str {
        match self {
            ChangeClass::Unchanged => "unchanged",
            ChangeClass::Changed => "changed",
            ChangeClass::Moved => "moved",
            ChangeClass::Added => "added",
            ChangeClass::Removed => "removed",
        }
    }
}

/// One part's fate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartChange {
    /// Its class.
    pub class: ChangeClass,
    /// Its id in the old version (none when added).
    pub old_id: Option<PartId>,
    /// Its id in the new version (none when removed).
    pub new_id: Option<PartId>,
    /// The top-level part it is counted under: the new version's where it has one.
    pub section: PartId,
    /// How alike the two texts are, for parts present in both.
    pub similarity: Option<f64>,
    /// Whether the words differ (a moved part may also be reworded).
    pub text_changed: bool,
    /// The word-level diff, when the words differ.
    pub words: Vec<WordEdit>,
}

/// How many parts fell in each class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ClassCounts {
    /// Unchanged parts.
    pub unchanged: usize,
    /// Reworded parts.
    pub changed: usize,
    /// Moved parts.
    pub moved: usize,
    /// Added parts.
    pub added: usize,
    /// Removed parts.
    pub removed: usize,
}

impl ClassCounts {
    fn add(&mut self, class: ChangeClass) {
        match class {
            ChangeClass::Unchanged => self.unchanged += 1,
            ChangeClass::Changed => self.changed += 1,
            ChangeClass::Moved => self.moved += 1,
            ChangeClass::Added => self.added += 1,
            ChangeClass::Removed => self.removed += 1,
        }
    }

    /// Whether anything but unchanged parts was counted.
    pub fn has_changes(&self) -> bool {
        self.changed + self.moved + self.added + self.removed > 0
    }
}

/// The counts of one section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionCounts {
    /// The section's id, such as `objective/8`.
    pub section: PartId,
    /// Its counts.
    pub counts: ClassCounts,
}

/// The diff of two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionDiff {
    /// The old version's label.
    pub old_label: String,
    /// The new version's label.
    pub new_label: String,
    /// Counts over the whole text.
    pub summary: ClassCounts,
    /// Counts per section, in the order sections first appear.
    pub sections: Vec<SectionCounts>,
    /// Every part's fate, in the new version's reading order with removed parts where they stood.
    pub changes: Vec<PartChange>,
}

struct Flat<'a> {
    part: &'a Part,
    parent: Option<usize>,
    content: String,
    bag: WordBag,
}

fn flatten<'a>(version: &'a Version, vocabulary: &mut Vocabulary) -> Vec<Flat<'a>> {
    let pairs = version.flatten();
    let index: HashMap<&PartId, usize> = pairs
        .iter()
        .enumerate()
        .map(|(i, (p, _))| (&p.id, i))
        .collect();
    pairs
        .iter()
        .map(|(p, parent)| {
            let content = p.content();
            let bag = vocabulary.bag(&content);
            Flat {
                part: p,
                parent: parent.and_then(|id| index.get(id).copied()),
                content,
                bag,
            }
        })
        .collect()
}

/// Pairs the unmatched parts of `a` and `b` that `candidate` accepts, best score first; ties go to the
/// pair nearest in reading order, so that the result does not depend on which version is called old.
fn greedy(
    a: &[Flat],
    b: &[Flat],
    ma: &mut [Option<usize>],
    mb: &mut [Option<usize>],
    candidate: impl Fn(&Flat, &Flat) -> Option<f64>,
) {
    let mut pairs = Vec::new();
    for (i, x) in a.iter().enumerate().filter(|(i, _)| ma[*i].is_none()) {
        for (j, y) in b.iter().enumerate().filter(|(j, _)| mb[*j].is_none()) {
            if x.part.id.kind() == y.part.id.kind() {
                if let Some(score) = candidate(x, y) {
                    pairs.push((score, i, j));
                }
            }
        }
    }
    pairs.sort_by(|p, q| {
        q.0.total_cmp(&p.0)
            .then(p.1.abs_diff(p.2).cmp(&q.1.abs_diff(q.2)))
            .then((p.1 + p.2).cmp(&(q.1 + q.2)))
            .then(p.1.min(p.2).cmp(&q.1.min(q.2)))
            .then(p.1.cmp(&q.1))
    });
    for (_, i, j) in pairs {
        if ma[i].is_none() && mb[j].is_none() {
            ma[i] = Some(j);
            mb[j] = Some(i);
        }
    }
}

/// Indices (into `seq`) of one longest strictly increasing subsequence.
fn longest_increasing(seq: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; seq.len()];
    for (k, &v) in seq.iter().enumerate() {
        let pos = tails.partition_point(|&t| seq[t] < v);
        prev[k] = pos.checked_sub(1).map(|p| tails[p]);
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut out = Vec::new();
    let mut cur = tails.last().copied();
    while let Some(k) = cur {
        out.push(k);
        cur = prev[k];
    }
    out.reverse();
    out
}

/// Diffs `old` against `new`.
pub fn diff_versions(old: &Version, new: &Version) -> VersionDiff {
    let mut vocabulary = Vocabulary::default();
    let a = flatten(old, &mut vocabulary);
    let b = flatten(new, &mut vocabulary);
    let mut ma: Vec<Option<usize>> = vec![None; a.len()];
    let mut mb: Vec<Option<usize>> = vec![None; b.len()];
    let b_by_id: HashMap<&PartId, usize> =
        b.iter().enumerate().map(|(j, y)| (&y.part.id, j)).collect();
    let same_id = |ma: &mut [Option<usize>],
                   mb: &mut [Option<usize>],
                   accept: &dyn Fn(&Flat, &Flat) -> bool| {
        for (i, x) in a.iter().enumerate() {
            if let Some(&j) = b_by_id.get(&x.part.id) {
                if ma[i].is_none() && mb[j].is_none() && accept(x, &b[j]) {
                    ma[i] = Some(j);
                    mb[j] = Some(i);
                }
            }
        }
    };
    same_id(&mut ma, &mut mb, &|x, y| x.content == y.content);
    greedy(&a, &b, &mut ma, &mut mb, |x, y| {
        (x.content == y.content).then_some(1.0)
    });
    // An id that holds is evidence, not proof: a renumbered paragraph can take the number of another
    // one, so a kept id only weighs in the ranking instead of deciding the match.
    greedy(&a, &b, &mut ma, &mut mb, |x, y| {
        let s = x.bag.similarity(&y.bag);
        let bonus = if x.part.id == y.part.id {
            SAME_ID_BONUS
        } else {
            0.0
        };
        (s >= MATCH_THRESHOLD).then_some(s + bonus)
    });

    // A matched part has moved when its parent's counterpart is not its new parent, or when it is out
    // of order among the parts that stayed under the same parent.
    let mut moved = vec![false; a.len()];
    let mut groups: HashMap<Option<usize>, Vec<(usize, usize)>> = HashMap::new();
    for (i, x) in a.iter().enumerate() {
        let Some(j) = ma[i] else { continue };
        let parent_kept = match (x.parent, b[j].parent) {
            (None, None) => true,
            (Some(pa), Some(pb)) => ma[pa] == Some(pb),
            _ => false,
        };
        if parent_kept {
            groups.entry(b[j].parent).or_default().push((i, j));
        } else {
            moved[i] = true;
        }
    }
    for pairs in groups.values() {
        let order: Vec<usize> = pairs.iter().map(|&(_, j)| j).collect();
        let mut in_order = vec![false; pairs.len()];
        for k in longest_increasing(&order) {
            in_order[k] = true;
        }
        for (k, &(i, _)) in pairs.iter().enumerate() {
            if !in_order[k] {
                moved[i] = true;
            }
        }
    }

    let mut keyed: Vec<((usize, usize, usize), PartChange)> = Vec::new();
    for (j, y) in b.iter().enumerate() {
        let change = match mb[j] {
            Some(i) => {
                let x = &a[i];
                let text_changed = x.content != y.content;
                let class = if moved[i] {
                    ChangeClass::Moved
                } else if text_changed {
                    ChangeClass::Changed
                } else {
                    ChangeClass::Unchanged
                };
                PartChange {
                    class,
                    old_id: Some(x.part.id.clone()),
                    new_id: Some(y.part.id.clone()),
                    section: y.part.id.section(),
                    similarity: Some(x.bag.similarity(&y.bag)),
                    text_changed,
                    words: if text_changed {
                        word_diff(&x.content, &y.content)
                    } else {
                        Vec::new()
                    },
                }
            }
            None => PartChange {
                class: ChangeClass::Added,
                old_id: None,
                new_id: Some(y.part.id.clone()),
                section: y.part.id.section(),
                similarity: None,
                text_changed: true,
                words: Vec::new(),
            },
        };
        keyed.push(((j + 1, 0, 0), change));
    }
    for (i, x) in a.iter().enumerate().filter(|(i, _)| ma[*i].is_none()) {
        // Placed after the new position of the nearest earlier part that survived.
        let after = (0..i).rev().find_map(|k| ma[k]).map_or(0, |j| j + 1);
        keyed.push((
            (after, 1, i),
            PartChange {
                class: ChangeClass::Removed,
                old_id: Some(x.part.id.clone()),
                new_id: None,
                section: x.part.id.section(),
                similarity: None,
                text_changed: true,
                words: Vec::new(),
            },
        ));
    }
    keyed.sort_by_key(|(k, _)| *k);
    let changes: Vec<PartChange> = keyed.into_iter().map(|(_, c)| c).collect();

    let mut summary = ClassCounts::default();
    let mut sections: Vec<SectionCounts> = Vec::new();
    let mut section_index: HashMap<PartId, usize> = HashMap::new();
    for c in &changes {
        summary.add(c.class);
        let k = *section_index.entry(c.section.clone()).or_insert_with(|| {
            sections.push(SectionCounts {
                section: c.section.clone(),
                counts: ClassCounts::default(),
            });
            sections.len() - 1
        });
        sections[k].counts.add(c.class);
    }
    VersionDiff {
        old_label: old.meta.label.clone(),
        new_label: new.meta.label.clone(),
        summary,
        sections,
        changes,
    }
}
