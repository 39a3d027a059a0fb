//! Stage 2, the matches: every document that matches every word of one
//! reading, with the score of each word's best expansion and where that
//! expansion's positions are. Positions are decoded at most once per word
//! and document ([`Match::positions`]), for phrases here and for adjacency
//! and snippets in the later stages.

use super::plan::{Agree, Expansion, ReadingPlan, WordPlan};
use super::Options;
use crate::index::{Heavy, Index, Posting};
use crate::order;
use crate::score::{self, Lengths, MARKS_BONUS, TIER_PREFIX};

/// Positions reserved at most before decoding (more are pushed as read).
const MAX_RESERVED: u32 = 4096;

/// Where a word's positions are in a document's posting.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PositionsAt {
    /// Bit offset in the postings section.
    pub bit: u32,
    /// Number of positions (the term frequency, title and body).
    pub count: u32,
    /// The Rice parameter of the positions.
    pub rice_k: u8,
}

impl PositionsAt {
    /// The positions of a heavy prefix's best-list entry.
    fn of_best(index: &Index<'_>, bit: u32, tf: u32) -> Self {
        PositionsAt { bit, count: tf, rice_k: index.rice_k(tf) }
    }

    fn decode(self, index: &Index<'_>) -> Vec<u32> {
        // None to read (a document only a bitmap matched): no postings are
        // touched, so that in the split layout no shard is asked for.
        if self.count == 0 {
            return Vec::new();
        }
        let posting = Posting { doc: 0, title_tf: 0, body_tf: self.count, positions_at: self.bit, k: self.rice_k };
        // Sized up front (the count is untrusted: bounded), not grown.
        let mut positions = Vec::with_capacity(self.count.min(MAX_RESERVED) as usize);
        positions.extend(index.positions(&posting));
        positions
    }
}

/// One query word in a matching document.
#[derive(Debug, Clone)]
pub(crate) struct WordMatch {
    /// The score of the word's best expansion in the document.
    pub score: f32,
    /// Where that expansion's positions are (none for a document that only
    /// a common prefix's bitmap matched).
    pub at: PositionsAt,
    /// The positions, once decoded.
    decoded: Option<Vec<u32>>,
}

/// A document matching every word of a reading.
#[derive(Debug, Clone)]
pub(crate) struct Match {
    pub doc: u32,
    /// The sum of the words' scores.
    pub word_score: f32,
    /// Per query word, in query order.
    pub words: Vec<WordMatch>,
}

impl Match {
    /// The positions of word `w` in the document, in increasing order:
    /// decoded on first use, then kept.
    pub fn positions(&mut self, index: &Index<'_>, w: usize) -> &[u32] {
        match self.words.get_mut(w) {
            Some(word) => word.decoded.get_or_insert_with(|| word.at.decode(index)),
            None => &[],
        }
    }

    /// The positions of word `w`, if decoded; empty otherwise.
    pub fn decoded(&self, w: usize) -> &[u32] {
        self.words.get(w).and_then(|m| m.decoded.as_deref()).unwrap_or(&[])
    }

    /// Whether the words `phrase` occur adjacent and in order.
    fn has_phrase(&mut self, index: &Index<'_>, phrase: std::ops::Range<usize>) -> bool {
        for w in phrase.clone() {
            self.positions(index, w);
        }
        let lists: Vec<&[u32]> = phrase.map(|w| self.decoded(w)).collect();
        let Some(first) = lists.first() else { return false };
        first.iter().any(|&p| {
            lists
                .iter()
                .enumerate()
                .all(|(k, list)| p.checked_add(k as u32).is_some_and(|q| list.binary_search(&q).is_ok()))
        })
    }
}

/// The matches of one reading.
pub(crate) struct Matches {
    pub found: Vec<Match>,
    /// How many documents match, when `found` holds only the best of them
    /// (a common prefix typed alone, answered by its best list).
    pub total: Option<usize>,
}

impl Matches {
    fn none() -> Self {
        Matches { found: Vec::new(), total: None }
    }
}

/// Reusable per-document buffers, so that a keystroke allocates little.
#[derive(Default)]
pub(crate) struct Scratch {
    /// The evaluation in which a document last became a candidate.
    epoch: Vec<u32>,
    /// Per document, the query words it matched (valid when `epoch` is current).
    mask: Vec<u64>,
    /// Per document, its candidate row (valid when `epoch` is current).
    row: Vec<u32>,
    current: u32,
}

