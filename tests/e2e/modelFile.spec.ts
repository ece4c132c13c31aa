/**
 * "Open With → Conv1D Explorer" on a tfjs model.json and on Keras' .keras and .h5 files:
 * the explorer on a typed sequence, computed from the model's files, with no kernel at
 * all; and a tslab cell exploring a .keras file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expect, test } from '@jupyterlab/galata';
import {
  ARTIFACTS,
  EXAMPLES,
  copyExamples,
  runNotebook,
  watchErrors,
  writeNotebook
} from './helpers';
import { SERVER_ROOT } from './paths';

test.use({ autoGoto: true });
test.beforeEach(({ tmpPath }) => copyExamples(tmpPath));

const FACTORY = 'Conv1D Explorer';

test('a DNA model.json opens in the explorer without a kernel and explores a typed sequence', async ({
  page,
  tmpPath
}) => {
  const errors = watchErrors(page);
  await page.filebrowser.open(`${tmpPath}/models/dna/model.json`, FACTORY);
  const view = page.locator('.c1e-model-file');
  await expect(view).toHaveAttribute('data-loaded', 'true', { timeout: 60000 });
  await expect(view.locator('.c1e-hint')).toContainText(
    '2 Conv1D layers. The model reads 100 positions of 4 channels'
  );
  await expect(view.locator('input.c1e-alphabet')).toHaveValue('ACGT');
  expect(await page.kernel.isAnyRunning()).toBe(false);

  // A mistake is explained in place.
  await view.locator('textarea.c1e-sequence-input').fill('ACGU');
  await view.locator('button.c1e-explore').click();
  await expect(view.locator('.c1e-status.c1e-error')).toContainText('"U" at position 3');

  const example = JSON.parse(
    fs.readFileSync(path.join(EXAMPLES, 'models', 'dna', 'info.json'), 'utf8')
  ).example as string;
  await view.locator('textarea.c1e-sequence-input').fill(example);
  await view.locator('button.c1e-explore').click();
  const explorer = view.locator('.c1e-explorer');
  await expect(explorer).toHaveAttribute('data-ready', 'true', { timeout: 60000 });
  await expect(view.locator('.c1e-status.c1e-error')).toHaveCount(0);
  await expect(explorer.locator('select.c1e-layer option')).toHaveText([
    /^motif_scan/,
    /^motif_pairs/
  ]);
  await explorer.locator('input.c1e-filter').focus();
  await page.keyboard.press('ArrowRight');
  await expect(explorer.locator('.c1e-filter-label')).toHaveText(' 1 of 7');
  const panel = explorer.locator('.c1e-maximize');
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 60000 });
  await expect(panel.locator('.c1e-max-status')).toContainText('Maximized filter 1 of motif_scan');
  await view.screenshot({ path: path.join(ARTIFACTS, 'model-file-dna.png') });
  expect(await page.kernel.isAnyRunning()).toBe(false);
  // The file is read, never written or renamed.
  const file = path.join(SERVER_ROOT, tmpPath, 'models', 'dna', 'model.json');
  expect(fs.readFileSync(file, 'utf8')).toBe(
    fs.readFileSync(path.join(EXAMPLES, 'models', 'dna', 'model.json'), 'utf8')
  );
  expect(errors).toEqual([]);
});

test('the text model.json reads words with the vocab.json beside it; other JSON is refused clearly', async ({
  page,
  tmpPath
}) => {
  const errors = watchErrors(page);
  await page.filebrowser.open(`${tmpPath}/models/text/model.json`, FACTORY);
  const view = page.locator('.c1e-model-file');
  await expect(view).toHaveAttribute('data-loaded', 'true', { timeout: 60000 });
  await expect(view.locator('.c1e-hint')).toContainText('24 tokens: words of vocab.json');
  await view.locator('button.c1e-random').click();
  const explorer = view.locator('.c1e-explorer');
  await expect(explorer).toHaveAttribute('data-ready', 'true', { timeout: 60000 });
  const typed = await view.locator('textarea.c1e-sequence-input').inputValue();
  expect(typed.split(' ')).toHaveLength(24);
  await expect(explorer.locator('.c1e-status')).toContainText('ngrams: 32 filters');

  await page.filebrowser.open(`${tmpPath}/models/text/info.json`, FACTORY);
  const refused = page.locator('.c1e-model-file[data-error="true"]');
  await expect(refused.locator('.c1e-status.c1e-error')).toContainText(
    'info.json is not a TensorFlow.js LayersModel'
  );
  expect(errors).toEqual([]);
});

const KERAS_FIXTURES = path.join(__dirname, '..', 'fixtures', 'keras');

test('Keras files: a .keras file opens in the explorer (by default and with Open With), an .h5 file with Open With, a damaged one says so', async ({
  page,
  tmpPath
}) => {
  const errors = watchErrors(page);
  const dir = path.join(SERVER_ROOT, tmpPath, 'keras');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(KERAS_FIXTURES, 'keras3', 'dna.keras'), path.join(dir, 'dna.keras'));
  fs.copyFileSync(path.join(KERAS_FIXTURES, 'keras2', 'text.h5'), path.join(dir, 'text.h5'));
  const keras = fs.readFileSync(path.join(dir, 'dna.keras'));
  fs.writeFileSync(path.join(dir, 'cut.keras'), keras.subarray(0, keras.length >> 1));
  const expected = JSON.parse(
    fs.readFileSync(path.join(KERAS_FIXTURES, 'keras3', 'expected.json'), 'utf8')
  ).models.dna as { input: string[] };

  await page.filebrowser.open(`${tmpPath}/keras/dna.keras`, FACTORY);
  const view = page.locator('.c1e-model-file');
  await expect(view).toHaveAttribute('data-loaded', 'true', { timeout: 60000 });
  await expect(view.locator('.c1e-hint')).toContainText(
    '2 Conv1D layers. The model reads 100 positions of 4 channels'
  );
  await view.locator('textarea.c1e-sequence-input').fill(expected.input[0]);
  await view.locator('button.c1e-explore').click();
  const explorer = view.locator('.c1e-explorer');
  await expect(explorer).toHaveAttribute('data-ready', 'true', { timeout: 60000 });
  await expect(explorer.locator('select.c1e-layer option')).toHaveText([/^motifs/, /^pairs/]);
  await view.screenshot({ path: path.join(ARTIFACTS, 'model-file-keras.png') });
  expect(await page.kernel.isAnyRunning()).toBe(false);
  await page.activity.closeAll();

  // A .keras file opens in the explorer on a double click: nothing else in JupyterLab reads it.
  await page.filebrowser.open(`${tmpPath}/keras/dna.keras`);
  await expect(page.locator('.c1e-model-file')).toHaveAttribute('data-loaded', 'true', {
    timeout: 60000
  });
  await page.activity.closeAll();

  await page.filebrowser.open(`${tmpPath}/keras/text.h5`, FACTORY);
  await expect(page.locator('.c1e-model-file')).toHaveAttribute('data-loaded', 'true', {
    timeout: 60000
  });
  await expect(page.locator('.c1e-model-file .c1e-hint')).toContainText(
    '1 Conv1D layer. The model reads 24 tokens: token ids from 0 to 99'
  );
  await page.activity.closeAll();

  await page.filebrowser.open(`${tmpPath}/keras/cut.keras`, FACTORY);
  await expect(page.locator('.c1e-model-file .c1e-status.c1e-error')).toContainText(
    'keras/cut.keras is a damaged or truncated zip archive'
  );
  // Files are read, never written.
  expect(fs.readFileSync(path.join(dir, 'dna.keras')).equals(keras)).toBe(true);
  expect(errors).toEqual([]);
});

test('a tslab cell explores a .keras file: explore(await loadModel("dna.keras"), sequence)', async ({
  page,
  tmpPath
}) => {
  const errors = watchErrors(page);
  const dir = path.join(SERVER_ROOT, tmpPath);
  fs.copyFileSync(path.join(KERAS_FIXTURES, 'keras3', 'dna.keras'), path.join(dir, 'dna.keras'));
  const sequence = (
    JSON.parse(fs.readFileSync(path.join(KERAS_FIXTURES, 'keras3', 'expected.json'), 'utf8')).models
      .dna as { input: string[] }
  ).input[0];
  writeNotebook(path.join(dir, 'keras.ipynb'), [
    `import { explore, loadModel } from 'conv1d-explorer';\n` +
      `explore(await loadModel('dna.keras'), ${JSON.stringify(sequence)});`
  ]);
  const explorer = await runNotebook(page, tmpPath, 'keras.ipynb');
  await expect(explorer.locator('select.c1e-layer option')).toHaveText([/^motifs/, /^pairs/]);
  expect(errors).toEqual([]);
});
