/**
 * Tomtom, motif comparison: which motifs of a database (e.g. JASPAR) a query motif (e.g. a
 * Conv1D filter's PWM) resembles, with p-, E- and q-values. Follows MEME's Tomtom (Gupta et
 * al. 2007, Genome Biology 8:R24) with the "complete scores" of tomtom.c and memelite; the
 * null is in tomtomNull.ts, the medians in tomtomMedian.ts, the column scores in
 * tomtomColumns.ts. Pure numbers: no tfjs, no DOM. The file is a little over 400 lines: the
 * options and their checks stay beside the matching they configure.
 *
 * A PWM is `pwm[position][letter]`, probabilities over DNA's letters in the order A, C, G, T.
 *
 * How a query of length `q` is compared with a database:
 * 1. Its columns are scored against every column of every target, forward and reverse
 *    complement (positions flipped, A↔T, C↔G): Pearson correlation (default) or −Euclidean
 *    distance.
 * 2. Each query column's scores are shifted by their median over all those target columns,
 *    so an unaligned column scores 0; an alignment's complete score sums every query column,
 *    the aligned ones with their shifted score, the others 0 (a target's overhang adds 0).
 * 3. The shifted scores are discretised as tomtom.c does (offset `floor(min)`, scale
 *    `floor(100 / (max − offset))`, rounded), which gives each query column an integer score
 *    distribution over the database; the null is built from those (tomtomNull.ts).
 * 4. Each target's best placement (the highest discretised complete score, at least
 *    `minOverlap` columns overlapping) gets the p-value of that score under the null of its
 *    length over both strands; E = p × targets; q-values by Benjamini–Hochberg.
 *
 * Where it differs from tomtom.c, on purpose:
 * - q-values are Benjamini–Hochberg's, over the query's p-values across the targets (one
 *   per target); tomtom.c uses Storey's q-values (π₀ estimated by bootstrap), over its match
 *   list, which holds each target twice (once per strand).
 * - The median is the exact one, the mean of the two middle values; tomtom.c takes the
 *   lower middle value for an even count (its comment calls it "off by 1 position"), and
 *   memelite a 1000-bin approximation.
 * - One match per target, on its better strand; on a tie of score and overlap, `+`. tomtom.c
 *   keeps the strand its sort puts first, memelite the reverse complement.
 * - Pearson centres each column on its own mean (1/4 for a column that sums to 1, as
 *   tomtom.c assumes), without tomtom.c's rounding of the partial sums.
 * - `score` is the real-valued complete score of the reported placement (the sum of its
 *   aligned, median-shifted column scores); the placement and the p-value come from the
 *   discretised score, as in tomtom.c and memelite.
 * - If every shifted score is equal, the offset is taken one below (as tomtom.c does); if
 *   they span more than 100 (only possible with −Euclidean distance on values far above 1)
 *   the scale is 1 rather than 0.
 */
import { ExplorerError } from './errors';
import {
  LETTERS,
  database,
  euclideanRow,
  pearsonRow,
  putColumn,
  type Database
} from './tomtomColumns';
import { informativeColumns } from './pwm';
import { countInts, rowMedian } from './tomtomMedian';
import { nullPValue, nullsByLength, type LengthNull } from './tomtomNull';

/** A named PWM, the structure `matchMotifs` needs of a motif (a MEME file's motifs fit). */
export interface NamedPwm {
  /** The name reported in matches. */
  name: string;
  /** `pwm[position][letter]`, probabilities of A, C, G, T. */
  pwm: readonly (readonly number[])[];
}

/** How two columns are scored: Pearson correlation or −Euclidean distance. */
export type ColumnScore = 'pearson' | 'ed';

