//! Shared by the core crate's integration tests: the seeds, a generated
//! corpus large enough to have heavy prefixes, and a brute-force reference
//! for the documents a query matches under any options.
//!
//! The reference parses queries itself and states the documented matching
//! rules itself, so that a bug in the engine's parser or in one of its
//! guards shows as a disagreement:
//!
//! - every word must occur (title or text); the last word, while it is
//!   typed (nothing follows it), also as the start of a word;
//! - the words of a `"quoted phrase"` occur in a row, in one field;
//! - typos: 1 edit at 4–7 letters, 2 at 8 and more, none below, none inside
//!   phrases, none with `exact_diacritics`, none with `fuzzy` off;
//! - spelling confusions (restated in `timkiem_testkit::confusions`) are one
//!   edit at any length from 2 characters: the onset consonant (`ngh ng nh
//!   ch tr th kh gh gi ph` read as one) swapped within s/x, ch/tr, d/gi,
//!   d/r, gi/r, l/n, c/k, c/q, k/q, or one `i`↔`y`; a word typed with `đ` at
//!   its start has only the `i`/`y` ones; same exceptions as typos;
//! - a word common as typed (in `max(documents / 50, 10)` documents or
//!   more) gets neither typos nor confusions, in any plan;
//! - exact spellings first: in the narrow plan a word in the corpus as typed
//!   (its term, and with marks agreeing with the typed ones if it was typed
//!   with any) gets no confusions, and a word being typed that some word
//!   completes (as typed, likewise) gets no typos at all. When some word of
//!   the query (or of its telex reading) is in the corpus as typed and typos
//!   apply to it, and the narrow plan matches fewer documents than
//!   `offset + limit`, the plan is widened: such words get their
//!   confusions and typos (1 edit at most for a completing word). When the
//!   narrow range straddles the page, either plan is accepted;
//! - the telex reading of the query (`nhaajt banr` → `nhật bản`) matches too;
//! - split reading (with `fuzzy`, without `exact_diacritics`): a word of the
//!   typed query of 4–40 plain ASCII letters with no exact, prefix,
//!   confusion or one-edit (in bytes) match is cut into indexed terms each
//!   holding a vowel (the last piece of a word being typed may start a term
//!   instead); the first `MAX_SPLITS` of the fewest pieces then one more
//!   (longest first piece first) are the engine's choices. Each reading
//!   with the word replaced by its pieces (words ANDed, no typos for any
//!   word, a word of at most 3 letters matching nothing right after a split
//!   word dropped) adds its documents to `may`, and to `must` when there
//!   was only one choice;
//! - the VNI reading is not restated: the reference refuses a query in
//!   which a word starting with a letter has a digit (only such a word can
//!   read as VNI), and the generated queries have none;
//! - with `exact_diacritics`, only spellings whose marks agree with the typed
//!   ones (all of a whole word's marks; for a word being typed, the letter
//!   marks typed so far and the tone once typed), or, with `fuzzy`, the
//!   word itself with hỏi and ngã swapped in the typed marks.
//!
//! Where the engine is allowed to cut work (more than `MAX_FUZZY_TERMS` typo
//! candidates, prefixes over `MAX_PREFIX_TERMS`/`POSTINGS_BUDGET`, a phrase
//! through a heavy prefix's bitmap), the reference gives a range instead of
//! one answer: the documents that must match and those that may.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;

use timkiem_core::corpus::{self, Document};
use timkiem_core::text::{tokenize, Token, TONE};
use timkiem_core::{Engine, Options, MAX_FUZZY_TERMS, MAX_PREFIX_TERMS, POSTINGS_BUDGET};
use timkiem_testkit::{byte_distance, confusions, edit_distance, typo_bound, Rng};
use unicode_normalization::UnicodeNormalization;

/// The bundled sample corpus.
pub fn seeds() -> Vec<Document> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
    corpus::load(&dir).unwrap().documents
}

/// The seeds' index, built once (as build.rs builds the embedded one).
pub fn seeds_index() -> &'static [u8] {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| timkiem_core::write::write_index(&seeds()).unwrap().0)
}

/// Documents from `(title, text)` pairs, numbered from 0.
pub fn documents(docs: &[(&str, &str)]) -> Vec<Document> {
    docs.iter()
        .enumerate()
        .map(|(i, (title, text))| Document { path: format!("{i}.txt"), title: (*title).into(), text: (*text).into() })
        .collect()
}

/// The index of `docs`, `(title, text)` pairs numbered from 0.
pub fn index_of(docs: &[(&str, &str)]) -> Vec<u8> {
    timkiem_core::write::write_index(&documents(docs)).unwrap().0
}

