/**
 * The dataset view of an explorer with a set of sequences: what each filter of the
 * explorer's layer responds to across the set (Basset's motifs), its JASPAR matches, a
 * gallery of every filter, and the sequences ranked by the selected filter. It follows the
 * explorer's layer and filter, and tells the explorer which filter or sequence to open.
 * The scan runs in its own worker, shows its progress and can be cancelled.
 */
import type { ExplorerPayload } from '../../protocol';
import { errorMessage } from '../../core/errors';
import { filterMotifsAsMotifs, toMeme } from '../../core/memeWrite';
import { element, embedSpec, isDarkTheme, type EmbedResult } from '../embed';
import { informationLogo, maxBits } from '../logo/information';
import { logoPictureUrl } from '../logo/picture';
import type { MotifScanner } from '../motifScanner';
import { forTests } from '../testHooks';
import type { ScanProgress, ScanResult } from '../worker/scanMessages';
import {
  bestMatchLabel,
  filterSummary,
  filterViewRows,
  galleryOrder,
  progressText,
  DATASET_DATABASES,
  GALLERY_SORTS,
  tableOrder,
  type DatasetDatabase,
  type GallerySort,
  type TableSort
} from './datasetRows';
import {
  DATASET_DATA,
  DATASET_LOGO_HEIGHT,
  datasetNames,
  datasetSpec,
  logoWidth,
  type DatasetRows,
  type DatasetSpecOptions
} from './datasetSpecs';
import { bestKmerTable, matchesTable, ngramTables, textTable } from './datasetTables';
import { galleryCards, markSelectedCard } from './galleryCards';

/** What the panel needs from its explorer. */
export interface DatasetHost {
  /** The explorer's payload, with its set (`payload.sequences`). */
  payload: ExplorerPayload;
  /** Starts the scan worker (once, on the first scan). */
  startScanner(): Promise<MotifScanner>;
  /** Selects a filter in the explorer's views (which calls `setFilter` back). */
  selectFilter(filter: number): void;
  /** Opens a sequence of the set in the per-sequence views. */
  openSequence(index: number): void;
  /** Width of the panel's views, in CSS pixels (the explorer's first). */
  width: number;
  /** Called when the panel's views have settled (a scan's result drawn). */
  settled(): void;
}

/** The choices a user makes in the panel; kept in the notebook. */
export interface DatasetSettings {
  threshold: number;
  /** JASPAR CORE: every matrix, the vertebrates', or no matching. */
  database: DatasetDatabase;
  gallerySort: GallerySort;
  tableSort: TableSort;
}

/** The settings of a new panel. */
export const DEFAULT_DATASET_SETTINGS: DatasetSettings = {
  threshold: 0.5,
  database: 'all',
  gallerySort: 'filter',
  tableSort: { column: null, descending: true }
};

/** What the panel is doing. */
type DatasetPhase = 'idle' | 'scanning' | 'done' | 'cancelled' | 'error';

/** The panel's one state; the DOM and the test marks are drawn from it. */
interface DatasetState {
  phase: DatasetPhase;
  layer: string | null;
  filter: number;
  /** The scan's result for `layer`, or null. */
  result: ScanResult | null;
  /** Why the last scan failed. */
  message: string;
  settings: DatasetSettings;
  /** Rows of the sequence table shown. */
  rowsShown: number;
  /** The sequence open in the per-sequence views. */
  opened: number;
}

/** The longest a task of painting gallery logos runs. */
const GALLERY_SLICE_MS = 30;

/** Rows the sequence table shows at first, and adds per click. */
const TABLE_PAGE = 25;

