/**
 * Activation maximization: gradient ascent on a model's input (or, for models that start
 * with an Embedding, on the embedding output) to maximize one Conv1D filter, with L2
 * regularization and Keras' Adam. Many filters run as one batch, one row per filter, and a
 * row computes only its own filter's channel of the target layer.
 */
import * as tf from '@tensorflow/tfjs';
import { ExplorerError, listNames } from './errors';
import { windowOutput } from './geometry';
import { rowColumns } from './pwm';
import {
  conv1dWeights,
  describeConv1D,
  findConv1D,
  isConv1D,
  type Conv1DLayerInfo
} from './layers';

/** Adam's constants: the defaults of TensorFlow/Keras (not of `tf.train.adam`'s epsilon). */
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

/** The most iterations one run may take: a typo must not lock a browser tab for an hour. */
export const MAX_ITERATIONS = 10_000;

/** The knobs of one maximization run. */
export interface Hyperparameters {
  /** Adam steps. */
  iterations: number;
  /** Adam's learning rate. */
  learningRate: number;
  /** Weight of the `sum(x²)` penalty. */
  l2: number;
}

/**
 * The defaults: on the example models the loss of (almost) every filter has settled by the
 * last tenth of the steps under both objectives (`npm run bench` measures it; see the
 * README). The L2 weight serves both: the one-position objective pulls on the inputs
 * `length` times harder than the mean, so a weaker penalty lets it run away.
 */
export const MAXIMIZATION_DEFAULTS: Readonly<Hyperparameters> = {
  iterations: 300,
  learningRate: 0.1,
  l2: 0.03
};

/**
 * The values found in most tutorials. Offered as a preset, not the default: at this
 * learning rate the loss oscillates and is still falling after 50 steps.
 */
export const TUTORIAL_PRESET: Readonly<Hyperparameters> = {
  iterations: 50,
  learningRate: 1,
  l2: 0.01
};

/** Options of a maximization run. */
export interface MaximizeOptions extends Partial<Hyperparameters> {
  /** The Conv1D layer; the first one when omitted. */
  layer?: string;
  /** One filter to maximize (default 0); ignored when `filters` is given. */
  filter?: number;
  /** Several filters, or `'all'` of the layer, optimized together, one batch row each. */
  filters?: readonly number[] | 'all';
  /** Seed of the standard-normal start (default 0). Every row starts from the same draw. */
  seed?: number;
  /**
   * The start, `init[position][channel]` (for Embedding models: `[position][embeddingDim]`).
   * With `softmax`, probabilities per position (e.g. a one-hot sequence).
   */
  init?: readonly (readonly number[])[];
  /** Maximize the activation at this output position instead of the mean over positions. */
  position?: number;
  /**
   * Optimize logits with a softmax per position, so the input stays a probability matrix
   * (for one-hot inputs). The L2 penalty then applies to the logits.
   */
  softmax?: boolean;
  /** Input positions, for models that accept any length and when no `init` is given. */
  length?: number;
}

/** What one filter's maximization found. */
export interface MaximizationResult {
  filter: number;
  /** The optimized input, `[position][channel]`; probabilities with `softmax`. */
  input: number[][];
  /** The loss before each step: `-objective + l2·sum(variable²)`. */
  losses: number[];
  /** The objective (mean activation, or the activation at `position`) at the final input. */
  activation: number;
  /** False when the filter's activation was zero at every step (a ReLU never turned on). */
  everActive: boolean;
  /** Why the run stopped early (a loss that became NaN), or null. */
  stopped: string | null;
  /**
   * For models that start with an Embedding: the three vocabulary ids nearest (cosine
   * similarity) to the optimized vector at each position, `[position][rank]`.
   */
  nearestTokens?: { id: number; similarity: number }[][];
}

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
interface PathLayer {
  layer: tf.layers.Layer;
  inputs: { name: string; index: number }[];
}

/** The elementwise activation object a tfjs Conv1D layer holds. */
interface WithActivation {
  activation: { apply(x: tf.Tensor): tf.Tensor };
}

function check(ok: boolean, message: string): void {
  if (!ok) {
    throw new ExplorerError(message);
  }
}

function inboundOf(layer: tf.layers.Layer): PathLayer['inputs'] {
  const node = layer.inboundNodes[0];
  return node
    ? node.inboundLayers.map((l, i) => ({ name: l.name, index: node.tensorIndices[i] }))
    : [];
}

