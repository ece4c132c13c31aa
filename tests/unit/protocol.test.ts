import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { modelFromPayload, modelToPayload } from '../../src/core';
import {
  decodePayload,
  encodePayload,
  fromBase64,
  PACKAGE_VERSION,
  PAYLOAD_VERSION,
  PayloadError,
  toBase64,
  weightByteLength,
  MAX_SEQUENCE_POSITIONS,
  type ExplorerPayload
} from '../../src/protocol';
import { convModel } from './helpers';

describe('base64', () => {
  test('round-trips every length and byte value, and matches Node', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255, 256, 257, 20000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) & 255);
      const text = toBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(Array.from(fromBase64(text))).toEqual(Array.from(bytes));
    }
  });

  test('refuses text that is not base64', () => {
    expect(() => fromBase64('ab$d')).toThrow(PayloadError);
    expect(() => fromBase64('abc')).toThrow(/not valid base64/);
  });
});

async function payloadOf(model: tf.LayersModel): Promise<ExplorerPayload> {
  return {
    version: PAYLOAD_VERSION,
    model: await modelToPayload(model),
    sequence: { kind: 'onehot', sequence: 'ACGTT', alphabet: 'ACGT' },
    view: { layer: 'conv', filter: 1 }
  };
}

describe('payload round trip', () => {
  test('the model rebuilt from the payload computes the same outputs', async () => {
    const model = convModel({
      length: null,
      channels: 4,
      kernel: [
        [
          [1, -2],
          [0.5, 0],
          [0, 3],
          [-1, 1]
        ],
        [
          [2, 0],
          [0, 1],
          [1, 1],
          [0, -1]
        ]
      ],
      bias: [0.25, -0.5]
    });
    const payload = await payloadOf(model);
    const decoded = decodePayload(encodePayload(payload));
    expect(decoded).toEqual(payload);
    const rebuilt = await modelFromPayload(decoded.model);
    const x = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 3], 'int32'), 4).expandDims(0);
    const a = model.predict(x) as tf.Tensor;
    const b = rebuilt.predict(x) as tf.Tensor;
    expect(b.arraySync()).toEqual(a.arraySync());
    tf.dispose([x, a, b]);
    rebuilt.dispose();
  });

  test('weights take 4/3 of their float32 bytes as base64', async () => {
    const model = convModel({
      length: null,
      channels: 4,
      kernel: [[[1], [2], [3], [4]]],
      bias: [1]
    });
    const payload = await payloadOf(model);
    expect(weightByteLength(payload.model.weightSpecs)).toBe(5 * 4);
    expect(payload.model.weights.length).toBe(Math.ceil((5 * 4) / 3) * 4);
  });
});

