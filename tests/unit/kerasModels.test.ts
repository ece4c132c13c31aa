/**
 * Models saved by Keras 3 (3.15) and tf_keras (2.19) the ways researchers save them, made by
 * scripts/keras-fixtures.sh, against what Keras computed from them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { unzipSync, zipSync } from 'fflate';
import { featureMaps, flattenModel, modelFromPayload, readModelBytes } from '../../src/core';
import type { JsonObject } from '../../src/core/json';
import { TESTED_KERAS } from '../../src/core/kerasConfig';
import {
  kerasWeightGroups,
  toSnakeCase,
  type LayerWeightGroups
} from '../../src/core/kerasWeights';
import { openHdf5 } from '../../src/core/hdf5';
import { loadModel } from '../../src/kernel';
import { loadModelFile, parseModelFile } from '../../src/lab/modelFile';
import { toBase64, type WeightSpec } from '../../src/protocol';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'keras');
const TOLERANCE = 1e-5;

interface Expected {
  kerasVersion: string;
  models: {
    [model: string]: {
      input: (string | number[])[];
      featureMaps: { [layer: string]: number[][][] };
      output: number[][];
    };
  };
}

const expected = (version: string): Expected =>
  JSON.parse(fs.readFileSync(path.join(FIXTURES, version, 'expected.json'), 'utf8')) as Expected;

function maxDifference(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  a.forEach((row, i) => {
    expect(row.length).toBe(b[i].length);
    row.forEach((v, j) => (d = Math.max(d, Math.abs(v - b[i][j]))));
  });
  return d;
}

function inputTensor(input: (string | number[])[]): tf.Tensor {
  return typeof input[0] === 'string'
    ? tf.tensor3d(
        (input as string[]).map(s => [...s].map(c => [...'ACGT'].map(b => (b === c ? 1 : 0))))
      )
    : tf.tensor2d(input as number[][], undefined, 'int32');
}

/** Every Conv1D layer's feature maps and the model's output, against Keras' values. */
async function checkAgainstKeras(model: tf.LayersModel, version: string, name: string) {
  const want = expected(version).models[name];
  const flat = await flattenModel(model);
  for (const [layer, maps] of Object.entries(want.featureMaps)) {
    want.input.forEach((sequence, i) => {
      expect(maxDifference(featureMaps(flat, sequence, layer), maps[i])).toBeLessThanOrEqual(
        TOLERANCE
      );
    });
  }
  const x = inputTensor(want.input);
  const y = model.predict(x) as tf.Tensor;
  expect(maxDifference(y.arraySync() as number[][], want.output)).toBeLessThanOrEqual(TOLERANCE);
  tf.dispose([x, y]);
  if (flat !== model) {
    flat.dispose();
  }
}

const FILES: [string, string, string][] = [];
for (const version of ['keras3', 'keras2']) {
  for (const model of ['text', 'dna', 'zoo', 'nested']) {
    for (const file of [`${model}/model.json`, `${model}.h5`, `${model}.keras`]) {
      FILES.push([version, model, file]);
    }
  }
}

