/**
 * Sequences in every form the explorer takes (one-hot strings, token ids, numeric
 * channels, tensors): what a model's input expects, the checks that a sequence fits it,
 * the payload form, and the tensor the model runs on.
 */
import * as tf from '@tensorflow/tfjs';
import { MAX_SEQUENCE_POSITIONS, type SequencePayload } from '../protocol';
import { DNA } from './alphabets';
import { ExplorerError } from './errors';
import { checkSequenceLength } from './geometry';

/** Every form a sequence can be given in; see `describeSequence`. */
export type SequenceLike = string | readonly number[] | readonly (readonly number[])[] | tf.Tensor;

/** How to read a sequence given as a string or as token ids. */
export interface SequenceOptions {
  /** Symbols of the one-hot channels, in channel order. Default `ACGT`. */
  alphabet?: string;
  /** Vocabulary: `labels[id]` is the word of token `id`. */
  labels?: readonly string[];
}

/** What a model's sequence input takes: token ids, or `channels` numbers per position. */
export interface ModelInput {
  /** Token ids (the model starts with an Embedding, or takes [batch, positions]). */
  tokens: boolean;
  /** Positions per sequence; null when any length is accepted. */
  length: number | null;
  /** Numbers per position; null for token ids. */
  channels: number | null;
  /** The Embedding's vocabulary size; null without an Embedding. */
  vocabulary: number | null;
}

/**
 * Says what sequence a model takes.
 *
 * @param model - a model with one sequence input
 * @returns its input's form
 * @throws ExplorerError for several inputs or an input that is not a sequence
 */
export function modelInput(model: tf.LayersModel): ModelInput {
  if (model.inputs.length !== 1) {
    throw new ExplorerError(
      `The model has ${model.inputs.length} inputs; the explorer supports models with one sequence input.`
    );
  }
  const shape = model.inputs[0].shape;
  const first = model.layers.find(l => l.getClassName() !== 'InputLayer');
  const embedding = first?.getClassName() === 'Embedding' ? first : undefined;
  if (shape.length === 2) {
    const vocabulary = embedding ? Number(embedding.getConfig().inputDim) : null;
    return { tokens: true, length: shape[1], channels: null, vocabulary };
  }
  if (shape.length === 3) {
    return { tokens: false, length: shape[1], channels: shape[2], vocabulary: null };
  }
  throw new ExplorerError(
    `The model's input has shape [${shape.join(', ')}]; expected [batch, positions] (token ids) ` +
      'or [batch, positions, channels].'
  );
}

function describeShape(s: ModelInput): string {
  const len = s.length === null ? 'any number of' : String(s.length);
  return s.tokens
    ? `${len} token ids per sequence`
    : `${len} positions with ${s.channels} channels each`;
}

/** Duck-typed, so tensors from another copy of tfjs are recognised too. */
function isTensor(v: unknown): v is tf.Tensor {
  return typeof v === 'object' && v !== null && 'shape' in v && 'arraySync' in v && 'rank' in v;
}

function fromTensor(t: tf.Tensor): number[] | number[][] {
  if (t.rank === 3 || (t.rank === 2 && t.shape[0] === 1)) {
    if (t.shape[0] !== 1) {
      throw new ExplorerError(
        `The tensor holds a batch of ${t.shape[0]} sequences; pass one sequence (batch size 1 or no batch dimension).`
      );
    }
    return (t.arraySync() as number[][][] | number[][])[0];
  }
  if (t.rank === 1 || t.rank === 2) {
    return t.arraySync() as number[] | number[][];
  }
  throw new ExplorerError(
    `The tensor has shape [${t.shape.join(', ')}]; expected [positions], [positions, channels] or [1, positions, channels].`
  );
}

