//! Writing an index: documents in, the bytes of [`crate::format`] out.
//!
//! Run by `build.rs` at compile time (through `#[path]`) and by native tests.
//! The output depends only on the documents, in order: the same corpus gives
//! the same bytes.

use std::collections::{BTreeMap, HashMap};

use crate::corpus::Document;
use crate::format::*;
use crate::score::{self, Lengths};
use crate::text::{tokenize, Marks};

/// Sizes of an index's parts, in bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Breakdown {
    pub documents: usize,
    pub terms: usize,
    pub fst: usize,
    pub term_table: usize,
    pub postings: usize,
    pub variants: usize,
    /// Document table, checkpoints, titles and paths.
    pub doc_store: usize,
    /// Bitmaps and best lists of the heavy prefixes.
    pub heavy: usize,
    /// The documents' text, kept for snippets.
    pub text: usize,
    pub total: usize,
}

/// Why an index could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The index would exceed the 4 GiB that its 32-bit offsets address.
    TooLarge,
    Fst(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::TooLarge => write!(f, "the corpus is too large for one index (4 GiB of index data)"),
            WriteError::Fst(e) => write!(f, "cannot build the term dictionary: {e}"),
        }
    }
}

impl std::error::Error for WriteError {}

#[derive(Default)]
struct TermAcc {
    /// (document, title tf, positions), in document order.
    docs: Vec<(u32, u32, Vec<u32>)>,
    /// marks -> (document, tf), in document order.
    variants: BTreeMap<Marks, Vec<(u32, u32)>>,
}

fn u32_of(n: usize) -> Result<u32, WriteError> {
    u32::try_from(n).map_err(|_| WriteError::TooLarge)
}

