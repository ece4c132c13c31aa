/** MEME motif files: reading every accepted form, writing, round trips, refusals by line. */
import { ExplorerError } from '../../src/core/errors';
import { DNA, PROTEIN, RNA } from '../../src/core/alphabets';
import { readMeme, type Motif } from '../../src/core/meme';
import { toMeme } from '../../src/core/memeWrite';

/** A file as memelite's `write_meme` writes one. */
const MEMELITE = `MEME version 4

ALPHABET= ACGT

strands: + -

Background letter frequencies
A 0.25 C 0.25 G 0.25 T 0.25

MOTIF cacgtg
letter-probability matrix: alength= 4 w= 3 nsites= 1 E= 0
0.100000 0.700000 0.100000 0.100000
0.900000 0.000000 0.050000 0.050000
0.000000 1.000000 0.000000 0.000000
URL BLANK

`;

/** The message of what `readMeme` throws, checking that it is an ExplorerError. */
function refusal(text: string): string {
  try {
    readMeme(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ExplorerError);
    return (e as Error).message;
  }
  throw new Error('readMeme accepted the text');
}

/** A file of one DNA motif with the given matrix line and rows. */
function oneMotif(matrix: string, rows: string[], header = 'ALPHABET= ACGT\n\n'): string {
  return `MEME version 5\n\n${header}MOTIF m1 alt\n${matrix}\n${rows.join('\n')}\n`;
}

const ROW = '0.25 0.25 0.25 0.25';

/** Deterministic pseudo-random rows summing to 1. */
function randomPwm(seed: number, width: number, letters: number): number[][] {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: width }, () => {
    const raw = Array.from({ length: letters }, () => (next() < 0.2 ? 0 : next()));
    raw[0] += 1e-3;
    const sum = raw.reduce((a, b) => a + b, 0);
    return raw.map(v => v / sum);
  });
}

function expectClose(actual: number[][], expected: number[][], tolerance: number) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, p) => {
    expect(row.length).toBe(expected[p].length);
    row.forEach((v, c) => expect(Math.abs(v - expected[p][c])).toBeLessThanOrEqual(tolerance));
  });
}

