// The public JS API, pkg/timkiem.js, in node: argument checks and their
// messages, the shapes of the results, query() against search() and count(),
// and init() shared by concurrent callers. Needs `make pkg` (over seeds/).
//   node --test tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = path.join(root, 'pkg');
const wasmFile = path.join(pkg, 'timkiem_wasm_bg.wasm');
if (!fs.existsSync(wasmFile) || !fs.existsSync(path.join(pkg, 'timkiem.js'))) {
  throw new Error('pkg/ is missing or stale: run `make pkg` first');
}
const timkiem = await import(pathToFileURL(path.join(pkg, 'timkiem.js')).href);
const bytes = fs.readFileSync(wasmFile);

test('sync calls before init() throw a clear error', () => {
  assert.throws(() => timkiem.search('nhat'), { message: 'timkiem: not loaded: await init() first' });
  assert.throws(() => timkiem.stats(), /^Error: timkiem: not loaded/);
});

test('init() is shared by concurrent callers and idempotent', async () => {
  const a = timkiem.default({ module_or_path: bytes });
  const b = timkiem.init({ module_or_path: new Uint8Array(0) }); // would fail if it loaded again
  assert.equal(a, b, 'one in-flight init');
  await Promise.all([a, b]);
  assert.equal(timkiem.default(), a, 'the same promise after it resolved');
  assert.equal(await timkiem.init(), undefined);
});

test('exports: the documented names', () => {
  assert.deepEqual(Object.keys(timkiem).sort(),
    ['count', 'countAsync', 'default', 'documentHighlights', 'documentHighlightsAsync', 'getDocument', 'getDocumentAsync',
      'init', 'initSync', 'query', 'search', 'stats']);
  timkiem.initSync({ module: new Uint8Array(0) }); // loaded already: does nothing
});

test('query() resolves to { hits, total } from one evaluation, like search() and count()', async () => {
  for (const [q, options] of [['nhat ban', undefined], ['nato', { limit: 1 }], ['nhaajt banr', { limit: 2, offset: 1 }],
    ['stoltenbreg', {}], ['zzzzqqq', null], ['', undefined]]) {
    const promise = timkiem.query(q, options);
    assert.ok(promise instanceof Promise);
    const results = await promise;
    // hits and total; then, when there is one, the correction of a query
    // that found nothing, or the marked spelling a plain query found.
    assert.deepEqual(Object.keys(results).slice(0, 2), ['hits', 'total']);
    assert.deepEqual(Object.keys(results).slice(2).filter((k) => k !== 'suggestion' && k !== 'interpretation'), []);
    assert.deepEqual(results.hits, timkiem.search(q, options), q);
    assert.equal(results.total, timkiem.count(q, options), q);
    assert.ok(results.total >= results.hits.length);
  }
  const { hits, total, interpretation } = await timkiem.query('nhat ban', { limit: 2 });
  assert.equal(hits.length, 2);
  assert.equal(total, 5);
  assert.equal(interpretation, 'nhật bản');
  assert.equal((await timkiem.query('nhat bqn')).suggestion, 'nhật bản');
  assert.equal((await timkiem.query('nhat bqn', { fuzzy: false })).suggestion, 'nhật bản');
  assert.equal((await timkiem.query('zzzzqqq')).suggestion, undefined, 'no correction finds anything');
});

test('hits, documents, highlights and stats have the documented shapes', async () => {
  const [hit] = timkiem.search('Nhật Bản', { limit: 1 });
  assert.deepEqual(Object.keys(hit), ['id', 'title', 'path', 'score', 'snippet', 'highlights', 'titleHighlights']);
  assert.ok(hit.title.includes('Nhật Bản'));
  const doc = timkiem.getDocument(hit.id);
  assert.deepEqual(Object.keys(doc), ['id', 'title', 'path', 'text']);
  assert.equal(doc.title, hit.title);
  const marks = timkiem.documentHighlights(hit.id, 'Nhật Bản');
  assert.deepEqual(Object.keys(marks), ['title', 'text']);
  assert.deepEqual(marks.title, hit.titleHighlights);
  const words = (text, ranges) => ranges.map(([s, e]) => text.slice(s, e).normalize('NFC').toLowerCase());
  assert.ok(words(doc.title, marks.title).every((w) => w === 'nhật' || w === 'bản'));
  assert.ok(marks.text.length > 0 && words(doc.text, marks.text).every((w) => w === 'nhật' || w === 'bản'));
  const stats = timkiem.stats();
  assert.deepEqual(Object.keys(stats), ['documents', 'terms', 'indexBytes', 'layout', 'shards']);
  assert.equal(stats.documents, 5);
  assert.equal(stats.layout, 'embedded');
  assert.equal(stats.shards, 0);
});

