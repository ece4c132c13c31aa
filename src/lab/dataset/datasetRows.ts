/**
 * What the dataset view shows, as plain data: the order of the gallery and of the sequence
 * table, a filter's summary line, its histogram rows. Pure, so every rule here is tested
 * without a page.
 */
import type { FilterMotif } from '../../core/filterMotifs';
import { informationHeights, logoLayout } from '../logo/layout';
import { logoRows } from '../logo/view';
import type { ScanProgress, ScanResult } from '../worker/scanMessages';
import { DATASET_DATA, type DatasetRows } from './datasetSpecs';

/** How the gallery is ordered. */
export type GallerySort = 'filter' | 'information' | 'match' | 'sites';

/** The gallery's orders, with their labels. */
export const GALLERY_SORTS: readonly { value: GallerySort; label: string }[] = [
  { value: 'filter', label: 'filter index' },
  { value: 'information', label: 'information content' },
  { value: 'match', label: 'best match q-value' },
  { value: 'sites', label: 'sites' }
];

/** What the motifs are matched against: JASPAR CORE, all of it or its vertebrates, or nothing. */
export type DatasetDatabase = 'all' | 'vertebrates' | 'none';

/** The databases, with their labels. */
export const DATASET_DATABASES: readonly { value: DatasetDatabase; label: string }[] = [
  { value: 'all', label: 'JASPAR 2026 CORE, all taxa' },
  { value: 'vertebrates', label: 'JASPAR 2026 CORE, vertebrates' },
  { value: 'none', label: 'no matching' }
];

/** How the sequence table is ordered: by the selected filter or a column, either way. */
export interface TableSort {
  /** `null`: the selected filter's maximum activation; otherwise a column's name. */
  column: string | null;
  descending: boolean;
}

/**
 * A filter's information content: the sum of its positions' bits (0 without a motif).
 *
 * @param motif - the filter's motif
 * @returns bits
 */
export function totalBits(motif: FilterMotif): number {
  return motif.bits?.reduce((a, b) => a + b, 0) ?? 0;
}

/**
 * The filters in gallery order. Ties, and filters with nothing to sort by (no motif, no
 * match), go by index after the others.
 *
 * @param result - the scan's result
 * @param sort - the order
 * @returns filter indices
 */
export function galleryOrder(result: ScanResult, sort: GallerySort): number[] {
  const { filters } = result.motifs;
  const key = (f: number): number => {
    const motif = filters[f];
    switch (sort) {
      case 'filter':
        return f;
      case 'information':
        return motif.tooFew ? Infinity : -totalBits(motif);
      case 'match':
        return result.matches?.[f][0]?.qValue ?? Infinity;
      case 'sites':
        return -motif.sites;
    }
  };
  return filters.map((_, f) => f).sort((a, b) => key(a) - key(b) || a - b);
}

/**
 * The sequences in table order.
 *
 * @param result - the scan's result
 * @param filter - the selected filter
 * @param sort - by the filter or a column, either way
 * @param columns - the payload's columns
 * @returns sequence indices
 */
export function tableOrder(
  result: ScanResult,
  filter: number,
  sort: TableSort,
  columns: { [name: string]: number[] } = {}
): number[] {
  const { maxima, names } = result.motifs;
  const filters = result.motifs.filters.length;
  const values =
    sort.column === null || !Object.prototype.hasOwnProperty.call(columns, sort.column)
      ? (s: number) => maxima[s * filters + filter]
      : (s: number) => columns[sort.column!][s];
  const sign = sort.descending ? -1 : 1;
  return names.map((_, s) => s).sort((a, b) => sign * (values(a) - values(b)) || a - b);
}

/**
 * The selected filter's summary, in words.
 *
 * @param result - the scan's result
 * @param filter - the filter
 * @param minSites - below this many sites a filter has no motif (Basset: 10)
 * @returns e.g. `245 sites in 1000 sequences · window 19 · 9.8 bits · CACGTG`
 */
export function filterSummary(result: ScanResult, filter: number, minSites = 10): string {
  const { motifs } = result;
  const motif = motifs.filters[filter];
  const parts = [
    `${motif.sites} site${motif.sites === 1 ? '' : 's'} in ${motifs.names.length} sequences`,
    `window ${motifs.windowSize} positions`,
    `cutoff ${motif.cutoff.toPrecision(3)} (mean ${motif.mean.toPrecision(3)}, max ${motif.max.toPrecision(3)})`
  ];
  if (motif.tooFew) {
    parts.push(`too few sites for a motif (fewer than ${minSites})`);
  } else if (motif.bits) {
    parts.push(`${totalBits(motif).toFixed(1)} bits`, `consensus ${motif.consensus ?? ''}`);
  }
  const { pastEnd, unknownSymbol } = motif.skipped;
  if (pastEnd + unknownSymbol > 0) {
    parts.push(
      `skipped: ${pastEnd} window${pastEnd === 1 ? '' : 's'} past an end, ${unknownSymbol} with an unknown symbol`
    );
  }
  return parts.join(' · ');
}

