//! Work shared by two threads, the caller's and one more, each taking the next item when it is
//! free: a country's series differ tenfold in cost, and halves fixed in advance left one thread
//! idle while the other finished. Results come back in the items' order.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// `f` of each item, computed on two threads, in the order of `items`. A panic in `f` on the
/// other thread is resumed on the caller's, as if it had happened there.
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
    let (mut done, theirs) = std::thread::scope(|scope| {
        let other = scope.spawn(work);
        (work(), other.join())
    });
    match theirs {
        Ok(theirs) => done.extend(theirs),
        Err(panic) => std::panic::resume_unwind(panic),
    }
    done.sort_unstable_by_key(|(at, _)| *at);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_once_in_order_whatever_its_cost() {
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
        assert!(on_two_threads(Vec::<u8>::new(), |i| i).is_empty());
        assert_eq!(on_two_threads(vec![3], |i| i * 2), vec![6]);
    }

    #[test]
    fn a_panic_on_either_thread_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            on_two_threads((0..50).collect::<Vec<u32>>(), |i| {
                assert!(i != 31, "item 31");
                i
            })
        });
        assert!(caught.is_err());
    }
}
