//! Stage 1, the plan: a query parsed into its readings, and each word into
//! the index terms it matches ([`Expansion`]s), with every term's entry read
//! once and one walk of the term dictionary per prefix.
//!
//! The plan also owns the match rules for highlighting
//! ([`WordPlan::classify`]): the snippet stage asks the plan which words of a
//! text match, rather than restating what `expand` decided.

use std::ops::Range;

use fst::{IntoStreamer, Streamer};

use super::{Options, MAX_FUZZY_TERMS, MAX_PREFIX_TERMS, POSTINGS_BUDGET};
use crate::fuzzy::{confusion_variants, max_edits, Levenshtein};

/// The mark id of the stroke that makes `d` a `đ`.
const STROKE: u8 = 0x36;
use super::recent::Recent;
use crate::index::{Heavy, Index, TermInfo};
use crate::order::{self, low, pack};
use crate::query::{parse, telex_reading, vni_reading, Query, Word};
use crate::score::{self, TELEX_WEIGHT, TIER_EXACT, TIER_FUZZY};
use crate::text::{marks_agree, swap_hoi_nga, Marks, Token};

/// The words of a common prefix whose marks agree with the typed ones are
/// read up to this many postings (the rest still match, through the bitmap).
const MARKED_BUDGET: u32 = 8192;
/// Words whose typo expansions a [`TypoMemo`] remembers.
const TYPO_MEMO: usize = 16;

/// How an index term matches a query word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    /// The word itself.
    Exact,
    /// A completion of the word being typed, `len` bytes long.
    Prefix { len: u32 },
    /// A term within `edits` edits of the word.
    Typo { edits: u8 },
}

/// Which documents use a spelling whose marks agree with the query word.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Agree {
    All,
    Nothing,
    /// These documents, in increasing order.
    Docs(Vec<u32>),
}

/// One index term a query word matches.
#[derive(Debug, Clone)]
pub(crate) struct Expansion {
    /// The term's entry, read once.
    pub info: TermInfo,
    pub kind: Kind,
    /// The tier of this expansion's match quality.
    pub tier: f32,
    pub idf: f32,
    pub agree: Agree,
}

/// A query word with the terms it expands to.
pub(crate) struct WordPlan<'a> {
    pub word: Word,
    pub expansions: Vec<Expansion>,
    /// For a common prefix: its document bitmap and best list, standing in
    /// for expanding it term by term.
    pub heavy: Option<Heavy<'a>>,
    /// The terms of the typo expansions (the highlighter matches them).
    pub typos: Vec<String>,
    /// Postings to read: the cheapest word drives the candidates.
    pub cost: u64,
    /// Its typo expansions were skipped because the word itself (or its
    /// completions) matched: a widened plan adds them.
    pub narrowed: bool,
    /// With exact diacritics, the typed marks with hỏi and ngã swapped: a
    /// spelling with these marks is a one-edit typo.
    pub swapped: Option<Marks>,
}

/// One reading of the query (as typed, or its telex or VNI reading), planned.
pub(crate) struct ReadingPlan<'a> {
    pub words: Vec<WordPlan<'a>>,
    /// Word ranges that must match adjacent and in order (quoted phrases).
    pub phrases: Vec<Range<usize>>,
    /// Whether any word was typed with a diacritic.
    pub has_marks: bool,
    /// The weight of this reading's scores (1 as typed, less for telex and VNI).
    pub weight: f32,
}

/// A query, planned: its readings, as typed first.
pub(crate) struct Plan<'a> {
    pub readings: Vec<ReadingPlan<'a>>,
    /// Only spellings whose marks agree with the typed ones match.
    pub exact_diacritics: bool,
    /// The last reading is the split reading (see `split`), which the
    /// engine adds to a plan and reads from its reading as typed.
    pub split: bool,
}

/// How a token of some text matches a query word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenMatch {
    /// The whole word; `agrees` when its marks agree with the typed ones.
    Whole { agrees: bool },
    /// A word the query word (being typed) begins.
    Completion { agrees: bool },
    /// One of the plan's typo expansions.
    Typo,
}

impl TokenMatch {
    /// 0: the word or its completion as typed; 1: with other marks; 2: a typo.
    pub fn level(self) -> u8 {
        match self {
            TokenMatch::Whole { agrees } | TokenMatch::Completion { agrees } => u8::from(!agrees),
            TokenMatch::Typo => 2,
        }
    }
}

