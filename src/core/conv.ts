/**
 * Conv1D forward passes built from tfjs ops, for what tfjs-layers cannot do itself: run
 * causal padding (feature maps) and give gradients through dilated layers (maximization).
 * Also the row-wise convolution a batched maximization uses, where each batch row has its
 * own filter.
 */
import * as tf from '@tensorflow/tfjs';
import { windowOutput } from './geometry';
import {
  applyActivation,
  conv1dWeights,
  describeConv1D,
  isConv1D,
  type Conv1DLayerInfo
} from './layers';

/**
 * Pads `x` as a Conv1D layer's window needs, so the convolution is then a valid one.
 *
 * @param x - `[batch, length, channels]`
 * @param info - the layer's window and padding
 * @returns the padded input and the number of output positions it gives
 */
export function padForWindow(
  x: tf.Tensor,
  info: Conv1DLayerInfo
): { padded: tf.Tensor3D; outputLength: number } {
  const length = x.shape[1]!;
  const { length: outputLength, padLeft } = windowOutput(length, info);
  const extent = (info.kernelSize - 1) * info.dilationRate + 1;
  const padRight = Math.max((outputLength - 1) * info.strides + extent - length - padLeft, 0);
  const padded =
    padLeft > 0 || padRight > 0
      ? tf.pad(x, [
          [0, 0],
          [padLeft, padRight],
          [0, 0]
        ])
      : x;
  return { padded: padded as tf.Tensor3D, outputLength };
}

/**
 * `x[:, offset + stride·i, :]` for `i < count`, built from slices and reshapes because
 * tfjs has no gradient for strided slices.
 */
function tapSlice(x: tf.Tensor3D, offset: number, stride: number, count: number): tf.Tensor3D {
  const [batch, length, channels] = x.shape;
  if (stride === 1) {
    return tf.slice(x, [0, offset, 0], [batch, count, channels]);
  }
  const needed = offset + stride * count;
  const source =
    needed > length
      ? tf.pad(x, [
          [0, 0],
          [0, needed - length],
          [0, 0]
        ])
      : x;
  const block = tf.slice(source, [0, offset, 0], [batch, stride * count, channels]);
  return tf
    .slice(
      block.reshape([batch, count, stride, channels]),
      [0, 0, 0, 0],
      [batch, count, 1, channels]
    )
    .reshape([batch, count, channels]);
}

/**
 * A valid 1-D convolution where every batch row has its own single-output kernel:
 * `out[r][t] = sum over j, c of x[r][t·stride + j·dilation][c] · kernel[r][j][c]`.
 * The rows' channels go side by side into one depthwise convolution (cost: exactly the
 * rows' own filters, nothing else). Its input gradient is supplied here, as the depthwise
 * correlation of the (stride-spread, padded) output gradient with the flipped kernel:
 * tfjs' wasm backend has no kernel for the built-in one, and it is exact.
 *
 * @param x - `[rows, length, channels]`, already padded
 * @param kernel - `[rows, kernelSize, channels]`
 * @param window - kernel size, stride and dilation
 * @param outputLength - output positions
 * @returns `[rows, outputLength]`
 */
