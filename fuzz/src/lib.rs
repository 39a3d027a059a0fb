//! The bodies of timkiem's fuzz targets and the invariants they check.
//!
//! `fuzz_targets/<target>.rs` runs `timkiem_fuzz::<target>(data)`.
//! `tests/fuzz_regressions.rs` includes this very file with `#[path]` and
//! replays the committed inputs (`tests/fuzz/<target>/*` and
//! `fuzz/seeds/<target>/*`) through the same functions, so every crash the
//! fuzzer finds stays a native `cargo test`. The file therefore uses only
//! `std`, `timkiem` and `fst` (a dependency of `timkiem`).
//!
//! - [`query`]: a query string with options, on the embedded seeds index or
//!   (flag bit 3) on [`heavy_index`], which has heavy prefixes.
//! - [`text`]: an arbitrary string through the text pipeline and the parser.
//! - [`index`]: arbitrary bytes opened as an index; if they open, queried.
//! - [`index_mutate`]: a real index with the input's mutations applied
//!   (XOR, overwritten u32s, truncation), optionally with the header's length
//!   and FNV-1a checksum fixed up so the corrupt bytes get past
//!   [`Index::open`]; then queried.
//! - [`index_fst`]: the same with the checksum always fixed up, as a forger
//!   would: the corrupt term dictionary gets to `Index::open`'s structural
//!   check of the fst, which must refuse whatever would make `fst` panic.
//! - [`shard`]: a split index's shard with the input's mutations (or the
//!   input itself) handed to [`Index::add_shard`]: refused unless the bytes
//!   match the shard table, and with a forged table (hash fixed up) the
//!   header and shape checks refuse or the reads stay harmless; then the
//!   query loop runs to completion over the other, genuine shards.

use std::sync::OnceLock;

use fst::{IntoStreamer, Streamer};
use timkiem_core::corpus::Document;
use timkiem_core::format::{fnv1a, Header, Section, SectionTable};
use timkiem_core::query::{parse, telex_reading, truncate, Query, MAX_QUERY_BYTES, MAX_WORDS};
use timkiem_core::text::{fold, fold_token, is_word_char, tokenize, MAX_TERM_CHARS};
use timkiem_core::write::{write_split, SplitIndex, SplitOptions};
use timkiem_core::{Engine, Index, Options, Outcome, Results};

/// Reads the fuzzer's bytes front to back; zeros once they run out.
struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }

    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    fn rest(self) -> &'a [u8] {
        self.data
    }
}

/// A limit or offset: mostly small, sometimes huge.
fn size(b: u8) -> usize {
    match b {
        255 => usize::MAX,
        254 => u32::MAX as usize,
        253 => 1 << 20,
        b => usize::from(b % 64),
    }
}

/// Options from three bytes: flags, limit, offset.
fn options(input: &mut Input<'_>) -> Options {
    let flags = input.u8();
    let limit = size(input.u8());
    let offset = input.u8();
    Options {
        limit,
        // Offsets are mostly 0, as in the UI.
        offset: if offset < 128 { 0 } else { size(offset) },
        fuzzy: flags & 1 != 0,
        exact_diacritics: flags & 2 != 0,
        telex: flags & 4 != 0,
        vni: flags & 8 != 0,
    }
}

/// Target `query`: bytes 0–2 are the options (bit 3 of byte 0: search
/// [`heavy_index`] instead of the embedded seeds), byte 3 a document id for
/// `document_highlights`, the rest (lossy UTF-8) the query. Runs the query,
/// then again on the same engine with `fuzzy` and `telex` flipped.
pub fn query(data: &[u8]) {
    let heavy = data.first().is_some_and(|flags| flags & 8 != 0);
    let mut input = Input { data };
    let options = options(&mut input);
    let id = u32::from(input.u8());
    let q = String::from_utf8_lossy(input.rest());
    let bytes = if heavy { heavy_index() } else { timkiem::EMBEDDED_INDEX };
    let index = Index::open(bytes).expect("the index opens");
    let documents = index.documents();
    // The embedded index is sound: every document has its text.
    assert_eq!(index.doc(id).and_then(|d| d.text()).is_some(), id < documents, "document {id} of {documents}");
    let mut engine = Engine::new(index);
    run_query(&mut engine, &q, &options, &[id]);
    // The same engine again (its scratch buffers are reused), other flags.
    let other = Options { fuzzy: !options.fuzzy, telex: !options.telex, vni: !options.vni, ..options };
    run_query(&mut engine, &q, &other, &[]);
}

