#!/usr/bin/env python3
"""Turns trunk's dist/ into the two archives to upload in Bitrix24 and prints their sizes.

- <name>.zip       (default to upload): html/js/css only. The wasm module is gzip-compressed,
                   base64-encoded into an ES module and unpacked in the browser with
                   DecompressionStream, so the archive works however the CDN serves (or
                   refuses) unusual extensions such as .wasm.
- <name>-wasm.zip  the plain trunk output with a separate .wasm file (smaller on the wire;
                   boots even when .wasm is served as application/octet-stream, because the
                   wasm-bindgen loader falls back from streaming compilation).

Both have index.html and install.html at the root and only relative URLs.
"""

import argparse
import base64
import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

from minify import minify_dist

BUDGET_BYTES = 240 * 1024  # first-load ceiling (README "Sizes"; e2e/package-check holds it)
# The first-load figure has one definition, e2e/first-load.mjs (node's zlib), which the package
# check judges by; Python's zlib compresses the same files to other sizes (the embedded module
# ~1.2 KB larger), so the figure is taken from node, not recomputed here.
FIRST_LOAD_JS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e", "first-load.mjs")
FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def list_files(root):
    out = []
    for base, _dirs, files in os.walk(root):
        for f in files:
            full = os.path.join(base, f)
            out.append(os.path.relpath(full, root).replace(os.sep, "/"))
    return sorted(out)


