/**
 * `npm run bench`, the compute part: payload sizes, feature maps and kernels per backend,
 * activation-maximization speed in Node (the kernel API) and in headless Chromium (the
 * extension's compute), the same maximization in TensorFlow for Python (the peer baseline,
 * bench/baseline.py) and convergence, for the text and DNA examples and a Basset-size
 * model; then dataset motifs (bench/datasetMotifs.ts): `filterMotifs` over 10 000
 * sequences in Node (cpu, wasm) and Chromium (wasm), the same scan in TensorFlow for Python
 * (bench/scan_baseline.py, on 2000 of them) with the agreement of its sites, and our Tomtom
 * against memelite's (agreement and speed). Prints tables and writes
 * bench/results/bench.json. Figures are medians over repeats after a warm-up, with min and
 * max; ratios compare figures of this one run. `--motifs` runs the dataset-motif part
 * alone (written to bench/results/motifs.json).
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { build } from 'esbuild';
import { chromium, type Page } from '@playwright/test';
import { loadModel, useWasmBackend } from '../src/kernel';
import { execFileSync } from 'child_process';
import { explore } from '../src/kernel';
import { sequenceTensor, describeSequence, type SequenceLike } from '../src/core';
import { MIME_TYPE, decodePayload, weightByteLength } from '../src/protocol';
import {
  bassetModel,
  baselineCase,
  measureAnalysis,
  measureCase,
  randomDna,
  type AnalysisResult,
  type BaselineCase,
  type CaseResult
} from './cases';
import { convergence } from './convergence';
import { CHROMIUM_ARGS } from '../tests/e2e/chromium';
import type {
  AttributionPlan,
  BrowserPlan,
  BrowserResult,
  ScanBrowserPlan,
  WorkerScanPlan
} from './browser';
import {
  ATTRIBUTION_TARGETS,
  bassetWithHead,
  measureAttributions,
  type AttributionModel,
  type AttributionResult
} from './attributions';
import {
  nodeScans,
  peerBench,
  printPeerTable,
  printScanTable,
  printTomtomTables,
  scanPlans,
  tomtomBench,
  type PeerBench,
  type ScanSet,
  type TomtomBench,
  withoutDetails
} from './datasetMotifs';
import { TARGET_SEQUENCES, type ScanResult } from './scan';
import { fmt, printTable, verdict } from './table';

/** What the bench page's bundle puts on its global object (see bench/browser.ts). */
interface BenchPage {
  runBench(plan: BrowserPlan): Promise<BrowserResult[]>;
  profileBench(plan: BrowserPlan): Promise<[string, number, number][]>;
  scanBench(plan: ScanBrowserPlan): Promise<ScanResult[] | { unavailable: string }>;
  attributionBench(plan: AttributionPlan): Promise<AttributionResult[] | { unavailable: string }>;
  workerScanBench(plan: WorkerScanPlan): Promise<{ workers: number; result: ScanResult }[]>;
}

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'results');
const quick = process.argv.includes('--quick');
/** `--backends=wasm,cpu` limits the browser's backends (and skips Node) while tuning. */
const only = process.argv.find(a => a.startsWith('--backends='))?.slice('--backends='.length);
/** `--motifs`: only the dataset-motif part. */
const motifsOnly = process.argv.includes('--motifs');
/** `--attributions`: only the attribution part. */
const attributionsOnly = process.argv.includes('--attributions');

const TEXT_PLAN = { singleSteps: 30, batchedSteps: 30, repeats: quick ? 3 : 5 };
const BASSET_PLAN = { singleSteps: 10, batchedSteps: 3, repeats: quick ? 3 : 5 };

const MODELS = path.join(ROOT, 'examples', 'models');
const DNA_PLAN = { singleSteps: 30, batchedSteps: 30, repeats: quick ? 3 : 5 };

async function nodeCases(): Promise<CaseResult[]> {
  const now = () => performance.now();
  const text = await loadModel(path.join(MODELS, 'text', 'model.json'));
  const cases = [measureCase(text, 'text example', 'ngrams', TEXT_PLAN, now)];
  text.dispose();
  const dna = await loadModel(path.join(MODELS, 'dna', 'model.json'));
  cases.push(measureCase(dna, 'DNA example', 'motif_scan', DNA_PLAN, now));
  dna.dispose();
  const basset = bassetModel();
  const plan = { ...BASSET_PLAN, batchedSteps: 1, repeats: 3 };
  cases.push(measureCase(basset, 'Basset-size', 'conv1', plan, now));
  cases.push(measureCase(basset, 'Basset-size at position 300', 'conv1', plan, now, 300));
  basset.dispose();
  return cases;
}

