//! The text pipeline: Unicode folding and word splitting.
//!
//! The same code runs in `build.rs` (index time, through `timkiem-core` as a
//! build-dependency) and in the wasm (query time). Nothing else turns text
//! into terms, so the two sides cannot drift apart; a test in
//! `tests/pipeline.rs` checks the embedded index against this code, and
//! `tests/nfkc.rs` checks both sides over every compatibility character.
//!
//! # Folding
//! A token folds to a *term*: lower case, every combining mark removed after
//! canonical decomposition (so NFC and NFD input give the same term), and the
//! letters Unicode does not decompose mapped to their base letter
//! (`đ→d`, `ø→o`, `ł→l`, `ħ→h`, `æ→ae`, `ß→ss`, …). The removed marks are
//! kept aside as the token's [`Marks`], so a query typed with marks can still
//! prefer the spelling it asked for. Vietnamese tone marks are recorded per
//! syllable, not per letter, so the old and new tone placements compare
//! equal (`hoà` = `hòa`).
//!
//! Compatibility characters fold as their NFKD, so as NFKC text would:
//! fullwidth letters and digits from CJK input methods (`ｎｈａｔ　ｂａｎ` =
//! `nhat ban`), ligatures (`ﬁ` = `fi`), superscripts (`km²` = `km2`), and
//! the other forms listed in `scripts/gen_fold_table.py`. A token keeps its
//! span in the original text, so highlights fall on what the text shows.
//!
//! # Word splitting
//! A token is a maximal run of letters, digits and combining marks. The
//! deliberate choices:
//! - **Hyphens and apostrophes split** (`Dương-Thái` → `dương`, `thái`;
//!   `d'Ivoire` → `d`, `ivoire`). The parts get consecutive positions, so a
//!   phrase query over them still matches, and a query typed with a space
//!   instead of the hyphen matches too.
//! - **Numbers keep thousands groups**: `2.400` and `2,400` are one token,
//!   term `2400` (a `.` or `,` followed by exactly three digits and then a
//!   non-digit). Anything else splits: the date `31/01/2023` is the three
//!   adjacent tokens `31`, `01`, `2023`, so `2023` finds it and the phrase
//!   `31/01/2023` (or `31 01 2023`) matches it in order.
//! - **Han, kana and hangul** characters are one token each, since those
//!   scripts do not put spaces between words.
//! - A term is cut to [`MAX_TERM_CHARS`] characters; the token keeps its full
//!   byte range.

mod table;

use std::ops::Range;

/// Terms longer than this many characters are cut (the token's span is not).
pub const MAX_TERM_CHARS: usize = 40;

/// Marks removed from a token while folding, in a canonical order: `(position,
/// mark)` pairs, two bytes each, sorted. A letter mark (circumflex, breve, horn,
/// stroke, …) is stored with the character position of its letter in the
/// term; a tone mark (grave, acute, tilde, hook above, dot below) with the
/// position [`TONE`], because it belongs to the syllable.
pub type Marks = Vec<u8>;

/// Position byte used for the syllable-level tone marks in [`Marks`].
pub const TONE: u8 = 0xFF;

/// The mark ids of the tones hỏi (hook above) and ngã (tilde).
const HOI: u8 = 0x0A;
const NGA: u8 = 0x04;

/// `marks` with the tone hỏi made ngã and ngã made hỏi, the two tones
/// Vietnamese readers confuse (`sữa` for `sửa`); `None` if it has neither.
///
/// ```
/// use timkiem_core::text::{swap_hoi_nga, tokenize};
/// let marks = |s: &str| tokenize(s).next().map(|t| t.marks).unwrap_or_default();
/// assert_eq!(swap_hoi_nga(&marks("sữa")), Some(marks("sửa")));
/// assert_eq!(swap_hoi_nga(&marks("sứa")), None);
/// ```
pub fn swap_hoi_nga(marks: &[u8]) -> Option<Marks> {
    // Pairs as `u64` keys, sorted by `order::sort`: one sort in the wasm.
    let mut changed = false;
    let mut pairs: Vec<u64> = marks
        .chunks_exact(2)
        .filter_map(|p| match *p {
            [TONE, mark @ (HOI | NGA)] => {
                changed = true;
                Some(u64::from(TONE) << 8 | u64::from(if mark == HOI { NGA } else { HOI }))
            }
            [pos, mark] => Some(u64::from(pos) << 8 | u64::from(mark)),
            _ => None,
        })
        .collect();
    if !changed {
        return None;
    }
    crate::order::sort(&mut pairs);
    Some(pairs.iter().flat_map(|&p| (p as u16).to_be_bytes()).collect())
}

