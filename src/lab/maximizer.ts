/**
 * The explorer's side of the maximization worker: starts it, hands it the model once, and
 * runs one maximization at a time (`WorkerJobs`). A new run supersedes the one in flight
 * (whose promise then resolves to null); `dispose` ends the worker and everything it holds.
 */
import type { ExplorerPayload } from '../protocol';
import type { BackendChoice } from './settings';
import type { FromWorker, RunProgress, RunRequest, RunSnapshot, ToWorker } from './worker/messages';
import { startWorker, WorkerJobs, type WorkerUrls } from './workerJobs';

/** Runs activation maximization for one explorer in a Web Worker. */
export class Maximizer {
  /** The backend the worker computes on, once it is ready. */
  readonly ready: Promise<string>;
  private readonly worker: Worker;
  private readonly jobs = new WorkerJobs<
    { progress: RunProgress; snapshot: RunSnapshot | null },
    RunSnapshot
  >(id => this.post({ type: 'cancel', id }));

  /**
   * Starts the worker.
   *
   * @param payload - the explorer's model and sequence
   * @param backend - the backend setting
   * @param urls - where the worker script and tfjs' wasm binaries are served
   */
  constructor(payload: ExplorerPayload, backend: BackendChoice, urls: WorkerUrls) {
    const started = startWorker(urls);
    this.worker = started.worker;
    let readyResolve: (backend: string) => void = () => undefined;
    let readyReject: (error: Error) => void = () => undefined;
    this.ready = new Promise<string>((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    this.ready.catch(() => undefined);
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      switch (message.type) {
        case 'ready':
          readyResolve(message.backend);
          break;
        case 'progress':
          this.jobs.progress(message.id, message);
          break;
        case 'done':
          this.jobs.done(message.id, message.snapshot);
          break;
        case 'error':
          if (message.id === null) {
            this.fail(new Error(message.message), readyReject);
          } else {
            this.jobs.failed(message.id, new Error(message.message));
          }
          break;
      }
    };
    this.worker.onerror = event => {
      event.preventDefault();
      this.fail(
        new Error(`The maximization worker failed: ${event.message || 'it could not start'}.`),
        readyReject
      );
    };
    this.post({
      type: 'init',
      model: payload.model,
      sequence: payload.sequence,
      backend,
      wasmFiles: started.wasmFiles
    });
  }

  /**
   * Runs one maximization, superseding any run in flight.
   *
   * @param request - what to maximize and how
   * @param onProgress - called while it runs, with how far it is and (for one filter) a snapshot
   * @returns the final snapshot, or null when a newer run or `cancel` superseded it
   */
  run(
    request: RunRequest,
    onProgress: (progress: RunProgress, snapshot: RunSnapshot | null) => void
  ): Promise<RunSnapshot | null> {
    return this.jobs.run(
      id => this.post({ type: 'run', id, request }),
      ({ progress, snapshot }) => onProgress(progress, snapshot)
    );
  }

  /** Stops the run in flight, if any; its promise resolves to null. */
  cancel(): void {
    this.jobs.cancel();
  }

  /** Ends the worker, freeing its model and tensors. */
  dispose(): void {
    this.cancel();
    this.worker.terminate();
  }

  private post(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private fail(error: Error, rejectReady: (error: Error) => void): void {
    rejectReady(error);
    this.jobs.failed(null, error);
  }
}
