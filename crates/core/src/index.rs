//! Reading an index in place: [`Index::open`] checks the layout and borrows
//! the bytes; nothing is parsed or copied up front.
//!
//! Every read is bounds-checked. Corrupt bytes that pass [`Index::open`] give
//! wrong answers or `None`, never a panic.

use std::cell::RefCell;
use std::collections::BTreeSet;

use crate::format::sections::SectionReader;
use crate::format::shards::{verify, ShardData};
use crate::format::*;

/// An open index over borrowed bytes: one reader per [`Section`].
///
/// In the split layout the postings and the document store are in shards
/// ([`crate::format::shards`]), handed over with [`Index::add_shard`] as
/// they arrive. A read that needs a shard not yet added finds nothing, and
/// the shard is noted: [`Index::take_missing`] says which were needed, so
/// that an answer read without them is never given as complete.
pub struct Index<'a> {
    fst: fst::Map<&'a [u8]>,
    terms: TermTable<'a>,
    marks: MarksTable<'a>,
    heavy: HeavyTable<'a>,
    lengths: LengthsTable<'a>,
    dfs: DfTable<'a>,
    store: Store<'a>,
    /// See [`mean_span`].
    span: u32,
    documents: u32,
    term_count: u32,
    avg_title: f32,
    avg_body: f32,
    size: usize,
    build_id: u64,
}

/// Where the postings and the document store are.
enum Store<'a> {
    Embedded { postings: &'a [u8], docs: DocTable<'a>, checks: &'a [u8], strings: &'a [u8] },
    Split(Shards<'a>),
}

/// The split layout's shards: the table, the ones added, the ones missed.
struct Shards<'a> {
    entries: Vec<ShardEntry>,
    /// `entries[..postings]` are the postings shards,
    /// `entries[postings..bitmaps]` the docs shards, the rest the bitmap
    /// shards.
    postings: usize,
    bitmaps: usize,
    loaded: Vec<Option<ShardData<'a>>>,
    /// Shards that reads needed and did not have, since the last
    /// [`Index::take_missing`].
    missing: RefCell<BTreeSet<u32>>,
}

impl<'a> Shards<'a> {
    /// The loaded shard `number`, or `None`, noting it as missing.
    fn get(&self, number: usize) -> Option<ShardData<'a>> {
        let found = self.loaded.get(number).copied().flatten();
        if found.is_none() {
            if let Ok(n) = u32::try_from(number) {
                self.missing.borrow_mut().insert(n);
            }
        }
        found
    }

    /// The postings shard whose payload holds byte `at` of the postings.
    fn postings_at(&self, at: usize) -> Option<usize> {
        let postings = self.entries.get(..self.postings)?;
        let i = postings.partition_point(|e| e.start as usize <= at).checked_sub(1)?;
        let e = postings.get(i)?;
        (at < e.start as usize + e.payload_len() as usize).then_some(i)
    }

    /// The docs shard holding document `id`.
    fn docs_of(&self, id: u32) -> Option<usize> {
        self.covering(self.postings..self.bitmaps, id)
    }

    /// The bitmap shard holding heavy prefix `record`'s bitmap.
    fn bitmap_of(&self, record: u32) -> Option<usize> {
        self.covering(self.bitmaps..self.entries.len(), record)
    }

    /// The shard of `range` (shards of one kind) covering `n`.
    fn covering(&self, range: std::ops::Range<usize>, n: u32) -> Option<usize> {
        let base = range.start;
        let shards = self.entries.get(range)?;
        let i = shards.partition_point(|e| e.first <= n).checked_sub(1)?;
        (n < shards.get(i)?.end).then_some(base + i)
    }
}

/// A run of whole term entries: the bytes of the postings from `base` on.
#[derive(Clone, Copy)]
struct Run<'a> {
    bytes: &'a [u8],
    base: usize,
}

