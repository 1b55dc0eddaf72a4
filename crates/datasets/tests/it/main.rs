//! Integration tests of the parsers: real published data and hand-written broken fixtures.

mod datapackage;
mod malformed;
mod parser_properties;
mod real_data;

use std::path::PathBuf;

/// `../shared/data` beside the repository.
pub fn shared_data() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    assert!(
        p.join("README.md").exists(),
        "the shared data is expected at {}",
        p.display()
    );
    p
}
