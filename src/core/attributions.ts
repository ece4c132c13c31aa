/**
 * Which input positions drive a model output or a filter: saliency, gradient × input,
 * integrated gradients and in-silico mutagenesis (occlusion for token and numeric inputs).
 * A run does its work in chunks (a batch of path points or of variants each), so a host can
 * report progress and cancel between them; `attributions` runs one to the end.
 */
import * as tf from '@tensorflow/tfjs';
import type { SequencePayload } from '../protocol';
import {
  checkIsmSize,
  resolveAttributionOptions,
  resolveTarget,
  type AttributionMethod,
  type AttributionOptions,
  type AttributionSettings,
  type AttributionTarget
} from './attributionOptions';
import { prepareTarget, type PreparedTarget } from './attributionTarget';
import { ExplorerError } from './errors';
import { describeSequence, sequenceLength, type SequenceLike } from './input';
import { findConv1D } from './layers';
import { LocalMutagenesis } from './localMutagenesis';
import { gaussLegendre } from './quadrature';
import {
  baselineTensor,
  checkApplies,
  occlusionVector,
  prepareVariable,
  type Variable
} from './attributionInputs';

/** How far integrated gradients' scores sum from `f(x) − f(baseline)`. */
export interface Completeness {
  /** The target at the baseline. */
  baselineValue: number;
  /** The sum of every score (over positions and channels). */
  sum: number;
  /** `|sum − (value − baselineValue)|`. */
  error: number;
  /** `error / |value − baselineValue|` (0 with no error; Infinity when only the two values are equal). */
  relativeError: number;
  /** Gauss–Legendre points used. */
  steps: number;
}

/** In-silico mutagenesis: the change of the target for every variant. */
export interface Mutations {
  /** The first position mutated. */
  start: number;
  /** The position after the last one mutated. */
  end: number;
  /**
   * Variants per position: every symbol of a one-hot input (the observed one's change is
   * 0), every channel of a numeric input (set to the occlusion value), 1 for tokens.
   */
  alternatives: number;
  /** `changes[(position - start) * alternatives + k]`: the variant's target minus the input's. */
  changes: Float32Array;
}

/** An attribution of one sequence. */
export interface AttributionResult {
  method: AttributionMethod;
  target: AttributionTarget;
  /** The target in words, e.g. `output 0 of "bound"`. */
  label: string;
  length: number;
  /** Scores per position: the input's channels, or 1 for token inputs. */
  channels: number;
  /** `scores[position * channels + channel]`. */
  scores: Float32Array;
  /** The target at the input. */
  value: number;
  /** Integrated gradients only. */
  completeness: Completeness | null;
  /** ISM only. */
  mutations: Mutations | null;
}

/**
 * How long a chunk should take. A chunk is what a cancel waits for: the first one's size is
 * guessed from a forward pass (one backward pass of a Basset-size model is ≈ 0.2 s on
 * wasm), and chunks double while they take less than half of this, so small models still
 * run large batches.
 */
const CHUNK_MILLIS = 200;

/** The most values (points or variants × positions × channels) one chunk holds. */
const CHUNK_VALUES = 256_000;

/** The most variants in one chunk of local mutagenesis. */
const LOCAL_MAX_ROWS = 512;

/**
 * One attribution of one sequence. Create it, call `run` (all at once or a chunk at a
 * time, `progress` of `total` telling how far it is), read `result()`, then `dispose()`. The model must outlive it.
 */
