//! Integration tests of the store: releases on disk, activation, diff, and the query engine on real
//! data and on generated tables.

mod differential;
mod fixtures;
mod query_properties;
mod query_real;
mod release_transfer;
mod releases;
