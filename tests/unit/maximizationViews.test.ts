import * as tf from '@tensorflow/tfjs';
import { modelToPayload, type MaximizationState } from '../../src/core';
import { galleryValues, maximizationRows } from '../../src/lab/maximizationRows';
import { drawnData, gallerySpec, maximizationSpec } from '../../src/lab/maximizationSpecs';
import { MAX_DATA } from '../../src/lab/maximizationViews';
import type { FromWorker, RunRequest, RunSnapshot } from '../../src/lab/worker/messages';
import { MaximizationService } from '../../src/lab/worker/service';
import { convModel, specExpressions, serviceHost } from './helpers';
import { labelHits } from './specSafety';

/** Two rows (filters 3 and 5), 3 positions, 2 channels. */
function snapshot(overrides: Partial<MaximizationState> = {}, nearest = false): RunSnapshot {
  return {
    state: {
      filters: [3, 5],
      step: 2,
      iterations: 4,
      length: 3,
      width: 2,
      // row 0: (3,4) (0,0) (1,0); row 1: (0.5,0.5) (1,0) (0,1)
      input: Float32Array.from([3, 4, 0, 0, 1, 0, 0.5, 0.5, 1, 0, 0, 1]),
      activations: Float32Array.from([1.5, 0]),
      losses: [],
      everActive: [true, false],
      stopped: null,
      ...overrides
    },
    losses: Float32Array.from([-1, -1.25, 0, 0]),
    variable: nearest ? 'embedding' : 'input',
    outputLength: 3,
    nearest: nearest
      ? {
          count: 2,
          ids: Int32Array.from([1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1]),
          similarities: Float32Array.from([0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 1, 0, 1, 0, 1, 0])
        }
      : null,
    millis: 10
  };
}

describe('maximization rows', () => {
  const labels = { channels: ['A', 'B'], softmax: false, field: [1, 2] as [number, number] };

  test('give the loss curve, per-position magnitude, cells and receptive field of one row', () => {
    const rows = maximizationRows(snapshot(), 0, labels);
    expect(rows.loss).toEqual([
      { step: 0, loss: -1 },
      { step: 1, loss: -1.25 }
    ]);
    expect(rows.magnitude.map(r => r.m)).toEqual([5, 0, 1]);
    expect(rows.cells.slice(0, 2)).toEqual([
      { i: 0, c: 'A', ci: 0, v: 3 },
      { i: 0, c: 'B', ci: 1, v: 4 }
    ]);
    expect(rows.field).toEqual([{ a: 0.5, b: 2.5 }]);
    expect(rows.logo).toEqual([]);
    expect(rows.logoPicture).toEqual([]);
    expect(rows.words).toEqual([]);
  });

  test('stack a logo by probability × information content, smallest first', () => {
    const rows = maximizationRows(snapshot(), 1, { ...labels, softmax: true });
    // position 0 is uniform over 2 symbols: 0 bits; position 1 is certain: 1 bit, all "A".
    expect(rows.logo.filter(r => r.i === 0).every(r => r.y1 - r.y0 === 0)).toBe(true);
    const certain = rows.logo.filter(r => r.i === 1);
    expect(certain.map(r => r.s)).toEqual(['B', 'A']);
    // The letter's row: its height in bits (`v`) and its probability.
    expect(certain[1]).toEqual({ i: 1, s: 'A', v: 1, p: 1, y0: 0, y1: 1 });
    // Without a painter (no browser), the logo's picture is left out.
    expect(rows.logoPicture).toEqual([]);
  });

  test('name the nearest tokens with the vocabulary, alternatives in the tooltip', () => {
    const rows = maximizationRows(snapshot({}, true), 0, {
      ...labels,
      vocabulary: ['zero', 'one']
    });
    expect(rows.words.map(w => w.w)).toEqual(['one', 'zero', 'one']);
    expect(rows.words[0].alt).toBe('one (0.90), zero (0.10)');
  });
});

