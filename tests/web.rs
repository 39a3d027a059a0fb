//! Browser tests of the wasm exports, in wasm: result shapes as JS parses
//! them, UTF-16 ranges, errors as messages (never traps), hostile queries,
//! and memory that does not grow over 100,000 queries. (The JS wrapper,
//! `timkiem.js`, and its argument checks are tested by `tests/js/`.)
//! Run with `wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use js_sys::{Array, Function, JsString, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use timkiem_core::text::fold;

wasm_bindgen_test_configure!(run_in_browser);

/// Lets the page's event loop run, so that a long test does not block the
/// test runner's polling of the page.
async fn breathe() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let set_timeout: Function = get(&global, "setTimeout").dyn_into().unwrap();
        set_timeout.call2(&global, &resolve, &JsValue::from(0)).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap()
}

/// A value made by JavaScript itself (for strings Rust cannot hold, such as
/// lone surrogates).
fn js(expr: &str) -> JsValue {
    Function::new_no_args(&format!("return ({expr});")).call0(&JsValue::NULL).unwrap()
}

/// `timkiem::query` with default options, parsed as the JS wrapper parses it.
/// The total `count` gives (`{"total":N}`), with the default options.
fn count(q: &str) -> u32 {
    let json = timkiem::count(q, true, false, true, true).unwrap();
    json.trim_start_matches("{\"total\":").trim_end_matches('}').parse().unwrap()
}

fn query(q: &str, limit: u32, offset: u32) -> JsValue {
    parse(&timkiem::query(q, limit, offset, true, false, true, true).unwrap())
}

