/**
 * Facts about Conv1D layers: finding them, describing their geometry and activation,
 * reading their weights and config numbers; and the check that a model belongs to the
 * tfjs this package loads.
 */
import * as tf from '@tensorflow/tfjs';
import { ExplorerError, listNames } from './errors';

/** Keras padding modes a Conv1D layer can have. */
export type Conv1DPadding = 'valid' | 'same' | 'causal';

/** What a Conv1D layer is, as `conv1dLayers` reports it. */
export interface Conv1DLayerInfo {
  /** The layer's name in the model. */
  name: string;
  /** Number of filters (output channels). */
  filters: number;
  /** Kernel width in positions. */
  kernelSize: number;
  /** Step between output positions, in input positions. */
  strides: number;
  /** Spacing between kernel taps. */
  dilationRate: number;
  /** Keras padding mode. */
  padding: Conv1DPadding;
  /** Channels the kernel reads at every tap. */
  inputChannels: number;
  /** The activation applied after the convolution (Keras name, e.g. `relu`, `linear`). */
  activation: string;
}

/** The class name every Conv1D layer reports, in tfjs and in Keras-converted models. */
const CONV1D_CLASS = 'Conv1D';

/**
 * Reads a size from a layer config, which stores 1-D sizes as a number or a one-element
 * array.
 *
 * @param value - the config entry
 * @param fallback - the value when the entry holds no number
 * @returns the number
 */
export function configNumber(value: unknown, fallback: number): number {
  const v: unknown = Array.isArray(value) ? value[0] : value;
  return typeof v === 'number' ? v : fallback;
}

/** The elementwise activation object a tfjs Conv1D layer holds (not in its typings). */
interface WithActivation {
  activation: { apply(x: tf.Tensor): tf.Tensor; getClassName(): string };
}

/**
 * Applies a Conv1D layer's own activation, as the layer does after its convolution.
 *
 * @param layer - a Conv1D layer
 * @param x - pre-activations
 * @returns activations
 */
