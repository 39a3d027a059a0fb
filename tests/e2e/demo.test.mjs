// End-to-end test of the demo page (www/) in headless Chromium, under the
// page's own CSP. Also takes the desktop and phone screenshots (into docs/ with
// UPDATE_SCREENSHOTS=1, else target/e2e-screenshots/). Needs www/pkg (make pkg).
//   node tests/e2e/demo.test.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, serve, launch, watch, recordCsp, runner } from './harness.mjs';

const www = path.join(ROOT, 'www');
if (!fs.existsSync(path.join(www, 'pkg', 'timkiem_wasm.js'))) {
  console.error('www/pkg/timkiem_wasm.js is missing: run `make pkg` first');
  process.exit(1);
}
// The README's screenshots are rewritten only on request (UPDATE_SCREENSHOTS=1),
// so that a test run leaves the tree clean; otherwise they go to target/.
const shots = process.env.UPDATE_SCREENSHOTS ? path.join(ROOT, 'docs') : path.join(ROOT, 'target', 'e2e-screenshots');
fs.mkdirSync(shots, { recursive: true });

const server = await serve(www);
const browser = await launch();
const t = runner('demo');

// Reads the widget's shadow DOM in the page.
const widget = (page) => page.evaluate(() => {
  const root = document.querySelector('tim-kiem').shadowRoot;
  const input = root.querySelector('input');
  const options = [...root.querySelectorAll('[role="option"]')];
  return {
    expanded: input.getAttribute('aria-expanded'),
    active: input.getAttribute('aria-activedescendant'),
    count: root.querySelector('[part="count"]').textContent,
    status: root.querySelector('[role="status"]').textContent,
    empty: root.querySelector('[part="empty"]')?.textContent ?? null,
    options: options.map((o) => ({
      id: o.id,
      tag: o.tagName,
      selected: o.getAttribute('aria-selected'),
      title: o.querySelector('[part="title"]').textContent,
      marks: o.querySelectorAll('mark').length,
    })),
  };
});

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const page = await context.newPage();
  const problems = watch(page);
  await recordCsp(page);

  await t.step('page loads under its CSP and shows the index stats', async () => {
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.classList.contains('ready'), null, { timeout: 15000 });
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp, /style-src 'self'(;|$)/, 'strict style-src');
    assert.doesNotMatch(csp, /unsafe-inline/);
    const docs = await page.textContent('[data-stat="documents"]');
    assert.match(docs, /^\d+$/, `documents stat: ${docs}`);
    assert.ok(Number(docs) >= 1);
    // The widget's styles apply although the CSP forbids <style> elements.
    const radius = await page.evaluate(() => getComputedStyle(
      document.querySelector('tim-kiem').shadowRoot.querySelector('input')).borderTopLeftRadius);
    assert.notEqual(radius, '0px', 'shadow-root stylesheet applied');
  });

  await t.step('"/" focuses the search box', async () => {
    await page.click('.reader h1');
    await page.keyboard.press('/');
    const focused = await page.evaluate(() =>
      document.activeElement?.tagName === 'TIM-KIEM' &&
      document.activeElement.shadowRoot.activeElement?.tagName === 'INPUT');
    assert.ok(focused, 'input focused');
  });

  await t.step('typing "nhat ban" lists Nhật Bản with <mark> highlights', async () => {
    await page.keyboard.type('nhat ban', { delay: 30 });
    await page.waitForFunction(() => document.querySelector('tim-kiem').shadowRoot.querySelectorAll('[role="option"]').length > 0);
    const w = await widget(page);
    assert.equal(w.expanded, 'true');
    assert.ok(w.options.some((o) => o.title.includes('Nhật Bản')), `titles: ${w.options.map((o) => o.title)}`);
    assert.ok(w.options.every((o) => o.marks > 0), 'every result has highlights');
    assert.match(w.count, /\d+ kết quả/);
    assert.match(w.status, /\d+ kết quả/);
    const marked = await page.evaluate(() => [...document.querySelector('tim-kiem').shadowRoot.querySelectorAll('mark')]
      .map((m) => m.textContent.normalize('NFC').toLowerCase()));
    assert.ok(marked.some((m) => m.startsWith('nhật') || m.startsWith('bản')), `marks: ${marked.slice(0, 6)}`);
  });

  await t.step('ArrowDown/ArrowUp move the active option (and wrap)', async () => {
    await page.keyboard.press('ArrowDown');
    let w = await widget(page);
    assert.equal(w.active, w.options[0].id);
    assert.equal(w.options[0].selected, 'true');
    await page.keyboard.press('ArrowUp');
    w = await widget(page);
    assert.equal(w.active, w.options.at(-1).id, 'wraps to the last');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    w = await widget(page);
    assert.equal(w.active, w.options[1 % w.options.length].id);
    assert.equal(w.options.filter((o) => o.selected === 'true').length, 1);
  });

  await t.step('Enter opens the active result in the reader with highlights', async () => {
    const title = (await widget(page)).options[1 % (await widget(page)).options.length].title;
    await page.keyboard.press('Enter');
    await page.waitForFunction((t) => document.querySelector('#reader-title').textContent === t, title);
    assert.equal(new URL(page.url()).pathname, '/', 'did not navigate away');
    const w = await widget(page);
    assert.equal(w.expanded, 'false', 'list closed after choosing');
    const marks = await page.$$eval('#reader-body mark', (ms) => ms.map((m) => m.textContent));
    assert.ok(marks.length >= 2, `reader marks: ${marks.length}`);
    assert.ok(marks.some((m) => /nhật|bản/i.test(m)), `reader marks: ${marks.slice(0, 6)}`);
    assert.match(await page.textContent('#reader-meta'), /chỗ khớp/);
    assert.match(page.url(), /#doc=\d+&q=nhat\+ban$/);
    assert.match(await page.textContent('[data-stat="elapsed"]'), /ms$/);
  });

  await t.step('desktop screenshot (docs/screenshot-desktop.png)', async () => {
    // Reader open underneath, results list open on top.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('tim-kiem').shadowRoot.querySelector('input').getAttribute('aria-expanded') === 'true');
    await page.keyboard.press('ArrowDown');
    await page.screenshot({ path: path.join(shots, 'screenshot-desktop.png') });
  });

  await t.step('Escape closes the list, then clears the box', async () => {
    await page.keyboard.press('Escape');
    let w = await widget(page);
    assert.equal(w.expanded, 'false');
    assert.equal(await page.evaluate(() => document.querySelector('tim-kiem').query), 'nhat ban');
    await page.keyboard.press('Escape');
    w = await widget(page);
    assert.equal(await page.evaluate(() => document.querySelector('tim-kiem').query), '');
    assert.equal(w.options.length, 0);
  });

  await t.step('no results: a clear message', async () => {
    await page.keyboard.type('zzzzqqq');
    const w = await widget(page);
    assert.equal(w.options.length, 0);
    assert.match(w.empty, /Không có kết quả/);
    assert.equal(w.status, 'Không có kết quả');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  });

  await t.step('typo-tolerant and Telex queries find Nhật Bản', async () => {
    for (const q of ['nhaajt banr', 'Nhật Bản', 'NHAT BAN']) {
      const titles = await page.evaluate(async (q) => {
        const box = document.querySelector('tim-kiem');
        const shown = new Promise((resolve) => box.addEventListener('tim-kiem-results', resolve, { once: true }));
        box.query = q;
        await shown;
        return box.results.map((h) => h.title);
      }, q);
      assert.ok(titles.length > 0, `results for ${q}`);
    }
  });

  await t.step('clicking a result (mouse) opens it in the reader', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.keyboard.press('Escape'); // the list covers the hint chips
    await page.click('.chip[data-q="dan mach"]');
    await page.waitForFunction(() => document.querySelector('tim-kiem').shadowRoot.querySelector('input').getAttribute('aria-expanded') === 'true');
    const option = page.locator('tim-kiem [role="option"]').nth(1);
    const title = await option.locator('[part="title"]').textContent();
    assert.match(await option.getAttribute('href'), /#doc=\d+&q=dan\+mach$/, 'links are reader permalinks');
    await option.click();
    await page.waitForFunction((t) => document.querySelector('#reader-title').textContent === t, title);
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal((await widget(page)).expanded, 'false');
    assert.match(page.url(), /&q=dan\+mach$/);
  });

  await t.step('hostile titles, snippets and paths render as inert text', async () => {
    const r = await page.evaluate(async () => {
      window.__pwned = 0;
      const evil = '<img src=x onerror="window.__pwned++"></mark><script>window.__pwned++</script>';
      const paths = ['javascript:window.__pwned++', ' JaVaScRiPt:alert(1)', 'java\tscript:alert(1)',
        '\u0001javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)',
        '//evil.example/x', 'docs/a b#c?.txt', 'https://example.com/doc.html'];
      const hits = paths.map((path, id) => ({
        id, path, title: evil, snippet: `x ${evil} y`, score: 1,
        highlights: [[2, 12], [8, 4], [-5, 1], [1e9, 2e9], ['a', 'b']], titleHighlights: [[0, 4]],
      }));
      const engine = { query: async () => ({ hits, total: 99 }) };
      const box = document.createElement('tim-kiem');
      box.engine = engine; // set before upgrade/connection: must still be used
      document.body.append(box);
      const shown = new Promise((resolve) => box.addEventListener('tim-kiem-results', resolve, { once: true }));
      box.query = 'evil';
      await shown;
      const root = box.shadowRoot;
      const result = {
        imgs: root.querySelectorAll('img, script').length,
        titles: [...root.querySelectorAll('[part="title"]')].map((e) => e.textContent),
        marks: [...root.querySelectorAll('[part="snippet"] mark')].map((e) => e.textContent),
        links: [...root.querySelectorAll('a[role="option"]')].map((a) => a.href),
        options: root.querySelectorAll('[role="option"]').length,
        count: root.querySelector('[part="count"]').textContent,
      };
      box.remove();
      return result;
    });
    await page.waitForTimeout(100);
    assert.equal(r.imgs, 0);
    assert.equal(r.options, 9);
    assert.ok(r.titles.every((x) => x === '<img src=x onerror="window.__pwned++"></mark><script>window.__pwned++</script>'));
    assert.equal(r.marks[0], '<img src=x');
    assert.match(r.count, /9 \/ 99 kết quả/);
    const base = server.url;
    assert.deepEqual(r.links, [
      `${base}evil.example/x`,
      `${base}docs/a%20b%23c%3F.txt`,
      'https://example.com/doc.html',
    ]);
    assert.equal(await page.evaluate(() => window.__pwned), 0);
  });

  await t.step('no console errors, failed requests or CSP violations', async () => {
    const csp = await page.evaluate(() => window.__csp);
    assert.deepEqual(csp, [], 'CSP violations');
    assert.deepEqual(problems, [], 'console/page problems');
  });
  await context.close();

  await t.step('phone layout (docs/screenshot-phone.png)', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'light',
    });
    const p = await phone.newPage();
    const problems = watch(p);
    await recordCsp(p);
    await p.goto(server.url, { waitUntil: 'load' });
    await p.waitForFunction(() => document.documentElement.classList.contains('ready'));
    await p.tap('tim-kiem');
    await p.keyboard.type('nhaajt banr', { delay: 20 }); // Telex for "nhật bản"
    await p.waitForFunction(() => document.querySelector('tim-kiem').shadowRoot.querySelectorAll('[role="option"]').length > 0);
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px too wide)`);
    await p.screenshot({ path: path.join(shots, 'screenshot-phone.png') });
    const option = p.locator('tim-kiem [role="option"]').first();
    const title = await option.locator('[part="title"]').textContent();
    await option.tap();
    await p.waitForFunction((t) => document.querySelector('#reader-title').textContent === t, title);
    assert.equal(await p.evaluate(() => document.querySelector('tim-kiem').shadowRoot.activeElement), null,
      'the box lets go of focus (on-screen keyboard) after a tap on a result');
    assert.deepEqual(await p.evaluate(() => window.__csp), []);
    assert.deepEqual(problems, []);
    await phone.close();
  });

  await t.step('a permalink (#doc=ID&q=QUERY) opens that document, highlighted', async () => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    const problems = watch(p);
    await p.goto(`${server.url}#doc=3&q=nhat%20ban`, { waitUntil: 'load' });
    await p.waitForFunction(() => document.documentElement.classList.contains('ready'));
    const r = await p.evaluate(() => ({
      title: document.querySelector('#reader-title').textContent,
      expected: customElements.get('tim-kiem').engine.getDocument(3).title,
      query: document.querySelector('tim-kiem').query,
      marks: document.querySelectorAll('#reader-body mark').length,
      expanded: document.querySelector('tim-kiem').shadowRoot.querySelector('input').getAttribute('aria-expanded'),
    }));
    assert.equal(r.title, r.expected);
    assert.equal(r.query, 'nhat ban');
    assert.ok(r.marks > 0);
    assert.equal(r.expanded, 'false', 'no list opened over the page');
    await p.click('.back');
    await p.click('.doc-list li:nth-child(2) a');
    await p.waitForFunction(() => /#doc=1$/.test(location.hash));
    assert.equal(await p.textContent('#reader-title'), await p.evaluate(() => customElements.get('tim-kiem').engine.getDocument(1).title));
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  await t.step('without a cancelling listener, Enter follows the result link', async () => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto(server.url, { waitUntil: 'load' });
    await p.waitForFunction(() => document.documentElement.classList.contains('ready'));
    await p.evaluate(() => {
      const box = document.createElement('tim-kiem');
      box.setAttribute('href-prefix', 'demo.css?');
      box.engine = {
        query: async () => ({
          hits: [{ id: 7, title: 'Đích', path: 'chosen', score: 1, snippet: '', highlights: [], titleHighlights: [] }],
          total: 1,
        }),
      };
      document.body.prepend(box);
      box.focus();
    });
    await p.keyboard.type('x');
    await p.waitForFunction(() => document.querySelector('tim-kiem').shadowRoot.querySelectorAll('[role="option"]').length === 1);
    await Promise.all([p.waitForURL(/demo\.css\?chosen$/), p.keyboard.press('Enter')]);
    await ctx.close();
  });
} finally {
  await browser.close();
  await server.close();
}
t.done();
