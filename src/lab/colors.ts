/**
 * One home for the colours of the continuous scales: what the Vega-Lite specs ask for
 * (`rampScale`), and the same mapping for the pictures painted outside Vega (the large
 * heatmap, the gallery), taken from Vega's own scale types and schemes (`pictureColors`),
 * so a picture and the rectangles it stands for cannot drift apart. Pure: Vega is passed
 * in, as the browser loads it lazily.
 */
import type { Scale } from 'vega-lite/types_unstable/scale.js' with { 'resolution-mode': 'import' };

/** The Vega colour schemes the views use. */
export type SchemeName = 'viridis' | 'redblue' | 'blueorange' | 'greys';

/** A continuous colour scale: a Vega scheme over a domain, optionally diverging at `mid`. */
export interface ColorRamp {
  scheme: SchemeName;
  /** Low to high; left to Vega (the data's extent) when absent. */
  domain?: [number, number];
  /** The scheme runs high to low. */
  reverse?: boolean;
  /** The value at the scheme's middle: a diverging scale (Vega's `domainMid`). */
  mid?: number;
}

/** A ramp a picture can be painted in: its domain is known. */
export type PictureRamp = ColorRamp & { domain: [number, number] };

/**
 * The smallest and largest finite value.
 *
 * @param values - any numbers
 * @returns `[min, max]`, or null when no value is finite
 */
export function finiteExtent(values: ArrayLike<number>): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  return Number.isFinite(min) ? [min, max] : null;
}

/**
 * A colour domain that never collapses: a dead (constant) layer still gets a valid scale.
 *
 * @param values - the values to colour
 * @param symmetric - centre the domain on zero
 * @returns `[min, max]` with `min < max`
 */
export function colorDomain(values: ArrayLike<number>, symmetric: boolean): [number, number] {
  const extent = finiteExtent(values);
  if (!extent) {
    return [0, 1];
  }
  const [min, max] = extent;
  if (symmetric) {
    const m = Math.max(Math.abs(min), Math.abs(max));
    return m > 0 ? [-m, m] : [-1, 1];
  }
  return max > min ? [min, max] : [min, min + 1];
}

/**
 * The colours of activations: viridis, or, when values go negative, blue-white-red with
 * white at zero.
 *
 * @param domain - the activations' domain (`colorDomain`)
 * @returns the ramp of the heatmap's rectangles and of its picture
 */
export function activationRamp(domain: [number, number]): PictureRamp {
  return domain[0] < 0
    ? { scheme: 'redblue', reverse: true, domain, mid: 0 }
    : { scheme: 'viridis', domain };
}

/**
 * The colours of kernel weights: blue-orange, white at zero.
 *
 * @param domain - the weights' domain, symmetric (`colorDomain`)
 * @returns the kernel heatmap's ramp
 */
export function kernelRamp(domain: [number, number]): PictureRamp {
  return { scheme: 'blueorange', domain, mid: 0 };
}

/**
 * A ramp as the scale of a Vega-Lite colour encoding.
 *
 * @param ramp - the ramp
 * @returns the encoding's `scale`
 */
export function rampScale(ramp: ColorRamp): Scale {
  return {
    scheme: ramp.scheme,
    ...(ramp.reverse ? { reverse: true } : {}),
    ...(ramp.domain ? { domain: ramp.domain } : {}),
    ...(ramp.mid !== undefined ? { domainMid: ramp.mid } : {})
  };
}

/** What pictures need of Vega (the `vega` module): its scale types and its colour schemes. */
export interface VegaColorSource {
  scale(type: string): unknown;
  scheme(name: string): unknown;
}

/** A colour as red, green and blue bytes. */
export type Rgb = readonly [number, number, number];

/** Vega's continuous scales as far as pictures use them. */
interface PositionScale {
  (value: number): number | undefined;
  domain(domain: number[]): PositionScale;
  interpolator(interpolator: (t: number) => number): PositionScale;
}

/** Steps of a scheme's colour table: 4096, finer than a byte of any channel changes. */
const TABLE_STEPS = 4096;

/**
 * A ramp's colours as Vega draws them, fast enough for a picture of 180 000 cells: where a
 * value falls on the scheme comes from the Vega scale type the ramp compiles to
 * (`sequential-linear`, or `diverging-linear` with the middle inserted into the domain, as
 * Vega's Scale transform does), its colour from Vega's scheme, tabulated in
 * `TABLE_STEPS` steps. NaN is painted as the low end; values outside the domain, as its
 * nearest end.
 *
 * @param vega - the `vega` module
 * @param ramp - the ramp; a collapsed domain paints its low end (Vega would paint the
 *   middle; only the gallery, which has no legend, can have one)
 * @returns the colour of a value (the same array for equal positions: do not change it)
 */
export function pictureColors(vega: VegaColorSource, ramp: PictureRamp): (value: number) => Rgb {
  const position = schemePosition(vega, ramp);
  const table = schemeTable(vega, ramp);
  return value => {
    const t = position(value);
    return table[t !== undefined && t > 0 ? Math.round(Math.min(t, 1) * TABLE_STEPS) : 0];
  };
}

/** Where a value falls on the scheme, 0 to 1, by the Vega scale the ramp compiles to. */
function schemePosition(vega: VegaColorSource, ramp: PictureRamp): PositionScale {
  const [lo, hi] = ramp.domain;
  const diverging = ramp.mid !== undefined;
  const make = vega.scale(diverging ? 'diverging-linear' : 'sequential-linear');
  if (typeof make !== 'function') {
    throw new Error('Vega has no continuous colour scales');
  }
  const scale = (make as () => PositionScale)();
  return scale
    .domain(diverging ? withMiddle(ramp.domain, ramp.mid!) : hi > lo ? [lo, hi] : [lo, lo + 1])
    .interpolator(t => t);
}

/** The domain with its middle inserted where Vega inserts `domainMid`. */
function withMiddle([lo, hi]: [number, number], mid: number): number[] {
  return mid > hi ? [lo, hi, mid] : mid < lo ? [mid, lo, hi] : [lo, mid, hi];
}

/** A scheme's colours at `TABLE_STEPS + 1` evenly spaced positions, reversed if asked. */
function schemeTable(vega: VegaColorSource, ramp: ColorRamp): Rgb[] {
  const scheme = vega.scheme(ramp.scheme);
  if (typeof scheme !== 'function') {
    throw new Error(`Vega has no continuous colour scheme "${ramp.scheme}"`);
  }
  const table: Rgb[] = new Array(TABLE_STEPS + 1);
  for (let i = 0; i <= TABLE_STEPS; i++) {
    const t = i / TABLE_STEPS;
    table[i] = parseColor(String((scheme as (t: number) => unknown)(ramp.reverse ? 1 - t : t)));
  }
  return table;
}

/** `rgb(r, g, b)` or `#rrggbb`, the forms Vega's schemes give, as bytes. */
function parseColor(color: string): Rgb {
  const rgb = /^rgb\((\d+), ?(\d+), ?(\d+)\)$/.exec(color);
  if (rgb) {
    return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  }
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (hex) {
    return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)];
  }
  throw new Error(`Unexpected colour from a Vega scheme: ${color}`);
}
