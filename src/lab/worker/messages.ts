/**
 * The messages between an explorer and its maximization worker. Types only: both sides
 * import them, neither pulls in the other's code.
 */
import type { MaximizationState } from '../../core/maximization';
import type { ModelPayload, SequencePayload, SequenceSetPayload } from '../../protocol';
import type { BackendChoice } from '../settings';

/** Where a run starts. */
export type StartPoint = 'random' | 'sequence';

/** One maximization the explorer asks for. */
export interface RunRequest {
  layer: string;
  /** Filter indices, one batch row each, or every filter of the layer. */
  filters: number[] | 'all';
  iterations: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Output position to maximize, or null for the mean over positions. */
  position: number | null;
  /** Optimize logits with a softmax per position (one-hot inputs). */
  softmax: boolean;
  /** Seeded standard normal, or the explorer's own sequence (its embedding for tokens). */
  start: StartPoint;
}

/** The explorer's model and sequence, sent once when the worker starts. */
export interface InitMessage {
  type: 'init';
  /**
   * What this worker does: maximizations (the default), dataset scans of `sequences`, or
   * attributions of `sequence`.
   */
  role?: 'maximize' | 'scan' | 'attribute';
  model: ModelPayload;
  sequence: SequencePayload;
  /** The set a scan worker scans. */
  sequences?: SequenceSetPayload;
  backend: BackendChoice;
  /** Absolute URLs of tfjs' wasm binaries, by file name. */
  wasmFiles: { [name: string]: string };
}

/** Messages to the worker. A new run cancels the one in flight. */
export type ToWorker =
  InitMessage | { type: 'run'; id: number; request: RunRequest } | { type: 'cancel'; id: number };

/** What a run has found so far (or at the end). */
export interface RunSnapshot {
  /** The run's state; its `losses` travel flat in `losses` instead (and are empty here). */
  state: MaximizationState;
  /**
   * `losses[row * state.step + step]`: flat, so that 300 filters × 2000 steps cross from
   * the worker as one buffer, not 300 arrays to rebuild on the page's thread.
   */
  losses: Float32Array;
  /** The optimized variable: the model input, or the output of its first-layer Embedding. */
  variable: 'input' | 'embedding';
  outputLength: number;
  /** For Embedding models: the nearest vocabulary ids per row and position. */
  nearest: { ids: Int32Array; similarities: Float32Array; count: number } | null;
  /** Milliseconds since the run started. */
  millis: number;
}

/** How far a run has come, without its data (batched runs report only this while running). */
export interface RunProgress {
  step: number;
  iterations: number;
  millis: number;
}

/** Messages from the worker. */
export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'progress'; id: number; progress: RunProgress; snapshot: RunSnapshot | null }
  | { type: 'done'; id: number; snapshot: RunSnapshot }
  | { type: 'error'; id: number | null; message: string };
