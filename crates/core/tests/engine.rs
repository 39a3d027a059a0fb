//! The query engine against a brute-force reference, its invariants, and
//! its ranking.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::collections::BTreeSet;

use quickcheck::{Gen, QuickCheck, TestResult};
use timkiem_core::corpus::Document;
use timkiem_core::query::parse;
use timkiem_core::text::{fold, tokenize, Token};
use timkiem_core::write::write_index;
use timkiem_core::{Engine, Index, Options};
use timkiem_testkit::{edit_distance, seed, utf16_slice, Rng};

use common::{index_of, seeds, seeds_index};

/// Every word of the seeds as written.
fn seed_words() -> &'static [String] {
    static WORDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        seeds()
            .iter()
            .flat_map(|d| tokenize(&d.text).map(|t| d.text[t.span()].to_string()).collect::<Vec<_>>())
            .collect()
    })
}

fn engine() -> Engine<'static> {
    Engine::new(Index::open(seeds_index()).unwrap())
}

fn plain() -> Options {
    Options { fuzzy: false, telex: false, vni: false, limit: 1000, ..Options::default() }
}

/// The documents matching `query`, found the obvious way: every word of the
/// query occurs in the document (the last as a prefix while it is being
/// typed), and the words of a quoted phrase occur in a row.
fn reference(docs: &[[Vec<Token>; 2]], query: &str) -> BTreeSet<u32> {
    let q = parse(query);
    let mut out = BTreeSet::new();
    if q.words.is_empty() {
        return out;
    }
    for (id, fields) in docs.iter().enumerate() {
        let hit =
            |w: &timkiem_core::query::Word, t: &Token| t.term == w.term || (w.prefix && t.term.starts_with(&w.term));
        let words_ok = q.words.iter().all(|w| fields.iter().flatten().any(|t| hit(w, t)));
        let phrases_ok = q.phrases.iter().all(|p| {
            let words = &q.words[p.clone()];
            fields.iter().any(|f| f.windows(words.len()).any(|win| win.iter().zip(words).all(|(t, w)| hit(w, t))))
        });
        if words_ok && phrases_ok {
            out.insert(id as u32);
        }
    }
    out
}

/// Title and text tokens of each document.
fn tokenized(docs: &[Document]) -> Vec<[Vec<Token>; 2]> {
    docs.iter().map(|d| [tokenize(&d.title).collect(), tokenize(&d.text).collect()]).collect()
}

fn ids(engine: &mut Engine<'_>, query: &str, options: &Options) -> BTreeSet<u32> {
    let r = engine.search(query, options);
    assert_eq!(r.total, engine.count(query, options), "{query}");
    r.hits.iter().map(|h| h.id).collect()
}

#[test]
fn agrees_with_brute_force_on_every_prefix_of_every_word() {
    let docs = seeds();
    let fields = tokenized(&docs);
    let mut engine = engine();
    let mut surfaces = BTreeSet::new();
    for d in &docs {
        for text in [&d.title, &d.text] {
            for t in tokenize(text) {
                surfaces.insert(text[t.span()].to_string());
            }
        }
    }
    let mut checked = 0;
    for surface in &surfaces {
        let chars: Vec<char> = surface.chars().collect();
        for n in 1..=chars.len() {
            let typed: String = chars[..n].iter().collect();
            for q in [typed.clone(), fold(&typed), format!("{typed} "), typed.to_uppercase()] {
                assert_eq!(ids(&mut engine, &q, &plain()), reference(&fields, &q), "query {q:?}");
                checked += 1;
            }
        }
    }
    assert!(checked > 5000, "{checked}");
}

