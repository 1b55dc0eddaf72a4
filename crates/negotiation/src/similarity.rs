//! How alike two texts are: the Dice coefficient of their word multisets, from 0 (no word in common) to
//! 1 (the same words). Word order is ignored so that a score can be computed for every pair of
//! unaligned parts cheaply; the word-level diff shows the order.

use std::collections::HashMap;

/// Words interned to numbers, so that many texts can be compared by merging sorted number lists.
#[derive(Default)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
}

/// A text's words as sorted interned numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordBag(Vec<u32>);

impl Vocabulary {
    /// The bag of `text`'s words, case folded and stripped of surrounding punctuation.
    pub fn bag(&mut self, text: &str) -> WordBag {
        let mut words: Vec<u32> = text
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .map(|w| {
                let next = self.ids.len() as u32;
                *self.ids.entry(w).or_insert(next)
            })
            .collect();
        words.sort_unstable();
        WordBag(words)
    }
}

impl WordBag {
    /// The Dice coefficient of the two bags: twice the shared words over all words. Two empty texts are
    /// the same (1).
    pub fn similarity(&self, other: &WordBag) -> f64 {
        let total = self.0.len() + other.0.len();
        if total == 0 {
            return 1.0;
        }
        let (mut i, mut j, mut shared) = (0, 0, 0usize);
        while i < self.0.len() && j < other.0.len() {
            match self.0[i].cmp(&other.0[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        2.0 * shared as f64 / total as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_symmetric_and_bounded() {
        let mut v = Vocabulary::default();
        let a = v.bag("Save lives, and establish efforts.");
        let b = v.bag("save LIVES and coordinate efforts");
        assert_eq!(a.similarity(&a), 1.0);
        assert_eq!(a.similarity(&b), b.similarity(&a));
        assert!((a.similarity(&b) - 0.8).abs() < 1e-9);
        assert_eq!(a.similarity(&v.bag("nothing alike here")), 0.0);
    }
}
