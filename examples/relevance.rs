//! Prints the top hits of the examples of issue 13 (relevance, part two),
//! over the embedded index (the seeds), for before/after comparisons.
//!
//!     cargo run --example relevance            # the examples
//!     cargo run --example relevance -- "q" …   # other queries
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use timkiem_core::{Engine, Index, Options};
use timkiem_testkit::bracket;

/// The examples, by item.
const EXAMPLES: &[&str] = &[
    // 1. VNI typed without an input method; numbers keep working.
    "tie61ng vie65t",
    "d9o6ng a1",
    "tieng61 viet65",
    "nha65t ba3n",
    "2023",
    "31/01",
    "G7",
    // 2. Syllables typed run together.
    "vanphong",
    "thutuong",
    "lienminhbacdaitayduong",
    "#thutuong",
    "vanphong.vn",
    // 3. Adjacency while the last word is typed, at every keystroke.
    "van phong l",
    "van phong li",
    "van phong lie",
    "thu tuong n",
    // 4. Exact spellings first, their one-edit variants after.
    "stoltenberg",
    "kishida",
    // 6. Spelling confusions as one edit.
    "xử dụng",
    "chung quốc",
    "dữa",
    "lăm 2022",
    "lhật bản",
    // 7. Did you mean; the marked spelling a plain query matches.
    "nhat bam tokyoo",
    "stoltenbergg",
    "nhat ban",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut engine = Engine::new(Index::open(timkiem::EMBEDDED_INDEX)?);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let queries: Vec<&str> =
        if args.is_empty() { EXAMPLES.to_vec() } else { args.iter().map(String::as_str).collect() };
    for query in queries {
        let results = engine.search(query, &Options { limit: 5, ..Options::default() });
        println!("{query:?}: {} documents{}", results.total, extra(&results));
        for hit in &results.hits {
            let marked = bracket(&hit.snippet, &hit.highlights);
            let marked: String = marked.chars().take(110).collect();
            println!("  #{} {:.2} {}\n      {}", hit.id, hit.score, bracket(&hit.title, &hit.title_highlights), marked);
        }
    }
    Ok(())
}

/// The suggestion and interpretation, where the engine gives them.
fn extra(results: &timkiem_core::Results) -> String {
    let mut out = String::new();
    if let Some(s) = &results.suggestion {
        out.push_str(&format!(", did you mean {s:?}"));
    }
    if let Some(i) = &results.interpretation {
        out.push_str(&format!(", results for {i:?}"));
    }
    out
}