/** Options of `matchMotifs`. */
export interface MatchOptions {
  /** The column score (default `'pearson'`; tomtom.c's command line defaults to `'ed'`). */
  distance?: ColumnScore;
  /**
   * The fewest overlapping columns a reported placement may have (default 5), never more
   * than the shorter motif's length. It restricts only the placements observed: the null
   * is over all placements, as in tomtom.c.
   */
  minOverlap?: number;
  /** The most matches reported per query (default 10); `Infinity` for all. */
  maxMatches?: number;
  /**
   * Basset's `-t` (`basset_motifs.py`, `meme_add`): before a query is compared, its end
   * columns with less information than this many bits are left out (Basset: 0.2,
   * `BASSET_TRIM_BITS`; default 0, every column). A filter's motif often has near-uniform
   * ends, and Pearson correlation scales their noise up to full-size scores. A query with
   * fewer than two columns left has no matches, as Basset writes no motif for it.
   */
  trim?: number;
}

/** One target's best match with a query. */
export interface MotifMatch {
  /** The target's name. */
  target: string;
  /** P(best complete score ≥ this one) for a random target of this length, both strands. */
  pValue: number;
  /** `pValue` × the number of targets. */
  eValue: number;
  /** Benjamini–Hochberg q-value over the query's p-values across all targets. */
  qValue: number;
  /**
   * Where the query sits on the target: the target column aligned with query column 0
   * (MEME's convention, `targetCol − queryCol`), in the coordinates of the matched strand.
   */
  offset: number;
  /** How many columns overlap. */
  overlap: number;
  /** `+`: the target as given; `-`: its reverse complement. */
  strand: '+' | '-';
  /** The complete score: the sum of the aligned query columns' median-shifted scores. */
  score: number;
}

/** A query's matches, best first. */
export interface QueryMatches {
  /** The query's name. */
  query: string;
  /**
   * At most `maxMatches` matches, by increasing p-value (ties in target order). Offsets
   * count the whole query's columns, trimmed or not.
   */
  matches: MotifMatch[];
  /** With `trim`: the query columns compared, `[start, end)`; `null` when none were. */
  compared?: { start: number; end: number } | null;
}

/** Tomtom's number of bins of the discretised column scores (tomtom.c's `BINS`). */
export const TOMTOM_BINS = 100;

/** The defaults of `matchMotifs`' options. */
export const MATCH_DEFAULTS: Readonly<Required<MatchOptions>> = {
  distance: 'pearson',
  minOverlap: 5,
  maxMatches: 10,
  trim: 0
};

/**
 * Compares every query with every target, Tomtom's way.
 *
 * @param queries - the motifs to look up
 * @param targets - the database; its columns (both strands) are also the null's background,
 *   so a small one gives unreliable p-values (MEME warns below 50 targets)
 * @param options - column score, minimum overlap, matches per query
 * @returns per query, in order, its best matches
 * @throws ExplorerError when a list is empty, a motif has no name or no columns, a row is
 *   not 4 finite non-negative numbers, or an option is unknown or out of range
 */
export function matchMotifs(
  queries: readonly NamedPwm[],
  targets: readonly NamedPwm[],
  options: MatchOptions = {}
): QueryMatches[] {
  const { distance, minOverlap, maxMatches, trim } = checkOptions(options);
  checkMotifs(queries, 'queries');
  checkMotifs(targets, 'targets');
  const db = database(targets, distance === 'pearson');
  const scratch: Scratch = {
    raw: new Float64Array(0),
    bins: new Int32Array(0),
    inside: new Float64Array(0),
    ints: new Int32Array(0),
    sums: new Int32Array(0)
  };
  return queries.map(query => {
    const compared = trim > 0 ? informativeColumns(query.pwm, trim) : null;
    if (trim > 0 && compared === null) {
      return { query: query.name, matches: [], compared };
    }
    const { start, end } = compared ?? { start: 0, end: query.pwm.length };
    const matches = compareQuery(
      query.pwm.slice(start, end),
      db,
      distance,
      minOverlap,
      maxMatches,
      scratch
    ).map(({ index, offset, ...match }) => ({
      target: targets[index].name,
      ...match,
      offset: offset - start
    }));
    return trim > 0 ? { query: query.name, matches, compared } : { query: query.name, matches };
  });
}

