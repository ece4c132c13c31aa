import * as tf from '@tensorflow/tfjs';
import {
  ADAM,
  ExplorerError,
  MAX_ITERATIONS,
  Maximization,
  consensusSequence,
  maximizeActivation,
  type MaximizeOptions
} from '../../src/core';
import { convModel } from './helpers';

// A tiny linear model: 5 positions × 2 channels, kernel 2 × 2 → 2 filters.
const KERNEL = [
  [
    [0.5, -1],
    [1, 0.2]
  ],
  [
    [-0.3, 0.4],
    [0.8, -0.6]
  ]
];
const BIAS = [0.1, -0.2];
const X0 = [
  [0.2, -0.1],
  [0.5, 0.3],
  [-0.4, 0.1],
  [0, 0.6],
  [0.3, -0.2]
];

/**
 * Keras' Adam on the tiny linear model, in double precision, with the gradient worked out
 * by hand: d/dx[p][c] of -objective is -(sum of the weights that multiply x[p][c]) / n.
 */
function referenceRun(filter: number, lr: number, l2: number, steps: number, position?: number) {
  const outputs = X0.length - KERNEL.length + 1;
  const x = X0.map(r => [...r]);
  const m = x.map(r => r.map(() => 0));
  const v = x.map(r => r.map(() => 0));
  const objectiveAt = (t: number) =>
    KERNEL.reduce(
      (sum, tap, j) => sum + tap.reduce((s, w, c) => s + w[filter] * x[t + j][c], 0),
      BIAS[filter]
    );
  const objective = () =>
    position === undefined
      ? Array.from({ length: outputs }, (_, t) => objectiveAt(t)).reduce((a, b) => a + b) / outputs
      : objectiveAt(position);
  const losses: number[] = [];
  for (let t = 1; t <= steps; t++) {
    const penalty = x.flat().reduce((s, value) => s + value * value, 0);
    losses.push(l2 * penalty - objective());
    const alpha = (lr * Math.sqrt(1 - ADAM.beta2 ** t)) / (1 - ADAM.beta1 ** t);
    for (let p = 0; p < x.length; p++) {
      for (let c = 0; c < 2; c++) {
        let weights = 0;
        for (let j = 0; j < KERNEL.length; j++) {
          const out = p - j;
          if (out >= 0 && out < outputs && (position === undefined || out === position)) {
            weights += KERNEL[j][c][filter];
          }
        }
        const g = -weights / (position === undefined ? outputs : 1) + 2 * l2 * x[p][c];
        m[p][c] += (g - m[p][c]) * (1 - ADAM.beta1);
        v[p][c] += (g * g - v[p][c]) * (1 - ADAM.beta2);
        x[p][c] -= (alpha * m[p][c]) / (Math.sqrt(v[p][c]) + ADAM.epsilon);
      }
    }
  }
  return { x, losses, objective: objective() };
}

function tinyModel(): tf.LayersModel {
  return convModel({ length: 5, channels: 2, kernel: KERNEL, bias: BIAS });
}

function expectClose(actual: number[], expected: number[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    if (Math.abs(a - expected[i]) > tolerance) {
      throw new Error(`index ${i}: ${a} vs ${expected[i]} (tolerance ${tolerance})`);
    }
  });
}

