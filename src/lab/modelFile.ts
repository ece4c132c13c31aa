/**
 * A tfjs `model.json` in the file browser, read into the payload form the explorer computes
 * from (Keras' binary files are read by `compute.readModelFile`, which needs tfjs). Pure data handling, no DOM and no tfjs: the file and its weight shards are read
 * through functions the caller passes (the Jupyter contents API in JupyterLab).
 */
// Pure modules of core: no tfjs comes with them.
import { errorMessage, ExplorerError } from '../core/errors';
import { describeUnreadable, modelJsonProblem } from '../core/modelFormats';
import {
  fromBase64,
  isObject,
  isWeightSpec,
  toBase64,
  weightByteLength,
  type JSONValue,
  type ModelPayload,
  type WeightSpec
} from '../protocol';

/** What `model.json` says: the topology, the weights and the files that hold them. */
export interface ModelFile {
  topology: { [key: string]: JSONValue };
  weightSpecs: WeightSpec[];
  /** The weight shards' paths, relative to the server root. */
  shards: string[];
}

/**
 * Joins a path relative to a folder, as the contents API names files: `/`-separated,
 * without `.` or `..` parts.
 *
 * @param folder - the folder, relative to the server root ('' for the root)
 * @param relative - a path relative to it
 * @returns the joined path
 * @throws ExplorerError when the path leaves the server root
 */
export function joinPath(folder: string, relative: string): string {
  const parts: string[] = [];
  for (const part of `${folder}/${relative}`.split('/')) {
    if (part === '..') {
      if (parts.length === 0) {
        throw new ExplorerError(
          `The weight file ${JSON.stringify(relative)} lies outside the server's folder.`
        );
      }
      parts.pop();
    } else if (part !== '' && part !== '.') {
      parts.push(part);
    }
  }
  return parts.join('/');
}

/**
 * Reads `model.json` text.
 *
 * @param text - the file's content
 * @param path - the file's path on the server (weight paths are relative to its folder)
 * @returns the topology, weight specs and shard paths
 * @throws ExplorerError when the text is not a tfjs LayersModel's `model.json`
 */
export function parseModelFile(text: string, path: string): ModelFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ExplorerError(describeUnreadable(path));
  }
  const problem = modelJsonProblem(json, path);
  if (problem !== null || !isObject(json)) {
    throw new ExplorerError(problem ?? `${path} is not a TensorFlow.js LayersModel.`);
  }
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const weightSpecs: WeightSpec[] = [];
  const shards: string[] = [];
  for (const group of json.weightsManifest as unknown[]) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new ExplorerError(
        `${path} has a weightsManifest entry without "paths" and "weights" arrays.`
      );
    }
    for (const p of group.paths) {
      if (typeof p !== 'string') {
        throw new ExplorerError(`${path} lists a weight file path that is not a string.`);
      }
      shards.push(joinPath(folder, p));
    }
    for (const w of group.weights as unknown[]) {
      if (!isWeightSpec(w)) {
        throw new ExplorerError(
          `${path} has a weight entry the explorer cannot read (${JSON.stringify(w).slice(0, 120)}); ` +
            'expected a name, a shape and dtype float32 or int32 (float16 quantization is read too).'
        );
      }
      weightSpecs.push({
        name: w.name,
        shape: w.shape,
        dtype: w.dtype,
        ...(w.quantization ? { quantization: { dtype: 'float16' as const } } : {})
      });
    }
  }
  return { topology: json.modelTopology as ModelFile['topology'], weightSpecs, shards };
}

/**
 * Reads a model's weights and puts them in payload form.
 *
 * @param file - the parsed `model.json`
 * @param readBase64 - reads one file on the server as base64 (line breaks allowed)
 * @returns the model payload
 * @throws ExplorerError naming a weight file that cannot be read, or saying the weights do
 *   not have the size the manifest describes
 */
export async function loadModelFile(
  file: ModelFile,
  readBase64: (path: string) => Promise<string>
): Promise<ModelPayload> {
  const parts: Uint8Array[] = [];
  for (const shard of file.shards) {
    let text: string;
    try {
      text = await readBase64(shard);
    } catch (e) {
      throw new ExplorerError(`Cannot read the weight file ${shard}: ${errorMessage(e)}`);
    }
    try {
      parts.push(fromBase64(text.replace(/\s+/g, '')));
    } catch {
      throw new ExplorerError(`The weight file ${shard} did not arrive as base64.`);
    }
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const expected = weightByteLength(file.weightSpecs);
  if (total !== expected) {
    throw new ExplorerError(
      `The weight files hold ${total} bytes but model.json describes ${expected}; ` +
        'they do not belong together, or a file is truncated.'
    );
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.length;
  }
  return { topology: file.topology, weightSpecs: file.weightSpecs, weights: toBase64(bytes) };
}
