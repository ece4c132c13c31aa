/**
 * Realistic inputs for every Vega-Lite spec in src/lab, built the way the views build them:
 * one-hot DNA, a token (Embedding) model and numeric channels; with and without bias; the
 * layers of a multi-layer model (strided, dilated, of unknown alignment); small and
 * picture-sized heatmaps; every maximization view; galleries of few and many filters.
 * Shared by the Vega test (vegaSpecs.test.ts) and anyone who needs such specs.
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import type { LayerData } from '../../src/lab/compute';
import { explorerSpec, HEATMAP_RECT_LIMIT, sequenceWidth } from '../../src/lab/specs';
import {
  galleryValues,
  maximizationRows,
  type MaximizationLabels
} from '../../src/lab/maximizationRows';
import { gallerySpec, maximizationSpec } from '../../src/lab/maximizationSpecs';
import type { RunSnapshot } from '../../src/lab/worker/messages';
import {
  DATASET_DATA,
  datasetNames,
  datasetSpec,
  type DatasetRows
} from '../../src/lab/dataset/datasetSpecs';
import { informationHeights, logoLayout } from '../../src/lab/logo/layout';
import { logoRows } from '../../src/lab/logo/view';

/** One spec to check, with what its Vega dataflow must hold. */
export interface SpecCase {
  name: string;
  /** The function in src/lab that built it. */
  source: 'explorerSpec' | 'maximizationSpec' | 'gallerySpec' | 'datasetSpec';
  spec: TopLevelSpec;
  /** Named data sets the compiled spec must keep (the view code swaps them by name). */
  data: string[];
  /** Signals the compiled spec must define (the view code listens to them). */
  signals: string[];
}

/** Deterministic numbers in [-1, 1): the same cases on every run. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

/** What a layer of a test model looks like. */
export interface LayerShape {
  name: string;
  filters: number;
  kernelSize: number;
  channels: string[];
  length: number;
  strides?: number;
  dilationRate?: number;
  span: LayerData['span'];
  bias: boolean;
  /** Activation values: `relu` (never negative), `linear` (both signs) or `constant`. */
  values: 'relu' | 'linear' | 'constant';
}

/**
 * A layer's data as compute.ts gives it, with deterministic weights and activations.
 *
 * @param shape - the layer's size, channels, placement and kind of activations
 * @param seed - the seed of its numbers
 * @returns the layer's data
 */
export function layerData(shape: LayerShape, seed = 1): LayerData {
  const rand = noise(seed);
  const { filters, kernelSize, length } = shape;
  const inputChannels = shape.channels.length;
  const value = (): number =>
    shape.values === 'constant' ? 0 : shape.values === 'relu' ? Math.max(0, rand()) : rand();
  return {
    info: {
      name: shape.name,
      filters,
      kernelSize,
      strides: shape.strides ?? 1,
      dilationRate: shape.dilationRate ?? 1,
      padding: 'valid',
      inputChannels,
      activation: shape.values === 'linear' ? 'linear' : 'relu'
    },
    length,
    activations: Float32Array.from({ length: length * filters }, value),
    kernel: Float32Array.from({ length: kernelSize * inputChannels * filters }, rand),
    bias: shape.bias ? Float32Array.from({ length: filters }, rand) : null,
    span: shape.span,
    channels: shape.channels
  };
}

const DNA = ['A', 'C', 'G', 'T'];
const WORDS = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'and', 'purred', 'softly', '<unk>'];

/** A DNA sequence of `length` symbols. */
function dna(length: number, seed: number): string[] {
  const rand = noise(seed);
  return Array.from({ length }, () => DNA[Math.floor((rand() + 1) * 2) % 4]);
}

/** An explorer case, as view.ts draws it (a picture for a layer above the rectangle limit). */
function explorerCase(
  name: string,
  layer: LayerData,
  symbols: string[],
  options: { filter: number; words?: boolean; brush?: [number, number] | null }
): SpecCase {
  const large = layer.length * layer.info.filters > HEATMAP_RECT_LIMIT;
  const spec = explorerSpec(layer, symbols, {
    ...options,
    heatmapImage: large ? { url: 'data:image/png;base64,AAAA' } : undefined
  });
  const data = ['line', 'kernel', 'selected', 'sym', ...(large ? ['heat', 'bands'] : ['act'])];
  return { name, source: 'explorerSpec', spec, data, signals: ['pick', 'brush', 'at'] };
}