/**
 * Benjamini–Hochberg q-values: `q_(i) = min over j ≥ i of p_(j) · n / j` (ranks by increasing
 * p), capped at 1, so they never fall as p rises.
 *
 * @param pValues - the p-values of one family
 * @returns the q-value of each, in the given order
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const n = pValues.length;
  const order = pValues.map((_, i) => i).sort((i, j) => pValues[i] - pValues[j]);
  const q = new Array<number>(n);
  let running = 1;
  for (let rank = n; rank >= 1; rank--) {
    const i = order[rank - 1];
    running = Math.min(running, (pValues[i] * n) / rank);
    q[i] = running;
  }
  return q;
}

/**
 * The exact median of some numbers, the mean of the two middle values for an even count, as
 * Tomtom shifts each query column's scores by (in linear time, without sorting them all).
 *
 * @param values - finite numbers
 * @returns their median
 * @throws ExplorerError when there are no values, or one is not finite
 */
export function medianOf(values: ArrayLike<number>): number {
  const row = Float64Array.from(values);
  if (row.length === 0 || !row.every(Number.isFinite)) {
    fail('The median needs at least one value, all finite numbers.');
  }
  return rowMedian(row, new Int32Array(row.length), new Float64Array(row.length));
}

/** A reported match, with its target's index for its name. */
type IndexedMatch = Omit<MotifMatch, 'target'> & { index: number };

/** Scratch buffers of one `matchMotifs` call, grown as needed and reused across queries. */
interface Scratch {
  raw: Float64Array;
  bins: Int32Array;
  inside: Float64Array;
  ints: Int32Array;
  sums: Int32Array;
}

function compareQuery(
  pwm: readonly (readonly number[])[],
  db: Database,
  distance: ColumnScore,
  minOverlap: number,
  maxMatches: number,
  scratch: Scratch
): IndexedMatch[] {
  const q = pwm.length;
  const n = db.count;
  if (scratch.raw.length < q * n) {
    scratch.raw = new Float64Array(q * n);
  }
  if (scratch.bins.length < n) {
    scratch.bins = new Int32Array(n);
    scratch.inside = new Float64Array(n);
  }
  // raw[l * n + c]: one row of n target columns per query column, so each pass runs along a
  // row.
  const raw = scratch.raw;
  const pearson = distance === 'pearson';
  const query = new Float64Array(q * LETTERS);
  pwm.forEach((row, l) => putColumn(query, l, row, pearson));

  // 1–2. Raw scores, each query column's range and median, the shifted range.
  const range = new Float64Array(2);
  const medians = new Float64Array(q);
  let low = Infinity;
  let high = -Infinity;
  for (let l = 0; l < q; l++) {
    const row = raw.subarray(l * n, (l + 1) * n);
    const x = query.subarray(l * LETTERS, (l + 1) * LETTERS);
    (pearson ? pearsonRow : euclideanRow)(x, db.columns, row, range);
    // The median in passes of its own: fused into the scoring pass, V8 runs both slower.
    medians[l] = rowMedian(row, scratch.bins, scratch.inside);
    low = Math.min(low, range[0] - medians[l]);
    high = Math.max(high, range[1] - medians[l]);
  }

  // 3. Discretise as tomtom.c's scale_score_matrix (integer offset and scale); each query
  // column's integer score distribution, and every placement's integer complete score.
  if (high === low) {
    low = high - 1;
  }
  const offset = Math.floor(low);
  const scale = Math.max(1, Math.floor(TOMTOM_BINS / (high - offset)));
  const zero = -offset * scale;
  const top = Math.floor((high - offset) * scale + 0.5);
  const sums = placementSums(raw, n, q, medians, offset, scale, zero, top, db.lengths, scratch);
  const nulls = nullsByLength({ pmfs: sums.pmfs, zero }, Array.from(db.lengths));

  // 4. Each target's best placement on either strand, and its p-value.
  const count = db.lengths.length;
  const pValues = new Float64Array(count);
  const offsets = new Int32Array(count);
  const overlaps = new Int32Array(count);
  const reversed = new Uint8Array(count);
  const forward = new Int32Array(3);
  const reverse = new Int32Array(3);
  for (let i = 0, at = 0; i < count; i++) {
    const t = db.lengths[i];
    const mo = Math.min(minOverlap, q, t);
    bestPlacement(sums.scores, at, q, t, mo, forward);
    bestPlacement(sums.scores, at + q + t - 1, q, t, mo, reverse);
    at += 2 * (q + t - 1);
    const useReverse =
      reverse[0] > forward[0] || (reverse[0] === forward[0] && reverse[2] > forward[2]);
    const best = useReverse ? reverse : forward;
    pValues[i] = nullPValue(nulls.get(t) as LengthNull, best[0], 2);
    offsets[i] = best[1];
    overlaps[i] = best[2];
    reversed[i] = useReverse ? 1 : 0;
  }

  // 5. The best matches, with q-values, and their real-valued complete scores.
  const ps = Array.from(pValues);
  const qValues = benjaminiHochberg(ps);
  const order = ps.map((_, i) => i).sort((i, j) => ps[i] - ps[j]);
  return order.slice(0, Math.min(count, maxMatches)).map(i => {
    const t = db.lengths[i];
    const start = db.starts[i] + (reversed[i] ? t : 0);
    const placement = offsets[i];
    let score = 0;
    for (let l = Math.max(0, -placement); l < q && l + placement < t; l++) {
      score += raw[l * n + start + l + placement] - medians[l];
    }
    return {
      index: i,
      pValue: ps[i],
      eValue: ps[i] * count,
      qValue: qValues[i],
      offset: placement,
      overlap: overlaps[i],
      strand: reversed[i] ? '-' : '+',
      score
    };
  });
}

