/**
 * The dataset view's side of its scan worker: starts it with the model and the set, and
 * runs one scan at a time (`WorkerJobs`). A new scan supersedes the one in flight (whose
 * promise then resolves to null); `dispose` ends the worker and everything it holds.
 */
import type { ExplorerPayload } from '../protocol';
import type { BackendChoice } from './settings';
import type { InitMessage } from './worker/messages';
import type {
  FromScanWorker,
  ScanProgress,
  ScanRequest,
  ScanResult,
  ToScanWorker
} from './worker/scanMessages';
import { startWorker, WorkerJobs, type WorkerUrls } from './workerJobs';

/** Scans an explorer's set of sequences in a Web Worker. */
export class MotifScanner {
  private readonly worker: Worker;
  private readonly jobs = new WorkerJobs<ScanProgress, ScanResult>(id =>
    this.post({ type: 'cancel', id })
  );

  /**
   * Starts the worker.
   *
   * @param payload - the explorer's model and set (`payload.sequences`)
   * @param backend - the backend setting
   * @param urls - where the worker script and tfjs' wasm binaries are served
   */
  constructor(payload: ExplorerPayload, backend: BackendChoice, urls: WorkerUrls) {
    const started = startWorker(urls);
    this.worker = started.worker;
    this.worker.onmessage = (event: MessageEvent<FromScanWorker>) => this.receive(event.data);
    this.worker.onerror = event => {
      event.preventDefault();
      const message = event.message || 'it could not start';
      this.jobs.failed(null, new Error(`The scan worker failed: ${message}.`));
    };
    const init: InitMessage = {
      type: 'init',
      role: 'scan',
      model: payload.model,
      sequence: payload.sequence,
      sequences: payload.sequences,
      backend,
      wasmFiles: started.wasmFiles
    };
    this.worker.postMessage(init);
  }

  private receive(message: FromScanWorker): void {
    switch (message.type) {
      case 'scanProgress':
        this.jobs.progress(message.id, message.progress);
        break;
      case 'scanDone':
        this.jobs.done(message.id, message.result);
        break;
      case 'error':
        this.jobs.failed(message.id, new Error(message.message));
        break;
      case 'ready':
        break;
    }
  }

  /**
   * Scans the set for one layer, superseding any scan in flight.
   *
   * @param request - the layer, threshold and matching
   * @param onProgress - called while it runs
   * @returns what the scan found, or null when a newer scan or `cancel` superseded it
   */
  scan(
    request: ScanRequest,
    onProgress: (progress: ScanProgress) => void
  ): Promise<ScanResult | null> {
    return this.jobs.run(id => this.post({ type: 'scan', id, request }), onProgress);
  }

  /** Stops the scan in flight, if any; its promise resolves to null. */
  cancel(): void {
    this.jobs.cancel();
  }

  /** Ends the worker, freeing its model, set and tensors. */
  dispose(): void {
    this.jobs.cancel();
    this.worker.terminate();
  }

  private post(message: ToScanWorker): void {
    this.worker.postMessage(message);
  }
}
