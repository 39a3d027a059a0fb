// Types of tim-kiem.js (the npm package's `timkiem/element`): importing it
// loads the engine and registers <tim-kiem>.
import type { Hit, SearchOptions, Results, Doc, DocumentHighlights, Stats } from './timkiem.js';
import type { WorkerEngine, createWorkerEngine } from './timkiem-worker-client.js';

/** What the element needs from an engine: one `query` per search. */
export interface QueryEngine {
  query(query: string, options?: SearchOptions): Promise<Results>;
}

/** The main-thread engine (timkiem.js's calls). */
export interface Engine extends QueryEngine {
  search(query: string, options?: SearchOptions): Hit[];
  count(query: string, options?: SearchOptions): number;
  getDocument(id: number): Doc;
  documentHighlights(id: number, query: string, options?: SearchOptions): DocumentHighlights;
  stats(): Stats;
}

/** UI text; every key optional when set through `strings`. */
export interface TimKiemStrings {
  label: string;
  placeholder: string;
  /** `{n}`: the number of results. */
  results: string;
  /** `{shown}` of `{n}` results. */
  more: string;
  none: string;
  /** `{q}`: the query. */
  noneFor: string;
  /** `{message}`: the error's message. */
  error: string;
  listLabel: string;
  close: string;
  recent: string;
  clearRecent: string;
  clearRecentLabel: string;
}

export interface TimKiemSelectDetail {
  id: number;
  hit: Hit;
  query: string;
}

export interface TimKiemResultsDetail {
  query: string;
  hits: Hit[];
  total: number;
  /** Milliseconds from the call to the answer. */
  elapsed: number;
  error: unknown;
}

/** The <tim-kiem> element. */
export interface TimKiemElement extends HTMLElement {
  /** The engine of this instance: the one set here, else the worker engine
   *  for `<tim-kiem worker>`, else the class's. */
  engine: QueryEngine;
  /** The current query; setting it searches. */
  query: string;
  /** The hits shown. */
  readonly results: Hit[];
  /** The options the attributes give the engine. */
  readonly searchOptions: SearchOptions;
  /** UI text merged over the Vietnamese defaults. Reads give every key. */
  get strings(): TimKiemStrings;
  set strings(value: Partial<TimKiemStrings>);
  /** Makes result links instead of `href-prefix` + path (still checked: http(s) or relative). */
  hrefFor: ((hit: Hit, query: string) => string) | null;
  /** Modal mode: opens the search dialog. */
  show(): void;
  /** Modal mode: closes the search dialog. */
  close(): void;
  addEventListener<K extends keyof TimKiemEventMap>(type: K, listener: (this: TimKiemElement, ev: TimKiemEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof TimKiemEventMap>(type: K, listener: (this: TimKiemElement, ev: TimKiemEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

export interface TimKiemEventMap extends HTMLElementEventMap {
  /** A result was chosen; cancelable (the link is then not followed). */
  'tim-kiem-select': CustomEvent<TimKiemSelectDetail>;
  /** A search was answered. */
  'tim-kiem-results': CustomEvent<TimKiemResultsDetail>;
}

/** The class registered as <tim-kiem>. */
export interface TimKiemConstructor {
  new (): TimKiemElement;
  prototype: TimKiemElement;
  /** The engine every instance uses unless given its own. */
  engine: QueryEngine;
  /** The engine of `<tim-kiem worker>` instances. */
  workerEngine: QueryEngine | null;
  safeHref(path: string, prefix?: string, base?: string): string | null;
  safeUrl(href: string, base?: string): string | null;
  appendMarked(parent: Node, text: string, ranges: ReadonlyArray<readonly [number, number]>, from?: number, to?: number): void;
}

/** <tim-kiem>, registered over the main-thread engine. */
export const TimKiem: TimKiemConstructor;
/** The main-thread engine the element uses (its sync calls need the wasm loaded:
 *  they are, unless every <tim-kiem> in the page at load has `worker`). */
export const engine: Engine;
/** The engine of `<tim-kiem worker>`: one module worker per page, started on the first call. */
export const workerEngine: Omit<WorkerEngine, 'worker' | 'terminate'>;
/** Registers <tim-kiem> (or `name`) over any engine, and `workerEngine` for
 *  `<tim-kiem worker>`; returns the class (the one already defined, if any). */
export function defineTimKiem(engine: QueryEngine, name?: string, workerEngine?: QueryEngine | null): TimKiemConstructor;
export { createWorkerEngine };

declare global {
  interface HTMLElementTagNameMap {
    'tim-kiem': TimKiemElement;
  }
}
