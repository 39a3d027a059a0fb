//! The index format: round trip against a plain model, reproducibility,
//! corrupt and truncated bytes, corpus errors, and the golden fixture.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use quickcheck::{QuickCheck, TestResult};

use timkiem_core::corpus::{self, CorpusError, Document};
use timkiem_core::text::tokenize;
use timkiem_core::write::write_index;
use timkiem_core::{Engine, FormatError, Index, Options};

fn doc(path: &str, title: &str, text: &str) -> Document {
    Document { path: path.into(), title: title.into(), text: text.into() }
}

fn sample() -> Vec<Document> {
    vec![
        doc("a.txt", "Nhật Bản và NATO", "NATO mở văn phòng liên lạc tại Tokyo, Nhật Bản. Bạn bè 2.400 người."),
        doc("b.txt", "Hàn Quốc", "Nam Hàn và Trung Quốc. Đan Mạch, Taksøe-Jensen, Koweït 😀 ngày 31/01/2023."),
        doc("c.md", "", ""),
        doc("d.txt", "Bản tin", "bản bạn bán băn bàn BẢN"),
    ]
}

/// term -> document -> positions, computed plainly from the documents.
fn model(docs: &[Document]) -> BTreeMap<String, BTreeMap<u32, Vec<u32>>> {
    let mut m: BTreeMap<String, BTreeMap<u32, Vec<u32>>> = BTreeMap::new();
    for (id, d) in docs.iter().enumerate() {
        let title: Vec<_> = tokenize(&d.title).collect();
        let body_start = title.len() as u32 + 1;
        for (i, t) in title.iter().enumerate() {
            m.entry(t.term.clone()).or_default().entry(id as u32).or_default().push(i as u32);
        }
        for (i, t) in tokenize(&d.text).enumerate() {
            m.entry(t.term).or_default().entry(id as u32).or_default().push(body_start + i as u32);
        }
    }
    m
}

#[test]
fn round_trip_matches_the_model() {
    let docs = sample();
    let (bytes, breakdown) = write_index(&docs).unwrap();
    assert_eq!(breakdown.total, bytes.len());
    let index = Index::open(&bytes).unwrap();
    let m = model(&docs);
    assert_eq!(index.term_count() as usize, m.len());
    assert_eq!(index.documents() as usize, docs.len());
    for (n, (term, postings)) in m.iter().enumerate() {
        assert_eq!(index.lookup(term), Some(n as u32), "{term}");
        assert_eq!(index.df(n as u32) as usize, postings.len());
        let got: BTreeMap<u32, Vec<u32>> =
            index.postings(n as u32).map(|p| (p.doc, index.positions(&p).collect())).collect();
        assert_eq!(&got, postings, "{term}");
    }
    for (id, d) in docs.iter().enumerate() {
        let info = index.doc(id as u32).unwrap();
        assert_eq!((info.title, info.path, info.text().unwrap()), (d.title.as_str(), d.path.as_str(), d.text.as_str()));
    }
    assert!(index.doc(docs.len() as u32).is_none());
    // A range ending inside a character ends before it instead.
    let d = index.doc(0).unwrap();
    assert!(d.text().unwrap().starts_with("NATO mở"));
    assert_eq!(d.text_range(0, 7), Some("NATO m")); // "ở" is bytes 6..9
    assert_eq!(d.text_range(0, 9), Some("NATO mở"));
    assert_eq!(d.text_range(5, 1 << 30), d.text().unwrap().get(5..));
    // "ban" keeps its spellings apart, with their own documents.
    let ban = index.lookup("ban").unwrap();
    let variants: Vec<(Vec<u8>, Option<Vec<u32>>)> =
        index.variants(ban).map(|v| (v.marks.to_vec(), v.docs.map(|d| d.collect()))).collect();
    assert_eq!(variants.len(), 5, "{variants:?}"); // bản, bạn, bán, băn, bàn (BẢN folds with bản)
    let ban_hook = tokenize("bản").next().unwrap().marks;
    let docs_with_ban_hook = variants.iter().find(|v| v.0 == ban_hook).unwrap().1.clone().unwrap();
    assert_eq!(docs_with_ban_hook, vec![0, 3]);
}

