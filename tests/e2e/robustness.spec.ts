/**
 * Hostile notebooks, hard models and corrupt outputs, end to end: a real tslab kernel runs
 * the cells, the extension renders in headless Chromium. Nothing from a payload runs as
 * code, every refusal is a message in its own output, and the rest of the notebook works.
 */
import * as path from 'path';
import { expect, test, type IJupyterLabPageFixture } from '@jupyterlab/galata';
import { ARTIFACTS, copyExamples, executeCell, watchErrors, writeNotebook } from './helpers';
import { SERVER_ROOT } from './paths';
import { HOSTILE } from './standalone/payloads';

test.use({ autoGoto: true });
test.beforeEach(({ tmpPath }) => copyExamples(tmpPath));

/** Runs every cell (an error does not stop the run) and returns each cell's output area. */
async function runAll(page: IJupyterLabPageFixture, tmpPath: string, name: string, cells: number) {
  await page.notebook.openByPath(`${tmpPath}/${name}`);
  await page.notebook.activate(name);
  for (let i = 0; i < cells; i++) {
    await executeCell(page, i);
  }
  return Promise.all(
    Array.from({ length: cells }, async (_, i) =>
      (await page.notebook.getCellLocator(i))!.locator('.jp-Cell-outputArea')
    )
  );
}

test('a hostile notebook: HTML, script and expressions in titles, words and layer names are shown as text; nothing runs', async ({
  page,
  tmpPath
}) => {
  test.setTimeout(300000);
  const errors = watchErrors(page);
  const dialogs: string[] = [];
  page.on('dialog', d => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  writeNotebook(path.join(SERVER_ROOT, tmpPath, 'hostile.ipynb'), [
    'import * as fs from "fs";\n' +
      'import { explore, loadModel, MIME_TYPE } from "conv1d-explorer";\n' +
      'const model = await loadModel("models/text/model.json");\n' +
      'const labels: string[] = JSON.parse(fs.readFileSync("models/text/vocab.json", "utf8"));\n' +
      `const hostile: string[] = ${JSON.stringify(Object.values(HOSTILE))};\n` +
      'hostile.forEach((w, i) => (labels[i + 2] = w));\n' +
      'const ids = Array.from({ length: 24 }, (_, i) => 2 + (i % hostile.length));\n' +
      `await explore(model, ids, { labels, title: ${JSON.stringify(HOSTILE.title)} });\n` +
      // A payload edited by hand: the layer renamed to markup.
      'let bundle: Record<string, string> = {};\n' +
      'await explore(model, ids, { labels, display: b => (bundle = b as Record<string, string>) });\n' +
      'const edited = bundle[MIME_TYPE].split(\'"ngrams"\').join(JSON.stringify(hostile[1]));\n' +
      'require("tslab").display.raw(MIME_TYPE, edited);'
  ]);
  const [output] = await runAll(page, tmpPath, 'hostile.ipynb', 1);
  const explorer = output.locator('.c1e-explorer').first();
  await expect(explorer).toHaveAttribute('data-ready', 'true', { timeout: 90000 });
  await expect(explorer.locator('.c1e-title')).toHaveText(HOSTILE.title);
  await expect(explorer.locator('.c1e-maximize')).toHaveAttribute('data-state', 'done', {
    timeout: 90000
  });
  const refused = output.locator('.c1e-error');
  await expect(refused).toContainText('TensorFlow.js cannot rebuild the model');
  await expect(refused).toContainText(HOSTILE.word);
  await page.screenshot({ path: path.join(ARTIFACTS, 'hostile.png') });

  expect(
    await page
      .locator('img[src="x"], .jp-OutputArea script, .jp-OutputArea a[href^="javascript:"]')
      .count()
  ).toBe(0);
  expect(
    await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)
  ).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
});

