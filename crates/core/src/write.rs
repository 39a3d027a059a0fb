//! Writing an index: documents in, the bytes of [`crate::format`] out.
//!
//! Run by `build.rs` at compile time and by native tests. The output depends
//! only on the documents, in order: the same corpus gives the same bytes.
//!
//! [`write_index`] reads as the list of sections: one pass over the documents
//! fills the document store ([`Section::Docs`], [`Section::Checks`],
//! [`Section::Strings`]) and collects each term's postings; then each other
//! section has its writer, and [`assemble`] lays them out after the header.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;

use crate::corpus::Document;
use crate::format::*;
use crate::score::{self, Lengths};
use crate::text::{tokenize, Marks};

/// Sizes of an index and of its sections, in bytes: the build summary.
///
/// ```
/// use timkiem_core::{corpus::Document, format::Section, write::write_index};
/// let docs = vec![Document { path: "a.txt".into(), title: "Hà Nội".into(), text: "thủ đô".into() }];
/// let (bytes, breakdown) = write_index(&docs)?;
/// assert_eq!(breakdown.total, bytes.len());
/// assert_eq!(breakdown.section(Section::Strings), "Hà Nộia.txtthủ đô".len());
/// assert_eq!(breakdown.text, "thủ đô".len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Breakdown {
    /// Number of documents.
    pub documents: usize,
    /// Number of terms.
    pub terms: usize,
    /// Bytes of each section, in [`Section::ALL`] order.
    pub sections: [usize; Section::COUNT],
    /// Of [`Section::Postings`], the bytes of the spelling variants.
    pub variants: usize,
    /// Of [`Section::Strings`], the bytes of the documents' text (the rest
    /// is titles and paths).
    pub text: usize,
    /// The whole index, header included.
    pub total: usize,
    /// Shard files (split layout).
    pub shards: usize,
    /// Bytes of all the shard files.
    pub shard_bytes: usize,
}

impl Breakdown {
    /// Bytes of `section`.
    pub fn section(&self, section: Section) -> usize {
        self.sections.get(section.index()).copied().unwrap_or(0)
    }

    /// The sizes as the members of a JSON object (without its braces):
    /// `"documents"`, `"terms"`, `"total"`, `"variants"`, `"text"`, and
    /// `"sections"`, an object with a member per section name.
    pub fn json_members(&self) -> String {
        let sections: Vec<String> =
            Section::ALL.iter().map(|&s| format!("\"{}\":{}", s.name(), self.section(s))).collect();
        format!(
            "\"documents\":{},\"terms\":{},\"total\":{},\"variants\":{},\"text\":{},\"shards\":{},\"shard_bytes\":{},\"sections\":{{{}}}",
            self.documents,
            self.terms,
            self.total,
            self.variants,
            self.text,
            self.shards,
            self.shard_bytes,
            sections.join(",")
        )
    }
}

impl fmt::Display for Breakdown {
    /// `3 documents, 40 terms, 2085 bytes: fst 412, terms 12, …` with the
    /// variants and the text named within their sections.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} documents, {} terms, {} bytes:", self.documents, self.terms, self.total)?;
        for (i, &s) in Section::ALL.iter().enumerate() {
            write!(f, "{} {} {}", if i == 0 { "" } else { "," }, s.name(), self.section(s))?;
            match s {
                Section::Postings => write!(f, " (variants {})", self.variants)?,
                Section::Strings => write!(f, " (text {})", self.text)?,
                _ => {}
            }
        }
        if self.shards > 0 {
            write!(f, "; {} shards, {} bytes", self.shards, self.shard_bytes)?;
        }
        Ok(())
    }
}

/// Why an index could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The index would exceed the 4 GiB that its 32-bit offsets address.
    TooLarge,
    /// The fst crate refused the term dictionary.
    Fst(String),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::TooLarge => write!(f, "the corpus is too large for one index (4 GiB of index data)"),
            WriteError::Fst(e) => write!(f, "cannot build the term dictionary: {e}"),
        }
    }
}

impl std::error::Error for WriteError {}

fn u32_of(n: usize) -> Result<u32, WriteError> {
    u32::try_from(n).map_err(|_| WriteError::TooLarge)
}

/// Builds the index of `docs`, whose ids are their positions in the slice,
/// in the embedded layout: everything in one index.
pub fn write_index(docs: &[Document]) -> Result<(Vec<u8>, Breakdown), WriteError> {
    let mut built = Built::new(docs)?;
    built.sections.checks = std::mem::take(&mut built.store.checks);
    built.sections.strings = std::mem::take(&mut built.store.strings);
    let sections = std::mem::take(&mut built.sections).in_layout_order();
    let build_id = build_id(Layout::Embedded, &sections);
    let (bytes, sizes) = assemble(&built.counts, Layout::Embedded, build_id, sections)?;
    let breakdown = built.breakdown(sizes, bytes.len(), &[]);
    Ok((bytes, breakdown))
}

