//! The index format: its sections, the header, the records, the load error.
//!
//! Shared by the writer (`build.rs`) and the reader ([`crate::Index`]).
//! All integers are little-endian. An index is a header, then its sections
//! (named by [`Section`]) in this order:
//!
//! ```text
//! header   magic "TIMKIEM\0", version u32, total length u32,
//!          documents u32, terms u32, title tokens u32, body tokens u32,
//!          FNV-1a-64 hash of the fst section u64, layout u32 (0 embedded,
//!          1 split), 4 bytes of padding, build id u64,
//!          then a section table: per section, offset u32, length u32
//! fst      fst::Map: folded term -> term number (terms in byte order)
//! terms    the byte offset in postings of every TERM_BLOCK-th term, u32 each
//! postings per term, in term order, an entry:
//!            varint documents,
//!            its variants: for one, varint (marks number << 1); for more,
//!              varint (count << 1 | 1), count × varint marks number,
//!              varint V, and V bytes of a bit stream: per variant
//!              γ(documents), then per document γ(doc-id gap), the first
//!              gap counted from -1,
//!            varint P, then P bytes of a bit stream: per document
//!              containing the term, in
//!              document order: γ(doc-id gap, the first from -1), γ(tf),
//!              a bit "in the title", [γ(title tf)], [γ(bits of the
//!              positions + 1) when tf > SKIP_TF], then the tf positions as
//!              Rice(k) codes of their gaps minus one (title words count
//!              from 0, body words from title length + 1; k is
//!              rice_k(mean_span, tf))
//! marks    the distinct marks of the variants, most used first: count u32,
//!            (count + 1) offsets u32 into the bytes that follow, the bytes
//! docs     per document: title, path and text as (offset u32, length u32)
//!            into strings, title tokens u32, body tokens u32, checkpoints
//!            offset u32 (into checks)
//! checks   per document: the byte offset in its text of every
//!            CHECKPOINT_EVERY-th body token, u32 each
//! strings  UTF-8 text
//! heavy    prefixes whose words are too common to expand per keystroke:
//!            count u32, then per prefix (sorted by key): key [u8; 8]
//!            (zero-padded), documents u32, best-list length u32, a bitmap
//!            of the documents having a word with that prefix
//!            (ceil(documents / 8) bytes; none in the split layout, where
//!            the bitmaps are in bitmap shards), then HEAVY_TOP ×
//!            (document u32, score f32, positions bit offset u32, tf u32),
//!            best first
//! lengths  per document title tokens u8, then per document body tokens
//!            u16 (255 or 65535: the document's lengths are in the
//!            overflow), then the overflow: count u32, per document that
//!            needs it (in order) document u32, title u32, body u32
//! dfs      per TERM_BLOCK terms, a u32 offset into the varints that
//!            follow; then per term, varint documents
//! shards   the split layout's shard table (see [`shards`]); empty when
//!            embedded
//! ```
//!
//! In the split layout, `postings`, `docs`, `checks` and `strings` are empty,
//! and the heavy prefixes' records have no bitmap: those bytes are in shard
//! files, which [`shards`] describes. Offsets into
//! the postings (the term table's, the heavy best lists') are the same in
//! both layouts: a postings shard is a run of the postings section.
//!
//! The bit codes (γ, Rice) are described in [`codes`]. Positions are the
//! bulk of an index, and Rice codes with k fitted to the document's length
//! and the term's frequency in it take about log2(length / tf) + 1.5 bits
//! per position, against 8 or 16 for a varint.
//!
//! Each section's layout is named once: the header's fields in [`Header`],
//! the document records in [`DocRecord`], the heavy-prefix records in
//! [`HeavyRecord`]. Each section has one validator (its `from_bytes` in
//! `sections.rs`, run by [`crate::Index::open`] in [`Section::ALL`] order)
//! and one writer (`crate::write`). Adding a section is one [`Section`]
//! variant, which the compiler then asks to be named and written; its
//! reader is one more `SectionReader` that `Index::open` lists; the header
//! grows by one table entry on its own (bump [`VERSION`]).

use std::fmt;
use std::ops::Range;

