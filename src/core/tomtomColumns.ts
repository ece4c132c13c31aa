/**
 * Tomtom's column scores (tomtom.ts): the database's columns on both strands, laid out in
 * one typed array, and one query column scored against all of them by Pearson correlation
 * or −Euclidean distance. Pure numbers, written for V8's speed.
 */

/** Letters of a DNA column: A, C, G, T. */
export const LETTERS = 4;

/**
 * The reverse complement of a DNA PWM: positions in reverse order, letters A↔T and C↔G.
 *
 * @param pwm - `pwm[position][letter]`, letters A, C, G, T
 * @returns a new matrix
 */
export function reverseComplement(pwm: readonly (readonly number[])[]): number[][] {
  return pwm
    .slice()
    .reverse()
    .map(row => [row[3], row[2], row[1], row[0]]);
}

/** The targets' columns, both strands, ready to score against. */
export interface Database {
  /** Columns, 4 values each: target i forward from `starts[i]`, then its reverse complement. */
  columns: Float64Array;
  /** How many columns, both strands. */
  count: number;
  starts: Int32Array;
  lengths: Int32Array;
}

/**
 * The targets' columns, forward and reverse complement, laid out for scoring.
 *
 * @param targets - the database's motifs
 * @param pearson - whether columns are centred and scaled for Pearson correlation
 * @returns the columns with each target's start and length
 */
export function database(
  targets: readonly { pwm: readonly (readonly number[])[] }[],
  pearson: boolean
): Database {
  const lengths = Int32Array.from(targets, t => t.pwm.length);
  const starts = new Int32Array(targets.length);
  let count = 0;
  targets.forEach((t, i) => {
    starts[i] = count;
    count += 2 * t.pwm.length;
  });
  const columns = new Float64Array(count * LETTERS);
  targets.forEach((t, i) => {
    const rows = [...t.pwm, ...reverseComplement(t.pwm)];
    rows.forEach((row, r) => putColumn(columns, starts[i] + r, row, pearson));
  });
  return { columns, count, starts, lengths };
}

/**
 * Writes a column as it is (Euclidean) or centred and scaled to length 1 (Pearson).
 *
 * @param out - the columns' array
 * @param at - the column's index in it
 * @param row - the column's four probabilities
 * @param pearson - whether to centre and scale it
 */
export function putColumn(
  out: Float64Array,
  at: number,
  row: readonly number[],
  pearson: boolean
): void {
  const base = at * LETTERS;
  if (!pearson) {
    for (let k = 0; k < LETTERS; k++) {
      out[base + k] = row[k];
    }
    return;
  }
  const mean = (row[0] + row[1] + row[2] + row[3]) / LETTERS;
  let norm = 0;
  for (let k = 0; k < LETTERS; k++) {
    norm += (row[k] - mean) ** 2;
  }
  norm = Math.sqrt(norm);
  // A constant column has no correlation: it scores 0 with everything, as in tomtom.c.
  for (let k = 0; k < LETTERS; k++) {
    out[base + k] = norm > 0 ? (row[k] - mean) / norm : 0;
  }
}

/**
 * One query column's Pearson scores against every column (both centred, unit length).
 *
 * @param x - the query column, centred and scaled (`database`'s layout)
 * @param columns - the database's columns
 * @param row - receives one score per column
 * @param range - receives the smallest and largest score
 */
export function pearsonRow(
  x: Float64Array,
  columns: Float64Array,
  row: Float64Array,
  range: Float64Array
): void {
  const x0 = x[0];
  const x1 = x[1];
  const x2 = x[2];
  const x3 = x[3];
  const n = row.length;
  let min = Infinity;
  let max = -Infinity;
  for (let c = 0, b = 0; c < n; c++, b += LETTERS) {
    const s = x0 * columns[b] + x1 * columns[b + 1] + x2 * columns[b + 2] + x3 * columns[b + 3];
    row[c] = s;
    min = s < min ? s : min;
    max = s > max ? s : max;
  }
  range[0] = min;
  range[1] = max;
}

/**
 * One query column's −Euclidean distances to every column.
 *
 * @param x - the query column
 * @param columns - the database's columns
 * @param row - receives one score per column
 * @param range - receives the smallest and largest score
 */
export function euclideanRow(
  x: Float64Array,
  columns: Float64Array,
  row: Float64Array,
  range: Float64Array
): void {
  const x0 = x[0];
  const x1 = x[1];
  const x2 = x[2];
  const x3 = x[3];
  const n = row.length;
  let min = Infinity;
  let max = -Infinity;
  for (let c = 0, b = 0; c < n; c++, b += LETTERS) {
    const d0 = x0 - columns[b];
    const d1 = x1 - columns[b + 1];
    const d2 = x2 - columns[b + 2];
    const d3 = x3 - columns[b + 3];
    const s = -Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3);
    row[c] = s;
    min = s < min ? s : min;
    max = s > max ? s : max;
  }
  range[0] = min;
  range[1] = max;
}
