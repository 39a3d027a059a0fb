// timkiem: the public JavaScript API of the search engine (types: timkiem.d.ts).
//
//   import init, { query } from './timkiem.js';
//   await init();
//   const { hits, total } = await query('nhat ban', { limit: 5 });
//
// A thin wrapper over the wasm-bindgen glue (./timkiem_wasm.js), whose
// exports take plain values and return JSON texts. Arguments are checked
// here, with messages that name what is wrong, and every failure is thrown
// (or, from query(), rejected) as an Error whose message begins "timkiem: ".
//
// In the split layout (stats().layout === 'split') the wasm holds the term
// dictionary and what ranking needs; postings and documents are shard files
// fetched when a query needs them. The async functions (query, countAsync,
// getDocumentAsync, documentHighlightsAsync) fetch them: ask the wasm; if it
// names shards it lacks, fetch them all in parallel (one fetch per file for
// the page's life, shared by concurrent queries), hand them over, ask again.
// The sync ones throw if their data has not been fetched yet.
import initWasm, * as wasm from './timkiem_wasm.js';

let ready = null; // the one init, shared by every caller while in flight and after
let loaded = false;
// Where shard files are: set by init(), else `shards/` next to this module,
// resolved when first needed (an inlined module, as in `make dist`, has a
// blob: URL, and an embedded index never needs it), and written as
// new URL(`./shards/${file}`, import.meta.url) so that bundlers (Vite) emit
// the shards with the module.
let shardBase = null;
const shards = new Map(); // file name -> Promise of its hand-over (kept once it succeeds)
const pageUrl = () => globalThis.document?.baseURI ?? globalThis.location?.href;

/** Loads the wasm. Takes what wasm-bindgen's init takes, e.g.
 *  `{ module_or_path: url | Response | bytes | WebAssembly.Module }`; by
 *  default the wasm next to this file. `shards` (a URL, absolute or relative
 *  to the page) says where the shard files of a split build are: by default
 *  `shards/` next to the wasm. Idempotent: later calls return the first
 *  call's promise (a failed load can be retried). */
export default function init(options) {
  if (options && typeof options === 'object' && !(options instanceof WebAssembly.Module)) {
    const { shards: base, ...rest } = options;
    const wasmUrl = rest.module_or_path;
    if (base !== undefined) shardBase = new URL(String(base).replace(/\/?$/, '/'), pageUrl());
    else if (typeof wasmUrl === 'string' || wasmUrl instanceof URL) shardBase = new URL('./shards/', new URL(wasmUrl, pageUrl()));
    options = Object.keys(rest).length ? rest : undefined;
  }
  ready ??= initWasm(options).then(
    () => { loaded = true; },
    (error) => { ready = null; throw error; },
  );
  return ready;
}
export { init };

/** Loads the wasm synchronously from `{ module }` (bytes or a
 *  WebAssembly.Module), as wasm-bindgen's initSync does. Idempotent. */
export function initSync(options) {
  if (!loaded) {
    wasm.initSync(options);
    loaded = true;
    ready ??= Promise.resolve();
  }
}

function fail(message) {
  return new Error(`timkiem: ${message}`);
}

// What is wrong with a number given for a count.
function describe(n) {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return 'an infinite number';
  return n < 0 ? 'a negative number' : 'a fractional number';
}

function countOption(options, name, fallback) {
  const value = options[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number') {
    // Counts above 2³² - 1 mean "all": clamp them to what the wasm takes.
    if (Number.isInteger(value) && value >= 0) return Math.min(value, 0xffffffff);
    throw fail(`options.${name} must be a non-negative integer, got ${describe(value)}`);
  }
  const got = typeof value === 'boolean' ? String(value) : `a ${typeof value}`;
  throw fail(`options.${name} must be a non-negative integer, got ${got}`);
}