/// Searches, counts and highlights `q`, checking the results. The whole
/// documents are highlighted for the first hit and `more_ids` only
/// (highlighting tokenizes a whole document: the slowest part by far).
fn run_query(engine: &mut Engine<'_>, q: &str, options: &Options, more_ids: &[u32]) -> Results {
    let results = engine.search(q, options);
    check_results(engine.index(), &results, options, q);
    let count = engine.count(q, options);
    assert_eq!(count, results.total, "count() and search().total disagree for {q:?} {options:?}");
    let mut ids: Vec<u32> = results.hits.iter().take(1).map(|h| h.id).chain(more_ids.iter().copied()).collect();
    ids.dedup();
    for id in ids {
        let highlights = engine.document_highlights(id, q, options);
        let text = engine.index().doc(id).and_then(|d| d.text());
        assert_eq!(highlights.is_some(), text.is_some(), "document_highlights({id}) vs the document's text");
        if let (Some(found), Some(text), Some(doc)) = (highlights, text, engine.index().doc(id)) {
            check_ranges(&found.text, text, "document_highlights");
            check_ranges(&found.title, doc.title, "document_highlights (title)");
        }
    }
    results
}

/// The invariants of a page of results.
pub fn check_results(index: &Index<'_>, results: &Results, options: &Options, q: &str) {
    let hits = &results.hits;
    assert!(hits.len() <= options.limit, "{} hits for limit {} ({q:?})", hits.len(), options.limit);
    assert!(
        hits.len() <= results.total.saturating_sub(options.offset),
        "{} hits, total {}, offset {} ({q:?})",
        hits.len(),
        results.total,
        options.offset
    );
    let mut ids: Vec<u32> = hits.iter().map(|h| h.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), hits.len(), "a document is hit twice ({q:?})");
    let mut last_score = f32::INFINITY;
    for hit in hits {
        assert!(hit.id < index.documents(), "hit {} of {} documents", hit.id, index.documents());
        let doc = index.doc(hit.id);
        assert!(doc.is_some(), "hit {} has no document", hit.id);
        if let Some(doc) = doc {
            assert_eq!(hit.title, doc.title);
            assert_eq!(hit.path, doc.path);
        }
        assert!(hit.score.is_finite(), "score {} ({q:?})", hit.score);
        assert!(hit.score <= last_score, "hits out of order: {} after {} ({q:?})", hit.score, last_score);
        last_score = hit.score;
        check_ranges(&hit.highlights, &hit.snippet, "highlights");
        check_ranges(&hit.title_highlights, &hit.title, "titleHighlights");
    }
}

/// Half-open UTF-16 ranges into `text`: non-empty, in bounds, sorted, not
/// overlapping, and not splitting a surrogate pair.
pub fn check_ranges(ranges: &[[u32; 2]], text: &str, what: &str) {
    let units: Vec<u16> = text.encode_utf16().collect();
    let splits_pair = |at: u32| units.get(at as usize).is_some_and(|u| (0xDC00..0xE000).contains(u));
    let mut prev_end = 0;
    for &[s, e] in ranges {
        assert!(s < e, "{what}: empty range [{s}, {e}] in {text:?}");
        assert!(e as usize <= units.len(), "{what}: [{s}, {e}] past the {} UTF-16 units of {text:?}", units.len());
        assert!(
            s >= prev_end,
            "{what}: [{s}, {e}] overlaps or precedes the previous range (ends {prev_end}) in {ranges:?}"
        );
        assert!(!splits_pair(s) && !splits_pair(e), "{what}: [{s}, {e}] splits a surrogate pair in {text:?}");
        prev_end = e;
    }
}

