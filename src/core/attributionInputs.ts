/**
 * What an attribution differentiates and perturbs: the sequence as a tensor (the input, or
 * its embedding vectors), integrated gradients' baselines, occlusion values, and the check
 * that the options apply to the input.
 */
import * as tf from '@tensorflow/tfjs';
import type { SequencePayload } from '../protocol';
import { checkBaselineValues, type AttributionSettings } from './attributionOptions';
import { ExplorerError } from './errors';
import { sequenceTensor } from './input';
import { optimizedVariable } from './maximizationOptions';
import { seededRandom, shufflePairs } from './random';

/** The variable the gradients are taken with respect to. */
export interface Variable {
  kind: SequencePayload['kind'];
  /** `[1, length, width]`: the input, or its embedding vectors. */
  x: tf.Tensor3D;
  /** The layer whose output `x` replaces. */
  startName: string;
  width: number;
  /** The Embedding's table, for token inputs. */
  table: tf.Tensor2D | null;
  /** The observed symbol (one-hot) or token id per position; null for numeric inputs. */
  symbols: number[] | null;
}

/**
 * Refuses options that do not apply to the method or the input.
 *
 * @param settings - the checked options
 * @param kind - the input's kind
 * @throws ExplorerError naming the option
 */
export function checkApplies(
  settings: Omit<AttributionSettings, 'target'>,
  kind: SequencePayload['kind']
): void {
  const { method, hypothetical, baseline } = settings;
  if (
    hypothetical &&
    !(kind === 'onehot' && (method === 'gradientTimesInput' || method === 'ism'))
  ) {
    throw new ExplorerError(
      'hypothetical applies to one-hot inputs, with method "gradientTimesInput" or "ism" ' +
        `(every symbol's score); got method ${JSON.stringify(method)} on a ${kind} input.`
    );
  }
  if (method === 'integratedGradients' && kind === 'numeric' && typeof baseline === 'string') {
    if (baseline !== 'zeros') {
      throw new ExplorerError(
        `baseline ${JSON.stringify(baseline)} needs symbols (a one-hot or token input); a ` +
          "numeric input takes 'zeros' or values of its shape ([position][channel])."
      );
    }
  }
  if (
    method === 'integratedGradients' &&
    typeof baseline === 'string' &&
    !['zeros', 'uniform', 'shuffle'].includes(baseline)
  ) {
    throw new ExplorerError(
      `baseline ${JSON.stringify(baseline)} is unknown; expected 'zeros', 'uniform', 'shuffle' ` +
        'or values of the input’s shape ([position][channel]).'
    );
  }
}

/**
 * The sequence as the variable of the gradients: its input tensor or its embedding vectors.
 *
 * @param model - the model
 * @param sequence - the sequence
 * @returns the variable (the caller disposes `x`)
 * @throws ExplorerError for token ids whose Embedding is not the first layer
 */
export function prepareVariable(model: tf.LayersModel, sequence: SequencePayload): Variable {
  const start = optimizedVariable(model);
  const input = sequenceTensor(sequence);
  const kind = sequence.kind;
  if (kind === 'tokens') {
    if (!start.embeddingLayer) {
      input.dispose();
      const embedding = model.layers.find(l => l.getClassName() === 'Embedding');
      throw new ExplorerError(
        `Layer ${JSON.stringify(embedding?.name)} (Embedding) is not the model's first layer: ` +
          'attributions of token ids need the Embedding first, to take the gradients (or ' +
          'occlude tokens) at its output.'
      );
    }
    const table = start.embeddingLayer.getWeights()[0] as tf.Tensor2D;
    const x = tf.tidy(() => tf.gather(table, input.reshape([-1]) as tf.Tensor1D).expandDims(0));
    input.dispose();
    return {
      kind,
      x: x as tf.Tensor3D,
      startName: start.name,
      width: start.width,
      table,
      symbols: [...sequence.ids]
    };
  }
  return {
    kind,
    x: input as tf.Tensor3D,
    startName: start.name,
    width: start.width,
    table: null,
    symbols:
      kind === 'onehot' ? [...sequence.sequence].map(ch => sequence.alphabet.indexOf(ch)) : null
  };
}

/**
 * What replaces a token or a numeric channel in an occlusion: `occlusion` as a vector.
 *
 * @param variable - the sequence as the variable
 * @param occlusion - a token id or value, or `'mean'`
 * @returns one value per channel (null for one-hot inputs, which substitute symbols)
 * @throws ExplorerError for a token id outside the vocabulary
 */
export function occlusionVector(
  variable: Variable,
  occlusion: number | 'mean'
): Float32Array | null {
  const { kind, table, width, x } = variable;
  if (kind === 'onehot') {
    return null;
  }
  if (kind === 'numeric') {
    if (occlusion !== 'mean') {
      return new Float32Array(width).fill(occlusion);
    }
    return tf.tidy(() => tf.mean(x, 1).dataSync() as Float32Array).slice();
  }
  const vocabulary = table!.shape[0];
  if (
    occlusion !== 'mean' &&
    !(Number.isInteger(occlusion) && occlusion < vocabulary && occlusion >= 0)
  ) {
    throw new ExplorerError(
      `occlusion ${occlusion} is not a token id of the Embedding's vocabulary: expected 'mean' ` +
        `or an integer from 0 to ${vocabulary - 1}.`
    );
  }
  const vector = tf.tidy(() =>
    occlusion === 'mean' ? tf.mean(table!, 0) : tf.gather(table!, occlusion).reshape([-1])
  );
  const values = (vector.dataSync() as Float32Array).slice();
  vector.dispose();
  return values;
}

/**
 * Integrated gradients' baseline for a sequence.
 *
 * @param variable - the sequence as the variable
 * @param settings - the baseline and the shuffle's seed
 * @returns `[1, length, width]`
 * @throws ExplorerError for values of the wrong shape or not finite
 */
export function baselineTensor(
  variable: Variable,
  settings: Pick<AttributionSettings, 'baseline' | 'seed'>
): tf.Tensor3D {
  const { baseline, seed } = settings;
  const { kind, width, table, symbols } = variable;
  const length = variable.x.shape[1];
  const shape: [number, number, number] = [1, length, width];
  if (baseline === 'zeros') {
    return tf.zeros(shape);
  }
  if (baseline === 'uniform') {
    return tf.tidy(() =>
      kind === 'tokens'
        ? (tf.tile(tf.mean(table!, 0).reshape([1, 1, width]), [1, length, 1]) as tf.Tensor3D)
        : tf.fill(shape, 1 / width)
    );
  }
  if (baseline === 'shuffle') {
    const shuffled = shufflePairs(symbols!, seededRandom(seed));
    return tf.tidy(() =>
      kind === 'tokens'
        ? (tf.gather(table!, shuffled).expandDims(0) as tf.Tensor3D)
        : (tf.oneHot(tf.tensor1d(shuffled, 'int32'), width).toFloat().expandDims(0) as tf.Tensor3D)
    );
  }
  checkBaselineValues(
    baseline,
    length,
    width,
    kind === 'tokens' ? 'embedding dimensions' : 'channels'
  );
  return tf.tensor3d([baseline as number[][]], shape);
}