/// A token of the source text: its byte range, its folded term and the marks
/// that folding removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the token's first character in the source text.
    pub start: usize,
    /// Byte offset just past the token's last character.
    pub end: usize,
    /// The folded term, as indexed and looked up.
    pub term: String,
    /// The marks folding removed.
    pub marks: Marks,
}

impl Token {
    /// The token's byte range in the source text.
    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Splits `text` into tokens with byte offsets into `text`. Tokens whose term
/// would be empty (a run of combining marks alone) are skipped.
pub fn tokenize(text: &str) -> Tokenizer<'_> {
    Tokenizer { text, spans: spans(text) }
}

/// The byte ranges of the tokens of `text`, without folding them: the same
/// tokens as [`tokenize`], for skipping through text cheaply.
pub fn spans(text: &str) -> Spans<'_> {
    Spans { text, pos: 0 }
}

/// Iterator returned by [`spans`].
pub struct Spans<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for Spans<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        loop {
            let span = next_span(self.text, self.pos)?;
            self.pos = span.end;
            // A run of combining marks alone folds to nothing: not a token.
            if self.text.get(span.clone())?.chars().any(|c| !is_mark(c)) {
                return Some(span);
            }
        }
    }
}

/// Folds a whole string: its tokens' terms joined by single spaces.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for token in tokenize(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&token.term);
    }
    out
}

/// Iterator returned by [`tokenize`].
pub struct Tokenizer<'a> {
    text: &'a str,
    spans: Spans<'a>,
}

impl Iterator for Tokenizer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let span = self.spans.next()?;
        Some(token_at(self.text, span))
    }
}

/// The first character of the term that `source` folds to (cheap: folds
/// one character). `None` for a token that starts with a combining mark.
pub fn first_folded(source: &str) -> Option<char> {
    let c = source.chars().find(|&c| !is_mark(c))?;
    let c = match compat(c) {
        Some(Compat::One(one)) => one,
        Some(Compat::Many(many)) => many.chars().next()?,
        None => c,
    };
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    let mut letter = c;
    for _ in 0..2 {
        if let Some((base, _)) = lookup(letter) {
            letter = base;
        }
    }
    Some(ligature(letter).and_then(|l| l.chars().next()).unwrap_or_else(|| to_lower(letter)))
}

/// The token of `text` at `span` (one of [`spans`]).
pub fn token_at(text: &str, span: Range<usize>) -> Token {
    let source = text.get(span.clone()).unwrap_or("");
    let mut term = String::with_capacity(source.len());
    let mut marks = Vec::new();
    fold_token(source, &mut term, &mut marks);
    Token { start: span.start, end: span.end, term, marks }
}

/// The byte range of the next token at or after `from`. (One pass of one
/// `chars` iterator, with the test of an ASCII character inline: it runs
/// over every character of every snippet and title shown.)
fn next_span(text: &str, from: usize) -> Option<Range<usize>> {
    let rest = text.get(from..)?;
    let mut chars = rest.char_indices();
    let (offset, first) =
        chars.find(|&(_, c)| if c.is_ascii() { c.is_ascii_alphanumeric() } else { is_word_char(c) })?;
    let start = from + offset;
    if is_ideograph(first) {
        // One token per character, with any marks that follow it.
        let end = start + first.len_utf8();
        let tail = chars.as_str();
        return Some(start..end + tail.chars().take_while(|&c| is_mark(c)).map(char::len_utf8).sum::<usize>());
    }
    let mut all_digits = first.is_ascii_digit();
    while let Some((i, c)) = chars.next() {
        if is_letter_of_word(c) {
            all_digits &= c.is_ascii_digit();
        } else if matches!(c, '.' | ',') && all_digits && is_thousands_group(chars.as_str()) {
            // The three digits of the group (ASCII: one byte each).
            chars.nth(2);
        } else {
            return Some(start..from + i);
        }
    }
    Some(start..text.len())
}