/// Shard sizes of the split layout, in bytes before compression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitOptions {
    /// A postings shard ends after the first whole [`TERM_BLOCK`] that
    /// brings it to at least this many bytes.
    pub postings_shard_bytes: usize,
    /// A docs shard ends after the first document that brings it to at
    /// least this many bytes.
    pub docs_shard_bytes: usize,
    /// A bitmap shard ends after the first heavy prefix's bitmap that brings
    /// it to at least this many bytes.
    pub bitmap_shard_bytes: usize,
    /// At most about this many docs shards: above, docs shards are made
    /// larger than `docs_shard_bytes`. Each shard costs about 10 bytes gzip
    /// of the shard table in the wasm; at 100,000 documents, 4 KiB docs
    /// shards would make it 515 KB gzip, more than the term dictionary.
    pub max_docs_shards: usize,
}

impl Default for SplitOptions {
    /// The sizes chosen by measuring the peers benchmark's keystroke
    /// workload over 1,000 and 10,000 documents (`examples/split_workload`;
    /// README, "The split layout"): 8 KiB of postings and 4 KiB of
    /// documents (about a page) give the smallest first payload and the
    /// fewest bytes over a workload. A keystroke fetches about as many files
    /// as with larger shards (one per hit shown, and its postings); a
    /// workload fetches more distinct ones, as small shards are shared less.
    fn default() -> Self {
        SplitOptions {
            postings_shard_bytes: 8 << 10,
            docs_shard_bytes: 4 << 10,
            bitmap_shard_bytes: 4 << 10,
            max_docs_shards: 16_384,
        }
    }
}

/// A split index: the index to embed, and the shard files it points to.
#[derive(Debug, Clone)]
pub struct SplitIndex {
    /// The index: term dictionary, statistics, heavy prefixes, shard table.
    pub index: Vec<u8>,
    /// The shards, in shard-table order (a shard's number is its place).
    pub shards: Vec<ShardFile>,
    /// The sizes of the index's sections and of the shards.
    pub breakdown: Breakdown,
}

/// One shard file.
#[derive(Debug, Clone)]
pub struct ShardFile {
    /// Its entry in the shard table.
    pub entry: ShardEntry,
    /// The whole file: [`ShardHeader`] and payload.
    pub bytes: Vec<u8>,
}

/// Builds the index of `docs` in the split layout: postings cut by term
/// range and the document store by document range into shards of about the
/// sizes `options` asks for. The engine gives the same answers over it as
/// over [`write_index`]'s, once it has the shards it asks for.
pub fn write_split(docs: &[Document], options: &SplitOptions) -> Result<SplitIndex, WriteError> {
    let mut built = Built::new(docs)?;
    let postings = std::mem::take(&mut built.sections.postings);
    let mut payloads = postings_payloads(&postings, &built.entries, options.postings_shard_bytes)?;
    let docs_target = options.docs_shard_bytes.max(built.store.bytes().div_ceil(options.max_docs_shards.max(1)));
    payloads.extend(built.store.docs_payloads(docs_target)?);
    let (heavy, bitmaps) = split_heavy(&built.sections.heavy, built.counts.documents, options.bitmap_shard_bytes)?;
    built.sections.heavy = heavy;
    payloads.extend(bitmaps);
    built.sections.docs.clear();
    let mut hashes: Vec<u8> = Vec::new();
    for payload in &payloads {
        hashes.extend_from_slice(&fnv1a(&payload.bytes).to_le_bytes());
    }
    let mut sections = std::mem::take(&mut built.sections).in_layout_order();
    let build_id = build_id(Layout::Split, &sections) ^ fnv1a(&hashes);
    let shards: Vec<ShardFile> =
        payloads.into_iter().enumerate().map(|(n, p)| p.into_file(n, build_id)).collect::<Result<_, _>>()?;
    let entries: Vec<ShardEntry> = shards.iter().map(|s| s.entry).collect();
    let table = shards::write_table(&entries).ok_or(WriteError::TooLarge)?;
    if let Some(slot) = sections.get_mut(Section::Shards.index()) {
        *slot = table;
    }
    let (index, sizes) = assemble(&built.counts, Layout::Split, build_id, sections)?;
    let breakdown = built.breakdown(sizes, index.len(), &shards);
    Ok(SplitIndex { index, shards, breakdown })
}

/// What one pass over the documents gives: every section's bytes, and
/// what cutting them into shards needs.
struct Built {
    counts: Counts,
    sections: Sections,
    store: DocStore,
    /// Where each term's entry starts in the postings.
    entries: Vec<usize>,
    terms: usize,
    variant_bytes: usize,
}

