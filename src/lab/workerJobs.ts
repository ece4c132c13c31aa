/**
 * One job at a time in a Web Worker, for the explorer's worker clients (the maximization's
 * and the dataset scan's): a new job supersedes the one in flight, whose promise then
 * resolves to null; a failure of the worker itself fails the job in flight and every later
 * one. The clients say how to start a job and route the worker's messages here.
 */

interface PendingJob<Progress, Result> {
  id: number;
  onProgress: (progress: Progress) => void;
  resolve: (result: Result | null) => void;
  reject: (error: Error) => void;
}

/** The job in flight of one worker, and how the worker is told to start or stop one. */
export class WorkerJobs<Progress, Result> {
  private pending: PendingJob<Progress, Result> | null = null;
  private nextId = 1;
  private failure: Error | null = null;

  /**
   * @param stop - tells the worker to stop job `id`
   */
  constructor(private readonly stop: (id: number) => void) {}

  /**
   * Starts a job, superseding the one in flight.
   *
   * @param start - sends the job to the worker with its id
   * @param onProgress - called with the job's progress reports
   * @returns the job's result, or null when a newer job or `cancel` superseded it
   */
  run(
    start: (id: number) => void,
    onProgress: (progress: Progress) => void
  ): Promise<Result | null> {
    this.cancel();
    if (this.failure) {
      return Promise.reject(this.failure);
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending = { id, onProgress, resolve, reject };
      start(id);
    });
  }

  /** Stops the job in flight, if any; its promise resolves to null. */
  cancel(): void {
    const pending = this.pending;
    if (pending) {
      this.pending = null;
      this.stop(pending.id);
      pending.resolve(null);
    }
  }

  /**
   * A progress report of job `id` (ignored unless it is the job in flight).
   *
   * @param id - the job
   * @param progress - how far it is
   */
  progress(id: number, progress: Progress): void {
    if (this.pending?.id === id) {
      this.pending.onProgress(progress);
    }
  }

  /**
   * The end of job `id`.
   *
   * @param id - the job
   * @param result - what it found
   */
  done(id: number, result: Result): void {
    const pending = this.pending;
    if (pending?.id === id) {
      this.pending = null;
      pending.resolve(result);
    }
  }

  /**
   * A failure: of job `id`, or of the worker itself (`id` null), which fails every job.
   *
   * @param id - the job, or null
   * @param error - what went wrong
   */
  failed(id: number | null, error: Error): void {
    const pending = this.pending;
    if (id === null) {
      this.failure = error;
    } else if (pending?.id !== id) {
      return;
    }
    this.pending = null;
    pending?.reject(error);
  }
}

/** Where an explorer's worker script and tfjs' wasm binaries are served. */
export interface WorkerUrls {
  worker: string;
  wasmFiles: { [name: string]: string };
}

/**
 * Starts the explorer's worker script (from the Jupyter server, like the wasm binaries).
 *
 * @param urls - the script's and the binaries' URLs, relative to the page
 * @returns the worker, and the binaries' absolute URLs for its `init` message
 */
export function startWorker(urls: WorkerUrls): {
  worker: Worker;
  wasmFiles: { [name: string]: string };
} {
  const absolute = (url: string) => new URL(url, document.baseURI).href;
  return {
    worker: new Worker(absolute(urls.worker)),
    wasmFiles: Object.fromEntries(
      Object.entries(urls.wasmFiles).map(([name, url]) => [name, absolute(url)])
    )
  };
}
