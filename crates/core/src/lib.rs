//! # timkiem-core — search for text with diacritics, without wasm
//!
//! The whole of timkiem but its JS boundary, shared by `build.rs` (which
//! compiles the index) and the wasm crate (which answers queries), so that
//! index time and query time run the same code:
//!
//! - [`text`]: the one text pipeline (folding, tokenizing, marks);
//! - [`corpus`]: reading `.txt`, `.md` and `.html` files (feature `build`);
//! - [`write`] and [`Index`]: the index format, written and read;
//! - [`query`], [`Engine`] and [`snippet`]: queries, ranking and snippets.
//!
//! ```
//! use timkiem_core::{corpus::Document, write::write_index, Engine, Index, Options};
//! let docs = vec![Document {
//!     path: "dk.txt".into(),
//!     title: "Đan Mạch".into(),
//!     text: "Thủ đô của Đan Mạch là Copenhagen.".into(),
//! }];
//! let (bytes, _) = write_index(&docs)?;
//! let mut engine = Engine::new(Index::open(&bytes)?);
//! let hits = engine.search("dan mach", &Options::default()).hits;
//! assert!(hits[0].snippet.contains("Đan Mạch"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "build")]
pub mod corpus;
pub mod format;
mod fst_check;
pub mod fuzzy;
mod index;
mod order;
pub mod query;
mod score;
mod search;
pub mod snippet;
pub mod text;
#[cfg(feature = "build")]
pub mod write;

pub use format::FormatError;
pub use index::{DocInfo, Index, Posting, TermInfo};
pub use search::{
    DocumentHighlights, Engine, Hit, Options, Outcome, Results, MAX_FUZZY_TERMS, MAX_PREFIX_TERMS, POSTINGS_BUDGET,
};
