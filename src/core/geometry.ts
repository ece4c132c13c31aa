/**
 * Sequence geometry: for one input length, each layer's output length and where its
 * output positions lie in the input (the receptive field), by Keras' padding, stride and
 * dilation rules; and the shortest sequence every Conv1D layer has output for.
 */
import type * as tf from '@tensorflow/tfjs';
import { ExplorerError } from './errors';
import { inboundOf } from './graph';
import { configNumber, isConv1D } from './layers';

/**
 * Where one layer's output positions lie in the model's input: output position `j` reads
 * input positions `start + j * jump` to `start + j * jump + size - 1` (which may reach
 * past either end, into padding).
 */
export interface InputSpan {
  jump: number;
  start: number;
  size: number;
}

/** A layer's sequence length for a given input length, and its span in the input. */
export interface LayerGeometry {
  /** Output positions; null when a layer on the way changes length in a way we don't model. */
  length: number | null;
  /** Null when a layer on the way does not map positions affinely (e.g. UpSampling1D). */
  span: InputSpan | null;
}

/** A sliding window along the sequence axis, in Keras terms. */
export interface Window1D {
  kernelSize: number;
  strides: number;
  dilationRate: number;
  padding: string;
}

/** Layers that keep every position where it is (they act per position or per channel). */
export const POSITIONWISE = new Set([
  'Activation',
  'AlphaDropout',
  'BatchNormalization',
  'Dense',
  'Dropout',
  'ELU',
  'Embedding',
  'GaussianDropout',
  'GaussianNoise',
  'LayerNormalization',
  'LeakyReLU',
  'Masking',
  'PReLU',
  'ReLU',
  'Softmax',
  'SpatialDropout1D',
  'ThresholdedReLU'
]);

/** Layers that merge several inputs of the same length position by position. */
const MERGES = new Set(['Add', 'Average', 'Concatenate', 'Maximum', 'Minimum', 'Multiply']);

/**
 * Output length and left padding of a 1-D window, exactly as TensorFlow computes them.
 *
 * @param length - input positions
 * @param w - the window
 * @returns output positions (0 when the input is too short) and the left padding
 */
export function windowOutput(length: number, w: Window1D): { length: number; padLeft: number } {
  const extent = (w.kernelSize - 1) * w.dilationRate + 1;
  switch (w.padding) {
    case 'same': {
      const out = Math.ceil(length / w.strides);
      const total = Math.max((out - 1) * w.strides + extent - length, 0);
      return { length: out, padLeft: Math.floor(total / 2) };
    }
    case 'causal':
      return { length: Math.ceil(length / w.strides), padLeft: extent - 1 };
    default: {
      const out = length >= extent ? Math.floor((length - extent) / w.strides) + 1 : 0;
      return { length: out, padLeft: 0 };
    }
  }
}

function pair(value: unknown): [number, number] {
  if (Array.isArray(value)) {
    return [configNumber(value[0], 0), configNumber(value[1], configNumber(value[0], 0))];
  }
  const v = configNumber(value, 0);
  return [v, v];
}

/** The sliding window a layer applies along the sequence, or null if it applies none. */
function layerWindow(layer: tf.layers.Layer): Window1D | null {
  const c = layer.getConfig();
  const cls = layer.getClassName();
  if (isConv1D(layer)) {
    return {
      kernelSize: configNumber(c.kernelSize, 1),
      strides: configNumber(c.strides, 1),
      dilationRate: configNumber(c.dilationRate, 1),
      padding: String(c.padding ?? 'valid')
    };
  }
  if (cls === 'MaxPooling1D' || cls === 'AveragePooling1D') {
    const pool = configNumber(c.poolSize, 2);
    return {
      kernelSize: pool,
      strides: configNumber(c.strides, pool),
      dilationRate: 1,
      padding: String(c.padding ?? 'valid')
    };
  }
  return null;
}

function applyWindow(g: LayerGeometry, w: Window1D): LayerGeometry {
  if (g.length === null) {
    return { length: null, span: null };
  }
  const { length, padLeft } = windowOutput(g.length, w);
  const span = g.span && {
    jump: g.span.jump * w.strides,
    start: g.span.start - padLeft * g.span.jump,
    size: g.span.size + (w.kernelSize - 1) * w.dilationRate * g.span.jump
  };
  return { length, span };
}

function shift(g: LayerGeometry, before: number, after: number): LayerGeometry {
  return {
    length: g.length === null ? null : g.length + before + after,
    span: g.span && { ...g.span, start: g.span.start - before * g.span.jump }
  };
}

function merge(inputs: LayerGeometry[]): LayerGeometry {
  const [first] = inputs;
  const sameLength = inputs.every(g => g.length !== null && g.length === first.length);
  const spans = inputs.map(g => g.span);
  if (!sameLength || spans.some(s => s === null || s.jump !== spans[0]!.jump)) {
    return { length: sameLength ? first.length : null, span: null };
  }
  const start = Math.min(...spans.map(s => s!.start));
  const end = Math.max(...spans.map(s => s!.start + s!.size));
  return { length: first.length, span: { jump: spans[0]!.jump, start, size: end - start } };
}

