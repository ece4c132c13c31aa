/**
 * Vega-Lite specs and rows of the activation-maximization views: one filter's result
 * (loss curve, per-position magnitude, the optimized input as a heatmap, and a sequence
 * logo or the nearest tokens) and the gallery of a batched run over every filter. Pure
 * functions of the worker's snapshot: no DOM, no tfjs. As in specs.ts, payload strings are
 * data values only, never part of an expression.
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import { columnBits, rowColumns, type FlatMatrices } from '../core/pwm';
import { VIEW_CONFIG } from './specs';
import type { RunSnapshot } from './worker/messages';

/** Names of the Vega data sets the view code updates in place while a run goes on. */
export const MAX_DATA = {
  loss: 'loss',
  magnitude: 'magnitude',
  cells: 'cells',
  logo: 'logo',
  words: 'words',
  field: 'field'
} as const;

/** Names of the gallery's selection. */
export const GALLERY_PICK = 'gpick';

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
  logo: { i: number; s: string; p: number; y0: number; y1: number; mid: number }[];
  words: { i: number; w: string; sim: number; alt: string }[];
  field: { a: number; b: number }[];
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

/**
 * The data of one filter's views.
 *
 * @param snapshot - from the worker
 * @param row - the batch row to show
 * @param labels - channel names, vocabulary, softmax, receptive field
 * @returns rows for every named data set (empty where a view does not apply)
 */
