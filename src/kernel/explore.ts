import type * as tf from '@tensorflow/tfjs';
import { checkWeightsFinite } from '../core/analyses';
import { ExplorerError, listNames } from '../core/errors';
import { checkCalledOnce, inputsOf, modelUpTo } from '../core/graph';
import {
  describeSequence,
  modelInput,
  sequenceLength,
  type SequenceLike,
  type SequenceOptions
} from '../core/input';
import { isSequenceSet, readSequenceSet, type SequenceSetItem } from '../core/sequenceSet';
import { checkLayersModel, conv1dLayers, describeConv1D, findConv1D } from '../core/layers';
import { disposeModel, flattenModel, modelToPayload } from '../core/serialize';
import {
  encodePayload,
  formatBytes,
  MIME_TYPE,
  PACKAGE_VERSION,
  MAX_SEQUENCE_POSITIONS,
  PAYLOAD_VERSION,
  encodeSequenceSet,
  sequenceOfSet,
  type ExplorerPayload,
  type SequencePayload,
  type SequenceSetPayload
} from '../protocol';
import { tslabDisplay, type DisplaySink } from './display';

/** The default of `ExploreOptions.maxPayloadBytes`: 10 MB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 10_000_000;

/** Options of `explore`. */
export interface ExploreOptions extends SequenceOptions {
  /** The Conv1D layer shown first; the first of `layers` when omitted. */
  layer?: string;
  /**
   * The Conv1D layers to explore; all of the model's when omitted. Only the layers up to
   * the deepest of them are sent to the browser.
   */
  layers?: string[];
  /** Send the whole model, not only the layers up to the deepest Conv1D explored. */
  wholeModel?: boolean;
  /** Send float32 weights as float16: half the bytes, about 3 significant digits. */
  float16?: boolean;
  /**
   * The largest payload `explore` writes into the notebook, in bytes of its JSON; 10 MB
   * (`DEFAULT_MAX_PAYLOAD_BYTES`) when omitted. A larger payload is refused with the ways
   * to shrink it.
   */
  maxPayloadBytes?: number;
  /** The filter shown first; 0 when omitted. */
  filter?: number;
  /**
   * With a set of sequences: the one the per-sequence views show first (an index into the
   * set); 0 when omitted.
   */
  sequenceIndex?: number;
  /**
   * With a set of sequences: numbers per sequence the dataset view's table can sort by, by
   * name, e.g. `{ label: y, prediction: Array.from(model.predict(x).dataSync()) }`.
   */
  columns?: { [name: string]: ArrayLike<number> };
  /** A title above the views. */
  title?: string;
  /** Where to send the output; tslab's display when omitted. */
  display?: DisplaySink;
}

/**
 * Shows the interactive explorer of a model's Conv1D layers in the current notebook cell,
 * for one sequence or for a set of them. With a set, a dataset view is added: each
 * filter's motif over the set (Basset's rule), its matches in JASPAR, and the sequences
 * ranked by filter; a click on a sequence opens it in the per-sequence views. Everything
 * is checked here, before anything is displayed; the browser computes the views from the
 * model and sequences sent with the output.
 *
 * @param model - a tfjs LayersModel with at least one Conv1D layer
 * @param sequence - the sequence, in any form `describeSequence` accepts; or a set: an
 *   array of such sequences, or `readFasta`'s records (`{ name, sequence }`)
 * @param options - alphabet, vocabulary, first layer and filter, title, display sink; for
 *   a set, the sequence shown first and columns to sort by
 * @throws ExplorerError saying what was wrong and what is expected
 */
export async function explore(
  model: tf.LayersModel,
  sequence: SequenceLike | readonly SequenceSetItem[],
  options: ExploreOptions = {}
): Promise<void> {
  checkLayersModel(model, 'explore()');
  const display = options.display ?? tslabDisplay();
  // Conv1D layers inside nested models are explored like any other: on an inlined copy.
  const flat = await flattenModel(model);
  try {
    await exploreFlat(flat, model.name, sequence, options, display);
  } finally {
    if (flat !== model) {
      disposeModel(flat);
    }
  }
}