pub mod codes;
pub(crate) mod sections;
pub mod shards;

pub use codes::{get_u32, get_u64, get_varint, put_u32, put_varint, BitReader, BitWriter};
pub(crate) use sections::{
    Checkpoints, DfTable, DocTable, HeavyTable, LengthsTable, MarksTable, PostingsBytes, ShardList, Strings,
    TermDictionary, TermTable,
};
pub use shards::{Layout, ShardEntry, ShardHeader, ShardKind};

/// The first bytes of every index.
pub const MAGIC: &[u8; 8] = b"TIMKIEM\0";
/// The format version that this code writes and reads.
pub const VERSION: u32 = 4;

/// TERMS keeps the offset of every this many terms; the terms in between
/// are reached by skipping entries.
pub const TERM_BLOCK: u32 = 16;
/// Postings with more positions than this say how many bits their positions
/// take, so that reading postings without positions can jump over them.
pub const SKIP_TF: u32 = 4;
/// A checkpoint is kept for every this many body tokens of a document.
pub const CHECKPOINT_EVERY: u32 = 32;

/// A section of an index, in the order the sections are laid out and listed
/// in the header's section table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    /// The term dictionary, an `fst::Map` from folded term to term number.
    Fst,
    /// Where every [`TERM_BLOCK`]-th term's entry starts in [`Section::Postings`].
    Terms,
    /// Each term's entry: document count, spelling variants, postings.
    Postings,
    /// The distinct marks of the spelling variants.
    Marks,
    /// One [`DocRecord`] per document.
    Docs,
    /// Per document, the text offset of every [`CHECKPOINT_EVERY`]-th body token.
    Checks,
    /// Titles, paths and texts, UTF-8.
    Strings,
    /// The heavy prefixes' bitmaps and best lists ([`HeavyRecord`]s).
    Heavy,
    /// Per document, its title and body length in words (u32 each): what
    /// ranking needs of a document, kept apart from the document store.
    Lengths,
    /// Per term, its document count: a varint per term, after a u32 offset
    /// per [`TERM_BLOCK`] terms into them.
    Dfs,
    /// The split layout's shard table ([`ShardEntry`]s); empty when embedded.
    Shards,
}

impl Section {
    /// Every section, in layout order (the order of the section table).
    pub const ALL: [Section; 11] = [
        Section::Fst,
        Section::Terms,
        Section::Postings,
        Section::Marks,
        Section::Docs,
        Section::Checks,
        Section::Strings,
        Section::Heavy,
        Section::Lengths,
        Section::Dfs,
        Section::Shards,
    ];
    /// The number of sections.
    pub const COUNT: usize = Section::ALL.len();

    /// The section's short name, as in reports, file names and errors.
    ///
    /// ```
    /// use timkiem_core::format::Section;
    /// let names: Vec<&str> = Section::ALL.iter().map(|s| s.name()).collect();
    /// assert_eq!(
    ///     names,
    ///     ["fst", "terms", "postings", "marks", "docs", "checks", "strings", "heavy", "lengths", "dfs", "shards"]
    /// );
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Section::Fst => "fst",
            Section::Terms => "terms",
            Section::Postings => "postings",
            Section::Marks => "marks",
            Section::Docs => "docs",
            Section::Checks => "checks",
            Section::Strings => "strings",
            Section::Heavy => "heavy",
            Section::Lengths => "lengths",
            Section::Dfs => "dfs",
            Section::Shards => "shards",
        }
    }

    /// What the section holds, in a few words.
    pub const fn describe(self) -> &'static str {
        match self {
            Section::Fst => "term dictionary",
            Section::Terms => "term table",
            Section::Postings => "postings",
            Section::Marks => "spelling marks",
            Section::Docs => "document table",
            Section::Checks => "snippet checkpoints",
            Section::Strings => "titles, paths and texts",
            Section::Heavy => "heavy prefixes",
            Section::Lengths => "document lengths",
            Section::Dfs => "document counts",
            Section::Shards => "shard table",
        }
    }

    /// The section's place in [`Section::ALL`] and in the section table.
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where each section lies in the index: a byte range per [`Section`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SectionTable {
    ranges: [Range<usize>; Section::COUNT],
}

impl SectionTable {
    /// Bytes of one entry: offset u32, length u32.
    pub const ENTRY_LEN: usize = 8;

    /// Sections of these lengths laid out one after the other, from the end
    /// of the header on (as the writer lays them out).
    pub fn consecutive(lens: [usize; Section::COUNT]) -> SectionTable {
        let mut at = Header::LEN;
        SectionTable {
            ranges: lens.map(|len| {
                let range = at..at.saturating_add(len);
                at = range.end;
                range
            }),
        }
    }

    /// The byte range of `section`.
    pub fn range(&self, section: Section) -> Range<usize> {
        self.ranges.get(section.index()).cloned().unwrap_or_default()
    }

    /// The bytes of `section` in `data` (empty if they are not there, which
    /// [`Header::from_bytes`] rules out for the data it read).
    pub fn slice<'a>(&self, data: &'a [u8], section: Section) -> &'a [u8] {
        data.get(self.range(section)).unwrap_or(&[])
    }

    /// Where the entry of `section` is in the header.
    pub const fn entry_at(section: Section) -> usize {
        Header::SECTION_TABLE + section.index() * Self::ENTRY_LEN
    }
}

