/**
 * Basset's filter motifs over a set of sequences, against hand-computed windows and counts:
 * valid, same and causal padding, strided and dilated layers, a second layer behind
 * pooling; unknown symbols, variable lengths, token and numeric inputs; bad input.
 */
import * as tf from '@tensorflow/tfjs';
import { ExplorerError } from '../../src/core/errors';
import { filterMotifs, MotifScan, scanTuning } from '../../src/core/filterMotifs';
import { column, convModel, letters } from './helpers';

/** Where each site's window starts, per sequence: `name:start`, sorted. */
function siteStarts(names: string[], sites: { sequence: number; start: number }[]): string[] {
  return sites.map(s => `${names[s.sequence]}:${s.start}`).sort();
}

describe('filterMotifs: windows and counts by Basset’s rule', () => {
  test('valid padding: the cutoff is mean + 0.5 × (max − mean) over every position', () => {
    const model = convModel({ length: null, channels: 4, kernel: letters('AC') });
    // Activations: s1 "ACGAC" → 2 0 0 2; s2 "AAAC" → 1 1 2. Mean 8/7, max 2.
    const result = filterMotifs(
      model,
      [
        { name: 's1', sequence: 'ACGAC' },
        { name: 's2', sequence: 'AAAC' }
      ],
      { minSites: 1 }
    );
    const [f] = result.filters;
    expect(f.mean).toBeCloseTo(8 / 7, 6);
    expect(f.max).toBe(2);
    expect(f.cutoff).toBeCloseTo(8 / 7 + 0.5 * (2 - 8 / 7), 6);
    expect(f.sites).toBe(3);
    expect(siteStarts(result.names, f.topSites)).toEqual(['s1:0', 's1:3', 's2:2']);
    expect(f.counts).toEqual([
      [3, 0, 0, 0],
      [0, 3, 0, 0]
    ]);
    // Basset's pseudocount: one per symbol.
    expect(f.pfm![0][0]).toBeCloseTo(4 / 7, 6);
    expect(f.pfm![0][1]).toBeCloseTo(1 / 7, 6);
    expect(f.consensus).toBe('AC');
    expect(f.bits![0]).toBeCloseTo(
      2 + (4 / 7) * Math.log2(4 / 7) + 3 * (1 / 7) * Math.log2(1 / 7),
      6
    );
    expect([result.windowSize, result.jump]).toEqual([2, 1]);
    // Each sequence's maximum: s1 2, s2 2.
    expect(Array.from(result.maxima)).toEqual([2, 2]);
    model.dispose();
  });

  test('same padding: windows reaching into the padding are set aside and counted', () => {
    const model = convModel({ length: null, channels: 4, kernel: letters('.G.'), padding: 'same' });
    // "GAAG" → 1 0 0 1 (its sites' windows start at -1 and 2: past an end); "AGA" → 0 1 0.
    const result = filterMotifs(
      model,
      [
        { name: 'edge', sequence: 'GAAG' },
        { name: 'inside', sequence: 'AGA' }
      ],
      { minSites: 1 }
    );
    const [f] = result.filters;
    expect(f.skipped).toEqual({ pastEnd: 2, unknownSymbol: 0 });
    expect(f.sites).toBe(1);
    expect(siteStarts(result.names, f.topSites)).toEqual(['inside:0']);
    expect(f.counts).toEqual([
      [1, 0, 0, 0],
      [0, 0, 1, 0],
      [1, 0, 0, 0]
    ]);
    model.dispose();
  });

  test('causal and dilated: output p reads positions p − 2 and p', () => {
    const model = convModel({
      length: null,
      channels: 4,
      kernel: letters('TA'),
      padding: 'causal',
      dilationRate: 2
    });
    // "TCAGTTA" → 0 0 2 0 0 0 2: sites at outputs 2 and 6, windows "TCA" and "TTA".
    const result = filterMotifs(model, ['TCAGTTA'], { minSites: 1 });
    const [f] = result.filters;
    expect([result.windowSize, f.sites]).toEqual([3, 2]);
    expect(f.topSites.map(s => [s.position, s.start])).toEqual([
      [2, 0],
      [6, 4]
    ]);
    expect(f.counts).toEqual([
      [0, 0, 0, 2],
      [0, 1, 0, 1],
      [2, 0, 0, 0]
    ]);
    expect(f.skipped.pastEnd).toBe(0);
    model.dispose();
  });

  test('strided: windows start every stride', () => {
    const model = convModel({ length: null, channels: 4, kernel: letters('AC'), strides: 2 });
    // "ACACGGAC" → windows at 0, 2, 4, 6: 2 2 0 2.
    const result = filterMotifs(model, ['ACACGGAC'], { minSites: 1 });
    const [f] = result.filters;
    expect(result.jump).toBe(2);
    expect(f.topSites.map(s => s.start).sort()).toEqual([0, 2, 6]);
    expect(f.counts).toEqual([
      [3, 0, 0, 0],
      [0, 3, 0, 0]
    ]);
    model.dispose();
  });

  test('a second layer behind pooling reads windows of its whole receptive field', () => {
    const first = tf.layers.conv1d({
      name: 'first',
      inputShape: [null, 4],
      filters: 1,
      kernelSize: 2,
      useBias: false
    });
    const second = tf.layers.conv1d({ name: 'second', filters: 1, kernelSize: 2, useBias: false });
    const model = tf.sequential({
      layers: [first, tf.layers.maxPooling1d({ poolSize: 2 }), second]
    });
    first.setWeights([tf.tensor3d(letters('A.'))]); // 1 where the window starts with A
    second.setWeights([tf.tensor3d([[[1]], [[1]]])]);
    // "AGGGGGAG": first 1 0 0 0 0 0 1, pooled 1 0 0, second 1 0.
    // "GGAGGGGG": first 0 0 1 0 0 0 0, pooled 0 1 0, second 1 1.
    // Values 1 0 1 1: cutoff 0.875; a window is 5 positions, every 2.
    const result = filterMotifs(
      model,
      [
        { name: 'a', sequence: 'AGGGGGAG' },
        { name: 'b', sequence: 'GGAGGGGG' }
      ],
      { layer: 'second', minSites: 1 }
    );
    const [f] = result.filters;
    expect([result.windowSize, result.jump]).toEqual([5, 2]);
    expect(siteStarts(result.names, f.topSites)).toEqual(['a:0', 'b:0', 'b:2']);
    expect(f.counts).toEqual([
      [2, 0, 1, 0],
      [0, 0, 3, 0],
      [1, 0, 2, 0],
      [0, 0, 3, 0],
      [0, 0, 3, 0]
    ]);
    model.dispose();
  });
});

