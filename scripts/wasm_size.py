#!/usr/bin/env python3
"""Where the bytes of a wasm module go: code size per crate and the biggest functions.

Needs a module with a name section, e.g. a release build with symbols kept:

    CARGO_PROFILE_RELEASE_STRIP=false cargo build --release --target wasm32-unknown-unknown \
        --no-default-features --bin task-report
    python3 scripts/wasm_size.py target/wasm32-unknown-unknown/release/task-report.wasm [--top 40]

Only the standard library is used; symbols are demangled roughly (legacy `_ZN` and v0 are
reduced to their path), which is enough to group by crate.
"""
import re
import sys
from collections import Counter

from wasm_binary import imports, leb, sections


def import_func_count(body):
    """How many of an import section's entries are functions (they come first in the
    function index space)."""
    return sum(1 for _m, _f, kind, _d in imports(body) if kind == 0)


def code_sizes(body):
    count, pos = leb(body, 0)
    sizes = []
    for _ in range(count):
        size, pos = leb(body, pos)
        sizes.append(size)
        pos += size
    return sizes


def function_names(body):
    names = {}
    pos = 0
    while pos < len(body):
        sub = body[pos]
        size, pos = leb(body, pos + 1)
        end = pos + size
        if sub == 1:
            count, p = leb(body, pos)
            for _ in range(count):
                idx, p = leb(body, p)
                n, p = leb(body, p)
                names[idx] = body[p:p + n].decode("utf-8", "replace")
                p += n
        pos = end
    return names


def demangle(sym):
    if sym.startswith("_ZN"):
        parts, pos = [], 3
        while pos < len(sym) and sym[pos].isdigit():
            m = re.match(r"\d+", sym[pos:])
            n = int(m.group(0))
            pos += len(m.group(0))
            parts.append(sym[pos:pos + n])
            pos += n
        if parts and re.fullmatch(r"h[0-9a-f]{16}", parts[-1]):
            parts.pop()
        text = "::".join(parts)
        for a, b in (("$LT$", "<"), ("$GT$", ">"), ("$u20$", " "), ("$RF$", "&"), ("..", "::"),
                     ("$C$", ","), ("$u7b$", "{"), ("$u7d$", "}"), ("$BP$", "*"), ("$u27$", "'")):
            text = text.replace(a, b)
        return text
    return sym


def crate_of(name):
    text = name[1:] if name.startswith("_<") else name
    text = text.lstrip("<&* ")
    if text.startswith("_R"):
        m = re.search(r"\d+([a-z_][a-z0-9_]+)", text)
        return m.group(1) if m else "?"
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)", text)
    return m.group(1) if m else "?"


def main():
    path = sys.argv[1]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 40
    data = open(path, "rb").read()
    imported = 0
    sizes, names = [], {}
    for sid, _head, start, end in sections(data):
        body = data[start:end]
        if sid == 2:
            imported = import_func_count(body)
        elif sid == 10:
            sizes = code_sizes(body)
        elif sid == 0:
            n, p = leb(body, 0)
            if body[p:p + n] == b"name":
                names = function_names(body[p + n:])
    total = sum(sizes)
    per_crate = Counter()
    per_module = Counter()
    funcs = []
    for i, size in enumerate(sizes):
        name = demangle(names.get(imported + i, f"func{imported + i}"))
        per_crate[crate_of(name)] += size
        funcs.append((size, name))
        own = re.search(r"task_report::(\w+(?:::[a-z_]\w*)?)", name)
        if own:
            per_module[own.group(1)] += size
    print(f"code section: {total} bytes in {len(sizes)} functions")
    for crate, size in per_crate.most_common(25):
        print(f"  {size:8d}  {100 * size / total:5.1f}%  {crate}")
    print("\nfunctions naming one of our modules (their generic instances included):")
    for module, size in per_module.most_common(40):
        print(f"  {size:8d}  task_report::{module}")
    print(f"\nbiggest {top} functions:")
    for size, name in sorted(funcs, reverse=True)[:top]:
        print(f"  {size:7d}  {name[:150]}")


if __name__ == "__main__":
    main()
