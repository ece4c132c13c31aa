/**
 * The colours of a sequence logo's letters: nucleotides in the classic scheme (A green,
 * C blue, G orange, T and U red, as logomaker's "classic"), amino acids by chemistry
 * (logomaker's and WebLogo's "chemistry": polar green, neutral purple, basic blue, acidic
 * red, hydrophobic black), any other alphabet in Vega's categorical `tableau10`, cycled so
 * every symbol has a colour. Each in a light and a dark variant: on JupyterLab's dark
 * background the black, blue, purple and red letters are lightened (contrast at least 3
 * against Vega's dark `#333`). Pure: the theme is passed in.
 */

/** The JupyterLab theme a logo is drawn on. */
export type LogoTheme = 'light' | 'dark';

/** The kind of alphabet, which sets the colour scheme. */
export type LogoAlphabet = 'nucleotide' | 'protein' | 'categorical';

/** One colour per theme. */
interface ThemeColor {
  light: string;
  dark: string;
}

const GREEN: ThemeColor = { light: '#109648', dark: '#1DB35E' };
const BLUE: ThemeColor = { light: '#255C99', dark: '#5DA9E9' };
const ORANGE: ThemeColor = { light: '#F7B32B', dark: '#F7B32B' };
const RED: ThemeColor = { light: '#D62839', dark: '#E8505B' };
const PURPLE: ThemeColor = { light: '#8E44AD', dark: '#B07CC6' };
const BLACK: ThemeColor = { light: '#000000', dark: '#D0D0D0' };
/** Ambiguity codes, gaps and stops: readable on both backgrounds. */
const GREY: ThemeColor = { light: '#8C8C8C', dark: '#8C8C8C' };

/** DNA and RNA, logomaker's "classic" colours; N (any base) grey. */
const NUCLEOTIDES = new Map<string, ThemeColor>([
  ['A', GREEN],
  ['C', BLUE],
  ['G', ORANGE],
  ['T', RED],
  ['U', RED],
  ['N', GREY]
]);

/** The amino acids by chemistry; selenocysteine and pyrrolysine as C and K. */
const AMINO_ACIDS = new Map<string, ThemeColor>(
  (
    [
      ['GSTYCU', GREEN],
      ['NQ', PURPLE],
      ['KRHO', BLUE],
      ['DE', RED],
      ['AVLIPWFM', BLACK],
      // Ambiguous residues (D or N, E or Q, I or L, any), stops and gaps.
      ['BZJX*-', GREY]
    ] as const
  ).flatMap(([letters, color]) => [...letters].map(s => [s, color] as const))
);

/** The 20 standard amino acids. */
const STANDARD_AMINO_ACIDS = new Set('ACDEFGHIKLMNPQRSTVWY');

/** Vega's `tableau10`; on the dark background its blue is lightened. */
const CATEGORICAL: ThemeColor[] = [
  { light: '#4c78a8', dark: '#6fa8dc' },
  ...[
    '#f58518',
    '#e45756',
    '#72b7b2',
    '#54a24b',
    '#eeca3b',
    '#b279a2',
    '#ff9da6',
    '#9d755d',
    '#bab0ac'
  ].map(c => ({ light: c, dark: c }))
];

/**
 * Which colour scheme an alphabet takes, its symbols compared without case: nucleotide
 * when every symbol is one of A C G T U N (and one is not N), protein when every symbol is
 * an amino acid letter or an ambiguity code, stop or gap (and one is a standard amino
 * acid), categorical otherwise (tokens, channel names, numbers…).
 *
 * @param symbols - the alphabet, one symbol per logo row
 * @returns the alphabet's kind
 */
export function logoAlphabet(symbols: readonly string[]): LogoAlphabet {
  const upper = symbols.map(s => s.toUpperCase());
  if (upper.every(s => NUCLEOTIDES.has(s)) && upper.some(s => s !== 'N')) {
    return 'nucleotide';
  }
  if (upper.every(s => AMINO_ACIDS.has(s)) && upper.some(s => STANDARD_AMINO_ACIDS.has(s))) {
    return 'protein';
  }
  return 'categorical';
}

/**
 * The colour of each symbol of an alphabet, as CSS hex colours: the scheme of the
 * alphabet's kind (`logoAlphabet`), in the theme's variant. A categorical alphabet takes
 * the `tableau10` colours by symbol index, cycled: symbols 0 and 10 share a colour.
 *
 * @param symbols - the alphabet, one symbol per logo row
 * @param theme - the theme the logo is drawn on
 * @returns `colors[symbol index]`
 */
export function logoColors(symbols: readonly string[], theme: LogoTheme): string[] {
  const kind = logoAlphabet(symbols);
  return symbols.map((symbol, i) => {
    const upper = symbol.toUpperCase();
    const color =
      kind === 'nucleotide'
        ? NUCLEOTIDES.get(upper)
        : kind === 'protein'
          ? AMINO_ACIDS.get(upper)
          : undefined;
    return (color ?? CATEGORICAL[i % CATEGORICAL.length])[theme];
  });
}