/// Every term's postings, positions and variants read back as written, for
/// random corpora: many or few documents, long and short, words repeated
/// enough to take the skip codes, and spellings that differ only by marks.
#[test]
fn random_corpora_round_trip() {
    fn prop(words: Vec<u8>, cuts: Vec<u8>) -> TestResult {
        const VOCAB: [&str; 12] = ["ban", "bản", "bạn", "Bán", "nhat", "nhật", "a", "ă", "đan", "dan", "x", "2.400"];
        let mut docs = Vec::new();
        let mut rest = &words[..];
        for (i, &cut) in cuts.iter().enumerate() {
            let (take, more) = rest.split_at((cut as usize).min(rest.len()));
            rest = more;
            let text: Vec<&str> = take.iter().map(|&w| VOCAB[w as usize % VOCAB.len()]).collect();
            let title =
                if i % 3 == 0 { text.iter().take(2).copied().collect::<Vec<_>>().join(" ") } else { String::new() };
            docs.push(doc(&format!("{i:03}.txt"), &title, &text.join(" ")));
        }
        if docs.is_empty() {
            return TestResult::discard();
        }
        let (bytes, _) = write_index(&docs).unwrap();
        let index = Index::open(&bytes).unwrap();
        let m = model(&docs);
        for (term, postings) in &m {
            let n = index.lookup(term).unwrap();
            assert_eq!(index.df(n) as usize, postings.len(), "{term}");
            let got: BTreeMap<u32, Vec<u32>> =
                index.postings(n).map(|p| (p.doc, index.positions(&p).collect())).collect();
            assert_eq!(&got, postings, "{term}");
            // Every spelling of the term, with exactly the documents using it.
            let mut spellings: BTreeMap<Vec<u8>, Vec<u32>> = BTreeMap::new();
            for (id, d) in docs.iter().enumerate() {
                for t in tokenize(&d.title).chain(tokenize(&d.text)).filter(|t| &t.term == term) {
                    let list = spellings.entry(t.marks).or_default();
                    if list.last() != Some(&(id as u32)) {
                        list.push(id as u32);
                    }
                }
            }
            let variants: BTreeMap<Vec<u8>, Vec<u32>> = index
                .variants(n)
                .map(|v| (v.marks.to_vec(), v.docs.map_or_else(|| postings.keys().copied().collect(), |d| d.collect())))
                .collect();
            assert_eq!(variants, spellings, "{term}");
        }
        TestResult::passed()
    }
    QuickCheck::new().tests(200).quickcheck(prop as fn(Vec<u8>, Vec<u8>) -> TestResult);
}

/// A gap far longer than the mean one: the Rice code's unary part runs over
/// many 56-bit windows of the reader.
#[test]
fn long_gaps_round_trip() {
    let mut docs = vec![doc("big.txt", "", &format!("x {} x y", "w ".repeat(20_000)))];
    for i in 0..50 {
        docs.push(doc(&format!("s{i:02}.txt"), "", "x w"));
    }
    let (bytes, _) = write_index(&docs).unwrap();
    let index = Index::open(&bytes).unwrap();
    let x = index.lookup("x").unwrap();
    let big = index.postings(x).next().unwrap();
    assert_eq!(index.positions(&big).collect::<Vec<_>>(), vec![1, 20_002]);
    assert_eq!(index.postings(x).count(), 51);
    let w = index.lookup("w").unwrap();
    assert_eq!(index.positions(&index.postings(w).next().unwrap()).count(), 20_000);
}

#[test]
fn lengths_that_do_not_fit_a_byte_or_two_are_kept_whole() {
    let words = |n: usize, w: &str| vec![w; n].join(" ");
    let docs = [
        doc("a.txt", &words(254, "tựa"), &words(65_534, "chữ")),
        doc("b.txt", &words(255, "tựa"), "ngắn"),
        doc("c.txt", "ngắn", &words(65_535, "chữ")),
        doc("d.txt", &words(300, "tựa"), &words(70_000, "chữ")),
        doc("e.txt", "", ""),
    ];
    let (bytes, _) = write_index(&docs).unwrap();
    let index = Index::open(&bytes).unwrap();
    for (id, d) in docs.iter().enumerate() {
        let expected = (tokenize(&d.title).count() as u32, tokenize(&d.text).count() as u32);
        assert_eq!(index.doc_lengths(id as u32), Some(expected), "{}", d.path);
        let info = index.doc(id as u32).unwrap();
        assert_eq!((info.title_tokens, info.body_tokens), expected);
    }
    assert_eq!(index.doc_lengths(5), None);
}

