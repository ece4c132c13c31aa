import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_MAX_PAYLOAD_BYTES, explore, loadModel, type MimeBundle } from '../../src';
import {
  computeFeatureMaps,
  maximizeActivation,
  type MaximizationResult,
  modelFromPayload,
  modelToPayload,
  sequenceTensor
} from '../../src/core';
import { modelUpTo } from '../../src/core/graph';
import { toFloat16Bits } from '../../src/core/serialize';
import {
  decodePayload,
  MIME_TYPE,
  PayloadError,
  weightByteLength,
  type ExplorerPayload
} from '../../src/protocol';
import { convModel } from './helpers';

const MODELS = path.join(__dirname, '..', '..', 'examples', 'models');
/** The DNA example's sequence (its model reads exactly 100 positions). */
const DNA_SEQUENCE = (
  JSON.parse(fs.readFileSync(path.join(MODELS, 'dna', 'info.json'), 'utf8')) as { example: string }
).example;

/** Runs `explore` and returns what it displayed. */
async function explored(
  model: tf.LayersModel,
  sequence: Parameters<typeof explore>[1],
  options: Parameters<typeof explore>[2] = {}
): Promise<{ text: string; plain: string; payload: ExplorerPayload }> {
  const bundles: MimeBundle[] = [];
  await explore(model, sequence, { ...options, display: b => bundles.push(b) });
  expect(bundles).toHaveLength(1);
  const text = bundles[0][MIME_TYPE];
  return { text, plain: bundles[0]['text/plain'], payload: decodePayload(text) };
}

/** Float32 bytes of the weights of the named layers of a model. */
function float32Bytes(model: tf.LayersModel, layers: string[]): number {
  return layers
    .flatMap(name => model.getLayer(name).getWeights())
    .reduce((sum, w) => sum + w.size * 4, 0);
}

describe('float16 encoding', () => {
  test('matches hand-computed bit patterns, rounding to nearest even', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff], // the largest float16
      [65520, 0x7c00], // halfway to the next power: rounds to even, i.e. Infinity
      [1 + 2 ** -11, 0x3c00], // a tie: stays on the even mantissa
      [1 + 3 * 2 ** -11, 0x3c02], // a tie: goes up to the even mantissa
      [1 + 2 ** -10, 0x3c01], // the next float16 after 1
      [2 ** -14, 0x0400], // the smallest normal
      [2 ** -24, 0x0001], // the smallest subnormal
      [2 ** -25, 0x0000], // a tie between 0 and the smallest subnormal: 0 is even
      [1.5 * 2 ** -25, 0x0001],
      [3 * 2 ** -16, 0x0300], // a subnormal: 3·2^-16 = 768·2^-24
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00]
    ];
    const bits = toFloat16Bits(Float32Array.from(cases.map(c => c[0])));
    expect(Array.from(bits)).toEqual(cases.map(c => c[1]));
    expect(toFloat16Bits(Float32Array.of(NaN))[0] & 0x7c00).toBe(0x7c00);
  });

  test('tfjs decodes it back within float16 precision', () => {
    const values = Float32Array.from(
      { length: 2000 },
      (_, i) => Math.sin(i * 1.7) * 10 ** ((i % 9) - 5)
    );
    const decoded = tf.io.decodeWeights(toFloat16Bits(values).buffer as ArrayBuffer, [
      {
        name: 'w',
        shape: [values.length],
        dtype: 'float32',
        quantization: { dtype: 'float16' }
      }
    ]);
    const back = decoded.w.dataSync();
    for (let i = 0; i < values.length; i++) {
      const tolerance = Math.max(Math.abs(values[i]) * 2 ** -11, 2 ** -25);
      expect(Math.abs(back[i] - values[i])).toBeLessThanOrEqual(tolerance);
    }
    decoded.w.dispose();
  });
});

