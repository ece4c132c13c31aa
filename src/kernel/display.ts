/**
 * Where `explore` sends its MIME bundle: tslab's display, or a sink the caller gives.
 */
import * as path from 'path';
import { ExplorerError } from '../core/errors';

/** A MIME bundle: MIME type to the string shown for it. */
export type MimeBundle = { [mimeType: string]: string };

/** Where `explore` sends its output; tests pass their own, the default is tslab's. */
export type DisplaySink = (bundle: MimeBundle) => void;

/** The part of tslab's `jupyter` module that writes display data in a running kernel. */
interface TslabJupyter {
  lastWriteDisplayData:
    | ((data: { data: MimeBundle; metadata: object; transient: object }, update: boolean) => void)
    | null;
}

/**
 * Finds the tslab instance that runs the current kernel. tslab hands `require("tslab")` to
 * cells only, and a package may resolve a different copy of tslab whose display is not
 * connected, so we look for the copy whose display writer is set.
 */
function runningTslab(): TslabJupyter | undefined {
  const cache = typeof require === 'function' ? require.cache : {};
  const suffix = path.join('tslab', 'dist', 'jupyter.js');
  for (const [id, mod] of Object.entries(cache)) {
    const exports = mod?.exports as TslabJupyter | undefined;
    if (id.endsWith(suffix) && typeof exports?.lastWriteDisplayData === 'function') {
      return exports;
    }
  }
  return undefined;
}

/**
 * The display sink of the tslab kernel this code runs in. It writes the whole bundle as
 * one output, so a `text/plain` fallback travels with the explorer's own MIME type (tslab's
 * public `display.raw` writes one MIME type per output).
 *
 * @returns a sink that displays in the current cell's output
 * @throws ExplorerError when not running inside a tslab kernel
 */
export function tslabDisplay(): DisplaySink {
  const tslab = runningTslab();
  if (!tslab) {
    throw new ExplorerError(
      'explore() shows its views in a Jupyter notebook and must run in a tslab (TypeScript) ' +
        'kernel cell. Outside a kernel, pass {display: bundle => ...} to receive the MIME bundle, ' +
        'or use featureMaps() and kernels() for the numbers.'
    );
  }
  return bundle =>
    tslab.lastWriteDisplayData!({ data: bundle, metadata: {}, transient: {} }, false);
}