function oneHot(model: ModelInput, sequence: string, alphabet: string): SequencePayload {
  if (model.tokens) {
    throw new ExplorerError(
      'The model starts with an Embedding and expects token ids (an array of integers); got a string. ' +
        'Pass token ids, or pass `labels` (the vocabulary) to split the string into words.'
    );
  }
  if (new Set(alphabet).size !== alphabet.length || alphabet.length === 0) {
    throw new ExplorerError(`The alphabet ${JSON.stringify(alphabet)} must list distinct symbols.`);
  }
  if (model.channels !== alphabet.length) {
    throw new ExplorerError(
      `The model expects ${model.channels} channels per position but the alphabet ` +
        `${JSON.stringify(alphabet)} has ${alphabet.length} symbols. Pass the alphabet the model ` +
        'was trained with, e.g. {alphabet: "ACGT"}.'
    );
  }
  // Lower case is read as upper case (soft-masked DNA) when the alphabet is all upper case.
  const caseless = alphabet === alphabet.toUpperCase();
  const normalized = caseless ? sequence.toUpperCase() : sequence;
  for (let i = 0; i < normalized.length; i++) {
    if (!alphabet.includes(normalized[i])) {
      throw new ExplorerError(
        `Character ${JSON.stringify(sequence[i])} at position ${i} is not in the alphabet ` +
          `${JSON.stringify(alphabet)}. Expected only these symbols${caseless ? ' (any case)' : ''}.`
      );
    }
  }
  return { kind: 'onehot', sequence: normalized, alphabet };
}

function tokens(
  model: ModelInput,
  ids: readonly number[],
  labels?: readonly string[]
): SequencePayload {
  const vocabulary = model.vocabulary ?? Infinity;
  ids.forEach((id, i) => {
    if (!Number.isInteger(id) || id < 0 || id >= vocabulary) {
      throw new ExplorerError(
        `Token id ${id} at position ${i} is outside the Embedding's range: expected an integer ` +
          `from 0 to ${vocabulary - 1}.`
      );
    }
  });
  return { kind: 'tokens', ids: [...ids], ...(labels ? { labels: [...labels] } : {}) };
}

function wordsToIds(text: string, labels: readonly string[]): number[] {
  const index = new Map(labels.map((w, i) => [w, i]));
  return text
    .split(/\s+/)
    .filter(w => w.length > 0)
    .map((w, i) => {
      const id = index.get(w);
      if (id === undefined) {
        throw new ExplorerError(
          `Word ${JSON.stringify(w)} at position ${i} is not in the vocabulary (labels). ` +
            'Expected only words the labels list.'
        );
      }
      return id;
    });
}

function numeric(model: ModelInput, values: readonly (readonly number[])[]): SequencePayload {
  values.forEach((row, i) => {
    if (row.length !== model.channels) {
      throw new ExplorerError(
        `Position ${i} has ${row.length} channels; the model expects ${model.channels} per position.`
      );
    }
    row.forEach((v, c) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ExplorerError(
          `The value at position ${i}, channel ${c} is ${v}; expected a finite number.`
        );
      }
    });
  });
  return { kind: 'numeric', values: values.map(r => [...r]) };
}

/**
 * Checks a sequence against a model and turns it into payload form.
 *
 * Accepted forms: token ids (`number[]`, for models that start with an Embedding), a string
 * over an alphabet (one-hot; default `ACGT`), words separated by spaces when `labels` is
 * given to an Embedding model, numbers per position and channel (`number[][]`, or
 * `number[]` for one-channel models) and a `tf.Tensor` of any of these shapes, with or
 * without a batch dimension of 1.
 *
 * @param model - the model the sequence is for
 * @param input - the sequence
 * @param options - alphabet and vocabulary
 * @returns the sequence in payload form
 * @throws ExplorerError saying what does not fit and what the model expects
 */
export function describeSequence(
  model: tf.LayersModel,
  input: SequenceLike,
  options: SequenceOptions = {}
): SequencePayload {
  const shape = modelInput(model);
  const value = isTensor(input) ? fromTensor(input) : input;
  let seq: SequencePayload;
  if (typeof value === 'string') {
    seq =
      shape.tokens && options.labels
        ? tokens(shape, wordsToIds(value, options.labels), options.labels)
        : oneHot(shape, value, options.alphabet ?? DNA);
  } else if (!Array.isArray(value)) {
    throw new ExplorerError(
      'The sequence must be a string, an array of token ids, number[position][channel] or a tf.Tensor.'
    );
  } else if (value.length > 0 && value.every(v => Array.isArray(v))) {
    if (shape.tokens) {
      throw new ExplorerError(
        `The model expects ${describeShape(shape)}; got numbers per position and channel.`
      );
    }
    seq = numeric(shape, value as number[][]);
  } else {
    const flat = value as number[];
    if (shape.tokens) {
      seq = tokens(shape, flat, options.labels);
    } else if (shape.channels === 1) {
      seq = numeric(
        shape,
        flat.map(v => [v])
      );
    } else {
      throw new ExplorerError(
        `The model expects ${describeShape(shape)}; got a flat array of numbers. ` +
          'Pass number[position][channel], or a string over the alphabet.'
      );
    }
  }
  const length = sequenceLength(seq);
  if (length === 0) {
    throw new ExplorerError('The sequence is empty; expected at least one position.');
  }
  if (shape.length !== null && length !== shape.length) {
    throw new ExplorerError(
      `The sequence has ${length} positions but the model expects exactly ${shape.length}.`
    );
  }
  if (length > MAX_SEQUENCE_POSITIONS) {
    throw new ExplorerError(
      `The sequence has ${length} positions; the explorer shows at most ` +
        `${MAX_SEQUENCE_POSITIONS}. Explore a window of it, e.g. ` +
        `sequence.slice(start, start + ${MAX_SEQUENCE_POSITIONS}).`
    );
  }
  checkSequenceLength(model, length);
  return seq;
}

