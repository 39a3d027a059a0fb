//! Ranking rules that set comparisons cannot see: rarer terms weigh more
//! (idf), BM25 length normalisation against the average length, term
//! frequency, the title's weight, and the prefix tiers (exact word, then
//! shorter completions).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use timkiem_core::{Engine, Index, Options};

/// The ids of the hits for `query`, best first; documents are
/// `(title, text)` pairs numbered from 0.
fn ranked(docs: &[(&str, &str)], query: &str) -> Vec<u32> {
    let bytes = common::index_of(docs);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let options = Options { limit: 100, ..Options::default() };
    engine.search(query, &options).hits.iter().map(|h| h.id).collect()
}

#[test]
fn a_rare_completion_ranks_above_a_common_one() {
    // Same tier (completions of the same length), same lengths: idf decides.
    let mut docs = vec![("", "kanal"), ("", "kanol")];
    docs.extend(std::iter::repeat_n(("", "kanal"), 14));
    docs.extend(std::iter::repeat_n(("", "xyz"), 5));
    assert_eq!(ranked(&docs, "kan")[0], 1);
}

#[test]
fn length_is_normalised_against_the_average_body() {
    // Bodies average 10 words. Twice in 6 words beats once in 2 words at
    // that average (it would not if the average were 1, or ignored).
    let filler = |n: usize| vec!["xyz"; n].join(" ");
    let (f11, f12) = (filler(11), filler(12));
    let mut docs = vec![("", "kanol xyz".to_string()), ("", "kanol kanol xyz xyz xyz xyz".to_string())];
    docs.extend(
        [f11.clone(), f11.clone(), f11.clone(), f11, f12.clone(), f12.clone(), f12.clone(), f12].map(|f| ("", f)),
    );
    let docs: Vec<(&str, &str)> = docs.iter().map(|(t, b)| (*t, b.as_str())).collect();
    assert_eq!(ranked(&docs, "kanol "), [1, 0]);
    // Same length: the higher frequency wins; same frequency: the shorter.
    assert_eq!(ranked(&[("", "kanol xyz xyz"), ("", "kanol kanol xyz")], "kanol "), [1, 0]);
    assert_eq!(ranked(&[("", "kanol xyz xyz xyz"), ("", "kanol xyz")], "kanol "), [1, 0]);
}

#[test]
fn title_length_is_normalised_against_the_average_title() {
    // The same as the body's, in titles averaging 10 words.
    let filler = |n: usize| vec!["xyz"; n].join(" ");
    let titles = [
        "kanol xyz".to_string(),
        "kanol kanol xyz xyz xyz xyz".to_string(),
        filler(11),
        filler(11),
        filler(11),
        filler(11),
        filler(12),
        filler(12),
        filler(12),
        filler(12),
    ];
    let docs: Vec<(&str, &str)> = titles.iter().map(|t| (t.as_str(), "")).collect();
    assert_eq!(ranked(&docs, "kanol "), [1, 0]);
}

#[test]
fn the_title_weighs_more_than_the_body() {
    let docs = [("xyz", "kanol xyz"), ("kanol", "xyz xyz"), ("abc", "kanol abc")];
    assert_eq!(ranked(&docs, "kanol ")[0], 1);
}

#[test]
fn exact_words_then_shorter_completions() {
    let docs = [("", "kanolberotin"), ("", "kanolit"), ("", "kanol")];
    assert_eq!(ranked(&docs, "kanol"), [2, 1, 0]);
    assert_eq!(ranked(&docs, "kano"), [2, 1, 0]);
}

#[test]
fn a_closer_completion_outweighs_a_small_bm25_lead() {
    // "kano" completes to "kanol" (4 of 5 letters typed) in document 0 and to
    // "kanolberotin" (4 of 12) in document 1, which has "xyz" three times to
    // document 0's once. The completion's tier gap (0.5 × (4/5 − 4/12)) is
    // larger than the BM25 lead, which stays within its tier.
    let docs = [
        ("", "xyz abc abc abc abc kanol"),
        ("", "xyz xyz xyz abc abc kanolberotin"),
        ("", "abc"),
        ("", "abc"),
        ("", "abc"),
        ("", "abc"),
        ("", "abc"),
        ("", "abc"),
        ("", "abc"),
        ("", "abc"),
    ];
    assert_eq!(ranked(&docs, "xyz kano"), [0, 1]);
    // Typed whole, the lead decides.
    assert_eq!(ranked(&docs, "xyz "), [1, 0]);
}
