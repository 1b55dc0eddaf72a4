//! Access tokens: a random secret shown once, stored only as its sha256, with a role, an entity for
//! editors, an optional expiry and a revocation time. The secret names its record
//! (`pst_<id>_<secret>`), so checking a token is one lookup and a constant-time comparison.

use std::io::Read;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::access::{Principal, Role};
use crate::{RegistryError, Timestamp};

/// An access token as stored: what it allows and its life, with the hash of its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRecord {
    /// The token's id, also the middle part of its secret (`pst_ID_…`).
    pub id: String,
    /// What the token may change.
    pub role: Role,
    /// For an entity editor, the entity it writes for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// A note of whom the token was issued to.
    #[serde(default)]
    pub label: String,
    /// When it was issued, in RFC 3339 (UTC).
    pub created_at: String,
    /// When it stops admitting, if it expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// When it was revoked, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    /// The sha256 of the secret, in hex; the secret itself is shown once and never stored.
    pub secret_sha256: String,
}

fn random_hex(bytes: usize) -> Result<String, RegistryError> {
    let mut buf = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .map_err(|e| RegistryError::Database(format!("no randomness for a token: {e}")))?;
    Ok(hex::encode(buf))
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// A new token id and secret.
pub fn new_secret() -> Result<(String, String), RegistryError> {
    let id = random_hex(6)?;
    let secret = format!("pst_{id}_{}", random_hex(24)?);
    Ok((id, secret))
}

/// The record id a secret names, if it has the token shape.
pub fn id_of(secret: &str) -> Option<&str> {
    let rest = secret.strip_prefix("pst_")?;
    let (id, tail) = rest.split_once('_')?;
    (id.len() == 12 && !tail.is_empty()).then_some(id)
}

impl TokenRecord {
    /// The principal this token stands for, if `secret` is its secret and it is live at `now`.
    pub fn admit(&self, secret: &str, now: Timestamp) -> Option<Principal> {
        let presented = sha256_hex(secret);
        let (a, b) = (presented.as_bytes(), self.secret_sha256.as_bytes());
        let same =
            a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0;
        // An expiry that does not read as a time (written by hand) counts as passed.
        let live = self.revoked_at.is_none()
            && self
                .expires_at
                .as_deref()
                .is_none_or(|e| Timestamp::parse("expires_at", e).is_ok_and(|e| e > now));
        (same && live).then(|| Principal {
            actor: format!("token:{}", self.id),
            role: self.role,
            entity: self.entity.clone(),
        })
    }
}