/// Common Vietnamese syllables, most frequent first: many share short
/// prefixes (`ng`, `nh`, `th`, `tr`, `ch`), so that a corpus of them has
/// heavy prefixes.
pub const COMMON: &[&str] = &[
    "và",
    "của",
    "là",
    "người",
    "những",
    "một",
    "các",
    "trong",
    "không",
    "có",
    "được",
    "cho",
    "năm",
    "này",
    "nhiều",
    "ngày",
    "nhà",
    "nước",
    "thành",
    "phố",
    "thủ",
    "đô",
    "Việt",
    "Nam",
    "Nhật",
    "Bản",
    "bản",
    "bạn",
    "bán",
    "ban",
    "Hà",
    "Nội",
    "nghĩa",
    "ngoài",
    "nguyễn",
    "nghe",
    "ngôn",
    "ngữ",
    "nhân",
    "dân",
    "nhất",
    "nhanh",
    "nhỏ",
    "thế",
    "giới",
    "thời",
    "tiết",
    "trường",
    "học",
    "trung",
    "tâm",
    "trên",
    "chính",
    "phủ",
    "chương",
    "trình",
    "kinh",
    "tế",
    "kính",
    "đường",
    "sông",
    "núi",
    "biển",
    "hoà",
    "hòa",
    "bình",
    "hồng",
    "văn",
    "phòng",
    "liên",
    "lạc",
    "Đan",
    "Mạch",
    "Hàn",
    "Quốc",
    "Tokyo",
    "thương",
    "mại",
    "đại",
    "hội",
    "quân",
    "đội",
    "xã",
    "sản",
    "xuất",
    "mạnh",
    "mẽ",
    "khoa",
    "kỹ",
    "thuật",
    "tin",
    "tức",
    "báo",
    "chí",
    "sự",
    "kiện",
    "lịch",
    "sử",
    "địa",
    "lý",
    "con",
];

/// A generated corpus of `docs` documents: titles and texts of common
/// syllables (skewed, so that some are in most documents) mixed with rare
/// made-up words of 4–11 letters (so that typos have something to find).
/// The same `seed` gives the same corpus.
pub fn generated(seed: u64, docs: usize) -> Vec<Document> {
    let mut rng = Rng::new(seed);
    let rare = rare_words(&mut rng, 400);
    let word = |rng: &mut Rng| -> String {
        if rng.below(8) == 0 {
            rare[rng.below(rare.len())].clone()
        } else {
            // Skewed towards the front of COMMON.
            let u = rng.below(1000) as f64 / 1000.0;
            COMMON[((u * u) * COMMON.len() as f64) as usize % COMMON.len()].to_string()
        }
    };
    (0..docs)
        .map(|i| {
            let title: Vec<String> = (0..2 + rng.below(3)).map(|_| word(&mut rng)).collect();
            let text: Vec<String> = (0..10 + rng.below(40)).map(|_| word(&mut rng)).collect();
            Document { path: format!("g{i:05}.txt"), title: title.join(" "), text: format!("{}.", text.join(" ")) }
        })
        .collect()
}

/// Made-up words: ASCII and marked syllables run together.
fn rare_words(rng: &mut Rng, n: usize) -> Vec<String> {
    const ONSETS: &[&str] = &["b", "c", "d", "g", "h", "k", "l", "m", "n", "ph", "s", "st", "t", "tr", "v", "x"];
    const NUCLEI: &[&str] = &["a", "e", "i", "o", "u", "ơ", "ê", "ă", "ô", "ie", "oa", "ư"];
    const CODAS: &[&str] = &["", "", "n", "ng", "r", "l", "t", "m", "nh"];
    let mut out = BTreeSet::new();
    while out.len() < n {
        let syllables = 2 + rng.below(2);
        let w: String = (0..syllables)
            .map(|_| {
                format!(
                    "{}{}{}",
                    ONSETS[rng.below(ONSETS.len())],
                    NUCLEI[rng.below(NUCLEI.len())],
                    CODAS[rng.below(CODAS.len())]
                )
            })
            .collect();
        let chars = w.chars().count();
        if (4..=11).contains(&chars) {
            out.insert(w);
        }
    }
    out.into_iter().collect()
}

/// One word of a query, as the reference reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefWord {
    pub term: String,
    pub marks: Vec<u8>,
    pub chars: usize,
    pub prefix: bool,
    pub in_phrase: bool,
}

/// A query as the reference reads it: the words and the phrases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefQuery {
    pub words: Vec<RefWord>,
    pub phrases: Vec<Range<usize>>,
}

