import * as tf from '@tensorflow/tfjs';
import type { PartPort, ToScanWorker } from '../../src/lab/worker/scanMessages';

/** A one-layer model whose Conv1D weights are set by hand. */
export function convModel(options: {
  length: number | null;
  channels: number;
  kernel: number[][][];
  bias?: number[];
  strides?: number;
  dilationRate?: number;
  padding?: 'valid' | 'same' | 'causal';
  activation?: 'linear' | 'relu';
}): tf.LayersModel {
  const kernelSize = options.kernel.length;
  const filters = options.kernel[0][0].length;
  const layer = tf.layers.conv1d({
    name: 'conv',
    inputShape: [options.length, options.channels],
    filters,
    kernelSize,
    strides: options.strides ?? 1,
    dilationRate: options.dilationRate ?? 1,
    padding: options.padding ?? 'valid',
    activation: options.activation ?? 'linear',
    useBias: options.bias !== undefined
  });
  const model = tf.sequential({ layers: [layer] });
  const weights: tf.Tensor[] = [tf.tensor3d(options.kernel)];
  if (options.bias) {
    weights.push(tf.tensor1d(options.bias));
  }
  layer.setWeights(weights);
  tf.dispose(weights);
  return model;
}

/** A kernel `[tap][channel][1 filter]` with a 1 for one DNA letter per tap ('.' = none). */
export function letters(pattern: string): number[][][] {
  return [...pattern].map(ch => [...'ACGT'].map(base => [base === ch ? 1 : 0]));
}

/** A column of numbers as `[position][1]`. */
export function column(values: number[]): number[][] {
  return values.map(v => [v]);
}

/**
 * Every Vega expression string in a spec (filters, calculations, tests), outside its
 * inline data: where a payload string must never appear.
 */
export function specExpressions(spec: unknown): string[] {
  const expressions: string[] = [];
  const walk = (v: unknown, key = ''): void => {
    if (key === 'datasets') {
      return;
    }
    if (typeof v === 'string' && ['filter', 'calculate', 'test', 'expr'].includes(key)) {
      expressions.push(v);
    } else if (v && typeof v === 'object') {
      Object.entries(v).forEach(([k, x]) => walk(x, k));
    }
  };
  walk(spec);
  return expressions;
}

/**
 * A worker service's host under jest: it collects the messages posted, and `until` waits
 * for a message that makes a test true.
 */
export function serviceHost<Message>(): {
  host: {
    post(message: Message): void;
    useBackend(): Promise<string>;
    yieldToEvents(): Promise<void>;
    now(): number;
  };
  messages: Message[];
  until(test: () => boolean): Promise<void>;
} {
  const messages: Message[] = [];
  let arrived = () => undefined as void;
  return {
    messages,
    host: {
      post: message => {
        messages.push(message);
        arrived();
      },
      useBackend: async () => tf.getBackend(),
      yieldToEvents: () => new Promise<void>(resolve => setImmediate(resolve)),
      now: () => performance.now()
    },
    until: test =>
      new Promise<void>(resolve => {
        arrived = () => (test() ? resolve() : undefined);
        arrived();
      })
  };
}

/**
 * Two connected ends of a stand-in for a `MessageChannel` between two workers: a message
 * posted on one arrives, asynchronously, at the other's `onmessage`.
 */
export function portPair(): [PartPort, PartPort] {
  const deliver = (to: () => PartPort) => (message: ToScanWorker) =>
    setImmediate(() => to().onmessage?.({ data: message } as MessageEvent<ToScanWorker>));
  const first: PartPort = { onmessage: null, postMessage: deliver(() => second) };
  const second: PartPort = { onmessage: null, postMessage: deliver(() => first) };
  return [first, second];
}
