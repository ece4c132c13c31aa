/**
 * Position weight matrix math: consensus symbols, information content in bits, and rows of
 * a batch of matrices held flat (`values[(row * length + position) * width + symbol]`, as
 * the maximization state and the worker's snapshots hold them). Pure numbers: no tfjs, no
 * DOM. The logos of maximization results and of dataset motifs are drawn from it.
 */

/** A batch of matrices, one per row, each `length` positions × `width` symbols, flat. */
export interface FlatMatrices {
  values: ArrayLike<number>;
  length: number;
  width: number;
}

/**
 * One row's matrix as columns.
 *
 * @param flat - the batch
 * @param row - the row
 * @returns `columns[position][symbol]`
 */
export function rowColumns(flat: FlatMatrices, row: number): number[][] {
  const { values, length, width } = flat;
  return Array.from({ length }, (_, p) => {
    const start = (row * length + p) * width;
    return Array.from({ length: width }, (_, c) => values[start + c]);
  });
}

/** The index of the largest of `width` values from `start` (the first one on ties). */
function argmax(values: ArrayLike<number>, start: number, width: number): number {
  let best = 0;
  for (let c = 1; c < width; c++) {
    if (values[start + c] > values[start + best]) {
      best = c;
    }
  }
  return best;
}

/**
 * The most probable symbol at each position of one row.
 *
 * @param flat - the batch
 * @param row - the row
 * @param alphabet - one symbol per column (`?` where it has none)
 * @returns one symbol per position
 */
export function rowConsensus(flat: FlatMatrices, row: number, alphabet: string): string {
  let text = '';
  for (let p = 0; p < flat.length; p++) {
    text += alphabet[argmax(flat.values, (row * flat.length + p) * flat.width, flat.width)] ?? '?';
  }
  return text;
}

/**
 * The information content of one column in bits, the height of a logo's stack:
 * `log2(symbols) - entropy`, never below 0.
 *
 * @param values - the probabilities, flat
 * @param start - where the column starts
 * @param width - its number of symbols
 * @returns bits, from 0 (uniform) to log2(width)
 */
export function columnBits(values: ArrayLike<number>, start: number, width: number): number {
  let entropy = 0;
  for (let c = 0; c < width; c++) {
    const p = values[start + c];
    if (p > 0) {
      entropy -= p * Math.log2(p);
    }
  }
  return Math.max(0, Math.log2(width) - entropy);
}

/**
 * The most probable symbol at each position of a probability matrix.
 *
 * @param probabilities - `[position][symbol]`, e.g. a softmax maximization's input
 * @param alphabet - one symbol per column
 * @returns one symbol per position
 */
export function consensusSequence(
  probabilities: readonly (readonly number[])[],
  alphabet: string
): string {
  return probabilities.map(column => alphabet[argmax(column, 0, column.length)]).join('');
}

/**
 * The information content of each position of a probability matrix, in bits: the
 * height of a sequence logo's stack (`log2(symbols) - entropy`).
 *
 * @param probabilities - `[position][symbol]`
 * @returns bits per position, from 0 (uniform) to log2(symbols)
 */
export function informationContent(probabilities: readonly (readonly number[])[]): number[] {
  return probabilities.map(column => columnBits(column, 0, column.length));
}

/** Basset's bits for trimming a filter's motif ends (`basset_motifs.py`, `meme_add`'s `ic_t`). */
export const BASSET_TRIM_BITS = 0.2;

/**
 * The columns left when a motif's uninformative ends are trimmed, Basset's way: leading and
 * trailing columns with less than `minBits` of information go (uniform background; Basset's
 * original analysis used 0.5 GC).
 *
 * @param probabilities - `[position][symbol]`
 * @param minBits - the least information an end column keeps
 * @returns the columns kept, `[start, end)`, or `null` when fewer than two are left
 */
export function informativeColumns(
  probabilities: readonly (readonly number[])[],
  minBits: number
): { start: number; end: number } | null {
  const bits = informationContent(probabilities);
  let start = 0;
  while (start < bits.length && bits[start] < minBits) {
    start++;
  }
  let end = bits.length;
  while (end > start && bits[end - 1] < minBits) {
    end--;
  }
  return end - start >= 2 ? { start, end } : null;
}
