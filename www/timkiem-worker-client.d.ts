// Types of timkiem-worker-client.js: the engine of timkiem.js behind a module worker.
import type { InitOptions, SearchOptions, Results, Hit, Doc, DocumentHighlights, Stats } from './timkiem.js';

/** The calls of timkiem.js, each answered by the worker, so all async. */
export interface WorkerEngine {
  /** Loads the wasm in the worker (done by the first call anyway). Options
   *  must be structured-cloneable: a URL string, not a `URL` object. */
  init(options?: InitOptions): Promise<void>;
  query(query: string, options?: SearchOptions): Promise<Results>;
  search(query: string, options?: SearchOptions): Promise<Hit[]>;
  count(query: string, options?: SearchOptions): Promise<number>;
  getDocument(id: number): Promise<Doc>;
  documentHighlights(id: number, query: string, options?: SearchOptions): Promise<DocumentHighlights>;
  stats(): Promise<Stats>;
  /** The Worker running timkiem-worker.js. */
  readonly worker: Worker;
  /** Stops the worker; later calls reject. */
  terminate(): void;
}

/** Starts a module worker running timkiem-worker.js (or talks to `worker`). */
export function createWorkerEngine(options?: { worker?: Worker }): WorkerEngine;
