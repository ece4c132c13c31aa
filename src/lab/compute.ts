/**
 * The browser side of the analyses: picks a tfjs backend, rebuilds the model from the
 * payload and computes everything the views show, as plain arrays. Loaded lazily: it pulls
 * in tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { checkWeightsFinite, computeFeatureMaps, type FeatureMap } from '../core/analyses';
import { checkSequenceLength, sequenceGeometry, type InputSpan } from '../core/geometry';
import {
  channelNames,
  describeSequence,
  modelInput,
  parseTypedSequence,
  sequenceLength,
  sequenceSymbols,
  sequenceTensor,
  type ModelInput
} from '../core/input';
import { readModelBytes } from '../core/kerasFiles';
import { conv1dLayers, conv1dWeights, isConv1D, type Conv1DLayerInfo } from '../core/layers';
import { checkLayerClasses, forTfjs } from '../core/modelBuild';
import { modelFromPayload } from '../core/serialize';
import {
  fromBase64,
  toBase64,
  type ExplorerPayload,
  type ModelPayload,
  type SequencePayload,
  type WeightSpec
} from '../protocol';
import { Maximizer } from './maximizer';
import { MotifScanner } from './motifScanner';
import { backendOrder, switchBackend } from './backend';
import type { BackendChoice } from './settings';

/** Everything the views show of one Conv1D layer. */
export interface LayerData {
  info: Conv1DLayerInfo;
  /** Output positions. */
  length: number;
  /** `activations[position * filters + filter]`, after the layer's activation. */
  activations: Float32Array;
  /** `kernel[(k * inputChannels + channel) * filters + filter]` (Keras layout, flattened). */
  kernel: Float32Array;
  bias: Float32Array | null;
  /** Where output positions lie in the input; null when it cannot be worked out. */
  span: InputSpan | null;
  /** Names of the kernel's input channels. */
  channels: string[];
}

/** The result of analysing a payload. */
export interface ExplorerData {
  backend: string;
  symbols: string[];
  layers: LayerData[];
  /** Milliseconds spent rebuilding the model and computing. */
  millis: number;
}

// The wasm binaries are emitted next to the extension's bundle (see webpack.config.js),
// so the backend loads them from the Jupyter server, never from a CDN.
/* eslint-disable @typescript-eslint/no-require-imports */
const WASM_FILES: { [name: string]: string } = {
  'tfjs-backend-wasm.wasm': require('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'),
  'tfjs-backend-wasm-simd.wasm': require('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'),
  'tfjs-backend-wasm-threaded-simd.wasm': require('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm')
};
/** The maximization worker's script, bundled by scripts/build-worker.mjs. */
const WORKER_URL: string = require('./maximize.worker.js');
/* eslint-enable @typescript-eslint/no-require-imports */
setWasmPaths(WASM_FILES);

/**
 * Starts the maximization worker for one explorer.
 *
 * @param payload - the explorer's model and sequence
 * @param backend - the backend setting
 * @returns the worker's client
 */
export function startMaximizer(payload: ExplorerPayload, backend: BackendChoice): Maximizer {
  return new Maximizer(payload, backend, { worker: WORKER_URL, wasmFiles: WASM_FILES });
}

/**
 * Starts the dataset scan worker for an explorer with a set of sequences.
 *
 * @param payload - the explorer's model and set
 * @param backend - the backend setting
 * @returns the worker's client
 */
export function startMotifScanner(payload: ExplorerPayload, backend: BackendChoice): MotifScanner {
  return new MotifScanner(payload, backend, { worker: WORKER_URL, wasmFiles: WASM_FILES });
}

let backendReady: Promise<string> | undefined;
let backendWanted: BackendChoice | undefined;

/**
 * Switches tfjs to the chosen backend (see `backendOrder`), once per choice.
 *
 * @param choice - the user's setting
 * @returns the backend in use
 */
export function useBackend(choice: BackendChoice): Promise<string> {
  if (backendReady && backendWanted === choice) {
    return backendReady;
  }
  backendWanted = choice;
  backendReady = switchBackend(tf, backendOrder(choice, choice === 'auto' && hasHardwareWebGL()));
  return backendReady;
}

function hasHardwareWebGL(): boolean {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) {
      return false;
    }
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return !/swiftshader|llvmpipe|software/i.test(renderer);
  } catch {
    return false;
  }
}

