// Hand-made SVG of the keystroke latency distribution: one panel per corpus,
// one row per engine, on a log scale. No plotting dependencies.
//
// Each row: a whisker from p1 to p99, a box from p25 to p75, a thick tick at
// the median, a thin tick at p90 and a dot at the slowest keystroke.

const COLORS = { timkiem: '#d6336c', 'timkiem (embedded)': '#f783ac', minisearch: '#1c7ed6', pagefind: '#2f9e44', pagefind_nodata: '#66a80f', timkiem_count: '#ae3ec9' };
const esc = s => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

function fmtUs(us) {
  if (us >= 1e6) return `${us / 1e6} s`;
  if (us >= 1e3) return `${us / 1e3} ms`;
  return `${us} µs`;
}

// corpora: [{ name, label, results: { engine: { times_us: [sorted µs] } } }]
export function latencySvg(corpora, { title = 'Keystroke latency (µs, log scale)', subtitle = '' } = {}) {
  const rows = [];
  for (const c of corpora) {
    const engines = Object.entries(c.results).filter(([, r]) => r && r.times_us && r.times_us.length);
    if (!engines.length) continue;
    rows.push({ header: c.label || c.name });
    for (const [engine, r] of engines) {
      const t = r.times_us.map(v => Math.max(v, 0.1));
      rows.push({ engine, p1: pct(t, 0.01), p25: pct(t, 0.25), p50: pct(t, 0.5), p75: pct(t, 0.75),
        p90: pct(t, 0.9), p99: pct(t, 0.99), max: t[t.length - 1], n: t.length });
    }
  }
  const all = rows.filter(r => r.engine).flatMap(r => [r.p1, r.max]);
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(...all, 10))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...all, 100))));

  const W = 920, left = 150, right = 170, top = subtitle ? 62 : 46, rowH = 24, headH = 26, axisH = 40;
  const plotW = W - left - right;
  const x = v => left + (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) * plotW;
  let y = top;
  const body = [];
  for (const r of rows) {
    if (r.header) {
      body.push(`<text x="8" y="${y + 18}" class="h">${esc(r.header)}</text>`);
      body.push(`<line x1="8" x2="${W - 8}" y1="${y + 23}" y2="${y + 23}" stroke="#ced4da"/>`);
      y += headH;
      continue;
    }
    const cy = y + rowH / 2, col = COLORS[r.engine] || (r.engine.startsWith('timkiem') ? COLORS.timkiem : '#495057');
    body.push(`<text x="${left - 10}" y="${cy + 4}" text-anchor="end">${esc(r.engine)}</text>`);
    body.push(`<line x1="${x(r.p1)}" x2="${x(r.p99)}" y1="${cy}" y2="${cy}" stroke="${col}" stroke-width="1.5"/>`);
    for (const v of [r.p1, r.p99]) body.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${cy - 5}" y2="${cy + 5}" stroke="${col}" stroke-width="1.5"/>`);
    body.push(`<rect x="${x(r.p25)}" y="${cy - 7}" width="${Math.max(1, x(r.p75) - x(r.p25))}" height="14" fill="${col}" fill-opacity="0.25" stroke="${col}"/>`);
    body.push(`<line x1="${x(r.p50)}" x2="${x(r.p50)}" y1="${cy - 9}" y2="${cy + 9}" stroke="${col}" stroke-width="3"/>`);
    body.push(`<line x1="${x(r.p90)}" x2="${x(r.p90)}" y1="${cy - 6}" y2="${cy + 6}" stroke="${col}" stroke-width="1" stroke-dasharray="2 1"/>`);
    body.push(`<circle cx="${x(r.max)}" cy="${cy}" r="3" fill="${col}"/>`);
    body.push(`<text x="${W - right + 10}" y="${cy + 4}" class="n">p50 ${fmtNum(r.p50)} · p99 ${fmtNum(r.p99)}</text>`);
    y += rowH;
  }
  const plotBottom = y + 4;
  const grid = [];
  for (let d = lo; d <= hi * 1.0001; d *= 10) {
    grid.push(`<line x1="${x(d)}" x2="${x(d)}" y1="${top}" y2="${plotBottom}" stroke="#adb5bd" stroke-width="0.8"/>`);
    grid.push(`<text x="${x(d)}" y="${plotBottom + 16}" text-anchor="middle">${fmtUs(d)}</text>`);
    if (d < hi) for (const m of [2, 5]) grid.push(`<line x1="${x(d * m)}" x2="${x(d * m)}" y1="${top}" y2="${plotBottom}" stroke="#e9ecef" stroke-width="0.8"/>`);
  }
  const H = plotBottom + axisH;
  const legendY = plotBottom + 32;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">
<style>.h{font-weight:600;font-size:13px}.t{font-weight:600;font-size:15px}.s{fill:#495057}.n{fill:#495057;font-size:11px}</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="8" y="20" class="t">${esc(title)}</text>
${subtitle ? `<text x="8" y="38" class="s">${esc(subtitle)}</text>` : ''}
${grid.join('\n')}
${body.join('\n')}
<text x="${W - 8}" y="${legendY}" text-anchor="end" class="n">whisker p1–p99 · box p25–p75 · thick tick p50 · dashed tick p90 · dot max</text>
</svg>
`;
}

function fmtNum(us) {
  if (us >= 1000) return `${(us / 1000).toFixed(us >= 10000 ? 0 : 1)} ms`;
  return `${us >= 100 ? Math.round(us) : us.toFixed(1)} µs`;
}
