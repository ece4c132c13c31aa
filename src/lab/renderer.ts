import { Widget } from '@lumino/widgets';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { decodePayload, MIME_TYPE } from '../protocol';
import { ExplorerView } from './view';

/**
 * Renders an explorer output. Exported so tests and other packages can build one.
 */
export class ExplorerRenderer extends Widget implements IRenderMime.IRenderer {
  private view: ExplorerView | undefined;

  constructor(private readonly options: IRenderMime.IRendererOptions) {
    super();
    this.addClass('c1e-renderer');
  }

  /**
   * Shows the explorer for the output's payload, or a message saying why it cannot.
   *
   * @param model - the output's MIME model
   */
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this.view?.dispose();
    this.view = undefined;
    this.node.replaceChildren();
    try {
      const payload = decodePayload(model.data[this.options.mimeType ?? MIME_TYPE]);
      this.view = new ExplorerView(payload);
      this.node.appendChild(this.view.node);
      await this.view.start();
    } catch (e) {
      const error = document.createElement('div');
      error.className = 'c1e-status c1e-error';
      error.textContent = `conv1d-explorer cannot show this output: ${(e as Error).message}`;
      this.node.replaceChildren(error);
    }
  }

  /** Frees the explorer's views. */
  dispose(): void {
    this.view?.dispose();
    this.view = undefined;
    super.dispose();
  }
}
