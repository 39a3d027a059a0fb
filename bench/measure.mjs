// The browser measurement shared by bench/run.mjs and tests/bench-smoke.mjs.
//
// Derived from the peers' side-by-side benchmark (/work/shared/bench/peers/bench.mjs);
// the workload and the measurement are kept identical to it so that numbers stay
// comparable with the table:
//   - every engine runs in the same headless Chromium, cross-origin isolated (5 µs timers);
//   - workload: every prefix (2+ chars, not ending in a space) of sampled 1–3 word phrases
//     (LCG seed 42), half typed without diacritics;
//   - a keystroke's time is the mean of 10 back-to-back calls;
//   - start-up is from the start of the engine's setup (import + init + index load)
//     to the first keystroke's results;
//   - payload is the gzip -9 size of every file the page fetched (Pagefind's
//     pre-gzipped files count as they are); the first payload is what was
//     fetched by the time the first keystroke's results were ready.
// Additions that do not change what is measured: the per-keystroke times are kept
// (for the latency plot) with the slowest keystrokes' query strings, and the
// first keystroke's hit count is checked by the smoke test.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.css': 'text/css' };

// Serves SITE (docs.json, pagefind/), PKG at /pkg/ and NODE_MODULES at /node_modules/,
// cross-origin isolated, recording the gzip size of everything served.
// `setPkg(dir)` serves another package at /pkg/ (e.g. another layout's build).
export async function startServer({ site, pkg, nodeModules }) {
  const gzBytes = new Map(); // url path -> gzip size of what was served
  let pending = 0; // responses not yet sized
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file;
    if (p === '/bench.html') file = null;
    else if (p.startsWith('/node_modules/')) file = path.join(nodeModules, p.slice('/node_modules/'.length));
    else if (p.startsWith('/pkg/') && pkg) file = path.join(pkg, p.slice('/pkg/'.length));
    else file = path.join(site, p);
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' };
    if (file === null) {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
      return res.end('<!doctype html><meta charset="utf-8"><body>bench</body>');
    }
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404, headers); return res.end(); }
      res.writeHead(200, { ...headers, 'Content-Type': MIME[path.extname(file)] || 'application/octet-stream' });
      // Sized once the response is sent: gzip -9 of a large wasm blocks the server long
      // enough (tens of ms at 1k documents) to count against the start-up being measured.
      pending++;
      res.on('finish', () => {
        const isPreGz = /\.pf_|\.pagefind$/.test(file);
        gzBytes.set(p, isPreGz ? body.length : zlib.gzipSync(body, { level: 9 }).length);
        pending--;
      });
      res.end(body);
    });
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  // Resolves once every response sent so far has been sized.
  const settled = async () => { while (pending > 0) await new Promise((r) => setTimeout(r, 5)); };
  return { base: `http://127.0.0.1:${server.address().port}`, gzBytes, settled,
    setPkg: (dir) => { pkg = dir; }, close: () => new Promise(r => server.close(r)) };
}

// Deterministic sample of phrases from docs.json's documents, and their keystrokes.
export function workload(docs, nQueries) {
  let seed = 42; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const fold = s => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
  const phrases = [];
  let tries = 0;
  while (phrases.length < nQueries) {
    if (++tries > 100000 + nQueries * 100) throw new Error('workload: the corpus has no document with 3+ words of 2+ letters');
    const d = docs[Math.floor(rnd() * docs.length)];
    const words = d.body.split(/[^\p{L}\p{N}]+/u).filter(w => w.length > 1);
    if (words.length < 3) continue;
    const i = Math.floor(rnd() * (words.length - 3)); const n = 1 + Math.floor(rnd() * 3);
    let q = words.slice(i, i + n).join(' ').toLowerCase();
    if (rnd() < 0.5) q = fold(q);
    phrases.push(q);
  }
  const keystrokes = phrases.flatMap(q => Array.from({ length: q.length - 1 }, (_, k) => q.slice(0, k + 2))).filter(q => !q.endsWith(' '));
  return { phrases, keystrokes };
}

