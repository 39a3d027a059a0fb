//! Runs queries against the embedded index and prints the top hits.
//!
//!     cargo run --example query -- "nhat ban" "dan mach"
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use timkiem_core::{Engine, Index, Options};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut engine = Engine::new(Index::open(timkiem::EMBEDDED_INDEX)?);
    for query in std::env::args().skip(1) {
        let results = engine.search(&query, &Options { limit: 3, ..Options::default() });
        println!("{query:?}: {} documents", results.total);
        for hit in &results.hits {
            let marked = mark(&hit.snippet, &hit.highlights);
            println!("  #{} {:.2} {}\n      {}", hit.id, hit.score, mark(&hit.title, &hit.title_highlights), marked);
        }
    }
    Ok(())
}

/// Wraps highlighted UTF-16 ranges in [brackets].
fn mark(text: &str, ranges: &[[u32; 2]]) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut out = Vec::new();
    let mut at = 0;
    for &[s, e] in ranges {
        let (s, e) = (s as usize, e as usize);
        out.extend_from_slice(units.get(at..s).unwrap_or(&[]));
        out.push(u16::from(b'['));
        out.extend_from_slice(units.get(s..e).unwrap_or(&[]));
        out.push(u16::from(b']'));
        at = e;
    }
    out.extend_from_slice(units.get(at..).unwrap_or(&[]));
    String::from_utf16_lossy(&out)
}
