/**
 * The explorer's activation-maximization panel: sliders for the hyperparameters, the
 * objective and the start, a progress bar, one filter's result views and the gallery of a
 * batched run over every filter. The work runs in a Web Worker (see maximizer.ts); every
 * change starts a new run, which supersedes the one in flight.
 */
import { MAXIMIZATION_DEFAULTS, TUTORIAL_PRESET } from '../core/maximize';
import { rowConsensus } from '../core/pwm';
import type { ExplorerPayload } from '../protocol';
import type { LayerData } from './compute';
import { element, embedSpec, paintPicture, type EmbedResult } from './embed';
import {
  GALLERY_PICK,
  MAX_DATA,
  drawnData,
  flatInput,
  galleryValues,
  gallerySpec,
  maximizationRows,
  maximizationSpec,
  type MaximizationLabels,
  type MaximizationRows
} from './maximizationSpecs';
import type { Maximizer } from './maximizer';
import { restoreResult, saveResult, type SavedControls, type SavedResult } from './savedView';
import type { RunRequest, RunSnapshot, StartPoint } from './worker/messages';
import { errorMessage } from '../core/errors';

/** The values the sliders step through. */
export const SLIDER_VALUES = {
  iterations: [10, 20, 50, 100, 200, 300, 500, 1000, 2000],
  learningRate: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3],
  l2: [0, 1e-5, 1e-4, 3e-4, 0.001, 0.003, 0.01, 0.03, 0.1, 1]
} as const;

type SliderName = keyof typeof SLIDER_VALUES;

/** What the panel needs from its explorer. */
export interface PanelHost {
  payload: ExplorerPayload;
  /** Starts the worker (once, on the first run). */
  startMaximizer(): Promise<Maximizer>;
  /** Selects a filter in the explorer's other views (without calling `setTarget` back). */
  selectFilter(filter: number): void;
  /** Width of the explorer's sequence views, to line the panels up. */
  width(): number;
  /** Called when a run's result (or a filter opened from the gallery) has been drawn. */
  settled(): void;
}

function nearestIndex(values: readonly number[], value: number): number {
  let best = 0;
  values.forEach((v, i) => {
    if (
      Math.abs(Math.log(v + 1e-9) - Math.log(value + 1e-9)) <
      Math.abs(Math.log(values[best] + 1e-9) - Math.log(value + 1e-9))
    ) {
      best = i;
    }
  });
  return best;
}

/** How long the filter must rest before its maximization starts. */
const RERUN_DELAY_MS = 150;

/** Resolves in a new task, so the browser can paint and handle input in between. */
function nextTask(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0));
}

function format(value: number): string {
  return value === 0 || value >= 0.001 ? String(value) : value.toExponential(0);
}

/** The activation-maximization panel of one explorer. */
export class MaximizationPanel {
  /** The root element. */
  readonly node: HTMLDivElement = element('div', 'c1e-maximize');
  private readonly sliders = new Map<SliderName, HTMLInputElement>();
  private readonly sliderLabels = new Map<SliderName, HTMLSpanElement>();
  private readonly objective = element('select', 'c1e-objective');
  private readonly start = element('select', 'c1e-start');
  private readonly seed = element('input', 'c1e-seed');
  private readonly seedLabel = element('span', 'c1e-value');
  private readonly softmax = element('input', 'c1e-softmax');
  private readonly progress = element('progress', 'c1e-progress');
  private readonly status = element('div', 'c1e-max-status');
  private readonly chart = element('div', 'c1e-max-chart');
  private readonly gallery = element('div', 'c1e-gallery');
  private readonly oneHot: boolean;
  private layer: LayerData | undefined;
  private filter = 0;
  private position = 0;
  private maximizer: Promise<Maximizer> | undefined;
  private embedded: EmbedResult | undefined;
  private embeddedKey = '';
  private galleryView: EmbedResult | undefined;
  private galleryRun: { snapshot: RunSnapshot; request: RunRequest } | undefined;
  private drawing: Promise<void> = Promise.resolve();
  private latestPartial: RunSnapshot | undefined;
  /** The newest run; see `execute`. */
  private runToken = 0;
  /** A filter change waits for the slider to rest before it starts a run (see `setTarget`). */
  private rerunTimer: ReturnType<typeof setTimeout> | undefined;
  /** The last one-filter result, kept in the notebook. */
  private lastResult: { snapshot: RunSnapshot; request: RunRequest } | undefined;
  /** What the filter views show, to draw it again in another theme. */
  private shown: { snapshot: RunSnapshot; request: RunRequest; row: number } | undefined;
  private disposed = false;

