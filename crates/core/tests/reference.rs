//! The engine under its default options (typos, telex) and with exact
//! diacritics, against the brute-force reference of `common/mod.rs`, over the
//! seeds and over a generated corpus that has heavy prefixes.
//!
//! The queries are random: each test prints its seed, and
//! `TIMKIEM_SEED=<seed> cargo test -p timkiem-core --test reference` replays
//! it. `TIMKIEM_REFERENCE_CORPUS=/path/to/docs` also runs the comparison over
//! that folder (e.g. 2,000 documents of `gen_corpus.py`; slow).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::collections::BTreeSet;

use common::{engine_ids, generated, parse, seeds, to_telex, with_edits, Expected, Reference};
use timkiem_core::corpus::{self, Document};
use timkiem_core::text::{fold, tokenize};
use timkiem_core::write::write_index;
use timkiem_core::{Engine, Index, Options};
use timkiem_testkit::{seed, Rng};

/// What one comparison run saw, to check that it tested something.
#[derive(Default, Debug)]
struct Seen {
    queries: usize,
    exact: usize,
    with_typos: usize,
    heavy: usize,
    telex: usize,
    phrases: usize,
    nonempty: usize,
    /// The widened plan matched more than the narrow one.
    widened: usize,
    /// A word was split into syllables.
    split: usize,
}

