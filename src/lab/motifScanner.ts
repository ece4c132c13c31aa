/**
 * The dataset view's side of its scan workers: starts them with the model and the set, and
 * runs one scan at a time (`WorkerJobs`). The workers share each scan's forward pass; the
 * others' parts go to the first on channels between them (never through this thread), and
 * the first counts the sites and matches the motifs. A new scan
 * supersedes the one in flight (whose promise then resolves to null); `dispose` ends the
 * workers and everything they hold.
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

/** Workers sharing a scan's forward pass: one per core, up to two (tfjs' wasm is one thread each). */
function scanWorkers(): number {
  return Math.max(1, Math.min(2, navigator.hardwareConcurrency || 1));
}

/** Scans an explorer's set of sequences in Web Workers that share the forward pass. */
export class MotifScanner {
  private readonly workers: Worker[];
  private readonly jobs = new WorkerJobs<ScanProgress, ScanResult>(id =>
    this.workers.forEach(w => post(w, { type: 'cancel', id }))
  );
  /** Sequences in the set, of which the workers' forward passes report their shares. */
  private readonly count: number;
  /** The scan in flight's forward pass: sequences read, per worker. */
  private reading: { id: number; done: number[] } = { id: 0, done: [] };

  /**
   * Starts the workers.
   *
   * @param payload - the explorer's model and set (`payload.sequences`)
   * @param backend - the backend setting
   * @param urls - where the worker script and tfjs' wasm binaries are served
   * @param workers - how many share a scan's forward pass (one per core, up to two)
   */
  constructor(
    payload: Pick<ExplorerPayload, 'model' | 'sequence' | 'sequences'>,
    backend: BackendChoice,
    urls: WorkerUrls,
    workers = scanWorkers()
  ) {
    this.count = payload.sequences?.names.length ?? 0;
    this.workers = Array.from({ length: workers }, (_, index) => {
      const started = startWorker(urls);
      const worker = started.worker;
      worker.onmessage = (event: MessageEvent<FromScanWorker>) => this.receive(index, event.data);
      worker.onerror = event => {
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
      worker.postMessage(init);
      return worker;
    });
    // Each other worker hands its parts straight to the first, on a channel of their own.
    for (const worker of this.workers.slice(1)) {
      const channel = new MessageChannel();
      post(this.workers[0], { type: 'peer', port: channel.port1 }, [channel.port1]);
      post(worker, { type: 'peer', port: channel.port2 }, [channel.port2]);
    }
  }

  /** A message from worker `index` (share `index`; share 0 finishes the scans). */
  private receive(index: number, message: FromScanWorker): void {
    switch (message.type) {
      case 'scanProgress':
        this.progress(index, message.id, message.progress);
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

  /** Reports the forward pass summed over the workers; the later phases as share 0 says. */
  private progress(index: number, id: number, progress: ScanProgress): void {
    if (progress.phase !== 'scan') {
      this.jobs.progress(id, progress);
      return;
    }
    if (this.reading.id !== id) {
      this.reading = { id, done: this.workers.map(() => 0) };
    }
    this.reading.done[index] = progress.done;
    const done = this.reading.done.reduce((a, b) => a + b, 0);
    this.jobs.progress(id, { ...progress, done, total: this.count });
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
    const of = this.workers.length;
    return this.jobs.run(
      id =>
        this.workers.forEach((w, index) =>
          post(w, { type: 'scan', id, request, share: { index, of } })
        ),
      onProgress
    );
  }

  /** Stops the scan in flight, if any; its promise resolves to null. */
  cancel(): void {
    this.jobs.cancel();
  }

  /** Ends the workers, freeing their models, sets and tensors. */
  dispose(): void {
    this.jobs.cancel();
    this.workers.forEach(w => w.terminate());
  }
}

/** Sends a scan worker a message, handing over the listed buffers. */
function post(worker: Worker, message: ToScanWorker, transfer: Transferable[] = []): void {
  worker.postMessage(message, transfer);
}
