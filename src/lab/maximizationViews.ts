/**
 * The builders of the activation-maximization views, one per view: the loss curve, the
 * per-position magnitude (with the receptive field), the optimized input as a heatmap, the
 * sequence logo and the nearest tokens of one filter's result; the picture and the
 * objective bars of the gallery. Each returns a typed Vega-Lite view over the named data
 * sets (`MAX_DATA`, the gallery's `finals` and `picture`); maximizationSpecs.ts composes
 * them. Payload strings are data only; the only expressions are specParts.ts' constants.
 */
import { rampScale } from './colors';
import { maxBits } from './logo/information';
import { logoView, type LogoViewOptions } from './logo/view';
import {
  HIGHLIGHT,
  cellEdges,
  clamp,
  clickBand,
  clickSelection,
  inputX,
  inputXDatum,
  rowsY,
  tip,
  type LayeredView,
  type Tooltip,
  type UnitView
} from './specParts';

/** Names of the Vega data sets the view code updates in place while a run goes on. */
export const MAX_DATA = {
  loss: 'loss',
  magnitude: 'magnitude',
  cells: 'cells',
  logo: 'logo',
  logoPicture: 'logoPicture',
  words: 'words',
  field: 'field'
} as const;

/** Names of the gallery's selection. */
export const GALLERY_PICK = 'gpick';

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

/** The input-position axis of the maximization views. */
function positionAxis(length: number, field = 'i'): ReturnType<typeof inputX> {
  return inputX(length, field, 'input position');
}

/**
 * The loss at each step of the run.
 *
 * @returns the view
 */
export function lossView(): UnitView {
  return {
    title: 'Loss at each step',
    width: 260,
    height: 120,
    data: { name: MAX_DATA.loss },
    mark: { type: 'line', clip: true },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: { field: 'loss', type: 'quantitative', title: 'loss', scale: { zero: false } },
      tooltip: [tip('step', 'step'), tip('loss', 'loss', '.5g')]
    }
  };
}

/**
 * The optimized input's magnitude at each position, over the receptive field of the
 * maximized output position.
 *
 * @param options - layout
 * @returns the view
 */
export function magnitudeView(options: MaximizationSpecOptions): LayeredView {
  const { width, length } = options;
  return {
    title: 'Magnitude of the optimized input at each position (‖x‖₂)',
    width,
    height: 110,
    layer: [
      {
        data: { name: MAX_DATA.field },
        mark: { type: 'rect', fill: HIGHLIGHT, fillOpacity: 0.15 },
        encoding: { x: positionAxis(length, 'a'), x2: { field: 'b' } }
      },
      {
        data: { name: MAX_DATA.magnitude },
        transform: cellEdges(),
        mark: { type: 'rect', clip: true, color: '#4c78a8' },
        encoding: {
          x: positionAxis(length, 'i0'),
          x2: { field: 'i1' },
          y: { field: 'm', type: 'quantitative', title: '‖x‖' },
          tooltip: [tip('i', 'position'), tip('m', 'magnitude', '.4g')]
        }
      }
    ]
  };
}

/**
 * The optimized input as a position × channel heatmap: probabilities in greys, other
 * values blue-orange with white at zero.
 *
 * @param options - layout and whether the input is probabilities
 * @returns the view
 */
export function optimizedInputView(options: MaximizationSpecOptions): UnitView {
  const { width, length, softmax, channels } = options;
  return {
    title: softmax
      ? 'Optimized input: probability of each symbol'
      : 'Optimized input, position × channel',
    width,
    height: clamp(channels * 14, 56, 320),
    data: { name: MAX_DATA.cells },
    transform: cellEdges(),
    mark: { type: 'rect', clip: true },
    encoding: {
      x: positionAxis(length, 'i0'),
      x2: { field: 'i1' },
      y: rowsY('c', 'channel', channels, 20, 'ci'),
      color: {
        field: 'v',
        type: 'quantitative',
        title: softmax ? 'probability' : 'value',
        scale: rampScale(
          softmax ? { scheme: 'greys', domain: [0, 1] } : { scheme: 'blueorange', mid: 0 }
        )
      },
      tooltip: [tip('i', 'position'), tip('c', 'channel'), tip('v', 'value', '.4g')]
    }
  };
}

/** Where the sequence logo's letters lie: its size, positions and height domain. */
export type SequenceLogoFrame = Pick<LogoViewOptions, 'width' | 'height' | 'positions' | 'yDomain'>;

/**
 * The sequence logo's frame, the same for its view and its picture (painted by the panel
 * at this size): the sequence views' width, 110 px high, 0 to `log2(channels)` bits.
 *
 * @param options - layout
 * @returns the frame
 */
