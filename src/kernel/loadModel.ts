import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import * as tf from '@tensorflow/tfjs';
import { ExplorerError } from '../core/errors';

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

/**
 * Loads a tfjs LayersModel saved on disk as `model.json` plus weight shards (what
 * `tensorflowjs_converter` and `model.save("file://...")` write), with plain tfjs: no
 * tfjs-node needed.
 *
 * @param modelPath - path or `file://` URL of `model.json`, relative to the working folder
 * @returns the model
 * @throws ExplorerError when a file is missing, is not a tfjs LayersModel, or its weights
 *   do not fit
 */
export async function loadModel(modelPath: string): Promise<tf.LayersModel> {
  const file = path.resolve(modelPath.startsWith('file://') ? fileURLToPath(modelPath) : modelPath);
  let json: ModelJson;
  try {
    json = JSON.parse(readFile(file, 'model file').toString('utf8')) as ModelJson;
  } catch (e) {
    if (e instanceof ExplorerError) {
      throw e;
    }
    throw new ExplorerError(`${JSON.stringify(file)} is not JSON: ${(e as Error).message}`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new ExplorerError(
      `${JSON.stringify(file)} is not a tfjs LayersModel: expected "modelTopology" and "weightsManifest".`
    );
  }
  const dir = path.dirname(file);
  const weightSpecs = json.weightsManifest.flatMap(group => group.weights);
  const shards = json.weightsManifest.flatMap(group =>
    group.paths.map(p => readFile(path.join(dir, p), 'weight file'))
  );
  const bytes = Buffer.concat(shards);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData })
    );
  } catch (e) {
    throw new ExplorerError(
      `Cannot build the model in ${JSON.stringify(file)}: ${(e as Error).message}`
    );
  }
}
