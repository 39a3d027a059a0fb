// What Vietnamese readers really type (issue 13), in headless Firefox ESR
// through WebDriver: the cases of relevance-cases.mjs through query() of
// pkg/timkiem.js over the seeds. Needs www/pkg (make pkg) and
// `scripts/setup.sh --browser`.
//   node tests/e2e/firefox-relevance.test.mjs
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { ROOT, serve, runner } from './harness.mjs';
import { requireFirefox, launchFirefox, watch, until } from './webdriver.mjs';
import { QUERIES, runInPage, check } from './relevance-cases.mjs';

const www = path.join(ROOT, 'www');
if (!fs.existsSync(path.join(www, 'pkg'))) {
  console.error('www/pkg is missing: run `make pkg` first');
  process.exit(1);
}
requireFirefox();
const server = await serve(www);
const t = runner('relevance (firefox)');
let driver;
try {
  driver = await launchFirefox();
  const problems = await watch(driver);
  await driver.get(server.url);
  await until(driver, 'the demo is ready', () => document.documentElement.classList.contains('ready'), [], 30000);
  await driver.manage().setTimeouts({ script: 60000 });
  // runInPage, sent as source: WebDriver runs it with the queries and
  // hands back its answer through the callback.
  const results = await driver.executeAsyncScript(
    `const done = arguments[arguments.length - 1];
     (${runInPage.toString()})(arguments[0]).then(done, (e) => done({ error: String(e && e.stack || e) }));`,
    QUERIES);
  if (results.error) throw new Error(results.error);
  await check(results, (label, fn) => t.step(label, fn));
  await t.step('no console or page errors', () => assert.deepEqual(problems, []));
} finally {
  await driver?.quit();
  await server.close();
}
t.done();
