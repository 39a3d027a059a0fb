//! The JSON texts the boundary hands to JavaScript, written by hand.
//!
//! Every export returns one JSON text, which the browser parses in one call:
//! one crossing of the boundary per call instead of one per field, and no
//! serializer and no float printing in the wasm (a score is written with three
//! decimals by hand). Measured against serde-wasm-bindgen in the README.

use timkiem_core::{Hit, Results};

/// A JSON text being written.
struct Json(String);

impl Json {
    fn with_capacity(bytes: usize) -> Self {
        Json(String::with_capacity(bytes))
    }

    fn raw(&mut self, s: &str) {
        self.0.push_str(s);
    }

    fn number(&mut self, n: u64) {
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
        self.0.extend(digits.get(i..).unwrap_or(&[]).iter().map(|&d| char::from(d)));
    }

    /// `x` with exactly three decimals, rounded (`-0.500`, `12.346`).
    fn decimal(&mut self, x: f32) {
        let thousandths = (f64::from(x) * 1000.0).round();
        if thousandths < 0.0 {
            self.0.push('-');
        }
        // NaN (never a score, but not a reason to write garbage) is zero.
        let t = if thousandths.is_nan() { 0 } else { thousandths.abs().min(1e15) as u64 };
        self.number(t / 1000);
        self.0.push('.');
        let frac = t % 1000;
        for digit in [frac / 100, frac / 10 % 10, frac % 10] {
            self.0.push(char::from(b'0' + digit as u8));
        }
    }

    /// `s` quoted, with `"`, `\` and the control characters escaped. The
    /// runs between them are copied whole (every byte that needs escaping is
    /// ASCII, so a run never splits a character).
    fn string(&mut self, s: &str) {
        self.0.push('"');
        let mut run = 0;
        for (i, b) in s.bytes().enumerate() {
            if b >= 0x20 && b != b'"' && b != b'\\' {
                continue;
            }
            self.0.push_str(s.get(run..i).unwrap_or(""));
            run = i + 1;
            match b {
                b'"' => self.0.push_str("\\\""),
                b'\\' => self.0.push_str("\\\\"),
                _ => {
                    self.0.push_str("\\u00");
                    let hex = |n: u8| char::from(b"0123456789abcdef".get(usize::from(n & 15)).copied().unwrap_or(b'0'));
                    self.0.push(hex(b >> 4));
                    self.0.push(hex(b));
                }
            }
        }
        self.0.push_str(s.get(run..).unwrap_or(""));
        self.0.push('"');
    }

    fn ranges(&mut self, ranges: &[[u32; 2]]) {
        self.0.push('[');
        for (i, [s, e]) in ranges.iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            self.0.push('[');
            self.number(u64::from(*s));
            self.0.push(',');
            self.number(u64::from(*e));
            self.0.push(']');
        }
        self.0.push(']');
    }

    fn hits(&mut self, hits: &[Hit]) {
        self.0.push('[');
        for (i, h) in hits.iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            self.raw("{\"id\":");
            self.number(u64::from(h.id));
            self.raw(",\"title\":");
            self.string(&h.title);
            self.raw(",\"path\":");
            self.string(&h.path);
            self.raw(",\"score\":");
            self.decimal(h.score);
            self.raw(",\"snippet\":");
            self.string(&h.snippet);
            self.raw(",\"highlights\":");
            self.ranges(&h.highlights);
            self.raw(",\"titleHighlights\":");
            self.ranges(&h.title_highlights);
            self.0.push('}');
        }
        self.0.push(']');
    }
}

/// `{"hits":[…],"total":N}`: a page of results and the number of matches,
/// with `"suggestion"` and `"interpretation"` when the engine gives them.
pub fn results(results: &Results) -> String {
    let bytes = results.hits.iter().map(|h| h.snippet.len() + h.title.len() + h.path.len() + 128).sum::<usize>();
    let mut out = Json::with_capacity(bytes + 32);
    out.raw("{\"hits\":");
    out.hits(&results.hits);
    out.raw(",\"total\":");
    out.number(results.total as u64);
    for (key, value) in [(",\"suggestion\":", &results.suggestion), (",\"interpretation\":", &results.interpretation)] {
        if let Some(value) = value {
            out.raw(key);
            out.string(value);
        }
    }
    out.0.push('}');
    out.0
}

/// `{"id":…,"title":…,"path":…,"text":…}`.
pub fn document(id: u32, title: &str, path: &str, text: &str) -> String {
    let mut out = Json::with_capacity(title.len() + path.len() + text.len() + 48);
    out.raw("{\"id\":");
    out.number(u64::from(id));
    out.raw(",\"title\":");
    out.string(title);
    out.raw(",\"path\":");
    out.string(path);
    out.raw(",\"text\":");
    out.string(text);
    out.0.push('}');
    out.0
}