impl Scratch {
    fn begin(&mut self, docs: usize) {
        if self.epoch.len() != docs {
            self.epoch = vec![0; docs];
            self.mask = vec![0; docs];
            self.row = vec![0; docs];
            self.current = 0;
        }
        self.current = self.current.wrapping_add(1);
        if self.current == 0 {
            self.epoch.iter_mut().for_each(|e| *e = 0);
            self.current = 1;
        }
    }

    fn mask(&self, doc: u32) -> u64 {
        self.mask.get(doc as usize).copied().unwrap_or(0)
    }
}

/// The matches of `reading`. The page `options` ask for decides whether a
/// common prefix typed alone can be answered from its best list.
pub(crate) fn find(index: &Index<'_>, scratch: &mut Scratch, reading: &ReadingPlan<'_>, options: &Options) -> Matches {
    let words = reading.words.len();
    if words == 0 || words > 64 || reading.unmatchable() {
        return Matches::none();
    }
    if let Some(best) = best_list(index, reading, options) {
        return best;
    }
    let mut acc = Accumulator::new(index, scratch, words);
    // Cheapest word first: it drives the candidates; a common prefix last.
    let mut keys: Vec<u64> = reading.words.iter().enumerate().map(|(i, w)| w.cost << 8 | i as u64).collect();
    order::sort(&mut keys);
    for (step, w) in keys.iter().map(|&k| (k & 0xFF) as usize).enumerate() {
        let Some(word) = reading.words.get(w) else { continue };
        let check_marks = options.exact_diacritics || reading.has_marks;
        for expansion in &word.expansions {
            acc.expansion(expansion, Step { step, word: w }, check_marks, options.exact_diacritics);
        }
        if let Some(heavy) = &word.heavy {
            acc.heavy(heavy, Step { step, word: w });
        }
        acc.required |= 1 << w;
    }
    let mut found = acc.complete();
    found.retain_mut(|m| reading.phrases.iter().all(|p| m.has_phrase(index, p.clone())));
    Matches { found, total: None }
}

/// A common prefix typed alone, plainly: its precomputed best list is the
/// answer, if it holds the page.
fn best_list(index: &Index<'_>, reading: &ReadingPlan<'_>, options: &Options) -> Option<Matches> {
    let [WordPlan { heavy: Some(heavy), expansions, .. }] = reading.words.as_slice() else { return None };
    let plain = expansions.iter().all(|e| e.kind == super::plan::Kind::Exact) && reading.phrases.is_empty();
    let page = options.offset.saturating_add(options.limit);
    if !plain || reading.has_marks || (page > heavy.top_len as usize && heavy.top_len != heavy.documents) {
        return None;
    }
    let found = heavy
        .top()
        .map(|(doc, score, bit, tf)| Match {
            doc,
            word_score: score,
            words: vec![WordMatch { score, at: PositionsAt::of_best(index, bit, tf), decoded: None }],
        })
        .collect();
    Some(Matches { found, total: Some(heavy.documents as usize) })
}

/// Which word is being matched, and how many were before it.
#[derive(Clone, Copy)]
struct Step {
    step: usize,
    word: usize,
}

/// A word's best expansion so far in a candidate.
#[derive(Clone, Copy)]
struct Best {
    score: f32,
    at: PositionsAt,
}

/// The candidates of one reading: per document that matched the first
/// word, a row of the best score and positions of each word.
struct Accumulator<'s, 'i, 'a> {
    index: &'i Index<'a>,
    scratch: &'s mut Scratch,
    words: usize,
    candidates: Vec<u32>,
    /// `words` entries per candidate.
    rows: Vec<Best>,
    /// The words every candidate has matched so far.
    required: u64,
}

impl<'s, 'i, 'a> Accumulator<'s, 'i, 'a> {
    fn new(index: &'i Index<'a>, scratch: &'s mut Scratch, words: usize) -> Self {
        scratch.begin(index.documents() as usize);
        Accumulator { index, scratch, words, candidates: Vec::new(), rows: Vec::new(), required: 0 }
    }

