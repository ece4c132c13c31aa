/**
 * The bench's dataset-motif part (bench/run.ts): the speed of `filterMotifs` (Basset's rule
 * over a set of sequences) in Node on the cpu and wasm backends (Chromium's figures come
 * from bench/browser.ts), the same scan in TensorFlow for Python (bench/scanPeer.ts, in
 * `.venv-tf`) with its sites against ours, and our Tomtom (`matchMotifs`) against
 * memelite's: agreement (bench/tomtom/compare.ts) and speed (bench/tomtom/speed.ts),
 * memelite in `.venv-meme`.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadModel } from '../src/kernel';
import { bassetModel } from './cases';
import {
  measureScans,
  SCAN_MODELS,
  TARGET_SEQUENCES,
  type ScanModel,
  type ScanPlan,
  type ScanResult
} from './scan';
import {
  agreement,
  peerPlan,
  SITE_TOLERANCE,
  tfPeerScan,
  type Agreement,
  type PeerScan
} from './scanPeer';
import { fmt, printTable, verdict } from './table';
import { compareWithMemelite, type Comparison } from './tomtom/compare';
import { JASPAR_RUN, tomtomSpeed, type SpeedResult } from './tomtom/speed';

/** Where a scan ran. */
/** Where a scan ran: `wasm-workers ×N` is the dataset view's path, N scan workers sharing it. */
export type ScanWhere =
  'Node cpu' | 'Node wasm' | 'Chromium wasm' | `Chromium wasm-workers ×${number}`;

/** One place's scans, or why it could not run them. */
export interface ScanSet {
  where: ScanWhere;
  results: ScanResult[];
  unavailable?: string;
}

/** The target: 10 000 sequences × 600 bp in ≤ 30 s in the browser. */
export const SCAN_TARGET_SECONDS = 30;

/** The Tomtom agreement targets: the same top hit for ≥ 95 % of queries, Spearman ρ ≥ 0.95. */
export const SAME_TOP_TARGET = 0.95;
export const RHO_TARGET = 0.95;

/**
 * What each place scans. The DNA example's 10 000 sequences everywhere (3 scans); the
 * Basset-size model's 10 000 × 600 bp three times in Chromium (the target), once in Node's
 * wasm, and only 100 sequences on Node's cpu backend (≈ 4 sequences/s: 10 000 would take
 * ≈ 45 minutes). `quick`: 1000 DNA example sequences (3 scans), 200 Basset-size ones (cpu:
 * 20), once. On wasm, also the set TensorFlow for Python scans (`peerPlan`: 2000 × 600 bp,
 * 3 scans; quick: the 200 already there), keeping its sites to compare.
 *
 * @param where - the place
 * @param quick - the small sets
 * @returns the plans, DNA example first
 */
export function scanPlans(where: ScanWhere, quick: boolean): ScanPlan[] {
  const cpu = where === 'Node cpu';
  const big = quick ? (cpu ? 20 : 200) : cpu ? 100 : TARGET_SEQUENCES;
  const plans: ScanPlan[] = [
    { model: 'DNA example', sequences: quick ? 1000 : TARGET_SEQUENCES, repeats: 3 },
    { model: 'Basset-size', sequences: big, repeats: quick || where !== 'Chromium wasm' ? 1 : 3 }
  ];
  return cpu ? plans : withPeerPlan(plans, peerPlan(quick));
}

/** The plans with the peer's set asking for details: its plan of the same size, or one more. */
function withPeerPlan(plans: ScanPlan[], peer: ScanPlan): ScanPlan[] {
  const same = plans.find(p => p.model === peer.model && p.sequences === peer.sequences);
  return same
    ? plans.map(p => (p === same ? { ...p, details: true } : p))
    : [...plans, { ...peer, details: true }];
}

/** Makes tfjs run on `backend` in Node, loading the wasm backend's package first if needed. */
async function useBackend(backend: 'cpu' | 'wasm'): Promise<void> {
  if (backend === 'wasm' && !tf.findBackendFactory('wasm')) {
    await import('@tensorflow/tfjs-backend-wasm');
  }
  if (!(await tf.setBackend(backend))) {
    throw new Error(`tfjs could not initialize the ${backend} backend`);
  }
  await tf.ready();
}

/**
 * The scans in Node, on the cpu backend and then on wasm; tfjs is left on cpu.
 *
 * @param root - the repository (for examples/models)
 * @param quick - the small sets
 * @returns the cpu and the wasm scans
 */
