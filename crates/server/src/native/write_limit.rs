//! The registry's write rate limit: a token bucket per verified token, and one per client address
//! for writes without a valid token, so no one can spend another writer's budget by presenting a
//! false secret. The table of buckets is bounded: idle buckets are dropped, and past a hard cap
//! the longest idle one makes room.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Whose budget a write is charged to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum WriteKey {
    /// A token the registry verified, by its id.
    Token(String),
    /// A client without a valid token, by its address (none when the server does not know it).
    Address(Option<IpAddr>),
}

/// A sustained rate and a burst. Rates are at least one a second, so a refused client can always
/// write again after one second (the `Retry-After` every 429 carries).
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub per_second: f64,
    pub burst: f64,
}

/// Verified writers: enough for a bulk client.
pub const TOKEN_BUDGET: Budget = Budget {
    per_second: 50.0,
    burst: 200.0,
};

/// Writes without a valid token only ever earn a 401; a client making many is probing.
pub const ADDRESS_BUDGET: Budget = Budget {
    per_second: 10.0,
    burst: 50.0,
};

/// Buckets kept at most.
pub const MAX_BUCKETS: usize = 4096;

struct Bucket {
    tokens: f64,
    last: Instant,
}

pub struct WriteLimiter {
    buckets: Mutex<HashMap<WriteKey, Bucket>>,
    cap: usize,
}

impl WriteLimiter {
    pub fn new(cap: usize) -> WriteLimiter {
        WriteLimiter {
            buckets: Mutex::new(HashMap::new()),
            cap: cap.max(1),
        }
    }

    /// Takes one write from `key`'s budget; false if it has none left.
    pub fn allow(&self, key: WriteKey, budget: Budget) -> bool {
        self.allow_at(key, budget, Instant::now())
    }

    fn allow_at(&self, key: WriteKey, budget: Budget, now: Instant) -> bool {
        // A bucket is a number and a time: a holder that panicked left nothing half-changed.
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !buckets.contains_key(&key) && buckets.len() >= self.cap {
            make_room(&mut buckets, self.cap, now);
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: budget.burst,
            last: now,
        });
        let earned = now.saturating_duration_since(bucket.last).as_secs_f64() * budget.per_second;
        bucket.tokens = (bucket.tokens + earned).min(budget.burst);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Buckets held now.
    #[cfg(test)]
    fn buckets(&self) -> usize {
        self.buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }
}

/// A bucket untouched this long has earned back any budget (the largest burst at the lowest
/// rate), so dropping it changes nothing for its client.
const IDLE: Duration = Duration::from_secs(20);

fn make_room(buckets: &mut HashMap<WriteKey, Bucket>, cap: usize, now: Instant) {
    buckets.retain(|_, b| now.saturating_duration_since(b.last) < IDLE);
    while buckets.len() >= cap {
        let Some(oldest) = buckets
            .iter()
            .min_by_key(|(_, b)| b.last)
            .map(|(k, _)| k.clone())
        else {
            break;
        };
        buckets.remove(&oldest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_stays_bounded_after_many_invented_keys() {
        let limiter = WriteLimiter::new(100);
        let start = Instant::now();
        for i in 0..10_000u32 {
            let ip = IpAddr::from(i.to_be_bytes());
            limiter.allow_at(WriteKey::Address(Some(ip)), ADDRESS_BUDGET, start);
            assert!(limiter.buckets() <= 100);
        }
        // Idle buckets are dropped as soon as room is needed.
        let later = start + IDLE;
        limiter.allow_at(WriteKey::Token("t".into()), TOKEN_BUDGET, later);
        assert_eq!(limiter.buckets(), 1);
    }

    #[test]
    fn one_key_spending_its_budget_leaves_the_others_theirs() {
        let limiter = WriteLimiter::new(100);
        let now = Instant::now();
        let prober = WriteKey::Address(None);
        let spent = (0..100)
            .filter(|_| limiter.allow_at(prober.clone(), ADDRESS_BUDGET, now))
            .count();
        assert_eq!(spent, ADDRESS_BUDGET.burst as usize);
        assert!(limiter.allow_at(WriteKey::Token("admin".into()), TOKEN_BUDGET, now));
        // One second later the prober may write again, as Retry-After says.
        assert!(limiter.allow_at(prober, ADDRESS_BUDGET, now + Duration::from_secs(1)));
    }
}
