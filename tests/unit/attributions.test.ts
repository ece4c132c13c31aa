/**
 * Attributions: the quadrature and the shuffle they rest on, gradients against finite
 * differences through every Conv1D geometry, integrated gradients' completeness, ISM
 * against a brute-force loop of tfjs' own forward passes, and every refusal.
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import {
  Attribution,
  computeAttributions,
  describeSequence,
  MAX_ISM_VARIANTS,
  MAX_STEPS,
  type AttributionOptions
} from '../../src/core';
import { gaussLegendre } from '../../src/core/quadrature';
import { seededRandom, shufflePairs } from '../../src/core/random';
import { loadModel } from '../../src/kernel';
import { VOCAB } from '../../examples/train/data';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples', 'models');

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
      throw new Error(`index ${i}: ${actual[i]} vs ${expected[i]} (tolerance ${tolerance})`);
    }
  }
}

const seeded = (seed: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.5, seed });

/**
 * Two Conv1D layers in a given geometry, then a Dense head (sigmoid): input `[13, channels]`.
 * The Dense head is left out for causal padding, which tfjs-layers cannot run.
 */
function geometryModel(
  geometry: { padding: 'same' | 'valid' | 'causal'; dilationRate: number; strides: number },
  channels = 3,
  activation: 'tanh' | 'linear' = 'tanh'
): tf.LayersModel {
  const input = tf.input({ shape: [13, channels] });
  const a = tf.layers.conv1d({
    name: 'a',
    filters: 4,
    kernelSize: 3,
    padding: geometry.padding,
    dilationRate: geometry.dilationRate,
    activation,
    kernelInitializer: seeded(1),
    biasInitializer: seeded(2)
  });
  const b = tf.layers.conv1d({
    name: 'b',
    filters: 3,
    kernelSize: 2,
    strides: geometry.strides,
    activation,
    kernelInitializer: seeded(3),
    biasInitializer: seeded(4)
  });
  const head = tf.layers.dense({
    name: 'head',
    units: 2,
    activation: activation === 'linear' ? 'linear' : 'sigmoid',
    kernelInitializer: seeded(5)
  });
  const features = tf.layers.flatten().apply(b.apply(a.apply(input))) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: head.apply(features) as tf.SymbolicTensor });
}

function randomInput(length: number, channels: number, seed: number): number[][] {
  return tf.tidy(() =>
    tf.randomNormal([length, channels], 0, 1, 'float32', seed).arraySync()
  ) as number[][];
}

function randomDna(length: number, seed: number): string {
  const random = seededRandom(seed);
  return Array.from({ length }, () => 'ACGT'[Math.floor(random() * 4)]).join('');
}

function oneHot(sequence: string): number[][] {
  return [...sequence].map(ch => [...'ACGT'].map(b => (b === ch ? 1 : 0)));
}

describe('Gauss–Legendre points on [0, 1]', () => {
  test('two points are 1/2 ∓ 1/(2√3), each weighing 1/2', () => {
    const { points, weights } = gaussLegendre(2);
    expectClose(points, [0.5 - 0.5 / Math.sqrt(3), 0.5 + 0.5 / Math.sqrt(3)], 1e-12);
    expectClose(weights, [0.5, 0.5], 1e-12);
  });

  test.each([1, 5, 50, 1000])('%d points integrate t^(2n−1) exactly and weigh 1 in all', n => {
    const { points, weights } = gaussLegendre(n);
    const integral = points.reduce((s, t, i) => s + weights[i] * t ** (2 * n - 1), 0);
    expect(integral).toBeCloseTo(1 / (2 * n), 10);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(points.every((t, i) => t > 0 && t < 1 && (i === 0 || t > points[i - 1]))).toBe(true);
  });
});

