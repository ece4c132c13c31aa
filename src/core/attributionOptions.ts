/**
 * The options of an attribution: the methods, the target (a model output or a filter), the
 * integrated-gradients baseline and steps, and the in-silico-mutagenesis window and
 * occlusion, with their defaults, their caps, and the checks that turn a caller's options
 * into settings, each refusal naming the option and saying what is expected.
 */
import type * as tf from '@tensorflow/tfjs';
import { ExplorerError, listNames } from './errors';
import type { SequenceOptions } from './input';

/** The attribution methods. */
export const ATTRIBUTION_METHODS = [
  'saliency',
  'gradientTimesInput',
  'integratedGradients',
  'ism'
] as const;

/** One of `ATTRIBUTION_METHODS`. */
export type AttributionMethod = (typeof ATTRIBUTION_METHODS)[number];

/** Integrated gradients' points when `steps` is not given: Captum's default. */
export const DEFAULT_STEPS = 50;

/** The most integrated-gradients points: a typo must not run for an hour. */
export const MAX_STEPS = 1000;

/**
 * The most variants one in-silico mutagenesis may run (a 600 bp DNA sequence has 1 800): a
 * longer sequence is restricted to a window with `start` and `end`.
 */
export const MAX_ISM_VARIANTS = 20_000;

/**
 * The integrated-gradients baseline: all zeros; the uniform background (1 / alphabet size
 * on every channel of a one-hot input, the mean embedding for tokens); the input with its
 * pairs shuffled (seeded); or values of the input's shape (`[position][channel]`; for
 * Embedding models `[position][embeddingDim]`).
 */
export type Baseline = 'zeros' | 'uniform' | 'shuffle' | readonly (readonly number[])[];

/** What an attribution explains. */
export type AttributionTarget =
  | {
      kind: 'output';
      unit: number;
      /** Whether the unit is taken before the last layer's sigmoid or softmax (its logit). */
      logit: boolean;
    }
  | { kind: 'filter'; layer: string; filter: number; position: number | null };

/** Options of `attributions`. */
export interface AttributionOptions extends SequenceOptions {
  /** Default `'integratedGradients'`. */
  method?: AttributionMethod;
  /** The output unit explained: an index into the last layer's units (default 0). */
  output?: number;
  /**
   * When the last layer ends in a sigmoid or softmax, explain the unit before it, its logit
   * (default true): a confident prediction's probability is saturated (1 in float32) and
   * neither its gradient nor a mutation moves it.
   */
  logit?: boolean;
  /** A filter's Conv1D layer (the first one when omitted); needs `filter`. */
  layer?: string;
  /** The filter explained, instead of an output: its activation summed over positions. */
  filter?: number;
  /** With `filter`: its activation at this output position only. */
  position?: number;
  /**
   * One-hot inputs: every symbol's score, not only the observed one's. For
   * `gradientTimesInput`, the gradient at every symbol; for `ism`, the centred change of
   * every substitution.
   */
  hypothetical?: boolean;
  /** Integrated gradients: Gauss–Legendre points (default 50, at most `MAX_STEPS`). */
  steps?: number;
  /** Integrated gradients: the baseline (default `'zeros'`). */
  baseline?: Baseline;
  /** The seed of a `'shuffle'` baseline (default 0). */
  seed?: number;
  /** ISM: the first position mutated (default 0). */
  start?: number;
  /** ISM: the position after the last one mutated (default the sequence's end). */
  end?: number;
  /**
   * ISM of Embedding models (occlusion): what replaces each token, a token id or
   * `'mean'`, the mean embedding (the default). Numeric inputs: a value for every channel,
   * or `'mean'`, each channel's mean over the sequence (the default).
   */
  occlusion?: number | 'mean';
}

/** The options, checked, with their defaults. */
export interface AttributionSettings {
  method: AttributionMethod;
  target: AttributionTarget;
  hypothetical: boolean;
  steps: number;
  baseline: Baseline;
  seed: number;
  start: number;
  end: number;
  occlusion: number | 'mean';
}

function check(ok: boolean, message: string): void {
  if (!ok) {
    throw new ExplorerError(message);
  }
}

function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Checks the method and the options that do not depend on the model.
 *
 * @param options - the caller's options
 * @param length - positions of the sequence
 * @returns the settings, the target still to be checked against the model (`resolveTarget`)
 * @throws ExplorerError naming the option that is wrong
 */
