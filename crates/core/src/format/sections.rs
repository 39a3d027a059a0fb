//! One reader per section: each `from_bytes` checks its own section's shape
//! against the header, once, when the index is opened; then every read is
//! still bounds-checked, so corrupt bytes that pass give wrong answers or
//! `None`, never a panic.
//!
//! [`crate::Index::open`] runs them in [`Section::ALL`] order.

use super::{fnv1a, get_u32, DocRecord, FormatError, Header, HeavyRecord, Section, TERM_BLOCK};

/// A section's reader: borrows the section's bytes after checking them.
pub(crate) trait SectionReader<'a>: Sized {
    /// The section it reads.
    const SECTION: Section;

    /// Checks `bytes`, the section's part of an index with this `header`.
    fn from_bytes(bytes: &'a [u8], header: &Header) -> Result<Self, FormatError>;

    /// Reads the section out of `data`, the index that `header` was read from.
    fn open(data: &'a [u8], header: &Header) -> Result<Self, FormatError> {
        Self::from_bytes(header.sections.slice(data, Self::SECTION), header)
    }

    /// The error for a misshapen section.
    fn misshapen() -> FormatError {
        FormatError::Section { section: Self::SECTION }
    }
}

/// [`Section::Fst`]: the term dictionary.
pub(crate) struct TermDictionary<'a>(pub(crate) fst::Map<&'a [u8]>);

impl<'a> SectionReader<'a> for TermDictionary<'a> {
    const SECTION: Section = Section::Fst;

    /// Checks the hash in the header, then the whole structure of the fst:
    /// the fst crate panics on bad bytes; the checksum stops accidents, the
    /// structural check forgeries. (It runs before `Map::new`, which panics
    /// on a huge root address or length on 32-bit wasm.) Values are term
    /// numbers; a term has at most `MAX_TERM_CHARS` characters of at most 4
    /// bytes.
    fn from_bytes(bytes: &'a [u8], header: &Header) -> Result<Self, FormatError> {
        if fnv1a(bytes) != header.fst_hash {
            return Err(FormatError::Checksum);
        }
        let terms = header.terms;
        let max_term_bytes = crate::text::MAX_TERM_CHARS * 4;
        crate::fst_check::validate(bytes, terms as usize, u64::from(terms.saturating_sub(1)), max_term_bytes)
            .map_err(|e| FormatError::Fst(e.into()))?;
        let fst = fst::Map::new(bytes).map_err(|e| FormatError::Fst(e.to_string()))?;
        if fst.len() != terms as usize {
            return Err(FormatError::Fst(format!("{} terms, header says {terms}", fst.len())));
        }
        Ok(TermDictionary(fst))
    }
}

impl<'a> TermDictionary<'a> {
    /// The term dictionary of an index whose bytes [`from_bytes`] has
    /// already accepted, in full, before they were embedded: only the fst's
    /// footer and its number of terms are read again. The checksum and the
    /// structural walk, both linear in the dictionary's size, are skipped.
    /// See [`crate::Index::open_verified`] for when that holds.
    ///
    /// [`from_bytes`]: SectionReader::from_bytes
    pub(crate) fn open_verified(data: &'a [u8], header: &Header) -> Result<Self, FormatError> {
        let bytes = header.sections.slice(data, Self::SECTION);
        let fst = fst::Map::new(bytes).map_err(|e| FormatError::Fst(e.to_string()))?;
        if fst.len() != header.terms as usize {
            return Err(FormatError::Fst(format!("{} terms, header says {}", fst.len(), header.terms)));
        }
        Ok(TermDictionary(fst))
    }
}

/// [`Section::Terms`]: where every [`TERM_BLOCK`]-th term's entry starts.
#[derive(Clone, Copy)]
pub(crate) struct TermTable<'a>(&'a [u8]);

impl<'a> SectionReader<'a> for TermTable<'a> {
    const SECTION: Section = Section::Terms;

    fn from_bytes(bytes: &'a [u8], header: &Header) -> Result<Self, FormatError> {
        let expected = (header.terms.div_ceil(TERM_BLOCK) as usize).checked_mul(4);
        (Some(bytes.len()) == expected).then_some(TermTable(bytes)).ok_or_else(Self::misshapen)
    }
}

