/**
 * The payload that travels from the kernel to the browser as a MIME bundle entry, and is
 * stored in the notebook. One module, used by both sides, so they cannot drift apart.
 *
 * It is pure data: nothing in it is ever turned into HTML, script or a Vega expression.
 * The protocol imports nothing outside its folder, so the JupyterLab side can load it
 * without tfjs.
 */
import {
  isCount,
  isFiniteNumber,
  isNumberArray,
  isObject,
  isReadableQuantization,
  isWeightSpec
} from './guards';
import { base64ByteLength } from './base64';
import { expect, PayloadError } from './payloadError';
import { checkSequenceSet, type SequenceSetPayload } from './sequenceSet';

export { PayloadError } from './payloadError';
export { base64ByteLength, fromBase64, toBase64 } from './base64';
export {
  checkSequenceSet,
  decodeSequenceSet,
  encodeSequenceSet,
  MAX_SET_SYMBOLS,
  sequenceOfSet,
  type SequenceSetArrays,
  type SequenceSetPayload
} from './sequenceSet';

export { isCount, isFiniteNumber, isNumberArray, isObject, isWeightSpec } from './guards';

/** The MIME type of an explorer output. Its `v1` names the payload's major version. */
export const MIME_TYPE = 'application/vnd.conv1d-explorer.v1+json';

/** The payload version this code writes and the newest it reads. */
export const PAYLOAD_VERSION = 1;

/**
 * The version of conv1d-explorer, the same for the npm package (the kernel side) and the
 * Python wheel (the extension), which both take it from package.json; `protocol.test`
 * keeps this constant equal to it.
 */
export const PACKAGE_VERSION = '0.1.0';

/** A JSON value. */
export type JSONValue =
  null | boolean | number | string | JSONValue[] | { [key: string]: JSONValue };

/** How one weight tensor is laid out in the weight bytes (as in tfjs' weights manifest). */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  /** Present when float32 values are stored as float16 (tfjs restores them on loading). */
  quantization?: { dtype: 'float16' };
}

/** A tfjs LayersModel as data: the Keras topology JSON and its weights. */
export interface ModelPayload {
  /** The `modelTopology` a tfjs `model.json` holds. */
  topology: { [key: string]: JSONValue };
  /** The weight tensors, in the order of `weights`. */
  weightSpecs: WeightSpec[];
  /** All weight values, little-endian, concatenated, base64-encoded. */
  weights: string;
}

/** A string over an alphabet, one-hot encoded for the model (one channel per symbol). */
export interface OneHotSequence {
  kind: 'onehot';
  sequence: string;
  alphabet: string;
}

/** Token ids for a model that starts with an Embedding; `labels[id]` names a token. */
export interface TokenSequence {
  kind: 'tokens';
  ids: number[];
  labels?: string[];
}

/** Numbers per position and channel, `values[position][channel]`. */
export interface NumericSequence {
  kind: 'numeric';
  values: number[][];
}

/** The sequence the explorer analyses, in one of the forms a model can take. */
export type SequencePayload = OneHotSequence | TokenSequence | NumericSequence;

/** What the explorer shows. */
export interface ViewPayload {
  /** The Conv1D layer shown first. */
  layer?: string;
  /** The filter shown first. */
  filter?: number;
  /** The Conv1D layers offered; all of the model's when omitted. */
  layers?: string[];
}

/** Everything an explorer output needs; computation happens from this alone. */
export interface ExplorerPayload {
  version: number;
  /** The conv1d-explorer version that wrote the payload, for messages. */
  packageVersion?: string;
  model: ModelPayload;
  /** The sequence the per-sequence views show first. */
  sequence: SequencePayload;
  /** A set of sequences for the dataset view (its first sequence is `sequence`). */
  sequences?: SequenceSetPayload;
  view: ViewPayload;
  title?: string;
}

/**
 * Serializes a payload for `display`.
 *
 * @param payload - the payload
 * @returns its JSON text
 */
