// What Vietnamese readers really type (issue 13), through the public JS API
// (`query()` of pkg/timkiem.js over the seeds) in a real browser. Shared by
// relevance.test.mjs (Chromium) and firefox-relevance.test.mjs (Firefox):
// `QUERIES` are run in the page by `runInPage`, and `check` asserts on what
// came back, in node.
import assert from 'node:assert/strict';

// [query, options] pairs, run in the page in this order.
export const QUERIES = [
  // 1. VNI typed without an input method, and genuine numbers.
  ['tie61ng vie65t'], ['tieng61 viet65'], ['d9o6ng a1'], ['d9o6ng a1', { vni: false }], ['nha65t ba3n'],
  ['2023'], ['31/01'], ['G7'],
  // 2. Syllables run together, hashtags and domains.
  ['vanphong'], ['thutuong'], ['#thutuong'], ['vanphong.vn'], ['lienminhbacdaitayduong'], ['vanphong', { fuzzy: false }],
  // 3. Adjacency while the last word is typed: every keystroke of a phrase.
  ['"van phong lien lac"', { limit: 50 }],
  ...['van phong l', 'van phong li', 'van phong lie', 'van phong lien', 'van phong lien l', 'van phong lien la']
    .map((q) => [q]),
  // 4. Exact spellings first, variants after (s/x: "sử" is in the corpus).
  ['sử lý'], ['xử lý'], ['sử lý', { limit: 50, fuzzy: false }],
  // 5. Compatibility characters: fullwidth letters and digits.
  ['ＮＡＴＯ'], ['nato'], ['２０２３'],
  // 6. Confusions as one edit: "xản" is not in the corpus, "sản" is.
  ['xản xuất'], ['nãnh đạo'], ['nãnh đạo', { fuzzy: false }], ['"lãnh đạo"', { limit: 50 }],
  // 7. Did you mean, and the marked spelling found.
  ['nhat bqn'], ['nhat ban'], ['nhật bản'],
];

/** Runs `queries` through query() of the page's /pkg/timkiem.js; returns
 *  per query its total, suggestion, interpretation and per hit its id,
 *  title and highlighted words (title and snippet). Runs in the page. */
export async function runInPage(queries) {
  const timkiem = await import('/pkg/timkiem.js');
  await timkiem.default();
  const out = [];
  for (const [q, options] of queries) {
    const r = await timkiem.query(q, { limit: 10, ...(options || {}) });
    out.push({
      q, options: options || null, total: r.total, suggestion: r.suggestion ?? null,
      interpretation: r.interpretation ?? null, keys: Object.keys(r),
      hits: r.hits.map((h) => ({
        id: h.id, title: h.title,
        marks: [...h.titleHighlights.map(([a, b]) => h.title.slice(a, b)),
          ...h.highlights.map(([a, b]) => h.snippet.slice(a, b))].map((m) => m.toLowerCase()),
      })),
    });
  }
  return out;
}

const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