/// Whether `c` continues a word that is not an ideograph: [`is_word_char`]
/// and not [`is_ideograph`], with the answer for ASCII, Latin letters and
/// marks (every character of Vietnamese text) found without a call.
#[inline]
fn is_letter_of_word(c: char) -> bool {
    match c as u32 {
        0..0x80 => c.is_ascii_alphanumeric(),
        // Latin-1 letters but × and ÷, Latin Extended-A and B, IPA, spacing
        // modifiers and combining marks; Latin Extended Additional.
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x36F | 0x1E00..=0x1EFF => true,
        _ => is_word_char(c) && !is_ideograph(c),
    }
}

/// Whether `after` (the text after a `.` or `,`) starts with exactly three
/// digits and then a boundary.
fn is_thousands_group(after: &str) -> bool {
    let bytes = after.as_bytes();
    let three = bytes.get(..3).is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    three && after.get(3..).and_then(|t| t.chars().next()).is_none_or(|c| !is_word_char(c))
}

/// Letters, digits and marks. Outside ASCII, every character is a word
/// character except the blocks of punctuation, symbols, spaces and emoji
/// listed here: a few comparisons instead of Unicode's property tables,
/// which would cost the wasm more than the whole engine.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // Superscripts, circled numbers, letterlike symbols … in those blocks are
    // words when they are letters or digits in compatibility form.
    !is_separator(c) || compat(c).is_some()
}

/// The non-ASCII blocks of punctuation, symbols, spaces and emoji.
fn is_separator(c: char) -> bool {
    matches!(c as u32,
        0x80..=0xA9 | 0xAB..=0xB4 | 0xB6..=0xB9 | 0xBB..=0xBF | 0xD7 | 0xF7
        | 0x037E | 0x0387 | 0x055A..=0x055F | 0x0589..=0x058A | 0x05BE | 0x05C0 | 0x05C3 | 0x05C6 | 0x05F3..=0x05F4
        | 0x060C | 0x061B | 0x061F | 0x066A..=0x066D | 0x06D4 | 0x0964..=0x0965 | 0x0E5A..=0x0E5B
        | 0x1680 | 0x180E | 0x2000..=0x20CF | 0x2100..=0x2BFF | 0x2E00..=0x2E7F | 0x3000..=0x303F
        | 0xE000..=0xF8FF | 0xFE00..=0xFE1F | 0xFE30..=0xFE6F | 0xFEFF
        | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65 | 0xFFF0..=0xFFFF
        | 0x1D000..=0x1D24F | 0x1F000..=0x1FAFF | 0xE0000..=0xE0FFF)
}

/// `text` in lower case, character by character from the fold table's runs
/// (the letters the pipeline folds; `str::to_lowercase` would bring the
/// whole Unicode case tables into the wasm).
///
/// ```
/// assert_eq!(timkiem_core::text::lowercase("Nhật BẢN ĐƯỜNG ƠN Ý"), "nhật bản đường ơn ý");
/// ```
pub fn lowercase(text: &str) -> String {
    text.chars().map(lower_letter).collect()
}

/// The lower case of one letter, precomposed Vietnamese letters included
/// (the fold table's runs lower only the base letters it folds to).
fn lower_letter(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let cp = c as u32;
    let lower = match cp {
        // Latin-1 (À…Þ but ×): 32 on.
        0x00C0..=0x00DE if cp != 0x00D7 => cp + 32,
        // Latin Extended-A (Đ, Ă, Ĩ, Ũ…) and Additional (Ạ…Ỹ): pairs.
        0x0100..=0x0137 | 0x014A..=0x0177 | 0x1E00..=0x1E95 | 0x1EA0..=0x1EFF if cp % 2 == 0 => cp + 1,
        0x0139..=0x0148 | 0x0179..=0x017E if cp % 2 == 1 => cp + 1,
        0x01A0 => 0x01A1, // Ơ
        0x01AF => 0x01B0, // Ư
        _ => return to_lower(c),
    };
    char::from_u32(lower).unwrap_or(c)
}

