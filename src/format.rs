//! The index format: layout constants, varints and the load error.
//!
//! Shared by the writer (`build.rs`) and the reader ([`crate::Index`]).
//! All integers are little-endian. An index is:
//!
//! ```text
//! header   magic "TIMKIEM\0", version u32, total length u32,
//!          documents u32, terms u32, title tokens u32, body tokens u32,
//!          FNV-1a-64 hash of the FST section u64,
//!          then SECTIONS × (offset u32, length u32)
//! FST      fst::Map: folded term -> term number (terms in byte order)
//! TERMS    per term: postings offset u32, variants offset u32,
//!            document count (low 24 bits) | term length in bytes << 24, u32
//! POSTINGS per term, per document containing it, in document order:
//!            varint doc-id delta, varint (body tf << 1 | has title tf),
//!            [varint title tf], [varint byte length of the positions when
//!            tf > 1], the positions as varint deltas (title words count
//!            from 0, body words from title length + 1)
//! VARIANTS per term: varint count, then per variant: varint marks length,
//!            marks bytes, and when count > 1: varint documents, then
//!            per document: varint doc-id delta, varint tf
//! DOCS     per document: title, path and text as (offset u32, length u32)
//!            into STRINGS, title tokens u32, body tokens u32, checkpoints
//!            offset u32 (into CHECKPOINTS)
//! CHECKS   per document: the byte offset in its text of every
//!            CHECKPOINT_EVERY-th body token, u32 each
//! STRINGS  UTF-8 text
//! HEAVY    prefixes whose words are too common to expand per keystroke:
//!            count u32, then per prefix (sorted by key): key [u8; 8]
//!            (zero-padded), documents u32, best-list length u32, a bitmap
//!            of the documents having a word with that prefix
//!            (ceil(documents / 8) bytes), then HEAVY_TOP × (document u32,
//!            score f32, positions offset u32, tf u32), best first
//! ```

use std::fmt;

pub const MAGIC: &[u8; 8] = b"TIMKIEM\0";
pub const VERSION: u32 = 1;
pub const SECTIONS: usize = 8;
/// Where the section table starts.
pub const SECTION_TABLE: usize = 8 + 4 * 6 + 8;
pub const HEADER_LEN: usize = SECTION_TABLE + SECTIONS * 8;

pub const S_FST: usize = 0;
pub const S_TERMS: usize = 1;
pub const S_POSTINGS: usize = 2;
pub const S_VARIANTS: usize = 3;
pub const S_DOCS: usize = 4;
pub const S_CHECKS: usize = 5;
pub const S_STRINGS: usize = 6;
pub const S_HEAVY: usize = 7;

pub const TERM_RECORD: usize = 12;
pub const DOC_RECORD: usize = 36;
/// Bytes of a heavy-prefix record, for a corpus of `documents`.
pub fn heavy_record(documents: u32) -> usize {
    16 + (documents as usize).div_ceil(8) + crate::score::HEAVY_TOP * 16
}
/// A checkpoint is kept for every this many body tokens of a document.
pub const CHECKPOINT_EVERY: u32 = 32;

/// Why bytes could not be opened as an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The bytes do not start with the timkiem magic number.
    Magic,
    /// The index was written by another version of timkiem.
    Version { expected: u32, got: u32 },
    /// The header promises more bytes than there are.
    Truncated { expected: usize, got: usize },
    /// A section lies outside the index or does not fit its records.
    Section { section: usize },
    /// The term dictionary is not a valid fst.
    Fst(String),
    /// The term dictionary does not match the hash in the header.
    Checksum,
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
            FormatError::Section { section } => write!(f, "index section {section} is out of bounds or misshapen"),
            FormatError::Fst(e) => write!(f, "index term dictionary is corrupt: {e}"),
            FormatError::Checksum => write!(f, "index term dictionary fails its checksum: the index is corrupt"),
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

/// Appends `v` as a LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint from `bytes` at `*pos`, advancing it. `None` on a truncated
/// or overlong varint.
#[inline]
pub fn get_varint(bytes: &[u8], pos: &mut usize) -> Option<u32> {
    let mut v: u32 = 0;
    for shift in [0u32, 7, 14, 21, 28] {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u32::from(b & 0x7F).checked_shl(shift)?;
        if b < 0x80 {
            return (shift < 28 || b < 0x10).then_some(v);
        }
    }
    None
}

/// Reads a little-endian u32 at `at`.
#[inline]
pub fn get_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([*b.first()?, *b.get(1)?, *b.get(2)?, *b.get(3)?]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_round_trip() {
        for v in [0, 1, 127, 128, 300, 16_383, 16_384, u32::MAX / 3, u32::MAX] {
            let mut buf = Vec::new();
            put_varint(&mut buf, v);
            let mut pos = 0;
            assert_eq!(get_varint(&buf, &mut pos), Some(v));
            assert_eq!(pos, buf.len());
        }
    }

    #[test]
    fn varint_rejects_truncated_and_overlong() {
        assert_eq!(get_varint(&[0x80], &mut 0), None);
        assert_eq!(get_varint(&[0xFF, 0xFF, 0xFF, 0xFF, 0x7F], &mut 0), None);
        assert_eq!(get_varint(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], &mut 0), None);
    }
}
