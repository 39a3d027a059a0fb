//! Relevance for what readers really type (issue 13): VNI, syllables run
//! together, adjacency while typing, exact spellings first, spelling
//! confusions, "did you mean".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::collections::BTreeSet;

use timkiem_core::text::tokenize;
use timkiem_core::write::{write_split, SplitOptions};
use timkiem_core::{Engine, Index, Options, Outcome, Results};
use timkiem_testkit::{confusions, typo, utf16_slice};

/// An engine over the seeds' index, built once (as build.rs builds the
/// embedded one).
fn seeds() -> Engine<'static> {
    Engine::new(Index::open(common::seeds_index()).unwrap())
}

fn ids(bytes: &[u8], q: &str, options: &Options) -> Vec<u32> {
    let mut engine = Engine::new(Index::open(bytes).unwrap());
    engine.search(q, options).hits.iter().map(|h| h.id).collect()
}

/// The words highlighted in the hits' snippets and titles, lower case.
fn lit(results: &Results) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for h in &results.hits {
        for (text, ranges) in [(&h.snippet, &h.highlights), (&h.title, &h.title_highlights)] {
            out.extend(ranges.iter().map(|&r| utf16_slice(text, r).unwrap().to_lowercase()));
        }
    }
    out
}

#[test]
fn vni_reads_like_telex_and_numbers_keep_working() {
    let mut engine = seeds();
    let on = Options::default();
    let off = Options { vni: false, ..on };
    for (vni, words) in [
        ("tie61ng vie65t", &["tiếng", "việt"][..]),
        ("tieng61 viet65", &["tiếng", "việt"]),
        ("d9o6ng a1", &["đông", "á"]),
        ("nha65t ba3n", &["nhật", "bản"]),
    ] {
        let found = engine.search(vni, &on);
        assert!(found.total > 0, "{vni}");
        // Every word lit in the top hit's whole document.
        let top = found.hits[0].id;
        let marks = engine.document_highlights(top, vni, &on).unwrap();
        let doc = engine.index().doc(top).unwrap();
        let lit: BTreeSet<String> = (marks.text.iter().map(|&r| utf16_slice(doc.text().unwrap(), r).unwrap()))
            .chain(marks.title.iter().map(|&r| utf16_slice(doc.title, r).unwrap()))
            .map(|w| w.to_lowercase())
            .collect();
        for w in words {
            assert!(lit.contains(*w), "{vni}: {w} not in {lit:?}");
        }
        assert!(!engine.search(vni, &Options { fuzzy: false, ..off }).hits.iter().any(|h| h.title.contains("Đông Á")));
    }
    // Genuine numbers and codes: the same with VNI on or off.
    for q in ["2023", "31/01", "31/01/2023", "G7", "03/05/2023"] {
        assert_eq!(engine.search(q, &on), engine.search(q, &off), "{q}");
    }
}

#[test]
fn run_together_syllables_are_split() {
    let mut engine = seeds();
    for q in ["vanphong", "vanphong ", "#vanphong", "vanphong.vn", "vanphon"] {
        let found = engine.search(q, &Options::default());
        assert!(found.total >= 4, "{q}: {}", found.total);
        let lit = lit(&found);
        assert!(lit.contains("văn") && lit.iter().any(|w| w.starts_with("phòn")), "{q}: {lit:?}");
    }
    for q in ["thutuong", "#thutuong"] {
        let found = engine.search(q, &Options::default());
        assert!(found.hits[0].title.contains("Thủ tướng"), "{q}: {}", found.hits[0].title);
    }
    let found = engine.search("lienminhbacdaitayduong", &Options::default());
    assert!(found.total >= 3);
    assert!(found.hits[0].snippet.contains("Liên minh Bắc Đại Tây Dương"), "{}", found.hits[0].snippet);
    // The split whose syllables stand together in the corpus wins.
    let bytes = common::index_of(&[("A", "thu tương lai"), ("B", "thủ tướng"), ("C", "thut uong")]);
    assert_eq!(ids(&bytes, "thutuong", &Options::default())[0], 1);
    let bytes = common::index_of(&[("A", "văn hay, phòng khách"), ("B", "văn phòng")]);
    assert_eq!(ids(&bytes, "vanphong", &Options::default()), [1, 0]);
}

