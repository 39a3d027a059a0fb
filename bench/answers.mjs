// Dumps a package's answers to the bench's keystrokes, one JSON line each,
// so that two builds can be diffed (a speed-up must not change an answer):
//
//   node bench/answers.mjs SITE PKG > answers.txt
//
// SITE holds docs.json (the workload is measure.mjs's: every prefix of 150
// sampled phrases); PKG is a folder built by scripts/build-pkg.sh. Each
// keystroke is asked with several option sets in turn (so that anything
// remembered between queries sees them mixed), then every keystroke again in
// reverse order; with query(), count() and documentHighlights() of the first
// hit.
import fs from 'node:fs';
import path from 'node:path';
import { workload } from './measure.mjs';

const [site, pkg] = process.argv.slice(2).map((p) => path.resolve(p));
if (!site || !pkg) {
  console.error('usage: node bench/answers.mjs SITE PKG');
  process.exit(2);
}
const m = await import(path.join(pkg, 'timkiem.js'));
m.initSync({ module: fs.readFileSync(path.join(pkg, 'timkiem_wasm_bg.wasm')) });
const docs = JSON.parse(fs.readFileSync(path.join(site, 'docs.json'), 'utf8'));
const { keystrokes } = workload(docs, 150);
const optionSets = [
  { limit: 10 },
  { limit: 3, offset: 2 },
  { limit: 10, fuzzy: false },
  { limit: 10, exactDiacritics: true },
  { limit: 10, telex: false, vni: false },
  { limit: 0 },
  { limit: 1000 },
];
const out = [];
const ask = async (q, o) => {
  const answer = await m.query(q, o);
  const line = { q, o, answer, total: m.count(q, o) };
  if (answer.hits[0]) line.first = m.documentHighlights(answer.hits[0].id, q, o);
  out.push(JSON.stringify(line));
};
for (const q of keystrokes) for (const o of optionSets) await ask(q, o);
for (const q of [...keystrokes].reverse()) await ask(q, optionSets[0]);
process.stdout.write(out.join('\n') + '\n');