// Each returns an async function (q) => number of hits. Same code as the shared bench.mjs.
export const ENGINE_SETUP = {
  pagefind: `async () => { const pf = await import('/pagefind/pagefind.js'); await pf.options({excerptLength: 30}); await pf.init();
      return async q => { const r = await pf.search(q); if (r.results.length) await r.results[0].data(); return r.results.length; }; }`,
  pagefind_nodata: `async () => { const pf = await import('/pagefind/pagefind.js'); await pf.init();
      return async q => (await pf.search(q)).results.length; }`,
  minisearch: `async () => { const { default: MiniSearch } = await import('/node_modules/minisearch/dist/es/index.js');
      const docs = await (await fetch('/docs.json')).json();
      const fold = s => s.normalize('NFD').replace(/\\p{M}/gu, '').replace(/đ/g,'d').replace(/Đ/g,'D').toLowerCase();
      const ms = new MiniSearch({ fields: ['title', 'body'], storeFields: ['title'], processTerm: t => fold(t),
        searchOptions: { prefix: true, combineWith: 'AND', boost: { title: 2 } } });
      ms.addAll(docs);
      return async q => ms.search(q).slice(0, 10).length; }`,
  // timkiem as the widget calls it per keystroke: query(q, {limit: 10}), hits with
  // snippets and highlights and the total, from one evaluation.
  timkiem: `async () => { const m = await import('/pkg/timkiem.js'); await m.default();
      return async q => (await m.query(q, { limit: 10 })).hits.length; }`,
  // count-free variant for reference: only the number of matching documents, no hits.
  timkiem_count: `async () => { const m = await import('/pkg/timkiem.js'); await m.default();
      return async q => m.count(q); }`,
};

// Runs one engine in a fresh page of BROWSER against SERVER; returns its numbers,
// with `times_us` (every keystroke's time, sorted) and `slowest` (the 10 slowest keystrokes).
export async function runEngine(browser, server, engine, keystrokes) {
  if (!ENGINE_SETUP[engine]) throw new Error(`unknown engine ${engine}`);
  server.gzBytes.clear();
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', e => { errors.push(e.message); console.error(engine, 'page error', e.message); });
  try {
    await page.goto(server.base + '/bench.html');
    // Phase 1: start-up and the first keystroke's results; what was fetched
    // by then is the first payload.
    const first = await page.evaluate(async ({ setup, q }) => {
      const t0 = performance.now();
      window.__run = await (eval(setup))();
      const firstHits = await window.__run(q);
      return { startup_ms: performance.now() - t0, first_hits: firstHits };
    }, { setup: ENGINE_SETUP[engine], q: keystrokes[0] });
    await server.settled();
    const firstPayload = [...server.gzBytes.entries()].filter(([p]) => p !== '/bench.html').reduce((a, [, b]) => a + b, 0);
    const firstFiles = server.gzBytes.size - (server.gzBytes.has('/bench.html') ? 1 : 0);
    // Phase 2: every keystroke of the workload.
    const r = await page.evaluate(async ({ keystrokes }) => {
      const run = window.__run;
      const times = []; let hits = 0;
      for (const q of keystrokes) {
        const a = performance.now();
        for (let i = 0; i < 10; i++) hits = await run(q);
        times.push((performance.now() - a) / 10);
      }
      const byTime = times.map((t, i) => [t, i]).sort((x, y) => y[0] - x[0]).slice(0, 10);
      times.sort((x, y) => x - y);
      const pct = p => times[Math.min(times.length - 1, Math.floor(p * times.length))];
      return { last_hits: hits, keystrokes: times.length,
        p50_us: pct(0.5) * 1000, p90_us: pct(0.9) * 1000, p99_us: pct(0.99) * 1000, max_us: times[times.length - 1] * 1000,
        mean_us: times.reduce((a, b) => a + b, 0) / times.length * 1000, isolated: crossOriginIsolated,
        times_us: times.map(t => Math.round(t * 1e4) / 10),
        slowest: byTime.map(([t, i]) => ({ q: keystrokes[i], us: Math.round(t * 1e4) / 10 })) };
    }, { keystrokes });
    Object.assign(r, first);
    await server.settled();
    r.first_payload_gz_bytes = firstPayload;
    r.first_files = firstFiles;
    r.payload_gz_bytes = [...server.gzBytes.entries()].filter(([p]) => p !== '/bench.html').reduce((a, [, b]) => a + b, 0);
    r.files = server.gzBytes.size - (server.gzBytes.has('/bench.html') ? 1 : 0);
    r.page_errors = errors;
    return r;
  } finally {
    await page.close();
  }
}

// One-line summary of an engine's result, like the shared bench.mjs prints.
export function summary(r) {
  return JSON.stringify(Object.fromEntries(Object.entries(r)
    .filter(([k]) => k !== 'times_us' && k !== 'slowest' && k !== 'page_errors')
    .map(([k, v]) => [k, typeof v === 'number' ? +v.toFixed(1) : v])));
}