/// Target `text`: the input (lossy UTF-8) through `tokenize`, `fold`,
/// `parse`, `telex_reading` and `truncate`.
pub fn text(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    check_tokens(&s);
    let folded = fold(&s);
    assert_eq!(fold(&folded), folded, "fold is not idempotent on {s:?}");
    check_query(&s);
    if let Some(reading) = telex_reading(&s) {
        check_tokens(&reading);
        check_query(&reading);
    }
    for max in [0, 1, 2, 3, s.len() / 2, MAX_QUERY_BYTES] {
        let cut = truncate(&s, max);
        assert!(s.starts_with(cut), "truncate({max}) is not a prefix");
        if s.len() <= max {
            assert_eq!(cut.len(), s.len(), "truncate({max}) cut a short string");
        } else {
            assert!(cut.len() <= max && max - cut.len() < 4, "truncate({max}) kept {} bytes", cut.len());
        }
    }
}

/// `tokenize`'s tokens: in bounds, on character boundaries, in order, with
/// non-empty terms that are what `fold_token` gives for their text.
pub fn check_tokens(s: &str) {
    let mut prev_end = 0;
    for token in tokenize(s) {
        assert!(token.start >= prev_end, "token {token:?} starts before the previous one ends ({prev_end}) in {s:?}");
        assert!(token.start < token.end && token.end <= s.len(), "token {token:?} out of bounds in {s:?}");
        assert!(
            s.is_char_boundary(token.start) && s.is_char_boundary(token.end),
            "token {token:?} not on char boundaries"
        );
        assert!(!token.term.is_empty(), "empty term {token:?}");
        let chars = token.term.chars().count();
        assert!(
            chars <= MAX_TERM_CHARS,
            "term of {chars} characters, more than MAX_TERM_CHARS = {MAX_TERM_CHARS}: {token:?}"
        );
        assert!(token.term.chars().all(is_word_char), "term with a character that is not a word character: {token:?}");
        assert!(token.marks.len() % 2 == 0, "odd marks {token:?}");
        let (mut term, mut marks) = (String::new(), Vec::new());
        fold_token(s.get(token.start..token.end).unwrap_or(""), &mut term, &mut marks);
        assert_eq!((&term, &marks), (&token.term, &token.marks), "token {token:?} vs fold_token of its text");
        prev_end = token.end;
    }
}

/// `parse`: the words are the tokens of the (truncated) query, at most
/// [`MAX_WORDS`]; only the last can be a prefix, and it is one exactly when
/// nothing follows it; phrases are ranges of more than one word.
pub fn check_query(s: &str) {
    let q: Query = parse(s);
    let cut = truncate(s, MAX_QUERY_BYTES);
    let tokens: Vec<_> = tokenize(cut).take(MAX_WORDS).collect();
    let terms: Vec<(&str, &[u8])> = tokens.iter().map(|t| (t.term.as_str(), t.marks.as_slice())).collect();
    let words: Vec<(&str, &[u8])> = q.words.iter().map(|w| (w.term.as_str(), w.marks.as_slice())).collect();
    assert_eq!(words, terms, "parse({s:?}) words vs tokenize");
    for (i, w) in q.words.iter().enumerate() {
        assert_eq!(w.chars, w.term.chars().count(), "word {w:?}");
        let last = i + 1 == q.words.len();
        let expected = last && tokens.last().is_some_and(|t| t.end == cut.len());
        assert_eq!(w.prefix, expected, "prefix flag of word {i} of {s:?}");
    }
    let mut prev_end = 0;
    for p in &q.phrases {
        assert!(p.start >= prev_end && p.end > p.start + 1 && p.end <= q.words.len(), "phrase {p:?} of {q:?}");
        prev_end = p.end;
    }
}

/// Target `index`: arbitrary bytes must open or be refused, never panic;
/// bytes that open are searched and read.
pub fn index(data: &[u8]) {
    if let Ok(index) = Index::open(data) {
        exercise(index, 0);
    }
}