describe('readMeme', () => {
  test('a file as memelite writes it', () => {
    const file = readMeme(MEMELITE);
    expect(file.alphabet).toBe('ACGT');
    expect(file.strands).toEqual(['+', '-']);
    expect(file.background).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(file.motifs).toEqual([
      {
        name: 'cacgtg',
        pwm: [
          [0.1, 0.7, 0.1, 0.1],
          [0.9, 0, 0.05, 0.05],
          [0, 1, 0, 0]
        ],
        nsites: 1,
        evalue: 0,
        url: 'BLANK'
      }
    ]);
  });

  test('keys in any order, alength and w optional: rows read up to a line without numbers', () => {
    const text = oneMotif('letter-probability matrix: E= 1.5e-003 nsites= 20.5', [
      ROW,
      '',
      '  0.1\t0.2  0.3 0.4  ',
      'URL http://example.org/m1'
    ]);
    const [motif] = readMeme(text).motifs;
    expect(motif).toMatchObject({ name: 'm1', altName: 'alt', nsites: 20.5, evalue: 0.0015 });
    expect(motif.pwm).toHaveLength(2);
    expect(motif.url).toBe('http://example.org/m1');
    const reordered = oneMotif('letter-probability matrix: w= 1 E= 0 alength= 4', [ROW]);
    expect(readMeme(reordered).motifs[0].pwm).toEqual([[0.25, 0.25, 0.25, 0.25]]);
  });

  test('rows within 0.01 of 1 are scaled to 1; the background too', () => {
    const text =
      'MEME version 4\nALPHABET= ACGT\nBackground letter frequencies (from file)\n' +
      'A 0.303 C 0.183\nG 0.209 T 0.306\n' +
      'MOTIF x\nletter-probability matrix: alength= 4 w= 1\n0.333 0.333 0.333 0.0\n';
    const file = readMeme(text);
    expect(file.motifs[0].pwm[0][0]).toBeCloseTo(1 / 3, 12);
    expect(file.background?.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    expect(file.background?.[0]).toBeCloseTo(0.303 / 1.001, 12);
  });

  test('CRLF line ends, a byte order mark, several motifs sharing a name', () => {
    const text =
      '\uFEFF' + (MEMELITE + MEMELITE.split('\n').slice(9).join('\n')).replace(/\n/g, '\r\n');
    const file = readMeme(text);
    expect(file.motifs.map(m => m.name)).toEqual(['cacgtg', 'cacgtg']);
  });

  test('custom alphabet blocks of DNA, RNA and protein letters; ALPHABET= for each', () => {
    const dna =
      'MEME version 5\n\nALPHABET "DNA" DNA-LIKE\nA "Adenine" CC0000 ~ T "Thymine" 008000\n' +
      'C "Cytosine" 0000CC ~ G "Guanine" FFB300\nN "Any base" = ACGT\nX = ACGT\n. = ACGT\n' +
      'END ALPHABET\n\nstrands: + -\n\nMOTIF a\nletter-probability matrix: w= 1\n' +
      ROW +
      '\n';
    expect(readMeme(dna).alphabet).toBe(DNA);
    const rna = dna
      .replace('"DNA" DNA-LIKE', '"RNA" RNA-LIKE')
      .replace(/T "Thymine"/, 'U "Uracil"');
    expect(readMeme(rna).alphabet).toBe(RNA);
    const protein = readMeme(
      `ALPHABET= ${PROTEIN}\nMOTIF p\nletter-probability matrix:\n${Array(20).fill('0.05').join(' ')}\n`
    );
    expect(protein.alphabet).toBe(PROTEIN);
    expect(readMeme(`ALPHABET= ACGU\nMOTIF r\nletter-probability matrix:\n${ROW}\n`).alphabet).toBe(
      RNA
    );
  });

  test('without ALPHABET: from the background letters, else from the rows (4: DNA, 20: protein)', () => {
    expect(readMeme(`MOTIF a\nletter-probability matrix:\n${ROW}\n`).alphabet).toBe(DNA);
    const rna = `Background letter frequencies\nA 0.25 C 0.25 G 0.25 U 0.25\nMOTIF a\nletter-probability matrix:\n${ROW}\n`;
    expect(readMeme(rna).alphabet).toBe(RNA);
    const protein = `MOTIF p\nletter-probability matrix:\n${Array(20).fill('0.05').join(' ')}\n`;
    expect(readMeme(protein).alphabet).toBe(PROTEIN);
  });

  test("MEME's text output: the lines around the matrices are skipped", () => {
    const text =
      'MEME version 5.5.5\n\nALPHABET= ACGT\n\nBackground letter frequencies\nA 0.3 C 0.2 G 0.2 T 0.3 \n\n' +
      'MOTIF GCACGTG MEME-1\twidth =   2  sites =  20  llr = 180  E-value = 2.1e-010\n' +
      '-----------------------------------\n\tMotif GCACGTG MEME-1 position-specific scoring matrix\n' +
      'log-odds matrix: alength= 4 w= 2 n= 980 bayes= 5 E= 2.1e-010\n -123 234 -55 -2 \n 1 2 3 4\n' +
      '-----\nletter-probability matrix: alength= 4 w= 2 nsites= 20 E= 2.1e-010 \n' +
      ' 0.000000  1.000000  0.000000  0.000000 \n 0.500000  0.000000  0.500000  0.000000 \n' +
      '-----------------------------------\n';
    const [motif] = readMeme(text).motifs;
    expect(motif.name).toBe('GCACGTG');
    expect(motif.pwm).toEqual([
      [0, 1, 0, 0],
      [0.5, 0, 0.5, 0]
    ]);
    expect(motif.evalue).toBeCloseTo(2.1e-10, 20);
  });
});

describe('readMeme refusals name the line', () => {
  test('no MOTIF', () => {
    expect(refusal('MEME version 4\n\nALPHABET= ACGT\n')).toMatch(/^MEME line 4: .*no MOTIF line/);
    expect(refusal('')).toMatch(/no MOTIF line/);
  });

  test('a row with the wrong number of values', () => {
    const text = oneMotif('letter-probability matrix: alength= 4 w= 2', [ROW, '0.5 0.5 0']);
    expect(refusal(text)).toBe('MEME line 8: the row has 3 values; expected 4 (alength= 4).');
    const noAlength = oneMotif('letter-probability matrix: w= 2', [ROW, '0.5 0.5']);
    expect(refusal(noAlength)).toMatch(
      /^MEME line 8: the row has 2 values; expected 4 \(one per letter of ACGT\)/
    );
  });

  test('a value that is not a number, in any column', () => {
    const text = oneMotif('letter-probability matrix: alength= 4 w= 2', [ROW, '0.5 x 0.25 0.25']);
    expect(refusal(text)).toMatch(/^MEME line 8: "x" is not a number/);
    const first = oneMotif('letter-probability matrix: alength= 4 w= 2', [
      ROW,
      'abc 0.5 0.25 0.25'
    ]);
    expect(refusal(first)).toMatch(
      /^MEME line 8: "abc 0.5 0.25 0.25" where row 2 of w= 2 was expected/
    );
    expect(refusal(oneMotif('letter-probability matrix: w= two', [ROW]))).toMatch(
      /^MEME line 6: w= "two" is not a number/
    );
  });

  test('a negative value', () => {
    const text = oneMotif('letter-probability matrix:', [ROW, '0.6 -0.1 0.25 0.25']);
    expect(refusal(text)).toMatch(/^MEME line 8: -0.1 is negative/);
  });

  test('a row whose sum is more than 0.01 from 1', () => {
    const text = oneMotif('letter-probability matrix:', ['0.3 0.3 0.3 0.08']);
    expect(refusal(text)).toMatch(/^MEME line 7: the row sums to 0.98; expected 1 \(± 0.01\)/);
    expect(() =>
      readMeme(oneMotif('letter-probability matrix:', ['0.3 0.3 0.3 0.09']))
    ).not.toThrow();
  });

  test('w= disagreeing with the rows', () => {
    const more = oneMotif('letter-probability matrix: alength= 4 w= 1 nsites= 3', [ROW, ROW]);
    expect(refusal(more)).toBe('MEME line 6: w= 1 but 2 rows follow; expected one per position.');
    const fewer = oneMotif('letter-probability matrix: alength= 4 w= 3', [ROW, ROW]);
    expect(refusal(fewer)).toMatch(/^MEME line 6: w= 3 but 2 rows follow/);
    const none = oneMotif('letter-probability matrix: alength= 4 w= 3', []);
    expect(refusal(none)).toMatch(/^MEME line 6: w= 3 but 0 rows follow/);
  });

  test('alength= or the rows disagreeing with the alphabet', () => {
    const text = oneMotif('letter-probability matrix: alength= 20 w= 1', [ROW]);
    expect(refusal(text)).toBe('MEME line 6: alength= 20 but ACGT has 4 letters.');
    const wide = `MOTIF a\nletter-probability matrix:\n0.2 0.2 0.2 0.2 0.2\n`;
    expect(refusal(wide)).toMatch(/^MEME line 1: rows of 5 and no ALPHABET/);
    const late = `MOTIF a\nletter-probability matrix:\n${ROW}\nALPHABET= ${PROTEIN}\n`;
    expect(refusal(late)).toMatch(/^MEME line 1: 4 values a row; ACDEFGHIKLMNPQRSTVWY has 20/);
  });

  test('alphabets other than DNA, RNA and protein', () => {
    expect(refusal(oneMotif('letter-probability matrix:', [ROW], 'ALPHABET= ACGTN\n'))).toMatch(
      /^MEME line 3: ALPHABET= ACGTN; expected DNA \(ACGT\), RNA \(ACGU\) or protein/
    );
    const block = 'ALPHABET "Bin" DNA-LIKE\n0 ~ 1\nEND ALPHABET\n';
    expect(refusal(oneMotif('letter-probability matrix:', [ROW], block))).toMatch(
      /^MEME line 3: the alphabet's letters are 01; expected DNA/
    );
    expect(
      refusal(oneMotif('letter-probability matrix:', [ROW], 'ALPHABET "DNA" DNA-LIKE\nA ~ T\n'))
    ).toMatch(/^MEME line 3: the alphabet block has no "END ALPHABET" line/);
  });

  test('bad strands, MOTIF and background lines; a motif without a matrix', () => {
    expect(refusal(oneMotif('letter-probability matrix:', [ROW], 'strands: +-x\n'))).toMatch(
      /^MEME line 3: "strands: \+-x"; expected "strands: \+ -"/
    );
    expect(refusal('MOTIF\nletter-probability matrix:\n' + ROW)).toMatch(
      /^MEME line 1: the MOTIF line has no name/
    );
    expect(refusal(`MOTIF a\nURL x\nMOTIF b\nletter-probability matrix:\n${ROW}\n`)).toBe(
      'MEME line 1: MOTIF a has no letter-probability matrix.'
    );
    expect(refusal(`MOTIF a\nletter-probability matrix:\n${ROW}\nMOTIF b\n`)).toMatch(
      /^MEME line 4: MOTIF b has no/
    );
    expect(refusal(`letter-probability matrix:\n${ROW}\n`)).toMatch(
      /^MEME line 1: a letter-probability matrix without a MOTIF/
    );
    const noT = `ALPHABET= ACGT\nBackground letter frequencies\nA 0.3 C 0.3 G 0.4\nMOTIF a\nletter-probability matrix:\n${ROW}\n`;
    expect(refusal(noT)).toMatch(/^MEME line 2: no background for T/);
    const empty = `Background letter frequencies\n\nMOTIF a\nletter-probability matrix:\n${ROW}\n`;
    expect(refusal(empty)).toMatch(/^MEME line 1: no pairs follow/);
  });
});

describe('toMeme', () => {
  const motifs: Motif[] = [
    { name: 'MA0004.1', altName: 'Arnt', pwm: randomPwm(1, 6, 4), nsites: 20, evalue: 0 },
    { name: 'my motif\tone', altName: 'a b', pwm: randomPwm(2, 12, 4), url: 'http://x.org/a b' },
    { name: 'third', pwm: randomPwm(3, 1, 4), evalue: 1.5e-12 }
  ];

  test('MEME version 5 minimal format, rows of 6 decimals adding up to exactly 1', () => {
    const pwm = [
      [1 / 3, 1 / 3, 1 / 3, 0],
      [0.1, 0.2, 0.3, 0.4]
    ];
    expect(toMeme([{ name: 'm', altName: 'M', pwm, nsites: 7 }])).toBe(
      'MEME version 5\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\n' +
        'A 0.250000 C 0.250000 G 0.250000 T 0.250000\n\nMOTIF m M\n' +
        'letter-probability matrix: alength= 4 w= 2 nsites= 7 E= 0\n' +
        '0.333334 0.333333 0.333333 0.000000\n0.100000 0.200000 0.300000 0.400000\n'
    );
  });

  test('round trip: readMeme(toMeme(motifs)) within 1e-6; whitespace in names becomes _', () => {
    const back = readMeme(toMeme(motifs));
    expect(back.alphabet).toBe('ACGT');
    expect(back.strands).toEqual(['+', '-']);
    expect(back.background).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(back.motifs.map(m => [m.name, m.altName, m.nsites, m.evalue, m.url])).toEqual([
      ['MA0004.1', 'Arnt', 20, 0, undefined],
      ['my_motif_one', 'a_b', undefined, 0, 'http://x.org/a_b'],
      ['third', undefined, undefined, 1.5e-12, undefined]
    ]);
    back.motifs.forEach((m, i) => expectClose(m.pwm, motifs[i].pwm, 1e-6));
  });

  test('protein and RNA alphabets, a background and one strand', () => {
    const protein = [{ name: 'p', pwm: randomPwm(4, 5, 20) }];
    const text = toMeme(protein, { alphabet: PROTEIN });
    expect(text).not.toMatch(/strands/);
    const back = readMeme(text);
    expect(back.alphabet).toBe(PROTEIN);
    expectClose(back.motifs[0].pwm, protein[0].pwm, 1e-6);
    const dna = readMeme(toMeme(motifs, { background: [0.3, 0.2, 0.2, 0.3], strands: '+' }));
    expect(dna.background).toEqual([0.3, 0.2, 0.2, 0.3]);
    expect(dna.strands).toEqual(['+']);
    expect(readMeme(toMeme(motifs.slice(0, 1), { alphabet: RNA })).alphabet).toBe(RNA);
  });

  test('refuses what it cannot write, saying what was expected', () => {
    expect(() => toMeme([])).toThrow(/no motifs to write/);
    expect(() => toMeme(motifs, { alphabet: 'ACGTN' })).toThrow(
      /Cannot write the alphabet "ACGTN"/
    );
    expect(() => toMeme([{ name: '  ', pwm: [[1, 0, 0, 0]] }])).toThrow(/Motif 0 has no name/);
    expect(() => toMeme([{ name: 'a', pwm: [] }])).toThrow(/The motif "a" has no positions/);
    expect(() => toMeme([{ name: 'a', pwm: [[0.5, 0.5, 0]] }])).toThrow(
      /The motif "a", position 0: \[0.5,0.5,0\]; expected 4 probabilities/
    );
    expect(() => toMeme([{ name: 'a', pwm: [[0.5, 0.5, NaN, 0]] }])).toThrow(ExplorerError);
    expect(() => toMeme([{ name: 'a', pwm: [[0.5, 0.4, 0, 0]] }])).toThrow(/summing to 1/);
    expect(() => toMeme([{ name: 'a', pwm: [[1, 0, 0, 0]], nsites: -1 }])).toThrow(/nsites is -1/);
    expect(() => toMeme(motifs, { background: [0.5, 0.5, 0.5, 0.5] })).toThrow(/The background/);
  });
});
