// End-to-end test of the demo page (www/) in headless Firefox ESR, driven
// through WebDriver (selenium-webdriver + geckodriver), under the page's own
// CSP. Drives the page only through the DOM (the <tim-kiem> shadow root, the
// keyboard, the reader), never through the engine's JavaScript API.
// Needs www/pkg (make pkg) and `scripts/setup.sh --browser`.
//   node tests/e2e/firefox.test.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { By, Key } from 'selenium-webdriver';
import { ROOT, serve, runner } from './harness.mjs';
import { requireFirefox, binaries, launchFirefox, watch, httpErrors, until, settle } from './webdriver.mjs';

const www = path.join(ROOT, 'www');
if (!fs.existsSync(path.join(www, 'pkg'))) {
  console.error('www/pkg is missing: run `make pkg` first');
  process.exit(1);
}
requireFirefox();

// The widget's state, read from its shadow DOM in the page.
function widgetState() {
  const root = document.querySelector('tim-kiem').shadowRoot;
  const input = root.querySelector('input');
  const options = [...root.querySelectorAll('[role="option"]')];
  return {
    value: input.value,
    expanded: input.getAttribute('aria-expanded'),
    active: input.getAttribute('aria-activedescendant'),
    count: root.querySelector('[part="count"]')?.textContent ?? null,
    status: root.querySelector('[role="status"]')?.textContent ?? null,
    empty: root.querySelector('[part="empty"]')?.textContent ?? null,
    options: options.map((o) => ({
      id: o.id,
      selected: o.getAttribute('aria-selected'),
      title: o.querySelector('[part="title"]').textContent,
      marks: [...o.querySelectorAll('mark')].map((m) => m.textContent),
    })),
  };
}
const widget = (driver) => driver.executeScript(widgetState);

