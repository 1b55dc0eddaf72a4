//! Checks of the negotiation record's readers: the Markdown objective/action layout, numbered
//! plain text and Akoma Ntoso XML. An accepted version, written as Akoma Ntoso and read back,
//! must be the same version: Passage's record is only as good as the file it writes.

use std::path::Path;

use passage_negotiation::{
    read_akoma_ntoso, read_markdown, read_plain_text, write_akoma_ntoso, DocumentId, Imported,
    NegotiationError, VersionMeta,
};

fn meta() -> VersionMeta {
    VersionMeta {
        document: DocumentId::parse("gcm").expect("a constant id parses"),
        label: "fuzzed".into(),
        date: None,
        source: None,
        licence: None,
    }
}

/// An accepted version survives Akoma Ntoso unchanged.
fn survives_akoma_ntoso(read: Result<Imported, NegotiationError>) {
    let Ok(imported) = read else {
        return;
    };
    let xml = write_akoma_ntoso(&imported.version);
    let back = read_akoma_ntoso(Path::new("written.xml"), &xml, meta())
        .unwrap_or_else(|e| panic!("a written version is refused: {e}\n{xml}"));
    assert_eq!(back.version, imported.version, "round trip of\n{xml}");
}

pub fn markdown(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        survives_akoma_ntoso(read_markdown(Path::new("fuzzed.md"), text, meta()));
    }
}

pub fn plain_text(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        survives_akoma_ntoso(read_plain_text(Path::new("fuzzed.txt"), text, meta()));
    }
}

pub fn akoma_ntoso(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        survives_akoma_ntoso(read_akoma_ntoso(Path::new("fuzzed.xml"), text, meta()));
    }
}
