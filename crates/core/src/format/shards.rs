//! The split layout: postings and the document store in shard files.
//!
//! A split index keeps in itself what every query needs (the term
//! dictionary, the term table, document counts and lengths, the marks, the
//! heavy prefixes) and a shard table ([`Section::Shards`]): per shard, a
//! [`ShardEntry`] with its kind, what it covers, its length and its content
//! hash. Each shard file is a [`ShardHeader`] then its payload:
//!
//! ```text
//! postings shard  the bytes of Section::Postings from entry.start on
//!                 (whole term entries: its terms are entry.first..entry.end,
//!                 whole TERM_BLOCKs but maybe the last)
//! docs shard      per document entry.first..entry.end a DocRecord whose
//!                 spans and checkpoint index point into this shard, then
//!                 the checkpoints (header.checks_len bytes), then the strings
//! ```
//!
//! [`crate::Index::add_shard`] checks a shard's length and hash against its
//! entry, then its header (magic, version, kind, number, build id) and shape,
//! before any of it is read: bytes from another build, truncated or altered
//! bytes are refused with [`FormatError::Shard`].

use super::{fnv1a, get_u32, get_u64, put_u32, DocRecord, FormatError, Section, ShardMismatch};

/// Where an index keeps its postings and document store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Everything in the index (compiled into the wasm).
    #[default]
    Embedded,
    /// Postings and documents in shard files, fetched as queries need them.
    Split,
}

impl Layout {
    /// The layout's number in the header.
    pub const fn code(self) -> u32 {
        match self {
            Layout::Embedded => 0,
            Layout::Split => 1,
        }
    }

    /// The layout numbered `code`.
    pub const fn from_code(code: u32) -> Option<Layout> {
        match code {
            0 => Some(Layout::Embedded),
            1 => Some(Layout::Split),
            _ => None,
        }
    }

    /// `"embedded"` or `"split"`, as `stats().layout` and `TIMKIEM_LAYOUT` say it.
    pub const fn name(self) -> &'static str {
        match self {
            Layout::Embedded => "embedded",
            Layout::Split => "split",
        }
    }
}

/// What a shard holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ShardKind {
    /// The postings of a range of terms.
    Postings,
    /// Titles, paths, texts and checkpoints of a range of documents.
    Docs,
}

impl ShardKind {
    /// The kind's number in shard headers and the shard table.
    pub const fn code(self) -> u32 {
        match self {
            ShardKind::Postings => 0,
            ShardKind::Docs => 1,
        }
    }

    /// The kind numbered `code`.
    pub const fn from_code(code: u32) -> Option<ShardKind> {
        match code {
            0 => Some(ShardKind::Postings),
            1 => Some(ShardKind::Docs),
            _ => None,
        }
    }

    /// The first letter of its files' names: `p` or `d`.
    pub const fn letter(self) -> char {
        match self {
            ShardKind::Postings => 'p',
            ShardKind::Docs => 'd',
        }
    }
}

/// One shard in [`Section::Shards`], [`ShardEntry::LEN`] bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardEntry {
    /// What it holds.
    pub kind: ShardKind,
    /// The first term (postings) or document (docs) it covers.
    pub first: u32,
    /// One past the last term or document it covers.
    pub end: u32,
    /// For postings, where its payload starts in the postings (bytes).
    pub start: u32,
    /// The length of the whole file, header included.
    pub len: u32,
    /// [`fnv1a`] of the whole file.
    pub hash: u64,
}

impl ShardEntry {
    /// Where the kind is (u32).
    pub const KIND: usize = 0;
    /// Where the first term or document is (u32).
    pub const FIRST: usize = 4;
    /// Where the end is (u32).
    pub const END: usize = 8;
    /// Where the payload's start in the postings is (u32).
    pub const START: usize = 12;
    /// Where the file's length is (u32).
    pub const FILE_LEN: usize = 16;
    /// Where the hash is (u64, after 4 bytes of padding).
    pub const HASH: usize = 24;
    /// Bytes of an entry.
    pub const LEN: usize = 32;
    /// Bytes before the entries: their count, u32.
    pub const COUNT_LEN: usize = 4;

    /// Reads an entry from its [`ShardEntry::LEN`] bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<ShardEntry> {
        Some(ShardEntry {
            kind: ShardKind::from_code(get_u32(bytes, Self::KIND)?)?,
            first: get_u32(bytes, Self::FIRST)?,
            end: get_u32(bytes, Self::END)?,
            start: get_u32(bytes, Self::START)?,
            len: get_u32(bytes, Self::FILE_LEN)?,
            hash: get_u64(bytes, Self::HASH)?,
        })
    }

    /// Appends the entry's [`ShardEntry::LEN`] bytes.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let mut bytes = [0u8; Self::LEN];
        let words = [
            (Self::KIND, self.kind.code()),
            (Self::FIRST, self.first),
            (Self::END, self.end),
            (Self::START, self.start),
            (Self::FILE_LEN, self.len),
            (Self::HASH, self.hash as u32),
            (Self::HASH + 4, (self.hash >> 32) as u32),
        ];
        for (at, v) in words {
            put_u32(&mut bytes, at, v);
        }
        out.extend_from_slice(&bytes);
    }

    /// The payload's length: the file's less its header.
    pub fn payload_len(&self) -> u32 {
        self.len.saturating_sub(ShardHeader::LEN as u32)
    }

    /// The shard's file name, relative to the shard folder: the kind's
    /// letter and the content hash, so that a name is never reused for other
    /// bytes and files can be cached forever (`p-0123456789abcdef.bin`).
    pub fn file_name(&self) -> String {
        format!("{}-{:016x}.bin", self.kind.letter(), self.hash)
    }
}

