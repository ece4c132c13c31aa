/**
 * Peer check of `matchMotifs` against memelite's Tomtom (Python; not part of the tests).
 * `npm run bench` runs it (bench/run.ts, with `.venv-meme`); on its own:
 *
 *     node --import tsx bench/tomtom/compare.ts [python] [outDir]
 *
 * Seeded inputs: 200 random JASPAR-like targets of lengths 6–20 and 50 queries, each a
 * perturbed window of a random target (half of them reverse-complemented), plus 50 queries of
 * fresh random columns with no planted match; then the same against JASPAR 2026 CORE
 * (`jasparMotifs`: counts normalised). Both implementations run with the −Euclidean distance
 * and a minimum overlap of 1 (memelite's only settings), memelite exactly
 * (`n_target_bins=None`). The inputs and both outputs are written to `outDir`/random/ and
 * `outDir`/jaspar/. Reports, per query set: the share of queries with the same top hit (and
 * the same offset and strand), and the Spearman ρ of the p-values per query across targets
 * (median over queries) and pooled over all pairs. The targets: the same top hit for
 * ≥ 95 % of queries, ρ ≥ 0.95. `python` defaults to the repository's `.venv-meme` (made by
 * scripts/bench.sh: `pip install memelite`), `outDir` to bench/results/tomtom.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { jasparMotifs } from '../../src/core/jaspar';
import { matchMotifs, type NamedPwm } from '../../src/core/tomtom';
import { perturbedQuery, random, randomMotifs } from './motifs';

const ROOT = path.resolve(__dirname, '../..');
/** The venv scripts/bench.sh makes, and where bench/run.ts writes. */
export const DEFAULT_PYTHON = path.join(ROOT, '.venv-meme', 'bin', 'python');
export const DEFAULT_OUT = path.join(ROOT, 'bench', 'results', 'tomtom');

/** What bench/tomtom/compare.py writes. */
export interface Peer {
  p_values: number[][];
  offsets: number[][];
  overlaps: number[][];
  strands: number[][];
  /** The median of `runs`. */
  seconds: number;
  runs: number[];
  threads: number;
  version: string;
}

/** How far the two agree on one group of queries. */
export interface Agreement {
  /** `planted`, `unplanted` or `all`. */
  queries: string;
  count: number;
  /** Queries whose best target is the same in both. */
  sameTop: number;
  /** Of those, the ones at the same offset and strand too. */
  samePlacement: number;
  /** Spearman ρ of a query's p-values across targets: median and minimum over queries. */
  rhoMedian: number;
  rhoMin: number;
  /** Spearman ρ over all query × target pairs at once. */
  rhoPooled: number;
  /** `|log10(ours / memelite's)|` of the p-value of memelite's top hit, the largest. */
  topLog10Ratio: number;
}

/** One database's comparison. */
export interface Comparison {
  /** `random` or `jaspar`. */
  database: string;
  queries: number;
  targets: number;
  columns: number;
  oursSeconds: number;
  /** memelite's call, after a warm-up call that compiles it. */
  memeliteSeconds: number;
  /** The threads memelite ran on (all cores), and its version. */
  memeliteThreads: number;
  memeliteVersion: string;
  groups: Agreement[];
}

