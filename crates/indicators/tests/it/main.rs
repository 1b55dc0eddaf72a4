//! Integration tests of the indicators on the real data: every figure is checked against a value
//! computed here straight from the published CSV files, not through the store or the engine.

mod real_data;
mod source_csv;