  constructor(private readonly host: PanelHost) {
    const sequence = host.payload.sequence;
    this.oneHot = sequence.kind === 'onehot';
    const title = element('div', 'c1e-max-title', 'Activation maximization');
    const controls = element('div', 'c1e-toolbar c1e-max-controls');
    controls.dataset.lmSuppressShortcuts = 'true';
    controls.addEventListener('keydown', event => event.stopPropagation());

    for (const [value, text] of [
      ['position', 'at one position'],
      ['mean', 'mean over positions']
    ]) {
      this.objective.add(new Option(text, value));
    }
    controls.append(this.labelled('Objective ', this.objective));
    this.addSlider(controls, 'iterations', 'Iterations ', MAXIMIZATION_DEFAULTS.iterations);
    this.addSlider(controls, 'learningRate', 'Learning rate ', MAXIMIZATION_DEFAULTS.learningRate);
    this.addSlider(controls, 'l2', 'L2 ', MAXIMIZATION_DEFAULTS.l2);
    this.seed.type = 'range';
    this.seed.min = '0';
    this.seed.max = '99';
    this.seed.step = '1';
    this.seed.value = '0';
    this.seedLabel.textContent = ' 0';
    const seedControl = this.labelled('Seed ', this.seed);
    seedControl.append(this.seedLabel);
    controls.append(seedControl);
    this.start.add(new Option('random (seed)', 'random'));
    this.start.add(
      new Option(
        sequence.kind === 'tokens' ? "this sequence's embedding" : 'this sequence',
        'sequence'
      )
    );
    controls.append(this.labelled('Start ', this.start));
    if (this.oneHot) {
      this.softmax.type = 'checkbox';
      this.softmax.checked = true;
      this.start.value = 'sequence';
      controls.append(this.labelled('', this.softmax, ' probabilities (softmax, logo)'));
    }
    const preset = element('button', 'c1e-button c1e-preset', 'Tutorial preset');
    preset.title = `learning rate ${TUTORIAL_PRESET.learningRate}, l2 ${TUTORIAL_PRESET.l2}, ${TUTORIAL_PRESET.iterations} iterations`;
    preset.addEventListener('click', () => {
      this.setSlider('iterations', TUTORIAL_PRESET.iterations);
      this.setSlider('learningRate', TUTORIAL_PRESET.learningRate);
      this.setSlider('l2', TUTORIAL_PRESET.l2);
      this.rerun();
    });
    const all = element('button', 'c1e-button c1e-all', 'All filters');
    all.title = 'Maximize every filter of the layer in one batched run';
    all.addEventListener('click', () => void this.runAll());
    controls.append(preset, all);

    for (const input of [this.objective, this.start, this.seed, this.softmax]) {
      input.addEventListener(input === this.seed ? 'input' : 'change', () => {
        this.seedLabel.textContent = ` ${this.seed.value}`;
        this.rerun();
      });
    }
    this.progress.max = 1;
    this.progress.value = 0;
    const progressRow = element('div', 'c1e-max-progress');
    progressRow.append(this.progress, this.status);
    this.node.append(title, controls, progressRow, this.chart, this.gallery);
  }

  /**
   * Points the panel at a layer and filter (the explorer's selection) and reruns. The
   * position to maximize starts at the filter's strongest position on the sequence.
   *
   * @param layer - the layer's data
   * @param filter - the selected filter
   */
  setTarget(layer: LayerData, filter: number, saved?: SavedResult | null): void {
    const layerChanged = layer !== this.layer;
    this.layer = layer;
    this.filter = filter;
    this.position = strongestPosition(layer, filter);
    if (layerChanged) {
      this.clearGallery();
    }
    const request = saved?.request;
    clearTimeout(this.rerunTimer);
    if (request && request.layer === layer.info.name && request.filters[0] === filter) {
      this.showSaved(saved!);
    } else if (layerChanged) {
      this.rerun();
    } else {
      // Moving the filter slider across many filters should not start (and supersede) a run
      // for each one, which also costs the main thread a redraw per run: wait for it to rest.
      // The run in flight (another filter's) is dropped now; the worker is superseded by the
      // next request.
      this.runToken++;
      this.node.dataset.state = 'pending';
      this.rerunTimer = setTimeout(() => this.rerun(), RERUN_DELAY_MS);
    }
  }

