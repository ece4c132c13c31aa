/**
 * Motifs in the MEME suite's minimal motif format (https://meme-suite.org/meme/doc/meme-format.html):
 * reading a file's alphabet, strands, background and letter-probability matrices (each refusal
 * names the 1-based line); writing them is memeWrite.ts.
 * Pure text and numbers: no tfjs, no DOM.
 */
import { DNA, PROTEIN, RNA } from './alphabets';
import { ExplorerError } from './errors';

/** The alphabets read and written: MEME's standard DNA, RNA and protein. */
export const ALPHABETS: readonly string[] = [DNA, RNA, PROTEIN];
/** The alphabets read and written, for messages. */
export const ALPHABET_NAMES = 'DNA (ACGT), RNA (ACGU) or protein (ACDEFGHIKLMNPQRSTVWY)';

/** How far from 1 a row (or the background) may sum and still be read, then normalized. */
export const ROW_SUM_TOLERANCE = 0.01;

/** A motif: a probability matrix with the facts a MEME file keeps about it. */
export interface Motif {
  /** The identifier, the first word after `MOTIF` (e.g. a JASPAR ID, `MA0004.1`). */
  name: string;
  /** The alternate name, the rest of the `MOTIF` line (e.g. the factor, `Arnt`). */
  altName?: string;
  /** `pwm[position][letter]`, letters in the alphabet's order, each row summing to 1. */
  pwm: number[][];
  /** The number of sites the matrix was made from (`nsites=`). */
  nsites?: number;
  /** The motif's E-value (`E=`). */
  evalue?: number;
  /** The motif's `URL` line. */
  url?: string;
}

/** What a MEME file holds. */
export interface MemeFile {
  /** The letters of the matrices' columns, in order: `DNA`, `RNA` or `PROTEIN`. */
  alphabet: string;
  /** The strands of the `strands:` line (`['+', '-']`), or null without one. */
  strands: ('+' | '-')[] | null;
  /** One frequency per letter of the alphabet, summing to 1, or null without a background. */
  background: number[] | null;
  /** The motifs, in file order. */
  motifs: Motif[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function refuse(line: number, message: string): never {
  throw new ExplorerError(`MEME line ${line}: ${message}`);
}

function tokens(line: string): string[] {
  const t = line.trim();
  return t.length === 0 ? [] : t.split(/\s+/);
}

/**
 * Values scaled to sum to 1 (as they are if they do).
 *
 * @param values - a row of probabilities
 * @returns the row scaled to sum to 1, or null when its sum is more than
 *   `ROW_SUM_TOLERANCE` off
 */
export function normalized(values: readonly number[]): number[] | null {
  const sum = values.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE + 1e-12) {
    return null;
  }
  return Math.abs(sum - 1) <= 1e-12 ? [...values] : values.map(v => v / sum);
}

/** The standard alphabet of a set of symbols (any case, any order), or null. */
function standardAlphabet(symbols: Iterable<string>): string | null {
  const key = (s: Iterable<string>) => [...new Set([...s].map(c => c.toUpperCase()))].sort().join();
  const wanted = key(symbols);
  return ALPHABETS.find(a => key(a) === wanted) ?? null;
}

/** A custom alphabet block (`ALPHABET "DNA" DNA-LIKE` … `END ALPHABET`) of standard letters. */
function readAlphabetBlock(lines: readonly string[], start: number) {
  const symbols: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (/^END ALPHABET\b/.test(line)) {
      return {
        end: i,
        alphabet:
          standardAlphabet(symbols) ??
          refuse(
            start + 1,
            `the alphabet's letters are ${symbols.join('')}; expected ${ALPHABET_NAMES}.`
          )
      };
    }
    // `A "Adenine" CC0000 ~ T "Thymine" 008000` defines core letters, `N = ACGT` an alias.
    if (line.length > 0 && !line.startsWith('#') && !line.includes('=')) {
      symbols.push(...line.split('~').flatMap(part => part.trim()[0] ?? []));
    }
  }
  return refuse(start + 1, 'the alphabet block has no "END ALPHABET" line.');
}

/** The `key= value` numbers of a `letter-probability matrix:` line. */
function matrixKeys(line: string, lineNumber: number): Map<string, number> {
  const keys = new Map<string, number>();
  for (const [, key, value] of line.matchAll(/([A-Za-z]+)=\s*(\S+)/g)) {
    if (!NUMBER.test(value)) {
      refuse(lineNumber, `${key}= ${JSON.stringify(value)} is not a number.`);
    }
    const v = Number(value);
    if ((key === 'alength' || key === 'w') && !(Number.isInteger(v) && v > 0)) {
      refuse(lineNumber, `${key}= ${v}; expected a whole number above 0.`);
    }
    keys.set(key, v);
  }
  return keys;
}

