/**
 * The dataset view's Vega-Lite spec for the selected filter: its logo (one-hot inputs), the histogram of its largest
 * activation per sequence, with the cutoff marked and, for numeric inputs, the mean and
 * spread of its sites' windows per channel. Pure; the rows are named data sets the panel
 * swaps when the filter changes, without re-embedding.
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import { logoView, type LogoPictureRow, type LogoRow } from '../logo/view';
import { SCHEMA, VIEW_CONFIG, tip, type LayeredView } from '../specParts';

/** The data sets the panel swaps by name. */
export const DATASET_DATA = {
  histogram: 'dsHistogram',
  cutoff: 'dsCutoff',
  shape: 'dsShape',
  logo: 'dsLogo',
  logoPicture: 'dsLogoPicture'
} as const;

/** The logo's height in CSS pixels. */
export const DATASET_LOGO_HEIGHT = 110;

/** The selected filter's rows. */
export interface DatasetRows {
  /** One row per sequence: its largest activation of the filter. */
  [DATASET_DATA.histogram]: { x0: number; x1: number; count: number }[];
  /** One row: the filter's site cutoff. */
  [DATASET_DATA.cutoff]: { cutoff: number }[];
  /** Numeric inputs: per window position and channel, the sites' mean and spread. */
  [DATASET_DATA.shape]: { i: number; channel: string; mean: number; lo: number; hi: number }[];
  /** One-hot inputs: the logo's letters, and its picture (painted at the logo's size). */
  [DATASET_DATA.logo]: LogoRow[];
  [DATASET_DATA.logoPicture]: LogoPictureRow[];
}

/** What the spec is laid out for. */
export interface DatasetSpecOptions {
  width: number;
  /** Numeric inputs: draw the window shape. */
  shape: boolean;
  /** One-hot inputs: the logo's positions (the window) and its height in bits. */
  logo: { positions: number; bits: number } | null;
}

function histogramView(width: number): LayeredView {
  return {
    title: 'Largest activation per sequence (the line: the site cutoff)',
    width,
    height: 120,
    layer: [
      {
        data: { name: DATASET_DATA.histogram },
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'x0', type: 'quantitative', title: 'largest activation in the sequence' },
          x2: { field: 'x1' },
          y: { field: 'count', type: 'quantitative', title: 'sequences' },
          tooltip: [tip('x0', 'from', '.3g'), tip('x1', 'to', '.3g'), tip('count', 'sequences')]
        }
      },
      {
        data: { name: DATASET_DATA.cutoff },
        mark: { type: 'rule', color: '#d62728', strokeDash: [4, 3], strokeWidth: 2 },
        encoding: {
          x: { field: 'cutoff', type: 'quantitative' },
          tooltip: [tip('cutoff', 'site cutoff', '.3g')]
        }
      }
    ]
  };
}

function shapeView(width: number): LayeredView {
  const x = { field: 'i', type: 'quantitative', title: 'position in the window' } as const;
  const color = { field: 'channel', type: 'nominal', title: 'channel' } as const;
  return {
    title: "The sites' windows: mean ± one standard deviation per channel",
    width,
    height: 140,
    data: { name: DATASET_DATA.shape },
    layer: [
      {
        mark: { type: 'area', opacity: 0.2 },
        encoding: {
          x,
          y: { field: 'lo', type: 'quantitative', title: 'value' },
          y2: { field: 'hi' },
          color
        }
      },
      {
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative' },
          color,
          tooltip: [tip('i', 'position'), tip('channel', 'channel'), tip('mean', 'mean', '.3g')]
        }
      }
    ]
  };
}

/**
 * The logo's width: about 24 px per window position, within the view's width.
 *
 * @param width - the view's width
 * @param positions - the window's positions
 * @returns CSS pixels
 */
export function logoWidth(width: number, positions: number): number {
  return Math.min(width, Math.max(120, positions * 24));
}

/**
 * The data sets a spec reads, for its options (a view left out reads none).
 *
 * @param options - what the spec draws
 * @returns the data set names
 */
export function datasetNames(options: DatasetSpecOptions): (keyof DatasetRows)[] {
  return [
    DATASET_DATA.histogram,
    DATASET_DATA.cutoff,
    ...(options.shape ? [DATASET_DATA.shape] : []),
    ...(options.logo ? [DATASET_DATA.logo, DATASET_DATA.logoPicture] : [])
  ];
}

/**
 * The selected filter's dataset views.
 *
 * @param rows - the filter's rows (see `DatasetRows`)
 * @param options - width, and whether to draw the numeric window shape
 * @returns a Vega-Lite spec with its data in named data sets
 */
export function datasetSpec(rows: DatasetRows, options: DatasetSpecOptions): TopLevelSpec {
  return {
    $schema: SCHEMA,
    datasets: Object.fromEntries(datasetNames(options).map(name => [name, rows[name]])),
    vconcat: [
      ...(options.logo
        ? [
            logoView({
              title: "Motif of the filter's sites over the set (height: bits)",
              width: logoWidth(options.width, options.logo.positions),
              height: DATASET_LOGO_HEIGHT,
              positions: options.logo.positions,
              yDomain: [0, options.logo.bits],
              xTitle: 'position in the window',
              data: { boxes: DATASET_DATA.logo, picture: DATASET_DATA.logoPicture }
            })
          ]
        : []),
      ...(options.shape ? [shapeView(options.width)] : []),
      histogramView(options.width)
    ],
    config: VIEW_CONFIG
  };
}
