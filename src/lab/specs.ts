/**
 * The Vega-Lite spec of the explorer's views, composed from the view builders
 * (explorerViews.ts) over the rows of explorerRows.ts. Pure functions of the computed
 * data: they touch neither the DOM nor tfjs. Every expression is written in our spec modules; payload
 * strings only ever appear as data values (shown as text), never inside an expression.
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import type { LayerData } from './compute';
import {
  activationRows,
  bandRows,
  filterData,
  symbolRows,
  type ActivationRow,
  type KernelRow,
  type SelectedRow,
  type SymbolRow
} from './explorerRows';
import {
  activationLineView,
  explorerFrame,
  heatmapView,
  inputTrackView,
  kernelHeatmapView,
  kernelLinesView,
  type HeatmapImage
} from './explorerViews';
import { SCHEMA, VIEW_CONFIG, clamp } from './specParts';

/** Above this many filter × position cells, the heatmap is drawn as one picture. */
export const HEATMAP_RECT_LIMIT = 20000;

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

/**
 * Width in pixels of the views laid along the sequence.
 *
 * @param inputLength - positions in the input
 * @returns about 14 px a position, between 360 and 640
 */
export function sequenceWidth(inputLength: number): number {
  return clamp(inputLength * 14, 360, 640);
}

/** The explorer's datasets: the selected filter's, the symbols, and the heatmap's. */
function explorerDatasets(
  layer: LayerData,
  symbols: string[],
  options: SpecOptions
): {
  [name: string]: ActivationRow[] | KernelRow[] | SelectedRow[] | SymbolRow[] | HeatmapImage[];
} {
  const inputLength = symbols.length;
  const picture = options.heatmapImage;
  return {
    ...filterData(layer, inputLength, options.filter),
    sym: symbolRows(symbols),
    ...(picture ? { heat: [{ url: picture.url }], bands: bandRows(layer, inputLength) } : {}),
    ...(picture ? {} : { act: activationRows(layer, inputLength) })
  };
}

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
  const width = options.width ?? sequenceWidth(symbols.length);
  const frame = explorerFrame(layer, symbols.length, width, options.words === true);
  const independent = { scale: { color: 'independent' } } as const;
  return {
    $schema: SCHEMA,
    datasets: explorerDatasets(layer, symbols, options),
    vconcat: [
      {
        vconcat: [
          heatmapView(frame, options.heatmapImage),
          activationLineView(frame, options.brush),
          inputTrackView(frame)
        ],
        resolve: independent
      },
      { hconcat: [kernelHeatmapView(layer), kernelLinesView(layer)], resolve: independent }
    ],
    resolve: independent,
    config: VIEW_CONFIG
  };
}