/**
 * The rows after a matrix line (index `header`) up to the first line (index `stop`, -1 at
 * the end) that does not start with a number, skipping blank lines; `end` is the last row's.
 */
function readRows(lines: readonly string[], header: number, width: [number, string] | null) {
  const pwm: number[][] = [];
  let end = header;
  for (let i = header + 1; i < lines.length; i++) {
    const values = tokens(lines[i]);
    if (values.length === 0) {
      continue;
    }
    if (!NUMBER.test(values[0])) {
      return { pwm, end, stop: i };
    }
    const [letters, why] = width ?? [pwm[0]?.length ?? values.length, 'as in row 1'];
    const bad = values.find(t => !NUMBER.test(t));
    if (bad !== undefined) {
      refuse(i + 1, `${JSON.stringify(bad)} is not a number; expected numbers only.`);
    }
    if (values.length !== letters) {
      refuse(i + 1, `the row has ${values.length} values; expected ${letters} (${why}).`);
    }
    const numbers = values.map(Number);
    const negative = numbers.find(v => v < 0);
    if (negative !== undefined) {
      refuse(i + 1, `${negative} is negative; expected probabilities from 0 to 1.`);
    }
    const sum = numbers.reduce((a, b) => a + b, 0);
    pwm.push(
      normalized(numbers) ??
        refuse(
          i + 1,
          `the row sums to ${+sum.toPrecision(6)}; expected 1 (± ${ROW_SUM_TOLERANCE}).`
        )
    );
    end = i;
  }
  return { pwm, end, stop: -1 };
}

/** The letter/frequency pairs on the lines after `Background letter frequencies` (index `start`). */
function readBackground(lines: readonly string[], start: number) {
  const values = new Map<string, number>();
  let end = start;
  for (let i = start + 1; i < lines.length; i++) {
    const t = tokens(lines[i]);
    if (t.length === 0 || t.length % 2 || t.some((v, k) => !(k % 2 ? NUMBER : /^.$/).test(v))) {
      break;
    }
    for (let k = 0; k < t.length; k += 2) {
      values.set(t[k].toUpperCase(), Number(t[k + 1]));
    }
    end = i;
  }
  if (values.size === 0) {
    refuse(start + 1, 'no pairs follow; expected e.g. "A 0.25 C 0.25 G 0.25 T 0.25".');
  }
  return { values, end, line: start + 1 };
}

function checkBackground(background: ReturnType<typeof readBackground>, alphabet: string) {
  const { values, line } = background;
  const row = [...alphabet].map(
    l =>
      values.get(l) ??
      refuse(line, `no background for ${l}; expected one per letter of ${alphabet}.`)
  );
  const sum = [...values.values()].reduce((a, b) => a + b);
  return (
    (values.size === row.length && normalized(row)) ||
    refuse(
      line,
      `the background sums to ${+sum.toPrecision(6)} over ${values.size} letters; expected 1 over ${alphabet}.`
    )
  );
}

/** A motif being read: its MOTIF line and its rows' width (0 before its matrix). */
interface OpenMotif {
  motif: Motif;
  line: number;
  width: number;
}

function noMatrix(open: OpenMotif | undefined) {
  if (open && open.width === 0) {
    refuse(open.line, `MOTIF ${open.motif.name} has no letter-probability matrix.`);
  }
}

/**
 * Reads MEME's minimal motif format (and MEME's text output: lines the format does not
 * define are skipped): `MEME version`; `ALPHABET= ACGT` (`ACGU`, the 20 amino acids) or a
 * custom alphabet block (`ALPHABET "DNA" DNA-LIKE` … `END ALPHABET`) with DNA's, RNA's or
 * protein's letters; `strands:`; `Background letter frequencies` and the letter/frequency
 * pairs below it; per motif `MOTIF name [alternate name]`, `letter-probability matrix:`
 * (`alength=`, `w=`, `nsites=`, `E=`, in any order, each optional) with its rows (up to the
 * first line that does not start with a number), and `URL`. Without `ALPHABET`, the
 * background's letters or the rows' width (4: DNA, 20: protein) tell the alphabet. Rows and
 * background within `ROW_SUM_TOLERANCE` of 1 are scaled to 1. Motifs may share a name.
 *
 * @param text - the file's text
 * @returns the alphabet, strands, background and motifs, in file order
 * @throws ExplorerError naming the line, for: no MOTIF; a motif without a matrix; a row
 * with the wrong number of values, a value that is not a number or is negative, a row whose
 * sum is more than `ROW_SUM_TOLERANCE` from 1; `w=` disagreeing with the rows; `alength=`
 * or the rows disagreeing with the alphabet; an alphabet other than DNA, RNA or protein; a
 * bad `strands:` line or background
 */
