//! Query parsing: words, quoted phrases, the word still being typed, and the
//! telex reading of words typed without an input method.

use std::ops::Range;

use crate::text::{tokenize, Marks};

/// At most this many bytes of a query are read.
pub const MAX_QUERY_BYTES: usize = 4096;
/// At most this many words of a query are used.
pub const MAX_WORDS: usize = 32;

/// One word of a query, folded by the same pipeline as the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The folded word: lower case, without diacritics.
    pub term: String,
    /// The diacritics typed, as the index keeps them (see [`Marks`]).
    pub marks: Marks,
    /// Characters in `term`.
    pub chars: usize,
    /// The word is still being typed: it also matches as a prefix.
    pub prefix: bool,
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// The words, in the order typed (at most [`MAX_WORDS`]).
    pub words: Vec<Word>,
    /// Word ranges that must match adjacent and in order (quoted phrases).
    pub phrases: Vec<Range<usize>>,
}

impl Query {
    /// Whether the user typed any diacritic.
    pub fn has_marks(&self) -> bool {
        self.words.iter().any(|w| !w.marks.is_empty())
    }
}

/// Cuts `s` to at most `max` bytes, at a character boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// Parses a query. Words are ANDed; text between double quotes is a phrase;
/// the last word is a prefix unless something (a space, punctuation, a closing
/// quote) follows it.
///
/// ```
/// let q = timkiem_core::query::parse("\"van phong\" nhậ");
/// assert_eq!(q.words.len(), 3);
/// assert_eq!(q.phrases, vec![0..2]);
/// assert!(q.words[2].prefix && !q.words[1].prefix);
/// assert_eq!(q.words[2].term, "nha");
/// ```
pub fn parse(query: &str) -> Query {
    let query = truncate(query, MAX_QUERY_BYTES);
    let mut out = Query::default();
    let mut offset = 0;
    let mut last_end = 0;
    for (i, segment) in query.split('"').enumerate() {
        let quoted = i % 2 == 1;
        let first = out.words.len();
        for token in tokenize(segment) {
            if out.words.len() == MAX_WORDS {
                break;
            }
            let chars = token.term.chars().count();
            last_end = offset + token.end;
            out.words.push(Word { term: token.term, marks: token.marks, chars, prefix: false });
        }
        if quoted && out.words.len() - first > 1 {
            out.phrases.push(first..out.words.len());
        }
        offset += segment.len() + 1;
    }
    if last_end == query.len() {
        if let Some(w) = out.words.last_mut() {
            w.prefix = true;
        }
    }
    out
}

/// The telex reading of a query, if any of its words reads differently in
/// telex (`nhaajt banr` → `nhật bản`, `ddan` → `đan`). Quotes and the
/// spaces between words are kept, so the reading parses the same way.
pub fn telex_reading(query: &str) -> Option<String> {
    let query = truncate(query, MAX_QUERY_BYTES);
    let mut out = String::with_capacity(query.len() + 16);
    let mut changed = false;
    let mut word = String::new();
    let mut flush = |word: &mut String, out: &mut String| {
        match telex_word(word) {
            Some(read) => {
                out.push_str(&read);
                changed = true;
            }
            None => out.push_str(word),
        }
        word.clear();
    };
    // Only words of plain ASCII letters are read as telex: a word that
    // already has a diacritic or a digit was not typed in telex.
    for c in query.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    changed.then_some(out)
}

const CIRCUMFLEX: char = '\u{0302}';
const BREVE: char = '\u{0306}';
const HORN: char = '\u{031B}';

