/**
 * `npm run bench`: activation-maximization speed, in Node (the kernel API) and in headless
 * Chromium (the extension's compute), for the text example model and a Basset-size layer.
 * Prints a table and writes bench/results/maximize.json. Figures are medians over repeats
 * after a warm-up step, with min and max; ratios compare figures of this one run.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { loadModel } from '../src/kernel';
import { bassetModel, measureCase, type CaseResult } from './cases';
import { convergence } from './convergence';
import { CHROMIUM_ARGS } from '../tests/e2e/chromium';
import type { BrowserPlan, BrowserResult } from './browser';

/** What the bench page's bundle puts on its global object (see bench/browser.ts). */
interface BenchPage {
  runBench(plan: BrowserPlan): Promise<BrowserResult[]>;
  profileBench(plan: BrowserPlan): Promise<[string, number, number][]>;
}

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'results');
const quick = process.argv.includes('--quick');
/** `--backends=wasm,cpu` limits the browser's backends (and skips Node) while tuning. */
const only = process.argv.find(a => a.startsWith('--backends='))?.slice('--backends='.length);

const TEXT_PLAN = { singleSteps: 30, batchedSteps: 30, repeats: quick ? 3 : 5 };
const BASSET_PLAN = { singleSteps: 10, batchedSteps: 3, repeats: quick ? 3 : 5 };

async function nodeCases(): Promise<CaseResult[]> {
  const now = () => performance.now();
  const text = await loadModel(path.join(ROOT, 'examples', 'models', 'text', 'model.json'));
  const cases = [measureCase(text, 'text example', 'ngrams', TEXT_PLAN, now)];
  text.dispose();
  const basset = bassetModel();
  const plan = { ...BASSET_PLAN, batchedSteps: 1, repeats: 3 };
  cases.push(measureCase(basset, 'Basset-size', 'conv1', plan, now));
  cases.push(measureCase(basset, 'Basset-size at position 300', 'conv1', plan, now, 300));
  basset.dispose();
  return cases;
}

/** Serves the bench page, its bundle, tfjs' wasm binaries and the example models. */
function serve(bundle: string): Promise<{ url: string; close: () => void }> {
  const wasmDir = path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  const files: { [prefix: string]: string } = {
    '/wasm/': wasmDir,
    '/models/': path.join(ROOT, 'examples', 'models')
  };
  const types: { [ext: string]: string } = {
    '.js': 'text/javascript',
    '.wasm': 'application/wasm',
    '.json': 'application/json',
    '.bin': 'application/octet-stream'
  };
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]);
    let file: string | undefined;
    if (url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><meta charset="utf-8"><script src="/bench.js"></script>');
      return;
    }
    if (url === '/bench.js') {
      file = bundle;
    }
    for (const [prefix, dir] of Object.entries(files)) {
      if (url.startsWith(prefix)) {
        const resolved = path.resolve(dir, url.slice(prefix.length));
        file = resolved.startsWith(dir) ? resolved : undefined;
      }
    }
    if (!file || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, close: () => server.close() });
    })
  );
}

async function browserCases(): Promise<BrowserResult[]> {
  const bundle = path.join(ROOT, 'bench', '.build', 'bench.js');
  await build({
    entryPoints: [path.join(ROOT, 'bench', 'browser.ts')],
    outfile: bundle,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning'
  });
  const server = await serve(bundle);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS
  });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    const plan: BrowserPlan = {
      backends: only ? only.split(',') : ['wasm', 'webgl', 'cpu'],
      textModelUrl: `${server.url}/models/text/model.json`,
      wasmPrefix: `${server.url}/wasm/`,
      text: TEXT_PLAN,
      basset: { ...BASSET_PLAN, fullSteps: quick ? undefined : 200 }
    };
    if (process.argv.includes('--profile')) {
      const kernels = await page.evaluate(
        p => (globalThis as unknown as BenchPage).profileBench(p),
        plan
      );
      console.log(
        `One batched step, Basset-size layer, ${plan.backends[0]}: ms per tfjs kernel (calls)`
      );
      for (const [name, ms, count] of kernels.slice(0, 15)) {
        console.log(`  ${name.padEnd(24)} ${ms.toFixed(1).padStart(8)}  (${count})`);
      }
      process.exit(0);
    }
    return await page.evaluate(p => (globalThis as unknown as BenchPage).runBench(p), plan);
  } finally {
    await browser.close();
    server.close();
  }
}

/** Prints rows under a header, columns padded to their widest cell. */
function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  for (const r of [header, widths.map(w => '-'.repeat(w)), ...rows]) {
    console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
  }
}

function fmt(s: { median: number; min: number; max: number }): string {
  const n = (v: number) => (v >= 100 ? v.toFixed(0) : v.toPrecision(3));
  return `${n(s.median)} (${n(s.min)}–${n(s.max)})`;
}

async function main(): Promise<void> {
  console.log(`Activation maximization benchmark${quick ? ' (quick)' : ''}: medians (min–max)\n`);
  const rows: string[][] = [];
  const add = (where: string, backend: string, c: CaseResult) =>
    rows.push([
      where,
      backend,
      `${c.model} / ${c.layer} (${c.filters})`,
      fmt(c.single),
      fmt(c.batched),
      `${c.ratio.toFixed(1)}×`,
      c.fullRun ? `${c.fullRun.seconds.toFixed(1)} s` : ''
    ]);
  const node = only ? [] : await nodeCases();
  node.forEach(c => add('Node', tf.getBackend(), c));
  const browser = await browserCases();
  for (const b of browser) {
    if (b.unavailable) {
      rows.push(['Chromium', b.backend, `unavailable: ${b.unavailable}`, '', '', '', '']);
    }
    b.cases.forEach(c => add('Chromium', b.backend, c));
  }
  const header = [
    'where',
    'backend',
    'model / layer (filters)',
    'one filter: steps/s',
    'all filters: filter-steps/s',
    'batched ÷ one',
    '200 steps × all'
  ];
  printTable(header, rows);
  console.log(
    '\nConvergence on the example models (Node): share of filters whose loss moved < 1% over the last tenth of the steps'
  );
  const converged = only ? [] : await convergence(ROOT);
  const table = converged.map(r => [
    `${r.model} / ${r.layer}`,
    r.preset,
    r.objective,
    `${Math.round(r.converged * 100)}%`,
    `${(r.medianChange * 100).toFixed(2)}%`,
    r.medianRms.toPrecision(3)
  ]);
  const convHeader = [
    'model / layer',
    'preset',
    'objective',
    'converged',
    'median change',
    'median rms(x)'
  ];
  printTable(convHeader, table);
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, 'maximize.json');
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        quick,
        node: { backend: tf.getBackend(), cases: node },
        browser,
        convergence: converged
      },
      null,
      2
    )
  );
  console.log(`\nWritten to ${path.relative(ROOT, file)}`);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
