//! Astral characters (outside the BMP: two UTF-16 units each) before and
//! inside highlighted words, through the engine and the JSON the JS API
//! hands to the browser (`timkiem::json`): every range is in UTF-16 units and
//! slices out exactly the matched word.
//!
//! The browser exports search the embedded seeds, which have no astral
//! text; until the boundary branch can load another index from JS, this
//! native test covers the JS API's serializer over such a corpus.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use timkiem_core::corpus::Document;
use timkiem_core::text::fold;
use timkiem_core::write::write_index;
use timkiem_core::{Engine, Index, Options};
use timkiem_testkit::utf16_slice;

/// The UTF-16 range of each occurrence of `word` in `text`.
fn utf16_ranges_of(text: &str, word: &str) -> Vec<[u32; 2]> {
    text.match_indices(word)
        .map(|(at, w)| {
            let start = text[..at].encode_utf16().count() as u32;
            [start, start + w.encode_utf16().count() as u32]
        })
        .collect()
}

#[test]
fn astral_text_before_and_inside_highlighted_words() {
    assert_eq!(fold("𝐍hật"), "nhat", "the astral letter folds (NFKC)");
    let text = "Ở 😀Nhật Bản 👍🏽👍🏽 và 𝐍hật, 🇻🇳 nhật.";
    let title = "𝐍hật 😀 Bản";
    let docs = vec![Document { path: "a.txt".into(), title: title.into(), text: text.into() }];
    let (bytes, _) = write_index(&docs).unwrap();
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    for (q, options) in [
        ("nhat", Options::default()),
        ("Nhật ", Options::default()),
        ("nhật", Options { exact_diacritics: true, ..Options::default() }),
    ] {
        let hits = engine.search(q, &options).hits;
        assert_eq!(hits.len(), 1, "{q}");
        let hit = &hits[0];
        assert_eq!(hit.snippet, text);
        let mut want: Vec<[u32; 2]> = ["Nhật", "𝐍hật", "nhật"].iter().flat_map(|w| utf16_ranges_of(text, w)).collect();
        want.sort_unstable();
        assert_eq!(hit.highlights, want, "{q}");
        for &r in &hit.highlights {
            assert_eq!(fold(&utf16_slice(text, r).unwrap()), "nhat", "{q}: {r:?}");
        }
        assert_eq!(hit.title_highlights, utf16_ranges_of(title, "𝐍hật"), "{q}");
        // The JSON the browser gets carries the same ranges and text.
        let json = timkiem::json::results(&engine.search(q, &options));
        let ranges = want.iter().map(|[a, b]| format!("[{a},{b}]")).collect::<Vec<_>>().join(",");
        assert!(json.contains(&format!("[{ranges}]")), "{json}");
        assert!(json.contains("😀Nhật Bản") || json.to_lowercase().contains("\\ud83d\\ude00nh"), "{json}");
        let whole = engine.document_highlights(hit.id, q, &options).unwrap();
        assert_eq!(whole.text, want, "{q}");
    }
    // A prefix lights up only its typed part, after astral text too.
    let hit = &engine.search("ban", &Options::default()).hits[0];
    let [a, b] = hit.highlights[0];
    assert_eq!(utf16_slice(text, [a, b]).as_deref(), Some("Bản"));
    assert_eq!(hit.title_highlights, utf16_ranges_of(title, "Bản"));
}
