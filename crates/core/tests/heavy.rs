//! The heavy-prefix path (a common prefix matched through its bitmap and
//! best list) under the properties and the corruption tests that the seeds,
//! which have no heavy prefix, cannot reach.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use common::{generated, Reference};
use quickcheck::{Gen, QuickCheck, TestResult};
use timkiem_core::corpus::Document;
use timkiem_core::format::{Header, Section};
use timkiem_core::query::parse;
use timkiem_core::text::{fold, tokenize};
use timkiem_core::write::write_index;
use timkiem_core::{Engine, Index, Options};
use timkiem_testkit::{confusions, edit_distance, seed, typo_bound, utf16_slice};

/// Documents, their index, and each document's words.
type Corpus = (Vec<Document>, Vec<u8>, Vec<Vec<String>>);

/// A generated corpus with heavy prefixes, its index and each document's
/// words.
fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let docs = generated(11, 1100);
        let bytes = write_index(&docs).unwrap().0;
        let words = docs.iter().map(|d| tokenize(&d.text).map(|t| d.text[t.span()].to_string()).collect()).collect();
        (docs, bytes, words)
    })
}

/// The brute-force reference over the corpus (for its splits).
fn reference() -> &'static Reference {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    REFERENCE.get_or_init(|| Reference::new(&corpus().0))
}

fn engine() -> Engine<'static> {
    let index = Index::open(&corpus().1).unwrap();
    assert!(index.heavy("n").is_some() && index.heavy("ng").is_some(), "the corpus must have heavy prefixes");
    Engine::new(index)
}

/// 200 passing cases of at most 260, from a printed seed.
fn checker(name: &str) -> QuickCheck {
    QuickCheck::new().rng(Gen::from_size_and_seed(100, seed(name))).tests(200).max_tests(260).min_tests_passed(200)
}

/// 1–3 words of one document of the corpus (so that some document
/// matches), the last cut to 1–2 characters half of the time (a heavy prefix,
/// mostly).
fn sample_query(picks: &[u16], cut: u8) -> Option<String> {
    let (doc, picks) = picks.split_first()?;
    let docs = &corpus().2;
    let words = &docs[usize::from(*doc) % docs.len()];
    let (last, rest) = picks.split_last().unwrap_or((doc, &[]));
    let mut q: Vec<String> = rest.iter().take(2).map(|&i| words[usize::from(i) % words.len()].clone()).collect();
    let w = &words[usize::from(*last) % words.len()];
    q.push(if cut % 2 == 0 { w.chars().take(1 + usize::from(cut / 2 % 2)).collect() } else { w.clone() });
    Some(q.join(" "))
}

fn ids(engine: &mut Engine<'_>, q: &str, options: &Options) -> BTreeSet<u32> {
    common::engine_ids(engine, q, options)
}

/// Property: on heavy prefixes too, adding the marks back to a folded query
/// never loses a match, and exact diacritics only narrow.
#[test]
fn marks_never_lose_matches_on_heavy_prefixes() {
    fn prop(picks: Vec<u16>, cut: u8) -> TestResult {
        let Some(q) = sample_query(&picks, cut) else { return TestResult::discard() };
        let mut engine = engine();
        let options = Options { telex: false, fuzzy: false, ..Options::default() };
        let marked = ids(&mut engine, &q, &options);
        let folded = ids(&mut engine, &fold(&q), &options);
        let exact = ids(&mut engine, &q, &Options { exact_diacritics: true, ..options });
        TestResult::from_bool(folded.is_subset(&marked) && exact.is_subset(&marked) && !marked.is_empty())
    }
    checker("marks_never_lose_matches_on_heavy_prefixes").quickcheck(prop as fn(Vec<u16>, u8) -> TestResult);
}

