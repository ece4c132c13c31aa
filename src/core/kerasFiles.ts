/**
 * Keras' own files read from their bytes alone: Keras 3's `.keras` zip (config.json,
 * metadata.json, model.weights.h5) and Keras 2 and 3 `.h5` files (a `model_config`
 * attribute and a `model_weights` group). The same in Node (the kernel) and the browser
 * (Open With).
 */
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { errorMessage, ExplorerError } from './errors';
import { openHdf5, type Hdf5Group } from './hdf5';
import { isJsonObject, type Json, type JsonObject } from './json';
import { checkKerasVersion, toTfjsTopology } from './kerasConfig';
import { kerasWeightGroups, type LayerWeightGroups } from './kerasWeights';
import { checkLayerClasses, withNewerKerasNote, type LoadedArtifacts } from './modelBuild';
import { describeUnreadable, isHdf5, isZip } from './modelFormats';

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
      `${file} is a damaged or truncated zip archive (${errorMessage(e)}). Copy it again, or ` +
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
  // Mapped once, when the first layer asks: after the translation has checked the config.
  let groups: LayerWeightGroups[] | undefined;
  return withNewerKerasNote(version, () =>
    buildArtifacts({ ...config, keras_version: version ?? null }, file, {
      byInnerLayer: true,
      weights: path => archiveWeights(weights, (groups ??= kerasWeightGroups(config)), path)
    })
  );
}

/** A layer's weights in a `.keras` file, by the path of layer names to it. */
function archiveWeights(
  h5: Hdf5Group,
  layers: LayerWeightGroups[],
  path: readonly string[]
): StoredWeight[] {
  const [name, ...rest] = path;
  const entry = layers.find(l => l.layer === name);
  if (!entry) {
    return []; // an input layer
  }
  if (rest.length > 0) {
    return archiveWeights(h5, entry.layers ?? [], rest);
  }
  return entry.groups.flatMap(group => {
    // Some Keras versions make no group for a layer without variables.
    const vars = h5.has(group) ? h5.group(group) : undefined;
    const keys = (vars?.keys() ?? []).sort((a, b) => Number(a) - Number(b));
    return keys.map(k => ({ where: `${group}/${k}`, ...vars!.dataset(k) }));
  });
}

/** A Keras 2 or 3 `.h5` file: a `model_config` attribute and a `model_weights` group. */
async function readKerasH5(bytes: Uint8Array, file: string): Promise<LoadedArtifacts> {
  const root = openHdf5(bytes, file);
  const configText = root.attr('model_config');
  if (typeof configText !== 'string') {
    throw new ExplorerError(
      root.has('layers') || stringList(root, 'layer_names').length > 0
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
  const stored = new Set(stringList(weights, 'layer_names'));
  return withNewerKerasNote(version, () =>
    buildArtifacts({ ...config, keras_version: (version as Json) ?? null }, file, {
      // A layer's weights, a nested model's included, are one named list
      // (`weight_names`); `inOrderOf` puts them in tfjs' order.
      byInnerLayer: false,
      weights: ([layer]) => {
        if (!stored.has(layer)) {
          return [];
        }
        const group = weights.group(layer);
        return stringList(group, 'weight_names').map(name => ({
          where: `model_weights/${layer}/${name}`,
          name,
          ...group.dataset(name)
        }));
      }
    })
  );
}

/** A stored weight: where it is in the file, its shape and values. */
interface StoredWeight {
  where: string;
  /** Its name, where the file names it (`.h5`: `conv/kernel:0`, `block/inner/kernel`). */
  name?: string;
  shape: number[];
  values: Float32Array;
}

/**
 * Where a file keeps the weights of a layer, by the path of layer names to it from the
 * model (`["block", "inner"]`).
 */
interface WeightSource {
  /**
   * Whether a nested model's weights are filed layer by layer (`.keras`), rather than as
   * one named list for the whole nested model (`.h5`).
   */
  byInnerLayer: boolean;
  weights(path: readonly string[]): StoredWeight[];
}

/** Every initializer replaced by Zeros: the file's weights replace what they make. */
function withZeroInitializers(value: Json): Json {
  if (Array.isArray(value)) {
    return value.map(withZeroInitializers);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k.endsWith('_initializer') && v !== null
        ? { class_name: 'Zeros', config: {} }
        : withZeroInitializers(v)
    ])
  );
}

