/**
 * What each filter of a Conv1D layer responds to across a set of sequences, by Basset's
 * rule (Kelley et al. 2016, `basset_motifs.py`): a filter's threshold is the mean of its
 * activations plus `threshold` × (maximum − mean), over every output position of every
 * sequence; every input window whose activation passes it is a site. The sites' windows
 * are counted into a position frequency matrix (one-hot inputs), n-grams (token inputs)
 * or a mean and spread per position and channel (numeric inputs).
 *
 * The scan runs in two passes over the set (the statistics, then the sites), a batch of
 * sequences at a time, so a host can report progress and cancel between batches
 * (`MotifScan`); `filterMotifs` runs it to the end.
 */
import * as tf from '@tensorflow/tfjs';
import { runToLayers } from './analyses';
import { ExplorerError } from './errors';
import { sequenceGeometry, type InputSpan } from './geometry';
import { checkCalledOnce } from './graph';
import { describeConv1D, findConv1D, type Conv1DLayerInfo } from './layers';
import type { SequenceOptions } from './input';
import {
  checkSetFits,
  readSequenceSet,
  type SequenceSet,
  type SequenceSetItem
} from './sequenceSet';
import { SiteCounter, type SiteSummary } from './siteCounts';

/** Options of a filter-motif scan. */
export interface FilterMotifOptions extends SequenceOptions {
  /** The Conv1D layer; the first one when omitted. */
  layer?: string;
  /** Basset's threshold, in (0, 1]: mean + threshold × (max − mean). Default 0.5. */
  threshold?: number;
  /** Top sites kept per filter, strongest first. Default 20. */
  maxSites?: number;
  /** Fewer sites than this and a filter has too few for a motif (Basset: 10). Default 10. */
  minSites?: number;
  /** Added to every count of a one-hot motif before it becomes frequencies (Basset: 1). */
  pseudocount?: number;
}

/** One filter's motif over the set. */
export interface FilterMotif extends SiteSummary {
  filter: number;
  /** The activation a site must exceed: `mean + threshold × (max − mean)`. */
  cutoff: number;
  /** Mean and maximum of the filter's activations over every position of every sequence. */
  mean: number;
  max: number;
  /** Windows above the cutoff that were not counted: reaching past an end, or holding a symbol outside the alphabet. */
  skipped: { pastEnd: number; unknownSymbol: number };
  /** Fewer sites than `minSites`: the summary of its sites is left out. */
  tooFew: boolean;
}

/** The motifs of every filter of one layer over a set of sequences. */
export interface FilterMotifs {
  layer: Conv1DLayerInfo;
  kind: SequenceSet['kind'];
  alphabet: string | null;
  /** Input positions in one window (the layer's receptive field), and the step between windows. */
  windowSize: number;
  jump: number;
  names: string[];
  /** Each sequence's largest activation of each filter: `maxima[sequence * filters + filter]`. */
  maxima: Float32Array;
  filters: FilterMotif[];
}

/** Sequence positions per batch: big enough to keep tfjs busy, small enough for memory. */
const BATCH_POSITIONS = 20_000;

/** Per filter: the running statistics of the first pass. */
interface Statistics {
  sum: Float64Array;
  count: number;
  max: Float64Array;
}

function check(ok: boolean, message: string): void {
  if (!ok) {
    throw new ExplorerError(message);
  }
}

/** The options with their defaults, checked. */
function resolveOptions(
  options: FilterMotifOptions
): Required<Pick<FilterMotifOptions, 'threshold' | 'maxSites' | 'minSites' | 'pseudocount'>> {
  const { threshold = 0.5, maxSites = 20, minSites = 10, pseudocount = 1 } = options;
  check(
    Number.isFinite(threshold) && threshold > 0 && threshold <= 1,
    `threshold is ${threshold}: expected a number in (0, 1] (Basset's is 0.5: mean + 0.5 × (max − mean)).`
  );
  check(
    Number.isInteger(maxSites) && maxSites >= 0,
    `maxSites is ${maxSites}: expected a whole number, 0 or more.`
  );
  check(
    Number.isInteger(minSites) && minSites >= 1,
    `minSites is ${minSites}: expected a whole number, 1 or more.`
  );
  check(
    Number.isFinite(pseudocount) && pseudocount >= 0,
    `pseudocount is ${pseudocount}: expected a number, 0 or more.`
  );
  return { threshold, maxSites, minSites, pseudocount };
}

