/**
 * Builds and serves the standalone explorer page (page.ts) for browser tests that
 * JupyterLab cannot host, such as a Content-Security-Policy without 'unsafe-eval'.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Bundles page.ts, the maximization worker and tfjs' wasm files into a folder, as the
 * JupyterLab build does: the worker and the wasm files are separate files, their URLs
 * imported.
 *
 * @param outDir - the folder to write
 */
export async function buildStandalonePage(outDir: string): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(__dirname, 'page.ts')],
    outfile: path.join(outDir, 'page.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
    plugins: [
      {
        name: 'assets-as-urls',
        setup(b) {
          b.onResolve({ filter: /(maximize\.worker\.js|\.wasm)$/ }, args => ({
            path: path.basename(args.path),
            namespace: 'asset'
          }));
          b.onLoad({ filter: /.*/, namespace: 'asset' }, args => {
            const source = args.path.endsWith('.wasm')
              ? path.join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist', args.path)
              : path.join(ROOT, 'lib/lab/maximize.worker.js');
            fs.copyFileSync(source, path.join(outDir, args.path));
            return { contents: `module.exports = ${JSON.stringify(args.path)};`, loader: 'js' };
          });
        }
      }
    ]
  });
  fs.writeFileSync(
    path.join(outDir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8">' +
      '<link rel="stylesheet" href="style.css"></head>' +
      '<body><script src="page.js"></script></body></html>'
  );
  fs.copyFileSync(path.join(ROOT, 'style', 'base.css'), path.join(outDir, 'style.css'));
}

const TYPES: { [ext: string]: string } = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm'
};

/** Where the served policy asks browsers to report violations. */
const REPORT_PATH = '/csp-report';

/**
 * Serves a folder on a free local port, every response (the worker's script too) with the
 * given Content-Security-Policy header, plus a `report-uri`: the browser posts every
 * violation there, from the page and from its workers alike.
 *
 * @param dir - the folder
 * @param policy - the Content-Security-Policy
 * @returns the server's URL, the violation reports received so far, and a function that
 *   stops the server
 */
export async function serveWithPolicy(
  dir: string,
  policy: string
): Promise<{ url: string; reports: string[]; close: () => Promise<void> }> {
  const reports: string[] = [];
  const header = `${policy}; report-uri ${REPORT_PATH}`;
  const server = http.createServer((req, res) => {
    if (req.url === REPORT_PATH) {
      let body = '';
      req.on('data', chunk => (body += chunk));
      req.on('end', () => {
        reports.push(body);
        res.writeHead(204).end();
      });
      return;
    }
    const name = path.basename(new URL(req.url ?? '/', 'http://x').pathname) || 'index.html';
    const file = path.join(dir, name);
    if (name === 'favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!fs.existsSync(file)) {
      console.log(`standalone page: 404 ${req.url}`);
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': header
    });
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    reports,
    close: () => new Promise(resolve => server.close(() => resolve()))
  };
}
