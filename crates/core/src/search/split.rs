//! Syllables typed run together (`vanphong`, `thutuong`, `#thutuong`,
//! `vanphong.vn`): a word that matches nothing as typed, or only through
//! typos, is split into indexed syllables.
//!
//! The rule, in one place ([`splits`] and [`pick`]), with typo tolerance
//! on (`Options::fuzzy`, without `exact_diacritics`):
//!
//! - a word is split when it is plain letters, at least
//!   [`MIN_SPLIT_BYTES`] long, and has no exact, prefix or one-edit match
//!   (it matches nothing, or only two-edit typos);
//! - a split cuts it into indexed terms that each hold a vowel (every
//!   Vietnamese syllable has one); the last piece of a word still being
//!   typed may be the start of a term instead;
//! - the fewest pieces first; of the first [`MAX_SPLITS`], the one whose
//!   pieces stand next to each other, in order, in the most documents
//!   wins, else the first;
//! - the split reading replaces each split word by its pieces, drops a
//!   word of at most 3 letters that matches nothing right after a split
//!   word (a domain ending such as `.vn`), and scores at
//!   [`crate::score::SPLIT_WEIGHT`]. Its pieces are syllables as typed: no
//!   typos.
//!
//! The search is a dynamic programme over the term dictionary: from each
//! place in the word, one walk down the fst finds every term that starts
//! there.

use super::matches::{self, Scratch};
use super::plan::{Plan, ReadingPlan, TypoMemo};
use super::recent::Recent;
use super::Options;
use crate::index::Index;
use crate::query::{Query, Word};
use crate::score::SPLIT_WEIGHT;

/// Shortest word, in bytes, that is split.
pub const MIN_SPLIT_BYTES: usize = 4;
/// Longest word, in bytes, that is split.
pub const MAX_SPLIT_BYTES: usize = 40;
/// Splits compared for adjacency in the corpus, at most.
pub const MAX_SPLITS: usize = 4;
/// Words whose chosen split [`reading`] remembers.
pub(crate) const MEMO: usize = 8;

/// The splits chosen for the last words split: (word, being typed) → split.
pub(crate) type Memo = Recent<(String, bool), Option<Vec<String>>, MEMO>;

/// Pieces in a split, at most.
const MAX_PIECES: usize = 10;

/// Whether `term` is a word that could be split (before looking at what it
/// matches): plain letters, [`MIN_SPLIT_BYTES`] to [`MAX_SPLIT_BYTES`] long.
pub fn splittable(term: &str) -> bool {
    (MIN_SPLIT_BYTES..=MAX_SPLIT_BYTES).contains(&term.len()) && term.bytes().all(|b| b.is_ascii_lowercase())
}

fn has_vowel(piece: &[u8]) -> bool {
    piece.iter().any(|b| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y'))
}

/// Where the pieces starting at each byte of a word end.
struct Ends {
    /// `whole[i]`: the ends `j` such that `word[i..j]` is an indexed term
    /// with a vowel.
    whole: Vec<Vec<usize>>,
    /// `open[i]`: whether `word[i..]` starts an indexed term.
    open: Vec<bool>,
}

/// One walk of the fst from each place in `word`.
fn ends(index: &Index<'_>, word: &[u8]) -> Ends {
    let fst = index.fst().as_fst();
    let mut whole = vec![Vec::new(); word.len()];
    let mut open = vec![false; word.len()];
    for i in 0..word.len() {
        let mut node = fst.root();
        let mut walked = true;
        for (j, &b) in word.iter().enumerate().skip(i) {
            let Some(t) = node.find_input(b) else {
                walked = false;
                break;
            };
            node = fst.node(node.transition_addr(t));
            if node.is_final() && word.get(i..=j).is_some_and(has_vowel) {
                if let Some(list) = whole.get_mut(i) {
                    list.push(j + 1);
                }
            }
        }
        if let Some(o) = open.get_mut(i) {
            *o = walked;
        }
    }
    Ends { whole, open }
}

/// The ways to cut `term` into two or more pieces by the rule above, the
/// fewest pieces first (then the longest first piece), at most
/// `MAX_SPLITS`. `prefix`: the word is still being typed.
pub(crate) fn splits(index: &Index<'_>, term: &str, prefix: bool) -> Vec<Vec<String>> {
    let word = term.as_bytes();
    if !splittable(term) {
        return Vec::new();
    }
    let ends = ends(index, word);
    let n = word.len();
    // fewest[i]: the fewest pieces that cover word[i..] (usize::MAX: none).
    let mut fewest = vec![usize::MAX; n + 1];
    if let Some(f) = fewest.get_mut(n) {
        *f = 0;
    }
    for i in (0..n).rev() {
        let mut best = usize::MAX;
        if prefix && ends.open.get(i).copied().unwrap_or(false) {
            best = 1;
        }
        for &j in ends.whole.get(i).map_or(&[][..], Vec::as_slice) {
            if let Some(&f) = fewest.get(j).filter(|&&f| f != usize::MAX) {
                best = best.min(f + 1);
            }
        }
        if let Some(f) = fewest.get_mut(i) {
            *f = best;
        }
    }
    let Some(&least) = fewest.first().filter(|&&f| f != usize::MAX && f <= MAX_PIECES) else {
        return Vec::new();
    };
    // The splits of `least` pieces, then `least + 1`, in depth-first order
    // (longest piece first).
    let mut out: Vec<Vec<String>> = Vec::new();
    for pieces in least.max(2)..=least.max(2) + 1 {
        let mut cuts = Vec::with_capacity(pieces);
        collect(&Walk { word, ends: &ends, fewest: &fewest, prefix }, 0, pieces, &mut cuts, &mut out);
        if out.len() >= MAX_SPLITS {
            break;
        }
    }
    out.truncate(MAX_SPLITS);
    out
}

/// What the depth-first enumeration of splits reads.
struct Walk<'w> {
    word: &'w [u8],
    ends: &'w Ends,
    fewest: &'w [usize],
    prefix: bool,
}