/// The header of an index: what it holds and where its sections lie.
///
/// Every field's offset is named here, once, and read by
/// [`Header::from_bytes`] and written by [`Header::write_to`].
///
/// ```
/// use timkiem_core::format::{Header, Section};
/// let docs = vec![timkiem_core::corpus::Document {
///     path: "a.txt".into(), title: "Hà Nội".into(), text: "thủ đô".into(),
/// }];
/// let (bytes, _) = timkiem_core::write::write_index(&docs)?;
/// let header = Header::from_bytes(&bytes)?;
/// assert_eq!((header.documents, header.terms), (1, 4));
/// assert_eq!(header.sections.range(Section::Fst).start, Header::LEN);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header {
    /// The length of the whole index, in bytes.
    pub total_len: u32,
    /// Number of documents.
    pub documents: u32,
    /// Number of terms in the dictionary.
    pub terms: u32,
    /// Words in all the titles.
    pub title_tokens: u32,
    /// Words in all the texts.
    pub body_tokens: u32,
    /// FNV-1a-64 of the [`Section::Fst`] bytes (see [`fnv1a`]).
    pub fst_hash: u64,
    /// Where the postings and the document store are: in the index, or in
    /// shard files.
    pub layout: Layout,
    /// Identifies the build: every shard of a split index carries it.
    pub build_id: u64,
    /// Where each section lies.
    pub sections: SectionTable,
}

impl Header {
    /// Where the magic number is (8 bytes).
    pub const MAGIC: usize = 0;
    /// Where the version is (u32).
    pub const VERSION: usize = 8;
    /// Where the total length is (u32).
    pub const TOTAL_LEN: usize = 12;
    /// Where the number of documents is (u32).
    pub const DOCUMENTS: usize = 16;
    /// Where the number of terms is (u32).
    pub const TERMS: usize = 20;
    /// Where the number of title words is (u32).
    pub const TITLE_TOKENS: usize = 24;
    /// Where the number of body words is (u32).
    pub const BODY_TOKENS: usize = 28;
    /// Where the hash of the term dictionary is (u64).
    pub const FST_HASH: usize = 32;
    /// Where the layout is (u32, [`Layout::code`]).
    pub const LAYOUT: usize = 40;
    /// Where the build id is (u64, after 4 bytes of padding).
    pub const BUILD_ID: usize = 48;
    /// Where the section table starts: one (offset u32, length u32) per
    /// section, in [`Section::ALL`] order.
    pub const SECTION_TABLE: usize = 56;
    /// The length of the header; the first section starts here.
    pub const LEN: usize = Self::SECTION_TABLE + Section::COUNT * SectionTable::ENTRY_LEN;

