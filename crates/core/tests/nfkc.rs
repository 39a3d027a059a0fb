//! Compatibility characters (NFKC): fullwidth letters and digits, ligatures,
//! superscripts and the like fold as their plain letters, through the one
//! text pipeline, at index time and at query time alike.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use timkiem_core::corpus::Document;
use timkiem_core::query::parse;
use timkiem_core::text::{compatibility_chars, fold, is_mark, tokenize};
use timkiem_core::write::write_index;
use timkiem_core::{Engine, Index, Options};
use unicode_normalization::UnicodeNormalization;

fn terms(text: &str) -> Vec<(String, Vec<u8>)> {
    tokenize(text).map(|t| (t.term, t.marks)).collect()
}

/// Whether the generator's rule takes `c`: its NFKD differs from its NFD and
/// is Latin, Greek or Cyrillic letters and digits with combining marks.
fn wanted(c: char) -> Option<String> {
    let nfkd: String = c.to_string().nfkd().collect();
    let nfd: String = c.to_string().nfd().collect();
    let bases: Vec<char> = nfkd.chars().filter(|&m| !('\u{300}'..='\u{36F}').contains(&m)).collect();
    let ok = nfkd != nfd
        && !bases.is_empty()
        && bases.iter().all(|&b| b.is_alphanumeric() && (b as u32) < 0x530 && !is_mark(b))
        && nfkd
            .chars()
            .all(|m| !unicode_normalization::char::is_combining_mark(m) || ('\u{300}'..='\u{36F}').contains(&m));
    ok.then_some(nfkd)
}

/// Characters the rule takes that Unicode assigned after the version of the
/// table (Python's, 14.0): the normalizer knows them, the table does not yet.
const NEWER_THAN_TABLE: &[char] = &['\u{209D}', '\u{209E}', '\u{209F}', '\u{A7F1}', '\u{1D6A6}'];

#[test]
fn the_table_is_unicode_nfkd_and_complete() {
    let table: BTreeMap<char, String> = compatibility_chars().collect();
    assert!(table.len() > 1500, "{}", table.len());
    for (c, nfkd) in &table {
        assert_eq!(&c.to_string().nfkd().collect::<String>(), nfkd, "U+{:04X}", *c as u32);
    }
    // Every character the rule takes, over the blocks that have long been
    // stable (the table comes from Python's Unicode tables, the normalizer may
    // be newer).
    for cp in (0x80..0xD800).chain(0xF900..0x10000).chain(0x1D400..0x1D800).chain(0x1F100..0x1F200) {
        let Some(c) = char::from_u32(cp) else { continue };
        if let Some(nfkd) = wanted(c) {
            if NEWER_THAN_TABLE.contains(&c) {
                assert!(!table.contains_key(&c), "U+{cp:04X} is in the table now: take it off NEWER_THAN_TABLE");
                continue;
            }
            assert_eq!(table.get(&c), Some(&nfkd), "U+{cp:04X} {c} is missing");
        }
    }
}

/// Index time (a document's tokens) and query time (a parsed query's words)
/// fold every compatibility character as its NFKC, alone and inside a word.
#[test]
fn index_and_query_time_agree_on_every_compatibility_character() {
    let mut checked = 0;
    for (c, _) in compatibility_chars() {
        let nfkc: String = c.to_string().nfkc().collect();
        let indexed = terms(&c.to_string());
        assert_eq!(indexed, terms(&nfkc), "U+{:04X} {c} → {nfkc}", c as u32);
        let queried: Vec<(String, Vec<u8>)> =
            parse(&c.to_string()).words.into_iter().map(|w| (w.term, w.marks)).collect();
        assert_eq!(queried, indexed, "U+{:04X} {c}", c as u32);
        assert_eq!(terms(&format!("ab{c}cd")), terms(&format!("ab{nfkc}cd")), "U+{:04X} {c}", c as u32);
        checked += 1;
    }
    assert!(checked > 1500);
}

#[test]
fn examples_fold_as_their_plain_letters() {
    assert_eq!(fold("ｎｈａｔ　ｂａｎ ２０２３"), "nhat ban 2023");
    assert_eq!(fold("ＮＨẬＴ ＢẢＮ"), "nhat ban");
    assert_eq!(fold("ﬁnance ﬂow oﬀ"), "finance flow off");
    assert_eq!(fold("km² H₂O x³ ⑩ Ⅻ ㎏ ſ"), "km2 h2o x3 10 xii kg s");
    assert_eq!(fold("𝐓𝐢𝐞̂́𝐧𝐠 𝕍𝕚𝕖𝕥"), "tieng viet");
    // Fullwidth marks keep the word's diacritics: ＮＨẬＴ is spelt as NHẬT.
    assert_eq!(terms("ＮＨẬＴ"), terms("nhật"));
    // Separators stay separators.
    assert_eq!(fold("a¼b ℃ ⑴"), "a b");
}

#[test]
fn fullwidth_finds_ascii_and_back_with_highlights_on_the_original_text() {
    let doc =
        |path: &str, title: &str, text: &str| Document { path: path.into(), title: title.into(), text: text.into() };
    let docs = vec![
        doc("fw.txt", "Ｔｏｋｙｏ", "ｎｈａｔ　ｂａｎ ２０２３, ﬁnance km²."),
        doc("ascii.txt", "Osaka", "nhat ban 2023, finance km2."),
    ];
    let (bytes, _) = write_index(&docs).unwrap();
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let plain = Options { fuzzy: false, telex: false, ..Options::default() };
    for query in ["nhat ban 2023", "ｎｈａｔ ｂａｎ ２０２３", "ﬁnance km2", "finance km²", "ＦＩＮＡＮＣＥ"]
    {
        let r = engine.search(query, &plain);
        assert_eq!(r.total, 2, "{query}");
        for hit in &r.hits {
            let snippet: Vec<u16> = hit.snippet.encode_utf16().collect();
            let words: Vec<String> = hit
                .highlights
                .iter()
                .map(|[s, e]| String::from_utf16(&snippet[*s as usize..*e as usize]).unwrap())
                .collect();
            let expected: Vec<&str> = match (hit.path.as_str(), query.contains("nance") || query.contains("ＮＡＮ"))
            {
                ("fw.txt", false) => vec!["ｎｈａｔ", "ｂａｎ", "２０２３"],
                ("fw.txt", true) if query.contains("km") => vec!["ﬁnance", "km²"],
                ("fw.txt", true) => vec!["ﬁnance"],
                (_, false) => vec!["nhat", "ban", "2023"],
                (_, true) if query.contains("km") => vec!["finance", "km2"],
                (_, true) => vec!["finance"],
            };
            assert_eq!(words, expected, "{query} in {}", hit.path);
        }
    }
    let r = engine.search("tokyo", &plain);
    assert_eq!((r.total, r.hits[0].title_highlights.clone()), (1, vec![[0, 5]]));
}
