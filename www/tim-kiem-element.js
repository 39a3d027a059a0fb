// <tim-kiem>: a search box with live results for the timkiem engine.
//
// No imports, no framework: `defineTimKiem(engine)` registers the element,
// where `engine` has `query(q, options) → Promise<{ hits, total }>`, called
// once per search (timkiem.js's exports, or a stand-in in tests). Everything the engine
// returns is rendered as text: the DOM is built with createElement and
// textContent only, and links are made only from relative paths or http(s)
// URLs.

const STRINGS = {
  label: 'Tìm kiếm',
  placeholder: 'Tìm kiếm…',
  results: '{n} kết quả',
  more: '{shown} / {n} kết quả',
  none: 'Không có kết quả',
  noneFor: 'Không có kết quả cho “{q}”',
  suggest: 'Có phải bạn muốn tìm:',
  interpretation: 'Kết quả cho: {q}',
  error: 'Lỗi tìm kiếm: {message}',
  loading: 'Đang tải…',
  listLabel: 'Kết quả tìm kiếm',
  // modal mode
  close: 'Đóng',
  recent: 'Tìm kiếm gần đây',
  clearRecent: 'Xoá',
  clearRecentLabel: 'Xoá các tìm kiếm gần đây',
};

// A search still waiting after this long (fetching a split index's shards)
// shows the loading hint in the status line.
const LOADING_HINT_MS = 300;