impl Built {
    fn new(docs: &[Document]) -> Result<Built, WriteError> {
        let (store, vocabulary) = collect(docs)?;
        let terms = vocabulary.into_sorted();
        let counts = Counts {
            documents: u32_of(docs.len())?,
            terms: u32_of(terms.len())?,
            title_tokens: u32::try_from(store.title_tokens).map_err(|_| WriteError::TooLarge)?,
            body_tokens: u32::try_from(store.body_tokens).map_err(|_| WriteError::TooLarge)?,
        };
        let marks = MarkNumbers::new(&terms)?;
        let postings = write_postings(&terms, &marks, counts.span())?;
        let sections = Sections {
            fst: write_fst(&terms)?,
            terms: write_term_table(&postings.entries)?,
            heavy: write_heavy(&terms, &postings.positions_at, &store.records, &counts)?,
            postings: postings.bytes,
            marks: marks.write()?,
            docs: store.write_records(),
            // Filled by `write_index`; `write_split` cuts them into shards.
            checks: Vec::new(),
            strings: Vec::new(),
            lengths: store.write_lengths()?,
            dfs: write_dfs(&terms)?,
            shards: Vec::new(),
        };
        Ok(Built {
            counts,
            sections,
            store,
            entries: postings.entries,
            terms: terms.len(),
            variant_bytes: postings.variant_bytes,
        })
    }

    fn breakdown(&self, sections: [usize; Section::COUNT], total: usize, shards: &[ShardFile]) -> Breakdown {
        Breakdown {
            documents: self.store.records.len(),
            terms: self.terms,
            sections,
            variants: self.variant_bytes,
            text: self.store.text_bytes,
            total,
            shards: shards.len(),
            shard_bytes: shards.iter().map(|s| s.bytes.len()).sum(),
        }
    }
}

/// The build id: a hash of the layout and of every section (and, for a
/// split index, of every shard's payload, mixed in by [`write_split`]).
fn build_id(layout: Layout, sections: &[Vec<u8>; Section::COUNT]) -> u64 {
    let mut hashes = layout.code().to_le_bytes().to_vec();
    for section in sections {
        hashes.extend_from_slice(&fnv1a(section).to_le_bytes());
    }
    fnv1a(&hashes)
}

/// A shard's payload, before it gets its number and header.
struct Payload {
    kind: ShardKind,
    first: u32,
    end: u32,
    start: u32,
    checks_len: u32,
    bytes: Vec<u8>,
}

impl Payload {
    /// The shard file numbered `number`: header, then payload.
    fn into_file(self, number: usize, build_id: u64) -> Result<ShardFile, WriteError> {
        let header = ShardHeader {
            kind: self.kind,
            number: u32_of(number)?,
            first: self.first,
            end: self.end,
            checks_len: self.checks_len,
            build_id,
        };
        let mut bytes = Vec::with_capacity(ShardHeader::LEN + self.bytes.len());
        header.write_to(&mut bytes);
        bytes.extend_from_slice(&self.bytes);
        let entry = ShardEntry {
            kind: self.kind,
            first: self.first,
            end: self.end,
            start: self.start,
            len: u32_of(bytes.len())?,
            hash: fnv1a(&bytes),
        };
        Ok(ShardFile { entry, bytes })
    }
}

/// The postings cut into runs of whole [`TERM_BLOCK`]s of at least `target`
/// bytes (but the last): the terms of a prefix are contiguous, so a prefix
/// usually falls in one run.
fn postings_payloads(postings: &[u8], entries: &[usize], target: usize) -> Result<Vec<Payload>, WriteError> {
    let block = TERM_BLOCK as usize;
    let mut out = Vec::new();
    let mut first = 0usize;
    while first < entries.len() {
        let start = entries.get(first).copied().unwrap_or(postings.len());
        let mut end = first;
        let mut end_at = start;
        while end < entries.len() && end_at - start < target.max(1) {
            end = (end + block).min(entries.len());
            end_at = entries.get(end).copied().unwrap_or(postings.len());
        }
        out.push(Payload {
            kind: ShardKind::Postings,
            first: u32_of(first)?,
            end: u32_of(end)?,
            start: u32_of(start)?,
            checks_len: 0,
            bytes: postings.get(start..end_at).unwrap_or(&[]).to_vec(),
        });
        first = end;
    }
    Ok(out)
}

/// [`Section::Dfs`]: per block the offset of its first varint, then a
/// varint per term.
fn write_dfs(terms: &[(String, TermPostings)]) -> Result<Vec<u8>, WriteError> {
    let mut varints = Vec::with_capacity(terms.len() + 8);
    let mut out = Vec::with_capacity(terms.len().div_ceil(TERM_BLOCK as usize) * 4);
    for (n, (_, postings)) in terms.iter().enumerate() {
        if n % TERM_BLOCK as usize == 0 {
            out.extend_from_slice(&u32_of(varints.len())?.to_le_bytes());
        }
        put_varint(&mut varints, u32_of(postings.docs.len())?);
    }
    out.extend_from_slice(&varints);
    Ok(out)
}

