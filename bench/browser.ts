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
  type AnalysisResult,
  type CaseResult
} from './cases';
import { measureScans, type ScanModel, type ScanPlan, type ScanResult } from './scan';

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
  setWasmPaths(plan.wasmPrefix);
  try {
    if (!(await tf.setBackend('wasm'))) {
      return { unavailable: 'tfjs could not initialize wasm' };
    }
  } catch (e) {
    return { unavailable: String((e as Error).message ?? e) };
  }
  const load = async (model: ScanModel): Promise<tf.LayersModel> =>
    model === 'Basset-size' ? bassetModel() : tf.loadLayersModel(plan.dnaModelUrl);
  return measureScans(plan.plans, load, () => performance.now());
}

(globalThis as unknown as { scanBench: typeof scanBench }).scanBench = scanBench;

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
