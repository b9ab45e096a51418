// Turns the raw runs of one benchmark run into the results file, the chart and the report.
//
//   node bench/harness/report.mjs --contenders FILE [--engine FILE] --out-dir DIR \
//        [--markdown FILE] [--command "./bench.sh …"] [--notes bench/notes.md]
//
// Writes DIR/results.json and DIR/chart.svg, and the Markdown report to --markdown
// (default DIR/report.md). Every number comes from the input files; nothing is typed in.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { median, ROOT, transferSums } from './lib.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : dflt; };
const contenders = JSON.parse(readFileSync(opt('contenders'), 'utf8'));
const enginePath = opt('engine', null);
const engine = enginePath && existsSync(enginePath) ? JSON.parse(readFileSync(enginePath, 'utf8')) : null;
if (engine && !engine.started && engine.started_unix) engine.started = new Date(engine.started_unix * 1000).toISOString();
const outDir = opt('out-dir');
const mdPath = opt('markdown', join(outDir, 'report.md'));
const command = opt('command', contenders.command);
const notesPath = opt('notes', null);
mkdirSync(outDir, { recursive: true });

const NAMES = {
  app: 'the app (Task Report, release build)',
  tutorial: 'tutorial static app (baseline)',
  b24jssdk: '@bitrix24/b24jssdk fetchList (node)',
};
const SHORT = { app: 'app', tutorial: 'tutorial', b24jssdk: 'b24jssdk' };
const order = ['app', 'tutorial', 'b24jssdk'].filter((c) => contenders.runs.some((r) => r.contender === c));
const sizes = contenders.conditions.sizes;
const capS = contenders.conditions.cap_s;

// ------------------------------------------------------------------ summary

function summarize(n, c) {
  const runs = contenders.runs.filter((r) => r.n === n && r.contender === c);
  if (!runs.length) return null;
  const complete = runs.filter((r) => r.status === 'complete');
  const all = complete.length === runs.length;
  const pick = (f, list = runs) => median(list.map(f));
  return {
    n, contender: c, runs: runs.length, complete: complete.length,
    statuses: runs.map((r) => r.status),
    errored: runs.some((r) => r.errored),
    exact: complete.length ? complete.every((r) => r.exact === true) : null,
    requests: pick((r) => r.requests),
    first_rows_ms: pick((r) => r.first_rows_ms),
    all_rows_ms: all ? pick((r) => r.all_rows_ms) : null,
    all_rows_ms_runs: runs.map((r) => r.all_rows_ms),
    rows: pick((r) => r.rows),
    truth_rows: runs[0].truth_rows,
    elapsed_ms: pick((r) => r.elapsed_ms),
    dom_rows: pick((r) => r.dom_rows),
    js_heap_bytes: pick((r) => r.js_heap_bytes),
    wasm_bytes: pick((r) => r.wasm_bytes),
    sort_ms: pick((r) => r.sort?.query_ms),
    sort_action_ms: pick((r) => r.sort?.action_to_result_ms),
    sort_frame_ms: pick((r) => r.sort?.action_to_next_frame_ms),
    filter_frame_ms: pick((r) => r.filter?.action_to_next_frame_ms),
    filter_ms: pick((r) => r.filter?.query_ms),
    filter_action_ms: pick((r) => r.filter?.action_to_result_ms),
    hung: runs.some((r) => r.status === 'stalled'),
    notes: [...new Set(runs.map((r) => r.note).filter(Boolean))],
  };
}

const summary = [];
for (const n of sizes) for (const c of order) { const s = summarize(n, c); if (s) summary.push(s); }
const get = (n, c) => summary.find((s) => s.n === n && s.contender === c);

// ------------------------------------------------------------------ formatting