export function encodePayload(payload: ExplorerPayload): string {
  return JSON.stringify(payload);
}

/** JSON has no NaN, but `1e999` parses to Infinity. */
function isFiniteArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every(isFiniteNumber);
}

/** Token ids are int32 in tfjs. */
function isTokenId(v: unknown): v is number {
  return isCount(v) && v < 2 ** 31;
}

/**
 * The longest sequence the explorer shows, in positions. Every view draws each position
 * (10 000 positions: first view ≈ 2 s, a filter change ≈ 1 s, a 300-step maximization ≈ 10 s
 * on 2 cores), and maximization optimizes the whole input; at 100 000 positions the pictures
 * exceed the browser's canvas size and a maximization takes minutes. `explore` refuses
 * longer sequences with this number: explore a window.
 */
export const MAX_SEQUENCE_POSITIONS = 10_000;

/**
 * The largest model the browser rebuilds from a payload, in bytes of weights (1 GB).
 * A payload declaring more is refused before anything is allocated.
 */
export const MAX_WEIGHT_BYTES = 1_000_000_000;

function checkSequence(s: unknown): asserts s is SequencePayload {
  expect(isObject(s), 'The payload has no "sequence" object.');
  switch (s.kind) {
    case 'onehot':
      expect(
        typeof s.sequence === 'string' && typeof s.alphabet === 'string',
        'A one-hot sequence needs "sequence" and "alphabet" strings.'
      );
      checkLength(s.sequence.length);
      return;
    case 'tokens':
      expect(
        Array.isArray(s.ids) && s.ids.every(isTokenId),
        'A token sequence needs "ids", an array of token ids (integers from 0 to 2³¹ − 1).'
      );
      checkLength(s.ids.length);
      expect(
        s.labels === undefined ||
          (Array.isArray(s.labels) && s.labels.every(l => typeof l === 'string')),
        'Token "labels" must be an array of strings.'
      );
      return;
    case 'numeric':
      expect(
        Array.isArray(s.values) && s.values.every(isNumberArray),
        'A numeric sequence needs "values", an array of number arrays.'
      );
      {
        const values: number[][] = s.values;
        checkLength(values.length);
        expect(
          values.every(row => row.length === values[0].length),
          'Every position of a numeric sequence needs the same number of channels.'
        );
        // The message is built only for the row that fails (decoding reads every row).
        const position = values.findIndex(row => !isFiniteArray(row));
        expect(
          position < 0,
          `The sequence holds ${values[position]?.find(v => !Number.isFinite(v))} at position ` +
            `${position}; expected finite numbers.`
        );
        return;
      }
    default:
      throw new PayloadError(
        `Unknown sequence kind ${JSON.stringify(s.kind)}; expected "onehot", "tokens" or "numeric".`
      );
  }
}

function checkLength(positions: number): void {
  expect(positions > 0, 'The sequence is empty; expected at least one position.');
  expect(
    positions <= MAX_SEQUENCE_POSITIONS,
    `The sequence has ${positions} positions; the explorer shows at most ` +
      `${MAX_SEQUENCE_POSITIONS}. Explore a window of it.`
  );
}

const BYTES_PER_ELEMENT = { float32: 4, int32: 4 } as const;

function checkModel(m: unknown): asserts m is ModelPayload {
  expect(isObject(m), 'The payload has no "model" object.');
  expect(isObject(m.topology), 'The model has no "topology" object.');
  expect(typeof m.weights === 'string', 'The model has no "weights" string.');
  expect(Array.isArray(m.weightSpecs), 'The model has no "weightSpecs" array.');
  for (const spec of m.weightSpecs as unknown[]) {
    const q: unknown = isObject(spec) ? spec.quantization : undefined;
    expect(
      !isObject(spec) || isReadableQuantization(q, spec.dtype),
      'A weight spec\'s "quantization" can only be float16 of float32 weights.'
    );
    expect(
      isWeightSpec(spec),
      'Each weight spec needs a "name", a "shape" of sizes (integers from 0) and a dtype of ' +
        'float32 or int32.'
    );
  }
}

