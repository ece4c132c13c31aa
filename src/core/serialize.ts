/**
 * Models as payload data and back: the topology and weights as base64 (float16 on
 * request), nested models inlined into one graph (`flattenModel`), and disposing the
 * models this code makes.
 */
import * as tf from '@tensorflow/tfjs';
import { errorMessage, ExplorerError } from './errors';
import { type JsonObject } from './json';
import { checkLayersModel } from './layers';
import { forTfjs, unknownLayerClasses } from './modelBuild';
import {
  fromBase64,
  toBase64,
  type JSONValue,
  type ModelPayload,
  type WeightSpec
} from '../protocol';

function concatenate(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  if (!Array.isArray(data)) {
    return new Uint8Array(data);
  }
  const total = data.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out;
}

/** How `modelToPayload` writes the weights. */
export interface WeightEncoding {
  /**
   * Store float32 weights as float16 (half the bytes, about 3 significant digits); tfjs
   * restores them to float32 when it loads the model.
   */
  float16?: boolean;
}

/** The largest finite float16 value. */
export const FLOAT16_MAX = 65504;

const float32Scratch = new Float32Array(1);
const bitsScratch = new Uint32Array(float32Scratch.buffer);

/**
 * Converts float32 values to IEEE 754 half precision, rounding to nearest even (the
 * conversion tfjs' float16 decoder inverts). Values beyond ±65504 become ±Infinity.
 *
 * @param values - float32 values
 * @returns their float16 bit patterns
 */
export function toFloat16Bits(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    float32Scratch[0] = values[i];
    const x = bitsScratch[0];
    const sign = (x >>> 16) & 0x8000;
    const exponent = (x >>> 23) & 0xff;
    const mantissa = x & 0x7fffff;
    if (exponent === 0xff) {
      out[i] = sign | 0x7c00 | (mantissa ? 0x200 : 0);
      continue;
    }
    const e = exponent - 127 + 15;
    if (e >= 31) {
      out[i] = sign | 0x7c00;
    } else if (e <= 0) {
      // Subnormal in float16 (or zero): the implicit leading 1 joins the shifted mantissa.
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      const full = mantissa | 0x800000;
      const shift = 14 - e;
      let half = full >>> shift;
      const rest = full & ((1 << shift) - 1);
      const halfway = 1 << (shift - 1);
      if (rest > halfway || (rest === halfway && half & 1)) {
        half++;
      }
      out[i] = sign | half;
    } else {
      // A carry out of the mantissa rounds into the exponent, as it should.
      let half = (e << 10) | (mantissa >>> 13);
      const rest = mantissa & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && half & 1)) {
        half++;
      }
      out[i] = sign | half;
    }
  }
  return out;
}

/** Re-encodes the float32 tensors of the weight data as float16 (tfjs' quantization). */
function toFloat16Weights(
  specs: WeightSpec[],
  bytes: Uint8Array
): { specs: WeightSpec[]; bytes: Uint8Array } {
  const parts: Uint8Array[] = [];
  const out: WeightSpec[] = [];
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const chunk = bytes.slice(offset, offset + size * 4);
    offset += size * 4;
    if (spec.dtype !== 'float32') {
      parts.push(chunk);
      out.push(spec);
      continue;
    }
    const values = new Float32Array(chunk.buffer, chunk.byteOffset, size);
    const largest = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    if (largest > FLOAT16_MAX) {
      throw new ExplorerError(
        `Weight ${JSON.stringify(spec.name)} holds ${largest}, beyond float16's range ` +
          `(±${FLOAT16_MAX}); leave the float16 option off for this model.`
      );
    }
    const half = toFloat16Bits(values);
    parts.push(new Uint8Array(half.buffer));
    out.push({ ...spec, quantization: { dtype: 'float16' } });
  }
  return { specs: out, bytes: concatenate(parts.map(p => p.buffer as ArrayBuffer)) };
}

/**
 * Tells whether a layer is a whole model used as a layer (a nested Sequential or
 * functional model). Duck-typed, so models from another copy of tfjs are recognised too.
 *
 * @param layer - any layer
 * @returns true for a nested model
 */
