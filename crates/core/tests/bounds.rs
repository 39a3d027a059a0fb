//! Every documented bound, from both sides: what it lets through and what it
//! keeps out. Typos: none below 4 letters, 1 edit at 4–7, 2 from 8, none in
//! phrases, none for common words, none while a word completes the word being
//! typed; exact diacritics match and highlight only the typed spelling; and
//! each `MAX_*` limit is reached and holds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use timkiem_core::corpus::Document;
use timkiem_core::query::{MAX_QUERY_BYTES, MAX_WORDS};
use timkiem_core::write::write_index;
use timkiem_core::{Engine, Index, Options, MAX_FUZZY_TERMS, MAX_PREFIX_TERMS, POSTINGS_BUDGET};
use timkiem_testkit::utf16_slice;

fn docs(texts: impl IntoIterator<Item = String>) -> Vec<u8> {
    let docs: Vec<Document> = texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| Document { path: format!("{i}.txt"), title: format!("Tài liệu {i}"), text })
        .collect();
    write_index(&docs).unwrap().0
}

fn count(bytes: &[u8], query: &str) -> usize {
    Engine::new(Index::open(bytes).unwrap()).count(query, &Options::default())
}

#[test]
fn no_typos_below_four_letters() {
    let bytes = docs(["bam và nhat".into(), "kem".into(), "nhan".into()]);
    assert_eq!(count(&bytes, "bam "), 1);
    assert_eq!(count(&bytes, "ban "), 0, "a 3-letter word got a typo");
    assert_eq!(count(&bytes, "ken "), 0, "a 3-letter word got a typo");
    // The bound itself: 4 letters get one.
    assert_eq!(count(&bytes, "nhat "), 2);
    assert_eq!(count(&bytes, "nhab "), 2);
}

#[test]
fn one_typo_from_four_letters_two_from_eight() {
    let bytes = docs(["kanol".into(), "berotin".into(), "stoltenberg".into(), "abcd".into()]);
    // 4–7 letters: one edit, not two.
    assert_eq!(count(&bytes, "abce "), 1);
    assert_eq!(count(&bytes, "abxe "), 0, "2 typos in a 4-letter word");
    assert_eq!(count(&bytes, "kaxol "), 1);
    assert_eq!(count(&bytes, "kanl "), 1);
    assert_eq!(count(&bytes, "kxxol "), 0, "2 typos in a 5-letter word");
    assert_eq!(count(&bytes, "kanolxx "), 0, "2 typos in a 7-letter word");
    assert_eq!(count(&bytes, "berxtin "), 1);
    assert_eq!(count(&bytes, "bxrxtin "), 0, "2 typos in a 7-letter word");
    // 8 letters and more: two, not three.
    assert_eq!(count(&bytes, "stoltenbreg "), 1);
    assert_eq!(count(&bytes, "stxltenbrg "), 1);
    assert_eq!(count(&bytes, "sxxltenbrg "), 0, "3 typos in an 11-letter word");
    assert_eq!(count(&bytes, "berotinxx "), 1, "2 typos in a 9-letter query");
    assert_eq!(count(&bytes, "berotinxxx "), 0, "3 typos in a 10-letter query");
    // Without fuzzy, none.
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    assert_eq!(engine.count("kaxol ", &Options { fuzzy: false, ..Options::default() }), 0);
    assert_eq!(engine.count("kaxol ", &Options { exact_diacritics: true, ..Options::default() }), 0);
}

#[test]
fn no_typos_inside_phrases() {
    let bytes = docs(["kanol berotin và stoltenberg".into()]);
    assert_eq!(count(&bytes, "kaxol berotin"), 1);
    assert_eq!(count(&bytes, "\"kanol berotin\""), 1);
    assert_eq!(count(&bytes, "\"kaxol berotin\""), 0, "a typo inside a phrase");
    assert_eq!(count(&bytes, "\"kanol berxtin\""), 0, "a typo inside a phrase");
    assert_eq!(count(&bytes, "\"kanol berxtin"), 0, "a typo inside an open phrase");
    // A single quoted word is no phrase, wherever it stands.
    assert_eq!(count(&bytes, "\"kaxol\""), 1);
    assert_eq!(count(&bytes, "berotin \"kaxol\""), 1);
    assert_eq!(count(&bytes, "\"berotin\" \"kaxol\" stoltenberg"), 1);
}