/**
 * A byte count for people, in decimal units.
 *
 * @param bytes - a byte count
 * @returns e.g. `68.2 kB`, `5.1 MB`
 */
export function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

/**
 * Number of bytes the weight specs describe.
 *
 * @param specs - the weight specs
 * @returns the byte count the weight data must have
 */
export function weightByteLength(specs: readonly WeightSpec[]): number {
  return specs.reduce(
    (sum, s) =>
      sum + s.shape.reduce((a, b) => a * b, 1) * (s.quantization ? 2 : BYTES_PER_ELEMENT[s.dtype]),
    0
  );
}

/**
 * Reads and checks a payload as it arrives in a MIME bundle (a JSON string, or an object
 * when some other tool wrote it as JSON).
 *
 * @param data - the MIME bundle entry
 * @returns the payload, its structure checked
 * @throws PayloadError saying what is wrong: corrupt JSON, a newer version, missing fields,
 *   weights that do not match their specs
 */
export function decodePayload(data: unknown): ExplorerPayload {
  let value: unknown = data;
  if (typeof data === 'string') {
    try {
      value = JSON.parse(data);
    } catch (e) {
      throw new PayloadError(
        `The explorer output is not valid JSON (${(e as Error).message}); it may have been ` +
          'edited or truncated. Re-run the cell that made it.'
      );
    }
  }
  expect(isObject(value), 'The explorer output is not a JSON object.');
  expect(typeof value.version === 'number', 'The payload has no "version" number.');
  const isVersionText = (v: unknown): v is string => typeof v === 'string' && v.length <= 64;
  // The version first: a newer payload may change anything else.
  const writer = isVersionText(value.packageVersion)
    ? ` ${JSON.stringify(value.packageVersion)}`
    : '';
  expect(
    value.version <= PAYLOAD_VERSION,
    `This output was made by a newer conv1d-explorer${writer} (payload version ${value.version}); ` +
      `this extension is conv1d-explorer ${PACKAGE_VERSION} and reads version ${PAYLOAD_VERSION}. ` +
      'Install the newer conv1d_explorer wheel into the Jupyter environment and reload the page.'
  );
  expect(
    value.packageVersion === undefined || isVersionText(value.packageVersion),
    'The payload\'s "packageVersion" must be a version string.'
  );
  checkModel(value.model);
  checkSequence(value.sequence);
  if (value.sequences !== undefined) {
    checkSequenceSet(value.sequences, MAX_SEQUENCE_POSITIONS);
  }
  const view = value.view === undefined ? {} : value.view;
  expect(isObject(view), 'The payload\'s "view" must be an object.');
  expect(
    view.layers === undefined ||
      (Array.isArray(view.layers) &&
        view.layers.length > 0 &&
        view.layers.every(l => typeof l === 'string')),
    'The payload\'s "view.layers" must be a non-empty array of layer names.'
  );
  expect(
    view.layer === undefined || typeof view.layer === 'string',
    'The payload\'s "view.layer" must be a layer name.'
  );
  expect(
    view.filter === undefined || isCount(view.filter),
    'The payload\'s "view.filter" must be a filter index (an integer from 0).'
  );
  expect(
    value.title === undefined || typeof value.title === 'string',
    'The payload\'s "title" must be a string.'
  );
  const expected = weightByteLength(value.model.weightSpecs);
  expect(
    expected <= MAX_WEIGHT_BYTES,
    `The model's weight specs declare ${formatBytes(expected)} of weights, more than the ` +
      `${formatBytes(MAX_WEIGHT_BYTES)} the explorer rebuilds in a browser; the output is ` +
      'corrupt or the model too large.'
  );
  const actual = base64ByteLength(value.model.weights);
  expect(
    expected === actual,
    `The model's weights have ${actual} bytes but its weight specs describe ${expected}; ` +
      'the output is corrupt. Re-run the cell that made it.'
  );
  return value as unknown as ExplorerPayload;
}
