/**
 * The dataset-motif scan's peer: the same scan (Basset's rule, both passes, the Basset-size
 * model's first layer) in TensorFlow for Python and numpy (bench/scan_baseline.py, in the
 * bench's `.venv-tf`), on the same weights (a `baselineCase`, as bench/baseline.py gets) and
 * the same seeded sequences (bench/scan.ts's generator, written one per line), and how well
 * its sites agree with ours.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { baselineCase, bassetModel, type Stats } from './cases';
import { scanSequences, type ScanDetails, type ScanPlan } from './scan';

/**
 * The set both scan, and the peer's timed scans: 2000 × 600 bp (quick: 200), 3 scans, so
 * the Python part stays near a minute.
 *
 * @param quick - the small set
 * @returns the plan (our scans of it: see `scanPlans`)
 */
export function peerPlan(quick: boolean): ScanPlan {
  return { model: 'Basset-size', sequences: quick ? 200 : 2000, repeats: 3 };
}

/** What bench/scan_baseline.py reports: its seconds and the last scan's sites. */
export interface PeerScan {
  tensorflow: string;
  numpy: string;
  threads: number;
  /** Sequences per forward pass. */
  batch: number;
  sequences: number;
  length: number;
  /** Seconds per scan (both passes, the one-hot encoding included), and per pass. */
  seconds: Stats;
  pass1: Stats;
  pass2: Stats;
  /** Per filter: the sites, the cutoff and the counts of the windows, `[position][base]`. */
  sites: number[];
  cutoffs: number[];
  counts: number[][][];
}

/** The peer's figures, or why there are none. */
export type PeerResult = PeerScan | { unavailable: string };

/**
 * Writes the peer's inputs: the Basset-size first layer with its weights, and the plan's
 * sequences, one per line.
 *
 * @param dir - where to write them
 * @param plan - the sequences
 * @returns the two files
 */
export function writePeerInputs(
  dir: string,
  plan: ScanPlan
): { caseFile: string; sequencesFile: string } {
  fs.mkdirSync(dir, { recursive: true });
  const model = bassetModel();
  const c = baselineCase(model, 'Basset-size', 'conv1', 600);
  model.dispose();
  const caseFile = path.join(dir, 'scan-baseline-case.json');
  const sequencesFile = path.join(dir, 'scan-baseline-sequences.txt');
  fs.writeFileSync(caseFile, JSON.stringify(c));
  fs.writeFileSync(sequencesFile, scanSequences(plan).join('\n') + '\n');
  return { caseFile, sequencesFile };
}

/**
 * Runs bench/scan_baseline.py on the peer plan's sequences.
 *
 * @param root - the repository (for `.venv-tf` and bench/)
 * @param plan - the sequences, and the timed runs
 * @returns its figures, or why it could not run
 */
export function tfPeerScan(root: string, plan: ScanPlan): PeerResult {
  const python = path.join(root, '.venv-tf', 'bin', 'python');
  if (!fs.existsSync(python)) {
    return { unavailable: 'no .venv-tf with tensorflow-cpu (scripts/bench.sh makes it)' };
  }
  const { caseFile, sequencesFile } = writePeerInputs(path.join(root, 'bench', '.build'), plan);
  try {
    const out = execFileSync(
      python,
      [path.join(root, 'bench', 'scan_baseline.py'), caseFile, sequencesFile, String(plan.repeats)],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 }
    );
    return JSON.parse(out.trim().split('\n').pop()!) as PeerScan;
  } catch (e) {
    return { unavailable: failure(e as Error & { stderr?: string }) };
  }
}

/** Why the script failed: the last line of its stderr (a Python exception), or the error. */
function failure(e: Error & { stderr?: string }): string {
  const last = String(e.stderr ?? '')
    .trim()
    .split('\n')
    .pop();
  if (last?.includes("No module named 'tensorflow'")) {
    return 'TensorFlow cannot be imported in .venv-tf (scripts/bench.sh installs tensorflow-cpu)';
  }
  return `bench/scan_baseline.py failed: ${(last || String(e.message)).slice(0, 300)}`;
}

/** How our sites compare with the peer's, filter by filter. */
export interface Agreement {
  filters: number;
  /** Filters with exactly the same number of sites. */
  sameSites: number;
  /** The largest difference in one filter's sites. */
  maxSiteDifference: number;
  oursSites: number;
  peerSites: number;
  /** Σ |our count − the peer's| over every filter, position and base, and Σ of the peer's. */
  countsApart: number;
  countsTotal: number;
  /** The largest |our cutoff − the peer's| ÷ the peer's. */
  maxCutoffDifference: number;
}

/** The largest difference in one filter's sites that the check lets pass (float rounding). */
export const SITE_TOLERANCE = 5;

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * Compares our scan's sites with the peer's. Our counts are missing for filters with too
 * few sites for a motif (`tooFew`); those are left out of `countsApart` and `countsTotal`.
 *
 * @param ours - our scan's per-filter sites, cutoffs and counts
 * @param peer - the peer's
 * @returns the agreement's figures
 */
export function agreement(ours: ScanDetails, peer: PeerScan): Agreement {
  const differences = ours.sites.map((s, f) => Math.abs(s - peer.sites[f]));
  let apart = 0;
  let total = 0;
  ours.counts.forEach((counts, f) => {
    counts?.forEach((row, k) =>
      row.forEach((v, base) => {
        apart += Math.abs(v - peer.counts[f][k][base]);
        total += peer.counts[f][k][base];
      })
    );
  });
  return {
    filters: ours.sites.length,
    sameSites: differences.filter(d => d === 0).length,
    maxSiteDifference: Math.max(...differences),
    oursSites: sum(ours.sites),
    peerSites: sum(peer.sites),
    countsApart: apart,
    countsTotal: total,
    maxCutoffDifference: Math.max(
      ...ours.cutoffs.map((c, f) => Math.abs(c - peer.cutoffs[f]) / Math.abs(peer.cutoffs[f]))
    )
  };
}
