/**
 * tfjs models from topologies in any form files hold them: Keras 3 configs translated, Keras
 * 3 converter weight names mapped, and layer classes tfjs cannot build named with the way
 * round them.
 */
import * as tf from '@tensorflow/tfjs';
import { errorMessage, ExplorerError } from './errors';
import { isJsonObject, type Json, type JsonObject } from './json';
import { newerKerasNote, isKeras3, toTfjsTopology } from './kerasConfig';
import { layerWeightNames } from './kerasWeights';

/** What tfjs needs to build a model: its topology, weight specs and weight bytes. */
export interface LoadedArtifacts {
  modelTopology: JsonObject;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

/**
 * Builds a tfjs model from a topology in any form files hold it (Keras 3 configs are
 * translated), with its weights.
 *
 * @param artifacts - topology, weight specs and weight bytes
 * @param file - where they come from, for messages
 * @returns the model
 * @throws ExplorerError naming a layer class tfjs cannot build, or saying what tfjs refused
 */
export async function buildLayersModel(
  artifacts: LoadedArtifacts,
  file: string
): Promise<tf.LayersModel> {
  const version = (artifacts.modelTopology.keras_version ??
    (artifacts.modelTopology.model_config as JsonObject | undefined)?.keras_version) as Json;
  return withNewerKerasNote(version, async () => {
    const { modelTopology, weightSpecs } = forTfjs(artifacts, file);
    checkLayerClasses(modelTopology, file);
    try {
      return await tf.loadLayersModel(
        tf.io.fromMemory({ modelTopology, weightSpecs, weightData: artifacts.weightData })
      );
    } catch (e) {
      throw new ExplorerError(`Cannot build the model in ${file}: ${errorMessage(e)}`);
    }
  });
}

/**
 * A topology and its weight specs in the form tfjs builds: Keras 3 configs translated
 * (`toTfjsTopology`), and Keras 3 converter weight names as tfjs looks them up
 * (`layerWeightNames`). tfjs' own and Keras 2 artifacts come back equivalent.
 *
 * @param artifacts - the topology (any form files hold it) and the weight specs
 * @param file - where they come from, for messages
 * @returns the translated topology and specs
 * @throws ExplorerError as `toTfjsTopology`
 */
export function forTfjs<Spec extends { name: string }>(
  artifacts: { modelTopology: JsonObject; weightSpecs: Spec[] },
  file: string
): { modelTopology: JsonObject; weightSpecs: Spec[] } {
  const modelTopology = toTfjsTopology(artifacts.modelTopology, file);
  let weightSpecs = artifacts.weightSpecs;
  if (isKeras3(artifacts.modelTopology)) {
    const names = layerWeightNames(
      weightSpecs.map(s => s.name),
      modelTopology
    );
    weightSpecs = weightSpecs.map((s, i) => ({ ...s, name: names[i] }));
  }
  return { modelTopology, weightSpecs };
}

/**
 * Runs a step of loading a file, adding a note to its error when the file is from a Keras
 * newer than the one tested.
 *
 * @param version - the file's `keras_version`
 * @param run - the step
 * @returns what the step returns
 */
export async function withNewerKerasNote<T>(version: unknown, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const note = newerKerasNote(version);
    if (note && e instanceof ExplorerError) {
      throw new ExplorerError(e.message + note);
    }
    throw e;
  }
}

/**
 * The layer classes a topology uses that this copy of tfjs cannot build, each with a layer
 * of that class, e.g. `Lambda (layer "scale")`.
 *
 * @param topology - a model topology in the form tfjs builds
 * @returns one entry per unknown class; empty when tfjs knows them all
 */
export function unknownLayerClasses(topology: unknown): string[] {
  return unknownClasses(topology).map(([cls, layer]) => `${cls} (layer ${JSON.stringify(layer)})`);
}