#[test]
fn no_typos_for_common_words() {
    // "kanol" in 10 of 11 documents is common (max(11 / 50, 10) = 10):
    // "kanal" is not one of its typos; in 9 it is not common.
    let common = docs((0..10).map(|_| "kanol".to_string()).chain(["kanal".to_string()]));
    assert_eq!(count(&common, "kanol "), 10, "a common word got typos");
    assert_eq!(count(&common, "kanal "), 11, "a rare word lost its typos");
    let rare = docs((0..9).map(|_| "kanol".to_string()).chain(["kanal".to_string()]));
    assert_eq!(count(&rare, "kanol "), 10);
    // With 1,000 documents, common starts at 20.
    let texts = |n: usize| {
        (0..1000).map(move |i| {
            if i < n {
                "kanol".into()
            } else if i == 999 {
                "kanal".into()
            } else {
                "x".into()
            }
        })
    };
    assert_eq!(count(&docs(texts(20)), "kanol "), 20);
    assert_eq!(count(&docs(texts(19)), "kanol "), 20);
}

#[test]
fn no_typos_while_a_word_completes_the_typed_one() {
    let bytes = docs(["kanolit".into(), "kanul".into()]);
    assert_eq!(count(&bytes, "kanol"), 1, "typos tried though a word completes the typed one");
    assert_eq!(count(&bytes, "kanol "), 1);
    assert_eq!(count(&bytes, "kanyl"), 1);
}

#[test]
fn exact_diacritics_match_and_highlight_only_the_typed_spelling() {
    let bytes = docs(["bạn và ban và bản".into(), "ban".into(), "bàn".into()]);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let exact = Options { exact_diacritics: true, ..Options::default() };
    let r = engine.search("bạn ", &exact);
    assert_eq!(r.total, 1);
    let hit = &r.hits[0];
    let marked: Vec<String> = hit.highlights.iter().map(|&h| utf16_slice(&hit.snippet, h).unwrap()).collect();
    assert_eq!(marked, ["bạn"], "{:?}", hit.snippet);
    let whole = engine.document_highlights(hit.id, "bạn ", &exact).unwrap();
    assert_eq!(whole.text, hit.highlights);
    // Typed without marks and finished: only the unmarked spelling.
    let r = engine.search("ban ", &exact);
    assert_eq!(r.total, 2);
    for hit in &r.hits {
        for &h in &hit.highlights {
            assert_eq!(utf16_slice(&hit.snippet, h).unwrap(), "ban", "{:?}", hit.snippet);
        }
    }
    // Without exact diacritics, every spelling matches, and all light up
    // when none was typed.
    assert_eq!(engine.count("bạn ", &Options::default()), 3);
    let r = engine.search("ban ", &Options::default());
    assert_eq!(r.total, 3);
    let first = r.hits.iter().find(|h| h.id == 0).unwrap();
    assert_eq!(first.highlights.len(), 3, "{:?}", first.snippet);
}

#[test]
fn typo_expansion_stops_at_max_fuzzy_terms() {
    // 26 words within one edit of "kanol", each in its own document.
    let words: Vec<String> = (b'a'..=b'z').map(|c| format!("kan{}l", c as char)).collect();
    assert!(words.len() > MAX_FUZZY_TERMS);
    let bytes = docs(words.iter().filter(|w| *w != "kanol").cloned());
    assert_eq!(count(&bytes, "kanol "), MAX_FUZZY_TERMS);
    // The most frequent first: "kanzl", last in the dictionary, in three
    // documents, is kept.
    let bytes = docs(words.iter().filter(|w| *w != "kanol").cloned().chain(["kanzl".to_string(), "kanzl".to_string()]));
    assert_eq!(count(&bytes, "kanol "), MAX_FUZZY_TERMS + 2);
    // Below the limit (24 as documented), all of them.
    let bytes = docs(words.iter().take(20).cloned());
    assert_eq!(count(&bytes, "kanxl "), 20);
    // Closest first: a word one edit away is kept before words two away.
    let mut texts: Vec<String> =
        (0..40).map(|i| format!("stoltenbe{}{}", (b'a' + i / 26) as char, (b'a' + i % 26) as char)).collect();
    texts.push("stoltenbrg".into());
    let bytes = docs(texts);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let r = engine.search("stoltenberg ", &Options { limit: 100, ..Options::default() });
    assert_eq!(r.total, MAX_FUZZY_TERMS);
    assert!(r.hits.iter().any(|h| h.id == 40), "the word 1 edit away was not kept");
}

#[test]
fn prefix_expansion_stops_at_max_prefix_terms() {
    // 600 words starting with "kano", each in one document: few postings,
    // so not a heavy prefix, but more words than a prefix expands to.
    let texts = (0..600).map(|i| format!("kano{}{}", (b'a' + (i / 26) as u8) as char, (b'a' + (i % 26) as u8) as char));
    let bytes = docs(texts);
    let index = Index::open(&bytes).unwrap();
    assert!(index.heavy("kano").is_none());
    let mut engine = Engine::new(index);
    assert_eq!(engine.count("kano", &Options::default()), MAX_PREFIX_TERMS);
    assert_eq!(engine.count("kanoa", &Options::default()), 26);
    assert_eq!(engine.count("kanoab ", &Options { fuzzy: false, ..Options::default() }), 1);
}

