/**
 * The sequence logo part (src/lab/logo): layouts and information content against
 * hand-computed values, the colour schemes, the painter against a recording canvas (every
 * glyph's ink stretched onto its box), and the Vega view, compiled and run in real Vega
 * (vegaRunner.ts) with letters above and below the axis, amino acids and tokens.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };
import { informationContent } from '../../src/core/pwm';
import { logoAlphabet, logoColors } from '../../src/lab/logo/colors';
import { informationHeights, logoLayout, type LogoBox } from '../../src/lab/logo/layout';
import { paintLogo, type LogoPicture } from '../../src/lab/logo/picture';
import { LOGO_DATA, logoRows, logoView, type LogoViewOptions } from '../../src/lab/logo/view';
import { maximizationLogo, maximizationRows } from '../../src/lab/maximizationRows';
import { sequenceLogoFrame, sequenceLogoView } from '../../src/lab/maximizationViews';
import { SCHEMA, VIEW_CONFIG } from '../../src/lab/specParts';
import { TINY_PNG, runSnapshot } from './specCases';
import { labelHits } from './specSafety';
import type { SpecResult } from './vegaRunner';

/** A box, its edges compared to 12 digits (sums of decimals are not exact). */
function box(position: number, symbol: number, value: number, y0: number, y1: number): object {
  return { position, symbol, value, y0: expect.closeTo(y0, 12), y1: expect.closeTo(y1, 12) };
}

describe('logo layout', () => {
  test('stacks positive letters up and negative ones down, smallest nearest the axis', () => {
    expect(logoLayout([[0.1, -0.3, 0.5, 0.2]])).toEqual([
      box(0, 0, 0.1, 0, 0.1),
      box(0, 3, 0.2, 0.1, 0.3),
      box(0, 2, 0.5, 0.3, 0.8),
      box(0, 1, -0.3, -0.3, 0)
    ]);
  });

  test('each position stacks on its own; zeros are empty boxes at the axis', () => {
    const boxes = logoLayout([
      [-0.2, -0.1, 0.4, 0],
      [0, 0, 0, 0.75]
    ]);
    expect(boxes).toEqual([
      box(0, 3, 0, 0, 0),
      box(0, 2, 0.4, 0, 0.4),
      box(0, 1, -0.1, -0.1, 0),
      box(0, 0, -0.2, -0.3, -0.1),
      box(1, 0, 0, 0, 0),
      box(1, 1, 0, 0, 0),
      box(1, 2, 0, 0, 0),
      box(1, 3, 0.75, 0, 0.75)
    ]);
    // Every box is as tall as its value.
    for (const b of boxes) {
      expect(b.y1 - b.y0).toBeCloseTo(Math.abs(b.value), 12);
    }
  });

  test('equal heights keep the alphabet order; a value that is not finite stacks as 0', () => {
    expect(logoLayout([[0.25, 0.25, 0.25, 0.25]]).map(b => [b.symbol, b.y0, b.y1])).toEqual([
      [0, 0, 0.25],
      [1, 0.25, 0.5],
      [2, 0.5, 0.75],
      [3, 0.75, 1]
    ]);
    const [nan, one] = logoLayout([[NaN, 1]]);
    expect(nan).toEqual({ position: 0, symbol: 0, value: NaN, y0: 0, y1: 0 });
    expect(one).toEqual({ position: 0, symbol: 1, value: 1, y0: 0, y1: 1 });
    expect(logoLayout([])).toEqual([]);
  });

  test('information content: p × (log2 n − H) bits', () => {
    // H = 0.5·1 + 0.25·2 + 2 · 0.125·3 = 1.75 bits, so the column holds 2 − 1.75 = 0.25 bits.
    const [skewed, uniform, certain, half] = informationHeights([
      [0.5, 0.25, 0.125, 0.125],
      [0.25, 0.25, 0.25, 0.25],
      [0, 0, 1, 0],
      [0.5, 0.5, 0, 0]
    ]);
    expect(skewed).toEqual([0.125, 0.0625, 0.03125, 0.03125]);
    expect(uniform).toEqual([0, 0, 0, 0]);
    expect(certain).toEqual([0, 0, 2, 0]);
    // Two symbols at 1/2: H = 1 bit, 1 bit of information, half of it each.
    expect(half).toEqual([0.5, 0.5, 0, 0]);
    // Stacked, the letters reach the column's information content, the likeliest on top.
    const stacked = logoLayout([skewed]);
    expect(stacked.map(b => b.symbol)).toEqual([2, 3, 1, 0]);
    expect(stacked[3]).toEqual({ position: 0, symbol: 0, value: 0.125, y0: 0.125, y1: 0.25 });
  });

  test('the view rows name each box’s symbol', () => {
    const boxes: LogoBox[] = [
      { position: 2, symbol: 1, value: -0.5, y0: -0.5, y1: 0 },
      { position: 3, symbol: 7, value: 1, y0: 0, y1: 1 }
    ];
    expect(logoRows(boxes, ['A', 'C'])).toEqual([
      { i: 2, s: 'C', v: -0.5, y0: -0.5, y1: 0 },
      { i: 3, s: '?', v: 1, y0: 0, y1: 1 }
    ]);
  });
});