/// Builds the index of `docs`, whose ids are their positions in the slice.
pub fn write_index(docs: &[Document]) -> Result<(Vec<u8>, Breakdown), WriteError> {
    let mut terms: HashMap<String, TermAcc> = HashMap::new();
    let mut doc_records = Vec::with_capacity(docs.len() * DOC_RECORD);
    let mut checks = Vec::new();
    let mut strings = Vec::new();
    let (mut title_tokens_total, mut body_tokens_total) = (0u64, 0u64);
    let mut text_bytes = 0;

    for (id, doc) in docs.iter().enumerate() {
        let id = u32_of(id)?;
        let mut put_string = |s: &str, records: &mut Vec<u8>| -> Result<(), WriteError> {
            records.extend_from_slice(&u32_of(strings.len())?.to_le_bytes());
            records.extend_from_slice(&u32_of(s.len())?.to_le_bytes());
            strings.extend_from_slice(s.as_bytes());
            Ok(())
        };
        put_string(&doc.title, &mut doc_records)?;
        put_string(&doc.path, &mut doc_records)?;
        put_string(&doc.text, &mut doc_records)?;
        text_bytes += doc.text.len();

        let mut add = |term: String, marks: Marks, pos: u32, in_title: bool| {
            let acc = terms.entry(term).or_default();
            match acc.docs.last_mut() {
                Some((d, title_tf, positions)) if *d == id => {
                    positions.push(pos);
                    *title_tf += u32::from(in_title);
                }
                _ => acc.docs.push((id, u32::from(in_title), vec![pos])),
            }
            let variant = acc.variants.entry(marks).or_default();
            match variant.last_mut() {
                Some((d, tf)) if *d == id => *tf += 1,
                _ => variant.push((id, 1)),
            }
        };
        let mut title_len = 0u32;
        for token in tokenize(&doc.title) {
            add(token.term, token.marks, title_len, true);
            title_len += 1;
        }
        let body_start = title_len + 1;
        let mut body_len = 0u32;
        let checks_offset = u32_of(checks.len() / 4)?;
        for token in tokenize(&doc.text) {
            if body_len % CHECKPOINT_EVERY == 0 {
                checks.extend_from_slice(&u32_of(token.start)?.to_le_bytes());
            }
            let pos = body_start.checked_add(body_len).ok_or(WriteError::TooLarge)?;
            add(token.term, token.marks, pos, false);
            body_len += 1;
        }
        title_tokens_total += u64::from(title_len);
        body_tokens_total += u64::from(body_len);
        for v in [title_len, body_len, checks_offset] {
            doc_records.extend_from_slice(&v.to_le_bytes());
        }
    }

    let mut sorted: Vec<(String, TermAcc)> = terms.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));

    let mut fst_builder = fst::MapBuilder::memory();
    let mut term_table = Vec::with_capacity(sorted.len().div_ceil(TERM_BLOCK as usize) * 4);
    let mut postings = Vec::new();
    let mut variant_bytes = 0;
    // Marks are numbered most used first (then in byte order), so that the
    // common ones take one varint byte.
    let mut uses: BTreeMap<&Marks, u32> = BTreeMap::new();
    for (_, acc) in &sorted {
        for marks in acc.variants.keys() {
            *uses.entry(marks).or_default() += 1;
        }
    }
    let mut by_use: Vec<(u32, &Marks)> = uses.into_iter().map(|(m, n)| (n, m)).collect();
    by_use.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let mut marks_ids: BTreeMap<&Marks, u32> = BTreeMap::new();
    for (id, &(_, m)) in by_use.iter().enumerate() {
        marks_ids.insert(m, u32_of(id)?);
    }
    let title_total = u32::try_from(title_tokens_total).map_err(|_| WriteError::TooLarge)?;
    let body_total = u32::try_from(body_tokens_total).map_err(|_| WriteError::TooLarge)?;
    let span = mean_span(u32_of(docs.len())?, title_total, body_total);
    // Per term, per document: the bit offset of its positions in POSTINGS.
    let mut positions_at: Vec<Vec<u32>> = Vec::with_capacity(sorted.len());
    for (n, (term, acc)) in sorted.iter().enumerate() {
        fst_builder.insert(term, n as u64).map_err(|e| WriteError::Fst(e.to_string()))?;
        if n as u32 % TERM_BLOCK == 0 {
            term_table.extend_from_slice(&u32_of(postings.len())?.to_le_bytes());
        }

        // One variant: its marks number << 1. More: count << 1 | 1, their
        // marks numbers, then the byte length and bits of their documents.
        let mut v = Vec::new();
        let id = |marks: &Marks| marks_ids.get(marks).copied().unwrap_or(0);
        if let (1, Some(marks)) = (acc.variants.len(), acc.variants.keys().next()) {
            put_varint(&mut v, id(marks) << 1);
        } else {
            put_varint(&mut v, u32_of(acc.variants.len())? << 1 | 1);
            for marks in acc.variants.keys() {
                put_varint(&mut v, id(marks));
            }
            let mut bits = BitWriter::default();
            for docs in acc.variants.values() {
                bits.gamma(u32_of(docs.len())?);
                let mut prev: Option<u32> = None;
                for &(doc, _) in docs {
                    bits.doc(prev, doc);
                    prev = Some(doc);
                }
            }
            let bits = bits.finish();
            put_varint(&mut v, u32_of(bits.len())?);
            v.extend_from_slice(&bits);
        }

        let mut bits = BitWriter::default();
        let mut local_at = Vec::with_capacity(acc.docs.len());
        let mut prev: Option<u32> = None;
        for (doc, title_tf, positions) in &acc.docs {
            bits.doc(prev, *doc);
            prev = Some(*doc);
            let tf = u32_of(positions.len())?;
            bits.gamma(tf);
            bits.put(u32::from(*title_tf > 0), 1);
            if *title_tf > 0 {
                bits.gamma(*title_tf);
            }
            let k = rice_k(span, tf);
            let mut block = BitWriter::default();
            let mut last: Option<u32> = None;
            for &p in positions {
                block.rice(last.map_or(p, |l| p - l - 1), k);
                last = Some(p);
            }
            if tf > SKIP_TF {
                bits.gamma(u32_of(block.len() + 1)?);
            }
            local_at.push(bits.len());
            bits.append(block);
        }
        let p = bits.finish();

        put_varint(&mut postings, u32_of(acc.docs.len())?);
        postings.extend_from_slice(&v);
        put_varint(&mut postings, u32_of(p.len())?);
        variant_bytes += v.len();
        let base = postings.len() * 8;
        let at: Result<Vec<u32>, _> = local_at.iter().map(|&b| u32_of(base + b)).collect();
        positions_at.push(at?);
        postings.extend_from_slice(&p);
    }
    let mut marks = Vec::new();
    marks.extend_from_slice(&u32_of(by_use.len())?.to_le_bytes());
    let mut offset = 0;
    for (_, m) in &by_use {
        marks.extend_from_slice(&u32_of(offset)?.to_le_bytes());
        offset += m.len();
    }
    marks.extend_from_slice(&u32_of(offset)?.to_le_bytes());
    for (_, m) in &by_use {
        marks.extend_from_slice(m);
    }
    let fst_bytes = fst_builder.into_inner().map_err(|e| WriteError::Fst(e.to_string()))?;
    let heavy = heavy_prefixes(&sorted, &positions_at, &doc_records, u32_of(docs.len())?, title_total, body_total)?;

    let sections: [&[u8]; SECTIONS] =
        [&fst_bytes, &term_table, &postings, &marks, &doc_records, &checks, &strings, &heavy];
    let total = HEADER_LEN + sections.iter().map(|s| s.len()).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(MAGIC);
    for v in [VERSION, u32_of(total)?, u32_of(docs.len())?, u32_of(sorted.len())?, title_total, body_total] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&fnv1a(&fst_bytes).to_le_bytes());
    let mut offset = HEADER_LEN;
    for s in &sections {
        out.extend_from_slice(&u32_of(offset)?.to_le_bytes());
        out.extend_from_slice(&u32_of(s.len())?.to_le_bytes());
        offset += s.len();
    }
    for s in &sections {
        out.extend_from_slice(s);
    }
    let breakdown = Breakdown {
        documents: docs.len(),
        terms: sorted.len(),
        fst: fst_bytes.len(),
        term_table: term_table.len(),
        postings: postings.len() - variant_bytes,
        variants: variant_bytes + marks.len(),
        doc_store: doc_records.len() + checks.len() + strings.len() - text_bytes,
        heavy: heavy.len(),
        text: text_bytes,
        total,
    };
    Ok((out, breakdown))
}

