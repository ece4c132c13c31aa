/**
 * Models that are hard for the explorer: nested models, several inputs or outputs, an RNN
 * after the convolutions, layer classes the browser does not know. Each either works, with
 * the same numbers as the model itself, or is refused with what to do.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import {
  checkWeightsFinite,
  computeFeatureMaps,
  featureMaps,
  flattenModel,
  modelFromPayload,
  modelToPayload,
  sequenceTensor
} from '../../src/core';
import { explore, type MimeBundle } from '../../src/kernel';
import { filterNote } from '../../src/lab/explorerRows';
import type { LayerData } from '../../src/lab/compute';
import { convModel } from './helpers';
import { decodePayload, MIME_TYPE, type ExplorerPayload } from '../../src/protocol';

async function explored(
  model: tf.LayersModel,
  sequence: Parameters<typeof explore>[1],
  options: Parameters<typeof explore>[2] = {}
): Promise<ExplorerPayload> {
  let bundle: MimeBundle = {};
  await explore(model, sequence, { ...options, display: b => (bundle = b) });
  return decodePayload(bundle[MIME_TYPE]);
}

/** What the browser computes from a payload: the feature maps of its Conv1D layers. */
async function browserMaps(payload: ExplorerPayload): Promise<{ [layer: string]: number[] }> {
  const model = await modelFromPayload(payload.model);
  const x = sequenceTensor(payload.sequence);
  const maps = computeFeatureMaps(model, x, payload.view.layers);
  tf.dispose([x]);
  model.dispose();
  return Object.fromEntries(maps.map(m => [m.layer.name, Array.from(m.values)]));
}

/** A layer's output computed by tfjs itself on its own graph. */
function reference(
  inputs: tf.SymbolicTensor[],
  output: tf.SymbolicTensor,
  x: tf.Tensor[]
): number[] {
  const probe = tf.model({ inputs, outputs: output });
  const y = probe.predict(x) as tf.Tensor;
  const values = Array.from(y.dataSync());
  y.dispose();
  return values;
}

const DNA = 'ACGTTGCAACGTAGCTAGCATCGA';
const oneHot = (s: string): tf.Tensor =>
  tf
    .oneHot(
      tf.tensor1d(
        [...s].map(c => 'ACGT'.indexOf(c)),
        'int32'
      ),
      4
    )
    .expandDims(0);