describe('compact payloads', () => {
  let dna: tf.LayersModel;
  let text: tf.LayersModel;
  beforeAll(async () => {
    dna = await loadModel(path.join(MODELS, 'dna', 'model.json'));
    text = await loadModel(path.join(MODELS, 'text', 'model.json'));
  });
  afterAll(() => {
    dna.dispose();
    text.dispose();
  });

  test('the DNA example sends its Conv1D layers, not the dense head; beyond them only base64, topology and sequence', async () => {
    const { text: json, payload } = await explored(dna, DNA_SEQUENCE);
    const names = payload.model.weightSpecs.map(s => s.name);
    expect(names.some(n => n.startsWith('bound'))).toBe(false);
    const sentBytes = float32Bytes(dna, ['motif_scan', 'motif_pairs']);
    expect(weightByteLength(payload.model.weightSpecs)).toBe(sentBytes);
    // The weights are 2.5 kB, so the topology is a large share here: the payload is exactly
    // base64 (4/3 of the bytes) plus the topology and sequence, with under 400 bytes besides.
    const base64 = Math.ceil(sentBytes / 3) * 4;
    const rest =
      JSON.stringify(payload.model.topology).length + JSON.stringify(payload.sequence).length;
    expect(json.length).toBeGreaterThan(base64 + rest);
    expect(json.length).toBeLessThan(base64 + rest + 400);
  });

  test('the text example (Embedding + Conv1D) within 1.4×, and within 0.75× with float16', async () => {
    const ids = Array.from({ length: 24 }, (_, i) => (i * 7) % 100);
    const sentBytes = float32Bytes(text, ['embedding', 'ngrams']);
    const plain = await explored(text, ids);
    expect(weightByteLength(plain.payload.model.weightSpecs)).toBe(sentBytes);
    expect(plain.payload.model.weightSpecs.map(s => s.name).join()).not.toMatch(/positive/);
    expect(plain.text.length).toBeLessThanOrEqual(1.4 * sentBytes);

    const half = await explored(text, ids, { float16: true });
    expect(weightByteLength(half.payload.model.weightSpecs)).toBe(sentBytes / 2);
    expect(half.text.length).toBeLessThanOrEqual(0.75 * sentBytes);
    expect(half.plain).toMatch(
      /Payload: \d+\.\d kB \(weights of the layers up to ngrams, float16\)/
    );
  });

  test('wholeModel sends every layer', async () => {
    const { payload, plain } = await explored(dna, DNA_SEQUENCE, { wholeModel: true });
    expect(weightByteLength(payload.model.weightSpecs)).toBe(dna.countParams() * 4);
    expect(plain).toMatch(/weights of the whole model, float32/);
  });

  test('the part sent computes the same feature maps as the whole model', async () => {
    const sequence = DNA_SEQUENCE;
    for (const float16 of [false, true]) {
      const { payload } = await explored(dna, sequence, { float16 });
      const rebuilt = await modelFromPayload(payload.model);
      const x = sequenceTensor(payload.sequence);
      const want = computeFeatureMaps(dna, x);
      const got = computeFeatureMaps(rebuilt, x);
      x.dispose();
      expect(got.map(m => m.layer.name)).toEqual(['motif_scan', 'motif_pairs']);
      for (let l = 0; l < want.length; l++) {
        const a = want[l].values;
        const b = got[l].values;
        expect(b.length).toBe(a.length);
        const scale = a.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
        for (let i = 0; i < a.length; i++) {
          expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(float16 ? 1e-2 * scale : 1e-6 * scale);
        }
      }
      rebuilt.dispose();
    }
  });

  test('layers: explores only those, sends only up to the deepest', async () => {
    const { payload } = await explored(dna, DNA_SEQUENCE, { layers: ['motif_scan'] });
    expect(payload.view).toEqual({ layer: 'motif_scan', filter: 0, layers: ['motif_scan'] });
    expect(weightByteLength(payload.model.weightSpecs)).toBe(float32Bytes(dna, ['motif_scan']));
    const deep = await explored(dna, DNA_SEQUENCE, { layers: ['motif_pairs'] });
    expect(deep.payload.view.layer).toBe('motif_pairs');
    const sink = { display: () => undefined };
    await expect(explore(dna, DNA_SEQUENCE, { ...sink, layers: ['nope'] })).rejects.toThrow(
      /No Conv1D layer is named "nope".*"motif_scan", "motif_pairs"/
    );
    await expect(explore(dna, DNA_SEQUENCE, { ...sink, layers: [] })).rejects.toThrow(
      /layers must be a non-empty array of Conv1D layer names/
    );
    await expect(
      explore(dna, DNA_SEQUENCE, { ...sink, layers: ['motif_scan'], layer: 'motif_pairs' })
    ).rejects.toThrow(/"motif_pairs" is not among the layers to explore \(motif_scan\)/);
  });

  test('refuses an output over the limit, saying how to shrink it', async () => {
    expect(DEFAULT_MAX_PAYLOAD_BYTES).toBe(10_000_000);
    const shown: MimeBundle[] = [];
    const display = (b: MimeBundle) => shown.push(b);
    await expect(explore(dna, DNA_SEQUENCE, { display, maxPayloadBytes: 5000 })).rejects.toThrow(
      /would be \d+\.\d kB \(weights of the layers up to motif_pairs, float32\), over the limit of 5\.0 kB \(option maxPayloadBytes\)\. To shrink it: float16: true halves the weights; layers: \[\.\.\.\] explores fewer/
    );
    await expect(explore(dna, DNA_SEQUENCE, { display, maxPayloadBytes: 0 })).rejects.toThrow(
      /maxPayloadBytes must be a positive number of bytes; got 0/
    );
    expect(shown).toHaveLength(0);
    await explore(dna, DNA_SEQUENCE, { display, maxPayloadBytes: 5000, float16: true });
    expect(shown).toHaveLength(1);
  });

  test('float16 refuses weights beyond its range', async () => {
    const big = convModel({ length: null, channels: 1, kernel: [[[70000]]] });
    await expect(explore(big, [1, 2], { display: () => undefined, float16: true })).rejects.toThrow(
      /holds 70000, beyond float16's range \(±65504\); leave the float16 option off/
    );
    big.dispose();
  });
});

