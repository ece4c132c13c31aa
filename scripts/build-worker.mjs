// Bundles the maximization worker (src/lab/worker/main.ts, with tfjs and the core) into one
// file. JupyterLab's webpack build then ships it as an asset beside the extension's bundle
// (see webpack.config.js), so the worker loads from the Jupyter server like the wasm files.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/lab/worker/main.ts'],
  outfile: 'lib/lab/maximize.worker.js',
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning'
});