#[test]
fn adjacent_with_the_last_word_typed_beats_scattered() {
    let bytes = common::index_of(&[
        ("A", "văn phòng mới, lớn: l là chữ cái. văn phòng x l"),
        ("B", "ở đây có văn phòng liên lạc"),
        ("C", "phòng văn lạ lùng"),
    ]);
    let phrase = "van phong lien lac";
    for end in "van phong l".len()..=phrase.len() {
        let q = &phrase[..end];
        if q.ends_with(' ') {
            continue;
        }
        let top = ids(&bytes, q, &Options::default());
        assert_eq!(top.first(), Some(&1), "{q}: {top:?}");
    }
    let mut engine = seeds();
    let top = engine.search("van phong l", &Options::default());
    for h in &top.hits[..2] {
        assert!(h.snippet.to_lowercase().contains("văn phòng liên lạc"), "{}", h.snippet);
    }
}

#[test]
fn exact_spellings_first_then_their_variants() {
    let bytes = common::index_of(&[("A", "Stoltenberg nói"), ("B", "Stoltenburg nói"), ("C", "ông Stoltenberg")]);
    for q in ["stoltenberg", "stoltenberg "] {
        let top = ids(&bytes, q, &Options::default());
        assert_eq!(top.len(), 3, "{q}");
        assert_eq!(top[2], 1, "{q}: {top:?}");
    }
    // While it is typed, a full page of exact matches brings no variants.
    assert_eq!(ids(&bytes, "stoltenberg", &Options { limit: 2, ..Options::default() }), [0, 2]);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    assert_eq!(engine.count("stoltenberg", &Options { limit: 2, ..Options::default() }), 2);
    assert_eq!(engine.count("stoltenberg", &Options::default()), 3);
    assert_eq!(ids(&bytes, "stoltenberg", &Options { fuzzy: false, ..Options::default() }).len(), 2);
}

/// The documents (single words) a whole word matches by the typo rule, as
/// `timkiem_testkit::typo` restates it (not the engine's own code).
fn reference(words: &[&str], q: &str) -> BTreeSet<u32> {
    (0..words.len() as u32).filter(|&i| words[i as usize] == q || typo(q, words[i as usize]).is_some()).collect()
}

#[test]
fn confusions_are_one_edit_against_a_reference_distance() {
    let words = [
        "sa", "xa", "chung", "trung", "da", "gia", "ra", "lo", "no", "ki", "ky", "qua", "cua", "kua", "su", "xu",
        "nam", "lam", "giua", "dua", "rua", "chu", "tru", "xin", "sin", "yeu", "ieu", "nhat", "nhan", "trang",
    ];
    let text: Vec<(&str, &str)> = words.iter().map(|w| ("t", *w)).collect();
    let bytes = common::index_of(&text);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let plain = Options { telex: false, vni: false, limit: 1000, ..Options::default() };
    let mut queries: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    queries.extend(words.iter().flat_map(|w| confusions(w, false)));
    queries.extend(["chuong", "giau", "nhta", "xinh"].map(String::from));
    for q in &queries {
        let want = reference(&words, q);
        let got: BTreeSet<u32> = engine.search(&format!("{q} "), &plain).hits.iter().map(|h| h.id).collect();
        // Words under 4 letters are never split; longer ones that match
        // closely are not either: then the engine is the reference.
        let closely = words.iter().any(|w| *w == q.as_str() || typo(q, w) == Some(1));
        if q.len() < 4 || closely {
            assert_eq!(got, want, "{q}");
        }
    }
    // Ranked as typos: below the word itself.
    let top = ids(&bytes, "chung ", &plain);
    assert_eq!(top[0], 2);
    let bytes = common::index_of(&[("A", "Trung Quốc"), ("B", "tuyên bố chung"), ("C", "xử lý"), ("D", "sử dụng")]);
    assert_eq!(ids(&bytes, "chung ", &Options::default()), [1, 0]);
    assert_eq!(ids(&bytes, "xu dung", &Options::default())[0], 3);
    assert_eq!(ids(&bytes, "sử lý", &Options::default())[0], 2);
}

