/**
 * Walking a model's layer graph: which layers feed a layer, which inputs a layer depends
 * on, the layers on the way to a target, and the part of a model that reaches some layers.
 * Every walk follows a layer's first call (its first inbound node): the explorer refuses
 * layers called more than once (`checkCalledOnce`).
 */
import * as tf from '@tensorflow/tfjs';
import { ExplorerError } from './errors';

/** One input of a layer's call: the layer that produced it and which of its outputs. */
export interface InboundTensor {
  name: string;
  index: number;
}

/** Layer outputs by layer name, as a walk through the graph computes them. */
export type LayerOutputs = Map<string, tf.Tensor | tf.Tensor[]>;

/**
 * The inputs of a layer's first call.
 *
 * @param layer - a layer of a built model
 * @returns the producing layers and output indices, in call order; empty for an InputLayer
 */
export function inboundOf(layer: tf.layers.Layer): InboundTensor[] {
  const node = layer.inboundNodes[0];
  return node
    ? node.inboundLayers.map((l, i) => ({ name: l.name, index: node.tensorIndices[i] }))
    : [];
}

/**
 * Reads a layer's inputs from the outputs computed so far.
 *
 * @param outputs - outputs by layer name
 * @param inputs - the layer's inbound tensors (`inboundOf`)
 * @param missing - what a producer without an output stands for; when omitted, every
 *   producer must have one
 * @returns one tensor, or a list for a layer with several inputs
 */
export function readInputs(
  outputs: LayerOutputs,
  inputs: readonly InboundTensor[],
  missing?: tf.Tensor
): tf.Tensor | tf.Tensor[] {
  const tensors = inputs.map(({ name, index }) => {
    const out = outputs.get(name) ?? missing;
    if (out === undefined) {
      throw new Error(`Layer ${JSON.stringify(name)} has not been computed yet.`);
    }
    return Array.isArray(out) ? out[index] : out;
  });
  return tensors.length === 1 ? tensors[0] : tensors;
}

/**
 * The layers a target depends on, back to (not including) a start layer, in model order.
 *
 * @param model - the model
 * @param target - the layer to reach
 * @param startName - where the walk stops (e.g. the input, or a first-layer Embedding)
 * @returns the layers between them
 */
export function layersBetween(
  model: tf.LayersModel,
  target: tf.layers.Layer,
  startName: string
): tf.layers.Layer[] {
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
  return model.layers.filter(l => needed.has(l.name));
}

/**
 * The model inputs a layer's output depends on.
 *
 * @param model - a model without nested models
 * @param layerName - one of its layers
 * @returns the input layers' names, in the model's input order
 */
export function inputsOf(model: tf.LayersModel, layerName: string): string[] {
  // Walk the nodes on the way (a layer shared by two inputs' branches has a node in each).
  const reached = new Set<string>();
  const seen = new Set<unknown>();
  const start = model.getLayer(layerName);
  const pending = start.inboundNodes.slice(0, 1);
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (seen.has(node)) {
      continue;
    }
    seen.add(node);
    node.inboundLayers.forEach((layer, i) => {
      if (layer.getClassName() === 'InputLayer') {
        reached.add(layer.name);
      } else {
        pending.push(layer.inboundNodes[node.nodeIndices[i]]);
      }
    });
  }
  return model.inputs.map(t => t.sourceLayer.name).filter(name => reached.has(name));
}

/**
 * The first layer on the way to some layers that is called more than once: the one place
 * that rule lives. The explorer follows each layer through its one call; a layer called
 * twice (a shared layer, or a nested model used twice once inlined) would make it compute
 * from the wrong call.
 *
 * @param model - a model without nested models
 * @param layerNames - the layers to reach
 * @returns the layer, or undefined when every layer on the way is called once
 */
export function calledMoreThanOnce(
  model: tf.LayersModel,
  layerNames: readonly string[]
): tf.layers.Layer | undefined {
  const seen = new Set<string>();
  const pending = layerNames.map(name => model.getLayer(name));
  while (pending.length > 0) {
    const layer = pending.pop()!;
    if (seen.has(layer.name)) {
      continue;
    }
    seen.add(layer.name);
    if (layer.inboundNodes.length > 1) {
      return layer;
    }
    pending.push(...(layer.inboundNodes[0]?.inboundLayers ?? []));
  }
  return undefined;
}

/**
 * Checks that every layer on the way to some layers is called once (see
 * `calledMoreThanOnce`).
 *
 * @param model - a model without nested models
 * @param layerNames - the layers to reach
 * @throws ExplorerError naming the first layer called more than once
 */
export function checkCalledOnce(model: tf.LayersModel, layerNames: readonly string[]): void {
  const layer = calledMoreThanOnce(model, layerNames);
  if (layer) {
    throw new ExplorerError(
      `Layer ${JSON.stringify(layer.name)} is called ${layer.inboundNodes.length} times in ` +
        'the model (a shared layer, or a nested model used more than once); the explorer ' +
        `follows each layer through one call, so it cannot show ${layerNames.join(', ')}. ` +
        'Explore Conv1D layers before it (`layers` option).'
    );
  }
}

/**
 * The part of a model the explorer needs for some of its Conv1D layers: every layer on the
 * way from the inputs to them, and nothing after (dense heads are often most of the
 * weights), fed by only the inputs they depend on (a model may take the sequence and other
 * data). It shares the model's layers and weights: do not dispose it.
 *
 * @param model - the model
 * @param layerNames - Conv1D layers of the model
 * @returns a model whose outputs are those layers' outputs, or the model itself when the
 *   part would be no smaller or cannot be cut (a layer on the way is called twice)
 */
export function modelUpTo(model: tf.LayersModel, layerNames: readonly string[]): tf.LayersModel {
  if (calledMoreThanOnce(model, layerNames)) {
    return model;
  }
  const outputs = layerNames.map(name => model.getLayer(name).getOutputAt(0) as tf.SymbolicTensor);
  const needed = new Set(layerNames.flatMap(name => inputsOf(model, name)));
  const inputs = model.inputs.filter(t => needed.has(t.sourceLayer.name));
  const part = tf.model({ inputs, outputs, name: model.name });
  return part.countParams() < model.countParams() || inputs.length < model.inputs.length
    ? part
    : model;
}
