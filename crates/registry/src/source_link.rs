//! The link to where a statement can be read: an absolute `http` or `https` URL with a host, built
//! only by parsing, and kept in a canonical form (scheme and host in lower case), so a stored link
//! is always one a reader's browser can open.

use std::fmt;

use serde::Serialize;

use crate::RegistryError;

/// An `http(s)://host[:port][/path][?query][#fragment]` URL, without credentials or whitespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct SourceLink(String);

/// Longer links are refused: no source a reader follows needs more.
const MAX_LEN: usize = 2048;

fn host_ok(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.contains(':')
            && inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    }
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

impl SourceLink {
    /// Reads `text` as an http or https link; the error names `field` and says what is wrong.
    pub fn parse(field: &str, text: &str) -> Result<SourceLink, RegistryError> {
        let bad = |why: &str| {
            RegistryError::invalid(field, format!("`{text}` is not an http(s) link: {why}"))
        };
        let trimmed = text.trim();
        if trimmed.len() > MAX_LEN {
            return Err(bad("longer than 2048 characters"));
        }
        let (scheme, rest) = trimmed
            .split_once("://")
            .ok_or_else(|| bad("expected http:// or https:// and a host"))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(bad("the scheme must be http or https"));
        }
        if rest
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'))
        {
            return Err(bad(
                "it holds a space, a control character, `<`, `>` or `\"`",
            ));
        }
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        if authority.contains('@') {
            return Err(bad("a source link carries no user name or password"));
        }
        // The port is after the last `:` outside an IPv6 address's brackets.
        let (host, port) = match authority.rfind(':') {
            Some(i) if !authority[i..].contains(']') => {
                (&authority[..i], Some(&authority[i + 1..]))
            }
            _ => (authority, None),
        };
        if !host_ok(host) {
            return Err(bad("expected a host name such as undocs.org"));
        }
        if let Some(p) = port {
            let valid = !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n));
            if !valid {
                return Err(bad("the port must be a number from 1 to 65535"));
            }
        }
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        Ok(SourceLink(format!(
            "{scheme}://{}{port}{tail}",
            host.to_ascii_lowercase()
        )))
    }

    /// The link as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<SourceLink> for String {
    fn from(link: SourceLink) -> String {
        link.0
    }
}

impl fmt::Display for SourceLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_and_https_links_are_read_and_made_canonical() {
        let link =
            SourceLink::parse("source", " HTTPS://UNDocs.org/A/CONF.231/3?x=1#p37 ").unwrap();
        assert_eq!(link.as_str(), "https://undocs.org/A/CONF.231/3?x=1#p37");
        for good in [
            "http://example.org",
            "https://example.org:8443/a",
            "https://[2001:db8::1]/statement",
            "https://digitallibrary.un.org/record/1654217?ln=en",
        ] {
            assert!(SourceLink::parse("source", good).is_ok(), "{good}");
        }
    }

    #[test]
    fn anything_else_is_refused_naming_the_field() {
        for bad in [
            "",
            "undocs.org/A/73/L.66",
            "ftp://example.org/x",
            "javascript://example.org/%0Aalert(1)x",
            "https://",
            "https:///path",
            "https://exa mple.org",
            "https://example.org/a b",
            "https://user:pw@example.org/",
            "https://example.org:0/",
            "https://example.org:99999/",
            "https://-bad-.org/",
            "https://example..org/",
            "https://example.org/<script>",
        ] {
            let err = SourceLink::parse("source", bad).unwrap_err().to_string();
            assert!(err.starts_with("`source`: "), "{bad}: {err}");
        }
        let long = format!("https://example.org/{}", "a".repeat(2048));
        assert!(SourceLink::parse("source", &long).is_err());
    }
}
