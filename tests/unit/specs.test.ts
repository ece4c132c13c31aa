import type { LayerData } from '../../src/lab/compute';
import { specExpressions } from './helpers';
import { labelHits } from './specSafety';
import { colorDomain } from '../../src/lab/colors';
import { activationRows, filterData, filterKernelRows } from '../../src/lab/explorerRows';
import { SIGNALS } from '../../src/lab/explorerViews';
import { explorerSpec, HEATMAP_RECT_LIMIT } from '../../src/lab/specs';

function layer(overrides: Partial<LayerData> = {}): LayerData {
  // 2 filters, 3 output positions, kernel 2 × 2 channels
  return {
    info: {
      name: 'c',
      filters: 2,
      kernelSize: 2,
      strides: 2,
      dilationRate: 1,
      padding: 'valid',
      inputChannels: 2,
      activation: 'relu'
    },
    length: 3,
    activations: Float32Array.from([0, 1, 2, 3, 4, 5]),
    kernel: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
    bias: null,
    span: { jump: 2, start: 0, size: 2 },
    channels: ['A', 'B'],
    ...overrides
  };
}

describe('activation rows', () => {
  test('place each output position over its receptive field in the input', () => {
    const rows = activationRows(layer(), 6);
    // position p reads inputs 2p and 2p+1: centre 2p + 0.5, cell one stride wide
    expect(rows.filter(r => r.f === 1)).toEqual([
      { f: 1, p: 0, x: 0.5, x0: -0.5, x1: 1.5, lo: 0, hi: 1, v: 1 },
      { f: 1, p: 1, x: 2.5, x0: 1.5, x1: 3.5, lo: 2, hi: 3, v: 3 },
      { f: 1, p: 2, x: 4.5, x0: 3.5, x1: 5.5, lo: 4, hi: 5, v: 5 }
    ]);
  });

  test('clip receptive fields that reach into padding', () => {
    const rows = activationRows(layer({ span: { jump: 1, start: -1, size: 3 } }), 3);
    expect(rows.filter(r => r.f === 0).map(r => [r.lo, r.hi])).toEqual([
      [0, 1],
      [0, 2],
      [1, 2]
    ]);
  });

  test("fall back to the layer's own positions when the span is unknown", () => {
    const rows = activationRows(layer({ span: null }), 6);
    expect(rows.filter(r => r.f === 0).map(r => r.x)).toEqual([0, 1, 2]);
  });
});

describe('kernel rows', () => {
  test('read Keras layout [k][channel][filter]', () => {
    const rows = filterKernelRows(layer(), 1);
    // flat index (k * 2 + c) * 2 + f
    expect(rows.filter(r => r.f === 1)).toEqual([
      { f: 1, k: 0, ci: 0, c: 'A', w: 2 },
      { f: 1, k: 0, ci: 1, c: 'B', w: 4 },
      { f: 1, k: 1, ci: 0, c: 'A', w: 6 },
      { f: 1, k: 1, ci: 1, c: 'B', w: 8 }
    ]);
  });
});

describe('colour domains', () => {
  test('a dead (all-zero) layer still gets a valid domain', () => {
    expect(colorDomain([0, 0, 0], false)).toEqual([0, 1]);
    expect(colorDomain([0, 0], true)).toEqual([-1, 1]);
  });
  test('symmetric domains centre on zero; NaN is ignored', () => {
    expect(colorDomain([-2, 1, NaN], true)).toEqual([-2, 2]);
    expect(colorDomain([3, 5], false)).toEqual([3, 5]);
  });
});

