/**
 * Writing motifs as MEME version 5 minimal format, for the MEME suite and memelite
 * (`read_meme`); reading them is `meme.ts`. Pure text: no tfjs, no DOM.
 */
import type { FilterMotifs } from './filterMotifs';
import { DNA } from './alphabets';
import { ExplorerError } from './errors';
import { ALPHABETS, ALPHABET_NAMES, normalized, ROW_SUM_TOLERANCE, type Motif } from './meme';

/** How `toMeme` writes. */
export interface MemeWriteOptions {
  /** The letters of the matrices' columns: `DNA` (default), `RNA` or `PROTEIN`. */
  alphabet?: string;
  /** One frequency per letter, summing to 1; uniform by default. */
  background?: readonly number[];
  /** The strands line for DNA: `'+ -'` (default, both strands) or `'+'`; not written otherwise. */
  strands?: '+ -' | '+';
}

/** A name as one word: MEME splits the MOTIF line on whitespace. */
function word(name: string): string {
  return name.trim().replace(/\s+/g, '_');
}

/**
 * A row summing to 1 as 6-decimal numbers that add up to exactly 1.000000 (the largest
 * remainders get the rounding), so each is read back within 1e-6, normalized or not.
 */
function sixDecimals(row: readonly number[]): string {
  const scaled = row.map(v => v * 1e6);
  const units = scaled.map(Math.floor);
  const deficit = 1e6 - units.reduce((a, b) => a + b, 0);
  const fraction = (k: number) => scaled[k] - units[k];
  const order = units.map((_, k) => k).sort((a, b) => fraction(b) - fraction(a));
  order.slice(0, deficit).forEach(k => units[k]++);
  return units.map(u => `${Math.floor(u / 1e6)}.${String(u % 1e6).padStart(6, '0')}`).join(' ');
}

/** A count or E-value to write: undefined, or a finite number of at least 0. */
function checkedNumber(value: number | undefined, what: string): number | undefined {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw new ExplorerError(`${what} is ${value}; expected a finite number of at least 0.`);
  }
  return value;
}

/** Rows of probabilities over `n` letters, scaled to sum to 1. */
function checkedRows(rows: readonly (readonly number[])[], n: number, what: string) {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new ExplorerError(`${what} has no positions; expected at least one row.`);
  }
  return rows.map((row, p) => {
    const ok =
      Array.isArray(row) && row.length === n && row.every(v => Number.isFinite(v) && v >= 0);
    const scaled = ok ? normalized(row) : null;
    if (scaled === null) {
      throw new ExplorerError(
        `${what}, position ${p}: [${String(row)}]; expected ${n} probabilities from 0 to 1 ` +
          `summing to 1 (± ${ROW_SUM_TOLERANCE}).`
      );
    }
    return scaled;
  });
}

/**
 * Writes motifs in MEME's minimal motif format, version 5: `MEME version 5`, the alphabet,
 * the strands (DNA only), the background, and per motif `MOTIF name altName`, the line
 * `letter-probability matrix: alength= A w= W nsites= N E= E` (`nsites=` only when the motif
 * has it, `E= 0` when it has none), its rows right below it with 6 decimals that add up to
 * exactly 1, and its `URL` line if any. The MEME suite and memelite's `read_meme` (which
 * reads `w=` and then that many rows, and keys each motif by the rest of its MOTIF line)
 * read it. Whitespace would split a name, so each run of whitespace in a name, alternate
 * name or URL is written as one `_` (`"my motif"` → `my_motif`).
 *
 * @param motifs - the motifs, rows over the alphabet's letters summing to 1 (within
 * `ROW_SUM_TOLERANCE`; they are scaled to 1)
 * @param options - alphabet, background and strands
 * @returns the file's text, ending in a newline
 * @throws ExplorerError for no motifs, an empty name, a matrix without rows or a row that is
 * not probabilities over the alphabet, a bad nsites or evalue, an alphabet other than DNA,
 * RNA or protein, or a background that is not one frequency per letter summing to 1
 */
export function toMeme(motifs: readonly Motif[], options: MemeWriteOptions = {}): string {
  const alphabet = options.alphabet ?? DNA;
  if (!ALPHABETS.includes(alphabet)) {
    throw new ExplorerError(
      `Cannot write the alphabet ${JSON.stringify(alphabet)}: expected ${ALPHABET_NAMES}.`
    );
  }
  if (motifs.length === 0) {
    throw new ExplorerError('There are no motifs to write; expected at least one.');
  }
  const n = alphabet.length;
  const [background] = checkedRows(
    [options.background ?? Array(n).fill(1 / n)],
    n,
    'The background'
  );
  const out = ['MEME version 5', '', `ALPHABET= ${alphabet}`, ''];
  if (alphabet === DNA) {
    out.push(`strands: ${options.strands ?? '+ -'}`, '');
  }
  const frequencies = sixDecimals(background).split(' ');
  out.push(
    'Background letter frequencies',
    [...alphabet].map((l, k) => `${l} ${frequencies[k]}`).join(' '),
    ''
  );
  motifs.forEach((motif, index) => {
    const name = typeof motif.name === 'string' ? word(motif.name) : '';
    if (name.length === 0) {
      throw new ExplorerError(`Motif ${index} has no name; expected a name to write after MOTIF.`);
    }
    const what = `The motif ${JSON.stringify(motif.name)}`;
    const rows = checkedRows(motif.pwm, n, what);
    const altName = word(motif.altName ?? '');
    const sites = checkedNumber(motif.nsites, `${what}'s nsites`);
    const evalue = checkedNumber(motif.evalue, `${what}'s evalue`) ?? 0;
    out.push(altName.length > 0 ? `MOTIF ${name} ${altName}` : `MOTIF ${name}`);
    const nsites = sites === undefined ? '' : ` nsites= ${sites}`;
    out.push(`letter-probability matrix: alength= ${n} w= ${rows.length}${nsites} E= ${evalue}`);
    out.push(...rows.map(sixDecimals));
    const url = word(motif.url ?? '');
    out.push(...(url.length > 0 ? [`URL ${url}`, ''] : ['']));
  });
  return out.join('\n');
}

/**
 * The filters' motifs as MEME motifs, for `toMeme` and `matchMotifs`: one per filter with
 * enough sites (one-hot inputs), named `<layer>_f<filter>`, its sites as `nsites`.
 *
 * @param motifs - a scan's result (`filterMotifs`)
 * @returns the motifs, in filter order
 */
export function filterMotifsAsMotifs(motifs: FilterMotifs): Motif[] {
  return motifs.filters.flatMap(f =>
    f.pfm
      ? [
          {
            name: `${motifs.layer.name}_f${f.filter}`,
            altName: f.consensus ?? undefined,
            pwm: f.pfm,
            nsites: f.sites
          }
        ]
      : []
  );
}
