//! The JavaScript boundary: typed exports over the embedded index.
//!
//! Every export takes and returns plain values (`&str`, `u32`, `bool`,
//! `String`), never a `JsValue`, so each one is an ordinary Rust function
//! that also runs natively and is tested there. Results cross as one JSON
//! text (see `json.rs`); errors are `Err` messages beginning `timkiem: `,
//! which wasm-bindgen throws and `timkiem.js` turns into `Error`s. Nothing
//! here can panic (the crate denies `unwrap`, `expect`, `panic` and indexing),
//! since on wasm a panic is a trap that kills the widget for the page's life.
//!
//! In the split layout an answer may need shards the index has not been
//! given yet: then `query`, `count`, `document` and `documentHighlights`
//! return `{"need":[[number,"file"]…]}` instead, and `timkiem.js` fetches
//! those files, hands each to [`add_shard`] and asks again.
//!
//! Argument checking (is the query a string, is `limit` a non-negative
//! integer, …) is the JS wrapper's job, `timkiem.js`: by the time a value is
//! a `u32` here, JS has already coerced it.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use timkiem_core::{Engine, Index, Options, Outcome};

use crate::{json, EMBEDDED_INDEX};

thread_local! {
    static ENGINE: RefCell<Option<Engine<'static>>> = const { RefCell::new(None) };
}

