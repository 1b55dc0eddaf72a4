//! What a report is printed on: the paper size and margins, and the print options. The running
//! header and page numbers are the document's own CSS page-margin boxes, drawn in those margins.

/// Paper sizes people print reports on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Paper {
    /// Reads `a4` or `letter`.
    pub fn parse(text: &str) -> Option<Paper> {
        match text.to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "letter" | "us-letter" => Some(Paper::Letter),
            _ => None,
        }
    }

    /// Its name as [`Paper::parse`] reads it: `a4` or `letter`.
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }

    /// Width and height in inches, as the DevTools protocol takes them.
    pub fn inches(self) -> (f64, f64) {
        match self {
            Paper::A4 => (8.2677, 11.6929),
            Paper::Letter => (8.5, 11.0),
        }
    }
}

/// One report to print.
#[derive(Debug, Clone)]
pub struct PrintJob {
    /// The report's page (`/reports/countries/SYR`), to name it in errors.
    pub report: String,
    /// The report as one HTML document that needs nothing fetched (`/reports/….html`: styles
    /// and script inside, links leading to the site's public address or taken out).
    pub html: String,
    /// The paper.
    pub paper: Paper,
}

impl PrintJob {
    /// The `Page.printToPDF` parameters of this job.
    pub fn params(&self) -> serde_json::Value {
        let (w, h) = self.paper.inches();
        // The running header and page numbers are the document's own (CSS page-margin boxes).
        serde_json::json!({
            "paperWidth": w,
            "paperHeight": h,
            "marginTop": 0.6,
            "marginBottom": 0.6,
            "marginLeft": 0.5,
            "marginRight": 0.5,
            "printBackground": true,
            "displayHeaderFooter": false,
            "generateTaggedPDF": true,
            "generateDocumentOutline": true,
            "preferCSSPageSize": false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn papers_and_print_options() {
        assert_eq!(Paper::parse("A4"), Some(Paper::A4));
        assert_eq!(Paper::parse("letter"), Some(Paper::Letter));
        assert_eq!(Paper::parse("a5"), None);
        let job = PrintJob {
            report: "/reports/countries/SYR".into(),
            html: String::new(),
            paper: Paper::Letter,
        };
        let p = job.params();
        assert_eq!(
            (&p["paperWidth"], &p["paperHeight"]),
            (&8.5.into(), &11.0.into())
        );
        // The document's page-margin boxes are its running header and page numbers.
        assert_eq!(p["displayHeaderFooter"], false);
        assert_eq!(p["generateTaggedPDF"], true);
    }
}
