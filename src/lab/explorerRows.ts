/**
 * The rows the explorer's views draw, computed from a layer's data: every activation
 * placed in the input, the selected filter's line, kernel and outline, the heatmap's click
 * bands, and the note that says a filter has nothing to show. Pure: no DOM, no tfjs.
 */
import type { LayerData } from './compute';

/** One output position of one filter, placed in input coordinates. */
export interface ActivationRow {
  f: number;
  p: number;
  /** Centre of the receptive field, in input positions. */
  x: number;
  /** Extent of the heatmap cell (one stride) around `x`. */
  x0: number;
  x1: number;
  /** First and last input position of the receptive field (clipped to the sequence). */
  lo: number;
  hi: number;
  v: number;
}

/** One kernel weight. */
export interface KernelRow {
  f: number;
  k: number;
  ci: number;
  c: string;
  w: number;
}

/** One input symbol. */
export interface SymbolRow {
  i: number;
  s: string;
}

/** The outline of the selected filter's row in the heatmap. */
export interface SelectedRow {
  f: number;
  a: number;
  b: number;
}

/**
 * Places every output position of a layer in the input: the centre, the cell of one stride
 * and the receptive field. Without a known span, positions are the layer's own.
 *
 * @param layer - the layer's data
 * @param inputLength - positions in the input sequence
 * @returns one row per filter and output position
 */
export function activationRows(layer: LayerData, inputLength: number): ActivationRow[] {
  const { filters } = layer.info;
  const rows: ActivationRow[] = new Array(layer.length * filters);
  for (let p = 0; p < layer.length; p++) {
    const place = placement(layer, p, inputLength);
    for (let f = 0; f < filters; f++) {
      rows[p * filters + f] = { f, p, ...place, v: layer.activations[p * filters + f] };
    }
  }
  return rows;
}

/** Where output position `p` lies in the input: centre, heatmap cell, receptive field. */
function placement(
  layer: LayerData,
  p: number,
  inputLength: number
): Omit<ActivationRow, 'f' | 'p' | 'v'> {
  const span = layer.span;
  const start = span ? span.start + p * span.jump : p;
  const size = span ? span.size : 1;
  const step = span ? span.jump : 1;
  const x = start + (size - 1) / 2;
  return {
    x,
    x0: x - step / 2,
    x1: x + step / 2,
    lo: Math.max(0, start),
    hi: Math.min(inputLength - 1, start + size - 1)
  };
}

/**
 * One filter's activation rows: what the line and the input track show.
 *
 * @param layer - the layer's data
 * @param inputLength - positions in the input sequence
 * @param filter - the filter
 * @returns one row per output position
 */
export function filterActivationRows(
  layer: LayerData,
  inputLength: number,
  filter: number
): ActivationRow[] {
  const { filters } = layer.info;
  const rows: ActivationRow[] = new Array(layer.length);
  for (let p = 0; p < layer.length; p++) {
    const v = layer.activations[p * filters + filter];
    rows[p] = { f: filter, p, ...placement(layer, p, inputLength), v };
  }
  return rows;
}

/**
 * One filter's kernel rows, read from Keras' `[k][inChannel][filter]` layout: what the
 * kernel views show.
 *
 * @param layer - the layer's data
 * @param filter - the filter
 * @returns one row per tap and input channel
 */
export function filterKernelRows(layer: LayerData, filter: number): KernelRow[] {
  const { filters, kernelSize, inputChannels } = layer.info;
  const rows: KernelRow[] = [];
  for (let k = 0; k < kernelSize; k++) {
    for (let ci = 0; ci < inputChannels; ci++) {
      const w = layer.kernel[(k * inputChannels + ci) * filters + filter];
      rows.push({ f: filter, k, ci, c: layer.channels[ci] ?? `in${ci}`, w });
    }
  }
  return rows;
}

/**
 * The selected filter's row in the heatmap, from its first cell to its last.
 *
 * @param rows - the filter's activation rows (`filterActivationRows`)
 * @param filter - the filter
 * @returns the outline's one row
 */
export function selectedRow(rows: readonly ActivationRow[], filter: number): SelectedRow[] {
  let a = Infinity;
  let b = -Infinity;
  for (const r of rows) {
    a = Math.min(a, r.x0);
    b = Math.max(b, r.x1);
  }
  return [{ f: filter, a, b }];
}

/**
 * Everything the views read for one filter: swapped in when the slider moves, so nothing
 * is filtered or re-embedded (datasets named as in `explorerSpec`).
 *
 * @param layer - the layer's data
 * @param inputLength - positions in the input sequence
 * @param filter - the filter
 * @returns the rows of each per-filter dataset
 */
export function filterData(
  layer: LayerData,
  inputLength: number,
  filter: number
): { line: ActivationRow[]; kernel: KernelRow[]; selected: SelectedRow[] } {
  const line = filterActivationRows(layer, inputLength, filter);
  return { line, kernel: filterKernelRows(layer, filter), selected: selectedRow(line, filter) };
}

/**
 * The input's symbols as rows.
 *
 * @param symbols - one label per input position
 * @returns one row per position
 */
export function symbolRows(symbols: readonly string[]): SymbolRow[] {
  return symbols.map((s, i) => ({ i, s }));
}

/**
 * The x extent of the heatmap's cells: from the first cell's start to the last one's end.
 *
 * @param layer - the layer's data
 * @param inputLength - positions in the input sequence
 * @returns `[start, end]` in x units
 */
export function bandExtent(layer: LayerData, inputLength: number): [number, number] {
  const first = placement(layer, 0, inputLength);
  const last = placement(layer, Math.max(0, layer.length - 1), inputLength);
  return [first.x0, last.x1];
}

/**
 * One row per filter, spanning the heatmap: the large heatmap's click targets.
 *
 * @param layer - the layer's data
 * @param inputLength - positions in the input sequence
 * @returns one band per filter
 */
export function bandRows(layer: LayerData, inputLength: number): SelectedRow[] {
  const [a, b] = bandExtent(layer, inputLength);
  return Array.from({ length: layer.info.filters }, (_, f) => ({ f, a, b }));
}

/**
 * Says when a filter has nothing to show on this sequence, so a flat line is read as what
 * it is: a dead filter (every weight and its bias 0), or one whose activation is the same
 * at every position (a ReLU that never fires, or saturation).
 *
 * @param layer - the layer's data
 * @param filter - the filter
 * @returns the note for the filter's label; empty when the activation varies
 */
export function filterNote(layer: LayerData, filter: number): string {
  const f = layer.info.filters;
  let deadWeights = (layer.bias?.[filter] ?? 0) === 0;
  for (let i = filter; deadWeights && i < layer.kernel.length; i += f) {
    deadWeights = layer.kernel[i] === 0;
  }
  if (deadWeights) {
    return 'dead filter: all its weights are 0';
  }
  if (layer.length < 2) {
    return '';
  }
  const first = layer.activations[filter];
  for (let p = 1; p < layer.length; p++) {
    if (layer.activations[p * f + filter] !== first) {
      return '';
    }
  }
  return first === 0
    ? 'dead on this sequence: 0 at every position'
    : `constant on this sequence: ${Number(first.toPrecision(4))} at every position`;
}
