/**
 * The builders of the explorer's views, one per view: the filters × positions heatmap
 * (rectangles, or one picture with click bands), the selected filter's activation line,
 * the input track, and the kernel as a heatmap and as lines. Each returns a typed
 * Vega-Lite view over the named datasets of `explorerSpec` (specs.ts), which composes them.
 * Every expression is written here or in specParts.ts; payload strings are data only.
 */
import type { LayerData } from './compute';
import { bandExtent } from './explorerRows';
import { activationRamp, colorDomain, kernelRamp, rampScale, type PictureRamp } from './colors';
import {
  HIGHLIGHT,
  cellEdges,
  clamp,
  clickBand,
  clickSelection,
  inputX,
  positionX,
  rowsY,
  tip,
  type Layer,
  type LayeredView,
  type Tooltip,
  type UnitView
} from './specParts';

/** Names of the Vega signals and selections the view code talks to. */
export const SIGNALS = {
  pick: 'pick',
  brush: 'brush',
  position: 'at'
} as const;

/** The heatmap as a picture, painted by the view (`heatmapImage` in heatmapPicture.ts). */
export interface HeatmapImage {
  url: string;
}

/** What every view of one layer's explorer is laid out by. */
export interface ExplorerFrame {
  layer: LayerData;
  /** Positions in the input sequence. */
  inputLength: number;
  /** Width in pixels of the sequence views. */
  width: number;
  /** Whether symbols are words (token models). */
  words: boolean;
  /** Whether the layer's positions are placed in the input (its span is known). */
  aligned: boolean;
  /** The x domain of the heatmap and the line. */
  xDomain: [number, number];
  /** Their x axis title. */
  xTitle: string;
}

/**
 * The frame of one layer's views.
 *
 * @param layer - the layer's data
 * @param inputLength - positions in the input sequence
 * @param width - width in pixels of the sequence views
 * @param words - whether symbols are words
 * @returns the frame
 */
export function explorerFrame(
  layer: LayerData,
  inputLength: number,
  width: number,
  words: boolean
): ExplorerFrame {
  const aligned = layer.span !== null;
  return {
    layer,
    inputLength,
    width,
    words,
    aligned,
    xDomain: aligned ? [-0.5, inputLength - 0.5] : [-0.5, layer.length - 0.5],
    // Vega-Lite also writes the axis title into tooltip expressions: no payload string in it
    // (the layer's name is in the layer menu).
    xTitle: aligned ? 'input position' : 'position in this layer (input alignment unknown)'
  };
}

/**
 * The colours of a layer's activations, the same for the heatmap's rectangles, its legend
 * and its picture.
 *
 * @param layer - the layer's data
 * @returns the ramp over the activations' domain
 */
export function activationColors(layer: LayerData): PictureRamp {
  return activationRamp(colorDomain(layer.activations, false));
}

/** The heatmap's height: 6 px a filter, between 60 and 360. */
function heatmapHeight(frame: ExplorerFrame): number {
  return clamp(frame.layer.info.filters * 6, 60, 360);
}

/** The heatmap's y axis: one row per filter. */
function filterRows(frame: ExplorerFrame): ReturnType<typeof rowsY> {
  return rowsY('f', 'filter', frame.layer.info.filters, 16);
}

/** The heatmap's colour legend and scale. */
function activationColor(frame: ExplorerFrame): {
  title: string;
  scale: ReturnType<typeof rampScale>;
} {
  return { title: 'activation', scale: rampScale(activationColors(frame.layer)) };
}

