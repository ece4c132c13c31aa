/**
 * The explorer's DOM: a toolbar (layer, filter slider, status) above the linked Vega views.
 * tfjs and Vega are loaded on first use and cached.
 */
import {
  decodeSequenceSet,
  formatBytes,
  sequenceOfSet,
  type ExplorerPayload,
  type SequenceSetArrays
} from '../protocol';
import { DatasetPanel } from './dataset/datasetPanel';
import type { ExplorerData, LayerData } from './compute';
import { getSettings } from './settings';
import { MaximizationPanel } from './maximizationPanel';
import type { SavedView } from './savedView';
import { filterData, filterNote } from './explorerRows';
import { SIGNALS } from './explorerViews';
import { HEATMAP_RECT_LIMIT, explorerSpec, sequenceWidth } from './specs';
import { composePicture, element, embedSpec, type EmbedResult } from './embed';
import { heatmapImage } from './heatmapPicture';
import { forTests } from './testHooks';
import { errorMessage } from '../core/errors';

let computeModule: Promise<typeof import('./compute')> | undefined;

/**
 * The analysis code, with tfjs, loaded once.
 *
 * @returns the compute module
 */
export function loadCompute(): Promise<typeof import('./compute')> {
  return (computeModule ??= import('./compute.js'));
}

/** What an `ExplorerView` is told besides its payload. */
export interface ExplorerViewOptions {
  /**
   * Called whenever the views have settled after a change (first draw, filter or layer, a
   * maximization's result): the moment to take a new picture.
   */
  onSettled?: () => void;
  /** The view the notebook kept, shown first (its result without rerunning). */
  saved?: SavedView | null;
  /** The size of the output in the notebook, reported in the status line. */
  payloadBytes?: number;
}

/**
 * Where an explorer is: computing its analyses, drawn, or failed (its error stays on
 * screen, and no picture of it is taken).
 */
type ExplorerPhase = 'computing' | 'drawn' | 'failed';

/**
 * One explorer: owns its DOM, its Vega view and nothing else; `dispose` frees them.
 */
export class ExplorerView {
  /** The root element, to be attached by the owner. */
  readonly node: HTMLDivElement = element('div', 'c1e-explorer');
  private readonly toolbar = element('div', 'c1e-toolbar');
  private readonly layerSelect = element('select', 'c1e-layer');
  private readonly filterSlider = element('input', 'c1e-filter');
  private readonly filterLabel = element('span', 'c1e-filter-label');
  private readonly filterNote = element('span', 'c1e-filter-note');
  private readonly status = element(
    'div',
    'c1e-status',
    'Computing feature maps with TensorFlow.js…'
  );
  private readonly chart = element('div', 'c1e-chart');
  private data: ExplorerData | undefined;
  private layer: LayerData | undefined;
  private filter = 0;
  /** The range brushed on the activation line, kept across redraws of the same layer. */
  private brush: [number, number] | null = null;
  private embedded: EmbedResult | undefined;
  private panel: MaximizationPanel | undefined;
  /** The dataset view, for a payload with a set of sequences. */
  private dataset: DatasetPanel | undefined;
  /** The payload as the per-sequence views compute it: with the set's sequence opened. */
  private shown: ExplorerPayload;
  /** The set's sequence open (0 without a set), and the set, unpacked on first use. */
  private opened = 0;
  /** Sequences asked to open; an older request that finishes late is dropped. */
  private opening = 0;
  private setArrays: SequenceSetArrays | undefined;
  private generation = 0;
  private disposed = false;
  /**
   * Where the view is: computing its data, drawn, or failed (its error stays on screen, and
   * no redraw or picture replaces it). The test marks (`ready`, `error`) mirror it.
   */
  private phase: ExplorerPhase = 'computing';
  private readonly themeObserver = new MutationObserver(() => {
    void this.drawLayer();
    this.panel?.redraw();
    this.dataset?.redraw();
  });

  private readonly onSettled: () => void;
  private saved: SavedView | null;

