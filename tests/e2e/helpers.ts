/** What the end-to-end tests share: example files on the server, error watching, running a notebook. */
import * as fs from 'fs';
import * as path from 'path';
import { expect, type IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator, Page } from '@playwright/test';
import { SERVER_ROOT } from './paths';

export const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
export const ARTIFACTS = path.join(__dirname, 'artifacts');
export const MIME = 'application/vnd.conv1d-explorer.v1+json';

/** Puts the example notebooks, their models and data in the test's folder on the server. */
export function copyExamples(tmpPath: string): void {
  const dir = path.join(SERVER_ROOT, tmpPath);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(EXAMPLES).filter(f => f.endsWith('.ipynb'))) {
    fs.copyFileSync(path.join(EXAMPLES, f), path.join(dir, f));
  }
  fs.cpSync(path.join(EXAMPLES, 'models'), path.join(dir, 'models'), { recursive: true });
  fs.cpSync(path.join(EXAMPLES, 'data'), path.join(dir, 'data'), { recursive: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}

/**
 * Notebook 7.6.5's keyboard-shortcut settings handler throws this on every page load, with
 * or without this extension installed (checked with it disabled); all its frames are
 * Notebook's own bundle.
 */
function isNotebook7ShortcutsError(e: Error): boolean {
  return (
    e.message === "Cannot read properties of undefined (reading 'schema')" &&
    (e.stack ?? '')
      .split('\n')
      .slice(1)
      .every(line => /notebook_core\.|^\s*at async Promise\.all/.test(line))
  );
}

/** Collects page errors and console errors, which must stay empty. */
export function watchErrors(page: Pick<Page, 'on'>): string[] {
  const errors: string[] = [];
  page.on('pageerror', e => {
    if (!isNotebook7ShortcutsError(e)) {
      errors.push(`pageerror: ${e.message}`);
    }
  });
  page.on('console', m => {
    if (m.type() === 'error' && !/favicon|Failed to load resource/.test(m.text())) {
      errors.push(`console: ${m.text()}`);
    }
  });
  return errors;
}

export async function runNotebook(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  name: string
): Promise<Locator> {
  await page.notebook.openByPath(`${tmpPath}/${name}`);
  await page.notebook.activate(name);
  await page.notebook.run();
  const explorer = page.locator('.c1e-explorer').first();
  await expect(explorer).toHaveAttribute('data-ready', 'true', { timeout: 90000 });
  return explorer;
}

/**
 * The view an explorer output keeps in the open notebook's model (its output metadata),
 * as it will be saved; null while there is none.
 *
 * @param page - the JupyterLab page, its notebook active
 * @param cell - the index of the cell whose output to read
 */
export async function keptView(page: IJupyterLabPageFixture, cell: number): Promise<unknown> {
  return page.evaluate(index => {
    type Outputs = { length: number; get(i: number): { metadata: Record<string, unknown> } };
    const app = (
      window as unknown as {
        jupyterapp: {
          shell: {
            currentWidget: {
              content: { model: { cells: { get(i: number): { outputs: Outputs } } } };
            };
          };
        };
      }
    ).jupyterapp;
    const outputs = app.shell.currentWidget.content.model.cells.get(index).outputs;
    for (let k = 0; k < outputs.length; k++) {
      const view = outputs.get(k).metadata['conv1d-explorer'];
      if (view) {
        return view;
      }
    }
    return null;
  }, cell);
}

/**
 * Loads the page afresh, as a user reloading the browser tab, and waits until JupyterLab
 * has restored its layout (the notebooks that were open come back).
 *
 * @param page - the JupyterLab page
 */
export async function reloadPage(page: IJupyterLabPageFixture): Promise<void> {
  // galata's reload (JupyterLabPage.reload) takes this option, which the fixture's type
  // omits; its readiness check would wait for a Launcher tab that a restored layout lacks.
  await (
    page as unknown as { reload(options: { waitForIsReady: boolean }): Promise<unknown> }
  ).reload({ waitForIsReady: false });
  await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
  await page.evaluate(
    () => (window as unknown as { jupyterapp: { restored: Promise<void> } }).jupyterapp.restored
  );
}

/**
 * Drags across an explorer's activation line (the second chart, 220 px below the top of its
 * canvas) from one fraction of its width to another: a brushed range.
 *
 * @param page - the JupyterLab page
 * @param explorer - the explorer
 * @param from - where the drag starts, as a fraction of the chart's width
 * @param to - where it ends
 */
export async function brushActivationLine(
  page: IJupyterLabPageFixture,
  explorer: Locator,
  from: number,
  to: number
): Promise<void> {
  const chart = explorer.locator('.c1e-chart .c1e-vega canvas');
  await chart.scrollIntoViewIfNeeded();
  const box = (await chart.boundingBox())!;
  const y = box.y + 220;
  await page.mouse.move(box.x + box.width * from, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to, y, { steps: 10 });
  await page.mouse.up();
}

/** A code cell of a notebook, not run yet. */
export function codeCell(source: string): object {
  return { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source };
}

/**
 * Writes a tslab notebook of code cells.
 *
 * @param file - where, on the server's disk
 * @param sources - one source per cell
 */
export function writeNotebook(file: string, sources: string[]): void {
  const notebook = {
    cells: sources.map(codeCell),
    metadata: {
      kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' }
    },
    nbformat: 4,
    nbformat_minor: 5
  };
  fs.writeFileSync(file, JSON.stringify(notebook, null, 1));
}

/** The DNA example model's own example sequence (examples/models/dna/info.json). */
export function dnaExample(): string {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'models', 'dna', 'info.json'), 'utf8'))
    .example;
}

