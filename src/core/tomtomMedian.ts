/**
 * Medians and counts for Tomtom (tomtom.ts): the exact median of each query column's scores
 * over the database, in linear time (a sampled bracket, then a selection inside it, with a
 * bucket fallback), and integer counting. Pure numbers, written for V8's speed: typed
 * arrays, one simple pass per loop.
 */

/** The buckets of the median's fallback. */
const MEDIAN_BUCKETS = 1024;

/** Rows up to this long have their median selected among all their values. */
const SELECT_ALL = 8192;
/** About how many values a longer row's median is bracketed from. */
const SAMPLE = 2048;

/**
 * Every how many values a row of `n` is sampled to bracket its median: 0 when it is short
 * enough to select among all its values.
 *
 * @param n - the row's length
 * @returns the stride, or 0
 */
function sampleStride(n: number): number {
  return n <= SELECT_ALL ? 0 : Math.floor(n / SAMPLE);
}

/**
 * A bracket of a row's middle ranks, from a sample of it (every `sampleStride`-th value):
 * `[lo, hi, mid, reach]`, the sample's quantiles 6 standard errors each side of its median,
 * with `|v − mid| ≤ reach` a cheap superset of `lo ≤ v ≤ hi`. Without a sample, everything.
 *
 * @param sample - the sampled values (rearranged), or none
 * @returns the bracket
 */
function medianBracket(sample: Float64Array | undefined): Float64Array {
  if (sample === undefined) {
    return Float64Array.of(-Infinity, Infinity, 0, Infinity);
  }
  const size = sample.length;
  const spread = Math.ceil(3 * Math.sqrt(size));
  const lo = select(sample, Math.max(0, (size >> 1) - spread));
  const hi = select(sample, Math.min(size - 1, (size >> 1) + spread));
  const reach = (hi - lo) / 2 + 1e-9 * (1 + Math.abs(lo) + Math.abs(hi));
  return Float64Array.of(lo, hi, (lo + hi) / 2, reach);
}

/**
 * The exact median of a row (the mean of the two middle values for an even count), from
 * one pass that counted its values below a bracket and collected those inside it: the
 * middle ranks are selected among those. Should the bracket miss them (far below one chance
 * in a million), the median is taken by buckets instead.
 *
 * @param row - the values
 * @param min - their least
 * @param max - their greatest
 * @param below - how many are below the bracket
 * @param inside - those inside it (rearranged)
 * @param bins - scratch of the row's length
 * @returns the median
 */
function finishMedian(
  row: Float64Array,
  min: number,
  max: number,
  below: number,
  inside: Float64Array,
  bins: Int32Array
): number {
  const n = row.length;
  const k1 = (n - 1) >> 1;
  const k2 = n >> 1;
  const m = inside.length;
  if (!(max > min)) {
    return min;
  }
  if (below > k1 || below + m <= k2) {
    return bucketMedian(row, min, max, bins);
  }
  const first = select(inside, k1 - below);
  if (k2 === k1) {
    return first;
  }
  // After select, the values past rank k1 − below are all ≥ it: the next rank is their least.
  let next = Infinity;
  for (let i = k1 - below + 1; i < m; i++) {
    next = inside[i] < next ? inside[i] : next;
  }
  return (first + next) / 2;
}

/**
 * The exact median of a row (the mean of the two middle values for an even count), in
 * linear time, without sorting it: a strided sample brackets the middle ranks, one pass
 * counts the values below the bracket (branch-free) and collects those inside it, and the
 * middle ranks are selected among those (finishMedian). A short row is selected among all.
 *
 * @param row - the values
 * @param bins - scratch of the row's length
 * @param inside - scratch of the row's length
 * @returns the median
 */
export function rowMedian(row: Float64Array, bins: Int32Array, inside: Float64Array): number {
  const n = row.length;
  const stride = sampleStride(n);
  let sample: Float64Array | undefined;
  if (stride > 0) {
    sample = new Float64Array(Math.floor((n - 1) / stride) + 1);
    for (let c = 0, i = 0; c < n; c += stride, i++) {
      sample[i] = row[c];
    }
  }
  const [lo, hi, mid, reach] = medianBracket(sample);
  let below = 0;
  let m = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let c = 0; c < n; c++) {
    const v = row[c];
    min = v < min ? v : min;
    max = v > max ? v : max;
    below += +(v < lo);
    // A superset of [lo, hi], almost always false (a branch the CPU predicts), then exact.
    if (Math.abs(v - mid) <= reach && v >= lo && v <= hi) {
      inside[m++] = v;
    }
  }
  return finishMedian(row, min, max, below, inside.subarray(0, m), bins);
}

