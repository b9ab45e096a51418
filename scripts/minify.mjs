// Minifies, in place, the files scripts/package.py names on the command line (README "Sizes"):
// - wasm-bindgen glue (.js) with terser: compress, and mangle local names only. An ES module
//   (the app's glue) keeps its exports; a classic script (a worker's `wasm_bindgen` glue) keeps
//   its top-level names. Property names are never mangled: the wasm module's imports are looked
//   up by name (package.py shortens those names in both files before this runs).
// - style sheets (.css) with clean-css level 1 (whitespace, comments and values within each
//   rule; no rules merged or moved, so the cascade is untouched).
// Fails (exit 1) on any error: package.sh then stops rather than ship a half-minified build.
import { readFile, writeFile } from 'node:fs/promises';
import { minify } from 'terser';
import CleanCSS from 'clean-css';

const css = new CleanCSS({ level: 1, returnPromise: false });

for (const path of process.argv.slice(2)) {
  const text = await readFile(path, 'utf8');
  let out;
  if (path.endsWith('.js')) {
    const module = /^export\s/m.test(text);
    const result = await minify(text, {
      module,
      compress: { passes: 2 },
      mangle: true,
      format: { comments: false },
    });
    out = result.code;
  } else if (path.endsWith('.css')) {
    const result = css.minify(text);
    if (result.errors.length > 0) throw new Error(`${path}: ${result.errors.join('; ')}`);
    out = result.styles;
  } else {
    throw new Error(`${path}: neither .js nor .css`);
  }
  if (!out) throw new Error(`${path}: the minifier gave nothing`);
  await writeFile(path, out);
  console.error(`minify: ${path} ${text.length} -> ${out.length} bytes`);
}
