//! Small source directories written by the tests, and the shared data.

use std::path::{Path, PathBuf};

pub const POPULATION: &str = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n\
2023,Syrian Arab Rep.,SYR,SYR,Turkiye,TUR,TUR,3200000,100000,0,0,0,400,0,,0\n\
2024,Syrian Arab Rep.,SYR,SYR,Turkiye,TUR,TUR,2940735,154083,0,0,0,420,0,,0\n\
2024,Afghanistan,AFG,AFG,Austria,AUS,AUT,40000,5000,0,0,0,0,0,,0\n\
2024,Afghanistan,AFG,AFG,Australia,AUL,AUS,10000,2000,0,0,0,0,0,5,0\n";

pub const COUNTRIES: &str =
    "iso_code,unhcr_code,name,unhcr_region,unsd_region,unsd_subregion,unsd_imregion\n\
AFG,AFG,Afghanistan,Asia and the Pacific,Asia,Southern Asia,\n\
AUS,AUL,Australia,Asia and the Pacific,Oceania,Australia and New Zealand,\n\
AUT,AUS,Austria,Europe,Europe,Western Europe,\n\
SYR,SYR,Syrian Arab Rep.,Middle East and North Africa,Asia,Western Asia,\n\
TUR,TUR,Turkiye,Europe,Asia,Western Asia,\n";

/// Writes a source directory with the given population file and the country list.
pub fn source_dir(population: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("population.csv"), population).unwrap();
    std::fs::write(dir.path().join("countries.csv"), COUNTRIES).unwrap();
    dir
}

pub fn import(dir: &Path) -> passage_datasets::Imported {
    passage_datasets::import_dir(dir, &Default::default(), &|_| {}).unwrap()
}

pub fn shared_data() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    assert!(
        p.join("README.md").exists(),
        "the shared data is expected at {}",
        p.display()
    );
    p
}
