//! The names the Missing Migrants Project records a country of incident by: UN M49 names, which
//! are the release's country names except for these, kept by ISO3.

/// M49 names that differ from the release's short names.
const DIFFERENT: [(&str, &str); 18] = [
    ("CAF", "Central African Republic"),
    ("CIV", "Côte d'Ivoire"),
    ("COD", "Democratic Republic of the Congo"),
    ("CUW", "Curaçao"),
    ("DOM", "Dominican Republic"),
    ("HKG", "China, Hong Kong Special Administrative Region"),
    ("IRN", "Iran (Islamic Republic of)"),
    ("KOR", "Republic of Korea"),
    ("LAO", "Lao People's Democratic Republic"),
    ("MAC", "China, Macao Special Administrative Region"),
    ("MDA", "Republic of Moldova"),
    ("MYT", "Mayotte"),
    ("NLD", "Netherlands"),
    ("PRK", "Democratic People's Republic of Korea"),
    ("SRB", "Serbia"),
    ("SYR", "Syrian Arab Republic"),
    ("TZA", "United Republic of Tanzania"),
    ("VIR", "United States Virgin Islands"),
];

/// The names a country's incidents may be recorded under.
pub fn incident_names(iso3: &str, release_name: &str) -> Vec<String> {
    let mut names = vec![release_name.to_string()];
    if let Some((_, n)) = DIFFERENT.iter().find(|(c, _)| *c == iso3) {
        names.push(n.to_string());
    }
    names
}
