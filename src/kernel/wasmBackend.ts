/**
 * The kernel's faster backend. tfjs' WebAssembly backend runs in Node too: on the dataset
 * scan it is 15× (the DNA example) to 25× (the Basset-size model) the plain-JavaScript cpu
 * backend that tfjs uses in Node without tfjs-node (see the README's bench). It is opt-in,
 * because it switches the whole kernel's tfjs, and it has no kernels for training
 * (`Conv2DBackpropFilter`): a cell that trains after it needs `tf.setBackend('cpu')`.
 */
import * as tf from '@tensorflow/tfjs';
import { errorMessage, ExplorerError } from '../core/errors';

/**
 * Switches the kernel's tfjs to the WebAssembly backend, loading
 * `@tensorflow/tfjs-backend-wasm` from the notebook folder.
 *
 * @returns the backend in use: `'wasm'`
 * @throws ExplorerError when the package is not installed or the backend cannot start,
 *   saying how to install it; the kernel stays on its backend
 */
export async function useWasmBackend(): Promise<string> {
  if (!tf.findBackendFactory('wasm')) {
    try {
      await import('@tensorflow/tfjs-backend-wasm');
    } catch (e) {
      throw new ExplorerError(
        `The wasm backend is not installed where the notebook can load it (${errorMessage(e)}). ` +
          `In the notebook folder: npm install @tensorflow/tfjs-backend-wasm@${tf.version.tfjs}, ` +
          'then restart the kernel.'
      );
    }
  }
  const before = tf.getBackend();
  if (!(await tf.setBackend('wasm'))) {
    await tf.setBackend(before);
    throw new ExplorerError(
      `tfjs could not start its wasm backend here; the kernel stays on ${before}.`
    );
  }
  await tf.ready();
  return tf.getBackend();
}