describe('logo colours', () => {
  test('DNA and RNA in the classic colours, whatever the case', () => {
    expect(logoColors(['A', 'C', 'G', 'T'], 'light')).toEqual([
      '#109648',
      '#255C99',
      '#F7B32B',
      '#D62839'
    ]);
    expect(logoColors(['a', 'c', 'g', 'u'], 'light')).toEqual([
      '#109648',
      '#255C99',
      '#F7B32B',
      '#D62839'
    ]);
    expect(logoAlphabet(['A', 'C', 'G', 'T', 'N'])).toBe('nucleotide');
    expect(logoColors(['A', 'C', 'G', 'T', 'N'], 'light')[4]).toBe('#8C8C8C');
  });

  test('amino acids by chemistry', () => {
    const protein = [...'ACDEFGHIKLMNPQRSTVWY'];
    expect(logoAlphabet(protein)).toBe('protein');
    const colors = logoColors(protein, 'light');
    const of = (letters: string) => [...letters].map(l => colors[protein.indexOf(l)]);
    expect(new Set(of('GSTYC'))).toEqual(new Set(['#109648']));
    expect(new Set(of('NQ'))).toEqual(new Set(['#8E44AD']));
    expect(new Set(of('KRH'))).toEqual(new Set(['#255C99']));
    expect(new Set(of('DE'))).toEqual(new Set(['#D62839']));
    expect(new Set(of('AVLIPWFM'))).toEqual(new Set(['#000000']));
    // A gap and an unknown residue are grey; still a protein alphabet.
    expect(logoColors([...'ACDX-'], 'light').slice(3)).toEqual(['#8C8C8C', '#8C8C8C']);
  });

  test('the dark theme lightens what a dark background would hide', () => {
    const protein = [...'AVLIPWFMGK'];
    const light = logoColors(protein, 'light');
    const dark = logoColors(protein, 'dark');
    // Hydrophobic letters: black in light, light grey in dark.
    expect(light.slice(0, 8)).toEqual(Array(8).fill('#000000'));
    expect(dark.slice(0, 8)).toEqual(Array(8).fill('#D0D0D0'));
    expect(dark.slice(8)).toEqual(['#1DB35E', '#5DA9E9']);
    expect(logoColors(['A', 'C', 'G', 'T'], 'dark')).toEqual([
      '#1DB35E',
      '#5DA9E9',
      '#F7B32B',
      '#E8505B'
    ]);
  });

  test('any other alphabet cycles a categorical scheme: every symbol gets a colour', () => {
    const symbols = Array.from({ length: 30 }, (_, i) => `tok${i}`);
    expect(logoAlphabet(symbols)).toBe('categorical');
    const colors = logoColors(symbols, 'light');
    expect(colors).toHaveLength(30);
    expect(colors.every(c => /^#[0-9a-f]{6}$/i.test(c))).toBe(true);
    expect(new Set(colors).size).toBe(10);
    expect(colors.slice(0, 3)).toEqual(['#4c78a8', '#f58518', '#e45756']);
    for (let i = 0; i < 20; i++) {
      expect(colors[i + 10]).toBe(colors[i]);
    }
    expect(logoColors(symbols, 'dark')[10]).toBe('#6fa8dc');
    // Letters that are neither DNA nor amino acids only (a digit among them).
    expect(logoAlphabet(['A', 'C', 'G', '1'])).toBe('categorical');
  });
});

/** One call the painter made on the canvas. */
type Call = [string, ...unknown[]];

/** Ink of a fake font: per text, measured at the font's size, as measureText gives it. */
const NO_INK = { left: 0, right: 0, ascent: 0, descent: 0 };
const INK: Record<string, typeof NO_INK> = {
  A: { left: 1, right: 20, ascent: 30, descent: 0 },
  C: { left: -2, right: 18, ascent: 31, descent: 1 },
  GAT: { left: 0, right: 60, ascent: 30, descent: 0 },
  ' ': NO_INK
};

/** A canvas that records what is drawn and where a glyph's ink corners land. */
function recordingCanvas(): { canvas: HTMLCanvasElement; calls: Call[] } {
  const calls: Call[] = [];
  let transform = [1, 0, 0, 1, 0, 0];
  const context = {
    font: '',
    fillStyle: '',
    textAlign: '',
    textBaseline: '',
    setTransform: (...m: number[]) => (transform = m),
    clearRect: (...a: number[]) => calls.push(['clearRect', ...a]),
    fillRect: (...a: number[]) => calls.push(['fillRect', context.fillStyle, ...a]),
    measureText: (text: string) => {
      const ink = INK[text] ?? NO_INK;
      return {
        actualBoundingBoxLeft: ink.left,
        actualBoundingBoxRight: ink.right,
        actualBoundingBoxAscent: ink.ascent,
        actualBoundingBoxDescent: ink.descent
      };
    },
    fillText: (text: string, x: number, y: number) => {
      const [a, b, c, d, e, f] = transform;
      const at = (u: number, v: number) => [a * u + c * v + e, b * u + d * v + f];
      const ink = INK[text];
      // Where the ink's top left and bottom right corners are drawn.
      const [x0, y0] = at(x - ink.left, y - ink.ascent);
      const [x1, y1] = at(x + ink.right, y + ink.descent);
      calls.push(['fillText', context.fillStyle, text, x0, y0, x1, y1]);
    }
  };
  const canvas = { width: 0, height: 0, style: {}, getContext: () => context };
  return { canvas: canvas as unknown as HTMLCanvasElement, calls };
}

/** Rounds the numbers of a call, for exact comparison. */
function rounded(call: Call): unknown[] {
  return call.map(v => (typeof v === 'number' ? Math.round(v * 1e9) / 1e9 : v));
}

describe('logo picture', () => {
  const picture: LogoPicture = {
    boxes: logoLayout([
      [0.5, 1.5],
      [-0.5, 0]
    ]),
    symbols: ['A', 'C'],
    colors: ['green', 'blue'],
    positions: 2,
    yDomain: [-1, 2],
    width: 100,
    height: 60
  };

  test('stretches each glyph’s ink over its box, at twice the pixels', () => {
    const { canvas, calls } = recordingCanvas();
    paintLogo(canvas, picture);
    // 2× the CSS size; columns of 100 px, 10 px of gap; 40 px per unit of height.
    expect([canvas.width, canvas.height, canvas.style.width, canvas.style.height]).toEqual([
      200,
      120,
      '100px',
      '60px'
    ]);
    expect(calls.map(rounded)).toEqual([
      ['clearRect', 0, 0, 200, 120],
      // Position 0: A from 0 to 0.5, C from 0.5 to 2 (the top of the picture); 0 is 80 px
      // down.
      ['fillText', 'green', 'A', 5, 60, 95, 80],
      ['fillText', 'blue', 'C', 5, 0, 95, 60],
      // Position 1: C (0) is empty and left out; A below the axis, from 0 down to -0.5.
      ['fillText', 'green', 'A', 105, 80, 195, 100]
    ]);
  });

  test('flips the letters below the axis if asked; honours the pixel ratio and gap', () => {
    const { canvas, calls } = recordingCanvas();
    paintLogo(canvas, { ...picture, flipBelow: true, pixelRatio: 3, gap: 0 });
    expect([canvas.width, canvas.height]).toEqual([300, 180]);
    const below = calls.filter(c => c[0] === 'fillText').map(rounded)[2];
    // Upside down: the ink's top lands on the box's bottom edge.
    expect(below).toEqual(['fillText', 'green', 'A', 150, 150, 300, 120]);
  });

  test('a token is squeezed into its column; a symbol without ink is a plain box', () => {
    const { canvas, calls } = recordingCanvas();
    paintLogo(canvas, {
      ...picture,
      boxes: logoLayout([[1, 0.5, 0.5]]),
      symbols: ['GAT', ' '],
      colors: ['red'],
      positions: 1,
      yDomain: [0, 2],
      width: 50,
      height: 50
    });
    expect(calls.map(rounded)).toEqual([
      ['clearRect', 0, 0, 100, 100],
      // The space (symbol 1), no colour given: grey.
      ['fillRect', '#8C8C8C', 5, 75, 90, 25],
      // Symbol 2 has no symbol at all: a plain box too.
      ['fillRect', '#8C8C8C', 5, 50, 90, 25],
      ['fillText', 'red', 'GAT', 5, 0, 95, 50]
    ]);
  });

  test('columns too narrow for a glyph get solid boxes, unless glyphs are asked for', () => {
    // 600 positions in 640 px, 2×: letters 1.92 canvas pixels wide; C from 0 to 0.5 (60 to
    // 80 px down), A from 0.5 to 1.5 (20 to 60 px down).
    const narrow = { ...picture, boxes: logoLayout([[1, 0.5]]), positions: 600, width: 640 };
    const { canvas, calls } = recordingCanvas();
    paintLogo(canvas, narrow);
    expect(calls.slice(1).map(rounded)).toEqual([
      ['fillRect', 'blue', 0.106666667, 60, 1.92, 20],
      ['fillRect', 'green', 0.106666667, 20, 1.92, 40]
    ]);
    const glyphs = recordingCanvas();
    paintLogo(glyphs.canvas, { ...narrow, minGlyphWidth: 0 });
    expect(glyphs.calls.slice(1).map(rounded)).toEqual([
      ['fillText', 'blue', 'C', 0.106666667, 60, 2.026666667, 80],
      ['fillText', 'green', 'A', 0.106666667, 20, 2.026666667, 60]
    ]);
  });

  test('paints nothing without positions or height', () => {
    const { canvas, calls } = recordingCanvas();
    paintLogo(canvas, { ...picture, positions: 0 });
    paintLogo(canvas, { ...picture, yDomain: [1, 1] });
    expect(calls).toEqual([]);
  });
});

/** Runs specs in vegaRunner.ts (real Node, real Vega), as vegaSpecs.test.ts does. */
function runVega(specs: { name: string; spec: TopLevelSpec }[]): SpecResult[] {
  const root = path.resolve(__dirname, '../..');
  const job = { specs: specs.map(s => ({ ...s, theme: null })), colors: [] };
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'vegaRunner.ts')],
    { input: JSON.stringify(job), cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 }
  );
  if (result.status !== 0) {
    throw new Error(`vegaRunner failed (${result.status}): ${result.stderr}`);
  }
  return (JSON.parse(result.stdout) as { specs: SpecResult[] }).specs;
}

