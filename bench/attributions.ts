/**
 * The attribution part of `npm run bench`, shared by Node and headless Chromium (both on
 * tfjs' wasm backend): integrated gradients (50 points) and ISM of one sequence, on the two
 * examples and on the Basset-size model with a dense head (600 bp: 1 800 variants).
 */
import * as tf from '@tensorflow/tfjs';
import { Attribution, describeSequence, type AttributionMethod } from '../src/core';
import { seededRandom } from '../src/core/random';
import { bassetModel, stats, type Stats } from './cases';

/** The models measured, by name. */
export type AttributionModel = 'text example' | 'DNA example' | 'Basset-size + dense head';

/** One model and method's figures. */
export interface AttributionResult {
  model: AttributionModel;
  method: AttributionMethod;
  /** Gradient points (IG) or variants (ISM). */
  work: number;
  ms: Stats;
  /** Whether ISM recomputed only what each substitution changes. */
  local: boolean | null;
}

/** The browser targets: ISM of 600 bp, IG on the examples. */
export const ATTRIBUTION_TARGETS = {
  ismMs: 2000,
  integratedGradientsMs: 500
} as const;

/**
 * The Basset-size model with a head as Basset's: pooling, Flatten, Dense 1000 (ReLU) and
 * 164 sigmoid outputs (weights random, seeded).
 *
 * @returns the model
 */
export function bassetWithHead(): tf.LayersModel {
  const convs = bassetModel();
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    name: 'basset_head',
    layers: [
      ...convs.layers,
      tf.layers.maxPooling1d({ poolSize: 4 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 1000, activation: 'relu', kernelInitializer: init(4) }),
      tf.layers.dense({ units: 164, activation: 'sigmoid', kernelInitializer: init(5) })
    ]
  });
}

/** A random DNA string (seeded). */
function dnaString(length: number, seed: number): string {
  const random = seededRandom(seed);
  return Array.from({ length }, () => 'ACGT'[Math.floor(random() * 4)]).join('');
}

/** What each model explains: a sequence of its kind. */
function sequenceFor(model: AttributionModel): string | number[] {
  if (model === 'text example') {
    return Array.from({ length: 24 }, (_, i) => (i * 7) % 100);
  }
  return dnaString(model === 'DNA example' ? 100 : 600, 3);
}

/**
 * Times integrated gradients and ISM on each model, after a warm-up run.
 *
 * @param load - builds or loads a model by name
 * @param repeats - timed runs per case
 * @param now - a clock in ms
 * @returns the figures
 */
export async function measureAttributions(
  load: (model: AttributionModel) => Promise<tf.LayersModel>,
  repeats: number,
  now: () => number
): Promise<AttributionResult[]> {
  const out: AttributionResult[] = [];
  const models: AttributionModel[] = ['text example', 'DNA example', 'Basset-size + dense head'];
  for (const name of models) {
    const model = await load(name);
    const sequence = describeSequence(model, sequenceFor(name));
    for (const method of ['integratedGradients', 'ism'] as const) {
      const times: number[] = [];
      let work = 0;
      let local: boolean | null = null;
      for (let r = 0; r <= repeats; r++) {
        const started = now();
        const run = new Attribution(model, sequence, { method });
        run.run();
        const { mutations, length } = run.result();
        run.dispose();
        if (r > 0) {
          times.push(now() - started);
        }
        // Variants run: the observed symbol is not one.
        const observed = sequence.kind === 'onehot' ? length : 0;
        work = mutations ? mutations.changes.length - observed : run.settings.steps;
        local = mutations ? run.recomputesLocally : null;
      }
      out.push({ model: name, method, work, ms: stats(times), local });
    }
    model.dispose();
  }
  return out;
}
