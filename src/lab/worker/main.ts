/**
 * The explorer's worker's entry point, bundled on its own (scripts/build-worker.mjs): an
 * explorer starts one for activation maximization and, with a set of sequences, others for
 * the dataset scan (`init.role`); `'attribute'` runs attributions of the explorer's
 * sequence. None waits for another and none holds up the notebook's thread.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { backendOrder, switchBackend } from '../backend';
import type { FromWorker, InitMessage, ToWorker } from './messages';
import { MotifService } from './motifService';
import type { FromScanWorker, ToScanWorker } from './scanMessages';
import { MaximizationService } from './service';
import type { FromAttributionWorker, ToAttributionWorker } from './attributionMessages';
import { AttributionService } from './attributionService';

/** The parts of a dedicated worker's global scope used here. */
type ToAnyWorker = ToWorker | ToScanWorker | ToAttributionWorker;
type FromAnyWorker = FromWorker | FromScanWorker | FromAttributionWorker;

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToAnyWorker>) => void) | null;
  postMessage(message: FromAnyWorker, transfer: ArrayBuffer[]): void;
}

const scope = self as unknown as WorkerScope;

const host = {
  post: (message: FromAnyWorker, transfer: ArrayBuffer[]) => scope.postMessage(message, transfer),
  async useBackend(init: InitMessage) {
    setWasmPaths(init.wasmFiles);
    // A worker cannot tell a hardware GPU from a software one.
    return switchBackend(tf, backendOrder(init.backend, false));
  },
  yieldToEvents: () => new Promise<void>(resolve => setTimeout(resolve, 0)),
  now: () => performance.now()
};

let service: MaximizationService | MotifService | AttributionService | undefined;

/** The service an explorer's worker runs, by the role its `init` names. */
function serviceFor(role: InitMessage['role']) {
  switch (role) {
    case 'scan':
      return new MotifService(host);
    case 'attribute':
      return new AttributionService(host);
    default:
      return new MaximizationService(host);
  }
}

scope.onmessage = event => {
  const message = event.data;
  if (message.type === 'init') {
    service = serviceFor(message.role);
  }
  // Each service reads only its own messages; the explorer sends each worker its own.
  (service?.handle as ((m: ToAnyWorker) => void) | undefined)?.call(service, message);
};
