//! Reading a corpus folder into documents: titles, plain text, paths.
//!
//! Used by `build.rs` (through `#[path]`) and by native tests. A corpus is a
//! folder, read recursively, of `.txt`, `.md` and `.html` files. Documents are
//! numbered by their relative path in byte order; that number is the `id` the
//! JS API returns. Anything that is not used is reported, never dropped
//! silently.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A document ready for indexing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Path relative to the corpus folder, with `/` separators.
    pub path: String,
    pub title: String,
    /// Plain text, without the title, markup, a BOM or `\r`.
    pub text: String,
}

/// A file or folder that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// What [`load`] found.
#[derive(Debug, Default)]
pub struct Corpus {
    pub documents: Vec<Document>,
    pub skipped: Vec<Skipped>,
    /// Every folder and file read, for `cargo:rerun-if-changed`.
    pub watched: Vec<PathBuf>,
}

/// Why a corpus could not be read. Each names the file at fault.
#[derive(Debug)]
pub enum CorpusError {
    Missing(PathBuf),
    Empty(PathBuf),
    Read { path: PathBuf, error: io::Error },
    NotUtf8 { path: PathBuf, offset: usize },
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
        corpus.watched.push(path);
        corpus.documents.push(parse(rel, &raw, kind));
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
        Kind::Text => split_text_title(&clean),
        Kind::Markdown => markdown(&clean),
        Kind::Html => html(&clean),
    };
    let title = if title.trim().is_empty() { file_stem(&path) } else { title };
    Document { path, title, text }
}

/// Parses a document from its file name and contents (the kind comes from
/// the extension; unknown extensions are read as plain text).
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

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The title of a `.txt` file is its first non-empty line, joined with the
/// lines that continue it: a line that starts in lower case, or any line
/// after one that looks hard-wrapped (60+ characters, no closing punctuation).
/// At most four lines; the title lines are removed from the text.
fn split_text_title(text: &str) -> (String, String) {
    let mut lines = text.split_inclusive('\n').peekable();
    let mut consumed = 0;
    while let Some(line) = lines.peek() {
        if !line.trim().is_empty() {
            break;
        }
        consumed += line.len();
        lines.next();
    }
    let mut title_lines: Vec<&str> = Vec::new();
    while let Some(&line) = lines.peek() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            break;
        }
        if let Some(prev) = title_lines.last() {
            let prev = prev.trim();
            let starts_lower = trimmed.chars().next().is_some_and(char::is_lowercase);
            let prev_open = !prev.ends_with(['.', '!', '?', ':', '…', '"', '”', ')']);
            let wrapped = prev.chars().count() >= 60 && prev_open;
            if title_lines.len() >= 4 || !(wrapped || (starts_lower && prev_open)) {
                break;
            }
        }
        title_lines.push(line);
        consumed += line.len();
        lines.next();
    }
    // A title never swallows the whole document: then only its first line is the title.
    let rest = text.get(consumed..).unwrap_or("").trim_matches(['\n', ' ', '\t']);
    if rest.is_empty() && title_lines.len() > 1 {
        let first = title_lines.first().copied().unwrap_or("");
        let after = text.find(first).map_or(0, |at| at + first.len());
        let body = text.get(after..).unwrap_or("").trim_matches(['\n', ' ', '\t']).to_string();
        return (collapse_ws(first), body);
    }
    (collapse_ws(&title_lines.concat()), rest.to_string())
}

/// Markdown: the first heading is the title; syntax is stripped from the rest.
fn markdown(text: &str) -> (String, String) {
    let lines: Vec<&str> = text.lines().collect();
    let mut title = None;
    let mut body = String::with_capacity(text.len());
    let mut in_fence = false;
    let mut i = 0;
    while let Some(&line) = lines.get(i) {
        i += 1;
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            body.push_str(line);
            body.push('\n');
            continue;
        }
        let underline = lines.get(i).map(|l| l.trim()).filter(|l| {
            !l.is_empty() && !trimmed.is_empty() && (l.chars().all(|c| c == '=') || l.chars().all(|c| c == '-'))
        });
        let heading = if let Some(h) = trimmed.strip_prefix('#') {
            Some(h.trim_start_matches('#').trim().trim_end_matches('#').trim())
        } else if underline.is_some() {
            i += 1;
            Some(trimmed)
        } else {
            None
        };
        if let Some(h) = heading {
            let h = inline_markdown(h);
            if title.is_none() {
                title = Some(h);
            } else {
                body.push_str(&h);
                body.push('\n');
            }
            continue;
        }
        let mut line = trimmed;
        line = line.trim_start_matches('>').trim_start();
        for marker in ["- ", "* ", "+ "] {
            line = line.strip_prefix(marker).unwrap_or(line);
        }
        if let Some((num, rest)) = line.split_once(". ") {
            if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) {
                line = rest;
            }
        }
        if line.chars().all(|c| matches!(c, '-' | '*' | '_' | '|' | ':' | ' ')) {
            body.push('\n');
            continue;
        }
        body.push_str(&inline_markdown(&line.replace('|', " ")));
        body.push('\n');
    }
    let body = strip_tags(&body);
    (title.unwrap_or_default(), body.trim().to_string())
}