export async function nodeScans(root: string, quick: boolean): Promise<ScanSet[]> {
  const load = async (model: ScanModel): Promise<tf.LayersModel> =>
    model === 'Basset-size'
      ? bassetModel()
      : loadModel(path.join(root, 'examples', 'models', 'dna', 'model.json'));
  const sets: ScanSet[] = [];
  for (const backend of ['cpu', 'wasm'] as const) {
    const where: ScanWhere = backend === 'cpu' ? 'Node cpu' : 'Node wasm';
    try {
      await useBackend(backend);
      const now = () => performance.now();
      sets.push({ where, results: await measureScans(scanPlans(where, quick), load, now) });
    } catch (e) {
      sets.push({ where, results: [], unavailable: String((e as Error).message ?? e) });
    }
  }
  await useBackend('cpu');
  return sets;
}

/** The peer's figures as the report keeps them: its sites per filter, no cutoffs or counts. */
export type PeerSummary = Omit<PeerScan, 'cutoffs' | 'counts'>;

/** The peer's scan, and how the sites of each of our places that scanned its set agree. */
export interface PeerBench {
  plan: ScanPlan;
  result: PeerSummary | { unavailable: string };
  agreement: { where: ScanWhere; agreement: Agreement }[];
}

/** Our result for the peer's set in one place, if it scanned it. */
function oursForPeer(set: ScanSet, plan: ScanPlan): ScanResult | undefined {
  return set.results.find(
    r => r.details && r.model === plan.model && r.sequences === plan.sequences
  );
}

/**
 * The same scan in TensorFlow for Python (bench/scan_baseline.py, in `.venv-tf`), and the
 * agreement of its sites with each of our scans of its set.
 *
 * @param root - the repository
 * @param quick - the small set
 * @param sets - our scans (those of `peerPlan`'s set carry their details)
 * @returns the peer's figures, or why there are none
 */
export function peerBench(root: string, quick: boolean, sets: readonly ScanSet[]): PeerBench {
  const plan = peerPlan(quick);
  const result = tfPeerScan(root, plan);
  if ('unavailable' in result) {
    return { plan, result, agreement: [] };
  }
  const agreements: PeerBench['agreement'] = [];
  for (const set of sets) {
    const details = oursForPeer(set, plan)?.details;
    if (details) {
      agreements.push({ where: set.where, agreement: agreement(details, result) });
    }
  }
  return { plan, result: summaryOf(result), agreement: agreements };
}

/** The peer's figures without its cutoffs and counts (compared, not reported). */
function summaryOf({ cutoffs: _cutoffs, counts: _counts, ...summary }: PeerScan): PeerSummary {
  return summary;
}

/**
 * A place's scans as the report keeps them: the per-filter details (kept for the agreement)
 * left out.
 *
 * @param set - the scans
 * @returns a copy without `details`
 */
export function withoutDetails(set: ScanSet): ScanSet {
  return { ...set, results: set.results.map(({ details: _details, ...r }) => r) };
}

/** The Tomtom part's figures: agreement needs memelite; our speed is measured regardless. */
export interface TomtomBench {
  python: string;
  agreement: Comparison[] | { unavailable: string };
  speed: SpeedResult;
}

/**
 * Our Tomtom against memelite's: agreement on the seeded and JASPAR problems, then the speed
 * of 300 queries (quick: 60) × JASPAR 2026 CORE, 3 timed runs each (quick: 1).
 *
 * @param python - a Python with memelite (scripts/bench.sh makes `.venv-meme`)
 * @param outDir - where the inputs and both implementations' outputs are written
 * @param quick - fewer queries and runs for the speed
 * @returns the figures, or why memelite's are missing
 */
export function tomtomBench(python: string, outDir: string, quick: boolean): TomtomBench {
  let agreement: TomtomBench['agreement'];
  if (!fs.existsSync(python)) {
    agreement = { unavailable: `no ${python} (scripts/bench.sh makes .venv-meme with memelite)` };
  } else {
    try {
      agreement = compareWithMemelite(python, outDir);
    } catch (e) {
      agreement = {
        unavailable: `compare.py failed: ${String((e as Error).message).slice(0, 300)}`
      };
    }
  }
  const plan = { queries: quick ? 60 : 300, repeats: quick ? 1 : 3, randomTargets: false };
  const speed = tomtomSpeed(plan, python, outDir);
  return { python, agreement, speed };
}

/** Seconds a scan of 10 000 sequences takes: measured, or projected from a smaller set. */
function forTarget(r: ScanResult): { seconds: number; projected: boolean } {
  return {
    seconds: TARGET_SEQUENCES / r.sequencesPerSecond,
    projected: r.sequences !== TARGET_SEQUENCES
  };
}

/** The scan table's row of the peer: TensorFlow for Python, the same columns. */
function peerScanRow(peer: PeerSummary): string[] {
  const perSecond = peer.sequences / peer.seconds.median;
  const full = TARGET_SEQUENCES / perSecond;
  const projected = peer.sequences !== TARGET_SEQUENCES;
  return [
    'Python',
    `TF ${peer.tensorflow}`,
    `Basset-size / conv1 (${peer.sites.length})`,
    `${peer.sequences} × ${peer.length} bp`,
    `${fmt(peer.seconds)} s ×${peer.seconds.runs}`,
    perSecond.toFixed(perSecond >= 100 ? 0 : 1),
    `${full.toFixed(1)} s${projected ? ' (projected)' : ''}`,
    '—'
  ];
}

