/**
 * The explorer end to end: example notebooks executed by a real tslab kernel, rendered by
 * the installed extension in headless Chromium, and driven like a user would.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expect, galata, test } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { ARTIFACTS, MIME, copyExamples, executeCell, runNotebook, watchErrors } from './helpers';
import { SERVER_ROOT } from './paths';

test.use({ autoGoto: true });

test.beforeEach(({ tmpPath }) => copyExamples(tmpPath));

async function chartPixels(explorer: Locator): Promise<Buffer> {
  return explorer.locator('.c1e-chart .c1e-vega canvas').screenshot();
}

test('the DNA example renders linked views that follow the slider and heatmap clicks', async ({
  page,
  tmpPath
}) => {
  const errors = watchErrors(page);
  const explorer = await runNotebook(page, tmpPath, 'dna.ipynb');

  // Computed in the browser, on a backend that works without a GPU, and said so.
  await expect(explorer.locator('.c1e-status')).toContainText(
    /TensorFlow\.js on the (wasm|cpu) backend/
  );
  await expect(explorer.locator('.c1e-status')).toContainText('motif_scan: 8 filters, kernel 9');
  await expect(explorer.locator('select.c1e-layer option')).toHaveText([
    /^motif_scan/,
    /^motif_pairs/
  ]);
  await explorer.screenshot({ path: path.join(ARTIFACTS, 'dna-filter-0.png') });

  // The notebook's attribution cell, in the tslab kernel: IG and ISM find the planted sites.
  const attributions = page
    .locator('.jp-OutputArea-output')
    .filter({ hasText: 'integratedGradients: top window' });
  await expect(attributions).toContainText('integratedGradients: top window 20–25 CACGTG', {
    timeout: 60000
  });
  await expect(attributions).toContainText('ism: top window 60–65 TATAAA');

  // Moving the filter slider changes the label and the plots.
  const slider = explorer.locator('input.c1e-filter');
  await expect(slider).toHaveValue('0');
  const before = await chartPixels(explorer);
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(slider).toHaveValue('2');
  await expect(explorer.locator('.c1e-filter-label')).toHaveText(' 2 of 7');
  await expect.poll(async () => (await chartPixels(explorer)).equals(before)).toBe(false);
  await explorer.screenshot({ path: path.join(ARTIFACTS, 'dna-filter-2.png') });

  // A click on a heatmap row selects that filter in every view: try rows down the heatmap
  // (it sits at the top of the chart) until one that is not filter 2 is hit.
  const canvas = explorer.locator('.c1e-chart .c1e-vega canvas');
  const box = (await canvas.boundingBox())!;
  let picked = '2';
  for (let y = 20; y < 110 && picked === '2'; y += 4) {
    await page.mouse.click(box.x + box.width * 0.4, box.y + y);
    picked = await slider.inputValue();
  }
  expect(picked).not.toBe('2');
  await expect(explorer.locator('.c1e-filter-label')).toHaveText(` ${picked} of 7`);
  await explorer.screenshot({ path: path.join(ARTIFACTS, `dna-clicked-filter-${picked}.png`) });

  // Dragging over the line plot brushes output positions and highlights their input window.
  // The input track lies between the line plot and the kernel views.
  const track = { x: box.x, y: box.y + 320, width: box.width, height: 100 };
  const beforeBrush = await page.screenshot({ clip: track });
  const lineY = box.y + 220;
  await page.mouse.move(box.x + box.width * 0.4, lineY);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, lineY, { steps: 5 });
  await page.mouse.up();
  await expect
    .poll(async () => (await page.screenshot({ clip: track })).equals(beforeBrush))
    .toBe(false);
  await explorer.screenshot({ path: path.join(ARTIFACTS, 'dna-brushed.png') });

  // The dilated second layer, after pooling.
  const beforeLayer = await chartPixels(explorer);
  await explorer.locator('select.c1e-layer').selectOption('motif_pairs');
  await expect(explorer.locator('.c1e-status')).toContainText(
    'motif_pairs: 8 filters, kernel 5, stride 1, dilation 2'
  );
  await expect(slider).toHaveValue('0');
  await expect.poll(async () => (await chartPixels(explorer)).equals(beforeLayer)).toBe(false);
  await explorer.screenshot({ path: path.join(ARTIFACTS, 'dna-motif-pairs.png') });

  expect(errors).toEqual([]);
});

test('the text example shows an Embedding model with its words', async ({ page, tmpPath }) => {
  const errors = watchErrors(page);
  const explorer = await runNotebook(page, tmpPath, 'text.ipynb');
  await expect(explorer.locator('.c1e-status')).toContainText('ngrams: 32 filters, kernel 3');
  await expect(explorer.locator('input.c1e-filter')).toHaveAttribute('max', '31');
  await explorer.screenshot({ path: path.join(ARTIFACTS, 'text.png') });
  expect(errors).toEqual([]);
});

test.describe('with the backend set to cpu in the settings', () => {
  test.use({
    mockSettings: { ...galata.DEFAULT_SETTINGS, 'conv1d-explorer:plugin': { backend: 'cpu' } }
  });

  test('the explorer computes on the cpu backend and says so', async ({ page, tmpPath }) => {
    const explorer = await runNotebook(page, tmpPath, 'text.ipynb');
    await expect(explorer.locator('.c1e-status')).toContainText('TensorFlow.js on the cpu backend');
    await expect(explorer).toHaveAttribute('data-backend', 'cpu');
  });
});

test('bad input is a clear error in the cell; truncated, newer, mismatched, incomplete, mistyped and huge payloads a clear error in their output, the rest working', async ({
  page,
  tmpPath
}) => {
  const dir = path.join(SERVER_ROOT, tmpPath);
  const errors = watchErrors(page);
  // A well-formed payload (two float32 weights) to break in two ways below.
  const payload = {
    version: 1,
    model: {
      topology: {},
      weightSpecs: [{ name: 'w', shape: [2], dtype: 'float32' }],
      weights: 'AAAAAAAAAAA='
    },
    sequence: { kind: 'onehot', sequence: 'ACGT', alphabet: 'ACGT' },
    view: {}
  };
  const cell = (source: string, outputs: unknown[] = []) => ({
    cell_type: 'code',
    execution_count: null,
    metadata: {},
    outputs,
    source
  });
  const stored = (data: unknown) => ({
    output_type: 'display_data',
    metadata: {},
    data: { [MIME]: JSON.stringify(data), 'text/plain': 'x' }
  });
  const notebook = {
    cells: [
      cell(
        'import { explore, loadModel } from "conv1d-explorer";\n' +
          'const model = await loadModel("models/dna/model.json");'
      ),
      cell('await explore(model, "ACGU".repeat(25));'),
      cell('1 + 1', [
        {
          output_type: 'display_data',
          metadata: {},
          data: { [MIME]: '{"version": 1, "model": {"topo', 'text/plain': 'x' }
        }
      ]),
      cell('2 + 2', [
        {
          output_type: 'display_data',
          metadata: {},
          data: {
            [MIME]: JSON.stringify({ ...payload, version: 99, packageVersion: '9.0.0' }),
            'text/plain': 'x'
          }
        }
      ]),
      cell('3 + 3', [
        {
          output_type: 'display_data',
          metadata: {},
          data: {
            [MIME]: JSON.stringify({ ...payload, model: { ...payload.model, weights: 'AAAA' } }),
            'text/plain': 'x'
          }
        }
      ]),
      // Missing fields, wrong types and a huge declared size, written by some other tool.
      cell('4 + 4', [stored({ ...payload, sequence: undefined })]),
      cell('5 + 5', [stored({ ...payload, view: { filter: 'first' } })]),
      cell('6 + 6', [
        stored({
          ...payload,
          model: {
            ...payload.model,
            weightSpecs: [{ name: 'w', shape: [1e6, 1e6], dtype: 'float32' }]
          }
        })
      ]),
      cell('await explore(model, "ACGT".repeat(25), { layer: "motif_pairs" });')
    ],
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5
  };
  fs.writeFileSync(path.join(dir, 'bad.ipynb'), JSON.stringify(notebook));
  await page.notebook.openByPath(`${tmpPath}/bad.ipynb`);
  await page.notebook.activate('bad.ipynb');

  // Each broken payload: a message in its own output, not a blank box (cells 2 to 7 hold the stored, broken outputs).
  await expect(page.locator('.c1e-error')).toHaveCount(6);
  const messages = [
    ['not valid JSON', 'edited or truncated'],
    [
      'made by a newer conv1d-explorer "9.0.0" (payload version 99); this extension is conv1d-explorer',
      'reads version 1. Install the newer conv1d_explorer wheel into the Jupyter environment'
    ],
    ["The model's weights have 3 bytes but its weight specs describe 8; the output is corrupt"],
    ['The payload has no "sequence" object.'],
    ['The payload\'s "view.filter" must be a filter index (an integer from 0).'],
    ["The model's weight specs declare 4000000.0 MB of weights, more than the 1000.0 MB"]
  ];
  for (const [k, texts] of messages.entries()) {
    const shown = (await page.notebook.getCellLocator(k + 2))!.locator('.c1e-error');
    for (const text of texts) {
      await expect(shown).toContainText(text);
    }
  }

  // The kernel refuses the bad sequence before displaying anything.
  await executeCell(page, 0);
  await executeCell(page, 1);
  const output = await page.notebook.getCellLocator(1);
  await expect(output!.locator('.jp-OutputArea-output')).toContainText(
    '"U" at position 3 is not in the alphabet "ACGT"'
  );
  await expect(output!.locator('.c1e-explorer')).toHaveCount(0);

  // The rest of the notebook works: the last cell's explorer renders beside the broken ones.
  await executeCell(page, 8);
  const last = (await page.notebook.getCellLocator(8))!.locator('.c1e-explorer');
  await expect(last).toHaveAttribute('data-ready', 'true', { timeout: 90000 });
  await expect(last.locator('select.c1e-layer')).toHaveValue('motif_pairs');
  expect(errors).toEqual([]);
  await page.screenshot({ path: path.join(ARTIFACTS, 'errors.png') });
});
