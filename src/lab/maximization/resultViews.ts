/**
 * The maximization panel's result views: one filter's Vega views (updated in place while a
 * run goes on) and the gallery of a batched run over every filter, with what each shows so
 * that both can be drawn again in another theme.
 */
import { rowConsensus } from '../../core/pwm';
import type { SequencePayload } from '../../protocol';
import type { LayerData } from '../compute';
import {
  element,
  embedSpec,
  isDarkTheme,
  loadPictureColors,
  paintPicture,
  type EmbedResult
} from '../embed';
import { logoColors } from '../logo/colors';
import { logoPictureUrl } from '../logo/picture';
import {
  flatInput,
  galleryValues,
  maximizationLogo,
  maximizationRows,
  type MaximizationLogo,
  type MaximizationLabels,
  type MaximizationRows
} from '../maximizationRows';
import { drawnData, gallerySpec, maximizationSpec } from '../maximizationSpecs';
import {
  GALLERY_PICK,
  MAX_DATA,
  sequenceLogoFrame,
  type MaximizationSpecOptions
} from '../maximizationViews';
import type { RunRequest, RunSnapshot } from '../worker/messages';

/** A run's result and the request that made it. */
export interface RunResult {
  snapshot: RunSnapshot;
  request: RunRequest;
}

/** What the result views need from the panel. */
export interface ResultHost {
  /** The explorer's sequence. */
  sequence: SequencePayload;
  /** The layer the panel targets (its receptive field labels the views). */
  layer(): LayerData;
  /** Width of the explorer's sequence views, to line the panels up. */
  width(): number;
  /** Called when a filter is picked in the gallery. */
  pick(filter: number): void;
}

/** Resolves in a new task, so the browser can paint and handle input in between. */
function nextTask(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0));
}

/**
 * The labels of a result's views: channel names, the vocabulary, the receptive field.
 *
 * @param layer - the layer maximized
 * @param sequence - the explorer's sequence
 * @param result - the run's result
 * @returns the labels
 */
function resultLabels(
  layer: LayerData,
  sequence: SequencePayload,
  { request, snapshot }: RunResult
): MaximizationLabels {
  const prefix = snapshot.variable === 'embedding' ? 'emb' : 'ch';
  let field: [number, number] | null = null;
  if (request.position !== null && layer.span) {
    const lo = layer.span.start + request.position * layer.span.jump;
    field = [lo, lo + layer.span.size - 1];
  }
  return {
    channels:
      sequence.kind === 'onehot'
        ? [...sequence.alphabet]
        : Array.from({ length: snapshot.state.width }, (_, i) => `${prefix}${i}`),
    vocabulary: sequence.kind === 'tokens' ? sequence.labels : undefined,
    softmax: request.softmax,
    field
  };
}

/**
 * Each gallery row's summary: the consensus of softmax probabilities, or the nearest words.
 *
 * @param sequence - the explorer's sequence
 * @param result - the batched run's result
 * @returns one text per row (empty where there is none)
 */
function gallerySummaries(sequence: SequencePayload, { request, snapshot }: RunResult): string[] {
  return snapshot.state.filters.map((_, row) => {
    if (request.softmax && sequence.kind === 'onehot') {
      return rowConsensus(flatInput(snapshot), row, sequence.alphabet);
    }
    const nearest = snapshot.nearest;
    if (nearest && sequence.kind === 'tokens') {
      const { length } = snapshot.state;
      return Array.from({ length }, (_, p) => {
        const id = nearest.ids[(row * length + p) * nearest.count];
        return sequence.labels?.[id] ?? String(id);
      }).join(' ');
    }
    return '';
  });
}

/**
 * Paints a filter's sequence logo at the size of its view, in the current theme's colours
 * (600 positions × 4 symbols: about 10 ms on the page's thread; the PNG is encoded off
 * it).
 *
 * @param logo - the filter's logo
 * @param options - the views' layout
 * @returns the picture's row
 */
async function paintedLogo(
  { boxes, symbols }: MaximizationLogo,
  options: MaximizationSpecOptions
): Promise<MaximizationRows['logoPicture'][number]> {
  const colors = logoColors(symbols, isDarkTheme() ? 'dark' : 'light');
  return { url: await logoPictureUrl({ ...sequenceLogoFrame(options), boxes, symbols, colors }) };
}

/** One filter's views and the gallery of one maximization panel. */
export class ResultViews {
  /** Where the filter's views go. */
  readonly chart: HTMLDivElement = element('div', 'c1e-max-chart');
  /** Where the gallery goes. */
  readonly gallery: HTMLDivElement = element('div', 'c1e-gallery');
  /** The filter's Vega view and the layout it was embedded with. */
  private filterView: { embedded: EmbedResult; layout: string } | undefined;
  /** What the filter's views show: a result and its row. */
  private shown: (RunResult & { row: number }) | undefined;
  private galleryView: EmbedResult | undefined;
  /** The batched result the gallery shows. */
  private galleryResult: RunResult | undefined;
  private disposed = false;

  /**
   * @param host - the panel
   */
  constructor(private readonly host: ResultHost) {}

  /** What the filter's views show, if anything. */
  get shownFilter(): (RunResult & { row: number }) | undefined {
    return this.shown;
  }

