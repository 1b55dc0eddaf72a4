//! Verdicts as pages show them: an outcome's words and style, and which claims flipped between
//! the two latest releases with recorded verdicts.

use maud::{html, Markup};
use passage_claims::{Outcome, Record};

/// The outcome in words and its style.
pub fn badge(outcome: Outcome) -> Markup {
    let (class, text) = match outcome {
        Outcome::True => ("verdict holds", "holds"),
        Outcome::False => ("verdict fails", "does not hold"),
        Outcome::Undetermined => ("verdict unknown", "cannot say"),
    };
    html! { span class=(class) { (text) } }
}

/// A claim whose verdict changed from one release to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct Flip {
    /// The claim's id.
    pub claim: String,
    /// The release before, and its outcome.
    pub before: (String, Outcome),
    /// The release after, and its outcome.
    pub after: (String, Outcome),
}

/// The claims whose outcome on `release` differs from their outcome on the release recorded
/// before it.
pub fn flips(history: &[Record], release: &str) -> Vec<Flip> {
    let mut order: Vec<&str> = Vec::new();
    for r in history {
        if !order.contains(&r.evaluation.release.as_str()) {
            order.push(&r.evaluation.release);
        }
    }
    let Some(at) = order.iter().position(|r| *r == release) else {
        return Vec::new();
    };
    let Some(previous) = at.checked_sub(1).map(|i| order[i]) else {
        return Vec::new();
    };
    let last = |rel: &str, claim: &str| {
        history
            .iter()
            .rev()
            .find(|r| r.evaluation.release == rel && r.evaluation.claim == claim)
            .map(|r| r.evaluation.verdict.outcome)
    };
    let mut claims: Vec<&str> = history
        .iter()
        .filter(|r| r.evaluation.release == release)
        .map(|r| r.evaluation.claim.as_str())
        .collect();
    claims.sort_unstable();
    claims.dedup();
    claims
        .into_iter()
        .filter_map(|c| match (last(previous, c), last(release, c)) {
            (Some(b), Some(a)) if a != b => Some(Flip {
                claim: c.into(),
                before: (previous.into(), b),
                after: (release.into(), a),
            }),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use passage_claims::{Evaluation, Verdict};

    fn record(release: &str, claim: &str, outcome: Outcome) -> Record {
        Record {
            evaluated_at: format!("2026-01-01T00:00:00Z-{release}"),
            evaluation: Evaluation {
                claim: claim.into(),
                fingerprint: "f".into(),
                release: release.into(),
                verdict: Verdict {
                    outcome,
                    year: Some(2024),
                    observations: vec![],
                    explanation: String::new(),
                },
                timeline: vec![],
            },
        }
    }

    #[test]
    fn a_flip_is_a_different_outcome_on_the_release_after() {
        let history = vec![
            record("r1", "a", Outcome::True),
            record("r1", "b", Outcome::True),
            record("r2", "a", Outcome::False),
            record("r2", "b", Outcome::True),
            record("r2", "c", Outcome::False),
        ];
        let f = flips(&history, "r2");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].claim, "a");
        assert_eq!(
            (f[0].before.1, f[0].after.1),
            (Outcome::True, Outcome::False)
        );
        assert!(
            flips(&history, "r1").is_empty(),
            "the first release flips nothing"
        );
        assert!(
            flips(&history, "r9").is_empty(),
            "an unknown release flips nothing"
        );
    }
}
