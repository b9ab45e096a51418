// Bytes per task on the wire: the app's SELECT (src/report/planner.rs, read from the source)
// against the four mission columns' SELECT it had before the column model (issue 14), over the
// same 1 000 tasks of the emulator (20 pages of 50, `task.item.list` through its webhook), raw
// and gzip (a portal answers gzip-compressed to browsers). Writes bench/runs/<stamp>/bytes.json
// and prints a Markdown table.
//
//   node bench/harness/bytes-per-task.mjs [--tasks 100000] [--pages 20]
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { BENCH, ROOT, startEmulator, machine } from './lib.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const TASKS = Number(arg('tasks', '100000'));
const PAGES = Number(arg('pages', '20'));

/** The `SELECT` array of src/report/planner.rs. */
function appSelect() {
  const src = readFileSync(join(ROOT, 'src', 'report', 'planner.rs'), 'utf8');
  const m = src.match(/pub const SELECT: \[&str; \d+\] = \[([^\]]*)\]/);
  if (!m) throw new Error('SELECT not found in src/report/planner.rs');
  return [...m[1].matchAll(/"([A-Z_]+)"/g)].map((x) => x[1]);
}

const SELECTS = {
  'before the column model (ID, TITLE, PRIORITY, STATUS, REAL_STATUS, RESPONSIBLE_ID)':
    ['ID', 'TITLE', 'PRIORITY', 'STATUS', 'REAL_STATUS', 'RESPONSIBLE_ID'],
  [`the app now (${appSelect().length} fields: planner::SELECT)`]: appSelect(),
};

const emu = await startEmulator(['--app', join(ROOT, 'task-report.zip'), '--tasks', String(TASKS), '--bucket', 'off']);
const results = [];
try {
  for (const [name, fields] of Object.entries(SELECTS)) {
    let raw = 0;
    let gzip = 0;
    let rows = 0;
    for (let page = 1; page <= PAGES; page += 1) {
      const body = [
        'ORDER[ID]=desc', 'FILTER[]=',
        'PARAMS[NAV_PARAMS][nPageSize]=50', `PARAMS[NAV_PARAMS][iNumPage]=${page}`,
        ...fields.map((f, i) => `SELECT[${i}]=${f}`),
      ].join('&');
      const res = await fetch(`${emu.webhook}task.item.list.json`, {
        method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body,
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${res.status}: ${text.slice(0, 200)}`);
      rows += JSON.parse(text).result.length;
      raw += Buffer.byteLength(text);
      gzip += gzipSync(text, { level: 6 }).length;
    }
    results.push({ select: name, fields, rows, raw_per_task: raw / rows, gzip_per_task: gzip / rows });
  }
} finally { await emu.stop(); }

const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
const dir = join(BENCH, 'runs', `${stamp}-bytes`);
mkdirSync(dir, { recursive: true });
const out = { date: new Date().toISOString(), machine: machine(), command: `node bench/harness/bytes-per-task.mjs --tasks ${TASKS} --pages ${PAGES}`, results };
writeFileSync(join(dir, 'bytes.json'), JSON.stringify(out, null, 2));
console.log('| SELECT | rows | bytes per task (raw) | bytes per task (gzip) |');
console.log('| --- | ---: | ---: | ---: |');
for (const r of results) console.log(`| ${r.select} | ${r.rows} | ${r.raw_per_task.toFixed(0)} | ${r.gzip_per_task.toFixed(0)} |`);
console.log(`wrote ${join(dir, 'bytes.json')}`);