impl<'a> Run<'a> {
    /// The run's bytes from global offset `from` to `to`.
    fn slice(&self, from: usize, to: usize) -> Option<&'a [u8]> {
        self.bytes.get(from.checked_sub(self.base)?..to.checked_sub(self.base)?)
    }
}

/// The header of a term's entry in POSTINGS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermInfo {
    /// Where its variants start in POSTINGS (a byte offset).
    pub variants: usize,
    /// Number of variants.
    pub variant_count: u32,
    /// Where its postings start in POSTINGS (a byte offset).
    pub postings: usize,
    /// Where the next term's entry starts.
    pub end: usize,
    /// Number of documents containing the term.
    pub df: u32,
}

/// One document's entry in a term's postings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// The document.
    pub doc: u32,
    /// Occurrences of the term in the document's title.
    pub title_tf: u32,
    /// Occurrences of the term in the document's text.
    pub body_tf: u32,
    /// Where the positions start in the postings section, in bits.
    pub positions_at: u32,
    /// The Rice parameter of the positions.
    pub k: u8,
}

impl Posting {
    /// Occurrences of the term in the document.
    pub fn tf(&self) -> u32 {
        self.title_tf.saturating_add(self.body_tf)
    }
}

/// A document's entry in the document table.
#[derive(Debug, Clone, Copy)]
pub struct DocInfo<'a> {
    /// The document's number.
    pub id: u32,
    /// Its title.
    pub title: &'a str,
    /// Its path, as given to the build.
    pub path: &'a str,
    text: &'a [u8],
    /// Words in the title.
    pub title_tokens: u32,
    /// Words in the text.
    pub body_tokens: u32,
    checks: &'a [u8],
}

impl<'a> DocInfo<'a> {
    /// The whole text; `None` if the bytes are not UTF-8 (corrupt index).
    pub fn text(&self) -> Option<&'a str> {
        std::str::from_utf8(self.text).ok()
    }

    /// The text from byte `start` to `end`, validating only that part. `end`
    /// is clamped to the text and moved back to the start of a character.
    pub fn text_range(&self, start: usize, end: usize) -> Option<&'a str> {
        let mut end = end.min(self.text.len());
        // At most 3 continuation bytes (0b10xx_xxxx) precede a boundary.
        for _ in 0..3 {
            match self.text.get(end) {
                Some(&b) if b & 0xC0 == 0x80 && end > start => end -= 1,
                _ => break,
            }
        }
        std::str::from_utf8(self.text.get(start.min(end)..end)?).ok()
    }

    /// Length of the text in bytes.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// Byte offset in the text of the nearest checkpoint at or before body
    /// token `token`, and the number of that token.
    pub fn checkpoint(&self, token: u32) -> (usize, u32) {
        let k = token / CHECKPOINT_EVERY;
        let at = (k as usize).checked_mul(4).and_then(|at| get_u32(self.checks, at)).map(|o| o as usize);
        match at {
            Some(o) if o <= self.text.len() => (o, k * CHECKPOINT_EVERY),
            _ => (0, 0),
        }
    }
}

/// The first key after every key starting with `prefix` (empty when there is
/// none): `prefix` with its last byte that is not 0xFF incremented.
fn upper_bound(prefix: &str) -> Vec<u8> {
    let mut upper = prefix.as_bytes().to_vec();
    while let Some(&last) = upper.last() {
        if last == 0xFF {
            upper.pop();
        } else {
            if let Some(b) = upper.last_mut() {
                *b = last + 1;
            }
            break;
        }
    }
    upper
}

impl<'a> Index<'a> {
    /// Opens `data` as an index, checking its magic number, version, length,
    /// sections and the checksum of its term dictionary.
    ///
    /// ```
    /// let bad = timkiem_core::Index::open(b"not an index");
    /// assert!(matches!(bad, Err(timkiem_core::FormatError::Magic)));
    /// ```
    pub fn open(data: &'a [u8]) -> Result<Self, FormatError> {
        let header = Header::from_bytes(data)?;
        let dictionary = TermDictionary::open(data, &header)?;
        Self::open_sections(data, header, dictionary)
    }

