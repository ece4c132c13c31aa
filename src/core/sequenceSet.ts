/**
 * A set of sequences for a dataset-wide analysis, read once into compact arrays: one-hot
 * symbols as indices (unknown symbols such as `N` kept as -1, so the windows holding them
 * can be skipped), token ids, or numbers per position and channel. Sequences may differ in
 * length where the model allows it. Every refusal names the sequence it is about.
 */
import type * as tf from '@tensorflow/tfjs';
import { errorMessage, ExplorerError, listNames } from './errors';
import { minimumSequenceLength } from './geometry';
import { DNA } from './alphabets';
import {
  describeSequence,
  modelInput,
  type ModelInput,
  type SequenceLike,
  type SequenceOptions
} from './input';

/** A sequence with a name, as `readFasta` returns them. */
export interface NamedSequence {
  name: string;
  sequence: SequenceLike;
}

/** One item of a set: a sequence, or a named one. */
export type SequenceSetItem = SequenceLike | NamedSequence;

/** A set of sequences, encoded for the model. */
export interface SequenceSet {
  kind: 'onehot' | 'tokens' | 'numeric';
  /** The one-hot symbols, in channel order (one-hot sets only). */
  alphabet: string | null;
  /** The vocabulary, when given (token sets). */
  labels: readonly string[] | null;
  /** Numbers per position: the alphabet's size, the channels, or 1 for token ids. */
  width: number;
  names: string[];
  lengths: number[];
  /**
   * Per sequence: one-hot symbol indices (-1 for a symbol outside the alphabet), token
   * ids, or `values[position * width + channel]`.
   */
  data: (Int8Array | Int32Array | Float32Array)[];
}

function isNamed(item: SequenceSetItem): item is NamedSequence {
  return (
    typeof item === 'object' &&
    item !== null &&
    !Array.isArray(item) &&
    'name' in item &&
    'sequence' in item
  );
}

/** One-hot symbol indices; lower case is read as upper case when the alphabet is upper case. */
function symbolIndices(text: string, alphabet: string): Int8Array {
  const caseless = alphabet === alphabet.toUpperCase();
  const normalized = caseless ? text.toUpperCase() : text;
  const indices = new Int8Array(normalized.length);
  for (let i = 0; i < normalized.length; i++) {
    indices[i] = alphabet.indexOf(normalized[i]);
  }
  return indices;
}

/** One sequence as the set stores it; the caller names it in errors. */
function encodeOne(
  model: tf.LayersModel,
  input: ModelInput,
  sequence: SequenceLike,
  options: SequenceOptions
): { kind: SequenceSet['kind']; data: Int8Array | Int32Array | Float32Array } {
  if (typeof sequence === 'string' && !(input.tokens && options.labels)) {
    const alphabet = options.alphabet ?? DNA;
    if (input.tokens || input.channels !== alphabet.length) {
      // The single-sequence reader says what the model expects instead.
      describeSequence(model, alphabet[0].repeat(input.length ?? 1), options);
    }
    return { kind: 'onehot', data: symbolIndices(sequence, alphabet) };
  }
  const payload = describeSequence(model, sequence, options);
  switch (payload.kind) {
    case 'tokens':
      return { kind: 'tokens', data: Int32Array.from(payload.ids) };
    case 'numeric':
      return { kind: 'numeric', data: Float32Array.from(payload.values.flat()) };
    case 'onehot':
      return { kind: 'onehot', data: symbolIndices(payload.sequence, payload.alphabet) };
  }
}

/**
 * Reads a set of sequences for a model.
 *
 * @param model - the model they are for
 * @param items - sequences in any form `describeSequence` takes, or `{ name, sequence }`
 *   (e.g. from `readFasta`); unnamed ones are called `seq1`, `seq2`…
 * @param options - alphabet and vocabulary
 * @returns the encoded set
 * @throws ExplorerError for an empty set, sequences of different kinds, sequences too short
 *   for the model (all named), or a sequence that does not fit it (named)
 */
export function readSequenceSet(
  model: tf.LayersModel,
  items: readonly SequenceSetItem[],
  options: SequenceOptions = {}
): SequenceSet {
  if (!Array.isArray(items) || items.length === 0) {
    throw new ExplorerError(
      'The set of sequences is empty; expected an array of sequences (or readFasta records).'
    );
  }
  const input = modelInput(model);
  const names = items.map((item, i) => (isNamed(item) ? String(item.name) : `seq${i + 1}`));
  const encoded = items.map((item, i) => {
    try {
      return encodeOne(model, input, isNamed(item) ? item.sequence : item, options);
    } catch (e) {
      throw new ExplorerError(`Sequence ${JSON.stringify(names[i])}: ${errorMessage(e)}`);
    }
  });
  const kind = encoded[0].kind;
  const other = encoded.findIndex(e => e.kind !== kind);
  if (other >= 0) {
    throw new ExplorerError(
      `Sequence ${JSON.stringify(names[other])} is ${encoded[other].kind} but the first is ` +
        `${kind}; expected one kind of sequence in a set.`
    );
  }
  const width = kind === 'tokens' ? 1 : (input.channels ?? 1);
  // Symbol indices and token ids are one per position; numeric values, `width` per position.
  const lengths = encoded.map(e => (kind === 'numeric' ? e.data.length / width : e.data.length));
  checkLengths(model, names, lengths);
  return {
    kind,
    alphabet: kind === 'onehot' ? (options.alphabet ?? DNA) : null,
    labels: options.labels ?? null,
    width,
    names,
    lengths,
    data: encoded.map(e => e.data)
  };
}

/**
 * Refuses, naming them all, the sequences of another length than a fixed-length model
 * takes, or too short for its Conv1D layers.
 */
function checkLengths(model: tf.LayersModel, names: string[], lengths: number[]): void {
  const fixed = modelInput(model).length;
  const wrong = fixed === null ? [] : names.filter((_, i) => lengths[i] !== fixed);
  if (wrong.length > 0) {
    throw new ExplorerError(
      `${wrong.length} of ${names.length} sequences do not have the ${fixed} positions the ` +
        `model takes: ${listNames(wrong)}.`
    );
  }
  const shortest = minimumSequenceLength(model);
  const short = names.filter((_, i) => lengths[i] < shortest);
  if (short.length > 0) {
    throw new ExplorerError(
      `${short.length} of ${names.length} sequences are shorter than the ${shortest} positions ` +
        `every Conv1D layer needs: ${listNames(short)}. Leave them out or pad them.`
    );
  }
}
