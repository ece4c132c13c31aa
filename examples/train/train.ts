/**
 * Trains the example models from generated data and writes them to examples/models/.
 * Deterministic: seeded data, seeded initializers, no shuffling, cpu backend.
 *
 *   npm run train            # both models
 *   npm run train -- dna     # one of them
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { DNA_LENGTH, DNA_MOTIFS, dnaExamples, TEXT_LENGTH, textExamples, VOCAB } from './data';

const MODELS = path.join(__dirname, '..', 'models');

/**
 * Builds the DNA motif model: two Conv1D layers over one-hot DNA. With `dilation` 2 the
 * second layer is dilated; tfjs cannot differentiate through dilated convolutions, so
 * training uses `dilation` 1 with a kernel of 2k-1 taps whose odd taps are held at zero
 * (see `trainDna`), which computes the same function.
 */
export function dnaModel(dilation: 1 | 2, seed = 1): tf.LayersModel {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  return tf.sequential({
    name: 'dna_motifs',
    layers: [
      tf.layers.conv1d({
        name: 'motif_scan',
        inputShape: [DNA_LENGTH, 4],
        filters: 8,
        kernelSize: 9,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1)
      }),
      tf.layers.maxPooling1d({ name: 'pool', poolSize: 2 }),
      tf.layers.conv1d({
        name: 'motif_pairs',
        filters: 8,
        kernelSize: dilation === 2 ? 5 : 9,
        dilationRate: dilation,
        activation: 'relu',
        kernelInitializer: init(2)
      }),
      tf.layers.globalMaxPooling1d({ name: 'strongest' }),
      tf.layers.dense({
        name: 'bound',
        units: 1,
        activation: 'sigmoid',
        kernelInitializer: init(3)
      })
    ]
  });
}

/** Builds the text model: Embedding(100, 64) → Conv1D(32, 3) → GlobalMaxPooling1D → Dense. */
export function textModel(seed = 1): tf.LayersModel {
  return tf.sequential({
    name: 'review_sentiment',
    layers: [
      tf.layers.embedding({
        name: 'embedding',
        inputDim: VOCAB.length,
        outputDim: 64,
        inputLength: TEXT_LENGTH,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed })
      }),
      tf.layers.conv1d({
        name: 'ngrams',
        filters: 32,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 })
      }),
      tf.layers.globalMaxPooling1d({ name: 'strongest' }),
      tf.layers.dense({
        name: 'positive',
        units: 1,
        activation: 'sigmoid',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 })
      })
    ]
  });
}

/** Writes a model as `model.json` + `weights.bin`, the tfjs file format. */
async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async artifacts => {
      const data = artifacts.weightData as ArrayBuffer;
      fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(data));
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }]
      };
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    })
  );
}

async function fit(
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  epochs: number,
  onBatchEnd?: () => void
): Promise<number> {
  model.compile({
    optimizer: tf.train.adam(0.01),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy']
  });
  const history = await model.fit(x, y, {
    epochs,
    batchSize: 64,
    shuffle: false,
    validationSplit: 0.2,
    verbose: 0,
    callbacks: {
      onBatchEnd: async () => onBatchEnd?.(),
      onEpochEnd: async (epoch, logs) =>
        console.log(
          `  epoch ${epoch + 1}/${epochs}: loss ${logs?.loss.toFixed(4)}, val accuracy ${logs?.val_acc?.toFixed(3)}`
        )
    }
  });
  const acc = history.history.val_acc as number[];
  return acc[acc.length - 1];
}

async function trainDna(): Promise<void> {
  console.log('DNA motif model');
  const examples = dnaExamples(1500, 7);
  const x = tf.tidy(() =>
    tf
      .oneHot(
        tf.tensor2d(
          examples.map(e => [...e.sequence].map(c => 'ACGT'.indexOf(c))),
          undefined,
          'int32'
        ),
        4
      )
      .toFloat()
  );
  const y = tf.tensor2d(examples.map(e => [e.label]));
  const training = dnaModel(1);
  const pairs = training.getLayer('motif_pairs');
  const oddTaps = tf
    .tensor1d(Array.from({ length: 9 }, (_, k) => (k % 2 === 0 ? 1 : 0)))
    .reshape([9, 1, 1]);
  const holdOddTapsAtZero = () => {
    const [kernel, bias] = pairs.getWeights();
    const masked = tf.mul(kernel, oddTaps);
    pairs.setWeights([masked, bias]);
    masked.dispose();
  };
  holdOddTapsAtZero();
  const accuracy = await fit(training, x, y, 14, holdOddTapsAtZero);
  // The trained even taps become the dilated layer's kernel: the same function.
  const model = dnaModel(2);
  const pairsKernel = pairs.weights[0].name;
  model.setWeights(
    training.weights.map(w =>
      w.name === pairsKernel ? tf.gather(w.read(), [0, 2, 4, 6, 8]) : w.read()
    )
  );
  const dir = path.join(MODELS, 'dna');
  await saveModel(model, dir);
  const [sample] = dnaExamples(1, 2024).map(e => e.sequence);
  const example =
    sample.slice(0, 20) +
    DNA_MOTIFS.ebox +
    sample.slice(26, 60) +
    DNA_MOTIFS.tata +
    sample.slice(66);
  fs.writeFileSync(
    path.join(dir, 'info.json'),
    JSON.stringify(
      { alphabet: 'ACGT', motifs: DNA_MOTIFS, validationAccuracy: accuracy, example },
      null,
      2
    ) + '\n'
  );
  tf.dispose([x, y, oddTaps]);
  model.dispose();
  training.dispose();
}

async function trainText(): Promise<void> {
  console.log('Text sentiment model');
  const examples = textExamples(1500, 11);
  const x = tf.tensor2d(
    examples.map(e => e.ids),
    undefined,
    'int32'
  );
  const y = tf.tensor2d(examples.map(e => [e.label]));
  const model = textModel();
  const accuracy = await fit(model, x, y, 3);
  const dir = path.join(MODELS, 'text');
  await saveModel(model, dir);
  fs.writeFileSync(path.join(dir, 'vocab.json'), JSON.stringify(VOCAB) + '\n');
  fs.writeFileSync(
    path.join(dir, 'info.json'),
    JSON.stringify(
      {
        validationAccuracy: accuracy,
        example:
          'the movie was not bad and the music was really great at night with a friend and popcorn in the city theatre this summer'
      },
      null,
      2
    ) + '\n'
  );
  tf.dispose([x, y]);
  model.dispose();
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const which = process.argv.slice(2);
  const started = Date.now();
  if (which.length === 0 || which.includes('dna')) {
    await trainDna();
  }
  if (which.length === 0 || which.includes('text')) {
    await trainText();
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s; models in ${MODELS}`);
}

if (require.main === module) {
  main().catch(e => {
    console.error(e);
    process.exit(1);
  });
}
