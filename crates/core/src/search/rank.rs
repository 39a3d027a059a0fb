//! Stage 3, the ranking: the adjacency bonus for the best matches of each
//! reading, the readings merged (a document keeps its best score), and the
//! top of the list selected.
//!
//! While the last word is typed, it is adjacent to the word before when any
//! of its completions stands right after it, not only the completion that
//! scored best in the document: those positions are read here, for the
//! matches in the pool that lack the pair, up to [`COMPLETION_POSTINGS`]
//! (a common prefix's words that only its bitmap stands for are not read).

use super::matches::{Match, Matches};
use super::plan::{Kind, ReadingPlan};
use crate::index::Index;
use crate::order::{self, descending, low, pack};
use crate::score::{ADJACENT_BONUS, PREFIX_ADJACENT_BONUS};

/// Matches whose word adjacency is checked, beyond the page asked for.
pub(crate) const ADJACENCY_POOL: usize = 256;
/// Postings of the last word's other completions read for adjacency, at
/// most (the completions in the plan's order).
pub(crate) const COMPLETION_POSTINGS: u32 = 512;

/// A match with its final score.
pub(crate) struct Ranked {
    pub score: f32,
    pub found: Match,
}

/// Matches with their final scores (`scores[i]` is `matches[i]`'s), and how
/// many documents match.
pub(crate) struct Ranking {
    matches: Vec<Match>,
    scores: Vec<f32>,
    pub total: usize,
    /// Every match came from a heavy prefix's best list, computed when the
    /// index was built: which they are does not depend on any postings.
    pub precomputed: bool,
}

/// Ranks the matches of a reading: the best `pool` by their word scores
/// get the adjacency bonus (their positions decoded for it), then every
/// score is weighed by the reading's weight. Only the matches that the
/// last pair's bonus could lift into the first `page` are looked at for
/// it in the other completions.
pub(crate) fn rank(
    index: &Index<'_>,
    matches: Matches,
    reading: &ReadingPlan<'_>,
    pool: usize,
    page: usize,
) -> Ranking {
    let precomputed = matches.total.is_some();
    let total = matches.total.unwrap_or(matches.found.len());
    let mut found = matches.found;
    let mut scores: Vec<f32> = found.iter().map(|m| m.word_score).collect();
    let mut best: Vec<u64> = scores.iter().enumerate().map(|(i, &s)| pack(descending(s), i as u32)).collect();
    if best.len() > pool {
        order::smallest(&mut best, pool);
    }
    let typing = reading.words.last().is_some_and(|w| w.word.prefix) && reading.words.len() >= 2;
    // (document, match) of the pool's matches whose last pair is not (yet)
    // adjacent, while the last word is typed.
    let mut open: Vec<u64> = Vec::new();
    let open_pool = page > 0;
    for i in best.into_iter().map(|k| low(k) as usize) {
        if let (Some(m), Some(score)) = (found.get_mut(i), scores.get_mut(i)) {
            let (pairs, last) = adjacent_pairs(index, m);
            *score += ADJACENT_BONUS * pairs as f32;
            if typing && last {
                *score += PREFIX_ADJACENT_BONUS - ADJACENT_BONUS;
            } else if typing && open_pool {
                open.push(pack(m.doc, i as u32));
            }
        }
    }
    if !open.is_empty() && page > 0 {
        // The page's last score so far: a match below it by more than the
        // bonus cannot reach the page.
        let mut top: Vec<u64> = scores.iter().enumerate().map(|(i, &s)| pack(descending(s), i as u32)).collect();
        order::smallest(&mut top, page);
        let floor = top.iter().filter_map(|&k| scores.get(low(k) as usize)).copied().fold(f32::INFINITY, f32::min);
        let floor = if top.len() < page { f32::NEG_INFINITY } else { floor };
        open.retain(|&k| scores.get(low(k) as usize).is_some_and(|&s| s + PREFIX_ADJACENT_BONUS > floor));
        order::sort(&mut open);
        for i in last_pair_in_other_completions(index, reading, &mut found, &open) {
            if let Some(score) = scores.get_mut(i) {
                *score += PREFIX_ADJACENT_BONUS;
            }
        }
    }
    for score in &mut scores {
        *score *= reading.weight;
    }
    Ranking { matches: found, scores, total, precomputed }
}

/// How many consecutive pairs of query words occur next to each other, in
/// order, and whether the last pair does.
fn adjacent_pairs(index: &Index<'_>, m: &mut Match) -> (usize, bool) {
    let words = m.words.len();
    if words < 2 {
        return (0, false);
    }
    for w in 0..words {
        m.positions(index, w);
    }
    let adjacent = |m: &Match, w: usize| {
        let (first, next) = (m.decoded(w - 1), m.decoded(w));
        first.iter().any(|&p| p.checked_add(1).is_some_and(|q| next.binary_search(&q).is_ok()))
    };
    ((1..words).filter(|&w| adjacent(m, w)).count(), adjacent(m, words - 1))
}

