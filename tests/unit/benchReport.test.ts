/** The in-JupyterLab bench summary, from hand-made results. */
import { quantile, reportLines, type Memory } from '../../bench/lab/report';

const memory = (tensors: number, heapBytes: number): Memory => ({
  tensors,
  tensorBytes: 0,
  heapBytes
});

test('quantile takes the nearest rank', () => {
  const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 1…100, unsorted
  expect(quantile(values, 0.95)).toBe(95);
  expect(quantile(values, 0.5)).toBe(51);
  expect(quantile([7], 0.95)).toBe(7);
});

test('one line per notebook and per maximization run', () => {
  const lines = reportLines(
    [
      {
        notebook: 'text.ipynb',
        cold: [
          { drawn: 0, interactive: 900 },
          { drawn: 0, interactive: 1100 },
          { drawn: 0, interactive: 1000 }
        ],
        warm: [
          { drawn: 0, interactive: 300 },
          { drawn: 0, interactive: 350 }
        ],
        latencies: [10, 20, 30, 40],
        before: memory(12, 50e6),
        afterMoves: memory(12, 52e6),
        afterClear: memory(0, 40e6)
      }
    ],
    [
      {
        notebook: 'dna.ipynb',
        run: 'all filters',
        seconds: 12.34,
        longestTaskMs: 54.4,
        longTasks: 2,
        steps: '300'
      }
    ]
  );
  expect(lines).toContain(
    'text.ipynb    cold 1000 (900–1100)  warm 325 (300–350)  slider p50 25.0 p95 40.0 ms  ' +
      'tensors 12 → 12 → 0 (cleared)  heap 50.0 → 52.0 → 40.0 MB'
  );
  expect(lines).toContain(
    'dna.ipynb   all filters                12.3 s   longest task   54 ms   tasks over 50 ms: 2'
  );
});
