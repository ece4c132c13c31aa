import * as tf from '@tensorflow/tfjs';

// Keep test output clean: the cpu backend's one-time banner about tfjs-node (the kernel API
// silences it the same way).
// tf.backend() settles the engine's backend first: until then tfjs may make a new instance.
const cpu = tf.backend() as { firstUse?: boolean } | null;
if (cpu) {
  cpu.firstUse = false;
}