/** The dataset panel of one explorer. */
export class DatasetPanel {
  /** The root element. */
  readonly node: HTMLDivElement = element('div', 'c1e-dataset');
  private readonly thresholdInput = element('input', 'c1e-ds-threshold');
  private readonly databaseSelect = element('select', 'c1e-ds-database');
  private readonly gallerySelect = element('select', 'c1e-ds-gallery-sort');
  private readonly tableSelect = element('select', 'c1e-ds-table-sort');
  private readonly progress = element('progress', 'c1e-progress');
  private readonly status = element('span', 'c1e-ds-status');
  private readonly cancelButton = element('button', 'c1e-ds-cancel', 'Cancel');
  private readonly scanButton = element('button', 'c1e-ds-scan', 'Scan again');
  private readonly downloadButton = element('button', 'c1e-ds-download', 'Download motifs (MEME)');
  private readonly summary = element('div', 'c1e-ds-summary');
  private readonly chart = element('div', 'c1e-ds-chart');
  private readonly details = element('div', 'c1e-ds-details');
  private readonly gallery = element('div', 'c1e-ds-gallery');
  private readonly table = element('div', 'c1e-ds-table');
  private state: DatasetState;
  private scanner: Promise<MotifScanner> | undefined;
  private embedded: EmbedResult | undefined;
  /** Gallery paintings started; an older one stops at its next slice. */
  private galleryDraw = 0;
  /** Draws of the chart started; an older one that finishes late is dropped. */
  private generation = 0;
  private disposed = false;

  /**
   * Builds the panel; it scans nothing until `setLayer`.
   *
   * @param host - the explorer
   * @param saved - the settings the notebook kept, and the sequence open
   */
  constructor(
    private readonly host: DatasetHost,
    saved?: { settings?: DatasetSettings; opened?: number }
  ) {
    this.state = {
      phase: 'idle',
      layer: null,
      filter: 0,
      result: null,
      message: '',
      settings: saved?.settings ?? DEFAULT_DATASET_SETTINGS,
      rowsShown: TABLE_PAGE,
      opened: saved?.opened ?? 0
    };
    this.buildControls();
    const count = host.payload.sequences?.names.length ?? 0;
    const title = element('div', 'c1e-max-title', `Dataset: ${count} sequences`);
    const progressRow = element('div', 'c1e-max-progress');
    progressRow.append(
      this.progress,
      this.status,
      this.cancelButton,
      this.scanButton,
      this.downloadButton
    );
    const galleryTitle = element(
      'div',
      'c1e-ds-heading',
      'Every filter (click to open) · order by '
    );
    galleryTitle.appendChild(this.gallerySelect);
    const tableTitle = element(
      'div',
      'c1e-ds-heading',
      'Sequences (click to open in the views above) · order by '
    );
    tableTitle.appendChild(this.tableSelect);
    this.node.append(
      title,
      this.controlsRow(),
      progressRow,
      this.summary,
      this.chart,
      this.details,
      galleryTitle,
      this.gallery,
      tableTitle,
      this.table
    );
    this.render();
  }

