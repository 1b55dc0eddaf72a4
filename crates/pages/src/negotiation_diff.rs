//! The diff of two versions of a compact's text as HTML: the counts overall and per section, then
//! every part that is not unchanged, reworded words marked with `<del>` and `<ins>`, added and
//! removed parts whole. The same markup is the web page's body and the CLI's `--format html`.

use maud::{html, Markup, DOCTYPE};
use passage_negotiation::{ChangeClass, ClassCounts, PartChange, Version, VersionDiff, WordEdit};

fn counts_cells(c: &ClassCounts) -> Markup {
    html! {
        td.num { (c.unchanged) } td.num { (c.changed) } td.num { (c.moved) }
        td.num { (c.added) } td.num { (c.removed) }
    }
}

fn ids(c: &PartChange) -> String {
    match (&c.old_id, &c.new_id) {
        (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
        (Some(id), _) | (None, Some(id)) => id.to_string(),
        (None, None) => String::new(),
    }
}

fn words(edits: &[WordEdit]) -> Markup {
    html! {
        @for (i, w) in edits.iter().enumerate() {
            @if i > 0 { " " }
            @match w {
                WordEdit::Equal(s) => { (s) }
                WordEdit::Delete(s) => { del { (s) } }
                WordEdit::Insert(s) => { ins { (s) } }
            }
        }
    }
}

fn content(version: &Version, id: Option<&passage_negotiation::PartId>) -> String {
    id.and_then(|id| version.find(id))
        .map(|p| p.content())
        .unwrap_or_default()
}

/// The counts overall and for each section with a change.
fn summary_markup(diff: &VersionDiff) -> Markup {
    html! {
        table.data {
            caption { "Parts of " (diff.old_label) " → " (diff.new_label) ", by what happened to them" }
            thead { tr { th scope="col" { "" } th scope="col" { "unchanged" } th scope="col" { "changed" }
                th scope="col" { "moved" } th scope="col" { "added" } th scope="col" { "removed" } } }
            tbody {
                tr { th scope="row" { "whole text" } (counts_cells(&diff.summary)) }
                @for s in diff.sections.iter().filter(|s| s.counts.has_changes()) {
                    tr { th scope="row" { (s.section.as_str()) } (counts_cells(&s.counts)) }
                }
            }
        }
    }
}

/// Each part that is not unchanged, reworded words marked.
pub fn changes_markup(diff: &VersionDiff, old: &Version, new: &Version) -> Markup {
    let changed: Vec<&PartChange> = diff
        .changes
        .iter()
        .filter(|c| c.class != ChangeClass::Unchanged)
        .collect();
    html! {
        @if changed.is_empty() {
            p { strong { "No change:" } " every part has the same words in the same place." }
        } @else {
            ol.diff {
                @for c in &changed {
                    li class=(format!("diff-{}", c.class.name())) id=(format!("change-{}", ids(c).replace(['/', ' ', '→'], "-"))) {
                        p { strong { (c.class.name()) } " " code { (ids(c)) }
                            @if let Some(s) = c.similarity { " (similarity " (format!("{s:.2}")) ")" } }
                        @match c.class {
                            ChangeClass::Added => { p { ins { (content(new, c.new_id.as_ref())) } } }
                            ChangeClass::Removed => { p { del { (content(old, c.old_id.as_ref())) } } }
                            _ => @if c.text_changed && !c.words.is_empty() { p { (words(&c.words)) } }
                        }
                    }
                }
            }
        }
    }
}

/// The diff as a page of its own, for `passage negotiation diff --format html`.
pub fn diff_document(diff: &VersionDiff, old: &Version, new: &Version) -> String {
    let title = format!(
        "{}: {} → {}",
        new.meta.document, diff.old_label, diff.new_label
    );
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { (title) }
                style { "body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45}"
                    "del{background:#fbe3e3}ins{background:#dff3e4;text-decoration:none}"
                    "td.num{text-align:right;padding:0 .6em}th{text-align:left;padding-right:.6em}" }
            }
            body { main { h1 { (title) } (summary_markup(diff)) (changes_markup(diff, old, new)) } }
        }
    }
    .into_string()
}
