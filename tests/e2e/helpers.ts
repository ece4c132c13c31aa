/** What the end-to-end tests share: example files on the server, error watching, running a notebook. */
import * as fs from 'fs';
import * as path from 'path';
import { expect, type IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { Locator } from '@playwright/test';
import { SERVER_ROOT } from './paths';

export const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
export const ARTIFACTS = path.join(__dirname, 'artifacts');
export const MIME = 'application/vnd.conv1d-explorer.v1+json';

/** Puts the example notebooks and their models in the test's folder on the server. */
export function copyExamples(tmpPath: string): void {
  const dir = path.join(SERVER_ROOT, tmpPath);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(EXAMPLES).filter(f => f.endsWith('.ipynb'))) {
    fs.copyFileSync(path.join(EXAMPLES, f), path.join(dir, f));
  }
  fs.cpSync(path.join(EXAMPLES, 'models'), path.join(dir, 'models'), { recursive: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}

/** Collects page errors and console errors, which must stay empty. */
export function watchErrors(page: IJupyterLabPageFixture): string[] {
  const errors: string[] = [];
  page.on('pageerror', e => errors.push(`pageerror: ${e.message}`));
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