  private buildControls(): void {
    const { settings } = this.state;
    this.thresholdInput.type = 'number';
    this.thresholdInput.min = '0.05';
    this.thresholdInput.max = '1';
    this.thresholdInput.step = '0.05';
    this.thresholdInput.value = String(settings.threshold);
    this.thresholdInput.addEventListener('change', () => {
      const value = Number(this.thresholdInput.value);
      if (Number.isFinite(value) && value > 0 && value <= 1) {
        this.changeSettings({ threshold: value }, true);
      } else {
        this.thresholdInput.value = String(this.state.settings.threshold);
      }
    });
    for (const database of DATASET_DATABASES) {
      this.databaseSelect.appendChild(option(database.value, database.label));
    }
    this.databaseSelect.value = settings.database;
    this.databaseSelect.addEventListener('change', () =>
      this.changeSettings({ database: this.databaseSelect.value as DatasetDatabase }, true)
    );
    for (const sort of GALLERY_SORTS) {
      this.gallerySelect.appendChild(option(sort.value, sort.label));
    }
    this.gallerySelect.value = settings.gallerySort;
    this.gallerySelect.addEventListener('change', () =>
      this.changeSettings({ gallerySort: this.gallerySelect.value as GallerySort }, false)
    );
    const columns = Object.keys(this.host.payload.sequences?.columns ?? {});
    const sorts: [string, string][] = [
      ['filter:desc', "the selected filter's largest activation, high first"],
      ['filter:asc', "the selected filter's largest activation, low first"],
      ...columns.flatMap((c, i): [string, string][] => [
        [`column:${i}:desc`, `${c}, high first`],
        [`column:${i}:asc`, `${c}, low first`]
      ])
    ];
    for (const [value, label] of sorts) {
      this.tableSelect.appendChild(option(value, label));
    }
    this.tableSelect.value = sortValue(settings.tableSort, columns);
    this.tableSelect.addEventListener('change', () => {
      const [kind, index, direction] = this.tableSelect.value.split(':');
      const column = kind === 'column' ? (columns[Number(index)] ?? null) : null;
      const descending = (kind === 'column' ? direction : index) === 'desc';
      this.changeSettings({ tableSort: { column, descending } }, false);
    });
    this.cancelButton.type = 'button';
    this.cancelButton.addEventListener('click', () => this.cancel());
    this.scanButton.type = 'button';
    this.scanButton.addEventListener('click', () => this.scan());
    this.downloadButton.type = 'button';
    this.downloadButton.addEventListener('click', () => this.download());
  }

  private controlsRow(): HTMLElement {
    const row = element('div', 'c1e-max-controls');
    const threshold = element(
      'label',
      'c1e-control',
      'Site threshold (Basset: mean + t × (max − mean)), t = '
    );
    threshold.appendChild(this.thresholdInput);
    const database = element('label', 'c1e-control', 'Match against ');
    database.appendChild(this.databaseSelect);
    row.append(threshold, database);
    return row;
  }

  /**
   * Follows the explorer's layer: scans the set for it (unless its scan is on screen).
   *
   * @param layer - the layer's name
   * @param filter - the selected filter
   */
  setLayer(layer: string, filter: number): void {
    if (layer === this.state.layer && this.state.result) {
      this.setFilter(filter);
      return;
    }
    this.state = { ...this.state, layer, filter, result: null };
    this.scan();
  }

  /**
   * Follows the explorer's filter: swaps its rows into the views.
   *
   * @param filter - the filter
   */
  setFilter(filter: number): void {
    if (filter === this.state.filter) {
      return;
    }
    this.state = { ...this.state, filter, rowsShown: TABLE_PAGE };
    // A filter of a layer whose scan is still to come (the explorer's layer changed first)
    // waits for that scan.
    if (filter < (this.state.result?.motifs.filters.length ?? 0)) {
      this.showFilter().catch(e => this.fail(e, 'The view of the filter failed'));
    }
  }

  /**
   * Notes which sequence the explorer shows (marked in the table).
   *
   * @param index - the sequence
   */
  setOpened(index: number): void {
    this.state = { ...this.state, opened: index };
    forTests.mark(this.node, { opened: String(index) });
    this.renderTable();
  }

  private changeSettings(change: Partial<DatasetSettings>, rescan: boolean): void {
    this.state = { ...this.state, settings: { ...this.state.settings, ...change } };
    if (rescan) {
      this.scan();
    } else {
      this.renderGallery();
      this.renderTable();
    }
  }