/// Runs `f` with the engine, opening the embedded index on first use.
fn with_engine<T>(f: impl FnOnce(&mut Engine<'static>) -> Result<T, String>) -> Result<T, String> {
    ENGINE.with(|cell| {
        let mut slot = cell.try_borrow_mut().map_err(|_| "timkiem: re-entrant call".to_string())?;
        if slot.is_none() {
            // build.rs checked the embedded index in full with `Index::open`.
            let index = Index::open_verified(EMBEDDED_INDEX).map_err(|e| format!("timkiem: {e}"))?;
            *slot = Some(Engine::new(index));
        }
        match slot.as_mut() {
            Some(engine) => f(engine),
            None => Err("timkiem: index unavailable".to_string()),
        }
    })
}

/// The matching options (what `count` and `documentHighlights` take).
fn matching(fuzzy: bool, exact_diacritics: bool, telex: bool, vni: bool) -> Options {
    Options { fuzzy, exact_diacritics, telex, vni, ..Options::default() }
}

fn no_document(id: u32) -> String {
    format!("timkiem: no document {id}")
}

/// The answer's JSON, or the shards it needs first.
fn answer<T>(
    engine: &Engine<'static>,
    outcome: Outcome<T>,
    json: impl FnOnce(T) -> Result<String, String>,
) -> Result<String, String> {
    match outcome {
        Outcome::Ready(value) => json(value),
        Outcome::Need(numbers) => {
            let shards = engine.index().shards();
            let named: Vec<(u32, String)> =
                numbers.into_iter().filter_map(|n| Some((n, shards.get(n as usize)?.file_name()))).collect();
            Ok(json::need(&named))
        }
    }
}

/// One page of results for `query` and the number of documents matching
/// it, from one evaluation: `{"hits":[Hit…],"total":N}`.
#[wasm_bindgen]
pub fn query(
    query: &str,
    limit: u32,
    offset: u32,
    fuzzy: bool,
    exact_diacritics: bool,
    telex: bool,
    vni: bool,
) -> Result<String, String> {
    let options =
        Options { limit: limit as usize, offset: offset as usize, ..matching(fuzzy, exact_diacritics, telex, vni) };
    with_engine(|engine| {
        let outcome = engine.query(query, &options);
        answer(engine, outcome, |results| Ok(json::results(&results)))
    })
}

/// Hands the bytes of shard `number` to the index (split layout), checked
/// against the shard table first: bytes that are not that shard (truncated,
/// altered, from another build) are refused with an error and dropped. The
/// bytes taken are kept for the page's life, as the index borrows them.
#[wasm_bindgen(js_name = addShard)]
pub fn add_shard(number: u32, bytes: Vec<u8>) -> Result<(), String> {
    with_engine(|engine| {
        engine.index().check_shard(number, &bytes).map_err(|e| format!("timkiem: {e}"))?;
        let kept: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        engine.add_shard(number, kept).map_err(|e| format!("timkiem: {e}"))
    })
}

/// The number of documents matching `query` (cheaper than [`query`]: no
/// ranking, no snippets): `{"total":N}`.
#[wasm_bindgen]
pub fn count(query: &str, fuzzy: bool, exact_diacritics: bool, telex: bool, vni: bool) -> Result<String, String> {
    let options = matching(fuzzy, exact_diacritics, telex, vni);
    with_engine(|engine| {
        let outcome = engine.try_count(query, &options);
        answer(engine, outcome, |total| Ok(json::total(total)))
    })
}

/// A whole document: `{"id":…,"title":…,"path":…,"text":…}`.
#[wasm_bindgen]
pub fn document(id: u32) -> Result<String, String> {
    with_engine(|engine| {
        let outcome = engine.try_doc(id);
        answer(engine, outcome, |doc| {
            let doc = doc.ok_or_else(|| no_document(id))?;
            let text = doc.text().ok_or("timkiem: document text is corrupt")?;
            Ok(json::document(id, doc.title, doc.path, text))
        })
    })
}

/// UTF-16 ranges of every word matching `query` in document `id`'s title
/// and text: `{"title":[[s,e]…],"text":[[s,e]…]}`.
#[wasm_bindgen(js_name = documentHighlights)]
pub fn document_highlights(
    id: u32,
    query: &str,
    fuzzy: bool,
    exact_diacritics: bool,
    telex: bool,
    vni: bool,
) -> Result<String, String> {
    let options = matching(fuzzy, exact_diacritics, telex, vni);
    with_engine(|engine| {
        let outcome = engine.try_document_highlights(id, query, &options);
        answer(engine, outcome, |found| {
            let found = found.ok_or_else(|| no_document(id))?;
            Ok(json::highlights(&found.title, &found.text))
        })
    })
}

/// The index's size and layout:
/// `{"documents":…,"terms":…,"indexBytes":…,"layout":"embedded"|"split","shards":N}`.
#[wasm_bindgen]
pub fn stats() -> Result<String, String> {
    with_engine(|engine| {
        let index = engine.index();
        let layout = index.layout().name();
        Ok(json::stats(index.documents(), index.term_count(), index.size(), layout, index.shards().len()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_gives_hits_and_the_total_of_one_evaluation() {
        let all = query("nhat ban", 100, 0, true, false, true, true).unwrap();
        let page = query("nhat ban", 2, 1, true, false, true, true).unwrap();
        let n: u32 = count("nhat ban", true, false, true, true).unwrap()["{\"total\":".len()..]
            .trim_end_matches('}')
            .parse()
            .unwrap();
        assert!(n >= 3, "{n}");
        // The total, then the marked spelling the plain query found.
        let tail = format!("],\"total\":{n},\"interpretation\":\"nhật bản\"}}");
        assert!(all.ends_with(&tail), "{all}");
        assert!(page.ends_with(&tail), "{page}");
        assert_eq!(page.matches("{\"id\":").count(), 2);
        assert_eq!(all.matches("{\"id\":").count(), n as usize);
        assert!(all.starts_with("{\"hits\":[{\"id\":"));
        assert!(all.contains("Nhật Bản"));
        // Beyond the last page: no hits, the same total (and no spelling:
        // it is read from the hits shown).
        let empty = format!("{{\"hits\":[],\"total\":{n}}}");
        assert_eq!(query("nhat ban", 10, u32::MAX, true, false, true, true).unwrap(), empty);
        assert_eq!(query("nhat ban", 0, 0, true, false, true, true).unwrap(), empty);
        // Nothing found: a correction that finds something.
        let none = query("nhat bam", 10, 0, false, false, true, true).unwrap();
        assert_eq!(none, "{\"hits\":[],\"total\":0,\"suggestion\":\"nhật bản\"}");
    }

    #[test]
    fn options_reach_the_engine() {
        let count = |q, fuzzy, exact, telex| -> u32 {
            count(q, fuzzy, exact, telex, true).unwrap()["{\"total\":".len()..].trim_end_matches('}').parse().unwrap()
        };
        assert!(count("nhaajt banr", true, false, true) > 0);
        assert_eq!(count("nhaajt banr", true, false, false), 0);
        assert!(count("stoltenbreg", true, false, true) > 0);
        assert_eq!(count("stoltenbreg", false, false, true), 0);
        assert!(count("nhat ban", true, true, true) < count("nhat ban", true, false, true));
    }

    #[test]
    fn empty_and_hostile_queries_are_answered() {
        for q in ["", "   ", "!!!", "\u{301}\u{301}", "\u{0}\u{7f}", "😀👍🏽", "\"", "\"nhat", "nhật 東京 мир"]
        {
            let json = query(q, 10, 0, true, false, true, true).unwrap();
            assert!(json.starts_with("{\"hits\":[") && json.ends_with('}'), "{q:?}: {json}");
            count(q, true, true, true, true).unwrap();
            document_highlights(0, q, true, false, true, true).unwrap();
        }
        let long = "nhat ".repeat(100_000);
        query(&long, 100, 0, true, false, true, true).unwrap();
    }

    #[test]
    fn documents_and_their_errors() {
        let doc = document(0).unwrap();
        assert!(doc.starts_with("{\"id\":0,\"title\":\""), "{doc}");
        let documents = stats().unwrap();
        assert!(documents.starts_with("{\"documents\":5,\"terms\":"), "{documents}");
        assert!(documents.ends_with(",\"layout\":\"embedded\",\"shards\":0}"), "{documents}");
        assert!(add_shard(0, vec![1, 2, 3]).unwrap_err().starts_with("timkiem: shard 0 refused"));
        assert_eq!(document(5).unwrap_err(), "timkiem: no document 5");
        assert_eq!(document(u32::MAX).unwrap_err(), "timkiem: no document 4294967295");
        assert_eq!(document_highlights(99, "a", true, false, true, true).unwrap_err(), "timkiem: no document 99");
    }

    /// The first hit's title ranges, as `query` gives them, and as
    /// `documentHighlights` does.
    fn title_ranges_both_ways(q: &str) -> (String, String) {
        let results = query(q, 1, 0, true, false, true, true).unwrap();
        let id_at = results.find("\"id\":").unwrap() + 5;
        let id: u32 = results[id_at..].split(',').next().unwrap().parse().unwrap();
        let from_query =
            results.split("\"titleHighlights\":").nth(1).unwrap().split("]}").next().unwrap().to_string() + "]";
        let both = document_highlights(id, q, true, false, true, true).unwrap();
        let from_doc = both.split("\"title\":").nth(1).unwrap().split(",\"text\":").next().unwrap().to_string();
        (from_query, from_doc)
    }

    #[test]
    fn title_highlights_agree_with_the_search() {
        for q in ["nhat ban", "Nhật Bản", "nhaajt banr", "dan mach", "stoltenbreg", "nha"] {
            let (from_query, from_doc) = title_ranges_both_ways(q);
            assert_eq!(from_query, from_doc, "{q}");
        }
        let (from_query, _) = title_ranges_both_ways("nhat ban");
        assert_ne!(from_query, "[]");
    }
}
