/**
 * Choosing the tfjs backend, one rule for the page and the maximization worker: the
 * user's choice first, then wasm, then cpu. For `auto`, WebGL comes first only where the
 * page has a hardware GPU (a software WebGL is slower than wasm here); a worker cannot
 * tell them apart, so its `auto` starts at wasm.
 */
import type { BackendChoice } from './settings';

/** The part of tfjs that switches backends. */
export interface BackendEngine {
  setBackend(name: string): Promise<boolean>;
  getBackend(): string;
}

/**
 * The backends to try, in order.
 *
 * @param choice - the user's setting
 * @param hardwareGpu - whether a hardware WebGL context is known to exist
 * @returns backend names, best first
 */
export function backendOrder(choice: BackendChoice, hardwareGpu: boolean): string[] {
  if (choice === 'auto') {
    return hardwareGpu ? ['webgl', 'wasm', 'cpu'] : ['wasm', 'cpu'];
  }
  return [...new Set([choice, 'wasm', 'cpu'])];
}

/**
 * Switches to the first backend of `order` that starts.
 *
 * @param engine - tfjs
 * @param order - backend names, best first (`backendOrder`)
 * @returns the backend in use
 */
export async function switchBackend(
  engine: BackendEngine,
  order: readonly string[]
): Promise<string> {
  for (const name of order) {
    try {
      if (await engine.setBackend(name)) {
        break;
      }
    } catch {
      // A backend that throws while starting is skipped like one that says no.
    }
  }
  return engine.getBackend();
}