export function readMeme(text: string): MemeFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let alphabet: string | null = null;
  let strands: ('+' | '-')[] | null = null;
  let background: ReturnType<typeof readBackground> | null = null;
  const motifs: OpenMotif[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const lineNumber = i + 1;
    const open = motifs[motifs.length - 1] as OpenMotif | undefined;
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^ALPHABET\s*=\s*(\S*)/))) {
      alphabet = standardAlphabet(m[1]);
      if (alphabet === null || m[1].length !== alphabet.length) {
        refuse(lineNumber, `ALPHABET= ${m[1]}; expected ${ALPHABET_NAMES}.`);
      }
    } else if (/^ALPHABET(\s|$)/.test(line)) {
      ({ alphabet, end: i } = readAlphabetBlock(lines, i));
    } else if (/^strands:/.test(line)) {
      if (!/^strands:\s*(\+(\s+-)?|-)$/.test(line)) {
        refuse(lineNumber, `"${line}"; expected "strands: + -", "strands: +" or "strands: -".`);
      }
      strands = tokens(line.slice(8)) as ('+' | '-')[];
    } else if (/^Background letter frequencies/.test(line)) {
      background = readBackground(lines, i);
      i = background.end;
    } else if (/^MOTIF(\s|$)/.test(line)) {
      noMatrix(open);
      const [name, ...alt] = tokens(line.slice(5));
      if (name === undefined) {
        refuse(lineNumber, 'the MOTIF line has no name; expected "MOTIF name [alternate name]".');
      }
      const motif: Motif =
        alt.length > 0 ? { name, altName: alt.join(' '), pwm: [] } : { name, pwm: [] };
      motifs.push({ motif, line: lineNumber, width: 0 });
    } else if (/^letter-probability matrix/.test(line)) {
      if (!open || open.width > 0) {
        refuse(lineNumber, 'a letter-probability matrix without a MOTIF line before it.');
      }
      const keys = matrixKeys(line, lineNumber);
      const alength = keys.get('alength');
      if (alphabet !== null && alength !== undefined && alength !== alphabet.length) {
        refuse(lineNumber, `alength= ${alength} but ${alphabet} has ${alphabet.length} letters.`);
      }
      const width: [number, string] | null =
        alength !== undefined
          ? [alength, `alength= ${alength}`]
          : alphabet === null
            ? null
            : [alphabet.length, `one per letter of ${alphabet}`];
      const { pwm, end, stop } = readRows(lines, i, width);
      const w = keys.get('w') ?? pwm.length;
      if (pwm.length < w && stop >= 0) {
        const found = JSON.stringify(lines[stop].trim());
        refuse(stop + 1, `${found} where row ${pwm.length + 1} of w= ${w} was expected.`);
      }
      if (pwm.length === 0 || w !== pwm.length) {
        refuse(lineNumber, `w= ${w} but ${pwm.length} rows follow; expected one per position.`);
      }
      open.width = pwm[0].length;
      open.motif.pwm = pwm;
      for (const [key, field] of [
        ['nsites', 'nsites'],
        ['E', 'evalue']
      ] as const) {
        if (keys.has(key)) {
          open.motif[field] = keys.get(key);
        }
      }
      i = end;
    } else if ((m = line.match(/^URL\s+(\S+)/)) && open) {
      open.motif.url = m[1];
    }
  }
  const last = motifs[motifs.length - 1] as OpenMotif | undefined;
  if (!last) {
    refuse(lines.length, 'the end of the file, and no MOTIF line; expected motifs.');
  }
  noMatrix(last);
  const resolved =
    alphabet ??
    (background && standardAlphabet(background.values.keys())) ??
    ({ 4: DNA, 20: PROTEIN } as Record<number, string | undefined>)[motifs[0].width] ??
    refuse(
      motifs[0].line,
      `rows of ${motifs[0].width} and no ALPHABET; expected ${ALPHABET_NAMES}.`
    );
  const other = motifs.find(o => o.width !== resolved.length);
  if (other) {
    refuse(other.line, `${other.width} values a row; ${resolved} has ${resolved.length} letters.`);
  }
  return {
    alphabet: resolved,
    strands,
    background: background && checkBackground(background, resolved),
    motifs: motifs.map(o => o.motif)
  };
}
