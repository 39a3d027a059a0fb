// The engine behind a module worker: the same calls as timkiem.js, all
// async, each answered by the worker (timkiem-worker.js), so no query runs
// on the page's main thread.
//
//   import { createWorkerEngine } from './timkiem-worker-client.js';
//   const engine = createWorkerEngine();
//   const { hits, total } = await engine.query('nhat ban', { limit: 5 });
//   engine.terminate();
//
// The worker is started with `new Worker(new URL('./timkiem-worker.js',
// import.meta.url), { type: 'module' })`, written out literally so that
// bundlers (Vite, webpack 5, Rollup plugins) find the worker and emit it as
// a file of its own.

const CALLS = ['init', 'query', 'search', 'count', 'getDocument', 'documentHighlights', 'stats'];

/** An engine object whose calls run in a module worker. `worker` overrides
 *  the Worker it talks to (one running timkiem-worker.js). */
export function createWorkerEngine({ worker } = {}) {
  worker ??= new Worker(new URL('./timkiem-worker.js', import.meta.url), { type: 'module' });
  const pending = new Map();
  let next = 0;
  let broken = null; // the Error every call rejects with once the worker has failed

  const failAll = (error) => {
    broken = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.addEventListener('message', ({ data }) => {
    const call = pending.get(data?.id);
    if (!call) return;
    pending.delete(data.id);
    if (data.error !== undefined) call.reject(new Error(data.error));
    else call.resolve(data.result);
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault?.();
    failAll(new Error(`timkiem: the search worker failed${event.message ? `: ${event.message}` : ' to load'}`));
  });
  worker.addEventListener('messageerror', () => {
    failAll(new Error('timkiem: the search worker sent a message that could not be read'));
  });

  const call = (method, args) => new Promise((resolve, reject) => {
    if (broken) { reject(broken); return; }
    const id = ++next;
    pending.set(id, { resolve, reject });
    try {
      worker.postMessage({ id, method, args });
    } catch (error) {
      pending.delete(id);
      reject(new Error(`timkiem: could not send ${method}() to the search worker: ${error?.message ?? error}`));
    }
  });

  const engine = Object.fromEntries(CALLS.map((method) => [method, (...args) => call(method, args)]));
  engine.worker = worker;
  engine.terminate = () => {
    worker.terminate();
    failAll(new Error('timkiem: the search worker was terminated'));
  };
  return Object.freeze(engine);
}
