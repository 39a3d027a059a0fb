//! Runs queries against the embedded index and prints the top hits.
//!
//!     cargo run --example query -- "nhat ban" "dan mach"
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[cfg(not(target_arch = "wasm32"))]
use timkiem_core::{Engine, Index, Options};
#[cfg(not(target_arch = "wasm32"))]
use timkiem_testkit::bracket;

// timkiem-testkit is a native dev-dependency, and `cargo test --target
// wasm32-unknown-unknown` (wasm-pack test) still builds the examples.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut engine = Engine::new(Index::open(timkiem::EMBEDDED_INDEX)?);
    for query in std::env::args().skip(1) {
        let results = engine.search(&query, &Options { limit: 3, ..Options::default() });
        println!("{query:?}: {} documents", results.total);
        for hit in &results.hits {
            let marked = bracket(&hit.snippet, &hit.highlights);
            println!("  #{} {:.2} {}\n      {}", hit.id, hit.score, bracket(&hit.title, &hit.title_highlights), marked);
        }
    }
    Ok(())
}
