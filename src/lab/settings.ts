/**
 * The user's settings, shared by the settings plugin (which loads and updates them) and the
 * renderers (which read them). Both are built into one bundle, so they share this module.
 */

/** tfjs backends the explorer can compute with; `auto` takes the fastest that works. */
export type BackendChoice = 'auto' | 'webgl' | 'wasm' | 'cpu';

/** Settings as in `schema/plugin.json`. */
export interface ExplorerSettings {
  backend: BackendChoice;
}

/** The defaults, as in the schema. */
export const DEFAULT_SETTINGS: ExplorerSettings = { backend: 'auto' };

const current: ExplorerSettings = { ...DEFAULT_SETTINGS };

/**
 * The settings in force.
 *
 * @returns a copy of the current settings
 */
export function getSettings(): ExplorerSettings {
  return { ...current };
}

/**
 * Applies settings read from the setting registry; unknown values fall back to defaults.
 *
 * @param raw - the composite settings object
 */
export function applySettings(raw: { [key: string]: unknown }): void {
  const backend = raw.backend;
  current.backend =
    backend === 'webgl' || backend === 'wasm' || backend === 'cpu' ? backend : 'auto';
}
