/**
 * Sharing executed notebooks: the output keeps a picture of the current views, so tools
 * without the extension (GitHub, nbviewer, `jupyter nbconvert`) show the explorer.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { expect, test } from '@jupyterlab/galata';
import {
  ARTIFACTS,
  brushActivationLine,
  MIME,
  copyExamples,
  keptView,
  reloadPage,
  runNotebook,
  shutDownKernels,
  watchErrors,
  writeNotebook,
  dnaExample
} from './helpers';
import { SERVER_ROOT } from './paths';

test.use({ autoGoto: true });
test.beforeEach(({ tmpPath }) => copyExamples(tmpPath));

const JUPYTER = path.resolve(__dirname, '..', '..', '.venv', 'bin', 'jupyter');

/** The picture stored with the explorer's output in the saved notebook, or undefined. */
function storedPicture(file: string): string | undefined {
  const notebook = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const cell of notebook.cells) {
    for (const output of cell.outputs ?? []) {
      if (output.data?.[MIME]) {
        return output.data['image/png'];
      }
    }
  }
  return undefined;
}

test('an executed explorer keeps a picture of its current views for nbconvert and GitHub', async ({
  page,
  tmpPath
}) => {
  const errors = watchErrors(page);
  const explorer = await runNotebook(page, tmpPath, 'dna.ipynb');
  const renderer = page.locator('.c1e-renderer').first();
  const panel = explorer.locator('.c1e-maximize');
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 60000 });
  await expect(renderer).toHaveAttribute('data-picture', 'saved', { timeout: 30000 });

  const file = path.join(SERVER_ROOT, tmpPath, 'dna.ipynb');
  await page.notebook.save();
  const first = storedPicture(file);
  expect(first).toMatch(/^iVBORw0KGgo/); // a PNG
  fs.writeFileSync(path.join(ARTIFACTS, 'dna-picture.png'), Buffer.from(first!, 'base64'));

  // Storing the picture did not rebuild the explorer: it still answers the slider, and the
  // picture follows the view.
  await renderer.evaluate(node => delete (node as HTMLElement).dataset.picture);
  const slider = explorer.locator('input.c1e-filter');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(explorer.locator('.c1e-filter-label')).toHaveText(' 1 of 7');
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 60000 });
  await expect(renderer).toHaveAttribute('data-picture', 'saved', { timeout: 30000 });
  await page.notebook.save();
  const second = storedPicture(file);
  expect(second).toMatch(/^iVBORw0KGgo/);
  expect(second).not.toBe(first);

  // nbconvert's HTML shows the picture.
  const html = execFileSync(JUPYTER, ['nbconvert', '--to', 'html', '--stdout', file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024
  });
  expect(html).toContain(`data:image/png;base64,${second!.slice(0, 64)}`);
  expect(errors).toEqual([]);
});

test('after saving, shutting the kernel down and reloading the page, the notebook shows the view, brush and maximization left, interactive without a kernel', async ({
  page,
  tmpPath
}) => {
  const errors = watchErrors(page);
  const explorer = await runNotebook(page, tmpPath, 'dna.ipynb');
  const panel = explorer.locator('.c1e-maximize');
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 60000 });

  // Filter 2, learning rate 0.3.
  await explorer.locator('input.c1e-filter').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(explorer.locator('.c1e-filter-label')).toHaveText(' 2 of 7');
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 60000 });
  // A brushed range on the activation line.
  await brushActivationLine(page, explorer, 0.3, 0.6);
  await explorer
    .locator('.c1e-chart .c1e-vega canvas')
    .screenshot({ path: path.join(ARTIFACTS, 'dna-brushed-line.png') });
  await expect(explorer).toHaveAttribute('data-brush', /^\d+\.\d\d to \d+\.\d\d$/);
  const brush = (await explorer.getAttribute('data-brush'))!;
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 60000 });
  await panel.locator('input.c1e-learningRate').focus();
  await page.keyboard.press('ArrowRight');
  await expect(panel.locator('.c1e-max-status')).toContainText('learning rate 0.3', {
    timeout: 60000
  });
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 60000 });
  const status = (await panel.locator('.c1e-max-status').textContent())!;
  expect(status).toContain('Maximized filter 2 of motif_scan');
  // The notebook model keeps this view (the picture is stored with it) before saving.
  const [from, to] = brush.split(' to ').map(Number);
  await expect
    .poll(() => keptView(page, 2), { timeout: 30000 })
    .toMatchObject({ filter: 2, controls: { learningRate: 0.3 } });
  const kept = (await keptView(page, 2)) as { brush: [number, number] };
  expect(kept.brush[0]).toBeCloseTo(from, 2);
  expect(kept.brush[1]).toBeCloseTo(to, 2);
  await page.notebook.save();

  // The kernel that made the output is gone, and the page is loaded afresh: JupyterLab
  // restores the open notebook from disk (it may start a new kernel for it, which holds
  // nothing of the first one; no cell runs).
  await shutDownKernels(page);
  await reloadPage(page);
  const reopened = page.locator('.c1e-explorer').first();
  await expect(reopened).toHaveAttribute('data-ready', 'true', { timeout: 90000 });
  await expect(reopened.locator('.c1e-filter-label')).toHaveText(' 2 of 7');
  // The brush as the reopened Vega view has it.
  await expect(reopened).toHaveAttribute('data-brush', brush);
  const restored = reopened.locator('.c1e-maximize');
  await expect(restored).toHaveAttribute('data-restored', 'true', { timeout: 30000 });
  await expect(restored.locator('.c1e-learningRate + .c1e-value')).toHaveText(' 0.3');
  const restoredStatus = (await restored.locator('.c1e-max-status').textContent())!;
  expect(restoredStatus).toContain('as saved in the notebook');
  // The same result, not a new run: objective and steps as they were.
  expect(restoredStatus).toContain(/objective [-\d.e+]+/.exec(status)![0]);
  expect(restoredStatus).toContain(/output position \d+/.exec(status)![0]);
  await restored.screenshot({ path: path.join(ARTIFACTS, 'dna-reopened.png') });

  // With no kernel running at all, still interactive: the filter slider, and a control runs
  // the maximization again.
  await shutDownKernels(page);
  await reopened.locator('input.c1e-filter').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(reopened.locator('.c1e-filter-label')).toHaveText(' 1 of 7');
  await expect(restored).toHaveAttribute('data-state', 'done', { timeout: 60000 });
  await expect(restored.locator('.c1e-max-status')).toContainText('Maximized filter 1 of');
  await restored.locator('input.c1e-seed').focus();
  await page.keyboard.press('ArrowRight');
  await expect(restored).toHaveAttribute('data-state', 'done', { timeout: 60000 });
  await expect(restored).not.toHaveAttribute('data-restored', 'true');
  expect(errors).toEqual([]);
});

