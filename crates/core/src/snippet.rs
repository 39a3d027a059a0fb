//! Snippets and highlights, in UTF-16 code units for JavaScript.
//!
//! A snippet is a window of [`WINDOW`] words of a document's own text, cut at
//! word boundaries, around the densest cluster of matches. Highlights are
//! found by matching each word of the window (or of a title) against the
//! query with the same pipeline as the index, so they cover every matching
//! word, and only the typed part of a word being completed.

use crate::index::DocInfo;
use crate::text::{first_folded, fold_token, is_mark, marks_agree, spans, token_at, Token};

/// Words in a snippet.
pub const WINDOW: u32 = 30;
/// Words of context kept before the first match of the window.
const LEAD: u32 = 4;

/// A query word as the highlighter sees it.
#[derive(Debug, Clone, Default)]
pub struct MatchWord {
    pub term: String,
    pub marks: Vec<u8>,
    pub chars: usize,
    pub prefix: bool,
    /// Index terms within edit distance that the search used for this word.
    pub fuzzy: Vec<String>,
}

/// Decides which words of a text match a query.
#[derive(Debug, Clone)]
pub struct Matcher {
    pub words: Vec<MatchWord>,
    /// Only words whose marks agree with the query's match.
    pub exact: bool,
    /// The first letters of the words (and their typo expansions).
    firsts: Vec<char>,
}

impl Matcher {
    /// How `token` (whose text is `source`) matches query word `w`: a level
    /// (0: the word or its prefix with the marks typed, 1: with other marks,
    /// 2: a typo) and the byte length to highlight.
    fn level(&self, w: &MatchWord, token: &Token, source: &str) -> Option<(u8, usize)> {
        let whole = token.term == w.term;
        let partial = !whole && w.prefix && token.term.starts_with(w.term.as_str());
        if whole || partial {
            let agree = (w.marks.is_empty() && !self.exact) || marks_agree(&w.marks, w.chars, &token.marks, w.prefix);
            if self.exact && !agree {
                return None;
            }
            let len = if whole { source.len() } else { prefix_len(source, w.term.len()) };
            return Some((u8::from(!agree), len));
        }
        w.fuzzy.contains(&token.term).then_some((2, source.len()))
    }

    /// Whether a token starting with `source` could match at all: its first
    /// folded letter begins some query word. Saves folding the others.
    pub fn may_match(&self, source: &str) -> bool {
        first_folded(source).is_some_and(|first| self.firsts.contains(&first))
    }

    /// A matcher for `words`; `exact` keeps only words whose marks agree.
    pub fn new(words: Vec<MatchWord>, exact: bool) -> Self {
        let mut firsts: Vec<char> = Vec::new();
        for w in &words {
            for term in std::iter::once(&w.term).chain(&w.fuzzy) {
                if let Some(c) = term.chars().next().filter(|c| !firsts.contains(c)) {
                    firsts.push(c);
                }
            }
        }
        Matcher { words, exact, firsts }
    }

    /// The tokens of `text` at `spans` that may match, folded.
    pub fn tokens(&self, text: &str, spans: impl Iterator<Item = std::ops::Range<usize>>) -> Vec<Token> {
        spans
            .filter(|span| self.may_match(text.get(span.clone()).unwrap_or("")))
            .map(|span| token_at(text, span))
            .collect()
    }

