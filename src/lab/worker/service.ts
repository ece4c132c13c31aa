/**
 * The maximization worker's logic, free of worker globals so it runs under jest too: it
 * holds the explorer's model, runs one maximization at a time in short slices, reports
 * progress, and drops a run as soon as a newer one (or a cancel) arrives.
 */
import * as tf from '@tensorflow/tfjs';
import { errorMessage, ExplorerError } from '../../core/errors';
import { sequenceLength, sequenceTensor } from '../../core/input';
import { Maximization } from '../../core/maximization';
import type { SequencePayload } from '../../protocol';
import { ExplorerModel } from './explorerModel';
import type { FromWorker, InitMessage, RunRequest, RunSnapshot, ToWorker } from './messages';

/** What the service needs from its host. */
export interface ServiceHost {
  /** Sends a message to the explorer, handing over the listed buffers. */
  post(message: FromWorker, transfer: ArrayBuffer[]): void;
  /** Switches tfjs to the chosen backend and returns the one in use. */
  useBackend(init: InitMessage): Promise<string>;
  /** Lets queued messages in (a macrotask): how a newer run gets to cancel this one. */
  yieldToEvents(): Promise<void>;
  /** Milliseconds, for pacing. */
  now(): number;
}

/** Work between two looks at the message queue, and between two progress reports. */
const SLICE_MILLIS = 40;
const PROGRESS_MILLIS = 150;

/** Runs maximizations for one explorer. */
export class MaximizationService {
  private readonly explorer = new ExplorerModel();
  /** The run that may go on; any other stops at its next slice. */
  private current = 0;

  constructor(private readonly host: ServiceHost) {}

  /**
   * Handles one message from the explorer.
   *
   * @param message - init, run or cancel
   */
  handle(message: ToWorker): void {
    switch (message.type) {
      case 'init':
        // A new model and sequence: the run in flight stops.
        this.current = 0;
        this.explorer.load(message, this.host, e => this.fail(null, e));
        break;
      case 'run':
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

  private async run(id: number, request: RunRequest): Promise<void> {
    let run: Maximization | undefined;
    try {
      const { model, sequence } = await this.explorer.get('a run');
      if (id !== this.current) {
        return;
      }
      const started = this.host.now();
      run = new Maximization(model, {
        layer: request.layer,
        filters: request.filters,
        iterations: request.iterations,
        learningRate: request.learningRate,
        l2: request.l2,
        seed: request.seed,
        position: request.position ?? undefined,
        softmax: request.softmax,
        length: sequenceLength(sequence),
        init: request.start === 'sequence' ? sequenceStart(model, sequence) : undefined
      });
      let reported = started;
      while (!run.done) {
        const slice = this.host.now();
        while (!run.done && this.host.now() - slice < SLICE_MILLIS) {
          run.run(1);
        }
        if (!run.done && this.host.now() - reported >= PROGRESS_MILLIS) {
          this.send('progress', id, run, started);
          reported = this.host.now();
        }
        await this.host.yieldToEvents();
        if (id !== this.current) {
          return;
        }
      }
      this.send('done', id, run, started);
    } catch (e) {
      this.fail(id, e);
    } finally {
      run?.dispose();
    }
  }

  /**
   * Reports a run. While it goes on, a batched run reports only how far it is: its data
   * (300 filters' inputs and losses) would cost the page's thread more than it shows.
   */
  private send(type: 'progress' | 'done', id: number, run: Maximization, started: number): void {
    const millis = this.host.now() - started;
    if (type === 'progress' && run.filters.length > 1) {
      const progress = { step: run.step, iterations: run.hyperparameters.iterations, millis };
      this.host.post({ type, id, progress, snapshot: null }, []);
      return;
    }
    const state = run.state();
    const losses = new Float32Array(state.filters.length * state.step);
    state.losses.forEach((row, r) => losses.set(row, r * state.step));
    const snapshot: RunSnapshot = {
      state: { ...state, losses: [] },
      losses,
      variable: run.variable,
      outputLength: run.outputLength,
      nearest: run.nearestTokens(3),
      millis
    };
    const buffers = [state.input.buffer, state.activations.buffer, losses.buffer];
    if (snapshot.nearest) {
      buffers.push(snapshot.nearest.ids.buffer, snapshot.nearest.similarities.buffer);
    }
    if (type === 'done') {
      this.host.post({ type, id, snapshot }, buffers as ArrayBuffer[]);
    } else {
      const progress = { step: state.step, iterations: state.iterations, millis };
      this.host.post({ type, id, progress, snapshot }, buffers as ArrayBuffer[]);
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

/** The sequence as a start: its one-hot or numeric values, or its tokens' embeddings. */
function sequenceStart(model: tf.LayersModel, seq: SequencePayload): number[][] {
  return tf.tidy(() => {
    if (seq.kind === 'tokens') {
      const embedding = model.layers.find(l => l.getClassName() === 'Embedding');
      if (!embedding) {
        throw new ExplorerError('A token sequence needs a model that starts with an Embedding.');
      }
      return tf.gather(embedding.getWeights()[0], seq.ids).arraySync() as number[][];
    }
    return (sequenceTensor(seq).arraySync() as number[][][])[0];
  });
}
