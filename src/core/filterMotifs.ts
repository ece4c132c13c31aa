/**
 * What each filter of a Conv1D layer responds to across a set of sequences, by Basset's
 * rule (Kelley et al. 2016, `basset_motifs.py`): a filter's threshold is the mean of its
 * activations plus `threshold` × (maximum − mean), over every output position of every
 * sequence; every input window whose activation passes it is a site. The sites' windows
 * are counted into a position frequency matrix (one-hot inputs), n-grams (token inputs)
 * or a mean and spread per position and channel (numeric inputs).
 *
 * The model runs once over the set, a batch of sequences at a time, so a host can report
 * progress and cancel between batches (`MotifScan`); `filterMotifs` runs it to the end.
 * The cutoff is only known once every batch is read, so each batch keeps the activations
 * above a bound from the statistics so far, a little below where the cutoff can end up.
 * When the cutoff is known, the kept activations above it are the sites. A batch whose
 * bound turns out to lie above the final cutoff (the mean fell a long way after it) is run
 * again, so the sites are exactly Basset's either way.
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
import { batchTensor, planBatches } from './scanBatches';
import { cutDown, keepAbove, sitesByFilter, type KeptActivations } from './keptActivations';
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

/**
 * A batch keeps the activations above `mean + BOUND_SHARE × threshold × (max − mean)` of
 * the statistics so far. The maximum only grows, so the final cutoff stays above the bound
 * unless the mean falls by more than the rest of the share allows.
 */
const BOUND_SHARE = 0.9;
/**
 * For tests only, the scan's memory limits, in kept activations over all batches:
 * - `maxKept`: past it, the older batches' are cut down to the bound of today's statistics
 *   (which keeps memory in step with the sites, whatever the early bounds were);
 * - `keepLimit`: past it even after a cut (a low threshold makes most activations sites),
 *   the scan keeps none, and runs every batch again once the cutoffs are known: the
 *   two-pass scan, in bounded memory at any threshold.
 */
export const scanTuning = { maxKept: 2_000_000, keepLimit: 16_000_000 };

/** Per filter: the running statistics of the pass. */
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

/**
 * One worker's share of a scan's forward pass: the batches `index`, `index + of`, … of the
 * plan. Share 0 also counts every batch's sites, once the other shares' parts are in.
 */
export interface ScanShare {
  index: number;
  of: number;
}

/** What one share's forward pass found, for share 0 (`MotifScan.addPart`). */
export interface ScanPart {
  sum: Float64Array;
  count: number;
  max: Float64Array;
  /** Each sequence's maxima, `-Infinity` for the sequences of other shares. */
  maxima: Float32Array;
  kept: KeptActivations[];
}

/**
 * Where a scan is: running its batches through the model; waiting for the other shares'
 * parts; counting every batch's sites; done.
 */
export type ScanStage = 'reading' | 'waiting' | 'counting' | 'done';

/**
 * The buffers of a part, to hand over (transfer) rather than copy.
 *
 * @param part - a share's part
 * @returns its typed arrays' buffers
 */
export function scanPartBuffers(part: ScanPart): ArrayBuffer[] {
  return [
    part.sum,
    part.max,
    part.maxima,
    ...part.kept.flatMap(k => [k.at, k.values, k.floor])
  ].map(a => a.buffer as ArrayBuffer);
}

/**
 * A scan of a set of sequences for the motifs of one layer's filters. Create it, call
 * `step` until `done`, read `result()`. The first steps run the model, a batch each; the
 * last ones count each batch's sites once the cutoffs are known. Shared between workers,
 * each runs its share of the batches; the others hand their `part()` to share 0
 * (`addPart`), which then counts the sites.
 */
