/**
 * In-silico mutagenesis that recomputes only what a substitution changes (the idea of
 * fastISM, Nair et al. 2022). A substitution at one position changes a Conv1D or pooling
 * layer's output only where its window reads that position, so through the model's local
 * first layers (convolutions, valid pooling, position-wise layers) each variant is computed
 * on the few positions it changes, beside the reference sequence's activations; where the
 * model stops being local (Flatten, global pooling, the head) the changed positions are
 * written into the reference activations and the rest of the model runs as usual.
 *
 * A Basset-size model's second convolution, most of its cost, then runs on 17 of its 184
 * positions per variant. The plan is checked against the plain forward pass on a few
 * variants before it is used (`Attribution` falls back to the plain one otherwise).
 */
import * as tf from '@tensorflow/tfjs';
import type { PreparedTarget } from './attributionTarget';
import { runLayer } from './conv';
import { POSITIONWISE, windowOutput } from './geometry';
import { applyActivation, conv1dWeights, describeConv1D, isConv1D } from './layers';

/**
 * Layers that act on each position alone (in inference), so they keep what changed where
 * it is: the geometry's position-wise layers but an Embedding (it reads ids), Masking (it
 * changes what later layers do) and PReLU (its slopes may differ per position).
 */
const LOCAL_POSITIONWISE = new Set(
  [...POSITIONWISE].filter(kind => !['Embedding', 'Masking', 'PReLU'].includes(kind))
);

/** A sliding window along the sequence, as TensorFlow pads it. */
interface Window {
  extent: number;
  strides: number;
  padLeft: number;
  outputLength: number;
}

/** One local layer: how it runs on a slice of its (padded) input. */
interface LocalStep {
  layer: tf.layers.Layer;
  /** Null for a position-wise layer. */
  window: Window | null;
  /** The reference sequence's input of the layer, padded as the layer pads it: `[rows, channels]`. */
  paddedInput: tf.Tensor2D | null;
  /** Runs the layer on `[batch, slice, channels]`, windows starting at the slice's first row. */
  run(slice: tf.Tensor3D): tf.Tensor3D;
}

/** The window a Conv1D or valid pooling layer slides, or undefined for any other layer. */
function windowOf(layer: tf.layers.Layer, inputLength: number): Window | undefined {
  const config = layer.getConfig();
  const kind = layer.getClassName();
  let w: { kernelSize: number; strides: number; dilationRate: number; padding: string };
  if (isConv1D(layer)) {
    w = describeConv1D(layer);
  } else if (
    (kind === 'MaxPooling1D' || kind === 'AveragePooling1D') &&
    config.padding === 'valid'
  ) {
    const pool = Number(Array.isArray(config.poolSize) ? config.poolSize[0] : config.poolSize);
    const strides = config.strides ?? pool;
    w = {
      kernelSize: pool,
      strides: Number(Array.isArray(strides) ? strides[0] : strides),
      dilationRate: 1,
      padding: 'valid'
    };
  } else {
    return undefined;
  }
  const { length, padLeft } = windowOutput(inputLength, w);
  return {
    extent: (w.kernelSize - 1) * w.dilationRate + 1,
    strides: w.strides,
    padLeft,
    outputLength: length
  };
}

/** A Conv1D layer on an already padded slice: a valid convolution, bias, activation. */
function validConv(layer: tf.layers.Layer): (slice: tf.Tensor3D) => tf.Tensor3D {
  const info = describeConv1D(layer);
  const { kernel, bias } = conv1dWeights(layer);
  return slice => {
    let y: tf.Tensor = tf.conv1d(
      slice,
      kernel as tf.Tensor3D,
      info.strides,
      'valid',
      'NWC',
      info.dilationRate
    );
    if (bias) {
      y = tf.add(y, bias);
    }
    return applyActivation(layer, y) as tf.Tensor3D;
  };
}

/** Mutagenesis through a model's local first layers, one batch of variants at a time. */
export class LocalMutagenesis {
  /** Values of the last local layer's output: what each variant carries into the rest. */
  get size(): number {
    return this.reference.size;
  }

  private constructor(
    private readonly prepared: PreparedTarget,
    private readonly steps: LocalStep[],
    /** The reference sequence's output of the last local layer, `[positions, channels]`. */
    private readonly reference: tf.Tensor2D
  ) {}