/** Bars of a filter's histogram. */
export const HISTOGRAM_BINS = 40;

/**
 * The histogram of a filter's largest activation per sequence: `HISTOGRAM_BINS` equal bins
 * over their range, counted here (for 10 000 sequences, a Vega bin transform re-run at each
 * filter change costs the page more than it should).
 *
 * @param result - the scan's result
 * @param filter - the filter
 * @returns one row per bin: its edges and how many sequences fall in it
 */
export function histogramRows(
  result: ScanResult,
  filter: number
): { x0: number; x1: number; count: number }[] {
  const { maxima, names } = result.motifs;
  const filters = result.motifs.filters.length;
  const values = names.map((_, s) => maxima[s * filters + filter]);
  // A loop, not Math.min(...values): a set can hold more values than a call takes arguments.
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(hi > lo)) {
    // One value, or all equal: one bar, centred on it.
    return [{ x0: lo - 0.5, x1: lo + 0.5, count: values.length }];
  }
  const bins = HISTOGRAM_BINS;
  const step = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    counts[Math.min(bins - 1, Math.floor((v - lo) / step))]++;
  }
  return counts.map((count, b) => ({ x0: lo + b * step, x1: lo + (b + 1) * step, count }));
}

/**
 * The selected filter's rows for `datasetSpec`, all but the logo's picture (painted on the
 * page: see the panel), which is left empty.
 *
 * @param result - the scan's result
 * @param filter - the filter
 * @param channels - the names of a numeric input's channels
 * @returns the rows, by data set name
 */
export function filterViewRows(
  result: ScanResult,
  filter: number,
  channels: readonly string[] = []
): DatasetRows {
  const motif = result.motifs.filters[filter];
  const alphabet = [...(result.motifs.alphabet ?? '')];
  return {
    [DATASET_DATA.histogram]: histogramRows(result, filter),
    [DATASET_DATA.cutoff]: [{ cutoff: motif.cutoff }],
    [DATASET_DATA.shape]: (motif.windowMean ?? []).flatMap((row, i) =>
      row.map((mean, c) => {
        const spread = motif.windowSpread?.[i][c] ?? 0;
        return { i, channel: channels[c] ?? `ch${c}`, mean, lo: mean - spread, hi: mean + spread };
      })
    ),
    [DATASET_DATA.logo]: motif.pfm
      ? logoRows(logoLayout(informationHeights(motif.pfm)), alphabet)
      : [],
    [DATASET_DATA.logoPicture]: []
  };
}

/**
 * A filter's best match, in a few words, for the gallery.
 *
 * @param result - the scan's result
 * @param filter - the filter
 * @returns e.g. `CTCF q=3.1e-5`, or an empty string
 */
export function bestMatchLabel(result: ScanResult, filter: number): string {
  const best = result.matches?.[filter][0];
  return best ? `${best.factor} q=${formatP(best.qValue)}` : '';
}

/**
 * A p-, E- or q-value for people.
 *
 * @param value - the value
 * @returns two significant digits, exponent form below 0.001
 */
export function formatP(value: number): string {
  return value < 1e-3 ? value.toExponential(1) : value.toPrecision(2);
}

/**
 * A scan's progress for people: what it does, the sequences read or counted, the time
 * taken and, while the model reads the set, the time left.
 *
 * @param progress - the worker's report
 * @returns e.g. `Scanning the set: 400 of 1000 sequences · 1.2 s, about 1.8 s left`
 */
export function progressText(progress: ScanProgress): string {
  const { phase, done, total, millis } = progress;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  if (phase === 'match') {
    return `Matching the motifs in JASPAR: ${done} of ${total} filters · ${seconds(millis)}`;
  }
  if (phase === 'sites') {
    return `Counting the sites: ${done} of ${total} sequences · ${seconds(millis)}`;
  }
  // The forward pass is nearly all of a scan's time, at an even pace.
  const left =
    done > 0 && done < total ? `, about ${seconds((millis * (total - done)) / done)} left` : '';
  return `Scanning the set: ${done} of ${total} sequences · ${seconds(millis)}${left}`;
}
