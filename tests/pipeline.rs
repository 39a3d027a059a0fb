//! The text pipeline: folding of every Vietnamese vowel and tone, and proof
//! that the index `build.rs` embedded was made by the same pipeline the
//! runtime uses for queries.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeSet, HashSet};

use quickcheck::{QuickCheck, TestResult};
use timkiem_core::text::{fold, tokenize, Token};
use timkiem_core::Index;
use unicode_normalization::UnicodeNormalization;

const VOWELS: [(&str, char); 12] = [
    ("a", 'a'),
    ("a\u{306}", 'a'),
    ("a\u{302}", 'a'),
    ("e", 'e'),
    ("e\u{302}", 'e'),
    ("i", 'i'),
    ("o", 'o'),
    ("o\u{302}", 'o'),
    ("o\u{31B}", 'o'),
    ("u", 'u'),
    ("u\u{31B}", 'u'),
    ("y", 'y'),
];
const TONES: [&str; 6] = ["", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}"];

fn one(text: &str) -> Token {
    let tokens: Vec<Token> = tokenize(text).collect();
    assert_eq!(tokens.len(), 1, "{text:?} gave {tokens:?}");
    tokens.into_iter().next().unwrap()
}

#[test]
fn every_vowel_in_every_tone_in_both_cases_and_forms() {
    let mut all_marks = HashSet::new();
    for (vowel, base) in VOWELS {
        for tone in TONES {
            let nfd: String = format!("{vowel}{tone}");
            let nfc: String = nfd.nfc().collect();
            assert_eq!(nfc.chars().count(), 1, "{nfd:?} has a precomposed form");
            let upper: String = nfc.to_uppercase();
            let upper_nfd: String = upper.nfd().collect();
            let reference = one(&nfc);
            assert_eq!(reference.term, base.to_string(), "{nfc}");
            for form in [&nfd, &upper, &upper_nfd] {
                let t = one(form);
                assert_eq!((&t.term, &t.marks), (&reference.term, &reference.marks), "{form:?} vs {nfc}");
            }
            // In a syllable too, where the tone may sit on either vowel.
            assert_eq!(fold(&format!("ngh{nfc}ng")), format!("ngh{base}ng"));
            all_marks.insert((base, reference.marks));
        }
    }
    // Exact-diacritic matching can tell all 72 spellings apart.
    assert_eq!(all_marks.len(), VOWELS.len() * TONES.len());
}

#[test]
fn d_with_stroke_and_letters_without_decomposition() {
    for (text, folded) in [
        ("Đ", "d"),
        ("đ", "d"),
        ("ĐẶNG", "dang"),
        ("Øresund", "oresund"),
        ("Łódź", "lodz"),
        ("Ħal", "hal"),
        ("Ŧ", "t"),
        ("Ærø", "aero"),
        ("Œuvre", "oeuvre"),
        ("Straße", "strasse"),
        ("Þing", "thing"),
        ("ı", "i"),
        ("Koweït", "koweit"),
        ("Zürich", "zurich"),
        ("São", "sao"),
    ] {
        assert_eq!(fold(text), folded, "{text}");
    }
    assert_ne!(one("đan").marks, one("dan").marks);
    assert_eq!(one("Đan").marks, one("đan").marks);
}

#[test]
fn fold_table_agrees_with_unicode_normalization() {
    // Every letter the table knows folds as NFD-then-strip-marks would.
    let mut checked = 0;
    for cp in (0x00C0..=0x024F).chain(0x1E00..=0x1EFF) {
        let Some(c) = char::from_u32(cp) else { continue };
        if !c.is_alphabetic() {
            continue;
        }
        let nfd: String = c.to_string().nfd().filter(|c| !('\u{300}'..='\u{36F}').contains(c)).collect();
        if nfd.chars().count() != 1 || nfd == c.to_string() {
            continue;
        }
        // The base letter itself may be one Unicode does not decompose (Ǿ → Ø).
        let expected: String = nfd.to_lowercase();
        assert_eq!(fold(&c.to_string()), fold(&expected), "U+{cp:04X} {c}");
        assert!(fold(&expected).is_ascii() || !expected.is_ascii(), "U+{cp:04X}");
        checked += 1;
    }
    assert!(checked > 450, "{checked}");
}

