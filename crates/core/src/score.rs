//! Scoring: BM25F over title and body, and the tiers of match quality.
//!
//! Shared by the engine and the index writer (which precomputes the best
//! documents of the most common prefixes), so both score the same way.

/// A word found as typed (the whole word).
pub const TIER_EXACT: f32 = 4.0;
/// A word the query word begins; up to +0.5 for completions close in length.
pub const TIER_PREFIX: f32 = 2.0;
/// A word within 0, 1 or 2 edits of the query word.
pub const TIER_FUZZY: [f32; 3] = [4.0, 1.0, 0.5];
/// A word whose diacritics agree with the ones typed.
pub const MARKS_BONUS: f32 = 2.5;
/// Each pair of query words found next to each other, in order.
pub const ADJACENT_BONUS: f32 = 1.5;
/// The pair of the last two query words, the last still being typed, found
/// next to each other with the last as a prefix: enough more than
/// [`ADJACENT_BONUS`] to lift a completion above a scattered whole word.
pub const PREFIX_ADJACENT_BONUS: f32 = ADJACENT_BONUS + TIER_EXACT - TIER_PREFIX;
/// The telex and VNI readings of a query score this much of the reading as
/// typed.
pub const TELEX_WEIGHT: f32 = 0.5;

/// The reading of a query with its run-together syllables split
/// (`vanphong` → `van phong`) scores this much of the reading as typed.
pub const SPLIT_WEIGHT: f32 = 0.8;

const TITLE_WEIGHT: f32 = 3.0;
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// Inverse document frequency of a term in `df` of `n` documents.
pub fn idf(n: u32, df: u32) -> f32 {
    let (n, df) = (n as f32, df as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln().max(0.01)
}

/// Average title and body lengths, in words.
pub fn averages(documents: u32, title_words: u32, body_words: u32) -> (f32, f32) {
    let n = documents.max(1) as f32;
    ((title_words as f32 / n).max(1.0), (body_words as f32 / n).max(1.0))
}

/// Document lengths and averages, for BM25 length normalisation.
#[derive(Debug, Clone, Copy)]
pub struct Lengths {
    pub title: u32,
    pub body: u32,
    pub avg_title: f32,
    pub avg_body: f32,
}

/// BM25F of a term with `title_tf` and `body_tf` occurrences.
pub fn bm25f(title_tf: u32, body_tf: u32, len: Lengths, idf: f32) -> f32 {
    let norm = |len: u32, avg: f32| 1.0 - B + B * len as f32 / avg;
    let tf =
        TITLE_WEIGHT * title_tf as f32 / norm(len.title, len.avg_title) + body_tf as f32 / norm(len.body, len.avg_body);
    idf * tf * (K1 + 1.0) / (tf + K1)
}

/// BM25 squashed into `[0, 1)`, so it orders documents within a tier
/// without lifting them into the next.
pub fn squash(bm25: f32) -> f32 {
    bm25 / (bm25 + 2.0)
}

/// The tier of a completion of a `typed`-byte prefix into a `term`-byte word.
pub fn prefix_tier(typed: usize, term: usize) -> f32 {
    TIER_PREFIX + 0.5 * typed as f32 / term.max(1) as f32
}

/// A prefix is heavy, and gets a document bitmap and a precomputed best
/// list in the index, when its words' postings add up to more than this.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))] // used by the writer
pub fn heavy_threshold(documents: u32) -> u64 {
    u64::from(documents).saturating_mul(2).max(2048)
}

/// Longest prefix, in bytes, that can be heavy.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub const HEAVY_MAX_BYTES: usize = 8;
/// Documents in a heavy prefix's precomputed best list.
pub const HEAVY_TOP: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented formulas, restated in f64 (Robertson's BM25 idf with
    /// the +1 that keeps it positive; BM25F with k1 = 1.2, b = 0.75 and the
    /// title weighing 3).
    fn idf_ref(n: f64, df: f64) -> f64 {
        (((n - df + 0.5) / (df + 0.5)) + 1.0).ln().max(0.01)
    }

    fn bm25f_ref(title_tf: f64, body_tf: f64, len: (f64, f64), avg: (f64, f64), idf: f64) -> f64 {
        let (k1, b) = (1.2, 0.75);
        let title = 3.0 * title_tf / ((1.0 - b) + b * len.0 / avg.0);
        let body = body_tf / ((1.0 - b) + b * len.1 / avg.1);
        let tf = title + body;
        idf * tf * (k1 + 1.0) / (tf + k1)
    }

    fn close(got: f32, want: f64) -> bool {
        (f64::from(got) - want).abs() <= 1e-4 * want.abs().max(1.0)
    }

    #[test]
    fn idf_is_the_documented_formula() {
        for (n, df) in [(1, 1), (10, 1), (10, 3), (10, 10), (1000, 7), (1000, 999), (50_000, 12)] {
            let want = idf_ref(f64::from(n), f64::from(df));
            assert!(close(idf(n, df), want), "idf({n}, {df}) = {} ≠ {want}", idf(n, df));
        }
        // Rarer is worth more; never below the floor.
        assert!(idf(100, 1) > idf(100, 2) && idf(100, 2) > idf(100, 50));
        assert!(close(idf(3, 1000), 0.01));
    }

    #[test]
    fn bm25f_is_the_documented_formula() {
        let avg = (6.0f32, 300.0f32);
        for (ttf, btf, tl, bl, i) in
            [(0, 1, 6, 300, 1.0), (1, 0, 6, 300, 2.0), (2, 5, 3, 120, 0.7), (0, 9, 12, 900, 3.1), (1, 1, 20, 40, 1.5)]
        {
            let len = Lengths { title: tl, body: bl, avg_title: avg.0, avg_body: avg.1 };
            let got = bm25f(ttf, btf, len, i);
            let want = bm25f_ref(
                f64::from(ttf),
                f64::from(btf),
                (f64::from(tl), f64::from(bl)),
                (f64::from(avg.0), f64::from(avg.1)),
                f64::from(i),
            );
            assert!(close(got, want), "bm25f({ttf}, {btf}, {tl}, {bl}, {i}) = {got} ≠ {want}");
        }
    }

    #[test]
    fn averages_squash_and_tiers() {
        assert_eq!(averages(4, 10, 400), (2.5, 100.0));
        assert_eq!(averages(0, 0, 0), (1.0, 1.0));
        assert_eq!(averages(10, 5, 20), (1.0, 2.0));
        assert!(close(squash(2.0), 0.5) && close(squash(6.0), 0.75) && squash(0.0) == 0.0);
        assert!(close(prefix_tier(2, 8), 2.125) && close(prefix_tier(4, 4), 2.5));
        assert!(close(prefix_tier(3, 0), 3.5));
        assert_eq!(heavy_threshold(100), 2048);
        assert_eq!(heavy_threshold(5000), 10_000);
        assert_eq!(heavy_threshold(u32::MAX), 2 * u64::from(u32::MAX));
        assert_eq!(PREFIX_ADJACENT_BONUS, 3.5);
    }
}