describe('maximization specs', () => {
  test('draw the data sets the view code updates, and only those', () => {
    expect(drawnData({ softmax: false, words: false })).toEqual([
      MAX_DATA.loss,
      MAX_DATA.magnitude,
      MAX_DATA.field,
      MAX_DATA.cells
    ]);
    const rows = maximizationRows(snapshot({}, true), 0, {
      channels: ['A', 'B'],
      softmax: true,
      field: null
    });
    const options = { width: 300, length: 3, softmax: true, words: true, channels: 2 };
    const text = JSON.stringify(maximizationSpec(rows, options));
    for (const name of drawnData(options)) {
      expect(text).toContain(`"data":{"name":"${name}"}`);
    }
  });

  test('keep hostile labels out of expressions', () => {
    const hostile = 'datum.x + alert(1)';
    const rows = maximizationRows(snapshot({}, true), 0, {
      channels: [hostile, '<img src=x onerror=alert(1)>'],
      vocabulary: [hostile, '</script>'],
      softmax: true,
      field: null
    });
    const spec = maximizationSpec(rows, {
      width: 300,
      length: 3,
      softmax: true,
      words: true,
      channels: 2
    });
    const gallery = gallerySpec(snapshot(), {
      width: 300,
      softmax: false,
      layer: hostile,
      summaries: [hostile, hostile],
      image: { url: 'data:image/png;base64,', min: 0, max: 1 }
    });
    for (const s of [spec, gallery]) {
      const expressions = specExpressions(s);
      expect(expressions.some(e => e.includes('alert'))).toBe(false);
    }
    // Where the labels do go: the one-filter views' rows (channels, tokens) and the
    // gallery's rows (summaries) and title (the layer). Anywhere else (an expression,
    // `calculate`, `labelExpr`, a signal, a field name) Vega would read them as more than text.
    const viewHits = labelHits(spec, 'alert');
    const galleryHits = labelHits(gallery, 'alert');
    expect(viewHits.length).toBeGreaterThan(0);
    expect(viewHits.filter(h => h.place !== 'data')).toEqual([]);
    expect(galleryHits.map(h => h.place)).toEqual(expect.arrayContaining(['data', 'title']));
    expect(galleryHits.filter(h => h.place === 'title').map(h => h.path)).toEqual([
      'hconcat.0.title'
    ]);
    expect([...viewHits, ...galleryHits].filter(h => h.place === 'elsewhere')).toEqual([]);
    const scriptHits = labelHits(spec, '</script>');
    expect(scriptHits.length).toBeGreaterThan(0);
    expect(scriptHits.filter(h => h.place !== 'data')).toEqual([]);
  });

  test('the gallery: one picture row per filter, one clickable band and bar per filter', () => {
    const { values, min, max } = galleryValues(snapshot(), false);
    expect(Array.from(values)).toEqual([5, 0, 1, Math.fround(Math.sqrt(0.5)), 1, 1]);
    expect([min, max]).toEqual([0, 5]);
    // With probabilities: bits per position (row 1, position 1 is certain: 1 bit of 1).
    expect(galleryValues(snapshot(), true).values[4]).toBeCloseTo(1, 6);
    const spec = gallerySpec(snapshot(), {
      width: 300,
      softmax: false,
      layer: 'c',
      summaries: ['', ''],
      image: { url: 'data:image/png;base64,AAAA', min, max }
    }) as unknown as { datasets: { finals: object[]; picture: { url: string }[] } };
    expect(spec.datasets.picture).toEqual([{ url: 'data:image/png;base64,AAAA' }]);
    expect(spec.datasets.finals).toEqual([
      { f: 3, a: 1.5, s: '', on: 'yes' },
      { f: 5, a: 0, s: '', on: 'never' }
    ]);
    expect(JSON.stringify(spec)).toContain('from 0.00 (dark) to 5.00 (bright)');
  });
});

describe('the maximization worker service', () => {
  async function service() {
    const model = convModel({
      length: 6,
      channels: 2,
      kernel: [
        [
          [1, -1],
          [0.5, 0.2]
        ],
        [
          [-0.3, 0.4],
          [0.8, 1]
        ]
      ],
      bias: [0, 0.1]
    });
    const payload = await modelToPayload(model);
    model.dispose();
    const { host, messages, until } = serviceHost<FromWorker>();
    const worker = new MaximizationService(host);
    worker.handle({
      type: 'init',
      model: payload,
      sequence: {
        kind: 'numeric',
        values: [
          [1, 0],
          [0, 1],
          [1, 1],
          [0, 0],
          [1, 0],
          [0, 1]
        ]
      },
      backend: 'cpu',
      wasmFiles: {}
    });
    await until(() => messages.some(m => m.type === 'ready'));
    return { worker, messages, until };
  }

  const request: RunRequest = {
    layer: 'conv',
    filters: [1],
    iterations: 200,
    learningRate: 0.1,
    l2: 0.01,
    seed: 0,
    position: null,
    softmax: false,
    start: 'random'
  };

  test('runs a request to the end and reports the result', async () => {
    const { worker, messages, until } = await service();
    const before = tf.memory().numTensors;
    worker.handle({ type: 'run', id: 1, request: { ...request, filters: 'all' } });
    await until(() => messages.some(m => m.type === 'done'));
    const done = messages.find(m => m.type === 'done') as Extract<FromWorker, { type: 'done' }>;
    expect(done.id).toBe(1);
    expect(done.snapshot.state.filters).toEqual([0, 1]);
    expect(done.snapshot.state.step).toBe(200);
    expect(done.snapshot.state.input).toHaveLength(2 * 6 * 2);
    expect(done.snapshot.losses).toHaveLength(2 * 200);
    expect(done.snapshot.losses.every(Number.isFinite)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    await worker.dispose();
  });

  test('a newer run supersedes the one in flight; a cancel stops it', async () => {
    const { worker, messages, until } = await service();
    worker.handle({ type: 'run', id: 1, request: { ...request, iterations: 10000 } });
    // Run 1 is under way (it has reported progress) when run 2 arrives.
    await until(() => messages.some(m => m.type === 'progress' && m.id === 1));
    const progress = messages.find(m => m.type === 'progress') as Extract<
      FromWorker,
      { type: 'progress' }
    >;
    // One filter: its snapshot comes with the progress, for the views to follow the run.
    expect(progress.snapshot?.state.filters).toEqual([1]);
    expect(progress.progress.step).toBeGreaterThan(0);
    worker.handle({ type: 'run', id: 2, request: { ...request, start: 'sequence' } });
    await until(() => messages.some(m => m.type === 'done'));
    expect(messages.filter(m => m.type === 'done').map(m => (m as { id: number }).id)).toEqual([2]);
    worker.handle({ type: 'run', id: 3, request: { ...request, iterations: 10000 } });
    worker.handle({ type: 'cancel', id: 3 });
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(messages.filter(m => m.type === 'done' && m.id === 3)).toEqual([]);
    await worker.dispose();
  });

  test('a bad request is an error message for that run', async () => {
    const { worker, messages, until } = await service();
    worker.handle({ type: 'run', id: 7, request: { ...request, filters: [9] } });
    await until(() => messages.some(m => m.type === 'error'));
    expect(messages.find(m => m.type === 'error')).toEqual({
      type: 'error',
      id: 7,
      message: expect.stringContaining('Filter 9 does not exist in layer "conv"')
    });
    await worker.dispose();
  });
});