describe('filterMotifs: what a set holds', () => {
  test('windows holding an unknown symbol are skipped and counted; lower case is read', () => {
    const model = convModel({ length: null, channels: 4, kernel: letters('AC') });
    // "acNac" reads as ACNAC: 2 0 0 2 (N is a row of zeros); "ANCAC": 1 1 0 2. Cutoff 1.5.
    const [f] = filterMotifs(model, ['acNac', 'ANCAC'], { minSites: 1 }).filters;
    expect([f.sites, f.skipped.unknownSymbol, f.consensus]).toEqual([3, 0, 'AC']);
    // "A?" scores 1 wherever the window starts with A, "GG" 0: cutoff 0.875.
    const first = convModel({ length: null, channels: 4, kernel: letters('A.') });
    const [g] = filterMotifs(first, ['AN', 'AC', 'AG', 'GG'], { minSites: 1 }).filters;
    expect([g.sites, g.skipped.unknownSymbol]).toEqual([2, 1]);
    model.dispose();
    first.dispose();
  });

  test('a filter with fewer sites than minSites has too few: no motif, its count kept', () => {
    const model = convModel({ length: null, channels: 4, kernel: letters('AC') });
    const [f] = filterMotifs(model, ['ACGGG', 'GGGGG']).filters;
    expect([f.sites, f.tooFew, f.pfm, f.consensus]).toEqual([1, true, null, null]);
    expect(f.topSites).toHaveLength(1);
    model.dispose();
  });

  test('token models: the n-grams of the sites, with words', () => {
    const input = tf.input({ shape: [null], dtype: 'int32' });
    const embedding = tf.layers.embedding({ inputDim: 4, outputDim: 1, name: 'emb' });
    const conv = tf.layers.conv1d({ filters: 1, kernelSize: 2, useBias: false, name: 'c' });
    const model = tf.model({
      inputs: input,
      outputs: conv.apply(embedding.apply(input)) as tf.SymbolicTensor
    });
    embedding.setWeights([tf.tensor2d([[0], [1], [2], [3]])]);
    conv.setWeights([tf.tensor3d([[[1]], [[1]]])]); // the sum of two neighbouring ids
    const labels = ['the', 'cat', 'sat', 'mat'];
    const result = filterMotifs(model, ['the cat sat mat', 'cat sat the the'], {
      labels,
      minSites: 1
    });
    const [f] = result.filters;
    // Sums: 1 3 5 / 3 2 0; cutoff 2.3333 + 0.5 × 2.6667 = 3.6667 → only "sat mat" (5).
    expect(f.ngrams).toEqual([{ ids: [2, 3], words: ['sat', 'mat'], count: 1 }]);
    expect([f.counts, f.pfm]).toEqual([null, null]);
    model.dispose();
  });

  test('numeric inputs: the mean and spread of the sites per position and channel', () => {
    const model = convModel({ length: null, channels: 1, kernel: [[[1]], [[1]]] });
    const result = filterMotifs(
      model,
      [
        [[1], [4], [0], [0]],
        [[3], [2], [0], [5]]
      ],
      { minSites: 1 }
    );
    const [f] = result.filters;
    // Sums: 5 4 0 / 5 2 5: mean 3.5, max 5, cutoff 4.25 → windows (1,4), (3,2), (0,5).
    expect(f.sites).toBe(3);
    expect(f.windowMean).toEqual([[4 / 3], [11 / 3]]);
    const spread0 = Math.sqrt((1 + 9 + 0) / 3 - (4 / 3) ** 2);
    expect(f.windowSpread![0][0]).toBeCloseTo(spread0, 6);
    model.dispose();
  });

  test('a scan reports progress in steps and can stop between them', () => {
    const model = convModel({ length: null, channels: 4, kernel: letters('AC') });
    const scan = new MotifScan(model, ['ACGT', 'ACGTA', 'AC'], { minSites: 1 });
    // Three lengths: three batches through the model, then their sites counted.
    expect(scan.progress).toEqual({ pass: 'model', done: 0, total: 3 });
    expect(() => scan.result()).toThrow(/not finished/);
    scan.step();
    expect(scan.progress).toEqual({ pass: 'model', done: 1, total: 3 });
    scan.step();
    scan.step();
    expect(scan.stage).toBe('counting');
    expect(scan.progress).toEqual({ pass: 'sites', done: 0, total: 3 });
    scan.step(); // the first batch's sites
    expect(scan.progress).toEqual({ pass: 'sites', done: 1, total: 3 });
    while (!scan.step()) {
      // on
    }
    expect(scan.progress).toEqual({ pass: 'sites', done: 3, total: 3 });
    expect(scan.result().filters[0].sites).toBe(3);
    model.dispose();
  });
});

