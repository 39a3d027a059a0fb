//! The JavaScript boundary: typed exports over the embedded index.
//!
//! Every export returns a value or throws a JS `Error` with a message that
//! says what was wrong; none can panic, since a trap would kill the widget
//! for the rest of the page's life. Option checking is plain Rust
//! ([`options_from`]) so that it is tested natively.

use std::cell::RefCell;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use timkiem_core::{Engine, Hit, Index, Options};
use crate::EMBEDDED_INDEX;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Options of `search`, `count` and `documentHighlights`. */
export interface SearchOptions {
  /** Hits to return (default 10). A non-negative integer. */
  limit?: number;
  /** Hits to skip (default 0). A non-negative integer. */
  offset?: number;
  /** Also match words within one or two typos (default true). */
  fuzzy?: boolean;
  /** Only match words whose diacritics are exactly the ones typed (default false). */
  exactDiacritics?: boolean;
  /** Also read the query as telex typed without an input method, e.g. "nhaajt banr" (default true). */
  telex?: boolean;
}

/** One search result. Ranges are half-open, in UTF-16 code units. */
export interface Hit {
  /** Position of the document in the corpus, sorted by path. */
  id: number;
  title: string;
  /** Path relative to the corpus folder. Untrusted: check it before making it a link. */
  path: string;
  score: number;
  /** Plain text (never HTML) from the document, around the matches. */
  snippet: string;
  highlights: [number, number][];
  titleHighlights: [number, number][];
}

export interface Doc {
  id: number;
  title: string;
  path: string;
  text: string;
}

export interface Stats {
  documents: number;
  terms: number;
  /** Size of the embedded index in bytes. */
  indexBytes: number;
}
"#;

#[derive(Serialize)]
struct JsDoc<'a> {
    id: u32,
    title: &'a str,
    path: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsStats {
    documents: u32,
    terms: u32,
    index_bytes: usize,
}

thread_local! {
    static ENGINE: RefCell<Option<Engine<'static>>> = const { RefCell::new(None) };
}

/// Runs `f` with the engine, opening the embedded index on first use.
fn with_engine<T>(f: impl FnOnce(&mut Engine<'static>) -> Result<T, JsError>) -> Result<T, JsError> {
    ENGINE.with(|cell| {
        let mut slot = cell.try_borrow_mut().map_err(|_| JsError::new("timkiem: re-entrant call"))?;
        if slot.is_none() {
            let index = Index::open(EMBEDDED_INDEX).map_err(|e| JsError::new(&format!("timkiem: {e}")))?;
            *slot = Some(Engine::new(index));
        }
        match slot.as_mut() {
            Some(engine) => f(engine),
            None => Err(JsError::new("timkiem: index unavailable")),
        }
    })
}

/// An option's value, as read from JS.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Missing,
    Number(f64),
    Bool(bool),
    /// Any other type, by its `typeof`.
    Other(String),
}

impl Field {
    fn read(options: &JsValue, key: &str) -> Field {
        let value = js_sys::Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
        if value.is_undefined() || value.is_null() {
            Field::Missing
        } else if let Some(n) = value.as_f64() {
            Field::Number(n)
        } else if let Some(b) = value.as_bool() {
            Field::Bool(b)
        } else {
            Field::Other(value.js_typeof().as_string().unwrap_or_default())
        }
    }
}

/// What is wrong with a number given for a count (without formatting
/// floats, which would pull float printing into the wasm).
fn describe(n: f64) -> &'static str {
    if n.is_nan() {
        "NaN"
    } else if n.is_infinite() {
        "an infinite number"
    } else if n < 0.0 {
        "a negative number"
    } else {
        "a fractional number"
    }
}

fn count_field(name: &str, field: &Field, default: usize) -> Result<usize, String> {
    match field {
        Field::Missing => Ok(default),
        Field::Number(n) if n.is_finite() && *n >= 0.0 && n.fract() == 0.0 => Ok(n.min(u32::MAX as f64) as usize),
        Field::Number(n) => Err(format!("options.{name} must be a non-negative integer, got {}", describe(*n))),
        Field::Bool(b) => Err(format!("options.{name} must be a non-negative integer, got {b}")),
        Field::Other(t) => Err(format!("options.{name} must be a non-negative integer, got a {t}")),
    }
}