/// The counts that go into the header.
struct Counts {
    documents: u32,
    terms: u32,
    title_tokens: u32,
    body_tokens: u32,
}

impl Counts {
    /// See [`mean_span`].
    fn span(&self) -> u32 {
        mean_span(self.documents, self.title_tokens, self.body_tokens)
    }
}

/// Every section's bytes, by name.
#[derive(Default)]
struct Sections {
    fst: Vec<u8>,
    terms: Vec<u8>,
    postings: Vec<u8>,
    marks: Vec<u8>,
    docs: Vec<u8>,
    checks: Vec<u8>,
    strings: Vec<u8>,
    heavy: Vec<u8>,
    lengths: Vec<u8>,
    dfs: Vec<u8>,
    shards: Vec<u8>,
}

impl Sections {
    /// The sections in [`Section::ALL`] order.
    fn in_layout_order(mut self) -> [Vec<u8>; Section::COUNT] {
        Section::ALL.map(|section| {
            std::mem::take(match section {
                Section::Fst => &mut self.fst,
                Section::Terms => &mut self.terms,
                Section::Postings => &mut self.postings,
                Section::Marks => &mut self.marks,
                Section::Docs => &mut self.docs,
                Section::Checks => &mut self.checks,
                Section::Strings => &mut self.strings,
                Section::Heavy => &mut self.heavy,
                Section::Lengths => &mut self.lengths,
                Section::Dfs => &mut self.dfs,
                Section::Shards => &mut self.shards,
            })
        })
    }
}

/// The header, then the sections one after the other; and their sizes.
fn assemble(
    counts: &Counts,
    layout: Layout,
    build_id: u64,
    sections: [Vec<u8>; Section::COUNT],
) -> Result<(Vec<u8>, [usize; Section::COUNT]), WriteError> {
    let sizes = sections.each_ref().map(Vec::len);
    let table = SectionTable::consecutive(sizes);
    let total = table.range(Section::ALL[Section::COUNT - 1]).end;
    let header = Header {
        total_len: u32_of(total)?,
        documents: counts.documents,
        terms: counts.terms,
        title_tokens: counts.title_tokens,
        body_tokens: counts.body_tokens,
        fst_hash: fnv1a(sections.first().map_or(&[], Vec::as_slice)),
        layout,
        build_id,
        sections: table,
    };
    let mut out = Vec::with_capacity(total);
    header.write_to(&mut out).ok_or(WriteError::TooLarge)?;
    for section in &sections {
        out.extend_from_slice(section);
    }
    Ok((out, sizes))
}

/// One document's occurrences of a term.
struct Occurrences {
    doc: u32,
    title_tf: u32,
    /// Positions: title words count from 0, body words from the title's
    /// length + 1.
    positions: Vec<u32>,
}

/// What the index keeps of one term.
#[derive(Default)]
struct TermPostings {
    /// In document order.
    docs: Vec<Occurrences>,
    /// The term's spellings (their marks), each with the documents using it
    /// in order.
    variants: BTreeMap<Marks, Vec<u32>>,
}

impl TermPostings {
    fn add(&mut self, doc: u32, marks: Marks, position: u32, in_title: bool) {
        match self.docs.last_mut() {
            Some(o) if o.doc == doc => {
                o.positions.push(position);
                o.title_tf += u32::from(in_title);
            }
            _ => self.docs.push(Occurrences { doc, title_tf: u32::from(in_title), positions: vec![position] }),
        }
        let variant = self.variants.entry(marks).or_default();
        if variant.last() != Some(&doc) {
            variant.push(doc);
        }
    }
}

/// Every term of the corpus, as found.
#[derive(Default)]
struct Vocabulary(HashMap<String, TermPostings>);

impl Vocabulary {
    /// The terms in byte order: term number `n` is the `n`-th.
    fn into_sorted(self) -> Vec<(String, TermPostings)> {
        let mut sorted: Vec<(String, TermPostings)> = self.0.into_iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        sorted
    }
}

/// The document store as it is written: [`Section::Docs`] (as records),
/// [`Section::Checks`] and [`Section::Strings`].
#[derive(Default)]
struct DocStore {
    records: Vec<DocRecord>,
    checks: Vec<u8>,
    strings: Vec<u8>,
    text_bytes: usize,
    title_tokens: u64,
    body_tokens: u64,
}

impl DocStore {
    fn string(&mut self, s: &str) -> Result<StrSpan, WriteError> {
        let span = StrSpan { offset: u32_of(self.strings.len())?, len: u32_of(s.len())? };
        self.strings.extend_from_slice(s.as_bytes());
        Ok(span)
    }

    /// Bytes of the whole store: records, checkpoints and strings.
    fn bytes(&self) -> usize {
        self.records.len() * DocRecord::LEN + self.checks.len() + self.strings.len()
    }

