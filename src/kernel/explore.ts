import type * as tf from '@tensorflow/tfjs';
import { checkWeightsFinite } from '../core/analyses';
import { ExplorerError, listNames } from '../core/errors';
import { checkCalledOnce, inputsOf, modelUpTo } from '../core/graph';
import {
  describeSequence,
  sequenceLength,
  type SequenceLike,
  type SequenceOptions
} from '../core/input';
import { checkLayersModel, conv1dLayers, describeConv1D, findConv1D } from '../core/layers';
import { disposeModel, flattenModel, modelToPayload } from '../core/serialize';
import {
  encodePayload,
  formatBytes,
  MIME_TYPE,
  PACKAGE_VERSION,
  PAYLOAD_VERSION,
  type ExplorerPayload
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
  /** A title above the views. */
  title?: string;
  /** Where to send the output; tslab's display when omitted. */
  display?: DisplaySink;
}

/**
 * Shows the interactive explorer of a model's Conv1D layers for one sequence in the
 * current notebook cell. Everything is checked here, before anything is displayed; the
 * browser computes the views from the model and sequence sent with the output.
 *
 * @param model - a tfjs LayersModel with at least one Conv1D layer
 * @param sequence - the sequence, in any form `describeSequence` accepts
 * @param options - alphabet, vocabulary, first layer and filter, title, display sink
 * @throws ExplorerError saying what was wrong and what is expected
 */
export async function explore(
  model: tf.LayersModel,
  sequence: SequenceLike,
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
  sequence: SequenceLike,
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
  const seq = describeSequence(sent, sequence, options);
  checkWeightsFinite(sent);
  const allLayers = conv1dLayers(model).map(l => l.name);
  const payload: ExplorerPayload = {
    version: PAYLOAD_VERSION,
    packageVersion: PACKAGE_VERSION,
    model: await modelToPayload(sent, { float16: options.float16 }),
    sequence: seq,
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
        `${options.wholeModel ? '; leave wholeModel off' : ''}; a shorter sequence. ` +
        `Or raise maxPayloadBytes.`
    );
  }
  display({
    [MIME_TYPE]: text,
    'text/plain':
      `conv1d-explorer: ${explored.length} Conv1D layer${explored.length === 1 ? '' : 's'} of ` +
      `model ${JSON.stringify(modelName)} on a sequence of ${sequenceLength(seq)} positions. ` +
      `Payload: ${formatBytes(bytes)} (weights of ${weights}). ` +
      `Open this notebook in JupyterLab or Jupyter Notebook 7 with the conv1d-explorer extension ` +
      `${PACKAGE_VERSION} or later (the conv1d_explorer wheel) to see the interactive views.`
  });
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
