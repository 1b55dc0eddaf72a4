//! The diff as plain text for a terminal: the summary, the counts per section that saw a change, then
//! every part that is not unchanged, reworded words marked `[-deleted-]` and `{+inserted+}`.

use std::fmt::Write as _;

use crate::{ChangeClass, ClassCounts, VersionDiff, WordEdit};

fn counts(c: &ClassCounts) -> String {
    format!(
        "{} unchanged, {} changed, {} moved, {} added, {} removed",
        c.unchanged, c.changed, c.moved, c.added, c.removed
    )
}

/// Renders `diff` as text.
pub fn render_diff_text(diff: &VersionDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} → {}: {}",
        diff.old_label,
        diff.new_label,
        counts(&diff.summary)
    );
    if !diff.summary.has_changes() {
        out.push_str("no change\n");
        return out;
    }
    out.push_str("\nby section:\n");
    for s in diff.sections.iter().filter(|s| s.counts.has_changes()) {
        let _ = writeln!(out, "  {:<16} {}", s.section.as_str(), counts(&s.counts));
    }
    out.push('\n');
    for c in diff
        .changes
        .iter()
        .filter(|c| c.class != ChangeClass::Unchanged)
    {
        let ids = match (&c.old_id, &c.new_id) {
            (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
            (Some(id), _) | (None, Some(id)) => id.to_string(),
            (None, None) => String::new(),
        };
        let score = c
            .similarity
            .map(|s| format!(" (similarity {s:.2})"))
            .unwrap_or_default();
        let _ = writeln!(out, "{:<9} {ids}{score}", c.class.name());
        if c.text_changed && !c.words.is_empty() {
            let words: Vec<String> = c
                .words
                .iter()
                .map(|w| match w {
                    WordEdit::Equal(s) => s.clone(),
                    WordEdit::Delete(s) => format!("[-{s}-]"),
                    WordEdit::Insert(s) => format!("{{+{s}+}}"),
                })
                .collect();
            let _ = writeln!(out, "          {}", words.join(" "));
        }
    }
    out
}