#[test]
fn prefix_ranges_are_contiguous() {
    let (bytes, _) = write_index(&sample()).unwrap();
    let index = Index::open(&bytes).unwrap();
    let m = model(&sample());
    for prefix in ["", "b", "ba", "ban", "nh", "z", "\u{10FFFF}", "2"] {
        let (lo, hi) = index.prefix_range(prefix);
        let want: Vec<usize> = m.keys().enumerate().filter(|(_, k)| k.starts_with(prefix)).map(|(i, _)| i).collect();
        assert_eq!((lo..hi).map(|i| i as usize).collect::<Vec<_>>(), want, "{prefix:?}");
    }
}

#[test]
fn same_corpus_same_bytes() {
    let (a, _) = write_index(&sample()).unwrap();
    let (b, _) = write_index(&sample()).unwrap();
    assert_eq!(a, b);
    let dir = tempdir("repro");
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::write(dir.join("sub/z.txt"), "Zeta\nz").unwrap();
    fs::write(dir.join("a.md"), "# Alpha\nalpha").unwrap();
    fs::write(dir.join("m.html"), "<title>Mu</title><p>mu</p>").unwrap();
    let once = corpus::load(&dir).unwrap();
    let paths: Vec<&str> = once.documents.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["a.md", "m.html", "sub/z.txt"]);
    let twice = corpus::load(&dir).unwrap();
    assert_eq!(write_index(&once.documents).unwrap().0, write_index(&twice.documents).unwrap().0);
}

#[test]
fn corrupt_and_truncated_bytes_are_errors_not_panics() {
    let (bytes, _) = write_index(&sample()).unwrap();
    assert_eq!(Index::open(b"").err(), Some(FormatError::Magic));
    assert_eq!(Index::open(b"TIMKIEM").err(), Some(FormatError::Magic));
    for len in 0..bytes.len() {
        assert!(Index::open(&bytes[..len]).is_err(), "truncated to {len}");
    }
    let mut v = bytes.clone();
    v[8] = 99;
    assert_eq!(Index::open(&v).err(), Some(FormatError::Version { expected: timkiem_core::format::VERSION, got: 99 }));
    // Any single corrupt byte: opening fails or every read is safe.
    for at in 0..bytes.len() {
        for flip in [0x01u8, 0x80, 0xFF] {
            let mut v = bytes.clone();
            v[at] ^= flip;
            if let Ok(index) = Index::open(&v) {
                let mut engine = Engine::new(index);
                for q in ["nhat ban", "b", "\"han quoc\"", "dan mch"] {
                    let r = engine.search(q, &Options::default());
                    assert!(r.hits.len() <= r.total);
                }
                for id in 0..6 {
                    let _ = engine.document_highlights(id, "ban", &Options::default());
                }
            }
        }
    }
}

/// `open_verified`, for the build-checked embedded index, answers as `open`
/// does, and still checks the header, the fst's footer and every other
/// section: only the term dictionary's checksum and walk are skipped.
#[test]
fn open_verified_answers_as_open() {
    for bytes in [write_index(&sample()).unwrap().0, timkiem::EMBEDDED_INDEX.to_vec()] {
        let mut checked = Engine::new(Index::open(&bytes).unwrap());
        let mut verified = Engine::new(Index::open_verified(&bytes).unwrap());
        for q in ["nhat ban", "b", "\"han quoc\"", "dan mch", "nhaajt banr", "stoltenbreg", ""] {
            assert_eq!(checked.search(q, &Options::default()), verified.search(q, &Options::default()), "{q}");
        }
        assert_eq!(Index::open_verified(&bytes[..bytes.len() - 1]).err(), Index::open(&bytes[..bytes.len() - 1]).err());
        let mut v = bytes.clone();
        v[8] = 99;
        assert!(matches!(Index::open_verified(&v).err(), Some(FormatError::Version { .. })));
    }
    assert_eq!(Index::open_verified(b"TIMKIEM").err(), Some(FormatError::Magic));
}

