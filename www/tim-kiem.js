// Entry point for site owners:
//   <script type="module" src="/timkiem/tim-kiem.js"></script>
//   <tim-kiem placeholder="Tìm kiếm…"></tim-kiem>
// Loads the wasm engine next to this file (./pkg/) and registers <tim-kiem>.
import init, * as wasm from './pkg/timkiem.js';
import { defineTimKiem } from './tim-kiem-element.js';

const API = ['search', 'count', 'getDocument', 'documentHighlights', 'stats'];

let engine;
try {
  await init({ module_or_path: new URL('./pkg/timkiem_bg.wasm', import.meta.url) });
  engine = Object.fromEntries(API.map((name) => [name, wasm[name]]));
} catch (error) {
  // Still define the element, so the page shows why searching can't work.
  console.error('timkiem: could not load the search index', error);
  const fail = () => { throw new Error('không tải được chỉ mục tìm kiếm'); };
  engine = Object.fromEntries(API.map((name) => [name, fail]));
}

export const TimKiem = defineTimKiem(engine);
export { engine, defineTimKiem };
