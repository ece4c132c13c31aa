/**
 * A model built by a second copy of tfjs (two in one folder) is named as such by every
 * entry point, instead of failing inside tfjs. In a file of its own: the second copy
 * registers its kernels in tfjs' global registry again.
 */
import * as tf from '@tensorflow/tfjs';
import { explore, featureMaps, flattenModel, kernels, maximizeActivation } from '../../src';

function secondTfjs(): typeof tf {
  let other: typeof tf | undefined;
  // It registers every kernel again, with a warning for each.
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      other = require('@tensorflow/tfjs') as typeof tf;
    });
  } finally {
    warn.mockRestore();
  }
  return other!;
}

test('every entry point names a model built by another copy of tfjs', async () => {
  const other = secondTfjs();
  const foreign = other.sequential({
    layers: [other.layers.conv1d({ filters: 1, kernelSize: 1, inputShape: [4, 4], name: 'c' })]
  });
  expect(foreign instanceof tf.LayersModel).toBe(false);
  const message =
    /built with another copy of @tensorflow\/tfjs than the one conv1d-explorer uses \(4\.22\.\d+\)\. The notebook folder needs exactly one: `npm ls @tensorflow\/tfjs` lists them/;
  await expect(explore(foreign, 'ACGT', { display: () => undefined })).rejects.toThrow(message);
  await expect(flattenModel(foreign)).rejects.toThrow(message);
  expect(() => featureMaps(foreign, 'ACGT')).toThrow(message);
  expect(() => kernels(foreign)).toThrow(message);
  expect(() => maximizeActivation(foreign, { iterations: 1 })).toThrow(message);
  foreign.dispose();
});

test('something that is not a model at all is named as such', () => {
  expect(() => kernels({} as tf.LayersModel)).toThrow(
    'conv1d-explorer needs a tfjs LayersModel (tf.sequential(), tf.model() or loadModel()).'
  );
});