/** A model whose Conv1D layers use every geometry option: dilation, stride, padding modes. */
function geometryModel(dilations: [number, number], zeroStuffed = false): tf.LayersModel {
  const input = tf.input({ shape: [13, 3] });
  const seeded = (seed: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.6, seed });
  const conv = (name: string, filters: number, k: number, d: number, extra: object, seed: number) =>
    tf.layers.conv1d({
      name,
      filters,
      kernelSize: zeroStuffed ? (k - 1) * d + 1 : k,
      dilationRate: zeroStuffed ? 1 : d,
      kernelInitializer: seeded(seed),
      biasInitializer: seeded(seed + 1),
      ...extra
    });
  const a = conv('a', 4, 3, dilations[0], { padding: 'same', activation: 'tanh' }, 1);
  const b = conv('b', 3, 3, dilations[1], { padding: 'valid', strides: 2, activation: 'tanh' }, 3);
  const model = tf.model({ inputs: input, outputs: b.apply(a.apply(input)) as tf.SymbolicTensor });
  if (zeroStuffed) {
    // Write the dilated model's kernels out with zeros between the taps.
    const dilated = geometryModel(dilations);
    for (const [name, d] of [
      ['a', dilations[0]],
      ['b', dilations[1]]
    ] as const) {
      const [kernel, bias] = dilated.getLayer(name).getWeights();
      const k = kernel.arraySync() as number[][][];
      const zeros = k[0].map(row => row.map(() => 0));
      const stuffed = Array.from({ length: (k.length - 1) * d + 1 }, (_, i) =>
        i % d === 0 ? k[i / d] : zeros
      );
      const t = tf.tensor3d(stuffed);
      model.getLayer(name).setWeights([t, bias]);
      t.dispose();
    }
    dilated.dispose();
  }
  return model;
}

function randomInput(length: number, channels: number, seed: number): number[][] {
  return tf.tidy(() =>
    tf.randomNormal([length, channels], 0, 1, 'float32', seed).arraySync()
  ) as number[][];
}

describe('maximizeActivation follows Keras Adam exactly', () => {
  it.each([
    ['mean over positions', 1, 0.3, 0.05, 30, undefined, 1e-4],
    ['one position', 1, 0.3, 0.05, 30, 2, 1e-4],
    ['the tutorial preset (learning rate 1)', 0, 1, 0.01, 50, undefined, 1e-3]
  ] as const)(
    '%s: losses and input match an independent implementation',
    (_name, filter, learningRate, l2, iterations, position, tolerance) => {
      const model = tinyModel();
      const result = maximizeActivation(model, {
        filter,
        iterations,
        learningRate,
        l2,
        init: X0,
        position
      });
      const reference = referenceRun(filter, learningRate, l2, iterations, position);
      expectClose(result.losses, reference.losses, tolerance);
      expectClose(result.input.flat(), reference.x.flat(), tolerance);
      expect(Math.abs(result.activation - reference.objective)).toBeLessThan(tolerance * 10);
      expect(result.stopped).toBeNull();
      model.dispose();
    }
  );
});

