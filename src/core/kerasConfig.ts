/**
 * Keras 3 model configs translated into the Keras 2 form tfjs-layers builds. Pure JSON in,
 * JSON out: no tfjs, so the browser can use it before tfjs loads.
 *
 * This module holds the model around the layers; each layer's own config is kerasLayers'.
 * Keras 3 (TensorFlow 2.16 and later) writes, where Keras 2 wrote something else:
 * `batch_shape` for `batch_input_shape`; `{args, kwargs}` inbound nodes holding
 * `__keras_tensor__` entries for `[[name, node, tensor, kwargs]]` lists, their node indices
 * counted without a nested model's own node; a bare `[name, node, tensor]` (or a dict) for
 * a model's inputs and outputs; the mirror of a Bidirectional layer as `backward_layer`.
 * Translated once, a topology is marked so, and not translated again.
 */
import { ExplorerError } from './errors';
import { isJsonObject as isObject, type Json, type JsonObject } from './json';
import { checkMirror, refuseUncomputable, renamedClass, translateField } from './kerasLayers';

/** The newest Keras versions the loader was tested with, by major version. */
export const TESTED_KERAS = { 2: '2.19.0', 3: '3.15.1' } as const;

/** Model classes whose config holds layers of their own. */
export const MODEL_CLASSES: ReadonlySet<string> = new Set(['Sequential', 'Functional', 'Model']);

/**
 * Reads a Keras version string.
 *
 * @param version - a config's or file's `keras_version`, e.g. `3.15.1`
 * @returns `[major, minor, patch]`; null for anything else (tfjs writes `tfjs-layers 4.22.0`)
 */
export function parseKerasVersion(version: unknown): [number, number, number] | null {
  const m = typeof version === 'string' ? /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

/**
 * Refuses a file written by a Keras newer than the loader knows: a new major version may
 * change the format in ways that load wrong numbers rather than fail.
 *
 * @param version - the file's `keras_version` (tfjs' own `tfjs-layers x` passes)
 * @param file - the file, for the message
 * @throws ExplorerError for Keras 4 and later
 */
export function checkKerasVersion(version: unknown, file: string): void {
  const v = parseKerasVersion(version);
  if (v && v[0] > 3) {
    throw new ExplorerError(
      `${file} was saved by Keras ${String(version)}, newer than conv1d-explorer reads: it ` +
        `reads files of Keras 2 and 3 (tested with tf_keras ${TESTED_KERAS[2]} and Keras ` +
        `${TESTED_KERAS[3]}). Save the model with Keras 3, or convert it with the ` +
        'tensorflowjs converter (see "Bring your model" in the README).'
    );
  }
}

/**
 * A note for errors about a file of a Keras newer than the one tested, or ''.
 *
 * @param version - the file's `keras_version`
 * @returns e.g. ` (The file is from Keras 3.20.0; the loader was tested up to 3.15.1.)`
 */
export function newerKerasNote(version: unknown): string {
  // A translated topology keeps the version as `tfjs-layers, from Keras 3.20.0`.
  const v = parseKerasVersion(String(version).replace(/^tfjs-layers, from Keras /, ''));
  if (!v || (v[0] !== 2 && v[0] !== 3)) {
    return '';
  }
  const tested = parseKerasVersion(TESTED_KERAS[v[0]])!;
  const newer = v[1] > tested[1] || (v[1] === tested[1] && v[2] > tested[2]);
  return newer
    ? ` (The file is from Keras ${v.join('.')}; the loader was tested up to ${TESTED_KERAS[v[0]]}.)`
    : '';
}

/**
 * Translates a model topology, in any of the forms files hold it, into the Keras 2 form
 * tfjs-layers builds. A Keras 2 or tfjs topology comes back equivalent; the input is not
 * changed.
 *
 * @param topology - a `model.json`'s `modelTopology`, a `.keras` file's `config.json` or an
 *   `.h5` file's `model_config`
 * @param file - the file, for messages
 * @returns the topology tfjs-layers builds (`model_config` unwrapped; `keras_version` marked
 *   as translated, e.g. `tfjs-layers, from Keras 3.15.1`)
 * @throws ExplorerError for a config tfjs would build differently from Keras, a damaged
 *   config, or a Keras newer than the loader reads
 */
export function toTfjsTopology(topology: JsonObject, file: string): JsonObject {
  const version = topology.keras_version;
  checkKerasVersion(version, file);
  const model = isObject(topology.model_config) ? topology.model_config : topology;
  if (typeof model.class_name !== 'string' || !isObject(model.config)) {
    throw new ExplorerError(
      `${file} holds no Keras model config: expected "class_name" and "config" (what ` +
        'model.to_json() writes).'
    );
  }
  const keras3 = isKeras3(topology);
  const translated = translateEntry(model, { file, keras3 });
  // Marked as tfjs marks its own topologies (`tfjs-layers …`): translated once, a topology
  // is not translated again (Keras 3's node offsets would be added twice).
  const keras = parseKerasVersion(version) ? String(version) : null;
  return {
    ...translated,
    ...(version != null
      ? { keras_version: keras ? `tfjs-layers, from Keras ${keras}` : version }
      : {}),
    ...(topology.backend !== undefined ? { backend: topology.backend } : {})
  };
}

/**
 * Tells whether Keras 3 wrote a topology: by the version it names or, without one, by the
 * forms only Keras 3 writes.
 *
 * @param topology - a topology in any of the forms files hold it
 * @returns true for Keras 3
 */
export function isKeras3(topology: JsonObject): boolean {
  const version = topology.keras_version;
  if (version != null) {
    return parseKerasVersion(version)?.[0] === 3;
  }
  return /"(DTypePolicy|__keras_tensor__)"/.test(JSON.stringify(topology));
}

/** What every step of a translation knows: the file, and whether Keras 3 wrote it. */
interface Context {
  file: string;
  keras3: boolean;
}

/** One `{class_name, config}` entry: a model, a layer, or a layer wrapped in another. */
function translateEntry(
  entry: Json,
  context: Context,
  offsets: ReadonlyMap<string, number> = new Map()
): JsonObject {
  if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) {
    throw new ExplorerError(
      `${context.file}: a layer entry is not {"class_name", "config"} ` +
        `(${JSON.stringify(entry).slice(0, 80)}); the file is damaged.`
    );
  }
  const cls = entry.class_name;
  const out: JsonObject = { class_name: cls, config: translateConfig(cls, entry.config, context) };
  if (entry.name !== undefined) {
    out.name = entry.name;
  }
  if (Array.isArray(entry.inbound_nodes)) {
    out.inbound_nodes = entry.inbound_nodes.map(n => translateNode(n, entry, context, offsets));
  }
  return renamedClass(out);
}