/// The lower case of a base letter `c`, as [`table_lower`] gives it: ASCII
/// without a search (the table lowers no ASCII letter; the base letters the
/// lookup gives are lower case already).
#[inline]
fn to_lower(c: char) -> char {
    if c.is_ascii() {
        c
    } else {
        table_lower(c)
    }
}

/// The lower case of `c` (a single character), from the generated runs.
fn table_lower(c: char) -> char {
    let Ok(cp) = u16::try_from(c as u32) else { return c };
    let i = table::LOWER.partition_point(|row| row.1 < cp);
    match table::LOWER.get(i) {
        Some(&(first, _, delta, stride)) if first <= cp && (cp - first) % u16::from(stride.max(1)) == 0 => {
            char::from_u32(u32::from(cp.wrapping_add(delta))).unwrap_or(c)
        }
        _ => c,
    }
}

/// Combining marks of the blocks that Latin, Greek and Cyrillic text uses.
pub fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// Tone marks, as mark ids: grave, acute, tilde, hook above, dot below.
fn is_tone(mark: u8) -> bool {
    matches!(mark, 0x01 | 0x02 | 0x04 | 0x0A | 0x24)
}

/// Folds one token's source text into `term`, collecting removed marks into
/// `marks` (canonical order). `.` and `,` only occur inside thousands groups
/// and are dropped.
pub fn fold_token(source: &str, term: &mut String, marks: &mut Marks) {
    marks.clear();
    if source.is_ascii() {
        term.extend(
            source
                .bytes()
                .filter(u8::is_ascii_alphanumeric)
                .take(MAX_TERM_CHARS)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        return;
    }
    // (position << 8 | mark) of the marks removed; a letter has a few at most.
    let mut pairs = [0u16; 16];
    let mut n = 0usize;
    let mut add_mark = |at: usize, mark: u8| {
        let pos = if is_tone(mark) { TONE } else { at.min(usize::from(TONE - 1)) as u8 };
        if let Some(slot) = pairs.get_mut(n) {
            *slot = u16::from(pos) << 8 | u16::from(mark);
            n += 1;
        }
    };
    let mut chars = 0usize;
    let mut fold_char = |c: char| {
        if chars >= MAX_TERM_CHARS {
            return;
        }
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                term.push(c.to_ascii_lowercase());
                chars += 1;
            }
            return;
        }
        if is_mark(c) {
            if let Some(mark) = mark_id(c) {
                add_mark(chars.saturating_sub(1), mark);
            }
            return;
        }
        // A base letter may itself need folding (Ǣ → Æ → ae, Ǿ → Ø → o).
        let mut letter = c;
        for _ in 0..2 {
            if let Some((base, letter_marks)) = lookup(letter) {
                for &mark in letter_marks.iter().filter(|&&m| m != 0) {
                    add_mark(chars, mark);
                }
                letter = base;
            }
        }
        if let Some(pair) = ligature(letter) {
            for l in pair.chars().take(MAX_TERM_CHARS - chars) {
                term.push(l);
                chars += 1;
            }
        } else {
            term.push(to_lower(letter));
            chars += 1;
        }
    };
    for c in source.chars() {
        // A compatibility character folds as its NFKD (ﬁ → f i, ² → 2,
        // Ｎ → N): the same letters, marks and positions as the plain text.
        match compat(c) {
            Some(Compat::One(one)) => fold_char(one),
            Some(Compat::Many(many)) => many.chars().for_each(&mut fold_char),
            None => fold_char(c),
        }
    }
    // Canonical order: an insertion sort of a handful of marks, then dedup.
    let pairs = pairs.get_mut(..n).unwrap_or(&mut []);
    for i in 1..pairs.len() {
        let mut j = i;
        while j > 0 && pairs.get(j - 1) > pairs.get(j) {
            pairs.swap(j - 1, j);
            j -= 1;
        }
    }
    let mut last = None;
    for &pair in pairs.iter() {
        if last != Some(pair) {
            marks.extend_from_slice(&pair.to_be_bytes());
            last = Some(pair);
        }
    }
}

/// What a compatibility character folds as: its NFKD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compat {
    /// One character (Ｎ → N, ² → 2, ſ → s).
    One(char),
    /// Several (ﬁ → fi, ㎏ → kg, Ⅻ → XII, ǅ → Dž with its caron).
    Many(&'static str),
}

