/**
 * Tomtom's background, for `matchMotifs` in tomtom.ts (Gupta et al. 2007, Genome Biology
 * 8:R24, with the complete scores of MEME's tomtom.c): the null distribution of the best
 * complete score (the medians are in tomtomMedian.ts). Pure numbers: no tfjs, no DOM. Written for V8's speed: typed arrays, one
 * simple pass per loop.
 *
 * Each query column `l` has an integer score distribution `f_l` (its discretised,
 * median-shifted scores against every target column of the database, both strands, with
 * uniform weight). A placement of a query of length `q` over a target of length `t` aligns a
 * contiguous span of query columns `[a..b]`; its complete score is the sum of those columns'
 * scores plus the shifted-zero bin for each of the `q − (b − a + 1)` unaligned ones, so its
 * distribution is `f_a ∗ … ∗ f_b` shifted. The null of a target length is the distribution of
 * the maximum over all `q + t − 1` placements (and both strands), the placements taken as
 * independent, as tomtom.c and memelite do. It is kept as `log P(max < s)` per strand, summed
 * over the placements, so that p-values far below 1e-16 keep their digits.
 */

/** The per-query-column score distributions a null is built from. */
export interface ColumnDistributions {
  /**
   * `pmfs[l][x]`: the probability that query column `l` scores the integer `x` against a
   * target column drawn uniformly from the database (both strands). All rows have one length,
   * the top bin plus one.
   */
  pmfs: readonly Float64Array[];
  /** The integer score of a shifted score of 0: what an unaligned query column adds. */
  zero: number;
}

/** The null of one target length, for one strand. */
export interface LengthNull {
  /** Scores at or below this one have p-value 1 (some placement always reaches them). */
  floor: number;
  /** `logBelow[s]`: the sum over the placements of `log P(placement score < s)`. */
  logBelow: Float64Array;
}

/**
 * How a span of query columns enters the nulls: once into every length from `from` on (as
 * the prefixes and suffixes do), or into some lengths with a multiplicity each.
 */
interface SpanUse {
  from: number;
  exact: [number, number][];
}

/** Below this probability a log is not needed: any p-value it enters rounds to 1. */
const NEGLIGIBLE = 1e-18;
const LOG_NEGLIGIBLE = Math.log(NEGLIGIBLE);

/**
 * The null of every target length asked for: one convolution chain per row of spans, each
 * span's distribution turned into log-probabilities once and added, with its multiplicity,
 * to every length that places it.
 *
 * @param columns - the query columns' score distributions
 * @param targetLengths - the target lengths to build nulls for (each at least 1)
 * @returns the null of each distinct length
 */
