import * as tf from '@tensorflow/tfjs';
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

/**
 * Writes a model as payload data: its Keras topology and its weights as base64.
 *
 * @param model - any tfjs LayersModel
 * @returns the model payload
 */
export async function modelToPayload(model: tf.LayersModel): Promise<ModelPayload> {
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
  return {
    topology: artifacts.modelTopology as { [key: string]: JSONValue },
    weightSpecs: artifacts.weightSpecs.map(s => ({
      name: s.name,
      shape: [...s.shape],
      dtype: s.dtype as WeightSpec['dtype']
    })),
    weights: toBase64(concatenate(artifacts.weightData as ArrayBuffer | ArrayBuffer[]))
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
    throw new PayloadError(`The model in this output cannot be rebuilt: ${(e as Error).message}`);
  }
}