/**
 * The scan table's rows: one per place and case, then TensorFlow for Python's when it ran;
 * the target applies to the Basset-size (600 bp) scan in Chromium.
 *
 * @param sets - the scans of each place
 * @param peer - the peer's scan, if any
 * @returns the rows, cells as text
 */
export function scanRows(sets: readonly ScanSet[], peer?: PeerBench['result']): string[][] {
  const rows: string[][] = [];
  for (const set of sets) {
    const [where, ...rest] = set.where.split(' ');
    const backend = rest.join(' ');
    if (set.unavailable) {
      rows.push([where, backend, `unavailable: ${set.unavailable}`, '', '', '', '', '']);
    }
    for (const r of set.results) {
      const full = forTarget(r);
      // The target is the dataset view's: its scan workers, in Chromium.
      const targeted =
        set.where.startsWith('Chromium wasm-workers') &&
        r.length === SCAN_MODELS['Basset-size'].length;
      const status =
        verdict(full.seconds <= SCAN_TARGET_SECONDS) + (full.projected ? ' (projected)' : '');
      rows.push([
        where,
        backend,
        `${r.model} / ${r.layer} (${r.filters})`,
        `${r.sequences} × ${r.length} bp`,
        `${fmt(r.seconds)} s ×${r.seconds.runs}`,
        r.sequencesPerSecond.toFixed(r.sequencesPerSecond >= 100 ? 0 : 1),
        `${full.seconds.toFixed(1)} s${full.projected ? ' (projected)' : ''}`,
        targeted ? `≤ ${SCAN_TARGET_SECONDS} s: ${status}` : '—'
      ]);
    }
  }
  if (peer && !('unavailable' in peer)) {
    rows.push(peerScanRow(peer));
  }
  return rows;
}

/**
 * Prints the scan table.
 *
 * @param sets - the scans of each place
 * @param peer - TensorFlow for Python's scan, if any
 */
export function printScanTable(sets: readonly ScanSet[], peer?: PeerBench['result']): void {
  console.log(
    '\nDataset motifs: filterMotifs (Basset\u2019s rule, one forward pass) over a set of sequences; wasm-workers: the dataset view\u2019s scan workers'
  );
  printTable(
    [
      'where',
      'backend',
      'model / layer (filters)',
      'set',
      'seconds per scan',
      'sequences/s',
      `${TARGET_SEQUENCES} sequences`,
      'target (the view\u2019s workers, 600 bp)'
    ],
    scanRows(sets, peer)
  );
}

/**
 * The peer table's rows: for each of our places that scanned the peer's set, both times,
 * their ratio and the agreement of the sites.
 *
 * @param sets - our scans
 * @param peer - the peer's figures and the agreement
 * @param result - the peer's scan
 * @returns the rows, cells as text
 */
export function peerRows(
  sets: readonly ScanSet[],
  peer: PeerBench,
  result: PeerSummary
): string[][] {
  const perSecond = (n: number, seconds: number) => {
    const v = n / seconds;
    return v.toFixed(v >= 100 ? 0 : 1);
  };
  const rows: string[][] = [];
  for (const set of sets) {
    const ours = oursForPeer(set, peer.plan);
    const a = peer.agreement.find(g => g.where === set.where)?.agreement;
    if (!ours || !a) {
      continue;
    }
    rows.push([
      set.where,
      `${fmt(ours.seconds)} s ×${ours.seconds.runs}`,
      perSecond(ours.sequences, ours.seconds.median),
      `${fmt(result.seconds)} s ×${result.seconds.runs}`,
      perSecond(result.sequences, result.seconds.median),
      `${(result.seconds.median / ours.seconds.median).toFixed(2)}×`,
      `${a.sameSites}/${a.filters} (max ${a.maxSiteDifference})`,
      `${a.oursSites} / ${a.peerSites}`,
      `${a.countsApart} of ${a.countsTotal}`,
      a.maxCutoffDifference.toExponential(1),
      verdict(a.maxSiteDifference <= SITE_TOLERANCE)
    ]);
  }
  return rows;
}

/**
 * Prints the peer table: TensorFlow for Python against our scans of the same set.
 *
 * @param sets - our scans
 * @param peer - the peer's figures and the agreement
 */
