/**
 * The renderer under a Content-Security-Policy without 'unsafe-eval' (and without inline
 * script), in headless Chromium, on hostile payloads: nothing evaluates a string as code,
 * nothing from the payload becomes markup, and the explorer and its maximization worker
 * still work. JupyterLab itself needs 'unsafe-eval' (its settings validation compiles JSON
 * schemas to functions), so the extension's renderer runs here on a page of its own.
 */
import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';
import { expect, test, type Page } from '@playwright/test';
import { buildStandalonePage, serveWithPolicy } from './standalone/build';
import {
  HOSTILE,
  hostileAlphabetOutput,
  hostileTextOutput,
  longestSequenceOutput,
  renamedLayerOutput
} from './standalone/payloads';
import { ARTIFACTS } from './helpers';

/** No 'unsafe-eval', no inline script; wasm compilation is allowed for tfjs' wasm backend. */
const POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self'",
  "connect-src 'self'"
].join('; ');

let dir: string;
let server: Awaited<ReturnType<typeof serveWithPolicy>>;

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c1e-csp-'));
  await buildStandalonePage(dir);
  const text = await hostileTextOutput();
  const outputs = [text, await hostileAlphabetOutput(), renamedLayerOutput(text)];
  fs.writeFileSync(path.join(dir, 'payloads.json'), JSON.stringify(outputs));
  fs.writeFileSync(path.join(dir, 'long.json'), JSON.stringify([await longestSequenceOutput()]));
  server = await serveWithPolicy(dir, POLICY);
});

test.afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Console errors, page errors, failed requests and dialogs (dismissed): all must stay empty. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', m => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', e => problems.push(`pageerror: ${e.message}`));
  page.on('response', r => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
  page.on('dialog', d => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return problems;
}

test('hostile payloads render as text under a CSP without unsafe-eval; nothing runs', async ({
  page
}) => {
  test.setTimeout(120000);
  const problems = watchProblems(page);
  // Every violation of the policy (an eval, an inline handler) is reported as an event.
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', e =>
      w.__violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`)
    );
  });
  await page.goto(server.url);
  await expect(page.locator('body')).toHaveAttribute('data-rendered', '3', { timeout: 60000 });

  const [text, alphabet, renamed] = [0, 1, 2].map(i => page.locator('.output').nth(i));
  await expect(text.locator('.c1e-explorer')).toHaveAttribute('data-ready', 'true');
  await expect(alphabet.locator('.c1e-explorer')).toHaveAttribute('data-ready', 'true');
  // Titles are text: the markup is shown, not parsed.
  await expect(text.locator('.c1e-title')).toHaveText(HOSTILE.title);
  await expect(alphabet.locator('.c1e-title')).toHaveText(HOSTILE.expression);
  // tfjs refuses a layer name that is not a tensor name; the refusal shows it as text.
  await expect(renamed.locator('.c1e-error')).toContainText(HOSTILE.word);

  // Computed with wasm on the page and in the maximization worker, under the policy (a
  // blocked wasm compile would fall back to the cpu backend).
  await expect(text.locator('.c1e-explorer')).toHaveAttribute('data-backend', 'wasm');
  const panel = text.locator('.c1e-maximize');
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 60000 });
  await expect(panel.locator('.c1e-max-status')).toContainText('wasm backend, in a Web Worker');
  await expect(alphabet.locator('.c1e-maximize')).toHaveAttribute('data-state', 'done', {
    timeout: 60000
  });

  // The tooltip over a hostile word shows it as text (vega-tooltip escapes HTML): sweep the
  // pointer down the explorer's first column (the first word is the hostile title).
  const canvas = text.locator('.c1e-chart canvas').first();
  const box = (await canvas.boundingBox())!;
  const tooltip = page.locator('#vg-tooltip-element');
  let shown = '';
  for (let y = box.y + 5; y < box.y + box.height && !shown.includes(HOSTILE.title); y += 6) {
    await page.mouse.move(box.x + box.width * 0.12, y);
    await page.waitForTimeout(20);
    shown = (await tooltip.isVisible()) ? ((await tooltip.textContent()) ?? '') : '';
  }
  expect(shown).toContain(HOSTILE.title);
  expect(await tooltip.locator('img, script').count()).toBe(0);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'csp-hostile.png'), fullPage: true });

  // No markup from the payload: no image, no script, no javascript: link (vega-embed's own
  // menu links are data: and https: URLs).
  expect(
    await page.locator('.output img, .output script, .output a[href^="javascript:"]').count()
  ).toBe(0);
  expect(
    await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)
  ).toEqual([]);
  expect(problems).toEqual([]);
  // Violations in workers are reported to the server (report-uri) only: none either. And the
  // reports do arrive: an inline script, which the policy forbids, is reported.
  await page.waitForTimeout(500);
  expect(server.reports).toEqual([]);
  await page.addScriptTag({ content: 'window.inline = 1;' }).catch(() => undefined);
  await expect.poll(() => server.reports.length, { timeout: 10000 }).toBe(1);
  expect(server.reports[0]).toContain('script-src');
  server.reports.length = 0;
});

test('the longest sequence the explorer takes (10 000 positions) renders, follows the slider and maximizes', async ({
  page
}) => {
  test.setTimeout(120000);
  const problems = watchProblems(page);
  await page.goto(`${server.url}?payloads=long.json`);
  const explorer = page.locator('.c1e-explorer');
  await expect(explorer).toHaveAttribute('data-ready', 'true', { timeout: 60000 });
  await expect(explorer.locator('.c1e-status')).toContainText('9992 output positions');
  await page.locator('input.c1e-filter').focus();
  await page.keyboard.press('ArrowRight');
  await expect(explorer).toHaveAttribute('data-filter-drawn', '1', { timeout: 30000 });
  await expect(explorer.locator('.c1e-maximize')).toHaveAttribute('data-state', 'done', {
    timeout: 90000
  });
  await expect(explorer.locator('.c1e-max-status')).toContainText('Maximized filter 1 of scan');
  await page.screenshot({ path: path.join(ARTIFACTS, 'longest-sequence.png') });
  expect(problems).toEqual([]);
});