function boolOption(options, name, fallback) {
  const value = options[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  throw fail(`options.${name} must be a boolean, got a ${typeof value}`);
}

/** The options, checked, with their defaults. */
function readOptions(options) {
  if (options === undefined || options === null) options = {};
  else if (typeof options !== 'object') throw fail('options must be an object');
  return {
    limit: countOption(options, 'limit', 10),
    offset: countOption(options, 'offset', 0),
    fuzzy: boolOption(options, 'fuzzy', true),
    exactDiacritics: boolOption(options, 'exactDiacritics', false),
    telex: boolOption(options, 'telex', true),
    vni: boolOption(options, 'vni', true),
  };
}

function readQuery(q) {
  if (typeof q !== 'string') throw fail('the query must be a string');
  return q;
}

function readId(id) {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw fail('a document id must be a non-negative integer');
  return id;
}

// Calls a wasm export; its errors are message strings.
function call(f, ...args) {
  if (!loaded) throw fail('not loaded: await init() first');
  try {
    return f(...args);
  } catch (error) {
    throw typeof error === 'string' ? new Error(error) : error;
  }
}

// Fetches shard `file` and hands it to the wasm as shard `number`, once
// for the page's life; a failed fetch or refused bytes are forgotten, so the
// next query tries again.
function loadShard(number, file) {
  let loading = shards.get(file);
  if (!loading) {
    loading = (async () => {
      const url = shardBase ? new URL(file, shardBase) : new URL(`./shards/${file}`, import.meta.url);
      let response;
      try {
        response = await fetch(url);
      } catch (error) {
        throw fail(`cannot fetch ${url}: ${error?.message ?? error}`);
      }
      if (!response.ok) throw fail(`cannot fetch ${url}: HTTP ${response.status}`);
      call(wasm.addShard, number, new Uint8Array(await response.arrayBuffer()));
    })();
    loading.catch(() => shards.delete(file));
    shards.set(file, loading);
  }
  return loading;
}

// Asks the wasm (`ask` returns its JSON) until it needs no more shards.
// A cold query takes two rounds: its postings, then its hits' documents.
async function resolve(ask) {
  for (let round = 0; round < 8; round++) {
    const answer = JSON.parse(ask());
    if (!answer.need) return answer;
    // Every fetch of the round settles before a failure is reported, so
    // the next keystroke never shares a request made during the outage.
    const settled = await Promise.allSettled(answer.need.map(([number, file]) => loadShard(number, file)));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
  }
  throw fail('the index keeps asking for shards: are the shard files from this build?');
}

// The answer of a sync function: its data must have been fetched already.
function now(json, name) {
  const answer = JSON.parse(json);
  if (answer.need) throw fail(`${name}() needs data not fetched yet (split layout): use ${name}Async()`);
  return answer;
}

/** One page of hits and the number of documents matching, from one
 *  evaluation of the query: what the <tim-kiem> widget calls per keystroke.
 *  Loads the wasm first if init() has not been called, and in the split
 *  layout fetches the shards the query needs. */
export async function query(q, options) {
  q = readQuery(q);
  const o = readOptions(options);
  if (!loaded) await init();
  return resolve(() => call(wasm.query, q, o.limit, o.offset, o.fuzzy, o.exactDiacritics, o.telex, o.vni));
}

/** A page of hits (synchronous; after init(); in the split layout, only
 *  once query() has fetched what it needs). */
export function search(q, options) {
  q = readQuery(q);
  const o = readOptions(options);
  return now(call(wasm.query, q, o.limit, o.offset, o.fuzzy, o.exactDiacritics, o.telex, o.vni), 'query').hits;
}

/** The number of documents matching (synchronous; after init()). */
export function count(q, options) {
  q = readQuery(q);
  const o = readOptions(options);
  return now(call(wasm.count, q, o.fuzzy, o.exactDiacritics, o.telex, o.vni), 'count').total;
}

/** The number of documents matching, fetching what it needs. */
export async function countAsync(q, options) {
  q = readQuery(q);
  const o = readOptions(options);
  if (!loaded) await init();
  return (await resolve(() => call(wasm.count, q, o.fuzzy, o.exactDiacritics, o.telex, o.vni))).total;
}

/** A whole document by id (synchronous; after init()). */
export function getDocument(id) {
  return now(call(wasm.document, readId(id)), 'getDocument');
}

/** A whole document by id, fetching it if needed. */
export async function getDocumentAsync(id) {
  id = readId(id);
  if (!loaded) await init();
  return resolve(() => call(wasm.document, id));
}

/** The ranges of the words matching `q` in document `id`'s title and text
 *  (synchronous; after init()). */
export function documentHighlights(id, q, options) {
  id = readId(id);
  q = readQuery(q);
  const o = readOptions(options);
  return now(call(wasm.documentHighlights, id, q, o.fuzzy, o.exactDiacritics, o.telex, o.vni), 'documentHighlights');
}

/** documentHighlights(), fetching what it needs. */
export async function documentHighlightsAsync(id, q, options) {
  id = readId(id);
  q = readQuery(q);
  const o = readOptions(options);
  if (!loaded) await init();
  return resolve(() => call(wasm.documentHighlights, id, q, o.fuzzy, o.exactDiacritics, o.telex, o.vni));
}

/** The index's size and layout (synchronous; after init()). */
export function stats() {
  return JSON.parse(call(wasm.stats));
}