export function isNestedModel(layer: tf.layers.Layer): layer is tf.LayersModel {
  const l = layer as unknown as { layers?: unknown; inputs?: unknown; outputs?: unknown };
  return Array.isArray(l.layers) && Array.isArray(l.inputs) && Array.isArray(l.outputs);
}

/**
 * Tells whether a model holds nested models (see `flattenModel`).
 *
 * @param model - any model
 * @returns true when one of its layers is itself a model
 */
export function hasNestedModels(model: tf.LayersModel): boolean {
  return model.layers.some(isNestedModel);
}

/**
 * Calls a model's layers again on new symbolic inputs, inlining nested models, and returns
 * the outputs that correspond to the model's own.
 */
function replay(model: tf.LayersModel, inputs: tf.SymbolicTensor[]): tf.SymbolicTensor[] {
  const mapped = new Map<number, tf.SymbolicTensor>();
  model.inputs.forEach((t, i) => mapped.set(t.id, inputs[i]));
  // The nodes of this model's graph, as they were before the replay adds new ones.
  const pending = model.layers
    .filter(l => l.getClassName() !== 'InputLayer')
    .flatMap(layer => layer.inboundNodes.map(node => ({ layer, node })));
  // Topological order is the layers' order except for a layer called at several depths:
  // repeat until every node whose inputs are known has run.
  let progress = true;
  while (progress) {
    progress = false;
    for (const { layer, node } of pending) {
      const ins = node.inputTensors.map(t => mapped.get(t.id));
      if (ins.some(t => t === undefined) || node.outputTensors.every(t => mapped.has(t.id))) {
        continue;
      }
      const args = ins as tf.SymbolicTensor[];
      const outs = isNestedModel(layer)
        ? replay(layer, args)
        : [layer.apply(args.length === 1 ? args[0] : args, node.callArgs)].flat();
      node.outputTensors.forEach((t, i) => mapped.set(t.id, outs[i] as tf.SymbolicTensor));
      progress = true;
    }
  }
  return model.outputs.map(t => {
    const out = mapped.get(t.id);
    if (!out) {
      throw new ExplorerError(
        `The nested model ${JSON.stringify(model.name)} could not be inlined: its output ` +
          `${JSON.stringify(t.name)} is not reached from its inputs.`
      );
    }
    return out;
  });
}

/**
 * Disposes a model this code made and every weight it holds. tfjs frees a layer's weights
 * when the models using it have released it as many times as it was called, so a layer
 * called twice (a nested model used twice, once inlined) would keep its weights.
 *
 * @param model - a model no one else holds
 */
export function disposeModel(model: tf.LayersModel): void {
  const values = model.weights.map(w => w.read());
  model.dispose();
  tf.dispose(values.filter(v => !v.isDisposed));
}

/**
 * Inlines the nested models of a model this code owns, then disposes it.
 *
 * @param owned - a private model with nested models
 * @returns a new model without nested models
 */
async function inlineNested(owned: tf.LayersModel): Promise<tf.LayersModel> {
  const values = owned.weights.map(w => w.read());
  let flat: tf.LayersModel | undefined;
  try {
    // batchShape keeps a fixed batch size (stateful RNNs need it).
    const inputs = owned.inputs.map(t =>
      tf.input({ batchShape: t.shape, dtype: t.dtype, name: t.sourceLayer.name })
    );
    const outputs = replay(owned, inputs);
    try {
      flat = tf.model({ inputs, outputs, name: owned.name });
    } catch (e) {
      throw new ExplorerError(
        'The nested models cannot be inlined into one graph: ' +
          `${errorMessage(e).replace(/\.+$/, '')}. Give the layers of nested models names ` +
          'not used elsewhere in the model.'
      );
    }
    // A clean rebuild: every layer of the result belongs to it alone.
    return await loadModelPayload(await modelToPayload(flat));
  } finally {
    // The owned model's layers were called again by the replay: free their weights
    // whatever their use counts say.
    flat?.dispose();
    owned.dispose();
    tf.dispose(values.filter(v => !v.isDisposed));
  }
}