export function nullsByLength(
  columns: ColumnDistributions,
  targetLengths: readonly number[]
): Map<number, LengthNull> {
  const q = columns.pmfs.length;
  const top = columns.pmfs[0].length - 1;
  const size = q * top + 1;
  const lengths = [...new Set(targetLengths)].sort((a, b) => a - b);
  const nulls = lengths.map(() => ({ floor: -1, logBelow: new Float64Array(size) }));
  const uses = spanUses(q, lengths);
  // What enters every length from index i on: tails[i], with its floor.
  const tails = lengths.map(() => new Float64Array(0));
  const tailFloors = lengths.map(() => -1);

  const support = columns.pmfs.map(supportOf);
  // Two convolution buffers with a zero margin of `pad` on each side (see convolve).
  const pad = top + 8;
  const bufferA = new Float64Array(size + 2 * pad);
  const bufferB = new Float64Array(size + 2 * pad);
  const above = new Float64Array(size + 1);
  const logs = new Float64Array(size);

  const emit = (a: number, b: number, dist: Float64Array, lo: number, hi: number): void => {
    const use = uses.get(a * q + b);
    if (use === undefined) {
      return;
    }
    const shift = (q - (b - a + 1)) * columns.zero;
    spanLogs(dist, lo, hi, above, logs);
    if (use.from < lengths.length) {
      if (tails[use.from].length === 0) {
        tails[use.from] = new Float64Array(size);
      }
      addLogs(tails[use.from], logs, lo, hi, shift, 1);
      tailFloors[use.from] = Math.max(tailFloors[use.from], lo + shift);
    }
    for (const [index, count] of use.exact) {
      addLogs(nulls[index].logBelow, logs, lo, hi, shift, count);
      nulls[index].floor = Math.max(nulls[index].floor, lo + shift);
    }
  };

  // A chain from column `from` towards `to` (either way), emitting every span it builds.
  const chain = (from: number, to: number): void => {
    const step = to >= from ? 1 : -1;
    let [lo, hi] = support[from];
    let current = bufferA;
    let next = bufferB;
    current.fill(0);
    current.set(columns.pmfs[from].subarray(lo, hi + 1), pad + lo);
    for (let j = from; ; j += step) {
      emit(Math.min(from, j), Math.max(from, j), current.subarray(pad), lo, hi);
      if (j === to) {
        return;
      }
      const [flo, fhi] = support[j + step];
      convolve(current, lo, hi, columns.pmfs[j + step], flo, fhi, next, pad);
      [lo, hi] = [lo + flo, hi + fhi];
      [current, next] = [next, current];
    }
  };

  // The prefixes [0..b] from column 0; the suffixes [a..q−1] from the last column down;
  // then each row a ≥ 1 as far as its longest span that is not a suffix.
  const lastOf = (a: number, stop: number): number => {
    let last = -1;
    for (let b = a; b < stop; b++) {
      if (uses.has(a * q + b)) {
        last = b;
      }
    }
    return last;
  };
  const lastPrefix = lastOf(0, q);
  if (lastPrefix >= 0) {
    chain(0, lastPrefix);
  }
  let firstSuffix = -1;
  for (let a = q - 1; a >= 1; a--) {
    if (uses.has(a * q + q - 1)) {
      firstSuffix = a;
    }
  }
  if (firstSuffix >= 1) {
    chain(q - 1, firstSuffix);
  }
  for (let a = 1; a < q - 1; a++) {
    const last = lastOf(a, q - 1);
    if (last >= 0) {
      chain(a, last);
    }
  }

  // The tails, accumulated over the lengths in increasing order.
  const running = new Float64Array(size);
  let runningFloor = -1;
  nulls.forEach((lengthNull, i) => {
    if (tails[i].length > 0) {
      for (let s = 0; s < size; s++) {
        running[s] += tails[i][s];
      }
    }
    runningFloor = Math.max(runningFloor, tailFloors[i]);
    for (let s = 0; s < size; s++) {
      lengthNull.logBelow[s] += running[s];
    }
    lengthNull.floor = Math.max(lengthNull.floor, runningFloor);
  });

  return new Map(lengths.map((t, index) => [t, nulls[index]]));
}

/**
 * Which spans the placements of each length use, keyed `a · q + b`, and how: a span that
 * every length from some index on places exactly once is a tail, the others exact.
 */
function spanUses(q: number, lengths: readonly number[]): Map<number, SpanUse> {
  const nL = lengths.length;
  // counts[(a · q + b) · nL + index]: how often length `index` places span [a..b].
  const counts = new Int32Array(q * q * nL);
  lengths.forEach((t, index) => {
    for (let offset = 1 - q; offset < t; offset++) {
      const a = Math.max(0, -offset);
      const b = Math.min(q - 1, t - 1 - offset);
      counts[(a * q + b) * nL + index]++;
    }
  });
  const uses = new Map<number, SpanUse>();
  for (let key = 0; key < q * q; key++) {
    const row = counts.subarray(key * nL, (key + 1) * nL);
    const first = row.findIndex(c => c > 0);
    if (first < 0) {
      continue;
    }
    if (row.subarray(first).every(c => c === 1)) {
      uses.set(key, { from: first, exact: [] });
    } else {
      const exact: [number, number][] = [];
      row.forEach((c, index) => {
        if (c > 0) {
          exact.push([index, c]);
        }
      });
      uses.set(key, { from: nL, exact });
    }
  }
  return uses;
}

