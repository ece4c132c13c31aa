/**
 * The dataset view's rules, on a hand-made scan result: the gallery's orders, the sequence
 * table's orders, the summary line, the histogram and logo rows, and the MEME export of a
 * scan's motifs.
 */
import type { FilterMotif, FilterMotifs } from '../../src/core/filterMotifs';
import { readMeme } from '../../src/core/meme';
import { filterMotifsAsMotifs, toMeme } from '../../src/core/memeWrite';
import {
  bestMatchLabel,
  filterSummary,
  filterViewRows,
  formatP,
  galleryOrder,
  progressText,
  tableOrder,
  totalBits
} from '../../src/lab/dataset/datasetRows';
import { DATASET_DATA, datasetNames } from '../../src/lab/dataset/datasetSpecs';
import type { DatasetMatch, ScanResult } from '../../src/lab/worker/scanMessages';

function motif(filter: number, change: Partial<FilterMotif>): FilterMotif {
  return {
    filter,
    cutoff: 1,
    mean: 0.25,
    max: 2,
    skipped: { pastEnd: 0, unknownSymbol: 0 },
    tooFew: false,
    sites: 12,
    topSites: [],
    counts: null,
    pfm: null,
    consensus: null,
    bits: null,
    ngrams: null,
    windowMean: null,
    windowSpread: null,
    ...change
  };
}

function match(factor: string, qValue: number): DatasetMatch {
  return {
    target: `MA${factor}`,
    factor,
    pValue: qValue / 10,
    eValue: qValue,
    qValue,
    offset: 0,
    overlap: 2,
    strand: '+',
    score: 1
  };
}

/** Three filters over three sequences: f0 weak, f1 a sharp 2-column motif, f2 too few sites. */
function result(): ScanResult {
  const motifs: FilterMotifs = {
    layer: {
      name: 'conv',
      filters: 3,
      kernelSize: 2,
      strides: 1,
      dilationRate: 1,
      padding: 'valid',
      activation: 'relu',
      inputChannels: 4
    } as FilterMotifs['layer'],
    kind: 'onehot',
    alphabet: 'ACGT',
    windowSize: 2,
    jump: 1,
    names: ['a', 'b', 'c'],
    // maxima[sequence * 3 + filter]
    maxima: Float32Array.from([0.5, 3, 0.1, 2, 1, 0.2, 1, 2, 0.3]),
    filters: [
      motif(0, {
        sites: 30,
        pfm: [
          [0.25, 0.25, 0.25, 0.25],
          [0.5, 0.5, 0, 0]
        ],
        bits: [0, 1],
        consensus: 'AA',
        skipped: { pastEnd: 2, unknownSymbol: 1 }
      }),
      motif(1, {
        sites: 20,
        pfm: [
          [1, 0, 0, 0],
          [0, 0, 0, 1]
        ],
        bits: [2, 2],
        consensus: 'AT'
      }),
      motif(2, { sites: 3, tooFew: true })
    ]
  };
  return {
    motifs,
    matches: [[match('X', 0.2)], [match('CTCF', 3e-5), match('Y', 0.01)], []],
    database: 'JASPAR2026 CORE, 2633 matrices',
    best: null,
    taps: null,
    millis: { scan: 10, match: 5 }
  };
}

