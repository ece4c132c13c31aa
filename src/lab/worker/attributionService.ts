/**
 * The attribution worker's logic, free of worker globals so it runs under jest too: it
 * holds the explorer's model and sequence, runs one attribution at a time in short slices,
 * reports progress, and drops a request as soon as a newer one (or a cancel) arrives.
 */
import { Attribution } from '../../core/attributions';
import { errorMessage } from '../../core/errors';
import { ExplorerModel } from './explorerModel';
import type {
  AttributionRequest,
  FromAttributionWorker,
  ToAttributionWorker
} from './attributionMessages';
import type { ServiceHost } from './service';

/** Work between two looks at the message queue, and between two progress reports. */
const SLICE_MILLIS = 40;
const PROGRESS_MILLIS = 150;

/** What the service needs from its host: the maximization service's host, with its messages. */
export type AttributionHost = Omit<ServiceHost, 'post'> & {
  post(message: FromAttributionWorker, transfer: ArrayBuffer[]): void;
};

/** Runs attributions for one explorer. */
export class AttributionService {
  private readonly explorer = new ExplorerModel();
  /** The request that may go on; any other stops at its next slice. */
  private current = 0;

  constructor(private readonly host: AttributionHost) {}

  /**
   * Handles one message from the explorer.
   *
   * @param message - init, attribute or cancel
   */
  handle(message: ToAttributionWorker): void {
    switch (message.type) {
      case 'init':
        // A new model and sequence: the run in flight stops.
        this.current = 0;
        this.explorer.load(message, this.host, e => this.fail(null, e));
        break;
      case 'attribute':
        this.current = message.id;
        void this.run(message.id, message.request);
        break;
      case 'cancel':
        if (this.current === message.id) {
          this.current = 0;
        }
        break;
    }
  }

  private async run(id: number, request: AttributionRequest): Promise<void> {
    let run: Attribution | undefined;
    try {
      const { model, sequence } = await this.explorer.get('a request');
      if (id !== this.current) {
        return;
      }
      const started = this.host.now();
      run = new Attribution(model, sequence, request);
      let reported = started;
      while (!run.done) {
        // At least one chunk per slice, however slow the clock says the last one was.
        const slice = this.host.now();
        do {
          run.run(1);
        } while (!run.done && this.host.now() - slice < SLICE_MILLIS);
        if (!run.done && this.host.now() - reported >= PROGRESS_MILLIS) {
          const progress = {
            done: run.progress,
            total: run.total,
            millis: this.host.now() - started
          };
          this.host.post({ type: 'attributionProgress', id, progress }, []);
          reported = this.host.now();
        }
        await this.host.yieldToEvents();
        if (id !== this.current) {
          return;
        }
      }
      const result = run.result();
      const buffers = [result.scores.buffer, result.mutations?.changes.buffer].filter(
        (b): b is ArrayBuffer => b instanceof ArrayBuffer
      );
      const millis = this.host.now() - started;
      this.host.post({ type: 'attributionDone', id, result, millis }, buffers);
    } catch (e) {
      this.fail(id, e);
    } finally {
      run?.dispose();
    }
  }

  private fail(id: number | null, e: unknown): void {
    this.host.post({ type: 'error', id, message: errorMessage(e) }, []);
  }

  /** Frees the model. */
  async dispose(): Promise<void> {
    this.current = 0;
    await this.explorer.dispose();
  }
}