describe('gradients', () => {
  it.each([
    [2, 3],
    [1, 1],
    [3, 1]
  ] as const)(
    'match finite differences through same- and valid-padded, strided layers (dilations %d, %d)',
    (d1, d2) => {
      const model = geometryModel([d1, d2]);
      const x = randomInput(13, 3, 7);
      const options: MaximizeOptions = { layer: 'b', filter: 2, l2: 0.1 };
      const run = new Maximization(model, { ...options, init: x });
      const { gradient } = run.lossAndGradient();
      run.dispose();
      const lossAt = (input: number[][]) => {
        const probe = new Maximization(model, { ...options, init: input });
        const value = probe.lossAndGradient().losses[0];
        probe.dispose();
        return value;
      };
      const h = 1e-2;
      x.forEach((row, p) =>
        row.forEach((_, c) => {
          const plus = x.map(r => [...r]);
          const minus = x.map(r => [...r]);
          plus[p][c] += h;
          minus[p][c] -= h;
          const numeric = (lossAt(plus) - lossAt(minus)) / (2 * h);
          expect(Math.abs(gradient[p * 3 + c] - numeric)).toBeLessThan(2e-3);
        })
      );
      model.dispose();
    }
  );

  it('through dilated layers equal tfjs gradients of the same kernels written out with zeros', () => {
    const dilated = geometryModel([2, 3]);
    const stuffed = geometryModel([2, 3], true);
    const x = randomInput(13, 3, 11);
    const gradientOf = (model: tf.LayersModel) => {
      const run = new Maximization(model, { layer: 'b', filters: 'all', init: x, position: 1 });
      const result = run.lossAndGradient();
      run.dispose();
      return result;
    };
    const a = gradientOf(dilated);
    const b = gradientOf(stuffed);
    expectClose(Array.from(a.losses), Array.from(b.losses), 1e-5);
    expectClose(Array.from(a.gradient), Array.from(b.gradient), 1e-5);
    expect(Math.max(...Array.from(a.gradient).map(Math.abs))).toBeGreaterThan(0.01);
    tf.dispose([dilated, stuffed].flatMap(m => m.weights.map(w => w.read())));
  });

  it.each([
    ['same', 1, 1],
    ['valid', 2, 1],
    ['same', 3, 1],
    ['valid', 1, 3],
    ['causal', 1, 2]
  ] as const)(
    'the objective equals the model output (padding %s, stride %d, dilation %d)',
    (padding, strides, dilationRate) => {
      const kernel = [
        [
          [0.3, -0.5],
          [0.2, 0.7]
        ],
        [
          [-0.4, 0.1],
          [0.9, 0.3]
        ],
        [
          [0.6, -0.2],
          [-0.1, 0.5]
        ]
      ];
      const model = convModel({
        length: 11,
        channels: 2,
        kernel,
        bias: [0.05, -0.1],
        strides,
        dilationRate,
        padding
      });
      const x = randomInput(11, 2, 3);
      const objective = (position?: number) => {
        const run = new Maximization(model, { filters: [0, 1], init: x, position });
        const values = Array.from(run.state().activations);
        run.dispose();
        return values;
      };
      // Keras causal = left padding (k-1)·d, then valid; tfjs-layers cannot run it itself.
      const padded = padding === 'causal' ? [...Array(2 * dilationRate).fill([0, 0]), ...x] : x;
      const batch = tf.tidy(() =>
        tf
          .conv1d(
            tf.tensor3d([padded]),
            tf.tensor3d(kernel),
            strides,
            padding === 'causal' ? 'valid' : padding,
            'NWC',
            dilationRate
          )
          .add(tf.tensor1d([0.05, -0.1]))
          .arraySync()
      ) as number[][][];
      const outputs = batch[0];
      const mean = [0, 1].map(f => outputs.reduce((s, o) => s + o[f], 0) / outputs.length);
      expectClose(objective(), mean, 1e-5);
      // The one-position objective convolves only that position's window.
      for (const position of [0, outputs.length - 1]) {
        expectClose(objective(position), outputs[position], 1e-5);
      }
      model.dispose();
    }
  );
});

