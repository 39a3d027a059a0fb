//! The query engine: matching, ranking and hits.
//!
//! A query runs as forward stages, each owning its output:
//!
//! 1. [`plan`]: the query's readings, each word with the index terms it
//!    expands to (each term's entry read once, one dictionary walk per
//!    prefix);
//! 2. [`matches`]: per reading, the documents matching every word, with each
//!    word's best score and positions (decoded at most once);
//! 3. [`rank`]: the adjacency bonus, the readings merged, the top k;
//! 4. [`hits`]: each hit's snippet and highlights, from the positions the
//!    matches decoded and the plan's match rules.
//!
//! A query's words are ANDed. Each word expands to index terms: itself
//! (exact), the terms it begins (when it is the word being typed) and the
//! terms within its edit distance (fuzzy). A document's score adds, for each
//! word, the best of its expansions — a tier for the match quality (exact
//! word, then prefix, then typo), a bonus when the diacritics agree with what
//! was typed, and a BM25F score squashed into `[0, 1)` so that it orders
//! documents within a tier without crossing tiers — and then a bonus for each
//! pair of query words that stand next to each other, in order, in the
//! document. The telex reading of the query, if it has one, is scored the
//! same way at a lower weight and merged.
//!
//! Work per keystroke is bounded. A word being typed whose words are common
//! (a *heavy* prefix: more postings than twice the documents) matches through
//! the document bitmap and best list the index keeps for it, reading postings
//! only for the words whose marks agree with the typed ones. Any other word
//! being typed expands to at most [`MAX_PREFIX_TERMS`] terms and
//! [`POSTINGS_BUDGET`] postings, the most frequent first. Typo expansion is
//! skipped for words common as typed and for a word being typed that some
//! word completes, and is bounded to [`MAX_FUZZY_TERMS`] terms.

mod hits;
mod matches;
pub(crate) mod plan;
mod rank;
mod recent;
pub mod split;
pub mod suggest;

use crate::index::Index;
use matches::Scratch;
use plan::Plan;
use rank::{Ranking, ADJACENCY_POOL};

/// A word being typed expands to at most this many terms…
pub const MAX_PREFIX_TERMS: usize = 512;
/// …whose postings add up to at most this many documents (the most frequent
/// terms are kept). It only bounds prefixes that are not heavy: those longer
/// than 8 bytes, and in corpora of over 30,000
/// documents, where the heavy threshold is higher than this.
pub const POSTINGS_BUDGET: u32 = 60_000;
/// A word expands to at most this many terms within its edit distance.
pub const MAX_FUZZY_TERMS: usize = 24;

/// Search options, as the JS API takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip, for paging.
    pub offset: usize,
    /// Also match terms within a small edit distance.
    pub fuzzy: bool,
    /// Only match spellings whose diacritics are exactly the ones typed.
    pub exact_diacritics: bool,
    /// Also read the query as telex typed without an input method.
    pub telex: bool,
    /// Also read the query as VNI typed without an input method (the marks
    /// as digits: `tie61ng vie65t`), where that is plausible
    /// ([`crate::query::vni_reading`]).
    pub vni: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { limit: 10, offset: 0, fuzzy: true, exact_diacritics: false, telex: true, vni: true }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The document's number in the index.
    pub id: u32,
    /// The document's title.
    pub title: String,
    /// The document's path, relative to the corpus folder.
    pub path: String,
    /// Its score: higher is better.
    pub score: f32,
    /// Plain text from the document, around its densest cluster of matches.
    pub snippet: String,
    /// Half-open UTF-16 ranges of matched words in `snippet`.
    pub highlights: Vec<[u32; 2]>,
    /// Half-open UTF-16 ranges of matched words in `title`.
    pub title_highlights: Vec<[u32; 2]>,
}

/// A page of results and the number of matching documents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Results {
    /// The page of hits asked for, best first.
    pub hits: Vec<Hit>,
    /// How many documents match, on every page.
    pub total: usize,
    /// When nothing matches: a correction of the query that finds
    /// something ("did you mean"), see [`suggest`].
    pub suggestion: Option<String>,
    /// When the query was typed without marks and its words match mostly
    /// one marked spelling: that spelling (`nhat ban` → `nhật bản`), as
    /// the hits shown write it (none on an empty page).
    pub interpretation: Option<String>,
}

