// End-to-end test of the split layout: the demo over a generated
// 1,000-document corpus built with TIMKIEM_LAYOUT=split
// (scripts/build-split-fixture.sh builds it into target/e2e-split/pkg),
// served over HTTP with faults injected into the shard responses.
//   node tests/e2e/split.test.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, serve, launch, watch, recordCsp, runner } from './harness.mjs';

const pkg = process.env.SPLIT_PKG || path.join(ROOT, 'target', 'e2e-split', 'pkg');
if (!fs.existsSync(path.join(pkg, 'shards'))) {
  console.error(`${pkg}/shards is missing: run scripts/build-split-fixture.sh first`);
  process.exit(1);
}

// Faults, set per step: shard file name -> what to do with its response.
let faults = () => null;
const server = await serve(path.join(ROOT, 'www'), {
  mounts: { '/pkg/': pkg },
  fault: (pathname) => (pathname.startsWith('/pkg/shards/') ? faults(pathname.slice('/pkg/shards/'.length)) : null),
});
const shardRequests = () => server.log.filter((p) => p.startsWith('/pkg/shards/'));
const browser = await launch();
const t = runner('split');

const widget = (page) => page.evaluate(() => {
  const root = document.querySelector('tim-kiem').shadowRoot;
  return {
    count: root.querySelector('[part="count"]').textContent,
    loading: root.querySelector('[part="count"]').hasAttribute('data-loading'),
    status: root.querySelector('[role="status"]').textContent,
    empty: root.querySelector('[part="empty"]')?.textContent ?? '',
    titles: [...root.querySelectorAll('[role="option"] [part="title"]')].map((e) => e.textContent),
    snippets: [...root.querySelectorAll('[role="option"] [part="snippet"]')].map((e) => e.textContent),
  };
});

// Sets the box's query as typing would, and waits for that search's results event.
const search = (page, q) => page.evaluate((q) => new Promise((done) => {
  const box = document.querySelector('tim-kiem');
  const on = (ev) => {
    if (ev.detail.query !== q) return;
    box.removeEventListener('tim-kiem-results', on);
    done({ error: ev.detail.error ? String(ev.detail.error.message) : null, total: ev.detail.total, hits: ev.detail.hits.length });
  };
  box.addEventListener('tim-kiem-results', on);
  const input = box.shadowRoot.querySelector('input');
  input.value = q;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}), q);

// The JS API's answer, for comparison (its own fetches are shared).
const apiTitles = (page, q) => page.evaluate(async (q) => {
  const m = await import('/pkg/timkiem.js');
  return (await m.query(q, { limit: 8 })).hits.map((h) => h.title);
}, q);