/**
 * Pads `x` (`[batch, length, channels]`) as the window needs and says how many output
 * positions it gives; the convolution is then a valid one.
 */
function padForWindow(
  x: tf.Tensor,
  info: Conv1DLayerInfo
): { padded: tf.Tensor3D; outputLength: number } {
  const length = x.shape[1]!;
  const { length: outputLength, padLeft } = windowOutput(length, info);
  const extent = (info.kernelSize - 1) * info.dilationRate + 1;
  const padRight = Math.max((outputLength - 1) * info.strides + extent - length - padLeft, 0);
  const padded =
    padLeft > 0 || padRight > 0
      ? tf.pad(x, [
          [0, 0],
          [padLeft, padRight],
          [0, 0]
        ])
      : x;
  return { padded: padded as tf.Tensor3D, outputLength };
}

/**
 * `x[:, offset + stride·i, :]` for `i < count`, built from slices and reshapes because
 * tfjs has no gradient for strided slices.
 */
function tapSlice(x: tf.Tensor3D, offset: number, stride: number, count: number): tf.Tensor3D {
  const [batch, length, channels] = x.shape;
  if (stride === 1) {
    return tf.slice(x, [0, offset, 0], [batch, count, channels]);
  }
  const needed = offset + stride * count;
  const source =
    needed > length
      ? tf.pad(x, [
          [0, 0],
          [0, needed - length],
          [0, 0]
        ])
      : x;
  const block = tf.slice(source, [0, offset, 0], [batch, stride * count, channels]);
  return tf
    .slice(
      block.reshape([batch, count, stride, channels]),
      [0, 0, 0, 0],
      [batch, count, 1, channels]
    )
    .reshape([batch, count, channels]);
}

/**
 * A valid 1-D convolution where every batch row has its own single-output kernel:
 * `out[r][t] = sum over j, c of x[r][t·stride + j·dilation][c] · kernel[r][j][c]`.
 * The rows' channels go side by side into one depthwise convolution (cost: exactly the
 * rows' own filters, nothing else). Its input gradient is supplied here, as the depthwise
 * correlation of the (stride-spread, padded) output gradient with the flipped kernel:
 * tfjs' wasm backend has no kernel for the built-in one, and it is exact.
 *
 * @param x - `[rows, length, channels]`, already padded
 * @param kernel - `[rows, kernelSize, channels]`
 * @param window - kernel size, stride and dilation
 * @param outputLength - output positions
 * @returns `[rows, outputLength]`
 */
export function rowwiseConv1D(
  x: tf.Tensor3D,
  kernel: tf.Tensor3D,
  window: { kernelSize: number; strides: number; dilationRate: number },
  outputLength: number
): tf.Tensor2D {
  const [rows, length, channels] = x.shape;
  const { kernelSize: k, strides: s, dilationRate: d } = window;
  if (s > 1 && d > 1) {
    // tfjs' depthwise convolution takes a stride or a dilation, not both (nor does Keras,
    // but a tfjs model can hold such a layer): every position, then every s-th.
    const dense = length - (k - 1) * d;
    const all = rowwiseConv1D(x, kernel, { ...window, strides: 1 }, dense);
    return tapSlice(all.reshape([rows, dense, 1]), 0, s, outputLength).reshape([
      rows,
      outputLength
    ]);
  }
  const lanes = rows * channels;
  // [k, 1, rows·channels, 1]: lane r·channels + c holds row r's weights for channel c.
  // Built where it is used: tensors made in the forward pass are gone by the backward one.
  const laneFilter = () => kernel.transpose([1, 0, 2]).reshape([k, 1, lanes, 1]) as tf.Tensor4D;
  const conv = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const value = tf.depthwiseConv2d(
      args[0] as tf.Tensor4D,
      laneFilter(),
      [s, 1],
      'valid',
      'NHWC',
      [d, 1]
    );
    const gradFunc = (dy: tf.Tensor) => {
      // Spread dy by the stride (zeros between), pad it by the kernel's reach on both
      // sides, and correlate with the flipped kernel: the input gradient, position by position.
      const reach = (k - 1) * d;
      const spread = (outputLength - 1) * s + 1;
      let g = dy.reshape([outputLength, 1, lanes]);
      if (s > 1) {
        g = tf
          .pad(g, [
            [0, 0],
            [0, s - 1],
            [0, 0]
          ])
          .reshape([outputLength * s, lanes])
          .slice([0, 0], [spread, lanes]);
      }
      const full = tf.pad(g.reshape([spread, lanes]), [
        [reach, reach + length - spread - reach],
        [0, 0]
      ]);
      return tf.depthwiseConv2d(
        full.reshape([1, full.shape[0], 1, lanes]) as tf.Tensor4D,
        tf.reverse(laneFilter(), 0),
        [1, 1],
        'valid',
        'NHWC',
        [d, 1]
      );
    };
    return { value, gradFunc };
  });
  const lanesInput = x.transpose([1, 0, 2]).reshape([1, length, 1, lanes]);
  return tf
    .sum((conv(lanesInput) as tf.Tensor).reshape([outputLength, rows, channels]), 2)
    .transpose() as tf.Tensor2D;
}

