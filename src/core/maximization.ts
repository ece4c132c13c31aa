/**
 * One activation maximization run: gradient ascent on a model's input (or, for models that
 * start with an Embedding, on the embedding output) to maximize Conv1D filters, with L2
 * regularization and Keras' Adam. Many filters run as one batch, one row per filter, and a
 * row computes only its own filter's channel of the target layer. It runs a few steps at a
 * time, so a host can report progress and cancel between them. The file is one class, a
 * little over 400 lines: its state, forward pass and Adam step belong together.
 */
import * as tf from '@tensorflow/tfjs';
import { padForWindow, rowwiseConv1D, runLayer } from './conv';
import { listNames } from './errors';
import { windowOutput } from './geometry';
import { inboundOf, readInputs, type InboundTensor, type LayerOutputs } from './graph';
import {
  applyActivation,
  conv1dWeights,
  describeConv1D,
  findConv1D,
  type Conv1DLayerInfo
} from './layers';
import {
  ADAM,
  checkInit,
  checkMaximizable,
  gradientPath,
  optimizedVariable,
  resolveFilters,
  resolveHyperparameters,
  resolveLength,
  resolvePosition,
  resolveSoftmax,
  type Hyperparameters,
  type MaximizeOptions,
  type PathLayer
} from './maximizationOptions';

/** The state of a run for all its rows, in flat arrays (cheap to send between threads). */
export interface MaximizationState {
  filters: number[];
  /** Steps taken. */
  step: number;
  iterations: number;
  /** Input positions and channels per row. */
  length: number;
  width: number;
  /** `input[(row * length + position) * width + channel]`. */
  input: Float32Array;
  /** The objective per row at `input`. */
  activations: Float32Array;
  /** `losses[row][step]`. */
  losses: number[][];
  everActive: boolean[];
  /** Why the run stopped early, or null. */
  stopped: string | null;
}

/** How a layer on the path to the target reads its inputs. */

/**
 * One run of activation maximization over one or more filters of a Conv1D layer. Create
 * it, call `run` (all at once or a few steps at a time, e.g. between progress reports),
 * read `state()`, then `dispose()`. The model must outlive it.
 */
export class Maximization {
  /** The target layer. */
  readonly layer: Conv1DLayerInfo;
  /** The filter each batch row maximizes. */
  readonly filters: number[];
  readonly hyperparameters: Hyperparameters;
  /** The output position maximized, or null for the mean over positions. */
  readonly position: number | null;
  readonly softmax: boolean;
  /** What is optimized: the model input or the output of its first-layer Embedding. */
  readonly variable: 'input' | 'embedding';
  /** Input positions and channels of the optimized variable. */
  readonly length: number;
  readonly width: number;
  /** Output positions of the target layer. */
  readonly outputLength: number;

  private readonly targetLayer: tf.layers.Layer;
  private readonly startName: string;
  private readonly path: PathLayer[];
  private readonly targetInputs: InboundTensor[];
  private readonly embeddingLayer: tf.layers.Layer | null;
  /** `[rows, kernelSize, inChannels]`: each row's own filter. */
  private readonly rowKernel: tf.Tensor3D;
  /** `[rows, 1]`: each row's own bias (zeros without bias). */
  private readonly rowBias: tf.Tensor2D;
  private z: tf.Tensor3D;
  private m: tf.Tensor3D;
  private v: tf.Tensor3D;
  private steps = 0;
  private readonly losses: number[][];
  private readonly everActive: boolean[];
  private stopReason: string | null = null;
  private disposed = false;