export function printPeerTable(sets: readonly ScanSet[], peer: PeerBench): void {
  const { result, plan } = peer;
  console.log(
    `\nPeer: the same scan in TensorFlow for Python, Basset-size / conv1, ${plan.sequences} × ` +
      `600 bp (both passes from the text; ours: filterMotifs)`
  );
  if ('unavailable' in result) {
    console.log(`  not measured: ${result.unavailable}`);
    return;
  }
  printTable(
    [
      'ours',
      'ours: seconds per scan',
      'sequences/s',
      'TF Python: seconds',
      'sequences/s',
      'TF time ÷ ours',
      'filters: same sites (max diff)',
      'sites: ours / TF',
      'PFM counts apart',
      'cutoffs apart',
      `agreement (≤ ${SITE_TOLERANCE} sites apart)`
    ],
    peerRows(sets, peer, result)
  );
  console.log(
    `  (TF time ÷ ours < 1: TensorFlow is faster. TensorFlow ${result.tensorflow} CPU, numpy ` +
      `${result.numpy}, ${result.threads} threads, batches of ${result.batch} in a ` +
      `tf.function; pass 1 ${fmt(result.pass1)} s, pass 2 ${fmt(result.pass2)} s. ` +
      'Cutoffs apart: the largest relative difference.)'
  );
}

/**
 * The agreement table's rows: per database and group of queries, with the targets' status.
 *
 * @param comparisons - compare.ts's results
 * @returns the rows, cells as text
 */
export function agreementRows(comparisons: readonly Comparison[]): string[][] {
  return comparisons.flatMap(c =>
    c.groups.map(g => {
      const share = g.sameTop / g.count;
      return [
        `${c.database} (${c.targets} targets)`,
        `${g.queries} (${g.count})`,
        `${(100 * share).toFixed(1)} % (${g.samePlacement} same placement)`,
        `${g.rhoMedian.toFixed(4)} (min ${g.rhoMin.toFixed(4)})`,
        g.rhoPooled.toFixed(4),
        `${verdict(share >= SAME_TOP_TARGET)} / ${verdict(g.rhoMedian >= RHO_TARGET)}`
      ];
    })
  );
}

/**
 * The speed table's rows: ours per column score, memelite's per thread count, each with its
 * ratio to memelite on all cores (−Euclidean, the one score both have).
 *
 * @param speed - speed.ts's results
 * @returns the rows, cells as text
 */
export function speedRows(speed: SpeedResult): string[][] {
  const peer = Array.isArray(speed.memelite) ? speed.memelite : [];
  const reference = peer[0]?.seconds.median;
  const ratio = (s: number) => (reference ? `${(s / reference).toFixed(1)}×` : 'n/a');
  const rows = speed.ours.map(r => [
    `ours (1 thread), ${r.distance}`,
    `${r.queries} × ${r.targets} ${r.database}`,
    `${fmt(r.seconds)} s ×${r.seconds.runs}`,
    `${((1000 * r.seconds.median) / r.queries).toFixed(1)} ms`,
    ratio(r.seconds.median)
  ]);
  const jaspar = speed.ours.find(r => r.database === JASPAR_RUN);
  const queries = jaspar?.queries ?? 0;
  for (const p of peer) {
    rows.push([
      `memelite (${p.threads} thread${p.threads === 1 ? '' : 's'}), ed`,
      `${queries} × ${jaspar?.targets ?? 0} ${JASPAR_RUN}`,
      `${fmt(p.seconds)} s ×${p.seconds.runs}`,
      `${((1000 * p.seconds.median) / queries).toFixed(1)} ms`,
      ratio(p.seconds.median)
    ]);
  }
  if (!Array.isArray(speed.memelite)) {
    rows.push([`memelite: ${speed.memelite.unavailable}`, '', '', '', '']);
  }
  return rows;
}

/**
 * Prints the Tomtom tables: agreement with memelite, then speed.
 *
 * @param t - the figures
 */
export function printTomtomTables(t: TomtomBench): void {
  const version = 'unavailable' in t.agreement ? '' : ` ${t.agreement[0].memeliteVersion}`;
  console.log(
    `\nTomtom (matchMotifs) vs memelite${version}: ed, minimum overlap 1, memelite exact ` +
      '(n_target_bins=None)'
  );
  if ('unavailable' in t.agreement) {
    console.log(`  agreement not measured: ${t.agreement.unavailable}`);
  } else {
    printTable(
      [
        'database',
        'queries',
        'same top hit',
        'Spearman ρ per query: median',
        'ρ pooled',
        `target ≥ ${100 * SAME_TOP_TARGET} % / ρ ≥ ${RHO_TARGET}`
      ],
      agreementRows(t.agreement)
    );
  }
  console.log('\nTomtom speed: seeded random queries of length 19 × JASPAR 2026 CORE, in Node');
  printTable(
    ['run', 'problem', 'seconds', 'per query', '÷ memelite (all cores); no target set'],
    speedRows(t.speed)
  );
}