impl TermTable<'_> {
    /// Where the entry of the first term of `block` starts in the postings.
    #[inline]
    pub(crate) fn block_start(&self, block: u32) -> Option<usize> {
        get_u32(self.0, (block as usize).checked_mul(4)?).map(|at| at as usize)
    }
}

/// The most bytes of postings an index can have: bit offsets are u32s.
pub(crate) const MAX_POSTINGS: usize = (u32::MAX / 8) as usize;

/// [`Section::Postings`]: the terms' entries, read by bit offsets in u32s.
#[derive(Clone, Copy)]
pub(crate) struct PostingsBytes<'a>(pub(crate) &'a [u8]);

impl<'a> SectionReader<'a> for PostingsBytes<'a> {
    const SECTION: Section = Section::Postings;

    /// Bit offsets into the postings are u32s (`Posting::positions_at`).
    /// In the split layout the postings are in shards, and this is empty.
    fn from_bytes(bytes: &'a [u8], header: &Header) -> Result<Self, FormatError> {
        let fits = match header.layout {
            super::Layout::Embedded => bytes.len() <= MAX_POSTINGS,
            super::Layout::Split => bytes.is_empty(),
        };
        fits.then_some(PostingsBytes(bytes)).ok_or_else(Self::misshapen)
    }
}

/// [`Section::Marks`]: count u32, (count + 1) offsets u32 into the bytes
/// that follow, the bytes.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MarksTable<'a> {
    bytes: &'a [u8],
    count: u32,
}

impl<'a> SectionReader<'a> for MarksTable<'a> {
    const SECTION: Section = Section::Marks;

    fn from_bytes(bytes: &'a [u8], _: &Header) -> Result<Self, FormatError> {
        let count = get_u32(bytes, 0).ok_or_else(Self::misshapen)?;
        let table = (count as usize).checked_add(2).and_then(|n| n.checked_mul(4));
        if table.is_none_or(|n| n > bytes.len()) {
            return Err(Self::misshapen());
        }
        Ok(MarksTable { bytes, count })
    }
}

impl<'a> MarksTable<'a> {
    /// The marks numbered `id`.
    pub(crate) fn get(&self, id: u32) -> Option<&'a [u8]> {
        if id >= self.count {
            return None;
        }
        let data = 4 + 4 * (self.count as usize + 1);
        let start = get_u32(self.bytes, 4 + 4 * id as usize)? as usize;
        let end = get_u32(self.bytes, 8 + 4 * id as usize)? as usize;
        self.bytes.get(data.checked_add(start)?..data.checked_add(end)?)
    }
}

/// [`Section::Docs`]: one [`DocRecord`] per document.
#[derive(Clone, Copy)]
pub(crate) struct DocTable<'a>(&'a [u8]);

impl<'a> SectionReader<'a> for DocTable<'a> {
    const SECTION: Section = Section::Docs;

    /// In the split layout the records are in the docs shards, each with
    /// its own table, and this section is empty.
    fn from_bytes(bytes: &'a [u8], header: &Header) -> Result<Self, FormatError> {
        let expected = match header.layout {
            super::Layout::Embedded => (header.documents as usize).checked_mul(DocRecord::LEN),
            super::Layout::Split => Some(0),
        };
        (Some(bytes.len()) == expected).then_some(DocTable(bytes)).ok_or_else(Self::misshapen)
    }
}

impl<'a> DocTable<'a> {
    /// The records of a docs shard.
    pub(crate) fn of_shard(records: &'a [u8]) -> Self {
        DocTable(records)
    }
}

impl DocTable<'_> {
    /// The record of document `id`.
    pub(crate) fn record(&self, id: u32) -> Option<DocRecord> {
        let at = (id as usize).checked_mul(DocRecord::LEN)?;
        DocRecord::from_bytes(self.0.get(at..at.checked_add(DocRecord::LEN)?)?)
    }
}

/// [`Section::Checks`]: the documents' checkpoints, u32 each; a document's
/// record says where its own start. Any length is well formed.
#[derive(Clone, Copy)]
pub(crate) struct Checkpoints<'a>(pub(crate) &'a [u8]);