#[test]
fn agrees_with_brute_force_on_word_pairs_and_phrases() {
    let docs = seeds();
    let fields = tokenized(&docs);
    let mut engine = engine();
    let mut checked = 0;
    for d in &docs {
        let tokens: Vec<Token> = tokenize(&d.text).collect();
        for pair in tokens.windows(2).step_by(3) {
            let (a, b) = (&d.text[pair[0].span()], &d.text[pair[1].span()]);
            let b_half: String = b.chars().take(b.chars().count().div_ceil(2)).collect();
            for q in [
                format!("{a} {b_half}"),
                format!("{} {}", fold(a), fold(b)),
                format!("\"{a} {b}\""),
                format!("\"{b} {a}\""),
            ] {
                assert_eq!(ids(&mut engine, &q, &plain()), reference(&fields, &q), "query {q:?}");
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "{checked}");
}

#[test]
fn folding_variants_of_a_query_find_the_same_documents() {
    let mut engine = engine();
    let nfd: String = "Nha\u{0323}\u{0302}t Ba\u{0309}n".into();
    let base = ids(&mut engine, "nhat ban", &Options::default());
    assert!(!base.is_empty());
    for q in ["Nhật Bản", "NHẬT BẢN", nfd.as_str(), "nhat   BAN"] {
        assert_eq!(ids(&mut engine, q, &Options::default()), base, "{q}");
    }
    assert!(!ids(&mut engine, "dan mach", &Options::default()).is_empty());
    assert_eq!(ids(&mut engine, "dan mach", &plain()), ids(&mut engine, "Đan Mạch", &plain()));
}

/// A query of 1–3 words of the seeds as written, picked by the first of
/// `picks`, with the last 0–2 characters cut off as if still being typed.
/// (Only an empty `picks`, about 1% of them, is discarded.)
fn sample_query(picks: &[u16], cut: u8) -> Option<String> {
    let words = seed_words();
    if picks.is_empty() {
        return None;
    }
    let q: String =
        picks.iter().take(3).map(|&i| words[usize::from(i) % words.len()].as_str()).collect::<Vec<_>>().join(" ");
    let keep = q.chars().count().saturating_sub(usize::from(cut % 3));
    Some(q.chars().take(keep.max(1)).collect())
}

/// 300 passing cases of at most 400 tried (a property that discards more
/// fails), from a seed printed for replay (`TIMKIEM_SEED`).
fn checker(name: &str) -> QuickCheck {
    QuickCheck::new().rng(Gen::from_size_and_seed(100, seed(name))).tests(300).max_tests(400).min_tests_passed(300)
}

/// Property: adding the marks back to a folded query never loses a match,
/// unless exact mode is on; and in exact mode every hit has the spelling.
#[test]
fn marks_never_lose_matches() {
    fn prop(picks: Vec<u16>, cut: u8) -> TestResult {
        let Some(q) = sample_query(&picks, cut) else { return TestResult::discard() };
        let mut engine = engine();
        let options = Options { telex: false, ..plain() };
        let marked = ids(&mut engine, &q, &options);
        let space = if q.ends_with(char::is_whitespace) { " " } else { "" };
        let folded = ids(&mut engine, &format!("{}{space}", fold(&q)), &options);
        let exact = ids(&mut engine, &q, &Options { exact_diacritics: true, ..options });
        TestResult::from_bool(folded.is_subset(&marked) && exact.is_subset(&marked))
    }
    checker("marks_never_lose_matches").quickcheck(prop as fn(Vec<u16>, u8) -> TestResult);
}

/// Property: every highlight lies inside its text, in order, and the
/// highlighted text folds to a query word, the typed part of the last word,
/// a word within the typo distance, or a syllable of a word typed run
/// together.
#[test]
fn highlights_are_in_bounds_and_fold_to_query_words() {
    fn prop(picks: Vec<u16>, cut: u8, typo: bool) -> TestResult {
        let Some(mut q) = sample_query(&picks, cut) else { return TestResult::discard() };
        if typo && q.chars().count() > 5 {
            let mut c: Vec<char> = q.chars().collect();
            c.swap(1, 2);
            q = c.into_iter().collect();
        }
        let terms: Vec<String> = parse(&q).words.iter().map(|w| w.term.clone()).collect();
        let mut engine = engine();
        for hit in engine.search(&q, &Options::default()).hits {
            for (text, ranges) in [(&hit.snippet, &hit.highlights), (&hit.title, &hit.title_highlights)] {
                let len = text.encode_utf16().count() as u32;
                let mut last = 0;
                for &r in ranges.iter() {
                    if !(last <= r[0] && r[0] < r[1] && r[1] <= len) {
                        return TestResult::error(format!("{q:?}: range {r:?} in {text:?}"));
                    }
                    last = r[1];
                    let word = fold(&utf16_slice(text, r).unwrap_or_default());
                    // (A syllable of a word typed run together is a piece of it.)
                    let piece = |t: &String| word.chars().count() >= 2 && t.contains(word.as_str());
                    if !terms.iter().any(|t| *t == word || edit_distance(t, &word) <= 2 || piece(t)) {
                        return TestResult::error(format!("{q:?}: highlight {word:?} matches no query word"));
                    }
                }
            }
        }
        TestResult::passed()
    }
    checker("highlights_are_in_bounds_and_fold_to_query_words")
        .quickcheck(prop as fn(Vec<u16>, u8, bool) -> TestResult);
}

#[test]
fn pages_and_order_are_consistent() {
    let mut engine = engine();
    let all = engine.search("n", &Options { limit: 100, ..Options::default() });
    assert!(all.hits.windows(2).all(|w| w[0].score >= w[1].score));
    for offset in 0..all.hits.len() {
        let page = engine.search("n", &Options { limit: 2, offset, ..Options::default() });
        let want: Vec<u32> = all.hits.iter().skip(offset).take(2).map(|h| h.id).collect();
        assert_eq!(page.hits.iter().map(|h| h.id).collect::<Vec<_>>(), want);
        assert_eq!(page.total, all.total);
    }
    assert!(engine.search("nhat", &Options { limit: 0, ..Options::default() }).hits.is_empty());
    assert_eq!(engine.search("nhat", &Options { offset: usize::MAX, ..Options::default() }).hits.len(), 0);
}

#[test]
fn snippets_are_windows_of_the_text_with_every_match_highlighted() {
    let mut engine = engine();
    let hits = engine.search("stoltenberg", &Options::default()).hits;
    assert!(hits.len() >= 4);
    for hit in hits {
        let words = hit.snippet.split_whitespace().filter(|w| *w != "…").count();
        assert!((10..=40).contains(&words), "{} words: {}", words, hit.snippet);
        let count = hit.snippet.matches("Stoltenberg").count();
        assert_eq!(hit.highlights.len(), count, "{}", hit.snippet);
        for r in &hit.highlights {
            assert_eq!(utf16_slice(&hit.snippet, *r).as_deref(), Some("Stoltenberg"));
        }
        assert!(!hit.snippet.contains('\n'));
    }
}

#[test]
fn a_snippet_opens_four_words_before_its_match() {
    // The window starts LEAD (4) body words before the match, whatever the
    // title's length: the body's word numbers start after the title's.
    for title in ["Tin", "Tin tức hôm nay"] {
        let text = format!("{} mục tiêu {}", ["lá"; 50].join(" "), ["cây"; 50].join(" "));
        let bytes = index_of(&[(title, &text)]);
        let mut engine = Engine::new(Index::open(&bytes).unwrap());
        let hit = engine.search("muc tieu", &Options::default()).hits.remove(0);
        assert!(hit.snippet.starts_with("… lá lá lá lá mục tiêu cây"), "{title}: {}", hit.snippet);
        assert_eq!(hit.snippet.split_whitespace().filter(|w| *w != "…").count(), 30, "{}", hit.snippet);
        // Near the start of the text, the snippet opens with it.
        let bytes = index_of(&[(title, &format!("lá lá mục tiêu {}", ["cây"; 50].join(" ")))]);
        let mut engine = Engine::new(Index::open(&bytes).unwrap());
        let hit = engine.search("muc tieu", &Options::default()).hits.remove(0);
        assert!(hit.snippet.starts_with("lá lá mục tiêu cây"), "{title}: {}", hit.snippet);
    }
}

/// The highlighted words of `hit`'s snippet.
fn lit(hit: &timkiem_core::Hit) -> Vec<String> {
    hit.highlights.iter().map(|r| utf16_slice(&hit.snippet, *r).unwrap()).collect()
}

#[test]
fn a_word_typed_with_marks_lights_its_spelling_or_else_the_others() {
    let bytes = index_of(&[("A", "bản tin của bạn và bàn ăn"), ("B", "một bản tin, một bàn ăn")]);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let hits = engine.search("bạn", &Options::default()).hits;
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), [0, 1]);
    // Where the typed spelling stands, only it is lit; where it does not,
    // every other spelling of the word is.
    assert_eq!(lit(&hits[0]), ["bạn"]);
    assert_eq!(lit(&hits[1]), ["bản", "bàn"]);
    // Typed without marks: every spelling.
    assert_eq!(lit(&engine.search("ban", &Options::default()).hits[0]), ["bản", "bạn", "bàn"]);
    // With exact diacritics: the typed spelling only.
    let exact = engine.search("bạn", &Options { exact_diacritics: true, ..Options::default() }).hits;
    assert_eq!(exact.iter().map(lit).collect::<Vec<_>>(), [["bạn"]]);
    // With exact diacritics, hỏi for ngã is a typo: the other spelling is
    // lit, and no third one.
    let bytes = index_of(&[("A", "bã và bá, bãi")]);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let exact = engine.search("bả ", &Options { exact_diacritics: true, ..Options::default() }).hits;
    assert_eq!(exact.iter().map(lit).collect::<Vec<_>>(), [["bã"]]);
}

