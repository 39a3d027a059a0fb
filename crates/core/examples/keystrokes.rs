//! Runs the browser bench's keystroke workload over a corpus folder natively,
//! for profiling one stage at a time (`valgrind --tool=callgrind
//! --toggle-collect='*Engine*search*'`): indexes the corpus in memory, times
//! [`Index::open`] against [`Index::open_verified`], then searches every
//! keystroke once and prints the mean time and the hits' JSON-free size.
//!
//!     cargo run --release -p timkiem-core --example keystrokes -- /path/to/corpus [PHRASES]

use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use timkiem_core::text::{fold, tokenize};
use timkiem_core::{corpus, write, Engine, Index, Options};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args_os().skip(1);
    let dir = args.next().map(PathBuf::from).ok_or("usage: keystrokes CORPUS_DIR [PHRASES]")?;
    let phrases: usize = args.next().and_then(|n| n.into_string().ok()).map_or(Ok(150), |n| n.parse())?;
    let docs = corpus::load(&dir)?.documents;
    let (bytes, _) = write::write_index(&docs)?;
    let t = Instant::now();
    Index::open(&bytes)?;
    let checked = t.elapsed();
    let t = Instant::now();
    let index = Index::open_verified(&bytes)?;
    println!("open {checked:?}, open_verified {:?}", t.elapsed());

    // The bench's workload: prefixes (2+ chars) of sampled 1–3 word phrases, half folded.
    let mut lcg = timkiem_testkit::JsLcg::new(42);
    let mut keystrokes = Vec::new();
    let mut sampled = 0;
    while sampled < phrases && !docs.is_empty() {
        let text = docs.get(lcg.below(docs.len())).map_or("", |d| d.text.as_str());
        let words: Vec<&str> =
            tokenize(text).filter_map(|t| text.get(t.span())).filter(|w| w.chars().count() > 1).collect();
        if words.len() < 3 {
            continue;
        }
        let i = lcg.below(words.len() - 3);
        let n = 1 + lcg.below(3);
        let mut q = words.get(i..i + n).unwrap_or_default().join(" ").to_lowercase();
        if lcg.uniform() < 0.5 {
            q = fold(&q);
        }
        let ends: Vec<usize> = q.char_indices().map(|(i, c)| i + c.len_utf8()).skip(1).collect();
        keystrokes
            .extend(ends.into_iter().filter_map(|end| q.get(..end)).filter(|k| !k.ends_with(' ')).map(String::from));
        sampled += 1;
    }
    let mut engine = Engine::new(index);
    let options = Options::default();
    let (mut hits, mut chars) = (0usize, 0usize);
    let t = Instant::now();
    for q in &keystrokes {
        let r = engine.search(q, &options);
        hits += r.hits.len();
        chars += r.hits.iter().map(|h| h.snippet.len() + h.title.len()).sum::<usize>();
    }
    let n = keystrokes.len().max(1) as f64;
    println!(
        "{} keystrokes, mean {:.1} µs, {:.1} hits and {:.0} bytes of titles and snippets per keystroke",
        keystrokes.len(),
        t.elapsed().as_secs_f64() * 1e6 / n,
        hits as f64 / n,
        chars as f64 / n
    );
    Ok(())
}
