/**
 * The rows the activation-maximization views draw, from the worker's snapshot: one
 * filter's loss curve, per-position magnitude, optimized input, sequence logo (its letters;
 * the panel paints its picture), nearest tokens and receptive field, and the gallery's
 * summary of every filter. Pure: no DOM, no tfjs.
 */
import { finiteExtent } from './colors';
import { columnBits, rowColumns, type FlatMatrices } from '../core/pwm';
import { informationHeights, logoLayout, type LogoBox } from './logo/layout';
import { logoRows, type LogoPictureRow, type LogoRow } from './logo/view';
import type { RunSnapshot } from './worker/messages';

/** How to label what the snapshot holds. */
export interface MaximizationLabels {
  /** Names of the variable's channels: symbols, `emb0`…, or `ch0`…. */
  channels: string[];
  /** Names of vocabulary ids (token models), for the nearest tokens. */
  vocabulary?: string[];
  /** True when the input is probabilities (softmax), drawn as a logo. */
  softmax: boolean;
  /** First and last input position the maximized output position reads, or null. */
  field: [number, number] | null;
}

/** The rows of one filter's views, for the named data sets. */
export interface MaximizationRows {
  loss: { step: number; loss: number }[];
  magnitude: { i: number; m: number }[];
  cells: { i: number; c: string; ci: number; v: number }[];
  /** The logo's letters: heights (`v`) probability (`p`) × bits. */
  logo: (LogoRow & { p: number })[];
  /** The logo's picture: empty here, painted by the panel (see `maximizationLogo`). */
  logoPicture: LogoPictureRow[];
  words: { i: number; w: string; sim: number; alt: string }[];
  field: { a: number; b: number }[];
}

/** One filter of the gallery: its objective, what it reads, whether it ever fired. */
export interface GalleryRow {
  f: number;
  a: number;
  s: string;
  on: 'yes' | 'never';
}

/**
 * A snapshot's optimized inputs as flat matrices, one per batch row.
 *
 * @param snapshot - from the worker
 * @returns the rows' `[position][channel]` values, flat
 */
export function flatInput(snapshot: RunSnapshot): FlatMatrices {
  const { input, length, width } = snapshot.state;
  return { values: input, length, width };
}

/**
 * Per position of some rows, straight off the flat input (300 filters × 600 positions must
 * not build 180k arrays): the optimized input's magnitude `‖x‖₂`, or for probabilities its
 * information content in bits (`log2(channels) - entropy`, the height of a logo's stack).
 *
 * @param snapshot - from the worker
 * @param firstRow - the first batch row
 * @param rows - how many rows
 * @param bits - information content instead of magnitude
 * @returns `values[(row - firstRow) * length + position]`
 */
export function positionSummary(
  snapshot: RunSnapshot,
  firstRow: number,
  rows: number,
  bits: boolean
): Float32Array {
  const { length, width, input } = snapshot.state;
  const values = new Float32Array(rows * length);
  const offset = firstRow * length;
  for (let cell = 0; cell < values.length; cell++) {
    const start = (offset + cell) * width;
    if (bits) {
      values[cell] = columnBits(input, start, width);
      continue;
    }
    let sum = 0;
    for (let c = 0; c < width; c++) {
      sum += input[start + c] * input[start + c];
    }
    values[cell] = Math.sqrt(sum);
  }
  return values;
}

/** The name of a channel: its symbol, `emb0`…, `ch0`…, or `in0`… when unnamed. */
function channelName(labels: MaximizationLabels, ci: number): string {
  return labels.channels[ci] ?? `in${ci}`;
}

/** The loss at each step of one batch row. */
function lossRows(snapshot: RunSnapshot, row: number): MaximizationRows['loss'] {
  const steps = snapshot.state.step;
  return Array.from(snapshot.losses.subarray(row * steps, (row + 1) * steps), (loss, step) => ({
    step,
    loss
  }));
}

/** One filter's sequence logo: its optimized probabilities and their letters. */
export interface MaximizationLogo {
  /** `[position][channel]` probabilities. */
  probabilities: number[][];
  /** The letters, heights probability × bits (`logoLayout` of `informationHeights`). */
  boxes: LogoBox[];
  /** The symbol of each channel. */
  symbols: string[];
}

