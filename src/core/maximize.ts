/**
 * Activation maximization in one call (`maximizeActivation`) and the per-filter results
 * it returns; a run that reports progress uses `Maximization` itself.
 */
import type * as tf from '@tensorflow/tfjs';
import { Maximization, type MaximizationState } from './maximization';
import type { MaximizeOptions } from './maximizationOptions';
import { rowColumns } from './pwm';

export interface MaximizationResult {
  filter: number;
  /** The optimized input, `[position][channel]`; probabilities with `softmax`. */
  input: number[][];
  /** The loss before each step: `-objective + l2·sum(variable²)`. */
  losses: number[];
  /** The objective (mean activation, or the activation at `position`) at the final input. */
  activation: number;
  /** False when the filter's activation was zero at every step (a ReLU never turned on). */
  everActive: boolean;
  /** Why the run stopped early (a loss that became NaN), or null. */
  stopped: string | null;
  /**
   * For models that start with an Embedding: the three vocabulary ids nearest (cosine
   * similarity) to the optimized vector at each position, `[position][rank]`.
   */
  nearestTokens?: { id: number; similarity: number }[][];
}

/**
 * Splits a run's flat state into one result per filter.
 *
 * @param state - from `Maximization.state()`
 * @returns one result per row, in the order of `state.filters`
 */
export function maximizationResults(state: MaximizationState): MaximizationResult[] {
  const { length, width } = state;
  return state.filters.map((filter, row) => ({
    filter,
    input: rowColumns({ values: state.input, length, width }, row),
    losses: state.losses[row],
    activation: state.activations[row],
    everActive: state.everActive[row],
    stopped: state.stopped
  }));
}

/**
 * Activation maximization of one filter: gradient ascent on the input to maximize the
 * filter's mean activation (or its activation at `position`), with an L2 penalty, using
 * Keras' Adam (beta1 0.9, beta2 0.999, epsilon 1e-7).
 *
 * @param model - a tfjs LayersModel with one input and a Conv1D layer
 * @param options - layer, filter, hyperparameters (see `MAXIMIZATION_DEFAULTS`), start, objective
 * @returns the optimized input, the loss at every step and the final objective; a run
 *   whose loss became NaN stops there and keeps its last finite input (see `stopped`)
 * @throws ExplorerError for a bad option or a path without gradients
 */
export function maximizeActivation(
  model: tf.LayersModel,
  options: MaximizeOptions & { filters?: undefined }
): MaximizationResult;
/**
 * Activation maximization of several filters in one batched run, one batch row per
 * filter; each row's result equals that of a separate run.
 *
 * @param model - a tfjs LayersModel with one input and a Conv1D layer
 * @param options - as for one filter, with `filters` (indices or `'all'`)
 * @returns one result per filter, in the order asked
 */
export function maximizeActivation(
  model: tf.LayersModel,
  options: MaximizeOptions & { filters: readonly number[] | 'all' }
): MaximizationResult[];
export function maximizeActivation(
  model: tf.LayersModel,
  options: MaximizeOptions = {}
): MaximizationResult | MaximizationResult[] {
  const run = new Maximization(model, options);
  try {
    run.run();
    const results = maximizationResults(run.state());
    const nearest = run.nearestTokens(3);
    if (nearest) {
      results.forEach((result, row) => {
        result.nearestTokens = Array.from({ length: run.length }, (_, p) =>
          Array.from({ length: nearest.count }, (_, k) => {
            const at = (row * run.length + p) * nearest.count + k;
            return { id: nearest.ids[at], similarity: nearest.similarities[at] };
          })
        );
      });
    }
    return options.filters === undefined ? results[0] : results;
  } finally {
    run.dispose();
  }
}