/**
 * The value of rank `k` (0-based, ascending) of `values`, rearranging them so that those
 * before it are ≤ it and those after ≥ it (Hoare's selection, median-of-three pivots).
 */
function select(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (right > left) {
    const middle = (left + right) >> 1;
    // Median of three as the pivot, left at `left`.
    if (values[middle] < values[left]) {
      swap(values, middle, left);
    }
    if (values[right] < values[left]) {
      swap(values, right, left);
    }
    if (values[right] < values[middle]) {
      swap(values, right, middle);
    }
    const pivot = values[middle];
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) {
        i++;
      }
      while (values[j] > pivot) {
        j--;
      }
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) {
      right = j;
    } else if (k >= i) {
      left = i;
    } else {
      return values[k];
    }
  }
  return values[k];
}

function swap(values: Float64Array, i: number, j: number): void {
  const v = values[i];
  values[i] = values[j];
  values[j] = v;
}

/**
 * The exact median of a row by buckets: its values are counted into buckets over
 * [min, max] (a monotone map, so ranks are kept), and only those in the bucket(s) holding the
 * middle ranks are sorted. `bins` is scratch of the row's length. (Each step is a pass of its
 * own: in V8, fused they are slower.)
 */
function bucketMedian(row: Float64Array, min: number, max: number, bins: Int32Array): number {
  const n = row.length;
  // (v − min) · factor lies in [0, MEDIAN_BUCKETS − 1] up to rounding, so `| 0` is its floor
  // (far faster than Math.floor in V8), and the extra last bucket catches the rounding.
  const factor = (MEDIAN_BUCKETS - 1) / (max - min);
  for (let c = 0; c < n; c++) {
    bins[c] = ((row[c] - min) * factor) | 0;
  }
  const buckets = countInts(bins.subarray(0, n), MEDIAN_BUCKETS + 1);
  const k1 = (n - 1) >> 1;
  const k2 = n >> 1;
  let below = 0;
  let first = -1;
  let firstBelow = 0;
  let last = -1;
  for (let b = 0; b <= MEDIAN_BUCKETS; b++) {
    if (first < 0 && below + buckets[b] > k1) {
      first = b;
      firstBelow = below;
    }
    if (below + buckets[b] > k2) {
      last = b;
      break;
    }
    below += buckets[b];
  }
  const picked = new Float64Array(below + buckets[last] - firstBelow);
  const span = last - first;
  for (let c = 0, m = 0; c < n; c++) {
    // One unsigned comparison, almost always false: a branch the CPU predicts.
    if ((bins[c] - first) >>> 0 <= span) {
      picked[m++] = row[c];
    }
  }
  picked.sort();
  return (picked[k1 - firstBelow] + picked[k2 - firstBelow]) / 2;
}

/**
 * How often each integer occurs in some values. Four interleaved tallies, added at the end,
 * so that consecutive equal values do not wait on each other's increments.
 *
 * @param values - integers, each plus `shift` in [0, size)
 * @param size - how many integers to count
 * @param shift - added to each value
 * @returns the counts, `counts[v + shift]`
 */
export function countInts(values: Int32Array, size: number, shift = 0): Int32Array {
  const tallies = new Int32Array(4 * size);
  const n = values.length;
  const s1 = size + shift;
  const s2 = 2 * size + shift;
  const s3 = 3 * size + shift;
  let c = 0;
  for (; c + 3 < n; c += 4) {
    tallies[values[c] + shift]++;
    tallies[values[c + 1] + s1]++;
    tallies[values[c + 2] + s2]++;
    tallies[values[c + 3] + s3]++;
  }
  for (; c < n; c++) {
    tallies[values[c] + shift]++;
  }
  const counts = tallies.subarray(0, size);
  for (let k = 1; k < 4; k++) {
    for (let x = 0; x < size; x++) {
      counts[x] += tallies[k * size + x];
    }
  }
  return counts;
}