fn top(bytes: &[u8], query: &str, options: &Options) -> Vec<u32> {
    let mut engine = Engine::new(Index::open(bytes).unwrap());
    engine.search(query, options).hits.iter().map(|h| h.id).collect()
}

#[test]
fn adjacent_words_rank_above_scattered_ones() {
    let bytes = index_of(&[
        ("Tin", "Nam Hàn, Nam Hàn và Hàn, rồi Trung Quốc và Trung Quốc, Quốc hội."),
        ("Tin", "Chuyến thăm Hàn Quốc của ông."),
    ]);
    assert_eq!(top(&bytes, "han quoc", &Options::default()), [1, 0]);
    assert_eq!(top(&bytes, "Hàn Quốc", &Options::default()), [1, 0]);
    assert_eq!(top(&bytes, "\"han quoc\"", &Options::default()), [1]);
    // On the seeds: the phrase "Hàn Quốc" stands in every snippet's highlight.
    let mut engine = engine();
    for hit in engine.search("han quoc", &Options::default()).hits.iter().take(3) {
        assert!(hit.snippet.contains("Hàn Quốc"), "{}", hit.snippet);
    }
}

#[test]
fn marks_typed_rank_their_spelling_first() {
    let bytes = index_of(&[("A", "bản tin bản tin"), ("B", "bạn bè"), ("C", "bán hàng"), ("D", "Ban chấp hành")]);
    assert_eq!(top(&bytes, "bạn", &Options::default())[0], 1);
    assert_eq!(top(&bytes, "bạn", &Options { exact_diacritics: true, ..Options::default() }), [1]);
    assert_eq!(top(&bytes, "ban ", &Options { exact_diacritics: true, ..Options::default() }), [3]);
    // While the word is being typed, a tone may still come: "ban" is a prefix of all four.
    assert_eq!(top(&bytes, "ban", &Options { exact_diacritics: true, ..Options::default() }).len(), 4);
    assert_eq!(top(&bytes, "bả", &Options { exact_diacritics: true, ..Options::default() }), [0]);
    assert_eq!(top(&bytes, "bán", &Options::default())[0], 2);
    assert_eq!(top(&bytes, "ban", &Options::default()).len(), 4);
    // Old and new tone placement are the same spelling.
    let bytes = index_of(&[("A", "hoà bình"), ("B", "hoa hồng")]);
    assert_eq!(top(&bytes, "hòa", &Options { exact_diacritics: true, ..Options::default() }), [0]);
}

