/**
 * The explorer's worker's entry point, bundled on its own (scripts/build-worker.mjs): an
 * explorer starts one for activation maximization and, with a set of sequences, a second
 * for the dataset scan (`init.role`), so neither waits for the other and neither holds
 * up the notebook's thread.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { backendOrder, switchBackend } from '../backend';
import type { FromWorker, InitMessage, ToWorker } from './messages';
import { MotifService } from './motifService';
import type { FromScanWorker, ToScanWorker } from './scanMessages';
import { MaximizationService } from './service';

/** The parts of a dedicated worker's global scope used here. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker | ToScanWorker>) => void) | null;
  postMessage(message: FromWorker | FromScanWorker, transfer: ArrayBuffer[]): void;
}

const scope = self as unknown as WorkerScope;

const host = {
  post: (message: FromWorker | FromScanWorker, transfer: ArrayBuffer[]) =>
    scope.postMessage(message, transfer),
  async useBackend(init: InitMessage) {
    setWasmPaths(init.wasmFiles);
    // A worker cannot tell a hardware GPU from a software one.
    return switchBackend(tf, backendOrder(init.backend, false));
  },
  yieldToEvents: () => new Promise<void>(resolve => setTimeout(resolve, 0)),
  now: () => performance.now()
};

let service: MaximizationService | MotifService | undefined;

scope.onmessage = event => {
  const message = event.data;
  if (message.type === 'init') {
    service = message.role === 'scan' ? new MotifService(host) : new MaximizationService(host);
  }
  // Each service reads only its own messages; the explorer sends each worker its own.
  (service?.handle as ((m: ToWorker | ToScanWorker) => void) | undefined)?.call(service, message);
};
