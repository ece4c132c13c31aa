/** The default motif database: JASPAR 2026 CORE, non-redundant, as frequency matrices. */
import { ExplorerError } from '../../src/core/errors';
import { JASPAR_CITATION, jasparData, jasparMotifs } from '../../src/core/jaspar';
import { readMeme } from '../../src/core/meme';
import { toMeme } from '../../src/core/memeWrite';
import { consensusSequence } from '../../src/core/pwm';

describe('JASPAR 2026 CORE', () => {
  const motifs = jasparMotifs();
  const byId = (id: string) => motifs.find(m => m.name === id);

  test('the release, its citation and license, 2633 matrices of which 1019 vertebrate', () => {
    const data = jasparData();
    expect(data).toMatchObject({ release: 'JASPAR2026', collection: 'CORE' });
    expect(data.citation).toBe(JASPAR_CITATION);
    expect(JASPAR_CITATION).toMatch(/JASPAR 2026.*Nucleic Acids Res.*10\.1093\/nar\/gkaf1209/);
    expect(data.license).toMatch(/no restrictions/);
    expect(motifs).toHaveLength(2633);
    expect(jasparMotifs({ tax: 'vertebrates' })).toHaveLength(1019);
    expect(jasparMotifs({ tax: 'Plants' })).toHaveLength(927);
  });

  test('non-redundant: one matrix, the latest version, per base ID', () => {
    const ids = motifs.map(m => m.name);
    expect(ids.filter(id => !/^[A-Z]{2}\d{4}\.\d+$/.test(id))).toEqual([]);
    expect(new Set(ids.map(id => id.split('.')[0])).size).toBe(ids.length);
    expect(byId('MA0108.3')?.altName).toBe('TBP');
    expect(byId('MA0108.2')).toBeUndefined();
  });

  test("known matrices: Arnt's E-box CACGTG, TBP's TATA box", () => {
    const arnt = byId('MA0004.1');
    expect(arnt).toMatchObject({ altName: 'Arnt', nsites: 20 });
    expect(arnt?.url).toBe('https://jaspar.elixir.no/matrix/MA0004.1/');
    expect(consensusSequence(arnt?.pwm ?? [], 'ACGT')).toBe('CACGTG');
    expect(consensusSequence(byId('MA0108.3')?.pwm ?? [], 'ACGT')).toContain('TATA');
  });

  test('every position is a frequency row over ACGT summing to 1, without pseudocounts', () => {
    const bad = motifs.filter(
      m =>
        m.pwm.length === 0 ||
        m.pwm.some(
          row =>
            row.length !== 4 ||
            !row.every(v => Number.isFinite(v) && v >= 0 && v <= 1) ||
            Math.abs(row.reduce((a, b) => a + b, 0) - 1) > 1e-12
        )
    );
    expect(bad.map(m => m.name)).toEqual([]);
    // MA0004.1's first position: counts 4 A, 16 C of 20 sites.
    expect(byId('MA0004.1')?.pwm[0]).toEqual([0.2, 0.8, 0, 0]);
  });

  test('the whole database goes through MEME and back', () => {
    const back = readMeme(toMeme(motifs)).motifs;
    expect(back.map(m => `${m.name} ${m.altName}`)).toEqual(
      motifs.map(m => `${m.name} ${m.altName?.replace(/\s+/g, '_')}`)
    );
  });

  test('an unknown tax group is refused, listing the groups there are', () => {
    expect(() => jasparMotifs({ tax: 'mammals' })).toThrow(ExplorerError);
    expect(() => jasparMotifs({ tax: 'mammals' })).toThrow(
      /No JASPAR matrix has the tax group "mammals"; expected one of .*"vertebrates"/
    );
  });
});
