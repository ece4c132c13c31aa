/**
 * The messages between an explorer and its attribution worker. Types only: both sides
 * import them, neither pulls in the other's code.
 */
import type { AttributionOptions } from '../../core/attributionOptions';
import type { AttributionResult } from '../../core/attributions';
import type { InitMessage } from './messages';

/**
 * One attribution the explorer asks for: the core's options, for the explorer's sequence
 * (as one-hot symbols, token ids or numbers, so alphabet and labels are not needed).
 */
export type AttributionRequest = Omit<AttributionOptions, 'alphabet' | 'labels'>;

/** Messages to the worker. A new request cancels the one in flight. */
export type ToAttributionWorker =
  | InitMessage
  | { type: 'attribute'; id: number; request: AttributionRequest }
  | { type: 'cancel'; id: number };

/** How far a request has come. */
export interface AttributionProgress {
  /** Work done and in all: gradient points (integrated gradients), variants (ISM), or 1. */
  done: number;
  total: number;
  millis: number;
}

/** Messages from the worker. */
export type FromAttributionWorker =
  | { type: 'ready'; backend: string }
  | { type: 'attributionProgress'; id: number; progress: AttributionProgress }
  | { type: 'attributionDone'; id: number; result: AttributionResult; millis: number }
  | { type: 'error'; id: number | null; message: string };
