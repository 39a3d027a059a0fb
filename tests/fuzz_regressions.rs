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
/// header was recomputed to match — got past `Index::open`, and the `fst`
/// crate then panicked on the first stream over it (fst-0.4.7/src/bytes.rs:100,
/// `assertion failed: 1 <= nbytes && nbytes <= 8`, from `Index::prefix_range`).
/// `Index::open` now checks the whole fst structure (crates/core/src/fst_check.rs) and
/// refuses such bytes.
#[test]
fn index_fst_with_forged_checksum() {
    replay("index_fst", harness::index_fst);
}

/// As the crash in `tests/fuzz/index_fst` was made: every 4-byte window of
/// the small index's term dictionary zeroed, and the checksum fixed up. Each
/// is refused as a corrupt term dictionary, or opens and reads without a
/// panic.
#[test]
fn forged_fst_windows_are_refused_or_harmless() {
    use timkiem_core::format::{Header, Section};
    let base = harness::small_index();
    let fst = Header::from_bytes(base).unwrap().sections.range(Section::Fst);
    let (fst_at, fst_len) = (fst.start as u32, fst.len() as u32);
    let (mut refused, mut panicked) = (0, Vec::new());
    for at in fst_at..fst_at + fst_len - 3 {
        // The harness's input: flags 0 (the small index), then op 2: zero
        // the u32 at `at`.
        let mut input = vec![0, 2];
        input.extend_from_slice(&at.to_le_bytes());
        input.extend_from_slice(&[0; 4]);
        let (bytes, _) = harness::mutated(&input, true);
        match timkiem_core::Index::open(&bytes) {
            Err(timkiem_core::FormatError::Fst(_)) => refused += 1,
            Err(e) => panic!("zeroed u32 at {at}: {e}"),
            Ok(_) if catch_unwind(|| harness::index_fst(&input)).is_err() => panicked.push(at),
            Ok(_) => {}
        }
    }
    assert!(panicked.is_empty(), "zeroed u32s at {panicked:?} open and panic");
    assert!(refused > 0);
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
    assert!(timkiem_core::Index::open(harness::small_index()).is_ok());
}

/// Shards: genuine, truncated, raw, and forged with a matching shard table.
#[test]
fn shard() {
    replay("shard", harness::shard);
}
