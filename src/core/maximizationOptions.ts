/**
 * The options of activation maximization: the hyperparameters and their defaults, and the
 * checks that turn a caller's options and model into a run's settings (what is optimized,
 * and the differentiable path to the target), each refusal saying what is expected.
 */
import type * as tf from '@tensorflow/tfjs';
import { ExplorerError } from './errors';
import { inboundOf, layersBetween, type InboundTensor } from './graph';
import type { Conv1DLayerInfo } from './layers';

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

function check(ok: boolean, message: string): void {
  if (!ok) {
    throw new ExplorerError(message);
  }
}

/**
 * The filters a run maximizes, one batch row each.
 *
 * @param options - `filters` (indices or `'all'`) or `filter`
 * @param layer - the layer's name, for messages
 * @param count - the layer's filters
 * @returns filter indices
 * @throws ExplorerError for an index outside the layer
 */
export function resolveFilters(options: MaximizeOptions, layer: string, count: number): number[] {
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

/**
 * The run's hyperparameters, defaults filled in.
 *
 * @param options - iterations, learning rate, L2 weight and seed
 * @returns the hyperparameters
 * @throws ExplorerError for a value out of range
 */
export function resolveHyperparameters(options: MaximizeOptions): Hyperparameters {
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

/**
 * How many input positions the optimized input has.
 *
 * @param options - `init` or `length`
 * @param modelLength - the model's fixed input length, or null when it takes any
 * @returns positions
 * @throws ExplorerError when no length is known or it does not fit the model
 */
export function resolveLength(options: MaximizeOptions, modelLength: number | null): number {
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

/**
 * Checks a start given as `init`: one finite value per position and channel.
 *
 * @param init - the start, or undefined
 * @param length - positions expected
 * @param width - channels (or embedding dimensions) expected
 * @param variable - what is optimized, for messages
 * @throws ExplorerError naming the first value that does not fit
 */
export function checkInit(
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
 * Checks that one filter of the layer can be maximized on its own.
 *
 * @param layer - the target layer
 * @throws ExplorerError for a layer that ends in a softmax over its filters
 */
export function checkMaximizable(layer: Conv1DLayerInfo): void {
  check(
    layer.activation !== 'softmax',
    `Layer ${JSON.stringify(layer.name)} ends in a softmax over filters; maximizing one filter's ` +
      'activation is not defined for it.'
  );
}

/**
 * Whether the run optimizes logits under a softmax per position.
 *
 * @param options - `softmax`
 * @param variable - what is optimized
 * @returns the softmax setting
 * @throws ExplorerError for a softmax asked of an Embedding model
 */
export function resolveSoftmax(options: MaximizeOptions, variable: 'input' | 'embedding'): boolean {
  const softmax = options.softmax ?? false;
  check(
    !softmax || variable === 'input',
    'The softmax option is for one-hot inputs; this model starts with an Embedding.'
  );
  return softmax;
}

/**
 * The output position maximized, or null for the mean over positions.
 *
 * @param options - `position`
 * @param layer - the target layer's name, for messages
 * @param length - input positions, for messages
 * @param outputLength - the target layer's output positions
 * @returns the position or null
 * @throws ExplorerError when the layer has no output, or the position lies outside it
 */
export function resolvePosition(
  options: MaximizeOptions,
  layer: string,
  length: number,
  outputLength: number
): number | null {
  check(
    outputLength > 0,
    `Layer ${JSON.stringify(layer)} has no output positions for an input of ${length}.`
  );
  const position = options.position ?? null;
  if (position !== null) {
    check(
      Number.isInteger(position) && position >= 0 && position < outputLength,
      `Position ${position} is outside layer ${JSON.stringify(layer)}'s output: expected an ` +
        `integer from 0 to ${outputLength - 1}.`
    );
  }
  return position;
}

/** How a layer on the path to the target reads its inputs. */
export interface PathLayer {
  layer: tf.layers.Layer;
  inputs: InboundTensor[];
}

/**
 * What a run optimizes: the model input, or for a model that starts with an Embedding, the
 * Embedding's output (there is no gradient with respect to token ids).
 *
 * @param model - the model
 * @returns the Embedding layer (or null), the layer whose output the variable replaces,
 *   and the channels per position
 * @throws ExplorerError for a model with several inputs, or token ids without an Embedding
 */
export function optimizedVariable(model: tf.LayersModel): {
  embeddingLayer: tf.layers.Layer | null;
  /** The layer whose output the variable replaces. */
  name: string;
  /** Channels (or embedding dimensions) per position. */
  width: number;
} {
  check(
    model.inputs.length === 1,
    `Activation maximization needs a model with one input; this one has ${model.inputs.length}.`
  );
  // A Sequential model does not list its InputLayer; the input tensor knows it.
  const input = model.inputs[0];
  const inputLayer = input.sourceLayer;
  const first = model.layers.find(l => inboundOf(l).some(i => i.name === inputLayer.name));
  if (first?.getClassName() === 'Embedding') {
    return { embeddingLayer: first, name: first.name, width: first.getWeights()[0].shape[1]! };
  }
  check(
    input.dtype !== 'int32',
    `The model's input is integer ids, but its first layer ${JSON.stringify(first?.name)} ` +
      'is not an Embedding: there is no gradient with respect to token ids.'
  );
  return { embeddingLayer: null, name: inputLayer.name, width: input.shape[2] ?? 1 };
}

/**
 * The layers between the optimized variable and the target, in model order, checked for
 * gradients.
 *
 * @param model - the model
 * @param target - the target layer
 * @param startName - the layer whose output the variable replaces
 * @param analysis - what needs the gradients, for the refusal (e.g. `method "saliency"`)
 * @returns each layer with the inputs it reads
 * @throws ExplorerError for a layer on the way without gradients (an Embedding, an input)
 */
export function gradientPath(
  model: tf.LayersModel,
  target: tf.layers.Layer,
  startName: string,
  analysis = 'activation maximization'
): PathLayer[] {
  const path = layersBetween(model, target, startName);
  for (const layer of path) {
    const kind = layer.getClassName();
    check(
      kind !== 'Embedding' && kind !== 'InputLayer',
      `Layer ${JSON.stringify(layer.name)} (${kind}) lies between the input and ` +
        `${JSON.stringify(target.name)}, and there is no gradient through it: ` +
        `${analysis} needs a differentiable path (an Embedding only as the first layer).`
    );
  }
  return path.map(layer => ({ layer, inputs: inboundOf(layer) }));
}
