/**
 * Speed of `matchMotifs` in Node on a JASPAR-size problem, next to memelite's (not part of
 * the tests). `npm run bench` runs it on JASPAR only (bench/run.ts); on its own:
 *
 *     node --import tsx bench/tomtom/speed.ts [queries] [python] [outDir]
 *
 * 300 seeded random queries of length 19 (by default) against two databases: 2600 seeded
 * random JASPAR-like targets of lengths 5–30 (uniform, so longer than JASPAR's on average),
 * and JASPAR 2026 CORE itself (`jasparMotifs`, counts normalised), with Pearson (the default)
 * and −Euclidean column scores, each timed after a small warm-up run. Then memelite's on the
 * JASPAR problem with −Euclidean scores (its only column score; bench/tomtom/compare.py,
 * when `python` exists; numba, timed after its compile) on all cores and on one (ours runs
 * on one). `python` and `outDir` default as in compare.ts.
 */
import * as fs from 'fs';
import { jasparMotifs } from '../../src/core/jaspar';
import { matchMotifs, type ColumnScore, type NamedPwm } from '../../src/core/tomtom';
import { stats, type Stats } from '../cases';
import { DEFAULT_OUT, DEFAULT_PYTHON, runMemelite } from './compare';
import { random, randomMotifs } from './motifs';

/** The JASPAR problem's name in the results. */
export const JASPAR_RUN = 'JASPAR 2026 CORE';

/** One problem's timed `matchMotifs` runs. */
export interface SpeedRun {
  /** `random targets` or `JASPAR 2026 CORE`. */
  database: string;
  queries: number;
  targets: number;
  columns: number;
  distance: ColumnScore;
  seconds: Stats;
}

/** memelite's runs on the JASPAR problem (−Euclidean), on `threads` threads. */
export interface PeerSpeed {
  threads: number;
  seconds: Stats;
}

/** Our runs, and memelite's on the JASPAR problem (or why not). */
export interface SpeedResult {
  ours: SpeedRun[];
  memelite: PeerSpeed[] | { unavailable: string };
}

/** What to time. */
export interface SpeedPlan {
  queries: number;
  repeats: number;
  /** Time the 2600 random targets too, not only JASPAR. */
  randomTargets: boolean;
}

function time(
  database: string,
  queries: NamedPwm[],
  targets: NamedPwm[],
  repeats: number
): SpeedRun[] {
  const columns = targets.reduce((sum, t) => sum + t.pwm.length, 0);
  matchMotifs(queries.slice(0, 3), targets.slice(0, 100));
  return (['pearson', 'ed'] as const).map(distance => {
    const runs = Array.from({ length: repeats }, () => {
      const started = performance.now();
      matchMotifs(queries, targets, { distance });
      return (performance.now() - started) / 1000;
    });
    const seconds = stats(runs);
    return {
      database,
      queries: queries.length,
      targets: targets.length,
      columns,
      distance,
      seconds
    };
  });
}

/**
 * Times `matchMotifs` and memelite (see the module comment).
 *
 * @param plan - queries (300 in the bench), timed runs of each, and the databases
 * @param python - a Python with memelite; memelite is left out when it does not exist
 * @param outDir - where memelite's inputs and output are written
 * @returns the seconds of each problem
 */
export function tomtomSpeed(plan: SpeedPlan, python: string, outDir: string): SpeedResult {
  const next = random(19);
  const queries = randomMotifs(plan.queries, 19, 19, next, 'q');
  const randomTargets = randomMotifs(2600, 5, 30, next);
  const real = jasparMotifs();
  const ours = [
    ...(plan.randomTargets ? time('random targets', queries, randomTargets, plan.repeats) : []),
    ...time(JASPAR_RUN, queries, real, plan.repeats)
  ];
  if (!fs.existsSync(python)) {
    return { ours, memelite: { unavailable: `no ${python}` } };
  }
  try {
    const memelite = [-1, 1].map(nJobs => {
      const name = `speed-${nJobs === -1 ? 'all' : nJobs}`;
      const timing = { repeats: plan.repeats, nJobs };
      const peer = runMemelite(python, outDir, queries, real, name, timing);
      return { threads: peer.threads, seconds: stats(peer.runs) };
    });
    return { ours, memelite };
  } catch (e) {
    return { ours, memelite: { unavailable: String((e as Error).message).slice(0, 300) } };
  }
}

if (require.main === module) {
  const plan = { queries: Number(process.argv[2] ?? 300), repeats: 1, randomTargets: true };
  const result = tomtomSpeed(
    plan,
    process.argv[3] ?? DEFAULT_PYTHON,
    process.argv[4] ?? DEFAULT_OUT
  );
  for (const r of result.ours) {
    const s = r.seconds.median;
    console.log(
      `${r.queries} queries (length 19) × ${r.targets} ${r.database} (${r.columns} columns), ` +
        `${r.distance}: ${s.toFixed(2)} s (${((1000 * s) / r.queries).toFixed(1)} ms per query)`
    );
  }
  const m = result.memelite;
  const peerLines = Array.isArray(m)
    ? m.map(
        p =>
          `memelite, the same JASPAR run, ed, ${p.threads} threads: ${p.seconds.median.toFixed(2)} s`
      )
    : [m.unavailable];
  console.log(peerLines.join('\n'));
}