/** One rectangle per filter and position, with tooltips; a click selects the filter. */
function heatmapCells(frame: ExplorerFrame): Layer {
  return {
    data: { name: 'act' },
    params: [clickSelection(SIGNALS.pick, 'f')],
    mark: { type: 'rect', clip: true, cursor: 'pointer' },
    encoding: {
      x: positionX('x0', frame.xDomain, frame.xTitle),
      x2: { field: 'x1' },
      y: filterRows(frame),
      color: { field: 'v', type: 'quantitative', ...activationColor(frame) },
      tooltip: [tip('f', 'filter'), tip('p', 'output position'), tip('v', 'activation', '.4g')]
    }
  };
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

/** The heatmap painted as one picture (`heat`), placed over the cells' extent. */
function heatmapPicture(frame: ExplorerFrame): Layer {
  return {
    data: { name: 'heat' },
    mark: {
      type: 'image',
      ...pictureBox(bandExtent(frame.layer, frame.inputLength), frame.xDomain, frame.width),
      height: heatmapHeight(frame),
      baseline: 'top',
      align: 'left',
      aspect: false,
      smooth: false,
      clip: true
    },
    encoding: { y: { value: 0 }, url: { field: 'url', type: 'nominal' } }
  };
}

/** One transparent band per filter over the picture: clicks, tooltips, and the legend. */
function heatmapBands(frame: ExplorerFrame): Layer {
  const ramp = activationColors(frame.layer);
  return {
    data: { name: 'bands' },
    params: [clickSelection(SIGNALS.pick, 'f')],
    mark: clickBand(true),
    encoding: {
      x: positionX('a', frame.xDomain, frame.xTitle),
      x2: { field: 'b' },
      y: filterRows(frame),
      color: { datum: ramp.domain[0], type: 'quantitative', ...activationColor(frame) },
      tooltip: [tip('f', 'filter')]
    }
  };
}

/** The outline of the selected filter's row (`selected`). */
function selectedOutline(frame: ExplorerFrame): Layer {
  return {
    data: { name: 'selected' },
    mark: { type: 'rect', fillOpacity: 0, stroke: HIGHLIGHT, strokeWidth: 2, clip: true },
    encoding: {
      x: positionX('a', frame.xDomain),
      x2: { field: 'b' },
      y: { field: 'f', type: 'ordinal' }
    }
  };
}

/**
 * The heatmap of every filter's activation. Small layers: one rectangle per cell, with
 * tooltips. Large ones (a Basset-size layer has 175 000 cells, which Vega draws for
 * seconds and redraws on every change): one picture, under one transparent band per filter
 * for clicks, which also carries the legend. A click on a row sets the `pick` selection.
 *
 * @param frame - the layer's frame
 * @param picture - the heatmap as a picture, for a large layer
 * @returns the view
 */
export function heatmapView(frame: ExplorerFrame, picture?: HeatmapImage): LayeredView {
  return {
    title: 'Activation of every filter (click a row to select its filter)',
    width: frame.width,
    height: heatmapHeight(frame),
    layer: picture
      ? [heatmapPicture(frame), heatmapBands(frame), selectedOutline(frame)]
      : [heatmapCells(frame), selectedOutline(frame)]
  };
}

/**
 * The selected filter's activation along the sequence (`line`): dragging brushes a range
 * (the `brush` selection), a click picks the output position to maximize (`at`).
 *
 * @param frame - the layer's frame
 * @param brush - the brushed range to restore, if any
 * @returns the view
 */
export function activationLineView(
  frame: ExplorerFrame,
  brush: [number, number] | null | undefined
): LayeredView {
  const tooltip: Tooltip = [
    tip('p', 'output position'),
    tip('lo', 'reads input from'),
    tip('hi', 'to'),
    tip('v', 'activation', '.4g')
  ];
  return {
    title:
      'Activation of the selected filter along the sequence (drag to select positions, click to pick one for maximization)',
    width: frame.width,
    height: 140,
    data: { name: 'line' },
    encoding: {
      x: positionX('x', frame.xDomain, frame.xTitle),
      y: { field: 'v', type: 'quantitative', title: 'activation' },
      tooltip
    },
    layer: [
      {
        params: [
          {
            name: SIGNALS.brush,
            select: { type: 'interval', encodings: ['x'] },
            ...(brush ? { value: { x: brush } } : {})
          }
        ],
        mark: { type: 'line', clip: true }
      },
      {
        // A click picks the output position that activation maximization then targets. The
        // selection sits on the points: Vega-Lite finds the nearest one only for point marks.
        params: [clickSelection(SIGNALS.position, 'p', true)],
        mark: { type: 'point', filled: true, size: 18, clip: true, cursor: 'pointer' }
      }
    ]
  };
}

/** The input symbols (`sym`): as text where they fit, else one coloured cell per symbol. */
function symbolLayer(frame: ExplorerFrame): Layer {
  const { inputLength, words } = frame;
  const tooltip: Tooltip = [tip('i', 'position'), tip('s', 'symbol')];
  const y = {
    datum: 'input',
    type: 'nominal',
    axis: { title: null, ticks: false, domain: false }
  } as const;
  const showText = frame.width / inputLength >= 7 || words;
  if (showText) {
    return {
      data: { name: 'sym' },
      mark: {
        type: 'text',
        baseline: 'middle',
        align: words ? 'right' : 'center',
        angle: words ? 300 : 0,
        fontSize: words ? 10 : 11,
        clip: true
      },
      encoding: { x: inputX(inputLength, 'i', null), text: { field: 's' }, y, tooltip }
    };
  }
  return {
    data: { name: 'sym' },
    transform: cellEdges(),
    mark: { type: 'rect', clip: true },
    encoding: {
      x: inputX(inputLength, 'i0', null),
      x2: { field: 'i1' },
      color: { field: 's', type: 'nominal', title: 'symbol' },
      y,
      tooltip
    }
  };
}

/** The brushed outputs' receptive field, from the first one's start to the last one's end. */
function receptiveFieldLayer(frame: ExplorerFrame): Layer {
  return {
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
    mark: { type: 'rect', fill: HIGHLIGHT, fillOpacity: 0.3, stroke: HIGHLIGHT, strokeWidth: 2 },
    encoding: { x: inputX(frame.inputLength, 'a', null), x2: { field: 'b' } }
  };
}

/**
 * The input track: the symbols and, over them, the brushed outputs' receptive field (after
 * the symbols: opaque symbol cells would hide it).
 *
 * @param frame - the layer's frame
 * @returns the view
 */
export function inputTrackView(frame: ExplorerFrame): LayeredView {
  return {
    title: frame.aligned
      ? "Input (the selected positions' receptive field is highlighted)"
      : 'Input',
    width: frame.width,
    height: frame.words ? 70 : 24,
    layer: [symbolLayer(frame), receptiveFieldLayer(frame)]
  };
}

/** The tooltip of a kernel weight. */
function kernelTooltip(): Tooltip {
  return [tip('k', 'kernel position'), tip('c', 'input channel'), tip('w', 'weight', '.4g')];
}

/**
 * The selected filter's kernel (`kernel`) as a heatmap: position × input channel, coloured
 * blue-orange with white at zero.
 *
 * @param layer - the layer's data
 * @returns the view
 */
export function kernelHeatmapView(layer: LayerData): UnitView {
  const { kernelSize, inputChannels } = layer.info;
  return {
    title: 'Kernel of the selected filter',
    width: clamp(kernelSize * 22, 120, 420),
    height: clamp(inputChannels * 16, 60, 320),
    data: { name: 'kernel' },
    mark: 'rect',
    encoding: {
      x: { field: 'k', type: 'ordinal', title: 'kernel position', axis: { labelAngle: 0 } },
      y: rowsY('c', 'input channel', inputChannels, 20, 'ci'),
      color: {
        field: 'w',
        type: 'quantitative',
        title: 'weight',
        scale: rampScale(kernelRamp(colorDomain(layer.kernel, true)))
      },
      tooltip: kernelTooltip()
    }
  };
}

/**
 * The selected filter's kernel (`kernel`) as one line of weights per input channel.
 *
 * @param layer - the layer's data
 * @returns the view
 */
export function kernelLinesView(layer: LayerData): UnitView {
  const { kernelSize, inputChannels } = layer.info;
  return {
    title: 'Kernel weights per input channel',
    width: clamp(kernelSize * 22, 160, 420),
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
      tooltip: kernelTooltip()
    }
  };
}
