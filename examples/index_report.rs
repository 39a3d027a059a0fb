//! What an index's parts cost, and what they could cost at best: for the
//! compactness target of the index ("without text, under the gzip of the raw
//! corpus"). `scripts/index-report.py` runs it and adds the gzip sizes.
//!
//!     cargo run --release --example index_report -- CORPUS OUT_DIR
//!
//! Writes each section of the index of CORPUS to OUT_DIR/<section>.bin,
//! named as `format::Section::name` names it, the section names in layout
//! order to OUT_DIR/sections.txt (one a line), the raw corpus files, concatenated, to OUT_DIR/corpus.raw; writes the term
//! dictionary as an `fst::Set` (no values) to OUT_DIR/fst-set.bin; and prints
//! the positions' size as coded and their combinatorial lower bound,
//! Σ log2 C(span, tf) over every (term, document).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    use fst::Streamer;
    use std::path::{Path, PathBuf};
    use timkiem_core::format::{Header, Section};
    use timkiem_core::{corpus, write, Index};

    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: index_report CORPUS OUT_DIR")?);
    let out = PathBuf::from(args.next().ok_or("usage: index_report CORPUS OUT_DIR")?);
    std::fs::create_dir_all(&out)?;
    let loaded = corpus::load(&dir)?;
    let (bytes, _) = write::write_index(&loaded.documents)?;
    let header = Header::from_bytes(&bytes)?;
    let mut names = String::new();
    for section in Section::ALL {
        std::fs::write(out.join(format!("{}.bin", section.name())), header.sections.slice(&bytes, section))?;
        names.push_str(section.name());
        names.push('\n');
    }
    std::fs::write(out.join("sections.txt"), names)?;
    let mut raw = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(p.extension().and_then(|x| x.to_str()), Some("txt" | "md" | "html")) {
                files.push(p);
            }
        }
    }
    files.sort();
    for f in &files {
        raw.extend_from_slice(&std::fs::read(f)?);
    }
    std::fs::write(out.join("corpus.raw"), &raw)?;

    let index = Index::open(&bytes)?;
    let mut set = fst::SetBuilder::memory();
    let mut keys = index.fst().stream();
    while let Some((key, _)) = keys.next() {
        set.insert(key)?;
    }
    std::fs::write(out.join("fst-set.bin"), set.into_inner()?)?;

    let log2_choose =
        |n: u32, k: u32| -> f64 { (1..=k).map(|i| (f64::from(n - k + i) / f64::from(i)).log2()).sum::<f64>() };
    let (mut postings, mut positions, mut bound_bits) = (0u64, 0u64, 0f64);
    for n in 0..index.term_count() {
        for p in index.postings(n) {
            let (title, body) = index.doc_lengths(p.doc).unwrap();
            let span = title + 1 + body;
            postings += 1;
            positions += u64::from(p.tf());
            bound_bits += log2_choose(span, p.tf().min(span));
        }
    }
    let path = |p: &Path| p.display().to_string();
    println!(
        "corpus {} ({} files, {} documents, {} terms)",
        path(&dir),
        files.len(),
        index.documents(),
        index.term_count()
    );
    println!("postings {postings}, positions {positions}");
    println!("positions_bound_bytes {:.0}", bound_bits / 8.0);
    Ok(())
}