    /// Opens an index that [`Index::open`] has already accepted: the same
    /// checks, except the term dictionary's checksum and the walk of its
    /// whole structure, which take time linear in its size at start-up.
    ///
    /// For the index compiled into the wasm: `build.rs` opens it with
    /// [`Index::open`] before embedding it (the build fails otherwise), and
    /// the bytes then live in the same module as the code that reads them,
    /// so whoever could change them could change the code as well. Bytes
    /// that were not checked that way, such as fetched ones, go through
    /// [`Index::open`]: a forged term dictionary could make the `fst` crate
    /// panic.
    ///
    /// ```
    /// use timkiem_core::{corpus::Document, write::write_index, Index};
    /// let docs = vec![Document { path: "a.txt".into(), title: "Hà Nội".into(), text: "Thủ đô.".into() }];
    /// let (bytes, _) = write_index(&docs)?;
    /// Index::open(&bytes)?; // at build time
    /// let index = Index::open_verified(&bytes)?; // at run time
    /// assert_eq!(index.documents(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_verified(data: &'a [u8]) -> Result<Self, FormatError> {
        let header = Header::from_bytes(data)?;
        let dictionary = TermDictionary::open_verified(data, &header)?;
        Self::open_sections(data, header, dictionary)
    }

    /// The index over `data`, given its header and its term dictionary:
    /// opens (and checks) the other sections.
    fn open_sections(data: &'a [u8], header: Header, dictionary: TermDictionary<'a>) -> Result<Self, FormatError> {
        let TermDictionary(fst) = dictionary;
        let terms = TermTable::open(data, &header)?;
        let PostingsBytes(postings) = PostingsBytes::open(data, &header)?;
        let marks = MarksTable::open(data, &header)?;
        let docs = DocTable::open(data, &header)?;
        let Checkpoints(checks) = Checkpoints::open(data, &header)?;
        let Strings(strings) = Strings::open(data, &header)?;
        let heavy = HeavyTable::open(data, &header)?;
        let lengths = LengthsTable::open(data, &header)?;
        let dfs = DfTable::open(data, &header)?;
        let ShardList { entries, heavy: bitmapped } = ShardList::open(data, &header)?;
        if header.layout == Layout::Split && bitmapped as usize != heavy.count() {
            return Err(FormatError::Section { section: Section::Shards });
        }
        let store = match header.layout {
            Layout::Embedded => Store::Embedded { postings, docs, checks, strings },
            Layout::Split => Store::Split(Shards {
                postings: entries.iter().take_while(|e| e.kind == ShardKind::Postings).count(),
                bitmaps: entries.iter().take_while(|e| e.kind != ShardKind::Bitmaps).count(),
                loaded: vec![None; entries.len()],
                entries,
                missing: RefCell::default(),
            }),
        };
        let Header { documents, terms: term_count, title_tokens, body_tokens, build_id, .. } = header;
        let (avg_title, avg_body) = crate::score::averages(documents, title_tokens, body_tokens);
        Ok(Index {
            fst,
            terms,
            marks,
            heavy,
            lengths,
            dfs,
            store,
            span: mean_span(documents, title_tokens, body_tokens),
            documents,
            term_count,
            avg_title,
            avg_body,
            size: data.len(),
            build_id,
        })
    }

    /// Where the postings and documents are: in the index, or in shards.
    pub fn layout(&self) -> Layout {
        match self.store {
            Store::Embedded { .. } => Layout::Embedded,
            Store::Split(_) => Layout::Split,
        }
    }

    /// The shard table of a split index (empty when embedded); a shard's
    /// number is its place in it.
    pub fn shards(&self) -> &[ShardEntry] {
        match &self.store {
            Store::Embedded { .. } => &[],
            Store::Split(shards) => &shards.entries,
        }
    }

    /// Whether shard `number` has been added.
    pub fn has_shard(&self, number: u32) -> bool {
        match &self.store {
            Store::Embedded { .. } => false,
            Store::Split(shards) => shards.loaded.get(number as usize).is_some_and(Option::is_some),
        }
    }

    /// Hands over the bytes of shard `number`, after checking them against
    /// the shard table (length and content hash) and their own header
    /// (magic, version, number, kind, build): bytes that do not match are
    /// refused, and the shard stays missing.
    ///
    /// ```
    /// use timkiem_core::{corpus::Document, write::{write_split, SplitOptions}, FormatError, Index};
    /// let docs = vec![Document { path: "a.txt".into(), title: "Hà Nội".into(), text: "thủ đô".into() }];
    /// let split = write_split(&docs, &SplitOptions::default())?;
    /// let mut index = Index::open(&split.index)?;
    /// assert!(index.add_shard(0, b"forged").is_err());
    /// for (n, shard) in split.shards.iter().enumerate() {
    ///     index.add_shard(n as u32, &shard.bytes)?;
    /// }
    /// assert_eq!(index.doc(0).map(|d| d.title), Some("Hà Nội"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_shard(&mut self, number: u32, bytes: &'a [u8]) -> Result<(), FormatError> {
        let build_id = self.build_id;
        let unknown = FormatError::Shard { number, reason: ShardMismatch::Unknown };
        let Store::Split(shards) = &mut self.store else { return Err(unknown) };
        let entry = shards.entries.get(number as usize).ok_or(unknown.clone())?;
        let data = verify(number, entry, build_id, self.documents, bytes)?;
        *shards.loaded.get_mut(number as usize).ok_or(unknown)? = Some(data);
        Ok(())
    }

    /// Checks `bytes` as shard `number` as [`Index::add_shard`] does,
    /// without keeping them.
    pub fn check_shard(&self, number: u32, bytes: &[u8]) -> Result<(), FormatError> {
        let unknown = FormatError::Shard { number, reason: ShardMismatch::Unknown };
        let entry = self.shards().get(number as usize).ok_or(unknown)?;
        verify(number, entry, self.build_id, self.documents, bytes).map(|_| ())
    }

    /// Whether reads needed shards they did not have since the last
    /// [`Index::take_missing`] (which it leaves as they are).
    pub fn missing_any(&self) -> bool {
        match &self.store {
            Store::Embedded { .. } => false,
            Store::Split(shards) => !shards.missing.borrow().is_empty(),
        }
    }

    /// The shards that reads needed and did not have since the last call,
    /// in order; and forgets them. Empty in the embedded layout.
    pub fn take_missing(&self) -> Vec<u32> {
        match &self.store {
            Store::Embedded { .. } => Vec::new(),
            Store::Split(shards) => std::mem::take(&mut *shards.missing.borrow_mut()).into_iter().collect(),
        }
    }

    /// The run of postings holding byte `at` of the postings (noting its
    /// shard as missing when it has not been added).
    fn run(&self, at: usize) -> Option<Run<'a>> {
        match &self.store {
            Store::Embedded { postings, .. } => Some(Run { bytes: postings, base: 0 }),
            Store::Split(shards) => match shards.get(shards.postings_at(at)?)? {
                ShardData::Postings { start, bytes } => Some(Run { bytes, base: start as usize }),
                ShardData::Docs { .. } | ShardData::Bitmaps { .. } => None,
            },
        }
    }

    /// Number of documents.
    pub fn documents(&self) -> u32 {
        self.documents
    }

    /// Number of terms in the dictionary.
    pub fn term_count(&self) -> u32 {
        self.term_count
    }

    /// Size of the index in bytes.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Mean title length in words.
    pub fn avg_title(&self) -> f32 {
        self.avg_title
    }

    /// Mean text length in words.
    pub fn avg_body(&self) -> f32 {
        self.avg_body
    }

    /// The term dictionary: folded term to term number.
    pub fn fst(&self) -> &fst::Map<&'a [u8]> {
        &self.fst
    }

    /// The number of `term`, if the index has it.
    pub fn lookup(&self, term: &str) -> Option<u32> {
        self.fst.get(term).and_then(|n| u32::try_from(n).ok())
    }

    /// Term numbers `lo..hi` of the terms starting with `prefix` (terms are
    /// numbered in byte order, so they are contiguous).
    pub fn prefix_range(&self, prefix: &str) -> (u32, u32) {
        use fst::{IntoStreamer, Streamer};
        let first_at_or_after = |key: &[u8]| -> u32 {
            let mut stream = self.fst.range().ge(key).into_stream();
            stream.next().map_or(self.term_count, |(_, v)| u32::try_from(v).unwrap_or(self.term_count))
        };
        let lo = first_at_or_after(prefix.as_bytes());
        let upper = upper_bound(prefix);
        let hi = if upper.is_empty() { self.term_count } else { first_at_or_after(&upper) };
        (lo.min(hi), hi)
    }

    /// The terms starting with `prefix`, in order: (term number, length in
    /// bytes, entry).
    pub fn with_prefix(&self, prefix: &str) -> Vec<(u32, u32, TermInfo)> {
        use fst::{IntoStreamer, Streamer};
        let upper = upper_bound(prefix);
        let range = self.fst.range().ge(prefix);
        let mut stream = if upper.is_empty() { range } else { range.lt(&upper) }.into_stream();
        let mut out = Vec::new();
        let mut next: Option<TermInfo> = None;
        let mut expect = 0;
        while let Some((key, n)) = stream.next() {
            let Ok(n) = u32::try_from(n) else { break };
            // Terms are numbered in key order: walk the entries alongside.
            let info = if next.is_some() && n == expect { next } else { self.term(n) };
            // A term whose shard is missing is skipped (and its shard noted):
            // the walk goes on, so that one pass names every shard needed.
            let Some(info) = info else { continue };
            out.push((n, key.len() as u32, info));
            next = self.entry(info.end);
            expect = n.saturating_add(1);
        }
        out
    }

    /// The entry of term `n`: found from the nearest block start in TERMS.
    pub fn term(&self, n: u32) -> Option<TermInfo> {
        if n >= self.term_count {
            return None;
        }
        let mut at = self.terms.block_start(n / TERM_BLOCK)?;
        for _ in 0..n % TERM_BLOCK {
            at = self.entry(at)?.end;
        }
        self.entry(at)
    }

    /// The entry at byte `at` of POSTINGS.
    fn entry(&self, at: usize) -> Option<TermInfo> {
        let run = self.run(at)?;
        let bytes = run.bytes;
        let mut pos = at.checked_sub(run.base)?;
        let df = get_varint(bytes, &mut pos)?;
        let variants = pos;
        let head = get_varint(bytes, &mut pos)?;
        let variant_count = if head & 1 == 0 { 1 } else { head >> 1 };
        if head & 1 == 1 {
            for _ in 0..variant_count {
                get_varint(bytes, &mut pos)?;
            }
            let v = get_varint(bytes, &mut pos)? as usize;
            pos = pos.checked_add(v)?;
        }
        let p = get_varint(bytes, &mut pos)? as usize;
        let end = pos.checked_add(p)?;
        let base = run.base;
        (end <= bytes.len()).then_some(TermInfo {
            variants: base + variants,
            variant_count,
            postings: base + pos,
            end: base + end,
            df,
        })
    }

    /// Number of documents containing term `n` (0 if out of range); read
    /// from the index itself, so in both layouts without any shard.
    pub fn df(&self, n: u32) -> u32 {
        self.dfs.get(n).unwrap_or(0)
    }

    /// The postings shard holding term `n`'s entry (`None` when embedded).
    pub fn shard_of_term(&self, n: u32) -> Option<u32> {
        let Store::Split(shards) = &self.store else { return None };
        let postings = shards.entries.get(..shards.postings)?;
        let i = postings.partition_point(|e| e.first <= n).checked_sub(1)?;
        (n < postings.get(i)?.end).then(|| u32::try_from(i).ok()).flatten()
    }

    /// The postings of term `n`.
    pub fn postings(&self, n: u32) -> Postings<'a> {
        self.postings_of(self.term(n))
    }

    /// The postings of a term's entry.
    pub fn postings_of(&self, info: Option<TermInfo>) -> Postings<'a> {
        let none = Postings { bits: BitReader::new(&[], 0), base_bits: 0, span: self.span, left: 0, doc: None };
        let Some(info) = info else { return none };
        let Some(run) = self.run(info.postings) else { return none };
        let Some(bytes) = run.slice(run.base, info.end) else { return none };
        let start = (info.postings - run.base).saturating_mul(8);
        Postings { bits: BitReader::new(bytes, start), base_bits: run.base.saturating_mul(8), left: info.df, ..none }
    }

    /// The positions of a posting, in increasing order.
    pub fn positions(&self, posting: &Posting) -> Positions<'a> {
        let at = posting.positions_at as usize;
        let k = u32::from(posting.k);
        match self.run(at / 8) {
            Some(run) => {
                Positions { bits: BitReader::new(run.bytes, at - run.base * 8), left: posting.tf(), k, next: 0 }
            }
            None => Positions { bits: BitReader::new(&[], 0), left: 0, k, next: 0 },
        }
    }

    /// The Rice parameter of the positions of a word occurring `tf` times in
    /// a document.
    pub fn rice_k(&self, tf: u32) -> u8 {
        rice_k(self.span, tf) as u8
    }

    /// The spelling variants of term `n`.
    pub fn variants(&self, n: u32) -> Variants<'a> {
        self.variants_of(self.term(n))
    }

    /// The spelling variants of a term's entry.
    pub fn variants_of(&self, info: Option<TermInfo>) -> Variants<'a> {
        let none = Variants { marks: MarksTable::default(), bytes: &[], pos: 0, bits: None, single: true, left: 0 };
        let Some(info) = info else { return none };
        let Some(run) = self.run(info.variants) else { return none };
        let Some(bytes) = run.slice(run.base, info.postings) else { return none };
        let start = info.variants - run.base;
        let mut pos = start;
        let Some(head) = get_varint(bytes, &mut pos) else { return none };
        if head & 1 == 0 {
            // The one variant's marks number is the head itself.
            return Variants { pos: start, left: 1, bytes, marks: self.marks, ..none };
        }
        let ids = pos;
        for _ in 0..info.variant_count {
            if get_varint(bytes, &mut pos).is_none() {
                return none;
            }
        }
        if get_varint(bytes, &mut pos).is_none() {
            return none;
        }
        let bits = Some(BitReader::new(bytes, pos.saturating_mul(8)));
        Variants { pos: ids, left: info.variant_count, bytes, bits, single: false, marks: self.marks }
    }

    /// The bitmap and best list of a heavy prefix (one whose words are too
    /// common to expand per keystroke), if `prefix` is one.
    pub fn heavy(&self, prefix: &str) -> Option<Heavy<'a>> {
        let bytes = prefix.as_bytes();
        if bytes.is_empty() || bytes.len() > HeavyRecord::KEY_LEN {
            return None;
        }
        let mut key = [0u8; HeavyRecord::KEY_LEN];
        key.get_mut(..bytes.len())?.copy_from_slice(bytes);
        let (record, r) = self.heavy.find(&key)?;
        let top_at = self.heavy.layout.top_at();
        Some(Heavy {
            documents: get_u32(r, HeavyRecord::DOCUMENTS)?,
            top_len: get_u32(r, HeavyRecord::TOP_LEN)?.min(HeavyRecord::TOP as u32),
            record: u32::try_from(record).ok()?,
            bitmap: r.get(HeavyRecord::BITMAP..top_at)?,
            top: r.get(top_at..)?,
        })
    }

    /// The bitmap of a heavy prefix: which documents have a word starting
    /// with it. In the split layout, `None` (and its shard noted missing)
    /// until its bitmap shard is added; a prefix typed alone is answered
    /// from its best list, without it.
    pub fn heavy_bitmap(&self, heavy: &Heavy<'a>) -> Option<Bitmap<'a>> {
        match &self.store {
            Store::Embedded { .. } => Some(Bitmap(heavy.bitmap)),
            Store::Split(shards) => match shards.get(shards.bitmap_of(heavy.record)?)? {
                ShardData::Bitmaps { first, bytes } => {
                    let len = HeavyRecord::bitmap_bytes(self.documents);
                    let at = (heavy.record.checked_sub(first)? as usize).checked_mul(len)?;
                    Some(Bitmap(bytes.get(at..at.checked_add(len)?)?))
                }
                ShardData::Postings { .. } | ShardData::Docs { .. } => None,
            },
        }
    }

    /// Title and body length in words of document `id` (cheap: no strings,
    /// and in the index itself in both layouts).
    #[inline]
    pub fn doc_lengths(&self, id: u32) -> Option<(u32, u32)> {
        self.lengths.get(id)
    }

    /// Document `id`: its title, path, text and checkpoints. In the split
    /// layout, `None` (and its shard noted missing) until its docs shard is
    /// added.
    pub fn doc(&self, id: u32) -> Option<DocInfo<'a>> {
        let (docs, local, checks, strings) = match &self.store {
            Store::Embedded { docs, checks, strings, .. } => (*docs, id, *checks, *strings),
            Store::Split(shards) => match shards.get(shards.docs_of(id)?)? {
                ShardData::Docs { first, records, checks, strings } => {
                    (DocTable::of_shard(records), id.checked_sub(first)?, checks, strings)
                }
                ShardData::Postings { .. } | ShardData::Bitmaps { .. } => return None,
            },
        };
        let record = docs.record(local)?;
        let string = |span: StrSpan| std::str::from_utf8(span.get(strings)?).ok();
        let checks_at = (record.checks as usize).checked_mul(4)?;
        let checks_len = (record.body_tokens.div_ceil(CHECKPOINT_EVERY) as usize).checked_mul(4)?;
        Some(DocInfo {
            id,
            title: string(record.title)?,
            path: string(record.path)?,
            text: record.text.get(strings)?,
            title_tokens: record.title_tokens,
            body_tokens: record.body_tokens,
            checks: checks.get(checks_at..checks_at.checked_add(checks_len)?).unwrap_or(&[]),
        })
    }
}

