/**
 * The renderer of an explorer output: the live views, or, in a notebook opened without
 * the extension's code yet, the saved picture; a bad payload becomes a message.
 */
import { Widget } from '@lumino/widgets';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { decodePayload, MIME_TYPE } from '../protocol';
import { readSavedView, SAVED_VIEW_KEY } from './savedView';
import { forTests } from './testHooks';
import { ExplorerView } from './view';
import { errorMessage } from '../core/errors';

/** How long the views must stay unchanged before a new picture is taken. */
const PICTURE_DELAY_MS = 1000;

/**
 * Renders an explorer output. Exported so tests and other packages can build one.
 *
 * Besides the interactive explorer, it keeps in the output a picture of the current views
 * (`image/png`, as JupyterLab's own Vega renderer does), so the notebook shows something
 * where the extension is not installed (GitHub, nbviewer, `jupyter nbconvert`), and the view
 * itself (output metadata), so a reopened notebook shows what the user was looking at.
 */
export class ExplorerRenderer extends Widget implements IRenderMime.IRenderer {
  private view: ExplorerView | undefined;
  private model: IRenderMime.IMimeModel | undefined;
  private payloadText: unknown;
  private pictureTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: IRenderMime.IRendererOptions) {
    super();
    this.addClass('c1e-renderer');
  }

  /**
   * Shows the explorer for the output's payload, or a message saying why it cannot.
   * Called again whenever the output's data changes (our own picture included): the same
   * payload keeps the explorer as it is.
   *
   * @param model - the output's MIME model
   */
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const text = model.data[this.options.mimeType ?? MIME_TYPE];
    this.model = model;
    if (this.view && text === this.payloadText) {
      return;
    }
    this.payloadText = text;
    this.view?.dispose();
    this.view = undefined;
    this.node.replaceChildren();
    try {
      const payload = decodePayload(text);
      const saved = readSavedView(model.metadata);
      this.view = new ExplorerView(payload, {
        onSettled: () => this.schedulePicture(),
        saved,
        payloadBytes: typeof text === 'string' ? new TextEncoder().encode(text).length : undefined
      });
      this.node.appendChild(this.view.node);
      await this.view.start();
    } catch (e) {
      const error = document.createElement('div');
      error.className = 'c1e-status c1e-error';
      error.textContent = `conv1d-explorer cannot show this output: ${errorMessage(e)}`;
      this.node.replaceChildren(error);
    }
  }

  /** Takes a picture once the views have stayed unchanged for a moment. */
  private schedulePicture(): void {
    clearTimeout(this.pictureTimer);
    this.pictureTimer = setTimeout(() => void this.savePicture(), PICTURE_DELAY_MS);
  }

  private async savePicture(): Promise<void> {
    const view = this.view;
    const model = this.model;
    if (!view || !model || this.isDisposed) {
      return;
    }
    // Drawing the picture re-renders every view on the main thread: not while a maximization
    // runs (its end settles the views and schedules the picture again).
    if (view.busy) {
      return;
    }
    const state = view.savedView();
    // A notebook reopened on its saved view stays unmodified: only a new view is stored.
    const changed =
      !model.data['image/png'] ||
      JSON.stringify(state) !== JSON.stringify(model.metadata[SAVED_VIEW_KEY]);
    if (!state || !changed) {
      return;
    }
    const picture = await view.picture().catch(() => null);
    if (picture && !this.isDisposed) {
      model.setData({
        data: { ...model.data, 'image/png': picture },
        metadata: { ...model.metadata, [SAVED_VIEW_KEY]: state } as unknown as typeof model.metadata
      });
      forTests.mark(this.node, { picture: 'saved' });
    }
  }

  /** Frees the explorer's views. */
  dispose(): void {
    clearTimeout(this.pictureTimer);
    this.view?.dispose();
    this.view = undefined;
    super.dispose();
  }
}
