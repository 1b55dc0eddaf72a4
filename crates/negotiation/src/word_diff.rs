//! The word-level diff of two texts: the longest common subsequence of their words, reported as runs of
//! kept, deleted and inserted words, so that a reader sees exactly what was reworded.

use serde::Serialize;

/// A run of words the two texts share, or that only one has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "snake_case")]
pub enum WordEdit {
    /// Words in both texts.
    Equal(String),
    /// Words only in the old text.
    Delete(String),
    /// Words only in the new text.
    Insert(String),
}

fn push(edits: &mut Vec<WordEdit>, make: fn(String) -> WordEdit, word: &str) {
    let same_kind = matches!(
        (edits.last(), make(String::new())),
        (Some(WordEdit::Equal(_)), WordEdit::Equal(_))
            | (Some(WordEdit::Delete(_)), WordEdit::Delete(_))
            | (Some(WordEdit::Insert(_)), WordEdit::Insert(_))
    );
    match edits.last_mut() {
        Some(WordEdit::Equal(s) | WordEdit::Delete(s) | WordEdit::Insert(s)) if same_kind => {
            s.push(' ');
            s.push_str(word);
        }
        _ => edits.push(make(word.to_string())),
    }
}

/// The runs that turn `old` into `new`, words compared exactly (case and punctuation count).
pub fn word_diff(old: &str, new: &str) -> Vec<WordEdit> {
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    // Common prefix and suffix first: most rewordings touch a few words, and this keeps the table small.
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let (n, m) = (ma.len(), mb.len());
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * (m + 1) + j] = if ma[i] == mb[j] {
                lcs[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
            };
        }
    }
    let mut edits = Vec::new();
    for w in &a[..prefix] {
        push(&mut edits, WordEdit::Equal, w);
    }
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && ma[i] == mb[j] {
            push(&mut edits, WordEdit::Equal, ma[i]);
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
            push(&mut edits, WordEdit::Delete, ma[i]);
            i += 1;
        } else {
            push(&mut edits, WordEdit::Insert, mb[j]);
            j += 1;
        }
    }
    for w in &a[a.len() - suffix..] {
        push(&mut edits, WordEdit::Equal, w);
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_a_rewording() {
        let d = word_diff(
            "save lives and establish efforts",
            "save lives and coordinate efforts",
        );
        assert_eq!(
            d,
            vec![
                WordEdit::Equal("save lives and".into()),
                WordEdit::Delete("establish".into()),
                WordEdit::Insert("coordinate".into()),
                WordEdit::Equal("efforts".into()),
            ]
        );
        assert_eq!(word_diff("a b", "a b"), vec![WordEdit::Equal("a b".into())]);
        assert!(word_diff("", "").is_empty());
    }
}