/**
 * Explorer specs: every branch of `explorerSpec`.
 *
 * @returns one case per input kind, layer and option
 */
export function explorerCases(): SpecCase[] {
  const seq = dna(40, 2);
  const longSeq = dna(600, 3);
  const conv1 = (length: number, seed: number) =>
    layerData(
      {
        name: 'conv1',
        filters: 8,
        kernelSize: 5,
        channels: DNA,
        length: length - 4,
        span: { jump: 1, start: 0, size: 5 },
        bias: true,
        values: 'relu'
      },
      seed
    );
  // The second layer of the same model: strided and dilated, linear (both signs), no bias.
  const conv2 = layerData(
    {
      name: 'conv2',
      filters: 32,
      kernelSize: 3,
      channels: Array.from({ length: 8 }, (_, i) => `conv1:${i}`),
      length: 296,
      strides: 2,
      dilationRate: 2,
      span: { jump: 2, start: 0, size: 9 },
      bias: false,
      values: 'linear'
    },
    4
  );
  // A layer after a recurrent layer: where it reads the input is unknown.
  const afterLstm = layerData(
    {
      name: 'conv_after_lstm',
      filters: 4,
      kernelSize: 3,
      channels: ['lstm:0', 'lstm:1'],
      length: 38,
      span: null,
      bias: true,
      values: 'linear'
    },
    5
  );
  const words = Array.from({ length: 24 }, (_, i) => WORDS[i % WORDS.length]);
  const tokens = layerData(
    {
      name: 'token_conv',
      filters: 6,
      kernelSize: 3,
      channels: Array.from({ length: 16 }, (_, i) => `emb${i}`),
      length: 22,
      span: { jump: 1, start: 0, size: 3 },
      bias: false,
      values: 'linear'
    },
    6
  );
  const numeric = layerData(
    {
      name: 'sensor_conv',
      filters: 3,
      kernelSize: 4,
      channels: Array.from({ length: 24 }, (_, i) => `ch${i}`),
      length: 27,
      span: { jump: 1, start: 0, size: 4 },
      bias: false,
      values: 'constant'
    },
    7
  );
  const bigShape = (values: LayerShape['values']): LayerShape => ({
    name: 'basset_conv',
    filters: 300,
    kernelSize: 19,
    channels: DNA,
    length: 582,
    span: { jump: 1, start: 0, size: 19 },
    bias: true,
    values
  });
  return [
    explorerCase('DNA one-hot, first layer, bias, relu', conv1(40, 8), seq, { filter: 2 }),
    explorerCase('DNA one-hot, second layer, strided, diverging, brushed', conv2, longSeq, {
      filter: 31,
      brush: [100.5, 140]
    }),
    explorerCase('DNA one-hot, dense input track (cells, not letters)', conv1(600, 9), longSeq, {
      filter: 0
    }),
    explorerCase('unknown input alignment', afterLstm, seq, { filter: 1 }),
    explorerCase('token model, words', tokens, words, { filter: 5, words: true }),
    explorerCase(
      'numeric channels, dead layer, many channels',
      numeric,
      Array.from({ length: 30 }, (_, i) => String(i)),
      { filter: 0 }
    ),
    explorerCase('large layer as a picture, relu', layerData(bigShape('relu'), 10), dna(600, 11), {
      filter: 299
    }),
    explorerCase(
      'large layer as a picture, diverging',
      layerData(bigShape('linear'), 12),
      dna(600, 13),
      {
        filter: 7
      }
    )
  ];
}

/**
 * A maximization snapshot, as the worker sends it.
 *
 * @param options - `rows` filters, `length` positions, `width` channels, steps taken, nearest
 *   tokens, and whether the input is probabilities
 * @param seed - the seed of its numbers
 * @returns the snapshot
 */
