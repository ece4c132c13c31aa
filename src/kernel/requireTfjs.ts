/**
 * The user's `@tensorflow/tfjs`. It is a peer dependency: the package uses the copy the
 * notebook folder has, so the user's models and ours share one engine and one tensor
 * registry. Importing this module checks that copy, before anything loads tfjs, so a missing
 * or unsupported one is named instead of surfacing later as an obscure tfjs error. It
 * imports no tfjs and stays the package entry's first import.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ExplorerError } from '../core/errors';
import { PACKAGE_VERSION } from '../protocol';

/** The oldest `@tensorflow/tfjs` supported, and the first major version that is not. */
const MINIMUM = [4, 22, 0] as const;
const UNSUPPORTED_MAJOR = 5;

/** The `@tensorflow/tfjs` versions supported, as in package.json's `peerDependencies`. */
export const SUPPORTED_TFJS = `>=${MINIMUM.join('.')} <${UNSUPPORTED_MAJOR}`;

/**
 * Checks a `@tensorflow/tfjs` version against `SUPPORTED_TFJS`, by its numbers; a
 * pre-release of 4.22.0 counts as older than 4.22.0, as npm has it.
 *
 * @param version - the version found, e.g. `4.22.0`
 * @param where - the folder it was found in, for the message
 * @throws ExplorerError naming both versions when it is outside the supported range
 */
export function checkTfjsVersion(version: string, where: string): void {
  const match = /^(\d+)\.(\d+)\.(\d+)(-.+)?$/.exec(version);
  let supported = false;
  if (match) {
    const numbers = match.slice(1, 4).map(Number);
    const first = numbers.findIndex((n, i) => n !== MINIMUM[i]); // the first that differs
    const atLeastMinimum = first === -1 ? match[4] === undefined : numbers[first] > MINIMUM[first];
    supported = atLeastMinimum && numbers[0] < UNSUPPORTED_MAJOR;
  }
  if (!supported) {
    throw new ExplorerError(
      `conv1d-explorer ${PACKAGE_VERSION} needs @tensorflow/tfjs ${SUPPORTED_TFJS}, but the ` +
        `notebook folder has @tensorflow/tfjs ${version} (${where}). Install a supported ` +
        `version there (npm install @tensorflow/tfjs@${MINIMUM[0]}), then restart the kernel.`
    );
  }
}

/**
 * The `package.json` of the `@tensorflow/tfjs` this package's `require` finds, or
 * undefined when there is none. Found above its main module, which resolves whatever the
 * package's `exports` allow.
 */
function tfjsManifest(): string | undefined {
  let main: string;
  try {
    main = require.resolve('@tensorflow/tfjs');
  } catch {
    return undefined;
  }
  for (let dir = path.dirname(main); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      return manifest;
    }
  }
  return undefined;
}

/**
 * Finds the `@tensorflow/tfjs` this package loads, as its `require` resolves it, and checks
 * its version.
 *
 * @throws ExplorerError naming the package when it is missing, and both versions when it
 *   is unsupported
 */
export function checkTfjsPeer(): void {
  const manifest = tfjsManifest();
  if (manifest === undefined) {
    throw new ExplorerError(
      `conv1d-explorer ${PACKAGE_VERSION} needs @tensorflow/tfjs ${SUPPORTED_TFJS}, which is ` +
        `not installed where the package, in ${JSON.stringify(path.resolve(__dirname, '..', '..'))}, ` +
        `can find it. In the notebook folder: npm install @tensorflow/tfjs@${MINIMUM[0]}, then restart the kernel.`
    );
  }
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: unknown };
  checkTfjsVersion(String(version), path.dirname(manifest));
}

checkTfjsPeer();
