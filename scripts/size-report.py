#!/usr/bin/env python3
"""Where a wasm's bytes go: per section, and the code per crate, raw and gzip -9.

    scripts/size-report.py WASM [--breakdown index-breakdown.json] [--json OUT]

WASM should keep its `name` section (a build with `strip = false` and
`wasm-opt -g`), so that code can be attributed to crates; without names,
code is reported as one block. A crate's gzip figure is the gzip of its
functions' bodies concatenated, in module order: gzip is not additive, so
the per-crate figures add up to a little more than the code section's.
Data segments are split into the embedded index (found by its magic
number, with the sections build.rs reports in index-breakdown.json) and
the rest (fold tables, strings, …).
"""

import argparse
import gzip
import json
import re
import sys

MAGIC = b"TIMKIEM\0"
SECTION_NAMES = {
    0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global",
    7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount",
}


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9, mtime=0))


def leb(buf: bytes, pos: int):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


def sections(wasm: bytes):
    """(id, name, payload start, payload end) for each section."""
    if wasm[:4] != b"\0asm":
        sys.exit("size-report: not a wasm module")
    pos, out = 8, []
    while pos < len(wasm):
        sid = wasm[pos]
        size, start = leb(wasm, pos + 1)
        name = SECTION_NAMES.get(sid, f"id{sid}")
        if sid == 0:
            n, p = leb(wasm, start)
            name = "custom:" + wasm[p:p + n].decode("utf-8", "replace")
        out.append((sid, name, start, start + size))
        pos = start + size
    return out


def imported_functions(wasm: bytes, start: int) -> int:
    count, pos = leb(wasm, start)
    funcs = 0
    for _ in range(count):
        for _ in range(2):  # module, field
            n, pos = leb(wasm, pos)
            pos += n
        kind = wasm[pos]
        pos += 1
        if kind == 0:  # func: type index
            _, pos = leb(wasm, pos)
            funcs += 1
        elif kind == 1:  # table: reftype, limits
            pos += 1
            flags, pos = leb(wasm, pos)
            _, pos = leb(wasm, pos)
            if flags & 1:
                _, pos = leb(wasm, pos)
        elif kind == 2:  # memory: limits
            flags, pos = leb(wasm, pos)
            _, pos = leb(wasm, pos)
            if flags & 1:
                _, pos = leb(wasm, pos)
        elif kind == 3:  # global: valtype, mut
            pos += 2
        else:
            sys.exit(f"size-report: unknown import kind {kind}")
    return funcs


def function_bodies(wasm: bytes, start: int):
    """(body start, body end) of each function in the code section."""
    count, pos = leb(wasm, start)
    out = []
    for _ in range(count):
        size, body = leb(wasm, pos)
        out.append((body, body + size))
        pos = body + size
    return out


def function_names(wasm: bytes, start: int, end: int):
    """Function index -> name, from a `name` section's payload."""
    n, pos = leb(wasm, start)
    pos += n  # the section's own name
    names = {}
    while pos < end:
        kind = wasm[pos]
        size, sub = leb(wasm, pos + 1)
        if kind == 1:
            count, p = leb(wasm, sub)
            for _ in range(count):
                idx, p = leb(wasm, p)
                ln, p = leb(wasm, p)
                names[idx] = wasm[p:p + ln].decode("utf-8", "replace")
                p += ln
        pos = sub + size
    return names


def data_segments(wasm: bytes, start: int):
    """The bytes of each data segment."""
    count, pos = leb(wasm, start)
    out = []
    for _ in range(count):
        flags, pos = leb(wasm, pos)
        if flags == 2:
            _, pos = leb(wasm, pos)
        if flags in (0, 2):  # an active segment: skip its offset expression up to `end`
            while wasm[pos] != 0x0B:
                op = wasm[pos]
                pos += 1
                if op in (0x41, 0x42, 0x23):  # i32.const, i64.const, global.get
                    _, pos = leb(wasm, pos)
            pos += 1
        size, pos = leb(wasm, pos)
        out.append(wasm[pos:pos + size])
        pos += size
    return out


