#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| passage_fuzz::sources::datapackage(data));