/**
 * The page's JS heap after full garbage collections.
 *
 * @param page - the JupyterLab page
 * @returns used heap bytes
 */
export async function heapAfterGC(page: IJupyterLabPageFixture): Promise<number> {
  // The fixture wraps Playwright's page; CDP wants the page itself.
  const raw = (page as unknown as { page: Page }).page;
  const cdp = await page.context().newCDPSession(raw);
  // Twice: the first collection can leave what finalizers free for the second.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return heap.usedSize;
}

/**
 * Runs one cell of the active notebook through JupyterLab's own command and waits until
 * the kernel has run it (an error included). tslab aborts requests that arrive just after a
 * cell failed (as IPython does with `stop_on_error`): an aborted cell gets no execution
 * count and is sent again.
 *
 * @param page - the JupyterLab page, its notebook active
 * @param index - the cell's index
 */
export async function executeCell(page: IJupyterLabPageFixture, index: number): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const count = await page.evaluate(async i => {
      type Notebook = {
        activeCellIndex: number;
        deselectAll(): void;
        model: { cells: { get(i: number): { executionCount: number | null } } };
      };
      const app = (
        window as unknown as {
          jupyterapp: {
            shell: { currentWidget: { content: Notebook } };
            commands: { execute(id: string): Promise<unknown> };
          };
        }
      ).jupyterapp;
      const notebook = app.shell.currentWidget.content;
      notebook.activeCellIndex = i;
      notebook.deselectAll(); // run this cell alone
      await app.commands.execute('notebook:run-cell'); // resolves with the kernel's reply
      return notebook.model.cells.get(i).executionCount;
    }, index);
    if (count !== null) {
      return;
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`Cell ${index} was not run: the kernel aborted it 20 times.`);
}

/**
 * Shuts every kernel of the server down and waits until none runs.
 *
 * @param page - the JupyterLab page
 */
export async function shutDownKernels(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(() =>
    (
      window as unknown as {
        jupyterapp: { serviceManager: { sessions: { shutdownAll(): Promise<void> } } };
      }
    ).jupyterapp.serviceManager.sessions.shutdownAll()
  );
  await expect.poll(() => page.kernel.isAnyRunning(), { timeout: 60000 }).toBe(false);
}
