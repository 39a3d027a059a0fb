//! Compiles the corpus into the search index that the crate embeds.
//!
//! The corpus is `seeds/`, or the folder named by `TIMKIEM_CORPUS`. The text
//! pipeline, corpus reader and index writer come from `timkiem-core`, the
//! same crate the wasm answers queries with, so index time and query time
//! cannot disagree.

use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use timkiem_core::{corpus, write};

fn main() {
    if let Err(e) = try_main() {
        eprintln!("error: timkiem cannot build its search index: {e}");
        std::process::exit(1);
    }
}

fn try_main() -> Result<(), Box<dyn Error>> {
    let started = Instant::now();
    println!("cargo:rerun-if-env-changed=TIMKIEM_CORPUS");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let root = match std::env::var_os("TIMKIEM_CORPUS") {
        Some(dir) if !dir.is_empty() => manifest.join(dir),
        _ => manifest.join("seeds"),
    };
    println!("cargo:rerun-if-changed={}", root.display());
    let corpus = corpus::load(&root);
    // Watch what was read even when the build fails, so fixing a file rebuilds.
    let corpus = corpus?;
    for path in &corpus.watched {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    for skipped in &corpus.skipped {
        println!("cargo:warning=timkiem: skipped {}: {}", skipped.path.display(), skipped.reason);
    }
    for path in &corpus.untitled {
        println!("cargo:warning=timkiem: {} has no text of its own: indexed under its file name", path.display());
    }
    let (bytes, b) = write::write_index(&corpus.documents)?;
    // The wasm opens its embedded index with `Index::open_verified`, which
    // relies on this full check (the term dictionary's checksum and structure).
    timkiem_core::Index::open(&bytes)?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("index.bin");
    std::fs::write(&out, &bytes)?;
    // The summary: bench/run.mjs reads documents, terms, total and build_ms.
    let corpus = format!("{:?}", root.display().to_string());
    let ms = started.elapsed().as_millis();
    let json = format!("{{\"corpus\":{corpus},{},\"build_ms\":{ms}}}\n", b.json_members());
    std::fs::write(out.with_file_name("index-breakdown.json"), json)?;
    println!(
        "cargo:warning=timkiem: indexed {b} from {} in {:.1} s",
        root.display(),
        started.elapsed().as_secs_f32()
    );
    Ok(())
}
