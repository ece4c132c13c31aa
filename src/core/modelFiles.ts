/**
 * Models as researchers save them, read from their bytes alone: Keras 3's `.keras` zip,
 * Keras 2 and 3 `.h5` files, and the topology of a tfjs `model.json` (Keras 2 or Keras 3
 * converter output). The same in Node (the kernel) and the browser (Open With).
 */
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { ExplorerError } from './errors';
import { isHdf5, openHdf5 } from './hdf5';
import {
  checkKerasVersion,
  newerKerasNote,
  parseKerasVersion,
  toTfjsTopology,
  type Json,
  type JsonObject
} from './kerasConfig';
import { kerasWeightGroups, layerWeightNames } from './kerasWeights';

/** What tfjs needs to build a model: its topology, weight specs and weight bytes. */
export interface LoadedArtifacts {
  modelTopology: JsonObject;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

const FORMATS =
  'a Keras 3 .keras file, a Keras .h5 file saved with model.save(), or the model.json of ' +
  'a TensorFlow.js LayersModel';

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Tells whether bytes are a file `readModelBytes` reads (a zip or an HDF5 file), rather
 * than JSON.
 *
 * @param bytes - the file's first bytes at least
 * @returns true for a zip archive or an HDF5 file
 */
export function isBinaryModelFile(bytes: Uint8Array): boolean {
  return isZip(bytes) || isHdf5(bytes);
}

/**
 * Reads a `.keras` or `.h5` model file.
 *
 * @param bytes - the file's bytes
 * @param file - its name or path, for messages
 * @returns the topology (in the form tfjs builds), weight specs and weights
 * @throws ExplorerError saying what the file is when it is not one of these, is damaged,
 *   or its weights do not fit its config
 */
export async function readModelBytes(bytes: Uint8Array, file: string): Promise<LoadedArtifacts> {
  if (isZip(bytes)) {
    return readKerasArchive(bytes, file);
  }
  if (isHdf5(bytes)) {
    return readKerasH5(bytes, file);
  }
  throw new ExplorerError(describeUnreadable(file));
}

/**
 * What to say of a file that is none of the formats read.
 *
 * @param file - its name or path
 * @returns a message naming what the file seems to be and what to do
 */
export function describeUnreadable(file: string): string {
  // The name may come quoted, as messages show paths.
  if (/saved_model\.pb(txt)?"?$/.test(file)) {
    return savedModelMessage(file);
  }
  return `${file} is not a model file conv1d-explorer reads: expected ${FORMATS}.`;
}

/**
 * The message for a TensorFlow SavedModel, which has no layers tfjs-layers can build.
 *
 * @param file - the SavedModel folder or its `saved_model.pb`
 * @returns what it is and the two ways round
 */
export function savedModelMessage(file: string): string {
  return (
    `${file} is a TensorFlow SavedModel, which TensorFlow.js cannot read as layers. In ` +
    'Python, load the model and save it as .keras (model.save("model.keras")), or convert ' +
    'it: tensorflowjs_converter --input_format=keras_saved_model <folder> <output folder> ' +
    '(see "Bring your model" in the README).'
  );
}

/** A `.keras` file: `metadata.json`, `config.json` and `model.weights.h5` in a zip. */
async function readKerasArchive(bytes: Uint8Array, file: string): Promise<LoadedArtifacts> {
  let entries: { [name: string]: Uint8Array };
  const names: string[] = [];
  try {
    entries = unzipSync(bytes, {
      filter: f => {
        names.push(f.name);
        return ['config.json', 'metadata.json', 'model.weights.h5'].includes(f.name);
      }
    });
  } catch (e) {
    throw new ExplorerError(
      `${file} is a damaged or truncated zip archive (${errorText(e)}). Copy it again, or ` +
        'save the model again with model.save("model.keras").'
    );
  }
  if (!entries['config.json']) {
    throw new ExplorerError(
      `${file} is a zip archive but not a Keras model: it has no config.json (a .keras ` +
        'file holds config.json, metadata.json and model.weights.h5).'
    );
  }
  if (!entries['model.weights.h5']) {
    throw new ExplorerError(
      names.includes('model.weights.json')
        ? `${file} keeps its weights in shards (saved with max_shard_size), which ` +
            'conv1d-explorer does not read; save the model again with model.save("model.keras").'
        : `${file} holds a Keras model config but no weights (model.weights.h5); save the ` +
            'model with model.save("model.keras").'
    );
  }
  const config = parseJson(entries['config.json'], `${file} (config.json)`);
  const metadata = entries['metadata.json']
    ? parseJson(entries['metadata.json'], `${file} (metadata.json)`)
    : {};
  const version = metadata.keras_version;
  checkKerasVersion(version, file);
  const weights = openHdf5(entries['model.weights.h5'], `${file} (model.weights.h5)`);
  const groups = new Map(kerasWeightGroups(config).map(g => [g.layer, g.groups]));
  return withNote(version, () =>
    buildArtifacts({ ...config, keras_version: version ?? null }, file, layer => {
      const paths = groups.get(layer) ?? [];
      return paths.flatMap(path => {
        // Keras makes no group for a layer without variables in some versions.
        const vars = weights.has(path) ? weights.group(path) : undefined;
        const keys = (vars?.keys() ?? []).sort((a, b) => Number(a) - Number(b));
        return keys.map(k => ({ where: `${path}/${k}`, ...vars!.dataset(k) }));
      });
    })
  );
}

/** A Keras 2 or 3 `.h5` file: a `model_config` attribute and a `model_weights` group. */
async function readKerasH5(bytes: Uint8Array, file: string): Promise<LoadedArtifacts> {
  const root = openHdf5(bytes, file);
  const configText = root.attr('model_config');
  if (typeof configText !== 'string') {
    throw new ExplorerError(
      root.has('layers') || root.attr('layer_names') !== undefined
        ? `${file} holds weights only (what model.save_weights() writes, or the weights ` +
            'inside a .keras file), not the model. Save the whole model: ' +
            'model.save("model.keras") or model.save("model.h5").'
        : `${file} is an HDF5 file but not a Keras model: it has no "model_config" ` +
            'attribute. Save the model with model.save("model.keras") or model.save("model.h5").'
    );
  }
  const config = parseJson(new TextEncoder().encode(configText), `${file} (model_config)`);
  const version = root.attr('keras_version');
  checkKerasVersion(version, file);
  if (!root.has('model_weights')) {
    throw new ExplorerError(`${file} has a model config but no "model_weights" group.`);
  }
  const weights = root.group('model_weights');
  const stored = new Set(strings(weights.attr('layer_names')));
  return withNote(version, () =>
    buildArtifacts({ ...config, keras_version: (version as Json) ?? null }, file, layer => {
      if (!stored.has(layer)) {
        return [];
      }
      const group = weights.group(layer);
      return strings(group.attr('weight_names')).map(name => ({
        where: `model_weights/${layer}/${name}`,
        ...group.dataset(name)
      }));
    })
  );
}

/** A stored weight: where it is in the file, its shape and values. */
interface StoredWeight {
  where: string;
  shape: number[];
  values: Float32Array;
}

/**
 * Builds the model from its config with tfjs (to learn its weights: names, shapes and
 * order), and puts each layer's stored weights in their places, checking their shapes.
 */
async function buildArtifacts(
  topology: JsonObject,
  file: string,
  storedWeights: (layer: string) => StoredWeight[]
): Promise<LoadedArtifacts> {
  const modelTopology = toTfjsTopology(topology, file);
  checkLayerClasses(modelTopology, file);
  let skeleton: tf.LayersModel;
  try {
    skeleton = await tf.models.modelFromJSON(modelTopology as tf.serialization.ConfigDict);
  } catch (e) {
    throw new ExplorerError(`Cannot build the model in ${file}: ${errorText(e)}`);
  }
  try {
    const weightSpecs: tf.io.WeightsManifestEntry[] = [];
    const parts: Float32Array[] = [];
    for (const layer of skeleton.layers) {
      const stored = storedWeights(layer.name);
      const wanted = layer.weights;
      if (stored.length !== wanted.length) {
        throw new ExplorerError(
          `${file}: layer ${JSON.stringify(layer.name)} needs ${wanted.length} weight ` +
            `arrays but the file holds ${stored.length} for it. The config and the ` +
            'weights are not of one model, or the file is damaged.'
        );
      }
      wanted.forEach((w, i) => {
        const s = stored[i];
        if (s.shape.join(',') !== w.shape.join(',')) {
          throw new ExplorerError(
            `${file}: the weights of layer ${JSON.stringify(layer.name)} do not fit its ` +
              `config: ${s.where} has shape [${s.shape.join(', ')}] where the layer needs ` +
              `[${w.shape.join(', ')}] (${w.originalName}). The config and the weights ` +
              'are not of one model, or the file is damaged.'
          );
        }
        weightSpecs.push({ name: w.originalName, shape: s.shape, dtype: 'float32' });
        parts.push(s.values);
      });
    }
    const data = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      data.set(p, offset);
      offset += p.length;
    }
    return { modelTopology, weightSpecs, weightData: data.buffer };
  } finally {
    skeleton.dispose();
  }
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
  artifacts: {
    modelTopology: JsonObject;
    weightSpecs: tf.io.WeightsManifestEntry[];
    weightData: ArrayBuffer;
  },
  file: string
): Promise<tf.LayersModel> {
  const version = (artifacts.modelTopology.keras_version ??
    (artifacts.modelTopology.model_config as JsonObject | undefined)?.keras_version) as Json;
  return withNote(version, async () => {
    const { modelTopology, weightSpecs } = forTfjs(artifacts, file);
    checkLayerClasses(modelTopology, file);
    try {
      return await tf.loadLayersModel(
        tf.io.fromMemory({ modelTopology, weightSpecs, weightData: artifacts.weightData })
      );
    } catch (e) {
      throw new ExplorerError(`Cannot build the model in ${file}: ${errorText(e)}`);
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
  if (parseKerasVersion(modelTopology.keras_version)?.[0] === 3) {
    const names = layerWeightNames(
      weightSpecs.map(s => s.name),
      modelTopology
    );
    weightSpecs = weightSpecs.map((s, i) => ({ ...s, name: names[i] }));
  }
  return { modelTopology, weightSpecs };
}

/** Adds a note to an error when the file is from a Keras newer than the one tested. */
async function withNote<T>(version: unknown, run: () => Promise<T>): Promise<T> {
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
    if (isObject(entry?.config?.layer)) {
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

/** Refuses a topology with a layer class tfjs cannot build, naming it and the way round. */
function checkLayerClasses(topology: JsonObject, file: string): void {
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
  const model = isObject(topology.model_config) ? topology.model_config : topology;
  const layers = (model.config as JsonObject | undefined)?.layers;
  const convs = (Array.isArray(layers) ? (layers as JsonObject[]) : []).filter(
    l => l.class_name === 'Conv1D'
  );
  const last = convs[convs.length - 1];
  return last ? String((last.config as JsonObject).name) : undefined;
}

function parseJson(bytes: Uint8Array, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new ExplorerError(`${what} is not JSON (${errorText(e)}); the file is damaged.`);
  }
  if (!isObject(value)) {
    throw new ExplorerError(`${what} is not a JSON object; the file is damaged.`);
  }
  return value;
}

/** An HDF5 string-list attribute (layer_names, weight_names) as strings. */
function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map(v => (v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v)));
}
