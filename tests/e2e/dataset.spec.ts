/**
 * The dataset view, end to end: examples/motifs.ipynb runs in a real tslab kernel, the
 * browser scans the 1000 held-out sequences in its worker, matches the motifs in JASPAR,
 * follows the layer and filter, opens a filter from the gallery and a sequence from the
 * table, cancels a scan, and after saving, shutting the kernel down and reloading, shows
 * the same sequence and settings again, with no kernel.
 */
import * as fs from 'fs';
import * as path from 'path';
import { expect, test } from '@jupyterlab/galata';
import {
  ARTIFACTS,
  copyExamples,
  keptView,
  reloadPage,
  runNotebook,
  shutDownKernels,
  watchErrors
} from './helpers';
import { SERVER_ROOT } from './paths';

test.use({ autoGoto: true });
test.beforeEach(({ tmpPath }) => copyExamples(tmpPath));

/** The explorer's cell in motifs.ipynb. */
const EXPLORE_CELL = 2;

test('the dataset view scans the set, links to the filter and opens sequences; reopened without a kernel it shows them again', async ({
  page,
  tmpPath
}) => {
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  const explorer = await runNotebook(page, tmpPath, 'motifs.ipynb');
  const dataset = explorer.locator('.c1e-dataset');
  await expect(dataset).toHaveAttribute('data-state', 'done', { timeout: 120000 });
  await expect(dataset.locator('.c1e-max-title')).toHaveText('Dataset: 1000 sequences');
  await expect(dataset.locator('.c1e-ds-status')).toContainText(
    /Scanned 1000 sequences in [\d.]+ s · matched in [\d.]+ s/
  );
  await expect(dataset).toHaveAttribute('data-filter-drawn', '0');
  // Filter 0 has sites and a best match.
  const sites = Number(await dataset.getAttribute('data-sites'));
  expect(sites).toBeGreaterThan(10);
  await expect(dataset).toHaveAttribute('data-best-match', /q=/);
  // The N runs of every 40th sequence are skipped, and said so.
  await expect(dataset.locator('.c1e-ds-summary')).toContainText(/with an unknown symbol/);
  // A card per filter, with a painted logo (ink on its canvas) for each filter with a motif.
  await expect(dataset.locator('.c1e-card')).toHaveCount(8);
  const ink = await dataset
    .locator('.c1e-card-logo')
    .first()
    .evaluate(canvas => {
      const c = canvas as HTMLCanvasElement;
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) painted += pixels[i] > 0 ? 1 : 0;
      return painted / (c.width * c.height);
    });
  expect(ink).toBeGreaterThan(0.05);
  await dataset.screenshot({ path: path.join(ARTIFACTS, 'dataset-view.png') });

  // The filter slider moves the dataset view too.
  await explorer.locator('input.c1e-filter').focus();
  await page.keyboard.press('ArrowRight');
  await expect(dataset).toHaveAttribute('data-filter-drawn', '1');
  await expect(dataset.locator('.c1e-sequences th').nth(2)).toHaveText(
    'filter 1: largest activation'
  );
  // examples/models/dna: filter 2 learned the E-box, filters 0, 4, 6 and 7 the TATA box. Their
  // motifs, trimmed of uninformative ends as Basset's -t does, match E-box bHLH factors and TBP.
  const bhlh = /HES|HEY|HIF|MYC|MAX|MNT|MLX|USF|ARNT|TFE|MITF|CLOCK|BHLH|NPAS|PIF/i;
  await expect(dataset.locator('.c1e-card[data-filter="2"] .c1e-card-match')).toContainText(bhlh);
  for (const tata of ['0', '4', '6', '7']) {
    await expect(dataset.locator(`.c1e-card[data-filter="${tata}"] .c1e-card-match`)).toContainText(
      'TBP'
    );
  }
  // A click on a card opens that filter everywhere.
  await dataset.locator('.c1e-card[data-filter="2"]').click();
  await expect(explorer.locator('.c1e-filter-label')).toHaveText(' 2 of 7');
  await expect(dataset).toHaveAttribute('data-filter-drawn', '2');
  await expect(dataset.locator('.c1e-card-selected')).toHaveAttribute('data-filter', '2');
  await expect(dataset.locator('.c1e-ds-summary')).toContainText(/consensus \w*CACGTG/);
  const factors = await dataset.locator('.c1e-matches tbody tr td:first-child').allTextContents();
  expect(factors.slice(0, 3).every(f => bhlh.test(f))).toBe(true);
  // The table ranks the sequences by the filter, strongest first.
  const ranked = (
    await dataset.locator('.c1e-sequences tbody td:nth-child(3)').allTextContents()
  ).map(Number);
  expect(ranked).toHaveLength(25);
  expect([...ranked].sort((a, b) => b - a)).toEqual(ranked);
  // Ordered by the label column instead: the positives first.
  await dataset.locator('select.c1e-ds-table-sort').selectOption({ label: 'label, high first' });
  await expect(dataset.locator('.c1e-sequences tbody tr').first().locator('td').nth(3)).toHaveText(
    '1'
  );
  // A click on a row opens that sequence in the per-sequence views.
  const row = dataset.locator('.c1e-sequences tbody tr').nth(4);
  const opened = (await row.getAttribute('data-sequence'))!;
  const name = (await row.locator('td').nth(1).textContent())!;
  await row.click();
  await expect(dataset).toHaveAttribute('data-opened', opened);
  await expect(explorer.locator('.c1e-status')).toContainText(
    `sequence ${name} (${Number(opened) + 1} of 1000)`,
    { timeout: 60000 }
  );
  await expect(explorer).toHaveAttribute('data-filter-drawn', '2');
  await expect(dataset.locator('.c1e-row-opened')).toHaveAttribute('data-sequence', opened);
  const panel = explorer.locator('.c1e-maximize');
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 60000 });

  // A new threshold rescans; a scan can be cancelled, and scanned again.
  await dataset.locator('input.c1e-ds-threshold').fill('0.6');
  await dataset.locator('input.c1e-ds-threshold').press('Tab');
  // The scan and its matching take about 2 s here: time to cancel it.
  await expect(dataset).toHaveAttribute('data-state', 'scanning');
  await dataset.locator('button.c1e-ds-cancel').click();
  await expect(dataset).toHaveAttribute('data-state', 'cancelled');
  // The scan before went with the cancel: it was not of this threshold.
  await expect(dataset.locator('.c1e-ds-status')).toHaveText('Scan cancelled.');
  await expect(dataset).not.toHaveClass(/c1e-stale/);
  await expect(dataset.locator('.c1e-card')).toHaveCount(0);
  await dataset.locator('button.c1e-ds-scan').click();
  await expect(dataset).toHaveAttribute('data-state', 'done', { timeout: 120000 });
  await expect(dataset).not.toHaveClass(/c1e-stale/);
  await expect(dataset.locator('.c1e-ds-summary')).toContainText('Filter 2 of motif_scan');

  // The motifs download as a MEME file.
  const download = page.waitForEvent('download');
  await dataset.locator('button.c1e-ds-download').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('motif_scan-motifs.meme');
  const meme = fs.readFileSync((await file.path())!, 'utf8');
  expect(meme).toMatch(/^MEME version 5/);
  expect(meme).toContain('MOTIF motif_scan_f0');

  // Kept in the notebook: the sequence open and the settings.
  await expect
    .poll(() => keptView(page, EXPLORE_CELL), { timeout: 30000 })
    .toMatchObject({
      filter: 2,
      dataset: { opened: Number(opened), settings: { threshold: 0.6 } }
    });
  await page.notebook.save();
  await shutDownKernels(page);
  await reloadPage(page);
  const reopened = page.locator('.c1e-explorer').first();
  await expect(reopened).toHaveAttribute('data-ready', 'true', { timeout: 90000 });
  const reopenedSet = reopened.locator('.c1e-dataset');
  await expect(reopenedSet).toHaveAttribute('data-state', 'done', { timeout: 120000 });
  await expect(reopenedSet).toHaveAttribute('data-opened', opened);
  await expect(reopened.locator('.c1e-status')).toContainText(`sequence ${name}`);
  await expect(reopenedSet.locator('input.c1e-ds-threshold')).toHaveValue('0.6');
  await expect(reopenedSet).toHaveAttribute('data-filter-drawn', '2');
  // Interactive with no kernel at all: another sequence opens.
  await shutDownKernels(page);
  const other = reopenedSet.locator('.c1e-sequences tbody tr').nth(0);
  const otherIndex = (await other.getAttribute('data-sequence'))!;
  await other.click();
  await expect(reopenedSet).toHaveAttribute('data-opened', otherIndex);
  await expect(reopened.locator('.c1e-status')).toContainText(
    `(${Number(otherIndex) + 1} of 1000)`,
    {
      timeout: 60000
    }
  );
  // The layer select rescans the set for the other layer (behind pooling: wider windows).
  await reopened.locator('select.c1e-layer').selectOption('motif_pairs');
  await expect(reopenedSet.locator('.c1e-ds-summary')).toContainText('Filter 0 of motif_pairs', {
    timeout: 120000
  });
  await expect(reopenedSet).toHaveAttribute('data-state', 'done');
  await expect(reopenedSet.locator('.c1e-card')).toHaveCount(8);
  const saved = path.join(SERVER_ROOT, tmpPath, 'motifs.ipynb');
  expect(fs.statSync(saved).size).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