/// The documented query syntax: at most 4096 bytes and 32 words are read;
/// text between double quotes is a phrase (of two words or more); the last
/// word is being typed when the query ends with it.
pub fn parse(query: &str) -> RefQuery {
    let mut end = query.len().min(4096);
    while !query.is_char_boundary(end) {
        end -= 1;
    }
    let query = &query[..end];
    let mut words: Vec<RefWord> = Vec::new();
    let mut phrases = Vec::new();
    for (i, segment) in query.split('"').enumerate() {
        let first = words.len();
        for t in tokenize(segment).take(32 - first.min(32)) {
            let chars = t.term.chars().count();
            words.push(RefWord { term: t.term, marks: t.marks, chars, prefix: false, in_phrase: i % 2 == 1 });
        }
        if i % 2 == 1 && words.len() >= first + 2 {
            phrases.push(first..words.len());
        } else {
            words[first..].iter_mut().for_each(|w| w.in_phrase = false);
        }
    }
    let all = tokenize(query).count();
    let typing = tokenize(query).last().is_some_and(|t| t.end == query.len());
    if typing && all <= 32 {
        if let Some(w) = words.last_mut() {
            w.prefix = true;
        }
    }
    RefQuery { words, phrases }
}

const CIRCUMFLEX: char = '\u{0302}';
const BREVE: char = '\u{0306}';
const HORN: char = '\u{031B}';
const STROKE: char = '\u{0335}';

