/**
 * Paints a sequence logo with real letters: each box of a layout (layout.ts) gets its
 * symbol as a font glyph (bold sans-serif, `fillText`), stretched so that the glyph's ink
 * (`measureText`'s actual bounding box, not the font's em box) fills the box exactly: the
 * column's width less a small gap, and the letter's height. Painted at the device's pixel
 * ratio, at least 2×, so the letters stay sharp when Vega scales the picture into a view
 * or the page is zoomed. Symbols are data from the notebook: they are only ever drawn with
 * `fillText`, never parsed as HTML or as a Vega expression. A longer symbol (a token) is
 * drawn whole, squeezed into its column.
 */
import type { LogoBox } from './layout';

/** What to paint and how large. */
export interface LogoPicture {
  /** The letters (`logoLayout`). */
  boxes: readonly LogoBox[];
  /** The symbol of each symbol index (`boxes[k].symbol`). */
  symbols: readonly string[];
  /** The colour of each symbol index (`logoColors`); grey where there is none. */
  colors: readonly string[];
  /** Columns across the picture: positions 0 to `positions - 1`, left to right. */
  positions: number;
  /** The heights at the picture's bottom and top edge, in the boxes' unit (e.g. bits). */
  yDomain: readonly [number, number];
  /** Width in CSS pixels. */
  width: number;
  /** Height in CSS pixels. */
  height: number;
  /** Canvas pixels per CSS pixel; the device's, at least 2, when absent. */
  pixelRatio?: number;
  /** The part of a column left empty between letters, 0 to 1 (default 0.1). */
  gap?: number;
  /** The font family (bold is always used); default Helvetica, Arial, sans-serif. */
  fontFamily?: string;
  /** Draw the letters below the axis (negative heights) upside down, as logomaker does. */
  flipBelow?: boolean;
  /**
   * Letters narrower than this many canvas pixels (default 3) are painted as solid boxes
   * of their colour: a glyph squeezed into 1 or 2 pixels is only faint strokes (600
   * positions in 640 px). 0: always glyphs.
   */
  minGlyphWidth?: number;
}

/** The default font family: a bold sans-serif, as logos are drawn. */
const FONT_FAMILY = 'Helvetica, Arial, sans-serif';

/** The colour of a symbol without one. */
const FALLBACK_COLOR = '#8C8C8C';

/** A glyph's ink around its origin (left baseline), in pixels of the measuring font. */
interface Ink {
  left: number;
  ascent: number;
  width: number;
  height: number;
}

/**
 * Canvas pixels per CSS pixel: the one asked for, else the device's; at least 2.
 *
 * @param requested - the caller's ratio, if any
 * @returns the ratio to paint at
 */
function pixelRatio(requested: number | undefined): number {
  const device = (globalThis as { devicePixelRatio?: number }).devicePixelRatio;
  return Math.max(2, requested ?? device ?? 1);
}

/** The ink of a text in the context's current font, or null when it has none (a space). */
function measureInk(context: CanvasRenderingContext2D, text: string): Ink | null {
  const m = context.measureText(text);
  const width = m.actualBoundingBoxLeft + m.actualBoundingBoxRight;
  const height = m.actualBoundingBoxAscent + m.actualBoundingBoxDescent;
  if (!(width > 0 && height > 0 && Number.isFinite(width) && Number.isFinite(height))) {
    return null;
  }
  return { left: m.actualBoundingBoxLeft, ascent: m.actualBoundingBoxAscent, width, height };
}

/**
 * Paints a logo into a canvas: sets its size (`width × height` CSS pixels, its backing
 * store at the pixel ratio) and draws every letter on a transparent background. For a
 * gallery of many small logos, one canvas each; for a Vega view, see `logoPictureUrl`.
 * A box whose symbol has no ink (a space, an empty string) is painted as a plain box, and
 * so is every letter when the columns are too narrow for glyphs (`minGlyphWidth`).
 *
 * @param canvas - the canvas to paint into; what it held is cleared
 * @param picture - the layout, symbols, colours, domain and size
 */
export function paintLogo(canvas: HTMLCanvasElement, picture: LogoPicture): void {
  const ratio = pixelRatio(picture.pixelRatio);
  const width = Math.max(0, Math.round(picture.width * ratio));
  const height = Math.max(0, Math.round(picture.height * ratio));
  canvas.width = width;
  canvas.height = height;
  canvas.style.width = `${picture.width}px`;
  canvas.style.height = `${picture.height}px`;
  const [lo, hi] = picture.yDomain;
  if (width === 0 || height === 0 || !(picture.positions > 0) || !(hi > lo)) {
    return;
  }
  const context = canvas.getContext('2d');
  if (!context) {
    throw new Error('This browser cannot paint into a canvas');
  }
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, width, height);
  // Measured at about the picture's height, the glyphs are drawn near their own size.
  const fontSize = Math.min(400, Math.max(24, height));
  context.font = `bold ${fontSize}px ${picture.fontFamily ?? FONT_FAMILY}`;
  context.textAlign = 'left';
  context.textBaseline = 'alphabetic';
  const column = width / picture.positions;
  const gap = column * Math.min(1, Math.max(0, picture.gap ?? 0.1));
  const letterWidth = column - gap;
  if (!(letterWidth > 0)) {
    return;
  }
  const glyphs = letterWidth >= (picture.minGlyphWidth ?? 3);
  const scale = height / (hi - lo);
  const inks = new Map<string, Ink | null>();
  let fill = '';
  for (const box of picture.boxes) {
    const boxHeight = (box.y1 - box.y0) * scale;
    if (!(boxHeight > 0)) {
      continue;
    }
    const color = picture.colors[box.symbol] ?? FALLBACK_COLOR;
    if (color !== fill) {
      context.fillStyle = fill = color;
    }
    const symbol = picture.symbols[box.symbol] ?? '';
    let ink = glyphs ? inks.get(symbol) : null;
    if (ink === undefined) {
      ink = measureInk(context, symbol);
      inks.set(symbol, ink);
    }
    const x = box.position * column + gap / 2;
    const top = (hi - box.y1) * scale;
    if (!ink) {
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.fillRect(x, top, letterWidth, boxHeight);
      continue;
    }
    const sx = letterWidth / ink.width;
    const sy = boxHeight / ink.height;
    if (picture.flipBelow && box.value < 0) {
      // Upside down: the glyph's top (−ascent) at the box's bottom edge.
      context.setTransform(sx, 0, 0, -sy, x + ink.left * sx, top + boxHeight - ink.ascent * sy);
    } else {
      // The ink's left edge (−left) at the box's left, its top (−ascent) at the box's top.
      context.setTransform(sx, 0, 0, sy, x + ink.left * sx, top + ink.ascent * sy);
    }
    context.fillText(symbol, 0, 0);
  }
  context.setTransform(1, 0, 0, 1, 0, 0);
}

/**
 * Paints a logo as a PNG data URL, for the `image` mark of a Vega view (`logoView`). The
 * PNG is encoded off the page's thread (`toBlob`; `toDataURL` would hold the page up as
 * long as the painting again).
 *
 * @param picture - the layout, symbols, colours, domain and size (the view's plot size)
 * @returns the picture as a `data:image/png` URL (`data:,` when it has no pixels)
 */
export async function logoPictureUrl(picture: LogoPicture): Promise<string> {
  const canvas = document.createElement('canvas');
  paintLogo(canvas, picture);
  const blob = await new Promise<Blob | null>(resolve => canvas.toBlob(resolve, 'image/png'));
  if (!blob) {
    return 'data:,';
  }
  return new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('The logo could not be read'));
    reader.readAsDataURL(blob);
  });
}