    /// Scores the documents of one expansion of a word.
    fn expansion(&mut self, e: &Expansion, at: Step, check_marks: bool, exact_diacritics: bool) {
        let n_docs = self.index.documents();
        let (avg_title, avg_body) = (self.index.avg_title(), self.index.avg_body());
        let mut agree_at = 0usize;
        for posting in self.index.postings_of(Some(e.info)) {
            if posting.doc >= n_docs {
                break;
            }
            if !self.admit(posting.doc, at.step) {
                continue;
            }
            let agrees = match &e.agree {
                Agree::All => true,
                Agree::Nothing => false,
                Agree::Docs(list) => {
                    while list.get(agree_at).is_some_and(|&x| x < posting.doc) {
                        agree_at += 1;
                    }
                    list.get(agree_at) == Some(&posting.doc)
                }
            };
            if exact_diacritics && !agrees {
                continue;
            }
            let Some((title, body)) = self.index.doc_lengths(posting.doc) else { continue };
            let bm25 =
                score::bm25f(posting.title_tf, posting.body_tf, Lengths { title, body, avg_title, avg_body }, e.idf);
            // A typo's marks are no bonus (hỏi for ngã is a typo that agrees).
            let typo = matches!(e.kind, super::plan::Kind::Typo { .. });
            let marks = if check_marks && agrees && !typo { MARKS_BONUS } else { 0.0 };
            let at_positions = PositionsAt { bit: posting.positions_at, count: posting.tf(), rice_k: posting.k };
            self.record(posting.doc, at.word, e.tier + marks + score::squash(bm25), at_positions);
        }
    }

    /// Scores the documents of a common prefix: its best list with their
    /// scores, every other document with it at the bottom of its tier.
    fn heavy(&mut self, heavy: &Heavy<'_>, at: Step) {
        for (doc, score, bit, tf) in heavy.top() {
            if self.admit(doc, at.step) {
                let positions = PositionsAt::of_best(self.index, bit, tf);
                self.record(doc, at.word, score, positions);
            }
        }
        // (In the split layout the bitmap may not be here yet: its shard is
        // noted missing, and this answer is not given.)
        let Some(bitmap) = self.index.heavy_bitmap(heavy) else { return };
        if at.step == 0 {
            for doc in bitmap.docs() {
                if doc < self.index.documents() && self.admit(doc, at.step) {
                    self.record(doc, at.word, TIER_PREFIX, PositionsAt::default());
                }
            }
            return;
        }
        for row in 0..self.candidates.len() {
            let Some(&doc) = self.candidates.get(row) else { continue };
            let mask = self.scratch.mask(doc);
            if mask & self.required == self.required && mask & (1 << at.word) == 0 && bitmap.contains(doc) {
                self.record(doc, at.word, TIER_PREFIX, PositionsAt::default());
            }
        }
    }

    /// Whether `doc` takes part at this step: any document for the first
    /// word (which makes it a candidate), then only candidates that matched
    /// every word so far.
    #[inline]
    fn admit(&mut self, doc: u32, step: usize) -> bool {
        let d = doc as usize;
        let scratch = &mut *self.scratch;
        let fresh = scratch.epoch.get(d).is_none_or(|&e| e != scratch.current);
        if step > 0 {
            return !fresh && scratch.mask.get(d).is_some_and(|&m| m & self.required == self.required);
        }
        if fresh {
            let (Some(e), Some(m), Some(row)) =
                (scratch.epoch.get_mut(d), scratch.mask.get_mut(d), scratch.row.get_mut(d))
            else {
                return false;
            };
            *e = scratch.current;
            *m = 0;
            *row = self.candidates.len() as u32;
            self.candidates.push(doc);
            self.rows
                .extend(std::iter::repeat_n(Best { score: f32::NEG_INFINITY, at: PositionsAt::default() }, self.words));
        }
        true
    }

    /// Keeps `score` for word `word` of `doc` if it beats the one there.
    #[inline]
    fn record(&mut self, doc: u32, word: usize, score: f32, at: PositionsAt) {
        let d = doc as usize;
        let row = self.scratch.row.get(d).copied().unwrap_or(0) as usize;
        if let Some(best) = self.rows.get_mut(row * self.words + word) {
            if score > best.score {
                *best = Best { score, at };
            }
        }
        if let Some(m) = self.scratch.mask.get_mut(d) {
            *m |= 1 << word;
        }
    }

    /// The candidates that matched every word.
    fn complete(self) -> Vec<Match> {
        let s = self.words;
        let full: u64 = if s == 64 { u64::MAX } else { (1u64 << s) - 1 };
        let mut out = Vec::new();
        for (row, &doc) in self.candidates.iter().enumerate() {
            let Some(best) = self.rows.get(row * s..row * s + s).filter(|_| self.scratch.mask(doc) == full) else {
                continue;
            };
            let words: Vec<WordMatch> =
                best.iter().map(|b| WordMatch { score: b.score, at: b.at, decoded: None }).collect();
            let score: f32 = words.iter().map(|w| w.score).sum();
            out.push(Match { doc, word_score: score, words });
        }
        out
    }
}