const CSS = `
:host {
  --_accent: var(--tim-kiem-accent, #0b63ce);
  --_bg: var(--tim-kiem-bg, #ffffff);
  --_fg: var(--tim-kiem-fg, #1b1f24);
  --_muted: var(--tim-kiem-muted, #5b6572);
  --_border: var(--tim-kiem-border, #d3d9e0);
  --_hover: var(--tim-kiem-hover-bg, #f2f5f9);
  --_active: var(--tim-kiem-active-bg, #e8f0fc);
  --_mark-bg: var(--tim-kiem-mark-bg, #ffe58a);
  --_mark-fg: var(--tim-kiem-mark-fg, inherit);
  --_radius: var(--tim-kiem-radius, 10px);
  --_shadow: var(--tim-kiem-shadow, 0 12px 32px rgba(20, 30, 45, .16), 0 2px 6px rgba(20, 30, 45, .08));
  display: block;
  position: relative;
  font: var(--tim-kiem-font, 400 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif);
  color: var(--_fg);
  text-align: start;
}
@media (prefers-color-scheme: dark) {
  :host {
    --_accent: var(--tim-kiem-accent, #6aa8ff);
    --_bg: var(--tim-kiem-bg, #1d2127);
    --_fg: var(--tim-kiem-fg, #e6e9ee);
    --_muted: var(--tim-kiem-muted, #a0a9b5);
    --_border: var(--tim-kiem-border, #3a414b);
    --_hover: var(--tim-kiem-hover-bg, #262b33);
    --_active: var(--tim-kiem-active-bg, #27364d);
    --_mark-bg: var(--tim-kiem-mark-bg, #6b5a12);
    --_mark-fg: var(--tim-kiem-mark-fg, #fff8e1);
    --_shadow: var(--tim-kiem-shadow, 0 12px 32px rgba(0, 0, 0, .5));
  }
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.field { position: relative; display: flex; align-items: center; }
.icon {
  position: absolute; inset-inline-start: .8em; width: 1.1em; height: 1.1em;
  fill: none; stroke: var(--_muted); stroke-width: 2; stroke-linecap: round; pointer-events: none;
}
input {
  width: 100%; margin: 0; padding: .7em 2.6em .7em 2.5em;
  font: inherit; color: inherit; background: var(--_bg);
  border: 1px solid var(--_border); border-radius: var(--_radius);
  outline: none; transition: border-color .15s, box-shadow .15s;
}
input::placeholder { color: var(--_muted); opacity: 1; }
input:focus { border-color: var(--_accent); box-shadow: 0 0 0 3px color-mix(in srgb, var(--_accent) 25%, transparent); }
kbd {
  position: absolute; inset-inline-end: .7em; padding: .05em .45em;
  font: 600 .75em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  color: var(--_muted); border: 1px solid var(--_border); border-radius: 5px; pointer-events: none;
}
input:focus ~ kbd, input:not(:placeholder-shown) ~ kbd { display: none; }
@media (hover: none) { kbd { display: none; } }
.panel {
  position: absolute; z-index: 10; top: calc(100% + 6px); inset-inline: 0;
  background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius);
  box-shadow: var(--_shadow); overflow: hidden;
}
:host([inline]) .panel { position: static; margin-top: 6px; box-shadow: none; }
.panel[hidden] { display: none; }
.count { padding: .55em 1em; font-size: .8em; color: var(--_muted); border-bottom: 1px solid var(--_border); }
.list { max-height: var(--tim-kiem-max-height, min(70vh, 34em)); overflow-y: auto; overscroll-behavior: contain; }
.option {
  display: block; padding: .65em 1em; color: inherit; text-decoration: none; cursor: pointer;
  border-inline-start: 3px solid transparent;
}
.option + .option { border-top: 1px solid color-mix(in srgb, var(--_border) 60%, transparent); }
.option:hover { background: var(--_hover); }
.option[aria-selected="true"] { background: var(--_active); border-inline-start-color: var(--_accent); }
.title {
  display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden;
  font-weight: 600; color: var(--_accent); overflow-wrap: anywhere;
}
.path { display: block; font-size: .75em; color: var(--_muted); overflow-wrap: anywhere; }
.snippet {
  display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; overflow: hidden;
  margin-top: .2em; font-size: .88em; color: var(--_fg); overflow-wrap: anywhere;
}
mark { background: var(--_mark-bg); color: var(--_mark-fg); border-radius: 3px; padding: 0 .08em; }
.list[hidden], .empty[hidden], .count[hidden] { display: none; }
.empty { padding: 1.1em 1em; color: var(--_muted); text-align: center; }
.suggestion { margin-left: .35em; color: var(--_accent); font: inherit; background: none; border: 0; padding: 0; cursor: pointer; text-decoration: underline; }
.sr-only {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}
@media (prefers-reduced-motion: reduce) { input { transition: none; } }

/* modal: a compact button; the box and the results in a dialog */
:host([modal]) { display: inline-block; }
.trigger {
  display: inline-flex; align-items: center; gap: .55em; margin: 0; padding: .45em .55em .45em .7em;
  font: inherit; font-size: .9em; color: var(--_muted); background: var(--_bg);
  border: 1px solid var(--_border); border-radius: var(--_radius); cursor: pointer;
}
.trigger:hover { border-color: var(--_accent); color: var(--_fg); }
.trigger:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
.trigger .icon, .trigger kbd { position: static; }
.dialog {
  width: min(42rem, calc(100vw - 2rem)); max-width: none; max-height: calc(100vh - 8vh - 2rem);
  margin: 8vh auto auto; padding: 0; overflow: hidden;
  color: var(--_fg); background: var(--_bg); border: 1px solid var(--_border);
  border-radius: var(--_radius); box-shadow: var(--_shadow);
}
.dialog::backdrop { background: rgba(15, 20, 30, .45); }
.box { display: flex; flex-direction: column; max-height: inherit; }
.bar { display: flex; align-items: center; gap: .5em; padding: .6em; border-bottom: 1px solid var(--_border); }
.bar .field { flex: 1; }
.dialog .field kbd { display: none; }
.dialog .panel { position: static; display: flex; flex-direction: column; min-height: 0; flex: 1; border: 0; border-radius: 0; box-shadow: none; }
.dialog .panel[hidden] { display: none; }
.dialog .list { max-height: none; flex: 1; }
.close, .clear {
  flex: none; margin: 0; padding: .35em .7em; font: inherit; font-size: .85em; color: var(--_fg);
  background: transparent; border: 1px solid var(--_border); border-radius: 6px; cursor: pointer;
}
.close:hover, .clear:hover { background: var(--_hover); }
.close:focus-visible, .clear:focus-visible { outline: 2px solid var(--_accent); outline-offset: 1px; }
.recent-head {
  display: flex; align-items: center; justify-content: space-between; gap: 1em;
  padding: .45em 1em; font-size: .8em; color: var(--_muted); border-bottom: 1px solid var(--_border);
}
.recent-head[hidden] { display: none; }
.recent-head .clear { font-size: 1em; padding: .15em .6em; }
@media (max-width: 640px) {
  .dialog { width: 100vw; height: 100vh; height: 100dvh; max-height: none; margin: 0; border: 0; border-radius: 0; }
  .box { height: 100%; }
}
`;

// Recent searches (modal mode), by storage key: localStorage when it works,
// else this page's memory only, without a word (storage blocked or full).
const RECENT_MAX = 6;
const recentMemory = new Map();

function loadRecent(key) {
  try {
    const stored = JSON.parse(globalThis.localStorage.getItem(key) ?? '[]');
    if (Array.isArray(stored)) return stored.filter((q) => typeof q === 'string' && q.trim()).slice(0, RECENT_MAX);
  } catch { /* blocked or unreadable: fall back to memory */ }
  return recentMemory.get(key) ?? [];
}

