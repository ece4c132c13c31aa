/**
 * Seeded randomness for analyses that must repeat exactly: a small PRNG, and the
 * Altschul–Erickson shuffle that keeps a sequence's pair (dinucleotide) counts, used for
 * shuffled baselines.
 */

/**
 * A small, fast, seedable PRNG (mulberry32): the same seed gives the same stream.
 *
 * @param seed - any integer
 * @returns a function drawing numbers in [0, 1)
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random permutation of a symbol sequence with the same first and last symbol and the
 * same count of every adjacent pair (Altschul & Erickson 1985; MEME's
 * `fasta-shuffle-letters -kmer 2` draws from the same distribution with uShuffle): the pairs are the edges of a multigraph on the symbols
 * and the shuffle is a random Eulerian walk through them. Each symbol's last exit is drawn
 * as a uniform random spanning tree toward the last symbol (Wilson's algorithm), so the
 * walk never gets stuck; the other exits are shuffled.
 *
 * @param symbols - the sequence, as symbol indices
 * @param random - the draws (see `seededRandom`)
 * @returns the shuffled sequence, as long as `symbols`
 */
export function shufflePairs(symbols: readonly number[], random: () => number): number[] {
  const n = symbols.length;
  if (n < 3) {
    return [...symbols];
  }
  const pick = (count: number) => Math.floor(random() * count);
  // exits.get(a): the symbols that follow a, one per pair "a b".
  const exits = new Map<number, number[]>();
  for (let i = 0; i + 1 < n; i++) {
    const list = exits.get(symbols[i]) ?? [];
    list.push(symbols[i + 1]);
    exits.set(symbols[i], list);
  }
  const last = symbols[n - 1];
  const inTree = new Set([last]);
  const lastExit = new Map<number, number>();
  for (const start of exits.keys()) {
    let at = start;
    while (!inTree.has(at)) {
      const list = exits.get(at)!;
      lastExit.set(at, pick(list.length));
      at = list[lastExit.get(at)!];
    }
    for (at = start; !inTree.has(at); at = exits.get(at)![lastExit.get(at)!]) {
      inTree.add(at);
    }
  }
  const order = new Map<number, number[]>();
  for (const [symbol, list] of exits) {
    const rest = [...list];
    const kept = lastExit.has(symbol) ? rest.splice(lastExit.get(symbol)!, 1) : [];
    for (let i = rest.length - 1; i > 0; i--) {
      const j = pick(i + 1);
      [rest[i], rest[j]] = [rest[j], rest[i]];
    }
    order.set(symbol, [...rest, ...kept].reverse());
  }
  const out = [symbols[0]];
  while (out.length < n) {
    out.push(order.get(out[out.length - 1])!.pop()!);
  }
  return out;
}