/// Iterator over a term's postings.
pub struct Postings<'a> {
    bits: BitReader<'a>,
    /// Where the bits read start in the postings, in bits (the start of a
    /// shard's run in the split layout).
    base_bits: usize,
    /// The mean document span, which the Rice parameters are fitted to.
    span: u32,
    left: u32,
    doc: Option<u32>,
}

impl Iterator for Postings<'_> {
    type Item = Posting;

    #[inline]
    fn next(&mut self) -> Option<Posting> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let b = &mut self.bits;
        let doc = b.doc(self.doc)?;
        self.doc = Some(doc);
        let tf = b.gamma()?;
        let title_tf = if b.bits(1)? == 1 { b.gamma()?.min(tf) } else { 0 };
        let k = rice_k(self.span, tf);
        let skip = if tf > SKIP_TF { Some(b.gamma()? as usize - 1) } else { None };
        let positions_at = u32::try_from(self.base_bits.checked_add(b.pos())?).ok()?;
        match skip {
            Some(bits) => b.skip(bits)?,
            None => {
                for _ in 0..tf {
                    b.rice(k)?;
                }
            }
        }
        Some(Posting { doc, title_tf, body_tf: tf - title_tf, positions_at, k: k as u8 })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.left as usize))
    }
}

/// Iterator over a posting's word positions.
pub struct Positions<'a> {
    bits: BitReader<'a>,
    left: u32,
    k: u32,
    /// The smallest the next position can be.
    next: u32,
}