    /// [`Section::Lengths`].
    fn write_lengths(&self) -> Result<Vec<u8>, WriteError> {
        let fits = |r: &DocRecord| {
            let title = u8::try_from(r.title_tokens).ok().filter(|&t| t != sections::TITLE_ESCAPE);
            let body = u16::try_from(r.body_tokens).ok().filter(|&b| b != sections::BODY_ESCAPE);
            title.zip(body)
        };
        let mut out = Vec::with_capacity(self.records.len() * 3 + 4);
        out.extend(self.records.iter().map(|r| fits(r).map_or(sections::TITLE_ESCAPE, |(t, _)| t)));
        for r in &self.records {
            out.extend_from_slice(&fits(r).map_or(sections::BODY_ESCAPE, |(_, b)| b).to_le_bytes());
        }
        let overflow: Vec<(usize, &DocRecord)> =
            self.records.iter().enumerate().filter(|(_, r)| fits(r).is_none()).collect();
        out.extend_from_slice(&u32_of(overflow.len())?.to_le_bytes());
        for (id, r) in overflow {
            for v in [u32_of(id)?, r.title_tokens, r.body_tokens] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        Ok(out)
    }

    /// The document store cut into runs of documents of at least `target`
    /// bytes (but the last), each with its records rewritten to point into
    /// its own checkpoints and strings.
    fn docs_payloads(&self, target: usize) -> Result<Vec<Payload>, WriteError> {
        let mut out = Vec::new();
        let mut first = 0usize;
        while first < self.records.len() {
            let mut shard = DocShard::default();
            let mut end = first;
            while let Some(record) = self.records.get(end) {
                if shard.len() >= target.max(1) {
                    break;
                }
                shard.add(record, &self.checks, &self.strings)?;
                end += 1;
            }
            out.push(shard.into_payload(u32_of(first)?, u32_of(end)?)?);
            first = end;
        }
        Ok(out)
    }

    /// [`Section::Docs`].
    fn write_records(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.records.len() * DocRecord::LEN);
        for record in &self.records {
            record.write_to(&mut out);
        }
        out
    }
}

/// A docs shard being filled.
#[derive(Default)]
struct DocShard {
    records: Vec<u8>,
    checks: Vec<u8>,
    strings: Vec<u8>,
}

impl DocShard {
    fn len(&self) -> usize {
        self.records.len() + self.checks.len() + self.strings.len()
    }

    /// Adds a document of the whole store (`checks`, `strings`).
    fn add(&mut self, record: &DocRecord, checks: &[u8], strings: &[u8]) -> Result<(), WriteError> {
        let mut string = |span: StrSpan| -> Result<StrSpan, WriteError> {
            let local = StrSpan { offset: u32_of(self.strings.len())?, len: span.len };
            self.strings.extend_from_slice(span.get(strings).unwrap_or(&[]));
            Ok(local)
        };
        let (title, path, text) = (string(record.title)?, string(record.path)?, string(record.text)?);
        let from = record.checks as usize * 4;
        let len = record.body_tokens.div_ceil(CHECKPOINT_EVERY) as usize * 4;
        let local_checks = u32_of(self.checks.len() / 4)?;
        self.checks.extend_from_slice(checks.get(from..from + len).unwrap_or(&[]));
        DocRecord { title, path, text, checks: local_checks, ..*record }.write_to(&mut self.records);
        Ok(())
    }

    fn into_payload(mut self, first: u32, end: u32) -> Result<Payload, WriteError> {
        let checks_len = u32_of(self.checks.len())?;
        self.records.append(&mut self.checks);
        self.records.append(&mut self.strings);
        Ok(Payload { kind: ShardKind::Docs, first, end, start: 0, checks_len, bytes: self.records })
    }
}

/// One pass over the documents: the document store, and every term's
/// postings.
fn collect(docs: &[Document]) -> Result<(DocStore, Vocabulary), WriteError> {
    let mut store = DocStore::default();
    let mut vocabulary = Vocabulary::default();
    for (id, doc) in docs.iter().enumerate() {
        let id = u32_of(id)?;
        let (title, path, text) = (store.string(&doc.title)?, store.string(&doc.path)?, store.string(&doc.text)?);
        store.text_bytes += doc.text.len();
        let mut add = |term: String, marks: Marks, position: u32, in_title: bool| {
            vocabulary.0.entry(term).or_default().add(id, marks, position, in_title);
        };
        let mut title_tokens = 0u32;
        for token in tokenize(&doc.title) {
            add(token.term, token.marks, title_tokens, true);
            title_tokens += 1;
        }
        let body_start = title_tokens + 1;
        let checks = u32_of(store.checks.len() / 4)?;
        let mut body_tokens = 0u32;
        for token in tokenize(&doc.text) {
            if body_tokens % CHECKPOINT_EVERY == 0 {
                store.checks.extend_from_slice(&u32_of(token.start)?.to_le_bytes());
            }
            let position = body_start.checked_add(body_tokens).ok_or(WriteError::TooLarge)?;
            add(token.term, token.marks, position, false);
            body_tokens += 1;
        }
        store.title_tokens += u64::from(title_tokens);
        store.body_tokens += u64::from(body_tokens);
        store.records.push(DocRecord { title, path, text, title_tokens, body_tokens, checks });
    }
    Ok((store, vocabulary))
}

