/**
 * FASTA text to records: the sequences a user brings from a file (DNA, RNA or protein). Pure
 * text: no tfjs, no DOM. Every refusal names the 1-based line it found the problem on.
 */
import { ExplorerError } from './errors';

/** One FASTA record. */
export interface FastaRecord {
  /** The first word after `>`. */
  name: string;
  /** The whole header after `>`, name included, trimmed (`"chr1 some description"`). */
  description: string;
  /** The sequence, upper case, without whitespace and without a final `*` (stop). */
  sequence: string;
}

/** What a sequence line may hold once its whitespace is removed. */
const SEQUENCE_LINE = /^[A-Za-z*-]*$/;

/** The first character of a line that a sequence line may not hold, with its column. */
function badCharacter(line: string): { character: string; column: number } {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (!/[A-Za-z*\s-]/.test(c)) {
      return { character: c, column: i + 1 };
    }
  }
  throw new Error('badCharacter called on a valid line');
}

/** A record being read: its header line and its sequence lines so far. */
interface OpenRecord {
  name: string;
  description: string;
  line: number;
  parts: string[];
}

function close(record: OpenRecord): FastaRecord {
  let sequence = record.parts.join('').toUpperCase();
  if (sequence.endsWith('*')) {
    sequence = sequence.slice(0, -1);
  }
  if (sequence.length === 0) {
    throw new ExplorerError(
      `FASTA line ${record.line}: the record ${JSON.stringify(record.name)} has no sequence. ` +
        'Expected one or more sequence lines after each ">" header.'
    );
  }
  return { name: record.name, description: record.description, sequence };
}

/**
 * Reads FASTA text into its records.
 *
 * Accepted: `\n`, `\r\n` and `\r` line ends, a UTF-8 byte order mark, blank lines, `;`
 * comment lines, a description after the name (`>name description`: the name is the first
 * word, `description` keeps the whole header), sequences over several lines, whitespace
 * inside sequence lines, lower case (soft-masked repeats; read as upper case), `-` (gaps)
 * and `*` (a final `*`, a protein's stop, is dropped; one elsewhere is kept). Records keep
 * the file's order, and several records may share a name: nothing is reported for that, so
 * look records up by index, or check names yourself when they must be unique.
 *
 * @param text - the file's text
 * @returns the records, in file order
 * @throws ExplorerError for an empty file, sequence text before the first header, a header
 * without a name, a record without a sequence, or a sequence line holding anything but
 * letters, `-`, `*` and whitespace; the message names the line
 */
export function readFasta(text: string): FastaRecord[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const records: FastaRecord[] = [];
  let open: OpenRecord | null = null;
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index];
    const lineNumber = index + 1;
    const line = raw.trim();
    if (line.length === 0 || line.startsWith(';')) {
      continue;
    }
    if (line.startsWith('>')) {
      if (open) {
        records.push(close(open));
      }
      const description = line.slice(1).trim();
      const name = description.split(/\s/, 1)[0];
      if (name.length === 0) {
        throw new ExplorerError(
          `FASTA line ${lineNumber}: the header ">" has no name. Expected ">name" or ` +
            '">name description", the name right after ">".'
        );
      }
      open = { name, description, line: lineNumber, parts: [] };
      continue;
    }
    if (!open) {
      throw new ExplorerError(
        `FASTA line ${lineNumber}: sequence text before the first header. Expected the file ` +
          'to start with a ">name" line (blank lines and ";" comments may come before it).'
      );
    }
    const letters = line.replace(/\s+/g, '');
    if (!SEQUENCE_LINE.test(letters)) {
      const { character, column } = badCharacter(raw);
      throw new ExplorerError(
        `FASTA line ${lineNumber}, column ${column}: ` +
          `${JSON.stringify(character)} in the sequence of ${JSON.stringify(open.name)}. ` +
          'Expected only letters, "-" (gap) and "*" (stop).'
      );
    }
    open.parts.push(letters);
  }
  if (open) {
    records.push(close(open));
  }
  if (records.length === 0) {
    throw new ExplorerError(
      'The FASTA text is empty: no ">name" header in ' +
        `${lines.length} line${lines.length === 1 ? '' : 's'}. Expected at least one record, ` +
        'a ">name" line followed by its sequence.'
    );
  }
  return records;
}
