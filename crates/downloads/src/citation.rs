//! How to cite a page, a report or a download: Passage, the release, the providers and the date
//! of access, in plain text, BibTeX and CSL-JSON (what reference managers import).

use serde_json::{json, Value};

/// What a citation names.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    /// The title of the thing cited (a page's or chart's title).
    pub title: String,
    /// The release its figures come from.
    pub release: String,
    /// The release's date, `YYYY-MM-DD`.
    pub issued: String,
    /// The providers of the figures, in order.
    pub providers: Vec<String>,
    /// The path of the page or file on the Passage that served it.
    pub path: String,
    /// Where that Passage is published (`https://passage.example.org`, no trailing slash), when
    /// it is configured: the citation then gives the whole address.
    pub site: Option<String>,
    /// The date of access, `YYYY-MM-DD`; empty in a file that must read the same whenever it is
    /// made (a data package's README), which then leaves it out.
    pub accessed: String,
}

fn date_parts(date: &str) -> Value {
    let parts: Vec<i64> = date.split('-').filter_map(|p| p.parse().ok()).collect();
    json!({ "date-parts": [parts] })
}

impl Citation {
    /// The address cited: the site's with the path, or the path alone.
    pub fn address(&self) -> String {
        format!("{}{}", self.site.as_deref().unwrap_or(""), self.path)
    }

    /// The citation as a sentence.
    pub fn text(&self) -> String {
        let mut text = format!(
            "Passage. “{}”. Passage, release {} ({}), {}. Data: {}.",
            self.title,
            self.release,
            self.issued,
            self.address(),
            self.providers.join("; "),
        );
        if !self.accessed.is_empty() {
            text.push_str(&format!(" Accessed {}.", self.accessed));
        }
        text
    }

    /// A BibTeX `@misc` entry, keyed by the release and path.
    pub fn bibtex(&self) -> String {
        let key: String = format!("passage-{}-{}", self.release, self.path)
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let esc = |s: &str| {
            s.replace('\\', "\\\\")
                .replace('{', "\\{")
                .replace('}', "\\}")
        };
        let url = match &self.site {
            Some(_) => format!("  url = {{{}}},\n", esc(&self.address())),
            None => String::new(),
        };
        let (accessed, urldate) = if self.accessed.is_empty() {
            (String::new(), String::new())
        } else {
            (
                format!(". Accessed {}", self.accessed),
                format!(",\n  urldate = {{{}}}", self.accessed),
            )
        };
        format!(
            "@misc{{{key},\n  title = {{{}}},\n  author = {{{{Passage}}}},\n  year = {{{}}},\n  howpublished = {{Passage, release {}, {}}},\n{url}  note = {{Data: {}{accessed}}}{urldate}\n}}\n",
            esc(&self.title),
            self.issued.get(..4).unwrap_or(""),
            esc(&self.release),
            esc(&self.address()),
            esc(&self.providers.join("; ")),
        )
    }

    /// A CSL-JSON item (a dataset).
    pub fn csl_json(&self) -> Value {
        let mut item = json!({
            "id": format!("passage-{}-{}", self.release, self.path),
            "type": "dataset",
            "title": self.title,
            "author": [{"literal": "Passage"}],
            "publisher": "Passage",
            "version": self.release,
            "issued": date_parts(&self.issued),
            "note": format!("Data: {}. Path: {}", self.providers.join("; "), self.path),
        });
        if self.site.is_some() {
            item["URL"] = json!(self.address());
        }
        if !self.accessed.is_empty() {
            item["accessed"] = date_parts(&self.accessed);
        }
        json!([item])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Citation {
        Citation {
            title: "Syria {as host}".into(),
            release: "r3e5c8098677e".into(),
            issued: "2026-12-01".into(),
            providers: vec![
                "UNHCR Refugee Data Finder (2025.12.1)".into(),
                "IDMC".into(),
            ],
            path: "/countries/SYR".into(),
            site: None,
            accessed: "2026-12-02".into(),
        }
    }

    #[test]
    fn with_the_site_known_every_form_gives_the_whole_address() {
        let c = Citation {
            site: Some("https://passage.example.org".into()),
            ..sample()
        };
        let address = "https://passage.example.org/countries/SYR";
        assert!(
            c.text().contains(&format!(", {address}. Data:")),
            "{}",
            c.text()
        );
        assert!(c.bibtex().contains(&format!("  url = {{{address}}},\n")));
        assert!(c
            .bibtex()
            .starts_with("@misc{passage-r3e5c8098677e--countries-SYR,"));
        assert_eq!(c.csl_json()[0]["URL"], address);
        assert!(!sample().bibtex().contains("url ="));
        assert!(sample().csl_json()[0].get("URL").is_none());
    }

    #[test]
    fn every_form_names_passage_the_release_the_providers_and_the_access_date() {
        let c = sample();
        for text in [c.text(), c.bibtex(), c.csl_json().to_string()] {
            for needle in [
                "Passage",
                "r3e5c8098677e",
                "UNHCR Refugee Data Finder",
                "IDMC",
            ] {
                assert!(text.contains(needle), "{needle} in {text}");
            }
        }
        assert!(c
            .bibtex()
            .starts_with("@misc{passage-r3e5c8098677e--countries-SYR,"));
        assert!(c.bibtex().contains("Syria \\{as host\\}"));
        assert_eq!(
            c.csl_json()[0]["accessed"]["date-parts"],
            json!([[2026, 12, 2]])
        );
    }

    #[test]
    fn without_an_access_date_no_form_gives_one() {
        let c = Citation {
            accessed: String::new(),
            ..sample()
        };
        assert!(!c.text().contains("Accessed"), "{}", c.text());
        assert!(c
            .text()
            .ends_with("Data: UNHCR Refugee Data Finder (2025.12.1); IDMC."));
        let bib = c.bibtex();
        assert!(
            !bib.contains("Accessed") && !bib.contains("urldate"),
            "{bib}"
        );
        assert!(
            bib.ends_with("note = {Data: UNHCR Refugee Data Finder (2025.12.1); IDMC}\n}\n"),
            "{bib}"
        );
        assert!(c.csl_json()[0].get("accessed").is_none());
        assert!(sample().text().ends_with(" Accessed 2026-12-02."));
    }
}
