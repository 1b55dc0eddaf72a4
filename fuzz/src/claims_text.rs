//! Checks of claim definitions: a TOML file of `[[claim]]` tables, and one line of the claims store
//! (JSON). An accepted definition must be writable back in both forms and read back unchanged,
//! since the store keeps claims as JSON lines and a claim file is edited and re-read as TOML.

use std::sync::OnceLock;

use passage_claims::{parse_claims, Claim};
use passage_indicators::Engine;
use serde::Serialize;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().expect("the built-in catalogue parses"))
}

#[derive(Serialize)]
struct ClaimFile<'a> {
    claim: &'a [Claim],
}

/// An accepted claim survives the store's JSON and a TOML file, unchanged.
fn survives_writing(claims: &[Claim]) {
    for c in claims {
        let line = serde_json::to_string(c).expect("a claim serialises");
        let back: Claim = serde_json::from_str(&line).unwrap_or_else(|e| {
            panic!(
                "claim `{}` as stored cannot be read back: {e}\n{line}",
                c.id
            )
        });
        assert_eq!(&back, c, "JSON round trip of `{}`", c.id);
    }
    let text = toml::to_string(&ClaimFile { claim: claims })
        .unwrap_or_else(|e| panic!("accepted claims cannot be written as TOML: {e}"));
    let again = parse_claims(&text, "written.toml", engine())
        .unwrap_or_else(|e| panic!("written claims are refused: {e}\n{text}"));
    assert_eq!(again, claims, "TOML round trip of\n{text}");
}

pub fn toml_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(claims) = parse_claims(text, "claims.toml", engine()) {
        survives_writing(&claims);
    }
}

pub fn json_line(data: &[u8]) {
    let Ok(claim) = serde_json::from_slice::<Claim>(data) else {
        return;
    };
    if claim.check(engine(), "claims.jsonl").is_ok() {
        survives_writing(&[claim]);
    }
}