impl Iterator for Positions<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let p = self.next.checked_add(self.bits.rice(self.k)?)?;
        self.next = p.checked_add(1)?;
        Some(p)
    }
}

/// One spelling variant of a term: its marks, and the documents using it
/// (`None` when it is the term's only variant, so every document does).
pub struct Variant<'a> {
    /// The marks this spelling puts on the folded term.
    pub marks: &'a [u8],
    /// The documents using this spelling; `None` when it is the only one.
    pub docs: Option<VariantDocs<'a>>,
}

/// Iterator over a term's variants.
pub struct Variants<'a> {
    marks: MarksTable<'a>,
    bytes: &'a [u8],
    /// Where the next marks number is in `bytes`.
    pos: usize,
    /// The documents of the next variant, when there are several and they
    /// are wanted.
    bits: Option<BitReader<'a>>,
    /// Whether the term has one variant (which the marks number says).
    single: bool,
    left: u32,
}

impl<'a> Variants<'a> {
    /// Only the variants' marks: cheaper, as no document list is read.
    pub fn marks_only(mut self) -> impl Iterator<Item = &'a [u8]> {
        self.bits = None;
        self.map(|v| v.marks)
    }
}

impl<'a> Iterator for Variants<'a> {
    type Item = Variant<'a>;

    fn next(&mut self) -> Option<Variant<'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let id = get_varint(self.bytes, &mut self.pos)?;
        let marks = self.marks.get(if self.single { id >> 1 } else { id })?;
        let Some(bits) = &mut self.bits else {
            return Some(Variant { marks, docs: None });
        };
        let count = bits.gamma()?;
        let docs = VariantDocs { bits: bits.clone(), left: count, doc: None };
        // Skip over this variant's documents to the next variant.
        for _ in 0..count {
            bits.gamma()?;
        }
        Some(Variant { marks, docs: Some(docs) })
    }
}

