/**
 * The explorer's model and sequence as a worker service holds them: loaded from the `init`
 * message on the backend the explorer chose (the worker then says it is ready), replaced
 * by a later `init`, and freed with the service.
 */
import type * as tf from '@tensorflow/tfjs';
import { modelFromPayload } from '../../core/serialize';
import type { SequencePayload } from '../../protocol';
import type { InitMessage } from './messages';

/** What loading needs from the worker's host. */
export interface LoadHost {
  useBackend(init: InitMessage): Promise<string>;
  post(message: { type: 'ready'; backend: string }, transfer: ArrayBuffer[]): void;
}

/** One explorer's model and sequence in a worker. */
export class ExplorerModel {
  private model: Promise<tf.LayersModel> | undefined;
  private sequence: SequencePayload | undefined;

  /**
   * Loads the model of an `init` message, freeing any model loaded before.
   *
   * @param message - the explorer's model, sequence and backend
   * @param host - switches the backend and reports the worker ready
   * @param onError - told when the backend or the model cannot load
   */
  load(message: InitMessage, host: LoadHost, onError: (e: unknown) => void): void {
    void this.dispose();
    this.sequence = message.sequence;
    this.model = host.useBackend(message).then(async backend => {
      const model = await modelFromPayload(message.model);
      host.post({ type: 'ready', backend }, []);
      return model;
    });
    this.model.catch(onError);
  }

  /**
   * The model and sequence, once loaded.
   *
   * @param what - what the worker got before its model, for the error
   * @returns both
   * @throws Error when no `init` came first
   */
  async get(what: string): Promise<{ model: tf.LayersModel; sequence: SequencePayload }> {
    const model = await this.model;
    if (!model || !this.sequence) {
      throw new Error(`The worker got ${what} before its model.`);
    }
    return { model, sequence: this.sequence };
  }

  /** Frees the model. */
  async dispose(): Promise<void> {
    const model = this.model;
    this.model = undefined;
    (await model?.catch(() => undefined))?.dispose();
  }
}