impl<'a> Plan<'a> {
    /// Plans `query`: parses it, reads it as telex and VNI too when
    /// `options` allow and it reads differently, and expands each word of
    /// each reading, exact spellings first: a word that matches as typed
    /// skips its typos until the plan is widened ([`Plan::widen`]).
    ///
    /// The typo expansions of the words are remembered in `memo`: the words
    /// before the one being typed are planned again at every keystroke.
    pub fn new(index: &Index<'a>, query: &str, options: &Options, memo: &mut TypoMemo) -> Self {
        let typed = parse(query);
        let mut readings = Vec::with_capacity(3);
        if !typed.words.is_empty() {
            let other = |on: bool, read: fn(&str) -> Option<String>| {
                on.then(|| read(query)).flatten().map(|q| parse(&q)).filter(|q| q.words != typed.words)
            };
            let telex = other(options.telex, telex_reading);
            let vni = other(options.vni, vni_reading);
            readings.push(ReadingPlan::new(index, typed, 1.0, options, memo));
            for q in telex.into_iter().chain(vni) {
                readings.push(ReadingPlan::new(index, q, TELEX_WEIGHT, options, memo));
            }
        }
        Plan { readings, exact_diacritics: options.exact_diacritics, split: false }
    }

    /// Adds the typos of the words that skipped them because they matched
    /// as typed (the engine widens a plan whose matches do not fill the
    /// page): those words are expanded again, widened, and the others stay
    /// as they are, since a word that skipped nothing expands the same
    /// either way. The plan must not have its split reading yet.
    pub fn widen(&mut self, index: &Index<'a>, options: &Options, memo: &mut TypoMemo) {
        for reading in &mut self.readings {
            let check_marks = options.exact_diacritics || reading.has_marks;
            for (i, w) in reading.words.iter_mut().enumerate() {
                if w.narrowed {
                    let in_phrase = reading.phrases.iter().any(|p| p.contains(&i));
                    let expander = Expander { index, options, check_marks, widen: true, memo: &mut *memo };
                    *w = expander.expand(w.word.clone(), in_phrase);
                }
            }
        }
    }

    /// Whether some word skipped its typos because it matched as typed.
    pub fn narrowed(&self) -> bool {
        self.words().any(|w| w.narrowed)
    }

    /// At most how many documents the plan can match: per reading, its
    /// rarest word's documents (a heavy prefix's bitmap count, else the sum
    /// of its terms' document counts), summed over the readings.
    pub fn most_documents(&self) -> u64 {
        let word = |w: &WordPlan<'_>| match &w.heavy {
            Some(h) => u64::from(h.documents),
            None => w.expansions.iter().map(|e| u64::from(e.info.df)).sum(),
        };
        self.readings.iter().map(|r| r.words.iter().map(word).min().unwrap_or(0)).sum()
    }

    /// Every word of every reading.
    pub fn words(&self) -> impl Iterator<Item = &WordPlan<'a>> {
        self.readings.iter().flat_map(|r| &r.words)
    }
}

impl<'a> ReadingPlan<'a> {
    pub fn new(index: &Index<'a>, query: Query, weight: f32, options: &Options, memo: &mut TypoMemo) -> Self {
        let has_marks = query.has_marks();
        let check_marks = options.exact_diacritics || has_marks;
        let Query { words, phrases } = query;
        let words = words
            .into_iter()
            .enumerate()
            .map(|(i, word)| {
                let in_phrase = phrases.iter().any(|p| p.contains(&i));
                Expander { index, options, check_marks, widen: false, memo: &mut *memo }.expand(word, in_phrase)
            })
            .collect();
        ReadingPlan { words, phrases, has_marks, weight }
    }

    /// The query this reading was planned from.
    pub fn query(&self) -> Query {
        Query { words: self.words.iter().map(|w| w.word.clone()).collect(), phrases: self.phrases.clone() }
    }

    /// Whether some word matches nothing, so that no document can match.
    pub fn unmatchable(&self) -> bool {
        self.words.iter().any(|w| w.expansions.is_empty() && w.heavy.is_none())
    }
}

/// A candidate term of a word, before its agreement is read.
#[derive(Clone)]
pub(crate) struct Term {
    number: u32,
    info: TermInfo,
    kind: Kind,
    typo: Option<String>,
}

/// A term found by a walk of the term dictionary.
#[derive(Clone, Copy)]
struct Found {
    number: u32,
    /// Length of the term in bytes.
    len: u32,
    info: TermInfo,
}

/// The typo expansions of the last [`TYPO_MEMO`] words expanded, by
/// (term, edits): the walk of the dictionary they take is the costliest part
/// of a plan, and a query's words but the last are the same at every
/// keystroke. Only expansions read from complete data are kept (not while a
/// split index lacks shards), so a remembered one is what a walk would find.
pub(crate) type TypoMemo = Recent<(String, u8), Vec<Term>, TYPO_MEMO>;