/// The telex reading of a query, written independently of the engine's: each
/// word of 2–10 ASCII letters that reads as one Vietnamese syllable with
/// telex keys in it (`dd`, `aa`, `ee`, `oo`, `aw`, `ow`, `uw`, `w`, and one
/// tone key `s f r x j` after a vowel) becomes that syllable.
pub fn telex(query: &str) -> Option<String> {
    let mut out = String::new();
    let mut changed = false;
    let mut rest = query;
    while let Some(c) = rest.chars().next() {
        if c.is_alphanumeric() {
            let len: usize = rest.chars().take_while(|c| c.is_alphanumeric()).map(char::len_utf8).sum();
            let (word, after) = rest.split_at(len);
            match telex_syllable(word) {
                Some(s) => {
                    out.push_str(&s);
                    changed = true;
                }
                None => out.push_str(word),
            }
            rest = after;
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    changed.then_some(out)
}

fn vowel(c: char) -> bool {
    "aeiouyAEIOUY".contains(c)
}

fn telex_syllable(word: &str) -> Option<String> {
    let w: Vec<char> = word.chars().collect();
    if !(2..=10).contains(&w.len()) || !w.iter().all(char::is_ascii_alphabetic) {
        return None;
    }
    let mut letters: Vec<(char, Option<char>)> = Vec::new();
    let mut tone = None;
    let mut keys = false;
    let mut i = 0;
    while i < w.len() {
        let (c, l) = (w[i], w[i].to_ascii_lowercase());
        let n = w.get(i + 1).map(char::to_ascii_lowercase);
        let pair = match (l, n) {
            ('d', Some('d')) if i == 0 => Some(STROKE),
            ('a', Some('a')) | ('e', Some('e')) | ('o', Some('o')) => Some(CIRCUMFLEX),
            ('a', Some('w')) => Some(BREVE),
            ('o', Some('w')) | ('u', Some('w')) => Some(HORN),
            _ => None,
        };
        if let Some(mark) = pair {
            letters.push((c, Some(mark)));
            keys = true;
            i += 2;
            continue;
        }
        let after_vowel = letters.iter().any(|(c, _)| vowel(*c));
        match "sfrxj".find(l) {
            Some(k) if after_vowel => {
                if tone.is_some() {
                    return None;
                }
                tone = Some(['\u{0301}', '\u{0300}', '\u{0309}', '\u{0303}', '\u{0323}'][k]);
                keys = true;
            }
            _ if l == 'w' => {
                letters.push(('u', Some(HORN)));
                keys = true;
            }
            _ => letters.push((c, None)),
        }
        i += 1;
    }
    // "uow" is typed for ươ: the u takes the horn too.
    for k in 1..letters.len() {
        let (u, o) = (letters[k - 1], letters[k]);
        if u.0.eq_ignore_ascii_case(&'u') && u.1.is_none() && o.0.eq_ignore_ascii_case(&'o') && o.1 == Some(HORN) {
            letters[k - 1].1 = Some(HORN);
        }
    }
    let mut runs = 0;
    let mut in_vowels = false;
    for (c, _) in &letters {
        if vowel(*c) && !in_vowels {
            runs += 1;
        }
        in_vowels = vowel(*c);
    }
    if !keys || runs != 1 {
        return None;
    }
    let mut out: String = letters.into_iter().flat_map(|(c, m)| std::iter::once(c).chain(m)).collect();
    out.extend(tone);
    Some(out)
}

/// How a word of Vietnamese is typed in telex without an input method
/// (`trường` → `truwowngf`); `None` if the word has other characters.
pub fn to_telex(word: &str) -> Option<String> {
    let mut out = String::new();
    let mut tone = None;
    for c in word.nfd() {
        match c {
            'đ' | 'Đ' => out.push_str(if c == 'đ' { "dd" } else { "Dd" }),
            CIRCUMFLEX => out.push(out.chars().last()?.to_ascii_lowercase()),
            BREVE | HORN => out.push('w'),
            '\u{0301}' => tone = Some('s'),
            '\u{0300}' => tone = Some('f'),
            '\u{0309}' => tone = Some('r'),
            '\u{0303}' => tone = Some('x'),
            '\u{0323}' => tone = Some('j'),
            c if c.is_ascii_alphabetic() => out.push(c),
            _ => return None,
        }
    }
    out.extend(tone);
    Some(out)
}

/// Whether a token's marks agree with a query word's.
fn agrees(w: &RefWord, t: &Token) -> bool {
    if !w.prefix {
        return w.marks == t.marks;
    }
    let letters = |m: &[u8]| -> Vec<(u8, u8)> {
        m.chunks(2).filter(|p| p[0] != TONE && usize::from(p[0]) < w.chars).map(|p| (p[0], p[1])).collect()
    };
    let tones = |m: &[u8]| -> Vec<u8> { m.chunks(2).filter(|p| p[0] == TONE).map(|p| p[1]).collect() };
    letters(&w.marks) == letters(&t.marks) && (tones(&w.marks).is_empty() || tones(&w.marks) == tones(&t.marks))
}

/// Splits compared for adjacency by the engine, at most (documented in
/// `search/split.rs`).
pub const MAX_SPLITS: usize = 4;

/// Whether a token's marks agree with a query word's, or (with `fuzzy`, for
/// the word itself) agree once hỏi and ngã are swapped in the typed marks.
fn agrees_or_swapped(w: &RefWord, t: &Token, fuzzy: bool) -> bool {
    agrees(w, t)
        || (fuzzy
            && t.term == w.term
            && swap_hoi_nga(&w.marks).is_some_and(|marks| agrees(&RefWord { marks, ..w.clone() }, t)))
}

/// The marks of `letter`'s token (`"ả"` → its tone).
fn mark_of(letter: &str) -> Vec<u8> {
    tokenize(letter).next().unwrap().marks
}

/// `marks` with hỏi made ngã and ngã made hỏi (in canonical order); `None`
/// if they have neither.
fn swap_hoi_nga(marks: &[u8]) -> Option<Vec<u8>> {
    let (hoi, nga) = (mark_of("ả"), mark_of("ã"));
    let mut pairs: Vec<[u8; 2]> = marks.chunks(2).map(|p| [p[0], p[1]]).collect();
    let mut changed = false;
    for p in &mut pairs {
        if p[..] == hoi[..] {
            *p = [nga[0], nga[1]];
            changed = true;
        } else if p[..] == nga[..] {
            *p = [hoi[0], hoi[1]];
            changed = true;
        }
    }
    pairs.sort_unstable();
    changed.then(|| pairs.concat())
}

/// Whether the word was typed with `đ` at its start (no d/gi/r confusions).
fn stroked(w: &RefWord) -> bool {
    let stroke = mark_of("đ");
    w.marks.chunks(2).any(|p| p == &stroke[..])
}

/// Whether VNI (marks typed as digits) could read some word of `query`
/// differently: a run of letters and digits that starts with a letter and
/// has a digit in it. The reference does not restate the VNI reading: it
/// only answers queries where it provably cannot apply.
pub fn vni_possible(query: &str) -> bool {
    query
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.chars().next().is_some_and(char::is_alphabetic) && w.chars().any(|c| c.is_numeric()))
}

/// The search for the splits of one word ([`Reference::splits`]).
struct Cutter<'r> {
    reference: &'r Reference,
    term: &'r str,
    prefix: bool,
    /// `(at, k)`: whether `term[at..]` cuts into exactly `k` pieces.
    can: HashMap<(usize, usize), bool>,
}