/// Each section's reader checks its own part, and an error names the
/// section: every section moved past the end of the index, and the sections
/// whose length the header fixes (by the numbers of terms and documents) one
/// byte short.
#[test]
fn section_errors_name_the_section() {
    use timkiem_core::format::{put_u32, Header, Section, SectionTable};
    let (bytes, _) = write_index(&sample()).unwrap();
    let header = Header::from_bytes(&bytes).unwrap();
    for section in Section::ALL {
        let mut v = bytes.clone();
        put_u32(&mut v, SectionTable::entry_at(section), bytes.len() as u32);
        put_u32(&mut v, SectionTable::entry_at(section) + 4, 1);
        assert_eq!(Index::open(&v).err(), Some(FormatError::Section { section }), "{section} past the end");
        let e = Index::open(&v).err().unwrap().to_string();
        assert!(e.contains(section.name()), "{e}");
    }
    for section in [Section::Terms, Section::Docs, Section::Heavy] {
        let mut v = bytes.clone();
        let len = header.sections.range(section).len() as u32;
        put_u32(&mut v, SectionTable::entry_at(section) + 4, len - 1);
        assert_eq!(Index::open(&v).err(), Some(FormatError::Section { section }), "{section} one byte short");
    }
    // The term dictionary one byte short fails its checksum.
    let mut v = bytes.clone();
    let len = header.sections.range(Section::Fst).len() as u32;
    put_u32(&mut v, SectionTable::entry_at(Section::Fst) + 4, len - 1);
    assert_eq!(Index::open(&v).err(), Some(FormatError::Checksum));
}

/// The build summary names every section, and its sizes add up.
#[test]
fn breakdown_names_every_section() {
    use timkiem_core::format::{Header, Section};
    let (bytes, b) = write_index(&sample()).unwrap();
    let header = Header::from_bytes(&bytes).unwrap();
    for section in Section::ALL {
        assert_eq!(b.section(section), header.sections.range(section).len(), "{section}");
    }
    assert_eq!(Header::LEN + b.sections.iter().sum::<usize>(), b.total);
    let text: usize = sample().iter().map(|d| d.text.len()).sum();
    assert_eq!(b.text, text);
    assert!(b.variants > 0 && b.variants < b.section(Section::Postings));
    let summary = b.to_string();
    let json = b.json_members();
    for section in Section::ALL {
        assert!(summary.contains(&format!(" {} {}", section.name(), b.section(section))), "{summary}");
        assert!(json.contains(&format!("\"{}\":{}", section.name(), b.section(section))), "{json}");
    }
    assert!(json.starts_with(&format!("\"documents\":4,\"terms\":{},\"total\":{}", b.terms, b.total)), "{json}");
}

#[test]
fn error_messages_name_the_problem() {
    let e = FormatError::Version { expected: 1, got: 2 }.to_string();
    assert!(e.contains("rebuild"), "{e}");
    assert!(FormatError::Truncated { expected: 10, got: 5 }.to_string().contains("5 bytes of 10"));
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("timkiem-test-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn corpus_errors_name_the_file() {
    let missing = Path::new("/nonexistent/timkiem");
    assert!(matches!(corpus::load(missing), Err(CorpusError::Missing(_))));

    let empty = tempdir("empty");
    fs::write(empty.join("notes.pdf"), "x").unwrap();
    let e = corpus::load(&empty).unwrap_err();
    assert!(matches!(e, CorpusError::Empty(_)));
    assert!(e.to_string().contains("no .txt, .md or .html"), "{e}");

    let bad = tempdir("utf8");
    fs::write(bad.join("ok.txt"), "fine").unwrap();
    fs::write(bad.join("latin1.txt"), b"caf\xe9 au lait").unwrap();
    let e = corpus::load(&bad).unwrap_err();
    assert!(matches!(&e, CorpusError::NotUtf8 { offset: 3, .. }), "{e:?}");
    assert!(e.to_string().contains("latin1.txt"), "{e}");
}

#[test]
fn hostile_corpus_files_index_or_are_reported() {
    let dir = tempdir("hostile");
    fs::write(dir.join("bom-crlf.txt"), "\u{FEFF}Tiêu đề\r\nDòng một\r\nDòng hai\r\n").unwrap();
    fs::write(dir.join("nul.txt"), "Có\0NUL\nthân\0bài").unwrap();
    fs::write(dir.join("empty.txt"), "").unwrap();
    fs::write(dir.join("dup1.txt"), "Trùng\nmột").unwrap();
    fs::write(dir.join("dup2.txt"), "Trùng\nhai").unwrap();
    fs::write(dir.join("image.png"), [0x89, b'P', b'N', b'G']).unwrap();
    fs::write(dir.join(".hidden.txt"), "secret").unwrap();
    fs::create_dir_all(dir.join("loop")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&dir, dir.join("loop/back")).unwrap();
        std::os::unix::fs::symlink(dir.join("nowhere.txt"), dir.join("dangling.txt")).unwrap();
    }
    let c = corpus::load(&dir).unwrap();
    let paths: Vec<&str> = c.documents.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(paths, ["bom-crlf.txt", "dup1.txt", "dup2.txt", "empty.txt", "nul.txt"]);
    let d = &c.documents[0];
    assert_eq!((d.title.as_str(), d.text.as_str()), ("Tiêu đề", "Dòng một\nDòng hai"));
    assert_eq!(c.documents[3].title, "empty");
    assert!(!c.documents[4].text.contains('\0'));
    let skipped: Vec<String> = c.skipped.iter().map(|s| format!("{} ({})", s.path.display(), s.reason)).collect();
    for name in ["image.png", ".hidden.txt", "back", "dangling.txt"] {
        assert!(skipped.iter().any(|s| s.contains(name)), "{name} not reported in {skipped:?}");
    }
    let (bytes, _) = write_index(&c.documents).unwrap();
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    assert_eq!(engine.search("trung", &Options::default()).total, 2);
    assert_eq!(engine.search("dong hai", &Options::default()).hits[0].id, 0);
}

