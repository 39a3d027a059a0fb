//! The split layout: postings and the document store in shard files.
//!
//! A split index keeps in itself what every query needs (the term
//! dictionary, the term table, document counts and lengths, the marks, the
//! heavy prefixes' counts and best lists) and a shard table ([`Section::Shards`]): per shard, a
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
//! bitmaps shard   per heavy prefix entry.first..entry.end (its place in
//!                 Section::Heavy, whose records have no bitmap in this
//!                 layout), its document bitmap, ceil(documents / 8) bytes
//! ```
//!
//! [`crate::Index::add_shard`] checks a shard's length and hash against its
//! entry, then its header (magic, version, kind, number, build id) and shape,
//! before any of it is read: bytes from another build, truncated or altered
//! bytes are refused with [`FormatError::Shard`].

use super::{fnv1a, get_u32, get_u64, get_varint, put_u32, put_varint, DocRecord, FormatError, Section, ShardMismatch};

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
    /// The document bitmaps of a range of heavy prefixes (by their place in
    /// [`Section::Heavy`]).
    Bitmaps,
}

impl ShardKind {
    /// The kind's number in shard headers and the shard table.
    pub const fn code(self) -> u32 {
        match self {
            ShardKind::Postings => 0,
            ShardKind::Docs => 1,
            ShardKind::Bitmaps => 2,
        }
    }

    /// The kind numbered `code`.
    pub const fn from_code(code: u32) -> Option<ShardKind> {
        match code {
            0 => Some(ShardKind::Postings),
            1 => Some(ShardKind::Docs),
            2 => Some(ShardKind::Bitmaps),
            _ => None,
        }
    }

    /// The first letter of its files' names: `p`, `d` or `b`.
    pub const fn letter(self) -> char {
        match self {
            ShardKind::Postings => 'p',
            ShardKind::Docs => 'd',
            ShardKind::Bitmaps => 'b',
        }
    }

    /// Every kind, in shard-table order.
    pub const ALL: [ShardKind; 3] = [ShardKind::Postings, ShardKind::Docs, ShardKind::Bitmaps];
}

/// One shard in [`Section::Shards`] (see [`write_table`] for how the table
/// stores it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardEntry {
    /// What it holds.
    pub kind: ShardKind,
    /// The first term (postings), document (docs) or heavy prefix
    /// (bitmaps) it covers.
    pub first: u32,
    /// One past the last one it covers.
    pub end: u32,
    /// For postings, where its payload starts in the postings (bytes).
    pub start: u32,
    /// The length of the whole file, header included.
    pub len: u32,
    /// [`fnv1a`] of the whole file.
    pub hash: u64,
}

impl ShardEntry {
    /// Bytes before the hashes: the count of shards, of postings shards and
    /// of docs shards, u32 each.
    pub const COUNTS_LEN: usize = 12;
    /// Bytes of a hash.
    pub const HASH_LEN: usize = 8;

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
    /// The bitmaps of heavy prefixes `first..`, one after the other.
    Bitmaps { first: u32, bytes: &'a [u8] },
}

/// Checks `bytes` as shard `number`, whose entry in the shard table is
/// `entry`, of the index of `documents` documents built as `build_id`:
/// length, hash, header, shape.
pub(crate) fn verify<'a>(
    number: u32,
    entry: &ShardEntry,
    build_id: u64,
    documents: u32,
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
        ShardKind::Bitmaps => {
            let prefixes = entry.end.checked_sub(entry.first).ok_or(refuse(ShardMismatch::Contents))?;
            let len = (prefixes as usize).checked_mul(super::HeavyRecord::bitmap_bytes(documents));
            if len != Some(payload.len()) {
                return Err(refuse(ShardMismatch::Contents));
            }
            Ok(ShardData::Bitmaps { first: entry.first, bytes: payload })
        }
    }
}

/// The shard table's section, [`Section::Shards`]: postings shards in term
/// order, then docs shards in document order, then bitmap shards in heavy
/// prefix order, as columns (the hashes, which do not compress, apart from
/// the small numbers, which do):
///
/// ```text
/// count u32, postings count u32, docs count u32,
/// count × hash u64                 (fnv1a of the whole file)
/// count × varint (end - first)     (first: where the previous shard of its
///                                   kind ended, 0 for the first)
/// count × varint len               (the whole file's, header included)
/// ```
///
/// A postings shard's `start` is where the previous one's payload ended (0
/// for the first); the others' is 0. `None` when `entries` are not in that
/// order, each starting where the previous one of its kind ended, or a
/// count does not fit in a u32.
pub fn write_table(entries: &[ShardEntry]) -> Option<Vec<u8>> {
    let counts = ShardKind::ALL.map(|k| entries.iter().filter(|e| e.kind == k).count());
    let mut out = Vec::with_capacity(ShardEntry::COUNTS_LEN + entries.len() * (ShardEntry::HASH_LEN + 4));
    for n in [entries.len(), counts[0], counts[1]] {
        out.extend_from_slice(&u32::try_from(n).ok()?.to_le_bytes());
    }
    for e in entries {
        out.extend_from_slice(&e.hash.to_le_bytes());
    }
    let mut tiling = Tiling::default();
    for (i, e) in entries.iter().enumerate() {
        if *e != tiling.next(kind_at(i, counts[0], counts[1]), e.end, e.len, e.hash)? {
            return None;
        }
        put_varint(&mut out, e.end.checked_sub(e.first)?);
    }
    for e in entries {
        put_varint(&mut out, e.len);
    }
    Some(out)
}

