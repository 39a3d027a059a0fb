//! Stage 3, the ranking: the adjacency bonus for the best matches of each
//! reading, the readings merged (a document keeps its best score), and the
//! top of the list selected.

use super::matches::{Match, Matches};
use crate::index::Index;
use crate::order::{self, descending, low, pack};
use crate::score::ADJACENT_BONUS;

/// Matches whose word adjacency is checked, beyond the page asked for.
pub(crate) const ADJACENCY_POOL: usize = 256;

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
}

/// Ranks the matches of a reading: the best `pool` by their word scores
/// get the adjacency bonus (their positions decoded for it), then every
/// score is weighed by the reading's `weight`.
pub(crate) fn rank(index: &Index<'_>, matches: Matches, weight: f32, pool: usize) -> Ranking {
    let total = matches.total.unwrap_or(matches.found.len());
    let mut found = matches.found;
    let mut scores: Vec<f32> = found.iter().map(|m| m.word_score).collect();
    let mut best: Vec<u64> = scores.iter().enumerate().map(|(i, &s)| pack(descending(s), i as u32)).collect();
    if best.len() > pool {
        order::smallest(&mut best, pool);
    }
    for i in best.into_iter().map(|k| low(k) as usize) {
        if let (Some(m), Some(score)) = (found.get_mut(i), scores.get_mut(i)) {
            *score += ADJACENT_BONUS * adjacent_pairs(index, m) as f32;
        }
    }
    for score in &mut scores {
        *score *= weight;
    }
    Ranking { matches: found, scores, total }
}

/// How many consecutive pairs of query words occur next to each other, in order.
fn adjacent_pairs(index: &Index<'_>, m: &mut Match) -> usize {
    let words = m.words.len();
    if words < 2 {
        return 0;
    }
    for w in 0..words {
        m.positions(index, w);
    }
    (1..words)
        .filter(|&w| {
            let (first, next) = (m.decoded(w - 1), m.decoded(w));
            first.iter().any(|&p| p.checked_add(1).is_some_and(|q| next.binary_search(&q).is_ok()))
        })
        .count()
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
    let mut merged = Ranking { matches: Vec::new(), scores: Vec::new(), total: 0 };
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
