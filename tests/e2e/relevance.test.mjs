// What Vietnamese readers really type (issue 13), in headless Chromium:
// the cases of relevance-cases.mjs through query() of pkg/timkiem.js over
// the seeds, then the widget's "did you mean" link and "Kết quả cho" line.
// Needs www/pkg (make pkg).
//   node tests/e2e/relevance.test.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, serve, launch, watch, runner } from './harness.mjs';
import { QUERIES, runInPage, check } from './relevance-cases.mjs';

const www = path.join(ROOT, 'www');
if (!fs.existsSync(path.join(www, 'pkg'))) {
  console.error('www/pkg is missing: run `make pkg` first');
  process.exit(1);
}
const server = await serve(www);
const browser = await launch();
const t = runner('relevance (chromium)');

// Types `q` into the box as an input event would, and resolves to the
// results event's detail and what the widget shows.
const type = (page, q) => page.evaluate((q) => new Promise((done) => {
  const box = document.querySelector('tim-kiem');
  const on = (ev) => {
    if (ev.detail.query !== q) return;
    box.removeEventListener('tim-kiem-results', on);
    requestAnimationFrame(() => {
      const root = box.shadowRoot;
      done({
        total: ev.detail.total, suggestion: ev.detail.suggestion, interpretation: ev.detail.interpretation,
        count: root.querySelector('[part="count"]')?.textContent ?? '',
        empty: root.querySelector('[part="empty"]')?.textContent ?? '',
        button: root.querySelector('[part="suggestion"]')?.textContent ?? null,
      });
    });
  };
  box.addEventListener('tim-kiem-results', on);
  const input = box.shadowRoot.querySelector('input');
  input.value = q;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}), q);

try {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(server.url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.classList.contains('ready'), null, { timeout: 30000 });
  const results = await page.evaluate(runInPage, QUERIES);
  await check(results, (label, fn) => t.step(label, fn));

  await t.step('widget: a query that finds nothing offers its correction, and the link runs it', async () => {
    const none = await type(page, 'nhat bqn');
    assert.equal(none.total, 0);
    assert.equal(none.button, 'nhật bản', JSON.stringify(none));
    const ran = page.evaluate(() => new Promise((done) => {
      const box = document.querySelector('tim-kiem');
      box.addEventListener('tim-kiem-results', (ev) => done({ query: ev.detail.query, total: ev.detail.total }), { once: true });
      box.shadowRoot.querySelector('[part="suggestion"]').click();
    }));
    const after = await ran;
    assert.equal(after.query, 'nhật bản');
    assert.ok(after.total >= 3, JSON.stringify(after));
    assert.equal(await page.evaluate(() => document.querySelector('tim-kiem').shadowRoot.querySelector('input').value), 'nhật bản');
  });

  await t.step('widget: a plain query says which marked spelling it found', async () => {
    const shown = await type(page, 'nhat ban');
    assert.equal(shown.interpretation, 'nhật bản');
    assert.match(shown.count, /Kết quả cho: nhật bản/);
    const marked = await type(page, 'nhật bản');
    assert.doesNotMatch(marked.count, /Kết quả cho/);
  });

  await t.step('no console errors, page errors or failed requests', () => {
    assert.deepEqual(problems, []);
  });
} finally {
  await browser.close();
  await server.close();
}
t.done();
