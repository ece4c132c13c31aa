/**
 * `readFasta` in the kernel: FASTA text, or the path of a FASTA file (gzipped or not),
 * read from the notebook's folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { errorMessage, ExplorerError } from '../core/errors';
import { readFasta as parseFasta, type FastaRecord } from '../core/fasta';

/** FASTA text starts with a header or a comment (after any blank lines or BOM). */
function isFastaText(source: string): boolean {
  return /^[\uFEFF\s]*[>;]/.test(source) || source.includes('\n');
}

/**
 * Reads FASTA records from text or from a file.
 *
 * @param source - FASTA text (it starts with `>`), or the path of a `.fa`/`.fasta` file,
 *   gzipped when it ends in `.gz`, relative to the notebook's folder
 * @returns the records, in file order: `{ name, description, sequence }`, ready for
 *   `filterMotifs`
 * @throws ExplorerError naming the file and the line of a broken record, or saying the
 *   path does not exist
 */
export function readFasta(source: string): FastaRecord[] {
  if (typeof source !== 'string') {
    throw new ExplorerError('readFasta needs FASTA text or the path of a FASTA file (a string).');
  }
  if (isFastaText(source)) {
    return parseFasta(source);
  }
  const file = path.resolve(source);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new ExplorerError(
      `readFasta: ${JSON.stringify(source)} is neither FASTA text (which starts with ">") ` +
        `nor a file (looked for ${file}).`
    );
  }
  const bytes = fs.readFileSync(file);
  let text: string;
  try {
    text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (e) {
    throw new ExplorerError(`${source}: not a readable gzip file (${errorMessage(e)}).`);
  }
  try {
    return parseFasta(text);
  } catch (e) {
    throw new ExplorerError(`${source}: ${errorMessage(e)}`);
  }
}