#[test]
fn exact_words_beat_prefixes_beat_typos() {
    let bytes = index_of(&[("X", "king king king king king"), ("Y", "kinhdoanh kinhdoanh"), ("Z", "kinh tế")]);
    // Typed whole: the word beats its typo. Being typed: the word beats its
    // completions, and typos come after them, only when the page has room.
    assert_eq!(top(&bytes, "kinh ", &Options::default()), [2, 0]);
    assert_eq!(top(&bytes, "kinh", &Options::default()), [2, 1, 0]);
    assert_eq!(top(&bytes, "kinh", &Options { limit: 2, ..Options::default() }), [2, 1]);
    assert_eq!(top(&bytes, "kinh ", &Options { fuzzy: false, ..Options::default() }), [2]);
    assert_eq!(top(&bytes, "kinhd", &Options::default()), [1]);
    assert_eq!(top(&bytes, "kinhh ", &Options::default()), [2]);
    let mut engine = engine();
    let typo = engine.search("stoltenbreg", &Options::default());
    assert!(typo.total >= 4 && !typo.hits[0].highlights.is_empty());
    assert_eq!(engine.search("stoltenbreg", &Options { fuzzy: false, ..Options::default() }).total, 0);
    assert!(engine.search("kishda", &Options::default()).total >= 3);
}