describe('nested models', () => {
  test('a Conv1D inside a nested Sequential is explored, with its own numbers', async () => {
    const inner = tf.sequential({
      name: 'feature_extractor',
      layers: [
        tf.layers.conv1d({
          inputShape: [null, 4],
          filters: 3,
          kernelSize: 5,
          activation: 'relu',
          name: 'motifs'
        }),
        tf.layers.maxPooling1d({ poolSize: 2, name: 'pool' }),
        tf.layers.conv1d({ filters: 2, kernelSize: 3, name: 'pairs' })
      ]
    });
    const outer = tf.sequential({
      layers: [inner, tf.layers.globalMaxPooling1d({}), tf.layers.dense({ units: 1 })]
    });
    const nodesBefore = inner.layers.map(l => l.inboundNodes.length);
    const tensorsBefore = tf.memory().numTensors;

    const payload = await explored(outer, DNA);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // The user's model is untouched: the inlining works on a copy.
    expect(inner.layers.map(l => l.inboundNodes.length)).toEqual(nodesBefore);
    expect(payload.view.layer).toBe('motifs');

    const maps = await browserMaps(payload);
    const x = oneHot(DNA);
    expect(maps.motifs).toEqual(
      reference(inner.inputs, inner.getLayer('motifs').output as tf.SymbolicTensor, [x])
    );
    expect(maps.pairs).toEqual(
      reference(inner.inputs, inner.getLayer('pairs').output as tf.SymbolicTensor, [x])
    );
    x.dispose();

    // The core API says how to reach them.
    expect(() => featureMaps(outer, DNA)).toThrow(
      /inside the nested model "feature_extractor": pass `await flattenModel\(model\)`/
    );
    const flat = await flattenModel(outer);
    expect(flat.layers.map(l => l.name)).toContain('motifs');
    expect(featureMaps(flat, DNA, 'motifs').flat()).toEqual(maps.motifs);
    flat.dispose();
  });

  test('a functional model nested in a functional model, after a Conv1D of its own', async () => {
    const innerIn = tf.input({ shape: [null, 3] });
    const innerConv = tf.layers.conv1d({
      filters: 2,
      kernelSize: 3,
      dilationRate: 2,
      name: 'deep'
    });
    const inner = tf.model({
      inputs: innerIn,
      outputs: innerConv.apply(innerIn) as tf.SymbolicTensor,
      name: 'block'
    });
    const x = tf.input({ shape: [null, 4] });
    const first = tf.layers.conv1d({ filters: 3, kernelSize: 2, padding: 'same', name: 'shallow' });
    const h = first.apply(x) as tf.SymbolicTensor;
    const y = inner.apply(h) as tf.SymbolicTensor;
    const outer = tf.model({ inputs: x, outputs: y });

    const payload = await explored(outer, DNA);
    const maps = await browserMaps(payload);
    const seq = oneHot(DNA);
    expect(maps.shallow).toEqual(reference([x], h, [seq]));
    expect(maps.deep).toEqual(reference([x], y, [seq]));
    seq.dispose();
  });

  test('a nested layer named like an outer one is refused with what to rename, leaking nothing', async () => {
    const inner = tf.sequential({
      name: 'inner',
      layers: [tf.layers.conv1d({ inputShape: [null, 4], filters: 2, kernelSize: 3, name: 'conv' })]
    });
    const outer = tf.sequential({
      layers: [inner, tf.layers.conv1d({ filters: 2, kernelSize: 3, name: 'conv' })]
    });
    const tensors = tf.memory().numTensors;
    await expect(explored(outer, DNA)).rejects.toThrow(
      /cannot be copied to inline its nested models: two of its layers hold a weight named "conv\/kernel" .* Give the layers of nested models names not used elsewhere/
    );
    expect(tf.memory().numTensors).toBe(tensors);
  });

  test('a nested model used twice: the layers before it are explored, the ones after refused; nothing leaks', async () => {
    const blockIn = tf.input({ shape: [null, 2] });
    const block = tf.model({
      inputs: blockIn,
      outputs: tf.layers
        .conv1d({ filters: 2, kernelSize: 1, name: 'block_conv' })
        .apply(blockIn) as tf.SymbolicTensor,
      name: 'block'
    });
    const x = tf.input({ shape: [null, 4] });
    const first = tf.layers.conv1d({ filters: 2, kernelSize: 3, name: 'first' }).apply(x);
    const twice = block.apply(block.apply(first)) as tf.SymbolicTensor;
    const last = tf.layers.conv1d({ filters: 2, kernelSize: 3, name: 'last' }).apply(twice);
    const model = tf.model({ inputs: x, outputs: last as tf.SymbolicTensor });
    const tensors = tf.memory().numTensors;
    await expect(explored(model, DNA)).rejects.toThrow(
      /Layer "block_conv" is called 2 times in the model \(a shared layer, or a nested model used more than once\); .* Explore Conv1D layers before it/
    );
    const payload = await explored(model, DNA, { layers: ['first'] });
    expect(Object.keys(await browserMaps(payload))).toEqual(['first']);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});

describe('several inputs or outputs', () => {
  function twoInputs(convReadsBoth: boolean): tf.LayersModel {
    const seq = tf.input({ shape: [null, 4], name: 'dna' });
    const meta = tf.input({ shape: [null, 1], name: 'meta' });
    const source = convReadsBoth
      ? (tf.layers.concatenate({}).apply([seq, meta]) as tf.SymbolicTensor)
      : seq;
    const conv = tf.layers.conv1d({ filters: 2, kernelSize: 3, name: 'scan' }).apply(source);
    const pooled = tf.layers.globalAveragePooling1d({}).apply(conv) as tf.SymbolicTensor;
    const metaPooled = tf.layers.globalAveragePooling1d({}).apply(meta) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate({}).apply([pooled, metaPooled]);
    const out = tf.layers.dense({ units: 1 }).apply(joined) as tf.SymbolicTensor;
    return tf.model({ inputs: [seq, meta], outputs: out });
  }

  test('a Conv1D that reads one of two inputs is explored on that input', async () => {
    const model = twoInputs(false);
    const payload = await explored(model, DNA);
    const rebuilt = await modelFromPayload(payload.model);
    expect(rebuilt.inputs.map(t => t.shape)).toEqual([[null, null, 4]]);
    rebuilt.dispose();
    const maps = await browserMaps(payload);
    const seq = oneHot(DNA);
    const meta = tf.zeros([1, DNA.length, 1]);
    expect(maps.scan).toEqual(
      reference(model.inputs, model.getLayer('scan').output as tf.SymbolicTensor, [seq, meta])
    );
    tf.dispose([seq, meta]);
  });

  test('an Embedding shared by two inputs: the Conv1D on one of them is explored on it', async () => {
    const seq = tf.input({ shape: [12], name: 'review' });
    const query = tf.input({ shape: [12], name: 'query' });
    const embed = tf.layers.embedding({ inputDim: 20, outputDim: 3, name: 'shared_embedding' });
    const conv = tf.layers.conv1d({ filters: 2, kernelSize: 3, name: 'ngrams' });
    const a = tf.layers.globalMaxPooling1d({}).apply(conv.apply(embed.apply(seq)));
    const b = tf.layers.globalMaxPooling1d({}).apply(embed.apply(query));
    const joined = tf.layers.concatenate({}).apply([a, b] as tf.SymbolicTensor[]);
    const model = tf.model({ inputs: [seq, query], outputs: joined as tf.SymbolicTensor });
    // The Embedding is called twice, and the explorer follows each layer through one call:
    // refused, naming it, rather than computed from the wrong call.
    await expect(explored(model, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])).rejects.toThrow(
      /Layer "shared_embedding" is called 2 times/
    );
  });

  test('a Conv1D that reads both inputs is refused, naming them', async () => {
    await expect(explored(twoInputs(true), DNA)).rejects.toThrow(
      /The model has 2 inputs \("dna", "meta"\) and the explorer feeds one sequence, .*scan reads "dna", "meta"/
    );
  });

  test('a model with two outputs', async () => {
    const x = tf.input({ shape: [null, 4] });
    const conv = tf.layers
      .conv1d({ filters: 2, kernelSize: 3, name: 'scan' })
      .apply(x) as tf.SymbolicTensor;
    const a = tf.layers.globalMaxPooling1d({}).apply(conv) as tf.SymbolicTensor;
    const b = tf.layers.globalAveragePooling1d({}).apply(conv) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: [a, b] });
    const maps = await browserMaps(await explored(model, DNA));
    const seq = oneHot(DNA);
    expect(maps.scan).toEqual(reference([x], conv, [seq]));
    seq.dispose();
  });
});

