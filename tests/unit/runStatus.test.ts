/**
 * The maximization panel's status texts, against strings written out by hand: the speed,
 * the objective, filters that never turned on, a run stopped at NaN, a restored result,
 * the backend, a batched run's progress and the error texts. Also the panel's test marks.
 */
import type { MaximizationState } from '../../src/core';
import { INITIAL_PANEL_STATE, marksOf } from '../../src/lab/maximization/panelState';
import {
  describeRun,
  drawFailureText,
  failureText,
  filterStepsPerSecond,
  formatValue,
  galleryFilterText,
  progressText,
  startText
} from '../../src/lab/maximization/runStatus';
import type { RunRequest, RunSnapshot } from '../../src/lab/worker/messages';

function snapshot(
  state: Partial<MaximizationState>,
  rest: Partial<Omit<RunSnapshot, 'state'>> = {}
): RunSnapshot {
  return {
    state: {
      filters: [3],
      step: 100,
      iterations: 100,
      length: 4,
      width: 2,
      input: new Float32Array(8),
      activations: Float32Array.from([2.5]),
      losses: [],
      everActive: [true],
      stopped: null,
      ...state
    },
    losses: new Float32Array(0),
    variable: 'input',
    outputLength: 4,
    nearest: null,
    millis: 2000,
    ...rest
  };
}

const oneFilter: RunRequest = {
  layer: 'conv1',
  filters: [3],
  iterations: 100,
  learningRate: 0.01,
  l2: 1e-4,
  seed: 5,
  position: 7,
  softmax: false,
  start: 'random'
};

const allFilters: RunRequest = {
  ...oneFilter,
  layer: 'conv2',
  filters: 'all',
  iterations: 50,
  learningRate: 0.1,
  l2: 0,
  position: null,
  softmax: true,
  start: 'sequence'
};

describe('formatValue and filterStepsPerSecond', () => {
  it('writes small values in exponent form', () => {
    expect([0, 0.001, 1e-4, 3e-4, 1e-5, 0.3, 1, 2000].map(formatValue)).toEqual([
      '0',
      '0.001',
      '1e-4',
      '3e-4',
      '1e-5',
      '0.3',
      '1',
      '2000'
    ]);
  });

  it('counts filter-steps per second, with at least a millisecond elapsed', () => {
    expect(filterStepsPerSecond(100, 1, 2000)).toBe(50); // 100 steps in 2 s
    expect(filterStepsPerSecond(50, 4, 500)).toBe(400); // 200 filter-steps in 0.5 s
    expect(filterStepsPerSecond(10, 2, 0)).toBe(20000); // 20 filter-steps in "1 ms"
  });
});