  /** The batched result the gallery shows, if any. */
  get galleryRun(): RunResult | undefined {
    return this.galleryResult;
  }

  /** The Vega views drawn now (the filter's result, the gallery), for the picture. */
  get views(): EmbedResult['view'][] {
    return [this.filterView?.embedded.view, this.galleryView?.view].filter(v => v !== undefined);
  }

  /** Makes the next draw of the filter's views embed them anew (e.g. in another theme). */
  relayout(): void {
    if (this.filterView) {
      this.filterView.layout = '';
    }
  }

  /**
   * Draws one filter's result. While a run goes on (`partial`), only the loss curve and
   * the per-position magnitude change, which Vega redraws in a few milliseconds; the
   * heatmap, logo and words follow with the final result. The logo's picture is painted
   * whenever its letters are drawn anew. The notebook stays responsive.
   *
   * @param result - the run's result
   * @param row - the filter's row in it
   * @param partial - whether the run goes on
   */
  async showFilter(result: RunResult, row: number, partial = false): Promise<void> {
    if (this.disposed) {
      return;
    }
    const { snapshot, request } = result;
    this.shown = { snapshot, request, row };
    const labels = resultLabels(this.host.layer(), this.host.sequence, result);
    const options: MaximizationSpecOptions = {
      width: this.host.width(),
      length: snapshot.state.length,
      softmax: request.softmax,
      words: snapshot.nearest !== null,
      channels: snapshot.state.width
    };
    const layout = JSON.stringify(options);
    const inPlace = this.filterView !== undefined && layout === this.filterView.layout;
    const logo = maximizationLogo(snapshot, row, labels);
    const rows = maximizationRows(snapshot, row, labels, logo);
    // The logo is drawn when the view is embedded and with every final result.
    if (logo && (!inPlace || !partial)) {
      rows.logoPicture = [await paintedLogo(logo, options)];
      if (this.disposed) {
        return;
      }
    }
    if (this.filterView && inPlace) {
      // Only the data changed: swap it in place instead of embedding a new view.
      const view = this.filterView.embedded.view;
      const names = partial ? [MAX_DATA.loss, MAX_DATA.magnitude] : drawnData(options);
      for (const name of names) {
        // One data set per task: a long redraw would hold up the notebook.
        view.data(name, rows[name as keyof MaximizationRows]);
        await view.runAsync();
        await nextTask();
      }
      return;
    }
    this.filterView?.embedded.finalize();
    const target = element('div', 'c1e-vega');
    this.chart.replaceChildren(target);
    const embedded = await embedSpec(target, maximizationSpec(rows, options));
    this.filterView = { embedded, layout };
    if (this.disposed) {
      embedded.finalize();
    }
  }

  /**
   * Keeps a batched run's result as the gallery's (a filter picked there opens from it)
   * and draws it.
   *
   * @param result - the batched run's result
   * @returns whether it was drawn (not once the views are disposed)
   */
  showGallery(result: RunResult): Promise<boolean> {
    this.galleryResult = result;
    return this.drawGallery(result);
  }

  /**
   * Draws the gallery of a batched run, in several tasks (for 300 filters × 600 positions
   * each step takes tens of ms).
   *
   * @param result - the batched run's result
   * @returns whether it was drawn (not once the views are disposed)
   */
  async drawGallery(result: RunResult): Promise<boolean> {
    // Superseded once the views are disposed or the gallery holds another run (a cleared
    // gallery, a newer batched run).
    const stale = () => this.disposed || this.galleryResult !== result;
    if (stale()) {
      return false;
    }
    const { snapshot, request } = result;
    const summaries = gallerySummaries(this.host.sequence, result);
    await nextTask();
    const { values, min, max } = galleryValues(snapshot, request.softmax);
    const vega = await loadPictureColors();
    await nextTask();
    const url = paintPicture(vega, values, snapshot.state.filters.length, snapshot.state.length, {
      domain: [min, max],
      scheme: 'viridis'
    });
    await nextTask();
    if (stale()) {
      return false;
    }
    this.galleryView?.finalize();
    const target = element('div', 'c1e-vega');
    this.gallery.replaceChildren(target);
    const embedded = await embedSpec(
      target,
      gallerySpec(snapshot, {
        width: this.host.width(),
        softmax: request.softmax,
        layer: request.layer,
        summaries,
        image: { url, min, max }
      })
    );
    if (stale()) {
      embedded.finalize();
      return false;
    }
    this.galleryView = embedded;
    embedded.view.addSignalListener(GALLERY_PICK, (_name, value) => {
      const picked = (value as { f?: unknown[] } | null)?.f?.[0];
      if (typeof picked === 'number') {
        this.host.pick(picked);
      }
    });
    return true;
  }

  /** Removes the gallery (another layer is targeted). */
  clearGallery(): void {
    this.galleryView?.finalize();
    this.galleryView = undefined;
    this.galleryResult = undefined;
    this.gallery.replaceChildren();
  }

  /** Frees the views. */
  dispose(): void {
    this.disposed = true;
    this.filterView?.embedded.finalize();
    this.galleryView?.finalize();
  }
}
