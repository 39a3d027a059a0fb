//! The query engine: matching, ranking and hits.
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

use fst::{IntoStreamer, Streamer};

use crate::fuzzy::{max_edits, Levenshtein};
use crate::index::{Heavy, Index, Posting, TermInfo};
use crate::order::{self, descending, low, pack};
use crate::query::{parse, telex_reading, Query, Word};
use crate::score::{self, Lengths, ADJACENT_BONUS, MARKS_BONUS, TELEX_WEIGHT, TIER_EXACT, TIER_FUZZY, TIER_PREFIX};
use crate::snippet::{self, MatchWord, Matcher};
use crate::text::marks_agree;

/// A word being typed expands to at most this many terms…
pub const MAX_PREFIX_TERMS: usize = 512;
/// …whose postings add up to at most this many documents (the most frequent
/// terms are kept). It only bounds prefixes that are not heavy: those longer
/// than 8 bytes, and in corpora of over 30,000
/// documents, where the heavy threshold is higher than this.
pub const POSTINGS_BUDGET: u32 = 60_000;
/// The words of a common prefix whose marks agree with the typed ones are
/// read up to this many postings (the rest still match, through the bitmap).
const MARKED_BUDGET: u32 = 8192;
/// A word expands to at most this many terms within its edit distance.
pub const MAX_FUZZY_TERMS: usize = 24;
/// Candidates whose word adjacency is checked, beyond the page asked for.
const ADJACENCY_POOL: usize = 256;

/// Search options, as the JS API takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub limit: usize,
    pub offset: usize,
    /// Also match terms within a small edit distance.
    pub fuzzy: bool,
    /// Only match spellings whose diacritics are exactly the ones typed.
    pub exact_diacritics: bool,
    /// Also read the query as telex typed without an input method.
    pub telex: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { limit: 10, offset: 0, fuzzy: true, exact_diacritics: false, telex: true }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: u32,
    pub title: String,
    pub path: String,
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
    pub hits: Vec<Hit>,
    pub total: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Exact,
    /// A completion, with the length of the word in bytes.
    Prefix(u32),
    Fuzzy(u8),
}

/// Which documents use a spelling whose marks agree with the query word.
#[derive(Debug, Clone, PartialEq)]
enum Agree {
    All,
    Nothing,
    Docs(Vec<u32>),
}

#[derive(Debug, Clone)]
struct Expansion {
    /// The term's entry, read once.
    info: Option<TermInfo>,
    kind: Kind,
    /// The tier of this expansion's match quality.
    base: f32,
    idf: f32,
    agree: Agree,
    /// The term itself, kept for fuzzy expansions (for highlighting).
    text: Option<String>,
}

/// Where a word matched in a document: the positions of its best expansion.
#[derive(Debug, Clone, Copy, Default)]
struct Ref {
    positions_at: u32,
    tf: u32,
    /// The Rice parameter of the positions.
    k: u8,
}

/// A query word with its expansions, ready to run.
struct Slot<'a> {
    expansions: Vec<Expansion>,
    /// For a common prefix: its document bitmap and best list, standing in
    /// for expanding it term by term.
    heavy: Option<Heavy<'a>>,
    cost: u64,
}

/// Reusable per-document buffers, so that a keystroke allocates little.
#[derive(Default)]
struct Scratch {
    /// The evaluation in which a document last became a candidate.
    epoch: Vec<u32>,
    /// Per document, the query words it matched (valid when `epoch` is current).
    mask: Vec<u64>,
    /// Per document, its candidate row (valid when `epoch` is current).
    row: Vec<u32>,
    current: u32,
}

impl Scratch {
    fn begin(&mut self, docs: usize) {
        if self.epoch.len() != docs {
            self.epoch = vec![0; docs];
            self.mask = vec![0; docs];
            self.row = vec![0; docs];
            self.current = 0;
        }
        self.current = self.current.wrapping_add(1);
        if self.current == 0 {
            self.epoch.iter_mut().for_each(|e| *e = 0);
            self.current = 1;
        }
    }
}

