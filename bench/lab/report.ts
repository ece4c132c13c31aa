/**
 * The in-JupyterLab results: their shapes, as `views.bench.ts` and `maximize.bench.ts`
 * write them, and the summary `npm run bench` prints (`node --import tsx bench/lab/report.ts`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { stats } from '../cases';

/** Milliseconds from the output's explorer entering the page. */
export interface FirstView {
  /** until every view is drawn (`data-ready`) */
  drawn: number;
  /** until, after that, a filter slider move is painted */
  interactive: number;
}

/** tfjs tensors and JS heap on the page, after garbage collection. */
export interface Memory {
  tensors: number;
  tensorBytes: number;
  heapBytes: number;
}

/** One notebook's first views, slider latencies and memory (`views.json`). */
export interface ViewsResult {
  notebook: string;
  cold: FirstView[];
  warm: FirstView[];
  /** Milliseconds per filter slider move, until painted. */
  latencies: number[];
  before: Memory;
  afterMoves: Memory;
  afterClear: Memory;
}

/** One maximization run's main-thread measurement (`lab.json`). */
export interface Measurement {
  notebook: string;
  run: string;
  seconds: number;
  longestTaskMs: number;
  longTasks: number;
  steps: string;
}

/** Where the lab benches write their results. */
export const RESULTS_DIR = path.join(__dirname, '..', 'results');

/**
 * The value below which a share `p` of the values lie (nearest rank).
 *
 * @param values - measurements
 * @param p - the share, from 0 to 1
 * @returns the quantile
 */
export function quantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1) + 0.5))];
}

function range(values: number[]): string {
  const s = stats(values);
  return `${Math.round(s.median)} (${Math.round(s.min)}–${Math.round(s.max)})`;
}

function megabytes(m: Memory[]): string {
  return `${m.map(x => (x.heapBytes / 1e6).toFixed(1)).join(' → ')} MB`;
}

/**
 * The summary of both result files, one line per notebook and per run.
 *
 * @param views - `views.json`'s results
 * @param measurements - `lab.json`'s measurements
 * @returns the lines to print
 */
export function reportLines(views: ViewsResult[], measurements: Measurement[]): string[] {
  const lines = [
    'First interactive view (ms from the output entering the page until drawn and a slider move painted),',
    'filter slider latency over 100 moves, tfjs tensors and JS heap (after GC) on the page:'
  ];
  for (const r of views) {
    const memory = [r.before, r.afterMoves, r.afterClear];
    lines.push(
      `${r.notebook.padEnd(13)} cold ${range(r.cold.map(x => x.interactive))}  ` +
        `warm ${range(r.warm.map(x => x.interactive))}  ` +
        `slider p50 ${stats(r.latencies).median.toFixed(1)} p95 ${quantile(r.latencies, 0.95).toFixed(1)} ms  ` +
        `tensors ${memory.map(m => m.tensors).join(' → ')} (cleared)  heap ${megabytes(memory)}`
    );
  }
  lines.push('', 'Longest main-thread task while maximizing:');
  for (const m of measurements) {
    lines.push(
      `${m.notebook.padEnd(11)} ${m.run.padEnd(24)} ${m.seconds.toFixed(1).padStart(6)} s   ` +
        `longest task ${String(Math.round(m.longestTaskMs)).padStart(4)} ms   tasks over 50 ms: ${m.longTasks}`
    );
  }
  lines.push('Written to bench/results/lab.json and bench/results/views.json');
  return lines;
}

/**
 * The dataset view's lines: the longest main-thread task per notebook and action.
 *
 * @param measurements - `dataset.json`'s measurements
 * @returns the lines to print
 */
export function datasetLines(measurements: Measurement[]): string[] {
  return [
    '',
    'Longest main-thread task in the dataset view (target: none over 50 ms):',
    ...measurements.map(
      m =>
        `${m.notebook.padEnd(16)} ${m.run.padEnd(30)} ${m.seconds.toFixed(1).padStart(6)} s   ` +
        `longest task ${String(Math.round(m.longestTaskMs)).padStart(4)} ms   tasks over 50 ms: ${m.longTasks}` +
        `   ${m.longTasks === 0 ? 'met' : 'missed'}`
    ),
    'Written to bench/results/dataset.json'
  ];
}

function readResults<T>(file: string, key: string): T[] {
  return (JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, file), 'utf8')) as Record<string, T[]>)[
    key
  ];
}

if (require.main === module) {
  const views = readResults<ViewsResult>('views.json', 'results');
  const measurements = readResults<Measurement>('lab.json', 'measurements');
  console.log(reportLines(views, measurements).join('\n'));
  if (fs.existsSync(path.join(RESULTS_DIR, 'dataset.json'))) {
    console.log(datasetLines(readResults<Measurement>('dataset.json', 'measurements')).join('\n'));
  }
}
