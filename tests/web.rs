//! Browser tests of the JS API boundary: result shapes, UTF-16 ranges,
//! errors as JS exceptions (never traps), hostile queries and options, and
//! memory that does not grow over 100,000 queries.
//! Run with `wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use js_sys::{Array, Function, JsString, Object, Reflect};
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

fn options(expr: &str) -> JsValue {
    js(expr)
}

fn search(q: &JsValue, o: &JsValue) -> Result<Array, String> {
    timkiem::search(q.clone(), o.clone())
        .map(|v| v.dyn_into::<Array>().unwrap())
        .map_err(|e| get(&JsValue::from(e), "message").as_string().unwrap_or_default())
}

fn slice(s: &JsValue, range: &JsValue) -> String {
    let r: Array = range.clone().dyn_into().unwrap();
    let (a, b) = (r.get(0).as_f64().unwrap() as u32, r.get(1).as_f64().unwrap() as u32);
    String::from(s.clone().dyn_into::<JsString>().unwrap().slice(a, b))
}

#[wasm_bindgen_test]
fn hits_have_the_documented_shape_and_utf16_ranges() {
    let hits = search(&"Nhật Bản".into(), &JsValue::UNDEFINED).unwrap();
    assert!(hits.length() >= 3 && hits.length() <= 10);
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
        for (text, key) in [("snippet", "highlights"), ("title", "titleHighlights")] {
            let text = get(&hit, text);
            let ranges: Array = get(&hit, key).dyn_into().unwrap();
            for range in ranges.iter() {
                let word = fold(&slice(&text, &range));
                assert!(word == "nhat" || word == "ban", "{word:?}");
            }
        }
        assert!(get(&hit, "title").as_string().unwrap().contains("Nhật Bản") || get(&hit, "snippet").as_string().unwrap().contains("Nhật Bản"));
        let id = get(&hit, "id");
        let doc = timkiem::get_document(id.clone()).unwrap();
        assert_eq!(get(&doc, "title"), get(&hit, "title"));
        assert!(get(&doc, "text").as_string().unwrap().len() > 100);
        let ranges: Array = timkiem::document_highlights(id, "nhat ban".into(), JsValue::UNDEFINED).unwrap().dyn_into().unwrap();
        assert!(ranges.length() > 0);
        for range in ranges.iter() {
            let word = fold(&slice(&get(&doc, "text"), &range));
            assert!(word == "nhat" || word == "ban", "{word:?}");
        }
    }
    let stats = timkiem::stats().unwrap();
    assert_eq!(get(&stats, "documents").as_f64(), Some(5.0));
    assert!(get(&stats, "terms").as_f64().unwrap() > 100.0);
    assert!(get(&stats, "indexBytes").as_f64().unwrap() > 10_000.0);
    assert_eq!(timkiem::count("nhat ban".into(), JsValue::UNDEFINED).unwrap(), 5);
}

#[wasm_bindgen_test]
fn ranges_count_utf16_units_around_astral_text() {
    // The seeds have no emoji; check the mapping through the highlight API on
    // a query whose words sit after multi-unit characters in the text.
    let hits = search(&"dan mach".into(), &JsValue::UNDEFINED).unwrap();
    let hit = hits.get(0);
    let snippet = get(&hit, "snippet");
    let ranges: Array = get(&hit, "highlights").dyn_into().unwrap();
    let found: Vec<String> = ranges.iter().map(|r| slice(&snippet, &r)).collect();
    assert!(found.iter().any(|w| w == "Đan") && found.iter().any(|w| w == "Mạch"), "{found:?}");
}

