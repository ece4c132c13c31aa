/**
 * Fits the DNA example model with plain tensor ops instead of `LayersModel.fit`.
 *
 * Why: on the cpu backend, tfjs's filter gradient (`Conv2DBackpropFilter`) takes nearly all of
 * a training step, and it cannot differentiate a dilated convolution at all. Here each
 * convolution is written as its windows (the input shifted once per tap, side by side) times
 * the kernel as a matrix, which is the same function, with gradients that are slices and a
 * matrix product. The fitted weights go back into the layers model, and `trainDna` checks that
 * the model then predicts what this forward pass does.
 */
import * as tf from '@tensorflow/tfjs';

/** What the weights do not say of the model's geometry (the taps are the kernels' rows). */
export interface DnaGeometry {
  pairDilation: number;
  pool: number;
}

/** Training settings. */
export interface FitSettings {
  epochs: number;
  learningRate: number;
  batchSize: number;
}

/** The windows of `x` ([batch, length, channels]) for `taps` taps `dilation` apart, side by side. */
function windows(x: tf.Tensor3D, taps: number, dilation: number): tf.Tensor3D {
  const [, length, channels] = x.shape;
  const out = length - (taps - 1) * dilation;
  const shifted = Array.from({ length: taps }, (_, t) =>
    x.slice([0, t * dilation, 0], [-1, out, channels])
  );
  return tf.concat(shifted, 2);
}

/** A Conv1D with a [taps, in, out] kernel and valid padding, as windows × matrix. */
function conv(x: tf.Tensor3D, kernel: tf.Tensor, bias: tf.Tensor, dilation: number): tf.Tensor3D {
  const [taps, inputs, outputs] = kernel.shape;
  const w = windows(x, taps, dilation);
  const [batch, positions] = w.shape;
  const flat = w.reshape([batch * positions, taps * inputs]);
  return tf
    .add(tf.matMul(flat, kernel.reshape([taps * inputs, outputs])), bias)
    .reshape([batch, positions, outputs]);
}

/**
 * The DNA model's forward pass up to the output's logit: same-padded scan, max pooling,
 * dilated valid pairs, global max, dense.
 */
export function dnaLogits(
  weights: readonly tf.Tensor[],
  x: tf.Tensor3D,
  geometry: DnaGeometry
): tf.Tensor2D {
  const [scanKernel, scanBias, pairKernel, pairBias, denseKernel, denseBias] = weights;
  // 'same' padding, as TensorFlow places it: the odd one after.
  const taps = scanKernel.shape[0];
  const before = Math.floor((taps - 1) / 2);
  const padded = tf.pad(x, [
    [0, 0],
    [before, taps - 1 - before],
    [0, 0]
  ]);
  const scan = tf.relu(conv(padded, scanKernel, scanBias, 1));
  const [batch, length, filters] = scan.shape;
  const pooledLength = Math.floor(length / geometry.pool);
  const pooled = scan
    .slice([0, 0, 0], [-1, pooledLength * geometry.pool, -1])
    .reshape([batch, pooledLength, geometry.pool, filters])
    .max(2) as tf.Tensor3D;
  const pairs = tf.relu(conv(pooled, pairKernel, pairBias, geometry.pairDilation));
  const strongest = pairs.max(1) as tf.Tensor2D;
  return tf.add(tf.matMul(strongest, denseKernel), denseBias);
}

/**
 * Fits the weights (in the layers model's order) to the labels by binary cross-entropy with
 * Adam, in batches in a fixed order, and returns the fitted weights.
 */
export async function fitDnaWeights(
  initial: readonly tf.Tensor[],
  x: tf.Tensor3D,
  y: tf.Tensor2D,
  geometry: DnaGeometry,
  settings: FitSettings,
  onEpochEnd: (epoch: number, loss: number) => void
): Promise<tf.Tensor[]> {
  const variables = initial.map(w => tf.variable(w.clone()));
  const optimizer = tf.train.adam(settings.learningRate);
  const count = x.shape[0];
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    let total = 0;
    for (let start = 0; start < count; start += settings.batchSize) {
      const size = Math.min(settings.batchSize, count - start);
      const loss = optimizer.minimize(
        () =>
          tf.tidy(() =>
            tf.losses.sigmoidCrossEntropy(
              y.slice([start, 0], [size, -1]),
              dnaLogits(variables, x.slice([start, 0, 0], [size, -1, -1]), geometry)
            )
          ) as tf.Scalar,
        true
      );
      total += (await loss!.data())[0] * size;
      loss!.dispose();
    }
    onEpochEnd(epoch, total / count);
  }
  optimizer.dispose();
  const fitted = variables.map(v => v.clone() as tf.Tensor);
  variables.forEach(v => v.dispose());
  return fitted;
}
