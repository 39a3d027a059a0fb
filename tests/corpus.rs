//! Reading HTML and Markdown documents as a browser would show them, end to
//! end: the words a reader sees are the words the index finds, and nothing
//! else (script, style, comments, URLs, entity names) is.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::fs;
use std::path::PathBuf;

use timkiem_core::corpus::{self, Corpus};
use timkiem_core::write::write_index;
use timkiem_core::{Engine, Index, Options};

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("timkiem-corpus-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn load(name: &str, files: &[(&str, &[u8])]) -> Corpus {
    let dir = tempdir(name);
    for (file, contents) in files {
        fs::write(dir.join(file), contents).unwrap();
    }
    corpus::load(&dir).unwrap()
}

/// The paths of the documents that `query` finds, and the words highlighted
/// in the first hit's title and snippet.
fn find(engine: &mut Engine<'_>, query: &str, options: &Options) -> (Vec<String>, Vec<String>) {
    let r = engine.search(query, options);
    let paths = r.hits.iter().map(|h| h.path.clone()).collect();
    let words = r
        .hits
        .first()
        .map(|h| {
            let title: Vec<u16> = h.title.encode_utf16().collect();
            let snippet: Vec<u16> = h.snippet.encode_utf16().collect();
            let title = h.title_highlights.iter().map(|[s, e]| String::from_utf16(&title[*s as usize..*e as usize]));
            let body = h.highlights.iter().map(|[s, e]| String::from_utf16(&snippet[*s as usize..*e as usize]));
            title.chain(body).map(Result::unwrap).collect()
        })
        .unwrap_or_default();
    (paths, words)
}

const PAGE: &str = "<!doctype html><html><head><meta charset=utf-8>\
    <title>B&agrave;i vi&#7871;t v&#x1EC1; Nh&#7853;t</title>\
    <style>.tin::after { content: 'kiểudáng' }</style>\
    <script>var maxuly = \"<p>không hiện</p>\";</script></head>\
    <body><!-- ghichu ẩn --><h1>Bài viết về Nhật</h1>\
    <p>Nh&#7853;t&nbsp;B&#x1EA3;n v&agrave; H&agrave;n Qu&ocirc;&#769;c ph&#x1EA1;m vi</p>\
    <p>d&ograve;ng m&#x1ed9;t<br>d&ograve;ng hai<br/>t&ocirc;i &amp; b&#7841;n</p>\
    <div>Ti&#7871;<b>ng</b> <em>Vi&#7879;t</em></div></body></html>";

const NOTE: &str = "Đại sứ Đan Mạch\n===\n\n\
    Tiế*ng* Việ**t** có [báo chí](https://vnexpress.net/thoi-su \"tựa\") và `mã_nguồn`.\n\
    Dòng nối tiếp\n\nĐoạn hai\n---\n";

#[test]
fn html_reads_as_a_browser_renders_it() {
    let c = load("html", &[("bai.html", PAGE.as_bytes())]);
    let d = &c.documents[0];
    assert_eq!(d.title, "Bài viết về Nhật");
    // `&ocirc;&#769;` is ô and a combining acute: the page's own (NFD) spelling.
    assert_eq!(d.text, "Nhật Bản và Hàn Quô\u{301}c phạm vi\ndòng một\ndòng hai\ntôi & bạn\nTiếng Việt");
    let (bytes, _) = write_index(&c.documents).unwrap();
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let exact = Options { fuzzy: false, telex: false, exact_diacritics: true, ..Options::default() };
    for (query, words) in [
        ("bài", vec!["Bài"]),
        ("nhật bản", vec!["Nhật", "Nhật", "Bản"]),
        ("phạm", vec!["phạm"]),
        ("bạn", vec!["bạn"]),
        ("quốc", vec!["Quô\u{301}c"]),
        ("một", vec!["một"]),
        ("tiếng việt", vec!["Tiếng", "Việt"]),
    ] {
        assert_eq!(
            find(&mut engine, query, &exact),
            (vec!["bai.html".to_string()], words.iter().map(|w| w.to_string()).collect()),
            "{query}"
        );
    }
    // Nothing the page does not show is a word; `<br>` and `<p>` separate
    // words (which a query typed run together still finds, split: not here).
    for hidden in [
        "agrave", "ocirc", "nbsp", "7853", "x1ea1", "kieudang", "maxuly", "hien", "ghichu", "amp", "script", "motdong",
        "haitoi", "banTieng",
    ] {
        assert_eq!(engine.index().lookup(&timkiem_core::text::fold(hidden)), None, "{hidden}");
        if !["motdong", "haitoi", "banTieng"].contains(&hidden) {
            assert_eq!(engine.search(hidden, &Options { fuzzy: false, ..Options::default() }).total, 0, "{hidden}");
        }
    }
}

#[test]
fn markdown_reads_as_rendered() {
    let c = load("md", &[("note.md", NOTE.as_bytes())]);
    let d = &c.documents[0];
    assert_eq!(d.title, "Đại sứ Đan Mạch");
    assert_eq!(d.text, "Tiếng Việt có báo chí và mã_nguồn. Dòng nối tiếp\nĐoạn hai");
    let (bytes, _) = write_index(&c.documents).unwrap();
    let mut engine = Engine::new(Index::open(&bytes).unwrap());
    let plain = Options { fuzzy: false, telex: false, ..Options::default() };
    assert_eq!(find(&mut engine, "tieng", &plain).1, ["Tiếng"]);
    assert_eq!(find(&mut engine, "viet", &plain).1, ["Việt"]);
    assert_eq!(find(&mut engine, "bao chi", &plain).1, ["báo", "chí"]);
    assert_eq!(find(&mut engine, "ma nguon", &plain).1, ["mã", "nguồn"]);
    assert_eq!(find(&mut engine, "dai su", &plain).1, ["Đại", "sứ"]);
    for gone in ["vnexpress", "thoi su", "https", "tựa"] {
        assert_eq!(engine.search(gone, &Options { fuzzy: false, ..Options::default() }).total, 0, "{gone}");
    }
}

#[test]
fn documents_without_text_are_reported_and_bad_bytes_name_the_file() {
    let c = load(
        "untitled",
        &[
            ("a-only-script.html", b"<script>var x = 1;</script><!-- nothing -->"),
            ("b-empty.md", b"---\ntitle: front matter only\n---\n"),
            ("c-text.txt", b"Van ban"),
        ],
    );
    let titles: Vec<&str> = c.documents.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(titles, ["a-only-script", "b-empty", "Van ban"]);
    let untitled: Vec<String> =
        c.untitled.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(untitled, ["a-only-script.html", "b-empty.md"]);

    let dir = tempdir("bad-utf8");
    fs::write(dir.join("ok.md"), "# Tốt").unwrap();
    fs::write(dir.join("windows-1258.html"), b"<p>Vi\xea\xf2t</p>").unwrap();
    let e = corpus::load(&dir).unwrap_err().to_string();
    assert!(e.contains("windows-1258.html") && e.contains("offset 5"), "{e}");
}