/// The NFKD of a compatibility character the pipeline folds, from the
/// generated tables (see `scripts/gen_fold_table.py` for which ones).
fn compat(c: char) -> Option<Compat> {
    let cp = c as u32;
    // Latin-1 letters, Latin Extended-A up to ı and the Vietnamese block hold
    // none: skip the search for the letters of Vietnamese text.
    if cp < 0xAA || matches!(cp, 0xC0..=0x131 | 0x1EA0..=0x1EFF) {
        return None;
    }
    let run = table::COMPAT_RUNS.partition_point(|&row| row >> 15 <= cp).checked_sub(1);
    if let Some(&row) = run.and_then(|i| table::COMPAT_RUNS.get(i)) {
        let (first, target, extra) = unpack_run(row);
        if cp - first <= extra {
            return char::from_u32(target + cp - first).map(Compat::One);
        }
    }
    let i = table::COMPAT_MANY.binary_search_by_key(&cp, |&row| row >> 12).ok()?;
    compat_text(*table::COMPAT_MANY.get(i)?).map(Compat::Many)
}

/// A row of `COMPAT_RUNS`: `(first, target, length - 1)`.
fn unpack_run(row: u32) -> (u32, u32, u32) {
    (row >> 15, row >> 4 & 0x7FF, row & 0xF)
}

/// The NFKD a row of `COMPAT_MANY` points to in `COMPAT_TEXT`.
fn compat_text(row: u32) -> Option<&'static str> {
    let start = (row >> 3 & 0x1FF) as usize;
    table::COMPAT_TEXT.get(start..start + (row & 0x7) as usize)
}

/// Every compatibility character the pipeline folds, with its NFKD: for
/// tests that compare it with a Unicode normalizer.
pub fn compatibility_chars() -> impl Iterator<Item = (char, String)> {
    let runs = table::COMPAT_RUNS.iter().flat_map(|&row| {
        let (first, target, extra) = unpack_run(row);
        (0..=extra).filter_map(move |i| Some((char::from_u32(first + i)?, char::from_u32(target + i)?.to_string())))
    });
    let many =
        table::COMPAT_MANY.iter().filter_map(|&row| Some((char::from_u32(row >> 12)?, compat_text(row)?.to_string())));
    runs.chain(many)
}

fn mark_id(c: char) -> Option<u8> {
    let cp = c as u32;
    (0x0300..=0x036F).contains(&cp).then(|| (cp - 0x0300 + 1) as u8)
}

/// The lower-cased base letter and marks `c` folds to, from the packed
/// tables (see `scripts/gen_fold_table.py`).
fn lookup(c: char) -> Option<(char, [u8; 3])> {
    let cp = c as u32;
    let row = match cp {
        0x00C0..0x0250 => *table::LATIN.get((cp - 0x00C0) as usize)?,
        0x1E00..0x2000 => *table::EXTENDED.get((cp - 0x1E00) as usize)?,
        _ => {
            let i = table::FOLD_KEYS.binary_search(&u16::try_from(cp).ok()?).ok()?;
            *table::FOLD_VALUES.get(i)?
        }
    };
    let mark = |shift: u32| (row >> shift & 0x7F) as u8;
    let base = char::from_u32(row & 0x7FF).filter(|_| row != 0)?;
    Some((base, [mark(11), mark(18), mark(25)]))
}

fn ligature(c: char) -> Option<&'static str> {
    Some(match c {
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ß' | 'ẞ' => "ss",
        'þ' | 'Þ' => "th",
        'ĳ' | 'Ĳ' => "ij",
        _ => return None,
    })
}