  /**
   * Plans local mutagenesis for a target, or says it does not apply: the path must be a
   * chain (each layer reads the one before) whose first layers include a window.
   *
   * @param prepared - the target (its path and `evaluateFrom`)
   * @param x - the reference sequence's variable, `[1, length, width]`
   * @returns the plan, or null
   */
  static plan(prepared: PreparedTarget, x: tf.Tensor3D): LocalMutagenesis | null {
    const { path } = prepared;
    const chain = path.every(
      (step, i) =>
        step.inputs.length === 1 && (i === 0 || step.inputs[0].name === path[i - 1].layer.name)
    );
    if (!chain) {
      return null;
    }
    // The last layer of an output target may be run without its activation (a logit):
    // it stays with the rest of the model.
    const last = prepared.target.kind === 'output' ? path.length - 1 : path.length;
    const steps: LocalStep[] = [];
    let input: tf.Tensor = tf.clone(x);
    try {
      for (const { layer } of path.slice(0, last)) {
        const length = input.shape[1]!;
        const window = windowOf(layer, length);
        if (window === undefined && !LOCAL_POSITIONWISE.has(layer.getClassName())) {
          break;
        }
        let paddedInput: tf.Tensor2D | null = null;
        if (window) {
          const padded = (window.outputLength - 1) * window.strides + window.extent;
          const padRight = Math.max(0, padded - window.padLeft - length);
          const from = input;
          paddedInput = tf.tidy(() =>
            tf.pad(from.reshape([length, -1]) as tf.Tensor2D, [
              [window.padLeft, padRight],
              [0, 0]
            ])
          );
        }
        const run = isConv1D(layer)
          ? validConv(layer)
          : (slice: tf.Tensor3D) => layer.apply(slice, { training: false }) as tf.Tensor3D;
        steps.push({ layer, window: window ?? null, paddedInput, run });
        const from = input;
        const output = tf.tidy(() => runLayer(layer, from, 'forward') as tf.Tensor);
        input.dispose();
        input = output;
      }
    } catch (e) {
      tf.dispose([input, ...steps.flatMap(s => (s.paddedInput ? [s.paddedInput] : []))]);
      throw e;
    }
    if (!steps.some(s => s.window)) {
      tf.dispose([input, ...steps.flatMap(s => (s.paddedInput ? [s.paddedInput] : []))]);
      return null;
    }
    const reference = tf.tidy(() => input.reshape([input.shape[1]!, -1]) as tf.Tensor2D);
    input.dispose();
    return new LocalMutagenesis(prepared, steps, reference);
  }

  /**
   * The target for variants of the reference sequence, each with one position replaced.
   *
   * @param positions - the position each variant changes
   * @param values - the variable's new values there, `[variant × width]`
   * @returns the target per variant (a tensor the caller disposes)
   */
  evaluate(positions: readonly number[], values: Float32Array): tf.Tensor1D {
    return tf.tidy(() => {
      const batch = positions.length;
      let starts = [...positions];
      let span = 1;
      let changed = tf.tensor3d(values, [batch, 1, values.length / batch]);
      for (const step of this.steps) {
        if (!step.window) {
          changed = step.run(changed);
          continue;
        }
        const { extent, strides, padLeft, outputLength } = step.window;
        // The outputs whose windows read a changed position, as one span for every variant
        // (recomputing an unchanged output just gives the reference's value again).
        const first = starts.map(a => Math.max(0, Math.ceil((a + padLeft - extent + 1) / strides)));
        const lastOut = starts.map(a =>
          Math.min(outputLength - 1, Math.floor((a + span - 1 + padLeft) / strides))
        );
        const widest = Math.max(1, ...lastOut.map((l, b) => l - first[b] + 1));
        const outSpan = Math.min(outputLength, widest);
        const outStarts = first.map(f => Math.min(f, outputLength - outSpan));
        const slice = (outSpan - 1) * strides + extent;
        const rows = step.paddedInput!.shape[0];
        const index = new Int32Array(batch * slice);
        for (let b = 0; b < batch; b++) {
          for (let t = 0; t < slice; t++) {
            const q = outStarts[b] * strides + t;
            const i = q - padLeft - starts[b];
            index[b * slice + t] = i >= 0 && i < span ? rows + b * span + i : q;
          }
        }
        const source = tf.concat([step.paddedInput!, changed.reshape([batch * span, -1])]);
        const input = tf.gather(source, tf.tensor1d(index, 'int32')).reshape([batch, slice, -1]);
        changed = step.run(input as tf.Tensor3D);
        starts = outStarts;
        span = outSpan;
      }
      // The changed positions written into the reference activations.
      const positionsOut = this.reference.shape[0];
      const index = new Int32Array(batch * positionsOut);
      for (let b = 0; b < batch; b++) {
        for (let o = 0; o < positionsOut; o++) {
          const i = o - starts[b];
          index[b * positionsOut + o] = i >= 0 && i < span ? positionsOut + b * span + i : o;
        }
      }
      const source = tf.concat([this.reference, changed.reshape([batch * span, -1])]);
      const full = tf
        .gather(source, tf.tensor1d(index, 'int32'))
        .reshape([batch, positionsOut, -1]);
      return this.prepared.evaluateFrom(this.steps.length, full);
    });
  }

  /** Frees the reference activations. */
  dispose(): void {
    tf.dispose([
      this.reference,
      ...this.steps.flatMap(s => (s.paddedInput ? [s.paddedInput] : []))
    ]);
  }
}