describe('layers after the convolutions', () => {
  function convThenLstm(): tf.LayersModel {
    return tf.sequential({
      layers: [
        tf.layers.conv1d({
          inputShape: [24, 4],
          filters: 4,
          kernelSize: 5,
          activation: 'relu',
          name: 'scan'
        }),
        tf.layers.lstm({ units: 3, returnSequences: true }),
        tf.layers.conv1d({ filters: 2, kernelSize: 3, name: 'after_rnn' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 1 })
      ]
    });
  }

  test('an RNN between Conv1D layers: both are explored, the whole model too', async () => {
    const model = convThenLstm();
    const seq = oneHot(DNA);
    const expected = reference(
      model.inputs,
      model.getLayer('after_rnn').output as tf.SymbolicTensor,
      [seq]
    );
    for (const wholeModel of [false, true]) {
      const payload = await explored(model, DNA, { wholeModel });
      const classes = JSON.stringify(payload.model.topology);
      expect(classes.includes('"Dense"')).toBe(wholeModel);
      const maps = await browserMaps(payload);
      maps.after_rnn.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    }
    // Exploring only the first layer leaves the RNN out of the payload.
    const first = await explored(model, DNA, { layers: ['scan'] });
    expect(JSON.stringify(first.model.topology)).not.toContain('LSTM');
    seq.dispose();
  });

  test('a layer class the browser does not know is named, and the layers before it work', async () => {
    class Scale extends tf.layers.Layer {
      static className = 'LabScale';
      call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.mul([inputs].flat()[0], 2);
      }
    }
    tf.serialization.registerClass(Scale);
    const model = tf.sequential({
      layers: [
        tf.layers.conv1d({ inputShape: [null, 4], filters: 2, kernelSize: 3, name: 'before' }),
        new Scale({ name: 'custom_scale' }),
        tf.layers.conv1d({ filters: 2, kernelSize: 3, name: 'after' })
      ]
    });
    const all = await explored(model, DNA);
    const before = await explored(model, DNA, { layers: ['before'] });
    // The browser's tfjs has never seen the class.
    const registry = (
      tf.serialization.SerializationMap as unknown as {
        getMap(): { classNameMap: { [name: string]: unknown } };
      }
    ).getMap().classNameMap;
    const registered = registry.LabScale;
    delete registry.LabScale;
    try {
      await expect(modelFromPayload(all.model)).rejects.toThrow(
        'TensorFlow.js cannot rebuild the model: it does not know the layer class LabScale ' +
          '(layer "custom_scale").'
      );
      expect(Object.keys(await browserMaps(before))).toEqual(['before']);
    } finally {
      registry.LabScale = registered;
    }
  });
});