/** Ranks with ties averaged, 1-based. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((i, j) => values[i] - values[j]);
  const out = new Array<number>(values.length);
  for (let a = 0; a < order.length;) {
    let b = a;
    while (b + 1 < order.length && values[order[b + 1]] === values[order[a]]) {
      b++;
    }
    for (let k = a; k <= b; k++) {
      out[order[k]] = (a + b) / 2 + 1;
    }
    a = b + 1;
  }
  return out;
}

/** Spearman's ρ: Pearson's correlation of the ranks. */
function spearman(x: readonly number[], y: readonly number[]): number {
  const rx = ranks(x);
  const ry = ranks(y);
  const mean = (rx.length + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  rx.forEach((r, i) => {
    sxy += (r - mean) * (ry[i] - mean);
    sxx += (r - mean) ** 2;
    syy += (ry[i] - mean) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The index of the smallest value (the first one on ties). */
function argmin(values: readonly number[]): number {
  return values.reduce((best, v, i) => (v < values[best] ? i : best), 0);
}

/** Planted queries (perturbed windows of random targets) and unplanted ones. */
function querySets(targets: NamedPwm[], next: () => number): [NamedPwm[], NamedPwm[]] {
  const planted = Array.from({ length: 50 }, (_, i) => {
    const from = Math.floor(next() * targets.length);
    const minLength = Math.min(6, targets[from].pwm.length);
    return {
      name: `q${i}<${targets[from].name}`,
      pwm: perturbedQuery(targets[from], next, 0.3, minLength)
    };
  });
  return [planted, randomMotifs(50, 6, 20, next, 'r')];
}

/**
 * memelite's Tomtom on a problem, through bench/tomtom/compare.py.
 *
 * @param python - a Python with memelite
 * @param dir - where the inputs and its output are written
 * @param queries - the queries
 * @param targets - the database
 * @param name - the files' stem (`<name>-inputs.json`, `<name>-memelite.json`)
 * @param timing - timed calls (after one that compiles), and memelite's `n_jobs` (-1: all cores)
 * @returns its p-values, placements and the seconds of its calls
 */
export function runMemelite(
  python: string,
  dir: string,
  queries: readonly NamedPwm[],
  targets: readonly NamedPwm[],
  name: string,
  timing: { repeats: number; nJobs: number } = { repeats: 1, nJobs: -1 }
): Peer {
  fs.mkdirSync(dir, { recursive: true });
  const inputs = path.join(dir, `${name}-inputs.json`);
  const out = path.join(dir, `${name}-memelite.json`);
  fs.writeFileSync(inputs, JSON.stringify({ queries, targets }));
  const args = [inputs, out, String(timing.repeats), String(timing.nJobs)];
  execFileSync(python, [path.join(__dirname, 'compare.py'), ...args], {
    stdio: ['ignore', 'inherit', 'inherit']
  });
  return JSON.parse(fs.readFileSync(out, 'utf8')) as Peer;
}

/** Our p-values as `[query][target]`, and our results as matchMotifs gives them. */
function ours(queries: NamedPwm[], targets: NamedPwm[]) {
  const started = performance.now();
  const results = matchMotifs(queries, targets, {
    distance: 'ed',
    minOverlap: 1,
    maxMatches: Infinity
  });
  const seconds = (performance.now() - started) / 1000;
  const index = new Map(targets.map((t, i) => [t.name, i]));
  const pValues = results.map(r => {
    const row = new Array<number>(targets.length);
    r.matches.forEach(m => (row[index.get(m.target) as number] = m.pValue));
    return row;
  });
  return { results, pValues, index, seconds };
}

/** How the two agree on queries `from` to `to`. */
function agreement(
  label: string,
  mine: ReturnType<typeof ours>,
  peer: Peer,
  from: number,
  to: number
): Agreement {
  let sameTop = 0;
  let samePlacement = 0;
  const rhos: number[] = [];
  const pooledOurs: number[] = [];
  const pooledPeer: number[] = [];
  let worst = 0;
  for (let i = from; i < to; i++) {
    const top = mine.results[i].matches[0];
    const peerTop = argmin(peer.p_values[i]);
    if (mine.index.get(top.target) === peerTop) {
      sameTop++;
      const strand = peer.strands[i][peerTop] === 1 ? '-' : '+';
      if (top.offset === peer.offsets[i][peerTop] && top.strand === strand) {
        samePlacement++;
      }
    }
    rhos.push(spearman(mine.pValues[i], peer.p_values[i]));
    pooledOurs.push(...mine.pValues[i]);
    pooledPeer.push(...peer.p_values[i]);
    const ratio = mine.pValues[i][peerTop] / peer.p_values[i][peerTop];
    worst = Math.max(worst, Math.abs(Math.log10(ratio)));
  }
  return {
    queries: label,
    count: to - from,
    sameTop,
    samePlacement,
    rhoMedian: median(rhos),
    rhoMin: Math.min(...rhos),
    rhoPooled: spearman(pooledOurs, pooledPeer),
    topLog10Ratio: worst
  };
}

function compare(
  python: string,
  outDir: string,
  database: string,
  targets: NamedPwm[],
  planted: NamedPwm[],
  unplanted: NamedPwm[]
): Comparison {
  const queries = [...planted, ...unplanted];
  const dir = path.join(outDir, database);
  const mine = ours(queries, targets);
  const peer = runMemelite(python, dir, queries, targets, 'compare');
  fs.writeFileSync(path.join(dir, 'ours.json'), JSON.stringify(mine.results));
  return {
    database,
    queries: queries.length,
    targets: targets.length,
    columns: targets.reduce((sum, t) => sum + t.pwm.length, 0),
    oursSeconds: mine.seconds,
    memeliteSeconds: peer.seconds,
    memeliteThreads: peer.threads,
    memeliteVersion: peer.version,
    groups: [
      agreement('planted', mine, peer, 0, planted.length),
      agreement('unplanted', mine, peer, planted.length, queries.length),
      agreement('all', mine, peer, 0, queries.length)
    ]
  };
}

/**
 * Compares `matchMotifs` with memelite's Tomtom on the seeded random database and on JASPAR
 * 2026 CORE (see the module comment).
 *
 * @param python - a Python with memelite
 * @param outDir - where the inputs and both outputs are written
 * @returns one comparison per database
 */
export function compareWithMemelite(python: string, outDir: string): Comparison[] {
  const next = random(2024);
  const targets = randomMotifs(200, 6, 20, next);
  const real = jasparMotifs();
  return [
    compare(python, outDir, 'random', targets, ...querySets(targets, next)),
    compare(python, outDir, 'jaspar', real, ...querySets(real, next))
  ];
}

/**
 * A comparison as lines of text.
 *
 * @param c - the comparison
 * @returns its summary line, then one line per group of queries
 */
export function comparisonLines(c: Comparison): string[] {
  const lines = [
    `${c.database}: ${c.queries} queries × ${c.targets} targets (${c.columns} columns), ` +
      `ed, minOverlap 1: ours ${c.oursSeconds.toFixed(2)} s, memelite ` +
      `${c.memeliteSeconds.toFixed(2)} s (${c.memeliteThreads} threads, after its compile)`
  ];
  for (const g of c.groups) {
    lines.push(
      `  ${g.queries}: same top hit ${g.sameTop}/${g.count} ` +
        `(${((100 * g.sameTop) / g.count).toFixed(1)} %), ${g.samePlacement} of them at the ` +
        `same offset and strand; Spearman ρ of p-values per query median ` +
        `${g.rhoMedian.toFixed(4)} (min ${g.rhoMin.toFixed(4)}), pooled ` +
        `${g.rhoPooled.toFixed(4)}; memelite's top hit's p-value within a factor ` +
        `10^${g.topLog10Ratio.toFixed(3)}`
    );
  }
  return lines;
}

if (require.main === module) {
  const python = process.argv[2] ?? DEFAULT_PYTHON;
  const outDir = process.argv[3] ?? DEFAULT_OUT;
  for (const c of compareWithMemelite(python, outDir)) {
    console.log(comparisonLines(c).join('\n'));
  }
}