describe('Keras models load and compute what Keras computes', () => {
  test.each(FILES)('%s %s: %s', async (version, name, file) => {
    const model = await loadModel(path.join(FIXTURES, version, file));
    await checkAgainstKeras(model, version, name);
    model.dispose();
  });

  test('the fixtures are from the Keras versions the loader and the README name as tested', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    for (const [version, major] of [
      ['keras3', 3],
      ['keras2', 2]
    ] as const) {
      expect(expected(version).kerasVersion).toBe(TESTED_KERAS[major]);
      expect(readme).toContain(`(tested: ${TESTED_KERAS[major]})`);
    }
  });

  test('batch normalization keeps its moving statistics (set, not 0 and 1)', async () => {
    for (const file of ['keras3/dna.keras', 'keras3/dna.h5', 'keras2/dna.h5']) {
      const model = await loadModel(path.join(FIXTURES, file));
      const [gamma, beta, mean, variance] = model
        .getLayer('norm')
        .getWeights()
        .map(w => Array.from(w.dataSync()));
      expect(mean.some(v => Math.abs(v) > 0.05)).toBe(true);
      expect(variance.some(v => Math.abs(v - 1) > 0.05)).toBe(true);
      expect(gamma.some(v => Math.abs(v - 1) > 0.05)).toBe(true);
      expect(beta.some(v => Math.abs(v) > 0.01)).toBe(true);
      model.dispose();
    }
    // The .keras file's vars/2 and vars/3 of batch_normalization are those statistics.
    const entries = unzipSync(fs.readFileSync(path.join(FIXTURES, 'keras3', 'dna.keras')));
    const h5 = openHdf5(entries['model.weights.h5'], 'dna.keras');
    const model = await loadModel(path.join(FIXTURES, 'keras3', 'dna.keras'));
    const weights = model.getLayer('norm').getWeights();
    for (const i of [2, 3]) {
      const stored = h5.dataset(`layers/batch_normalization/vars/${i}`).values;
      expect(Array.from(weights[i].dataSync())).toEqual(Array.from(stored));
    }
    model.dispose();
  });

  test.each(['text', 'dna', 'zoo', 'nested'])(
    'in the browser: %s as .keras, .h5 and Keras 3 converter output, read into payloads',
    async name => {
      const payloads = [];
      for (const file of [`${name}.keras`, `${name}.h5`]) {
        const bytes = fs.readFileSync(path.join(FIXTURES, 'keras3', file));
        const artifacts = await readModelBytes(new Uint8Array(bytes), file);
        payloads.push({
          topology: artifacts.modelTopology,
          weightSpecs: artifacts.weightSpecs as WeightSpec[],
          weights: toBase64(new Uint8Array(artifacts.weightData))
        });
      }
      const json = fs.readFileSync(path.join(FIXTURES, 'keras3', name, 'model.json'), 'utf8');
      payloads.push(
        await loadModelFile(parseModelFile(json, `keras3/${name}/model.json`), async p =>
          fs.readFileSync(path.join(FIXTURES, p)).toString('base64')
        )
      );
      for (const payload of payloads) {
        // What the browser computes from: the payload rebuilt, nested models inlined.
        const model = await modelFromPayload(payload);
        await checkAgainstKeras(model, 'keras3', name);
        model.dispose();
      }
    }
  );
});

describe("a .keras file's weight paths", () => {
  const archive = unzipSync(fs.readFileSync(path.join(FIXTURES, 'keras3', 'zoo.keras')));
  const config = JSON.parse(new TextDecoder().decode(archive['config.json'])) as JsonObject;

  test('Keras names classes in snake case', () => {
    expect(
      [
        'Conv1D',
        'BatchNormalization',
        'ReLU',
        'LeakyReLU',
        'GlobalMaxPooling1D',
        'LSTM',
        'Dense'
      ].map(toSnakeCase)
    ).toEqual([
      'conv1d',
      'batch_normalization',
      're_lu',
      'leaky_re_lu',
      'global_max_pooling1d',
      'lstm',
      'dense'
    ]);
  });

  test("follow the model's layers by class, numbered in order, with nested layers below", () => {
    expect(kerasWeightGroups(config)).toEqual([
      { layer: 'wide', groups: ['layers/conv1d/vars'] },
      { layer: 'narrow', groups: ['layers/conv1d_1/vars'] },
      { layer: 'both', groups: ['layers/concatenate/vars'] },
      { layer: 'leaky', groups: ['layers/leaky_re_lu/vars'] },
      { layer: 'layer_norm', groups: ['layers/layer_normalization/vars'] },
      { layer: 'average', groups: ['layers/average_pooling1d/vars'] },
      {
        layer: 'bilstm',
        groups: [
          'layers/bidirectional/forward_layer/cell/vars',
          'layers/bidirectional/backward_layer/cell/vars'
        ]
      },
      {
        layer: 'block',
        groups: [],
        layers: [
          { layer: 'inner', groups: ['layers/sequential/layers/conv1d/vars'] },
          { layer: 'spatial_drop', groups: ['layers/sequential/layers/spatial_dropout1d/vars'] }
        ]
      },
      { layer: 'project', groups: ['layers/conv1d_2/vars'] },
      { layer: 'residual', groups: ['layers/add/vars'] },
      { layer: 'relu6', groups: ['layers/re_lu/vars'] },
      { layer: 'flat', groups: ['layers/flatten/vars'] },
      { layer: 'classes', groups: ['layers/dense/vars'] }
    ]);
  });

  test('agree with the layer names Keras 3.15 writes beside the weights, nested models too', () => {
    const checked = (file: string): string[] => {
      const entries = unzipSync(fs.readFileSync(path.join(FIXTURES, 'keras3', file)));
      const h5 = openHdf5(entries['model.weights.h5'], file);
      const model = JSON.parse(new TextDecoder().decode(entries['config.json'])) as JsonObject;
      const names: string[] = [];
      const walk = (layers: LayerWeightGroups[]): void => {
        for (const { layer, groups, layers: inner } of layers) {
          walk(inner ?? []);
          // A layer's own vars group carries its name; an RNN's cell carries the cell's.
          for (const group of groups.filter(
            g => !/\/(cell|forward_layer|backward_layer)\//.test(g)
          )) {
            expect(h5.group(group).attr('name')).toBe(layer);
            names.push(layer);
          }
        }
      };
      walk(kerasWeightGroups(model));
      return names;
    };
    expect(checked('zoo.keras')).toEqual([
      'wide',
      'narrow',
      'both',
      'leaky',
      'layer_norm',
      'average',
      'inner',
      'spatial_drop',
      'project',
      'residual',
      'relu6',
      'flat',
      'classes'
    ]);
    expect(checked('nested.keras')).toEqual([
      'scan',
      'scan_norm',
      'frozen',
      'body_norm',
      'head_conv',
      'head_norm',
      'head_pool',
      'head_out'
    ]);
  });
});

