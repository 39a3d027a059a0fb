// The npm package in a real bundler: a fresh Vite app (the vite pinned in
// the project's package.json, 8.3.8) installs timkiem-<version>.tgz (made by
// scripts/build-npm.sh) with `npm install --offline`, imports
// `timkiem/element` and `timkiem`, runs `vite build` with no plugin, and the
// built dist/ is served and driven in headless Chromium under a strict CSP:
// typing "nhat ban" shows the seeds' results with highlights, in the
// main-thread element and in <tim-kiem worker> (whose worker Vite emitted as
// a file of its own).
//
// One case per layout. embedded: the tarball at the repository root (the
// seeds, as `make test` builds them). split: runs when
// TIMKIEM_NPM_SPLIT_TARBALL names a tarball built in the split layout (over
// a generated corpus, with TIMKIEM_NPM_SPLIT_QUERY / _TITLE saying what to
// type and expect); `make test` builds that tarball from the split fixture
// (scripts/build-split-fixture.sh, then NPM_PKG=… scripts/build-npm.sh). (Vite emits the shards only if timkiem.js names them
// as new URL(`./shards/${file}`, import.meta.url), which it turns into a
// glob of shards/: checked by hand with Vite 8.3.8. Shards under 4 KiB are
// then inlined as data: URLs, which a connect-src 'self' CSP blocks.)
//   node tests/e2e/vite.test.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, serve, launch, watch, recordCsp, runner } from './harness.mjs';

const version = /^version = "(.*)"$/m.exec(fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'))[1];
const CASES = [
  { layout: 'embedded', tarball: path.join(ROOT, `timkiem-${version}.tgz`), query: 'nhat ban', title: 'Nhật Bản' },
  {
    layout: 'split', tarball: process.env.TIMKIEM_NPM_SPLIT_TARBALL,
    query: process.env.TIMKIEM_NPM_SPLIT_QUERY || 'nhat ban', title: process.env.TIMKIEM_NPM_SPLIT_TITLE || 'Nhật Bản',
    skip: 'TIMKIEM_NPM_SPLIT_TARBALL is not set (make test sets it to the split fixture\'s package)',
  },
];
const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'";

const t = runner('vite');
const browser = await launch();

function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  } catch (error) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${error.stdout}\n${error.stderr}`);
  }
}

// The package's types, as a TypeScript app sees them through the exports
// map (tsc --strict, moduleResolution bundler): right uses compile, and each
// wrong one must be an error (@ts-expect-error fails the check otherwise).
const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
function checkTypes(app) {
  fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler',
      lib: ['es2022', 'dom', 'dom.iterable'], types: [], skipLibCheck: false,
    },
    files: ['types-check.ts'],
  }, null, 2));
  fs.writeFileSync(path.join(app, 'types-check.ts'), `import init, { query, search, count, getDocument, documentHighlights, stats, type Hit } from 'timkiem';
import { TimKiem, engine, workerEngine, defineTimKiem, type TimKiemElement } from 'timkiem/element';
import { createWorkerEngine, type WorkerEngine } from 'timkiem/worker';

await init();
await init({ module_or_path: new URL('x.wasm', import.meta.url) });
const a = await query('nhat ban');
const b = await query('nhat ban', { limit: 5, telex: false });
const total: number = a.total + b.total + count('x') + stats().documents;
const first: Hit | undefined = search('x')[0];
const title: string | undefined = first?.title;
const text: string = getDocument(0).text;
const ranges: [number, number][] = documentHighlights(0, 'x').text;
const el: TimKiemElement | null = document.querySelector('tim-kiem');
if (el) {
  el.query = 'nhat ban';
  el.strings = { none: 'No results' };
  const label: string = el.strings.label;
  el.addEventListener('tim-kiem-select', (e) => { const id: number = e.detail.id; e.preventDefault(); });
  el.addEventListener('tim-kiem-results', (e) => { const ms: number = e.detail.elapsed; });
  el.hrefFor = (hit) => '/doc/' + hit.id;
  el.show();
  el.close();
}
const created = document.createElement('tim-kiem');
created.engine = workerEngine;
const w: WorkerEngine = createWorkerEngine();
const n: Promise<number> = w.count('x');
const sync: number = engine.count('x');
defineTimKiem({ query: async () => ({ hits: [], total: 0 }) }, 'my-search');
const cls: typeof TimKiem = TimKiem;

// @ts-expect-error: limit is a number
query('x', { limit: '5' });
// @ts-expect-error: no such option
query('x', { limt: 5 });
// @ts-expect-error: ids are numbers
getDocument('3');
// @ts-expect-error: worker calls answer promises
const bad: number = w.count('x');
// @ts-expect-error: no such string
el!.strings = { nope: 'x' };
// @ts-expect-error: results is read-only
el!.results = [];
// @ts-expect-error: an engine needs query()
defineTimKiem({}, 'x-search');
export { total, title, text, ranges, n, sync, cls, bad };
`);
  run(process.execPath, [tsc, '-p', app], app);
}

// The results of the <tim-kiem> with this id, from its shadow root.
const results = (page, id) => page.evaluate((id) => {
  const root = document.getElementById(id).shadowRoot;
  return [...root.querySelectorAll('[role="option"]')].map((o) => ({
    title: o.querySelector('[part="title"]').textContent,
    marks: [...o.querySelectorAll('mark')].map((m) => m.textContent),
  }));
}, id);

async function typeInto(page, id, text) {
  await page.locator(`#${id}`).locator('input').click();
  await page.keyboard.type(text, { delay: 20 });
  await page.waitForFunction(([id, text]) => {
    const el = document.getElementById(id);
    return el.query === text && el.shadowRoot.querySelectorAll('[role="option"]').length > 0;
  }, [id, text], { timeout: 20000 });
}