/// Whether a token's marks agree with the marks a user typed.
///
/// With `prefix`, the query is the beginning of a word still being typed
/// (`query_chars` characters long): the letter marks on those characters
/// must agree, and a tone is compared only once the user has typed one,
/// since input methods add the tone at the end of a syllable.
pub fn marks_agree(query: &[u8], query_chars: usize, token: &[u8], prefix: bool) -> bool {
    if !prefix {
        return query == token;
    }
    let letters = |m: &[u8]| -> Vec<(u8, u8)> {
        m.chunks_exact(2)
            .filter_map(|p| match *p {
                [pos, mark] if pos != TONE && usize::from(pos) < query_chars => Some((pos, mark)),
                _ => None,
            })
            .collect()
    };
    let tones = |m: &[u8]| -> Vec<u8> {
        m.chunks_exact(2)
            .filter_map(|p| match *p {
                [TONE, mark] => Some(mark),
                _ => None,
            })
            .collect()
    };
    let query_tones = tones(query);
    letters(query) == letters(token) && (query_tones.is_empty() || query_tones == tones(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        tokenize(text).map(|t| t.term).collect()
    }

    fn assert_token(token: &Token, text: &str, surface: &str, term: &str) {
        assert_eq!(&text[token.span()], surface);
        assert_eq!(token.term, term);
    }

    #[test]
    fn lowercase_agrees_with_std_on_vietnamese_letters() {
        let upper = "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬBCDĐEÈÉẺẼẸÊỀẾỂỄỆGHIÌÍỈĨỊKLMNOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢPQRSTUÙÚỦŨỤƯỪỨỬỮỰVXYỲÝỶỸỴ";
        let lower = upper.to_lowercase();
        assert_eq!(lowercase(upper), lower);
        assert_eq!(lowercase(&lower), lower, "lower case stays");
        // Latin-1 and Latin Extended-A beyond Vietnamese, both parities.
        for text in ["ÀÖØÞ×", "ĀĂĄĆĈĊČĎĐĒĶĹĻĽĿŁŃŅŇŊŌŒŔŚŠŢŤŦŨŪŬŮŰŲŴŶŹŻŽ"] {
            assert_eq!(lowercase(text), text.to_lowercase(), "{text}");
            assert_eq!(lowercase(&text.to_lowercase()), text.to_lowercase(), "{text} in lower case stays");
        }
    }

    #[test]
    fn decomposed_marks_fold_as_precomposed() {
        // NFD: the marks as combining characters after their letters.
        for (nfc, nfd) in [("Nhật", "Nha\u{323}\u{302}t"), ("đường", "đu\u{31b}o\u{31b}\u{300}ng"), ("Hà", "Ha\u{300}")]
        {
            let (a, b) = (tokenize(nfc).next().unwrap(), tokenize(nfd).next().unwrap());
            assert_eq!((a.term, a.marks), (b.term, b.marks), "{nfc}");
        }
    }

    #[test]
    fn thousands_groups_join_digits_only() {
        assert_eq!(terms("1.234 và 12,345"), ["1234", "va", "12345"]);
        // A token that is not all digits does not take a group after it.
        assert_eq!(terms("v1.234"), ["v1", "234"]);
        assert_eq!(terms("1a.234"), ["1a", "234"]);
    }

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Nhật Bản"), "nhat ban");
        assert_eq!(fold("ĐAN MẠCH"), "dan mach");
        assert_eq!(fold("Ấn Độ Dương-Thái Bình Dương"), "an do duong thai binh duong");
        assert_eq!(fold("Taksøe-Jensen Koweït Łódź Ærø Straße"), "taksoe jensen koweit lodz aero strasse");
    }

    #[test]
    fn nfd_and_nfc_agree() {
        let nfc = "Nhật Bản hoà";
        let nfd = "Nha\u{0323}\u{0302}t Ba\u{0309}n hoa\u{0300}";
        let a: Vec<Token> = tokenize(nfc).collect();
        let b: Vec<Token> = tokenize(nfd).collect();
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.term, y.term);
            assert_eq!(x.marks, y.marks);
        }
    }

    #[test]
    fn tone_placement_is_normalised() {
        let a = tokenize("hoà").next().unwrap();
        let b = tokenize("hòa").next().unwrap();
        assert_eq!((a.term.as_str(), &a.marks), (b.term.as_str(), &b.marks));
        let c = tokenize("hoa").next().unwrap();
        assert_ne!(a.marks, c.marks);
    }

    #[test]
    fn marks_distinguish_variants() {
        let m = |s: &str| tokenize(s).next().unwrap().marks;
        assert_ne!(m("bản"), m("bạn"));
        assert_eq!(m("Bản"), m("bản"));
        assert_ne!(m("dan"), m("đan"));
        assert!(m("ban").is_empty());
    }

    #[test]
    fn splits_hyphens_apostrophes_and_keeps_offsets() {
        let text = "Dương-Thái d'Ivoire";
        let tokens: Vec<Token> = tokenize(text).collect();
        assert_token(&tokens[0], text, "Dương", "duong");
        assert_token(&tokens[1], text, "Thái", "thai");
        assert_token(&tokens[2], text, "d", "d");
        assert_token(&tokens[3], text, "Ivoire", "ivoire");
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(terms("khoảng 2.400 quan khách"), ["khoang", "2400", "quan", "khach"]);
        assert_eq!(terms("1.000.000 người, 3,5 tỷ"), ["1000000", "nguoi", "3", "5", "ty"]);
        assert_eq!(terms("ngày 31/01/2023 - 11:29"), ["ngay", "31", "01", "2023", "11", "29"]);
        assert_eq!(terms("11-12.7"), ["11", "12", "7"]);
        let text = "giá 2.400 USD";
        let t: Vec<Token> = tokenize(text).collect();
        assert_token(&t[1], text, "2.400", "2400");
    }

    #[test]
    fn ideographs_are_single_tokens() {
        assert_eq!(terms("東京 Tokyo"), ["東", "京", "tokyo"]);
    }

    #[test]
    fn marks_alone_make_no_token() {
        assert!(terms("\u{0301}\u{0323} ").is_empty());
        assert_eq!(terms("\u{0301}a"), ["a"]);
    }

    #[test]
    fn long_terms_are_cut() {
        let long = "a".repeat(100);
        let t: Vec<Token> = tokenize(&long).collect();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].term.len(), MAX_TERM_CHARS);
        assert_eq!(t[0].end, 100);
        // A letter folding to two (æ → ae) at the cut keeps what fits.
        let at_cut = format!("{}æ", "b".repeat(MAX_TERM_CHARS - 1));
        assert_eq!(terms(&at_cut), [format!("{}a", "b".repeat(MAX_TERM_CHARS - 1))]);
        assert_eq!(
            terms(&format!("{}æ", "b".repeat(MAX_TERM_CHARS - 2))),
            [format!("{}ae", "b".repeat(MAX_TERM_CHARS - 2))]
        );
    }

    #[test]
    fn lower_case_and_word_chars_agree_with_std() {
        // The table comes from Python's Unicode tables, which may be older than
        // Rust's: compare over the long-stable Latin, Greek and Cyrillic blocks.
        for cp in (0x80..0x0530u32).chain(0x1E00..0x2000) {
            let Some(c) = char::from_u32(cp) else { continue };
            let mut std_lower = c.to_lowercase();
            if let (Some(l), None) = (std_lower.next(), std_lower.next()) {
                if lookup(c).is_none() && ligature(c).is_none() {
                    assert_eq!(to_lower(c), l, "U+{cp:04X}");
                }
            }
            // Every letter and digit of the alphabetic scripts is a word character.
            if (0xC0..0x2000).contains(&cp) && (c.is_alphanumeric() || is_mark(c)) {
                assert!(is_word_char(c), "U+{cp:04X} {c}");
            }
        }
        for c in ['…', '“', '”', '–', '—', '€', '😀', '\u{3000}', '、', '\u{A0}', '«', '»', '·', '×']
        {
            assert!(!is_word_char(c), "{c}");
        }
    }

    #[test]
    fn the_fast_paths_agree_with_the_tables() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_letter_of_word(c), is_word_char(c) && !is_ideograph(c), "U+{:04X}", c as u32);
            if c.is_ascii() {
                assert_eq!(table_lower(c), c, "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn prefix_marks() {
        let m = |s: &str| tokenize(s).next().unwrap().marks;
        // "nhậ" typed so far agrees with "nhật"; "nha" (no marks yet) agrees on letters only if none were typed.
        assert!(marks_agree(&m("nhậ"), 3, &m("nhật"), true));
        assert!(!marks_agree(&m("nhâ"), 3, &m("nhát"), true));
        assert!(marks_agree(&m("nhâ"), 3, &m("nhật"), true));
        assert!(!marks_agree(&m("nhạ"), 3, &m("nhật"), true));
        assert!(marks_agree(&m("bạn"), 3, &m("bạn"), false));
        assert!(!marks_agree(&m("bạn"), 3, &m("bản"), false));
    }
}
