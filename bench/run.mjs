// `make bench`: every measurement in one run, printed as one table (Markdown), with the
// machine and the date; the per-step plot goes to docs/bench-workload.svg and the table
// into README.md's performance section (between the bench markers). Numbers are never
// asserted: budgets and references stand beside them.
//
//   node bench/run.mjs        (after `make dist`, the bench_engine example and the venv;
//                              `make bench` does all of it)
//
// Environment: BENCH_DIR (venv, results; default target/bench), CARGO_TARGET_DIR,
// BENCH_QUICK=1 (fewer repetitions, for trying the bench itself).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../tests/e2e/static-server.mjs';
import { coldStarts, openApp, printedTimes, runInConsole, tablesTabFrames, timedScript } from './browser.mjs';
import { perStepSvg } from './plot.mjs';
import { largestContributors, shippedSizes } from './size.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = resolve(ROOT, process.env.CARGO_TARGET_DIR ?? 'target');
const BENCH_DIR = resolve(ROOT, process.env.BENCH_DIR ?? join(TARGET, 'bench'));
const QUICK = process.env.BENCH_QUICK === '1';
const LOADS = QUICK ? 3 : 10;
const RUNS = QUICK ? 1 : 3;

const WORKLOAD = join(ROOT, 'bench/workload.py');
const TEAM_WORKLOAD = resolve(ROOT, '../shared/bench/workload.py');
const SCALE = join(ROOT, 'bench/scale.py');

const log = (message) => process.stderr.write(`bench: ${message}\n`);

const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
};

/** Per-step medians of several `{ step: ms }` samples. */
function medians(samples) {
  const steps = [...new Set(samples.flatMap(Object.keys))];
  return Object.fromEntries(steps.map((step) => [step, median(samples.map((s) => s[step]))]));
}

async function checkWorkloadCopy() {
  if (!existsSync(TEAM_WORKLOAD)) return 'bench/workload.py (../shared/bench/workload.py not found: not compared)';
  const [ours, theirs] = await Promise.all([readFile(WORKLOAD, 'utf8'), readFile(TEAM_WORKLOAD, 'utf8')]);
  if (ours !== theirs) {
    throw new Error('bench/workload.py differs from ../shared/bench/workload.py: copy the team reference over it and commit');
  }
  return 'bench/workload.py (equal to ../shared/bench/workload.py)';
}

function realWorkload(runs) {
  const python = join(BENCH_DIR, 'venv/bin/python');
  const samples = [];
  for (let run = 0; run < runs; run += 1) {
    samples.push(printedTimes(execFileSync(python, [WORKLOAD], { cwd: BENCH_DIR }).toString()));
  }
  return medians(samples);
}

function nativeEngine(script, args) {
  const binary = join(TARGET, 'release/examples/bench_engine');
  return JSON.parse(execFileSync(binary, [...args, script], { maxBuffer: 1 << 26 }).toString());
}

function machine() {
  const cpu = cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const chromium = execFileSync('/usr/bin/chromium', ['--version']).toString().trim();
  return {
    date: new Date().toISOString().slice(0, 10),
    cpu,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    load: loadavg().map((l) => l.toFixed(1)).join(' '),
    node: process.version,
    chromium,
  };
}

// ---- formatting -------------------------------------------------------------------------

const bytes = (n) => `${n.toLocaleString('en-US')} B`;
const ms = (n) => (Number.isFinite(n) ? (n >= 100 ? `${Math.round(n).toLocaleString('en-US')} ms` : `${n.toFixed(1)} ms`) : '–');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–');
const within = (value, limit) => (Number.isFinite(value) ? (value <= limit ? 'within' : 'OVER') : '–');

function table(rows) {
  const header = ['measure', 'playground', 'compared with', 'ratio', 'budget'];
  const lines = [`| ${header.join(' | ')} |`, '| --- | ---: | ---: | ---: | --- |'];
  for (const row of rows) {
    lines.push(typeof row === 'string' ? `| **${row}** | | | | |` : `| ${row.map((cell) => cell ?? '').join(' | ')} |`);
  }
  return lines.join('\n');
}

// ---- the run ------------------------------------------------------------------------------

