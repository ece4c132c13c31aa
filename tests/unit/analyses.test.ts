import * as tf from '@tensorflow/tfjs';
import { conv1dLayers, featureMaps, kernels, ExplorerError } from '../../src/core';
import { column, convModel } from './helpers';

// Every expected value below is worked out by hand from Keras' definitions:
// out[i] = act(bias + sum_k sum_c x[i*stride - padLeft + k*dilation][c] * w[k][c][f]).

describe('featureMaps matches hand-computed Conv1D outputs', () => {
  test('valid padding, one channel, bias and relu', () => {
    // w = [1, -1], bias 0.5: out[i] = x[i] - x[i+1] + 0.5 → [-0.5, 2.5, -1.5] → relu
    const model = convModel({
      length: 4,
      channels: 1,
      kernel: [[[1]], [[-1]]],
      bias: [0.5],
      activation: 'relu'
    });
    expect(featureMaps(model, column([1, 2, -1, 1]))).toEqual([[0], [3.5], [0]]);
  });

  test('same padding with stride 2 pads as TensorFlow does (1 left, 1 right)', () => {
    // L=5, k=3, s=2: 3 outputs, total padding 2, left 1: sums of [0,1,2], [2,3,4], [4,5,0]
    const model = convModel({
      length: 5,
      channels: 1,
      kernel: [[[1]], [[1]], [[1]]],
      strides: 2,
      padding: 'same'
    });
    expect(featureMaps(model, column([1, 2, 3, 4, 5]))).toEqual([[3], [9], [9]]);
  });

  test('same padding with an even kernel puts the extra pad on the right', () => {
    // L=4, k=2, s=1: total padding 1, left 0: out[i] = 1*x[i] + 10*x[i+1]
    const model = convModel({ length: 4, channels: 1, kernel: [[[1]], [[10]]], padding: 'same' });
    expect(featureMaps(model, column([1, 2, 3, 4]))).toEqual([[21], [32], [43], [4]]);
  });

  test('causal padding with dilation 2 looks only backwards', () => {
    // k=2, d=2: left padding 2: out[i] = 1*x[i-2] + 10*x[i]
    const model = convModel({
      length: 5,
      channels: 1,
      kernel: [[[1]], [[10]]],
      dilationRate: 2,
      padding: 'causal'
    });
    expect(featureMaps(model, column([1, 2, 3, 4, 5]))).toEqual([[10], [20], [31], [42], [53]]);
  });

  test('valid padding with dilation 3', () => {
    // k=2, d=3: out[i] = x[i] - x[i+3]
    const model = convModel({ length: 6, channels: 1, kernel: [[[1]], [[-1]]], dilationRate: 3 });
    expect(featureMaps(model, column([1, 2, 4, 8, 16, 32]))).toEqual([[-7], [-14], [-28]]);
  });

  test('several channels and filters on a one-hot string, positions × filters', () => {
    // k=1 over A,C,G,T: filter 0 weights [1,2,3,4], filter 1 weights [-1,0,0,1], bias [0, 5]
    const model = convModel({
      length: null,
      channels: 4,
      kernel: [
        [
          [1, -1],
          [2, 0],
          [3, 0],
          [4, 1]
        ]
      ],
      bias: [0, 5]
    });
    expect(featureMaps(model, 'TGCA')).toEqual([
      [4, 6],
      [3, 5],
      [2, 5],
      [1, 4]
    ]);
  });

  test('deeper layers are read after their activation, through pooling', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv1d({
          name: 'a',
          inputShape: [6, 1],
          filters: 1,
          kernelSize: 1,
          useBias: false,
          kernelInitializer: 'ones'
        }),
        tf.layers.maxPooling1d({ poolSize: 2 }),
        tf.layers.conv1d({
          name: 'b',
          filters: 1,
          kernelSize: 2,
          useBias: false,
          activation: 'relu',
          kernelInitializer: 'ones'
        })
      ]
    });
    // a = x; pool → [max(1,-5), max(2,-9), max(-4,-3)] = [1, 2, -3]; b = relu(sum of pairs) = [3, 0]
    expect(featureMaps(model, column([1, -5, 2, -9, -4, -3]), 'b')).toEqual([[3], [0]]);
  });
});

describe('kernels', () => {
  test('returns the Keras layout kernel[k][inChannel][filter] and the bias', () => {
    const kernel = [
      [
        [1, 2, 3],
        [4, 5, 6]
      ],
      [
        [7, 8, 9],
        [10, 11, 12]
      ]
    ];
    const model = convModel({ length: 4, channels: 2, kernel, bias: [0.1, 0.2, 0.3] });
    const k = kernels(model, 'conv');
    expect(k.kernel).toEqual(kernel);
    expect(k.bias!.map(b => Math.round(b * 10) / 10)).toEqual([0.1, 0.2, 0.3]);
  });

  test('bias is null for layers without one', () => {
    const model = convModel({ length: 4, channels: 1, kernel: [[[1]]] });
    expect(kernels(model).bias).toBeNull();
  });
});