export function runSnapshot(
  options: {
    rows: number;
    length: number;
    width: number;
    steps: number;
    nearest: boolean;
    probabilities: boolean;
  },
  seed = 1
): RunSnapshot {
  const rand = noise(seed);
  const { rows, length, width, steps } = options;
  // Probabilities sum to 1 at each position; raw inputs take both signs.
  const input = Float32Array.from({ length: rows * length * width }, () =>
    options.probabilities ? (rand() + 1) / 2 : rand()
  );
  if (options.probabilities) {
    for (let cell = 0; cell < rows * length; cell++) {
      const column = input.subarray(cell * width, (cell + 1) * width);
      const sum = column.reduce((a, b) => a + b, 0);
      column.forEach((v, c) => (column[c] = v / sum));
    }
  }
  const count = 3;
  return {
    state: {
      filters: Array.from({ length: rows }, (_, i) => i),
      step: steps,
      iterations: steps,
      length,
      width,
      input,
      activations: Float32Array.from({ length: rows }, rand),
      losses: [],
      everActive: Array.from({ length: rows }, (_, i) => i % 3 !== 0),
      stopped: null
    },
    losses: Float32Array.from({ length: rows * steps }, (_, i) => -Math.log1p(i % steps)),
    variable: options.nearest ? 'embedding' : 'input',
    outputLength: length,
    nearest: options.nearest
      ? {
          count,
          ids: Int32Array.from({ length: rows * length * count }, (_, i) => i % WORDS.length),
          similarities: Float32Array.from({ length: rows * length * count }, () => (rand() + 1) / 2)
        }
      : null,
    millis: 12
  };
}

