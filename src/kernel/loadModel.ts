/**
 * `loadModel` in the kernel: a tfjs `model.json`, a Keras `.keras` or `.h5` file, read from
 * disk, with a message for every file that is not a model it can load.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import type * as tf from '@tensorflow/tfjs';
import { type JsonObject } from '../core/json';
import { ExplorerError } from '../core/errors';
import { readModelBytes } from '../core/kerasFiles';
import { buildLayersModel } from '../core/modelBuild';
import {
  describeUnreadable,
  isHdf5,
  isKerasFileName,
  isZip,
  modelJsonProblem,
  savedModelMessage
} from '../core/modelFormats';

interface ModelJson {
  modelTopology?: object;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
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
  const quoted = JSON.stringify(folder);
  if (names.includes('saved_model.pb')) {
    return savedModelMessage(quoted);
  }
  if (names.includes('config.json') && names.includes('model.weights.h5')) {
    return (
      `${quoted} is an unzipped .keras file; give loadModel the .keras file itself (or zip ` +
      'config.json, metadata.json and model.weights.h5 back into one).'
    );
  }
  // Weights-only files (model.weights.h5, x.weights.h5) are no model to suggest.
  const models = names.filter(
    n => n === 'model.json' || (isKerasFileName(n) && !n.endsWith('.weights.h5'))
  );
  return (
    `${quoted} is a folder; loadModel takes a model file` +
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
  if (isZip(view) || isHdf5(view)) {
    return buildLayersModel(await readModelBytes(view, name), name);
  }
  let json: ModelJson;
  try {
    json = JSON.parse(bytes.toString('utf8')) as ModelJson;
  } catch {
    throw new ExplorerError(describeUnreadable(name));
  }
  const problem = modelJsonProblem(json, name);
  if (problem !== null || !json.modelTopology || !json.weightsManifest) {
    throw new ExplorerError(problem ?? describeUnreadable(name));
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