/// Expands the words of one reading.
struct Expander<'i, 'a> {
    index: &'i Index<'a>,
    options: &'i Options,
    /// Whether agreement with the typed marks is read (it ranks, or filters).
    check_marks: bool,
    /// Add typos to words that match as typed too.
    widen: bool,
    memo: &'i mut TypoMemo,
}

impl<'a> Expander<'_, 'a> {
    /// The terms `word` expands to: itself, its completions while it is
    /// typed, and its typos unless they would only add noise.
    fn expand(mut self, word: Word, in_phrase: bool) -> WordPlan<'a> {
        let index = self.index;
        // The word's number in the dictionary, looked up once.
        let number = index.lookup(&word.term);
        let exact = number.and_then(|n| Some((n, index.term(n)?)));
        let mut terms: Vec<Term> = Vec::new();
        terms.extend(exact.map(|(number, info)| Term { number, info, kind: Kind::Exact, typo: None }));
        let heavy = (word.prefix && !self.options.exact_diacritics).then(|| index.heavy(&word.term)).flatten();
        // The one walk of the dictionary for this prefix (none for a common
        // prefix typed without marks: its bitmap stands in for its words).
        let walk = (word.prefix && !(heavy.is_some() && word.marks.is_empty())).then(|| self.completions(&word.term));
        if let Some(found) = &walk {
            let exact = exact.map(|(n, _)| n);
            let prefixed = match heavy {
                // A common prefix: the words whose marks agree with the
                // typed ones are still read, to rank them first.
                Some(_) => self.prefix_terms(found, exact, MARKED_BUDGET, |info| {
                    let mut marks = index.variants_of(Some(*info)).marks_only();
                    marks.any(|m| marks_agree(&word.marks, word.chars, m, true))
                }),
                None => self.prefix_terms(found, exact, POSTINGS_BUDGET, |_| true),
            };
            terms.extend(prefixed.into_iter().map(|f| Term {
                number: f.number,
                info: f.info,
                kind: Kind::Prefix { len: f.len },
                typo: None,
            }));
        }
        // A word that is common as typed is no typo: its typo expansions
        // would only cost time and bury its own matches.
        // (Both read the dictionary and the document counts, not the
        // postings: in the split layout they decide which shards to fetch.)
        let common = number.is_some_and(|n| index.df(n) >= (index.documents() / 50).max(10));
        // Nor is a word being typed that some word starts with. (Typed with
        // marks, the word must agree with them: `chường` completes no word
        // when the corpus only has `chương`.)
        let agrees = |info: &TermInfo, prefix: bool| {
            word.marks.is_empty()
                || index.variants_of(Some(*info)).marks_only().any(|m| marks_agree(&word.marks, word.chars, m, prefix))
        };
        // (Without marks, only the dictionary is read, not the term table: in
        // the split layout this decides which shards to fetch.)
        let completes = if word.marks.is_empty() {
            heavy.is_some()
                || (walk.is_some() && {
                    let (lo, hi) = index.prefix_range(&word.term);
                    lo < hi
                })
        } else {
            walk.as_ref().is_some_and(|found| found.iter().any(|f| agrees(&f.info, true)))
        };
        // Exact spellings first: a word in the corpus as typed (with its
        // marks, if it has any) brings its spelling confusions, and a word
        // that completes its typos, only in a widened plan (the engine
        // widens when the first plan's matches do not fill the page), and
        // then within one edit. A confusion (s/x, ch/tr…) is one edit at any
        // length: the short syllables are where readers make them. A word
        // common as typed has neither.
        let in_corpus =
            if word.marks.is_empty() { number.is_some() } else { exact.is_some_and(|(_, info)| agrees(&info, false)) };
        let edits = max_edits(word.chars);
        let typos = self.options.fuzzy && !self.options.exact_diacritics && !in_phrase && !common;
        let skipped = typos && completes;
        let confusable = typos && in_corpus;
        // Whether a widened plan would add terms (so that it is worth a
        // second pass): typos withheld, or confusions that are in the corpus.
        let narrowed = confusable && !self.widen && ((skipped && edits > 0) || !self.confusion_terms(&word).is_empty());
        if typos && (!skipped || (self.widen && in_corpus)) {
            let edits = if skipped { edits.min(1) } else { edits };
            let confusions = if confusable && !self.widen { Vec::new() } else { self.confusion_terms(&word) };
            let plain = if edits > 0 { self.typo_terms(&word.term, edits) } else { Vec::new() };
            for typo in confusions.into_iter().chain(plain) {
                if !terms.iter().any(|t| t.number == typo.number) {
                    terms.push(typo);
                }
            }
        }
        let mut plan = self.plan_word(word, terms, heavy);
        plan.narrowed = narrowed;
        plan
    }

    /// The terms one spelling confusion away from `word` (one edit each).
    /// A `đ` typed as such is no `d`: it has no d/gi/r confusions.
    fn confusion_terms(&self, word: &Word) -> Vec<Term> {
        let mut out = Vec::new();
        let stroked = word.marks.chunks_exact(2).any(|m| m == [0, STROKE]);
        for variant in confusion_variants(&word.term) {
            if stroked && !variant.starts_with('d') {
                continue;
            }
            let Some(number) = self.index.lookup(&variant) else { continue };
            let Some(info) = self.index.term(number) else { continue };
            out.push(Term { number, info, kind: Kind::Typo { edits: 1 }, typo: Some(variant) });
            if out.len() >= MAX_FUZZY_TERMS {
                break;
            }
        }
        out
    }

    /// The word's plan: each term's agreement, tier and weight.
    fn plan_word(&self, word: Word, terms: Vec<Term>, heavy: Option<Heavy<'a>>) -> WordPlan<'a> {
        let n = self.index.documents();
        let mut expansions = Vec::with_capacity(terms.len());
        let mut typos = Vec::new();
        let mut cost = 0u64;
        // With exact diacritics, hỏi for ngã (or back) is a one-edit typo.
        let swapped = (self.options.exact_diacritics && self.options.fuzzy)
            .then(|| swap_hoi_nga(&word.marks))
            .flatten()
            .map(|marks| Word { marks, ..word.clone() });
        for Term { info, kind, typo, .. } in terms {
            let agree = if self.check_marks { self.agreement(info, &word, kind) } else { Agree::All };
            if let Some(swapped) = swapped.as_ref().filter(|_| agree != Agree::All && kind == Kind::Exact) {
                let near = self.agreement(info, swapped, kind);
                if near != Agree::Nothing {
                    let tier = TIER_FUZZY.get(1).copied().unwrap_or(0.0);
                    let kind = Kind::Typo { edits: 1 };
                    expansions.push(Expansion { info, kind, tier, idf: score::idf(n, info.df), agree: near });
                    cost += u64::from(info.df);
                }
            }
            if self.options.exact_diacritics && agree == Agree::Nothing {
                continue;
            }
            let tier = match kind {
                Kind::Exact => TIER_EXACT,
                Kind::Prefix { len } => score::prefix_tier(word.term.len(), len as usize),
                Kind::Typo { edits } => TIER_FUZZY.get(usize::from(edits)).copied().unwrap_or(0.0),
            };
            cost += u64::from(info.df);
            expansions.push(Expansion { info, kind, tier, idf: score::idf(n, info.df), agree });
            typos.extend(typo);
        }
        if heavy.is_some() {
            cost = u64::MAX >> 9;
        }
        let swapped = swapped.map(|w| w.marks);
        WordPlan { word, expansions, heavy, typos, cost, narrowed: false, swapped }
    }

    /// The terms starting with `prefix`, in order: one walk of the dictionary.
    fn completions(&self, prefix: &str) -> Vec<Found> {
        let found = self.index.with_prefix(prefix).into_iter();
        found.map(|(number, len, info)| Found { number, len, info }).collect()
    }

    /// The terms of `found` (the words starting with a prefix) other than
    /// `exact` that `keep` accepts, bounded by [`MAX_PREFIX_TERMS`] and
    /// `budget` postings (most frequent first).
    fn prefix_terms(
        &self,
        found: &[Found],
        exact: Option<u32>,
        budget: u32,
        keep: impl Fn(&TermInfo) -> bool,
    ) -> Vec<Found> {
        // Most frequent first: (u32::MAX - df, place in `found`).
        let mut terms: Vec<u64> = found
            .iter()
            .enumerate()
            .filter(|(_, f)| Some(f.number) != exact && keep(&f.info))
            .map(|(i, f)| pack(u32::MAX - f.info.df, i as u32))
            .collect();
        let df = |key: u64| u32::MAX - (key >> 32) as u32;
        let total: u64 = terms.iter().map(|&k| u64::from(df(k))).sum();
        if terms.len() > MAX_PREFIX_TERMS || total > u64::from(budget) {
            order::sort(&mut terms);
            let mut budget = budget;
            let mut kept = 0;
            for &k in terms.iter().take(MAX_PREFIX_TERMS) {
                if df(k) > budget && kept > 0 {
                    break;
                }
                budget = budget.saturating_sub(df(k));
                kept += 1;
            }
            terms.truncate(kept);
        }
        terms.into_iter().filter_map(|k| found.get(low(k) as usize).copied()).collect()
    }

    /// Terms within `edits` of `term`, closest then most frequent first, at
    /// most [`MAX_FUZZY_TERMS`]; remembered in the memo.
    fn typo_terms(&mut self, term: &str, edits: u8) -> Vec<Term> {
        if let Some(known) = self.memo.find(|(t, e)| t == term && *e == edits) {
            return known.clone();
        }
        let found = self.walk_typos(term, edits);
        if !self.index.missing_any() {
            self.memo.keep((term.to_string(), edits), found.clone());
        }
        found
    }

    /// [`Expander::typo_terms`], found by a walk of the term dictionary.
    fn walk_typos(&self, term: &str, edits: u8) -> Vec<Term> {
        let Some(aut) = Levenshtein::new(term, edits) else {
            return Vec::new();
        };
        let mut stream = self.index.fst().search_with_state(&aut).into_stream();
        // Keys (distance << 56 | (2^24 - df) << 32 | place in `found`).
        let mut keys: Vec<u64> = Vec::new();
        let mut found: Vec<Term> = Vec::new();
        while let Some((key, value, state)) = stream.next() {
            let (Some(d), Ok(number), Ok(text)) =
                (aut.distance(&state), u32::try_from(value), std::str::from_utf8(key))
            else {
                continue;
            };
            let Some(info) = self.index.term(number).filter(|_| d > 0) else { continue };
            let rarity = 0x00FF_FFFF - info.df.min(0x00FF_FFFF);
            keys.push(pack(u32::from(d) << 24 | rarity, found.len() as u32));
            found.push(Term { number, info, kind: Kind::Typo { edits: d }, typo: Some(text.to_string()) });
            if keys.len() >= 4 * MAX_FUZZY_TERMS {
                break;
            }
        }
        order::smallest(&mut keys, MAX_FUZZY_TERMS);
        let mut slots: Vec<Option<Term>> = found.into_iter().map(Some).collect();
        keys.into_iter().filter_map(|k| slots.get_mut(low(k) as usize).and_then(Option::take)).collect()
    }

    /// Which documents spell a term with the marks `word` was typed with.
    fn agreement(&self, info: TermInfo, word: &Word, kind: Kind) -> Agree {
        if matches!(kind, Kind::Typo { .. }) {
            return if word.marks.is_empty() { Agree::All } else { Agree::Nothing };
        }
        let mut docs: Vec<u64> = Vec::new();
        let mut any = false;
        for variant in self.index.variants_of(Some(info)) {
            if !marks_agree(&word.marks, word.chars, variant.marks, word.prefix) {
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
}

impl WordPlan<'_> {
    /// Whether the word matches closely: itself, a completion, a common
    /// prefix's bitmap or a one-edit typo (not nothing, not only typos of
    /// two edits).
    pub fn matches_closely(&self) -> bool {
        self.heavy.is_some() || self.expansions.iter().any(|e| !matches!(e.kind, Kind::Typo { edits: 2.. }))
    }

    /// Whether the word matches nothing at all.
    pub fn matches_nothing(&self) -> bool {
        self.heavy.is_none() && self.expansions.is_empty()
    }

    /// How `token` matches this word, by the rules the expansions were made
    /// with: the word itself ([`Kind::Exact`]), a word it begins while it is
    /// typed ([`Kind::Prefix`], which covers the words of a common prefix
    /// that only its bitmap stands for), or one of this plan's typo
    /// expansions. With `exact_diacritics`, only spellings whose marks agree
    /// (or, as a typo, agree once hỏi and ngã are swapped).
    pub fn classify(&self, token: &Token, exact_diacritics: bool) -> Option<TokenMatch> {
        let w = &self.word;
        let whole = token.term == w.term;
        if whole || (w.prefix && token.term.starts_with(w.term.as_str())) {
            let agrees =
                (w.marks.is_empty() && !exact_diacritics) || marks_agree(&w.marks, w.chars, &token.marks, w.prefix);
            let near = |m: &Marks| whole && marks_agree(m, w.chars, &token.marks, w.prefix);
            return match (exact_diacritics && !agrees, whole) {
                (true, _) if self.swapped.as_ref().is_some_and(near) => Some(TokenMatch::Typo),
                (true, _) => None,
                (false, true) => Some(TokenMatch::Whole { agrees }),
                (false, false) => Some(TokenMatch::Completion { agrees }),
            };
        }
        self.typos.contains(&token.term).then_some(TokenMatch::Typo)
    }
}
