/**
 * The default motif database: JASPAR 2026 CORE, non-redundant (the latest version of each
 * matrix), as frequency matrices. The counts live in `data/jaspar2026-core.json`, made by
 * `scripts/jaspar.py` from the JASPAR 2026 SQLite file of pyjaspar 4.0.0. Pure: no tfjs, no DOM.
 */
import { ExplorerError, listNames } from './errors';
import { DNA } from './alphabets';
import type { Motif } from './meme';

/** How to cite JASPAR 2026, as its data license asks. */
export const JASPAR_CITATION =
  'Ovek Baydar D, Rauluseviciute I, Aronsen DR, et al. JASPAR 2026: expansion of transcription ' +
  'factor binding profiles and integration of deep learning models. Nucleic Acids Res. ' +
  '2026;54(D1):D184-D193. doi:10.1093/nar/gkaf1209. https://jaspar.elixir.no';

/** One matrix of the data file. */
export interface JasparEntry {
  /** The matrix ID with its version, e.g. `MA0004.1`. */
  id: string;
  /** The factor's name, e.g. `Arnt` (`FOS::JUN` for a dimer). */
  name: string;
  /** JASPAR's taxonomic group: `vertebrates`, `plants`, `insects`, `fungi`, `nematodes`… */
  tax: string;
  /** The structural class of the DNA-binding domain; several are joined by `::`. */
  class?: string;
  /** Site counts, `[A, C, G, T]` per position. */
  counts: number[][];
}

/** The data file. */
export interface JasparData {
  release: string;
  collection: string;
  citation: string;
  license: string;
  motifs: JasparEntry[];
}

let data: JasparData | undefined;

/**
 * The data file, read on first use. The JSON is not compiled (tsconfig has no
 * `resolveJsonModule`), so it stays in `src/core/data/`, and this path reaches it both from
 * `src/core` (tests, tsx) and from `lib/core` (the built package, and the webpack bundle,
 * which inlines it).
 *
 * @returns the release, citation, license and matrices
 */
export function jasparData(): JasparData {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  data ??= require('../../src/core/data/jaspar2026-core.json') as JasparData;
  return data;
}

/**
 * The JASPAR 2026 CORE matrices (non-redundant: the latest version of each) as motifs over
 * `DNA` (ACGT): `name` is the matrix ID (`MA0004.1`), `altName` the factor (`Arnt`),
 * `nsites` the sites counted at the first position, `url` the matrix's JASPAR page. Each
 * position's frequencies are its counts divided by their sum, with no pseudocount, as in
 * JASPAR's own MEME-format downloads and MEME's `jaspar2meme` (whose default pseudocount is
 * 0): add one when scoring log-odds, where a zero would give minus infinity.
 *
 * @param options - `tax`: only the matrices of this taxonomic group (e.g. `vertebrates`,
 * any case)
 * @returns the motifs, in ID order
 * @throws ExplorerError for a `tax` that no matrix has, listing the groups there are
 */
export function jasparMotifs(options: { tax?: string } = {}): Motif[] {
  const entries = jasparData().motifs;
  const tax = options.tax?.toLowerCase();
  const chosen = tax === undefined ? entries : entries.filter(e => e.tax === tax);
  if (chosen.length === 0) {
    const groups = [...new Set(entries.map(e => e.tax))].sort();
    throw new ExplorerError(
      `No JASPAR matrix has the tax group ${JSON.stringify(options.tax)}; expected one of ` +
        `${listNames(groups)}.`
    );
  }
  return chosen.map(e => ({
    name: e.id,
    altName: e.name,
    pwm: e.counts.map(column => {
      const sum = column.reduce((a, b) => a + b, 0);
      return column.map(c => c / sum);
    }),
    nsites: Math.round(e.counts[0].reduce((a, b) => a + b, 0)),
    url: `https://jaspar.elixir.no/matrix/${e.id}/`
  }));
}

/** The letters of the JASPAR matrices' columns. */
export const JASPAR_ALPHABET = DNA;
