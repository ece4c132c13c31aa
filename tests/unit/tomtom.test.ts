/**
 * Tomtom (src/core/tomtom.ts): self, reverse-complement and sub-motif matches among seeded
 * decoys, a null checked against brute-force enumeration for both column scores,
 * Benjamini–Hochberg by hand, the minimum overlap, Basset's trim, and the refusals.
 */
import { ExplorerError } from '../../src/core/errors';
import {
  benjaminiHochberg,
  matchMotifs,
  medianOf,
  type ColumnScore,
  type NamedPwm
} from '../../src/core/tomtom';
import { BASSET_TRIM_BITS, informativeColumns } from '../../src/core/pwm';
import { reverseComplement } from '../../src/core/tomtomColumns';
import { nullPValue, nullsByLength, type LengthNull } from '../../src/core/tomtomNull';
import { rng } from '../../examples/train/data';

const random = rng;

/** A random probability column, peaked like a real motif's (Dirichlet(0.5)-ish). */
function randomColumn(next: () => number): number[] {
  const raw = [0, 1, 2, 3].map(() => (-Math.log(1 - next())) ** 2);
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map(v => v / sum);
}

function randomMotifs(count: number, seed: number, prefix = 'decoy'): NamedPwm[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}${i}`,
    pwm: Array.from({ length: 8 + Math.floor(next() * 5) }, () => randomColumn(next))
  }));
}

/** One strong column per letter of a word. */
function strong(word: string): number[][] {
  return [...word].map(letter => [0, 1, 2, 3].map(k => ('ACGT'[k] === letter ? 0.91 : 0.03)));
}

/** A column score straight from its definition: Pearson's correlation or −Euclidean. */
function columnScore(x: readonly number[], y: readonly number[], distance: ColumnScore): number {
  if (distance === 'ed') {
    return -Math.sqrt(x.reduce((s, v, k) => s + (v - y[k]) ** 2, 0));
  }
  const mx = x.reduce((a, b) => a + b) / 4;
  const my = y.reduce((a, b) => a + b) / 4;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((v, k) => {
    sxy += (v - mx) * (y[k] - my);
    sxx += (v - mx) ** 2;
    syy += (y[k] - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

const DECOYS = randomMotifs(30, 7);

describe('Tomtom matches', () => {
  test.each<ColumnScore>(['pearson', 'ed'])(
    'a motif finds itself first, at offset 0 on +, among 30 decoys (%s)',
    distance => {
      const query = { name: 'q', pwm: DECOYS[12].pwm };
      const [result] = matchMotifs([query], DECOYS, { distance });
      expect(result.query).toBe('q');
      const [first, second] = result.matches;
      expect(first).toMatchObject({ target: 'decoy12', offset: 0, strand: '+' });
      expect(Object.keys(first).sort()).toEqual(
        ['eValue', 'offset', 'overlap', 'pValue', 'qValue', 'score', 'strand', 'target'].sort()
      );
      expect(first.overlap).toBe(DECOYS[12].pwm.length);
      expect(first.pValue).toBeLessThan(second.pValue);
      expect(first.pValue).toBeLessThan(1e-4);
      expect(first.eValue).toBeCloseTo(first.pValue * 30, 12);
      expect(result.matches).toHaveLength(10);
      const ps = result.matches.map(m => m.pValue);
      expect(ps).toEqual([...ps].sort((a, b) => a - b));
    }
  );

  test('its reverse complement matches on − at offset 0', () => {
    const query = { name: 'rc', pwm: reverseComplement(DECOYS[5].pwm) };
    const [{ matches }] = matchMotifs([query], DECOYS);
    expect(matches[0]).toMatchObject({ target: 'decoy5', offset: 0, strand: '-' });
    expect(reverseComplement([[0.1, 0.2, 0.3, 0.4]])).toEqual([[0.4, 0.3, 0.2, 0.1]]);
  });

  test('a sub-motif (columns 2..7 of a length-10 target) sits at offset 2, overlap 6', () => {
    const next = random(11);
    const target = {
      name: 'long',
      pwm: Array.from({ length: 10 }, () => randomColumn(next))
    };
    const query = { name: 'sub', pwm: target.pwm.slice(2, 8) };
    const [{ matches }] = matchMotifs([query], [...DECOYS, target]);
    expect(matches[0]).toMatchObject({ target: 'long', offset: 2, overlap: 6, strand: '+' });
  });

  test("Basset's trim leaves a query's uninformative ends out; offsets count the whole query", () => {
    const next = random(11);
    const target = { name: 'long', pwm: Array.from({ length: 10 }, () => randomColumn(next)) };
    const flat = [0.3, 0.22, 0.2, 0.28]; // 0.01 bits
    const core = target.pwm.slice(2, 8);
    const query = { name: 'padded', pwm: [flat, flat, flat, ...core, flat, flat] };
    const targets = [...DECOYS, target];
    const [trimmed] = matchMotifs([query], targets, { trim: BASSET_TRIM_BITS });
    const [alone] = matchMotifs([{ name: 'padded', pwm: core }], targets);
    expect(trimmed.compared).toEqual({ start: 3, end: 9 });
    expect(trimmed.matches[0]).toMatchObject({ target: 'long', offset: 2 - 3, overlap: 6 });
    // The same comparison as the core alone, its offsets shifted by the 3 columns trimmed.
    expect(trimmed.matches).toEqual(alone.matches.map(m => ({ ...m, offset: m.offset - 3 })));
    // Untrimmed, the flat ends take part, and change the p-values.
    const [whole] = matchMotifs([query], targets);
    expect(whole.compared).toBeUndefined();
    expect(whole.matches[0].pValue).not.toBeCloseTo(trimmed.matches[0].pValue, 12);
  });

  test('a query with fewer than two informative columns is not compared when trimmed', () => {
    const flat = [0.25, 0.25, 0.25, 0.25];
    const one = [flat, [0.7, 0.1, 0.1, 0.1], flat];
    for (const pwm of [[flat, flat, flat], one]) {
      expect(matchMotifs([{ name: 'q', pwm }], DECOYS, { trim: 0.2 })).toEqual([
        { query: 'q', matches: [], compared: null }
      ]);
    }
  });

  test('informativeColumns: the bits of each end column, by hand', () => {
    // 2 − H: [0.4, 0.2, 0.2, 0.2] has 0.078 bits, [0.7, 0.1, 0.1, 0.1] 0.643 bits.
    const weak = [0.4, 0.2, 0.2, 0.2];
    const mid = [0.7, 0.1, 0.1, 0.1];
    const pwm = [weak, mid, weak, mid, weak];
    expect(informativeColumns(pwm, 0.2)).toEqual({ start: 1, end: 4 });
    expect(informativeColumns(pwm, 0.07)).toEqual({ start: 0, end: 5 });
    expect(informativeColumns(pwm, 0.65)).toBeNull();
    expect(informativeColumns([mid, mid], 0.643)).toEqual({ start: 0, end: 2 });
    expect(informativeColumns([mid, mid], 0.644)).toBeNull();
  });

  test('minOverlap 5 excludes the best placement when it overlaps 3 columns', () => {
    // The query's last 3 columns are the target's first 3; everything else disagrees.
    const target = { name: 't', pwm: strong('ACGTTTTT') };
    const query = { name: 'q', pwm: strong('CCCCCACG') };
    const targets = [...DECOYS, target];
    const find = (minOverlap: number) =>
      matchMotifs([query], targets, { minOverlap, maxMatches: Infinity })[0].matches.find(
        m => m.target === 't'
      );
    const loose = find(1);
    expect(loose).toMatchObject({ offset: -5, overlap: 3, strand: '+' });
    const strict = find(5);
    expect(strict?.overlap).toBeGreaterThanOrEqual(5);
    expect(strict?.pValue).toBeGreaterThan(loose?.pValue ?? 1);
    // A minimum above the shorter motif's length is lowered to it.
    const short = { name: 's', pwm: strong('ACG') };
    const [{ matches }] = matchMotifs([short], [...DECOYS, target], { minOverlap: 5 });
    expect(matches[0]).toMatchObject({ target: 't', offset: 0, overlap: 3 });
  });

  test.each<ColumnScore>(['pearson', 'ed'])(
    'a database of 10 000 columns (sampled medians): the scores use the exact medians (%s)',
    distance => {
      const next = random(99);
      const targets = Array.from({ length: 500 }, (_, i) => ({
        name: `big${i}`,
        pwm: Array.from({ length: 10 }, () => randomColumn(next))
      }));
      const query = { name: 'q', pwm: randomMotifs(1, 5)[0].pwm.slice(0, 8) };
      const [{ matches }] = matchMotifs([query], targets, { distance, maxMatches: 3 });
      // Medians by sorting every score, here.
      const columns = targets.flatMap(t => [...t.pwm, ...reverseComplement(t.pwm)]);
      expect(columns).toHaveLength(10000);
      const medians = query.pwm.map(x => {
        const s = columns.map(y => columnScore(x, y, distance)).sort((a, b) => a - b);
        return (s[4999] + s[5000]) / 2;
      });
      for (const m of matches) {
        const target = targets.find(t => t.name === m.target)?.pwm ?? [];
        const strand = m.strand === '+' ? target : reverseComplement(target);
        let score = 0;
        query.pwm.forEach((x, l) => {
          const column = strand[l + m.offset];
          score += column ? columnScore(x, column, distance) - medians[l] : 0;
        });
        expect(m.score).toBeCloseTo(score, 12);
      }
    }
  );

  test('ties: the larger overlap wins, then the + strand', () => {
    // A uniform column correlates with nothing: its shifted score is exactly 0 everywhere,
    // so "AC" on the target's first AC (query column 0 hanging off) and on its second (the
    // uniform column on G) score the same; the second overlaps 3 columns, not 2.
    const uniform = [0.25, 0.25, 0.25, 0.25];
    const query = { name: 'uAC', pwm: [uniform, ...strong('AC')] };
    const twice = { name: 'ACGAC', pwm: strong('ACGAC') };
    const [{ matches }] = matchMotifs([query], [...DECOYS, twice], { minOverlap: 1 });
    expect(matches[0]).toMatchObject({ target: 'ACGAC', offset: 2, overlap: 3, strand: '+' });
    // ACGT is its own reverse complement: both strands tie, + is reported.
    const palindrome = { name: 'ACGT', pwm: strong('ACGT') };
    const [{ matches: both }] = matchMotifs([palindrome], [...DECOYS, palindrome]);
    expect(both[0]).toMatchObject({ target: 'ACGT', offset: 0, overlap: 4, strand: '+' });
  });

  test('the q-values are Benjamini–Hochberg over all targets, the E-values p × targets', () => {
    const close = (got: number[], want: number[]): void => {
      expect(got).toHaveLength(want.length);
      got.forEach((q, i) => expect(q).toBeCloseTo(want[i], 14));
    };
    // Ranks 1..4 are 0.01, 0.03, 0.04, 0.2: p·4/rank = 0.04, 0.06, 0.0533…, 0.2, then the
    // running minimum from the top makes rank 2 take rank 3's 0.0533….
    close(benjaminiHochberg([0.01, 0.04, 0.03, 0.2]), [0.04, 0.16 / 3, 0.16 / 3, 0.2]);
    // 0.03·3/1 = 0.09 > 0.05·3/2 = 0.075 > 0.05·3/3: the running minimum from the top.
    close(benjaminiHochberg([0.05, 0.03, 0.05]), [0.05, 0.05, 0.05]);
    close(benjaminiHochberg([0.9, 0.001]), [0.9, 0.002]);
    // Rank 1's 0.8·2/1 = 1.6 is capped by rank 2's 1.
    close(benjaminiHochberg([0.8, 1]), [1, 1]);

    const [{ matches }] = matchMotifs([{ name: 'q', pwm: DECOYS[3].pwm }], DECOYS, {
      maxMatches: Infinity
    });
    expect(matches).toHaveLength(30);
    const ps = matches.map(m => m.pValue);
    const expected = benjaminiHochberg(ps);
    matches.forEach((m, i) => {
      expect(m.qValue).toBe(expected[i]);
      expect(m.eValue).toBe(m.pValue * 30);
    });
    expect(matches[0].qValue).toBeCloseTo(matches[0].pValue * 30, 12);
  });
});

describe('Tomtom median', () => {
  const sortedMedian = (values: number[]): number => {
    const s = [...values].sort((a, b) => a - b);
    return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
  };
  test('small lists: the middle value, or the mean of the two middle ones', () => {
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([4, 1, 3, 2])).toBe(2.5);
    expect(medianOf([7])).toBe(7);
    expect(medianOf([5, 5, 5, 5])).toBe(5);
  });
  test('long lists (sampled bracket, then selection) match sorting exactly', () => {
    const next = random(3);
    const cases = [
      Array.from({ length: 20001 }, () => next() * 2 - 1),
      Array.from({ length: 30000 }, () => Math.floor(next() * 7) / 7), // many ties
      Array.from({ length: 25000 }, (_, i) => i), // sorted
      Array.from({ length: 25000 }, () => -Math.log(1 - next())) // skewed
    ];
    for (const values of cases) {
      expect(medianOf(values)).toBe(sortedMedian(values));
    }
  });
  test('a sample that misses the middle falls back to buckets, still exact', () => {
    // Every sampled position (a multiple of the stride, 5 here) holds 0, the rest rise.
    const values = Array.from({ length: 20480 }, (_, i) => (i % 5 === 0 ? 0 : i));
    expect(medianOf(values)).toBe(sortedMedian(values));
    expect(() => medianOf([])).toThrow(ExplorerError);
  });
});

describe('Tomtom null, by brute force', () => {
  // One or two small targets: the database is their columns and their reverse complements',
  // 2 Σt in all. Everything below is computed here, not by the module, from the definitions.
  const QUERY = [
    [0.6, 0.2, 0.1, 0.1],
    [0.1, 0.1, 0.3, 0.5],
    [0.2, 0.5, 0.2, 0.1]
  ];
  const TARGETS = [
    [
      [0.5, 0.3, 0.1, 0.1],
      [0.2, 0.1, 0.2, 0.5],
      [0.1, 0.6, 0.2, 0.1]
    ],
    [
      [0.1, 0.2, 0.6, 0.1],
      [0.4, 0.1, 0.1, 0.4]
    ]
  ];

  // [distance, query length, the targets' lengths]
  const cases: [ColumnScore, number, number[]][] = [
    ['pearson', 2, [2]],
    ['ed', 2, [2]],
    ['pearson', 3, [2]],
    ['ed', 2, [3]],
    ['pearson', 2, [2, 1]],
    ['ed', 3, [1, 2]]
  ];
  test.each(cases)('p-values to 1e-9 (%s, query of %i, targets of %j)', (distance, q, lengths) => {
    const query = QUERY.slice(0, q);
    const targets = lengths.map((t, i) => TARGETS[i].slice(0, t));
    const strands = targets.flatMap(target => [
      target,
      [...target].reverse().map(c => [c[3], c[2], c[1], c[0]])
    ]);
    const columns = strands.flat();
    const n = columns.length;
    // Raw scores, shifted by each query column's median (the mean of the middle two).
    const shifted = query.map(x => {
      const s = columns.map(y => columnScore(x, y, distance));
      const sorted = [...s].sort((a, b) => a - b);
      const median = (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      return s.map(v => v - median);
    });
    const all = shifted.flat();
    const offset = Math.floor(Math.min(...all));
    const scale = Math.floor(100 / (Math.max(...all) - offset));
    const ints = shifted.map(row => row.map(v => Math.round((v - offset) * scale)));
    const zero = -offset * scale;

    const [results] = matchMotifs(
      [{ name: 'q', pwm: query }],
      targets.map((pwm, i) => ({ name: `t${i}`, pwm })),
      { distance, minOverlap: 1, maxMatches: Infinity }
    );
    let start = 0;
    targets.forEach((target, i) => {
      const t = target.length;
      // Placement o (from 1 − q to t − 1) aligns query column l with target column l + o.
      const offsets = Array.from({ length: q + t - 1 }, (_, k) => k + 1 - q);
      const aligned = (o: number): number[] =>
        Array.from({ length: q }, (_, l) => l).filter(l => l + o >= 0 && l + o < t);

      // Observed: the best complete integer score over the placements of both strands; on
      // a tie the larger overlap, then +, then the leftmost.
      const candidates = [start, start + t].flatMap(first =>
        offsets.map(o => ({
          s: Array.from({ length: q }, (_, l) =>
            aligned(o).includes(l) ? ints[l][first + l + o] : zero
          ).reduce((a, b) => a + b),
          overlap: aligned(o).length,
          o,
          first
        }))
      );
      const chosen = candidates.reduce((a, b) =>
        b.s > a.s || (b.s === a.s && b.overlap > a.overlap) ? b : a
      );

      // Null of length t: every placement of a strand draws, for each aligned query column,
      // one of the n database columns with probability 1/n, all independently; every draw.
      const slots = offsets.flatMap(o => aligned(o).map(l => ({ o, l })));
      const strandMax = new Map<number, number>();
      const draw = new Array<number>(slots.length).fill(0);
      for (let k = 0; k < n ** slots.length; k++) {
        let rest = k;
        slots.forEach((_, j) => {
          draw[j] = rest % n;
          rest = Math.floor(rest / n);
        });
        const best = Math.max(
          ...offsets.map(o => {
            let sum = (q - aligned(o).length) * zero;
            slots.forEach((slot, j) => {
              sum += slot.o === o ? ints[slot.l][draw[j]] : 0;
            });
            return sum;
          })
        );
        strandMax.set(best, (strandMax.get(best) ?? 0) + n ** -slots.length);
      }
      // Two strands, independent: P(max of both ≥ observed), pair by pair.
      let pValue = 0;
      strandMax.forEach((p1, best1) =>
        strandMax.forEach((p2, best2) => {
          pValue += Math.max(best1, best2) >= chosen.s ? p1 * p2 : 0;
        })
      );
      if (i === 0) {
        expect(pValue).toBeGreaterThan(0.01);
        expect(pValue).toBeLessThan(0.99);
      }

      const match = results.matches.find(m => m.target === `t${i}`);
      expect(Math.abs((match?.pValue ?? -1) - pValue)).toBeLessThan(1e-9);
      expect(match).toMatchObject({
        strand: chosen.first === start ? '+' : '-',
        offset: chosen.o,
        overlap: chosen.overlap
      });
      // Its real-valued complete score: the aligned columns' shifted scores.
      const score = aligned(chosen.o).reduce(
        (sum, l) => sum + shifted[l][chosen.first + l + chosen.o],
        0
      );
      expect(match?.score).toBeCloseTo(score, 12);
      start += 2 * t;
    });
    if (targets.length === 1) {
      expect(results.matches[0].eValue).toBe(results.matches[0].pValue);
      expect(results.matches[0].qValue).toBe(results.matches[0].pValue);
    }
  });

  test('the null by hand: one column, a score of 1 with probability ε, lengths 1 and 3', () => {
    // q = 1, f = [1 − ε, ε], zero bin 0. Length 1: 1 placement per strand, so
    // P(max ≥ 1) = 1 − (1 − ε)²; length 3: 3 per strand, 1 − (1 − ε)⁶. ε spans the three
    // ways a log is taken: a series (ε < 1e−5), log1p (ε < 0.5) and log(P(below)).
    for (const eps of [1e-8, 0.01, 0.9]) {
      const nulls = nullsByLength({ pmfs: [Float64Array.from([1 - eps, eps])], zero: 0 }, [3, 1]);
      const one = nulls.get(1) as LengthNull;
      const three = nulls.get(3) as LengthNull;
      const exact = (k: number): number => -Math.expm1(k * Math.log1p(-eps));
      expect(nullPValue(one, 1, 2) / exact(2)).toBeCloseTo(1, 12);
      expect(nullPValue(three, 1, 2) / exact(6)).toBeCloseTo(1, 12);
      expect(nullPValue(three, 1, 1) / exact(3)).toBeCloseTo(1, 12);
      expect(nullPValue(three, 0, 2)).toBe(1);
    }
  });

  test('the null by hand: two columns, lengths 1 and 2', () => {
    // q = 2, f₀ = f₁ = [1 − ε, ε], zero bin 0. Length 1 places [1], [0]; length 2 places
    // [1], [0..1], [0]. Per strand, P(max ≥ 1) is 1 − (1 − ε)² and 1 − (1 − ε)⁴ (the pair
    // is below 1 only if both are 0); P(max ≥ 2) is 0 and ε².
    const eps = 0.01;
    const f = Float64Array.from([1 - eps, eps]);
    const nulls = nullsByLength({ pmfs: [f, f], zero: 0 }, [2, 1]);
    const [one, two] = [nulls.get(1), nulls.get(2)] as LengthNull[];
    const both = (p: number): number => p * (2 - p);
    const near = (got: number, want: number): void => expect(got / want).toBeCloseTo(1, 12);
    near(nullPValue(one, 1, 2), both(1 - (1 - eps) ** 2));
    near(nullPValue(two, 1, 2), both(1 - (1 - eps) ** 4));
    near(nullPValue(two, 2, 2), both(eps ** 2));
    expect(nullPValue(one, 2, 2)).toBe(0);
    // Columns that never score 0: the pair always reaches 2, so 2 has p-value 1; only the
    // pair reaches 3, with probability 1 − (1 − ε)².
    const g = Float64Array.from([0, 1 - eps, eps]);
    const shifted = nullsByLength({ pmfs: [g, g], zero: 0 }, [2]).get(2) as LengthNull;
    expect(nullPValue(shifted, 2, 2)).toBe(1);
    near(nullPValue(shifted, 3, 2), both(1 - (1 - eps) ** 2));
  });
});

describe('Tomtom refuses bad input, saying what is expected', () => {
  const ok = DECOYS.slice(0, 3);
  const cases: [string, () => unknown, RegExp][] = [
    ['no queries', () => matchMotifs([], ok), /at least one motif in queries/],
    ['no targets', () => matchMotifs(ok, []), /at least one motif in targets/],
    [
      'a PWM without columns',
      () => matchMotifs([{ name: 'e', pwm: [] }], ok),
      /queries\[0\] \("e"\) has no columns: expected a PWM of at least 1/
    ],
    [
      'a row of 3',
      () => matchMotifs(ok, [...ok, { name: 'w', pwm: [[0.5, 0.25, 0.25]] }]),
      /targets\[3\] \("w"\) position 0 has 3 values: expected 4/
    ],
    [
      'NaN',
      () => matchMotifs([{ name: 'n', pwm: [[NaN, 0, 0, 1]] }], ok),
      /position 0, letter A is NaN: expected a finite probability/
    ],
    [
      'Infinity',
      () => matchMotifs([{ name: 'n', pwm: [[0, Infinity, 0, 1]] }], ok),
      /letter C is Infinity/
    ],
    [
      'a negative value',
      () => matchMotifs([{ name: 'n', pwm: [[0.5, 0.5, -0.1, 0.1]] }], ok),
      /letter G is -0.1: expected a finite probability ≥ 0/
    ],
    [
      'no name',
      () => matchMotifs([{ pwm: [[1, 0, 0, 0]] } as unknown as NamedPwm], ok),
      /queries\[0\] has no name/
    ],
    ['minOverlap 0', () => matchMotifs(ok, ok, { minOverlap: 0 }), /minOverlap .* ≥ 1; got 0/],
    ['minOverlap 2.5', () => matchMotifs(ok, ok, { minOverlap: 2.5 }), /got 2.5/],
    [
      'an unknown distance',
      () => matchMotifs(ok, ok, { distance: 'kl' as ColumnScore }),
      /"kl" is not known: expected 'pearson' or 'ed'/
    ],
    ['maxMatches 0', () => matchMotifs(ok, ok, { maxMatches: 0 }), /maxMatches .* got 0/],
    [
      'trim below 0',
      () => matchMotifs(ok, ok, { trim: -0.1 }),
      /trim must be .* 0 to 2 .* got -0.1/
    ],
    ['trim above 2 bits', () => matchMotifs(ok, ok, { trim: 3 }), /trim must be .* got 3/],
    [
      'an unknown option',
      () => matchMotifs(ok, ok, { minoverlap: 3 } as never),
      /Unknown Tomtom option minoverlap: expected distance, minOverlap, maxMatches/
    ]
  ];
  test.each(cases)('%s', (_, run, message) => {
    expect(run).toThrow(ExplorerError);
    expect(run).toThrow(message);
  });

  test('good input of the edge sizes passes: 1-column motifs, minOverlap 1', () => {
    const one = [{ name: 'a', pwm: strong('A') }];
    const [{ matches }] = matchMotifs(one, [...one, ...ok], { minOverlap: 1 });
    expect(matches[0]).toMatchObject({ target: 'a', offset: 0, overlap: 1, strand: '+' });
  });
});