/** A layer's config: every field tfjs reads in the form it reads it. */
function translateConfig(cls: string, config: JsonObject, context: Context): JsonObject {
  refuseUncomputable(cls, config, context.keras3);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(config)) {
    out[key] = translateField(key, value);
  }
  if (cls === 'InputLayer' && out.batch_shape !== undefined) {
    out.batch_input_shape = out.batch_shape;
    delete out.batch_shape;
  }
  // Keras 3's optional inputs, LoRA ranks and a pooling's keepdims: false mean nothing to tfjs.
  for (const key of [
    'optional',
    'keepdims',
    'lora_rank',
    'lora_alpha',
    'quantization_config',
    'rms_scaling'
  ]) {
    delete out[key];
  }
  if (MODEL_CLASSES.has(cls)) {
    Object.assign(out, translateModelParts(out, context));
  }
  if (out.layer !== undefined) {
    out.layer = translateEntry(out.layer, context);
  }
  if (cls === 'Bidirectional' && context.keras3 && out.backward_layer != null) {
    // Keras 3 writes the forward copy, named forward_<name>, and its backward mirror; tfjs
    // makes both from the one layer, adding the prefix itself.
    const forward = out.layer as JsonObject;
    const inner = forward.config as JsonObject;
    if (typeof inner.name === 'string' && inner.name.startsWith('forward_')) {
      out.layer = { ...forward, config: { ...inner, name: inner.name.slice('forward_'.length) } };
    }
    checkMirror(config, forward, translateEntry(out.backward_layer, context));
    delete out.backward_layer;
  }
  return out;
}