def crate_of(name: str) -> str:
    """The crate a (mangled or demangled) Rust symbol belongs to."""
    m = re.match(r"_ZN(\d+)", name)
    if m:
        n = int(m.group(1))
        first = name[m.end():m.end() + n]
        if first.startswith("_$LT$"):  # <Type as Trait>: the type's crate
            first = first[5:]
        first = first.lstrip("_").split("..")[0].split("$")[0]
        return first or "?"
    if name.startswith("_R"):
        return "rust (v0 mangled)"
    # Demangled: `core::fmt::write`, `<alloc::vec::Vec<T> as …>::…`, with a
    # crate hash in brackets from v0 mangling (`core[c5930c85a12de822]::…`).
    m = re.match(r"<*&?(?:mut )?(?:dyn )?([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::", name)
    if m:
        return m.group(1)
    if name.endswith("multivalue shim"):
        return "wasm-bindgen export shims (with the exports inlined)"
    if name.startswith("__wbg") or name.startswith("__wbindgen") or "wasm_bindgen" in name:
        return "wasm_bindgen"
    if name in ("memcpy", "memset", "memmove", "memcmp", "bcmp") or name.startswith("__"):
        return "compiler_builtins"
    return "(other: " + name[:40] + ")" if len(name) < 40 else "(other)"


def table(rows, headers):
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    line = lambda r: "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
    print(line(headers))
    for r in rows:
        print(line(r))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wasm")
    ap.add_argument("--breakdown", help="index-breakdown.json that build.rs wrote")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--top", type=int, default=12, help="largest functions to list")
    args = ap.parse_args()
    wasm = open(args.wasm, "rb").read()
    secs = sections(wasm)
    report = {"wasm": args.wasm, "bytes": len(wasm), "gzip": gz(wasm), "sections": {}, "crates": {}, "data": {}}

    print(f"{args.wasm}: {len(wasm):,} bytes, gzip -9 {report['gzip']:,}")
    print()
    rows = []
    for sid, name, s, e in secs:
        part = wasm[s:e]
        rows.append((name, f"{len(part):,}", f"{gz(part):,}"))
        report["sections"][name] = {"bytes": len(part), "gzip": gz(part)}
    table(rows, ("section", "bytes", "gzip"))

    by_id = {sid: (s, e) for sid, _, s, e in secs}
    names = {}
    for sid, name, s, e in secs:
        if name == "custom:name":
            names = function_names(wasm, s, e)
    if 10 in by_id:
        imports = imported_functions(wasm, by_id[2][0]) if 2 in by_id else 0
        bodies = function_bodies(wasm, by_id[10][0])
        crates = {}
        funcs = []
        for i, (s, e) in enumerate(bodies):
            name = names.get(imports + i, f"code[{i}]")
            crate = crate_of(name) if names else "(no names)"
            crates.setdefault(crate, []).append(wasm[s:e])
            funcs.append((e - s, name))
        print()
        print("code by crate" + ("" if names else " (no name section: build with strip = false, wasm-opt -g)"))
        rows = []
        for crate, parts in sorted(crates.items(), key=lambda kv: -sum(map(len, kv[1]))):
            raw = sum(map(len, parts))
            g = gz(b"".join(parts))
            rows.append((crate, len(parts), f"{raw:,}", f"{g:,}"))
            report["crates"][crate] = {"functions": len(parts), "bytes": raw, "gzip": g}
        table(rows, ("crate", "functions", "bytes", "gzip"))
        print()
        print(f"largest {args.top} functions")
        rows = [(f"{n:,}", name[:110]) for n, name in sorted(funcs, reverse=True)[: args.top]]
        table(rows, ("bytes", "function"))

    if 11 in by_id:
        segments = data_segments(wasm, by_id[11][0])
        index = b"".join(seg for seg in segments if seg.startswith(MAGIC))
        rest = b"".join(seg for seg in segments if not seg.startswith(MAGIC))
        # The index may sit inside a larger segment: find it by its magic.
        if not index:
            for seg in segments:
                at = seg.find(MAGIC)
                if at >= 0:
                    index, rest = seg[at:], rest.replace(seg, seg[:at])
        print()
        print("data")
        rows = [("index (embedded)", f"{len(index):,}", f"{gz(index):,}"), ("other data", f"{len(rest):,}", f"{gz(rest):,}")]
        report["data"] = {"index": {"bytes": len(index), "gzip": gz(index)}, "other": {"bytes": len(rest), "gzip": gz(rest)}}
        table(rows, ("data", "bytes", "gzip"))

    if args.breakdown:
        b = json.load(open(args.breakdown))
        print()
        print(f"index sections (build.rs, {args.breakdown})")
        rows = [(k, f"{v:,}") for k, v in b.items() if isinstance(v, int) and k != "build_ms"]
        rows += [("  " + k, f"{v:,}") for k, v in b.get("sections", {}).items()]
        table(rows, ("index", "bytes"))
        report["index_breakdown"] = b

    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
