// The worker engine in node: pkg/timkiem-worker-client.js talking to
// pkg/timkiem-worker.js through an in-process stand-in for Worker (messages
// are structured-cloned and delivered asynchronously, as between threads).
// Answers must equal the main-thread API's; errors must arrive as Errors
// with the API's messages; a failed or terminated worker rejects every call.
// Needs `make pkg` (over seeds/).
//   node --test tests/js/worker.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = path.join(root, 'pkg');
for (const f of ['timkiem-worker.js', 'timkiem-worker-client.js', 'timkiem_wasm_bg.wasm']) {
  if (!fs.existsSync(path.join(pkg, f))) throw new Error(`pkg/${f} is missing: run \`make pkg\` first`);
}
const bytes = fs.readFileSync(path.join(pkg, 'timkiem_wasm_bg.wasm'));

// The worker's global scope, then the worker module evaluated in it.
const scope = new EventTarget();
let page = null; // the FakeWorker the scope answers to
scope.postMessage = (data) => {
  const copy = structuredClone(data);
  setTimeout(() => page?.dispatchEvent(new MessageEvent('message', { data: copy })));
};
globalThis.self = scope;
await import(pathToFileURL(path.join(pkg, 'timkiem-worker.js')).href);
const timkiem = await import(pathToFileURL(path.join(pkg, 'timkiem.js')).href);
const { createWorkerEngine } = await import(pathToFileURL(path.join(pkg, 'timkiem-worker-client.js')).href);

class FakeWorker extends EventTarget {
  terminated = false;
  constructor() { super(); page = this; }
  postMessage(data) {
    if (this.terminated) return;
    const copy = structuredClone(data);
    setTimeout(() => scope.dispatchEvent(new MessageEvent('message', { data: copy })));
  }
  terminate() { this.terminated = true; }
}

test('calls are answered by the worker, equal to the main thread\'s', async () => {
  const engine = createWorkerEngine({ worker: new FakeWorker() });
  // node's fetch takes no file: URLs: hand the worker the bytes.
  await engine.init({ module_or_path: bytes });
  await timkiem.init({ module_or_path: bytes });
  const q = 'nhat ban';
  assert.deepEqual(await engine.query(q, { limit: 3 }), await timkiem.query(q, { limit: 3 }));
  assert.deepEqual(await engine.search(q), timkiem.search(q));
  assert.equal(await engine.count(q), timkiem.count(q));
  assert.ok((await engine.count(q)) >= 1);
  assert.deepEqual(await engine.getDocument(0), timkiem.getDocument(0));
  assert.deepEqual(await engine.documentHighlights(0, q), timkiem.documentHighlights(0, q));
  assert.deepEqual(await engine.stats(), timkiem.stats());
  // Concurrent calls each get their own answer.
  const [a, b] = await Promise.all([engine.count('nhat'), engine.count('zzzzqqq')]);
  assert.deepEqual([a, b], [timkiem.count('nhat'), 0]);
});

test('the API\'s errors reach the caller as Errors with the same message', async () => {
  const engine = createWorkerEngine({ worker: new FakeWorker() });
  await assert.rejects(engine.query('x', { limit: -1 }),
    { message: 'timkiem: options.limit must be a non-negative integer, got a negative number' });
  await assert.rejects(engine.getDocument(1e9), /^Error: timkiem: /);
  await assert.rejects(engine.query(42), { message: 'timkiem: the query must be a string' });
});

test('a worker that fails rejects pending and later calls', async () => {
  const worker = new FakeWorker();
  worker.postMessage = () => {}; // never answers
  const engine = createWorkerEngine({ worker });
  const pending = engine.query('nhat');
  worker.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: 'SyntaxError: boom' }));
  await assert.rejects(pending, { message: 'timkiem: the search worker failed: SyntaxError: boom' });
  await assert.rejects(engine.count('nhat'), { message: 'timkiem: the search worker failed: SyntaxError: boom' });
});

test('terminate() stops the worker and rejects what is pending', async () => {
  const worker = new FakeWorker();
  const engine = createWorkerEngine({ worker });
  const pending = engine.query('nhat');
  engine.terminate();
  assert.equal(worker.terminated, true);
  await assert.rejects(pending, { message: 'timkiem: the search worker was terminated' });
  await assert.rejects(engine.stats(), { message: 'timkiem: the search worker was terminated' });
});

test('an unknown method is refused by the worker', async () => {
  const worker = new FakeWorker();
  const answer = new Promise((resolve) => worker.addEventListener('message', (e) => { if (e.data.id === 7) resolve(e.data); }));
  worker.postMessage({ id: 7, method: 'constructor', args: [] });
  assert.deepEqual(await answer, { id: 7, error: 'timkiem: the worker has no method "constructor"' });
});
