//! # timkiem — in-browser search for text with diacritics
//!
//! `build.rs` compiles a corpus into a compact index (an [`fst`] term
//! dictionary, positional postings, spelling variants and the documents'
//! text), which the crate embeds as [`EMBEDDED_INDEX`]. The [`Engine`] answers
//! diacritic-insensitive, typo-tolerant prefix queries over it, with ranking,
//! snippets and highlights. The `wasm` module is the thin JS boundary.
//!
//! ```
//! use timkiem::{Engine, Index, Options};
//! let mut engine = Engine::new(Index::open(timkiem::EMBEDDED_INDEX)?);
//! let hits = engine.search("dan mach", &Options::default()).hits;
//! assert!(hits[0].snippet.contains("Đan Mạch"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(not(target_arch = "wasm32"))]
pub mod corpus;
pub mod format;
mod fst_check;
mod fuzzy;
mod index;
mod order;
pub mod query;
mod score;
mod search;
pub mod snippet;
pub mod text;
mod wasm;
#[cfg(not(target_arch = "wasm32"))]
pub mod write;

pub use format::FormatError;
pub use index::{DocInfo, Index, Posting, TermInfo};
pub use search::{Engine, Hit, Options, Results, MAX_FUZZY_TERMS, MAX_PREFIX_TERMS, POSTINGS_BUDGET};
pub use wasm::*;

/// The index `build.rs` compiled from the corpus.
pub static EMBEDDED_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/index.bin"));