/// Where a query's words are in one whole document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocumentHighlights {
    /// Half-open UTF-16 ranges of matched words in the document's title.
    pub title: Vec<[u32; 2]>,
    /// Half-open UTF-16 ranges of matched words in the document's text.
    pub text: Vec<[u32; 2]>,
}

/// An answer, or the shards an index of the split layout must be given
/// first (their numbers in its shard table, in order).
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<T> {
    /// The answer, read from complete data.
    Ready(T),
    /// Shards that the answer needs and the index does not have yet.
    Need(Vec<u32>),
}

impl<T> Outcome<T> {
    /// `Ready(value)` when nothing was `missing`.
    fn of(value: T, missing: Vec<u32>) -> Outcome<T> {
        if missing.is_empty() {
            Outcome::Ready(value)
        } else {
            Outcome::Need(missing)
        }
    }
}

/// The search engine over an index.
pub struct Engine<'a> {
    index: Index<'a>,
    scratch: Scratch,
    splits: split::Memo,
    typos: plan::TypoMemo,
    titles: hits::Titles,
}

impl<'a> Engine<'a> {
    /// An engine over `index`. It keeps per-document buffers between
    /// queries, so one engine should answer every keystroke.
    ///
    /// ```
    /// use timkiem_core::{corpus::Document, write::write_index, Engine, Index, Options};
    /// let docs = vec![Document { path: "a.txt".into(), title: "Hà Nội".into(), text: "Thủ đô.".into() }];
    /// let (bytes, _) = write_index(&docs)?;
    /// let mut engine = Engine::new(Index::open(&bytes)?);
    /// assert_eq!(engine.count("ha noi", &Options::default()), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(index: Index<'a>) -> Self {
        Engine {
            index,
            scratch: Scratch::default(),
            splits: split::Memo::default(),
            typos: plan::TypoMemo::default(),
            titles: hits::Titles::default(),
        }
    }

    /// The index the engine searches.
    pub fn index(&self) -> &Index<'a> {
        &self.index
    }

    /// Searches for `query`: the page of hits `options` asks for, with
    /// snippets and highlights, and the number of matching documents.
    ///
    /// It answers from the data at hand: over an index of the split layout
    /// that lacks some shards, what those shards hold is missing from the
    /// answer. Use [`Engine::query`] there, which says which shards to add.
    ///
    /// ```
    /// use timkiem_core::{corpus, write::write_index, Engine, Index, Options};
    /// let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds");
    /// let (bytes, _) = write_index(&corpus::load(seeds.as_ref())?.documents)?;
    /// let mut engine = Engine::new(Index::open(&bytes)?);
    /// let results = engine.search("nhat ban", &Options::default());
    /// assert!(results.hits[0].title.contains("Nhật Bản"));
    /// assert!(results.total >= results.hits.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn search(&mut self, query: &str, options: &Options) -> Results {
        let page = options.offset.saturating_add(options.limit);
        let (plan, ranking) = self.planned(query, options, page.saturating_add(ADJACENCY_POOL));
        self.results(&plan, ranking, options)
    }

    /// The page of hits `options` asks for from `ranking`, with the "did
    /// you mean" of a query that found nothing, or the marked spelling of
    /// one that found something.
    fn results(&mut self, plan: &Plan<'a>, ranking: Ranking, options: &Options) -> Results {
        let page = options.offset.saturating_add(options.limit);
        let total = ranking.total;
        let top = ranking.top(page);
        let hits =
            hits::hits(&self.index, plan, &mut self.titles, top.into_iter().skip(options.offset).take(options.limit));
        // (The interpretation reads the spelling from the hits' documents,
        // which are at hand: it fetches nothing more in the split layout.)
        let (suggestion, interpretation) = if total == 0 {
            (self.suggestion(plan, options), None)
        } else {
            (None, suggest::interpretation(&self.index, plan, &hits))
        };
        Results { hits, total, suggestion, interpretation }
    }

    /// A correction of a query that found nothing, if it finds something.
    fn suggestion(&mut self, plan: &Plan<'a>, options: &Options) -> Option<String> {
        let corrected = suggest::correction(&self.index, plan)?;
        // Checked as typed (no typos, no other readings): a correction
        // should find something by itself, and this keeps the check cheap.
        let check = Options { limit: 0, offset: 0, fuzzy: false, telex: false, vni: false, ..*options };
        (self.planned(&corrected, &check, 0).1.total > 0).then_some(corrected)
    }

    /// The number of documents matching `query`: [`Results::total`] of
    /// [`Engine::search`], without ranking or snippets.
    ///
    /// ```
    /// use timkiem_core::{corpus::Document, write::write_index, Engine, Index, Options};
    /// let doc = |title: &str, text: &str| Document { path: format!("{title}.txt"), title: title.into(), text: text.into() };
    /// let (bytes, _) = write_index(&[doc("A", "bản tin"), doc("B", "bạn bè"), doc("C", "hoa")])?;
    /// let mut engine = Engine::new(Index::open(&bytes)?);
    /// assert_eq!(engine.count("ban", &Options::default()), 2);
    /// assert_eq!(engine.count("bạn", &Options { exact_diacritics: true, ..Options::default() }), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn count(&mut self, query: &str, options: &Options) -> usize {
        self.planned(query, options, 0).1.total
    }

    /// Where the words of `query` are in the title and the whole text of
    /// document `id`, as [`Engine::search`] would highlight them. `None` if
    /// there is no such document (or its text is corrupt).
    ///
    /// ```
    /// use timkiem_core::{corpus::Document, write::write_index, Engine, Index, Options};
    /// let docs = vec![Document { path: "a.txt".into(), title: "Nhật Bản".into(), text: "Tokyo, Nhật Bản.".into() }];
    /// let (bytes, _) = write_index(&docs)?;
    /// let mut engine = Engine::new(Index::open(&bytes)?);
    /// let found = engine.document_highlights(0, "nhat", &Options::default()).ok_or("no document 0")?;
    /// assert_eq!(found.title, [[0, 4]]);
    /// assert_eq!(found.text, [[7, 11]]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn document_highlights(&mut self, id: u32, query: &str, options: &Options) -> Option<DocumentHighlights> {
        let doc = self.index.doc(id)?;
        let text = doc.text()?;
        let (plan, _) = self.planned(query, options, 0);
        let highlighter = crate::snippet::Highlighter::new(&plan);
        Some(DocumentHighlights { title: highlighter.highlight(doc.title), text: highlighter.highlight(text) })
    }

    /// [`Engine::search`] over an index that may lack shards (the split
    /// layout): the results, or the shards to add first. It never answers
    /// from partial data.
    ///
    /// It runs in two steps, so that a cold query takes two rounds: the
    /// plan and the ranking, which need the postings of the query's terms;
    /// then the hits being shown (only those: `limit` from `offset`), which
    /// need their documents and positions.
    ///
    /// ```
    /// use timkiem_core::{corpus::Document, write::{write_split, SplitOptions}, Engine, Index, Options, Outcome};
    /// let docs = vec![Document { path: "a.txt".into(), title: "Hà Nội".into(), text: "Thủ đô.".into() }];
    /// let split = write_split(&docs, &SplitOptions::default())?;
    /// let mut engine = Engine::new(Index::open(&split.index)?);
    /// let mut rounds = 0;
    /// let results = loop {
    ///     match engine.query("ha noi", &Options::default()) {
    ///         Outcome::Ready(results) => break results,
    ///         Outcome::Need(shards) => {
    ///             for n in shards {
    ///                 engine.add_shard(n, &split.shards[n as usize].bytes)?;
    ///             }
    ///         }
    ///     }
    ///     rounds += 1;
    /// };
    /// assert_eq!((results.total, rounds), (1, 2)); // postings, then the document
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn query(&mut self, query: &str, options: &Options) -> Outcome<Results> {
        self.index.take_missing();
        let page = options.offset.saturating_add(options.limit);
        let (plan, ranking) = self.planned(query, options, page.saturating_add(ADJACENCY_POOL));
        // Hits from best lists are the same whatever shards are missing: what
        // showing them needs (their documents, their positions) is noted in
        // this round too, which spares a round trip. Other hits wait.
        if self.index.missing_any() && !ranking.precomputed {
            return Outcome::Need(self.index.take_missing());
        }
        let results = self.results(&plan, ranking, options);
        Outcome::of(results, self.index.take_missing())
    }

    /// [`Engine::count`] over an index that may lack shards.
    pub fn try_count(&mut self, query: &str, options: &Options) -> Outcome<usize> {
        self.index.take_missing();
        let total = self.count(query, options);
        Outcome::of(total, self.index.take_missing())
    }

    /// [`Engine::document_highlights`] over an index that may lack shards.
    pub fn try_document_highlights(
        &mut self,
        id: u32,
        query: &str,
        options: &Options,
    ) -> Outcome<Option<DocumentHighlights>> {
        self.index.take_missing();
        let found = self.document_highlights(id, query, options);
        Outcome::of(found, self.index.take_missing())
    }

    /// Document `id` over an index that may lack shards.
    pub fn try_doc(&self, id: u32) -> Outcome<Option<crate::DocInfo<'a>>> {
        self.index.take_missing();
        let doc = self.index.doc(id);
        Outcome::of(doc, self.index.take_missing())
    }

    /// Hands shard `number` to the index ([`Index::add_shard`]).
    pub fn add_shard(&mut self, number: u32, bytes: &'a [u8]) -> Result<(), crate::FormatError> {
        self.index.add_shard(number, bytes)
    }

    /// The plan of `query` and its ranking (the best `pool` of each reading
    /// with the adjacency bonus). Exact spellings first, their variants
    /// after: when the matches do not fill the page `options` ask for, and
    /// some word skipped its typos because it matched as typed, the plan is
    /// widened with them.
    ///
    /// A plan that cannot fill the page (its words are too rare) is not
    /// ranked before it is widened.
    fn planned(&mut self, query: &str, options: &Options, pool: usize) -> (Plan<'a>, Ranking) {
        let page = options.offset.saturating_add(options.limit);
        let mut plan = Plan::new(&self.index, query, options, &mut self.typos);
        self.add_split(&mut plan, options);
        let short = plan.most_documents() < page as u64;
        if !(short && plan.narrowed()) {
            let ranking = self.rank(&plan, options, pool);
            if ranking.total >= page || !plan.narrowed() {
                return (plan, ranking);
            }
        }
        // Widened: its split reading is read again from the words widened.
        if plan.split {
            plan.readings.pop();
            plan.split = false;
        }
        plan.widen(&self.index, options, &mut self.typos);
        self.add_split(&mut plan, options);
        let ranking = self.rank(&plan, options, pool);
        (plan, ranking)
    }

    /// Adds the split reading ([`split`]) of `plan`, if it has one
    /// (syllables typed run together are a kind of typo: only with `fuzzy`,
    /// and not with `exact_diacritics`).
    fn add_split(&mut self, plan: &mut Plan<'a>, options: &Options) {
        if options.fuzzy && !options.exact_diacritics {
            if let Some(reading) = split::reading(&self.index, &mut self.scratch, &mut self.splits, plan, options) {
                plan.readings.push(reading);
                plan.split = true;
            }
        }
    }

    /// The matches of every reading of `plan`, ranked (the best `pool` of
    /// each get the adjacency bonus) and merged.
    fn rank(&mut self, plan: &Plan<'_>, options: &Options, pool: usize) -> Ranking {
        let mut rankings = Vec::with_capacity(plan.readings.len());
        for reading in &plan.readings {
            let found = matches::find(&self.index, &mut self.scratch, reading, options);
            let page = options.offset.saturating_add(options.limit);
            rankings.push(rank::rank(&self.index, found, reading, pool, page));
        }
        rank::merge(self.index.documents(), rankings)
    }
}
