//! Work shared by two threads, the caller's and one of a pool that stays (rayon's), each taking
//! the next item when it is free: a country's series differ tenfold in cost, and halves fixed in
//! advance left one thread idle while the other finished. A thread started for each batch came
//! too late to help: its start, stack and heap cost 0.1–0.3 ms, a profile's batch about 1 ms.
//! Results come back in the items' order.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// `f` of each item, computed here and on a pool thread, in the order of `items`. A panic in `f`
/// on the pool thread is resumed on the caller's, as if it had happened there.
pub fn on_two_threads<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    if items.len() < 2 {
        return items.into_iter().map(f).collect();
    }
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let at = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = slots.get(at) else {
                return done;
            };
            let item = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
            if let Some(item) = item {
                done.push((at, f(item)));
            }
        }
    };
    let (mut done, theirs) = beside(work, work);
    done.extend(theirs);
    done.sort_unstable_by_key(|(at, _)| *at);
    done.into_iter().map(|(_, r)| r).collect()
}

/// `here()` on the caller's thread while `there()` runs on a pool thread; both results. When the
/// pool thread has not started `there` by the time `here` is done (it sleeps when idle, and
/// waking it took longer than a map here), the caller runs `there` too rather than wait for it.
/// A panic in `there` is resumed on the caller's thread once `here` is done.
pub fn beside<A, B: Send>(here: impl FnOnce() -> A, there: impl FnOnce() -> B + Send) -> (A, B) {
    let job = Mutex::new(Some(there));
    let take = || job.lock().unwrap_or_else(PoisonError::into_inner).take();
    let theirs = Mutex::new(None);
    let mut mine = None;
    let mut late = None;
    rayon::in_place_scope(|scope| {
        scope.spawn(|_| {
            if let Some(there) = take() {
                let b = there();
                *theirs.lock().unwrap_or_else(PoisonError::into_inner) = Some(b);
            }
        });
        mine = Some(here());
        late = take().map(|there| there());
    });
    let theirs = late.or_else(|| theirs.into_inner().unwrap_or_else(PoisonError::into_inner));
    match (mine, theirs) {
        (Some(a), Some(b)) => (a, b),
        // The scope returns only once both have run, or resumes the panic that stopped one.
        _ => unreachable!("both sides of a finished scope have run"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Held by each test: one of them keeps the shared pool busy, which would starve the others.
    static POOL: Mutex<()> = Mutex::new(());

    fn alone() -> std::sync::MutexGuard<'static, ()> {
        POOL.lock().unwrap_or_else(PoisonError::into_inner)
    }

    #[test]
    fn every_item_once_in_order_whatever_its_cost() {
        let _pool = alone();
        let items: Vec<u64> = (0..200).collect();
        let out = on_two_threads(items, |i| {
            // Uneven costs, so that the threads take items in an order of their own.
            if i % 7 == 0 {
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
            (i, std::thread::current().id())
        });
        assert_eq!(
            out.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
            (0..200).collect::<Vec<_>>()
        );
        let threads: std::collections::HashSet<_> = out.iter().map(|(_, t)| *t).collect();
        assert_eq!(threads.len(), 2, "both threads took items");
    }

    #[test]
    fn none_or_one_item_is_computed_here() {
        let _pool = alone();
        assert!(on_two_threads(Vec::<u8>::new(), |i| i).is_empty());
        assert_eq!(on_two_threads(vec![3], |i| i * 2), vec![6]);
    }

    #[test]
    fn a_panic_on_either_thread_reaches_the_caller() {
        let _pool = alone();
        let caught = std::panic::catch_unwind(|| {
            on_two_threads((0..50).collect::<Vec<u32>>(), |i| {
                assert!(i != 31, "item 31");
                i
            })
        });
        assert!(caught.is_err());
        let caught = std::panic::catch_unwind(|| beside(|| 1, || panic!("there")));
        assert!(caught.is_err());
    }

    #[test]
    fn both_sides_give_their_results() {
        let _pool = alone();
        let here = std::thread::current().id();
        let (a, b) = beside(
            || {
                // Long enough for the pool thread to wake and take the other side.
                std::thread::sleep(std::time::Duration::from_millis(100));
                (std::thread::current().id(), 1)
            },
            || (std::thread::current().id(), "two"),
        );
        assert_eq!(a, (here, 1));
        assert_eq!(b.1, "two");
        assert_ne!(b.0, here, "the other side ran on a pool thread");
    }

    #[test]
    fn a_side_the_pool_is_too_busy_to_start_is_run_by_the_caller() {
        let _pool = alone();
        // Every pool thread held for a moment, each known to have started: the other side can
        // only be taken here.
        let threads = rayon::current_num_threads();
        let (started, ready) = std::sync::mpsc::channel();
        for _ in 0..threads {
            let started = started.clone();
            rayon::spawn(move || {
                let _ = started.send(());
                std::thread::sleep(std::time::Duration::from_millis(200));
            });
        }
        for _ in 0..threads {
            ready.recv().expect("a pool thread started");
        }
        let here = std::thread::current().id();
        let (a, b) = beside(|| 1, || (std::thread::current().id(), 2));
        assert_eq!((a, b), (1, (here, 2)));
    }
}
