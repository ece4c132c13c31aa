/**
 * Synthetic data for the example models, generated from a seed so training is repeatable.
 */

import { seededRandom } from '../../src/core/random';

/** The examples' PRNG: the package's own seeded one, so a seed means the same stream. */
export const rng = seededRandom;

/** The motifs planted in positive DNA sequences: an E-box and a TATA box. */
export const DNA_MOTIFS = { ebox: 'CACGTG', tata: 'TATAAA' } as const;

/** Length of the DNA example sequences. */
export const DNA_LENGTH = 100;

/** A planted motif: which one, and where it starts. */
export interface PlantedSite {
  motif: keyof typeof DNA_MOTIFS;
  start: number;
}

/** A labelled DNA example. */
export interface DnaExample {
  sequence: string;
  label: 0 | 1;
  /** The motifs planted in a positive that still read as planted (a later one may overlap). */
  sites: PlantedSite[];
}

/**
 * DNA sequences: positives carry an E-box or a TATA box (or both) at a random place,
 * negatives are random background (with any chance occurrence of a motif destroyed: its
 * fourth base changed).
 *
 * @param count - number of sequences
 * @param seed - PRNG seed
 * @returns the examples, half positive
 */
export function dnaExamples(count: number, seed: number): DnaExample[] {
  const random = rng(seed);
  const base = (): string => 'ACGT'[Math.floor(random() * 4)];
  const names = Object.keys(DNA_MOTIFS) as (keyof typeof DNA_MOTIFS)[];
  const motifs = names.map(name => DNA_MOTIFS[name]);
  const out: DnaExample[] = [];
  for (let n = 0; n < count; n++) {
    let s = Array.from({ length: DNA_LENGTH }, base).join('');
    for (const m of motifs) {
      s = s.split(m).join(m.slice(0, 3) + (m[3] === 'A' ? 'C' : 'A') + m.slice(4));
    }
    const label = (n % 2) as 0 | 1;
    let sites: PlantedSite[] = [];
    if (label === 1) {
      const which = random() < 0.4 ? names : [names[Math.floor(random() * names.length)]];
      for (const motif of which) {
        const m = DNA_MOTIFS[motif];
        const at = Math.floor(random() * (DNA_LENGTH - m.length));
        s = s.slice(0, at) + m + s.slice(at + m.length);
        sites.push({ motif, start: at });
      }
      sites = sites.filter(({ motif, start }) => s.startsWith(DNA_MOTIFS[motif], start));
    }
    out.push({ sequence: s, label, sites });
  }
  return out;
}

/** Vocabulary of the text example: padding, unknown, sentiment words, negation, filler. */
export const VOCAB: string[] = (() => {
  const positive = [
    'good',
    'great',
    'excellent',
    'wonderful',
    'enjoyable',
    'brilliant',
    'fun',
    'moving'
  ];
  const negative = ['bad', 'awful', 'terrible', 'boring', 'dull', 'weak', 'poor', 'messy'];
  const function_ = [
    'not',
    'never',
    'very',
    'really',
    'quite',
    'so',
    'too',
    'the',
    'a',
    'an',
    'this',
    'that',
    'it',
    'was',
    'is',
    'and',
    'but',
    'of',
    'in',
    'at',
    'all',
    'with',
    'for',
    'to'
  ];
  const filler = [
    'movie',
    'film',
    'plot',
    'actor',
    'actress',
    'story',
    'scene',
    'ending',
    'music',
    'script',
    'director',
    'camera',
    'cast',
    'dialogue',
    'pacing',
    'sequel',
    'theatre',
    'screen',
    'night',
    'friend',
    'ticket',
    'popcorn',
    'hour',
    'minute',
    'character',
    'hero',
    'villain',
    'city',
    'house',
    'car',
    'dog',
    'summer',
    'winter',
    'book',
    'song',
    'dance',
    'war',
    'love',
    'family',
    'school',
    'street',
    'river',
    'train',
    'letter',
    'garden',
    'doctor',
    'teacher',
    'island',
    'forest',
    'king',
    'queen',
    'ship',
    'star',
    'storm',
    'secret',
    'journey',
    'mirror',
    'window',
    'bridge',
    'road',
    'sky',
    'voice',
    'dream',
    'ghost'
  ];
  return ['<pad>', '<unk>', ...positive, ...negative, ...function_, ...filler].slice(0, 100);
})();

/** Length of the text example sequences, in tokens. */
export const TEXT_LENGTH = 24;

/** A labelled text example. */
export interface TextExample {
  ids: number[];
  label: 0 | 1;
}

/**
 * Short reviews: the label is positive when a positive word appears un-negated or a
 * negative word appears negated ("not bad"), so the model must read word pairs.
 *
 * @param count - number of reviews
 * @param seed - PRNG seed
 * @returns the examples, about half positive
 */
export function textExamples(count: number, seed: number): TextExample[] {
  const random = rng(seed);
  const id = (w: string): number => VOCAB.indexOf(w);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const positive = VOCAB.slice(2, 10);
  const negative = VOCAB.slice(10, 18);
  const filler = VOCAB.slice(24);
  const out: TextExample[] = [];
  for (let n = 0; n < count; n++) {
    const words = Array.from({ length: TEXT_LENGTH }, () => pick(filler));
    const wantPositive = n % 2 === 0;
    const negated = random() < 0.4;
    const word = wantPositive !== negated ? pick(positive) : pick(negative);
    const at = 1 + Math.floor(random() * (TEXT_LENGTH - 3));
    if (negated) {
      words[at - 1] = pick(['not', 'never']);
    } else if (random() < 0.5) {
      words[at - 1] = pick(['very', 'really', 'quite', 'so']);
    }
    words[at] = word;
    out.push({ ids: words.map(id), label: wantPositive ? 1 : 0 });
  }
  return out;
}
