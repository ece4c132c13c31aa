/**
 * Trains the example models from generated data and writes them to examples/models/.
 * Deterministic: seeded data, seeded initializers, batches in a fixed order; the DNA model
 * on the wasm backend, the text model on cpu.
 *
 *   npm run train            # both models
 *   npm run train -- dna     # one of them
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  DNA_LENGTH,
  DNA_MOTIFS,
  DnaExample,
  dnaExamples,
  TEXT_LENGTH,
  textExamples,
  VOCAB
} from './data';
import { dnaLogits, fitDnaWeights } from './dnaFit';

const MODELS = path.join(__dirname, '..', 'models');

/**
 * Builds the DNA motif model: two Conv1D layers over one-hot DNA, the second dilated, behind
 * max pooling. `trainDna` fits it through `fitDnaWeights`, which can differentiate the
 * dilated layer.
 */
export function dnaModel(seed = 1): tf.LayersModel {
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
        kernelSize: 5,
        dilationRate: 2,
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
  epochs: number
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
      onEpochEnd: async (epoch, logs) =>
        console.log(
          `  epoch ${epoch + 1}/${epochs}: loss ${logs?.loss.toFixed(4)}, val accuracy ${logs?.val_acc?.toFixed(3)}`
        )
    }
  });
  const acc = history.history.val_acc as number[];
  return acc[acc.length - 1];
}

/** How the DNA model is trained; `trainDna` takes other values only for experiments. */
export interface DnaTraining {
  /** Generated training examples, half of them positive. */
  count: number;
  /** Generated validation examples, from another seed. */
  validation: number;
  epochs: number;
  learningRate: number;
  /** Seed of the initial weights. */
  seed: number;
  /** Where the model goes. */
  dir: string;
}

/** The settings behind examples/models/dna. */
export const DNA_TRAINING: DnaTraining = {
  count: 5000,
  validation: 1000,
  epochs: 20,
  learningRate: 0.01,
  seed: 3,
  dir: path.join(MODELS, 'dna')
};

/** One-hot DNA examples and their labels, as tensors. */
function dnaTensors(examples: DnaExample[]): { x: tf.Tensor3D; y: tf.Tensor2D } {
  const ids = examples.map(e => [...e.sequence].map(c => 'ACGT'.indexOf(c)));
  return {
    x: tf.tidy(() => tf.oneHot(tf.tensor2d(ids, undefined, 'int32'), 4).toFloat() as tf.Tensor3D),
    y: tf.tensor2d(examples.map(e => [e.label]))
  };
}

/** The share of `model`'s predictions on `x` on the right side of 0.5. */
function accuracyOf(model: tf.LayersModel, x: tf.Tensor3D, y: tf.Tensor2D): number {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).round().equal(y).mean().dataSync()[0]);
}

/**
 * Trains the DNA model (see `fitDnaWeights`), checks that the layers model computes what was
 * fitted, and writes it with its info.json to `settings.dir`.
 *
 * @returns the validation accuracy
 */
export async function trainDna(settings: DnaTraining = DNA_TRAINING): Promise<number> {
  console.log('DNA motif model');
  const train = dnaTensors(dnaExamples(settings.count, 7));
  const validation = dnaTensors(dnaExamples(settings.validation, 8));
  const model = dnaModel(settings.seed);
  const geometry = { pairDilation: 2, pool: 2 };
  const fitted = await fitDnaWeights(
    model.getWeights(),
    train.x,
    train.y,
    geometry,
    {
      epochs: settings.epochs,
      learningRate: settings.learningRate,
      batchSize: 64
    },
    (epoch, loss) => console.log(`  epoch ${epoch + 1}/${settings.epochs}: loss ${loss.toFixed(4)}`)
  );
  model.setWeights(fitted);
  const apart = tf.tidy(
    () =>
      tf
        .sub(
          model.predict(validation.x) as tf.Tensor,
          tf.sigmoid(dnaLogits(fitted, validation.x, geometry))
        )
        .abs()
        .max()
        .dataSync()[0]
  );
  if (!(apart < 1e-5)) {
    throw new Error(`the saved model differs from the fitted one by ${apart}`);
  }
  const accuracy = accuracyOf(model, validation.x, validation.y);
  console.log(`  validation accuracy ${accuracy.toFixed(3)} (${settings.validation} sequences)`);
  const dir = settings.dir;
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
  tf.dispose([train.x, train.y, validation.x, validation.y, ...fitted]);
  model.dispose();
  return accuracy;
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
  const which = process.argv.slice(2);
  const started = Date.now();
  if (which.length === 0 || which.includes('dna')) {
    // fitDnaWeights needs no convolution gradients, so it runs on wasm: 10× the cpu backend.
    await tf.setBackend('wasm');
    await trainDna();
  }
  if (which.length === 0 || which.includes('text')) {
    // LayersModel.fit needs Conv2DBackpropFilter, which only the cpu backend has.
    await tf.setBackend('cpu');
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