    /// Reads and checks the header of `data`: magic number, version, total
    /// length against `data`'s, and every section within `data` after the
    /// header. (The sections' contents are each checked by their reader.)
    pub fn from_bytes(data: &[u8]) -> Result<Header, FormatError> {
        if data.get(Self::MAGIC..Self::MAGIC + MAGIC.len()) != Some(&MAGIC[..]) {
            return Err(FormatError::Magic);
        }
        let short = FormatError::Truncated { expected: Self::LEN, got: data.len() };
        let word = |at: usize| get_u32(data, at).ok_or(short.clone());
        let version = word(Self::VERSION)?;
        if version != VERSION {
            return Err(FormatError::Version { expected: VERSION, got: version });
        }
        let total_len = word(Self::TOTAL_LEN)?;
        if data.len() < Self::LEN || data.len() != total_len as usize {
            return Err(FormatError::Truncated { expected: (total_len as usize).max(Self::LEN), got: data.len() });
        }
        Ok(Header {
            total_len,
            documents: word(Self::DOCUMENTS)?,
            terms: word(Self::TERMS)?,
            title_tokens: word(Self::TITLE_TOKENS)?,
            body_tokens: word(Self::BODY_TOKENS)?,
            fst_hash: get_u64(data, Self::FST_HASH).ok_or(short.clone())?,
            layout: Layout::from_code(word(Self::LAYOUT)?).ok_or(FormatError::Layout)?,
            build_id: get_u64(data, Self::BUILD_ID).ok_or(short)?,
            sections: Self::section_table(data)?,
        })
    }

    /// The section table of `data`, every range checked to lie after the
    /// header and within `data`.
    fn section_table(data: &[u8]) -> Result<SectionTable, FormatError> {
        let mut table = SectionTable::default();
        for (section, range) in Section::ALL.into_iter().zip(&mut table.ranges) {
            let bad = FormatError::Section { section };
            let at = SectionTable::entry_at(section);
            let offset = get_u32(data, at).ok_or(bad.clone())? as usize;
            let len = get_u32(data, at + 4).ok_or(bad.clone())? as usize;
            let end = offset.checked_add(len).ok_or(bad.clone())?;
            if offset < Self::LEN || end > data.len() {
                return Err(bad);
            }
            *range = offset..end;
        }
        Ok(table)
    }

    /// The header's [`Header::LEN`] bytes. `None` when a section's offset or
    /// length does not fit in a u32.
    pub fn write_to(&self, out: &mut Vec<u8>) -> Option<()> {
        let mut bytes = [0u8; Self::LEN];
        bytes.get_mut(Self::MAGIC..Self::MAGIC + MAGIC.len())?.copy_from_slice(MAGIC);
        let words = [
            (Self::VERSION, VERSION),
            (Self::TOTAL_LEN, self.total_len),
            (Self::DOCUMENTS, self.documents),
            (Self::TERMS, self.terms),
            (Self::TITLE_TOKENS, self.title_tokens),
            (Self::BODY_TOKENS, self.body_tokens),
            (Self::FST_HASH, self.fst_hash as u32),
            (Self::FST_HASH + 4, (self.fst_hash >> 32) as u32),
            (Self::LAYOUT, self.layout.code()),
            (Self::BUILD_ID, self.build_id as u32),
            (Self::BUILD_ID + 4, (self.build_id >> 32) as u32),
        ];
        for (at, v) in words {
            put_u32(&mut bytes, at, v).then_some(())?;
        }
        for section in Section::ALL {
            let range = self.sections.range(section);
            let at = SectionTable::entry_at(section);
            put_u32(&mut bytes, at, u32::try_from(range.start).ok()?).then_some(())?;
            put_u32(&mut bytes, at + 4, u32::try_from(range.len()).ok()?).then_some(())?;
        }
        out.extend_from_slice(&bytes);
        Some(())
    }
}

/// A span of [`Section::Strings`]: offset u32, length u32.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StrSpan {
    /// Byte offset in the strings.
    pub offset: u32,
    /// Length in bytes.
    pub len: u32,
}

impl StrSpan {
    fn read(record: &[u8], at: usize) -> Option<StrSpan> {
        Some(StrSpan { offset: get_u32(record, at)?, len: get_u32(record, at.checked_add(4)?)? })
    }