  /**
   * @param payload - the decoded payload
   * @param options - see `ExplorerViewOptions`
   */
  constructor(
    private readonly payload: ExplorerPayload,
    private readonly options: ExplorerViewOptions = {}
  ) {
    this.onSettled = options.onSettled ?? (() => undefined);
    this.saved = options.saved ?? null;
    this.shown = payload;
    if (payload.title) {
      this.node.appendChild(element('div', 'c1e-title', payload.title));
    }
    const layerLabel = element('label', 'c1e-control', 'Layer ');
    layerLabel.appendChild(this.layerSelect);
    const filterLabel = element('label', 'c1e-control', 'Filter ');
    this.filterSlider.type = 'range';
    this.filterSlider.min = '0';
    this.filterSlider.step = '1';
    filterLabel.append(this.filterSlider, this.filterLabel, this.filterNote);
    this.toolbar.append(layerLabel, filterLabel);
    this.toolbar.hidden = true;
    // Arrow keys on the slider and select are ours, not the notebook's shortcuts.
    this.toolbar.dataset.lmSuppressShortcuts = 'true';
    this.toolbar.addEventListener('keydown', event => event.stopPropagation());
    this.node.append(this.toolbar, this.status, this.chart);
    this.layerSelect.addEventListener('change', () => {
      this.selectLayer(this.layerSelect.value, 0).catch(e => this.showError(e));
    });
    this.filterSlider.addEventListener('input', () => {
      void this.selectFilter(Number(this.filterSlider.value));
    });
    this.themeObserver.observe(document.body, {
      attributes: true,
      attributeFilter: ['data-jp-theme-light']
    });
  }

  /** Computes the analyses and draws the first view; errors are shown in place. */
  async start(): Promise<void> {
    try {
      const compute = await loadCompute();
      this.openSaved(this.saved?.dataset?.opened ?? 0);
      const data = await compute.analysePayload(this.shown, getSettings().backend);
      if (this.disposed) {
        return;
      }
      this.data = data;
      for (const l of data.layers) {
        const option = document.createElement('option');
        option.value = l.info.name;
        option.textContent = `${l.info.name} (${l.info.filters} filters × ${l.info.kernelSize}, ${l.info.activation})`;
        this.layerSelect.appendChild(option);
      }
      const saved = this.saved?.layer ? this.saved : null;
      const wanted = saved?.layer ?? this.payload.view.layer;
      const first = data.layers.find(l => l.info.name === wanted) ?? data.layers[0];
      this.toolbar.hidden = false;
      if (this.payload.sequences) {
        this.dataset = new DatasetPanel(
          {
            payload: this.payload,
            startScanner: async () =>
              (await loadCompute()).startMotifScanner(this.payload, getSettings().backend),
            selectFilter: filter => void this.selectFilter(filter),
            openSequence: index => {
              this.openSequence(index).catch(e => this.showError(e));
            },
            // Fixed: its pictures are painted at this width whichever sequence is open.
            width: sequenceWidth(data.symbols.length),
            settled: () => this.onSettled()
          },
          this.saved?.dataset
        );
        this.dataset.setOpened(this.opened);
        this.node.append(this.dataset.node);
      }
      this.panel = this.makePanel();
      this.node.append(this.panel.node);
      if (saved) {
        this.panel.applyControls(saved.controls);
      }
      await this.selectLayer(
        first.info.name,
        saved && first.info.name === saved.layer ? saved.filter : (this.payload.view.filter ?? 0)
      );
    } catch (e) {
      this.showError(e);
    }
  }

  /** The maximization panel, for the sequence shown. */
  private makePanel(): MaximizationPanel {
    const shown = this.shown;
    return new MaximizationPanel({
      payload: shown,
      startMaximizer: async () =>
        (await loadCompute()).startMaximizer(shown, getSettings().backend),
      selectFilter: filter => void this.selectFilter(filter, false),
      width: () => sequenceWidth(this.data?.symbols.length ?? 0),
      settled: () => this.onSettled()
    });
  }

  /** Before the first draw: the set's sequence the notebook kept open, if it is there. */
  private openSaved(index: number): void {
    const set = this.payload.sequences;
    if (set && index > 0 && index < set.names.length) {
      this.opened = index;
      this.shown = { ...this.payload, sequence: sequenceOfSet(this.unpackedSet(), index) };
    }
  }

  private unpackedSet(): SequenceSetArrays {
    return (this.setArrays ??= decodeSequenceSet(this.payload.sequences!));
  }

  /**
   * Opens a sequence of the set in the per-sequence views: computes its feature maps, and
   * gives the maximization a new panel for it (its "start from the sequence" is this one).
   *
   * @param index - the sequence
   */
  async openSequence(index: number): Promise<void> {
    const set = this.payload.sequences;
    if (!set || !this.layer || index === this.opened || this.disposed) {
      return;
    }
    const shown = { ...this.payload, sequence: sequenceOfSet(this.unpackedSet(), index) };
    const wanted = ++this.opening;
    this.status.textContent = `Computing the views of ${set.names[index]}…`;
    let data: ExplorerData;
    try {
      data = await (await loadCompute()).analysePayload(shown, getSettings().backend);
    } catch (e) {
      // The sequence cannot be shown; the one shown stays, with its views.
      this.status.textContent = `Cannot open ${set.names[index]}: ${errorMessage(e)}`;
      return;
    }
    const layer = this.layer;
    if (this.disposed || wanted !== this.opening || !layer) {
      return;
    }
    this.opened = index;
    this.shown = shown;
    this.data = data;
    this.dataset?.setOpened(index);
    const old = this.panel;
    this.panel = this.makePanel();
    if (old) {
      // The user's maximization settings carry over to the new sequence.
      this.panel.applyControls(old.savedState().controls);
      old.node.replaceWith(this.panel.node);
      old.dispose();
    } else {
      this.node.append(this.panel.node);
    }
    this.saved = null;
    // The layer shown now (it may have changed meanwhile) and the filter, on the new data.
    this.layer = undefined;
    await this.selectLayer(layer.info.name, this.filter);
  }

