/**
 * The maximization benchmark's cases and timing loop, shared by Node and the browser: the
 * same models, the same steps, the same statistics.
 */
import * as tf from '@tensorflow/tfjs';
import { Maximization } from '../src/core/maximize';

/** Median, min and max of repeated measurements. */
export interface Stats {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** One case's result: steps/s for one filter, filter-steps/s batched, and their ratio. */
export interface CaseResult {
  model: string;
  layer: string;
  filters: number;
  /** Adam steps per second, one filter at a time. */
  single: Stats;
  /** Filter-steps per second, every filter of the layer in one batched run. */
  batched: Stats;
  /** batched.median / single.median, within this run. */
  ratio: number;
  /** Seconds for one full batched run of `fullSteps` steps, when measured. */
  fullRun?: { steps: number; seconds: number };
}

/**
 * Statistics of a list of numbers.
 *
 * @param values - measurements
 * @returns median, min, max and count
 */
export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: values.length };
}

/**
 * A layer of Basset's size: 300 filters × 19 taps on one-hot DNA of length 600, then two
 * more Conv1D layers (weights random, seeded).
 *
 * @returns the model
 */
export function bassetModel(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    name: 'basset_size',
    layers: [
      tf.layers.conv1d({
        name: 'conv1',
        inputShape: [600, 4],
        filters: 300,
        kernelSize: 19,
        activation: 'relu',
        kernelInitializer: init(1)
      }),
      tf.layers.maxPooling1d({ poolSize: 3 }),
      tf.layers.conv1d({
        name: 'conv2',
        filters: 200,
        kernelSize: 11,
        activation: 'relu',
        kernelInitializer: init(2)
      }),
      tf.layers.maxPooling1d({ poolSize: 4 }),
      tf.layers.conv1d({
        name: 'conv3',
        filters: 200,
        kernelSize: 7,
        activation: 'relu',
        kernelInitializer: init(3)
      })
    ]
  });
}

/** Milliseconds per step of `steps` steps, after the run's set-up and one warm-up step. */
function timeSteps(
  model: tf.LayersModel,
  options: ConstructorParameters<typeof Maximization>[1],
  steps: number,
  now: () => number
): number {
  const run = new Maximization(model, { ...options, iterations: steps + 1 });
  try {
    run.run(1);
    const started = now();
    run.run(steps);
    return (now() - started) / steps;
  } finally {
    run.dispose();
  }
}

/**
 * Measures one layer: steps/s of one-filter runs and filter-steps/s of a batched run.
 *
 * @param model - the model
 * @param name - its name in the report
 * @param layer - the Conv1D layer
 * @param plan - steps per repeat and repeats, and the full batched run to time once
 * @param now - a millisecond clock
 * @param position - maximize at this output position instead of the mean over positions
 * @returns the case's figures
 */
export function measureCase(
  model: tf.LayersModel,
  name: string,
  layer: string,
  plan: { singleSteps: number; batchedSteps: number; repeats: number; fullSteps?: number },
  now: () => number,
  position?: number
): CaseResult {
  const filters = (model.getLayer(layer).getConfig().filters as number) ?? 1;
  const base = { layer, learningRate: 0.1, l2: 0.03, seed: 0, position };
  const single: number[] = [];
  const batched: number[] = [];
  for (let r = 0; r < plan.repeats; r++) {
    single.push(1000 / timeSteps(model, { ...base, filter: r % filters }, plan.singleSteps, now));
    batched.push(
      (1000 * filters) / timeSteps(model, { ...base, filters: 'all' }, plan.batchedSteps, now)
    );
  }
  const result: CaseResult = {
    model: name,
    layer,
    filters,
    single: stats(single),
    batched: stats(batched),
    ratio: 0
  };
  result.ratio = result.batched.median / result.single.median;
  if (plan.fullSteps) {
    const run = new Maximization(model, { ...base, filters: 'all', iterations: plan.fullSteps });
    try {
      const started = now();
      run.run();
      run.state();
      result.fullRun = { steps: plan.fullSteps, seconds: (now() - started) / 1000 };
    } finally {
      run.dispose();
    }
  }
  return result;
}