async function exploreFlat(
  model: tf.LayersModel,
  modelName: string,
  sequence: SequenceLike | readonly SequenceSetItem[],
  options: ExploreOptions,
  display: DisplaySink
): Promise<void> {
  const explored = exploredLayers(model, options.layers);
  const layer = findConv1D(model, options.layer ?? explored[0]);
  if (!explored.includes(layer.name)) {
    throw new ExplorerError(
      `Layer ${JSON.stringify(layer.name)} is not among the layers to explore (${explored.join(', ')}).`
    );
  }
  const limit = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (!(limit > 0)) {
    throw new ExplorerError(
      `maxPayloadBytes must be a positive number of bytes; got ${String(limit)}.`
    );
  }
  const { filters } = describeConv1D(layer);
  const filter = options.filter ?? 0;
  if (!Number.isInteger(filter) || filter < 0 || filter >= filters) {
    throw new ExplorerError(
      `Filter ${filter} does not exist in layer ${JSON.stringify(layer.name)}: expected an integer from 0 to ${filters - 1}.`
    );
  }
  checkCalledOnce(model, explored);
  const sent = options.wholeModel ? model : modelUpTo(model, explored);
  checkOneInput(model, sent, explored, options.wholeModel === true);
  const { seq, set } = readInput(sent, sequence, options);
  checkWeightsFinite(sent);
  const allLayers = conv1dLayers(model).map(l => l.name);
  const payload: ExplorerPayload = {
    version: PAYLOAD_VERSION,
    packageVersion: PACKAGE_VERSION,
    model: await modelToPayload(sent, { float16: options.float16 }),
    sequence: seq,
    ...(set ? { sequences: set } : {}),
    view: {
      layer: layer.name,
      filter,
      ...(explored.length < allLayers.length ? { layers: explored } : {})
    },
    ...(options.title !== undefined ? { title: String(options.title) } : {})
  };
  const text = encodePayload(payload);
  const bytes = Buffer.byteLength(text, 'utf8');
  const weights = `${sent === model ? 'the whole model' : `the layers up to ${explored.at(-1)}`}, ${options.float16 ? 'float16' : 'float32'}`;
  if (bytes > limit) {
    throw new ExplorerError(
      `The explorer's output would be ${formatBytes(bytes)} (weights of ${weights}), over the ` +
        `limit of ${formatBytes(limit)} (option maxPayloadBytes). To shrink it: ` +
        `${options.float16 ? '' : 'float16: true halves the weights; '}` +
        `layers: [...] explores fewer Conv1D layers (only the layers up to the deepest one are sent)` +
        `${options.wholeModel ? '; leave wholeModel off' : ''}; ` +
        `${set ? `fewer sequences (the set of ${set.names.length} takes ${formatBytes(set.data.length)}; filterMotifs() runs the motif scan in the kernel on any number)` : 'a shorter sequence'}. ` +
        `Or raise maxPayloadBytes.`
    );
  }
  display({
    [MIME_TYPE]: text,
    'text/plain':
      `conv1d-explorer: ${explored.length} Conv1D layer${explored.length === 1 ? '' : 's'} of ` +
      `model ${JSON.stringify(modelName)} on a sequence of ${sequenceLength(seq)} positions` +
      `${set ? `, with a set of ${set.names.length} sequences for the dataset view` : ''}. ` +
      `Payload: ${formatBytes(bytes)} (weights of ${weights}). ` +
      `Open this notebook in JupyterLab or Jupyter Notebook 7 with the conv1d-explorer extension ` +
      `${PACKAGE_VERSION} or later (the conv1d_explorer wheel) to see the interactive views.`
  });
}

/**
 * The sequence the per-sequence views show and, for a set, the set in payload form.
 */
