import type { LayerData } from '../../src/lab/compute';
import { specExpressions } from './helpers';
import {
  activationRows,
  colorDomain,
  explorerSpec,
  kernelRows,
  SIGNALS
} from '../../src/lab/specs';

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
    const rows = kernelRows(layer());
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
    params: { name: string; value: number }[];
    datasets: { act: unknown[]; ker: unknown[]; sym: unknown[] };
  };
  const text = JSON.stringify(spec);

  test('starts on the chosen filter and links views through the filter signal', () => {
    expect(spec.params).toEqual([{ name: SIGNALS.filter, value: 1 }]);
    expect(text.match(/datum\.f == filter/g)!.length).toBeGreaterThanOrEqual(4);
    expect(text).toContain(`"name":"${SIGNALS.pick}"`);
    expect(text).toContain(`"name":"${SIGNALS.brush}"`);
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
    expect(spec.datasets.ker).toHaveLength(8);
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
  });
});