describe('files that cannot be loaded say what they are', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c1e-keras-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, bytes: Uint8Array | string) => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    return file;
  };
  const dnaKeras = () => unzipSync(fs.readFileSync(path.join(FIXTURES, 'keras3', 'dna.keras')));
  const rezip = (
    entries: { [name: string]: Uint8Array },
    change: (json: JsonObject, name: string) => void
  ) => {
    const out: { [name: string]: Uint8Array } = {};
    for (const [name, bytes] of Object.entries(entries)) {
      if (name.endsWith('.json')) {
        const json = JSON.parse(new TextDecoder().decode(bytes)) as JsonObject;
        change(json, name);
        out[name] = new TextEncoder().encode(JSON.stringify(json));
      } else {
        out[name] = bytes;
      }
    }
    return zipSync(out, { level: 0 });
  };
  const motifsConfig = (json: JsonObject) =>
    ((json.config as JsonObject).layers as JsonObject[]).find(l => l.name === 'motifs')!
      .config as JsonObject;

  test('a truncated .keras file', async () => {
    const bytes = fs.readFileSync(path.join(FIXTURES, 'keras3', 'dna.keras'));
    const file = write('cut.keras', bytes.subarray(0, bytes.length >> 1));
    await expect(loadModel(file)).rejects.toThrow(
      /cut\.keras" is a damaged or truncated zip archive .*save the model again with model\.save\("model\.keras"\)/
    );
  });

  test('an HDF5 file without model_config: weights only', async () => {
    const file = write('model.weights.h5', dnaKeras()['model.weights.h5']);
    await expect(loadModel(file)).rejects.toThrow(
      /model\.weights\.h5" holds weights only .*model\.save\("model\.keras"\) or model\.save\("model\.h5"\)/
    );
  });

  test('a truncated .h5 file, and damaged weights inside a .keras file', async () => {
    const h5 = fs.readFileSync(path.join(FIXTURES, 'keras3', 'dna.h5'));
    const cut = write('cut.h5', h5.subarray(0, Math.floor(h5.length * 0.6)));
    await expect(loadModel(cut)).rejects.toThrow(
      /cut\.h5"(:| is not an HDF5 file).*(damaged|truncated)/
    );
    const entries = dnaKeras();
    const weights = entries['model.weights.h5'];
    entries['model.weights.h5'] = weights.subarray(0, Math.floor(weights.length * 0.6));
    await expect(loadModel(write('damaged.keras', zipSync(entries)))).rejects.toThrow(
      /damaged\.keras.*(damaged or truncated)/
    );
  });

  test('weights whose shapes do not match the config', async () => {
    const file = write(
      'wider.keras',
      rezip(dnaKeras(), (json, name) => {
        if (name === 'config.json') {
          motifsConfig(json).filters = 9;
        }
      })
    );
    await expect(loadModel(file)).rejects.toThrow(
      /wider\.keras": the weights of layer "motifs" do not fit its config: layers\/conv1d\/vars\/0 has shape \[9, 4, 8\] where the layer needs \[9, 4, 9\]/
    );
  });

  test('a Keras newer than tested: refused from Keras 4, noted on errors from a newer 3', async () => {
    const newer = (version: string, widen: boolean) =>
      rezip(dnaKeras(), (json, name) => {
        if (name === 'metadata.json') {
          json.keras_version = version;
        } else if (widen) {
          motifsConfig(json).filters = 9;
        }
      });
    await expect(loadModel(write('k4.keras', newer('4.0.0', false)))).rejects.toThrow(
      /k4\.keras" was saved by Keras 4\.0\.0, newer than conv1d-explorer reads: it reads files of Keras 2 and 3 \(tested with tf_keras 2\.19\.0 and Keras 3\.15\.1\)/
    );
    await expect(loadModel(write('k399.keras', newer('3.99.0', true)))).rejects.toThrow(
      /do not fit its config.*\(The file is from Keras 3\.99\.0; the loader was tested up to 3\.15\.1\.\)$/
    );
    const fine = await loadModel(write('k316.keras', newer('3.16.0', false)));
    fine.dispose();
  });

  test('a layer class tfjs cannot build is named with the way round', async () => {
    const json = JSON.parse(
      fs.readFileSync(path.join(FIXTURES, 'keras3', 'dna', 'model.json'), 'utf8')
    ) as { modelTopology: { model_config: JsonObject } };
    const drop = (
      (json.modelTopology.model_config.config as JsonObject).layers as JsonObject[]
    ).find(l => l.name === 'drop')!;
    drop.class_name = 'Lambda';
    const file = write('lambda/model.json', JSON.stringify(json));
    fs.copyFileSync(
      path.join(FIXTURES, 'keras3', 'dna', 'group1-shard1of1.bin'),
      path.join(dir, 'lambda', 'group1-shard1of1.bin')
    );
    await expect(loadModel(file)).rejects.toThrow(
      /model\.json": TensorFlow\.js cannot build Lambda \(layer "drop"\); a Lambda layer's Python code does not travel with the file\. Replace "drop" with built-in Keras layers, or save the part of the model before it, .*keras\.Model\(model\.input, model\.get_layer\("pairs"\)\.output\)\.save\("part\.keras"\)\.$/
    );
    drop.class_name = 'StringLookup';
    fs.writeFileSync(file, JSON.stringify(json));
    await expect(loadModel(file)).rejects.toThrow(
      /cannot build StringLookup \(layer "drop"\); TensorFlow\.js has no text preprocessing layers\. Save the model from its token ids on/
    );
    drop.class_name = 'SomethingElse';
    fs.writeFileSync(file, JSON.stringify(json));
    await expect(loadModel(file)).rejects.toThrow(
      /cannot build SomethingElse \(layer "drop"\); TensorFlow\.js has no layer of that class\. .*registerClass/
    );
  });

  test('a SavedModel, a folder, other files and a config without weights', async () => {
    write('saved/saved_model.pb', new Uint8Array([8, 1, 18, 0]));
    fs.mkdirSync(path.join(dir, 'saved', 'variables'));
    await expect(loadModel(path.join(dir, 'saved'))).rejects.toThrow(
      /saved" is a TensorFlow SavedModel, which TensorFlow\.js cannot read as layers\. In Python, load the model and save it as \.keras \(model\.save\("model\.keras"\)\), or convert it: tensorflowjs_converter --input_format=keras_saved_model/
    );
    await expect(loadModel(path.join(dir, 'saved', 'saved_model.pb'))).rejects.toThrow(
      /is a TensorFlow SavedModel/
    );
    for (const name of ['config.json', 'metadata.json', 'model.weights.h5']) {
      write(`unzipped/${name}`, dnaKeras()[name]);
    }
    await expect(loadModel(path.join(dir, 'unzipped'))).rejects.toThrow(
      /unzipped" is an unzipped \.keras file; give loadModel the \.keras file itself/
    );
    await expect(loadModel(path.join(FIXTURES, 'keras3', 'dna'))).rejects.toThrow(
      /dna" is a folder; loadModel takes a model file, e\.g\. ".*dna\/model\.json"/
    );
    await expect(loadModel(write('notes.txt', 'ACGT, not a model'))).rejects.toThrow(
      /notes\.txt" is not a model file conv1d-explorer reads: expected a Keras 3 \.keras file, a Keras \.h5 file saved with model\.save\(\), or the model\.json of a TensorFlow\.js LayersModel\./
    );
    await expect(loadModel(write('broken.json', '{"modelTopology": '))).rejects.toThrow(
      /broken\.json" is not a model file conv1d-explorer reads/
    );
    const config = new TextDecoder().decode(dnaKeras()['config.json']);
    await expect(loadModel(write('config.json', config))).rejects.toThrow(
      /config\.json" is a Keras model config without weights \(what model\.to_json\(\) writes\)/
    );
    await expect(
      loadModel(write('other.zip', zipSync({ 'a.txt': new TextEncoder().encode('a') })))
    ).rejects.toThrow(/other\.zip" is a zip archive but not a Keras model: it has no config\.json/);
    const configOnly = dnaKeras();
    delete configOnly['model.weights.h5'];
    await expect(loadModel(write('bare.keras', zipSync(configOnly)))).rejects.toThrow(
      /bare\.keras" holds a Keras model config but no weights \(model\.weights\.h5\)/
    );
    const sharded = { ...configOnly, 'model.weights.json': new TextEncoder().encode('{}') };
    await expect(loadModel(write('sharded.keras', zipSync(sharded)))).rejects.toThrow(
      /sharded\.keras" keeps its weights in shards \(saved with max_shard_size\)/
    );
  });
});