/** Batches of sequence indices of one length each, shortest first. */
function planBatches(lengths: readonly number[]): number[][] {
  const byLength = new Map<number, number[]>();
  lengths.forEach((length, i) => {
    const group = byLength.get(length);
    if (group) {
      group.push(i);
    } else {
      byLength.set(length, [i]);
    }
  });
  const batches: number[][] = [];
  for (const [length, indices] of [...byLength].sort((a, b) => a[0] - b[0])) {
    const size = Math.max(1, Math.floor(BATCH_POSITIONS / length));
    for (let i = 0; i < indices.length; i += size) {
      batches.push(indices.slice(i, i + size));
    }
  }
  return batches;
}

/**
 * A scan of a set of sequences for the motifs of one layer's filters. Create it, call
 * `step` until `done` (each step is one batch of sequences), read `result()`.
 */
export class MotifScan {
  readonly layer: Conv1DLayerInfo;
  readonly set: SequenceSet;
  private readonly model: tf.LayersModel;
  private readonly settings: ReturnType<typeof resolveOptions>;
  private readonly batches: number[][];
  private readonly spans = new Map<number, InputSpan>();
  private readonly stats: Statistics;
  private readonly maxima: Float32Array;
  private counter: SiteCounter | null = null;
  private cutoffs: Float64Array | null = null;
  private next = 0;

  /**
   * Reads and checks the set; no model runs yet.
   *
   * @param model - a tfjs LayersModel with one sequence input
   * @param sequences - the set (see `readSequenceSet`), or a set already read (a payload's)
   * @param options - layer, threshold, sites kept, alphabet and vocabulary
   * @throws ExplorerError saying what is wrong with the set or an option
   */
  constructor(
    model: tf.LayersModel,
    sequences: readonly SequenceSetItem[] | SequenceSet,
    options: FilterMotifOptions = {}
  ) {
    this.settings = resolveOptions(options);
    const conv = findConv1D(model, options.layer);
    checkCalledOnce(model, [conv.name]);
    this.model = model;
    this.layer = describeConv1D(conv);
    this.set = Array.isArray(sequences)
      ? readSequenceSet(model, sequences, options)
      : checkSetFits(model, sequences as SequenceSet);
    for (const length of new Set(this.set.lengths)) {
      this.spans.set(length, this.spanFor(length));
    }
    this.batches = planBatches(this.set.lengths);
    const filters = this.layer.filters;
    this.stats = {
      sum: new Float64Array(filters),
      count: 0,
      max: new Float64Array(filters).fill(-Infinity)
    };
    this.maxima = new Float32Array(this.set.names.length * filters).fill(-Infinity);
  }

  /**
   * How far the scan is: steps taken and to take (each batch is read twice: statistics,
   * then sites), and the sequences read over both passes (of twice the set's size).
   */
  get progress(): { done: number; total: number; sequences: number; ofSequences: number } {
    const count = this.set.names.length;
    const batches = this.batches.length;
    const pass = Math.min(this.next, batches);
    const inPass = (upTo: number) =>
      this.batches.slice(0, upTo).reduce((n, batch) => n + batch.length, 0);
    return {
      done: this.next,
      total: 2 * batches,
      sequences: inPass(pass) + (this.next > batches ? inPass(this.next - batches) : 0),
      ofSequences: 2 * count
    };
  }

  /** True once both passes are over. */
  get done(): boolean {
    return this.next >= 2 * this.batches.length;
  }

  /**
   * Runs the next batch of sequences through the model and reads its activations.
   *
   * @returns whether the scan is done
   */
  step(): boolean {
    if (this.done) {
      return true;
    }
    const firstPass = this.next < this.batches.length;
    const batch = this.batches[this.next % this.batches.length];
    if (firstPass) {
      this.addStatistics(batch);
    } else {
      this.addSites(batch);
    }
    this.next++;
    return this.done;
  }

