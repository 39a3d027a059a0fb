//! Replays the fuzz targets' inputs natively, through the very checks the
//! fuzz targets run (`fuzz/src/lib.rs`, included below): the crashes the
//! fuzzer found (`tests/fuzz/<target>/*`, minimised) and the seed inputs
//! (`fuzz/seeds/<target>/*`). So `cargo test` keeps every crash fixed, even
//! where cargo-fuzz and nightly are not installed.
//!
//! To add a crash: minimise it (`cargo fuzz tmin <target> <artifact>`) and
//! copy it to `tests/fuzz/<target>/<name>`.
#![cfg(not(target_arch = "wasm32"))]
// The harness is shared with the fuzz crate, which the library's no-panic
// lints do not cover; here it is test code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod harness;

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Every file in `tests/fuzz/<target>/` and `fuzz/seeds/<target>/`, sorted.
fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [root.join("tests/fuzz").join(target), root.join("fuzz/seeds").join(target)] {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        let mut found: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
        found.sort();
        files.extend(found);
    }
    files
}

/// Runs `check` on every input of `target`, then fails naming each input
/// that panicked (the panic messages are printed as they happen).
fn replay(target: &str, check: fn(&[u8])) {
    let files = inputs(target);
    assert!(!files.is_empty(), "no inputs for fuzz target {target}");
    let failed: Vec<String> = files
        .iter()
        .filter(|path| {
            let bytes = fs::read(path).unwrap();
            catch_unwind(AssertUnwindSafe(|| check(&bytes))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(failed.is_empty(), "{} of {} inputs of fuzz target {target} fail: {failed:#?}", failed.len(), files.len());
}

#[test]
fn query() {
    replay("query", harness::query);
}

#[test]
fn text() {
    replay("text", harness::text);
}

#[test]
fn index() {
    replay("index", harness::index);
}

#[test]
fn index_mutate() {
    replay("index_mutate", harness::index_mutate);
}

/// A crafted index — a corrupt term dictionary whose FNV-1a checksum in the
/// header was recomputed to match — gets past `Index::open`, and the `fst`
/// crate then panics on the first stream over it (fst-0.4.7/src/bytes.rs:100,
/// `assertion failed: 1 <= nbytes && nbytes <= 8`, from `Index::prefix_range`
/// in src/index.rs, or from the fuzzy search's stream). Accidental
/// corruption is caught by the checksum; only deliberately forged bytes get
/// here. Ignored until the project decides whether `Index::open` must
/// validate the whole FST: `cargo test --test fuzz_regressions -- --ignored`.
#[test]
#[ignore = "known: the fst crate panics on a corrupt FST whose checksum was forged"]
fn index_fst_with_forged_checksum() {
    replay("index_fst", harness::index_fst);
}

/// The seed of the `index` target is a small index written with the current
/// format (the embedded index is added to the corpus by scripts/fuzz-smoke.sh).
/// Rewrite it after a format change with
/// `cargo test --test fuzz_regressions -- --ignored write_index_seed`.
#[test]
#[ignore = "writes fuzz/seeds/index/small.idx"]
fn write_index_seed() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/index/small.idx");
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, harness::small_index()).unwrap();
}

#[test]
fn small_index_opens() {
    assert!(timkiem::Index::open(harness::small_index()).is_ok());
}