/// The header of a shard file, [`ShardHeader::LEN`] bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardHeader {
    /// What it holds.
    pub kind: ShardKind,
    /// Its number in the shard table.
    pub number: u32,
    /// The first term or document it covers.
    pub first: u32,
    /// One past the last.
    pub end: u32,
    /// For docs, the bytes of checkpoints after the records.
    pub checks_len: u32,
    /// The build of the index it belongs to ([`super::Header::build_id`]).
    pub build_id: u64,
}

impl ShardHeader {
    /// Where the magic number is.
    pub const MAGIC: usize = 0;
    /// The magic number of a shard file.
    pub const MAGIC_BYTES: &'static [u8; 8] = b"TKSHARD\0";
    /// Where the format version is (u32, [`super::VERSION`]).
    pub const VERSION: usize = 8;
    /// Where the kind is (u32).
    pub const KIND: usize = 12;
    /// Where the shard's number is (u32).
    pub const NUMBER: usize = 16;
    /// Where the first term or document is (u32).
    pub const FIRST: usize = 20;
    /// Where the end is (u32).
    pub const END: usize = 24;
    /// Where the length of the checkpoints is (u32).
    pub const CHECKS_LEN: usize = 28;
    /// Where the build id is (u64).
    pub const BUILD_ID: usize = 32;
    /// Bytes of the header; the payload starts here.
    pub const LEN: usize = 40;

    /// Reads a shard's header: `None` unless it has the magic number and
    /// this format's version.
    pub fn from_bytes(bytes: &[u8]) -> Option<ShardHeader> {
        if bytes.get(Self::MAGIC..Self::MAGIC + 8) != Some(&Self::MAGIC_BYTES[..])
            || get_u32(bytes, Self::VERSION)? != super::VERSION
        {
            return None;
        }
        Some(ShardHeader {
            kind: ShardKind::from_code(get_u32(bytes, Self::KIND)?)?,
            number: get_u32(bytes, Self::NUMBER)?,
            first: get_u32(bytes, Self::FIRST)?,
            end: get_u32(bytes, Self::END)?,
            checks_len: get_u32(bytes, Self::CHECKS_LEN)?,
            build_id: get_u64(bytes, Self::BUILD_ID)?,
        })
    }

    /// Appends the header's [`ShardHeader::LEN`] bytes.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        let mut bytes = [0u8; Self::LEN];
        if let Some(magic) = bytes.get_mut(..8) {
            magic.copy_from_slice(Self::MAGIC_BYTES);
        }
        let words = [
            (Self::VERSION, super::VERSION),
            (Self::KIND, self.kind.code()),
            (Self::NUMBER, self.number),
            (Self::FIRST, self.first),
            (Self::END, self.end),
            (Self::CHECKS_LEN, self.checks_len),
            (Self::BUILD_ID, self.build_id as u32),
            (Self::BUILD_ID + 4, (self.build_id >> 32) as u32),
        ];
        for (at, v) in words {
            put_u32(&mut bytes, at, v);
        }
        out.extend_from_slice(&bytes);
    }
}

/// A verified shard's contents.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ShardData<'a> {
    /// A run of whole term entries of the postings, from byte `start` of the
    /// postings on.
    Postings { start: u32, bytes: &'a [u8] },
    /// The document store of documents `first..`.
    Docs { first: u32, records: &'a [u8], checks: &'a [u8], strings: &'a [u8] },
}

/// Checks `bytes` as shard `number`, whose entry in the shard table is
/// `entry`, of the index built as `build_id`: length, hash, header, shape.
pub(crate) fn verify<'a>(
    number: u32,
    entry: &ShardEntry,
    build_id: u64,
    bytes: &'a [u8],
) -> Result<ShardData<'a>, FormatError> {
    let refuse = |reason| FormatError::Shard { number, reason };
    if bytes.len() != entry.len as usize {
        return Err(refuse(ShardMismatch::Length));
    }
    if fnv1a(bytes) != entry.hash {
        return Err(refuse(ShardMismatch::Hash));
    }
    let header = ShardHeader::from_bytes(bytes).ok_or(refuse(ShardMismatch::Header))?;
    if header.build_id != build_id {
        return Err(refuse(ShardMismatch::Build));
    }
    if header.number != number || header.kind != entry.kind || header.first != entry.first || header.end != entry.end {
        return Err(refuse(ShardMismatch::Number));
    }
    let payload = bytes.get(ShardHeader::LEN..).ok_or(refuse(ShardMismatch::Contents))?;
    match entry.kind {
        ShardKind::Postings => Ok(ShardData::Postings { start: entry.start, bytes: payload }),
        ShardKind::Docs => {
            let docs = entry.end.checked_sub(entry.first).ok_or(refuse(ShardMismatch::Contents))?;
            let records_len = (docs as usize).checked_mul(DocRecord::LEN).ok_or(refuse(ShardMismatch::Contents))?;
            let checks_end =
                records_len.checked_add(header.checks_len as usize).ok_or(refuse(ShardMismatch::Contents))?;
            let (Some(records), Some(checks), Some(strings)) =
                (payload.get(..records_len), payload.get(records_len..checks_end), payload.get(checks_end..))
            else {
                return Err(refuse(ShardMismatch::Contents));
            };
            Ok(ShardData::Docs { first: entry.first, records, checks, strings })
        }
    }
}

