//! Answers shared by the series of one batch. A country profile asks the same dataset with the same
//! filters and grouping for many indicators (its refugees enter eight of them), so each distinct
//! selection is computed once, with every measure the batch's plans read from it, and each term
//! reads the column of its own measure. The memo lives as long as the batch.

use std::sync::{Arc, Mutex, MutexGuard};

use passage_store::{Answer, Query, QueryError, Release};

/// One selection of the batch: the query without its measures, the measures planned on it, and
/// its answer once computed.
struct Entry<'r> {
    selection: Query,
    measures: Vec<String>,
    answer: Option<Arc<Answer<'r>>>,
}

/// The selections of one batch and the answers computed so far.
pub(crate) struct AnswerMemo<'r> {
    release: &'r Release,
    entries: Mutex<Vec<Entry<'r>>>,
}

fn selection_of(query: &Query) -> Query {
    let mut q = query.clone();
    q.measures.clear();
    q
}

impl<'r> AnswerMemo<'r> {
    /// A memo over `release` for the term queries a batch will run.
    pub(crate) fn planned<'q>(
        release: &'r Release,
        queries: impl IntoIterator<Item = &'q Query>,
    ) -> AnswerMemo<'r> {
        let mut entries: Vec<Entry<'r>> = Vec::new();
        for q in queries {
            let selection = selection_of(q);
            let at = match entries.iter().position(|e| e.selection == selection) {
                Some(at) => at,
                None => {
                    entries.push(Entry {
                        selection,
                        measures: Vec::new(),
                        answer: None,
                    });
                    entries.len() - 1
                }
            };
            for m in &q.measures {
                if !entries[at].measures.contains(m) {
                    entries[at].measures.push(m.clone());
                }
            }
        }
        AnswerMemo {
            release,
            entries: Mutex::new(entries),
        }
    }

    /// The answer to `query` and the column of its measure in it.
    pub(crate) fn answer(&self, query: &Query) -> Result<(Arc<Answer<'r>>, usize), QueryError> {
        let [measure] = query.measures.as_slice() else {
            return self.alone(query);
        };
        let selection = selection_of(query);
        let planned = self
            .lock()
            .iter()
            .find(|e| e.selection == selection && e.measures.contains(measure))
            .map(|e| (e.answer.clone(), e.measures.clone()));
        let Some((known, measures)) = planned else {
            return self.alone(query);
        };
        let answer = match known {
            Some(a) => a,
            None => {
                // Computed outside the lock: the other thread of a profile may compute the same
                // answer meanwhile, which costs time once but never a wrong figure.
                let mut merged = selection.clone();
                merged.measures = measures;
                let a = Arc::new(passage_store::run(self.release, &merged)?);
                if let Some(e) = self.lock().iter_mut().find(|e| e.selection == selection) {
                    e.answer = Some(a.clone());
                }
                a
            }
        };
        match answer.measures.iter().position(|m| m == measure) {
            Some(column) => Ok((answer, column)),
            None => self.alone(query),
        }
    }

    /// A query the plans did not foresee, answered on its own.
    fn alone(&self, query: &Query) -> Result<(Arc<Answer<'r>>, usize), QueryError> {
        Ok((Arc::new(passage_store::run(self.release, query)?), 0))
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Entry<'r>>> {
        // A poisoned memo only means a panic elsewhere; its answers are whole, so keep using them.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}
