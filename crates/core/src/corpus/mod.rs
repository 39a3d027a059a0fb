//! Reading a corpus folder into documents: titles, plain text, paths.
//!
//! Used by `build.rs` and by native tests (feature `build`). A corpus is a
//! folder, read recursively, of `.txt`, `.md` and `.html` files. Documents are
//! numbered by their relative path in byte order; that number is the `id` the
//! JS API returns. Anything that is not used is reported, never dropped
//! silently.
//!
//! Each kind of file has its reader: plain text with the hard-wrap rule
//! ([`paragraphs`]), Markdown with `pulldown-cmark` ([`markdown`]), HTML with
//! the WHATWG tokenizer of `html5gum` ([`html`]). All three write the text in
//! one shape, one paragraph per line (see [`Document::text`]), so nothing
//! downstream has to guess where a paragraph ends.
//!
//! ```
//! use timkiem_core::corpus::parse_named;
//! let doc = parse_named("a.txt", "NATO\nmở văn phòng\n\nLiên minh Bắc Đại Tây Dương NATO lên kế hoạch mở\nvăn phòng.");
//! assert_eq!(doc.title, "NATO mở văn phòng");
//! assert_eq!(doc.text, "Liên minh Bắc Đại Tây Dương NATO lên kế hoạch mở văn phòng.");
//! ```

mod html;
mod markdown;
mod paragraphs;

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A document ready for indexing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Path relative to the corpus folder, with `/` separators.
    pub path: String,
    /// The title: a `.txt` file's first line (with the lines that continue
    /// it), a Markdown file's first heading, an HTML page's `<title>` or
    /// first `<h1>`; the file name without its extension if there is none.
    pub title: String,
    /// The text as a reader sees it, without the title, markup, a BOM or
    /// `\r`: one paragraph per line, whitespace collapsed to single spaces,
    /// no empty lines.
    pub text: String,
}

/// A file or folder that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file or folder, as found under the corpus folder.
    pub path: PathBuf,
    /// Why it was left out, for a build warning.
    pub reason: String,
}

/// What [`load`] found.
#[derive(Debug, Default)]
pub struct Corpus {
    /// The documents, sorted by path.
    pub documents: Vec<Document>,
    /// What was left out.
    pub skipped: Vec<Skipped>,
    /// Documents that have no text of their own (an empty file, a page of
    /// markup only): they are indexed under their file name, and listed
    /// here to be reported.
    pub untitled: Vec<PathBuf>,
    /// Every folder and file read, for `cargo:rerun-if-changed`.
    pub watched: Vec<PathBuf>,
}

/// Why a corpus could not be read. Each names the file at fault.
#[derive(Debug)]
pub enum CorpusError {
    /// The corpus folder does not exist, or is not a folder.
    Missing(PathBuf),
    /// The corpus folder holds no document.
    Empty(PathBuf),
    /// A file or folder could not be read.
    Read {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        error: io::Error,
    },
    /// A document is not UTF-8.
    NotUtf8 {
        /// The document.
        path: PathBuf,
        /// The byte offset of its first invalid byte.
        offset: usize,
    },
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorpusError::Missing(p) => write!(f, "corpus folder {} does not exist or is not a folder", p.display()),
            CorpusError::Empty(p) => {
                write!(f, "corpus folder {} holds no .txt, .md or .html documents", p.display())
            }
            CorpusError::Read { path, error } => write!(f, "cannot read {}: {error}", path.display()),
            CorpusError::NotUtf8 { path, offset } => {
                write!(
                    f,
                    "{} is not valid UTF-8 (first bad byte at offset {offset}); convert it to UTF-8",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for CorpusError {}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Text,
    Markdown,
    Html,
}

fn kind_of(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" => Some(Kind::Text),
        "md" | "markdown" => Some(Kind::Markdown),
        "html" | "htm" => Some(Kind::Html),
        _ => None,
    }
}

/// Reads every document under `root`, sorted by relative path.
pub fn load(root: &Path) -> Result<Corpus, CorpusError> {
    if !root.is_dir() {
        return Err(CorpusError::Missing(root.to_path_buf()));
    }
    let mut corpus = Corpus::default();
    let mut files = Vec::new();
    let mut seen_dirs = Vec::new();
    walk(root, root, &mut files, &mut seen_dirs, &mut corpus)?;
    files.sort_by(|a: &(String, PathBuf, Kind), b| a.0.cmp(&b.0));
    if files.is_empty() {
        return Err(CorpusError::Empty(root.to_path_buf()));
    }
    for (rel, path, kind) in files {
        let bytes = fs::read(&path).map_err(|error| CorpusError::Read { path: path.clone(), error })?;
        let raw = String::from_utf8(bytes)
            .map_err(|e| CorpusError::NotUtf8 { path: path.clone(), offset: e.utf8_error().valid_up_to() })?;
        let doc = parse(rel, &raw, kind);
        if doc.text.is_empty() && doc.title == file_stem(&doc.path) {
            corpus.untitled.push(path.clone());
        }
        corpus.watched.push(path);
        corpus.documents.push(doc);
    }
    Ok(corpus)
}

fn walk(
    root: &Path,
    dir: &Path,
    files: &mut Vec<(String, PathBuf, Kind)>,
    seen_dirs: &mut Vec<PathBuf>,
    corpus: &mut Corpus,
) -> Result<(), CorpusError> {
    let canonical = fs::canonicalize(dir).map_err(|error| CorpusError::Read { path: dir.to_path_buf(), error })?;
    if seen_dirs.contains(&canonical) {
        corpus
            .skipped
            .push(Skipped { path: dir.to_path_buf(), reason: "folder already visited (symlink loop)".into() });
        return Ok(());
    }
    seen_dirs.push(canonical);
    corpus.watched.push(dir.to_path_buf());
    let entries = fs::read_dir(dir).map_err(|error| CorpusError::Read { path: dir.to_path_buf(), error })?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| CorpusError::Read { path: dir.to_path_buf(), error })?;
        paths.push(entry.path());
    }
    paths.sort();
    for path in paths {
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if hidden {
            corpus.skipped.push(Skipped { path, reason: "hidden".into() });
            continue;
        }
        // Follows symlinks; a dangling or looping link is reported, not fatal.
        let meta = match fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) => {
                corpus.skipped.push(Skipped { path, reason: format!("cannot follow: {e}") });
                continue;
            }
        };
        if meta.is_dir() {
            walk(root, &path, files, seen_dirs, corpus)?;
        } else if let Some(kind) = kind_of(&path).filter(|_| meta.is_file()) {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            files.push((rel, path, kind));
        } else {
            corpus.skipped.push(Skipped { path, reason: "not a .txt, .md or .html document".into() });
        }
    }
    Ok(())
}

