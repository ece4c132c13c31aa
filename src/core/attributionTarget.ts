/**
 * The number an attribution explains, as a function of the model's input (or, for models
 * that start with an Embedding, of the embedding output): one value per batch row, from a
 * walk through the layers between the input and the target. The walk runs Conv1D layers
 * through `runLayer`, so dilated and causal layers have gradients too.
 */
import * as tf from '@tensorflow/tfjs';
import type { AttributionTarget } from './attributionOptions';
import { runLayer, type ConvMode } from './conv';
import { errorMessage, ExplorerError } from './errors';
import { inboundOf, layersBetween, readInputs, type LayerOutputs } from './graph';
import { describeConv1D, findConv1D, squashingActivation, withoutActivation } from './layers';
import { gradientPath, resolvePosition, type PathLayer } from './maximizationOptions';

/** The target as a function: `[batch, length, width]` in, `[batch]` out. */
export type TargetFunction = (x: tf.Tensor3D) => tf.Tensor1D;

/** A target, ready to be evaluated. */
export interface PreparedTarget {
  /** The target, its filter position checked. */
  target: AttributionTarget;
  /** Its value per batch row. */
  evaluate: TargetFunction;
  /**
   * The gradient of the target's sum over the batch: each row's own gradient, since rows
   * do not interact in inference mode.
   *
   * @throws ExplorerError naming the layer when tfjs has no gradient for one of its ops
   */
  gradient(x: tf.Tensor3D): tf.Tensor3D;
  /** The target's name in messages, e.g. `output 0 of "bound"`. */
  label: string;
  /** The layers from the variable to the target (the target's layer last). */
  path: readonly PathLayer[];
  /**
   * The target from the output of `path[first - 1]` (the variable for 0): how local
   * mutagenesis runs the part of the model after the layers it recomputes locally.
   */
  evaluateFrom(first: number, x: tf.Tensor): tf.Tensor1D;
}

/**
 * Prepares the function from the variable to the target.
 *
 * @param model - the model
 * @param target - an output unit or a filter (`resolveTarget`)
 * @param startName - the layer whose output the variable replaces (the input, or an Embedding)
 * @param length - positions of the sequence
 * @param width - channels of the variable
 * @param gradients - the method that needs gradients through the path (e.g. `'saliency'`), or
 *   null for forward passes only (ISM)
 * @returns the function and the checked target
 * @throws ExplorerError for an unknown layer, a position outside the filter's output, or a
 *   layer on the path without gradients
 */
