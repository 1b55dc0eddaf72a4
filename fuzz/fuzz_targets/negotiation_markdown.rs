#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| passage_fuzz::negotiation_texts::markdown(data));