for (const c of CASES) {
  if (!c.tarball) {
    console.log(`skip - ${c.layout} layout: ${c.skip}`);
    continue;
  }
  const app = path.join(ROOT, 'target', `vite-app-${c.layout}`);
  let dist;

  await t.step(`${c.layout}: a fresh app installs ${path.basename(c.tarball)}, its types check, and vite build bundles it`, async () => {
    assert.ok(fs.existsSync(c.tarball), `${c.tarball} is missing: run \`make npm\` first`);
    assert.ok(fs.existsSync(vite), 'node_modules/vite is missing: run scripts/setup.sh');
    fs.rmSync(app, { recursive: true, force: true });
    fs.mkdirSync(app, { recursive: true });
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
      name: `timkiem-vite-${c.layout}`, private: true, type: 'module',
      scripts: { build: 'vite build' },
      dependencies: { timkiem: `file:${c.tarball}` },
    }, null, 2));
    fs.writeFileSync(path.join(app, 'index.html'), `<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${CSP}">
  <title>timkiem in Vite</title>
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
  <script type="module" src="/main.js"></script>
</head>
<body>
  <main>
    <h1>timkiem in Vite</h1>
    <tim-kiem id="plain" inline></tim-kiem>
    <tim-kiem id="worker" worker inline></tim-kiem>
    <p id="engine"></p>
  </main>
</body>
</html>
`);
    fs.mkdirSync(path.join(app, 'public'));
    fs.copyFileSync(path.join(ROOT, 'www', 'favicon.svg'), path.join(app, 'public', 'favicon.svg'));
    fs.writeFileSync(path.join(app, 'main.js'), `import 'timkiem/element';
import { query } from 'timkiem';

// The engine API from the package's main export, next to the element.
const { total } = await query(${JSON.stringify(c.query)});
document.getElementById('engine').textContent = String(total);
`);
    run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], app);
    const pkg = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'timkiem', 'package.json'), 'utf8'));
    assert.equal(pkg.type, 'module');
    assert.deepEqual(Object.keys(pkg.exports).slice(0, 3), ['.', './element', './worker']);
    for (const f of ['README.md', 'LICENSE-MIT', 'LICENSE-APACHE', 'timkiem.d.ts', 'tim-kiem.d.ts']) {
      assert.ok(fs.existsSync(path.join(app, 'node_modules', 'timkiem', f)), `package has ${f}`);
    }
    checkTypes(app);
    const out = run(process.execPath, [vite, 'build'], app);
    console.log(out.replace(/^/gm, '  | ').trimEnd());
    dist = path.join(app, 'dist');
    const assets = fs.readdirSync(path.join(dist, 'assets'));
    assert.ok(assets.some((f) => f.endsWith('.wasm')), `the wasm is emitted as an asset: ${assets}`);
    assert.ok(assets.some((f) => /worker/i.test(f) && f.endsWith('.js')), `the worker is emitted as a file: ${assets}`);
    for (const f of assets.filter((f) => f.endsWith('.js'))) {
      assert.doesNotMatch(fs.readFileSync(path.join(dist, 'assets', f), 'utf8'), /URL\.createObjectURL|blob:/, `${f} makes no blob: URL`);
    }
  });
  if (!dist) continue;

  const server = await serve(dist);
  const page = await browser.newPage();
  const problems = watch(page);
  await recordCsp(page);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  try {
    await t.step(`${c.layout}: typing "${c.query}" shows results with highlights`, async () => {
      await page.goto(server.url, { waitUntil: 'load' });
      await page.waitForFunction(() => document.getElementById('engine').textContent !== '', null, { timeout: 20000 });
      assert.ok(Number(await page.textContent('#engine')) >= 1, 'query() from `timkiem` finds documents');
      await typeInto(page, 'plain', c.query);
      const hits = await results(page, 'plain');
      assert.ok(hits.some((h) => h.title.includes(c.title)), `titles: ${hits.map((h) => h.title)}`);
      assert.ok(hits.every((h) => h.marks.length > 0), `every result has highlights: ${JSON.stringify(hits)}`);
      assert.ok(requests.some((u) => /\/assets\/[^/]*\.wasm$/.test(u)), `wasm loaded from assets/: ${requests}`);
    });

    await t.step(`${c.layout}: <tim-kiem worker> gives the same results from a worker file`, async () => {
      await typeInto(page, 'worker', c.query);
      assert.deepEqual(await results(page, 'worker'), await results(page, 'plain'));
      assert.equal(workers.length, 1, `one worker: ${workers}`);
      assert.match(workers[0], new RegExp(`^${server.url}assets/.*\\.js$`), 'the worker is a same-origin file');
    });

    await t.step(`${c.layout}: no CSP violations, console errors or failed requests`, async () => {
      assert.deepEqual(await page.evaluate(() => window.__csp), []);
      assert.deepEqual(problems, []);
    });
  } finally {
    await page.close();
    await server.close();
  }
}

await browser.close();
t.done();
