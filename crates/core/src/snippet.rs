//! Snippets and highlights, in UTF-16 code units for JavaScript.
//!
//! A snippet is a window of [`WINDOW`] words of a document's own text, cut at
//! word boundaries, around the densest cluster of the matches the engine
//! found. Highlights cover every word of the window (or of a title, or of a
//! whole document) that matches a query word by the query plan's own rules
//! (`WordPlan::classify`), and only the typed part of a word being completed.
use crate::index::DocInfo;
use crate::search::plan::{Plan, TokenMatch, WordPlan};
use crate::text::{first_folded, fold_token, is_mark, spans, token_at, Token};

/// Words in a snippet.
pub const WINDOW: u32 = 30;
/// Words of context kept before the first match of the window.
const LEAD: u32 = 4;

/// A match in a document's body: which body word, and which query word
/// (its place in its reading) it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BodyMatch {
    pub word: u32,
    pub query_word: usize,
}

/// A token of a text that matches a query word.
#[derive(Debug, Clone, Copy)]
struct Lit {
    /// Where the token starts in the text.
    start: usize,
    /// The query word, in the highlighter's words.
    word: usize,
    /// How well: see [`TokenMatch::level`].
    level: u8,
    /// Bytes to highlight from the token's start.
    len: usize,
}

/// Finds the words of a text that match a planned query.
pub(crate) struct Highlighter<'p> {
    /// The words of every reading of the query.
    words: Vec<&'p WordPlan<'p>>,
    exact_diacritics: bool,
    /// The first letters of the words (and their typo expansions).
    firsts: Vec<char>,
}

impl<'p> Highlighter<'p> {
    /// The highlighter of `plan`.
    pub fn new(plan: &'p Plan<'p>) -> Self {
        let words: Vec<&WordPlan<'_>> = plan.words().collect();
        let mut firsts: Vec<char> = Vec::new();
        for w in &words {
            for term in std::iter::once(&w.word.term).chain(&w.typos) {
                if let Some(c) = term.chars().next().filter(|c| !firsts.contains(c)) {
                    firsts.push(c);
                }
            }
        }
        Highlighter { words, exact_diacritics: plan.exact_diacritics, firsts }
    }

    /// Whether a token starting with `source` could match at all: its first
    /// folded letter begins some query word. Saves folding the others.
    fn may_match(&self, source: &str) -> bool {
        first_folded(source).is_some_and(|first| self.firsts.contains(&first))
    }

    /// Every (token, query word) pair that matches, in token order, among
    /// the tokens of `text` at `spans`. The tokens that may match are folded
    /// one after another into one buffer.
    fn lit(&self, text: &str, spans: impl Iterator<Item = std::ops::Range<usize>>) -> Vec<Lit> {
        let mut lit = Vec::new();
        let mut token = Token { start: 0, end: 0, term: String::new(), marks: Vec::new() };
        for span in spans {
            let source = text.get(span.clone()).unwrap_or("");
            if !self.may_match(source) {
                continue;
            }
            token.term.clear();
            fold_token(source, &mut token.term, &mut token.marks);
            (token.start, token.end) = (span.start, span.end);
            self.lit_token(source, &token, &mut lit);
        }
        lit
    }

    /// The (token, query word) pairs that match among the tokens of a
    /// text folded already: [`Highlighter::lit`] without the folding.
    fn lit_folded(&self, text: &str, folded: &Folded) -> Vec<Lit> {
        let mut lit = Vec::new();
        for (token, first) in &folded.tokens {
            if first.is_some_and(|first| self.firsts.contains(&first)) {
                self.lit_token(text.get(token.span()).unwrap_or(""), token, &mut lit);
            }
        }
        lit
    }

    /// The query words `token` (folded from `source`) matches, added to `lit`.
    fn lit_token(&self, source: &str, token: &Token, lit: &mut Vec<Lit>) {
        for (word, w) in self.words.iter().enumerate() {
            let Some(m) = w.classify(token, self.exact_diacritics) else { continue };
            let len = match m {
                TokenMatch::Completion { .. } => prefix_len(source, w.word.term.len()),
                TokenMatch::Whole { .. } | TokenMatch::Typo => source.len(),
            };
            lit.push(Lit { start: token.start, word, level: m.level(), len });
        }
    }

