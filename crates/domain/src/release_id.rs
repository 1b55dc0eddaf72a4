//! Release ids: the content address of a release, `r` and the first 12 hex digits of its sha256.

use std::fmt;
use std::str::FromStr;

use crate::DomainError;

/// The id of an immutable release. Equal inputs give equal ids, so a re-import is recognised.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct ReleaseId(String);

impl ReleaseId {
    const HEX_LEN: usize = 12;

    /// Builds the id from a full hex digest of the release's content.
    pub fn from_digest_hex(hex: &str) -> Result<Self, DomainError> {
        let prefix = hex.get(..Self::HEX_LEN).unwrap_or(hex);
        format!("r{prefix}").parse()
    }

    /// The id as written, such as `r0123456789ab`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ReleaseId {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = s.len() == Self::HEX_LEN + 1
            && s.starts_with('r')
            && s[1..]
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if ok {
            Ok(ReleaseId(s.to_string()))
        } else {
            Err(DomainError::BadReleaseId {
                value: s.to_string(),
            })
        }
    }
}

impl TryFrom<String> for ReleaseId {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<ReleaseId> for String {
    fn from(id: ReleaseId) -> String {
        id.0
    }
}

impl fmt::Display for ReleaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_canonical_ids() {
        let id = ReleaseId::from_digest_hex("0123456789abcdef0123").unwrap();
        assert_eq!(id.as_str(), "r0123456789ab");
        assert!("r0123456789AB".parse::<ReleaseId>().is_err());
        assert!("x0123456789ab".parse::<ReleaseId>().is_err());
        assert!("r0123".parse::<ReleaseId>().is_err());
    }
}