function saveRecent(key, list) {
  recentMemory.set(key, list);
  try {
    if (list.length) globalThis.localStorage.setItem(key, JSON.stringify(list));
    else globalThis.localStorage.removeItem(key);
  } catch { /* blocked or full: memory only */ }
}

// The focused element, looking into shadow roots.
function deepActive(doc) {
  let el = doc.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

const isApple = () => /Mac|iPhone|iPad|iPod/.test(globalThis.navigator?.userAgentData?.platform || globalThis.navigator?.platform || '');

// What a <tim-kiem worker> queries when no worker engine was given.
const NO_WORKER = Object.freeze({
  async query() { throw new Error('tim-kiem: the worker attribute needs a worker engine (TimKiem.workerEngine; tim-kiem.js sets it)'); },
});

let sheet; // one constructable stylesheet shared by every instance
let uid = 0;

/** Appends `text` to `parent`, wrapping the half-open UTF-16 ranges in <mark>.
 *  Ranges are untrusted: anything unsorted, overlapping or out of bounds is
 *  clamped or skipped. Only text nodes are created from `text`. */
export function appendMarked(parent, text, ranges, from = 0, to = text.length) {
  const doc = parent.ownerDocument;
  let at = from;
  for (const r of Array.isArray(ranges) ? ranges : []) {
    const s = Math.max(Number(r && r[0]), at);
    const e = Math.min(Number(r && r[1]), to);
    if (!(s < e)) continue; // also rejects NaN
    if (s > at) parent.append(text.slice(at, s));
    const mark = doc.createElement('mark');
    mark.setAttribute('part', 'mark');
    mark.textContent = text.slice(s, e);
    parent.append(mark);
    at = e;
  }
  if (at < to) parent.append(text.slice(at, to));
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

function linkable(url, base, relative) {
  return url.protocol === 'http:' || url.protocol === 'https:' ||
    (relative && url.protocol === 'file:' && new URL(base).protocol === 'file:');
}

/** `href` resolved against `base` if it is an http(s) URL (or a relative
 *  one on a file:// page), else null. */
export function safeUrl(href, base = document.baseURI) {
  const raw = String(href ?? '');
  try {
    const url = new URL(raw, base);
    return linkable(url, base, !SCHEME.test(raw.replace(/[\u0000-\u0020\u007f-\u009f]/g, ''))) ? url.href : null;
  } catch {
    return null;
  }
}

/** A link target for a document path, or null when it must not be a link.
 *  Relative paths are percent-encoded segment by segment and appended to
 *  `prefix`; absolute URLs are kept only for http(s). The URL is checked
 *  after the browser's own parsing, so whitespace, control characters and
 *  case tricks ("  JaVa\tScript:") can't sneak a scheme through. */
export function safeHref(path, prefix = '', base = document.baseURI) {
  const raw = String(path ?? '');
  // What the URL parser ignores: C0 controls and spaces at the ends, tabs and
  // newlines anywhere. Strip all of them (and C1 controls) to see the scheme.
  const bare = raw.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  let url;
  try {
    if (SCHEME.test(bare)) {
      url = new URL(raw.trim());
    } else {
      const rel = raw.split(/[/\\]/).map(encodeURIComponent).join('/').replace(/^\/+/, '');
      url = new URL(String(prefix ?? '') + rel, base);
    }
  } catch {
    return null;
  }
  return linkable(url, base, !SCHEME.test(bare)) ? url.href : null;
}

function format(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

function isEditable(el) {
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

function svgIcon(doc) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = doc.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  const circle = doc.createElementNS(ns, 'circle');
  circle.setAttribute('cx', '11'); circle.setAttribute('cy', '11'); circle.setAttribute('r', '7');
  const line = doc.createElementNS(ns, 'path');
  line.setAttribute('d', 'M20 20l-3.5-3.5');
  svg.append(circle, line);
  return svg;
}

/** Registers <tim-kiem> (or `name`) over `engine` (and `workerEngine` for
 *  `<tim-kiem worker>`); returns the class.
 *  Idempotent: a second call returns the element already defined. */
export function defineTimKiem(engine, name = 'tim-kiem', workerEngine = null) {
  const existing = customElements.get(name);
  if (existing) return existing;

  class TimKiem extends HTMLElement {
    static engine = engine;
    static safeHref = safeHref;
    static safeUrl = safeUrl;
    static appendMarked = appendMarked;
    /** The engine of `<tim-kiem worker>` elements (one whose calls run in a worker). */
    static workerEngine = workerEngine;
    static get observedAttributes() {
      return ['placeholder', 'label', 'limit', 'fuzzy', 'telex', 'vni', 'exact-diacritics', 'href-prefix', 'target', 'worker', 'modal'];
    }

    #engine = null;
    #hrefFor = null;
    #strings = {};
    #hits = [];
    #active = -1;
    #query = '';
    #seq = 0;
    #frame = 0;
    #dirty = false;
    #root; #input; #panel; #count; #list; #empty; #status;
    #field; #button = null; #dialog = null; #closeButton; #recentHead; #clearButton; #returnFocus = null;
    #showingRecent = false;
    #shown = false; // the dialog was opened by show() and focus not yet given back
    #onDocKey = (ev) => this.#shortcut(ev);

    constructor() {
      super();
      const id = `tk${++uid}`;
      const root = this.#root = this.attachShadow({ mode: 'open' });
      const doc = this.ownerDocument;
      const el = (tag, props) => Object.assign(doc.createElement(tag), props);

      if ('adoptedStyleSheets' in root) {
        if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); }
        root.adoptedStyleSheets = [sheet];
      } else {
        root.append(el('style', { textContent: CSS })); // old browsers; blocked by a strict CSP
      }

      const field = this.#field = el('div', { className: 'field' });
      const input = this.#input = el('input', {
        type: 'text', id: `${id}-input`, autocomplete: 'off', spellcheck: false,
        autocapitalize: 'off', enterKeyHint: 'search',
      });
      input.setAttribute('part', 'input');
      input.setAttribute('role', 'combobox');
      input.setAttribute('aria-autocomplete', 'list');
      input.setAttribute('aria-expanded', 'false');
      input.setAttribute('aria-controls', `${id}-list`);
      const kbd = el('kbd', { textContent: '/' });
      kbd.setAttribute('aria-hidden', 'true');
      field.append(svgIcon(doc), input, kbd);

      const panel = this.#panel = el('div', { className: 'panel', hidden: true });
      panel.setAttribute('part', 'panel');
      this.#count = el('div', { className: 'count' });
      this.#count.setAttribute('part', 'count');
      this.#count.setAttribute('aria-hidden', 'true'); // the status region speaks instead
      this.#list = el('div', { className: 'list', id: `${id}-list` });
      this.#list.setAttribute('part', 'list');
      this.#list.setAttribute('role', 'listbox');
      this.#empty = el('div', { className: 'empty', hidden: true });
      this.#empty.setAttribute('part', 'empty');
      this.#empty.setAttribute('aria-hidden', 'true'); // the status region speaks instead
      panel.append(this.#count, this.#list, this.#empty);

      this.#status = el('div', { className: 'sr-only' });
      this.#status.setAttribute('role', 'status');
      this.#status.setAttribute('aria-live', 'polite');

      root.append(field, panel, this.#status);

      input.addEventListener('input', () => this.#schedule());
      input.addEventListener('keydown', (ev) => this.#key(ev));
      input.addEventListener('focus', () => { if (this.#query) this.#open(true); });
      this.addEventListener('focusout', (ev) => {
        if (!ev.relatedTarget || !this.contains(ev.relatedTarget) && !root.contains(ev.relatedTarget)) this.#open(false);
      });
      // Keep focus in the input while clicking in the results.
      panel.addEventListener('mousedown', (ev) => ev.preventDefault());
      this.#list.addEventListener('click', (ev) => this.#click(ev));
    }

    connectedCallback() {
      for (const prop of ['engine', 'strings', 'hrefFor', 'query']) {
        // A property set before the element was upgraded shadows the accessor.
        if (Object.prototype.hasOwnProperty.call(this, prop)) {
          const value = this[prop];
          delete this[prop];
          this[prop] = value;
        }
      }
      this.#applyMode();
      this.#applyStrings();
      this.ownerDocument.addEventListener('keydown', this.#onDocKey);
    }

    disconnectedCallback() {
      this.ownerDocument.removeEventListener('keydown', this.#onDocKey);
      if (this.#dialog?.open) this.#dialog.close();
      cancelAnimationFrame(this.#frame);
      this.#frame = 0;
      if (this.#dirty) { this.#dirty = false; this.#run(false); }
    }

    attributeChangedCallback(name) {
      if (name === 'placeholder' || name === 'label') this.#applyStrings();
      else if (name === 'modal') { if (this.isConnected) { this.#applyMode(); this.#applyStrings(); } }
      else if (this.#query) this.#run(this.#isOpen);
    }

    /** The engine used by this instance (defaults to the one given to defineTimKiem). */
    get engine() {
      if (this.#engine) return this.#engine;
      if (this.hasAttribute('worker')) return TimKiem.workerEngine || NO_WORKER;
      return TimKiem.engine;
    }
    set engine(value) { this.#engine = value || null; if (this.#query) this.#run(this.#isOpen); }

    /** UI strings, merged over the Vietnamese defaults (see STRINGS). */
    get strings() { return { ...STRINGS, ...this.#strings }; }
    set strings(value) { this.#strings = { ...value }; this.#applyStrings(); if (this.#query) this.#run(this.#isOpen); }

    /** The current query; setting it searches at once. */
    get query() { return this.#input.value; }
    set query(value) {
      this.#input.value = String(value ?? '');
      this.#run(null); // open if the box has focus when the results arrive
    }

    /** Optional `(hit, query) => url` to make result links instead of
     *  `href-prefix` + path; the URL must still be http(s) or relative. */
    get hrefFor() { return this.#hrefFor; }
    set hrefFor(fn) { this.#hrefFor = typeof fn === 'function' ? fn : null; if (this.#query) this.#run(this.#isOpen); }

    /** The hits currently shown. */
    get results() { return this.#hits.slice(); }

    focus(options) { this.#input.focus(options); }
    blur() { this.#input.blur(); }

    get #limit() {
      const n = parseInt(this.getAttribute('limit'), 10);
      return Number.isFinite(n) ? Math.min(Math.max(n, 1), 100) : 10;
    }

    /** The options passed to the engine, from the attributes. */
    get searchOptions() {
      const opts = { limit: this.#limit };
      for (const [attr, key] of [['fuzzy', 'fuzzy'], ['telex', 'telex'], ['vni', 'vni']]) {
        const value = this.getAttribute(attr);
        if (value !== null) opts[key] = !/^(false|off|no|0)$/i.test(value.trim());
      }
      if (this.hasAttribute('exact-diacritics')) opts.exactDiacritics = true;
      return opts;
    }

    #applyStrings() {
      if (!this.#input) return;
      const s = this.strings;
      this.#input.placeholder = this.getAttribute('placeholder') ?? s.placeholder;
      this.#input.setAttribute('aria-label', this.getAttribute('label') ?? s.label);
      this.#list.setAttribute('aria-label', this.#showingRecent ? s.recent : s.listLabel);
      if (this.#dialog) {
        const label = this.getAttribute('label') ?? s.label;
        this.#dialog.setAttribute('aria-label', label);
        this.#button.querySelector('.trigger-label').textContent = label;
        this.#closeButton.textContent = s.close;
        this.#recentHead.firstChild.textContent = s.recent;
        this.#clearButton.textContent = s.clearRecent;
        this.#clearButton.setAttribute('aria-label', s.clearRecentLabel);
      }
    }

    // Searches on the first keystroke of a frame, then at most once more when
    // the frame ends if more keystrokes came in meanwhile.
    #schedule() {
      if (this.#frame) { this.#dirty = true; return; }
      this.#run();
      this.#frame = requestAnimationFrame(() => {
        this.#frame = 0;
        if (this.#dirty) { this.#dirty = false; this.#run(); }
      });
    }

    // One engine call per search. Results arrive in order of the searches
    // made: an answer to an older search than the last one shown is dropped.
    // `open`: whether to show the results; null: if the box then has focus.
    async #run(open = true) {
      const query = this.#input.value;
      const trimmed = query.trim();
      const seq = ++this.#seq;
      let hits = [], total = 0, error = null, suggestion = null, interpretation = null;
      const t0 = performance.now();
      // A split index fetches shards: say so only if that takes a while,
      // and only while this is still the newest search.
      const hint = setTimeout(() => { if (seq === this.#seq) this.#loading(); }, LOADING_HINT_MS);
      if (trimmed) {
        try {
          const results = await this.engine.query(query, this.searchOptions);
          hits = Array.from(results?.hits || []);
          total = Number(results?.total);
          if (!(total >= hits.length)) total = hits.length;
          if (typeof results?.suggestion === 'string') suggestion = results.suggestion;
          if (typeof results?.interpretation === 'string') interpretation = results.interpretation;
        } catch (e) {
          error = e;
          hits = [];
        }
      }
      clearTimeout(hint);
      if (seq !== this.#seq) return; // a newer search has been made meanwhile
      const elapsed = performance.now() - t0;
      this.#query = trimmed;
      this.#render(hits, total, error, open ?? this.#root.activeElement === this.#input, suggestion, interpretation);
      if (!trimmed && this.#dialog?.open) this.#showRecent();
      this.dispatchEvent(new CustomEvent('tim-kiem-results', {
        bubbles: true, composed: true,
        detail: { query, hits: hits.slice(), total, elapsed, error, suggestion, interpretation },
      }));
    }

    // The loading hint: the count line (shown even while the list still
    // has the previous results) and the live region say it.
    #loading() {
      const text = this.strings.loading;
      this.#count.textContent = text;
      this.#count.hidden = false;
      this.#count.dataset.loading = '';
      this.#status.textContent = text;
    }

    // `suggestion`: a corrected query to offer when nothing matched (a
    // button that runs it); `interpretation`: the marked spelling found.
    #render(hits, total, error, open, suggestion = null, interpretation = null) {
      delete this.#count.dataset.loading;
      const s = this.strings;
      const doc = this.ownerDocument;
      const prefix = this.getAttribute('href-prefix') ?? '';
      const target = this.getAttribute('target');
      const id = this.#list.id;
      this.#hits = hits;
      this.#active = -1;
      this.#input.removeAttribute('aria-activedescendant');
      this.#showingRecent = false;
      if (this.#recentHead) this.#recentHead.hidden = true;
      this.#list.setAttribute('aria-label', s.listLabel);

      const options = hits.map((hit, i) => {
        const href = this.#link(hit, prefix);
        const opt = doc.createElement(href ? 'a' : 'div');
        if (href) {
          opt.href = href;
          if (target) { opt.target = target; opt.rel = 'noopener noreferrer'; }
        }
        opt.id = `${id}-${i}`;
        opt.className = 'option';
        opt.tabIndex = -1;
        opt.setAttribute('part', 'option');
        opt.setAttribute('role', 'option');
        opt.setAttribute('aria-selected', 'false');
        opt.dataset.index = String(i);

        const title = doc.createElement('span');
        title.className = 'title';
        title.setAttribute('part', 'title');
        if (hit?.title) appendMarked(title, String(hit.title), hit.titleHighlights);
        else title.textContent = String(hit?.path ?? '');
        const path = doc.createElement('span');
        path.className = 'path';
        path.setAttribute('part', 'path');
        path.textContent = String(hit?.path ?? '');
        const snippet = doc.createElement('span');
        snippet.className = 'snippet';
        snippet.setAttribute('part', 'snippet');
        appendMarked(snippet, String(hit?.snippet ?? ''), hit?.highlights);
        opt.append(title, path, snippet);
        return opt;
      });

      let message;
      if (error) {
        message = format(s.error, { message: error?.message ?? String(error) });
      } else if (!hits.length) {
        message = format(s.noneFor, { q: this.#query });
      }
      this.#list.replaceChildren(...options);
      this.#list.hidden = !options.length;
      this.#empty.textContent = message ?? '';
      this.#empty.hidden = !message;
      if (message && !error && suggestion) {
        const offer = doc.createElement('div');
        offer.append(s.suggest);
        const run = doc.createElement('button');
        run.type = 'button';
        run.className = 'suggestion';
        run.setAttribute('part', 'suggestion');
        run.textContent = suggestion;
        run.addEventListener('click', () => { this.query = suggestion; this.#input.focus(); });
        offer.append(run);
        this.#empty.append(offer);
      }

      let countText = hits.length && total > hits.length
        ? format(s.more, { shown: hits.length, n: total })
        : format(s.results, { n: total });
      if (hits.length && interpretation) countText += ' · ' + format(s.interpretation, { q: interpretation });
      this.#count.textContent = countText;
      this.#count.hidden = !hits.length;
      this.#status.textContent = !this.#query ? '' : error ? message : hits.length ? countText : s.none;
      this.#open(open && !!this.#query);
    }

    #link(hit, prefix) {
      if (!this.#hrefFor) return safeHref(hit?.path, prefix);
      try {
        return safeUrl(this.#hrefFor(hit, this.#query));
      } catch (error) {
        console.error('tim-kiem: hrefFor failed', error);
        return null;
      }
    }

    #open(open) {
      open = open && (!!this.#query || this.#showingRecent);
      this.#panel.hidden = !open;
      this.#input.setAttribute('aria-expanded', String(open));
      if (!open) this.#setActive(-1);
    }

    get #isOpen() { return !this.#panel.hidden; }

    #setActive(i) {
      const prev = this.#list.children[this.#active];
      if (prev) prev.setAttribute('aria-selected', 'false');
      this.#active = i;
      const opt = i >= 0 ? this.#list.children[i] : null;
      if (opt) {
        opt.setAttribute('aria-selected', 'true');
        this.#input.setAttribute('aria-activedescendant', opt.id);
        opt.scrollIntoView({ block: 'nearest' });
      } else {
        this.#input.removeAttribute('aria-activedescendant');
      }
    }

    #key(ev) {
      if (ev.isComposing) return;
      if (ev.key === 'Escape' && this.#dialog?.open) {
        ev.preventDefault();
        ev.stopPropagation();
        this.close();
        return;
      }
      const n = this.#list.children.length; // the hits, or the recent searches
      switch (ev.key) {
        case 'ArrowDown':
        case 'ArrowUp': {
          ev.preventDefault();
          if (!this.#isOpen) { this.#open(true); if (!this.#isOpen) return; }
          if (!n) return;
          const step = ev.key === 'ArrowDown' ? 1 : -1;
          const from = this.#active < 0 ? (step > 0 ? -1 : n) : this.#active;
          this.#setActive((from + step + n) % n);
          break;
        }
        case 'Home': case 'End':
          if (this.#isOpen && n && this.#active >= 0) {
            ev.preventDefault();
            this.#setActive(ev.key === 'Home' ? 0 : n - 1);
          }
          break;
        case 'Enter': {
          if (!this.#isOpen || !n) return;
          ev.preventDefault();
          this.#list.children[this.#active < 0 ? 0 : this.#active]?.click();
          break;
        }
        case 'Escape':
          if (this.#isOpen) {
            this.#open(false);
          } else if (this.#input.value) {
            this.query = '';
          } else {
            return;
          }
          ev.preventDefault();
          ev.stopPropagation();
          break;
      }
    }

    #click(ev) {
      const opt = ev.target.closest?.('[role="option"]');
      if (!opt || !this.#list.contains(opt)) return;
      if (opt.dataset.recent !== undefined) { // a recent search: search it again
        this.query = opt.dataset.recent;
        this.#input.focus();
        return;
      }
      // Ctrl/Cmd/Shift-click: let the browser open the link its own way.
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
      const i = Number(opt.dataset.index);
      const hit = this.#hits[i];
      if (!hit) return;
      this.#setActive(i);
      const select = new CustomEvent('tim-kiem-select', {
        bubbles: true, composed: true, cancelable: true,
        detail: { id: hit.id, hit, query: this.#input.value },
      });
      if (this.#dialog) this.#remember(this.#input.value);
      if (!this.dispatchEvent(select)) {
        ev.preventDefault();
        this.#open(false);
      }
      if (this.#dialog?.open) this.close();
    }

    #shortcut(ev) {
      if (this.#dialog) { this.#modalShortcut(ev); return; }
      if (ev.key !== '/' || ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (this.hasAttribute('no-shortcut') || this.hidden) return;
      if (isEditable(ev.composedPath()[0])) return;
      ev.preventDefault();
      this.#input.focus();
      this.#input.select();
    }

    // Modal mode (`modal`): a button that opens a dialog with the box and the
    // results; Ctrl/⌘ K or `/` opens it too. The dialog is a modal <dialog>
    // (the page behind is inert), Tab cycles inside it, Escape or a click
    // outside closes it and gives focus back. With the box empty it lists
    // the recent searches (those whose result was chosen).

    /** Opens the search dialog (modal mode). */
    show() {
      if (!this.#dialog || this.#dialog.open || !this.isConnected) return;
      const active = deepActive(this.ownerDocument);
      this.#returnFocus = active && active !== this.ownerDocument.body ? active : null;
      this.#dialog.showModal();
      this.#shown = true;
      this.#input.focus();
      this.#input.select();
      if (this.#input.value.trim()) this.#open(true);
      else this.#showRecent();
    }

    /** Closes the search dialog (modal mode) and gives focus back. */
    close() {
      if (this.#dialog?.open) this.#dialog.close();
      this.#closed();
    }

    // Gives focus back once per opening, at once when closed through close(),
    // else (the dialog closed itself) on its close event.
    #closed() {
      if (!this.#shown) return;
      this.#shown = false;
      this.#open(false);
      const back = this.#returnFocus?.isConnected ? this.#returnFocus : this.#button;
      this.#returnFocus = null;
      if (this.isConnected) back.focus();
    }

    #applyMode() {
      const modal = this.hasAttribute('modal');
      if (modal && !this.#dialog) this.#buildModal();
      if (!this.#dialog) return;
      if (modal) {
        this.#dialog.querySelector('.bar').prepend(this.#field);
        this.#dialog.querySelector('.box').append(this.#panel, this.#status);
        this.#panel.prepend(this.#recentHead);
        this.#root.replaceChildren(this.#button, this.#dialog);
      } else {
        this.close();
        this.#recentHead.hidden = true;
        this.#root.replaceChildren(this.#field, this.#panel, this.#status);
      }
    }

    #buildModal() {
      const doc = this.ownerDocument;
      const el = (tag, props) => Object.assign(doc.createElement(tag), props);
      const button = this.#button = el('button', { type: 'button', className: 'trigger' });
      button.setAttribute('part', 'button');
      button.setAttribute('aria-haspopup', 'dialog');
      button.setAttribute('aria-keyshortcuts', 'Control+K Meta+K /');
      const hint = el('kbd', { textContent: isApple() ? '⌘ K' : 'Ctrl K' });
      hint.setAttribute('aria-hidden', 'true');
      button.append(svgIcon(doc), el('span', { className: 'trigger-label' }), hint);
      button.addEventListener('click', () => this.show());

      const dialog = this.#dialog = el('dialog', { className: 'dialog' });
      dialog.setAttribute('part', 'dialog');
      const box = el('div', { className: 'box' });
      const bar = el('div', { className: 'bar' });
      this.#closeButton = el('button', { type: 'button', className: 'close' });
      this.#closeButton.setAttribute('part', 'close');
      this.#closeButton.addEventListener('click', () => this.close());
      bar.append(this.#closeButton);
      box.append(bar);
      dialog.append(box);

      this.#recentHead = el('div', { className: 'recent-head', hidden: true });
      this.#recentHead.setAttribute('part', 'recent');
      this.#clearButton = el('button', { type: 'button', className: 'clear' });
      this.#clearButton.setAttribute('part', 'clear');
      this.#clearButton.addEventListener('click', () => {
        saveRecent(this.#recentKey, []);
        this.#showRecent();
        this.#input.focus();
      });
      this.#recentHead.append(el('span', {}), this.#clearButton);

      // A click on the dialog itself, not its box, is on the backdrop.
      dialog.addEventListener('click', (ev) => { if (ev.target === dialog) this.close(); });
      dialog.addEventListener('keydown', (ev) => {
        if (ev.key === 'Tab') this.#trapTab(ev);
        else if (ev.key === 'Escape' && !ev.isComposing) { ev.preventDefault(); this.close(); }
      });
      dialog.addEventListener('close', () => this.#closed());
    }

    // Keeps Tab and Shift+Tab among the dialog's own controls.
    #trapTab(ev) {
      const stops = [...this.#dialog.querySelectorAll('input, button')]
        .filter((c) => !c.disabled && !c.closest('[hidden]'));
      if (!stops.length) return;
      const at = stops.indexOf(this.#root.activeElement);
      const next = ev.shiftKey ? (at <= 0 ? stops.length - 1 : at - 1) : (at + 1) % stops.length;
      ev.preventDefault();
      stops[next].focus();
    }

    #modalShortcut(ev) {
      if (ev.defaultPrevented || ev.altKey || this.hasAttribute('no-shortcut') || this.hidden) return;
      const ctrlK = (ev.ctrlKey || ev.metaKey) && !ev.shiftKey && ev.key.toLowerCase() === 'k';
      const slash = ev.key === '/' && !ev.ctrlKey && !ev.metaKey && !isEditable(ev.composedPath()[0]);
      if (!ctrlK && !slash) return;
      ev.preventDefault();
      if (this.#dialog.open) this.#input.focus();
      else this.show();
    }

    get #recentKey() { return this.getAttribute('recent-key') || 'tim-kiem:recent'; }

    #remember(query) {
      const q = query.trim();
      if (!q) return;
      saveRecent(this.#recentKey, [q, ...loadRecent(this.#recentKey).filter((r) => r !== q)].slice(0, RECENT_MAX));
    }

    // The recent searches as the listbox's options (the box is empty).
    #showRecent() {
      const doc = this.ownerDocument;
      const recent = loadRecent(this.#recentKey);
      const id = this.#list.id;
      this.#hits = [];
      this.#active = -1;
      this.#input.removeAttribute('aria-activedescendant');
      this.#list.replaceChildren(...recent.map((q, i) => {
        const opt = doc.createElement('div');
        opt.id = `${id}-${i}`;
        opt.className = 'option';
        opt.tabIndex = -1;
        opt.setAttribute('part', 'option recent-option');
        opt.setAttribute('role', 'option');
        opt.setAttribute('aria-selected', 'false');
        opt.dataset.recent = q;
        const title = doc.createElement('span');
        title.className = 'title';
        title.setAttribute('part', 'title');
        title.textContent = q;
        opt.append(title);
        return opt;
      }));
      this.#showingRecent = recent.length > 0;
      this.#list.hidden = !recent.length;
      this.#list.setAttribute('aria-label', this.strings.recent);
      this.#recentHead.hidden = !recent.length;
      this.#count.hidden = true;
      this.#empty.hidden = true;
      this.#status.textContent = '';
      this.#open(this.#showingRecent);
    }
  }

  customElements.define(name, TimKiem);
  return TimKiem;
}
