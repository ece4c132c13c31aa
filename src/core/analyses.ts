/**
 * The first analyses: every Conv1D layer's feature maps for one sequence (the model run
 * layer by layer), a layer's kernel and bias as Keras lays them out, and the check that
 * every weight is finite.
 */
import * as tf from '@tensorflow/tfjs';
import { ExplorerError } from './errors';
import { runLayer } from './conv';
import { checkCalledOnce, inboundOf, readInputs, type LayerOutputs } from './graph';
import {
  conv1dWeights,
  describeConv1D,
  findConv1D,
  isConv1D,
  type Conv1DLayerInfo
} from './layers';
import { describeSequence, sequenceTensor, type SequenceLike, type SequenceOptions } from './input';

/** A Conv1D layer's weights in the layout of Keras' `get_weights()`. */
export interface Conv1DKernel {
  /** `kernel[k][inChannel][filter]`: the weight of tap `k` on input channel `inChannel`. */
  kernel: number[][][];
  /** One bias per filter, or null for layers built with `useBias: false`. */
  bias: number[] | null;
}

/** One Conv1D layer's output for one sequence, position-major. */
export interface FeatureMap {
  layer: Conv1DLayerInfo;
  /** Output positions. */
  length: number;
  /** `values[position * filters + filter]`, after the layer's activation. */
  values: Float32Array;
}

/** Options of `featureMaps`: which layer, and how to read the sequence. */
export interface FeatureMapOptions extends SequenceOptions {
  /** The Conv1D layer; the first one when omitted. */
  layer?: string;
}

/**
 * Runs a model layer by layer, eagerly, until every wanted layer has its output. Walking
 * the graph ourselves (rather than building a sub-model) lets us run layers tfjs cannot,
 * such as causal Conv1D (see `runLayer`).
 *
 * @param model - the model
 * @param input - its input, batch of one
 * @param wanted - names of the layers whose outputs to return
 * @returns the wanted layers' outputs, in the order asked (the caller disposes them)
 */
export function runToLayers(
  model: tf.LayersModel,
  input: tf.Tensor,
  wanted: readonly string[]
): tf.Tensor[] {
  return tf.tidy(() => {
    const outputs: LayerOutputs = new Map();
    const missing = new Set(wanted);
    for (const layer of model.layers) {
      if (missing.size === 0) {
        break;
      }
      if (layer.getClassName() === 'InputLayer') {
        outputs.set(layer.name, input);
        continue;
      }
      // A Sequential model does not list its InputLayer: a producer not computed here is
      // that input.
      const x = readInputs(outputs, inboundOf(layer), input);
      outputs.set(layer.name, runLayer(layer, x, 'forward'));
      missing.delete(layer.name);
    }
    return wanted.map(name => {
      const out = outputs.get(name);
      return (Array.isArray(out) ? out[0] : out)!;
    });
  });
}

/**
 * Runs the model up to its Conv1D layers and returns their outputs (after activation).
 *
 * @param model - the model
 * @param input - the model input, batch of one (see `sequenceTensor`)
 * @param layerNames - which Conv1D layers; all of them when omitted
 * @returns one feature map per layer, in the order asked
 */
export function computeFeatureMaps(
  model: tf.LayersModel,
  input: tf.Tensor,
  layerNames?: readonly string[]
): FeatureMap[] {
  const layers = layerNames
    ? layerNames.map(n => findConv1D(model, n))
    : model.layers.filter(isConv1D);
  if (layers.length === 0) {
    findConv1D(model); // throws the message that lists the model's layers
  }
  checkCalledOnce(
    model,
    layers.map(l => l.name)
  );
  const outputs = runToLayers(
    model,
    input,
    layers.map(l => l.name)
  );
  try {
    return layers.map((layer, i) => {
      const out = outputs[i];
      const info = describeConv1D(layer);
      const values = out.dataSync() as Float32Array;
      const bad = values.findIndex(v => !Number.isFinite(v));
      if (bad >= 0) {
        throw new ExplorerError(
          `Layer ${JSON.stringify(info.name)} computes ${values[bad]} at output position ` +
            `${Math.floor(bad / info.filters)}, filter ${bad % info.filters}: the weights or ` +
            'the input are too large for float32. Expected activations that are finite numbers.'
        );
      }
      return { layer: info, length: out.shape[1] ?? 0, values };
    });
  } finally {
    tf.dispose(outputs);
  }
}

/**
 * One Conv1D layer's output (after its activation) for a sequence.
 *
 * @param model - the model
 * @param input - the sequence, in any form `describeSequence` accepts
 * @param layer - the layer's name, or options with the layer, alphabet and labels; the
 *   first Conv1D layer when omitted
 * @returns `values[position][filter]`
 * @throws ExplorerError for a model without Conv1D layers, an unknown layer name, or a
 *   sequence that does not fit the model
 */
export function featureMaps(
  model: tf.LayersModel,
  input: SequenceLike,
  layer?: string | FeatureMapOptions
): number[][] {
  const options: FeatureMapOptions = typeof layer === 'string' ? { layer } : (layer ?? {});
  const conv = findConv1D(model, options.layer);
  const x = sequenceTensor(describeSequence(model, input, options));
  try {
    const [map] = computeFeatureMaps(model, x, [conv.name]);
    const f = map.layer.filters;
    return Array.from({ length: map.length }, (_, p) =>
      Array.from(map.values.subarray(p * f, (p + 1) * f))
    );
  } finally {
    x.dispose();
  }
}

/**
 * A Conv1D layer's kernel and bias, in Keras' `get_weights()` layout.
 *
 * @param model - the model
 * @param layerName - the layer; the first Conv1D layer when omitted
 * @returns `kernel[k][inChannel][filter]` and `bias[filter]` (null without bias)
 */
export function kernels(model: tf.LayersModel, layerName?: string): Conv1DKernel {
  const { kernel, bias } = conv1dWeights(findConv1D(model, layerName));
  return {
    kernel: kernel.arraySync() as number[][][],
    bias: bias ? (bias.arraySync() as number[]) : null
  };
}

/**
 * Checks that every weight of the model is a finite number.
 *
 * @param model - the model
 * @throws ExplorerError naming the first weight with NaN or Infinity
 */
export function checkWeightsFinite(model: tf.LayersModel): void {
  for (const w of model.weights) {
    const values = w.read().dataSync();
    const bad = values.findIndex(v => !Number.isFinite(v));
    if (bad >= 0) {
      throw new ExplorerError(
        `Weight ${JSON.stringify(w.originalName ?? w.name)} holds ${values[bad]} at index ${bad}; ` +
          'expected finite numbers. Was the model trained with a diverging loss?'
      );
    }
  }
}