describe('modelUpTo', () => {
  test('cuts a functional model with parallel branches after the Conv1D layers asked for', async () => {
    const input = tf.input({ shape: [null, 4] });
    const a = tf.layers
      .conv1d({ filters: 2, kernelSize: 3, name: 'a' })
      .apply(input) as tf.SymbolicTensor;
    const b = tf.layers
      .conv1d({ filters: 3, kernelSize: 5, name: 'b' })
      .apply(input) as tf.SymbolicTensor;
    const pooled = [a, b].map(t => tf.layers.globalMaxPooling1d().apply(t) as tf.SymbolicTensor);
    const joined = tf.layers.concatenate().apply(pooled) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 50, name: 'head' }).apply(joined) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const part = modelUpTo(model, ['a', 'b']);
    expect(part.layers.map(l => l.name).sort()).toEqual(['a', 'b', input.sourceLayer.name].sort());
    const payload = await modelToPayload(part);
    expect(payload.weightSpecs.map(s => s.name).sort()).toEqual(
      ['a/kernel', 'a/bias', 'b/kernel', 'b/bias'].sort()
    );
    expect(modelUpTo(model, ['b']).layers.map(l => l.name)).not.toContain('a');
    model.dispose();
  });
});

describe('the part of a model that is sent', () => {
  test('a layer called twice (shared) cannot be cut: the whole model is sent', () => {
    const conv = tf.layers.conv1d({ filters: 2, kernelSize: 3, name: 'shared' });
    const a = tf.input({ shape: [null, 4] });
    const b = tf.input({ shape: [null, 4] });
    const joined = tf.layers
      .add()
      .apply([conv.apply(a) as tf.SymbolicTensor, conv.apply(b) as tf.SymbolicTensor]);
    const head = tf.layers.dense({ units: 3 }).apply(joined) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [a, b], outputs: head });
    expect(modelUpTo(model, ['shared'])).toBe(model);
    model.dispose();
  });

  test('maximizing a filter of the text model sent without its head gives the same result', async () => {
    const text = await loadModel(path.join(MODELS, 'text', 'model.json'));
    const { payload } = await explored(
      text,
      Array.from({ length: 24 }, (_, i) => i)
    );
    const part = await modelFromPayload(payload.model);
    const options = { layer: 'ngrams', filter: 5, iterations: 20, seed: 3 };
    const whole = maximizeActivation(text, options) as MaximizationResult;
    const cut = maximizeActivation(part, options) as MaximizationResult;
    expect(cut.losses).toEqual(whole.losses);
    expect(cut.input).toEqual(whole.input);
    expect(cut.nearestTokens).toEqual(whole.nearestTokens);
    part.dispose();
    text.dispose();
  });

  test('a payload offering no layers is refused', async () => {
    const model = convModel({ length: null, channels: 1, kernel: [[[1]]] });
    const payload = {
      version: 1,
      model: await modelToPayload(model),
      sequence: { kind: 'numeric', values: [[1]] },
      view: { layers: [] }
    };
    expect(() => decodePayload(JSON.stringify(payload))).toThrow(
      /"view.layers" must be a non-empty array of layer names/
    );
    model.dispose();
  });
});

describe('float16 in the protocol', () => {
  test('a float16 spec counts two bytes per value; other quantizations are refused', async () => {
    const model = convModel({ length: null, channels: 2, kernel: [[[1], [2]]], bias: [0.5] });
    const payload: ExplorerPayload = {
      version: 1,
      model: await modelToPayload(model, { float16: true }),
      sequence: { kind: 'numeric', values: [[1, 2]] },
      view: {}
    };
    expect(weightByteLength(payload.model.weightSpecs)).toBe(6);
    expect(decodePayload(JSON.stringify(payload)).model.weightSpecs[0].quantization).toEqual({
      dtype: 'float16'
    });
    const bad = JSON.parse(JSON.stringify(payload)) as ExplorerPayload;
    (bad.model.weightSpecs[0] as unknown as { quantization: object }).quantization = {
      dtype: 'uint8'
    };
    expect(() => decodePayload(JSON.stringify(bad))).toThrow(PayloadError);
    expect(() => decodePayload(JSON.stringify(bad))).toThrow(/can only be float16/);
    const rebuilt = await modelFromPayload(payload.model);
    expect(Array.from(rebuilt.getLayer('conv').getWeights()[0].dataSync())).toEqual([1, 2]);
    rebuilt.dispose();
    model.dispose();
  });
});
