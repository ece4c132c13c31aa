/**
 * What the explorer's views share: DOM helpers and one way to embed a Vega-Lite spec
 * (vega-embed loaded once, Vega's expression interpreter instead of `eval`, the theme).
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import { toBase64 } from '../protocol';

type VegaEmbed = typeof import('vega-embed', { with: { 'resolution-mode': 'import' } });

/** An embedded Vega view and its `finalize`. */
export type EmbedResult = Awaited<ReturnType<VegaEmbed['default']>>;

let vegaModules: Promise<{ embed: VegaEmbed['default']; interpreter: unknown }> | undefined;

/** vega-embed and Vega's expression interpreter (so no `eval` is needed), loaded once. */
function loadVega(): Promise<{ embed: VegaEmbed['default']; interpreter: unknown }> {
  return (vegaModules ??= Promise.all([import('vega-embed'), import('vega-interpreter')]).then(
    ([embed, interpreter]) => ({
      embed: embed.default,
      interpreter: interpreter.expressionInterpreter
    })
  ));
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

/** `rrggbb` colours run together, as Vega writes its schemes, as RGB triples. */
function hexStops(hex: string): number[][] {
  const stops: number[][] = [];
  for (let i = 0; i < hex.length; i += 6) {
    stops.push([0, 2, 4].map(o => parseInt(hex.slice(i + o, i + o + 2), 16)));
  }
  return stops;
}

/** Colour stops of the schemes pictures are painted in, low to high, as Vega draws them. */
const SCHEMES = {
  viridis: [
    [68, 1, 84],
    [72, 40, 120],
    [62, 73, 137],
    [49, 104, 142],
    [38, 130, 142],
    [31, 158, 137],
    [53, 183, 121],
    [110, 206, 88],
    [181, 222, 43],
    [253, 231, 37]
  ],
  // Vega's "redblue" scheme (vega-scale), reversed: negative blue, zero near white, positive red.
  blueRed: hexStops('134b852f78b35da2cb9dcae1d2e5eff2efeefbdbc9f4ae91df745ebf363a8c0d25')
} as const;

/**
 * Paints values as a picture, one pixel each: a few milliseconds for 300 × 600, where as
 * many Vega rectangles take seconds to draw and freeze the page.
 *
 * @param values - row-major, `values[row * columns + column]`; NaN is painted as the low end
 * @param rows - rows of the picture
 * @param columns - columns of the picture
 * @param colors - the value domain and the scheme (`blueRed` is centred on the domain's middle)
 * @returns a PNG data URL
 */
export function paintPicture(
  values: ArrayLike<number>,
  rows: number,
  columns: number,
  colors: { domain: [number, number]; scheme: keyof typeof SCHEMES }
): string {
  const stops = SCHEMES[colors.scheme];
  const [min, max] = colors.domain;
  const canvas = document.createElement('canvas');
  canvas.width = columns;
  canvas.height = rows;
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(columns, rows);
  const span = max > min ? max - min : 1;
  for (let i = 0; i < rows * columns; i++) {
    const t = Number.isFinite(values[i]) ? (values[i] - min) / span : 0;
    const at = Math.min(Math.max(t, 0), 1) * (stops.length - 1);
    const lo = Math.floor(at);
    const hi = Math.min(lo + 1, stops.length - 1);
    const w = at - lo;
    for (let c = 0; c < 3; c++) {
      image.data[i * 4 + c] = stops[lo][c] * (1 - w) + stops[hi][c] * w;
    }
    image.data[i * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return canvas.toDataURL('image/png');
}
