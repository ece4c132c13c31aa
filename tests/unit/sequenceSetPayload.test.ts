/**
 * A set of sequences in the payload: packed (2 bits per DNA base, 16-bit token ids,
 * float32 numbers), unknown symbols kept with their characters, checked on arrival; and
 * `explore` with a set.
 */
import * as tf from '@tensorflow/tfjs';
import { explore, type MimeBundle } from '../../src';
import { filterMotifs, MotifScan } from '../../src/core/filterMotifs';
import { isSequenceSet, readSequenceSet } from '../../src/core/sequenceSet';
import { modelInput } from '../../src/core/input';
import {
  checkSequenceSet,
  decodePayload,
  decodeSequenceSet,
  encodeSequenceSet,
  MIME_TYPE,
  PayloadError,
  sequenceOfSet,
  type SequenceSetPayload
} from '../../src/protocol';
import { convModel } from './helpers';

const dnaModel = convModel({
  length: null,
  channels: 4,
  kernel: [
    [[1], [0], [0], [0]],
    [[0], [1], [0], [0]]
  ]
});

function tokenModel(vocabulary: number): tf.LayersModel {
  const input = tf.input({ shape: [null], dtype: 'int32' });
  const embedding = tf.layers.embedding({ inputDim: vocabulary, outputDim: 2 });
  const conv = tf.layers.conv1d({ filters: 1, kernelSize: 2 });
  return tf.model({
    inputs: input,
    outputs: conv.apply(embedding.apply(input)) as tf.SymbolicTensor
  });
}

function roundTrip(set: SequenceSetPayload): SequenceSetPayload {
  const text = JSON.parse(JSON.stringify(set)) as unknown;
  checkSequenceSet(text, 10_000);
  return text;
}

