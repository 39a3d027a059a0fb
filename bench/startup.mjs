#!/usr/bin/env node
// Start-up of timkiem in headless Chromium, split into its steps: import the JS,
// fetch the wasm, compile it, instantiate, open the index (the first call), the
// first query; and, for comparison, the widget's own path (import, init() with
// streaming compilation, first query) as bench/measure.mjs times it. Medians of
// fresh pages.
//
//   node bench/startup.mjs PKG_DIR [--runs 7] [--query "nhat ban"]
import { chromium } from 'playwright-core';
import path from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, startServer } from './measure.mjs';

const args = process.argv.slice(2);
const opt = (k, d) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : d; };
const pkg = path.resolve(args[0] ?? 'pkg');
const runs = Number(opt('--runs', 7));
const q = opt('--query', 'nhat ban');

const server = await startServer({ site: pkg, pkg, nodeModules: path.resolve('node_modules') });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
const steps = async (page) => page.evaluate(async (q) => {
  const t = [performance.now()];
  const m = await import('/pkg/timkiem.js'); t.push(performance.now());
  const bytes = await (await fetch('/pkg/timkiem_wasm_bg.wasm')).arrayBuffer(); t.push(performance.now());
  const module = await WebAssembly.compile(bytes); t.push(performance.now());
  m.initSync({ module }); t.push(performance.now());
  m.stats(); t.push(performance.now());
  await m.query(q, { limit: 10 }); t.push(performance.now());
  const names = ['import JS', 'fetch wasm', 'compile', 'instantiate', 'index open (stats)', 'first query'];
  return Object.fromEntries(names.map((n, i) => [n, t[i + 1] - t[i]]));
}, q);
const widget = async (page) => page.evaluate(async (q) => {
  const t0 = performance.now();
  const m = await import('/pkg/timkiem.js'); await m.default();
  const t1 = performance.now();
  await m.query(q, { limit: 10 });
  const t2 = performance.now();
  return { 'import + init (streaming)': t1 - t0, 'first query (with index open)': t2 - t1, 'start-up total': t2 - t0 };
}, q);
const samples = {};
for (let i = 0; i < runs; i++) {
  for (const f of [steps, widget]) {
    const page = await browser.newPage();
    await page.goto(server.base + '/bench.html');
    for (const [k, v] of Object.entries(await f(page))) (samples[k] ??= []).push(v);
    await page.close();
  }
}
await browser.close();
await server.close();
const median = xs => xs.sort((a, b) => a - b)[xs.length >> 1];
console.log(`start-up of ${path.relative(process.cwd(), pkg) || pkg}, median of ${runs} fresh pages (ms):`);
for (const [k, v] of Object.entries(samples)) console.log(`  ${k.padEnd(32)} ${median(v).toFixed(2)}`);
