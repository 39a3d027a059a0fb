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
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    levenshtein(&a, &b)
}

/// The Levenshtein distance between `a` and `b` in bytes (the unit the
/// engine's typo automaton counts in; the same as [`edit_distance`] for
/// ASCII).
///
/// ```
/// assert_eq!(timkiem_testkit::byte_distance("nhat", "nhât"), 2);
/// ```
pub fn byte_distance(a: &str, b: &str) -> usize {
    levenshtein(a.as_bytes(), b.as_bytes())
}

/// The Levenshtein distance between two sequences (two rows).
fn levenshtein<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, y) in b.iter().enumerate() {
            let substitute = prev.get(j).map_or(usize::MAX, |d| d + usize::from(x != y));
            let delete = prev.get(j + 1).map_or(usize::MAX, |d| d + 1);
            let insert = cur.last().map_or(usize::MAX, |d| d + 1);
            cur.push(substitute.min(delete).min(insert));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// The documented typo bound of a word of `chars` characters: no plain
/// edits under 4, one at 4–7, two from 8.
pub fn typo_bound(chars: usize) -> usize {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The documented spelling confusions, restated for tests independently of
/// the engine: the onset consonant swapped within one of these pairs, or
/// one `i` for `y` (or back).
pub const CONFUSION_PAIRS: [(&str, &str); 9] =
    [("s", "x"), ("ch", "tr"), ("d", "gi"), ("d", "r"), ("gi", "r"), ("l", "n"), ("c", "k"), ("c", "q"), ("k", "q")];

/// The onset (first consonant) of a folded word, with `ngh ng nh ch tr th
/// kh gh gi ph` read as one consonant; `""` when it starts otherwise.
///
/// ```
/// use timkiem_testkit::onset;
/// assert_eq!((onset("nghia"), onset("chung"), onset("an"), onset("ba")), ("ngh", "ch", "", "b"));
/// ```
pub fn onset(term: &str) -> &str {
    for d in ["ngh", "ng", "nh", "ch", "tr", "th", "kh", "gh", "gi", "ph"] {
        if term.starts_with(d) {
            return &term[..d.len()];
        }
    }
    match term.chars().next() {
        Some(c) if c.is_ascii_lowercase() && !"aeiouy".contains(c) => &term[..1],
        _ => "",
    }
}

/// The spellings one confusion away from the folded word `term` (none under
/// 2 characters): its onset replaced by its partner in [`CONFUSION_PAIRS`],
/// or one `i`/`y` swapped. `stroked`: the word was typed with `đ` at its
/// start, which is no `d`: only the `i`/`y` swaps.
///
/// ```
/// use timkiem_testkit::confusions;
/// let mut v = confusions("giai", false);
/// v.sort();
/// assert_eq!(v, ["dai", "giay", "gyai", "rai"]);
/// assert_eq!(confusions("chung", false), ["trung"]);
/// assert_eq!(confusions("di", true), ["dy"]);
/// assert!(confusions("x", false).is_empty());
/// ```
pub fn confusions(term: &str, stroked: bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if term.chars().count() < 2 {
        return out;
    }
    let head = onset(term);
    if !stroked && !head.is_empty() {
        for (a, b) in CONFUSION_PAIRS {
            for (from, to) in [(a, b), (b, a)] {
                if head == from {
                    out.push(format!("{to}{}", &term[head.len()..]));
                }
            }
        }
    }
    for (at, c) in term.char_indices() {
        let swap = match c {
            'i' => "y",
            'y' => "i",
            _ => continue,
        };
        out.push(format!("{}{swap}{}", &term[..at], &term[at + 1..]));
    }
    out.sort();
    out.dedup();
    out.retain(|v| v != term);
    out
}

/// The documented typo rule, restated: the edits a typo of the folded
/// query word `query` into the index term `term` counts (a confusion is
/// one; otherwise plain byte edits within [`typo_bound`], for words of at
/// most 32 bytes), `None` if it is none or the word itself.
///
/// ```
/// use timkiem_testkit::typo;
/// assert_eq!(typo("xu", "su"), Some(1));
/// assert_eq!(typo("xu", "tu"), None);
/// assert_eq!(typo("chung", "trung"), Some(1));
/// assert_eq!(typo("stoltenbreg", "stoltenberg"), Some(2));
/// ```
pub fn typo(query: &str, term: &str) -> Option<usize> {
    if query == term {
        return None;
    }
    if confusions(query, false).iter().any(|v| v == term) {
        return Some(1);
    }
    let d = byte_distance(query, term);
    (query.len() <= 32 && d <= typo_bound(query.chars().count())).then_some(d)
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

/// The seed of a randomised test: `TIMKIEM_SEED` when it is set (to replay
/// a failure), otherwise a new one from the clock. It is printed either way,
/// so that a failing test's captured output says how to replay it; put it in
/// assertion messages too.
///
/// ```
/// std::env::set_var("TIMKIEM_SEED", "42");
/// assert_eq!(timkiem_testkit::seed("doc"), 42);
/// ```
pub fn seed(test: &str) -> u64 {
    let seed = std::env::var("TIMKIEM_SEED").ok().and_then(|s| s.trim().parse().ok()).unwrap_or_else(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        now.as_secs() ^ u64::from(now.subsec_nanos())
    });
    eprintln!("{test}: seed {seed} (replay with TIMKIEM_SEED={seed})");
    seed
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
