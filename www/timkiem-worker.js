// timkiem-worker.js: the engine in a module worker, for <tim-kiem worker>
// and createWorkerEngine() (timkiem-worker-client.js). Its own file, never
// a blob: URL, so a page under a strict CSP needs only `worker-src 'self'`.
//
// Protocol: the page posts { id, method, args } with `method` one of the
// calls of timkiem.js; the worker answers { id, result } or
// { id, error: message }. The wasm is loaded once, on the first message
// (from next to timkiem.js, or from `init` options sent as method "init").
import init, * as timkiem from './timkiem.js';

const METHODS = new Set(['init', 'query', 'search', 'count', 'getDocument', 'documentHighlights', 'stats']);

self.addEventListener('message', async (event) => {
  const { id, method, args } = event.data ?? {};
  try {
    if (!METHODS.has(method)) throw new Error(`timkiem: the worker has no method ${JSON.stringify(method)}`);
    if (method === 'init') {
      await init(...(Array.isArray(args) ? args : []));
      self.postMessage({ id, result: undefined });
      return;
    }
    await init();
    self.postMessage({ id, result: await timkiem[method](...(Array.isArray(args) ? args : [])) });
  } catch (error) {
    self.postMessage({ id, error: error?.message ?? String(error) });
  }
});
