import * as fs from 'fs';
import * as path from 'path';
import { computeFeatureMaps, modelFromPayload, sequenceTensor } from '../../src/core';
import { loadModel } from '../../src/kernel';
import { describeSequence, modelInput, parseTypedSequence } from '../../src/core/input';
import { joinPath, loadModelFile, parseModelFile } from '../../src/lab/modelFile';
import { ExplorerError } from '../../src/core/errors';

const MODELS = path.join(__dirname, '..', '..', 'examples', 'models');

/** Reads files under examples/models as the contents API does: base64 with line breaks. */
async function readBase64(p: string): Promise<string> {
  const text = fs.readFileSync(path.join(MODELS, '..', p)).toString('base64');
  return text.replace(/(.{76})/g, '$1\n');
}

describe('a model.json from the file browser', () => {
  const dnaJson = fs.readFileSync(path.join(MODELS, 'dna', 'model.json'), 'utf8');

  test('reads into a payload that computes what the model loaded from disk computes', async () => {
    const file = parseModelFile(dnaJson, 'models/dna/model.json');
    expect(file.shards).toEqual(['models/dna/weights.bin']);
    const payload = await loadModelFile(file, readBase64);
    const rebuilt = await modelFromPayload(payload);
    const reference = await loadModel(path.join(MODELS, 'dna', 'model.json'));
    const seq = describeSequence(rebuilt, 'ACGT'.repeat(25));
    const x = sequenceTensor(seq);
    const [a] = computeFeatureMaps(rebuilt, x, ['motif_pairs']);
    const [b] = computeFeatureMaps(reference, x, ['motif_pairs']);
    x.dispose();
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    rebuilt.dispose();
    reference.dispose();
  });

  test('says what is wrong with files that are not a LayersModel', () => {
    expect(() => parseModelFile('{"a": ', 'x.json')).toThrow(
      /x\.json is not a model file conv1d-explorer reads: expected a Keras 3 \.keras file/
    );
    expect(() =>
      parseModelFile('{"format": "graph-model", "modelTopology": {}}', 'g.json')
    ).toThrow(/g\.json is a TensorFlow\.js graph model, which has no layers to explore/);
    expect(() => parseModelFile('{"alphabet": "ACGT"}', 'info.json')).toThrow(
      /info\.json is not a TensorFlow\.js LayersModel: expected the model\.json .*"modelTopology" and "weightsManifest"/
    );
    const bad = JSON.parse(dnaJson);
    bad.weightsManifest[0].weights[0].dtype = 'complex64';
    expect(() => parseModelFile(JSON.stringify(bad), 'm.json')).toThrow(
      /m\.json has a weight entry the explorer cannot read/
    );
    expect(() => parseModelFile(JSON.stringify(bad), 'm.json')).toThrow(ExplorerError);
  });

  test('a missing or truncated weight file is named', async () => {
    const file = parseModelFile(dnaJson, 'models/dna/model.json');
    await expect(
      loadModelFile(file, () => Promise.reject(new Error('404 Not Found')))
    ).rejects.toThrow('Cannot read the weight file models/dna/weights.bin: 404 Not Found');
    await expect(
      loadModelFile(file, async p => (await readBase64(p)).replace(/\n/g, '').slice(0, 400))
    ).rejects.toThrow(/The weight files hold 300 bytes but model\.json describes \d+/);
  });

  test('weight paths resolve beside model.json and never above the server root', () => {
    expect(joinPath('a/b', 'w.bin')).toBe('a/b/w.bin');
    expect(joinPath('', './w.bin')).toBe('w.bin');
    expect(joinPath('a/b', '../c/w.bin')).toBe('a/c/w.bin');
    expect(() => joinPath('a', '../../w.bin')).toThrow(/outside the server's folder/);
  });
});

describe('a sequence typed into the view', () => {
  const dnaInput = { tokens: false, length: 100, channels: 4, vocabulary: null };

  test('one-hot symbols, white space ignored', () => {
    expect(parseTypedSequence(dnaInput, ' ACG\nT ', true)).toBe('ACGT');
  });

  test('token ids or words', () => {
    const text = { tokens: true, length: null, channels: null, vocabulary: 100 };
    expect(parseTypedSequence(text, '3 17, 42', false)).toEqual([3, 17, 42]);
    expect(parseTypedSequence(text, 'very good', false)).toBe('very good');
  });

  test('numbers: one line per position, or one line for one channel', () => {
    const two = { tokens: false, length: null, channels: 2, vocabulary: null };
    expect(parseTypedSequence(two, '1 2\n-0.5, 3e-1\n', false)).toEqual([
      [1, 2],
      [-0.5, 0.3]
    ]);
    const one = { tokens: false, length: null, channels: 1, vocabulary: null };
    expect(parseTypedSequence(one, '1 2 3', false)).toEqual([1, 2, 3]);
    expect(parseTypedSequence(two, '1 x', false)).toEqual([[1, NaN]]);
  });

  test('the text example takes words of its vocabulary; mistakes are explained', async () => {
    const model = await loadModel(path.join(MODELS, 'text', 'model.json'));
    const labels = JSON.parse(
      fs.readFileSync(path.join(MODELS, 'text', 'vocab.json'), 'utf8')
    ) as string[];
    const input = modelInput(model);
    expect(input).toEqual({ tokens: true, length: 24, channels: null, vocabulary: 100 });
    const words = Array.from({ length: 24 }, (_, i) => labels[2 + (i % 10)]).join(' ');
    const seq = describeSequence(model, parseTypedSequence(input, words, false), { labels });
    expect(seq.kind).toBe('tokens');
    expect(() =>
      describeSequence(model, parseTypedSequence(input, 'good zzz', false), { labels })
    ).toThrow(/Word "zzz" at position 1 is not in the vocabulary/);
    model.dispose();
  });
});
