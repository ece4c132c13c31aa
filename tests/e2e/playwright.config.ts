/**
 * End-to-end tests: a real JupyterLab server with the tslab kernel, driven in Debian's
 * headless Chromium through Galata.
 */
import * as path from 'path';
import { CHROMIUM_ARGS } from './chromium';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const ROOT = path.resolve(__dirname, '..', '..');
export const SERVER_ROOT =
  process.env.JUPYTERLAB_GALATA_ROOT_DIR ?? path.join(__dirname, '.server-root');
const PORT = Number(process.env.C1E_E2E_PORT ?? 8895);

module.exports = {
  ...baseConfig,
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: path.join(__dirname, 'test-results'),
  reporter: [
    ['list'],
    ['json', { outputFile: path.join(__dirname, 'test-results', 'report.json') }]
  ],
  timeout: 180000,
  workers: 1,
  retries: 0,
  use: {
    ...baseConfig.use,
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1400, height: 1000 },
    video: 'off',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS
    }
  },
  webServer: {
    command: `${path.join(ROOT, '.venv', 'bin', 'jupyter')} lab --config ${path.join(__dirname, 'jupyter_server_test_config.py')}`,
    url: `http://127.0.0.1:${PORT}/lab`,
    timeout: 120000,
    reuseExistingServer: false,
    env: { ...process.env, JUPYTERLAB_GALATA_ROOT_DIR: SERVER_ROOT, C1E_E2E_PORT: String(PORT) }
  }
};
