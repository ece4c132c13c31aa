/**
 * A set of sequences as the payload carries it to the dataset view, and the arrays the
 * analyses read it into. Compact, because a set is large (10 000 × 600 bp of DNA is 6 M
 * symbols): one-hot symbols packed at the fewest bits their alphabet needs (2 for DNA),
 * token ids as 16- or 32-bit integers, numbers as float32; all base64. Symbols outside
 * the alphabet (`N`) are kept aside as runs, with their characters, so the windows holding
 * them can be skipped and a sequence opened in the explorer reads as it was given.
 */
import { base64ByteLength, fromBase64, toBase64 } from './base64';
import { isCount, isFiniteNumber, isObject } from './guards';
import type { SequencePayload } from './index';
import { expect } from './payloadError';

/** A set of sequences, read into arrays, one model input each. */
export interface SequenceSetArrays {
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
  /** One-hot: the characters outside the alphabet, in order (one per -1 index). */
  unknownSymbols?: string;
}

/** A set of sequences in the payload (see the module comment). */
export interface SequenceSetPayload {
  kind: 'onehot' | 'tokens' | 'numeric';
  names: string[];
  lengths: number[];
  /** One-hot sets: the symbols. */
  alphabet?: string;
  /** Token sets: the vocabulary, when given. */
  labels?: string[];
  /** Numbers per position: the alphabet's size, 1 for token ids, or the channels. */
  width: number;
  /** Bits per symbol (one-hot), 16 or 32 (token ids), 32 (float32 numbers). */
  bits: number;
  /** The sequences one after the other, packed, little-endian, base64. */
  data: string;
  /**
   * One-hot: where symbols outside the alphabet are in the concatenated sequences, as
   * `[start, count, start, count, …]`, and their characters.
   */
  unknown?: { runs: number[]; symbols: string };
  /**
   * Numbers per sequence to sort the table by (labels, predictions, scores), by name; each
   * holds one finite number per sequence.
   */
  columns?: { [name: string]: number[] };
}

/** The most symbols a one-hot set's alphabet may have: its indices are 8-bit, -1 unknown. */
export const MAX_SET_SYMBOLS = 127;

/** The bits a one-hot symbol index takes. */
function symbolBits(alphabetSize: number): number {
  return Math.max(1, Math.ceil(Math.log2(alphabetSize)));
}

function total(lengths: readonly number[]): number {
  return lengths.reduce((a, b) => a + b, 0);
}

/**
 * Packs a set for the payload.
 *
 * @param set - the set, as `readSequenceSet` makes it
 * @param columns - numbers per sequence to sort the table by, by name
 * @returns the payload form
 */
export function encodeSequenceSet(
  set: SequenceSetArrays,
  columns?: { [name: string]: number[] }
): SequenceSetPayload {
  const base = {
    kind: set.kind,
    names: set.names,
    lengths: set.lengths,
    width: set.width,
    ...(columns && Object.keys(columns).length > 0 ? { columns } : {})
  };
  switch (set.kind) {
    case 'onehot': {
      const packed = packSymbols(set);
      return { ...base, alphabet: set.alphabet ?? '', ...packed };
    }
    case 'tokens': {
      const ids = concat(set.data as Int32Array[], Int32Array);
      const bits = ids.every(id => id < 65536) ? 16 : 32;
      const bytes = bits === 16 ? new Uint8Array(Uint16Array.from(ids).buffer) : bytesOf(ids);
      return {
        ...base,
        ...(set.labels ? { labels: [...set.labels] } : {}),
        bits,
        data: toBase64(bytes)
      };
    }
    case 'numeric':
      return {
        ...base,
        bits: 32,
        data: toBase64(bytesOf(concat(set.data as Float32Array[], Float32Array)))
      };
  }
}

