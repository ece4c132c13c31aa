/**
 * The browser half of the benchmark, bundled by bench/run.ts and driven in headless
 * Chromium: the same cases as in Node, on every tfjs backend the browser offers, and the
 * dataset-motif scan on wasm.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { Maximization } from '../src/core/maximization';
import {
  bassetModel,
  measureAnalysis,
  measureCase,
  randomDna,
  stats,
  type AnalysisResult,
  type CaseResult
} from './cases';
import {
  measureScans,
  scanSequences,
  type ScanModel,
  type ScanPlan,
  type ScanResult
} from './scan';
import { MotifScanner } from '../src/lab/motifScanner';
import {
  bassetWithHead,
  measureAttributions,
  type AttributionModel,
  type AttributionResult
} from './attributions';
import { modelToPayload } from '../src/core/serialize';
import { readSequenceSet } from '../src/core/sequenceSet';
import { encodeSequenceSet } from '../src/protocol';

/** What bench/run.ts asks the page to do. */
export interface BrowserPlan {
  backends: string[];
  textModelUrl: string;
  dnaModelUrl: string;
  wasmPrefix: string;
  text: Parameters<typeof measureCase>[3];
  basset: Parameters<typeof measureCase>[3];
}

/** One backend's figures, or why it could not run. */
export type BrowserResult = {
  backend: string;
  unavailable?: string;
  cases: CaseResult[];
  /** Feature maps of all Conv1D layers and all kernels, per model. */
  analysis: AnalysisResult[];
};

async function runBench(plan: BrowserPlan): Promise<BrowserResult[]> {
  setWasmPaths(plan.wasmPrefix);
  const now = () => performance.now();
  const results: BrowserResult[] = [];
  for (const backend of plan.backends) {
    let ok = false;
    try {
      ok = await tf.setBackend(backend);
    } catch (e) {
      results.push({
        backend,
        unavailable: String((e as Error).message ?? e),
        cases: [],
        analysis: []
      });
      continue;
    }
    if (!ok) {
      results.push({
        backend,
        unavailable: 'tfjs could not initialize it',
        cases: [],
        analysis: []
      });
      continue;
    }
    const cases: CaseResult[] = [];
    const analysis: AnalysisResult[] = [];
    const repeats = plan.text.repeats;
    const text = await tf.loadLayersModel(plan.textModelUrl);
    cases.push(measureCase(text, 'text example', 'ngrams', plan.text, now));
    const ids = tf.tensor2d([Array.from({ length: 24 }, (_, i) => (i * 7) % 100)]);
    analysis.push(measureAnalysis(text, 'text example', ids, repeats, now));
    ids.dispose();
    text.dispose();
    const dna = await tf.loadLayersModel(plan.dnaModelUrl);
    cases.push(measureCase(dna, 'DNA example', 'motif_scan', plan.text, now));
    const dnaInput = randomDna(100);
    analysis.push(measureAnalysis(dna, 'DNA example', dnaInput, repeats, now));
    dnaInput.dispose();
    dna.dispose();
    const basset = bassetModel();
    const bassetInput = randomDna(600);
    analysis.push(measureAnalysis(basset, 'Basset-size', bassetInput, repeats, now));
    bassetInput.dispose();
    // The full 200-step run is timed on wasm only, the backend headless Chromium uses here:
    // on the others it takes minutes.
    const full = backend === 'wasm' ? plan.basset.fullSteps : undefined;
    cases.push(
      measureCase(basset, 'Basset-size', 'conv1', { ...plan.basset, fullSteps: full }, now)
    );
    cases.push(
      measureCase(
        basset,
        'Basset-size at position 300',
        'conv1',
        { ...plan.basset, fullSteps: full },
        now,
        300
      )
    );
    basset.dispose();
    results.push({ backend, cases, analysis });
  }
  return results;
}

(globalThis as unknown as { runBench: typeof runBench }).runBench = runBench;

/**
 * Switches tfjs to wasm, its binaries served under `prefix`.
 *
 * @param prefix - where the wasm binaries are
 * @returns why it could not, or null
 */
async function startWasm(prefix: string): Promise<{ unavailable: string } | null> {
  setWasmPaths(prefix);
  try {
    return (await tf.setBackend('wasm')) ? null : { unavailable: 'tfjs could not initialize wasm' };
  } catch (e) {
    return { unavailable: String((e as Error).message ?? e) };
  }
}

/** What bench/run.ts asks the page to time of the attributions (see bench/attributions.ts). */
export interface AttributionPlan {
  textModelUrl: string;
  dnaModelUrl: string;
  wasmPrefix: string;
  repeats: number;
}

/**
 * Integrated gradients and ISM on the wasm backend.
 *
 * @param plan - the models' location and the repeats
 * @returns each case's figures, or why wasm could not start
 */
async function attributionBench(
  plan: AttributionPlan
): Promise<AttributionResult[] | { unavailable: string }> {
  const failed = await startWasm(plan.wasmPrefix);
  if (failed) {
    return failed;
  }
  const load = async (model: AttributionModel): Promise<tf.LayersModel> =>
    model === 'Basset-size + dense head'
      ? bassetWithHead()
      : tf.loadLayersModel(model === 'text example' ? plan.textModelUrl : plan.dnaModelUrl);
  return measureAttributions(load, plan.repeats, () => performance.now());
}