def write_zip(root, path):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for rel in list_files(root):
            info = zipfile.ZipInfo(rel, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(os.path.join(root, rel), "rb") as fh:
                z.writestr(info, fh.read())


BOOT_JS = """// Boots the task report from the embedded module (written by scripts/package.py).
import init, * as bindings from './{glue}';
import packed from './{packed}';

function fail(message) {{
  const root = document.getElementById('app') || document.body;
  const p = document.createElement('p');
  p.className = 'fatal';
  p.setAttribute('role', 'alert');
  p.textContent = message;
  root.replaceChildren(p);
}}

async function unpack(b64) {{
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}}

try {{
  if (typeof DecompressionStream === 'undefined') {{
    throw new Error('this browser is too old for the task report (no DecompressionStream); please update it');
  }}
  const wasm = await init({{ module_or_path: await unpack(packed) }});
  window.wasmBindings = bindings;
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', {{ detail: {{ wasm }} }}));
}} catch (e) {{
  fail('The task report could not start: ' + (e && e.message ? e.message : e));
}}
"""


# The web workers fetched on first use, never in the first load: the Excel exporter
# (exporter/, on the first export) and the stored snapshot's worker (snapshot/, on a reopen or
# to store a complete load). Files whose names start with a worker's name are not part of the
# first load and are reported on their own (e2e/first-load.mjs has the same rule).
WORKERS = ("exporter", "snapshot")


def worker_of(rel):
    """The worker `rel` belongs to, or None (part of the first load if it is html/js/css)."""
    name = os.path.basename(rel)
    return next((w for w in WORKERS if name.startswith(w)), None)


def embed_worker(out_dir, name):
    """Embeds <name>_bg.wasm gzip+base64 in <name>_wasm.js, loaded by the worker script."""
    wasm_path = os.path.join(out_dir, f"{name}_bg.wasm")
    worker_path = os.path.join(out_dir, f"{name}-worker.js")
    if not os.path.exists(wasm_path):
        return
    if not os.path.exists(worker_path):
        sys.exit(f"package: {name}-worker.js is missing next to {name}_bg.wasm")
    with open(wasm_path, "rb") as fh:
        wasm = fh.read()
    os.remove(wasm_path)
    with open(os.path.join(out_dir, f"{name}_wasm.js"), "w", encoding="ascii") as fh:
        fh.write(f"var {name.upper()}_WASM = \"")
        fh.write(base64.b64encode(gz(wasm)).decode("ascii"))
        fh.write("\";\n")
    with open(worker_path, encoding="utf-8") as fh:
        worker = fh.read()
    with open(worker_path, "w", encoding="utf-8") as fh:
        fh.write(f"importScripts('./{name}_wasm.js');\n" + worker)


def embed(dist, out_dir):
    """Copies dist to out_dir with the .wasm module embedded in a script."""
    shutil.rmtree(out_dir, ignore_errors=True)
    shutil.copytree(dist, out_dir)
    index_path = os.path.join(out_dir, "index.html")
    with open(index_path, encoding="utf-8") as fh:
        html = fh.read()
    for name in WORKERS:
        embed_worker(out_dir, name)
    wasm_files = [f for f in os.listdir(out_dir) if f.endswith(".wasm")]
    if len(wasm_files) != 1:
        sys.exit(f"package: expected one .wasm in {dist}, found {wasm_files}")
    wasm_name = wasm_files[0]
    glue = wasm_name[: -len("_bg.wasm")] + ".js"
    if not os.path.exists(os.path.join(out_dir, glue)):
        sys.exit(f"package: wasm-bindgen glue {glue} not found")
    with open(os.path.join(out_dir, wasm_name), "rb") as fh:
        wasm = fh.read()
    os.remove(os.path.join(out_dir, wasm_name))
    stem = wasm_name[: -len("_bg.wasm")]
    packed = f"{stem}_wasm.js"
    with open(os.path.join(out_dir, packed), "w", encoding="ascii") as fh:
        fh.write("export default \"")
        fh.write(base64.b64encode(gz(wasm)).decode("ascii"))
        fh.write("\";\n")
    boot = f"{stem}_boot.js"
    with open(os.path.join(out_dir, boot), "w", encoding="utf-8") as fh:
        fh.write(BOOT_JS.format(glue=glue, packed=packed))
    # Replace trunk's inline loader and the .wasm preload with the boot module.
    new_html, n = re.subn(
        r"<script type=\"?module\"?[^>]*>\s*import init, \* as bindings.*?</script>",
        f'<script type="module" src="./{boot}"></script>',
        html,
        flags=re.S,
    )
    if n != 1:
        sys.exit("package: could not find trunk's loader script in index.html")
    # Attribute order and quoting differ between plain and minified HTML.
    new_html = re.sub(
        r"<link\b(?=[^>]*\brel=\"?preload\b)(?=[^>]*\.wasm\b)[^>]*>\s*", "", new_html
    )
    with open(index_path, "w", encoding="utf-8") as fh:
        fh.write(new_html)


def first_load(root):
    """The first load of `root` as the package check measures it (e2e/first-load.mjs), or
    None when node is not installed."""
    node = shutil.which("node")
    if node is None:
        return None
    out = subprocess.run([node, FIRST_LOAD_JS, root], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def report(root, label):
    measured = first_load(root)
    print(f"\n{label}: {root}/")
    print(f"  {'file':<48} {'raw':>10} {'gzip':>10}")
    estimate = 0
    workers = dict.fromkeys(WORKERS, 0)
    for rel in list_files(root):
        with open(os.path.join(root, rel), "rb") as fh:
            data = fh.read()
        g = len(gz(data))
        if measured is not None and rel in measured["files"]:
            g = measured["files"][rel]
        print(f"  {rel:<48} {len(data):>10,} {g:>10,}")
        if worker_of(rel):
            workers[worker_of(rel)] += g
        elif rel.endswith((".wasm", ".js", ".css")) and rel != "install.js" or rel == "index.html":
            estimate += g
    if measured is None:
        print(f"  first-load transfer: not measured (the package check measures it with node, "
              f"which is not installed); Python's gzip gives {estimate:,} bytes")
    else:
        first = measured["total"]
        print(f"  first-load transfer (gzip of html + wasm + js + css, as the package check "
              f"measures it): {first:,} bytes ({first / 1024:.1f} KB; ceiling "
              f"{BUDGET_BYTES // 1024} KB, {BUDGET_BYTES - first:,} bytes under it)")
        if first > BUDGET_BYTES:
            print("  WARNING: over the first-load budget", file=sys.stderr)
        workers = {"exporter": measured["exporter"], "snapshot": measured["snapshot"]}
    print(f"  Excel exporter, fetched on the first export (gzip): {workers['exporter']:,} bytes "
          f"({workers['exporter'] / 1024:.1f} KB)")
    print(f"  snapshot worker, fetched on a reopen or to store a complete load (gzip): "
          f"{workers['snapshot']:,} bytes ({workers['snapshot'] / 1024:.1f} KB)")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dist")
    ap.add_argument("--out", default=".")
    ap.add_argument("--name", default="task-report")
    ap.add_argument("--measure-only", action="store_true",
                    help="write <dist>-embedded beside <dist> and print both first loads; "
                         "no archives (package.sh's build without the Excel export)")
    args = ap.parse_args()
    dist = args.dist.rstrip("/")
    for required in ("index.html", "install.html"):
        if not os.path.exists(os.path.join(dist, required)):
            sys.exit(f"package: {dist}/{required} is missing")
    # Import names shortened, glue and style sheet minified (scripts/minify.py), in both
    # archives and in the build the package check compares them with.
    minify_dist(dist)
    if args.measure_only:
        embedded_dir = os.path.abspath(dist) + "-embedded"
        embed(dist, embedded_dir)
        loads = [first_load(d) for d in (dist, embedded_dir)]
        if None not in loads:
            print(f"\nfirst load of {dist} (plain / embedded): "
                  f"{loads[0]['total']:,} / {loads[1]['total']:,} bytes")
        return
    embedded_dir = os.path.join(os.path.dirname(os.path.abspath(dist)), "dist-embedded")
    embed(dist, embedded_dir)
    plain_zip = os.path.join(args.out, f"{args.name}-wasm.zip")
    embedded_zip = os.path.join(args.out, f"{args.name}.zip")
    write_zip(dist, plain_zip)
    write_zip(embedded_dir, embedded_zip)
    report(dist, "plain build (separate .wasm)")
    report(embedded_dir, "embedded build (html/js/css only)")
    print()
    for z in (embedded_zip, plain_zip):
        print(f"archive {z}: {os.path.getsize(z):,} bytes")
    print(f"\nUpload {embedded_zip} in Bitrix24 (scope: task).")


if __name__ == "__main__":
    main()