/** The assertions, step by step, on `results` (runInPage's answer). */
export async function check(results, step) {
  const get = (q, options = null) => {
    // (Options compared key by key: WebDriver may hand objects back with
    // their keys in another order.)
    const same = (a, b) => JSON.stringify(Object.entries(a || {}).sort()) === JSON.stringify(Object.entries(b || {}).sort());
    const r = results.find((x) => x.q === q && same(x.options, options));
    assert.ok(r, `no result for ${q}`);
    return r;
  };
  const ids = (r) => r.hits.map((h) => h.id);
  const marks = (r) => new Set(r.hits.flatMap((h) => h.marks));

  await step('VNI: digits as marks, in the word or after it; off with vni: false; numbers keep working', () => {
    const dongA = get('d9o6ng a1');
    assert.match(dongA.hits[0].title, /Đông Á/);
    assert.ok(dongA.hits[0].marks.includes('đông') && dongA.hits[0].marks.includes('á'), JSON.stringify(dongA.hits[0]));
    const off = get('d9o6ng a1', { vni: false });
    assert.ok(!off.hits.some((h) => h.marks.includes('đông')), JSON.stringify(off.hits));
    const viet = get('tie61ng vie65t');
    assert.ok(viet.total > 0 && marks(viet).has('việt'), JSON.stringify(viet.hits));
    assert.deepEqual(ids(get('tieng61 viet65')), ids(viet));
    const japan = get('nha65t ba3n');
    assert.ok(japan.hits.slice(0, 3).every((h) => h.marks.includes('nhật') && h.marks.includes('bản')), JSON.stringify(japan.hits));
    assert.equal(get('2023').total, 3);
    assert.ok(get('2023').hits.every((h) => h.marks.includes('2023')));
    const date = get('31/01');
    assert.ok(date.total >= 1 && date.hits[0].marks.includes('31') && date.hits[0].marks.includes('01'), JSON.stringify(date.hits));
    assert.equal(get('G7').total, 0);
  });

  await step('run-together syllables: split into the indexed syllables that stand together', () => {
    const office = get('vanphong');
    assert.ok(office.total >= 4, JSON.stringify(office));
    for (const h of office.hits.slice(0, 4)) assert.ok(h.marks.includes('văn') && h.marks.includes('phòng'), JSON.stringify(h));
    assert.equal(get('vanphong', { fuzzy: false }).total, 0, 'a kind of typo: off with fuzzy: false');
    const pm = get('thutuong');
    assert.ok(pm.hits.slice(0, 4).every((h) => h.marks.includes('thủ') && h.marks.includes('tướng')), JSON.stringify(pm.hits));
    assert.deepEqual(ids(get('#thutuong')), ids(pm));
    assert.deepEqual(ids(get('vanphong.vn')).slice(0, 4), ids(office).slice(0, 4));
    const nato = get('lienminhbacdaitayduong');
    for (const w of ['liên', 'minh', 'bắc', 'đại', 'tây', 'dương']) assert.ok(nato.hits[0].marks.includes(w), `${w}: ${JSON.stringify(nato.hits[0])}`);
  });

  await step('adjacency while typing: the documents with the phrase first, at every keystroke', () => {
    const phrase = new Set(ids(get('"van phong lien lac"', { limit: 50 })));
    assert.ok(phrase.size >= 1 && phrase.size < 5, `${[...phrase]}`);
    for (const q of ['van phong l', 'van phong li', 'van phong lie', 'van phong lien', 'van phong lien l', 'van phong lien la']) {
      const r = get(q);
      const top = ids(r).slice(0, phrase.size);
      assert.deepEqual(new Set(top), phrase, `${q}: ${ids(r)} (phrase in ${[...phrase]})`);
    }
  });

  await step('exact spellings first, then their variants (s/x)', () => {
    const plain = get('sử lý', { limit: 50, fuzzy: false });
    const both = get('sử lý');
    assert.ok(both.total > plain.total || both.total === plain.total, `${both.total} ${plain.total}`);
    assert.ok(marks(get('xử lý')).has('xử'));
    // "xử lý" stands together in one article: the variant finds it.
    const xu = get('xử lý');
    assert.ok(ids(both).includes(xu.hits[0].id), `${ids(both)} ${ids(xu)}`);
  });

  await step('compatibility characters fold as their plain forms', () => {
    assert.deepEqual(ids(get('ＮＡＴＯ')), ids(get('nato')));
    assert.ok(get('ＮＡＴＯ').total === 5);
    assert.deepEqual(ids(get('２０２３')), ids(get('2023')));
  });

  await step('spelling confusions are one edit: x for s, n for l (even in a three-letter syllable)', () => {
    const made = get('xản xuất');
    assert.ok(made.total >= 1, JSON.stringify(made));
    // The documents with "lãnh đạo" first.
    const phrase = new Set(ids(get('"lãnh đạo"', { limit: 50 })));
    const leaders = get('nãnh đạo');
    assert.ok(phrase.size >= 2, `${[...phrase]}`);
    assert.deepEqual(new Set(ids(leaders).slice(0, phrase.size)), phrase, JSON.stringify(leaders.hits));
    assert.ok(marks(leaders).has('lãnh'), JSON.stringify(leaders.hits));
    assert.equal(get('nãnh đạo', { fuzzy: false }).total, 0, 'a typo: off with fuzzy: false');
  });

  await step('did you mean, and the marked spelling of a plain query', () => {
    const none = get('nhat bqn');
    assert.equal(none.total, 0);
    assert.equal(none.suggestion, 'nhật bản');
    assert.equal(get('nhat ban').interpretation, 'nhật bản');
    assert.equal(get('nhat ban').suggestion, null);
    assert.equal(get('nhật bản').interpretation, null, 'typed with marks: nothing to say');
    for (const r of results) {
      assert.deepEqual(r.keys.filter((k) => !['hits', 'total', 'suggestion', 'interpretation'].includes(k)), [], r.q);
      assert.ok(r.hits.every((h) => h.marks.every((m) => fold(m).length > 0)));
    }
  });
}