test('hard models: nested, two inputs, an RNN, a custom layer, too long, NaN and Infinity, a dead filter', async ({
  page,
  tmpPath
}) => {
  test.setTimeout(400000);
  const errors = watchErrors(page);
  writeNotebook(path.join(SERVER_ROOT, tmpPath, 'hard.ipynb'), [
    'import { explore } from "conv1d-explorer";\n' +
      'import * as tf from "@tensorflow/tfjs";\n' +
      'const dna = "ACGTTGCAAC".repeat(4);',
    // 1: no Conv1D layer
    'const dense = tf.sequential({ layers: [tf.layers.dense({ inputShape: [40, 4], units: 2 })] });\n' +
      'await explore(dense, dna);',
    // 2: a Conv1D inside a nested model; explore leaves no tensors behind in the kernel
    'const inner = tf.sequential({ name: "feature_extractor", layers: [tf.layers.conv1d({ inputShape: [40, 4], filters: 4, kernelSize: 5, activation: "relu", name: "inner_motifs" })] });\n' +
      'const nested = tf.sequential({ layers: [inner, tf.layers.flatten(), tf.layers.dense({ units: 1 })] });\n' +
      'const tensorsBefore = tf.memory().numTensors;\n' +
      'await explore(nested, dna, { title: "nested" });\n' +
      '`tensors left by explore: ${tf.memory().numTensors - tensorsBefore}`',
    // 3: two inputs and two outputs; the Conv1D reads one input
    'const seqIn = tf.input({ shape: [40, 4], name: "dna" });\n' +
      'const metaIn = tf.input({ shape: [3], name: "meta" });\n' +
      'const scan = tf.layers.conv1d({ filters: 3, kernelSize: 4, name: "scan" }).apply(seqIn) as tf.SymbolicTensor;\n' +
      'const pooled = tf.layers.globalMaxPooling1d({}).apply(scan) as tf.SymbolicTensor;\n' +
      'const joined = tf.layers.concatenate().apply([pooled, metaIn]) as tf.SymbolicTensor;\n' +
      'const head = tf.layers.dense({ units: 1 }).apply(joined) as tf.SymbolicTensor;\n' +
      'const twoIn = tf.model({ inputs: [seqIn, metaIn], outputs: [head, scan] });\n' +
      'await explore(twoIn, dna, { title: "two inputs" });',
    // 4: an RNN between two Conv1D layers, the whole model sent
    'const rnn = tf.sequential({ layers: [tf.layers.conv1d({ inputShape: [40, 4], filters: 4, kernelSize: 5, name: "before_rnn" }), tf.layers.lstm({ units: 4, returnSequences: true }), tf.layers.conv1d({ filters: 2, kernelSize: 3, name: "after_rnn" })] });\n' +
      'await explore(rnn, dna, { wholeModel: true, layer: "after_rnn", title: "RNN between" });',
    // 5: a layer class registered in the kernel only
    'class Doubler extends tf.layers.Layer {\n' +
      '  static className = "Doubler";\n' +
      '  call(x: tf.Tensor | tf.Tensor[]): tf.Tensor { return tf.mul(Array.isArray(x) ? x[0] : x, 2); }\n' +
      '}\n' +
      'tf.serialization.registerClass(Doubler);\n' +
      'const custom = tf.sequential({ layers: [tf.layers.conv1d({ inputShape: [40, 4], filters: 2, kernelSize: 3, name: "c_before" }), new Doubler({ name: "doubler" }), tf.layers.conv1d({ filters: 2, kernelSize: 3, name: "c_after" })] });\n' +
      'await explore(custom, dna, { title: "custom class" });',
    // 6: the layers before it
    'await explore(custom, dna, { layers: ["c_before"], title: "before the custom layer" });',
    // 7: 100 000 positions
    'const anyLength = tf.sequential({ layers: [tf.layers.conv1d({ inputShape: [null, 4], filters: 2, kernelSize: 3 })] });\n' +
      'await explore(anyLength, "ACGT".repeat(25000));',
    // 8: NaN weights
    'const nan = tf.sequential({ layers: [tf.layers.conv1d({ inputShape: [40, 4], filters: 2, kernelSize: 3, name: "nan_conv" })] });\n' +
      'nan.layers[0].setWeights([tf.fill([3, 4, 2], NaN), tf.zeros([2])]);\n' +
      'await explore(nan, dna);',
    // 9: a dead filter
    'const dead = tf.sequential({ layers: [tf.layers.conv1d({ inputShape: [40, 4], filters: 2, kernelSize: 3, activation: "relu", name: "dead_conv" })] });\n' +
      'dead.layers[0].setWeights([tf.concat([tf.ones([3, 4, 1]), tf.zeros([3, 4, 1])], 2), tf.zeros([2])]);\n' +
      'await explore(dead, dna, { filter: 1, title: "dead filter" });',
    // 10: Infinity weights in an output written without explore's checks: the browser refuses
    // (a cell that threw keeps none of its declarations in tslab: a model of its own)
    'const { modelToPayload } = require("conv1d-explorer/core");\n' +
      'const { MIME_TYPE } = require("conv1d-explorer");\n' +
      'const inf = tf.sequential({ layers: [tf.layers.conv1d({ inputShape: [40, 4], filters: 2, kernelSize: 3, name: "inf_conv" })] });\n' +
      'inf.layers[0].setWeights([tf.fill([3, 4, 2], Infinity), tf.zeros([2])]);\n' +
      'const unchecked = { version: 1, model: await modelToPayload(inf), view: {},\n' +
      '  sequence: { kind: "onehot", sequence: dna, alphabet: "ACGT" } };\n' +
      'require("tslab").display.raw(MIME_TYPE, JSON.stringify(unchecked));'
  ]);
  const out = await runAll(page, tmpPath, 'hard.ipynb', 11);
  const ready = async (i: number) => {
    const explorer = out[i].locator('.c1e-explorer');
    await expect(explorer).toHaveAttribute('data-ready', 'true', { timeout: 90000 });
    return explorer;
  };
  const stderr = '[data-mime-type="application/vnd.jupyter.stderr"]';

  await expect(out[1]).toContainText('The model has no Conv1D layer');
  await expect(out[1]).toContainText(/dense_Dense\d+ \(Dense\)/);

  const nested = await ready(2);
  await expect(nested.locator('select.c1e-layer')).toHaveValue('inner_motifs');
  await expect(out[2]).toContainText('tensors left by explore: 0');

  const twoIn = await ready(3);
  await expect(twoIn.locator('select.c1e-layer')).toHaveValue('scan');

  const rnn = await ready(4);
  await expect(rnn.locator('select.c1e-layer')).toHaveValue('after_rnn');
  await expect(rnn.locator('select.c1e-layer option')).toHaveCount(2);

  await expect(out[5].locator('.c1e-error')).toContainText(
    'it does not know the layer class Doubler (layer "doubler")'
  );
  const before = await ready(6);
  await expect(before.locator('select.c1e-layer')).toHaveValue('c_before');

  await expect(out[7]).toContainText(
    'The sequence has 100000 positions; the explorer shows at most 10000'
  );
  await expect(out[7].locator('.c1e-explorer')).toHaveCount(0);
  await expect(out[8]).toContainText('holds NaN at index 0; expected finite numbers');
  await expect(out[8].locator('.c1e-explorer')).toHaveCount(0);

  const dead = await ready(9);
  await expect(dead).toHaveAttribute('data-filter-note', 'dead filter: all its weights are 0');
  await expect(dead.locator('.c1e-filter-note')).toHaveText(
    ' · dead filter: all its weights are 0'
  );
  // Its maximization ends (the loss is the L2 term alone) instead of failing.
  await expect(dead.locator('.c1e-maximize')).toHaveAttribute('data-state', 'done', {
    timeout: 90000
  });
  await expect(out[10].locator('.c1e-error')).toContainText(
    'Weight "inf_conv/kernel" holds Infinity at index 0; expected finite numbers'
  );
  // The successful cells printed nothing beside their explorer, and no cell shows tfjs'
  // backend banner (it would come with the first tensor, in cell 1).
  for (const i of [2, 3, 4, 6, 9, 10]) {
    await expect(out[i].locator(stderr)).toHaveCount(0);
  }
  for (const o of out) {
    await expect(o).not.toContainText('looks like you are running TensorFlow.js in Node');
  }
  // Refused input reads as a message, not as a stack trace into the library's files.
  for (const i of [1, 7, 8]) {
    const text = (await out[i].locator(stderr).allTextContents()).join('\n');
    expect(text).toMatch(/^\[ExplorerError: /);
    expect(text).not.toMatch(/\n\s*at |lib\/(core|kernel)\//);
  }
  await dead.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ARTIFACTS, 'hard-models.png') });
  expect(errors).toEqual([]);
});