export function prepareTarget(
  model: tf.LayersModel,
  target: AttributionTarget,
  startName: string,
  length: number,
  width: number,
  gradients: string | null
): PreparedTarget {
  const layer =
    target.kind === 'output'
      ? (model.outputs[0].sourceLayer as tf.layers.Layer)
      : findConv1D(model, target.layer);
  const path = gradients
    ? gradientPath(model, layer, startName, `method ${JSON.stringify(gradients)}`)
    : layersBetween(model, layer, startName).map(l => ({ layer: l, inputs: inboundOf(l) }));
  path.push({ layer, inputs: inboundOf(layer) });
  const mode: ConvMode = gradients ? 'differentiable' : 'forward';
  const gradient = (x: tf.Tensor3D, evaluate: TargetFunction) =>
    gradientThrough(evaluate, path, startName, gradients ?? 'ism', x);
  const squashing = target.kind === 'output' ? squashingActivation(layer) : null;
  const logit = target.kind === 'output' && target.logit && squashing !== null;
  // Runs the path from step `first` on, given the output of the step before it (or the
  // variable): the whole path from 0, the part after a layer for local mutagenesis.
  const runFrom = (first: number, x: tf.Tensor): tf.Tensor => {
    const outputs: LayerOutputs = new Map([
      [first === 0 ? startName : path[first - 1].layer.name, x]
    ]);
    for (const step of path.slice(first)) {
      const input = readInputs(outputs, step.inputs);
      const output =
        logit && step.layer === layer
          ? withoutActivation(layer, () => runLayer(layer, input, mode))
          : runLayer(step.layer, input, mode);
      outputs.set(step.layer.name, output);
    }
    const out = outputs.get(layer.name)!;
    return Array.isArray(out) ? out[0] : out;
  };
  const run = (x: tf.Tensor) => runFrom(0, x);

  if (target.kind === 'output') {
    const { unit } = target;
    // An output with positions (a profile) is summed over them.
    const reduce = (y: tf.Tensor): tf.Tensor1D => {
      // A slice, not a gather: tfjs' wasm backend has no kernel for a gather's gradient.
      const begin = y.shape.map((_, axis) => (axis === y.rank - 1 ? unit : 0));
      const size = y.shape.map((_, axis) => (axis === y.rank - 1 ? 1 : -1));
      const picked = tf.slice(y, begin, size);
      return tf.sum(picked.reshape([y.shape[0], -1]), 1) as tf.Tensor1D;
    };
    const evaluate: TargetFunction = x => reduce(run(x));
    return {
      target: { ...target, logit },
      label: `output ${unit} of ${JSON.stringify(layer.name)}${logit ? ` (before its ${squashing})` : ''}`,
      evaluate,
      gradient: x => gradient(x, evaluate),
      path,
      evaluateFrom: (first, x) => reduce(runFrom(first, x))
    };
  }
  const info = describeConv1D(layer);
  const { filter } = target;
  if (!Number.isInteger(filter) || filter < 0 || filter >= info.filters) {
    throw new ExplorerError(
      `filter ${String(filter)} is outside layer ${JSON.stringify(info.name)}, which has ` +
        `${info.filters} filters: expected an integer from 0 to ${info.filters - 1}.`
    );
  }
  const outputLength = tf.tidy(() => run(tf.zeros([1, length, width])).shape[1]!);
  const position = resolvePosition(
    { position: target.position ?? undefined },
    info.name,
    length,
    outputLength
  );
  const reduce = (y: tf.Tensor): tf.Tensor1D => {
    const at =
      position === null
        ? tf.slice(y, [0, 0, filter], [-1, -1, 1])
        : tf.slice(y, [0, position, filter], [-1, 1, 1]);
    return tf.sum(at, [1, 2]) as tf.Tensor1D;
  };
  const evaluate: TargetFunction = x => reduce(run(x));
  return {
    target: { ...target, layer: info.name, position },
    label:
      `filter ${filter} of ${JSON.stringify(info.name)}` +
      (position === null ? '' : ` at position ${position}`),
    evaluate,
    gradient: x => gradient(x, evaluate),
    path,
    evaluateFrom: (first, x) => reduce(runFrom(first, x))
  };
}

/** The op a tfjs "no gradient" error names, or null for any other error. */
function opWithoutGradient(e: unknown): string | null {
  return /gradient function not found for (\w+)/i.exec(errorMessage(e))?.[1] ?? null;
}

/** Whether tfjs can differentiate a layer's output with respect to its input. */
function differentiable(layer: tf.layers.Layer, input: tf.Tensor): boolean {
  try {
    tf.grad(v => tf.sum(runLayer(layer, v, 'differentiable') as tf.Tensor))(input);
    return true;
  } catch (e) {
    if (opWithoutGradient(e) === null) {
      throw e;
    }
    return false;
  }
}

/**
 * The gradient of `evaluate`, or the refusal naming the first layer of `path` tfjs cannot
 * differentiate.
 */
function gradientThrough(
  evaluate: TargetFunction,
  path: readonly PathLayer[],
  startName: string,
  method: string,
  x: tf.Tensor3D
): tf.Tensor3D {
  try {
    return tf.grad(v => tf.sum(evaluate(v as tf.Tensor3D)))(x) as tf.Tensor3D;
  } catch (e) {
    const op = opWithoutGradient(e);
    if (op === null) {
      throw e;
    }
    let culprit: tf.layers.Layer | null = null;
    tf.tidy(() => {
      const outputs: LayerOutputs = new Map([[startName, x]]);
      for (const { layer, inputs } of path) {
        const input = readInputs(outputs, inputs);
        if (!Array.isArray(input) && !differentiable(layer, input)) {
          culprit = layer;
          return;
        }
        outputs.set(layer.name, runLayer(layer, input, 'forward'));
      }
    });
    const layer = culprit as tf.layers.Layer | null;
    const where = layer
      ? `layer ${JSON.stringify(layer.name)} (${layer.getClassName()}), which uses the op ${op}`
      : `the op ${op}, on the way from the input to the target`;
    throw new ExplorerError(
      `tfjs has no gradient through ${where}, so method ${JSON.stringify(method)} cannot run ` +
        'on this model. Use method "ism", which needs forward passes only.'
    );
  }
}