test('the async variants answer as the sync calls do (embedded: nothing to fetch)', async () => {
  assert.equal(await timkiem.countAsync('nhat ban'), timkiem.count('nhat ban'));
  assert.deepEqual(await timkiem.getDocumentAsync(2), timkiem.getDocument(2));
  assert.deepEqual(await timkiem.documentHighlightsAsync(2, 'nhat ban'), timkiem.documentHighlights(2, 'nhat ban'));
  await assert.rejects(timkiem.getDocumentAsync(99), /^Error: timkiem: no document 99/);
  await assert.rejects(timkiem.countAsync(7), /^Error: timkiem: the query must be a string/);
});

test('bad arguments throw Errors that say what is wrong', async () => {
  const cases = [
    [[42], 'timkiem: the query must be a string'],
    [[null], 'timkiem: the query must be a string'],
    [[{}], 'timkiem: the query must be a string'],
    [['a', 'limit'], 'timkiem: options must be an object'],
    [['a', { limit: -1 }], 'timkiem: options.limit must be a non-negative integer, got a negative number'],
    [['a', { limit: NaN }], 'timkiem: options.limit must be a non-negative integer, got NaN'],
    [['a', { limit: 2.5 }], 'timkiem: options.limit must be a non-negative integer, got a fractional number'],
    [['a', { limit: Infinity }], 'timkiem: options.limit must be a non-negative integer, got an infinite number'],
    [['a', { limit: '10' }], 'timkiem: options.limit must be a non-negative integer, got a string'],
    [['a', { limit: 10n }], 'timkiem: options.limit must be a non-negative integer, got a bigint'],
    [['a', { offset: -0.5 }], 'timkiem: options.offset must be a non-negative integer, got a negative number'],
    [['a', { offset: true }], 'timkiem: options.offset must be a non-negative integer, got true'],
    [['a', { fuzzy: 'yes' }], 'timkiem: options.fuzzy must be a boolean, got a string'],
    [['a', { exactDiacritics: 1 }], 'timkiem: options.exactDiacritics must be a boolean, got a number'],
    [['a', { telex: {} }], 'timkiem: options.telex must be a boolean, got a object'],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => timkiem.search(...args), { name: 'Error', message }, message);
    assert.throws(() => timkiem.count(...args), { message });
    await assert.rejects(timkiem.query(...args), { name: 'Error', message });
  }
  for (const id of [-1, 1.5, NaN, 2 ** 40, '0', undefined]) {
    const message = 'timkiem: a document id must be a non-negative integer';
    assert.throws(() => timkiem.getDocument(id), { message }, String(id));
    assert.throws(() => timkiem.documentHighlights(id, 'a'), { message });
  }
  // Errors from the wasm are Errors too.
  assert.throws(() => timkiem.getDocument(99), { name: 'Error', message: 'timkiem: no document 99' });
  assert.throws(() => timkiem.documentHighlights(5, 'a'), { name: 'Error', message: 'timkiem: no document 5' });
});

test('odd but meaningful options are accepted', async () => {
  for (const options of [{ limit: 0 }, { limit: 2 ** 40, offset: 2 ** 40 }, { offset: 0, limit: 1e3 }, null, { unknown: 1 }, [], { limit: -0 }]) {
    assert.ok(Array.isArray(timkiem.search('nato', options)), JSON.stringify(options));
  }
  assert.equal(timkiem.search('nato', { limit: 0 }).length, 0);
  assert.deepEqual(await timkiem.query('nato', { offset: 2 ** 40 }), { hits: [], total: timkiem.count('nato') });
  assert.equal(timkiem.count('nhaajt banr', { telex: false }), 0);
  assert.ok(timkiem.count('nhaajt banr') > 0);
});

test('strings JS can hold but UTF-8 cannot (lone surrogates) are searched, not fatal', async () => {
  for (const q of ['\uD800', 'nhật \uD800 bản', '\uDFFFnhat\uD83D']) {
    const { hits, total } = await timkiem.query(q);
    assert.ok(total >= hits.length);
  }
});