/// The kind of the `i`-th shard of a table with `postings` postings shards
/// then `docs` docs shards (then bitmap shards).
fn kind_at(i: usize, postings: usize, docs: usize) -> ShardKind {
    if i < postings {
        ShardKind::Postings
    } else if i - postings < docs {
        ShardKind::Docs
    } else {
        ShardKind::Bitmaps
    }
}

/// What the order of a shard table implies: where the next shard of each
/// kind starts, and where the next postings payload starts.
#[derive(Default)]
struct Tiling {
    next: [u32; 3],
    postings_at: u32,
}

impl Tiling {
    /// The next shard, of `kind`, ending at `end`, `len` bytes long.
    fn next(&mut self, kind: ShardKind, end: u32, len: u32, hash: u64) -> Option<ShardEntry> {
        let slot = self.next.get_mut(kind.code() as usize)?;
        let first = std::mem::replace(slot, end);
        let mut entry = ShardEntry { kind, first, end, start: 0, len, hash };
        if kind == ShardKind::Postings {
            entry.start = self.postings_at;
            self.postings_at = self.postings_at.checked_add(entry.payload_len())?;
        }
        Some(entry)
    }
}

/// Reads the shard table that [`write_table`] wrote: `None` unless `bytes`
/// are exactly one.
pub(crate) fn check_table(bytes: &[u8]) -> Option<Vec<ShardEntry>> {
    let count = get_u32(bytes, 0)? as usize;
    let postings = get_u32(bytes, 4)? as usize;
    let docs = get_u32(bytes, 8)? as usize;
    let hashes_end = count.checked_mul(ShardEntry::HASH_LEN)?.checked_add(ShardEntry::COUNTS_LEN)?;
    // Each shard has its hash and two varints of at least a byte.
    if postings.checked_add(docs)? > count || hashes_end.checked_add(count.checked_mul(2)?)? > bytes.len() {
        return None;
    }
    let mut ends = Vec::with_capacity(count);
    let mut at = hashes_end;
    for _ in 0..count {
        ends.push(get_varint(bytes, &mut at)?);
    }
    let mut tiling = Tiling::default();
    let mut entries = Vec::with_capacity(count);
    for (i, span) in ends.into_iter().enumerate() {
        let kind = kind_at(i, postings, docs);
        let first = *tiling.next.get(kind.code() as usize)?;
        let hash = get_u64(bytes, ShardEntry::COUNTS_LEN + i * ShardEntry::HASH_LEN)?;
        entries.push(tiling.next(kind, first.checked_add(span)?, get_varint(bytes, &mut at)?, hash)?);
    }
    (at == bytes.len()).then_some(entries)
}

/// `index` (a split index) with shard `number`'s length and hash in its
/// shard table replaced: for tools that forge shard files (tests, fuzzing).
/// `None` if `index` has no such shard or a readable header.
pub fn with_shard_entry(index: &[u8], number: usize, len: u32, hash: u64) -> Option<Vec<u8>> {
    let mut header = super::Header::from_bytes(index).ok()?;
    let range = header.sections.range(Section::Shards);
    let mut entries = check_table(index.get(range.clone())?)?;
    let entry = entries.get_mut(number)?;
    (entry.len, entry.hash) = (len, hash);
    let table = write_table(&entries)?;
    // The shard table is the last section: only its length, and the total,
    // change.
    let lens = Section::ALL.map(|s| if s == Section::Shards { table.len() } else { header.sections.range(s).len() });
    header.sections = super::SectionTable::consecutive(lens);
    let mut out = index.get(..range.start)?.to_vec();
    out.extend_from_slice(&table);
    header.total_len = u32::try_from(out.len()).ok()?;
    let mut head = Vec::new();
    header.write_to(&mut head)?;
    out.get_mut(..head.len())?.copy_from_slice(&head);
    Some(out)
}

/// How the shards of a table tile what they cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tiled {
    /// Where the postings end (bytes).
    pub(crate) postings_end: u32,
    /// The heavy prefixes whose bitmaps the bitmap shards hold.
    pub(crate) heavy: u32,
}

