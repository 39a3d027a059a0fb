//! The paragraph structure of a document's text, decided once, at index time.
//!
//! Every reader (plain text, Markdown, HTML) writes its text through
//! [`Paragraphs`], so the text stored in the index has one shape whatever
//! the source: **one paragraph per line**. Whitespace inside a paragraph is
//! collapsed to single spaces, and there are no empty lines and no leading or
//! trailing whitespace. A reader of the index (the demo's reader pane) just
//! splits the text on `\n`.
//!
//! Plain text has no markup to say where a paragraph ends, so its lines go
//! through the one hard-wrap rule, [`continues`]: the same rule joins the
//! lines of a `.txt` title and of its body.

/// Builds text as paragraphs, one per line, with collapsed whitespace.
#[derive(Debug, Default)]
pub(crate) struct Paragraphs {
    out: String,
    pending: Pending,
}

/// What separates the next character written from the last one.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Pending {
    #[default]
    Nothing,
    Space,
    Paragraph,
}

impl Paragraphs {
    /// Appends running text: any run of whitespace (or control characters)
    /// becomes one space, and a newline is just whitespace.
    pub(crate) fn text(&mut self, s: &str) {
        let mut words = s.split(|c: char| c.is_whitespace() || c.is_control());
        if let Some(first) = words.next() {
            self.word(first);
        }
        for word in words {
            self.space();
            self.word(word);
        }
    }

    /// Appends preformatted text (`<pre>`, a code block): each line is a
    /// paragraph of its own, other whitespace collapses as in [`Self::text`].
    pub(crate) fn lines(&mut self, s: &str) {
        for (i, line) in s.split('\n').enumerate() {
            if i > 0 {
                self.paragraph();
            }
            self.text(line);
        }
    }

    /// Separates words (a table cell, a soft line break) without ending the
    /// paragraph.
    pub(crate) fn space(&mut self) {
        self.pending = self.pending.max(Pending::Space);
    }

    /// Ends the current paragraph, if anything was written since the last one.
    pub(crate) fn paragraph(&mut self) {
        self.pending = Pending::Paragraph;
    }

    /// Appends text without whitespace, after what separates it from the
    /// text before.
    fn word(&mut self, word: &str) {
        if word.is_empty() {
            return;
        }
        if !self.out.is_empty() {
            match self.pending {
                Pending::Nothing => {}
                Pending::Space => self.out.push(' '),
                Pending::Paragraph => self.out.push('\n'),
            }
        }
        self.pending = Pending::Nothing;
        self.out.push_str(word);
    }

    /// Whether nothing but whitespace was written.
    pub(crate) fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// The paragraphs written, one per line.
    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// Characters that end a line which therefore does not continue on the
/// next: the end of a sentence, of a quotation or of a bracket.
const CLOSING: [char; 11] = ['.', '!', '?', '…', ':', ';', '"', '”', '»', ')', ']'];

/// Lines this long (in characters) or longer, not ending in [`CLOSING`]
/// punctuation, were cut by a hard wrap.
pub(crate) const WRAP_WIDTH: usize = 60;

/// The hard-wrap rule: whether line `next` continues line `prev` (both
/// trimmed, non-empty) in the same paragraph. It does when `prev` does not
/// end in closing punctuation and either is long ([`WRAP_WIDTH`] characters
/// or more: it was wrapped) or is followed by a line starting in lower case.
pub(crate) fn continues(prev: &str, next: &str) -> bool {
    let open = !prev.ends_with(CLOSING);
    let long = prev.chars().count() >= WRAP_WIDTH;
    let lower = next.chars().next().is_some_and(char::is_lowercase);
    open && (long || lower)
}

/// Plain text as paragraphs, from its lines: a blank line ends a
/// paragraph, and so does a line break that the hard-wrap rule does not join.
fn plain<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = Paragraphs::default();
    let mut prev: Option<&str> = None;
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            prev = None;
            continue;
        }
        if prev.is_some_and(|prev| continues(prev, line)) {
            out.space();
        } else {
            out.paragraph();
        }
        out.text(line);
        prev = Some(line);
    }
    out.finish()
}

