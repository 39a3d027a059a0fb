//! The split layout: the same answers as the embedded layout once the
//! shards asked for are given, in few rounds, each shard asked for once;
//! and shard bytes that are not the ones the index expects are refused.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::path::Path;

use timkiem_core::corpus::{self, Document};
use timkiem_core::format::shards::with_shard_entry;
use timkiem_core::format::{get_u32, Header, Layout, Section, ShardHeader, ShardKind, ShardMismatch};
use timkiem_core::text::tokenize;
use timkiem_core::write::{write_index, write_split, SplitIndex, SplitOptions};
use timkiem_core::{Engine, FormatError, Index, Options, Outcome, Results};
use timkiem_testkit::Rng;

fn seeds() -> Vec<Document> {
    corpus::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).unwrap().documents
}

/// A corpus with heavy prefixes ("n", "ng", …) over a small vocabulary,
/// plus the seeds' words so that typos and telex find something.
fn heavy_corpus() -> Vec<Document> {
    const VOCAB: [&str; 16] = [
        "nguyễn", "người", "ngày", "nghe", "nghĩa", "ngoài", "nhật", "bản", "bạn", "hà", "nội", "tôi", "và", "của",
        "một", "kinh",
    ];
    let mut rng = Rng::new(11);
    let seed_words: Vec<String> = seeds()
        .iter()
        .flat_map(|d| tokenize(&d.text).map(|t| d.text[t.span()].to_string()).collect::<Vec<_>>())
        .collect();
    (0..700)
        .map(|i| {
            let word = |rng: &mut Rng| {
                if rng.below(3) == 0 {
                    seed_words[rng.below(seed_words.len())].clone()
                } else {
                    VOCAB[rng.below(VOCAB.len())].to_string()
                }
            };
            let title = (0..2).map(|_| word(&mut rng)).collect::<Vec<_>>().join(" ");
            let n = 5 + rng.below(60);
            let text = (0..n).map(|_| word(&mut rng)).collect::<Vec<_>>().join(" ") + ".";
            Document { path: format!("{i:03}.txt"), title, text }
        })
        .collect()
}

/// Runs `query` over the split index the way the JS loop does: ask, add
/// the shards asked for, ask again. Checks that no shard is asked for twice
/// and gives the results and the number of rounds that fetched.
fn query_split(engine: &mut Engine<'_>, split: &'static SplitIndex, q: &str, options: &Options) -> (Results, usize) {
    let mut rounds = 0;
    loop {
        match engine.query(q, options) {
            Outcome::Ready(results) => return (results, rounds),
            Outcome::Need(shards) => {
                assert!(!shards.is_empty());
                for n in shards {
                    assert!(!engine.index().has_shard(n), "{q:?}: shard {n} asked for again");
                    engine.add_shard(n, &split.shards[n as usize].bytes).unwrap();
                }
                rounds += 1;
                assert!(rounds <= 4, "{q:?}: too many rounds");
            }
        }
    }
}

fn leak<T>(v: T) -> &'static T {
    Box::leak(Box::new(v))
}

/// The queries: every prefix of a sample of the corpus's words and of
/// two-word phrases, typos, telex, phrases, and hostile ones.
fn queries(docs: &[Document], rng: &mut Rng, n: usize) -> Vec<String> {
    let mut out: Vec<String> = [
        "n",
        "ng",
        "ngu",
        "t",
        "nhaajt banr",
        "\"ha noi\"",
        "stoltenbreg",
        "kinhh ",
        "",
        "  ",
        "zzzz",
        "ban ng",
        "bạn",
    ]
    .map(String::from)
    .to_vec();
    for _ in 0..n {
        let d = &docs[rng.below(docs.len())];
        let words: Vec<&str> = tokenize(&d.text).map(|t| &d.text[t.span()]).collect();
        if words.is_empty() {
            continue;
        }
        let at = rng.below(words.len());
        let phrase = words[at..(at + 1 + rng.below(2)).min(words.len())].join(" ");
        let chars: Vec<char> = phrase.chars().collect();
        for k in 1..=chars.len() {
            out.push(chars[..k].iter().collect());
        }
    }
    out
}

