/**
 * Where a Keras file keeps each layer's weights, and how they pair with the weights of the
 * tfjs model built from its config.
 *
 * A `.keras` file does not store weights under the layer names. Keras walks the model's
 * `layers` and gives each a path from its class name, numbered within that list in order
 * (`layers/conv1d`, `layers/conv1d_1`, `layers/batch_normalization`, …; keras
 * `saving_lib._save_container_state`), and a layer's own variables go to `<path>/vars/0`,
 * `1`, … in the order it created them: trainable first (kernel, bias; gamma, beta), then
 * the others (moving mean and variance), as tfjs lists them too. Layers that hold layers
 * keep theirs below: a nested model under `layers/…`, an RNN's cell under `cell/`, a
 * Bidirectional layer's two RNNs under `forward_layer/` and `backward_layer/`.
 *
 * An `.h5` file stores a layer's weights under its name, in the order of its `weight_names`.
 */
import { type JsonObject } from './json';
import { MODEL_CLASSES } from './kerasConfig';

/** Layer classes whose own variables live in their `cell`. */
const RNN_CLASSES = new Set(['LSTM', 'GRU', 'SimpleRNN', 'RNN']);

/**
 * A Python class name in snake case, as Keras names weight paths (`naming.to_snake_case`):
 * `Conv1D` → `conv1d`, `BatchNormalization` → `batch_normalization`, `ReLU` → `re_lu`.
 *
 * @param name - a class name
 * @returns its snake-case form
 */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Where a `.keras` file keeps one layer's weights. */
export interface LayerWeightGroups {
  /** The layer's name in the model. */
  layer: string;
  /**
   * Paths of its `vars` groups in the file's `model.weights.h5`, in the order tfjs lists the
   * layer's weights; empty for a nested model, whose layers keep their own.
   */
  groups: string[];
  /** A nested model's layers. */
  layers?: LayerWeightGroups[];
}

/**
 * Where a `.keras` file keeps the weights of each layer of its model.
 *
 * @param model - the file's `config.json` (`{class_name, config}`), as Keras wrote it
 * @returns one entry per layer of the model (input layers left out), in model order
 */
export function kerasWeightGroups(model: JsonObject): LayerWeightGroups[] {
  return modelLayers(model, '').map(({ entry, path }) => layerGroups(entry, path));
}

function layerGroups(entry: JsonObject, path: string): LayerWeightGroups {
  const layer = String((entry.config as JsonObject | undefined)?.name ?? entry.name);
  if (MODEL_CLASSES.has(String(entry.class_name))) {
    const layers = modelLayers(entry, `${path}/`).map(l => layerGroups(l.entry, l.path));
    return { layer, groups: [], layers };
  }
  return { layer, groups: varGroups(entry, path) };
}

/** A model's layers with their paths, numbered per class within the model's list. */
function modelLayers(model: JsonObject, path: string): { entry: JsonObject; path: string }[] {
  const layers = (model.config as JsonObject | undefined)?.layers;
  const used = new Map<string, number>();
  const out: { entry: JsonObject; path: string }[] = [];
  for (const entry of Array.isArray(layers) ? (layers as JsonObject[]) : []) {
    const cls = String(entry.class_name);
    if (cls === 'InputLayer') {
      continue; // no weights, and numbered apart from every other class
    }
    const base = toSnakeCase(cls);
    const seen = used.get(base);
    used.set(base, seen === undefined ? 0 : seen + 1);
    const name = seen === undefined ? base : `${base}_${seen + 1}`;
    out.push({ entry, path: `${path}layers/${name}` });
  }
  return out;
}

/** A layer's own `vars` groups, and those of the layers it wraps, in tfjs' order. */
function varGroups(entry: JsonObject, path: string): string[] {
  const cls = String(entry.class_name);
  const config = (entry.config ?? {}) as JsonObject;
  if (RNN_CLASSES.has(cls)) {
    return [`${path}/cell/vars`];
  }
  if (cls === 'Bidirectional' && isEntry(config.layer)) {
    // tfjs lists the forward layer's weights first; Keras files them by attribute name.
    const backward = isEntry(config.backward_layer) ? config.backward_layer : config.layer;
    return [
      ...varGroups(config.layer, `${path}/forward_layer`),
      ...varGroups(backward, `${path}/backward_layer`)
    ];
  }
  if (isEntry(config.layer)) {
    return varGroups(config.layer, `${path}/layer`); // TimeDistributed and other wrappers
  }
  return [`${path}/vars`];
}

function isEntry(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && 'class_name' in v;
}

/**
 * Weight names of Keras 3 converter output in the form tfjs looks them up. Keras 3 names a
 * variable by its path, which starts with the Sequential models holding it
 * (`text/conv/kernel`, `block/inner/kernel`); tfjs, like Keras 2, by its layer
 * (`conv/kernel`, `inner/kernel`).
 *
 * @param names - the weight names of a `model.json` weights manifest
 * @param model - the model config (`{class_name, config}`)
 * @returns the names with leading model names removed (a layer and weight name remain)
 */
export function layerWeightNames(names: readonly string[], model: JsonObject): string[] {
  // Only a Sequential model builds its layers under its own name; a functional model's
  // layers are built where they are called.
  const models = new Set<string>();
  const collect = (entry: JsonObject): void => {
    const config = (entry.config ?? {}) as JsonObject;
    if (MODEL_CLASSES.has(String(entry.class_name))) {
      if (entry.class_name === 'Sequential') {
        models.add(String(config.name ?? entry.name));
      }
      for (const layer of Array.isArray(config.layers) ? (config.layers as JsonObject[]) : []) {
        collect(layer);
      }
    }
  };
  collect(model);
  return names.map(name => {
    const parts = name.split('/');
    while (parts.length > 2 && models.has(parts[0])) {
      parts.shift();
    }
    return parts.join('/');
  });
}
