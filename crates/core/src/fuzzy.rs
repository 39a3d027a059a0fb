//! Typo tolerance: a Levenshtein automaton over the term dictionary, and the
//! Vietnamese spelling confusions that count as one edit.
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

/// The spelling confusions Vietnamese readers make (s/x, ch/tr, d/gi/r, l/n,
/// c/k/q, i/y), as pairs of folded spellings. The consonants are confused
/// as a syllable's onset: the first consonant of the word, read as a whole
/// (`ch`, `gi`, `nh`… are one consonant, so `chung` has no `c`→`k`
/// variant); i/y anywhere. One confusion is one edit, even where plain edits
/// count it as two (`ch`→`tr`, `gi`→`d`) or allow none (words under 4
/// letters): see [`confusion_variants`].
pub const CONFUSIONS: [(&str, &str); 10] = [
    ("s", "x"),
    ("ch", "tr"),
    ("d", "gi"),
    ("d", "r"),
    ("gi", "r"),
    ("l", "n"),
    ("c", "k"),
    ("c", "q"),
    ("k", "q"),
    ("i", "y"),
];

/// The onsets written with two or three letters: each is one consonant.
const DIGRAPHS: [&str; 10] = ["ngh", "ng", "nh", "ch", "tr", "th", "kh", "gh", "gi", "ph"];

/// The consonant a folded word starts with (`""` if it starts with a vowel
/// or a digit).
pub fn onset(term: &str) -> &str {
    if let Some(d) = DIGRAPHS.iter().find(|d| term.starts_with(**d)) {
        return d;
    }
    match term.as_bytes().first() {
        Some(b) if b.is_ascii_lowercase() && !b"aeiouy".contains(b) => term.get(..1).unwrap_or(""),
        _ => "",
    }
}

/// Words of fewer characters than this have no confusion variants.
pub const MIN_CONFUSION_CHARS: usize = 2;

/// Every spelling one confusion ([`CONFUSIONS`]) away from `term`: its
/// [`onset`] replaced by the other spelling of a pair, or one `i` made `y`
/// (or back); each result once, in a fixed order. None for terms of fewer
/// than [`MIN_CONFUSION_CHARS`] characters.
///
/// ```
/// use timkiem_core::fuzzy::confusion_variants;
/// let v = confusion_variants("giai");
/// assert!(v.contains(&"dai".to_string()) && v.contains(&"rai".to_string()) && v.contains(&"giay".to_string()));
/// assert_eq!(confusion_variants("chung"), ["trung"]);
/// assert!(confusion_variants("s").is_empty());
/// ```
pub fn confusion_variants(term: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if term.chars().count() < MIN_CONFUSION_CHARS {
        return out;
    }
    let head = onset(term);
    let rest = term.get(head.len()..).unwrap_or("");
    for (a, b) in CONFUSIONS {
        for (from, to) in [(a, b), (b, a)] {
            if from == "i" || from == "y" {
                // `from` is one ASCII letter: its byte positions are its
                // matches (a `&str` pattern would bring the substring
                // searcher, and its panic formatting, into the wasm).
                let letter = from.as_bytes().first().copied().unwrap_or(0);
                for at in term.bytes().enumerate().filter(|&(_, b)| b == letter).map(|(at, _)| at) {
                    let (Some(before), Some(after)) = (term.get(..at), term.get(at + from.len()..)) else { continue };
                    let variant = [before, to, after].concat();
                    if variant != term && !out.contains(&variant) {
                        out.push(variant);
                    }
                }
            } else if head == from {
                let variant = [to, rest].concat();
                if !out.contains(&variant) {
                    out.push(variant);
                }
            }
        }
    }
    out
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
    fn confusions_are_one_edit_both_ways() {
        let one = |x: &str, y: &str| confusion_variants(x).iter().any(|v| v == y);
        for (a, b) in CONFUSIONS {
            let (x, y) = (format!("{a}ua"), format!("{b}ua"));
            assert!(one(&x, &y) && one(&y, &x), "{x} {y}");
        }
        assert!(one("tru", "chu"));
        assert!(!one("tru", "thu"));
        assert!(!one("nhat", "nhat") && !one("nhat", "nhan"), "a word is not its own confusion; n/t are none");
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