/**
 * An equivalent model without nested models: the layers of every nested Sequential or
 * functional model are inlined into one graph, with their weights, so the explorer can
 * reach a Conv1D layer inside a nested model like any other. The given model is not
 * changed (the inlining works on a copy).
 *
 * @param model - a model that may hold nested models
 * @returns a new model (dispose it with `disposeModel`) when `model` has nested models;
 *   otherwise `model`
 * @throws ExplorerError when two layers of the inlined graph share a name
 */
export async function flattenModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  checkLayersModel(model, 'flattenModel()');
  if (!hasNestedModels(model)) {
    return model;
  }
  // Weights are saved under their layers' names: two layers of one name (one in a nested
  // model) cannot be copied, and tfjs would leak the half-built copy. Say so first.
  const names = model.weights.map(w => w.originalName ?? w.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) {
    throw new ExplorerError(
      `The model cannot be copied to inline its nested models: two of its layers hold a ` +
        `weight named ${JSON.stringify(twice)} (a layer of a nested model is named like ` +
        'another layer). Give the layers of nested models names not used elsewhere in the model.'
    );
  }
  const copy = await modelToPayload(model)
    .then(loadModelPayload)
    .catch(e => {
      throw new ExplorerError(
        `The model cannot be copied to inline its nested models: ${errorMessage(e)}`
      );
    });
  return inlineNested(copy);
}

/**
 * Writes a model as payload data: its Keras topology and its weights as base64.
 *
 * @param model - any tfjs LayersModel
 * @param encoding - float16 to halve the weights
 * @returns the model payload
 */
export async function modelToPayload(
  model: tf.LayersModel,
  encoding: WeightEncoding = {}
): Promise<ModelPayload> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async a => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    })
  );
  if (!artifacts?.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) {
    throw new Error('tfjs returned no topology or weights when saving the model.');
  }
  let specs: WeightSpec[] = artifacts.weightSpecs.map(s => ({
    name: s.name,
    shape: [...s.shape],
    dtype: s.dtype as WeightSpec['dtype']
  }));
  let bytes = concatenate(artifacts.weightData as ArrayBuffer | ArrayBuffer[]);
  if (encoding.float16) {
    ({ specs, bytes } = toFloat16Weights(specs, bytes));
  }
  return {
    topology: artifacts.modelTopology as { [key: string]: JSONValue },
    weightSpecs: specs,
    weights: toBase64(bytes)
  };
}

/** Rebuilds a model exactly as the payload describes it, nested models included. */
async function loadModelPayload(payload: ModelPayload): Promise<tf.LayersModel> {
  const bytes = fromBase64(payload.weights);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  let artifacts: { modelTopology: JsonObject; weightSpecs: WeightSpec[] };
  try {
    // A payload written from a Keras 3 model.json (Open With) is built as the kernel builds
    // it; tfjs' own topologies pass unchanged.
    artifacts = forTfjs(
      { modelTopology: payload.topology as JsonObject, weightSpecs: payload.weightSpecs },
      'the model'
    );
  } catch (e) {
    throw new ExplorerError(`TensorFlow.js cannot rebuild the model: ${errorMessage(e)}`);
  }
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ ...artifacts, weightData }));
  } catch (e) {
    const unknown = unknownLayerClasses(artifacts.modelTopology);
    if (unknown.length > 0) {
      throw new ExplorerError(
        `TensorFlow.js cannot rebuild the model: it does not know the layer class ` +
          `${unknown.join(', ')}. Custom layers exist only where they were registered (the ` +
          'kernel); explore only the Conv1D layers before them (`layers` option: the ' +
          'explorer sends only the layers up to the deepest one), or give the browser a ' +
          `model without them. (TensorFlow.js said: ${errorMessage(e).split('\n')[0]})`
      );
    }
    throw new ExplorerError(`TensorFlow.js cannot rebuild the model: ${errorMessage(e)}`);
  }
}

/**
 * Rebuilds a model from payload data. Nested models are inlined (see `flattenModel`).
 *
 * @param payload - the model payload
 * @returns the model, its weights loaded
 * @throws ExplorerError naming the layer class tfjs cannot build, or saying the topology
 *   does not fit the weights
 */
export async function modelFromPayload(payload: ModelPayload): Promise<tf.LayersModel> {
  const model = await loadModelPayload(payload);
  return hasNestedModels(model) ? inlineNested(model) : model;
}