describe('the explorer spec', () => {
  const spec = explorerSpec(layer(), ['a', 'b', 'c', 'd', 'e', 'f'], { filter: 1 }) as unknown as {
    datasets: {
      act: unknown[];
      line: { f: number; v: number }[];
      kernel: { f: number; k: number; ci: number; w: number }[];
      selected: unknown[];
      sym: unknown[];
    };
  };
  const text = JSON.stringify(spec);

  test('starts on the chosen filter: its rows are datasets of their own, swapped on a change', () => {
    expect(spec.datasets.line.map(r => [r.f, r.v])).toEqual([
      [1, 1],
      [1, 3],
      [1, 5]
    ]);
    // Keras layout [k][channel][filter]: filter 1 is every second weight.
    expect(spec.datasets.kernel.map(r => [r.k, r.ci, r.w])).toEqual([
      [0, 0, 2],
      [0, 1, 4],
      [1, 0, 6],
      [1, 1, 8]
    ]);
    expect(spec.datasets.selected).toEqual([{ f: 1, a: -0.5, b: 5.5 }]);
    const other = filterData(layer(), 6, 0);
    expect(other.line.map(r => r.v)).toEqual([0, 2, 4]);
    expect(other.kernel.map(r => r.w)).toEqual([1, 3, 5, 7]);
    // Nothing filters rows by the selected filter any more.
    expect(text).not.toMatch(/datum\.f ==/);
    expect(text).toContain(`"name":"${SIGNALS.pick}"`);
    expect(text).toContain(`"name":"${SIGNALS.brush}"`);
  });

  test('a large layer draws its heatmap as one picture with a click band per filter', () => {
    const filters = 200;
    const length = 150; // 30 000 cells
    const big = layer({
      info: { ...layer().info, filters },
      length,
      activations: Float32Array.from({ length: filters * length }, (_, i) => i % 7),
      kernel: new Float32Array(2 * 2 * filters),
      span: { jump: 1, start: 0, size: 2 }
    });
    expect(filters * length).toBeGreaterThan(HEATMAP_RECT_LIMIT);
    const s = explorerSpec(
      big,
      Array.from({ length: 151 }, () => 'A'),
      {
        filter: 3,
        width: 302,
        heatmapImage: { url: 'data:image/png;base64,AAAA' }
      }
    ) as unknown as { datasets: { [name: string]: unknown[] } };
    expect(s.datasets.act).toBeUndefined();
    expect(s.datasets.heat).toEqual([{ url: 'data:image/png;base64,AAAA' }]);
    expect(s.datasets.bands).toHaveLength(filters);
    expect(s.datasets.line).toHaveLength(length);
    // The picture spans the cells, from the first centre (0.5) - 0.5 to the last (149.5) + 0.5,
    // in a view 302 px wide over [-0.5, 150.5]: 1 px to 301 px.
    const image = JSON.stringify(s).match(/"type":"image","x":([\d.]+),"width":([\d.]+)/)!;
    expect(Number(image[1])).toBeCloseTo(1, 6);
    expect(Number(image[2])).toBeCloseTo(300, 6);
  });

  test('restores a brushed range, and only when given one', () => {
    const brushParam = (brush?: [number, number] | null): unknown => {
      const found: unknown[] = [];
      const walk = (v: unknown): void => {
        if (Array.isArray(v)) {
          v.forEach(walk);
        } else if (v && typeof v === 'object') {
          const o = v as { name?: unknown };
          if (o.name === SIGNALS.brush) {
            found.push(v);
          }
          Object.values(v).forEach(walk);
        }
      };
      walk(explorerSpec(layer(), ['a', 'b', 'c', 'd', 'e', 'f'], { filter: 1, brush }));
      expect(found).toHaveLength(1);
      return found[0];
    };
    expect(brushParam([1.5, 3])).toEqual({
      name: SIGNALS.brush,
      select: { type: 'interval', encodings: ['x'] },
      value: { x: [1.5, 3] }
    });
    expect(brushParam(null)).not.toHaveProperty('value');
    expect(brushParam()).not.toHaveProperty('value');
  });

  test('carries all rows as data', () => {
    expect(spec.datasets.act).toHaveLength(6);
    expect(spec.datasets.sym).toEqual([0, 1, 2, 3, 4, 5].map(i => ({ i, s: 'abcdef'[i] })));
  });

  test('payload strings appear only as data, never in an expression', () => {
    const hostile = 'datum.x + alert(1)';
    const s = explorerSpec(
      layer({ channels: [hostile, '<img src=x onerror=alert(1)>'] }),
      [hostile, 'b', 'c', 'd', 'e', 'f'],
      { filter: 0 }
    );
    const expressions = specExpressions(s);
    expect(expressions.length).toBeGreaterThan(0);
    expect(expressions.some(e => e.includes('alert'))).toBe(false);
    // The labels are there, as data (symbols, kernel channels), and nowhere else.
    const hits = labelHits(s, 'alert');
    expect(hits.filter(h => h.place === 'data').length).toBeGreaterThan(0);
    expect(hits.filter(h => h.place !== 'data')).toEqual([]);
  });
});