/// Random queries made from the words of `docs`: prefixes, whole words,
/// words with one or two typos, pairs, phrases, telex, words run together.
fn queries(rng: &mut Rng, docs: &[Document], n: usize) -> Vec<String> {
    let words: Vec<String> = docs
        .iter()
        .flat_map(|d| {
            [&d.title, &d.text]
                .into_iter()
                .flat_map(|t| tokenize(t).map(|k| t[k.span()].to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    let pick = |rng: &mut Rng| words[rng.below(words.len())].clone();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let w = pick(rng);
        let chars: Vec<char> = w.chars().collect();
        let q = match rng.below(11) {
            0 => chars[..1 + rng.below(chars.len().min(2))].iter().collect(),
            1 => fold(&chars[..1 + rng.below(chars.len())].iter().collect::<String>()),
            2 => format!("{w} "),
            3 | 4 => {
                let edits = 1 + rng.below(2);
                let typo = with_edits(rng, &fold(&w), edits);
                if rng.below(2) == 0 {
                    typo
                } else {
                    format!("{typo} ")
                }
            }
            5 => format!("{} {}", pick(rng), chars[..1 + rng.below(chars.len())].iter().collect::<String>()),
            6 => format!("\"{} {w}\"", pick(rng)),
            7 => format!("\"{} {}", pick(rng), fold(&w)),
            8 => match to_telex(&w) {
                Some(t) if rng.below(2) == 0 => format!("{t} "),
                Some(t) => format!("{} {t}", fold(&pick(rng))),
                None => continue,
            },
            9 => {
                // Syllables run together (a split reading), maybe still typed.
                let joined = format!("{}{}", fold(&pick(rng)), fold(&w));
                if rng.below(2) == 0 {
                    format!("{joined} ")
                } else {
                    joined.chars().take(joined.chars().count() - rng.below(2)).collect()
                }
            }
            _ => {
                let other = fold(&pick(rng));
                format!("{} {}", with_edits(rng, &other, 1), w.to_uppercase())
            }
        };
        // No VNI reading (the reference does not restate it): no word that
        // starts with a letter has a digit.
        if common::vni_possible(&q) {
            continue;
        }
        out.push(q);
    }
    out
}

/// Compares the engine with the reference on `n` random queries under
/// `options`, every hit checked for `full` of them and the count for all.
fn compare(docs: &[Document], seed: u64, n: usize, options: &Options) -> Seen {
    let (bytes, _) = write_index(docs).unwrap();
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let reference = Reference::new(docs);
    let mut rng = Rng::new(seed);
    let mut seen = Seen::default();
    for (i, q) in queries(&mut rng, docs, n).iter().enumerate() {
        // The engine widens a plan that does not fill the page asked for:
        // the expected documents depend on the page (`engine_ids` asks for
        // every hit).
        let every = Options { limit: docs.len(), offset: 0, ..*options };
        let want: Expected = reference.expected(q, &every);
        let paged: Expected = reference.expected(q, options);
        let why = |want: &Expected, options: &Options| {
            format!("query {q:?} with {options:?} (seed {seed}): must {:?}, may {:?}", want.must, want.may)
        };
        let total = engine.count(q, options);
        assert!(paged.must.len() <= total && total <= paged.may.len(), "total {total}: {}", why(&paged, options));
        if i % 4 == 0 || want.may.len() <= 40 {
            let got = engine_ids(&mut engine, q, options);
            assert!(want.admits(&got), "got {got:?}: {}", why(&want, &every));
        } else {
            // The first page at least lies within what may match.
            let first = Options { limit: 10, ..*options };
            let page = engine.search(q, &first);
            let got: BTreeSet<u32> = page.hits.iter().map(|h| h.id).collect();
            let want = reference.expected(q, &first);
            assert!(got.is_subset(&want.may), "page {got:?}: {}", why(&want, &first));
        }
        let typed = parse(q);
        seen.queries += 1;
        seen.exact += usize::from(want.exact() && paged.exact());
        seen.nonempty += usize::from(!want.must.is_empty());
        seen.phrases += usize::from(!typed.phrases.is_empty());
        seen.heavy += usize::from(typed.words.iter().any(|w| w.prefix && reference.heavy(&w.term)));
        seen.telex += usize::from(common::telex(q).is_some());
        let plain = Reference::expected(&reference, q, &Options { fuzzy: false, telex: false, ..every });
        seen.with_typos += usize::from(want.must.len() > plain.may.len());
        let narrow = reference.expected(q, &Options { limit: 0, ..every });
        seen.widened += usize::from(narrow.may.len() < want.must.len());
        seen.split += usize::from(reference.splits_query(q, options));
    }
    seen
}

fn assert_covered(seen: &Seen, what: &str) {
    eprintln!("{what}: {seen:?}");
    let q = seen.queries;
    assert!(seen.exact * 10 >= q * 9, "{what}: too few exact comparisons: {seen:?}");
    // (A third: with exact diacritics on the seeds, some seeds give 39%.)
    assert!(seen.nonempty * 3 >= q, "{what}: too few queries match anything: {seen:?}");
    assert!(seen.phrases * 20 >= q && seen.telex * 20 >= q, "{what}: {seen:?}");
}

/// Under the default options, the new readings were exercised too.
fn assert_relevance_covered(seen: &Seen, what: &str) {
    let q = seen.queries;
    // (1% widened: on the seeds some seeds give fewer than 2%.)
    assert!(seen.widened * 100 >= q && seen.split * 50 >= q, "{what}: too few widened or split queries: {seen:?}");
}

#[test]
fn default_options_agree_with_the_reference_on_a_corpus_with_heavy_prefixes() {
    let seed = seed("default options, generated corpus");
    let docs = generated(seed, 1100);
    let index_bytes = write_index(&docs).unwrap().0;
    let index = Index::open(&index_bytes).unwrap();
    assert!(index.heavy("n").is_some() && index.heavy("ng").is_some(), "the corpus must make heavy prefixes");
    let seen = compare(&docs, seed, 900, &Options::default());
    assert_covered(&seen, "default options");
    // (Widening is covered on the seeds: in this corpus the words that fill
    // pages are common, and common words have no variants.)
    assert!(seen.split * 50 >= seen.queries, "too few split queries: {seen:?}");
    assert!(seen.heavy * 40 >= seen.queries, "too few heavy prefixes: {seen:?}");
    assert!(seen.with_typos * 25 >= seen.queries, "too few queries found typos: {seen:?}");
}

#[test]
fn default_options_agree_with_the_reference_on_the_seeds() {
    let seed = seed("default options, seeds");
    let seen = compare(&seeds(), seed, 900, &Options::default());
    assert_covered(&seen, "seeds");
    assert_relevance_covered(&seen, "seeds");
    assert!(seen.with_typos * 25 >= seen.queries, "too few queries found typos: {seen:?}");
}

#[test]
fn exact_diacritics_agree_with_the_reference() {
    let seed = seed("exact diacritics");
    let exact = Options { exact_diacritics: true, ..Options::default() };
    let seen = compare(&generated(seed, 1100), seed, 500, &exact);
    assert_covered(&seen, "exact diacritics, generated");
    let seen = compare(&seeds(), seed, 400, &exact);
    assert_covered(&seen, "exact diacritics, seeds");
}

#[test]
fn each_option_alone_agrees_with_the_reference() {
    let seed = seed("options one by one");
    let docs = generated(seed ^ 1, 1100);
    for options in [
        Options { fuzzy: false, ..Options::default() },
        Options { telex: false, ..Options::default() },
        Options { fuzzy: false, telex: false, ..Options::default() },
    ] {
        let seen = compare(&docs, seed, 250, &options);
        assert!(seen.exact * 10 >= seen.queries * 9, "{options:?}: {seen:?}");
    }
}

/// A larger corpus from a folder, when asked for (not in `make test`).
#[test]
fn agrees_with_the_reference_on_a_corpus_folder() {
    let Ok(dir) = std::env::var("TIMKIEM_REFERENCE_CORPUS") else {
        eprintln!("TIMKIEM_REFERENCE_CORPUS is not set: skipped");
        return;
    };
    let seed = seed("corpus folder");
    let docs = corpus::load(dir.as_ref()).unwrap().documents;
    assert!(docs.len() >= 2000, "{} documents", docs.len());
    for options in [Options::default(), Options { exact_diacritics: true, ..Options::default() }] {
        let seen = compare(&docs, seed, 400, &options);
        // Large documents: more prefixes and phrases are ranges (see
        // common/mod.rs), so fewer comparisons are exact than on the others.
        eprintln!("{dir} with {options:?}: {seen:?}");
        assert!(seen.exact * 5 >= seen.queries * 4 && seen.heavy * 10 >= seen.queries, "{seen:?}");
    }
}

/// The reference's own parser and telex reader, on the documented examples.
#[test]
fn the_reference_reads_queries_as_documented() {
    let q = parse("\"van phong\" nhậ");
    assert_eq!(q.words.iter().map(|w| w.term.as_str()).collect::<Vec<_>>(), ["van", "phong", "nha"]);
    assert_eq!(q.phrases, vec![0..2]);
    assert!(q.words[2].prefix && !q.words[1].prefix && q.words[0].in_phrase && !q.words[2].in_phrase);
    assert!(!parse("\"van\" x").words[0].in_phrase);
    assert!(!parse("nhat ban ").words[1].prefix && !parse("\"nhat ban\"").words[1].prefix);
    assert!(parse("\"nhat ban").words[1].prefix);
    let read = |q: &str| common::telex(q).map(|r| fold(&r));
    assert_eq!(read("nhaajt banr").as_deref(), Some("nhat ban"));
    assert_eq!(read("truwowngf").as_deref(), Some("truong"));
    assert_eq!(read("ddaf nawngx").as_deref(), Some("da nang"));
    assert_eq!(read("stoltenberg"), None);
    assert_eq!(read("nhat ban"), None);
    assert!(common::vni_possible("tie61ng viet") && common::vni_possible("G7"));
    assert!(!common::vni_possible("2023 31/01 nhat ban"));
    let r = Reference::new(&[Document { path: "a".into(), title: "văn phòng".into(), text: "phong vân".into() }]);
    assert_eq!(r.splits("vanphong", false), [["van", "phong"]]);
    assert_eq!(r.splits("vanpho", true), [["van", "pho"]]);
    assert!(r.splits("vanx", false).is_empty());
    assert_eq!(to_telex("trường").as_deref(), Some("truwowngf"));
    assert_eq!(to_telex("Đan").as_deref(), Some("Ddan"));
    assert_eq!(
        common::telex("truwowngf").map(|r| tokenize(&r).next().unwrap().marks),
        Some(tokenize("trường").next().unwrap().marks)
    );
}