/**
 * `logs[v] = log P(sum < v)` for v in (lo, hi] of a span's distribution (at `lo` it is 0).
 * Each tail is summed from its own end, so the smaller one keeps its digits; far below
 * NEGLIGIBLE the log is clamped (the p-values it enters are 1 either way).
 */
function spanLogs(
  dist: Float64Array,
  lo: number,
  hi: number,
  above: Float64Array,
  logs: Float64Array
): void {
  above[hi + 1] = 0;
  for (let v = hi; v >= lo; v--) {
    above[v] = above[v + 1] + dist[v];
  }
  let below = 0;
  for (let v = lo + 1; v <= hi; v++) {
    below += dist[v - 1];
    const a = above[v];
    if (a < 1e-5) {
      // log1p(−a) by its series: the next term, a⁴/4, is below 1e−20 · a.
      logs[v] = -a * (1 + a * (0.5 + a / 3));
    } else if (a < 0.5) {
      logs[v] = Math.log1p(-a);
    } else {
      logs[v] = below < NEGLIGIBLE ? LOG_NEGLIGIBLE : Math.log(below);
    }
  }
}

/** `target[v + shift] += count · logs[v]` for v in (lo, hi]. */
function addLogs(
  target: Float64Array,
  logs: Float64Array,
  lo: number,
  hi: number,
  shift: number,
  count: number
): void {
  for (let v = lo + 1; v <= hi; v++) {
    target[v + shift] += count * logs[v];
  }
}

/**
 * The p-value of a best complete score under a length's null: the probability that the best
 * of the `q + t − 1` placements on each of `strands` strands reaches it.
 *
 * @param lengthNull - the null of the target's length
 * @param score - the best integer complete score
 * @param strands - how many strands were searched (2: the target and its reverse complement)
 * @returns `P(max ≥ score)`, in [0, 1]
 */
export function nullPValue(lengthNull: LengthNull, score: number, strands: number): number {
  if (score <= lengthNull.floor) {
    return 1;
  }
  if (score >= lengthNull.logBelow.length) {
    return 0;
  }
  return Math.min(1, Math.max(0, -Math.expm1(strands * lengthNull.logBelow[score])));
}

/** The first and last bins of a distribution that hold probability (`[0, -1]` when none). */
function supportOf(pmf: Float64Array): [number, number] {
  let lo = 0;
  while (lo < pmf.length && pmf[lo] === 0) {
    lo++;
  }
  let hi = pmf.length - 1;
  while (hi > lo && pmf[hi] === 0) {
    hi--;
  }
  return lo < pmf.length ? [lo, hi] : [0, -1];
}

/**
 * `dst = src ∗ f`, for `src` holding a distribution over [lo, hi] and `f` one over
 * [flo, fhi]; both buffers index value `v` at `pad + v`. `src` is first cleared over a margin
 * each side of its support, so every output can run over all of `f`; outputs are computed
 * four at a time, each `src` value loaded once for the four (three times faster in V8 than
 * one output at a time). Up to three outputs past the support are written, all 0.
 */
function convolve(
  src: Float64Array,
  lo: number,
  hi: number,
  f: Float64Array,
  flo: number,
  fhi: number,
  dst: Float64Array,
  pad: number
): void {
  const margin = fhi - flo + 4;
  src.fill(0, pad + lo - margin, pad + lo);
  src.fill(0, pad + hi + 1, pad + hi + 1 + margin);
  const last = hi + fhi;
  for (let k = lo + flo; k <= last; k += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    // p1..p3: src at k + 1 − x, k + 2 − x, k + 3 − x, as x rises.
    let p1 = src[pad + k + 1 - flo];
    let p2 = src[pad + k + 2 - flo];
    let p3 = src[pad + k + 3 - flo];
    for (let x = flo, y = pad + k - flo; x <= fhi; x++, y--) {
      const w = f[x];
      const v = src[y];
      s0 += w * v;
      s1 += w * p1;
      s2 += w * p2;
      s3 += w * p3;
      p3 = p2;
      p2 = p1;
      p1 = v;
    }
    dst[pad + k] = s0;
    dst[pad + k + 1] = s1;
    dst[pad + k + 2] = s2;
    dst[pad + k + 3] = s3;
  }
}
