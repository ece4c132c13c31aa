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
import { MAX_SET_SYMBOLS, type SequenceSetArrays } from '../protocol';
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

/** A set of sequences, encoded for the model (the protocol's form, so it travels as is). */
export type SequenceSet = SequenceSetArrays;

function isNamed(item: SequenceSetItem): item is NamedSequence {
  return (
    typeof item === 'object' &&
    item !== null &&
    !Array.isArray(item) &&
    'name' in item &&
    'sequence' in item
  );
}

/**
 * Tells a set of sequences from one sequence, by what one sequence of the model's input
 * is: a string, token ids (`number[]`) or `number[position][channel]`. An array of strings
 * or records, an array of token-id arrays, or an array of `number[][]` is a set.
 *
 * @param input - what the model takes
 * @param value - one sequence or a set
 * @returns true for a set
 */
export function isSequenceSet(input: ModelInput, value: unknown): value is SequenceSetItem[] {
  if (!Array.isArray(value) || value.length === 0) {
    return false;
  }
  const first: unknown = value[0];
  if (typeof first === 'string' || isNamed(first as SequenceSetItem)) {
    return true;
  }
  if (typeof (first as { rank?: unknown } | null)?.rank === 'number') {
    return true; // an array of tensors
  }
  return input.tokens ? Array.isArray(first) : Array.isArray(first) && Array.isArray(first[0]);
}

/**
 * One-hot symbol indices; lower case is read as upper case when the alphabet is upper case.
 * The characters outside the alphabet are kept, in order, in `unknown`.
 */
function symbolIndices(text: string, alphabet: string): { data: Int8Array; unknown: string } {
  const caseless = alphabet === alphabet.toUpperCase();
  const normalized = caseless ? text.toUpperCase() : text;
  const data = new Int8Array(normalized.length);
  let unknown = '';
  for (let i = 0; i < normalized.length; i++) {
    data[i] = alphabet.indexOf(normalized[i]);
    if (data[i] < 0) {
      unknown += normalized[i];
    }
  }
  return { data, unknown };
}

/** One sequence as the set stores it; the caller names it in errors. */
function encodeOne(
  model: tf.LayersModel,
  input: ModelInput,
  sequence: SequenceLike,
  options: SequenceOptions
): { kind: SequenceSet['kind']; data: Int8Array | Int32Array | Float32Array; unknown?: string } {
  if (typeof sequence === 'string' && !(input.tokens && options.labels)) {
    const alphabet = options.alphabet ?? DNA;
    if (input.tokens || input.channels !== alphabet.length) {
      // The single-sequence reader says what the model expects instead.
      describeSequence(model, alphabet[0].repeat(input.length ?? 1), options);
    }
    return { kind: 'onehot', ...symbolIndices(sequence, alphabet) };
  }
  const payload = describeSequence(model, sequence, options);
  switch (payload.kind) {
    case 'tokens':
      return { kind: 'tokens', data: Int32Array.from(payload.ids) };
    case 'numeric':
      return { kind: 'numeric', data: Float32Array.from(payload.values.flat()) };
    case 'onehot':
      return { kind: 'onehot', ...symbolIndices(payload.sequence, payload.alphabet) };
  }
}

function firstSequence(items: readonly SequenceSetItem[]): unknown {
  const first = items[0];
  return isNamed(first) ? first.sequence : first;
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
  const alphabet = options.alphabet ?? DNA;
  if (
    !input.tokens &&
    alphabet.length > MAX_SET_SYMBOLS &&
    typeof firstSequence(items) === 'string'
  ) {
    throw new ExplorerError(
      `The alphabet has ${alphabet.length} symbols; a set of one-hot sequences takes at most ` +
        `${MAX_SET_SYMBOLS}. Pass the sequences as numbers per position and channel instead.`
    );
  }
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
    data: encoded.map(e => e.data),
    ...(kind === 'onehot' ? { unknownSymbols: encoded.map(e => e.unknown ?? '').join('') } : {})
  };
}

/**
 * Checks that a set read elsewhere (a payload's) fits a model: its kind, its numbers per
 * position, its token ids and its lengths.
 *
 * @param model - the model
 * @param set - the set
 * @returns the set
 * @throws ExplorerError saying what does not fit
 */
export function checkSetFits(model: tf.LayersModel, set: SequenceSet): SequenceSet {
  const input = modelInput(model);
  const wanted = input.tokens ? 'tokens' : set.kind === 'onehot' ? 'onehot' : 'numeric';
  if (set.kind !== wanted || (!input.tokens && input.channels !== set.width)) {
    throw new ExplorerError(
      `The set holds ${set.kind} sequences of ${set.width} numbers per position, but the model ` +
        `takes ${input.tokens ? 'token ids' : `${input.channels} channels per position`}.`
    );
  }
  if (set.kind === 'tokens' && input.vocabulary !== null) {
    const vocabulary = input.vocabulary;
    const bad = set.data.findIndex(ids => ids.some(id => id >= vocabulary));
    if (bad >= 0) {
      throw new ExplorerError(
        `Sequence ${JSON.stringify(set.names[bad])} holds a token id outside the model's ` +
          `vocabulary of ${vocabulary}.`
      );
    }
  }
  checkLengths(model, set.names, set.lengths);
  return set;
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