/// Iterator over the documents of one variant.
#[derive(Clone)]
pub struct VariantDocs<'a> {
    bits: BitReader<'a>,
    left: u32,
    doc: Option<u32>,
}

impl Iterator for VariantDocs<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let doc = self.bits.doc(self.doc)?;
        self.doc = Some(doc);
        Some(doc)
    }
}

/// A heavy prefix: how many documents have a word starting with it, and the
/// best of them for the prefix typed alone. Which documents those are is
/// its [`Bitmap`] ([`Index::heavy_bitmap`]).
#[derive(Debug, Clone, Copy)]
pub struct Heavy<'a> {
    /// Number of documents with a word starting with the prefix.
    pub documents: u32,
    /// Entries in the best list.
    pub top_len: u32,
    /// Its place in [`Section::Heavy`].
    record: u32,
    /// Its bitmap in the embedded layout (empty in the split layout).
    bitmap: &'a [u8],
    top: &'a [u8],
}

/// The documents having a word with a heavy prefix: a bit each.
#[derive(Debug, Clone, Copy)]
pub struct Bitmap<'a>(&'a [u8]);

impl<'a> Bitmap<'a> {
    /// Whether document `doc` has a word with the prefix.
    pub fn contains(&self, doc: u32) -> bool {
        self.0.get(doc as usize / 8).is_some_and(|b| b & (1 << (doc % 8)) != 0)
    }

    /// The documents, in order.
    pub fn docs(&self) -> impl Iterator<Item = u32> + 'a {
        self.0.iter().enumerate().flat_map(|(i, &byte)| {
            (0..8u32).filter(move |bit| byte & (1 << bit) != 0).map(move |bit| i as u32 * 8 + bit)
        })
    }
}

impl<'a> Heavy<'a> {
    /// The best documents: (document, score, positions offset, tf), best first.
    pub fn top(&self) -> impl Iterator<Item = (u32, f32, u32, u32)> + 'a {
        self.top
            .chunks_exact(HeavyRecord::TOP_ENTRY)
            .take(self.top_len as usize)
            .filter_map(|e| Some((get_u32(e, 0)?, f32::from_bits(get_u32(e, 4)?), get_u32(e, 8)?, get_u32(e, 12)?)))
    }
}