  private async selectLayer(name: string, filter: number): Promise<void> {
    const layer = this.data?.layers.find(l => l.info.name === name);
    if (!layer) {
      return;
    }
    // A saved brush belongs to the saved layer; another layer starts without one.
    this.brush = this.saved && this.saved.layer === name ? (this.saved.brush ?? null) : null;
    this.layer = layer;
    this.layerSelect.value = name;
    this.filterSlider.max = String(layer.info.filters - 1);
    this.setFilterControls(Math.min(Math.max(0, Math.floor(filter)), layer.info.filters - 1));
    await this.drawLayer();
    // Unless another layer was chosen while this one was drawn.
    if (this.layer === layer) {
      // The notebook's saved result is shown once, for the view it was saved with.
      this.panel?.setTarget(layer, this.filter, this.saved?.result);
      this.saved = null;
      this.dataset?.setLayer(name, this.filter);
    }
  }

  /** Keeps the brushed range the view reports (`{x: [from, to]}`, or empty when cleared). */
  private noteBrush(value: unknown): void {
    const range = (value as { x?: unknown } | null)?.x;
    this.brush =
      Array.isArray(range) && range.length === 2 && range.every(Number.isFinite)
        ? [Math.min(...(range as number[])), Math.max(...(range as number[]))]
        : null;
    forTests.mark(this.node, {
      brush: this.brush ? this.brush.map(v => v.toFixed(2)).join(' to ') : ''
    });
  }

  private setFilterControls(filter: number): void {
    this.filter = filter;
    this.filterSlider.value = String(filter);
    const note = this.layer ? filterNote(this.layer, filter) : '';
    this.filterLabel.textContent = ` ${filter} of ${this.layer ? this.layer.info.filters - 1 : 0}`;
    this.filterNote.textContent = note ? ` · ${note}` : '';
    forTests.mark(this.node, { filterNote: note });
  }

  /**
   * Selects a filter in every view; only a Vega signal changes, nothing is re-embedded.
   *
   * @param filter - the filter
   * @param maximize - whether to rerun the maximization for it (not when the panel asked)
   */
  async selectFilter(filter: number, maximize = true): Promise<void> {
    if (!this.layer || filter === this.filter) {
      return;
    }
    this.setFilterControls(filter);
    if (maximize) {
      this.panel?.setTarget(this.layer, filter);
    }
    this.dataset?.setFilter(filter);
    await this.showFilterRows(filter);
  }

  /** Swaps the filter's rows into the embedded view (if one is there) and draws them. */
  private async showFilterRows(filter: number): Promise<void> {
    const view = this.embedded?.view;
    if (!view || !this.layer || !this.data) {
      return;
    }
    const rows = filterData(this.layer, this.data.symbols.length, filter);
    for (const [name, values] of Object.entries(rows)) {
      view.data(name, values);
    }
    await view.runAsync();
    // Which filter the views show (unless a newer one was swapped in meanwhile): for tests
    // and the benchmark's slider latency.
    if (filter === this.filter) {
      forTests.mark(this.node, { filterDrawn: String(filter) });
      this.onSettled();
    }
  }

  private async drawLayer(): Promise<void> {
    const layer = this.layer;
    const data = this.data;
    if (!layer || !data || this.disposed || this.phase === 'failed') {
      return;
    }
    const generation = ++this.generation;
    try {
      const specFilter = this.filter;
      const large = layer.length * layer.info.filters > HEATMAP_RECT_LIMIT;
      const picture = large ? await heatmapImage(layer) : undefined;
      if (generation !== this.generation || this.disposed) {
        return;
      }
      const spec = explorerSpec(layer, data.symbols, {
        filter: specFilter,
        words: this.payload.sequence.kind === 'tokens',
        brush: this.brush,
        heatmapImage: picture
      });
      this.finalizeView();
      const target = element('div', 'c1e-vega');
      this.chart.replaceChildren(target);
      const result = await embedSpec(target, spec);
      if (generation !== this.generation || this.disposed) {
        result.finalize();
        return;
      }
      this.embedded = result;
      this.listenTo(result.view);
      this.status.textContent =
        statusText(layer, data, this.options.payloadBytes) + this.openedText();
      this.showDrawn(data.backend);
      if (this.filter !== specFilter) {
        // The slider moved while the view was embedded.
        await this.showFilterRows(this.filter);
      } else {
        forTests.mark(this.node, { filterDrawn: String(specFilter) });
        this.onSettled();
      }
    } catch (e) {
      this.showError(e);
    }
  }