impl<'a> SectionReader<'a> for Checkpoints<'a> {
    const SECTION: Section = Section::Checks;

    /// Empty in the split layout (the docs shards have them).
    fn from_bytes(bytes: &'a [u8], header: &Header) -> Result<Self, FormatError> {
        (header.layout == super::Layout::Embedded || bytes.is_empty())
            .then_some(Checkpoints(bytes))
            .ok_or_else(Self::misshapen)
    }
}

/// [`Section::Strings`]: titles, paths and texts, which records point into.
/// Any bytes are well formed: each string's UTF-8 is checked when it is read.
#[derive(Clone, Copy)]
pub(crate) struct Strings<'a>(pub(crate) &'a [u8]);

impl<'a> SectionReader<'a> for Strings<'a> {
    const SECTION: Section = Section::Strings;

    /// Empty in the split layout (the docs shards have them).
    fn from_bytes(bytes: &'a [u8], header: &Header) -> Result<Self, FormatError> {
        (header.layout == super::Layout::Embedded || bytes.is_empty())
            .then_some(Strings(bytes))
            .ok_or_else(Self::misshapen)
    }
}

/// [`Section::Heavy`]: count u32, then that many [`HeavyRecord`]s, sorted
/// by key.
#[derive(Clone, Copy)]
pub(crate) struct HeavyTable<'a> {
    records: &'a [u8],
    pub(crate) layout: HeavyRecord,
}

impl<'a> SectionReader<'a> for HeavyTable<'a> {
    const SECTION: Section = Section::Heavy;

    fn from_bytes(bytes: &'a [u8], header: &Header) -> Result<Self, FormatError> {
        let layout = HeavyRecord::new(header.documents, header.layout);
        let count = get_u32(bytes, 0).ok_or_else(Self::misshapen)? as usize;
        let records = bytes.get(HeavyRecord::COUNT_LEN..).ok_or_else(Self::misshapen)?;
        if Some(records.len()) != count.checked_mul(layout.record_len()) {
            return Err(Self::misshapen());
        }
        Ok(HeavyTable { records, layout })
    }
}

impl<'a> HeavyTable<'a> {
    /// Number of heavy prefixes.
    pub(crate) fn count(&self) -> usize {
        self.records.len() / self.layout.record_len().max(1)
    }

    /// The record whose key is `key` (a prefix, zero-padded), and its
    /// number: binary search.
    pub(crate) fn find(&self, key: &[u8; HeavyRecord::KEY_LEN]) -> Option<(usize, &'a [u8])> {
        let len = self.layout.record_len();
        let record = |i: usize| self.records.get(i.checked_mul(len)?..i.checked_add(1)?.checked_mul(len)?);
        let (mut lo, mut hi) = (0, self.count());
        while lo < hi {
            let mid = (lo + hi) / 2;
            let r = record(mid)?;
            match r.get(HeavyRecord::KEY..HeavyRecord::KEY + HeavyRecord::KEY_LEN)?.cmp(&key[..]) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some((mid, r)),
            }
        }
        None
    }
}

/// [`Section::Lengths`]: per document, its title's words as a u8, then per
/// document its body's words as a u16; a length that does not fit is
/// [`TITLE_ESCAPE`] or [`BODY_ESCAPE`] there, and both the document's lengths are in the
/// overflow that follows: count u32, then per such document, in order,
/// document u32, title words u32, body words u32.
#[derive(Clone, Copy)]
pub(crate) struct LengthsTable<'a> {
    titles: &'a [u8],
    bodies: &'a [u8],
    overflow: &'a [u8],
}

/// The title length that sends a document's lengths to the overflow.
pub(crate) const TITLE_ESCAPE: u8 = u8::MAX;
/// The body length that sends a document's lengths to the overflow.
pub(crate) const BODY_ESCAPE: u16 = u16::MAX;

/// Bytes of an overflow entry: document, title, body (u32 each).
pub(crate) const LENGTH_OVERFLOW: usize = 12;