#[test]
fn title_matches_weigh_more() {
    let bytes = index_of(&[("Khác", "Tokyo là thủ đô, Tokyo đông dân"), ("Tokyo", "thủ đô")]);
    assert_eq!(top(&bytes, "tokyo", &Options::default()), [1, 0]);
}

#[test]
fn telex_typed_without_an_input_method() {
    let mut engine = engine();
    let telex = ids(&mut engine, "nhaajt banr", &Options::default());
    assert_eq!(telex, ids(&mut engine, "nhật bản", &Options::default()));
    assert!(ids(&mut engine, "nhaajt banr", &Options { telex: false, ..Options::default() }).is_empty());
    assert!(!ids(&mut engine, "ddan mach", &Options::default()).is_empty());
    // The telex reading ranks below a reading of the query as typed.
    let bytes = index_of(&[("A", "banr tin"), ("B", "bản tin")]);
    assert_eq!(top(&bytes, "banr", &Options::default()), [0, 1]);
}

/// On the seeds, short prefixes stay within the bounds of a prefix's
/// expansion (`MAX_PREFIX_TERMS` terms, `POSTINGS_BUDGET` postings) and are
/// not heavy, so they must be complete. (The bounds themselves are reached in
/// crates/core/tests/bounds.rs, the heavy path in heavy.rs there.)
#[test]
fn short_prefixes_are_bounded_but_complete_on_small_corpora() {
    let mut engine = engine();
    for q in ["n", "t", "th", "ng", "a"] {
        let found = engine.index().with_prefix(q);
        let postings: u64 = found.iter().map(|(_, _, info)| u64::from(info.df)).sum();
        assert!(found.len() <= timkiem_core::MAX_PREFIX_TERMS, "{q}: {} terms", found.len());
        assert!(postings <= u64::from(timkiem_core::POSTINGS_BUDGET), "{q}: {postings} postings");
        assert!(engine.index().heavy(q).is_none(), "{q} is heavy on the seeds");
        let all = ids(&mut engine, q, &plain());
        assert_eq!(all, reference(&tokenized(&seeds()), q), "{q}");
    }
}