/** One model's payload: bytes in the notebook against the float32 bytes of the weights sent. */
interface PayloadRow {
  model: string;
  float16: boolean;
  payloadBytes: number;
  float32Bytes: number;
  ratio: number;
}

/** The three models of the bench, each with a sequence to explore. */
async function benchModels(): Promise<
  { name: string; model: tf.LayersModel; sequence: SequenceLike }[]
> {
  const dnaInfo = JSON.parse(fs.readFileSync(path.join(MODELS, 'dna', 'info.json'), 'utf8'));
  const ids = Array.from({ length: 24 }, (_, i) => (i * 7) % 100);
  const basset = bassetModel();
  const x = randomDna(600);
  const bassetSequence = (await x.array()) as number[][][];
  x.dispose();
  return [
    {
      name: 'text example',
      model: await loadModel(path.join(MODELS, 'text', 'model.json')),
      sequence: ids
    },
    {
      name: 'DNA example',
      model: await loadModel(path.join(MODELS, 'dna', 'model.json')),
      sequence: dnaInfo.example
    },
    { name: 'Basset-size', model: basset, sequence: bassetSequence[0] }
  ];
}

async function payloadRows(): Promise<PayloadRow[]> {
  const rows: PayloadRow[] = [];
  for (const { name, model, sequence } of await benchModels()) {
    for (const float16 of [false, true]) {
      let text = '';
      await explore(model, sequence, { float16, display: b => (text = b[MIME_TYPE]) });
      const payload = decodePayload(text);
      const float32Bytes = payload.model.weightSpecs.reduce(
        (n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4,
        0
      );
      const payloadBytes = Buffer.byteLength(text);
      expectSize(weightByteLength(payload.model.weightSpecs), float32Bytes, float16);
      rows.push({
        model: name,
        float16,
        payloadBytes,
        float32Bytes,
        ratio: payloadBytes / float32Bytes
      });
    }
    model.dispose();
  }
  return rows;
}

function expectSize(sent: number, float32: number, float16: boolean): void {
  if (sent !== (float16 ? float32 / 2 : float32)) {
    throw new Error(`weights sent ${sent} bytes, expected ${float16 ? float32 / 2 : float32}`);
  }
}

/** Feature maps of all Conv1D layers and all kernels, in Node (cpu). */
async function nodeAnalysis(): Promise<AnalysisResult[]> {
  const out: AnalysisResult[] = [];
  for (const { name, model, sequence } of await benchModels()) {
    const x = sequenceTensor(describeSequence(model, sequence));
    out.push(measureAnalysis(model, name, x, quick ? 3 : 5, () => performance.now()));
    x.dispose();
    model.dispose();
  }
  return out;
}

/** The Python TensorFlow baseline's figures, or why there are none. */
type Baseline =
  | {
      tensorflow: string;
      cases: { model: string; layer: string; eager: Stats; function: Stats }[];
    }
  | { unavailable: string };
type Stats = CaseResult['single'];

async function pythonBaseline(): Promise<Baseline> {
  const python = path.join(ROOT, '.venv-tf', 'bin', 'python');
  if (!fs.existsSync(python)) {
    return { unavailable: 'no .venv-tf with tensorflow-cpu (scripts/bench.sh makes it)' };
  }
  const text = await loadModel(path.join(MODELS, 'text', 'model.json'));
  const dna = await loadModel(path.join(MODELS, 'dna', 'model.json'));
  const basset = bassetModel();
  const cases: BaselineCase[] = [
    baselineCase(text, 'text example', 'ngrams', 24),
    baselineCase(dna, 'DNA example', 'motif_scan', 100),
    baselineCase(basset, 'Basset-size', 'conv1', 600),
    baselineCase(basset, 'Basset-size at position 300', 'conv1', 600, 300)
  ];
  [text, dna, basset].forEach(m => m.dispose());
  const file = path.join(ROOT, 'bench', '.build', 'baseline-cases.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(cases));
  try {
    const out = execFileSync(
      python,
      [path.join(ROOT, 'bench', 'baseline.py'), file, '20', quick ? '3' : '5'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 * 1024 * 1024 }
    );
    return JSON.parse(out.trim().split('\n').pop()!);
  } catch (e) {
    return {
      unavailable: `bench/baseline.py failed: ${String((e as Error).message).slice(0, 300)}`
    };
  }
}

/** Serves the bench page, its bundle, tfjs' wasm binaries and the example models. */
function serve(bundle: string): Promise<{ url: string; close: () => void }> {
  const wasmDir = path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  const files: { [prefix: string]: string } = {
    '/wasm/': wasmDir,
    '/models/': path.join(ROOT, 'examples', 'models'),
    '/lib/': path.join(ROOT, 'lib')
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

/** Builds the bench page, opens it in headless Chromium and runs `use` on it. */
async function withBenchPage<T>(use: (page: Page, url: string) => Promise<T>): Promise<T> {
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
    return await use(page, server.url);
  } finally {
    await browser.close();
    server.close();
  }
}

async function browserCases(): Promise<BrowserResult[]> {
  return withBenchPage(async (page, url) => {
    const plan: BrowserPlan = {
      backends: only ? only.split(',') : ['wasm', 'webgl', 'cpu'],
      textModelUrl: `${url}/models/text/model.json`,
      dnaModelUrl: `${url}/models/dna/model.json`,
      wasmPrefix: `${url}/wasm/`,
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
  });
}

/** The dataset-motif scans in headless Chromium, on wasm (a page of its own). */
async function browserScans(): Promise<ScanSet> {
  const results = await withBenchPage((page, url) => {
    const plan: ScanBrowserPlan = {
      dnaModelUrl: `${url}/models/dna/model.json`,
      wasmPrefix: `${url}/wasm/`,
      plans: scanPlans('Chromium wasm', quick)
    };
    return page.evaluate(p => (globalThis as unknown as BenchPage).scanBench(p), plan);
  });
  return Array.isArray(results)
    ? { where: 'Chromium wasm', results }
    : { where: 'Chromium wasm', results: [], unavailable: results.unavailable };
}

/**
 * The Basset-size scan in the extension's scan workers (the dataset view's own path), with
 * one worker and with two sharing the forward pass.
 */
async function workerScans(): Promise<ScanSet[]> {
  const found = await withBenchPage((page, url) => {
    const plan: WorkerScanPlan = {
      workerUrl: `${url}/lib/lab/maximize.worker.js`,
      wasmPrefix: `${url}/wasm/`,
      sequences: quick ? 200 : TARGET_SEQUENCES,
      repeats: quick ? 1 : 2,
      workers: [1, 2]
    };
    return page.evaluate(p => (globalThis as unknown as BenchPage).workerScanBench(p), plan);
  });
  return found.map(({ workers, result }) => ({
    where: `Chromium wasm-workers ×${workers}` as const,
    results: [result]
  }));
}

/** Seconds our timed scans of the peer's set took, warm-ups left out. */
function peerSetSeconds(scans: readonly ScanSet[]): number {
  return scans
    .flatMap(s => s.results)
    .filter(r => r.details)
    .reduce((n, r) => n + r.seconds.median * r.seconds.runs, 0);
}

/**
 * The dataset-motif part: scans in Node and Chromium, the same scan in TensorFlow for
 * Python, then Tomtom against memelite.
 */
async function datasetMotifs(): Promise<{
  scans: ScanSet[];
  peer: PeerBench;
  tomtom: TomtomBench;
}> {
  const started = performance.now();
  const scans = [...(await nodeScans(ROOT, quick)), await browserScans(), ...(await workerScans())];
  const scanSeconds = (performance.now() - started) / 1000;
  const peer = peerBench(ROOT, quick, scans);
  const peerSeconds = (performance.now() - started) / 1000 - scanSeconds;
  printScanTable(scans, peer.result);
  printPeerTable(scans, peer);
  const python = path.join(ROOT, '.venv-meme', 'bin', 'python');
  const tomtom = tomtomBench(python, path.join(OUT, 'tomtom'), quick);
  printTomtomTables(tomtom);
  const total = (performance.now() - started) / 1000;
  console.log(
    `  (dataset motifs took ${scanSeconds.toFixed(0)} s for our scans, ≈ ` +
      `${peerSetSeconds(scans).toFixed(0)} s of them on the peer's set; ` +
      `${peerSeconds.toFixed(0)} s for TensorFlow for Python, ` +
      `${(total - scanSeconds - peerSeconds).toFixed(0)} s for Tomtom)`
  );
  return { scans: scans.map(withoutDetails), peer, tomtom };
}

/** Where the attributions were timed, and the figures. */
interface AttributionSet {
  where: string;
  results: AttributionResult[];
  unavailable?: string;
}

/**
 * The attribution part: integrated gradients and ISM in Node and in headless Chromium,
 * both on wasm, with the browser targets.
 */
async function attributionPart(): Promise<AttributionSet[]> {
  const repeats = quick ? 2 : 5;
  const before = tf.getBackend();
  await useWasmBackend();
  const load = async (model: AttributionModel) =>
    model === 'Basset-size + dense head'
      ? bassetWithHead()
      : loadModel(
          path.join(
            ROOT,
            'examples',
            'models',
            model === 'text example' ? 'text' : 'dna',
            'model.json'
          )
        );
  const node = await measureAttributions(load, repeats, () => performance.now());
  await tf.setBackend(before);
  const browser = await withBenchPage((page, url) => {
    const plan: AttributionPlan = {
      textModelUrl: `${url}/models/text/model.json`,
      dnaModelUrl: `${url}/models/dna/model.json`,
      wasmPrefix: `${url}/wasm/`,
      repeats
    };
    return page.evaluate(p => (globalThis as unknown as BenchPage).attributionBench(p), plan);
  });
  const sets: AttributionSet[] = [
    { where: 'Node', results: node },
    Array.isArray(browser)
      ? { where: 'Chromium', results: browser }
      : { where: 'Chromium', results: [], unavailable: browser.unavailable }
  ];
  console.log(
    '\nAttributions of one sequence (wasm): integrated gradients, 50 points; ISM, every substitution'
  );
  const rows = sets.flatMap(set =>
    set.unavailable
      ? [[set.where, `unavailable: ${set.unavailable}`, '', '', '', '']]
      : set.results.map(r => {
          const limit =
            r.method === 'ism'
              ? r.model === 'Basset-size + dense head'
                ? ATTRIBUTION_TARGETS.ismMs
                : null
              : r.model === 'Basset-size + dense head'
                ? null
                : ATTRIBUTION_TARGETS.integratedGradientsMs;
          const target =
            set.where === 'Chromium' && limit !== null
              ? `≤ ${limit} ms ${verdict(r.ms.median <= limit)}`
              : '';
          const work =
            r.method === 'ism'
              ? `${r.work} variants${r.local ? ', local' : ''}`
              : `${r.work} points`;
          return [set.where, r.model, r.method, work, ms(r.ms), target];
        })
  );
  printTable(['where', 'model', 'method', 'work', 'time', 'target (browser)'], rows);
  return sets;
}

/** `--attributions`: the attribution part alone, written to bench/results/attributions.json. */
async function attributionsMain(): Promise<void> {
  console.log(
    `conv1d-explorer benchmark, attributions${quick ? ' (quick)' : ''}: medians (min–max)`
  );
  const attributions = await attributionPart();
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, 'attributions.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ date: new Date().toISOString(), quick, attributions }, null, 2)
  );
  console.log(`\nWritten to ${path.relative(ROOT, file)}`);
}

/** `--motifs`: the dataset-motif part alone, written to bench/results/motifs.json. */
async function motifsMain(): Promise<void> {
  console.log(
    `conv1d-explorer benchmark, dataset motifs${quick ? ' (quick)' : ''}: medians (min–max)`
  );
  const motifs = await datasetMotifs();
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, 'motifs.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ date: new Date().toISOString(), quick, motifs }, null, 2)
  );
  console.log(`\nWritten to ${path.relative(ROOT, file)}`);
}

function ms(s: Stats): string {
  return `${fmt(s)} ms`;
}

async function main(): Promise<void> {
  console.log(`conv1d-explorer benchmark${quick ? ' (quick)' : ''}: medians (min–max)\n`);

  console.log('Payload: bytes in the notebook vs the float32 bytes of the weights sent');
  const payloads = only ? [] : await payloadRows();
  printTable(
    ['model', 'weights', 'payload', 'float32 weights', 'ratio', 'target'],
    payloads.map(p => [
      p.model,
      p.float16 ? 'float16' : 'float32',
      `${(p.payloadBytes / 1e3).toFixed(1)} kB`,
      `${(p.float32Bytes / 1e3).toFixed(1)} kB`,
      `${p.ratio.toFixed(2)}×`,
      `${p.float16 ? '≤ 0.75×' : '≤ 1.4×'} ${p.ratio <= (p.float16 ? 0.75 : 1.4) ? 'met' : 'MISSED'}`
    ])
  );

  const node = only ? [] : await nodeCases();
  const nodeAnalyses = only ? [] : await nodeAnalysis();
  const browser = await browserCases();

  console.log(
    '\nFeature maps of all Conv1D layers + all kernels (what the explorer computes on opening)'
  );
  const analysisRows: string[][] = nodeAnalyses.map(a => [
    'Node',
    tf.getBackend(),
    a.model,
    String(a.layers),
    ms(a.ms)
  ]);
  for (const b of browser) {
    b.analysis.forEach(a =>
      analysisRows.push(['Chromium', b.backend, a.model, String(a.layers), ms(a.ms)])
    );
  }
  printTable(['where', 'backend', 'model', 'Conv1D layers', 'time'], analysisRows);

  console.log('\nActivation maximization');
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
  node.forEach(c => add('Node', tf.getBackend(), c));
  for (const b of browser) {
    if (b.unavailable) {
      rows.push(['Chromium', b.backend, `unavailable: ${b.unavailable}`, '', '', '', '']);
    }
    b.cases.forEach(c => add('Chromium', b.backend, c));
  }
  printTable(
    [
      'where',
      'backend',
      'model / layer (filters)',
      'one filter: steps/s',
      'all filters: filter-steps/s',
      'batched ÷ one',
      '200 steps × all'
    ],
    rows
  );

  console.log(
    '\nPeer baseline: the same maximization in TensorFlow for Python (GradientTape + Adam, one filter at a time)'
  );
  const baseline = only ? { unavailable: 'skipped (--backends)' } : await pythonBaseline();
  const wasm = browser.find(b => b.backend === 'wasm');
  if ('unavailable' in baseline) {
    console.log(`  not measured: ${baseline.unavailable}`);
  } else {
    printTable(
      [
        'model / layer',
        'Python eager: filter-steps/s',
        'Python tf.function',
        'ours, all filters (Chromium wasm)',
        '÷ eager',
        '÷ tf.function',
        'target ≥ 10× (eager / tf.function)'
      ],
      baseline.cases.map(c => {
        const ours = wasm?.cases.find(o => o.model === c.model)?.batched.median ?? NaN;
        const tenfold = (ratio: number) => verdict(ratio >= 10);
        return [
          `${c.model} / ${c.layer}`,
          fmt(c.eager),
          fmt(c.function),
          Number.isFinite(ours) ? ours.toFixed(0) : 'n/a',
          `${(ours / c.eager.median).toFixed(1)}×`,
          `${(ours / c.function.median).toFixed(1)}×`,
          `${tenfold(ours / c.eager.median)} / ${tenfold(ours / c.function.median)}`
        ];
      })
    );
    console.log(`  (TensorFlow ${baseline.tensorflow}, CPU)`);
  }

  console.log(
    '\nConvergence on the example models (Node): share of filters whose loss moved < 1% over the last tenth of the steps'
  );
  const converged = only ? [] : await convergence(ROOT);
  printTable(
    ['model / layer', 'preset', 'objective', 'converged', 'median change', 'median rms(x)'],
    converged.map(r => [
      `${r.model} / ${r.layer}`,
      r.preset,
      r.objective,
      `${Math.round(r.converged * 100)}%`,
      `${(r.medianChange * 100).toFixed(2)}%`,
      r.medianRms.toPrecision(3)
    ])
  );
  const motifs = only ? { skipped: '--backends' } : await datasetMotifs();
  const attributions = only ? { skipped: '--backends' } : await attributionPart();
  fs.mkdirSync(OUT, { recursive: true });
  const file = path.join(OUT, 'bench.json');
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        quick,
        payloads,
        node: { backend: tf.getBackend(), cases: node, analysis: nodeAnalyses },
        browser,
        baseline,
        convergence: converged,
        motifs,
        attributions
      },
      null,
      2
    )
  );
  console.log(`\nWritten to ${path.relative(ROOT, file)}`);
}

(motifsOnly ? motifsMain() : attributionsOnly ? attributionsMain() : main()).catch(e => {
  console.error(e);
  process.exit(1);
});