(globalThis as unknown as { attributionBench: typeof attributionBench }).attributionBench =
  attributionBench;

/** What bench/run.ts asks the page to scan (see bench/scan.ts). */
export interface ScanBrowserPlan {
  dnaModelUrl: string;
  wasmPrefix: string;
  plans: ScanPlan[];
}

/**
 * The dataset-motif scans on the wasm backend, the one headless Chromium runs fastest here.
 *
 * @param plan - the models' location and the cases
 * @returns each case's figures, or why wasm could not start
 */
async function scanBench(plan: ScanBrowserPlan): Promise<ScanResult[] | { unavailable: string }> {
  const failed = await startWasm(plan.wasmPrefix);
  if (failed) {
    return failed;
  }
  const load = async (model: ScanModel): Promise<tf.LayersModel> =>
    model === 'Basset-size' ? bassetModel() : tf.loadLayersModel(plan.dnaModelUrl);
  return measureScans(plan.plans, load, () => performance.now());
}

(globalThis as unknown as { scanBench: typeof scanBench }).scanBench = scanBench;

/** What bench/run.ts asks the extension's scan workers to scan. */
export interface WorkerScanPlan {
  workerUrl: string;
  wasmPrefix: string;
  /** Basset-size sequences in the set, and timed scans per worker count. */
  sequences: number;
  repeats: number;
  /** How many workers share the forward pass, one case each. */
  workers: number[];
}

/**
 * The Basset-size scan as the dataset view runs it: the extension's scan workers
 * (`MotifScanner`, the built worker script) on the wasm backend, all filters, no matching.
 * The first scan of each case also waits for the workers to load the model and the set.
 *
 * @param plan - where the worker script and wasm binaries are, the set size and the cases
 * @returns one result per worker count, its `where` naming the count
 */
async function workerScanBench(
  plan: WorkerScanPlan
): Promise<{ workers: number; result: ScanResult }[]> {
  const model = bassetModel();
  const sequences = scanSequences({ model: 'Basset-size', sequences: plan.sequences, repeats: 1 });
  const payload = {
    model: await modelToPayload(model),
    sequence: { kind: 'onehot' as const, sequence: sequences[0], alphabet: 'ACGT' },
    sequences: encodeSequenceSet(readSequenceSet(model, sequences))
  };
  model.dispose();
  const wasmFiles = Object.fromEntries(
    [
      'tfjs-backend-wasm.wasm',
      'tfjs-backend-wasm-simd.wasm',
      'tfjs-backend-wasm-threaded-simd.wasm'
    ].map(name => [name, plan.wasmPrefix + name])
  );
  const out: { workers: number; result: ScanResult }[] = [];
  for (const workers of plan.workers) {
    const scanner = new MotifScanner(
      payload,
      'wasm',
      { worker: plan.workerUrl, wasmFiles },
      workers
    );
    const seconds: number[] = [];
    let filters = 0;
    try {
      for (let r = 0; r < plan.repeats; r++) {
        const started = performance.now();
        const result = await scanner.scan(
          { layer: 'conv1', threshold: 0.5, match: false, tax: null },
          () => undefined
        );
        seconds.push((performance.now() - started) / 1000);
        filters = result?.motifs.filters.length ?? 0;
      }
    } finally {
      scanner.dispose();
    }
    const s = stats(seconds);
    out.push({
      workers,
      result: {
        model: 'Basset-size',
        layer: 'conv1',
        filters,
        sequences: plan.sequences,
        length: 600,
        seconds: s,
        sequencesPerSecond: plan.sequences / s.median
      }
    });
  }
  return out;
}

(globalThis as unknown as { workerScanBench: typeof workerScanBench }).workerScanBench =
  workerScanBench;

/**
 * Where one batched step of the Basset-size layer spends its time, per tfjs kernel: for
 * tuning (`npm run bench -- --profile`).
 *
 * @param plan - the backend to use (the first of `backends`) and the wasm location
 * @returns milliseconds per kernel name, largest first
 */
async function profileBench(plan: BrowserPlan): Promise<[string, number, number][]> {
  setWasmPaths(plan.wasmPrefix);
  await tf.setBackend(plan.backends[0]);
  const basset = bassetModel();
  const run = new Maximization(basset, { layer: 'conv1', filters: 'all', iterations: 3 });
  run.run(1);
  const info = await tf.profile(() => {
    run.run(1);
  });
  run.dispose();
  basset.dispose();
  const totals = new Map<string, [number, number]>();
  for (const k of info.kernels) {
    const [ms, count] = totals.get(k.name) ?? [0, 0];
    totals.set(k.name, [ms + Number(k.kernelTimeMs), count + 1]);
  }
  return [...totals]
    .map(([name, [ms, count]]) => [name, ms, count] as [string, number, number])
    .sort((a, b) => b[1] - a[1]);
}

(globalThis as unknown as { profileBench: typeof profileBench }).profileBench = profileBench;