describe('the kernel side stays quiet', () => {
  test('explore in a fresh Node process prints nothing (no tfjs banner) and leaves no tensors', () => {
    const root = path.resolve(__dirname, '..', '..');
    const result = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'c1e-kernel-')), 'r.json');
    // As a tslab cell does: import the package, load a model, explore.
    const script = `
      const fs = require('fs');
      const tf = require('@tensorflow/tfjs');
      const { explore, loadModel } = require('./src/kernel');
      (async () => {
        const model = await loadModel('examples/models/dna/model.json');
        const before = tf.memory().numTensors;
        let bytes = 0;
        await explore(model, 'ACGT'.repeat(25), { display: b => (bytes = JSON.stringify(b).length) });
        const after = tf.memory().numTensors;
        fs.writeFileSync(${JSON.stringify(result)}, JSON.stringify({ before, after, bytes }));
      })();
    `;
    const run = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['-e', script], {
      cwd: root,
      encoding: 'utf8'
    });
    expect({ stdout: run.stdout, stderr: run.stderr, status: run.status }).toEqual({
      stdout: '',
      stderr: '',
      status: 0
    });
    const { before, after, bytes } = JSON.parse(fs.readFileSync(result, 'utf8'));
    expect(bytes).toBeGreaterThan(1000);
    expect(after).toBe(before);
  });
});

describe('numbers', () => {
  test('NaN weights in a payload the kernel did not check are refused in the browser', async () => {
    const model = convModel({ length: null, channels: 1, kernel: [[[1]], [[2]]], bias: [0] });
    model.getLayer('conv').setWeights([tf.tensor3d([[[1]], [[NaN]]]), tf.tensor1d([0])]);
    const rebuilt = await modelFromPayload(await modelToPayload(model));
    expect(() => checkWeightsFinite(rebuilt)).toThrow(
      /Weight "conv\/kernel" holds NaN at index 1; expected finite numbers/
    );
    rebuilt.dispose();
  });

  test('activations beyond float32 are named, not drawn', () => {
    const model = convModel({ length: null, channels: 1, kernel: [[[1e20]]] });
    expect(() => featureMaps(model, [[1], [1e20]])).toThrow(
      'Layer "conv" computes Infinity at output position 1, filter 0: the weights or the input ' +
        'are too large for float32. Expected activations that are finite numbers.'
    );
  });

  test('a dead or constant filter is said to be so', () => {
    // 2 filters, 3 positions, kernel 1 tap × 1 channel.
    const layer = (activations: number[], kernel: number[], bias: number[] | null): LayerData => ({
      info: {
        name: 'c',
        filters: 2,
        kernelSize: 1,
        strides: 1,
        dilationRate: 1,
        padding: 'valid',
        inputChannels: 1,
        activation: 'relu'
      },
      length: 3,
      activations: Float32Array.from(activations),
      kernel: Float32Array.from(kernel),
      bias: bias ? Float32Array.from(bias) : null,
      span: null,
      channels: ['x']
    });
    const acts = [0, 1, 0, 2, 0, 3];
    expect(filterNote(layer(acts, [0, 1], [0, 0]), 0)).toBe('dead filter: all its weights are 0');
    expect(filterNote(layer(acts, [0, 1], [0.5, 0]), 0)).toBe(
      'dead on this sequence: 0 at every position'
    );
    expect(filterNote(layer(acts, [0, 1], null), 1)).toBe('');
    expect(filterNote(layer([0.25, 1, 0.25, 2, 0.25, 3], [1, 1], null), 0)).toBe(
      'constant on this sequence: 0.25 at every position'
    );
    // One output position says nothing about constancy.
    expect(filterNote({ ...layer([0, 1], [1, 1], null), length: 1 }, 0)).toBe('');
  });
});