/**
 * Computes, for one input length, every layer's output length and where its output
 * positions lie in the input (its receptive field), following Keras' padding, stride and
 * dilation rules through convolutions, pooling, padding and cropping.
 *
 * @param model - the model
 * @param inputLength - positions of the model's (first) input sequence
 * @returns geometry per layer name
 */
export function sequenceGeometry(
  model: tf.LayersModel,
  inputLength: number
): Map<string, LayerGeometry> {
  const result = new Map<string, LayerGeometry>();
  const atInput: LayerGeometry = { length: inputLength, span: { jump: 1, start: 0, size: 1 } };
  for (const layer of model.layers) {
    // A Sequential model lists no InputLayer: a producer without geometry is the input.
    const inbound = inboundOf(layer).map(i => result.get(i.name) ?? atInput);
    const input = inbound.length > 0 ? inbound : [atInput];
    const cls = layer.getClassName();
    const window = layerWindow(layer);
    let g: LayerGeometry;
    if (cls === 'InputLayer') {
      g = atInput;
    } else if (window) {
      g = applyWindow(input[0], window);
    } else if (cls === 'ZeroPadding1D') {
      const [a, b] = pair(layer.getConfig().padding);
      g = shift(input[0], a, b);
    } else if (cls === 'Cropping1D') {
      const [a, b] = pair(layer.getConfig().cropping);
      g = shift(input[0], -a, -b);
    } else if (MERGES.has(cls)) {
      g = merge(input);
    } else if (POSITIONWISE.has(cls)) {
      g = input[0];
    } else {
      g = { length: null, span: null };
    }
    result.set(layer.name, g);
  }
  return result;
}

/**
 * The fewest input positions a layer's input needs for its output to have `positions`,
 * the inverse of `sequenceGeometry`'s rules; null where a layer's length rule is not
 * modelled (its input then needs nothing we can say).
 */
function inputPositionsFor(layer: tf.layers.Layer, positions: number): number | null {
  const cls = layer.getClassName();
  const window = layerWindow(layer);
  if (window) {
    const extent = (window.kernelSize - 1) * window.dilationRate + 1;
    const last = (positions - 1) * window.strides;
    return window.padding === 'valid' ? last + extent : last + 1;
  }
  if (cls === 'ZeroPadding1D' || cls === 'Cropping1D') {
    const sign = cls === 'Cropping1D' ? 1 : -1;
    const [a, b] = pair(layer.getConfig()[cls === 'Cropping1D' ? 'cropping' : 'padding']);
    return Math.max(positions + sign * (a + b), 1);
  }
  return MERGES.has(cls) || POSITIONWISE.has(cls) ? positions : null;
}

/**
 * The shortest sequence for which every Conv1D layer has at least one output position:
 * each Conv1D layer needs one position, and each layer's need becomes its inputs' need,
 * from the last layer back to the input.
 *
 * @param model - the model
 * @returns input positions, at least 1
 */
export function minimumSequenceLength(model: tf.LayersModel): number {
  const need = new Map<string, number>();
  let atInput = 1;
  for (const layer of [...model.layers].reverse()) {
    const own = Math.max(need.get(layer.name) ?? 0, isConv1D(layer) ? 1 : 0);
    if (own === 0 || layer.getClassName() === 'InputLayer') {
      continue;
    }
    const wanted = inputPositionsFor(layer, own) ?? 1;
    // Producers, not names: a Sequential model's InputLayer is not among `model.layers`.
    for (const producer of layer.inboundNodes[0]?.inboundLayers ?? []) {
      if (producer.getClassName() === 'InputLayer') {
        atInput = Math.max(atInput, wanted);
      } else {
        need.set(producer.name, Math.max(need.get(producer.name) ?? 0, wanted));
      }
    }
  }
  return atInput;
}

/**
 * Checks that a sequence is long enough for every Conv1D layer to have at least one output
 * position, and says how long it must be when it is not.
 *
 * @param model - the model
 * @param inputLength - the sequence's length
 * @throws ExplorerError naming the first layer whose output would be empty
 */
export function checkSequenceLength(model: tf.LayersModel, inputLength: number): void {
  const geometry = sequenceGeometry(model, inputLength);
  const culprit = model.layers.find(l => isConv1D(l) && geometry.get(l.name)?.length === 0);
  if (culprit === undefined) {
    return;
  }
  throw new ExplorerError(
    `The sequence has ${inputLength} positions, too few for layer ${JSON.stringify(culprit.name)}: ` +
      `its output would be empty. Expected a sequence of at least ${minimumSequenceLength(model)} positions.`
  );
}