export class Attribution {
  readonly settings: AttributionSettings;
  readonly length: number;
  /** Work in all: gradient points (integrated gradients), variants (ISM), or 1. */
  readonly total: number;
  private readonly variable: Variable;
  private readonly prepared: PreparedTarget;
  /** Points or variants in the next chunk; grows while chunks are fast. */
  private rows = 1;
  private maxRows: number;
  /** ISM through the model's local layers, when it applies and agrees with the plain pass. */
  private local: LocalMutagenesis | null = null;
  private readonly value: number;
  /** The target ISM's changes are taken from: the input's, as the pass that runs them computes it. */
  private mutationBase = 0;
  /** The variable's values, `[position × width]`, read once. */
  private readonly reference: Float32Array;
  private readonly baseline: tf.Tensor3D | null = null;
  private readonly baselineValue: number = 0;
  private readonly points: { points: number[]; weights: number[] } | null = null;
  /** Saliency and gradient × input: the gradient; integrated gradients: its weighted sum. */
  private readonly gradient: Float64Array;
  /** ISM: each variant's position and symbol (or channel), and its change. */
  private readonly variants: { position: number; alternative: number }[] = [];
  private readonly changes: Float32Array;
  private readonly occlusion: Float32Array | null = null;
  private completed = 0;
  private disposed = false;

  /**
   * Checks every option and prepares the run (the target at the input is computed).
   *
   * @param model - a tfjs LayersModel with one sequence input
   * @param sequence - the sequence, in payload form (`describeSequence`)
   * @param options - method, target and the method's options
   * @throws ExplorerError naming the option that is wrong and saying what is expected
   */
  constructor(model: tf.LayersModel, sequence: SequencePayload, options: AttributionOptions = {}) {
    this.length = sequenceLength(sequence);
    const settings = resolveAttributionOptions(options, this.length);
    checkApplies(settings, sequence.kind);
    const target = resolveTarget(options, model, () => findConv1D(model).name);
    this.settings = { ...settings, target };
    this.variable = prepareVariable(model, sequence);
    const { method } = settings;
    const { startName, width } = this.variable;
    try {
      this.prepared = prepareTarget(
        model,
        target,
        startName,
        this.length,
        width,
        method === 'ism' ? null : method
      );
      this.settings.target = this.prepared.target;
      this.maxRows = Math.max(1, Math.floor(CHUNK_VALUES / (this.length * width)));
      this.gradient = new Float64Array(this.length * width);
      this.reference = (this.variable.x.dataSync() as Float32Array).slice();
      const forward = performance.now();
      this.value = this.evaluate(this.variable.x)[0];
      this.mutationBase = this.value;
      // The first chunk's size from one forward pass (a backward pass costs about two more);
      // chunks then grow while they are fast.
      const perRow = 3 * (performance.now() - forward);
      this.rows = Math.max(
        1,
        Math.min(this.maxRows, Math.floor(CHUNK_MILLIS / Math.max(perRow, 0.01)))
      );
      if (method === 'integratedGradients') {
        this.baseline = baselineTensor(this.variable, this.settings);
        this.baselineValue = this.evaluate(this.baseline)[0];
        this.points = gaussLegendre(settings.steps);
        this.total = settings.steps;
      } else if (method === 'ism') {
        this.occlusion = occlusionVector(this.variable, this.settings.occlusion);
        this.variants = this.listVariants();
        this.local = this.planLocal();
        if (this.local) {
          // A local variant holds a few positions of each layer; the rest of the model runs
          // on the last local layer's whole output per variant.
          this.maxRows = Math.max(
            1,
            Math.min(LOCAL_MAX_ROWS, Math.floor(CHUNK_VALUES / this.local.size))
          );
        }
        this.total = this.variants.length;
      } else {
        this.total = 1;
      }
      this.changes = new Float32Array(method === 'ism' ? this.variants.length : 0);
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** Whether ISM recomputes only what each substitution changes (`LocalMutagenesis`). */
  get recomputesLocally(): boolean {
    return this.local !== null;
  }

  /** True once all the work ran. */
  get done(): boolean {
    return this.completed >= this.total;
  }

  /** Work done so far, of `total`. */
  get progress(): number {
    return this.completed;
  }

  /**
   * Runs chunks until the run is done or `maxChunks` ran.
   *
   * @param maxChunks - the most chunks to run now
   * @returns the chunks run
   */
  run(maxChunks = Infinity): number {
    let ran = 0;
    while (!this.done && ran < maxChunks) {
      const first = this.completed;
      const last = Math.min(this.total, first + this.rows);
      const started = performance.now();
      switch (this.settings.method) {
        case 'integratedGradients':
          this.integrate(first, last);
          break;
        case 'ism':
          this.mutate(first, last);
          break;
        default:
          this.addGradient(this.variable.x, [1]);
      }
      if (performance.now() - started < CHUNK_MILLIS / 2) {
        this.rows = Math.min(2 * this.rows, this.maxRows);
      }
      this.completed = last;
      ran++;
    }
    return ran;
  }

  /**
   * The scores and what goes with them.
   *
   * @returns copies, safe to keep after `dispose`
   * @throws Error before the run is done
   */
  result(): AttributionResult {
    if (!this.done) {
      throw new Error('The attribution has not finished: call run() until done.');
    }
    const { method, target } = this.settings;
    const { scores, channels, total } = this.scores();
    const result: AttributionResult = {
      method,
      target,
      label: this.prepared.label,
      length: this.length,
      channels,
      scores,
      value: this.value,
      completeness: null,
      mutations: null
    };
    if (method === 'integratedGradients') {
      const difference = this.value - this.baselineValue;
      const error = Math.abs(total - difference);
      result.completeness = {
        baselineValue: this.baselineValue,
        sum: total,
        error,
        relativeError: error === 0 ? 0 : difference === 0 ? Infinity : error / Math.abs(difference),
        steps: this.settings.steps
      };
    }
    if (method === 'ism') {
      const { start, end } = this.settings;
      const alternatives = this.alternatives();
      result.mutations = { start, end, alternatives, changes: this.changesByPosition() };
    }
    return result;
  }

  /** Frees the run's tensors (not the model's). */
  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      tf.dispose([this.variable?.x, this.baseline ?? undefined].filter(t => t !== undefined));
      this.local?.dispose();
    }
  }