impl Cutter<'_> {
    /// An indexed term holding a vowel.
    fn whole(&self, p: &str) -> bool {
        self.reference.in_corpus(p) && p.bytes().any(|b| b"aeiouy".contains(&b))
    }

    /// The start of a term, as the last piece of a word being typed.
    fn open(&self, p: &str) -> bool {
        self.prefix && self.reference.completions(p).next().is_some()
    }

    fn cuts(&mut self, at: usize, k: usize) -> bool {
        if let Some(&c) = self.can.get(&(at, k)) {
            return c;
        }
        let (term, n) = (self.term, self.term.len());
        let c = if k == 1 {
            self.whole(&term[at..]) || self.open(&term[at..])
        } else {
            (at + 1..n).any(|j| self.whole(&term[at..j]) && self.cuts(j, k - 1))
        };
        self.can.insert((at, k), c);
        c
    }

    /// Appends to `out` the splits of `term[at..]` into `k` pieces after
    /// `pieces`, longest piece first.
    fn list(&mut self, at: usize, k: usize, pieces: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        if out.len() >= MAX_SPLITS || !self.cuts(at, k) {
            return;
        }
        let term = self.term;
        if k == 1 {
            pieces.push(term[at..].to_string());
            out.push(pieces.clone());
            pieces.pop();
            return;
        }
        for j in (at + 1..term.len()).rev() {
            if self.whole(&term[at..j]) {
                pieces.push(term[at..j].to_string());
                self.list(j, k - 1, pieces, out);
                pieces.pop();
            }
        }
    }

    fn splits(mut self) -> Vec<Vec<String>> {
        let n = self.term.len();
        let Some(least) = (1..=10.min(n)).find(|&k| self.cuts(0, k)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for k in [least.max(2), least.max(2) + 1] {
            self.list(0, k, &mut Vec::new(), &mut out);
        }
        out
    }
}

/// A corpus, tokenized, with each term's document frequency.
pub struct Reference {
    pub fields: Vec<[Vec<Token>; 2]>,
    pub df: HashMap<String, u32>,
    /// Every term's spellings: the marks its tokens carry.
    pub spellings: HashMap<String, BTreeSet<Vec<u8>>>,
    /// Every term, sorted.
    pub vocab: Vec<String>,
}

/// The documents that must match a query and those that may (equal unless
/// the engine is allowed to cut work, or to choose, for this query).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Expected {
    pub must: BTreeSet<u32>,
    pub may: BTreeSet<u32>,
}

impl Expected {
    pub fn exact(&self) -> bool {
        self.must == self.may
    }

    pub fn admits(&self, got: &BTreeSet<u32>) -> bool {
        self.must.is_subset(got) && got.is_subset(&self.may)
    }

    fn extend(&mut self, more: Expected) {
        self.must.extend(more.must);
        self.may.extend(more.may);
    }
}

/// The terms a word matches: surely, and possibly.
struct Terms {
    must: BTreeSet<String>,
    may: BTreeSet<String>,
    /// The word is a heavy prefix (its documents come from a bitmap).
    heavy: bool,
}

impl Reference {
    pub fn new(docs: &[Document]) -> Self {
        let fields: Vec<[Vec<Token>; 2]> =
            docs.iter().map(|d| [tokenize(&d.title).collect(), tokenize(&d.text).collect()]).collect();
        let mut df: HashMap<String, u32> = HashMap::new();
        for f in &fields {
            let terms: BTreeSet<&str> = f.iter().flatten().map(|t| t.term.as_str()).collect();
            for t in terms {
                *df.entry(t.to_string()).or_default() += 1;
            }
        }
        let mut spellings: HashMap<String, BTreeSet<Vec<u8>>> = HashMap::new();
        for t in fields.iter().flatten().flatten() {
            spellings.entry(t.term.clone()).or_default().insert(t.marks.clone());
        }
        let mut vocab: Vec<String> = df.keys().cloned().collect();
        vocab.sort();
        Reference { fields, df, spellings, vocab }
    }

    pub fn documents(&self) -> u32 {
        self.fields.len() as u32
    }

    fn df(&self, term: &str) -> u32 {
        self.df.get(term).copied().unwrap_or(0)
    }

    fn in_corpus(&self, term: &str) -> bool {
        self.df.contains_key(term)
    }

    /// Whether `term` is common as typed: no typos for it.
    pub fn common(&self, term: &str) -> bool {
        self.df(term) >= (self.documents() / 50).max(10)
    }

    /// Whether `prefix` is heavy: at most 8 bytes, and its words' postings
    /// add up to more than `max(2 × documents, 2048)`.
    pub fn heavy(&self, prefix: &str) -> bool {
        let postings: u64 = self.completions(prefix).map(|t| u64::from(self.df(t))).sum();
        prefix.len() <= 8 && postings > (2 * u64::from(self.documents())).max(2048)
    }

