/**
 * Every Vega-Lite spec of src/lab through the real vega-lite and vega, as the browser runs
 * them: compiled (light and dark theme), parsed for the expression interpreter and run in a
 * headless View, for realistic inputs (specCases.ts). Also: the pictures' colours against
 * Vega's own scales, and payload labels kept out of every compiled expression. Vega runs in
 * a Node process of its own (vegaRunner.ts): jest cannot load its ES modules.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import { activationColors } from '../../src/lab/explorerViews';
import { explorerSpec } from '../../src/lab/specs';
import { maximizationRows } from '../../src/lab/maximizationRows';
import { gallerySpec, maximizationSpec } from '../../src/lab/maximizationSpecs';
import type { PictureRamp } from '../../src/lab/colors';
import { allSpecCases, layerData, runSnapshot, type SpecCase } from './specCases';
import type { ColorJob, ColorResult, RunnerJob, SpecJob, SpecResult } from './vegaRunner';

const ROOT = path.resolve(__dirname, '../..');

/** Runs a job in vegaRunner.ts (real Node, real ES modules). */
function runVega(job: RunnerJob): { specs: SpecResult[]; colors: ColorResult[] } {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'vegaRunner.ts')],
    { input: JSON.stringify(job), cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 }
  );
  if (result.status !== 0) {
    throw new Error(`vegaRunner failed (${result.status}): ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as { specs: SpecResult[]; colors: ColorResult[] };
}

/** What Vega logs headless that the browser does not: no `window` for the brush's events. */
const HEADLESS_ONLY = 'warn: Can not resolve event source: window';

const THEMES: SpecJob['theme'][] = [null, 'dark'];

/** The rows a spec carries inline for a named dataset. */
function inlineRows(spec: TopLevelSpec, name: string): number {
  const rows = spec.datasets?.[name];
  return Array.isArray(rows) ? rows.length : -1;
}

/** Checks what Vega made of a case: no error or warning, its data sets and signals. */
function expectWorking(c: SpecCase, result: SpecResult | undefined): void {
  expect(result).toBeDefined();
  expect(result!.error).toBeNull();
  expect(result!.log.filter(line => line !== HEADLESS_ONLY)).toEqual([]);
  for (const name of c.data) {
    expect([name, result!.rows[name]]).toEqual([name, inlineRows(c.spec, name)]);
  }
  expect(result!.signals).toEqual(expect.arrayContaining(c.signals));
  // Every mark that reads a data set draws one item per row, each where it can be seen: a
  // mistyped field or expression leaves items out (Vega-Lite drops invalid values) or
  // places them at NaN.
  expect(result!.marks.some(mark => mark.items > 0)).toBe(true);
  for (const mark of result!.marks) {
    const rows = result!.rows[mark.data];
    expect([mark.name, mark.items, mark.finite]).toEqual([mark.name, rows, rows]);
  }
}

/** Exported functions of src/lab that return a Vega-Lite spec. */
function specFunctions(): string[] {
  const names: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(file);
      } else if (file.endsWith('.ts')) {
        for (const chunk of fs.readFileSync(file, 'utf8').split('export function ').slice(1)) {
          const signature = chunk.slice(0, chunk.indexOf('{\n'));
          if (/\):\s*TopLevelSpec\s*$/.test(signature)) {
            names.push(chunk.slice(0, chunk.indexOf('(')));
          }
        }
      }
    }
  };
  walk(path.join(ROOT, 'src/lab'));
  return names.sort();
}

/** Payload strings that would do harm as an expression or as HTML. */
const HOSTILE = "datum.x + alert(1)'";
const HOSTILE_HTML = '<img src=x onerror=alert(1)>';

/** Explorer, maximization and gallery specs whose labels are all hostile. */
function hostileSpecs(): SpecJob[] {
  const layer = layerData({
    name: HOSTILE,
    filters: 3,
    kernelSize: 2,
    channels: [HOSTILE, HOSTILE_HTML],
    length: 9,
    span: { jump: 1, start: 0, size: 2 },
    bias: true,
    values: 'linear'
  });
  const symbols = Array.from({ length: 10 }, (_, i) => (i % 2 ? HOSTILE : HOSTILE_HTML));
  const snapshot = runSnapshot({
    rows: 2,
    length: 10,
    width: 2,
    steps: 4,
    nearest: true,
    probabilities: true
  });
  const rows = maximizationRows(snapshot, 0, {
    channels: [HOSTILE, HOSTILE_HTML],
    vocabulary: Array.from({ length: 10 }, () => HOSTILE),
    softmax: true,
    field: [2, 3]
  });
  // Unaligned: the layer's name becomes its position axis' title.
  const unaligned = { ...layer, span: null };
  const specs = [
    explorerSpec(layer, symbols, { filter: 1 }),
    explorerSpec(layer, symbols, { filter: 0, words: true, brush: [1, 4] }),
    explorerSpec(unaligned, symbols, { filter: 2 }),
    maximizationSpec(rows, { width: 400, length: 10, softmax: true, words: true, channels: 2 }),
    gallerySpec(snapshot, {
      width: 400,
      softmax: true,
      layer: HOSTILE,
      summaries: [HOSTILE, HOSTILE_HTML],
      image: { url: 'data:image/png;base64,AAAA', min: 0, max: 1 }
    })
  ];
  return specs.map((spec, i) => ({ name: `hostile ${i}`, spec, theme: null }));
}

/** A layer whose activations span `[lo, hi]`: its explorer spec and the picture's ramp. */
function colorCase(lo: number, hi: number, values: number[]): ColorJob {
  const layer = layerData({
    name: 'conv',
    filters: 2,
    kernelSize: 2,
    channels: ['A', 'C', 'G', 'T'],
    length: 4,
    span: { jump: 1, start: 0, size: 2 },
    bias: false,
    values: 'linear'
  });
  layer.activations = Float32Array.from([lo, hi, (lo + hi) / 2, lo, hi, lo, hi, hi]);
  const ramp: PictureRamp = activationColors(layer);
  const sweep = Array.from({ length: 41 }, (_, i) => lo + ((hi - lo) * i) / 40);
  return {
    name: `[${lo}, ${hi}]`,
    spec: explorerSpec(layer, ['A', 'C', 'G', 'T', 'A'], { filter: 0 }),
    ramp,
    values: [...values, ...sweep]
  };
}

/** Values where the picture's colour table and Vega agree to the byte: t = k/4 exactly. */
const COLOR_CASES: { lo: number; hi: number; exact: number[] }[] = [
  { lo: 0, hi: 4, exact: [0, 1, 2, 3, 4] },
  // Diverging: white at 0, the midpoint of the scheme, whatever the domain's asymmetry.
  { lo: -2, hi: 6, exact: [-2, -1, 0, 3, 6] },
  { lo: -0.25, hi: 50, exact: [-0.25, -0.125, 0, 25, 50] },
  // All negative: Vega puts the middle (0) past the domain's end.
  { lo: -3, hi: -1, exact: [-3, -2, -1] }
];

/** `rgb(r, g, b)` as numbers. */
function rgb(color: string | null): number[] {
  return (color ?? '').match(/\d+/g)?.map(Number) ?? [];
}

describe('the specs in Vega', () => {
  const cases = allSpecCases();
  const broken = brokenCases(cases[0]);
  let specs: SpecResult[];
  let colors: ColorResult[];

  beforeAll(() => {
    const jobs: SpecJob[] = [
      ...cases.flatMap(c => THEMES.map(theme => ({ name: c.name, spec: c.spec, theme }))),
      ...broken.map(c => ({ name: c.name, spec: c.spec, theme: null })),
      ...hostileSpecs()
    ];
    const colorJobs = COLOR_CASES.map(({ lo, hi, exact }) => colorCase(lo, hi, exact));
    ({ specs, colors } = runVega({ specs: jobs, colors: colorJobs }));
  });

  const result = (name: string, theme: SpecJob['theme']) =>
    specs.find(r => r.name === name && r.theme === theme);

  test('the cases cover every spec function in src/lab', () => {
    expect(specFunctions()).toEqual([
      'datasetSpec',
      'explorerSpec',
      'gallerySpec',
      'maximizationSpec'
    ]);
    expect([...new Set(cases.map(c => c.source))].sort()).toEqual(specFunctions());
  });

  test.each(cases.map(c => [c.name, c] as const))(
    '%s: compiles, parses and runs, light and dark',
    (_name, c) => {
      for (const theme of THEMES) {
        expectWorking(c, result(c.name, theme));
      }
    }
  );

  test('a broken spec fails here, not only in a browser, for its own reason', () => {
    const why = (name: string) => {
      const c = broken.find(b => b.name === name)!;
      expect(() => expectWorking(c, result(c.name, null))).toThrow();
      return result(c.name, null)!;
    };
    expect(why('broken: unknown selection').error).toMatch(/nowhere/);
    expect(why('broken: bad expression').error).toMatch(/Unexpected|expression/i);
    const leftOut = why('broken: dataset left out');
    expect([leftOut.error, leftOut.rows.line]).toEqual([null, 0]);
  });

  test('payload labels never reach a compiled expression', () => {
    const hostile = specs.filter(r => r.name.startsWith('hostile'));
    expect(hostile).toHaveLength(5);
    for (const r of hostile) {
      expect(r.error).toBeNull();
      expect(r.expressions.length).toBeGreaterThan(0);
      expect(r.expressions.filter(e => e.includes('alert') || e.includes('<img'))).toEqual([]);
    }
  });

  test.each(COLOR_CASES.map(c => [`[${c.lo}, ${c.hi}]`, c] as const))(
    'the picture of activations in %s has the colours of Vega’s scale',
    (name, { exact }) => {
      const r = colors.find(c => c.name === name)!;
      expect(r.error).toBeNull();
      const vega = r.vega.map(rgb);
      // Exactly where the table has a step; within one unit of a byte in between.
      expect(r.picture.slice(0, exact.length)).toEqual(vega.slice(0, exact.length));
      r.picture.forEach((color, i) => {
        color.forEach((channel, c) =>
          expect(Math.abs(channel - vega[i][c])).toBeLessThanOrEqual(1)
        );
      });
    }
  );

  test('the diverging midpoint 0 is the scheme’s white, in the picture as in Vega', () => {
    const r = colors.find(c => c.name === '[-2, 6]')!;
    expect(r.scale).toMatchObject({ domainMid: 0, reverse: true, range: { scheme: 'redblue' } });
    expect(rgb(r.vega[2])).toEqual(r.picture[2]);
    expect(Math.min(...r.picture[2])).toBeGreaterThan(230);
  });
});

/** Real breaks: an unknown selection, a bad expression, a dataset left out. */
function brokenCases(c: SpecCase): SpecCase[] {
  const spec = c.spec as { vconcat: { vconcat: { layer: object[] }[] }[] };
  const withTransform = (transform: object[]): TopLevelSpec => {
    const copy = structuredClone(spec);
    const track = copy.vconcat[0].vconcat[2];
    track.layer[1] = { ...track.layer[1], transform };
    return copy as unknown as TopLevelSpec;
  };
  const datasets = { ...c.spec.datasets };
  delete datasets.line;
  return [
    {
      ...c,
      name: 'broken: unknown selection',
      spec: withTransform([{ filter: { param: 'nowhere', empty: false } }])
    },
    { ...c, name: 'broken: bad expression', spec: withTransform([{ filter: 'datum.lo >' }]) },
    { ...c, name: 'broken: dataset left out', spec: { ...c.spec, datasets } as TopLevelSpec }
  ];
}
