//! Helpers shared by timkiem's tests, benchmarks and examples, so that each
//! exists once: a reference edit distance, UTF-16 range slicing (the unit
//! the JS API counts in), and seeded generators whose sequences a failure
//! message can replay.
//!
//! ```
//! use timkiem_testkit::{edit_distance, utf16_slice, Rng};
//! assert_eq!(edit_distance("nhat", "nhta"), 2);
//! assert_eq!(utf16_slice("😀 Nhật", [3, 7]).as_deref(), Some("Nhật"));
//! let mut rng = Rng::new(7);
//! assert!(rng.below(10) < 10);
//! ```

/// The Levenshtein distance between `a` and `b`, in characters, computed the
/// obvious way (the reference the engine's automaton is checked against).
///
/// ```
/// assert_eq!(timkiem_testkit::edit_distance("stoltenberg", "stoltenbreg"), 2);
/// assert_eq!(timkiem_testkit::edit_distance("", "abc"), 3);
/// ```
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev.get(j).map_or(usize::MAX, |d| d + usize::from(ca != *cb));
            let delete = prev.get(j + 1).map_or(usize::MAX, |d| d + 1);
            let insert = cur.last().map_or(usize::MAX, |d| d + 1);
            cur.push(substitute.min(delete).min(insert));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// The text of the half-open UTF-16 range `[start, end]` of `text`; `None`
/// when the range is out of bounds, reversed, or splits a surrogate pair.
///
/// ```
/// use timkiem_testkit::utf16_slice;
/// assert_eq!(utf16_slice("👍🏽 Bản", [5, 8]).as_deref(), Some("Bản"));
/// assert_eq!(utf16_slice("😀", [1, 2]), None);
/// ```
pub fn utf16_slice(text: &str, [start, end]: [u32; 2]) -> Option<String> {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(units.get(start as usize..end as usize)?).ok()
}

/// `text` with each half-open UTF-16 range in `ranges` wrapped in
/// `[brackets]`, for printing highlights.
///
/// ```
/// assert_eq!(timkiem_testkit::bracket("Nhật Bản", &[[0, 4]]), "[Nhật] Bản");
/// ```
pub fn bracket(text: &str, ranges: &[[u32; 2]]) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut out = Vec::with_capacity(units.len() + 2 * ranges.len());
    let mut at = 0;
    for &[s, e] in ranges {
        let (s, e) = (s as usize, e as usize);
        out.extend_from_slice(units.get(at..s).unwrap_or(&[]));
        out.push(u16::from(b'['));
        out.extend_from_slice(units.get(s..e).unwrap_or(&[]));
        out.push(u16::from(b']'));
        at = e;
    }
    out.extend_from_slice(units.get(at..).unwrap_or(&[]));
    String::from_utf16_lossy(&out)
}

/// A seeded 64-bit linear congruential generator (Knuth's MMIX constants):
/// the same seed gives the same sequence on every platform.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// The next 31 random bits.
    pub fn bits(&mut self) -> u64 {
        self.state = self.state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.state >> 33
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.bits() as usize).checked_rem(n).unwrap_or(0)
    }
}

/// The browser benchmark's generator (`bench/measure.mjs`):
/// `seed = (seed * 1103515245 + 12345) % 2^31`, computed in doubles exactly
/// as JavaScript does (the product is rounded), so that native and browser
/// benchmarks sample the same queries.
#[derive(Debug, Clone)]
pub struct JsLcg {
    state: f64,
}

impl JsLcg {
    /// A generator starting from `seed`, as `let seed = 42` in the JS.
    pub fn new(seed: u32) -> Self {
        JsLcg { state: f64::from(seed) }
    }

    /// The next number in `[0, 1)`, as the JS `rnd()`.
    pub fn uniform(&mut self) -> f64 {
        self.state = (self.state * 1103515245.0 + 12345.0) % 2147483648.0;
        self.state / 2147483648.0
    }

    /// `Math.floor(rnd() * n)`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.uniform() * n as f64).floor() as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("nhật", "nhất"), 1);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("ab", "ba"), 2);
    }

    #[test]
    fn generators_replay() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert!((0..100).all(|_| a.bits() == b.bits()));
        // The first values of measure.mjs's rnd() with seed 42.
        let mut js = JsLcg::new(42);
        let first = js.uniform();
        assert_eq!(first, ((42.0f64 * 1103515245.0 + 12345.0) % 2147483648.0) / 2147483648.0);
        assert!((0..1000).all(|_| (0.0..1.0).contains(&js.uniform())));
    }

    #[test]
    fn bracket_and_slice_agree() {
        let text = "😀 Nhật 👍🏽 Bản";
        let ranges = [[3, 7], [13, 16]];
        assert_eq!(bracket(text, &ranges), "😀 [Nhật] 👍🏽 [Bản]");
        assert_eq!(utf16_slice(text, ranges[1]).as_deref(), Some("Bản"));
        assert_eq!(utf16_slice(text, [7, 99]), None);
    }
}