/**
 * Stored weights in the order of the layer's tfjs weights: by name where every one is
 * found by its name, otherwise as stored. Names settle what the order alone may not: an
 * `.h5` file lists a frozen nested model's weights layer by layer, tfjs trainable first.
 */
function inOrderOf(wanted: tf.LayerVariable[], stored: StoredWeight[]): StoredWeight[] {
  const byName = wanted.map(w => {
    const matches = stored.filter(s => {
      const name = s.name?.replace(/:0$/, '');
      return name !== undefined && (name === w.originalName || name.endsWith(`/${w.originalName}`));
    });
    return matches.length === 1 ? matches[0] : undefined;
  });
  const found = byName.filter((s): s is StoredWeight => s !== undefined);
  return found.length === stored.length && new Set(found).size === found.length ? found : stored;
}

/**
 * Builds the model from its config with tfjs (to learn its weights: names, shapes and
 * order), and puts each layer's stored weights in their places, checking their shapes.
 */
async function buildArtifacts(
  topology: JsonObject,
  file: string,
  source: WeightSource
): Promise<LoadedArtifacts> {
  const modelTopology = toTfjsTopology(topology, file);
  checkLayerClasses(modelTopology, file);
  let skeleton: tf.LayersModel;
  try {
    // Zeros: an Orthogonal initializer would factor matrices (and warn) for nothing.
    skeleton = await tf.models.modelFromJSON(
      withZeroInitializers(modelTopology) as tf.serialization.ConfigDict
    );
  } catch (e) {
    throw new ExplorerError(`Cannot build the model in ${file}: ${errorMessage(e)}`);
  }
  try {
    const weightSpecs: tf.io.WeightsManifestEntry[] = [];
    const parts: Float32Array[] = [];
    const place = (layer: tf.layers.Layer, path: string[]): void => {
      const inner = (layer as { layers?: tf.layers.Layer[] }).layers;
      if (source.byInnerLayer && Array.isArray(inner)) {
        inner.forEach(l => place(l, [...path, l.name]));
        return;
      }
      const wanted = layer.weights;
      const stored = inOrderOf(wanted, source.weights(path));
      const name = JSON.stringify(path.join('/'));
      if (stored.length !== wanted.length) {
        throw new ExplorerError(
          `${file}: layer ${name} needs ${wanted.length} weight arrays but the file holds ` +
            `${stored.length} for it. The config and the weights are not of one model, or ` +
            'the file is damaged or truncated.'
        );
      }
      wanted.forEach((w, i) => {
        const s = stored[i];
        if (s.shape.join(',') !== w.shape.join(',')) {
          throw new ExplorerError(
            `${file}: the weights of layer ${name} do not fit its config: ${s.where} has ` +
              `shape [${s.shape.join(', ')}] where the layer needs [${w.shape.join(', ')}] ` +
              `(${w.originalName}). The config and the weights are not of one model, or ` +
              'the file is damaged.'
          );
        }
        weightSpecs.push({ name: w.originalName, shape: s.shape, dtype: 'float32' });
        parts.push(s.values);
      });
    };
    skeleton.layers.forEach(l => place(l, [l.name]));
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

function parseJson(bytes: Uint8Array, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new ExplorerError(`${what} is not JSON (${errorMessage(e)}); the file is damaged.`);
  }
  if (!isJsonObject(value)) {
    throw new ExplorerError(`${what} is not a JSON object; the file is damaged.`);
  }
  return value;
}

/**
 * An HDF5 string-list attribute (layer_names, weight_names) as strings. Keras splits one
 * over 64 kB into `name0`, `name1`, … (`save_attributes_to_hdf5_group`).
 */
function stringList(group: Hdf5Group, name: string): string[] {
  const whole = group.attr(name);
  const chunks: unknown[] = whole === undefined ? [] : [whole];
  for (let i = 0; whole === undefined && group.attr(`${name}${i}`) !== undefined; i++) {
    chunks.push(group.attr(`${name}${i}`));
  }
  return chunks.flatMap(value =>
    (Array.isArray(value) ? value : [value]).map(v =>
      v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v)
    )
  );
}
