//! Indexes a corpus folder in memory and runs the browser bench's keystroke
//! workload natively: build time, index breakdown, latency percentiles and
//! the slowest keystrokes. For profiling the engine without a browser.
//!
//!     cargo run --release --example scale -- /path/to/corpus [phrases]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    native::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::time::Instant;

    use timkiem_core::text::{fold, tokenize};
    use timkiem_core::{corpus, write, Engine, Index, Options};

    pub fn main() -> Result<(), Box<dyn std::error::Error>> {
        let mut args = std::env::args().skip(1);
        let dir = args.next().ok_or("usage: scale CORPUS [PHRASES]")?;
        let phrases: usize = args.next().map_or(Ok(150), |n| n.parse())?;
        let t = Instant::now();
        let docs = corpus::load(std::path::Path::new(&dir))?.documents;
        let load = t.elapsed();
        let t = Instant::now();
        let (bytes, b) = write::write_index(&docs)?;
        println!("load {:.2}s, write {:.2}s: {b:?}", load.as_secs_f32(), t.elapsed().as_secs_f32());
        let t = Instant::now();
        let mut engine = Engine::new(Index::open(&bytes)?);
        println!("open {:?}", t.elapsed());

        // The browser bench's workload (its generator): prefixes (2+ chars) of sampled 1-3 word phrases, half folded.
        let mut lcg = timkiem_testkit::JsLcg::new(42);
        let mut rnd = || lcg.uniform();
        let mut queries = Vec::new();
        while queries.len() < phrases {
            let d = &docs[(rnd() * docs.len() as f64) as usize];
            let words: Vec<&str> =
                tokenize(&d.text).map(|t| &d.text[t.span()]).filter(|w| w.chars().count() > 1).collect();
            if words.len() < 3 {
                continue;
            }
            let i = (rnd() * (words.len() - 3) as f64) as usize;
            let n = 1 + (rnd() * 3.0) as usize;
            let mut q = words[i..i + n].join(" ").to_lowercase();
            if rnd() < 0.5 {
                q = fold(&q);
            }
            queries.push(q);
        }
        // QUERIES="a|b": only those keystrokes (to profile a few).
        let only: Option<Vec<String>> = std::env::var("QUERIES").ok().map(|q| q.split('|').map(String::from).collect());
        let keystrokes: Vec<String> = queries
            .iter()
            .flat_map(|q| {
                let chars: Vec<char> = q.chars().collect();
                (2..=chars.len()).map(move |k| chars[..k].iter().collect::<String>())
            })
            .filter(|q| !q.ends_with(' '))
            .collect();
        let keystrokes = only.unwrap_or(keystrokes);
        let flag = |name: &str, default: bool| std::env::var(name).map_or(default, |v| v == "1");
        let options = Options {
            fuzzy: flag("FUZZY", true),
            telex: flag("TELEX", true),
            vni: flag("VNI", true),
            ..Options::default()
        };
        let t = Instant::now();
        for q in &keystrokes {
            std::hint::black_box(engine.count(q, &options));
        }
        println!("count only: mean {:.1} µs", t.elapsed().as_secs_f64() * 1e6 / keystrokes.len() as f64);
        let t = Instant::now();
        for q in &keystrokes {
            std::hint::black_box(engine.search(q, &Options { limit: 0, ..options }));
        }
        println!("search limit 0: mean {:.1} µs", t.elapsed().as_secs_f64() * 1e6 / keystrokes.len() as f64);
        // REPEAT runs per keystroke (default 3): their mean, and their
        // fastest (less sensitive to a loaded machine).
        let repeat: u32 = std::env::var("REPEAT").ok().and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
        let mut times: Vec<(f64, String)> = Vec::new();
        let mut fastest: Vec<f64> = Vec::new();
        for q in &keystrokes {
            let mut total = 0.0;
            let mut min = f64::MAX;
            for _ in 0..repeat {
                let t = Instant::now();
                std::hint::black_box(engine.search(q, &options));
                let us = t.elapsed().as_secs_f64() * 1e6;
                total += us;
                min = min.min(us);
            }
            times.push((total / f64::from(repeat), q.clone()));
            fastest.push(min);
        }
        // DUMP=1: every keystroke's fastest time, tab-separated, to stderr.
        if std::env::var_os("DUMP").is_some() {
            for (q, t) in keystrokes.iter().zip(&fastest) {
                eprintln!("{t:.1}\t{q}");
            }
        }
        fastest.sort_by(f64::total_cmp);
        let at = |p: f64| fastest[((p * fastest.len() as f64) as usize).min(fastest.len() - 1)];
        println!("fastest of {repeat}: p50 {:.1} µs, p90 {:.1} µs, p99 {:.1} µs", at(0.5), at(0.9), at(0.99));
        times.sort_by(|a, b| a.0.total_cmp(&b.0));
        let pct = |p: f64| times[((p * times.len() as f64) as usize).min(times.len() - 1)].0;
        println!("search limit 10: mean {:.1} µs", times.iter().map(|t| t.0).sum::<f64>() / times.len() as f64);
        println!(
            "{} keystrokes: p50 {:.1} µs, p90 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
            times.len(),
            pct(0.5),
            pct(0.9),
            pct(0.99),
            times.last().map_or(0.0, |t| t.0)
        );
        for (t, q) in times.iter().rev().take(8) {
            println!("  {t:>9.1} µs  {q:?}");
        }
        Ok(())
    }
}