const server = await serve(www);
const t = runner('firefox');
let driver;
try {
  driver = await launchFirefox();
  const caps = await driver.getCapabilities();
  console.log(`# ${caps.getBrowserName()} ${caps.getBrowserVersion()} (${binaries().browser}), geckodriver ${binaries().driver}`);
  const problems = await watch(driver);
  // The combobox input inside <tim-kiem>'s shadow root, through WebDriver.
  const boxInput = async () => {
    const root = await (await driver.findElement(By.css('tim-kiem'))).getShadowRoot();
    return root.findElement(By.css('input'));
  };

  await t.step('page loads under its CSP and shows the index stats', async () => {
    await driver.get(server.url);
    const csp = await driver.findElement(By.css('meta[http-equiv="Content-Security-Policy"]')).getAttribute('content');
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    // The element is upgraded and the engine has answered the demo's stats.
    const docs = await until(driver, 'the documents stat to show a number', () => {
      const box = document.querySelector('tim-kiem');
      const stat = document.querySelector('[data-stat="documents"]')?.textContent.trim();
      return box?.shadowRoot?.querySelector('input') && /^\d+$/.test(stat) ? stat : null;
    });
    assert.ok(Number(docs) >= 1, `documents: ${docs}`);
    const input = await boxInput();
    assert.equal(await input.getAttribute('role'), 'combobox');
    // The shadow root's constructable stylesheet applies despite style-src 'self'.
    const radius = await driver.executeScript(() =>
      getComputedStyle(document.querySelector('tim-kiem').shadowRoot.querySelector('input')).borderTopLeftRadius);
    assert.notEqual(radius, '0px', 'shadow-root stylesheet applied');
  });

  await t.step('"/" focuses the search box', async () => {
    await driver.findElement(By.css('h1')).click();
    await driver.actions().sendKeys('/').perform();
    const focused = await driver.executeScript(() =>
      document.activeElement?.tagName === 'TIM-KIEM' &&
      document.activeElement.shadowRoot.activeElement?.tagName === 'INPUT');
    assert.ok(focused, 'the input in the shadow root has focus');
    assert.equal((await widget(driver)).value, '', '"/" is not typed into the box');
  });

  await t.step('typing "nhat ban" lists Nhật Bản with <mark> highlights', async () => {
    const input = await boxInput();
    await input.sendKeys('nhat ban');
    await settle(driver);
    await until(driver, 'a result titled "Nhật Bản" for "nhat ban"', () =>
      [...document.querySelector('tim-kiem').shadowRoot.querySelectorAll('[role="option"] [part="title"]')]
        .some((title) => title.textContent.normalize('NFC').includes('Nhật Bản')));
    const w = await widget(driver);
    assert.equal(w.value, 'nhat ban');
    assert.equal(w.expanded, 'true');
    const titles = w.options.map((o) => o.title);
    assert.ok(titles.some((x) => x.normalize('NFC').includes('Nhật Bản')), `titles: ${titles}`);
    assert.ok(w.options.every((o) => o.marks.length > 0), 'every result has highlights');
    const marks = w.options.flatMap((o) => o.marks).map((m) => m.normalize('NFC').toLowerCase());
    assert.ok(marks.some((m) => m.startsWith('nhật') || m.startsWith('bản')), `marks: ${marks.slice(0, 6)}`);
    assert.match(w.count, /\d+ kết quả/);
    assert.match(w.status, /\d+ kết quả/);
    const root = await (await driver.findElement(By.css('tim-kiem'))).getShadowRoot();
    const visible = await (await root.findElement(By.css('[role="option"] mark'))).isDisplayed();
    assert.ok(visible, 'the first <mark> is displayed');
  });

  await t.step('ArrowDown/ArrowUp move the active option (and wrap)', async () => {
    const input = await boxInput();
    assert.ok((await widget(driver)).options.length > 0, 'no results to move through');
    await input.sendKeys(Key.ARROW_DOWN);
    let w = await widget(driver);
    assert.equal(w.active, w.options[0].id);
    assert.equal(w.options[0].selected, 'true');
    await input.sendKeys(Key.ARROW_UP);
    w = await widget(driver);
    assert.equal(w.active, w.options.at(-1).id, 'wraps to the last');
    await input.sendKeys(Key.ARROW_DOWN, Key.ARROW_DOWN);
    w = await widget(driver);
    assert.equal(w.active, w.options[1 % w.options.length].id);
    assert.equal(w.options.filter((o) => o.selected === 'true').length, 1);
  });

  await t.step('Enter opens the active result in the reader with highlights', async () => {
    const input = await boxInput();
    const w = await widget(driver);
    const active = w.options.find((o) => o.id === w.active);
    assert.ok(active, `no active option (aria-activedescendant: ${w.active})`);
    const title = active.title;
    await input.sendKeys(Key.ENTER);
    await until(driver, `the reader to show "${title}"`,
      (t) => document.querySelector('#reader-title')?.textContent === t, [title]);
    assert.equal(new URL(await driver.getCurrentUrl()).pathname, '/', 'did not navigate away');
    assert.equal((await widget(driver)).expanded, 'false', 'list closed after choosing');
    const marks = await driver.executeScript(() =>
      [...document.querySelectorAll('#reader-body mark')].map((m) => m.textContent));
    assert.ok(marks.some((m) => /nhật|bản/i.test(m.normalize('NFC'))), `reader marks: ${marks.slice(0, 6)}`);
  });

  await t.step('Escape closes the list, then clears the box', async () => {
    const input = await boxInput();
    await input.sendKeys(Key.ARROW_DOWN); // reopens the list
    assert.equal((await widget(driver)).expanded, 'true');
    await input.sendKeys(Key.ESCAPE);
    let w = await widget(driver);
    assert.equal(w.expanded, 'false');
    assert.equal(w.value, 'nhat ban');
    await input.sendKeys(Key.ESCAPE);
    w = await widget(driver);
    assert.equal(w.value, '');
    assert.equal(w.options.length, 0);
  });

  await t.step('Telex without an input method ("nhaajt banr") finds Nhật Bản', async () => {
    const input = await boxInput();
    await input.sendKeys('nhaajt banr');
    await settle(driver);
    await until(driver, 'a result titled "Nhật Bản" for "nhaajt banr"', () =>
      [...document.querySelector('tim-kiem').shadowRoot.querySelectorAll('[role="option"] [part="title"]')]
        .some((title) => title.textContent.normalize('NFC').includes('Nhật Bản')));
    assert.equal((await widget(driver)).value, 'nhaajt banr');
    await input.sendKeys(Key.ESCAPE, Key.ESCAPE);
  });

  await t.step('no results: a clear message', async () => {
    const input = await boxInput();
    await input.sendKeys('zzzzqqq');
    await settle(driver);
    await until(driver, 'no results for "zzzzqqq"', () =>
      document.querySelector('tim-kiem').shadowRoot.querySelectorAll('[role="option"]').length === 0 &&
      /Không có kết quả/.test(document.querySelector('tim-kiem').shadowRoot.querySelector('[role="status"]').textContent));
    const w = await widget(driver);
    assert.equal(w.value, 'zzzzqqq');
    assert.equal(w.options.length, 0);
    assert.match(w.empty, /Không có kết quả/);
    assert.equal(w.status, 'Không có kết quả');
    await input.sendKeys(Key.ESCAPE, Key.ESCAPE);
  });

  await t.step('no console errors or warnings, JavaScript errors, CSP violations or HTTP errors', async () => {
    await new Promise((ok) => setTimeout(ok, 200)); // let the last log events arrive
    assert.deepEqual(await httpErrors(driver), [], 'HTTP errors');
    assert.deepEqual(problems, [], 'console and JavaScript errors, CSP violations');
  });
} catch (error) {
  await t.step('Firefox session', () => { throw error; });
} finally {
  await driver?.quit().catch((e) => console.error(`firefox: quit failed: ${e.message}`));
  await server.close();
}
t.done();