try {
  const page = await browser.newPage();
  const problems = watch(page);
  await recordCsp(page);

  await t.step('the demo loads under its CSP with no shard fetched', async () => {
    await page.goto(server.url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.classList.contains('ready'), null, { timeout: 30000 });
    const stats = await page.evaluate(async () => (await import('/pkg/timkiem.js')).stats());
    assert.equal(stats.layout, 'split');
    assert.equal(stats.documents, 1000);
    assert.ok(stats.shards > 10, `shards: ${stats.shards}`);
    // The suggested-query chips ask countAsync, which may fetch postings; no documents.
    await page.waitForTimeout(300);
    assert.ok(shardRequests().every((p) => p.includes('/p-')), `documents fetched at start: ${shardRequests()}`);
  });

  await t.step('a query fetches its shards once, in two rounds, and shows hits with snippets', async () => {
    const before = shardRequests().length;
    const r = await search(page, 'nguoi');
    assert.equal(r.error, null);
    assert.ok(r.hits > 0, `hits: ${r.hits}`);
    const w = await widget(page);
    assert.ok(w.snippets.every((s) => s.length > 0), 'snippets');
    const fetched = shardRequests().slice(before);
    assert.ok(fetched.length > 0 && fetched.length <= 12, `fetched ${fetched.length}: ${fetched}`);
    assert.ok(fetched.some((p) => p.includes('/d-')), 'documents fetched for the hits');
    // The same query again, and the JS API's own: nothing fetched again.
    const n = shardRequests().length;
    await search(page, 'nguoi ');
    await search(page, 'nguoi');
    assert.deepEqual(await apiTitles(page, 'nguoi'), w.titles);
    assert.equal(shardRequests().length, n, 'no shard fetched twice');
    const all = shardRequests();
    assert.equal(new Set(all).size, all.length, 'each shard at most once');
  });

  await t.step('a common prefix after another word fetches its bitmap shard, once', async () => {
    const before = shardRequests().length;
    const r = await search(page, 'gia l');
    assert.equal(r.error, null);
    assert.ok(r.hits > 0, `hits: ${r.hits}`);
    const fetched = shardRequests().slice(before);
    assert.ok(fetched.some((p) => p.includes('/b-')), `the bitmap of "l" fetched: ${fetched}`);
    const w = await widget(page);
    const n = shardRequests().length;
    assert.deepEqual(await apiTitles(page, 'gia l'), w.titles);
    assert.equal(shardRequests().length, n, 'nothing fetched again');
  });

  for (const [name, fault, expect] of [
    ['404', { status: 404 }, /HTTP 404/],
    ['500', { status: 500 }, /HTTP 500/],
    ['truncated bytes', { truncate: true }, /refused/],
    ['altered bytes', { alter: true }, /refused/],
  ]) {
    await t.step(`a shard answering ${name} shows an error, and the next keystroke recovers`, async () => {
      const q = { 404: 'thanh pho', 500: 'kinh te', 'truncated bytes': 'van hoa', 'altered bytes': 'giao duc' }[name];
      // The first shard fails at once and the others late, so the error
      // comes while requests made during the outage may still be in flight:
      // the next keystroke must not share them.
      let first = true;
      faults = () => (first ? ((first = false), fault) : { ...fault, delay: 400 });
      const failed = await search(page, q);
      assert.match(String(failed.error), expect);
      const w = await widget(page);
      assert.match(w.empty, /Lỗi tìm kiếm/, `error state: ${JSON.stringify(w)}`);
      assert.equal(w.titles.length, 0);
      faults = () => null;
      const ok = await search(page, q + ' ');
      assert.equal(ok.error, null);
      assert.ok(ok.hits > 0, `${q}: ${ok.hits} hits after recovery`);
    });
  }

  await t.step('a slow fetch shows the loading hint, a fast one does not', async () => {
    faults = () => ({ delay: 900 });
    const pending = search(page, 'chinh phu');
    await page.waitForTimeout(500);
    const slow = await widget(page);
    assert.ok(slow.loading && /Đang tải/.test(slow.count), `hint: ${JSON.stringify(slow)}`);
    await pending;
    faults = () => null;
    const done = await widget(page);
    assert.ok(!done.loading && done.titles.length > 0);
    // Cached now: no hint.
    await search(page, 'chinh ph');
    assert.ok(!(await widget(page)).loading);
  });

  await t.step('an older keystroke answered late never replaces a newer one', async () => {
    // The first query's shards are held back; the second's are served at once.
    const slowQuery = 'bong da';
    const fastQuery = 'nguoi';
    faults = () => ({ delay: 1500 });
    const box = await page.evaluateHandle(() => document.querySelector('tim-kiem'));
    await page.evaluate(([q]) => {
      const input = document.querySelector('tim-kiem').shadowRoot.querySelector('input');
      input.value = q;
      input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    }, [slowQuery]);
    await page.waitForTimeout(100);
    faults = () => null;
    await search(page, fastQuery);
    const expected = (await widget(page)).titles;
    await page.waitForTimeout(2000); // the slow answer has arrived by now
    const after = await widget(page);
    assert.deepEqual(after.titles, expected, 'still the newer query\'s results');
    assert.equal(await box.evaluate((b) => b.query), fastQuery);
  });

  await t.step('opening a result fetches its document and highlights it', async () => {
    await search(page, 'nguoi');
    await page.evaluate(() => {
      document.querySelector('tim-kiem').shadowRoot.querySelector('[role="option"]').click();
    });
    await page.waitForFunction(() => document.querySelector('.reader mark') !== null, null, { timeout: 10000 });
  });

  await t.step('no CSP violation, and no problem but the injected faults', async () => {
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    const unexpected = problems.filter((p) => !/HTTP (404|500)|injected|refused|Lỗi|cannot fetch|Failed to load resource/.test(p));
    assert.deepEqual(unexpected, []);
  });
} finally {
  await browser.close();
  await server.close();
  t.done();
}