/// Property: the hits of a heavy prefix under the default options highlight,
/// in bounds and in order, only query words, the typed part of the word
/// being typed, words within the typo bound (1 edit under 8 letters),
/// spelling confusions of a query word, or pieces of a split of one.
#[test]
fn highlights_on_heavy_prefixes_are_query_words() {
    fn prop(picks: Vec<u16>, cut: u8) -> TestResult {
        let Some(q) = sample_query(&picks, cut) else { return TestResult::discard() };
        let words = parse(&q).words;
        let stroke = tokenize("đ").next().unwrap().marks;
        let mut engine = engine();
        let r = engine.search(&q, &Options::default());
        if r.total == 0 || r.hits.is_empty() {
            return TestResult::error(format!("{q:?} found nothing"));
        }
        for hit in &r.hits {
            if hit.highlights.is_empty() && hit.title_highlights.is_empty() {
                return TestResult::error(format!("{q:?}: nothing highlighted in {}", hit.id));
            }
            for (text, ranges) in [(&hit.snippet, &hit.highlights), (&hit.title, &hit.title_highlights)] {
                let mut last = 0;
                for &r in ranges {
                    let Some(s) = utf16_slice(text, r).filter(|_| last <= r[0] && r[0] < r[1]) else {
                        return TestResult::error(format!("{q:?}: range {r:?} in {text:?}"));
                    };
                    last = r[1];
                    let f = fold(&s);
                    let ok = words.iter().any(|w| {
                        let stroked = w.marks.chunks(2).any(|p| p == &stroke[..]);
                        let split = reference().splits(&w.term, w.prefix).into_iter().any(|pieces| {
                            let last = pieces.len() - 1;
                            pieces
                                .iter()
                                .enumerate()
                                .any(|(i, p)| f == *p || (w.prefix && i == last && f.len() <= p.len()))
                        });
                        f == w.term
                            || (w.prefix && f.len() <= w.term.len())
                            || edit_distance(&w.term, &f) <= typo_bound(w.chars)
                            || confusions(&w.term, stroked).contains(&f)
                            || split
                    });
                    if !ok {
                        return TestResult::error(format!("{q:?}: highlighted {f:?} in {text:?}"));
                    }
                }
            }
        }
        TestResult::passed()
    }
    checker("highlights_on_heavy_prefixes_are_query_words").quickcheck(prop as fn(Vec<u16>, u8) -> TestResult);
}

/// Pages of a heavy prefix are consistent with the whole list, and the
/// total is the bitmap's.
#[test]
fn heavy_prefix_pages_are_consistent() {
    let mut engine = engine();
    for q in ["n", "ng", "nh", "t", "c"] {
        let all = engine.search(q, &Options { limit: 60, ..Options::default() });
        assert!(all.hits.windows(2).all(|w| w[0].score >= w[1].score), "{q}");
        for offset in [0, 1, 7, 15, 16, 17, 40] {
            let page = engine.search(q, &Options { limit: 5, offset, ..Options::default() });
            let want: Vec<u32> = all.hits.iter().skip(offset).take(5).map(|h| h.id).collect();
            assert_eq!(page.hits.iter().map(|h| h.id).collect::<Vec<_>>(), want, "{q} at {offset}");
            assert_eq!(page.total, all.total);
        }
    }
}

/// Any corrupt byte of the heavy section (and a sample of the others) of an
/// index that has one: opening fails, or every heavy-prefix query is safe.
#[test]
fn corrupt_heavy_sections_are_errors_not_panics() {
    let docs = generated(5, 500)
        .into_iter()
        .map(|mut d| {
            d.text =
                d.text.split(' ').filter(|w| w.starts_with('n') || w.starts_with('N')).collect::<Vec<_>>().join(" ");
            d
        })
        .collect::<Vec<_>>();
    let (bytes, _) = write_index(&docs).unwrap();
    let index = Index::open(&bytes).unwrap();
    assert!(index.heavy("n").is_some(), "the corpus must have a heavy prefix");
    let header = Header::from_bytes(&bytes).unwrap();
    let heavy = header.sections.range(Section::Heavy);
    assert!(heavy.len() > 64, "heavy section of {} bytes", heavy.len());
    let others = (0..bytes.len()).step_by(97).filter(|at| !heavy.contains(at));
    let mut opened = 0;
    for at in heavy.clone().chain(others) {
        for flip in [0x01u8, 0x80, 0xFF] {
            let mut v = bytes.clone();
            v[at] ^= flip;
            let Ok(index) = Index::open(&v) else { continue };
            opened += 1;
            let mut engine = Engine::new(index);
            for q in ["n", "ng", "nh", "nguoi n", "\"nhat n"] {
                for options in [Options::default(), Options { exact_diacritics: true, ..Options::default() }] {
                    let r = engine.search(q, &options);
                    assert!(r.hits.len() <= r.total, "{q} with byte {at} ^ {flip:#x}");
                    for hit in &r.hits {
                        let len = hit.snippet.encode_utf16().count() as u32;
                        assert!(hit.highlights.iter().all(|h| h[0] < h[1] && h[1] <= len), "{q} with byte {at}");
                    }
                }
            }
        }
    }
    assert!(opened > heavy.len(), "only {opened} corrupt indexes opened: the heavy path was barely read");
}

/// A heavy prefix typed as a whole word (a space after it) matches that
/// word only: its bitmap stands in for its completions while it is typed,
/// not once it is finished.
#[test]
fn a_finished_word_is_not_its_heavy_prefix() {
    let (docs, _, _) = corpus();
    let mut engine = engine();
    let exact = Options { fuzzy: false, telex: false, vni: false, ..Options::default() };
    for word in ["n", "ng", "nh", "t"] {
        let want = docs.iter().filter(|d| tokenize(&d.title).chain(tokenize(&d.text)).any(|t| t.term == word)).count();
        assert_eq!(engine.count(&format!("{word} "), &exact), want, "{word:?} as a whole word");
        assert!(engine.count(word, &exact) > want, "{word:?} being typed takes its completions");
    }
}