    /// Byte ranges in `text` of the tokens at `spans` to highlight: see
    /// [`Highlighter::best`].
    fn ranges(&self, text: &str, spans: impl Iterator<Item = std::ops::Range<usize>>) -> Vec<(usize, usize)> {
        self.best(self.lit(text, spans))
    }

    /// The byte ranges of the `lit` tokens to highlight: for each query
    /// word, its best-matching occurrences (a word typed with marks lights
    /// up only the spellings that agree when there are any, and a typo only
    /// when the word itself is absent).
    fn best(&self, lit: Vec<Lit>) -> Vec<(usize, usize)> {
        let mut best = vec![u8::MAX; self.words.len()];
        for l in &lit {
            if let Some(b) = best.get_mut(l.word) {
                *b = (*b).min(l.level);
            }
        }
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for l in lit {
            if best.get(l.word) != Some(&l.level) {
                continue;
            }
            match ranges.last_mut() {
                Some(last) if last.0 == l.start => last.1 = last.1.max(l.start + l.len),
                _ => ranges.push((l.start, l.start + l.len)),
            }
        }
        ranges
    }

    /// UTF-16 ranges, in `text`, of the words that match.
    pub fn highlight(&self, text: &str) -> Vec<[u32; 2]> {
        utf16_ranges(text, &self.ranges(text, spans(text)))
    }

    /// [`Highlighter::highlight`] of `text`, from its tokens `folded`.
    pub fn highlight_folded(&self, text: &str, folded: &Folded) -> Vec<[u32; 2]> {
        utf16_ranges(text, &self.best(self.lit_folded(text, folded)))
    }
}

/// The tokens of a text, folded once to be highlighted for many queries
/// (the titles of the documents shown while a query is typed), each with
/// the first folded letter of its source ([`first_folded`]).
#[derive(Debug, Clone)]
pub(crate) struct Folded {
    tokens: Vec<(Token, Option<char>)>,
}

impl Folded {
    /// The tokens of `text`, folded.
    pub fn new(text: &str) -> Self {
        let tokens = spans(text).map(|span| {
            let first = first_folded(text.get(span.clone()).unwrap_or(""));
            (token_at(text, span), first)
        });
        Folded { tokens: tokens.collect() }
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

/// A snippet and its highlights.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Snippet {
    pub text: String,
    /// Half-open UTF-16 ranges of matched words in `text`.
    pub highlights: Vec<[u32; 2]>,
}

/// The words of a snippet's window, in a slice of the document's text.
struct Window<'a> {
    /// The text from the checkpoint before the window.
    text: &'a str,
    /// Where `text` starts in the document's text.
    offset: usize,
    /// The window's words, as byte ranges of `text`.
    spans: Vec<std::ops::Range<usize>>,
}

/// Bytes of text read per word needed, at first: enough for the words of
/// Vietnamese prose with their spaces and punctuation (a syllable is about 4
/// letters, 6 bytes with its space: 6.0 in the seeds, 5.8 in the generated
/// 1,000 documents). Each byte read is checked to be UTF-8, which costs
/// more than the rare second read of a window of long words (12 here cost
/// 2.5% more instructions over the bench's keystrokes).
const BYTES_PER_WORD: usize = 8;

/// The window of [`WINDOW`] body words from word `start`. Reads a slice of
/// text from the checkpoint before it, sized to the words it needs (each
/// slice read is checked to be UTF-8, so reading a fixed kilobyte cost more
/// than tokenizing it), then 4 and 32 times as much while the words do not
/// fit, and the whole rest of the text last.
fn window<'a>(doc: &DocInfo<'a>, start: u32) -> Option<Window<'a>> {
    let (offset, checkpoint_token) = doc.checkpoint(start);
    let skip = (start - checkpoint_token.min(start)) as usize;
    let first = skip.saturating_add(WINDOW as usize + 1).saturating_mul(BYTES_PER_WORD);
    for limit in [first, first.saturating_mul(4), first.saturating_mul(32), usize::MAX] {
        let text = doc.text_range(offset, offset.saturating_add(limit))?;
        let whole = offset.saturating_add(text.len()) >= doc.text_len();
        let mut tokens = spans(text).skip(skip);
        let spans: Vec<_> = tokens.by_ref().take(WINDOW as usize).collect();
        // The last token may be cut by the slice: ask for one more.
        if whole || (spans.len() == WINDOW as usize && tokens.next().is_some()) {
            return Some(Window { text, offset, spans });
        }
    }
    None
}

