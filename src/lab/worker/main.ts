/**
 * The maximization worker's entry point, bundled on its own (scripts/build-worker.mjs) and
 * started by the explorer: activation maximization runs here, off the notebook's thread.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { backendOrder, switchBackend } from '../backend';
import type { FromWorker, ToWorker } from './messages';
import { MaximizationService } from './service';

/** The parts of a dedicated worker's global scope used here. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer: ArrayBuffer[]): void;
}

const scope = self as unknown as WorkerScope;

const service = new MaximizationService({
  post: (message, transfer) => scope.postMessage(message, transfer),
  async useBackend(init) {
    setWasmPaths(init.wasmFiles);
    // A worker cannot tell a hardware GPU from a software one.
    return switchBackend(tf, backendOrder(init.backend, false));
  },
  yieldToEvents: () => new Promise(resolve => setTimeout(resolve, 0)),
  now: () => performance.now()
});

scope.onmessage = event => service.handle(event.data);
