// The single-file build, dist/timkiem.html, opened from disk (file://) in
// headless Chromium: it must load its inlined wasm and search, with no server.
//   node scripts/dist.mjs && node tests/e2e/dist.test.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, launch, watch, runner } from './harness.mjs';

const file = path.join(ROOT, 'dist', 'timkiem.html');
if (!fs.existsSync(file)) {
  console.error('dist/timkiem.html is missing: run `make dist` (node scripts/dist.mjs) first');
  process.exit(1);
}

const browser = await launch();
const t = runner('dist');
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = watch(page);
  const requests = [];
  page.on('request', (req) => requests.push(req.url()));

  await t.step('opens from file:// and loads the inlined index', async () => {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.classList.contains('ready'), null, { timeout: 15000 });
    assert.match(await page.textContent('[data-stat="documents"]'), /^\d+$/);
  });

  await t.step('searching "nhat ban" shows highlighted results', async () => {
    await page.keyboard.press('/');
    await page.keyboard.type('nhat ban');
    await page.waitForFunction(() => document.querySelector('tim-kiem').shadowRoot.querySelectorAll('[role="option"]').length > 0);
    const { titles, marks } = await page.evaluate(() => {
      const root = document.querySelector('tim-kiem').shadowRoot;
      return {
        titles: [...root.querySelectorAll('[part="title"]')].map((e) => e.textContent),
        marks: root.querySelectorAll('mark').length,
      };
    });
    assert.ok(titles.some((x) => x.includes('Nhật Bản')), `titles: ${titles}`);
    assert.ok(marks > 0);
  });

  await t.step('Enter opens the reader pane', async () => {
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#reader-body mark').length > 0);
  });

  await t.step('nothing fetched but the file itself; no errors', async () => {
    const outside = requests.filter((u) => !u.startsWith('file:') && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.deepEqual(outside, []);
    assert.deepEqual(problems, []);
  });
  await context.close();
} finally {
  await browser.close();
}
t.done();
