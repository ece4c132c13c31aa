/**
 * Where the letters of a sequence logo go: from one column of heights per position to one
 * box per letter, stacked as logomaker and genomics papers draw them (positive heights
 * upward from 0, negative ones downward, the smallest absolute height nearest the axis).
 * Also the heights of an information-content logo (probability × bits). Pure numbers: no
 * DOM; the picture (picture.ts) and the view's tooltips (view.ts) are drawn from it.
 */
import { columnBits } from '../../core/pwm';

/** One letter of a logo: where it stands and how far it reaches. */
export interface LogoBox {
  /** The column (window position), from 0. */
  position: number;
  /** The symbol's index in the column (and in the alphabet). */
  symbol: number;
  /** The letter's height as given (negative: below the axis). */
  value: number;
  /** The box's lower edge, in the heights' unit. */
  y0: number;
  /** The box's upper edge (`y1 - y0 = |value|`). */
  y1: number;
}

/**
 * Stacks the letters of a logo. At each position the positive heights stack upward from 0
 * and the negative ones downward from 0, each in order of absolute height, smallest first
 * (nearest the axis); equal heights keep the symbols' order. A height of 0 is an empty box
 * at 0; a height that is not finite counts as 0 (an empty box), its `value` kept as given.
 *
 * @param columns - `columns[position][symbol]`: the letters' heights, e.g. probability ×
 *   bits or contribution scores
 * @returns one box per position and symbol, position by position; within a position in
 *   stacking order: the boxes above the axis from the axis up, then the ones below it from
 *   the axis down
 */
export function logoLayout(columns: readonly (readonly number[])[]): LogoBox[] {
  const boxes: LogoBox[] = [];
  columns.forEach((column, position) => {
    const order = column
      .map((value, symbol) => ({ value, symbol, height: Number.isFinite(value) ? value : 0 }))
      .sort((a, b) => Math.abs(a.height) - Math.abs(b.height));
    let top = 0;
    for (const { value, symbol, height } of order) {
      if (height >= 0) {
        boxes.push({ position, symbol, value, y0: top, y1: top + height });
        top += height;
      }
    }
    let bottom = 0;
    for (const { value, symbol, height } of order) {
      if (height < 0) {
        boxes.push({ position, symbol, value, y0: bottom + height, y1: bottom });
        bottom += height;
      }
    }
  });
  return boxes;
}

/**
 * The letter heights of an information-content logo: each symbol's probability times the
 * column's information content, `p × (log2(n) − H)` bits (`columnBits` of src/core/pwm.ts;
 * never below 0), so a column's letters stack to its information content.
 *
 * @param probabilities - `[position][symbol]`, each column summing to 1 (a position
 *   frequency matrix, softmax probabilities)
 * @returns `[position][symbol]` heights in bits, for `logoLayout`
 */
export function informationHeights(probabilities: readonly (readonly number[])[]): number[][] {
  return probabilities.map(column => {
    const bits = columnBits(column, 0, column.length);
    return column.map(p => p * bits);
  });
}
