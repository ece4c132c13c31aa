/**
 * What the explorer's and the maximization's Vega-Lite specs share: the look of every view,
 * the Vega-Lite types the view builders return (so a spec needs no cast), and the axes,
 * selections, transforms and tooltips both spec files would otherwise repeat. Every
 * expression here is a constant; payload strings never reach one.
 */
import type { Config } from 'vega-lite' with { 'resolution-mode': 'import' };
import type {
  Field,
  PositionDatumDef,
  PositionFieldDef,
  StringFieldDef
} from 'vega-lite/types_unstable/channeldef.js' with { 'resolution-mode': 'import' };
import type { MarkDef } from 'vega-lite/types_unstable/mark.js' with {
  'resolution-mode': 'import'
};
import type { SelectionParameter } from 'vega-lite/types_unstable/selection.js' with {
  'resolution-mode': 'import'
};
import type {
  FacetedUnitSpec,
  LayerSpec,
  NonNormalizedSpec
} from 'vega-lite/types_unstable/spec/index.js' with { 'resolution-mode': 'import' };
import type { Transform } from 'vega-lite/types_unstable/transform.js' with {
  'resolution-mode': 'import'
};

/** The Vega-Lite schema every spec names. */
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** The look every view shares. */
export const VIEW_CONFIG = {
  view: { stroke: null },
  axis: { labelFontSize: 11 },
  // Equal room for every y axis keeps the sequence views' x axes aligned.
  axisY: { minExtent: 56, maxExtent: 56 },
  title: { fontSize: 12, anchor: 'start' }
} as const satisfies Config;

/** One view of a concatenation: a unit, a layered view or a nested concatenation. */
export type View = NonNormalizedSpec;

/** A view with one mark (and its own size). */
export type UnitView = FacetedUnitSpec<Field>;

/** A view of several marks over the same axes. */
export type LayeredView = LayerSpec<Field>;

/** One mark of a layered view. */
export type Layer = LayerSpec<Field>['layer'][number];

/** A position channel read from a field. */
export type PositionField = PositionFieldDef<Field>;

/** A tooltip: the fields it lists. */
export type Tooltip = StringFieldDef<Field>[];

/** The colour of highlights: the selected filter's row, receptive fields. */
export const HIGHLIGHT = '#ff7f0e';

/**
 * Keeps a number within bounds.
 *
 * @param v - the number
 * @param lo - the lower bound
 * @param hi - the upper bound
 * @returns `v`, or the bound it passes
 */
export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * A quantitative x axis over a fixed range of positions, neither nice nor from zero.
 *
 * @param field - the field placed along it
 * @param domain - the positions shown
 * @param title - the axis title; left out when undefined
 * @returns the x channel
 */
export function positionX(
  field: string,
  domain: [number, number],
  title?: string | null
): PositionField {
  return {
    field,
    type: 'quantitative',
    scale: { domain, nice: false, zero: false },
    ...(title !== undefined ? { title } : {})
  };
}

/**
 * The x axis over the input's positions, `-0.5` to `length - 0.5`.
 *
 * @param length - input positions
 * @param field - the field placed along it
 * @param title - the axis title (null: none)
 * @returns the x channel
 */
export function inputX(length: number, field: string, title: string | null): PositionField {
  return positionX(field, [-0.5, length - 0.5], title);
}

/**
 * The x axis over the input's positions, placed at a constant (a band across them all).
 *
 * @param length - input positions
 * @param datum - where the mark starts
 * @returns the x channel
 */
export function inputXDatum(length: number, datum: number): PositionDatumDef<Field> {
  return {
    datum,
    type: 'quantitative',
    scale: { domain: [-0.5, length - 0.5], nice: false, zero: false },
    title: 'input position'
  };
}

/**
 * Where each position's cell starts and ends: `i0` and `i1`, half a position either side
 * of `i`.
 *
 * @returns the transforms
 */
export function cellEdges(): Transform[] {
  return [
    { calculate: 'datum.i - 0.5', as: 'i0' },
    { calculate: 'datum.i + 0.5', as: 'i1' }
  ];
}

/**
 * An ordinal y axis, one row per value, its labels thinned out past `crowded` rows.
 *
 * @param field - the field
 * @param title - the axis title
 * @param rows - how many rows there are
 * @param crowded - above this many, labels may be left out where they would overlap
 * @param sortBy - a field that gives the rows' order (the field's own order otherwise)
 * @returns the y channel
 */
export function rowsY(
  field: string,
  title: string,
  rows: number,
  crowded: number,
  sortBy?: string
): PositionField {
  return {
    field,
    type: 'ordinal',
    title,
    ...(sortBy ? { sort: { field: sortBy } } : {}),
    axis: rows > crowded ? { labelOverlap: true } : {}
  };
}

/**
 * A selection of the row (or point) clicked, kept until the next click.
 *
 * @param name - the selection's name, as the view code listens to it
 * @param field - the field that identifies what is clicked
 * @param nearest - select the nearest point, not only one under the pointer
 * @returns the selection parameter
 */
export function clickSelection(name: string, field: string, nearest = false): SelectionParameter {
  return {
    name,
    select: {
      type: 'point',
      fields: [field],
      on: 'click',
      ...(nearest ? { nearest: true } : {}),
      clear: false,
      toggle: false
    }
  };
}

/**
 * A nearly transparent band: over a picture, it takes clicks and shows tooltips.
 *
 * @param clip - clip the band to the view
 * @returns the mark
 */
export function clickBand(clip: boolean): MarkDef {
  return {
    type: 'rect',
    fill: 'white',
    fillOpacity: 0.001,
    cursor: 'pointer',
    ...(clip ? { clip: true } : {})
  };
}

/**
 * One line of a tooltip.
 *
 * @param field - the field shown
 * @param title - its label
 * @param format - a d3 number format
 * @returns the tooltip field
 */
export function tip(field: string, title: string, format?: string): Tooltip[number] {
  return format ? { field, title, format } : { field, title };
}