  /** Which sequence of the set the views show, for the status line. */
  private openedText(): string {
    const set = this.payload.sequences;
    return set
      ? ` · sequence ${set.names[this.opened]} (${this.opened + 1} of ${set.names.length})`
      : '';
  }

  /** Follows the embedded view's selections: a picked filter, the brush, a picked position. */
  private listenTo(view: EmbedResult['view']): void {
    view.addSignalListener(SIGNALS.pick, (_name, value) => {
      const picked = (value as { f?: unknown[] } | null)?.f?.[0];
      if (typeof picked === 'number') {
        void this.selectFilter(picked);
      }
    });
    // The brush as Vega has it (a saved one included), then every change to it.
    this.noteBrush(view.signal(SIGNALS.brush));
    view.addSignalListener(SIGNALS.brush, (_name, value) => {
      this.noteBrush(value);
      this.onSettled();
    });
    view.addSignalListener(SIGNALS.position, (_name, value) => {
      const picked = (value as { p?: unknown[] } | null)?.p?.[0];
      if (typeof picked === 'number' && this.layer) {
        this.panel?.pickPosition(picked);
      }
    });
  }

  /** Notes a successful draw (a failed view stays failed: its error stays on screen). */
  private showDrawn(backend: string): void {
    if (this.phase !== 'failed') {
      this.phase = 'drawn';
    }
    forTests.mark(this.node, { backend, ready: 'true' });
  }

  private showError(e: unknown): void {
    this.finalizeView();
    this.toolbar.hidden = true;
    this.chart.replaceChildren();
    this.status.className = 'c1e-status c1e-error';
    this.status.textContent = `conv1d-explorer cannot show this output: ${errorMessage(e)}`;
    this.phase = 'failed';
    forTests.mark(this.node, { error: 'true' });
  }

  private finalizeView(): void {
    this.embedded?.finalize();
    this.embedded = undefined;
  }

  /**
   * What to keep in the notebook: the layer, filter and maximization shown now.
   *
   * @returns the view, or null before the first draw
   */
  savedView(): SavedView | null {
    if (!this.layer || !this.panel || this.disposed) {
      return null;
    }
    return {
      version: 1,
      layer: this.layer.info.name,
      filter: this.filter,
      // Left out when there is none, so views saved before brushes were kept read the same.
      ...(this.brush ? { brush: this.brush } : {}),
      ...this.panel.savedState(),
      ...(this.dataset
        ? { dataset: { opened: this.opened, settings: this.dataset.savedSettings() } }
        : {})
    };
  }

  /** Whether the views are about to change (a maximization runs): no time for a picture. */
  get busy(): boolean {
    return (this.panel?.busy ?? false) || (this.dataset?.busy ?? false);
  }

  /**
   * A picture of everything drawn now: the explorer's views, then the maximization's.
   *
   * @returns a PNG, base64, or null before the first draw or after an error
   */
  async picture(): Promise<string | null> {
    const main = this.embedded?.view;
    if (!main || this.disposed || this.phase === 'failed') {
      return null;
    }
    return composePicture([main, ...(this.dataset?.views ?? []), ...(this.panel?.views ?? [])]);
  }

  /** Frees the Vega views, ends the maximization worker and stops listening to the theme. */
  dispose(): void {
    this.disposed = true;
    this.themeObserver.disconnect();
    this.finalizeView();
    this.panel?.dispose();
    this.dataset?.dispose();
  }
}

/** The status line under the toolbar: where and how fast the analyses ran, the layer. */
function statusText(layer: LayerData, data: ExplorerData, payloadBytes?: number): string {
  const { info } = layer;
  return (
    `Computed with TensorFlow.js on the ${data.backend} backend in ${Math.round(data.millis)} ms · ` +
    `layer ${info.name}: ${info.filters} filters, kernel ${info.kernelSize}, ` +
    `stride ${info.strides}, dilation ${info.dilationRate}, ${info.padding} padding, ` +
    `${layer.length} output positions` +
    (payloadBytes ? ` · output ${formatBytes(payloadBytes)}` : '')
  );
}
