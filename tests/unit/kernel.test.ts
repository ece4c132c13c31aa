import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import {
  explore,
  loadModel,
  tslabDisplay,
  ExplorerError,
  SUPPORTED_TFJS,
  type MimeBundle
} from '../../src';
import { checkTfjsPeer, checkTfjsVersion } from '../../src/kernel/requireTfjs';
import { decodePayload, MIME_TYPE, PACKAGE_VERSION } from '../../src/protocol';
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
    expect(sink.bundles[0]['text/plain']).toContain(
      `conv1d-explorer extension ${PACKAGE_VERSION} or later (the conv1d_explorer wheel)`
    );
    expect(payload.packageVersion).toBe(PACKAGE_VERSION);
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

describe('refused input reads as a message', () => {
  const model = convModel({ length: null, channels: 4, kernel: [[[1], [0], [1], [0]]] });

  test('an ExplorerError carries its message and no stack frames into the cell', async () => {
    const error = new ExplorerError('The model has no Conv1D layer.');
    expect(error.stack).toBe('ExplorerError: The model has no Conv1D layer.');
    expect(error).toBeInstanceOf(Error);
    const refused = await explore(model, 'ACGU', { display: capture().display }).catch(
      (e: Error) => e
    );
    expect(refused).toBeInstanceOf(ExplorerError);
    expect((refused as Error).stack).toBe(`ExplorerError: ${(refused as Error).message}`);
  });

  test('an unexpected error keeps its stack, to report', async () => {
    const broken = (): void => {
      throw new TypeError('the display broke');
    };
    const error = await explore(model, 'ACGT', { display: broken }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).stack).toMatch(/the display broke\n\s+at broken .*kernel\.test\.ts/);
  });
});

describe('the @tensorflow/tfjs peer', () => {
  test('the supported range is the one package.json declares', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require('../../package.json') as { peerDependencies: Record<string, string> };
    expect(pkg.peerDependencies['@tensorflow/tfjs']).toBe(SUPPORTED_TFJS);
  });

  test('versions inside the range pass, others name both versions', () => {
    for (const ok of ['4.22.0', '4.22.1', '4.23.0', '4.30.2-rc.1', '4.100.0']) {
      expect(() => checkTfjsVersion(ok, '/x')).not.toThrow();
    }
    for (const bad of ['3.21.0', '4.21.9', '4.0.0', '4.22.0-rc.0', '5.0.0', '12.0.0', 'garbage']) {
      expect(() => checkTfjsVersion(bad, '/x/node_modules/@tensorflow/tfjs')).toThrow(
        new RegExp(
          `conv1d-explorer ${PACKAGE_VERSION.replace(/\./g, '\\.')} needs @tensorflow/tfjs >=4\\.22\\.0 <5, ` +
            `but the notebook folder has @tensorflow/tfjs ${bad} \\(/x/node_modules/@tensorflow/tfjs\\)\\. ` +
            'Install a supported version there \\(npm install @tensorflow/tfjs@4\\)'
        )
      );
    }
  });

  test("this checkout's tfjs passes", () => {
    expect(() => checkTfjsPeer()).not.toThrow();
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
    await expect(loadModel(file)).rejects.toThrow(/is not a TensorFlow\.js LayersModel/);
  });
});