fn bool_field(name: &str, field: &Field, default: bool) -> Result<bool, String> {
    match field {
        Field::Missing => Ok(default),
        Field::Bool(b) => Ok(*b),
        Field::Number(_) => Err(format!("options.{name} must be a boolean, got a number")),
        Field::Other(t) => Err(format!("options.{name} must be a boolean, got a {t}")),
    }
}

/// Checks search options. Integers above 2³² are clamped to 2³²; anything
/// that is not what the option takes is an error naming the option.
pub fn options_from(
    limit: &Field,
    offset: &Field,
    fuzzy: &Field,
    exact: &Field,
    telex: &Field,
) -> Result<Options, String> {
    let d = Options::default();
    Ok(Options {
        limit: count_field("limit", limit, d.limit)?,
        offset: count_field("offset", offset, d.offset)?,
        fuzzy: bool_field("fuzzy", fuzzy, d.fuzzy)?,
        exact_diacritics: bool_field("exactDiacritics", exact, d.exact_diacritics)?,
        telex: bool_field("telex", telex, d.telex)?,
    })
}

fn read_options(options: &JsValue) -> Result<Options, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(Options::default());
    }
    if !options.is_object() {
        return Err(JsError::new("timkiem: options must be an object"));
    }
    let f = |k| Field::read(options, k);
    options_from(&f("limit"), &f("offset"), &f("fuzzy"), &f("exactDiacritics"), &f("telex"))
        .map_err(|e| JsError::new(&format!("timkiem: {e}")))
}

fn read_query(query: &JsValue) -> Result<String, JsError> {
    query.as_string().ok_or_else(|| JsError::new("timkiem: the query must be a string"))
}

fn read_id(id: &JsValue) -> Result<u32, JsError> {
    match id.as_f64() {
        Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= u32::MAX as f64 => Ok(n as u32),
        _ => Err(JsError::new("timkiem: a document id must be a non-negative integer")),
    }
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

/// The hits as one JSON text, which the browser parses in one call: far
/// fewer crossings of the JS boundary than setting each field of each hit
/// (which is what a serializer does), and no float printing in the wasm
/// (scores are written with three decimals by hand).
pub fn hits_json(hits: &[Hit]) -> String {
    fn number(out: &mut String, n: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut n = n;
        loop {
            i -= 1;
            if let Some(d) = digits.get_mut(i) {
                *d = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 || i == 0 {
                break;
            }
        }
        out.extend(digits.get(i..).unwrap_or(&[]).iter().map(|&d| char::from(d)));
    }
    fn string(out: &mut String, s: &str) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if u32::from(c) < 0x20 => {
                    out.push_str("\\u00");
                    let hex = |n: u32| char::from_digit(n & 15, 16).unwrap_or('0');
                    out.push(hex(u32::from(c) >> 4));
                    out.push(hex(u32::from(c)));
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
    fn ranges(out: &mut String, ranges: &[[u32; 2]]) {
        out.push('[');
        for (i, [s, e]) in ranges.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('[');
            number(out, u64::from(*s));
            out.push(',');
            number(out, u64::from(*e));
            out.push(']');
        }
        out.push(']');
    }
    let mut out = String::with_capacity(hits.iter().map(|h| h.snippet.len() + h.title.len() + 128).sum());
    out.push('[');
    for (i, h) in hits.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":");
        number(&mut out, u64::from(h.id));
        out.push_str(",\"title\":");
        string(&mut out, &h.title);
        out.push_str(",\"path\":");
        string(&mut out, &h.path);
        out.push_str(",\"score\":");
        let thousandths = (f64::from(h.score) * 1000.0).round();
        if thousandths < 0.0 {
            out.push('-');
        }
        let t = thousandths.abs().min(1e15) as u64;
        number(&mut out, t / 1000);
        out.push('.');
        let frac = t % 1000;
        out.push(char::from(b'0' + (frac / 100) as u8));
        out.push(char::from(b'0' + (frac / 10 % 10) as u8));
        out.push(char::from(b'0' + (frac % 10) as u8));
        out.push_str(",\"snippet\":");
        string(&mut out, &h.snippet);
        out.push_str(",\"highlights\":");
        ranges(&mut out, &h.highlights);
        out.push_str(",\"titleHighlights\":");
        ranges(&mut out, &h.title_highlights);
        out.push('}');
    }
    out.push(']');
    out
}

/// Searches the embedded index. Synchronous.
#[wasm_bindgen(unchecked_return_type = "Hit[]")]
pub fn search(
    #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SearchOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let query = read_query(&query)?;
    let options = read_options(&options)?;
    with_engine(|engine| {
        let hits = engine.search(&query, &options).hits;
        js_sys::JSON::parse(&hits_json(&hits)).map_err(|_| JsError::new("timkiem: could not build the results"))
    })
}