/// A small index written at run time, so it always has the current format:
/// several spellings of one term, phrases, numbers, a long document (many
/// checkpoints, text past the snippet's 4 KB slice), astral characters, Han.
pub fn small_index() -> &'static [u8] {
    static SMALL: OnceLock<Vec<u8>> = OnceLock::new();
    SMALL.get_or_init(|| timkiem_core::write::write_index(&small_docs()).expect("write_index of the small corpus").0)
}

/// The documents of [`small_index`].
fn small_docs() -> Vec<Document> {
    {
        let doc = |path: &str, title: &str, text: &str| Document {
            path: path.into(),
            title: title.into(),
            text: text.into(),
        };
        let long = "Văn phòng liên lạc của NATO tại Tokyo, Nhật Bản; 2.400 người, ngày 31/01/2023. ".repeat(80);
        let docs = [
            doc("a.txt", "Nhật Bản và NATO", "NATO mở văn phòng liên lạc tại Tokyo, Nhật Bản. Bạn bè 2.400 người."),
            doc(
                "b.txt",
                "Hàn Quốc 😀",
                "Nam Hàn và Trung Quốc. Đan Mạch, Taksøe-Jensen, Koweït 😀 ngày 31/01/2023. 漢字かな",
            ),
            doc("c.md", "", ""),
            doc("d.txt", "Bản tin", "bản bạn bán băn bàn BẢN ba\u{0309}n"),
            doc("e.txt", "Dài", &long),
        ];
        docs.to_vec()
    }
}

/// An index with heavy prefixes (common prefixes matched through a bitmap
/// and a best list, which the seeds do not have): 600 generated documents of
/// common syllables.
pub fn heavy_index() -> &'static [u8] {
    static HEAVY: OnceLock<Vec<u8>> = OnceLock::new();
    HEAVY.get_or_init(|| {
        let bytes = timkiem_core::write::write_index(&heavy_docs()).expect("write_index of the heavy corpus").0;
        assert!(Index::open(&bytes).ok().and_then(|i| i.heavy("ng")).is_some(), "the heavy corpus has heavy prefixes");
        bytes
    })
}

/// The corpus of [`heavy_index`].
fn heavy_docs() -> Vec<Document> {
    {
        const WORDS: [&str; 16] = [
            "nguyễn", "người", "ngày", "nghe", "nghĩa", "ngoài", "nhật", "nhà", "bản", "bạn", "hà", "nội", "tôi", "và",
            "của", "một",
        ];
        let mut state = 7u64;
        let mut next = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        (0..600)
            .map(|i| {
                let len = 5 + next() % 40;
                let mut words = |n: usize| (0..n).map(|_| WORDS[next() % WORDS.len()]).collect::<Vec<_>>().join(" ");
                let title = words(2);
                Document { path: format!("{i:03}.txt"), title, text: format!("{} 😀 {}.", words(len), words(3)) }
            })
            .collect()
    }
}

/// Target `index_mutate`: byte 0 is flags (bit 0: start from the embedded
/// index instead of [`small_index`]; bit 6: from [`heavy_index`]; bit 1: fix the header's total length
/// after the mutations; bit 2: keep the offsets of XORs and u32 writes
/// outside the FST section, which the checksum guards; bits 3–5: which
/// queries to run), then mutations until the input runs out (at most 64): an
/// opcode byte and its operands —
/// 0: XOR byte at offset (u32, u8); 1: set header word (u8 index, u32 value);
/// 2: set a u32 anywhere (u32 offset, u32 value); 3: truncate (u32 length).
///
/// The FST checksum is left as the mutations make it, so a change to the
/// term dictionary is refused by [`Index::open`]; see [`index_fst`].
pub fn index_mutate(data: &[u8]) {
    mutate_and_exercise(data, false);
}

/// Like [`index_mutate`], but the FNV-1a checksum in the header is then
/// recomputed, as a deliberately crafted index would have it: a corrupt term
/// dictionary gets past the checksum, and `Index::open`'s structural check of
/// the fst (crates/core/src/fst_check.rs) must refuse any that would make the `fst`
/// crate panic (or loop) when the index is read.
pub fn index_fst(data: &[u8]) {
    mutate_and_exercise(data, true);
}