  /**
   * The controls, and the last one-filter result, for the notebook.
   *
   * @returns JSON-safe data
   */
  savedState(): { controls: SavedControls; result: SavedResult | null } {
    return {
      controls: {
        objective: this.objective.value as SavedControls['objective'],
        position: this.position,
        iterations: this.sliderValue('iterations'),
        learningRate: this.sliderValue('learningRate'),
        l2: this.sliderValue('l2'),
        seed: Number(this.seed.value),
        start: this.start.value as StartPoint,
        softmax: this.softmax.checked
      },
      result: this.lastResult ? saveResult(this.lastResult.snapshot, this.lastResult.request) : null
    };
  }

  /**
   * Sets the controls as the notebook kept them (before the first `setTarget`).
   *
   * @param controls - from `readSavedView`
   */
  applyControls(controls: SavedControls): void {
    this.objective.value = controls.objective;
    this.setSlider('iterations', controls.iterations);
    this.setSlider('learningRate', controls.learningRate);
    this.setSlider('l2', controls.l2);
    this.seed.value = String(Math.min(controls.seed, 99));
    this.seedLabel.textContent = ` ${this.seed.value}`;
    this.start.value = controls.start;
    this.softmax.checked = this.oneHot && controls.softmax;
  }

  /** Shows a result the notebook kept, without running anything. */
  private showSaved(saved: SavedResult): void {
    const { snapshot, request } = restoreResult(saved);
    const token = ++this.runToken;
    this.position = request.position ?? this.position;
    this.lastResult = { snapshot, request };
    void this.queue(async () => {
      if (token !== this.runToken || this.disposed) {
        return;
      }
      await this.showFilter(snapshot, request, 0);
      this.progress.value = 1;
      this.status.className = 'c1e-max-status';
      this.status.textContent =
        `${this.describe(snapshot, request, 1)} · as saved in the notebook ` +
        '(move a control to run it again)';
      this.node.dataset.state = 'done';
      this.node.dataset.restored = 'true';
      this.node.dataset.step = String(snapshot.state.step);
    });
  }

  /**
   * Targets one output position (a click on the activation line) and reruns.
   *
   * @param position - output position of the current layer
   */
  pickPosition(position: number): void {
    this.position = position;
    this.objective.value = 'position';
    this.rerun();
  }

  /** Draws the views again, e.g. in JupyterLab's new light or dark theme. */
  redraw(): void {
    const shown = this.shown;
    const gallery = this.galleryRun;
    this.embeddedKey = '';
    if (shown) {
      void this.queue(() => this.showFilter(shown.snapshot, shown.request, shown.row));
    }
    if (gallery) {
      void this.queue(() => this.showGallery(gallery.snapshot, gallery.request));
    }
  }

  /** Whether a maximization is about to start or running (its end settles the views). */
  get busy(): boolean {
    return this.node.dataset.state === 'running' || this.node.dataset.state === 'pending';
  }

  /** The Vega views drawn now (the filter's result, the gallery), for the picture. */
  get views(): EmbedResult['view'][] {
    return [this.embedded?.view, this.galleryView?.view].filter(v => v !== undefined);
  }

