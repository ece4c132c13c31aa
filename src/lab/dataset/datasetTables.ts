/**
 * The dataset view's tables, built as DOM with text only (payload strings such as names and
 * words are never HTML): the selected filter's database matches, its n-grams next to its
 * best possible ones, its taps' best words, and the ranked sequences.
 */
import { element } from '../embed';
import type { ScanResult } from '../worker/scanMessages';
import { formatP } from './datasetRows';

/**
 * A table of text cells.
 *
 * @param className - its class
 * @param header - the column titles
 * @param rows - the cells, as text
 * @returns the table
 */
export function textTable(className: string, header: string[], rows: string[][]): HTMLTableElement {
  const table = element('table', `c1e-table ${className}`);
  const head = table.createTHead().insertRow();
  for (const title of header) {
    head.appendChild(element('th', '', title));
  }
  const body = table.createTBody();
  for (const cells of rows) {
    const row = body.insertRow();
    for (const text of cells) {
      row.insertCell().textContent = text;
    }
  }
  return table;
}

/** How many matches the selected filter's table lists. */
const MATCHES_SHOWN = 5;

/**
 * The selected filter's best matches in the database, or why there are none.
 *
 * @param result - the scan's result
 * @param filter - the filter
 * @returns the table, or a note
 */
export function matchesTable(result: ScanResult, filter: number): HTMLElement {
  if (result.matches === null) {
    return element(
      'div',
      'c1e-note',
      result.motifs.kind === 'onehot'
        ? 'Not matched: JASPAR holds DNA motifs, and this alphabet is not ACGT (or ACGU), or matching is off.'
        : ''
    );
  }
  const matches = result.matches[filter].slice(0, MATCHES_SHOWN);
  if (matches.length === 0) {
    return element('div', 'c1e-note', 'No motif to match: too few sites.');
  }
  const table = textTable(
    'c1e-matches',
    ['factor', 'JASPAR', 'q-value', 'p-value', 'E-value', 'offset', 'strand', 'overlap'],
    matches.map(m => [
      m.factor,
      m.target,
      formatP(m.qValue),
      formatP(m.pValue),
      formatP(m.eValue),
      String(m.offset),
      m.strand,
      String(m.overlap)
    ])
  );
  table.createCaption().textContent = `Best matches in ${result.database ?? ''} (Tomtom's method, Pearson columns)`;
  return table;
}

/**
 * A token filter's n-grams: those of its sites' windows in the set, and its best possible
 * ones (exact), side by side.
 *
 * @param result - the scan's result
 * @param filter - the filter
 * @returns the tables
 */
export function ngramTables(result: ScanResult, filter: number): HTMLElement {
  const box = element('div', 'c1e-ngrams');
  const motif = result.motifs.filters[filter];
  const words = (ids: number[], w: string[] | null) => (w ?? ids.map(String)).join(' ');
  if (motif.ngrams) {
    box.appendChild(
      textTable(
        'c1e-ngram-set',
        ['n-gram of the sites', 'sites'],
        motif.ngrams.map(n => [words(n.ids, n.words), String(n.count)])
      )
    );
  }
  const best = result.best?.[filter];
  if (best) {
    box.appendChild(
      textTable(
        'c1e-ngram-best',
        ['best possible n-gram', 'pre-activation'],
        best.map(n => [n.symbols.join(' '), n.score.toPrecision(3)])
      )
    );
  }
  const taps = result.taps?.[filter];
  if (taps) {
    box.appendChild(
      textTable(
        'c1e-taps',
        ['kernel tap', 'its best words (dot product with the embedding)'],
        taps.map(t => [
          String(t.tap),
          t.words.map(w => `${w.word} ${w.score.toFixed(2)}`).join(', ')
        ])
      )
    );
  }
  return box;
}

/**
 * A one-hot filter's best possible k-mers (exact), under its logo.
 *
 * @param result - the scan's result
 * @param filter - the filter
 * @returns the table, or nothing
 */
export function bestKmerTable(result: ScanResult, filter: number): HTMLElement | null {
  const best = result.best?.[filter];
  return best
    ? textTable(
        'c1e-ngram-best',
        ['best possible k-mer', 'pre-activation'],
        best.slice(0, 5).map(n => [n.symbols.join(''), n.score.toPrecision(3)])
      )
    : null;
}
