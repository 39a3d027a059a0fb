// Types of timkiem.js, the public JavaScript API of the timkiem search engine.

/** What wasm-bindgen's init takes: where to load the wasm from (by default
 *  the `.wasm` file next to the module), or the module itself. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOptions {
  module_or_path?: InitInput | Promise<InitInput>;
  /** Split layout: where the shard files are (a URL, absolute or relative to
   *  the page), e.g. a CDN; by default `shards/` next to the wasm. */
  shards?: string | URL;
}

/** Options of `query`, `search`, `count` and `documentHighlights`. */
export interface SearchOptions {
  /** Hits to return (default 10). A non-negative integer. */
  limit?: number;
  /** Hits to skip (default 0). A non-negative integer. */
  offset?: number;
  /** Also match words within one or two typos (default true). */
  fuzzy?: boolean;
  /** Only match words whose diacritics are exactly the ones typed (default false). */
  exactDiacritics?: boolean;
  /** Also read the query as telex typed without an input method, e.g. "nhaajt banr" (default true). */
  telex?: boolean;
  /** Also read the query as VNI typed without an input method, e.g. "tie61ng vie65t" (default true). */
  vni?: boolean;
}

/** A half-open range `[start, end)` in UTF-16 code units. */
export type Range = [start: number, end: number];

/** One search result. */
export interface Hit {
  /** Position of the document in the corpus, sorted by path. */
  id: number;
  title: string;
  /** Path relative to the corpus folder. Untrusted: check it before making it a link. */
  path: string;
  /** Relevance, with three decimals; higher is better. */
  score: number;
  /** Plain text (never HTML) from the document, around the matches. */
  snippet: string;
  /** Matched words in `snippet`. */
  highlights: Range[];
  /** Matched words in `title`. */
  titleHighlights: Range[];
}

/** A page of hits and the number of documents matching. */
export interface Results {
  hits: Hit[];
  /** Documents matching, on all pages. */
  total: number;
  /** When nothing matches: a corrected query that finds something ("did you mean"). */
  suggestion?: string;
  /** When the query was typed without marks and matches mostly one marked spelling: that spelling ("nhật bản"). */
  interpretation?: string;
}

export interface Doc {
  id: number;
  title: string;
  path: string;
  text: string;
}

/** Matched words of one document: ranges in `Doc.title` and `Doc.text`. */
export interface DocumentHighlights {
  title: Range[];
  text: Range[];
}

export interface Stats {
  documents: number;
  terms: number;
  /** Size of the index in bytes. */
  indexBytes: number;
  /** Where the index lives: all compiled into the wasm, or split, with
   *  postings and documents in shard files fetched as queries need them. */
  layout: 'embedded' | 'split';
  /** Shard files of a split index (0 when embedded). */
  shards: number;
}

/** Loads the wasm; idempotent (later calls share the first call's promise). */
export default function init(options?: InitOptions): Promise<void>;
export { init };
/** Loads the wasm synchronously (bytes or a compiled module); idempotent. */
export function initSync(options: { module: BufferSource | WebAssembly.Module }): void;

/** One page of hits and the total, from one evaluation (loads the wasm first if needed). */
export function query(query: string, options?: SearchOptions): Promise<Results>;
/** A page of hits. Synchronous; call after `init()`. In the split layout it
 *  throws unless `query()` has fetched what it needs. */
export function search(query: string, options?: SearchOptions): Hit[];
/** The number of documents matching (`limit` and `offset` are ignored). Synchronous; call after `init()`. */
export function count(query: string, options?: SearchOptions): number;
/** `count()`, fetching the shards it needs in the split layout. */
export function countAsync(query: string, options?: SearchOptions): Promise<number>;
/** A whole document. Synchronous; call after `init()`; in the split layout
 *  it throws unless the document's shard was fetched (use `getDocumentAsync`). */
export function getDocument(id: number): Doc;
/** `getDocument()`, fetching the document's shard in the split layout. */
export function getDocumentAsync(id: number): Promise<Doc>;
/** The words matching `query` in document `id`. Synchronous; call after `init()`
 *  (split layout: see `documentHighlightsAsync`). */
export function documentHighlights(id: number, query: string, options?: SearchOptions): DocumentHighlights;
/** `documentHighlights()`, fetching what it needs in the split layout. */
export function documentHighlightsAsync(id: number, query: string, options?: SearchOptions): Promise<DocumentHighlights>;
/** The index's size and layout. Synchronous; call after `init()`. */
export function stats(): Stats;
