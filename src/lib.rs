//! # timkiem — in-browser search for text with diacritics
//!
//! The wasm crate: `build.rs` compiles the corpus with [`timkiem_core`] into
//! an index (an [`fst`](https://docs.rs/fst) term dictionary, positional
//! postings, spelling variants and the documents' text), which this crate
//! embeds as [`EMBEDDED_INDEX`] and serves to JavaScript through the thin
//! boundary in `boundary.rs`: typed functions that return JSON texts
//! (`json.rs`), wrapped for JavaScript by `www/timkiem.js`.

mod boundary;
mod json;
pub use boundary::*;

/// The index `build.rs` compiled from the corpus.
pub static EMBEDDED_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/index.bin"));