/// A scored candidate of one reading of the query.
struct Candidate {
    doc: u32,
    score: f32,
    /// Index into the readings' refs, for the candidates whose positions were read.
    refs: Option<usize>,
    reading: usize,
}

/// One reading of the query (as typed, or its telex reading), evaluated.
struct Reading<'a> {
    query: Query,
    slots: Vec<Slot<'a>>,
    refs: Vec<Ref>,
}

/// The search engine over an index.
pub struct Engine<'a> {
    index: Index<'a>,
    scratch: Scratch,
}

impl<'a> Engine<'a> {
    pub fn new(index: Index<'a>) -> Self {
        Engine { index, scratch: Scratch::default() }
    }

    pub fn index(&self) -> &Index<'a> {
        &self.index
    }

    /// Searches for `query`.
    ///
    /// ```
    /// use timkiem_core::{corpus, write::write_index, Engine, Index, Options};
    /// let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds");
    /// let (bytes, _) = write_index(&corpus::load(seeds.as_ref())?.documents)?;
    /// let mut engine = Engine::new(Index::open(&bytes)?);
    /// let results = engine.search("nhat ban", &Options::default());
    /// assert!(results.hits[0].title.contains("Nhật Bản"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn search(&mut self, query: &str, options: &Options) -> Results {
        let (candidates, total, readings) = self.candidates(query, options);
        let wanted = options.offset.saturating_add(options.limit);
        let mut top = candidates;
        select_top(&mut top, wanted);
        let matcher = matcher(&readings, options);
        let hits = top
            .iter()
            .skip(options.offset)
            .take(options.limit)
            .filter_map(|c| {
                let doc = self.index.doc(c.doc)?;
                let reading = readings.get(c.reading)?;
                let positions = c.refs.map(|at| self.body_positions(reading, at, doc.title_tokens)).unwrap_or_default();
                let (snippet, highlights) = snippet::snippet(&doc, &positions, &matcher);
                let title_highlights = snippet::highlight(doc.title, &matcher);
                Some(Hit {
                    id: c.doc,
                    title: doc.title.to_string(),
                    path: doc.path.to_string(),
                    score: c.score,
                    snippet,
                    highlights,
                    title_highlights,
                })
            })
            .collect();
        Results { hits, total }
    }

    /// The number of documents matching `query`.
    pub fn count(&mut self, query: &str, options: &Options) -> usize {
        self.candidates(query, options).1
    }

    /// UTF-16 ranges, in the text of document `id`, of every word matching
    /// `query`. `None` if there is no such document.
    pub fn document_highlights(&mut self, id: u32, query: &str, options: &Options) -> Option<Vec<[u32; 2]>> {
        let doc = self.index.doc(id)?;
        let readings = self.readings(query, options);
        let matcher = matcher(&readings, options);
        Some(snippet::highlight(doc.text()?, &matcher))
    }

    fn readings(&self, query: &str, options: &Options) -> Vec<Reading<'a>> {
        let mut readings = Vec::with_capacity(2);
        let typed = parse(query);
        if typed.words.is_empty() {
            return readings;
        }
        let telex =
            options.telex.then(|| telex_reading(query)).flatten().map(|q| parse(&q)).filter(|q| q.words != typed.words);
        for q in std::iter::once(typed).chain(telex) {
            let slots = self.expand(&q, options);
            readings.push(Reading { query: q, slots, refs: Vec::new() });
        }
        readings
    }

    /// Every matching document with its score, in no particular order.
    fn candidates(&mut self, query: &str, options: &Options) -> (Vec<Candidate>, usize, Vec<Reading<'a>>) {
        let mut readings = self.readings(query, options);
        let mut all: Vec<Candidate> = Vec::new();
        let mut shortcut_total = None;
        for (n, reading) in readings.iter_mut().enumerate() {
            let weight = if n == 0 { 1.0 } else { TELEX_WEIGHT };
            let (found, total) = self.evaluate(reading, options, n);
            shortcut_total = total;
            all.extend(found.into_iter().map(|mut c| {
                c.score *= weight;
                c
            }));
        }
        if readings.len() > 1 {
            // A document found by both readings keeps its best score.
            let mut best = vec![u32::MAX; self.index.documents() as usize];
            let mut keep = vec![false; all.len()];
            for (i, c) in all.iter().enumerate() {
                if let Some(b) = best.get_mut(c.doc as usize) {
                    let better = all.get(*b as usize).is_none_or(|old| c.score > old.score);
                    if better {
                        if let Some(k) = keep.get_mut(*b as usize) {
                            *k = false;
                        }
                        *b = i as u32;
                        if let Some(k) = keep.get_mut(i) {
                            *k = true;
                        }
                    }
                }
            }
            let mut flags = keep.into_iter();
            all.retain(|_| flags.next().unwrap_or(false));
        }
        let total = match shortcut_total {
            Some(t) if readings.len() == 1 => t,
            _ => all.len(),
        };
        (all, total, readings)
    }

    /// The terms each word of `query` expands to.
    fn expand(&self, query: &Query, options: &Options) -> Vec<Slot<'a>> {
        let check_marks = options.exact_diacritics || query.has_marks();
        let n = self.index.documents();
        let idf = |df: u32| score::idf(n, df);
        let in_phrase = |i: usize| query.phrases.iter().any(|p| p.contains(&i));
        let mut slots = Vec::with_capacity(query.words.len());
        for (i, word) in query.words.iter().enumerate() {
            // (term, kind, its entry when already read)
            let mut terms: Vec<(u32, Kind, Option<TermInfo>)> = Vec::new();
            let mut fuzzy_text: Vec<(u32, String)> = Vec::new();
            let exact = self.index.lookup(&word.term);
            let exact_info = exact.and_then(|t| self.index.term(t));
            terms.extend(exact.map(|t| (t, Kind::Exact, exact_info)));
            let heavy = (word.prefix && !options.exact_diacritics).then(|| self.index.heavy(&word.term)).flatten();
            if word.prefix {
                let prefixed = match heavy {
                    // A common prefix: its bitmap stands in for its words, but
                    // the words whose marks agree with the typed ones are
                    // still read, to rank them first.
                    Some(_) if word.marks.is_empty() => Vec::new(),
                    Some(_) => self.prefix_terms(&word.term, exact, MARKED_BUDGET, |info| {
                        let mut marks = self.index.variants_of(Some(*info)).marks_only();
                        marks.any(|m| marks_agree(&word.marks, word.chars, m, true))
                    }),
                    None => self.prefix_terms(&word.term, exact, POSTINGS_BUDGET, |_| true),
                };
                terms.extend(prefixed.into_iter().map(|(t, len, info)| (t, Kind::Prefix(len), Some(info))));
            }
            // A word that is common as typed is no typo: its typo expansions
            // would only cost time and bury its own matches.
            let common = exact_info.is_some_and(|info| info.df >= (n / 50).max(10));
            // Nor is a word being typed that some word starts with.
            let completes = word.prefix && {
                let (lo, hi) = self.index.prefix_range(&word.term);
                hi > lo
            };
            let edits = max_edits(word.chars);
            if options.fuzzy && !options.exact_diacritics && edits > 0 && !in_phrase(i) && !common && !completes {
                for (t, d, text) in self.fuzzy_terms(&word.term, edits) {
                    if !terms.iter().any(|&(u, _, _)| u == t) {
                        terms.push((t, Kind::Fuzzy(d), None));
                        fuzzy_text.push((t, text));
                    }
                }
            }
            let mut expansions = Vec::with_capacity(terms.len());
            let mut cost = 0u64;
            for (term, kind, info) in terms {
                let info = info.or_else(|| self.index.term(term));
                let df = info.map_or(0, |i| i.df);
                let agree = if check_marks { self.agreement(info, word, kind) } else { Agree::All };
                if options.exact_diacritics && agree == Agree::Nothing {
                    continue;
                }
                let base = match kind {
                    Kind::Exact => TIER_EXACT,
                    Kind::Prefix(len) => score::prefix_tier(word.term.len(), len as usize),
                    Kind::Fuzzy(d) => TIER_FUZZY.get(usize::from(d)).copied().unwrap_or(0.0),
                };
                cost += u64::from(df);
                let text = fuzzy_text.iter().find(|(t, _)| *t == term).map(|(_, text)| text.clone());
                expansions.push(Expansion { info, kind, base, idf: idf(df), agree, text });
            }
            if heavy.is_some() {
                cost = u64::MAX >> 9;
            }
            slots.push(Slot { expansions, heavy, cost });
        }
        slots
    }

    /// Terms starting with `prefix`, other than `exact`, bounded by
    /// [`MAX_PREFIX_TERMS`] and [`POSTINGS_BUDGET`] (most frequent first).
    fn prefix_terms(
        &self,
        prefix: &str,
        exact: Option<u32>,
        budget: u32,
        keep: impl Fn(&TermInfo) -> bool,
    ) -> Vec<(u32, u32, TermInfo)> {
        let found = self.index.with_prefix(prefix);
        // Most frequent first: (u32::MAX - df, place in `found`).
        let mut terms: Vec<u64> = found
            .iter()
            .enumerate()
            .filter(|&(_, (t, _, info))| Some(*t) != exact && keep(info))
            .map(|(i, &(_, _, info))| pack(u32::MAX - info.df, i as u32))
            .collect();
        let total: u64 = terms.iter().map(|&k| u64::from(u32::MAX - (k >> 32) as u32)).sum();
        if terms.len() > MAX_PREFIX_TERMS || total > u64::from(budget) {
            order::sort(&mut terms);
            let mut budget = budget;
            let mut kept = 0;
            for &k in terms.iter().take(MAX_PREFIX_TERMS) {
                let df = u32::MAX - (k >> 32) as u32;
                if df > budget && kept > 0 {
                    break;
                }
                budget = budget.saturating_sub(df);
                kept += 1;
            }
            terms.truncate(kept);
        }
        terms.into_iter().filter_map(|k| found.get(low(k) as usize).copied()).collect()
    }

    /// Terms within `edits` of `term`, closest first, at most [`MAX_FUZZY_TERMS`].
    fn fuzzy_terms(&self, term: &str, edits: u8) -> Vec<(u32, u8, String)> {
        let Some(aut) = Levenshtein::new(term, edits) else {
            return Vec::new();
        };
        let mut stream = self.index.fst().search_with_state(&aut).into_stream();
        // Closest, then most frequent first: (distance, 2^24 - df, term).
        let mut found: Vec<u64> = Vec::new();
        let mut texts: Vec<(u32, String)> = Vec::new();
        while let Some((key, value, state)) = stream.next() {
            let (Some(d), Ok(t), Ok(text)) = (aut.distance(&state), u32::try_from(value), std::str::from_utf8(key))
            else {
                continue;
            };
            if d > 0 {
                let rarity = 0x00FF_FFFF - self.index.df(t).min(0x00FF_FFFF);
                found.push(pack(u32::from(d) << 24 | rarity, t));
                texts.push((t, text.to_string()));
            }
            if found.len() >= 4 * MAX_FUZZY_TERMS {
                break;
            }
        }
        order::smallest(&mut found, MAX_FUZZY_TERMS);
        found
            .into_iter()
            .filter_map(|k| {
                let t = low(k);
                let text = texts.iter().find(|(u, _)| *u == t)?.1.clone();
                Some((t, (k >> 56) as u8, text))
            })
            .collect()
    }

    /// Which documents spell `term` with the marks `word` was typed with.
    fn agreement(&self, term: Option<TermInfo>, word: &Word, kind: Kind) -> Agree {
        if matches!(kind, Kind::Fuzzy(_)) {
            return if word.marks.is_empty() { Agree::All } else { Agree::Nothing };
        }
        let prefix = word.prefix;
        let mut docs: Vec<u64> = Vec::new();
        let mut any = false;
        for variant in self.index.variants_of(term) {
            if !marks_agree(&word.marks, word.chars, variant.marks, prefix) {
                continue;
            }
            any = true;
            match variant.docs {
                None => return Agree::All,
                Some(list) => docs.extend(list.map(u64::from)),
            }
        }
        if !any {
            return Agree::Nothing;
        }
        order::sort(&mut docs);
        docs.dedup();
        Agree::Docs(docs.into_iter().map(low).collect())
    }

    /// Scores every document matching every word of `reading`; with the
    /// number of matches when the candidates returned are only the best.
    fn evaluate(
        &mut self,
        reading: &mut Reading<'a>,
        options: &Options,
        reading_no: usize,
    ) -> (Vec<Candidate>, Option<usize>) {
        let index = &self.index;
        let n_docs = index.documents() as usize;
        let slots = &reading.slots;
        let s = slots.len();
        if s == 0 || s > 64 || slots.iter().any(|slot| slot.expansions.is_empty() && slot.heavy.is_none()) {
            return (Vec::new(), None);
        }
        // A common prefix typed alone: its precomputed best list is the answer.
        if let (1, Some(Slot { heavy: Some(heavy), expansions, .. })) = (s, slots.first()) {
            let plain = expansions.iter().all(|e| e.kind == Kind::Exact) && reading.query.phrases.is_empty();
            let page = options.offset.saturating_add(options.limit);
            if plain
                && !reading.query.has_marks()
                && (page <= heavy.top_len as usize || heavy.top_len == heavy.documents)
            {
                let mut out = Vec::new();
                for (doc, score, positions_at, tf) in heavy.top() {
                    out.push(Candidate { doc, score, refs: Some(reading.refs.len()), reading: reading_no });
                    reading.refs.push(Ref { positions_at, tf, k: index.rice_k(tf) });
                }
                return (out, Some(heavy.documents as usize));
            }
        }
        // Cheapest word first: it drives the candidates; a common prefix last.
        let mut keys: Vec<u64> = slots.iter().enumerate().map(|(i, slot)| slot.cost << 8 | i as u64).collect();
        order::sort(&mut keys);
        let order: Vec<usize> = keys.iter().map(|&k| (k & 0xFF) as usize).collect();
        let check_marks = options.exact_diacritics || reading.query.has_marks();
        let (avg_title, avg_body) = (index.avg_title(), index.avg_body());

        self.scratch.begin(n_docs);
        let scratch = &mut self.scratch;
        let mut acc = Accumulator { words: s, candidates: Vec::new(), best: Vec::new() };
        let mut required: u64 = 0;

        for (step, &si) in order.iter().enumerate() {
            let Some(slot) = slots.get(si) else { continue };
            for exp in &slot.expansions {
                let mut agree_at = 0usize;
                for posting in index.postings_of(exp.info) {
                    if posting.doc as usize >= n_docs {
                        break;
                    }
                    if !acc.admit(scratch, posting.doc, step, required) {
                        continue;
                    }
                    let agrees = match &exp.agree {
                        Agree::All => true,
                        Agree::Nothing => false,
                        Agree::Docs(list) => {
                            while list.get(agree_at).is_some_and(|&x| x < posting.doc) {
                                agree_at += 1;
                            }
                            list.get(agree_at) == Some(&posting.doc)
                        }
                    };
                    if options.exact_diacritics && !agrees {
                        continue;
                    }
                    let Some((title, body)) = index.doc_lengths(posting.doc) else { continue };
                    let lengths = Lengths { title, body, avg_title, avg_body };
                    let bm25 = score::bm25f(posting.title_tf, posting.body_tf, lengths, exp.idf);
                    let marks = if check_marks && agrees { MARKS_BONUS } else { 0.0 };
                    let r = Ref { positions_at: posting.positions_at, tf: posting.tf(), k: posting.k };
                    acc.record(scratch, posting.doc, si, exp.base + marks + score::squash(bm25), r);
                }
            }
            if let Some(heavy) = &slot.heavy {
                for (doc, score, positions_at, tf) in heavy.top() {
                    if acc.admit(scratch, doc, step, required) {
                        acc.record(scratch, doc, si, score, Ref { positions_at, tf, k: index.rice_k(tf) });
                    }
                }
                // Every other document with the prefix, at the bottom of its tier.
                if step == 0 {
                    for doc in heavy.docs() {
                        if (doc as usize) < n_docs && acc.admit(scratch, doc, step, required) {
                            acc.record(scratch, doc, si, TIER_PREFIX, Ref::default());
                        }
                    }
                } else {
                    for row in 0..acc.candidates.len() {
                        let Some(&doc) = acc.candidates.get(row) else { continue };
                        let mask = scratch.mask.get(doc as usize).copied().unwrap_or(0);
                        if mask & required == required && mask & (1 << si) == 0 && heavy.contains(doc) {
                            acc.record(scratch, doc, si, TIER_PREFIX, Ref::default());
                        }
                    }
                }
            }
            required |= 1 << si;
        }
        let full: u64 = if s == 64 { u64::MAX } else { (1u64 << s) - 1 };
        let Accumulator { candidates, best: slot_best, .. } = acc;

        let mut out = Vec::new();
        let mut refs = Vec::new();
        for (row, &doc) in candidates.iter().enumerate() {
            if self.scratch.mask.get(doc as usize).copied() != Some(full) {
                continue;
            }
            let Some(best) = slot_best.get(row * s..row * s + s) else { continue };
            if !reading.query.phrases.iter().all(|p| self.phrase_matches(best, p.clone())) {
                continue;
            }
            let score: f32 = best.iter().map(|b| b.0).sum();
            out.push(Candidate { doc, score, refs: None, reading: reading_no });
            refs.push(best.iter().map(|b| b.1).collect::<Vec<Ref>>());
        }

        // Adjacency: only for the best candidates by their word scores.
        let pool = options.offset.saturating_add(options.limit).saturating_add(ADJACENCY_POOL);
        let mut best: Vec<u64> = out.iter().enumerate().map(|(i, c)| pack(descending(c.score), i as u32)).collect();
        if best.len() > pool {
            order::smallest(&mut best, pool);
        }
        for i in best.into_iter().map(|k| low(k) as usize) {
            let (Some(c), Some(r)) = (out.get_mut(i), refs.get(i)) else { continue };
            c.score += ADJACENT_BONUS * self.adjacent_pairs(r) as f32;
            c.refs = Some(reading.refs.len());
            reading.refs.extend_from_slice(r);
        }
        (out, None)
    }

    fn positions(&self, r: Ref) -> impl Iterator<Item = u32> + 'a {
        self.index.positions(&Posting { doc: 0, title_tf: 0, body_tf: r.tf, positions_at: r.positions_at, k: r.k })
    }

    /// How many consecutive pairs of words occur next to each other, in order.
    fn adjacent_pairs(&self, refs: &[Ref]) -> usize {
        refs.windows(2)
            .filter(|w| match w {
                [a, b] => {
                    let next: Vec<u32> = self.positions(*b).collect();
                    self.positions(*a).any(|p| next.binary_search(&(p + 1)).is_ok())
                }
                _ => false,
            })
            .count()
    }

    /// Whether the words `phrase` of a candidate occur adjacent and in order.
    fn phrase_matches(&self, best: &[(f32, Ref)], phrase: std::ops::Range<usize>) -> bool {
        let Some(first) = best.get(phrase.start) else { return false };
        let lists: Vec<Vec<u32>> =
            best.get(phrase.clone()).unwrap_or(&[]).iter().map(|b| self.positions(b.1).collect()).collect();
        self.positions(first.1)
            .any(|p| lists.iter().enumerate().all(|(k, list)| list.binary_search(&(p + k as u32)).is_ok()))
    }

    /// Body-word indexes of the matches of a candidate, with the word they match.
    fn body_positions(&self, reading: &Reading<'_>, at: usize, title_tokens: u32) -> Vec<(u32, usize)> {
        let s = reading.slots.len();
        let mut keys: Vec<u64> = Vec::new();
        for (slot, r) in reading.refs.get(at..at + s).unwrap_or(&[]).iter().enumerate() {
            keys.extend(
                self.positions(*r)
                    .filter(|&p| p > title_tokens)
                    .take(4096)
                    .map(|p| u64::from(p - title_tokens - 1) << 8 | slot as u64),
            );
        }
        order::sort(&mut keys);
        keys.into_iter().map(|k| ((k >> 8) as u32, (k & 0xFF) as usize)).collect()
    }
}

