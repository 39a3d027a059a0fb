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
//! TERMS    the byte offset in POSTINGS of every TERM_BLOCK-th term, u32 each
//! POSTINGS per term, in term order, an entry:
//!            varint documents,
//!            its variants: for one, varint (MARKS number << 1); for more,
//!              varint (count << 1 | 1), count × varint MARKS number,
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
//! MARKS    the distinct marks of the variants, most used first: count u32,
//!            (count + 1) offsets u32 into the bytes that follow, the bytes
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
//!            score f32, positions bit offset u32, tf u32), best first
//! ```
//!
//! Bit streams are least-significant bit first. γ(n), for n ≥ 1, is Elias
//! gamma: as many 0 bits as n has bits after its leading 1, a 1, then those
//! bits. Rice(k) of n is n >> k in unary (that many 0 bits, then a 1), then
//! the low k bits of n. Positions are the bulk of an index, and Rice codes
//! with k fitted to the document's length and the term's frequency in it
//! take about log2(length / tf) + 1.5 bits per position, against 8 or 16 for
//! a varint.

use std::fmt;

pub const MAGIC: &[u8; 8] = b"TIMKIEM\0";
pub const VERSION: u32 = 2;
pub const SECTIONS: usize = 8;
/// Where the section table starts.
pub const SECTION_TABLE: usize = 8 + 4 * 6 + 8;
pub const HEADER_LEN: usize = SECTION_TABLE + SECTIONS * 8;

pub const S_FST: usize = 0;
pub const S_TERMS: usize = 1;
pub const S_POSTINGS: usize = 2;
pub const S_MARKS: usize = 3;
pub const S_DOCS: usize = 4;
pub const S_CHECKS: usize = 5;
pub const S_STRINGS: usize = 6;
pub const S_HEAVY: usize = 7;

/// TERMS keeps the offset of every this many terms; the terms in between
/// are reached by skipping entries.
pub const TERM_BLOCK: u32 = 16;
/// Postings with more positions than this say how many bits their positions
/// take, so that reading postings without positions can jump over them.
pub const SKIP_TF: u32 = 4;
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

/// Writes a bit stream: see the module documentation for the codes.
#[derive(Default)]
pub struct BitWriter {
    bytes: Vec<u8>,
    acc: u64,
    bits: u32,
}

impl BitWriter {
    /// Appends the low `n` (at most 32) bits of `v`.
    pub fn put(&mut self, v: u32, n: u32) {
        if n == 0 {
            return;
        }
        let v = u64::from(v) & ((1u64 << n) - 1);
        self.acc |= v << self.bits;
        self.bits += n;
        while self.bits >= 8 {
            self.bytes.push(self.acc as u8);
            self.acc >>= 8;
            self.bits -= 8;
        }
    }

    /// `q` in unary: `q` zero bits, then a one.
    pub fn unary(&mut self, mut q: u32) {
        while q >= 32 {
            self.put(0, 32);
            q -= 32;
        }
        self.put(1 << q, q + 1);
    }

    /// Elias gamma of `v` (at least 1).
    pub fn gamma(&mut self, v: u32) {
        let v = v.max(1);
        let low = 31 - v.leading_zeros();
        self.unary(low);
        self.put(v, low);
    }

    pub fn rice(&mut self, v: u32, k: u32) {
        self.unary(v >> k);
        self.put(v, k);
    }

    /// Document `doc` of an increasing list, after `prev` (the first one is
    /// counted from -1): γ of the gap.
    pub fn doc(&mut self, prev: Option<u32>, doc: u32) {
        self.gamma(prev.map_or(doc + 1, |p| doc - p));
    }

    /// Appends the bits of `other`.
    pub fn append(&mut self, other: BitWriter) {
        for &b in &other.bytes {
            self.put(u32::from(b), 8);
        }
        self.put(other.acc as u32, other.bits);
    }

    /// Bits written so far.
    pub fn len(&self) -> usize {
        self.bytes.len() * 8 + self.bits as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes, the last one padded with zero bits.
    pub fn finish(mut self) -> Vec<u8> {
        if self.bits > 0 {
            self.bytes.push(self.acc as u8);
        }
        self.bytes
    }
}

/// Reads a bit stream from a byte slice; every read is bounds-checked and a
/// read past the end gives `None`.
#[derive(Debug, Clone)]
pub struct BitReader<'a> {
    bytes: &'a [u8],
    /// Position in bits.
    pos: usize,
}

