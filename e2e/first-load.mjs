// The first-load transfer of a built app folder, the one definition of the figure: gzip
// (level 9, node's zlib) of index.html and every .wasm, .js and .css beside it, except the
// installer's install.js and the files of the workers fetched on first use: the Excel
// exporter's (exporter*, on the first export) and the stored snapshot's (snapshot*, on a
// reopen or to store a complete load). e2e/package-check.test.mjs holds it under the ceiling; scripts/package.py prints it
// for dist/ and dist-embedded/ by running this file:
//
//   node e2e/first-load.mjs <folder>   prints {"total":…,"exporter":…,"snapshot":…,"files":{name: gzip}}
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Excel exporter's files: not in the first load. */
export const isExporter = (f) => /(^|\/)exporter[^/]*$/.test(f);

/** The snapshot worker's files: not in the first load. */
export const isSnapshotWorker = (f) => /(^|\/)snapshot[^/]*$/.test(f);

/** Files of the first load, by their path inside the folder. */
export const inFirstLoad = (f) =>
  !isExporter(f) && !isSnapshotWorker(f) && ((/\.(wasm|js|css)$/.test(f) && f !== 'install.js') || f === 'index.html');

/** Every file below `dir`, as paths relative to `base`. */
export function walk(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full, base) : [full.slice(base.length + 1)];
  });
}

/** The first load of `dir` (bytes gzip, in total and per file) and the workers' bytes. */
export function firstLoad(dir) {
  const gz = (f) => gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
  const all = walk(dir).sort();
  const files = Object.fromEntries(all.filter(inFirstLoad).map((f) => [f, gz(f)]));
  const total = Object.values(files).reduce((sum, n) => sum + n, 0);
  const exporter = all.filter(isExporter).reduce((sum, f) => sum + gz(f), 0);
  const snapshot = all.filter(isSnapshotWorker).reduce((sum, f) => sum + gz(f), 0);
  return { total, exporter, snapshot, files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.length !== 3) {
    console.error('usage: node e2e/first-load.mjs <folder>');
    process.exit(2);
  }
  console.log(JSON.stringify(firstLoad(process.argv[2])));
}
