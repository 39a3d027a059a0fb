#!/usr/bin/env node
// Builds dist/timkiem.html: the demo page as ONE self-contained file (CSS,
// the <tim-kiem> element, the timkiem.js API, the wasm-bindgen glue and the
// wasm as base64) that works opened straight from disk (file://), without a
// server.
//
//   node scripts/dist.mjs [--pkg DIR] [--out FILE]
//
// DIR is what `make pkg` builds (default: www/pkg, else pkg). The modules are
// inlined as strings and imported from Blob URLs; timkiem.js's one import of
// the glue is pointed at the glue's Blob URL, and the wasm bytes are handed to
// its init(). No dependencies.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const fail = (message) => {
  console.error(`dist: ${message}`);
  process.exit(1);
};

const www = path.join(root, 'www');
const pkg = path.resolve(arg('--pkg') ??
  [path.join(www, 'pkg'), path.join(root, 'pkg')].find((d) => fs.existsSync(path.join(d, 'timkiem_wasm.js'))) ??
  fail('no package found in www/pkg or pkg: run `make pkg` first'));
const out = path.resolve(arg('--out') ?? path.join(root, 'dist', 'timkiem.html'));

const read = (file) => fs.readFileSync(file, 'utf8');
const glue = read(path.join(pkg, 'timkiem_wasm.js'));
const wasm = fs.readFileSync(path.join(pkg, 'timkiem_wasm_bg.wasm'));
const element = read(path.join(pkg, 'tim-kiem-element.js'));
// The API's one import is the glue; the boot code gives it the glue's URL.
const GLUE_IMPORT = "from './timkiem_wasm.js';";
const apiSource = read(path.join(pkg, 'timkiem.js'));
if (apiSource.split(GLUE_IMPORT).length !== 2) fail(`expected exactly one ${GLUE_IMPORT} in timkiem.js`);
const [apiHead, apiTail] = apiSource.split(GLUE_IMPORT);
const demo = read(path.join(www, 'demo.js'));
const css = read(path.join(www, 'demo.css'));
const icon = fs.readFileSync(path.join(www, 'favicon.svg'));
let html = read(path.join(www, 'index.html'));

// Blob URL modules can't resolve relative imports: the inlined modules must
// have none but the API's import of the glue (the glue only has some if the
// crate uses JS snippets).
const IMPORTS = /^\s*import(\s+[\w{*]|\s*['"{*])|^\s*export\s*(\*|\{[^}]*\})\s*from\s/m;
for (const [name, code] of Object.entries({ 'timkiem_wasm.js': glue, 'timkiem.js': apiHead.replace(/import [^;]*$/, '') + apiTail, 'tim-kiem-element.js': element, 'demo.js': demo })) {
  if (IMPORTS.test(code)) fail(`${name} has static imports; cannot inline it`);
}

// A JS string literal that is also safe inside an HTML <script> element.
const literal = (text) => JSON.stringify(text)
  .replace(/</g, '\\u003c')
  .replace(/\u2028/g, '\\u2028')
  .replace(/\u2029/g, '\\u2029');

const boot = `
const sources = {
  glue: ${literal(glue)},
  apiHead: ${literal(apiHead)},
  apiTail: ${literal(apiTail)},
  element: ${literal(element)},
  demo: ${literal(demo)},
};
const wasmBase64 = ${literal(wasm.toString('base64'))};
const url = (code) => URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
const load = (code) => import(url(code));
const API = ['query', 'search', 'count', 'countAsync', 'getDocument', 'getDocumentAsync', 'documentHighlights',
  'documentHighlightsAsync', 'stats'];
const { defineTimKiem } = await load(sources.element);
let engine;
try {
  const api = await load(sources.apiHead + 'from ' + JSON.stringify(url(sources.glue)) + ';' + sources.apiTail);
  const bytes = Uint8Array.from(atob(wasmBase64), (c) => c.charCodeAt(0));
  await api.default({ module_or_path: bytes });
  engine = Object.freeze(Object.fromEntries(API.map((name) => [name, api[name]])));
} catch (error) {
  console.error('timkiem: could not load the search index', error);
  const fail = () => { throw new Error('không tải được chỉ mục tìm kiếm'); };
  engine = Object.freeze(Object.fromEntries(API.map((name) => [name, name === 'query' ? async () => fail() : fail])));
}
defineTimKiem(engine);
await load(sources.demo);
`;

// Exact replacements in index.html; each must match once, or the page changed.
function swap(from, to) {
  const parts = html.split(from);
  if (parts.length !== 2) fail(`expected exactly one ${JSON.stringify(from)} in www/index.html`);
  html = parts[0] + to + parts[1];
}
html = html.replace(/[ \t]*<meta http-equiv="Content-Security-Policy"[^>]*>\n?/, ''); // inline scripts below
swap('<link rel="icon" href="favicon.svg" type="image/svg+xml">',
  `<link rel="icon" href="data:image/svg+xml;base64,${icon.toString('base64')}" type="image/svg+xml">`);
swap('<link rel="stylesheet" href="demo.css">', `<style>\n${css.replace(/<\/style/gi, '<\\/style')}</style>`);
swap('<script type="module" src="pkg/tim-kiem.js"></script>', '');
swap('<script type="module" src="demo.js"></script>', '');
swap('</body>', `<script type="module">${boot}</script>\n</body>`);
html = html.replace(/\n\s*\n(\s*<style>)/, '\n$1');

fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, html);
console.log(`dist: wrote ${path.relative(process.cwd(), out)} (${(html.length / 1024).toFixed(0)} KiB, wasm ${(wasm.length / 1024).toFixed(0)} KiB from ${path.relative(process.cwd(), pkg)})`);