/**
 * Rebuilds the payload's model and computes every Conv1D layer's feature maps, kernels and
 * input alignment. Frees every tensor it made before returning.
 *
 * @param payload - a decoded payload
 * @param backend - the backend setting
 * @returns the data for the views
 */
export async function analysePayload(
  payload: ExplorerPayload,
  backend: BackendChoice
): Promise<ExplorerData> {
  const name = await useBackend(backend);
  const started = performance.now();
  const model = await modelFromPayload(payload.model);
  try {
    // The kernel refuses such weights; a model file or an edited output may hold them.
    checkWeightsFinite(model);
    const seq = payload.sequence;
    // An edited output may hold a sequence too short for a layer: say so, as explore does.
    checkSequenceLength(model, sequenceLength(seq));
    const x = sequenceTensor(seq);
    let maps: FeatureMap[];
    try {
      maps = computeFeatureMaps(model, x, payload.view.layers);
    } finally {
      x.dispose();
    }
    const geometry = sequenceGeometry(model, sequenceLength(seq));
    const firstConv = model.layers.find(isConv1D);
    const layers = maps.map(({ layer: info, length, values }) => {
      const layer = model.getLayer(info.name);
      const { kernel, bias } = conv1dWeights(layer);
      return {
        info,
        length,
        activations: values,
        kernel: kernel.dataSync() as Float32Array,
        bias: bias ? (bias.dataSync() as Float32Array) : null,
        span: geometry.get(info.name)?.span ?? null,
        // Input names fit the first Conv1D only when it reads the input's own channels.
        channels:
          layer === firstConv &&
          (seq.kind !== 'onehot' || seq.alphabet.length === info.inputChannels)
            ? channelNames(seq, info.inputChannels)
            : Array.from({ length: info.inputChannels }, (_, i) => `in${i}`)
      };
    });
    return {
      backend: name,
      symbols: sequenceSymbols(seq),
      layers,
      millis: performance.now() - started
    };
  } finally {
    model.dispose();
  }
}

/**
 * What a model file holds for the explorer: its sequence input and its Conv1D layers.
 *
 * @param payload - the model, as read from its files
 * @param path - the model file's path, for messages
 * @returns the input's form and the Conv1D layers' names (empty when there are none)
 * @throws the error that says why the model cannot be rebuilt or has no sequence input
 */
export async function inspectModel(
  payload: ModelPayload,
  path: string
): Promise<{ input: ModelInput; convs: Conv1DLayerInfo[] }> {
  // A model file's unknown layer class is named as the kernel names it, with the way round.
  checkLayerClasses(
    forTfjs({ modelTopology: payload.topology, weightSpecs: payload.weightSpecs }, path)
      .modelTopology,
    path
  );
  const model = await modelFromPayload(payload);
  try {
    return { input: modelInput(model), convs: conv1dLayers(model) };
  } finally {
    model.dispose();
  }
}

/**
 * Reads a typed sequence for a model and checks it like `explore` does.
 *
 * @param payload - the model
 * @param text - the typed sequence (see `parseTypedSequence`)
 * @param options - the one-hot alphabet (empty: numbers) and the vocabulary
 * @returns the sequence in payload form
 * @throws ExplorerError saying what does not fit and what the model expects
 */
export async function typedSequence(
  payload: ModelPayload,
  text: string,
  options: { alphabet: string; labels?: string[] }
): Promise<SequencePayload> {
  const model = await modelFromPayload(payload);
  try {
    const input = modelInput(model);
    const oneHot = !input.tokens && options.alphabet.length > 0;
    return describeSequence(model, parseTypedSequence(input, text, oneHot), {
      alphabet: options.alphabet || undefined,
      labels: options.labels
    });
  } finally {
    model.dispose();
  }
}

/**
 * Reads a Keras `.keras` or `.h5` file into the payload form the explorer computes from.
 *
 * @param base64 - the file's bytes as base64, as the contents API sends binary files
 * @param path - the file's path, for messages
 * @returns the model payload (its topology in the form tfjs builds)
 * @throws ExplorerError saying what the file is when it cannot be read
 */
export async function readModelFile(base64: string, path: string): Promise<ModelPayload> {
  const artifacts = await readModelBytes(fromBase64(base64.replace(/\s+/g, '')), path);
  return {
    topology: artifacts.modelTopology,
    weightSpecs: artifacts.weightSpecs as WeightSpec[],
    weights: toBase64(new Uint8Array(artifacts.weightData))
  };
}
