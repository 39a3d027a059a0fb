//! HTML documents, read with the WHATWG tokenizer of `html5gum`.
//!
//! The tokenizer does what the HTML spec says about text: the full table of
//! named character references (`&agrave;`, `&ocirc;`, also the legacy ones
//! without `;`), numeric references with the spec's replacements (`&#0;` and
//! surrogates become U+FFFD, `&#x80;`–`&#x9F;` are read as windows-1252),
//! comments, and the raw-text content of `<script>`, `<style>`, `<title>` and
//! friends. On top of it, this module decides what a browser would show:
//! the text of the page without the content of [`HIDDEN`] elements, with
//! [`BLOCKS`] as paragraph breaks and inline elements as nothing at all
//! (`tiế<b>ng</b>` is one word).

use html5gum::{DefaultEmitter, Token, Tokenizer};

use super::paragraphs::Paragraphs;

/// Elements whose content a browser does not render as text (`<noscript>`
/// and the fallback content of `<iframe>` and `<object>` included: scripts
/// and frames work), and drawings, whose `<title>` is a tooltip.
const HIDDEN: [&[u8]; 9] =
    [b"script", b"style", b"template", b"noscript", b"iframe", b"noembed", b"noframes", b"object", b"svg"];

/// Elements that start and end a paragraph (CSS `display: block`,
/// `list-item` or a table row in the default style sheet, and `<br>`).
const BLOCKS: [&[u8]; 43] = [
    b"address",
    b"article",
    b"aside",
    b"blockquote",
    b"body",
    b"br",
    b"caption",
    b"center",
    b"dd",
    b"details",
    b"dialog",
    b"dir",
    b"div",
    b"dl",
    b"dt",
    b"fieldset",
    b"figcaption",
    b"figure",
    b"footer",
    b"form",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"header",
    b"hgroup",
    b"hr",
    b"legend",
    b"li",
    b"listing",
    b"main",
    b"menu",
    b"nav",
    b"ol",
    b"p",
    b"pre",
    b"section",
    b"summary",
    b"table",
    b"tr",
    b"ul",
];

/// Elements whose line breaks are kept (`white-space: pre`).
const PREFORMATTED: [&[u8]; 5] = [b"pre", b"listing", b"xmp", b"textarea", b"plaintext"];

/// Elements whose content is separated from the next cell's by a space.
const CELLS: [&[u8]; 2] = [b"td", b"th"];

/// An HTML document's title and text: the first non-empty `<title>`, or
/// else the first `<h1>`; the text as [`Paragraphs`], without a first
/// paragraph that only repeats the title.
pub(crate) fn html(source: &str) -> (String, String) {
    let mut page = Page::default();
    page.read(source);
    let text = page.body.finish();
    let title = page.title.finish();
    let h1 = page.h1.finish();
    let title = if title.is_empty() { h1 } else { title };
    let text = match text.split_once('\n') {
        Some((first, rest)) if first == title => rest.to_string(),
        None if text == title => String::new(),
        _ => text,
    };
    (title, text)
}

/// Appends the text of an HTML fragment (e.g. an HTML block inside
/// Markdown) to `out`, read as [`html`] reads a page's body.
pub(crate) fn fragment(source: &str, out: &mut Paragraphs) {
    let mut page = Page { body: std::mem::take(out), ..Page::default() };
    page.read(source);
    *out = page.body;
}

/// The state of a walk over a page's tokens.
#[derive(Debug, Default)]
struct Page {
    body: Paragraphs,
    title: Paragraphs,
    h1: Paragraphs,
    /// The hidden element being skipped, and how deeply it is nested in itself.
    hidden: Option<(Vec<u8>, usize)>,
    preformatted: usize,
    in_title: bool,
    in_h1: bool,
    /// A `<title>` or `<h1>` was closed: later ones are ordinary text.
    title_done: bool,
    h1_done: bool,
}

impl Page {
    fn read(&mut self, source: &str) {
        // Read `<script>`, `<style>`, `<title>`, `<textarea>` … as raw text,
        // as a browser's tree builder would tell its tokenizer to.
        let mut emitter = DefaultEmitter::default();
        emitter.naively_switch_states(true);
        for token in Tokenizer::new_with_emitter(source, emitter).flatten() {
            match token {
                Token::StartTag(tag) => self.start(&tag.name, tag.self_closing),
                Token::EndTag(tag) => self.end(&tag.name),
                Token::String(s) => self.string(&String::from_utf8_lossy(&s)),
                Token::Comment(_) | Token::Doctype(_) | Token::Error(_) => {}
            }
        }
    }

