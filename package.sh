#!/usr/bin/env bash
# Builds the release and the archives to upload in Bitrix24.
#
#   ./package.sh            installs what is missing, builds dist/, writes
#                           task-report.zip       (default: html/js/css only, the wasm module
#                                                   embedded gzip+base64 in a script)
#                           task-report-wasm.zip  (the same app with a separate .wasm file)
#                           and prints every file with its raw and gzip size.
#
# Upload task-report.zip in Bitrix24: Applications -> Developer resources -> Other ->
# Local application -> static (archive), scope "task". See README.md.
set -euo pipefail
cd "$(dirname "$0")"

eval "$(scripts/setup.sh --print-env | tail -n 1)"
export PATH="$HOME/.cargo/bin:$PATH"

if [ -n "${WASM_TOOLCHAIN:-}" ]; then
  export RUSTUP_TOOLCHAIN="$WASM_TOOLCHAIN"
fi

echo "package: cargo fetch" >&2
cargo fetch --locked >&2
# Panic locations in the wasm name their source files. Map the build machine's crate
# cache away so the archive carries no home directory (and shorter strings):
# `<cache>/yew-0.23.0/src/…` becomes `yew-0.23.0/src/…`.
# Passed as CARGO_ENCODED_RUSTFLAGS (0x1f-separated) so paths with spaces stay whole; any
# RUSTFLAGS already set are kept in front.
read -r -a rust_flags <<< "${RUSTFLAGS:-}"
for crate_cache in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [ -d "$crate_cache" ] && rust_flags+=("--remap-path-prefix=${crate_cache%/}/=")
done
rust_flags+=("--remap-path-prefix=$PWD/=./")
CARGO_ENCODED_RUSTFLAGS="$(IFS=$'\x1f'; echo "${rust_flags[*]}")"
export CARGO_ENCODED_RUSTFLAGS
# The app's cargo features in the archive: the stored snapshot of issue 15 (Cargo.toml), and
# none of the preview's (the demo portal, the webhook panel).
ARCHIVE_FEATURES="snapshot"
# PACKAGE_FEATURES (comma-separated cargo features of the app, empty by default) builds the
# archives with more features, to measure what they would add to the first load:
# `PACKAGE_FEATURES=<feature> ./test.sh package package-check` (README "Sizes").
# The features go on the app's rust link only (trunk's --features would reach the exporter too;
# the link's features replace the command line's --no-default-features, so it says it again),
# in a copy of index.html. The extra features are written to target/package-features, so
# test.sh rebuilds such archives before the e2e tier.
extra="${PACKAGE_FEATURES:-}"
case "$extra" in *[!a-z0-9,_-]*) echo "package: PACKAGE_FEATURES must be feature names" >&2; exit 1 ;; esac
features="$ARCHIVE_FEATURES${extra:+,$extra}"
app_link='<link data-trunk rel="rust" data-bin="task-report"'
grep -qF "$app_link" index.html || { echo "package: index.html has no $app_link" >&2; exit 1; }
trap 'rm -f .package-index.html .package-without-excel.html' EXIT
# index.html with the app built with these cargo features (comma-separated).
with_features() {
  sed "s|$app_link|$app_link data-cargo-no-default-features data-cargo-features=\"$1\"|" index.html
}
page=.package-index.html
with_features "$features" > "$page"
echo "package: trunk build --release (app features: $features)" >&2
rm -rf dist
# The archive does not carry the demo portal of the preview (see Cargo.toml, feature "demo").
trunk build "$page" --release --locked --offline=true --skip-version-check --no-default-features=true >&2
mkdir -p target
printf '%s\n' "$extra" > target/package-features

# The same app without the Excel export (issue 16): the app built with the feature
# without-excel-export (no button, no worker client) from a page without the worker's two
# trunk links and their comment. The package check holds the first-load difference to the
# archives under 2 KB gzip (README "Sizes"); built here, in the same run, so the difference
# measures the export alone whatever else the first load gains.
excel_lines='data-bin="exporter"|exporter/exporter-worker\.js|<!-- Excel export:'
[ "$(grep -cE "$excel_lines" index.html)" = 3 ] \
  || { echo "package: index.html's Excel export lines changed: update package.sh" >&2; exit 1; }
with_features "$features,without-excel-export" | grep -vE "$excel_lines" > .package-without-excel.html
echo "package: trunk build --release without the Excel export (for the package check)" >&2
rm -rf target/without-excel
trunk build .package-without-excel.html --release --locked --offline=true --skip-version-check \
  --no-default-features=true --dist target/without-excel/dist >&2
unset RUSTUP_TOOLCHAIN

python3 scripts/package.py dist --out . --name task-report
python3 scripts/package.py target/without-excel/dist --measure-only
# Which archives the measure belongs to (the package check compares only those).
sha256sum task-report.zip task-report-wasm.zip > target/without-excel/archives.sha256
if [ -n "$extra" ]; then
  echo "package: built with the extra features $extra: not the archive to upload" >&2
fi