/// [`Section::Fst`]: term to term number.
fn write_fst(terms: &[(String, TermPostings)]) -> Result<Vec<u8>, WriteError> {
    let mut builder = fst::MapBuilder::memory();
    for (n, (term, _)) in terms.iter().enumerate() {
        builder.insert(term, n as u64).map_err(|e| WriteError::Fst(e.to_string()))?;
    }
    builder.into_inner().map_err(|e| WriteError::Fst(e.to_string()))
}

/// [`Section::Terms`]: the start of every [`TERM_BLOCK`]-th entry.
fn write_term_table(entries: &[usize]) -> Result<Vec<u8>, WriteError> {
    let mut out = Vec::with_capacity(entries.len().div_ceil(TERM_BLOCK as usize) * 4);
    for &at in entries.iter().step_by(TERM_BLOCK as usize) {
        out.extend_from_slice(&u32_of(at)?.to_le_bytes());
    }
    Ok(out)
}

/// The distinct marks of the variants, numbered most used first (then in
/// byte order), so that the common ones take one varint byte.
struct MarkNumbers<'t> {
    by_use: Vec<&'t Marks>,
    ids: BTreeMap<&'t Marks, u32>,
}

impl<'t> MarkNumbers<'t> {
    fn new(terms: &'t [(String, TermPostings)]) -> Result<Self, WriteError> {
        let mut uses: BTreeMap<&Marks, u32> = BTreeMap::new();
        for (_, postings) in terms {
            for marks in postings.variants.keys() {
                *uses.entry(marks).or_default() += 1;
            }
        }
        let mut by_use: Vec<(u32, &Marks)> = uses.into_iter().map(|(m, n)| (n, m)).collect();
        by_use.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let by_use: Vec<&Marks> = by_use.into_iter().map(|(_, m)| m).collect();
        let mut ids = BTreeMap::new();
        for (id, &marks) in by_use.iter().enumerate() {
            ids.insert(marks, u32_of(id)?);
        }
        Ok(MarkNumbers { by_use, ids })
    }

    fn id(&self, marks: &Marks) -> u32 {
        self.ids.get(marks).copied().unwrap_or(0)
    }

    /// [`Section::Marks`]: count, offsets, bytes.
    fn write(&self) -> Result<Vec<u8>, WriteError> {
        let mut out = Vec::new();
        out.extend_from_slice(&u32_of(self.by_use.len())?.to_le_bytes());
        let mut offset = 0;
        for marks in &self.by_use {
            out.extend_from_slice(&u32_of(offset)?.to_le_bytes());
            offset += marks.len();
        }
        out.extend_from_slice(&u32_of(offset)?.to_le_bytes());
        for marks in &self.by_use {
            out.extend_from_slice(marks);
        }
        Ok(out)
    }
}

/// [`Section::Postings`] and what the other writers need of it.
struct WrittenPostings {
    bytes: Vec<u8>,
    /// Where each term's entry starts.
    entries: Vec<usize>,
    /// Per term, per document: the bit offset of its positions.
    positions_at: Vec<Vec<u32>>,
    /// Bytes of the variants, for the breakdown.
    variant_bytes: usize,
}

/// [`Section::Postings`]: per term, varint documents, its variants, varint
/// length and the bit stream of its postings.
fn write_postings(
    terms: &[(String, TermPostings)],
    marks: &MarkNumbers<'_>,
    span: u32,
) -> Result<WrittenPostings, WriteError> {
    let mut out = WrittenPostings {
        bytes: Vec::new(),
        entries: Vec::with_capacity(terms.len()),
        positions_at: Vec::with_capacity(terms.len()),
        variant_bytes: 0,
    };
    for (_, postings) in terms {
        let variants = write_variants(postings, marks)?;
        let (bits, local_at) = write_postings_bits(postings, span)?;
        let bytes = &mut out.bytes;
        out.entries.push(bytes.len());
        put_varint(bytes, u32_of(postings.docs.len())?);
        bytes.extend_from_slice(&variants);
        put_varint(bytes, u32_of(bits.len())?);
        let base = bytes.len() * 8;
        let at: Result<Vec<u32>, _> = local_at.iter().map(|&b| u32_of(base + b)).collect();
        out.positions_at.push(at?);
        bytes.extend_from_slice(&bits);
        out.variant_bytes += variants.len();
    }
    Ok(out)
}

