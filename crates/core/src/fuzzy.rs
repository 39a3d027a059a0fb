//! Typo tolerance: a Levenshtein automaton over the term dictionary.
//!
//! The automaton runs lazily, one dynamic-programming row per fst edge, so it
//! costs nothing to build. (`fst::automaton::Levenshtein` builds its whole
//! DFA before the search starts, which for two edits takes longer than a
//! whole keystroke's budget here, and pulls in more code.) Distances count
//! bytes of folded terms, which are ASCII for Latin-script text.

use fst::Automaton;

/// Longest query term, in bytes, that fuzzy matching considers.
pub const MAX_FUZZY_BYTES: usize = 32;

/// Edits allowed for a term of `chars` characters: none below 4, one for
/// 4–7, two from 8.
pub fn max_edits(chars: usize) -> u8 {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Matches terms within `max` edits of `query`.
pub struct Levenshtein<'q> {
    query: &'q [u8],
    max: u8,
}

impl<'q> Levenshtein<'q> {
    /// `None` when `query` is too long for fuzzy matching.
    pub fn new(query: &'q str, max: u8) -> Option<Self> {
        (query.len() <= MAX_FUZZY_BYTES).then_some(Levenshtein { query: query.as_bytes(), max })
    }

    /// The edit distance a final state records.
    pub fn distance(&self, state: &Row) -> Option<u8> {
        state.as_ref().and_then(|row| row.get(self.query.len()).copied())
    }
}

/// One row of the edit-distance table; `None` once no match is possible.
pub type Row = Option<[u8; MAX_FUZZY_BYTES + 1]>;

impl Automaton for Levenshtein<'_> {
    type State = Row;

    fn start(&self) -> Row {
        let mut row = [0u8; MAX_FUZZY_BYTES + 1];
        for (i, cell) in row.iter_mut().enumerate() {
            *cell = u8::try_from(i).unwrap_or(u8::MAX);
        }
        Some(row)
    }

    fn is_match(&self, state: &Row) -> bool {
        self.distance(state).is_some_and(|d| d <= self.max)
    }

    fn can_match(&self, state: &Row) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Row, byte: u8) -> Row {
        let row = state.as_ref()?;
        let n = self.query.len();
        let mut next = [u8::MAX; MAX_FUZZY_BYTES + 1];
        let mut best = row.first()?.saturating_add(1);
        *next.first_mut()? = best;
        for i in 1..=n {
            let substitute = row.get(i - 1)?.saturating_add(u8::from(self.query.get(i - 1) != Some(&byte)));
            let delete = row.get(i)?.saturating_add(1);
            let insert = next.get(i - 1)?.saturating_add(1);
            let cell = substitute.min(delete).min(insert);
            *next.get_mut(i)? = cell;
            best = best.min(cell);
        }
        (best <= self.max).then_some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::{IntoStreamer, Streamer};
    use timkiem_testkit::edit_distance;

    fn matches(words: &[&str], query: &str, max: u8) -> Vec<(String, u8)> {
        let mut sorted = words.to_vec();
        sorted.sort_unstable();
        let set = fst::Map::from_iter(sorted.iter().enumerate().map(|(i, w)| (*w, i as u64))).unwrap();
        let aut = Levenshtein::new(query, max).unwrap();
        let mut stream = set.search_with_state(&aut).into_stream();
        let mut out = Vec::new();
        while let Some((k, _, state)) = stream.next() {
            out.push((String::from_utf8(k.to_vec()).unwrap(), aut.distance(&state).unwrap()));
        }
        out
    }

    #[test]
    fn finds_typos_with_their_distance() {
        let words = ["stoltenberg", "stoltenbreg", "nhat", "nhan", "nhanh", "ban", "tokyo"];
        assert_eq!(matches(&words, "nhta", 1), Vec::<(String, u8)>::new());
        assert_eq!(matches(&words, "nhat", 1), vec![("nhan".into(), 1), ("nhat".into(), 0)]);
        assert_eq!(matches(&words, "stoltenbrg", 2), vec![("stoltenberg".into(), 1), ("stoltenbreg".into(), 1)]);
    }

    #[test]
    fn agrees_with_brute_force() {
        let words = ["a", "ab", "abc", "abcd", "bcd", "xbcd", "abxd", "dcba", "aaaa", "ngoai", "ngoi", "nguoi"];
        for q in ["abcd", "ngoai", "nguo", "bcda", "x"] {
            for max in 0..=2 {
                let got = matches(&words, q, max);
                let mut want: Vec<(String, u8)> = words
                    .iter()
                    .map(|w| (w.to_string(), edit_distance(q, w) as u8))
                    .filter(|(_, d)| *d <= max)
                    .collect();
                want.sort();
                assert_eq!(got, want, "{q} within {max}");
            }
        }
    }
}
