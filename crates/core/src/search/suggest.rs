//! "Did you mean", and which spelling a query typed without marks found.
//!
//! - A **suggestion**, when a query finds nothing: each word (of 3 letters
//!   or more, no digits) that matches nothing replaced by the closest
//!   indexed term (one spelling confusion,
//!   or up to two plain edits; the most frequent first), each word that
//!   matches nothing as typed but splits into syllables by those
//!   syllables; offered only if the corrected query finds something.
//! - An **interpretation**, when a query typed without any mark finds
//!   documents and each of its words has one spelling that at least
//!   [`DOMINANT`] of the documents using the word use (and some of those
//!   spellings have marks): `nhat ban` → `nhật bản`.
//!
//! Both are written as the documents write the words (lower case), so the
//! widget can show them and run them as queries.

use super::plan::{Kind, Plan};
use super::split;
use super::Hit;
use crate::format::CHECKPOINT_EVERY;
use crate::fuzzy::{confusion_variants, Levenshtein};
use crate::index::{DocInfo, Index};
use crate::text::{lowercase, spans, token_at, tokenize, Token};

/// The share of a word's documents its dominant spelling must have.
pub const DOMINANT: f32 = 2.0 / 3.0;

/// Candidate corrections of one word read from the dictionary, at most.
const MAX_CANDIDATES: usize = 64;

/// The corrected query for `plan` (which found nothing), before checking
/// that it finds something: `None` if no word could be corrected.
pub(crate) fn correction(index: &Index<'_>, plan: &Plan<'_>) -> Option<String> {
    let typed = plan.readings.first()?;
    let mut changed = false;
    let mut words: Vec<String> = Vec::with_capacity(typed.words.len());
    for w in &typed.words {
        let term = &w.word.term;
        if !w.matches_nothing() && w.expansions.iter().any(|e| !matches!(e.kind, Kind::Typo { .. })) {
            words.push(spelled(index, term, &w.word.marks).unwrap_or_else(|| term.clone()));
            continue;
        }
        // Numbers and codes (`G7`, `2023`) and words under 3 letters are
        // not corrected: too many words are one edit from them.
        if term.len() < 3 || !term.bytes().all(|b| b.is_ascii_lowercase()) {
            words.push(term.clone());
            continue;
        }
        let fixed = closest(index, term).map(|t| spelled(index, &t, &[]).unwrap_or(t)).or_else(|| {
            let pieces = split::splits(index, term, false).into_iter().next()?;
            let spelled: Vec<String> =
                pieces.iter().map(|p| spelled(index, p, &[]).unwrap_or_else(|| p.clone())).collect();
            Some(spelled.join(" "))
        });
        match fixed {
            Some(f) => {
                changed = true;
                words.push(f);
            }
            None => words.push(term.clone()),
        }
    }
    changed.then(|| words.join(" "))
}

/// The closest indexed term to `term`: one spelling confusion away, else
/// within two plain edits, the most frequent first.
fn closest(index: &Index<'_>, term: &str) -> Option<String> {
    let df = |t: &str| index.lookup(t).and_then(|n| index.term(n)).map_or(0, |i| i.df);
    let confused = confusion_variants(term).into_iter().filter(|v| df(v) > 0).max_by_key(|v| df(v));
    if confused.is_some() {
        return confused;
    }
    use fst::{IntoStreamer, Streamer};
    let max = if term.chars().count() >= 4 { 2 } else { 1 };
    let aut = Levenshtein::new(term, max)?;
    let mut stream = index.fst().search_with_state(&aut).into_stream();
    let mut best: Option<(u8, u32, String)> = None;
    let mut seen = 0;
    while let Some((key, _, state)) = stream.next() {
        let (Some(d), Ok(text)) = (aut.distance(&state), std::str::from_utf8(key)) else { continue };
        let f = df(text);
        if d > 0 && best.as_ref().is_none_or(|(bd, bf, _)| (d, u32::MAX - f) < (*bd, u32::MAX - *bf)) {
            best = Some((d, f, text.to_string()));
        }
        seen += 1;
        if seen >= MAX_CANDIDATES {
            break;
        }
    }
    best.map(|(_, _, t)| t)
}

/// The interpretation of a plan that found documents, typed without marks,
/// with each word spelled as one of the `shown` hits writes it (`None` if
/// none of them does).
pub(crate) fn interpretation(index: &Index<'_>, plan: &Plan<'_>, shown: &[Hit]) -> Option<String> {
    if shown.is_empty() {
        return None;
    }
    let typed = plan.readings.first()?;
    if typed.has_marks || typed.words.is_empty() {
        return None;
    }
    // Every word must be in the corpus as typed (checked before decoding).
    let exacts: Vec<_> =
        typed.words.iter().map(|w| w.expansions.iter().find(|e| e.kind == Kind::Exact)).collect::<Option<_>>()?;
    let mut marked = false;
    let mut words = Vec::with_capacity(typed.words.len());
    for (w, exact) in typed.words.iter().zip(exacts) {
        // The spelling used by enough of the documents, if one is (its
        // documents counted only up to enough).
        let enough = (DOMINANT * exact.info.df as f32).ceil() as usize;
        let marks = index.variants_of(Some(exact.info)).find_map(|v| {
            let docs = v.docs.map_or(exact.info.df as usize, |docs| docs.take(enough).count());
            (docs >= enough).then_some(v.marks)
        })?;
        marked |= !marks.is_empty();
        let spelling = spelled_in(shown, &w.word.term, marks)?;
        words.push(spelling);
    }
    marked.then(|| words.join(" "))
}

