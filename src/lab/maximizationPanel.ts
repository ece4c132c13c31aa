/**
 * The explorer's activation-maximization panel: its controls, a progress bar and status
 * line, one filter's result views and the gallery of a batched run over every filter. The
 * work runs in a Web Worker (see maximizer.ts); every change starts a new run, which
 * supersedes the one in flight (see maximization/runScheduler.ts). The panel holds one
 * explicit state, mirrored into the test marks.
 */
import type { ExplorerPayload } from '../protocol';
import type { LayerData } from './compute';
import { element, type EmbedResult } from './embed';
import type { Maximizer } from './maximizer';
import { MaximizationControls, type RunScope } from './maximization/controls';
import { ResultViews, type RunResult } from './maximization/resultViews';
import { INITIAL_PANEL_STATE, marksOf, type PanelState } from './maximization/panelState';
import { RunScheduler } from './maximization/runScheduler';
import {
  describeRun,
  drawFailureText,
  failureText,
  galleryFilterText,
  progressText,
  startText
} from './maximization/runStatus';
import { restoreResult, saveResult, type SavedControls, type SavedResult } from './savedView';
import { forTests } from './testHooks';
import type { RunRequest, RunSnapshot } from './worker/messages';
import { errorMessage } from '../core/errors';

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

/** What the panel maximizes: the explorer's layer and filter, and the output position. */
interface Target {
  layer?: LayerData;
  filter: number;
  position: number;
}

/** How long the filter must rest before its maximization starts. */
const RERUN_DELAY_MS = 150;

/** A run reports its own failures in the panel; whatever still escapes it is a bug. */
function reportBug(error: unknown): void {
  console.error(error);
}

/** The activation-maximization panel of one explorer. */
export class MaximizationPanel {
  /** The root element. */
  readonly node: HTMLDivElement = element('div', 'c1e-maximize');
  private readonly controls: MaximizationControls;
  private readonly results: ResultViews;
  private readonly scheduler = new RunScheduler(e => this.drawFailed(e));
  private readonly progress = element('progress', 'c1e-progress');
  private readonly status = element('div', 'c1e-max-status');
  private state: PanelState = INITIAL_PANEL_STATE;
  private target: Target = { filter: 0, position: 0 };
  private maximizer: Promise<Maximizer> | undefined;
  /** The last one-filter result, kept in the notebook. */
  private lastResult: RunResult | undefined;

  /**
   * Builds the panel; it runs nothing until `setTarget`.
   *
   * @param host - the explorer
   */
  constructor(private readonly host: PanelHost) {
    this.controls = new MaximizationControls(host.payload.sequence, scope => this.onRequest(scope));
    this.results = new ResultViews({
      sequence: host.payload.sequence,
      layer: () => this.target.layer!,
      width: () => host.width(),
      pick: filter => this.openFromGallery(filter)
    });
    const title = element('div', 'c1e-max-title', 'Activation maximization');
    this.progress.max = 1;
    this.progress.value = 0;
    const progressRow = element('div', 'c1e-max-progress');
    progressRow.append(this.progress, this.status);
    this.node.append(
      title,
      this.controls.node,
      progressRow,
      this.results.chart,
      this.results.gallery
    );
  }

  /**
   * Points the panel at a layer and filter (the explorer's selection) and reruns. The
   * position to maximize starts at the filter's strongest position on the sequence.
   *
   * @param layer - the layer's data
   * @param filter - the selected filter
   * @param saved - the notebook's result, shown instead of a run when it is this filter's
   */
  setTarget(layer: LayerData, filter: number, saved?: SavedResult | null): void {
    const layerChanged = layer !== this.target.layer;
    this.target = { layer, filter, position: strongestPosition(layer, filter) };
    if (layerChanged) {
      this.clearGallery();
    }
    this.scheduler.cancel();
    if (saved && saved.request.layer === layer.info.name && saved.request.filters[0] === filter) {
      this.showSaved(saved);
    } else if (layerChanged) {
      this.rerun();
    } else {
      // Moving the filter slider across many filters should not start (and supersede) a run
      // for each one, which also costs the main thread a redraw per run: wait for it to rest.
      // The run in flight (another filter's) is dropped now; the worker is superseded by the
      // next request.
      this.scheduler.debounce(() => this.rerun(), RERUN_DELAY_MS);
      this.setState({ phase: 'pending' });
    }
  }