/** A seeded generator of numbers in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Basset's rule the slow way: every sequence alone through the model, every window listed. */
function bruteForce(model: tf.LayersModel, sequences: string[], threshold: number) {
  const activations = sequences.map(sequence =>
    tf.tidy(() => {
      const x = tf.oneHot(
        tf.tensor1d(
          [...sequence].map(ch => 'ACGT'.indexOf(ch)),
          'int32'
        ),
        4
      );
      const out = model.predict(x.toFloat().expandDims(0)) as tf.Tensor;
      return out.squeeze([0]).arraySync() as number[][];
    })
  );
  const filters = activations[0][0].length;
  return Array.from({ length: filters }, (_, f) => {
    const all = activations.flatMap(rows => rows.map(row => row[f]));
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    const max = Math.max(...all);
    const cutoff = mean + threshold * (max - mean);
    let sites = 0;
    const window = sequences[0].length - activations[0].length + 1;
    const counts = Array.from({ length: window }, () => [0, 0, 0, 0]);
    activations.forEach((rows, s) =>
      rows.forEach((row, p) => {
        if (row[f] > cutoff) {
          sites++;
          for (let i = 0; i < window; i++) {
            counts[i]['ACGT'.indexOf(sequences[s][p + i])]++;
          }
        }
      })
    );
    return { cutoff, sites, counts };
  });
}