#[test]
fn folding_is_idempotent_and_offsets_stay_on_char_boundaries() {
    fn prop(text: String) -> TestResult {
        let once = fold(&text);
        if fold(&once) != once {
            return TestResult::failed();
        }
        let mut last = 0;
        for t in tokenize(&text) {
            let ok = t.start >= last
                && t.start < t.end
                && t.end <= text.len()
                && text.is_char_boundary(t.start)
                && text.is_char_boundary(t.end)
                && !t.term.is_empty();
            if !ok {
                return TestResult::failed();
            }
            last = t.end;
        }
        TestResult::passed()
    }
    QuickCheck::new().tests(2000).quickcheck(prop as fn(String) -> TestResult);
    // Vietnamese-heavy inputs, NFD and NFC mixed.
    fn prop_vi(picks: Vec<(u8, u8, bool, bool)>) -> bool {
        let text: String = picks
            .iter()
            .map(|&(v, t, nfd, sep)| {
                let (vowel, _) = VOWELS[usize::from(v) % VOWELS.len()];
                let s = format!("nh{vowel}{}t", TONES[usize::from(t) % TONES.len()]);
                let s: String = if nfd { s } else { s.nfc().collect() };
                if sep {
                    s + "-"
                } else {
                    s + " "
                }
            })
            .collect();
        let nfc: String = text.nfc().collect();
        let a: Vec<(String, Vec<u8>)> = tokenize(&text).map(|t| (t.term, t.marks)).collect();
        let b: Vec<(String, Vec<u8>)> = tokenize(&nfc).map(|t| (t.term, t.marks)).collect();
        a == b && fold(&fold(&text)) == fold(&text)
    }
    QuickCheck::new().tests(500).quickcheck(prop_vi as fn(Vec<(u8, u8, bool, bool)>) -> bool);
}

/// The index that build.rs embedded holds exactly the terms, documents and
/// positions that the runtime pipeline finds in the seeds: index time and
/// query time agree.
#[test]
fn embedded_index_agrees_with_runtime_pipeline() {
    let corpus = timkiem_core::corpus::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).unwrap();
    let index = Index::open(timkiem::EMBEDDED_INDEX).unwrap();
    assert_eq!(index.documents() as usize, corpus.documents.len());
    let mut vocabulary = BTreeSet::new();
    for (id, doc) in corpus.documents.iter().enumerate() {
        let info = index.doc(id as u32).unwrap();
        assert_eq!(
            (info.title, info.path, info.text().unwrap()),
            (doc.title.as_str(), doc.path.as_str(), doc.text.as_str())
        );
        let title: Vec<Token> = tokenize(&doc.title).collect();
        let body: Vec<Token> = tokenize(&doc.text).collect();
        assert_eq!((info.title_tokens as usize, info.body_tokens as usize), (title.len(), body.len()));
        let positions = title
            .iter()
            .enumerate()
            .map(|(i, t)| (i as u32, t))
            .chain(body.iter().enumerate().map(|(i, t)| ((title.len() + 1 + i) as u32, t)));
        for (pos, token) in positions {
            vocabulary.insert(token.term.clone());
            let term = index.lookup(&token.term).unwrap_or_else(|| panic!("{:?} not in the index", token.term));
            let posting = index.postings(term).find(|p| p.doc == id as u32).unwrap();
            assert!(index.positions(&posting).any(|p| p == pos), "{} at {pos} in {id}", token.term);
            assert!(
                index.variants(term).any(|v| v.marks == token.marks.as_slice()),
                "variant of {:?} missing",
                token.term
            );
        }
    }
    assert_eq!(vocabulary.len(), index.term_count() as usize);
}
