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

/** The `@tensorflow/tfjs` versions supported, as in package.json's `peerDependencies`. */
export const SUPPORTED_TFJS = '>=4.22.0 <5';

const MINIMUM = [4, 22, 0];

/**
 * Checks a `@tensorflow/tfjs` version against `SUPPORTED_TFJS`.
 *
 * @param version - the version found, e.g. `4.22.0`
 * @param where - the folder it was found in, for the message
 * @throws ExplorerError naming both versions when it is outside the supported range
 */
export function checkTfjsVersion(version: string, where: string): void {
  const [major, minor, patch] = (/^(\d+)\.(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  const supported =
    major === MINIMUM[0] && (minor > MINIMUM[1] || (minor === MINIMUM[1] && patch >= MINIMUM[2]));
  if (!supported) {
    throw new ExplorerError(
      `conv1d-explorer ${PACKAGE_VERSION} needs @tensorflow/tfjs ${SUPPORTED_TFJS}, but the ` +
        `notebook folder has @tensorflow/tfjs ${version} (${where}). Install a supported ` +
        'version there (npm install @tensorflow/tfjs@4), then restart the kernel.'
    );
  }
}

/**
 * Finds the `@tensorflow/tfjs` this package loads, as its `require` resolves it, and checks
 * its version.
 *
 * @throws ExplorerError naming the package when it is missing, and both versions when it
 *   is unsupported
 */
export function checkTfjsPeer(): void {
  let manifest: string;
  try {
    manifest = require.resolve('@tensorflow/tfjs/package.json');
  } catch {
    throw new ExplorerError(
      `conv1d-explorer ${PACKAGE_VERSION} needs @tensorflow/tfjs ${SUPPORTED_TFJS}, which is ` +
        `not installed where the package, in ${JSON.stringify(path.resolve(__dirname, '..', '..'))}, ` +
        'can find it. In the notebook folder: ' +
        'npm install @tensorflow/tfjs@4, then restart the kernel.'
    );
  }
  const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: unknown };
  checkTfjsVersion(String(version), path.dirname(manifest));
}

checkTfjsPeer();
