/**
 * Responsiveness while activation maximization runs, in the real extension: the longest
 * main-thread task (Long Tasks API) while the text and DNA examples' maximizations run,
 * one filter with 2000 iterations and all filters at once, on the examples and on a
 * Basset-size first layer. Written to
 * bench/results/lab.json; `npm run bench` prints it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expect, test } from '@jupyterlab/galata';
import { copyExamples, runNotebook } from '../../tests/e2e/helpers';
import { SERVER_ROOT } from '../../tests/e2e/paths';
import { seenTasks, watchTasks } from './longTasks';
import { writeBassetNotebook } from './notebooks';
import type { Measurement } from './report';

test.use({ autoGoto: true });
test.beforeEach(({ tmpPath }) => copyExamples(tmpPath));

const RESULTS = path.join(__dirname, '..', 'results', 'lab.json');

test('longest main-thread task while maximizations run', async ({ page, tmpPath }) => {
  writeBassetNotebook(path.join(SERVER_ROOT, tmpPath));
  const measurements: Measurement[] = [];
  for (const notebook of ['text.ipynb', 'dna.ipynb', 'basset.ipynb']) {
    const explorer = await runNotebook(page, tmpPath, notebook);
    const panel = explorer.locator('.c1e-maximize');
    await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 120000 });
    for (const [run, act] of [
      [
        'one filter, 2000 steps',
        async () => {
          const slider = panel.locator('input.c1e-iterations');
          await slider.focus();
          await page.keyboard.press('End');
        }
      ],
      ['all filters, 2000 steps', () => panel.locator('button.c1e-all').click()]
    ] as const) {
      await watchTasks(page);
      const started = Date.now();
      await act();
      await expect(panel).toHaveAttribute('data-state', 'running');
      await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 300000 });
      const seconds = (Date.now() - started) / 1000;
      const tasks = await seenTasks(page);
      measurements.push({
        notebook,
        run,
        seconds,
        longestTaskMs: Math.max(0, ...tasks),
        longTasks: tasks.length,
        steps: (await panel.getAttribute('data-step')) ?? ''
      });
    }
    await page.notebook.close(true);
  }
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(
    RESULTS,
    JSON.stringify({ date: new Date().toISOString(), measurements }, null, 2)
  );
  for (const m of measurements) {
    console.log(
      `${m.notebook.padEnd(11)} ${m.run.padEnd(24)} ${m.seconds.toFixed(1).padStart(6)} s  ` +
        `longest main-thread task ${m.longestTaskMs.toFixed(0)} ms (${m.longTasks} over 50 ms)`
    );
  }
});
