/**
 * Speed of `matchMotifs` in Node on a JASPAR-size problem (not part of the tests):
 *
 *     node --import tsx bench/tomtom/speed.ts [queries]
 *
 * 300 seeded random queries of length 19 (by default) against two databases: 2600 seeded
 * random JASPAR-like targets of lengths 5–30 (uniform, so longer than JASPAR's on average),
 * and JASPAR 2026 CORE itself (src/core/data/jaspar2026-core.json, counts normalised, when
 * the file is there), with Pearson (the default) and −Euclidean column scores. Prints the
 * seconds of each run, after a small warm-up run; then, for scale, memelite's on the JASPAR
 * run with −Euclidean scores (bench/tomtom/compare.py, when /tmp/meme-venv is there; numba,
 * all cores, timed after its compile).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { matchMotifs, type NamedPwm } from '../../src/core/tomtom';
import { random, randomMotifs } from './motifs';

const QUERIES = Number(process.argv[2] ?? 300);
const JASPAR = path.join(__dirname, '../../src/core/data/jaspar2026-core.json');

/** JASPAR's count matrices as probabilities, when the file is there. */
function jaspar(): NamedPwm[] | undefined {
  if (!fs.existsSync(JASPAR)) {
    return undefined;
  }
  const data = JSON.parse(fs.readFileSync(JASPAR, 'utf8')) as {
    motifs: { id: string; counts: number[][] }[];
  };
  return data.motifs.map(m => ({
    name: m.id,
    pwm: m.counts.map(row => {
      const sum = row.reduce((a, b) => a + b, 0);
      return row.map(v => v / sum);
    })
  }));
}

function time(label: string, queries: NamedPwm[], targets: NamedPwm[]): void {
  const columns = targets.reduce((sum, t) => sum + t.pwm.length, 0);
  const lengths = targets.map(t => t.pwm.length);
  matchMotifs(queries.slice(0, 3), targets.slice(0, 100));
  for (const distance of ['pearson', 'ed'] as const) {
    const started = performance.now();
    const results = matchMotifs(queries, targets, { distance });
    const seconds = (performance.now() - started) / 1000;
    const best = results[0].matches[0];
    console.log(
      `${queries.length} queries (length 19) × ${targets.length} ${label} (${columns} columns, ` +
        `lengths ${Math.min(...lengths)}–${Math.max(...lengths)}), ${distance}: ` +
        `${seconds.toFixed(2)} s (${((1000 * seconds) / queries.length).toFixed(1)} ms per ` +
        `query); first query's best: ${best.target} p=${best.pValue.toExponential(2)}`
    );
  }
}

function main(): void {
  const next = random(19);
  const queries = randomMotifs(QUERIES, 19, 19, next, 'q');
  time('random targets', queries, randomMotifs(2600, 5, 30, next));
  const real = jaspar();
  if (real) {
    time('JASPAR 2026 CORE motifs', queries, real);
    const python = '/tmp/meme-venv/bin/python';
    if (fs.existsSync(python)) {
      fs.mkdirSync('/tmp/tomtom-bench', { recursive: true });
      const inputs = '/tmp/tomtom-bench/speed-inputs.json';
      const out = '/tmp/tomtom-bench/speed-memelite.json';
      fs.writeFileSync(inputs, JSON.stringify({ queries, targets: real }));
      execFileSync(python, [path.join(__dirname, 'compare.py'), inputs, out]);
      const { seconds } = JSON.parse(fs.readFileSync(out, 'utf8')) as { seconds: number };
      console.log(`memelite, the same JASPAR run, ed: ${seconds.toFixed(2)} s`);
    }
  } else {
    console.log(`(${JASPAR} is not there: JASPAR itself not timed)`);
  }
}

main();