#[wasm_bindgen_test]
fn errors_are_exceptions_with_a_message() {
    let cases: Vec<(JsValue, JsValue, &str)> = vec![
        (JsValue::from(42), JsValue::UNDEFINED, "query must be a string"),
        (JsValue::NULL, JsValue::UNDEFINED, "query must be a string"),
        (js("{}"), JsValue::UNDEFINED, "query must be a string"),
        ("a".into(), js("'limit'"), "options must be an object"),
        ("a".into(), js("{limit: -1}"), "options.limit must be a non-negative integer"),
        ("a".into(), js("{limit: NaN}"), "options.limit must be a non-negative integer, got NaN"),
        ("a".into(), js("{limit: 2.5}"), "options.limit"),
        ("a".into(), js("{limit: Infinity}"), "options.limit"),
        ("a".into(), js("{limit: '10'}"), "got a string"),
        ("a".into(), js("{offset: -0.5}"), "options.offset"),
        ("a".into(), js("{offset: true}"), "options.offset"),
        ("a".into(), js("{fuzzy: 'yes'}"), "options.fuzzy must be a boolean"),
        ("a".into(), js("{exactDiacritics: 1}"), "options.exactDiacritics must be a boolean"),
        ("a".into(), js("{telex: {}}"), "options.telex must be a boolean"),
        ("a".into(), js("{limit: 10n}"), "options.limit"),
    ];
    for (q, o, message) in &cases {
        let e = search(q, o).unwrap_err();
        assert!(e.contains(message), "{e:?} should contain {message:?}");
    }
    for id in [js("-1"), js("1.5"), js("NaN"), js("2**40"), js("'0'"), js("99")] {
        assert!(timkiem::get_document(id.clone()).is_err(), "{id:?}");
        assert!(timkiem::document_highlights(id, "a".into(), JsValue::UNDEFINED).is_err());
    }
    // Values that are odd but meaningful are accepted.
    for o in ["{limit: 0}", "{limit: 2**40, offset: 2**40}", "{offset: 0, limit: 1e3}", "null", "{unknown: 1}", "[]"] {
        assert!(search(&"nato".into(), &options(o)).is_ok(), "{o}");
    }
    assert_eq!(search(&"nato".into(), &options("{limit: 0}")).unwrap().length(), 0);
    assert_eq!(search(&"nato".into(), &options("{offset: 2**40}")).unwrap().length(), 0);
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
    let option_sets = ["undefined", "{fuzzy: false}", "{exactDiacritics: true}", "{limit: 100, offset: 3}", "{telex: false}"];
    let mut tried = 0;
    for q in &queries {
        for o in option_sets {
            let hits = search(q, &options(o)).unwrap();
            assert!(hits.length() <= 100);
            for hit in hits.iter() {
                let len = get(&hit, "snippet").dyn_into::<JsString>().unwrap().length();
                let ranges: Array = get(&hit, "highlights").dyn_into().unwrap();
                for r in ranges.iter() {
                    let r: Array = r.dyn_into().unwrap();
                    assert!(r.get(0).as_f64().unwrap() < r.get(1).as_f64().unwrap());
                    assert!(r.get(1).as_f64().unwrap() <= f64::from(len));
                }
            }
            timkiem::count(q.clone(), options(o)).unwrap();
            tried += 1;
        }
        let _ = timkiem::document_highlights(JsValue::from(0), q.clone(), JsValue::UNDEFINED).unwrap();
        breathe().await;
    }
    assert_eq!(tried, queries.len() * option_sets.len());
    let hits = search(&"nhat ban".into(), &JsValue::UNDEFINED).unwrap();
    assert_eq!(hits.length(), 5);
    assert!(get(&hits.get(0), "title").as_string().unwrap().contains("Nhật Bản"));
}

/// 100,000 queries do not grow wasm linear memory after warm-up.
#[wasm_bindgen_test]
async fn memory_does_not_grow_over_100k_queries() {
    let words = ["nhat ban", "dan mach", "nhậ", "thu tuo", "stoltenbreg", "\"van phong lien lac\"", "nhaajt banr", "han quoc", "bạn", "t", "ng", "2.400", "31/01/2023", ""];
    let queries: Vec<JsValue> = words.iter().map(|w| JsValue::from_str(w)).collect();
    let memory = || {
        let buffer = get(&wasm_bindgen::memory(), "buffer");
        get(&buffer, "byteLength").as_f64().unwrap()
    };
    let o = Object::new().into();
    for i in 0..2_000 {
        search(&queries[i % queries.len()], &o).unwrap();
    }
    let before = memory();
    for i in 0..100_000 {
        search(&queries[i % queries.len()], &o).unwrap();
        if i % 2_000 == 0 {
            breathe().await;
        }
    }
    let after = memory();
    web_sys::console::log_1(&format!("wasm memory before {before} bytes, after 100,000 queries {after} bytes").into());
    assert_eq!(before, after, "memory grew from {before} to {after}");
}