export class MotifScan {
  readonly layer: Conv1DLayerInfo;
  readonly set: SequenceSet;
  private readonly model: tf.LayersModel;
  private readonly settings: ReturnType<typeof resolveOptions>;
  private readonly batches: number[][];
  /** This share's batches, as indices into `batches`. */
  private readonly own: number[];
  private readonly share: ScanShare;
  private readonly spans = new Map<number, InputSpan>();
  private readonly stats: Statistics;
  private readonly maxima: Float32Array;
  private kept: KeptActivations[] = [];
  private keptCount = 0;
  /** Kept activations past which the next cut comes: twice what the last cut left. */
  private cutAt = scanTuning.maxKept;
  /** Past `scanTuning.keepLimit`: nothing more is kept, every batch runs again. */
  private keepingNone = false;
  private counter: SiteCounter | null = null;
  private cutoffs: Float64Array | null = null;
  private read = 0;
  private partsMissing: number;
  private counted = 0;

  /**
   * Reads and checks the set; no model runs yet.
   *
   * @param model - a tfjs LayersModel with one sequence input
   * @param sequences - the set (see `readSequenceSet`), or a set already read (a payload's)
   * @param options - layer, threshold, sites kept, alphabet and vocabulary
   * @param share - this scan's share of the batches; all of them when omitted
   * @throws ExplorerError saying what is wrong with the set or an option
   */
  constructor(
    model: tf.LayersModel,
    sequences: readonly SequenceSetItem[] | SequenceSet,
    options: FilterMotifOptions = {},
    share: ScanShare = { index: 0, of: 1 }
  ) {
    this.settings = resolveOptions(options);
    check(
      Number.isInteger(share.of) &&
        share.of >= 1 &&
        Number.isInteger(share.index) &&
        share.index >= 0 &&
        share.index < share.of,
      `The scan's share is ${share.index} of ${share.of}: expected a whole number from 0 to ${share.of - 1}.`
    );
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
    this.share = share;
    this.own = this.batches.map((_, i) => i).filter(i => i % share.of === share.index);
    this.partsMissing = share.index === 0 ? share.of - 1 : 0;
    const filters = this.layer.filters;
    this.stats = {
      sum: new Float64Array(filters),
      count: 0,
      max: new Float64Array(filters).fill(-Infinity)
    };
    this.maxima = new Float32Array(this.set.names.length * filters).fill(-Infinity);
  }

  /** Where the scan is (see `ScanStage`); a share other than 0 is done once it has read. */
  get stage(): ScanStage {
    if (this.read < this.own.length) {
      return 'reading';
    }
    if (this.share.index > 0) {
      return 'done';
    }
    if (this.partsMissing > 0) {
      return 'waiting';
    }
    return this.counted < this.kept.length ? 'counting' : 'done';
  }

  /**
   * How far the scan is, in sequences: read through the model (`model`: of this share's),
   * or with their sites counted (`sites`: of the whole set, share 0 once its parts are in).
   */
  get progress(): { pass: 'model' | 'sites'; done: number; total: number } {
    const stage = this.stage;
    const sequences = (batches: readonly number[]) =>
      batches.reduce((n, b) => n + this.batches[b].length, 0);
    if (stage === 'counting' || (stage === 'done' && this.share.index === 0)) {
      return {
        pass: 'sites',
        done: sequences(this.kept.slice(0, this.counted).map(k => k.batch)),
        total: this.set.names.length
      };
    }
    return {
      pass: 'model',
      done: sequences(this.own.slice(0, this.read)),
      total: sequences(this.own)
    };
  }

  /** True once every batch's sites are counted (share 0), or this share's batches read. */
  get done(): boolean {
    return this.stage === 'done';
  }

  /**
   * Runs the next batch of sequences through the model, or counts the next batch's sites.
   *
   * @returns whether the scan is done
   * @throws ExplorerError while it waits for other shares' parts
   */
  step(): boolean {
    switch (this.stage) {
      case 'reading':
        this.readBatch(this.own[this.read++]);
        if ((this.stage as ScanStage) === 'counting') {
          this.startSites();
        }
        break;
      case 'waiting':
        throw new ExplorerError(`The scan waits for ${this.partsMissing} more shares' parts.`);
      case 'counting':
        this.countSites(this.kept[this.counted++]);
        break;
      case 'done':
        break;
    }
    return this.done;
  }