    fn start(&mut self, name: &[u8], self_closing: bool) {
        if let Some((hidden, depth)) = &mut self.hidden {
            if hidden.as_slice() == name && !self_closing {
                *depth += 1;
            }
            return;
        }
        if HIDDEN.contains(&name) {
            if !self_closing {
                self.hidden = Some((name.to_vec(), 1));
            }
            return;
        }
        match name {
            b"title" if !self.title_done => self.in_title = true,
            b"h1" if !self.h1_done => self.in_h1 = true,
            _ => {}
        }
        self.boundary(name);
        if PREFORMATTED.contains(&name) {
            self.preformatted += 1;
        }
    }

    fn end(&mut self, name: &[u8]) {
        if let Some((hidden, depth)) = &mut self.hidden {
            if hidden.as_slice() == name {
                *depth -= 1;
                if *depth == 0 {
                    self.hidden = None;
                }
            }
            return;
        }
        match name {
            b"title" if self.in_title => {
                self.in_title = false;
                self.title_done = !self.title.is_empty();
            }
            b"h1" if self.in_h1 => {
                self.in_h1 = false;
                self.h1_done = !self.h1.is_empty();
            }
            _ => {}
        }
        self.boundary(name);
        if PREFORMATTED.contains(&name) {
            self.preformatted = self.preformatted.saturating_sub(1);
        }
    }

    /// What a tag means for the text around it.
    fn boundary(&mut self, name: &[u8]) {
        let block = BLOCKS.contains(&name) || PREFORMATTED.contains(&name);
        if block {
            self.body.paragraph();
        } else if CELLS.contains(&name) {
            self.body.space();
        }
        // A title is one line: a break in the heading separates words.
        if self.in_h1 && (block || CELLS.contains(&name)) {
            self.h1.space();
        }
    }

    fn string(&mut self, s: &str) {
        if self.hidden.is_some() {
            return;
        }
        if self.in_title {
            self.title.text(s);
            return;
        }
        if self.in_h1 {
            self.h1.text(s);
        }
        if self.preformatted > 0 {
            self.body.lines(s);
        } else {
            self.body.text(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(source: &str) -> String {
        html(source).1
    }

    #[test]
    fn references_read_as_a_browser_renders_them() {
        assert_eq!(text("<p>b&agrave;i v&ocirc; v&#7853;y &#x1EA1;&#X1ea1;</p>"), "bài vô vậy ạạ");
        // Legacy names without `;`, but not inside a longer word.
        assert_eq!(text("&eacute &copy2023 &notit; &amp;amp;"), "é ©2023 ¬it; &amp;");
        // The spec's replacements: NUL, surrogates and out-of-range become
        // U+FFFD; C1 controls are windows-1252.
        assert_eq!(text("&#0;|&#xD800;|&#x110000;|&#x80;&#x99;"), "\u{FFFD}|\u{FFFD}|\u{FFFD}|€™");
        assert_eq!(text("a&nbsp;&nbsp;b &unknown; &"), "a b &unknown; &");
    }

    #[test]
    fn hidden_content_goes() {
        let page = "<!-- không --><script>var a = '</p>không';</script><style>p::after{content:'không'}</style>\
                    <template><p>không</p><template>x</template>không</template><noscript>không</noscript>\
                    <svg><title>không</title><text>không</text></svg><p>có</p>";
        assert_eq!(html(page), (String::new(), "có".to_string()));
    }

    #[test]
    fn blocks_break_paragraphs_and_inline_tags_do_not() {
        let page = "<div>Tiế<b>ng</b> <i>Việt</i><br>dòng hai<ul><li>một</li><li>hai</ul></div>\
                    <table><tr><td>ô</td><td>ô</td></tr><tr><th>ba</th></tr></table>\
                    <pre>  mã\n  nguồn\n</pre>cuối";
        assert_eq!(text(page), "Tiếng Việt\ndòng hai\nmột\nhai\nô ô\nba\nmã\nnguồn\ncuối");
    }

    #[test]
    fn the_title_is_the_title_element_or_the_first_h1_and_is_not_repeated() {
        let (title, text) = html("<title> Tin  &amp; bài </title><h1>Tin &amp; bài</h1><p>thân</p>");
        assert_eq!((title.as_str(), text.as_str()), ("Tin & bài", "thân"));
        let (title, text) = html("<title> </title><p>mở</p><h1>Đầu <em>đ</em>ề<br>hai</h1><h1>Ba</h1>");
        assert_eq!((title.as_str(), text.as_str()), ("Đầu đề hai", "mở\nĐầu đề\nhai\nBa"));
        // Text in a title is raw: tags there are text.
        assert_eq!(html("<title>a <b> c</title>").0, "a <b> c");
    }
}