/// Appends to `out` the splits of `word[at..]` into exactly `left` pieces,
/// after the pieces ending at `cuts`.
fn collect(walk: &Walk<'_>, at: usize, left: usize, cuts: &mut Vec<usize>, out: &mut Vec<Vec<String>>) {
    if out.len() >= MAX_SPLITS {
        return;
    }
    let n = walk.word.len();
    if left == 1 && walk.prefix && at < n && walk.ends.open.get(at).copied().unwrap_or(false) {
        cuts.push(n);
        out.push(pieces(walk.word, cuts));
        cuts.pop();
        return;
    }
    for &j in walk.ends.whole.get(at).map_or(&[][..], Vec::as_slice).iter().rev() {
        let reachable = walk.fewest.get(j).is_some_and(|&f| f != usize::MAX && f < left || (f == 0 && left == 1));
        if !reachable {
            continue;
        }
        cuts.push(j);
        if j == n {
            if left == 1 {
                out.push(pieces(walk.word, cuts));
            }
        } else if left > 1 {
            collect(walk, j, left - 1, cuts, out);
        }
        cuts.pop();
        if out.len() >= MAX_SPLITS {
            return;
        }
    }
}

fn pieces(word: &[u8], cuts: &[usize]) -> Vec<String> {
    let mut start = 0;
    let mut out = Vec::with_capacity(cuts.len());
    for &end in cuts {
        out.push(word.get(start..end).map(|p| String::from_utf8_lossy(p).into_owned()).unwrap_or_default());
        start = end;
    }
    out
}

/// The split reading of `plan`'s reading as typed, if some word of it is
/// split (see the module's rule): each such word replaced by the split
/// whose pieces stand next to each other in the most documents.
///
/// A word's chosen split is remembered in `memo` (the last [`MEMO`] words):
/// a word keeps its split while the words after it are typed.
pub(crate) fn reading<'a>(
    index: &Index<'a>,
    scratch: &mut Scratch,
    memo: &mut Memo,
    plan: &Plan<'a>,
    options: &Options,
) -> Option<ReadingPlan<'a>> {
    let typed = plan.readings.first()?;
    let mut chosen: Vec<Option<Vec<String>>> = Vec::with_capacity(typed.words.len());
    for w in &typed.words {
        let split = (!w.matches_closely() && splittable(&w.word.term))
            .then(|| {
                let key = (w.word.term.clone(), w.word.prefix);
                if let Some(known) = memo.find(|k| *k == key) {
                    return known.clone();
                }
                let found = pick(index, scratch, splits(index, &w.word.term, w.word.prefix), w.word.prefix, options);
                // (Not while a split index lacks shards: the choice read
                // partial postings.)
                if !index.missing_any() {
                    memo.keep(key, found.clone());
                }
                found
            })
            .flatten();
        chosen.push(split);
    }
    if chosen.iter().all(Option::is_none) {
        return None;
    }
    let Query { words, phrases } = typed.query();
    // Each word's range in the split reading.
    let mut out = Query::default();
    let mut at: Vec<std::ops::Range<usize>> = Vec::with_capacity(words.len());
    let mut after_split = false;
    for ((word, split), plan) in words.into_iter().zip(chosen).zip(&typed.words) {
        let start = out.words.len();
        let was_split = split.is_some();
        match split {
            Some(pieces) => out.words.extend(pieces_as_words(pieces, word.prefix)),
            // A domain ending (`vanphong.vn`): dropped, not required.
            None if after_split && plan.matches_nothing() && word.chars <= 3 => {}
            None => out.words.push(word),
        }
        after_split = was_split;
        at.push(start..out.words.len());
    }
    for p in phrases {
        let (Some(first), Some(last)) = (at.get(p.start), p.end.checked_sub(1).and_then(|e| at.get(e))) else {
            continue;
        };
        if last.end > first.start + 1 {
            out.phrases.push(first.start..last.end);
        }
    }
    let exact = Options { fuzzy: false, ..*options };
    (!out.words.is_empty()).then(|| ReadingPlan::new(index, out, SPLIT_WEIGHT, &exact, &mut TypoMemo::default()))
}

