/** The kernel-side API, used from tslab cells (Node). */
import * as tf from '@tensorflow/tfjs';

// Plain tfjs in Node greets the first tensor with a banner about tfjs-node on stderr, which
// would land in the user's cell. The cpu backend marks that with `firstUse`; clearing it
// silences only that banner.
// tf.backend() settles the engine's backend first: until then tfjs may make a new instance.
const cpu = tf.backend() as { firstUse?: boolean } | null;
if (cpu && 'firstUse' in cpu) {
  cpu.firstUse = false;
}

export * from './explore';
export * from './loadModel';
export * from './display';
export * from './fastaFile';
export * from './wasmBackend';
