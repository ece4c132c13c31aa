/**
 * Counting a filter's sites as a scan finds them: the windows that reach past an end or
 * hold a symbol outside the alphabet are set aside (and counted), the others are summed
 * into what the input kind calls for (symbol counts, n-grams, or values per position and
 * channel), and the strongest sites are kept. Nothing about a site is stored beyond that,
 * so a scan of many sequences stays small.
 */
import { consensusSequence, informationContent } from './pwm';
import type { SequenceSet } from './sequenceSet';

/** One site: where a filter's activation passed its cutoff. */
export interface Site {
  /** Index of the sequence in the set. */
  sequence: number;
  /** The window's first input position. */
  start: number;
  /** The layer's output position. */
  position: number;
  activation: number;
}

/** One n-gram of token windows, with how many sites it was. */
export interface NGram {
  ids: number[];
  /** The words, when a vocabulary was given. */
  words: string[] | null;
  count: number;
}

/** What a filter's sites add up to; the fields of other input kinds are null. */
export interface SiteSummary {
  sites: number;
  /** The strongest sites, strongest first. */
  topSites: Site[];
  /** One-hot: `counts[position][symbol]` over the sites' windows. */
  counts: number[][] | null;
  /** One-hot: the frequencies, `(count + pseudocount) / (sites + pseudocount × symbols)`. */
  pfm: number[][] | null;
  /** One-hot: the most frequent symbol at each position. */
  consensus: string | null;
  /** One-hot: the information content of each position, in bits. */
  bits: number[] | null;
  /** Tokens: the windows' n-grams, most frequent first (at most `MAX_NGRAMS`). */
  ngrams: NGram[] | null;
  /** Numeric: the mean and the standard deviation, `[position][channel]`, over the sites. */
  windowMean: number[][] | null;
  windowSpread: number[][] | null;
}

/** How many n-grams a summary lists. */
export const MAX_NGRAMS = 20;

/** How the counter counts. */
export interface SiteCounterOptions {
  /** Input positions in a window. */
  windowSize: number;
  /** Strongest sites kept per filter. */
  maxSites: number;
  /** Added to each one-hot count before it becomes a frequency. */
  pseudocount: number;
}

/** The sites of every filter of a layer over one set. */
export class SiteCounter {
  private readonly sites: Int32Array;
  private readonly pastEnd: Int32Array;
  private readonly unknown: Int32Array;
  private readonly top: Site[][];
  /** One-hot: counts; numeric: sums, then sums of squares; per filter, `[position × width]`. */
  private readonly sums: Float64Array[];
  private readonly squares: Float64Array[];
  private readonly grams: Map<string, number>[];
  /** Unknown symbols before each position of the current sequence (one-hot sets). */
  private unknownBefore = new Int32Array(1);
  private current = -1;

  /**
   * @param set - the sequences scanned
   * @param filters - the layer's filters
   * @param options - window size, sites kept, pseudocount
   */
  constructor(
    private readonly set: SequenceSet,
    filters: number,
    private readonly options: SiteCounterOptions
  ) {
    const cells = options.windowSize * set.width;
    const each = <T>(make: () => T): T[] => Array.from({ length: filters }, make);
    this.sites = new Int32Array(filters);
    this.pastEnd = new Int32Array(filters);
    this.unknown = new Int32Array(filters);
    this.top = each(() => []);
    this.sums = set.kind === 'tokens' ? [] : each(() => new Float64Array(cells));
    this.squares = set.kind === 'numeric' ? each(() => new Float64Array(cells)) : [];
    this.grams = set.kind === 'tokens' ? each(() => new Map()) : [];
  }

  /**
   * Prepares for the sites of one sequence.
   *
   * @param sequence - its index in the set
   */
  startSequence(sequence: number): void {
    this.current = sequence;
    if (this.set.kind === 'onehot') {
      const symbols = this.set.data[sequence];
      this.unknownBefore = new Int32Array(symbols.length + 1);
      for (let i = 0; i < symbols.length; i++) {
        this.unknownBefore[i + 1] = this.unknownBefore[i] + (symbols[i] < 0 ? 1 : 0);
      }
    }
  }

  /**
   * Counts one window whose activation passed the filter's cutoff.
   *
   * @param filter - the filter
   * @param sequence - the sequence (the one `startSequence` was called for)
   * @param start - the window's first input position (may be negative, into padding)
   * @param position - the layer's output position
   * @param activation - the filter's activation there
   */
  add(filter: number, sequence: number, start: number, position: number, activation: number): void {
    const size = this.options.windowSize;
    if (start < 0 || start + size > this.set.lengths[sequence]) {
      this.pastEnd[filter]++;
      return;
    }
    if (
      this.set.kind === 'onehot' &&
      sequence === this.current &&
      this.unknownBefore[start + size] - this.unknownBefore[start] > 0
    ) {
      this.unknown[filter]++;
      return;
    }
    this.sites[filter]++;
    this.keepStrongest(filter, { sequence, start, position, activation });
    this.sumWindow(filter, sequence, start);
  }