/// `term` as a document writes it with `marks` (empty: its most common
/// spelling), in lower case: read back from the text at its positions in
/// the first document that uses it.
fn spelled(index: &Index<'_>, term: &str, marks: &[u8]) -> Option<String> {
    let number = index.lookup(term)?;
    let info = index.term(number)?;
    // (documents, first document, marks) of the spelling wanted.
    let mut best: Option<(usize, u32, &[u8])> = None;
    for v in index.variants_of(Some(info)).filter(|v| marks.is_empty() || v.marks == marks) {
        let found = match v.docs {
            Some(docs) => {
                let docs: Vec<u32> = docs.collect();
                docs.first().map(|&d| (docs.len(), d))
            }
            None => index.postings_of(Some(info)).next().map(|p| (info.df as usize, p.doc)),
        };
        if let Some((n, d)) = found.filter(|f| best.is_none_or(|b| f.0 > b.0)) {
            best = Some((n, d, v.marks));
        }
    }
    let (_, doc, marks) = best?;
    // Its first positions in that document, read back from the text.
    let posting = index.postings_of(Some(info)).find(|p| p.doc == doc)?;
    let doc = index.doc(doc)?;
    for pos in index.positions(&posting).take(MAX_POSITIONS) {
        let Some((text, token)) = token_at_position(&doc, pos) else { continue };
        if token.term == term && token.marks == marks {
            return text.get(token.span()).map(lowercase);
        }
    }
    None
}

/// `term` as the `hits` write it with `marks`, in lower case: read from
/// their highlighted words (titles and snippets), so that nothing more is
/// read from the index. `None` if no highlighted word is spelt so.
fn spelled_in(hits: &[Hit], term: &str, marks: &[u8]) -> Option<String> {
    for hit in hits {
        for (text, ranges) in [(&hit.title, &hit.title_highlights), (&hit.snippet, &hit.highlights)] {
            for &[start, end] in ranges {
                let Some(word) = utf16_slice(text, start, end) else { continue };
                if let Some(t) = tokenize(word).find(|t| t.term == term && t.marks == marks) {
                    return word.get(t.span()).map(lowercase);
                }
            }
        }
    }
    None
}

/// The part of `text` from UTF-16 unit `start` to `end`.
fn utf16_slice(text: &str, start: u32, end: u32) -> Option<&str> {
    let (mut at, mut from, mut to) = (0u32, None, None);
    for (i, c) in text.char_indices() {
        if at == start {
            from = Some(i);
        }
        if at == end {
            to = Some(i);
            break;
        }
        at += c.len_utf16() as u32;
    }
    if at == end && to.is_none() {
        to = Some(text.len());
    }
    text.get(from?..to?)
}

/// Positions of a word in a document read back for its spelling, at most.
const MAX_POSITIONS: usize = 16;

/// The token at position `pos` of a document (the title's words, one more,
/// then the body's), with the text it is in.
fn token_at_position<'d>(doc: &DocInfo<'d>, pos: u32) -> Option<(&'d str, Token)> {
    if pos < doc.title_tokens {
        let span = spans(doc.title).nth(pos as usize)?;
        return Some((doc.title, token_at(doc.title, span)));
    }
    let body = pos.checked_sub(doc.title_tokens + 1)?;
    let (offset, first) = doc.checkpoint(body);
    // Up to the next checkpoint (a token boundary), not the text's end.
    let end = match doc.checkpoint(first.saturating_add(CHECKPOINT_EVERY)) {
        (next, k) if k > first && next > offset => next,
        _ => doc.text_len(),
    };
    let text = doc.text_range(offset, end)?;
    let span = spans(text).nth(body.checked_sub(first)? as usize)?;
    Some((text, token_at(text, span)))
}

#[cfg(test)]
mod tests {
    use super::utf16_slice;

    #[test]
    fn utf16_slice_takes_the_units_asked_for() {
        let text = "Việt 😀 Nam là";
        assert_eq!(utf16_slice(text, 0, 4), Some("Việt"));
        assert_eq!(utf16_slice(text, 5, 7), Some("😀"));
        assert_eq!(utf16_slice(text, 8, 11), Some("Nam"));
        assert_eq!(utf16_slice(text, 12, 14), Some("là"), "up to the end");
        assert_eq!(utf16_slice(text, 12, 15), None, "past the end");
        assert_eq!(utf16_slice(text, 6, 7), None, "inside a surrogate pair");
    }
}
