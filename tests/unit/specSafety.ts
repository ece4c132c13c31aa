/**
 * Where a payload string (a channel name, a token, a layer name…) ends up in a Vega-Lite
 * spec. It may reach the spec only as data (inline datasets: what axes, text marks and
 * tooltips show) or as the text of a view's or an axis' title (not a tooltip's); anywhere else (an expression, `calculate`,
 * `filter`, `labelExpr`, a signal, a field name, a mark property) it would be read by
 * Vega as something other than text.
 */

/** Where a string was found: as data, as a title's text, or elsewhere (never allowed). */
export type LabelPlace = 'data' | 'title' | 'elsewhere';

/** One occurrence of a marker in a spec. */
export interface LabelHit {
  /** The path to the string, e.g. `hconcat.0.layer.1.encoding.y.field`. */
  path: string;
  place: LabelPlace;
}

/** What a string at this path is to Vega. */
function placeOf(keys: string[]): LabelPlace {
  if (keys[0] === 'datasets' || keys.includes('values')) {
    return 'data';
  }
  const last = keys[keys.length - 1];
  const parent = keys[keys.length - 2];
  // A tooltip's title is compiled into the tooltip's signal expression: not plain text.
  if (keys.includes('tooltip')) {
    return 'elsewhere';
  }
  if (last === 'title' || (parent === 'title' && last === 'text')) {
    return 'title';
  }
  return 'elsewhere';
}

/**
 * Every string in a spec (keys included) that contains `marker`, with where it is.
 *
 * @param spec - a Vega-Lite (or Vega) spec
 * @param marker - a piece of the payload strings to look for
 * @returns the occurrences, in the order found
 */
export function labelHits(spec: unknown, marker: string): LabelHit[] {
  const hits: LabelHit[] = [];
  const walk = (v: unknown, keys: string[]): void => {
    if (typeof v === 'string') {
      if (v.includes(marker)) {
        hits.push({ path: keys.join('.'), place: placeOf(keys) });
      }
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (!Array.isArray(v) && k.includes(marker)) {
          hits.push({ path: [...keys, k].join('.'), place: 'elsewhere' });
        }
        walk(x, [...keys, k]);
      }
    }
  };
  walk(spec, []);
  return hits;
}