  private evaluate(x: tf.Tensor3D): Float32Array {
    return this.checkFinite(tf.tidy(() => this.prepared.evaluate(x)));
  }

  /** The target's values, read and freed; refused when one is not finite. */
  private checkFinite(y: tf.Tensor1D): Float32Array {
    const values = (y.dataSync() as Float32Array).slice();
    y.dispose();
    const bad = values.findIndex(v => !Number.isFinite(v));
    if (bad >= 0) {
      throw new ExplorerError(
        `The target (${this.prepared.label}) is ${values[bad]}: the weights or the input are ` +
          'too large for float32. Expected a finite number.'
      );
    }
    return values;
  }

  /** Adds the weighted gradients at the rows of `points` to `gradient`. */
  private addGradient(points: tf.Tensor3D, weights: readonly number[]): void {
    const g = tf.tidy(() => this.prepared.gradient(points));
    const values = g.dataSync();
    g.dispose();
    // Summed here in float64, point after point: the same result however the points were
    // split into chunks.
    const size = this.gradient.length;
    weights.forEach((w, row) => {
      for (let i = 0; i < size; i++) {
        this.gradient[i] += w * values[row * size + i];
      }
    });
  }

  /** Integrated gradients' points `from` to `to`: `b + α (x − b)`. */
  private integrate(from: number, to: number): void {
    const { points, weights } = this.points!;
    const path = tf.tidy(() => {
      const alphas = tf.tensor1d(points.slice(from, to)).reshape([-1, 1, 1]);
      const b = this.baseline!;
      return tf.add(b, tf.mul(alphas, tf.sub(this.variable.x, b))) as tf.Tensor3D;
    });
    try {
      this.addGradient(path, weights.slice(from, to));
    } finally {
      path.dispose();
    }
  }

  /** Variants `from` to `to`: each one position of the input changed, as one batch. */
  private mutate(from: number, to: number): void {
    const positions = this.variants.slice(from, to).map(v => v.position);
    const values = new Float32Array((to - from) * this.variable.width);
    for (let i = from; i < to; i++) {
      values.set(this.variantValues(i), (i - from) * this.variable.width);
    }
    this.variantTargets(positions, values, this.local).forEach(
      (v, k) => (this.changes[from + k] = v - this.mutationBase)
    );
  }