/// The snippet of `doc` around its `matches` (sorted), highlighted.
pub(crate) fn snippet(doc: &DocInfo<'_>, matches: &[BodyMatch], highlighter: &Highlighter<'_>) -> Snippet {
    let start = densest_window(matches).saturating_sub(LEAD);
    let Some(Window { text, offset, spans }) = window(doc, start) else { return Snippet::default() };
    let (Some(first), Some(last)) = (spans.first(), spans.last()) else { return Snippet::default() };
    let (from, to) = (first.start, last.end);
    let at_start = start == 0;
    let at_end = start.saturating_add(spans.len() as u32) >= doc.body_tokens;
    // A snippet that reaches the end of the text keeps its closing punctuation.
    let to =
        if at_end && offset.saturating_add(text.len()) >= doc.text_len() { text.trim_end().len().max(to) } else { to };
    let mut out = String::with_capacity(to - from + 8);
    if !at_start {
        out.push_str("… ");
    }
    let shift = out.len();
    let body = text.get(from..to).unwrap_or("");
    // Line breaks and tabs become spaces (one byte for one: offsets hold).
    for (i, part) in body.split(['\n', '\r', '\t']).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(part);
    }
    if !at_end {
        out.push_str(" …");
    }
    let ranges: Vec<(usize, usize)> = highlighter
        .ranges(text, spans.into_iter())
        .into_iter()
        .map(|(s, e)| (s - from + shift, e - from + shift))
        .collect();
    let highlights = utf16_ranges(&out, &ranges);
    Snippet { text: out, highlights }
}

/// The body word where the window with the most distinct query words, then
/// the most query words in order next to each other, then the most matches,
/// begins; 0 without matches. `matches` is sorted.
fn densest_window(matches: &[BodyMatch]) -> u32 {
    let span = WINDOW - LEAD;
    // Whether each match is followed, at the next word, by the next query word.
    let adjacent: Vec<bool> = matches
        .iter()
        .enumerate()
        .map(|(i, m)| {
            matches
                .get(i + 1..)
                .unwrap_or(&[])
                .iter()
                .take_while(|n| n.word <= m.word + 1)
                .any(|n| n.word == m.word + 1 && n.query_word == m.query_word + 1)
        })
        .collect();
    // A sliding window over the sorted matches, with per-word counts.
    let mut counts = [0u32; 64];
    let (mut distinct, mut pairs, mut hi) = (0usize, 0usize, 0usize);
    let mut best = ((0usize, 0usize, 0usize), 0u32);
    for (lo, m) in matches.iter().enumerate() {
        while let Some(next) = matches.get(hi).filter(|n| n.word < m.word.saturating_add(span)) {
            if let Some(c) = counts.get_mut(next.query_word) {
                *c += 1;
                distinct += usize::from(*c == 1);
            }
            pairs += usize::from(adjacent.get(hi).copied().unwrap_or(false));
            hi += 1;
        }
        let key = (distinct, pairs, hi - lo);
        if key > best.0 {
            best = (key, m.word);
        }
        if let Some(c) = counts.get_mut(m.query_word) {
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
        let at = |word, query_word| BodyMatch { word, query_word };
        let matches = [at(0, 0), at(1, 0), at(2, 0), at(100, 0), at(101, 1)];
        assert_eq!(densest_window(&matches), 100);
        assert_eq!(densest_window(&[]), 0);
    }

    #[test]
    fn densest_window_then_prefers_words_in_order_side_by_side() {
        let at = |word, query_word| BodyMatch { word, query_word };
        // Both query words in each window: scattered first, side by side
        // in order later; side by side in the wrong order does not count.
        let matches = [at(0, 0), at(4, 1), at(100, 0), at(101, 1)];
        assert_eq!(densest_window(&matches), 100);
        let matches = [at(0, 0), at(4, 1), at(100, 1), at(101, 0)];
        assert_eq!(densest_window(&matches), 0);
    }
}