const fmtInt = (v) => (v == null ? '–' : Math.round(v).toLocaleString('en-US'));
const fmtS = (ms) => (ms == null ? '–' : ms < 10000 ? (ms / 1000).toFixed(2) : (ms / 1000).toFixed(1));
const fmtMs = (ms) => (ms == null ? '–' : ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
const fmtMiB = (b) => (b == null ? '–' : (b / 2 ** 20).toFixed(1));
const fmtKiB = (b) => (b == null ? '–' : (b / 1024).toFixed(1));
const ratio = (x, y) => (x == null || y == null || y === 0 ? '–' : `${(x / y).toFixed(x / y < 10 ? 1 : 0)}×`);

function wallCell(s) {
  if (!s) return '–';
  if (s.all_rows_ms != null) return fmtS(s.all_rows_ms);
  const how = s.hung ? 'hung' : `> ${capS}`;
  return `${how} (${fmtInt(s.rows)} of ${fmtInt(s.truth_rows)} rows)`;
}

function wallRatio(app, other) {
  if (!app || app.all_rows_ms == null || !other) return '–';
  if (other.all_rows_ms != null) return ratio(other.all_rows_ms, app.all_rows_ms);
  if (other.hung) return '∞ (never finishes)';
  return `> ${ratio(capS * 1000, app.all_rows_ms)}`;
}

function table(head, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map((_, i) => (i === 0 ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

const others = order.filter((c) => c !== 'app');
const hasApp = order.includes('app');

function metricTable(title, f, ratioFn, unit) {
  const head = ['N', ...order.map((c) => `${SHORT[c]}${unit}`)];
  if (hasApp) for (const c of others) head.push(`${SHORT[c]} ÷ app`);
  const rows = sizes.map((n) => {
    const cells = [fmtInt(n), ...order.map((c) => f(get(n, c)))];
    if (hasApp) for (const c of others) cells.push(ratioFn(get(n, 'app'), get(n, c)));
    return cells;
  });
  return `### ${title}\n\n${table(head, rows)}\n`;
}

// ------------------------------------------------------------------ chart (hand-made SVG)

function chart() {
  const W = 760; const H = 440; const L = 70; const R = 200; const T = 40; const B = 60;
  const colors = { app: '#0b7bdc', tutorial: '#d9480f', b24jssdk: '#2b8a3e' };
  const xs = sizes.slice().sort((a, b) => a - b);
  const lx = (n) => Math.log10(n);
  const x0 = lx(xs[0]); const x1 = lx(xs[xs.length - 1]);
  const px = (n) => L + (x1 === x0 ? (W - L - R) / 2 : ((lx(n) - x0) / (x1 - x0)) * (W - L - R));
  const pts = [];
  for (const c of order) {
    for (const n of xs) {
      const s = get(n, c);
      if (!s) continue;
      const done = s.all_rows_ms != null;
      pts.push({ c, n, sec: done ? s.all_rows_ms / 1000 : capS, done, s });
    }
  }
  const ymin = Math.max(0.1, 10 ** Math.floor(Math.log10(0.8 * Math.min(...pts.map((p) => p.sec)))));
  const ymax = 10 ** Math.ceil(Math.log10(Math.max(capS, ...pts.map((p) => p.sec))));
  const py = (s) => T + (1 - (Math.log10(s) - Math.log10(ymin)) / (Math.log10(ymax) - Math.log10(ymin))) * (H - T - B);
  const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">\n`;
  svg += `<rect width="${W}" height="${H}" fill="#fff"/>\n`;
  svg += `<text x="${L}" y="22" font-size="14" font-weight="bold">Wall time to all rows vs N (log–log; median of ${contenders.conditions.runs} runs)</text>\n`;
  for (let e = Math.log10(ymin); e <= Math.log10(ymax) + 1e-9; e++) {
    const v = 10 ** e; const y = py(v);
    svg += `<line x1="${L}" y1="${y}" x2="${W - R}" y2="${y}" stroke="#e5e5e5"/><text x="${L - 6}" y="${y + 4}" text-anchor="end">${v >= 1 ? v : v.toFixed(1)} s</text>\n`;
  }
  for (const n of xs) {
    svg += `<line x1="${px(n)}" y1="${T}" x2="${px(n)}" y2="${H - B}" stroke="#eee"/><text x="${px(n)}" y="${H - B + 18}" text-anchor="middle">${fmtInt(n)}</text>\n`;
  }
  svg += `<text x="${(L + W - R) / 2}" y="${H - 18}" text-anchor="middle">tasks on the portal (N)</text>\n`;
  const yc = py(capS);
  svg += `<line x1="${L}" y1="${yc}" x2="${W - R}" y2="${yc}" stroke="#999" stroke-dasharray="6 4"/><text x="${L + 4}" y="${yc - 5}" fill="#666">cap ${capS} s</text>\n`;
  svg += `<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#888"/>\n`;
  order.forEach((c, i) => {
    const mine = pts.filter((p) => p.c === c);
    const path = mine.map((p, j) => `${j ? 'L' : 'M'}${px(p.n).toFixed(1)},${py(p.sec).toFixed(1)}`).join(' ');
    svg += `<path d="${path}" fill="none" stroke="${colors[c]}" stroke-width="2.5"/>\n`;
    for (const p of mine) {
      const fill = p.done ? colors[c] : '#fff';
      if (!p.done) {
        const above = order.indexOf(c) % 2 === 0;
        svg += `<text x="${(px(p.n) - 8).toFixed(1)}" y="${(py(p.sec) + (above ? -10 : 18)).toFixed(1)}" text-anchor="end" fill="${colors[c]}" font-size="11">${esc(`${SHORT[c]}: ${p.s.hung ? 'hung' : 'cut at cap'}, ${fmtInt(p.s.rows)} rows`)}</text>\n`;
      }
      svg += `<circle cx="${px(p.n).toFixed(1)}" cy="${py(p.sec).toFixed(1)}" r="4.5" fill="${fill}" stroke="${colors[c]}" stroke-width="2"><title>${esc(`${NAMES[c]}, N=${p.n}: ${p.done ? `${p.sec.toFixed(1)} s` : `did not finish (${p.s.hung ? 'hung' : `> ${capS} s`}, ${p.s.rows} rows)`}`)}</title></circle>\n`;
    }
    const ly = T + 10 + i * 22;
    svg += `<line x1="${W - R + 15}" y1="${ly}" x2="${W - R + 40}" y2="${ly}" stroke="${colors[c]}" stroke-width="2.5"/><text x="${W - R + 46}" y="${ly + 4}">${esc(SHORT[c])}</text>\n`;
  });
  const ly = T + 10 + order.length * 22 + 6;
  svg += `<circle cx="${W - R + 27}" cy="${ly}" r="4.5" fill="#fff" stroke="#555" stroke-width="2"/><text x="${W - R + 46}" y="${ly + 4}">did not finish</text>\n`;
  svg += `<text x="${W - R + 15}" y="${ly + 26}" fill="#555">(drawn at the cap)</text>\n`;
  svg += '</svg>\n';
  return svg;
}

// ------------------------------------------------------------------ engine table

function engineSection() {
  if (!engine) return '';
  const c = engine.conditions;
  const head = ['N', 'strategy', 'HTTP requests', 'wall time to all rows (s)', 'first rows (s)', 'rows', 'exact (= /__truth)', 'wall ÷ ChainedKeyset'];
  const rows = engine.summary.map((s) => {
    const base = engine.summary.find((b) => b.n === s.n && b.contender === 'chained');
    const wall = s.all_complete ? fmtS(s.median_wall_ms) : `> ${c.cap_s} (${fmtInt(s.median_rows)} rows)`;
    return [fmtInt(s.n), s.label, fmtInt(s.median_requests), wall, fmtS(s.median_first_rows_ms), fmtInt(s.median_rows),
      s.all_complete ? (s.all_exact ? 'yes' : 'no') : '–',
      s.all_complete && base ? ratio(s.median_wall_ms, base.median_wall_ms) : '–'];
  });
  let md = `## Engine strategies (issue "Loading engine")\n\n`;
  md += `\`load_tasks\` of \`src/report/loader.rs\` run natively by \`bench/\` (crate \`b24-bench\`) against the emulator over real HTTP `
    + `(\`std::net::TcpStream\`, one thread per request so that \`in_flight: 3\` really has 3 requests in flight; real sleeps), `
    + `each load on a freshly started emulator. Auth: ${c.auth}. `
    + `Conditions: latency ${c.latency_ms} ms per request, ${c.subcall_cost_ms} ms per (sub-)call, bucket ${c.bucket}, `
    + `median of ${c.runs} runs, cap ${c.cap_s} s. HTTP requests = the emulator's own count (\`/__stats\`).\n\n`;
  md += `${table(head, rows)}\n\n`;
  md += `Runs (wall seconds each): ${engine.summary.map((s) => `${SHORT_ENGINE[s.contender]}@${s.n}: ${s.wall_ms_all.map((v) => (v / 1000).toFixed(1)).join('/')}`).join('; ')}.\n\n`;
  if (engine.churn?.length) {
    md += `### Under concurrent deletes (N = ${fmtInt(engine.conditions.churn.n)}, the emulator deletes 3 tasks before every ${engine.conditions.churn.delete_every === 1 ? '' : `${engine.conditions.churn.delete_every}-th `}REST request)\n\n`;
    md += table(['strategy', 'HTTP requests', 'wall (s)', 'rows loaded', 'missed (existed throughout, not loaded)', 'duplicates', 'loaded then deleted', 'outcome'],
      engine.churn.map((r) => [SHORT_ENGINE[r.contender], fmtInt(r.requests), fmtS(r.wall_ms), fmtInt(r.rows), fmtInt(r.missed), fmtInt(r.duplicates), fmtInt(r.stale), r.outcome]));
    md += '\n\n';
  }
  return md;
}
const SHORT_ENGINE = { chained: 'ChainedKeyset', pages1: 'PageNumbers×1', pages3: 'PageNumbers×3', classic: 'classic' };

// ------------------------------------------------------------------ markdown

const m = contenders.machine;
const t = contenders.transfer || {};
let md = `# Benchmarks\n\n`;
md += `Generated by \`bench/harness/report.mjs\` from the raw runs in \`${relative(ROOT, opt('contenders'))}\``
  + `${engine ? ` and \`${relative(ROOT, enginePath)}\`` : ''} (all raw runs are copied into \`${relative(ROOT, join(outDir, 'results.json'))}\`); `
  + `every number below comes from those files. Rerun with the command below; a smoke run is \`./bench.sh --smoke\`.\n\n`;
md += `- **Machine:** ${m.cpu}, ${m.cores} cores, ${m.memory_gib} GiB RAM, ${m.os}; node ${m.node}; ${m.chromium} (headless). Other work on the machine was not stopped while it ran.\n`;
md += `- **Date:** contenders ${contenders.started} → ${contenders.finished}${engine?.started ? `; engine ${engine.started}` : ''}\n`;
md += `- **Command:** \`${command}\`\n`;
md += `  - contenders: \`${contenders.command}\`\n`;
if (engine?.command) {
  md += `  - engine: \`${engine.command}\``
    + `${/--engine-from/.test(command) ? ' (run just before, with the same conditions, and reused through `--engine-from`; a plain `./bench.sh` runs it itself)' : ''}\n`;
}
const cc = contenders.conditions;
md += `- **Conditions:** local emulator (\`b24-emulator\`), a fresh process per measured load (same seeded task set, empty rate-limit bucket and operating-time budget); `
  + `latency ${cc.latency_ms} ms added to every REST request; per-(sub-)call server cost ${cc.subcall_cost_ms} ms `
  + `(**an assumption**: no public figure exists for Bitrix24's per-call cost; a \`batch\` of 50 list calls therefore takes ${(50 * cc.subcall_cost_ms / 1000).toFixed(1)} s + latency); `
  + `request-rate bucket \`${cc.bucket}\` (50 burst, 2 per s, 503 \`QUERY_LIMIT_EXCEEDED\` beyond); operating-time limit 480 s / 10 min (emulator default); `
  + `median of ${cc.runs} runs; cap ${cc.cap_s} s per load; a browser load with no REST request for ${cc.stall_s} s and no "loaded" mark is "hung".\n`;
md += `- **Contenders:** ${order.map((c) => `*${NAMES[c]}*`).join('; ')}. `
  + `The browser ones run inside the emulated portal page (\`GET /\`), the app in its iframe, the SDK URL \`//api.bitrix24.com/api/v1/\` routed to the emulator's stand-in; `
  + `times are from the contender's "load start" mark (after \`BX24.init\`) to its "first rows" / "loaded" marks. The SDK contender runs in node through the emulator's incoming webhook (\`tasks.task.list\`, ID ascending, \`>ID\` cursor, \`start=-1\`); its times are from the first call.\n\n`;

md += `![wall time to all rows vs N](${relative(dirname(mdPath), join(outDir, 'chart.svg'))})\n\n`;
md += `## The app against its peers\n\n`;
const finished = (s) => s && s.all_rows_ms != null;
md += metricTable('HTTP requests to load everything (emulator `/__stats`, all REST requests incl. 503s)',
  (s) => (!s ? '–' : finished(s) ? fmtInt(s.requests) : `${fmtInt(s.requests)} (${s.hung ? 'hung' : 'capped'} at ${fmtInt(s.rows)} rows)`),
  (a, o) => (finished(a) && finished(o) ? ratio(o.requests, a.requests) : '– (did not finish)'), '') + '\n';
md += metricTable('Wall time to all rows (s)', wallCell, wallRatio, ' (s)') + '\n';
md += metricTable('Time to the first rows (s)', (s) => (s ? fmtS(s.first_rows_ms) : '–'), (a, o) => ratio(o?.first_rows_ms, a?.first_rows_ms), ' (s)') + '\n';
md += `### Exactness (loaded ID set = \`/__truth?user=1\`)\n\n`;
md += table(['N', ...order.map((c) => SHORT[c])], sizes.map((n) => [fmtInt(n), ...order.map((c) => {
  const s = get(n, c);
  if (!s) return '–';
  if (s.exact == null) return `– (not finished: ${s.statuses.join('/')})`;
  return s.exact ? (c === 'app' ? 'yes (row count)' : 'yes') : 'NO';
})]));
md += '\n\n';
if (hasApp) {
  md += `### In the browser, after the load (medians)\n\n`;
  md += table(['N', 'contender', 'DOM rows (`[data-testid=row]`)', 'JS heap (MiB)', 'wasm memory (MiB)', 'sort: query (ms)', 'sort: click → next frame (ms)', 'filter: query (ms)', 'filter: input → next frame (ms)'],
    sizes.flatMap((n) => ['app', 'tutorial'].filter((c) => get(n, c)).map((c) => {
      const s = get(n, c);
      return [fmtInt(n), SHORT[c], fmtInt(s.dom_rows), fmtMiB(s.js_heap_bytes), c === 'app' ? fmtMiB(s.wasm_bytes) : 'n/a',
        c === 'app' ? fmtMs(s.sort_ms) : 'n/a', c === 'app' ? fmtMs(s.sort_frame_ms) : 'n/a',
        c === 'app' ? fmtMs(s.filter_ms) : 'n/a', c === 'app' ? fmtMs(s.filter_frame_ms) : 'n/a'];
    })));
  md += `\n\nSort = a click on the first column header, filter = typing "a" in \`[data-testid=search]\`; "query" is the app's own \`performance.measure('task-report:query')\` (sum if the input ran more than one); "→ next frame" is from the event to the first animation frame after the last such measure, i.e. the re-rendered rows on screen (for the search box it includes the app's input debounce). JS heap: CDP \`Performance.getMetrics\` \`JSHeapUsedSize\` of the frame's process after a forced GC; wasm: \`memory.buffer.byteLength\` from \`TrunkApplicationStarted\`.\n\n`;
}
md += `### First-load transfer (gzip -9)\n\n`;
// Sums from the per-file sizes where the run recorded them (one definition: lib.mjs
// transferSums — the Excel exporter, fetched on the first export, is not first load).
const sums = (v) => (v.files ? { ...v, ...transferSums(v.files) } : v);
md += table(['contender', 'what', 'code (wasm + js + css), raw KiB', 'code gzip KiB', 'index.html gzip KiB', 'first load gzip KiB', 'on first use (Excel exporter) gzip KiB'],
  Object.entries(t).map(([c, v]) => sums(v)).map((v, i) => [SHORT[Object.keys(t)[i]] ?? Object.keys(t)[i], v.label, fmtKiB(v.code_raw), fmtKiB(v.code_gzip), fmtKiB(v.index_html_gzip), fmtKiB(v.first_load_gzip ?? v.code_gzip), v.exporter_gzip ? fmtKiB(v.exporter_gzip) : '–']));
md += '\n\n';
const noted = summary.filter((s) => s.notes.length || s.errored);
if (noted.length) {
  md += `### Notes from the runs\n\n`;
  for (const s of noted) md += `- ${SHORT[s.contender]} @ N=${fmtInt(s.n)}: ${s.notes.join('; ') || ''}${s.errored ? ' **errored** (see results.json)' : ''} (statuses: ${s.statuses.join(', ')})\n`;
  md += '\n';
}
md += engineSection();
if (notesPath && existsSync(notesPath)) md += `${readFileSync(notesPath, 'utf8').trim()}\n`;
// The Excel export's benchmark writes its own section (bench/excel-export.mjs); keep it.
const excelPath = join(ROOT, 'bench', 'excel.md');
if (existsSync(excelPath)) md += `\n${readFileSync(excelPath, 'utf8').trim()}\n<!-- /excel-export -->\n`;

const results = {
  generated: new Date().toISOString(),
  command,
  machine: m,
  conditions: contenders.conditions,
  contenders: { started: contenders.started, finished: contenders.finished, command: contenders.command, transfer: t, summary, runs: contenders.runs },
  engine,
};
writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2));
writeFileSync(join(outDir, 'chart.svg'), chart());
writeFileSync(mdPath, md);
process.stderr.write(`report: wrote ${relative(ROOT, join(outDir, 'results.json'))}, ${relative(ROOT, join(outDir, 'chart.svg'))}, ${relative(ROOT, mdPath)}\n`);
