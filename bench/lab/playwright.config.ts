/**
 * The in-JupyterLab part of `npm run bench`: the end-to-end tests' server, kernel and
 * browser, running the measurements in bench/lab/*.bench.ts instead of tests.
 */
import * as path from 'path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const e2e = require('../../tests/e2e/playwright.config');

module.exports = {
  ...e2e,
  testDir: '.',
  testMatch: '*.bench.ts',
  outputDir: path.join(__dirname, '..', 'results', 'lab-output'),
  reporter: [['list']],
  timeout: 600000
};