describe('filterMotifs: one pass over the model, exactly Basset’s sites', () => {
  const next = seeded(7);
  const kernel = Array.from({ length: 5 }, () =>
    Array.from({ length: 4 }, () => Array.from({ length: 6 }, () => next() * 2 - 1))
  );
  const model = convModel({
    length: null,
    channels: 4,
    kernel,
    bias: [0.1, -0.2, 0, 0.3, -0.5, 0.2],
    activation: 'relu'
  });
  // Many lengths make many batches, so the bound of the early ones is low.
  const sequences = Array.from({ length: 300 }, () =>
    Array.from({ length: 20 + Math.floor(next() * 60) }, () => 'ACGT'[Math.floor(next() * 4)]).join(
      ''
    )
  );
  const expected = bruteForce(model, sequences, 0.5);
  afterAll(() => model.dispose());

  function expectBasset(filters: ReturnType<typeof filterMotifs>['filters']): void {
    filters.forEach((f, i) => {
      expect(f.cutoff).toBeCloseTo(expected[i].cutoff, 5);
      expect(f.sites).toBe(expected[i].sites);
      expect(f.counts).toEqual(expected[i].counts);
    });
  }

  test('the sites and counts are those of every window, each sequence run alone', () => {
    const result = filterMotifs(model, sequences, { minSites: 1 });
    expect(result.filters.every(f => f.sites > 10)).toBe(true);
    expectBasset(result.filters);
  });

  test('cutting the kept activations down as it goes changes nothing', () => {
    const before = { ...scanTuning };
    scanTuning.maxKept = 0;
    try {
      expectBasset(filterMotifs(model, sequences, { minSites: 1 }).filters);
    } finally {
      Object.assign(scanTuning, before);
    }
  });

  test('past the keep limit it keeps nothing and runs every batch again: the same sites', () => {
    const kept = filterMotifs(model, sequences, { minSites: 1 });
    const before = { ...scanTuning };
    Object.assign(scanTuning, { maxKept: 0, keepLimit: 0 });
    try {
      const result = filterMotifs(model, sequences, { minSites: 1 });
      expectBasset(result.filters);
      expect(result.filters).toEqual(kept.filters);
    } finally {
      Object.assign(scanTuning, before);
    }
  });

  test('shared between scans: the second hands its part to the first, which counts the sites', () => {
    const first = new MotifScan(model, sequences, { minSites: 1 }, { index: 0, of: 2 });
    const second = new MotifScan(model, sequences, { minSites: 1 }, { index: 1, of: 2 });
    while (first.stage === 'reading') {
      first.step();
    }
    expect(first.stage).toBe('waiting');
    expect(() => first.step()).toThrow(/waits for 1 more/);
    expect(() => first.part()).toThrow(/Only a share other than 0/);
    while (!second.step()) {
      // its share only
    }
    const part = second.part();
    expect(part.kept.map(k => k.batch).every(b => b % 2 === 1)).toBe(true);
    first.addPart(part);
    expect(() => first.addPart(part)).toThrow(/once per other share/);
    while (!first.step()) {
      // the sites of every batch
    }
    const whole = filterMotifs(model, sequences, { minSites: 1 });
    expect(first.result().filters).toEqual(whole.filters);
    expect(Array.from(first.result().maxima)).toEqual(Array.from(whole.maxima));
    expectBasset(first.result().filters);
    expect(() => second.result()).toThrow(/not finished/);
  });

  test('a share outside the scan’s shares is refused', () => {
    expect(() => new MotifScan(model, sequences, {}, { index: 2, of: 2 })).toThrow(
      "The scan's share is 2 of 2: expected a whole number from 0 to 1."
    );
  });

  test('a batch whose bound ends above the cutoff runs again and keeps its sites', () => {
    const identity = convModel({ length: null, channels: 1, kernel: [[[1]]] });
    // The first batch (length 2) alone: mean = max = 10, so it keeps nothing above 10. With
    // the zeros of the second, mean 4 and cutoff 7: both its positions are sites.
    const result = filterMotifs(identity, [column([10, 10]), column([0, 0, 0])], {
      minSites: 1
    });
    expect(result.filters[0].cutoff).toBe(7);
    expect(result.filters[0].sites).toBe(2);
    identity.dispose();
  });

  test('a batch cut down to a later bound that ends above the cutoff runs again', () => {
    const identity = convModel({ length: null, channels: 1, kernel: [[[1]]] });
    const before = scanTuning.maxKept;
    scanTuning.maxKept = 0;
    try {
      // [8, 2] keeps 8 (bound 6.35); after [12, 12, 12] it is cut to 10.46 and the 8 goes;
      // the zeros bring the cutoff to 3.54 + 0.5 × 8.46 = 7.77, so the 8 is a site again.
      const set = [
        column([8, 2]),
        column([12, 12, 12]),
        column([0, 0, 0, 0]),
        column([0, 0, 0, 0])
      ];
      const [f] = filterMotifs(identity, set, { minSites: 1 }).filters;
      expect(f.cutoff).toBeCloseTo(46 / 13 + 0.5 * (12 - 46 / 13), 6);
      expect(f.sites).toBe(4);
      expect(f.topSites.map(s => s.activation)).toEqual([12, 12, 12, 8]);
    } finally {
      scanTuning.maxKept = before;
      identity.dispose();
    }
  });
});

