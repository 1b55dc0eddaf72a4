//! The public address a Passage is published at (`https://passage.example.org`, maybe with a path),
//! built only by parsing. Reports read away from the site, as one HTML file or a PDF, point their
//! links to its pages there.

use std::fmt;

/// An `http` or `https` address with a host and no query, fragment or trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrl(String);

/// Why a text is not a site address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{value}` is not a site address: {reason} (expected one like https://passage.example.org)"
)]
pub struct SiteUrlError {
    value: String,
    reason: &'static str,
}

impl SiteUrl {
    /// Parses `text`; a trailing `/` is dropped, so that a page's path can follow it.
    pub fn parse(text: &str) -> Result<SiteUrl, SiteUrlError> {
        let fail = |reason| SiteUrlError {
            value: text.to_string(),
            reason,
        };
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or_else(|| fail("it must start with https:// or http://"))?;
        let host = rest.split('/').next().unwrap_or("");
        if host.is_empty() {
            return Err(fail("it has no host"));
        }
        if text.contains(['?', '#']) {
            return Err(fail("it may not have a query or a fragment"));
        }
        // Written into attributes of the documents: a quote or a bracket could end them.
        if text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`".contains(c))
        {
            return Err(fail("it has a space, quote, bracket or backslash"));
        }
        Ok(SiteUrl(text.trim_end_matches('/').to_string()))
    }

    /// The address, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SiteUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_address_is_http_or_https_with_a_host_and_loses_its_trailing_slash() {
        for (text, parsed) in [
            ("https://passage.example.org", "https://passage.example.org"),
            (
                "https://passage.example.org/",
                "https://passage.example.org",
            ),
            (
                "http://10.0.0.5:8080/passage/",
                "http://10.0.0.5:8080/passage",
            ),
        ] {
            assert_eq!(
                SiteUrl::parse(text).map(|s| s.to_string()),
                Ok(parsed.into())
            );
        }
        for (text, reason) in [
            ("passage.example.org", "https://"),
            ("ftp://passage.example.org", "https://"),
            ("https://", "no host"),
            ("https:///countries", "no host"),
            ("https://passage.example.org/?a=1", "query"),
            ("https://passage.example.org/#top", "fragment"),
            ("https://passage.example.org/\"onload=x", "quote"),
            ("https://passage example.org", "space"),
        ] {
            let e = SiteUrl::parse(text).expect_err(text).to_string();
            assert!(e.contains(reason) && e.contains(text), "{text}: {e}");
        }
    }
}
