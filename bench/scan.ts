/**
 * The dataset-motif scan's cases, shared by Node and the browser: `filterMotifs` (Basset's
 * rule, the set's encoding included) over seeded sets of one-hot DNA, timed
 * after a warm-up scan. The sequences come from the examples' seeded generator
 * (examples/train/data.ts): the DNA example's own sequences at its fixed length (100), and
 * uniform random bases of length 600 for the Basset-size model.
 */
import type * as tf from '@tensorflow/tfjs';
import { filterMotifs, type FilterMotif } from '../src/core/filterMotifs';
import { DNA_LENGTH, dnaExamples, rng } from '../examples/train/data';
import { stats, type Stats } from './cases';

/** The models scanned. */
export type ScanModel = 'DNA example' | 'Basset-size';

/** Each model's scanned layer, sequence length and sequences. */
export const SCAN_MODELS: Readonly<
  Record<ScanModel, { layer: string; length: number; source: 'dna-example' | 'uniform' }>
> = {
  'DNA example': { layer: 'motif_scan', length: DNA_LENGTH, source: 'dna-example' },
  'Basset-size': { layer: 'conv1', length: 600, source: 'uniform' }
};

/** The set size the target is about: 10 000 sequences. */
export const TARGET_SEQUENCES = 10_000;

/** One scan case: a model, how many sequences, how many timed scans. */
export interface ScanPlan {
  model: ScanModel;
  sequences: number;
  repeats: number;
  /** Keep the last scan's sites, cutoffs and counts per filter (to compare with the peer's). */
  details?: boolean;
}

/** One scan's figures per filter: its sites, its cutoff and its counts (null: too few sites). */
export interface ScanDetails {
  sites: number[];
  cutoffs: number[];
  counts: (number[][] | null)[];
}

/** One scan case's figures. */
export interface ScanResult {
  model: ScanModel;
  layer: string;
  filters: number;
  sequences: number;
  length: number;
  /** Seconds per scan of the whole set. */
  seconds: Stats;
  /** `sequences / seconds.median`. */
  sequencesPerSecond: number;
  /** The last scan's, when the plan asked for them. */
  details?: ScanDetails;
}

/** Sequences scanned before the timed runs, so tfjs has compiled and allocated. */
const WARM_UP = 64;
const SEED = 15;

/**
 * Seeded random DNA: `count` sequences of `length` uniform bases.
 *
 * @param count - how many
 * @param length - bases in each
 * @param seed - the examples' generator's seed
 * @returns the sequences as ACGT strings
 */
export function uniformDna(count: number, length: number, seed: number): string[] {
  const next = rng(seed);
  const bases = new Array<string>(length);
  return Array.from({ length: count }, () => {
    for (let i = 0; i < length; i++) {
      bases[i] = 'ACGT'[Math.floor(next() * 4)];
    }
    return bases.join('');
  });
}

/**
 * A plan's sequences.
 *
 * @param plan - the model and the count
 * @returns the sequences as ACGT strings
 */
export function scanSequences(plan: ScanPlan): string[] {
  const { length, source } = SCAN_MODELS[plan.model];
  return source === 'dna-example'
    ? dnaExamples(plan.sequences, SEED).map(e => e.sequence)
    : uniformDna(plan.sequences, length, SEED);
}

/**
 * Times `filterMotifs` over a plan's sequences, after a warm-up scan of a few of them.
 *
 * @param model - the plan's model
 * @param plan - the case
 * @param now - a millisecond clock
 * @returns the seconds per scan and sequences per second
 */
export function measureScan(model: tf.LayersModel, plan: ScanPlan, now: () => number): ScanResult {
  const { layer, length } = SCAN_MODELS[plan.model];
  const sequences = scanSequences(plan);
  filterMotifs(model, sequences.slice(0, WARM_UP), { layer });
  let last: FilterMotif[] = [];
  const seconds: number[] = [];
  for (let r = 0; r < plan.repeats; r++) {
    const started = now();
    last = filterMotifs(model, sequences, { layer }).filters;
    seconds.push((now() - started) / 1000);
  }
  const s = stats(seconds);
  return {
    model: plan.model,
    layer,
    filters: last.length,
    sequences: plan.sequences,
    length,
    seconds: s,
    sequencesPerSecond: plan.sequences / s.median,
    ...(plan.details ? { details: scanDetails(last) } : {})
  };
}

/** A scan's sites, cutoffs and counts per filter. */
function scanDetails(filters: readonly FilterMotif[]): ScanDetails {
  return {
    sites: filters.map(f => f.sites),
    cutoffs: filters.map(f => f.cutoff),
    counts: filters.map(f => f.counts)
  };
}

/**
 * Runs every plan, each on a freshly loaded model that is disposed of afterwards.
 *
 * @param plans - the cases, in order
 * @param load - loads a model
 * @param now - a millisecond clock
 * @returns one result per plan
 */
export async function measureScans(
  plans: readonly ScanPlan[],
  load: (model: ScanModel) => Promise<tf.LayersModel>,
  now: () => number
): Promise<ScanResult[]> {
  const results: ScanResult[] = [];
  for (const plan of plans) {
    const model = await load(plan.model);
    try {
      results.push(measureScan(model, plan, now));
    } finally {
      model.dispose();
    }
  }
  return results;
}