/** A logo view alone, with its data sets inline. */
function logoSpec(
  columns: number[][],
  symbols: string[],
  options: Omit<LogoViewOptions, 'positions' | 'width' | 'height'>
): TopLevelSpec {
  const boxes = logoLayout(columns);
  return {
    $schema: SCHEMA,
    datasets: {
      [LOGO_DATA.boxes]: logoRows(boxes, symbols),
      [LOGO_DATA.picture]: [{ url: TINY_PNG }]
    },
    ...logoView({ ...options, positions: columns.length, width: 400, height: 120 }),
    config: VIEW_CONFIG
  } as TopLevelSpec;
}

describe('the logo view', () => {
  const HOSTILE = "datum.x + alert(1)'";

  test('covers the plot with the picture, reads its named data sets', () => {
    const view = logoView({ width: 300, height: 80, positions: 12, yDomain: [0, 2] });
    const [picture, boxes] = view.layer as {
      data: { name: string };
      mark: object;
      encoding: { x: object; y: { scale?: object; title?: string } };
    }[];
    expect(view.layer).toHaveLength(2);
    expect(picture.data).toEqual({ name: 'logoPicture' });
    expect(picture.mark).toMatchObject({ type: 'image', width: 300, height: 80, aspect: false });
    expect(picture.encoding).toMatchObject({ x: { value: 0 }, y: { value: 0 } });
    expect(boxes.data).toEqual({ name: 'logo' });
    expect(boxes.encoding.x).toMatchObject({ scale: { domain: [-0.5, 11.5], nice: false } });
    expect(boxes.encoding.y).toMatchObject({ title: 'bits', scale: { domain: [0, 2] } });
    // Below 0 too: a line marks the axis.
    expect(logoView({ width: 1, height: 1, positions: 1, yDomain: [-1, 1] }).layer).toHaveLength(3);
  });

  test('the maximization logo: letters of p × bits, in the view’s frame', () => {
    const options = { width: 480, length: 40, softmax: true, words: false, channels: 4 };
    expect(sequenceLogoFrame(options)).toEqual({
      width: 480,
      height: 110,
      positions: 40,
      yDomain: [0, 2]
    });
    const view = sequenceLogoView(options);
    expect(view).toMatchObject({ width: 480, height: 110 });
    const snapshot = runSnapshot({
      rows: 1,
      length: 40,
      width: 4,
      steps: 2,
      nearest: false,
      probabilities: true
    });
    const labels = { channels: ['A', 'C', 'G', 'T'], softmax: true, field: null };
    const logo = maximizationLogo(snapshot, 0, labels)!;
    expect(logo.symbols).toEqual(['A', 'C', 'G', 'T']);
    expect(logo.boxes).toHaveLength(160);
    expect(logo.boxes).toEqual(logoLayout(informationHeights(logo.probabilities)));
    expect(maximizationLogo(snapshot, 0, { ...labels, softmax: false })).toBeNull();
    const rows = maximizationRows(snapshot, 0, labels, logo);
    expect(rows).toEqual(maximizationRows(snapshot, 0, labels));
    // The picture is the panel's to paint.
    expect(rows.logoPicture).toEqual([]);
    // Each letter's height is its probability times the position's bits.
    const [bits] = informationContent([logo.probabilities[0]]);
    expect(bits).toBeGreaterThan(0);
    // (float32 probabilities sum to 1 within 1e-7).
    const first = rows.logo.filter(r => r.i === 0);
    expect(first.reduce((sum, r) => sum + r.v, 0)).toBeCloseTo(bits, 6);
    for (const r of first) {
      expect(r.v).toBeCloseTo(r.p * bits, 12);
    }
    expect(first[3].y1).toBeCloseTo(bits, 6);
  });

  test('compiles and runs in Vega: both signs, amino acids, tokens, hostile symbols', () => {
    const protein = [...'ACDEFGHIKLMNPQRSTVWY'];
    const proteinColumns = Array.from(
      { length: 30 },
      (_, p) => informationHeights([protein.map((_, s) => (s === p % 20 ? 0.62 : 0.02))])[0]
    );
    const cases = [
      {
        name: 'contributions, both signs',
        spec: logoSpec(
          [
            [0.1, -0.3, 0.5, 0.2],
            [-0.2, -0.1, 0.4, 0]
          ],
          ['A', 'C', 'G', 'T'],
          { yDomain: [-0.5, 1], yTitle: 'contribution', title: 'Contributions' }
        ),
        items: [1, 1, 8]
      },
      {
        name: 'protein information content',
        spec: logoSpec(proteinColumns, protein, { yDomain: [0, Math.log2(20)] }),
        items: [1, 600]
      },
      {
        name: 'tokens, hostile symbols',
        spec: logoSpec(
          [
            [0.4, 0.6],
            [0.9, 0.1]
          ],
          [HOSTILE, '<img src=x onerror=alert(1)>'],
          { yDomain: [0, 1], xTitle: null }
        ),
        items: [1, 4]
      }
    ];
    const results = runVega(cases);
    for (const c of cases) {
      const r = results.find(x => x.name === c.name)!;
      expect([c.name, r.error, r.log]).toEqual([c.name, null, []]);
      const boxes = (c.spec.datasets![LOGO_DATA.boxes] as unknown[]).length;
      expect(r.rows[LOGO_DATA.boxes]).toBe(boxes);
      expect(r.rows[LOGO_DATA.picture]).toBe(1);
      // Every mark draws one item per row, where it can be seen: the picture, the line at 0
      // (when the domain reaches below 0) and one tooltip box per letter.
      for (const mark of r.marks) {
        expect([mark.name, mark.items, mark.finite]).toEqual([
          mark.name,
          r.rows[mark.data],
          r.rows[mark.data]
        ]);
      }
      expect(r.marks.map(m => m.items).sort((a, b) => a - b)).toEqual(c.items);
      expect(r.expressions.filter(e => e.includes('alert') || e.includes('<img'))).toEqual([]);
    }
    // The symbols reach the spec only as data: two symbols at two positions.
    expect(labelHits(cases[2].spec, 'alert').map(h => h.place)).toEqual(Array(4).fill('data'));
  });
});