  /**
   * The windows of a filter set aside.
   *
   * @param filter - the filter
   * @returns those past an end and those holding an unknown symbol
   */
  skipped(filter: number): { pastEnd: number; unknownSymbol: number } {
    return { pastEnd: this.pastEnd[filter], unknownSymbol: this.unknown[filter] };
  }

  /**
   * What every filter's sites add up to.
   *
   * @returns one summary per filter
   */
  summaries(): SiteSummary[] {
    return this.top.map((topSites, f) => ({
      sites: this.sites[f],
      topSites: topSites.map(s => ({ ...s })),
      ...this.oneHotSummary(f),
      ngrams: this.set.kind === 'tokens' ? this.ngrams(f) : null,
      ...this.numericSummary(f)
    }));
  }

  /** Keeps the site if it is among the `maxSites` strongest so far (strongest first). */
  private keepStrongest(filter: number, site: Site): void {
    const top = this.top[filter];
    const max = this.options.maxSites;
    if (max === 0 || (top.length === max && site.activation <= top[max - 1].activation)) {
      return;
    }
    let i = top.length;
    while (i > 0 && top[i - 1].activation < site.activation) {
      i--;
    }
    top.splice(i, 0, site);
    if (top.length > max) {
      top.pop();
    }
  }

  /** Adds a window's symbols, token ids or values to the filter's sums. */
  private sumWindow(filter: number, sequence: number, start: number): void {
    const { windowSize: size } = this.options;
    const data = this.set.data[sequence];
    const width = this.set.width;
    switch (this.set.kind) {
      case 'onehot': {
        const counts = this.sums[filter];
        for (let p = 0; p < size; p++) {
          counts[p * width + data[start + p]]++;
        }
        return;
      }
      case 'tokens': {
        const key = Array.from(data.subarray(start, start + size)).join(' ');
        const grams = this.grams[filter];
        grams.set(key, (grams.get(key) ?? 0) + 1);
        return;
      }
      case 'numeric': {
        const sums = this.sums[filter];
        const squares = this.squares[filter];
        const offset = start * width;
        for (let i = 0; i < size * width; i++) {
          const v = data[offset + i];
          sums[i] += v;
          squares[i] += v * v;
        }
        return;
      }
    }
  }

  private oneHotSummary(
    filter: number
  ): Pick<SiteSummary, 'counts' | 'pfm' | 'consensus' | 'bits'> {
    if (this.set.kind !== 'onehot') {
      return { counts: null, pfm: null, consensus: null, bits: null };
    }
    const { windowSize: size, pseudocount } = this.options;
    const width = this.set.width;
    const flat = this.sums[filter];
    const counts = Array.from({ length: size }, (_, p) =>
      Array.from(flat.subarray(p * width, (p + 1) * width))
    );
    const total = this.sites[filter] + pseudocount * width;
    const pfm = counts.map(column =>
      column.map(c => (total > 0 ? (c + pseudocount) / total : 1 / width))
    );
    return {
      counts,
      pfm,
      consensus: consensusSequence(pfm, this.set.alphabet!),
      bits: informationContent(pfm)
    };
  }

  /** The filter's n-grams, most frequent first; ties keep the order they were first seen. */
  private ngrams(filter: number): NGram[] {
    const labels = this.set.labels;
    return [...this.grams[filter]]
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_NGRAMS)
      .map(([key, count]) => {
        const ids = key.split(' ').map(Number);
        return { ids, words: labels ? ids.map(id => labels[id] ?? String(id)) : null, count };
      });
  }

  private numericSummary(filter: number): Pick<SiteSummary, 'windowMean' | 'windowSpread'> {
    const n = this.sites[filter];
    if (this.set.kind !== 'numeric' || n === 0) {
      return { windowMean: null, windowSpread: null };
    }
    const { windowSize: size } = this.options;
    const width = this.set.width;
    const sums = this.sums[filter];
    const squares = this.squares[filter];
    const at = (p: number, c: number) => p * width + c;
    const rows = (cell: (i: number) => number) =>
      Array.from({ length: size }, (_, p) =>
        Array.from({ length: width }, (_, c) => cell(at(p, c)))
      );
    return {
      windowMean: rows(i => sums[i] / n),
      windowSpread: rows(i => Math.sqrt(Math.max(0, squares[i] / n - (sums[i] / n) ** 2)))
    };
  }
}
