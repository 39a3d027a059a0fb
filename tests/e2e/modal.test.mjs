// <tim-kiem modal> and <tim-kiem worker> in headless Chromium, over www/pkg
// (make pkg), under a strict CSP: the dialog's keyboard and pointer
// behaviour, focus trap and return, recent searches (also with storage
// blocked), the phone layout, and axe-core over the page in each state
// (and over the plain combobox as the baseline); the worker engine's results
// against the main thread's, with no wasm loaded on the main thread.
//   node tests/e2e/modal.test.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, serve, launch, watch, recordCsp, runner } from './harness.mjs';

if (!fs.existsSync(path.join(ROOT, 'www', 'pkg', 'timkiem-worker.js'))) {
  console.error('www/pkg/timkiem-worker.js is missing: run `make pkg` first');
  process.exit(1);
}
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
if (!fs.existsSync(AXE)) {
  console.error('node_modules/axe-core is missing: run scripts/setup.sh');
  process.exit(1);
}

const server = await serve(ROOT); // fixtures, www/pkg and axe-core, all same-origin
const browser = await launch();
const t = runner('modal');
const MODAL = `${server.url}tests/e2e/fixtures/modal.html`;

// axe-core over the whole page (open shadow roots included); fails with
// each violation's rule, impact and nodes.
async function axe(page, label) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    await page.addScriptTag({ url: `${server.url}node_modules/axe-core/axe.min.js` });
  }
  const violations = await page.evaluate(async () => (await window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
  })).violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n      ${v.nodes.map((n) => n.target.join(' > ')).join('\n      ')}`));
  assert.deepEqual(violations, [], `axe, ${label}:\n  ${violations.join('\n  ')}`);
}

// The state of the modal element, from its shadow root.
const state = (page) => page.evaluate(() => {
  const host = document.getElementById('modal');
  const root = host.shadowRoot;
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  const dialog = root.querySelector('dialog');
  const list = root.querySelector('[role="listbox"]');
  return {
    open: dialog.open,
    focus: active === document.body ? 'body' : active?.id || active?.className || active?.tagName,
    focusInDialog: dialog.contains(active),
    expanded: root.querySelector('input').getAttribute('aria-expanded'),
    listLabel: list.getAttribute('aria-label'),
    options: [...list.querySelectorAll('[role="option"]')].filter(() => !list.hidden && !list.closest('[hidden]'))
      .map((o) => ({ text: o.querySelector('[part="title"]').textContent, marks: o.querySelectorAll('mark').length })),
    button: root.querySelector('[part="button"]').textContent,
    recentShown: !root.querySelector('[part="recent"]').hidden,
  };
});

const waitOptions = (page, pred) => page.waitForFunction(`(() => {
  const root = document.getElementById('modal').shadowRoot;
  const list = root.querySelector('[role="listbox"]');
  const n = list.closest('[hidden]') || list.hidden ? 0 : list.querySelectorAll('[role="option"]').length;
  return (${pred})(n, root);
})()`, null, { timeout: 15000 });

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = watch(page);
  await recordCsp(page);
  // Pages cancel the select event to stay put (as the demo does).
  await page.addInitScript(() => {
    window.__selected = [];
    document.addEventListener('tim-kiem-select', (e) => { window.__selected.push(e.detail.hit.title); e.preventDefault(); });
  });

  await t.step('closed: a compact button with the shortcut hint; axe finds nothing', async () => {
    await page.goto(MODAL, { waitUntil: 'load' });
    await page.waitForFunction(() => customElements.get('tim-kiem') && document.getElementById('modal').shadowRoot.querySelector('[part="button"]'));
    const s = await state(page);
    assert.equal(s.open, false);
    assert.match(s.button, /^Tìm kiếm\s*Ctrl K$/);
    const box = await page.locator('#modal').boundingBox();
    assert.ok(box.width < 300 && box.height < 60, `compact: ${JSON.stringify(box)}`);
    await axe(page, 'closed');
  });

  await t.step('Ctrl K opens the dialog with focus in the box; typing shows results with highlights', async () => {
    await page.focus('#before');
    await page.keyboard.press('Control+k');
    let s = await state(page);
    assert.equal(s.open, true);
    assert.equal(s.focus, 'tk1-input');
    assert.equal(s.expanded, 'false', 'no recent searches yet, nothing listed');
    await page.keyboard.type('nhat ban', { delay: 20 });
    await waitOptions(page, '(n) => n > 0');
    s = await state(page);
    assert.equal(s.expanded, 'true');
    assert.ok(s.options.some((o) => o.text.includes('Nhật Bản')), JSON.stringify(s.options));
    assert.ok(s.options.every((o) => o.marks > 0), 'highlights');
    await axe(page, 'open with results');
  });

  await t.step('Tab and Shift+Tab stay inside the dialog', async () => {
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      const s = await state(page);
      assert.ok(s.focusInDialog, `after ${key}, focus is on ${s.focus}`);
    }
    await page.locator('#modal').locator('input').focus();
  });

  await t.step('Enter chooses a result, closes the dialog and gives focus back', async () => {
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const s = await state(page);
    assert.equal(s.open, false);
    assert.equal(s.focus, 'before', 'focus back where it was before Ctrl K');
    assert.equal((await page.evaluate(() => window.__selected)).length, 1);
    assert.deepEqual(JSON.parse(await page.evaluate(() => localStorage.getItem('tim-kiem:recent'))), ['nhat ban']);
  });

  await t.step('"/" reopens; with the box empty, recent searches are listed and can be searched again', async () => {
    await page.click('h1');
    await page.keyboard.press('/');
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Backspace');
    await waitOptions(page, '(n, root) => n === 1 && !root.querySelector(\'[part="recent"]\').hidden');
    let s = await state(page);
    assert.equal(s.open, true);
    assert.equal(s.listLabel, 'Tìm kiếm gần đây');
    assert.deepEqual(s.options.map((o) => o.text), ['nhat ban']);
    await axe(page, 'open with recent searches');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await waitOptions(page, '(n, root) => root.querySelector("input").value === "nhat ban" && n > 1');
    s = await state(page);
    assert.ok(s.options.some((o) => o.text.includes('Nhật Bản')));
  });

  await t.step('Escape closes and gives focus back to the button', async () => {
    await page.keyboard.press('Escape');
    let s = await state(page);
    assert.equal(s.open, false);
    assert.equal(s.focus, 'trigger', 'opened from the page body: focus goes to the button');
    await page.locator('#modal').locator('[part="button"]').click();
    s = await state(page);
    assert.equal(s.open, true);
    await page.keyboard.press('Escape');
    s = await state(page);
    assert.equal(s.open, false);
    assert.equal(s.focus, 'trigger', 'focus back on the button');
  });

  await t.step('a click outside closes it', async () => {
    await page.locator('#modal').locator('[part="button"]').click();
    assert.equal((await state(page)).open, true);
    await page.mouse.click(10, 790);
    const s = await state(page);
    assert.equal(s.open, false);
    assert.equal(s.focus, 'trigger');
  });

  await t.step('recent searches can be cleared', async () => {
    await page.keyboard.press('Control+k');
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Backspace');
    await waitOptions(page, '(n) => n === 1');
    await page.locator('#modal').locator('[part="clear"]').click();
    const s = await state(page);
    assert.deepEqual(s.options, []);
    assert.equal(s.recentShown, false);
    assert.equal(s.focus, 'tk1-input');
    assert.equal(await page.evaluate(() => localStorage.getItem('tim-kiem:recent')), null);
    await page.keyboard.press('Escape');
  });

  await t.step('the plain combobox (the baseline) passes axe with results open', async () => {
    await page.locator('#box').locator('input').click();
    await page.keyboard.type('nhat ban', { delay: 20 });
    await page.waitForFunction(() => document.getElementById('box').shadowRoot.querySelectorAll('[role="option"]').length > 0);
    await axe(page, 'plain combobox with results');
  });

  await t.step('no CSP violations, console errors or failed requests', async () => {
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(problems, []);
  });
  await context.close();

  await t.step('storage blocked: no errors, recent searches kept for the page', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await ctx.newPage();
    const issues = watch(p);
    await p.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } });
      document.addEventListener('tim-kiem-select', (e) => e.preventDefault());
    });
    await p.goto(MODAL, { waitUntil: 'load' });
    await p.waitForFunction(() => document.getElementById('modal').shadowRoot?.querySelector('[part="button"]'));
    await p.keyboard.press('Control+k');
    await p.keyboard.type('nhat ban', { delay: 20 });
    await waitOptions(p, '(n) => n > 0');
    await p.keyboard.press('Enter');
    assert.equal((await state(p)).open, false);
    await p.keyboard.press('Control+k');
    await p.keyboard.press('Control+a');
    await p.keyboard.press('Backspace');
    await waitOptions(p, '(n) => n === 1');
    assert.deepEqual((await state(p)).options.map((o) => o.text), ['nhat ban']);
    assert.deepEqual(issues, []);
    await ctx.close();
  });

  await t.step('on a phone the dialog fills the screen; axe finds nothing', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const p = await ctx.newPage();
    await p.goto(MODAL, { waitUntil: 'load' });
    await p.waitForFunction(() => document.getElementById('modal').shadowRoot?.querySelector('[part="button"]'));
    await p.locator('#modal').locator('[part="button"]').tap();
    const box = await p.evaluate(() => {
      const r = document.getElementById('modal').shadowRoot.querySelector('dialog').getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    });
    assert.deepEqual(box, { x: 0, y: 0, width: 390, height: 844 });
    await axe(p, 'phone, open');
    await p.locator('#modal').locator('[part="close"]').tap();
    assert.equal((await state(p)).open, false);
    await ctx.close();
  });

  await t.step('<tim-kiem worker>: same results as the main thread, no wasm on the main thread', async () => {
    const p = await browser.newPage();
    const issues = watch(p);
    await recordCsp(p);
    const workers = [];
    p.on('worker', (w) => workers.push(w.url()));
    await p.goto(`${server.url}tests/e2e/fixtures/worker.html`, { waitUntil: 'load' });
    await p.locator('#w').locator('input').click();
    await p.keyboard.type('nhat ban', { delay: 20 });
    await p.waitForFunction(() => document.getElementById('w').shadowRoot.querySelectorAll('[role="option"]').length > 0, null, { timeout: 15000 });
    const shown = await p.evaluate(() => document.getElementById('w').results);
    assert.deepEqual(workers, [`${server.url}www/pkg/timkiem-worker.js`]);
    // Only the worker fetched the wasm: the page's own resource timeline has none.
    const wasmOnMain = await p.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((u) => u.endsWith('.wasm')));
    assert.deepEqual(wasmOnMain, []);
    // The main-thread engine, loaded now, answers the same.
    const main = await p.evaluate(async () => (await document.getElementById('w').constructor.engine.query('nhat ban', { limit: 10 })).hits);
    assert.deepEqual(shown, main);
    assert.deepEqual(await p.evaluate(() => window.__csp), []);
    assert.deepEqual(issues, []);
    await p.close();
  });
} finally {
  await browser.close();
  await server.close();
}
t.done();
