// The demo page: <tim-kiem> in the header, a reader pane for the chosen
// document, index statistics in a side column. No imports: the engine comes from
// the element class that tim-kiem.js registers, so the single-file build
// (scripts/dist.mjs) can inline this file as it is.

const $ = (selector) => document.querySelector(selector);
const box = $('tim-kiem');
const reader = $('#reader');
const eyebrow = $('#reader-eyebrow');
const heading = $('#reader-title');
const meta = $('#reader-meta');
const body = $('#reader-body');
const lede = [...meta.childNodes].map((node) => node.cloneNode(true));
const num = new Intl.NumberFormat('vi-VN');
const ms = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

await customElements.whenDefined('tim-kiem');
const TimKiem = customElements.get('tim-kiem');
const { engine, appendMarked } = TimKiem;
const permalink = (id, query) => `#${new URLSearchParams(query.trim() ? { doc: id, q: query } : { doc: id })}`;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function setStat(name, value) {
  const dd = document.querySelector(`[data-stat="${name}"]`);
  if (dd) dd.textContent = value;
}

function showStats() {
  try {
    const s = engine.stats();
    setStat('documents', num.format(s.documents));
    setStat('terms', num.format(s.terms));
    setStat('indexBytes', `${num.format(Math.round(s.indexBytes / 1024))} KB`);
    return s;
  } catch (error) {
    setStat('documents', '?');
    console.error(error);
    return { documents: 0 };
  }
}

// A document's paragraphs as [start, end) offsets, so highlight ranges
// (UTF-16 offsets into the whole text) can be applied to each piece. The
// index stores one paragraph per line: the corpus reader decided at build
// time where paragraphs end (hard-wrapped .txt lines joined, HTML and
// Markdown blocks), so this only splits on what it gives.
function paragraphs(text) {
  const out = [];
  let start = 0;
  for (const line of text.split('\n')) {
    if (line.trim()) out.push([start, start + line.length]);
    start += line.length + 1;
  }
  return out;
}

function showHome() {
  eyebrow.textContent = 'Bộ sưu tập';
  heading.textContent = 'Tìm kiếm tiếng Việt, ngay trong trình duyệt';
  meta.className = 'meta';
  meta.replaceChildren(...lede.map((node) => node.cloneNode(true)));
  if (stats.layout === 'split') {
    // A split index fetches documents as results show them: listing them
    // all would fetch the whole collection.
    body.replaceChildren(el('p', 'section-title', `${stats.documents} tài liệu trong chỉ mục: hãy tìm kiếm.`));
    return;
  }
  const list = el('ol', 'doc-list');
  for (let id = 0; id < stats.documents; id++) {
    let doc;
    try { doc = engine.getDocument(id); } catch { continue; }
    const item = el('li');
    const link = el('a', 'doc-link', doc.title || doc.path);
    link.href = permalink(id, ''); // opened by the hashchange listener
    item.append(link, el('span', 'doc-path', doc.path));
    list.append(item);
  }
  body.replaceChildren(el('h2', 'section-title', 'Các tài liệu trong chỉ mục'), list);
}

// The ranges of the words matching `query` in document `id`'s title and
// text, from one engine call (which fetches what a split index needs).
async function highlightsFor(id, query) {
  if (!query.trim()) return { title: [], text: [] };
  const { fuzzy, telex, vni, exactDiacritics } = box.searchOptions;
  try {
    return await engine.documentHighlightsAsync(id, query, { fuzzy, telex, vni, exactDiacritics });
  } catch (error) {
    console.error(error);
    return { title: [], text: [] };
  }
}

let opening = 0; // the newest open(): an older one that resolves later is dropped

async function open(id, query) {
  const seq = ++opening;
  let doc, marks;
  try {
    [doc, marks] = await Promise.all([engine.getDocumentAsync(id), highlightsFor(id, query)]);
  } catch {
    if (seq === opening) showHome();
    return;
  }
  if (seq !== opening) return;
  const ranges = marks.text;
  eyebrow.textContent = query.trim() ? `Kết quả cho “${query.trim()}”` : 'Tài liệu';
  if (doc.title) {
    heading.replaceChildren();
    appendMarked(heading, doc.title, marks.title);
  } else {
    heading.textContent = doc.path;
  }

  const parts = [el('span', 'path', doc.path)];
  if (ranges.length) parts.push(el('span', 'matches', `${num.format(ranges.length)} chỗ khớp`));
  const back = el('button', 'back', '← Danh sách');
  back.type = 'button';
  back.addEventListener('click', () => { history.replaceState(null, '', location.pathname + location.search); showHome(); });
  parts.push(back);
  meta.className = 'meta doc-meta';
  meta.replaceChildren(...parts);

  const text = String(doc.text ?? '');
  const paras = paragraphs(text).map(([s, e]) => {
    const p = el('p');
    appendMarked(p, text, ranges, s, e);
    return p;
  });
  body.replaceChildren(...(paras.length ? paras : [el('p', 'no-text', 'Tài liệu này chỉ có tiêu đề.')]));

  history.replaceState(null, '', permalink(id, query));
  // Show the title, unless the first match would then be below the fold.
  reader.scrollIntoView({ block: 'start' });
  const first = body.querySelector('mark');
  if (first && first.getBoundingClientRect().bottom > innerHeight * 0.8) first.scrollIntoView({ block: 'center' });
}

// Opens the document named in the URL's #doc=ID&q=QUERY, if any.
function restore() {
  const state = new URLSearchParams(location.hash.slice(1));
  const id = state.get('doc') ?? '';
  if (!/^\d{1,9}$/.test(id)) return showHome();
  const q = state.get('q') || '';
  if (box.query !== q) box.query = q;
  open(Number(id), q);
}

// Result links open the document in this reader (e.g. in a new tab).
box.hrefFor = (hit, query) => permalink(hit.id, query);
addEventListener('hashchange', restore);

box.addEventListener('tim-kiem-select', (ev) => {
  ev.preventDefault(); // read it here instead of following the link
  open(ev.detail.id, ev.detail.query);
  if (matchMedia('(pointer: coarse)').matches) box.blur(); // put the on-screen keyboard away
});

box.addEventListener('tim-kiem-results', (ev) => {
  setStat('elapsed', ev.detail.query.trim() ? `${ms.format(ev.detail.elapsed)} ms` : '–');
});

// The suggested queries are for the sample corpus: hide those that find
// nothing in this one.
const chips = [...document.querySelectorAll('[data-q]')];
for (const chip of chips) {
  chip.hidden = true;
  engine.countAsync(chip.dataset.q).then(
    (n) => { chip.hidden = n === 0; $('.hint').hidden = chips.every((c) => c.hidden); },
    () => {},
  );
  chip.addEventListener('click', () => {
    box.query = chip.dataset.q;
    box.focus();
  });
}
$('.hint').hidden = chips.every((chip) => chip.hidden);

const stats = showStats();
restore();
document.documentElement.classList.add('ready');