#[test]
fn hoi_and_nga_are_one_edit_for_marked_queries() {
    let bytes = common::index_of(&[("A", "sẽ đi"), ("B", "sẻ chia"), ("C", "se lạnh")]);
    let exact = Options { exact_diacritics: true, ..Options::default() };
    assert_eq!(ids(&bytes, "sẻ ", &exact), [1, 0]);
    assert_eq!(ids(&bytes, "sẽ ", &exact), [0, 1]);
    assert_eq!(ids(&bytes, "sẽ ", &Options { fuzzy: false, ..exact }), [0]);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let found = engine.search("sẻ ", &exact);
    assert_eq!(lit(&found), ["sẻ", "sẽ"].map(String::from).into_iter().collect());
}

#[test]
fn did_you_mean_and_the_marked_spelling() {
    let bytes = common::index_of(&[("A", "Nhật Bản và Hà Nội"), ("B", "Nhật Bản"), ("C", "bàn ghế")]);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let strict = Options { fuzzy: false, ..Options::default() };
    let none = engine.search("nhat bam", &strict);
    assert_eq!((none.total, none.suggestion.as_deref()), (0, Some("nhật bản")));
    assert_eq!(engine.search(none.suggestion.as_deref().unwrap(), &strict).total, 2);
    assert_eq!(engine.search("nhat zzzzzz", &strict).suggestion, None);
    assert_eq!(engine.search("nhat g7", &strict).suggestion, None);
    assert_eq!(engine.search("nhatban", &Options::default()).suggestion, None, "the split finds it");
    assert_eq!(engine.search("nhatban", &strict).suggestion.as_deref(), Some("nhật bản"));
    let found = engine.search("nhat ban", &Options::default());
    assert_eq!(found.interpretation.as_deref(), Some("nhật bản"));
    assert_eq!(found.suggestion, None);
    assert_eq!(engine.search("nhật bản", &Options::default()).interpretation, None);
    // Two spellings, neither mostly: no interpretation.
    let bytes = common::index_of(&[("A", "bàn"), ("B", "bản"), ("C", "bán")]);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    assert_eq!(engine.search("ban", &Options::default()).interpretation, None);
    let mut engine = seeds();
    assert_eq!(engine.search("nhat ban", &Options::default()).interpretation.as_deref(), Some("nhật bản"));
    let tokens: Vec<String> = tokenize("x").map(|t| t.term).collect();
    assert_eq!(tokens, ["x"]);
}

/// "Did you mean" picks the closest correction, then the most frequent, and
/// leaves short words, numbers and codes alone.
#[test]
fn corrections_are_the_closest_and_most_frequent() {
    let bytes = common::index_of(&[
        ("A", "bana bana"),
        ("B", "bana"),
        ("C", "bana banz"),
        ("D", "xanh ba"),
        ("E", "xanh bana"),
    ]);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let strict = Options { fuzzy: false, ..Options::default() };
    assert_eq!(engine.search("bany", &strict).suggestion.as_deref(), Some("bana"));
    assert_eq!(engine.search("banzz", &strict).suggestion.as_deref(), Some("banz"), "1 edit before 2");
    assert_eq!(engine.search("xqnk", &strict).suggestion.as_deref(), Some("xanh"), "2 edits from 4 letters");
    assert_eq!(engine.search("xanh bx", &strict).suggestion, None, "2 letters: not corrected");
    assert_eq!(engine.search("xanh banq7", &strict).suggestion, None, "a code: not corrected");
}

/// A correction is offered only when it finds something as typed: not
/// through a typo of its own.
#[test]
fn a_correction_must_find_something_without_typos() {
    // "xanh" and "banh" never stand in one document, but "banh" is one
    // edit from "xanh": with typos, "xanh banh" would find A.
    let bytes = common::index_of(&[("A", "xanh lam"), ("B", "banh mì")]);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let r = engine.search("xanhh banhh ", &Options::default());
    assert_eq!((r.total, r.suggestion), (0, None));
    // Where the corrected words stand together, the correction is offered.
    let bytes = common::index_of(&[("A", "xanh lam"), ("B", "banh mì"), ("C", "xanh banh")]);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let strict = Options { fuzzy: false, ..Options::default() };
    assert_eq!(engine.search("xanhh banhh ", &strict).suggestion.as_deref(), Some("xanh banh"));
    // Nor through another reading: "xanh hoas" finds A only read as telex
    // ("hoas" → "hoá").
    let bytes = common::index_of(&[("A", "xanh hoá"), ("B", "hoas lam")]);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let r = engine.search("xanhh hoass ", &strict);
    assert_eq!((r.total, r.suggestion), (0, None));
    // Or as VNI: a code kept as typed ("tu7") is not read as "tư".
    let bytes = common::index_of(&[("A", "xanh tư"), ("B", "mã tu7")]);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let r = engine.search("xanhh tu7 ", &strict);
    assert_eq!((r.total, r.suggestion), (0, None));
}