/// Makes sure `entries` are postings shards tiling `terms` terms, then docs
/// shards tiling `documents` documents, then bitmap shards, each covering a
/// non-empty range that starts where the previous one of its kind ended,
/// with postings payloads that follow one another from byte 0.
pub(crate) fn check_tiling(entries: &[ShardEntry], terms: u32, documents: u32) -> Result<Tiled, FormatError> {
    let bad = FormatError::Section { section: Section::Shards };
    let mut tiling = Tiling::default();
    let mut kind = ShardKind::Postings;
    for e in entries {
        let tiled = e.end > e.first && e.kind >= kind && (e.len as usize) >= ShardHeader::LEN;
        if !tiled || Some(*e) != tiling.next(e.kind, e.end, e.len, e.hash) {
            return Err(bad);
        }
        kind = e.kind;
    }
    let [postings, docs, heavy] = tiling.next;
    let no_postings = terms > 0 && !entries.iter().any(|e| e.kind == ShardKind::Postings);
    if postings != terms || docs != documents || no_postings {
        return Err(bad);
    }
    Ok(Tiled { postings_end: tiling.postings_at, heavy })
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
        assert_eq!(entry.file_name(), "p-0000000000abcdef.bin");
    }

    #[test]
    fn the_table_round_trips_and_refuses_what_it_cannot_be() {
        let len = ShardHeader::LEN as u32;
        let p = |first, end, start, payload, hash| ShardEntry {
            kind: ShardKind::Postings,
            first,
            end,
            start,
            len: len + payload,
            hash,
        };
        let d = |first, end, payload, hash| ShardEntry {
            kind: ShardKind::Docs,
            first,
            end,
            start: 0,
            len: len + payload,
            hash,
        };
        let b = |first, end, hash| ShardEntry { kind: ShardKind::Bitmaps, first, end, start: 0, len, hash };
        let entries =
            [p(0, 16, 0, 100, u64::MAX), p(16, 300, 100, 70_000, 7), d(0, 3, 5, 1 << 40), d(3, 4, 0, 0), b(0, 2, 9)];
        let table = write_table(&entries).unwrap();
        // Counts, hashes, then a varint span and a varint length per shard.
        assert_eq!(table.len(), 12 + 5 * 8 + (1 + 2 + 1 + 1 + 1) + (2 + 3 + 1 + 1 + 1));
        assert_eq!(get_u64(&table, 12 + 8), Some(7));
        assert_eq!(check_table(&table).as_deref(), Some(&entries[..]));
        assert_eq!(check_table(&write_table(&[]).unwrap()), Some(Vec::new()));
        // Not one table: a byte short or long, or a count too large.
        assert_eq!(check_table(&table[..table.len() - 1]), None);
        assert_eq!(check_table(&[&table[..], &[0]].concat()), None);
        let mut more = table.clone();
        more[0] = 6;
        assert_eq!(check_table(&more), None);
        for at in [4, 8] {
            let mut kinds = table.clone();
            kinds[at] = 6;
            assert_eq!(check_table(&kinds), None);
        }
        // What no table can say: kinds out of order, a gap, a postings
        // payload that does not follow the previous one.
        assert_eq!(write_table(&[entries[2], entries[0]]), None);
        assert_eq!(write_table(&[entries[0], entries[3]]), None);
        assert_eq!(write_table(&[entries[0], p(16, 300, 99, 70_000, 7)]), None);
        assert_eq!(write_table(&[entries[0], entries[4], entries[2]]), None);
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
        let b = |first, end| ShardEntry { kind: ShardKind::Bitmaps, first, end, start: 0, len, hash: 0 };
        let good = [p(0, 16, 0, 100), p(16, 20, 100, 5), d(0, 3), d(3, 4)];
        assert_eq!(check_tiling(&good, 20, 4), Ok(Tiled { postings_end: 105, heavy: 0 }));
        let bitmaps = [&good[..], &[b(0, 2), b(2, 3)]].concat();
        assert_eq!(check_tiling(&bitmaps, 20, 4), Ok(Tiled { postings_end: 105, heavy: 3 }));
        assert!(check_tiling(&[&good[..], &[b(0, 2), b(3, 4)]].concat(), 20, 4).is_err());
        assert!(check_tiling(&[&good[..2], &[b(0, 2)], &good[2..]].concat(), 20, 4).is_err());
        assert!(check_tiling(&good, 21, 4).is_err());
        assert!(check_tiling(&good, 20, 5).is_err());
        let gap = [p(0, 16, 0, 100), p(16, 20, 101, 5), d(0, 4)];
        assert!(check_tiling(&gap, 20, 4).is_err());
        let mixed = [p(0, 16, 0, 100), d(0, 4), p(16, 20, 100, 5)];
        assert!(check_tiling(&mixed, 20, 4).is_err());
    }
}
