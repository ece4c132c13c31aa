/** The bench's plain-text tables and figures (bench/run.ts, bench/motifs.ts). */

/**
 * Prints rows under a header, columns padded to their widest cell.
 *
 * @param header - the column names
 * @param rows - the cells, as many per row as the header has
 */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  for (const r of [header, widths.map(w => '-'.repeat(w)), ...rows]) {
    console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
  }
}

/**
 * A median with its range: `median (min–max)`, three significant digits below 100.
 *
 * @param s - the statistics
 * @returns the text
 */
export function fmt(s: { median: number; min: number; max: number }): string {
  const n = (v: number) => (v >= 100 ? v.toFixed(0) : v.toPrecision(3));
  return `${n(s.median)} (${n(s.min)}–${n(s.max)})`;
}

/**
 * A target's status word.
 *
 * @param met - whether the figure meets it
 * @returns `met` or `MISSED`
 */
export function verdict(met: boolean): string {
  return met ? 'met' : 'MISSED';
}
