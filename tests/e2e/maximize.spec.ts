/**
 * Activation maximization end to end: the example notebooks run by a real tslab kernel, the
 * optimization computed in a Web Worker of headless Chromium, every control driven by hand.
 */
import * as path from 'path';
import { expect, test } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { ARTIFACTS, copyExamples, runNotebook, watchErrors } from './helpers';

test.use({ autoGoto: true });

test.beforeEach(({ tmpPath }) => copyExamples(tmpPath));

/** Waits for the maximization in flight to finish and returns its status line. */
async function finished(panel: Locator, after?: string): Promise<string> {
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 60000 });
  const status = panel.locator('.c1e-max-status');
  if (after !== undefined) {
    await expect(status).not.toHaveText(after, { timeout: 60000 });
    await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 60000 });
  }
  return (await status.textContent()) ?? '';
}

/** Moves a range input one step with the keyboard, as a user would. */
async function nudge(page: Page, slider: Locator, key = 'ArrowRight'): Promise<void> {
  await slider.focus();
  await page.keyboard.press(key);
}

test('the text model: each slider reruns the maximization and the result changes', async ({
  page,
  tmpPath
}) => {
  const errors = watchErrors(page);
  const explorer = await runNotebook(page, tmpPath, 'text.ipynb');
  const panel = explorer.locator('.c1e-maximize');

  // The first run starts by itself: filter 0 at its strongest position, in a worker.
  let status = await finished(panel);
  expect(status).toMatch(
    /Maximized filter 0 of ngrams: activation at output position \d+ · step 300 of 300/
  );
  expect(status).toContain('embedding vectors from seed 0');
  expect(status).toMatch(/(wasm|cpu) backend, in a Web Worker/);
  const charts = panel.locator('.c1e-max-chart');
  await expect(charts.locator('canvas')).toBeVisible();
  await charts.scrollIntoViewIfNeeded();
  await charts.screenshot({ path: path.join(ARTIFACTS, 'text-maximized.png') });

  // Iterations: one step up, from 300 to 500.
  await nudge(page, panel.locator('input.c1e-iterations'));
  await expect(panel.locator('.c1e-iterations + .c1e-value')).toHaveText(' 500');
  status = await finished(panel, status);
  expect(status).toContain('step 500 of 500');
  await expect(panel).toHaveAttribute('data-step', '500');

  // Learning rate, l2 and seed each change what the run finds (the seed only where the
  // objective does not reach: the one-position optimum itself does not depend on the start).
  const result = charts.locator('canvas');
  let last = await result.screenshot();
  for (const [control, label] of [
    ['input.c1e-learningRate', ' 0.3'],
    ['input.c1e-l2', ' 0.1'],
    ['input.c1e-seed', ' 1']
  ] as const) {
    await nudge(page, panel.locator(control));
    await expect(panel.locator(`${control} + .c1e-value`)).toHaveText(label);
    status = await finished(panel, status);
    const now = await result.screenshot();
    expect(now.equals(last), `${control}: ${status}`).toBe(false);
    last = now;
  }
  expect(status).toContain('learning rate 0.3, l2 0.1');
  expect(status).toContain('seed 1');

  // The explorer's filter slider retargets the maximization.
  await nudge(page, explorer.locator('input.c1e-filter'));
  status = await finished(panel, status);
  expect(status).toContain('Maximized filter 1 of ngrams');

  // The other objective.
  await panel.locator('select.c1e-objective').selectOption('mean');
  status = await finished(panel, status);
  expect(status).toContain('mean activation over positions');

  // All filters: one batched run, drawn as a gallery; a click opens one filter from it.
  await panel.locator('button.c1e-all').click();
  await expect(panel).toHaveAttribute('data-gallery', '32', { timeout: 60000 });
  status = await finished(panel);
  expect(status).toContain('all 32 filters');
  const gallery = panel.locator('.c1e-gallery canvas');
  await gallery.scrollIntoViewIfNeeded();
  await panel
    .locator('.c1e-gallery')
    .screenshot({ path: path.join(ARTIFACTS, 'text-gallery.png') });
  const box = (await gallery.boundingBox())!;
  await gallery.click({ position: { x: box.width * 0.3, y: box.height * 0.5 } });
  await expect(panel.locator('.c1e-max-status')).toContainText('from the batched run');
  const picked = await explorer.locator('input.c1e-filter').inputValue();
  await expect(panel.locator('.c1e-max-status')).toContainText(`Filter ${picked},`);
  await panel.screenshot({ path: path.join(ARTIFACTS, 'text-gallery-opened.png') });
  expect(errors).toEqual([]);
});

test('the DNA model: a logo from the sequence, a picked position, the dilated layer', async ({
  page,
  tmpPath
}) => {
  const errors = watchErrors(page);
  const explorer = await runNotebook(page, tmpPath, 'dna.ipynb');
  const panel = explorer.locator('.c1e-maximize');
  let status = await finished(panel);
  expect(status).toContain('Maximized filter 0 of motif_scan');
  expect(status).toContain('softmax probabilities from the sequence');
  const charts = panel.locator('.c1e-max-chart');
  await charts.scrollIntoViewIfNeeded();
  await charts.screenshot({ path: path.join(ARTIFACTS, 'dna-maximized.png') });

  // A click on the activation line picks the position to maximize.
  const position = Number(/output position (\d+)/.exec(status)![1]);
  const chart = explorer.locator('.c1e-chart .c1e-vega canvas');
  await chart.scrollIntoViewIfNeeded();
  const box = (await chart.boundingBox())!;
  const lineY = box.y + 220;
  let moved = position;
  for (const fraction of [0.2, 0.8, 0.5]) {
    await page.mouse.click(box.x + box.width * fraction, lineY);
    status = await finished(panel, status);
    moved = Number(/output position (\d+)/.exec(status)?.[1] ?? position);
    if (moved !== position) {
      break;
    }
  }
  expect(moved).not.toBe(position);

  // The dilated layer: tfjs has no gradient for it; ours is exact.
  await explorer.locator('select.c1e-layer').selectOption('motif_pairs');
  status = await finished(panel, status);
  expect(status).toContain('Maximized filter 0 of motif_pairs');
  expect(status).not.toMatch(/failed/);
  await charts.screenshot({ path: path.join(ARTIFACTS, 'dna-maximized-dilated.png') });

  // The tutorial preset sets the three sliders at once.
  await panel.locator('button.c1e-preset').click();
  await expect(panel.locator('.c1e-iterations + .c1e-value')).toHaveText(' 50');
  status = await finished(panel, status);
  expect(status).toContain('step 50 of 50');
  expect(status).toContain('learning rate 1, l2 0.01');

  // The dark theme: the explorer and the maximization views are drawn again in it.
  const explorerChart = explorer.locator('.c1e-chart .c1e-vega canvas');
  const [lightExplorer, lightResult] = [
    await explorerChart.screenshot(),
    await charts.locator('canvas').screenshot()
  ];
  await page.theme.setDarkTheme();
  await expect
    .poll(async () => (await explorerChart.screenshot()).equals(lightExplorer))
    .toBe(false);
  await expect
    .poll(async () => (await charts.locator('canvas').screenshot()).equals(lightResult))
    .toBe(false);
  await charts.screenshot({ path: path.join(ARTIFACTS, 'dna-maximized-dark.png') });
  expect(errors).toEqual([]);
});