export function applyActivation(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor {
  return (layer as unknown as WithActivation).activation.apply(x);
}

/** The activations a model's last layer squashes its logits with. */
const SQUASHING = ['sigmoid', 'softmax'];

/**
 * The squashing activation (sigmoid or softmax) a layer ends in, or null for any other.
 *
 * @param layer - any tfjs layer
 * @returns `'sigmoid'`, `'softmax'` or null
 */
export function squashingActivation(layer: tf.layers.Layer): string | null {
  const name = layer.getConfig().activation;
  return typeof name === 'string' && SQUASHING.includes(name) ? name : null;
}

/**
 * Runs a layer with its own activation left out: a Dense or Conv1D layer's (or an Activation
 * layer's) output before it. The layer's activation object is swapped for the identity for
 * the duration of the call, which is synchronous.
 *
 * @param layer - a layer that holds an activation
 * @param run - runs the layer
 * @returns what `run` returns
 */
export function withoutActivation<T>(layer: tf.layers.Layer, run: () => T): T {
  const holder = layer as unknown as WithActivation;
  const own = holder.activation;
  // Dense reads the name to pick its fused kernel: 'linear' is tfjs' own identity.
  holder.activation = { apply: (x: tf.Tensor) => x, getClassName: () => 'linear' };
  try {
    return run();
  } finally {
    holder.activation = own;
  }
}

/**
 * Tells whether a layer is a Conv1D layer.
 *
 * @param layer - any tfjs layer
 * @returns true for Conv1D layers
 */
export function isConv1D(layer: tf.layers.Layer): boolean {
  return layer.getClassName() === CONV1D_CLASS;
}

/**
 * Describes one Conv1D layer from its configuration and kernel shape.
 *
 * @param layer - a Conv1D layer of a built model
 * @returns its geometry, filters, channels and activation
 */
export function describeConv1D(layer: tf.layers.Layer): Conv1DLayerInfo {
  const config = layer.getConfig();
  const { kernel } = conv1dWeights(layer);
  const padding = String(config.padding ?? 'valid') as Conv1DPadding;
  return {
    name: layer.name,
    filters: configNumber(config.filters, kernel?.shape[2] ?? 0),
    kernelSize: configNumber(config.kernelSize, kernel?.shape[0] ?? 1),
    strides: configNumber(config.strides, 1),
    dilationRate: configNumber(config.dilationRate, 1),
    padding,
    inputChannels: kernel?.shape[1] ?? 0,
    activation: String(config.activation ?? 'linear')
  };
}

/**
 * A Conv1D layer's weights. tfjs returns no bias tensor for layers built with
 * `useBias: false`, so `bias` is null exactly then.
 *
 * @param layer - a Conv1D layer of a built model
 * @returns the kernel, `[k, inChannels, filters]`, and the bias, `[filters]` or null
 */
export function conv1dWeights(layer: tf.layers.Layer): {
  kernel: tf.Tensor;
  bias: tf.Tensor | null;
} {
  const [kernel, bias] = layer.getWeights();
  return { kernel, bias: bias ?? null };
}

/**
 * Lists every Conv1D layer of a model, in model order.
 *
 * @param model - a Sequential or functional tfjs LayersModel
 * @returns one entry per Conv1D layer; empty when the model has none
 */
export function conv1dLayers(model: tf.LayersModel): Conv1DLayerInfo[] {
  return model.layers.filter(isConv1D).map(describeConv1D);
}

/**
 * Describes the model's layers for error messages, e.g. `dense_1 (Dense)`.
 *
 * @param model - any LayersModel
 * @returns one `name (Class)` per layer
 */
export function layerSummary(model: tf.LayersModel): string[] {
  return model.layers.map(l => `${l.name} (${l.getClassName()})`);
}

/**
 * Checks that a model is a LayersModel of the `@tensorflow/tfjs` this package loads. A model
 * built by another copy (a second tfjs in the folder) would fail later inside tfjs, in
 * ways that say nothing of the cause.
 *
 * @param model - what the caller passed as a model
 * @param fn - the function called, for the message
 * @throws ExplorerError for something that is not a model, or a model of another tfjs copy
 */
export function checkLayersModel(model: unknown, fn: string): asserts model is tf.LayersModel {
  if (model instanceof tf.LayersModel) {
    return;
  }
  const looksLikeOne =
    typeof model === 'object' &&
    model !== null &&
    typeof (model as { save?: unknown }).save === 'function' &&
    Array.isArray((model as { layers?: unknown }).layers);
  throw new ExplorerError(
    looksLikeOne
      ? `This model was built with another copy of @tensorflow/tfjs than the one ` +
          `conv1d-explorer uses (${tf.version.tfjs}). The notebook folder needs exactly one: ` +
          '`npm ls @tensorflow/tfjs` lists them; remove the others and restart the kernel.'
      : `${fn} needs a tfjs LayersModel (tf.sequential(), tf.model() or loadModel()).`
  );
}

/**
 * Finds a Conv1D layer by name, or the first one when no name is given.
 *
 * @param model - the model to search
 * @param layerName - the layer's name; the first Conv1D layer when omitted
 * @returns the layer
 * @throws ExplorerError when the model has no Conv1D layer or none of that name, or is not
 *   a model of this tfjs (`checkLayersModel`)
 */
export function findConv1D(model: tf.LayersModel, layerName?: string): tf.layers.Layer {
  checkLayersModel(model, 'conv1d-explorer');
  const convs = model.layers.filter(isConv1D);
  if (convs.length === 0) {
    const nested = model.layers.filter(l => Array.isArray((l as { layers?: unknown }).layers));
    throw new ExplorerError(
      nested.length > 0
        ? `The model's Conv1D layers, if any, are inside the nested ` +
            `${nested.length === 1 ? 'model' : 'models'} ${listNames(nested.map(l => l.name))}: pass \`await flattenModel(model)\`, ` +
            'which inlines nested models (explore() does it itself).'
        : `The model has no Conv1D layer; the explorer needs at least one. ` +
            `Its layers are: ${layerSummary(model).join(', ')}.`
    );
  }
  if (layerName === undefined) {
    return convs[0];
  }
  const found = convs.find(l => l.name === layerName);
  if (!found) {
    throw new ExplorerError(
      `No Conv1D layer is named ${JSON.stringify(layerName)}. ` +
        `The model's Conv1D layers are: ${listNames(convs.map(l => l.name))}.`
    );
  }
  return found;
}