describe('filterMotifs: bad input says what is wrong', () => {
  const model = convModel({ length: null, channels: 4, kernel: letters('ACG') });

  test('an activation that overflows names its sequence, position and filter', () => {
    const model = convModel({ length: null, channels: 1, kernel: [[[1e38]]] });
    const set = [
      { name: 'fine', sequence: [[1], [0]] },
      { name: 'huge', sequence: [[0], [1e38]] }
    ];
    expect(() => filterMotifs(model, set)).toThrow(
      'Layer "conv" computes Infinity for sequence "huge" at position 1, filter 0; expected finite activations.'
    );
  });

  test('an empty set', () => {
    expect(() => filterMotifs(model, [])).toThrow(/set of sequences is empty/);
  });

  test('a threshold outside (0, 1]', () => {
    for (const threshold of [0, -0.5, 1.5, NaN]) {
      expect(() => filterMotifs(model, ['ACGT'], { threshold })).toThrow(
        /expected a number in \(0, 1\]/
      );
    }
  });

  test('sequences too short for the layer are all named', () => {
    expect(() =>
      filterMotifs(model, [
        { name: 'ok', sequence: 'ACGT' },
        { name: 'tiny', sequence: 'AC' },
        { name: 'tinier', sequence: 'A' }
      ])
    ).toThrow(/2 of 3 sequences are shorter than the 3 positions.*"tiny", "tinier"/);
  });

  test('a sequence that does not fit names itself', () => {
    expect(() => filterMotifs(model, ['ACGT', [[1, 0]]])).toThrow(ExplorerError);
    expect(() => filterMotifs(model, ['ACGT', [[1, 0]]])).toThrow(/Sequence "seq2": /);
  });
});