function unknownClasses(topology: unknown): [string, string][] {
  const known = (
    tf.serialization.SerializationMap as unknown as {
      getMap(): { classNameMap: { [name: string]: unknown } };
    }
  ).getMap().classNameMap;
  const unknown = new Map<string, string>();
  type Entry = {
    class_name?: unknown;
    config?: { name?: unknown; layers?: unknown; layer?: unknown };
  };
  // Layers are the entries of a model config's `layers`, and the layer a wrapper holds.
  const walk = (entry: Entry | undefined, isLayer: boolean): void => {
    const cls = entry?.class_name;
    if (isLayer && typeof cls === 'string' && !(cls in known)) {
      unknown.set(cls, String(entry?.config?.name ?? '?'));
    }
    const layers = entry?.config?.layers;
    for (const layer of Array.isArray(layers) ? (layers as Entry[]) : []) {
      walk(layer, true);
    }
    if (isJsonObject(entry?.config?.layer)) {
      walk(entry.config.layer as Entry, true);
    }
  };
  const root = topology as { model_config?: Entry } & Entry;
  walk(root.model_config ?? root, false);
  return [...unknown];
}

/** Why tfjs-layers cannot build some Keras layer classes, and what to do instead. */
const WAY_ROUND: { [cls: string]: (layer: string, cut: string) => string } = {
  Lambda: (layer, cut) =>
    `a Lambda layer's Python code does not travel with the file. Replace ${layer} with ` +
    `built-in Keras layers, or ${cut}`,
  TFOpLambda: (layer, cut) =>
    `it is a TensorFlow operation applied in the model code (tf.*). Replace ${layer} with ` +
    `the matching Keras layer, or ${cut}`,
  TextVectorization: textLayer,
  StringLookup: textLayer,
  IntegerLookup: textLayer,
  MultiHeadAttention: (_layer, cut) =>
    `TensorFlow.js has no attention layers. To explore the convolutions, ${cut}`
};

/** Text preprocessing at the model's input: the explorer takes token ids. */
function textLayer(layer: string): string {
  return (
    `TensorFlow.js has no text preprocessing layers. Save the model from its token ids on, ` +
    `without ${layer} (e.g. keras.Sequential([keras.Input((length,), dtype="int32")] + ` +
    'model.layers[1:])), and give explore() its vocabulary (layer.get_vocabulary()) as labels'
  );
}

/**
 * Refuses a topology with a layer class tfjs cannot build, naming it and the way round.
 *
 * @param topology - a topology in the form tfjs builds
 * @param file - where it comes from, for the message
 * @throws ExplorerError naming the first unknown class's layer and what to do
 */
export function checkLayerClasses(topology: JsonObject, file: string): void {
  const unknown = unknownClasses(topology);
  if (unknown.length === 0) {
    return;
  }
  const [cls, layer] = unknown[0];
  const conv = lastConv1D(topology);
  const cut =
    'save the part of the model before it, which is all the explorer needs when it follows ' +
    `the Conv1D layers: keras.Model(model.input, model.get_layer(${JSON.stringify(conv ?? '<last Conv1D>')}).output).save("part.keras")`;
  const listed = unknown.map(([c, l]) => `${c} (layer ${JSON.stringify(l)})`);
  const why =
    WAY_ROUND[cls]?.(JSON.stringify(layer), cut) ??
    `TensorFlow.js has no layer of that class. Replace ${JSON.stringify(layer)} with built-in ` +
      `Keras layers, or ${cut}. A layer class of your own can be registered in TensorFlow.js ` +
      '(tf.serialization.registerClass) before loading';
  throw new ExplorerError(`${file}: TensorFlow.js cannot build ${listed.join(', ')}; ${why}.`);
}

/** The name of the last Conv1D layer at a topology's top level, if any. */
function lastConv1D(topology: JsonObject): string | undefined {
  const model = isJsonObject(topology.model_config) ? topology.model_config : topology;
  const layers = (model.config as JsonObject | undefined)?.layers;
  const convs = (Array.isArray(layers) ? (layers as JsonObject[]) : []).filter(
    l => l.class_name === 'Conv1D'
  );
  const last = convs[convs.length - 1];
  return last ? String((last.config as JsonObject).name) : undefined;
}