describe('the dataset view’s rows', () => {
  test('the gallery sorts by index, information, best q-value or sites; those without go last', () => {
    const r = result();
    expect(totalBits(r.motifs.filters[1])).toBe(4);
    expect(galleryOrder(r, 'filter')).toEqual([0, 1, 2]);
    expect(galleryOrder(r, 'information')).toEqual([1, 0, 2]);
    expect(galleryOrder(r, 'match')).toEqual([1, 0, 2]);
    expect(galleryOrder(r, 'sites')).toEqual([0, 1, 2]);
    expect(galleryOrder({ ...r, matches: null }, 'match')).toEqual([0, 1, 2]);
  });

  test('the table ranks by the selected filter, or by a column, either way', () => {
    const r = result();
    // Filter 1's maxima: a 3, b 1, c 2.
    expect(tableOrder(r, 1, { column: null, descending: true })).toEqual([0, 2, 1]);
    expect(tableOrder(r, 1, { column: null, descending: false })).toEqual([1, 2, 0]);
    const columns = { label: [0, 1, 1] };
    // Ties keep the set's order.
    expect(tableOrder(r, 1, { column: 'label', descending: true }, columns)).toEqual([1, 2, 0]);
    // A column the payload does not have falls back to the filter.
    expect(tableOrder(r, 0, { column: 'gone', descending: true }, columns)).toEqual([1, 2, 0]);
  });

  test('the summary says sites, window, cutoff, bits, consensus and what was skipped', () => {
    const r = result();
    expect(filterSummary(r, 0)).toBe(
      '30 sites in 3 sequences · window 2 positions · cutoff 1.00 (mean 0.250, max 2.00) · ' +
        '1.0 bits · consensus AA · skipped: 2 windows past an end, 1 with an unknown symbol'
    );
    expect(filterSummary(r, 2)).toContain('3 sites in 3 sequences');
    expect(filterSummary(r, 2)).toContain('too few sites for a motif (fewer than 10)');
    expect(bestMatchLabel(r, 1)).toBe('CTCF q=3.0e-5');
    expect(bestMatchLabel(r, 2)).toBe('');
    expect(formatP(0.0123)).toBe('0.012');
  });

  test('the chart rows: the histogram’s bins, the cutoff, the logo’s letters', () => {
    const rows = filterViewRows(result(), 1);
    // Filter 1's maxima 3, 1 and 2: 40 bins of 0.05 from 1 to 3; the largest in the last.
    const bins = rows[DATASET_DATA.histogram];
    expect(bins).toHaveLength(40);
    expect(bins[0]).toEqual({ x0: 1, x1: 1.05, count: 1 });
    expect(bins[20]).toMatchObject({ count: 1 });
    expect(bins[20].x0).toBeCloseTo(2, 10);
    expect(bins[39]).toMatchObject({ count: 1 });
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(3);
    // One value (or all equal): one bin.
    const one = { ...result(), motifs: { ...result().motifs, names: ['a'] } };
    expect(filterViewRows(one, 1)[DATASET_DATA.histogram]).toEqual([
      { x0: 2.5, x1: 3.5, count: 1 }
    ]);
    expect(rows[DATASET_DATA.cutoff]).toEqual([{ cutoff: 1 }]);
    // Column 0 is all A (2 bits), column 1 all T; the others stack at zero height.
    const tall = rows[DATASET_DATA.logo].filter(l => l.y1 - l.y0 > 0);
    expect(tall.map(l => [l.i, l.s, l.y1 - l.y0])).toEqual([
      [0, 'A', 2],
      [1, 'T', 2]
    ]);
    expect(filterViewRows(result(), 2)[DATASET_DATA.logo]).toEqual([]);
    expect(datasetNames({ width: 100, shape: false, logo: null })).toEqual([
      DATASET_DATA.histogram,
      DATASET_DATA.cutoff
    ]);
  });

  test('the progress says what runs, the sequences read, the time taken and left', () => {
    expect(progressText({ phase: 'scan', done: 0, total: 1000, millis: 5 })).toBe(
      'Scanning the set: 0 of 1000 sequences · 0.0 s'
    );
    expect(progressText({ phase: 'scan', done: 700, total: 1000, millis: 1400 })).toBe(
      'Scanning the set: 700 of 1000 sequences · 1.4 s, about 0.6 s left'
    );
    expect(progressText({ phase: 'sites', done: 500, total: 1000, millis: 2100 })).toBe(
      'Counting the sites: 500 of 1000 sequences · 2.1 s'
    );
    expect(progressText({ phase: 'match', done: 4, total: 8, millis: 2000 })).toBe(
      'Matching the motifs in JASPAR: 4 of 8 filters · 2.0 s'
    );
  });

  test('a scan’s motifs write as MEME and read back, with their sites', () => {
    const motifs = filterMotifsAsMotifs(result().motifs);
    expect(motifs.map(m => [m.name, m.altName, m.nsites])).toEqual([
      ['conv_f0', 'AA', 30],
      ['conv_f1', 'AT', 20]
    ]);
    const back = readMeme(toMeme(motifs)).motifs;
    expect(back.map(m => m.name)).toEqual(['conv_f0', 'conv_f1']);
    expect(back[1].pwm).toEqual([
      [1, 0, 0, 0],
      [0, 0, 0, 1]
    ]);
    expect(back[0].nsites).toBe(30);
  });
});
