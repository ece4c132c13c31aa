import * as tf from '@tensorflow/tfjs';
import { sequenceGeometry, windowOutput } from '../../src/core';

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