describe('batched runs', () => {
  it.each([
    ['mean', undefined],
    ['position', 2]
  ])('give each filter the result of its own run (%s objective)', (_name, position) => {
    const model = geometryModel([2, 3]);
    const options = { layer: 'b', iterations: 25, learningRate: 0.1, l2: 0.01, seed: 5, position };
    const all = maximizeActivation(model, { ...options, filters: 'all' });
    expect(all.map(r => r.filter)).toEqual([0, 1, 2]);
    for (const batched of all) {
      const single = maximizeActivation(model, { ...options, filter: batched.filter });
      expectClose(batched.losses, single.losses, 1e-4);
      expectClose(batched.input.flat(), single.input.flat(), 1e-4);
    }
    // The rows really differ: each follows its own filter.
    expect(all[0].input).not.toEqual(all[1].input);
    model.dispose();
  });

  it('start from the same draw for the same seed, the default 0 included', () => {
    const model = geometryModel([1, 1]);
    const run = (seed?: number) =>
      maximizeActivation(model, { layer: 'a', iterations: 1, learningRate: 1e-6, seed }).input;
    expect(run()).toEqual(run(0));
    expect(run(0)).toEqual(run(0));
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(0));
    model.dispose();
  });

  it('leave no tensors behind', () => {
    const model = geometryModel([1, 2]);
    const before = tf.memory().numTensors;
    maximizeActivation(model, { layer: 'b', filters: 'all', iterations: 5 });
    const run = new Maximization(model, { layer: 'a', filters: [0, 3], iterations: 3 });
    run.run(2);
    run.state();
    run.lossAndGradient();
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('Embedding models', () => {
  function embeddingModel(): tf.LayersModel {
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 6, outputDim: 4, inputLength: 5 }),
        tf.layers.conv1d({ filters: 2, kernelSize: 2, activation: 'relu' })
      ]
    });
    const table = tf.tensor2d([
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
      [1, 1, 0, 0],
      [0, 0, 1, 1]
    ]);
    model.layers[0].setWeights([table]);
    table.dispose();
    return model;
  }

  it('optimize the embedding output and name the nearest tokens', () => {
    const model = embeddingModel();
    const tokens = [3, 0, 5, 4, 2];
    const table = model.layers[0].getWeights()[0].arraySync() as number[][];
    const run = new Maximization(model, {
      iterations: 1,
      learningRate: 1e-4,
      init: tokens.map(t => table[t].map(v => 2 * v))
    });
    expect(run.variable).toBe('embedding');
    expect(run.width).toBe(4);
    run.run();
    const nearest = run.nearestTokens(2)!;
    expect(nearest.count).toBe(2);
    expect(tokens.map((_, p) => nearest.ids[p * 2])).toEqual(tokens);
    expect(nearest.similarities[0]).toBeCloseTo(1, 3);
    run.dispose();
    const [result] = maximizeActivation(model, {
      filters: [1],
      iterations: 1,
      learningRate: 1e-4,
      init: tokens.map(t => table[t])
    });
    expect(result.nearestTokens!.map(ranks => ranks[0].id)).toEqual(tokens);
    expect(result.nearestTokens![0]).toHaveLength(3);
    model.dispose();
  });

  it('reject the softmax option', () => {
    const model = embeddingModel();
    expect(() => new Maximization(model, { softmax: true })).toThrow(/one-hot inputs/);
    model.dispose();
  });
});

describe('softmax over one-hot inputs', () => {
  // Filter 0 reads C, A, T: +1 on the pattern's base, -1 elsewhere; the bias keeps it off
  // unless at least 2.5 of 3 bases match.
  const pattern = 'CAT';
  const alphabet = 'ACGT';
  const kernel = [...pattern].map(base => [...alphabet].map(a => [a === base ? 1 : -1]));
  const oneHot = (s: string) => [...s].map(ch => [...alphabet].map(a => (a === ch ? 1 : 0)));

  it('keeps probabilities, revives a filter that starts off and finds its pattern', () => {
    const model = convModel({ length: 8, channels: 4, kernel, bias: [-2.5], activation: 'relu' });
    const start = oneHot('GGGGGGGG');
    const run = new Maximization(model, {
      softmax: true,
      init: start,
      position: 3,
      iterations: 150,
      learningRate: 0.1,
      l2: 0.001
    });
    expect(run.state().activations[0]).toBe(0);
    run.run();
    const state = run.state();
    run.dispose();
    for (let p = 0; p < 8; p++) {
      const sum = Array.from(state.input.subarray(p * 4, p * 4 + 4)).reduce((a, b) => a + b);
      expect(sum).toBeCloseTo(1, 5);
    }
    expect(state.everActive[0]).toBe(true);
    expect(state.activations[0]).toBeGreaterThan(0);
    const probabilities = Array.from({ length: 8 }, (_, p) =>
      Array.from(state.input.subarray(p * 4, p * 4 + 4))
    );
    expect(consensusSequence(probabilities, alphabet).slice(3, 6)).toBe(pattern);
    model.dispose();
  });

  it('reports a filter that never turns on', () => {
    // No input can reach the bias: the ReLU stays at zero whatever the input.
    const model = convModel({ length: 6, channels: 4, kernel, bias: [-10], activation: 'relu' });
    const result = maximizeActivation(model, {
      softmax: true,
      init: oneHot('ACGTAC'),
      iterations: 20
    });
    expect(result.everActive).toBe(false);
    expect(result.activation).toBe(0);
    model.dispose();
  });
});

