import * as tf from '@tensorflow/tfjs';
import { modelFromPayload, modelToPayload } from '../../src/core';
import {
  decodePayload,
  encodePayload,
  fromBase64,
  PAYLOAD_VERSION,
  PayloadError,
  toBase64,
  weightByteLength,
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

  test('a payload from a newer version', () => {
    expect(() => decodePayload({ ...good, version: PAYLOAD_VERSION + 1 })).toThrow(
      /newer conv1d-explorer \(payload version 2\)/
    );
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
});