/**
 * Per query column: its integer scores `round((score − median − offset) · scale)`
 * (tomtom.c's scale_score_matrix), their distribution over the database (`pmfs`, uniform
 * weight per target column), and every placement's integer complete score (`scores`): for
 * every target strand in column order, its q + t − 1 placements by offset from −(q − 1),
 * each `q · zero` plus its aligned columns' integer scores minus `zero` (an unaligned column
 * adds the zero bin). The reads of `raw` and of `scores` run in order.
 */
function placementSums(
  raw: Float64Array,
  n: number,
  q: number,
  medians: Float64Array,
  offset: number,
  scale: number,
  zero: number,
  top: number,
  lengths: Int32Array,
  scratch: Scratch
): { scores: Int32Array; pmfs: Float64Array[] } {
  let size = 0;
  for (const t of lengths) {
    size += 2 * (q + t - 1);
  }
  if (scratch.sums.length < size) {
    scratch.sums = new Int32Array(size);
  }
  const scores = scratch.sums.subarray(0, size);
  scores.fill(q * zero);
  const width = top + 1;
  if (scratch.ints.length < n) {
    scratch.ints = new Int32Array(n);
  }
  // One row of integer scores at a time, small enough to stay in cache for the three passes
  // over it (in V8, three simple passes run faster than one fused).
  const ints = scratch.ints.subarray(0, n);
  const pmfs: Float64Array[] = [];
  for (let l = 0; l < q; l++) {
    const row = l * n;
    const base = medians[l] + offset;
    for (let c = 0; c < n; c++) {
      // Non-negative, so `| 0` is the floor (much faster than Math.round in V8).
      ints[c] = ((raw[row + c] - base) * scale + 0.5) | 0;
    }
    const counts = countInts(ints, width);
    pmfs.push(Float64Array.from(counts, v => v / n));
    for (let i = 0, c = 0, at = q - 1 - l; i < lengths.length; i++) {
      const t = lengths[i];
      // The forward strand, then the reverse complement: the same layout, one after another.
      for (let strand = 0; strand < 2; strand++, c += t, at += q + t - 1) {
        for (let j = 0; j < t; j++) {
          scores[at + j] += ints[c + j] - zero;
        }
      }
    }
  }
  return { scores, pmfs };
}

/**
 * The best placement of the query on one strand of a target, into `out` as [integer
 * complete score, offset, overlap]: the highest score among placements overlapping at least
 * `minOverlap` columns; on a tie the larger overlap, then the first (leftmost), as tomtom.c.
 * The strand's placement scores are `sums[at .. at + q + t − 1)`.
 */