/// Inline Markdown: `![alt](url)` and `[text](url)` keep their text;
/// emphasis and code markers go.
fn inline_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '!' && rest.get(1..).is_some_and(|r| r.starts_with('[')) {
            rest = rest.get(1..).unwrap_or("");
            continue;
        }
        if c == '[' {
            if let Some(close) = rest.find("](") {
                if let Some(end) = rest.get(close..).and_then(|r| r.find(')')) {
                    out.push_str(rest.get(1..close).unwrap_or(""));
                    rest = rest.get(close + end + 1..).unwrap_or("");
                    continue;
                }
            }
        }
        if !matches!(c, '*' | '_' | '`') {
            out.push(c);
        }
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    out
}

/// HTML: `<title>` (or the first `<h1>`) is the title; the text of `<body>`
/// without tags, comments, scripts and styles, with entities decoded.
fn html(text: &str) -> (String, String) {
    let lower = text.to_ascii_lowercase();
    let element = |name: &str| -> Option<String> {
        let open = lower.find(&format!("<{name}"))?;
        let start = open + lower.get(open..)?.find('>')? + 1;
        let end = start + lower.get(start..)?.find(&format!("</{name}"))?;
        Some(collapse_ws(&decode_entities(&strip_tags(text.get(start..end)?))))
    };
    let title = element("title").filter(|t| !t.is_empty()).or_else(|| element("h1")).unwrap_or_default();
    let body_start = lower.find("<body").unwrap_or(0);
    let body = text.get(body_start..).unwrap_or("");
    let body = decode_entities(&strip_tags(body));
    let body: Vec<String> = body.lines().map(collapse_ws).filter(|l| !l.is_empty()).collect();
    let mut body = body.join("\n");
    // The title usually repeats as the first heading; keep it only once.
    if !title.is_empty() && body.starts_with(&title) {
        body = body.get(title.len()..).unwrap_or("").trim_start().to_string();
    }
    (title, body)
}

/// Removes tags, comments and the contents of `<script>`, `<style>`,
/// `<head>` and `<template>`; block-level tags become line breaks.
fn strip_tags(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let Some(rel) = lower.get(i..).and_then(|r| r.find('<')) else {
            out.push_str(s.get(i..).unwrap_or(""));
            break;
        };
        out.push_str(s.get(i..i + rel).unwrap_or(""));
        i += rel;
        let rest = lower.get(i..).unwrap_or("");
        if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        let name: String = rest.chars().skip(1).take_while(|c| c.is_ascii_alphanumeric() || *c == '/').collect();
        if name.is_empty() || name == "/" {
            // A lone '<' is text.
            out.push('<');
            i += 1;
            continue;
        }
        let skip_to = match name.as_str() {
            "script" | "style" | "head" | "template" | "noscript" => rest.find(&format!("</{name}")).map(|e| {
                let after = e + rest.get(e..).and_then(|r| r.find('>')).unwrap_or(0) + 1;
                after.min(rest.len())
            }),
            _ => None,
        };
        let end = skip_to.unwrap_or_else(|| rest.find('>').map_or(rest.len(), |e| e + 1));
        let bare = name.trim_start_matches('/');
        let block = matches!(
            bare,
            "p" | "div"
                | "br"
                | "li"
                | "ul"
                | "ol"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "tr"
                | "table"
                | "section"
                | "article"
                | "header"
                | "footer"
                | "blockquote"
                | "pre"
                | "hr"
                | "main"
                | "nav"
                | "title"
        );
        out.push(if block { '\n' } else { ' ' });
        i += end;
    }
    out
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        rest = rest.get(amp..).unwrap_or("");
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|end| {
            let name = rest.get(1..end)?;
            let c = if let Some(num) = name.strip_prefix('#') {
                let n = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => num.parse().ok()?,
                };
                char::from_u32(n).filter(|c| !c.is_control() || c.is_whitespace()).unwrap_or('\u{FFFD}')
            } else {
                match name {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    "nbsp" => ' ',
                    "ndash" => '–',
                    "mdash" => '—',
                    "hellip" => '…',
                    "laquo" => '«',
                    "raquo" => '»',
                    "ldquo" => '“',
                    "rdquo" => '”',
                    "lsquo" => '‘',
                    "rsquo" => '’',
                    "copy" => '©',
                    _ => return None,
                }
            };
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = rest.get(len..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = rest.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
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
        assert_eq!(d.title, "Tin & b&agrave;i");
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
