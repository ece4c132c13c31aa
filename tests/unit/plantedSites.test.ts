/**
 * The planted-motif check of the attribution methods, on tfjs' wasm backend (in Node): on
 * the DNA example's held-out positives, integrated gradients and ISM put their top window on
 * a planted site in at least 90% of sequences, and the README quotes what each method finds.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { loadModel, useWasmBackend } from '../../src/kernel';
import type { AttributionMethod } from '../../src/core';
import { plantedSiteRecovery } from '../../bench/plantedSites';

const ROOT = path.join(__dirname, '..', '..');
const METHODS: AttributionMethod[] = [
  'saliency',
  'gradientTimesInput',
  'integratedGradients',
  'ism'
];

/** The README's row of found / checked sequences per method, for one target. */
function readmeRow(target: string): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const row = readme.split('\n').find(line => line.startsWith(`| ${target}`));
  if (!row) {
    throw new Error(`The README has no planted-motif row for ${target}.`);
  }
  return row
    .split('|')
    .slice(2, 2 + METHODS.length)
    .map(cell => cell.trim());
}

describe('planted motifs, DNA example', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    await useWasmBackend();
    model = await loadModel(path.join(ROOT, 'examples', 'models', 'dna', 'model.json'));
  });
  afterAll(async () => {
    model.dispose();
    await tf.setBackend('cpu');
  });

  test.each([
    ['logit (default)', true],
    ['probability', false]
  ])(
    'explaining the %s: IG and ISM find the site in ≥ 90%%, as the README says',
    (target, logit) => {
      const found = METHODS.map(method => plantedSiteRecovery(model, method, { logit }));
      for (const method of ['integratedGradients', 'ism']) {
        expect(found.find(f => f.method === method)!.fraction).toBeGreaterThanOrEqual(0.9);
      }
      expect(found.every(f => f.sequences === 200)).toBe(true);
      expect(readmeRow(target)).toEqual(
        found.map(f => `${f.found} / ${f.sequences} (${(100 * f.fraction).toFixed(1)}%)`)
      );
    }
  );
});
