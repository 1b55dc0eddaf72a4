//! Work too heavy for the async threads (queries over whole tables, rendering large answers,
//! diffs): it runs on the blocking pool, at most a few at a time, so that a client looping on
//! heavy requests waits its turn instead of stalling `/healthz` and every light answer, and the
//! memory of answers in flight stays bounded.

use std::sync::Arc;

use tokio::sync::Semaphore;

/// Heavy tasks that may run at once, whatever the number of clients: one per core leaves the
/// async threads free, and bounds the memory of answers being built.
fn default_permits() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().max(1))
}

/// A bounded pool for heavy work.
#[derive(Clone)]
pub struct HeavyWork {
    permits: Arc<Semaphore>,
}

/// Why heavy work did not complete: the pool closed, or the task panicked (logged).
#[derive(Debug)]
pub struct HeavyWorkFailed;

impl Default for HeavyWork {
    fn default() -> Self {
        HeavyWork::new(default_permits())
    }
}

impl HeavyWork {
    pub fn new(permits: usize) -> HeavyWork {
        HeavyWork {
            permits: Arc::new(Semaphore::new(permits.max(1))),
        }
    }

    /// Runs `work` on the blocking pool once a permit is free.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HeavyWorkFailed> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| HeavyWorkFailed)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "heavy task failed");
            HeavyWorkFailed
        })
    }
}