  /** Stops the worker and frees the views. */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.rerunTimer);
    this.embedded?.finalize();
    this.galleryView?.finalize();
    void this.maximizer?.then(m => m.dispose()).catch(() => undefined);
  }

  private labelled(text: string, input: HTMLElement, after?: string): HTMLLabelElement {
    const label = element('label', 'c1e-control', text);
    label.append(input);
    if (after) {
      label.append(after);
    }
    return label;
  }

  private addSlider(parent: HTMLElement, name: SliderName, text: string, initial: number): void {
    const slider = element('input', `c1e-slider c1e-${name}`);
    slider.type = 'range';
    slider.min = '0';
    slider.max = String(SLIDER_VALUES[name].length - 1);
    slider.step = '1';
    const label = element('span', 'c1e-value');
    this.sliders.set(name, slider);
    this.sliderLabels.set(name, label);
    this.setSlider(name, initial);
    slider.addEventListener('input', () => {
      this.setSlider(name, this.sliderValue(name));
      this.rerun();
    });
    const control = this.labelled(text, slider);
    control.append(label);
    parent.append(control);
  }

  private setSlider(name: SliderName, value: number): void {
    const index = nearestIndex(SLIDER_VALUES[name], value);
    this.sliders.get(name)!.value = String(index);
    this.sliderLabels.get(name)!.textContent = ` ${format(SLIDER_VALUES[name][index])}`;
  }

  private sliderValue(name: SliderName): number {
    return SLIDER_VALUES[name][Number(this.sliders.get(name)!.value)];
  }

  private request(filters: number[] | 'all'): RunRequest | undefined {
    if (!this.layer) {
      return undefined;
    }
    return {
      layer: this.layer.info.name,
      filters,
      iterations: this.sliderValue('iterations'),
      learningRate: this.sliderValue('learningRate'),
      l2: this.sliderValue('l2'),
      seed: Number(this.seed.value),
      position: this.objective.value === 'position' ? this.position : null,
      softmax: this.oneHot && this.softmax.checked,
      start: this.start.value as StartPoint
    };
  }

  private worker(): Promise<Maximizer> {
    if (!this.maximizer) {
      this.maximizer = this.host.startMaximizer();
      // A worker that could not start is tried again on the next run.
      this.maximizer.catch(() => (this.maximizer = undefined));
    }
    return this.maximizer;
  }

  /** Reruns the current filter; a run in flight is superseded. */
  private rerun(): void {
    clearTimeout(this.rerunTimer);
    const request = this.request([this.filter]);
    if (!request || this.disposed) {
      return;
    }
    void this.execute(request, (snapshot, partial) =>
      this.showFilter(snapshot, request, 0, partial)
    );
  }

  private async runAll(): Promise<void> {
    const request = this.request('all');
    if (!request || this.disposed) {
      return;
    }
    await this.execute(request, snapshot => {
      this.galleryRun = { snapshot, request };
      return this.showGallery(snapshot, request);
    });
  }

  /**
   * Runs a request and shows it. Each run gets a token; whatever a superseded run still
   * has queued (progress draws, its final draw, its status) is dropped when it comes up.
   */
  private async execute(
    request: RunRequest,
    show: (snapshot: RunSnapshot, partial?: boolean) => Promise<void> | void
  ): Promise<void> {
    clearTimeout(this.rerunTimer);
    const token = ++this.runToken;
    const current = () => token === this.runToken && !this.disposed;
    const rows = request.filters === 'all' ? this.layer!.info.filters : request.filters.length;
    this.node.dataset.state = 'running';
    delete this.node.dataset.drawError;
    delete this.node.dataset.restored;
    this.status.className = 'c1e-max-status';
    this.status.textContent = `Maximizing ${rows === 1 ? `filter ${this.filter}` : `all ${rows} filters`}…`;
    this.progress.value = 0;
    this.latestPartial = undefined;
    try {
      const maximizer = await this.worker();
      const snapshot = await maximizer.run(request, (progress, partial) => {
        if (!current()) {
          return;
        }
        this.progress.value = progress.step / progress.iterations;
        const speed = (progress.step * rows) / Math.max(progress.millis / 1000, 1e-3);
        this.status.textContent = partial
          ? this.describe(partial, request, rows)
          : `Maximizing all ${rows} filters of ${request.layer}: step ${progress.step} of ` +
            `${progress.iterations} · ${Math.round(speed)} filter-steps/s`;
        // The gallery is drawn once, at the end; one filter's views update as it runs,
        // from the newest snapshot whenever the previous draw is done (none pile up).
        if (partial) {
          const first = this.latestPartial === undefined;
          this.latestPartial = partial;
          if (first) {
            void this.queue(async () => {
              const newest = this.latestPartial;
              this.latestPartial = undefined;
              if (newest && current()) {
                await show(newest, true);
              }
            });
          }
        }
      });
      if (!snapshot || !current()) {
        return;
      }
      this.progress.value = 1;
      await this.queue(() => (current() ? show(snapshot) : undefined));
      if (!current()) {
        return;
      }
      if (this.node.dataset.drawError) {
        throw new Error(this.node.dataset.drawError);
      }
      this.status.textContent = this.describe(snapshot, request, rows);
      const backend = await maximizer.ready;
      if (!current()) {
        return;
      }
      this.status.textContent += ` · ${backend} backend, in a Web Worker`;
      this.node.dataset.state = 'done';
      this.node.dataset.step = String(snapshot.state.step);
      if (request.filters !== 'all') {
        this.lastResult = { snapshot, request };
      }
      this.host.settled();
    } catch (e) {
      if (!current()) {
        return;
      }
      this.status.className = 'c1e-max-status c1e-error';
      this.status.textContent = `Activation maximization failed: ${errorMessage(e)}`;
      this.node.dataset.state = 'error';
      this.host.settled(); // the views stay as they are: time for a picture of them
    }
  }

  /** Draws one after another, so a slow draw never overtakes a newer one. */
  private queue(draw: () => Promise<void> | void): Promise<void> {
    this.drawing = this.drawing.then(draw).catch(e => {
      // Kept on the node too: the status line is rewritten when the run ends.
      const message = `Cannot draw the maximization: ${errorMessage(e)}`;
      this.node.dataset.drawError = message;
      console.error(message);
    });
    return this.drawing;
  }

  private describe(snapshot: RunSnapshot, request: RunRequest, rows: number): string {
    const { state } = snapshot;
    const objective =
      request.position === null
        ? 'mean activation over positions'
        : `activation at output position ${request.position}`;
    const what = rows === 1 ? `filter ${state.filters[0]}` : `all ${rows} filters`;
    const speed = (state.step * rows) / Math.max(snapshot.millis / 1000, 1e-3);
    const parts = [
      `Maximized ${what} of ${request.layer}: ${objective}`,
      `step ${state.step} of ${state.iterations}`,
      `learning rate ${format(request.learningRate)}, l2 ${format(request.l2)}`,
      `${request.softmax ? 'softmax probabilities' : snapshot.variable === 'embedding' ? 'embedding vectors' : 'raw input'} from ${request.start === 'random' ? `seed ${request.seed}` : 'the sequence'}`,
      ...(snapshot.millis > 0 ? [`${Math.round(speed)} filter-steps/s`] : [])
    ];
    if (rows === 1) {
      parts.push(`objective ${state.activations[0].toPrecision(4)}`);
    }
    let text = parts.join(' · ');
    const never = state.filters.filter((_, row) => !state.everActive[row]);
    if (never.length > 0 && state.step === state.iterations) {
      text +=
        rows === 1
          ? `. Filter ${never[0]} never turned on (its activation stayed 0 at every step): the input shows where its pre-activation rose, not a pattern it responds to.`
          : `. ${never.length} filter(s) never turned on: ${never.slice(0, 20).join(', ')}.`;
    }
    if (state.stopped) {
      text += `. ${state.stopped}`;
    }
    return text;
  }

  private labels(request: RunRequest, snapshot: RunSnapshot): MaximizationLabels {
    const layer = this.layer!;
    const seq = this.host.payload.sequence;
    const prefix = snapshot.variable === 'embedding' ? 'emb' : 'ch';
    let field: [number, number] | null = null;
    if (request.position !== null && layer.span) {
      const lo = layer.span.start + request.position * layer.span.jump;
      field = [lo, lo + layer.span.size - 1];
    }
    return {
      channels:
        seq.kind === 'onehot'
          ? [...seq.alphabet]
          : Array.from({ length: snapshot.state.width }, (_, i) => `${prefix}${i}`),
      vocabulary: seq.kind === 'tokens' ? seq.labels : undefined,
      softmax: request.softmax,
      field
    };
  }

  /**
   * Draws one filter's result. While a run goes on (`partial`), only the loss curve and the
   * per-position magnitude change, which Vega redraws in a few milliseconds; the heatmap,
   * logo and words follow with the final result. The notebook stays responsive.
   */
  private async showFilter(
    snapshot: RunSnapshot,
    request: RunRequest,
    row: number,
    partial = false
  ): Promise<void> {
    if (this.disposed) {
      return;
    }
    this.shown = { snapshot, request, row };
    const rows = maximizationRows(snapshot, row, this.labels(request, snapshot));
    const options = {
      width: this.host.width(),
      length: snapshot.state.length,
      softmax: request.softmax,
      words: snapshot.nearest !== null,
      channels: snapshot.state.width
    };
    const key = JSON.stringify(options);
    if (this.embedded && key === this.embeddedKey) {
      // Only the data changed: swap it in place instead of embedding a new view.
      const view = this.embedded.view;
      const names = partial ? [MAX_DATA.loss, MAX_DATA.magnitude] : drawnData(options);
      for (const name of names) {
        // One data set per task: a long redraw would hold up the notebook.
        view.data(name, rows[name as keyof MaximizationRows]);
        await view.runAsync();
        await nextTask();
      }
      return;
    }
    this.embedded?.finalize();
    const target = element('div', 'c1e-vega');
    this.chart.replaceChildren(target);
    this.embedded = await embedSpec(target, maximizationSpec(rows, options));
    this.embeddedKey = key;
    if (this.disposed) {
      this.embedded.finalize();
    }
  }

  private async showGallery(snapshot: RunSnapshot, request: RunRequest): Promise<void> {
    if (this.disposed) {
      return;
    }
    const seq = this.host.payload.sequence;
    const summaries = snapshot.state.filters.map((_, row) => {
      if (request.softmax && seq.kind === 'onehot') {
        return rowConsensus(flatInput(snapshot), row, seq.alphabet);
      }
      const nearest = snapshot.nearest;
      if (nearest && seq.kind === 'tokens') {
        const { length } = snapshot.state;
        return Array.from({ length }, (_, p) => {
          const id = nearest.ids[(row * length + p) * nearest.count];
          return seq.labels?.[id] ?? String(id);
        }).join(' ');
      }
      return '';
    });
    // In separate tasks: for 300 filters × 600 positions each step takes tens of ms.
    await nextTask();
    const { values, min, max } = galleryValues(snapshot, request.softmax);
    await nextTask();
    const url = paintPicture(values, snapshot.state.filters.length, snapshot.state.length, {
      domain: [min, max],
      scheme: 'viridis'
    });
    await nextTask();
    if (this.disposed) {
      return;
    }
    this.galleryView?.finalize();
    const target = element('div', 'c1e-vega');
    this.gallery.replaceChildren(target);
    this.galleryView = await embedSpec(
      target,
      gallerySpec(snapshot, {
        width: this.host.width(),
        softmax: request.softmax,
        layer: request.layer,
        summaries,
        image: { url, min, max }
      })
    );
    this.galleryView.view.addSignalListener(GALLERY_PICK, (_name, value) => {
      const picked = (value as { f?: unknown[] } | null)?.f?.[0];
      if (typeof picked === 'number') {
        this.openFromGallery(picked);
      }
    });
    this.node.dataset.gallery = String(snapshot.state.filters.length);
  }

  /** Shows one filter of the batched run, as computed there (no rerun). */
  private openFromGallery(filter: number): void {
    const run = this.galleryRun;
    if (!run) {
      return;
    }
    const row = run.snapshot.state.filters.indexOf(filter);
    this.filter = filter;
    this.host.selectFilter(filter);
    // Whatever runs now is superseded by this view of the batched result.
    clearTimeout(this.rerunTimer);
    this.runToken++;
    this.node.dataset.state = 'done';
    void this.maximizer?.then(m => m.cancel()).catch(() => undefined);
    void this.queue(() =>
      this.showFilter(run.snapshot, { ...run.request, filters: [filter] }, row)
    );
    this.status.textContent = `Filter ${filter}, from the batched run over all filters.`;
    void this.drawing.then(() => this.host.settled());
  }

  private clearGallery(): void {
    this.galleryView?.finalize();
    this.galleryView = undefined;
    this.galleryRun = undefined;
    this.gallery.replaceChildren();
    delete this.node.dataset.gallery;
  }
}

/**
 * The output position where a filter is most active on the explorer's sequence.
 *
 * @param layer - the layer's data
 * @param filter - the filter
 * @returns its argmax position (0 when every position ties)
 */
export function strongestPosition(layer: LayerData, filter: number): number {
  const { filters } = layer.info;
  let best = 0;
  for (let p = 1; p < layer.length; p++) {
    if (layer.activations[p * filters + filter] > layer.activations[best * filters + filter]) {
      best = p;
    }
  }
  return best;
}