    /// Byte ranges in `text` of the `tokens` to highlight: for each query
    /// word, its best-matching occurrences (a word typed with marks lights
    /// up only the spellings that agree when there are any, and a typo only
    /// when the word itself is absent).
    pub fn ranges(&self, text: &str, tokens: &[Token]) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize, u8, usize)> = Vec::new(); // token, word, level, len
        let mut best = vec![u8::MAX; self.words.len()];
        for (t, token) in tokens.iter().enumerate() {
            let source = text.get(token.span()).unwrap_or("");
            for (k, w) in self.words.iter().enumerate() {
                if let Some((level, len)) = self.level(w, token, source) {
                    found.push((t, k, level, len));
                    if let Some(b) = best.get_mut(k) {
                        *b = (*b).min(level);
                    }
                }
            }
        }
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for (t, k, level, len) in found {
            let (Some(token), Some(&b)) = (tokens.get(t), best.get(k)) else { continue };
            if level != b {
                continue;
            }
            match ranges.last_mut() {
                Some(last) if last.0 == token.start => last.1 = last.1.max(token.start + len),
                _ => ranges.push((token.start, token.start + len)),
            }
        }
        ranges
    }
}

/// Bytes of `source` whose folding gives the first `folded` bytes of its term,
/// with any combining marks that follow.
fn prefix_len(source: &str, folded: usize) -> usize {
    let mut term = String::new();
    let mut marks = Vec::new();
    let mut end = source.len();
    for (i, c) in source.char_indices() {
        let next = i + c.len_utf8();
        term.clear();
        fold_token(source.get(..next).unwrap_or(source), &mut term, &mut marks);
        if term.len() >= folded {
            end = next;
            break;
        }
    }
    let tail = source.get(end..).unwrap_or("");
    end + tail.chars().take_while(|&c| is_mark(c)).map(char::len_utf8).sum::<usize>()
}

/// UTF-16 ranges, in `text`, of the words that match.
pub fn highlight(text: &str, matcher: &Matcher) -> Vec<[u32; 2]> {
    let tokens = matcher.tokens(text, spans(text));
    utf16_ranges(text, &matcher.ranges(text, &tokens))
}

/// Converts sorted byte ranges of `text` to UTF-16 ranges.
pub fn utf16_ranges(text: &str, ranges: &[(usize, usize)]) -> Vec<[u32; 2]> {
    let mut out = Vec::with_capacity(ranges.len());
    let mut byte = 0usize;
    let mut unit = 0u32;
    let advance = |to: usize, byte: &mut usize, unit: &mut u32| {
        let part = text.get(*byte..to).unwrap_or("");
        *unit += part.chars().map(|c| c.len_utf16() as u32).sum::<u32>();
        *byte = to;
    };
    for &(start, end) in ranges {
        if start < byte || end < start || end > text.len() {
            continue;
        }
        advance(start, &mut byte, &mut unit);
        let s = unit;
        advance(end, &mut byte, &mut unit);
        out.push([s, unit]);
    }
    out
}

/// The snippet of `doc` around the matches at `positions` (body word index,
/// query word), and its highlights.
pub fn snippet(doc: &DocInfo<'_>, positions: &[(u32, usize)], matcher: &Matcher) -> (String, Vec<[u32; 2]>) {
    let start = densest_window(positions).saturating_sub(LEAD);
    let (checkpoint_byte, checkpoint_token) = doc.checkpoint(start);
    // Read a bounded slice first; fall back to the whole rest of the text
    // when the window's words do not fit in it.
    let mut window = None;
    for limit in [1024usize, 16384, usize::MAX] {
        let Some(text) = doc.text_range(checkpoint_byte, checkpoint_byte.saturating_add(limit)) else {
            return (String::new(), Vec::new());
        };
        let whole = checkpoint_byte.saturating_add(text.len()) >= doc.text_len();
        let mut tokens = spans(text).skip((start - checkpoint_token.min(start)) as usize);
        let window_spans: Vec<_> = tokens.by_ref().take(WINDOW as usize).collect();
        // The last token may be cut by the slice: ask for one more.
        let complete = whole || (window_spans.len() == WINDOW as usize && tokens.next().is_some());
        if complete {
            window = Some((text, window_spans));
            break;
        }
    }
    let Some((text, window_spans)) = window else { return (String::new(), Vec::new()) };
    let (Some(first), Some(last)) = (window_spans.first(), window_spans.last()) else {
        return (String::new(), Vec::new());
    };
    let (from, to) = (first.start, last.end);
    let words = matcher.tokens(text, window_spans.iter().cloned());
    let at_start = start == 0;
    let at_end = start.saturating_add(window_spans.len() as u32) >= doc.body_tokens;
    // A snippet that reaches the end of the text keeps its closing punctuation.
    let to = if at_end && checkpoint_byte.saturating_add(text.len()) >= doc.text_len() {
        text.trim_end().len().max(to)
    } else {
        to
    };
    let mut snippet = String::with_capacity(to - from + 8);
    if !at_start {
        snippet.push_str("… ");
    }
    let shift = snippet.len();
    let body = text.get(from..to).unwrap_or("");
    snippet.extend(body.chars().map(|c| if c == '\n' || c == '\r' || c == '\t' { ' ' } else { c }));
    if !at_end {
        snippet.push_str(" …");
    }
    let ranges: Vec<(usize, usize)> =
        matcher.ranges(text, &words).into_iter().map(|(s, e)| (s - from + shift, e - from + shift)).collect();
    let highlights = utf16_ranges(&snippet, &ranges);
    (snippet, highlights)
}

