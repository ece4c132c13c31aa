import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { explore, loadModel, tslabDisplay, type MimeBundle } from '../../src';
import { decodePayload, MIME_TYPE } from '../../src/protocol';
import { convModel } from './helpers';

const MODELS = path.join(__dirname, '..', '..', 'examples', 'models');

function capture(): { bundles: MimeBundle[]; display: (b: MimeBundle) => void } {
  const bundles: MimeBundle[] = [];
  return { bundles, display: b => bundles.push(b) };
}

describe('explore', () => {
  const model = convModel({
    length: null,
    channels: 4,
    kernel: [
      [
        [1, 0],
        [0, 1],
        [1, 0],
        [0, 1]
      ]
    ],
    bias: [0, 0]
  });

  test('displays one bundle: the payload and a text/plain fallback', async () => {
    const sink = capture();
    await explore(model, 'acgtn'.slice(0, 4), { display: sink.display, filter: 1, title: 'T' });
    expect(sink.bundles).toHaveLength(1);
    const payload = decodePayload(sink.bundles[0][MIME_TYPE]);
    expect(payload.sequence).toEqual({ kind: 'onehot', sequence: 'ACGT', alphabet: 'ACGT' });
    expect(payload.view).toEqual({ layer: 'conv', filter: 1 });
    expect(payload.title).toBe('T');
    expect(sink.bundles[0]['text/plain']).toMatch(/1 Conv1D layer .* 4 positions.*JupyterLab/);
  });

  test('checks before displaying anything', async () => {
    const sink = capture();
    await expect(explore(model, 'ACGU', { display: sink.display })).rejects.toThrow(
      /"U" at position 3/
    );
    await expect(explore(model, 'ACGT', { display: sink.display, filter: 2 })).rejects.toThrow(
      /Filter 2 does not exist.*0 to 1/
    );
    await expect(explore(model, 'ACGT', { display: sink.display, layer: 'x' })).rejects.toThrow(
      /No Conv1D layer is named "x"/
    );
    expect(sink.bundles).toHaveLength(0);
  });

  test('refuses NaN weights', async () => {
    const bad = convModel({ length: null, channels: 1, kernel: [[[NaN]]] });
    await expect(explore(bad, [1, 2], { display: capture().display })).rejects.toThrow(
      /holds NaN at index 0; expected finite numbers/
    );
  });

  test('outside a tslab kernel says where it must run', async () => {
    expect(() => tslabDisplay()).toThrow(/must run in a tslab \(TypeScript\) kernel cell/);
    await expect(explore(model, 'ACGT')).rejects.toThrow(/tslab/);
  });

  test('refuses something that is not a model', async () => {
    await expect(
      explore({} as tf.LayersModel, 'ACGT', { display: capture().display })
    ).rejects.toThrow(/needs a tfjs LayersModel/);
  });
});

describe('loadModel', () => {
  test('loads the example DNA model from model.json and weights.bin', async () => {
    const model = await loadModel(path.join(MODELS, 'dna', 'model.json'));
    expect(model.layers.map(l => l.name)).toContain('motif_pairs');
    const bytes = fs.statSync(path.join(MODELS, 'dna', 'weights.bin')).size;
    expect(model.countParams() * 4).toBe(bytes);
    model.dispose();
  });

  test('accepts file:// URLs', async () => {
    const model = await loadModel('file://' + path.join(MODELS, 'text', 'model.json'));
    expect(model.inputs[0].shape).toEqual([null, 24]);
    model.dispose();
  });

  test('a missing file names the path and the working folder', async () => {
    await expect(loadModel('no/such/model.json')).rejects.toThrow(
      /Cannot read model file .*no\/such\/model.json.*ENOENT.*relative to the notebook's folder/
    );
  });

  test('a JSON file that is not a model says so', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'c1e-')), 'model.json');
    fs.writeFileSync(file, '{"hello": 1}');
    await expect(loadModel(file)).rejects.toThrow(/is not a tfjs LayersModel/);
  });
});
