//! Compiles the corpus into the search index that the crate embeds.
//!
//! The corpus is `seeds/`, or the folder named by `TIMKIEM_CORPUS`. The text
//! pipeline, corpus reader and index writer come from `timkiem-core`, the
//! same crate the wasm answers queries with, so index time and query time
//! cannot disagree.
//!
//! `TIMKIEM_LAYOUT` picks the layout: `embedded` (everything in the wasm),
//! `split` (postings and documents in shard files, written to
//! `OUT_DIR/shards/`, which `scripts/build-pkg.sh` copies to `pkg/shards/`),
//! or `auto`, the default: split when the embedded index would be larger
//! than [`AUTO_SPLIT_BYTES`].

use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use timkiem_core::write::{self, SplitOptions};
use timkiem_core::{corpus, format::Layout};

/// `auto` splits an index larger than this (raw bytes; see README, "The
/// split layout"): below it, one file with no further request is both
/// smaller and faster than a split index's first payload.
const AUTO_SPLIT_BYTES: usize = 1 << 20;

fn main() {
    if let Err(e) = try_main() {
        eprintln!("error: timkiem cannot build its search index: {e}");
        std::process::exit(1);
    }
}

fn try_main() -> Result<(), Box<dyn Error>> {
    let started = Instant::now();
    println!("cargo:rerun-if-env-changed=TIMKIEM_CORPUS");
    println!("cargo:rerun-if-env-changed=TIMKIEM_LAYOUT");
    let wanted = match std::env::var("TIMKIEM_LAYOUT").as_deref() {
        Ok("embedded") => Some(Layout::Embedded),
        Ok("split") => Some(Layout::Split),
        Ok("auto") | Ok("") | Err(_) => None,
        Ok(other) => return Err(format!("TIMKIEM_LAYOUT must be embedded, split or auto, not {other:?}").into()),
    };
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
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let shard_dir = out_dir.join("shards");
    if shard_dir.exists() {
        std::fs::remove_dir_all(&shard_dir)?;
    }
    // An index holds its documents' strings: a corpus of more string bytes
    // than the threshold splits without building the embedded index first.
    let strings: usize = corpus.documents.iter().map(|d| d.title.len() + d.path.len() + d.text.len()).sum();
    let embedded = match wanted {
        Some(Layout::Split) => None,
        None if strings > AUTO_SPLIT_BYTES => None,
        _ => Some(write::write_index(&corpus.documents)?),
    };
    let (bytes, b, layout) = match embedded {
        Some((bytes, b)) if wanted.is_some() || bytes.len() <= AUTO_SPLIT_BYTES => (bytes, b, Layout::Embedded),
        _ => {
            let split = write::write_split(&corpus.documents, &SplitOptions::default())?;
            std::fs::create_dir_all(&shard_dir)?;
            for shard in &split.shards {
                std::fs::write(shard_dir.join(shard.entry.file_name()), &shard.bytes)?;
            }
            (split.index, split.breakdown, Layout::Split)
        }
    };
    // The wasm opens its embedded index with `Index::open_verified`, which
    // relies on this full check (the term dictionary's checksum and structure).
    timkiem_core::Index::open(&bytes)?;
    let out = out_dir.join("index.bin");
    std::fs::write(&out, &bytes)?;
    // The summary: bench/run.mjs reads documents, terms, total and build_ms.
    let corpus = format!("{:?}", root.display().to_string());
    let ms = started.elapsed().as_millis();
    let json =
        format!("{{\"corpus\":{corpus},\"layout\":\"{}\",{},\"build_ms\":{ms}}}\n", layout.name(), b.json_members());
    std::fs::write(out.with_file_name("index-breakdown.json"), json)?;
    println!(
        "cargo:warning=timkiem: indexed {b} ({} layout) from {} in {:.1} s",
        layout.name(),
        root.display(),
        started.elapsed().as_secs_f32()
    );
    Ok(())
}
