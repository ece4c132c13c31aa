/**
 * An information-content logo of a position frequency matrix, ready to paint: the one way
 * the dataset view (a filter's logo, the gallery's cards) and the maximization view draw
 * probabilities per position as letters.
 */
import { logoColors, type LogoTheme } from './colors';
import { informationHeights, logoLayout } from './layout';
import type { LogoPicture } from './picture';

/**
 * The most information a position can hold, in bits: log2 of the alphabet's size (at least
 * 1 bit, for an alphabet of one symbol).
 *
 * @param symbols - the alphabet's size
 * @returns bits: the top of an information logo's y axis
 */
export function maxBits(symbols: number): number {
  return Math.log2(Math.max(2, symbols));
}

/**
 * A frequency matrix as an information-content logo.
 *
 * @param pfm - `[position][symbol]` frequencies, each row summing to 1
 * @param alphabet - the symbols, one per column of `pfm`
 * @param theme - the theme it is drawn on
 * @param size - its size in CSS pixels
 * @returns the picture, for `paintLogo` or `logoPictureUrl`
 */
export function informationLogo(
  pfm: readonly (readonly number[])[],
  alphabet: string,
  theme: LogoTheme,
  size: { width: number; height: number }
): LogoPicture {
  const symbols = [...alphabet];
  return {
    boxes: logoLayout(informationHeights(pfm)),
    symbols,
    colors: logoColors(symbols, theme),
    positions: pfm.length,
    yDomain: [0, maxBits(symbols.length)],
    ...size
  };
}