impl<'a> SectionReader<'a> for LengthsTable<'a> {
    const SECTION: Section = Section::Lengths;

    fn from_bytes(bytes: &'a [u8], header: &Header) -> Result<Self, FormatError> {
        let n = header.documents as usize;
        let (titles, rest) = bytes.split_at_checked(n).ok_or_else(Self::misshapen)?;
        let (bodies, rest) =
            rest.split_at_checked(n.checked_mul(2).ok_or_else(Self::misshapen)?).ok_or_else(Self::misshapen)?;
        let count = get_u32(rest, 0).ok_or_else(Self::misshapen)? as usize;
        let overflow = rest.get(4..).ok_or_else(Self::misshapen)?;
        if Some(overflow.len()) != count.checked_mul(LENGTH_OVERFLOW) {
            return Err(Self::misshapen());
        }
        Ok(LengthsTable { titles, bodies, overflow })
    }
}

impl LengthsTable<'_> {
    /// Title and body length in words of document `id`.
    #[inline]
    pub(crate) fn get(&self, id: u32) -> Option<(u32, u32)> {
        let title = *self.titles.get(id as usize)?;
        let at = (id as usize).checked_mul(2)?;
        let body = u16::from_le_bytes([*self.bodies.get(at)?, *self.bodies.get(at.checked_add(1)?)?]);
        if title != TITLE_ESCAPE && body != BODY_ESCAPE {
            return Some((u32::from(title), u32::from(body)));
        }
        self.overflowed(id)
    }

    /// The lengths of document `id` in the overflow: binary search.
    fn overflowed(&self, id: u32) -> Option<(u32, u32)> {
        let (mut lo, mut hi) = (0, self.overflow.len() / LENGTH_OVERFLOW);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let at = mid * LENGTH_OVERFLOW;
            match get_u32(self.overflow, at)?.cmp(&id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    return Some((get_u32(self.overflow, at + 4)?, get_u32(self.overflow, at + 8)?))
                }
            }
        }
        None
    }
}

/// [`Section::Dfs`]: a u32 per [`TERM_BLOCK`] terms, the offset of the
/// block's first varint in the bytes after them; then a varint per term.
#[derive(Clone, Copy)]
pub(crate) struct DfTable<'a> {
    blocks: &'a [u8],
    varints: &'a [u8],
}

impl<'a> SectionReader<'a> for DfTable<'a> {
    const SECTION: Section = Section::Dfs;

    fn from_bytes(bytes: &'a [u8], header: &Header) -> Result<Self, FormatError> {
        let table = (header.terms.div_ceil(TERM_BLOCK) as usize).checked_mul(4).ok_or_else(Self::misshapen)?;
        let (Some(blocks), Some(varints)) = (bytes.get(..table), bytes.get(table..)) else {
            return Err(Self::misshapen());
        };
        Ok(DfTable { blocks, varints })
    }
}

impl DfTable<'_> {
    /// The document count of term `n` (bounds-checked; `None` past the end
    /// or on corrupt bytes).
    pub(crate) fn get(&self, n: u32) -> Option<u32> {
        let mut at = get_u32(self.blocks, (n / TERM_BLOCK) as usize * 4)? as usize;
        for _ in 0..n % TERM_BLOCK {
            super::get_varint(self.varints, &mut at)?;
        }
        super::get_varint(self.varints, &mut at)
    }
}

/// [`Section::Shards`]: the shard table, checked to tile the terms and the
/// documents (empty in the embedded layout).
pub(crate) struct ShardList {
    pub(crate) entries: Vec<super::ShardEntry>,
    /// The heavy prefixes whose bitmaps the bitmap shards hold (which
    /// [`crate::Index::open`] checks against [`Section::Heavy`]).
    pub(crate) heavy: u32,
}

impl<'a> SectionReader<'a> for ShardList {
    const SECTION: Section = Section::Shards;

    fn from_bytes(bytes: &'a [u8], header: &Header) -> Result<Self, FormatError> {
        match header.layout {
            super::Layout::Embedded if bytes.is_empty() => Ok(ShardList { entries: Vec::new(), heavy: 0 }),
            super::Layout::Embedded => Err(Self::misshapen()),
            super::Layout::Split => {
                let entries = super::shards::check_table(bytes).ok_or_else(Self::misshapen)?;
                let tiled = super::shards::check_tiling(&entries, header.terms, header.documents)?;
                if tiled.postings_end as usize > MAX_POSTINGS {
                    return Err(Self::misshapen());
                }
                Ok(ShardList { entries, heavy: tiled.heavy })
            }
        }
    }
}
