//! Stage 4, the hits: each ranked match with its document's title and
//! path, a snippet around its matches and the highlights, from the
//! positions the matches stage decoded and the plan's match rules.

use super::plan::Plan;
use super::rank::Ranked;
use super::recent::Recent;
use super::Hit;
use crate::index::Index;
use crate::order;
use crate::snippet::{self, BodyMatch, Folded, Highlighter};

/// Positions of one query word read for a snippet, at most.
const SNIPPET_POSITIONS: usize = 4096;
/// Documents whose folded titles [`Titles`] keeps.
const TITLES: usize = 64;

/// The titles of the last [`TITLES`] documents shown, folded: a document
/// shown for one keystroke is likely shown for the next, and its title's
/// words need not be found and folded again to be highlighted.
pub(crate) type Titles = Recent<u32, Folded, TITLES>;

/// The folded title of document `id` (`title`), remembered.
fn folded_title<'t>(titles: &'t mut Titles, id: u32, title: &str) -> Option<&'t Folded> {
    if titles.find(|&d| d == id).is_none() {
        return titles.keep(id, Folded::new(title));
    }
    titles.find(|&d| d == id)
}

/// The hits of `page`, with snippets and highlights.
pub(crate) fn hits(
    index: &Index<'_>,
    plan: &Plan<'_>,
    titles: &mut Titles,
    page: impl Iterator<Item = Ranked>,
) -> Vec<Hit> {
    let highlighter = Highlighter::new(plan);
    page.filter_map(|ranked| hit(index, &highlighter, titles, ranked)).collect()
}

fn hit(index: &Index<'_>, highlighter: &Highlighter<'_>, titles: &mut Titles, mut ranked: Ranked) -> Option<Hit> {
    // The positions first: in the split layout, a page whose documents are
    // missing still names the postings its snippets read, in the same round.
    let (title_tokens, _) = index.doc_lengths(ranked.found.doc)?;
    let matches = body_matches(index, &mut ranked, title_tokens);
    let doc = index.doc(ranked.found.doc)?;
    let snippet = snippet::snippet(&doc, &matches, highlighter);
    let title_highlights = match folded_title(titles, doc.id, doc.title) {
        Some(folded) => highlighter.highlight_folded(doc.title, folded),
        None => highlighter.highlight(doc.title),
    };
    Some(Hit {
        id: ranked.found.doc,
        title: doc.title.to_string(),
        path: doc.path.to_string(),
        score: ranked.score,
        snippet: snippet.text,
        highlights: snippet.highlights,
        title_highlights,
    })
}

/// The body words a ranked match matched, in order, with the query word
/// each matched. (Positions count the title's words and one more first.)
fn body_matches(index: &Index<'_>, ranked: &mut Ranked, title_tokens: u32) -> Vec<BodyMatch> {
    let words = ranked.found.words.len();
    let decoded: usize = (0..words).map(|w| ranked.found.positions(index, w).len().min(SNIPPET_POSITIONS)).sum();
    let mut keys: Vec<u64> = Vec::with_capacity(decoded);
    for w in 0..words {
        let positions = ranked.found.positions(index, w);
        let body = positions.iter().filter(|&&p| p > title_tokens).take(SNIPPET_POSITIONS);
        keys.extend(body.map(|&p| u64::from(p - title_tokens - 1) << 8 | w as u64));
    }
    order::sort(&mut keys);
    keys.into_iter().map(|k| BodyMatch { word: (k >> 8) as u32, query_word: (k & 0xFF) as usize }).collect()
}