/// A term's variants. One: its marks number << 1. More: count << 1 | 1,
/// their marks numbers, then the byte length and bits of their documents.
fn write_variants(postings: &TermPostings, marks: &MarkNumbers<'_>) -> Result<Vec<u8>, WriteError> {
    let mut out = Vec::new();
    if let (1, Some(only)) = (postings.variants.len(), postings.variants.keys().next()) {
        put_varint(&mut out, marks.id(only) << 1);
        return Ok(out);
    }
    put_varint(&mut out, u32_of(postings.variants.len())? << 1 | 1);
    for spelling in postings.variants.keys() {
        put_varint(&mut out, marks.id(spelling));
    }
    let mut bits = BitWriter::default();
    for docs in postings.variants.values() {
        bits.gamma(u32_of(docs.len())?);
        let mut prev: Option<u32> = None;
        for &doc in docs {
            bits.doc(prev, doc);
            prev = Some(doc);
        }
    }
    let bits = bits.finish();
    put_varint(&mut out, u32_of(bits.len())?);
    out.extend_from_slice(&bits);
    Ok(out)
}

/// A term's postings as a bit stream, and where each document's positions
/// start in it (in bits).
fn write_postings_bits(postings: &TermPostings, span: u32) -> Result<(Vec<u8>, Vec<usize>), WriteError> {
    let mut bits = BitWriter::default();
    let mut positions_at = Vec::with_capacity(postings.docs.len());
    let mut prev: Option<u32> = None;
    for o in &postings.docs {
        bits.doc(prev, o.doc);
        prev = Some(o.doc);
        let tf = u32_of(o.positions.len())?;
        bits.gamma(tf);
        bits.put(u32::from(o.title_tf > 0), 1);
        if o.title_tf > 0 {
            bits.gamma(o.title_tf);
        }
        let k = rice_k(span, tf);
        let mut block = BitWriter::default();
        let mut last: Option<u32> = None;
        for &p in &o.positions {
            block.rice(last.map_or(p, |l| p - l - 1), k);
            last = Some(p);
        }
        if tf > SKIP_TF {
            bits.gamma(u32_of(block.len() + 1)?);
        }
        positions_at.push(bits.len());
        bits.append(block);
    }
    Ok((bits.finish(), positions_at))
}

/// A heavy prefix and the terms (by number) that start with it.
struct HeavyPrefix<'t> {
    prefix: &'t [u8],
    terms: Range<usize>,
}

/// Every prefix (up to [`score::HEAVY_MAX_BYTES`]) whose words' postings
/// add up to more than [`score::heavy_threshold`], sorted.
fn heavy_prefixes(terms: &[(String, TermPostings)], documents: u32) -> Vec<HeavyPrefix<'_>> {
    let threshold = score::heavy_threshold(documents);
    let mut found = Vec::new();
    for len in 1..=score::HEAVY_MAX_BYTES {
        let mut i = 0;
        while let Some((term, _)) = terms.get(i) {
            let Some(prefix) = term.get(..len) else {
                i += 1;
                continue;
            };
            let group = terms.get(i..).unwrap_or(&[]).iter().take_while(|(t, _)| t.starts_with(prefix));
            let (count, total) = group.fold((0, 0u64), |(c, t), (_, p)| (c + 1, t + p.docs.len() as u64));
            if total > threshold {
                found.push(HeavyPrefix { prefix: prefix.as_bytes(), terms: i..i + count });
            }
            i += count.max(1);
        }
    }
    found.sort_by(|a, b| a.prefix.cmp(b.prefix).then(a.terms.start.cmp(&b.terms.start)));
    found
}

/// [`Section::Heavy`] of a split index, from the embedded one: the records
/// without their bitmaps, and the bitmaps in runs of whole bitmaps of at
/// least `target` bytes (but the last), the payloads of the bitmap shards.
fn split_heavy(heavy: &[u8], documents: u32, target: usize) -> Result<(Vec<u8>, Vec<Payload>), WriteError> {
    let embedded = HeavyRecord::new(documents, Layout::Embedded);
    let (count, records) = heavy.split_at_checked(HeavyRecord::COUNT_LEN).unwrap_or((&[], &[]));
    let mut out = count.to_vec();
    let mut bitmaps = Vec::new();
    for record in records.chunks_exact(embedded.record_len().max(1)) {
        let (head, rest) = record.split_at_checked(HeavyRecord::BITMAP).unwrap_or((record, &[]));
        let (bitmap, top) = rest.split_at_checked(embedded.bitmap_len).unwrap_or((rest, &[]));
        out.extend_from_slice(head);
        out.extend_from_slice(top);
        bitmaps.push(bitmap);
    }
    let mut payloads = Vec::new();
    let mut first = 0usize;
    while first < bitmaps.len() {
        let mut bytes = Vec::new();
        let mut end = first;
        while let Some(bitmap) = bitmaps.get(end) {
            if bytes.len() >= target.max(1) {
                break;
            }
            bytes.extend_from_slice(bitmap);
            end += 1;
        }
        payloads.push(Payload {
            kind: ShardKind::Bitmaps,
            first: u32_of(first)?,
            end: u32_of(end)?,
            start: 0,
            checks_len: 0,
            bytes,
        });
        first = end;
    }
    Ok((out, payloads))
}