describe('the pair-keeping shuffle', () => {
  const pairs = (s: readonly number[]) => {
    const counts = new Map<string, number>();
    for (let i = 0; i + 1 < s.length; i++) {
      const key = `${s[i]},${s[i + 1]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts].sort();
  };

  test.each([
    ['DNA', 4, 200],
    ['a 100-token vocabulary', 100, 60]
  ])('keeps every pair count, the first and the last symbol (%s)', (_name, symbols, length) => {
    const random = seededRandom(1);
    const sequence = Array.from({ length }, () => Math.floor(random() * symbols));
    for (const seed of [0, 1, 2]) {
      const shuffled = shufflePairs(sequence, seededRandom(seed));
      expect(shuffled).toHaveLength(length);
      expect(pairs(shuffled)).toEqual(pairs(sequence));
      expect(shuffled[0]).toBe(sequence[0]);
      expect(shuffled[length - 1]).toBe(sequence[length - 1]);
    }
    expect(shufflePairs(sequence, seededRandom(3))).toEqual(
      shufflePairs(sequence, seededRandom(3))
    );
    expect(shufflePairs(sequence, seededRandom(3))).not.toEqual(sequence);
  });
});

describe('gradients match finite differences', () => {
  const geometries = [
    { padding: 'same', dilationRate: 1, strides: 1 },
    { padding: 'valid', dilationRate: 2, strides: 2 },
    { padding: 'same', dilationRate: 3, strides: 1 },
    { padding: 'causal', dilationRate: 2, strides: 2 }
  ] as const;
  const targets: [string, AttributionOptions][] = [
    ['output 1 (logit)', { output: 1 }],
    ['output 1 (probability)', { output: 1, logit: false }],
    ['filter 2 of b, summed', { layer: 'b', filter: 2 }],
    ['filter 1 of a at position 4', { layer: 'a', filter: 1, position: 4 }]
  ];
  const cases = geometries.flatMap(g =>
    targets
      .filter(([, t]) => g.padding !== 'causal' || t.layer !== undefined)
      .map(
        ([name, t]) =>
          [`${g.padding}, dilation ${g.dilationRate}, stride ${g.strides}`, name, g, t] as const
      )
  );

  test.each(cases)('%s: %s', (_g, _t, geometry, target) => {
    const full = geometryModel(geometry);
    const model =
      geometry.padding === 'causal'
        ? tf.model({ inputs: full.inputs, outputs: full.getLayer('b').output as tf.SymbolicTensor })
        : full;
    const x = randomInput(13, 3, 7);
    const options = { ...target, method: 'saliency' } as const;
    const { scores } = computeAttributions(model, x, options);
    const valueAt = (input: number[][]) => computeAttributions(model, input, options).value;
    const h = 1e-2;
    const numeric = x.flatMap((row, p) =>
      row.map((_, c) => {
        const plus = x.map(r => [...r]);
        const minus = x.map(r => [...r]);
        plus[p][c] += h;
        minus[p][c] -= h;
        return (valueAt(plus) - valueAt(minus)) / (2 * h);
      })
    );
    expectClose(scores, numeric, 2e-3);
    expect(Math.max(...Array.from(scores, Math.abs))).toBeGreaterThan(0.01);
  });

  test('the target values are the model’s: its outputs, its logits, its filters', () => {
    const model = geometryModel({ padding: 'same', dilationRate: 1, strides: 1 });
    const x = randomInput(13, 3, 9);
    const predicted = (model.predict(tf.tensor3d([x])) as tf.Tensor).arraySync() as number[][];
    const p = predicted[0][1];
    const value = (options: AttributionOptions) =>
      computeAttributions(model, x, { ...options, method: 'saliency' }).value;
    expect(value({ output: 1, logit: false })).toBeCloseTo(p, 5);
    expect(value({ output: 1 })).toBeCloseTo(Math.log(p / (1 - p)), 4);
    const conv = tf.model({
      inputs: model.inputs,
      outputs: model.getLayer('b').output as tf.SymbolicTensor
    });
    const maps = (conv.predict(tf.tensor3d([x])) as tf.Tensor).arraySync() as number[][][];
    expect(value({ layer: 'b', filter: 2 })).toBeCloseTo(
      maps[0].reduce((s, row) => s + row[2], 0),
      5
    );
    expect(value({ layer: 'b', filter: 0, position: 3 })).toBeCloseTo(maps[0][3][0], 5);
  });
});

describe('gradient × input', () => {
  test('is projected onto the observed base for one-hot input; hypothetical keeps the gradient', () => {
    const model = geometryModel({ padding: 'same', dilationRate: 2, strides: 1 }, 4);
    const sequence = randomDna(13, 4);
    const gradient = computeAttributions(model, sequence, { method: 'saliency' }).scores;
    const projected = computeAttributions(model, sequence, { method: 'gradientTimesInput' });
    const x = oneHot(sequence).flat();
    expectClose(
      projected.scores,
      Array.from(gradient, (g, i) => g * x[i]),
      1e-7
    );
    expect(Array.from(projected.scores).filter((v, i) => x[i] === 0 && v !== 0)).toEqual([]);
    const hypothetical = computeAttributions(model, sequence, {
      method: 'gradientTimesInput',
      hypothetical: true
    });
    expectClose(hypothetical.scores, gradient, 1e-7);
  });

  test('of an Embedding model scores each token: its gradient · its embedding', () => {
    const model = embeddingModel('linear');
    const ids = [3, 1, 4, 1, 5, 2, 0, 5];
    const { scores, channels } = computeAttributions(model, ids, { method: 'gradientTimesInput' });
    expect(channels).toBe(1);
    // The model is linear in the embeddings: IG from zeros equals gradient × input exactly,
    // and both sum to the output minus its value at zeros.
    const ig = computeAttributions(model, ids, { method: 'integratedGradients', steps: 3 });
    expectClose(scores, ig.scores, 1e-5);
    expect(ig.completeness!.relativeError).toBeLessThan(1e-5);
  });
});

function embeddingModel(activation: 'linear' | 'relu'): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.embedding({
        inputDim: 6,
        outputDim: 5,
        inputLength: 8,
        embeddingsInitializer: seeded(11)
      }),
      tf.layers.conv1d({
        filters: 4,
        kernelSize: 3,
        activation,
        kernelInitializer: seeded(12),
        biasInitializer: seeded(13)
      }),
      tf.layers.globalAveragePooling1d(),
      tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: seeded(14) })
    ]
  });
}

describe('integrated gradients', () => {
  test('equal gradient × (input − baseline) on a linear model, whatever the steps', () => {
    const model = geometryModel({ padding: 'valid', dilationRate: 2, strides: 2 }, 3, 'linear');
    const x = randomInput(13, 3, 5);
    const baseline = randomInput(13, 3, 6);
    const { scores: gradient } = computeAttributions(model, x, { method: 'saliency' });
    const expected = Array.from(gradient, (g, i) => g * (x.flat()[i] - baseline.flat()[i]));
    for (const steps of [1, 7]) {
      const ig = computeAttributions(model, x, { method: 'integratedGradients', baseline, steps });
      expectClose(ig.scores, expected, 1e-5);
      expect(ig.completeness!.relativeError).toBeLessThan(1e-5);
    }
  });

  test('match a Riemann sum of 500 midpoints on a curved model', () => {
    const model = geometryModel({ padding: 'same', dilationRate: 1, strides: 1 });
    const x = randomInput(13, 3, 8);
    const ig = computeAttributions(model, x, { method: 'integratedGradients' });
    const n = 500;
    const sum = new Float64Array(13 * 3);
    for (let k = 0; k < n; k++) {
      const alpha = (k + 0.5) / n;
      const point = x.map(row => row.map(v => alpha * v));
      computeAttributions(model, point, { method: 'saliency' }).scores.forEach(
        (g, i) => (sum[i] += g / n)
      );
    }
    expectClose(
      ig.scores,
      Array.from(sum, (g, i) => g * x.flat()[i]),
      1e-4
    );
    expect(ig.completeness!.relativeError).toBeLessThan(1e-3);
  });

  // A pair-keeping shuffle of a review keeps its word pairs, which is all the text model
  // reads: it predicts the same, and there is nothing to attribute.
  describe.each([
    ['DNA', 'dna', undefined, ['zeros', 'uniform', 'shuffle']],
    ['text', 'text', VOCAB, ['zeros', 'uniform']]
  ] as const)('on the %s example', (_name, dir, labels, baselines) => {
    let model: tf.LayersModel;
    let example: string;
    beforeAll(async () => {
      model = await loadModel(path.join(EXAMPLES, dir, 'model.json'));
      example = ((await import(path.join(EXAMPLES, dir, 'info.json'))) as { example: string })
        .example;
    });
    afterAll(() => model.dispose());

    test.each(baselines)(
      'complete within 1%% of f(x) − f(baseline), baseline %s, 50 points',
      baseline => {
        const { completeness, value } = computeAttributions(model, example, {
          method: 'integratedGradients',
          baseline,
          labels
        });
        expect(completeness!.steps).toBe(50);
        expect(Math.abs(value - completeness!.baselineValue)).toBeGreaterThan(1);
        expect(completeness!.relativeError).toBeLessThan(0.01);
      }
    );
  });
});

describe('in-silico mutagenesis', () => {
  test('equals a loop of tfjs’ own forward passes, one per substitution', () => {
    const model = geometryModel({ padding: 'same', dilationRate: 2, strides: 1 }, 4);
    const sequence = randomDna(13, 2);
    const { mutations, value, scores } = computeAttributions(model, sequence, {
      method: 'ism',
      output: 1,
      logit: false
    });
    const predict = (s: string) =>
      tf.tidy(() => (model.predict(tf.tensor3d([oneHot(s)])) as tf.Tensor).dataSync()[1]);
    expect(value).toBeCloseTo(predict(sequence), 6);
    const expected = [...sequence].flatMap((_, p) =>
      [...'ACGT'].map(
        b => predict(sequence.slice(0, p) + b + sequence.slice(p + 1)) - predict(sequence)
      )
    );
    expect(mutations!.alternatives).toBe(4);
    expectClose(mutations!.changes, expected, 1e-5);
    expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(1e-3);
    // tangermeme's score: centred across the alphabet, projected onto the observed base.
    const expectedScores = [...sequence].flatMap((ch, p) => {
      const row = expected.slice(p * 4, p * 4 + 4);
      const mean = row.reduce((a, b) => a + b, 0) / 4;
      return [...'ACGT'].map((b, c) => (b === ch ? row[c] - mean : 0));
    });
    expectClose(scores, expectedScores, 1e-5);
  });

  /** A Basset-like chain: convolution, pooling, batch norm, a second convolution, a head. */
  function chainModel(
    geometry: { padding: 'same' | 'valid' | 'causal'; dilationRate: number; strides: number },
    pool: number
  ): tf.LayersModel {
    return tf.sequential({
      layers: [
        tf.layers.conv1d({
          inputShape: [40, 4],
          filters: 6,
          kernelSize: 5,
          activation: 'relu',
          kernelInitializer: seeded(21),
          biasInitializer: seeded(22)
        }),
        tf.layers.maxPooling1d({ poolSize: pool }),
        tf.layers.batchNormalization({
          betaInitializer: seeded(23),
          movingMeanInitializer: seeded(24)
        }),
        tf.layers.conv1d({
          filters: 5,
          kernelSize: 3,
          ...geometry,
          activation: 'relu',
          kernelInitializer: seeded(25),
          biasInitializer: seeded(26)
        }),
        tf.layers.averagePooling1d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, activation: 'sigmoid', kernelInitializer: seeded(27) })
      ]
    });
  }

  test.each([
    [{ padding: 'same', dilationRate: 1, strides: 1 }, 3],
    [{ padding: 'valid', dilationRate: 2, strides: 1 }, 2],
    [{ padding: 'same', dilationRate: 1, strides: 2 }, 3],
    [{ padding: 'valid', dilationRate: 1, strides: 3 }, 2]
  ] as const)(
    'recomputing only what changes equals whole-sequence passes (%j, pool %d)',
    (geometry, pool) => {
      const model = chainModel(geometry, pool);
      const sequence = randomDna(40, 6);
      const run = new Attribution(model, describeSequence(model, sequence), {
        method: 'ism',
        output: 2,
        logit: false
      });
      expect(run.recomputesLocally).toBe(true);
      run.run();
      const { mutations } = run.result();
      run.dispose();
      const predict = (s: string) =>
        tf.tidy(() => (model.predict(tf.tensor3d([oneHot(s)])) as tf.Tensor).dataSync()[2]);
      const reference = predict(sequence);
      const expected = [...sequence].flatMap((_, p) =>
        [...'ACGT'].map(b => predict(sequence.slice(0, p) + b + sequence.slice(p + 1)) - reference)
      );
      expectClose(mutations!.changes, expected, 1e-5);
      expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(1e-4);
    }
  );

  test('a model that is not a chain (a residual sum) runs whole sequences, with the same result', () => {
    const input = tf.input({ shape: [20, 4] });
    const conv = tf.layers.conv1d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      kernelInitializer: seeded(31)
    });
    const sum = tf.layers.add().apply([input, conv.apply(input) as tf.SymbolicTensor]);
    const head = tf.layers
      .dense({ units: 1, kernelInitializer: seeded(32) })
      .apply(tf.layers.flatten().apply(sum));
    const model = tf.model({ inputs: input, outputs: head as tf.SymbolicTensor });
    const sequence = randomDna(20, 8);
    const run = new Attribution(model, describeSequence(model, sequence), { method: 'ism' });
    expect(run.recomputesLocally).toBe(false);
    run.run();
    const { mutations } = run.result();
    run.dispose();
    const predict = (s: string) =>
      tf.tidy(() => (model.predict(tf.tensor3d([oneHot(s)])) as tf.Tensor).dataSync()[0]);
    const expected = [...sequence].flatMap((_, p) =>
      [...'ACGT'].map(
        b => predict(sequence.slice(0, p) + b + sequence.slice(p + 1)) - predict(sequence)
      )
    );
    expectClose(mutations!.changes, expected, 1e-5);
  });

  test('hypothetical scores are centred at every position; a window mutates only its positions', () => {
    const model = geometryModel({ padding: 'valid', dilationRate: 1, strides: 2 }, 4);
    const sequence = randomDna(13, 3);
    const full = computeAttributions(model, sequence, { method: 'ism', hypothetical: true });
    for (let p = 0; p < 13; p++) {
      const row = Array.from(full.scores.subarray(p * 4, p * 4 + 4));
      expect(Math.abs(row.reduce((a, b) => a + b, 0))).toBeLessThan(1e-5);
    }
    const window = computeAttributions(model, sequence, { method: 'ism', start: 4, end: 7 });
    expect(window.mutations!.changes).toHaveLength(3 * 4);
    const full4 = full.mutations!.changes.subarray(4 * 4, 7 * 4);
    expectClose(window.mutations!.changes, full4, 1e-6);
    expect(Array.from(window.scores.subarray(0, 16)).every(v => v === 0)).toBe(true);
    expect(Array.from(window.scores.subarray(28)).every(v => v === 0)).toBe(true);
  });

  test('of an Embedding model occludes each token: with a token id, as predict on the edited ids', () => {
    const model = embeddingModel('relu');
    const ids = [3, 1, 4, 1, 5, 2, 0, 5];
    const { mutations, scores } = computeAttributions(model, ids, {
      method: 'ism',
      occlusion: 0,
      logit: false
    });
    const predict = (t: number[]) =>
      tf.tidy(() => (model.predict(tf.tensor2d([t], [1, 8], 'int32')) as tf.Tensor).dataSync()[0]);
    const expected = ids.map(
      (_, p) => predict(ids.map((id, q) => (q === p ? 0 : id))) - predict(ids)
    );
    expectClose(mutations!.changes, expected, 1e-6);
    expectClose(
      scores,
      expected.map(v => -v),
      1e-6
    );
  });

  test('of a numeric input occludes each channel with its mean over the sequence', () => {
    const model = geometryModel({ padding: 'same', dilationRate: 1, strides: 1 });
    const x = randomInput(13, 3, 4);
    const { mutations } = computeAttributions(model, x, { method: 'ism', logit: false });
    const means = [0, 1, 2].map(c => x.reduce((s, row) => s + row[c], 0) / 13);
    const predict = (input: number[][]) =>
      tf.tidy(() => (model.predict(tf.tensor3d([input])) as tf.Tensor).dataSync()[0]);
    const expected = x.flatMap((row, p) =>
      row.map(
        (_, c) =>
          predict(x.map((r, q) => r.map((v, k) => (q === p && k === c ? means[c] : v)))) -
          predict(x)
      )
    );
    expectClose(mutations!.changes, expected, 1e-5);
  });
});

describe('attributions free what they allocate', () => {
  test.each(['saliency', 'gradientTimesInput', 'integratedGradients', 'ism'] as const)(
    '%s',
    method => {
      const model = geometryModel({ padding: 'same', dilationRate: 2, strides: 1 }, 4);
      const sequence = randomDna(13, 1);
      computeAttributions(model, sequence, { method, baseline: 'shuffle' });
      const before = tf.memory().numTensors;
      computeAttributions(model, sequence, { method, baseline: 'shuffle' });
      expect(tf.memory().numTensors).toBe(before);
    }
  );
});

describe('occlusion frees what it allocates', () => {
  test.each([
    ['tokens', () => embeddingModel('relu'), [3, 1, 4, 1, 5, 2, 0, 5]],
    [
      'numeric',
      () => geometryModel({ padding: 'same', dilationRate: 1, strides: 1 }),
      randomInput(13, 3, 2)
    ]
  ] as const)('%s', (_name, build, sequence) => {
    const model = build();
    computeAttributions(model, sequence as never, { method: 'ism' });
    const before = tf.memory().numTensors;
    computeAttributions(model, sequence as never, { method: 'ism' });
    computeAttributions(model, sequence as never, { method: 'ism', occlusion: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('bad input gets a message naming the option', () => {
  const model = geometryModel({ padding: 'same', dilationRate: 1, strides: 1 }, 4);
  const sequence = randomDna(13, 5);
  test.each([
    [
      { output: 2 },
      /output 2 is outside the last layer "head", which has 2 units: expected an integer from 0 to 1/
    ],
    [{ output: -1 }, /output -1 is outside the last layer/],
    [
      { method: 'deepLift' },
      /method "deepLift" is unknown; expected one of "saliency", "gradientTimesInput", "integratedGradients", "ism"/
    ],
    [
      { baseline: [[0.25, 0.25, 0.25, 0.25]] },
      /baseline has 1 positions; expected 13 positions × 4 channels, like the input/
    ],
    [
      { baseline: Array.from({ length: 13 }, () => [0, 0, 0]) },
      /baseline position 0 has 3 values; expected 13 positions × 4 channels/
    ],
    [
      { baseline: Array.from({ length: 13 }, (_, p) => [0, p === 6 ? NaN : 0, 0, 0]) },
      /baseline holds NaN at position 6, channel 1; expected finite numbers/
    ],
    [
      { baseline: 'random' },
      /baseline "random" is unknown; expected 'zeros', 'uniform', 'shuffle'/
    ],
    [{ steps: 0 }, new RegExp(`steps must be an integer from 1 to ${MAX_STEPS}.*got 0`)],
    [{ steps: MAX_STEPS + 1 }, new RegExp(`steps must be an integer from 1 to ${MAX_STEPS}`)],
    [{ steps: 2.5 }, /steps must be an integer/],
    [{ filter: 9, layer: 'b' }, /filter 9 is outside layer "b", which has 3 filters/],
    [{ layer: 'nope', filter: 0 }, /nope/],
    [{ filter: 0, layer: 'b', position: 40 }, /Position 40 is outside layer "b"'s output/],
    [{ filter: 0, output: 0 }, /Give either output .* or filter .*, not both/],
    [{ position: 3 }, /position applies to a filter/],
    [{ layer: 'b' }, /layer "b" is given without filter: say which filter of it to explain/],
    [{ method: 'ism', hypothetical: 'yes' }, /hypothetical must be true or false; got "yes"/],
    [
      { method: 'ism', start: 5, end: 5 },
      /end must be a position from start \+ 1 \(6\) to the sequence's length \(13\)/
    ],
    [
      { method: 'saliency', hypothetical: true },
      /hypothetical applies to one-hot inputs, with method "gradientTimesInput" or "ism"/
    ]
  ] as [AttributionOptions, RegExp][])('%j', (options, message) => {
    expect(() => computeAttributions(model, sequence, options)).toThrow(message);
  });

  test('ISM past the variant cap says how to restrict it to a window', () => {
    const long = tf.sequential({
      layers: [
        tf.layers.conv1d({ inputShape: [null, 4], filters: 2, kernelSize: 3 }),
        tf.layers.globalMaxPooling1d(),
        tf.layers.dense({ units: 1 })
      ]
    });
    const positions = MAX_ISM_VARIANTS / 3 + 1;
    const dna = randomDna(Math.ceil(positions), 1);
    expect(() => computeAttributions(long, dna, { method: 'ism' })).toThrow(
      /ISM of 6668 positions × 3 alternatives is 20004 variants, more than the 20000 one run may take\. Restrict it to a window of at most 6666 positions with start and end, e\.g\. \{start: 1, end: 6667\}/
    );
    expect(
      computeAttributions(long, dna, { method: 'ism', start: 100, end: 110 }).mutations!.changes
    ).toHaveLength(40);
  });

  test('an Embedding that is not the first layer is named', () => {
    const input = tf.input({ shape: [5], dtype: 'float32' });
    const ids = tf.layers.reshape({ name: 'ids', targetShape: [5] }).apply(input);
    const embedded = tf.layers.embedding({ name: 'emb', inputDim: 4, outputDim: 3 }).apply(ids);
    const conv = tf.layers.conv1d({ name: 'c', filters: 2, kernelSize: 2 }).apply(embedded);
    const nested = tf.model({ inputs: input, outputs: conv as tf.SymbolicTensor });
    expect(() => computeAttributions(nested, [1, 2, 3, 0, 1], { method: 'saliency' })).toThrow(
      /Layer "emb" \(Embedding\) is not the model's first layer/
    );
  });

  test('a layer tfjs has no gradient for is named, and ISM still runs', () => {
    /** Sorts each position's channels: tfjs has no gradient for its op, TopK. */
    class SortChannels extends tf.layers.Layer {
      static className = 'SortChannels';
      call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        return tf.topk(x, x.shape[2]!).values;
      }
    }
    const input = tf.input({ shape: [13, 4] });
    const sorted = new SortChannels({ name: 'sort' }).apply(input);
    const conv = tf.layers.conv1d({ name: 'c', filters: 2, kernelSize: 2 }).apply(sorted);
    const head = tf.layers.dense({ units: 1 }).apply(tf.layers.flatten().apply(conv));
    const model = tf.model({ inputs: input, outputs: head as tf.SymbolicTensor });
    expect(() => computeAttributions(model, sequence, { method: 'integratedGradients' })).toThrow(
      /tfjs has no gradient through layer "sort" \(SortChannels\), which uses the op TopK, so method "integratedGradients" cannot run on this model\. Use method "ism"/
    );
    expect(computeAttributions(model, sequence, { method: 'ism' }).mutations!.changes).toHaveLength(
      52
    );
  });

  test('numeric inputs refuse symbol baselines, tokens refuse occlusion outside the vocabulary', () => {
    const numeric = geometryModel({ padding: 'same', dilationRate: 1, strides: 1 });
    expect(() =>
      computeAttributions(numeric, randomInput(13, 3, 1), { baseline: 'shuffle' })
    ).toThrow(
      /baseline "shuffle" needs symbols \(a one-hot or token input\); a numeric input takes 'zeros' or values/
    );
    const tokens = embeddingModel('relu');
    expect(() =>
      computeAttributions(tokens, [1, 2, 3, 4, 5, 0, 1, 2], { method: 'ism', occlusion: 6 })
    ).toThrow(
      /occlusion 6 is not a token id of the Embedding's vocabulary: expected 'mean' or an integer from 0 to 5/
    );
  });
});
