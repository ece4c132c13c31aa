/**
 * One Keras layer config in the form tfjs-layers builds: its fields (dtype policies,
 * activations, initializers, regularizers, constraints), the classes tfjs has in another
 * form, and the settings tfjs would compute differently from Keras, refused with the layer's
 * name. The model around the layers is kerasConfig's.
 */
import { ExplorerError } from './errors';
import { isJsonObject as isObject, without, type Json, type JsonObject } from './json';

/** Initializer classes tfjs-layers knows (it needs one per weight, though the file's weights replace them). */
const TFJS_INITIALIZERS = new Set([
  'Zeros',
  'Ones',
  'Constant',
  'RandomNormal',
  'RandomUniform',
  'TruncatedNormal',
  'VarianceScaling',
  'GlorotNormal',
  'GlorotUniform',
  'HeNormal',
  'HeUniform',
  'LeCunNormal',
  'LeCunUniform',
  'Orthogonal',
  'Identity'
]);
const TFJS_CONSTRAINTS = new Set(['MaxNorm', 'MinMaxNorm', 'NonNeg', 'UnitNorm']);
/**
 * A layer entry in the class tfjs has for it: the same computation, another class or keys.
 *
 * @param entry - a translated `{class_name, config}` entry
 * @returns the entry tfjs builds
 */
export function renamedClass(entry: JsonObject): JsonObject {
  const config = entry.config as JsonObject;
  switch (entry.class_name) {
    case 'ActivityRegularization':
      // It adds a loss in training and passes its input on: at inference, the identity.
      return {
        ...entry,
        class_name: 'Activation',
        config: { name: config.name, activation: 'linear' }
      };
    case 'LeakyReLU':
      return config.negative_slope === undefined
        ? entry
        : {
            ...entry,
            config: { ...without(config, 'negative_slope'), alpha: config.negative_slope }
          };
    case 'ReLU': {
      const slope = Number(config.negative_slope ?? 0);
      const rest = without(config, 'negative_slope', 'threshold');
      if (slope === 0) {
        return { ...entry, config: rest };
      }
      return {
        ...entry,
        class_name: 'LeakyReLU',
        config: { ...without(rest, 'max_value'), alpha: slope }
      };
    }
    default:
      return entry;
  }
}

function refusal(config: JsonObject, cls: string, what: string, wayRound?: string): ExplorerError {
  return new ExplorerError(
    `Layer ${JSON.stringify(config.name ?? '?')} (${cls}) uses ${what}, which TensorFlow.js ` +
      'cannot compute as Keras does. ' +
      (wayRound ??
        'Save a model without it, or one that ends before it: ' +
          'keras.Model(model.input, model.get_layer("<a Conv1D layer>").output).')
  );
}

/**
 * Refuses settings tfjs would compute differently from Keras, naming the layer.
 *
 * @param cls - the layer's class
 * @param config - its config, as the file holds it
 * @param keras3 - whether Keras 3 wrote it (its hard_sigmoid is not tfjs')
 * @throws ExplorerError saying what and the way round
 */
