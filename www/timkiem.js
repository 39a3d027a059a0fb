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
import initWasm, * as wasm from './timkiem_wasm.js';

let ready = null; // the one init, shared by every caller while in flight and after
let loaded = false;

/** Loads the wasm. Takes what wasm-bindgen's init takes, e.g.
 *  `{ module_or_path: url | Response | bytes | WebAssembly.Module }`; by
 *  default the wasm next to this file. Idempotent: later calls return the
 *  first call's promise (a failed load can be retried). */
export default function init(options) {
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

/** One page of hits and the number of documents matching, from one
 *  evaluation of the query: what the <tim-kiem> widget calls per keystroke.
 *  Loads the wasm first if init() has not been called. */
export async function query(q, options) {
  q = readQuery(q);
  const o = readOptions(options);
  if (!loaded) await init();
  return JSON.parse(call(wasm.query, q, o.limit, o.offset, o.fuzzy, o.exactDiacritics, o.telex));
}

/** A page of hits (synchronous; after init()). */
export function search(q, options) {
  q = readQuery(q);
  const o = readOptions(options);
  return JSON.parse(call(wasm.query, q, o.limit, o.offset, o.fuzzy, o.exactDiacritics, o.telex)).hits;
}

/** The number of documents matching (synchronous; after init()). */
export function count(q, options) {
  q = readQuery(q);
  const o = readOptions(options);
  return call(wasm.count, q, o.fuzzy, o.exactDiacritics, o.telex);
}

/** A whole document by id (synchronous; after init()). */
export function getDocument(id) {
  return JSON.parse(call(wasm.document, readId(id)));
}

/** The ranges of the words matching `q` in document `id`'s title and text
 *  (synchronous; after init()). */
export function documentHighlights(id, q, options) {
  id = readId(id);
  q = readQuery(q);
  const o = readOptions(options);
  return JSON.parse(call(wasm.documentHighlights, id, q, o.fuzzy, o.exactDiacritics, o.telex));
}

/** The index's size and layout (synchronous; after init()). */
export function stats() {
  return JSON.parse(call(wasm.stats));
}
