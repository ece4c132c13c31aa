/**
 * A page that shows explorer outputs outside JupyterLab, with the extension's own renderer:
 * JupyterLab's settings validation compiles schemas with `new Function`, so it cannot load
 * under a Content-Security-Policy without 'unsafe-eval'; this page can, and shows that the
 * explorer needs no eval. It renders every output of `payloads.json` (or of the file named
 * by `?payloads=`), one after the other.
 */
import { ExplorerRenderer } from '../../../src/lab/renderer';
import { MIME_TYPE } from '../../../src/protocol';

interface Output {
  data: { [mime: string]: unknown };
  metadata: { [key: string]: unknown };
}

async function main(): Promise<void> {
  const file = new URLSearchParams(location.search).get('payloads') ?? 'payloads.json';
  const outputs = (await (await fetch(file)).json()) as Output[];
  for (const output of outputs) {
    const renderer = new ExplorerRenderer({
      mimeType: MIME_TYPE,
      sanitizer: { sanitize: (s: string) => s },
      resolver: null,
      linkHandler: null,
      latexTypesetter: null
    } as never);
    const host = document.createElement('div');
    host.className = 'output';
    document.body.appendChild(host);
    host.appendChild(renderer.node);
    const model = {
      trusted: false,
      data: output.data,
      metadata: output.metadata,
      setData(options: { data?: Output['data']; metadata?: Output['metadata'] }): void {
        model.data = options.data ?? model.data;
        model.metadata = options.metadata ?? model.metadata;
      }
    };
    await renderer.renderModel(model as never);
  }
  document.body.dataset.rendered = String(outputs.length);
}

void main();
