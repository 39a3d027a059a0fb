//! The codes of the index's integers: varints and little-endian words for
//! byte-aligned fields, and a bit stream of Elias gamma and Rice codes for
//! the postings (see [`crate::format`] for where each is used).
//!
//! Bit streams are least-significant bit first. γ(n), for n ≥ 1, is Elias
//! gamma: as many 0 bits as n has bits after its leading 1, a 1, then those
//! bits. Rice(k) of n is n >> k in unary (that many 0 bits, then a 1), then
//! the low k bits of n.

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

    /// Rice(`k`) of `v`: `v >> k` in unary, then the low `k` bits of `v`.
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

    /// Whether nothing was written.
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

    /// The position of the next bit to read, in bits from the start.
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

    /// An Elias gamma code (see [`BitWriter::gamma`]).
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

    /// A Rice(`k`) code (see [`BitWriter::rice`]).
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

/// Reads a little-endian u64 at `at`.
#[inline]
pub fn get_u64(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from(get_u32(bytes, at)?) | u64::from(get_u32(bytes, at.checked_add(4)?)?) << 32)
}

/// Writes `v` as a little-endian u32 at `at`; `false` (and nothing written)
/// if it does not fit.
pub fn put_u32(bytes: &mut [u8], at: usize, v: u32) -> bool {
    let dst = at.checked_add(4).and_then(|end| bytes.get_mut(at..end));
    dst.map(|dst| dst.copy_from_slice(&v.to_le_bytes())).is_some()
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
    fn words_round_trip_and_refuse_out_of_bounds() {
        let mut buf = [0u8; 10];
        assert!(put_u32(&mut buf, 1, 0xDEAD_BEEF));
        assert!(put_u32(&mut buf, 5, 0x0123_4567));
        assert_eq!(get_u32(&buf, 1), Some(0xDEAD_BEEF));
        assert_eq!(get_u64(&buf, 1), Some(0x0123_4567_DEAD_BEEF));
        assert!(!put_u32(&mut buf, 7, 1));
        assert!(!put_u32(&mut buf, usize::MAX, 1));
        assert_eq!(buf[7..], [0x23, 0x01, 0]);
        assert_eq!(get_u32(&buf, 7), None);
        assert_eq!(get_u64(&buf, 3), None);
        assert_eq!(get_u32(&buf, usize::MAX - 1), None);
    }

    #[test]
    fn varint_rejects_truncated_and_overlong() {
        assert_eq!(get_varint(&[0x80], &mut 0), None);
        assert_eq!(get_varint(&[0xFF, 0xFF, 0xFF, 0xFF, 0x7F], &mut 0), None);
        assert_eq!(get_varint(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], &mut 0), None);
    }
}