/**
 * A Conv1D layer's forward pass built from differentiable ops. Dilated layers are summed
 * tap by tap (a matrix product per tap), which gives exact gradients where tfjs' own
 * dilated convolution has none; causal padding is left padding, as in Keras.
 */
export function differentiableConv1D(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor {
  const info = describeConv1D(layer);
  const { kernel, bias } = conv1dWeights(layer);
  const { padded, outputLength } = padForWindow(x, info);
  const [batch, , channels] = padded.shape;
  let y: tf.Tensor;
  if (info.dilationRate === 1) {
    y = tf.conv1d(padded, kernel as tf.Tensor3D, info.strides, 'valid');
  } else {
    const taps = Array.from({ length: info.kernelSize }, (_, j) =>
      tf.matMul(
        tapSlice(padded, j * info.dilationRate, info.strides, outputLength).reshape([
          batch * outputLength,
          channels
        ]),
        tf.slice(kernel, [j, 0, 0], [1, channels, info.filters]).reshape([channels, info.filters])
      )
    );
    y = tf.addN(taps).reshape([batch, outputLength, info.filters]);
  }
  if (bias) {
    y = tf.add(y, bias);
  }
  return (layer as unknown as WithActivation).activation.apply(y);
}

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
  private readonly targetInputs: PathLayer['inputs'];
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
    const { name, filters: filterCount } = this.layer;
    this.filters = resolveFilters(options, name, filterCount);
    this.hyperparameters = resolveHyperparameters(options);
    check(
      this.layer.activation !== 'softmax',
      `Layer ${JSON.stringify(name)} ends in a softmax over filters; maximizing one filter's ` +
        'activation is not defined for it.'
    );

    check(
      model.inputs.length === 1,
      `Activation maximization needs a model with one input; this one has ${model.inputs.length}.`
    );
    // A Sequential model does not list its InputLayer; the input tensor knows it.
    const inputLayer = model.inputs[0].sourceLayer;
    const first = model.layers.find(l => inboundOf(l).some(i => i.name === inputLayer.name));
    this.embeddingLayer = first && first.getClassName() === 'Embedding' ? first : null;
    this.variable = this.embeddingLayer ? 'embedding' : 'input';
    this.startName = (this.embeddingLayer ?? inputLayer).name;
    this.path = pathTo(model, this.targetLayer, this.startName);
    this.targetInputs = inboundOf(this.targetLayer);

    const inputShape = model.inputs[0].shape;
    if (this.embeddingLayer) {
      this.width = this.embeddingLayer.getWeights()[0].shape[1]!;
    } else {
      check(
        model.inputs[0].dtype !== 'int32',
        `The model's input is integer ids, but its first layer ${JSON.stringify(first?.name)} ` +
          'is not an Embedding: there is no gradient with respect to token ids.'
      );
      this.width = inputShape[2] ?? 1;
    }
    this.length = resolveLength(options, inputShape[1] ?? null);
    checkInit(options.init, this.length, this.width, this.variable);

    this.softmax = options.softmax ?? false;
    check(
      !this.softmax || this.variable === 'input',
      'The softmax option is for one-hot inputs; this model starts with an Embedding.'
    );

    this.outputLength = tf.tidy(() => {
      const probe = this.targetInput(tf.zeros([1, this.length, this.width]));
      return windowOutput(probe.shape[1]!, this.layer).length;
    });
    check(
      this.outputLength > 0,
      `Layer ${JSON.stringify(name)} has no output positions for an input of ${this.length}.`
    );
    this.position = options.position ?? null;
    if (this.position !== null) {
      check(
        Number.isInteger(this.position) && this.position >= 0 && this.position < this.outputLength,
        `Position ${this.position} is outside layer ${JSON.stringify(name)}'s output: expected an ` +
          `integer from 0 to ${this.outputLength - 1}.`
      );
    }

    const rows = this.filters.length;
    const { kernel, bias } = conv1dWeights(this.targetLayer);
    const index = tf.tensor1d(this.filters, 'int32');
    this.rowKernel = tf.tidy(() => tf.gather(kernel.transpose([2, 0, 1]), index)) as tf.Tensor3D;
    this.rowBias = tf.tidy(() =>
      bias ? tf.gather(bias, index).reshape([rows, 1]) : tf.zeros([rows, 1])
    ) as tf.Tensor2D;
    index.dispose();
    this.z = this.start(options, rows);
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
    const outputs = new Map<string, tf.Tensor | tf.Tensor[]>([[this.startName, x]]);
    const read = (inputs: PathLayer['inputs']): tf.Tensor | tf.Tensor[] => {
      const tensors = inputs.map(({ name, index }) => {
        const out = outputs.get(name)!;
        return Array.isArray(out) ? out[index] : out;
      });
      return tensors.length === 1 ? tensors[0] : tensors;
    };
    for (const { layer, inputs } of this.path) {
      const y = isConv1D(layer)
        ? differentiableConv1D(layer, read(inputs) as tf.Tensor)
        : (layer.apply(read(inputs), { training: false }) as tf.Tensor | tf.Tensor[]);
      outputs.set(layer.name, y);
    }
    return read(this.targetInputs) as tf.Tensor;
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
    const act = (this.targetLayer as unknown as WithActivation).activation.apply(
      pre
    ) as tf.Tensor2D;
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

/** The layers between `startName` and the target, in model order, checked for gradients. */
function pathTo(model: tf.LayersModel, target: tf.layers.Layer, startName: string): PathLayer[] {
  const needed = new Set<string>();
  const pending = inboundOf(target).map(i => i.name);
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (name === startName || needed.has(name)) {
      continue;
    }
    needed.add(name);
    pending.push(...inboundOf(model.getLayer(name)).map(i => i.name));
  }
  const path = model.layers.filter(l => needed.has(l.name));
  for (const layer of path) {
    const kind = layer.getClassName();
    check(
      kind !== 'Embedding' && kind !== 'InputLayer',
      `Layer ${JSON.stringify(layer.name)} (${kind}) lies between the input and ` +
        `${JSON.stringify(target.name)}, and there is no gradient through it: ` +
        'activation maximization needs a differentiable path (an Embedding only as the first layer).'
    );
  }
  return path.map(layer => ({ layer, inputs: inboundOf(layer) }));
}