  /** The variable's values at the position variant `i` changes. */
  private variantValues(i: number): Float32Array {
    const { kind, width } = this.variable;
    const { position, alternative } = this.variants[i];
    if (kind === 'tokens') {
      return this.occlusion!;
    }
    const values = new Float32Array(width);
    if (kind === 'onehot') {
      values[alternative] = 1;
    } else {
      values.set(this.reference.subarray(position * width, (position + 1) * width));
      values[alternative] = this.occlusion![alternative];
    }
    return values;
  }

  /**
   * The target for variants of the input, each with one position set to its values: through
   * the local plan, or as whole sequences.
   */
  private variantTargets(
    positions: readonly number[],
    values: Float32Array,
    local: LocalMutagenesis | null
  ): Float32Array {
    if (local) {
      return this.checkFinite(local.evaluate(positions, values));
    }
    const { width } = this.variable;
    const stride = this.length * width;
    const reference = this.reference;
    const batch = new Float32Array(positions.length * stride);
    positions.forEach((position, b) => {
      batch.set(reference, b * stride);
      batch.set(values.subarray(b * width, (b + 1) * width), b * stride + position * width);
    });
    const x = tf.tensor3d(batch, [positions.length, this.length, width]);
    try {
      return this.evaluate(x);
    } finally {
      x.dispose();
    }
  }

  /**
   * The local plan, if the model allows one and it agrees with whole-sequence passes on a
   * sample of variants (first, last and spread between); otherwise null.
   */
  private planLocal(): LocalMutagenesis | null {
    const local = LocalMutagenesis.plan(this.prepared, this.variable.x);
    if (!local || this.variants.length === 0) {
      return local;
    }
    const count = Math.min(this.variants.length, 12);
    const sample = Array.from({ length: count }, (_, k) =>
      Math.round((k * (this.variants.length - 1)) / Math.max(1, count - 1))
    );
    const positions = sample.map(i => this.variants[i].position);
    const values = new Float32Array(count * this.variable.width);
    sample.forEach((i, k) => values.set(this.variantValues(i), k * this.variable.width));
    try {
      const fast = this.variantTargets(positions, values, local);
      const plain = this.variantTargets(positions, values, null);
      const close = (a: number, b: number) => Math.abs(a - b) <= 1e-4 * (1 + Math.abs(b));
      if (fast.every((v, k) => close(v, plain[k]))) {
        // The changes are taken from the reference as the local pass computes it, so that
        // the two passes' rounding never shows as a change.
        const { width } = this.variable;
        const unchanged = this.reference.subarray(0, width);
        this.mutationBase = this.variantTargets([0], unchanged, local)[0];
        return local;
      }
    } catch {
      // A layer the local pass cannot slice: whole sequences it is.
    }
    local.dispose();
    return null;
  }

  private alternatives(): number {
    return this.variable.kind === 'tokens' ? 1 : this.variable.width;
  }

  /** Each position's scores, and their sum over every channel and position. */
  private scores(): { scores: Float32Array; channels: number; total: number } {
    const { method, hypothetical } = this.settings;
    const { kind, width } = this.variable;
    const channels = kind === 'tokens' ? 1 : width;
    const scores = new Float32Array(this.length * channels);
    if (method === 'ism') {
      this.ismScores(scores);
      return { scores, channels, total: sum(scores) };
    }
    const x = this.variable.x.dataSync();
    const b = this.baseline?.dataSync();
    let total = 0;
    for (let p = 0; p < this.length; p++) {
      let norm = 0;
      for (let c = 0; c < width; c++) {
        const i = p * width + c;
        const g = this.gradient[i];
        let score: number;
        if (method === 'saliency') {
          score = g;
          norm += g * g;
        } else if (method === 'gradientTimesInput') {
          score = hypothetical ? g : g * x[i];
        } else {
          score = g * (x[i] - b![i]);
        }
        total += score;
        if (kind === 'tokens') {
          scores[p] += score;
        } else {
          scores[i] = score;
        }
      }
      if (kind === 'tokens' && method === 'saliency') {
        // LIT's "grad L2 norm": a token's gradient has one value per embedding dimension.
        scores[p] = Math.sqrt(norm);
      }
    }
    return { scores, channels, total };
  }