describe('describeRun', () => {
  it('describes a one-filter run: objective, step, hyperparameters, start, speed, objective', () => {
    expect(describeRun(snapshot({}), oneFilter, 1)).toBe(
      'Maximized filter 3 of conv1: activation at output position 7 · step 100 of 100 · ' +
        'learning rate 0.01, l2 1e-4 · raw input from seed 5 · 50 filter-steps/s · objective 2.500'
    );
  });

  it('describes a batched run, with the filters that never turned on', () => {
    const state = {
      filters: [0, 1, 2, 3],
      step: 50,
      iterations: 50,
      activations: Float32Array.from([1, 0, 2, 0]),
      everActive: [true, false, true, false]
    };
    expect(describeRun(snapshot(state, { millis: 500 }), allFilters, 4)).toBe(
      'Maximized all 4 filters of conv2: mean activation over positions · step 50 of 50 · ' +
        'learning rate 0.1, l2 0 · softmax probabilities from the sequence · ' +
        '400 filter-steps/s. 2 filter(s) never turned on: 1, 3.'
    );
  });

  it('says when the one filter never turned on, but only once the run is complete', () => {
    const never = { everActive: [false], activations: Float32Array.from([0]) };
    expect(describeRun(snapshot(never), oneFilter, 1)).toBe(
      'Maximized filter 3 of conv1: activation at output position 7 · step 100 of 100 · ' +
        'learning rate 0.01, l2 1e-4 · raw input from seed 5 · 50 filter-steps/s · ' +
        'objective 0.000. Filter 3 never turned on (its activation stayed 0 at every step): ' +
        'the input shows where its pre-activation rose, not a pattern it responds to.'
    );
    // A partial result, 20 of 100 steps in 0.4 s:
    expect(describeRun(snapshot({ ...never, step: 20 }, { millis: 400 }), oneFilter, 1)).toBe(
      'Maximized filter 3 of conv1: activation at output position 7 · step 20 of 100 · ' +
        'learning rate 0.01, l2 1e-4 · raw input from seed 5 · 50 filter-steps/s · objective 0.000'
    );
  });

  it('describes a run stopped at NaN, its speed floored at one millisecond', () => {
    const stopped =
      'NaN or infinite at step 4; the run stopped and shows the last finite input (step 3).';
    const state = { step: 4, iterations: 10, activations: Float32Array.from([NaN]), stopped };
    // 4 filter-steps in 0.5 ms, counted as 1 ms: 4000 per second.
    expect(describeRun(snapshot(state, { millis: 0.5 }), oneFilter, 1)).toBe(
      'Maximized filter 3 of conv1: activation at output position 7 · step 4 of 10 · ' +
        'learning rate 0.01, l2 1e-4 · raw input from seed 5 · 4000 filter-steps/s · ' +
        `objective NaN. ${stopped}`
    );
  });

  it('describes a restored result without a speed (it took no time)', () => {
    const request = { ...oneFilter, position: null, start: 'sequence' as const };
    expect(
      describeRun(snapshot({}, { millis: 0, variable: 'embedding' }), request, 1, {
        restored: true
      })
    ).toBe(
      'Maximized filter 3 of conv1: mean activation over positions · step 100 of 100 · ' +
        'learning rate 0.01, l2 1e-4 · embedding vectors from the sequence · objective 2.500 · ' +
        'as saved in the notebook (move a control to run it again)'
    );
  });

  it('adds the backend of a finished run', () => {
    expect(describeRun(snapshot({}), oneFilter, 1, { backend: 'webgl' })).toBe(
      'Maximized filter 3 of conv1: activation at output position 7 · step 100 of 100 · ' +
        'learning rate 0.01, l2 1e-4 · raw input from seed 5 · 50 filter-steps/s · ' +
        'objective 2.500 · webgl backend, in a Web Worker'
    );
  });
});

describe('the other status texts', () => {
  it('says what starts', () => {
    expect(startText(1, 3)).toBe('Maximizing filter 3…');
    expect(startText(32, 0)).toBe('Maximizing all 32 filters…');
  });

  it("shows a batched run's progress and speed", () => {
    // 25 steps × 4 filters in 0.25 s.
    expect(progressText(allFilters, { step: 25, iterations: 50, millis: 250 }, 4)).toBe(
      'Maximizing all 4 filters of conv2: step 25 of 50 · 400 filter-steps/s'
    );
  });

  it('says where a filter opened from the gallery comes from, and what failed', () => {
    expect(galleryFilterText(7)).toBe('Filter 7, from the batched run over all filters.');
    expect(failureText('the worker stopped')).toBe(
      'Activation maximization failed: the worker stopped'
    );
    expect(drawFailureText('no WebGL')).toBe('Cannot draw the maximization: no WebGL');
  });
});

describe("the panel's test marks", () => {
  it('mirror the state: an idle panel has none', () => {
    expect(marksOf(INITIAL_PANEL_STATE)).toEqual({
      state: undefined,
      step: undefined,
      restored: undefined,
      gallery: undefined
    });
  });

  it('mirror a restored result and a gallery, but not a draw error', () => {
    const state = {
      phase: 'done' as const,
      drawError: 'Cannot draw the maximization: no WebGL',
      step: 500,
      restored: true,
      gallery: 32
    };
    expect(marksOf(state)).toEqual({ state: 'done', step: '500', restored: 'true', gallery: '32' });
  });
});
