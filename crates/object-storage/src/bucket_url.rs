//! An object storage location as users write it, `s3://BUCKET/PREFIX`, built only by parsing.

use std::fmt;

use crate::ObjectStorageError;

/// A bucket and a key prefix (possibly empty), from `s3://BUCKET/PREFIX`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketUrl {
    bucket: String,
    prefix: String,
}

impl BucketUrl {
    /// Whether `text` names object storage rather than a folder or an HTTP address.
    pub fn is_bucket_url(text: &str) -> bool {
        text.starts_with("s3://")
    }

    /// Parses `s3://BUCKET[/PREFIX]`; the bucket follows S3's naming rules (3 to 63 lower-case
    /// letters, digits, dots and hyphens), and the prefix has no empty segment.
    pub fn parse(text: &str) -> Result<BucketUrl, ObjectStorageError> {
        let bad = |why: &str| ObjectStorageError::BadUrl {
            url: text.to_string(),
            why: why.to_string(),
        };
        let rest = text
            .strip_prefix("s3://")
            .ok_or_else(|| bad("expected s3://BUCKET/PREFIX"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let prefix = prefix.trim_end_matches('/');
        let bucket_ok = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
        if !bucket_ok {
            return Err(bad(
                "the bucket is 3 to 63 lower-case letters, digits, dots or hyphens",
            ));
        }
        if !prefix.is_empty()
            && prefix
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == "..")
        {
            return Err(bad("the prefix has an empty, `.` or `..` segment"));
        }
        Ok(BucketUrl {
            bucket: bucket.to_string(),
            prefix: prefix.to_string(),
        })
    }

    /// The bucket's name.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The key of `name` under the prefix.
    pub(crate) fn key(&self, name: &str) -> String {
        if self.prefix.is_empty() {
            name.to_string()
        } else {
            format!("{}/{name}", self.prefix)
        }
    }
}

impl fmt::Display for BucketUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.prefix.is_empty() {
            write!(f, "s3://{}", self.bucket)
        } else {
            write!(f, "s3://{}/{}", self.bucket, self.prefix)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bucket_and_prefix_and_refuses_what_s3_would() {
        let u = BucketUrl::parse("s3://passage-releases/public/v1/").unwrap();
        assert_eq!(u.bucket(), "passage-releases");
        assert_eq!(u.key("ACTIVE"), "public/v1/ACTIVE");
        assert_eq!(u.to_string(), "s3://passage-releases/public/v1");
        assert_eq!(
            BucketUrl::parse("s3://abc").unwrap().key("ACTIVE"),
            "ACTIVE"
        );
        for bad in [
            "http://x/y",
            "s3://",
            "s3://AB/x",
            "s3://ab",
            "s3://abc/x//y",
            "s3://abc/../y",
        ] {
            assert!(BucketUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
