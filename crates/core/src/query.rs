//! Query parsing: words, quoted phrases, the word still being typed, and the
//! telex and VNI readings of words typed without an input method.

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
    reading(query, telex_word)
}

/// The VNI reading of a query, if any of its words reads differently in VNI
/// (`tie61ng vie65t` → `tiếng việt`, `d9o6ng a1` → `đông á`): the marks
/// typed as digits, `6` circumflex (â ê ô), `7` horn (ơ ư), `8` breve (ă),
/// `9` đ, and the tones `1` sắc, `2` huyền, `3` hỏi, `4` ngã, `5` nặng.
///
/// A word is read as VNI only where that is plausible: it starts with a
/// letter, is one syllable (a single run of vowels), and every digit marks
/// a letter before it (anywhere before: `tieng61` is `tiếng` too), at most
/// one tone. So numbers (`2023`, `31/01`) and codes such as `G7` or `h2o`
/// have no VNI reading.
///
/// ```
/// use timkiem_core::{query::vni_reading, text::fold};
/// assert_eq!(vni_reading("tieng61 viet65").map(|q| fold(&q)).as_deref(), Some("tieng viet"));
/// assert_eq!(vni_reading("G7 2023 31/01"), None);
/// ```
pub fn vni_reading(query: &str) -> Option<String> {
    reading(query, vni_word)
}

/// A reading of `query` with each word read by `read` (`None`: as typed);
/// `None` if no word reads differently.
fn reading(query: &str, read: fn(&str) -> Option<String>) -> Option<String> {
    let query = truncate(query, MAX_QUERY_BYTES);
    let mut out = String::with_capacity(query.len() + 16);
    let mut changed = false;
    let mut word = String::new();
    let mut flush = |word: &mut String, out: &mut String| {
        match read(word) {
            Some(read) => {
                out.push_str(&read);
                changed = true;
            }
            None => out.push_str(word),
        }
        word.clear();
    };
    // Words are runs of letters and digits; each reading decides which
    // it reads (telex: plain ASCII letters only; VNI: ASCII with digits).
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
    mark_u_before_horned_o(&mut letters);
    // One syllable: a single run of vowels.
    if !changed || vowel_runs(&letters) != 1 {
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

/// Reads one ASCII word as VNI; `None` if it has no VNI keys or the
/// reading is not plausible (see [`vni_reading`]).
fn vni_word(word: &str) -> Option<String> {
    let bytes = word.as_bytes();
    if bytes.len() < 2 || bytes.len() > 12 || !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) || !bytes.iter().any(u8::is_ascii_digit) {
        return None;
    }
    let mut letters: Vec<(char, Option<char>)> = Vec::with_capacity(bytes.len());
    let mut tone: Option<char> = None;
    for &b in bytes {
        let c = char::from(b);
        let mark = match b {
            b'1' => Err('\u{0301}'),
            b'2' => Err('\u{0300}'),
            b'3' => Err('\u{0309}'),
            b'4' => Err('\u{0303}'),
            b'5' => Err('\u{0323}'),
            b'6' => Ok((CIRCUMFLEX, "aeo")),
            b'7' => Ok((HORN, "ou")),
            b'8' => Ok((BREVE, "a")),
            b'9' => Ok(('\u{0335}', "d")),
            b'0' => return None,
            _ => {
                letters.push((c, None));
                continue;
            }
        };
        match mark {
            // A tone needs a vowel before it, and a syllable has one tone.
            Err(t) => {
                if !letters.iter().any(|&(l, _)| is_vowel(l)) || tone.replace(t).is_some() {
                    return None;
                }
            }
            // A mark goes on the nearest letter before it that takes it
            // and has no mark yet.
            Ok((mark, takes)) => {
                let target = letters
                    .iter_mut()
                    .rev()
                    .find(|(l, m)| m.is_none() && takes.bytes().any(|t| char::from(t) == l.to_ascii_lowercase()))?;
                target.1 = Some(mark);
                // "uo7" is typed for ươ: the u takes the horn too.
                if mark == HORN {
                    mark_u_before_horned_o(&mut letters);
                }
            }
        }
    }
    if vowel_runs(&letters) != 1 {
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

/// Gives the horn to a `u` before a horned `o` (ươ is typed `uow` in telex
/// and `uo7` in VNI).
fn mark_u_before_horned_o(letters: &mut [(char, Option<char>)]) {
    for k in 1..letters.len() {
        if let (Some(&(u, None)), Some(&(o, Some(HORN)))) = (letters.get(k - 1), letters.get(k)) {
            if u.eq_ignore_ascii_case(&'u') && o.eq_ignore_ascii_case(&'o') {
                if let Some(l) = letters.get_mut(k - 1) {
                    l.1 = Some(HORN);
                }
            }
        }
    }
}

/// The runs of vowels in a word (a syllable has one).
fn vowel_runs(letters: &[(char, Option<char>)]) -> usize {
    letters.windows(2).filter(|w| matches!(w, [(a, _), (b, _)] if !is_vowel(*a) && is_vowel(*b))).count()
        + usize::from(letters.first().is_some_and(|(c, _)| is_vowel(*c)))
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

    #[test]
    fn vni() {
        let read = |s: &str| vni_reading(s).map(|r| fold(&r));
        assert_eq!(read("tie61ng vie65t").as_deref(), Some("tieng viet"));
        assert_eq!(read("d9o6ng a1").as_deref(), Some("dong a"));
        assert_eq!(read("tieng61 viet65").as_deref(), Some("tieng viet"));
        assert_eq!(read("truong72").as_deref(), Some("truong"));
        for plain in ["2023", "31/01", "G7", "h2o", "covid19", "nhat ban", "a12", "b52", "x10", "tiếng6"] {
            assert_eq!(read(plain), None, "{plain}");
        }
        assert_eq!(read("G7 a1"), Some("g7 a".into()));
        let marks = |s: &str| crate::text::tokenize(s).next().unwrap().marks;
        for (vni, want) in [
            ("tie61ng", "tiếng"),
            ("tieng61", "tiếng"),
            ("vie65t", "việt"),
            ("d9o6ng", "đông"),
            ("truong72", "trường"),
            ("tru7o7ng2", "trường"),
            ("nha65t", "nhật"),
            ("ba3n", "bản"),
            ("nam8", "năm"),
            ("ngu74", "ngữ"),
        ] {
            assert_eq!(marks(&vni_reading(vni).unwrap()), marks(want), "{vni}");
            assert_eq!(fold(&vni_reading(vni).unwrap()), fold(want), "{vni}");
        }
    }
}
