import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import type * as tf from '@tensorflow/tfjs';
import type { JsonObject } from '../core/kerasConfig';
import { ExplorerError } from '../core/errors';
import {
  buildLayersModel,
  describeUnreadable,
  isBinaryModelFile,
  readModelBytes,
  savedModelMessage
} from '../core/modelFiles';

interface ModelJson {
  format?: string;
  modelTopology?: object;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  class_name?: unknown;
}

function readFile(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ExplorerError(
      `Cannot read ${what} ${JSON.stringify(file)}${code ? ` (${code})` : ''}. ` +
        `Paths are relative to the notebook's folder, ${JSON.stringify(process.cwd())}.`
    );
  }
}

/** A folder given as the model: a SavedModel, or a folder holding one model file. */
function describeFolder(folder: string): string {
  const names = fs.readdirSync(folder);
  if (names.includes('saved_model.pb')) {
    return savedModelMessage(JSON.stringify(folder));
  }
  const models = names.filter(n => n === 'model.json' || /\.(keras|h5|hdf5)$/.test(n));
  return (
    `${JSON.stringify(folder)} is a folder; loadModel takes a model file` +
    (models.length > 0
      ? `, e.g. ${JSON.stringify(path.join(folder, models[0]))}.`
      : ': a .keras file, a Keras .h5 file or a tfjs model.json.')
  );
}

/**
 * Loads a model saved the ways researchers save them, with plain tfjs (no tfjs-node, no
 * Python): a Keras 3 `.keras` file, a Keras 2 or 3 `.h5` file (`model.save("x.h5")`), or a
 * tfjs `model.json` plus weight shards (what `tensorflowjs_converter` and
 * `model.save("file://...")` write, from Keras 2 or Keras 3).
 *
 * @param modelPath - path or `file://` URL of the file, relative to the working folder
 * @returns the model
 * @throws ExplorerError when a file is missing, is not one of these (a SavedModel is named
 *   as such), is damaged, uses a layer tfjs cannot build, or its weights do not fit
 */
export async function loadModel(modelPath: string): Promise<tf.LayersModel> {
  const file = path.resolve(modelPath.startsWith('file://') ? fileURLToPath(modelPath) : modelPath);
  const name = JSON.stringify(file);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw new ExplorerError(describeFolder(file));
  }
  const bytes = readFile(file, 'model file');
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isBinaryModelFile(view)) {
    return buildLayersModel(await readModelBytes(view, name), name);
  }
  let json: ModelJson;
  try {
    json = JSON.parse(bytes.toString('utf8')) as ModelJson;
  } catch {
    throw new ExplorerError(describeUnreadable(name));
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new ExplorerError(
      json.format === 'graph-model'
        ? `${name} is a TensorFlow.js graph model, which has no layers to explore; convert ` +
            'the Keras model with tensorflowjs_converter --input_format=keras, or give the .keras file.'
        : typeof json.class_name === 'string'
          ? `${name} is a Keras model config without weights (what model.to_json() writes); ` +
            'give the .keras or .h5 file the model was saved to.'
          : `${name} is not a tfjs LayersModel: expected "modelTopology" and "weightsManifest".`
    );
  }
  const dir = path.dirname(file);
  const weightSpecs = json.weightsManifest.flatMap(group => group.weights);
  const shards = json.weightsManifest.flatMap(group =>
    group.paths.map(p => readFile(path.join(dir, p), 'weight file'))
  );
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return buildLayersModel(
    { modelTopology: json.modelTopology as JsonObject, weightSpecs, weightData },
    name
  );
}