export function sequenceLogoFrame(options: MaximizationSpecOptions): SequenceLogoFrame {
  return {
    width: options.width,
    height: 110,
    positions: options.length,
    yDomain: [0, maxBits(options.channels)]
  };
}

/**
 * The sequence logo of the optimized probabilities: at each position the symbols as
 * letters stretched to probability × bits, the most probable on top (a picture, `logo`'s
 * letters painted into `logoPicture`), each letter's tooltip over it.
 *
 * @param options - layout
 * @returns the view
 */
export function sequenceLogoView(options: MaximizationSpecOptions): LayeredView {
  return logoView({
    ...sequenceLogoFrame(options),
    title: 'Sequence logo of the optimized probabilities (height: bits)',
    yTitle: 'bits',
    xTitle: 'input position',
    data: { boxes: MAX_DATA.logo, picture: MAX_DATA.logoPicture },
    tooltip: [
      tip('i', 'position'),
      tip('s', 'symbol'),
      tip('p', 'probability', '.3f'),
      tip('v', 'bits', '.3f')
    ]
  });
}

/**
 * The nearest vocabulary token at each position, fainter the less similar.
 *
 * @param options - layout
 * @returns the view
 */
export function nearestTokensView(options: MaximizationSpecOptions): UnitView {
  return {
    title: 'Nearest vocabulary token at each position (cosine similarity)',
    width: options.width,
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
      x: positionAxis(options.length),
      y: { datum: 'token', type: 'nominal', axis: { title: null, ticks: false, domain: false } },
      text: { field: 'w' },
      opacity: {
        field: 'sim',
        type: 'quantitative',
        scale: { domain: [0, 1], range: [0.35, 1] },
        legend: null
      },
      tooltip: [tip('i', 'position'), tip('alt', 'nearest tokens')]
    }
  };
}

/** How the gallery is laid out. */
export interface GalleryFrame {
  /** Width of the picture. */
  width: number;
  /** Height of both views. */
  height: number;
  /** Input positions. */
  length: number;
  /** Filters shown. */
  filters: number;
}

/** The gallery's y axis: one row per filter. */
function galleryRowsY(frame: GalleryFrame): ReturnType<typeof rowsY> {
  return rowsY('f', 'filter', frame.filters, 24);
}

/** The gallery's tooltip of a filter. */
function galleryTooltip(): Tooltip {
  return [
    tip('f', 'filter'),
    tip('a', 'objective', '.4g'),
    tip('s', 'reads'),
    tip('on', 'ever active')
  ];
}

/**
 * Every filter's optimized input as one row of a picture (`picture`), under one nearly
 * transparent band per filter (`finals`) for clicks (the `gpick` selection) and tooltips.
 *
 * @param frame - the gallery's layout
 * @param title - the view's title
 * @returns the view
 */
export function galleryPictureView(frame: GalleryFrame, title: string): LayeredView {
  const { width, height, length } = frame;
  return {
    title,
    width,
    height,
    layer: [
      {
        data: { name: 'picture' },
        mark: {
          type: 'image',
          width,
          height,
          align: 'left',
          baseline: 'top',
          aspect: false,
          smooth: false
        },
        encoding: { x: { value: 0 }, y: { value: 0 }, url: { field: 'url', type: 'nominal' } }
      },
      {
        // One nearly transparent band per filter, over the picture: clicks and tooltips.
        data: { name: 'finals' },
        params: [clickSelection(GALLERY_PICK, 'f')],
        mark: clickBand(false),
        encoding: {
          x: inputXDatum(length, -0.5),
          x2: { datum: length - 0.5 },
          y: galleryRowsY(frame),
          tooltip: galleryTooltip()
        }
      }
    ]
  };
}

/**
 * The objective each filter reached, as bars, grey for filters that never fired.
 *
 * @param frame - the gallery's layout
 * @returns the view
 */
export function galleryObjectiveView(frame: GalleryFrame): UnitView {
  return {
    title: 'Objective reached',
    width: 120,
    height: frame.height,
    data: { name: 'finals' },
    mark: { type: 'bar', cursor: 'pointer' },
    encoding: {
      y: galleryRowsY(frame),
      x: { field: 'a', type: 'quantitative', title: 'activation' },
      color: {
        field: 'on',
        type: 'nominal',
        title: 'ever active',
        scale: { domain: ['yes', 'never'], range: ['#4c78a8', '#bbbbbb'] }
      },
      tooltip: galleryTooltip()
    }
  };
}
