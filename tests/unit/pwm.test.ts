/** Position weight matrix math against hand-computed values, flat and nested alike. */
import {
  columnBits,
  consensusSequence,
  informationContent,
  rowColumns,
  rowConsensus
} from '../../src/core/pwm';
import { positionSummary } from '../../src/lab/maximizationRows';
import type { RunSnapshot } from '../../src/lab/worker/messages';

// Two rows of 3 positions × 4 symbols: certain, uniform, two-way; then a tie and others.
const ROWS = [
  [
    [1, 0, 0, 0],
    [0.25, 0.25, 0.25, 0.25],
    [0, 0.5, 0.5, 0]
  ],
  [
    [0.4, 0.4, 0.1, 0.1],
    [0, 0, 0, 1],
    [0.1, 0.7, 0.1, 0.1]
  ]
];
const FLAT = { values: Float32Array.from(ROWS.flat(2)), length: 3, width: 4 };

describe('PWM math', () => {
  test('information content in bits: log2(4) − entropy, 0 for a uniform column', () => {
    expect(informationContent(ROWS[0])).toEqual([2, 0, 1]);
    // entropy = −(3 · 0.1 · log2 0.1 + 0.7 · log2 0.7) = 1.3567796 bits
    expect(informationContent([ROWS[1][2]])[0]).toBeCloseTo(2 - 1.3567796, 6);
    expect(columnBits(FLAT.values, 0, 4)).toBe(2);
    expect(columnBits(FLAT.values, (1 * 3 + 1) * 4, 4)).toBe(2);
  });

  test('consensus: the most probable symbol, the first one on a tie', () => {
    expect(consensusSequence(ROWS[0], 'ACGT')).toBe('AAC');
    expect(rowConsensus(FLAT, 0, 'ACGT')).toBe('AAC');
    expect(rowConsensus(FLAT, 1, 'ACGT')).toBe('ATC');
    expect(rowConsensus(FLAT, 1, 'AC')).toBe('A?C');
  });

  test('a row of the flat batch as columns', () => {
    expect(rowColumns(FLAT, 1)).toEqual(ROWS[1].map(c => Array.from(Float32Array.from(c))));
  });

  test("the maximization views' per-position summary uses the same bits, or the L2 norm", () => {
    const snapshot = {
      state: { input: FLAT.values, length: 3, width: 4 }
    } as unknown as RunSnapshot;
    const bits = Array.from(positionSummary(snapshot, 0, 2, true));
    const expected = ROWS.flatMap(row => informationContent(row));
    bits.forEach((b, i) => expect(b).toBeCloseTo(expected[i], 5));
    const norms = Array.from(positionSummary(snapshot, 1, 1, false));
    ROWS[1].forEach((column, p) => expect(norms[p]).toBeCloseTo(Math.hypot(...column), 6));
  });
});