  /**
   * The controls, and the last one-filter result, for the notebook.
   *
   * @returns JSON-safe data
   */
  savedState(): { controls: SavedControls; result: SavedResult | null } {
    const { objective, ...settings } = this.controls.settings();
    const last = this.lastResult;
    return {
      controls: { objective, position: this.target.position, ...settings },
      result: last ? saveResult(last.snapshot, last.request) : null
    };
  }

  /**
   * Sets the controls as the notebook kept them (before the first `setTarget`).
   *
   * @param controls - from `readSavedView`
   */
  applyControls(controls: SavedControls): void {
    this.controls.apply(controls);
  }

  /**
   * Targets one output position (a click on the activation line) and reruns.
   *
   * @param position - output position of the current layer
   */
  pickPosition(position: number): void {
    this.target.position = position;
    this.controls.targetPosition();
    this.rerun();
  }

  /** Draws the views again, e.g. in JupyterLab's new light or dark theme. */
  redraw(): void {
    const shown = this.results.shownFilter;
    const gallery = this.results.galleryRun;
    this.results.relayout();
    if (shown) {
      this.scheduler.queue(() => this.results.showFilter(shown, shown.row));
    }
    if (gallery) {
      this.scheduler.queue(() => this.markGallery(this.results.drawGallery(gallery), gallery));
    }
  }

  /** Whether a maximization is about to start or running (its end settles the views). */
  get busy(): boolean {
    return this.state.phase === 'running' || this.state.phase === 'pending';
  }

  /** The Vega views drawn now (the filter's result, the gallery), for the picture. */
  get views(): EmbedResult['view'][] {
    return this.results.views;
  }

  /** Stops the worker and frees the views. */
  dispose(): void {
    this.scheduler.dispose();
    this.results.dispose();
    void this.maximizer?.then(m => m.dispose()).catch(() => undefined);
  }

  /** Shows a result the notebook kept, without running anything. */
  private showSaved(saved: SavedResult): void {
    const result = restoreResult(saved);
    const run = this.scheduler.begin();
    this.target.position = result.request.position ?? this.target.position;
    this.lastResult = result;
    this.scheduler.queueFor(run, async () => {
      await this.results.showFilter(result, 0);
      this.progress.value = 1;
      this.showStatus(describeRun(result.snapshot, result.request, 1, { restored: true }));
      this.setState({ phase: 'done', restored: true, step: result.snapshot.state.step });
    });
  }

  /** Starts the run a control asked for. */
  private onRequest(scope: RunScope): void {
    if (scope === 'all') {
      this.runAll();
    } else {
      this.rerun();
    }
  }

  /** The worker, started on the first run. */
  private worker(): Promise<Maximizer> {
    if (!this.maximizer) {
      this.maximizer = this.host.startMaximizer();
      // A worker that could not start is tried again on the next run (the run that awaits
      // it shows the error).
      this.maximizer.catch(() => (this.maximizer = undefined));
    }
    return this.maximizer;
  }

  /** Reruns the current filter; a run in flight is superseded. */
  private rerun(): void {
    this.scheduler.cancel();
    const { layer, filter, position } = this.target;
    if (!layer || this.scheduler.disposed) {
      return;
    }
    const request = this.controls.request(layer.info.name, [filter], position);
    this.execute(request, (snapshot, partial) =>
      this.results.showFilter({ snapshot, request }, 0, partial)
    ).catch(reportBug);
  }

  /** Maximizes every filter of the layer in one batched run, shown in the gallery. */
  private runAll(): void {
    const { layer, position } = this.target;
    if (!layer || this.scheduler.disposed) {
      return;
    }
    const request = this.controls.request(layer.info.name, 'all', position);
    this.execute(request, snapshot => {
      const result = { snapshot, request };
      return this.markGallery(this.results.showGallery(result), result);
    }).catch(reportBug);
  }