    /// The bytes of the span in `strings`.
    pub fn get<'a>(&self, strings: &'a [u8]) -> Option<&'a [u8]> {
        let start = self.offset as usize;
        strings.get(start..start.checked_add(self.len as usize)?)
    }
}

/// One document's record in [`Section::Docs`], [`DocRecord::LEN`] bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DocRecord {
    /// The title in [`Section::Strings`].
    pub title: StrSpan,
    /// The path in [`Section::Strings`].
    pub path: StrSpan,
    /// The text in [`Section::Strings`].
    pub text: StrSpan,
    /// Words in the title.
    pub title_tokens: u32,
    /// Words in the text.
    pub body_tokens: u32,
    /// The index of the document's first checkpoint in [`Section::Checks`]
    /// (in u32s).
    pub checks: u32,
}

impl DocRecord {
    /// Where the title's span is.
    pub const TITLE: usize = 0;
    /// Where the path's span is.
    pub const PATH: usize = 8;
    /// Where the text's span is.
    pub const TEXT: usize = 16;
    /// Where the number of title words is (u32).
    pub const TITLE_TOKENS: usize = 24;
    /// Where the number of body words is (u32).
    pub const BODY_TOKENS: usize = 28;
    /// Where the first checkpoint's index is (u32).
    pub const CHECKS: usize = 32;
    /// Bytes of a record.
    pub const LEN: usize = 36;

    /// Reads a record from its [`DocRecord::LEN`] bytes.
    pub fn from_bytes(record: &[u8]) -> Option<DocRecord> {
        Some(DocRecord {
            title: StrSpan::read(record, Self::TITLE)?,
            path: StrSpan::read(record, Self::PATH)?,
            text: StrSpan::read(record, Self::TEXT)?,
            title_tokens: get_u32(record, Self::TITLE_TOKENS)?,
            body_tokens: get_u32(record, Self::BODY_TOKENS)?,
            checks: get_u32(record, Self::CHECKS)?,
        })
    }

    /// Appends the record's [`DocRecord::LEN`] bytes.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let mut bytes = [0u8; Self::LEN];
        let words = [
            (Self::TITLE, self.title.offset),
            (Self::TITLE + 4, self.title.len),
            (Self::PATH, self.path.offset),
            (Self::PATH + 4, self.path.len),
            (Self::TEXT, self.text.offset),
            (Self::TEXT + 4, self.text.len),
            (Self::TITLE_TOKENS, self.title_tokens),
            (Self::BODY_TOKENS, self.body_tokens),
            (Self::CHECKS, self.checks),
        ];
        for (at, v) in words {
            put_u32(&mut bytes, at, v);
        }
        out.extend_from_slice(&bytes);
    }
}

/// The layout of one heavy prefix's record in [`Section::Heavy`], which
/// depends on the number of documents (the bitmap has a bit for each) and
/// the layout (in the split layout the bitmap is in a bitmap shard: what a
/// prefix typed alone needs, its best list, stays in the index).
///
/// A record is the key (the prefix, zero-padded), the number of documents
/// having a word with that prefix, the best list's length, the bitmap, then
/// [`HeavyRecord::TOP`] entries of [`HeavyRecord::TOP_ENTRY`] bytes:
/// document, score (f32 bits), positions bit offset, tf; best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeavyRecord {
    /// Bytes of the bitmap in the record: one bit per document, or none.
    pub bitmap_len: usize,
}

impl HeavyRecord {
    /// Where the key is ([`HeavyRecord::KEY_LEN`] bytes).
    pub const KEY: usize = 0;
    /// Bytes of the key: the longest heavy prefix.
    pub const KEY_LEN: usize = crate::score::HEAVY_MAX_BYTES;
    /// Where the number of documents is (u32).
    pub const DOCUMENTS: usize = 8;
    /// Where the best list's length is (u32).
    pub const TOP_LEN: usize = 12;
    /// Where the bitmap is.
    pub const BITMAP: usize = 16;
    /// Entries in the best list (unused ones are zero).
    pub const TOP: usize = crate::score::HEAVY_TOP;
    /// Bytes of a best-list entry.
    pub const TOP_ENTRY: usize = 16;
    /// Bytes before the records: their count, u32.
    pub const COUNT_LEN: usize = 4;

