/**
 * The explorer's views in the real extension: time to the first interactive view (cold: a
 * fresh page that has not loaded the extension's code; warm: the cell run again in the same
 * page), filter slider latency over 100 moves, and memory (tfjs tensors on the page, JS heap)
 * before and after the moves and after the output is cleared. Written to
 * bench/results/views.json; `npm run bench` prints it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expect, test, type IJupyterLabPageFixture } from '@jupyterlab/galata';
import { copyExamples, heapAfterGC, reloadPage } from '../../tests/e2e/helpers';
import { SERVER_ROOT } from '../../tests/e2e/paths';
import { EXPLORE_CELL, writeBassetNotebook } from './notebooks';
import type { FirstView, Memory, ViewsResult } from './report';

test.use({ autoGoto: true });
test.beforeEach(({ tmpPath }) => copyExamples(tmpPath));

const RESULTS = path.join(__dirname, '..', 'results', 'views.json');
const COLD_RUNS = Number(process.env.C1E_BENCH_COLD ?? 3);
const WARM_RUNS = Number(process.env.C1E_BENCH_WARM ?? 5);
const MOVES = 100;

/** Starts watching for the next explorer to enter the page; resolves to its timings. */
async function watchFirstView(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { c1eFirstView: Promise<unknown> };
    const painted = () =>
      new Promise<void>(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
    w.c1eFirstView = new Promise(resolve => {
      let explorer: HTMLElement | null = null;
      let t0 = 0;
      const observer = new MutationObserver(() => {
        if (!explorer) {
          explorer = document.querySelector<HTMLElement>('.c1e-explorer:not([data-bench-seen])');
          if (explorer) {
            t0 = performance.now();
            explorer.dataset.benchSeen = 'true';
          }
        }
        if (explorer?.dataset.ready === 'true') {
          observer.disconnect();
          const drawn = performance.now() - t0;
          const slider = explorer.querySelector<HTMLInputElement>('input.c1e-filter')!;
          const target = String((Number(slider.value) + 1) % (Number(slider.max) + 1));
          slider.value = target;
          slider.dispatchEvent(new Event('input'));
          const done = () => {
            if (explorer!.dataset.filterDrawn === target) {
              void painted().then(() => resolve({ drawn, interactive: performance.now() - t0 }));
            } else {
              requestAnimationFrame(done);
            }
          };
          done();
        }
      });
      observer.observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-ready']
      });
    });
  });
}

/** Moves the first explorer's filter slider `moves` times; ms from input event to paint. */
async function sliderLatencies(page: IJupyterLabPageFixture, moves: number): Promise<number[]> {
  return page.evaluate(async count => {
    const explorer = document.querySelector<HTMLElement>('.c1e-explorer')!;
    const slider = explorer.querySelector<HTMLInputElement>('input.c1e-filter')!;
    const filters = Number(slider.max) + 1;
    const painted = () =>
      new Promise<void>(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const latencies: number[] = [];
    for (let i = 0; i < count; i++) {
      const target = String((Number(slider.value) + 1) % filters);
      const started = performance.now();
      slider.value = target;
      slider.dispatchEvent(new Event('input'));
      while (explorer.dataset.filterDrawn !== target) {
        await new Promise(requestAnimationFrame);
      }
      await painted();
      latencies.push(performance.now() - started);
    }
    return latencies;
  }, moves);
}

/** tfjs' tensors on the page (its engine is global) and the JS heap after a full GC. */
async function memory(page: IJupyterLabPageFixture): Promise<Memory> {
  const heapBytes = await heapAfterGC(page);
  const tf = await page.evaluate(() => {
    const engine = (
      window as unknown as { _tfengine?: { memory(): { numTensors: number; numBytes: number } } }
    )._tfengine;
    return engine ? engine.memory() : null;
  });
  if (!tf) {
    // Only asked after an explorer has drawn, so tfjs must be there: never report 0 for
    // an engine that was not found.
    throw new Error('tfjs engine (window._tfengine) not found on the page');
  }
  return { tensors: tf.numTensors, tensorBytes: tf.numBytes, heapBytes };
}

async function runUpToExplorer(page: IJupyterLabPageFixture, notebook: string): Promise<void> {
  for (let i = 0; i <= EXPLORE_CELL[notebook]; i++) {
    await page.notebook.runCell(i);
  }
}

async function firstView(page: IJupyterLabPageFixture): Promise<FirstView> {
  return (await page.evaluate(
    () => (window as unknown as { c1eFirstView: Promise<unknown> }).c1eFirstView
  )) as FirstView;
}

/** Opens a notebook through JupyterLab's command (galata's file browser helper can stall after a reload). */
async function openNotebook(page: IJupyterLabPageFixture, file: string): Promise<void> {
  await page.evaluate(
    path =>
      (
        window as unknown as {
          jupyterapp: { commands: { execute(id: string, args: object): Promise<unknown> } };
        }
      ).jupyterapp.commands.execute('docmanager:open', { path }),
    file
  );
  await page.notebook.activate(path.basename(file));
  await expect(
    page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-cell').first()
  ).toBeVisible();
}

// One test per notebook: each starts from a fresh page and workspace (a reloaded page
// restores the notebooks a test opened before, which would compete with the next one).
const NOTEBOOKS = ['text.ipynb', 'dna.ipynb', 'basset.ipynb'];
const results: ViewsResult[] = [];

for (const notebook of NOTEBOOKS) {
  test(`first view, slider latency and memory: ${notebook}`, async ({ page, tmpPath }) => {
    writeBassetNotebook(path.join(SERVER_ROOT, tmpPath));
    const cold: FirstView[] = [];
    const warm: FirstView[] = [];
    for (let r = 0; r < COLD_RUNS; r++) {
      // A fresh page: the extension's code (tfjs, Vega) is not loaded yet.
      await reloadPage(page);
      await openNotebook(page, `${tmpPath}/${notebook}`);
      await watchFirstView(page);
      await runUpToExplorer(page, notebook);
      cold.push(await firstView(page));
    }
    for (let r = 0; r < WARM_RUNS; r++) {
      await watchFirstView(page);
      await runUpToExplorer(page, notebook);
      warm.push(await firstView(page));
    }
    // Let the maximization started with the view finish, then measure.
    await expect(page.locator('.c1e-maximize').first()).toHaveAttribute('data-state', 'done', {
      timeout: 120000
    });
    const before = await memory(page);
    const latencies = await sliderLatencies(page, MOVES);
    await expect(page.locator('.c1e-maximize').first()).toHaveAttribute('data-state', 'done', {
      timeout: 120000
    });
    const afterMoves = await memory(page);
    await page.evaluate(() =>
      (
        window as unknown as {
          jupyterapp: { commands: { execute(id: string): Promise<unknown> } };
        }
      ).jupyterapp.commands.execute('notebook:clear-all-cell-outputs')
    );
    await expect(page.locator('.c1e-explorer')).toHaveCount(0);
    await page.waitForTimeout(500); // the disposed output's worker and views wind down
    const afterClear = await memory(page);
    results.push({ notebook, cold, warm, latencies, before, afterMoves, afterClear });
    console.log(
      `${notebook}: cold ${cold.map(v => Math.round(v.interactive)).join(', ')} ms; warm ` +
        `${warm.map(v => Math.round(v.interactive)).join(', ')} ms; tensors ${before.tensors} → ` +
        `${afterMoves.tensors} → ${afterClear.tensors}`
    );
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(RESULTS, JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
  });
}