fn parse(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

fn hits(results: &JsValue) -> Array {
    get(results, "hits").dyn_into().unwrap()
}

fn slice(s: &JsValue, range: &JsValue) -> String {
    let r: Array = range.clone().dyn_into().unwrap();
    let (a, b) = (r.get(0).as_f64().unwrap() as u32, r.get(1).as_f64().unwrap() as u32);
    String::from(s.clone().dyn_into::<JsString>().unwrap().slice(a, b))
}

/// Every range of `ranges` in `text` folds to one of `words`.
fn assert_marks(text: &JsValue, ranges: &JsValue, words: &[&str]) -> usize {
    let ranges: Array = ranges.clone().dyn_into().unwrap();
    for range in ranges.iter() {
        let word = fold(&slice(text, &range));
        assert!(words.contains(&word.as_str()), "{word:?}");
    }
    ranges.length() as usize
}

#[wasm_bindgen_test]
fn hits_have_the_documented_shape_and_utf16_ranges() {
    let results = query("Nhật Bản", 10, 0);
    let hits = hits(&results);
    assert!(hits.length() >= 3 && hits.length() <= 10);
    assert_eq!(get(&results, "total").as_f64(), Some(f64::from(count("Nhật Bản"))));
    let mut last_score = f64::INFINITY;
    for hit in hits.iter() {
        for key in ["id", "score"] {
            assert!(get(&hit, key).as_f64().is_some(), "{key}");
        }
        for key in ["title", "path", "snippet"] {
            assert!(get(&hit, key).is_string(), "{key}");
        }
        let score = get(&hit, "score").as_f64().unwrap();
        assert!(score <= last_score);
        last_score = score;
        assert_marks(&get(&hit, "snippet"), &get(&hit, "highlights"), &["nhat", "ban"]);
        assert_marks(&get(&hit, "title"), &get(&hit, "titleHighlights"), &["nhat", "ban"]);
        assert!(
            get(&hit, "title").as_string().unwrap().contains("Nhật Bản")
                || get(&hit, "snippet").as_string().unwrap().contains("Nhật Bản")
        );
        let id = get(&hit, "id").as_f64().unwrap() as u32;
        let doc = parse(&timkiem::document(id).unwrap());
        assert_eq!(get(&doc, "id"), get(&hit, "id"));
        assert_eq!(get(&doc, "title"), get(&hit, "title"));
        assert_eq!(get(&doc, "path"), get(&hit, "path"));
        assert!(get(&doc, "text").as_string().unwrap().len() > 100);
        let marks = parse(&timkiem::document_highlights(id, "nhat ban", true, false, true, true).unwrap());
        assert!(assert_marks(&get(&doc, "text"), &get(&marks, "text"), &["nhat", "ban"]) > 0);
        assert_marks(&get(&doc, "title"), &get(&marks, "title"), &["nhat", "ban"]);
        assert_eq!(
            js_sys::JSON::stringify(&get(&marks, "title")).unwrap(),
            js_sys::JSON::stringify(&get(&hit, "titleHighlights")).unwrap(),
            "the title's ranges agree with the hit's"
        );
    }
    let stats = parse(&timkiem::stats().unwrap());
    assert_eq!(get(&stats, "documents").as_f64(), Some(5.0));
    assert!(get(&stats, "terms").as_f64().unwrap() > 100.0);
    assert!(get(&stats, "indexBytes").as_f64().unwrap() > 10_000.0);
    assert_eq!(get(&stats, "layout"), JsValue::from_str("embedded"));
    assert_eq!(count("nhat ban"), 5);
}

#[wasm_bindgen_test]
fn ranges_count_utf16_units_around_astral_text() {
    // The seeds have no emoji; check the mapping through the highlight API on
    // a query whose words sit after multi-unit characters in the text.
    let hit = hits(&query("dan mach", 10, 0)).get(0);
    let snippet = get(&hit, "snippet");
    let ranges: Array = get(&hit, "highlights").dyn_into().unwrap();
    let found: Vec<String> = ranges.iter().map(|r| slice(&snippet, &r)).collect();
    assert!(found.iter().any(|w| w == "Đan") && found.iter().any(|w| w == "Mạch"), "{found:?}");
}

#[wasm_bindgen_test]
fn errors_are_messages_and_odd_pages_are_empty() {
    for id in [5, 99, u32::MAX] {
        assert_eq!(timkiem::document(id).unwrap_err(), format!("timkiem: no document {id}"));
        assert_eq!(
            timkiem::document_highlights(id, "a", true, false, true, true).unwrap_err(),
            format!("timkiem: no document {id}")
        );
    }
    let all = count("nato");
    for (limit, offset, expected) in [(0, 0, 0), (u32::MAX, u32::MAX, 0), (1000, 0, all), (u32::MAX, 0, all)] {
        let results = query("nato", limit, offset);
        assert_eq!(hits(&results).length(), expected, "limit {limit}, offset {offset}");
        assert_eq!(get(&results, "total").as_f64(), Some(f64::from(all)));
    }
}

/// Every hostile query returns a sane result, and the engine still answers
/// correctly afterwards (a trap would abort this test).
#[wasm_bindgen_test]
async fn hostile_queries_never_trap() {
    let queries: Vec<JsValue> = vec![
        js("''"),
        js("'   \\t\\n '"),
        js("'!!! ,.;:?()[]{}'"),
        js("'\\u0301\\u0323\\u0302'"),
        js("'a\\u0301\\u0301\\u0301\\u0301\\u0301\\u0301\\u0301\\u0301\\u0301\\u0301\\u0301\\u0301'"),
        js("'\\u0000\\u0007\\u001b[31m\\u007f'"),
        js("'\\uD800'"),
        js("'\\uDFFFnhat\\uD83D'"),
        js("'nhật \\uD800 bản'"),
        js("'😀👍🏽🇻🇳 nhat'"),
        js("'مرحبا بالعالم'"),
        js("'שלום'"),
        js("'nhật 東京 мир Ελλάδα 서울'"),
        js("'\\u202Enhat ban\\u202C'"),
        js("'\"\"\"\"'"),
        js("'\"nhat'"),
        js("'\"'"),
        js("'a'.repeat(1 << 20)"),
        js("'nhat '.repeat(200000)"),
        js("Array.from({length: 10000}, (_, i) => 'w' + i).join(' ')"),
        js("'ắ'.repeat(100000)"),
        js("'\\uFEFF\\u200B\\u200D'"),
        js("'ddddddddddddddddddddd aaaaaaaaaaaaaaa wwwwwwwww'"),
        js("'nhaajt banrrrrrrr sssss fffff'"),
        js("'0'.repeat(5000)"),
        js("'1.000.000.000.000.000.000'"),
    ];
    // (limit, offset, fuzzy, exactDiacritics, telex)
    let option_sets = [
        (10, 0, true, false, true),
        (10, 0, false, false, true),
        (10, 0, true, true, true),
        (100, 3, true, false, true),
        (10, 0, true, false, false),
    ];
    let mut tried = 0;
    for q in &queries {
        // What the glue does to a JS string (lone surrogates become U+FFFD).
        let q = String::from_utf16_lossy(&q.clone().dyn_into::<JsString>().unwrap().iter().collect::<Vec<u16>>());
        for (limit, offset, fuzzy, exact, telex) in option_sets {
            let results = parse(&timkiem::query(&q, limit, offset, fuzzy, exact, telex, true).unwrap());
            let hits = hits(&results);
            assert!(hits.length() <= 100);
            assert!(get(&results, "total").as_f64().unwrap() >= f64::from(hits.length()));
            for hit in hits.iter() {
                let len = get(&hit, "snippet").dyn_into::<JsString>().unwrap().length();
                let ranges: Array = get(&hit, "highlights").dyn_into().unwrap();
                for r in ranges.iter() {
                    let r: Array = r.dyn_into().unwrap();
                    assert!(r.get(0).as_f64().unwrap() < r.get(1).as_f64().unwrap());
                    assert!(r.get(1).as_f64().unwrap() <= f64::from(len));
                }
            }
            timkiem::count(&q, fuzzy, exact, telex, true).unwrap();
            tried += 1;
        }
        timkiem::document_highlights(0, &q, true, false, true, true).unwrap();
        breathe().await;
    }
    assert_eq!(tried, queries.len() * option_sets.len());
    let hits = hits(&query("nhat ban", 10, 0));
    assert_eq!(hits.length(), 5);
    assert!(get(&hits.get(0), "title").as_string().unwrap().contains("Nhật Bản"));
}

/// 100,000 queries do not grow wasm linear memory after warm-up.
#[wasm_bindgen_test]
async fn memory_does_not_grow_over_100k_queries() {
    let words = [
        "nhat ban",
        "dan mach",
        "nhậ",
        "thu tuo",
        "stoltenbreg",
        "\"van phong lien lac\"",
        "nhaajt banr",
        "han quoc",
        "bạn",
        "t",
        "ng",
        "2.400",
        "31/01/2023",
        "",
    ];
    let memory = || {
        let buffer = get(&wasm_bindgen::memory(), "buffer");
        get(&buffer, "byteLength").as_f64().unwrap()
    };
    for i in 0..2_000 {
        timkiem::query(words[i % words.len()], 10, 0, true, false, true, true).unwrap();
    }
    let before = memory();
    for i in 0..100_000 {
        timkiem::query(words[i % words.len()], 10, 0, true, false, true, true).unwrap();
        if i % 2_000 == 0 {
            breathe().await;
        }
    }
    let after = memory();
    web_sys::console::log_1(&format!("wasm memory before {before} bytes, after 100,000 queries {after} bytes").into());
    assert_eq!(before, after, "memory grew from {before} to {after}");
}
