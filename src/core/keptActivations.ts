/**
 * The activations a motif scan keeps from its one forward pass, batch by batch, before the
 * cutoffs are known: those above a floor per filter. The invariant, kept by every function
 * here: a batch holds exactly its activations above its floor, none at or below it. So
 * once the cutoffs are known, a batch whose floor lies at or below every cutoff holds all
 * its sites; any other must be read again.
 */

/** One batch's activations that may be sites. */
export interface KeptActivations {
  /** The batch's index in the scan's plan. */
  batch: number;
  /** Output positions per sequence in the batch. */
  positions: number;
  /** Offsets into the batch's `[sequence, position, filter]` output, ascending. */
  at: Int32Array;
  values: Float32Array;
  /** Per filter: every activation above it was kept, and none at or below it. */
  floor: Float64Array;
}

/** Offsets and values of kept activations while a batch is read, grown as needed. */
let scratch = { at: new Int32Array(1 << 16), values: new Float32Array(1 << 16) };

/**
 * A batch's activations above their filter's floor.
 *
 * @param batch - the batch's index in the plan
 * @param positions - output positions per sequence
 * @param values - the layer's output, `[sequence, position, filter]` (filters last)
 * @param floor - per filter
 * @returns the kept activations, with their offsets
 */
export function keepAbove(
  batch: number,
  positions: number,
  values: Float32Array,
  floor: Float64Array
): KeptActivations {
  const filters = floor.length;
  let n = 0;
  for (let base = 0; base < values.length; base += filters) {
    if (scratch.at.length - n < filters) {
      const at = new Int32Array(2 * scratch.at.length);
      const kept = new Float32Array(2 * scratch.at.length);
      at.set(scratch.at);
      kept.set(scratch.values);
      scratch = { at, values: kept };
    }
    for (let f = 0; f < filters; f++) {
      const v = values[base + f];
      if (v > floor[f]) {
        scratch.at[n] = base + f;
        scratch.values[n++] = v;
      }
    }
  }
  return {
    batch,
    positions,
    at: scratch.at.slice(0, n),
    values: scratch.values.slice(0, n),
    floor
  };
}

/**
 * A batch's kept activations with its floor raised to `floor` where that is higher.
 *
 * @param kept - the batch's (its arrays are reused: the caller gives them up)
 * @param floor - per filter
 * @returns those above the raised floor
 */
export function cutDown(kept: KeptActivations, floor: Float64Array): KeptActivations {
  const filters = floor.length;
  const raised = Float64Array.from(kept.floor, (old, f) => Math.max(old, floor[f]));
  let n = 0;
  for (let k = 0; k < kept.at.length; k++) {
    if (kept.values[k] > raised[kept.at[k] % filters]) {
      kept.at[n] = kept.at[k];
      kept.values[n++] = kept.values[k];
    }
  }
  return { ...kept, at: kept.at.slice(0, n), values: kept.values.slice(0, n), floor: raised };
}

/**
 * Of one sequence's kept activations (`from` to `to`, in position order), those above
 * their filter's cutoff, ordered by filter and then by position (a counting sort).
 *
 * @param kept - the sequence's batch
 * @param from - its first kept activation
 * @param to - past its last
 * @param cutoffs - per filter
 * @returns indices into the batch's kept activations
 */
export function sitesByFilter(
  kept: KeptActivations,
  from: number,
  to: number,
  cutoffs: Float64Array
): Int32Array {
  const filters = cutoffs.length;
  const starts = new Int32Array(filters + 1);
  for (let k = from; k < to; k++) {
    const f = kept.at[k] % filters;
    if (kept.values[k] > cutoffs[f]) {
      starts[f + 1]++;
    }
  }
  for (let f = 0; f < filters; f++) {
    starts[f + 1] += starts[f];
  }
  const sites = new Int32Array(starts[filters]);
  for (let k = from; k < to; k++) {
    const f = kept.at[k] % filters;
    if (kept.values[k] > cutoffs[f]) {
      sites[starts[f]++] = k;
    }
  }
  return sites;
}
