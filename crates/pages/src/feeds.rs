//! Atom feeds a newsroom can subscribe to: new releases, claims whose verdict changed, and pledge
//! updates from the registry's public history. Links are relative to this site.

use passage_charts::escape;

use crate::verdicts::flips;
use crate::{PageError, Site};

struct Entry {
    id: String,
    title: String,
    updated: String,
    link: String,
    summary: String,
}

fn atom(id: &str, title: &str, link: &str, mut entries: Vec<Entry>) -> String {
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    let updated = entries
        .first()
        .map_or("1970-01-01T00:00:00Z".to_string(), |e| e.updated.clone());
    // Written by hand: an HTML template would leave `<link>` unclosed, which is not XML.
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<id>{}</id><title>{}</title><updated>{}</updated><link rel=\"alternate\" href=\"{}\"/><author><name>Passage</name></author>\n",
        escape(id),
        escape(title),
        escape(&updated),
        escape(link)
    );
    for e in &entries {
        xml.push_str(&format!(
            "<entry><id>{}</id><title>{}</title><updated>{}</updated><link rel=\"alternate\" href=\"{}\"/><summary>{}</summary></entry>\n",
            escape(&e.id),
            escape(&e.title),
            escape(&e.updated),
            escape(&e.link),
            escape(&e.summary)
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

/// The feed named `name`: `releases`, `verdicts` or `pledges`.
pub fn feed(site: &dyn Site, name: &str) -> Result<String, PageError> {
    match name {
        "releases" => {
            let entries = site
                .releases()?
                .into_iter()
                .map(|m| Entry {
                    id: format!("urn:passage:release:{}", m.id),
                    title: format!("Release {}", m.id),
                    updated: m.created_at.clone(),
                    link: format!("/releases/{}", m.id),
                    summary: format!(
                        "{} source files, {} rows, {} findings.",
                        m.sources.len(),
                        m.tables.iter().map(|t| t.rows).sum::<u64>(),
                        m.finding_count()
                    ),
                })
                .collect();
            Ok(atom(
                "urn:passage:feed:releases",
                "Passage: new releases",
                "/releases",
                entries,
            ))
        }
        "verdicts" => {
            let history = site.verdict_history()?;
            let mut releases: Vec<String> = Vec::new();
            for r in &history {
                if !releases.contains(&r.evaluation.release) {
                    releases.push(r.evaluation.release.clone());
                }
            }
            let mut entries = Vec::new();
            for rel in &releases {
                let at = history
                    .iter()
                    .filter(|r| &r.evaluation.release == rel)
                    .map(|r| r.evaluated_at.clone())
                    .max()
                    .unwrap_or_default();
                for f in flips(&history, rel) {
                    entries.push(Entry {
                        id: format!("urn:passage:verdict:{}:{}", f.claim, rel),
                        title: format!("{}: {} → {}", f.claim, f.before.1.name(), f.after.1.name()),
                        updated: at.clone(),
                        link: format!("/claims/{}", f.claim),
                        summary: format!(
                            "On release {rel} the claim's verdict changed from {} to {}.",
                            f.before.1.name(),
                            f.after.1.name()
                        ),
                    });
                }
            }
            Ok(atom(
                "urn:passage:feed:verdicts",
                "Passage: verdict changes",
                "/claims",
                entries,
            ))
        }
        "pledges" => {
            let snapshot = site.registry().snapshot()?;
            let entries = snapshot
                .history(site.registry())?
                .iter()
                .filter(|e| matches!(e.kind.as_str(), "pledges" | "updates" | "links"))
                .map(|e| Entry {
                    id: format!("urn:passage:event:{}", e.seq),
                    title: format!("{} {} {}", e.kind, e.action, e.object_id),
                    updated: e.at.clone(),
                    link: if e.kind == "pledges" {
                        format!("/pledges/{}", e.object_id)
                    } else {
                        "/pledges".into()
                    },
                    summary: format!("{} by {}", e.action, e.actor),
                })
                .collect();
            Ok(atom(
                "urn:passage:feed:pledges",
                "Passage: pledge updates",
                "/pledges",
                entries,
            ))
        }
        _ => Err(PageError::NotFound(format!(
            "no feed `{name}`: releases, verdicts or pledges"
        ))),
    }
}
