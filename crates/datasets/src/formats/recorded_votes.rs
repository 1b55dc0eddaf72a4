//! The General Assembly's recorded votes in the long CSV layout
//! (`resolution,date,undl_record,member_state,vote`), read by the negotiation record's reader (every
//! name mapped to ISO3, or the file refused) into [`Dataset::RecordedVotes`], and the votes read back
//! from that table.

use std::path::Path;

use passage_domain::{CodeSystem, CountryCode};
use passage_negotiation::{parse_recorded_vote, RecordedVote, StateVote, VersionDate, VoteCast};

use crate::{Dataset, LoadError, Table};

pub use passage_negotiation::VOTE_HEADER as HEADER;

fn utf8<'a>(file: &str, data: &'a [u8]) -> Result<&'a str, LoadError> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    std::str::from_utf8(data).map_err(|e| LoadError::Unusable {
        file: file.to_string(),
        message: format!("not UTF-8 text (byte {})", e.valid_up_to()),
    })
}

/// Loads one resolution's recorded vote.
pub fn load(file: &str, data: &[u8]) -> Result<Table, LoadError> {
    let vote = parse_recorded_vote(Path::new(file), utf8(file, data)?)?;
    let year = vote
        .date
        .as_str()
        .get(..4)
        .and_then(|y| y.parse::<i16>().ok())
        .unwrap_or_default();
    let mut b = Dataset::RecordedVotes.builder();
    for v in &vote.votes {
        b.push_year(year);
        b.push_dim(0, &vote.resolution);
        b.push_dim(1, vote.date.as_str());
        b.push_dim(2, &vote.undl_record);
        b.push_dim(3, v.iso3.as_str());
        b.push_dim(4, &v.member_state);
        b.push_dim(5, v.vote.code());
        b.end_row();
    }
    Ok(b.finish())
}

/// The recorded votes a release's table holds, in the order their resolutions first appear.
pub fn votes_of(table: &Table) -> Result<Vec<RecordedVote>, LoadError> {
    let bad = |message: String| LoadError::Unusable {
        file: Dataset::RecordedVotes.name().to_string(),
        message,
    };
    let cols = Dataset::RecordedVotes.schema().dims;
    let dims = cols
        .iter()
        .map(|c| table.dim(c).ok_or_else(|| bad(format!("no column `{c}`"))))
        .collect::<Result<Vec<_>, _>>()?;
    let mut votes: Vec<RecordedVote> = Vec::new();
    for row in 0..table.len {
        let cell = |i: usize| dims[i].value(row);
        let iso3 = CountryCode::parse(CodeSystem::Iso, cell(3))
            .map_err(|e| bad(format!("row {}: {e}", row + 1)))?;
        let cast = VoteCast::from_code(cell(5))
            .ok_or_else(|| bad(format!("row {}: `{}` is not a vote code", row + 1, cell(5))))?;
        let state = StateVote {
            iso3,
            member_state: cell(4).to_string(),
            vote: cast,
        };
        match votes.iter_mut().find(|v| v.resolution == cell(0)) {
            Some(v) => v.votes.push(state),
            None => votes.push(RecordedVote {
                resolution: cell(0).to_string(),
                date: VersionDate::parse(cell(1))
                    .map_err(|e| bad(format!("row {}: {e}", row + 1)))?,
                undl_record: cell(2).to_string(),
                votes: vec![state],
            }),
        }
    }
    Ok(votes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vote_goes_into_the_table_and_comes_back_equal() {
        let csv = "resolution,date,undl_record,member_state,vote\n\
                   A/RES/1,2018-12-19,7,TURKEY,Y\n\
                   A/RES/1,2018-12-19,7,THE FORMER YUGOSLAV REPUBLIC OF MACEDONIA,X\n";
        let table = load("v.csv", csv.as_bytes()).unwrap();
        assert_eq!(table.len, 2);
        assert_eq!(table.year(0), Some(2018));
        assert_eq!(table.dim("iso3").unwrap().value(1), "MKD");
        let back = votes_of(&table).unwrap();
        let direct = parse_recorded_vote(Path::new("v.csv"), csv).unwrap();
        assert_eq!(back, vec![direct]);
    }

    #[test]
    fn a_name_that_does_not_map_is_refused_with_its_line() {
        let csv =
            "resolution,date,undl_record,member_state,vote\nA/RES/1,2018-12-19,7,ATLANTIS,Y\n";
        let e = load("v.csv", csv.as_bytes()).unwrap_err().to_string();
        assert!(e.starts_with("v.csv:2:") && e.contains("ATLANTIS"), "{e}");
    }
}
