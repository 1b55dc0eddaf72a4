//! The cost of diffing two versions of the whole GCM text of `../shared/data` (23 objectives, 190
//! actions): the adopted text against a copy with an action moved, one reworded, one removed and one
//! added. Target: under 10 ms. Run with `cargo bench -p passage-negotiation --bench diff`.

use std::path::Path;

use passage_negotiation::{
    diff_versions, read_version_file, DocumentId, Part, Version, VersionMeta,
};

fn adopted() -> Version {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/negotiation/gcm_objectives_actions_2018.md");
    let meta = VersionMeta {
        document: DocumentId::parse("gcm").expect("id"),
        label: "adopted".into(),
        date: None,
        source: None,
        licence: None,
    };
    read_version_file(&file, meta)
        .expect("the shared GCM file reads")
        .version
}

fn edited(base: &Version) -> Version {
    let mut v = base.clone();
    v.meta.label = "edited".into();
    let moved: Part = v.parts[2].children.remove(1);
    v.parts[4].children.push(moved);
    v.parts[7].children[0]
        .text
        .push_str(" and report on progress every two years");
    v.parts[10].children.remove(3);
    let id = v.parts[12].id.child("action", "zz").expect("id");
    let added = Part {
        id,
        text: "Establish a new fund for the purposes of this objective.".into(),
        ..v.parts[12].children[0].clone()
    };
    v.parts[12].children.push(added);
    v
}

fn main() {
    divan::main();
}

#[divan::bench]
fn diff_whole_gcm(bencher: divan::Bencher) {
    let a = adopted();
    let b = edited(&a);
    bencher.bench(|| diff_versions(divan::black_box(&a), divan::black_box(&b)));
}

#[divan::bench]
fn diff_whole_gcm_with_itself(bencher: divan::Bencher) {
    let a = adopted();
    bencher.bench(|| diff_versions(divan::black_box(&a), divan::black_box(&a)));
}
