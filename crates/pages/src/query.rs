//! A page's query string: read once into named values, written back canonically so that twins and
//! links reproduce the view.

use std::collections::BTreeMap;

use crate::PageError;

/// The parameters of a request, by name (the last value of a repeated name wins).
#[derive(Debug, Clone, Default)]
pub struct Params(BTreeMap<String, String>);

impl Params {
    /// Reads a raw query string.
    pub fn parse(query: &str) -> Params {
        Params(
            form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.trim().to_string()))
                .filter(|(_, v)| !v.is_empty())
                .collect(),
        )
    }

    /// A parameter's value, if given and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A year parameter, checked.
    pub fn year(&self, name: &str) -> Result<Option<i16>, PageError> {
        self.get(name)
            .map(|v| {
                v.parse::<passage_domain::Year>()
                    .map(|y| y.get() as i16)
                    .map_err(|e| PageError::bad(name, e.to_string()))
            })
            .transpose()
    }
}

/// A query string from pairs, in the given order, leaving out empty values.
pub fn canonical(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if !v.is_empty() {
            s.append_pair(k, v);
        }
    }
    s.finish()
}

/// A value encoded for a query string.
pub fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