#[test]
fn prefix_expansion_stops_at_the_postings_budget() {
    // Three completions of a prefix too long to be heavy, in disjoint parts
    // of the documents: the two frequent ones fill the budget exactly (and
    // are read), the rare one is past it (and is not).
    let half = POSTINGS_BUDGET as usize / 2;
    let texts = (0..2 * half + 1).map(|i| match i {
        i if i < half => "stoltenbergaa".to_string(),
        i if i < 2 * half => "stoltenbergbb".to_string(),
        _ => "stoltenbergcc".to_string(),
    });
    let bytes = docs(texts);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    assert_eq!(engine.count("stoltenberga", &Options::default()), half);
    assert_eq!(
        engine.count("stoltenberg", &Options::default()),
        2 * half,
        "the budget did not hold, or was not filled"
    );
    assert_eq!(engine.count("stoltenbergcc ", &Options { fuzzy: false, ..Options::default() }), 1);
    // The most frequent completion is read even alone over the budget.
    let over = POSTINGS_BUDGET as usize + 2;
    let bytes = docs((0..over).map(|i| if i == 0 { "stoltenbergbb" } else { "stoltenbergaa" }.to_string()));
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    assert_eq!(engine.count("stoltenberg", &Options::default()), over - 1);
}

#[test]
fn a_correction_reads_a_bounded_number_of_candidates() {
    // Terms two edits from "bacd", all before "zacd" (one edit) in the
    // dictionary's order: "aacY", "aXcd" and "cacY".
    let letters = ('a'..='z').filter(|&c| c != 'd');
    let far: Vec<String> = letters
        .clone()
        .map(|y| format!("aac{y}"))
        .chain(('b'..='z').map(|x| format!("a{x}cd")))
        .chain(letters.map(|y| format!("cac{y}")))
        .collect();
    assert!(far.len() > 64);
    let strict = Options { fuzzy: false, ..Options::default() };
    let suggestion = |terms: &[String]| {
        let bytes = docs(terms.iter().cloned().chain(["zacd".to_string()]));
        Engine::new(Index::open(&bytes).unwrap()).search("bacd ", &strict).suggestion
    };
    // Few candidates: the closest is found wherever it stands.
    assert_eq!(suggestion(&far[..10]).as_deref(), Some("zacd"));
    // Many: the search stops before reaching it (a bounded cost per keystroke).
    let bounded = suggestion(&far).unwrap();
    assert!(far.contains(&bounded), "{bounded}");
}

#[test]
fn queries_stop_at_max_words_and_max_query_bytes() {
    let bytes = docs(["một hai ba".into()]);
    let words = |n: usize| vec!["hai"; n].join(" ");
    assert_eq!(count(&bytes, &format!("{} zzz", words(MAX_WORDS))), 1, "word {} was read", MAX_WORDS + 1);
    assert_eq!(count(&bytes, &format!("{} zzz", words(MAX_WORDS - 1))), 0, "word {MAX_WORDS} was not read");
    let padded = |n: usize| format!("hai{} zzz", " ".repeat(n));
    assert_eq!(count(&bytes, &padded(MAX_QUERY_BYTES - 4)), 1, "a word past {MAX_QUERY_BYTES} bytes was read");
    assert_eq!(count(&bytes, &padded(MAX_QUERY_BYTES - 5)), 0, "a word within {MAX_QUERY_BYTES} bytes was not read");
}

#[test]
fn telex_reads_words_of_two_to_ten_letters() {
    let bytes = docs(["đônggggg".into(), "đôngggggg".into(), "trường".into()]);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let plain = Options { fuzzy: false, ..Options::default() };
    assert_eq!(engine.count("ddoonggggg ", &plain), 1, "a 10-letter telex word");
    assert_eq!(engine.count("ddoongggggg ", &plain), 0, "an 11-letter word read as telex");
    // "uow" is ươ: with exact diacritics, only the spelling with both horns.
    let exact = Options { exact_diacritics: true, ..Options::default() };
    assert_eq!(engine.count("truowngf ", &exact), 1);
    assert_eq!(engine.count("truwowngf ", &exact), 1);
}

#[test]
fn typos_only_for_words_of_at_most_32_bytes() {
    let long32 = "a".repeat(16) + &"b".repeat(16);
    let long33 = "c".repeat(33);
    let bytes = docs([long32.clone(), long33.clone()]);
    let typo = |w: &str| format!("x{} ", &w[1..]);
    assert_eq!(count(&bytes, &typo(&long32)), 1);
    assert_eq!(count(&bytes, &typo(&long33)), 0, "a typo in a word over 32 bytes");
}
