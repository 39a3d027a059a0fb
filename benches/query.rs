//! Native benchmark of the query engine over the embedded index.
//!
//!     cargo bench --bench query [-- --queries N] [--print-phrases]
//!     TIMKIEM_CORPUS=/abs/path cargo bench --bench query
//!
//! The workload is the browser benchmark's (bench/measure.mjs): a deterministic
//! sample (the same LCG, seed 42) of 1–3 consecutive words of 2+ letters from
//! the documents' text, lower-cased, half of them folded (typed without
//! diacritics); every prefix of 2+ characters is a keystroke, timed as the mean
//! of 10 back-to-back `engine.search(q, &Options::default())` calls. Prints the
//! p50/p90/p99/max and the slowest keystrokes with their query strings.

use std::error::Error;
use std::time::{Duration, Instant};

use timkiem::EMBEDDED_INDEX;
use timkiem_core::{Engine, Index, Options};
use timkiem_testkit::JsLcg;

const CALLS: u32 = 10;

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn phrases(index: &Index<'_>, n: usize) -> Result<Vec<String>, Box<dyn Error>> {
    let docs: Vec<&str> = (0..index.documents()).filter_map(|id| index.doc(id)).filter_map(|d| d.text()).collect();
    if docs.is_empty() {
        return Err("the index has no documents".into());
    }
    let mut rnd = JsLcg::new(42);
    let mut out = Vec::with_capacity(n);
    let mut tries = 0usize;
    while out.len() < n {
        tries += 1;
        if tries > 100_000 + n * 100 {
            return Err("no document has 3+ words of 2+ letters".into());
        }
        let text = docs.get(rnd.below(docs.len())).copied().unwrap_or_default();
        // JS: body.split(/[^\p{L}\p{N}]+/u).filter(w => w.length > 1)
        let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| utf16_len(w) > 1).collect();
        if words.len() < 3 {
            continue;
        }
        let i = rnd.below(words.len() - 3);
        let k = 1 + rnd.below(3);
        let mut q = words.get(i..(i + k).min(words.len())).unwrap_or_default().join(" ").to_lowercase();
        if rnd.uniform() < 0.5 {
            q = timkiem_core::text::fold(&q);
        }
        out.push(q);
    }
    Ok(out)
}

/// Every prefix of 2+ characters that does not end in a space.
fn keystrokes(phrases: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for q in phrases {
        let ends: Vec<usize> = q.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
        for &end in ends.iter().skip(1) {
            let prefix = q.get(..end).unwrap_or_default();
            if !prefix.ends_with(' ') {
                out.push(prefix.to_string());
            }
        }
    }
    out
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() -> Result<(), Box<dyn Error>> {
    // `cargo bench` passes `--bench`; take only what is ours.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut n_queries = 150usize;
    let mut print_phrases = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--queries" {
            n_queries = it.next().ok_or("--queries needs a number")?.parse()?;
        } else if a == "--print-phrases" {
            print_phrases = true;
        }
    }

    let t0 = Instant::now();
    let index = Index::open(EMBEDDED_INDEX)?;
    let opened = t0.elapsed();
    let (documents, terms, size) = (index.documents(), index.term_count(), index.size());
    let phrases = phrases(&index, n_queries)?;
    let keys = keystrokes(&phrases);
    if print_phrases {
        for q in &phrases {
            println!("{q}");
        }
    }
    let options = Options::default();

    let t1 = Instant::now();
    let mut engine = Engine::new(index);
    let first = keys.first().map(|q| engine.search(q, &options).hits.len()).unwrap_or(0);
    let startup = opened + t1.elapsed();

    println!(
        "timkiem query bench: {documents} documents, {terms} terms, index {:.1} MB; corpus: {}",
        size as f64 / 1048576.0,
        std::env::var("TIMKIEM_CORPUS").unwrap_or_else(|_| "seeds/".into())
    );
    println!(
        "{} phrases, {} keystrokes, each the mean of {CALLS} calls of search(q, Options::default()) (limit {}, fuzzy {}, telex {})",
        phrases.len(),
        keys.len(),
        options.limit,
        options.fuzzy,
        options.telex
    );
    println!(
        "start-up (Index::open + Engine::new + first keystroke): {:.1} µs; first keystroke {:?}: {first} hits",
        us(startup),
        keys.first()
    );

    let mut times: Vec<(f64, usize, usize, usize)> = Vec::with_capacity(keys.len()); // (µs, keystroke, hits, total)
    let mut zero = 0usize;
    for (k, q) in keys.iter().enumerate() {
        let a = Instant::now();
        let mut r = engine.search(q, &options);
        for _ in 1..CALLS {
            r = engine.search(q, &options);
        }
        let t = us(a.elapsed()) / f64::from(CALLS);
        if r.hits.is_empty() {
            zero += 1;
        }
        times.push((t, k, r.hits.len(), r.total));
    }
    if times.is_empty() {
        return Err("no keystrokes".into());
    }
    let mut sorted: Vec<f64> = times.iter().map(|t| t.0).collect();
    sorted.sort_by(f64::total_cmp);
    let pct =
        |p: f64| sorted.get(((p * sorted.len() as f64) as usize).min(sorted.len() - 1)).copied().unwrap_or(f64::NAN);
    let mean = sorted.iter().sum::<f64>() / sorted.len() as f64;
    println!(
        "latency µs: p50 {:.1}  p90 {:.1}  p99 {:.1}  max {:.1}  mean {:.1}; {zero} of {} keystrokes found nothing",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(1.0),
        mean,
        keys.len()
    );
    times.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("slowest keystrokes:");
    for (t, k, hits, total) in times.iter().take(10) {
        println!(
            "  {t:>10.1} µs  {:<32} {hits} hits of {total}",
            format!("{:?}", keys.get(*k).map(String::as_str).unwrap_or(""))
        );
    }
    Ok(())
}
