//! A recorded vote of the General Assembly, read from the long CSV layout
//! (`resolution,date,undl_record,member_state,vote`): one cast per Member State, mapped to ISO3. Yes, no,
//! abstention and not voting stay four different acts.

use std::path::Path;

use passage_domain::CountryCode;
use serde::Serialize;

use crate::{iso3_of_undl_name, NegotiationError, VersionDate};

/// What a Member State did on a recorded vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteCast {
    /// Voted in favour (UNDL `Y`).
    Yes,
    /// Voted against (`N`).
    No,
    /// Abstained: present and voting neither way (`A`).
    Abstention,
    /// Did not vote (`X`), which is not an abstention.
    NonVoting,
}

impl VoteCast {
    /// Reads a UNDL vote code.
    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code.trim() {
            "Y" => VoteCast::Yes,
            "N" => VoteCast::No,
            "A" => VoteCast::Abstention,
            "X" => VoteCast::NonVoting,
            _ => return None,
        })
    }

    /// The UNDL code, `Y`, `N`, `A` or `X`.
    pub fn code(self) -> &'static str {
        match self {
            VoteCast::Yes => "Y",
            VoteCast::No => "N",
            VoteCast::Abstention => "A",
            VoteCast::NonVoting => "X",
        }
    }

    /// The act in words.
    pub fn name(self) -> &'static str {
        match self {
            VoteCast::Yes => "yes",
            VoteCast::No => "no",
            VoteCast::Abstention => "abstention",
            VoteCast::NonVoting => "non-voting",
        }
    }
}

/// The columns of the long CSV layout of a recorded vote.
pub const VOTE_HEADER: [&str; 5] = ["resolution", "date", "undl_record", "member_state", "vote"];

/// One Member State's cast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateVote {
    /// The state's ISO3 code.
    pub iso3: CountryCode,
    /// Its name as the UNDL record writes it.
    pub member_state: String,
    /// What it did.
    pub vote: VoteCast,
}

/// The number of states in each class of a vote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct VoteTotals {
    /// In favour.
    pub yes: usize,
    /// Against.
    pub no: usize,
    /// Abstaining.
    pub abstention: usize,
    /// Not voting.
    pub non_voting: usize,
}

/// A resolution's recorded vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedVote {
    /// The resolution's symbol, such as `A/RES/73/195`.
    pub resolution: String,
    /// The day of the vote.
    pub date: VersionDate,
    /// The UN Digital Library record number.
    pub undl_record: String,
    /// Every state's cast, in the file's order.
    pub votes: Vec<StateVote>,
}

impl RecordedVote {
    /// The count of each class.
    pub fn totals(&self) -> VoteTotals {
        let mut t = VoteTotals::default();
        for v in &self.votes {
            match v.vote {
                VoteCast::Yes => t.yes += 1,
                VoteCast::No => t.no += 1,
                VoteCast::Abstention => t.abstention += 1,
                VoteCast::NonVoting => t.non_voting += 1,
            }
        }
        t
    }

    /// The states that cast `vote`, in the file's order.
    pub fn with(&self, vote: VoteCast) -> impl Iterator<Item = &StateVote> {
        self.votes.iter().filter(move |v| v.vote == vote)
    }
}

/// Reads a recorded vote from `file`. Every row must name the same resolution, date and record, and
/// every name must map to ISO3; a state listed twice is refused.
pub fn read_recorded_vote(file: &Path) -> Result<RecordedVote, NegotiationError> {
    let text = std::fs::read_to_string(file).map_err(|source| NegotiationError::Io {
        file: file.to_path_buf(),
        source,
    })?;
    parse_recorded_vote(file, &text)
}

/// Reads a recorded vote from `text`, the contents of `file` (named in errors).
pub fn parse_recorded_vote(file: &Path, text: &str) -> Result<RecordedVote, NegotiationError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| NegotiationError::syntax(file, 1, e.to_string()))?;
    if header.iter().map(str::trim).ne(VOTE_HEADER) {
        return Err(NegotiationError::syntax(
            file,
            1,
            format!("expected the columns {}", VOTE_HEADER.join(",")),
        ));
    }
    let mut head: Option<(String, VersionDate, String)> = None;
    let mut votes: Vec<StateVote> = Vec::new();
    let mut first_line: std::collections::HashMap<CountryCode, usize> =
        std::collections::HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            NegotiationError::syntax(file, line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |k: usize| record.get(k).unwrap_or("").trim();
        let (resolution, date, undl) = (field(0), field(1), field(2));
        match &head {
            None => {
                let date = VersionDate::parse(date)
                    .map_err(|e| NegotiationError::syntax(file, line, e.to_string()))?;
                head = Some((resolution.to_string(), date, undl.to_string()));
            }
            Some((r, d, u)) => {
                if (r.as_str(), d.as_str(), u.as_str()) != (resolution, date, undl) {
                    return Err(NegotiationError::syntax(
                        file,
                        line,
                        format!("this row is about {resolution} of {date} (record {undl}); the file began with {r} of {d} (record {u})"),
                    ));
                }
            }
        }
        let name = field(3);
        let iso3 = iso3_of_undl_name(name).ok_or_else(|| NegotiationError::UnknownMemberState {
            file: file.to_path_buf(),
            line,
            name: name.to_string(),
        })?;
        let vote = VoteCast::from_code(field(4)).ok_or_else(|| NegotiationError::BadVote {
            file: file.to_path_buf(),
            line,
            code: field(4).to_string(),
        })?;
        if let Some(first) = first_line.insert(iso3, line) {
            return Err(NegotiationError::syntax(
                file,
                line,
                format!("{name} ({iso3}) already voted at line {first}"),
            ));
        }
        votes.push(StateVote {
            iso3,
            member_state: name.to_string(),
            vote,
        });
    }
    let (resolution, date, undl_record) =
        head.ok_or_else(|| NegotiationError::syntax(file, 1, "no votes in the file"))?;
    Ok(RecordedVote {
        resolution,
        date,
        undl_record,
        votes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "resolution,date,undl_record,member_state,vote\n";

    #[test]
    fn refuses_unknown_names_codes_and_mixed_resolutions() {
        let f = Path::new("v.csv");
        let unknown =
            format!("{HEAD}A/RES/1,2018-12-19,1,ALBANIA,Y\nA/RES/1,2018-12-19,1,ATLANTIS,N\n");
        let e = parse_recorded_vote(f, &unknown).unwrap_err().to_string();
        assert!(e.starts_with("v.csv:3:") && e.contains("ATLANTIS"), "{e}");
        let bad = format!("{HEAD}A/RES/1,2018-12-19,1,ALBANIA,Q\n");
        assert!(parse_recorded_vote(f, &bad)
            .unwrap_err()
            .to_string()
            .starts_with("v.csv:2:"));
        let mixed =
            format!("{HEAD}A/RES/1,2018-12-19,1,ALBANIA,Y\nA/RES/2,2018-12-19,1,ANDORRA,Y\n");
        assert!(parse_recorded_vote(f, &mixed)
            .unwrap_err()
            .to_string()
            .starts_with("v.csv:3:"));
        let twice =
            format!("{HEAD}A/RES/1,2018-12-19,1,TURKEY,Y\nA/RES/1,2018-12-19,1,TURKIYE,N\n");
        assert!(parse_recorded_vote(f, &twice).is_err());
    }
}