/// Keeps the `k` best candidates, best first (by score, then as found).
fn select_top(candidates: &mut Vec<Candidate>, k: usize) {
    let mut keys: Vec<u64> = candidates.iter().enumerate().map(|(i, c)| pack(descending(c.score), i as u32)).collect();
    order::smallest(&mut keys, k);
    let mut slots: Vec<Option<Candidate>> = candidates.drain(..).map(Some).collect();
    candidates.extend(keys.into_iter().filter_map(|key| slots.get_mut(low(key) as usize).and_then(Option::take)));
}

/// The highlighter for the readings of a query.
fn matcher(readings: &[Reading<'_>], options: &Options) -> Matcher {
    let mut words = Vec::new();
    for reading in readings {
        for (word, slot) in reading.query.words.iter().zip(&reading.slots) {
            words.push(MatchWord {
                term: word.term.clone(),
                marks: word.marks.clone(),
                chars: word.chars,
                prefix: word.prefix,
                fuzzy: slot.expansions.iter().filter_map(|e| e.text.clone()).collect(),
            });
        }
    }
    Matcher::new(words, options.exact_diacritics)
}

/// The candidates of one evaluation: per document that matched the first
/// word, a row of the best score and positions of each word.
struct Accumulator {
    words: usize,
    candidates: Vec<u32>,
    best: Vec<(f32, Ref)>,
}

impl Accumulator {
    /// Whether `doc` takes part at this step: any document for the first
    /// word (which makes it a candidate), then only candidates that matched
    /// every word so far.
    #[inline]
    fn admit(&mut self, scratch: &mut Scratch, doc: u32, step: usize, required: u64) -> bool {
        let d = doc as usize;
        let fresh = scratch.epoch.get(d).is_none_or(|&e| e != scratch.current);
        if step > 0 {
            return !fresh && scratch.mask.get(d).is_some_and(|&m| m & required == required);
        }
        if fresh {
            let (Some(e), Some(m), Some(row)) =
                (scratch.epoch.get_mut(d), scratch.mask.get_mut(d), scratch.row.get_mut(d))
            else {
                return false;
            };
            *e = scratch.current;
            *m = 0;
            *row = self.candidates.len() as u32;
            self.candidates.push(doc);
            self.best.extend(std::iter::repeat_n((f32::NEG_INFINITY, Ref::default()), self.words));
        }
        true
    }

    /// Keeps `score` for word `word` of `doc` if it beats the one there.
    #[inline]
    fn record(&mut self, scratch: &mut Scratch, doc: u32, word: usize, score: f32, r: Ref) {
        let d = doc as usize;
        let row = scratch.row.get(d).copied().unwrap_or(0) as usize;
        if let Some(best) = self.best.get_mut(row * self.words + word) {
            if score > best.0 {
                *best = (score, r);
            }
        }
        if let Some(m) = scratch.mask.get_mut(d) {
            *m |= 1 << word;
        }
    }
}
