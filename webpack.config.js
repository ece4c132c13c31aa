// Extra webpack rules for the JupyterLab build (merged into @jupyter/builder's config).
module.exports = {
  module: {
    rules: [
      // tfjs' wasm backend binaries: emitted as files beside the bundle, their URLs imported.
      { test: /\.wasm$/, type: 'asset/resource', generator: { filename: 'wasm/[name][ext]' } }
    ]
  },
  resolve: {
    // The builder also bundles the package's `main`, the kernel-side API for Node; the
    // browser never loads it, but its Node imports must resolve.
    fallback: { fs: false, path: false, url: false }
  }
};