fn mutate_and_exercise(data: &[u8], fix_fst_checksum: bool) {
    let (bytes, flags) = mutated(data, fix_fst_checksum);
    if let Ok(index) = Index::open(&bytes) {
        exercise(index, flags >> 3);
    }
}

/// The index that [`index_mutate`] (or, with `fix_fst_checksum`,
/// [`index_fst`]) makes of its input, and the input's flags byte.
pub fn mutated(data: &[u8], fix_fst_checksum: bool) -> (Vec<u8>, u8) {
    let mut input = Input { data };
    let flags = input.u8();
    let base = match (flags & 0x40 != 0, flags & 1 != 0) {
        (true, _) => heavy_index(),
        (false, false) => small_index(),
        (false, true) => timkiem::EMBEDDED_INDEX,
    };
    let mut bytes = base.to_vec();
    // The FST section of the base, skipped over by offsets when flag bit 2 is set.
    let fst_entry = SectionTable::entry_at(Section::Fst);
    let fst_at = get_u32(base, fst_entry).unwrap_or(0) as usize;
    let fst_len = get_u32(base, fst_entry + 4).unwrap_or(0) as usize;
    let offset = |raw: u32, len: usize| -> usize {
        if flags & 4 == 0 || len <= fst_len {
            raw as usize % len.max(1)
        } else {
            let at = raw as usize % (len - fst_len);
            if at >= fst_at {
                at + fst_len
            } else {
                at
            }
        }
    };
    let mut ops = 0;
    while !input.is_empty() && ops < 64 {
        ops += 1;
        let len = bytes.len();
        match input.u8() % 4 {
            0 => {
                let at = offset(input.u32(), len);
                let x = input.u8();
                if let Some(b) = bytes.get_mut(at) {
                    *b ^= x;
                }
            }
            1 => {
                let at = usize::from(input.u8()) % (Header::LEN / 4) * 4;
                let v = input.u32();
                put_u32(&mut bytes, at, v);
            }
            2 => {
                let at = offset(input.u32(), len);
                let v = input.u32();
                put_u32(&mut bytes, at, v);
            }
            _ => {
                let n = input.u32() as usize % (len + 1);
                bytes.truncate(n);
            }
        }
    }
    if flags & 2 != 0 {
        let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
        put_u32(&mut bytes, Header::TOTAL_LEN, len);
    }
    if fix_fst_checksum {
        fix_checksum(&mut bytes);
    }
    (bytes, flags)
}

fn put_u32(bytes: &mut [u8], at: usize, v: u32) {
    if let Some(dst) = at.checked_add(4).and_then(|end| bytes.get_mut(at..end)) {
        dst.copy_from_slice(&v.to_le_bytes());
    }
}

fn get_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([*b.first()?, *b.get(1)?, *b.get(2)?, *b.get(3)?]))
}

/// Rewrites the FNV-1a-64 hash of the FST section (header field
/// `FST_HASH`), if the section table locates one.
fn fix_checksum(bytes: &mut [u8]) {
    let at = SectionTable::entry_at(Section::Fst);
    let (Some(offset), Some(len)) = (get_u32(bytes, at), get_u32(bytes, at + 4)) else { return };
    let (offset, len) = (offset as usize, len as usize);
    let Some(fst) = offset.checked_add(len).and_then(|end| bytes.get(offset..end)) else { return };
    let h = fnv1a(fst);
    put_u32(bytes, Header::FST_HASH, h as u32);
    put_u32(bytes, Header::FST_HASH + 4, (h >> 32) as u32);
}

const QUERIES: [&str; 8] =
    ["nhat ban", "\"van phong\" lien", "b", "dan mach naot", "Nhật Bả", "ddan 2400", "2023 漢", "ban ban ban"];