function resolveFilters(options: MaximizeOptions, layer: string, count: number): number[] {
  const wanted = options.filters ?? [options.filter ?? 0];
  if (wanted === 'all') {
    return Array.from({ length: count }, (_, i) => i);
  }
  check(
    Array.isArray(wanted) && wanted.length > 0,
    "`filters` must be a non-empty array of filter indices or 'all'."
  );
  for (const f of wanted) {
    check(
      Number.isInteger(f) && f >= 0 && f < count,
      `Filter ${f} does not exist in layer ${JSON.stringify(layer)}: expected an integer from 0 to ${count - 1}.`
    );
  }
  return [...wanted];
}

function resolveHyperparameters(options: MaximizeOptions): Hyperparameters {
  const {
    iterations = MAXIMIZATION_DEFAULTS.iterations,
    learningRate = MAXIMIZATION_DEFAULTS.learningRate,
    l2 = MAXIMIZATION_DEFAULTS.l2
  } = options;
  check(
    Number.isInteger(iterations) && iterations >= 1 && iterations <= MAX_ITERATIONS,
    `iterations is ${iterations}: expected a whole number from 1 to ${MAX_ITERATIONS}.`
  );
  check(
    Number.isFinite(learningRate) && learningRate > 0,
    `learningRate is ${learningRate}: expected a finite number above 0.`
  );
  check(Number.isFinite(l2) && l2 >= 0, `l2 is ${l2}: expected a finite number, 0 or more.`);
  if (options.seed !== undefined) {
    check(
      Number.isInteger(options.seed) && options.seed >= 0,
      `seed is ${options.seed}: expected a whole number, 0 or more.`
    );
  }
  return { iterations, learningRate, l2 };
}