  /**
   * The motifs, once the scan is done.
   *
   * @returns every filter's motif and each sequence's maxima
   */
  result(): FilterMotifs {
    check(this.done && this.counter !== null, 'The motif scan has not finished yet.');
    const { filters } = this.layer;
    const summaries = this.counter!.summaries();
    const span = this.spans.get(this.set.lengths[0])!;
    return {
      layer: this.layer,
      kind: this.set.kind,
      alphabet: this.set.alphabet,
      windowSize: span.size,
      jump: span.jump,
      names: [...this.set.names],
      maxima: this.maxima.slice(),
      filters: Array.from({ length: filters }, (_, f) => {
        const summary = summaries[f];
        const tooFew = summary.sites < this.settings.minSites;
        return {
          filter: f,
          cutoff: this.cutoffs![f],
          mean: this.stats.sum[f] / this.stats.count,
          max: this.stats.max[f],
          skipped: this.counter!.skipped(f),
          tooFew,
          ...(tooFew ? withoutMotif(summary) : summary)
        };
      })
    };
  }

  /** Where a layer's windows lie in an input of `length` positions. */
  private spanFor(length: number): InputSpan {
    const span = sequenceGeometry(this.model, length).get(this.layer.name)?.span ?? null;
    check(
      span !== null,
      `Layer ${JSON.stringify(this.layer.name)} follows a layer whose mapping of positions the ` +
        'explorer does not model, so its windows in the input are unknown; choose a Conv1D ' +
        'layer before it.'
    );
    return span!;
  }

  /** The layer's output for a batch of equally long sequences, `[batch, position, filter]`. */
  private layerOutput(batch: readonly number[]): tf.Tensor {
    const length = this.set.lengths[batch[0]];
    const x = tf.tidy(() => batchTensor(this.set, batch, length));
    const [out] = runToLayers(this.model, x, [this.layer.name]);
    x.dispose();
    return out;
  }

  /**
   * The first pass over a batch: each filter's sum and each sequence's maximum, reduced on
   * the device (reading every activation back would cost more than the model).
   */
  private addStatistics(batch: readonly number[]): void {
    const { filters } = this.layer;
    const out = this.layerOutput(batch);
    const positions = out.shape[1] ?? 0;
    const [sumTensor, maxTensor] = tf.tidy(() => [out.sum([0, 1]), out.max(1)]);
    const sums = sumTensor.dataSync();
    const maxima = maxTensor.dataSync();
    try {
      // A NaN or an infinity anywhere makes its filter's sum one too.
      const bad = Array.prototype.findIndex.call(sums, (v: number) => !Number.isFinite(v));
      if (bad >= 0) {
        this.refuseNonFinite(batch, out.dataSync() as Float32Array, positions);
      }
    } finally {
      tf.dispose([out, sumTensor, maxTensor]);
    }
    const { sum, max } = this.stats;
    for (let f = 0; f < filters; f++) {
      sum[f] += sums[f];
    }
    batch.forEach((sequence, b) => {
      for (let f = 0; f < filters; f++) {
        const v = maxima[b * filters + f];
        this.maxima[sequence * filters + f] = v;
        max[f] = Math.max(max[f], v);
      }
    });
    this.stats.count += batch.length * positions;
    if (this.next === this.batches.length - 1) {
      this.startSites();
    }
  }

  /** Names the first activation that is not finite. */
  private refuseNonFinite(batch: readonly number[], values: Float32Array, positions: number): void {
    const { filters } = this.layer;
    const at = values.findIndex(v => !Number.isFinite(v));
    const b = Math.floor(at / (positions * filters));
    const p = Math.floor(at / filters) % positions;
    throw new ExplorerError(
      `Layer ${JSON.stringify(this.layer.name)} computes ${values[at]} for sequence ` +
        `${JSON.stringify(this.set.names[batch[b]])} at position ${p}, filter ${at % filters}; expected finite activations.`
    );
  }

  /** After the first pass: each filter's cutoff, and the counter of its sites. */
  private startSites(): void {
    const { threshold, maxSites, pseudocount } = this.settings;
    const { sum, count, max } = this.stats;
    this.cutoffs = Float64Array.from(sum, (s, f) => {
      const mean = s / count;
      return mean + threshold * (max[f] - mean);
    });
    this.counter = new SiteCounter(this.set, this.layer.filters, {
      windowSize: this.spans.get(this.set.lengths[0])!.size,
      maxSites,
      pseudocount
    });
  }