function readInput(
  model: tf.LayersModel,
  input: SequenceLike | readonly SequenceSetItem[],
  options: ExploreOptions
): { seq: SequencePayload; set: SequenceSetPayload | null } {
  if (!isSequenceSet(modelInput(model), input)) {
    if (options.columns !== undefined || options.sequenceIndex !== undefined) {
      throw new ExplorerError(
        'columns and sequenceIndex are options of a set of sequences; got one sequence.'
      );
    }
    return { seq: describeSequence(model, input as SequenceLike, options), set: null };
  }
  const arrays = readSequenceSet(model, input as readonly SequenceSetItem[], options);
  const long = arrays.names.filter((_, i) => arrays.lengths[i] > MAX_SEQUENCE_POSITIONS);
  if (long.length > 0) {
    throw new ExplorerError(
      `${long.length} sequences are longer than the ${MAX_SEQUENCE_POSITIONS} positions the ` +
        `explorer opens: ${long.slice(0, 5).join(', ')}. Cut them into windows, or run ` +
        'filterMotifs() in the kernel.'
    );
  }
  const count = arrays.names.length;
  const index = options.sequenceIndex ?? 0;
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new ExplorerError(
      `sequenceIndex is ${String(index)}: expected an integer from 0 to ${count - 1}.`
    );
  }
  return {
    seq: sequenceOfSet(arrays, index),
    set: encodeSequenceSet(arrays, readColumns(options.columns, count))
  };
}

/** The table's columns, as finite numbers, one per sequence. */
function readColumns(
  columns: ExploreOptions['columns'],
  count: number
): { [name: string]: number[] } | undefined {
  if (columns === undefined) {
    return undefined;
  }
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) {
    throw new ExplorerError(
      'columns must be an object of number arrays by name, e.g. { label: [1, 0, …] }.'
    );
  }
  return Object.fromEntries(
    Object.entries(columns).map(([name, values]) => {
      const numbers = columnNumbers(values);
      if (numbers.length !== count) {
        throw new ExplorerError(
          `Column ${JSON.stringify(name)} has ${numbers.length} values; expected one per sequence (${count}).`
        );
      }
      const bad = numbers.findIndex(v => !Number.isFinite(v));
      if (bad >= 0) {
        throw new ExplorerError(
          `Column ${JSON.stringify(name)} holds ${numbers[bad]} at sequence ${bad}; expected finite numbers.`
        );
      }
      return [name, numbers];
    })
  );
}

/** A column's values: an array, a typed array, or a tensor of one number per sequence. */
function columnNumbers(values: unknown): number[] {
  if (typeof (values as tf.Tensor | null)?.dataSync === 'function') {
    return Array.from((values as tf.Tensor).dataSync(), Number);
  }
  const list = values as ArrayLike<unknown> | null;
  return list && typeof list.length === 'number' ? Array.from(list, Number) : [];
}

/**
 * The explorer feeds one sequence: the layers sent must depend on one model input. Says
 * which inputs each explored layer depends on otherwise.
 */
function checkOneInput(
  model: tf.LayersModel,
  sent: tf.LayersModel,
  explored: string[],
  wholeModel: boolean
): void {
  if (sent.inputs.length === 1) {
    return;
  }
  const names = model.inputs.map(t => t.sourceLayer.name);
  const uses = explored.map(l => `${l} reads ${listNames(inputsOf(model, l))}`).join('; ');
  throw new ExplorerError(
    `The model has ${names.length} inputs (${listNames(names)}) and the explorer feeds one ` +
      `sequence, so the Conv1D layers explored must all read the same single input: ${uses}` +
      `${wholeModel ? ' (wholeModel sends every input: leave it off)' : ''}. ` +
      'Choose layers with the `layers` option.'
  );
}

/** The Conv1D layers to explore, checked, in model order. */
function exploredLayers(model: tf.LayersModel, names: string[] | undefined): string[] {
  const all = conv1dLayers(model).map(l => l.name);
  if (names === undefined) {
    findConv1D(model); // a model without Conv1D layers gets the message that lists its layers
    return all;
  }
  if (!Array.isArray(names) || names.length === 0) {
    throw new ExplorerError(
      `layers must be a non-empty array of Conv1D layer names, e.g. ${JSON.stringify(all.slice(0, 2))}.`
    );
  }
  const wanted = new Set(names.map(n => findConv1D(model, n).name));
  return all.filter(n => wanted.has(n));
}