/** A tiny PNG (1 × 1, transparent) for the pictures the browser would paint. */
export const TINY_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** A one-filter maximization case, as the panel draws it (the logo's picture: `TINY_PNG`). */
function maximizationCase(
  name: string,
  snapshot: RunSnapshot,
  labels: MaximizationLabels
): SpecCase {
  const rows = maximizationRows(snapshot, 0, labels);
  if (labels.softmax) {
    rows.logoPicture = [{ url: TINY_PNG }];
  }
  const options = {
    width: sequenceWidth(snapshot.state.length),
    length: snapshot.state.length,
    softmax: labels.softmax,
    words: snapshot.nearest !== null,
    channels: snapshot.state.width
  };
  const data = ['loss', 'magnitude', 'field', 'cells'];
  if (options.softmax) {
    data.push('logo', 'logoPicture');
  }
  if (options.words) {
    data.push('words');
  }
  return {
    name,
    source: 'maximizationSpec',
    spec: maximizationSpec(rows, options),
    data,
    signals: []
  };
}

/**
 * One-filter maximization specs: every view (logo, nearest tokens) on and off.
 *
 * @returns one case per input kind
 */
export function maximizationCases(): SpecCase[] {
  const run = (length: number, width: number, shape: { nearest?: boolean; softmax?: boolean }) =>
    runSnapshot({
      rows: 1,
      length,
      width,
      steps: 30,
      nearest: shape.nearest === true,
      probabilities: shape.softmax === true
    });
  const dnaProbabilities = run(40, 4, { softmax: true });
  const longDnaProbabilities = run(600, 4, { softmax: true });
  const proteinProbabilities = run(30, 20, { softmax: true });
  const dnaRaw = run(40, 4, {});
  const tokenRun = run(24, 16, { nearest: true });
  const numericRun = run(30, 24, {});
  const emb = Array.from({ length: 16 }, (_, i) => `emb${i}`);
  return [
    maximizationCase('DNA probabilities: logo, receptive field', dnaProbabilities, {
      channels: DNA,
      softmax: true,
      field: [10, 14]
    }),
    maximizationCase(
      'DNA probabilities, 600 positions: a logo of 2400 letters',
      longDnaProbabilities,
      {
        channels: DNA,
        softmax: true,
        field: [200, 218]
      }
    ),
    maximizationCase('protein probabilities: a logo of 20 amino acids', proteinProbabilities, {
      channels: [...'ACDEFGHIKLMNPQRSTVWY'],
      softmax: true,
      field: null
    }),
    maximizationCase('DNA raw input, no receptive field', dnaRaw, {
      channels: DNA,
      softmax: false,
      field: null
    }),
    maximizationCase('token model: nearest words', tokenRun, {
      channels: emb,
      vocabulary: WORDS,
      softmax: false,
      field: [3, 5]
    }),
    maximizationCase('numeric channels, many of them', numericRun, {
      channels: Array.from({ length: 24 }, (_, i) => `ch${i}`),
      softmax: false,
      field: null
    })
  ];
}

/** A gallery case, as the panel draws it. */
function galleryCase(name: string, snapshot: RunSnapshot, softmax: boolean): SpecCase {
  const { min, max } = galleryValues(snapshot, softmax);
  const spec = gallerySpec(snapshot, {
    width: sequenceWidth(snapshot.state.length),
    softmax,
    layer: 'conv1',
    summaries: snapshot.state.filters.map(f => (f % 2 ? 'ACGTTGCA' : '')),
    image: { url: 'data:image/png;base64,AAAA', min, max }
  });
  return { name, source: 'gallerySpec', spec, data: ['finals', 'picture'], signals: ['gpick'] };
}

/**
 * Gallery specs: few and many filters, magnitudes and information content.
 *
 * @returns one case per size and input kind
 */
export function galleryCases(): SpecCase[] {
  const run = (rows: number, length: number, probabilities: boolean) =>
    runSnapshot({ rows, length, width: 4, steps: 5, nearest: false, probabilities });
  return [
    galleryCase('two filters, probabilities', run(2, 12, true), true),
    galleryCase('30 filters, magnitudes', run(30, 40, false), false),
    galleryCase('300 filters × 600 positions', run(300, 600, false), false)
  ];
}

/** A dataset view's case: a set's maxima, the cutoff, and a logo or window shape. */
function datasetCase(
  name: string,
  sequences: number,
  options: { logo: number | null; shape: number | null }
): SpecCase {
  const random = noise(sequences);
  const logoBoxes = options.logo
    ? logoLayout(
        informationHeights(
          Array.from({ length: options.logo }, () => {
            const raw = [0, 1, 2, 3].map(() => Math.abs(random()) + 0.01);
            const sum = raw.reduce((a, b) => a + b, 0);
            return raw.map(v => v / sum);
          })
        )
      )
    : [];
  const rows: DatasetRows = {
    [DATASET_DATA.histogram]: Array.from({ length: 40 }, (_, b) => ({
      x0: 1 + b * 0.05,
      x1: 1.05 + b * 0.05,
      count: Math.round(Math.abs(random()) * sequences)
    })),
    [DATASET_DATA.cutoff]: [{ cutoff: 2.5 }],
    [DATASET_DATA.shape]: options.shape
      ? Array.from({ length: options.shape }, (_, i) =>
          ['ch0', 'ch1'].map(channel => {
            const mean = random();
            return { i, channel, mean, lo: mean - 0.2, hi: mean + 0.2 };
          })
        ).flat()
      : [],
    [DATASET_DATA.logo]: logoRows(logoBoxes, [...'ACGT']),
    [DATASET_DATA.logoPicture]: options.logo ? [{ url: TINY_PNG }] : []
  };
  const specOptions = {
    width: 400,
    shape: options.shape !== null,
    logo: options.logo ? { positions: options.logo, bits: 2 } : null
  };
  return {
    name,
    source: 'datasetSpec',
    spec: datasetSpec(rows, specOptions),
    data: datasetNames(specOptions),
    signals: []
  };
}

/**
 * Dataset view specs: one-hot (a logo), numeric (the window shape), tokens (the histogram
 * only), and 10 000 sequences.
 *
 * @returns one case per input kind and size
 */
export function datasetCases(): SpecCase[] {
  return [
    datasetCase('dataset: DNA, a 9-position logo', 200, { logo: 9, shape: null }),
    datasetCase('dataset: numeric window shape', 50, { logo: null, shape: 5 }),
    datasetCase('dataset: tokens, histogram only', 30, { logo: null, shape: null }),
    datasetCase('dataset: 10 000 sequences, a 19-position logo', 10_000, { logo: 19, shape: null })
  ];
}

/**
 * Every spec case.
 *
 * @returns explorer, maximization, gallery and dataset cases
 */
export function allSpecCases(): SpecCase[] {
  return [...explorerCases(), ...maximizationCases(), ...galleryCases(), ...datasetCases()];
}
