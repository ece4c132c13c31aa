import * as tf from '@tensorflow/tfjs';
import { ExplorerError } from './errors';
import {
  fromBase64,
  PayloadError,
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
 * The part of a model the explorer needs for some of its Conv1D layers: every layer on the
 * way from the inputs to them, and nothing after (dense heads are often most of the
 * weights). It shares the model's layers and weights: do not dispose it.
 *
 * @param model - the model
 * @param layerNames - Conv1D layers of the model
 * @returns a model whose outputs are those layers' outputs, or the model itself when a
 *   smaller one cannot be cut from it (e.g. layers shared between several calls)
 */
export function modelUpTo(model: tf.LayersModel, layerNames: readonly string[]): tf.LayersModel {
  try {
    const outputs = layerNames.map(name => {
      const layer = model.getLayer(name);
      if (layer.inboundNodes.length !== 1) {
        throw new Error('shared layer');
      }
      return layer.getOutputAt(0) as tf.SymbolicTensor;
    });
    const part = tf.model({ inputs: model.inputs, outputs, name: model.name });
    return part.countParams() < model.countParams() ? part : model;
  } catch {
    return model;
  }
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

/**
 * Rebuilds a model from payload data.
 *
 * @param payload - the model payload
 * @returns the model, its weights loaded
 * @throws PayloadError naming the layer class tfjs cannot build, or saying the topology
 *   does not fit the weights
 */
export async function modelFromPayload(payload: ModelPayload): Promise<tf.LayersModel> {
  const bytes = fromBase64(payload.weights);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: payload.topology as object,
        weightSpecs: payload.weightSpecs,
        weightData
      })
    );
  } catch (e) {
    throw new PayloadError(`TensorFlow.js cannot rebuild the model: ${(e as Error).message}`);
  }
}
