//! Which shards a keystroke workload fetches from a split index, for
//! choosing shard sizes by measuring (README, "The split layout").
//!
//!     cargo run --release --example split_workload -- CORPUS KEYSTROKES OUT_DIR [POSTINGS_KB DOCS_KB]...
//!
//! KEYSTROKES has one query a line (as the peers benchmark types them, each
//! asked with limit 10). For each pair of sizes, writes the split index to
//! OUT_DIR/<p>-<d>/index.bin and the shards fetched (first keystroke, then
//! the whole workload) to OUT_DIR/<p>-<d>/{first,all}.txt, one file path a
//! line, and prints their counts by kind, and how many keystrokes waited on
//! a fetch. With SPLIT_WORKLOAD_SLOW set, also names each keystroke that
//! took three rounds or more.
//!
//! PREFETCH=docs, postings or both simulates prefetching after each
//! keystroke's answer (the prefetched shards count as fetched, not as
//! waits): `docs`, the documents of the next page of hits; `postings`, the
//! postings shards of the last word's completions when they span at most 4
//! shards (a common prefix typed alone reads its best list, not them).
//!
//! VISITORS=1 has each phrase typed by a new visitor (a fresh index, as a
//! fresh page has) and prints the waits and shard bytes per visitor.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    use std::collections::BTreeSet;
    use std::path::PathBuf;
    use timkiem_core::format::ShardKind;
    use timkiem_core::write::{write_split, SplitOptions};
    use timkiem_core::{corpus, Engine, Index, Options, Outcome};

    let args: Vec<String> = std::env::args().skip(1).collect();
    let [corpus_dir, keys, out, sizes @ ..] = args.as_slice() else {
        return Err("usage: split_workload CORPUS KEYSTROKES OUT_DIR [POSTINGS_KB DOCS_KB]...".into());
    };
    let docs = corpus::load(&PathBuf::from(corpus_dir))?.documents;
    let keys: Vec<String> = std::fs::read_to_string(keys)?.lines().map(String::from).collect();
    for pair in sizes.chunks(2) {
        let [p, d] = pair else { break };
        let options = SplitOptions {
            postings_shard_bytes: p.parse::<usize>()? << 10,
            docs_shard_bytes: d.parse::<usize>()? << 10,
            ..SplitOptions::default()
        };
        let t = std::time::Instant::now();
        let split = write_split(&docs, &options)?;
        let built = t.elapsed();
        let dir = PathBuf::from(out).join(format!("{p}-{d}"));
        std::fs::create_dir_all(dir.join("shards"))?;
        std::fs::write(dir.join("index.bin"), &split.index)?;
        let mut engine = Engine::new(Index::open(&split.index)?);
        let mut fetched: Vec<u32> = Vec::new();
        let mut first = 0;
        let mut rounds = Vec::new();
        let mut warm = Vec::new();
        let (mut prefetched, mut waited) = (0usize, 0usize);
        // VISITORS: each phrase is typed by a new visitor (a fresh page):
        // what a visitor fetches and waits for, not a long session's.
        let visitors = std::env::var_os("VISITORS").is_some();
        let (mut visitor_bytes, mut visitor_count) = (0usize, 0usize);
        for (i, q) in keys.iter().enumerate() {
            let new_phrase = i == 0 || !q.starts_with(keys[i - 1].as_str());
            if visitors && new_phrase {
                engine = Engine::new(Index::open(&split.index)?);
                visitor_count += 1;
            }
            let before = fetched.len();
            let mut r = 0;
            loop {
                let t = std::time::Instant::now();
                match engine.query(q, &Options { limit: 10, ..Options::default() }) {
                    Outcome::Ready(_) => {
                        warm.push(t.elapsed().as_secs_f64() * 1e6);
                        break;
                    }
                    Outcome::Need(need) => {
                        r += 1;
                        for n in need {
                            engine.add_shard(n, &split.shards[n as usize].bytes)?;
                            fetched.push(n);
                        }
                    }
                }
            }
            let mode = std::env::var("PREFETCH").unwrap_or_default();
            let mut pre: Vec<u32> = Vec::new();
            if mode.contains("docs") {
                for _ in 0..4 {
                    match engine.query(q, &Options { limit: 10, offset: 10, ..Options::default() }) {
                        Outcome::Ready(_) => break,
                        Outcome::Need(need) => {
                            for n in need {
                                engine.add_shard(n, &split.shards[n as usize].bytes)?;
                                pre.push(n);
                            }
                        }
                    }
                }
            }
            if mode.contains("postings") {
                let last = timkiem_core::text::fold(q.rsplit(' ').next().unwrap_or(""));
                if !last.is_empty() && !q.ends_with(' ') {
                    let (lo, hi) = engine.index().prefix_range(&last);
                    if lo < hi {
                        let a = engine.index().shard_of_term(lo).unwrap_or(0);
                        let b = engine.index().shard_of_term(hi - 1).unwrap_or(0);
                        if b - a < 4 {
                            for n in a..=b {
                                if !engine.index().has_shard(n) {
                                    engine.add_shard(n, &split.shards[n as usize].bytes)?;
                                    pre.push(n);
                                }
                            }
                        }
                    }
                }
            }
            prefetched += pre.len();
            fetched.extend(pre);
            if r > 0 {
                waited += 1;
            }
            let gz: usize = fetched[before..].iter().map(|&n| split.shards[n as usize].bytes.len()).sum();
            visitor_bytes += gz;
            if r >= 3 && std::env::var_os("SPLIT_WORKLOAD_SLOW").is_some() {
                eprintln!("{r} rounds: {q:?}");
            }
            rounds.push(r);
            if i == 0 {
                first = fetched.len();
            }
        }
        eprintln!("waited on {waited} of {} keystrokes; prefetched {prefetched} shards", keys.len());
        if visitors {
            eprintln!(
                "{visitor_count} visitors: {:.1} waits and {:.0} KB of shards (raw) each",
                waited as f64 / visitor_count.max(1) as f64,
                visitor_bytes as f64 / 1e3 / visitor_count.max(1) as f64
            );
        }
        let list = |name: &str, shards: &[u32]| -> std::io::Result<()> {
            let mut text = String::new();
            for &n in shards {
                let s = &split.shards[n as usize];
                let path = dir.join("shards").join(s.entry.file_name());
                std::fs::write(&path, &s.bytes)?;
                text.push_str(&format!("{}\n", path.display()));
            }
            std::fs::write(dir.join(name), text)
        };
        list("first.txt", &fetched[..first])?;
        list("all.txt", &fetched)?;
        warm.sort_by(f64::total_cmp);
        let pct = |p: f64| warm.get(((warm.len() as f64 * p) as usize).min(warm.len().saturating_sub(1))).copied();
        println!(
            "native keystroke with its shards loaded: p50 {:.0} µs, p99 {:.0} µs",
            pct(0.5).unwrap_or(0.0),
            pct(0.99).unwrap_or(0.0)
        );
        let kinds: BTreeSet<(ShardKind, u32)> =
            fetched.iter().map(|&n| (split.shards[n as usize].entry.kind, n)).collect();
        let [postings, docs, bitmaps] = ShardKind::ALL.map(|kind| kinds.iter().filter(|(k, _)| *k == kind).count());
        println!(
            "{p} KiB / {d} KiB: {} shards ({postings} postings, {docs} docs, {bitmaps} bitmaps) of {}; first keystroke {first}; rounds max {} mean {:.2}; index {} bytes; built in {:.1} s",
            fetched.len(),
            split.shards.len(),
            rounds.iter().max().unwrap_or(&0),
            rounds.iter().sum::<usize>() as f64 / rounds.len().max(1) as f64,
            split.index.len(),
            built.as_secs_f32()
        );
    }
    Ok(())
}