/// Turns one file's contents into a document.
fn parse(path: String, raw: &str, kind: Kind) -> Document {
    let clean = clean_text(raw);
    let (title, text) = match kind {
        Kind::Text => paragraphs::plain_with_title(&clean),
        Kind::Markdown => markdown::markdown(&clean),
        Kind::Html => html::html(&clean),
    };
    let title = if title.is_empty() { file_stem(&path) } else { title };
    Document { path, title, text }
}

/// Parses a document from its file name and contents (the kind comes from
/// the extension; unknown extensions are read as plain text).
///
/// ```
/// use timkiem_core::corpus::parse_named;
/// let doc = parse_named("tin/bai.html", "<title>B&agrave;i</title><p>Ti&ecirc;&#x301;ng <b>Vi</b>&#7879;t</p>");
/// assert_eq!((doc.title.as_str(), doc.text.as_str()), ("Bài", "Tiê\u{301}ng Việt"));
/// ```
pub fn parse_named(path: &str, raw: &str) -> Document {
    let kind = kind_of(Path::new(path)).unwrap_or(Kind::Text);
    parse(path.to_string(), raw, kind)
}

fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem).to_string()
}

/// Drops a BOM, turns CRLF and CR into LF, and control characters into spaces.
fn clean_text(raw: &str) -> String {
    let raw = raw.strip_prefix('\u{FEFF}').unwrap_or(raw);
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_txt_title() {
        let raw = "NATO\nmở văn phòng tại Nhật Bản, tăng cường sự hiện diện ở Ấn Độ Dương-Thái Bình\nDương\nThanh Phương - RFI\nĐăng ngày";
        let d = parse_named("a.txt", raw);
        assert_eq!(d.title, "NATO mở văn phòng tại Nhật Bản, tăng cường sự hiện diện ở Ấn Độ Dương-Thái Bình Dương");
        assert_eq!(d.text, "Thanh Phương - RFI\nĐăng ngày");
    }

    #[test]
    fn single_line_titles() {
        let d = parse_named("a.txt", "\u{FEFF}Thông điệp từ Đông Á\r\nChuyến thăm Hàn Quốc.\r\n");
        assert_eq!(d.title, "Thông điệp từ Đông Á");
        assert_eq!(d.text, "Chuyến thăm Hàn Quốc.");
        let d = parse_named("dir/b.txt", "");
        assert_eq!((d.title.as_str(), d.text.as_str()), ("b", ""));
    }

    #[test]
    fn markdown_title_and_text() {
        let d = parse_named("x.md", "# Tiêu *đề*\n\nMột [liên kết](http://x) và `mã`.\n\n- mục\n\nHai\n---\n");
        assert_eq!(d.title, "Tiêu đề");
        assert!(d.text.contains("Một liên kết và mã."), "{}", d.text);
        assert!(d.text.contains("mục") && d.text.contains("Hai") && !d.text.contains("---"));
    }

    #[test]
    fn html_title_text_and_entities() {
        let raw = "<html><head><title>Tin &amp; b&agrave;i</title><style>p{}</style></head>\
                   <body><h1>Tin</h1><p>Nhật&nbsp;Bản &lt;script&gt; &#273;&#x1EA1;</p><script>alert(1)</script></body></html>";
        let d = parse_named("x.html", raw);
        assert_eq!(d.title, "Tin & bài");
        assert!(d.text.contains("Nhật Bản <script> đạ"), "{}", d.text);
        assert!(!d.text.contains("alert"));
    }

    #[test]
    fn a_title_leaves_the_text_its_own() {
        let d = parse_named("a.txt", "Nhật Bản\nbài bình thường về Nhật Bản.");
        assert_eq!((d.title.as_str(), d.text.as_str()), ("Nhật Bản", "bài bình thường về Nhật Bản."));
        let d = parse_named("a.html", "<p>&lt;/script&gt; Đan &amp;amp; &#x110;</p>");
        assert_eq!(d.text, "</script> Đan &amp; Đ");
    }

    #[test]
    fn control_characters_become_spaces() {
        let d = parse_named("a.txt", "Tiêu\0đề\nthân\u{7}bài");
        assert_eq!((d.title.as_str(), d.text.as_str()), ("Tiêu đề", "thân bài"));
    }
}