fn agree(docs: &[Document], options_split: &SplitOptions, queries_n: usize, seed: u64) {
    let (embedded, _) = write_index(docs).unwrap();
    let split = leak(write_split(docs, options_split).unwrap());
    assert!(split.shards.len() > 2, "the test wants several shards, got {}", split.shards.len());
    let mut whole = Engine::new(Index::open(&embedded).unwrap());
    let mut parts = Engine::new(Index::open(&split.index).unwrap());
    assert_eq!(parts.index().layout(), Layout::Split);
    let mut rng = Rng::new(seed);
    let all_options = [
        Options::default(),
        Options { limit: 3, offset: 2, ..Options::default() },
        Options { fuzzy: false, telex: false, limit: 50, ..Options::default() },
        Options { exact_diacritics: true, ..Options::default() },
    ];
    let mut max_rounds = 0;
    for q in queries(docs, &mut rng, queries_n) {
        for options in &all_options {
            let expected = whole.search(&q, options);
            let (got, rounds) = query_split(&mut parts, split, &q, options);
            assert_eq!(got, expected, "query {q:?} {options:?}");
            max_rounds = max_rounds.max(rounds);
            assert_eq!(parts.try_count(&q, options), Outcome::Ready(expected.total), "count {q:?}");
        }
    }
    // A cold query takes at most: its postings, then its hits' documents
    // (and the positions of heavy best lists' entries).
    assert!(max_rounds <= 3, "{max_rounds} rounds");
}

#[test]
fn seeds_give_the_same_hits_in_both_layouts() {
    let tiny = SplitOptions {
        postings_shard_bytes: 512,
        docs_shard_bytes: 2048,
        bitmap_shard_bytes: 1,
        max_docs_shards: 16_384,
    };
    agree(&seeds(), &tiny, 60, 1);
    agree(
        &seeds(),
        &SplitOptions { postings_shard_bytes: 1, docs_shard_bytes: 1, bitmap_shard_bytes: 1, max_docs_shards: 16_384 },
        20,
        2,
    );
}

#[test]
fn heavy_prefixes_give_the_same_hits_in_both_layouts() {
    let docs = heavy_corpus();
    let (embedded, _) = write_index(&docs).unwrap();
    assert!(Index::open(&embedded).unwrap().heavy("ng").is_some(), "the corpus must make heavy prefixes");
    agree(
        &docs,
        &SplitOptions {
            postings_shard_bytes: 2048,
            docs_shard_bytes: 4096,
            bitmap_shard_bytes: 64,
            max_docs_shards: 16_384,
        },
        40,
        3,
    );
}

#[test]
fn a_cold_query_fetches_postings_then_only_the_documents_shown() {
    let docs = heavy_corpus();
    let split = leak(
        write_split(
            &docs,
            &SplitOptions {
                postings_shard_bytes: 2048,
                docs_shard_bytes: 1024,
                bitmap_shard_bytes: 64,
                max_docs_shards: 16_384,
            },
        )
        .unwrap(),
    );
    let mut engine = Engine::new(Index::open(&split.index).unwrap());
    let kind = |n: u32| split.shards[n as usize].entry.kind;
    let options = Options { limit: 2, ..Options::default() };
    let Outcome::Need(first) = engine.query("kinh", &options) else { panic!("a cold query needs shards") };
    assert!(first.iter().all(|&n| kind(n) == timkiem_core::format::ShardKind::Postings), "{first:?}");
    for &n in &first {
        engine.add_shard(n, &split.shards[n as usize].bytes).unwrap();
    }
    let Outcome::Need(second) = engine.query("kinh", &options) else { panic!("the hits need their documents") };
    let docs_shards: BTreeSet<u32> =
        second.iter().copied().filter(|&n| kind(n) == timkiem_core::format::ShardKind::Docs).collect();
    assert!(!docs_shards.is_empty() && docs_shards.len() <= 2, "{second:?}");
    for &n in &second {
        engine.add_shard(n, &split.shards[n as usize].bytes).unwrap();
    }
    let Outcome::Ready(results) = engine.query("kinh", &options) else { panic!("all shards given") };
    assert_eq!(results.hits.len(), 2);
    // Nothing is needed again.
    assert!(matches!(engine.query("kinh", &options), Outcome::Ready(_)));
    assert!(matches!(engine.try_doc(results.hits[0].id), Outcome::Ready(Some(_))));
}

/// Answers `q` from a cold split index, giving every shard it asks for;
/// gives the kinds of shards it asked for.
fn kinds_needed(split: &'static SplitIndex, q: &str, options: &Options) -> BTreeSet<ShardKind> {
    let mut engine = Engine::new(Index::open(&split.index).unwrap());
    let mut kinds = BTreeSet::new();
    while let Outcome::Need(shards) = engine.query(q, options) {
        for n in shards {
            kinds.insert(split.shards[n as usize].entry.kind);
            engine.add_shard(n, &split.shards[n as usize].bytes).unwrap();
        }
    }
    kinds
}