  /**
   * This share's part, once it has read its batches (for share 0's `addPart`).
   *
   * @returns its statistics, maxima and kept activations
   */
  part(): ScanPart {
    check(
      this.share.index > 0 && this.done,
      'Only a share other than 0 hands over a part, once it has read its batches.'
    );
    const { sum, count, max } = this.stats;
    return { sum, count, max, maxima: this.maxima, kept: this.kept };
  }

  /**
   * Adds another share's part (share 0, after its own batches or before).
   *
   * @param part - what the other share's forward pass found
   */
  addPart(part: ScanPart): void {
    check(
      this.share.index === 0 && this.partsMissing > 0 && part.maxima.length === this.maxima.length,
      'A part is added to share 0 of the same scan, once per other share.'
    );
    const { sum, max } = this.stats;
    part.sum.forEach((s, f) => {
      sum[f] += s;
      max[f] = Math.max(max[f], part.max[f]);
    });
    this.stats.count += part.count;
    part.maxima.forEach((v, i) => {
      if (v > this.maxima[i]) {
        this.maxima[i] = v;
      }
    });
    this.kept.push(...part.kept);
    this.partsMissing--;
    if (this.stage === 'counting') {
      this.startSites();
    }
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

  /**
   * The layer's output for a batch, `[sequence, position, filter]`, read back; with each
   * sequence's mean and maximum of each filter, `[sequence × filter]`, when asked.
   */
  private layerOutput(
    batch: readonly number[],
    withStatistics: boolean
  ): { values: Float32Array; positions: number; means?: Float32Array; maxima?: Float32Array } {
    const length = this.set.lengths[batch[0]];
    const x = tf.tidy(() => batchTensor(this.set, batch, length));
    const [out] = runToLayers(this.model, x, [this.layer.name]);
    x.dispose();
    const positions = out.shape[1] ?? 0;
    try {
      const values = out.dataSync() as Float32Array;
      if (!withStatistics) {
        return { values, positions };
      }
      if (positions === 1) {
        // One position is its own mean and maximum: no pooling to run.
        return { values, positions, means: values, maxima: values };
      }
      // Pooling over the whole sequence reduces along positions with the filters last, as
      // the output is laid out; a reduction over axis 1 would transpose it first.
      const [means, maxima] = tf.tidy(() => {
        const rows = out.reshape([batch.length, 1, positions, this.layer.filters]) as tf.Tensor4D;
        return [
          tf.avgPool(rows, [1, positions], 1, 'valid'),
          tf.maxPool(rows, [1, positions], 1, 'valid')
        ];
      });
      try {
        return {
          values,
          positions,
          means: means.dataSync() as Float32Array,
          maxima: maxima.dataSync() as Float32Array
        };
      } finally {
        tf.dispose([means, maxima]);
      }
    } finally {
      out.dispose();
    }
  }

  /**
   * One batch through the model: its statistics and maxima are added, and its activations
   * above the bound of the statistics so far are kept.
   */
  private readBatch(index: number): void {
    const batch = this.batches[index];
    const { values, positions, means, maxima } = this.layerOutput(batch, true);
    this.addStatistics(batch, positions, means!, maxima!);
    if (!this.stats.sum.every(Number.isFinite)) {
      // A NaN or an infinity anywhere makes its filter's mean one too.
      this.refuseNonFinite(batch, values, positions);
    }
    const floor = this.keepingNone
      ? new Float64Array(this.layer.filters).fill(Infinity)
      : this.bound();
    const kept = keepAbove(index, positions, values, floor);
    this.kept.push(kept);
    this.keptCount += kept.at.length;
    if (this.keptCount > this.cutAt) {
      this.cutKept(floor);
      this.cutAt = Math.max(scanTuning.maxKept, 2 * this.keptCount);
      if (this.keptCount > scanTuning.keepLimit) {
        this.cutKept(new Float64Array(this.layer.filters).fill(Infinity));
        this.keepingNone = true;
      }
    }
  }

  /** Adds a batch's means and maxima per sequence to each filter's sum and maximum. */
  private addStatistics(
    batch: readonly number[],
    positions: number,
    means: Float32Array,
    maxima: Float32Array
  ): void {
    const { filters } = this.layer;
    const { sum, max } = this.stats;
    batch.forEach((sequence, b) => {
      for (let f = 0; f < filters; f++) {
        const v = maxima[b * filters + f];
        this.maxima[sequence * filters + f] = v;
        max[f] = Math.max(max[f], v);
        sum[f] += means[b * filters + f] * positions;
      }
    });
    this.stats.count += batch.length * positions;
  }

  /** Names the first activation that is not finite. */
  private refuseNonFinite(batch: readonly number[], values: Float32Array, positions: number): void {
    const { filters } = this.layer;
    const at = values.findIndex(v => !Number.isFinite(v));
    if (at < 0) {
      const f = this.stats.sum.findIndex(v => !Number.isFinite(v));
      throw new ExplorerError(
        `Layer ${JSON.stringify(this.layer.name)}'s filter ${f} has activations too large to ` +
          'average in float32; expected activations well within its range.'
      );
    }
    const b = Math.floor(at / (positions * filters));
    const p = Math.floor(at / filters) % positions;
    throw new ExplorerError(
      `Layer ${JSON.stringify(this.layer.name)} computes ${values[at]} for sequence ` +
        `${JSON.stringify(this.set.names[batch[b]])} at position ${p}, filter ${at % filters}; expected finite activations.`
    );
  }

  /** Per filter: the bound below which, by the statistics so far, no site can lie. */
  private bound(): Float64Array {
    const { sum, count, max } = this.stats;
    const share = BOUND_SHARE * this.settings.threshold;
    return Float64Array.from(sum, (s, f) => {
      const mean = s / count;
      return mean + share * (max[f] - mean);
    });
  }

  /** Drops the kept activations at or below `floor` from every batch, to bound memory. */
  private cutKept(floor: Float64Array): void {
    this.kept = this.kept.map(batch => cutDown(batch, floor));
    this.keptCount = this.kept.reduce((n, batch) => n + batch.at.length, 0);
  }

  /** After the last batch: each filter's cutoff, and the counter of its sites. */
  private startSites(): void {
    this.kept.sort((a, b) => a.batch - b.batch);
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
   * Counts one batch's sites: its kept activations above their filter's cutoff, sequence by
   * sequence, then filter by filter, then by position. A batch whose floor lies above a
   * cutoff did not keep every site, so it runs through the model again.
   */
  private countSites(kept: KeptActivations): void {
    const { filters } = this.layer;
    const cutoffs = this.cutoffs!;
    const batch = this.batches[kept.batch];
    if (kept.floor.some((floor, f) => floor > cutoffs[f])) {
      const { values, positions } = this.layerOutput(batch, false);
      kept = keepAbove(kept.batch, positions, values, cutoffs);
    }
    const perSequence = kept.positions * filters;
    let from = 0;
    batch.forEach((sequence, b) => {
      let to = from;
      while (to < kept.at.length && kept.at[to] < (b + 1) * perSequence) {
        to++;
      }
      const sites = sitesByFilter(kept, from, to, cutoffs);
      from = to;
      if (sites.length === 0) {
        return;
      }
      const span = this.spans.get(this.set.lengths[sequence])!;
      this.counter!.startSequence(sequence);
      for (const i of sites) {
        const offset = kept.at[i] - b * perSequence;
        const p = Math.floor(offset / filters);
        this.counter!.add(
          offset % filters,
          sequence,
          span.start + p * span.jump,
          p,
          kept.values[i]
        );
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
