import * as path from 'path';

/** The Jupyter server's root folder in the end-to-end tests (inside the repository). */
export const SERVER_ROOT =
  process.env.JUPYTERLAB_GALATA_ROOT_DIR ?? path.join(__dirname, '.server-root');