function resolveLength(options: MaximizeOptions, modelLength: number | null): number {
  const length = options.init?.length ?? options.length ?? modelLength;
  check(
    length !== null,
    'The model accepts sequences of any length: give `length` or an `init` to say how long the input is.'
  );
  check(
    Number.isInteger(length) && length! > 0,
    `length is ${length}: expected a whole number of positions above 0.`
  );
  check(
    modelLength === null || length === modelLength,
    `The input would have ${length} positions but the model expects exactly ${modelLength}.`
  );
  return length!;
}

function checkInit(
  init: MaximizeOptions['init'],
  length: number,
  width: number,
  variable: 'input' | 'embedding'
): void {
  if (init === undefined) {
    return;
  }
  const what = variable === 'embedding' ? 'embedding dimensions' : 'channels';
  check(Array.isArray(init), `init must be number[position][${what}].`);
  init.forEach((row, p) => {
    check(
      Array.isArray(row) && row.length === width,
      `init[${p}] has ${Array.isArray(row) ? row.length : 'no'} values; expected ${width} ` +
        `(${what}) at each of ${length} positions.`
    );
    row.forEach((value, c) =>
      check(Number.isFinite(value), `init[${p}][${c}] is ${value}; expected a finite number.`)
    );
  });
}

/**
 * Splits a run's flat state into one result per filter.
 *
 * @param state - from `Maximization.state()`
 * @returns one result per row, in the order of `state.filters`
 */
export function maximizationResults(state: MaximizationState): MaximizationResult[] {
  const { length, width } = state;
  return state.filters.map((filter, row) => ({
    filter,
    input: rowColumns({ values: state.input, length, width }, row),
    losses: state.losses[row],
    activation: state.activations[row],
    everActive: state.everActive[row],
    stopped: state.stopped
  }));
}

/**
 * Activation maximization of one filter: gradient ascent on the input to maximize the
 * filter's mean activation (or its activation at `position`), with an L2 penalty, using
 * Keras' Adam (beta1 0.9, beta2 0.999, epsilon 1e-7).
 *
 * @param model - a tfjs LayersModel with one input and a Conv1D layer
 * @param options - layer, filter, hyperparameters (see `MAXIMIZATION_DEFAULTS`), start, objective
 * @returns the optimized input, the loss at every step and the final objective; a run
 *   whose loss became NaN stops there and keeps its last finite input (see `stopped`)
 * @throws ExplorerError for a bad option or a path without gradients
 */
export function maximizeActivation(
  model: tf.LayersModel,
  options: MaximizeOptions & { filters?: undefined }
): MaximizationResult;
/**
 * Activation maximization of several filters in one batched run, one batch row per
 * filter; each row's result equals that of a separate run.
 *
 * @param model - a tfjs LayersModel with one input and a Conv1D layer
 * @param options - as for one filter, with `filters` (indices or `'all'`)
 * @returns one result per filter, in the order asked
 */
export function maximizeActivation(
  model: tf.LayersModel,
  options: MaximizeOptions & { filters: readonly number[] | 'all' }
): MaximizationResult[];
export function maximizeActivation(
  model: tf.LayersModel,
  options: MaximizeOptions = {}
): MaximizationResult | MaximizationResult[] {
  const run = new Maximization(model, options);
  try {
    run.run();
    const results = maximizationResults(run.state());
    const nearest = run.nearestTokens(3);
    if (nearest) {
      results.forEach((result, row) => {
        result.nearestTokens = Array.from({ length: run.length }, (_, p) =>
          Array.from({ length: nearest.count }, (_, k) => {
            const at = (row * run.length + p) * nearest.count + k;
            return { id: nearest.ids[at], similarity: nearest.similarities[at] };
          })
        );
      });
    }
    return options.filters === undefined ? results[0] : results;
  } finally {
    run.dispose();
  }
}
