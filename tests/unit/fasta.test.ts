/** FASTA reading: every accepted form, and every refusal naming its line. */
import { ExplorerError } from '../../src/core/errors';
import { readFasta } from '../../src/core/fasta';

/** The message of what `readFasta` throws, checking that it is an ExplorerError. */
function refusal(text: string): string {
  try {
    readFasta(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ExplorerError);
    return (e as Error).message;
  }
  throw new Error('readFasta accepted the text');
}

describe('readFasta', () => {
  test('records with descriptions, several lines each, in file order', () => {
    const text = '>seq1 Homo sapiens chr1\nACGT\nTTGA\n>seq2\nGGCC\n';
    expect(readFasta(text)).toEqual([
      { name: 'seq1', description: 'seq1 Homo sapiens chr1', sequence: 'ACGTTTGA' },
      { name: 'seq2', description: 'seq2', sequence: 'GGCC' }
    ]);
  });

  test('CRLF, CR, a byte order mark, blank lines and ; comments', () => {
    const lf = ';comment\n\n>a x\nAC\n\nGT\n;another\n>b\nTT';
    const expected = readFasta(lf);
    expect(expected.map(r => r.sequence)).toEqual(['ACGT', 'TT']);
    expect(readFasta(lf.replace(/\n/g, '\r\n'))).toEqual(expected);
    expect(readFasta(lf.replace(/\n/g, '\r'))).toEqual(expected);
    expect(readFasta('\uFEFF' + lf)).toEqual(expected);
  });

  test('lower case (soft-masked) is upper-cased, whitespace inside lines removed', () => {
    expect(readFasta('>r\nacgtNN acg\tt \n  TTaa\n')[0].sequence).toBe('ACGTNNACGTTTAA');
  });

  test("a protein's final * is dropped; gaps and inner stops are kept", () => {
    expect(readFasta('>p\nMKV-L*\n')[0].sequence).toBe('MKV-L');
    expect(readFasta('>p\nMK*V\nL*')[0].sequence).toBe('MK*VL');
    expect(readFasta('>p\nMKVL\n*\n>q\nAA')[0].sequence).toBe('MKVL');
  });

  test('names are the first word after ">", spaces after ">" allowed; duplicates are kept', () => {
    const records = readFasta('> x  first\nA\n>x second\nC\n');
    expect(records.map(r => [r.name, r.description])).toEqual([
      ['x', 'x  first'],
      ['x', 'x second']
    ]);
  });

  test('sequence text before the first header names its line', () => {
    expect(refusal('\n;c\nACGT\n>a\nAC')).toMatch(
      /^FASTA line 3: sequence text before the first header/
    );
  });

  test('a record without a sequence names its header line, in the middle or at the end', () => {
    expect(refusal('>a\nAC\n>b\n\n>c\nGG')).toMatch(
      /^FASTA line 3: the record "b" has no sequence/
    );
    expect(refusal('>a\nAC\n>b desc\n\n')).toMatch(/^FASTA line 3: the record "b"/);
    expect(refusal('>a\n*\n')).toMatch(/^FASTA line 1: the record "a" has no sequence/);
  });

  test('a header without a name names its line', () => {
    expect(refusal('>a\nAC\n>\nGG')).toMatch(/^FASTA line 3: the header ">" has no name/);
    expect(refusal('>   \nGG')).toMatch(/^FASTA line 1: /);
  });

  test('a character that is not a letter, "-" or "*" names its line and column', () => {
    const message = refusal('>a\nACGT\nAC1GT\n');
    expect(message).toMatch(/^FASTA line 3, column 3: "1" in the sequence of "a"/);
    expect(message).toMatch(/Expected only letters, "-" \(gap\) and "\*" \(stop\)/);
    expect(refusal('>a\r\nAC\r\n  AC.GT\r\n')).toMatch(/^FASTA line 3, column 5: "\."/);
    expect(refusal('>a\nACGTÄ')).toMatch(/^FASTA line 2, column 5: "Ä"/);
  });

  test('an empty file, or one with only blank lines and comments, is refused', () => {
    expect(refusal('')).toMatch(/^The FASTA text is empty: no ">name" header in 1 line/);
    expect(refusal('\uFEFF\r\n;only a comment\r\n\r\n')).toMatch(/no ">name" header in 4 lines/);
  });
});
