/**
 * A sequence logo as a layered Vega-Lite view: the letters painted outside Vega
 * (picture.ts) in an `image` mark that covers the plot exactly, the axes (position along
 * x, the heights' unit along y, over a fixed domain), and one transparent rectangle per
 * letter box on top, which carries its tooltip. The view reads two named data sets, the
 * letters' rows (`logoRows`) and the picture's row (`{ url }`), so a caller can swap both
 * in place (`view.data(name, rows)`) without embedding the view again. Payload strings
 * (symbols) are data only; the one expression is a constant (`cellEdges`).
 */
import type { LogoBox } from './layout';
import {
  cellEdges,
  positionX,
  tip,
  type Layer,
  type LayeredView,
  type Tooltip
} from '../specParts';

/** One letter box as the view's rows hold it. */
export interface LogoRow {
  /** The position (column), from 0. */
  i: number;
  /** The symbol. */
  s: string;
  /** The letter's height (`LogoBox.value`). */
  v: number;
  /** The box's lower and upper edge. */
  y0: number;
  y1: number;
}

/** The picture's row: the painted logo (`logoPictureUrl`). */
export interface LogoPictureRow {
  url: string;
}

/** Names of the two data sets a logo view reads. */
export interface LogoDataNames {
  /** The letters' rows (`LogoRow`). */
  boxes: string;
  /** The picture's one row (`LogoPictureRow`). */
  picture: string;
}

/** The data set names a logo view reads unless told otherwise. */
export const LOGO_DATA: Readonly<LogoDataNames> = { boxes: 'logo', picture: 'logoPicture' };

/**
 * How a logo view is laid out. Its axis and tooltip titles are compiled into Vega's
 * tooltip expressions: constants of our code only, never payload strings (a layer's name,
 * a symbol); the view's title is shown as text only.
 */
export interface LogoViewOptions {
  /** Plot width in CSS pixels: the picture's width. */
  width: number;
  /** Plot height in CSS pixels: the picture's height. */
  height: number;
  /** Positions along x: 0 to `positions - 1`, each a column one unit wide. */
  positions: number;
  /** The y domain, in the heights' unit: the picture's `yDomain`. */
  yDomain: [number, number];
  /** The y axis' title, the heights' unit (default `bits`). */
  yTitle?: string;
  /** The x axis' title (default `position`; null: none). */
  xTitle?: string | null;
  /** The view's title. */
  title?: string;
  /** The data sets' names (default `LOGO_DATA`). */
  data?: LogoDataNames;
  /**
   * The letters' tooltip, over `LogoRow`'s fields and any the caller adds (default:
   * position, symbol, height).
   */
  tooltip?: Tooltip;
}

/**
 * The view's rows of a layout's boxes.
 *
 * @param boxes - the layout (`logoLayout`)
 * @param symbols - the symbol of each symbol index (`?` where there is none)
 * @returns one row per box, in the layout's order
 */
export function logoRows(boxes: readonly LogoBox[], symbols: readonly string[]): LogoRow[] {
  return boxes.map(box => ({
    i: box.position,
    s: symbols[box.symbol] ?? '?',
    v: box.value,
    y0: box.y0,
    y1: box.y1
  }));
}

/** The painted logo, covering the plot exactly (it is painted at the plot's size). */
function pictureLayer(options: LogoViewOptions, data: LogoDataNames): Layer {
  return {
    data: { name: data.picture },
    mark: {
      type: 'image',
      width: options.width,
      height: options.height,
      align: 'left',
      baseline: 'top',
      aspect: false
    },
    encoding: { x: { value: 0 }, y: { value: 0 }, url: { field: 'url', type: 'nominal' } }
  };
}

/** A thin line at 0, between the letters above and below the axis. */
function zeroRule(options: LogoViewOptions): Layer {
  return {
    // A row of its own: the view has no default data set.
    data: { values: [{}] },
    mark: { type: 'rule', color: '#888888', strokeWidth: 1 },
    encoding: {
      y: {
        datum: 0,
        type: 'quantitative',
        scale: { domain: options.yDomain, nice: false, zero: false }
      }
    }
  };
}

/** One transparent box per letter, over the picture: the axes and the tooltips. */
function boxLayer(options: LogoViewOptions, data: LogoDataNames): Layer {
  const yTitle = options.yTitle ?? 'bits';
  return {
    data: { name: data.boxes },
    transform: cellEdges(),
    mark: { type: 'rect', fill: 'white', fillOpacity: 0.001, clip: true },
    encoding: {
      x: {
        ...positionX(
          'i0',
          [-0.5, options.positions - 0.5],
          options.xTitle === undefined ? 'position' : options.xTitle
        ),
        // No vertical lines through the letters.
        axis: { grid: false }
      },
      x2: { field: 'i1' },
      y: {
        field: 'y0',
        type: 'quantitative',
        title: yTitle,
        scale: { domain: options.yDomain, nice: false, zero: false }
      },
      y2: { field: 'y1' },
      tooltip: options.tooltip ?? [
        tip('i', 'position'),
        tip('s', 'symbol'),
        tip('v', yTitle, '.3f')
      ]
    }
  };
}

/**
 * A sequence logo: the picture (`logoPictureUrl`, painted at `width × height` over
 * `yDomain` and `positions`) under one transparent box per letter with its tooltip, the
 * y axis in the heights' unit over the fixed domain, the x axis by position. A line marks
 * 0 when the domain reaches below it.
 *
 * @param options - size, positions, domain, titles, data set names and tooltip
 * @returns the view, reading the data sets `options.data` (default `LOGO_DATA`)
 */
export function logoView(options: LogoViewOptions): LayeredView {
  const data = options.data ?? LOGO_DATA;
  const [lo, hi] = options.yDomain;
  return {
    ...(options.title !== undefined ? { title: options.title } : {}),
    width: options.width,
    height: options.height,
    layer: [
      pictureLayer(options, data),
      ...(lo < 0 && hi > 0 ? [zeroRule(options)] : []),
      boxLayer(options, data)
    ]
  };
}