/** A model's own parts: its layers, and its inputs and outputs in the list form tfjs reads. */
function translateModelParts(config: JsonObject, context: Context): JsonObject {
  const out: JsonObject = {};
  if (!Array.isArray(config.layers)) {
    return out;
  }
  const layers = config.layers;
  out.layers = layers.map(l => translateEntry(l, context, nodeOffsets(layers, false)));
  const offsets = context.keras3 ? nodeOffsets(layers, true) : new Map<string, number>();
  for (const key of ['input_layers', 'output_layers']) {
    let ends = config[key];
    if (ends === undefined) {
      continue;
    }
    // Keras 3 writes a single input or output bare, ["name", 0, 0], and several named as
    // a dict when the model was called with one.
    if (isObject(ends)) {
      ends = Object.values(ends);
    }
    if (Array.isArray(ends) && typeof ends[0] === 'string') {
      ends = [ends];
    }
    if (!Array.isArray(ends) || !ends.every(e => Array.isArray(e) && typeof e[0] === 'string')) {
      throw new ExplorerError(
        `${context.file}: the model's "${key}" are not [name, node, tensor] lists; the file is damaged.`
      );
    }
    out[key] = (ends as Json[][]).map(([name, node, tensor]) => [
      name,
      Number(node) + (offsets.get(String(name)) ?? 0),
      tensor
    ]);
  }
  return out;
}

/**
 * How far Keras 3's node indices are from tfjs' for the layers of a model. tfjs (as Keras 2)
 * counts every node of a layer, and a nested model built with an input has one of its own,
 * so its first call in the model is its node 1. Keras 3 counts only the calls within the
 * model in inbound nodes; in the model's inputs and outputs it counts a nested functional
 * model's own node, and not a nested Sequential model's.
 *
 * @param layers - a model config's layers
 * @param ends - for the model's `input_layers` and `output_layers` rather than inbound nodes
 */
function nodeOffsets(layers: Json[], ends: boolean): Map<string, number> {
  const offsets = new Map<string, number>();
  for (const layer of layers.filter(isObject)) {
    const cls = String(layer.class_name);
    const config = isObject(layer.config) ? layer.config : {};
    const first = Array.isArray(config.layers) ? config.layers[0] : undefined;
    const firstConfig = isObject(first) && isObject(first.config) ? first.config : {};
    const sequentialWithInput =
      cls === 'Sequential' &&
      ((isObject(first) && first.class_name === 'InputLayer') ||
        firstConfig.batch_input_shape != null ||
        firstConfig.batch_shape != null);
    if (sequentialWithInput || (!ends && (cls === 'Functional' || cls === 'Model'))) {
      offsets.set(String(layer.name ?? config.name), 1);
    }
  }
  return offsets;
}

/** An inbound node, Keras 3's `{args, kwargs}` or Keras 2's list, as the Keras 2 list. */
function translateNode(
  node: Json,
  layer: JsonObject,
  context: Context,
  offsets: ReadonlyMap<string, number>
): Json {
  if (!isObject(node)) {
    return node; // Keras 2: [[name, node, tensor, kwargs], ...]
  }
  const tensors: Json[] = [];
  const collect = (v: Json): void => {
    if (Array.isArray(v)) {
      v.forEach(collect);
    } else if (isObject(v) && v.class_name === '__keras_tensor__' && isObject(v.config)) {
      const history = v.config.keras_history;
      if (!Array.isArray(history) || history.length !== 3) {
        throw new ExplorerError(
          `${context.file}: layer ${JSON.stringify(layer.name)} has an input without its ` +
            '"keras_history"; the file is damaged or not from Keras.'
        );
      }
      const [name, index, tensor] = history as [string, number, number];
      tensors.push([name, index + (offsets.get(name) ?? 0), tensor]);
    } else if (isObject(v)) {
      Object.values(v).forEach(collect);
    }
  };
  collect(node.args ?? []);
  const kwargs: JsonObject = {};
  for (const [key, value] of Object.entries(isObject(node.kwargs) ? node.kwargs : {})) {
    if (JSON.stringify(value).includes('"__keras_tensor__"')) {
      // A tensor passed by name (an initial state, a mask): tfjs would build the call without it.
      throw new ExplorerError(
        `${context.file}: layer ${JSON.stringify(layer.name)} is called with a tensor as ` +
          `${JSON.stringify(key)}, which TensorFlow.js cannot rebuild. Save the part of the ` +
          'model before it: keras.Model(model.input, model.get_layer("<a Conv1D layer>").output).'
      );
    }
    // Plain call options (training: false) pass; nulls do not.
    if (value !== null && typeof value !== 'object') {
      kwargs[key] = value;
    }
  }
  return tensors.map(t => [...(t as Json[]), kwargs]);
}