  private scan(): void {
    const { layer, settings } = this.state;
    if (layer === null || this.disposed) {
      return;
    }
    // The last scan of this layer stays on screen, dimmed, until the new one is in: clearing
    // a large gallery and table at once would be a long task of layout.
    this.state = { ...this.state, phase: 'scanning', message: '' };
    this.render();
    this.scanner ??= this.host.startScanner();
    const scanner = this.scanner;
    const request = {
      layer,
      threshold: settings.threshold,
      match: settings.database !== 'none',
      tax: settings.database === 'vertebrates' ? 'vertebrates' : null
    };
    scanner
      .then(s => s.scan(request, progress => this.showProgress(progress)))
      .then(result => {
        // null: superseded by a newer scan or cancelled, which drew its own state.
        if (result && !this.disposed && this.state.layer === layer) {
          this.state = { ...this.state, phase: 'done', result };
          this.render();
          return this.drawChart();
        }
        return undefined;
      })
      .catch((e: unknown) => {
        // The next scan starts a new worker: this one may have failed for good.
        void scanner.then(s => s.dispose()).catch(() => undefined);
        if (this.scanner === scanner) {
          this.scanner = undefined;
        }
        if (!this.disposed && this.state.layer === layer) {
          // The scan before is not of these settings: it goes.
          this.state = { ...this.state, result: null };
          this.fail(e, 'The scan failed');
        }
      });
  }

  private cancel(): void {
    void this.scanner?.then(s => s.cancel());
    // The scan before is not of these settings: it goes.
    this.state = { ...this.state, phase: 'cancelled', result: null };
    this.render();
  }

