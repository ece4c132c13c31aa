/**
 * The MIME renderer extension: explorer outputs in notebooks are drawn by
 * `ExplorerRenderer`.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { MIME_TYPE } from '../protocol';
import { ExplorerRenderer } from './renderer';

/**
 * Renders `application/vnd.conv1d-explorer.v1+json` outputs. `safe`: the payload is pure
 * data and never runs as code, so the explorer also renders in untrusted (shared) notebooks.
 */
const extension: IRenderMime.IExtension = {
  id: 'conv1d-explorer:renderer',
  rendererFactory: {
    safe: true,
    mimeTypes: [MIME_TYPE],
    createRenderer: options => new ExplorerRenderer(options)
  },
  rank: 0,
  dataType: 'string'
};

export default extension;