#[test]
fn a_common_prefix_typed_alone_takes_one_round() {
    // `ng` is no word of the heavy corpus; `nh` is one of this one's, so
    // that planning it reads its postings entry.
    let words = ["nh", "nhà", "nhật", "nhanh", "nhiều", "nhỏ", "nhận", "nhóm", "nhất"];
    let nh: Vec<Document> = (0..400)
        .map(|i| Document {
            path: format!("{i}.txt"),
            title: format!("Tin {i}"),
            text: words.iter().cycle().skip(i % 9).take(6 + i % 7).copied().collect::<Vec<_>>().join(" "),
        })
        .collect();
    for (docs, prefix) in [(heavy_corpus(), "ng"), (nh, "nh")] {
        let split = leak(write_split(&docs, &SplitOptions::default()).unwrap());
        let mut engine = Engine::new(Index::open(&split.index).unwrap());
        assert!(engine.index().heavy(prefix).is_some(), "{prefix} is heavy");
        let options = Options { limit: 5, ..Options::default() };
        // Its best list names the hits: their documents and positions are
        // asked for at once, with the postings the plan read.
        let Outcome::Need(first) = engine.query(prefix, &options) else { panic!("a cold query needs shards") };
        assert!(first.iter().any(|&n| split.shards[n as usize].entry.kind == ShardKind::Docs), "{first:?}");
        for n in first {
            engine.add_shard(n, &split.shards[n as usize].bytes).unwrap();
        }
        let Outcome::Ready(results) = engine.query(prefix, &options) else { panic!("{prefix}: one round is enough") };
        assert_eq!(results.hits.len(), 5);
        assert!(results.hits.iter().all(|h| !h.snippet.is_empty()));
    }
}

#[test]
fn docs_shards_grow_to_stay_under_their_most() {
    let docs = heavy_corpus();
    let count = |options: &SplitOptions| {
        let split = write_split(&docs, options).unwrap();
        split.shards.iter().filter(|s| s.entry.kind == ShardKind::Docs).count()
    };
    let small = SplitOptions { docs_shard_bytes: 1, ..SplitOptions::default() };
    assert_eq!(count(&small), docs.len(), "a shard per document");
    for most in [1, 7, 100] {
        let n = count(&SplitOptions { max_docs_shards: most, ..small });
        assert!((most.min(docs.len()) / 2..=most).contains(&n), "{n} docs shards for at most {most}");
    }
    agree(&docs, &SplitOptions { max_docs_shards: 7, ..small }, 10, 4);
}

#[test]
fn a_heavy_prefix_typed_alone_needs_no_bitmap() {
    let docs = heavy_corpus();
    let options = SplitOptions { bitmap_shard_bytes: 1, ..SplitOptions::default() };
    let split = leak(write_split(&docs, &options).unwrap());
    let index = Index::open(&split.index).unwrap();
    let heavy = index.heavy("ng").expect("the corpus must make heavy prefixes");
    // The best list holds the page: no bitmap is fetched.
    assert!(heavy.top_len >= 10, "{}", heavy.top_len);
    let page = Options { limit: 10, ..Options::default() };
    assert!(!kinds_needed(split, "ng", &page).contains(&ShardKind::Bitmaps));
    // After another word, the heavy prefix filters by its bitmap.
    assert!(kinds_needed(split, "kinh ng", &page).contains(&ShardKind::Bitmaps));
    // As does a page beyond its best list.
    let far = Options { offset: heavy.top_len as usize, limit: 10, ..Options::default() };
    assert!(kinds_needed(split, "ng", &far).contains(&ShardKind::Bitmaps));
}

#[test]
fn a_document_only_a_bitmap_matched_reads_no_postings() {
    let docs = heavy_corpus();
    let options = SplitOptions { postings_shard_bytes: 1, ..SplitOptions::default() };
    let split = leak(write_split(&docs, &options).unwrap());
    let mut engine = Engine::new(Index::open(&split.index).unwrap());
    let words = ["kinh", "ng"].map(|w| engine.index().prefix_range(w));
    let exact = Options { fuzzy: false, ..Options::default() };
    let mut postings = BTreeSet::new();
    while let Outcome::Need(shards) = engine.query("kinh ng", &exact) {
        for n in shards {
            let entry = split.shards[n as usize].entry;
            if entry.kind == ShardKind::Postings {
                postings.insert((entry.first, entry.end));
            }
            engine.add_shard(n, &split.shards[n as usize].bytes).unwrap();
        }
    }
    // Only the words' own terms are read: not, for the documents that have
    // a word starting with `ng` only by the bitmap, positions at offset 0.
    let read = |(first, end): (u32, u32)| words.iter().any(|&(lo, hi)| first < hi && lo < end);
    assert!(postings.iter().all(|&range| read(range)), "{postings:?} for {words:?}");
}

