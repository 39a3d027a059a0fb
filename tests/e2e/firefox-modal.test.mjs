// <tim-kiem modal> and <tim-kiem worker> in headless Firefox ESR through
// WebDriver (the Chromium side, with axe-core, is modal.test.mjs): the
// dialog opens with Ctrl+K, lists results with highlights, closes on Escape
// and gives focus back; the worker element answers like the main thread with
// no wasm fetched by the page itself. Needs www/pkg (make pkg) and
// `scripts/setup.sh --browser`.
//   node tests/e2e/firefox-modal.test.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Key } from 'selenium-webdriver';
import { ROOT, serve, runner } from './harness.mjs';
import { requireFirefox, launchFirefox, watch, httpErrors, until, settle } from './webdriver.mjs';

if (!fs.existsSync(path.join(ROOT, 'www', 'pkg', 'timkiem-worker.js'))) {
  console.error('www/pkg/timkiem-worker.js is missing: run `make pkg` first');
  process.exit(1);
}
requireFirefox('firefox-modal');

function modalState() {
  const root = document.getElementById('modal').shadowRoot;
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  const list = root.querySelector('[role="listbox"]');
  return {
    open: root.querySelector('dialog').open,
    focus: active?.className || active?.tagName,
    focusInDialog: root.querySelector('dialog').contains(active),
    options: list.closest('[hidden]') || list.hidden ? [] : [...list.querySelectorAll('[role="option"]')].map((o) => ({
      title: o.querySelector('[part="title"]').textContent.normalize('NFC'),
      marks: o.querySelectorAll('mark').length,
    })),
  };
}

const server = await serve(ROOT);
const t = runner('firefox-modal');
let driver;
try {
  driver = await launchFirefox();
  const problems = await watch(driver);

  await t.step('modal: Ctrl+K opens the dialog; "nhat ban" lists Nhật Bản with highlights', async () => {
    await driver.get(`${server.url}tests/e2e/fixtures/modal.html`);
    await until(driver, 'the modal button', () => document.getElementById('modal').shadowRoot?.querySelector('[part="button"]'));
    await driver.actions().keyDown(Key.CONTROL).sendKeys('k').keyUp(Key.CONTROL).perform();
    let s = await driver.executeScript(modalState);
    assert.equal(s.open, true);
    assert.ok(s.focusInDialog, `focus: ${s.focus}`);
    await driver.actions().sendKeys('nhat ban').perform();
    await settle(driver);
    s = await until(driver, 'results in the dialog', () => {
      const root = document.getElementById('modal').shadowRoot;
      return root.querySelectorAll('[role="option"] mark').length > 0 && root.querySelector('input').value === 'nhat ban';
    }).then(() => driver.executeScript(modalState));
    assert.ok(s.options.some((o) => o.title.includes('Nhật Bản')), JSON.stringify(s.options));
    assert.ok(s.options.every((o) => o.marks > 0));
  });

  await t.step('modal: Tab stays in the dialog; Escape closes it and focus goes to the button', async () => {
    for (let i = 0; i < 4; i++) {
      await driver.actions().sendKeys(Key.TAB).perform();
      assert.ok((await driver.executeScript(modalState)).focusInDialog, `after ${i + 1} Tab`);
    }
    await driver.actions().sendKeys(Key.ESCAPE).perform();
    const s = await driver.executeScript(modalState);
    assert.equal(s.open, false);
    assert.equal(s.focus, 'trigger');
  });

  await t.step('worker: the same results as the main thread, no wasm fetched by the page', async () => {
    await driver.get(`${server.url}tests/e2e/fixtures/worker.html`);
    await until(driver, 'the element', () => document.getElementById('w')?.shadowRoot?.querySelector('input'));
    await driver.executeScript(() => document.getElementById('w').shadowRoot.querySelector('input').focus());
    await driver.actions().sendKeys('nhat ban').perform();
    await settle(driver);
    await until(driver, 'results from the worker', () => document.getElementById('w').results.length > 0, [], 20000);
    const shown = await driver.executeScript(() => document.getElementById('w').results);
    const wasm = await driver.executeScript(() => performance.getEntriesByType('resource').map((e) => e.name).filter((u) => u.endsWith('.wasm')));
    assert.deepEqual(wasm, [], 'the page itself fetched no wasm');
    const main = await driver.executeAsyncScript((done) => {
      document.getElementById('w').constructor.engine.query('nhat ban', { limit: 10 }).then((r) => done(r.hits), (e) => done(String(e)));
    });
    assert.deepEqual(shown, main);
  });

  await t.step('no console errors, CSP violations or HTTP errors', async () => {
    assert.deepEqual(await httpErrors(driver), []);
    assert.deepEqual(problems, []);
  });
} finally {
  await driver?.quit();
  await server.close();
}
t.done();
