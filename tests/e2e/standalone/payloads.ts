/**
 * Explorer outputs for the standalone page, made by the kernel-side API exactly as a tslab
 * cell makes them (the display sink collects the MIME bundles instead of tslab).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { explore, loadModel } from '../../../src/kernel';
import { MAX_SEQUENCE_POSITIONS, MIME_TYPE } from '../../../src/protocol';

const MODELS = path.resolve(__dirname, '..', '..', '..', 'examples', 'models');

/** Strings that would run script if any of them reached HTML or a Vega expression. */
export const HOSTILE = {
  title: '<img src=x onerror="window.__pwned=1">Title</script><script>window.__pwned=2</script>',
  word: '<img src=x onerror="window.__pwned=3">',
  link: 'javascript:window.__pwned=4',
  expression: 'datum.x + (window.__pwned=5)',
  template: '{{constructor.constructor("window.__pwned=6")()}}'
};

/** One explorer output, as the notebook stores it. */
export interface StoredOutput {
  data: { [mime: string]: unknown };
  metadata: { [key: string]: unknown };
}

/**
 * The text example with a vocabulary of hostile words and a hostile title.
 *
 * @returns its output
 */
export async function hostileTextOutput(): Promise<StoredOutput> {
  const model = await loadModel(path.join(MODELS, 'text', 'model.json'));
  const vocab = JSON.parse(fs.readFileSync(path.join(MODELS, 'text', 'vocab.json'), 'utf8'));
  const labels: string[] = [...(vocab as string[])];
  const hostile = Object.values(HOSTILE);
  hostile.forEach((w, i) => (labels[i + 2] = w));
  const ids = Array.from({ length: 24 }, (_, i) => 2 + (i % hostile.length));
  let data: StoredOutput['data'] = {};
  await explore(model, ids, { labels, title: HOSTILE.title, display: d => (data = d) });
  model.dispose();
  return { data, metadata: {} };
}

/**
 * The DNA example with an alphabet of HTML's special characters.
 *
 * @returns its output
 */
export async function hostileAlphabetOutput(): Promise<StoredOutput> {
  const model = await loadModel(path.join(MODELS, 'dna', 'model.json'));
  const alphabet = '<>"&';
  const sequence = Array.from({ length: 100 }, (_, i) => alphabet[(i * 7) % 4]).join('');
  let data: StoredOutput['data'] = {};
  await explore(model, sequence, { alphabet, title: HOSTILE.expression, display: d => (data = d) });
  model.dispose();
  return { data, metadata: {} };
}

/**
 * A payload edited by hand: a layer named with HTML, which tfjs refuses to rebuild; the
 * explorer must show the refusal, the name as text.
 *
 * @param output - a good output
 * @returns the edited output
 */
export function renamedLayerOutput(output: StoredOutput): StoredOutput {
  const text = output.data[MIME_TYPE] as string;
  const payload = JSON.parse(text);
  const name = payload.view.layer as string;
  const edited = JSON.stringify(payload)
    .split(JSON.stringify(name))
    .join(JSON.stringify(HOSTILE.word));
  return { data: { ...output.data, [MIME_TYPE]: edited }, metadata: {} };
}

/**
 * The longest sequence the explorer takes, on a motif-scan model that accepts any length.
 *
 * @returns its output
 */
export async function longestSequenceOutput(): Promise<StoredOutput> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv1d({
        inputShape: [null, 4],
        filters: 16,
        kernelSize: 9,
        activation: 'relu',
        name: 'scan'
      }),
      tf.layers.maxPooling1d({ poolSize: 4 }),
      tf.layers.conv1d({ filters: 8, kernelSize: 5, activation: 'relu', name: 'pairs' })
    ]
  });
  const sequence = Array.from(
    { length: MAX_SEQUENCE_POSITIONS },
    (_, i) => 'ACGT'[(i * 7 + (i >> 3)) % 4]
  ).join('');
  let data: StoredOutput['data'] = {};
  await explore(model, sequence, { display: d => (data = d) });
  model.dispose();
  return { data, metadata: {} };
}