  /**
   * Checks every option and prepares the run (no step is taken yet).
   *
   * @param model - a tfjs LayersModel with one input
   * @param options - layer, filters, hyperparameters, start and objective
   * @throws ExplorerError saying which option is wrong and what is expected
   */
  constructor(model: tf.LayersModel, options: MaximizeOptions = {}) {
    this.targetLayer = findConv1D(model, options.layer);
    this.layer = describeConv1D(this.targetLayer);
    checkMaximizable(this.layer);
    this.filters = resolveFilters(options, this.layer.name, this.layer.filters);
    this.hyperparameters = resolveHyperparameters(options);

    const start = optimizedVariable(model);
    this.embeddingLayer = start.embeddingLayer;
    this.variable = start.embeddingLayer ? 'embedding' : 'input';
    this.startName = start.name;
    this.width = start.width;
    this.path = gradientPath(model, this.targetLayer, this.startName);
    this.targetInputs = inboundOf(this.targetLayer);

    this.length = resolveLength(options, model.inputs[0].shape[1] ?? null);
    checkInit(options.init, this.length, this.width, this.variable);
    this.softmax = resolveSoftmax(options, this.variable);
    this.outputLength = tf.tidy(() => {
      const probe = this.targetInput(tf.zeros([1, this.length, this.width]));
      return windowOutput(probe.shape[1]!, this.layer).length;
    });
    this.position = resolvePosition(options, this.layer.name, this.length, this.outputLength);

    const rows = rowWeights(this.targetLayer, this.filters);
    this.rowKernel = rows.kernel;
    this.rowBias = rows.bias;
    this.z = this.start(options, this.filters.length);
    this.m = tf.zerosLike(this.z);
    this.v = tf.zerosLike(this.z);
    this.losses = this.filters.map(() => []);
    this.everActive = this.filters.map(() => false);
  }

  /** Steps taken so far. */
  get step(): number {
    return this.steps;
  }

  /** True once every iteration ran, or the run stopped early. */
  get done(): boolean {
    return this.steps >= this.hyperparameters.iterations || this.stopReason !== null;
  }

  /** Why the run stopped before its last iteration, or null. */
  get stopped(): string | null {
    return this.stopReason;
  }

  /**
   * Takes Adam steps until the run is done or `maxSteps` were taken.
   *
   * @param maxSteps - the most steps to take now
   * @returns the steps taken
   */
  run(maxSteps = Infinity): number {
    let taken = 0;
    while (!this.done && taken < maxSteps) {
      this.adamStep();
      taken++;
    }
    return taken;
  }

  /**
   * Reads the current input and objective of every row.
   *
   * @returns copies, safe to keep after `dispose`
   */
  state(): MaximizationState {
    const [input, activations] = tf.tidy(() => {
      const x = this.visible(this.z);
      const { objective } = this.objective(x);
      // A clone, so disposing the copy we read never frees the variable itself.
      return [tf.clone(x), objective];
    });
    // slice(): on the cpu backend dataSync() hands out the tensor's own storage.
    const objective = (activations.dataSync() as Float32Array).slice();
    const result: MaximizationState = {
      filters: [...this.filters],
      step: this.steps,
      iterations: this.hyperparameters.iterations,
      length: this.length,
      width: this.width,
      input: (input.dataSync() as Float32Array).slice(),
      activations: objective,
      losses: this.losses.map(l => [...l]),
      everActive: this.everActive.map((active, row) => active || objective[row] !== 0),
      stopped: this.stopReason
    };
    tf.dispose([input, activations]);
    return result;
  }

  /**
   * The vocabulary tokens closest (cosine similarity) to each position of each row's
   * optimized embedding vectors; null unless the model starts with an Embedding.
   *
   * @param count - tokens per position
   * @returns `ids[(row * length + position) * count + k]` and their similarities
   */
  nearestTokens(count = 3): { ids: Int32Array; similarities: Float32Array; count: number } | null {
    if (!this.embeddingLayer) {
      return null;
    }
    const table = this.embeddingLayer.getWeights()[0];
    const k = Math.min(count, table.shape[0]);
    const { values, indices } = tf.tidy(() => {
      const unit = (t: tf.Tensor2D): tf.Tensor2D =>
        tf.div(t, tf.add(tf.norm(t, 'euclidean', 1, true), 1e-12));
      const vectors = unit(this.z.reshape([-1, this.width]) as tf.Tensor2D);
      const similarity = tf.matMul(vectors, unit(table as tf.Tensor2D), false, true);
      return tf.topk(similarity, k);
    });
    const result = {
      ids: (indices.dataSync() as Int32Array).slice(),
      similarities: (values.dataSync() as Float32Array).slice(),
      count: k
    };
    tf.dispose([values, indices]);
    return result;
  }