  /**
   * Runs a request and shows it. Each run gets a ticket from the scheduler; whatever a
   * superseded run still has queued (progress draws, its final draw, its status) is
   * dropped when it comes up.
   */
  private async execute(
    request: RunRequest,
    show: (snapshot: RunSnapshot, partial?: boolean) => Promise<void> | void
  ): Promise<void> {
    const run = this.scheduler.begin();
    const rows =
      request.filters === 'all' ? this.target.layer!.info.filters : request.filters.length;
    this.setState({ phase: 'running', drawError: null, restored: false });
    this.showStatus(startText(rows, this.target.filter));
    this.progress.value = 0;
    try {
      const maximizer = await this.worker();
      if (!run.current()) {
        return; // superseded while the worker started
      }
      const snapshot = await maximizer.run(request, (progress, partial) => {
        if (!run.current()) {
          return;
        }
        this.progress.value = progress.step / progress.iterations;
        this.status.textContent = partial
          ? describeRun(partial, request, rows)
          : progressText(request, progress, rows);
        // The gallery is drawn once, at the end; one filter's views update as it runs.
        if (partial) {
          this.scheduler.offerPartial(run, () => show(partial, true));
        }
      });
      if (!snapshot || !run.current()) {
        return;
      }
      this.progress.value = 1;
      if (!(await this.scheduler.finish(run, () => show(snapshot)))) {
        return;
      }
      if (this.state.drawError !== null) {
        throw new Error(this.state.drawError);
      }
      this.status.textContent = describeRun(snapshot, request, rows);
      const backend = await maximizer.ready;
      if (!run.current()) {
        return;
      }
      this.status.textContent = describeRun(snapshot, request, rows, { backend });
      this.setState({ phase: 'done', step: snapshot.state.step });
      if (request.filters !== 'all') {
        this.lastResult = { snapshot, request };
      }
      this.host.settled();
    } catch (e) {
      if (!run.current()) {
        return;
      }
      this.showError(e);
      this.setState({ phase: 'error' });
      this.host.settled(); // the views stay as they are: time for a picture of them
    }
  }

  /** Keeps a failed draw in the state: the status line is rewritten when the run ends. */
  private drawFailed(error: unknown): void {
    const message = drawFailureText(errorMessage(error));
    this.setState({ drawError: message });
    console.error(message);
  }

  /** Waits for a gallery's draw and, once it is drawn, marks how many filters it shows. */
  private async markGallery(drawing: Promise<boolean>, result: RunResult): Promise<void> {
    if (await drawing) {
      this.setState({ gallery: result.snapshot.state.filters.length });
    }
  }

  /** Shows one filter of the batched run, as computed there (no rerun). */
  private openFromGallery(filter: number): void {
    const run = this.results.galleryRun;
    if (!run) {
      return;
    }
    const row = run.snapshot.state.filters.indexOf(filter);
    this.target.filter = filter;
    this.host.selectFilter(filter);
    // Whatever runs now is superseded by this view of the batched result.
    this.scheduler.supersede();
    this.setState({ phase: 'done' });
    void this.maximizer?.then(m => m.cancel()).catch(() => undefined);
    const request = { ...run.request, filters: [filter] };
    this.scheduler.queue(() => this.results.showFilter({ snapshot: run.snapshot, request }, row));
    this.status.textContent = galleryFilterText(filter);
    this.scheduler
      .drawn()
      .then(() => this.host.settled())
      .catch(e => this.showError(e));
  }

  /** Removes the gallery (another layer is targeted). */
  private clearGallery(): void {
    this.results.clearGallery();
    this.setState({ gallery: null });
  }

  /** Changes the state and mirrors it into the test marks. */
  private setState(change: Partial<PanelState>): void {
    this.state = { ...this.state, ...change };
    forTests.mark(this.node, marksOf(this.state));
  }

  /** Writes the status line. */
  private showStatus(text: string): void {
    this.status.className = 'c1e-max-status';
    this.status.textContent = text;
  }

  /** Writes what failed into the status line, as an error. */
  private showError(error: unknown): void {
    this.status.className = 'c1e-max-status c1e-error';
    this.status.textContent = failureText(errorMessage(error));
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