describe('the set in the payload', () => {
  test('DNA packs at 2 bits per base; N runs keep their characters; round trip is exact', () => {
    const sequences = [
      { name: 'a', sequence: 'ACGTNNacgt' },
      { name: 'b', sequence: 'TTGCA' },
      { name: 'c', sequence: 'GGXNA' }
    ];
    const arrays = readSequenceSet(dnaModel, sequences);
    const set = roundTrip(encodeSequenceSet(arrays));
    expect(set.bits).toBe(2);
    // 20 symbols × 2 bits = 5 bytes; base64 of 5 bytes is 8 characters.
    expect(set.data).toHaveLength(8);
    // Runs over the concatenation: NN at 4–5, X N at 17–18.
    expect(set.unknown).toEqual({ runs: [4, 2, 17, 2], symbols: 'NNXN' });
    const back = decodeSequenceSet(set);
    expect(back.data.map(d => Array.from(d))).toEqual(arrays.data.map(d => Array.from(d)));
    expect(sequenceOfSet(back, 0)).toEqual({
      kind: 'onehot',
      sequence: 'ACGTNNACGT',
      alphabet: 'ACGT'
    });
    expect(sequenceOfSet(back, 2).kind === 'onehot' && sequenceOfSet(back, 2)).toMatchObject({
      sequence: 'GGXNA'
    });
    // The scan reads the decoded set as it reads the sequences themselves.
    const direct = filterMotifs(dnaModel, sequences, { minSites: 1 });
    const scan = new MotifScan(dnaModel, back, { minSites: 1 });
    while (!scan.step()) {
      // batches
    }
    expect(scan.result().filters).toEqual(direct.filters);
    expect(Array.from(scan.result().maxima)).toEqual(Array.from(direct.maxima));
  });

  test('an alphabet of 20 symbols takes 5 bits; token ids 16 bits, or 32 past 65535', () => {
    const protein = convModel({
      length: null,
      channels: 20,
      kernel: [Array.from({ length: 20 }, () => [1])]
    });
    const alphabet = 'ACDEFGHIKLMNPQRSTVWY';
    const set = encodeSequenceSet(readSequenceSet(protein, ['WYV', 'AC'], { alphabet }));
    expect(set.bits).toBe(5);
    expect(sequenceOfSet(decodeSequenceSet(roundTrip(set)), 0)).toMatchObject({
      sequence: 'WYV'
    });
    const small = encodeSequenceSet(
      readSequenceSet(tokenModel(70_000), [
        [1, 2, 3],
        [4, 5]
      ])
    );
    expect(small.bits).toBe(16);
    const large = encodeSequenceSet(
      readSequenceSet(tokenModel(70_000), [
        [1, 69_999],
        [4, 5]
      ])
    );
    expect(large.bits).toBe(32);
    expect(Array.from(decodeSequenceSet(roundTrip(large)).data[0])).toEqual([1, 69_999]);
    expect(sequenceOfSet(decodeSequenceSet(roundTrip(small)), 1)).toEqual({
      kind: 'tokens',
      ids: [4, 5]
    });
  });

  test('a one-hot set takes alphabets of at most 127 symbols (its indices are 8-bit)', () => {
    const alphabet = Array.from({ length: 130 }, (_, i) => String.fromCharCode(0x100 + i)).join('');
    const wide = convModel({
      length: null,
      channels: 130,
      kernel: [Array.from({ length: 130 }, () => [1])]
    });
    expect(() => readSequenceSet(wide, [alphabet.slice(0, 3)], { alphabet })).toThrow(
      /130 symbols; a set of one-hot sequences takes at most 127/
    );
  });

  test('numbers travel as float32, per position and channel', () => {
    const numeric = convModel({ length: null, channels: 2, kernel: [[[1], [1]]] });
    const values = [
      [
        [0.5, -1],
        [2, 3]
      ],
      [[1.25, 7]]
    ];
    const set = roundTrip(encodeSequenceSet(readSequenceSet(numeric, values)));
    expect(set.bits).toBe(32);
    expect(sequenceOfSet(decodeSequenceSet(set), 0)).toEqual({
      kind: 'numeric',
      values: values[0]
    });
  });

  test('a corrupt set is refused with what is wrong', () => {
    const good = encodeSequenceSet(readSequenceSet(dnaModel, ['ACGT', 'TTTT']));
    const bad = (change: object): unknown => ({ ...good, ...change });
    const check = (v: unknown) => () => checkSequenceSet(v, 10_000);
    expect(check(bad({ lengths: [4] }))).toThrow(/"lengths", one per name/);
    expect(check(bad({ lengths: [4, 5] }))).toThrow(/data has 2 bytes where its lengths need 3/);
    expect(check(bad({ bits: 8 }))).toThrow(/"bits" must be 2/);
    expect(check(bad({ alphabet: 'ACG' }))).toThrow(/"alphabet" of "width" symbols/);
    expect(check(bad({ unknown: { runs: [6, 4], symbols: 'NNNN' } }))).toThrow(/inside the set/);
    expect(check(bad({ unknown: { runs: [1, 2], symbols: 'N' } }))).toThrow(/do not match/);
    expect(check(bad({ columns: { y: [1] } }))).toThrow(/one finite number per sequence/);
    expect(check(bad({ lengths: [4, 20_000] }))).toThrow(/from 1 to 10000 positions/);
    expect(check(bad({ kind: 'dna' }))).toThrow(PayloadError);
    const tokens = encodeSequenceSet(
      readSequenceSet(tokenModel(10), [
        [1, 2],
        [3, 4]
      ])
    );
    expect(check({ ...tokens, width: 2 })).toThrow(/token set's "width" must be 1/);
    expect(() => decodeSequenceSet({ ...good, data: 'AB$=' })).toThrow(
      "The set's sequences are not valid base64."
    );
  });
});

describe('explore with a set of sequences', () => {
  function capture(): { bundles: MimeBundle[]; display: (b: MimeBundle) => void } {
    const bundles: MimeBundle[] = [];
    return { bundles, display: b => bundles.push(b) };
  }

  test('tells a set from one sequence by the model’s input', () => {
    const dna = modelInput(dnaModel);
    const tokens = modelInput(tokenModel(10));
    expect(isSequenceSet(dna, 'ACGT')).toBe(false);
    expect(isSequenceSet(dna, ['ACGT', 'AC'])).toBe(true);
    expect(isSequenceSet(dna, [{ name: 'x', sequence: 'AC' }])).toBe(true);
    expect(isSequenceSet(dna, [[1, 0, 0, 0]])).toBe(false); // one sequence, one-hot rows
    expect(isSequenceSet(dna, [[[1, 0, 0, 0]]])).toBe(true);
    expect(isSequenceSet(tokens, [1, 2, 3])).toBe(false);
    expect(isSequenceSet(tokens, [[1, 2, 3]])).toBe(true);
  });

  test('sends the set, shows the chosen sequence first, and checks columns', async () => {
    const sink = capture();
    await explore(
      dnaModel,
      [
        { name: 'one', sequence: 'ACGT' },
        { name: 'two', sequence: 'GGNCA' }
      ],
      { display: sink.display, sequenceIndex: 1, columns: { label: [1, 0] } }
    );
    const payload = decodePayload(sink.bundles[0][MIME_TYPE]);
    expect(payload.sequence).toEqual({ kind: 'onehot', sequence: 'GGNCA', alphabet: 'ACGT' });
    expect(payload.sequences).toMatchObject({
      names: ['one', 'two'],
      lengths: [4, 5],
      columns: { label: [1, 0] }
    });
    expect(sink.bundles[0]['text/plain']).toMatch(/a set of 2 sequences for the dataset view/);
    const refuse = (options: object) =>
      explore(dnaModel, ['ACGT', 'ACGT'], { display: sink.display, ...options });
    await expect(refuse({ sequenceIndex: 2 })).rejects.toThrow(/sequenceIndex is 2: .* 0 to 1/);
    await expect(refuse({ columns: { y: [1] } })).rejects.toThrow(/"y" has 1 values; .*\(2\)/);
    await expect(refuse({ columns: { y: [1, NaN] } })).rejects.toThrow(/NaN at sequence 1/);
    await expect(
      explore(dnaModel, 'ACGT', { display: sink.display, columns: { y: [1] } })
    ).rejects.toThrow(/options of a set/);
    await expect(refuse({ maxPayloadBytes: 500 })).rejects.toThrow(
      /fewer sequences \(the set of 2/
    );
    expect(sink.bundles).toHaveLength(1);
  });
});