export function resolveAttributionOptions(
  options: AttributionOptions,
  length: number
): Omit<AttributionSettings, 'target'> {
  const method = options.method ?? 'integratedGradients';
  check(
    (ATTRIBUTION_METHODS as readonly string[]).includes(method),
    `method ${JSON.stringify(method)} is unknown; expected one of ${listNames(ATTRIBUTION_METHODS)}.`
  );
  const steps = options.steps ?? DEFAULT_STEPS;
  check(
    isInteger(steps, 1, MAX_STEPS),
    `steps must be an integer from 1 to ${MAX_STEPS} (integrated gradients' points, default ` +
      `${DEFAULT_STEPS}); got ${String(steps)}.`
  );
  const seed = options.seed ?? 0;
  check(Number.isInteger(seed), `seed must be an integer; got ${String(seed)}.`);
  const start = options.start ?? 0;
  const end = options.end ?? length;
  check(
    isInteger(start, 0, length - 1),
    `start must be a position from 0 to ${length - 1}; got ${String(start)}.`
  );
  check(
    isInteger(end, start + 1, length),
    `end must be a position from start + 1 (${start + 1}) to the sequence's length (${length}); ` +
      `got ${String(end)}.`
  );
  const occlusion = options.occlusion ?? 'mean';
  check(
    occlusion === 'mean' || (typeof occlusion === 'number' && Number.isFinite(occlusion)),
    `occlusion must be 'mean' or a number (a token id, or a value for numeric inputs); got ` +
      `${JSON.stringify(occlusion)}.`
  );
  const hypothetical = options.hypothetical ?? false;
  check(
    typeof hypothetical === 'boolean',
    `hypothetical must be true or false; got ${JSON.stringify(hypothetical)}.`
  );
  return {
    method,
    hypothetical,
    steps,
    baseline: options.baseline ?? 'zeros',
    seed,
    start,
    end,
    occlusion
  };
}

/**
 * The target: a filter when `filter` is given, otherwise an output unit. The filter's
 * layer and position are checked where the model is walked (`findConv1D`,
 * `resolvePosition`).
 *
 * @param options - the caller's options
 * @param model - the model
 * @param firstConv - the name of the layer a filter belongs to when `layer` is omitted
 * @returns the target
 * @throws ExplorerError for both an output and a filter, or an output outside the last layer
 */
export function resolveTarget(
  options: AttributionOptions,
  model: tf.LayersModel,
  firstConv: () => string
): AttributionTarget {
  if (options.filter !== undefined || options.layer !== undefined) {
    check(
      options.output === undefined,
      'Give either output (a unit of the last layer) or filter (with layer), not both.'
    );
    check(
      options.filter !== undefined,
      `layer ${JSON.stringify(options.layer)} is given without filter: say which filter of it to explain.`
    );
    const filter = options.filter as number;
    return {
      kind: 'filter',
      layer: options.layer ?? firstConv(),
      filter,
      position: options.position ?? null
    };
  }
  check(
    options.position === undefined,
    'position applies to a filter: give filter (and layer) with it.'
  );
  check(
    model.outputs.length === 1,
    `The model has ${model.outputs.length} outputs; attributions explain models with one.`
  );
  const shape = model.outputs[0].shape;
  const units = shape[shape.length - 1] ?? 1;
  const unit = options.output ?? 0;
  const last = model.outputs[0].sourceLayer.name;
  check(
    isInteger(unit, 0, units - 1),
    `output ${String(unit)} is outside the last layer ${JSON.stringify(last)}, which has ` +
      `${units} unit${units === 1 ? '' : 's'}: expected an integer from 0 to ${units - 1}.`
  );
  return { kind: 'output', unit, logit: options.logit ?? true };
}

/**
 * Checks that the variants of an in-silico mutagenesis stay under `MAX_ISM_VARIANTS`.
 *
 * @param positions - positions mutated (`end - start`)
 * @param alternatives - variants per position
 * @param length - the sequence's length
 * @throws ExplorerError saying how to restrict the run to a window
 */
export function checkIsmSize(positions: number, alternatives: number, length: number): void {
  const variants = positions * alternatives;
  const window = Math.max(1, Math.floor(MAX_ISM_VARIANTS / alternatives));
  const start = Math.max(0, Math.floor((length - window) / 2));
  check(
    variants <= MAX_ISM_VARIANTS,
    `ISM of ${positions} positions × ${alternatives} alternatives is ${variants} variants, ` +
      `more than the ${MAX_ISM_VARIANTS} one run may take. Restrict it to a window of at most ` +
      `${window} positions with start and end, e.g. {start: ${start}, end: ${start + window}}.`
  );
}

/**
 * Checks a baseline given as values against the optimized variable's shape.
 *
 * @param baseline - `[position][channel]`
 * @param length - positions
 * @param width - channels (embedding dimensions for Embedding models)
 * @param what - how the channels are named in the message
 * @throws ExplorerError for a wrong shape or a value that is not finite
 */
export function checkBaselineValues(
  baseline: readonly (readonly number[])[],
  length: number,
  width: number,
  what: string
): void {
  const expected = `expected ${length} positions × ${width} ${what}, like the input`;
  check(
    Array.isArray(baseline) && baseline.length === length,
    `baseline has ${Array.isArray(baseline) ? baseline.length : 'no'} positions; ${expected}.`
  );
  baseline.forEach((row, p) => {
    check(
      Array.isArray(row) && row.length === width,
      `baseline position ${p} has ${Array.isArray(row) ? row.length : 'no'} values; ${expected}.`
    );
    row.forEach((v, c) =>
      check(
        typeof v === 'number' && Number.isFinite(v),
        `baseline holds ${String(v)} at position ${p}, channel ${c}; expected finite numbers.`
      )
    );
  });
}