fn pieces_as_words(pieces: Vec<String>, prefix: bool) -> Vec<Word> {
    let last = pieces.len().saturating_sub(1);
    let words = pieces.into_iter().enumerate();
    words.map(|(i, term)| Word { chars: term.len(), term, marks: Vec::new(), prefix: prefix && i == last }).collect()
}

/// Of `splits`, the one whose pieces stand next to each other, in order, in
/// the most documents (the first on a tie, or when none do).
fn pick(
    index: &Index<'_>,
    scratch: &mut Scratch,
    splits: Vec<Vec<String>>,
    prefix: bool,
    options: &Options,
) -> Option<Vec<String>> {
    if splits.len() < 2 {
        return splits.into_iter().next();
    }
    let plain = Options { fuzzy: false, ..*options };
    let mut best: Option<(usize, usize)> = None;
    for (i, split) in splits.iter().enumerate() {
        let words = pieces_as_words(split.clone(), prefix);
        let phrase = Query { phrases: std::iter::once(0..words.len()).collect(), words };
        let reading = ReadingPlan::new(index, phrase, 1.0, &plain, &mut TypoMemo::default());
        let adjacent = matches::find(index, scratch, &reading, &plain).found.len();
        if adjacent > best.map_or(0, |(_, n)| n) {
            best = Some((i, adjacent));
        }
    }
    let i = best.map_or(0, |(i, _)| i);
    splits.into_iter().nth(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Document;
    use crate::write::write_index;

    /// Every split of `word` by the rule, by exhaustive search over the cuts.
    fn brute(terms: &[&str], word: &str, prefix: bool) -> Vec<Vec<String>> {
        let n = word.len();
        let mut out = Vec::new();
        for mask in 0u32..(1 << (n - 1)) {
            let mut cuts: Vec<usize> = (1..n).filter(|i| mask & (1 << (i - 1)) != 0).collect();
            cuts.push(n);
            let p = pieces(word.as_bytes(), &cuts);
            let last = p.len() - 1;
            let ok = p.len() >= 2
                && p.iter().enumerate().all(|(i, piece)| {
                    let whole = terms.contains(&piece.as_str()) && has_vowel(piece.as_bytes());
                    whole || (prefix && i == last && terms.iter().any(|t| t.starts_with(piece.as_str())))
                });
            if ok {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn splits_agree_with_exhaustive_search() {
        let text = "văn phòng liên minh bắc đại tây dương thủ tướng thu tương hà nội an ninh a b c ng";
        let docs = vec![Document { path: "a".into(), title: "t".into(), text: text.into() }];
        let (bytes, _) = write_index(&docs).unwrap();
        let index = Index::open(&bytes).unwrap();
        let terms: Vec<String> = crate::text::tokenize(text).map(|t| t.term).chain(["t".to_string()]).collect();
        let terms: Vec<&str> = terms.iter().map(String::as_str).collect();
        for word in [
            "vanphong",
            "thutuong",
            "lienminhbacdaitayduong",
            "anninh",
            "hanoi",
            "vanpho",
            "thutu",
            "abc",
            "vanx",
            "banh",
        ] {
            for prefix in [false, true] {
                let got = splits(&index, word, prefix);
                let all = if splittable(word) { brute(&terms, word, prefix) } else { Vec::new() };
                let least = all.iter().map(Vec::len).min();
                // The fewest pieces first, every one a split by the rule.
                for split in &got {
                    assert!(all.contains(split), "{word} {prefix}: {split:?} is no split");
                }
                match least {
                    Some(least) => {
                        let want = all.iter().filter(|s| s.len() == least).count().min(MAX_SPLITS);
                        assert_eq!(got.iter().filter(|s| s.len() == least).count(), want, "{word} {prefix}: {got:?}");
                        assert!(got.windows(2).all(|w| w[0].len() <= w[1].len()), "{word}: {got:?}");
                    }
                    None => assert!(got.is_empty(), "{word} {prefix}: {got:?}"),
                }
            }
        }
        assert_eq!(splits(&index, "vanphong", false), [["van", "phong"]]);
        assert_eq!(splits(&index, "vanpho", true), [["van", "pho"]]);
    }
}
