/**
 * Seeded, JASPAR-like random motifs for the Tomtom benches (compare.ts, speed.ts): columns
 * drawn from a Dirichlet(0.5) (peaked, as real motifs' columns are), queries made from
 * targets by taking a window, perturbing each column and sometimes reverse-complementing.
 */
import type { NamedPwm } from '../../src/core/tomtom';
import { reverseComplement } from '../../src/core/tomtomColumns';
import { rng } from '../../examples/train/data';

/** The examples' seeded generator (mulberry32). */
export const random = rng;

/** A standard normal draw (Box–Muller). */
function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/**
 * A Gamma(shape, 1) draw: Marsaglia and Tsang, with the boost `U^(1/a)` below shape 1.
 *
 * @param next - the generator
 * @param shape - the shape, above 0
 * @returns the draw
 */
export function gamma(next: () => number, shape: number): number {
  if (shape < 1) {
    return gamma(next, shape + 1) * (1 - next()) ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(next);
    const v = (1 + c * x) ** 3;
    if (v > 0 && Math.log(1 - next()) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
      return d * v;
    }
  }
}

/**
 * A Dirichlet(alpha, alpha, alpha, alpha) column over A, C, G, T.
 *
 * @param next - the generator
 * @param alpha - the concentration (0.5: peaked, like JASPAR's columns)
 * @returns probabilities summing to 1
 */
export function dirichletColumn(next: () => number, alpha = 0.5): number[] {
  const g = [0, 1, 2, 3].map(() => gamma(next, alpha) + 1e-12);
  const sum = g.reduce((a, b) => a + b, 0);
  return g.map(v => v / sum);
}

/**
 * Random motifs with lengths uniform in [minLength, maxLength].
 *
 * @param count - how many
 * @param minLength - the shortest
 * @param maxLength - the longest
 * @param next - the generator
 * @param prefix - the names' prefix (names are `prefix` + index)
 * @returns the motifs
 */
export function randomMotifs(
  count: number,
  minLength: number,
  maxLength: number,
  next: () => number,
  prefix = 't'
): NamedPwm[] {
  return Array.from({ length: count }, (_, i) => {
    const length = minLength + Math.floor(next() * (maxLength - minLength + 1));
    return { name: `${prefix}${i}`, pwm: Array.from({ length }, () => dirichletColumn(next)) };
  });
}

/**
 * A query made from a target: a window of at least `minLength` columns, each column mixed
 * with a fresh Dirichlet column (`noise` of it), reverse-complemented half the time.
 *
 * @param target - the motif it comes from
 * @param next - the generator
 * @param noise - the weight of the fresh column, in [0, 1]
 * @param minLength - the shortest window
 * @returns the query's PWM
 */
export function perturbedQuery(
  target: NamedPwm,
  next: () => number,
  noise: number,
  minLength: number
): number[][] {
  const t = target.pwm.length;
  const length = Math.min(t, minLength + Math.floor(next() * (t - minLength + 1)));
  const start = Math.floor(next() * (t - length + 1));
  const window = target.pwm.slice(start, start + length).map(column => {
    const fresh = dirichletColumn(next);
    return column.map((v, k) => (1 - noise) * v + noise * fresh[k]);
  });
  return next() < 0.5 ? reverseComplement(window) : window;
}