/// A corpus large enough for heavy prefixes, whose matches come from the
/// index's precomputed bitmaps and best lists rather than the postings: the
/// same documents as the reference, and highlights on matching words (so the
/// positions the best lists point at decode to the right words).
#[test]
fn heavy_prefixes_agree_with_brute_force_and_highlight_their_words() {
    const VOCAB: [&str; 15] = [
        "nguyễn", "người", "ngày", "nghe", "nghĩa", "ngoài", "nhật", "bản", "bạn", "hà", "nội", "tôi", "và", "của",
        "một",
    ];
    let mut rng = Rng::new(7);
    let mut next = move || rng.bits() as usize;
    let docs: Vec<Document> = (0..600)
        .map(|i| {
            let words = |n: usize, next: &mut dyn FnMut() -> usize| {
                (0..n).map(|_| VOCAB[next() % VOCAB.len()]).collect::<Vec<_>>().join(" ")
            };
            let title = words(2, &mut next);
            let text = words(5 + next() % 40, &mut next);
            Document { path: format!("{i:03}.txt"), title, text }
        })
        .collect();
    let (bytes, _) = write_index(&docs).unwrap();
    let index = Index::open(&bytes).unwrap();
    assert!(index.heavy("ng").is_some() && index.heavy("n").is_some(), "the corpus must make heavy prefixes");
    let fields = tokenized(&docs);
    let mut engine = Engine::new(index);
    for query in ["n", "ng", "ngu", "ban ng", "nhat ng", "nguoi ba", "người ng", "nghĩa n"] {
        assert_eq!(ids(&mut engine, query, &plain()), reference(&fields, query), "query {query:?}");
        let words: Vec<timkiem_core::query::Word> = parse(query).words;
        let r = engine.search(query, &Options { limit: 10, ..plain() });
        assert!(!r.hits.is_empty(), "{query}");
        for hit in &r.hits {
            assert!(!hit.highlights.is_empty(), "{query}: no highlights in {:?}", hit.snippet);
            for &range in &hit.highlights {
                let word = fold(&utf16_slice(&hit.snippet, range).unwrap());
                assert!(
                    words.iter().any(|w| word == w.term || (w.prefix && word.starts_with(&w.term))),
                    "{query}: highlighted {word:?} in {:?}",
                    hit.snippet
                );
            }
        }
    }
}

/// `document_highlights` gives the title's ranges as well as the text's:
/// the title's are those of the document's hit, and every range of the
/// whole text folds to a query word (so the JS side never searches again).
#[test]
fn document_highlights_cover_title_and_text() {
    let mut engine = engine();
    let mut titles = 0;
    for q in ["nhat ban", "Đan Mạch", "han quoc", "stoltenbreg", "nhaajt", "van ph"] {
        let terms: Vec<String> = parse(q).words.iter().map(|w| w.term.clone()).collect();
        let options = Options::default();
        for hit in engine.search(q, &options).hits {
            let found = engine.document_highlights(hit.id, q, &options).unwrap();
            assert_eq!(found.title, hit.title_highlights, "{q}: title of {}", hit.id);
            titles += usize::from(!found.title.is_empty());
            let text = engine.index().doc(hit.id).unwrap().text().unwrap();
            assert!(!found.text.is_empty(), "{q}: nothing highlighted in document {}", hit.id);
            for &range in &found.text {
                let word = fold(&utf16_slice(text, range).unwrap());
                assert!(
                    terms.iter().any(|t| word == *t || word.starts_with(t.as_str()) || edit_distance(t, &word) <= 2),
                    "{q}: {word:?} in document {}",
                    hit.id
                );
            }
        }
    }
    assert!(titles >= 3, "{titles} titles highlighted");
    assert_eq!(engine.document_highlights(u32::MAX, "nhat", &Options::default()), None);
}