export function rowwiseConv1D(
  x: tf.Tensor3D,
  kernel: tf.Tensor3D,
  window: { kernelSize: number; strides: number; dilationRate: number },
  outputLength: number
): tf.Tensor2D {
  const [rows, length, channels] = x.shape;
  const { kernelSize: k, strides: s, dilationRate: d } = window;
  if (s > 1 && d > 1) {
    // tfjs' depthwise convolution takes a stride or a dilation, not both (nor does Keras,
    // but a tfjs model can hold such a layer): every position, then every s-th.
    const dense = length - (k - 1) * d;
    const all = rowwiseConv1D(x, kernel, { ...window, strides: 1 }, dense);
    return tapSlice(all.reshape([rows, dense, 1]), 0, s, outputLength).reshape([
      rows,
      outputLength
    ]);
  }
  const lanes = rows * channels;
  // [k, 1, rows·channels, 1]: lane r·channels + c holds row r's weights for channel c.
  // Built where it is used: tensors made in the forward pass are gone by the backward one.
  const laneFilter = () => kernel.transpose([1, 0, 2]).reshape([k, 1, lanes, 1]) as tf.Tensor4D;
  const conv = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const value = tf.depthwiseConv2d(
      args[0] as tf.Tensor4D,
      laneFilter(),
      [s, 1],
      'valid',
      'NHWC',
      [d, 1]
    );
    const gradFunc = (dy: tf.Tensor) => {
      // Spread dy by the stride (zeros between), pad it by the kernel's reach on both
      // sides, and correlate with the flipped kernel: the input gradient, position by position.
      const reach = (k - 1) * d;
      const spread = (outputLength - 1) * s + 1;
      let g = dy.reshape([outputLength, 1, lanes]);
      if (s > 1) {
        g = tf
          .pad(g, [
            [0, 0],
            [0, s - 1],
            [0, 0]
          ])
          .reshape([outputLength * s, lanes])
          .slice([0, 0], [spread, lanes]);
      }
      const full = tf.pad(g.reshape([spread, lanes]), [
        [reach, reach + length - spread - reach],
        [0, 0]
      ]);
      return tf.depthwiseConv2d(
        full.reshape([1, full.shape[0], 1, lanes]) as tf.Tensor4D,
        tf.reverse(laneFilter(), 0),
        [1, 1],
        'valid',
        'NHWC',
        [d, 1]
      );
    };
    return { value, gradFunc };
  });
  const lanesInput = x.transpose([1, 0, 2]).reshape([1, length, 1, lanes]);
  return tf
    .sum((conv(lanesInput) as tf.Tensor).reshape([outputLength, rows, channels]), 2)
    .transpose() as tf.Tensor2D;
}

/** Whether a forward pass must have gradients with respect to its input. */
export type ConvMode = 'forward' | 'differentiable';

/**
 * A Conv1D layer's forward pass, padding included (causal padding is left padding, as in
 * Keras). With gradients, dilated layers are summed tap by tap (a matrix product per tap):
 * tfjs' own dilated convolution has no gradient.
 *
 * @param layer - a Conv1D layer of a built model
 * @param x - its input, `[batch, length, channels]`
 * @param mode - `'differentiable'` when gradients will be taken
 * @returns its output after the layer's activation, `[batch, outputLength, filters]`
 */
export function conv1DForward(layer: tf.layers.Layer, x: tf.Tensor, mode: ConvMode): tf.Tensor {
  const info = describeConv1D(layer);
  const { kernel, bias } = conv1dWeights(layer);
  const { padded, outputLength } = padForWindow(x, info);
  const [batch, , channels] = padded.shape;
  let y: tf.Tensor;
  if (info.dilationRate === 1 || mode === 'forward') {
    y = tf.conv1d(padded, kernel as tf.Tensor3D, info.strides, 'valid', 'NWC', info.dilationRate);
  } else {
    const taps = Array.from({ length: info.kernelSize }, (_, j) =>
      tf.matMul(
        tapSlice(padded, j * info.dilationRate, info.strides, outputLength).reshape([
          batch * outputLength,
          channels
        ]),
        tf.slice(kernel, [j, 0, 0], [1, channels, info.filters]).reshape([channels, info.filters])
      )
    );
    y = tf.addN(taps).reshape([batch, outputLength, info.filters]);
  }
  if (bias) {
    y = tf.add(y, bias);
  }
  return applyActivation(layer, y);
}

/**
 * Runs one layer of a model on concrete tensors, in inference mode. Conv1D layers run
 * through `conv1DForward` where tfjs-layers cannot: causal padding ("not implemented"),
 * and gradients through dilated layers. Every other layer runs as tfjs runs it, so feature
 * maps equal tfjs' own `predict`.
 *
 * @param layer - any layer of a built model
 * @param x - its input (a list for a layer with several inputs)
 * @param mode - `'differentiable'` when gradients will be taken
 * @returns its output
 */
export function runLayer(
  layer: tf.layers.Layer,
  x: tf.Tensor | tf.Tensor[],
  mode: ConvMode
): tf.Tensor | tf.Tensor[] {
  const own =
    isConv1D(layer) && (mode === 'differentiable' || describeConv1D(layer).padding === 'causal');
  return own
    ? conv1DForward(layer, x as tf.Tensor, mode)
    : (layer.apply(x, { training: false }) as tf.Tensor | tf.Tensor[]);
}