impl<'a> BitReader<'a> {
    /// A reader at bit `pos` of `bytes`.
    pub fn new(bytes: &'a [u8], pos: usize) -> Self {
        BitReader { bytes, pos }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Moves `n` bits on; `None` past the end.
    #[inline(always)]
    pub fn skip(&mut self, n: usize) -> Option<()> {
        let end = self.pos.checked_add(n)?;
        (end <= self.bytes.len().saturating_mul(8)).then(|| self.pos = end)
    }

    /// The next 57 or more bits (zeros past the end).
    #[inline(always)]
    fn peek(&self) -> u64 {
        let at = self.pos / 8;
        let word = match self.bytes.get(at..at.saturating_add(8)) {
            Some(&[a, b, c, d, e, f, g, h]) => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
            _ => {
                let mut buf = [0u8; 8];
                for (dst, src) in buf.iter_mut().zip(self.bytes.get(at..).unwrap_or(&[])) {
                    *dst = *src;
                }
                u64::from_le_bytes(buf)
            }
        };
        word >> (self.pos % 8)
    }

    /// The next `n` (at most 32) bits.
    #[inline]
    pub fn bits(&mut self, n: u32) -> Option<u32> {
        if n == 0 {
            return Some(0);
        }
        let v = self.peek() & ((1u64 << n.min(32)) - 1);
        self.skip(n as usize)?;
        Some(v as u32)
    }

    /// A unary count: the zero bits before the next one bit.
    #[inline]
    pub fn unary(&mut self) -> Option<u32> {
        let mut q: u32 = 0;
        loop {
            let word = self.peek() & ((1u64 << 56) - 1);
            if word != 0 {
                let zeros = word.trailing_zeros();
                self.skip(zeros as usize + 1)?;
                return q.checked_add(zeros);
            }
            self.skip(56)?;
            q = q.checked_add(56)?;
        }
    }

    #[inline(always)]
    pub fn gamma(&mut self) -> Option<u32> {
        // Fast path: the whole code within one peek.
        let word = self.peek();
        let zeros = word.trailing_zeros();
        if zeros <= 27 {
            let v = (1u64 << zeros) | (word >> (zeros + 1)) & ((1u64 << zeros) - 1);
            self.skip(2 * zeros as usize + 1)?;
            return Some(v as u32);
        }
        let low = self.unary()?;
        if low > 31 {
            return None;
        }
        Some(1u32.checked_shl(low)? | self.bits(low)?)
    }

    /// The document after `prev` in an increasing list (see [`BitWriter::doc`]).
    #[inline(always)]
    pub fn doc(&mut self, prev: Option<u32>) -> Option<u32> {
        let gap = self.gamma()?;
        match prev {
            None => Some(gap - 1),
            Some(d) => d.checked_add(gap),
        }
    }

    #[inline(always)]
    pub fn rice(&mut self, k: u32) -> Option<u32> {
        let word = self.peek();
        let zeros = word.trailing_zeros();
        if zeros + k <= 55 && k <= 24 {
            let v = u64::from(zeros) << k | (word >> (zeros + 1)) & ((1u64 << k) - 1);
            self.skip((zeros + 1 + k) as usize)?;
            return Some(v as u32);
        }
        let q = self.unary()?;
        let high = q.checked_shl(k).filter(|h| h >> k == q)?;
        Some(high | self.bits(k)?)
    }
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
    fn bit_codes_round_trip() {
        let values = [1u32, 2, 3, 4, 7, 8, 100, 1 << 20, u32::MAX >> 1, u32::MAX];
        let mut w = BitWriter::default();
        for &v in &values {
            w.gamma(v);
            w.rice(v - 1, 3);
            w.rice(v >> 8, 0);
            w.put(v, 5);
            w.unary(v % 200);
        }
        let bits = w.len();
        let bytes = w.finish();
        assert_eq!(bytes.len(), bits.div_ceil(8));
        let mut r = BitReader::new(&bytes, 0);
        for &v in &values {
            assert_eq!(r.gamma(), Some(v));
            assert_eq!(r.rice(3), Some(v - 1));
            assert_eq!(r.rice(0), Some(v >> 8));
            assert_eq!(r.bits(5), Some(v & 31));
            assert_eq!(r.unary(), Some(v % 200));
        }
        assert_eq!(r.pos(), bits);
        // Past the end: no bits and no panic.
        let mut r = BitReader::new(&bytes, bytes.len() * 8);
        assert_eq!(r.bits(1), None);
        assert_eq!(r.unary(), None);
        assert_eq!(BitReader::new(&[0, 0, 0], 0).gamma(), None);
        assert_eq!(BitReader::new(&[0xFF; 4], usize::MAX).bits(3), None);
    }

    #[test]
    fn rice_k_fits_the_mean_gap() {
        assert_eq!(rice_k(0, 0), 0);
        assert_eq!(rice_k(1, 1), 0);
        assert_eq!(rice_k(1000, 1), 9); // mean gap 687 -> 2^9
        assert_eq!(rice_k(1000, 100), 2);
        assert_eq!(rice_k(u32::MAX, 1), 24);
    }

    #[test]
    fn varint_rejects_truncated_and_overlong() {
        assert_eq!(get_varint(&[0x80], &mut 0), None);
        assert_eq!(get_varint(&[0xFF, 0xFF, 0xFF, 0xFF, 0x7F], &mut 0), None);
        assert_eq!(get_varint(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], &mut 0), None);
    }
}
