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
