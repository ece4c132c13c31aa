/**
 * The Vega-Lite specs of the activation-maximization views, composed from the view
 * builders (maximizationViews.ts) over the rows of maximizationRows.ts: one filter's
 * result (loss curve, per-position magnitude, the optimized input as a heatmap, and a
 * sequence logo or the nearest tokens) and the gallery of a batched run over every filter.
 * Pure functions of the worker's snapshot: no DOM, no tfjs. As in specs.ts, payload strings are
 * data values only, never part of an expression.
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import { galleryRows, type MaximizationRows } from './maximizationRows';
import {
  MAX_DATA,
  galleryObjectiveView,
  galleryPictureView,
  lossView,
  magnitudeView,
  nearestTokensView,
  optimizedInputView,
  sequenceLogoView,
  type MaximizationSpecOptions
} from './maximizationViews';
import { SCHEMA, VIEW_CONFIG, clamp, type View } from './specParts';
import type { RunSnapshot } from './worker/messages';

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
    ...(options.softmax ? [MAX_DATA.logo, MAX_DATA.logoPicture] : []),
    ...(options.words ? [MAX_DATA.words] : [])
  ];
}

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
  const views: View[] = [
    lossView(),
    magnitudeView(options),
    optimizedInputView(options),
    ...(options.softmax ? [sequenceLogoView(options)] : []),
    ...(options.words ? [nearestTokensView(options)] : [])
  ];
  return {
    $schema: SCHEMA,
    datasets: { ...rows },
    vconcat: views,
    resolve: { scale: { color: 'independent' } },
    config: VIEW_CONFIG
  };
}

/** The gallery's picture: one pixel per filter and position, as a data URL (see the panel). */
export interface GalleryImage {
  url: string;
  min: number;
  max: number;
}

/** What the gallery shows besides the snapshot. */
export interface GalleryOptions {
  /** Width of the picture, to line up with the explorer's sequence views. */
  width: number;
  /** Whether the input is probabilities (the picture shows bits). */
  softmax: boolean;
  /** The layer's name, for the title. */
  layer: string;
  /** What each filter reads (consensus or nearest words), by batch row. */
  summaries: string[];
  image: GalleryImage;
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
export function gallerySpec(snapshot: RunSnapshot, options: GalleryOptions): TopLevelSpec {
  const { filters, length } = snapshot.state;
  const frame = {
    width: options.width,
    height: clamp(filters.length * 8, 60, 600),
    length,
    filters: filters.length
  };
  const { min, max } = options.image;
  const what = options.softmax ? 'information (bits)' : '‖x‖';
  // The layer's name is shown as the title's text, never read as an expression.
  const title = `Every filter of ${options.layer}, maximized together: ${what} from ${min.toPrecision(3)} (dark) to ${max.toPrecision(3)} (bright); click a row to open it`;
  return {
    $schema: SCHEMA,
    datasets: {
      finals: galleryRows(snapshot, options.summaries),
      picture: [{ url: options.image.url }]
    },
    hconcat: [galleryPictureView(frame, title), galleryObjectiveView(frame)],
    config: VIEW_CONFIG
  };
}
