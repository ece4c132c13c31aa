/**
 * Vega-Lite specs of the explorer's views. Pure functions of the computed data: they build
 * the specs and their rows and touch neither the DOM nor tfjs, so they are unit-tested as
 * they are. Every expression in them is written here; payload strings only ever appear as
 * data values (shown as text), never inside an expression.
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
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

/** Names of the Vega signals and selections the view code talks to. */
export const SIGNALS = {
  pick: 'pick',
  brush: 'brush',
  position: 'at'
} as const;

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

/** The outline of the selected filter's row in the heatmap. */
export interface SelectedRow {
  f: number;
  a: number;
  b: number;
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

/** Above this many filter × position cells, the heatmap is drawn as one picture. */
export const HEATMAP_RECT_LIMIT = 20000;

/** The heatmap as a picture, painted by the view (`heatmapImage` in view.ts). */
export interface HeatmapImage {
  url: string;
}

/** The x extent of the heatmap's cells: from the first cell's start to the last one's end. */
function bandExtent(layer: LayerData, inputLength: number): [number, number] {
  const first = placement(layer, 0, inputLength);
  const last = placement(layer, Math.max(0, layer.length - 1), inputLength);
  return [first.x0, last.x1];
}

/** One row per filter, spanning the heatmap: the large heatmap's click targets. */
function bandRows(layer: LayerData, inputLength: number): SelectedRow[] {
  const [a, b] = bandExtent(layer, inputLength);
  return Array.from({ length: layer.info.filters }, (_, f) => ({ f, a, b }));
}

/** Where a picture spanning `extent` (x units) lies in a view of `width` px over `domain`. */
function pictureBox(
  extent: [number, number],
  domain: [number, number],
  width: number
): { x: number; width: number } {
  // Cells may overhang the axis (stride > 1 with same padding): the picture does too, and
  // the mark is clipped, as the rectangles would be.
  const px = (v: number) => ((v - domain[0]) / (domain[1] - domain[0])) * width;
  return { x: px(extent[0]), width: px(extent[1]) - px(extent[0]) };
}

/**
 * A colour domain that never collapses: a dead (constant) layer still gets a valid scale.
 *
 * @param values - the values to colour
 * @param symmetric - centre the domain on zero
 * @returns `[min, max]` with `min < max`
 */
export function colorDomain(values: ArrayLike<number>, symmetric: boolean): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  if (!Number.isFinite(min)) {
    return [0, 1];
  }
  if (symmetric) {
    const m = Math.max(Math.abs(min), Math.abs(max));
    return m > 0 ? [-m, m] : [-1, 1];
  }
  return max > min ? [min, max] : [min, min + 1];
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

/** How the explorer is drawn. */
export interface SpecOptions {
  /** The filter selected at first. */
  filter: number;
  /** Width in pixels of the sequence views. */
  width?: number;
  /** Whether symbols are words (token models): drawn at an angle. */
  words?: boolean;
  /** The brushed range along the x axis, as the view last had it. */
  brush?: [number, number] | null;
  /** The heatmap as a picture; required above `HEATMAP_RECT_LIMIT` cells. */
  heatmapImage?: HeatmapImage;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * Width in pixels of the views laid along the sequence.
 *
 * @param inputLength - positions in the input
 * @returns about 14 px a position, between 360 and 640
 */
export function sequenceWidth(inputLength: number): number {
  return clamp(inputLength * 14, 360, 640);
}

/** The look every view shares. */
export const VIEW_CONFIG = {
  view: { stroke: null },
  axis: { labelFontSize: 11 },
  // Equal room for every y axis keeps the sequence views' x axes aligned.
  axisY: { minExtent: 56, maxExtent: 56 },
  title: { fontSize: 12, anchor: 'start' }
} as const;

/**
 * The whole explorer for one layer: filters × positions heatmap, the selected filter's
 * activation along the input, the input symbols (with the brushed receptive field), and the
 * selected filter's kernel as a heatmap and as lines per input channel. The selected
 * filter's rows are datasets of their own (`line`, `kernel`, `selected`; see `filterData`):
 * a filter change swaps them, so no view filters every row or is embedded again. A click on
 * a heatmap row sets the `pick` selection.
 *
 * @param layer - the layer's data
 * @param symbols - one label per input position
 * @param options - first filter, width, word labels, brush, and the heatmap's picture when
 *   the layer has more than `HEATMAP_RECT_LIMIT` cells
 * @returns a Vega-Lite spec with its data inline
 */
export function explorerSpec(
  layer: LayerData,
  symbols: string[],
  options: SpecOptions
): TopLevelSpec {
  const inputLength = symbols.length;
  const width = options.width ?? sequenceWidth(inputLength);
  const { filters, inputChannels } = layer.info;
  const selected = filterData(layer, inputLength, options.filter);
  const sym: SymbolRow[] = symbols.map((s, i) => ({ i, s }));
  const aligned = layer.span !== null;
  const xDomain: [number, number] = aligned
    ? [-0.5, inputLength - 0.5]
    : [-0.5, layer.length - 0.5];
  const x = {
    field: 'x',
    type: 'quantitative',
    scale: { domain: xDomain, nice: false, zero: false }
  } as const;
  const xTitle = aligned
    ? 'input position'
    : `position in ${layer.info.name} (input alignment unknown)`;
  const actDomain = colorDomain(layer.activations, false);
  const diverging = actDomain[0] < 0;
  const pxPerSymbol = width / inputLength;
  const showText = pxPerSymbol >= 7 || options.words;
  const height = clamp(filters * 6, 60, 360);
  const filterAxis = {
    field: 'f',
    type: 'ordinal',
    title: 'filter',
    axis: filters > 16 ? { labelOverlap: true } : {}
  } as const;
  const actColor = {
    title: 'activation',
    scale: diverging
      ? { scheme: 'redblue', reverse: true, domain: actDomain, domainMid: 0 }
      : { scheme: 'viridis', domain: actDomain }
  };
  const pick = {
    name: SIGNALS.pick,
    select: { type: 'point', fields: ['f'], on: 'click', clear: false, toggle: false }
  };
  const outline = {
    data: { name: 'selected' },
    mark: { type: 'rect', fillOpacity: 0, stroke: '#ff7f0e', strokeWidth: 2, clip: true },
    encoding: { x: { ...x, field: 'a' }, x2: { field: 'b' }, y: { field: 'f', type: 'ordinal' } }
  };
  const picture = options.heatmapImage;
  const datasets: { [name: string]: unknown[] } = {
    ...selected,
    sym,
    ...(picture ? { heat: [{ url: picture.url }], bands: bandRows(layer, inputLength) } : {}),
    ...(picture ? {} : { act: activationRows(layer, inputLength) })
  };
  // Small layers: one rectangle per cell, with tooltips. Large ones (a Basset-size layer has
  // 175 000 cells, which Vega draws for seconds and redraws on every change): one picture,
  // under one transparent band per filter for clicks, and an invisible layer for the legend.
  const heatmapLayers = picture
    ? [
        {
          data: { name: 'heat' },
          mark: {
            type: 'image',
            ...pictureBox(bandExtent(layer, inputLength), xDomain, width),
            height,
            baseline: 'top',
            align: 'left',
            aspect: false,
            smooth: false,
            clip: true
          },
          encoding: { y: { value: 0 }, url: { field: 'url', type: 'nominal' } }
        },
        {
          data: { name: 'bands' },
          params: [pick],
          mark: { type: 'rect', fill: 'white', fillOpacity: 0.001, cursor: 'pointer', clip: true },
          encoding: {
            x: { ...x, field: 'a', title: xTitle },
            x2: { field: 'b' },
            y: filterAxis,
            color: { datum: actDomain[0], type: 'quantitative', ...actColor },
            tooltip: [{ field: 'f', title: 'filter' }]
          }
        },
        outline
      ]
    : [
        {
          data: { name: 'act' },
          params: [pick],
          mark: { type: 'rect', clip: true, cursor: 'pointer' },
          encoding: {
            x: { ...x, field: 'x0', title: xTitle },
            x2: { field: 'x1' },
            y: filterAxis,
            color: { field: 'v', type: 'quantitative', ...actColor },
            tooltip: [
              { field: 'f', title: 'filter' },
              { field: 'p', title: 'output position' },
              { field: 'v', title: 'activation', format: '.4g' }
            ]
          }
        },
        outline
      ];
  const heatmap = {
    title: 'Activation of every filter (click a row to select its filter)',
    width,
    height,
    layer: heatmapLayers
  };

  const lineTooltip = [
    { field: 'p', title: 'output position' },
    { field: 'lo', title: 'reads input from' },
    { field: 'hi', title: 'to' },
    { field: 'v', title: 'activation', format: '.4g' }
  ];
  const line = {
    title:
      'Activation of the selected filter along the sequence (drag to select positions, click to pick one for maximization)',
    width,
    height: 140,
    data: { name: 'line' },
    encoding: {
      x: { ...x, title: xTitle },
      y: { field: 'v', type: 'quantitative', title: 'activation' },
      tooltip: lineTooltip
    },
    layer: [
      {
        params: [
          {
            name: SIGNALS.brush,
            select: { type: 'interval', encodings: ['x'] },
            ...(options.brush ? { value: { x: options.brush } } : {})
          }
        ],
        mark: { type: 'line', clip: true }
      },
      {
        // A click picks the output position that activation maximization then targets. The
        // selection sits on the points: Vega-Lite finds the nearest one only for point marks.
        params: [
          {
            name: SIGNALS.position,
            select: {
              type: 'point',
              fields: ['p'],
              on: 'click',
              nearest: true,
              clear: false,
              toggle: false
            }
          }
        ],
        mark: { type: 'point', filled: true, size: 18, clip: true, cursor: 'pointer' }
      }
    ]
  };

  // The input track: symbols as text where they fit, else (dense one-hot input) one coloured
  // cell per symbol; under them, the brushed outputs' receptive field.
  const inputX = (field: string) => ({
    field,
    type: 'quantitative',
    scale: { domain: [-0.5, inputLength - 0.5], nice: false, zero: false },
    title: null
  });
  const symbolTooltip = [
    { field: 'i', title: 'position' },
    { field: 's', title: 'symbol' }
  ];
  const inputRow = {
    y: { datum: 'input', type: 'nominal', axis: { title: null, ticks: false, domain: false } }
  };
  const symbolLayer = showText
    ? {
        data: { name: 'sym' },
        mark: {
          type: 'text',
          baseline: 'middle',
          align: options.words ? 'right' : 'center',
          angle: options.words ? 300 : 0,
          fontSize: options.words ? 10 : 11,
          clip: true
        },
        encoding: { x: inputX('i'), text: { field: 's' }, ...inputRow, tooltip: symbolTooltip }
      }
    : {
        data: { name: 'sym' },
        transform: [
          { calculate: 'datum.i - 0.5', as: 'i0' },
          { calculate: 'datum.i + 0.5', as: 'i1' }
        ],
        mark: { type: 'rect', clip: true },
        encoding: {
          x: inputX('i0'),
          x2: { field: 'i1' },
          color: { field: 's', type: 'nominal', title: 'symbol' },
          ...inputRow,
          tooltip: symbolTooltip
        }
      };
  const track = {
    title: aligned ? "Input (the selected positions' receptive field is highlighted)" : 'Input',
    width,
    height: options.words ? 70 : 24,
    // The highlight comes after the symbols: opaque symbol cells would hide it.
    layer: [
      symbolLayer,
      {
        data: { name: 'line' },
        transform: [
          { filter: { param: SIGNALS.brush, empty: false } },
          {
            aggregate: [
              { op: 'min', field: 'lo', as: 'lo' },
              { op: 'max', field: 'hi', as: 'hi' }
            ]
          },
          { calculate: 'datum.lo - 0.5', as: 'a' },
          { calculate: 'datum.hi + 0.5', as: 'b' }
        ],
        mark: {
          type: 'rect',
          fill: '#ff7f0e',
          fillOpacity: 0.3,
          stroke: '#ff7f0e',
          strokeWidth: 2
        },
        encoding: { x: inputX('a'), x2: { field: 'b' } }
      }
    ]
  };

  const kerDomain = colorDomain(layer.kernel, true);
  const kernelHeat = {
    title: 'Kernel of the selected filter',
    width: clamp(layer.info.kernelSize * 22, 120, 420),
    height: clamp(inputChannels * 16, 60, 320),
    data: { name: 'kernel' },
    mark: 'rect',
    encoding: {
      x: { field: 'k', type: 'ordinal', title: 'kernel position', axis: { labelAngle: 0 } },
      y: {
        field: 'c',
        type: 'ordinal',
        title: 'input channel',
        sort: { field: 'ci' },
        axis: inputChannels > 20 ? { labelOverlap: true } : {}
      },
      color: {
        field: 'w',
        type: 'quantitative',
        title: 'weight',
        scale: { scheme: 'blueorange', domain: kerDomain, domainMid: 0 }
      },
      tooltip: [
        { field: 'k', title: 'kernel position' },
        { field: 'c', title: 'input channel' },
        { field: 'w', title: 'weight', format: '.4g' }
      ]
    }
  };

  const kernelLines = {
    title: 'Kernel weights per input channel',
    width: clamp(layer.info.kernelSize * 22, 160, 420),
    height: 160,
    data: { name: 'kernel' },
    mark: { type: 'line', point: inputChannels <= 10 },
    encoding: {
      x: { field: 'k', type: 'quantitative', title: 'kernel position', axis: { tickMinStep: 1 } },
      y: { field: 'w', type: 'quantitative', title: 'weight' },
      color: {
        field: 'c',
        type: 'nominal',
        title: 'channel',
        sort: { field: 'ci' },
        legend: inputChannels <= 20 ? {} : null
      },
      detail: { field: 'ci' },
      tooltip: [
        { field: 'k', title: 'kernel position' },
        { field: 'c', title: 'input channel' },
        { field: 'w', title: 'weight', format: '.4g' }
      ]
    }
  };

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    datasets,
    vconcat: [
      { vconcat: [heatmap, line, track], resolve: { scale: { color: 'independent' } } },
      { hconcat: [kernelHeat, kernelLines], resolve: { scale: { color: 'independent' } } }
    ],
    resolve: { scale: { color: 'independent' } },
    config: VIEW_CONFIG
  } as unknown as TopLevelSpec;
}
