//! How a CSV download is written for the tools people open it with: a second header row of HXL
//! hashtags for humanitarian tools (on unless `hxl=0`, as some tools choke on it), and a UTF-8 byte
//! order mark for Excel only when asked (`bom=1`).

/// The options of a CSV download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// Write the HXL hashtag row.
    pub hxl: bool,
    /// Start with a UTF-8 byte order mark.
    pub bom: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            hxl: true,
            bom: false,
        }
    }
}

impl CsvOptions {
    /// Reads `hxl` and `bom` values (`0`/`1`, `false`/`true`); `Err` names the bad parameter.
    pub fn parse(
        hxl: Option<&str>,
        bom: Option<&str>,
    ) -> Result<CsvOptions, (&'static str, String)> {
        let flag = |name: &'static str, v: Option<&str>, default: bool| match v {
            None => Ok(default),
            Some("1" | "true") => Ok(true),
            Some("0" | "false") => Ok(false),
            Some(other) => Err((name, format!("expected 0 or 1, found `{other}`"))),
        };
        Ok(CsvOptions {
            hxl: flag("hxl", hxl, true)?,
            bom: flag("bom", bom, false)?,
        })
    }

    /// The bytes that start the file: the byte order mark when asked.
    pub fn preamble(&self) -> &'static str {
        if self.bom {
            "\u{feff}"
        } else {
            ""
        }
    }
}

/// The HXL hashtag of a column, for humanitarian tools.
pub fn hxl_tag(column: &str) -> String {
    match column {
        "year" => "#date+year".into(),
        "coo_iso" | "coo" | "origin" => "#country+code+origin".into(),
        "coa_iso" | "coa" | "asylum" => "#country+code+asylum".into(),
        "iso3" | "country_code" => "#country+code".into(),
        "country" | "name" => "#country+name".into(),
        "sex" => "#group+sex".into(),
        // The incidents' columns, as humanitarian tools tag events on a map.
        "date" => "#date".into(),
        "location" => "#loc+name".into(),
        "region" => "#region+name".into(),
        "cause" => "#cause".into(),
        "lat" => "#geo+lat".into(),
        "lon" => "#geo+lon".into(),
        "dead_and_missing" => "#affected+dead+missing".into(),
        other => format!("#indicator+{}", other.replace('_', "")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_and_tags() {
        assert_eq!(
            CsvOptions::parse(None, None),
            Ok(CsvOptions {
                hxl: true,
                bom: false
            })
        );
        assert_eq!(
            CsvOptions::parse(Some("0"), Some("1")),
            Ok(CsvOptions {
                hxl: false,
                bom: true
            })
        );
        assert!(CsvOptions::parse(Some("yes"), None).is_err());
        assert_eq!(
            CsvOptions {
                hxl: true,
                bom: true
            }
            .preamble()
            .as_bytes(),
            b"\xEF\xBB\xBF"
        );
        assert_eq!(hxl_tag("coa_iso"), "#country+code+asylum");
        assert_eq!(hxl_tag("dead_and_missing"), "#affected+dead+missing");
        assert_eq!(hxl_tag("lat"), "#geo+lat");
        assert_eq!(hxl_tag("refugees"), "#indicator+refugees");
    }
}
