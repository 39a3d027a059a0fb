#!/usr/bin/env node
// Long tasks on the main thread while typing into <tim-kiem>, with the
// engine on the main thread and with <tim-kiem worker>: the README's figures.
//
//   node scripts/longtasks.mjs --pkg DIR [--runs N] [--delay MS] [--cpu RATE]
//
// DIR is a built pkg/ (make pkg; for the README, over the 10,000-document
// corpus: TIMKIEM_CORPUS=/tmp/c10k into its own folder). For each mode, a
// fresh headless Chromium page loads the element, types a warm-up query
// (the worker loads its wasm then), and then types QUERIES key by key,
// `--delay` ms apart (default 80, a fast typist), clearing the box between
// them, while a PerformanceObserver records 'longtask' entries (> 50 ms) on
// the main thread. `--cpu 4` slows the page's CPU down 4× (Chrome's CPU
// throttling, as DevTools does for a mid-range phone). Prints, per mode: long tasks during load and during
// typing (count, total and longest ms, total blocking time = sum of the
// parts over 50 ms), and the median / p95 time from a search to its answer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch } from '../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const pkg = path.resolve(arg('--pkg', 'pkg'));
const runs = Number(arg('--runs', 3));
const delay = Number(arg('--delay', 80));
const cpu = Number(arg('--cpu', 1));
for (const f of ['tim-kiem.js', 'timkiem-worker.js', 'timkiem_wasm_bg.wasm']) {
  if (!fs.existsSync(path.join(pkg, f))) { console.error(`longtasks: ${pkg}/${f} is missing`); process.exit(1); }
}
const QUERIES = ['nhat ban', 'thanh pho ho chi minh', 'kinh te viet nam', 'bong da', 'giao duc dai hoc', 'hà nội', 'cong nghe thong tin'];

const site = fs.mkdtempSync(path.join(os.tmpdir(), 'timkiem-longtasks-'));
fs.symlinkSync(pkg, path.join(site, 'pkg'));
for (const mode of ['main', 'worker']) {
  fs.writeFileSync(path.join(site, `${mode}.html`), `<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>${mode}</title><script type="module" src="pkg/tim-kiem.js"></script></head>
<body><tim-kiem id="s" inline${mode === 'worker' ? ' worker' : ''}></tim-kiem></body></html>`);
}

const server = await serve(site);
const browser = await launch();
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0; };
const summary = (tasks) => ({
  count: tasks.length, total: Math.round(sum(tasks)), longest: Math.round(Math.max(0, ...tasks)),
  blocking: Math.round(sum(tasks.map((d) => Math.max(0, d - 50)))),
});

const results = {};
try {
  for (const mode of ['main', 'worker']) {
    const load = [], typing = [], answers = [];
    for (let run = 0; run < runs; run++) {
      const page = await browser.newPage();
      if (cpu > 1) await (await page.context().newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: cpu });
      await page.addInitScript(() => {
        window.__tasks = [];
        new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__tasks.push(e.duration); })
          .observe({ type: 'longtask', buffered: true });
        window.__answers = [];
        document.addEventListener('tim-kiem-results', (e) => { window.__answers.push(e.detail.elapsed); window.__last = e.detail.query; });
      });
      await page.goto(`${server.url}${mode}.html`, { waitUntil: 'load' });
      await page.waitForFunction(() => customElements.get('tim-kiem'), null, { timeout: 120000 });
      const input = page.locator('#s').locator('input');
      await input.click();
      // Warm-up: loads the worker's wasm (or, on the main thread, the first query's pages).
      await page.keyboard.type('viet nam');
      await page.waitForFunction(() => document.getElementById('s').results.length > 0, null, { timeout: 120000 });
      await page.keyboard.press('Control+a');
      await page.keyboard.press('Backspace');
      await page.waitForTimeout(500);
      load.push(...await page.evaluate(() => window.__tasks.splice(0)));
      await page.evaluate(() => { window.__answers.length = 0; });
      for (const q of QUERIES) {
        await page.keyboard.type(q, { delay });
        await page.waitForFunction((q) => window.__last === q, q, { timeout: 60000 });
        await page.waitForTimeout(200);
        await page.keyboard.press('Control+a');
        await page.keyboard.press('Backspace');
        await page.waitForTimeout(200);
      }
      typing.push(...await page.evaluate(() => window.__tasks.splice(0)));
      answers.push(...await page.evaluate(() => window.__answers));
      await page.close();
    }
    const keys = runs * sum(QUERIES.map((q) => q.length));
    results[mode] = {
      load: summary(load), typing: summary(typing), keys,
      answerMedian: Math.round(pct(answers, 0.5)), answerP95: Math.round(pct(answers, 0.95)),
    };
  }
} finally {
  await browser.close();
  await server.close();
  fs.rmSync(site, { recursive: true, force: true });
}

console.log(`longtasks: ${pkg}, ${runs} run(s) per mode, ${QUERIES.length} queries typed ${delay} ms per key${cpu > 1 ? `, CPU ${cpu}× slower` : ''}`);
console.log('| engine | keys typed | long tasks while typing | their total (ms) | longest (ms) | blocking time (ms) | answer median / p95 (ms) | long tasks while loading (ms in all) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [mode, r] of Object.entries(results)) {
  console.log(`| ${mode === 'main' ? 'main thread' : '`worker`'} | ${r.keys} | ${r.typing.count} | ${r.typing.total} | ${r.typing.longest} | ${r.typing.blocking} | ${r.answerMedian} / ${r.answerP95} | ${r.load.count} (${r.load.total}) |`);
}
console.log(JSON.stringify(results));
