/**
 * The maximization benchmark's cases and timing loop, shared by Node and the browser: the
 * same models, the same steps, the same statistics.
 */
import * as tf from '@tensorflow/tfjs';
import { computeFeatureMaps } from '../src/core/analyses';
import { conv1dWeights, describeConv1D, isConv1D } from '../src/core/layers';
import { Maximization } from '../src/core/maximization';

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

/** Milliseconds to compute every Conv1D layer's feature maps and read every kernel. */
export interface AnalysisResult {
  model: string;
  layers: number;
  ms: Stats;
}

/**
 * Times what the explorer computes when it opens: the feature maps of all Conv1D layers and
 * all kernels, read back as arrays (as `analysePayload` does), after one warm-up.
 *
 * @param model - the model
 * @param name - its name in the report
 * @param input - the model input, batch of one
 * @param repeats - timed repeats
 * @param now - a millisecond clock
 * @returns the median, min and max
 */
export function measureAnalysis(
  model: tf.LayersModel,
  name: string,
  input: tf.Tensor,
  repeats: number,
  now: () => number
): AnalysisResult {
  const once = () => {
    const maps = computeFeatureMaps(model, input);
    for (const layer of model.layers.filter(isConv1D)) {
      const { kernel, bias } = conv1dWeights(layer);
      kernel.dataSync();
      bias?.dataSync();
    }
    return maps.length;
  };
  const layers = once();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const started = now();
    once();
    times.push(now() - started);
  }
  return { model: name, layers, ms: stats(times) };
}

/**
 * A one-hot input of `length` positions over ACGT, drawn with a fixed seed.
 *
 * @param length - positions
 * @returns `[1, length, 4]`
 */
export function randomDna(length: number): tf.Tensor {
  return tf.tidy(() =>
    tf
      .oneHot(tf.randomUniform([length], 0, 4, 'int32', 7) as tf.Tensor1D, 4)
      .toFloat()
      .expandDims(0)
  );
}

/** What the Python baseline (bench/baseline.py) needs of one case, weights included. */
export interface BaselineCase {
  model: string;
  layer: string;
  filters: number;
  /** Positions and channels of the optimized variable (the embedding output for text). */
  length: number;
  channels: number;
  kernelSize: number;
  strides: number;
  dilation: number;
  padding: string;
  activation: string;
  /** `[k][in][filter]`, flattened. */
  kernel: number[];
  bias: number[];
  position: number | null;
}

/**
 * Describes a case whose target is the model's first Conv1D layer, reading the model input
 * or the output of a first Embedding, for the Python baseline.
 *
 * @param model - the model
 * @param name - its name in the report
 * @param layer - the first Conv1D layer's name
 * @param length - input positions
 * @param position - the one-position objective's position, or null for the mean
 * @returns the case, weights as plain numbers
 */
export function baselineCase(
  model: tf.LayersModel,
  name: string,
  layer: string,
  length: number,
  position: number | null = null
): BaselineCase {
  const conv = model.getLayer(layer);
  const info = describeConv1D(conv);
  const { kernel, bias } = conv1dWeights(conv);
  return {
    model: name,
    layer,
    filters: info.filters,
    length,
    channels: info.inputChannels,
    kernelSize: info.kernelSize,
    strides: info.strides,
    dilation: info.dilationRate,
    padding: info.padding,
    activation: info.activation,
    kernel: Array.from(kernel.dataSync()),
    bias: bias ? Array.from(bias.dataSync()) : new Array(info.filters).fill(0),
    position
  };
}