/// The title of a `.txt` file: its first non-empty line, joined with the
/// lines the hard-wrap rule says continue it, at most [`TITLE_LINES`]. The
/// rest is the body, as [`plain`] text. A title never swallows the whole
/// document: if nothing would be left, only the first line is the title.
pub(crate) fn plain_with_title(text: &str) -> (String, String) {
    let lines: Vec<&str> = text.lines().collect();
    let Some(first) = lines.iter().position(|l| !l.trim().is_empty()) else {
        return (String::new(), String::new());
    };
    let mut end = first + 1;
    while let (Some(prev), Some(next)) = (lines.get(end - 1), lines.get(end)) {
        let (prev, next) = (prev.trim(), next.trim());
        if end - first >= TITLE_LINES || next.is_empty() || !continues(prev, next) {
            break;
        }
        end += 1;
    }
    let rest = |from: usize| plain(lines.get(from..).unwrap_or_default().iter().copied());
    let body = rest(end);
    if body.is_empty() && end > first + 1 {
        end = first + 1;
        return (collapse(lines.get(first..end).unwrap_or_default()), rest(end));
    }
    (collapse(lines.get(first..end).unwrap_or_default()), body)
}

/// Lines of a `.txt` title at most.
const TITLE_LINES: usize = 4;

/// Lines joined into one, whitespace collapsed.
fn collapse(lines: &[&str]) -> String {
    let mut out = Paragraphs::default();
    for line in lines {
        out.text(line);
        out.space();
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_collapses_and_paragraphs_never_start_empty() {
        let mut p = Paragraphs::default();
        p.paragraph();
        p.text("  một \t hai\n");
        p.paragraph();
        p.paragraph();
        p.space();
        p.text("\u{a0}ba");
        p.lines("\n bốn  năm \n\nsáu\n");
        p.space();
        assert_eq!(p.finish(), "một hai\nba\nbốn năm\nsáu");
    }

    #[test]
    fn the_hard_wrap_rule() {
        let long = "Liên minh Bắc Đại Tây Dương NATO lên kế hoạch mở văn phòng liên lạc tại";
        assert!(long.chars().count() >= WRAP_WIDTH);
        assert!(continues(long, "Tokyo"));
        assert!(continues("NATO", "mở văn phòng"));
        assert!(!continues("NATO", "Mở văn phòng"));
        for end in CLOSING {
            assert!(!continues(&format!("{long}{end}"), "tokyo"), "{end}");
            assert!(!continues(&format!("ngắn{end}"), "tokyo"), "{end}");
        }
        assert!(continues(&format!("{long},"), "Tokyo"));
    }

    #[test]
    fn plain_text_joins_wrapped_lines_only() {
        let text = "Liên minh Bắc Đại Tây Dương NATO lên kế hoạch mở\nvăn phòng liên lạc.\n\
                    Tổng thư ký NATO\n\n  \nThanh Phương - RFI\nĐăng ngày";
        assert_eq!(
            plain(text.lines()),
            "Liên minh Bắc Đại Tây Dương NATO lên kế hoạch mở văn phòng liên lạc.\nTổng thư ký NATO\nThanh Phương - RFI\nĐăng ngày"
        );
    }

    #[test]
    fn titles_stop_at_four_lines_or_at_the_whole_text() {
        let (title, body) = plain_with_title("\n\nmột\nhai\nba\nbốn\nnăm");
        assert_eq!((title.as_str(), body.as_str()), ("một hai ba bốn", "năm"));
        let (title, body) = plain_with_title("Nhật Bản\nbài bình thường.");
        assert_eq!((title.as_str(), body.as_str()), ("Nhật Bản", "bài bình thường."));
        assert_eq!(plain_with_title(" \n"), (String::new(), String::new()));
    }
}