  /**
   * The second pass over a batch: the windows above their filter's cutoff. Only the filters
   * whose maximum in a sequence passed it (known from the first pass) are read back and
   * looked at; a batch without any is not run at all.
   */
  private addSites(batch: readonly number[]): void {
    const { filters } = this.layer;
    const cutoffs = this.cutoffs!;
    const counter = this.counter!;
    const activeIn = batch.map(sequence =>
      Array.from({ length: filters }, (_, f) => f).filter(
        f => this.maxima[sequence * filters + f] > cutoffs[f]
      )
    );
    const read = [...new Set(activeIn.flat())].sort((a, b) => a - b);
    if (read.length === 0) {
      return;
    }
    const out = this.layerOutput(batch);
    const positions = out.shape[1] ?? 0;
    const picked = read.length === filters ? out : tf.tidy(() => tf.gather(out, read, 2));
    const values = picked.dataSync();
    tf.dispose([out, picked]);
    const column = new Map(read.map((f, k) => [f, k]));
    const width = read.length;
    batch.forEach((sequence, b) => {
      if (activeIn[b].length === 0) {
        return;
      }
      const span = this.spans.get(this.set.lengths[sequence])!;
      counter.startSequence(sequence);
      const base = b * positions * width;
      for (const f of activeIn[b]) {
        const k = column.get(f)!;
        const cutoff = cutoffs[f];
        for (let p = 0; p < positions; p++) {
          const v = values[base + p * width + k];
          if (v > cutoff) {
            counter.add(f, sequence, span.start + p * span.jump, p, v);
          }
        }
      }
    });
  }
}

/** A summary of too few sites: their count and the sites, no motif made from noise. */
function withoutMotif(summary: SiteSummary): SiteSummary {
  return {
    sites: summary.sites,
    topSites: summary.topSites,
    counts: null,
    pfm: null,
    consensus: null,
    bits: null,
    ngrams: null,
    windowMean: null,
    windowSpread: null
  };
}

/** A batch of equally long sequences as the model's input. */
function batchTensor(set: SequenceSet, batch: readonly number[], length: number): tf.Tensor {
  switch (set.kind) {
    case 'onehot': {
      const indices = new Int32Array(batch.length * length);
      batch.forEach((s, b) => indices.set(set.data[s], b * length));
      // A symbol outside the alphabet (-1) becomes a row of zeros.
      return tf
        .oneHot(tf.tensor1d(indices, 'int32'), set.width)
        .toFloat()
        .reshape([batch.length, length, set.width]);
    }
    case 'tokens': {
      const ids = new Int32Array(batch.length * length);
      batch.forEach((s, b) => ids.set(set.data[s], b * length));
      return tf.tensor2d(ids, [batch.length, length], 'int32');
    }
    case 'numeric': {
      const values = new Float32Array(batch.length * length * set.width);
      batch.forEach((s, b) => values.set(set.data[s], b * length * set.width));
      return tf.tensor3d(values, [batch.length, length, set.width]);
    }
  }
}

/**
 * Basset's filter motifs of one layer over a set of sequences (see the module comment).
 *
 * @param model - a tfjs LayersModel with one sequence input and a Conv1D layer
 * @param sequences - the set: sequences in any form `describeSequence` takes, or
 *   `{ name, sequence }` records (`readFasta`)
 * @param options - layer, threshold (default 0.5), sites kept, minimum sites, pseudocount,
 *   alphabet and vocabulary
 * @returns every filter's sites, summary and each sequence's maxima
 * @throws ExplorerError for an empty set, a bad option, or sequences that do not fit
 */
export function filterMotifs(
  model: tf.LayersModel,
  sequences: readonly SequenceSetItem[],
  options: FilterMotifOptions = {}
): FilterMotifs {
  const scan = new MotifScan(model, sequences, options);
  while (!scan.step()) {
    // one batch at a time
  }
  return scan.result();
}
