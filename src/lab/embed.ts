/**
 * What the explorer's views share: DOM helpers, one way to embed a Vega-Lite spec
 * (vega-embed loaded once, Vega's expression interpreter instead of `eval`, the theme), and
 * the pictures painted outside Vega in Vega's own colours (colors.ts).
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import { toBase64 } from '../protocol';
import { pictureColors, type PictureRamp, type VegaColorSource } from './colors';

type VegaEmbed = typeof import('vega-embed', { with: { 'resolution-mode': 'import' } });

/** An embedded Vega view and its `finalize`. */
export type EmbedResult = Awaited<ReturnType<VegaEmbed['default']>>;

/** What is loaded on first use: vega-embed, its Vega, and the expression interpreter. */
interface VegaModules {
  embed: VegaEmbed['default'];
  vega: VegaColorSource;
  interpreter: unknown;
}

let vegaModules: Promise<VegaModules> | undefined;

/** vega-embed and Vega's expression interpreter (so no `eval` is needed), loaded once. */
function loadVega(): Promise<VegaModules> {
  return (vegaModules ??= Promise.all([import('vega-embed'), import('vega-interpreter')]).then(
    ([embed, interpreter]) => ({
      embed: embed.default,
      vega: embed.vega,
      interpreter: interpreter.expressionInterpreter
    })
  ));
}

/**
 * Vega (loaded once, as `embedSpec` loads it), whose scales and schemes `paintPicture`
 * paints with.
 *
 * @returns Vega's colour source
 */
export async function loadPictureColors(): Promise<VegaColorSource> {
  return (await loadVega()).vega;
}

/**
 * Embeds a spec built by our own code, with the interpreter (no `eval`), the current
 * light/dark theme and the PNG/SVG export menu.
 *
 * @param target - the element to draw into
 * @param spec - a Vega-Lite spec from specs.ts or maximizationSpecs.ts
 * @returns the embedded view; the caller finalizes it
 */
export async function embedSpec(target: HTMLElement, spec: TopLevelSpec): Promise<EmbedResult> {
  const { embed, interpreter } = await loadVega();
  return embed(target, spec, {
    actions: { export: true, source: false, compiled: false, editor: false },
    ast: true,
    expr: interpreter as never,
    theme: isDarkTheme() ? 'dark' : undefined,
    renderer: 'canvas',
    tooltip: true
  });
}

/** A Vega view, as far as pictures need it. */
type PictureView = Pick<EmbedResult['view'], 'toCanvas'>;

/**
 * One picture of several Vega views, stacked top to bottom on the theme's background:
 * the static fallback that GitHub, nbviewer and `nbconvert` show.
 *
 * @param views - the views, top first
 * @returns the PNG, base64 (no `data:` prefix), or null when there is nothing to draw
 */
export async function composePicture(views: PictureView[]): Promise<string | null> {
  const canvases = await Promise.all(views.map(view => view.toCanvas()));
  const drawn = canvases.filter(c => c.width > 0 && c.height > 0);
  if (drawn.length === 0) {
    return null;
  }
  const gap = 12;
  const picture = document.createElement('canvas');
  picture.width = Math.max(...drawn.map(c => c.width));
  picture.height = drawn.reduce((h, c) => h + c.height, 0) + gap * (drawn.length - 1);
  const context = picture.getContext('2d')!;
  context.fillStyle = isDarkTheme() ? '#333333' : '#ffffff';
  context.fillRect(0, 0, picture.width, picture.height);
  let y = 0;
  for (const canvas of drawn) {
    context.drawImage(canvas, 0, y);
    y += canvas.height + gap;
  }
  // toBlob encodes the PNG off the main thread; toDataURL would block it for as long.
  const blob = await new Promise<Blob | null>(resolve => picture.toBlob(resolve, 'image/png'));
  return blob ? toBase64(new Uint8Array(await blob.arrayBuffer())) : null;
}

/** The elements whose keys (arrows, Enter, Space) are their own. */
const CONTROLS = new Set(['input', 'select', 'button']);

/**
 * Makes an element with a class and, optionally, text (never HTML). Controls keep their
 * keys from notebook shortcuts.
 *
 * @param tag - the tag name
 * @param className - its class
 * @param text - its text content
 * @returns the element
 */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  if (CONTROLS.has(tag)) {
    // Keys pressed on a control are the control's. A notebook in command mode binds some
    // keys for any focused element inside it (Notebook 7: ArrowRight moves to the next
    // heading, Enter edits the cell), which would take a slider's arrows or a button's
    // Enter; Lumino skips elements marked so. The cost: while a control has focus,
    // JupyterLab's own shortcuts (Ctrl+S, Shift+Enter) wait until focus leaves it.
    el.setAttribute('data-lm-suppress-shortcuts', 'true');
  }
  if (text !== undefined) {
    el.textContent = text;
  }
  return el;
}

/**
 * Tells whether JupyterLab shows a dark theme.
 *
 * @returns true for a dark theme
 */
export function isDarkTheme(): boolean {
  return document.body.dataset.jpThemeLight === 'false';
}

/**
 * Paints values as a picture, one pixel each: a few milliseconds for 300 × 600, where as
 * many Vega rectangles take seconds to draw and freeze the page. The colours are Vega's:
 * the scale `ramp` compiles to in a spec (`rampScale`), from Vega's own code, so a picture
 * matches the rectangles it stands for.
 *
 * @param vega - Vega's colour source (`loadPictureColors`)
 * @param values - row-major, `values[row * columns + column]`; NaN is painted as the low end
 * @param rows - rows of the picture
 * @param columns - columns of the picture
 * @param colors - the ramp: a Vega scheme over the value domain, diverging at `mid` if given
 * @returns a PNG data URL
 */
export function paintPicture(
  vega: VegaColorSource,
  values: ArrayLike<number>,
  rows: number,
  columns: number,
  colors: PictureRamp
): string {
  const color = pictureColors(vega, colors);
  const canvas = document.createElement('canvas');
  canvas.width = columns;
  canvas.height = rows;
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(columns, rows);
  for (let i = 0; i < rows * columns; i++) {
    const [r, g, b] = color(values[i]);
    image.data[i * 4] = r;
    image.data[i * 4 + 1] = g;
    image.data[i * 4 + 2] = b;
    image.data[i * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return canvas.toDataURL('image/png');
}