/**
 * One filter's sequence logo, for its rows and its picture (painted in the browser).
 *
 * @param snapshot - from the worker
 * @param row - the batch row
 * @param labels - channel names; whether the input is probabilities
 * @returns the logo, or null when the input is not probabilities (no logo is drawn)
 */
export function maximizationLogo(
  snapshot: RunSnapshot,
  row: number,
  labels: MaximizationLabels
): MaximizationLogo | null {
  if (!labels.softmax) {
    return null;
  }
  const probabilities = rowColumns(flatInput(snapshot), row);
  return {
    probabilities,
    boxes: logoLayout(informationHeights(probabilities)),
    symbols: Array.from({ length: snapshot.state.width }, (_, ci) => channelName(labels, ci))
  };
}

/** A logo's rows: per position, symbols smallest first, heights probability × bits. */
function probabilityLogoRows(logo: MaximizationLogo): MaximizationRows['logo'] {
  const rows = logoRows(logo.boxes, logo.symbols);
  return logo.boxes.map((box, k) => ({
    ...rows[k],
    p: logo.probabilities[box.position][box.symbol]
  }));
}

/** The nearest vocabulary token at each position, its alternatives for the tooltip. */
function nearestWordRows(
  snapshot: RunSnapshot,
  row: number,
  positions: number,
  vocabulary: string[] | undefined
): MaximizationRows['words'] {
  const nearest = snapshot.nearest;
  if (!nearest) {
    return [];
  }
  const word = (id: number) => vocabulary?.[id] ?? String(id);
  return Array.from({ length: positions }, (_, i) => {
    const base = (row * positions + i) * nearest.count;
    const ids = Array.from(nearest.ids.subarray(base, base + nearest.count));
    return {
      i,
      w: word(ids[0]),
      sim: nearest.similarities[base],
      alt: ids
        .map((id, k) => `${word(id)} (${nearest.similarities[base + k].toFixed(2)})`)
        .join(', ')
    };
  });
}

/**
 * The data of one filter's views.
 *
 * @param snapshot - from the worker
 * @param row - the batch row to show
 * @param labels - channel names, vocabulary, softmax, receptive field
 * @param logo - the row's logo, when the caller has it already (`maximizationLogo`)
 * @returns rows for every named data set (empty where a view does not apply; the logo's
 *   picture is left to the caller, who paints it)
 */
export function maximizationRows(
  snapshot: RunSnapshot,
  row: number,
  labels: MaximizationLabels,
  logo: MaximizationLogo | null = maximizationLogo(snapshot, row, labels)
): MaximizationRows {
  const columns = rowColumns(flatInput(snapshot), row);
  return {
    loss: lossRows(snapshot, row),
    magnitude: Array.from(positionSummary(snapshot, row, 1, false), (m, i) => ({ i, m })),
    cells: columns.flatMap((column, i) =>
      column.map((v, ci) => ({ i, c: channelName(labels, ci), ci, v }))
    ),
    logo: logo ? probabilityLogoRows(logo) : [],
    logoPicture: [],
    words: nearestWordRows(snapshot, row, columns.length, labels.vocabulary),
    field: labels.field ? [{ a: labels.field[0] - 0.5, b: labels.field[1] + 0.5 }] : []
  };
}

/**
 * What the gallery shows of each filter: per position, the optimized input's magnitude, or
 * for probabilities its information content.
 *
 * @param snapshot - a batched run's snapshot
 * @param softmax - whether the input is probabilities
 * @returns `values[row * length + position]`, with its smallest and largest value
 */
export function galleryValues(
  snapshot: RunSnapshot,
  softmax: boolean
): { values: Float32Array; min: number; max: number } {
  const values = positionSummary(snapshot, 0, snapshot.state.filters.length, softmax);
  const [min, max] = finiteExtent(values) ?? [0, 0];
  return { values, min, max };
}

/**
 * The gallery's row of each filter.
 *
 * @param snapshot - a batched run's snapshot
 * @param summaries - what each filter reads (consensus or nearest words), by batch row
 * @returns one row per filter
 */
export function galleryRows(snapshot: RunSnapshot, summaries: string[]): GalleryRow[] {
  const { filters, activations, everActive } = snapshot.state;
  return filters.map((f, row) => ({
    f,
    a: activations[row],
    s: summaries[row] ?? '',
    on: everActive[row] ? 'yes' : 'never'
  }));
}
