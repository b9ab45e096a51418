"""Shrinks trunk's dist/ in place before package.py zips it (README "Sizes", "minified build").

1. Every wasm module's imports get short names. wasm-bindgen names each import the glue gives
   the module `__wbg_<what>_<16 hex digits>`; those names sit twice in the first load (the
   module's import section and the glue's import object), and their hex digits do not
   compress. Each name becomes one or two letters in both files, the same in each.
2. `scripts/minify.mjs` (node: terser, clean-css) minifies the glue and the style sheet.
3. index.html's `integrity` hashes are computed again for the files that changed.

Only the standard library; the node packages are installed by scripts/setup.sh
(`scripts/package.json`).
"""

import base64
import hashlib
import os
import re
import string
import subprocess

from wasm_binary import imports, put_leb, sections

MINIFY_JS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "minify.mjs")
IMPORT_SECTION = 2


def put_name(name: bytes):
    return put_leb(len(name)) + name


def short_names():
    """a … z, A … Z, then two characters (a letter, then a letter or digit), and so on."""
    first = string.ascii_letters
    rest = string.ascii_letters + string.digits
    yield from first
    for a in first:
        for b in rest:
            yield a + b
    for a in first:
        for b in rest:
            for c in rest:
                yield a + b + c


def rename_imports(wasm: bytes, rename):
    """The module with each import's field name replaced by `rename(module, field)` (bytes,
    or None to keep it). Only the import section changes."""
    out = bytearray(wasm[:8])
    for sid, head, start, end in sections(wasm):
        if sid != IMPORT_SECTION:
            out += wasm[head:end]
            continue
        entries = list(imports(wasm[start:end]))
        new = bytearray(put_leb(len(entries)))
        for module, field, _kind, desc in entries:
            new += put_name(module) + put_name(rename(module, field) or field) + desc
        out.append(IMPORT_SECTION)
        out += put_leb(len(new)) + new
    return bytes(out)


def import_fields(wasm: bytes):
    """The (module, field) names of the module's imports, in order."""
    return [
        (module, field)
        for sid, _head, start, end in sections(wasm)
        if sid == IMPORT_SECTION
        for module, field, _kind, _desc in imports(wasm[start:end])
    ]


def from_glue(module: bytes):
    """An import the wasm-bindgen glue gives (its module is `./<name>_bg.js`)."""
    return module.startswith(b"./") and module.endswith(b"_bg.js")


def shorten_imports(wasm: bytes, glue: str):
    """(module, glue) with wasm-bindgen's import names shortened in both (the imports from
    the glue's module; any other is kept). Every such name must appear in the glue as a whole
    word (the import object's key): otherwise the glue's format is not the one this was
    written for, and it refuses (ValueError)."""
    fields = sorted({f.decode("ascii") for m, f in import_fields(wasm) if from_glue(m)})
    taken = set(re.findall(r"[A-Za-z_$][\w$]*", glue))
    names = (n for n in short_names() if n not in taken)
    mapping = {field: next(names) for field in fields}
    pattern = re.compile(
        r"(?<![\w$])(" + "|".join(map(re.escape, sorted(fields, key=len, reverse=True))) + r")(?![\w$])"
    )
    seen = set()

    def replace(match):
        seen.add(match.group(1))
        return mapping[match.group(1)]

    new_glue = pattern.sub(replace, glue) if fields else glue
    missing = set(fields) - seen
    if missing:
        raise ValueError(f"import names not in the glue: {sorted(missing)[:3]}")
    new_wasm = rename_imports(
        wasm, lambda m, f: mapping[f.decode("ascii")].encode("ascii") if from_glue(m) else None
    )
    return new_wasm, new_glue


def sri(data: bytes):
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def fix_integrity(dist):
    """Gives every `integrity` in index.html the hash of the file its tag names."""
    path = os.path.join(dist, "index.html")
    with open(path, encoding="utf-8") as fh:
        html = fh.read()

    def tag(match):
        text = match.group(0)
        ref = re.search(r'\b(?:href|src)="?\./([^"\s>]+)', text)
        if ref is None:
            raise ValueError(f"an integrity attribute without a local file: {text}")
        with open(os.path.join(dist, ref.group(1)), "rb") as fh:
            digest = sri(fh.read())
        return re.sub(r'integrity="?sha384-[A-Za-z0-9+/=]+"?', f'integrity="{digest}"', text)

    html = re.sub(r"<[^>]*\bintegrity=[^>]*>", tag, html)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(html)


def minify_dist(dist, node="node"):
    """Steps 1–3 above on `dist`; gives the files minified."""
    glues = []
    for name in sorted(os.listdir(dist)):
        if not name.endswith("_bg.wasm"):
            continue
        wasm_path = os.path.join(dist, name)
        glue_path = os.path.join(dist, name[: -len("_bg.wasm")] + ".js")
        with open(wasm_path, "rb") as fh:
            wasm = fh.read()
        with open(glue_path, encoding="utf-8") as fh:
            glue = fh.read()
        try:
            wasm, glue = shorten_imports(wasm, glue)
        except ValueError as err:
            raise SystemExit(f"package: {name}: {err}")
        with open(wasm_path, "wb") as fh:
            fh.write(wasm)
        with open(glue_path, "w", encoding="utf-8") as fh:
            fh.write(glue)
        glues.append(glue_path)
    sheets = [os.path.join(dist, n) for n in sorted(os.listdir(dist)) if n.endswith(".css")]
    files = glues + sheets
    if files:
        subprocess.run([node, MINIFY_JS, *files], check=True)
    fix_integrity(dist)
    return files
