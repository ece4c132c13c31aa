/**
 * Peer check of `matchMotifs` against memelite's Tomtom (Python; not part of the tests).
 *
 *     node --import tsx bench/tomtom/compare.ts [python]
 *
 * Seeded inputs: 200 random JASPAR-like targets of lengths 6–20 and 50 queries, each a
 * perturbed window of a random target (half of them reverse-complemented), plus 50 queries of
 * fresh random columns with no planted match; then the same against JASPAR 2026 CORE
 * (src/core/data/jaspar2026-core.json, counts normalised), when the file is there. Both
 * implementations run with the −Euclidean distance and a minimum overlap of 1 (memelite's
 * only settings), memelite exactly (`n_target_bins=None`). The inputs and both outputs are
 * written to /tmp/tomtom-bench/random/ and /tmp/tomtom-bench/jaspar/.
 * Reports, per query set: the share of queries with the same top hit (and the same offset and
 * strand), and the Spearman ρ of the p-values per query across targets (median over queries)
 * and pooled over all pairs. The targets: the same top hit for ≥ 95 % of queries, ρ ≥
 * 0.95. `python` defaults to the venv /tmp/meme-venv (`pip install memelite`).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { matchMotifs, type NamedPwm } from '../../src/core/tomtom';
import { perturbedQuery, random, randomMotifs } from './motifs';

const DIR = '/tmp/tomtom-bench';
const PYTHON = process.argv[2] ?? '/tmp/meme-venv/bin/python';

interface Peer {
  p_values: number[][];
  offsets: number[][];
  overlaps: number[][];
  strands: number[][];
  seconds: number;
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

/** JASPAR's count matrices as probabilities, when the file is there. */
function jaspar(): NamedPwm[] | undefined {
  const file = path.join(__dirname, '../../src/core/data/jaspar2026-core.json');
  if (!fs.existsSync(file)) {
    return undefined;
  }
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    motifs: { id: string; counts: number[][] }[];
  };
  return data.motifs.map(m => ({
    name: m.id,
    pwm: m.counts.map(row => row.map(v => v / row.reduce((a, b) => a + b, 0)))
  }));
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

function compare(
  label: string,
  targets: NamedPwm[],
  planted: NamedPwm[],
  unplanted: NamedPwm[]
): void {
  const queries = [...planted, ...unplanted];
  const dir = path.join(DIR, label);
  fs.mkdirSync(dir, { recursive: true });
  const inputs = path.join(dir, 'inputs.json');
  fs.writeFileSync(inputs, JSON.stringify({ queries, targets }));

  const started = performance.now();
  const ours = matchMotifs(queries, targets, {
    distance: 'ed',
    minOverlap: 1,
    maxMatches: Infinity
  });
  const oursSeconds = (performance.now() - started) / 1000;
  const index = new Map(targets.map((t, i) => [t.name, i]));
  const oursP = ours.map(r => {
    const row = new Array<number>(targets.length);
    r.matches.forEach(m => (row[index.get(m.target) as number] = m.pValue));
    return row;
  });
  fs.writeFileSync(path.join(dir, 'ours.json'), JSON.stringify(ours));

  const peerFile = path.join(dir, 'memelite.json');
  execFileSync(PYTHON, [path.join(__dirname, 'compare.py'), inputs, peerFile], {
    stdio: 'inherit'
  });
  const peer = JSON.parse(fs.readFileSync(peerFile, 'utf8')) as Peer;

  const report = (what: string, from: number, to: number): void => {
    let sameTop = 0;
    let samePlacement = 0;
    const rhos: number[] = [];
    const pooledOurs: number[] = [];
    const pooledPeer: number[] = [];
    let worst = 0;
    for (let i = from; i < to; i++) {
      const top = ours[i].matches[0];
      const peerTop = argmin(peer.p_values[i]);
      if (index.get(top.target) === peerTop) {
        sameTop++;
        const strand = peer.strands[i][peerTop] === 1 ? '-' : '+';
        if (top.offset === peer.offsets[i][peerTop] && top.strand === strand) {
          samePlacement++;
        }
      }
      rhos.push(spearman(oursP[i], peer.p_values[i]));
      pooledOurs.push(...oursP[i]);
      pooledPeer.push(...peer.p_values[i]);
      worst = Math.max(worst, Math.abs(Math.log10(oursP[i][peerTop] / peer.p_values[i][peerTop])));
    }
    const n = to - from;
    console.log(
      `  ${what}: same top hit ${sameTop}/${n} (${((100 * sameTop) / n).toFixed(1)} %), ` +
        `${samePlacement} of them at the same offset and strand; Spearman ρ of p-values per ` +
        `query median ${median(rhos).toFixed(4)} (min ${Math.min(...rhos).toFixed(4)}), ` +
        `pooled ${spearman(pooledOurs, pooledPeer).toFixed(4)}; memelite's top hit's p-value ` +
        `within a factor 10^${worst.toFixed(3)}`
    );
  };
  const columns = targets.reduce((sum, t) => sum + t.pwm.length, 0);
  console.log(
    `${label}: ${queries.length} queries × ${targets.length} targets (${columns} columns), ` +
      `ed, minOverlap 1: ours ${oursSeconds.toFixed(2)} s, memelite ${peer.seconds.toFixed(2)} s ` +
      `(after its compile)`
  );
  report('planted queries (perturbed target windows)', 0, planted.length);
  report('unplanted queries (fresh random columns)', planted.length, queries.length);
  report('all', 0, queries.length);
}

function main(): void {
  const next = random(2024);
  const targets = randomMotifs(200, 6, 20, next);
  compare('random', targets, ...querySets(targets, next));
  const real = jaspar();
  if (real) {
    compare('jaspar', real, ...querySets(real, next));
  }
}

main();