    /// The layout for an index of `documents` documents in `layout`.
    pub fn new(documents: u32, layout: Layout) -> HeavyRecord {
        let bitmap_len = match layout {
            Layout::Embedded => Self::bitmap_bytes(documents),
            Layout::Split => 0,
        };
        HeavyRecord { bitmap_len }
    }

    /// Bytes of a bitmap of `documents` documents (in a record, or in a
    /// bitmap shard).
    pub fn bitmap_bytes(documents: u32) -> usize {
        (documents as usize).div_ceil(8)
    }

    /// Where the best list starts.
    pub fn top_at(&self) -> usize {
        Self::BITMAP + self.bitmap_len
    }

    /// Bytes of a record.
    pub fn record_len(&self) -> usize {
        self.top_at() + Self::TOP * Self::TOP_ENTRY
    }
}

/// Why bytes could not be opened as an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The bytes do not start with the timkiem magic number.
    Magic,
    /// The index was written by another version of timkiem.
    Version {
        /// The version this code reads.
        expected: u32,
        /// The version of the index.
        got: u32,
    },
    /// The header promises more bytes than there are.
    Truncated {
        /// Bytes the header says the index has.
        expected: usize,
        /// Bytes there are.
        got: usize,
    },
    /// A section lies outside the index or does not fit its records.
    Section {
        /// Which one.
        section: Section,
    },
    /// The term dictionary is not a valid fst.
    Fst(String),
    /// The term dictionary does not match the hash in the header.
    Checksum,
    /// The header names no known layout.
    Layout,
    /// Bytes given as a shard are not the shard the index expects.
    Shard {
        /// The shard's number.
        number: u32,
        /// What does not match.
        reason: ShardMismatch,
    },
}

/// How bytes given as a shard differ from what the index's shard table says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardMismatch {
    /// The index has no shard of that number (or is not split).
    Unknown,
    /// The length differs.
    Length,
    /// The content hash differs.
    Hash,
    /// The shard's header is not a timkiem shard header of this version.
    Header,
    /// The shard belongs to another build of the index.
    Build,
    /// The shard's header names another shard.
    Number,
    /// The shard's contents are misshapen.
    Contents,
}

impl ShardMismatch {
    fn describe(self) -> &'static str {
        match self {
            ShardMismatch::Unknown => "the index has no such shard",
            ShardMismatch::Length => "its length differs from the shard table's",
            ShardMismatch::Hash => "its content hash differs from the shard table's",
            ShardMismatch::Header => "it has no timkiem shard header of this version",
            ShardMismatch::Build => "it belongs to another build of the index",
            ShardMismatch::Number => "its header names another shard",
            ShardMismatch::Contents => "its contents are misshapen",
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Magic => write!(f, "not a timkiem index (bad magic number)"),
            FormatError::Version { expected, got } => {
                write!(f, "index format version {got}, but this timkiem reads version {expected}: rebuild the index")
            }
            FormatError::Truncated { expected, got } => {
                write!(f, "index is truncated: {got} bytes of {expected}")
            }
            FormatError::Section { section } => {
                write!(f, "index section {section} ({}) is out of bounds or misshapen", section.describe())
            }
            FormatError::Fst(e) => write!(f, "index term dictionary is corrupt: {e}"),
            FormatError::Checksum => write!(f, "index term dictionary fails its checksum: the index is corrupt"),
            FormatError::Layout => write!(f, "index header names an unknown layout: rebuild the index"),
            FormatError::Shard { number, reason } => {
                write!(f, "shard {number} refused: {} (stale cache or wrong files?)", reason.describe())
            }
        }
    }
}

impl std::error::Error for FormatError {}

/// FNV-1a, 64 bits: the checksum of the term dictionary. (The fst crate's own
/// CRC32C check carries 16 KB of tables, more than the rest of the format.)
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
    }
    h
}

