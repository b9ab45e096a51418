#!/bin/sh
# Writes the installer page, install.html, into trunk's output (Trunk.toml's post_build hook;
# trunk builds index.html only): index.html's head up to its <title> — the document type,
# language, charset, viewport and colour-scheme lines, one copy for both pages — then
# assets/install-page.html (the installer's title, SDK tag, style and body).
set -eu
src="${TRUNK_SOURCE_DIR:-.}"
out="${TRUNK_STAGING_DIR:?run by trunk: see the hooks in Trunk.toml}/install.html"
grep -q '<title>' "$src/index.html" || { echo "install-page.sh: index.html has no <title>" >&2; exit 1; }
sed '/<title>/,$d' "$src/index.html" > "$out"
cat "$src/assets/install-page.html" >> "$out"
