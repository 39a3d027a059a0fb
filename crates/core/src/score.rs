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