function bestPlacement(
  sums: Int32Array,
  at: number,
  q: number,
  t: number,
  minOverlap: number,
  out: Int32Array
): void {
  let best = -1;
  let bestOffset = 0;
  let bestOverlap = 0;
  for (let k = 0; k < q + t - 1; k++) {
    const offset = k - (q - 1);
    const overlap = Math.min(q - 1, t - 1 - offset) - Math.max(0, -offset) + 1;
    if (overlap >= minOverlap) {
      const score = sums[at + k];
      if (score > best || (score === best && overlap > bestOverlap)) {
        best = score;
        bestOffset = offset;
        bestOverlap = overlap;
      }
    }
  }
  out[0] = best;
  out[1] = bestOffset;
  out[2] = bestOverlap;
}

function fail(message: string): never {
  throw new ExplorerError(message);
}

function checkOptions(options: MatchOptions): Required<MatchOptions> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail(`Tomtom options must be an object such as { distance: 'ed' }; got ${String(options)}.`);
  }
  const known = Object.keys(MATCH_DEFAULTS);
  const unknown = Object.keys(options).filter(key => !known.includes(key));
  if (unknown.length > 0) {
    fail(`Unknown Tomtom option ${unknown.join(', ')}: expected ${known.join(', ')}.`);
  }
  const { distance, minOverlap, maxMatches, trim } = { ...MATCH_DEFAULTS, ...definedOf(options) };
  if (distance !== 'pearson' && distance !== 'ed') {
    fail(`Tomtom distance ${JSON.stringify(distance)} is not known: expected 'pearson' or 'ed'.`);
  }
  if (!Number.isInteger(minOverlap) || minOverlap < 1) {
    fail(`Tomtom minOverlap must be a whole number of columns ≥ 1; got ${String(minOverlap)}.`);
  }
  if (!(Number.isInteger(maxMatches) || maxMatches === Infinity) || maxMatches < 1) {
    fail(`Tomtom maxMatches must be a whole number ≥ 1 or Infinity; got ${String(maxMatches)}.`);
  }
  if (!(typeof trim === 'number' && trim >= 0 && trim <= 2)) {
    fail(
      `Tomtom trim must be a number of bits from 0 to 2 (Basset's is 0.2); got ${String(trim)}.`
    );
  }
  return { distance, minOverlap, maxMatches, trim };
}

/** The options that are set (an `undefined` one takes its default). */
function definedOf(options: MatchOptions): MatchOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

function checkMotifs(motifs: readonly NamedPwm[], what: 'queries' | 'targets'): void {
  if (!Array.isArray(motifs) || motifs.length === 0) {
    fail(`Tomtom needs at least one motif in ${what}: expected a non-empty list of { name, pwm }.`);
  }
  motifs.forEach((motif: unknown, i) => {
    const label = `Tomtom ${what}[${i}]`;
    if (typeof motif !== 'object' || motif === null) {
      fail(`${label} is not a motif: expected { name: string, pwm: number[][] }.`);
    }
    const { name, pwm } = motif as Partial<NamedPwm>;
    if (typeof name !== 'string') {
      fail(`${label} has no name: expected a string name.`);
    }
    const named = `${label} (${JSON.stringify(name)})`;
    if (!Array.isArray(pwm) || pwm.length < 1) {
      fail(`${named} has no columns: expected a PWM of at least 1 position × 4 letters.`);
    }
    pwm.forEach((row: unknown, p) => {
      if (!Array.isArray(row) || row.length !== LETTERS) {
        const width = Array.isArray(row) ? `${row.length} values` : 'no list';
        fail(`${named} position ${p} has ${width}: expected 4 (A, C, G, T probabilities).`);
      }
      row.forEach((v: unknown, k) => {
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
          fail(
            `${named} position ${p}, letter ${'ACGT'[k]} is ${String(v)}: expected a finite ` +
              'probability ≥ 0.'
          );
        }
      });
    });
  });
}