    fn completions<'s>(&'s self, prefix: &'s str) -> impl Iterator<Item = &'s str> + 's {
        let start = self.vocab.partition_point(|t| t.as_str() < prefix);
        self.vocab[start..].iter().take_while(move |t| t.starts_with(prefix)).map(String::as_str)
    }

    /// The plain typo candidates of `term` within `edits` (characters).
    pub fn typos(&self, term: &str, edits: usize) -> Vec<&str> {
        if edits == 0 || term.len() > 32 {
            return Vec::new();
        }
        self.vocab
            .iter()
            .filter(|t| t.len().abs_diff(term.len()) <= 2 * edits)
            .filter(|t| (1..=edits).contains(&edit_distance(term, t)))
            .map(String::as_str)
            .collect()
    }

    /// The confusion variants of a word that are indexed terms.
    fn confusions(&self, w: &RefWord) -> Vec<String> {
        confusions(&w.term, stroked(w)).into_iter().filter(|v| self.in_corpus(v)).collect()
    }

    /// Whether typos apply to `w` at all, and whether they are skipped in
    /// the narrow plan (common as typed, or completing some term).
    /// Whether typos apply to the word, and whether they are skipped in the
    /// narrow plan (the word being typed completes some word as typed). A
    /// word common as typed gets none, in any plan.
    fn typo_rule(&self, w: &RefWord, options: &Options) -> (bool, bool) {
        let typos = options.fuzzy && !options.exact_diacritics && !w.in_phrase && !self.common(&w.term);
        (typos, typos && self.completes(w))
    }

    /// Whether some term `term` spells with marks agreeing with the typed
    /// ones (as a word being typed agrees with `prefix`).
    fn spelled_as_typed(&self, w: &RefWord, term: &str, prefix: bool) -> bool {
        let word = RefWord { prefix, ..w.clone() };
        self.spellings.get(term).is_some_and(|all| {
            all.iter()
                .any(|marks| agrees(&word, &Token { start: 0, end: 0, term: term.to_string(), marks: marks.clone() }))
        })
    }

    /// Whether the word is in the corpus as typed: its term, with marks
    /// agreeing with the typed ones if it was typed with any.
    fn in_corpus_as_typed(&self, w: &RefWord) -> bool {
        self.in_corpus(&w.term) && (w.marks.is_empty() || self.spelled_as_typed(w, &w.term, false))
    }

    /// Whether the word is being typed and some word completes it (with
    /// marks agreeing, as a prefix, if it was typed with any).
    fn completes(&self, w: &RefWord) -> bool {
        w.prefix
            && if w.marks.is_empty() {
                self.completions(&w.term).next().is_some()
            } else {
                self.completions(&w.term).any(|t| self.spelled_as_typed(w, t, true))
            }
    }

    /// Whether the word narrows the first plan (exact spellings first): it
    /// is in the corpus as typed and typos apply to it.
    fn narrows(&self, w: &RefWord, options: &Options) -> bool {
        self.typo_rule(w, options).0 && self.in_corpus_as_typed(w)
    }

    fn terms(&self, w: &RefWord, options: &Options, widen: bool) -> Terms {
        let mut must = BTreeSet::from([w.term.clone()]);
        let mut may = must.clone();
        let mut heavy = false;
        if w.prefix {
            heavy = !options.exact_diacritics && self.heavy(&w.term);
            let others: Vec<&str> = self.completions(&w.term).filter(|t| *t != w.term).collect();
            let postings: u64 = others.iter().map(|t| u64::from(self.df(t))).sum();
            let cut = !heavy && (others.len() > MAX_PREFIX_TERMS || postings > u64::from(POSTINGS_BUDGET));
            may.extend(others.iter().map(|t| t.to_string()));
            if !cut {
                must.extend(others.iter().map(|t| t.to_string()));
            }
        }
        let (typos, skipped) = self.typo_rule(w, options);
        let in_corpus = self.in_corpus_as_typed(w);
        // Narrow: typos unless skipped, confusions only for a word not in
        // the corpus. Widened: a word in the corpus gets its confusions and
        // its typos (1 edit if it was skipped).
        if typos && (!skipped || (widen && in_corpus)) {
            let bound = if skipped { typo_bound(w.chars).min(1) } else { typo_bound(w.chars) };
            let typos = self.typos(&w.term, bound);
            // Distances count bytes in the engine, characters here: the same
            // for ASCII terms only.
            let ascii = w.term.is_ascii() && typos.iter().all(|t| t.is_ascii());
            if typos.len() <= MAX_FUZZY_TERMS && ascii {
                must.extend(typos.iter().map(|t| t.to_string()));
            }
            may.extend(typos.iter().map(|t| t.to_string()));
            if !in_corpus || widen {
                let confusions = self.confusions(w);
                assert!(confusions.len() <= MAX_FUZZY_TERMS);
                must.extend(confusions.iter().cloned());
                may.extend(confusions);
            }
        }
        Terms { must, may, heavy }
    }

    /// The documents matching one reading of a query.
    fn reading(&self, q: &RefQuery, options: &Options, widen: bool) -> Expected {
        let mut out = Expected::default();
        if q.words.is_empty() {
            return out;
        }
        let terms: Vec<Terms> = q.words.iter().map(|w| self.terms(w, options, widen)).collect();
        // A phrase through a word being typed that has several completions
        // is checked on the positions of the word's best completion in each
        // document only (and a heavy prefix's bitmap has no positions): the
        // engine may miss such a phrase, never invent one.
        let partial = q.phrases.iter().any(|p| p.clone().any(|i| terms[i].heavy || terms[i].may.len() > 1));
        for (id, fields) in self.fields.iter().enumerate() {
            let hit = |i: usize, t: &Token, sure: bool, marks: bool| {
                let set = if sure { &terms[i].must } else { &terms[i].may };
                set.contains(&t.term)
                    && (!options.exact_diacritics || !marks || agrees_or_swapped(&q.words[i], t, options.fuzzy))
            };
            // With exact diacritics, the engine checks a phrase's spellings
            // per document, not per position: a phrase may match where its
            // words are spelt otherwise, if the document has the typed
            // spellings elsewhere.
            let doc_matches = |sure: bool| {
                let words = (0..q.words.len()).all(|i| fields.iter().flatten().any(|t| hit(i, t, sure, true)));
                words
                    && q.phrases.iter().all(|p| {
                        fields.iter().any(|f| {
                            f.windows(p.len()).any(|win| win.iter().zip(p.clone()).all(|(t, i)| hit(i, t, sure, sure)))
                        })
                    })
            };
            if doc_matches(false) {
                out.may.insert(id as u32);
                if !partial && doc_matches(true) {
                    out.must.insert(id as u32);
                }
            }
        }
        out
    }

    /// Whether a word of the typed query matches closely (so that it is
    /// not split): itself, a completion, a heavy prefix, a confusion or a
    /// one-edit typo (bytes, as the engine counts).
    fn closely(&self, w: &RefWord, options: &Options) -> bool {
        let (typos, skipped) = self.typo_rule(w, options);
        self.in_corpus(&w.term)
            || (w.prefix && self.completions(&w.term).next().is_some())
            || (typos
                && !skipped
                && (!self.confusions(w).is_empty()
                    || (typo_bound(w.chars) >= 1
                        && w.term.len() <= 32
                        && self.vocab.iter().any(|t| byte_distance(&w.term, t) == 1))))
    }

    /// Whether a word of the typed query matches nothing at all.
    fn matches_nothing(&self, w: &RefWord, options: &Options) -> bool {
        let terms = self.terms(w, options, false);
        !terms.heavy && terms.may.iter().all(|t| !self.in_corpus(t))
    }

    /// The splits of a run-together word, in the documented order: into
    /// indexed terms each holding a vowel (the last piece of a word being
    /// typed may start a term instead), the fewest pieces (at least 2, at
    /// most 10) first, then one more; within a count, the longest first
    /// piece first (then the longest second…). The first `MAX_SPLITS`.
    pub fn splits(&self, term: &str, prefix: bool) -> Vec<Vec<String>> {
        if !(4..=40).contains(&term.len()) || !term.bytes().all(|b| b.is_ascii_lowercase()) {
            return Vec::new();
        }
        let cut = Cutter { reference: self, term, prefix, can: HashMap::new() };
        cut.splits()
    }

    /// The split readings of the query as typed that the engine may choose
    /// from (none unless a word is split), and whether it has no choice.
    fn split_readings(&self, typed: &RefQuery, options: &Options) -> (Vec<RefQuery>, bool) {
        if !options.fuzzy || options.exact_diacritics {
            return (Vec::new(), true);
        }
        let choices: Vec<Vec<Vec<String>>> = typed
            .words
            .iter()
            .map(|w| if self.closely(w, options) { Vec::new() } else { self.splits(&w.term, w.prefix) })
            .collect();
        if choices.iter().all(Vec::is_empty) {
            return (Vec::new(), true);
        }
        let only = choices.iter().all(|c| c.len() <= 1);
        // Every combination of one split per split word.
        let mut combos: Vec<Vec<Option<&Vec<String>>>> = vec![Vec::new()];
        for c in &choices {
            let options: Vec<Option<&Vec<String>>> =
                if c.is_empty() { vec![None] } else { c.iter().map(Some).collect() };
            combos = combos.iter().flat_map(|p| options.iter().map(move |o| [&p[..], &[*o]].concat())).collect();
        }
        let readings = combos
            .into_iter()
            .map(|combo| {
                let mut out = RefQuery { words: Vec::new(), phrases: Vec::new() };
                let mut at = Vec::new();
                let mut after_split = false;
                for (w, split) in typed.words.iter().zip(combo) {
                    let start = out.words.len();
                    match split {
                        Some(pieces) => out.words.extend(pieces.iter().enumerate().map(|(i, p)| RefWord {
                            term: p.clone(),
                            marks: Vec::new(),
                            chars: p.len(),
                            prefix: w.prefix && i + 1 == pieces.len(),
                            in_phrase: false,
                        })),
                        None if after_split && w.chars <= 3 && self.matches_nothing(w, options) => {}
                        None => out.words.push(RefWord { in_phrase: false, ..w.clone() }),
                    }
                    after_split = split.is_some();
                    at.push(start..out.words.len());
                }
                for p in &typed.phrases {
                    let (first, last) = (&at[p.start], &at[p.end - 1]);
                    if last.end > first.start + 1 {
                        out.phrases.push(first.start..last.end);
                        out.words[first.start..last.end].iter_mut().for_each(|w| w.in_phrase = true);
                    }
                }
                out
            })
            .collect();
        (readings, only)
    }

    /// Whether the engine reads some word of `query` as syllables run
    /// together.
    pub fn splits_query(&self, query: &str, options: &Options) -> bool {
        !self.split_readings(&parse(query), options).0.is_empty()
    }

    /// The documents matching `query` under `options`: as typed, by its
    /// telex reading when it has one, and by a split reading; first with
    /// the narrow plan, widened when that does not fill the page `options`
    /// ask for.
    pub fn expected(&self, query: &str, options: &Options) -> Expected {
        assert!(!options.vni || !vni_possible(query), "the reference does not restate VNI: {query:?}");
        let typed = parse(query);
        let mut readings = vec![typed.clone()];
        if options.telex && !typed.words.is_empty() {
            readings.extend(telex(query).map(|q| parse(&q)).filter(|r| r.words != typed.words));
        }
        let (splits, only) = self.split_readings(&typed, options);
        let mut split = Expected::default();
        let exact = Options { fuzzy: false, ..*options };
        for r in &splits {
            split.extend(self.reading(r, &exact, false));
        }
        if !only {
            split.must.clear();
        }
        let plan = |widen: bool| {
            let mut out = split.clone();
            for r in &readings {
                out.extend(self.reading(r, options, widen));
            }
            out
        };
        let narrow = plan(false);
        let narrowed = readings.iter().flat_map(|r| &r.words).any(|w| self.narrows(w, options));
        let page = options.offset.saturating_add(options.limit);
        if !narrowed || narrow.must.len() >= page {
            return narrow;
        }
        let wide = plan(true);
        if narrow.may.len() < page {
            return wide;
        }
        // The narrow total may or may not fill the page: either plan.
        Expected { must: narrow.must, may: wide.may }
    }
}

/// The documents the engine finds for `query`: every hit (with `limit` at
/// the number of documents), checked against the count.
pub fn engine_ids(engine: &mut Engine<'_>, query: &str, options: &Options) -> BTreeSet<u32> {
    let options = Options { limit: engine.index().documents() as usize, offset: 0, ..*options };
    let r = engine.search(query, &options);
    assert_eq!(r.total, engine.count(query, &options), "count and search disagree on {query:?}");
    assert_eq!(r.total, r.hits.len(), "{query:?}");
    r.hits.iter().map(|h| h.id).collect()
}

/// A word with `n` random edits (substitution, insertion, deletion) of
/// ASCII letters.
pub fn with_edits(rng: &mut Rng, word: &str, n: usize) -> String {
    let mut c: Vec<char> = word.chars().collect();
    for _ in 0..n {
        let letter = (b'a' + rng.below(26) as u8) as char;
        let at = rng.below(c.len() + 1);
        match rng.below(3) {
            0 if at < c.len() => c[at] = letter,
            1 if at < c.len() && c.len() > 1 => {
                c.remove(at);
            }
            _ => c.insert(at, letter),
        }
    }
    c.into_iter().collect()
}
