//! Rendered results of multi-page queries, kept so that paging through a large query renders it
//! once: clients page through with the same parameters, asking for one page after another.

use std::sync::{Arc, Mutex};

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

/// A small least-recently-used cache of rendered queries, bounded in bytes.
pub struct PageCache {
    entries: Mutex<Vec<(String, Arc<Rendered>)>>,
    budget: usize,
}

impl PageCache {
    pub fn new(budget: usize) -> Self {
        PageCache {
            entries: Mutex::new(Vec::new()),
            budget,
        }
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