/// `{"title":[[s,e]…],"text":[[s,e]…]}`.
pub fn highlights(title: &[[u32; 2]], text: &[[u32; 2]]) -> String {
    let mut out = Json::with_capacity(24 + 16 * (title.len() + text.len()));
    out.raw("{\"title\":");
    out.ranges(title);
    out.raw(",\"text\":");
    out.ranges(text);
    out.0.push('}');
    out.0
}

/// `{"need":[[number,"file name"]…]}`: the shards an answer needs first.
pub fn need(shards: &[(u32, String)]) -> String {
    let mut out = Json::with_capacity(16 + 32 * shards.len());
    out.raw("{\"need\":[");
    for (i, (number, name)) in shards.iter().enumerate() {
        out.raw(if i == 0 { "[" } else { ",[" });
        out.number(u64::from(*number));
        out.raw(",");
        out.string(name);
        out.raw("]");
    }
    out.raw("]}");
    out.0
}

/// `{"total":N}`.
pub fn total(total: usize) -> String {
    let mut out = Json::with_capacity(24);
    out.raw("{\"total\":");
    out.number(total as u64);
    out.raw("}");
    out.0
}

/// `{"documents":…,"terms":…,"indexBytes":…,"layout":"embedded"|"split","shards":N}`.
pub fn stats(documents: u32, terms: u32, index_bytes: usize, layout: &str, shards: usize) -> String {
    let mut out = Json::with_capacity(96);
    out.raw("{\"documents\":");
    out.number(u64::from(documents));
    out.raw(",\"terms\":");
    out.number(u64::from(terms));
    out.raw(",\"indexBytes\":");
    out.number(index_bytes as u64);
    out.raw(",\"layout\":");
    out.string(layout);
    out.raw(",\"shards\":");
    out.number(shards as u64);
    out.raw("}");
    out.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit() -> Hit {
        Hit {
            id: 7,
            title: "Tiêu \"đề\"\\ \u{1}".into(),
            path: "a/b.txt".into(),
            score: 12.3456,
            snippet: "😀 Nhật\n".into(),
            highlights: vec![[3, 7], [10, 12]],
            title_highlights: vec![],
        }
    }

    #[test]
    fn results_carry_hits_and_total() {
        let hits = vec![hit(), Hit { score: -0.5, id: 0, ..hit() }];
        let json = results(&Results { hits, total: 4_000_000_001, ..Results::default() });
        assert_eq!(
            json,
            r#"{"hits":[{"id":7,"title":"Tiêu \"đề\"\\ \u0001","path":"a/b.txt","score":12.346,"snippet":"😀 Nhật\u000a","highlights":[[3,7],[10,12]],"titleHighlights":[]},{"id":0,"title":"Tiêu \"đề\"\\ \u0001","path":"a/b.txt","score":-0.500,"snippet":"😀 Nhật\u000a","highlights":[[3,7],[10,12]],"titleHighlights":[]}],"total":4000000001}"#
        );
        assert_eq!(results(&Results::default()), r#"{"hits":[],"total":0}"#);
    }

    #[test]
    fn numbers_at_the_edges() {
        let mut out = Json::with_capacity(64);
        for n in [0, 9, 10, u64::MAX] {
            out.number(n);
            out.raw(" ");
        }
        for x in [0.0, 0.0004, 0.0005, -0.0004, 1e20, f32::NAN] {
            out.decimal(x);
            out.raw(" ");
        }
        assert_eq!(out.0, "0 9 10 18446744073709551615 0.000 0.000 0.001 0.000 1000000000000.000 0.000 ");
    }

    #[test]
    fn every_control_character_is_escaped() {
        let all: String = (0u8..0x20).map(char::from).chain("\"\\\u{7f}\u{2028}".chars()).collect();
        let json = document(1, &all, "", "");
        assert!(json.bytes().all(|b| b >= 0x20), "{json:?}");
        assert!(json.contains(r#"\u0000\u0001"#) && json.contains(r#"\u001f\"\\"#), "{json}");
    }

    #[test]
    fn documents_highlights_and_stats() {
        assert_eq!(document(3, "Đan", "d/x.md", "a\tb"), r#"{"id":3,"title":"Đan","path":"d/x.md","text":"a\u0009b"}"#);
        assert_eq!(highlights(&[[0, 3]], &[]), r#"{"title":[[0,3]],"text":[]}"#);
        assert_eq!(
            stats(5, 1234, 56789, "embedded", 0),
            r#"{"documents":5,"terms":1234,"indexBytes":56789,"layout":"embedded","shards":0}"#
        );
        assert_eq!(need(&[(3, "p-01.bin".into()), (9, "d-\"x".into())]), r#"{"need":[[3,"p-01.bin"],[9,"d-\"x"]]}"#);
        assert_eq!(need(&[]), r#"{"need":[]}"#);
        assert_eq!(total(7), r#"{"total":7}"#);
    }
}