/// Of the matches `open` ((document, match), in order), those in which some
/// completion of the last word (other than the one that scored best)
/// stands right after the word before: one pass over each completion's
/// postings, positions decoded only for those documents.
fn last_pair_in_other_completions(
    index: &Index<'_>,
    reading: &ReadingPlan<'_>,
    found: &mut [Match],
    open: &[u64],
) -> Vec<usize> {
    let (Some(last), n) = (reading.words.last(), reading.words.len()) else { return Vec::new() };
    let mut done: Vec<usize> = Vec::new();
    let mut left: Vec<u64> = open.to_vec();
    let mut budget = u64::from(COMPLETION_POSTINGS);
    for e in last.expansions.iter().filter(|e| matches!(e.kind, Kind::Prefix { .. } | Kind::Exact)) {
        if left.is_empty() || budget == 0 {
            break;
        }
        // (A completion with more postings than are left is not read.)
        let Some(rest) = budget.checked_sub(u64::from(e.info.df)) else { continue };
        budget = rest;
        let mut at = 0usize;
        let mut hit: Vec<usize> = Vec::new();
        for posting in index.postings_of(Some(e.info)) {
            while left.get(at).is_some_and(|&k| (k >> 32) < u64::from(posting.doc)) {
                at += 1;
            }
            let Some(&key) = left.get(at).filter(|&&k| (k >> 32) == u64::from(posting.doc)) else {
                if at >= left.len() {
                    break;
                }
                continue;
            };
            let i = low(key) as usize;
            let Some(m) = found.get(i) else { continue };
            let before = m.decoded(n - 2);
            let mut next = index.positions(&posting).peekable();
            let adjacent = before.iter().any(|&p| {
                let q = p.saturating_add(1);
                while next.peek().is_some_and(|&x| x < q) {
                    next.next();
                }
                next.peek() == Some(&q)
            });
            if adjacent {
                hit.push(at);
                done.push(i);
            }
        }
        for &at in hit.iter().rev() {
            if at < left.len() {
                left.remove(at);
            }
        }
    }
    done
}

/// Merges the rankings of the readings: a document found by several keeps
/// its best score (the first reading's on a tie). The total is the number
/// of documents, unless one reading answered with a best list alone.
pub(crate) fn merge(documents: u32, mut readings: Vec<Ranking>) -> Ranking {
    if readings.len() == 1 {
        if let Some(only) = readings.pop() {
            return only;
        }
    }
    let precomputed = readings.iter().all(|r| r.precomputed);
    let mut merged = Ranking { matches: Vec::new(), scores: Vec::new(), total: 0, precomputed };
    for r in readings {
        merged.matches.extend(r.matches);
        merged.scores.extend(r.scores);
    }
    merged.keep_best_per_document(documents);
    merged.total = merged.matches.len();
    merged
}

impl Ranking {
    fn keep_best_per_document(&mut self, documents: u32) {
        let mut best = vec![u32::MAX; documents as usize];
        let mut keep = vec![false; self.matches.len()];
        for (i, (m, &score)) in self.matches.iter().zip(&self.scores).enumerate() {
            let Some(b) = best.get_mut(m.doc as usize) else { continue };
            if self.scores.get(*b as usize).is_none_or(|&old| score > old) {
                if let Some(k) = keep.get_mut(*b as usize) {
                    *k = false;
                }
                *b = i as u32;
                if let Some(k) = keep.get_mut(i) {
                    *k = true;
                }
            }
        }
        let mut flags = keep.iter();
        self.matches.retain(|_| flags.next().copied().unwrap_or(false));
        let mut flags = keep.iter();
        self.scores.retain(|_| flags.next().copied().unwrap_or(false));
    }

    /// The best `k`, best first (by score, then as found).
    pub fn top(self, k: usize) -> Vec<Ranked> {
        let mut keys: Vec<u64> = self.scores.iter().enumerate().map(|(i, &s)| pack(descending(s), i as u32)).collect();
        order::smallest(&mut keys, k);
        // Each match's place in the top, then the matches moved there.
        let mut place = vec![u32::MAX; self.matches.len()];
        for (at, &key) in keys.iter().enumerate() {
            if let Some(p) = place.get_mut(low(key) as usize) {
                *p = at as u32;
            }
        }
        let mut top: Vec<Option<Ranked>> = std::iter::repeat_with(|| None).take(keys.len()).collect();
        for ((found, score), &at) in self.matches.into_iter().zip(self.scores).zip(&place) {
            if let Some(slot) = top.get_mut(at as usize) {
                *slot = Some(Ranked { score, found });
            }
        }
        top.into_iter().flatten().collect()
    }
}
