//! Rendered results of multi-page queries, kept so that paging through a large query renders it
//! once: clients page through with the same parameters, asking for one page after another.

use std::sync::{Arc, Mutex};

use passage_datasets::Dataset;
use passage_store::{IndexedTable, Release};

use super::page::{fragments, Fragments};

/// All items of one query, rendered as JSON: item `k` is `items[starts[k]..starts[k + 1]]`, and
/// every item but the first carries its leading comma.
#[derive(Debug, Default)]
pub struct Rendered {
    pub total: String,
    pub items: String,
    pub starts: Vec<usize>,
}

impl Rendered {
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Items `from..to` as a JSON array body (without brackets).
    pub fn slice(&self, from: usize, to: usize) -> &str {
        if from >= to {
            return "";
        }
        let skip_comma = usize::from(from > 0);
        &self.items[self.starts[from] + skip_comma..self.starts[to]]
    }

    fn bytes(&self) -> usize {
        self.items.len() + self.total.len() + self.starts.len() * 8
    }
}

/// A small least-recently-used cache of rendered queries, bounded in bytes, and the identity
/// fragments of each release's tables.
pub struct PageCache {
    entries: Mutex<Vec<(String, Arc<Rendered>)>>,
    budget: usize,
    fragments: Mutex<Vec<(String, Arc<Fragments>)>>,
}

impl PageCache {
    pub fn new(budget: usize) -> Self {
        PageCache {
            entries: Mutex::new(Vec::new()),
            budget,
            fragments: Mutex::new(Vec::new()),
        }
    }

    /// The identity fragments of one side of a table, built on first use for each release.
    pub fn fragments(
        &self,
        release: &Release,
        dataset: Dataset,
        t: &IndexedTable,
        side: &str,
    ) -> Arc<Fragments> {
        let key = format!("{}|{}|{side}", release.manifest.id, dataset.name());
        if let Ok(list) = self.fragments.lock() {
            if let Some((_, f)) = list.iter().find(|(k, _)| *k == key) {
                return f.clone();
            }
        }
        let built = Arc::new(fragments(release, t, side));
        if let Ok(mut list) = self.fragments.lock() {
            // Only the current release's fragments are worth keeping: drop others' on a new one.
            let prefix = format!("{}|", release.manifest.id);
            list.retain(|(k, _)| k.starts_with(&prefix));
            list.push((key, built.clone()));
        }
        built
    }

    /// Whether a rendered query of about `bytes` would be kept.
    pub fn would_keep(&self, bytes: usize) -> bool {
        bytes <= self.budget
    }

    pub fn get(&self, key: &str) -> Option<Arc<Rendered>> {
        let mut entries = self.entries.lock().ok()?;
        let i = entries.iter().position(|(k, _)| k == key)?;
        let entry = entries.remove(i);
        let value = entry.1.clone();
        entries.insert(0, entry);
        Some(value)
    }

    pub fn insert(&self, key: String, value: Arc<Rendered>) {
        if value.bytes() > self.budget {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        entries.retain(|(k, _)| *k != key);
        entries.insert(0, (key, value));
        let mut used = 0;
        entries.retain(|(_, v)| {
            used += v.bytes();
            used <= self.budget
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(items: &[&str]) -> Rendered {
        let mut r = Rendered::default();
        for (i, it) in items.iter().enumerate() {
            r.starts.push(r.items.len());
            if i > 0 {
                r.items.push(',');
            }
            r.items.push_str(it);
        }
        r.starts.push(r.items.len());
        r
    }

    #[test]
    fn slices_are_valid_array_bodies() {
        let r = rendered(&["{\"a\":1}", "{\"a\":2}", "{\"a\":3}"]);
        assert_eq!(r.len(), 3);
        assert_eq!(r.slice(0, 2), "{\"a\":1},{\"a\":2}");
        assert_eq!(r.slice(1, 3), "{\"a\":2},{\"a\":3}");
        assert_eq!(r.slice(2, 2), "");
    }

    #[test]
    fn evicts_least_recently_used_within_budget() {
        let one = Arc::new(rendered(&["x".repeat(40).as_str()]));
        let cache = PageCache::new(2 * one.bytes() + 1);
        cache.insert("a".into(), one.clone());
        cache.insert("b".into(), one.clone());
        assert!(cache.get("a").is_some());
        cache.insert("c".into(), one.clone());
        assert!(cache.get("b").is_none(), "b was least recently used");
        assert!(cache.get("a").is_some() && cache.get("c").is_some());
    }
}
