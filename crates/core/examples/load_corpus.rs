//! Times reading a corpus folder (`corpus::load`: walking, parsing Markdown
//! and HTML, joining hard-wrapped lines), the part of the build that comes
//! before the index writer.
//!
//!     cargo run --release -p timkiem-core --example load_corpus -- /path/to/corpus

use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use timkiem_core::corpus;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = std::env::args_os().nth(1).map(PathBuf::from).ok_or("usage: load_corpus CORPUS_DIR")?;
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..3 {
        let started = Instant::now();
        let loaded = corpus::load(&dir)?;
        best = best.min(started.elapsed().as_secs_f64());
        last = Some(loaded);
    }
    let loaded = last.ok_or("no run")?;
    let bytes: usize = loaded.documents.iter().map(|d| d.title.len() + d.text.len()).sum();
    println!(
        "{} documents ({} skipped), {:.1} MB of text, loaded in {:.0} ms (best of 3)",
        loaded.documents.len(),
        loaded.skipped.len(),
        bytes as f64 / 1e6,
        best * 1e3
    );
    Ok(())
}