describe('conv1dLayers', () => {
  test('describes every Conv1D layer in model order', () => {
    const input = tf.input({ shape: [null, 4] });
    const a = tf.layers
      .conv1d({ name: 'first', filters: 3, kernelSize: 5, padding: 'same', activation: 'relu' })
      .apply(input) as tf.SymbolicTensor;
    const b = tf.layers
      .conv1d({
        name: 'second',
        filters: 2,
        kernelSize: 3,
        strides: 2,
        dilationRate: 1,
        padding: 'causal'
      })
      .apply(a) as tf.SymbolicTensor;
    const out = tf.layers.globalMaxPooling1d({}).apply(b) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    expect(conv1dLayers(model)).toEqual([
      {
        name: 'first',
        filters: 3,
        kernelSize: 5,
        strides: 1,
        dilationRate: 1,
        padding: 'same',
        inputChannels: 4,
        activation: 'relu'
      },
      {
        name: 'second',
        filters: 2,
        kernelSize: 3,
        strides: 2,
        dilationRate: 1,
        padding: 'causal',
        inputChannels: 3,
        activation: 'linear'
      }
    ]);
  });
});

describe('bad input is refused with a clear message', () => {
  const model = convModel({
    length: null,
    channels: 4,
    kernel: [
      [[1], [1], [1], [1]],
      [[1], [1], [1], [1]]
    ]
  });

  test('a model without Conv1D layers lists its layers', () => {
    const dense = tf.sequential({
      layers: [tf.layers.dense({ name: 'd', inputShape: [3], units: 1 })]
    });
    expect(() => kernels(dense)).toThrow(ExplorerError);
    expect(() => kernels(dense)).toThrow(/no Conv1D layer.*d \(Dense\)/);
  });

  test('an unknown layer name lists the Conv1D names', () => {
    expect(() => featureMaps(model, 'ACGT', 'nope')).toThrow(
      /No Conv1D layer is named "nope".*"conv"/
    );
  });

  test('a character outside the alphabet names it and its position', () => {
    expect(() => featureMaps(model, 'ACNGT')).toThrow(
      /"N" at position 2 is not in the alphabet "ACGT"/
    );
  });

  test('a sequence too short for the kernel says how long it must be', () => {
    expect(() => featureMaps(model, 'A')).toThrow(
      /1 positions, too few for layer "conv".*at least 2 positions/
    );
  });

  test('NaN in numeric input names its place', () => {
    expect(() =>
      featureMaps(model, [
        [0, 0, 0, 0],
        [0, NaN, 0, 0]
      ])
    ).toThrow(/position 1, channel 1 is NaN/);
  });

  test('a wrong channel count says what the model expects', () => {
    expect(() =>
      featureMaps(model, [
        [0, 0, 0],
        [0, 0, 0]
      ])
    ).toThrow(/3 channels; the model expects 4/);
  });
});

describe('functional models', () => {
  test('a Conv1D after a merge of two branches matches tfjs running the same graph', () => {
    const input = tf.input({ shape: [12, 3] });
    const init = (seed: number) => tf.initializers.glorotUniform({ seed });
    const a = tf.layers
      .conv1d({ name: 'a', filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: init(1) })
      .apply(input) as tf.SymbolicTensor;
    const b = tf.layers
      .conv1d({
        name: 'b',
        filters: 4,
        kernelSize: 5,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(2)
      })
      .apply(input) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
    const pooled = tf.layers.averagePooling1d({ poolSize: 2 }).apply(sum) as tf.SymbolicTensor;
    const c = tf.layers
      .conv1d({ name: 'c', filters: 2, kernelSize: 2, strides: 2, kernelInitializer: init(3) })
      .apply(pooled) as tf.SymbolicTensor;
    const out = tf.layers.globalMaxPooling1d({}).apply(c) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const x = tf.randomNormal([1, 12, 3], 0, 1, 'float32', 5);
    const reference = tf.model({ inputs: input, outputs: c }).predict(x) as tf.Tensor;
    const expected = (reference.arraySync() as number[][][])[0];
    const actual = featureMaps(model, x, 'c');
    expect(actual).toHaveLength(3);
    actual.forEach((row, p) => row.forEach((v, f) => expect(v).toBeCloseTo(expected[p][f], 5)));
    tf.dispose([x, reference]);
  });

  test('leaves no tensors behind', () => {
    const model = convModel({
      length: null,
      channels: 4,
      kernel: [[[1], [2], [3], [4]]],
      bias: [1]
    });
    featureMaps(model, 'ACGT');
    const before = tf.memory().numTensors;
    featureMaps(model, 'ACGTACGT');
    kernels(model);
    expect(tf.memory().numTensors).toBe(before);
  });
});