  /** Frees the run's tensors (not the model's). */
  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      tf.dispose([this.z, this.m, this.v, this.rowKernel, this.rowBias]);
    }
  }

  /** The starting variable: `init` (as logits with softmax), or seeded standard normal. */
  private start(options: MaximizeOptions, rows: number): tf.Tensor3D {
    return tf.tidy(() => {
      const shape: [number, number, number] = [1, this.length, this.width];
      let one: tf.Tensor3D;
      if (options.init) {
        one = tf.tensor3d([options.init as number[][]], shape);
        if (this.softmax) {
          // Smoothed, so a one-hot start is a confident but movable guess.
          one = tf.log(
            tf.add(tf.mul(tf.clipByValue(one, 0, 1), 0.8), 0.2 / this.width)
          ) as tf.Tensor3D;
        }
      } else {
        // tfjs takes a seed of 0 as "no seed" (a fresh random draw): shift ours by one.
        one = tf.randomNormal(shape, 0, 1, 'float32', (options.seed ?? 0) + 1);
      }
      return tf.tile(one, [rows, 1, 1]);
    });
  }

  /** The input the model sees: the variable itself, or its softmax per position. */
  private visible(z: tf.Tensor): tf.Tensor3D {
    return (this.softmax ? tf.softmax(z, -1) : z) as tf.Tensor3D;
  }

  /** Runs the path from the variable to the target layer's input. */
  private targetInput(x: tf.Tensor): tf.Tensor {
    const outputs: LayerOutputs = new Map([[this.startName, x]]);
    for (const { layer, inputs } of this.path) {
      outputs.set(layer.name, runLayer(layer, readInputs(outputs, inputs), 'differentiable'));
    }
    return readInputs(outputs, this.targetInputs) as tf.Tensor;
  }

  /**
   * Each row's own filter of the target layer: `[rows, outputLength]` before and after the
   * activation. Row r never computes the other filters' channels: the rows' channels side
   * by side are one depthwise convolution, each with its own row's kernel (see
   * `rowwiseConv1D`), then summed per row.
   */
  private targetFilters(x: tf.Tensor): { pre: tf.Tensor2D; act: tf.Tensor2D } {
    const { padded, outputLength } = padForWindow(this.targetInput(x), this.layer);
    let window = padded;
    let positions = outputLength;
    if (this.position !== null) {
      // One output position reads one window of the input: convolve only that window
      // (for a Basset-size first layer, 19 of 600 positions).
      const { kernelSize, dilationRate, strides } = this.layer;
      const extent = (kernelSize - 1) * dilationRate + 1;
      const [rows, , channels] = padded.shape;
      window = tf.slice(padded, [0, this.position * strides, 0], [rows, extent, channels]);
      positions = 1;
    }
    const pre = tf.add(
      rowwiseConv1D(window, this.rowKernel, this.layer, positions),
      this.rowBias
    ) as tf.Tensor2D;
    const act = applyActivation(this.targetLayer, pre) as tf.Tensor2D;
    return { pre, act };
  }

  /**
   * The objective per row, before and after the activation: the mean over positions, or
   * the one position `targetFilters` computed.
   */
  private objective(x: tf.Tensor): { objective: tf.Tensor1D; preObjective: tf.Tensor1D } {
    const { pre, act } = this.targetFilters(x);
    const reduce = (t: tf.Tensor2D): tf.Tensor1D =>
      this.position === null ? tf.mean(t, 1) : t.reshape([t.shape[0]]);
    return { objective: reduce(act), preObjective: reduce(pre) };
  }

  /**
   * The loss of every row and its gradient with respect to the variable, at the current
   * variable; a diagnostic (tests compare it with finite differences).
   *
   * @returns `losses[row]` and `gradient`, laid out like `MaximizationState.input`
   */
  lossAndGradient(): { losses: Float32Array; gradient: Float32Array } {
    const rows = this.filters.length;
    const { value, grad } = this.valueAndGradient();
    const { l2 } = this.hyperparameters;
    const parts = value.dataSync();
    const losses = Float32Array.from(
      { length: rows },
      (_, row) => l2 * parts[2 * rows + row] - parts[rows + row]
    );
    const gradient = grad.dataSync() as Float32Array;
    tf.dispose([value, grad]);
    return { losses, gradient };
  }

  /**
   * `[driving loss per row, objective per row, sum(z²) per row]` and the gradient of the
   * driving losses. tfjs differentiates a single output, so the parts we report travel
   * with the loss and `dy` weights only the loss.
   */
  private valueAndGradient(): { value: tf.Tensor; grad: tf.Tensor } {
    const rows = this.filters.length;
    const { l2 } = this.hyperparameters;
    return tf.tidy(() => {
      const parts = (z: tf.Tensor): tf.Tensor => {
        const { objective, preObjective } = this.objective(this.visible(z));
        const penalty = tf.sum(tf.square(z), [1, 2]);
        // A ReLU filter that is off everywhere has a zero gradient and would never move:
        // such a row climbs its pre-activation until the filter turns on.
        // (A mask from sign(|·|), whose gradient is zero: tfjs cannot differentiate a comparison.)
        const on = tf.sign(tf.abs(objective));
        const driven = tf.add(tf.mul(on, objective), tf.mul(tf.sub(1, on), preObjective));
        return tf.concat([tf.sub(tf.mul(penalty, l2), driven), objective, penalty]);
      };
      const dy = tf.concat([tf.ones([rows]), tf.zeros([2 * rows])]);
      return tf.valueAndGrad(parts)(this.z, dy);
    });
  }

  /** One step of Keras' Adam on every row; commits nothing that is not finite. */
  private adamStep(): void {
    const t = this.steps + 1;
    const { beta1, beta2, epsilon } = ADAM;
    const { learningRate, l2 } = this.hyperparameters;
    const alpha = (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    const rows = this.filters.length;
    const next = tf.tidy(() => {
      const { value, grad: g } = this.valueAndGradient();
      const m = tf.add(this.m, tf.mul(tf.sub(g, this.m), 1 - beta1));
      const v = tf.add(this.v, tf.mul(tf.sub(tf.square(g), this.v), 1 - beta2));
      const z = tf.sub(this.z, tf.div(tf.mul(m, alpha), tf.add(tf.sqrt(v), epsilon)));
      // 0·z is NaN exactly where z is not finite.
      const finite = tf.sum(tf.mul(z, 0), [1, 2]);
      return { value: tf.concat([value, finite]), z, m, v };
    });
    const values = next.value.dataSync();
    next.value.dispose();
    const bad: number[] = [];
    const losses: number[] = [];
    for (let row = 0; row < rows; row++) {
      losses.push(l2 * values[2 * rows + row] - values[rows + row]);
      if (!Number.isFinite(losses[row]) || !Number.isFinite(values[3 * rows + row])) {
        bad.push(this.filters[row]);
      }
    }
    // The step counts for every row or for none: rows keep equally many losses.
    if (bad.length === 0) {
      losses.forEach((loss, row) => {
        this.losses[row].push(loss);
        this.everActive[row] ||= values[rows + row] !== 0;
      });
    } else {
      tf.dispose([next.z, next.m, next.v]);
      this.stopReason =
        `The loss of filter${bad.length > 1 ? 's' : ''} ${listNames(bad.map(String))} became ` +
        `NaN or infinite at step ${t}; the run stopped and shows the last finite input (step ${t - 1}).`;
      return;
    }
    tf.dispose([this.z, this.m, this.v]);
    this.z = next.z as tf.Tensor3D;
    this.m = next.m as tf.Tensor3D;
    this.v = next.v as tf.Tensor3D;
    this.steps = t;
  }
}

/** Each row's own filter and bias of the target layer: `[rows, k, channels]`, `[rows, 1]`. */
function rowWeights(
  layer: tf.layers.Layer,
  filters: readonly number[]
): { kernel: tf.Tensor3D; bias: tf.Tensor2D } {
  const { kernel, bias } = conv1dWeights(layer);
  return tf.tidy(() => {
    const index = tf.tensor1d(filters as number[], 'int32');
    return {
      kernel: tf.gather(kernel.transpose([2, 0, 1]), index) as tf.Tensor3D,
      bias: (bias
        ? tf.gather(bias, index).reshape([filters.length, 1])
        : tf.zeros([filters.length, 1])) as tf.Tensor2D
    };
  });
}
