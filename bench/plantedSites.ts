/**
 * The planted-motif check of the attribution methods: on DNA example sequences whose planted
 * sites are known, how often each method's top-scoring window (as wide as a site) overlaps
 * a planted site. The README quotes these figures and a unit test checks them.
 */
import type * as tf from '@tensorflow/tfjs';
import { computeAttributions, type AttributionMethod, type AttributionOptions } from '../src/core';
import { DNA_MOTIFS, dnaExamples } from '../examples/train/data';

/** The held-out test sequences: a seed neither training (7), validation (8) nor motifs.ipynb (99) uses. */
export const PLANTED_TEST = { count: 400, seed: 12 } as const;

/** How often one method found a planted site. */
export interface SiteRecovery {
  method: AttributionMethod;
  /** Positive sequences checked. */
  sequences: number;
  /** Of them, those whose top window overlaps a planted site. */
  found: number;
  fraction: number;
}

/**
 * The start of the window of `width` positions with the largest sum of scores.
 *
 * @param perPosition - one score per position
 * @param width - window width
 * @returns the window's first position
 */
export function topWindow(perPosition: readonly number[], width: number): number {
  let best = 0;
  let bestSum = -Infinity;
  for (let start = 0; start + width <= perPosition.length; start++) {
    let sum = 0;
    for (let i = start; i < start + width; i++) {
      sum += perPosition[i];
    }
    if (sum > bestSum) {
      bestSum = sum;
      best = start;
    }
  }
  return best;
}

/**
 * A position's score: the sum over its symbols (the observed one's, for projected scores);
 * for saliency, which keeps the gradient at every symbol, its largest magnitude (Simonyan
 * et al.'s rule for the channels of a pixel).
 */
function positionScore(method: AttributionMethod, symbols: Float32Array): number {
  return method === 'saliency'
    ? Math.max(...Array.from(symbols, Math.abs))
    : symbols.reduce((a, b) => a + b, 0);
}

/**
 * Runs one method over the positive test sequences of the DNA example and counts those whose
 * top window overlaps a planted site (the model has one output, bound: either motif).
 *
 * @param model - the DNA example model
 * @param method - the attribution method
 * @param options - further options (e.g. the baseline)
 * @returns the count and fraction
 */
export function plantedSiteRecovery(
  model: tf.LayersModel,
  method: AttributionMethod,
  options: AttributionOptions = {}
): SiteRecovery {
  const width = DNA_MOTIFS.ebox.length;
  const positives = dnaExamples(PLANTED_TEST.count, PLANTED_TEST.seed).filter(e => e.label === 1);
  let found = 0;
  for (const { sequence, sites } of positives) {
    const { scores, channels, length } = computeAttributions(model, sequence, {
      ...options,
      method
    });
    const perPosition = Array.from({ length }, (_, p) =>
      positionScore(method, scores.subarray(p * channels, (p + 1) * channels))
    );
    const start = topWindow(perPosition, width);
    if (sites.some(site => Math.abs(site.start - start) < width)) {
      found++;
    }
  }
  return { method, sequences: positives.length, found, fraction: found / positives.length };
}
