/** How a motif scan cuts a set into batches of equally long sequences, and feeds one to tfjs. */
import * as tf from '@tensorflow/tfjs';
import type { SequenceSet } from './sequenceSet';

/** Sequence positions per batch: big enough to keep tfjs busy, small enough for memory. */
const BATCH_POSITIONS = 20_000;

/**
 * Batches of sequence indices of one length each, shortest first.
 *
 * @param lengths - each sequence's length
 * @returns the batches, each at most `BATCH_POSITIONS` positions (or one sequence)
 */
export function planBatches(lengths: readonly number[]): number[][] {
  const byLength = new Map<number, number[]>();
  lengths.forEach((length, i) => {
    const group = byLength.get(length);
    if (group) {
      group.push(i);
    } else {
      byLength.set(length, [i]);
    }
  });
  const batches: number[][] = [];
  for (const [length, indices] of [...byLength].sort((a, b) => a[0] - b[0])) {
    const size = Math.max(1, Math.floor(BATCH_POSITIONS / length));
    for (let i = 0; i < indices.length; i += size) {
      batches.push(indices.slice(i, i + size));
    }
  }
  return batches;
}

/**
 * A batch of equally long sequences as the model's input.
 *
 * @param set - the set
 * @param batch - the sequences' indices
 * @param length - their length
 * @returns one-hot rows (zeros for a symbol outside the alphabet), token ids or numbers
 */
export function batchTensor(set: SequenceSet, batch: readonly number[], length: number): tf.Tensor {
  switch (set.kind) {
    case 'onehot': {
      const indices = new Int32Array(batch.length * length);
      batch.forEach((s, b) => indices.set(set.data[s], b * length));
      // A symbol outside the alphabet (-1) becomes a row of zeros.
      return tf
        .oneHot(tf.tensor1d(indices, 'int32'), set.width)
        .toFloat()
        .reshape([batch.length, length, set.width]);
    }
    case 'tokens': {
      const ids = new Int32Array(batch.length * length);
      batch.forEach((s, b) => ids.set(set.data[s], b * length));
      return tf.tensor2d(ids, [batch.length, length], 'int32');
    }
    case 'numeric': {
      const values = new Float32Array(batch.length * length * set.width);
      batch.forEach((s, b) => values.set(set.data[s], b * length * set.width));
      return tf.tensor3d(values, [batch.length, length, set.width]);
    }
  }
}