#[test]
fn a_large_single_document_indexes() {
    // 2 MB here; the 50 MB case runs in the build (see README) and in the fuzz-free
    // release test `large_corpus` below when TIMKIEM_LARGE_TESTS is set.
    let size = if std::env::var_os("TIMKIEM_LARGE_TESTS").is_some() { 50 << 20 } else { 2 << 20 };
    let line = "Liên minh Bắc Đại Tây Dương NATO mở văn phòng tại Tokyo, Nhật Bản 2.400 người.\n";
    let text = line.repeat(size / line.len());
    let docs = vec![doc("big.txt", "Big", &text), doc("small.txt", "Nhỏ", "Nhật Bản")];
    let (bytes, _) = write_index(&docs).unwrap();
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let r = engine.search("tokyo nhat", &Options::default());
    assert_eq!(r.total, 1);
    assert!(r.hits[0].snippet.contains("Tokyo"));
}

/// A committed index built from `tests/fixtures/golden/` still loads and
/// answers the same, and the writer still produces it byte for byte. After a
/// deliberate format change, bump `format::VERSION` and regenerate with
/// `TIMKIEM_BLESS=1 cargo test --test index_format golden`.
#[test]
fn golden_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let corpus = corpus::load(&root.join("golden")).unwrap();
    let (fresh, _) = write_index(&corpus.documents).unwrap();
    let mut engine = Engine::new(Index::open(&fresh).unwrap());
    let mut answers = String::new();
    for q in
        ["nhat ban", "đan mạch", "dan mach", "hoa", "hoà", "\"van phong\"", "stoltenbreg", "nhaajt", "2400", "31 01"]
    {
        let r = engine.search(q, &Options::default());
        let ids: Vec<String> = r.hits.iter().map(|h| format!("{}:{}", h.id, h.snippet.chars().count())).collect();
        answers.push_str(&format!("{q}\t{}\t{}\n", r.total, ids.join(" ")));
    }
    let idx_path = root.join("golden.idx");
    let answers_path = root.join("golden.answers");
    if std::env::var_os("TIMKIEM_BLESS").is_some() {
        fs::write(&idx_path, &fresh).unwrap();
        fs::write(&answers_path, &answers).unwrap();
    }
    let committed = fs::read(&idx_path).unwrap();
    assert!(committed == fresh, "the writer's output changed: bump the format version and bless");
    let mut engine = Engine::new(Index::open(&committed).unwrap());
    let mut again = String::new();
    for line in fs::read_to_string(&answers_path).unwrap().lines() {
        let q = line.split('\t').next().unwrap();
        let r = engine.search(q, &Options::default());
        let ids: Vec<String> = r.hits.iter().map(|h| format!("{}:{}", h.id, h.snippet.chars().count())).collect();
        again.push_str(&format!("{q}\t{}\t{}\n", r.total, ids.join(" ")));
    }
    assert_eq!(again, fs::read_to_string(&answers_path).unwrap());
    assert_eq!(again, answers);
}
