// Entry point for site owners:
//   <script type="module" src="/timkiem/tim-kiem.js"></script>
//   <tim-kiem placeholder="Tìm kiếm…"></tim-kiem>
// Loads the engine (timkiem.js, with its wasm next to it) and registers <tim-kiem>.
// Served from pkg/ (scripts/build-pkg.sh copies it there from www/): its
// imports are the files next to it in pkg/.
import init, * as timkiem from './timkiem.js';
import { defineTimKiem } from './tim-kiem-element.js';
import { createWorkerEngine } from './timkiem-worker-client.js';

// What the element calls: query() per keystroke; the rest for pages like the demo.
const API = ['query', 'search', 'count', 'getDocument', 'documentHighlights', 'stats'];

// A page whose every <tim-kiem> has `worker` (module scripts run once the
// page is parsed) never loads the wasm on the main thread: their queries go
// to the worker, and the main-thread engine loads on its first query() only.
const workerOnly = typeof document !== 'undefined' &&
  document.querySelector('tim-kiem[worker]') && !document.querySelector('tim-kiem:not([worker])');

let engine;
try {
  if (!workerOnly) await init();
  engine = Object.freeze(Object.fromEntries(API.map((name) => [name, timkiem[name]])));
} catch (error) {
  // Still define the element, so the page shows why searching can't work.
  console.error('timkiem: could not load the search index', error);
  const fail = () => { throw new Error('không tải được chỉ mục tìm kiếm'); };
  engine = Object.freeze(Object.fromEntries(API.map((name) => [name, name === 'query' ? async () => fail() : fail])));
}

// <tim-kiem worker>: one worker for the page, started on the first call.
let worker = null;
export const workerEngine = Object.freeze(Object.fromEntries(
  [...API, 'init'].map((name) => [name, (...args) => (worker ??= createWorkerEngine())[name](...args)]),
));

export const TimKiem = defineTimKiem(engine, 'tim-kiem', workerEngine);

export { engine, defineTimKiem, createWorkerEngine };