  /** Saves the filters' motifs as a MEME file, for the MEME suite, memelite or Tomtom. */
  private download(): void {
    const result = this.state.result;
    if (!result) {
      return;
    }
    const motifs = filterMotifsAsMotifs(result.motifs);
    if (motifs.length === 0) {
      this.status.textContent = 'No filter has enough sites for a motif to download.';
      return;
    }
    let text: string;
    try {
      text = toMeme(motifs, { alphabet: result.motifs.alphabet ?? undefined });
    } catch (e) {
      this.status.textContent = `Cannot write the motifs: ${errorMessage(e)}`;
      return;
    }
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    // The layer's name is the user's; only safe characters go into the file name.
    link.download = `${result.motifs.layer.name.replace(/[^\w.-]+/g, '_')}-motifs.meme`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  private showProgress(progress: ScanProgress): void {
    if (this.state.phase !== 'scanning') {
      return;
    }
    this.progress.max = progress.total;
    this.progress.value = progress.done;
    this.status.textContent = progressText(progress);
  }

  /** Draws everything but the chart from the state. */
  private render(): void {
    const { phase, result, message } = this.state;
    this.progress.hidden = phase !== 'scanning';
    this.cancelButton.hidden = phase !== 'scanning';
    this.scanButton.hidden = phase === 'scanning' || phase === 'idle';
    this.downloadButton.hidden = !(phase === 'done' && result?.motifs.kind === 'onehot');
    if (phase === 'scanning') {
      this.progress.removeAttribute('value');
      this.status.textContent = 'Starting the scan…';
    } else if (phase === 'cancelled') {
      this.status.textContent = 'Scan cancelled.';
    } else if (phase === 'error') {
      this.status.textContent = message;
    } else if (phase === 'done' && result) {
      const { scan, match } = result.millis;
      this.status.textContent =
        `Scanned ${result.motifs.names.length} sequences in ${(scan / 1000).toFixed(1)} s` +
        (result.matches ? ` · matched in ${(match / 1000).toFixed(1)} s` : '');
    } else {
      this.status.textContent = '';
    }
    this.status.classList.toggle('c1e-error', phase === 'error');
    this.node.classList.toggle('c1e-stale', phase === 'scanning' && result !== null);
    if (!result) {
      this.finalizeChart();
      this.summary.textContent = '';
      this.details.replaceChildren();
      this.gallery.replaceChildren();
      this.table.replaceChildren();
    }
    forTests.mark(this.node, { state: phase === 'idle' ? undefined : phase });
  }

  /** The selected filter's summary, tables and marks; the chart's rows are swapped in. */
  private async showFilter(): Promise<void> {
    const { result, filter } = this.state;
    if (!result) {
      return;
    }
    this.renderFilterText(result, filter);
    markSelectedCard(this.gallery.children, filter);
    this.renderTable();
    const embedded = this.embedded;
    if (embedded) {
      const rows = await this.chartRows(result, filter);
      // Unless the chart was replaced (another layer, a new scan) or another filter chosen
      // while the logo was painted.
      if (embedded !== this.embedded || filter !== this.state.filter) {
        return;
      }
      for (const name of datasetNames(this.specOptions(result))) {
        embedded.view.data(name, rows[name]);
      }
      await embedded.view.runAsync();
    }
    if (filter === this.state.filter) {
      this.markFilter(result, filter);
    }
  }

  private renderFilterText(result: ScanResult, filter: number): void {
    this.summary.textContent = `Filter ${filter} of ${result.motifs.layer.name}: ${filterSummary(result, filter)}`;
    const parts: HTMLElement[] = [];
    if (result.motifs.kind === 'onehot') {
      parts.push(matchesTable(result, filter));
      const kmers = bestKmerTable(result, filter);
      if (kmers) {
        parts.push(kmers);
      }
    } else if (result.motifs.kind === 'tokens') {
      parts.push(ngramTables(result, filter));
    }
    this.details.replaceChildren(...parts);
  }

  /** Rebuilds the gallery (a new result or order); its logos are painted a few at a time. */
  private renderGallery(): void {
    const { result, filter, settings } = this.state;
    if (!result) {
      return;
    }
    const draw = ++this.galleryDraw;
    const order = galleryOrder(result, settings.gallerySort);
    const { cards, paints } = galleryCards(result, order, filter, f => this.host.selectFilter(f));
    this.gallery.replaceChildren(...cards);
    // Each task paints for at most ~30 ms: no long task while 300 logos are painted.
    const paintFrom = (from: number): void => {
      if (draw !== this.galleryDraw || this.disposed) {
        return;
      }
      const until = performance.now() + GALLERY_SLICE_MS;
      let next = from;
      do {
        paints[next++]?.();
      } while (next < paints.length && performance.now() < until);
      if (next < paints.length) {
        setTimeout(() => paintFrom(next), 0);
      }
    };
    paintFrom(0);
  }

  private renderTable(): void {
    const { result, filter, settings, rowsShown, opened } = this.state;
    if (!result) {
      return;
    }
    const columns = this.host.payload.sequences?.columns ?? {};
    const names = Object.keys(columns);
    const order = tableOrder(result, filter, settings.tableSort, columns);
    const filters = result.motifs.filters.length;
    const shown = order.slice(0, rowsShown);
    const table = textTable(
      'c1e-sequences',
      ['rank', 'sequence', `filter ${filter}: largest activation`, ...names],
      shown.map((s, rank) => [
        String(rank + 1),
        result.motifs.names[s],
        result.motifs.maxima[s * filters + filter].toPrecision(4),
        ...names.map(n => formatValue(columns[n][s]))
      ])
    );
    const rows = table.tBodies[0].rows;
    shown.forEach((s, r) => {
      const row = rows[r];
      row.dataset.sequence = String(s);
      row.className = s === opened ? 'c1e-row c1e-row-opened' : 'c1e-row';
      row.addEventListener('click', () => this.host.openSequence(s));
    });
    const parts: HTMLElement[] = [table];
    if (order.length > rowsShown) {
      const more = element(
        'button',
        'c1e-ds-more',
        `Show ${Math.min(TABLE_PAGE, order.length - rowsShown)} more of ${order.length - rowsShown}`
      );
      more.type = 'button';
      more.addEventListener('click', () => {
        this.state = { ...this.state, rowsShown: rowsShown + TABLE_PAGE };
        this.renderTable();
      });
      parts.push(more);
    }
    this.table.replaceChildren(...parts);
  }

  /** The chart's rows for a filter, the logo painted for its current theme. */
  private async chartRows(result: ScanResult, filter: number): Promise<DatasetRows> {
    const channels = Array.from({ length: result.motifs.layer.inputChannels }, (_, c) => `ch${c}`);
    const rows = filterViewRows(result, filter, channels);
    const pfm = result.motifs.filters[filter].pfm;
    const alphabet = result.motifs.alphabet;
    if (pfm && alphabet) {
      const size = { width: logoWidth(this.host.width, pfm.length), height: DATASET_LOGO_HEIGHT };
      const picture = informationLogo(pfm, alphabet, isDarkTheme() ? 'dark' : 'light', size);
      rows[DATASET_DATA.logoPicture] = [{ url: await logoPictureUrl(picture) }];
    }
    return rows;
  }

  private specOptions(result: ScanResult): DatasetSpecOptions {
    const { kind, alphabet, windowSize } = result.motifs;
    return {
      width: this.host.width,
      shape: kind === 'numeric',
      logo:
        kind === 'onehot' && alphabet
          ? { positions: windowSize, bits: maxBits(alphabet.length) }
          : null
    };
  }

  /** Embeds the chart for the scan's result (a new layer or scan). */
  private async drawChart(): Promise<void> {
    const { result, filter } = this.state;
    if (!result) {
      return;
    }
    const generation = ++this.generation;
    try {
      this.renderFilterText(result, filter);
      this.renderGallery();
      this.renderTable();
      const spec = datasetSpec(await this.chartRows(result, filter), this.specOptions(result));
      if (generation !== this.generation || this.disposed) {
        return;
      }
      this.freeChart();
      const target = element('div', 'c1e-vega');
      this.chart.replaceChildren(target);
      const embedded = await embedSpec(target, spec);
      if (generation !== this.generation || this.disposed) {
        embedded.finalize();
        return;
      }
      this.embedded = embedded;
      if (this.state.filter !== filter) {
        await this.showFilter();
      } else {
        this.markFilter(result, filter);
      }
      this.host.settled();
    } catch (e) {
      this.fail(e, 'The dataset view could not be drawn');
    }
  }

  private fail(e: unknown, what: string): void {
    this.state = { ...this.state, phase: 'error', message: `${what}: ${errorMessage(e)}` };
    this.render();
  }

  private markFilter(result: ScanResult, filter: number): void {
    forTests.mark(this.node, {
      filterDrawn: String(filter),
      sites: String(result.motifs.filters[filter].sites),
      bestMatch: bestMatchLabel(result, filter)
    });
  }

  /** Redraws for a new theme. */
  redraw(): void {
    if (this.state.result) {
      void this.drawChart();
    }
  }

  /** The chart, for the notebook's picture. */
  get views(): EmbedResult['view'][] {
    return this.embedded ? [this.embedded.view] : [];
  }

  /**
   * What to keep in the notebook.
   *
   * @returns the settings
   */
  savedSettings(): DatasetSettings {
    return this.state.settings;
  }

  /** Whether a scan is under way: no time for a picture. */
  get busy(): boolean {
    return this.state.phase === 'scanning';
  }

  /** Drops the chart, and any draw of one under way. */
  private finalizeChart(): void {
    this.generation++;
    this.freeChart();
  }

  private freeChart(): void {
    this.embedded?.finalize();
    this.embedded = undefined;
    this.chart.replaceChildren();
  }

  /** Ends the scan worker and frees the chart. */
  dispose(): void {
    this.disposed = true;
    this.finalizeChart();
    void this.scanner?.then(s => s.dispose()).catch(() => undefined);
  }
}

function option(value: string, label: string): HTMLOptionElement {
  const o = element('option', '', label);
  o.value = value;
  return o;
}

function sortValue(sort: TableSort, columns: string[]): string {
  const direction = sort.descending ? 'desc' : 'asc';
  const index = sort.column === null ? -1 : columns.indexOf(sort.column);
  return index < 0 ? `filter:${direction}` : `column:${index}:${direction}`;
}

/** A column's value for people: whole numbers as they are, others to 4 significant digits. */
function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
