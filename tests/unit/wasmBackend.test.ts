/**
 * The kernel on tfjs' wasm backend (in Node): the dataset scan gives the cpu backend's
 * motifs, and the kernel can go back to cpu.
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadModel, useWasmBackend } from '../../src/kernel';
import { filterMotifs } from '../../src/core/filterMotifs';
import { dnaExamples } from '../../examples/train/data';
import { convModel, letters } from './helpers';

const MODEL = path.join(__dirname, '..', '..', 'examples', 'models', 'dna', 'model.json');

describe('useWasmBackend', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  test('switches the kernel to wasm, where the scan finds the same motifs as on cpu', async () => {
    const sequences = dnaExamples(200, 5).map(e => e.sequence);
    const model = await loadModel(MODEL);
    const onCpu = filterMotifs(model, sequences, { layer: 'motif_scan' });
    expect(await useWasmBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const onWasm = filterMotifs(model, sequences, { layer: 'motif_scan' });
    expect(onWasm.filters.map(f => f.consensus)).toEqual(onCpu.filters.map(f => f.consensus));
    expect(onWasm.filters.map(f => f.sites)).toEqual(onCpu.filters.map(f => f.sites));
    onWasm.filters.forEach((f, i) => expect(f.cutoff).toBeCloseTo(onCpu.filters[i].cutoff, 4));
    model.dispose();
    await tf.setBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  test('a layer with one output position per sequence scans the same on wasm', async () => {
    // Sequences as long as the kernel: one position each, which pooling cannot reduce on wasm.
    const model = convModel({ length: null, channels: 4, kernel: letters('ACG'), bias: [0] });
    const sequences = ['ACG', 'ACC', 'TCG', 'AAG', 'ACG', 'GGG'];
    const onCpu = filterMotifs(model, sequences, { minSites: 1 });
    await useWasmBackend();
    const onWasm = filterMotifs(model, sequences, { minSites: 1 });
    await tf.setBackend('cpu');
    expect(Array.from(onWasm.maxima)).toEqual([3, 2, 2, 2, 3, 1]);
    expect(onWasm.filters[0].cutoff).toBeCloseTo(onCpu.filters[0].cutoff, 6);
    expect(onWasm.filters[0].sites).toBe(onCpu.filters[0].sites);
    model.dispose();
  });
});