/**
 * Number of positions in a sequence.
 *
 * @param seq - the sequence
 * @returns its length
 */
export function sequenceLength(seq: SequencePayload): number {
  switch (seq.kind) {
    case 'onehot':
      return seq.sequence.length;
    case 'tokens':
      return seq.ids.length;
    case 'numeric':
      return seq.values.length;
  }
}

/**
 * What to write under each position: the symbol, the word (or token id), or the position.
 *
 * @param seq - the sequence
 * @returns one label per position
 */
export function sequenceSymbols(seq: SequencePayload): string[] {
  switch (seq.kind) {
    case 'onehot':
      return [...seq.sequence];
    case 'tokens':
      return seq.ids.map(id => seq.labels?.[id] ?? String(id));
    case 'numeric':
      return seq.values.map((_, i) => String(i));
  }
}

/**
 * Names of the input channels: alphabet symbols, or `ch0`, `ch1`… for numeric input.
 *
 * @param seq - the sequence
 * @param channels - channel count (for token models: the embedding size)
 * @returns one name per channel
 */
export function channelNames(seq: SequencePayload, channels: number): string[] {
  if (seq.kind === 'onehot') {
    return [...seq.alphabet];
  }
  const prefix = seq.kind === 'tokens' ? 'emb' : 'ch';
  return Array.from({ length: channels }, (_, i) => `${prefix}${i}`);
}

/**
 * The model input for a sequence, with a batch dimension of 1.
 *
 * @param seq - the sequence
 * @returns `[1, positions]` int32 for tokens, `[1, positions, channels]` float32 otherwise
 */
export function sequenceTensor(seq: SequencePayload): tf.Tensor {
  switch (seq.kind) {
    case 'onehot': {
      const idx = [...seq.sequence].map(ch => seq.alphabet.indexOf(ch));
      return tf.tidy(() =>
        tf.oneHot(tf.tensor1d(idx, 'int32'), seq.alphabet.length).toFloat().expandDims(0)
      );
    }
    case 'tokens':
      return tf.tensor2d([seq.ids], [1, seq.ids.length], 'int32');
    case 'numeric':
      return tf.tensor3d([seq.values]);
  }
}

/**
 * Reads a sequence typed as text (where there is no notebook cell to write an array in):
 * one-hot models take the symbols, a model that starts with an Embedding takes token ids or,
 * given its vocabulary, words; other models take one line per position of numbers separated
 * by spaces or commas (or, with one channel, just numbers).
 *
 * @param input - what the model takes (`modelInput`)
 * @param text - the typed sequence
 * @param oneHot - whether the model's channels are one-hot symbols
 * @returns the sequence in a form `describeSequence` checks against the model
 */
export function parseTypedSequence(input: ModelInput, text: string, oneHot: boolean): SequenceLike {
  const trimmed = text.trim();
  if (input.tokens) {
    return /^[\d\s,]+$/.test(trimmed) ? trimmed.split(/[\s,]+/).map(Number) : trimmed;
  }
  if (oneHot) {
    return trimmed.replace(/\s+/g, '');
  }
  const rows = trimmed.split(/\n+/).map(line =>
    line
      .trim()
      .split(/[\s,]+/)
      .filter(v => v.length > 0)
      .map(v => (/^[-+.\deE]+$|^-?(Infinity|NaN)$/.test(v) ? Number(v) : NaN))
  );
  return input.channels === 1 && rows.length === 1 ? rows[0] : rows;
}
