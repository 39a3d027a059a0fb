//! Markdown documents, read with `pulldown-cmark` (CommonMark, with tables,
//! strikethrough, footnotes and front matter).
//!
//! The text is what the rendered page shows: link and image text without
//! their URLs, code spans and blocks as text, emphasis markers gone even
//! inside a word (`tiế*ng*` is `tiếng`), HTML blocks read as HTML. The first
//! heading, ATX (`#`) or setext (underlined), is the title. Front matter is
//! not text.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::html;
use super::paragraphs::Paragraphs;

/// A Markdown document's title (its first heading) and text, as [`Paragraphs`].
pub(crate) fn markdown(source: &str) -> (String, String) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut doc = Doc::default();
    for event in Parser::new_ext(source, options) {
        doc.event(event);
    }
    (doc.title.finish(), doc.body.finish())
}

/// Where the text of the next events goes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Sink {
    #[default]
    Body,
    /// The first heading: the title.
    Title,
    /// Front matter, skipped.
    Metadata,
    /// An HTML block, collected to be read as HTML at its end.
    Html,
    /// A fenced or indented code block: its line breaks are kept.
    Code,
}

#[derive(Debug, Default)]
struct Doc {
    title: Paragraphs,
    body: Paragraphs,
    sink: Sink,
    titled: bool,
    html: String,
}

impl Doc {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(&tag),
            Event::End(tag) => self.end(tag),
            Event::Text(s) | Event::Code(s) | Event::InlineMath(s) | Event::DisplayMath(s) => self.text(&s),
            Event::Html(s) if self.sink == Sink::Html => self.html.push_str(&s),
            // Other HTML is inline: a line break is the one tag that matters.
            Event::Html(s) | Event::InlineHtml(s) => {
                if is_br(&s) {
                    self.line_break();
                }
            }
            Event::SoftBreak => self.out().space(),
            Event::HardBreak | Event::Rule => self.line_break(),
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Heading { .. } if !self.titled => self.sink = Sink::Title,
            Tag::MetadataBlock(_) => self.sink = Sink::Metadata,
            Tag::HtmlBlock => self.sink = Sink::Html,
            Tag::CodeBlock(_) => self.sink = Sink::Code,
            Tag::TableCell => self.body.space(),
            _ => {}
        }
        if is_block(tag) {
            self.body.paragraph();
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) if self.sink == Sink::Title => self.titled = true,
            TagEnd::HtmlBlock => html::fragment(&std::mem::take(&mut self.html), &mut self.body),
            _ => {}
        }
        if matches!(tag, TagEnd::Heading(_) | TagEnd::MetadataBlock(_) | TagEnd::HtmlBlock | TagEnd::CodeBlock) {
            self.sink = Sink::Body;
        }
        if matches!(tag, TagEnd::TableCell) {
            self.body.space();
        }
        if ends_block(tag) {
            self.body.paragraph();
        }
    }

    fn text(&mut self, s: &str) {
        match self.sink {
            Sink::Body => self.body.text(s),
            Sink::Title => self.title.text(s),
            Sink::Code => self.body.lines(s),
            Sink::Html => self.html.push_str(s),
            Sink::Metadata => {}
        }
    }

    /// A line break: a new paragraph, or a space in the title (one line).
    fn line_break(&mut self) {
        if self.sink == Sink::Title {
            self.title.space();
        } else {
            self.body.paragraph();
        }
    }

    /// The text being written: the title while in the first heading.
    fn out(&mut self) -> &mut Paragraphs {
        if self.sink == Sink::Title {
            &mut self.title
        } else {
            &mut self.body
        }
    }
}

/// Tags that start a paragraph of their own.
fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Item
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
    )
}

/// Tags whose end ends a paragraph.
fn ends_block(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
    )
}

/// Whether inline HTML is a `<br>` tag.
fn is_br(html: &str) -> bool {
    let tag = html.trim().trim_start_matches('<').trim_end_matches('>').trim_end_matches('/').trim();
    tag.eq_ignore_ascii_case("br")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emphasis_inside_a_word_links_and_code() {
        let (title, text) = markdown(
            "# Tiêu *đề*\n\nTiế*ng* Việ**t** và [liên kết](http://x.vn \"tựa\") và ![ảnh](a.png) `mã  nguồn`.\n\
             dòng mềm  \ndòng cứng\n",
        );
        assert_eq!(title, "Tiêu đề");
        assert_eq!(text, "Tiếng Việt và liên kết và ảnh mã nguồn. dòng mềm\ndòng cứng");
    }

    #[test]
    fn the_first_heading_is_the_title_atx_or_setext() {
        let (title, text) = markdown("Mở đầu\n\nĐầu đề\n===\n\nThân\n\nHai\n---\n\n## Ba\n");
        assert_eq!((title.as_str(), text.as_str()), ("Đầu đề", "Mở đầu\nThân\nHai\nBa"));
        let (title, _) = markdown("Tiêu<br>đề  \nmột dòng\n===\n");
        assert_eq!(title, "Tiêu đề một dòng");
        let (title, text) = markdown("Chỉ có thân bài.");
        assert_eq!((title.as_str(), text.as_str()), ("", "Chỉ có thân bài."));
    }

    #[test]
    fn blocks_lists_tables_code_html_and_front_matter() {
        let source = "---\ntitle: không\n---\n# T\n\n> trích\n\n- một\n- hai\n\n1. ba\n\n\
                      | a | b |\n|---|---|\n| c | d |\n\n```\nfn  main()\nlet\n```\n\n\
                      <div>khối <b>HTML</b> &agrave;<br>sau</div>\n\ncuối<br/>dòng ~~gạch~~\n\n***\n";
        let (title, text) = markdown(source);
        assert_eq!(title, "T");
        assert_eq!(text, "trích\nmột\nhai\nba\na b\nc d\nfn main()\nlet\nkhối HTML à\nsau\ncuối\ndòng gạch");
    }
}
