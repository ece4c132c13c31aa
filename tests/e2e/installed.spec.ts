/**
 * The tool as a researcher installs it, with nothing resolved through the checkout: the
 * wheel and the npm package are built from a copy of the sources (no node_modules, no lib),
 * installed into a new venv and a project folder outside the repository, run there by a
 * tslab kernel, and seen working in JupyterLab and in Jupyter Notebook 7 served from that
 * venv. Also: a wheel without its extension is refused, and a folder without tfjs or with
 * an unsupported tfjs gets a message.
 *
 * The tests run in order and build on each other (the build, then the install, then the
 * servers): run the file whole, not one test of it. The work folder is kept when a test
 * fails, to look into, and removed when all pass.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ARTIFACTS, EXAMPLES, watchErrors, writeNotebook } from './helpers';
import {
  freePort,
  installEnv,
  readmeFirstCell,
  run,
  snapshotSources,
  startServer,
  type Server
} from './install';

const ROOT = path.resolve(__dirname, '..', '..');
const VERSION = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
// Outside the repository, so no node_modules of the checkout is on any resolution path.
const WORK = path.join(os.tmpdir(), 'c1e-installed');
const SOURCES = path.join(WORK, 'sources');
const DIST = path.join(WORK, 'dist');
const VENV = path.join(WORK, 'venv');
const PROJECT = path.join(WORK, 'my-project');
const WHEEL = path.join(DIST, `conv1d_explorer-${VERSION}-py3-none-any.whl`);
const TARBALL = path.join(DIST, `conv1d-explorer-${VERSION}.tgz`);
const env = installEnv(ROOT, WORK);
const jupyter = path.join(VENV, 'bin', 'jupyter');

test.describe.configure({ mode: 'serial' });
test.setTimeout(15 * 60_000);

const servers: Server[] = [];
let allPassed = false;
test.afterAll(async () => {
  await Promise.all(servers.map(s => s.stop()));
  if (allPassed) {
    fs.rmSync(WORK, { recursive: true, force: true });
  }
});

test.beforeAll(() => {
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(DIST, { recursive: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  snapshotSources(ROOT, SOURCES);
  // Nothing above the work folder may hold packages that a require there could find.
  for (let dir = path.dirname(WORK); ; dir = path.dirname(dir)) {
    expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
    if (dir === path.dirname(dir)) {
      break;
    }
  }
});

test('a wheel built without its extension is refused', () => {
  const copy = path.join(WORK, 'no-extension');
  fs.cpSync(SOURCES, copy, { recursive: true });
  // The JavaScript build step skipped: the ensured targets must stop the wheel.
  const result = run(
    path.join(ROOT, '.venv', 'bin', 'python'),
    ['-m', 'build', '--wheel', '--no-isolation', '--outdir', path.join(copy, 'dist'), copy],
    { cwd: copy, env: { ...env, HATCH_JUPYTER_BUILDER_SKIP_NPM: '1' }, allowFailure: true }
  );
  expect(result.status).not.toBe(0);
  expect(result.output).toContain(
    'Ensured target "conv1d_explorer/labextension/package.json" does not exist'
  );
  const dist = path.join(copy, 'dist');
  expect(fs.existsSync(dist) ? fs.readdirSync(dist) : []).toEqual([]);
});

test('python -m build in a fresh copy builds the sdist and a wheel holding the extension; npm pack holds the kernel API', () => {
  expect(fs.existsSync(path.join(SOURCES, 'node_modules'))).toBe(false);
  expect(fs.existsSync(path.join(SOURCES, 'lib'))).toBe(false);
  // As pip does it: an isolated build environment from PyPI, the sdist first, then the
  // wheel from the sdist; the build hook runs npm install and npm run build.
  run(path.join(ROOT, '.venv', 'bin', 'python'), ['-m', 'build', '--outdir', DIST, SOURCES], {
    cwd: SOURCES,
    env
  });
  const wheel = run(path.join(ROOT, '.venv', 'bin', 'python'), [
    '-c',
    'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))',
    WHEEL
  ]).output.split('\n');
  const shared = `conv1d_explorer-${VERSION}.data/data/share/jupyter/labextensions/conv1d-explorer/`;
  for (const file of [
    'package.json',
    'install.json',
    'static/style.js',
    'static/wasm/tfjs-backend-wasm.wasm'
  ]) {
    expect(wheel).toContain(shared + file);
  }
  expect(
    wheel.some(f => new RegExp(`^${shared}static/remoteEntry\\.[0-9a-f]+\\.js$`).test(f))
  ).toBe(true);
  expect(wheel.some(f => /^.*static\/worker\/maximize\.worker\.[0-9a-f]+\.js$/.test(f))).toBe(true);
  // Once, as shared data: not also inside the Python package.
  expect(wheel.filter(f => f.startsWith('conv1d_explorer/labextension'))).toEqual([]);
  expect(wheel).toContain('conv1d_explorer/_version.py');
  // The sdist holds the sources and the built extension, so a wheel built from it needs no
  // npm; no node_modules, lib or tests.
  const sdist = run('tar', ['tzf', path.join(DIST, `conv1d_explorer-${VERSION}.tar.gz`)])
    .stdout.split('\n')
    .map(f => f.replace(/^conv1d_explorer-[^/]+\//, ''));
  expect(sdist).toEqual(
    expect.arrayContaining([
      'conv1d_explorer/labextension/package.json',
      'conv1d_explorer/labextension/static/style.js',
      'conv1d_explorer/_version.py',
      'src/index.ts',
      'src/lab/plugin.ts',
      'scripts/build-worker.mjs',
      'package-lock.json',
      'webpack.config.js'
    ])
  );
  expect(sdist.filter(f => /^(node_modules|lib|tests)\//.test(f))).toEqual([]);

  run('npm', ['pack', '--pack-destination', DIST], { cwd: SOURCES, env });
  const files = run('tar', ['tzf', TARBALL]).output.split('\n');
  expect(files).toEqual(
    expect.arrayContaining([
      'package/lib/index.js',
      'package/lib/index.d.ts',
      'package/lib/kernel/explore.js',
      'package/lib/core/index.d.ts',
      'package/LICENSE'
    ])
  );
  // The kernel API only (with its sources, for the source maps): no browser code.
  expect(files).toContain('package/lib/index.js.map');
  expect(files.filter(f => /\/lab\//.test(f))).toEqual([]);
  const manifest = JSON.parse(run('tar', ['xzOf', TARBALL, 'package/package.json']).output) as {
    dependencies?: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  // Its own dependencies: the zip and HDF5 readers of Keras files, pure JavaScript.
  expect(manifest.dependencies).toEqual({ fflate: '^0.8.3', jsfive: '^0.4.2' });
  expect(manifest.peerDependencies).toEqual({ '@tensorflow/tfjs': '>=4.22.0 <5' });
});

test('installed into a venv and a project folder: a tslab notebook runs and JupyterLab shows its explorer', async ({
  browser
}) => {
  // The researcher's commands (README, "Install in your own project").
  run('python3', ['-m', 'venv', VENV], { env });
  run(
    path.join(VENV, 'bin', 'pip'),
    ['install', '-q', '--disable-pip-version-check', WHEEL, 'jupyterlab==4.6.6', 'notebook==7.6.5'],
    { env }
  );
  fs.mkdirSync(PROJECT);
  fs.writeFileSync(
    path.join(PROJECT, 'package.json'),
    '{ "name": "my-project", "private": true }\n'
  );
  run('npm', ['install', '--no-audit', '--no-fund', '@tensorflow/tfjs@4', 'tslab', TARBALL], {
    cwd: PROJECT,
    env
  });
  run(
    path.join(PROJECT, 'node_modules', '.bin', 'tslab'),
    [
      'install',
      `--python=${path.join(VENV, 'bin', 'python')}`,
      '--sys-prefix',
      `--binary=${path.join(PROJECT, 'node_modules', '.bin', 'tslab')}`
    ],
    { cwd: PROJECT, env }
  );

  // Both halves report one version; the extension is the venv's.
  const listed = run(jupyter, ['labextension', 'list'], { env }).output.replace(
    // eslint-disable-next-line no-control-regex
    /\x1b\[\d+m/g,
    '' // colours
  );
  const underVenv = listed.split(`${path.join(VENV, 'share', 'jupyter', 'labextensions')}\n`);
  expect(underVenv).toHaveLength(2);
  expect(underVenv[1]).toMatch(
    new RegExp(`^(\\s+.*\\n)*?\\s+conv1d-explorer v${VERSION.replace(/\./g, '\\.')} enabled OK`)
  );
  expect(
    run(
      path.join(VENV, 'bin', 'python'),
      ['-c', 'import conv1d_explorer; print(conv1d_explorer.__version__)'],
      { cwd: PROJECT, env } // not the checkout, whose own conv1d_explorer/ would be imported
    ).output.trim()
  ).toBe(VERSION);
  expect(run(jupyter, ['kernelspec', 'list'], { env }).output).toMatch(/tslab\s+\S*venv/);

  // Plain Node too, as an ES module importing the CommonJS package by name; a .keras file
  // loads with the package's own dependencies (its zip and HDF5 readers).
  fs.copyFileSync(
    path.join(ROOT, 'tests', 'fixtures', 'keras', 'keras3', 'dna.keras'),
    path.join(PROJECT, 'dna.keras')
  );
  const script = [
    "import * as tf from '@tensorflow/tfjs';",
    "import { conv1dLayers, featureMaps, loadModel, PACKAGE_VERSION } from 'conv1d-explorer';",
    'const model = tf.sequential({ layers: [tf.layers.conv1d({ inputShape: [null, 4], filters: 1,',
    "  kernelSize: 2, kernelInitializer: 'ones', useBias: false, name: 'c' })] });",
    "console.log(PACKAGE_VERSION, JSON.stringify(featureMaps(model, 'ACGT', 'c')));",
    "console.log(conv1dLayers(await loadModel('dna.keras')).map(l => l.name).join(' '));"
  ].join('\n');
  expect(
    run('node', ['--input-type=module', '-e', script], { cwd: PROJECT, env }).stdout.trim()
  ).toBe(`${VERSION} [[2],[2],[2]]\nmotifs pairs`);

  fs.cpSync(path.join(EXAMPLES, 'models', 'dna'), path.join(PROJECT, 'models', 'dna'), {
    recursive: true
  });
  writeNotebook(path.join(PROJECT, 'first.ipynb'), [
    readmeFirstCell(path.join(ROOT, 'README.md')),
    [
      'import { PACKAGE_VERSION } from "conv1d-explorer";',
      'console.log(JSON.stringify({ version: PACKAGE_VERSION, api: require.resolve("conv1d-explorer"),',
      '  tfjs: require.resolve("@tensorflow/tfjs"), tfjsVersion: tf.version.tfjs }));'
    ].join('\n'),
    'await explore(await loadModel("models/dna/model.json"), "ACGT".repeat(25), { title: "DNA" });'
  ]);
  run(jupyter, ['execute', '--timeout=300', '--inplace', 'first.ipynb'], { cwd: PROJECT, env });
  const executed = JSON.parse(fs.readFileSync(path.join(PROJECT, 'first.ipynb'), 'utf8')) as {
    cells: {
      outputs: {
        output_type: string;
        name?: string;
        text?: string[];
        data?: Record<string, unknown>;
      }[];
    }[];
  };
  const printed = executed.cells[1].outputs.find(o => o.name === 'stdout')!.text!.join('');
  const where = JSON.parse(printed) as {
    version: string;
    api: string;
    tfjs: string;
    tfjsVersion: string;
  };
  expect(where.version).toBe(VERSION);
  expect(where.api).toBe(path.join(PROJECT, 'node_modules', 'conv1d-explorer', 'lib', 'index.js'));
  // A copy, not a link to the checkout.
  expect(fs.realpathSync(where.api).startsWith(fs.realpathSync(PROJECT) + path.sep)).toBe(true);
  expect(where.tfjs.startsWith(path.join(PROJECT, 'node_modules', '@tensorflow', 'tfjs'))).toBe(
    true
  );
  for (const k of [0, 2]) {
    const outputs = executed.cells[k].outputs;
    expect(outputs.map(o => o.output_type)).toEqual(['display_data']);
    expect(Object.keys(outputs[0].data!)).toEqual([
      'application/vnd.conv1d-explorer.v1+json',
      'text/plain'
    ]);
  }

  const lab = await startServer(jupyter, 'lab', PROJECT, await freePort(), env);
  servers.push(lab);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = watchErrors(page);
  await page.goto(`${lab.url}/lab/tree/first.ipynb`);
  const explorers = page.locator('.c1e-explorer');
  await expect(explorers).toHaveCount(2, { timeout: 90_000 });
  await expectFollowsSlider(page, explorers.first(), ' 1 of 7');
  await expectFollowsSlider(page, explorers.nth(1), ' 1 of 7');
  await page.screenshot({ path: path.join(ARTIFACTS, 'installed-jupyterlab.png') });
  expect(errors).toEqual([]);
  await page.close();
  await lab.stop();
});

test('Notebook 7 from the same wheel: the executed notebook explores, and a model.json opens with Open With', async ({
  browser
}) => {
  const notebook = await startServer(jupyter, 'notebook', PROJECT, await freePort(), env);
  servers.push(notebook);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = watchErrors(page);
  await page.goto(`${notebook.url}/notebooks/first.ipynb`);
  const explorers = page.locator('.c1e-explorer');
  await expect(explorers).toHaveCount(2, { timeout: 90_000 });
  await expectFollowsSlider(page, explorers.first(), ' 1 of 7');
  await page.screenshot({ path: path.join(ARTIFACTS, 'installed-notebook7.png') });

  // Notebook 7's file browser: right click, Open With, Conv1D Explorer: a new tab.
  await page.goto(`${notebook.url}/tree/models/dna`);
  await page.locator('.jp-DirListing-item', { hasText: 'model.json' }).click({ button: 'right' });
  await page.locator('.lm-Menu-item', { hasText: 'Open With' }).hover();
  const opened = page.context().waitForEvent('page');
  await page.locator('.lm-Menu-item', { hasText: 'Conv1D Explorer' }).click();
  const tab = await opened;
  const tabErrors = watchErrors(tab);
  const view = tab.locator('.c1e-model-file');
  await expect(view).toHaveAttribute('data-loaded', 'true', { timeout: 60_000 });
  await expect(view.locator('.c1e-hint')).toContainText('2 Conv1D layers');
  await view.locator('button.c1e-random').click();
  const explorer = view.locator('.c1e-explorer');
  await expectFollowsSlider(tab, explorer, ' 1 of 7');
  await tab.screenshot({ path: path.join(ARTIFACTS, 'installed-notebook7-model-file.png') });
  expect([...errors, ...tabErrors]).toEqual([]);
  await tab.close();
  await page.close();
  await notebook.stop();
});

test('a folder without tfjs, or with tfjs 3, gets a message naming the package in its tslab cell', () => {
  const cases = [
    {
      folder: 'no-tfjs',
      extra: [],
      message:
        /needs @tensorflow\/tfjs >=4\.22\.0 <5, which is not installed where the package, in ".*no-tfjs\/node_modules\/conv1d-explorer", can find it\. In the notebook folder: npm install @tensorflow\/tfjs@4/
    },
    {
      folder: 'old-tfjs',
      extra: ['@tensorflow/tfjs@3.21.0'],
      message:
        /needs @tensorflow\/tfjs >=4\.22\.0 <5, but the notebook folder has @tensorflow\/tfjs 3\.21\.0 \(.*old-tfjs\/node_modules\/@tensorflow\/tfjs\)/
    }
  ];
  for (const { folder, extra, message } of cases) {
    const dir = path.join(WORK, folder);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), `{ "name": "${folder}", "private": true }\n`);
    // npm itself refuses an unmet peer; --legacy-peer-deps is how such folders come about.
    run('npm', ['install', '--no-audit', '--no-fund', '--legacy-peer-deps', TARBALL, ...extra], {
      cwd: dir,
      env
    });
    writeNotebook(path.join(dir, 'try.ipynb'), ['import { explore } from "conv1d-explorer";']);
    run(jupyter, ['execute', '--timeout=300', '--inplace', '--allow-errors', 'try.ipynb'], {
      cwd: dir,
      env
    });
    const outputs = (
      JSON.parse(fs.readFileSync(path.join(dir, 'try.ipynb'), 'utf8')) as {
        cells: { outputs: { name?: string; text?: string[] }[] }[];
      }
    ).cells[0].outputs;
    const stderr = outputs
      .filter(o => o.name === 'stderr')
      .map(o => o.text!.join(''))
      .join('');
    expect(stderr).toMatch(message);
    // A refusal, not a crash: the message alone, without stack frames into the library.
    expect(stderr).not.toMatch(/\n\s+at /);
  }
  allPassed = true;
});

/** The explorer has computed, and moving its filter slider one step redraws its charts. */
async function expectFollowsSlider(page: Page, explorer: Locator, label: string): Promise<void> {
  await expect(explorer).toHaveAttribute('data-ready', 'true', { timeout: 90_000 });
  // wasm: its binaries are served from the installed extension's own folder.
  await expect(explorer.locator('.c1e-status')).toContainText('TensorFlow.js on the wasm backend');
  await explorer.scrollIntoViewIfNeeded();
  const chart = explorer.locator('.c1e-chart .c1e-vega canvas');
  const before = await chart.screenshot();
  await explorer.locator('input.c1e-filter').focus();
  await page.keyboard.press('ArrowRight');
  await expect(explorer.locator('.c1e-filter-label')).toHaveText(label);
  await expect.poll(async () => (await chart.screenshot()).equals(before)).toBe(false);
}