function bytesOf(array: Int32Array | Float32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function concat<T extends Int32Array | Float32Array | Int8Array>(
  parts: readonly T[],
  Kind: { new (length: number): T }
): T {
  const out = new Kind(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** One-hot indices packed low bits first; the -1s as runs with their characters. */
function packSymbols(
  set: SequenceSetArrays
): Pick<SequenceSetPayload, 'bits' | 'data' | 'unknown'> {
  const bits = symbolBits(set.width);
  const indices = concat(set.data as Int8Array[], Int8Array);
  const bytes = new Uint8Array(Math.ceil((indices.length * bits) / 8));
  const runs: number[] = [];
  for (let i = 0; i < indices.length; i++) {
    const code = indices[i];
    if (code < 0) {
      if (runs.length > 0 && runs[runs.length - 2] + runs[runs.length - 1] === i) {
        runs[runs.length - 1]++;
      } else {
        runs.push(i, 1);
      }
      continue;
    }
    writeBits(bytes, i * bits, bits, code);
  }
  const symbols = set.unknownSymbols ?? '';
  expect(
    symbols.length === runs.reduce((n, v, i) => (i % 2 === 1 ? n + v : n), 0),
    'The set has unknown symbols but not their characters.'
  );
  return {
    bits,
    data: toBase64(bytes),
    ...(runs.length > 0 ? { unknown: { runs, symbols } } : {})
  };
}

function writeBits(bytes: Uint8Array, offset: number, bits: number, value: number): void {
  for (let b = 0; b < bits; b++) {
    if ((value >> b) & 1) {
      const at = offset + b;
      bytes[at >> 3] |= 1 << (at & 7);
    }
  }
}

function readBits(bytes: Uint8Array, offset: number, bits: number): number {
  let value = 0;
  for (let b = 0; b < bits; b++) {
    const at = offset + b;
    value |= ((bytes[at >> 3] >> (at & 7)) & 1) << b;
  }
  return value;
}

/**
 * Checks a set as it arrives in a payload, without unpacking it.
 *
 * @param value - the payload's `sequences`
 * @param maxPositions - the longest sequence the explorer opens
 * @throws PayloadError saying what is wrong with it
 */
export function checkSequenceSet(
  value: unknown,
  maxPositions: number
): asserts value is SequenceSetPayload {
  expect(isObject(value), 'The payload\'s "sequences" must be an object.');
  const { kind, names, lengths, width, bits, data } = value;
  expect(
    kind === 'onehot' || kind === 'tokens' || kind === 'numeric',
    'The set\'s "kind" must be "onehot", "tokens" or "numeric".'
  );
  expect(
    Array.isArray(names) && names.length > 0 && names.every(n => typeof n === 'string'),
    'The set needs "names", a non-empty array of strings.'
  );
  expect(
    Array.isArray(lengths) &&
      lengths.length === names.length &&
      lengths.every(n => isCount(n) && n > 0 && n <= maxPositions),
    `The set needs "lengths", one per name, each from 1 to ${maxPositions} positions.`
  );
  expect(isCount(width) && width > 0, 'The set\'s "width" must be a positive integer.');
  expect(typeof data === 'string', 'The set has no "data" string.');
  expect(kind !== 'tokens' || width === 1, 'A token set\'s "width" must be 1.');
  const positions = total(lengths as number[]);
  const expectedBits =
    kind === 'onehot' ? symbolBits(width) : kind === 'tokens' ? (bits === 16 ? 16 : 32) : 32;
  expect(bits === expectedBits, `The set's "bits" must be ${expectedBits}.`);
  const bytes =
    kind === 'onehot'
      ? Math.ceil((positions * expectedBits) / 8)
      : positions * width * (expectedBits / 8);
  expect(
    base64ByteLength(data) === bytes,
    `The set's data has ${base64ByteLength(data)} bytes where its lengths need ${bytes}; the output is corrupt.`
  );
  if (kind === 'onehot') {
    expect(
      typeof value.alphabet === 'string' &&
        value.alphabet.length === width &&
        width <= MAX_SET_SYMBOLS,
      `A one-hot set needs an "alphabet" of "width" symbols, at most ${MAX_SET_SYMBOLS}.`
    );
    checkUnknown(value.unknown, positions);
  }
  expect(
    value.labels === undefined ||
      (Array.isArray(value.labels) && value.labels.every(l => typeof l === 'string')),
    'The set\'s "labels" must be an array of strings.'
  );
  const columns = value.columns;
  expect(
    columns === undefined ||
      (isObject(columns) &&
        Object.values(columns).every(
          c => Array.isArray(c) && c.length === names.length && c.every(isFiniteNumber)
        )),
    'The set\'s "columns" must hold one finite number per sequence each.'
  );
}

function checkUnknown(unknown: unknown, positions: number): void {
  if (unknown === undefined) {
    return;
  }
  expect(
    isObject(unknown) && Array.isArray(unknown.runs) && typeof unknown.symbols === 'string',
    'The set\'s "unknown" needs "runs" and "symbols".'
  );
  const runs = unknown.runs as unknown[];
  let end = 0;
  let count = 0;
  for (let i = 0; i < runs.length; i += 2) {
    const start = runs[i];
    const length = runs[i + 1];
    expect(
      isCount(start) &&
        isCount(length) &&
        length > 0 &&
        start >= end &&
        start + length <= positions,
      "The set's unknown-symbol runs must be ordered [start, count] pairs inside the set."
    );
    end = start + length;
    count += length;
  }
  expect(
    unknown.symbols.length === count,
    "The set's unknown symbols do not match their runs; the output is corrupt."
  );
}

/**
 * Unpacks a checked set (`checkSequenceSet`) into arrays.
 *
 * @param set - the payload's set
 * @returns the arrays the analyses read
 * @throws PayloadError when a packed symbol or token id is outside its range
 */
export function decodeSequenceSet(set: SequenceSetPayload): SequenceSetArrays {
  const bytes = fromBase64(set.data, "The set's sequences");
  const offsets = set.lengths.reduce<number[]>((o, n) => (o.push(o[o.length - 1] + n), o), [0]);
  const base = {
    kind: set.kind,
    alphabet: set.kind === 'onehot' ? (set.alphabet ?? '') : null,
    labels: set.labels ?? null,
    width: set.width,
    names: set.names,
    lengths: set.lengths
  };
  switch (set.kind) {
    case 'onehot': {
      const all = new Int8Array(offsets[offsets.length - 1]);
      for (let i = 0; i < all.length; i++) {
        all[i] = readBits(bytes, i * set.bits, set.bits);
      }
      expect(
        all.every(code => code < set.width),
        'The set holds a symbol code outside its alphabet; the output is corrupt.'
      );
      const runs = set.unknown?.runs ?? [];
      for (let r = 0; r < runs.length; r += 2) {
        all.fill(-1, runs[r], runs[r] + runs[r + 1]);
      }
      return {
        ...base,
        data: set.lengths.map((_, s) => all.subarray(offsets[s], offsets[s + 1])),
        unknownSymbols: set.unknown?.symbols ?? ''
      };
    }
    case 'tokens': {
      const ids =
        set.bits === 16
          ? Int32Array.from(new Uint16Array(bytes.buffer))
          : new Int32Array(bytes.buffer);
      expect(
        ids.every(id => id >= 0),
        'The set holds a negative token id; the output is corrupt.'
      );
      return { ...base, data: set.lengths.map((_, s) => ids.subarray(offsets[s], offsets[s + 1])) };
    }
    case 'numeric': {
      const values = new Float32Array(bytes.buffer);
      expect(values.every(Number.isFinite), 'The set holds a number that is not finite.');
      const w = set.width;
      return {
        ...base,
        data: set.lengths.map((_, s) => values.subarray(offsets[s] * w, offsets[s + 1] * w))
      };
    }
  }
}

/**
 * One sequence of a set as the explorer's per-sequence views take it.
 *
 * @param set - the unpacked set
 * @param index - which sequence
 * @returns its payload form, symbols outside the alphabet as they were given
 */
export function sequenceOfSet(set: SequenceSetArrays, index: number): SequencePayload {
  const data = set.data[index];
  switch (set.kind) {
    case 'onehot': {
      const alphabet = set.alphabet ?? '';
      // The unknown characters before this sequence, to find its own.
      let unknownAt = 0;
      for (let s = 0; s < index; s++) {
        unknownAt += (set.data[s] as Int8Array).reduce((n, c) => (c < 0 ? n + 1 : n), 0);
      }
      const unknown = set.unknownSymbols ?? '';
      let text = '';
      for (const code of data) {
        text += code >= 0 ? alphabet[code] : (unknown[unknownAt++] ?? '?');
      }
      return { kind: 'onehot', sequence: text, alphabet };
    }
    case 'tokens':
      return {
        kind: 'tokens',
        ids: Array.from(data),
        ...(set.labels ? { labels: [...set.labels] } : {})
      };
    case 'numeric': {
      const w = set.width;
      return {
        kind: 'numeric',
        values: Array.from({ length: data.length / w }, (_, p) =>
          Array.from(data.subarray(p * w, (p + 1) * w))
        )
      };
    }
  }
}
