import {
  SAVED_VIEW_KEY,
  readSavedView,
  restoreResult,
  saveResult,
  type SavedView
} from '../../src/lab/savedView';
import type { RunRequest, RunSnapshot } from '../../src/lab/worker/messages';

const request: RunRequest = {
  layer: 'conv',
  filters: [2],
  iterations: 3,
  learningRate: 0.1,
  l2: 0.03,
  seed: 0,
  position: 1,
  softmax: false,
  start: 'random'
};

const snapshot: RunSnapshot = {
  state: {
    filters: [2],
    step: 3,
    iterations: 3,
    length: 2,
    width: 2,
    input: Float32Array.from([0.5, -1, 2, 0.25]),
    activations: Float32Array.from([1.5]),
    losses: [],
    everActive: [true],
    stopped: null
  },
  losses: Float32Array.from([-1, -1.25, -1.5]),
  variable: 'embedding',
  outputLength: 2,
  nearest: {
    count: 1,
    ids: Int32Array.from([7, 3]),
    similarities: Float32Array.from([0.5, 0.75])
  },
  millis: 12
};

function view(result = saveResult(snapshot, request)): { [key: string]: unknown } {
  const saved: SavedView = {
    version: 1,
    layer: 'conv',
    filter: 2,
    brush: [4.5, 1.25],
    controls: {
      objective: 'position',
      position: 1,
      iterations: 300,
      learningRate: 0.3,
      l2: 0.03,
      seed: 4,
      start: 'random',
      softmax: false
    },
    result
  };
  // Through JSON, as the notebook stores it.
  return JSON.parse(JSON.stringify({ other: 1, [SAVED_VIEW_KEY]: saved }));
}

describe('the view kept in the notebook', () => {
  test('round-trips the controls and the result, arrays and all', () => {
    const saved = readSavedView(view())!;
    expect(saved.controls.learningRate).toBe(0.3);
    expect(saved.brush).toEqual([1.25, 4.5]); // ordered
    const restored = restoreResult(saved.result!);
    expect(restored.request).toEqual(request);
    expect(Array.from(restored.snapshot.state.input)).toEqual([0.5, -1, 2, 0.25]);
    expect(Array.from(restored.snapshot.losses)).toEqual([-1, -1.25, -1.5]);
    expect(Array.from(restored.snapshot.nearest!.ids)).toEqual([7, 3]);
    expect(restored.snapshot.state.activations[0]).toBe(1.5);
  });

  test('is ignored when missing or malformed, never trusted', () => {
    expect(readSavedView({})).toBeNull();
    expect(readSavedView(null)).toBeNull();
    const bad = view();
    (bad[SAVED_VIEW_KEY] as { version: number }).version = 2;
    expect(readSavedView(bad)).toBeNull();
    const badControls = view();
    (badControls[SAVED_VIEW_KEY] as { controls: { seed: unknown } }).controls.seed = 'x';
    expect(readSavedView(badControls)).toBeNull();
  });

  test('a dataset view keeps its sequence and settings; a malformed one is dropped, the rest kept', () => {
    const settings = {
      threshold: 0.6,
      database: 'vertebrates',
      gallerySort: 'match',
      tableSort: { column: 'label', descending: false }
    };
    const v = view();
    (v[SAVED_VIEW_KEY] as { dataset: unknown }).dataset = { opened: 7, settings };
    expect(readSavedView(v)!.dataset).toEqual({ opened: 7, settings });
    for (const bad of [
      { opened: -1, settings },
      { opened: 1, settings: { ...settings, threshold: 2 } },
      { opened: 1, settings: { ...settings, database: 'hocomoco' } },
      { opened: 1, settings: { ...settings, gallerySort: 'name' } },
      { opened: 1, settings: { ...settings, tableSort: { column: 3, descending: true } } }
    ]) {
      const w = view();
      (w[SAVED_VIEW_KEY] as { dataset: unknown }).dataset = bad;
      const saved = readSavedView(w)!;
      expect(saved.dataset).toBeUndefined();
      expect(saved.filter).toBe(2);
    }
  });

  test('a malformed brush is dropped, the rest kept', () => {
    for (const brush of [[1], [1, 'x'], 'a', [1, null], { x: [1, 2] }]) {
      const v = view();
      (v[SAVED_VIEW_KEY] as { brush: unknown }).brush = brush;
      const saved = readSavedView(v)!;
      expect(saved.brush).toBeNull();
      expect(saved.filter).toBe(2);
    }
  });

  test('drops a result whose arrays do not match their sizes, keeping the controls', () => {
    const truncated = { ...saveResult(snapshot, request), input: 'AAAA' };
    const saved = readSavedView(view(truncated))!;
    expect(saved.controls.seed).toBe(4);
    expect(saved.result).toBeNull();
  });
});