export function refuseUncomputable(cls: string, config: JsonObject, keras3: boolean): void {
  if (typeof config.groups === 'number' && config.groups !== 1) {
    throw refusal(config, cls, `a grouped convolution (groups: ${config.groups})`);
  }
  if (config.keepdims === true) {
    throw refusal(config, cls, 'keepdims: true');
  }
  if (config.rms_scaling === true) {
    throw refusal(config, cls, 'RMS scaling (rms_scaling: true)');
  }
  if (config.quantization_config != null || config.quantization_mode != null) {
    throw refusal(config, cls, 'quantized weights');
  }
  if (cls === 'ReLU') {
    const slope = Number(config.negative_slope ?? 0);
    const threshold = Number(config.threshold ?? 0);
    if (threshold !== 0 || (slope !== 0 && config.max_value != null)) {
      throw refusal(
        config,
        cls,
        `a threshold or a slope with a maximum (threshold ${threshold}, negative_slope ${slope})`
      );
    }
  }
  if (cls === 'GRU' && config.reset_after === true) {
    throw refusal(
      config,
      cls,
      "reset_after: true (Keras' default)",
      'Train the GRU with reset_after=False, or save the part of the model before it: ' +
        'keras.Model(model.input, model.get_layer("<a Conv1D layer>").output).'
    );
  }
  for (const key of ['activation', 'recurrent_activation']) {
    // Keras 3's hard_sigmoid is relu6(x + 3) / 6; tfjs' (and Keras 2's) is 0.2x + 0.5.
    if (keras3 && activationName(config[key]) === 'hard_sigmoid') {
      throw refusal(config, cls, `${key} hard_sigmoid (Keras 3's is x / 6 + 0.5, clipped)`);
    }
  }
}

/**
 * Keras 3 writes a Bidirectional layer's backward copy even when Keras made it; tfjs makes
 * its own, and can only make the mirror of the forward layer.
 *
 * @param config - the Bidirectional layer's config, for the message
 * @param forward - its translated forward layer
 * @param backward - its translated backward layer
 * @throws ExplorerError when the backward layer is not the forward one's mirror
 */
export function checkMirror(config: JsonObject, forward: JsonObject, backward: JsonObject): void {
  const strip = (e: JsonObject) => {
    const rest = without(e.config as JsonObject, 'name', 'go_backwards');
    return JSON.stringify({ cls: e.class_name, rest });
  };
  if (strip(forward) !== strip(backward)) {
    throw refusal(config, 'Bidirectional', 'a backward layer unlike its forward layer');
  }
}

/**
 * One config field in the form tfjs reads: dtype policies, activations, initializers,
 * regularizers, constraints.
 *
 * @param key - the field's name
 * @param value - its value
 * @returns the value tfjs reads
 */
export function translateField(key: string, value: Json): Json {
  if (key === 'dtype' && isObject(value)) {
    // A dtype policy; mixed policies keep float32 variables, and tfjs computes in float32.
    const name = isObject(value.config) ? String(value.config.name ?? 'float32') : 'float32';
    return name.startsWith('mixed_') ? 'float32' : name;
  }
  if (key.endsWith('activation')) {
    const name = activationName(value) ?? null;
    return name === 'silu' ? 'swish' : name;
  }
  if (key.endsWith('_initializer') && isObject(value)) {
    // The file's weights replace what an initializer makes; an unknown one becomes Zeros.
    const cls = String(value.class_name);
    return TFJS_INITIALIZERS.has(cls)
      ? { class_name: cls, config: (value.config ?? {}) as Json }
      : { class_name: 'Zeros', config: {} };
  }
  if (key.endsWith('_regularizer')) {
    return regularizer(value);
  }
  if (key.endsWith('_constraint')) {
    // Constraints act in training only; one tfjs does not know is dropped.
    return isObject(value) && TFJS_CONSTRAINTS.has(String(value.class_name))
      ? { class_name: String(value.class_name), config: (value.config ?? {}) as Json }
      : null;
  }
  return value;
}

/** Regularizers act in training only: Keras 3's L1 and L2 become tfjs' L1L2, others none. */
function regularizer(value: Json): Json {
  if (!isObject(value) || !isObject(value.config)) {
    return null;
  }
  const c = value.config;
  const l1 = Number(c.l1 ?? 0);
  const l2 = Number(c.l2 ?? 0);
  return ['L1', 'L2', 'L1L2'].includes(String(value.class_name))
    ? { class_name: 'L1L2', config: { l1, l2 } }
    : null;
}

/** The name of an activation, written as a string or (Keras 3) as a serialized function. */
function activationName(value: Json | undefined): Json | undefined {
  return isObject(value) && typeof value.config === 'string' ? value.config : value;
}
