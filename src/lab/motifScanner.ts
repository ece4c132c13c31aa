/**
 * The dataset view's side of its scan worker: starts it with the model and the set, and
 * runs one scan at a time. A new scan supersedes the one in flight (whose promise then
 * resolves to null); `dispose` ends the worker and everything it holds.
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

interface PendingScan {
  id: number;
  onProgress: (progress: ScanProgress) => void;
  resolve: (result: ScanResult | null) => void;
  reject: (error: Error) => void;
}

/** Scans an explorer's set of sequences in a Web Worker. */
export class MotifScanner {
  private readonly worker: Worker;
  private pending: PendingScan | null = null;
  private nextId = 1;
  private failure: Error | null = null;

  /**
   * Starts the worker.
   *
   * @param payload - the explorer's model and set (`payload.sequences`)
   * @param backend - the backend setting
   * @param urls - where the worker script and tfjs' wasm binaries are served
   */
  constructor(
    payload: ExplorerPayload,
    backend: BackendChoice,
    urls: { worker: string; wasmFiles: { [name: string]: string } }
  ) {
    const absolute = (url: string) => new URL(url, document.baseURI).href;
    this.worker = new Worker(absolute(urls.worker));
    this.worker.onmessage = (event: MessageEvent<FromScanWorker>) => this.receive(event.data);
    this.worker.onerror = event => {
      event.preventDefault();
      this.fail(new Error(`The scan worker failed: ${event.message || 'it could not start'}.`));
    };
    const init: InitMessage = {
      type: 'init',
      role: 'scan',
      model: payload.model,
      sequence: payload.sequence,
      sequences: payload.sequences,
      backend,
      wasmFiles: Object.fromEntries(
        Object.entries(urls.wasmFiles).map(([name, url]) => [name, absolute(url)])
      )
    };
    this.worker.postMessage(init);
  }

  private receive(message: FromScanWorker): void {
    const pending = this.pending;
    switch (message.type) {
      case 'scanProgress':
        if (pending?.id === message.id) {
          pending.onProgress(message.progress);
        }
        break;
      case 'scanDone':
        if (pending?.id === message.id) {
          this.pending = null;
          pending.resolve(message.result);
        }
        break;
      case 'error':
        if (message.id === null) {
          this.fail(new Error(message.message));
        } else if (pending?.id === message.id) {
          this.pending = null;
          pending.reject(new Error(message.message));
        }
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
    this.cancel();
    if (this.failure) {
      return Promise.reject(this.failure);
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending = { id, onProgress, resolve, reject };
      this.post({ type: 'scan', id, request });
    });
  }

  /** Stops the scan in flight, if any; its promise resolves to null. */
  cancel(): void {
    const pending = this.pending;
    if (pending) {
      this.pending = null;
      this.post({ type: 'cancel', id: pending.id });
      pending.resolve(null);
    }
  }

  /** Ends the worker, freeing its model, set and tensors. */
  dispose(): void {
    this.cancel();
    this.worker.terminate();
  }

  private post(message: ToScanWorker): void {
    this.worker.postMessage(message);
  }

  private fail(error: Error): void {
    this.failure = error;
    const pending = this.pending;
    this.pending = null;
    pending?.reject(error);
  }
}