/// The number of documents matching `query` (all pages).
#[wasm_bindgen]
pub fn count(
    #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SearchOptions")] options: JsValue,
) -> Result<u32, JsError> {
    let query = read_query(&query)?;
    let options = read_options(&options)?;
    with_engine(|engine| Ok(u32::try_from(engine.count(&query, &options)).unwrap_or(u32::MAX)))
}

/// A whole document, by id.
#[wasm_bindgen(js_name = getDocument, unchecked_return_type = "Doc")]
pub fn get_document(#[wasm_bindgen(unchecked_param_type = "number")] id: JsValue) -> Result<JsValue, JsError> {
    let id = read_id(&id)?;
    with_engine(|engine| {
        let doc = engine.index().doc(id).ok_or_else(|| JsError::new(&format!("timkiem: no document {id}")))?;
        let text = doc.text().ok_or_else(|| JsError::new("timkiem: document text is corrupt"))?;
        to_js(&JsDoc { id, title: doc.title, path: doc.path, text })
    })
}

/// UTF-16 ranges, in `getDocument(id).text`, of every word matching `query`.
#[wasm_bindgen(js_name = documentHighlights, unchecked_return_type = "[number, number][]")]
pub fn document_highlights(
    #[wasm_bindgen(unchecked_param_type = "number")] id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] query: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SearchOptions")] options: JsValue,
) -> Result<JsValue, JsError> {
    let id = read_id(&id)?;
    let query = read_query(&query)?;
    let options = read_options(&options)?;
    with_engine(|engine| {
        let found = engine
            .document_highlights(id, &query, &options)
            .ok_or_else(|| JsError::new(&format!("timkiem: no document {id}")))?;
        to_js(&found.text)
    })
}

/// Size of the embedded index.
#[wasm_bindgen(unchecked_return_type = "Stats")]
pub fn stats() -> Result<JsValue, JsError> {
    with_engine(|engine| {
        let index = engine.index();
        to_js(&JsStats { documents: index.documents(), terms: index.term_count(), index_bytes: index.size() })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_are_valid_json() {
        let hit = Hit {
            id: 7,
            title: "Tiêu \"đề\"\\ \u{1}".into(),
            path: "a/b.txt".into(),
            score: 12.3456,
            snippet: "😀 Nhật\n".into(),
            highlights: vec![[3, 7], [10, 12]],
            title_highlights: vec![],
        };
        let json = hits_json(&[hit.clone(), Hit { score: -0.5, id: 0, ..hit }]);
        assert_eq!(
            json,
            r#"[{"id":7,"title":"Tiêu \"đề\"\\ \u0001","path":"a/b.txt","score":12.346,"snippet":"😀 Nhật\u000a","highlights":[[3,7],[10,12]],"titleHighlights":[]},{"id":0,"title":"Tiêu \"đề\"\\ \u0001","path":"a/b.txt","score":-0.500,"snippet":"😀 Nhật\u000a","highlights":[[3,7],[10,12]],"titleHighlights":[]}]"#
        );
        assert_eq!(hits_json(&[]), "[]");
    }

    #[test]
    fn options_are_checked() {
        use Field::*;
        let ok = options_from(&Missing, &Missing, &Missing, &Missing, &Missing).unwrap();
        assert_eq!(ok, Options::default());
        let o = options_from(&Number(0.0), &Number(1e12), &Bool(false), &Bool(true), &Missing).unwrap();
        assert_eq!((o.limit, o.offset, o.fuzzy, o.exact_diacritics), (0, u32::MAX as usize, false, true));
        for bad in
            [Number(-1.0), Number(f64::NAN), Number(2.5), Number(f64::INFINITY), Bool(true), Other("string".into())]
        {
            let e = options_from(&bad, &Missing, &Missing, &Missing, &Missing).unwrap_err();
            assert!(e.starts_with("options.limit must be"), "{e}");
        }
        let e = options_from(&Missing, &Missing, &Number(1.0), &Missing, &Missing).unwrap_err();
        assert_eq!(e, "options.fuzzy must be a boolean, got a number");
        let e = options_from(&Missing, &Number(-3.0), &Missing, &Missing, &Missing).unwrap_err();
        assert_eq!(e, "options.offset must be a non-negative integer, got a negative number");
    }
}