fn is_vowel(c: char) -> bool {
    matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Reads one ASCII word as telex; `None` if it has no telex keys or is not a
/// single Vietnamese syllable. Marks are written as combining characters;
/// the pipeline normalises where the tone sits.
fn telex_word(word: &str) -> Option<String> {
    if !word.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 2 || chars.len() > 10 {
        return None;
    }
    let mut letters: Vec<(char, Option<char>)> = Vec::with_capacity(chars.len());
    let mut tone: Option<char> = None;
    let mut changed = false;
    let mut seen_vowel = false;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let lower = c.to_ascii_lowercase();
        let next = chars.get(i + 1).map(|n| n.to_ascii_lowercase());
        let mark = match (lower, next) {
            ('d', Some('d')) if letters.is_empty() => Some(('\u{0335}', 2)),
            ('a' | 'e' | 'o', Some(n)) if n == lower => Some((CIRCUMFLEX, 2)),
            ('a', Some('w')) => Some((BREVE, 2)),
            ('o' | 'u', Some('w')) => Some((HORN, 2)),
            _ => None,
        };
        if let Some((mark, step)) = mark {
            letters.push((c, Some(mark)));
            seen_vowel |= is_vowel(c);
            changed = true;
            i += step;
            continue;
        }
        let key_tone = match lower {
            's' => Some('\u{0301}'),
            'f' => Some('\u{0300}'),
            'r' => Some('\u{0309}'),
            'x' => Some('\u{0303}'),
            'j' => Some('\u{0323}'),
            _ => None,
        };
        match key_tone {
            Some(t) if seen_vowel => {
                if tone.replace(t).is_some() {
                    return None;
                }
                changed = true;
            }
            _ if lower == 'w' => {
                letters.push(('u', Some(HORN)));
                seen_vowel = true;
                changed = true;
            }
            _ => {
                letters.push((c, None));
                seen_vowel |= is_vowel(c);
            }
        }
        i += 1;
    }
    // "uow" is typed for ươ: the u takes the horn too.
    for k in 1..letters.len() {
        if let (Some(&(u, None)), Some(&(o, Some(HORN)))) = (letters.get(k - 1), letters.get(k)) {
            if u.eq_ignore_ascii_case(&'u') && o.eq_ignore_ascii_case(&'o') {
                if let Some(l) = letters.get_mut(k - 1) {
                    l.1 = Some(HORN);
                }
            }
        }
    }
    // One syllable: a single run of vowels.
    let runs = letters.windows(2).filter(|w| matches!(w, [(a, _), (b, _)] if !is_vowel(*a) && is_vowel(*b))).count()
        + usize::from(letters.first().is_some_and(|(c, _)| is_vowel(*c)));
    if !changed || runs != 1 {
        return None;
    }
    let mut out = String::with_capacity(word.len() + 8);
    for (c, mark) in letters {
        out.push(c);
        out.extend(mark);
    }
    out.extend(tone);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    #[test]
    fn words_phrases_and_prefix() {
        let q = parse("nhat ban ");
        assert_eq!(q.words.iter().map(|w| w.term.as_str()).collect::<Vec<_>>(), ["nhat", "ban"]);
        assert!(q.words.iter().all(|w| !w.prefix));
        let q = parse("thu tuo");
        assert!(q.words[1].prefix && !q.words[0].prefix);
        let q = parse("\"van phong lien lac\"");
        assert_eq!(q.phrases, vec![0..4]);
        assert!(!q.words[3].prefix);
        let q = parse("\"van phong");
        assert_eq!(q.phrases, vec![0..2]);
        assert!(q.words[1].prefix);
        assert!(parse("  ,.;  ").words.is_empty());
    }

    #[test]
    fn long_queries_are_bounded() {
        let q = parse(&"ab ".repeat(10_000));
        assert_eq!(q.words.len(), MAX_WORDS);
        assert_eq!(truncate("ắắ", 4), "ắ");
    }

    #[test]
    fn telex() {
        let read = |s: &str| telex_reading(s).map(|r| fold(&r));
        assert_eq!(read("nhaajt banr").as_deref(), Some("nhat ban"));
        assert_eq!(read("ddan mach").as_deref(), Some("dan mach"));
        assert_eq!(read("truwowngf").as_deref(), Some("truong"));
        assert_eq!(read("nhat ban"), None);
        assert_eq!(read("stoltenberg"), None);
        assert_eq!(read("nhật"), None);
        assert_eq!(read("ddaf nawngx"), Some("da nang".into()));
        let marks = |s: &str| crate::text::tokenize(s).next().unwrap().marks;
        assert_eq!(marks(&telex_reading("nhaajt").unwrap()), marks("nhật"));
        assert_eq!(marks(&telex_reading("banr").unwrap()), marks("bản"));
        assert_eq!(marks(&telex_reading("ddan").unwrap()), marks("đan"));
        assert_eq!(marks(&telex_reading("truwowngf").unwrap()), marks("trường"));
    }
}
