// safeHref/safeUrl from www/tim-kiem-element.js, in node (no browser): which
// document paths may become result links. Node's URL parser is the WHATWG one
// browsers use, so the tricks below behave as they would in a page.
//   node tests/e2e/links.test.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, runner } from './harness.mjs';

// Imported from source as a data: URL, since the repo's package.json doesn't
// declare www/*.js as ES modules (node would warn).
const source = fs.readFileSync(path.join(ROOT, 'www', 'tim-kiem-element.js'), 'utf8');
const { safeHref, safeUrl } = await import(`data:text/javascript,${encodeURIComponent(source)}`);

const t = runner('links');
const base = 'https://site.example/search/index.html';

await t.step('relative paths are percent-encoded and resolved', () => {
  assert.equal(safeHref('000_b8840c19ae7710c0.txt', '', base), 'https://site.example/search/000_b8840c19ae7710c0.txt');
  assert.equal(safeHref('tin tức/Nhật Bản.html', '', base),
    'https://site.example/search/tin%20t%E1%BB%A9c/Nh%E1%BA%ADt%20B%E1%BA%A3n.html');
  assert.equal(safeHref('a b#c?.txt', '', base), 'https://site.example/search/a%20b%23c%3F.txt');
  assert.equal(safeHref('x.html', '/docs/', base), 'https://site.example/docs/x.html');
  assert.equal(safeHref('x.html', 'https://cdn.example/d/', base), 'https://cdn.example/d/x.html');
});

await t.step('paths cannot escape to another host', () => {
  for (const p of ['//evil.example/x', '\\\\evil.example\\x', '/\\evil.example/x', '///evil.example']) {
    const href = safeHref(p, '', base);
    assert.ok(href === null || new URL(href).host === 'site.example', `${JSON.stringify(p)} -> ${href}`);
  }
});

await t.step('only http(s) absolute URLs are kept', () => {
  assert.equal(safeHref('https://example.com/a?b#c', '', base), 'https://example.com/a?b#c');
  assert.equal(safeHref('  HTTP://example.com/x ', '', base), 'http://example.com/x');
  for (const p of ['ftp://example.com/x', 'file:///etc/passwd', 'blob:https://site.example/1', 'mailto:a@b.c']) {
    assert.equal(safeHref(p, '', base), null, p);
  }
});

await t.step('script-bearing schemes never become links, however disguised', () => {
  const tricks = [
    'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', '\tjavascript:alert(1)',
    'java\tscript:alert(1)', 'java\nscript:alert(1)', 'java\rscript:alert(1)', '\u0001javascript:alert(1)',
    '\u0000javascript:alert(1)', 'javascript\t:alert(1)', '\u00a0javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>', 'DATA:text/html;base64,PHNjcmlwdD4=', 'vbscript:msgbox(1)',
    'javascript://%0aalert(1)', ' \u000bjavascript:alert(1)',
  ];
  for (const p of tricks) {
    const href = safeHref(p, '', base);
    assert.ok(href === null || /^https:\/\/site\.example\//.test(href), `${JSON.stringify(p)} -> ${href}`);
  }
  // Even with a prefix that ends in a scheme, the result is checked.
  assert.equal(safeHref('alert(1)', 'javascript:', base), null);
});

await t.step('file: links only on a file:// page, and only relative ones', () => {
  const fileBase = 'file:///home/me/dist/timkiem.html';
  assert.equal(safeHref('a.txt', '', fileBase), 'file:///home/me/dist/a.txt');
  assert.equal(safeHref('file:///etc/passwd', '', fileBase), null);
  assert.equal(safeHref('javascript:alert(1)', '', fileBase), null);
});

await t.step('safeUrl (hrefFor results) allows relative and http(s) only', () => {
  assert.equal(safeUrl('#doc=3&q=nhat+ban', base), 'https://site.example/search/index.html#doc=3&q=nhat+ban');
  assert.equal(safeUrl('/a', base), 'https://site.example/a');
  assert.equal(safeUrl(' java\tscript:alert(1)', base), null);
  assert.equal(safeUrl('data:,x', base), null);
  assert.equal(safeUrl('http://[bad', base), null);
});

t.done();