describe('bad input', () => {
  const model = tinyModel();
  afterAll(() => model.dispose());
  it.each<[string, MaximizeOptions, RegExp]>([
    [
      'filter out of range',
      { filter: 2 },
      /Filter 2 does not exist in layer "conv": expected an integer from 0 to 1/
    ],
    ['negative filter in a list', { filters: [0, -1] }, /Filter -1 does not exist/],
    ['empty filter list', { filters: [] }, /non-empty array/],
    [
      'zero iterations',
      { iterations: 0 },
      /iterations is 0: expected a whole number from 1 to 10000/
    ],
    ['too many iterations', { iterations: MAX_ITERATIONS + 1 }, /from 1 to 10000/],
    [
      'zero learning rate',
      { learningRate: 0 },
      /learningRate is 0: expected a finite number above 0/
    ],
    ['NaN learning rate', { learningRate: NaN }, /learningRate is NaN/],
    ['negative seed', { seed: -1 }, /seed is -1: expected a whole number, 0 or more/],
    ['negative l2', { l2: -0.1 }, /l2 is -0.1: expected a finite number, 0 or more/],
    [
      'init of the wrong width',
      { init: [[1], [2], [3], [4], [5]] },
      /init\[0\] has 1 values; expected 2 \(channels\)/
    ],
    [
      'init of the wrong length',
      { init: X0.slice(1) },
      /4 positions but the model expects exactly 5/
    ],
    ['init with NaN', { init: [[NaN, 0], ...X0.slice(1)] }, /init\[0\]\[0\] is NaN/],
    [
      'position outside the output',
      { position: 4 },
      /Position 4 is outside layer "conv"'s output: expected an integer from 0 to 3/
    ],
    ['unknown layer', { layer: 'nope' }, /No Conv1D layer is named "nope"/]
  ])('%s', (_name, options, message) => {
    expect(() => maximizeActivation(model, options as never)).toThrow(ExplorerError);
    expect(() => maximizeActivation(model, options as never)).toThrow(message);
  });

  it('a model that accepts any length needs a length', () => {
    const free = convModel({ length: null, channels: 2, kernel: KERNEL });
    expect(() => maximizeActivation(free, {})).toThrow(/give `length` or an `init`/);
    expect(maximizeActivation(free, { length: 7, iterations: 2 }).input).toHaveLength(7);
    free.dispose();
  });

  it('names a layer without a gradient on the path', () => {
    const input = tf.input({ shape: [5], dtype: 'float32' });
    const ids = tf.layers.reshape({ name: 'ids', targetShape: [5] }).apply(input);
    const embedded = tf.layers.embedding({ name: 'emb', inputDim: 4, outputDim: 3 }).apply(ids);
    const conv = tf.layers.conv1d({ name: 'c', filters: 2, kernelSize: 2 }).apply(embedded);
    const nested = tf.model({ inputs: input, outputs: conv as tf.SymbolicTensor });
    expect(() => maximizeActivation(nested, {})).toThrow(
      /Layer "emb" \(Embedding\) lies between the input and "c", and there is no gradient through it/
    );
    nested.dispose();
  });

  it('a batched run that goes infinite keeps as many losses for every filter', () => {
    const results = maximizeActivation(model, {
      filters: [0, 1],
      init: X0,
      iterations: 50,
      learningRate: 1e37,
      l2: 0
    });
    const step = Number(/at step (\d+)/.exec(results[0].stopped!)![1]);
    expect(results.map(r => r.losses.length)).toEqual([step - 1, step - 1]);
  });

  it('a loss that becomes infinite stops the run and keeps the last finite input', () => {
    const result = maximizeActivation(model, {
      init: X0,
      iterations: 50,
      learningRate: 1e37,
      l2: 0
    });
    expect(result.stopped).toMatch(
      /became NaN or infinite at step (\d+); the run stopped and shows the last finite input/
    );
    const step = Number(/at step (\d+)/.exec(result.stopped!)![1]);
    expect(step).toBeGreaterThan(1);
    expect(result.losses).toHaveLength(step - 1);
    expect(result.losses.every(Number.isFinite)).toBe(true);
    expect(result.input.flat().every(Number.isFinite)).toBe(true);
  });
});