/// The body word where the window with the most distinct query words, then
/// the most query words in order next to each other, then the most matches,
/// begins; 0 without matches. `positions` is sorted.
fn densest_window(positions: &[(u32, usize)]) -> u32 {
    let span = WINDOW - LEAD;
    // Whether each match is followed, at the next word, by the next query word.
    let adjacent: Vec<bool> = positions
        .iter()
        .enumerate()
        .map(|(i, &(p, slot))| {
            positions
                .get(i + 1..)
                .unwrap_or(&[])
                .iter()
                .take_while(|&&(q, _)| q <= p + 1)
                .any(|&(q, next)| q == p + 1 && next == slot + 1)
        })
        .collect();
    // A sliding window over the sorted matches, with per-word counts.
    let mut counts = [0u32; 64];
    let (mut distinct, mut pairs, mut hi) = (0usize, 0usize, 0usize);
    let mut best = ((0usize, 0usize, 0usize), 0u32);
    for (lo, &(start, slot)) in positions.iter().enumerate() {
        while let Some(&(p, s)) = positions.get(hi).filter(|&&(p, _)| p < start.saturating_add(span)) {
            if let Some(c) = counts.get_mut(s) {
                *c += 1;
                distinct += usize::from(*c == 1);
            }
            pairs += usize::from(adjacent.get(hi).copied().unwrap_or(false));
            let _ = p;
            hi += 1;
        }
        let key = (distinct, pairs, hi - lo);
        if key > best.0 {
            best = (key, start);
        }
        if let Some(c) = counts.get_mut(slot) {
            *c -= 1;
            distinct -= usize::from(*c == 0);
        }
        pairs -= usize::from(adjacent.get(lo).copied().unwrap_or(false));
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_offsets_count_astral_characters() {
        let text = "😀 Nhật 👍🏽 Bản";
        let bytes = [(text.find("Nhật").unwrap(), text.find("Nhật").unwrap() + "Nhật".len())];
        let r = utf16_ranges(text, &bytes);
        let units: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(String::from_utf16(&units[r[0][0] as usize..r[0][1] as usize]).unwrap(), "Nhật");
    }

    #[test]
    fn prefix_highlight_covers_typed_part_and_its_marks() {
        assert_eq!(prefix_len("Nhật", 3), "Nhậ".len());
        let nfd = "Nha\u{0323}\u{0302}t";
        assert_eq!(prefix_len(nfd, 3), "Nha\u{0323}\u{0302}".len());
        assert_eq!(prefix_len("Đan", 1), "Đ".len());
    }

    #[test]
    fn densest_window_prefers_distinct_words() {
        let positions = [(0, 0), (1, 0), (2, 0), (100, 0), (101, 1)];
        assert_eq!(densest_window(&positions), 100);
        assert_eq!(densest_window(&[]), 0);
    }
}
