#!/usr/bin/env python3
"""Index compactness report: raw and gzip -9 size of each section of the index
of a corpus, the index without its text against the gzip of the raw corpus,
and lower bounds for the biggest parts (examples/index_report.rs).

    scripts/index-report.py [CORPUS]        (default: seeds/)
"""
import gzip
import pathlib
import subprocess
import sys
import tempfile

root = pathlib.Path(__file__).resolve().parent.parent
corpus = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else root / "seeds").resolve()
with tempfile.TemporaryDirectory() as out:
    run = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "--example", "index_report", "--", str(corpus), out],
        cwd=root, check=True, capture_output=True, text=True)
    out = pathlib.Path(out)
    gz = lambda b: len(gzip.compress(b, 9, mtime=0))
    # The section names, in layout order, as timkiem_core::format::Section names them.
    sections = (out / "sections.txt").read_text().split()
    data = {s: (out / f"{s}.bin").read_bytes() for s in sections}
    print(run.stdout.strip())
    print(f"{'section':10} {'raw':>10} {'gzip -9':>10}")
    for s in sections:
        print(f"{s:10} {len(data[s]):>10,} {gz(data[s]):>10,}")
    without_text = sum(gz(data[s]) for s in sections if s != "strings")
    whole = b"".join(data[s] for s in sections)
    raw_corpus = gz((out / "corpus.raw").read_bytes())
    print(f"index without text, sum of section gzips: {without_text:,}")
    print(f"index without text, gzip(index) - gzip(strings): {gz(whole) - gz(data['strings']):,}")
    print(f"raw corpus gzip -9: {raw_corpus:,}")
    print(f"term dictionary as an fst::Set without values, gzip -9: {gz((out / 'fst-set.bin').read_bytes()):,}")
