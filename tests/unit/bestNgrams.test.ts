/**
 * The exact best n-grams of first-layer filters, against brute force over every k-mer (and
 * every word n-gram), and against the model's own activation for the n-grams found.
 */
import * as tf from '@tensorflow/tfjs';
import { bestNgrams, tapWords } from '../../src/core/bestNgrams';
import { featureMaps } from '../../src/core/analyses';

/** Seeded uniform numbers in [-1, 1). */
function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31) * 2 - 1;
  };
}

/** Every choice of one of `symbols` per tap. */
function allChoices(taps: number, symbols: number): number[][] {
  let out: number[][] = [[]];
  for (let t = 0; t < taps; t++) {
    out = out.flatMap(prefix => Array.from({ length: symbols }, (_, s) => [...prefix, s]));
  }
  return out;
}

describe('bestNgrams', () => {
  test('one-hot: the top k-mers equal brute force over all 4^k, and the model agrees', () => {
    const rand = noise(7);
    const kernel = Array.from({ length: 4 }, () =>
      Array.from({ length: 4 }, () => [rand(), rand()])
    );
    const bias = [0.3, -0.2];
    const conv = tf.layers.conv1d({ inputShape: [null, 4], filters: 2, kernelSize: 4 });
    const model = tf.sequential({ layers: [conv] });
    conv.setWeights([tf.tensor3d(kernel), tf.tensor1d(bias)]);

    const best = bestNgrams(model, { count: 12 });
    for (let f = 0; f < 2; f++) {
      const brute = allChoices(4, 4)
        .map(ids => ({ ids, score: bias[f] + ids.reduce((s, c, t) => s + kernel[t][c][f], 0) }))
        .sort((a, b) => b.score - a.score);
      expect(best[f].map(b => b.score)).toEqual(
        brute.slice(0, 12).map(b => expect.closeTo(b.score, 6) as unknown as number)
      );
      expect(best[f][0].ids).toEqual(brute[0].ids);
      // The model's activation for the best k-mer is its score (linear activation).
      const kmer = best[f][0].symbols.join('');
      expect(kmer).toMatch(/^[ACGT]{4}$/);
      expect(featureMaps(model, kmer)[0][f]).toBeCloseTo(best[f][0].score, 5);
    }
    model.dispose();
  });

  test('after an Embedding: word n-grams scored through the embedding, and words per tap', () => {
    const rand = noise(11);
    const vocabulary = 6;
    const dims = 3;
    const table = Array.from({ length: vocabulary }, () => Array.from({ length: dims }, rand));
    const kernel = Array.from({ length: 3 }, () => Array.from({ length: dims }, () => [rand()]));
    const input = tf.input({ shape: [null], dtype: 'int32' });
    const embedding = tf.layers.embedding({ inputDim: vocabulary, outputDim: dims });
    const conv = tf.layers.conv1d({ filters: 1, kernelSize: 3, useBias: false });
    const model = tf.model({
      inputs: input,
      outputs: conv.apply(embedding.apply(input)) as tf.SymbolicTensor
    });
    embedding.setWeights([tf.tensor2d(table)]);
    conv.setWeights([tf.tensor3d(kernel)]);
    const labels = ['a', 'b', 'c', 'd', 'e', 'f'];
    const tapScore = (t: number, w: number) =>
      table[w].reduce((s, v, d) => s + v * kernel[t][d][0], 0);

    const [best] = bestNgrams(model, { count: 5, labels });
    const brute = allChoices(3, vocabulary)
      .map(ids => ({ ids, score: ids.reduce((s, w, t) => s + tapScore(t, w), 0) }))
      .sort((a, b) => b.score - a.score);
    expect(best.map(b => b.ids)).toEqual(brute.slice(0, 5).map(b => b.ids));
    expect(best[0].symbols).toEqual(brute[0].ids.map(id => labels[id]));
    expect(featureMaps(model, best[0].ids)[0][0]).toBeCloseTo(best[0].score, 5);

    const [taps] = tapWords(model, { count: 2, labels });
    expect(taps).toHaveLength(3);
    for (const { tap, words } of taps) {
      const order = labels
        .map((word, id) => ({ word, score: tapScore(tap, id) }))
        .sort((a, b) => b.score - a.score);
      expect(words.map(w => w.word)).toEqual(order.slice(0, 2).map(o => o.word));
    }
    model.dispose();
  });

  test('a deeper layer, a one-hot model for tapWords and a bad count are refused', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv1d({ inputShape: [null, 4], filters: 2, kernelSize: 3, name: 'c1' }),
        tf.layers.conv1d({ filters: 2, kernelSize: 3, name: 'c2' })
      ]
    });
    expect(() => bestNgrams(model, { layer: 'c2' })).toThrow(
      /reads "c1" \(Conv1D\), not the model's input/
    );
    expect(() => tapWords(model)).toThrow(/for models that start with an Embedding/);
    expect(() => bestNgrams(model, { count: 0 })).toThrow(/count is 0/);
    expect(() => bestNgrams(model, { alphabet: 'ACG' })).toThrow(/has 3 symbols/);
    model.dispose();
  });
});