/// Reads and searches an index that opened (perhaps corrupt): nothing may
/// panic, and the results keep their invariants. `pick` chooses the queries.
fn exercise(index: Index<'_>, pick: u8) {
    let documents = index.documents();
    let terms = index.term_count();
    for id in [0, 1, 2, documents / 2, documents.saturating_sub(1), documents, u32::MAX] {
        if let Some(doc) = index.doc(id) {
            let _ = doc.text();
            let len = doc.text_len();
            let _ = doc.text_range(len / 3, len / 2);
            let _ = doc.text_range(len, 0);
            for token in [0, 31, 32, 1000, doc.body_tokens, u32::MAX] {
                let (at, _) = doc.checkpoint(token);
                assert!(at <= len, "checkpoint at {at} past the text's {len} bytes");
            }
        }
    }
    let mut numbers = vec![0, 1, terms / 2, terms.saturating_sub(1), terms, u32::MAX];
    let mut stream = index.fst().into_stream();
    while let Some((key, value)) = stream.next() {
        if let Ok(key) = std::str::from_utf8(key) {
            let _ = index.lookup(key);
            let (lo, hi) = index.prefix_range(key);
            assert!(lo <= hi, "prefix_range({key:?}) = {lo}..{hi}");
        }
        numbers.push(u32::try_from(value).unwrap_or(u32::MAX));
        if numbers.len() >= 24 {
            break;
        }
    }
    for prefix in ["", "a", "n", "z", "\u{10FFFF}"] {
        let (lo, hi) = index.prefix_range(prefix);
        assert!(lo <= hi, "prefix_range({prefix:?}) = {lo}..{hi}");
    }
    for n in numbers {
        let _ = index.term(n);
        let _ = index.df(n);
        for posting in index.postings(n).take(256) {
            let _ = index.positions(&posting).take(256).count();
        }
        for variant in index.variants(n).take(16) {
            if let Some(docs) = variant.docs {
                let _ = docs.take(256).count();
            }
        }
    }
    let mut engine = Engine::new(index);
    let first = usize::from(pick % 8);
    for (k, q) in QUERIES.iter().cycle().skip(first).take(3).enumerate() {
        let options = match k {
            0 => Options::default(),
            1 => Options { exact_diacritics: true, limit: 3, offset: 1, ..Options::default() },
            _ => Options { fuzzy: false, telex: false, vni: false, limit: 1000, ..Options::default() },
        };
        let ids: &[u32] = if k == 0 { &[0, u32::MAX] } else { &[] };
        run_query(&mut engine, q, &options, ids);
    }
    // Common prefixes: on an index with heavy sections, their bitmaps and
    // best lists are read.
    if engine.index().heavy("ng").is_some() {
        run_query(&mut engine, if pick % 2 == 0 { "ng" } else { "người n" }, &Options::default(), &[0]);
    }
}

/// The small corpus of [`small_index`] in the split layout, cut into
/// small shards (several of each kind).
pub fn small_split() -> &'static SplitIndex {
    static SPLIT: OnceLock<SplitIndex> = OnceLock::new();
    SPLIT.get_or_init(|| {
        let docs = small_docs();
        let options = SplitOptions {
            postings_shard_bytes: 256,
            docs_shard_bytes: 256,
            bitmap_shard_bytes: 16,
            max_docs_shards: 16_384,
        };
        write_split(&docs, &options).expect("write_split of the small corpus")
    })
}

/// The corpus of [`heavy_index`] in the split layout, in fewer than 256
/// shards, some of them bitmap shards.
pub fn heavy_split() -> &'static SplitIndex {
    static SPLIT: OnceLock<SplitIndex> = OnceLock::new();
    SPLIT.get_or_init(|| {
        let options = SplitOptions {
            postings_shard_bytes: 2048,
            docs_shard_bytes: 2048,
            bitmap_shard_bytes: 1,
            max_docs_shards: 16_384,
        };
        let split = write_split(&heavy_docs(), &options).expect("write_split of the heavy corpus");
        let bitmaps = split.shards.iter().filter(|s| s.entry.kind == timkiem_core::format::ShardKind::Bitmaps).count();
        assert!(bitmaps > 1 && split.shards.len() < 256, "{bitmaps} bitmap shards of {}", split.shards.len());
        split
    })
}

