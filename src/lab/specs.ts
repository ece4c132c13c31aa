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
  filter: 'filter',
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
  const span = layer.span;
  const rows: ActivationRow[] = new Array(layer.length * filters);
  for (let p = 0; p < layer.length; p++) {
    const start = span ? span.start + p * span.jump : p;
    const size = span ? span.size : 1;
    const step = span ? span.jump : 1;
    const x = start + (size - 1) / 2;
    const lo = Math.max(0, start);
    const hi = Math.min(inputLength - 1, start + size - 1);
    for (let f = 0; f < filters; f++) {
      const v = layer.activations[p * filters + f];
      rows[p * filters + f] = { f, p, x, x0: x - step / 2, x1: x + step / 2, lo, hi, v };
    }
  }
  return rows;
}

/**
 * The kernel as rows, from Keras' `[k][inChannel][filter]` layout.
 *
 * @param layer - the layer's data
 * @returns one row per filter, tap and input channel
 */
export function kernelRows(layer: LayerData): KernelRow[] {
  const { filters, kernelSize, inputChannels } = layer.info;
  const rows: KernelRow[] = [];
  for (let k = 0; k < kernelSize; k++) {
    for (let ci = 0; ci < inputChannels; ci++) {
      for (let f = 0; f < filters; f++) {
        const w = layer.kernel[(k * inputChannels + ci) * filters + f];
        rows.push({ f, k, ci, c: layer.channels[ci] ?? `in${ci}`, w });
      }
    }
  }
  return rows;
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

const ofFilter = { filter: `datum.f == ${SIGNALS.filter}` };

/**
 * The whole explorer for one layer: filters × positions heatmap, the selected filter's
 * activation along the input, the input symbols (with the brushed receptive field), and the
 * selected filter's kernel as a heatmap and as lines per input channel. Linked through the
 * `filter` signal; a click on a heatmap row sets the `pick` selection.
 *
 * @param layer - the layer's data
 * @param symbols - one label per input position
 * @param options - first filter, width, word labels
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
  const act = activationRows(layer, inputLength);
  const ker = kernelRows(layer);
  const sym: SymbolRow[] = symbols.map((s, i) => ({ i, s }));
  const aligned = layer.span !== null;
  const xDomain = aligned ? [-0.5, inputLength - 0.5] : [-0.5, layer.length - 0.5];
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

  const heatmap = {
    title: 'Activation of every filter (click a row to select its filter)',
    width,
    height: clamp(filters * 6, 60, 360),
    data: { name: 'act' },
    layer: [
      {
        params: [
          {
            name: SIGNALS.pick,
            select: { type: 'point', fields: ['f'], on: 'click', clear: false, toggle: false }
          }
        ],
        mark: { type: 'rect', clip: true, cursor: 'pointer' },
        encoding: {
          x: { ...x, field: 'x0', title: xTitle },
          x2: { field: 'x1' },
          y: {
            field: 'f',
            type: 'ordinal',
            title: 'filter',
            axis: filters > 16 ? { labelOverlap: true } : {}
          },
          color: {
            field: 'v',
            type: 'quantitative',
            title: 'activation',
            scale: diverging
              ? { scheme: 'redblue', reverse: true, domain: actDomain, domainMid: 0 }
              : { scheme: 'viridis', domain: actDomain }
          },
          tooltip: [
            { field: 'f', title: 'filter' },
            { field: 'p', title: 'output position' },
            { field: 'v', title: 'activation', format: '.4g' }
          ]
        }
      },
      {
        transform: [
          ofFilter,
          {
            aggregate: [
              { op: 'min', field: 'x0', as: 'a' },
              { op: 'max', field: 'x1', as: 'b' }
            ],
            groupby: ['f']
          }
        ],
        mark: { type: 'rect', fillOpacity: 0, stroke: '#ff7f0e', strokeWidth: 2, clip: true },
        encoding: {
          x: { ...x, field: 'a' },
          x2: { field: 'b' },
          y: { field: 'f', type: 'ordinal' }
        }
      }
    ]
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
    data: { name: 'act' },
    transform: [ofFilter],
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
        data: { name: 'act' },
        transform: [
          ofFilter,
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
    data: { name: 'ker' },
    transform: [ofFilter],
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
    data: { name: 'ker' },
    transform: [ofFilter],
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
    params: [{ name: SIGNALS.filter, value: options.filter }],
    datasets: { act, ker, sym },
    vconcat: [
      { vconcat: [heatmap, line, track], resolve: { scale: { color: 'independent' } } },
      { hconcat: [kernelHeat, kernelLines], resolve: { scale: { color: 'independent' } } }
    ],
    resolve: { scale: { color: 'independent' } },
    config: VIEW_CONFIG
  } as unknown as TopLevelSpec;
}
