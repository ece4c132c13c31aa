/**
 * What the explorer's views share: DOM helpers and one way to embed a Vega-Lite spec
 * (vega-embed loaded once, Vega's expression interpreter instead of `eval`, the theme).
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };

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
  return picture.toDataURL('image/png').split(',')[1];
}

/**
 * Makes an element with a class and, optionally, text (never HTML).
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