/// Target `shard`: byte 0 picks the shard (modulo their number), byte 1 is
/// flags (bit 0: the rest of the input is the shard's bytes, as is; else
/// mutations of the genuine shard as in [`index_mutate`]; bit 1: forge the
/// index's shard table so that its hash and length match the bytes, as an
/// attacker who controls both files would; bit 2: a shard of
/// [`heavy_split`], whose bitmap shards common prefixes read, instead of
/// [`small_split`]). Bytes that differ from the
/// shard table's must be refused; whatever is accepted, a query loop over it
/// and the other genuine shards must end without a panic.
pub fn shard(data: &[u8]) {
    let mut input = Input { data };
    let pick = input.u8();
    let flags = input.u8();
    let split = if flags & 4 == 4 { heavy_split() } else { small_split() };
    let count = split.shards.len();
    let n = usize::from(pick) % count.max(1);
    let Some(genuine) = split.shards.get(n) else { return };
    let bytes: Vec<u8> = if flags & 1 == 1 { input.rest().to_vec() } else { mutate(&genuine.bytes, input) };
    let forge = flags & 2 == 2;
    let index_bytes = if forge { forged_table(&split.index, n, &bytes) } else { split.index.clone() };
    let index_bytes: &'static [u8] = Box::leak(index_bytes.into_boxed_slice());
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let Ok(mut index) = Index::open(index_bytes) else { return };
    let accepted = index.add_shard(n as u32, bytes).is_ok();
    if !forge {
        assert_eq!(
            accepted,
            bytes == genuine.bytes.as_slice(),
            "shard {n}: accepted bytes that differ, or refused its own"
        );
    }
    for (m, other) in split.shards.iter().enumerate() {
        if m != n {
            let _ = index.add_shard(m as u32, &other.bytes);
        }
    }
    let mut engine = Engine::new(index);
    for q in ["nhat ban", "ban", "n", "nato tokyo", "\"ha noi\"", "ng", "nha ng", "người n"] {
        for _ in 0..4 {
            match engine.query(q, &Options::default()) {
                Outcome::Ready(results) => {
                    check_results(engine.index(), &results, &Options::default(), q);
                    break;
                }
                // Only the refused shard can still be missing.
                Outcome::Need(missing) => assert!(!accepted && missing == [n as u32], "{q}: needs {missing:?}"),
            }
        }
    }
    for id in [0, 1, 2, 3, 4, u32::MAX] {
        if let Outcome::Ready(Some(doc)) = engine.try_doc(id) {
            let _ = doc.text();
            let len = doc.text_len();
            let (at, _) = doc.checkpoint(40);
            assert!(at <= len);
        }
    }
}

/// `bytes` with mutations read from `input` (opcode, then operands):
/// 0: XOR a byte; 1: set a u32; 2: truncate; 3: append a byte.
fn mutate(bytes: &[u8], mut input: Input<'_>) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..32 {
        if input.is_empty() {
            break;
        }
        let op = input.u8() % 4;
        let at = input.u32() as usize;
        match op {
            0 => {
                let len = out.len().max(1);
                let x = input.u8();
                if let Some(b) = out.get_mut(at % len) {
                    *b ^= x;
                }
            }
            1 => {
                let v = input.u32();
                let len = out.len().max(1);
                let at = at % len;
                if let Some(w) = out.get_mut(at..at + 4) {
                    w.copy_from_slice(&v.to_le_bytes());
                }
            }
            2 => out.truncate(at % (out.len() + 1)),
            _ => out.push(input.u8()),
        }
    }
    out
}

/// `index` with shard `n`'s entry made to match `bytes` (length and hash).
fn forged_table(index: &[u8], n: usize, bytes: &[u8]) -> Vec<u8> {
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    timkiem_core::format::shards::with_shard_entry(index, n, len, fnv1a(bytes)).unwrap_or_else(|| index.to_vec())
}