async function main() {
  await mkdir(BENCH_DIR, { recursive: true });
  const workloadNote = await checkWorkloadCopy();
  const workloadSource = await readFile(WORKLOAD, 'utf8');
  const scaleSource = await readFile(SCALE, 'utf8');
  const about = machine();

  log('sizes');
  const sizes = await shippedSizes(join(ROOT, 'dist'));
  const cargoWasm = join(TARGET, 'wasm32-unknown-unknown/wasm-release/sqla-playground.wasm');
  const contributors = existsSync(cargoWasm) ? largestContributors(cargoWasm, 8) : [];

  log('the reference workload with the real Flask-SQLAlchemy');
  const real = realWorkload(RUNS);
  log('the engine natively: workload, replay on GlueSQL, scale');
  const native = nativeEngine(WORKLOAD, ['--runs', String(RUNS), '--replay']);
  const nativeScale = nativeEngine(SCALE, ['--runs', '1']);

  const server = await serve(join(ROOT, 'dist'));
  const url = `${server.url}/`;
  let browser;
  const results = { machine: about, sizes, contributors, real, native, nativeScale };
  try {
    log(`cold start: ${LOADS} loads, a fresh profile each`);
    results.coldStarts = await coldStarts(url, LOADS);

    log(`the reference workload in the page (1 cold run discarded, ${RUNS} measured)`);
    const app = await openApp(url);
    browser = app.browser;
    results.workload = medians(await timedScript(app.page, workloadSource, RUNS));

    log('a runaway script in the page');
    const runaway = await runInConsole(app.page, 'while True: pass');
    const after = await runInConsole(app.page, 'print(6 * 7)');
    results.runaway = { wallMs: runaway.wallMs, error: runaway.error.trim().split('\n').at(-1), nextOutput: after.output.trim() };
    await browser.close();

    log('100,000 rows in the page, then the Tables tab');
    const scaleApp = await openApp(url);
    browser = scaleApp.browser;
    results.scale = medians(await timedScript(scaleApp.page, scaleSource, 1));
    results.frames = await tablesTabFrames(scaleApp.page);
    results.pageProblems = [...app.problems, ...scaleApp.problems];
  } finally {
    await browser?.close();
    await server.close();
  }
  await writeFile(join(BENCH_DIR, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);

  const markdown = report(results, workloadNote);
  process.stdout.write(`${markdown}\n`);
  await writeFile(join(BENCH_DIR, 'results.md'), `${markdown}\n`);
  await writeFile(join(ROOT, 'docs/bench-workload.svg'), plot(results));
  await updateReadme(markdown);
  log(`wrote ${join(BENCH_DIR, 'results.json')}, docs/bench-workload.svg and README.md's performance table`);
}

function report(r, workloadNote) {
  const m = r.machine;
  const steps = Object.keys(r.real);
  const shipped = r.sizes.wasm.gzip + r.sizes.js.gzip;
  const loads = [...r.coldStarts].sort((a, b) => a - b);
  const rows = [];

  rows.push('Size (dist/, gzip -9)');
  rows.push([`wasm \`${r.sizes.wasm.file.replace(/-[0-9a-f]{8,}/, '-…')}\``, `${bytes(r.sizes.wasm.gzip)} (raw ${bytes(r.sizes.wasm.raw)})`]);
  rows.push([`JS \`${r.sizes.js.file.replace(/-[0-9a-f]{8,}/, '-…')}\``, `${bytes(r.sizes.js.gzip)} (raw ${bytes(r.sizes.js.raw)})`]);
  rows.push(['wasm + JS', bytes(shipped), '1,500,000 B', ratio(shipped, 1_500_000), `≤ 1.5 MB: ${within(shipped, 1_500_000)}`]);
  if (r.contributors.length) {
    rows.push(['largest parts of the wasm (twiggy, before wasm-opt)', r.contributors.map((c) => `${c.name} ${c.percent.toFixed(0)}%`).join(', ')]);
  }

  rows.push(`Cold start: navigation → console accepts input (${loads.length} loads, fresh profile each)`);
  rows.push(['median', ms(median(loads)), `min ${ms(loads[0])}, max ${ms(loads.at(-1))}`, '', `≤ 400 ms: ${within(median(loads), 400)}`]);

  rows.push(`Reference workload: in the page vs the real Flask-SQLAlchemy ${'(CPython, SQLite in memory)'}, medians`);
  for (const step of [...steps.filter((s) => s !== 'total'), 'total']) {
    const budget = step === 'insert_10k' ? `≤ 300 ms: ${within(r.workload[step], 300)}` : step === 'filter_by_1k' ? `≤ 50 ms per command: ${within(r.workload[step] / 1000, 50)}` : '';
    rows.push([`\`${step}\``, ms(r.workload[step]), `real ${ms(r.real[step])}`, ratio(r.workload[step], r.real[step]), budget]);
  }

  rows.push('Engine overhead, native: the ORM (interpreter + ORM + db layer) vs the same GlueSQL statements run directly');
  const orm = r.native.orm_ms;
  const memory = r.native.glue_memory_storage_ms;
  const storage = r.native.glue_playground_storage_ms;
  for (const step of steps.filter((s) => s !== 'total')) {
    rows.push([
      `\`${step}\` (${r.native.statements[step]} statements)`,
      `ORM ${ms(orm[step])}`,
      `GlueSQL ${ms(storage[step])} on the playground's storage, ${ms(memory[step])} on MemoryStorage`,
      ratio(orm[step], storage[step]),
    ]);
  }
  const sum = (values) => steps.filter((s) => s !== 'total').reduce((total, step) => total + (values[step] ?? 0), 0);
  rows.push(['all steps', `ORM ${ms(sum(orm))}`, `GlueSQL ${ms(sum(storage))} / ${ms(sum(memory))}`, ratio(sum(orm), sum(storage))]);
  const failures = r.native.replay_failures;
  if (failures.memory_storage.length || failures.playground_storage.length) {
    rows.push(['statements GlueSQL refused on replay', `${failures.playground_storage.length} on the playground's storage`, `${failures.memory_storage.length} on MemoryStorage`]);
  }

  rows.push('The engine at scale: 100,000 rows (bench/scale.py), in the page vs natively');
  for (const step of Object.keys(r.nativeScale.orm_ms).filter((s) => s !== 'total').concat('total')) {
    const single = ['filter_by_unique', 'order_by_limit_10', 'join_group_by_count'].includes(step);
    rows.push([`\`${step}\``, ms(r.scale[step]), `native ${ms(r.nativeScale.orm_ms[step])}`, ratio(r.scale[step], r.nativeScale.orm_ms[step]), single ? '(one command; 50 ms is the budget at 10,000 rows)' : '']);
  }
  const f = r.frames;
  rows.push([
    `Tables tab with 100,000 rows: opening it (${f.renderedRows} rows rendered)`,
    `longest frame ${ms(f.opening.maxFrameMs)}`,
    `${f.opening.longTasks} long tasks, longest ${ms(f.opening.longestTaskMs)}`,
    '',
    `no frame over 100 ms: ${within(f.opening.maxFrameMs, 100)}`,
  ]);
  rows.push([
    'scrolling it (40 wheel steps)',
    `longest frame ${ms(f.scrolling.maxFrameMs)}, p95 ${ms(f.scrolling.p95FrameMs)}`,
    `${f.scrolling.frames} frames, ${f.scrolling.over100} over 100 ms, ${f.scrolling.longTasks} long tasks`,
    '',
    `no frame over 100 ms: ${within(f.scrolling.maxFrameMs, 100)}`,
  ]);
  rows.push('Runaway script in the page');
  rows.push(['`while True: pass`', `${ms(r.runaway.wallMs)} to the error`, r.runaway.error, '', `next command printed ${r.runaway.nextOutput}`]);

  return [
    `Measured ${m.date} on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB (load average at the start: ${m.load}; other builds share the machine), ` +
      `${m.chromium} headless, Node.js ${m.node}. Workload: ${workloadNote}.`,
    '',
    table(rows),
  ].join('\n');
}

function plot(r) {
  const steps = Object.keys(r.real).filter((s) => s !== 'total');
  return perStepSvg({
    title: 'Reference workload, per step (log scale)',
    subtitle: `${r.machine.date}, ${r.machine.cpu}; medians`,
    steps,
    series: [
      { name: 'playground in Chromium', color: '#d95f02', values: r.workload },
      { name: 'playground engine, native', color: '#fdb863', values: r.native.orm_ms },
      { name: 'real Flask-SQLAlchemy (CPython + SQLite)', color: '#1b9e77', values: r.real },
    ],
  });
}

const START = '<!-- bench:start (make bench rewrites this block) -->';
const END = '<!-- bench:end -->';

async function updateReadme(markdown) {
  const path = join(ROOT, 'README.md');
  const readme = await readFile(path, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) {
    log('README.md has no bench markers: the table was not copied there');
    return;
  }
  await writeFile(path, `${readme.slice(0, start + START.length)}\n${markdown}\n${readme.slice(end)}`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.stack ?? error}\n`);
  process.exit(1);
});