/// A document's best posting for a heavy prefix.
#[derive(Clone, Copy)]
struct Best {
    score: f32,
    positions_at: u32,
    tf: u32,
}

const NO_BEST: Best = Best { score: f32::NEG_INFINITY, positions_at: 0, tf: 0 };

/// [`Section::Heavy`]: a [`HeavyRecord`] per heavy prefix: the documents
/// that have a word with the prefix, and the best of them for the prefix
/// typed alone, scored as the engine scores them.
fn write_heavy(
    terms: &[(String, TermPostings)],
    positions_at: &[Vec<u32>],
    records: &[DocRecord],
    counts: &Counts,
) -> Result<Vec<u8>, WriteError> {
    let prefixes = heavy_prefixes(terms, counts.documents);
    let layout = HeavyRecord::new(counts.documents, Layout::Embedded);
    let mut out = Vec::with_capacity(HeavyRecord::COUNT_LEN + prefixes.len() * layout.record_len());
    out.extend_from_slice(&u32_of(prefixes.len())?.to_le_bytes());
    let mut best = vec![NO_BEST; records.len()];
    for heavy in prefixes {
        best.fill(NO_BEST);
        let postings = terms.get(heavy.terms.clone()).unwrap_or(&[]);
        let offsets = positions_at.get(heavy.terms).unwrap_or(&[]);
        for ((term, postings), offsets) in postings.iter().zip(offsets) {
            score_prefix_term(heavy.prefix.len(), term.len(), postings, offsets, records, counts, &mut best)?;
        }
        write_heavy_record(layout, heavy.prefix, &best, &mut out)?;
    }
    Ok(out)
}

/// Raises each document's [`Best`] to its score for `postings`, a term of
/// `term_len` bytes completing a `prefix_len`-byte prefix.
fn score_prefix_term(
    prefix_len: usize,
    term_len: usize,
    postings: &TermPostings,
    offsets: &[u32],
    records: &[DocRecord],
    counts: &Counts,
    best: &mut [Best],
) -> Result<(), WriteError> {
    let (avg_title, avg_body) = score::averages(counts.documents, counts.title_tokens, counts.body_tokens);
    let tier = if term_len == prefix_len { score::TIER_EXACT } else { score::prefix_tier(prefix_len, term_len) };
    let idf = score::idf(counts.documents, u32_of(postings.docs.len())?);
    for (o, &positions_at) in postings.docs.iter().zip(offsets) {
        let record = records.get(o.doc as usize).copied().unwrap_or_default();
        let lengths = Lengths { title: record.title_tokens, body: record.body_tokens, avg_title, avg_body };
        let tf = u32_of(o.positions.len())?;
        let score = tier + score::squash(score::bm25f(o.title_tf, tf - o.title_tf, lengths, idf));
        if let Some(b) = best.get_mut(o.doc as usize) {
            if score > b.score {
                *b = Best { score, positions_at, tf };
            }
        }
    }
    Ok(())
}

/// Appends the record of one heavy prefix, its fields at the offsets
/// [`HeavyRecord`] names. Unused best-list entries are zero.
fn write_heavy_record(layout: HeavyRecord, prefix: &[u8], best: &[Best], out: &mut Vec<u8>) -> Result<(), WriteError> {
    let mut record = vec![0u8; layout.record_len()];
    for (k, b) in record.iter_mut().skip(HeavyRecord::KEY).take(HeavyRecord::KEY_LEN).zip(prefix) {
        *k = *b;
    }
    let found: Vec<(u32, Best)> =
        best.iter().enumerate().filter(|(_, b)| b.score > f32::NEG_INFINITY).map(|(d, b)| (d as u32, *b)).collect();
    put_u32(&mut record, HeavyRecord::DOCUMENTS, u32_of(found.len())?);
    for &(doc, _) in &found {
        if let Some(byte) = record.get_mut(HeavyRecord::BITMAP + doc as usize / 8) {
            *byte |= 1 << (doc % 8);
        }
    }
    let mut top = found;
    top.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
    top.truncate(HeavyRecord::TOP);
    put_u32(&mut record, HeavyRecord::TOP_LEN, u32_of(top.len())?);
    for (i, (doc, b)) in top.into_iter().enumerate() {
        let at = layout.top_at() + i * HeavyRecord::TOP_ENTRY;
        for (field, v) in [doc, b.score.to_bits(), b.positions_at, b.tf].into_iter().enumerate() {
            put_u32(&mut record, at + 4 * field, v);
        }
    }
    out.extend_from_slice(&record);
    Ok(())
}
