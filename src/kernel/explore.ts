import type * as tf from '@tensorflow/tfjs';
import {
  checkWeightsFinite,
  conv1dLayers,
  describeConv1D,
  describeSequence,
  findConv1D,
  modelToPayload,
  sequenceLength,
  ExplorerError,
  type SequenceLike,
  type SequenceOptions
} from '../core';
import { encodePayload, MIME_TYPE, PAYLOAD_VERSION, type ExplorerPayload } from '../protocol';
import { tslabDisplay, type DisplaySink } from './display';

/** Options of `explore`. */
export interface ExploreOptions extends SequenceOptions {
  /** The Conv1D layer shown first; the first one when omitted. */
  layer?: string;
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
  if (
    !model ||
    typeof (model as { save?: unknown }).save !== 'function' ||
    !Array.isArray(model.layers)
  ) {
    throw new ExplorerError(
      'explore() needs a tfjs LayersModel (tf.sequential(), tf.model() or loadModel()).'
    );
  }
  const display = options.display ?? tslabDisplay();
  const layer = findConv1D(model, options.layer);
  const { filters } = describeConv1D(layer);
  const filter = options.filter ?? 0;
  if (!Number.isInteger(filter) || filter < 0 || filter >= filters) {
    throw new ExplorerError(
      `Filter ${filter} does not exist in layer ${JSON.stringify(layer.name)}: expected an integer from 0 to ${filters - 1}.`
    );
  }
  const seq = describeSequence(model, sequence, options);
  checkWeightsFinite(model);
  const payload: ExplorerPayload = {
    version: PAYLOAD_VERSION,
    model: await modelToPayload(model),
    sequence: seq,
    view: { layer: layer.name, filter },
    ...(options.title !== undefined ? { title: String(options.title) } : {})
  };
  const text = encodePayload(payload);
  const convs = conv1dLayers(model).length;
  display({
    [MIME_TYPE]: text,
    'text/plain':
      `conv1d-explorer: ${convs} Conv1D layer${convs === 1 ? '' : 's'} of model ` +
      `${JSON.stringify(model.name)} on a sequence of ${sequenceLength(seq)} positions. ` +
      `Payload: ${text.length} bytes. ` +
      'Open this notebook in JupyterLab with the conv1d-explorer extension to see the interactive views.'
  });
}
