import * as tf from '@tensorflow/tfjs';
import { minimumSequenceLength, sequenceGeometry, windowOutput } from '../../src/core';

describe('windowOutput follows TensorFlow', () => {
  test.each([
    // [length, kernel, stride, dilation, padding, out, padLeft]
    [10, 3, 1, 1, 'valid', 8, 0],
    [10, 3, 2, 1, 'valid', 4, 0],
    [10, 3, 1, 2, 'valid', 6, 0],
    [5, 3, 2, 1, 'same', 3, 1],
    [4, 2, 1, 1, 'same', 4, 0],
    [6, 4, 1, 1, 'same', 6, 1],
    [7, 3, 3, 1, 'same', 3, 1],
    [5, 2, 1, 2, 'causal', 5, 2],
    [2, 5, 1, 1, 'valid', 0, 0]
  ])('L=%i k=%i s=%i d=%i %s → %i positions, left pad %i', (L, k, s, d, padding, out, padLeft) => {
    expect(windowOutput(L, { kernelSize: k, strides: s, dilationRate: d, padding })).toEqual({
      length: out,
      padLeft
    });
  });
});

describe('sequenceGeometry places each layer in the input', () => {
  test('same conv → pool → dilated valid conv (the DNA example shape)', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv1d({
          name: 'c1',
          inputShape: [100, 4],
          filters: 2,
          kernelSize: 9,
          padding: 'same'
        }),
        tf.layers.maxPooling1d({ name: 'p', poolSize: 2 }),
        tf.layers.dropout({ name: 'drop', rate: 0.1 }),
        tf.layers.conv1d({ name: 'c2', filters: 2, kernelSize: 5, dilationRate: 2 })
      ]
    });
    const g = sequenceGeometry(model, 100);
    // c1: output j reads inputs j-4 … j+4
    expect(g.get('c1')).toEqual({ length: 100, span: { jump: 1, start: -4, size: 9 } });
    // pool: output j reads c1 outputs 2j, 2j+1 → inputs 2j-4 … 2j+5
    expect(g.get('p')).toEqual({ length: 50, span: { jump: 2, start: -4, size: 10 } });
    expect(g.get('drop')).toEqual(g.get('p'));
    // c2: taps at pool outputs j, j+2, …, j+8 → inputs 2j-4 … 2(j+8)+5 = 2j+21
    expect(g.get('c2')).toEqual({ length: 42, span: { jump: 2, start: -4, size: 26 } });
  });

  test('strided causal conv after an embedding', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({ name: 'e', inputDim: 10, outputDim: 3, inputLength: 9 }),
        tf.layers.conv1d({ name: 'c', filters: 1, kernelSize: 3, strides: 2, padding: 'causal' })
      ]
    });
    // left pad 2, stride 2: output j reads inputs 2j-2 … 2j; ceil(9/2) = 5 positions
    expect(sequenceGeometry(model, 9).get('c')).toEqual({
      length: 5,
      span: { jump: 2, start: -2, size: 3 }
    });
  });

  test('a layer whose position mapping we do not model makes the span unknown', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.simpleRNN({ name: 'rnn', inputShape: [8, 1], units: 2, returnSequences: true }),
        tf.layers.conv1d({ name: 'c', filters: 1, kernelSize: 3 })
      ]
    });
    expect(sequenceGeometry(model, 8).get('c')!.span).toBeNull();
  });
});

describe('minimumSequenceLength is the shortest input every Conv1D layer has output for', () => {
  /** The old search: one length after another until no Conv1D layer is empty. */
  function bySearch(model: tf.LayersModel): number {
    for (let length = 1; ; length++) {
      const g = sequenceGeometry(model, length);
      if (!model.layers.some(l => l.getClassName() === 'Conv1D' && g.get(l.name)?.length === 0)) {
        return length;
      }
    }
  }

  test('valid, strided, dilated and pooled layers in a chain', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv1d({ inputShape: [null, 4], filters: 2, kernelSize: 9 }),
        tf.layers.maxPooling1d({ poolSize: 3 }),
        tf.layers.conv1d({ filters: 2, kernelSize: 5, dilationRate: 2 }),
        tf.layers.conv1d({ filters: 2, kernelSize: 3, strides: 2 }),
        tf.layers.conv1d({ filters: 2, kernelSize: 7 })
      ]
    });
    // Hand-computed from the last layer back: 7 → (7−1)·2 + 3 = 15 → 15 + 8 = 23
    // → pool 3: (23−1)·3 + 3 = 69 → 69 + 8 = 77.
    expect(minimumSequenceLength(model)).toBe(77);
    expect(bySearch(model)).toBe(77);
  });

  test('same padding needs one position per stride; branches take the longer need', () => {
    const input = tf.input({ shape: [null, 4] });
    const conv = (args: Parameters<typeof tf.layers.conv1d>[0], x: tf.SymbolicTensor) =>
      tf.layers.conv1d(args).apply(x) as tf.SymbolicTensor;
    const a = conv({ filters: 2, kernelSize: 11, padding: 'same' }, input);
    const b = conv({ filters: 2, kernelSize: 4 }, input);
    const pooled = tf.layers
      .averagePooling1d({ poolSize: 2, strides: 1 })
      .apply(input) as tf.SymbolicTensor;
    const c = conv({ filters: 2, kernelSize: 3, strides: 3, padding: 'same' }, pooled);
    const d = conv({ filters: 2, kernelSize: 2 }, c);
    const model = tf.model({ inputs: input, outputs: [a, b, d] });
    // d needs 2 positions of c; c (same, stride 3) needs (2−1)·3 + 1 = 4 of the pooling,
    // which needs 5 of the input; b needs 4, a needs 1.
    expect(minimumSequenceLength(model)).toBe(5);
    expect(bySearch(model)).toBe(5);
  });
});