export function maximizationRows(
  snapshot: RunSnapshot,
  row: number,
  labels: MaximizationLabels
): MaximizationRows {
  const columns = rowColumns(flatInput(snapshot), row);
  const name = (ci: number) => labels.channels[ci] ?? `in${ci}`;
  const rows: MaximizationRows = {
    loss: Array.from(
      snapshot.losses.subarray(row * snapshot.state.step, (row + 1) * snapshot.state.step),
      (loss, step) => ({ step, loss })
    ),
    magnitude: Array.from(positionSummary(snapshot, row, 1, false), (m, i) => ({ i, m })),
    cells: columns.flatMap((column, i) => column.map((v, ci) => ({ i, c: name(ci), ci, v }))),
    logo: [],
    words: [],
    field: labels.field ? [{ a: labels.field[0] - 0.5, b: labels.field[1] + 0.5 }] : []
  };
  if (labels.softmax) {
    const bits = positionSummary(snapshot, row, 1, true);
    rows.logo = columns.flatMap((column, i) => {
      // Smallest at the bottom, as logos stack them; heights are probability × information.
      let y = 0;
      return column
        .map((p, ci) => ({ p, ci }))
        .sort((a, b) => a.p - b.p)
        .map(({ p, ci }) => {
          const y0 = y;
          y += p * bits[i];
          return { i, s: name(ci), p, y0, y1: y, mid: (y0 + y) / 2 };
        });
    });
  }
  const nearest = snapshot.nearest;
  if (nearest) {
    const word = (id: number) => labels.vocabulary?.[id] ?? String(id);
    rows.words = columns.map((_, i) => {
      const base = (row * columns.length + i) * nearest.count;
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
  return rows;
}

/**
 * The data sets a spec built with these options draws (Vega knows no others).
 *
 * @param options - as for `maximizationSpec`
 * @returns names from `MAX_DATA`
 */
export function drawnData(options: Pick<MaximizationSpecOptions, 'softmax' | 'words'>): string[] {
  return [
    MAX_DATA.loss,
    MAX_DATA.magnitude,
    MAX_DATA.field,
    MAX_DATA.cells,
    ...(options.softmax ? [MAX_DATA.logo] : []),
    ...(options.words ? [MAX_DATA.words] : [])
  ];
}

/** Layout of the maximization views. */
export interface MaximizationSpecOptions {
  /** Width of the sequence views, to line up with the explorer's. */
  width: number;
  /** Input positions. */
  length: number;
  softmax: boolean;
  /** Whether nearest tokens are shown. */
  words: boolean;
  /** Channels of the variable (heatmap height). */
  channels: number;
}

const inputX = (length: number, field = 'i') =>
  ({
    field,
    type: 'quantitative',
    scale: { domain: [-0.5, length - 0.5], nice: false, zero: false },
    title: 'input position'
  }) as const;

/**
 * One filter's maximization views. The data sets start with `rows` and are replaced in
 * place (by name, see `MAX_DATA`) as the run progresses.
 *
 * @param rows - the first rows to show
 * @param options - layout and which views apply
 * @returns a Vega-Lite spec
 */
export function maximizationSpec(
  rows: MaximizationRows,
  options: MaximizationSpecOptions
): TopLevelSpec {
  const { width, length } = options;
  const cellX = [
    { calculate: 'datum.i - 0.5', as: 'i0' },
    { calculate: 'datum.i + 0.5', as: 'i1' }
  ];
  const lossView = {
    title: 'Loss at each step',
    width: 260,
    height: 120,
    data: { name: MAX_DATA.loss },
    mark: { type: 'line', clip: true },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: { field: 'loss', type: 'quantitative', title: 'loss', scale: { zero: false } },
      tooltip: [
        { field: 'step', title: 'step' },
        { field: 'loss', title: 'loss', format: '.5g' }
      ]
    }
  };
  const magnitudeView = {
    title: 'Magnitude of the optimized input at each position (‖x‖₂)',
    width,
    height: 110,
    layer: [
      {
        data: { name: MAX_DATA.field },
        mark: { type: 'rect', fill: '#ff7f0e', fillOpacity: 0.15 },
        encoding: { x: inputX(length, 'a'), x2: { field: 'b' } }
      },
      {
        data: { name: MAX_DATA.magnitude },
        transform: cellX,
        mark: { type: 'rect', clip: true, color: '#4c78a8' },
        encoding: {
          x: inputX(length, 'i0'),
          x2: { field: 'i1' },
          y: { field: 'm', type: 'quantitative', title: '‖x‖' },
          tooltip: [
            { field: 'i', title: 'position' },
            { field: 'm', title: 'magnitude', format: '.4g' }
          ]
        }
      }
    ]
  };
  const heatmapView = {
    title: options.softmax
      ? 'Optimized input: probability of each symbol'
      : 'Optimized input, position × channel',
    width,
    height: Math.min(Math.max(options.channels * 14, 56), 320),
    data: { name: MAX_DATA.cells },
    transform: cellX,
    mark: { type: 'rect', clip: true },
    encoding: {
      x: inputX(length, 'i0'),
      x2: { field: 'i1' },
      y: {
        field: 'c',
        type: 'ordinal',
        title: 'channel',
        sort: { field: 'ci' },
        axis: options.channels > 20 ? { labelOverlap: true } : {}
      },
      color: {
        field: 'v',
        type: 'quantitative',
        title: options.softmax ? 'probability' : 'value',
        scale: options.softmax
          ? { scheme: 'greys', domain: [0, 1] }
          : { scheme: 'blueorange', domainMid: 0 }
      },
      tooltip: [
        { field: 'i', title: 'position' },
        { field: 'c', title: 'channel' },
        { field: 'v', title: 'value', format: '.4g' }
      ]
    }
  };
  const views: object[] = [magnitudeView, heatmapView];
  if (options.softmax) {
    views.push({
      title: 'Sequence logo of the optimized probabilities (height: bits)',
      width,
      height: 110,
      data: { name: MAX_DATA.logo },
      transform: cellX,
      layer: [
        {
          mark: { type: 'rect', clip: true },
          encoding: {
            x: inputX(length, 'i0'),
            x2: { field: 'i1' },
            y: {
              field: 'y0',
              type: 'quantitative',
              title: 'bits',
              scale: { domain: [0, Math.log2(Math.max(2, options.channels))], nice: false }
            },
            y2: { field: 'y1' },
            color: { field: 's', type: 'nominal', title: 'symbol' },
            tooltip: [
              { field: 'i', title: 'position' },
              { field: 's', title: 'symbol' },
              { field: 'p', title: 'probability', format: '.3f' }
            ]
          }
        },
        {
          transform: [{ filter: 'datum.y1 - datum.y0 > 0.25' }],
          mark: {
            type: 'text',
            baseline: 'middle',
            color: 'white',
            fontWeight: 'bold',
            clip: true
          },
          encoding: {
            x: inputX(length),
            y: { field: 'mid', type: 'quantitative' },
            text: { field: 's' }
          }
        }
      ],
      resolve: { scale: { y: 'shared' } }
    });
  }
  if (options.words) {
    views.push({
      title: 'Nearest vocabulary token at each position (cosine similarity)',
      width,
      height: 60,
      data: { name: MAX_DATA.words },
      mark: {
        type: 'text',
        angle: 300,
        align: 'right',
        baseline: 'middle',
        fontSize: 11,
        clip: true
      },
      encoding: {
        x: inputX(length),
        y: { datum: 'token', type: 'nominal', axis: { title: null, ticks: false, domain: false } },
        text: { field: 'w' },
        opacity: {
          field: 'sim',
          type: 'quantitative',
          scale: { domain: [0, 1], range: [0.35, 1] },
          legend: null
        },
        tooltip: [
          { field: 'i', title: 'position' },
          { field: 'alt', title: 'nearest tokens' }
        ]
      }
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    datasets: { ...rows },
    vconcat: [lossView, ...views],
    resolve: { scale: { color: 'independent' } },
    config: VIEW_CONFIG
  } as unknown as TopLevelSpec;
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
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v)) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  return Number.isFinite(min) ? { values, min, max } : { values, min: 0, max: 0 };
}

/** The gallery's picture: one pixel per filter and position, as a data URL (see the panel). */
export interface GalleryImage {
  url: string;
  min: number;
  max: number;
}

/**
 * The gallery of a batched run: every filter's optimized input as one row of a picture
 * (drawn by the panel: 300 filters × 600 positions as Vega rectangles would hold up the
 * page) and its final objective. A click on a row sets the `gpick` selection.
 *
 * @param snapshot - a batched run's snapshot
 * @param options - width, whether the input is probabilities, the layer, one summary per
 *   filter (consensus or nearest words), and the picture
 * @returns a Vega-Lite spec with its data inline
 */
export function gallerySpec(
  snapshot: RunSnapshot,
  options: {
    width: number;
    softmax: boolean;
    layer: string;
    summaries: string[];
    image: GalleryImage;
  }
): TopLevelSpec {
  const { filters, length } = snapshot.state;
  const finals = filters.map((f, row) => ({
    f,
    a: snapshot.state.activations[row],
    s: options.summaries[row] ?? '',
    on: snapshot.state.everActive[row] ? 'yes' : 'never'
  }));
  const height = Math.min(Math.max(filters.length * 8, 60), 600);
  const y = {
    field: 'f',
    type: 'ordinal',
    title: 'filter',
    axis: filters.length > 24 ? { labelOverlap: true } : {}
  };
  const tooltip = [
    { field: 'f', title: 'filter' },
    { field: 'a', title: 'objective', format: '.4g' },
    { field: 's', title: 'reads' },
    { field: 'on', title: 'ever active' }
  ];
  const { min, max } = options.image;
  const what = options.softmax ? 'information (bits)' : '‖x‖';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    datasets: { finals, picture: [{ url: options.image.url }] },
    hconcat: [
      {
        title: `Every filter of ${options.layer}, maximized together: ${what} from ${min.toPrecision(3)} (dark) to ${max.toPrecision(3)} (bright); click a row to open it`,
        width: options.width,
        height,
        layer: [
          {
            data: { name: 'picture' },
            mark: {
              type: 'image',
              width: options.width,
              height,
              align: 'left',
              baseline: 'top',
              aspect: false,
              smooth: false
            },
            encoding: {
              x: { value: 0 },
              y: { value: 0 },
              url: { field: 'url', type: 'nominal' }
            }
          },
          {
            // One nearly transparent band per filter, over the picture: clicks and tooltips.
            data: { name: 'finals' },
            params: [
              {
                name: GALLERY_PICK,
                select: { type: 'point', fields: ['f'], on: 'click', clear: false, toggle: false }
              }
            ],
            mark: { type: 'rect', fill: 'white', fillOpacity: 0.001, cursor: 'pointer' },
            encoding: {
              x: {
                datum: -0.5,
                type: 'quantitative',
                scale: { domain: [-0.5, length - 0.5], nice: false, zero: false },
                title: 'input position'
              },
              x2: { datum: length - 0.5 },
              y,
              tooltip
            }
          }
        ]
      },
      {
        title: 'Objective reached',
        width: 120,
        height,
        data: { name: 'finals' },
        mark: { type: 'bar', cursor: 'pointer' },
        encoding: {
          y,
          x: { field: 'a', type: 'quantitative', title: 'activation' },
          color: {
            field: 'on',
            type: 'nominal',
            title: 'ever active',
            scale: { domain: ['yes', 'never'], range: ['#4c78a8', '#bbbbbb'] }
          },
          tooltip
        }
      }
    ],
    config: VIEW_CONFIG
  } as unknown as TopLevelSpec;
}
