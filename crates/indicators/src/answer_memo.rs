//! Answers shared by the series of one batch. A country profile asks the same dataset with the same
//! filters and grouping for many indicators (its refugees enter eight of them), so each distinct
//! selection is computed once, with every measure the batch's plans read from it, and each term
//! reads the column of its own measure. The memo lives as long as the batch.

use std::sync::{Arc, Mutex, MutexGuard};

use passage_store::{Answer, Query, QueryError, Release};

use crate::two_threads::on_two_threads;

/// One selection of the batch: the query without its measures, the measures planned on it, and
/// its answer once computed.
struct Entry<'r> {
    selection: Query,
    measures: Vec<String>,
    /// Locked while the answer is computed: a second thread asking for it waits for it rather
    /// than computing it too (consecutive series of a profile share their selections).
    answer: Mutex<Option<Arc<Answer<'r>>>>,
}

impl<'r> Entry<'r> {
    /// The selection's answer with every planned measure, computed the first time it is asked.
    fn answer(&self, release: &'r Release) -> Result<Arc<Answer<'r>>, QueryError> {
        let mut known = lock(&self.answer);
        if let Some(a) = &*known {
            return Ok(a.clone());
        }
        let mut merged = self.selection.clone();
        merged.measures = self.measures.clone();
        let a = Arc::new(passage_store::run(release, &merged)?);
        *known = Some(a.clone());
        Ok(a)
    }
}

/// The selections of one batch and the answers computed so far.
pub(crate) struct AnswerMemo<'r> {
    release: &'r Release,
    entries: Vec<Entry<'r>>,
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
                        answer: Mutex::new(None),
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
        AnswerMemo { release, entries }
    }

    /// Computes every planned answer, on two threads, before the plans read them: computed as
    /// the plans first asked, the other thread often waited for an answer its neighbour was
    /// computing. A selection that fails is left to fail where its plan asks for it.
    pub(crate) fn fill(&self) {
        on_two_threads(self.entries.iter().collect(), |e| {
            let _ = e.answer(self.release);
        });
    }

    /// The answer to `query` and the column of its measure in it.
    pub(crate) fn answer(&self, query: &Query) -> Result<(Arc<Answer<'r>>, usize), QueryError> {
        let [measure] = query.measures.as_slice() else {
            return self.alone(query);
        };
        let selection = selection_of(query);
        let Some(entry) = self
            .entries
            .iter()
            .find(|e| e.selection == selection && e.measures.contains(measure))
        else {
            return self.alone(query);
        };
        let answer = entry.answer(self.release)?;
        match answer.measures.iter().position(|m| m == measure) {
            Some(column) => Ok((answer, column)),
            None => self.alone(query),
        }
    }

    /// A query the plans did not foresee, answered on its own.
    fn alone(&self, query: &Query) -> Result<(Arc<Answer<'r>>, usize), QueryError> {
        Ok((Arc::new(passage_store::run(self.release, query)?), 0))
    }
}

fn lock<'a, T>(m: &'a Mutex<T>) -> MutexGuard<'a, T> {
    // A poisoned entry only means a panic elsewhere; an answer in it is whole, so keep using it.
    m.lock().unwrap_or_else(|e| e.into_inner())
}
