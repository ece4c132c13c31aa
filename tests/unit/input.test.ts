import * as tf from '@tensorflow/tfjs';
import {
  describeSequence,
  featureMaps,
  sequenceSymbols,
  sequenceTensor,
  PROTEIN
} from '../../src/core';
import { MAX_SEQUENCE_POSITIONS } from '../../src/protocol';
import { convModel } from './helpers';

function tokenModel(): tf.LayersModel {
  // Embedding 5 → 1 with embedding[id] = id, then a k=1 conv with weight 1: the output is the id.
  const emb = tf.layers.embedding({ name: 'emb', inputDim: 5, outputDim: 1, inputLength: 4 });
  const conv = tf.layers.conv1d({
    name: 'conv',
    filters: 1,
    kernelSize: 1,
    useBias: false,
    kernelInitializer: 'ones'
  });
  const model = tf.sequential({ layers: [emb, conv] });
  emb.setWeights([tf.tensor2d([[0], [1], [2], [3], [4]])]);
  return model;
}

describe('every input form gives the same result', () => {
  // k=1 conv that reads channel c as c+1: out = 1*A + 2*C + 3*G + 4*T
  const model = convModel({ length: null, channels: 4, kernel: [[[1], [2], [3], [4]]] });
  const expected = [[1], [3], [2], [4]];

  test('a string over the alphabet (one-hot), any case', () => {
    expect(featureMaps(model, 'AGCT')).toEqual(expected);
    expect(featureMaps(model, 'agct')).toEqual(expected);
  });

  test('number[position][channel]', () => {
    const onehot = [
      [1, 0, 0, 0],
      [0, 0, 1, 0],
      [0, 1, 0, 0],
      [0, 0, 0, 1]
    ];
    expect(featureMaps(model, onehot)).toEqual(expected);
  });

  test('a tf.Tensor with and without the batch dimension', () => {
    const t = tf.oneHot(tf.tensor1d([0, 2, 1, 3], 'int32'), 4);
    const batched = t.expandDims(0);
    expect(featureMaps(model, t)).toEqual(expected);
    expect(featureMaps(model, batched)).toEqual(expected);
    tf.dispose([t, batched]);
  });

  test('a custom alphabet sets channel order', () => {
    expect(featureMaps(model, 'TGCA', { alphabet: 'TGCA' })).toEqual([[1], [2], [3], [4]]);
  });

  test('token ids, words with labels, and a token tensor', () => {
    const m = tokenModel();
    expect(featureMaps(m, [4, 0, 2, 3])).toEqual([[4], [0], [2], [3]]);
    expect(featureMaps(m, 'd a b c', { labels: ['a', 'b', 'c', 'd', 'e'] })).toEqual([
      [3],
      [0],
      [1],
      [2]
    ]);
    const ids = tf.tensor1d([1, 1, 2, 2], 'int32');
    expect(featureMaps(m, ids)).toEqual([[1], [1], [2], [2]]);
    ids.dispose();
  });

  test('a flat number array for a one-channel model', () => {
    const m = convModel({ length: null, channels: 1, kernel: [[[2]]] });
    expect(featureMaps(m, [1, 2, 3])).toEqual([[2], [4], [6]]);
  });

  test('the protein alphabet has the 20 amino acids', () => {
    expect(PROTEIN).toHaveLength(20);
    const m = convModel({
      length: null,
      channels: 20,
      kernel: [PROTEIN.split('').map((_, i) => [i])]
    });
    expect(featureMaps(m, 'MKW', { alphabet: PROTEIN })).toEqual([[10], [8], [18]]);
  });
});

describe('sequence payloads', () => {
  test('symbols are the letters, the words, or the ids', () => {
    expect(sequenceSymbols({ kind: 'onehot', sequence: 'ACG', alphabet: 'ACGT' })).toEqual([
      'A',
      'C',
      'G'
    ]);
    expect(sequenceSymbols({ kind: 'tokens', ids: [1, 0], labels: ['x', 'y'] })).toEqual([
      'y',
      'x'
    ]);
    expect(sequenceSymbols({ kind: 'tokens', ids: [1, 0] })).toEqual(['1', '0']);
  });

  test('sequenceTensor builds the batch of one the model takes', () => {
    const t = sequenceTensor({ kind: 'onehot', sequence: 'CA', alphabet: 'ACGT' });
    expect(t.shape).toEqual([1, 2, 4]);
    expect(t.arraySync()).toEqual([
      [
        [0, 1, 0, 0],
        [1, 0, 0, 0]
      ]
    ]);
    t.dispose();
  });
});

describe('bad sequences are refused with what was expected', () => {
  test('token ids outside the Embedding range', () => {
    expect(() => describeSequence(tokenModel(), [0, 5, 1, 1])).toThrow(
      /Token id 5 at position 1 is outside the Embedding's range: expected an integer from 0 to 4/
    );
    expect(() => describeSequence(tokenModel(), [0, 1.5, 1, 1])).toThrow(/Token id 1.5/);
  });

  test('a string for an Embedding model without labels', () => {
    expect(() => describeSequence(tokenModel(), 'abcd')).toThrow(/expects token ids/);
  });

  test('a word that is not in the labels', () => {
    expect(() => describeSequence(tokenModel(), 'a b zz c', { labels: ['a', 'b', 'c'] })).toThrow(
      /Word "zz" at position 2 is not in the vocabulary/
    );
  });

  test('a length the model does not take', () => {
    expect(() => describeSequence(tokenModel(), [0, 1, 2])).toThrow(
      /3 positions but the model expects exactly 4/
    );
  });

  test('an alphabet whose size does not match the channels', () => {
    const m = convModel({ length: null, channels: 4, kernel: [[[1], [1], [1], [1]]] });
    expect(() => describeSequence(m, 'ACD', { alphabet: PROTEIN })).toThrow(
      /4 channels per position but the alphabet .* has 20 symbols/
    );
  });

  test('Infinity in a tensor', () => {
    const m = convModel({ length: null, channels: 1, kernel: [[[1]]] });
    const t = tf.tensor2d([[1], [Infinity]]);
    expect(() => describeSequence(m, t)).toThrow(
      /position 1, channel 0 is Infinity; expected a finite number/
    );
    t.dispose();
  });

  test('a batch of several sequences', () => {
    const m = convModel({ length: null, channels: 1, kernel: [[[1]]] });
    const t = tf.zeros([2, 3, 1]);
    expect(() => describeSequence(m, t)).toThrow(/batch of 2 sequences/);
    t.dispose();
  });

  test('an empty sequence', () => {
    const m = convModel({ length: null, channels: 4, kernel: [[[1], [1], [1], [1]]] });
    expect(() => describeSequence(m, '')).toThrow(/empty/);
    expect(() => describeSequence(tokenModel(), [])).toThrow(/The sequence is empty/);
  });

  test("NaN in numbers, and a sequence over the explorer's length limit", () => {
    const m = convModel({ length: null, channels: 1, kernel: [[[1]]] });
    expect(() => describeSequence(m, [[1], [NaN]])).toThrow(/NaN/);
    const dna = convModel({ length: null, channels: 4, kernel: [[[1], [1], [1], [1]]] });
    expect(describeSequence(dna, 'A'.repeat(MAX_SEQUENCE_POSITIONS))).toMatchObject({
      kind: 'onehot'
    });
    expect(() => describeSequence(dna, 'A'.repeat(100_000))).toThrow(
      'The sequence has 100000 positions; the explorer shows at most 10000. Explore a window ' +
        'of it, e.g. sequence.slice(start, start + 10000).'
    );
  });
});