  /**
   * ISM scores, tangermeme's way for one-hot inputs: each position's changes centred across
   * the alphabet, then (unless hypothetical) kept at the observed symbol only. Occlusion
   * scores are `f(x) − f(occluded)`, positive where the input supports the target.
   */
  private ismScores(scores: Float32Array): void {
    const { start, end, hypothetical } = this.settings;
    const { kind, width, symbols } = this.variable;
    const changes = this.changesByPosition();
    const k = this.alternatives();
    for (let p = start; p < end; p++) {
      const row = changes.subarray((p - start) * k, (p - start + 1) * k);
      if (kind !== 'onehot') {
        row.forEach((change, c) => (scores[p * k + c] = -change));
        continue;
      }
      const mean = sum(row) / width;
      for (let c = 0; c < width; c++) {
        if (hypothetical || c === symbols![p]) {
          scores[p * width + c] = row[c] - mean;
        }
      }
    }
  }

  /** The changes laid out by position and alternative (0 where nothing was run). */
  private changesByPosition(): Float32Array {
    const { start, end } = this.settings;
    const k = this.alternatives();
    const changes = new Float32Array((end - start) * k);
    this.variants.forEach(({ position, alternative }, i) => {
      changes[(position - start) * k + alternative] = this.changes[i];
    });
    return changes;
  }

  /** Every variant of the window: each other symbol, each channel occluded, or each token. */
  private listVariants(): { position: number; alternative: number }[] {
    const { start, end } = this.settings;
    const { kind, width, symbols } = this.variable;
    const perPosition = kind === 'onehot' ? width - 1 : this.alternatives();
    checkIsmSize(end - start, perPosition, this.length);
    const variants: { position: number; alternative: number }[] = [];
    for (let position = start; position < end; position++) {
      for (let alternative = 0; alternative < this.alternatives(); alternative++) {
        if (kind !== 'onehot' || alternative !== symbols![position]) {
          variants.push({ position, alternative });
        }
      }
    }
    return variants;
  }
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += values[i];
  }
  return total;
}

/**
 * Runs an attribution to the end.
 *
 * @param model - a tfjs LayersModel with one sequence input
 * @param sequence - the sequence, in any form `describeSequence` accepts
 * @param options - method, target and the method's options
 * @returns the scores and what goes with them (completeness, ISM changes)
 * @throws ExplorerError naming the option that is wrong and saying what is expected
 */
export function computeAttributions(
  model: tf.LayersModel,
  sequence: SequenceLike,
  options: AttributionOptions = {}
): AttributionResult {
  const run = new Attribution(model, describeSequence(model, sequence, options), options);
  try {
    run.run();
    return run.result();
  } finally {
    run.dispose();
  }
}

/**
 * Which input positions drive a model output or a filter.
 *
 * @param model - a tfjs LayersModel with one sequence input
 * @param sequence - the sequence, in any form `describeSequence` accepts
 * @param options - method (default integrated gradients), target (default output 0) and the
 *   method's options
 * @returns `scores[position][channel]`; for token inputs one score per position
 * @throws ExplorerError naming the option that is wrong and saying what is expected
 */
export function attributions(
  model: tf.LayersModel,
  sequence: SequenceLike,
  options: AttributionOptions = {}
): number[][] {
  const { scores, channels, length } = computeAttributions(model, sequence, options);
  return Array.from({ length }, (_, p) =>
    Array.from(scores.subarray(p * channels, (p + 1) * channels))
  );
}