/** A notebook that shows the DNA model in ten explorers, each on its own layer and filter. */
function tenExplorers(file: string): void {
  writeNotebook(file, [
    'import { explore, loadModel } from "conv1d-explorer";\n' +
      'const model = await loadModel("models/dna/model.json");\n' +
      `const sequence = ${JSON.stringify(dnaExample())};`,
    ...Array.from(
      { length: 10 },
      (_, k) =>
        `await explore(model, sequence, { layer: "${k % 2 ? 'motif_pairs' : 'motif_scan'}", ` +
        `filter: ${k % 8}, title: "Explorer ${k}" });`
    )
  ]);
}

test('ten explorers in one notebook keep separate state, and the saved notebook reopens with all ten', async ({
  page,
  tmpPath
}) => {
  test.setTimeout(600000);
  const errors = watchErrors(page);
  tenExplorers(path.join(SERVER_ROOT, tmpPath, 'ten.ipynb'));
  await page.notebook.openByPath(`${tmpPath}/ten.ipynb`);
  await page.notebook.activate('ten.ipynb');
  await page.notebook.run();
  const explorers = page.locator('.c1e-explorer');
  await expect(explorers).toHaveCount(10, { timeout: 120000 });
  for (let k = 0; k < 10; k++) {
    const explorer = explorers.nth(k);
    await expect(explorer).toHaveAttribute('data-ready', 'true', { timeout: 120000 });
    await expect(explorer.locator('.c1e-title')).toHaveText(`Explorer ${k}`);
    await expect(explorer.locator('select.c1e-layer')).toHaveValue(
      k % 2 ? 'motif_pairs' : 'motif_scan'
    );
    await expect(explorer.locator('.c1e-filter-label')).toHaveText(` ${k % 8} of 7`);
  }

  // A filter moved and a range brushed in one explorer leave the others as they were.
  const third = explorers.nth(3);
  await third.locator('input.c1e-filter').focus();
  await page.keyboard.press('ArrowRight');
  await expect(third.locator('.c1e-filter-label')).toHaveText(' 4 of 7');
  await brushActivationLine(page, third, 0.3, 0.6);
  await expect(third).toHaveAttribute('data-brush', /to/);
  for (let k = 0; k < 10; k++) {
    if (k !== 3) {
      await expect(explorers.nth(k).locator('.c1e-filter-label')).toHaveText(` ${k % 8} of 7`);
      await expect(explorers.nth(k)).toHaveAttribute('data-brush', '');
    }
  }
  // Every output keeps its own view in the notebook model (explorer k is cell k + 1).
  await expect
    .poll(() => keptView(page, 4), { timeout: 60000 })
    .toMatchObject({
      layer: 'motif_pairs',
      filter: 4,
      brush: [expect.any(Number), expect.any(Number)]
    });
  for (let k = 0; k < 10; k++) {
    if (k !== 3) {
      await expect
        .poll(() => keptView(page, k + 1), { timeout: 60000 })
        .toMatchObject({ filter: k % 8 });
      expect(await keptView(page, k + 1)).not.toHaveProperty('brush');
    }
  }
  await page.notebook.save();

  // Reloaded from disk: all ten, each on its own view, without errors.
  await shutDownKernels(page);
  await reloadPage(page);
  await expect(explorers).toHaveCount(10, { timeout: 120000 });
  for (let k = 0; k < 10; k++) {
    const explorer = explorers.nth(k);
    await expect(explorer).toHaveAttribute('data-ready', 'true', { timeout: 120000 });
    await expect(explorer).not.toHaveAttribute('data-error', 'true');
    await expect(explorer.locator('.c1e-filter-label')).toHaveText(
      k === 3 ? ' 4 of 7' : ` ${k % 8} of 7`
    );
  }
  await expect(third).toHaveAttribute('data-brush', /to/);
  expect(errors).toEqual([]);
});
