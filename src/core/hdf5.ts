/**
 * The HDF5 files Keras writes, read with jsfive (pure JavaScript: the same in Node and the
 * browser). A thin layer that names the file and the path in every error, since jsfive
 * throws bare strings such as "vars not found in group".
 */
import * as jsfive from 'jsfive';
import { errorMessage, ExplorerError } from './errors';

/** A group of an open HDF5 file. */
export interface Hdf5Group {
  /** The group's path in the file, `/` for the root. */
  readonly path: string;
  /** The names of its members. */
  keys(): string[];
  /** One of its attributes, or undefined. */
  attr(name: string): unknown;
  /** Whether a member path exists below it. */
  has(path: string): boolean;
  /** A group below it. */
  group(path: string): Hdf5Group;
  /** A numeric dataset below it, as float32 (Keras' weights are float32). */
  dataset(path: string): { shape: number[]; values: Float32Array };
}

/**
 * Opens an HDF5 file held in memory.
 *
 * @param bytes - the file's bytes
 * @param file - the file's name, for messages
 * @returns its root group
 * @throws ExplorerError when the bytes are not an HDF5 file jsfive can read
 */
export function openHdf5(bytes: Uint8Array, file: string): Hdf5Group {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  let root: jsfive.Group;
  try {
    root = new jsfive.File(buffer as ArrayBuffer, file);
  } catch (e) {
    throw new ExplorerError(
      `${file} is not an HDF5 file that can be read (${errorMessage(e)}); it may be truncated.`
    );
  }
  return wrap(root, file);
}

function wrap(group: jsfive.Group, file: string): Hdf5Group {
  const get = (path: string): jsfive.Group | jsfive.Dataset => {
    try {
      return group.get(path);
    } catch (e) {
      const message = errorMessage(e);
      throw new ExplorerError(
        / not found in group$/.test(message)
          ? `${file} has no ${join(group.name, path)}.`
          : `${file}: ${join(group.name, path)} cannot be read (${message}); the file is ` +
              'damaged or truncated.'
      );
    }
  };
  // jsfive reads a group's members and attributes when first asked, so a damaged file
  // fails there, with a bare string.
  const read = <T>(what: string, run: () => T): T => {
    try {
      return run();
    } catch (e) {
      throw new ExplorerError(
        `${file}: ${what} of ${group.name} cannot be read (${errorMessage(e)}); the file is ` +
          'damaged or truncated.'
      );
    }
  };
  const keys = () => read('the members', () => group.keys);
  return {
    path: group.name,
    keys,
    attr: name => read(`the attribute ${JSON.stringify(name)}`, () => group.attrs[name]),
    has: path => {
      const [first, ...rest] = path.split('/');
      if (!keys().includes(first)) {
        return false;
      }
      const member = get(first);
      return (
        rest.length === 0 ||
        (member instanceof jsfive.Group && wrap(member, file).has(rest.join('/')))
      );
    },
    group: path => {
      const member = get(path);
      if (!(member instanceof jsfive.Group)) {
        throw new ExplorerError(`${file}: ${join(group.name, path)} is not a group.`);
      }
      return wrap(member, file);
    },
    dataset: path => {
      const member = get(path);
      if (!(member instanceof jsfive.Dataset)) {
        throw new ExplorerError(`${file}: ${join(group.name, path)} is not a dataset.`);
      }
      let values: ArrayLike<number>;
      try {
        values = member.value;
      } catch (e) {
        throw new ExplorerError(
          `${file}: the dataset ${join(group.name, path)} cannot be read (${errorMessage(e)}).`
        );
      }
      const shape = [...member.shape];
      const size = shape.reduce((a, b) => a * b, 1);
      if (values.length !== size || (size > 0 && typeof values[0] !== 'number')) {
        throw new ExplorerError(
          `${file}: the dataset ${join(group.name, path)} is not ${size} numbers ` +
            `(shape [${shape.join(', ')}]); it may be truncated.`
        );
      }
      return { shape, values: Float32Array.from(values) };
    }
  };
}

function join(base: string, path: string): string {
  return `${base.replace(/\/$/, '')}/${path}`;
}
