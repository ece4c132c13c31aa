/**
 * What a model file is, by its name and first bytes, and what to say of one that is not a
 * model the explorer reads. Pure: no tfjs, so the browser's file handling can use it before
 * tfjs loads.
 */
import { isJsonObject } from './json';

/** The formats read, as messages name them. */
export const MODEL_FORMATS =
  'a Keras 3 .keras file, a Keras .h5 file saved with model.save(), or the model.json of ' +
  'a TensorFlow.js LayersModel';

/** The eight bytes every HDF5 file starts with. */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Tells whether bytes are a zip archive (a `.keras` file is one).
 *
 * @param bytes - the file's first bytes at least
 * @returns true when they start with a zip entry's signature
 */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Tells whether bytes are an HDF5 file (Keras `.h5`, or the weights inside a `.keras` file).
 *
 * @param bytes - the file's first bytes at least
 * @returns true when they start with the HDF5 signature
 */
export function isHdf5(bytes: Uint8Array): boolean {
  return HDF5_SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * Tells whether a path names one of Keras' binary model files (`.keras`, `.h5`, `.hdf5`),
 * read as bytes rather than as `model.json` text.
 *
 * @param path - a file's path
 * @returns true for those extensions, in any case
 */
export function isKerasFileName(path: string): boolean {
  return /\.(keras|h5|hdf5)$/i.test(path);
}

/**
 * The message for a TensorFlow SavedModel, which has no layers tfjs-layers can build.
 *
 * @param file - the SavedModel folder or its `saved_model.pb`
 * @returns what it is and the two ways round
 */
export function savedModelMessage(file: string): string {
  return (
    `${file} is a TensorFlow SavedModel, which TensorFlow.js cannot read as layers. In ` +
    'Python, load the model and save it as .keras (model.save("model.keras")), or convert ' +
    'it: tensorflowjs_converter --input_format=keras_saved_model <folder> <output folder> ' +
    '(see "Bring your model" in the README).'
  );
}

/**
 * What to say of a file that is none of the formats read.
 *
 * @param file - its name or path (quoted or not)
 * @returns a message naming what the file seems to be and what is expected
 */
export function describeUnreadable(file: string): string {
  // The name may come quoted, as messages show paths.
  if (/saved_model\.pb(txt)?"?$/.test(file)) {
    return savedModelMessage(file);
  }
  return `${file} is not a model file conv1d-explorer reads: expected ${MODEL_FORMATS}.`;
}

/**
 * What is wrong with a parsed JSON file given as a tfjs `model.json`, or null when it has
 * the parts of one (`modelTopology` and `weightsManifest`).
 *
 * @param json - the parsed file
 * @param file - its name or path, for the message
 * @returns the message, or null
 */
export function modelJsonProblem(json: unknown, file: string): string | null {
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (isJsonObject(o.modelTopology) && Array.isArray(o.weightsManifest)) {
    return null;
  }
  if (o.format === 'graph-model') {
    return (
      `${file} is a TensorFlow.js graph model, which has no layers to explore; convert the ` +
      'Keras model with tensorflowjs_converter --input_format=keras, or open its .keras file.'
    );
  }
  if (typeof o.class_name === 'string' && isJsonObject(o.config)) {
    return (
      `${file} is a Keras model config without weights (what model.to_json() writes); ` +
      'give the .keras or .h5 file the model was saved to.'
    );
  }
  return (
    `${file} is not a TensorFlow.js LayersModel: expected the model.json of one (what ` +
    'model.save() and tensorflowjs_converter write), with "modelTopology" and ' +
    '"weightsManifest" (or a Keras .keras or .h5 file).'
  );
}