fn refused(index: &mut Index<'_>, n: u32, bytes: &'static [u8]) -> ShardMismatch {
    match index.add_shard(n, bytes) {
        Err(FormatError::Shard { number, reason }) => {
            assert_eq!(number, n);
            reason
        }
        other => panic!("shard {n} accepted or other error: {other:?}"),
    }
}

#[test]
fn forged_truncated_and_foreign_shards_are_refused() {
    let split = leak(
        write_split(
            &seeds(),
            &SplitOptions {
                postings_shard_bytes: 512,
                docs_shard_bytes: 2048,
                bitmap_shard_bytes: 1,
                max_docs_shards: 16_384,
            },
        )
        .unwrap(),
    );
    let other = leak(write_split(&heavy_corpus(), &SplitOptions::default()).unwrap());
    let mut index = Index::open(&split.index).unwrap();
    let good: &'static [u8] = &split.shards[0].bytes;
    let count = split.shards.len() as u32;
    assert_eq!(refused(&mut index, 0, leak(good[..good.len() - 1].to_vec())), ShardMismatch::Length);
    assert_eq!(refused(&mut index, 0, leak([good, b"x"].concat())), ShardMismatch::Length);
    let mut altered = good.to_vec();
    altered[ShardHeader::LEN + 3] ^= 0x40;
    assert_eq!(refused(&mut index, 0, leak(altered)), ShardMismatch::Hash);
    assert!(matches!(refused(&mut index, 1, good), ShardMismatch::Length | ShardMismatch::Hash));
    assert_eq!(refused(&mut index, count, good), ShardMismatch::Unknown);
    assert!(matches!(refused(&mut index, 0, &other.shards[0].bytes), ShardMismatch::Length | ShardMismatch::Hash));
    assert!(!index.has_shard(0));
    // Bytes that match a forged shard table still carry their build and number.
    for (field, expected) in
        [(ShardHeader::BUILD_ID, ShardMismatch::Build), (ShardHeader::NUMBER, ShardMismatch::Number)]
    {
        let mut shard = good.to_vec();
        shard[field] ^= 1;
        let hash = timkiem_core::format::fnv1a(&shard);
        let forged = with_shard_entry(&split.index, 0, shard.len() as u32, hash).unwrap();
        let forged: &'static [u8] = leak(forged);
        let mut index = Index::open(forged).unwrap();
        assert_eq!(refused(&mut index, 0, leak(shard)), expected);
        index.add_shard(1, &split.shards[1].bytes).unwrap();
    }
    // An embedded index has no shards to take.
    let (embedded, _) = write_index(&seeds()).unwrap();
    let mut embedded_index = Index::open(leak(embedded)).unwrap();
    assert_eq!(refused(&mut embedded_index, 0, good), ShardMismatch::Unknown);
    // The right bytes are taken after wrong ones were refused.
    index.add_shard(0, good).unwrap();
    assert!(index.has_shard(0));
    assert_eq!(get_u32(good, ShardHeader::NUMBER), Some(0));
}

#[test]
fn a_split_index_is_small_and_its_table_tiles_terms_and_documents() {
    let docs = heavy_corpus();
    let (embedded, _) = write_index(&docs).unwrap();
    let split = write_split(&docs, &SplitOptions::default()).unwrap();
    let header = Header::from_bytes(&split.index).unwrap();
    assert_eq!(header.layout, Layout::Split);
    for section in [Section::Postings, Section::Docs, Section::Checks, Section::Strings] {
        assert!(header.sections.range(section).is_empty(), "{section}");
    }
    assert!(split.index.len() * 2 < embedded.len(), "{} vs {}", split.index.len(), embedded.len());
    // Every shard names itself by its content hash, so names never repeat.
    let names: BTreeSet<String> = split.shards.iter().map(|s| s.entry.file_name()).collect();
    assert_eq!(names.len(), split.shards.len());
    // Same corpus, same bytes.
    let again = write_split(&docs, &SplitOptions::default()).unwrap();
    assert_eq!(again.index, split.index);
}