/// While the last word is typed, a document where one of its completions
/// (not the best scoring one) follows the word before is lifted above a
/// document with the words scattered, even onto a one-hit page.
#[test]
fn an_adjacent_completion_lifts_a_document_onto_the_page() {
    let bytes = common::index_of(&[
        ("A", "văn phòng liên lạc, lớn lớn lớn và nhiều chữ khác nữa"),
        ("B", "văn phòng và lớn lớn lớn lớn"),
        ("C", "bài khác"),
    ]);
    for limit in [10, 2, 1] {
        let top = ids(&bytes, "van phong l", &Options { limit, ..Options::default() });
        assert_eq!(top[0], 0, "limit {limit}: {top:?}");
    }
}

/// The adjacent-completion bonus counts once per document, however many
/// completions stand adjacent, and is found in any document of the pool,
/// not only the first one left open.
#[test]
fn an_adjacent_completion_counts_once_in_every_document() {
    let bytes = common::index_of(&[
        // Its last pair is adjacent with the best completion: never open.
        ("A", "văn phòng lo"),
        // The same words in other orders: no completion, one or two
        // completions of "l" after "phòng".
        ("B", "văn phòng xa. lo lo lo lo. lạnh lớn văn phòng"),
        ("C", "văn phòng lạnh. lo lo lo lo. xa lớn văn phòng"),
        ("D", "văn phòng lạnh. lo lo lo lo. văn phòng lớn xa"),
        // Adjacent with its best completion ("lo", four times): the same bonus.
        ("E", "văn phòng lo. lạnh lo lo lo. xa lớn văn phòng"),
    ]);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let hits = engine.search("van phong l", &Options::default()).hits;
    let score = |id: u32| hits.iter().find(|h| h.id == id).map(|h| h.score).unwrap();
    assert_eq!(hits.len(), 5);
    assert_eq!(score(2), score(3), "{hits:?}");
    assert_eq!(score(2), score(4), "{hits:?}");
    assert!(score(2) > score(1), "{hits:?}");
}

/// The split chosen is the one whose pieces stand together in the corpus,
/// also when it has one piece more than the fewest.
#[test]
fn a_split_with_one_more_piece_wins_when_its_pieces_stand_together() {
    let docs = [("A", "ka le mo"), ("B", "kale và mo")];
    let bytes = common::index_of(&docs);
    assert_eq!(ids(&bytes, "kalemo ", &Options::default()), [0]);
    // Over a split index: the choice made before the postings are there
    // (nothing stands together yet) is not kept for the next keystroke.
    let split = write_split(&common::documents(&docs), &SplitOptions::default()).unwrap();
    let mut engine = Engine::new(Index::open(&split.index).unwrap());
    let mut rounds = 0;
    let results = loop {
        match engine.query("kalemo ", &Options::default()) {
            Outcome::Ready(results) => break results,
            Outcome::Need(shards) => {
                for n in shards {
                    engine.add_shard(n, &split.shards[n as usize].bytes).unwrap();
                }
                rounds += 1;
                assert!(rounds <= 4, "too many rounds");
            }
        }
    };
    assert_eq!(results.hits.iter().map(|h| h.id).collect::<Vec<_>>(), [0]);
    assert_eq!(engine.search("kalemo ", &Options::default()).hits.iter().map(|h| h.id).collect::<Vec<_>>(), [0]);
}

/// In the split reading, only a short word that matches nothing right after
/// a split word is dropped (a domain ending); every other word still
/// counts.
#[test]
fn a_split_reading_keeps_the_other_words() {
    let bytes = common::index_of(&[("A", "văn phòng NATO"), ("B", "văn phòng Tokyo"), ("C", "NATO họp")]);
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let o = Options::default();
    assert_eq!(ids(&bytes, "vanphong nato", &o), [0]);
    assert_eq!(engine.count("vanphong tokyo", &o), 1);
    assert_eq!(engine.count("vanphong.vn", &o), 2, "a domain ending is dropped");
    assert_eq!(engine.count("nato vanphong", &o), 1);
}