describe('bad payloads are named, not shown blank', () => {
  let good: ExplorerPayload;
  beforeAll(async () => {
    good = await payloadOf(
      convModel({ length: null, channels: 4, kernel: [[[1], [2], [3], [4]]] })
    );
  });

  test('truncated JSON', () => {
    const text = encodePayload(good);
    expect(() => decodePayload(text.slice(0, text.length / 2))).toThrow(
      /not valid JSON.*edited or truncated/
    );
  });

  test('a payload from a newer version names both versions', () => {
    expect(() => decodePayload({ ...good, version: PAYLOAD_VERSION + 1 })).toThrow(
      `newer conv1d-explorer (payload version 2); this extension is conv1d-explorer ` +
        `${PACKAGE_VERSION} and reads version 1. Install the newer conv1d_explorer wheel`
    );
    expect(() =>
      decodePayload({ ...good, version: PAYLOAD_VERSION + 1, packageVersion: '2.3.0' })
    ).toThrow(/newer conv1d-explorer "2\.3\.0" \(payload version 2\)/);
    expect(() => decodePayload({ ...good, packageVersion: 7 })).toThrow(
      /"packageVersion" must be a version string/
    );
  });

  test('PACKAGE_VERSION is the version of package.json, which the wheel takes too', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require('../../package.json') as { version: string };
    expect(PACKAGE_VERSION).toBe(pkg.version);
    const pyproject = fs.readFileSync(path.join(__dirname, '..', '..', 'pyproject.toml'), 'utf8');
    expect(pyproject).toMatch(/\[tool\.hatch\.version\]\s*\n(#[^\n]*\n)*source = "nodejs"/);
  });

  test('missing model, sequence or weights', () => {
    expect(() => decodePayload({ ...good, model: undefined })).toThrow(/no "model"/);
    expect(() => decodePayload({ ...good, sequence: { kind: 'dna' } })).toThrow(
      /Unknown sequence kind "dna"/
    );
    expect(() => decodePayload({ ...good, model: { ...good.model, weights: 42 } })).toThrow(
      /no "weights" string/
    );
  });

  test('weights that do not match the specs', () => {
    const model = { ...good.model, weights: toBase64(new Uint8Array(4)) };
    expect(() => decodePayload({ ...good, model })).toThrow(
      /weights have 4 bytes but its weight specs describe 16/
    );
  });

  test('a topology tfjs cannot build names the problem', async () => {
    const topology = JSON.parse(
      JSON.stringify(good.model.topology).replace(/"Conv1D"/g, '"NoSuchLayer"')
    );
    await expect(modelFromPayload({ ...good.model, topology })).rejects.toThrow(
      /TensorFlow\.js cannot rebuild the model.*NoSuchLayer/
    );
  });

  test('wrong types in the view, the title and the weight specs', () => {
    const view = (v: unknown): unknown => ({ ...good, view: v });
    expect(() => decodePayload(view({ filter: '1' }))).toThrow(
      /"view.filter" must be a filter index/
    );
    expect(() => decodePayload(view({ filter: -1 }))).toThrow(/"view.filter"/);
    expect(() => decodePayload(view({ filter: 1.5 }))).toThrow(/"view.filter"/);
    expect(() => decodePayload(view({ layer: 3 }))).toThrow(/"view.layer" must be a layer name/);
    expect(() => decodePayload(view([]))).toThrow(/"view" must be an object/);
    expect(() => decodePayload({ ...good, title: { html: '<b>' } })).toThrow(
      /"title" must be a string/
    );
    for (const shape of [[-4, 1, 1], [1.5, 4, 1], ['4', 4, 1], null]) {
      const weightSpecs = [{ ...good.model.weightSpecs[0], shape }];
      expect(() => decodePayload({ ...good, model: { ...good.model, weightSpecs } })).toThrow(
        /a "shape" of sizes \(integers from 0\)/
      );
    }
  });

  test('a huge declared size is refused before anything is allocated', () => {
    const weightSpecs = [{ name: 'conv/kernel', shape: [1e6, 1e6, 4], dtype: 'float32' }];
    expect(() => decodePayload({ ...good, model: { ...good.model, weightSpecs } })).toThrow(
      /declare 16000000\.0 MB of weights, more than the 1000\.0 MB/
    );
  });

  test('sequences with wrong types, non-finite numbers or too many positions', () => {
    const seq = (s: unknown): unknown => ({ ...good, sequence: s });
    // JSON has no NaN or Infinity, but 1e999 parses to Infinity.
    const text = encodePayload(good).replace(
      /"sequence":\{[^}]*\}/,
      '"sequence":{"kind":"numeric","values":[[1,2,3,4],[0,1e999,0,0]]}'
    );
    expect(() => decodePayload(text)).toThrow(
      /The sequence holds Infinity at position 1; expected finite numbers/
    );
    expect(() => decodePayload(seq({ kind: 'numeric', values: [[1, '2']] }))).toThrow(
      /"values", an array of number arrays/
    );
    expect(() => decodePayload(seq({ kind: 'tokens', ids: [1, 2.5] }))).toThrow(
      /token ids \(integers from 0 to 2³¹ − 1\)/
    );
    expect(() => decodePayload(seq({ kind: 'tokens', ids: [2 ** 31] }))).toThrow(/token ids/);
    expect(() => decodePayload(seq({ kind: 'tokens', ids: [] }))).toThrow(/The sequence is empty/);
    expect(() => decodePayload(seq({ kind: 'numeric', values: [[1, 2], [3]] }))).toThrow(
      'Every position of a numeric sequence needs the same number of channels.'
    );
    expect(() => decodePayload(seq({ kind: 'tokens', ids: [1], labels: [1] }))).toThrow(
      /"labels" must be an array of strings/
    );
    expect(() => decodePayload(seq({ kind: 'onehot', sequence: ['A'], alphabet: 'ACGT' }))).toThrow(
      /"sequence" and "alphabet" strings/
    );
    const long = 'A'.repeat(MAX_SEQUENCE_POSITIONS + 1);
    expect(() => decodePayload(seq({ kind: 'onehot', sequence: long, alphabet: 'ACGT' }))).toThrow(
      `The sequence has ${MAX_SEQUENCE_POSITIONS + 1} positions; the explorer shows at most ${MAX_SEQUENCE_POSITIONS}`
    );
    expect(() =>
      decodePayload(seq({ kind: 'onehot', sequence: long.slice(1), alphabet: 'ACGT' }))
    ).not.toThrow();
  });
});