/// The shard table's section: count u32, then that many [`ShardEntry`]s —
/// postings shards in term order, then docs shards in document order.
pub(crate) fn check_table(bytes: &[u8]) -> Option<Vec<ShardEntry>> {
    let count = get_u32(bytes, 0)? as usize;
    let entries = bytes.get(ShardEntry::COUNT_LEN..)?;
    if Some(entries.len()) != count.checked_mul(ShardEntry::LEN) {
        return None;
    }
    entries.chunks_exact(ShardEntry::LEN).map(ShardEntry::from_bytes).collect()
}

/// Makes sure `entries` tile `terms` terms and `documents` documents with
/// postings shards, then docs shards, each covering a non-empty range that
/// starts where the previous one of its kind ended, and postings payloads
/// that follow one another from byte 0. Gives where the postings end.
pub(crate) fn check_tiling(entries: &[ShardEntry], terms: u32, documents: u32) -> Result<u32, FormatError> {
    let bad = FormatError::Section { section: Section::Shards };
    let split = entries.iter().take_while(|e| e.kind == ShardKind::Postings).count();
    let (postings, docs) = entries.split_at(split);
    let mut next = (0u32, 0u32);
    for e in postings {
        if e.first != next.0 || e.end <= e.first || e.start != next.1 || (e.len as usize) < ShardHeader::LEN {
            return Err(bad);
        }
        next = (e.end, e.start.checked_add(e.payload_len()).ok_or(bad.clone())?);
    }
    if next.0 != terms || (terms > 0 && postings.is_empty()) {
        return Err(bad);
    }
    let mut next_doc = 0u32;
    for e in docs {
        if e.kind != ShardKind::Docs || e.first != next_doc || e.end <= e.first || (e.len as usize) < ShardHeader::LEN {
            return Err(bad);
        }
        next_doc = e.end;
    }
    if next_doc != documents {
        return Err(bad);
    }
    Ok(next.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_entry_round_trip() {
        let header = ShardHeader {
            kind: ShardKind::Docs,
            number: 7,
            first: 10,
            end: 20,
            checks_len: 44,
            build_id: u64::MAX - 3,
        };
        let mut bytes = Vec::new();
        header.write_to(&mut bytes);
        assert_eq!(bytes.len(), ShardHeader::LEN);
        assert_eq!(ShardHeader::from_bytes(&bytes), Some(header));
        bytes[ShardHeader::VERSION] ^= 1;
        assert_eq!(ShardHeader::from_bytes(&bytes), None);
        let entry = ShardEntry { kind: ShardKind::Postings, first: 1, end: 2, start: 3, len: 4, hash: 0xAB_CDEF };
        let mut bytes = Vec::new();
        entry.write_to(&mut bytes);
        assert_eq!(bytes.len(), ShardEntry::LEN);
        assert_eq!(ShardEntry::from_bytes(&bytes), Some(entry));
        assert_eq!(entry.file_name(), "p-0000000000abcdef.bin");
    }

    #[test]
    fn tiling_must_cover_terms_then_documents_in_order() {
        let len = ShardHeader::LEN as u32;
        let p = |first, end, start, payload| ShardEntry {
            kind: ShardKind::Postings,
            first,
            end,
            start,
            len: len + payload,
            hash: 0,
        };
        let d = |first, end| ShardEntry { kind: ShardKind::Docs, first, end, start: 0, len, hash: 0 };
        let good = [p(0, 16, 0, 100), p(16, 20, 100, 5), d(0, 3), d(3, 4)];
        assert_eq!(check_tiling(&good, 20, 4), Ok(105));
        assert!(check_tiling(&good, 21, 4).is_err());
        assert!(check_tiling(&good, 20, 5).is_err());
        let gap = [p(0, 16, 0, 100), p(16, 20, 101, 5), d(0, 4)];
        assert!(check_tiling(&gap, 20, 4).is_err());
        let mixed = [p(0, 16, 0, 100), d(0, 4), p(16, 20, 100, 5)];
        assert!(check_tiling(&mixed, 20, 4).is_err());
    }
}
