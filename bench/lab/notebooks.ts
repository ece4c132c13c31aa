/** Notebooks the in-JupyterLab benchmark writes for itself. */
import * as fs from 'fs';
import * as path from 'path';

/** The cell (index) that calls `explore` in each notebook the benchmark opens. */
export const EXPLORE_CELL: { [notebook: string]: number } = {
  'text.ipynb': 2,
  'dna.ipynb': 2,
  'basset.ipynb': 0,
  'basset-set.ipynb': 0
};

/** The Basset-size model, built in a cell (weights random, seeded). */
const BASSET_MODEL = [
  'import * as tf from "@tensorflow/tfjs";',
  'import { explore } from "conv1d-explorer";',
  'const init = (seed: number) => tf.initializers.glorotUniform({ seed });',
  'const model = tf.sequential({ layers: [',
  '  tf.layers.conv1d({ name: "conv1", inputShape: [600, 4], filters: 300, kernelSize: 19, activation: "relu", kernelInitializer: init(1) }),',
  '  tf.layers.maxPooling1d({ poolSize: 3 }),',
  '  tf.layers.conv1d({ name: "conv2", filters: 200, kernelSize: 11, activation: "relu", kernelInitializer: init(2) }),',
  '  tf.layers.maxPooling1d({ poolSize: 4 }),',
  '  tf.layers.conv1d({ name: "conv3", filters: 200, kernelSize: 7, activation: "relu", kernelInitializer: init(3) })] });',
  'let state = 1;',
  'const random = () => (state = (state * 16807) % 2147483647) / 2147483647;',
  'const randomSequence = () => Array.from({ length: 600 }, () => "ACGT"[Math.floor(random() * 4)]).join("");'
];

function writeNotebook(file: string, source: string): void {
  const notebook = {
    cells: [{ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source }],
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5
  };
  fs.writeFileSync(file, JSON.stringify(notebook));
}

/**
 * Writes `basset.ipynb`: a model of Basset's size (300 filters × 19 on one-hot DNA of 600,
 * then two more Conv1D layers, as in bench/cases.ts; weights random, seeded) explored on a
 * seeded random sequence, in one cell.
 *
 * @param dir - the folder on the server
 */
export function writeBassetNotebook(dir: string): void {
  const source = [
    ...BASSET_MODEL,
    'const sequence = randomSequence();',
    'await explore(model, sequence, { title: "Basset-size model" });'
  ].join('\n');
  writeNotebook(path.join(dir, 'basset.ipynb'), source);
}

/**
 * Writes `basset-set.ipynb`: the Basset-size model explored with a set of `count` seeded
 * random sequences of 600 bp (the dataset view, its first layer's 300 filters), in one cell.
 *
 * @param dir - the folder on the server
 * @param count - sequences in the set
 */
export function writeBassetSetNotebook(dir: string, count: number): void {
  const source = [
    ...BASSET_MODEL,
    `const sequences = Array.from({ length: ${count} }, randomSequence);`,
    'await explore(model, sequences, { layers: ["conv1"], title: "Basset-size model over a set" });'
  ].join('\n');
  writeNotebook(path.join(dir, 'basset-set.ipynb'), source);
}