/// The mean number of positions in a document (title, gap, body): the
/// Rice parameters are fitted to it, so that reading postings needs no
/// document lengths.
pub fn mean_span(documents: u32, title_tokens: u32, body_tokens: u32) -> u32 {
    let total = u64::from(title_tokens) + u64::from(body_tokens) + u64::from(documents);
    u32::try_from(total / u64::from(documents.max(1))).unwrap_or(u32::MAX)
}

/// The Rice parameter of the positions of a word occurring `tf` times in a
/// document of `span` positions: about log2 of the mean gap, times ln 2.
#[inline]
pub fn rice_k(span: u32, tf: u32) -> u32 {
    let mean = (u64::from(span) * 11 / 16) / u64::from(tf.max(1));
    (63 - mean.max(1).leading_zeros()).min(24)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_listed_in_layout_order_with_distinct_names() {
        for (i, s) in Section::ALL.iter().enumerate() {
            assert_eq!(s.index(), i);
            assert_eq!(s.to_string(), s.name());
        }
        let mut names: Vec<&str> = Section::ALL.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Section::COUNT);
    }

    #[test]
    fn header_round_trips_and_is_checked() {
        let sections = SectionTable::consecutive([3, 0, 5, 8, 36, 0, 2, 4, 8, 5, 0]);
        let total = sections.range(Section::Shards).end;
        let header = Header {
            total_len: total as u32,
            documents: 1,
            terms: 7,
            title_tokens: 2,
            body_tokens: 9,
            fst_hash: 0x0123_4567_89AB_CDEF,
            layout: Layout::Split,
            build_id: 0xFEDC_BA98_7654_3210,
            sections,
        };
        let mut bytes = Vec::new();
        header.write_to(&mut bytes).unwrap();
        assert_eq!(bytes.len(), Header::LEN);
        assert_eq!(Header::LEN, 144); // format version 3
        bytes.resize(total, 0);
        assert_eq!(Header::from_bytes(&bytes), Ok(header.clone()));
        assert_eq!(get_u32(&bytes, Header::DOCUMENTS), Some(1));
        assert_eq!(get_u64(&bytes, Header::FST_HASH), Some(0x0123_4567_89AB_CDEF));
        // A section past the end, or overlapping the header, names itself.
        let mut past = bytes.clone();
        put_u32(&mut past, SectionTable::entry_at(Section::Docs) + 4, 1000);
        assert_eq!(Header::from_bytes(&past), Err(FormatError::Section { section: Section::Docs }));
        let mut inside = bytes.clone();
        put_u32(&mut inside, SectionTable::entry_at(Section::Marks), Header::LEN as u32 - 1);
        assert_eq!(Header::from_bytes(&inside), Err(FormatError::Section { section: Section::Marks }));
        bytes.push(0);
        assert_eq!(Header::from_bytes(&bytes), Err(FormatError::Truncated { expected: total, got: total + 1 }));
    }

    #[test]
    fn doc_record_round_trips_at_its_named_offsets() {
        let record = DocRecord {
            title: StrSpan { offset: 1, len: 2 },
            path: StrSpan { offset: 3, len: 4 },
            text: StrSpan { offset: 5, len: 6 },
            title_tokens: 7,
            body_tokens: 8,
            checks: 9,
        };
        let mut bytes = Vec::new();
        record.write_to(&mut bytes);
        assert_eq!(bytes.len(), DocRecord::LEN);
        let words: Vec<u32> = (0..9).map(|i| get_u32(&bytes, 4 * i).unwrap()).collect();
        assert_eq!(words, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(DocRecord::from_bytes(&bytes), Some(record));
        assert_eq!(DocRecord::from_bytes(&bytes[..DocRecord::LEN - 1]), None);
    }

    #[test]
    fn errors_name_the_section() {
        let e = FormatError::Section { section: Section::Docs }.to_string();
        assert!(e.contains("docs") && e.contains("document table"), "{e}");
    }

    #[test]
    fn rice_k_fits_the_mean_gap() {
        assert_eq!(rice_k(0, 0), 0);
        assert_eq!(rice_k(1, 1), 0);
        assert_eq!(rice_k(1000, 1), 9); // mean gap 687 -> 2^9
        assert_eq!(rice_k(1000, 100), 2);
        assert_eq!(rice_k(u32::MAX, 1), 24);
    }
}