/// The HEAVY section: for every prefix (up to [`score::HEAVY_MAX_BYTES`])
/// whose words' postings add up to more than [`score::heavy_threshold`], a
/// bitmap of the documents that have such a word and the best documents for
/// the prefix typed alone, scored as the engine scores them.
fn heavy_prefixes(
    sorted: &[(String, TermAcc)],
    positions_at: &[Vec<u32>],
    doc_records: &[u8],
    documents: u32,
    title_total: u32,
    body_total: u32,
) -> Result<Vec<u8>, WriteError> {
    let threshold = score::heavy_threshold(documents);
    let (avg_title, avg_body) = score::averages(documents, title_total, body_total);
    let lengths = |doc: u32| -> Lengths {
        let at = doc as usize * DOC_RECORD;
        Lengths {
            title: get_u32(doc_records, at + 24).unwrap_or(0),
            body: get_u32(doc_records, at + 28).unwrap_or(0),
            avg_title,
            avg_body,
        }
    };
    let n = documents as usize;
    let mut keys: Vec<(Vec<u8>, usize, usize)> = Vec::new(); // prefix, first term, end term
    for len in 1..=score::HEAVY_MAX_BYTES {
        let mut i = 0;
        while let Some((term, _)) = sorted.get(i) {
            let Some(prefix) = term.get(..len) else {
                i += 1;
                continue;
            };
            let group = sorted.get(i..).unwrap_or(&[]).iter().take_while(|(t, _)| t.starts_with(prefix));
            let (count, total) = group.fold((0, 0u64), |(c, t), (_, acc)| (c + 1, t + acc.docs.len() as u64));
            if total > threshold {
                keys.push((prefix.as_bytes().to_vec(), i, i + count));
            }
            i += count.max(1);
        }
    }
    keys.sort();
    let mut out = Vec::new();
    out.extend_from_slice(&u32_of(keys.len())?.to_le_bytes());
    let none = (f32::NEG_INFINITY, 0u32, 0u32);
    let mut best: Vec<(f32, u32, u32)> = vec![none; n];
    for (prefix, first, end) in keys {
        best.iter_mut().for_each(|b| *b = none);
        let terms = sorted.get(first..end).unwrap_or(&[]).iter().zip(positions_at.get(first..end).unwrap_or(&[]));
        for ((term, acc), offsets) in terms {
            let tier = if term.len() == prefix.len() {
                score::TIER_EXACT
            } else {
                score::prefix_tier(prefix.len(), term.len())
            };
            let idf = score::idf(documents, u32_of(acc.docs.len())?);
            for ((doc, title_tf, positions), &at) in acc.docs.iter().zip(offsets) {
                let tf = u32_of(positions.len())?;
                let s = tier + score::squash(score::bm25f(*title_tf, tf - title_tf, lengths(*doc), idf));
                if let Some(b) = best.get_mut(*doc as usize) {
                    if s > b.0 {
                        *b = (s, at, tf);
                    }
                }
            }
        }
        let mut key = [0u8; 8];
        for (k, b) in key.iter_mut().zip(&prefix) {
            *k = *b;
        }
        out.extend_from_slice(&key);
        let found = |b: &&(f32, u32, u32)| b.0 > f32::NEG_INFINITY;
        out.extend_from_slice(&u32_of(best.iter().filter(found).count())?.to_le_bytes());
        let mut top: Vec<(f32, u32)> =
            best.iter().enumerate().filter(|(_, b)| found(b)).map(|(d, b)| (b.0, d as u32)).collect();
        top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        top.truncate(score::HEAVY_TOP);
        out.extend_from_slice(&u32_of(top.len())?.to_le_bytes());
        let mut bitmap = vec![0u8; n.div_ceil(8)];
        for (d, b) in best.iter().enumerate() {
            if let (true, Some(byte)) = (found(&b), bitmap.get_mut(d / 8)) {
                *byte |= 1 << (d % 8);
            }
        }
        out.extend_from_slice(&bitmap);
        for k in 0..score::HEAVY_TOP {
            let (s, d) = top.get(k).copied().unwrap_or((0.0, 0));
            let b = best.get(d as usize).copied().unwrap_or(none);
            for v in [d, s.to_bits(), b.1, b.2] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
    }
    Ok(out)
}
