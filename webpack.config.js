// Extra webpack rules for the JupyterLab build (merged into @jupyter/builder's config).
module.exports = {
  module: {
    rules: [
      // tfjs' wasm backend binaries: emitted as files beside the bundle, their URLs imported.
      { test: /\.wasm$/, type: 'asset/resource', generator: { filename: 'wasm/[name][ext]' } },
      // The maximization worker, bundled beforehand by scripts/build-worker.mjs: a file, not a module.
      {
        test: /maximize\.worker\.js$/,
        type: 'asset/resource',
        generator: { filename: 'worker/[name].[contenthash:8][ext]' }
      }
    ]
  },
  resolve: {
    // The builder also bundles the package's `main`, the kernel-side API for Node; the
    // browser never loads it, but its Node imports must resolve.
    fallback: { fs: false, path: false, url: false, zlib: false }
  }
};
